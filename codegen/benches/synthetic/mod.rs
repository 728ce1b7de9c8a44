//! Synthetic AsyncAPI 2.6 specs of any size, to measure how the generator scales.
//!
//! The three Sinch specs are small (tens of schemas); real specs run to thousands. A spec of
//! `n` schemas is made here deterministically (a fixed-seed PRNG, no dependency), with the mix
//! real specs have: objects of 5 to 15 described properties (strings with formats and lengths,
//! integers, date-times, enums, arrays, `$ref`s to other schemas, a few inline objects), some
//! `allOf` compositions, a little recursion, and a few channels whose messages carry a `type`
//! tag, so routing, naming and emitting all see realistic work.

use std::fmt::Write as _;

/// Words that schema and property names are made of.
const NOUNS: &[&str] = &[
    "order",
    "customer",
    "invoice",
    "payment",
    "shipment",
    "address",
    "product",
    "account",
    "contact",
    "message",
    "channel",
    "device",
    "session",
    "report",
    "batch",
    "recipient",
    "template",
    "campaign",
    "webhook",
    "ticket",
];
const QUALIFIERS: &[&str] =
    &["billing", "primary", "pending", "archived", "external", "internal", "default", "last", "source", "target"];
const ENUM_VALUES: &[&str] = &[
    "ACTIVE",
    "INACTIVE",
    "PENDING",
    "FAILED",
    "DELIVERED",
    "QUEUED",
    "EXPIRED",
    "CANCELLED",
    "on",
    "off",
    "ARCHIVED",
];

/// Every tenth schema is an `allOf` of an earlier one and an extension.
const ALL_OF_EVERY: usize = 10;
/// Every fiftieth schema refers to itself (a tree).
const RECURSIVE_EVERY: usize = 50;
/// One channel (and message) per this many schemas, at least three.
const SCHEMAS_PER_CHANNEL: usize = 100;

/// A deterministic xorshift PRNG: the same spec for the same size on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The YAML text of a spec with `schemas` named schemas.
pub fn spec(schemas: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ schemas as u64);
    let channels = (schemas / SCHEMAS_PER_CHANNEL).max(3).min(schemas);
    let mut out = String::with_capacity(schemas * 1_200);
    header(&mut out, schemas);
    write_channels(&mut out, channels);
    out.push_str("components:\n  messages:\n");
    for index in 0..channels {
        message(&mut out, index, schemas);
    }
    out.push_str("  schemas:\n");
    for index in 0..schemas {
        schema(&mut out, &mut rng, index, channel_of(index, channels, schemas));
    }
    out
}

fn header(out: &mut String, schemas: usize) {
    let _ = write!(
        out,
        "asyncapi: 2.6.0\ninfo:\n  title: Synthetic API with {schemas} schemas\n  version: '1.0'\n  description: >-\n    \
         A generated spec for measuring the generator. Every schema is described,\n    \
         and the mix of types follows what real webhook specs hold.\n"
    );
}

fn write_channels(out: &mut String, channels: usize) {
    out.push_str("channels:\n");
    for index in 0..channels {
        let _ = write!(
            out,
            "  /events/{index}:\n    description: Receives events of kind {index}.\n    publish:\n      \
             operationId: receiveEvent{index}\n      summary: Receive an event of kind {index}\n      \
             description: Called when something of kind {index} happens.\n      message:\n        \
             $ref: '#/components/messages/Event{index}'\n"
        );
    }
}

fn message(out: &mut String, index: usize, schemas: usize) {
    let _ = write!(
        out,
        "    Event{index}:\n      name: event_{index}\n      title: Event {index}\n      \
         summary: An event of kind {index}\n      contentType: application/json\n      \
         payload:\n        $ref: '#/components/schemas/{}'\n",
        schema_name(payload_schema(index, schemas))
    );
}

/// The schema that is the payload of message `index`: spread over the spec, so payloads refer
/// to schemas before and after them.
fn payload_schema(index: usize, schemas: usize) -> usize {
    index * schemas / (schemas / SCHEMAS_PER_CHANNEL).max(3).min(schemas)
}

/// The channel whose payload schema `index` is, if it is one (it then gets the `type` tag).
fn channel_of(index: usize, channels: usize, schemas: usize) -> Option<usize> {
    (0..channels).find(|&channel| payload_schema(channel, schemas) == index)
}

