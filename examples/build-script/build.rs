//! Generates the SMS webhook models into `OUT_DIR`, again whenever the spec (or a file it
//! refers to) changes: `build_module` tells cargo which files those are.

fn main() -> Result<(), hookwright::Diagnostic> {
    hookwright::build_module("../../specs/sinch-sms-webhooks.asyncapi.yaml", "sms.rs")
}
