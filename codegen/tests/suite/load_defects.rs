//! Property test of loading (`check`): documents with defects drawn at random.
//!
//! - A harmless defect (a response without `description`, an `example` or `default` of another
//!   JSON type than its schema's, a `type` name in another case, `required: true` on a
//!   property) inside what the vendored
//!   document generates from: the code is byte-identical to the unmutated document's, and a
//!   warning names the exact pointer of the node.
//! - A defect the generator cannot read past (a node of the wrong JSON type, an unknown type
//!   name, a parameter placed nowhere) inside: one error, on one line, naming exactly that node.
//! - Any of these (and worse) in an operation the overlay's selection leaves out, or in the
//!   components only it reaches: the build is unaffected (same code, no warning about it).
//!
//! `PROPTEST_CASES` sets the number of cases (64 by default here).

use crate::common::{proptest_config, read, vendored_overlay, vendored_spec};
use crate::renaming::escape;
use cloudflare_mtls_codegen::{generate, Settings, Spec};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| Settings {
        overlay: vendored_overlay(),
        jobs: 1,
        ..Settings::default()
    })
}

/// The vendored document, with one operation the selection does not name (and a component only
/// it reaches) added: `/zones/{zone_id}/unrelated`.
fn base() -> &'static Value {
    static BASE: OnceLock<Value> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut doc: Value = serde_json::from_str(&read(&vendored_spec())).expect("json");
        doc["paths"]["/zones/{zone_id}/unrelated"] = json!({"get": {
            "operationId": "unrelated-product-list-things",
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/unrelated_thing"}}}}}}});
        doc["components"]["schemas"]["unrelated_thing"] = json!({
            "type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}});
        doc
    })
}

fn code(doc: Value) -> Result<(String, Vec<String>), cloudflare_mtls_codegen::Error> {
    let spec = Spec::from_value("doc.json", doc)?;
    let out = generate(&spec, settings())?;
    Ok((
        out.code,
        out.warnings.iter().map(|w| w.pointer.clone()).collect(),
    ))
}

fn plain() -> &'static String {
    static PLAIN: OnceLock<String> = OnceLock::new();
    PLAIN.get_or_init(|| code(base().clone()).expect("the base document generates").0)
}

/// Pointers of every node of `v` under `at`.
fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_string());
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, c)| walk(c, &format!("{at}/{}", escape(k)), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| walk(c, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// The nodes generation reads, by where they are: the selected operations (every path but the
/// unrelated one) and the components their `$ref`s reach; and the unrelated operation's.
struct Regions {
    inside: Vec<String>,
    outside: Vec<String>,
}

fn regions() -> &'static Regions {
    static REGIONS: OnceLock<Regions> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let doc = base();
        let (mut inside, mut outside) = (Vec::new(), Vec::new());
        let mut reached = BTreeSet::new();
        let mut stack = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            let at = format!("/paths/{}", escape(path));
            if path.contains("unrelated") {
                walk(item, &at, &mut outside);
            } else {
                walk(item, &at, &mut inside);
                stack.push(item);
            }
        }
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(m) => {
                    if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                        let p = r.trim_start_matches('#').to_string();
                        if reached.insert(p.clone()) {
                            stack.extend(doc.pointer(&p));
                        }
                    }
                    stack.extend(m.values());
                }
                Value::Array(a) => stack.extend(a.iter()),
                _ => {}
            }
        }
        for p in &reached {
            walk(doc.pointer(p).expect("reached"), p, &mut inside);
        }
        walk(
            &doc["components"]["schemas"]["unrelated_thing"],
            "/components/schemas/unrelated_thing",
            &mut outside,
        );
        inside.sort();
        inside.dedup();
        Regions { inside, outside }
    })
}

/// Schema nodes (objects with a string `type`) among `of`.
fn typed(of: &[String]) -> Vec<&String> {
    of.iter()
        .filter(|p| {
            base()
                .pointer(p)
                .and_then(|n| n.get("type"))
                .is_some_and(Value::is_string)
        })
        .filter(|p| !p.ends_with("/properties") && !p.contains("/example"))
        .collect()
}

/// Response objects (under `responses`, with a `description`) among `of`.
fn responses(of: &[String]) -> Vec<&String> {
    of.iter()
        .filter(|p| {
            p.rsplit_once('/')
                .is_some_and(|(parent, _)| parent.ends_with("/responses"))
        })
        .filter(|p| {
            base()
                .pointer(p)
                .and_then(|n| n.get("description"))
                .is_some()
        })
        .collect()
}

