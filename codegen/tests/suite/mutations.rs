//! Property test: mutated versions of the vendored spec and of every fixture never make the
//! generator panic. Each run either generates code or fails with an error that names the file and a
//! JSON pointer. The number of cases is proptest's (`PROPTEST_CASES`, 256 by default).
//!
//! The mutations: nodes replaced by wrong types, odd schemas and dangling or external references
//! (`replacement`); names changed to random Unicode, to case variants of a sibling's name, to Rust
//! keywords, prelude names and the generated methods' own argument names (properties, components
//! with every reference to them, parameters with their path template, enum values); `$ref`s
//! pointed at random nodes deep in the document (escaped and percent-encoded) or at pointers that
//! do not resolve; parameter schemas replaced by random schemas.
//!
//! Two mutations aim at lint classes: blank or missing descriptions of query and header
//! parameters (the fields of parameter structs need docs under `#![deny(missing_docs)]`), and a
//! recursive component added as an optional, nullable or not, field of a request body (a boxed
//! type inside a three-state field of a sent type).
//!
//! `a_sample_of_the_outputs_compiles` draws cases from a seed of its own (printed; set
//! `MUTATION_SEED` to replay), keeps the first few that generate, plus a few that hold one
//! mutation of each lint class, and compiles them together in one crate under the library's own
//! lints (`src/lib.rs`'s, `#![deny(missing_docs)]`) with `-D warnings`.

use crate::common::{fixtures, proptest_config, read, root, vendored_spec};
use crate::renaming::{escape, rename_components, rename_keys, rename_path_parameters, unescape};
use cloudflare_mtls_codegen::{generate, Settings, Spec};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The documents to mutate: the vendored spec and the fixtures.
fn corpus() -> &'static Vec<(String, Value)> {
    static CORPUS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut files = vec![vendored_spec()];
        files.extend(fixtures());
        files
            .into_iter()
            .map(|f| {
                let doc: Value = serde_json::from_str(&read(&f)).expect("json");
                let name = f.file_name().expect("a file name");
                (name.to_string_lossy().into_owned(), doc)
            })
            .collect()
    })
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                collect(child, format!("{at}/{}", escape(k)), out);
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
        let last = unescape(last);
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

/// A name to give something.
#[derive(Debug, Clone)]
enum Name {
    /// This text.
    Text(String),
    /// The name of a sibling (another property, component, parameter), in another case style:
    /// `fooBar`, `foo_bar`, `foo-bar`, `FOO_BAR`, `Foo Bar`.
    VariantOfSibling(usize, usize),
}

/// Names that collide with what the generated code itself uses.
const HARD_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Unknown",
    "From",
    "Default",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "fn",
    "async",
    "r#type",
    "body",
    "params",
    "scope",
    "client",
    "accounts_or_zones",
    "account_or_zone_id",
    "Client",
    "Call",
    "Scope",
    "Page",
    "_",
    "__",
    "0",
    "1st",
    "a-b",
    "a.b",
    "a b",
    "A",
    "a",
    "ü",
    "日本語",
    "💥",
    "%41",
    "~",
    "/",
    "{x}",
];

fn name_strategy() -> impl Strategy<Value = Name> {
    prop_oneof![
        "\\PC{1,10}".prop_map(Name::Text),
        proptest::sample::select(HARD_NAMES).prop_map(|n| Name::Text(n.to_string())),
        (any::<usize>(), any::<usize>()).prop_map(|(i, s)| Name::VariantOfSibling(i, s)),
    ]
}

/// `name` in case style `style`.
fn case_variant(name: &str, style: usize) -> String {
    use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToTitleCase};
    match style % 5 {
        0 => name.to_lower_camel_case(),
        1 => name.to_snake_case(),
        2 => name.to_kebab_case(),
        3 => name.to_shouty_snake_case(),
        _ => name.to_title_case(),
    }
}

