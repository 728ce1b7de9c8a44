//! The language-neutral intermediate representation: the contract between reading specs
//! (`spec`) and writing Rust (`emit`).
//!
//! Types live in one arena ([`Api::types`]) and refer to each other by [`TypeId`]; nothing
//! here is a Rust name yet. Each type carries a [`NameHint`] from which `naming` derives
//! its final, unique name.

use std::path::PathBuf;

/// Everything the generator knows about one spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Which kind of document this came from, with its version (`AsyncAPI 2.6.0`).
    pub format: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    pub messages: Vec<Message>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Things the generator could not express and replaced by something looser.
    pub warnings: Vec<String>,
    /// Hand-written example programs shipped with the crate (`x-codegen.examples`).
    pub crate_examples: Vec<CrateExample>,
    /// The files the spec was read from, for a build script to tell cargo when to generate
    /// again: the spec, every local file a `$ref` or `x-codegen.examples` names, and the
    /// folder of cached remote documents when one was read from it.
    pub sources: Vec<PathBuf>,
}

/// An example program the spec ships with its crate, e.g. a local stand-in server.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateExample {
    /// The example's name: `cargo run --example <name>`.
    pub name: String,
    /// Where the source was read from, relative to the spec.
    pub path: String,
    pub source: String,
    pub required_features: Vec<String>,
    /// `(crate, TOML value)` of each dev-dependency it needs.
    pub dev_dependencies: Vec<(String, String)>,
}

impl Api {
    /// Whether the spec is an OpenAPI document: its crate serves and calls HTTP operations
    /// (`operations`), where an AsyncAPI one's receives callbacks (`webhooks`).
    pub fn is_openapi(&self) -> bool {
        self.format.starts_with("OpenAPI")
    }

    /// Whether a value of `ty` is one piece of text on the wire: a string, number, boolean,
    /// date-time or enum value (what a dedup key or a query parameter can hold).
    pub fn is_scalar(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => matches!(self.types[id.0].kind, TypeKind::Enum { .. }),
            Ty::String | Ty::Integer(_) | Ty::Number | Ty::Boolean | Ty::DateTime => true,
            _ => false,
        }
    }

    /// The fields a JSON pointer walks through, from a value of type `ty`, as (struct, field
    /// index) pairs; the last field's type is a scalar.
    pub fn resolve_pointer(&self, ty: &Ty, pointer: &str) -> Result<Vec<(usize, usize)>, String> {
        let mut steps = Vec::new();
        let mut current = ty;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let Ty::Named(id) = current else {
                return Err(format!("`{pointer}`: `{segment}` is not inside an object with declared properties"));
            };
            let TypeKind::Struct { fields } = &self.types[id.0].kind else {
                return Err(format!("`{pointer}`: `{segment}` is not inside an object with declared properties"));
            };
            let Some(index) = fields.iter().position(|field| field.wire == segment) else {
                return Err(format!("`{pointer}`: the payload has no property `{segment}` here"));
            };
            steps.push((id.0, index));
            current = &fields[index].ty;
        }
        if steps.is_empty() || !self.is_scalar(current) {
            return Err(format!("`{pointer}` does not lead to a scalar property"));
        }
        Ok(steps)
    }
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A type that gets a name of its own in the generated code.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: NameHint,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Values the spec gives as examples of the schema (`example`, `examples`).
    pub examples: Vec<Example>,
}

