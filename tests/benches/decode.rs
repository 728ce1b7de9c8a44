//! What a generated receiver costs per callback, against decoding into the message's concrete
//! type when it is known in advance (the limit).
//!
//! `cargo bench -p spec-tests --bench decode`, then `cargo xtask bench-report`.
//!
//! Every recorded payload under `tests/fixtures/<crate>/` (not `invalid/`), read when the
//! bench starts, is decoded these ways; criterion ids are group `decode/<crate>`, the function
//! below, and the fixture's file stem:
//!
//! - `limit`: `serde_json::from_slice` into the message's concrete payload type, named in the
//!   [`concrete`] tables below (a message missing from them fails the bench, so a spec update
//!   cannot quietly leave a fixture without its limit).
//! - `by_channel`: `Receiver::receive(Some(channel), ..)` with `Verifier::none()`: the channel
//!   is the first of the spec's channels that decodes the fixture to its message.
//! - `by_payload`: `receive(None, ..)`, the message inferred from the payload.
//! - `by_channel_signed`, `by_payload_signed`: the same with the spec's HMAC scheme, correctly
//!   signed headers (and a few ordinary ones) and a fixed clock, so the timestamp check runs.
//! - `value_then_convert`: the usual hand-written receiver, `serde_json::Value` first, then
//!   `from_value` into the concrete type.
//!
//! Group `preservation`: `serde_json::from_slice` of SMS `IncomingSms` and `DeliveryReportSms`
//! and Conversation `MessageInbound`, fixtures whose fields the spec all names, parameter the
//! fixture's file stem, into:
//!
//! - `generated`: the generated type, which keeps unknown fields;
//! - `mirror`: a plain `#[derive(Deserialize)]` mirror with the same fields and field types that
//!   drops them (the baseline): what keeping costs when there is nothing to keep;
//! - `flatten`: the same mirror keeping them the usual way, `#[serde(flatten)]` into a map at
//!   every level.
//!
//! Group `unknown_field`: the same three on `MessageInbound.unknown-field`, which has a field
//! the spec does not name (`carrier_info`, an object of three strings), against `flatten`,
//! the usual way of keeping it: the mirror drops the field, so it does less work than anything
//! that keeps it.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use hookwright_runtime::webhook::{Callback, Decode, Messages, Receiver, Secret, Verifier};
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

const SECRET: &str = "a-webhook-secret-of-realistic-length";
const NONCE: &str = "01GBBXW5K9F8QZ3T2H7N4RJ6MC";
/// When the signed requests were "sent", and the receiver's fixed clock.
const TIMESTAMP: i64 = 1_661_350_522;

/// Headers an HTTP client sends besides the signature ones, so lookups are not flattered.
const ORDINARY_HEADERS: [(&str, &str); 4] = [
    ("host", "callbacks.example.com"),
    ("user-agent", "sinch-webhooks/1.0"),
    ("content-type", "application/json"),
    ("accept", "*/*"),
];

/// One recorded payload, ready to decode.
struct Case {
    /// The fixture's file stem, e.g. `IncomingSms.minimal`.
    name: String,
    body: Vec<u8>,
    /// Its message's payload type, decoded directly.
    concrete: Concrete,
    /// The channel address it is posted to by channel.
    channel: &'static str,
}