/// A random schema for a parameter: scalars, enums, objects, arrays, `allOf`/`oneOf`, no type.
fn schema_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean"})),
        Just(json!({})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "enum": ["a", "B", "c d"]})),
        Just(json!({"enum": [1, 2]})),
        Just(json!({"type": "string", "nullable": true})),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| json!({"type": "object", "properties": {"a": a, "b": b}})),
            inner
                .clone()
                .prop_map(|v| json!({"type": "object", "additionalProperties": v})),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
            (inner.clone(), inner).prop_map(|(a, b)| json!({"oneOf": [a, b]})),
        ]
    })
}

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    /// The node at pointer `at` replaced (or removed) as `replacement` says.
    Replace(usize, usize, usize),
    /// Something that has a name renamed: a property, a component, a parameter, an enum value.
    Rename(usize, Name),
    /// A `$ref` pointed at another node of the document, percent-encoded or not.
    RefTo(usize, usize, bool),
    /// A `$ref` pointed at a pointer that does not resolve.
    RefNowhere(usize, String),
    /// A parameter's schema replaced.
    ParamSchema(usize, Value),
    /// A query or header parameter's description (and its schema's) made blank (`""`, spaces,
    /// newlines) or removed: the fields of parameter structs still need docs.
    Undescribe(usize, usize),
    /// A recursive component (`next` and `child` refer to the component itself, optional,
    /// nullable and not, through `allOf` or a plain `$ref`) added as an optional field, nullable
    /// or not, of a request body: a recursive type in a sent type, boxed inside a three-state
    /// field.
    Recursive(usize, bool, bool),
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..64, any::<usize>())
            .prop_map(|(a, k, p)| Mutation::Replace(a, k, p)),
        (any::<usize>(), name_strategy()).prop_map(|(a, n)| Mutation::Rename(a, n)),
        (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(a, t, e)| Mutation::RefTo(a, t, e)),
        (any::<usize>(), "[a-z/~%é0-9]{0,12}").prop_map(|(a, j)| Mutation::RefNowhere(a, j)),
        (any::<usize>(), schema_strategy()).prop_map(|(a, s)| Mutation::ParamSchema(a, s)),
        (any::<usize>(), 0usize..4).prop_map(|(a, k)| Mutation::Undescribe(a, k)),
        (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(a, n, all_of)| Mutation::Recursive(a, n, all_of)),
    ]
}

/// The mutations of the lint classes ([`Mutation::Undescribe`] with a blank description,
/// [`Mutation::Recursive`]), one of each, for samples that must hold them.
fn lint_class_strategy() -> impl Strategy<Value = Vec<Mutation>> {
    (
        any::<usize>(),
        0usize..3,
        any::<usize>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(a, k, b, n, all_of)| {
            vec![
                Mutation::Undescribe(a, k),
                Mutation::Recursive(b, n, all_of),
            ]
        })
}

/// Every pointer of `doc` (document order), recomputed after each mutation.
fn pointers(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(doc, String::new(), &mut out);
    out
}

/// Applies `m` to `doc`. A mutation that finds nothing to act on leaves the document as it is.
fn apply(doc: &mut Value, m: &Mutation) {
    let all = pointers(doc);
    let pick = |n: usize, of: &[String]| of.get(n % of.len().max(1)).cloned();
    match m {
        Mutation::Replace(at, kind, p) => {
            if let Some(ptr) = pick(*at, &all) {
                mutate(doc, &ptr, *kind, *p);
            }
        }
        Mutation::Rename(at, name) => {
            let named: Vec<String> = all
                .iter()
                .filter(|p| is_named_slot(doc, p))
                .cloned()
                .collect();
            if let Some(ptr) = pick(*at, &named) {
                rename(doc, &ptr, name);
            }
        }
        Mutation::RefTo(at, target, encode) => {
            let refs: Vec<String> = all
                .iter()
                .filter(|p| p.ends_with("/$ref"))
                .cloned()
                .collect();
            let targets: Vec<String> = all
                .iter()
                .filter(|p| p.starts_with("/components/") && p.matches('/').count() >= 3)
                .cloned()
                .collect();
            if let (Some(r), Some(t)) = (pick(*at, &refs), pick(*target, &targets)) {
                let t = if *encode { percent_encode(&t) } else { t };
                set(doc, &r, json!(format!("#{t}")));
            }
        }
        Mutation::RefNowhere(at, junk) => {
            let refs: Vec<String> = all
                .iter()
                .filter(|p| p.ends_with("/$ref"))
                .cloned()
                .collect();
            if let Some(r) = pick(*at, &refs) {
                set(
                    doc,
                    &r,
                    json!(format!("#/components/schemas/{junk}/nowhere")),
                );
            }
        }
        Mutation::Undescribe(at, kind) => undescribe(doc, &all, *at, *kind),
        Mutation::Recursive(at, nullable, all_of) => {
            recursive(doc, &all, *at, *nullable, *all_of);
        }
        Mutation::ParamSchema(at, schema) => {
            let params: Vec<String> = all
                .iter()
                .filter(|p| p.ends_with("/schema") && p.contains("/parameters/"))
                .cloned()
                .collect();
            if let Some(p) = pick(*at, &params) {
                set(doc, &p, schema.clone());
            }
        }
    }
}

