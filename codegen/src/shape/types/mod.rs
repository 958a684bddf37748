//! Turns resolved schemas into named Rust types: components keep their (overlay or derived) names,
//! inline objects and enums are named from where they appear, identical shapes are shared.
//! `anchors` applies the names the overlay gives by operation and field; `fields` builds structs.

use crate::error::Result;
use crate::ir::{Field, Ty, TypeDef, TypeId, TypeKind};
use crate::load::Spec;
use crate::naming::{self, camel, unique};
use crate::overlay::Overlay;
use crate::resolve::schema::{Discriminator, Kind, Schema};
use crate::resolve::Resolved;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

mod anchors;
mod fields;
mod usage;

pub use usage::describe as describe_by_use;

/// Builds the type arena.
pub struct Types<'o> {
    overlay: &'o Overlay,
    /// The resolved document (component bodies), and the document for errors.
    resolved: &'o Resolved,
    spec: &'o Spec,
    /// Names of every component in the document (overlay or derived), computed up front so a
    /// component's name never depends on which others are used.
    component_names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    by_component: BTreeMap<(String, bool), TypeId>,
    /// Inline types and parameter structs (`true`) by the hash of their kind, to share identical
    /// ones (compared in full on a match).
    by_shape: BTreeMap<(bool, u64), Vec<TypeId>>,
    /// Types the overlay names by operation or field (`name_by_operation`, `name_by_fields`).
    anchored: BTreeSet<TypeId>,
    /// Inline types, named from where they first appeared (`anonymous`).
    inline: BTreeSet<TypeId>,
    defs: Vec<TypeDef>,
    /// Lines for the degradation summary.
    pub degraded: Vec<String>,
}

impl<'o> Types<'o> {
    /// A builder for the types of `resolved` (a resolution of `spec`), named with `overlay`.
    pub fn new(overlay: &'o Overlay, resolved: &'o Resolved, spec: &'o Spec) -> Self {
        let component_list = &resolved.component_names;
        let mut component_names = BTreeMap::new();
        let mut taken = BTreeSet::new();
        let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for c in component_list {
            match overlay.types.get(c) {
                Some(n) => {
                    component_names.insert(c.clone(), n.clone());
                    taken.insert(n.clone());
                }
                None => groups.entry(naming::component_type(c)).or_default().push(c),
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
                    naming::component_type_long(c)
                };
                component_names.insert(c.clone(), unique(base, &mut taken));
            }
        }
        Types {
            overlay,
            resolved,
            spec,
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

    /// The finished arena. Types the document does not describe get their docs once the model
    /// is finished ([`describe_by_use`]).
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

    /// The resolved body of the component `name`, referred to at `from`.
    pub fn component_body(&self, name: &str, from: &str) -> Result<&'o Schema> {
        self.resolved.component(self.spec, name, from)
    }

    /// Adds a finished definition under an already reserved name.
    pub fn push(&mut self, def: TypeDef) -> TypeId {
        self.defs.push(def);
        self.defs.len() - 1
    }

