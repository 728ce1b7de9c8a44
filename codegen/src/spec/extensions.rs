//! The spec extensions this generator reads, for what AsyncAPI and OpenAPI cannot say:
//!
//! - `x-signature` on an `httpApiKey`/`apiKey` security scheme in a header: the header
//!   carries an HMAC-SHA256 signature of the request, and this says over what, by naming a
//!   preset of the runtime (`sinch`, `standard-webhooks`, `github`, `line`) or spelling it out.
//! - `x-dedup-key` on a message: JSON pointers into the payload whose values together
//!   identify one callback, so that receivers can drop the sender's retries.
//! - `x-codegen.examples` at the top: hand-written example programs (relative paths) that
//!   the generated crate ships, with the features and dev-dependencies they need; how an
//!   API's own conventions (a stand-in server, say) travel with its spec, not the generator.

use serde_json::{Map, Value};

use super::documents::{Documents, Loc};
use super::text;
use crate::diagnostic::Result;
use crate::ir::{
    Api, CrateExample, CustomSignature, Signature, SignatureEncoding, SignaturePreset, SignatureRule, SignedPart, Ty,
};
use crate::project::validate_crate_name;
use crate::toml_text;

const SIGNATURE_HELP: &str = "write a preset, e.g. `x-signature: standard-webhooks` (or `sinch`, `github`, `line`), \
     or spell the scheme out, e.g. `x-signature: {digest: hmac-sha256, encoding: base64, \
     timestampHeader: x-timestamp, signedData: '{body}.{header:x-timestamp}'}`";

/// Reads `x-signature` of the scheme at `loc`, whose signature travels in header `header`:
/// a preset's name (`github`, or `{preset: github}`), or the scheme spelled out.
pub fn signature(docs: &Documents, loc: &Loc, scheme: &Map<String, Value>) -> Result<Option<Signature>> {
    let Some(value) = scheme.get("x-signature") else {
        return Ok(None);
    };
    let loc = loc.join("x-signature");
    let header = match (text(scheme, "in").as_deref(), text(scheme, "name")) {
        (Some("header"), Some(name)) => name,
        _ => {
            return Err(docs
                .error(
                    &loc,
                    "`x-signature` needs a scheme of type `httpApiKey` or `apiKey` with `in: header` and a `name`",
                )
                .with_help("the scheme's `name` is the header that carries the signature"))
        }
    };
    let rule = match value {
        Value::String(name) => SignatureRule::Preset(preset(docs, &loc, name)?),
        Value::Object(spec) => match spec.get("preset") {
            Some(name) => SignatureRule::Preset(preset_entry(docs, &loc, spec, name)?),
            None => SignatureRule::Custom(custom_signature(docs, &loc, spec)?),
        },
        _ => {
            return Err(docs
                .error(&loc, "`x-signature` must be a preset's name or a mapping")
                .with_help(SIGNATURE_HELP))
        }
    };
    if let SignatureRule::Preset(preset) = rule {
        if !header.eq_ignore_ascii_case(preset.header()) {
            return Err(docs
                .error(
                    &loc,
                    format!(
                        "the `{}` preset signs in the `{}` header, but this scheme's `name` is `{header}`",
                        preset.name(),
                        preset.header()
                    ),
                )
                .with_help(format!("set the scheme's `name: {}`, or spell the scheme out", preset.header())));
        }
    }
    Ok(Some(Signature { header, rule }))
}

/// The preset `name` names.
fn preset(docs: &Documents, loc: &Loc, name: &str) -> Result<SignaturePreset> {
    SignaturePreset::ALL.into_iter().find(|preset| preset.name() == name).ok_or_else(|| {
        let names: Vec<&str> = SignaturePreset::ALL.iter().map(|preset| preset.name()).collect();
        docs.error(loc, format!("unknown signature preset `{name}`"))
            .with_help(format!("the presets are {}; or spell the scheme out", names.join(", ")))
    })
}

/// `{preset: NAME}`, which takes no other key.
fn preset_entry(docs: &Documents, loc: &Loc, spec: &Map<String, Value>, name: &Value) -> Result<SignaturePreset> {
    let Value::String(name) = name else {
        return Err(docs.error(&loc.join("preset"), "`preset` must be a string").with_help(SIGNATURE_HELP));
    };
    if let Some(other) = spec.keys().find(|key| *key != "preset") {
        return Err(docs
            .error(&loc.join(other), format!("`{other}` cannot be combined with `preset`"))
            .with_help("a preset is the whole scheme: drop the other keys, or drop `preset` and spell it out"));
    }
    preset(docs, &loc.join("preset"), name)
}

