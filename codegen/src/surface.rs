//! The public API a document generates, as a flat list of items with their signatures, and what
//! changes between two of them (`examples/api-diff.rs`): what regenerating from a new document
//! would do to users' code.

use crate::ir::{ArgTy, Field, Model, Operation, Output, Resource, Ty, TypeDef, TypeKind, Wrap};
use crate::{Error, Settings, Spec};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What kind of public item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// A resource accessor (`client.access().certificates()`).
    Resource,
    /// A name of a resource handle (`resources::AccessCertificatesResource`), which users' code
    /// can name; a deprecated alias of one is the same item under its old name.
    Handle,
    /// A method of a resource.
    Method,
    /// A named type.
    Type,
    /// A field of a struct type.
    Field,
    /// A variant of an enum or union type.
    Variant,
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ItemKind::Resource => "resource",
            ItemKind::Handle => "handle",
            ItemKind::Method => "method",
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::Variant => "variant",
        })
    }
}

/// The generated public API: `(kind, path)` → signature. Paths are `access.certificates` for a
/// resource, `AccessCertificatesResource` for a handle, `access.certificates.list` for a method, `AccessCertificate` for a type,
/// `AccessCertificate.id` for a field, `Status::Active` for a variant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// Every item and its signature.
    pub items: BTreeMap<(ItemKind, String), String>,
}

/// Generates `spec` with `settings` (in memory, nothing formatted) and lists its public API.
pub fn surface(spec: &Spec, settings: &Settings) -> Result<Surface, Error> {
    let model = crate::model(spec, settings, &crate::plan(spec, settings))?;
    Ok(of_model(&model))
}