fn schema_name(index: usize) -> String {
    let noun = NOUNS[index % NOUNS.len()];
    let qualifier = QUALIFIERS[(index / NOUNS.len()) % QUALIFIERS.len()];
    format!("{}{}{index}", capitalise(qualifier), capitalise(noun))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn schema(out: &mut String, rng: &mut Rng, index: usize, channel: Option<usize>) {
    let _ = writeln!(out, "    {}:", schema_name(index));
    let indent = if index % ALL_OF_EVERY == ALL_OF_EVERY - 1 && channel.is_none() {
        let _ = write!(
            out,
            "      description: The {} extended with its own fields (schema {index}).\n      allOf:\n        \
             - $ref: '#/components/schemas/{}'\n        - type: object\n",
            schema_name(index - 1),
            schema_name(index - 1)
        );
        "          "
    } else {
        let _ = writeln!(out, "      description: A {} record (schema {index}).", NOUNS[index % NOUNS.len()]);
        out.push_str("      type: object\n");
        "      "
    };
    properties(out, rng, index, channel, indent);
}

/// 5 to 15 properties; the first two are required.
fn properties(out: &mut String, rng: &mut Rng, index: usize, channel: Option<usize>, indent: &str) {
    let count = 5 + rng.below(11);
    let names: Vec<String> = (0..count).map(|slot| property_name(rng, slot)).collect();
    let _ = writeln!(out, "{indent}required:\n{indent}  - {}\n{indent}  - {}", names[0], names[1]);
    let _ = writeln!(out, "{indent}properties:");
    if let Some(channel) = channel {
        let _ = write!(
            out,
            "{indent}  type:\n{indent}    type: string\n{indent}    description: The event kind.\n{indent}    \
             enum:\n{indent}      - event_{channel}\n"
        );
    }
    for (slot, name) in names.iter().enumerate() {
        let _ = writeln!(out, "{indent}  {name}:");
        property(out, rng, index, slot, &format!("{indent}    "));
    }
}

/// Unique within an object: the slot number ends the name.
fn property_name(rng: &mut Rng, slot: usize) -> String {
    format!("{}_{}_{slot}", rng.pick(QUALIFIERS), rng.pick(NOUNS))
}

/// One property's schema, indented by `at`.
fn property(out: &mut String, rng: &mut Rng, index: usize, slot: usize, at: &str) {
    let description = format!("The {} of this record, as the sender reports it.", rng.pick(NOUNS));
    let _ = writeln!(out, "{at}description: {description}");
    match rng.below(12) {
        0..=2 => {
            let _ = writeln!(out, "{at}type: string\n{at}maxLength: {}", 16 << rng.below(6));
        }
        3 => {
            let _ = writeln!(out, "{at}type: integer\n{at}format: int32\n{at}minimum: 0");
        }
        4 => {
            let _ = writeln!(out, "{at}type: integer");
        }
        5 => {
            let _ = writeln!(out, "{at}type: string\n{at}format: date-time");
        }
        6 => enumeration(out, rng, at),
        7 => {
            let _ = writeln!(out, "{at}type: array\n{at}items:\n{at}  type: string\n{at}  format: uri");
        }
        8 if index > 0 => {
            let _ = writeln!(
                out,
                "{at}type: array\n{at}items:\n{at}  $ref: '#/components/schemas/{}'",
                earlier(rng, index)
            );
        }
        9 if index.is_multiple_of(RECURSIVE_EVERY) && slot > 1 => {
            let _ =
                writeln!(out, "{at}type: array\n{at}items:\n{at}  $ref: '#/components/schemas/{}'", schema_name(index));
        }
        10 => inline_object(out, rng, at),
        _ if index > 0 => {
            let _ = writeln!(out, "{at}$ref: '#/components/schemas/{}'", earlier(rng, index));
        }
        _ => {
            let _ = writeln!(out, "{at}type: boolean");
        }
    }
}

/// An earlier schema's name, mostly a near one, so references form realistic clusters.
fn earlier(rng: &mut Rng, index: usize) -> String {
    schema_name(index - 1 - rng.below(index.min(40)))
}

fn enumeration(out: &mut String, rng: &mut Rng, at: &str) {
    let _ = writeln!(out, "{at}type: string\n{at}enum:");
    let start = rng.below(ENUM_VALUES.len());
    for offset in 0..3 + rng.below(4) {
        let _ = writeln!(out, "{at}  - {}", ENUM_VALUES[(start + offset) % ENUM_VALUES.len()]);
    }
}

/// A small object declared in place, which the generator names after its property.
fn inline_object(out: &mut String, rng: &mut Rng, at: &str) {
    let _ = writeln!(out, "{at}type: object\n{at}properties:");
    for slot in 0..2 + rng.below(3) {
        let name = property_name(rng, slot);
        let _ = writeln!(out, "{at}  {name}:\n{at}    type: string\n{at}    description: A nested {name}.");
    }
}