/// `x-signature` spelled out: digest, encoding, signed data and the headers it reads.
fn custom_signature(docs: &Documents, loc: &Loc, spec: &Map<String, Value>) -> Result<CustomSignature> {
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
        return Err(docs.error(loc, "`x-signature` has no `signedData`").with_help(SIGNATURE_HELP));
    };
    let signed = signed_parts(&template).map_err(|message| {
        docs.error(&loc.join("signedData"), message)
            .with_help("write literal text with `{body}` and `{header:NAME}` placeholders")
    })?;
    Ok(CustomSignature {
        algorithm: field("algorithm")?.unwrap_or_else(|| "HmacSHA256".to_owned()),
        algorithm_header: field("algorithmHeader")?,
        nonce_header: field("nonceHeader")?,
        timestamp_header: field("timestampHeader")?,
        encoding,
        signed,
    })
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

/// [`check_dedup_key`] for each message of `api` with a payload, `locs` giving where each
/// message is read from, in order.
pub fn check_dedup_keys<'l>(api: &Api, docs: &Documents, locs: impl IntoIterator<Item = &'l Loc>) -> Result<()> {
    for (message, loc) in api.messages.iter().zip(locs) {
        if let Some(payload) = &message.payload {
            check_dedup_key(api, docs, loc, payload, &message.dedup_key)?;
        }
    }
    Ok(())
}

/// Fails unless every pointer of a message's `x-dedup-key` leads, through object properties,
/// to a scalar of its payload.
fn check_dedup_key(api: &Api, docs: &Documents, loc: &Loc, payload: &Ty, pointers: &[String]) -> Result<()> {
    for (index, pointer) in pointers.iter().enumerate() {
        if let Err(message) = api.resolve_pointer(payload, pointer) {
            return Err(docs
                .error(&loc.join("x-dedup-key").join(&index.to_string()), message)
                .with_help("point through object properties to a string, number, boolean, date-time or enum"));
        }
    }
    Ok(())
}

const EXAMPLE_HELP: &str = "write e.g. `x-codegen: {examples: [{name: stand_in, path: orders/stand_in.rs, \
     required-features: [axum], dev-dependencies: {tokio: '{ version = \"1\", features = [\"full\"] }'}}]}`";

/// Reads `x-codegen.examples` at the top of the spec: each example's source is read from
/// its `path`, relative to the spec.
pub fn crate_examples(docs: &Documents, root: &Loc) -> Result<Vec<CrateExample>> {
    let loc = root.join("x-codegen").join("examples");
    let Some(value) = docs.find(&loc) else {
        return Ok(Vec::new());
    };
    let Value::Array(entries) = value else {
        return Err(docs.error(&loc, "`x-codegen.examples` must be a list").with_help(EXAMPLE_HELP));
    };
    let mut out: Vec<CrateExample> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let loc = loc.join(&index.to_string());
        let example = crate_example(docs, &loc, entry)?;
        if out.iter().any(|e| e.name == example.name) {
            return Err(docs
                .error(&loc.join("name"), format!("a second example named `{}`", example.name))
                .with_help("give each example its own name"));
        }
        out.push(example);
    }
    Ok(out)
}

fn crate_example(docs: &Documents, loc: &Loc, entry: &Value) -> Result<CrateExample> {
    let Value::Object(entry) = entry else {
        return Err(docs.error(loc, "an example must be a mapping").with_help(EXAMPLE_HELP));
    };
    let name = text(entry, "name").unwrap_or_default();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
        return Err(docs
            .error(&loc.join("name"), format!("`{name}` is not an example name"))
            .with_help("use lowercase letters, digits, `_` and `-`, e.g. `name: stand_in`"));
    }
    let Some(path) = text(entry, "path") else {
        return Err(docs.error(loc, "the example has no `path`").with_help(EXAMPLE_HELP));
    };
    let source = docs.read_beside(loc.file, &path).map_err(|cause| {
        let mut diagnostic = docs.error(&loc.join("path"), format!("the example cannot be read: {}", cause.message));
        diagnostic.help = cause.help.or(Some("the path is relative to the spec's folder".to_owned()));
        diagnostic
    })?;
    Ok(CrateExample {
        name,
        path,
        source,
        required_features: strings(docs, &loc.join("required-features"), entry.get("required-features"))?,
        dev_dependencies: dev_dependencies(docs, &loc.join("dev-dependencies"), entry.get("dev-dependencies"))?,
    })
}

