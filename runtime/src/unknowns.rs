use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::object::push_segment;
use crate::{Secret, Timestamp};

/// What a decoded value holds that its schema does not describe.
///
/// Generated structs keep fields the spec does not name, and open enums keep values it does
/// not list; nothing is lost, but a receiver may want to know. This lists where, as JSON
/// pointers into the payload: a field only kept in an unknown-fields map, or an enum value
/// only kept in a catch-all variant.
pub trait Unknowns {
    /// Appends to `out` the pointer (starting at `at`) of every value not described by the spec.
    fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>);

    /// JSON pointers of every value not described by the spec; empty when all is typed.
    fn unknowns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_unknowns(&mut String::new(), &mut out);
        out
    }
}

macro_rules! fully_typed {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Unknowns for $ty {
                fn collect_unknowns(&self, _: &mut String, _: &mut Vec<String>) {}
            }
        )*
    };
}

// Untyped values (`Value`, free-form objects) are what the spec asks for, not unknowns.
fully_typed!(String, bool, i8, i16, i32, i64, i128, u8, u16, u32, u64, f32, f64, Timestamp, Secret, Value, Map<String, Value>);

impl<T: Unknowns + ?Sized> Unknowns for Box<T> {
    fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
        (**self).collect_unknowns(at, out);
    }
}

impl<T: Unknowns> Unknowns for Option<T> {
    fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
        if let Some(value) = self {
            value.collect_unknowns(at, out);
        }
    }
}

impl<T: Unknowns> Unknowns for Vec<T> {
    fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
        for (index, item) in self.iter().enumerate() {
            push_segment(at, &index.to_string(), |at| item.collect_unknowns(at, out));
        }
    }
}

impl<T: Unknowns> Unknowns for IndexMap<String, T> {
    fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
        for (key, value) in self {
            push_segment(at, key, |at| value.collect_unknowns(at, out));
        }
    }
}
