//! Structs: one field per property (read-only ones left out of the request form), secrets marked,
//! docs with the generator's notes, `additionalProperties` as a map.

use super::Types;
use crate::error::Result;
use crate::ir::{Field, Ty, TypeKind};
use crate::naming::{camel, snake, unique};
use crate::resolve::schema::{Kind, Schema};
use std::collections::BTreeSet;

/// Field names whose values are secrets (never printed by `Debug`).
const SECRET_FIELDS: &[&str] = &[
    "private_key",
    "password",
    "secret",
    "client_secret",
    "api_key",
    "api_token",
    "token",
    "key_pem",
];

impl Types<'_> {
    /// The struct of the object schema `s`, its inline types named from `ctx`.
    pub(super) fn struct_kind(&mut self, s: &Schema, ctx: &str, request: bool) -> Result<TypeKind> {
        let Kind::Object(o) = &s.kind else {
            return Ok(TypeKind::Alias(Ty::Any));
        };
        let mut fields = Vec::new();
        let mut taken = BTreeSet::new();
        for (api_name, prop) in &o.properties {
            if request && prop.read_only {
                continue;
            }
            let required = o.required.contains(api_name);
            let mut field = self.field(api_name, prop, ctx, request, required)?;
            field.name = unique(std::mem::take(&mut field.name), &mut taken);
            fields.push(field);
        }
        if let Some(extra) = &o.additional {
            let value = self.ty(extra, &format!("{ctx}Value"), request)?;
            fields.push(Field {
                name: unique("additional_properties".to_string(), &mut taken),
                api_name: String::new(),
                ty: Ty::Map(Box::new(value)),
                optional: false,
                required: false,
                nullable: false,
                boxed: false,
                secret: false,
                doc: "Properties beyond the named ones.".to_string(),
            });
        }
        Ok(TypeKind::Struct(fields))
    }

    /// The description of the component `prop` refers to, if it is a reference with one.
    fn referred_description(&self, prop: &Schema) -> Option<&str> {
        match &prop.kind {
            Kind::Ref(name) => self
                .component_body(name, &prop.pointer)
                .ok()?
                .description
                .as_deref(),
            _ => None,
        }
    }

    /// The field for the property `api_name` (schema `prop`) of the struct named `ctx`.
    fn field(
        &mut self,
        api_name: &str,
        prop: &Schema,
        ctx: &str,
        request: bool,
        required: bool,
    ) -> Result<Field> {
        let ty = self.ty(prop, &format!("{ctx}{}", camel(api_name)), request)?;
        if matches!(ty, Ty::Any) && !matches!(prop.kind, Kind::Any | Kind::Null) {
            self.degraded
                .push(format!("{ctx}.{api_name}: untyped ({})", prop.pointer));
        }
        Ok(Field {
            name: snake(api_name),
            api_name: api_name.to_string(),
            ty,
            optional: !required || prop.nullable,
            required,
            nullable: prop.nullable,
            boxed: false,
            secret: is_secret(api_name, prop),
            doc: field_doc(api_name, prop, self.referred_description(prop), request),
        })
    }
}

/// Whether a property's value is a secret (never printed by `Debug`).
fn is_secret(api_name: &str, prop: &Schema) -> bool {
    SECRET_FIELDS.contains(&api_name)
        || api_name.ends_with("_secret")
        || api_name.ends_with("private_key")
        || prop.format.as_deref() == Some("password")
}

/// A field's doc: its description (else that of the component it refers to), then the
/// generator's notes.
fn field_doc(api_name: &str, prop: &Schema, referred: Option<&str>, request: bool) -> String {
    let description = prop.description.as_deref().or(referred);
    let mut doc = description.unwrap_or_default().to_string();
    // Read-only fields are received only; the note says something only where nothing else does.
    if prop.read_only && !request && doc.trim().is_empty() {
        doc = "Set by the server.".to_string();
    }
    if prop.deprecated {
        push_note(&mut doc, "Deprecated.");
    }
    if let Some(note) = &prop.note {
        push_note(&mut doc, note);
    }
    if doc.is_empty() {
        doc = format!("The `{api_name}` property.");
    }
    doc
}

fn push_note(doc: &mut String, note: &str) {
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(note);
}
