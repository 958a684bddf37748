//! Constructors and setters of the structs users build (request bodies and parameter structs):
//! `Type::new(required…)` and one chainable setter per optional field. With `#[non_exhaustive]` on
//! every struct, a field Cloudflare adds is an additive change: code that builds a value this way
//! keeps compiling.

use super::{docs, ident, std_ty, ty_tokens};
use crate::ir::{three_state, Field, Model, Ty, TypeDef, Wrap};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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
            setters.extend(option_setter(model, def, f));
        }
    }
    let required: Vec<String> = fields
        .iter()
        .filter(|f| !f.optional && !f.api_name.is_empty())
        .map(|f| format!("`{}`", f.name.trim_start_matches("r#")))
        .collect();
    let new_doc = docs::raw(&new_doc(&required, !setters.is_empty()));
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
    let mut doc = if f.name.starts_with("r#") {
        format!("Sets `{plain}`.")
    } else {
        // `field@`: the setter has the field's name.
        format!("Sets [`{plain}`](field@Self::{plain}).")
    };
    if three_state(def, f) {
        doc.push_str(
            " Takes the value, or [`Nullable::Null`](crate::Nullable::Null) to send `null`.",
        );
    }
    let summary = f.doc.split("\n\n").next().unwrap_or_default();
    // The field's own doc, unless it is the placeholder of an undescribed field.
    let summary = if summary == format!("The `{}` property.", f.api_name) {
        ""
    } else {
        summary
    };
    let doc = docs::paragraphs([docs::raw(&doc), docs::attrs(summary)]);
    quote! {
        #doc
        pub fn #method(mut self, #fname: #arg_ty) -> Self {
            self.#fname = #value;
            self
        }
    }
}

/// The setter of the optional field `f` that takes the `Option` itself (`set_name(Option<String>)`,
/// as smithy-rs's builders have): for code that holds an optional value already, such as a CLI's
/// optional flag. Three-state fields have none: their setter takes a `Nullable` already.
fn option_setter(model: &Model, def: &TypeDef, f: &Field) -> Option<TokenStream> {
    if f.wrap(def) != Wrap::Option {
        return None;
    }
    let fname = ident(&f.name);
    let plain = f.name.trim_start_matches("r#");
    let method = format_ident!("set_{}", plain);
    let inner = ty_tokens(model, &f.ty, false);
    let value = match f.boxed {
        true => quote!(#fname.map(::std::boxed::Box::new)),
        false => quote!(#fname),
    };
    let doc = docs::raw(&format!(
        "Sets or clears `{plain}`: the setter for a value that is already an `Option`."
    ));
    let option = std_ty(model, "Option");
    Some(quote! {
        #doc
        pub fn #method(mut self, #fname: #option<#inner>) -> Self {
            self.#fname = #value;
            self
        }
    })
}

/// The argument type for field `f` of `def` and the expression that turns the argument (named as
/// the field) into the field's value (`Some` aside): strings take `impl Into<String>`, three-state
/// fields anything that converts into a `Nullable` (`true`, `Nullable::Null`; the value boxed
/// when the field is), other boxed fields the value itself.
fn argument(model: &Model, def: &TypeDef, f: &Field) -> (TokenStream, TokenStream) {
    let fname = ident(&f.name);
    let inner = ty_tokens(model, &f.ty, false);
    if three_state(def, f) {
        // A recursive type is boxed inside the `Nullable`: the value, or `null`, boxed here.
        let convert = match f.boxed {
            true => quote!(#fname.into().map(::std::boxed::Box::new)),
            false => quote!(#fname.into()),
        };
        return (
            quote!(impl ::std::convert::Into<crate::Nullable<#inner>>),
            convert,
        );
    }
    if f.boxed {
        return (inner, quote!(::std::boxed::Box::new(#fname)));
    }
    match &f.ty {
        Ty::String => (
            quote!(impl ::std::convert::Into<#inner>),
            quote!(#fname.into()),
        ),
        _ => (inner, quote!(#fname)),
    }
}

/// The doc of `new`, from what the type has: its required fields (in backticks) and whether
/// there are setters.
fn new_doc(required: &[String], setters: bool) -> String {
    let from = match required {
        [] => "Creates the value".to_string(),
        [one] => format!("Creates the value from its required field, {one}"),
        [init @ .., last] => format!(
            "Creates the value from its required fields, {} and {last}",
            init.join(", ")
        ),
    };
    match (required.is_empty(), setters) {
        (_, false) => format!("{from}."),
        (true, true) => format!("{from} with every field unset; the setters set them."),
        (false, true) => format!("{from}; the optional ones start unset and the setters set them."),
    }
}

#[cfg(test)]
mod tests {
    use super::new_doc;

    #[test]
    fn the_constructor_says_what_it_takes() {
        let r = |n: &[&str]| n.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>();
        assert_eq!(new_doc(&[], false), "Creates the value.");
        assert_eq!(
            new_doc(&[], true),
            "Creates the value with every field unset; the setters set them."
        );
        assert_eq!(
            new_doc(&r(&["ca"]), false),
            "Creates the value from its required field, `ca`."
        );
        assert_eq!(
            new_doc(&r(&["ca", "certificates", "name"]), true),
            "Creates the value from its required fields, `ca`, `certificates` and `name`; the optional ones start unset and the setters set them."
        );
    }
}
