//! The generator's tests, one binary: one module per topic, the helpers they share in modules of
//! their own. Select a topic with a filter: `cargo test -p cloudflare-mtls-codegen --test suite --
//! mutations::`.

mod common;
mod renaming;

mod api_diff;
mod errors;
mod load_defects;
mod mutations;
mod snapshots;
mod twins;
mod upstream_renames;
mod upstream_surface;
mod width;