/// See [`Mutation::Undescribe`].
fn undescribe(doc: &mut Value, all: &[String], at: usize, kind: usize) {
    let params: Vec<&String> = all
        .iter()
        .filter(|p| {
            let place = doc
                .pointer(p)
                .and_then(|n| n.get("in"))
                .and_then(Value::as_str);
            p.contains("/parameters/") && matches!(place, Some("query" | "header"))
        })
        .collect();
    let Some(p) = params.get(at % params.len().max(1)) else {
        return;
    };
    let text = ["", "   ", "\n\n", ""][kind % 4];
    for node in [p.to_string(), format!("{p}/schema")] {
        if let Some(Value::Object(m)) = doc.pointer_mut(&node) {
            match kind % 4 {
                3 => {
                    m.shift_remove("description");
                }
                _ => {
                    m.insert("description".into(), json!(text));
                }
            }
        }
    }
}

/// See [`Mutation::Recursive`].
fn recursive(doc: &mut Value, all: &[String], at: usize, nullable: bool, all_of: bool) {
    const NAME: &str = "RecursiveNode";
    let bodies: Vec<&String> = all
        .iter()
        .filter(|p| p.contains("/requestBody/content/") && p.ends_with("/schema"))
        .collect();
    let Some(body) = bodies.get(at % bodies.len().max(1)) else {
        return;
    };
    // The body's own object: the component it refers to, if it does.
    let mut target = body.to_string();
    if let Some(r) = doc
        .pointer(&target)
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
    {
        match r.strip_prefix('#') {
            Some(p) if doc.pointer(p).is_some() => target = p.to_string(),
            _ => return,
        }
    }
    let self_ref = |nullable: bool| {
        let r = json!({"$ref": format!("#/components/schemas/{NAME}")});
        match (all_of, nullable) {
            (true, true) => json!({"allOf": [r], "nullable": true}),
            (true, false) => json!({"allOf": [r]}),
            (false, true) => {
                json!({"$ref": format!("#/components/schemas/{NAME}"), "nullable": true})
            }
            (false, false) => r,
        }
    };
    let component = json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "next": self_ref(true),
            "child": self_ref(false)
        }
    });
    let Some(Value::Object(schema)) = doc.pointer_mut(&target) else {
        return;
    };
    let props = schema.entry("properties").or_insert_with(|| json!({}));
    let Value::Object(props) = props else {
        return;
    };
    props.insert("recursive_node".into(), self_ref(nullable));
    if let Some(Value::Object(m)) = doc.pointer_mut("/components/schemas") {
        m.insert(NAME.into(), component);
    } else if let Some(Value::Object(root)) = Some(&mut *doc) {
        root.entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|c| c.insert("schemas".into(), json!({NAME: component})));
    }
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = value;
    }
}

