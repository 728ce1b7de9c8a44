//! Remote `$ref`s (`https://...`): fetched once, kept beside the spec, read offline after.
//!
//! A spec's remote documents are kept in a folder beside it, `<spec file name>.refs/`,
//! committed like a lock file: later runs, `--check` and CI read the same bytes without a
//! network. The generator has no network code of its own; whoever wants documents fetched
//! (the command line's `--fetch-remote`) supplies a [`Fetch`]. Without one, a reference
//! with no cached copy is refused.
//!
//! A URL is untrusted input like any `$ref`, and so is the folder's `index.json` (both
//! arrive in pull requests): only `http` and `https` URLs without credentials are followed;
//! a cached copy's file name is derived from its URL by escaping every byte but
//! `[A-Za-z0-9._-]` (so it holds no path separator and is never `.` or `..`), and an index
//! entry naming any other file, or a file whose SHA-256 differs, is refused. Cached copies are
//! read like every other file (inside the spec's root, at most [`MAX_DOCUMENT_BYTES`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use url::Url;

use super::documents::MAX_DOCUMENT_BYTES;
use super::root::{read_limited, Refusal, Root};

/// Fetches the documents remote `$ref`s name. The generator calls it only for a URL with no
/// cached copy, at most once per URL, and caches what it returns.
pub trait Fetch: fmt::Debug + Send + Sync {
    /// The body at `url` (`http` or `https`), or why there is none. A body over `limit`
    /// bytes must be refused; the generator checks the length again.
    fn fetch(&self, url: &str, limit: u64) -> Result<Vec<u8>, String>;
}

/// The name of the index in the cache folder.
const INDEX: &str = "index.json";

/// Longest file name kept as it is; longer ones are cut and end with a hash of the URL.
const LONGEST_NAME: usize = 160;

/// One cached document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    file: String,
    sha256: String,
}

/// The cache folder of one spec, and the fetcher that fills it.
pub struct Cache {
    dir: PathBuf,
    fetch: Option<Arc<dyn Fetch>>,
    /// `index.json`, read the first time a remote `$ref` is followed.
    index: RefCell<Option<BTreeMap<String, Entry>>>,
}

impl Cache {
    /// The cache of the spec at `spec`: `<spec file name>.refs/` beside it.
    pub fn beside(spec: &Path, fetch: Option<Arc<dyn Fetch>>) -> Cache {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Cache { dir: spec.with_file_name(format!("{name}.refs")), fetch, index: RefCell::new(None) }
    }

