//! Facts about the types of an API that emission needs and the IR does not hold: which
//! types contain themselves without indirection (and so need a `Box`), and which can derive
//! `Default`.

use crate::ir::{Api, Ty, TypeKind};

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

/// Whether each type can `#[derive(Default)]`: every required field's type has a default.
pub fn derives_default(api: &Api) -> Vec<bool> {
    let mut able = vec![true; api.types.len()];
    loop {
        let mut changed = false;
        for (index, def) in api.types.iter().enumerate() {
            let now = match &def.kind {
                TypeKind::Enum { .. } | TypeKind::Union { .. } => false,
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
    use super::strongly_connected;

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
