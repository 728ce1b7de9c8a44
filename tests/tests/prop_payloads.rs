//! Property tests: random payloads built from the specs' schemas decode into the generated
//! types of the committed Sinch crates and encode back to the same JSON.
//!
//! The strategy for a type is built from the IR that `hookwright::spec::read` gives for the spec,
//! and the Rust type is found by the name `hookwright::naming::resolve` gives that IR type, so
//! both sides describe one schema. Values follow the schema (required fields always, optional
//! ones sometimes, sometimes as an explicit `null`; enum values listed or not; integers within
//! their width and bounds; finite numbers; RFC 3339 date-times with offsets and fractions) and
//! sometimes carry a property the schema does not name, which must be kept.
//!
//! Re-encoding must reproduce the input, except that a `number` compares numerically (`1`
//! comes back as `1.0`) and a `date-time` compares as the same instant in the same offset
//! (the runtime writes the shortest of 0, 3, 6 or 9 fractional digits, and `Z` for UTC).
//! Encoding what was decoded, decoded again, must give the same JSON exactly.
//!
//! Then JSON as text, at the generated receivers: random bodies, and random fields the spec
//! does not name added to recorded messages, with numbers and strings a `Value` cannot hold
//! (integers beyond 64 bits, `1e400`, lone surrogate escapes), repeated keys and nesting deeper
//! than serde_json recurses. Every body is accepted; unknown fields re-encode exactly as sent.
//!
//! 64 cases per type by default; `PROPTEST_CASES=1000` runs more.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use hookwright::ir::{integer_bound, Api, Constraints, IntWidth, Ty, TypeId, TypeKind};
use hookwright::naming::Names;
use hookwright_runtime::webhook::{Callback, Decode, Receiver, Verifier};
use hookwright_runtime::Timestamp;
use http::HeaderMap;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// Nesting of named types below the root that optional fields, arrays and maps may reach.
const DEPTH: u32 = 6;

/// A spec read into the IR, with its resolved names.
struct Spec {
    api: Api,
    names: Names,
}

fn spec(file: &str) -> &'static Spec {
    static SPECS: OnceLock<HashMap<&'static str, Spec>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        [
            "sinch-sms-webhooks.asyncapi.yaml",
            "sinch-conversation-webhooks.asyncapi.yaml",
            "sinch-provisioning.openapi.yaml",
        ]
        .into_iter()
        .map(|file| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(file);
            let api = hookwright::spec::read(&path).unwrap_or_else(|e| panic!("{e}"));
            let names = hookwright::naming::resolve(&api);
            (file, Spec { api, names })
        })
        .collect()
    });
    &specs[file]
}

impl Spec {
    /// The IR type whose Rust name is `name`.
    fn type_named(&self, name: &str) -> TypeId {
        let index = self.names.types.iter().position(|n| n.name == name);
        TypeId(index.unwrap_or_else(|| panic!("no type named {name} in the IR")))
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies: JSON values that a schema allows.
// ---------------------------------------------------------------------------------------------

/// Builds the strategy of each named type once per remaining depth.
struct Builder<'a> {
    api: &'a Api,
    memo: HashMap<(TypeId, u32), BoxedStrategy<Value>>,
    /// Named types being built with no depth left: a required cycle would never end.
    building: HashSet<TypeId>,
}

impl<'a> Builder<'a> {
    fn new(api: &'a Api) -> Self {
        Builder { api, memo: HashMap::new(), building: HashSet::new() }
    }