/// The fixtures of `krate` that decode to their message; the others are reported and left out
/// (a fixture and the crate can be out of step while a spec is being updated).
fn cases<D: Decode>(krate: &str) -> Vec<Case>
where
    D::Callback: Messages,
{
    let dir = spec_tests::repository().join("tests/fixtures").join(krate);
    let files = spec_tests::json_files(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    files.iter().filter_map(|path| case::<D>(krate, path).map_err(|e| eprintln!("{krate}: skipped {e}")).ok()).collect()
}

fn case<D: Decode>(krate: &str, path: &Path) -> Result<Case, String>
where
    D::Callback: Messages,
{
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
    let key = name.split('.').next().unwrap_or_default();
    let body = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    if !<D::Callback as Messages>::NAMES.contains(&key) {
        return Err(format!("{name}: no message `{key}` in the crate"));
    }
    let concrete = concrete(krate, key)
        .unwrap_or_else(|| panic!("{krate}: message `{key}` has no payload type in `concrete`; add it"));
    let receiver = Receiver::<D>::new(Verifier::none());
    let decodes_to_key = |channel| {
        receiver.receive(channel, &HeaderMap::new(), &body).is_ok_and(|callback| callback.message() == Some(key))
    };
    if !decodes_to_key(None) {
        return Err(format!("{name}: does not decode by payload to `{key}`"));
    }
    let channel = D::CHANNELS
        .iter()
        .copied()
        .find(|channel| decodes_to_key(Some(channel)))
        .ok_or_else(|| format!("{name}: no channel decodes it to `{key}`"))?;
    Ok(Case { name, body, concrete, channel })
}

/// The two ways of decoding a message's concrete payload type when it is known in advance.
#[derive(Clone, Copy)]
struct Concrete {
    /// `serde_json::from_slice` (the limit).
    limit: fn(&[u8]),
    /// The hand-written way: a `serde_json::Value` tree, then `from_value`.
    via_value: fn(&[u8]),
}

/// `$crate`'s message keys and their payload types, as [`Concrete`] decoders by key.
macro_rules! concrete {
    ($krate:ident { $($key:literal => $ty:ident),* $(,)? }) => {
        |key: &str| -> Option<Concrete> {
            match key {
                $($key => Some(Concrete {
                    limit: |body| drop(serde_json::from_slice::<$krate::models::$ty>(body).expect("the fixture decodes")),
                    via_value: |body| {
                        let value: serde_json::Value = serde_json::from_slice(body).expect("the fixture is JSON");
                        drop(serde_json::from_value::<$krate::models::$ty>(value).expect("the fixture decodes"))
                    },
                }),)*
                _ => None,
            }
        }
    };
}

/// The concrete decoders of `krate`'s message `key`.
fn concrete(krate: &str, key: &str) -> Option<Concrete> {
    let sms = concrete!(sinch_sms_webhooks {
        "DeliveryReportSms" => DeliveryReportSmsPayload,
        "RecipientDeliveryReportSms" => RecipientDeliveryReportSmsPayload,
        "DeliveryReportMms" => DeliveryReportMmsPayload,
        "RecipientDeliveryReportMms" => RecipientDeliveryReportMmsPayload,
        "IncomingSms" => IncomingSmsPayload,
        "IncomingMms" => IncomingMmsPayload,
        "IncomingBinary" => IncomingBinaryPayload,
    });
    let conversation = concrete!(sinch_conversation_webhooks {
        "MessageInbound" => MessageInboundPayload,
        "MessageDelivery" => MessageDeliveryPayload,
        "EventInbound" => EventInboundPayload,
        "ContactEvent" => ContactEventPayload,
        "ContactUpdateEvent" => ContactUpdateEventPayload,
        "ContactDeleteEvent" => ContactDeleteEventPayload,
        "ContactMergeEvent" => ContactMergeEventPayload,
        "ConversationEvent" => ConversationEventPayload,
        "ConversationStopEvent" => ConversationStopEventPayload,
        "ChannelEvent" => ChannelEventPayload,
        "CapabilityEvent" => CapabilityEventPayload,
        "OptEvent" => OptEventPayload,
        "OptOutEvent" => OptOutEventPayload,
        "SmartConversationEvent" => SmartConversationPayload,
        "MessageSubmit" => MessageSubmitPayload,
        "EventDelivery" => EventDeliveryPayload,
        "ConversationDeleteEvent" => ConversationDeleteEventPayload,
        "ContactIdentitiesDuplicationEvent" => ContactIdentitiesDuplicationEventPayload,
        "MessageInboundSmartConversationRedaction" => MessageRedactionPayload,
        "RecordNotification" => RecordNotificationPayload,
        "UnsupportedCallback" => UnsupportedCallbackPayload,
    });
    match krate {
        "sinch-sms-webhooks" => sms(key),
        "sinch-conversation-webhooks" => conversation(key),
        _ => None,
    }
}

fn signed_headers<D: Decode>(body: &[u8]) -> HeaderMap {
    let scheme = D::HMAC.expect("the spec has an HMAC scheme");
    let mut headers = HeaderMap::new();
    for (name, value) in ORDINARY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    headers.extend(scheme.signed_headers(&Secret::from(SECRET), body, NONCE, TIMESTAMP));
    headers
}

fn signing_receiver<D: Decode>() -> Receiver<D> {
    let scheme = D::HMAC.expect("the spec has an HMAC scheme");
    let now = UNIX_EPOCH + Duration::from_secs(TIMESTAMP.unsigned_abs());
    Receiver::new(Verifier::hmac(scheme, SECRET).clock(move || now))
}

fn bench_crate<D: Decode>(c: &mut Criterion, krate: &str)
where
    D::Callback: Messages,
{
    let plain = Receiver::<D>::new(Verifier::none());
    let signing = signing_receiver::<D>();
    let none = HeaderMap::new();
    // Every decode moves the callback out to its caller: its size is part of the cost.
    println!("{krate}: the callback type is {} bytes", std::mem::size_of::<D::Callback>());
    let mut group = c.benchmark_group(format!("decode/{krate}"));
    for case in cases::<D>(krate) {
        let (body, concrete, channel) = (case.body.as_slice(), case.concrete, case.channel);
        let signed = signed_headers::<D>(body);
        bench_one(&mut group, "limit", &case.name, body, &concrete.limit);
        bench_one(&mut group, "value_then_convert", &case.name, body, &concrete.via_value);
        let mut bench =
            |function: &str, run: &dyn Fn(&[u8]) -> D::Callback| bench_one(&mut group, function, &case.name, body, run);
        bench("by_channel", &|body| plain.receive(Some(channel), &none, body).expect("accepted"));
        bench("by_payload", &|body| plain.receive(None, &none, body).expect("accepted"));
        bench("by_channel_signed", &|body| signing.receive(Some(channel), &signed, body).expect("verified"));
        bench("by_payload_signed", &|body| signing.receive(None, &signed, body).expect("verified"));
    }
    group.finish();
}

fn bench_one<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    function: &str,
    fixture: &str,
    body: &[u8],
    run: &dyn Fn(&[u8]) -> T,
) {
    group.bench_function(criterion::BenchmarkId::new(function, fixture), |b| b.iter(|| run(black_box(body))));
}

