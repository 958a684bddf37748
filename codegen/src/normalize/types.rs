//! Turns resolved schemas into named Rust types: components keep their (overlay or derived) names,
//! inline objects and enums are named from where they appear, identical shapes are shared.

use super::names::{self, camel, snake, unique};
use super::schema::{Discriminator, Kind, Resolver, Schema};
use crate::error::Result;
use crate::ir::{Field, Ty, TypeDef, TypeId, TypeKind};
use crate::overlay::Overlay;
use std::collections::{BTreeMap, BTreeSet};

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

/// Builds the type arena.
pub struct Types<'o> {
    overlay: &'o Overlay,
    /// Names of every component in the document (overlay or derived), computed up front so a
    /// component's name never depends on which others are used.
    component_names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    by_component: BTreeMap<(String, bool), TypeId>,
    by_shape: BTreeMap<String, TypeId>,
    /// Types the overlay names by operation or field (`name_by_operation`, `name_by_fields`).
    anchored: BTreeSet<TypeId>,
    /// Inline types, named from where they first appeared (`anonymous`).
    inline: BTreeSet<TypeId>,
    defs: Vec<TypeDef>,
    /// Lines for the degradation summary.
    pub degraded: Vec<String>,
}

impl<'o> Types<'o> {
    /// A builder for `component_list` (every component schema name of the document).
    pub fn new(overlay: &'o Overlay, component_list: &[String]) -> Self {
        let mut component_names = BTreeMap::new();
        let mut taken = BTreeSet::new();
        let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for c in component_list {
            match overlay.types.get(c) {
                Some(n) => {
                    component_names.insert(c.clone(), n.clone());
                    taken.insert(n.clone());
                }
                None => groups.entry(names::component_type(c)).or_default().push(c),
            }
        }
        for (short, mut members) in groups {
            // Alone: the short name. Colliding: the namespace is kept; a name without the
            // `components-schemas-` marker is preferred for the unsuffixed form.
            members.sort_by_key(|c| (c.contains("schemas-"), c.len(), (*c).clone()));
            let alone = members.len() == 1;
            for c in members {
                let base = if alone && !taken.contains(&short) {
                    short.clone()
                } else {
                    names::component_type_long(c)
                };
                component_names.insert(c.clone(), unique(base, &mut taken));
            }
        }
        Types {
            overlay,
            component_names,
            taken,
            by_component: BTreeMap::new(),
            by_shape: BTreeMap::new(),
            anchored: BTreeSet::new(),
            inline: BTreeSet::new(),
            defs: Vec::new(),
            degraded: Vec::new(),
        }
    }

    /// The finished arena.
    pub fn into_defs(self) -> (Vec<TypeDef>, Vec<String>) {
        (self.defs, self.degraded)
    }

    /// Reserves a unique type name derived from `wanted` (overlay `types` may rename derived names).
    pub fn reserve_name(&mut self, wanted: &str) -> String {
        let wanted = self
            .overlay
            .types
            .get(wanted)
            .cloned()
            .unwrap_or_else(|| wanted.to_string());
        unique(wanted, &mut self.taken)
    }

    /// Names the type `ty` is (when it is a named type) `wanted`, as an operation's overlay entry
    /// says: names anchored to operations, which upstream keeps, rather than to components, which
    /// it renames.
    pub fn name_by_operation(&mut self, ty: &Ty, wanted: &str) {
        if let Some(id) = innermost_named(ty) {
            self.anchor(id, wanted);
        }
    }

    /// Applies the overlay's `fields` names (`"Type.field" = "Name"`): the type of that field of
    /// the type now called `Type` (its items', for a list or map) is called `Name`. Run once every
    /// operation is typed and named; entries naming a type another entry names go in rounds, so
    /// `A.b` names `B` before `B.c` is looked up.
    pub fn name_by_fields(&mut self) {
        let mut pending: Vec<(&str, &str, &str)> = self
            .overlay
            .fields
            .iter()
            .filter_map(|(key, name)| {
                let (ty, field) = key.split_once('.')?;
                Some((ty, field, name.as_str()))
            })
            .collect();
        loop {
            let before = pending.len();
            pending.retain(|(ty, field, name)| match self.field_type(ty, field) {
                Some(id) => {
                    self.anchor(id, name);
                    false
                }
                None => true,
            });
            if pending.len() == before {
                break;
            }
        }
    }

