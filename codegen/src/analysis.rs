//! Facts about the types of an API that emission needs and the IR does not hold: which
//! types contain themselves without indirection (and so need a `Box`), which union variants
//! are so much larger than the others that they are boxed, and which types can derive
//! `Default`.

use crate::ir::{Api, IntWidth, Ty, TypeKind};

/// The strongly connected component of every type, over edges that need no indirection
/// (a field or alias holding the type itself; `Vec` and maps already allocate).
pub fn components(api: &Api) -> Vec<usize> {
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| {
            let direct = |ty: &Ty| match ty {
                Ty::Named(id) => Some(id.0),
                Ty::Nullable(inner) => match **inner {
                    Ty::Named(id) => Some(id.0),
                    _ => None,
                },
                _ => None,
            };
            match &def.kind {
                TypeKind::Struct { fields } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
                TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
                TypeKind::Tuple { items, .. } => items.iter().filter_map(direct).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            }
        })
        .collect();
    strongly_connected(&edges)
}

/// Kosaraju's algorithm, iterative: a component number per node, shared by the nodes of a
/// cycle. A node on no cycle gets a number of its own that no edge target shares.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&target) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[target] {
                    visited[target] = true;
                    stack.push((target, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (number, &root) in order.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = number;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = number;
                    stack.push(from);
                }
            }
        }
    }
    // A node alone in its component is only cyclic through a self-loop; give acyclic
    // singletons a number no field can match.
    let mut sizes = vec![0usize; n];
    for &c in &component {
        sizes[c] += 1;
    }
    for (node, targets) in edges.iter().enumerate() {
        if sizes[component[node]] == 1 && !targets.contains(&node) {
            component[node] = usize::MAX - node;
        }
    }
    component
}

/// How much larger, in bytes, a union's largest variant may be than its next largest before
/// it is boxed: clippy's `large_enum_variant` threshold.
const LARGE_VARIANT: usize = 200;

/// Which variants of each union are boxed (empty for other types): while the largest variant
/// is [`LARGE_VARIANT`] bytes or more larger than the next (the catch-all `Value` included),
/// it is boxed. Every value of a union pays for its largest variant, so one large variant
/// would make every small one as large.
///
/// Sizes are estimated from the IR (see [`Sizes`]); a variant that already closes a cycle
/// is boxed anyway, and counts as a pointer.
pub fn boxed_variants(api: &Api, components: &[usize]) -> Vec<Vec<bool>> {
    let mut sizes = Sizes { api, components, known: vec![None; api.types.len()] };
    (0..api.types.len()).map(|index| sizes.union_boxes(index).0).collect()
}

/// `(size, alignment)` of a pointer-sized value: a `Box`, `UnknownFields`.
const POINTER: (usize, usize) = (8, 8);
/// Of a `serde_json::Value` with `preserve_order` (its largest variant is an `IndexMap`).
const VALUE: (usize, usize) = (80, 8);
/// Of an `IndexMap` (and so of `Map<String, Value>`): its entries, its index table, its hasher.
const INDEX_MAP: (usize, usize) = (72, 8);
/// Of a `String` or `Vec`.
const VEC: (usize, usize) = (24, 8);

/// Estimates of the size of each type in Rust on a 64-bit target, as rustc lays it out
/// (fields reordered by alignment, `None` stored in a niche where the type has one).
struct Sizes<'a> {
    api: &'a Api,
    components: &'a [usize],
    /// By type, once computed.
    known: Vec<Option<(usize, usize)>>,
}

