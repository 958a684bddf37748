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

use crate::{generate, Error, Output, Overlay, Settings, Spec};
use std::path::{Path, PathBuf};

/// What to generate from and how. Inputs are read only by [`generate`](Builder::generate).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    overlay: Option<PathBuf>,
    spec_env: Option<String>,
    overlay_env: Option<String>,
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
}

impl Builder {
    /// Generates from the OpenAPI document at `spec` (JSON), with no overlay.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            overlay: None,
            spec_env: None,
            overlay_env: None,
            strict: false,
            jobs: 0,
        }
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
        let spec = overridden(&self.spec_env, &mut env).unwrap_or_else(|| self.spec.clone());
        let overlay = overridden(&self.overlay_env, &mut env).or_else(|| self.overlay.clone());
        let spec_name = spec.display().to_string();
        let parsed = Spec::parse(&spec_name, &read(&spec)?)?;
        let mut files = vec![spec];
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
        };
        let output = generate(&parsed, &settings)?;
        Ok(Generated { output, files, env })
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
    /// variable consulted changes, and a warning when something was simplified.
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
