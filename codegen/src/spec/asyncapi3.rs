//! AsyncAPI 3.0: channels, operations and their replies.
//!
//! What maps to what in the IR:
//! - `channels.X` is no IR item of its own. Its `address` (the key `X` when null or absent)
//!   is the `address` of the operations on it, its `description` their fallback description,
//!   its `parameters` their parameters (`path`, strings), and each of its `messages` an IR
//!   message, read even when no operation names it.
//! - `operations.X` → the IR operation `X`: `action` as written (`send`/`receive`), the
//!   messages it lists or else all of its channel's, `summary`/`description` (its own, or
//!   from its `traits`). A listed message must be one of its channel's (AsyncAPI 3 requires
//!   it): a `$ref` to the same message object as one of the channel's `messages`.
//! - `security` (of an operation or its traits, or else the union of the servers') is a list
//!   of security schemes, any one of which suffices: each, a `$ref` to
//!   `components/securitySchemes/K`, becomes the alternative `[K]`; a scheme given inline or
//!   by a `$ref` to elsewhere becomes a scheme of the API too, keyed by where it is
//!   (`production_security_1`) or by the name it is referred to by.
//! - `reply` → a second IR operation `<X>Reply`: the opposite action, on the reply's
//!   `channel` (default: the operation's own), with the reply's `messages` (default: all of
//!   that channel's) and the operation's security. A reply's dynamic `address` is not read.
//! - Messages (`traits` merged, the message's own fields winning), `components/messages`,
//!   `components/schemas`, `components/securitySchemes`, `info`, `x-dedup-key` and
//!   `x-codegen` read as in 2.x (see `asyncapi`). A `payload` may be a multi-format schema
//!   `{schemaFormat, schema}`: a JSON Schema format is converted, any other (Avro, Protobuf,
//!   RAML...) is typed as `Any` with a warning.

use std::cell::RefCell;
use std::collections::HashSet;

use serde_json::Value;

use super::asyncapi::{server_security, Major, Merged, Reader};
use super::documents::{Documents, Loc};
use super::{keys_at, object_at, text, IdOrigin};
use crate::diagnostic::Result;
use crate::ir::{Action, Api, Constraints, MessageId, Operation, Parameter, ParameterLocation, SecurityScheme, Ty};
use crate::naming;

pub fn read(docs: &Documents, root: &Loc, version: &str) -> Result<Api> {
    let info = super::read_info(docs, root)?;
    let mut reader = Reader::new(docs, root, Major::Three)?;
    let channels = root.join("channels");
    for key in keys_at(docs, &channels)? {
        let channel = docs.follow(&channels.join(&key))?;
        object_at(docs, &channel)?;
        for (key, loc) in channel_messages(docs, &channel)? {
            reader.message(&loc, &key)?;
        }
    }
    let security = SecurityReader::new(docs, root);
    let servers = server_security(docs, root, |loc| security.read(loc))?;
    let mut operations = Vec::new();
    let mut origins = Vec::new();
    let operations_loc = root.join("operations");
    for id in keys_at(docs, &operations_loc)? {
        let loc = docs.follow(&operations_loc.join(&id))?;
        // The operation's key is its id; its reply's (`{id}Reply`) is made up.
        for (index, operation) in operation(&mut reader, &security, &servers, &loc, &id)?.into_iter().enumerate() {
            origins.push(IdOrigin { loc: loc.clone(), declared: index == 0 });
            operations.push(operation);
        }
    }
    let warnings = super::make_operation_ids_unique(docs, &mut operations, &origins);
    let mut api = reader.finish(root, info, version, operations)?;
    api.security_schemes.extend(security.finish()?);
    api.warnings.extend(warnings);
    Ok(api)
}

