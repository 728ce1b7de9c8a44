//! The map of fields a received object had that its schema does not name.
//!
//! Almost every payload has none, yet every generated struct carries the map. A
//! `serde_json::Map` inline is 72 bytes: in arrays of small objects (SMS `DeliveryReportSms`'s
//! `statuses`) it doubled the elements moved while decoding and made keeping unknown fields
//! cost 7–10% over a struct that drops them. [`UnknownFields`] is one pointer, null until the
//! first unknown field arrives, and reads and writes like the map through `Deref`.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{map, Map, Value};

/// Fields of a received object that its schema does not name, in the order received.
///
/// Dereferences to a [`serde_json::Map`], so `get`, `len`, `iter`, indexing and (through
/// `DerefMut`) `insert` work as on the map; the map is allocated by the first write. Two
/// values are equal when their fields are, however they were built.
///
/// ```
/// use hookwright_runtime::{UnknownFields, Value};
///
/// let mut fields = UnknownFields::new();
/// assert!(fields.is_empty());
/// fields.insert("vip".to_owned(), Value::Bool(true));
/// assert_eq!(fields["vip"], true);
/// assert_eq!(fields.iter().count(), 1);
/// ```
#[derive(Clone, Default)]
pub struct UnknownFields(Option<Box<Map<String, Value>>>);

/// What an empty [`UnknownFields`] dereferences to.
static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl UnknownFields {
    /// No fields; allocates nothing.
    pub const fn new() -> Self {
        UnknownFields(None)
    }

    /// The fields as a map of their own.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|fields| *fields).unwrap_or_default()
    }

    /// Whether `key` is among the fields, without touching the shared empty map.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.0.as_ref().is_some_and(|fields| fields.contains_key(key))
    }
}

impl Deref for UnknownFields {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for UnknownFields {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self).finish()
    }
}

impl From<Map<String, Value>> for UnknownFields {
    fn from(fields: Map<String, Value>) -> Self {
        if fields.is_empty() {
            UnknownFields::new()
        } else {
            UnknownFields(Some(Box::new(fields)))
        }
    }
}

impl FromIterator<(String, Value)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Self {
        Map::from_iter(fields).into()
    }
}

/// The fields in the order received; an empty map is never allocated to iterate.
pub struct Iter<'a>(Option<map::Iter<'a>>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.as_mut()?.next()
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        Iter(self.0.as_ref().map(|fields| fields.iter()))
    }
}

impl IntoIterator for UnknownFields {
    type Item = (String, Value);
    type IntoIter = map::IntoIter;

    fn into_iter(self) -> map::IntoIter {
        self.into_map().into_iter()
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self)
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(UnknownFields::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(key: &str) -> UnknownFields {
        [(key.to_owned(), Value::from(1))].into_iter().collect()
    }

    #[test]
    fn is_a_pointer() {
        assert_eq!(size_of::<UnknownFields>(), size_of::<usize>());
    }

    #[test]
    fn empty_allocates_nothing_until_written() {
        let mut fields = UnknownFields::new();
        assert!(fields.0.is_none());
        assert!(fields.is_empty() && fields.get("a").is_none() && !fields.has("a"));
        assert_eq!((&fields).into_iter().count(), 0);
        fields.insert("a".to_owned(), Value::from(1));
        assert!(fields.has("a"));
        assert_eq!(fields, one("a"));
    }

    #[test]
    fn equal_however_built() {
        let allocated_then_emptied = {
            let mut fields = one("a");
            fields.clear();
            fields
        };
        assert!(allocated_then_emptied.0.is_some());
        assert_eq!(allocated_then_emptied, UnknownFields::new());
        assert_eq!(UnknownFields::from(Map::new()), UnknownFields::new());
        assert_ne!(one("a"), one("b"));
    }

    #[test]
    fn round_trips_as_a_map_in_order() {
        let json = r#"{"z":1,"a":[true],"m":null}"#;
        let fields: UnknownFields = serde_json::from_str(json).unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(serde_json::to_string(&fields).unwrap(), json);
        assert_eq!(format!("{fields:?}"), r#"{"z": Number(1), "a": Array [Bool(true)], "m": Null}"#);
        assert_eq!(fields.clone().into_iter().map(|(key, _)| key).collect::<String>(), "zam");
        assert_eq!(serde_json::to_string(&UnknownFields::new()).unwrap(), "{}");
    }
}
