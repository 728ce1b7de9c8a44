//! Shared by the payload tests and the `samples` report: which generated type decodes each
//! message, and how to tell whether a decode kept everything.

use std::path::{Path, PathBuf};

use hookwright_runtime::{Timestamp, Unknowns};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The repository root.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// The `*.json` files directly in `dir`, sorted by name.
pub fn json_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A payload decoded into its generated type.
#[derive(Debug)]
pub struct Decoded {
    /// The decoded value encoded again.
    pub reencoded: Value,
    /// JSON pointers of values the generated type holds only in catch-alls.
    pub unknowns: Vec<String>,
}

/// One message (AsyncAPI) or schema (OpenAPI) of a generated crate and its decoder.
pub struct Payload {
    /// The message key under `components/messages`, or the schema key.
    pub key: &'static str,
    pub type_name: &'static str,
    pub decode: fn(&[u8]) -> Result<Decoded, serde_json::Error>,
}

fn decode<T: DeserializeOwned + Serialize + Unknowns>(bytes: &[u8]) -> Result<Decoded, serde_json::Error> {
    let value: T = serde_json::from_slice(bytes)?;
    Ok(Decoded { reencoded: serde_json::to_value(&value)?, unknowns: value.unknowns() })
}

macro_rules! payloads {
    ($($krate:ident :: $ty:ident as $key:literal),* $(,)?) => {
        &[$(Payload { key: $key, type_name: stringify!($ty), decode: decode::<$krate::$ty> }),*]
    };
}

/// The payloads of each generated crate, in spec order.
pub fn payloads(crate_name: &str) -> &'static [Payload] {
    match crate_name {
        "sinch-conversation-webhooks" => payloads![
            sinch_conversation_webhooks::MessageInboundPayload as "MessageInbound",
            sinch_conversation_webhooks::MessageDeliveryPayload as "MessageDelivery",
            sinch_conversation_webhooks::EventInboundPayload as "EventInbound",
            sinch_conversation_webhooks::ContactEventPayload as "ContactEvent",
            sinch_conversation_webhooks::ContactUpdateEventPayload as "ContactUpdateEvent",
            sinch_conversation_webhooks::ContactDeleteEventPayload as "ContactDeleteEvent",
            sinch_conversation_webhooks::ContactMergeEventPayload as "ContactMergeEvent",
            sinch_conversation_webhooks::ContactIdentitiesDuplicationEventPayload as "ContactIdentitiesDuplicationEvent",
            sinch_conversation_webhooks::ConversationEventPayload as "ConversationEvent",
            sinch_conversation_webhooks::ConversationStopEventPayload as "ConversationStopEvent",
            sinch_conversation_webhooks::ConversationDeleteEventPayload as "ConversationDeleteEvent",
            sinch_conversation_webhooks::ChannelEventPayload as "ChannelEvent",
            sinch_conversation_webhooks::CapabilityEventPayload as "CapabilityEvent",
            sinch_conversation_webhooks::OptEventPayload as "OptEvent",
            sinch_conversation_webhooks::OptOutEventPayload as "OptOutEvent",
            sinch_conversation_webhooks::SmartConversationPayload as "SmartConversationEvent",
            sinch_conversation_webhooks::MessageSubmitPayload as "MessageSubmit",
            sinch_conversation_webhooks::EventDeliveryPayload as "EventDelivery",
            sinch_conversation_webhooks::MessageRedactionPayload as "MessageInboundSmartConversationRedaction",
            sinch_conversation_webhooks::RecordNotificationPayload as "RecordNotification",
            sinch_conversation_webhooks::UnsupportedCallbackPayload as "UnsupportedCallback",
        ],
        "sinch-sms-webhooks" => payloads![
            sinch_sms_webhooks::DeliveryReportSmsPayload as "DeliveryReportSms",
            sinch_sms_webhooks::RecipientDeliveryReportSmsPayload as "RecipientDeliveryReportSms",
            sinch_sms_webhooks::DeliveryReportMmsPayload as "DeliveryReportMms",
            sinch_sms_webhooks::RecipientDeliveryReportMmsPayload as "RecipientDeliveryReportMms",
            sinch_sms_webhooks::IncomingSmsPayload as "IncomingSms",
            sinch_sms_webhooks::IncomingMmsPayload as "IncomingMms",
            sinch_sms_webhooks::IncomingBinaryPayload as "IncomingBinary",
        ],
        "sinch-provisioning" => payloads![
            sinch_provisioning::WebhookWebhookDto as "WebhookWebhookDto",
            sinch_provisioning::CreateWebhookRequest as "CreateWebhookRequest",
            sinch_provisioning::UpdateWebhookRequest as "UpdateWebhookRequest",
            sinch_provisioning::ListWebhooksResponse as "ListWebhooksResponse",
            sinch_provisioning::WebhookPapiErrorDto as "WebhookPapiErrorDto",
        ],
        _ => &[],
    }
}

/// Where `expected` and `actual` differ, as JSON pointers; strings that are both
/// timestamps compare as instants.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(expected, actual, &mut String::new(), &mut out);
    out
}

fn compare(expected: &Value, actual: &Value, at: &mut String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match (e.get(key), a.get(key)) {
                    (Some(e), Some(a)) => compare(e, a, at, out),
                    _ => out.push(at.clone()),
                }
                at.truncate(len);
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                let len = at.len();
                at.push_str(&format!("/{index}"));
                compare(e, a, at, out);
                at.truncate(len);
            }
        }
        (Value::String(e), Value::String(a)) if e != a && same_instant(e, a) => {}
        (e, a) if e == a => {}
        _ => out.push(at.clone()),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (a.parse::<Timestamp>(), b.parse::<Timestamp>()) {
        (Ok(a), Ok(b)) => a.to_utc() == b.to_utc(),
        _ => false,
    }
}

/// Leaf values (scalars, empty arrays and objects) in `value`.
pub fn leaves(value: &Value) -> usize {
    match value {
        Value::Object(map) if !map.is_empty() => map.values().map(leaves).sum(),
        Value::Array(items) if !items.is_empty() => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// Leaf values of `value` that sit at or under one of `pointers`.
pub fn leaves_under(value: &Value, pointers: &[String]) -> usize {
    pointers.iter().filter_map(|p| value.pointer(p)).map(leaves).sum()
}