/// The operation `id` at `loc` (followed), then its reply when it has one.
fn operation(
    reader: &mut Reader,
    security: &SecurityReader,
    servers: &[Vec<String>],
    loc: &Loc,
    id: &str,
) -> Result<Vec<Operation>> {
    let docs = reader.docs;
    let op = Merged::read(docs, loc, Major::Three)?;
    let action = action(docs, loc)?;
    let channel = Channel::read(docs, loc)?;
    let security = match op.provider("security") {
        Some((source, _)) => security.read(&source.join("security"))?.unwrap_or_default(),
        None => servers.to_vec(),
    };
    let mut operation = on_channel(reader, &channel, &loc.join("messages"), id, action, security.clone())?;
    operation.summary = op.text("summary");
    operation.description = op.text("description").or(operation.description);
    let mut operations = vec![operation];
    if docs.find(&loc.join("reply")).is_some() {
        operations.push(reply(reader, &loc.join("reply"), id, action, channel, security)?);
    }
    Ok(operations)
}

/// The `reply` at `loc` of operation `id`: the opposite action, on the reply's channel
/// (default: the operation's `channel`).
fn reply(
    reader: &mut Reader,
    loc: &Loc,
    id: &str,
    action: Action,
    channel: Channel,
    security: Vec<Vec<String>>,
) -> Result<Operation> {
    let docs = reader.docs;
    let reply = docs.follow(loc)?;
    object_at(docs, &reply)?;
    let channel = match docs.find(&reply.join("channel")) {
        Some(_) => Channel::read(docs, &reply)?,
        None => channel,
    };
    let opposite = if action == Action::Send { Action::Receive } else { Action::Send };
    let reply_id = format!("{id}Reply");
    let mut operation = on_channel(reader, &channel, &reply.join("messages"), &reply_id, opposite, security)?;
    operation.summary = Some(format!("The reply to `{id}`."));
    Ok(operation)
}

/// An operation on `channel` with the messages listed at `messages` (all the channel's
/// when there is no list), described by the channel.
fn on_channel(
    reader: &mut Reader,
    channel: &Channel,
    messages: &Loc,
    id: &str,
    action: Action,
    security: Vec<Vec<String>>,
) -> Result<Operation> {
    Ok(Operation {
        id: id.to_owned(),
        action,
        address: channel.address.clone(),
        summary: None,
        description: channel.description.clone(),
        messages: listed_messages(reader, messages, channel)?,
        parameters: channel.parameters(reader.docs)?,
        request_body: None,
        responses: Vec::new(),
        security,
    })
}

const ACTION_HELP: &str = "write `action: send` (the application sends the messages) or `action: receive`";

/// The operation's `action`: `send` or `receive`.
fn action(docs: &Documents, loc: &Loc) -> Result<Action> {
    match docs.find(&loc.join("action")) {
        Some(Value::String(action)) if action == "send" => Ok(Action::Send),
        Some(Value::String(action)) if action == "receive" => Ok(Action::Receive),
        None => Err(docs.error(loc, "the operation has no `action`").with_help(ACTION_HELP)),
        Some(other) => Err(docs.error(&loc.join("action"), format!("unknown action {other}")).with_help(ACTION_HELP)),
    }
}

/// The channel an operation or a reply is on.
struct Channel {
    /// Where the channel is defined, after following `$ref`s.
    loc: Loc,
    address: String,
    description: Option<String>,
}

impl Channel {
    /// The channel that the `channel` of the operation or reply at `parent` refers to.
    fn read(docs: &Documents, parent: &Loc) -> Result<Channel> {
        let help = "refer to a channel: `channel: {$ref: '#/channels/NAME'}`";
        let loc = parent.join("channel");
        match docs.find(&loc) {
            None => return Err(docs.error(parent, "the operation has no `channel`").with_help(help)),
            Some(Value::Object(map)) if map.contains_key("$ref") => {}
            Some(_) => return Err(docs.error(&loc, "`channel` must be a `$ref` to a channel").with_help(help)),
        }
        let target = docs.follow(&loc)?;
        let channel = object_at(docs, &target)?;
        let address = match channel.get("address") {
            None | Some(Value::Null) => target.last_segment().unwrap_or_default(),
            Some(Value::String(address)) => address.clone(),
            Some(_) => {
                return Err(docs.error(&target.join("address"), "`address` must be a string or null").with_help(
                    "write e.g. `address: 'lights/{lightId}'`, or `address: null` when it is only known at runtime",
                ))
            }
        };
        Ok(Channel { description: text(channel, "description"), loc: target, address })
    }

