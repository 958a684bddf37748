//! `cfmtls`'s modules (`cli/src`) name each other without a circle: each can be read, and changed,
//! knowing only the ones it names.

use cloudflare_mtls_test_support::modules::{circles, module_graph};
use std::path::Path;

#[test]
fn cfmtls_has_no_import_circle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&dir, &["crate"]).expect("cli/src reads");
    // The graph is read, not empty: the commands use the client.
    assert!(graph["commands"].contains("client"), "{graph:#?}");
    assert_eq!(
        circles(&graph),
        Vec::new(),
        "import circles in cli/src: {graph:#?}"
    );
}
