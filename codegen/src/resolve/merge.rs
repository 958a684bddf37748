//! `allOf` merging: properties and `required` are combined member by member; where members disagree
//! on one property, the most specific schema wins (a placeholder gives way to a concrete schema, an
//! enum to a narrower one); true conflicts (string vs integer) are errors naming both pointers.

use super::schema::{Kind, Object, Schema};
use crate::error::Result;

/// What merging needs from the resolver.
pub trait Flatten {
    /// The body of the named component `name` (referred to at `from`), to merge into another.
    fn flat(&mut self, name: &str, from: &str) -> Result<Schema>;
    /// Two schemas that cannot be merged (at `at`): an error when strict, else noted and `Ok`.
    fn conflict(&mut self, at: &str, message: String) -> Result<()>;
}

/// Merges two `allOf` members (or two schemas of one property).
pub fn merge(r: &mut dyn Flatten, a: Schema, b: Schema) -> Result<Schema> {
    let mut out = merge_kind(r, a.clone(), b.clone())?;
    out.nullable = a.nullable || b.nullable || out.nullable;
    out.read_only = a.read_only || b.read_only;
    out.deprecated = a.deprecated || b.deprecated;
    // The later, more specific member's words win; the earlier ones are the fallback.
    out.description = b.description.or(a.description);
    out.format = b.format.or(a.format);
    out.note = out.note.or(b.note).or(a.note);
    Ok(out)
}

fn merge_kind(r: &mut dyn Flatten, a: Schema, b: Schema) -> Result<Schema> {
    use Kind::*;
    Ok(match (&a.kind, &b.kind) {
        (Any | Null, _) => b,
        (_, Any | Null) => a,
        // A bare `{type: object}` or `{type: array, items: {}}` is a placeholder too (Cloudflare's
        // common envelopes declare `result` so): it gives way to a concrete schema.
        _ if placeholder(&a) && !placeholder(&b) => b,
        _ if placeholder(&b) && !placeholder(&a) => a,
        (Ref(x), Ref(y)) if x == y => a,
        (Ref(_), _) | (_, Ref(_)) => {
            let a = deref(r, a)?;
            let b = deref(r, b)?;
            return merge_kind(r, a, b);
        }
        (Object(_), Object(_)) => {
            let (Object(x), Object(y)) = (a.kind, b.kind) else {
                unreachable!("matched above")
            };
            let mut s = Schema::new(Object(merge_objects(r, x, y)?), &b.pointer);
            s.description = None;
            s
        }
        (Array(_), Array(_)) => {
            let (Array(x), Array(y)) = (a.kind, b.kind) else {
                unreachable!("matched above")
            };
            Schema::new(Array(Box::new(merge(r, *x, *y)?)), &b.pointer)
        }
        (Enum(x), Enum(y)) => {
            let both: Vec<std::string::String> =
                x.iter().filter(|v| y.contains(v)).cloned().collect();
            if both.is_empty() {
                Schema::new(String, &b.pointer)
            } else {
                Schema::new(Enum(both), &b.pointer)
            }
        }
        (Enum(_), String) => a,
        (String, Enum(_)) => b,
        (Integer, Number) => a,
        (Number, Integer) => b,
        (Union(..), _) => b,
        (_, Union(..)) => a,
        (x, y) if std::mem::discriminant(x) == std::mem::discriminant(y) => b,
        _ => {
            let message = format!(
                "allOf members disagree: {} here, {} at #{}",
                describe(&b.kind),
                describe(&a.kind),
                a.pointer
            );
            // Lenient mode (real-world specs): the value is kept untyped, and said so.
            r.conflict(&b.pointer, message)?;
            let mut s = Schema::new(Any, &b.pointer);
            s.note = Some(format!(
                "Untyped: the specification's allOf members disagree ({} at #{}, {} at #{}).",
                describe(&a.kind),
                a.pointer,
                describe(&b.kind),
                b.pointer
            ));
            s
        }
    })
}

fn merge_objects(r: &mut dyn Flatten, mut x: Object, y: Object) -> Result<Object> {
    for (name, schema) in y.properties {
        if let Some(pos) = x.properties.iter().position(|(n, _)| *n == name) {
            let prev = x.properties[pos].1.clone();
            x.properties[pos].1 = merge(r, prev, schema)?;
        } else {
            x.properties.push((name, schema));
        }
    }
    x.required.extend(y.required);
    x.additional = match (x.additional, y.additional) {
        (Some(a), Some(b)) => Some(Box::new(merge(r, *a, *b)?)),
        (a, b) => a.or(b),
    };
    Ok(x)
}

fn deref(r: &mut dyn Flatten, s: Schema) -> Result<Schema> {
    match &s.kind {
        Kind::Ref(name) => {
            let name = name.clone();
            r.flat(&name, &s.pointer)
        }
        _ => Ok(s),
    }
}

fn placeholder(s: &Schema) -> bool {
    match &s.kind {
        Kind::Object(o) => o.properties.is_empty() && o.additional.is_none(),
        Kind::Array(items) => matches!(items.kind, Kind::Any),
        _ => false,
    }
}

fn describe(k: &Kind) -> &'static str {
    match k {
        Kind::Any => "any",
        Kind::Null => "null",
        Kind::Bool => "boolean",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Enum(_) => "string enum",
        Kind::Array(_) => "array",
        Kind::Object(_) => "object",
        Kind::Ref(_) => "reference",
        Kind::Union(..) => "union",
    }
}
