//! Emits the resource handles (`client.mtls_certificates().associations()`) and their methods.

use super::{docs, ident, ty_tokens};
use crate::ir::{Alias, Body, Decode, Model, Operation, Param, Resource, Scoping, Ty};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The resources of the `resources` module in the order they are emitted: each before its
/// sub-resources, siblings sorted by name.
pub fn sorted(model: &Model) -> Vec<&Resource> {
    fn walk<'m>(r: &'m Resource, out: &mut Vec<&'m Resource>) {
        out.push(r);
        for c in &r.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for r in &model.resources {
        walk(r, &mut out);
    }
    out
}

/// The accessors of the top-level resources on `Client`.
pub fn accessors(model: &Model) -> TokenStream {
    let accessors = model.resources.iter().map(accessor);
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

fn accessor(r: &Resource) -> TokenStream {
    let name = ident(&r.name);
    let ty = format_ident!("{}", r.struct_name);
    let doc = docs::attrs(&r.doc);
    let deprecated = deprecated_attr(r.deprecated.as_deref());
    quote! {
        #doc
        #deprecated
        pub fn #name(&self) -> resources::#ty<'_> {
            resources::#ty { client: self }
        }
    }
}

/// The handle struct of one resource and its methods (sub-resources are items of their own).
pub fn item(model: &Model, r: &Resource) -> TokenStream {
    let ty = format_ident!("{}", r.struct_name);
    let doc = docs::attrs(&r.doc);
    let children = r.children.iter().map(|c| {
        let name = ident(&c.name);
        let cty = format_ident!("{}", c.struct_name);
        let cdoc = docs::attrs(&c.doc);
        let deprecated = deprecated_attr(c.deprecated.as_deref());
        quote! {
            #cdoc
            #deprecated
            pub fn #name(&self) -> #cty<'a> {
                #cty { client: self.client }
            }
        }
    });
    let methods = r.operations.iter().map(|op| method(model, op));
    let aliases = r.aliases.iter().map(|a| alias_method(model, a));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            #(#children)*
            #(#methods)*
            #(#aliases)*
        }
    }
}

