//! Loading YAML/JSON documents and resolving `$ref`s between and within them.
//!
//! Documents are read with `serde-saphyr` (YAML 1.2: `on`/`off` stay strings) into
//! `serde_json::Value`s. Files are loaded lazily, the first time a `$ref` needs them, so a
//! reference nobody follows (say, inside an `x-` extension) never fails the build.
//! Line and column numbers are recovered only when a diagnostic needs them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use elsa::FrozenVec;
use serde_json::Value;
use serde_saphyr::budget::BudgetBreach;
use url::Url;

use super::remote::{Cache, Fetch};
use super::root::{read_limited, Refusal, Root};
use super::spans;
use crate::diagnostic::{Diagnostic, Result};

/// Index of a loaded file in [`Documents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

/// A place in a loaded document: a file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub pointer: String,
}

impl Loc {
    /// The location of a child: `segment` is escaped as RFC 6901 requires.
    pub fn join(&self, segment: &str) -> Loc {
        let mut pointer = String::with_capacity(self.pointer.len() + 1 + segment.len());
        pointer.push_str(&self.pointer);
        push_segment(&mut pointer, segment);
        Loc { file: self.file, pointer }
    }

    /// The last segment of the pointer, unescaped; `None` for a document root.
    pub fn last_segment(&self) -> Option<String> {
        let (_, last) = self.pointer.rsplit_once('/')?;
        Some(last.replace("~1", "/").replace("~0", "~"))
    }
}

/// Appends `/segment` to a JSON pointer, escaped as RFC 6901 requires.
pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// A place being walked: a [`Loc`] and segments below it, spelled out as a pointer only when
/// something needs one (a diagnostic, a `$ref`, a type's key).
///
/// Schema conversion walks every property of every schema, and a pointer string for each
/// cost more than reading the property.
#[derive(Debug, Clone, Copy)]
pub enum Place<'p> {
    At(&'p Loc),
    Child(&'p Place<'p>, &'p str),
}

impl Place<'_> {
    pub fn child<'c>(&'c self, segment: &'c str) -> Place<'c> {
        Place::Child(self, segment)
    }

    pub fn loc(&self) -> Loc {
        match self {
            Place::At(loc) => (*loc).clone(),
            Place::Child(parent, segment) => {
                let mut loc = parent.loc();
                push_segment(&mut loc.pointer, segment);
                loc
            }
        }
    }
}

/// Documents larger than this are refused rather than risking memory exhaustion.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

struct Document {
    /// The path as the user (or the referring document) named it; a remote document's URL.
    path: PathBuf,
    /// Where a remote document came from: its relative `$ref`s are relative to this.
    url: Option<Url>,
    source: String,
    value: Value,
}

/// Every document reachable from the root spec.
///
/// Documents are only ever added, never changed, so values borrowed from one stay valid while
/// a `$ref` loads another: the readers walk the documents without copying them.
pub struct Documents {
    files: FrozenVec<Box<Document>>,
    by_path: RefCell<HashMap<PathBuf, FileId>>,
    /// Remote documents by URL (without fragment).
    by_url: RefCell<HashMap<String, FileId>>,
    /// Where every file read must lie (see [`Root`]).
    root: Root,
    /// Copies of remote documents beside the spec, and what fetches missing ones.
    cache: Cache,
    /// Files read beside a document that are not documents themselves (example programs).
    beside: RefCell<Vec<PathBuf>>,
}

impl Documents {
    /// Loads the root document; it and every file it refers to must lie inside `root` (by
    /// default, see [`Root::find`]). Remote documents are read from the spec's cache, and
    /// fetched into it with `fetch` when it lacks them.
    pub fn open(path: &Path, root: Option<&Path>, fetch: Option<Arc<dyn Fetch>>) -> Result<(Documents, Loc)> {
        let root = Root::find(path, root).map_err(|refusal| refused(path, refusal))?;
        let documents = Documents {
            files: FrozenVec::new(),
            by_path: RefCell::new(HashMap::new()),
            by_url: RefCell::new(HashMap::new()),
            root,
            cache: Cache::beside(path, fetch),
            beside: RefCell::new(Vec::new()),
        };
        let file = documents.load(path)?;
        Ok((documents, Loc { file, pointer: String::new() }))
    }

