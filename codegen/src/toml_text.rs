//! TOML the generator writes into a `Cargo.toml`: strings quoted by TOML's rules, and the
//! dependency values a spec asks for, parsed and written anew.
//!
//! A spec's `x-codegen.examples[].dev-dependencies` is untrusted text. Pasted into the
//! manifest as it is, a value with a newline could add `[lib] path = ...`, `[patch]` or a
//! `build-script`; so a value is parsed as TOML, only the keys of a registry dependency are
//! accepted, and the generator writes each one itself.

use toml_edit::Value;

use crate::bidi::is_bidi;
use crate::project::validate_crate_name;

/// `text` as a TOML basic string: JSON's escapes are TOML's, and TOML also forbids a raw DEL;
/// bidirectional controls are escaped too, so the manifest reads as it parses.
pub fn string(text: &str) -> String {
    let quoted = serde_json::Value::String(text.to_owned()).to_string();
    if !quoted.chars().any(|c| c == '\u{7f}' || is_bidi(c)) {
        return quoted;
    }
    quoted
        .chars()
        .map(|c| if c == '\u{7f}' || is_bidi(c) { format!("\\u{:04X}", c as u32) } else { c.to_string() })
        .collect()
}

/// The keys a dependency of a generated crate may have: where it comes from is always the
/// registry, never a `path`, `git` or other `registry` that could point cargo at other code.
pub const DEPENDENCY_KEYS: [&str; 4] = ["version", "features", "default-features", "package"];

/// A dependency value, `'"1.2"'` or `'{ version = "1", features = ["full"] }'`, checked
/// and written again in the same shape; or why it is refused.
pub fn dependency(text: &str) -> Result<String, String> {
    let value: Value = text.parse().map_err(|e: toml_edit::TomlError| format!("not a TOML value: {}", e.message()))?;
    if let Some(version) = value.as_str() {
        return Ok(string(version));
    }
    let Some(table) = value.as_inline_table() else {
        return Err("must be a version string or an inline table".to_owned());
    };
    let mut entries = Vec::new();
    for (key, value) in table.iter() {
        let written = match (key, value) {
            ("version", Value::String(version)) => string(version.value()),
            ("package", Value::String(package)) => {
                validate_crate_name(package.value())?;
                string(package.value())
            }
            ("default-features", Value::Boolean(flag)) => flag.value().to_string(),
            ("features", Value::Array(features)) => {
                let features: Option<Vec<String>> = features.iter().map(|f| f.as_str().map(string)).collect();
                let features = features.ok_or("`features` must be a list of strings")?;
                format!("[{}]", features.join(", "))
            }
            (key, _) if DEPENDENCY_KEYS.contains(&key) => return Err(format!("`{key}` has the wrong type")),
            (key, _) => {
                return Err(format!(
                    "`{key}` is not allowed: a dependency comes from the registry, with only `{}`",
                    DEPENDENCY_KEYS.join("`, `")
                ))
            }
        };
        entries.push(format!("{key} = {written}"));
    }
    if !table.contains_key("version") {
        return Err("has no `version`".to_owned());
    }
    Ok(format!("{{ {} }}", entries.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_written_anew_in_their_shape() {
        assert_eq!(dependency("\"1.5\""), Ok("\"1.5\"".to_owned()));
        let tokio = r#"{ version = "1", features = ["rt-multi-thread", "net"], default-features = false }"#;
        assert_eq!(dependency(tokio), Ok(tokio.to_owned()));
        assert_eq!(
            dependency("{version='1',package='foo-bar'}"),
            Ok(r#"{ version = "1", package = "foo-bar" }"#.to_owned())
        );
    }

    #[test]
    fn anything_but_a_registry_dependency_is_refused() {
        for (text, reason) in [
            ("\"1\"\n[lib]\npath = \"/anywhere.rs\"", "not a TOML value"),
            ("{ version = \"1\" }\n[patch.crates-io]\nserde = { path = \"/x\" }", "not a TOML value"),
            ("{ path = \"../../x\" }", "`path` is not allowed"),
            ("{ git = \"https://example.com/x\", version = \"1\" }", "`git` is not allowed"),
            ("{ version = \"1\", registry = \"other\" }", "`registry` is not allowed"),
            ("{ features = [\"x\"] }", "has no `version`"),
            ("{ version = 1 }", "`version` has the wrong type"),
            ("{ version = \"1\", features = [1] }", "list of strings"),
            ("{ version = \"1\", package = \"a b\" }", "not a valid crate name"),
            ("1", "a version string or an inline table"),
        ] {
            let refused = dependency(text).expect_err(text);
            assert!(refused.contains(reason), "{text:?}: {refused}");
        }
    }

    #[test]
    fn strings_are_quoted_by_toml_rules() {
        assert_eq!(string("a\"b\n\u{7f}\\\u{202e}"), r#""a\"b\n\u007F\\\u202E""#);
    }
}
