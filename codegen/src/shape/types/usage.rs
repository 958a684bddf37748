//! Docs for the types the document does not describe, from where they are used: "The result of
//! `mtls_certificates.list`.", "The `status` field of `ClientCertificate`." (never from an
//! internal schema name).

use crate::ir::{TypeDef, TypeId, TypeKind};
use std::collections::BTreeMap;

/// How many uses a doc lists before it says "and elsewhere".
const SHOWN: usize = 3;

/// Gives every type without a doc one from `operation_uses` (results, bodies, parameters) and
/// from the fields that hold it, by the final type names.
pub fn describe(defs: &mut [TypeDef], operation_uses: &BTreeMap<TypeId, Vec<String>>) {
    let mut uses: BTreeMap<TypeId, Vec<String>> = operation_uses.clone();
    for def in defs.iter() {
        let TypeKind::Struct(fields) = &def.kind else {
            continue;
        };
        for f in fields.iter().filter(|f| !f.api_name.is_empty()) {
            if let Some(id) = f.ty.named_inside() {
                let what = format!("the `{}` field of `{}`", f.api_name, def.name);
                let list = uses.entry(id).or_default();
                if !list.contains(&what) {
                    list.push(what);
                }
            }
        }
    }
    for (id, def) in defs.iter_mut().enumerate() {
        if !def.doc.trim().is_empty() {
            continue;
        }
        def.doc = match uses.get(&id).map(Vec::as_slice) {
            Some([]) | None => "A value of the Cloudflare API.".to_string(),
            Some(list) => sentence(list),
        };
    }
}

/// "The result of `a.b`, the `x` field of `T` and 2 more." (capitalised, up to [`SHOWN`] uses).
fn sentence(uses: &[String]) -> String {
    let text = match uses {
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        _ if uses.len() <= SHOWN => {
            let (last, init) = uses.split_last().expect("more than two");
            format!("{} and {last}", init.join(", "))
        }
        _ => format!(
            "{}, and {} more",
            uses[..SHOWN].join(", "),
            uses.len() - SHOWN
        ),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn uses_read_as_a_sentence() {
        let u = |n: usize| (0..n).map(|i| format!("use {i}")).collect::<Vec<_>>();
        assert_eq!(sentence(&u(1)), "Use 0.");
        assert_eq!(sentence(&u(2)), "Use 0 and use 1.");
        assert_eq!(sentence(&u(3)), "Use 0, use 1 and use 2.");
        assert_eq!(sentence(&u(5)), "Use 0, use 1, use 2, and 2 more.");
    }
}
