//! The resolver: follows every `$ref` of a document (named components are kept as references and
//! resolved once each), flattens `allOf` (see [`super::merge`]), classifies `anyOf`/`oneOf` and
//! inlines primitive aliases.

use super::merge::{self, Flatten};
use super::schema::{Discriminator, Kind, Object, Schema};
use crate::error::{join, Result};
use crate::load::Spec;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Resolves schemas of one document, caching named components.
pub struct Resolver<'a> {
    spec: &'a Spec,
    components: BTreeMap<String, Schema>,
    /// Components being resolved right now, with the property depth at which each started (a
    /// cycle back to one at a deeper depth goes through a property or array item: a recursive
    /// type; at the same depth it is a `$ref` cycle without indirection).
    flattening: Vec<(String, usize)>,
    /// How many properties, array items and map values deep the resolution is.
    depth: usize,
    /// Conflicting `allOf` members are errors (`true`) or degrade to untyped values (`false`).
    pub strict: bool,
    /// What degraded to untyped values, one line each.
    pub degraded: Vec<String>,
}

const COMPONENTS: &str = "/components/schemas/";

impl<'a> Resolver<'a> {
    /// A resolver over `spec`.
    pub fn new(spec: &'a Spec, strict: bool) -> Self {
        Resolver {
            spec,
            components: BTreeMap::new(),
            flattening: Vec::new(),
            depth: 0,
            strict,
            degraded: Vec::new(),
        }
    }

    /// The spec being resolved.
    pub fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// Resolves the schema at `pointer`.
    pub fn schema(&mut self, pointer: &str) -> Result<Schema> {
        let node = self.spec.node(pointer, pointer)?;
        self.resolve(node, pointer)
    }

    /// The flattened body of the named component `name` (cached).
    pub fn component(&mut self, name: &str, from: &str) -> Result<Schema> {
        self.cached_component(name, from).map(Cow::into_owned)
    }

