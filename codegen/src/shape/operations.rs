//! Operations shaped into methods: names from the overlay (or the path), parameters, bodies and
//! results typed, envelopes detected. Reads the resolved document only.

use super::types::Types;
use crate::error::Result;
use crate::ir::{Body, Decode, Field, Operation, Param, Scoping, Ty};
use crate::naming::{self, camel, snake, unique};
use crate::overlay::{OperationName, Overlay};
use crate::resolve::operation::{self as resolved, RequestBody, ResponseBody};
use crate::resolve::schema::{Kind, Schema};

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

/// Every operation of `ops` (in their order), each dropped once shaped; what degraded goes to
/// `degraded`.
pub fn drafts(
    ops: Vec<resolved::Operation>,
    t: &mut Types<'_>,
    overlay: &Overlay,
    degraded: &mut Vec<String>,
) -> Result<Vec<Draft>> {
    ops.into_iter()
        .map(|op| Shaper::new(&op, overlay, t, degraded).draft())
        .collect()
}

/// Shapes one operation.
struct Shaper<'a, 'o> {
    op: &'a resolved::Operation,
    named: Option<&'a OperationName>,
    types: &'a mut Types<'o>,
    degraded: &'a mut Vec<String>,
    resource: Vec<String>,
    method: String,
    /// The prefix of the operation's derived type names (`MtlsCertificatesList`).
    ctx: String,
    notes: Vec<String>,
}

impl<'a, 'o> Shaper<'a, 'o> {
    fn new(
        op: &'a resolved::Operation,
        overlay: &'a Overlay,
        types: &'a mut Types<'o>,
        degraded: &'a mut Vec<String>,
    ) -> Self {
        let named = op
            .operation_id
            .as_ref()
            .and_then(|id| overlay.operations.get(id));
        let (resource, method) = match named {
            Some(n) => {
                let mut parts: Vec<String> = n.method().split('.').map(snake).collect();
                let m = parts.pop().unwrap_or_default();
                (parts, m)
            }
            None => derive_name(&op.path, op.method),
        };
        let ctx = resource.iter().map(|s| camel(s)).collect::<String>() + &camel(&method);
        Shaper {
            op,
            named,
            types,
            degraded,
            resource,
            method,
            ctx,
            notes: Vec::new(),
        }
    }

    fn draft(mut self) -> Result<Draft> {
        let params_struct_name = self
            .named
            .and_then(|n| n.params())
            .map_or_else(|| format!("{}Params", self.ctx), str::to_string);
        let (path_params, query, headers) = self.params(&params_struct_name)?;
        let body = self.request_body()?;
        let has_page = query.iter().any(|q| q.api_name == "page");
        let (result, decode) = self.result(has_page)?;
        self.anchor_names(&result, body.as_ref());
        let params_struct = self.params_struct(&params_struct_name, &query, &headers);
        let (scope, rest) = split_scope(&self.op.path);
        let op = Operation {
            method: self.method,
            operation_ids: self.op.operation_id.iter().cloned().collect(),
            http_method: self.op.method.to_uppercase(),
            path: self.op.path.clone(),
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
            summary: self.op.summary.clone(),
            description: self.op.description.clone(),
            deprecated: self.op.deprecated,
            tag_doc: self.op.tag_doc.clone(),
            notes: self.notes,
        };
        Ok(Draft {
            resource: self.resource,
            op,
            scope,
            rest,
        })
    }

    /// Path parameters (in template order) and the query and header parameters, with distinct
    /// Rust names.
    #[allow(clippy::type_complexity)]
    fn params(&mut self, struct_name: &str) -> Result<(Vec<Param>, Vec<Param>, Vec<Param>)> {
        let (mut path, mut query, mut headers) = (Vec::new(), Vec::new(), Vec::new());
        let op = self.op;
        for p in &op.params {
            let param = self.param(p, struct_name)?;
            match p.place.as_str() {
                "path" => path.push(param),
                "query" => query.push(param),
                "header" => headers.push(param),
                _ => {} // cookie parameters are not supported; the caller can add them as headers.
            }
        }
        let path = self.path_params(path);
        // Query and header parameters are the fields of one params struct.
        let query_count = query.len();
        let mut fields: Vec<Param> = query.into_iter().chain(headers).collect();
        distinct_names(&mut fields, &[]);
        let headers = fields.split_off(query_count);
        Ok((path, fields, headers))
    }

