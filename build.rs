//! Generates the client from the vendored OpenAPI document into `OUT_DIR` (see `spec/README.md`).
//! Set `CLOUDFLARE_MTLS_SPEC` (and `CLOUDFLARE_MTLS_OVERLAY`) to generate from other files; an
//! upstream document named by `CLOUDFLARE_MTLS_SPEC` is corrected by `spec/upstream-patches.json`
//! first (`CLOUDFLARE_MTLS_PATCHES` names other patches, `none` applies none).
//! `CLOUDFLARE_MTLS_ALL_OPERATIONS=1` generates every operation, not only the overlay's selection.

use cloudflare_mtls_codegen::build::Builder;

fn main() {
    // The parallelism cargo grants this build script.
    let jobs = std::env::var("NUM_JOBS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let generated = Builder::new("spec/cloudflare-mtls.json")
        .overlay("spec/overlay.toml")
        .upstream_patches("spec/upstream-patches.json")
        .spec_env("CLOUDFLARE_MTLS_SPEC")
        .overlay_env("CLOUDFLARE_MTLS_OVERLAY")
        .patches_env("CLOUDFLARE_MTLS_PATCHES")
        .all_operations_env("CLOUDFLARE_MTLS_ALL_OPERATIONS")
        .jobs(jobs)
        .generate()
        .and_then(|g| g.write_to_out_dir("cloudflare_mtls.rs").map(|_| g));
    match generated {
        Ok(g) => g.print_cargo_directives(),
        Err(e) => {
            // One line: the file, the JSON pointer of the node, what is wrong.
            eprintln!("error: cloudflare-mtls codegen: {e}");
            std::process::exit(1);
        }
    }
}
