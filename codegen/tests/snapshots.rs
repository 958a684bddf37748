//! Snapshots of the emitted code: the vendored spec, and one small fixture per construct.
//! Review changes with `cargo insta review`; that the snapshot code compiles is checked by
//! `tests/fixtures_compile.rs` in the root package.

use cloudflare_mtls_codegen::{generate, Overlay, Settings, Spec};
use std::path::Path;

fn generate_file(path: &Path, overlay: Overlay) -> String {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let spec = Spec::parse(&name, &text).unwrap_or_else(|e| panic!("{e}"));
    generate(
        &spec,
        &Settings {
            overlay,
            strict: true,
            ..Settings::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .code
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"));
    generate_file(&path, Overlay::default())
}

#[test]
fn vendored_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let overlay_text = std::fs::read_to_string(root.join("spec/overlay.toml")).unwrap();
    let overlay = Overlay::parse("overlay.toml", &overlay_text).unwrap();
    let code = generate_file(&root.join("spec/cloudflare-mtls.json"), overlay);
    insta::assert_snapshot!("vendored_spec", code);
}

#[test]
fn the_number_of_threads_does_not_change_the_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("spec/cloudflare-mtls.json")).unwrap();
    let spec = Spec::parse("cloudflare-mtls.json", &text).unwrap();
    let with = |jobs| {
        generate(
            &spec,
            &Settings {
                jobs,
                ..Settings::default()
            },
        )
        .unwrap()
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
            insta::assert_snapshot!(stringify!($name), fixture(stringify!($name)));
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
);

#[test]
fn output_is_deterministic() {
    for name in ["allof_merge", "keywords", "no_envelope"] {
        assert_eq!(fixture(name), fixture(name), "{name}");
    }
}

#[test]
fn starts_with_generated_header() {
    assert!(fixture("enums").starts_with("// @generated"));
}
