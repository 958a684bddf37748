//! `surface::diff`, one small pair of documents per kind of change: what it reports and whether
//! it calls it breaking.

use crate::renaming::rename_components;
use cloudflare_mtls_codegen::surface::{diff, surface, Change, ChangeKind, ItemKind};
use cloudflare_mtls_codegen::{Settings, Spec};
use serde_json::{json, Value};

/// A document with one `GET /things/{thing_id}` returning `Thing`, one `POST /things` taking
/// `NewThing`, and the given schemas (merged over the defaults).
fn doc(extra_paths: Value, schemas: Value) -> Value {
    let mut base = json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1" },
        "paths": {
            "/things/{thing_id}": { "get": {
                "operationId": "get-thing",
                "parameters": [{ "name": "thing_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "ok", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Thing" } } } } }
            } },
            "/things": { "post": {
                "operationId": "create-thing",
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewThing" } } } },
                "responses": { "200": { "description": "ok", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Thing" } } } } }
            } }
        },
        "components": { "schemas": {
            "Thing": { "type": "object", "properties": {
                "id": { "type": "string" },
                "status": { "$ref": "#/components/schemas/Status" }
            } },
            "NewThing": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } },
            "Status": { "type": "string", "enum": ["active", "revoked"] }
        } }
    });
    for (k, v) in extra_paths.as_object().into_iter().flatten() {
        base["paths"][k] = v.clone();
    }
    for (k, v) in schemas.as_object().into_iter().flatten() {
        base["components"]["schemas"][k] = v.clone();
    }
    base
}

fn changes(old: Value, new: Value) -> Vec<Change> {
    let api = |v: Value| {
        let spec = Spec::from_value("t.json", v).expect("a document");
        surface(&spec, &Settings::default()).expect("generates")
    };
    diff(&api(old), &api(new))
}

/// `doc` with components renamed (`(old, new)`), as upstream does: every `$ref` follows.
fn renamed(doc: &Value, names: &[(&str, &str)]) -> Value {
    let mut doc = doc.clone();
    let names = names
        .iter()
        .map(|(old, new)| (old.to_string(), new.to_string()))
        .collect();
    rename_components(&mut doc, &names);
    doc
}

fn only(changes: &[Change]) -> &Change {
    assert_eq!(changes.len(), 1, "{changes:#?}");
    &changes[0]
}

#[test]
fn the_same_document_changes_nothing() {
    assert!(changes(doc(json!({}), json!({})), doc(json!({}), json!({}))).is_empty());
}