fn strings(docs: &Documents, loc: &Loc, value: Option<&Value>) -> Result<Vec<String>> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        }
        Some(_) => {
            Err(docs.error(loc, "must be a list of strings").with_help("write e.g. `required-features: [axum]`"))
        }
    }
}

/// Reads `dev-dependencies`: crate names to registry dependencies, each written as TOML in a
/// string and checked by [`toml_text::dependency`], which also writes it anew for the manifest.
fn dev_dependencies(docs: &Documents, loc: &Loc, value: Option<&Value>) -> Result<Vec<(String, String)>> {
    let help = "write e.g. `tokio: '{ version = \"1\", features = [\"full\"] }'`; only `version`, `features`, \
                `default-features` and `package` are allowed";
    let map = match value {
        None => return Ok(Vec::new()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(docs.error(loc, "must map crate names to TOML values").with_help(help)),
    };
    map.iter()
        .map(|(name, value)| {
            let loc = loc.join(name);
            validate_crate_name(name).map_err(|reason| docs.error(&loc, reason).with_help(help))?;
            let Some(text) = value.as_str() else {
                return Err(docs.error(&loc, "must be a TOML value written as a string").with_help(help));
            };
            let written = toml_text::dependency(text)
                .map_err(|reason| docs.error(&loc, format!("dev-dependency `{name}`: {reason}")).with_help(help))?;
            Ok((name.clone(), written))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::ir::{SignaturePreset, SignatureRule};

    /// A spec with one channel and a signed security scheme named `name` carrying `x-signature`.
    fn spec(name: &str, x_signature: &str) -> String {
        format!(
            "asyncapi: 2.6.0\ninfo: {{title: T, version: '1'}}
channels:
  events:
    subscribe:
      message: {{payload: {{type: object, properties: {{id: {{type: string}}}}}}}}
components:
  securitySchemes:
    signed:
      type: httpApiKey
      in: header
      name: {name}
      x-signature: {x_signature}
"
        )
    }

    fn rule(name: &str, x_signature: &str) -> Result<SignatureRule, String> {
        let api = crate::spec::read_text(&spec(name, x_signature)).map_err(|error| error.to_string())?;
        Ok(api.security_schemes[0].signature.clone().expect("a signature").rule)
    }

    #[test]
    fn presets_are_named_in_one_line_or_as_a_mapping() {
        for preset in SignaturePreset::ALL {
            assert_eq!(rule(preset.header(), preset.name()), Ok(SignatureRule::Preset(preset)));
            let mapping = format!("{{preset: {}}}", preset.name());
            assert_eq!(rule(&preset.header().to_uppercase(), &mapping), Ok(SignatureRule::Preset(preset)));
        }
    }

    #[test]
    fn the_long_form_still_reads() {
        let long = "{digest: hmac-sha256, encoding: hex, timestampHeader: x-t, signedData: '{header:x-t}.{body}'}";
        assert!(matches!(rule("x-sig", long), Ok(SignatureRule::Custom(_))));
    }

    #[test]
    fn wrong_presets_are_refused_with_the_fix() {
        let unknown = rule("x-sig", "stripe").unwrap_err();
        assert!(
            unknown.contains("unknown signature preset `stripe`") && unknown.contains("standard-webhooks"),
            "{unknown}"
        );
        let header = rule("x-sig", "github").unwrap_err();
        assert!(header.contains("`X-Hub-Signature-256`") && header.contains("`x-sig`"), "{header}");
        let mixed = rule("webhook-signature", "{preset: standard-webhooks, encoding: hex}").unwrap_err();
        assert!(mixed.contains("`encoding` cannot be combined with `preset`"), "{mixed}");
        let number = rule("x-sig", "12").unwrap_err();
        assert!(number.contains("a preset's name or a mapping"), "{number}");
    }

    #[test]
    fn a_preset_is_emitted_as_the_runtime_constant() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("events.yaml");
        std::fs::write(&path, spec("webhook-signature", "standard-webhooks")).expect("the spec is written");
        let module = crate::generate_module(&path).unwrap_or_else(|error| panic!("{error}"));
        let constant = "pub const SIGNED: webhook::HmacScheme = webhook::HmacScheme::STANDARD_WEBHOOKS;";
        assert!(module.contains(constant), "{module}");
    }
}