    /// The folder the copies are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The text of the document at `url`: its cached copy, else fetched and cached when a
    /// fetcher was given.
    pub fn text(&self, url: &Url, root: &Root) -> Result<String, Refusal> {
        check_url(url)?;
        let bytes = match self.entry(url, root)? {
            Some(entry) => self.read_cached(url, &entry, root)?,
            None => self.fetch_and_keep(url)?,
        };
        String::from_utf8(bytes).map_err(|e| {
            Refusal::new(
                format!("{url} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
                "refer to a YAML or JSON document",
            )
        })
    }

    /// The index entry of `url`, reading `index.json` the first time.
    fn entry(&self, url: &Url, root: &Root) -> Result<Option<Entry>, Refusal> {
        let mut index = self.index.borrow_mut();
        if index.is_none() {
            *index = Some(self.read_index(root)?);
        }
        Ok(index.as_ref().and_then(|index| index.get(url.as_str()).cloned()))
    }

    fn read_index(&self, root: &Root) -> Result<BTreeMap<String, Entry>, Refusal> {
        let path = self.dir.join(INDEX);
        if !path.exists() {
            return Ok(BTreeMap::new());
        }
        let bytes = read_limited(&root.confine(&path)?, MAX_DOCUMENT_BYTES as u64)?;
        let broken = |why: &str| {
            Refusal::new(
                format!("{} is not an index of cached documents: {why}", path.display()),
                "restore it from version control, or delete the folder and run again with `--fetch-remote`",
            )
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| broken(&e.to_string()))?;
        let Value::Object(entries) = value else { return Err(broken("not a JSON object")) };
        let mut index = BTreeMap::new();
        for (url, entry) in entries {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            let (Some(file), Some(sha256)) = (text("file"), text("sha256")) else {
                return Err(broken(&format!("the entry of {url:?} lacks `file` or `sha256`")));
            };
            index.insert(url, Entry { file, sha256 });
        }
        Ok(index)
    }

    fn read_cached(&self, url: &Url, entry: &Entry, root: &Root) -> Result<Vec<u8>, Refusal> {
        let expected = file_name(url);
        if entry.file != expected {
            return Err(Refusal::new(
                format!(
                    "{} names {:?} as the copy of {url}, not {expected:?}",
                    self.dir.join(INDEX).display(),
                    entry.file
                ),
                "restore the index from version control, or delete the folder and run again with `--fetch-remote`",
            ));
        }
        let bytes = read_limited(&root.confine(&self.dir.join(&entry.file))?, MAX_DOCUMENT_BYTES as u64)?;
        if sha256(&bytes) != entry.sha256 {
            return Err(Refusal::new(
                format!(
                    "the cached copy of {url} ({}) does not match its SHA-256 in {INDEX}",
                    self.dir.join(&entry.file).display()
                ),
                "restore it from version control, or delete it and its index entry and run again with `--fetch-remote`",
            ));
        }
        Ok(bytes)
    }

    fn fetch_and_keep(&self, url: &Url) -> Result<Vec<u8>, Refusal> {
        let Some(fetch) = &self.fetch else {
            return Err(Refusal::new(
                format!("{url} has no cached copy in {}", self.dir.display()),
                format!(
                    "run again with `--fetch-remote` (`CrateOptions::fetch_remote` in the library) to fetch it once \
                     into {}, and commit that folder; or download the document next to the spec and refer to it by a \
                     relative path",
                    self.dir.display()
                ),
            ));
        };
        let limit = MAX_DOCUMENT_BYTES as u64;
        let bytes = fetch
            .fetch(url.as_str(), limit)
            .map_err(|why| Refusal::new(format!("cannot fetch {url}: {why}"), "check the URL, or the network"))?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::new(
                format!("{url} is over the limit of {limit} bytes"),
                "refer to a smaller document, or download it and split it into files joined by `$ref`s",
            ));
        }
        self.keep(url, &bytes).map_err(|e| {
            Refusal::new(
                format!("cannot write the copy of {url} into {}: {e}", self.dir.display()),
                "check that the spec's folder is writable",
            )
        })?;
        Ok(bytes)
    }

    /// Writes `bytes` as the copy of `url` and adds it to the index.
    fn keep(&self, url: &Url, bytes: &[u8]) -> std::io::Result<()> {
        if std::fs::symlink_metadata(&self.dir).is_ok_and(|m| !m.is_dir()) {
            return Err(std::io::Error::other("it is not a folder (a file or a link)"));
        }
        std::fs::create_dir_all(&self.dir)?;
        let entry = Entry { file: file_name(url), sha256: sha256(bytes) };
        write_replacing(&self.dir.join(&entry.file), bytes)?;
        let mut index = self.index.borrow_mut();
        let index = index.get_or_insert_with(BTreeMap::new);
        index.insert(url.as_str().to_owned(), entry);
        let entries: Map<String, Value> = index
            .iter()
            .map(|(url, entry)| (url.clone(), json!({"file": entry.file, "sha256": entry.sha256})))
            .collect();
        let mut text = serde_json::to_string_pretty(&Value::Object(entries)).map_err(std::io::Error::other)?;
        text.push('\n');
        write_replacing(&self.dir.join(INDEX), text.as_bytes())
    }
}

/// Writes `path` through a temporary file beside it, so a reader never sees half a file.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Escapes are `%` and two hex digits, so no cached copy's name ends like this.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!("{name}%partial"));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// Refuses what a remote `$ref` may not name: another scheme, credentials, no host.
pub fn check_url(url: &Url) -> Result<(), Refusal> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::new(
            format!("`$ref` to {url}: only http and https documents can be fetched"),
            "refer to a file by a relative path, or to a document by an https URL",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::new(
            format!("`$ref` to {}: a URL with credentials is refused", url.host_str().unwrap_or_default()),
            "remove the user name and password: they would be written into the cache's index",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Refusal::new(
            format!("`$ref` to {url} names no host"),
            "write the URL in full, e.g. https://example.com/pet.yaml",
        ));
    }
    Ok(())
}

