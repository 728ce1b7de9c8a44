//! The signature schemes senders use, as [`HmacScheme`](super::HmacScheme) constants, one file
//! each, so a spec names one with one line (`x-signature: github`) and a generated crate names
//! it as `HmacScheme::GITHUB`. Each file cites the public test vectors its tests check.

mod github;
mod line;
mod sinch;
mod standard_webhooks;
