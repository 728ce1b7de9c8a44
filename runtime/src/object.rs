//! Single-pass, lossless `Serialize`/`Deserialize` for generated structs.
//!
//! `#[serde(flatten)]` would keep unknown fields too, but it buffers every field of the object
//! into an intermediate tree first. The visitor written by [`object!`](macro@crate::object) reads
//! each key once: a named field is decoded straight into its type, anything else into the
//! struct's [`UnknownFields`].
//!
//! What keeping unknown fields still costs when there are none is one null pointer per struct
//! (see [`UnknownFields`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::UnknownFields;

/// Implements `Serialize`, `Deserialize` and [`Unknowns`](crate::Unknowns) for a struct whose
/// fields map to JSON object keys. Any other key is kept, with its value as the JSON text
/// received, in the struct's [`UnknownFields`], and encoded again as received.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Contact {
///     pub id: String,
///     pub display_name: Option<String>,
///     pub unknown_fields: hookwright_runtime::UnknownFields,
/// }
/// hookwright_runtime::object!(Contact {
///     "id" => id: required,
///     "displayName" => display_name: optional,
/// } unknown unknown_fields);
///
/// let json = r#"{"id":"c1","displayName":"Ann","vip":true}"#;
/// let contact: Contact = serde_json::from_str(json).unwrap();
/// assert_eq!(contact.display_name.as_deref(), Some("Ann"));
/// assert_eq!(contact.unknown_fields["vip"], true);
/// assert_eq!(serde_json::to_string(&contact).unwrap(), json);
/// ```
///
/// Attributes written before the type's name (`#[allow(clippy::disallowed_names)]` where the
/// spec names a field `foo`) go on each impl, where the fields become local variables.
///
/// A `required` field missing from the input is an error naming it; an `optional` one becomes
/// `None` and is omitted when encoding. An explicit `null` for an optional field is kept (in
/// the unknown-fields map) so that it, too, re-encodes unchanged.
#[macro_export]
macro_rules! object {
    ($(#[$attr:meta])* $ty:ident { $($wire:literal => $field:ident : $kind:ident),* $(,)? } unknown $unknown:ident) => {
        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                use $crate::__private::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $( $crate::object!(@serialize $kind map, $wire, &self.$field); )*
                for (key, value) in &self.$unknown {
                    let shadowed = match key {
                        $( $wire => $crate::object!(@present $kind &self.$field), )*
                        _ => false,
                    };
                    if !shadowed {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                struct ObjectVisitor;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($ty), ")"))
                    }

                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$ty, A::Error>
                    where
                        A: $crate::__private::serde::de::MapAccess<'de>,
                    {
                        $( let mut $field = ::core::option::Option::None; )*
                        let mut unknown = $crate::UnknownFields::new();
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::__private::Key<'de>>()?
                        {
                            match key.as_str() {
                                $( $wire => $crate::object!(@fill $kind map, $field, $wire, unknown), )*
                                _ => unknown.push(key.into_string(), map.next_value()?),
                            }
                        }
                        ::core::result::Result::Ok($ty {
                            $( $field: $crate::object!(@finish $kind A, $field, $wire), )*
                            $unknown: unknown,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }

        $(#[$attr])*
        impl $crate::Unknowns for $ty {
            fn collect_unknowns(
                &self,
                at: &mut ::std::string::String,
                out: &mut ::std::vec::Vec<::std::string::String>,
            ) {
                $(
                    $crate::__private::push_segment(at, $wire, |at| {
                        $crate::Unknowns::collect_unknowns(&self.$field, at, out)
                    });
                )*
                for key in self.$unknown.keys() {
                    let named = match key {
                        $( $wire => true, )*
                        _ => false,
                    };
                    if !named {
                        $crate::__private::push_segment(at, key, |at| out.push(at.clone()));
                    }
                }
            }
        }
    };

    (@serialize required $map:ident, $wire:literal, $value:expr) => {
        $map.serialize_entry($wire, $value)?
    };
    (@serialize optional $map:ident, $wire:literal, $value:expr) => {
        if let ::core::option::Option::Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    (@present required $value:expr) => {
        true
    };
    (@present optional $value:expr) => {
        $value.is_some()
    };
    (@fill required $map:ident, $slot:ident, $wire:literal, $unknown:ident) => {
        $crate::__private::fill_required(&mut $slot, &mut $map, $wire)?
    };
    (@fill optional $map:ident, $slot:ident, $wire:literal, $unknown:ident) => {
        $crate::__private::fill_optional(&mut $slot, &mut $map, $wire, &mut $unknown)?
    };
    (@finish required $access:ident, $slot:ident, $wire:literal) => {
        $crate::__private::required::<_, $access::Error>($slot, $wire)?
    };
    (@finish optional $access:ident, $slot:ident, $wire:literal) => {
        $slot
    };
}

/// An object key, borrowed from the input when the deserializer allows it.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    pub(crate) fn into_cow(self) -> Cow<'de, str> {
        self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Decodes the value of the named field `wire` into `slot`.
///
/// This and [`fill_optional`] are forced inline into each visitor: left to the compiler, they
/// stayed a call per field, 2% of the instructions of decoding SMS `DeliveryReportSms`.
#[inline(always)]
pub fn fill_required<'de, T, A>(slot: &mut Option<T>, map: &mut A, wire: &'static str) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Decodes the value of the optional field `wire` into `slot`, keeping an explicit `null` in
/// `unknown` so that it re-encodes.
#[inline(always)]
pub fn fill_optional<'de, T, A>(
    slot: &mut Option<T>,
    map: &mut A,
    wire: &'static str,
    unknown: &mut UnknownFields,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() || unknown.contains_key(wire) {
        return Err(de::Error::duplicate_field(wire));
    }
    match map.next_value::<Option<T>>()? {
        Some(value) => *slot = Some(value),
        None => {
            unknown.push(wire.to_owned(), RawValue::NULL.to_owned());
        }
    }
    Ok(())
}

pub fn required<T, E: de::Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// Runs `f` with `segment` appended to the JSON pointer `at` (escaped per RFC 6901).
pub fn push_segment(at: &mut String, segment: &str, f: impl FnOnce(&mut String)) {
    let len = at.len();
    at.push('/');
    for c in segment.chars() {
        match c {
            '~' => at.push_str("~0"),
            '/' => at.push_str("~1"),
            c => at.push(c),
        }
    }
    f(at);
    at.truncate(len);
}