    fn ty(&mut self, ty: &Ty, constraints: &Constraints, depth: u32) -> BoxedStrategy<Value> {
        match ty {
            Ty::String | Ty::Secret => string().boxed(),
            Ty::Integer(width) => integer(*width, constraints),
            Ty::Number => number(constraints),
            Ty::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
            Ty::DateTime => date_time().prop_map(Value::String).boxed(),
            Ty::Any if depth == 0 => json_scalar(),
            Ty::Any => json_any(),
            Ty::FreeObject if depth == 0 => Just(Value::Object(Map::new())).boxed(),
            Ty::FreeObject => prop::collection::vec((key(), json_any()), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect()))
                .boxed(),
            Ty::Array(item) => {
                let min = constraints.min_items.unwrap_or(0).min(3) as usize;
                let max = match depth {
                    0 => min,
                    _ => constraints.max_items.map_or(3, |m| m.min(3) as usize).max(min),
                };
                let item = self.ty(item, &Constraints::default(), depth.saturating_sub(1));
                prop::collection::vec(item, min..=max).prop_map(Value::Array).boxed()
            }
            Ty::Map(value) => {
                let max = if depth == 0 { 0 } else { 3 };
                let value = self.ty(value, &Constraints::default(), depth.saturating_sub(1));
                prop::collection::vec((key(), value), 0..=max)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect()))
                    .boxed()
            }
            Ty::Named(id) => self.named(*id, depth),
            Ty::Nullable(inner) => {
                let inner = self.ty(inner, constraints, depth);
                prop_oneof![1 => Just(Value::Null), 3 => inner].boxed()
            }
        }
    }

    fn named(&mut self, id: TypeId, depth: u32) -> BoxedStrategy<Value> {
        if let Some(strategy) = self.memo.get(&(id, depth)) {
            return strategy.clone();
        }
        if depth == 0 && !self.building.insert(id) {
            panic!("type {id:?} requires itself: no finite value exists");
        }
        let strategy = match &self.api.types[id.0].kind {
            TypeKind::Enum { values } => {
                prop_oneof![4 => select(values.clone()), 1 => string_text()].prop_map(Value::String).boxed()
            }
            TypeKind::Alias(ty) => self.ty(&ty.clone(), &Constraints::default(), depth),
            // With no depth left, only the catch-all: a variant may be the union itself.
            TypeKind::Union { .. } if depth == 0 => json_scalar(),
            TypeKind::Union { variants, tag } => {
                let (variants, tag) = (variants.clone(), tag.clone());
                let mut choices: Vec<(u32, BoxedStrategy<Value>)> = Vec::new();
                for variant in &variants {
                    let value = self.ty(&variant.ty, &Constraints::default(), depth - 1);
                    let value = match (&tag, variant.tags.is_empty()) {
                        (Some(tag), false) => {
                            let tag = tag.clone();
                            (value, select(variant.tags.clone()))
                                .prop_map(move |(mut value, tag_value)| {
                                    if let Value::Object(object) = &mut value {
                                        object.insert(tag.clone(), Value::String(tag_value));
                                    }
                                    value
                                })
                                .boxed()
                        }
                        _ => value,
                    };
                    choices.push((4, value));
                }
                // A value no variant describes is kept as it is.
                choices.push((1, json_any()));
                prop::strategy::Union::new_weighted(choices).boxed()
            }
            TypeKind::Tuple { items, rest } => {
                let (items, rest) = (items.clone(), rest.clone());
                let positions: Vec<_> =
                    items.iter().map(|ty| self.ty(ty, &Constraints::default(), depth.saturating_sub(1))).collect();
                let extra = match (&rest, depth) {
                    (Some(ty), 1..) => {
                        let item = self.ty(ty, &Constraints::default(), depth - 1);
                        prop::collection::vec(item, 0..=2).boxed()
                    }
                    _ => Just(Vec::new()).boxed(),
                };
                (positions, extra)
                    .prop_map(|(mut positions, extra)| {
                        positions.extend(extra);
                        Value::Array(positions)
                    })
                    .boxed()
            }
            TypeKind::Struct { fields } => {
                let fields = fields.clone();
                let wires: HashSet<String> = fields.iter().map(|f| f.wire.clone()).collect();
                let mut parts = Vec::with_capacity(fields.len());
                for field in &fields {
                    let value = self.ty(&field.ty, &field.constraints, depth.saturating_sub(1));
                    let wire = field.wire.clone();
                    let part = if field.required {
                        value.prop_map(move |v| Some((wire.clone(), v))).boxed()
                    } else if depth == 0 {
                        Just(None).boxed()
                    } else {
                        let null_wire = wire.clone();
                        prop_oneof![
                            5 => Just(None),
                            5 => value.prop_map(move |v| Some((wire.clone(), v))),
                            1 => Just(Some((null_wire, Value::Null))),
                        ]
                        .boxed()
                    };
                    parts.push(part);
                }
                let unknown = prop::option::weighted(0.25, (key(), json_any()));
                (parts.prop_shuffle(), unknown)
                    .prop_map(move |(parts, unknown)| {
                        let mut object: Map<String, Value> = parts.into_iter().flatten().collect();
                        if let Some((key, value)) = unknown.filter(|(key, _)| !wires.contains(key)) {
                            object.insert(key, value);
                        }
                        Value::Object(object)
                    })
                    .boxed()
            }
        };
        self.building.remove(&id);
        self.memo.insert((id, depth), strategy.clone());
        strategy
    }
}

