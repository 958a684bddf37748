//! The stand-in's modules (`src/testing`) name each other without a circle: each can be read, and
//! changed, knowing only the ones it names.

use cloudflare_mtls_test_support::modules::{circles, module_graph};
use std::path::Path;

#[test]
fn the_stand_in_has_no_import_circle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/testing");
    let graph = module_graph(&dir, &["crate", "testing"]).expect("src/testing reads");
    // The graph is read, not empty: the server uses what it shares with the admin API.
    assert!(graph["server"].contains("shared"), "{graph:#?}");
    assert_eq!(
        circles(&graph),
        Vec::new(),
        "import circles in src/testing: {graph:#?}"
    );
}