/// `#[deprecated(note = ...)]`, or nothing.
fn deprecated_attr(note: Option<&str>) -> Option<TokenStream> {
    note.map(|n| quote!(#[deprecated(note = #n)]))
}

/// A method's arguments, its return type, and the type of its result (a page's item).
fn signature(model: &Model, op: &Operation) -> (Vec<TokenStream>, TokenStream, TokenStream) {
    let mut args = Vec::new();
    if op.scoping == Scoping::Either {
        args.push(quote!(scope: crate::Scope<'_>));
    }
    for p in &op.path_params {
        let n = ident(&p.name);
        let t = path_param_type(model, p);
        args.push(quote!(#n: #t));
    }
    let body_arg = op.body.as_ref().and_then(|b| match &b.ty {
        Some(Ty::Unit) => None,
        Some(t) => {
            let t = ty_tokens(model, t, true);
            Some(quote!(body: &#t))
        }
        None => Some(quote!(body: impl ::std::convert::Into<crate::__private::Bytes>)),
    });
    args.extend(body_arg);
    if let Some(ps) = &op.params_struct {
        let ps = format_ident!("{}", ps);
        args.push(quote!(params: super::types::#ps));
    }
    let result = ty_tokens(model, &op.result, true);
    let output = match op.decode {
        Decode::EnvelopePage => quote!(crate::Page<#result>),
        Decode::Binary => quote!(crate::__private::Bytes),
        _ => result.clone(),
    };
    (args, output, result)
}

/// A deprecated old name of an operation that moved: the same signature, calling the operation
/// where it is now (and its `_all` stream, for a paged list).
fn alias_method(model: &Model, a: &Alias) -> TokenStream {
    let op = &a.op;
    let name = ident(&a.method);
    let (args, output, result) = signature(model, op);
    let arg_names = args_names(op);
    let accessors: Vec<TokenStream> = a
        .target
        .iter()
        .map(|s| {
            let s = ident(s);
            quote!(.#s())
        })
        .collect();
    let chain: String = a.target.iter().map(|s| format!("{s}().")).collect();
    let new_path = format!("{chain}{}", op.method);
    let note = format!("use `{new_path}` instead");
    let doc = docs::raw(&format!(
        "Deprecated: the old name of [`{s}::{m}`], which it calls. Use `{new_path}`.",
        s = a.target_struct,
        m = op.method
    ));
    let target = ident(&op.method);
    let mut out = quote! {
        #doc
        #[deprecated(note = #note)]
        pub fn #name(&self, #(#args),*) -> crate::Call<'a, #output> {
            self.client #(#accessors)* .#target(#(#arg_names),*)
        }
    };
    if op.decode == Decode::EnvelopePage {
        let all = format_ident!("{}_all", a.method);
        let target_all = format_ident!("{}_all", op.method);
        let note = format!("use `{new_path}_all` instead");
        let doc = docs::raw(&format!(
            "Deprecated: the old name of [`{s}::{m}_all`], which it calls. Use `{new_path}_all`.",
            s = a.target_struct,
            m = op.method
        ));
        out.extend(quote! {
            #doc
            #[deprecated(note = #note)]
            pub fn #all(&self, #(#args),*) -> crate::PageStream<'a, #result> {
                self.client #(#accessors)* .#target_all(#(#arg_names),*)
            }
        });
    }
    out
}

fn method(model: &Model, op: &Operation) -> TokenStream {
    let name = ident(&op.method);
    let doc = method_doc(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let (args, output, result) = signature(model, op);
    let decode = match op.decode {
        // A list that is not paged: an absent or null `result` is empty.
        Decode::EnvelopeResult if matches!(op.result, Ty::Vec(_)) => quote!(EnvelopeList),
        Decode::EnvelopeResult => quote!(Envelope),
        Decode::EnvelopePage => quote!(Page),
        Decode::Whole => quote!(Whole),
        Decode::Text => quote!(Text),
        Decode::Binary => quote!(Binary),
        Decode::Empty => quote!(Empty),
    };
    let http = format_ident!("{}", op.http_method);
    let (template, lets, path_expr) = path_tokens(op);
    let mut chain = Vec::new();
    for q in &op.query {
        chain.push(param_call(model, q, "query"));
    }
    for h in &op.headers {
        chain.push(param_call(model, h, "header"));
    }
    if let Some(b) = &op.body {
        let ct = &b.content_type;
        chain.push(match &b.ty {
            Some(Ty::Unit) => quote!(.json_empty()),
            Some(_) => quote!(.json(body)),
            None => quote!(.bytes(#ct, body)),
        });
    }
    let mut out = quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> crate::Call<'a, #output> {
            #lets
            crate::Call::new(
                self.client,
                crate::__private::Method::#http,
                #template,
                #path_expr,
                crate::__private::Decode::#decode,
            )
            #(#chain)*
        }
    };
    if op.decode == Decode::EnvelopePage {
        let all = format_ident!("{}_all", op.method);
        let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        let arg_names: Vec<TokenStream> = args_names(op);
        let all_doc = docs::raw(&format!(
            "Every item of [`{m}`](Self::{m}), page after page, as a stream.\n\nStops after the last page (by `result_info.total_pages`), on a short or empty page, or when the server repeats a page.",
            m = op.method
        ));
        out.extend(quote! {
            #all_doc
            #deprecated
            #allow
            pub fn #all(&self, #(#args),*) -> crate::PageStream<'a, #result> {
                self.#name(#(#arg_names),*).into_stream()
            }
        });
    }
    out
}

fn args_names(op: &Operation) -> Vec<TokenStream> {
    let mut v = Vec::new();
    if op.scoping == Scoping::Either {
        v.push(quote!(scope));
    }
    for p in &op.path_params {
        let n = ident(&p.name);
        v.push(quote!(#n));
    }
    if let Some(Body { ty, .. }) = &op.body {
        if ty.as_ref() != Some(&Ty::Unit) {
            v.push(quote!(body));
        }
    }
    if op.params_struct.is_some() {
        v.push(quote!(params));
    }
    v
}

fn path_param_type(model: &Model, p: &Param) -> TokenStream {
    match &p.ty {
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Named(_) => {
            let t = ty_tokens(model, &p.ty, true);
            quote!(&#t)
        }
        _ => quote!(&str),
    }
}

/// The path template literal, the statements that percent-encode each path value into a local of
/// the same name, and the `format!` expression that fills the template from those locals.
fn path_tokens(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    let mut fmt = String::new();
    let mut lets = Vec::new();
    let mut template = op.path.clone();
    if op.scoping == Scoping::Either {
        fmt.push_str("/{accounts_or_zones}/{account_or_zone_id}");
        lets.push(quote! {
            let accounts_or_zones = scope.segment();
            let account_or_zone_id = crate::__private::encode_path(scope.id());
        });
        template = format!("/{{accounts_or_zones}}/{{account_or_zone_id}}{template}");
    }
    let mut rest = op.path.as_str();
    let mut encoded = std::collections::BTreeSet::new();
    while let Some(start) = rest.find('{') {
        fmt.push_str(&rest[..start].replace('}', "}}"));
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let pname = &rest[start + 1..start + len];
        let p = op.path_params.iter().find(|p| p.api_name == pname);
        let rust = p
            .map(|p| p.name.clone())
            .unwrap_or_else(|| crate::naming::snake(pname));
        let n = ident(&rust);
        fmt.push_str(&format!("{{{}}}", rust.trim_start_matches("r#")));
        rest = &rest[start + len + 1..];
        if !encoded.insert(rust.clone()) {
            continue; // the same parameter twice in one path
        }
        lets.push(match p.map(|p| &p.ty) {
            Some(Ty::String) | Some(Ty::Any) | None => {
                quote!(let #n = crate::__private::encode_path(#n);)
            }
            _ => quote!(let #n = crate::__private::encode_path(&#n.to_string());),
        });
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if lets.is_empty() {
        quote!(::std::string::String::from(#fmt))
    } else {
        quote!(::std::format!(#fmt))
    };
    (quote!(#template), quote!(#(#lets)*), path)
}

fn param_call(model: &Model, p: &Param, kind: &str) -> TokenStream {
    let n = ident(&p.name);
    let api = &p.api_name;
    let scalar = |t: &Ty| match t {
        Ty::Named(id) => matches!(model.types[*id].kind, crate::ir::TypeKind::Enum(_)),
        Ty::Any | Ty::Map(_) | Ty::Vec(_) | Ty::Boxed(_) | Ty::Unit => false,
        _ => true,
    };
    let list = matches!(&p.ty, Ty::Vec(inner) if scalar(inner));
    let json = !list && !scalar(&p.ty);
    let m = match (kind, list, json) {
        ("query", true, _) => "query_each",
        ("query", _, true) => "query_json",
        ("query", _, _) => "query_param",
        (_, true, _) => "header_list",
        (_, _, true) => "header_json",
        _ => "header_param",
    };
    let m = format_ident!("{}", m);
    if let (true, "query", Some(sep)) = (list, kind, p.separator) {
        // `explode: false`: the values joined into one.
        let values = if p.required {
            quote!(::std::option::Option::Some(&params.#n))
        } else {
            quote!(params.#n.as_ref())
        };
        return quote!(.query_joined(#api, #sep, #values));
    }
    if p.required {
        quote!(.#m(#api, ::std::option::Option::Some(&params.#n)))
    } else {
        quote!(.#m(#api, params.#n.as_ref()))
    }
}

/// A method's doc: the document's summary and description, then what it returns and the HTTP
/// route (the generator's, with links), then the generator's notes.
fn method_doc(op: &Operation) -> TokenStream {
    let mut theirs = Vec::new();
    if let Some(s) = &op.summary {
        theirs.push(s.trim().to_string());
    }
    if let Some(d) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
            theirs.push(d.trim().to_string());
        }
    }
    let mut ours = Vec::new();
    if theirs.is_empty() {
        ours.push(format!("`{} {}`.", op.http_method, op.path));
    }
    match op.decode {
        Decode::EnvelopePage => ours.push(format!(
            "Returns one page; [`{m}_all`](Self::{m}_all) streams every item.",
            m = op.method
        )),
        Decode::EnvelopeResult if matches!(op.result, Ty::Vec(_)) => {
            ours.push("The API does not page this list: every item comes in one response.".into())
        }
        _ => {}
    }
    let route = match op.scoping {
        Scoping::Either => format!(
            "`{m} /accounts/{{account_id}}{p}` or `{m} /zones/{{zone_id}}{p}`, by `scope`",
            m = op.http_method,
            p = op.path
        ),
        Scoping::None | Scoping::Account | Scoping::Zone => {
            format!("`{} {}`", op.http_method, op.path)
        }
    };
    let mut http = format!("HTTP: {route}.");
    match op.operation_ids.as_slice() {
        [] => {}
        [one] => http.push_str(&format!(" Operation `{one}`.")),
        [init @ .., last] => http.push_str(&format!(
            " Operations `{}` and `{last}`.",
            init.join("`, `")
        )),
    }
    ours.push(http);
    docs::paragraphs([
        docs::attrs(&theirs.join("\n\n")),
        docs::raw(&ours.join("\n\n")),
        docs::attrs(&op.notes.join("\n\n")),
    ])
}
