//! One operation read from the document: its parameters (path-level ones overridden by the
//! operation's), request body and decoded response, every schema resolved. No Rust names or types.

use super::resolver::Resolver;
use super::schema::{Kind, Schema};
use crate::error::{join, Result};
use crate::load::Spec;
use crate::select::METHODS;
use serde_json::Value;
use std::collections::BTreeSet;

/// An operation of the document, resolved.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The path template.
    pub path: String,
    /// The HTTP method, lower case.
    pub method: &'static str,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// The description of its first tag (the document's `tags` list), if any.
    pub tag_doc: Option<String>,
    /// Parameters, path-level first, each overridden by an operation-level one of the same name
    /// and place.
    pub params: Vec<Parameter>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What a success response holds.
    pub response: Response,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub place: String,
    /// `required` (always true for a path parameter).
    pub required: bool,
    /// The parameter's description.
    pub description: Option<String>,
    /// Its schema (a string when it has none).
    pub schema: Schema,
    /// How a query list's values are joined into one value (`explode: false`), or `None` for
    /// one key per value: see [`list_separator`].
    pub separator: Option<&'static str>,
    /// JSON pointer of the parameter object.
    pub pointer: String,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum RequestBody {
    /// A JSON body with a schema.
    Json {
        /// The media type.
        content_type: String,
        /// The schema.
        schema: Schema,
    },
    /// A JSON body the document declares required but gives no schema (`{}` is sent).
    EmptyJson {
        /// The media type.
        content_type: String,
    },
    /// Another media type: raw bytes.
    Raw {
        /// The media type.
        content_type: String,
    },
}

/// What the success response holds.
#[derive(Debug, Clone)]
pub struct Response {
    /// The 2XX status codes the document lists, sorted.
    pub codes: Vec<String>,
    /// The body of the first with a JSON schema, else the first other media.
    pub body: ResponseBody,
}

/// The decoded body of a success response.
#[derive(Debug, Clone)]
pub enum ResponseBody {
    /// Cloudflare's envelope (an object with `success` and `errors`): its `result`, if it has
    /// one, and whether it has `result_info` (paging).
    Envelope {
        /// The `result` property.
        result: Option<Schema>,
        /// Whether there is a `result_info` property.
        result_info: bool,
    },
    /// Any other JSON with a schema.
    Json(Schema),
    /// A `text/*` body.
    Text,
    /// Another media type.
    Binary,
    /// No body.
    Empty,
}

/// The operations of the document, in (path, method) order: all of them, or those whose
/// operationId is in `selected`.
pub fn all(r: &mut Resolver<'_>, selected: Option<&BTreeSet<String>>) -> Result<Vec<Operation>> {
    let spec = r.spec();
    let mut out = Vec::new();
    let Some(paths) = spec.doc.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    let wanted = |node: &Value| match selected {
        None => true,
        Some(ids) => node
            .get("operationId")
            .and_then(Value::as_str)
            .is_some_and(|id| ids.contains(id)),
    };
    for path in keys {
        let node = &paths[path.as_str()];
        if selected.is_some() && !has_selected(spec, path, node, &wanted) {
            continue;
        }
        let (path_ptr, item) = spec.deref(&join("/paths", path), node)?;
        for method in METHODS {
            if let Some(node) = item.get(*method).filter(|n| wanted(n)) {
                let at = Location {
                    path,
                    item,
                    item_ptr: &path_ptr,
                    method,
                };
                out.push(operation(r, &at, node)?);
            }
        }
    }
    Ok(out)
}

/// Whether the path item holds a selected operation; one that cannot be read holds none (a
/// defect outside the selection never fails a build).
fn has_selected(spec: &Spec, path: &str, node: &Value, wanted: &dyn Fn(&Value) -> bool) -> bool {
    spec.deref(&join("/paths", path), node)
        .is_ok_and(|(_, item)| METHODS.iter().any(|m| item.get(*m).is_some_and(wanted)))
}

/// Where an operation is: its path, path item and method.
struct Location<'d> {
    path: &'d str,
    item: &'d Value,
    item_ptr: &'d str,
    method: &'static str,
}

fn operation(r: &mut Resolver<'_>, at: &Location<'_>, node: &Value) -> Result<Operation> {
    let pointer = join(at.item_ptr, at.method);
    let text = |key: &str| node.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(Operation {
        path: at.path.to_string(),
        method: at.method,
        operation_id: text("operationId"),
        summary: text("summary"),
        description: text("description"),
        deprecated: node
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        tag_doc: tag_doc(r, node),
        params: parameters(r, at, node, &pointer)?,
        body: request_body(r, node, &pointer)?,
        response: response(r, node, &pointer)?,
        pointer,
    })
}

/// The description the document's `tags` list gives the operation's first tag.
fn tag_doc(r: &Resolver<'_>, node: &Value) -> Option<String> {
    let tag = node.get("tags")?.as_array()?.first()?.as_str()?;
    let tags = r.spec().doc.get("tags")?.as_array()?;
    let entry = tags
        .iter()
        .find(|t| t.get("name").and_then(Value::as_str) == Some(tag))?;
    let text = entry.get("description")?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Path-level parameters, then the operation's, which replace those of the same name and place.
fn parameters(
    r: &mut Resolver<'_>,
    at: &Location<'_>,
    node: &Value,
    pointer: &str,
) -> Result<Vec<Parameter>> {
    let spec = r.spec();
    let mut params: Vec<Parameter> = Vec::new();
    for (src, base) in [(at.item, at.item_ptr), (node, pointer)] {
        let Some(list) = src.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let (pp, p) = spec.deref(&join(&join(base, "parameters"), &i.to_string()), p)?;
            let p = parameter(r, p, &pp)?;
            params.retain(|q| !(q.name == p.name && q.place == p.place));
            params.push(p);
        }
    }
    Ok(params)
}

