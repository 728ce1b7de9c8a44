//! The module generated in `build.rs` decodes a callback and keeps what it does not name.

use build_script_example::sms::webhooks::{Event, Receiver};
use hookwright_runtime::webhook::Verifier;

#[test]
fn a_callback_decodes_through_the_generated_module() {
    let body = br#"{"type":"mo_text","id":"01","from":"46700000000","to":"12345","body":"hi","received_at":"2024-01-01T00:00:00Z","extra":1}"#;
    let receiver = Receiver::new(Verifier::none());
    let event = receiver.receive(None, &http_headers(), body).expect("accepted");
    let Event::ReceiveIncomingSms(message) = event else { panic!("decoded as {event:?}") };
    let text = serde_json::to_string(&message).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        serde_json::from_slice::<serde_json::Value>(body).unwrap()
    );
}

fn http_headers() -> hookwright_runtime::http::HeaderMap {
    hookwright_runtime::http::HeaderMap::new()
}
