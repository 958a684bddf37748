//! What regenerating from another document would change in the generated public API, each change
//! marked breaking or additive by Rust's semver rules:
//! `cargo run -p cloudflare-mtls-codegen --example api-diff -- OLD NEW [--overlay FILE]
//! [--patches FILE] [--json]`.
//!
//! Both documents are generated in memory with the same overlay (none by default), so with its
//! `[selection]` (only the crate's operations); `--patches` applies upstream patches (an OpenAPI
//! Overlay 1.0 document, `spec/upstream-patches.json`) to NEW first. The operations of the same
//! families that NEW has and the selection leaves out are listed by name, and patches that match
//! nothing are reported. Exit status: 0 when nothing changes or only additively, 1 when anything
//! is breaking, 2 on an error (a document that does not generate, a bad argument).

use cloudflare_mtls_codegen::surface::{diff, surface, Change};
use cloudflare_mtls_codegen::{plan, Error, Overlay, Patches, Settings, Spec};
use std::process::ExitCode;

const USAGE: &str = "usage: api-diff OLD NEW [--overlay FILE] [--patches FILE] [--json]";

fn main() -> ExitCode {
    match run() {
        Ok(breaking) => ExitCode::from(u8::from(breaking)),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Whether anything is breaking.
fn run() -> Result<bool, String> {
    let mut args = std::env::args().skip(1);
    let (mut files, mut overlay, mut patches, mut json) = (Vec::new(), None, None, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--overlay" => overlay = Some(args.next().ok_or(USAGE)?),
            "--patches" => patches = Some(args.next().ok_or(USAGE)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(false);
            }
            _ if a.starts_with('-') => return Err(format!("unknown option `{a}`\n{USAGE}")),
            _ => files.push(a),
        }
    }
    let [old, new] = files.as_slice() else {
        return Err(USAGE.to_string());
    };
    let overlay = match &overlay {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            Overlay::parse(path, &text).map_err(|e| e.to_string())?
        }
        None => Overlay::default(),
    };
    let settings = Settings {
        overlay,
        ..Settings::default()
    };
    let read = |path: &str| -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    };
    let patches = match &patches {
        Some(path) => Some(Patches::parse(path, &read(path)?).map_err(|e| e.to_string())?),
        None => None,
    };
    let old_spec = Spec::parse(old, &read(old)?).map_err(|e| e.to_string())?;
    let mut new_spec = Spec::parse(new, &read(new)?).map_err(|e| e.to_string())?;
    let unmatched = match &patches {
        Some(p) => {
            p.apply(&mut new_spec.doc)
                .map_err(|e| e.to_string())?
                .unmatched
        }
        None => Vec::new(),
    };
    let api = |spec: &Spec| surface(spec, &settings).map_err(|e: Error| e.to_string());
    let (old_api, new_api) = (api(&old_spec)?, api(&new_spec)?);
    let selection = plan(&new_spec, &settings);
    let changes = diff(&old_api, &new_api);
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let additive = changes.len() - breaking;
    if json {
        let mut doc = to_json(&changes, breaking, additive);
        doc["left_out"] = serde_json::json!(selection.left_out);
        doc["missing"] = serde_json::json!(selection.missing);
        doc["unmatched_patches"] = serde_json::json!(unmatched);
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        for c in &changes {
            println!("{c}");
        }
        for op in &selection.left_out {
            println!("left out (same family, not in the selection): {op}");
        }
        for id in &selection.missing {
            println!("selected, not in {new}: {id}");
        }
        for action in &unmatched {
            println!("patch matches nothing: {action}");
        }
        println!("{breaking} breaking, {additive} additive");
    }
    Ok(breaking > 0)
}

fn to_json(changes: &[Change], breaking: usize, additive: usize) -> serde_json::Value {
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "change": c.change.to_string(),
                "item": c.item.to_string(),
                "path": c.path,
                "old": c.old,
                "new": c.new,
                "breaking": c.breaking,
            })
        })
        .collect();
    serde_json::json!({ "breaking": breaking, "additive": additive, "changes": list })
}
