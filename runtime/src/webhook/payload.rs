//! Decoding a callback body into one of several messages, in one pass over the bytes.
//!
//! A generated crate describes, with a [`Discriminator`], how the payloads of its messages
//! differ: a tag property whose value names the message, or properties only one message has.
//! The decoder reads the top-level object key by key. Until a key decides the message, values
//! are only scanned (kept as borrowed slices of the input, not parsed); once one does, the
//! scanned fields are handed to the chosen message's decoder, followed by the rest of the
//! object straight from the input. Nothing is parsed into a `serde_json::Value` tree first,
//! and nothing is tried and retried.

use std::cell::Cell;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::object::Key;

/// How the payload of a callback tells which of several messages it is. Messages are
/// numbered by the generated crate's [`Messages`] implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discriminator {
    /// One message only: decoded directly.
    Single(usize),
    /// A property whose value names the message: `(value, message)` pairs.
    Tag { property: &'static str, values: &'static [(&'static str, usize)] },
    /// Properties only one message has: `(key, message)` pairs. When the object ends without
    /// any of them, the `fallback` messages (those with no such property, with every property
    /// they declare) are considered: if the keys seen fit exactly one, it is chosen.
    Keys { keys: &'static [(&'static str, usize)], fallback: &'static [(usize, &'static [&'static str])] },
}

/// The messages a [`Discriminator`] chooses between; implemented by generated code.
pub trait Messages: Sized {
    /// The name of each message, by number, for error reports.
    const NAMES: &'static [&'static str];

    /// Decodes the payload of message `message`.
    fn decode<'de, D: Deserializer<'de>>(message: usize, deserializer: D) -> Result<Self, D::Error>;

    /// A callback that fits none of the messages.
    fn unknown(event: UnknownEvent) -> Self;
}

/// A callback that fits no message of the spec: a trigger added after the spec was written, or
/// a payload that does not match the schema of the message it names. The body is kept as it
/// was received, so nothing is lost, and re-encodes unchanged.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    body: Box<RawValue>,
    reason: String,
}

impl UnknownEvent {
    /// The body, exactly as received.
    pub fn body(&self) -> &RawValue {
        &self.body
    }

    /// Why no message fits, in a sentence.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl PartialEq for UnknownEvent {
    fn eq(&self, other: &Self) -> bool {
        self.body.get() == other.body.get() && self.reason == other.reason
    }
}

impl Serialize for UnknownEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

/// A body that is not JSON. The error says where (line and column).
#[derive(Debug)]
pub struct MalformedBody(serde_json::Error);

impl MalformedBody {
    pub fn line(&self) -> usize {
        self.0.line()
    }

    pub fn column(&self) -> usize {
        self.0.column()
    }
}

impl fmt::Display for MalformedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the body is not valid JSON: {}", self.0)
    }
}

impl std::error::Error for MalformedBody {}

/// How deep a value decoded into a typed field may nest, counting the body's own object as the
/// first level (a field sent before the property that names the message counts from itself):
/// serde_json's recursion limit, which bounds what decoding uses of the stack (about 3 KB a
/// level in a debug build; a tokio worker has 2 MiB). A body whose typed fields nest deeper
/// is kept as an [`UnknownEvent`] with the reason. Values the spec does not describe (unknown
/// fields, unknown events) are kept as text, read without recursion, and may nest as deep as
/// the body size limit allows.
const MAX_TYPED_DEPTH: usize = 127;

/// Decodes `body` into the message the discriminator picks, or into an unknown event when
/// it fits none. Only a body that is not JSON (RFC 8259, in UTF-8) is an error: lone
/// surrogate escapes, numbers of any size and any depth are JSON. Typed fields nest at most
/// 127 levels deep (see the README); a body that nests deeper there is an unknown event.
pub fn decode<T: Messages>(body: &[u8], discriminator: &Discriminator) -> Result<T, MalformedBody> {
    let direct = match *discriminator {
        Discriminator::Single(message) => Some(message),
        Discriminator::Tag { property, values } => leading_tag(body, property, values),
        Discriminator::Keys { .. } => None,
    };
    // Checked once here as UTF-8, the body is read as text: `from_slice` checks each string
    // and each borrowed raw value on its own, a call per string. The message types are only
    // ever decoded from text, so each is compiled for one reader (a second doubled the
    // generated crates' release build time).
    let text = std::str::from_utf8(body).map_err(|_| not_utf8(body))?;
    match direct {
        Some(message) => decode_as(text, message),
        None => route(text, discriminator),
    }
}

