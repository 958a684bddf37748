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
    /// The component schema names of the document, in document order; with a selection, only
    /// those its operations can reach through `$ref`s. Names are given up front from these, so a
    /// component's name never depends on which of them a later stage uses, nor, with a
    /// selection, on the rest of the document (Cloudflare's full document holds other products'
    /// components with the same short names).
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

/// Resolves `spec`: every operation, or those whose operationId is in `selected`. `strict`:
/// `allOf` members that disagree are errors rather than untyped values.
pub fn resolve(spec: &Spec, selected: Option<&BTreeSet<String>>, strict: bool) -> Result<Resolved> {
    let mut r = resolver::Resolver::new(spec, strict);
    let operations = operation::all(&mut r, selected)?;
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
    // Names are given among the components the selected operations can reach through `$ref`s
    // (all of them without a selection), in document order.
    let reachable = selected.map(|_| crate::select::reachable_components(spec, &operations));
    let component_names = spec
        .doc
        .pointer("/components/schemas")
        .and_then(|v| v.as_object())
        .map(|o| {
            o.keys()
                .filter(|k| reachable.as_ref().is_none_or(|r| r.contains(*k)))
                .cloned()
                .collect()
        })
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
