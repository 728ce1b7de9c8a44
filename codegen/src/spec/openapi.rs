//! OpenAPI 3.0 and 3.1: paths and webhooks with their operations, schemas, security.
//!
//! - `paths.<path>.<method>` → an IR operation served and called over HTTP.
//! - `webhooks.<name>.<method>` (3.1) and an operation's `callbacks.<name>.<expression>.<method>`
//!   are requests the API sends to its user: each becomes a *receive* operation with one IR
//!   message, as an AsyncAPI operation does, so the crate gets the same receiver. The message's
//!   payload is the JSON request body's schema, its examples the media type's; its key is the
//!   operation's id, its name, summary and description the operation's, and `x-dedup-key` on
//!   the operation names its dedup key. Its channel address is `/<name>` (the spec gives no
//!   path: a webhook's URL is registered by the user, a callback's comes from a runtime
//!   expression), and the receiver decodes a body posted to `/` by its payload. One without a
//!   JSON body can be received as nothing typed: it is left out, with a warning.

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::documents::{Documents, Loc};
use super::schema::{constraints, describe, TypeSpace};
use super::{object_at, text, IdOrigin};
use crate::diagnostic::Result;
use crate::ir::{
    Action, Api, Body, Example, HttpMethod, Message, MessageId, Operation, Parameter, ParameterLocation, RequestBody,
    Response, SecurityKind, Status, Ty,
};

/// Callbacks of callbacks are legal; this many levels is far more than any real API uses.
const MAX_CALLBACK_DEPTH: usize = 8;

/// Headers OpenAPI says a parameter cannot declare: the body's media type and the security
/// schemes say what they hold.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

pub fn read(docs: &Documents, root: &Loc, version: &str) -> Result<Api> {
    let info = super::read_info(docs, root)?;
    let mut space = TypeSpace::new(docs);
    super::declare_component_schemas(&mut space, docs, root)?;
    let default_security = super::read_security_requirements(docs, &root.join("security"))?.unwrap_or_default();
    let mut paths = PathItems {
        docs,
        space: &mut space,
        default_security: &default_security,
        operations: Vec::new(),
        origins: Vec::new(),
        received: Vec::new(),
        warnings: Vec::new(),
    };
    for section in ["paths", "webhooks"] {
        let items = root.join(section);
        let webhook = section == "webhooks";
        for address in super::keys_at(docs, &items)? {
            let received = webhook.then_some(address.as_str());
            paths.read(&address, &items.join(&address), received, 0)?;
        }
    }
    let PathItems { mut operations, origins, received, warnings: skipped, .. } = paths;
    let (types, mut warnings) = space.finish();
    warnings.extend(skipped);
    warnings.extend(super::make_operation_ids_unique(docs, &mut operations, &origins));
    let messages = messages(&mut operations, &received);
    let security_schemes = super::read_security_schemes(docs, root)?;
    warnings.extend(unchecked_security(&operations, &security_schemes));
    let api = Api {
        format: format!("OpenAPI {version}"),
        title: info.title,
        version: info.version,
        description: info.description,
        types,
        messages,
        operations,
        security_schemes,
        warnings,
        crate_examples: super::extensions::crate_examples(docs, root)?,
        sources: docs.sources(),
    };
    super::extensions::check_dedup_keys(&api, docs, received.iter().map(|receive| &receive.loc))?;
    Ok(api)
}

/// A receive operation, for its message: where it was read and what the request body holds.
struct Received {
    /// Index into the operations.
    operation: usize,
    loc: Loc,
    /// The name of its webhook or callback.
    name: String,
    media_type: String,
    dedup_key: Vec<String>,
}

/// One message per receive operation, from its request body (which moves into the message:
/// the body is what is received, not something this crate sends), once ids are unique.
fn messages(operations: &mut [Operation], received: &[Received]) -> Vec<Message> {
    let mut messages = Vec::with_capacity(received.len());
    for receive in received {
        let op = &mut operations[receive.operation];
        let Some(RequestBody { body, .. }) = op.request_body.take() else { continue };
        op.messages.push(MessageId(messages.len()));
        messages.push(Message {
            key: op.id.clone(),
            name: Some(receive.name.clone()),
            title: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
            content_type: Some(receive.media_type.clone()),
            payload: Some(body.ty),
            examples: body.examples,
            dedup_key: receive.dedup_key.clone(),
        });
    }
    messages
}

