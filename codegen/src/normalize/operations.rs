//! Operations: parameters, bodies and results typed, envelopes detected, names assigned.

use super::names::{self, camel, snake, unique};
use super::schema::{Kind, Resolver, Schema};
use super::types::Types;
use crate::error::{join, Result};
use crate::ir::{Body, Decode, Field, Operation, Param, Scoping, Ty};
use crate::overlay::Overlay;
use serde_json::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation before twins are merged and names made unique.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Resource path segments.
    pub resource: Vec<String>,
    /// The built operation.
    pub op: Operation,
    /// `Some("accounts" | "zones")` when the path starts with `/{that}/{id}`.
    pub scope: Option<&'static str>,
    /// The path after the scope prefix (the whole path when there is no scope).
    pub rest: String,
}

/// Every operation of the document, in (path, method) order.
pub fn drafts(r: &mut Resolver<'_>, t: &mut Types<'_>, overlay: &Overlay) -> Result<Vec<Draft>> {
    let spec = r.spec();
    let mut out = Vec::new();
    let Some(paths) = spec.doc.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    for path in keys {
        let path_ptr = join("/paths", path);
        let item = &paths[path.as_str()];
        let (path_ptr, item) = spec.deref(&path_ptr, item)?;
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let ptr = join(&path_ptr, method);
            out.push(draft(
                r, t, overlay, path, item, &path_ptr, method, op, &ptr,
            )?);
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn draft(
    r: &mut Resolver<'_>,
    t: &mut Types<'_>,
    overlay: &Overlay,
    path: &str,
    item: &Value,
    path_ptr: &str,
    method: &str,
    node: &Value,
    ptr: &str,
) -> Result<Draft> {
    let spec = r.spec();
    let op_id = node
        .get("operationId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let named = op_id.as_ref().and_then(|id| overlay.operations.get(id));
    let (scope, rest) = split_scope(path);
    let (resource, method_name) = match named {
        Some(n) => {
            let mut parts: Vec<String> = n.method().split('.').map(snake).collect();
            let m = parts.pop().unwrap_or_default();
            (parts, m)
        }
        None => derive_name(if scope.is_some() { &rest } else { path }, method),
    };
    let ctx = format!(
        "{}{}",
        resource.iter().map(|s| camel(s)).collect::<String>(),
        camel(&method_name)
    );

    // Parameters: path-level first, overridden by operation-level ones of the same name and place.
    let mut params: Vec<(String, String, Value, String)> = Vec::new();
    for (src, base) in [(item, path_ptr.to_string()), (node, ptr.to_string())] {
        if let Some(list) = src.get("parameters").and_then(Value::as_array) {
            for (i, p) in list.iter().enumerate() {
                let (pp, p) = spec.deref(&join(&join(&base, "parameters"), &i.to_string()), p)?;
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| spec.error(&pp, "parameter without `name`"))?;
                let place = p
                    .get("in")
                    .and_then(Value::as_str)
                    .ok_or_else(|| spec.error(&pp, "parameter without `in`"))?;
                params.retain(|(n, w, _, _)| !(n == name && w == place));
                params.push((name.to_string(), place.to_string(), p.clone(), pp));
            }
        }
    }
    let params_struct_name = named
        .and_then(|n| n.params())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{ctx}Params"));
    let mut path_params = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut notes = Vec::new();
    for (name, place, p, pp) in &params {
        let schema = if p.get("schema").is_some() {
            r.schema(&join(pp, "schema"))?
        } else {
            Schema::new(Kind::String, pp)
        };
        let ty = if place == "path" && !has_text_form(r, &schema)? {
            // A URL path segment is text: an object, array or union has no form there.
            let what = format!("the path parameter `{name}` has no text form in the document (an object, array or union)");
            notes.push(format!("Note: {what}; it is taken as a string here."));
            r.degraded
                .push(format!("#{pp}/schema: {what}; taken as a string"));
            Ty::String
        } else {
            t.ty(
                r,
                &schema,
                &format!("{params_struct_name}{}", camel(name)),
                true,
            )?
        };
        let doc = p
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(schema.description.clone())
            .unwrap_or_else(|| format!("The `{name}` {place} parameter."));
        let param = Param {
            name: snake(name),
            api_name: name.clone(),
            ty,
            required: place == "path"
                || p.get("required").and_then(Value::as_bool).unwrap_or(false),
            doc,
        };
        match place.as_str() {
            "path" => path_params.push(param),
            "query" => query.push(param),
            "header" => headers.push(param),
            _ => {} // cookie parameters are not supported; the caller can add them as headers.
        }
    }
    // Path parameters in the order they appear in the template.
    let in_template = crate::ir::template_params(path);
    let position = |p: &Param| in_template.iter().position(|n| *n == p.api_name);
    path_params.sort_by_key(|p| position(p).unwrap_or(usize::MAX));
    // A declared path parameter that the template lacks cannot be sent: not an argument.
    path_params.retain(|p| {
        let in_template = position(p).is_some();
        if !in_template {
            let what = format!(
                "the path parameter `{}` is not in the path template `{path}`",
                p.api_name
            );
            notes.push(format!("Note: {what}; it is left out."));
            r.degraded.push(format!("#{ptr}: {what}; left out"));
        }
        in_template
    });
    // Template parameters that were never declared are still arguments.
    for name in &in_template {
        if !path_params.iter().any(|p| p.api_name == *name) {
            path_params.push(Param {
                name: snake(name),
                api_name: name.to_string(),
                ty: Ty::String,
                required: true,
                doc: format!("The `{name}` path parameter."),
            });
        }
    }
    path_params.sort_by_key(|p| position(p).unwrap_or(usize::MAX));
    name_path_params(
        &mut path_params,
        path,
        named.and_then(|n| n.path_params()),
        &mut notes,
    )
    .then(|| {
        r.degraded.push(format!(
            "#{ptr}: the overlay's path parameter names do not fit the path; not used"
        ))
    });
    distinct_names(&mut path_params, ARGUMENTS);
    // Query and header parameters are the fields of one params struct.
    let query_count = query.len();
    let mut fields: Vec<Param> = query.drain(..).chain(headers.drain(..)).collect();
    distinct_names(&mut fields, &[]);
    headers = fields.split_off(query_count);
    query = fields;

    let body = request_body(
        r,
        t,
        node,
        ptr,
        named.and_then(|n| n.body()),
        &ctx,
        &mut notes,
    )?;
    let (result, decode) = response(
        r,
        t,
        node,
        ptr,
        &ctx,
        query.iter().any(|q| q.api_name == "page"),
        &mut notes,
    )?;
    // Names anchored to the operation, whatever components upstream puts there.
    if let Some(name) = named.and_then(|n| n.result()) {
        t.name_by_operation(&result, name);
    }
    if let (Some(name), Some(Body { ty: Some(ty), .. })) = (named.and_then(|n| n.body()), &body) {
        t.name_by_operation(ty, name);
    }

    let params_struct = if query.is_empty() && headers.is_empty() {
        None
    } else {
        let fields = query
            .iter()
            .chain(headers.iter())
            .map(|p| Field {
                name: p.name.clone(),
                api_name: p.api_name.clone(),
                ty: p.ty.clone(),
                optional: !p.required,
                required: p.required,
                boxed: false,
                secret: false,
                doc: p.doc.clone(),
            })
            .collect();
        let doc = format!(
            "Query{} parameters of `{}.{}`.",
            if headers.is_empty() {
                ""
            } else {
                " and header"
            },
            resource.join("."),
            method_name
        );
        Some(t.params_struct(&params_struct_name, doc, fields))
    };

    let op = Operation {
        method: method_name,
        operation_ids: op_id.into_iter().collect(),
        http_method: method.to_uppercase(),
        path: path.to_string(),
        scoping: match scope {
            Some("accounts") => Scoping::Account,
            Some(_) => Scoping::Zone,
            None => Scoping::None,
        },
        path_params,
        query,
        headers,
        params_struct,
        body,
        result,
        decode,
        summary: node
            .get("summary")
            .and_then(Value::as_str)
            .map(str::to_string),
        description: node
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        deprecated: node
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        notes,
    };
    Ok(Draft {
        resource,
        op,
        scope,
        rest,
    })
}

/// `/accounts/{account_id}/rest` → (`Some("accounts")`, `/rest`).
pub fn split_scope(path: &str) -> (Option<&'static str>, String) {
    for scope in ["accounts", "zones"] {
        let prefix = format!("/{scope}/{{");
        if let Some(tail) = path.strip_prefix(&prefix) {
            if let Some(end) = tail.find('}') {
                let rest = &tail[end + 1..];
                if rest.starts_with('/') {
                    return (Some(scope), rest.to_string());
                }
            }
        }
    }
    (None, path.to_string())
}

/// A name from the path: static segments are the resource, the HTTP method (and whether the path
/// ends in a parameter) the method.
fn derive_name(path: &str, method: &str) -> (Vec<String>, String) {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut resource: Vec<String> = segs
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| snake(s))
        .filter(|s| !s.is_empty())
        .collect();
    if resource.is_empty() {
        resource.push("root".to_string());
    }
    let item = segs.last().is_some_and(|s| s.starts_with('{'));
    let m = match (method, item) {
        ("get", false) => "list",
        ("get", true) => "get",
        ("post", _) => "create",
        ("put", _) => "update",
        ("patch", _) => "edit",
        ("delete", _) => "delete",
        (other, _) => other,
    };
    (resource, m.to_string())
}

/// Names a generated method uses besides its path parameters: its receiver, arguments and locals.
const ARGUMENTS: &[&str] = &[
    "self",
    "body",
    "params",
    "scope",
    "accounts_or_zones",
    "account_or_zone_id",
];

/// Names the path arguments (in template order): as the overlay lists them, else regularly (see
/// [`names::path_argument`]). An overlay list of the wrong length is stale (the operation's path
/// changed upstream): it is ignored, with a note, and `true` returned.
fn name_path_params(
    params: &mut [Param],
    template: &str,
    overlay: Option<&[String]>,
    notes: &mut Vec<String>,
) -> bool {
    match overlay {
        Some(list) if list.len() == params.len() => {
            for (p, name) in params.iter_mut().zip(list) {
                p.name = snake(name);
            }
            false
        }
        other => {
            if let Some(list) = other {
                notes.push(format!(
                    "Note: the overlay names {} path parameters, the path `{template}` has {}; the overlay's names are not used.",
                    list.len(),
                    params.len()
                ));
            }
            for p in params.iter_mut() {
                p.name = names::path_argument(template, &p.api_name);
            }
            other.is_some()
        }
    }
}

/// Makes the Rust names of `params` distinct from each other and from `reserved` (two API names
/// can meet after case conversion: `fooBar` and `foo_bar`), suffixing 2, 3, … in order.
fn distinct_names(params: &mut [Param], reserved: &[&str]) {
    let mut taken: std::collections::BTreeSet<String> =
        reserved.iter().map(|s| s.to_string()).collect();
    for p in params {
        p.name = unique(std::mem::take(&mut p.name), &mut taken);
    }
}

/// Whether a path parameter's schema has a text form: a scalar, a string enum, or untyped.
fn has_text_form(r: &mut Resolver<'_>, s: &Schema) -> Result<bool> {
    Ok(match &s.kind {
        Kind::Any
        | Kind::Null
        | Kind::Bool
        | Kind::Integer
        | Kind::Number
        | Kind::String
        | Kind::Enum(_) => true,
        Kind::Ref(name) => {
            let body = r.component(name, &s.pointer)?;
            !matches!(body.kind, Kind::Ref(_)) && has_text_form(r, &body)?
        }
        Kind::Array(_) | Kind::Object(_) | Kind::Union(..) => false,
    })
}

fn request_body(
    r: &mut Resolver<'_>,
    t: &mut Types<'_>,
    node: &Value,
    ptr: &str,
    name: Option<&str>,
    ctx: &str,
    notes: &mut Vec<String>,
) -> Result<Option<Body>> {
    let spec = r.spec();
    let Some(body) = node.get("requestBody") else {
        return Ok(None);
    };
    let (bptr, body) = spec.deref(&join(ptr, "requestBody"), body)?;
    let required = body
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let json = content.keys().find(|k| is_json(k));
    if let Some(ct) = json {
        let media = &content[ct.as_str()];
        if media.get("schema").is_none() {
            // Cloudflare's DELETEs declare a JSON body with no schema: send `{}` only when required.
            return Ok(required.then(|| Body {
                ty: Some(Ty::Unit),
                content_type: ct.clone(),
            }));
        }
        let sptr = join(&join(&join(&bptr, "content"), ct), "schema");
        let schema = r.schema(&sptr)?;
        let body_name = name
            .map(str::to_string)
            .unwrap_or_else(|| format!("{ctx}Body"));
        let ty = t.ty(r, &schema, &body_name, true)?;
        return Ok(Some(Body {
            ty: Some(ty),
            content_type: ct.clone(),
        }));
    }
    let Some(ct) = content.keys().next() else {
        return Ok(None);
    };
    notes.push(format!("The `{ct}` request body is sent as raw bytes."));
    Ok(Some(Body {
        ty: None,
        content_type: ct.clone(),
    }))
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    m == "application/json" || m.ends_with("+json")
}

fn response(
    r: &mut Resolver<'_>,
    t: &mut Types<'_>,
    node: &Value,
    ptr: &str,
    ctx: &str,
    has_page: bool,
    notes: &mut Vec<String>,
) -> Result<(Ty, Decode)> {
    let spec = r.spec();
    let Some(responses) = node.get("responses").and_then(Value::as_object) else {
        return Ok((Ty::Unit, Decode::Empty));
    };
    let mut codes: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
    codes.sort();
    let mut chosen = None;
    let mut other_media: Option<String> = None;
    for code in &codes {
        let (rptr, resp) = spec.deref(
            &join(&join(ptr, "responses"), code),
            &responses[code.as_str()],
        )?;
        let Some(content) = resp.get("content").and_then(Value::as_object) else {
            continue;
        };
        if let Some(ct) = content.keys().find(|k| is_json(k)) {
            if content[ct.as_str()].get("schema").is_some() {
                chosen = Some(join(&join(&join(&rptr, "content"), ct), "schema"));
                break;
            }
        }
        if other_media.is_none() {
            other_media = content.keys().find(|k| !is_json(k)).cloned();
        }
    }
    if codes.len() > 1 && chosen.is_some() {
        notes.push(format!(
            "Success responses {}: the first with a JSON body is decoded.",
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let Some(sptr) = chosen else {
        return Ok(match other_media {
            Some(m) if m.starts_with("text/") => (Ty::String, Decode::Text),
            Some(_) => (Ty::Unit, Decode::Binary),
            None => (Ty::Unit, Decode::Empty),
        });
    };
    let schema = r.schema(&sptr)?;
    let flat = match &schema.kind {
        Kind::Ref(name) => r.component(&name.clone(), &sptr)?,
        _ => schema.clone(),
    };
    if let Kind::Object(o) = &flat.kind {
        let has = |n: &str| o.properties.iter().any(|(k, _)| k == n);
        if has("success") && has("errors") {
            let result = o
                .properties
                .iter()
                .find(|(k, _)| k == "result")
                .map(|(_, s)| s.clone());
            let Some(result) = result else {
                return Ok((Ty::Unit, Decode::EnvelopeResult));
            };
            if has("result_info") && has_page {
                let item_schema = match &result.kind {
                    Kind::Array(items) => Some((**items).clone()),
                    _ => None,
                };
                if let Some(items) = item_schema {
                    let ty = t.ty(r, &items, &format!("{ctx}Item"), false)?;
                    return Ok((ty, Decode::EnvelopePage));
                }
            }
            let ty = t.ty(r, &result, &format!("{ctx}Result"), false)?;
            return Ok((ty, Decode::EnvelopeResult));
        }
    }
    let ty = t.ty(r, &schema, &format!("{ctx}Response"), false)?;
    Ok((ty, Decode::Whole))
}
