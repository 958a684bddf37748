//! Checks on a request path before it is sent: no path parameter may be empty, blank, `.` or `..`.
//!
//! Each would send the request somewhere other than the operation's resource: an empty id turns
//! `DELETE …/mtls_certificates/{id}` into `DELETE …/mtls_certificates/` (the collection), and a
//! dot segment is resolved away by every URL parser (`%2E%2E` included). The generated methods
//! percent-encode each parameter into its own segment, so the path has the template's segments,
//! and each parameter's value is found where the template has its name.

use std::borrow::Cow;

/// `template` with its `{parameters}` replaced, in order, by `args`, each percent-encoded into its
/// segment. A parameter without a value is left empty, which [`problem`] then names.
pub(crate) fn fill(template: &str, args: &[&str]) -> String {
    let mut path =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        path.push_str(&rest[..start]);
        if let Some(value) = args.next() {
            crate::__private::push_encoded_path(&mut path, value);
        }
        rest = &rest[start + len + 1..];
    }
    path.push_str(rest);
    path
}

/// What is wrong with `path`, made from `template`, if anything: the message names the parameter.
pub(crate) fn problem(template: &str, path: &str) -> Option<String> {
    // Most requests are cleared here: when each parameter is a whole segment, none is empty (no
    // `//`, no trailing `/`), and no `.` or `%` could make a blank or dot segment.
    if !path.ends_with('/')
        && memchr::memchr2(b'.', b'%', path.as_bytes()).is_none()
        && !has_empty_segment(path)
        && params_are_whole_segments(template)
    {
        return None;
    }
    let mut template_segments = template.split('/');
    let mut path_segments = path.split('/');
    loop {
        let (t, p) = match (template_segments.next(), path_segments.next()) {
            (Some(t), Some(p)) => (t, p),
            (None, None) => return None,
            // A generated path has the template's segments; anything else is checked as a whole.
            _ => return whole_path_problem(template, path),
        };
        if !t.contains('{') {
            continue;
        }
        if let Some(why) = segment_problem(t, p) {
            let names = param_names(t);
            let named = names
                .iter()
                .map(|n| describe(n))
                .collect::<Vec<_>>()
                .join(", ");
            return Some(format!(
                "{named} of `{template}` {why}, which would send the request to another resource"
            ));
        }
    }
}

/// Whether `path` has two `/` in a row. Runs on every request: a vectorised scan for the slashes.
fn has_empty_segment(path: &str) -> bool {
    let mut previous = None;
    memchr::memchr_iter(b'/', path.as_bytes()).any(|i| {
        let adjacent = previous.is_some_and(|p: usize| p + 1 == i);
        previous = Some(i);
        adjacent
    })
}

/// Whether every `{param}` of `template` is a whole segment (`/{id}/`), as in every path of
/// Cloudflare's documents.
fn params_are_whole_segments(template: &str) -> bool {
    let t = template.as_bytes();
    memchr::memchr2_iter(b'{', b'}', t).all(|i| match t[i] {
        b'{' => i > 0 && t[i - 1] == b'/',
        _ => t.get(i + 1).is_none_or(|&n| n == b'/'),
    })
}

/// How a parameter is named in a message: the scope's id by what it is, others by name.
fn describe(name: &str) -> String {
    match name {
        "account_or_zone_id" => "the scope's id (`Scope::Account`/`Scope::Zone`)".to_string(),
        "accounts_or_zones" => "the scope".to_string(),
        other => format!("path parameter `{other}`"),
    }
}

/// The problem with one path segment made from template segment `t`, if any.
fn segment_problem(t: &str, p: &str) -> Option<&'static str> {
    let value = match (t.find('{'), t.rfind('}')) {
        // One parameter, perhaps between literal text (`{id}.pem`): its value is what the literal
        // text leaves.
        (Some(open), Some(close)) if t[open + 1..].find('{').is_none() => {
            let (prefix, suffix) = (&t[..open], &t[close + 1..]);
            p.strip_prefix(prefix)
                .and_then(|v| v.strip_suffix(suffix))
                .unwrap_or(p)
        }
        // Several parameters in one segment: only all of them empty can be told.
        _ => {
            let literal: String = literal_text(t);
            return (decode(p).trim() == literal.trim()).then_some("is empty");
        }
    };
    value_problem(value)
}

/// The problem with one parameter's value as sent (percent-encoded), if any.
fn value_problem(encoded: &str) -> Option<&'static str> {
    if encoded.is_empty() {
        return Some("is empty");
    }
    let decoded = if encoded.contains('%') {
        decode(encoded)
    } else {
        Cow::Borrowed(encoded)
    };
    if decoded.trim().is_empty() {
        Some("is blank (whitespace only)")
    } else if decoded == "." || decoded == ".." {
        Some("is `.` or `..`")
    } else {
        None
    }
}