    /// The same, borrowed from the cache. A component that refers to itself through a property
    /// while it is being resolved is a reference to itself, which is not cached.
    pub fn cached_component(&mut self, name: &str, from: &str) -> Result<Cow<'_, Schema>> {
        if self.components.contains_key(name) {
            return Ok(Cow::Borrowed(&self.components[name]));
        }
        if let Some((_, depth)) = self.flattening.iter().find(|(n, _)| n == name) {
            if *depth < self.depth {
                // Recursion through a property or item: refer to the component by name.
                return Ok(Cow::Owned(Schema::new(Kind::Ref(name.to_string()), from)));
            }
            let chain: Vec<&str> = self.flattening.iter().map(|(n, _)| n.as_str()).collect();
            return Err(self.spec.error(
                from,
                format!(
                    "`$ref` cycle without indirection: {} -> {name}",
                    chain.join(" -> ")
                ),
            ));
        }
        let pointer = join(COMPONENTS.trim_end_matches('/'), name);
        let node = self.spec.node(&pointer, from)?;
        self.flattening.push((name.to_string(), self.depth));
        let resolved = self.resolve_inline(node, &pointer);
        self.flattening.pop();
        let resolved = resolved?;
        Ok(Cow::Borrowed(
            self.components.entry(name.to_string()).or_insert(resolved),
        ))
    }

    /// The body of `name` for merging into an `allOf`. A component that is still being resolved
    /// (`allOf` reaching back into its own definition) cannot be flattened: an error when strict,
    /// else an untyped value with a note.
    pub fn component_flat(&mut self, name: &str, from: &str) -> Result<Schema> {
        let body = self.component(name, from)?;
        if !matches!(&body.kind, Kind::Ref(n) if n == name) {
            return Ok(body);
        }
        let message = format!("`allOf` reaches back into `{name}`, which it is part of");
        self.conflict(from, message.clone())?;
        let mut s = Schema::new(Kind::Any, from);
        s.note = Some(format!("Untyped: {message}."));
        Ok(s)
    }

    /// Whether a component becomes a named Rust type (object, enum, union) rather than being inlined.
    pub fn is_named(&self, name: &str) -> bool {
        let pointer = join(COMPONENTS.trim_end_matches('/'), name);
        let mut node = self.spec.lookup(&pointer);
        // Follow alias chains (`{$ref: other}`) a bounded number of times.
        for _ in 0..32 {
            let Some(n) = node else { return false };
            match n.get("$ref").and_then(Value::as_str) {
                Some(r) if n.as_object().is_some_and(|o| o.len() == 1) => {
                    node = self
                        .spec
                        .ref_pointer(r, "")
                        .ok()
                        .and_then(|p| self.spec.lookup(&p));
                }
                _ => break,
            }
        }
        let Some(n) = node.and_then(Value::as_object) else {
            return false;
        };
        let has = |k: &str| n.contains_key(k);
        if has("properties") || has("allOf") || has("anyOf") || has("oneOf") {
            return true;
        }
        if has("enum") {
            // Only string enums become named types.
            return n
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|vals| vals.iter().any(Value::is_string));
        }
        matches!(n.get("additionalProperties"), Some(Value::Object(_)))
    }

    fn resolve(&mut self, node: &Value, pointer: &str) -> Result<Schema> {
        if let Some(target) = node.get("$ref") {
            let target = target.as_str().ok_or_else(|| {
                self.spec
                    .error(&join(pointer, "$ref"), "`$ref` is not a string")
            })?;
            let target_ptr = self.spec.ref_pointer(target, &join(pointer, "$ref"))?;
            // A whole component (`#/components/schemas/NAME`); a pointer into one
            // (`…/NAME/properties/x`) is followed like any other node below.
            if let Some(name) = target_ptr
                .strip_prefix(COMPONENTS)
                .filter(|name| !name.contains('/'))
            {
                let name = unescape(name);
                self.spec.node(&target_ptr, &join(pointer, "$ref"))?;
                if self.is_named(&name) {
                    let mut s = Schema::new(Kind::Ref(name), pointer);
                    s.description = description(node);
                    s.nullable = flag(node, "nullable");
                    s.read_only = flag(node, "readOnly");
                    return Ok(s);
                }
                let mut s = self.component(&name, &join(pointer, "$ref"))?;
                if let Some(d) = description(node) {
                    s.description = Some(d);
                }
                s.nullable |= flag(node, "nullable");
                s.read_only |= flag(node, "readOnly");
                return Ok(s);
            }
            let target_node = self.spec.node(&target_ptr, &join(pointer, "$ref"))?;
            if self.flattening.iter().any(|(n, _)| *n == target_ptr) {
                return Err(self.spec.error(
                    &join(pointer, "$ref"),
                    format!("`$ref` cycle without indirection through `#{target_ptr}`"),
                ));
            }
            self.flattening.push((target_ptr.clone(), self.depth));
            let r = self.resolve(target_node, &target_ptr);
            self.flattening.pop();
            return r;
        }
        self.resolve_inline(node, pointer)
    }

    /// Resolves a schema, dereferencing a named `$ref` to its body (used inside `allOf`).
    fn resolve_flat(&mut self, node: &Value, pointer: &str) -> Result<Schema> {
        let s = self.resolve(node, pointer)?;
        match &s.kind {
            Kind::Ref(name) => {
                let name = name.clone();
                let mut body = self.component_flat(&name, pointer)?;
                if s.description.is_some() {
                    body.description = s.description;
                }
                body.nullable |= s.nullable;
                body.read_only |= s.read_only;
                Ok(body)
            }
            _ => Ok(s),
        }
    }

    fn resolve_inline(&mut self, node: &Value, pointer: &str) -> Result<Schema> {
        let obj = match node {
            Value::Object(o) => o,
            Value::Bool(true) => return Ok(Schema::new(Kind::Any, pointer)),
            _ => {
                return Err(self.spec.error(pointer, "expected a schema object"));
            }
        };
        if obj.contains_key("$ref") {
            return self.resolve(node, pointer);
        }
        if let Some(s) = self.described_ref(node, obj, pointer)? {
            return Ok(s);
        }
        let mut base = if let Some(members) = obj.get("allOf") {
            self.all_of(obj, members, pointer)?
        } else if obj.contains_key("anyOf") || obj.contains_key("oneOf") {
            self.any_of(node, obj, pointer)?
        } else {
            self.resolve_typed(obj, pointer)?
        };
        base.nullable |= flag(node, "nullable");
        base.read_only |= flag(node, "readOnly");
        base.deprecated |= flag(node, "deprecated");
        if let Some(d) = description(node) {
            base.description = Some(d);
        }
        if base.format.is_none() {
            base.format = obj
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        base.pointer = pointer.into();
        Ok(base)
    }

    /// `allOf: [{$ref}]` alone, which is how OpenAPI 3.0 adds a description (or `nullable`) to a
    /// reference: the reference, with those.
    fn described_ref(
        &mut self,
        node: &Value,
        obj: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Option<Schema>> {
        let Some(members) = obj.get("allOf") else {
            return Ok(None);
        };
        let members = self.array(members, &join(pointer, "allOf"))?;
        let siblings = obj.contains_key("properties") || obj.contains_key("items");
        let [only] = members.as_slice() else {
            return Ok(None);
        };
        if siblings || only.get("$ref").is_none() {
            return Ok(None);
        }
        let mut s = self.resolve(only, &join(&join(pointer, "allOf"), "0"))?;
        s.nullable |= flag(node, "nullable");
        s.read_only |= flag(node, "readOnly");
        if let Some(d) = description(node) {
            s.description = Some(d);
        }
        Ok(Some(s))
    }

    /// `allOf`: the members merged in order; keywords beside it (properties, type) are one more.
    fn all_of(
        &mut self,
        obj: &Map<String, Value>,
        members: &Value,
        pointer: &str,
    ) -> Result<Schema> {
        let members = self.array(members, &join(pointer, "allOf"))?;
        let mut acc: Option<Schema> = None;
        for (i, m) in members.iter().enumerate() {
            let p = join(&join(pointer, "allOf"), &i.to_string());
            let s = self.resolve_flat(m, &p)?;
            acc = Some(match acc {
                None => s,
                Some(a) => merge::merge(self, a, s)?,
            });
        }
        let sibling = if obj.contains_key("properties") || obj.contains_key("items") {
            let mut rest = obj.clone();
            rest.remove("allOf");
            Some(self.resolve_inline(&Value::Object(rest), pointer)?)
        } else {
            None
        };
        Ok(match (acc, sibling) {
            (Some(a), Some(s)) => merge::merge(self, a, s)?,
            (Some(a), None) => a,
            (None, Some(s)) => s,
            (None, None) => Schema::new(Kind::Any, pointer),
        })
    }

    /// `anyOf`/`oneOf`: a `null` alternative makes it nullable; the rest are classified
    /// ([`classify_union`]), with the discriminator when there is one.
    fn any_of(&mut self, node: &Value, obj: &Map<String, Value>, pointer: &str) -> Result<Schema> {
        let key = if obj.contains_key("anyOf") {
            "anyOf"
        } else {
            "oneOf"
        };
        let members = self.array(&obj[key], &join(pointer, key))?;
        let mut variants = Vec::new();
        let mut nullable = false;
        for (i, m) in members.iter().enumerate() {
            let s = self.resolve(m, &join(&join(pointer, key), &i.to_string()))?;
            if matches!(s.kind, Kind::Null) {
                nullable = true;
            } else {
                variants.push(s);
            }
        }
        let mut s = classify_union(variants, pointer);
        if let Kind::Union(members, disc) = &mut s.kind {
            *disc = discriminator(node, members);
        }
        s.nullable |= nullable;
        Ok(s)
    }

    fn resolve_typed(&mut self, obj: &Map<String, Value>, pointer: &str) -> Result<Schema> {
        // A type name in the wrong case (`String`) is read in lower case (`check` warns).
        let ty = match obj.get("type") {
            None => None,
            Some(Value::String(t)) => Some(t.to_ascii_lowercase()),
            // `type: [..]` is OpenAPI 3.1; take the first non-null entry.
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .find(|t| t != "null"),
            Some(_) => {
                return Err(self
                    .spec
                    .error(&join(pointer, "type"), "`type` is not a string"));
            }
        };
        let ty = ty.as_deref();
        if let Some(values) = obj.get("enum") {
            let values = self.array(values, &join(pointer, "enum"))?;
            if !values.is_empty() && values.iter().all(Value::is_null) {
                return Ok(Schema::new(Kind::Null, pointer));
            }
            let strings: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let all_strings = strings.len() == values.iter().filter(|v| !v.is_null()).count();
            if all_strings && matches!(ty, None | Some("string")) && !strings.is_empty() {
                let mut s = Schema::new(Kind::Enum(dedup(strings)), pointer);
                s.nullable = values.iter().any(Value::is_null);
                return Ok(s);
            }
            // Enums of other types are typed by their base type (values listed in the docs).
            let inferred = ty.or_else(|| infer_type(values));
            return self.resolve_by_type(obj, inferred, pointer);
        }
        self.resolve_by_type(obj, ty, pointer)
    }

    fn resolve_by_type(
        &mut self,
        obj: &Map<String, Value>,
        ty: Option<&str>,
        pointer: &str,
    ) -> Result<Schema> {
        let ty = ty.or_else(|| {
            if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
                Some("object")
            } else if obj.contains_key("items") {
                Some("array")
            } else {
                None
            }
        });
        let kind = match ty {
            Some("boolean") => Kind::Bool,
            Some("integer") => Kind::Integer,
            Some("number") => Kind::Number,
            Some("string") => Kind::String,
            Some("null") => Kind::Null,
            Some("array") => {
                let items = match obj.get("items") {
                    Some(items) => self.nested(items, &join(pointer, "items"))?,
                    None => Schema::new(Kind::Any, &join(pointer, "items")),
                };
                Kind::Array(Box::new(items))
            }
            Some("object") => Kind::Object(self.object(obj, pointer)?),
            Some(other) => {
                return Err(self
                    .spec
                    .error(&join(pointer, "type"), format!("unknown type `{other}`")));
            }
            None => Kind::Any,
        };
        Ok(Schema::new(kind, pointer))
    }

    fn object(&mut self, obj: &Map<String, Value>, pointer: &str) -> Result<Object> {
        let mut out = Object::default();
        if let Some(props) = obj.get("properties") {
            let pp = join(pointer, "properties");
            let props = props
                .as_object()
                .ok_or_else(|| self.spec.error(&pp, "`properties` is not an object"))?;
            for (name, node) in props {
                let s = self.nested(node, &join(&pp, name))?;
                out.properties.push((name.clone(), s));
            }
        }
        // `required: true` on a schema means nothing in OpenAPI 3.0 (`check` warns).
        if let Some(req) = obj.get("required").filter(|r| !r.is_boolean()) {
            let rp = join(pointer, "required");
            let req = self.array(req, &rp)?;
            for r in req {
                let r = r
                    .as_str()
                    .ok_or_else(|| self.spec.error(&rp, "`required` entries must be strings"))?;
                out.required.insert(r.to_string());
            }
        }
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => {
                out.additional = Some(Box::new(Schema::new(Kind::Any, pointer)));
            }
            Some(node) => {
                let s = self.nested(node, &join(pointer, "additionalProperties"))?;
                out.additional = Some(Box::new(s));
            }
        }
        Ok(out)
    }

    /// Resolves a property, array item or map value: one level of indirection deeper.
    fn nested(&mut self, node: &Value, pointer: &str) -> Result<Schema> {
        self.depth += 1;
        let r = self.resolve(node, pointer);
        self.depth -= 1;
        r
    }

    fn array<'v>(&self, v: &'v Value, pointer: &str) -> Result<&'v Vec<Value>> {
        v.as_array()
            .ok_or_else(|| self.spec.error(pointer, "expected an array"))
    }
}

