//! AsyncAPI 2.x: channels with publish/subscribe operations, messages, schemas, security;
//! and the reading of messages that 2.x and 3.0 (`asyncapi3`) share.
//!
//! - `channels.<address>.publish|subscribe` → an IR operation (`action` as written), whose
//!   `message` (or each of its `oneOf`) is an IR message; its id is `operationId`, or the
//!   action and address in UpperCamelCase.
//! - A message is read once per location: one under `components/messages` is keyed by its
//!   name there, an inline one by its operation. `payload` is converted by location (typed
//!   after the component schema it refers to, else `<key>Payload`); a payload in a
//!   `schemaFormat` that is not JSON Schema is typed as `Any`, with a warning.
//! - `traits` of messages and operations (2.x and 3.0) are merged without building a merged
//!   value: each field is read from the object that provides it (see [`Merged`]).
//! - Servers' `security` is inherited, as the union of the alternatives, by every operation.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::documents::{Documents, Loc};
use super::schema::{describe, TypeSpace};
use super::{object_at, text, IdOrigin, Info};
use crate::diagnostic::Result;
use crate::ir::{Action, Api, Example, Message, MessageId, Operation, Ty};

/// Schema formats whose payload is a JSON Schema (or OpenAPI schema) this generator reads.
const JSON_SCHEMA_FORMATS: [&str; 4] = [
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
    "application/vnd.oai.openapi",
];

pub fn read(docs: &Documents, root: &Loc, version: &str) -> Result<Api> {
    let info = super::read_info(docs, root)?;
    let mut reader = Reader::new(docs, root, Major::Two)?;
    let security = server_security(docs, root, |loc| super::read_security_requirements(docs, loc))?;
    let mut operations = Vec::new();
    let mut origins = Vec::new();
    let channels = root.join("channels");
    for address in super::keys_at(docs, &channels)? {
        let channel_loc = docs.follow(&channels.join(&address))?;
        let channel = object_at(docs, &channel_loc)?;
        for action in [Action::Publish, Action::Subscribe] {
            if channel.contains_key(action.as_str()) {
                let loc = channel_loc.join(action.as_str());
                let (operation, declared) = reader.operation(&loc, &address, action, channel, &security)?;
                origins.push(IdOrigin { loc, declared });
                operations.push(operation);
            }
        }
    }
    let warnings = super::make_operation_ids_unique(docs, &mut operations, &origins);
    let mut api = reader.finish(root, info, version, operations)?;
    api.warnings.extend(warnings);
    Ok(api)
}

/// The AsyncAPI major version a document is read as: traits merge the other way round, and
/// a 3.0 payload may carry its own schema format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Major {
    Two,
    Three,
}

/// Messages and types, read as the channels and operations refer to them.
pub(super) struct Reader<'a> {
    pub(super) docs: &'a Documents,
    major: Major,
    space: TypeSpace<'a>,
    messages: Vec<Message>,
    /// Where each message's `x-dedup-key` is written (or the message, without one), for
    /// errors found once all types are known.
    message_locs: Vec<Loc>,
    message_ids: HashMap<Loc, MessageId>,
    warnings: Vec<String>,
}

impl<'a> Reader<'a> {
    /// A reader with every schema under `components/schemas` declared and every message under
    /// `components/messages` read.
    pub(super) fn new(docs: &'a Documents, root: &Loc, major: Major) -> Result<Self> {
        let mut reader = Reader {
            docs,
            major,
            space: TypeSpace::new(docs),
            messages: Vec::new(),
            message_locs: Vec::new(),
            message_ids: HashMap::new(),
            warnings: Vec::new(),
        };
        super::declare_component_schemas(&mut reader.space, docs, root)?;
        let components_messages = root.join("components").join("messages");
        for key in super::keys_at(docs, &components_messages)? {
            reader.message(&components_messages.join(&key), &key)?;
        }
        Ok(reader)
    }

    /// The API, once every operation is read; checks each `x-dedup-key` against its payload.
    pub(super) fn finish(self, root: &Loc, info: Info, version: &str, operations: Vec<Operation>) -> Result<Api> {
        let docs = self.docs;
        let (types, mut warnings) = self.space.finish();
        warnings.extend(self.warnings);
        let api = Api {
            format: format!("AsyncAPI {version}"),
            title: info.title,
            version: info.version,
            description: info.description,
            types,
            messages: self.messages,
            operations,
            security_schemes: super::read_security_schemes(docs, root)?,
            warnings,
            crate_examples: super::extensions::crate_examples(docs, root)?,
            sources: docs.sources(),
        };
        super::extensions::check_dedup_keys(&api, docs, &self.message_locs)?;
        Ok(api)
    }

