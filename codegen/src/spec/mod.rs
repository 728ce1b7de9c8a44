//! Reading spec documents into the IR.
//!
//! `documents` loads files and follows `$ref`s, `schema` turns JSON Schemas (each read
//! through its `keywords`) into the type space, and `asyncapi` (2.x), `asyncapi3` (3.0) and
//! `openapi` read the rest of each format (channels, operations, messages, security schemes).
//! The format is recognised by its version field. Files are read only through `root`,
//! which keeps them inside the spec's root and under a size limit.

mod asyncapi;
mod asyncapi3;
mod documents;
mod extensions;
mod keywords;
mod openapi;
mod remote;
mod root;
mod schema;
mod spans;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

pub(crate) use documents::push_segment;
pub use documents::MAX_DOCUMENT_BYTES;
use documents::{Documents, Loc};
pub use remote::Fetch;
pub(crate) use schema::kind_of;

use crate::diagnostic::Result;
use crate::ir::{Api, Operation, SecurityKind, SecurityScheme};
use crate::naming;

/// Reads the spec at `path` (and every file it refers to) into the IR; the files must lie
/// in the spec's default root (see [`read_within`]).
pub fn read(path: &Path) -> Result<Api> {
    read_within(path, None, None)
}

/// Reads the spec at `path` into the IR, refusing to read any file (the spec, a `$ref`
/// target, an example) that is not a regular file inside `root`, after resolving `..` and
/// symlinks. Without a `root`: the nearest folder above the spec that holds `.git`, else
/// the spec's own folder. Remote `$ref`s are read from the spec's cache folder
/// (`<spec file name>.refs/`), and what it lacks is fetched into it with `fetch`, if given.
pub fn read_within(path: &Path, root: Option<&Path>, fetch: Option<Arc<dyn Fetch>>) -> Result<Api> {
    let (docs, root) = Documents::open(path, root, fetch)?;
    let document = docs.root(root.file);
    let Some(top) = document.as_object() else {
        return Err(docs
            .error(&root, "the document is not a mapping")
            .with_help("a spec starts with `asyncapi: 2.6.0` or `openapi: 3.1.0`"));
    };
    for key in ["asyncapi", "openapi"] {
        match top.get(key) {
            Some(Value::String(_)) | None => {}
            Some(other) => {
                let message = format!("the `{key}` version must be a string, found {}", schema::kind_of(other));
                return Err(docs
                    .error(&root.join(key), message)
                    .with_help(format!("quote the version: `{key}: '{}'`", example_version(key))));
            }
        }
    }
    let version = |key: &str| top.get(key).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
    match (version("asyncapi"), version("openapi"), version("swagger")) {
        (Some(v), _, _) if v.starts_with("2.") => asyncapi::read(&docs, &root, &v),
        (Some(v), _, _) if v.starts_with("3.") => asyncapi3::read(&docs, &root, &v),
        (Some(v), _, _) => Err(docs
            .error(&root.join("asyncapi"), format!("AsyncAPI {v} is not supported"))
            .with_help("this generator reads AsyncAPI 2.0 to 2.6 and 3.0")),
        (_, Some(v), _) if v.starts_with("3.0") || v.starts_with("3.1") => openapi::read(&docs, &root, &v),
        (_, Some(v), _) => Err(docs
            .error(&root.join("openapi"), format!("OpenAPI {v} is not supported"))
            .with_help("this generator reads OpenAPI 3.0 and 3.1")),
        (_, _, Some(v)) => Err(docs
            .error(&root.join("swagger"), format!("Swagger {v} is not supported"))
            .with_help("convert the document to OpenAPI 3 first")),
        _ => Err(docs
            .error(&root, "not an AsyncAPI or OpenAPI document: no `asyncapi` or `openapi` version field")
            .with_help("add `asyncapi: 2.6.0` or `openapi: 3.1.0` at the top")),
    }
}

/// A version to show in help for the version field `key`.
fn example_version(key: &str) -> &'static str {
    if key == "openapi" {
        "3.0.3"
    } else {
        "2.6.0"
    }
}

/// Reads a spec given as text, written to a temporary file first.
#[cfg(test)]
pub(crate) fn read_text(spec: &str) -> Result<Api> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).expect("the spec is written");
    read(&path)
}

/// The `info` block: title, version and description.
struct Info {
    title: String,
    version: String,
    description: Option<String>,
}

fn read_info(docs: &Documents, root: &Loc) -> Result<Info> {
    let loc = root.join("info");
    if docs.find(&loc).is_none() {
        return Err(docs
            .error(root, "`info` is missing")
            .with_help("add `info: {title: Orders API, version: '1.0.0'}` at the top"));
    }
    let info = object_at(docs, &loc)?;
    let Some(title) = text(info, "title") else {
        return Err(docs
            .error(&loc, "`info.title` is missing")
            .with_help("give the API a title, e.g. `title: Orders API`"));
    };
    Ok(Info { title, version: text(info, "version").unwrap_or_default(), description: text(info, "description") })
}