    /// The channel's `parameters`: the variables of its address.
    fn parameters(&self, docs: &Documents) -> Result<Vec<Parameter>> {
        let loc = self.loc.join("parameters");
        let mut out = Vec::new();
        for name in keys_at(docs, &loc)? {
            let parameter = object_at(docs, &loc.join(&name))?;
            out.push(Parameter {
                doc: text(parameter, "description"),
                name,
                location: ParameterLocation::Path,
                required: true,
                ty: Ty::String,
                constraints: Constraints::default(),
            });
        }
        Ok(out)
    }
}

/// The messages of the channel at `channel` (followed): each key with its location.
fn channel_messages(docs: &Documents, channel: &Loc) -> Result<Vec<(String, Loc)>> {
    let loc = channel.join("messages");
    Ok(keys_at(docs, &loc)?
        .into_iter()
        .map(|key| {
            let at = loc.join(&key);
            (key, at)
        })
        .collect())
}

/// The messages listed at `loc` (an operation's or a reply's), each one of `channel`'s; all
/// of `channel`'s when there is no list.
fn listed_messages(reader: &mut Reader, loc: &Loc, channel: &Channel) -> Result<Vec<MessageId>> {
    let docs = reader.docs;
    let available = channel_messages(docs, &channel.loc)?;
    let count = match docs.find(loc) {
        None => return available.iter().map(|(key, at)| reader.message(at, key)).collect(),
        Some(Value::Array(items)) => items.len(),
        Some(_) => {
            return Err(docs
                .error(loc, "`messages` must be a list of `$ref`s to the channel's messages")
                .with_help(format!("write e.g. `messages: [{{$ref: '{}'}}]`", example_ref(channel, &available))))
        }
    };
    let mut ids = Vec::with_capacity(count);
    for index in 0..count {
        let item = loc.join(&index.to_string());
        let target = docs.follow(&item)?;
        let Some((key, at)) = available.iter().find(|(_, at)| docs.follow(at).is_ok_and(|t| t == target)) else {
            let name = channel.loc.last_segment().unwrap_or_default();
            return Err(docs
                .error(&item, format!("this message is not one of the messages of channel `{name}`"))
                .with_help(format!(
                    "AsyncAPI 3 requires an operation's messages to be `$ref`s to its channel's, e.g. `$ref: '{}'`",
                    example_ref(channel, &available)
                )));
        };
        ids.push(reader.message(at, key)?);
    }
    Ok(ids)
}

/// A `$ref` to the channel's first message, for help texts.
fn example_ref(channel: &Channel, available: &[(String, Loc)]) -> String {
    match available.first() {
        Some((_, at)) if at.file == channel.loc.file => format!("#{}", at.pointer),
        _ => format!("#{}/messages/NAME", channel.loc.pointer),
    }
}

/// Reads 3.0 `security` lists, which name schemes by `$ref` or give them inline, and keeps
/// the schemes that are not under `components/securitySchemes` to add to the API's.
struct SecurityReader<'d> {
    docs: &'d Documents,
    components: Loc,
    /// Schemes met outside `components/securitySchemes`: where each is, and its key.
    others: RefCell<Vec<(Loc, String)>>,
}

impl<'d> SecurityReader<'d> {
    fn new(docs: &'d Documents, root: &Loc) -> Self {
        SecurityReader { docs, components: root.join("components").join("securitySchemes"), others: RefCell::default() }
    }

