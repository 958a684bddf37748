//! Generates the client for an OpenAPI file and prints it (or writes it to a file), with a summary
//! on stderr: `cargo run --release -p cloudflare-mtls-codegen --example generate -- SPEC [OVERLAY] [-o OUT] [-v]`
//! (`-v` lists what degraded to `serde_json::Value`).

use cloudflare_mtls_codegen::{generate, Overlay, Settings, Spec};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut out = None;
    let mut verbose = false;
    while let Some(a) = args.next() {
        if a == "-v" {
            verbose = true;
        } else if a == "-o" {
            out = args.next();
        } else {
            positional.push(a);
        }
    }
    let Some(spec_path) = positional.first() else {
        eprintln!("usage: generate SPEC [OVERLAY] [-o OUT] [-v]");
        std::process::exit(2);
    };
    let started = Instant::now();
    let result = (|| {
        let text = std::fs::read_to_string(spec_path)
            .map_err(|e| cloudflare_mtls_codegen::Error::new(spec_path, "", e.to_string()))?;
        let spec = Spec::parse(spec_path, &text)?;
        let overlay = match positional.get(1) {
            Some(p) => {
                let t = std::fs::read_to_string(p)
                    .map_err(|e| cloudflare_mtls_codegen::Error::new(p, "", e.to_string()))?;
                Overlay::parse(p, &t)?
            }
            None => Overlay::default(),
        };
        generate(
            &spec,
            &Settings {
                overlay,
                ..Settings::default()
            },
        )
    })();
    let output = match result {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let elapsed = started.elapsed();
    if verbose {
        for d in &output.degraded {
            eprintln!("degraded: {d}");
        }
    }
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, &output.code) {
                eprintln!("error: {path}: {e}");
                std::process::exit(1);
            }
        }
        None => print!("{}", output.code),
    }
    eprintln!(
        "{} operations -> {} methods, {} types, {} lines, {} bytes, {} degraded, {:.3} s",
        output.operations,
        output.methods,
        output.types,
        output.code.lines().count(),
        output.code.len(),
        output.degraded.len(),
        elapsed.as_secs_f64()
    );
}