/// Where a type's name comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameHint {
    /// The path that leads to the type, outermost first: a schema key, then property names
    /// (`["MessageInboundPayload", "message", "channel_identity"]`).
    pub path: Vec<String>,
    /// Declared by the spec under its own key (`components/schemas/X`): the name is the key
    /// and is never qualified with a parent.
    pub declared: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named properties.
    Struct { fields: Vec<Field> },
    /// A string that takes one of the listed values (others are kept, not rejected).
    Enum { values: Vec<String> },
    /// A declared schema that is not an object or enum, e.g. `Ids: {type: array}`.
    Alias(Ty),
    /// An array whose items have a type per position (`items: [A, B]`, `prefixItems`): a
    /// tuple struct.
    Tuple {
        /// The type of each position, in order; every one must be present.
        items: Vec<Ty>,
        /// The type of items after the last position, kept in a trailing `Vec`; `None` when
        /// the schema allows none (`additionalItems: false`, or `items: false` beside
        /// `prefixItems`).
        rest: Option<Ty>,
    },
    /// A value that is one of several schemas (`oneOf`/`anyOf`). Values that no variant, or
    /// more than one, accepts are kept as they are, not rejected.
    Union {
        variants: Vec<Variant>,
        /// The property whose value says which variant a value is (a `discriminator`, or a
        /// property every variant fixes with `const`); without one, variants are told apart
        /// by their required and distinct properties, or by JSON type.
        tag: Option<String>,
    },
}

/// One schema of a [`TypeKind::Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// What the spec calls it: the key of the schema it refers to, or its `title`.
    pub name: Option<String>,
    pub ty: Ty,
    /// The values of the union's tag that select this variant.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    pub doc: Option<String>,
    pub ty: Ty,
    pub required: bool,
    pub constraints: Constraints,
    /// The value the spec says a receiver should assume when the field is absent (`default`),
    /// documented; an absent field still decodes as `None`, so encoding reproduces the input.
    pub default: Option<serde_json::Value>,
}

/// Validation keywords of a schema, kept for documentation and validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// `minimum`, as written: an integer bound may lie beyond what an `f64` holds exactly.
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub pattern: Option<String>,
    /// A `format` that does not change the Rust type (`uri`, `email`, ...).
    pub format: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The integer bound a `minimum` (`up`: rounded up) or `maximum` (rounded down) sets on an
/// integer value; `None` when it lies beyond `i128`.
pub fn integer_bound(bound: &serde_json::Number, up: bool) -> Option<i128> {
    if let Some(exact) = bound.as_i64() {
        return Some(exact.into());
    }
    if let Some(exact) = bound.as_u64() {
        return Some(exact.into());
    }
    let float = bound.as_f64()?;
    let rounded = if up { float.ceil() } else { float.floor() };
    // `i128::MAX as f64` rounds up to 2^127, itself out of range.
    (rounded.is_finite() && rounded >= i128::MIN as f64 && rounded < i128::MAX as f64).then_some(rounded as i128)
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Integer(IntWidth),
    Number,
    Boolean,
    DateTime,
    /// A string the spec marks `format: password`: kept out of `Debug` output.
    Secret,
    /// Anything: the spec gives no type.
    Any,
    /// An object with no declared properties: any keys, any values.
    FreeObject,
    Array(Box<Ty>),
    /// An object whose values all have one type (`additionalProperties: {schema}`).
    Map(Box<Ty>),
    Named(TypeId),
    /// A value that may also be `null` (`nullable: true`, `type: [T, "null"]`).
    Nullable(Box<Ty>),
}

impl Ty {
    /// The named type this is, or holds through arrays, maps and nullables (at most one).
    pub fn named_type(&self) -> Option<TypeId> {
        match self {
            Ty::Named(id) => Some(*id),
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => inner.named_type(),
            _ => None,
        }
    }
}

/// The Rust integer type of an `integer` schema: from its `format` (`int8`..`int64`,
/// `uint8`..`uint64`, `uint`), widened until it holds the declared `minimum`..`maximum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntWidth {
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
}