/// `anyOf`/`oneOf`: all-placeholder unions are "anything"; a single alternative is itself.
fn classify_union(variants: Vec<Schema>, pointer: &str) -> Schema {
    if variants.is_empty() || variants.iter().all(Schema::is_bare) {
        return Schema::new(Kind::Any, pointer);
    }
    let mut concrete: Vec<Schema> = variants.into_iter().filter(|v| !v.is_bare()).collect();
    if concrete.len() == 1 {
        return concrete.remove(0);
    }
    Schema::new(Kind::Union(concrete, None), pointer)
}

/// The discriminator of a union whose members are all named components: the mapped value, or
/// else the component name.
fn discriminator(node: &Value, members: &[Schema]) -> Option<Discriminator> {
    let disc = node.get("discriminator")?;
    let property = disc.get("propertyName")?.as_str()?.to_string();
    let mapping = disc.get("mapping").and_then(Value::as_object);
    let mut values = Vec::new();
    for m in members {
        let Kind::Ref(name) = &m.kind else {
            return None;
        };
        let mapped = mapping.and_then(|map| {
            map.iter().find_map(|(value, target)| {
                let t = target.as_str()?;
                (t.rsplit('/').next() == Some(name.as_str()) || t == name).then(|| value.clone())
            })
        });
        values.push(mapped.unwrap_or_else(|| name.clone()));
    }
    let mut seen = BTreeSet::new();
    values
        .iter()
        .all(|v| seen.insert(v.clone()))
        .then_some(Discriminator { property, values })
}

fn infer_type(values: &[Value]) -> Option<&'static str> {
    let first = values.iter().find(|v| !v.is_null())?;
    Some(match first {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn description(node: &Value) -> Option<Rc<str>> {
    node.get("description")
        .or_else(|| node.get("title"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(Rc::from)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl Resolver<'_> {
    /// Every component resolved so far, and what degraded: the resolver's results.
    pub fn finish(self) -> (BTreeMap<String, Schema>, Vec<String>) {
        (self.components, self.degraded)
    }
}

impl Flatten for Resolver<'_> {
    fn flat(&mut self, name: &str, from: &str) -> Result<Schema> {
        self.component_flat(name, from)
    }

    fn conflict(&mut self, at: &str, message: String) -> Result<()> {
        if self.strict {
            return Err(self.spec.error(at, message));
        }
        self.degraded.push(format!("#{at}: {message}"));
        Ok(())
    }
}
