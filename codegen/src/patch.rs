//! Upstream patches: an [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0.0.html)
//! document (JSON) applied to an OpenAPI document before generation. Each action selects nodes
//! with a JSONPath query (RFC 9535) as its `target` and either merges `update` into them or, with
//! `remove: true`, removes them. Actions apply in order, each to the result of the ones before.
//!
//! `update` into an object merges recursively: a member of both that is an object on both sides
//! is merged, any other value replaces the target's; into an array, the update is appended (the
//! elements of an array update, one by one). An action whose target selects nothing is reported
//! in [`Applied::unmatched`] (upstream fixed what it corrected: drop the action), never ignored
//! without a word.

use crate::error::{join, Error, Result};
use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

/// A parsed overlay document of upstream patches.
#[derive(Debug, Clone)]
pub struct Patches {
    /// The file it was read from, for messages.
    pub file: String,
    /// `info.title`.
    pub title: String,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// One action of a [`Patches`] document.
#[derive(Debug, Clone)]
pub struct Action {
    /// The JSONPath query, as written.
    pub target: String,
    /// Why the action is there.
    pub description: String,
    /// What it does to the nodes it selects.
    pub change: Change,
    path: JsonPath,
}

/// What an action does.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into each selected node.
    Update(Value),
    /// Remove each selected node from its parent.
    Remove,
}

/// What applying a [`Patches`] document did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// Per action, in order: how many nodes its target selected.
    pub matched: Vec<usize>,
    /// The actions whose target selected nothing: `actions[i]: description (target)`.
    pub unmatched: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDoc {
    overlay: String,
    info: RawInfo,
    #[serde(default)]
    actions: Vec<RawAction>,
}

#[derive(Deserialize)]
struct RawInfo {
    title: String,
}

#[derive(Deserialize)]
struct RawAction {
    target: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    update: Option<Value>,
    #[serde(default)]
    remove: bool,
}

impl Patches {
    /// Parses the overlay document `text` (JSON) read from `file`.
    ///
    /// # Errors
    ///
    /// Not JSON, not an Overlay 1.x document, an action without `description`, with neither
    /// `update` nor `remove: true`, or whose target is not a valid JSONPath query: each with
    /// the pointer of the node.
    pub fn parse(file: &str, text: &str) -> Result<Patches> {
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| Error::new(file, "", format!("not valid JSON: {e}")))?;
        let raw: RawDoc = serde_json::from_value(doc.clone())
            .map_err(|e| Error::new(file, "", format!("not an OpenAPI Overlay document: {e}")))?;
        if !raw.overlay.starts_with("1.") {
            let message = format!(
                "Overlay version {} is not supported (only 1.x)",
                raw.overlay
            );
            return Err(Error::new(file, "/overlay", message));
        }
        let mut actions = Vec::new();
        for (i, a) in raw.actions.into_iter().enumerate() {
            let at = join("/actions", &i.to_string());
            let path = JsonPath::parse(&a.target).map_err(|e| {
                Error::new(
                    file,
                    &join(&at, "target"),
                    format!("not a JSONPath query (RFC 9535): {e}"),
                )
            })?;
            let description = a
                .description
                .filter(|d| !d.trim().is_empty())
                .ok_or_else(|| {
                    let message = "the action has no `description`: say why the patch is there";
                    Error::new(file, &at, message)
                })?;
            let change = match (a.remove, a.update) {
                (true, _) => Change::Remove,
                (false, Some(update)) => Change::Update(update),
                (false, None) => {
                    let message = "the action has neither `update` nor `remove: true`";
                    return Err(Error::new(file, &at, message));
                }
            };
            actions.push(Action {
                target: a.target,
                description,
                change,
                path,
            });
        }
        Ok(Patches {
            file: file.to_string(),
            title: raw.info.title,
            actions,
        })
    }

    /// Applies the actions to `doc`, in order.
    ///
    /// # Errors
    ///
    /// An `update` whose target selects a node that is neither an object nor an array (or an
    /// object given a non-object update), named by the pointer of the action's `target` in the
    /// patches file.
    pub fn apply(&self, doc: &mut Value) -> Result<Applied> {
        let mut applied = Applied::default();
        for (i, action) in self.actions.iter().enumerate() {
            let mut pointers: Vec<String> = action
                .path
                .query_located(doc)
                .locations()
                .map(|l| l.to_json_pointer())
                .collect();
            applied.matched.push(pointers.len());
            if pointers.is_empty() {
                applied.unmatched.push(format!(
                    "actions[{i}]: {} ({})",
                    action.description, action.target
                ));
                continue;
            }
            let at = join(&join("/actions", &i.to_string()), "target");
            match &action.change {
                Change::Update(update) => {
                    for pointer in &pointers {
                        let Some(node) = doc.pointer_mut(pointer) else {
                            continue;
                        };
                        if !merge(node, update) {
                            let message = format!(
                                "selects `{pointer}`, which is neither an object nor an array: `update` cannot apply"
                            );
                            return Err(Error::new(&self.file, &at, message));
                        }
                    }
                }
                Change::Remove => {
                    // Deepest and last first, so removing one never moves another.
                    pointers.sort_by(|a, b| compare_for_removal(a, b));
                    for pointer in &pointers {
                        remove(doc, pointer);
                    }
                }
            }
        }
        Ok(applied)
    }
}

