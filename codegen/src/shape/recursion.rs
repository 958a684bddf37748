//! Recursive types made expressible in Rust: a field or alternative that leads back to its own
//! type is boxed; an alias of itself becomes untyped.

use crate::ir::{Field, Ty, TypeDef, TypeKind};
use std::collections::BTreeSet;

/// Boxes struct fields whose type contains the struct itself without indirection.
pub fn box_recursive(defs: &mut [TypeDef]) {
    let direct = |kind: &TypeKind| -> Vec<usize> {
        match kind {
            TypeKind::Struct(fields) => fields.iter().filter_map(|f| named(&f.ty)).collect(),
            TypeKind::Union(vs) => vs.iter().filter_map(|(_, t)| named(t)).collect(),
            TypeKind::Tagged { variants, .. } => {
                variants.iter().filter_map(|(_, _, t)| named(t)).collect()
            }
            TypeKind::Alias(t) => named(t).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    };
    let edges: Vec<Vec<usize>> = defs.iter().map(|d| direct(&d.kind)).collect();
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
        let tys: Vec<&Ty> = match &d.kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(vs) => vs.iter().map(|(_, t)| t).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|(_, _, t)| t).collect(),
            TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
        };
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