impl IntWidth {
    /// The smallest and largest value of the type.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntWidth::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntWidth::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntWidth::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntWidth::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntWidth::I128 => (i128::MIN, i128::MAX),
            IntWidth::U8 => (0, u8::MAX.into()),
            IntWidth::U16 => (0, u16::MAX.into()),
            IntWidth::U32 => (0, u32::MAX.into()),
            IntWidth::U64 => (0, u64::MAX.into()),
        }
    }

    /// The type's name in Rust.
    pub fn rust_name(self) -> &'static str {
        match self {
            IntWidth::I8 => "i8",
            IntWidth::I16 => "i16",
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
            IntWidth::I128 => "i128",
            IntWidth::U8 => "u8",
            IntWidth::U16 => "u16",
            IntWidth::U32 => "u32",
            IntWidth::U64 => "u64",
        }
    }

    /// The type a `format` names, if it names an integer type.
    pub fn of_format(format: &str) -> Option<IntWidth> {
        Some(match format {
            "int8" => IntWidth::I8,
            "int16" => IntWidth::I16,
            "int32" => IntWidth::I32,
            "int64" => IntWidth::I64,
            "uint8" => IntWidth::U8,
            "uint16" => IntWidth::U16,
            "uint32" => IntWidth::U32,
            "uint64" | "uint" => IntWidth::U64,
            _ => return None,
        })
    }
}

/// A message that can travel on a channel (AsyncAPI).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The key under `components/messages`, or a name derived from the operation.
    pub key: String,
    /// The message's machine name (`name`), if given.
    pub name: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub content_type: Option<String>,
    pub payload: Option<Ty>,
    pub examples: Vec<Example>,
    /// JSON pointers into the payload whose values, together, identify one callback, so that
    /// a receiver can drop the sender's retries (`x-dedup-key`).
    pub dedup_key: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub name: Option<String>,
    pub payload: serde_json::Value,
    /// Where the spec gives it, `file#/json/pointer`: warnings about the example name it.
    pub location: String,
}

/// Index of a message in [`Api::messages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub usize);

/// Something a receiver or client does: an AsyncAPI channel operation or an OpenAPI
/// path operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    pub action: Action,
    /// The channel address or the path template.
    pub address: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub messages: Vec<MessageId>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives, each a list of scheme keys that must all be satisfied.
    pub security: Vec<Vec<String>>,
}

/// What an operation does: an AsyncAPI action or an HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// AsyncAPI 2: the application receives the messages (`publish` is what others do to it).
    Publish,
    /// AsyncAPI 2: the application sends the messages.
    Subscribe,
    /// AsyncAPI 3: the application sends the messages.
    Send,
    /// AsyncAPI 3: the application receives the messages.
    Receive,
    /// OpenAPI: the HTTP method of a path operation.
    Http(HttpMethod),
}

impl Action {
    /// As the spec writes it: `publish`, `send`, or the method in upper case (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::Subscribe => "subscribe",
            Action::Send => "send",
            Action::Receive => "receive",
            Action::Http(method) => method.as_str(),
        }
    }
}

/// The methods an OpenAPI path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// In upper case, as `http::Method`'s constants are named.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub doc: Option<String>,
    pub ty: Ty,
    pub constraints: Constraints,
}

/// Where a parameter travels (OpenAPI `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    Path,
    Query,
    /// An HTTP header; `Accept`, `Content-Type` and `Authorization` never are parameters
    /// (OpenAPI ignores them: the body and the security schemes say what they hold).
    Header,
    /// One `name=value` pair of the `Cookie` header.
    Cookie,
}

impl ParameterLocation {
    /// As the spec writes it (`in: header`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

/// The status a response is declared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// One status, like `404`.
    Code(u16),
    /// A class, like `4XX`: the digit (`4`).
    Range(u16),
    /// `default`: any status not declared otherwise.
    Default,
}