/// The error for a body that is not UTF-8: the one `from_slice` gives, with line and column
/// (JSON text is UTF-8, so it refuses such a body at its first string that is not).
fn not_utf8(body: &[u8]) -> MalformedBody {
    let error = serde_json::from_slice::<serde_json::Value>(body)
        .err()
        .unwrap_or_else(|| de::Error::custom("the body is not UTF-8"));
    MalformedBody(error)
}

/// Decodes `body` as message `message`, as `serde_json::from_slice` would. Written without
/// intermediate wrappers: a decoded message is a large value (hundreds of bytes to kilobytes),
/// and each wrapper it passes through is a copy that showed in profiles.
fn decode_as<T: Messages>(body: &str, message: usize) -> Result<T, MalformedBody> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    match T::decode(message, &mut deserializer) {
        Ok(decoded) => match deserializer.end() {
            Ok(()) => Ok(decoded),
            Err(error) => Err(MalformedBody(error)),
        },
        Err(error) => unknown(body, || mismatch::<T>(body, Some(message), error)),
    }
}

/// Reads the object key by key until one decides the message (see the module docs).
fn route<T: Messages>(body: &str, discriminator: &Discriminator) -> Result<T, MalformedBody> {
    let chosen = Cell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let lengths = match *discriminator {
        Discriminator::Keys { keys, .. } => KeyLengths::of(keys),
        _ => KeyLengths::default(),
    };
    let mut decoded = None;
    let visitor = RouteVisitor::<T> { discriminator, lengths, chosen: &chosen, decoded: &mut decoded };
    let result = deserializer.deserialize_map(visitor);
    match result.and_then(|step| deserializer.end().map(|()| step)) {
        Ok(Step::Message) => decoded.ok_or_else(unreachable_step),
        Ok(Step::NoMatch) => unknown(body, || no_match(discriminator)),
        Ok(Step::Conflict { chosen, rival }) => unknown(body, || conflict::<T>(chosen, rival)),
        Err(error) => unknown(body, || mismatch::<T>(body, chosen.get(), error)),
    }
}

/// The message named by the tag when the tag is the object's first property, read straight
/// from the bytes: then the body is decoded as that message directly, exactly as when its type
/// is known in advance, with no field kept aside and replayed. The tag comes first in most
/// callbacks (Sinch's SMS callbacks start with `type`). Anything unusual (an escape, a tag that
/// is not a plain string, another first property) is left to the general path.
fn leading_tag(body: &[u8], property: &str, values: &[(&str, usize)]) -> Option<usize> {
    let rest = skip_whitespace(body).strip_prefix(b"{")?;
    let (key, rest) = plain_string(skip_whitespace(rest))?;
    if key != property.as_bytes() {
        return None;
    }
    let rest = skip_whitespace(rest).strip_prefix(b":")?;
    let (value, _) = plain_string(skip_whitespace(rest))?;
    values.iter().find(|(candidate, _)| candidate.as_bytes() == value).map(|&(_, message)| message)
}

fn skip_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(bytes.len());
    &bytes[start..]
}

/// A JSON string without escapes at the start of `bytes`: its contents and what follows it.
fn plain_string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = bytes.strip_prefix(b"\"")?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    (rest[end] == b'"').then(|| (&rest[..end], &rest[end + 1..]))
}

/// What reading the object found. The decoded message itself is not carried in it but written
/// to [`RouteVisitor::decoded`]: it is large, and every layer it would be returned through is
/// another copy (a fifth of the time of a routed decode, measured).
enum Step {
    /// The message is in `decoded`.
    Message,
    NoMatch,
    /// Keys of two messages in one body: which one it is would depend on key order.
    Conflict {
        chosen: usize,
        rival: usize,
    },
}

