//! What keeping unknown fields costs when decoding a callback.
//!
//! `cargo bench -p spec-tests --bench unknown_fields`
//!
//! The generated type (single-pass visitor that keeps unknown fields) against two
//! serde-derive mirrors of the same shape: one that drops unknown fields (the limit), and one
//! that keeps them with `#[serde(flatten)]` at every level (the usual way, which buffers).

use std::hint::black_box;

use codegen_runtime::{Map, Timestamp, Value};
use serde::Deserialize;
use sinch_conversation_webhooks::MessageInboundPayload;

const TYPED: &[u8] = include_bytes!("../fixtures/sinch-conversation-webhooks/MessageInbound.json");
const WITH_UNKNOWN: &[u8] = include_bytes!("../fixtures/sinch-conversation-webhooks/MessageInbound.unknown-field.json");
const INPUTS: [&str; 2] = ["typed", "with_unknown"];

fn input(name: &str) -> &'static [u8] {
    if name == "typed" {
        TYPED
    } else {
        WITH_UNKNOWN
    }
}

fn main() {
    divan::main();
}

#[divan::bench(args = INPUTS)]
fn generated(name: &str) -> MessageInboundPayload {
    serde_json::from_slice(black_box(input(name))).unwrap()
}

#[divan::bench(args = INPUTS)]
fn derive_dropping_unknown(name: &str) -> dropping::Payload {
    serde_json::from_slice(black_box(input(name))).unwrap()
}

#[divan::bench(args = INPUTS)]
fn derive_flatten_keeping_unknown(name: &str) -> flatten::Payload {
    serde_json::from_slice(black_box(input(name))).unwrap()
}

// The mirrors exist to be decoded; their fields are never read.
macro_rules! mirror {
    ($($extra:tt)*) => {
        #[derive(Deserialize)]
        pub struct Payload {
            pub app_id: Option<String>,
            pub accepted_time: Option<Timestamp>,
            pub event_time: Option<Timestamp>,
            pub project_id: Option<String>,
            pub message: Option<Message>,
            pub message_metadata: Option<String>,
            $($extra)*
        }
        #[derive(Deserialize)]
        pub struct Message {
            pub id: Option<String>,
            pub direction: Option<String>,
            pub contact_message: Option<ContactMessage>,
            pub channel_identity: Option<ChannelIdentity>,
            pub conversation_id: Option<String>,
            pub contact_id: Option<String>,
            pub metadata: Option<String>,
            pub accept_time: Option<Timestamp>,
            $($extra)*
        }
        #[derive(Deserialize)]
        pub struct ContactMessage {
            pub text_message: Option<Text>,
            pub media_message: Option<Media>,
            $($extra)*
        }
        #[derive(Deserialize)]
        pub struct Text {
            pub text: Option<String>,
            $($extra)*
        }
        #[derive(Deserialize)]
        pub struct Media {
            pub url: Option<String>,
            $($extra)*
        }
        #[derive(Deserialize)]
        pub struct ChannelIdentity {
            pub channel: Option<String>,
            pub identity: Option<String>,
            pub app_id: Option<String>,
            $($extra)*
        }
    };
}

#[allow(dead_code)]
mod dropping {
    use super::*;
    mirror!();
}

#[allow(dead_code)]
mod flatten {
    use super::*;
    mirror!(#[serde(flatten)] pub extra: Map<String, Value>,);
}
