//! Which channel a callback was posted to. A channel's address is its path, where `{name}`
//! stands for a parameter: any non-empty text without `/` (AsyncAPI's channel parameters,
//! as in `/rooms/{roomId}/messages` or `pi.{pi_id}.status`). A leading `/` is optional on
//! either side, so an address written as a topic (`rooms/{roomId}`) is served at `/rooms/…`.

/// The index in `addresses` of the channel that `path` was posted to: the address equal to
/// it, else, of those whose parameters fit it, the one with the most literal text (the first
/// declared on a tie), as OpenAPI prefers concrete paths to templated ones.
pub(crate) fn find(addresses: &[&str], path: &str) -> Option<usize> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if let Some(exact) = addresses.iter().position(|address| address.strip_prefix('/').unwrap_or(address) == path) {
        return Some(exact);
    }
    let mut best: Option<(usize, usize)> = None;
    for (index, address) in addresses.iter().enumerate() {
        if let Some((literal, _)) = fit(address, path) {
            if best.is_none_or(|(most, _)| literal > most) {
                best = Some((literal, index));
            }
        }
    }
    best.map(|(_, index)| index)
}

/// The value of the parameter `name` of `address` in `path`, as sent (still percent-encoded);
/// `None` when `path` does not fit `address` or the address has no such parameter.
pub(crate) fn parameter<'p>(address: &str, path: &'p str, name: &str) -> Option<&'p str> {
    let (_, values) = fit(address, path.strip_prefix('/').unwrap_or(path))?;
    values.into_iter().find_map(|(parameter, value)| (parameter == name).then_some(value))
}

/// The parameters' values when `path` fits `address` segment by segment, with how many bytes
/// of literal text the address matched.
fn fit<'a, 'p>(address: &'a str, path: &'p str) -> Option<(usize, Vec<(&'a str, &'p str)>)> {
    let address = address.strip_prefix('/').unwrap_or(address);
    let (mut literal, mut values) = (0, Vec::new());
    let mut segments = path.split('/');
    for template in address.split('/') {
        literal += fit_segment(template, segments.next()?, &mut values)?;
    }
    segments.next().is_none().then_some((literal, values))
}

/// Fits one segment: `lead{a}text{b}tail`. Each parameter takes at least one character and
/// ends where the literal text after it first appears; two parameters with nothing between
/// them cannot be told apart, and fit nothing.
fn fit_segment<'a, 'p>(template: &'a str, segment: &'p str, values: &mut Vec<(&'a str, &'p str)>) -> Option<usize> {
    let mut parts = template.split('{');
    let lead = parts.next().unwrap_or_default();
    let mut rest = segment.strip_prefix(lead)?;
    let mut literal = lead.len();
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
        literal += text.len();
        rest = &rest[end + text.len()..];
    }
    rest.is_empty().then_some(literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESSES: &[&str] = &[
        "/rooms/{roomId}/messages",
        "/rooms/lobby/messages",
        "rooms/{roomId}/{resource}",
        "pi.{pi_id}.dbus.{unit}",
        "/orders/{id}.json",
    ];

    #[test]
    fn an_exact_address_comes_first_then_the_most_literal_template() {
        assert_eq!(find(ADDRESSES, "/rooms/lobby/messages"), Some(1));
        assert_eq!(find(ADDRESSES, "/rooms/42/messages"), Some(0), "more literal than {{resource}}");
        assert_eq!(find(ADDRESSES, "/rooms/42/users"), Some(2), "a topic is served with a leading /");
        assert_eq!(find(ADDRESSES, "/rooms/{roomId}/messages"), Some(0), "the address itself");
        assert_eq!(find(ADDRESSES, "/pi.7.dbus.cron"), Some(3));
        assert_eq!(find(ADDRESSES, "/orders/a1.json"), Some(4));
    }

    #[test]
    fn a_parameter_is_never_empty_and_never_spans_segments() {
        for path in ["/rooms//messages", "/rooms/1/2/messages", "/rooms/42", "/pi..dbus.cron", "/orders/.json", "/"] {
            assert_eq!(find(ADDRESSES, path), None, "{path}");
        }
        assert_eq!(find(&["/a/{x}{y}"], "/a/xy"), None, "adjacent parameters fit nothing");
    }

    #[test]
    fn parameters_are_read_as_sent() {
        assert_eq!(parameter(ADDRESSES[0], "/rooms/a%20b/messages", "roomId"), Some("a%20b"));
        assert_eq!(parameter(ADDRESSES[3], "/pi.7.dbus.org.cron", "pi_id"), Some("7"));
        assert_eq!(parameter(ADDRESSES[3], "/pi.7.dbus.org.cron", "unit"), Some("org.cron"));
        assert_eq!(parameter(ADDRESSES[4], "/orders/é.json", "id"), Some("é"));
        assert_eq!(parameter(ADDRESSES[4], "/orders/é", "id"), None, "no panic inside a character");
        assert_eq!(parameter(ADDRESSES[0], "/rooms/42/messages", "resource"), None);
        assert_eq!(parameter(ADDRESSES[0], "/rooms/42/users", "roomId"), None, "the path does not fit");
    }
}