/// Text of any kind: plain words, or arbitrary Unicode.
fn string_text() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-zA-Z0-9 _.-]{0,12}",
        any::<String>(),
        select(vec!["", " ", "null", "true", "0", "\u{0}", "\"\\", "日本語", "😀", "\u{2028}"]).prop_map(str::to_owned),
    ]
    .boxed()
}

fn string() -> impl Strategy<Value = Value> {
    string_text().prop_map(Value::String)
}

/// An object key: a plain name or arbitrary text.
fn key() -> BoxedStrategy<String> {
    prop_oneof![3 => "[a-z_][a-zA-Z0-9_]{0,10}", 1 => any::<String>()].boxed()
}

fn integer(width: IntWidth, constraints: &Constraints) -> BoxedStrategy<Value> {
    // A JSON number decoded as a `Value` holds at most a `u64` or an `i64`.
    let (min, max) = width.range();
    let (min, max) = (min.max(i64::MIN.into()), max.min(u64::MAX.into()));
    // Bounds beyond the width's range are clamped to it.
    let bound = |n: &Option<serde_json::Number>, up: bool| n.as_ref().and_then(|n| integer_bound(n, up));
    let low = bound(&constraints.minimum, true).map_or(min, |m| m.clamp(min, max));
    let high = bound(&constraints.maximum, false).map_or(max, |m| m.clamp(min, max));
    assert!(low <= high, "empty integer range {constraints:?}");
    let small = (low.max(-1000))..=(high.min(1000).max(low.max(-1000)));
    prop_oneof![
        3 => low..=high,
        3 => small,
        1 => select(vec![low, high]),
    ]
    .prop_map(|n| match i64::try_from(n) {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(u64::try_from(n).expect("within u64")),
    })
    .boxed()
}

fn number(constraints: &Constraints) -> BoxedStrategy<Value> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let (low, high) =
        (bound(&constraints.minimum).unwrap_or(f64::MIN), bound(&constraints.maximum).unwrap_or(f64::MAX));
    prop_oneof![
        3 => (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO).prop_map(Value::from),
        2 => (-1_000_000i64..1_000_000).prop_map(Value::from),
        2 => (-100_000i64..100_000).prop_map(|n| Value::from(n as f64 / 100.0)),
        1 => select(vec![0.5, -0.0, 1e-300, 9_007_199_254_740_993.0, 1.7976931348623157e308]).prop_map(Value::from),
    ]
    .prop_filter("within the schema's bounds", move |v| v.as_f64().is_some_and(|n| n >= low && n <= high))
    .boxed()
}