    /// The 2.x operation at `loc`, and whether its id is the spec's own `operationId`.
    fn operation(
        &mut self,
        loc: &Loc,
        address: &str,
        action: Action,
        channel: &Map<String, Value>,
        security: &[Vec<String>],
    ) -> Result<(Operation, bool)> {
        let op = Merged::read(self.docs, loc, Major::Two)?;
        let declared = op.text("operationId");
        let is_declared = declared.is_some();
        let id = declared.unwrap_or_else(|| format!("{} {address}", action.as_str()).to_upper_camel_case());
        let messages = if object_at(self.docs, loc)?.contains_key("message") {
            self.operation_messages(&loc.join("message"), &id)?
        } else {
            Vec::new()
        };
        let operation = Operation {
            id,
            action,
            address: address.to_owned(),
            summary: op.text("summary"),
            description: op.text("description").or_else(|| text(channel, "description")),
            messages,
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: security.to_vec(),
        };
        Ok((operation, is_declared))
    }

    /// The `message` of a 2.x operation: one message, or each of its `oneOf`.
    fn operation_messages(&mut self, message_loc: &Loc, id: &str) -> Result<Vec<MessageId>> {
        let message = object_at(self.docs, message_loc)?;
        match message.get("oneOf") {
            Some(Value::Array(alternatives)) => (0..alternatives.len())
                .map(|index| {
                    let key = format!("{}Message{}", id.to_upper_camel_case(), index + 1);
                    self.message(&message_loc.join("oneOf").join(&index.to_string()), &key)
                })
                .collect(),
            Some(_) => Err(self
                .docs
                .error(&message_loc.join("oneOf"), "`oneOf` must be a list of messages")
                .with_help("write `oneOf: [{$ref: '#/components/messages/A'}, ...]`")),
            None => Ok(vec![self.message(message_loc, &format!("{}Message", id.to_upper_camel_case()))?]),
        }
    }

    /// The message at `loc`, read once however many operations refer to it. A message that
    /// `loc` refers to is keyed by its own name (the last segment of its location), an inline
    /// one by `key`.
    pub(super) fn message(&mut self, loc: &Loc, key: &str) -> Result<MessageId> {
        let target = self.docs.follow(loc)?;
        if let Some(id) = self.message_ids.get(&target) {
            return Ok(*id);
        }
        let key = match (loc != &target).then(|| target.last_segment()).flatten() {
            Some(declared) => declared,
            None => key.to_owned(),
        };
        let message = Merged::read(self.docs, &target, self.major)?;
        let payload = self.payload(&message, &key, &target)?;
        let (dedup_loc, dedup_key) = match message.provider("x-dedup-key") {
            Some((loc, map)) => (loc.clone(), super::extensions::dedup_key(self.docs, loc, map)?),
            None => (target.clone(), Vec::new()),
        };
        let id = MessageId(self.messages.len());
        self.messages.push(Message {
            key,
            name: message.text("name"),
            title: message.text("title"),
            summary: message.text("summary"),
            description: message.provider("description").and_then(|(_, map)| describe(map)),
            content_type: message.text("contentType"),
            payload,
            examples: examples(self.docs, message.provider("examples")),
            dedup_key,
        });
        self.message_locs.push(dedup_loc);
        self.message_ids.insert(target, id);
        Ok(id)
    }

    /// The payload's type: its schema converted, or `Any` (with a warning) when the schema
    /// is in a format this generator does not read.
    fn payload(&mut self, message: &Merged, key: &str, target: &Loc) -> Result<Option<Ty>> {
        let Some((source, _)) = message.provider("payload") else {
            return Ok(None);
        };
        let loc = source.join("payload");
        let (schema, format) = match self.major {
            Major::Two => (loc, message.text("schemaFormat")),
            Major::Three => multi_format(self.docs, &loc)?,
        };
        if let Some(format) = format.filter(|f| !JSON_SCHEMA_FORMATS.iter().any(|known| f.starts_with(known))) {
            self.warnings.push(format!(
                "{}: message `{key}` has schemaFormat {format:?}, which is not supported; its payload is typed as serde_json::Value",
                self.docs.describe(target)
            ));
            return Ok(Some(Ty::Any));
        }
        Ok(Some(self.space.convert(&schema, &[format!("{key}Payload")])?))
    }
}

/// A 3.0 `payload`: a multi-format schema `{schemaFormat, schema}` → the schema's location
/// and its format; anything else is a schema, in the default format.
fn multi_format(docs: &Documents, loc: &Loc) -> Result<(Loc, Option<String>)> {
    let target = docs.follow(loc)?;
    match docs.get(&target)? {
        Value::Object(map) if map.contains_key("schemaFormat") => {
            if !map.contains_key("schema") {
                return Err(docs.error(&target, "a payload with a `schemaFormat` has no `schema`").with_help(
                    "write `payload: {schemaFormat: 'application/schema+json;version=draft-07', schema: {...}}`",
                ));
            }
            Ok((target.join("schema"), text(map, "schemaFormat")))
        }
        _ => Ok((loc.clone(), None)),
    }
}

/// A message or operation with its `traits`, as one object: which of them provides each field.
///
/// Traits are applied without building a merged value, so that a field read from a trait
/// keeps its location (schemas convert by location). The sources run from the least to the
/// most specific, and a field is read from the last one that has it: 2.x merges each trait
/// into the object as a JSON Merge Patch, in order (the last trait wins); 3.0 merges the
/// object over its traits (its own fields win, then the last trait). A `null` removes the
/// field, as in a merge patch; a mapping is taken whole from one source, not merged key by key.
pub(super) struct Merged<'d> {
    sources: Vec<(Loc, &'d Map<String, Value>)>,
}

