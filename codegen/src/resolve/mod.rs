//! Stage 2: resolution. Every `$ref` followed (one resolver, [`resolver::Resolver`]), `allOf`
//! flattened ([`merge`]), `anyOf`/`oneOf` classified, each operation's parameters, body and
//! response read ([`operation`]), and the closure of the named components they reach resolved.
//! What comes out ([`Resolved`]) is the resolved schema graph: shaping reads it and never goes
//! back to the document.

pub mod merge;
pub mod operation;
pub mod resolver;
pub mod schema;

use crate::error::Result;
use crate::load::Spec;
use operation::{Operation, RequestBody, ResponseBody};
use schema::{Kind, Schema};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A document, resolved.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The operations, in (path, method) order.
    pub operations: Vec<Operation>,
    /// The resolved body of every named component the operations reach, directly or through
    /// other components.
    pub components: BTreeMap<String, Schema>,
    /// Every component schema name of the document, reached or not (names are given up front,
    /// so a component's name never depends on which others are used).
    pub component_names: Vec<String>,
    /// What degraded to untyped values while resolving, one line each.
    pub degraded: Vec<String>,
}

impl Resolved {
    /// The resolved body of the component `name`, referred to at `from`.
    pub fn component(&self, spec: &Spec, name: &str, from: &str) -> Result<&Schema> {
        self.components.get(name).ok_or_else(|| {
            spec.error(
                from,
                format!("internal error: component `{name}` was not resolved"),
            )
        })
    }
}

/// Resolves `spec`. `strict`: `allOf` members that disagree are errors rather than untyped values.
pub fn resolve(spec: &Spec, strict: bool) -> Result<Resolved> {
    let mut r = resolver::Resolver::new(spec, strict);
    let operations = operation::all(&mut r)?;
    let mut pending = VecDeque::new();
    for op in &operations {
        for p in &op.params {
            refs(&p.schema, &mut pending);
        }
        if let Some(RequestBody::Json { schema, .. }) = &op.body {
            refs(schema, &mut pending);
        }
        match &op.response.body {
            ResponseBody::Json(schema)
            | ResponseBody::Envelope {
                result: Some(schema),
                ..
            } => refs(schema, &mut pending),
            _ => {}
        }
    }
    let mut reached = BTreeSet::new();
    while let Some((name, from)) = pending.pop_front() {
        if reached.insert(name.clone()) {
            refs(r.cached_component(&name, &from)?.as_ref(), &mut pending);
        }
    }
    let (mut components, degraded) = r.finish();
    components.retain(|name, _| reached.contains(name));
    let component_names = spec
        .doc
        .pointer("/components/schemas")
        .and_then(|v| v.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    Ok(Resolved {
        operations,
        components,
        component_names,
        degraded,
    })
}

/// The named components `s` refers to, with where.
fn refs(s: &Schema, out: &mut VecDeque<(String, String)>) {
    match &s.kind {
        Kind::Ref(name) => out.push_back((name.clone(), s.pointer.to_string())),
        Kind::Array(items) => refs(items, out),
        Kind::Object(o) => {
            for (_, p) in &o.properties {
                refs(p, out);
            }
            if let Some(extra) = &o.additional {
                refs(extra, out);
            }
        }
        Kind::Union(members, _) => members.iter().for_each(|m| refs(m, out)),
        Kind::Any
        | Kind::Null
        | Kind::Bool
        | Kind::Integer
        | Kind::Number
        | Kind::String
        | Kind::Enum(_) => {}
    }
}