    /// The Rust type for `s`, naming inline types `ctx`. `request`: the type is sent, so read-only
    /// properties are left out.
    pub fn ty(&mut self, s: &Schema, ctx: &str, request: bool) -> Result<Ty> {
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
                self.anonymous(ctx, doc_or(s), kind)
            }
            Kind::Array(items) => {
                Ty::Vec(Box::new(self.ty(items, &format!("{ctx}Item"), request)?))
            }
            Kind::Object(o) if o.properties.is_empty() => match &o.additional {
                Some(v) => Ty::Map(Box::new(self.ty(v, &format!("{ctx}Value"), request)?)),
                None => Ty::Map(Box::new(Ty::Any)),
            },
            Kind::Object(_) => {
                let kind = self.struct_kind(s, ctx, request)?;
                self.anonymous(ctx, doc_or(s), kind)
            }
            Kind::Ref(name) => self.component(name, request, &s.pointer)?,
            Kind::Union(variants, disc) => {
                let kind = self.union_kind(variants, disc.as_ref(), ctx, request)?;
                self.anonymous(ctx, doc_or(s), kind)
            }
        })
    }

    fn component(&mut self, name: &str, request: bool, from: &str) -> Result<Ty> {
        let body = self.component_body(name, from)?;
        // Only objects with read-only properties get a separate request form.
        let request = request && has_read_only(body);
        if let Some(id) = self.by_component.get(&(name.to_string(), request)) {
            return Ok(Ty::Named(*id));
        }
        let base = self
            .component_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| naming::component_type(name));
        let rust_name = if request {
            unique(format!("{base}Request"), &mut self.taken)
        } else {
            base
        };
        // Reserve the id first so recursive references resolve to it.
        let id = self.push(TypeDef {
            name: rust_name.clone(),
            doc: String::new(),
            uses: String::new(),
            kind: TypeKind::Alias(Ty::Any),
            // Set by `direction::mark` once every operation is typed.
            sent: false,
            received: false,
        });
        self.by_component.insert((name.to_string(), request), id);
        let mut doc = body
            .description
            .as_deref()
            .map(str::to_string)
            .unwrap_or_default();
        let kind = match &body.kind {
            Kind::Object(o) if !o.properties.is_empty() => {
                if request {
                    doc.push_str("\n\nThe request form: read-only properties, which the server sets, are left out.");
                }
                self.struct_kind(body, &rust_name, request)?
            }
            Kind::Enum(values) => TypeKind::Enum(enum_variants(values)),
            Kind::Union(variants, disc) => {
                self.union_kind(variants, disc.as_ref(), &rust_name, request)?
            }
            _ => TypeKind::Alias(self.ty(body, &rust_name, request)?),
        };
        self.defs[id].doc = doc;
        self.defs[id].kind = kind;
        Ok(Ty::Named(id))
    }

    fn union_kind(
        &mut self,
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
            let t = self.ty(v, &format!("{ctx}Variant{}", i + 1), request)?;
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

    /// An inline type: shared with an identical earlier one, else named from `ctx`.
    fn anonymous(&mut self, ctx: &str, doc: String, kind: TypeKind) -> Ty {
        let (key, same) = self.same_shape(false, &kind);
        if let Some(id) = same {
            return Ty::Named(id);
        }
        let name = self.reserve_name(ctx);
        let id = self.push(TypeDef {
            name,
            doc,
            uses: String::new(),
            kind,
            // Set by `direction::mark` once every operation is typed.
            sent: false,
            received: false,
        });
        self.by_shape.entry(key).or_default().push(id);
        self.inline.insert(id);
        Ty::Named(id)
    }

    /// A parameter struct (not sent as JSON), shared by operations with the same parameters.
    pub fn params_struct(&mut self, wanted: &str, doc: String, fields: Vec<Field>) -> String {
        let kind = TypeKind::Struct(fields);
        let (key, same) = self.same_shape(true, &kind);
        if let Some(id) = same {
            return self.defs[id].name.clone();
        }
        let name = self.reserve_name(wanted);
        let id = self.push(TypeDef {
            name: name.clone(),
            doc,
            uses: String::new(),
            kind,
            sent: false,
            received: false,
        });
        self.by_shape.entry(key).or_default().push(id);
        name
    }

    /// The key of `kind` among the shared shapes, and the type of that kind already made, if any.
    fn same_shape(&self, params: bool, kind: &TypeKind) -> ((bool, u64), Option<TypeId>) {
        let mut hasher = std::hash::DefaultHasher::new();
        kind.hash(&mut hasher);
        let key = (params, hasher.finish());
        let same = self
            .by_shape
            .get(&key)
            .and_then(|ids| ids.iter().copied().find(|id| self.defs[*id].kind == *kind));
        (key, same)
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

/// The document's description of `s`; empty when it has none (the type is then described by
/// where it is used, see `usage`).
fn doc_or(s: &Schema) -> String {
    s.description.as_deref().unwrap_or_default().to_string()
}
