//! Snapshots of the emitted code: the vendored spec, and one small fixture per construct.
//! Review changes with `cargo insta review`; that the snapshot code compiles is checked by
//! `tests/suite/fixtures_compile.rs` in the root package.

use crate::common::{self, fixture, generate_file, read, vendored_overlay};
use cloudflare_mtls_codegen::{generate, Overlay, Settings, Spec};

/// Asserts `code` against `codegen/tests/snapshots/snapshots__NAME.snap`: the names the snapshots
/// had when these tests were a binary of their own, which insta would otherwise prefix with this
/// module's path (`suite__snapshots__`) and look for beside `suite/`.
fn assert_snapshot(name: &str, code: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("snapshots__{name}"), code));
}

/// The code fixture `name` generates.
fn fixture_code(name: &str) -> String {
    generate_file(&fixture(name), Overlay::default())
}

#[test]
fn vendored_spec() {
    let code = generate_file(&common::vendored_spec(), vendored_overlay());
    assert_snapshot("vendored_spec", code);
}

#[test]
fn the_number_of_threads_does_not_change_the_output() {
    let spec = Spec::parse("cloudflare-mtls.json", &read(&common::vendored_spec())).expect("spec");
    let with = |jobs| {
        generate(
            &spec,
            &Settings {
                jobs,
                ..Settings::default()
            },
        )
        .expect("generates")
        .code
    };
    let one = with(1);
    // Up to more threads than there are types or resources.
    for jobs in [2, 3, 7, 64] {
        assert!(one == with(jobs), "{jobs} threads gave other bytes");
    }
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            assert_snapshot(stringify!($name), fixture_code(stringify!($name)));
        }
    )*};
}

fixtures!(
    allof_merge,
    anyof_placeholder,
    discriminator,
    enums,
    keywords,
    no_envelope,
    nullable,
    pagination,
    read_only,
    real_union,
    refs_and_params,
    std_names,
);

#[test]
fn output_is_deterministic() {
    for name in ["allof_merge", "keywords", "no_envelope"] {
        assert_eq!(fixture_code(name), fixture_code(name), "{name}");
    }
}

#[test]
fn starts_with_generated_header() {
    assert!(fixture_code("enums").starts_with("// @generated"));
}
