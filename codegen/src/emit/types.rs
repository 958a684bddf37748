//! Emits the `types` module: structs, forward-compatible enums, unions and aliases.

use super::builders::constructor_and_setters;
use super::{docs, ident, std_path, std_ty, ty_tokens};
use crate::ir::{three_state, Field, Model, Ty, TypeDef, TypeKind, Wrap};
use proc_macro2::{Ident, TokenStream};
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
        TypeKind::Enum(variants) => string_enum(model, &name, doc, variants),
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
            let result = std_ty(model, "Result");
            let vs = variants.iter().map(|(v, value, t)| {
                let v = format_ident!("{}", v);
                let t = ty_tokens(model, t, false);
                let vdoc = docs::attrs(&format!("`{tag}` is `{value}`."));
                quote!(#vdoc #v(#t),)
            });
            let pairs = variants.iter().map(|(v, value, _)| {
                let v = format_ident!("{}", v);
                quote! {
                    ::std::option::Option::Some(#value) => {
                        ::serde_json::from_value(value).map(Self::#v)
                    }
                }
            });
            let unknown_doc = docs::raw(&format!(
                "A `{tag}` this version of the client does not know, kept as received."
            ));
            // `Deserialize` is written out below: the tag decides, unknown tags are kept.
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
                    #unknown_doc
                    Unknown(::serde_json::Value),
                }
                #decodes
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D>(d: D) -> #result<Self, D::Error>
                    where
                        D: ::serde::Deserializer<'de>,
                    {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                        let variant = match value.get(#tag).and_then(::serde_json::Value::as_str) {
                            #(#pairs,)*
                            _ => return #result::Ok(Self::Unknown(value)),
                        };
                        variant.map_err(::serde::de::Error::custom)
                    }
                }
            }
        }
        TypeKind::Alias(t) => {
            let t = ty_tokens(model, t, false);
            quote! { #doc pub type #name = #t; }
        }
    }
}

/// A forward-compatible string enum: its variants, an `Unknown(String)` variant for values this
/// version does not know, and its impls written out (the wire value both ways, `Display`,
/// `FromStr`, serde, and sending it as a parameter).
fn string_enum(
    model: &Model,
    name: &Ident,
    doc: TokenStream,
    variants: &[(String, String)],
) -> TokenStream {
    let (string, result) = (std_ty(model, "String"), std_ty(model, "Result"));
    let idents: Vec<Ident> = variants
        .iter()
        .map(|(v, _)| format_ident!("{}", v))
        .collect();
    let wires: Vec<&String> = variants.iter().map(|(_, wire)| wire).collect();
    let vdocs = wires.iter().map(|wire| docs::attrs(&format!("`{wire}`")));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#vdocs #idents,)*
            /// A value this version of the client does not know, kept as received.
            Unknown(#string),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            // `Infallible` rather than `Self::Err`, and `Ok` in full: a variant may be named `Err`
            // or `Ok`.
            fn from_str(s: &str) -> #result<Self, ::std::convert::Infallible> {
                #result::Ok(Self::from(s))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S>(&self, s: S) -> #result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(d: D) -> #result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <#string as ::serde::Deserialize>::deserialize(d)?;
                #result::Ok(Self::from(value.as_str()))
            }
        }

        impl crate::__private::ParamValue for #name {
            fn to_param(&self) -> #string {
                self.as_str().to_string()
            }
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
    let derives = struct_derives(def, fields);
    let (_, serde_other_way) = serde_derives(def);
    let fields_tokens = fields.iter().map(|f| field(model, def, f));
    let builders = def
        .built_by_users()
        .then(|| constructor_and_setters(model, def, fields));
    let debug = fields
        .iter()
        .any(|f| f.secret)
        .then(|| redacting_debug(def, fields));
    let lenient_fns = lenient_fns(model, def, fields);
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #serde_other_way
        #[non_exhaustive]
        pub struct #name { #(#fields_tokens)* }
        #builders
        #debug
        #lenient_fns
    }
}