/// A warning per operation whose security the generated server cannot check by itself:
/// OAuth2 and OpenID Connect tokens are only accepted once the server is given a validator
/// (`Server::authorize`), a scheme it does not know at all is refused, and so is a set no
/// request can meet.
fn unchecked_security(operations: &[Operation], schemes: &[crate::ir::SecurityScheme]) -> Vec<String> {
    let kind = |key: &String| schemes.iter().find(|scheme| &scheme.key == key).map(|scheme| &scheme.kind);
    let mut out = Vec::new();
    for op in operations.iter().filter(|op| op.messages.is_empty() && op.address.starts_with('/')) {
        if op.security.iter().any(Vec::is_empty) {
            continue; // `{}`: anonymous calls are allowed, so no scheme keeps anyone out.
        }
        let by_scheme = op.security.iter().flatten().filter_map(|key| unchecked_scheme(&op.id, key, kind(key)));
        let by_set = op.security.iter().filter_map(|set| unmeetable(&op.id, set, kind));
        for message in by_scheme.chain(by_set) {
            if !out.contains(&message) {
                out.push(message);
            }
        }
    }
    out
}

/// A warning for a scheme, of kind `kind`, that the generated server cannot check by itself.
fn unchecked_scheme(operation: &str, key: &str, kind: Option<&SecurityKind>) -> Option<String> {
    Some(match kind? {
        scheme @ SecurityKind::Other(kind) if scheme.is_oauth() => format!(
            "operation `{operation}` requires the {kind} scheme `{key}`: the generated server reads its bearer \
             token but refuses every request until `Server::authorize` is given a validator for it"
        ),
        SecurityKind::Other(kind) => format!(
            "operation `{operation}` requires the scheme `{key}` of type `{kind}`, which the generated server \
             cannot check: it refuses requests relying on it"
        ),
        scheme @ SecurityKind::ApiKey { location, .. } if scheme.api_key_location().is_none() => format!(
            "operation `{operation}` requires the API key `{key}` in `{location}`, which HTTP cannot carry: the \
             generated server refuses requests relying on it"
        ),
        _ => return None,
    })
}

/// A warning for a requirement set that asks for Basic credentials and a bearer token
/// together: both travel in the one `Authorization` header, so no request can meet it.
fn unmeetable<'s>(
    operation: &str,
    set: &[String],
    kind: impl Fn(&String) -> Option<&'s SecurityKind>,
) -> Option<String> {
    let basic = set.iter().find(|key| matches!(kind(key), Some(SecurityKind::HttpBasic)))?;
    let bearer = set.iter().find(|key| {
        matches!(kind(key), Some(SecurityKind::HttpBearer { .. })) || kind(key).is_some_and(SecurityKind::is_oauth)
    })?;
    Some(format!(
        "operation `{operation}` requires the schemes `{basic}` and `{bearer}` together, but both travel in the \
         one `Authorization` header: no request can meet that requirement, and the generated server refuses \
         every request relying on it (list them as alternatives, `- {basic}: []` and `- {bearer}: []`, if \
         either will do)"
    ))
}

/// Reads path items (under `paths`, `webhooks`, or an operation's `callbacks`) into
/// operations, with where each was read and whether its id is the spec's own.
struct PathItems<'a, 'b> {
    docs: &'a Documents,
    space: &'b mut TypeSpace<'a>,
    default_security: &'b [Vec<String>],
    operations: Vec<Operation>,
    origins: Vec<IdOrigin>,
    /// The operations that are received (webhooks and callbacks).
    received: Vec<Received>,
    /// Receive operations left out, in sentences.
    warnings: Vec<String>,
}

