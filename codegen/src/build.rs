//! The build-script API, after prost-build's `Config` and bindgen's `Builder`: every input is
//! given explicitly, [`Builder::generate`] returns the code or an [`Error`], and the build script
//! decides how to report it.
//!
//! ```no_run
//! // build.rs
//! use cloudflare_mtls_codegen::build::Builder;
//!
//! fn main() {
//!     let generated = Builder::new("spec/cloudflare-mtls.json")
//!         .overlay("spec/overlay.toml")
//!         .spec_env("CLOUDFLARE_MTLS_SPEC")
//!         .generate()
//!         .and_then(|g| g.write_to_out_dir("cloudflare_mtls.rs").map(|_| g));
//!     match generated {
//!         Ok(g) => g.print_cargo_directives(),
//!         Err(e) => {
//!             eprintln!("error: {e}");
//!             std::process::exit(1);
//!         }
//!     }
//! }
//! ```

use crate::patch::{Applied, Patches};
use crate::{generate, Error, Output, Overlay, Settings, Spec};
use std::path::{Path, PathBuf};

/// What to generate from and how. Inputs are read only by [`generate`](Builder::generate).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    overlay: Option<PathBuf>,
    spec_env: Option<String>,
    overlay_env: Option<String>,
    patches: Option<PathBuf>,
    upstream_patches: Option<PathBuf>,
    patches_env: Option<String>,
    all_operations: bool,
    all_operations_env: Option<String>,
    strict: bool,
    jobs: usize,
}

/// Generated code with what it was read from, ready to be written and reported to cargo.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The code and its summary.
    pub output: Output,
    /// The files read (the spec and the overlay, after any environment override).
    pub files: Vec<PathBuf>,
    /// The environment variables consulted (set or not): a change to any of them changes the
    /// inputs.
    pub env: Vec<String>,
    /// What the upstream patches did, when some were applied.
    pub patched: Option<Applied>,
}

impl Builder {
    /// Generates from the OpenAPI document at `spec` (JSON), with no overlay.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            overlay: None,
            spec_env: None,
            overlay_env: None,
            patches: None,
            upstream_patches: None,
            patches_env: None,
            all_operations: false,
            all_operations_env: None,
            strict: false,
            jobs: 0,
        }
    }

    /// Applies the patches (an OpenAPI Overlay 1.0 document, JSON; see [`Patches`]) at `path`
    /// to the document before generating, whichever document is read.
    pub fn patches(mut self, path: impl Into<PathBuf>) -> Self {
        self.patches = Some(path.into());
        self
    }

    /// Applies the patches at `path` only when the document is read from the
    /// [`spec_env`](Builder::spec_env) override: the upstream document they correct, where the
    /// one given to [`new`](Builder::new) has the corrections already (`spec/upstream-patches.json`
    /// in this crate's build script).
    pub fn upstream_patches(mut self, path: impl Into<PathBuf>) -> Self {
        self.upstream_patches = Some(path.into());
        self
    }

    /// An environment variable that, when set, names the patches to apply instead of those of
    /// [`patches`](Builder::patches) and [`upstream_patches`](Builder::upstream_patches), to
    /// whichever document is read; the value `none` applies none (`CLOUDFLARE_MTLS_PATCHES`).
    pub fn patches_env(mut self, var: impl Into<String>) -> Self {
        self.patches_env = Some(var.into());
        self
    }

    /// Generates every operation of the document, whatever the overlay's `[selection]` says
    /// (see [`Settings::all_operations`]). Off by default.
    pub fn all_operations(mut self, all: bool) -> Self {
        self.all_operations = all;
        self
    }

    /// An environment variable that, set to `1` or `true`, turns
    /// [`all_operations`](Builder::all_operations) on (`CLOUDFLARE_MTLS_ALL_OPERATIONS`).
    pub fn all_operations_env(mut self, var: impl Into<String>) -> Self {
        self.all_operations_env = Some(var.into());
        self
    }

    /// Names types and methods with the overlay (TOML) at `path`, which must exist.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlay = Some(path.into());
        self
    }

    /// An environment variable that, when set, names the document to read instead of the one
    /// given to [`new`](Builder::new) (`CLOUDFLARE_MTLS_SPEC` in this crate's build script).
    pub fn spec_env(mut self, var: impl Into<String>) -> Self {
        self.spec_env = Some(var.into());
        self
    }

    /// An environment variable that, when set, names the overlay to read instead of the one given
    /// to [`overlay`](Builder::overlay).
    pub fn overlay_env(mut self, var: impl Into<String>) -> Self {
        self.overlay_env = Some(var.into());
        self
    }

    /// Makes `allOf` members that disagree an error instead of an untyped value (see
    /// [`Settings::strict`]). Off by default.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Threads to format the output on (0, the default: one per core). A build script passes the
    /// parallelism cargo grants it (`NUM_JOBS`). The output is the same whatever the number.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs;
        self
    }

    /// Reads the inputs (environment overrides first) and generates.
    ///
    /// # Errors
    ///
    /// A file that cannot be read, a document or overlay that is not valid (with the file and the
    /// JSON pointer of the node), or a schema the generator cannot express.
    pub fn generate(&self) -> Result<Generated, Error> {
        let mut env = Vec::new();
        let upstream = overridden(&self.spec_env, &mut env);
        let from_upstream = upstream.is_some();
        let spec = upstream.unwrap_or_else(|| self.spec.clone());
        let overlay = overridden(&self.overlay_env, &mut env).or_else(|| self.overlay.clone());
        let patches = match overridden(&self.patches_env, &mut env) {
            Some(p) if p.as_os_str() == "none" => None,
            Some(p) => Some(p),
            None if from_upstream => self
                .upstream_patches
                .clone()
                .or_else(|| self.patches.clone()),
            None => self.patches.clone(),
        };
        let all_operations = self.all_operations
            || self.all_operations_env.as_ref().is_some_and(|var| {
                env.push(var.clone());
                std::env::var(var).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
            });
        let spec_name = spec.display().to_string();
        let mut files = Vec::new();
        let (parsed, patched) = match patches {
            Some(path) => {
                let name = path.display().to_string();
                let patches = Patches::parse(&name, &read(&path)?)?;
                let mut doc = Spec::parse(&spec_name, &read(&spec)?)?;
                let applied = patches.apply(&mut doc.doc)?;
                files.push(path);
                (doc, Some(applied))
            }
            None => (Spec::parse(&spec_name, &read(&spec)?)?, None),
        };
        files.insert(0, spec);
        let overlay = match overlay {
            Some(path) => {
                let name = path.display().to_string();
                let parsed = Overlay::parse(&name, &read(&path)?)?;
                files.push(path);
                parsed
            }
            None => Overlay::default(),
        };
        let settings = Settings {
            overlay,
            strict: self.strict,
            jobs: self.jobs,
            all_operations,
        };
        let output = generate(&parsed, &settings)?;
        Ok(Generated {
            output,
            files,
            env,
            patched,
        })
    }
}