/// The mapping at `loc` (after following `$ref`s); a clear error if it is something else.
fn object_at<'d>(docs: &'d Documents, loc: &Loc) -> Result<&'d Map<String, Value>> {
    let target = docs.follow(loc)?;
    match docs.get(&target)? {
        Value::Object(map) => Ok(map),
        other => Err(docs
            .error(&target, format!("expected a mapping, found {}", schema::kind_of(other)))
            .with_help("see the AsyncAPI/OpenAPI specification for the shape of this object")),
    }
}

/// The keys of the optional mapping at `loc`, in document order. The mapping must be written
/// out: its entries are read at `loc`, where a `$ref` (which neither format allows for
/// these maps) would not lead.
fn keys_at(docs: &Documents, loc: &Loc) -> Result<Vec<String>> {
    match docs.find(loc) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) if map.contains_key("$ref") => Err(docs
            .error(&loc.join("$ref"), "a `$ref` cannot stand for this whole mapping")
            .with_help("write the entries out here; `$ref` each entry instead")),
        Some(_) => Ok(object_at(docs, loc)?.keys().cloned().collect()),
    }
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Declares every schema under `components/schemas` so that each gets its own type.
fn declare_component_schemas(space: &mut schema::TypeSpace, docs: &Documents, root: &Loc) -> Result<()> {
    let schemas = root.join("components").join("schemas");
    for key in keys_at(docs, &schemas)? {
        space.declare(&schemas.join(&key), &key)?;
    }
    Ok(())
}

fn read_security_schemes(docs: &Documents, root: &Loc) -> Result<Vec<SecurityScheme>> {
    let schemes = root.join("components").join("securitySchemes");
    let mut out = Vec::new();
    for key in keys_at(docs, &schemes)? {
        out.push(read_security_scheme(docs, &schemes.join(&key), key)?);
    }
    Ok(out)
}

/// The security scheme object at `loc`, known as `key`.
fn read_security_scheme(docs: &Documents, loc: &Loc, key: String) -> Result<SecurityScheme> {
    let scheme = object_at(docs, loc)?;
    let kind_name = text(scheme, "type").unwrap_or_default();
    let scheme_name = text(scheme, "scheme").map(|s| s.to_ascii_lowercase());
    let kind = match (kind_name.as_str(), scheme_name.as_deref()) {
        ("httpBasicAuth" | "userPassword", _) | ("http", Some("basic")) => SecurityKind::HttpBasic,
        ("http", Some("bearer")) => SecurityKind::HttpBearer { format: text(scheme, "bearerFormat") },
        ("apiKey" | "httpApiKey", _) => SecurityKind::ApiKey {
            location: text(scheme, "in").unwrap_or_default(),
            name: text(scheme, "name").unwrap_or_default(),
        },
        (other, _) => SecurityKind::Other(other.to_owned()),
    };
    let signature = extensions::signature(docs, loc, scheme)?;
    Ok(SecurityScheme { key, kind, description: text(scheme, "description"), signature })
}

/// A list of security requirement objects → alternatives of scheme keys.
fn read_security_requirements(docs: &Documents, loc: &Loc) -> Result<Option<Vec<Vec<String>>>> {
    match docs.find(loc) {
        None => Ok(None),
        // Not read as `{}`: that one allows anonymous access.
        Some(Value::Array(alternatives)) => alternatives
            .iter()
            .enumerate()
            .map(|(index, alternative)| match alternative {
                Value::Object(schemes) => Ok(schemes.keys().cloned().collect()),
                _ => Err(docs
                    .error(&loc.join(&index.to_string()), "a security requirement must be an object of scheme names")
                    .with_help("write e.g. `{basicAuth: []}`, or `{}` to allow anonymous access")),
            })
            .collect::<Result<_>>()
            .map(Some),
        Some(_) => Err(docs
            .error(loc, "`security` must be a list of requirement objects")
            .with_help("write e.g. `security: [{basicAuth: []}]`")),
    }
}

/// Where an operation was read, and whether its id is the spec's own (`operationId`, or an
/// AsyncAPI 3 operation key) rather than one this reader made up.
struct IdOrigin {
    loc: Loc,
    declared: bool,
}

/// Gives every operation a unique id, in order of appearance: a later duplicate gets a
/// suffix chosen by [`naming::unique`] (`getOrder_2`). Two operations that declare the same
/// id are a mistake in the spec, but real specs contain them, so that is a warning naming
/// both places rather than a refusal; a made-up id that repeats another is simply suffixed.
fn make_operation_ids_unique(docs: &Documents, operations: &mut [Operation], origins: &[IdOrigin]) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut declared_at: HashMap<String, &Loc> = HashMap::new();
    let mut warnings = Vec::new();
    for (operation, origin) in operations.iter_mut().zip(origins) {
        let id = naming::unique(operation.id.clone(), &mut taken, "_");
        if !origin.declared {
            operation.id = id;
            continue;
        }
        match declared_at.get(&operation.id) {
            Some(first) => warnings.push(format!(
                "{}: duplicate operationId {:?}, first used at {}; this operation is generated as `{id}`; \
                 give every operation a unique operationId",
                docs.describe(&origin.loc),
                operation.id,
                docs.describe(first),
            )),
            None => {
                declared_at.insert(operation.id.clone(), &origin.loc);
            }
        }
        operation.id = id;
    }
    warnings
}
