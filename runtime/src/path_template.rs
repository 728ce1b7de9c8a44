//! Paths with `{name}` parameters, as OpenAPI path templates and AsyncAPI channel addresses
//! write them: which template a request's path fits, and with which values. One rule for the
//! API server's routes and the webhook receiver's channels.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// How a path fits a template.
#[derive(Debug, PartialEq)]
pub(crate) struct Fit<'t, 'p> {
    /// The template's segments without a parameter: the more, the better the fit, as OpenAPI
    /// matches concrete paths before templated ones.
    pub literal_segments: usize,
    /// Each parameter's name and value, as sent (still percent-encoded).
    pub values: Vec<(&'t str, &'p str)>,
}

/// How `path` fits `template`, segment by segment, when it does; a leading `/` is optional on
/// either side. A parameter takes one or more characters, never a `/`, and may sit inside a
/// segment (`{id}.json`, `pi.{pi_id}.status`).
pub(crate) fn fit<'t, 'p>(template: &'t str, path: &'p str) -> Option<Fit<'t, 'p>> {
    let template = template.strip_prefix('/').unwrap_or(template);
    let mut segments = path.strip_prefix('/').unwrap_or(path).split('/');
    let mut fit = Fit { literal_segments: 0, values: Vec::new() };
    for part in template.split('/') {
        let segment = segments.next()?;
        if part.contains('{') {
            fit_segment(part, segment, &mut fit.values)?;
        } else if part == segment {
            fit.literal_segments += 1;
        } else {
            return None;
        }
    }
    segments.next().is_none().then_some(fit)
}

/// Of `templates`, the one `path` fits best (most literal segments; the first on a tie), by
/// index, with how it fits; `accept` may pass over a fit (a value it refuses).
pub(crate) fn best<'t, 'p>(
    templates: impl IntoIterator<Item = &'t str>,
    path: &'p str,
    accept: impl Fn(&Fit<'t, 'p>) -> bool,
) -> Option<(usize, Fit<'t, 'p>)> {
    let mut best: Option<(usize, Fit)> = None;
    for (index, template) in templates.into_iter().enumerate() {
        if let Some(fit) = fit(template, path).filter(&accept) {
            if best.as_ref().is_none_or(|(_, most)| fit.literal_segments > most.literal_segments) {
                best = Some((index, fit));
            }
        }
    }
    best
}

/// `value` percent-decoded, when it still names one resource: not `.` or `..`, and holding no
/// `/`, `\`, control character or invalid UTF-8 (so `a%2F..%2Fb` never addresses another).
pub(crate) fn decode(value: &str) -> Option<Cow<'_, str>> {
    let decoded = percent_decode_str(value).decode_utf8().ok()?;
    let one_segment =
        decoded != "." && decoded != ".." && !decoded.chars().any(|c| c == '/' || c == '\\' || c.is_control());
    one_segment.then_some(decoded)
}

/// Fits one segment, `lead{a}text{b}tail`: each parameter takes at least one character and
/// ends where the literal text after it first appears. Two parameters with nothing between
/// them cannot be told apart, and fit nothing.
fn fit_segment<'t, 'p>(template: &'t str, segment: &'p str, values: &mut Vec<(&'t str, &'p str)>) -> Option<()> {
    let mut parts = template.split('{');
    let lead = parts.next().unwrap_or_default();
    let mut rest = segment.strip_prefix(lead)?;
    let mut parts = parts.peekable();
    while let Some(part) = parts.next() {
        let (name, text) = part.split_once('}')?;
        let first = rest.chars().next()?.len_utf8();
        let end = match parts.peek() {
            None => rest.strip_suffix(text).map(str::len).filter(|&end| end >= first)?,
            Some(_) if text.is_empty() => return None,
            Some(_) => first + rest[first..].find(text)?,
        };
        values.push((name, &rest[..end]));
        rest = &rest[end + text.len()..];
    }
    rest.is_empty().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATES: &[&str] = &[
        "/rooms/{roomId}/messages",
        "/rooms/lobby/messages",
        "rooms/{roomId}/{resource}",
        "pi.{pi_id}.dbus.{unit}",
        "/orders/{id}.json",
    ];

    fn best_of(path: &str) -> Option<usize> {
        best(TEMPLATES.iter().copied(), path, |_| true).map(|(index, _)| index)
    }

    #[test]
    fn the_most_literal_template_fits_best_and_the_first_on_a_tie() {
        assert_eq!(best_of("/rooms/lobby/messages"), Some(1));
        assert_eq!(best_of("/rooms/42/messages"), Some(0), "more literal than {{resource}}");
        assert_eq!(best_of("/rooms/42/users"), Some(2), "a leading / is optional on either side");
        assert_eq!(best_of("/pi.7.dbus.cron"), Some(3));
        assert_eq!(best_of("/orders/a1.json"), Some(4));
        let tie = best(["/x/{id}", "/{kind}/longname"], "/x/longname", |_| true);
        assert_eq!(tie.map(|(index, _)| index), Some(0), "one literal segment each: the first");
        let refused = best(TEMPLATES.iter().copied(), "/rooms/lobby/messages", |fit| fit.values.is_empty());
        assert_eq!(refused.map(|(index, _)| index), Some(1), "`accept` passes over fits");
    }

    #[test]
    fn a_parameter_is_never_empty_and_never_spans_segments() {
        for path in ["/rooms//messages", "/rooms/1/2/messages", "/rooms/42", "/pi..dbus.cron", "/orders/.json", "/"] {
            assert_eq!(best_of(path), None, "{path}");
        }
        assert_eq!(fit("/a/{x}{y}", "/a/xy"), None, "adjacent parameters fit nothing");
    }

    #[test]
    fn values_are_kept_as_sent_and_split_inside_a_segment() {
        let values = |template: &'static str, path: &'static str| fit(template, path).map(|fit| fit.values);
        assert_eq!(values(TEMPLATES[0], "/rooms/a%20b/messages"), Some(vec![("roomId", "a%20b")]));
        assert_eq!(values(TEMPLATES[3], "/pi.7.dbus.org.cron"), Some(vec![("pi_id", "7"), ("unit", "org.cron")]));
        assert_eq!(values(TEMPLATES[4], "/orders/é.json"), Some(vec![("id", "é")]));
        assert_eq!(values(TEMPLATES[4], "/orders/é"), None, "no panic inside a character");
        assert_eq!(fit(TEMPLATES[1], "/rooms/lobby/messages").map(|fit| fit.literal_segments), Some(3));
    }

    #[test]
    fn segments_fit_one_for_one() {
        let fitted = fit("/a/{x}/c/{y}", "/a/1/c/%32").unwrap();
        assert_eq!(fitted, Fit { literal_segments: 2, values: vec![("x", "1"), ("y", "%32")] });
        for path in ["/a/", "/a", "/a/1/2"] {
            assert_eq!(fit("/a/{x}", path), None, "{path}");
        }
        assert_eq!(fit("/a/b", "/a/B"), None, "literals are compared exactly");
        assert_eq!(fit("/", "/").map(|fit| fit.literal_segments), Some(1));
    }

    #[test]
    fn a_decoded_value_names_one_resource() {
        assert_eq!(decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(decode("caf%C3%A9").as_deref(), Some("café"));
        for refused in ["..", ".", "%2E%2E", "a%2Fb", "a%5Cb", "a%00b", "%FF"] {
            assert_eq!(decode(refused), None, "{refused}");
        }
    }
}