/// A path whose segments do not line up with its template: refused if any segment is empty or a
/// dot segment.
fn whole_path_problem(template: &str, path: &str) -> Option<String> {
    path.split('/')
        .skip(1)
        .find_map(value_problem)
        .map(|why| format!("a path parameter of `{template}` {why}"))
}

/// The names of the parameters of one template segment.
fn param_names(t: &str) -> Vec<&str> {
    t.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A template segment without its parameters.
fn literal_text(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Percent-decoding, invalid UTF-8 replaced.
fn decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::{fill, problem};

    #[test]
    fn a_template_is_filled_in_order_with_encoded_values() {
        assert_eq!(fill(T, &["a", "b"]), "/accounts/a/mtls_certificates/b");
        assert_eq!(
            fill(T, &["a/b", "c d\\"]),
            "/accounts/a%2Fb/mtls_certificates/c%20d%5C"
        );
        assert_eq!(fill("/{x}/{x}.pem", &["1", "1"]), "/1/1.pem");
        // A value left out is empty, which `problem` names.
        assert_eq!(fill(T, &["a"]), "/accounts/a/mtls_certificates/");
        assert!(problem(T, &fill(T, &["a"])).is_some());
        assert_eq!(fill("/plain", &[]), "/plain");
    }

    const T: &str = "/accounts/{account_id}/mtls_certificates/{mtls_certificate_id}";

    #[test]
    fn good_paths_pass() {
        for path in [
            "/accounts/a/mtls_certificates/b",
            "/accounts/a.b/mtls_certificates/c..d",
            "/accounts/a/mtls_certificates/...",
            "/accounts/a/mtls_certificates/%252e",
            "/accounts/a/mtls_certificates/x%20y",
        ] {
            assert_eq!(problem(T, path), None, "{path}");
        }
    }

    #[test]
    fn empty_blank_and_dot_values_are_named() {
        for (path, name, why) in [
            ("/accounts//mtls_certificates/b", "account_id", "is empty"),
            (
                "/accounts/a/mtls_certificates/",
                "mtls_certificate_id",
                "is empty",
            ),
            ("/accounts/%20/mtls_certificates/b", "account_id", "blank"),
            (
                "/accounts/a/mtls_certificates/%09%0A",
                "mtls_certificate_id",
                "blank",
            ),
            (
                "/accounts/a/mtls_certificates/%E3%80%80",
                "mtls_certificate_id",
                "blank",
            ),
            (
                "/accounts/./mtls_certificates/b",
                "account_id",
                "`.` or `..`",
            ),
            (
                "/accounts/a/mtls_certificates/..",
                "mtls_certificate_id",
                "`.` or `..`",
            ),
            (
                "/accounts/a/mtls_certificates/%2e%2E",
                "mtls_certificate_id",
                "`.` or `..`",
            ),
            (
                "/accounts/a/mtls_certificates/.%2e",
                "mtls_certificate_id",
                "`.` or `..`",
            ),
        ] {
            let message = problem(T, path).unwrap_or_else(|| panic!("{path} passed"));
            assert!(message.contains(&format!("`{name}`")), "{path}: {message}");
            assert!(message.contains(why), "{path}: {message}");
        }
    }

    #[test]
    fn the_scope_is_named_as_such() {
        let t = "/{accounts_or_zones}/{account_or_zone_id}/access/certificates";
        let message = problem(t, "/zones//access/certificates").expect("refused");
        assert!(message.contains("scope's id"), "{message}");
    }

    #[test]
    fn parameters_inside_a_segment() {
        assert!(problem("/certs/{id}.pem", "/certs/.pem").is_some());
        assert!(problem("/certs/{id}.pem", "/certs/%20.pem").is_some());
        assert_eq!(problem("/certs/{id}.pem", "/certs/a.pem"), None);
        assert!(problem("/pairs/{a}-{b}", "/pairs/-").is_some());
        assert_eq!(problem("/pairs/{a}-{b}", "/pairs/x-y"), None);
    }

    #[test]
    fn the_fast_checks() {
        use super::{has_empty_segment, params_are_whole_segments};
        assert!(has_empty_segment("/a//b"));
        assert!(has_empty_segment("//a"));
        assert!(!has_empty_segment("/a/b/c"));
        assert!(!has_empty_segment(""));
        assert!(params_are_whole_segments("/a/{b}/c/{d}"));
        assert!(params_are_whole_segments("/a/b"));
        assert!(!params_are_whole_segments("/a/{b}.pem"));
        assert!(!params_are_whole_segments("/a/x{b}"));
        assert!(!params_are_whole_segments("{b}/a"));
    }

    #[test]
    fn a_path_off_its_template_is_checked_whole() {
        assert!(problem("/a/{id}", "/a/b//c").is_some());
        assert!(problem("/a/{id}", "/a/b/../c").is_some());
    }
}