/// The path in `var`, if one is named and set; the variable is recorded as consulted.
fn overridden(var: &Option<String>, consulted: &mut Vec<String>) -> Option<PathBuf> {
    let var = var.as_ref()?;
    consulted.push(var.clone());
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::new(&path.display().to_string(), "", format!("cannot read: {e}")))
}

impl Generated {
    /// Writes the code to `path`, unless the file already holds exactly these bytes (so its
    /// modification time, and cargo's rebuild of what includes it, move only on a change).
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn write_to(&self, path: &Path) -> Result<(), Error> {
        write_if_changed(path, self.output.code.as_bytes()).map_err(|e| {
            Error::new(
                &path.display().to_string(),
                "",
                format!("cannot write: {e}"),
            )
        })
    }

    /// Writes the code to `$OUT_DIR/{file_name}` (see [`write_to`](Generated::write_to)) and
    /// returns that path.
    ///
    /// # Errors
    ///
    /// `OUT_DIR` is not set (not run by cargo as a build script), or the file cannot be written.
    pub fn write_to_out_dir(&self, file_name: &str) -> Result<PathBuf, Error> {
        let dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| Error::new("", "", "OUT_DIR is not set: run from a build script"))?;
        let path = PathBuf::from(dir).join(file_name);
        self.write_to(&path)?;
        Ok(path)
    }

    /// The cargo directives of this generation: rerun when a file read or an environment
    /// variable consulted changes, and warnings: something simplified, harmless defects of the
    /// document (the first few by pointer), selected operations the document lacks, operations
    /// of the same families left out, patches that matched nothing.
    pub fn cargo_directives(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .files
            .iter()
            .map(|f| format!("cargo:rerun-if-changed={}", f.display()))
            .collect();
        lines.extend(
            self.env
                .iter()
                .map(|v| format!("cargo:rerun-if-env-changed={v}")),
        );
        if !self.output.degraded.is_empty() {
            lines.push(format!(
                "cargo:warning=cloudflare-mtls: {} construct(s) simplified: degraded to serde_json::Value, a path parameter to a string or left out (see the docs of the affected items)",
                self.output.degraded.len()
            ));
        }
        lines.extend(
            self.warnings()
                .into_iter()
                .map(|w| format!("cargo:warning={w}")),
        );
        lines
    }

    /// The warnings of [`cargo_directives`](Generated::cargo_directives) after the first one
    /// (simplifications), one line each, prefixed `cloudflare-mtls: `.
    pub fn warnings(&self) -> Vec<String> {
        const SHOWN: usize = 5;
        let mut lines = Vec::new();
        let w = &self.output.warnings;
        if !w.is_empty() {
            lines.push(format!(
                "cloudflare-mtls: {} harmless defect(s) in what the document generates from (the code is as if they were fixed){}",
                w.len(),
                if w.len() > SHOWN { format!("; the first {SHOWN}:") } else { ":".to_string() }
            ));
            lines.extend(
                w.iter()
                    .take(SHOWN)
                    .map(|e| format!("cloudflare-mtls:   {e}")),
            );
        }
        let plan = &self.output.plan;
        if !plan.missing.is_empty() {
            lines.push(format!(
                "cloudflare-mtls: {} operation(s) of the overlay's [selection] not in the document, not generated: {}",
                plan.missing.len(),
                plan.missing.join(", ")
            ));
        }
        if !plan.left_out.is_empty() {
            lines.push(format!(
                "cloudflare-mtls: {} operation(s) of the same families as the selected ones left out (not in the overlay's [selection]; listed by the upstream-report and api-diff examples)",
                plan.left_out.len()
            ));
        }
        for action in self.patched.iter().flat_map(|p| &p.unmatched) {
            lines.push(format!(
                "cloudflare-mtls: patch matches nothing (fixed upstream? then drop it): {action}"
            ));
        }
        lines
    }

    /// Prints [`cargo_directives`](Generated::cargo_directives) for cargo to read.
    pub fn print_cargo_directives(&self) {
        for line in self.cargo_directives() {
            println!("{line}");
        }
    }
}

