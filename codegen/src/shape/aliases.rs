//! Deprecated aliases: the old names of operations that moved (the overlay's
//! `deprecated_aliases`), added to the finished resource tree as methods that call the operation
//! where it is now, so users' code written against the old names keeps compiling, with a
//! deprecation warning naming the replacement.

use crate::ir::{Alias, Operation, Resource};
use crate::naming;
use crate::overlay::Overlay;
use std::collections::{BTreeMap, BTreeSet};

/// Adds the overlay's aliases of every operation in `resources`. An alias whose name is taken
/// in its resource (by an operation, a sub-resource or another alias) is left out, with a line
/// in `degraded`.
pub fn add(resources: &mut Vec<Resource>, overlay: &Overlay, degraded: &mut Vec<String>) {
    // The old path → (target resource path, target struct, operation); twins give one alias.
    let mut wanted: BTreeMap<String, (Vec<String>, String, Operation)> = BTreeMap::new();
    let mut stack: Vec<(Vec<String>, &Resource)> = resources
        .iter()
        .map(|r| (vec![r.name.clone()], r))
        .collect();
    while let Some((path, r)) = stack.pop() {
        for op in &r.operations {
            let aliases = op
                .operation_ids
                .iter()
                .filter_map(|id| overlay.operations.get(id))
                .flat_map(|n| n.deprecated_aliases());
            for alias in aliases {
                wanted
                    .entry(alias.clone())
                    .or_insert_with(|| (path.clone(), r.legacy_name.clone(), op.clone()));
            }
        }
        for c in &r.children {
            let mut p = path.clone();
            p.push(c.name.clone());
            stack.push((p, c));
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut legacy_names = BTreeSet::new();
    collect_legacy_names(resources, &mut legacy_names);
    let mut root = Resource {
        children: std::mem::take(resources),
        ..Resource::default()
    };
    for (old, (target, target_struct, op)) in wanted {
        let mut segs: Vec<String> = old.split('.').map(naming::snake).collect();
        let method = segs.pop().unwrap_or_default();
        let node = node_at(&mut root, &segs, &mut legacy_names);
        let paged = op.decode == crate::ir::Decode::Page;
        let taken = |name: &str| {
            node.operations.iter().any(|o| {
                o.method == name
                    || (o.decode == crate::ir::Decode::Page && format!("{}_all", o.method) == name)
            }) || node.children.iter().any(|c| c.name == name)
                || node.aliases.iter().any(|a| a.method == name)
        };
        if taken(&method) || (paged && taken(&format!("{method}_all"))) {
            degraded.push(format!(
                "deprecated alias `{old}` of `{}.{}`: the name is taken; left out",
                target.join("."),
                op.method
            ));
            continue;
        }
        node.aliases.push(Alias {
            method,
            target,
            target_struct,
            op,
        });
    }
    finish(&mut root, overlay);
    *resources = root.children;
}

fn collect_legacy_names(resources: &[Resource], out: &mut BTreeSet<String>) {
    for r in resources {
        out.insert(r.legacy_name.clone());
        collect_legacy_names(&r.children, out);
    }
}

/// The resource at `segs` under `root`, created (with a unique legacy handle name) where missing.
fn node_at<'r>(
    root: &'r mut Resource,
    segs: &[String],
    legacy_names: &mut BTreeSet<String>,
) -> &'r mut Resource {
    let mut node = root;
    let mut path: Vec<String> = Vec::new();
    for seg in segs {
        path.push(seg.clone());
        let pos = match node.children.iter().position(|c| c.name == *seg) {
            Some(p) => p,
            None => {
                let camel: String = path.iter().map(|s| naming::camel(s)).collect();
                node.children.push(Resource {
                    name: seg.clone(),
                    legacy_name: naming::unique(camel, legacy_names),
                    path: path.join("."),
                    ..Resource::default()
                });
                node.children.len() - 1
            }
        };
        node = &mut node.children[pos];
    }
    node
}

/// Sorts aliases and children, and marks (and documents) the resources that hold nothing but
/// aliases: their accessors are deprecated too.
fn finish(node: &mut Resource, overlay: &Overlay) {
    node.aliases.sort_by(|a, b| a.method.cmp(&b.method));
    node.children.sort_by(|a, b| a.name.cmp(&b.name));
    for c in &mut node.children {
        finish(c, overlay);
    }
    if node.path.is_empty() || !node.operations.is_empty() {
        return;
    }
    let mut targets = BTreeSet::new();
    if !only_aliases(node, &mut targets) {
        return;
    }
    let accessors = |t: &Vec<String>| -> String {
        t.iter()
            .map(|s| format!("{s}()"))
            .collect::<Vec<_>>()
            .join(".")
    };
    let note = match targets.len() {
        1 => targets
            .iter()
            .next()
            .map(|(t, _)| format!("use `{}` instead", accessors(t)))
            .unwrap_or_default(),
        _ => "its methods moved: see the deprecation note of each".to_string(),
    };
    if let (true, Some(doc)) = (node.doc.is_empty(), overlay.resources.get(&node.path)) {
        node.doc = doc.clone();
    }
    if node.doc.is_empty() {
        let places: Vec<String> = targets
            .iter()
            .map(|(t, _)| format!("`{}`", accessors(t)))
            .collect();
        node.doc = format!(
            "Deprecated: the old place of the methods now under {}. Its methods still work: \
             each calls its replacement, with a deprecation warning naming it.",
            places.join(" and ")
        );
    }
    node.deprecated = Some(note);
}

/// Whether `node` and its sub-resources hold aliases and no operation; collects the aliases'
/// target resources (accessor path, handle struct).
fn only_aliases(node: &Resource, targets: &mut BTreeSet<(Vec<String>, String)>) -> bool {
    if !node.operations.is_empty() {
        return false;
    }
    for a in &node.aliases {
        targets.insert((a.target.clone(), a.target_struct.clone()));
    }
    node.children.iter().all(|c| only_aliases(c, targets))
}
