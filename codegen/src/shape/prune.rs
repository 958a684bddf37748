//! Dropping the named types no operation reaches (the zone twin's types, once twins are merged),
//! and renumbering the rest.

use crate::ir::{Operation, Resource, Ty, TypeDef, TypeKind};
use std::collections::BTreeSet;

/// Drops the named types no operation reaches, renumbering the rest everywhere.
pub fn prune(defs: &mut Vec<TypeDef>, resources: &mut [Resource]) {
    let keep = reached(defs, resources);
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
            each_ty_of_type(&mut d.kind, &mut |t| renumber(t, &new_id));
            defs.push(d);
        }
    }
    for_each_op(resources, &mut |op| {
        each_ty_of_operation(op, &mut |t| renumber(t, &new_id))
    });
}

/// Which types the operations reach: from results, bodies, parameters and parameter structs.
fn reached(defs: &[TypeDef], resources: &[Resource]) -> Vec<bool> {
    let ops = crate::ir::operations(resources);
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
        let params = op.path_params.iter().chain(&op.query).chain(&op.headers);
        roots.extend(params.map(|p| &p.ty));
    }
    let mut keep = vec![false; defs.len()];
    for id in super::direction::reached(defs, roots) {
        keep[id] = true;
    }
    keep
}

fn each_ty_of_type(kind: &mut TypeKind, f: &mut dyn FnMut(&mut Ty)) {
    match kind {
        TypeKind::Struct(fields) => fields.iter_mut().for_each(|x| f(&mut x.ty)),
        TypeKind::Union(vs) => vs.iter_mut().for_each(|(_, t)| f(t)),
        TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|(_, _, t)| f(t)),
        TypeKind::Alias(t) => f(t),
        TypeKind::Enum(_) => {}
    }
}

fn each_ty_of_operation(op: &mut Operation, f: &mut dyn FnMut(&mut Ty)) {
    f(&mut op.result);
    if let Some(t) = op.body.as_mut().and_then(|b| b.ty.as_mut()) {
        f(t);
    }
    let params = op
        .path_params
        .iter_mut()
        .chain(&mut op.query)
        .chain(&mut op.headers);
    params.for_each(|p| f(&mut p.ty));
}

fn for_each_op(resources: &mut [Resource], f: &mut dyn FnMut(&mut Operation)) {
    for r in resources {
        r.operations.iter_mut().for_each(&mut *f);
        for_each_op(&mut r.children, f);
    }
}

/// A kept type's new id (only kept types are reachable from kept items).
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