/// `Step::Message` is only returned once the message is stored; should that ever not hold, the
/// body is reported as not JSON rather than panicking in a receiver.
fn unreachable_step() -> MalformedBody {
    MalformedBody(de::Error::custom("internal: a decoded message went missing"))
}

/// Keeps a body that fits no message as an unknown event, if it is JSON: a decoder's error
/// is also what it gives for JSON that a typed field cannot hold (a lone surrogate escape in
/// a `String`, `1e400` in an `f64`, nesting beyond [`MAX_TYPED_DEPTH`]), and such a body must
/// not be refused (a sender does not retry a 400). serde_json checks the body here without
/// recursion, however deep it nests.
fn unknown<T: Messages>(body: &str, reason: impl FnOnce() -> String) -> Result<T, MalformedBody> {
    let body: Box<RawValue> = serde_json::from_str(body).map_err(MalformedBody)?;
    Ok(T::unknown(UnknownEvent { body, reason: reason() }))
}

fn no_match(discriminator: &Discriminator) -> String {
    match discriminator {
        Discriminator::Tag { property, .. } => {
            format!("the body is not an object whose `{property}` names a known message")
        }
        _ => "the body is not an object with the properties of a known message".to_owned(),
    }
}

fn conflict<T: Messages>(chosen: usize, rival: usize) -> String {
    let name = |message: usize| T::NAMES.get(message).copied().unwrap_or("?");
    format!(
        "the body has properties that only message `{}` has and others that only `{}` has",
        name(chosen),
        name(rival)
    )
}

/// Why the body does not fit the message it was routed to. The error is taken from decoding
/// the whole body again (only on this failure path) so that its line and column are those
/// of the body, not of the slice that was being read.
fn mismatch<T: Messages>(body: &str, chosen: Option<usize>, error: serde_json::Error) -> String {
    let Some(message) = chosen else {
        return format!("the body is not an object: {error}");
    };
    let name = T::NAMES.get(message).copied().unwrap_or("?");
    let error = T::decode(message, &mut serde_json::Deserializer::from_str(body)).err().unwrap_or(error);
    if error.is_data() {
        return format!("the body looks like message `{name}` but does not match its schema: {error}");
    }
    format!(
        "the body looks like message `{name}` but holds JSON its typed fields cannot (a lone surrogate \
         escape in a string, a number beyond f64, nesting deeper than {MAX_TYPED_DEPTH} levels): {error}"
    )
}

struct RouteVisitor<'c, T> {
    discriminator: &'c Discriminator,
    /// The lengths of a `Keys` discriminator's keys.
    lengths: KeyLengths,
    chosen: &'c Cell<Option<usize>>,
    /// Where the decoded message is put (see [`Step`]).
    decoded: &'c mut Option<T>,
}

/// A field read before the message was known: its key and its unparsed value.
type Scanned<'de> = (Key<'de>, &'de RawValue);

impl<'de, T: Messages> Visitor<'de> for RouteVisitor<'_, T> {
    type Value = Step;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
        // Allocated only if a field comes before the deciding one: a tag usually comes first.
        let mut scanned: Vec<Scanned<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match *self.discriminator {
                Discriminator::Tag { property, values } if key.as_str() == property => {
                    let raw: &'de RawValue = map.next_value()?;
                    let message = tag_value(raw).and_then(|value| lookup(values, value.as_str()));
                    return match message {
                        Some(message) => self.finish(message, scanned, Some((key, Some(raw))), map),
                        None => drain(map),
                    };
                }
                Discriminator::Keys { keys, .. } => {
                    if let Some(message) = self.lengths.lookup(keys, key.as_str()) {
                        return self.finish(message, scanned, Some((key, None)), map);
                    }
                    scanned.push((key, map.next_value()?));
                }
                _ => scanned.push((key, map.next_value()?)),
            }
        }
        match fitting_fallback(self.discriminator, &scanned) {
            Some(message) => self.finish(message, scanned, None, map),
            None => Ok(Step::NoMatch),
        }
    }
}

