//! `gen ours|progenitor SPEC OUT [--overlay FILE]`: generates formatted Rust with one generator and
//! writes it to OUT; prints one JSON line with what it handled. Timing and peak memory are taken
//! from the outside (scripts/bench.py runs this under `/usr/bin/time`).
//!
//! `gen stages SPEC - [--overlay FILE]`: our pipeline stage by stage on one thread, printing the
//! seconds each took (where the time goes; the stages are those `generate` runs).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(which), Some(spec_path), Some(out)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: gen ours|progenitor SPEC OUT [--overlay FILE]");
        std::process::exit(2);
    };
    let overlay = args
        .iter()
        .position(|a| a == "--overlay")
        .and_then(|i| args.get(i + 1));
    let text =
        std::fs::read_to_string(spec_path).unwrap_or_else(|e| fail(&format!("{spec_path}: {e}")));
    if which == "stages" {
        stages(spec_path, &text, overlay);
        return;
    }
    let started = Instant::now();
    let (code, operations) = match which.as_str() {
        "ours" => ours(spec_path, &text, overlay),
        "progenitor" => progenitor(&text),
        other => fail(&format!("unknown generator {other}")),
    };
    let seconds = started.elapsed().as_secs_f64();
    std::fs::write(out, &code).unwrap_or_else(|e| fail(&format!("{out}: {e}")));
    println!(
        "{{\"generator\":\"{which}\",\"operations\":{operations},\"lines\":{},\"bytes\":{},\"seconds\":{seconds:.4}}}",
        code.lines().count(),
        code.len()
    );
}

fn ours(path: &str, text: &str, overlay: Option<&String>) -> (String, usize) {
    use cloudflare_mtls_codegen::{generate, Overlay, Settings, Spec};
    let spec = Spec::parse(path, text).unwrap_or_else(|e| fail(&e.to_string()));
    let overlay = match overlay {
        Some(p) => {
            let t = std::fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("{p}: {e}")));
            Overlay::parse(p, &t).unwrap_or_else(|e| fail(&e.to_string()))
        }
        None => Overlay::default(),
    };
    let out = generate(
        &spec,
        &Settings {
            overlay,
            ..Settings::default()
        },
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    (out.code, out.operations)
}

fn stages(path: &str, text: &str, overlay: Option<&String>) {
    use cloudflare_mtls_codegen::Overlay;
    let overlay = match overlay {
        Some(p) => {
            let t = std::fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("{p}: {e}")));
            Overlay::parse(p, &t).unwrap_or_else(|e| fail(&e.to_string()))
        }
        None => Overlay::default(),
    };
    let (times, bytes) = cloudflare_mtls_codegen::generate_in_stages(path, text, &overlay)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let times: Vec<String> = times
        .iter()
        .map(|(name, secs)| format!("\"{name}\":{secs:.4}"))
        .collect();
    println!("{{{},\"bytes\":{bytes}}}", times.join(","));
}

fn progenitor(text: &str) -> (String, usize) {
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(text).unwrap_or_else(|e| fail(&format!("openapiv3: {e}")));
    let operations = spec.operations().count();
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| fail(&format!("progenitor: {e}")));
    let file: syn::File =
        syn::parse2(tokens).unwrap_or_else(|e| fail(&format!("progenitor output: {e}")));
    (prettyplease::unparse(&file), operations)
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