    fn param(&mut self, p: &resolved::Parameter, struct_name: &str) -> Result<Param> {
        let ty = if p.place == "path" && !self.has_text_form(&p.schema)? {
            // A URL path segment is text: an object, array or union has no form there.
            let what = format!(
                "the path parameter `{}` has no text form in the document (an object, array or union)",
                p.name
            );
            self.notes
                .push(format!("Note: {what}; it is taken as a string here."));
            self.degraded
                .push(format!("#{}/schema: {what}; taken as a string", p.pointer));
            Ty::String
        } else if p.place == "query"
            && COUNTS.contains(&p.name.as_str())
            && p.schema.kind == Kind::Number
        {
            // Page numbers, page sizes and offsets count: Cloudflare's documents sometimes give
            // them `type: number`, which would make them `f64`.
            Ty::Integer
        } else {
            let ctx = format!("{struct_name}{}", camel(&p.name));
            self.types.ty(&p.schema, &ctx, true)?
        };
        let doc = p
            .description
            .clone()
            .or_else(|| p.schema.description.as_deref().map(str::to_string))
            .unwrap_or_else(|| format!("The `{}` {} parameter.", p.name, p.place));
        Ok(Param {
            name: snake(&p.name),
            api_name: p.name.clone(),
            ty,
            required: p.required,
            separator: p.separator,
            doc,
        })
    }

    /// Whether a path parameter's schema has a text form: a scalar, a string enum, or untyped.
    fn has_text_form(&self, s: &Schema) -> Result<bool> {
        Ok(match &s.kind {
            Kind::Any
            | Kind::Null
            | Kind::Bool
            | Kind::Integer
            | Kind::Number
            | Kind::String
            | Kind::Enum(_) => true,
            Kind::Ref(name) => {
                let body = self.types.component_body(name, &s.pointer)?;
                !matches!(body.kind, Kind::Ref(_)) && self.has_text_form(body)?
            }
            Kind::Array(_) | Kind::Object(_) | Kind::Union(..) => false,
        })
    }

    /// The path parameters in template order: a declared one the template lacks is left out, a
    /// template one never declared is a string; then named (see [`name_path_params`]).
    fn path_params(&mut self, mut params: Vec<Param>) -> Vec<Param> {
        let op = self.op;
        let template = op.path.as_str();
        let in_template = crate::ir::template_params(template);
        let position = |p: &Param| in_template.iter().position(|n| *n == p.api_name);
        params.retain(|p| {
            let found = position(p).is_some();
            if !found {
                let what = format!(
                    "the path parameter `{}` is not in the path template `{template}`",
                    p.api_name
                );
                self.notes.push(format!("Note: {what}; it is left out."));
                self.degraded
                    .push(format!("#{}: {what}; left out", op.pointer));
            }
            found
        });
        for name in &in_template {
            if !params.iter().any(|p| p.api_name == *name) {
                params.push(Param {
                    name: snake(name),
                    api_name: name.to_string(),
                    ty: Ty::String,
                    required: true,
                    separator: None,
                    doc: format!("The `{name}` path parameter."),
                });
            }
        }
        params.sort_by_key(|p| position(p).unwrap_or(usize::MAX));
        let listed = self.named.and_then(|n| n.path_params());
        if name_path_params(&mut params, template, listed, &mut self.notes) {
            self.degraded.push(format!(
                "#{}: the overlay's path parameter names do not fit the path; not used",
                op.pointer
            ));
        }
        distinct_names(&mut params, ARGUMENTS);
        params
    }