    /// A `security` list → alternatives of one scheme key each; `None` when there is none.
    fn read(&self, loc: &Loc) -> Result<Option<Vec<Vec<String>>>> {
        let docs = self.docs;
        let count = match docs.find(loc) {
            None => return Ok(None),
            Some(Value::Array(items)) => items.len(),
            Some(_) => {
                return Err(docs.error(loc, "`security` must be a list of security schemes").with_help(
                    "list security scheme objects or `$ref`s to them, e.g. \
                     `security: [{$ref: '#/components/securitySchemes/apiKey'}]`",
                ))
            }
        };
        let mut alternatives = Vec::new();
        for index in 0..count {
            let key = self.key(&docs.follow(&loc.join(&index.to_string()))?);
            if !alternatives.contains(&vec![key.clone()]) {
                alternatives.push(vec![key]);
            }
        }
        Ok(Some(alternatives))
    }

    /// The key of the scheme at `target`: its key under `components/securitySchemes`, else
    /// (inline, or elsewhere) one made from where it is, unique among the scheme keys.
    fn key(&self, target: &Loc) -> String {
        let declared = |key: &String| self.docs.follow(&self.components.join(key)).is_ok_and(|t| t == *target);
        if let Some(key) = target.last_segment().filter(declared) {
            return key;
        }
        let mut others = self.others.borrow_mut();
        if let Some((_, key)) = others.iter().find(|(loc, _)| loc == target) {
            return key.clone();
        }
        // An inline scheme's last segment is its index in the list; a referenced one's, its name.
        let segments: Vec<&str> = target.pointer.split('/').filter(|s| !s.is_empty()).collect();
        let named = segments.last().filter(|last| !last.chars().all(|c| c.is_ascii_digit()));
        let wanted = match named {
            Some(name) => (*name).to_owned(),
            None => segments
                .iter()
                .filter(|s| !matches!(**s, "servers" | "operations"))
                .copied()
                .collect::<Vec<_>>()
                .join("_"),
        };
        let wanted = if wanted.is_empty() { "security".to_owned() } else { wanted };
        let mut taken: HashSet<String> = others.iter().map(|(_, key)| key.clone()).collect();
        taken.extend(keys_at(self.docs, &self.components).unwrap_or_default());
        let key = naming::unique(wanted, &mut taken, "_");
        others.push((target.clone(), key.clone()));
        key
    }