/// An RFC 3339 date-time: any year, offsets `Z`, `z` or `±hh:mm`, 0 to 9 fractional digits;
/// sometimes a leap second or the zone-less form the runtime also accepts.
fn date_time() -> BoxedStrategy<String> {
    let year = prop_oneof![4 => 1970u32..2100, 1 => 0u32..=9999];
    let date = (year, 1u32..=12, 1u32..=31).prop_map(|(year, month, day)| {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        format!("{year:04}-{month:02}-{:02}", day.min(days))
    });
    let time = (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"));
    let fraction = prop_oneof![2 => Just(String::new()), 3 => "[0-9]{1,9}".prop_map(|d| format!(".{d}"))];
    let zone = prop_oneof![
        3 => Just("Z".to_owned()),
        1 => Just("z".to_owned()),
        3 => (select(vec!['+', '-']), 0u32..24, 0u32..60).prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
        1 => Just(String::new()),
    ];
    let separator = select(vec!['T', 't']);
    let regular = (date, separator, time, fraction, zone).prop_map(|(date, separator, time, fraction, zone)| {
        // The zone-less form is not RFC 3339 but what some senders write, always with `T`.
        let separator = if zone.is_empty() { 'T' } else { separator };
        format!("{date}{separator}{time}{fraction}{zone}")
    });
    let leap_seconds = select(vec!["2016-12-31T23:59:60Z", "1990-12-31T15:59:60-08:00", "2016-12-31T23:59:60.5+00:00"]);
    prop_oneof![30 => regular, 1 => leap_seconds.prop_map(str::to_owned)].boxed()
}

fn json_scalar() -> BoxedStrategy<Value> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, ZERO};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (POSITIVE | NEGATIVE | NORMAL | ZERO).prop_map(Value::from),
        string(),
    ]
    .boxed()
}

/// Any JSON value, nested a few levels.
fn json_any() -> BoxedStrategy<Value> {
    json_scalar()
        .prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4).prop_map(|e| Value::Object(e.into_iter().collect())),
            ]
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Comparison, guided by the schema.
// ---------------------------------------------------------------------------------------------

/// Where `actual` differs from `expected`, as JSON pointers with what was expected and found.
fn differences(api: &Api, ty: &Ty, expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(api, ty, expected, actual, &mut String::new(), &mut out);
    out
}

fn compare(api: &Api, ty: &Ty, expected: &Value, actual: &Value, at: &mut String, out: &mut Vec<String>) {
    let same = match (ty, expected, actual) {
        (Ty::Named(id), ..) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => return compare(api, inner, expected, actual, at, out),
            TypeKind::Enum { .. } => expected == actual,
            // Whichever variant the value decoded as, it re-encodes as that variant's type.
            TypeKind::Union { variants, .. } => {
                expected == actual || variants.iter().any(|v| differences(api, &v.ty, expected, actual).is_empty())
            }
            TypeKind::Tuple { items, rest } => match (expected, actual) {
                (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
                    for (index, (e, a)) in e.iter().zip(a).enumerate() {
                        let ty = items.get(index).or(rest.as_ref()).unwrap_or(&Ty::Any);
                        member(api, ty, &index.to_string(), Some(e), Some(a), at, out);
                    }
                    true
                }
                _ => false,
            },
            TypeKind::Struct { fields } => match (expected, actual) {
                (Value::Object(e), Value::Object(a)) => {
                    for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                        let field = fields.iter().find(|f| &f.wire == key);
                        let field_ty = field.map_or(&Ty::Any, |f| &f.ty);
                        member(api, field_ty, key, e.get(key), a.get(key), at, out);
                    }
                    true
                }
                _ => false,
            },
        },
        (Ty::Array(item), Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                member(api, item, &index.to_string(), Some(e), Some(a), at, out);
            }
            true
        }
        (Ty::Map(value), Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                member(api, value, key, e.get(key), a.get(key), at, out);
            }
            true
        }
        (Ty::Nullable(_), Value::Null, _) => expected == actual,
        (Ty::Nullable(inner), ..) => return compare(api, inner, expected, actual, at, out),
        (Ty::Number, Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Ty::DateTime, Value::String(e), Value::String(a)) => same_date_time(e, a),
        _ => expected == actual,
    };
    if !same {
        out.push(format!("{}: expected {expected}, found {actual}", if at.is_empty() { "/" } else { at }));
    }
}

/// Compares a member of an object or array; a `null` is compared as it is.
fn member(api: &Api, ty: &Ty, key: &str, e: Option<&Value>, a: Option<&Value>, at: &mut String, out: &mut Vec<String>) {
    let len = at.len();
    at.push('/');
    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
    match (e, a) {
        (Some(Value::Null), Some(a)) => compare(api, &Ty::Any, &Value::Null, a, at, out),
        (Some(e), Some(a)) => compare(api, ty, e, a, at, out),
        (Some(e), None) => out.push(format!("{at}: expected {e}, missing")),
        (None, Some(a)) => out.push(format!("{at}: not expected, found {a}")),
        (None, None) => {}
    }
    at.truncate(len);
}

