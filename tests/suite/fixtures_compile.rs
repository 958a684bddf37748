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

/// `cargo check` of this crate generated from `spec` (no overlay), in the fixture target dir.
fn check_with(spec: &Path) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target/fixture-check");
    let empty_overlay = target.join("empty-overlay.toml");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(&empty_overlay, "").unwrap();
    Command::new(env!("CARGO"))
        .args([
            "check",
            "--lib",
            "--offline",
            "--quiet",
            "-p",
            "cloudflare-mtls",
        ])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .env("CLOUDFLARE_MTLS_SPEC", spec)
        .env("CLOUDFLARE_MTLS_OVERLAY", &empty_overlay)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 9,
        "expected the construct fixtures, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let output = check_with(fixture);
        if !output.status.success() {
            failures.push(format!(
                "{}:\n{}",
                fixture.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "generated code does not compile:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_bad_spec_fails_the_build_with_one_line_naming_file_and_pointer() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixture-check");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("dangling-ref.json");
    std::fs::write(
        &bad,
        r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":
           {"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}"##,
    )
    .unwrap();
    let output = check_with(&bad);
    assert!(!output.status.success(), "the build must fail");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("cloudflare-mtls codegen"))
        .collect();
    assert_eq!(lines.len(), 1, "one line from the generator:\n{stderr}");
    let expected = format!(
        "error: cloudflare-mtls codegen: {}#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: reference `#/components/schemas/Nope` does not resolve",
        bad.display()
    );
    assert!(
        lines[0].ends_with(&expected),
        "got: {}\nwant: {expected}",
        lines[0]
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
