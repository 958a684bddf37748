//! The code generated for every fixture spec compiles, warning-free, inside this crate: the crate is
//! checked once per fixture with `CLOUDFLARE_MTLS_SPEC` pointing at it (a separate target dir, so
//! the outer build is untouched). The snapshots in `codegen/tests/snapshots/` are that same code.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/tests/fixtures");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target/fixture-check");
    let empty_overlay = target.join("empty-overlay.toml");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(&empty_overlay, "").unwrap();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 9, "expected the construct fixtures, found {}", fixtures.len());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let output = Command::new(env!("CARGO"))
            .args(["check", "--lib", "--offline", "--quiet", "-p", "cloudflare-mtls"])
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .env("CLOUDFLARE_MTLS_SPEC", fixture)
            .env("CLOUDFLARE_MTLS_OVERLAY", &empty_overlay)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        if !output.status.success() {
            failures.push(format!(
                "{}:\n{}",
                fixture.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "generated code does not compile:\n{}", failures.join("\n"));
}
