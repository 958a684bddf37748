//! Which operations of a document are generated: the overlay's `[selection]` names them by
//! operationId, so the same crate comes out of the vendored document, a slice of Cloudflare's or
//! its full document. Reading only the paths, methods, operationIds and tags, it also lists what
//! the selection leaves out of the operations' families, and the entries the document lacks.
//!
//! A family is what a maintainer would look at when Cloudflare adds an operation next to ours:
//! the operations that share a tag with a selected one (Cloudflare tags by product:
//! "mTLS Certificate Management") or whose path lies under a selected one's path (path
//! parameters compared by position, not name, as Cloudflare renames them: `{zone_identifier}`).

use crate::error::join;
use crate::load::Spec;
use crate::overlay::Selection;
use serde_json::Value;
use std::collections::BTreeSet;

/// The operations to generate, and what the selection did not find or left out.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The operationIds to generate; `None`: every operation.
    pub selected: Option<BTreeSet<String>>,
    /// Selection entries the document has under none of their operationIds (their first
    /// spelling).
    pub missing: Vec<String>,
    /// Operations of the selected operations' families that the selection does not name:
    /// `operationId (METHOD /path)`, in path order.
    pub left_out: Vec<String>,
}

/// The HTTP methods of a path item.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the document as the selection sees it.
struct Entry<'d> {
    id: Option<&'d str>,
    method: &'static str,
    path: &'d str,
    tags: Vec<&'d str>,
}

/// The plan for `spec` with `selection` (`None`: everything, nothing reported).
pub fn plan(spec: &Spec, selection: Option<&Selection>) -> Plan {
    let Some(selection) = selection else {
        return Plan::default();
    };
    let entries = entries(spec);
    let present: BTreeSet<&str> = entries.iter().filter_map(|e| e.id).collect();
    let mut selected = BTreeSet::new();
    let mut missing = Vec::new();
    for entry in &selection.operations {
        let ids = entry.ids();
        let found: Vec<&String> = ids
            .iter()
            .filter(|id| present.contains(id.as_str()))
            .collect();
        if found.is_empty() {
            missing.extend(ids.first().cloned());
        }
        selected.extend(found.into_iter().cloned());
    }
    let is_selected = |e: &Entry<'_>| e.id.is_some_and(|id| selected.contains(id));
    let tags: BTreeSet<&str> = entries
        .iter()
        .filter(|e| is_selected(e))
        .flat_map(|e| e.tags.iter().copied())
        .collect();
    let prefixes: BTreeSet<String> = entries
        .iter()
        .filter(|e| is_selected(e))
        .map(|e| shape_of(e.path))
        .collect();
    let left_out = entries
        .iter()
        .filter(|e| !is_selected(e))
        .filter(|e| {
            let path = shape_of(e.path);
            e.tags.iter().any(|t| tags.contains(t))
                || prefixes
                    .iter()
                    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        })
        .map(|e| {
            let method = e.method.to_uppercase();
            match e.id {
                Some(id) => format!("{id} ({method} {})", e.path),
                None => format!("(no operationId) ({method} {})", e.path),
            }
        })
        .collect();
    Plan {
        selected: Some(selected),
        missing,
        left_out,
    }
}

/// Every operation of the document, in path order. A path item that cannot be read is skipped:
/// the selection never fails a build over a part of the document it does not generate.
fn entries(spec: &Spec) -> Vec<Entry<'_>> {
    let Some(paths) = spec.doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    let mut out = Vec::new();
    for path in keys {
        let Ok((_, item)) = spec.deref(&join("/paths", path), &paths[path.as_str()]) else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let tags = op
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.push(Entry {
                id: op.get("operationId").and_then(Value::as_str),
                method,
                path,
                tags,
            });
        }
    }
    out
}

/// The component schemas the resolved `operations` can reach through `$ref`s (of schemas,
/// parameters, request bodies, responses), read from the document: a reference into a component
/// (`…/NAME/properties/x`) reaches `NAME`.
pub fn reachable_components(
    spec: &Spec,
    operations: &[crate::resolve::operation::Operation],
) -> BTreeSet<String> {
    const SCHEMAS: &str = "/components/schemas/";
    let mut stack: Vec<&Value> = Vec::new();
    for op in operations {
        stack.extend(spec.lookup(&op.pointer));
        // The path item's own parameters.
        if let Some((item, _)) = op.pointer.rsplit_once('/') {
            stack.extend(spec.lookup(item).and_then(|i| i.get("parameters")));
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut names = BTreeSet::new();
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(m) => {
                if let Some(target) = m.get("$ref").and_then(Value::as_str) {
                    let Ok(pointer) = spec.ref_pointer(target, "") else {
                        continue;
                    };
                    if let Some(rest) = pointer.strip_prefix(SCHEMAS) {
                        let name = rest.split('/').next().unwrap_or(rest);
                        names.insert(name.replace("~1", "/").replace("~0", "~"));
                    }
                    if seen.insert(pointer.clone()) {
                        stack.extend(spec.lookup(&pointer));
                    }
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    names
}

/// A path template with its parameter names dropped (`/zones/{}/client_certificates`).
fn shape_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlay::Spellings;
    use serde_json::json;

    fn spec() -> Spec {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {
                "/zones/{zone_id}/things": {
                    "get": {"operationId": "list-things", "tags": ["Things"]},
                    "post": {"operationId": "new-thing", "tags": ["Things"]}
                },
                "/zones/{zone_identifier}/things/{id}/parts": {"get": {"operationId": "parts"}},
                "/zones/{zone_id}/widgets": {"get": {"operationId": "widgets", "tags": ["Things"]}},
                "/zones/{zone_id}/other": {"get": {"operationId": "other", "tags": ["Other"]}},
                "/broken": {"$ref": "#/nowhere"}
            }
        });
        Spec::from_value("t.json", doc).expect("spec")
    }

    #[test]
    fn selects_by_any_spelling_and_lists_the_family_and_the_missing() {
        let selection = Selection {
            operations: vec![
                Spellings::Many(vec!["list-things-v2".into(), "list-things".into()]),
                Spellings::One("gone".into()),
            ],
        };
        let plan = plan(&spec(), Some(&selection));
        let selected: Vec<&str> = plan.selected.iter().flatten().map(String::as_str).collect();
        assert_eq!(selected, ["list-things"]);
        assert_eq!(plan.missing, ["gone"]);
        assert_eq!(
            plan.left_out,
            [
                "parts (GET /zones/{zone_identifier}/things/{id}/parts)",
                "new-thing (POST /zones/{zone_id}/things)",
                "widgets (GET /zones/{zone_id}/widgets)",
            ]
        );
    }

    #[test]
    fn no_selection_is_everything() {
        let plan = plan(&spec(), None);
        assert!(plan.selected.is_none() && plan.missing.is_empty() && plan.left_out.is_empty());
    }
}
