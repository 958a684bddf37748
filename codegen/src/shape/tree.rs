//! The resource tree: operations grouped by their resource path, method names made unique
//! within a resource, the handles' legacy names (their paths, before `handles` adds the
//! `Resource` suffix) unique overall.

use super::operations::Draft;
use crate::ir::{Resource, Scoping};
use crate::naming;
use crate::overlay::Overlay;
use std::collections::{BTreeMap, BTreeSet};

/// Groups operations into resources; a method name used twice in one resource gets a suffix.
pub fn build(drafts: Vec<Draft>, overlay: &Overlay) -> Vec<Resource> {
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
                        legacy_name: path.iter().map(|s| naming::camel(s)).collect(),
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
    for r in &mut root.children {
        document(r, overlay);
    }
    root.children
}

/// Gives `r` and its sub-resources their docs: the overlay's; else the description of the tag
/// its operations (or, for a resource with none of its own, its sub-resources') share in the
/// document; else the summaries of its operations.
fn document(r: &mut Resource, overlay: &Overlay) {
    for c in &mut r.children {
        document(c, overlay);
    }
    if let Some(doc) = overlay.resources.get(&r.path) {
        r.doc = doc.clone();
        return;
    }
    let ops = crate::ir::operations(std::slice::from_ref(r));
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for t in ops.iter().filter_map(|o| o.tag_doc.as_deref()) {
        *tags.entry(t).or_default() += 1;
    }
    let shared = tags
        .iter()
        .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)));
    r.doc = match shared {
        Some((tag, _)) => tag.to_string(),
        None => {
            let summaries: Vec<&str> = ops.iter().filter_map(|o| o.summary.as_deref()).collect();
            if summaries.is_empty() {
                format!("The `{}` operations.", r.path)
            } else {
                format!("The `{}` operations: {}.", r.path, summaries.join("; "))
            }
        }
    };
}

fn finish(node: &mut Resource, legacy_names: &mut BTreeSet<String>) {
    if !node.legacy_name.is_empty() {
        node.legacy_name = naming::unique(node.legacy_name.clone(), legacy_names);
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
                    .map(|id| naming::snake(id))
                    .unwrap_or_else(|| entry.0.to_string()),
            };
            op.method = format!("{}_{}", op.method, suffix);
        }
        op.method = naming::unique(op.method.clone(), &mut used);
    }
    node.operations.sort_by(|a, b| a.method.cmp(&b.method));
    node.children.sort_by(|a, b| a.name.cmp(&b.name));
    for c in &mut node.children {
        finish(c, legacy_names);
    }
}
