//! Text functions for names: case conversion of ASCII text, split into words where `heck`
//! splits them and written straight into one `String`; and the singular of a plural.
//!
//! Naming converts every field, type and enum value of a spec; heck writes each character
//! through `fmt` with Unicode case mapping, which made naming a tenth of the run on a large
//! spec. Names are transliterated to ASCII before they get here, so bytes suffice; a test
//! checks that the results are heck's.

/// `snake_case`.
pub fn snake(text: &str) -> String {
    join(text, "_", |out, word| out.extend(word.chars().map(|c| c.to_ascii_lowercase())))
}

/// `SHOUTY_SNAKE_CASE`.
pub fn shouty_snake(text: &str) -> String {
    join(text, "_", |out, word| out.extend(word.chars().map(|c| c.to_ascii_uppercase())))
}

/// `UpperCamelCase`.
pub fn upper_camel(text: &str) -> String {
    join(text, "", |out, word| {
        let mut chars = word.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.extend(chars.map(|c| c.to_ascii_lowercase()));
    })
}

/// The words of `text`, each written by `push_word`, with `separator` between them.
fn join(text: &str, separator: &str, mut push_word: impl FnMut(&mut String, &str)) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for_each_word(text, |word| {
        // Words are never empty, so only the first finds `out` empty.
        if !out.is_empty() {
            out.push_str(separator);
        }
        push_word(&mut out, word);
    });
    out
}

/// What the letters before the current one say about where a word ends (heck's `WordMode`).
#[derive(Clone, Copy, PartialEq)]
enum Run {
    /// At the start of a word, or after digits only.
    Start,
    Lower,
    Upper,
}

/// Calls `word` with each word of `text`: a run of letters and digits, ended before an
/// upper-case letter that follows a lower-case one (`orderId` → `order`, `Id`) and before the
/// last of several upper-case letters when a lower-case one follows (`XMLHttp` → `XML`,
/// `Http`). Digits continue whatever run they are in.
fn for_each_word(text: &str, mut word: impl FnMut(&str)) {
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut run = Run::Start;
        for (index, &byte) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(index + 1) else {
                word(&part[start..]);
                break;
            };
            let next_run = match byte {
                b'a'..=b'z' => Run::Lower,
                b'A'..=b'Z' => Run::Upper,
                _ => run,
            };
            if next_run == Run::Lower && next.is_ascii_uppercase() {
                word(&part[start..=index]);
                start = index + 1;
                run = Run::Start;
            } else if run == Run::Upper && byte.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&part[start..index]);
                start = index;
                run = Run::Start;
            } else {
                run = next_run;
            }
        }
    }
}

/// The singular of an English plural, for naming array items (`statuses` → `status`).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with("ies") && word.len() > 4 {
        return format!("{}y", &word[..word.len() - 3]);
    }
    let cut = if ["sses", "shes", "ches", "xes", "uses"].iter().any(|s| lower.ends_with(s)) {
        2
    } else if lower.ends_with('s') && !lower.ends_with("ss") && word.len() > 3 {
        1
    } else {
        return format!("{word}_item");
    };
    word[..word.len() - cut].to_owned()
}

#[cfg(test)]
mod tests {
    use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

    use super::*;

    /// Every string of up to five characters from an alphabet with each kind of character
    /// the splitting tells apart.
    fn samples() -> Vec<String> {
        const ALPHABET: [char; 7] = ['a', 'B', 'c', 'D', '1', '_', '-'];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last.iter().flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}"))).collect();
            all.extend(last.iter().cloned());
        }
        all.extend(["XMLHttpRequest", "order_ID2x", "ABC", "a1B2c3", "  spaced out  ", "[?]ok"].map(str::to_owned));
        all
    }

    #[test]
    fn cases_are_hecks() {
        for text in samples() {
            assert_eq!(snake(&text), text.to_snake_case(), "{text:?}");
            assert_eq!(shouty_snake(&text), text.to_shouty_snake_case(), "{text:?}");
            assert_eq!(upper_camel(&text), text.to_upper_camel_case(), "{text:?}");
        }
    }

    #[test]
    fn plurals_become_singular() {
        for (plural, one) in [
            ("statuses", "status"),
            ("channel_identities", "channel_identity"),
            ("recipients", "recipient"),
            ("addresses", "address"),
            ("data", "data_item"),
            ("media", "media_item"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