/// The same instant, written in the same offset (a zone-less input counts as UTC).
fn same_date_time(expected: &str, actual: &str) -> bool {
    match (expected.parse::<Timestamp>(), actual.parse::<Timestamp>()) {
        (Ok(e), Ok(a)) => e.to_utc() == a.to_utc() && e.as_fixed_offset().offset() == a.as_fixed_offset().offset(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The property.
// ---------------------------------------------------------------------------------------------

fn encode<T: Serialize>(value: &T) -> Result<Value, TestCaseError> {
    serde_json::to_value(value).map_err(|e| TestCaseError::fail(format!("cannot encode: {e}")))
}

/// Decodes `input` into `T` (from the value and from its text) and encodes it again.
fn check<T: DeserializeOwned + Serialize>(api: &Api, ty: &Ty, input: &Value) -> Result<(), TestCaseError> {
    let fail = |what: &str, detail: String| TestCaseError::fail(format!("{what}: {detail}\ninput: {input}"));
    let decoded: T =
        serde_json::from_value(input.clone()).map_err(|e| fail("the value does not decode", e.to_string()))?;
    let encoded = encode(&decoded)?;
    let diffs = differences(api, ty, input, &encoded);
    if !diffs.is_empty() {
        return Err(fail("re-encoding differs", format!("{}\nencoded: {encoded}", diffs.join("\n"))));
    }
    let again: T = serde_json::from_value(encoded.clone())
        .map_err(|e| fail("the re-encoded value does not decode", e.to_string()))?;
    let encoded_again = encode(&again)?;
    if encoded_again != encoded {
        return Err(fail("encoding is not stable", format!("first {encoded}\nthen {encoded_again}")));
    }
    // From text, as a receiver decodes a body; numbers parse as `Value` parses them.
    let text = serde_json::to_string(input).map_err(|e| fail("cannot write the input", e.to_string()))?;
    let reparsed: Value = serde_json::from_str(&text).map_err(|e| fail("cannot read the input back", e.to_string()))?;
    let decoded: T = serde_json::from_str(&text).map_err(|e| fail("the text does not decode", e.to_string()))?;
    let encoded = encode(&decoded)?;
    let diffs = differences(api, ty, &reparsed, &encoded);
    if !diffs.is_empty() {
        return Err(fail("re-encoding the text differs", format!("{}\nencoded: {encoded}", diffs.join("\n"))));
    }
    Ok(())
}

/// Random values of the schema that `T` was generated from (the IR type named `name` in
/// `file`) round-trip through `T`.
fn round_trip<T: DeserializeOwned + Serialize>(file: &str, name: &str) {
    let spec = spec(file);
    let id = spec.type_named(name);
    assert!(matches!(spec.api.types[id.0].kind, TypeKind::Struct { .. }), "{name} is not an object type");
    let ty = Ty::Named(id);
    let strategy = Builder::new(&spec.api).ty(&ty, &Constraints::default(), DEPTH);
    let mut runner = TestRunner::new(common::proptest_config());
    match runner.run(&strategy, |input| check::<T>(&spec.api, &ty, &input)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, input)) => {
            panic!(
                "{file} {name}: {reason}\nminimal input:\n{}",
                serde_json::to_string_pretty(&input).unwrap_or_default()
            )
        }
        Err(TestError::Abort(reason)) => panic!("{file} {name}: aborted: {reason}"),
    }
}

/// A test per generated type, and the list of the types covered.
macro_rules! round_trips {
    ($file:literal, $krate:ident => $($test:ident: $ty:ident),* $(,)?) => {
        const FILE: &str = $file;
        /// The Rust names of the types these tests cover.
        const COVERED: &[&str] = &[$(stringify!($ty)),*];
        $(
            #[test]
            fn $test() {
                super::round_trip::<$krate::$ty>($file, stringify!($ty));
            }
        )*
        #[test]
        fn every_payload_and_object_type_is_covered() {
            super::assert_covered(FILE, COVERED);
        }
    };
}

/// Every message payload, request and response body of `file` is in `covered`, and every
/// object type is reachable from one of them.
fn assert_covered(file: &str, covered: &[&str]) {
    let spec = spec(file);
    let roots: Vec<TypeId> = covered.iter().map(|name| spec.type_named(name)).collect();
    let named = |ty: Option<&Ty>| match ty {
        Some(Ty::Named(id)) => Some(*id),
        _ => None,
    };
    let bodies = spec.api.messages.iter().filter_map(|m| named(m.payload.as_ref())).chain(
        spec.api.operations.iter().flat_map(|op| {
            let request = named(op.request_body.as_ref().map(|request| &request.body.ty));
            request.into_iter().chain(op.responses.iter().filter_map(|r| named(r.body.as_ref().map(|body| &body.ty))))
        }),
    );
    for id in bodies {
        assert!(roots.contains(&id), "{file}: payload type {} has no round-trip test", spec.names.types[id.0].name);
    }
    let mut reached = HashSet::new();
    let mut pending: Vec<Ty> = roots.iter().map(|id| Ty::Named(*id)).collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => pending.push(*inner),
            Ty::Named(id) if reached.insert(id) => match &spec.api.types[id.0].kind {
                TypeKind::Struct { fields } => pending.extend(fields.iter().map(|f| f.ty.clone())),
                TypeKind::Alias(inner) => pending.push(inner.clone()),
                TypeKind::Union { variants, .. } => pending.extend(variants.iter().map(|v| v.ty.clone())),
                TypeKind::Tuple { items, rest } => pending.extend(items.iter().chain(rest).cloned()),
                TypeKind::Enum { .. } => {}
            },
            _ => {}
        }
    }
    let missed: Vec<&str> = (0..spec.api.types.len())
        .filter(|i| matches!(spec.api.types[*i].kind, TypeKind::Struct { .. }) && !reached.contains(&TypeId(*i)))
        .map(|i| spec.names.types[i].name.as_str())
        .collect();
    assert!(missed.is_empty(), "{file}: object types no round-trip test reaches: {missed:?}");
}