/// The derives of a struct: `Debug` unless a field is a secret (it gets [`redacting_debug`]),
/// `Default` when every field has one, and its serde derives.
fn struct_derives(def: &TypeDef, fields: &[Field]) -> Vec<TokenStream> {
    let mut derives = Vec::new();
    if !fields.iter().any(|f| f.secret) {
        derives.push(quote!(Debug));
    }
    derives.extend([quote!(Clone), quote!(PartialEq)]);
    if fields
        .iter()
        .all(|f| f.optional || matches!(f.ty, Ty::Map(_)))
    {
        derives.push(quote!(Default));
    }
    derives.extend(serde_derives(def).0);
    derives
}

/// One field of a struct: its doc, its serde attribute and its type.
fn field(model: &Model, def: &TypeDef, f: &Field) -> TokenStream {
    let fname = ident(&f.name);
    // `missing_docs` holds for every field: a doc that cleans to nothing gets the placeholder.
    let own = match docs::clean(&f.doc).is_empty() {
        true => format!("The `{}` field.", f.api_name),
        false => f.doc.clone(),
    };
    let wrap = f.wrap(def);
    let fdoc = match wrap {
        Wrap::Nullable => docs::attrs(&format!("{own}\n\n{THREE_STATE_DOC}")),
        Wrap::Plain | Wrap::Option => docs::attrs(&own),
    };
    let mut t = ty_tokens(model, &f.ty, false);
    if f.boxed {
        let boxed = std_ty(model, "Box");
        t = quote!(#boxed<#t>);
    }
    let t = match wrap {
        Wrap::Plain => t,
        Wrap::Option => {
            let option = std_ty(model, "Option");
            quote!(#option<#t>)
        }
        Wrap::Nullable => quote!(crate::Nullable<#t>),
    };
    let serde = serde_attr(model, def, f);
    quote! { #fdoc #serde pub #fname: #t, }
}

/// The `#[serde(...)]` attribute of a field, if it needs one: its wire name, its lenient
/// functions, and how an absent value reads and is left out.
fn serde_attr(model: &Model, def: &TypeDef, f: &Field) -> TokenStream {
    if !(def.sent || def.received) {
        return quote!();
    }
    if f.api_name.is_empty() {
        return quote!(#[serde(flatten)]);
    }
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
    match (&lenient.missing, f.wrap(def)) {
        (Some(missing), _) => {
            let default = format!("{}::{missing}", def.name);
            parts.push(quote!(default = #default));
        }
        (None, Wrap::Nullable) => {
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = "crate::Nullable::is_absent"));
        }
        (None, Wrap::Option) => {
            parts.push(quote!(default));
            if !f.required {
                // Named as the field's type is.
                let is_none = format!("{}::is_none", std_path(model, "Option"));
                parts.push(quote!(skip_serializing_if = #is_none));
            }
        }
        (None, Wrap::Plain) => {}
    }
    if parts.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// `Debug` for a struct with a secret field: the secret printed as `<redacted>`.
fn redacting_debug(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = format_ident!("{}", def.name);
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

/// The functions serde calls for the lenient fields of a received struct (its `default = ` and
/// `deserialize_with = ` attributes name them), if any field needs one.
fn lenient_fns(model: &Model, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let mut fns = Vec::new();
    let result = std_ty(model, "Result");
    for f in fields {
        let l = lenient(def, f);
        let path = format!("{}.{}", def.name, f.api_name);
        let t = ty_tokens(model, &f.ty, false);
        if let Some(m) = l.missing {
            let m = format_ident!("{}", m);
            let doc = docs::raw(&format!(
                "The value of `{path}` when a response leaves it out (logged)."
            ));
            fns.push(quote! {
                #doc
                fn #m() -> #t {
                    crate::__private::missing(#path)
                }
            });
        }
        if let Some(d) = l.date {
            let d = format_ident!("{}", d);
            let t = if f.optional {
                let option = std_ty(model, "Option");
                quote!(#option<#t>)
            } else {
                t
            };
            let doc = docs::raw(&format!(
                "Reads `{path}` leniently: a date that does not parse is logged."
            ));
            fns.push(quote! {
                #doc
                fn #d<'de, D>(d: D) -> #result<#t, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    crate::__private::lenient_date(d, #path)
                }
            });
        }
    }
    if fns.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}", def.name);
    quote! {
        impl #name {
            #(#fns)*
        }
    }
}
