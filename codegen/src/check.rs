//! The structural check of what generation reads: the selected operations (their path items,
//! parameters, request bodies, responses) and every schema they reach through `$ref`s. Nothing
//! else of the document is looked at, so a defect elsewhere never fails a build.
//!
//! Inside, a defect that does not change the generated code is a warning with its pointer: a
//! response without its `description`, an `example` or `default` of another JSON type than the
//! schema's, a `type` name in the wrong case (`String`, read as `string`), a `description`,
//! `summary` or `title` that is not a string (left out of the docs), `required: true` on a
//! schema (Swagger 2.0's spelling, meaningless in OpenAPI 3.0). Anything else the generator
//! reads that is not what OpenAPI 3.0 says is an error naming the exact node.

use crate::error::{join, Error, Result};
use crate::load::Spec;
use crate::select::METHODS;
use serde_json::Value;
use std::collections::BTreeSet;

/// The schema types of OpenAPI 3.0 (and `null`, which 3.1-style `type` lists carry).
const TYPES: &[&str] = &[
    "array", "boolean", "integer", "number", "object", "string", "null",
];

/// Checks what generation reads of `spec` (every operation, or those in `selected`): the
/// warnings, or the first error.
pub fn check(spec: &Spec, selected: Option<&BTreeSet<String>>) -> Result<Vec<Error>> {
    let mut c = Checker {
        spec,
        warnings: Vec::new(),
        seen: BTreeSet::new(),
    };
    let Some(paths) = spec.doc.get("paths") else {
        return Ok(c.warnings);
    };
    let paths = paths
        .as_object()
        .ok_or_else(|| spec.error("/paths", "`paths` is not an object"))?;
    let wanted = |op: &Value| match selected {
        None => true,
        Some(ids) => op
            .get("operationId")
            .and_then(Value::as_str)
            .is_some_and(|id| ids.contains(id)),
    };
    for (path, node) in paths {
        let at = join("/paths", path);
        if selected.is_some() {
            // Only path items holding a selected operation are read (see `resolve::operation`).
            let Ok((_, item)) = spec.deref(&at, node) else {
                continue;
            };
            if !METHODS.iter().any(|m| item.get(*m).is_some_and(wanted)) {
                continue;
            }
        }
        c.path_item(&at, node, &wanted)?;
    }
    Ok(c.warnings)
}

struct Checker<'s> {
    spec: &'s Spec,
    warnings: Vec<Error>,
    /// Schemas already checked (reached through `$ref` from several places).
    seen: BTreeSet<String>,
}

