//! Constructors and setters of the structs users build (request bodies and parameter structs):
//! `Type::new(required…)` and one chainable setter per optional field. With `#[non_exhaustive]` on
//! every struct, a field Cloudflare adds is an additive change: code that builds a value this way
//! keeps compiling.

use super::{docs, ident, ty_tokens};
use crate::ir::{three_state, Field, Model, Ty, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Whether users build values of `def` (a request body's type or a parameter struct), so that it
/// gets `new` and setters. Received-only types are built by the client from JSON.
pub fn built_by_users(def: &TypeDef) -> bool {
    def.sent || !def.received
}

/// The `impl` with `new` and the setters of a struct users build.
pub fn constructor_and_setters(model: &Model, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in fields {
        let fname = ident(&f.name);
        let (arg_ty, convert) = argument(model, def, f);
        if f.api_name.is_empty() {
            inits.push(quote!(#fname: ::std::default::Default::default()));
        } else if !f.optional {
            args.push(quote!(#fname: #arg_ty));
            // `ca` rather than `ca: ca` where the argument is the value.
            if convert.to_string() == f.name {
                inits.push(quote!(#fname));
            } else {
                inits.push(quote!(#fname: #convert));
            }
        } else {
            let unset = if three_state(def, f) {
                quote!(crate::Nullable::Absent)
            } else {
                quote!(::std::option::Option::None)
            };
            inits.push(quote!(#fname: #unset));
            setters.push(setter(def, f, arg_ty, convert));
        }
    }
    let new_doc = docs::attrs(&format!(
        "A `{}` with its required fields; set the optional ones with the setters.",
        def.name
    ));
    // Clippy's limit: a body with more required fields than that takes them all the same.
    let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// A chainable setter of the optional field `f`.
fn setter(def: &TypeDef, f: &Field, arg_ty: TokenStream, convert: TokenStream) -> TokenStream {
    let fname = ident(&f.name);
    let plain = f.name.trim_start_matches("r#");
    let method = if plain == "new" {
        format_ident!("with_new")
    } else {
        ident(&f.name)
    };
    let value = if three_state(def, f) {
        quote!(#convert)
    } else {
        quote!(::std::option::Option::Some(#convert))
    };
    let summary = f.doc.split("\n\n").next().unwrap_or_default();
    let doc = docs::attrs(&format!("Sets `{plain}`: {summary}"));
    quote! {
        #doc
        pub fn #method(mut self, #fname: #arg_ty) -> Self {
            self.#fname = #value;
            self
        }
    }
}

/// The argument type for field `f` of `def` and the expression that turns the argument (named as
/// the field) into the field's value (`Some` aside): strings take `impl Into<String>`, three-state
/// fields anything that converts into a `Nullable` (`true`, `Nullable::Null`), boxed fields the
/// value itself.
fn argument(model: &Model, def: &TypeDef, f: &Field) -> (TokenStream, TokenStream) {
    let fname = ident(&f.name);
    let inner = ty_tokens(model, &f.ty, false);
    if f.boxed {
        return (inner, quote!(::std::boxed::Box::new(#fname)));
    }
    if three_state(def, f) {
        return (
            quote!(impl ::std::convert::Into<crate::Nullable<#inner>>),
            quote!(#fname.into()),
        );
    }
    match &f.ty {
        Ty::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(#fname.into()),
        ),
        _ => (inner, quote!(#fname)),
    }
}
