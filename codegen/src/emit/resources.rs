//! Emits the resource handles (`client.mtls_certificates().associations()`) and their methods.

use super::{docs, ident, ty_tokens};
use crate::ir::{
    template_params, Alias, ArgTy, Decode, Model, Operation, Output, Param, Resource, Scoping, Ty,
};
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
    let legacy = legacy_alias(r);
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

        #legacy
    }
}

/// The handle's legacy name (before it had the `Resource` suffix), as a deprecated alias.
fn legacy_alias(r: &Resource) -> Option<TokenStream> {
    if r.legacy_name.is_empty() || r.legacy_name == r.struct_name {
        return None;
    }
    let old = format_ident!("{}", r.legacy_name);
    let new = format_ident!("{}", r.struct_name);
    let doc = docs::raw(&format!(
        "Deprecated: the old name of [`{new}`], the handle of `{}`.",
        r.accessors()
    ));
    let note = format!("renamed to `{new}`");
    Some(quote! {
        #doc
        #[deprecated(note = #note)]
        pub type #old<'a> = #new<'a>;
    })
}

/// `#[deprecated(note = ...)]`, or nothing.
fn deprecated_attr(note: Option<&str>) -> Option<TokenStream> {
    note.map(|n| quote!(#[deprecated(note = #n)]))
}

/// A method's arguments, its return type, and the type of its result (a page's item), spelled from
/// the model's [`Signature`](crate::ir::Signature).
fn signature(model: &Model, op: &Operation) -> (Vec<TokenStream>, TokenStream, TokenStream) {
    let sig = op.signature();
    let args = sig
        .args
        .iter()
        .map(|a| {
            let n = ident(a.name);
            let t = arg_ty(model, &a.ty);
            quote!(#n: #t)
        })
        .collect();
    let (output, result) = match sig.output {
        Output::One(t) => {
            let t = ty_tokens(model, t, true);
            (t.clone(), t)
        }
        Output::Page(t) => {
            let t = ty_tokens(model, t, true);
            (quote!(crate::Page<#t>), t)
        }
        Output::Bytes => {
            let t = ty_tokens(model, &op.result, true);
            (quote!(crate::__private::Bytes), t)
        }
    };
    (args, output, result)
}

/// An argument's type as tokens.
fn arg_ty(model: &Model, t: &ArgTy) -> TokenStream {
    match t {
        ArgTy::Scope => quote!(crate::Scope<'_>),
        ArgTy::Value(t) => ty_tokens(model, t, true),
        ArgTy::Str => quote!(&str),
        ArgTy::Ref(t) => {
            let t = ty_tokens(model, t, true);
            quote!(&#t)
        }
        ArgTy::Bytes => quote!(impl ::std::convert::Into<crate::__private::Bytes>),
        ArgTy::Params(name) => {
            let name = format_ident!("{}", name);
            quote!(super::types::#name)
        }
    }
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
    if op.decode == Decode::Page {
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
    // The runtime's `Decode` has the model's variants, by the same names.
    let decode = format_ident!("{}", format!("{:?}", op.decode));
    let http = format_ident!("{}", op.http_method);
    let (template, values) = path_tokens(op);
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
    let call = quote! {
        crate::Call::new(
            self.client,
            crate::__private::Method::#http,
            #template,
            &[#(#values),*],
            crate::__private::Decode::#decode,
        )
    };
    // prettyplease indents the arguments of a call that a method chain follows one level
    // deeper than rustfmt does; bound first, the call is laid out at the method's indentation.
    let body = match chain.is_empty() {
        true => call,
        false => quote! {
            let call = #call;
            call #(#chain)*
        },
    };
    let mut out = quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> crate::Call<'a, #output> {
            #body
        }
    };
    if op.decode == Decode::Page {
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

/// The argument names of a method, to pass them on.
fn args_names(op: &Operation) -> Vec<TokenStream> {
    op.signature()
        .args
        .iter()
        .map(|a| {
            let n = ident(a.name);
            quote!(#n)
        })
        .collect()
}

/// The path template literal (with the scope's segments first, for `Scoping::Either`) and the
/// values of its parameters in template order ([`template_params`]), which the runtime
/// percent-encodes into them.
fn path_tokens(op: &Operation) -> (String, Vec<TokenStream>) {
    let mut template = op.path.clone();
    let mut values = Vec::new();
    if op.scoping == Scoping::Either {
        template = format!("/{{accounts_or_zones}}/{{account_or_zone_id}}{template}");
        values.push(quote!(scope.segment()));
        values.push(quote!(scope.id()));
    }
    for name in template_params(&op.path) {
        // The shaping stage gives every parameter of the template a `Param`.
        let Some(p) = op.path_params.iter().find(|p| p.api_name == name) else {
            values.push(quote!(""));
            continue;
        };
        let n = ident(&p.name);
        values.push(match p.ty {
            Ty::String | Ty::Any => quote!(#n),
            _ => quote!(&#n.to_string()),
        });
    }
    (template, values)
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
        Decode::Page => ours.push(format!(
            "Returns one page; [`{m}_all`](Self::{m}_all) streams every item.",
            m = op.method
        )),
        Decode::EnvelopeList => {
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