impl Checker<'_> {
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.warnings.push(self.spec.error(at, message));
    }

    fn object<'v>(
        &self,
        node: &'v Value,
        at: &str,
        what: &str,
    ) -> Result<&'v serde_json::Map<String, Value>> {
        node.as_object()
            .ok_or_else(|| self.spec.error(at, format!("{what} is not an object")))
    }

    /// A text the docs are made of: not a string is left out, with a warning.
    fn text(&mut self, node: &Value, at: &str, key: &str) {
        if node.get(key).is_some_and(|v| !v.is_string()) {
            self.warn(
                &join(at, key),
                format!("`{key}` is not a string; left out of the docs"),
            );
        }
    }

    fn boolean(&self, node: &Value, at: &str, key: &str) -> Result<()> {
        match node.get(key) {
            Some(v) if !v.is_boolean() => Err(self
                .spec
                .error(&join(at, key), format!("`{key}` is not a boolean"))),
            _ => Ok(()),
        }
    }

    fn path_item(&mut self, at: &str, node: &Value, wanted: &dyn Fn(&Value) -> bool) -> Result<()> {
        let spec = self.spec;
        let (at, item) = spec.deref(at, node)?;
        self.object(item, &at, "the path item")?;
        self.parameters(item, &at)?;
        for method in METHODS {
            let Some(op) = item.get(*method).filter(|op| wanted(op)) else {
                continue;
            };
            self.operation(&join(&at, method), op)?;
        }
        Ok(())
    }

    fn operation(&mut self, at: &str, op: &Value) -> Result<()> {
        self.object(op, at, "the operation")?;
        if op.get("operationId").is_some_and(|v| !v.is_string()) {
            return Err(self
                .spec
                .error(&join(at, "operationId"), "`operationId` is not a string"));
        }
        self.text(op, at, "summary");
        self.text(op, at, "description");
        if op.get("tags").is_some_and(|t| !t.is_array()) {
            self.warn(&join(at, "tags"), "`tags` is not a list; not used");
        }
        self.boolean(op, at, "deprecated")?;
        self.parameters(op, at)?;
        if let Some(body) = op.get("requestBody") {
            let (bat, body) = self.spec.deref(&join(at, "requestBody"), body)?;
            self.object(body, &bat, "the request body")?;
            self.boolean(body, &bat, "required")?;
            self.content(body, &bat)?;
        }
        let Some(responses) = op.get("responses") else {
            self.warn(at, "the operation has no `responses`; it returns nothing");
            return Ok(());
        };
        let rat = join(at, "responses");
        let responses = self.object(responses, &rat, "`responses`")?;
        for (code, response) in responses {
            let (at, response) = self.spec.deref(&join(&rat, code), response)?;
            self.object(response, &at, "the response")?;
            match response.get("description") {
                None => self.warn(&at, "the response has no `description`"),
                Some(d) if !d.is_string() => {
                    self.warn(&join(&at, "description"), "`description` is not a string")
                }
                Some(_) => {}
            }
            self.content(response, &at)?;
        }
        Ok(())
    }

    fn parameters(&mut self, node: &Value, at: &str) -> Result<()> {
        let Some(list) = node.get("parameters") else {
            return Ok(());
        };
        let lat = join(at, "parameters");
        let list = list
            .as_array()
            .ok_or_else(|| self.spec.error(&lat, "`parameters` is not a list"))?;
        for (i, p) in list.iter().enumerate() {
            let (at, p) = self.spec.deref(&join(&lat, &i.to_string()), p)?;
            self.object(p, &at, "the parameter")?;
            for key in ["name", "in"] {
                if !p.get(key).is_some_and(Value::is_string) {
                    return Err(self.spec.error(
                        &join(&at, key),
                        format!("the parameter's `{key}` is missing or not a string"),
                    ));
                }
            }
            let place = p.get("in").and_then(Value::as_str).unwrap_or_default();
            if !["path", "query", "header", "cookie"].contains(&place) {
                return Err(self.spec.error(
                    &join(&at, "in"),
                    format!("`in: {place}` is not path, query, header or cookie"),
                ));
            }
            self.boolean(p, &at, "required")?;
            self.text(p, &at, "description");
            if let Some(schema) = p.get("schema") {
                self.schema(&join(&at, "schema"), schema)?;
            }
        }
        Ok(())
    }

    /// `content`: media type → media type object with an optional schema.
    fn content(&mut self, node: &Value, at: &str) -> Result<()> {
        let Some(content) = node.get("content") else {
            return Ok(());
        };
        let cat = join(at, "content");
        let content = self.object(content, &cat, "`content`")?;
        for (media, m) in content {
            let mat = join(&cat, media);
            self.object(m, &mat, "the media type")?;
            if let Some(schema) = m.get("schema") {
                self.schema(&join(&mat, "schema"), schema)?;
            }
        }
        Ok(())
    }

    fn schema(&mut self, at: &str, node: &Value) -> Result<()> {
        if !self.seen.insert(at.to_string()) {
            return Ok(());
        }
        let obj = match node {
            Value::Object(o) => o,
            Value::Bool(true) => return Ok(()),
            _ => return Err(self.spec.error(at, "expected a schema object")),
        };
        if let Some(target) = obj.get("$ref") {
            let rat = join(at, "$ref");
            let target = target
                .as_str()
                .ok_or_else(|| self.spec.error(&rat, "`$ref` is not a string"))?;
            let pointer = self.spec.ref_pointer(target, &rat)?;
            self.text(node, at, "description");
            let target = self.spec.node(&pointer, &rat)?;
            return self.schema(&pointer, target);
        }
        let ty = self.schema_type(obj.get("type"), at)?;
        for key in ["description", "title"] {
            self.text(node, at, key);
        }
        for key in ["nullable", "readOnly", "writeOnly", "deprecated"] {
            self.boolean(node, at, key)?;
        }
        if obj.get("format").is_some_and(|f| !f.is_string()) {
            self.warn(&join(at, "format"), "`format` is not a string; not used");
        }
        for key in ["example", "default"] {
            if let (Some(ty), Some(v)) = (ty.as_deref(), obj.get(key)) {
                let null_allowed = v.is_null() && node.get("nullable") == Some(&Value::Bool(true));
                if !(fits(ty, v) || null_allowed) {
                    self.warn(
                        &join(at, key),
                        format!("`{key}` is not of type `{ty}`; not used"),
                    );
                }
            }
        }
        if let Some(props) = obj.get("properties") {
            let pat = join(at, "properties");
            let props = self.object(props, &pat, "`properties`")?;
            for (name, p) in props {
                self.schema(&join(&pat, name), p)?;
            }
        }
        if let Some(req) = obj.get("required").filter(|r| r.is_boolean()) {
            // Swagger 2.0's and a parameter's spelling, on a property: OpenAPI 3.0 gives it no
            // meaning there, and the code is what it is without it.
            let message =
                format!("`required: {req}` on a schema is not a list of property names; ignored");
            self.warn(&join(at, "required"), message);
        } else if let Some(req) = obj.get("required") {
            let ok = req
                .as_array()
                .is_some_and(|r| r.iter().all(Value::is_string));
            if !ok {
                return Err(self.spec.error(
                    &join(at, "required"),
                    "`required` is not a list of property names",
                ));
            }
        }
        if let Some(items) = obj.get("items") {
            self.schema(&join(at, "items"), items)?;
        }
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(extra) => self.schema(&join(at, "additionalProperties"), extra)?,
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            let Some(members) = obj.get(key) else {
                continue;
            };
            let kat = join(at, key);
            let members = members
                .as_array()
                .ok_or_else(|| self.spec.error(&kat, format!("`{key}` is not a list")))?;
            for (i, m) in members.iter().enumerate() {
                self.schema(&join(&kat, &i.to_string()), m)?;
            }
        }
        if obj.get("enum").is_some_and(|e| !e.is_array()) {
            return Err(self.spec.error(&join(at, "enum"), "`enum` is not a list"));
        }
        if let Some(d) = obj.get("discriminator") {
            if !d.get("propertyName").is_some_and(Value::is_string) {
                return Err(self.spec.error(
                    &join(at, "discriminator"),
                    "the discriminator has no `propertyName` string",
                ));
            }
        }
        Ok(())
    }

    /// The schema's type in lower case, as the resolver reads it; a type in the wrong case is a
    /// warning, one that is not a type an error.
    fn schema_type(&mut self, ty: Option<&Value>, at: &str) -> Result<Option<String>> {
        let tat = join(at, "type");
        let names: Vec<&str> = match ty {
            None => return Ok(None),
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) if ts.iter().all(Value::is_string) => {
                ts.iter().filter_map(Value::as_str).collect()
            }
            Some(_) => return Err(self.spec.error(&tat, "`type` is not a string")),
        };
        let mut first = None;
        for name in names {
            let lower = name.to_ascii_lowercase();
            if !TYPES.contains(&lower.as_str()) {
                return Err(self.spec.error(&tat, format!("unknown type `{name}`")));
            }
            if lower != name {
                self.warn(&tat, format!("type `{name}` read as `{lower}`"));
            }
            if first.is_none() && lower != "null" {
                first = Some(lower);
            }
        }
        Ok(first)
    }
}

/// Whether the JSON value `v` is of the schema type `ty`.
fn fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}
