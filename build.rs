//! Generates the client from the vendored OpenAPI document into `OUT_DIR` (see `spec/README.md`).
//! Set `CLOUDFLARE_MTLS_SPEC` to generate from another OpenAPI file.

fn main() {
    cloudflare_mtls_codegen::build::run(
        "spec/cloudflare-mtls.json",
        "spec/overlay.toml",
        "cloudflare_mtls.rs",
    );
}
