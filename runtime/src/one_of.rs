//! Values that are one of several schemas (`oneOf`/`anyOf`), decoded without guessing.
//!
//! A value is read once into a [`Value`], the variant is chosen by looking at it once, and
//! only that variant is decoded. Nothing is tried in turn: a value that no variant accepts,
//! that more than one could be, or that does not fit the variant chosen, lands in the
//! catch-all variant as received, so it is neither lost, nor refused with the whole
//! message, nor silently decoded as whichever variant happens to come first.

use serde_json::Value;

/// What a variant accepts, as far as choosing between variants needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object with these required properties; `distinct` lists the properties that no
    /// other variant declares.
    Object {
        required: &'static [&'static str],
        distinct: &'static [&'static str],
    },
    String,
    /// A number without a fractional part.
    Integer,
    Number,
    Boolean,
    Array,
    /// Anything: a variant whose schema says nothing about its shape. It is chosen only when
    /// no other variant accepts the value.
    Any,
}

impl Shape {
    fn accepts(&self, value: &Value) -> bool {
        match (self, value) {
            (Shape::Object { required, .. }, Value::Object(map)) => required.iter().all(|key| map.contains_key(*key)),
            (Shape::String, Value::String(_)) => true,
            (Shape::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Shape::Number, Value::Number(_)) => true,
            (Shape::Boolean, Value::Bool(_)) => true,
            (Shape::Array, Value::Array(_)) => true,
            _ => false,
        }
    }

    /// Whether the value holds a property only this variant declares.
    fn singles_out(&self, value: &Value) -> bool {
        match (self, value) {
            (Shape::Object { distinct, .. }, Value::Object(map)) => distinct.iter().any(|key| map.contains_key(*key)),
            _ => false,
        }
    }
}

/// The index of the one variant that `value` can be, if exactly one can.
///
/// Variants whose shape accepts the value are the candidates: for an object, those whose
/// required properties it all has. Among several, the one it names by a property only that
/// variant declares wins; an integer goes to an `Integer` variant before a `Number` one; an
/// [`Shape::Any`] variant takes only what nothing else accepts. Anything still ambiguous is
/// `None`.
pub fn choose(value: &Value, shapes: &[Shape]) -> Option<usize> {
    let candidates: Vec<usize> = (0..shapes.len()).filter(|&i| shapes[i].accepts(value)).collect();
    match candidates.as_slice() {
        [one] => return Some(*one),
        [] => return only(shapes, |shape| *shape == Shape::Any),
        _ => {}
    }
    let singled: Vec<usize> = candidates.iter().copied().filter(|&i| shapes[i].singles_out(value)).collect();
    if let [one] = singled.as_slice() {
        return Some(*one);
    }
    if value.is_number() {
        return candidates.iter().copied().find(|&i| shapes[i] == Shape::Integer);
    }
    None
}

/// The index of the variant whose tag values include the value of `property`.
pub fn choose_by_tag(value: &Value, property: &str, tags: &[&[&str]]) -> Option<usize> {
    let tag = value.get(property)?.as_str()?;
    tags.iter().position(|values| values.contains(&tag))
}

