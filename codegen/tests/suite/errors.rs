//! Bad input fails with one error naming the file and the JSON pointer; it never panics.

use cloudflare_mtls_codegen::{generate, Error, Overlay, Settings, Spec};

fn run(text: &str) -> Result<String, Error> {
    let spec = Spec::parse("bad.json", text)?;
    let settings = Settings {
        strict: true,
        ..Settings::default()
    };
    generate(&spec, &settings).map(|o| o.code)
}

fn with_schemas(paths: &str, schemas: &str) -> String {
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{paths},"components":{{"schemas":{schemas}}}}}"#
    )
}

/// Asserts that `e` reports a cycle, at a pointer under `under`.
fn assert_cycle(e: &Error, under: &str) {
    assert!(e.message.contains("cycle"), "{e}");
    assert!(e.pointer.starts_with(under), "{e}");
}

const GET_A: &str = r##"{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}}}}"##;

#[test]
fn invalid_json() {
    let e = run("{\"openapi\": ").unwrap_err();
    assert_eq!(e.file, "bad.json");
    assert!(e.message.contains("not valid JSON"), "{e}");
}

#[test]
fn dangling_ref_names_the_ref() {
    let e = run(&with_schemas(
        GET_A,
        r##"{"A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/Missing"}}}}"##,
    ))
    .unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/A/properties/b/$ref", "{e}");
    assert!(e.message.contains("does not resolve"), "{e}");
    assert_eq!(
        e.to_string(),
        "bad.json#/components/schemas/A/properties/b/$ref: reference `#/components/schemas/Missing` does not resolve"
    );
}

#[test]
fn ref_cycle_without_indirection() {
    let e = run(&with_schemas(
        GET_A,
        r##"{"A":{"allOf":[{"$ref":"#/components/schemas/B"},{"properties":{"x":{"type":"string"}}}]},
            "B":{"allOf":[{"$ref":"#/components/schemas/A"},{"properties":{"y":{"type":"string"}}}]}}"##,
    ))
    .unwrap_err();
    assert_cycle(&e, "/components/schemas/");
}

#[test]
fn allof_conflict_names_both_pointers() {
    let e = run(&with_schemas(
        GET_A,
        r##"{"A":{"allOf":[{"properties":{"x":{"type":"string"}}},{"properties":{"x":{"type":"integer"}}}]}}"##,
    ))
    .unwrap_err();
    assert_eq!(
        e.pointer, "/components/schemas/A/allOf/1/properties/x",
        "{e}"
    );
    assert!(
        e.message
            .contains("#/components/schemas/A/allOf/0/properties/x"),
        "{e}"
    );
}

#[test]
fn allof_conflict_degrades_when_not_strict() {
    let text = with_schemas(
        GET_A,
        r##"{"A":{"allOf":[{"properties":{"x":{"type":"string"}}},{"properties":{"x":{"type":"integer"}}}]}}"##,
    );
    let spec = Spec::parse("bad.json", &text).unwrap();
    let out = generate(&spec, &Settings::default()).unwrap();
    assert_eq!(out.degraded.len(), 1, "{:?}", out.degraded);
    assert!(
        out.code.contains("pub x: Option<::serde_json::Value>"),
        "{}",
        out.code
    );
    assert!(
        out.code
            .contains("Untyped: the specification's allOf members disagree"),
        "{}",
        out.code
    );
}

#[test]
fn wrong_type_where_a_schema_should_be() {
    let e = run(&with_schemas(
        GET_A,
        r##"{"A":{"type":"object","properties":{"b":7}}}"##,
    ))
    .unwrap_err();
    assert!(e.pointer.starts_with("/components/schemas/A"), "{e}");
}

#[test]
fn unsupported_version() {
    let e = run(r#"{"openapi":"2.0","info":{"title":"t","version":"1"},"paths":{}}"#).unwrap_err();
    assert_eq!(e.pointer, "/openapi");
}

#[test]
fn bad_overlay_entry() {
    let e = Overlay::parse("overlay.toml", "[operations]\n\"x\" = \"NotAPath\"\n").unwrap_err();
    assert_eq!(e.pointer, "/operations/x");
    let e = Overlay::parse("overlay.toml", "[operations\n").unwrap_err();
    assert!(e.message.contains("line 1"), "{e}");
    for (text, pointer) in [
        ("[fields]\n\"Thing\" = \"Status\"\n", "/fields/Thing"),
        (
            "[fields]\n\"thing.status\" = \"Status\"\n",
            "/fields/thing.status",
        ),
        ("[fields]\n\"Thing.\" = \"Status\"\n", "/fields/Thing."),
        (
            "[fields]\n\"Thing.status\" = \"status\"\n",
            "/fields/Thing.status",
        ),
        (
            "[operations]\n\"x\" = { method = \"a.get\", path_params = [\"type\"] }\n",
            "/operations/x",
        ),
        (
            "[operations]\n\"x\" = { method = \"a.get\", path_params = [\"Zone Id\"] }\n",
            "/operations/x",
        ),
        (
            "[operations]\n\"x\" = { method = \"a.get\", result = \"not a type\" }\n",
            "/operations/x",
        ),
    ] {
        let e = Overlay::parse("overlay.toml", text).unwrap_err();
        assert_eq!(e.pointer, pointer, "{text}: {e}");
    }
}

/// A `$ref` whose `%` is followed by a multi-byte character, or whose percent-decoding is not
/// UTF-8: an error at the `$ref`, never a panic.
#[test]
fn odd_percent_encoding_in_a_ref() {
    for (target, says) in [
        ("#/components/schemas/x%é", "does not resolve"),
        ("#/components/schemas/%é%", "does not resolve"),
        ("#/components/schemas/%FF", "not UTF-8"),
    ] {
        let schemas =
            format!(r#"{{"A":{{"type":"object","properties":{{"b":{{"$ref":"{target}"}}}}}}}}"#);
        let e = run(&with_schemas(GET_A, &schemas)).unwrap_err();
        assert_eq!(
            e.pointer, "/components/schemas/A/properties/b/$ref",
            "{target}: {e}"
        );
        assert!(e.message.contains(says), "{target}: {e}");
    }
}

/// A parameter, request body or response that refers to itself through other references: an
/// error naming the cycle, not a hang.
#[test]
fn ref_cycles_outside_schemas() {
    let spec = r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},
        "paths":{"/a/{id}":{"get":{"parameters":[{"$ref":"#/components/parameters/P"}],
          "responses":{"200":{"description":"ok"}}}}},
        "components":{"parameters":{"P":{"$ref":"#/components/parameters/Q"},
                                     "Q":{"$ref":"#/components/parameters/P"}}}}"##;
    assert_cycle(&run(spec).unwrap_err(), "/components/parameters/");
}

/// A `$ref` into a component (its properties, items, `allOf` members, `additionalProperties`),
/// with `~1`/`~0` escapes and percent-encoding, generates: the fixture `refs_and_params` has each
/// (its snapshot shows the types); here, the pointer of an error inside such a target.
#[test]
fn a_ref_into_a_component_is_followed() {
    let e = run(&with_schemas(
        GET_A,
        r##"{"A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B/properties/c"}}},
            "B":{"type":"object","properties":{"c":{"$ref":"#/components/schemas/Missing"}}}}"##,
    ))
    .unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/B/properties/c/$ref", "{e}");
    let ok = run(&with_schemas(
        GET_A,
        r##"{"A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B/properties/c"}}},
            "B":{"type":"object","properties":{"c":{"type":"integer"}}}}"##,
    ))
    .expect("generates");
    assert!(ok.contains("pub b: Option<i64>"), "{ok}");
}