/// The cached copy's file name: host, port, path and query with every byte but
/// `[A-Za-z0-9._-]` percent-escaped (`/` too), so it names one file inside the cache folder.
/// A name too long for a file system is cut and ends with a hash of the URL.
pub fn file_name(url: &Url) -> String {
    let mut text = url.host_str().unwrap_or_default().to_owned();
    if let Some(port) = url.port() {
        let _ = write!(text, ":{port}");
    }
    text.push_str(url.path());
    if let Some(query) = url.query() {
        let _ = write!(text, "?{query}");
    }
    let mut name = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            name.push(byte as char);
        } else {
            let _ = write!(name, "%{byte:02X}");
        }
    }
    if name.len() > LONGEST_NAME {
        // Only ASCII, so any index is a character boundary.
        name.truncate(LONGEST_NAME - 17);
        name.push('-');
        name.push_str(&sha256(url.as_str().as_bytes())[..16]);
    }
    name
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, CrateOptions};

    /// Serves fixed documents by URL and records what was asked.
    #[derive(Debug, Default)]
    struct Documents {
        served: Vec<(&'static str, &'static str)>,
        asked: std::sync::Mutex<Vec<String>>,
    }

    impl Fetch for Documents {
        fn fetch(&self, url: &str, _limit: u64) -> Result<Vec<u8>, String> {
            self.asked.lock().unwrap().push(url.to_owned());
            let found = self.served.iter().find(|(served, _)| *served == url);
            found.map(|(_, text)| text.as_bytes().to_vec()).ok_or_else(|| "404 Not Found".to_owned())
        }
    }

    #[test]
    fn a_relative_ref_in_a_remote_document_stays_remote() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "X: {type: string}").unwrap();
        let spec = dir.path().join("spec.yaml");
        let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                    A: {$ref: 'https://example.com/a/b.yaml#/B'}\n";
        std::fs::write(&spec, text).unwrap();
        let fetch = Arc::new(Documents {
            served: vec![("https://example.com/a/b.yaml", "B: {$ref: '../../../secret.yaml#/X'}")],
            ..Documents::default()
        });
        let options = CrateOptions { fetch_remote: Some(fetch.clone()), ..CrateOptions::new("t", "spec.yaml") };
        let error = generate(&spec, &options).unwrap_err();
        assert!(error.to_string().contains("cannot fetch https://example.com/secret.yaml: 404"), "{error}");
        let asked = fetch.asked.lock().unwrap().clone();
        assert_eq!(asked, ["https://example.com/a/b.yaml", "https://example.com/secret.yaml"]);
        let cached = std::fs::read_dir(dir.path().join("spec.yaml.refs")).unwrap().count();
        assert_eq!(cached, 2, "the fetched document and the index");
    }

    #[test]
    fn file_names_stay_in_the_folder() {
        let name = |url: &str| file_name(&Url::parse(url).unwrap());
        assert_eq!(name("https://example.com/schemas/pet.yaml"), "example.com%2Fschemas%2Fpet.yaml");
        assert_eq!(name("http://127.0.0.1:8080/a.json?v=1"), "127.0.0.1%3A8080%2Fa.json%3Fv%3D1");
        for url in [
            "https://example.com/a/%2e%2e/%2E%2E/../../etc/passwd",
            "https://example.com/..%2f..%2fetc%2fpasswd",
            "https://example.com/a\\..\\..\\b",
            "https://example.com",
            &format!("https://example.com/{}", "x".repeat(400)),
        ] {
            let name = name(url);
            assert!(!name.contains(['/', '\\']) && name != "." && name != "..", "{url}: {name}");
            assert!(name.len() <= LONGEST_NAME, "{url}: {name}");
        }
    }

    #[test]
    fn only_http_and_https_without_credentials() {
        for refused in ["file:///etc/passwd", "ftp://example.com/a.yaml", "https://user:secret@example.com/a.yaml"] {
            let error = check_url(&Url::parse(refused).unwrap()).unwrap_err();
            assert!(!error.message.contains("secret"), "{error:?}");
        }
        assert!(check_url(&Url::parse("https://example.com/a.yaml").unwrap()).is_ok());
    }
}