fn of_model(model: &Model) -> Surface {
    let mut s = Surface::default();
    let mut stack: Vec<&Resource> = model.resources.iter().collect();
    while let Some(r) = stack.pop() {
        s.items.insert(
            (ItemKind::Resource, r.path.clone()),
            format!("{}()", r.name),
        );
        // Code naming the legacy alias keeps compiling (with a warning): the same item.
        for name in [&r.struct_name, &r.legacy_name] {
            if !name.is_empty() {
                s.items.insert(
                    (ItemKind::Handle, name.clone()),
                    format!("handle of {}", r.path),
                );
            }
        }
        for op in &r.operations {
            for (name, sig) in method_signatures(model, op) {
                s.items
                    .insert((ItemKind::Method, format!("{}.{name}", r.path)), sig);
            }
        }
        // A deprecated alias has its operation's signature under its old name: code calling
        // it keeps compiling (with a warning), so it is the same API item.
        for a in &r.aliases {
            for (name, sig) in method_signatures(model, &a.op) {
                let old = format!("{}{}", a.method, &name[a.op.method.len()..]);
                let sig = sig.replacen(&format!("fn {name}("), &format!("fn {old}("), 1);
                s.items
                    .insert((ItemKind::Method, format!("{}.{old}", r.path)), sig);
            }
        }
        stack.extend(r.children.iter());
    }
    for def in &model.types {
        let (kind, members) = match &def.kind {
            TypeKind::Struct(fields) => (
                if def.built_by_users() {
                    BUILT_STRUCT.to_string()
                } else {
                    "struct".to_string()
                },
                fields
                    .iter()
                    .map(|f| {
                        let t = field_ty(model, def, f);
                        (
                            ItemKind::Field,
                            format!("{}.{}", def.name, f.name),
                            format!("{}: {t}", f.name),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Enum(vs) => (
                "enum".to_string(),
                vs.iter()
                    .map(|(v, wire)| {
                        (
                            ItemKind::Variant,
                            format!("{}::{v}", def.name),
                            format!("{v} = {wire:?}"),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Union(vs) => (
                "union".to_string(),
                vs.iter()
                    .map(|(v, t)| {
                        (
                            ItemKind::Variant,
                            format!("{}::{v}", def.name),
                            format!("{v}({})", ty(model, t)),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Tagged { tag, variants } => (
                format!("union by `{tag}`"),
                variants
                    .iter()
                    .map(|(v, value, t)| {
                        (
                            ItemKind::Variant,
                            format!("{}::{v}", def.name),
                            format!("{v}({}) when {tag} = {value:?}", ty(model, t)),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Alias(t) => (format!("alias of {}", ty(model, t)), Vec::new()),
        };
        s.items.insert((ItemKind::Type, def.name.clone()), kind);
        for (k, path, sig) in members {
            s.items.insert((k, path), sig);
        }
    }
    s
}

/// The signature of an operation's method, and of its `_all` stream for a paged list, spelled
/// from the model's [`Signature`](crate::ir::Signature) as a user writes it.
fn method_signatures(model: &Model, op: &Operation) -> Vec<(String, String)> {
    let sig = op.signature();
    let args = sig
        .args
        .iter()
        .map(|a| format!("{}: {}", a.name, arg_ty(model, &a.ty)))
        .collect::<Vec<_>>()
        .join(", ");
    let output = match sig.output {
        Output::One(t) => ty(model, t),
        Output::Page(t) => format!("Page<{}>", ty(model, t)),
        Output::Bytes => "Bytes".to_string(),
    };
    let mut out = vec![(
        op.method.clone(),
        format!("fn {}({args}) -> {output}", op.method),
    )];
    if let Output::Page(item) = sig.output {
        let all = format!("{}_all", op.method);
        let item = ty(model, item);
        out.push((
            all.clone(),
            format!("fn {all}({args}) -> PageStream<{item}>"),
        ));
    }
    out
}

/// An argument's type as a user writes it.
fn arg_ty(model: &Model, t: &ArgTy) -> String {
    match t {
        ArgTy::Scope => "Scope".to_string(),
        ArgTy::Value(t) => ty(model, t),
        ArgTy::Str => "&str".to_string(),
        ArgTy::Ref(t) => format!("&{}", ty(model, t)),
        ArgTy::Bytes => "impl Into<Bytes>".to_string(),
        ArgTy::Params(name) => name.to_string(),
    }
}

/// A field's type as a user writes it: the model's [`Wrap`] around its type.
fn field_ty(model: &Model, def: &TypeDef, f: &Field) -> String {
    let mut t = ty(model, &f.ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    match f.wrap(def) {
        Wrap::Plain => t,
        Wrap::Option => format!("Option<{t}>"),
        Wrap::Nullable => format!("Nullable<{t}>"),
    }
}

/// A type as a user writes it.
fn ty(model: &Model, t: &Ty) -> String {
    match t {
        Ty::Any => "Value".into(),
        Ty::Bool => "bool".into(),
        Ty::Integer => "i64".into(),
        Ty::Number => "f64".into(),
        Ty::String => "String".into(),
        Ty::DateTime => "DateTime<Utc>".into(),
        Ty::Unit => "()".into(),
        Ty::Vec(inner) => format!("Vec<{}>", ty(model, inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty(model, inner)),
        Ty::Boxed(inner) => format!("Box<{}>", ty(model, inner)),
        Ty::Named(id) => model.types[*id].name.clone(),
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new document's API.
    Added,
    /// Only in the old one's.
    Removed,
    /// In both, with another signature.
    Changed,
    /// A type under another name, with the same members.
    Renamed,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Renamed => "renamed",
        })
    }
}

/// One difference between two APIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What happened.
    pub change: ChangeKind,
    /// To what kind of item.
    pub item: ItemKind,
    /// The item's path (the old one for a rename).
    pub path: String,
    /// The old signature (the old name for a rename).
    pub old: Option<String>,
    /// The new signature (the new name for a rename).
    pub new: Option<String>,
    /// Whether users' code may stop compiling, by Rust's semver rules.
    pub breaking: bool,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.breaking {
            "breaking"
        } else {
            "additive"
        };
        write!(
            f,
            "{severity:8}  {:7}  {:8}  {}",
            self.change, self.item, self.path
        )?;
        match (&self.old, &self.new) {
            (Some(o), Some(n)) => write!(f, ": {o}  ->  {n}"),
            (Some(o), None) => write!(f, ": {o}"),
            (None, Some(n)) => write!(f, ": {n}"),
            (None, None) => Ok(()),
        }
    }
}

/// The signature of a struct users build (`new` and setters; see `emit::builders`).
const BUILT_STRUCT: &str = "struct, built with new()";

/// Whether adding `item` (at `path`, with signature `sig`) to `api` breaks users' code. New
/// resources, handles, methods and types are additive. Every generated struct is
/// `#[non_exhaustive]`, so a new field is additive, except a required one of a struct users build:
/// `new` takes it. A new variant breaks exhaustive matches.
fn adding_breaks(api: &Surface, item: ItemKind, path: &str, sig: &str) -> bool {
    match item {
        ItemKind::Field => {
            let owner = path.split('.').next().unwrap_or(path);
            let built = api.items.get(&(ItemKind::Type, owner.to_string()))
                == Some(&BUILT_STRUCT.to_string());
            let optional = sig.contains(": Option<") || sig.contains(": Nullable<");
            built && !optional
        }
        ItemKind::Variant => true,
        ItemKind::Resource | ItemKind::Handle | ItemKind::Method | ItemKind::Type => false,
    }
}

/// What changes from `old` to `new`: renamed types first (matched by their members), then the
/// rest by path, sorted.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut changes = Vec::new();
    let members = |s: &Surface, ty: &str| -> BTreeSet<String> {
        s.items
            .iter()
            .filter(|((k, path), _)| {
                matches!(k, ItemKind::Field | ItemKind::Variant)
                    && (path.starts_with(&format!("{ty}.")) || path.starts_with(&format!("{ty}::")))
            })
            .map(|(_, sig)| sig.clone())
            .collect()
    };
    let types = |s: &Surface| -> BTreeSet<String> {
        s.items
            .keys()
            .filter(|(k, _)| *k == ItemKind::Type)
            .map(|(_, p)| p.clone())
            .collect()
    };
    let (old_types, new_types) = (types(old), types(new));
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut claimed = BTreeSet::new();
    for gone in old_types.difference(&new_types) {
        let shape = (
            old.items[&(ItemKind::Type, gone.clone())].clone(),
            members(old, gone),
        );
        let twin = new_types.difference(&old_types).find(|t| {
            !claimed.contains(*t)
                && (
                    new.items[&(ItemKind::Type, (*t).clone())].clone(),
                    members(new, t),
                ) == shape
        });
        if let Some(t) = twin {
            claimed.insert(t.clone());
            renamed.insert(gone.clone(), t.clone());
            changes.push(Change {
                change: ChangeKind::Renamed,
                item: ItemKind::Type,
                path: gone.clone(),
                old: Some(gone.clone()),
                new: Some(t.clone()),
                breaking: true,
            });
        }
    }
    let owner =
        |path: &str| -> String { path.split(['.', ':']).next().unwrap_or(path).to_string() };
    let in_rename = |kind: ItemKind, path: &str| {
        matches!(kind, ItemKind::Type | ItemKind::Field | ItemKind::Variant)
            && (renamed.contains_key(&owner(path)) || claimed.contains(&owner(path)))
    };
    for ((kind, path), sig) in &old.items {
        if in_rename(*kind, path) {
            continue;
        }
        match new.items.get(&(*kind, path.clone())) {
            None => changes.push(Change {
                change: ChangeKind::Removed,
                item: *kind,
                path: path.clone(),
                old: Some(sig.clone()),
                new: None,
                breaking: true,
            }),
            Some(n) if n != sig => changes.push(Change {
                change: ChangeKind::Changed,
                item: *kind,
                path: path.clone(),
                old: Some(sig.clone()),
                new: Some(n.clone()),
                breaking: true,
            }),
            Some(_) => {}
        }
    }
    for ((kind, path), sig) in &new.items {
        if in_rename(*kind, path) || old.items.contains_key(&(*kind, path.clone())) {
            continue;
        }
        // A member of a new type comes with it.
        let new_type = matches!(kind, ItemKind::Field | ItemKind::Variant)
            && !old_types.contains(&owner(path));
        changes.push(Change {
            change: ChangeKind::Added,
            item: *kind,
            path: path.clone(),
            old: None,
            new: Some(sig.clone()),
            breaking: adding_breaks(new, *kind, path, sig) && !new_type,
        });
    }
    changes.sort_by(|a, b| {
        (!a.breaking, a.item, &a.path, a.change).cmp(&(!b.breaking, b.item, &b.path, b.change))
    });
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_is_listed_under_its_name_and_its_legacy_alias() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": { "/things": { "get": {
                "operationId": "list-things",
                "responses": { "200": { "description": "ok" } }
            } } }
        });
        let spec = Spec::from_value("t.json", doc).expect("a document");
        let api = surface(&spec, &Settings::default()).expect("generates");
        let handles: Vec<(&str, &str)> = api
            .items
            .iter()
            .filter(|((k, _), _)| *k == ItemKind::Handle)
            .map(|((_, p), sig)| (p.as_str(), sig.as_str()))
            .collect();
        assert_eq!(
            handles,
            [
                ("Things", "handle of things"),
                ("ThingsResource", "handle of things")
            ]
        );
    }
}
