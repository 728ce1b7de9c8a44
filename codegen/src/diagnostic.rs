//! Errors that say which file, where in it, what is wrong and how to fix it.

use std::fmt;
use std::path::PathBuf;

/// A problem with a spec, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub line_col: Option<(u64, u64)>,
    /// JSON pointer of the offending value, when the problem is about a value.
    pub pointer: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), line_col: None, pointer: None, message: message.into(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Text from a spec shown on a terminal: control characters (a newline in a key, an escape
/// sequence that recolours or retitles the terminal) are written out as `\u{..}`. Errors,
/// warnings and notes are all shown through it.
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "\\u{{{:x}}}", c as u32)?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Shown(&self.file.display().to_string()))?;
        if let Some((line, column)) = self.line_col {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", Shown(&self.message))?;
        if let Some(pointer) = &self.pointer {
            let pointer = if pointer.is_empty() { "/" } else { pointer };
            write!(f, " (at {})", Shown(pointer))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", Shown(help))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

pub type Result<T, E = Diagnostic> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Diagnostic;

    #[test]
    fn control_characters_from_a_spec_are_shown_escaped() {
        let mut diagnostic = Diagnostic::new("a\nb.yaml", "bad key \u{1b}[31mred");
        diagnostic.pointer = Some("/x\ny".to_owned());
        assert_eq!(diagnostic.to_string(), "a\\u{a}b.yaml: bad key \\u{1b}[31mred (at /x\\u{a}y)");
    }
}