    pub fn path(&self, file: FileId) -> &Path {
        &self.document(file).path
    }

    /// Every file read so far, as named when read (relative paths stay relative): the local
    /// documents in the order loaded, the files read beside them, and the cache folder if a
    /// remote document came from it.
    pub fn sources(&self) -> Vec<PathBuf> {
        let documents = (0..self.files.len()).map(|id| self.document(FileId(id)));
        let mut sources: Vec<PathBuf> =
            documents.clone().filter(|document| document.url.is_none()).map(|document| document.path.clone()).collect();
        sources.extend(self.beside.borrow().iter().cloned());
        if documents.into_iter().any(|document| document.url.is_some()) {
            sources.push(self.cache.dir().to_path_buf());
        }
        sources
    }

    /// The whole value of a file.
    pub fn root(&self, file: FileId) -> &Value {
        &self.document(file).value
    }

    fn document(&self, file: FileId) -> &Document {
        &self.files[file.0]
    }

    /// The value at `loc`, which must exist (locations come from walking the documents).
    pub fn get(&self, loc: &Loc) -> Result<&Value> {
        self.find(loc).ok_or_else(|| self.error(loc, "internal: no value at this location"))
    }

    /// The value at `loc`, if there is one.
    pub fn find(&self, loc: &Loc) -> Option<&Value> {
        lookup(self.root(loc.file), &loc.pointer)
    }

    /// A diagnostic pointing at `loc`, with its line and column when they can be found.
    pub fn error(&self, loc: &Loc, message: impl Into<String>) -> Diagnostic {
        let document = self.document(loc.file);
        let mut diagnostic = Diagnostic::new(&document.path, message);
        diagnostic.line_col = spans::line_col(&document.source, &loc.pointer);
        diagnostic.pointer = Some(loc.pointer.clone());
        diagnostic
    }

    /// Follows `$ref`s starting at `loc` until a value that is not a reference.
    ///
    /// Returns the location of that value. A chain of references that comes back to itself
    /// is an error naming every step.
    pub fn follow(&self, loc: &Loc) -> Result<Loc> {
        match self.get(loc)?.get("$ref") {
            None => Ok(loc.clone()),
            Some(reference) => self.follow_reference(loc, reference),
        }
    }

    /// [`follow`](Self::follow) for a caller that has read the value at `loc` and found that it
    /// is a reference, `reference` being its `$ref`.
    pub fn follow_reference(&self, loc: &Loc, reference: &Value) -> Result<Loc> {
        // The locations reached through more references, after `loc`; most references lead
        // straight to a schema and never need this.
        let mut through: Vec<Loc> = Vec::new();
        let mut reference = reference;
        loop {
            let current = through.last().unwrap_or(loc);
            let Some(text) = reference.as_str() else {
                return Err(self
                    .error(&current.join("$ref"), "`$ref` must be a string")
                    .with_help("write the reference as a string, e.g. '#/components/schemas/Name'"));
            };
            let (next, value) = self.target(current, text)?;
            if next == *loc || through.contains(&next) {
                let chain: Vec<String> = std::iter::once(loc)
                    .chain(&through)
                    .chain(std::iter::once(&next))
                    .map(|l| self.describe(l))
                    .collect();
                return Err(self
                    .error(current, format!("cyclic `$ref` chain: {}", chain.join(" -> ")))
                    .with_help("one of these references must point at a real schema"));
            }
            match value.get("$ref") {
                Some(next_reference) => reference = next_reference,
                None => return Ok(next),
            }
            through.push(next);
        }
    }

    /// Resolves one `$ref` string found at `at`.
    pub fn resolve(&self, at: &Loc, reference: &str) -> Result<Loc> {
        Ok(self.target(at, reference)?.0)
    }