impl<'d> Merged<'d> {
    /// The object at `loc` (after following `$ref`s) with its traits, each possibly a `$ref`.
    pub(super) fn read(docs: &'d Documents, loc: &Loc, major: Major) -> Result<Self> {
        let loc = docs.follow(loc)?;
        let object = object_at(docs, &loc)?;
        let mut sources = Vec::new();
        let traits_loc = loc.join("traits");
        match object.get("traits") {
            None => {}
            Some(Value::Array(traits)) => {
                for index in 0..traits.len() {
                    let target = docs.follow(&traits_loc.join(&index.to_string()))?;
                    sources.push((target.clone(), object_at(docs, &target)?));
                }
            }
            Some(_) => {
                return Err(docs
                    .error(&traits_loc, "`traits` must be a list of traits")
                    .with_help("write e.g. `traits: [{$ref: '#/components/messageTraits/Common'}]`"))
            }
        }
        match major {
            Major::Two => sources.insert(0, (loc, object)),
            Major::Three => sources.push((loc, object)),
        }
        Ok(Merged { sources })
    }

    /// The object that provides `key`, with its location; `None` when none does, or the one
    /// that does sets it to `null`.
    pub(super) fn provider(&self, key: &str) -> Option<(&Loc, &'d Map<String, Value>)> {
        let (loc, map) = self.sources.iter().rev().find(|(_, map)| map.contains_key(key))?;
        (!map[key].is_null()).then_some((loc, *map))
    }

    pub(super) fn text(&self, key: &str) -> Option<String> {
        self.provider(key).and_then(|(_, map)| text(map, key))
    }
}

/// The examples of a message, from the object that provides them (the message or a trait).
fn examples(docs: &Documents, provider: Option<(&Loc, &Map<String, Value>)>) -> Vec<Example> {
    let Some((loc, Value::Array(examples))) = provider.map(|(loc, map)| (loc, &map["examples"])) else {
        return Vec::new();
    };
    let examples_loc = loc.join("examples");
    examples
        .iter()
        .enumerate()
        .filter_map(|(index, example)| {
            Some(Example {
                name: example.get("name").and_then(Value::as_str).map(str::to_owned),
                payload: example.get("payload")?.clone(),
                location: docs.describe(&examples_loc.join(&index.to_string()).join("payload")),
            })
        })
        .collect()
}

/// Security on servers, which every operation without its own inherits: the union of the
/// servers' alternatives, each server's `security` read by `read`.
pub(super) fn server_security(
    docs: &Documents,
    root: &Loc,
    read: impl Fn(&Loc) -> Result<Option<Vec<Vec<String>>>>,
) -> Result<Vec<Vec<String>>> {
    let servers = root.join("servers");
    let mut alternatives = Vec::new();
    for key in super::keys_at(docs, &servers)? {
        let server = docs.follow(&servers.join(&key))?;
        for alternative in read(&server.join("security"))?.unwrap_or_default() {
            if !alternatives.contains(&alternative) {
                alternatives.push(alternative);
            }
        }
    }
    Ok(alternatives)
}

#[cfg(test)]
mod tests {
    use crate::ir::Ty;
    use crate::spec::read_text as read;

    const TRAITS: &str = "asyncapi: 2.6.0
info: {title: T}
channels:
  orders:
    subscribe:
      operationId: onOrder
      traits: [{description: From the operation trait.}]
      message: {$ref: '#/components/messages/order'}
components:
  messages:
    order:
      description: From the message.
      title: Order
      traits:
        - $ref: '#/components/messageTraits/common'
        - {title: null}
  messageTraits:
    common:
      description: From the trait.
      x-dedup-key: [/id]
      payload: {type: object, properties: {id: {type: string}}}
";

    #[test]
    fn traits_are_merge_patches_applied_in_order() {
        let api = read(TRAITS).expect("the spec is read");
        let message = &api.messages[0];
        assert_eq!(message.description.as_deref(), Some("From the trait."));
        assert_eq!(message.title, None);
        assert_eq!(message.dedup_key, ["/id"]);
        let Some(Ty::Named(id)) = &message.payload else { panic!("payload {:?}", message.payload) };
        assert_eq!(api.types[id.0].name.path, ["orderPayload"]);
        assert_eq!(api.operations[0].description.as_deref(), Some("From the operation trait."));
    }

    #[test]
    fn errors_in_a_traits_field_point_into_the_trait() {
        let error = read(&TRAITS.replace("x-dedup-key: [/id]", "x-dedup-key: [/missing]")).expect_err("refused");
        assert_eq!(error.pointer.as_deref(), Some("/components/messageTraits/common/x-dedup-key/0"));
        let one =
            TRAITS.replace("- $ref: '#/components/messageTraits/common'\n        - {title: null}", "{title: null}");
        let error = read(&one).expect_err("refused");
        assert!(error.message.contains("`traits` must be a list"), "{error}");
    }
}
