//! Recursive types made expressible in Rust: a field or alternative that leads back to its own
//! type is boxed; an alias of itself becomes untyped.

use crate::ir::{Field, Ty, TypeDef, TypeKind};
use std::collections::BTreeSet;

/// Boxes struct fields whose type contains the struct itself without indirection.
pub fn box_recursive(defs: &mut [TypeDef]) {
    // Only a type held directly needs a box; a list or map is indirection already.
    let direct = |d: &TypeDef| d.kind.member_tys().into_iter().filter_map(named).collect();
    let edges: Vec<Vec<usize>> = defs.iter().map(direct).collect();
    let reaches = |from: usize, to: usize| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, d) in defs.iter().enumerate() {
        // An alias's entry is ignored below: `untie_aliases` handles aliases of themselves.
        let tys = d.kind.member_tys();
        for (i, t) in tys.into_iter().enumerate() {
            if named(t).is_some_and(|target| reaches(target, id)) {
                to_box.push((id, i));
            }
        }
    }
    let boxed = |t: &mut Ty| *t = Ty::Boxed(Box::new(std::mem::replace(t, Ty::Unit)));
    for (id, i) in to_box {
        match &mut defs[id].kind {
            TypeKind::Struct(fields) => {
                let f: &mut Field = &mut fields[i];
                f.boxed = true;
            }
            // A union that contains itself: the alternative is boxed (a struct field is boxed
            // by its flag, which keeps its serde attributes simple).
            TypeKind::Union(vs) => boxed(&mut vs[i].1),
            TypeKind::Tagged { variants, .. } => boxed(&mut variants[i].2),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}

/// A type alias that leads back to itself through aliases only (`State: {oneOf: [State]}`, a `$ref`
/// cycle with nothing in between) cannot be written in Rust: it becomes `serde_json::Value`, with
/// a note.
pub fn untie_aliases(defs: &mut [TypeDef], degraded: &mut Vec<String>) {
    for id in 0..defs.len() {
        let mut seen = BTreeSet::new();
        let mut at = id;
        let cyclic = loop {
            match &defs[at].kind {
                TypeKind::Alias(t) => match named(t) {
                    Some(next) if next == id => break true,
                    Some(next) if seen.insert(next) => at = next,
                    _ => break false,
                },
                _ => break false,
            }
        };
        if cyclic {
            let name = defs[id].name.clone();
            let message =
                format!("`{name}` is an alias of itself (a `$ref` cycle without indirection)");
            degraded.push(format!("type {name}: {message}"));
            defs[id].doc.push_str(&format!("\n\nUntyped: {message}."));
            defs[id].kind = TypeKind::Alias(Ty::Any);
        }
    }
}

fn named(t: &Ty) -> Option<usize> {
    match t {
        Ty::Named(id) => Some(*id),
        _ => None,
    }
}