mod sms {
    round_trips!("sinch-sms-webhooks.asyncapi.yaml", sinch_sms_webhooks =>
        delivery_report_sms: DeliveryReportSmsPayload,
        recipient_delivery_report_sms: RecipientDeliveryReportSmsPayload,
        delivery_report_mms: DeliveryReportMmsPayload,
        recipient_delivery_report_mms: RecipientDeliveryReportMmsPayload,
        incoming_sms: IncomingSmsPayload,
        incoming_mms: IncomingMmsPayload,
        incoming_binary: IncomingBinaryPayload,
        recipient_delivery_report: RecipientDeliveryReportPayload,
    );
}

mod conversation {
    round_trips!("sinch-conversation-webhooks.asyncapi.yaml", sinch_conversation_webhooks =>
        message_inbound: MessageInboundPayload,
        message_delivery: MessageDeliveryPayload,
        event_inbound: EventInboundPayload,
        contact_event: ContactEventPayload,
        contact_update_event: ContactUpdateEventPayload,
        contact_delete_event: ContactDeleteEventPayload,
        contact_merge_event: ContactMergeEventPayload,
        contact_identities_duplication_event: ContactIdentitiesDuplicationEventPayload,
        conversation_event: ConversationEventPayload,
        conversation_stop_event: ConversationStopEventPayload,
        conversation_delete_event: ConversationDeleteEventPayload,
        channel_event: ChannelEventPayload,
        capability_event: CapabilityEventPayload,
        opt_event: OptEventPayload,
        opt_out_event: OptOutEventPayload,
        smart_conversation: SmartConversationPayload,
        message_submit: MessageSubmitPayload,
        event_delivery: EventDeliveryPayload,
        message_redaction: MessageRedactionPayload,
        record_notification: RecordNotificationPayload,
        unsupported_callback: UnsupportedCallbackPayload,
        envelope: Envelope,
        app_message_content: AppMessageContent,
    );
}