impl Status {
    /// A `responses` key: `200`, `4XX` (any case) or `default`; `None` for anything else.
    pub fn parse(key: &str) -> Option<Status> {
        let bytes = key.as_bytes();
        match bytes {
            b"default" => Some(Status::Default),
            [class @ b'1'..=b'5', x, y] if x.eq_ignore_ascii_case(&b'x') && y.eq_ignore_ascii_case(&b'x') => {
                Some(Status::Range(u16::from(class - b'0')))
            }
            [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => key.parse().ok().map(Status::Code),
            _ => None,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub doc: Option<String>,
    pub body: Option<Body>,
}

/// A JSON request or response body (OpenAPI): its schema's type and the examples given for it.
///
/// Examples belong to a body's media type, so they live beside its type: only a body with a
/// type has examples that can be decoded, and readers without bodies (AsyncAPI, whose
/// examples are on [`Message`]) still write `request_body: None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: Ty,
    /// The media type's `example` (unnamed) and `examples` (named by their keys), in that order.
    pub examples: Vec<Example>,
}

/// An operation's request body (OpenAPI `requestBody`).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub body: Body,
    /// Whether a request must carry it: `requestBody.required`, which is `false` when absent.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    pub key: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
    /// How the sender signs the request when the scheme carries a signature
    /// (`x-signature`).
    pub signature: Option<Signature>,
}

/// An HMAC-SHA256 signature over parts of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The header carrying the signature.
    pub header: String,
    pub rule: SignatureRule,
}

/// How a signature is made: a scheme the runtime knows by name, or one the spec spells out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureRule {
    /// `x-signature: github`: the runtime's `HmacScheme::GITHUB`.
    Preset(SignaturePreset),
    Custom(CustomSignature),
}

/// The signature schemes the runtime has constants for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignaturePreset {
    Sinch,
    StandardWebhooks,
    Github,
    Line,
}

impl SignaturePreset {
    pub const ALL: [SignaturePreset; 4] = [Self::Sinch, Self::StandardWebhooks, Self::Github, Self::Line];

    /// How a spec names it in `x-signature`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sinch => "sinch",
            Self::StandardWebhooks => "standard-webhooks",
            Self::Github => "github",
            Self::Line => "line",
        }
    }

    /// The runtime's `HmacScheme` constant for it.
    pub fn constant(self) -> &'static str {
        match self {
            Self::Sinch => "SINCH",
            Self::StandardWebhooks => "STANDARD_WEBHOOKS",
            Self::Github => "GITHUB",
            Self::Line => "LINE",
        }
    }

    /// The header the scheme carries its signature in.
    pub fn header(self) -> &'static str {
        match self {
            Self::Sinch => "x-sinch-webhook-signature",
            Self::StandardWebhooks => "webhook-signature",
            Self::Github => "X-Hub-Signature-256",
            Self::Line => "x-line-signature",
        }
    }
}

/// A signature scheme spelled out in `x-signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSignature {
    /// The algorithm's name as senders put it in `algorithm_header` (`HmacSHA256`).
    pub algorithm: String,
    pub algorithm_header: Option<String>,
    pub nonce_header: Option<String>,
    /// A header carrying the signing time in Unix seconds, checked for freshness.
    pub timestamp_header: Option<String>,
    pub encoding: SignatureEncoding,
    /// What is signed, in order.
    pub signed: Vec<SignedPart>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    Base64,
    Hex,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedPart {
    /// The raw request body.
    Body,
    Literal(String),
    Header(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    HttpBasic,
    HttpBearer {
        format: Option<String>,
    },
    /// A secret or signature carried in a header, query parameter or cookie.
    ApiKey {
        location: String,
        name: String,
    },
    /// Any other scheme type, named as the spec names it.
    Other(String),
}

impl SecurityKind {
    /// Whether an OAuth2 or OpenID Connect scheme: a bearer token only a validator can check.
    pub fn is_oauth(&self) -> bool {
        matches!(self, SecurityKind::Other(kind) if kind == "oauth2" || kind == "openIdConnect")
    }

    /// Where an API key of this scheme travels, when HTTP can carry it there: a header, the
    /// query or a cookie. `None` for another location, or another kind of scheme.
    pub fn api_key_location(&self) -> Option<ParameterLocation> {
        let SecurityKind::ApiKey { location, .. } = self else { return None };
        match location.as_str() {
            "header" => Some(ParameterLocation::Header),
            "query" => Some(ParameterLocation::Query),
            "cookie" => Some(ParameterLocation::Cookie),
            _ => None,
        }
    }
}
