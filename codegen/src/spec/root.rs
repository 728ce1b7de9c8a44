//! The one place the generator reads files: every file a spec names (the spec itself, a
//! `$ref` target, an `x-codegen.examples` path) must be a regular file inside the spec's root.
//!
//! Specs arrive in pull requests, so a `$ref` is untrusted input: unchecked, `/etc/passwd`
//! would land in the generated code and `/dev/zero` would be read until memory runs out.
//! Paths are compared after resolving `..` and symlinks (`canonicalize`), and every read is
//! bounded while reading, because device and `/proc` files report a length of 0.
//!
//! The check and the open are separate calls, so a file swapped for a FIFO between them
//! could block the read; whoever can do that already controls the machine.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder every file a spec reads must lie in, canonical.
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
}

/// Why a file was not read: a message and how to fix it, for the caller to locate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// The help for a file that cannot be read at all.
const CHECK_THE_PATH: &str =
    "check the path: a relative path is relative to the spec's folder (or to the file that names it)";

impl Refusal {
    pub(super) fn new(message: String, help: impl Into<String>) -> Self {
        Refusal { message, help: help.into() }
    }

    fn unreadable(path: &Path, error: std::io::Error) -> Self {
        Refusal::new(format!("cannot read {}: {error}", path.display()), CHECK_THE_PATH)
    }
}

impl Root {
    /// `given` when the user names a root; else the nearest folder above `spec` that holds a
    /// `.git` (a folder, or a file in a git worktree); else the spec's own folder.
    pub fn find(spec: &Path, given: Option<&Path>) -> Result<Root, Refusal> {
        let canonical = |path: &Path| std::fs::canonicalize(path).map_err(|e| Refusal::unreadable(path, e));
        if let Some(dir) = given {
            return Ok(Root { dir: canonical(dir)? });
        }
        let spec = canonical(spec)?;
        let folder = spec.parent().unwrap_or(Path::new("/"));
        let repository = folder.ancestors().find(|dir| dir.join(".git").exists());
        Ok(Root { dir: repository.unwrap_or(folder).to_path_buf() })
    }

    /// The canonical path of `path` if it is a regular file inside the root.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let canonical = std::fs::canonicalize(path).map_err(|e| Refusal::unreadable(path, e))?;
        if !canonical.starts_with(&self.dir) {
            return Err(Refusal::new(
                format!("{} is outside the spec's root {}", canonical.display(), self.dir.display()),
                "keep every file the spec refers to inside its repository (or its folder), or name a wider root with `--root DIR`",
            ));
        }
        let metadata = std::fs::metadata(&canonical).map_err(|e| Refusal::unreadable(&canonical, e))?;
        if !metadata.is_file() {
            return Err(Refusal::new(
                format!("{} is not a regular file", canonical.display()),
                "name a file, not a folder, a device or a pipe",
            ));
        }
        Ok(canonical)
    }
}

/// The bytes of the file at `path`, refused when there are more than `limit`: the count is
/// kept while reading, so a file that reports a wrong length cannot get past it.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| Refusal::unreadable(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::new(
            format!("{} is over the limit of {limit} bytes", path.display()),
            "split the spec into several files joined by `$ref`s",
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_outside_the_root_through_dots_or_symlinks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("repo");
        std::fs::create_dir_all(inside.join(".git")).unwrap();
        std::fs::create_dir_all(inside.join("specs")).unwrap();
        std::fs::write(inside.join("specs/a.yaml"), "a: 1").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        let root = Root::find(&inside.join("specs/a.yaml"), None).unwrap();
        assert_eq!(root.dir, std::fs::canonicalize(&inside).unwrap());
        assert!(root.confine(&inside.join("specs/../specs/a.yaml")).is_ok());
        let escape = root.confine(&inside.join("specs/../../secret")).unwrap_err();
        assert!(escape.message.contains("outside the spec's root"), "{escape:?}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), inside.join("specs/link.yaml")).unwrap();
            let link = root.confine(&inside.join("specs/link.yaml")).unwrap_err();
            assert!(link.message.contains("outside the spec's root"), "{link:?}");
        }
        let folder = root.confine(&inside.join("specs")).unwrap_err();
        assert!(folder.message.contains("not a regular file"), "{folder:?}");
    }

    #[test]
    fn without_a_repository_the_root_is_the_spec_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "a: 1").unwrap();
        let root = Root::find(&dir.path().join("a.yaml"), None).unwrap();
        // A temporary folder may itself sit in a repository; then that is the root.
        assert!(std::fs::canonicalize(dir.path()).unwrap().starts_with(&root.dir));
        let given = Root::find(&dir.path().join("a.yaml"), Some(Path::new("/"))).unwrap();
        assert_eq!(given.dir, Path::new("/"));
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        std::fs::write(&file, [b'x'; 11]).unwrap();
        assert_eq!(read_limited(&file, 11).unwrap().len(), 11);
        let refused = read_limited(&file, 10).unwrap_err();
        assert!(refused.message.contains("over the limit of 10 bytes"), "{refused:?}");
        #[cfg(target_os = "linux")]
        {
            // Reports a length of 0 and never ends.
            let zero = read_limited(Path::new("/dev/zero"), 1000).unwrap_err();
            assert!(zero.message.contains("over the limit"), "{zero:?}");
        }
    }
}