fn decode(c: &mut Criterion) {
    bench_crate::<sinch_sms_webhooks::webhooks::Webhooks>(c, "sinch-sms-webhooks");
    bench_crate::<sinch_conversation_webhooks::webhooks::Webhooks>(c, "sinch-conversation-webhooks");
}

fn preservation(c: &mut Criterion) {
    use sinch_conversation_webhooks::MessageInboundPayload;
    use sinch_sms_webhooks::{DeliveryReportSmsPayload, IncomingSmsPayload};

    let mut group = c.benchmark_group("preservation");
    preserve::<IncomingSmsPayload, mirror::IncomingSms, flatten::IncomingSms>(&mut group, "sms", "IncomingSms");
    preserve::<DeliveryReportSmsPayload, mirror::DeliveryReportSms, flatten::DeliveryReportSms>(
        &mut group,
        "sms",
        "DeliveryReportSms",
    );
    preserve::<MessageInboundPayload, mirror::MessageInbound, flatten::MessageInbound>(
        &mut group,
        "conversation",
        "MessageInbound",
    );
    group.finish();
    let mut group = c.benchmark_group("unknown_field");
    preserve::<MessageInboundPayload, mirror::MessageInbound, flatten::MessageInbound>(
        &mut group,
        "conversation",
        "MessageInbound.unknown-field",
    );
    group.finish();
}