/// Merges `update` into `node`: objects recursively, arrays appended. Whether it could.
fn merge(node: &mut Value, update: &Value) -> bool {
    match (node, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        merge(existing, value);
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
            true
        }
        (Value::Array(target), Value::Array(items)) => {
            target.extend(items.iter().cloned());
            true
        }
        (Value::Array(target), item) => {
            target.push(item.clone());
            true
        }
        (Value::Object(_), _) => false,
        _ => false,
    }
}

/// Removal order: array indices descending within one array, deeper nodes first.
fn compare_for_removal(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u8, usize, String)> {
        p.split('/')
            .map(|t| match t.parse::<usize>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_string()),
            })
            .collect()
    };
    key(b).cmp(&key(a))
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patches(actions: Value) -> Result<Patches> {
        let doc =
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
        Patches::parse("p.json", &doc.to_string())
    }

    #[test]
    fn updates_merge_removes_remove_and_unmatched_are_reported() {
        let p = patches(json!([
            {"target": "$.paths[*][?@.operationId == 'a']", "description": "why a",
             "update": {"summary": "A", "responses": {"200": {"x": 1}}}},
            {"target": "$.paths[*][?@.operationId == 'a'].parameters", "description": "add p",
             "update": [{"name": "page"}]},
            {"target": "$.paths[*].get.tags[1,0]", "description": "tags", "remove": true},
            {"target": "$.paths['/gone']", "description": "fixed upstream", "remove": true}
        ]))
        .expect("parses");
        let mut doc = json!({"paths": {"/a": {"get": {
            "operationId": "a", "tags": ["x", "y", "z"], "parameters": [{"name": "id"}],
            "responses": {"200": {"description": "ok"}}}}}});
        let applied = p.apply(&mut doc).expect("applies");
        assert_eq!(applied.matched, [1, 1, 2, 0]);
        assert_eq!(
            applied.unmatched,
            ["actions[3]: fixed upstream ($.paths['/gone'])"]
        );
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"get": {
                "operationId": "a", "tags": ["z"], "parameters": [{"name": "id"}, {"name": "page"}],
                "responses": {"200": {"description": "ok", "x": 1}}, "summary": "A"}}}})
        );
    }

    #[test]
    fn bad_documents_name_the_node() {
        let e = patches(json!([{"target": "$.paths[", "description": "d", "remove": true}]))
            .expect_err("bad path");
        assert_eq!(e.pointer, "/actions/0/target", "{e}");
        let e = patches(json!([{"target": "$.a", "remove": true}])).expect_err("no description");
        assert_eq!(e.pointer, "/actions/0", "{e}");
        let e = patches(json!([{"target": "$.a", "description": "d"}])).expect_err("no change");
        assert_eq!(e.pointer, "/actions/0", "{e}");
        let p = patches(json!([{"target": "$.a", "description": "d", "update": {"k": 1}}]))
            .expect("parses");
        let e = p
            .apply(&mut json!({"a": 5}))
            .expect_err("update of a number");
        assert_eq!(
            (e.file.as_str(), e.pointer.as_str()),
            ("p.json", "/actions/0/target")
        );
    }
}
