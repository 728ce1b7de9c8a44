//! Which channel a callback was posted to. A channel's address is its path, with `{name}`
//! for each of its parameters (AsyncAPI's, as in `/rooms/{roomId}/messages` or
//! `pi.{pi_id}.status`), fitted as the API server fits its routes ([`path_template`]): a
//! leading `/` is optional, so an address written as a topic (`rooms/{roomId}`) is served at
//! `/rooms/…`.

use std::borrow::Cow;

use crate::path_template::{self, Fit};

/// The index in `addresses` of the channel that `path` was posted to: the address equal to it
/// byte for byte, else the one it fits best whose parameters' values each name one resource.
pub(crate) fn find(addresses: &[&str], path: &str) -> Option<usize> {
    if let Some(exact) = addresses.iter().position(|address| *address == path) {
        return Some(exact);
    }
    let clean = |fit: &Fit| fit.values.iter().all(|(_, value)| path_template::decode(value).is_some());
    path_template::best(addresses.iter().copied(), path, clean).map(|(index, _)| index)
}

/// The value of the parameter `name` of `address` in `path`, percent-decoded; `None` when
/// `path` does not fit `address`, the address has no such parameter, or the value does not
/// name one resource.
pub(crate) fn parameter<'p>(address: &str, path: &'p str, name: &str) -> Option<Cow<'p, str>> {
    let fit = path_template::fit(address, path)?;
    let (_, value) = fit.values.into_iter().find(|(parameter, _)| *parameter == name)?;
    path_template::decode(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_equal_to_the_path_comes_first() {
        assert_eq!(find(&["rooms", "/rooms"], "/rooms"), Some(1), "byte for byte");
        assert_eq!(find(&["rooms", "/rooms/{id}"], "/rooms"), Some(0), "a topic at / + itself");
        assert_eq!(find(&["/rooms/{id}", "/rooms/{id}"], "/rooms/{id}"), Some(0), "the address itself");
        assert_eq!(find(&["/rooms/{id}/notes", "/rooms/lobby/notes"], "/rooms/lobby/notes"), Some(1));
    }

    #[test]
    fn a_value_that_names_more_than_one_resource_fits_no_channel() {
        let addresses = ["/rooms/{roomId}/notes"];
        assert_eq!(find(&addresses, "/rooms/a%20b/notes"), Some(0));
        for path in ["/rooms/a%2Fb/notes", "/rooms/%2E%2E/notes", "/rooms/a%00/notes", "/rooms/%FF/notes"] {
            assert_eq!(find(&addresses, path), None, "{path}");
        }
    }

    #[test]
    fn parameters_are_percent_decoded() {
        assert_eq!(parameter("/rooms/{roomId}/notes", "/rooms/a%20b/notes", "roomId").as_deref(), Some("a b"));
        assert_eq!(parameter("pi.{pi_id}.dbus.{unit}", "/pi.7.dbus.org.cron", "unit").as_deref(), Some("org.cron"));
        assert_eq!(parameter("/rooms/{roomId}/notes", "/rooms/42/notes", "resource"), None);
        assert_eq!(parameter("/rooms/{roomId}/notes", "/rooms/42/users", "roomId"), None, "the path does not fit");
    }
}