impl Sizes<'_> {
    /// `(size, alignment)` of `ty`, held by a field or variant of `owner`.
    fn of(&mut self, ty: &Ty, owner: Option<usize>) -> (usize, usize) {
        match ty {
            Ty::String | Ty::Secret | Ty::Array(_) => VEC,
            Ty::Integer(width) => {
                let bytes = match width {
                    IntWidth::I8 | IntWidth::U8 => 1,
                    IntWidth::I16 | IntWidth::U16 => 2,
                    IntWidth::I32 | IntWidth::U32 => 4,
                    IntWidth::I64 | IntWidth::U64 => 8,
                    IntWidth::I128 => 16,
                };
                (bytes, bytes)
            }
            Ty::Number => (8, 8),
            Ty::Boolean => (1, 1),
            // A `Timestamp`: a `DateTime<FixedOffset>` (a date, seconds and nanoseconds, an
            // offset) and two bytes on how it was written (the runtime tests this size).
            Ty::DateTime => (20, 4),
            Ty::Any => VALUE,
            Ty::FreeObject | Ty::Map(_) => INDEX_MAP,
            Ty::Nullable(inner) => optional(self.of(inner, owner), inner),
            Ty::Named(id) if owner.is_some_and(|owner| self.components[owner] == self.components[id.0]) => POINTER,
            Ty::Named(id) => self.named(id.0),
        }
    }

    /// Which variants of the type at `index`, if a union, are boxed (see [`boxed_variants`]),
    /// and each variant's layout once they are.
    fn union_boxes(&mut self, index: usize) -> (Vec<bool>, Vec<(usize, usize)>) {
        let TypeKind::Union { variants, .. } = &self.api.types[index].kind else { return (Vec::new(), Vec::new()) };
        let mut layouts: Vec<(usize, usize)> = variants.iter().map(|v| self.of(&v.ty, Some(index))).collect();
        let mut boxed = vec![false; variants.len()];
        while let Some(largest) = (0..layouts.len()).max_by_key(|&i| layouts[i].0) {
            let others = (0..layouts.len()).filter(|&i| i != largest).map(|i| layouts[i].0);
            let next = others.chain([VALUE.0]).max().unwrap_or(0);
            if layouts[largest].0 < next + LARGE_VARIANT {
                break;
            }
            boxed[largest] = true;
            layouts[largest] = POINTER;
        }
        (boxed, layouts)
    }

    fn named(&mut self, index: usize) -> (usize, usize) {
        if let Some(known) = self.known[index] {
            return known;
        }
        // A type met again while being measured closes a cycle, which a `Box` breaks.
        self.known[index] = Some(POINTER);
        let api = self.api;
        let layout = match &api.types[index].kind {
            TypeKind::Struct { fields } => {
                let parts = fields.iter().map(|f| {
                    let layout = self.of(&f.ty, Some(index));
                    // An optional field is an `Option`.
                    if f.required {
                        layout
                    } else {
                        optional(layout, &f.ty)
                    }
                });
                layout(parts.chain([POINTER]).collect())
            }
            TypeKind::Tuple { items, rest } => {
                let mut parts: Vec<_> = items.iter().map(|ty| self.of(ty, Some(index))).collect();
                parts.extend(rest.as_ref().map(|_| VEC));
                layout(parts)
            }
            TypeKind::Alias(ty) => self.of(ty, None),
            // An open enum: a known value, or the `String` received.
            TypeKind::Enum { .. } => VEC,
            TypeKind::Union { .. } => {
                let (_, variants) = self.union_boxes(index);
                let (size, align) = variants.into_iter().chain([VALUE]).max().unwrap_or(VALUE);
                (size + align, align)
            }
        };
        self.known[index] = Some(layout);
        layout
    }
}

/// The layout of an `Option` of `ty`, laid out as `layout`: numbers have no niche for `None`
/// and need room for a tag; everything else the generator emits has one.
fn optional(layout: (usize, usize), ty: &Ty) -> (usize, usize) {
    let (size, align) = layout;
    match ty {
        Ty::Integer(_) | Ty::Number => (size + align, align),
        _ => layout,
    }
}

/// A struct's `(size, alignment)` from its fields': their sizes summed (rustc orders fields by
/// alignment, so only the end needs padding), rounded up to the largest alignment.
fn layout(parts: Vec<(usize, usize)>) -> (usize, usize) {
    let align = parts.iter().map(|p| p.1).max().unwrap_or(1);
    let size: usize = parts.iter().map(|p| p.0).sum();
    (size.div_ceil(align) * align, align)
}

/// Whether each type can `#[derive(Default)]`: every required field's type has a default.
pub fn derives_default(api: &Api) -> Vec<bool> {
    let mut able = vec![true; api.types.len()];
    loop {
        let mut changed = false;
        for (index, def) in api.types.iter().enumerate() {
            let now = match &def.kind {
                TypeKind::Enum { .. } | TypeKind::Union { .. } | TypeKind::Tuple { .. } => false,
                TypeKind::Alias(ty) => ty_default(ty, &able),
                TypeKind::Struct { fields } => fields.iter().all(|f| !f.required || ty_default(&f.ty, &able)),
            };
            if able[index] && !now {
                able[index] = false;
                changed = true;
            }
        }
        if !changed {
            return able;
        }
    }
}

fn ty_default(ty: &Ty, able: &[bool]) -> bool {
    match ty {
        Ty::DateTime | Ty::Secret => false,
        Ty::Named(id) => able[id.0],
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::{boxed_variants, components, strongly_connected};
    use crate::spec::read_text;

    #[test]
    fn only_a_union_variant_much_larger_than_the_others_is_boxed() {
        let api = read_text(
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
             Location: {oneOf: [{$ref: '#/components/schemas/Online'}, {$ref: '#/components/schemas/Physical'}]}\n    \
             Small: {oneOf: [{$ref: '#/components/schemas/Online'}, {type: string}]}\n    \
             Online: {required: [url], properties: {url: {type: string}}}\n    \
             Physical: {properties: {a: {}, b: {}, c: {type: object}, d: {type: object}}}\n",
        )
        .unwrap();
        let boxed = boxed_variants(&api, &components(&api));
        let of = |name: &str| &boxed[api.types.iter().position(|t| t.name.path == [name]).unwrap()];
        assert_eq!(of("Location"), &[false, true], "Physical holds four maps and values, Online a string");
        assert_eq!(of("Small"), &[false, false]);
        assert!(of("Online").is_empty(), "not a union");
    }

    #[test]
    fn only_nodes_on_a_cycle_share_a_component() {
        // 0 <-> 1 is a cycle, 2 points at itself, 3 points into the cycle and 4 at nothing.
        let components = strongly_connected(&[vec![1], vec![0], vec![2], vec![0], vec![]]);
        assert_eq!(components[0], components[1]);
        let targets = [components[0], components[2]];
        assert!(!targets.contains(&components[3]) && !targets.contains(&components[4]), "{components:?}");
        assert_ne!(components[2], components[0]);
        assert_ne!(components[3], components[4]);
    }
}
