//! Account/zone twins: whether two operations' shapes are the same Rust types, and merging those
//! that are into one method taking a `Scope`.
//!
//! Cloudflare's documents often describe the zone twin of an account operation with their own
//! components, equal but for details that do not change the Rust type (descriptions, examples,
//! enum order, component names) or that only loosen it (a schema without `type` beside
//! `type: string`). Such twins still become one method taking a `Scope`.

use super::operations::Draft;
use crate::ir::{Body, Param, Scoping, Ty, TypeDef, TypeKind};
use std::collections::BTreeSet;

/// Account/zone twins with the same name and shapes become one method taking a `Scope`; shapes
/// are compared as Rust types (see [`same_params`]), and the account twin's types are
/// kept.
pub fn merge(drafts: Vec<Draft>, defs: &[TypeDef]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    for d in drafts {
        let twin = out.iter_mut().find(|o| {
            o.resource == d.resource
                && o.op.method == d.op.method
                && o.scope.is_some()
                && d.scope.is_some()
                && o.scope != d.scope
                && o.op.scoping != Scoping::Either
                && o.rest == d.rest
                && o.op.http_method == d.op.http_method
                && same_params(defs, o.op.path_params.get(1..), d.op.path_params.get(1..))
                && same_params(defs, Some(&o.op.query), Some(&d.op.query))
                && same_params(defs, Some(&o.op.headers), Some(&d.op.headers))
                && same_body(defs, o.op.body.as_ref(), d.op.body.as_ref())
                && same_ty(defs, &o.op.result, &d.op.result)
                && o.op.decode == d.op.decode
        });
        match twin {
            Some(o) => {
                o.op.scoping = Scoping::Either;
                o.op.path = o.rest.clone();
                o.op.path_params.remove(0);
                o.op.operation_ids.extend(d.op.operation_ids);
            }
            None => out.push(d),
        }
    }
    out
}

/// Whether two parameter lists are the same arguments: names, requiredness, compatible types.
pub fn same_params(defs: &[TypeDef], a: Option<&[Param]>, b: Option<&[Param]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.name == y.name
                        && x.api_name == y.api_name
                        && x.required == y.required
                        && x.separator == y.separator
                        && same_ty(defs, &x.ty, &y.ty)
                })
        }
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Whether two request bodies are the same.
pub fn same_body(defs: &[TypeDef], a: Option<&Body>, b: Option<&Body>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.content_type == b.content_type
                && match (&a.ty, &b.ty) {
                    (None, None) => true,
                    (Some(x), Some(y)) => same_ty(defs, x, y),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether two types are the same Rust type, or would be but for an untyped value on one side.
pub fn same_ty(defs: &[TypeDef], a: &Ty, b: &Ty) -> bool {
    compatible(defs, a, b, &mut BTreeSet::new())
}

fn compatible(defs: &[TypeDef], a: &Ty, b: &Ty, assumed: &mut BTreeSet<(usize, usize)>) -> bool {
    match (a, b) {
        // A schema without `type` beside a typed one.
        (Ty::Any, other) | (other, Ty::Any) => !matches!(other, Ty::Unit),
        (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) | (Ty::Boxed(x), Ty::Boxed(y)) => {
            compatible(defs, x, y, assumed)
        }
        (Ty::Named(x), Ty::Named(y)) => {
            // Recursive types: a pair being compared is assumed compatible.
            x == y || !assumed.insert((*x, *y)) || same_def(defs, *x, *y, assumed)
        }
        (x, y) => x == y,
    }
}

fn same_def(defs: &[TypeDef], x: usize, y: usize, assumed: &mut BTreeSet<(usize, usize)>) -> bool {
    match (&defs[x].kind, &defs[y].kind) {
        (TypeKind::Struct(f), TypeKind::Struct(g)) => {
            f.len() == g.len()
                && f.iter().zip(g).all(|(a, b)| {
                    a.name == b.name
                        && a.api_name == b.api_name
                        && a.optional == b.optional
                        && a.required == b.required
                        && a.nullable == b.nullable
                        && compatible(defs, &a.ty, &b.ty, assumed)
                })
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            // Enum order does not matter.
            let set = |v: &[(String, String)]| v.iter().cloned().collect::<BTreeSet<_>>();
            set(a) == set(b)
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((n, s), (m, t))| n == m && compatible(defs, s, t, assumed))
        }
        (
            TypeKind::Tagged { tag, variants },
            TypeKind::Tagged {
                tag: tag2,
                variants: variants2,
            },
        ) => {
            tag == tag2
                && variants.len() == variants2.len()
                && variants
                    .iter()
                    .zip(variants2)
                    .all(|((n, v, s), (m, w, t))| {
                        n == m && v == w && compatible(defs, s, t, assumed)
                    })
        }
        (TypeKind::Alias(s), TypeKind::Alias(t)) => compatible(defs, s, t, assumed),
        _ => false,
    }
}