impl PathItems<'_, '_> {
    /// The operations of the path item at `loc` and, after each, those of its `callbacks`
    /// (requests the API sends back, keyed by a runtime expression such as
    /// `{$request.query.callbackUrl}/data`: received, as webhooks are).
    /// `received` is the name of the webhook or callback the path item belongs to, if it
    /// does: its operations are received.
    fn read(&mut self, address: &str, loc: &Loc, received: Option<&str>, depth: usize) -> Result<()> {
        if depth > MAX_CALLBACK_DEPTH {
            return Err(self.docs.error(loc, format!("callbacks nest more than {MAX_CALLBACK_DEPTH} deep")).with_help(
                "a callback's path item probably refers back to an operation that holds it; break the `$ref` cycle",
            ));
        }
        let item_loc = self.docs.follow(loc)?;
        let item = object_at(self.docs, &item_loc)?;
        let methods: Vec<(HttpMethod, String)> = (HttpMethod::ALL.into_iter())
            .map(|method| (method, method.as_str().to_ascii_lowercase()))
            .filter(|(_, key)| item.contains_key(key))
            .collect();
        for (method, key) in &methods {
            let loc = item_loc.join(key);
            let declared = text(object_at(self.docs, &loc)?, "operationId");
            let id = declared.clone().unwrap_or_else(|| made_up_id(key, address, received, methods.len()));
            let mut reader =
                OperationReader { docs: self.docs, space: self.space, loc: &loc, warnings: &mut self.warnings };
            let mut operation = reader.read(id, address, *method, &item_loc, self.default_security)?;
            // A received operation without a JSON body is left out; its callbacks are not.
            let keep = match received {
                Some(name) => match self.receive(&loc, name)? {
                    Some(receive) => {
                        operation.address = format!("/{name}");
                        self.received.push(receive);
                        true
                    }
                    None => false,
                },
                None => true,
            };
            if keep {
                self.origins.push(IdOrigin { loc: loc.clone(), declared: declared.is_some() });
                self.operations.push(operation);
            }
            let callbacks = loc.join("callbacks");
            for name in super::keys_at(self.docs, &callbacks)? {
                let callback = self.docs.follow(&callbacks.join(&name))?;
                for expression in super::keys_at(self.docs, &callback)? {
                    self.read(&expression, &callback.join(&expression), Some(&name), depth + 1)?;
                }
            }
        }
        Ok(())
    }

    /// The receive operation at `loc`, of webhook or callback `name`, when its request body is
    /// JSON with a schema; else `None`, with a warning.
    fn receive(&mut self, loc: &Loc, name: &str) -> Result<Option<Received>> {
        let body_loc = loc.join("requestBody");
        let media_type = match self.docs.find(&body_loc) {
            Some(_) => json_schema_media(self.docs, &body_loc)?.map(|(_, media_type)| media_type),
            None => None,
        };
        let Some(media_type) = media_type else {
            self.warnings.push(format!(
                "{}: `{name}` has no JSON request body with a schema, so the receiver cannot decode it; it is left out",
                self.docs.describe(loc)
            ));
            return Ok(None);
        };
        let operation = object_at(self.docs, loc)?;
        Ok(Some(Received {
            operation: self.operations.len(),
            loc: loc.clone(),
            name: name.to_owned(),
            media_type: media_type.to_owned(),
            dedup_key: super::extensions::dedup_key(self.docs, loc, operation)?,
        }))
    }
}

/// The id of an operation without `operationId`: its method and address (`GetOrders`), or
/// for a callback its name (`FileUpdated`), with the method when the callback's path item has
/// several (`FileUpdatedDelete`). Callbacks usually share a runtime expression for an address,
/// which would not tell them apart; the name does, and reads well.
fn made_up_id(method: &str, address: &str, callback: Option<&str>, methods: usize) -> String {
    match callback {
        Some(name) if methods > 1 => format!("{name} {method}").to_upper_camel_case(),
        Some(name) => name.to_upper_camel_case(),
        None => format!("{method} {address}").to_upper_camel_case(),
    }
}