    /// [`resolve`](Self::resolve), with the value the reference leads to.
    fn target(&self, at: &Loc, reference: &str) -> Result<(Loc, &Value)> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            at.file
        } else if let Some(url) = self.remote_url(at.file, file_part) {
            let url = url.map_err(|why| {
                self.error(at, format!("remote `$ref` {reference:?} is not a URL: {why}"))
                    .with_help("write the URL in full, e.g. https://example.com/pet.yaml#/Pet")
            })?;
            self.load_remote(url).map_err(|cause| {
                let mut diagnostic =
                    self.error(at, format!("remote `$ref` {reference:?} cannot be loaded: {}", cause.message));
                diagnostic.help = cause.help;
                diagnostic
            })?
        } else {
            let base = self.path(at.file);
            let target = base.parent().unwrap_or(Path::new("")).join(file_part);
            self.load(&target).map_err(|cause| {
                let mut diagnostic =
                    self.error(at, format!("`$ref` {reference:?} cannot be loaded: {}", cause.message));
                diagnostic.help =
                    cause.help.or(Some(format!("check that {} exists, relative to {}", file_part, base.display())));
                diagnostic
            })?
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(self
                .error(at, format!("`$ref` {reference:?} has a fragment that is not a JSON pointer"))
                .with_help("write fragments as JSON pointers, e.g. '#/components/schemas/Name'"));
        }
        let target = Loc { file, pointer };
        let Some(value) = lookup(self.root(file), &target.pointer) else {
            return Err(self
                .error(at, format!("unresolved `$ref` {reference:?}: {} does not exist", self.describe(&target)))
                .with_help("fix the reference or add the missing definition"));
        };
        Ok((target, value))
    }

    /// `file#/pointer`, for messages.
    pub fn describe(&self, loc: &Loc) -> String {
        format!("{}#{}", self.path(loc.file).display(), loc.pointer)
    }

    /// The URL a `$ref`'s file part names in the document `from`, when it names a remote
    /// document: any reference in a remote document, or one with a scheme (`https:`).
    fn remote_url(&self, from: FileId, file_part: &str) -> Option<Result<Url, url::ParseError>> {
        match &self.document(from).url {
            Some(base) => Some(base.join(file_part)),
            None => has_scheme(file_part).then(|| Url::parse(file_part)),
        }
    }

    /// The remote document at `url`, from the cache or fetched into it.
    fn load_remote(&self, url: Url) -> Result<FileId> {
        let shown = PathBuf::from(url.as_str());
        if let Some(id) = self.by_url.borrow().get(url.as_str()) {
            return Ok(*id);
        }
        let source = self.cache.text(&url, &self.root).map_err(|refusal| refused(&shown, refusal))?;
        let value = parse(&shown, &source)?;
        let id = FileId(self.files.len());
        self.by_url.borrow_mut().insert(url.as_str().to_owned(), id);
        self.files.push(Box::new(Document { path: shown, url: Some(url), source, value }));
        Ok(id)
    }

    /// The text of a file named by `relative` in the document `file`, relative to that
    /// document's folder: confined to the root and the size limit like every document.
    pub fn read_beside(&self, file: FileId, relative: &str) -> Result<String> {
        if let Some(url) = &self.document(file).url {
            return Err(Diagnostic::new(
                self.path(file),
                format!("{url} is a remote document: it cannot name local files"),
            )
            .with_help("name example programs in the spec itself"));
        }
        let path = self.path(file).parent().unwrap_or(Path::new("")).join(relative);
        let canonical = self.root.confine(&path).map_err(|refusal| refused(&path, refusal))?;
        let source = read_source(&path, &canonical)?;
        self.beside.borrow_mut().push(path);
        Ok(source)
    }

    fn load(&self, path: &Path) -> Result<FileId> {
        let key = self.root.confine(path).map_err(|refusal| refused(path, refusal))?;
        if let Some(id) = self.by_path.borrow().get(&key) {
            return Ok(*id);
        }
        let source = read_source(path, &key)?;
        let value = parse(path, &source)?;
        let id = FileId(self.files.len());
        self.files.push(Box::new(Document { path: path.to_path_buf(), url: None, source, value }));
        self.by_path.borrow_mut().insert(key, id);
        Ok(id)
    }
}

