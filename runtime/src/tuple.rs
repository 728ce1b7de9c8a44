//! `Serialize`/`Deserialize` for generated tuple structs: arrays whose items have a type per
//! position (`prefixItems`, or `items: [A, B]` before JSON Schema 2020-12).

use serde::de::{self, Deserialize, Expected, IgnoredAny, SeqAccess};

/// Implements `Serialize`, `Deserialize` and [`Unknowns`](crate::Unknowns) for a tuple struct
/// read from a JSON array: one field per position, in order, then either `rest N`, the index
/// of a trailing `Vec` that keeps every item after the positions (so nothing received is
/// lost), or `closed`, when the schema allows no more items (`additionalItems: false`).
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Point(pub i64, pub String, pub Vec<serde_json::Value>);
/// hookwright_runtime::tuple!(Point(0, 1) rest 2);
///
/// let point: Point = serde_json::from_str(r#"[1,"a",true]"#).unwrap();
/// assert_eq!(point, Point(1, "a".to_owned(), vec![true.into()]));
/// assert_eq!(serde_json::to_string(&point).unwrap(), r#"[1,"a",true]"#);
///
/// pub struct Pair(pub i64, pub i64);
/// hookwright_runtime::tuple!(Pair(0, 1) closed);
/// assert!(serde_json::from_str::<Pair>("[1]").is_err());
/// assert!(serde_json::from_str::<Pair>("[1,2,3]").is_err());
/// ```
#[macro_export]
macro_rules! tuple {
    ($ty:ident($($index:tt),+) rest $rest:tt) => {
        $crate::tuple!(@impl $ty($($index),+) [$rest]);
    };
    ($ty:ident($($index:tt),+) closed) => {
        $crate::tuple!(@impl $ty($($index),+) []);
    };
    (@impl $ty:ident($($index:tt),+) [$($rest:tt)?]) => {
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                use $crate::__private::serde::ser::SerializeSeq as _;
                let mut seq = serializer.serialize_seq(::core::option::Option::None)?;
                $( seq.serialize_element(&self.$index)?; )+
                $( for item in &self.$rest { seq.serialize_element(item)?; } )?
                seq.end()
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                struct TupleVisitor;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for TupleVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("an array (", stringify!($ty), ")"))
                    }

                    fn visit_seq<A>(self, mut seq: A) -> ::core::result::Result<$ty, A::Error>
                    where
                        A: $crate::__private::serde::de::SeqAccess<'de>,
                    {
                        let value = $ty(
                            $( $crate::__private::next_position(&mut seq, $index, &self)?, )+
                            $( $crate::tuple!(@rest seq $rest), )?
                        );
                        $crate::tuple!(@end seq, &self, [$($index)+] [$($rest)?]);
                        ::core::result::Result::Ok(value)
                    }
                }

                deserializer.deserialize_seq(TupleVisitor)
            }
        }

        impl $crate::Unknowns for $ty {
            fn collect_unknowns(
                &self,
                at: &mut ::std::string::String,
                out: &mut ::std::vec::Vec<::std::string::String>,
            ) {
                $(
                    $crate::__private::push_segment(at, stringify!($index), |at| {
                        $crate::Unknowns::collect_unknowns(&self.$index, at, out)
                    });
                )+
                $(
                    for (offset, item) in self.$rest.iter().enumerate() {
                        $crate::__private::push_segment(at, &($rest + offset).to_string(), |at| {
                            $crate::Unknowns::collect_unknowns(item, at, out)
                        });
                    }
                )?
            }
        }
    };

    (@rest $seq:ident $rest:tt) => {{
        let mut rest = ::std::vec::Vec::new();
        while let ::core::option::Option::Some(item) = $seq.next_element()? {
            rest.push(item);
        }
        rest
    }};
    (@end $seq:ident, $expected:expr, [$($index:tt)+] []) => {
        $crate::__private::no_more_items(&mut $seq, [$($index),+].len(), $expected)?
    };
    (@end $seq:ident, $expected:expr, [$($index:tt)+] [$rest:tt]) => {};
}

/// The item at `index`, which must be there.
pub fn next_position<'de, T, A>(seq: &mut A, index: usize, expected: &dyn Expected) -> Result<T, A::Error>
where
    T: Deserialize<'de>,
    A: SeqAccess<'de>,
{
    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(index, expected))
}

/// An error unless `seq`, after its `len` positions, has ended.
pub fn no_more_items<'de, A: SeqAccess<'de>>(seq: &mut A, len: usize, expected: &dyn Expected) -> Result<(), A::Error> {
    match seq.next_element::<IgnoredAny>()? {
        None => Ok(()),
        Some(_) => Err(de::Error::invalid_length(len + 1, expected)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::Unknowns;

    #[derive(Debug, PartialEq)]
    struct Open(i64, crate::Timestamp, Vec<Value>);
    crate::tuple!(Open(0, 1) rest 2);

    #[derive(Debug, PartialEq)]
    struct Closed(String, f64);
    crate::tuple!(Closed(0, 1) closed);

    #[test]
    fn extra_items_are_kept_and_encoded_again() {
        let json = r#"[7,"2024-01-02T03:04:05Z",{"x":1},null]"#;
        let open: Open = serde_json::from_str(json).unwrap();
        assert_eq!(open.0, 7);
        assert_eq!(open.2.len(), 2);
        assert_eq!(serde_json::to_string(&open).unwrap(), json);
        assert!(open.unknowns().is_empty());
    }

    #[test]
    fn a_missing_position_or_an_item_too_many_is_an_error_naming_the_length() {
        let short = serde_json::from_str::<Open>("[7]").unwrap_err().to_string();
        assert!(short.contains("invalid length 1"), "{short}");
        let long = serde_json::from_str::<Closed>(r#"["a",1.5,2]"#).unwrap_err().to_string();
        assert!(long.contains("invalid length 3"), "{long}");
        let closed: Closed = serde_json::from_str(r#"["a",1.5]"#).unwrap();
        assert_eq!(serde_json::to_string(&closed).unwrap(), r#"["a",1.5]"#);
    }
}
