//! The spec extensions this generator reads, for what AsyncAPI and OpenAPI cannot say:
//!
//! - `x-signature` on an `httpApiKey`/`apiKey` security scheme in a header: the header
//!   carries an HMAC-SHA256 signature of the request, and this says over what.
//! - `x-dedup-key` on a message: JSON pointers into the payload whose values together
//!   identify one callback, so that receivers can drop the sender's retries.

use serde_json::{Map, Value};

use super::documents::{Documents, Loc};
use super::text;
use crate::diagnostic::Result;
use crate::ir::{Api, Signature, SignatureEncoding, SignedPart, Ty};

const SIGNATURE_HELP: &str = "write e.g. `x-signature: {digest: hmac-sha256, encoding: base64, \
     timestampHeader: x-timestamp, signedData: '{body}.{header:x-timestamp}'}`";

/// Reads `x-signature` of the scheme at `loc`, whose signature travels in header `header`.
pub fn signature(docs: &Documents, loc: &Loc, scheme: &Map<String, Value>) -> Result<Option<Signature>> {
    let Some(value) = scheme.get("x-signature") else {
        return Ok(None);
    };
    let loc = loc.join("x-signature");
    let Value::Object(spec) = value else {
        return Err(docs.error(&loc, "`x-signature` must be a mapping").with_help(SIGNATURE_HELP));
    };
    let header = match (text(scheme, "in").as_deref(), text(scheme, "name")) {
        (Some("header"), Some(name)) => name,
        _ => {
            return Err(docs
                .error(&loc, "`x-signature` needs a scheme of type `httpApiKey` or `apiKey` with `in: header` and a `name`")
                .with_help("the scheme's `name` is the header that carries the signature"))
        }
    };
    let field = |key: &str| -> Result<Option<String>> {
        match spec.get(key) {
            None => Ok(None),
            Some(Value::String(value)) => Ok(Some(value.clone())),
            Some(_) => Err(docs.error(&loc.join(key), format!("`{key}` must be a string")).with_help(SIGNATURE_HELP)),
        }
    };
    match field("digest")?.as_deref() {
        Some("hmac-sha256") => {}
        other => {
            return Err(docs
                .error(&loc.join("digest"), format!("unsupported signature digest {other:?}"))
                .with_help("the only digest supported is `digest: hmac-sha256`"))
        }
    }
    let encoding = match field("encoding")?.as_deref() {
        None | Some("base64") => SignatureEncoding::Base64,
        Some("hex") => SignatureEncoding::Hex,
        Some(other) => {
            return Err(docs
                .error(&loc.join("encoding"), format!("unsupported signature encoding `{other}`"))
                .with_help("use `encoding: base64` (standard, padded) or `encoding: hex`"))
        }
    };
    let Some(template) = field("signedData")? else {
        return Err(docs.error(&loc, "`x-signature` has no `signedData`").with_help(SIGNATURE_HELP));
    };
    let signed = signed_parts(&template).map_err(|message| {
        docs.error(&loc.join("signedData"), message)
            .with_help("write literal text with `{body}` and `{header:NAME}` placeholders")
    })?;
    Ok(Some(Signature {
        header,
        algorithm: field("algorithm")?.unwrap_or_else(|| "HmacSHA256".to_owned()),
        algorithm_header: field("algorithmHeader")?,
        nonce_header: field("nonceHeader")?,
        timestamp_header: field("timestampHeader")?,
        encoding,
        signed,
    }))
}

/// `{body}.{header:x-nonce}` → body, ".", header x-nonce.
fn signed_parts(template: &str) -> Result<Vec<SignedPart>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            parts.push(SignedPart::Literal(rest[..start].to_owned()));
        }
        let Some(end) = rest[start..].find('}') else {
            return Err(format!("unclosed `{{` in `{template}`"));
        };
        let placeholder = &rest[start + 1..start + end];
        parts.push(match placeholder.split_once(':') {
            None if placeholder == "body" => SignedPart::Body,
            Some(("header", name)) if !name.is_empty() => SignedPart::Header(name.to_owned()),
            _ => return Err(format!("unknown placeholder `{{{placeholder}}}` in `{template}`")),
        });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(SignedPart::Literal(rest.to_owned()));
    }
    if !parts.contains(&SignedPart::Body) {
        return Err(format!("`{template}` does not sign the body: add `{{body}}`"));
    }
    Ok(parts)
}

/// Reads `x-dedup-key` of the message at `loc`: a list of JSON pointers.
pub fn dedup_key(docs: &Documents, loc: &Loc, message: &Map<String, Value>) -> Result<Vec<String>> {
    let help = "write e.g. `x-dedup-key: [/batch_id, /recipient]`: JSON pointers to scalar properties of the payload";
    match message.get("x-dedup-key") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(index, item)| match item.as_str() {
                Some(pointer) if pointer.starts_with('/') => Ok(pointer.to_owned()),
                _ => Err(docs
                    .error(&loc.join("x-dedup-key").join(&index.to_string()), "not a JSON pointer")
                    .with_help(help)),
            })
            .collect(),
        Some(_) => Err(docs
            .error(&loc.join("x-dedup-key"), "`x-dedup-key` must be a non-empty list of JSON pointers")
            .with_help(help)),
    }
}

/// Fails unless every pointer of a message's `x-dedup-key` leads, through object properties,
/// to a scalar of its payload.
pub fn check_dedup_key(api: &Api, docs: &Documents, loc: &Loc, payload: &Ty, pointers: &[String]) -> Result<()> {
    for (index, pointer) in pointers.iter().enumerate() {
        if let Err(message) = api.resolve_pointer(payload, pointer) {
            return Err(docs
                .error(&loc.join("x-dedup-key").join(&index.to_string()), message)
                .with_help("point through object properties to a string, number, boolean, date-time or enum"));
        }
    }
    Ok(())
}