#[test]
fn an_added_method_is_additive_a_removed_one_breaking() {
    let more = json!({ "/things/{thing_id}/children": { "get": {
        "parameters": [{ "name": "thing_id", "in": "path", "required": true, "schema": { "type": "string" } }],
        "responses": { "200": { "description": "ok", "content": { "application/json": {
            "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } } } } } }
    } } });
    let added = changes(doc(json!({}), json!({})), doc(more.clone(), json!({})));
    let c = added
        .iter()
        .find(|c| c.item == ItemKind::Method)
        .expect("a method");
    assert_eq!(c.change, ChangeKind::Added);
    assert!(!c.breaking, "{c}");
    assert!(added.iter().all(|c| !c.breaking), "{added:#?}");
    let removed = changes(doc(more, json!({})), doc(json!({}), json!({})));
    assert!(removed
        .iter()
        .any(|c| c.item == ItemKind::Method && c.change == ChangeKind::Removed && c.breaking));
}

#[test]
fn a_changed_argument_type_is_breaking() {
    let mut new = doc(json!({}), json!({}));
    new["paths"]["/things/{thing_id}"]["get"]["parameters"][0]["schema"] =
        json!({ "type": "integer" });
    let c = only(&changes(doc(json!({}), json!({})), new)).clone();
    assert_eq!((c.change, c.item), (ChangeKind::Changed, ItemKind::Method));
    assert!(c.breaking);
    assert!(
        c.new
            .as_deref()
            .is_some_and(|s| s.contains("thing_id: i64")),
        "{c}"
    );
}

#[test]
fn fields_added_removed_and_made_required() {
    let with = |props: Value, required: Value| {
        doc(
            json!({}),
            json!({ "NewThing": { "type": "object", "required": required, "properties": props } }),
        )
    };
    let base = with(json!({ "name": { "type": "string" } }), json!(["name"]));
    // An optional field of a request type: additive (the struct is non-exhaustive; its setter is
    // new, `new` is unchanged).
    let added = changes(
        base.clone(),
        with(
            json!({ "name": { "type": "string" }, "note": { "type": "string" } }),
            json!(["name"]),
        ),
    );
    let c = only(&added);
    assert_eq!(
        (c.change, c.item, c.path.as_str()),
        (ChangeKind::Added, ItemKind::Field, "NewThing.note")
    );
    assert!(!c.breaking, "{c}");
    // A required one: breaking (`new` takes it).
    let added = changes(
        base.clone(),
        with(
            json!({ "name": { "type": "string" }, "note": { "type": "string" } }),
            json!(["name", "note"]),
        ),
    );
    assert!(only(&added).breaking);
    // Any new field of a response type: additive.
    let response_field = changes(
        doc(json!({}), json!({})),
        doc(
            json!({}),
            json!({ "Thing": { "type": "object", "required": ["id", "size"], "properties": {
                "id": { "type": "string" }, "size": { "type": "integer" },
                "status": { "$ref": "#/components/schemas/Status" } } } }),
        ),
    );
    assert!(
        response_field
            .iter()
            .any(|c| c.path == "Thing.size" && c.change == ChangeKind::Added && !c.breaking),
        "{response_field:#?}"
    );
    let removed = changes(
        base.clone(),
        with(json!({ "other": { "type": "string" } }), json!([])),
    );
    assert!(removed
        .iter()
        .any(|c| c.change == ChangeKind::Removed && c.path == "NewThing.name" && c.breaking));
    let optional = changes(
        base,
        with(json!({ "name": { "type": "string" } }), json!([])),
    );
    let c = only(&optional);
    assert_eq!(c.change, ChangeKind::Changed);
    assert_eq!(c.old.as_deref(), Some("name: String"));
    assert_eq!(c.new.as_deref(), Some("name: Option<String>"));
}

#[test]
fn enum_variants_added_and_removed_are_breaking() {
    let status = |values: Value| {
        doc(
            json!({}),
            json!({ "Status": { "type": "string", "enum": values } }),
        )
    };
    let added = changes(
        status(json!(["active", "revoked"])),
        status(json!(["active", "revoked", "expired"])),
    );
    let c = only(&added);
    assert_eq!(
        (c.change, c.item, c.path.as_str()),
        (ChangeKind::Added, ItemKind::Variant, "Status::Expired")
    );
    assert!(c.breaking, "an exhaustive match breaks");
    let removed = changes(
        status(json!(["active", "revoked"])),
        status(json!(["active"])),
    );
    assert!(only(&removed).breaking);
}

#[test]
fn a_renamed_type_is_reported_once_as_renamed() {
    let old = doc(json!({}), json!({}));
    let new = renamed(&old, &[("Thing", "Item")]);
    let all = changes(old, new);
    let renames: Vec<&Change> = all
        .iter()
        .filter(|c| c.change == ChangeKind::Renamed)
        .collect();
    assert_eq!(renames.len(), 1, "{all:#?}");
    assert_eq!(renames[0].old.as_deref(), Some("Thing"));
    assert_eq!(renames[0].new.as_deref(), Some("Item"));
    assert!(renames[0].breaking);
    // Its fields are not listed again; the methods that name it changed.
    assert!(all.iter().all(|c| c.item != ItemKind::Field), "{all:#?}");
    assert!(all
        .iter()
        .any(|c| c.item == ItemKind::Method && c.change == ChangeKind::Changed));
}

#[test]
fn a_new_type_with_its_fields_is_additive() {
    let more = json!({ "/labels": { "get": {
        "responses": { "200": { "description": "ok", "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/Label" } } } } }
    } } });
    let new = doc(
        more,
        json!({ "Label": { "type": "object", "properties": { "text": { "type": "string" } } } }),
    );
    let all = changes(doc(json!({}), json!({})), new);
    assert!(
        all.iter()
            .any(|c| c.item == ItemKind::Type && c.path == "Label"),
        "{all:#?}"
    );
    assert!(all
        .iter()
        .any(|c| c.item == ItemKind::Field && c.path == "Label.text"));
    assert!(all.iter().all(|c| !c.breaking), "{all:#?}");
}

/// Names anchored to operations: with `result`/`body` names in the overlay, a document whose
/// components upstream renamed generates the same API.
#[test]
fn overlay_names_by_operation_survive_renamed_components() {
    use cloudflare_mtls_codegen::Overlay;
    let overlay = Overlay::parse(
        "overlay.toml",
        r#"[operations]
"get-thing" = { method = "things.get", result = "Thing" }
"create-thing" = { method = "things.create", body = "NewThing", result = "Thing" }
"#,
    )
    .expect("overlay");
    let settings = Settings {
        overlay,
        ..Settings::default()
    };
    let old = doc(json!({}), json!({}));
    let new = renamed(
        &old,
        &[
            ("Thing", "things_schemas-thing_v2"),
            ("NewThing", "things_create_body"),
        ],
    );
    let api = |v: Value| {
        let spec = Spec::from_value("t.json", v).expect("a document");
        surface(&spec, &settings).expect("generates")
    };
    let all = diff(&api(old), &api(new));
    assert!(all.is_empty(), "{all:#?}");
}

/// `[fields]` names nested types by where they are, so they survive upstream renaming the
/// component behind the field; a component that already holds the name gives it up.
#[test]
fn overlay_names_by_field_survive_renamed_components() {
    use cloudflare_mtls_codegen::Overlay;
    let overlay = Overlay::parse(
        "overlay.toml",
        r#"[operations]
"get-thing" = { method = "things.get", result = "Thing", path_params = ["thing_id"] }
"create-thing" = { method = "things.create", body = "NewThing", result = "Thing" }

[fields]
"Thing.status" = "ThingStatus"
"Thing.owner" = "Owner"
"Owner.role" = "OwnerRole"
"#,
    )
    .expect("overlay");
    let settings = Settings {
        overlay,
        ..Settings::default()
    };
    let owner = json!({ "type": "object", "properties": {
        "role": { "$ref": "#/components/schemas/Role" } } });
    let schemas = |status: &str, owner_name: &str, role: &str| {
        let mut s = json!({
            "Thing": { "type": "object", "properties": {
                "id": { "type": "string" },
                "status": { "$ref": format!("#/components/schemas/{status}") },
                "owner": { "$ref": format!("#/components/schemas/{owner_name}") }
            } },
            "Status": null
        });
        s[status] = json!({ "type": "string", "enum": ["active", "revoked"] });
        s[owner_name] = owner.clone();
        s[owner_name]["properties"]["role"]["$ref"] = json!(format!("#/components/schemas/{role}"));
        s[role] = json!({ "type": "string", "enum": ["admin", "member"] });
        if status != "Status" {
            s.as_object_mut().expect("object").remove("Status");
        }
        s
    };
    let api = |v: Value| {
        let spec = Spec::from_value("t.json", v).expect("a document");
        surface(&spec, &settings).expect("generates")
    };
    let old = api(doc(json!({}), schemas("Status", "Owner", "Role")));
    // Upstream renames every component; one of the new names is what `Thing.owner` wants.
    let new = api(doc(
        json!({}),
        schemas("wSCoYRMW_status", "OwnerRole", "people_schemas-role"),
    ));
    for name in ["ThingStatus", "Owner", "OwnerRole"] {
        assert!(
            old.items.contains_key(&(ItemKind::Type, name.to_string())),
            "{name}: {old:#?}"
        );
    }
    let all = diff(&old, &new);
    assert!(all.is_empty(), "{all:#?}");
}

/// `path_params` names the arguments by position; a list that no longer fits the path is
/// ignored (the regular names are used) and reported.
#[test]
fn overlay_path_params_name_arguments_and_a_stale_list_is_reported() {
    use cloudflare_mtls_codegen::{generate, Overlay};
    let overlay = |list: &str| {
        Overlay::parse(
            "overlay.toml",
            &format!("[operations]\n\"get-thing\" = {{ method = \"things.get\", path_params = [{list}] }}\n"),
        )
        .expect("overlay")
    };
    let mut upstream = doc(json!({}), json!({}));
    let item = upstream["paths"]
        .as_object_mut()
        .expect("paths")
        .shift_remove("/things/{thing_id}")
        .expect("item");
    upstream["paths"]["/things/{identifier}"] = item;
    upstream["paths"]["/things/{identifier}"]["get"]["parameters"][0]["name"] = json!("identifier");
    let methods = |o: Overlay| {
        let settings = Settings {
            overlay: o,
            ..Settings::default()
        };
        let spec = Spec::from_value("t.json", upstream.clone()).expect("a document");
        let api = surface(&spec, &settings).expect("generates");
        let out = generate(&spec, &settings).expect("generates");
        (
            api.items[&(ItemKind::Method, "things.get".to_string())].clone(),
            out,
        )
    };
    let (sig, _) = methods(overlay("\"key\""));
    assert!(sig.starts_with("fn get(key: &str)"), "{sig}");
    // Without a list: a bare `{identifier}` is named after its collection.
    let (sig, _) = methods(Overlay::default());
    assert!(sig.starts_with("fn get(thing_id: &str)"), "{sig}");
    let (sig, out) = methods(overlay("\"a\", \"b\""));
    assert!(sig.starts_with("fn get(thing_id: &str)"), "{sig}");
    assert!(
        out.degraded
            .iter()
            .any(|d| d.contains("path parameter names do not fit")),
        "{:?}",
        out.degraded
    );
}

/// Inline types are named after the type they are in; when an operation names that type, they
/// follow, so no component name (or random token in it) reaches them.
#[test]
fn inline_types_follow_the_name_the_operation_gives() {
    use cloudflare_mtls_codegen::Overlay;
    let overlay = Overlay::parse(
        "overlay.toml",
        "[operations]\n\"get-thing\" = { method = \"things.get\", result = \"Thing\" }\n",
    )
    .expect("overlay");
    let settings = Settings {
        overlay,
        ..Settings::default()
    };
    let thing = |component: &str| {
        let mut d = doc(json!({}), json!({}));
        d["components"]["schemas"][component] = json!({ "type": "object", "properties": {
            "state": { "type": "string", "enum": ["on", "off"] },
            "parts": { "type": "array", "items": { "type": "object", "properties": {
                "kind": { "type": "string", "enum": ["a", "b"] } } } }
        } });
        d["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["$ref"] =
            json!(format!("#/components/schemas/{component}"));
        d
    };
    let api = |v: Value| {
        let spec = Spec::from_value("t.json", v).expect("a document");
        surface(&spec, &settings).expect("generates")
    };
    let (old, new) = (api(thing("Widget")), api(thing("wSCoYRMW_gadget_IXr7Vewy")));
    for name in ["ThingState", "ThingPartsItem", "ThingPartsItemKind"] {
        assert!(
            old.items.contains_key(&(ItemKind::Type, name.to_string())),
            "{name}: {:#?}",
            old.items.keys().collect::<Vec<_>>()
        );
    }
    let all = diff(&old, &new);
    assert!(all.is_empty(), "{all:#?}");
}
