//! JSON pointer → line and column, computed only when a diagnostic asks.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// The 1-based line and column of the value at `pointer`, or of its nearest ancestor that
/// exists (a missing key is reported at the object that lacks it).
pub fn line_col(source: &str, pointer: &str) -> Option<(u64, u64)> {
    let root: Node = serde_saphyr::from_str_with_options(source, super::documents::yaml_options()).ok()?;
    let mut node = &root;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match node.children.iter().find(|(key, _)| *key == segment) {
            Some((_, child)) => node = child,
            None => break,
        }
    }
    (node.line > 0).then_some((node.line, node.column))
}

struct Node {
    line: u64,
    column: u64,
    children: Vec<(String, Node)>,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Children>::deserialize(deserializer)?;
        Ok(Node { line: spanned.referenced.line(), column: spanned.referenced.column(), children: spanned.value.0 })
    }
}

struct Children(Vec<(String, Node)>);

impl<'de> Deserialize<'de> for Children {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ChildrenVisitor)
    }
}

struct ChildrenVisitor;

macro_rules! scalar_has_no_children {
    ($($method:ident: $ty:ty),*) => {
        $(
            fn $method<E>(self, _: $ty) -> Result<Children, E> {
                Ok(Children(Vec::new()))
            }
        )*
    };
}

impl<'de> Visitor<'de> for ChildrenVisitor {
    type Value = Children;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    scalar_has_no_children!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E>(self) -> Result<Children, E> {
        Ok(Children(Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Children, A::Error> {
        let mut children = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            children.push((children.len().to_string(), node));
        }
        Ok(Children(children))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Children, A::Error> {
        let mut children = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            children.push((key, map.next_value::<Node>()?));
        }
        Ok(Children(children))
    }
}
