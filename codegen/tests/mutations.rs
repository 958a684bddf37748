//! Property test: mutated versions of the vendored spec and of every fixture never make the
//! generator panic. Each run either generates code or fails with an error that names the file and a
//! JSON pointer. The number of cases is proptest's (`PROPTEST_CASES`, 256 by default).

use cloudflare_mtls_codegen::{generate, Settings, Spec};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::OnceLock;

/// The documents to mutate: the vendored spec and the fixtures.
fn corpus() -> &'static Vec<(String, Value, Vec<String>)> {
    static CORPUS: OnceLock<Vec<(String, Value, Vec<String>)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("../spec/cloudflare-mtls.json")];
        let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .collect();
        fixtures.sort();
        files.extend(fixtures);
        files
            .into_iter()
            .map(|f| {
                let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).expect("read"))
                    .expect("json");
                let mut pointers = Vec::new();
                collect(&doc, String::new(), &mut pointers);
                (
                    f.file_name().unwrap().to_string_lossy().into_owned(),
                    doc,
                    pointers,
                )
            })
            .collect()
    })
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                collect(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                collect(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Replacement values: wrong types, dangling and cyclic references, odd schemas.
fn replacement(kind: usize, doc: &Value, pick: usize) -> Value {
    let components: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let some_component = components
        .get(pick % components.len().max(1))
        .cloned()
        .unwrap_or_else(|| "X".into());
    match kind % 16 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1.5),
        3 => json!("not a schema"),
        4 => json!([]),
        5 => json!({}),
        6 => json!({"$ref": "#/components/schemas/DoesNotExist"}),
        7 => json!({"$ref": format!("#/components/schemas/{some_component}")}),
        8 => {
            json!({"allOf": [{"$ref": format!("#/components/schemas/{some_component}")}, {"type": "integer"}]})
        }
        9 => json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"enum": [null]}]}),
        10 => {
            json!({"oneOf": [{"$ref": format!("#/components/schemas/{some_component}")}], "discriminator": {"propertyName": "kind"}})
        }
        11 => {
            json!({"type": "object", "additionalProperties": {"$ref": format!("#/components/schemas/{some_component}")}})
        }
        12 => json!({"enum": [1, "two", null, 3.5]}),
        13 => json!({"type": ["string", "null"], "format": "date-time"}),
        14 => json!({"$ref": "https://example.com/other.json#/x"}),
        _ => json!({"type": "array", "items": {"$ref": "#"}}),
    }
}

fn mutate(doc: &mut Value, pointer: &str, kind: usize, pick: usize) {
    let new = replacement(kind, doc, pick);
    if pointer.is_empty() {
        *doc = new;
        return;
    }
    if kind % 5 == 4 {
        // Remove the node instead of replacing it.
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        let last = last.replace("~1", "/").replace("~0", "~");
        match doc.pointer_mut(parent) {
            Some(Value::Object(m)) => {
                m.remove(&last);
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
        return;
    }
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = new;
    }
}

proptest! {
    #[test]
    fn mutated_specs_never_panic(
        file in 0usize..64,
        mutations in proptest::collection::vec((any::<usize>(), 0usize..64, any::<usize>()), 1..4),
    ) {
        let corpus = corpus();
        let (name, doc, pointers) = &corpus[file % corpus.len()];
        let mut doc = doc.clone();
        for (at, kind, pick) in &mutations {
            let pointer = &pointers[at % pointers.len()];
            mutate(&mut doc, pointer, *kind, *pick);
        }
        let outcome = std::panic::catch_unwind(|| {
            let spec = Spec::from_value(name, doc.clone())?;
            generate(&spec, &Settings::default())
        });
        match outcome {
            Err(_) => panic!("the generator panicked on a mutation of {name}: {mutations:?}"),
            Ok(Err(e)) => {
                prop_assert_eq!(&e.file, name);
                prop_assert!(e.pointer.is_empty() || e.pointer.starts_with('/'), "pointer: {}", e);
                prop_assert!(!e.message.is_empty());
            }
            Ok(Ok(out)) => prop_assert!(out.code.starts_with("// @generated")),
        }
    }
}