struct OperationReader<'a, 'b> {
    docs: &'a Documents,
    space: &'b mut TypeSpace<'a>,
    loc: &'b Loc,
    warnings: &'b mut Vec<String>,
}

impl OperationReader<'_, '_> {
    fn read(
        &mut self,
        id: String,
        address: &str,
        method: HttpMethod,
        item_loc: &Loc,
        default_security: &[Vec<String>],
    ) -> Result<Operation> {
        let op = object_at(self.docs, self.loc)?;
        let mut parameters = self.parameters(&item_loc.join("parameters"), &id)?;
        for parameter in self.parameters(&self.loc.join("parameters"), &id)? {
            parameters.retain(|p| p.name != parameter.name || p.location != parameter.location);
            parameters.push(parameter);
        }
        let request_body = match op.get("requestBody") {
            Some(_) => self.request_body(&id)?,
            None => None,
        };
        let security = super::read_security_requirements(self.docs, &self.loc.join("security"))?
            .unwrap_or_else(|| default_security.to_vec());
        Ok(Operation {
            responses: self.responses(&id)?,
            id,
            action: Action::Http(method),
            address: address.to_owned(),
            summary: text(op, "summary"),
            description: text(op, "description"),
            messages: Vec::new(),
            parameters,
            request_body,
            security,
        })
    }

    fn parameters(&mut self, loc: &Loc, operation_id: &str) -> Result<Vec<Parameter>> {
        let count = match self.docs.find(loc) {
            None => return Ok(Vec::new()),
            Some(Value::Array(list)) => list.len(),
            Some(_) => {
                return Err(self
                    .docs
                    .error(loc, "`parameters` must be a list")
                    .with_help("write `parameters: [{name: id, in: path, schema: {type: string}}]`"))
            }
        };
        let mut out = Vec::with_capacity(count);
        for index in 0..count {
            let param_loc = self.docs.follow(&loc.join(&index.to_string()))?;
            let param = object_at(self.docs, &param_loc)?;
            let (Some(name), Some(location)) = (text(param, "name"), text(param, "in")) else {
                return Err(self
                    .docs
                    .error(&param_loc, "a parameter needs `name` and `in`")
                    .with_help("write e.g. `name: pageSize` and `in: query`"));
            };
            let location = match location.as_str() {
                "path" => ParameterLocation::Path,
                "query" => ParameterLocation::Query,
                "header" => ParameterLocation::Header,
                "cookie" => ParameterLocation::Cookie,
                _ => {
                    return Err(self
                        .docs
                        .error(&param_loc.join("in"), format!("`in: {location}` is not a parameter location"))
                        .with_help("write `in: path`, `in: query`, `in: header` or `in: cookie`"))
                }
            };
            if location == ParameterLocation::Header && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                self.warnings.push(format!(
                    "{}: the header parameter `{name}` of `{operation_id}` is ignored, as OpenAPI says: the body's \
                     media type and the security schemes say what `Accept`, `Content-Type` and `Authorization` hold",
                    self.docs.describe(&param_loc)
                ));
                continue;
            }
            let (ty, constraints) = match param.get("schema") {
                Some(Value::Object(schema)) => {
                    let path = [operation_id.to_owned(), name.clone()];
                    (self.space.convert(&param_loc.join("schema"), &path)?, constraints(schema))
                }
                _ => (Ty::String, Default::default()),
            };
            out.push(Parameter {
                required: param.get("required").and_then(Value::as_bool).unwrap_or(location == ParameterLocation::Path),
                doc: text(param, "description"),
                name,
                location,
                ty,
                constraints,
            });
        }
        Ok(out)
    }

    fn responses(&mut self, operation_id: &str) -> Result<Vec<Response>> {
        let responses_loc = self.loc.join("responses");
        let mut out = Vec::new();
        for key in super::keys_at(self.docs, &responses_loc)? {
            if key.starts_with("x-") {
                continue;
            }
            let Some(status) = Status::parse(&key) else {
                return Err(self
                    .docs
                    .error(&responses_loc.join(&key), format!("`{key}` is not a response status"))
                    .with_help("key a response by its status (`200`), a range (`4XX`) or `default`"));
            };
            let loc = self.docs.follow(&responses_loc.join(&key))?;
            let response = object_at(self.docs, &loc)?;
            let name = if out.is_empty() {
                format!("{operation_id}Response")
            } else {
                format!("{operation_id}{}Response", key.to_upper_camel_case())
            };
            out.push(Response { body: self.body(&loc, &name)?, doc: describe(response), status });
        }
        Ok(out)
    }

    /// The operation's `requestBody`, if it has a JSON schema, and whether it is required.
    fn request_body(&mut self, id: &str) -> Result<Option<RequestBody>> {
        let loc = self.docs.follow(&self.loc.join("requestBody"))?;
        let required = object_at(self.docs, &loc)?.get("required").and_then(Value::as_bool).unwrap_or(false);
        let body = self.body(&loc, &format!("{id}Request"))?;
        Ok(body.map(|body| RequestBody { body, required }))
    }

    /// The JSON schema of a request body or response, if it has one, with its examples.
    fn body(&mut self, loc: &Loc, name: &str) -> Result<Option<Body>> {
        let Some((media_loc, _)) = json_schema_media(self.docs, loc)? else {
            return Ok(None);
        };
        let ty = self.space.convert(&media_loc.join("schema"), &[name.to_owned()])?;
        Ok(Some(Body { ty, examples: media_examples(self.docs, &media_loc)? }))
    }
}

