//! Names: Rust identifiers from API names, type names from Cloudflare's namespaced component names.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// A snake_case identifier for a field, parameter or method: keywords get a `_` suffix, names that
/// would not start with a letter get a prefix.
pub fn snake(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() {
        s = "value".to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// An UpperCamelCase identifier for a type or variant.
pub fn camel(name: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    if s == "Self" {
        s = "SelfValue".to_string();
    }
    s
}

/// The name with every character that is not an ASCII letter or digit turned into a word break, so
/// that what comes out is always a valid Rust identifier.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Whether `name` is usable as a Rust type name as it is.
pub fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name != "Self"
}

/// Whether `token` (a `_`- or `-`-separated part of a component name) is one of the random tokens
/// some of Cloudflare's documents put in component names (`vjzYAxI7_associationObject`,
/// `0aE9DKea_…`), which change from one version to the next: 8 ASCII letters and digits of mixed
/// case, with a digit, or at the head of the name (where a namespace goes; `CustomNS` and
/// `SkipRule` elsewhere are words).
fn is_random_token(token: &str, at_head: bool) -> bool {
    let upper = token.chars().filter(char::is_ascii_uppercase).count();
    let lower = token.chars().filter(char::is_ascii_lowercase).count();
    let digit = token.chars().any(|c| c.is_ascii_digit());
    token.len() == 8
        && token.chars().all(|c| c.is_ascii_alphanumeric())
        && upper >= 2
        && lower >= 1
        && (digit || at_head)
}

/// A component name without its random tokens (see [`is_random_token`]) and the separator after
/// each; the name itself if it is nothing else.
fn without_random_tokens(component: &str) -> String {
    let mut out = String::new();
    let mut rest = component;
    let mut at_head = true;
    loop {
        let (token, sep, tail) = match rest.find(['_', '-']) {
            Some(i) => (&rest[..i], &rest[i..i + 1], &rest[i + 1..]),
            None => (rest, "", ""),
        };
        if !is_random_token(token, at_head) {
            out.push_str(token);
            out.push_str(sep);
        }
        at_head = false;
        if sep.is_empty() {
            break;
        }
        rest = tail;
    }
    let out = out.trim_end_matches(['_', '-']);
    if out.is_empty() {
        component.to_string()
    } else {
        out.to_string()
    }
}

/// Drops random tokens, Cloudflare's namespace prefix (`tls-certificates-and-hostnames_`,
/// `access_`) and the `components-schemas-` marker from a component name.
pub fn strip_namespace(component: &str) -> String {
    let cleaned = without_random_tokens(component);
    let mut rest = cleaned.as_str();
    if let Some((ns, tail)) = rest.split_once('_') {
        let is_namespace = !ns.is_empty()
            && !tail.is_empty()
            && ns
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if is_namespace {
            rest = tail;
        }
    }
    for marker in ["components-schemas-", "schemas-"] {
        if let Some(tail) = rest.strip_prefix(marker) {
            if !tail.is_empty() {
                rest = tail;
            }
        }
    }
    rest.to_string()
}

/// The type name derived for a component: its name without namespace, in UpperCamelCase.
pub fn component_type(component: &str) -> String {
    camel(&strip_namespace(component))
}

/// The same with the namespace kept (used when two components' short names collide); random
/// tokens are dropped all the same.
pub fn component_type_long(component: &str) -> String {
    camel(&without_random_tokens(component).replace("components-schemas-", ""))
}

/// The argument name of the path parameter `param` of `template`: its snake_case name, except that
/// a name Cloudflare's documents vary between versions is made regular. The id after
/// `/accounts/` or `/zones/` is `account_id` or `zone_id`, `{x_identifier}` is `x_id`, and a bare `{identifier}`, `{id}` or `{uuid}` is named after the collection before it
/// (`/mtls_certificates/{identifier}` → `mtls_certificate_id`), so the argument keeps its name when
/// upstream renames the parameter.
pub fn path_argument(template: &str, param: &str) -> String {
    // The scope's id, whatever it is called (`{account_identifier}`, `{identifier}`, `{zone_tag}`).
    for (scope, argument) in [("accounts", "account_id"), ("zones", "zone_id")] {
        if template.starts_with(&format!("/{scope}/{{{param}}}")) {
            return argument.to_string();
        }
    }
    let name = snake(param);
    if matches!(name.as_str(), "identifier" | "id" | "uuid") {
        let segments: Vec<&str> = template.split('/').collect();
        let at = segments.iter().position(|s| *s == format!("{{{param}}}"));
        let before = at
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| segments.get(i));
        if let Some(collection) = before.filter(|s| !s.is_empty() && !s.contains('{')) {
            return format!("{}_id", singular(&snake(collection)));
        }
        return name;
    }
    for suffix in ["_identifier", "_uuid"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return format!("{stem}_id");
        }
    }
    name
}

