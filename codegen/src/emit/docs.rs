//! Spec text made safe for rustdoc: no doctests from indented text, no broken intra-doc links, bare
//! URLs wrapped, HTML-looking text escaped.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line.
pub fn attrs(text: &str) -> TokenStream {
    let lines = clean(text);
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// `#[doc = "…"]` attributes for text written by the generator itself (links kept).
pub fn raw(text: &str) -> TokenStream {
    let attrs = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// The cleaned lines of `text`.
pub fn clean(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                out.push("```text".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            out.push(escape_line(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(link_len) = link_at(rest) {
            out.push_str(&rest[..link_len]);
            rest = &rest[link_len..];
            continue;
        }
        if let Some((link_len, absolute)) = relative_link_at(rest) {
            out.push_str(&absolute);
            rest = &rest[link_len..];
            continue;
        }
        if let Some(url_len) = url_at(rest) {
            let url = &rest[..url_len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a Markdown link to an absolute URL (`[text](https://…)`) at the start of `s`: kept as
/// it is, since rustdoc renders it and does not take it for an intra-doc link.
fn link_at(s: &str) -> Option<usize> {
    let text_end = s.strip_prefix('[')?.find("](")? + 1;
    let target = &s[text_end + 2..];
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let close = target.find(')')?;
    if target[..close].contains(char::is_whitespace) || s[1..text_end].contains(['[', ']']) {
        return None;
    }
    Some(text_end + 2 + close + 1)
}

/// Where relative links in Cloudflare's descriptions (`[endpoint](/api/resources/…)`) point.
const DOCS_ORIGIN: &str = "https://developers.cloudflare.com";

/// A Markdown link to a site-relative path (`[text](/api/…)`) at the start of `s`: its length and
/// the link made absolute against Cloudflare's developer docs.
fn relative_link_at(s: &str) -> Option<(usize, String)> {
    let text_end = s.strip_prefix('[')?.find("](")? + 1;
    let target = s[text_end + 2..].strip_prefix('/')?;
    let close = target.find(')')?;
    let path = &target[..close];
    let text = &s[1..text_end];
    if path.is_empty()
        || path.starts_with('/')
        || path.contains(char::is_whitespace)
        || text.contains(['[', ']'])
    {
        return None;
    }
    let len = text_end + 2 + 1 + close + 1;
    Some((len, format!("[{text}]({DOCS_ORIGIN}/{path})")))
}

/// Length of a bare URL at the start of `s`.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']' | '`'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_wraps_urls() {
        assert_eq!(
            clean("  see https://x.y/a. [tag] <b>"),
            vec!["see <https://x.y/a>. \\[tag\\] \\<b\\>".to_string()]
        );
        assert_eq!(clean("```\ncode\n```"), vec!["```text", "code", "```"]);
        assert_eq!(clean("    indented"), vec!["indented"]);
        assert_eq!(
            clean("see [the docs](https://x.y/a) and [x]"),
            vec!["see [the docs](https://x.y/a) and \\[x\\]".to_string()]
        );
        assert_eq!(
            clean("use the [List endpoint](/api/resources/x/methods/list/)."),
            vec!["use the [List endpoint](https://developers.cloudflare.com/api/resources/x/methods/list/).".to_string()]
        );
        // Protocol-relative and odd targets stay escaped text.
        assert_eq!(clean("[a](//x.y)"), vec!["\\[a\\](//x.y)".to_string()]);
    }
}