    /// The named type of the field `field` of the struct called `ty`, if both exist.
    fn field_type(&self, ty: &str, field: &str) -> Option<TypeId> {
        let def = self.defs.iter().find(|d| d.name == ty)?;
        let TypeKind::Struct(fields) = &def.kind else {
            return None;
        };
        innermost_named(&fields.iter().find(|f| f.name == field)?.ty)
    }

    /// Gives type `id` the overlay's name `wanted`. The first anchor of a type wins; a type that
    /// holds `wanted` without an anchor (a component's name) gives it up and takes a suffix.
    fn anchor(&mut self, id: TypeId, wanted: &str) {
        if !self.anchored.insert(id) || self.defs[id].name == wanted {
            return;
        }
        let holder = self.defs.iter().position(|d| d.name == wanted);
        if let Some(other) = holder.filter(|o| !self.anchored.contains(o)) {
            self.defs[other].name = unique(wanted.to_string(), &mut self.taken);
            self.taken.remove(wanted);
        }
        self.rename(id, wanted, &mut BTreeSet::new());
    }

    /// Renames `id` to (a unique form of) `wanted`; the inline types named after it follow
    /// (`{Old}Status` becomes `{New}Status`), so derived names come from the anchored name, never
    /// from the component upstream happened to use.
    fn rename(&mut self, id: TypeId, wanted: &str, renamed: &mut BTreeSet<TypeId>) {
        if !renamed.insert(id) {
            return;
        }
        let old = std::mem::take(&mut self.defs[id].name);
        self.taken.remove(&old);
        let new = unique(wanted.to_string(), &mut self.taken);
        self.defs[id].name = new.clone();
        for child in self.members(id) {
            let followers = self.inline.contains(&child) && !self.anchored.contains(&child);
            let tail = self.defs[child]
                .name
                .strip_prefix(old.as_str())
                .map(str::to_string);
            if let Some(tail) = tail.filter(|_| followers) {
                self.rename(child, &format!("{new}{tail}"), renamed);
            }
        }
    }

