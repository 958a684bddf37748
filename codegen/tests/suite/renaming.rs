//! Renaming what a document names while keeping it consistent, the way upstream renames things
//! between versions: a component with every `$ref` to it (or into it), a path parameter in its
//! templates with its parameter objects.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const SCHEMAS: &str = "#/components/schemas/";

/// A JSON pointer token: `~` and `/` escaped.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer token unescaped.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The members of `object` renamed as `names` maps, each where it was, all at once (a new key may
/// be another member's old one). Two members may not end up with one key.
pub fn rename_keys(object: &mut Map<String, Value>, names: &BTreeMap<String, String>) {
    for (key, value) in std::mem::take(object) {
        let key = names.get(&key).cloned().unwrap_or(key);
        assert!(
            !object.contains_key(&key),
            "two members would be named `{key}`"
        );
        object.insert(key, value);
    }
}

/// The components under `components/schemas` renamed as `names` maps (all at once), and every
/// `$ref` to one of them or into it (`#/components/schemas/OLD/properties/x`) following it.
pub fn rename_components(doc: &mut Value, names: &BTreeMap<String, String>) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        rename_keys(schemas, names);
    }
    retarget(doc, names);
}

/// Every `$ref` into a component `names` renames, pointed at its new name.
fn retarget(v: &mut Value, names: &BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                match child {
                    Value::String(s) if k == "$ref" => {
                        let Some(rest) = s.strip_prefix(SCHEMAS) else {
                            continue;
                        };
                        let (token, tail) = match rest.split_once('/') {
                            Some((token, tail)) => (token, format!("/{tail}")),
                            None => (rest, String::new()),
                        };
                        if let Some(new) = names.get(&unescape(token)) {
                            *s = format!("{SCHEMAS}{}{tail}", escape(new));
                        }
                    }
                    _ => retarget(child, names),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| retarget(c, names)),
        _ => {}
    }
}

/// The path parameters `names` maps renamed (all at once): `{old}` becomes `{new}` in every path
/// template, and in each path item so renamed the `in: path` parameter objects named `old` (of
/// the item and of its operations) follow. The paths keep their order. A template whose new
/// spelling is already a path is left as it was, with its parameters: those templates are
/// returned.
pub fn rename_path_parameters(doc: &mut Value, names: &BTreeMap<String, String>) -> Vec<String> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Vec::new();
    };
    let old = std::mem::take(paths);
    let taken: BTreeSet<String> = old.keys().cloned().collect();
    let mut kept = Vec::new();
    for (template, mut item) in old {
        let mut new = template.clone();
        for (from, to) in names {
            new = new.replace(&format!("{{{from}}}"), &format!("{{{to}}}"));
        }
        if new == template {
            paths.insert(template, item);
        } else if taken.contains(&new) || paths.contains_key(&new) {
            kept.push(template.clone());
            paths.insert(template, item);
        } else {
            rename_parameter_objects(&mut item, names);
            paths.insert(new, item);
        }
    }
    kept
}

/// The `in: path` parameters of a path item and of its operations renamed as `names` maps.
fn rename_parameter_objects(item: &mut Value, names: &BTreeMap<String, String>) {
    let Value::Object(item) = item else {
        return;
    };
    for (key, member) in item.iter_mut() {
        let list = match key.as_str() {
            "parameters" => Some(member),
            _ => member.get_mut("parameters"),
        };
        for p in list.and_then(Value::as_array_mut).into_iter().flatten() {
            if p.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let new = p
                .get("name")
                .and_then(Value::as_str)
                .and_then(|n| names.get(n));
            if let Some(new) = new.cloned() {
                p["name"] = Value::String(new);
            }
        }
    }
}

#[test]
fn a_renamed_component_keeps_its_place_and_its_refs_follow() {
    let mut doc = serde_json::json!({
        "paths": { "/a": { "get": { "x": { "$ref": "#/components/schemas/A~1b/properties/c" } } } },
        "components": { "schemas": {
            "A/b": { "properties": { "c": { "$ref": "#/components/schemas/Other" } } },
            "Other": {},
            "Abc": { "$ref": "#/components/schemas/A~1bc" }
        } }
    });
    rename_components(&mut doc, &BTreeMap::from([("A/b".into(), "New~".into())]));
    let names: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .collect();
    assert_eq!(names, ["New~", "Other", "Abc"]);
    let into = &doc["paths"]["/a"]["get"]["x"]["$ref"];
    assert_eq!(into, "#/components/schemas/New~0/properties/c");
    // Another component's name that only begins the same is not touched.
    let other = &doc["components"]["schemas"]["Abc"]["$ref"];
    assert_eq!(other, "#/components/schemas/A~1bc");
}

#[test]
fn a_renamed_path_parameter_follows_in_templates_and_parameter_objects() {
    let param = |name: &str| serde_json::json!({ "name": name, "in": "path" });
    let mut doc = serde_json::json!({ "paths": {
        "/a/{x}": { "parameters": [param("x")], "get": { "parameters": [param("x"), param("y")] } },
        "/b/{x}": { "get": {} },
        "/b/{z}": { "get": {} },
        "/c": { "get": { "parameters": [param("x")] } }
    } });
    let names = BTreeMap::from([("x".into(), "z".into())]);
    let kept = rename_path_parameters(&mut doc, &names);
    assert_eq!(kept, ["/b/{x}"], "`/b/{{z}}` is already a path");
    let templates: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
    assert_eq!(templates, ["/a/{z}", "/b/{x}", "/b/{z}", "/c"]);
    let a = &doc["paths"]["/a/{z}"];
    assert_eq!(a["parameters"][0]["name"], "z");
    assert_eq!(a["get"]["parameters"][0]["name"], "z");
    assert_eq!(a["get"]["parameters"][1]["name"], "y");
    // Only the path items whose template was renamed.
    assert_eq!(doc["paths"]["/c"]["get"]["parameters"][0]["name"], "x");
}
