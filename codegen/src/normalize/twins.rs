//! Account/zone twins: whether two operations' shapes are the same Rust types, and dropping the
//! types that merging left unused.
//!
//! Cloudflare's documents often describe the zone twin of an account operation with their own
//! components, equal but for details that do not change the Rust type (descriptions, examples,
//! enum order, component names) or that only loosen it (a schema without `type` beside
//! `type: string`). Such twins still become one method taking a `Scope`.

use crate::ir::{Body, Param, Resource, Ty, TypeDef, TypeKind};
use std::collections::BTreeSet;

/// Whether two parameter lists are the same arguments: names, requiredness, compatible types.
pub fn same_params(defs: &[TypeDef], a: Option<&[Param]>, b: Option<&[Param]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.name == y.name
                        && x.api_name == y.api_name
                        && x.required == y.required
                        && same_ty(defs, &x.ty, &y.ty)
                })
        }
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Whether two request bodies are the same.
pub fn same_body(defs: &[TypeDef], a: Option<&Body>, b: Option<&Body>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.content_type == b.content_type
                && match (&a.ty, &b.ty) {
                    (None, None) => true,
                    (Some(x), Some(y)) => same_ty(defs, x, y),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether two types are the same Rust type, or would be but for an untyped value on one side.
pub fn same_ty(defs: &[TypeDef], a: &Ty, b: &Ty) -> bool {
    compatible(defs, a, b, &mut BTreeSet::new())
}

fn compatible(defs: &[TypeDef], a: &Ty, b: &Ty, assumed: &mut BTreeSet<(usize, usize)>) -> bool {
    match (a, b) {
        // A schema without `type` beside a typed one.
        (Ty::Any, other) | (other, Ty::Any) => !matches!(other, Ty::Unit),
        (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) | (Ty::Boxed(x), Ty::Boxed(y)) => {
            compatible(defs, x, y, assumed)
        }
        (Ty::Named(x), Ty::Named(y)) => {
            // Recursive types: a pair being compared is assumed compatible.
            x == y || !assumed.insert((*x, *y)) || same_def(defs, *x, *y, assumed)
        }
        (x, y) => x == y,
    }
}

fn same_def(defs: &[TypeDef], x: usize, y: usize, assumed: &mut BTreeSet<(usize, usize)>) -> bool {
    match (&defs[x].kind, &defs[y].kind) {
        (TypeKind::Struct(f), TypeKind::Struct(g)) => {
            f.len() == g.len()
                && f.iter().zip(g).all(|(a, b)| {
                    a.name == b.name
                        && a.api_name == b.api_name
                        && a.optional == b.optional
                        && a.required == b.required
                        && compatible(defs, &a.ty, &b.ty, assumed)
                })
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            // Enum order does not matter.
            let set = |v: &[(String, String)]| v.iter().cloned().collect::<BTreeSet<_>>();
            set(a) == set(b)
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((n, s), (m, t))| n == m && compatible(defs, s, t, assumed))
        }
        (
            TypeKind::Tagged { tag, variants },
            TypeKind::Tagged {
                tag: tag2,
                variants: variants2,
            },
        ) => {
            tag == tag2
                && variants.len() == variants2.len()
                && variants
                    .iter()
                    .zip(variants2)
                    .all(|((n, v, s), (m, w, t))| {
                        n == m && v == w && compatible(defs, s, t, assumed)
                    })
        }
        (TypeKind::Alias(s), TypeKind::Alias(t)) => compatible(defs, s, t, assumed),
        _ => false,
    }
}

/// Drops the named types no operation reaches (the zone twin's types, once merged), renumbering
/// the rest.
pub fn prune(defs: &mut Vec<TypeDef>, resources: &mut [Resource]) {
    let mut keep = vec![false; defs.len()];
    {
        let ops = super::all_operations(resources);
        // Parameter structs are named by their operation, not referenced by a type.
        let param_structs: BTreeSet<&str> = ops
            .iter()
            .filter_map(|op| op.params_struct.as_deref())
            .collect();
        let param_structs: Vec<Ty> = (0..defs.len())
            .filter(|&id| param_structs.contains(defs[id].name.as_str()))
            .map(Ty::Named)
            .collect();
        let mut roots: Vec<&Ty> = param_structs.iter().collect();
        for op in &ops {
            roots.push(&op.result);
            roots.extend(op.body.as_ref().and_then(|b| b.ty.as_ref()));
            roots.extend(
                op.path_params
                    .iter()
                    .chain(&op.query)
                    .chain(&op.headers)
                    .map(|p| &p.ty),
            );
        }
        for id in super::direction::reached(defs, roots) {
            keep[id] = true;
        }
    }
    if keep.iter().all(|k| *k) {
        return;
    }
    let mut new_id = vec![None; defs.len()];
    let mut next = 0;
    for (id, k) in keep.iter().enumerate() {
        if *k {
            new_id[id] = Some(next);
            next += 1;
        }
    }
    let old = std::mem::take(defs);
    for (id, mut d) in old.into_iter().enumerate() {
        if keep[id] {
            match &mut d.kind {
                TypeKind::Struct(fields) => {
                    fields.iter_mut().for_each(|f| renumber(&mut f.ty, &new_id))
                }
                TypeKind::Union(vs) => vs.iter_mut().for_each(|(_, t)| renumber(t, &new_id)),
                TypeKind::Tagged { variants, .. } => variants
                    .iter_mut()
                    .for_each(|(_, _, t)| renumber(t, &new_id)),
                TypeKind::Alias(t) => renumber(t, &new_id),
                TypeKind::Enum(_) => {}
            }
            defs.push(d);
        }
    }
    for_each_op(resources, &mut |op| {
        renumber(&mut op.result, &new_id);
        if let Some(t) = op.body.as_mut().and_then(|b| b.ty.as_mut()) {
            renumber(t, &new_id);
        }
        for p in op
            .path_params
            .iter_mut()
            .chain(&mut op.query)
            .chain(&mut op.headers)
        {
            renumber(&mut p.ty, &new_id);
        }
    });
}

fn for_each_op(resources: &mut [Resource], f: &mut dyn FnMut(&mut crate::ir::Operation)) {
    for r in resources {
        r.operations.iter_mut().for_each(&mut *f);
        for_each_op(&mut r.children, f);
    }
}

/// Every kept type's new id (only kept types are reachable from kept items).
fn renumber(t: &mut Ty, new_id: &[Option<usize>]) {
    match t {
        Ty::Named(id) => {
            if let Some(n) = new_id[*id] {
                *id = n;
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => renumber(inner, new_id),
        _ => {}
    }
}
