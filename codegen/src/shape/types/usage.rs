//! Where the finished model uses each type, for its docs: "Returned by
//! [`client.mtls_certificates().get`](MtlsCertificatesResource::get). Held by
//! [`ClientCertificate::status`]." (links to the methods, spelled as users call them, and to the
//! fields, every use listed), after the document's description if it has one; never an internal
//! schema name.

use crate::ir::{Decode, Resource, Ty, TypeDef, TypeId, TypeKind};
use std::collections::BTreeMap;

/// Where one type is used, each list in model order.
#[derive(Default)]
struct Uses {
    /// Methods that return it.
    returned: Vec<String>,
    /// Methods that return a list (or a page) of it.
    listed: Vec<String>,
    /// Methods it is the request body of.
    bodies: Vec<String>,
    /// Method arguments of its type: `(argument, method)`.
    arguments: Vec<(String, String)>,
    /// Fields that hold it (or a list or map of it).
    fields: Vec<String>,
}

/// Says for every type where `resources` and the other types use it (its doc from the document
/// comes first; a type with neither says it is a value of the API).
pub fn describe(defs: &mut [TypeDef], resources: &[Resource]) {
    let mut uses: BTreeMap<TypeId, Uses> = BTreeMap::new();
    for r in walk(resources) {
        for op in &r.operations {
            let method = call_link(r, &op.method);
            if let Some(id) = op.result.named_inside() {
                let list = op.decode == Decode::Page || matches!(op.result, Ty::Vec(_));
                let u = uses.entry(id).or_default();
                push(if list { &mut u.listed } else { &mut u.returned }, &method);
            }
            if let Some(id) = op.body.as_ref().and_then(|b| b.ty.as_ref()?.named_inside()) {
                push(&mut uses.entry(id).or_default().bodies, &method);
            }
            for p in &op.path_params {
                if let Some(id) = p.ty.named_inside() {
                    let arg = (p.name.clone(), method.clone());
                    let list = &mut uses.entry(id).or_default().arguments;
                    if !list.contains(&arg) {
                        list.push(arg);
                    }
                }
            }
        }
    }
    for def in defs.iter() {
        let TypeKind::Struct(fields) = &def.kind else {
            continue;
        };
        for f in fields.iter().filter(|f| !f.api_name.is_empty()) {
            if let Some(id) = f.ty.named_inside() {
                let field = link(&def.name, &f.name);
                push(&mut uses.entry(id).or_default().fields, &field);
            }
        }
    }
    for (id, def) in defs.iter_mut().enumerate() {
        def.uses = uses.get(&id).map(doc).unwrap_or_default();
        if def.doc.trim().is_empty() && def.uses.is_empty() {
            def.doc = "A value of the Cloudflare API.".to_string();
        }
    }
}

fn push(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_string());
    }
}

/// Every resource of the tree, parents before children.
fn walk(resources: &[Resource]) -> Vec<&Resource> {
    let mut out = Vec::new();
    let mut stack: Vec<&Resource> = resources.iter().rev().collect();
    while let Some(r) = stack.pop() {
        out.push(r);
        stack.extend(r.children.iter().rev());
    }
    out
}

/// An intra-doc link to field `item` of type `owner` (`[`Owner::item`](self::Owner::item)`); plain
/// code for a raw identifier, which a link path cannot spell.
fn link(owner: &str, item: &str) -> String {
    if item.starts_with("r#") {
        return format!("`{owner}::{}`", item.trim_start_matches("r#"));
    }
    format!("[`{owner}::{item}`](self::{owner}::{item})")
}

/// An intra-doc link to method `method` of `r`'s handle, spelled as users call it
/// (`[`client.access().certificates().list`](super::resources::AccessCertificatesResource::list)`);
/// plain code for a raw identifier, which a link path cannot spell.
fn call_link(r: &Resource, method: &str) -> String {
    let call = format!("{}.{}", r.accessors(), method.trim_start_matches("r#"));
    if method.starts_with("r#") {
        return format!("`{call}`");
    }
    format!("[`{call}`](super::resources::{}::{method})", r.struct_name)
}

/// The sentences of a type's uses.
fn doc(u: &Uses) -> String {
    let mut sentences = Vec::new();
    if !u.returned.is_empty() {
        sentences.push(format!("Returned by {}.", and(&u.returned)));
    }
    if !u.listed.is_empty() {
        sentences.push(format!("Listed by {}.", and(&u.listed)));
    }
    if !u.bodies.is_empty() {
        sentences.push(format!("The request body of {}.", and(&u.bodies)));
    }
    for (argument, method) in &u.arguments {
        sentences.push(format!(
            "The type of the `{argument}` argument of {method}."
        ));
    }
    if !u.fields.is_empty() {
        sentences.push(format!("Held by {}.", and(&u.fields)));
    }
    sentences.join(" ")
}

/// "a", "a and b", "a, b and c".
fn and(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_read_as_sentences_with_every_use() {
        let u = |n: usize| (0..n).map(|i| format!("m{i}")).collect::<Vec<_>>();
        assert_eq!(and(&u(1)), "m0");
        assert_eq!(and(&u(2)), "m0 and m1");
        assert_eq!(and(&u(5)), "m0, m1, m2, m3 and m4");
        let uses = Uses {
            returned: u(2),
            listed: u(1),
            fields: vec![link("Cert", "status")],
            ..Uses::default()
        };
        assert_eq!(
            doc(&uses),
            "Returned by m0 and m1. Listed by m0. Held by [`Cert::status`](self::Cert::status)."
        );
        assert_eq!(link("Cert", "r#type"), "`Cert::type`");
    }

    #[test]
    fn methods_are_spelled_as_called_and_link_to_the_handle() {
        let r = Resource {
            path: "access.certificates".into(),
            struct_name: "AccessCertificatesResource".into(),
            ..Resource::default()
        };
        assert_eq!(
            call_link(&r, "list"),
            "[`client.access().certificates().list`]\
             (super::resources::AccessCertificatesResource::list)"
        );
        assert_eq!(
            call_link(&r, "r#type"),
            "`client.access().certificates().type`"
        );
    }
}