/// The examples of a media type: `example`, then each of `examples` (an Example Object or a
/// `$ref` to one) that has a `value`; one given only by `externalValue` is skipped.
fn media_examples(docs: &Documents, media_loc: &Loc) -> Result<Vec<Example>> {
    let media = object_at(docs, media_loc)?;
    let mut out = Vec::new();
    if let Some(value) = media.get("example") {
        let location = docs.describe(&media_loc.join("example"));
        out.push(Example { name: None, payload: value.clone(), location });
    }
    let examples_loc = media_loc.join("examples");
    for name in super::keys_at(docs, &examples_loc)? {
        let example_loc = docs.follow(&examples_loc.join(&name))?;
        let example = object_at(docs, &example_loc)?;
        if let Some(value) = example.get("value") {
            let location = docs.describe(&example_loc.join("value"));
            out.push(Example { name: Some(name), payload: value.clone(), location });
        }
    }
    Ok(out)
}

/// The JSON media type of the request body or response at `loc`, with its location, when it
/// has a schema: what both a body's type and a received message are read from.
fn json_schema_media<'d>(docs: &'d Documents, loc: &Loc) -> Result<Option<(Loc, &'d str)>> {
    let loc = docs.follow(loc)?;
    let Some(Value::Object(content)) = object_at(docs, &loc)?.get("content") else {
        return Ok(None);
    };
    let Some(media_type) = json_media_type(content) else {
        return Ok(None);
    };
    let media_loc = loc.join("content").join(media_type);
    Ok(object_at(docs, &media_loc)?.get("schema").is_some().then_some((media_loc, media_type)))
}