impl<'de, T: Messages> RouteVisitor<'_, T> {
    /// Decodes message `message` from the fields scanned so far, then `pending` (the deciding
    /// key, with its value if it was read), then the rest of `map`.
    fn finish<A: MapAccess<'de>>(
        self,
        message: usize,
        scanned: Vec<Scanned<'de>>,
        pending: Option<Pending<'de>>,
        map: A,
    ) -> Result<Step, A::Error> {
        self.chosen.set(Some(message));
        let rivals = match *self.discriminator {
            Discriminator::Keys { keys, .. } => keys,
            _ => &[],
        };
        let rival = Cell::new(None);
        let replay = Replay {
            scanned: scanned.into_iter(),
            value: None,
            pending,
            map,
            rivals,
            rival_lengths: self.lengths,
            chosen: message,
            rival: &rival,
        };
        *self.decoded = Some(T::decode(message, MapAccessDeserializer::new(replay))?);
        Ok(match rival.get() {
            Some(rival) => Step::Conflict { chosen: message, rival },
            None => Step::Message,
        })
    }
}

/// The lengths of a table's keys as a bit set (bit 63: 63 bytes or more), so that a key of
/// another length is passed over without comparing it with every entry. A Conversation body has
/// half a dozen envelope fields before the one that names its message, and there are some
/// twenty such keys: compared one by one, that cost as much as decoding the envelope.
#[derive(Debug, Clone, Copy, Default)]
struct KeyLengths(u64);

impl KeyLengths {
    fn of(table: &[(&str, usize)]) -> Self {
        KeyLengths(table.iter().fold(0, |bits, (key, _)| bits | Self::bit(key)))
    }

    fn bit(key: &str) -> u64 {
        1 << key.len().min(63)
    }

    /// [`lookup`], for a `table` these lengths were taken `of`.
    fn lookup(self, table: &[(&str, usize)], key: &str) -> Option<usize> {
        if self.0 & Self::bit(key) == 0 {
            return None;
        }
        lookup(table, key)
    }
}

fn lookup(table: &[(&str, usize)], key: &str) -> Option<usize> {
    table.iter().find(|(candidate, _)| *candidate == key).map(|&(_, message)| message)
}

/// The tag's value when it is a string.
fn tag_value(raw: &RawValue) -> Option<Key<'_>> {
    Key::deserialize(raw).ok()
}

/// Reads the rest of an object without keeping it: the body is kept whole by the caller.
fn drain<'de, A: MapAccess<'de>>(mut map: A) -> Result<Step, A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(Step::NoMatch)
}

/// The one fallback message whose declared properties include every key seen, if exactly one.
fn fitting_fallback(discriminator: &Discriminator, scanned: &[Scanned<'_>]) -> Option<usize> {
    let Discriminator::Keys { fallback, .. } = discriminator else {
        return None;
    };
    let mut fitting =
        fallback.iter().filter(|(_, declared)| scanned.iter().all(|(key, _)| declared.contains(&key.as_str())));
    match (fitting.next(), fitting.next()) {
        (Some(&(message, _)), None) => Some(message),
        _ => None,
    }
}

/// The key that decided the message, and its value when it was read to decide (a tag's).
type Pending<'de> = (Key<'de>, Option<&'de RawValue>);

/// The fields of an object as a map again: first those already scanned, then the pending
/// key, then whatever the underlying map still holds. A key of the underlying map that
/// decides for another message than `chosen` is noted in `rival`.
struct Replay<'de, 'c, A> {
    scanned: std::vec::IntoIter<Scanned<'de>>,
    /// The value of the scanned key returned last, if its value has not been read yet.
    value: Option<&'de RawValue>,
    pending: Option<Pending<'de>>,
    map: A,
    rivals: &'static [(&'static str, usize)],
    rival_lengths: KeyLengths,
    chosen: usize,
    rival: &'c Cell<Option<usize>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, raw)) = self.scanned.next() {
            self.value = Some(raw);
            return key_seed(seed, key).map(Some);
        }
        if let Some((key, value)) = self.pending.take() {
            self.value = value;
            return key_seed(seed, key).map(Some);
        }
        self.value = None;
        if self.rivals.is_empty() {
            return self.map.next_key_seed(seed);
        }
        let Some(key) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        if let Some(other) = self.rival_lengths.lookup(self.rivals, key.as_str()).filter(|&other| other != self.chosen)
        {
            self.rival.set(Some(other));
        }
        key_seed(seed, key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(raw) => seed.deserialize(raw).map_err(de::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }
}