/// Every byte but letters and digits percent-encoded (`/` kept, it separates the tokens).
fn percent_encode(pointer: &str) -> String {
    pointer
        .bytes()
        .map(|b| match b {
            b'/' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Whether the node at `pointer` is a name: a key under `properties` or `components/schemas`, a
/// parameter's `name`, a string of an `enum`.
fn is_named_slot(doc: &Value, pointer: &str) -> bool {
    let Some((parent, _)) = pointer.rsplit_once('/') else {
        return false;
    };
    parent.ends_with("/properties")
        || parent == "/components/schemas"
        || (pointer.ends_with("/name") && doc.pointer(parent).and_then(|p| p.get("in")).is_some())
        || (parent.ends_with("/enum") && doc.pointer(pointer).is_some_and(Value::is_string))
}

/// Renames what `pointer` names, keeping the document consistent: a component's references
/// follow it; a path parameter's template segments too, with the parameter objects of the path
/// items so renamed.
fn rename(doc: &mut Value, pointer: &str, name: &Name) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let old = match doc.pointer(pointer) {
        Some(Value::String(s)) if pointer.ends_with("/name") || parent.ends_with("/enum") => {
            s.clone()
        }
        _ => unescape(last),
    };
    let new = match name {
        Name::Text(t) => t.clone(),
        Name::VariantOfSibling(i, style) => {
            let siblings: Vec<String> = match doc.pointer(parent) {
                Some(Value::Object(m)) => m.keys().cloned().collect(),
                _ => vec![old.clone()],
            };
            case_variant(&siblings[i % siblings.len().max(1)], *style)
        }
    };
    if new.is_empty() {
        return;
    }
    if pointer.ends_with("/name") || parent.ends_with("/enum") {
        set(doc, pointer, json!(new));
        if pointer.ends_with("/name")
            && doc.pointer(&format!("{parent}/in")) == Some(&json!("path"))
        {
            rename_path_parameters(doc, &BTreeMap::from([(old, new)]));
        }
        return;
    }
    let Some(Value::Object(map)) = doc.pointer_mut(parent) else {
        return;
    };
    if map.contains_key(&new) || !map.contains_key(&old) {
        return;
    }
    let names = BTreeMap::from([(old, new)]);
    if parent == "/components/schemas" {
        rename_components(doc, &names);
    } else {
        rename_keys(map, &names);
    }
}

/// Corpus document number `file` (modulo the corpus) with `mutations` applied: its name and body.
fn mutated(file: usize, mutations: &[Mutation]) -> (&'static str, Value) {
    let corpus = corpus();
    let (name, doc) = &corpus[file % corpus.len()];
    let mut doc = doc.clone();
    for m in mutations {
        apply(&mut doc, m);
    }
    (name, doc)
}

/// What generating a mutated document came to.
fn run(name: &str, doc: Value) -> Result<Result<String, cloudflare_mtls_codegen::Error>, String> {
    std::panic::catch_unwind(|| {
        let spec = Spec::from_value(name, doc)?;
        generate(&spec, &Settings::default()).map(|o| o.code)
    })
    .map_err(|_| format!("the generator panicked on a mutation of {name}"))
}

proptest! {
    // proptest's number of cases (`PROPTEST_CASES`, 256 by default).
    #![proptest_config(proptest_config(ProptestConfig::default().cases))]

    #[test]
    fn mutated_specs_never_panic(
        file in 0usize..64,
        mutations in proptest::collection::vec(mutation_strategy(), 1..4),
    ) {
        let (name, doc) = mutated(file, &mutations);
        match run(name, doc) {
            Err(panicked) => panic!("{panicked}: {mutations:?}"),
            Ok(Err(e)) => {
                prop_assert_eq!(&e.file, name);
                prop_assert!(e.pointer.is_empty() || e.pointer.starts_with('/'), "pointer: {}", e);
                prop_assert!(!e.message.is_empty());
            }
            Ok(Ok(code)) => prop_assert!(code.starts_with("// @generated")),
        }
    }
}

/// How many successful outputs are compiled per run: drawn from every mutation, and drawn with
/// one mutation of each lint class ([`lint_class_strategy`]) on top.
const SAMPLES: usize = 6;
const LINT_CLASS_SAMPLES: usize = 3;

/// Draws cases from a seed of its own until [`SAMPLES`] of them generate code that differs from
/// the unmutated document's, then compiles those outputs together in one crate, warnings as
/// errors. The seed is printed; `MUTATION_SEED=N` replays a run.
#[test]
fn a_sample_of_the_outputs_compiles() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let seed: u64 = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0)
        });
    eprintln!("MUTATION_SEED={seed}");
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let corpus = corpus();
    let plain: Vec<String> = corpus
        .iter()
        .map(|(name, doc)| match run(name, doc.clone()) {
            Ok(Ok(code)) => code,
            _ => panic!("{name} does not generate"),
        })
        .collect();
    let strategy = (
        0usize..64,
        proptest::collection::vec(mutation_strategy(), 1..4),
    );
    let lint_classes = (
        0usize..64,
        lint_class_strategy(),
        proptest::collection::vec(mutation_strategy(), 0..2),
    );
    let mut samples: Vec<(String, Vec<Mutation>, String)> = Vec::new();
    let (mut tried, mut failed) = (0, 0);
    while samples.len() < SAMPLES + LINT_CLASS_SAMPLES && tried < 5_000 {
        tried += 1;
        let (file, mutations) = if samples.len() < SAMPLES {
            strategy.new_tree(&mut runner).expect("a case").current()
        } else {
            let (file, mut classes, more) = lint_classes
                .new_tree(&mut runner)
                .expect("a case")
                .current();
            classes.extend(more);
            (file, classes)
        };
        let (name, doc) = mutated(file, &mutations);
        match run(name, doc) {
            Err(panicked) => panic!("{panicked}: {mutations:?}"),
            Ok(Err(_)) => failed += 1,
            Ok(Ok(code)) => {
                let changed = code != plain[file % corpus.len()];
                if changed && !samples.iter().any(|(_, _, c)| *c == code) {
                    samples.push((name.to_string(), mutations, code));
                }
            }
        }
    }
    eprintln!(
        "{tried} cases drawn, {failed} refused with an error, {} compiled",
        samples.len()
    );
    assert_eq!(
        samples.len(),
        SAMPLES + LINT_CLASS_SAMPLES,
        "too few mutated documents generate"
    );
    compile_together(&samples);
}

