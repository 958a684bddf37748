//! The thin helper a build script calls: reads the spec and overlay, generates, writes `OUT_DIR`
//! only when the bytes changed, prints cargo directives; on error prints one line and exits 1.

use crate::{generate, Error, Overlay, Settings, Spec};
use std::path::{Path, PathBuf};

/// Environment variable naming another OpenAPI file to generate from.
pub const SPEC_ENV: &str = "CLOUDFLARE_MTLS_SPEC";
/// Environment variable naming another overlay file.
pub const OVERLAY_ENV: &str = "CLOUDFLARE_MTLS_OVERLAY";

/// Reads `spec` and `overlay` (either may be replaced through [`SPEC_ENV`] / [`OVERLAY_ENV`]),
/// generates, and writes `$OUT_DIR/{out_name}`. Meant for `build.rs`: never returns on error.
pub fn run(spec: &str, overlay: &str, out_name: &str) {
    println!("cargo:rerun-if-env-changed={SPEC_ENV}");
    println!("cargo:rerun-if-env-changed={OVERLAY_ENV}");
    let spec_path = std::env::var_os(SPEC_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| spec.into());
    let overlay_path = std::env::var_os(OVERLAY_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| overlay.into());
    println!("cargo:rerun-if-changed={}", spec_path.display());
    println!("cargo:rerun-if-changed={}", overlay_path.display());
    let out_dir = match std::env::var_os("OUT_DIR") {
        Some(d) => PathBuf::from(d),
        None => fail(&Error::new(
            "",
            "",
            "OUT_DIR is not set: run from a build script",
        )),
    };
    match generate_file(&spec_path, &overlay_path, &out_dir.join(out_name)) {
        Ok(out) => {
            if !out.degraded.is_empty() {
                println!(
                    "cargo:warning=cloudflare-mtls: {} construct(s) simplified: degraded to serde_json::Value, a path parameter to a string or left out (see the docs of the affected items)",
                    out.degraded.len()
                );
            }
        }
        Err(e) => fail(&e),
    }
}

/// Reads, generates and writes `out` if its bytes changed.
pub fn generate_file(spec: &Path, overlay: &Path, out: &Path) -> Result<crate::Output, Error> {
    let spec_name = spec.display().to_string();
    let text = std::fs::read_to_string(spec)
        .map_err(|e| Error::new(&spec_name, "", format!("cannot read: {e}")))?;
    let parsed = Spec::parse(&spec_name, &text)?;
    let overlay_name = overlay.display().to_string();
    let overlay = match std::fs::read_to_string(overlay) {
        Ok(t) => Overlay::parse(&overlay_name, &t)?,
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && std::env::var_os(OVERLAY_ENV).is_none() =>
        {
            Overlay::default()
        }
        Err(e) => return Err(Error::new(&overlay_name, "", format!("cannot read: {e}"))),
    };
    let output = generate(
        &parsed,
        &Settings {
            overlay,
            // The parallelism cargo grants this build (it sets NUM_JOBS for build scripts).
            jobs: std::env::var("NUM_JOBS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
            ..Settings::default()
        },
    )?;
    write_if_changed(out, output.code.as_bytes())
        .map_err(|e| Error::new(&out.display().to_string(), "", format!("cannot write: {e}")))?;
    Ok(output)
}

/// Writes `bytes` to `path` unless it already holds exactly them.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

fn fail(e: &Error) -> ! {
    eprintln!("error: cloudflare-mtls codegen: {e}");
    std::process::exit(1)
}
