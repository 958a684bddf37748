//! Account/zone twins merge into one method taking a `Scope` whenever their Rust types would be
//! equal: another component name, a description, an example, enum order, or a schema without
//! `type` beside `type: string` does not stop a merge. Real differences do.

use cloudflare_mtls_codegen::surface::{surface, ItemKind};
use cloudflare_mtls_codegen::{Settings, Spec};
use serde_json::{json, Value};

/// `GET /{accounts|zones}/{id}/things/{thing_id}` returning `account` / `zone`.
fn twins(account: Value, zone: Value) -> Value {
    let op = |scope: &str, id: &str, schema: &str| {
        json!({ "get": {
            "operationId": format!("{scope}-get-thing"),
            "parameters": [
                { "name": id, "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "thing_id", "in": "path", "required": true, "schema": { "type": "string" } }
            ],
            "responses": { "200": { "description": "ok", "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } }
        } })
    };
    json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1" },
        "paths": {
            "/accounts/{account_id}/things/{thing_id}": op("account", "account_id", "account_thing"),
            "/zones/{zone_id}/things/{thing_id}": op("zone", "zone_id", "zone_schemas-thing")
        },
        "components": { "schemas": { "account_thing": account, "zone_schemas-thing": zone } }
    })
}

/// The signatures of the methods, or the names of the types.
fn items(doc: Value, kind: ItemKind) -> Vec<String> {
    let spec = Spec::from_value("t.json", doc).expect("a document");
    let api = surface(&spec, &Settings::default()).expect("generates");
    api.items
        .iter()
        .filter(|((k, _), _)| *k == kind)
        .map(|((_, path), sig)| {
            if kind == ItemKind::Type {
                path.clone()
            } else {
                sig.clone()
            }
        })
        .collect()
}

fn methods(doc: Value) -> Vec<String> {
    items(doc, ItemKind::Method)
}

fn thing(id: Value, status: Value) -> Value {
    json!({ "type": "object", "properties": { "id": id, "status": { "type": "string", "enum": status } } })
}

#[test]
fn twins_equal_as_rust_types_merge() {
    let account = thing(
        json!({ "type": "string", "description": "The id." }),
        json!(["active", "revoked"]),
    );
    let zone = thing(
        json!({ "description": "Another text", "example": "abc" }),
        json!(["revoked", "active"]),
    );
    let doc = twins(account, zone);
    let got = methods(doc.clone());
    assert_eq!(
        got,
        ["fn get(scope: Scope, thing_id: &str) -> AccountThing"],
        "one method, the account twin's types"
    );
    // The zone twin's types, unused once merged, are not generated.
    let types = items(doc, ItemKind::Type);
    assert!(types.iter().all(|t| !t.contains("Zone")), "{types:?}");
}

#[test]
fn twins_that_really_differ_stay_apart() {
    let account = thing(json!({ "type": "string" }), json!(["active"]));
    let zone = thing(json!({ "type": "integer" }), json!(["active"]));
    let got = methods(twins(account, zone));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.iter()
            .any(|m| m.starts_with("fn get_zone(zone_id: &str")),
        "{got:?}"
    );
}
