//! Property test: the public API of the vendored build does not depend on what upstream calls
//! things. Cloudflare renames components between versions of its document (namespaces, random
//! tokens such as `wSCoYRMW_`, whole new names) and path parameters (`{mtls_certificate_id}`,
//! `{identifier}`, `{uuid}`, `{zone_identifier}`); with `spec/overlay.toml`, names anchored to
//! operations and fields must survive any such renaming. Each case renames every component
//! schema (every `$ref` follows, including refs into a component's insides) and every path
//! parameter at random, and the generated surface must equal the vendored build's exactly.

use crate::common::{proptest_config, read, vendored_overlay, vendored_spec};
use crate::renaming::{rename_components, rename_path_parameters};
use cloudflare_mtls_codegen::surface::{diff, surface, Surface};
use cloudflare_mtls_codegen::{Settings, Spec};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn vendored() -> &'static (Value, Settings, Surface) {
    static VENDORED: OnceLock<(Value, Settings, Surface)> = OnceLock::new();
    VENDORED.get_or_init(|| {
        let settings = Settings {
            overlay: vendored_overlay(),
            ..Settings::default()
        };
        let text = read(&vendored_spec());
        let doc: Value = serde_json::from_str(&text).expect("json");
        let api = surface(&Spec::parse("vendored", &text).expect("spec"), &settings).expect("api");
        (doc, settings, api)
    })
}

/// How a name is rewritten: `(kind, random token, random word)`.
type Renaming = (u8, String, String);

fn renaming() -> impl Strategy<Value = Renaming> {
    (
        0u8..5,
        "[A-Z][a-z][A-Z0-9][a-zA-Z0-9]{5}",
        "[a-z][a-z_-]{0,14}",
    )
}

/// A new component name: the old one behind or before a random token, under another namespace,
/// a random word, or the name another component has in `spec/` (so the overlay's `[types]` entry
/// for that one now points here).
fn component_name(old: &str, next: &str, (kind, token, word): &Renaming) -> String {
    match kind {
        5 => next.to_string(),
        0 => format!("{token}_{old}"),
        1 => format!("{old}_{token}"),
        2 => format!("{word}_{old}"),
        3 => format!("{token}_{word}"),
        _ => word.clone(),
    }
}

/// A new path parameter name, as Cloudflare's documents spell the same parameter; scope ids and
/// item ids draw from different spellings so one template never has the same name twice.
fn path_param_name(old: &str, scope: bool, (kind, token, _): &Renaming) -> String {
    let stem = old.strip_suffix("_id").unwrap_or(old);
    match (scope, kind % 4) {
        (true, 0) => format!("{stem}_identifier"),
        (true, 1) => format!("{stem}_tag"),
        (true, _) => old.to_string(),
        (false, 0) => "identifier".to_string(),
        (false, 1) => "uuid".to_string(),
        (false, 2) => format!("{stem}_identifier"),
        (false, _) => format!("p{}", token.to_lowercase()),
    }
}

/// The vendored document with every component and path parameter renamed by `renamings`
/// (cycled); the new names are made distinct.
fn renamed(renamings: &[Renaming]) -> Value {
    let mut doc = vendored().0.clone();
    let mut pick = renamings.iter().cycle();
    let names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .expect("components")
        .keys()
        .cloned()
        .collect();
    let mut map = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (i, old) in names.iter().enumerate() {
        let next = &names[(i + 1) % names.len()];
        let mut new = component_name(old, next, pick.next().expect("cycle"));
        while !taken.insert(new.clone()) {
            new.push('x');
        }
        map.insert(old.clone(), new);
    }
    rename_components(&mut doc, &map);

    let templates: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    let mut params = BTreeMap::new();
    for t in &templates {
        for (i, p) in t
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .enumerate()
        {
            params.entry(p.to_string()).or_insert(i == 0);
        }
    }
    let mut new_names = BTreeSet::new();
    let map: BTreeMap<String, String> = params
        .into_iter()
        .map(|(old, scope)| {
            let mut new = path_param_name(&old, scope, pick.next().expect("cycle"));
            while !new_names.insert(new.clone()) {
                new.push('x');
            }
            (old, new)
        })
        .collect();
    let kept = rename_path_parameters(&mut doc, &map);
    assert!(kept.is_empty(), "templates not renamed: {kept:?}");
    doc
}

proptest! {
    #![proptest_config(proptest_config(128))]

    #[test]
    fn renaming_components_and_path_parameters_changes_no_public_name(
        renamings in prop::collection::vec(renaming(), 1..40)
    ) {
        let (_, settings, api) = vendored();
        let doc = renamed(&renamings);
        let text = serde_json::to_string(&doc).expect("json");
        let spec = Spec::parse("renamed.json", &text).expect("parses");
        let new = surface(&spec, settings).expect("generates");
        let changes: Vec<String> = diff(api, &new).iter().map(|c| c.to_string()).collect();
        prop_assert!(changes.is_empty(), "{}", changes.join("\n"));
    }
}

#[test]
fn the_renaming_reaches_every_component_and_path_parameter() {
    let doc = renamed(&[
        (0, "QzR7xKp2".into(), "w".into()),
        (0, "Ab1cDefG".into(), "v".into()),
    ]);
    let original = &vendored().0;
    let old: BTreeSet<&String> = original["components"]["schemas"]
        .as_object()
        .expect("s")
        .keys()
        .collect();
    let new: BTreeSet<&String> = doc["components"]["schemas"]
        .as_object()
        .expect("s")
        .keys()
        .collect();
    assert!(old.is_disjoint(&new));
    let text = serde_json::to_string(&doc).expect("json");
    for name in old {
        assert!(
            !text.contains(&format!("\"#/components/schemas/{name}\"")),
            "{name}"
        );
    }
    let templates: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
    assert!(
        templates.iter().all(|t| !t.contains("_id}")),
        "{templates:?}"
    );
}
