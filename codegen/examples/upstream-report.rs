//! The update procedure's one command: what a newer Cloudflare document would change for this
//! crate. `cargo run -p cloudflare-mtls-codegen --example upstream-report -- NEW.json [--spec
//! spec/cloudflare-mtls.json] [--overlay spec/overlay.toml] [--patches spec/upstream-patches.json]
//! [--json]` (paths relative to the workspace root by default).
//!
//! It applies the upstream patches to NEW, generates it through the overlay's selection, and
//! reports: every change to the public API against the vendored build (breaking or additive),
//! which patches no longer apply, which selected operations NEW lacks, which operations of the
//! same families NEW has that the selection leaves out (new since the vendored document, or
//! not), and the harmless defects (warnings) in what NEW generates from. Exit status: 0 when
//! nothing is breaking and every patch applies, 1 otherwise, 2 on an error.

use cloudflare_mtls_codegen::surface::{diff, surface};
use cloudflare_mtls_codegen::{check, plan, Overlay, Patches, Settings, Spec};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: upstream-report NEW.json [--spec FILE] [--overlay FILE] [--patches FILE] [--json]";

fn main() -> ExitCode {
    match run() {
        Ok(clean) => ExitCode::from(u8::from(!clean)),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether nothing is breaking and every patch applies.
fn run() -> Result<bool, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut spec = root.join("spec/cloudflare-mtls.json");
    let mut overlay = root.join("spec/overlay.toml");
    let mut patches = root.join("spec/upstream-patches.json");
    let (mut new, mut json_out) = (None, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().map(PathBuf::from).ok_or(USAGE);
        match a.as_str() {
            "--spec" => spec = value()?,
            "--overlay" => overlay = value()?,
            "--patches" => patches = value()?,
            "--json" => json_out = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(true);
            }
            _ if a.starts_with('-') => return Err(format!("unknown option `{a}`\n{USAGE}")),
            _ if new.is_none() => new = Some(PathBuf::from(a)),
            _ => return Err(USAGE.to_string()),
        }
    }
    let new = new.ok_or(USAGE)?;
    let name = |p: &Path| p.display().to_string();
    let overlay = Overlay::parse(&name(&overlay), &read(&overlay)?).map_err(|e| e.to_string())?;
    let patches = Patches::parse(&name(&patches), &read(&patches)?).map_err(|e| e.to_string())?;
    let settings = Settings {
        overlay,
        ..Settings::default()
    };
    let vendored = Spec::parse(&name(&spec), &read(&spec)?).map_err(|e| e.to_string())?;
    let mut upstream = Spec::parse(&name(&new), &read(&new)?).map_err(|e| e.to_string())?;
    let applied = patches
        .apply(&mut upstream.doc)
        .map_err(|e| e.to_string())?;
    let warnings = check(&upstream, &settings).map_err(|e| e.to_string())?;
    let old_api = surface(&vendored, &settings).map_err(|e| e.to_string())?;
    let new_api = surface(&upstream, &settings).map_err(|e| e.to_string())?;
    let changes = diff(&old_api, &new_api);
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let selection = plan(&upstream, &settings);
    let known = operation_ids(&vendored);
    let gained: Vec<&String> = selection
        .left_out
        .iter()
        .filter(|op| !known.contains(op.split(' ').next().unwrap_or_default()))
        .collect();
    if json_out {
        let doc = json!({
            "document": name(&new),
            "breaking": breaking,
            "additive": changes.len() - breaking,
            "changes": changes.iter().map(|c| json!({
                "change": c.change.to_string(), "item": c.item.to_string(), "path": c.path,
                "old": c.old, "new": c.new, "breaking": c.breaking,
            })).collect::<Vec<_>>(),
            "patches": patches.actions.iter().zip(&applied.matched).map(|(a, n)| json!({
                "target": a.target, "description": a.description, "matched": n,
            })).collect::<Vec<_>>(),
            "unmatched_patches": applied.unmatched,
            "missing_operations": selection.missing,
            "left_out": selection.left_out,
            "gained": gained,
            "warnings": warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        println!(
            "# {} against {} (overlay, selection, patches)",
            name(&new),
            name(&spec)
        );
        println!(
            "\n## Public API of the crate's operations: {breaking} breaking, {} additive",
            changes.len() - breaking
        );
        for c in &changes {
            println!("{c}");
        }
        println!(
            "\n## Patches: {} of {} apply",
            patches.actions.len() - applied.unmatched.len(),
            patches.actions.len()
        );
        for (i, (a, n)) in patches.actions.iter().zip(&applied.matched).enumerate() {
            let status = if *n == 0 {
                "MATCHES NOTHING".to_string()
            } else {
                format!("{n} node(s)")
            };
            println!("actions[{i}] {status}: {}", a.description);
        }
        println!(
            "\n## Selected operations the document lacks: {}",
            selection.missing.len()
        );
        for id in &selection.missing {
            println!("{id}");
        }
        println!(
            "\n## Operations of the families left out of the selection: {} ({} not in the vendored document)",
            selection.left_out.len(),
            gained.len()
        );
        for op in &selection.left_out {
            let mark = if gained.contains(&op) { "new " } else { "" };
            println!("{mark}{op}");
        }
        println!(
            "\n## Harmless defects in what it generates from: {}",
            warnings.len()
        );
        for w in &warnings {
            println!("{w}");
        }
    }
    Ok(breaking == 0 && applied.unmatched.is_empty())
}

/// Every operationId of `spec`.
fn operation_ids(spec: &Spec) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![spec.doc.get("paths")];
    while let Some(Some(node)) = stack.pop() {
        if let Some(m) = node.as_object() {
            if let Some(id) = m.get("operationId").and_then(|v| v.as_str()) {
                ids.insert(id.to_string());
            }
            stack.extend(m.values().map(Some));
        }
    }
    ids
}
