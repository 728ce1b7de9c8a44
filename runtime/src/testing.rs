//! Assertions for the tests generated crates ship: each example of the spec decodes into its
//! generated type and encodes back to the same JSON, and each example of a received message
//! is accepted by the crate's receiver as that message (`tests/examples.rs`).

use std::any::type_name;

use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Number, Value};

use crate::webhook::{Callback, Decode, Receiver, Verifier};

/// Decodes `json` as a `T`, encodes the value again, and panics unless the result is the same
/// JSON document: the same keys (in any order) with the same values, numbers compared by value
/// (`1` equals `1.0`).
///
/// The panic message names the first JSON pointer where the two differ and shows both texts;
/// a value that does not decode is reported with the path that failed.
///
/// ```
/// hookwright_runtime::testing::assert_round_trip::<Vec<f64>>("[1, 2.5]");
/// ```
#[track_caller]
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    let expected = example_value(json);
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let decoded: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(decoded) => decoded,
        Err(error) => {
            let at = match error.path().to_string() {
                path if path == "." => String::new(),
                path => format!(" at `{path}`"),
            };
            panic!(
                "the example does not decode as {}{at}: {}\nexample: {}",
                type_name::<T>(),
                error.into_inner(),
                pretty(&expected)
            )
        }
    };
    let actual = match re_encoded(&decoded) {
        Ok(actual) => actual,
        Err(error) => panic!("{} decoded from the example does not encode: {error}", type_name::<T>()),
    };
    assert_same(&expected, &actual, type_name::<T>());
}

/// Hands `json` to a receiver of `D` (verifying nothing) as a callback posted to `address`, or
/// to the single URL (`None`: decoded by payload alone), and panics unless it is accepted as
/// the message `message` of the operation `operation` (when the address or payload tells
/// it; `None` where it cannot) and re-encodes to the same JSON, as
/// [`assert_round_trip`] compares.
#[track_caller]
pub fn assert_received<D: Decode>(address: Option<&str>, json: &str, message: &str, operation: Option<&str>) {
    let expected = example_value(json);
    let to = address.unwrap_or("the single URL");
    let receiver = Receiver::<D>::new(Verifier::none());
    let callback = match receiver.receive(address, &HeaderMap::new(), json.as_bytes()) {
        Ok(callback) => callback,
        Err(rejection) => panic!("the receiver refused the example posted to {to}: {rejection}\n{}", pretty(&expected)),
    };
    if let Some(reason) = callback.unknown_reason() {
        panic!("the example posted to {to} fits no message: {reason}\n{}", pretty(&expected));
    }
    assert_eq!(callback.message(), Some(message), "the message of the example posted to {to}");
    assert_eq!(callback.operation(), operation, "the operation of the example posted to {to}");
    match re_encoded(&callback) {
        Ok(actual) => assert_same(&expected, &actual, message),
        Err(error) => panic!("`{message}` received from the example does not encode: {error}"),
    }
}

/// `value` encoded as a JSON value. `to_value` refuses an `i128` beyond 64 bits; the text
/// holds it, and reads back as the example's number did.
fn re_encoded<T: Serialize>(value: &T) -> serde_json::Result<Value> {
    serde_json::to_value(value).or_else(|_| serde_json::to_string(value).and_then(|text| serde_json::from_str(&text)))
}

/// The example `json` as a JSON value; panics when it is not JSON.
#[track_caller]
fn example_value(json: &str) -> Value {
    match serde_json::from_str(json) {
        Ok(expected) => expected,
        Err(error) => panic!("the example is not JSON: {error}\n{json}"),
    }
}

/// Panics unless `actual`, re-encoded from `what`, is the same JSON document as `expected`.
#[track_caller]
fn assert_same(expected: &Value, actual: &Value, what: &str) {
    if let Some(pointer) = first_difference(expected, actual) {
        let at = if pointer.is_empty() { "the root".to_owned() } else { format!("`{pointer}`") };
        panic!(
            "the example does not survive a round trip through {what}: they first differ at {at}\n\
             example:    {}\nre-encoded: {}",
            pretty(expected),
            pretty(actual)
        );
    }
}