mod provisioning {
    round_trips!("sinch-provisioning.openapi.yaml", sinch_provisioning =>
        webhook: WebhookWebhookDto,
        create_webhook_request: CreateWebhookRequest,
        update_webhook_request: UpdateWebhookRequest,
        list_webhooks_response: ListWebhooksResponse,
        webhook_papi_error_dto: WebhookPapiErrorDto,
    );
}

/// The comparison forgives only what the runtime documents: `1` against `1.0` where the
/// schema says `number`, and another spelling of the same instant in the same offset.
#[test]
fn the_comparison_forgives_only_number_and_date_time_spellings() {
    use serde_json::json;
    let api = &spec("sinch-sms-webhooks.asyncapi.yaml").api;
    let same = |ty: Ty, e: Value, a: Value| differences(api, &ty, &e, &a).is_empty();
    assert!(same(Ty::Number, json!(1), json!(1.0)));
    assert!(!same(Ty::Integer(IntWidth::I64), json!(1), json!(1.0)));
    assert!(!same(Ty::Any, json!(1), json!(1.0)));
    assert!(same(Ty::DateTime, json!("2022-08-30T10:16:08.5+02:00"), json!("2022-08-30T10:16:08.500+02:00")));
    assert!(same(Ty::DateTime, json!("2022-08-30t08:16:08z"), json!("2022-08-30T08:16:08Z")));
    assert!(
        !same(Ty::DateTime, json!("2022-08-30T10:16:08+02:00"), json!("2022-08-30T08:16:08Z")),
        "the offset is kept"
    );
    assert!(!same(Ty::String, json!("2022-08-30T08:16:08.0Z"), json!("2022-08-30T08:16:08Z")));
    assert!(!same(Ty::Map(Box::new(Ty::Number)), json!({"a": 1}), json!({"a": 1, "b": 2})));
    assert!(!same(Ty::Array(Box::new(Ty::Number)), json!([1]), json!([])));
    assert!(same(Ty::Nullable(Box::new(Ty::Number)), json!(null), json!(null)));
}

// ---------------------------------------------------------------------------------------------
// Any JSON text at the receiver: what a `Value` cannot hold, duplicate keys, deep nesting.
// ---------------------------------------------------------------------------------------------