/// `cargo check` with `-D warnings` of one crate holding the runtime of `cloudflare-mtls` and each
/// sample's code in a module of its own (its accessors on a `Root` that derefs to the client,
/// since two samples cannot both add methods to `Client`).
fn compile_together(samples: &[(String, Vec<Mutation>, String)]) {
    let root = root().canonicalize().expect("workspace root");
    let dir = root.join("target/mutation-samples");
    std::fs::create_dir_all(&dir).expect("sample dir");
    // The library's dependencies and features, verbatim.
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("Cargo.toml is TOML");
    let mut package = toml::Table::new();
    let mut fields = toml::Table::new();
    fields.insert("name".into(), "mutation-samples".into());
    fields.insert("version".into(), "0.0.0".into());
    fields.insert("edition".into(), "2021".into());
    fields.insert("publish".into(), false.into());
    package.insert("package".into(), fields.into());
    let mut lib = toml::Table::new();
    lib.insert("path".into(), "lib.rs".into());
    package.insert("lib".into(), lib.into());
    package.insert("workspace".into(), toml::Table::new().into());
    for table in ["dependencies", "features"] {
        package.insert(table.into(), manifest[table].clone());
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        toml::to_string(&package).expect("TOML"),
    )
    .expect("write");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");

    let lib_rs = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let src = root.join("src");
    let mut out = String::new();
    for line in lib_rs.lines() {
        let module = line
            .strip_prefix("mod ")
            .or_else(|| line.strip_prefix("pub mod "))
            .and_then(|m| m.strip_suffix(';'));
        match module {
            Some(m) => {
                // `src/m.rs`, or `src/m/mod.rs` for a module with modules of its own (a file
                // named by `#[path]` finds its submodules beside it, as a `mod.rs` does).
                let file = src.join(format!("{m}.rs"));
                let file = if file.exists() { file } else { src.join(m).join("mod.rs") };
                out.push_str(&format!("#[path = \"{}\"]\n{line}\n", file.display()))
            }
            None if line.starts_with("mod generated {") => out.push_str(
                "mod generated {\n    /// The samples' spec version.\n    pub const SPEC_VERSION: &str = \"mutation samples\";\n    /// None here: see `samples`.\n    pub mod resources {}\n    /// None here: see `samples`.\n    pub mod types {}\n",
            ),
            None if line.trim_start().starts_with("include!(concat!(env!(\"OUT_DIR\")") => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str(
        "/// The generated code of mutated documents, one module each.\npub mod samples {\n",
    );
    for (i, (name, mutations, code)) in samples.iter().enumerate() {
        let file = format!("s{i}.rs");
        std::fs::write(
            dir.join(&file),
            code.replace("impl crate::Client {", "impl Root {"),
        )
        .expect("write sample");
        out.push_str(&format!(
            "    /// `{name}` mutated: `{}`.\n    pub mod s{i} {{\n        /// The client, for this sample's accessors.\n        pub struct Root(crate::Client);\n        impl ::std::ops::Deref for Root {{\n            type Target = crate::Client;\n            fn deref(&self) -> &crate::Client {{\n                &self.0\n            }}\n        }}\n        include!(\"{file}\");\n    }}\n",
            format!("{mutations:?}").replace('`', "'").chars().filter(|c| !c.is_control()).collect::<String>()
        ));
    }
    out.push_str("}\n");
    // The samples live under the library's own lints (`#![deny(missing_docs)]`, ...): its
    // inner attributes are copied with the rest of `src/lib.rs`.
    for lint in lib_rs
        .lines()
        .filter(|l| l.starts_with("#![deny") || l.starts_with("#![warn"))
    {
        assert!(out.contains(lint), "the samples' crate lacks `{lint}`");
    }
    std::fs::write(dir.join("lib.rs"), out).expect("write lib.rs");

    // With the default features (serde derives one way) and with both ways. The workspace's
    // Cargo.lock is copied, so the versions are the locked ones (cargo only drops unused entries);
    // not `--offline`, so the test also runs before anything else has fetched the crates.
    for features in [&[][..], &["--features", "serde-both-ways"][..]] {
        let output = std::process::Command::new(env!("CARGO"))
            .args(["check", "--lib", "--quiet"])
            .args(features)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root.join("target/fixture-check"))
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the generated code of a mutated document does not compile {features:?} (sources in {}):\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
