//! Regenerating from Cloudflare's full published documents, through the overlay's selection and
//! with the upstream patches (`spec/upstream-patches.json`), keeps the public API of the vendored
//! build: every breaking difference must be listed, with its cause, under "Allowed differences"
//! in `spec/README.md`, and every listed difference must still occur (so the list stays true).
//! Against the current document (2024-08-06) nothing may be breaking and every patch must apply.
//!
//! Reads Cloudflare's documents from `../shared/specs` (never copied into the repository), so it is
//! `#[ignore]`d in the README's test command; `.ci/run` runs it with `--ignored`.

use crate::common::{read, root, vendored_overlay, vendored_spec};
use cloudflare_mtls_codegen::surface::{diff, surface, Surface};
use cloudflare_mtls_codegen::{Patches, Settings, Spec};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cloudflare's full documents (`cloudflare-openapi-DATE.json`).
const DOCUMENTS: &[&str] = &["2023-01-31", "2023-11-30", "2024-08-06"];

/// The current one: zero breaking differences, every patch applies.
const CURRENT: &str = "2024-08-06";

/// The public API `path` generates, after `patches` (and the actions that matched nothing).
fn api(path: &Path, settings: &Settings, patches: Option<&Patches>) -> (Surface, Vec<String>) {
    let mut spec = Spec::parse(&path.display().to_string(), &read(path)).expect("document parses");
    let unmatched = patches
        .map(|p| p.apply(&mut spec.doc).expect("patches apply").unmatched)
        .unwrap_or_default();
    (
        surface(&spec, settings).expect("document generates"),
        unmatched,
    )
}

/// Whether the table's `key` covers `found`: equal, or a prefix ending in `*`.
fn covers(key: &str, found: &str) -> bool {
    match key.strip_suffix('*') {
        Some(prefix) => found.starts_with(prefix),
        None => key == found,
    }
}

/// The "Allowed differences" table of `spec/README.md`: document date → `change item path` keys.
/// Rows are `| 2023-11-30, 2024-08-06 | `changed method a.b.c` | cause |`.
fn allowed(readme: &str) -> BTreeMap<String, BTreeSet<String>> {
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Allowed differences"))
        .expect("spec/README.md has an `## Allowed differences` section");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(docs), Some(key)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(key) = key.strip_prefix('`').and_then(|k| k.strip_suffix('`')) else {
            continue;
        };
        for doc in docs.split(',').map(str::trim) {
            out.entry(doc.to_string())
                .or_default()
                .insert(key.to_string());
        }
    }
    out
}

#[test]
#[ignore = "reads Cloudflare's documents in ../shared/specs; .ci/run runs it with --ignored"]
fn regenerating_from_cloudflares_documents_changes_only_what_spec_readme_lists() {
    let root = root();
    let settings = Settings {
        overlay: vendored_overlay(),
        ..Settings::default()
    };
    let (vendored, _) = api(&vendored_spec(), &settings, None);
    let patches = Patches::parse(
        "spec/upstream-patches.json",
        &read(&root.join("spec/upstream-patches.json")),
    )
    .expect("patches parse");
    let allowed = allowed(&read(&root.join("spec/README.md")));
    let specs = std::env::var_os("CLOUDFLARE_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/specs"));
    let mut problems = Vec::new();
    for date in DOCUMENTS {
        let (upstream, unmatched) = api(
            &specs.join(format!("cloudflare-openapi-{date}.json")),
            &settings,
            Some(&patches),
        );
        let changes = diff(&vendored, &upstream);
        for c in changes.iter().filter(|c| !c.breaking) {
            eprintln!("{date}: additive: {c}");
        }
        let found: BTreeMap<String, String> = changes
            .into_iter()
            .filter(|c| c.breaking)
            .map(|c| (format!("{} {} {}", c.change, c.item, c.path), c.to_string()))
            .collect();
        let listed = allowed.get(*date).cloned().unwrap_or_default();
        for (key, line) in &found {
            if !listed.iter().any(|k| covers(k, key)) {
                problems.push(format!("{date}: not listed in spec/README.md: {line}"));
            }
        }
        for key in listed
            .iter()
            .filter(|k| !found.keys().any(|f| covers(k, f)))
        {
            problems.push(format!(
                "{date}: listed in spec/README.md, no longer found: `{key}`"
            ));
        }
        if *date == CURRENT {
            problems.extend(
                unmatched.iter().map(|a| {
                    format!("{date}: patch matches nothing (fixed upstream? drop it): {a}")
                }),
            );
        } else {
            for a in &unmatched {
                eprintln!("{date}: patch matches nothing: {a}");
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_allowed_table_is_read_row_by_row() {
    let readme = "# x\n\n## Allowed differences\n\n| documents | change | cause |\n| --- | --- | --- |\n\
                  | 2023-11-30, 2024-08-06 | `removed method a.list_all` | no paging |\n\
                  | 2024-08-06 | `changed field A.id` | untyped |\n\n## Next\n| 2024-08-06 | `x y z` | not here |\n";
    let table = allowed(readme);
    assert_eq!(table["2023-11-30"].len(), 1);
    assert!(table["2024-08-06"].contains("removed method a.list_all"));
    assert!(table["2024-08-06"].contains("changed field A.id"));
    assert!(!table["2024-08-06"].contains("x y z"));
}

#[test]
fn a_key_ending_in_a_star_covers_a_prefix() {
    assert!(covers(
        "removed field ClientCertificate.*",
        "removed field ClientCertificate.id"
    ));
    assert!(!covers(
        "removed field ClientCertificate.*",
        "removed field Other.id"
    ));
    assert!(covers("changed field A.id", "changed field A.id"));
    assert!(!covers("changed field A.id", "changed field A.idx"));
}