fn key_seed<'de, K: DeserializeSeed<'de>, E: de::Error>(seed: K, key: Key<'de>) -> Result<K::Value, E> {
    match key.into_cow() {
        std::borrow::Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
        std::borrow::Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
    }
}

/// A key that is the same for retries of one callback: the message's key, `:`, then the
/// values of its `x-dedup-key` pointers: the value itself when there is one, else a JSON
/// array of the values (unambiguous whatever they contain). `None` when one is missing.
/// Naming the message keeps apart two callbacks about one thing (an inbound message and the
/// analysis of that message carry the same message id).
pub fn dedup_key(message: &str, parts: &[Option<String>]) -> Option<String> {
    let values = match parts {
        [single] => single.clone()?,
        _ => {
            let parts: Option<Vec<&str>> = parts.iter().map(Option::as_deref).collect();
            serde_json::to_string(&parts?).ok()?
        }
    };
    Some(format!("{message}:{values}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UnknownFields;

    #[derive(Debug, PartialEq)]
    pub struct Text {
        pub kind: String,
        pub body: Option<String>,
        pub unknown_fields: UnknownFields,
    }
    crate::object!(Text { "type" => kind: required, "body" => body: optional } unknown unknown_fields);

    #[derive(Debug, PartialEq)]
    pub struct Media {
        pub kind: String,
        pub url: Option<String>,
        pub meta: Option<serde_json::Value>,
        pub unknown_fields: UnknownFields,
    }
    crate::object!(Media { "type" => kind: required, "url" => url: optional, "meta" => meta: optional } unknown unknown_fields);

    #[derive(Debug, PartialEq)]
    enum Message {
        Text(Text),
        Media(Media),
        Unknown(UnknownEvent),
    }

    impl Messages for Message {
        const NAMES: &'static [&'static str] = &["Text", "Media"];

        fn decode<'de, D: Deserializer<'de>>(message: usize, deserializer: D) -> Result<Self, D::Error> {
            match message {
                0 => Text::deserialize(deserializer).map(Message::Text),
                1 => Media::deserialize(deserializer).map(Message::Media),
                _ => Err(de::Error::custom("no such message")),
            }
        }

        fn unknown(event: UnknownEvent) -> Self {
            Message::Unknown(event)
        }
    }

    impl Serialize for Message {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Message::Text(text) => text.serialize(serializer),
                Message::Media(media) => media.serialize(serializer),
                Message::Unknown(event) => event.serialize(serializer),
            }
        }
    }

    const TAG: Discriminator =
        Discriminator::Tag { property: "type", values: &[("text", 0), ("media", 1), ("media_v2", 1)] };
    const KEYS: Discriminator = Discriminator::Keys { keys: &[("url", 1)], fallback: &[(0, &["type", "body"])] };

    fn decode_str(body: &str, discriminator: &Discriminator) -> Message {
        decode(body.as_bytes(), discriminator).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    /// Decodes `body` and checks that encoding the result gives the same JSON value.
    fn round_trip(body: &str, discriminator: &Discriminator) -> Message {
        let message = decode_str(body, discriminator);
        let again: serde_json::Value = serde_json::to_value(&message).unwrap();
        assert_eq!(again, serde_json::from_str::<serde_json::Value>(body).unwrap(), "re-encoding changes {body}");
        message
    }

    #[test]
    fn a_tag_anywhere_in_the_object_picks_the_message_and_keeps_field_order() {
        let early = round_trip(r#"{"type":"media","url":"u","extra":[1,{"a":null}]}"#, &TAG);
        assert!(
            matches!(&early, Message::Media(m) if m.url.as_deref() == Some("u") && m.unknown_fields.contains_key("extra"))
        );
        let late = round_trip(r#"{"url":"u","extra":{"deep":[true]},"type":"media_v2"}"#, &TAG);
        assert!(matches!(&late, Message::Media(m) if m.kind == "media_v2"));
        assert!(matches!(round_trip(r#"{"body":"hi","type":"text"}"#, &TAG), Message::Text(_)));
    }

    #[test]
    fn a_leading_tag_read_from_the_bytes_decodes_as_the_general_path_does() {
        for body in [
            " {\n \"type\" : \"media\" ,\"url\":\"u\"}",
            r#"{"type":"me\u0064ia","url":"u"}"#,
            r#"{"\u0074ype":"media","url":"u"}"#,
            r#"{"url":"u","type":"media"}"#,
        ] {
            assert!(matches!(round_trip(body, &TAG), Message::Media(m) if m.url.as_deref() == Some("u")), "{body}");
        }
        assert!(matches!(decode_str(r#"{"type":"media","type":"text"}"#, &TAG), Message::Unknown(_)));
        assert!(decode::<Message>(br#"{"type":"text","body":"#, &TAG).is_err(), "a truncated body is not JSON");
    }

    #[test]
    fn an_unknown_or_missing_tag_is_an_unknown_event_keeping_the_body() {
        for body in [r#"{"type":"hologram","url":"u"}"#, r#"{"url":"u"}"#, r#"{"type":7}"#, "[1,2]", r#""text""#] {
            let Message::Unknown(event) = decode_str(body, &TAG) else {
                panic!("{body} should be unknown");
            };
            assert_eq!(event.body().get(), body);
            assert!(!event.reason().is_empty());
        }
    }

    #[test]
    fn a_key_only_one_message_has_picks_it_and_the_fallback_needs_every_key_declared() {
        assert!(matches!(round_trip(r#"{"type":"x","url":"u","z":1}"#, &KEYS), Message::Media(_)));
        assert!(matches!(round_trip(r#"{"type":"x","body":"b"}"#, &KEYS), Message::Text(_)));
        assert!(matches!(decode_str(r#"{"type":"x","other":1}"#, &KEYS), Message::Unknown(_)));
    }

    #[test]
    fn keys_of_two_messages_in_one_body_are_unknown_whatever_their_order() {
        const BOTH: Discriminator = Discriminator::Keys { keys: &[("body", 0), ("url", 1)], fallback: &[] };
        for body in [r#"{"type":"x","body":"b","url":"u"}"#, r#"{"url":"u","type":"x","body":"b"}"#] {
            let Message::Unknown(event) = decode_str(body, &BOTH) else {
                panic!("{body} has keys of Text and Media");
            };
            assert!(event.reason().contains("`Text`") && event.reason().contains("`Media`"), "{}", event.reason());
            assert_eq!(event.body().get(), body);
        }
        assert!(matches!(decode_str(r#"{"url":"u","type":"x","url2":1}"#, &BOTH), Message::Media(_)));
    }

    #[test]
    fn a_payload_that_does_not_fit_its_message_is_unknown_with_a_precise_reason() {
        let body = "{\"type\":\"text\",\n\"body\":42}";
        let Message::Unknown(event) = decode_str(body, &TAG) else {
            panic!("a number body should not decode as Text");
        };
        assert!(event.reason().contains("`Text`"), "{}", event.reason());
        assert!(event.reason().contains("line 2"), "{}", event.reason());
        let Message::Unknown(missing) = decode_str(r#"{"body":"b","url":"u"}"#, &Discriminator::Single(0)) else {
            panic!("a body without its required type should not decode as Text");
        };
        assert!(missing.reason().contains("missing field `type`"), "{}", missing.reason());
    }

    #[test]
    fn only_a_body_that_is_not_json_is_an_error_and_it_says_where() {
        for (body, line) in [("{\"type\":\"text\",\n\"body\":", 2), ("", 1), ("{\"type\":\"text\"} trailing", 1)] {
            let error = decode::<Message>(body.as_bytes(), &TAG).unwrap_err();
            assert_eq!(error.line(), line, "{body}: {error}");
            assert!(error.to_string().starts_with("the body is not valid JSON"), "{error}");
        }
        let error = decode::<Message>(br#"{"url":"u", oops}"#, &TAG).unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 13), "{error}");
        for body in
            [r#"{"type":"text","body":"\ud80"}"#, r#"{"type":"media","meta":1e}"#, r#"{"type":"text","x":[[[1]]}"#]
        {
            let error = decode::<Message>(body.as_bytes(), &TAG).unwrap_err();
            assert!(error.to_string().starts_with("the body is not valid JSON"), "{error}");
        }
    }

    #[test]
    fn a_body_that_is_not_utf8_is_refused_where_from_slice_refuses_it() {
        for body in [&b"{\"type\":\"text\",\n\"body\":\"\xff\"}"[..], b"{\"url\":\"u\",\n \"x\":\"\xc3\"}"] {
            let expected = serde_json::from_slice::<serde_json::Value>(body).unwrap_err();
            for discriminator in [&TAG, &KEYS] {
                let error = decode::<Message>(body, discriminator).unwrap_err();
                assert_eq!((error.line(), error.column()), (expected.line(), expected.column()), "{error}");
            }
        }
    }

    #[test]
    fn escaped_keys_and_duplicate_fields_are_handled_as_serde_would() {
        assert!(matches!(decode_str(r#"{"\u0074ype":"text"}"#, &TAG), Message::Text(_)));
        let Message::Text(text) = decode_str(r#"{"b\u006fdy":"b","type":"text"}"#, &TAG) else {
            panic!("escaped key");
        };
        assert_eq!(text.body.as_deref(), Some("b"));
        assert!(matches!(decode_str(r#"{"type":"text","type":"text"}"#, &TAG), Message::Unknown(_)));
    }

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn json_a_typed_field_cannot_hold_is_an_unknown_event_keeping_the_body() {
        let too_deep = format!(r#"{{"type":"media","meta":{}}}"#, nested(MAX_TYPED_DEPTH));
        let too_deep_before_the_tag = format!(r#"{{"meta":{},"type":"media"}}"#, nested(MAX_TYPED_DEPTH + 1));
        for body in [
            r#"{"type":"text","body":"cut in an emoji \ud83d"}"#,
            r#"{"body":"\udc00","type":"text"}"#,
            r#"{"type":"text","\ud800":1}"#,
            r#"{"type":"media","meta":1e400}"#,
            r#"{"meta":-1e400,"type":"media"}"#,
            &too_deep,
            &too_deep_before_the_tag,
        ] {
            let Message::Unknown(event) = decode_str(body, &TAG) else {
                panic!("{body} has JSON that a typed field cannot hold");
            };
            assert_eq!(event.body().get(), body);
            assert!(event.reason().contains("holds JSON its typed fields cannot"), "{}", event.reason());
        }
    }

    #[test]
    fn typed_values_nest_up_to_the_documented_depth() {
        for body in [
            format!(r#"{{"type":"media","meta":{}}}"#, nested(MAX_TYPED_DEPTH - 1)),
            format!(r#"{{"meta":{},"type":"media"}}"#, nested(MAX_TYPED_DEPTH - 1)),
        ] {
            assert!(matches!(round_trip(&body, &TAG), Message::Media(m) if m.meta.is_some()), "{body}");
        }
    }

    #[test]
    fn unknown_fields_keep_what_a_typed_field_could_not_as_received() {
        let deep = nested(100_000);
        let unknown = [
            r#""x":"\ud800","n":1e400,"big":18446744073709551616,"n":1E2,"z":-0,"e":1e-400"#,
            r#""n":0.1000000000000000000000000001,"n":123456789012345678901234567890"#,
            &format!(r#""deep":{deep}"#),
        ];
        for fields in unknown {
            // Named fields are encoded first, then the others in the order received.
            let encoded = format!(r#"{{"type":"text",{fields}}}"#);
            for body in [encoded.clone(), format!(r#"{{{fields},"type":"text"}}"#)] {
                let message = decode_str(&body, &TAG);
                assert!(matches!(message, Message::Text(_)), "{body}");
                assert_eq!(serde_json::to_string(&message).unwrap(), encoded);
            }
        }
    }

    #[test]
    fn dedup_key_names_the_message_then_the_value_or_an_unambiguous_list() {
        assert_eq!(dedup_key("Text", &[Some("id-1".into())]), Some("Text:id-1".into()));
        assert_eq!(dedup_key("Text", &[Some("b:1".into()), Some("r".into())]), Some(r#"Text:["b:1","r"]"#.into()));
        assert_eq!(dedup_key("Text", &[Some("b".into()), None]), None);
    }
}
