//! serde_json errors, told without the values they quote.
//!
//! serde_json's messages quote what they could not decode (`invalid type: string "s3cr3t",
//! expected u32`), and a body may carry secrets: a webhook's `secret`, a password. These
//! messages end up in logs and in 400 answers, so quoted text is replaced by `…`. Field names
//! the schema itself declares (``missing field `target` ``) are kept: they are what tells a client
//! what to fix.

/// The error's message with every quoted value redacted, ending with its line and column.
pub(crate) fn describe(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if message.starts_with("missing field") || message.starts_with("duplicate field") {
        return message;
    }
    redact_quoted(&message)
}

/// Replaces the text between `"` (with backslash escapes) and between backticks by `…`.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' || c == '`' {
            skip_to_closing(&mut chars, c);
            out.push('…');
            out.push(c);
        }
    }
    out
}

fn skip_to_closing(chars: &mut std::str::Chars<'_>, quote: char) {
    while let Some(c) = chars.next() {
        if c == quote {
            return;
        }
        if c == '\\' && quote == '"' {
            chars.next();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "zz-very-secret-7f3a";

    fn error_for<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        describe(&serde_json::from_str::<T>(json).unwrap_err())
    }

    #[test]
    fn quoted_values_are_redacted() {
        let text = error_for::<u32>(&format!(r#""{SECRET}""#));
        assert_eq!(text, r#"invalid type: string "…", expected u32 at line 1 column 21"#);
        let text = error_for::<crate::Timestamp>(&format!(r#""{SECRET} \" more""#));
        assert!(!text.contains(SECRET) && !text.contains("more"), "{text}");
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        assert_eq!(error_for::<serde_json::Value>("{"), "EOF while parsing an object at line 1 column 1");
        assert_eq!(error_for::<u32>("{}"), "invalid type: map, expected u32 at line 1 column 0");
        assert_eq!(error_for::<u32>("x"), "expected value at line 1 column 1");
    }

    #[test]
    fn missing_field_names_are_kept() {
        #[derive(Debug)]
        struct Named;
        impl<'de> serde::Deserialize<'de> for Named {
            fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
                Err(serde::de::Error::missing_field("target"))
            }
        }
        assert_eq!(error_for::<Named>("{}"), "missing field `target`");
    }

    #[test]
    fn backticks_are_redacted() {
        assert_eq!(redact_quoted("unknown variant `x`, expected `A`"), "unknown variant `…`, expected `…`");
        assert_eq!(redact_quoted("open \"quote"), "open \"…\"");
    }
}
