//! The fields a received object had that its schema does not name, kept as received.
//!
//! Almost every payload has none, yet every generated struct carries them. A `serde_json::Map`
//! inline is 72 bytes: in arrays of small objects (SMS `DeliveryReportSms`'s `statuses`) it
//! doubled the elements moved while decoding and made keeping unknown fields cost 7–10% over a
//! struct that drops them. [`UnknownFields`] is one pointer, null until the first unknown field
//! arrives.
//!
//! Each value is kept as its JSON text ([`RawValue`]), not as a [`Value`]: a `Value` rounds
//! integers beyond 64 bits and long decimals to `f64`, spells `1E2` as `100.0`, cannot hold
//! `1e400` or a lone surrogate escape (`"\ud800"`), and a map keeps one value per key. The text
//! is captured by serde_json without recursion, so an unknown value may nest as deep as the
//! body allows. `arbitrary_precision` would keep numbers too, but that serde_json feature
//! would be switched on for every crate in a user's build, and it breaks `#[serde(flatten)]`
//! and untagged enums there.

use std::fmt;
use std::ops::Index;
use std::sync::OnceLock;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::object::Key;

/// Fields of a received object that its schema does not name, in the order received, each
/// value as the JSON text received (without the whitespace between its tokens).
///
/// Encoding writes every field back as received: numbers and strings keep their spelling
/// (`18446744073709551616`, `1E2`, `1e-400`, `"\ud800"`), and a key sent twice is written
/// twice. [`get`](Self::get) and indexing give a value parsed into a [`Value`] on first use;
/// [`get_raw`](Self::get_raw) and [`iter`](Self::iter) give the text. Two values are equal when
/// they hold the same keys with the same texts in the same order. Keys are decoded strings
/// (`"\u0061"` is written back as `"a"`); a key holding a lone surrogate, which a `String`
/// cannot, leaves the struct undecodable, and a receiver keeps such a body as an unknown event.
///
/// ```
/// use hookwright_runtime::{UnknownFields, Value};
///
/// let mut fields: UnknownFields = serde_json::from_str(r#"{"big":18446744073709551616,"vip":false}"#).unwrap();
/// assert_eq!(fields.get_raw("big").unwrap().get(), "18446744073709551616");
/// fields.insert("vip".to_owned(), Value::Bool(true));
/// assert_eq!(fields["vip"], true);
/// assert_eq!(fields.len(), 2);
/// assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"big":18446744073709551616,"vip":true}"#);
/// ```
#[derive(Clone, Default)]
#[allow(clippy::box_collection)] // one pointer where a `Vec` is three: see the module docs
pub struct UnknownFields(Option<Box<Vec<Field>>>);

#[derive(Clone)]
struct Field {
    key: String,
    raw: Box<RawValue>,
    /// `raw` as a [`Value`], parsed the first time it is asked for; `None` when a `Value`
    /// cannot hold it.
    parsed: OnceLock<Option<Value>>,
}

impl Field {
    fn new(key: String, raw: Box<RawValue>) -> Self {
        Field { key, raw, parsed: OnceLock::new() }
    }

    fn value(&self) -> Option<&Value> {
        self.parsed.get_or_init(|| serde_json::from_str(self.raw.get()).ok()).as_ref()
    }
}

/// What indexing gives for a key that is absent or whose value a [`Value`] cannot hold.
static NULL: Value = Value::Null;

impl UnknownFields {
    /// No fields; allocates nothing.
    pub const fn new() -> Self {
        UnknownFields(None)
    }