fn json_media_type(content: &Map<String, Value>) -> Option<&str> {
    content.keys().map(String::as_str).find(|media| *media == "application/json" || media.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use crate::ir::{Ty, TypeKind};
    use crate::spec::read_text;

    #[test]
    fn callbacks_are_read_as_receive_operations_with_a_message_each() {
        let api = read_text(
            "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /streams:
    post:
      operationId: subscribe
      responses: {'201': {description: created}}
      callbacks:
        onData:
          '{$request.query.callbackUrl}/data':
            post:
              operationId: onData
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties: {userData: {type: string}}
              responses: {'202': {description: received}}
",
        )
        .unwrap();
        let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ids, ["subscribe", "onData"]);
        let on_data = &api.operations[1];
        assert_eq!(on_data.address, "/onData");
        assert_eq!((on_data.messages.len(), on_data.request_body.is_none()), (1, true));
        let message = &api.messages[on_data.messages[0].0];
        assert_eq!((message.key.as_str(), message.name.as_deref()), ("onData", Some("onData")));
        let Some(Ty::Named(payload)) = &message.payload else { panic!("{message:?}") };
        let TypeKind::Struct { fields } = &api.types[payload.0].kind else { panic!("{:?}", api.types[payload.0]) };
        assert_eq!(fields[0].wire, "userData");
        assert!(api.operations[0].messages.is_empty(), "a path operation receives nothing");
    }

    #[test]
    fn webhooks_become_messages_with_their_examples_and_dedup_key_and_bodiless_ones_a_warning() {
        let api = read_text(
            "openapi: 3.1.0
info: {title: T, version: '1'}
webhooks:
  order.paid:
    post:
      summary: An order was paid.
      x-dedup-key: [/id]
      requestBody:
        content:
          application/cloudevents+json:
            schema: {type: object, properties: {id: {type: string}}}
            example: {id: a}
            examples: {second: {value: {id: b}}}
      responses: {'200': {description: ok}}
  ping:
    post:
      responses: {'200': {description: ok}}
",
        )
        .unwrap();
        assert_eq!(api.operations.len(), 1);
        let op = &api.operations[0];
        assert_eq!((op.id.as_str(), op.address.as_str()), ("OrderPaid", "/order.paid"));
        let message = &api.messages[0];
        assert_eq!(message.summary.as_deref(), Some("An order was paid."));
        assert_eq!(message.content_type.as_deref(), Some("application/cloudevents+json"));
        assert_eq!(message.dedup_key, ["/id"]);
        let names: Vec<Option<&str>> = message.examples.iter().map(|e| e.name.as_deref()).collect();
        assert_eq!(names, [None, Some("second")]);
        assert!(api.warnings.iter().any(|w| w.contains("`ping` has no JSON request body")), "{:?}", api.warnings);
        let bad = read_text(
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  a:\n    post:\n      x-dedup-key: [/missing]\n      requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}\n      responses: {'200': {description: ok}}\n",
        )
        .expect_err("a dedup key pointing nowhere");
        assert_eq!(bad.pointer.as_deref(), Some("/webhooks/a/post/x-dedup-key/0"));
    }

    #[test]
    fn callbacks_without_a_json_body_are_left_out_with_a_warning() {
        let callback = |name: &str| {
            format!(
                "        {name}:\n          '{{$request.body#/endpoint}}':\n            post: {{responses: {{'204': {{description: ok}}}}}}\n"
            )
        };
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /watches:\n    post:\n      responses: {{'201': {{description: ok}}}}\n      callbacks:\n{}{}",
            callback("fileUpdated"),
            callback("fileDeleted"),
        );
        let api = read_text(&spec).unwrap();
        let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ids, ["PostWatches"]);
        let warnings = api.warnings.join("\n");
        assert!(warnings.contains("`fileUpdated` has no JSON request body"), "{warnings}");
        assert!(warnings.contains("`fileDeleted` has no JSON request body"), "{warnings}");
    }

    #[test]
    fn a_duplicate_operation_id_is_suffixed_in_order_with_a_warning_naming_both_places() {
        let get = |path: &str| {
            format!("  {path}:\n    get: {{operationId: getOrder, responses: {{'200': {{description: ok}}}}}}\n")
        };
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{}{}{}",
            get("/orders"),
            get("/archive"),
            get("/old")
        );
        let api = read_text(&spec).unwrap();
        let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ids, ["getOrder", "getOrder_2", "getOrder_3"]);
        assert_eq!(api.warnings.len(), 2, "{:?}", api.warnings);
        let first = &api.warnings[0];
        assert!(first.contains("spec.yaml#/paths/~1archive/get:"), "{first}");
        assert!(first.contains("first used at") && first.contains("spec.yaml#/paths/~1orders/get"), "{first}");
        assert!(first.contains("`getOrder_2`"), "{first}");
    }

    #[test]
    fn parameters_statuses_bodies_and_security_say_what_they_mean() {
        use crate::ir::{Action, HttpMethod, ParameterLocation, Status};
        let api = read_text(
            "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    post:
      security: [{oauth: []}, {digest: []}, {key: []}, {key: [], oauth: []}]
      parameters:
        - {name: X-Id, in: header, required: true}
        - {name: s, in: cookie}
        - {name: content-TYPE, in: header}
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        '200': {description: ok}
        4xx: {description: no}
        default: {description: other}
        x-note: {description: not a status}
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {}}
    digest: {type: http, scheme: digest}
    key: {type: apiKey, in: header, name: X-Key}
",
        )
        .unwrap();
        let op = &api.operations[0];
        assert_eq!(op.action, Action::Http(HttpMethod::Post));
        let params: Vec<(&str, ParameterLocation, bool)> =
            op.parameters.iter().map(|p| (p.name.as_str(), p.location, p.required)).collect();
        assert_eq!(params, [("X-Id", ParameterLocation::Header, true), ("s", ParameterLocation::Cookie, false)]);
        assert_eq!(op.request_body.as_ref().map(|body| body.required), Some(false));
        let statuses: Vec<Status> = op.responses.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [Status::Code(200), Status::Range(4), Status::Default]);
        assert_eq!(statuses.iter().map(Status::to_string).collect::<Vec<_>>(), ["200", "4XX", "default"]);
        let warnings = api.warnings.join("\n");
        assert!(warnings.contains("the header parameter `content-TYPE` of `PostA` is ignored"), "{warnings}");
        assert!(warnings.contains("requires the oauth2 scheme `oauth`"), "{warnings}");
        assert!(warnings.contains("requires the scheme `digest` of type `http`"), "{warnings}");
        assert!(!warnings.contains("together"), "{warnings}");
        assert_eq!(op.security, [vec!["oauth"], vec!["digest"], vec!["key"], vec!["key", "oauth"]]);
        assert!(!warnings.contains("API key `key`"), "{warnings}");

        let junk = read_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        ok: {description: x}\n");
        assert!(junk.unwrap_err().to_string().contains("`ok` is not a response status"));
        let head = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nsecurity: ";
        let anonymous = read_text(&format!("{head}[{{}}, {{key: []}}]\n")).unwrap();
        assert!(anonymous.warnings.iter().all(|w| !w.contains("security")), "{:?}", anonymous.warnings);
        let oauth = "\ncomponents: {securitySchemes: {oauth: {type: oauth2, flows: {}}}}\n";
        let path = "paths: {/a: {get: {responses: {'204': {description: x}}}}}";
        let head = head.replace("paths: {}", path);
        let refused = read_text(&format!("{head}[{{oauth: []}}]{oauth}")).unwrap();
        assert!(refused.warnings.iter().any(|w| w.contains("refuses every request")), "{:?}", refused.warnings);
        let optional = read_text(&format!("{head}[{{}}, {{oauth: []}}]{oauth}")).unwrap();
        assert_eq!(optional.warnings, Vec::<String>::new(), "`{{}}` lets every request in");
        // A requirement that is not an object is refused rather than read as `{}` (anyone).
        let error = read_text(&format!("{head}[key]\n")).unwrap_err().to_string();
        assert!(error.contains("(at /security/0)") && error.contains("must be an object of scheme names"), "{error}");
    }

    #[test]
    fn basic_and_a_bearer_token_required_together_get_a_warning() {
        let api = read_text(
            "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      security: [{basic: [], bearer: []}, {bearer: [], oauth: []}, {basic: [], oauth: []}]
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    bearer: {type: http, scheme: bearer}
    oauth: {type: oauth2, flows: {}}
",
        )
        .unwrap();
        let together: Vec<&String> = api.warnings.iter().filter(|w| w.contains("together")).collect();
        let [first, second] = &together[..] else { panic!("{:?}", api.warnings) };
        assert!(first.contains("`basic` and `bearer` together, but both travel in the one `Authorization`"), "{first}");
        assert!(second.contains("`basic` and `oauth` together"), "{second}");
    }
}