/// A harmless defect at a node of `of`: the document and the pointer a warning must name.
fn harmless(of: &[String], kind: usize, pick: usize) -> Option<(Value, String)> {
    let mut doc = base().clone();
    match kind % 4 {
        3 => {
            // `required: true` on a property that is not an object (Swagger 2.0's spelling).
            let list: Vec<&String> = typed(of)
                .into_iter()
                .filter(|p| {
                    p.rsplit_once('/')
                        .is_some_and(|(parent, _)| parent.ends_with("/properties"))
                })
                .filter(|p| base().pointer(p).and_then(|n| n.get("type")) != Some(&json!("object")))
                .collect();
            let p = list.get(pick % list.len().max(1))?;
            doc.pointer_mut(p)?
                .as_object_mut()?
                .insert("required".into(), json!(true));
            Some((doc, format!("{p}/required")))
        }
        0 => {
            let list = responses(of);
            let p = list.get(pick % list.len().max(1))?;
            doc.pointer_mut(p)?
                .as_object_mut()?
                .shift_remove("description");
            Some((doc, p.to_string()))
        }
        1 => {
            let list = typed(of);
            let p = list.get(pick % list.len().max(1))?;
            let node = doc.pointer_mut(p)?.as_object_mut()?;
            let wrong = match node.get("type").and_then(Value::as_str) {
                Some("string") => json!(42),
                _ => json!("forty-two"),
            };
            let key = if pick.is_multiple_of(2) {
                "example"
            } else {
                "default"
            };
            node.insert(key.into(), wrong);
            Some((doc, format!("{p}/{key}")))
        }
        _ => {
            let list = typed(of);
            let p = list.get(pick % list.len().max(1))?;
            let node = doc.pointer_mut(p)?.as_object_mut()?;
            let t = node.get("type").and_then(Value::as_str)?.to_string();
            let mut chars = t.chars();
            let first = chars.next()?.to_uppercase().to_string();
            let odd = match pick % 2 {
                0 => format!("{first}{}", chars.as_str()),
                _ => t.to_uppercase(),
            };
            node.insert("type".into(), json!(odd));
            Some((doc, format!("{p}/type")))
        }
    }
}

/// A defect the generator cannot read past, at a node of `of`: the document and its pointer.
fn harmful(of: &[String], kind: usize, pick: usize) -> Option<(Value, String)> {
    let doc = base();
    // (key, replacement): a member of a schema, parameter or operation replaced.
    let (key, value): (&str, Value) = match kind % 8 {
        0 => ("properties", json!(5)),
        1 => ("required", json!("all")),
        2 => ("type", json!("strng")),
        3 => ("nullable", json!("yes")),
        4 => ("items", json!(7)),
        5 => ("in", json!("body")),
        6 => ("$ref", json!(12)),
        _ => ("parameters", json!({"a": 1})),
    };
    let list: Vec<&String> = of
        .iter()
        .filter(|p| p.rsplit_once('/').is_some_and(|(_, last)| last == key))
        .filter(|p| key != "parameters" || doc.pointer(p).is_some_and(Value::is_array))
        .filter(|p| !p.contains("/example") && !p.contains("/enum/"))
        // `type`, `in`, `items` as property names are not the keywords.
        .filter(|p| {
            !p.rsplit_once('/')
                .is_some_and(|(parent, _)| parent.ends_with("/properties"))
        })
        .collect();
    let p = list.get(pick % list.len().max(1))?;
    let mut doc = doc.clone();
    *doc.pointer_mut(p)? = value;
    Some((doc, p.to_string()))
}

proptest! {
    #![proptest_config(proptest_config(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn a_harmless_defect_inside_is_a_warning_with_its_pointer(kind in 0usize..4, pick in any::<usize>()) {
        let Some((doc, pointer)) = harmless(&regions().inside, kind, pick) else {
            return Ok(());
        };
        let (code, warnings) = code(doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(code == *plain(), "the code changed for a harmless defect at {}", pointer);
        prop_assert!(warnings.contains(&pointer), "no warning at {}: {:?}", pointer, warnings);
    }

    #[test]
    fn another_defect_inside_is_one_error_naming_the_node(kind in 0usize..8, pick in any::<usize>()) {
        let Some((doc, pointer)) = harmful(&regions().inside, kind, pick) else {
            return Ok(());
        };
        match code(doc) {
            Ok(_) => prop_assert!(false, "a defect at {} went through", pointer),
            Err(e) => {
                prop_assert_eq!(&e.pointer, &pointer, "{}", e);
                prop_assert!(!e.to_string().contains('\n'), "{}", e);
            }
        }
    }

    #[test]
    fn defects_outside_the_selection_change_nothing(kinds in proptest::collection::vec((0usize..12, any::<usize>()), 1..4)) {
        let mut doc = base().clone();
        let outside = &regions().outside;
        for (kind, pick) in kinds {
            let mutated = match kind {
                0..=3 => harmless(outside, kind, pick),
                _ => harmful(outside, kind - 4, pick),
            };
            // Apply the same change to the accumulated document.
            if let Some((one, pointer)) = mutated {
                let (parent, _) = pointer.rsplit_once('/').unwrap_or(("", ""));
                let parent = if one.pointer(&pointer).is_some() { pointer.as_str() } else { parent };
                if let (Some(slot), Some(new)) = (doc.pointer_mut(parent), one.pointer(parent)) {
                    *slot = new.clone();
                }
            }
        }
        let (code, warnings) = code(doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(code == *plain());
        prop_assert!(warnings.iter().all(|w| !w.contains("unrelated")), "{:?}", warnings);
    }
}

#[test]
fn the_regions_are_not_empty() {
    let r = regions();
    assert!(responses(&r.inside).len() > 30 && typed(&r.inside).len() > 100);
    for kind in 0..8 {
        assert!(
            harmful(&r.inside, kind, 0).is_some(),
            "no node for harmful kind {kind}"
        );
    }
    assert!(!r.outside.is_empty());
}

/// Cloudflare's 2023 full documents have a response without `description` far from any mTLS
/// operation (it once failed every build with `#/paths: … missing field description`); here the
/// same defect in an operation the selection leaves out.
#[test]
fn a_response_without_description_outside_is_not_even_a_warning() {
    let mut doc = base().clone();
    doc["paths"]["/zones/{zone_id}/unrelated"]["get"]["responses"]["200"]
        .as_object_mut()
        .expect("response")
        .shift_remove("description");
    let (code, warnings) = code(doc).expect("generates");
    assert_eq!(code, *plain());
    assert!(warnings.is_empty(), "{warnings:?}");
}
