//! Generated structs are `#[non_exhaustive]`, so that a field a spec adds is not a breaking
//! change; users outside the crate (this test crate is one) build them with `new`, which takes
//! the required fields, and set the optional ones on the result. The `Event` enum is
//! non-exhaustive too: a `match` on it here needs a `_` arm.

use hookwright_runtime::webhook::Decode;
use hookwright_runtime::Timestamp;
use sinch_provisioning::operations::list_webhooks;
use sinch_sms_webhooks::webhooks::{Event, ReceiveIncomingSmsMessage, Webhooks};
use sinch_sms_webhooks::{IncomingSmsPayload, IncomingSmsPayloadType};
use spec_tests::repository;

fn timestamp(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_payload_built_with_new_equals_the_recorded_one() {
    let mut built = IncomingSmsPayload::new(
        IncomingSmsPayloadType::MoText,
        "01GBBXW5K9F8QZ3T2H7N4RJ6MC".to_owned(),
        "16051234567".to_owned(),
        "13185551234".to_owned(),
        "Yes, 10am tomorrow works for me. Thanks!".to_owned(),
        timestamp("2022-08-24T14:15:22Z"),
    );
    assert_eq!((built.operator_id.as_ref(), built.sent_at.as_ref()), (None, None));
    assert!(built.unknown_fields.is_empty());
    built.operator_id = Some("310260".to_owned());
    built.client_reference = Some("appointment-reminders-2022-08-24".to_owned());
    built.sent_at = Some(timestamp("2022-08-24T14:15:20Z"));

    let path = repository().join("tests/fixtures/sinch-sms-webhooks/IncomingSms.json");
    let body = std::fs::read(&path).unwrap();
    let recorded = match Webhooks::decode(&body).unwrap() {
        Event::ReceiveIncomingSms(message) => match *message {
            ReceiveIncomingSmsMessage::IncomingSms(payload) => payload,
            other => panic!("{} decoded as {other:?}", path.display()),
        },
        // `Event` is non-exhaustive: outside its crate this arm is required.
        other => panic!("{} decoded as {other:?}", path.display()),
    };
    assert_eq!(built, recorded);
    let encoded: serde_json::Value = serde_json::to_value(&built).unwrap();
    assert_eq!(encoded, serde_json::from_slice::<serde_json::Value>(&body).unwrap());
}

#[test]
fn a_request_built_with_new_sends_what_was_set() {
    let mut request = list_webhooks::Request::new("p 1".to_owned());
    let http = request.to_http("http://127.0.0.1:9").unwrap();
    assert_eq!(http.uri().to_string(), "http://127.0.0.1:9/v1/projects/p%201/webhooks");

    request.page_size = Some(4);
    let http = request.to_http("http://127.0.0.1:9").unwrap();
    assert_eq!(http.uri().to_string(), "http://127.0.0.1:9/v1/projects/p%201/webhooks?pageSize=4");
}