    /// The schemes met outside `components/securitySchemes`, read.
    fn finish(self) -> Result<Vec<SecurityScheme>> {
        let others = self.others.into_inner();
        others.into_iter().map(|(loc, key)| super::read_security_scheme(self.docs, &loc, key)).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::ir::{Api, MessageId, Ty};
    use crate::spec::read_text as read;

    /// The diagnostic for `spec`, which must be refused with a help text.
    fn error(spec: &str) -> Diagnostic {
        let error = read(spec).expect_err("the spec is refused");
        assert!(error.help.is_some(), "no help in {error}");
        error
    }

    fn payload_name(api: &Api, message: MessageId) -> Vec<String> {
        match &api.messages[message.0].payload {
            Some(Ty::Named(id)) => api.types[id.0].name.path.clone(),
            other => panic!("payload {other:?} is not a named type"),
        }
    }

    const LIGHTS: &str = "asyncapi: 3.0.0
info: {title: Lights, version: '1'}
servers:
  prod: {host: example.com, protocol: mqtt, security: [{$ref: '#/components/securitySchemes/basic'}]}
channels:
  measured:
    address: 'lights/{id}/measured'
    description: Measurements.
    parameters:
      id: {description: The light.}
    messages:
      measured: {$ref: '#/components/messages/lightMeasured'}
  commands:
    address: null
    messages:
      turnOn: {$ref: '#/components/messages/turnOn'}
      legacy:
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema: {type: record, name: Legacy, fields: []}
  acks:
    messages:
      ack:
        payload: {type: object, properties: {ok: {type: boolean}}}
operations:
  onMeasured:
    action: receive
    channel: {$ref: '#/channels/measured'}
  turnOn:
    action: send
    summary: Turns a light on.
    channel: {$ref: '#/channels/commands'}
    messages: [{$ref: '#/channels/commands/messages/turnOn'}]
    security: [{$ref: '#/components/securitySchemes/key'}]
    reply:
      channel: {$ref: '#/channels/acks'}
components:
  messages:
    lightMeasured:
      payload: {$ref: '#/components/schemas/Measurement'}
      examples: [{name: dark, summary: Dark, payload: {lumens: 0}}]
    turnOn:
      payload:
        schemaFormat: application/vnd.aai.asyncapi+json;version=3.0.0
        schema: {type: object, properties: {at: {type: string, format: date-time}}}
  schemas:
    Measurement: {type: object, properties: {lumens: {type: integer}}}
  securitySchemes:
    basic: {type: userPassword}
    key: {type: httpApiKey, in: user, name: key}
";

    #[test]
    fn channels_operations_and_replies_are_read() {
        let api = read(LIGHTS).expect("the spec is read");
        assert_eq!(api.format, "AsyncAPI 3.0.0");
        let keys: Vec<&str> = api.messages.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["lightMeasured", "turnOn", "legacy", "ack"]);
        let summary: Vec<(&str, &str, &str)> =
            api.operations.iter().map(|op| (op.id.as_str(), op.action.as_str(), op.address.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("onMeasured", "receive", "lights/{id}/measured"),
                ("turnOn", "send", "commands"),
                ("turnOnReply", "receive", "acks"),
            ]
        );
        let [measured, turn_on, reply] = &api.operations[..] else { unreachable!() };
        assert_eq!(measured.messages, [MessageId(0)]);
        assert_eq!(measured.description.as_deref(), Some("Measurements."));
        assert_eq!(measured.parameters.len(), 1);
        assert_eq!(measured.parameters[0].doc.as_deref(), Some("The light."));
        assert_eq!(turn_on.messages, [MessageId(1)]);
        assert_eq!(turn_on.summary.as_deref(), Some("Turns a light on."));
        assert_eq!(reply.messages, [MessageId(3)]);
        assert_eq!(api.messages[0].examples[0].name.as_deref(), Some("dark"));
    }

    #[test]
    fn payloads_are_typed_and_other_schema_formats_are_warned_about() {
        let api = read(LIGHTS).expect("the spec is read");
        assert_eq!(payload_name(&api, MessageId(0)), ["Measurement"]);
        assert_eq!(payload_name(&api, MessageId(1)), ["turnOnPayload"]);
        assert_eq!(api.messages[2].payload, Some(Ty::Any));
        assert_eq!(payload_name(&api, MessageId(3)), ["ackPayload"]);
        assert_eq!(api.warnings.len(), 1, "{:?}", api.warnings);
        assert!(api.warnings[0].contains("`legacy`") && api.warnings[0].contains("avro"), "{}", api.warnings[0]);
    }

