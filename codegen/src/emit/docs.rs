//! Spec prose → doc comments that rustdoc renders as written.
//!
//! Descriptions are Markdown written for a web page, not for rustdoc: indented lines would
//! become doctests, `[x]` intra-doc links, bare URLs and `<tags>` lint warnings. These
//! rewrites keep `cargo doc` and clippy quiet without changing what a reader sees.
//!
//! Also the prose the generator writes itself: a type's doc when the spec gives none, and
//! constraints in words.

use proc_macro2::TokenStream;
use quote::quote;

use super::Space;
use crate::ir::{Constraints, Ty, TypeId};

/// `#[doc = "..."]` attributes for spec prose, one per line.
pub fn attrs(text: &str) -> TokenStream {
    lines(text)
        .into_iter()
        .map(|line| {
            let line = pad(line);
            quote!(#[doc = #line])
        })
        .collect()
}

/// `#![doc = "..."]` attributes for lines that are already safe Markdown.
pub fn inner_attrs(lines: &[String]) -> TokenStream {
    lines
        .iter()
        .map(|line| {
            let line = pad(line.clone());
            quote!(#![doc = #line])
        })
        .collect()
}

/// Spec prose as one line, e.g. for a table cell.
pub fn one_line(text: &str) -> String {
    lines(text).join(" ").trim().replace('|', "\\|")
}

/// A doc line as written after `///`: a space first, and nothing rustc refuses in a comment.
pub fn pad(line: String) -> String {
    if line.is_empty() {
        line
    } else {
        format!(" {}", visible(&line))
    }
}

/// `text` with every character rustc refuses or warns about in a comment or literal
/// written as visible `\u{..}` text: control characters but tab (a bare carriage return
/// is an error in a doc comment) and the bidirectional controls that can make code read
/// other than it compiles (the deny-by-default `text_direction_codepoint_in_comment`).
pub fn visible(text: &str) -> String {
    if !text.chars().any(hidden) {
        return text.to_owned();
    }
    text.chars().map(|c| if hidden(c) { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() }).collect()
}

/// Whether `c` is a control character (but tab) or a bidirectional control.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || crate::bidi::is_bidi(c)
}

/// The lines of a doc comment for `text`.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if line.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        let escaped = escape(line);
        match (list_marker_width(line), list_indent) {
            (Some(width), _) => {
                list_indent = Some(width);
                out.push(escaped);
            }
            (None, Some(indent)) => out.push(format!("{}{escaped}", " ".repeat(indent))),
            (None, None) => out.push(escaped),
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// The width of a list marker (`- `, `* `, `1. `) starting `line`, if it is a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Escapes what rustdoc would read as links or HTML; wraps bare URLs so they are links.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_len) = bare_url_len(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of an `http(s)://` URL at the start of `text`, without trailing punctuation.
fn bare_url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

/// The spec's description; else, for a message payload, the message it carries; else
/// where the schema sits in the spec.
pub fn type_doc(space: &Space, id: TypeId) -> String {
    let def = &space.api.types[id.0];
    if let Some(doc) = &def.doc {
        return doc.clone();
    }
    let carried: Vec<String> = space
        .api
        .messages
        .iter()
        .filter(|m| m.payload == Some(Ty::Named(id)))
        .map(|m| match m.summary.as_deref().or(m.title.as_deref()) {
            Some(summary) => format!("- `{}`: {}", m.key, summary.trim()),
            None => format!("- `{}`", m.key),
        })
        .collect();
    match carried.as_slice() {
        [] => format!("`{}` in the spec.", def.name.path.join(".")),
        [one] => format!("Payload of the message {}", one.trim_start_matches("- ")),
        many => format!("Payload of the messages:\n\n{}", many.join("\n")),
    }
}

/// Constraints in words, for docs.
pub fn constraint_text(c: &Constraints) -> Vec<String> {
    let range = |what: &str, min: Option<String>, max: Option<String>| match (min, max) {
        (None, None) => None,
        (Some(min), None) => Some(format!("{what} at least {min}")),
        (None, Some(max)) => Some(format!("{what} at most {max}")),
        (Some(min), Some(max)) => Some(format!("{what} {min}..={max}")),
    };
    let number = |n: &Option<serde_json::Number>| n.as_ref().map(number_text);
    let count = |n: Option<u64>| n.map(|n| n.to_string());
    [
        range("length", count(c.min_length), count(c.max_length)),
        range("value", number(&c.minimum), number(&c.maximum)),
        range("items", count(c.min_items), count(c.max_items)),
        c.unique_items.then(|| "unique items".to_owned()),
        c.format.as_ref().map(|f| format!("format `{f}`")),
        c.pattern.as_ref().map(|p| format!("pattern `{p}`")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A bound as written: an integer in full (one beyond `u64` was read as an `f64`, which holds
/// it exactly when it is a power of two such as 2^64, and otherwise to 16 digits), a fraction
/// as Rust prints an `f64`.
fn number_text(number: &serde_json::Number) -> String {
    match number.as_f64() {
        Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 2f64.powi(127) => {
            (float as i128).to_string()
        }
        Some(float) if number.is_f64() => float.to_string(),
        _ => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{attrs, lines, number_text, pad};

    #[test]
    fn bounds_are_written_in_full() {
        let text = |json: &str| number_text(&serde_json::from_str(json).unwrap());
        assert_eq!(text("18446744073709551615"), "18446744073709551615");
        assert_eq!(text("-9223372036854775808"), "-9223372036854775808");
        assert_eq!(text("18446744073709551616"), "18446744073709551616");
        assert_eq!((text("1.0"), text("0.5")), ("1".to_owned(), "0.5".to_owned()));
    }

    #[test]
    fn urls_brackets_and_tags_are_made_safe() {
        assert_eq!(
            lines("See https://www.sinch.com/contact-us/. [beta] <b>x</b>"),
            ["See <https://www.sinch.com/contact-us/>. \\[beta\\] &lt;b&gt;x&lt;/b&gt;"]
        );
    }

    #[test]
    fn indentation_cannot_start_a_doctest() {
        assert_eq!(lines("Example:\n\n    let x = 1;"), ["Example:", "", "let x = 1;"]);
        assert_eq!(lines("```json\n{\"a\": 1}\n```"), ["```text", "{\"a\": 1}", "```"]);
    }

    #[test]
    fn control_and_bidi_characters_are_written_out() {
        assert_eq!(
            pad("a\rb\u{202e}c\u{2066}d\u{7}\te".to_owned()),
            r" a\u{d}b\u{202e}c\u{2066}d\u{7}".to_owned() + "\te"
        );
        let attrs = attrs("x\r\ny\rz").to_string();
        assert!(attrs.contains(r#"" y\\u{d}z""#), "{attrs}");
    }

    #[test]
    fn list_continuations_are_indented() {
        assert_eq!(
            lines("- first item\ncontinues\n1. second\nmore"),
            ["- first item", "  continues", "1. second", "   more"]
        );
    }
}