/// The JSON pointer of the first place where `expected` and `actual` differ (`""` for the
/// whole value), or `None` when they are the same document. Object keys are compared in any
/// order (those of `expected` first); numbers are compared by value.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys = e.keys().chain(a.keys().filter(|key| !e.contains_key(*key)));
            keys.find_map(|key| {
                let below = match (e.get(key), a.get(key)) {
                    (Some(e), Some(a)) => first_difference(e, a)?,
                    _ => String::new(),
                };
                Some(format!("/{}{below}", key.replace('~', "~0").replace('/', "~1")))
            })
        }
        (Value::Array(e), Value::Array(a)) => (0..e.len().max(a.len())).find_map(|index| {
            let below = match (e.get(index), a.get(index)) {
                (Some(e), Some(a)) => first_difference(e, a)?,
                _ => String::new(),
            };
            Some(format!("/{index}{below}"))
        }),
        (Value::Number(e), Value::Number(a)) => (!same_number(e, a)).then(String::new),
        (e, a) => (e != a).then(String::new),
    }
}

/// Equal as numbers: integers exactly, anything else as `f64`.
fn same_number(a: &Number, b: &Number) -> bool {
    let integer = |n: &Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::panic::catch_unwind;

    use serde_json::json;

    use super::*;
    use crate::webhook::fixture::Rooms;

    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = catch_unwind(f).expect_err("a panic");
        payload.downcast_ref::<String>().cloned().unwrap_or_default()
    }

    #[test]
    fn equal_documents_have_no_difference_whatever_their_key_order_or_number_spelling() {
        let a = json!({"a": 1, "b": [1.0, {"c": -2, "d": null}], "e": 18446744073709551615u64});
        let b = json!({"e": 18446744073709551615u64, "b": [1, {"d": null, "c": -2.0}], "a": 1.0});
        assert_eq!(first_difference(&a, &b), None);
    }

    #[test]
    fn the_first_difference_is_a_json_pointer() {
        let expected = json!({"a": 1, "b/c": [true, {"x~y": "s"}]});
        let changed = json!({"a": 1, "b/c": [true, {"x~y": "t"}]});
        assert_eq!(first_difference(&expected, &changed).as_deref(), Some("/b~1c/1/x~0y"));
        assert_eq!(first_difference(&expected, &json!({"a": 1.5, "b/c": []})).as_deref(), Some("/a"));
        assert_eq!(first_difference(&json!([1]), &json!([1, 2])).as_deref(), Some("/1"), "an extra item");
        assert_eq!(first_difference(&json!({}), &json!({"z": 0})).as_deref(), Some("/z"), "an extra key");
        assert_eq!(first_difference(&json!({"z": 0}), &json!({})).as_deref(), Some("/z"), "a missing key");
        assert_eq!(first_difference(&json!(1), &json!("1")).as_deref(), Some(""), "the root");
        assert_eq!(first_difference(&json!(9007199254740993u64), &json!(9007199254740992u64)).as_deref(), Some(""));
    }

    #[test]
    fn a_value_that_round_trips_passes() {
        assert_round_trip::<Value>(r#"{"a": [1, 2.5, "x", null]}"#);
        assert_round_trip::<BTreeMap<String, f64>>(r#"{"b": 1, "a": 2.25}"#);
    }

    #[test]
    fn a_lossy_round_trip_names_where_and_shows_both_texts() {
        let message = panic_message(|| assert_round_trip::<Vec<f32>>("[0.5, 0.1]"));
        assert!(message.contains("does not survive a round trip through") && message.contains("Vec<f32>"), "{message}");
        assert!(message.contains("they first differ at `/1`"), "{message}");
        assert!(message.contains("example:    [\n  0.5,\n  0.1\n]"), "{message}");
        assert!(message.contains("re-encoded: [\n  0.5,\n  0.10000000149011612\n]"), "{message}");
    }

    #[test]
    fn an_integer_beyond_64_bits_round_trips() {
        assert_round_trip::<Vec<i128>>("[18446744073709551616, -9223372036854775809]");
    }

    #[test]
    fn a_received_integer_beyond_64_bits_round_trips() {
        assert_received::<Rooms<Vec<i128>>>(None, "[18446744073709551616, -9223372036854775809]", "Note", None);
        let message = panic_message(|| assert_received::<Rooms<Vec<i128>>>(None, "[1, 2]", "Small", None));
        assert!(message.contains("the message of the example posted to the single URL"), "{message}");
    }

    #[test]
    fn a_value_that_does_not_decode_names_the_path() {
        let message = panic_message(|| assert_round_trip::<BTreeMap<String, Vec<u8>>>(r#"{"a": [1, "two"]}"#));
        assert!(message.contains("does not decode as"), "{message}");
        assert!(message.contains(" at `a[1]`: invalid type"), "{message}");
        let message = panic_message(|| assert_round_trip::<u8>("-1"));
        assert!(message.contains("does not decode as u8: invalid value"), "{message}");
        let message = panic_message(|| assert_round_trip::<Value>("{"));
        assert!(message.contains("the example is not JSON"), "{message}");
    }
}