/// Writes `bytes` to `path` unless it already holds exactly them.
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str =
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#;

    fn dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "cfmtls-build-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    }

    #[test]
    fn inputs_are_explicit_and_reported() {
        let d = dir();
        let spec = d.join("a.json");
        std::fs::write(&spec, SPEC).expect("write");
        let g = Builder::new(&spec)
            .spec_env("CFMTLS_TEST_UNSET_SPEC_VAR")
            .generate()
            .expect("generates");
        assert_eq!(g.files, vec![spec.clone()]);
        assert_eq!(g.env, vec!["CFMTLS_TEST_UNSET_SPEC_VAR".to_string()]);
        let directives = g.cargo_directives();
        assert!(directives.contains(&format!("cargo:rerun-if-changed={}", spec.display())));
        assert!(directives
            .contains(&"cargo:rerun-if-env-changed=CFMTLS_TEST_UNSET_SPEC_VAR".to_string()));
        let out = d.join("out.rs");
        g.write_to(&out).expect("write");
        assert_eq!(std::fs::read_to_string(&out).expect("read"), g.output.code);
    }

    #[test]
    fn patches_apply_always_upstream_patches_only_to_an_override_and_unmatched_ones_warn() {
        let d = dir();
        let spec = d.join("p.json");
        std::fs::write(&spec, SPEC).expect("write");
        let patches = d.join("patches.json");
        let doc = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.info", "description": "retitled", "update": {"title": "u"}},
            {"target": "$.paths['/gone']", "description": "fixed upstream", "remove": true}]}"#;
        std::fs::write(&patches, doc).expect("write");
        let g = Builder::new(&spec)
            .upstream_patches(&patches)
            .generate()
            .expect("generates");
        assert!(
            g.patched.is_none(),
            "upstream patches apply only to the spec_env override"
        );
        assert_eq!(g.files, vec![spec.clone()]);
        let g = Builder::new(&spec)
            .patches(&patches)
            .patches_env("CFMTLS_TEST_UNSET_PATCHES_VAR")
            .generate()
            .expect("generates");
        let applied = g.patched.as_ref().expect("patched");
        assert_eq!(applied.matched, [1, 0]);
        assert_eq!(g.files, vec![spec.clone(), patches.clone()]);
        assert!(g.env.contains(&"CFMTLS_TEST_UNSET_PATCHES_VAR".to_string()));
        let warnings = g.cargo_directives();
        assert!(
            warnings.iter().any(|w| w.starts_with("cargo:warning=")
                && w.contains("patch matches nothing")
                && w.contains("fixed upstream")),
            "{warnings:?}"
        );
    }

    #[test]
    fn the_selection_reports_missing_operations() {
        let d = dir();
        let spec = d.join("s.json");
        std::fs::write(&spec, SPEC).expect("write");
        let overlay = d.join("s.toml");
        std::fs::write(&overlay, "[selection]\noperations = [\"not-there\"]\n").expect("write");
        let g = Builder::new(&spec)
            .overlay(&overlay)
            .generate()
            .expect("generates");
        assert_eq!(g.output.plan.missing, ["not-there"]);
        assert!(g.warnings().iter().any(|w| w.contains("not-there")));
    }

    #[test]
    fn a_missing_input_is_an_error_naming_the_file() {
        let d = dir();
        let e = Builder::new(d.join("missing.json"))
            .generate()
            .expect_err("no spec");
        assert!(e.file.ends_with("missing.json"), "{e}");
        let spec = d.join("b.json");
        std::fs::write(&spec, SPEC).expect("write");
        let e = Builder::new(&spec)
            .overlay(d.join("missing.toml"))
            .generate()
            .expect_err("no overlay");
        assert!(e.file.ends_with("missing.toml"), "{e}");
    }
}
