//! Dropping the named types no operation reaches (the zone twin's types, once twins are merged),
//! and renumbering the rest.

use crate::ir::{Operation, Resource, Ty, TypeDef};
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
            d.kind
                .member_tys_mut()
                .into_iter()
                .for_each(|t| renumber(t, &new_id));
            defs.push(d);
        }
    }
    for_each_op(resources, &mut |op| {
        op.tys_mut().into_iter().for_each(|t| renumber(t, &new_id))
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
    roots.extend(ops.iter().flat_map(|op| op.tys()));
    let mut keep = vec![false; defs.len()];
    for id in super::direction::reached(defs, roots) {
        keep[id] = true;
    }
    keep
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
