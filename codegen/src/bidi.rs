//! The bidirectional controls: characters that make text show in another order than it is
//! stored, so that code reads other than it compiles ("Trojan Source"). rustc denies them
//! in comments and literals (`text_direction_codepoint_in_comment`, `..._in_literal`); the
//! generator writes them as escapes in every file it writes, wherever a spec puts them.

/// Whether `c` is one of the embedding, override or isolate controls rustc denies, or a
/// left-to-right or right-to-left mark.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