fn only(shapes: &[Shape], pick: impl Fn(&Shape) -> bool) -> Option<usize> {
    let mut matching = (0..shapes.len()).filter(|&i| pick(&shapes[i]));
    match (matching.next(), matching.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Implements `Serialize`, `Deserialize` and [`Unknowns`](crate::Unknowns) for an enum with
/// one variant per schema of a `oneOf`/`anyOf`, plus a catch-all holding a [`Value`].
///
/// Variants are told apart by a tag property (`tagged "property"`, each variant listing its
/// tag values) or by their shapes (see [`choose`]). A value the rules do not resolve to
/// exactly one variant, or that does not decode as the variant they resolve it to, is kept
/// in the catch-all, which [`Unknowns`](crate::Unknowns) reports.
///
/// ```
/// use hookwright_runtime::one_of::Shape;
///
/// #[derive(Debug, PartialEq)]
/// pub enum Source {
///     Card(hookwright_runtime::Map<String, hookwright_runtime::Value>),
///     Iban(String),
///     Unknown(hookwright_runtime::Value),
/// }
/// hookwright_runtime::one_of!(Source {
///     Card = Shape::Object { required: &["number"], distinct: &["number"] },
///     Iban = Shape::String,
/// } unknown Unknown);
///
/// let card: Source = serde_json::from_str(r#"{"number":"4242"}"#).unwrap();
/// assert!(matches!(card, Source::Card(_)));
/// let later: Source = serde_json::from_str("42").unwrap();
/// assert_eq!(later, Source::Unknown(42.into()));
/// assert_eq!(serde_json::to_string(&later).unwrap(), "42");
/// ```
#[macro_export]
macro_rules! one_of {
    ($ty:ident tagged $property:literal { $($variant:ident = [$($tag:literal),+]),+ $(,)? } unknown $unknown:ident) => {
        $crate::one_of!(@impl $ty, |value| $crate::one_of::choose_by_tag(value, $property, &[$(&[$($tag),+]),+]), [$($variant)+], $unknown);
    };
    ($ty:ident { $($variant:ident = $shape:expr),+ $(,)? } unknown $unknown:ident) => {
        $crate::one_of!(@impl $ty, |value| $crate::one_of::choose(value, &[$($shape),+]), [$($variant)+], $unknown);
    };
    (@impl $ty:ident, $choose:expr, [$($variant:ident)+], $unknown:ident) => {
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                match self {
                    $( Self::$variant(value) => $crate::__private::serde::Serialize::serialize(value, serializer), )+
                    Self::$unknown(value) => $crate::__private::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                let value = <$crate::Value as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                let choose: fn(&$crate::Value) -> ::core::option::Option<usize> = $choose;
                let mut index = 0usize;
                let chosen = choose(&value);
                $(
                    if chosen == ::core::option::Option::Some(index) {
                        if let ::core::result::Result::Ok(variant) =
                            $crate::__private::serde::Deserialize::deserialize(&value)
                        {
                            return ::core::result::Result::Ok(Self::$variant(variant));
                        }
                    }
                    index += 1;
                )+
                let _ = index;
                ::core::result::Result::Ok(Self::$unknown(value))
            }
        }

        impl $crate::Unknowns for $ty {
            fn collect_unknowns(
                &self,
                at: &mut ::std::string::String,
                out: &mut ::std::vec::Vec<::std::string::String>,
            ) {
                match self {
                    $( Self::$variant(value) => $crate::Unknowns::collect_unknowns(value, at, out), )+
                    Self::$unknown(_) => out.push(at.clone()),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CARD: Shape = Shape::Object { required: &["number"], distinct: &["cvc"] };
    const BANK: Shape = Shape::Object { required: &["iban"], distinct: &["bic"] };
    const EITHER: Shape = Shape::Object { required: &[], distinct: &["cvc"] };
    const OTHER: Shape = Shape::Object { required: &[], distinct: &["bic"] };

    #[test]
    fn required_properties_choose_the_variant() {
        assert_eq!(choose(&json!({"number": "4242"}), &[CARD, BANK]), Some(0));
        assert_eq!(choose(&json!({"iban": "DE00"}), &[CARD, BANK]), Some(1));
        assert_eq!(choose(&json!({"name": "?"}), &[CARD, BANK]), None, "no variant accepts it");
    }

    #[test]
    fn a_property_only_one_variant_declares_settles_a_tie() {
        assert_eq!(choose(&json!({"cvc": "1"}), &[EITHER, OTHER]), Some(0));
        assert_eq!(choose(&json!({"bic": "X"}), &[EITHER, OTHER]), Some(1));
        assert_eq!(choose(&json!({}), &[EITHER, OTHER]), None, "both could be it");
        assert_eq!(choose(&json!({"cvc": "1", "bic": "X"}), &[EITHER, OTHER]), None);
    }

    #[test]
    fn json_kinds_choose_between_scalars() {
        let shapes = [Shape::String, Shape::Number, Shape::Integer, Shape::Boolean, Shape::Array];
        assert_eq!(choose(&json!("a"), &shapes), Some(0));
        assert_eq!(choose(&json!(1.5), &shapes), Some(1));
        assert_eq!(choose(&json!(2), &shapes), Some(2), "an integer prefers the Integer variant");
        assert_eq!(choose(&json!(true), &shapes), Some(3));
        assert_eq!(choose(&json!([]), &shapes), Some(4));
        assert_eq!(choose(&json!(null), &shapes), None);
    }

    #[test]
    fn an_untyped_variant_takes_only_what_nothing_else_accepts() {
        assert_eq!(choose(&json!("a"), &[Shape::String, Shape::Any]), Some(0));
        assert_eq!(choose(&json!(1), &[Shape::String, Shape::Any]), Some(1));
        assert_eq!(choose(&json!(1), &[Shape::Any, Shape::Any]), None);
    }

    #[test]
    fn tags_choose_by_value() {
        let tags: [&[&str]; 2] = [&["cat", "Cat"], &["dog"]];
        assert_eq!(choose_by_tag(&json!({"kind": "Cat"}), "kind", &tags), Some(0));
        assert_eq!(choose_by_tag(&json!({"kind": "dog"}), "kind", &tags), Some(1));
        assert_eq!(choose_by_tag(&json!({"kind": "bird"}), "kind", &tags), None);
        assert_eq!(choose_by_tag(&json!({"kind": 1}), "kind", &tags), None);
        assert_eq!(choose_by_tag(&json!("cat"), "kind", &tags), None);
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(serde_json::Map<String, Value>),
        Dog(serde_json::Map<String, Value>),
        Unknown(Value),
    }
    crate::one_of!(Pet tagged "kind" { Cat = ["cat"], Dog = ["dog"] } unknown Unknown);

    #[test]
    fn a_tagged_enum_decodes_the_tagged_variant_and_keeps_the_rest() {
        let cat: Pet = serde_json::from_value(json!({"kind": "cat", "lives": 9})).unwrap();
        assert!(matches!(&cat, Pet::Cat(map) if map["lives"] == 9));
        let bird: Pet = serde_json::from_value(json!({"kind": "bird"})).unwrap();
        assert_eq!(bird, Pet::Unknown(json!({"kind": "bird"})));
        for pet in [cat, bird] {
            let again: Pet = serde_json::from_value(serde_json::to_value(&pet).unwrap()).unwrap();
            assert_eq!(again, pet);
        }
        assert_eq!(crate::Unknowns::unknowns(&Pet::Unknown(json!(1))), vec![String::new()]);
    }

    #[derive(Debug, PartialEq)]
    enum Amount {
        Exact(i64),
        Text(String),
        Unknown(Value),
    }
    crate::one_of!(Amount { Exact = Shape::Integer, Text = Shape::String } unknown Unknown);

    #[test]
    fn a_value_that_does_not_fit_the_chosen_variant_is_kept() {
        assert_eq!(serde_json::from_str::<Amount>("7").unwrap(), Amount::Exact(7));
        assert_eq!(serde_json::from_str::<Amount>("\"7\"").unwrap(), Amount::Text("7".into()));
        assert_eq!(serde_json::from_str::<Amount>("7.5").unwrap(), Amount::Unknown(json!(7.5)));
        let big = serde_json::from_str::<Amount>("18446744073709551615").unwrap();
        assert_eq!(big, Amount::Unknown(json!(18446744073709551615u64)), "chosen as Integer, too big for i64");
    }
}