    fn fields(&self) -> &[Field] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// How many fields were received, a key sent twice counting twice.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.fields().iter().any(|field| field.key == key)
    }

    /// The last value received for `key`, as JSON text exactly as received.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.last(key).map(|field| &*field.raw)
    }

    /// The last value received for `key`, parsed into a [`Value`] on first use. `None` also
    /// when a `Value` cannot hold it (a lone surrogate escape, a number beyond `f64`, nesting
    /// beyond serde_json's 128 levels): [`get_raw`](Self::get_raw) has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.last(key)?.value()
    }

    fn last(&self, key: &str) -> Option<&Field> {
        self.fields().iter().rev().find(|field| field.key == key)
    }

    /// The keys in the order received, a key sent twice appearing twice.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields().iter().map(|field| field.key.as_str())
    }

    /// The fields in the order received, each value as its JSON text.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.fields().iter())
    }

    /// Sets `key` to `value`: in place of the first field named `key` (dropping any later
    /// one), or appended.
    pub fn insert(&mut self, key: String, value: Value) {
        let raw = RawValue::from_string(value.to_string()).unwrap_or_else(|_| RawValue::NULL.to_owned());
        let field = Field { key, raw, parsed: OnceLock::from(Some(value)) };
        let fields = self.0.get_or_insert_with(Box::default);
        match fields.iter().position(|old| old.key == field.key) {
            Some(first) => {
                let key = field.key.clone();
                fields[first] = field;
                let mut index = 0;
                fields.retain(|old| {
                    index += 1;
                    index <= first + 1 || old.key != key
                });
            }
            None => fields.push(field),
        }
    }

    /// Appends a field as received, after any earlier one with the same key. The whitespace
    /// between the value's tokens is dropped, so that a field encodes the same whatever the
    /// layout of the body it came in.
    pub fn push(&mut self, key: String, raw: Box<RawValue>) {
        let raw = match raw.get().bytes().any(|b| b.is_ascii_whitespace()) {
            true => RawValue::from_string(compact(raw.get())).unwrap_or(raw),
            false => raw,
        };
        self.0.get_or_insert_with(Box::default).push(Field::new(key, raw));
    }

    /// Removes every field named `key`, returning the last value it had.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let fields = self.0.as_mut()?;
        let index = fields.iter().rposition(|field| field.key == key)?;
        let removed = fields.remove(index);
        fields.retain(|field| field.key != key);
        Some(removed.raw)
    }

    /// The fields as a map of values: one per key (the last received), in the order of first
    /// arrival. An error when a [`Value`] cannot hold one of them.
    pub fn to_map(&self) -> Result<Map<String, Value>, serde_json::Error> {
        self.iter().map(|(key, raw)| Ok((key.to_owned(), serde_json::from_str(raw.get())?))).collect()
    }
}

/// `json` without the whitespace between its tokens. Nothing else changes: not the order of
/// keys, not the spelling of numbers, not the contents of strings.
pub(crate) fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// The value of `key`, parsed (see [`UnknownFields::get`]); `null` when absent or when a
/// [`Value`] cannot hold it, as indexing a `Value` gives. Never panics.
impl Index<&str> for UnknownFields {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.iter().map(|(key, raw)| (key, raw.get())).eq(other.iter().map(|(key, raw)| (key, raw.get())))
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter().map(|(key, raw)| (key, Text(raw.get())))).finish()
    }
}

/// JSON text, shown as it is by `Debug`.
struct Text<'a>(&'a str);

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl From<Map<String, Value>> for UnknownFields {
    fn from(fields: Map<String, Value>) -> Self {
        fields.into_iter().collect()
    }
}

impl FromIterator<(String, Value)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Self {
        let mut collected = UnknownFields::new();
        for (key, value) in fields {
            collected.insert(key, value);
        }
        collected
    }
}