    fn request_body(&mut self) -> Result<Option<Body>> {
        let op = self.op;
        Ok(match &op.body {
            None => None,
            Some(RequestBody::EmptyJson { content_type }) => Some(Body {
                ty: Some(Ty::Unit),
                content_type: content_type.clone(),
            }),
            Some(RequestBody::Json {
                content_type,
                schema,
            }) => {
                let name = self
                    .named
                    .and_then(|n| n.body())
                    .map_or_else(|| format!("{}Body", self.ctx), str::to_string);
                Some(Body {
                    ty: Some(self.types.ty(schema, &name, true)?),
                    content_type: content_type.clone(),
                })
            }
            Some(RequestBody::Raw { content_type }) => {
                self.notes.push(format!(
                    "The `{content_type}` request body is sent as raw bytes."
                ));
                Some(Body {
                    ty: None,
                    content_type: content_type.clone(),
                })
            }
        })
    }

    /// The result type and how it is decoded: Cloudflare's envelope unwrapped (a page when it has
    /// `result_info` and the operation takes `page`), else the whole body.
    fn result(&mut self, has_page: bool) -> Result<(Ty, Decode)> {
        let op = self.op;
        let response = &op.response;
        if response.codes.len() > 1
            && matches!(
                response.body,
                ResponseBody::Json(_) | ResponseBody::Envelope { .. }
            )
        {
            self.notes.push(format!(
                "Success responses {}: the first with a JSON body is decoded.",
                response.codes.join(", ")
            ));
        }
        let ctx = &self.ctx;
        Ok(match &response.body {
            ResponseBody::Text => (Ty::String, Decode::Text),
            ResponseBody::Binary => (Ty::Unit, Decode::Binary),
            ResponseBody::Empty => (Ty::Unit, Decode::Empty),
            ResponseBody::Json(schema) => (
                self.types.ty(schema, &format!("{ctx}Response"), false)?,
                Decode::Whole,
            ),
            ResponseBody::Envelope { result: None, .. } => (Ty::Unit, Decode::Envelope),
            ResponseBody::Envelope {
                result: Some(result),
                result_info,
            } => match &result.kind {
                Kind::Array(items) if has_page && *result_info => (
                    self.types.ty(items, &format!("{ctx}Item"), false)?,
                    Decode::Page,
                ),
                _ => {
                    let ty = self.types.ty(result, &format!("{ctx}Result"), false)?;
                    // A list that is not paged: an absent or null `result` is empty.
                    let decode = match ty {
                        Ty::Vec(_) => Decode::EnvelopeList,
                        _ => Decode::Envelope,
                    };
                    (ty, decode)
                }
            },
        })
    }

    /// Names anchored to the operation, whatever components upstream puts there.
    fn anchor_names(&mut self, result: &Ty, body: Option<&Body>) {
        let Some(named) = self.named else {
            return;
        };
        if let Some(name) = named.result() {
            self.types.name_by_operation(result, name);
        }
        if let (Some(name), Some(Body { ty: Some(ty), .. })) = (named.body(), body) {
            self.types.name_by_operation(ty, name);
        }
    }

    /// The struct of the query and header parameters, if there are any.
    fn params_struct(&mut self, name: &str, query: &[Param], headers: &[Param]) -> Option<String> {
        if query.is_empty() && headers.is_empty() {
            return None;
        }
        let fields = query
            .iter()
            .chain(headers)
            .map(|p| Field {
                name: p.name.clone(),
                api_name: p.api_name.clone(),
                ty: p.ty.clone(),
                optional: !p.required,
                required: p.required,
                nullable: false,
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
            self.resource.join("."),
            self.method
        );
        Some(self.types.params_struct(name, doc, fields))
    }
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

/// A name from the path (after the scope prefix, if any): static segments are the resource, the
/// HTTP method (and whether the path ends in a parameter) the method.
fn derive_name(path: &str, method: &str) -> (Vec<String>, String) {
    let (scope, rest) = split_scope(path);
    let path = if scope.is_some() { rest.as_str() } else { path };
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

/// Query parameters that count (pages, items) and so are integers whatever the document says.
const COUNTS: &[&str] = &["page", "per_page", "limit", "offset"];

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
/// [`naming::path_argument`]). An overlay list of the wrong length is stale (the operation's path
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
                p.name = naming::path_argument(template, &p.api_name);
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