fn parameter(r: &mut Resolver<'_>, p: &Value, pointer: &str) -> Result<Parameter> {
    let spec = r.spec();
    let field = |key: &str| {
        p.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| spec.error(pointer, format!("parameter without `{key}`")))
    };
    let (name, place) = (field("name")?, field("in")?);
    let schema = match p.get("schema") {
        Some(_) => r.schema(&join(pointer, "schema"))?,
        None => Schema::new(Kind::String, pointer),
    };
    Ok(Parameter {
        name: name.to_string(),
        place: place.to_string(),
        required: place == "path" || p.get("required").and_then(Value::as_bool).unwrap_or(false),
        // A blank description is none (the field then gets a placeholder doc).
        description: p
            .get("description")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        schema,
        separator: (place == "query").then(|| list_separator(p)).flatten(),
        pointer: pointer.to_string(),
    })
}

/// The separator of a query parameter's list values by its `style` and `explode`: `None` (one
/// key per value) for `explode: true`, the default of style `form`, the default style; with
/// `explode: false`, `,` for `form`, `|` for `pipeDelimited`, a space for `spaceDelimited`.
/// Other styles (`deepObject`) have no list form and keep one key per value.
fn list_separator(p: &Value) -> Option<&'static str> {
    let style = p.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = p
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    match (explode, style) {
        (true, _) => None,
        (false, "form") => Some(","),
        (false, "pipeDelimited") => Some("|"),
        (false, "spaceDelimited") => Some(" "),
        (false, _) => None,
    }
}

fn request_body(r: &mut Resolver<'_>, node: &Value, pointer: &str) -> Result<Option<RequestBody>> {
    let spec = r.spec();
    let Some(body) = node.get("requestBody") else {
        return Ok(None);
    };
    let (bptr, body) = spec.deref(&join(pointer, "requestBody"), body)?;
    let required = body
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    if let Some(ct) = content.keys().find(|k| is_json(k)) {
        let content_type = ct.clone();
        if content[ct.as_str()].get("schema").is_none() {
            // Cloudflare's DELETEs declare a JSON body with no schema: sent as `{}` when required.
            return Ok(required.then_some(RequestBody::EmptyJson { content_type }));
        }
        let schema = r.schema(&join(&join(&join(&bptr, "content"), ct), "schema"))?;
        return Ok(Some(RequestBody::Json {
            content_type,
            schema,
        }));
    }
    Ok(content.keys().next().map(|ct| RequestBody::Raw {
        content_type: ct.clone(),
    }))
}

/// The first 2XX response with a JSON schema; failing that, the first other media type.
fn response(r: &mut Resolver<'_>, node: &Value, pointer: &str) -> Result<Response> {
    let spec = r.spec();
    let Some(responses) = node.get("responses").and_then(Value::as_object) else {
        return Ok(Response {
            codes: Vec::new(),
            body: ResponseBody::Empty,
        });
    };
    let mut codes: Vec<String> = responses
        .keys()
        .filter(|k| k.starts_with('2'))
        .cloned()
        .collect();
    codes.sort();
    let mut other_media: Option<String> = None;
    for code in &codes {
        let at = join(&join(pointer, "responses"), code);
        let (rptr, resp) = spec.deref(&at, &responses[code.as_str()])?;
        let Some(content) = resp.get("content").and_then(Value::as_object) else {
            continue;
        };
        if let Some(ct) = content.keys().find(|k| is_json(k)) {
            if content[ct.as_str()].get("schema").is_some() {
                let schema = r.schema(&join(&join(&join(&rptr, "content"), ct), "schema"))?;
                return Ok(Response {
                    codes,
                    body: json_body(r, schema)?,
                });
            }
        }
        if other_media.is_none() {
            other_media = content.keys().find(|k| !is_json(k)).cloned();
        }
    }
    let body = match other_media {
        Some(m) if m.starts_with("text/") => ResponseBody::Text,
        Some(_) => ResponseBody::Binary,
        None => ResponseBody::Empty,
    };
    Ok(Response { codes, body })
}

/// A JSON response body: Cloudflare's envelope, reduced to what is decoded (its `result`), or
/// the whole schema.
fn json_body(r: &mut Resolver<'_>, schema: Schema) -> Result<ResponseBody> {
    let envelope = match &schema.kind {
        Kind::Ref(name) => {
            let name = name.clone();
            envelope(r.cached_component(&name, &schema.pointer)?.as_ref())
        }
        _ => envelope(&schema),
    };
    Ok(envelope.unwrap_or(ResponseBody::Json(schema)))
}

/// `s` as Cloudflare's envelope (an object with `success` and `errors`), if it is one: its
/// `result` (the only part copied) and whether it pages.
fn envelope(s: &Schema) -> Option<ResponseBody> {
    let Kind::Object(o) = &s.kind else {
        return None;
    };
    let property = |n: &str| o.properties.iter().find(|(k, _)| k == n).map(|(_, p)| p);
    property("success")?;
    property("errors")?;
    Some(ResponseBody::Envelope {
        result: property("result").cloned(),
        result_info: property("result_info").is_some(),
    })
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    m == "application/json" || m.ends_with("+json")
}
