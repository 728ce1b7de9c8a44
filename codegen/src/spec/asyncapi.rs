//! AsyncAPI 2.x: channels with publish/subscribe operations, messages, schemas, security.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::documents::{Documents, Loc};
use super::schema::{describe, TypeSpace};
use super::{object_at, text};
use crate::diagnostic::Result;
use crate::ir::{Api, Example, Message, MessageId, Operation};

/// Schema formats whose payload is a JSON Schema this generator reads.
const JSON_SCHEMA_FORMATS: [&str; 3] = ["application/vnd.aai.asyncapi", "application/schema+json", "application/schema+yaml"];

pub fn read(docs: &Documents, root: &Loc, version: &str) -> Result<Api> {
    let info = super::read_info(docs, root)?;
    let mut reader = Reader {
        docs,
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
    let security = server_security(docs, root)?;
    let mut operations = Vec::new();
    let mut ids = Vec::new();
    let channels = root.join("channels");
    for address in super::keys_at(docs, &channels)? {
        let channel_loc = docs.follow(&channels.join(&address))?;
        let channel = object_at(docs, &channel_loc)?;
        for action in ["publish", "subscribe"] {
            if channel.contains_key(action) {
                let loc = channel_loc.join(action);
                let operation = reader.operation(&loc, &address, action, channel, &security)?;
                ids.push((operation.id.clone(), loc));
                operations.push(operation);
            }
        }
    }
    super::check_unique_operation_ids(docs, &ids)?;
    let (types, mut warnings) = reader.space.finish();
    warnings.extend(reader.warnings);
    let api = Api {
        format: format!("AsyncAPI {version}"),
        title: info.title,
        version: info.version,
        description: info.description,
        types,
        messages: reader.messages,
        operations,
        security_schemes: super::read_security_schemes(docs, root)?,
        warnings,
        crate_examples: super::extensions::crate_examples(docs, root)?,
    };
    for (message, loc) in api.messages.iter().zip(&reader.message_locs) {
        if let Some(payload) = &message.payload {
            super::extensions::check_dedup_key(&api, docs, loc, payload, &message.dedup_key)?;
        }
    }
    Ok(api)
}

struct Reader<'a> {
    docs: &'a Documents,
    space: TypeSpace<'a>,
    messages: Vec<Message>,
    /// Where each message is declared, for errors found once all types are known.
    message_locs: Vec<Loc>,
    message_ids: HashMap<Loc, MessageId>,
    warnings: Vec<String>,
}

impl Reader<'_> {
    fn operation(
        &mut self,
        loc: &Loc,
        address: &str,
        action: &str,
        channel: &serde_json::Map<String, Value>,
        security: &[Vec<String>],
    ) -> Result<Operation> {
        let op = object_at(self.docs, loc)?;
        let id = text(op, "operationId").unwrap_or_else(|| format!("{action} {address}").to_upper_camel_case());
        let mut messages = Vec::new();
        if op.contains_key("message") {
            let message_loc = loc.join("message");
            let message = object_at(self.docs, &message_loc)?;
            match message.get("oneOf") {
                Some(Value::Array(alternatives)) => {
                    for index in 0..alternatives.len() {
                        let key = format!("{}Message{}", id.to_upper_camel_case(), index + 1);
                        messages.push(self.message(&message_loc.join("oneOf").join(&index.to_string()), &key)?);
                    }
                }
                Some(_) => {
                    return Err(self
                        .docs
                        .error(&message_loc.join("oneOf"), "`oneOf` must be a list of messages")
                        .with_help("write `oneOf: [{$ref: '#/components/messages/A'}, ...]`"))
                }
                None => {
                    let key = format!("{}Message", id.to_upper_camel_case());
                    messages.push(self.message(&message_loc, &key)?);
                }
            }
        }
        Ok(Operation {
            id,
            action: action.to_owned(),
            address: address.to_owned(),
            summary: text(op, "summary"),
            description: text(op, "description").or_else(|| text(channel, "description")),
            messages,
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: security.to_vec(),
        })
    }

    /// The message at `loc`, read once however many operations refer to it.
    fn message(&mut self, loc: &Loc, key: &str) -> Result<MessageId> {
        let target = self.docs.follow(loc)?;
        if let Some(id) = self.message_ids.get(&target) {
            return Ok(*id);
        }
        let key = match (loc != &target).then(|| target.last_segment()).flatten() {
            Some(declared) => declared,
            None => key.to_owned(),
        };
        let message = object_at(self.docs, &target)?;
        let payload = match message.get("payload") {
            None => None,
            Some(_) if !self.is_json_schema(message) => {
                self.warnings.push(format!(
                    "{}: schemaFormat {:?} is not supported; the payload is typed as serde_json::Value",
                    self.docs.describe(&target),
                    text(message, "schemaFormat").unwrap_or_default()
                ));
                Some(crate::ir::Ty::Any)
            }
            Some(_) => Some(self.space.convert(&target.join("payload"), &[format!("{key}Payload")])?),
        };
        let id = MessageId(self.messages.len());
        self.messages.push(Message {
            key,
            name: text(message, "name"),
            title: text(message, "title"),
            summary: text(message, "summary"),
            description: describe(message).filter(|_| message.contains_key("description")),
            content_type: text(message, "contentType"),
            payload,
            examples: examples(message),
            dedup_key: super::extensions::dedup_key(self.docs, &target, message)?,
        });
        self.message_locs.push(target.clone());
        self.message_ids.insert(target, id);
        Ok(id)
    }

    fn is_json_schema(&self, message: &serde_json::Map<String, Value>) -> bool {
        match text(message, "schemaFormat") {
            None => true,
            Some(format) => JSON_SCHEMA_FORMATS.iter().any(|known| format.starts_with(known)),
        }
    }
}

fn examples(message: &serde_json::Map<String, Value>) -> Vec<Example> {
    let Some(Value::Array(examples)) = message.get("examples") else {
        return Vec::new();
    };
    examples
        .iter()
        .filter_map(|example| {
            Some(Example {
                name: example.get("name").and_then(Value::as_str).map(str::to_owned),
                payload: example.get("payload")?.clone(),
            })
        })
        .collect()
}

/// AsyncAPI 2 puts security on servers: every operation inherits the union of them.
fn server_security(docs: &Documents, root: &Loc) -> Result<Vec<Vec<String>>> {
    let servers = root.join("servers");
    let mut alternatives = Vec::new();
    for key in super::keys_at(docs, &servers)? {
        let server = docs.follow(&servers.join(&key))?;
        for alternative in super::read_security_requirements(docs, &server.join("security"))?.unwrap_or_default() {
            if !alternatives.contains(&alternative) {
                alternatives.push(alternative);
            }
        }
    }
    Ok(alternatives)
}
