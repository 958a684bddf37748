//! What regenerating from another document would change in the generated public API, each change
//! marked breaking or additive by Rust's semver rules:
//! `cargo run -p cloudflare-mtls-codegen --example api-diff -- OLD NEW [--overlay FILE] [--json]`.
//!
//! Both documents are generated in memory with the same overlay (none by default). Exit status: 0
//! when nothing changes or only additively, 1 when anything is breaking, 2 on an error (a document
//! that does not generate, a bad argument).

use cloudflare_mtls_codegen::surface::{diff, surface, Change};
use cloudflare_mtls_codegen::{Error, Overlay, Settings, Spec};
use std::process::ExitCode;

const USAGE: &str = "usage: api-diff OLD NEW [--overlay FILE] [--json]";

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
    let (mut files, mut overlay, mut json) = (Vec::new(), None, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--overlay" => overlay = Some(args.next().ok_or(USAGE)?),
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
    let api = |path: &str| -> Result<_, Error> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::new(path, "", e.to_string()))?;
        surface(&Spec::parse(path, &text)?, &settings)
    };
    let (old_api, new_api) = (
        api(old).map_err(|e| e.to_string())?,
        api(new).map_err(|e| e.to_string())?,
    );
    let changes = diff(&old_api, &new_api);
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let additive = changes.len() - breaking;
    if json {
        println!("{}", to_json(&changes, breaking, additive));
    } else {
        for c in &changes {
            println!("{c}");
        }
        println!("{breaking} breaking, {additive} additive");
    }
    Ok(breaking > 0)
}

fn to_json(changes: &[Change], breaking: usize, additive: usize) -> String {
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
    let doc = serde_json::json!({ "breaking": breaking, "additive": additive, "changes": list });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