    #[test]
    fn security_is_a_list_of_scheme_refs_inherited_from_servers() {
        let api = read(LIGHTS).expect("the spec is read");
        let security: Vec<String> = api.operations.iter().map(|op| format!("{:?}", op.security)).collect();
        assert_eq!(security, [r#"[["basic"]]"#, r#"[["key"]]"#, r#"[["key"]]"#]);
    }

    #[test]
    fn schemes_given_inline_or_referred_to_elsewhere_are_schemes_of_the_api() {
        let spec = LIGHTS
            .replace(
                "security: [{$ref: '#/components/securitySchemes/basic'}]",
                "security: [{$ref: '#/components/securitySchemes/basic'}, {type: oauth2, flows: {}}]",
            )
            .replace(
                "security: [{$ref: '#/components/securitySchemes/key'}]",
                "security: [{$ref: '#/components/elsewhere/oidc'}, {$ref: '#/components/elsewhere/oidc'}]",
            )
            .replace("  securitySchemes:", "  elsewhere:\n    oidc: {type: openIdConnect}\n  securitySchemes:");
        let api = read(&spec).expect("the spec is read");
        let security: Vec<String> = api.operations.iter().map(|op| format!("{:?}", op.security)).collect();
        let servers = r#"[["basic"], ["prod_security_1"]]"#;
        assert_eq!(security, [servers, r#"[["oidc"]]"#, r#"[["oidc"]]"#]);
        let kinds: Vec<String> = api.security_schemes.iter().map(|s| format!("{} {:?}", s.key, s.kind)).collect();
        assert_eq!(
            kinds,
            [
                "basic HttpBasic",
                "key ApiKey { location: \"user\", name: \"key\" }",
                "prod_security_1 Other(\"oauth2\")",
                "oidc Other(\"openIdConnect\")"
            ]
        );
    }

    #[test]
    fn traits_are_merged_with_the_messages_own_fields_winning() {
        let spec = "asyncapi: 3.0.0
info: {title: T}
channels:
  c:
    messages:
      m: {$ref: '#/components/messages/m'}
operations:
  o:
    action: receive
    channel: {$ref: '#/channels/c'}
    traits: [{$ref: '#/components/operationTraits/t'}]
components:
  messages:
    m:
      description: From the message.
      traits:
        - $ref: '#/components/messageTraits/common'
        - {title: Second}
  messageTraits:
    common:
      description: From the trait.
      title: First
      contentType: application/json
      payload: {$ref: '#/components/schemas/Common'}
  operationTraits:
    t: {summary: From the trait.}
  schemas:
    Common: {type: object, properties: {a: {type: string}}}
";
        let api = read(spec).expect("the spec is read");
        let message = &api.messages[0];
        assert_eq!(message.description.as_deref(), Some("From the message."));
        assert_eq!(message.title.as_deref(), Some("Second"));
        assert_eq!(message.content_type.as_deref(), Some("application/json"));
        assert_eq!(payload_name(&api, MessageId(0)), ["Common"]);
        assert_eq!(api.operations[0].summary.as_deref(), Some("From the trait."));
    }

    const SMALL: &str = "asyncapi: 3.0.0
info: {title: T}
channels:
  c:
    messages:
      m: {payload: {type: string}}
operations:
  o:
OPERATION
components:
  messages:
    other: {payload: {type: string}}
";

    fn small(operation: &str) -> Diagnostic {
        error(&SMALL.replace("OPERATION", operation))
    }

    #[test]
    fn operations_that_break_the_rules_are_refused_clearly() {
        let channel = "    channel: {$ref: '#/channels/c'}\n";
        let missing = small("    action: send");
        assert!(missing.message.contains("has no `channel`"), "{missing}");
        assert_eq!(missing.pointer.as_deref(), Some("/operations/o"));
        let inline = small("    action: send\n    channel: {address: x}");
        assert!(inline.message.contains("`channel` must be a `$ref`"), "{inline}");
        let not_a_list =
            small(&format!("    action: send\n{channel}    messages: {{$ref: '#/channels/c/messages/m'}}"));
        assert!(not_a_list.message.contains("`messages` must be a list"), "{not_a_list}");
        let foreign =
            small(&format!("    action: send\n{channel}    messages: [{{$ref: '#/components/messages/other'}}]"));
        assert!(foreign.message.contains("not one of the messages of channel `c`"), "{foreign}");
        assert!(foreign.help.as_deref().is_some_and(|h| h.contains("#/channels/c/messages/m")), "{foreign}");
        assert_eq!(foreign.pointer.as_deref(), Some("/operations/o/messages/0"));
        let action = small(&format!("    action: publish\n{channel}"));
        assert!(action.message.contains("unknown action \"publish\""), "{action}");
    }
}