/// `certificates` → `certificate`, `policies` → `policy`; other words as they are.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if let Some(stem) = word.strip_suffix("sses") {
        return format!("{stem}ss");
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') => stem.to_string(),
        _ => word.to_string(),
    }
}

/// Makes `name` unique against `taken` by appending 2, 3, …; records it.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_cloudflare_namespaces() {
        assert_eq!(
            component_type("tls-certificates-and-hostnames_components-schemas-certificateObject"),
            "CertificateObject"
        );
        assert_eq!(component_type("access_certificates"), "Certificates");
        assert_eq!(component_type("plain"), "Plain");
        assert_eq!(component_type("Foo_bar"), "FooBar");
    }

    #[test]
    fn keywords_and_digits() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(camel("1.0"), "V10");
        assert_eq!(camel("pending_revocation"), "PendingRevocation");
        assert_eq!(camel("Self"), "SelfValue");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("ünïcode²"), "NCode");
        assert_eq!(snake("x-²"), "x");
        assert!(is_type_name("MtlsCertificate"));
        assert!(!is_type_name("not valid"));
    }

    #[test]
    fn path_arguments_keep_their_names_across_upstream_renames() {
        let cases = [
            (
                "/zones/{zone_identifier}/client_certificates",
                "zone_identifier",
                "zone_id",
            ),
            ("/zones/{zone_id}/client_certificates", "zone_id", "zone_id"),
            (
                "/zones/{zone_tag}/client_certificates",
                "zone_tag",
                "zone_id",
            ),
            (
                "/accounts/{account_identifier}",
                "account_identifier",
                "account_id",
            ),
            ("/x/accounts/{tag}/y", "tag", "tag"),
            (
                "/accounts/{identifier}/access/certificates",
                "identifier",
                "account_id",
            ),
            (
                "/accounts/{a}/mtls_certificates/{identifier}",
                "identifier",
                "mtls_certificate_id",
            ),
            (
                "/accounts/{a}/access/certificates/{uuid}",
                "uuid",
                "certificate_id",
            ),
            (
                "/zones/{z}/client_certificates/{client_certificate_identifier}",
                "client_certificate_identifier",
                "client_certificate_id",
            ),
            ("/accounts/{a}/policies/{id}", "id", "policy_id"),
            ("/x/addresses/{id}", "id", "address_id"),
            ("/{id}", "id", "id"),
            ("/{a}/{id}", "id", "id"),
            ("/zones/{z}/hostnames/{hostname}", "hostname", "hostname"),
            ("/zones/{z}/settings/{Id}", "Id", "setting_id"),
        ];
        for (template, param, want) in cases {
            assert_eq!(path_argument(template, param), want, "{template} {param}");
        }
    }

    #[test]
    fn random_tokens_never_reach_a_name() {
        for (component, want) in [
            ("vjzYAxI7_associationObject", "AssociationObject"),
            ("wSCoYRMW_schemas-asn", "Asn"),
            ("0aE9DKea_api-response-common", "ApiResponseCommon"),
            ("certid_input_IXr7Vewy", "Input"),
            (
                "tls-certificates-and-hostnames_certificateObject",
                "CertificateObject",
            ),
            ("dns-custom-nameservers_CustomNS", "CustomNs"),
            ("rulesets_SkipRule", "SkipRule"),
            ("dns-records_DSRecord", "DsRecord"),
            ("IXr7Vewy", "IXr7Vewy"),
        ] {
            assert_eq!(component_type(component), camel(want), "{component}");
        }
        assert_eq!(component_type_long("wSCoYRMW_schemas-asn"), "SchemasAsn");
        assert_eq!(component_type_long("certid_input_IXr7Vewy"), "CertidInput");
    }
}
