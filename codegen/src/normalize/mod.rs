//! Stage 2: normalize the document into the named model ([`crate::ir::Model`]).
//!
//! `schema` resolves `$ref`s and classifies schemas, `merge` flattens `allOf`, `types` names Rust
//! types, `operations` types each operation, and this module merges account/zone twins, makes
//! method names unique and builds the resource tree; `direction` marks which types are sent and
//! which received.

pub mod direction;
pub mod merge;
pub mod names;
pub mod operations;
pub mod schema;
mod twins;
mod types;

use crate::error::Result;
use crate::ir::{Field, Model, Operation, Resource, Scoping, Ty, TypeDef, TypeKind};
use crate::load::Spec;
use crate::overlay::Overlay;
use operations::Draft;
use std::collections::{BTreeMap, BTreeSet};

/// Builds the model of `spec`, named with `overlay`.
pub fn normalize(spec: &Spec, overlay: &Overlay, strict: bool) -> Result<Model> {
    let components: Vec<String> = spec
        .doc
        .pointer("/components/schemas")
        .and_then(|v| v.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut resolver = schema::Resolver::new(spec, strict);
    let mut types = types::Types::new(overlay, &components);
    let drafts = operations::drafts(&mut resolver, &mut types, overlay)?;
    types.name_by_fields();
    let (mut defs, mut degraded) = types.into_defs();
    let drafts = merge_twins(drafts, &defs);
    degraded.append(&mut resolver.degraded);
    let mut resources = build_tree(drafts);
    twins::prune(&mut defs, &mut resources);
    box_recursive(&mut defs);
    untie_aliases(&mut defs, &mut degraded);
    degraded.sort();
    degraded.dedup();
    direction::mark(&mut defs, &resources);
    let (title, version) = spec.title_and_version();
    Ok(Model {
        title,
        version,
        file: spec.file.clone(),
        resources,
        types: defs,
        degraded,
    })
}

/// Account/zone twins with the same name and shapes become one method taking a `Scope`; shapes
/// are compared as Rust types (see [`twins::same_params`]), and the account twin's types are
/// kept.
fn merge_twins(drafts: Vec<Draft>, defs: &[TypeDef]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    for d in drafts {
        let twin = out.iter_mut().find(|o| {
            o.resource == d.resource
                && o.op.method == d.op.method
                && o.scope.is_some()
                && d.scope.is_some()
                && o.scope != d.scope
                && o.op.scoping != Scoping::Either
                && o.rest == d.rest
                && o.op.http_method == d.op.http_method
                && twins::same_params(defs, o.op.path_params.get(1..), d.op.path_params.get(1..))
                && twins::same_params(defs, Some(&o.op.query), Some(&d.op.query))
                && twins::same_params(defs, Some(&o.op.headers), Some(&d.op.headers))
                && twins::same_body(defs, o.op.body.as_ref(), d.op.body.as_ref())
                && twins::same_ty(defs, &o.op.result, &d.op.result)
                && o.op.decode == d.op.decode
        });
        match twin {
            Some(o) => {
                o.op.scoping = Scoping::Either;
                o.op.path = o.rest.clone();
                o.op.path_params.remove(0);
                o.op.operation_ids.extend(d.op.operation_ids);
            }
            None => out.push(d),
        }
    }
    out
}

/// Groups operations into resources; a method name used twice in one resource gets a suffix.
fn build_tree(drafts: Vec<Draft>) -> Vec<Resource> {
    let mut root = Resource::default();
    for d in drafts {
        let mut node = &mut root;
        let mut path = Vec::new();
        for seg in &d.resource {
            path.push(seg.clone());
            let pos = match node.children.iter().position(|c| c.name == *seg) {
                Some(p) => p,
                None => {
                    node.children.push(Resource {
                        name: seg.clone(),
                        struct_name: path.iter().map(|s| names::camel(s)).collect(),
                        path: path.join("."),
                        ..Resource::default()
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[pos];
        }
        node.operations.push(d.op);
    }
    let mut taken = BTreeSet::new();
    finish(&mut root, &mut taken);
    root.children
}

fn finish(node: &mut Resource, struct_names: &mut BTreeSet<String>) {
    if !node.struct_name.is_empty() {
        node.struct_name = names::unique(node.struct_name.clone(), struct_names);
    }
    let mut used: BTreeSet<String> = node.children.iter().map(|c| c.name.clone()).collect();
    // The first operation of a name keeps it; a later one gets the scope it differs in
    // (`create_zone`), else a suffix from its operationId.
    let mut seen: BTreeMap<String, (usize, Scoping)> = BTreeMap::new();
    for op in &mut node.operations {
        let entry = seen
            .entry(op.method.clone())
            .or_insert((0, op.scoping.clone()));
        entry.0 += 1;
        if entry.0 > 1 || used.contains(&op.method) {
            let suffix = match (&op.scoping, &entry.1) {
                (Scoping::Zone, first) if *first != Scoping::Zone => "zone".to_string(),
                (Scoping::Account, first) if *first != Scoping::Account => "account".to_string(),
                _ => op
                    .operation_ids
                    .first()
                    .map(|id| names::snake(id))
                    .unwrap_or_else(|| entry.0.to_string()),
            };
            op.method = format!("{}_{}", op.method, suffix);
        }
        op.method = names::unique(op.method.clone(), &mut used);
    }
    node.operations.sort_by(|a, b| a.method.cmp(&b.method));
    node.children.sort_by(|a, b| a.name.cmp(&b.name));
    for c in &mut node.children {
        finish(c, struct_names);
    }
}

/// Boxes struct fields whose type contains the struct itself without indirection.
fn box_recursive(defs: &mut [TypeDef]) {
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
fn untie_aliases(defs: &mut [TypeDef], degraded: &mut Vec<String>) {
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

/// Every operation of the tree, depth first (for summaries).
pub fn all_operations(resources: &[Resource]) -> Vec<&Operation> {
    let mut out = Vec::new();
    for r in resources {
        out.extend(r.operations.iter());
        out.extend(all_operations(&r.children));
    }
    out
}