/// The three ways of decoding fixture `fixture` of the `sinch-<api>-webhooks` crate: the
/// generated type `G`, the mirror `M` that drops unknown fields, the mirror `F` that keeps them.
fn preserve<G, M, F>(group: &mut BenchmarkGroup<'_, WallTime>, api: &str, fixture: &str)
where
    G: serde::de::DeserializeOwned,
    M: serde::de::DeserializeOwned,
    F: serde::de::DeserializeOwned,
{
    let path = spec_tests::repository().join(format!("tests/fixtures/sinch-{api}-webhooks/{fixture}.json"));
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bench_one(group, "generated", fixture, &body, &|body| serde_json::from_slice::<G>(body).expect("decodes"));
    bench_one(group, "mirror", fixture, &body, &|body| serde_json::from_slice::<M>(body).expect("decodes"));
    bench_one(group, "flatten", fixture, &body, &|body| serde_json::from_slice::<F>(body).expect("decodes"));
}

/// Plain serde-derive structs with the generated types' fields and field types, plus `$extra`
/// in each: every object type the `preservation` fixtures decode into, down to the message
/// kinds of `ContactMessage` they do not carry, so that the mirror's structs are the generated
/// ones without their unknown-field maps. Their fields are never read; they exist to be decoded.
macro_rules! mirrors {
    ($($extra:tt)*) => {
        use hookwright_runtime::Timestamp;
        use serde::Deserialize;
        use sinch_conversation_webhooks::{
            ChannelSpecificContactMessageType, ConversationChannel, ConversationDirection, ProcessingMode, ReasonCode,
            ReasonSubCode,
        };
        use sinch_sms_webhooks::{DeliveryReportSmsPayloadType, IncomingSmsPayloadType, StatusStatus};

        #[derive(Deserialize)]
        pub struct IncomingSms {
            pub r#type: IncomingSmsPayloadType,
            pub id: String,
            pub from: String,
            pub to: String,
            pub body: String,
            pub received_at: Timestamp,
            pub operator_id: Option<String>,
            pub client_reference: Option<String>,
            pub sent_at: Option<Timestamp>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct DeliveryReportSms {
            pub r#type: DeliveryReportSmsPayloadType,
            pub batch_id: String,
            pub statuses: Vec<Status>,
            pub total_message_count: i32,
            pub client_reference: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct Status {
            pub code: Option<i64>,
            pub status: Option<StatusStatus>,
            pub count: Option<i64>,
            pub recipients: Option<Vec<String>>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct MessageInbound {
            pub app_id: Option<String>,
            pub accepted_time: Option<Timestamp>,
            pub event_time: Option<Timestamp>,
            pub project_id: Option<String>,
            pub message_metadata: Option<String>,
            pub correlation_id: Option<String>,
            pub message: InboundMessage,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct InboundMessage {
            pub id: Option<String>,
            pub direction: Option<ConversationDirection>,
            pub contact_message: Option<ContactMessage>,
            pub channel_identity: Option<ChannelIdentity>,
            pub conversation_id: Option<String>,
            pub contact_id: Option<String>,
            pub metadata: Option<String>,
            pub accept_time: Option<Timestamp>,
            pub sender_id: Option<String>,
            pub processing_mode: Option<ProcessingMode>,
            pub injected: Option<bool>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ContactMessage {
            pub text_message: Option<TextMessage>,
            pub media_message: Option<MediaMessage>,
            pub location_message: Option<LocationMessage>,
            pub choice_response_message: Option<ChoiceResponseMessage>,
            pub media_card_message: Option<MediaCardMessage>,
            pub fallback_message: Option<FallbackMessage>,
            pub product_response_message: Option<ProductResponseMessage>,
            pub channel_specific_message: Option<ChannelSpecificContactMessage>,
            pub reply_to: Option<ReplyTo>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct TextMessage {
            pub text: String,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct MediaMessage {
            pub url: String,
            pub thumbnail_url: Option<String>,
            pub filename_override: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct LocationMessage {
            pub coordinates: Option<Coordinates>,
            pub title: Option<String>,
            pub label: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct Coordinates {
            pub latitude: f64,
            pub longitude: f64,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ChoiceResponseMessage {
            pub message_id: Option<String>,
            pub postback_data: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct MediaCardMessage {
            pub url: Option<String>,
            pub caption: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct FallbackMessage {
            pub raw_message: Option<String>,
            pub reason: Option<Reason>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct Reason {
            pub code: Option<ReasonCode>,
            pub description: Option<String>,
            pub sub_code: Option<ReasonSubCode>,
            pub channel_code: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ProductResponseMessage {
            pub products: Option<Vec<ProductItem>>,
            pub title: Option<String>,
            pub catalog_id: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ProductItem {
            pub id: Option<String>,
            pub marketplace: Option<String>,
            pub quantity: Option<i64>,
            pub item_price: Option<f64>,
            pub currency: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ChannelSpecificContactMessage {
            pub message_type: Option<ChannelSpecificContactMessageType>,
            pub message: Option<NfmReplyMessage>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct NfmReplyMessage {
            pub r#type: Option<ChannelSpecificContactMessageType>,
            pub nfm_reply: Option<NfmReply>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct NfmReply {
            pub name: Option<String>,
            pub response_json: Option<String>,
            pub body: Option<String>,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ReplyTo {
            pub message_id: String,
            $($extra)*
        }

        #[derive(Deserialize)]
        pub struct ChannelIdentity {
            pub channel: Option<ConversationChannel>,
            pub identity: Option<String>,
            pub app_id: Option<String>,
            $($extra)*
        }
    };
}

/// The baseline: unknown fields are dropped.
#[allow(dead_code)]
mod mirror {
    mirrors!();
}

/// The usual way to keep unknown fields, `#[serde(flatten)]` into a `serde_json::Map` at every
/// level, which buffers each object's fields before sorting them out. (Not into `UnknownFields`:
/// it keeps each value as the text serde_json read, which a field serde has buffered no longer
/// has.)
#[allow(dead_code)]
mod flatten {
    mirrors!(#[serde(flatten)] pub unknown: serde_json::Map<String, serde_json::Value>,);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = decode, preservation
}
criterion_main!(benches);