/// The fields in the order received, each value as its JSON text.
pub struct Iter<'a>(std::slice::Iter<'a, Field>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a RawValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|field| (field.key.as_str(), &*field.raw))
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = (&'a str, &'a RawValue);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self)
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = UnknownFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnknownFields, A::Error> {
                let mut fields = UnknownFields::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    fields.push(key.into_string(), map.next_value()?);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_map(FieldsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(key: &str) -> UnknownFields {
        [(key.to_owned(), Value::from(1))].into_iter().collect()
    }

    fn decode(json: &str) -> UnknownFields {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn is_a_pointer() {
        assert_eq!(size_of::<UnknownFields>(), size_of::<usize>());
    }

    #[test]
    fn empty_allocates_nothing_until_written() {
        let mut fields = UnknownFields::new();
        assert!(fields.0.is_none());
        assert!(fields.is_empty() && fields.get("a").is_none() && !fields.contains_key("a"));
        assert_eq!(fields["a"], Value::Null);
        assert_eq!((&fields).into_iter().count(), 0);
        fields.insert("a".to_owned(), Value::from(1));
        assert!(fields.contains_key("a"));
        assert_eq!(fields, one("a"));
    }

    #[test]
    fn equal_however_built() {
        let mut allocated_then_emptied = one("a");
        assert!(allocated_then_emptied.remove("a").is_some());
        assert!(allocated_then_emptied.0.is_some());
        assert_eq!(allocated_then_emptied, UnknownFields::new());
        assert_eq!(UnknownFields::from(Map::new()), UnknownFields::new());
        assert_eq!(decode(r#"{"a" : 1}"#), one("a"));
        assert_ne!(one("a"), one("b"));
    }

    #[test]
    fn round_trips_in_order() {
        let json = r#"{"z":1,"a":[true],"m":null}"#;
        let fields = decode(json);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(serde_json::to_string(&fields).unwrap(), json);
        assert_eq!(format!("{fields:?}"), r#"{"z": 1, "a": [true], "m": null}"#);
        assert_eq!(fields.to_map().unwrap(), serde_json::from_str::<Map<String, Value>>(json).unwrap());
        assert_eq!(serde_json::to_string(&UnknownFields::new()).unwrap(), "{}");
    }

    #[test]
    fn numbers_and_strings_keep_their_spelling() {
        let json = r#"{"big":18446744073709551616,"long":123456789012345678901234567890,"pi":3.14159265358979323846264338327950288,"tiny":1e-400,"huge":1e400,"upper":1E2,"zero":-0,"lone":"\ud800","pair":"\ud83d\ude00","plain":"😀","esc":"\u00e9\n"}"#;
        let fields = decode(json);
        assert_eq!(serde_json::to_string(&fields).unwrap(), json);
        assert_eq!(fields.get_raw("upper").unwrap().get(), "1E2");
        assert_eq!(fields["upper"], 100.0, "parsed on demand");
        assert!(fields.get("huge").is_none() && fields.get("lone").is_none(), "a Value cannot hold them");
        assert_eq!(fields["lone"], Value::Null);
        assert_eq!(fields.get_raw("lone").unwrap().get(), r#""\ud800""#);
        assert!(fields.to_map().is_err());
    }

    #[test]
    fn a_key_sent_twice_is_kept_twice_and_get_gives_the_last() {
        let json = r#"{"a":1,"b":2,"a":"x"}"#;
        let mut fields = decode(json);
        assert_eq!((fields.len(), fields["a"].as_str()), (3, Some("x")));
        assert_eq!(serde_json::to_string(&fields).unwrap(), json);
        fields.insert("a".to_owned(), Value::from(3));
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"a":3,"b":2}"#);
        assert_eq!(fields.remove("a").map(|raw| raw.get().to_owned()).as_deref(), Some("3"));
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"b":2}"#);
    }

    #[test]
    fn whitespace_between_tokens_is_dropped_and_nothing_else() {
        let fields = decode("{\"a\": {\n  \"k y\": \"x \\\" y\" ,\t\"l\": [ 1.50e3, {} ]\r\n}}");
        assert_eq!(fields.get_raw("a").unwrap().get(), r#"{"k y":"x \" y","l":[1.50e3,{}]}"#);
    }

    #[test]
    fn nesting_deeper_than_serde_json_parses_is_kept_without_recursion() {
        let depth = 100_000;
        let json = format!(r#"{{"deep":{}1{}}}"#, "[".repeat(depth), "]".repeat(depth));
        let fields = std::thread::Builder::new()
            .stack_size(2 << 20) // a tokio worker's
            .spawn(move || {
                let fields = decode(&json);
                assert_eq!(serde_json::to_string(&fields).unwrap(), json);
                fields.get("deep").is_none()
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(fields, "deeper than a Value is parsed");
    }
}
