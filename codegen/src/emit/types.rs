//! Emits the `types` module: structs, forward-compatible enums, unions and aliases.

use super::builders::{built_by_users, constructor_and_setters};
use super::{docs, ident, ty_tokens};
use crate::ir::{three_state, Field, Model, Ty, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The types of the `types` module in the order they are emitted: sorted by name.
pub fn sorted(model: &Model) -> Vec<&TypeDef> {
    let mut defs: Vec<&TypeDef> = model.types.iter().collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// A type's doc: the document's description, then where the API uses it.
fn type_doc(def: &TypeDef) -> TokenStream {
    docs::paragraphs([docs::attrs(&def.doc), docs::raw(&def.uses)])
}

/// The item (or items: a type and its impls) of one type.
pub fn item(model: &Model, def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = type_doc(def);
    match &def.kind {
        TypeKind::Struct(fields) => emit_struct(model, def, fields),
        TypeKind::Enum(variants) => {
            let vs = variants.iter().map(|(v, wire)| {
                let v = format_ident!("{}", v);
                let vdoc = docs::attrs(&format!("`{wire}`"));
                quote!(#vdoc #v,)
            });
            let pairs = variants.iter().map(|(v, wire)| {
                let v = format_ident!("{}", v);
                quote!(#v = #wire)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the client does not know, kept as received.
                    Unknown(::std::string::String),
                }
                crate::__private::string_enum!(#name { #(#pairs),* });
            }
        }
        TypeKind::Union(variants) => {
            let vs = variants.iter().map(|(v, t)| {
                let v = format_ident!("{}", v);
                let t = ty_tokens(model, t, false);
                let vdoc = docs::attrs(&format!("The `{v}` alternative."));
                quote!(#vdoc #v(#t),)
            });
            let (serde_derives, serde_other_way) = serde_derives(def);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #(#serde_derives),*)]
                #serde_other_way
                #[serde(untagged)]
                pub enum #name { #(#vs)* }
            }
        }
        TypeKind::Tagged { tag, variants } => {
            let vs = variants.iter().map(|(v, value, t)| {
                let v = format_ident!("{}", v);
                let t = ty_tokens(model, t, false);
                let vdoc = docs::attrs(&format!("`{tag}` is `{value}`."));
                quote!(#vdoc #v(#t),)
            });
            let pairs = variants.iter().map(|(v, value, _)| {
                let v = format_ident!("{}", v);
                quote!(#value => #v)
            });
            let unknown_doc =
                format!(" A `{tag}` this version of the client does not know, kept as received.");
            // `tagged_union!` implements `Deserialize` (the tag decides, unknown tags are kept).
            let derives = if def.sent {
                quote!(#[derive(Debug, Clone, PartialEq, ::serde::Serialize)] #[serde(untagged)])
            } else {
                quote! {
                    #[derive(Debug, Clone, PartialEq)]
                    #[cfg_attr(feature = #BOTH_WAYS, derive(::serde::Serialize), serde(untagged))]
                }
            };
            // A union that is only sent decodes only with `serde-both-ways`, like its variants.
            let decodes = (!def.received).then(|| quote!(#[cfg(feature = #BOTH_WAYS)]));
            quote! {
                #doc
                #derives
                pub enum #name {
                    #(#vs)*
                    #[doc = #unknown_doc]
                    Unknown(::serde_json::Value),
                }
                #decodes
                crate::__private::tagged_union!(#name, #tag, { #(#pairs),* });
            }
        }
        TypeKind::Alias(t) => {
            let t = ty_tokens(model, t, false);
            quote! { #doc pub type #name = #t; }
        }
    }
}

/// The cargo feature that derives both serde traits on every JSON type (the CLI prints results as
/// JSON; a user may store them).
const BOTH_WAYS: &str = "serde-both-ways";

/// The serde derives of a JSON type: `Serialize` if it is sent, `Deserialize` if it is received;
/// and the attribute that derives the other one with the `serde-both-ways` feature. Nothing for a
/// parameter struct.
fn serde_derives(def: &TypeDef) -> (Vec<TokenStream>, TokenStream) {
    let ser = quote!(::serde::Serialize);
    let de = quote!(::serde::Deserialize);
    match (def.sent, def.received) {
        (true, true) => (vec![ser, de], quote!()),
        (true, false) => (
            vec![ser],
            quote!(#[cfg_attr(feature = #BOTH_WAYS, derive(#de))]),
        ),
        (false, true) => (
            vec![de],
            quote!(#[cfg_attr(feature = #BOTH_WAYS, derive(#ser))]),
        ),
        (false, false) => (Vec::new(), quote!()),
    }
}

/// The note on a three-state field.
const THREE_STATE_DOC: &str = "Three-state: `Nullable::Absent` (the default) leaves it out, `Nullable::Null` sends `null`, `Nullable::Value` sends the value.";

fn emit_struct(model: &Model, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = type_doc(def);
    let secret = fields.iter().any(|f| f.secret);
    let default = fields
        .iter()
        .all(|f| f.optional || matches!(f.ty, Ty::Map(_)));
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if !secret {
        derives.insert(0, quote!(Debug));
    }
    if default {
        derives.push(quote!(Default));
    }
    let (serde_derives, serde_other_way) = serde_derives(def);
    derives.extend(serde_derives);
    let field_tokens = fields.iter().map(|f| {
        let fname = ident(&f.name);
        // `missing_docs` holds for every field: a doc that cleans to nothing gets the placeholder.
        let own = match docs::clean(&f.doc).is_empty() {
            true => format!("The `{}` field.", f.api_name),
            false => f.doc.clone(),
        };
        let fdoc = if three_state(def, f) {
            docs::attrs(&format!("{own}\n\n{THREE_STATE_DOC}"))
        } else {
            docs::attrs(&own)
        };
        let mut t = ty_tokens(model, &f.ty, false);
        if f.boxed {
            t = quote!(::std::boxed::Box<#t>);
        }
        let nullable = three_state(def, f);
        if nullable {
            t = quote!(crate::Nullable<#t>);
        } else if f.optional {
            t = quote!(::std::option::Option<#t>);
        }
        let serde = if !(def.sent || def.received) {
            quote!()
        } else if f.api_name.is_empty() {
            quote!(#[serde(flatten)])
        } else {
            let mut parts = Vec::new();
            if f.name.trim_start_matches("r#") != f.api_name {
                let api = &f.api_name;
                parts.push(quote!(rename = #api));
            }
            let lenient = lenient(def, f);
            if let Some(date) = &lenient.date {
                let with = format!("{}::{date}", def.name);
                parts.push(quote!(deserialize_with = #with));
            }
            if let Some(missing) = &lenient.missing {
                let default = format!("{}::{missing}", def.name);
                parts.push(quote!(default = #default));
            } else if nullable {
                parts.push(quote!(default));
                parts.push(quote!(skip_serializing_if = "crate::Nullable::is_absent"));
            } else if f.optional {
                parts.push(quote!(default));
                if !f.required {
                    parts.push(quote!(
                        skip_serializing_if = "::std::option::Option::is_none"
                    ));
                }
            }
            if parts.is_empty() {
                quote!()
            } else {
                quote!(#[serde(#(#parts),*)])
            }
        };
        quote! { #fdoc #serde pub #fname: #t, }
    });
    let debug = secret.then(|| {
        let name_str = &def.name;
        let entries = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let label = &f.name;
            if f.secret {
                quote!(.field(#label, &crate::__private::Redacted(&self.#fname)))
            } else {
                quote!(.field(#label, &self.#fname))
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name_str) #(#entries)* .finish()
                }
            }
        }
    });
    let lenient_fns = lenient_fns(model, def, fields);
    let builders = built_by_users(def).then(|| constructor_and_setters(model, def, fields));
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #serde_other_way
        #[non_exhaustive]
        pub struct #name { #(#field_tokens)* }
        #builders
        #debug
        #lenient_fns
    }
}

/// How a field of a received type is decoded leniently (README, "Received data"): the function
/// that gives the default of a required field the response left out, the one that reads a date.
struct Lenient {
    missing: Option<String>,
    date: Option<String>,
}

fn lenient(def: &TypeDef, f: &Field) -> Lenient {
    let none = Lenient {
        missing: None,
        date: None,
    };
    if !def.received || f.api_name.is_empty() || f.boxed || three_state(def, f) {
        return none;
    }
    let base = f.name.trim_start_matches("r#");
    let defaultable = matches!(
        f.ty,
        Ty::String
            | Ty::Bool
            | Ty::Integer
            | Ty::Number
            | Ty::Vec(_)
            | Ty::Map(_)
            | Ty::Any
            | Ty::DateTime
    );
    Lenient {
        missing: (!f.optional && defaultable).then(|| format!("__missing_{base}")),
        date: (f.ty == Ty::DateTime).then(|| format!("__date_{base}")),
    }
}

/// The `lenient_fields!` invocation of a received struct, if any field needs one.
fn lenient_fns(model: &Model, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let mut missing = Vec::new();
    let mut dates = Vec::new();
    for f in fields {
        let l = lenient(def, f);
        let path = format!("{}.{}", def.name, f.api_name);
        let t = ty_tokens(model, &f.ty, false);
        if let Some(m) = l.missing {
            let m = format_ident!("{}", m);
            missing.push(quote!(missing #m: #t = #path;));
        }
        if let Some(d) = l.date {
            let d = format_ident!("{}", d);
            let t = if f.optional {
                quote!(::std::option::Option<#t>)
            } else {
                t
            };
            dates.push(quote!(date #d: #t = #path;));
        }
    }
    if missing.is_empty() && dates.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}", def.name);
    quote!(crate::__private::lenient_fields!(#name { #(#missing)* #(#dates)* });)
}