/// Whether a reference starts with a URL scheme (`https:`), RFC 3986: a letter, then letters,
/// digits, `+`, `-` or `.`, then `:`. A Windows drive (`C:`) is one letter, so a path.
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else { return false };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A file's problem as a diagnostic about the file; a caller that follows a `$ref` locates it.
fn refused(path: &Path, refusal: Refusal) -> Diagnostic {
    Diagnostic::new(path, refusal.message).with_help(refusal.help)
}

/// The text of `path` (named as the user wrote it), read from `canonical`.
fn read_source(path: &Path, canonical: &Path) -> Result<String> {
    let bytes = read_limited(canonical, MAX_DOCUMENT_BYTES as u64).map_err(|refusal| refused(path, refusal))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let mut diagnostic = Diagnostic::new(path, format!("the file is not UTF-8 (byte {valid_up_to})"))
            .with_help("save the spec as UTF-8");
        diagnostic.line_col = Some(line_col_of_byte(e.as_bytes(), valid_up_to));
        diagnostic
    })
}

/// The 1-based line and column (in characters) of the byte at `offset`, which follows a valid
/// UTF-8 prefix.
fn line_col_of_byte(bytes: &[u8], offset: usize) -> (u64, u64) {
    let prefix = &bytes[..offset];
    let line_start = prefix.iter().rposition(|b| *b == b'\n').map_or(0, |newline| newline + 1);
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line as u64, column as u64)
}

fn parse(path: &Path, source: &str) -> Result<Value> {
    let value: Value = serde_saphyr::from_str_with_options(source, yaml_options()).map_err(|e| {
        let (message, help) = match budget_breach(&e) {
            Some(breach) => over_limit(breach),
            None => {
                let message = e.without_snippet().to_string();
                let help = if message.contains("duplicate mapping key") {
                    "remove or rename one of the two keys"
                } else {
                    "fix the syntax at this line and column"
                };
                let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
                (format!("invalid YAML: {message}"), help.to_owned())
            }
        };
        let mut diagnostic = Diagnostic::new(path, message).with_help(help);
        diagnostic.line_col = e.location().filter(|l| l.line() > 0).map(|l| (l.line(), l.column()));
        diagnostic
    })?;
    if value.is_null() {
        let mut diagnostic = Diagnostic::new(path, "the document is empty")
            .with_help("a spec starts with `asyncapi: 2.6.0` or `openapi: 3.1.0`");
        diagnostic.line_col = Some((1, 1));
        return Err(diagnostic);
    }
    Ok(value)
}

/// The parser's limit that `error` reports breaching, if that is what it reports.
fn budget_breach(error: &serde_saphyr::Error) -> Option<&BudgetBreach> {
    match error {
        serde_saphyr::Error::Budget { breach, .. } => Some(breach),
        serde_saphyr::Error::WithSnippet { error, .. } | serde_saphyr::Error::AliasError { error, .. } => {
            budget_breach(error)
        }
        _ => None,
    }
}