    /// The named types a type holds directly: field types, union alternatives, alias targets (as
    /// list items, map values or boxed too).
    fn members(&self, id: TypeId) -> Vec<TypeId> {
        let tys: Vec<&Ty> = match &self.defs[id].kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(vs) => vs.iter().map(|(_, t)| t).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|(_, _, t)| t).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        };
        tys.into_iter().filter_map(innermost_named).collect()
    }

    /// Adds a finished definition under an already reserved name.
    pub fn push(&mut self, def: TypeDef) -> TypeId {
        self.defs.push(def);
        self.defs.len() - 1
    }

    /// The Rust type for `s`, naming inline types `ctx`. `request`: the type is sent, so read-only
    /// properties are left out.
    pub fn ty(&mut self, r: &mut Resolver<'_>, s: &Schema, ctx: &str, request: bool) -> Result<Ty> {
        Ok(match &s.kind {
            Kind::Any | Kind::Null => Ty::Any,
            Kind::Bool => Ty::Bool,
            Kind::Integer => Ty::Integer,
            Kind::Number => Ty::Number,
            Kind::String => match s.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                _ => Ty::String,
            },
            Kind::Enum(values) => {
                let kind = TypeKind::Enum(enum_variants(values));
                self.anonymous(ctx, doc_or(s, &format!("Values of `{ctx}`.")), kind)
            }
            Kind::Array(items) => Ty::Vec(Box::new(self.ty(
                r,
                items,
                &format!("{ctx}Item"),
                request,
            )?)),
            Kind::Object(o) if o.properties.is_empty() => match &o.additional {
                Some(v) => Ty::Map(Box::new(self.ty(r, v, &format!("{ctx}Value"), request)?)),
                None => Ty::Map(Box::new(Ty::Any)),
            },
            Kind::Object(_) => {
                let kind = self.struct_kind(r, s, ctx, request)?;
                self.anonymous(ctx, doc_or(s, &format!("The `{ctx}` object.")), kind)
            }
            Kind::Ref(name) => self.component(r, name, request, &s.pointer)?,
            Kind::Union(variants, disc) => {
                let kind = self.union_kind(r, variants, disc.as_ref(), ctx, request)?;
                self.anonymous(
                    ctx,
                    doc_or(s, &format!("One of several shapes of `{ctx}`.")),
                    kind,
                )
            }
        })
    }

    fn component(
        &mut self,
        r: &mut Resolver<'_>,
        name: &str,
        request: bool,
        from: &str,
    ) -> Result<Ty> {
        let body = r.component(name, from)?;
        // Only objects with read-only properties get a separate request form.
        let request = request && has_read_only(&body);
        if let Some(id) = self.by_component.get(&(name.to_string(), request)) {
            return Ok(Ty::Named(*id));
        }
        let base = self
            .component_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| names::component_type(name));
        let rust_name = if request {
            unique(format!("{base}Request"), &mut self.taken)
        } else {
            base
        };
        // Reserve the id first so recursive references resolve to it.
        let id = self.push(TypeDef {
            name: rust_name.clone(),
            doc: String::new(),
            kind: TypeKind::Alias(Ty::Any),
            // Set by `direction::mark` once every operation is typed.
            sent: false,
            received: false,
        });
        self.by_component.insert((name.to_string(), request), id);
        let mut doc = body.description.clone().unwrap_or_else(|| {
            format!("The `{}` schema of the API.", names::strip_namespace(name))
        });
        let kind = match &body.kind {
            Kind::Object(o) if !o.properties.is_empty() => {
                if request {
                    doc.push_str("\n\nThe request form: read-only properties, which the server sets, are left out.");
                }
                self.struct_kind(r, &body, &rust_name, request)?
            }
            Kind::Enum(values) => TypeKind::Enum(enum_variants(values)),
            Kind::Union(variants, disc) => {
                self.union_kind(r, variants, disc.as_ref(), &rust_name, request)?
            }
            _ => TypeKind::Alias(self.ty(r, &body, &rust_name, request)?),
        };
        self.defs[id].doc = doc;
        self.defs[id].kind = kind;
        Ok(Ty::Named(id))
    }

    fn union_kind(
        &mut self,
        r: &mut Resolver<'_>,
        variants: &[Schema],
        disc: Option<&Discriminator>,
        ctx: &str,
        request: bool,
    ) -> Result<TypeKind> {
        let mut out = Vec::new();
        let mut taken = BTreeSet::new();
        if disc.is_some() {
            taken.insert("Unknown".to_string());
        }
        for (i, v) in variants.iter().enumerate() {
            let t = self.ty(r, v, &format!("{ctx}Variant{}", i + 1), request)?;
            let name = unique(self.variant_name(&t), &mut taken);
            out.push((name, t));
        }
        Ok(match disc {
            Some(d) => TypeKind::Tagged {
                tag: d.property.clone(),
                variants: out
                    .into_iter()
                    .zip(&d.values)
                    .map(|((n, t), v)| (n, v.clone(), t))
                    .collect(),
            },
            None => TypeKind::Union(out),
        })
    }

    fn struct_kind(
        &mut self,
        r: &mut Resolver<'_>,
        s: &Schema,
        ctx: &str,
        request: bool,
    ) -> Result<TypeKind> {
        let Kind::Object(o) = &s.kind else {
            return Ok(TypeKind::Alias(Ty::Any));
        };
        let mut fields = Vec::new();
        let mut taken = BTreeSet::new();
        for (api_name, prop) in &o.properties {
            if request && prop.read_only {
                continue;
            }
            let ty = self.ty(r, prop, &format!("{ctx}{}", camel(api_name)), request)?;
            let required = o.required.contains(api_name);
            let name = unique(snake(api_name), &mut taken);
            let secret = SECRET_FIELDS.contains(&api_name.as_str())
                || api_name.ends_with("_secret")
                || api_name.ends_with("private_key")
                || prop.format.as_deref() == Some("password");
            let mut doc = prop.description.clone().unwrap_or_default();
            if prop.read_only && !request {
                push_note(&mut doc, "Read-only: set by the server.");
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
            if matches!(ty, Ty::Any) && !matches!(prop.kind, Kind::Any | Kind::Null) {
                self.degraded
                    .push(format!("{ctx}.{api_name}: untyped ({})", prop.pointer));
            }
            fields.push(Field {
                name,
                api_name: api_name.clone(),
                ty,
                optional: !required || prop.nullable,
                required,
                boxed: false,
                secret,
                doc,
            });
        }
        if let Some(extra) = &o.additional {
            let value = self.ty(r, extra, &format!("{ctx}Value"), request)?;
            let name = unique("additional_properties".to_string(), &mut taken);
            fields.push(Field {
                name,
                api_name: String::new(),
                ty: Ty::Map(Box::new(value)),
                optional: false,
                required: false,
                boxed: false,
                secret: false,
                doc: "Properties beyond the named ones.".to_string(),
            });
        }
        Ok(TypeKind::Struct(fields))
    }

    /// An inline type: shared with an identical earlier one, else named from `ctx`.
    fn anonymous(&mut self, ctx: &str, doc: String, kind: TypeKind) -> Ty {
        let shape = format!("{kind:?}");
        if let Some(id) = self.by_shape.get(&shape) {
            return Ty::Named(*id);
        }
        let name = self.reserve_name(ctx);
        let id = self.push(TypeDef {
            name,
            doc,
            kind,
            // Set by `direction::mark` once every operation is typed.
            sent: false,
            received: false,
        });
        self.by_shape.insert(shape, id);
        self.inline.insert(id);
        Ty::Named(id)
    }

    /// A parameter struct (not sent as JSON), shared by operations with the same parameters.
    pub fn params_struct(&mut self, wanted: &str, doc: String, fields: Vec<Field>) -> String {
        let kind = TypeKind::Struct(fields);
        let shape = format!("params {kind:?}");
        if let Some(id) = self.by_shape.get(&shape) {
            return self.defs[*id].name.clone();
        }
        let name = self.reserve_name(wanted);
        let id = self.push(TypeDef {
            name: name.clone(),
            doc,
            kind,
            sent: false,
            received: false,
        });
        self.by_shape.insert(shape, id);
        name
    }

    fn variant_name(&self, t: &Ty) -> String {
        match t {
            Ty::Any => "Value".into(),
            Ty::Bool => "Bool".into(),
            Ty::Integer => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::String => "String".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Vec(_) => "List".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Unit => "Unit".into(),
            Ty::Named(id) => self.defs[*id].name.clone(),
            Ty::Boxed(inner) => self.variant_name(inner),
        }
    }
}

/// The named type `ty` is, or holds as list items, map values or behind a `Box`.
fn innermost_named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => innermost_named(inner),
        _ => None,
    }
}

fn has_read_only(s: &Schema) -> bool {
    matches!(&s.kind, Kind::Object(o) if o.properties.iter().any(|(_, p)| p.read_only))
}

fn enum_variants(values: &[String]) -> Vec<(String, String)> {
    let mut taken = BTreeSet::new();
    taken.insert("Unknown".to_string());
    values
        .iter()
        .map(|v| (unique(camel(v), &mut taken), v.clone()))
        .collect()
}

fn doc_or(s: &Schema, fallback: &str) -> String {
    s.description
        .clone()
        .unwrap_or_else(|| fallback.to_string())
}

fn push_note(doc: &mut String, note: &str) {
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(note);
}