/// A JSON number as text: integers of any length, long decimals, exponents in both cases and
/// beyond `f64`, negative zero.
fn number_json() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "-?(0|[1-9][0-9]{0,40})(\\.[0-9]{1,40})?([eE][+-]?[0-9]{1,4})?",
        1 => select(vec![
            "18446744073709551616",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1000000000000000055511151231257827",
            "1e400",
            "-1E+400",
            "1e-400",
            "1E2",
            "-0",
            "-0.0",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// A JSON string as text: plain and non-ASCII characters, short escapes, `\u` escapes of any
/// UTF-16 code unit (lone surrogates among them, in either case) and of surrogate pairs.
fn string_json() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9 ]{1,6}",
        1 => any::<char>()
            .prop_filter("needs no escape", |c| !matches!(c, '"' | '\\') && !c.is_control())
            .prop_map(String::from),
        1 => select(vec!["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]).prop_map(str::to_owned),
        2 => any::<u16>().prop_map(|unit| format!("\\u{unit:04x}")),
        1 => (0xD800u16..0xDC00).prop_map(|unit| format!("\\u{unit:04X}")),
        1 => (0xD800u16..0xDC00, 0xDC00u16..0xE000).prop_map(|(high, low)| format!("\\u{high:04x}\\u{low:04X}")),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| format!("\"{}\"", pieces.concat())).boxed()
}

/// Any JSON value as compact text. Object keys come from a small set, so that some repeat.
fn value_json() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        1 => select(vec!["null", "true", "false"]).prop_map(str::to_owned),
        3 => number_json(),
        3 => string_json(),
    ];
    let key = prop_oneof![
        3 => select(vec!["\"a\"", "\"b\"", "\"\\u0061\"", "\"\\ud800\""]).prop_map(str::to_owned),
        1 => string_json(),
    ];
    let tree = leaf.prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key.clone(), inner), 0..4).prop_map(|members| {
                let members: Vec<String> = members.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    // Sometimes deeper than serde_json recurses (128 levels).
    let deep = (tree.clone(), 100usize..1000)
        .prop_map(|(value, depth)| format!("{}{value}{}", "[".repeat(depth), "]".repeat(depth)));
    prop_oneof![9 => tree, 1 => deep].boxed()
}

/// One to four fields the spec does not name, as `"key":value,...`; keys may repeat. Keys
/// are decoded (`"\u0061"` comes back as `"a"`), so these need no escape.
fn unknown_fields_json() -> BoxedStrategy<String> {
    let key = select(vec!["\"x_a\"", "\"x_b\"", "\"x_é\"", "\"x_😀\""]);
    prop::collection::vec((key, value_json()), 1..5)
        .prop_map(|fields| {
            let fields: Vec<String> = fields.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            fields.join(",")
        })
        .boxed()
}

/// The JSON object `object` with `fields` added after its last field.
fn with_fields(object: &str, fields: &str) -> String {
    let open = object.trim_end().strip_suffix('}').expect("an object");
    format!("{open},{fields}}}")
}

/// A recorded fixture of `krate`, and what its receiver decodes it to, encoded again.
fn fixture_and_encoding<D: Decode>(receiver: &Receiver<D>, krate: &str, name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/{krate}/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoded = receiver.receive(None, &HeaderMap::new(), text.as_bytes()).expect("the fixture decodes");
    assert!(decoded.unknown_reason().is_none(), "{name} is a known message");
    let encoded = serde_json::to_string(&decoded).expect("the fixture encodes");
    (text, encoded)
}

/// Random unknown fields added to a known message: the body is that message, and every field
/// re-encodes exactly as sent, after the message's own fields.
fn unknown_fields_are_kept_exactly<D: Decode>(receiver: Receiver<D>, krate: &str, name: &str) {
    let (text, encoded) = fixture_and_encoding(&receiver, krate, name);
    let mut runner = TestRunner::new(common::proptest_config());
    let result = runner.run(&unknown_fields_json(), |fields| {
        let body = with_fields(&text, &fields);
        let decoded = receiver
            .receive(None, &HeaderMap::new(), body.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        prop_assert!(decoded.unknown_reason().is_none(), "{:?}", decoded.unknown_reason());
        let again = serde_json::to_string(&decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, with_fields(&encoded, &fields));
        Ok(())
    });
    if let Err(error) = result {
        panic!("{krate} {name}: {error}");
    }
}

#[test]
fn unknown_fields_of_an_sms_re_encode_as_received() {
    use sinch_sms_webhooks::webhooks::Receiver;
    unknown_fields_are_kept_exactly(Receiver::new(Verifier::none()), "sinch-sms-webhooks", "IncomingSms");
}

#[test]
fn unknown_fields_of_a_conversation_message_re_encode_as_received() {
    use sinch_conversation_webhooks::webhooks::Receiver;
    let receiver = Receiver::new(Verifier::none());
    unknown_fields_are_kept_exactly(receiver, "sinch-conversation-webhooks", "MessageInbound");
}

/// Random JSON bodies (with whitespace around them) are accepted; one that fits no message is
/// an unknown event keeping the body as sent, and any body re-encodes.
#[test]
fn any_json_body_is_accepted() {
    use sinch_conversation_webhooks::webhooks::{self as conversation, Event};
    let receiver = conversation::Receiver::new(Verifier::none());
    let body = (select(vec!["", " ", "\n", "\r\n\t "]), value_json(), select(vec!["", "\n"]))
        .prop_map(|(before, value, after)| format!("{before}{value}{after}"));
    let mut runner = TestRunner::new(common::proptest_config());
    let result = runner.run(&body, |body| {
        let decoded = receiver
            .receive(None, &HeaderMap::new(), body.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
        if let Event::Unknown(event) = &decoded {
            prop_assert_eq!(event.body().get(), body.trim());
        }
        serde_json::to_string(&decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
