//! What several topics read: the workspace's files, the vendored spec with its overlay, the
//! fixtures, and the code a document generates the way the snapshots take it.

use cloudflare_mtls_codegen::{generate, Overlay, Settings, Spec};
use proptest::test_runner::{Config, FileFailurePersistence};
use std::path::{Path, PathBuf};

/// The workspace root (the parent of the `codegen` package).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of `path`.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `spec/cloudflare-mtls.json`.
pub fn vendored_spec() -> PathBuf {
    root().join("spec/cloudflare-mtls.json")
}

/// `spec/overlay.toml`, parsed.
pub fn vendored_overlay() -> Overlay {
    let path = root().join("spec/overlay.toml");
    Overlay::parse("spec/overlay.toml", &read(&path)).expect("spec/overlay.toml parses")
}

/// The fixture `name` (`codegen/tests/fixtures/NAME.json`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
}

/// Every fixture, sorted by name.
pub fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    all.sort();
    all
}

/// The code the document at `path` generates with `overlay`, strictly (as the snapshots are
/// taken).
pub fn generate_file(path: &Path, overlay: Overlay) -> String {
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let spec = Spec::parse(&name, &read(path)).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings {
        overlay,
        strict: true,
        ..Settings::default()
    };
    generate(&spec, &settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

/// proptest's configuration with `cases` cases: failures are saved and replayed from beside the
/// test's file (`suite/NAME.proptest-regressions`). proptest's default, now that `suite/` has a
/// `main.rs`, would be `tests/proptest-regressions/NAME.txt`.
pub fn proptest_config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}