/// The message and help for a breach of the parser's limits (see [`yaml_options`]).
fn over_limit(breach: &BudgetBreach) -> (String, String) {
    let budget = yaml_options().budget.unwrap_or_default();
    let exceeds = |what: &str, limit: String| format!("the document exceeds the parser's limit on {what} ({limit})");
    let split = "split the spec into several files joined by `$ref`s".to_owned();
    let anchors = "use fewer YAML anchors and aliases (`&name`, `*name`), or write the values out".to_owned();
    match breach {
        BudgetBreach::Depth { .. } => (
            format!("the document nests deeper than the limit of {} levels", budget.max_depth),
            "flatten the schema by moving nested parts under `components/schemas` and referring to them with `$ref`"
                .to_owned(),
        ),
        BudgetBreach::Nodes { .. } => (exceeds("values", format!("{} values", budget.max_nodes)), split),
        BudgetBreach::Events { .. } => (exceeds("parser events", format!("{} events", budget.max_events)), split),
        BudgetBreach::ScalarBytes { .. } => {
            (exceeds("text in values", format!("{} bytes", budget.max_total_scalar_bytes)), split)
        }
        BudgetBreach::InputBytes { .. } => {
            let limit = budget.max_reader_input_bytes.map_or_else(|| "unset".to_owned(), |b| format!("{b} bytes"));
            (exceeds("input size", limit), split)
        }
        BudgetBreach::Documents { .. } => (
            exceeds("YAML documents in one file", format!("{} documents", budget.max_documents)),
            "keep one YAML document per file".to_owned(),
        ),
        BudgetBreach::Aliases { .. } => (exceeds("aliases", format!("{} aliases", budget.max_aliases)), anchors),
        BudgetBreach::Anchors { .. } => (exceeds("anchors", format!("{} anchors", budget.max_anchors)), anchors),
        BudgetBreach::AliasAnchorRatio { .. } => (
            exceeds("aliases per anchor", format!("{} aliases per anchor", budget.alias_anchor_ratio_multiplier)),
            anchors,
        ),
        BudgetBreach::RecordedAnchorEvents { .. } => {
            (exceeds("values copied by aliases", format!("{} events", budget.max_recorded_anchor_events)), anchors)
        }
        BudgetBreach::RecordedAnchorBytes { .. } => {
            (exceeds("text copied by aliases", format!("{} bytes", budget.max_recorded_anchor_bytes)), anchors)
        }
        BudgetBreach::MergeKeys { .. } => (
            exceeds("merge keys", format!("{} merge keys", budget.max_merge_keys)),
            "use fewer `<<` merge keys".to_owned(),
        ),
        BudgetBreach::SequenceUnbalanced => (
            "invalid YAML: a list or mapping is closed that was never opened".to_owned(),
            "fix the syntax at this line and column".to_owned(),
        ),
        other => (
            format!("the document exceeds a limit of the parser: {other:?}"),
            "simplify the document at this line and column".to_owned(),
        ),
    }
}

/// YAML 1.2 core schema: only `true`/`false` are booleans, so the `on`/`off`/`yes`/`no` that
/// real specs leave unquoted in enums stay the strings their authors meant; duplicate keys
/// are an error rather than silently dropping one definition.
///
/// The node and event budgets scale with [`MAX_DOCUMENT_BYTES`] (a node takes at least two
/// bytes of text) instead of serde-saphyr's defaults, which refuse a spec of 10,000 schemas.
/// What the byte limit cannot bound, alias expansion and nesting depth, keeps the crate's
/// defaults.
pub fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = MAX_DOCUMENT_BYTES / 2;
    budget.max_events = MAX_DOCUMENT_BYTES;
    options.budget = Some(budget);
    options
}

/// RFC 6901 lookup, as `Value::pointer` does it, but copying a segment only when it holds an
/// escape: readers look up deep pointers once per schema and property.
fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut current = root;
    for segment in pointer.strip_prefix('/')?.split('/') {
        let unescaped;
        let segment = if segment.contains('~') {
            unescaped = segment.replace("~1", "/").replace("~0", "~");
            unescaped.as_str()
        } else {
            segment
        };
        current = match current {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(array_index(segment)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// An array index as RFC 6901 writes it: digits, without leading zeros.
fn array_index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() > 1) {
        return None;
    }
    segment.parse().ok()
}

fn percent_decode(fragment: &str) -> String {
    // Nearly every reference has nothing to decode.
    if !fragment.contains('%') {
        return fragment.to_owned();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_spells_out_the_pointer_of_the_same_joins() {
        let root = Loc { file: FileId(0), pointer: "/components".to_owned() };
        let at = Place::At(&root);
        let schemas = at.child("schemas");
        let place = schemas.child("a/b~c");
        assert_eq!(place.loc(), root.join("schemas").join("a/b~c"));
        assert_eq!(place.loc().pointer, "/components/schemas/a~1b~0c");
    }
}
