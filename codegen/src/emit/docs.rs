//! Spec text made safe for rustdoc: no doctests from indented text, no broken intra-doc links, bare
//! URLs wrapped, HTML-looking text escaped.

use super::deferred;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line ([`super::deferred::attrs`]).
pub fn attrs(text: &str) -> TokenStream {
    deferred::attrs(clean(text).iter().map(String::as_str).map(spaced).collect())
}

/// `#[doc = "…"]` attributes for text written by the generator itself (links kept), one per line
/// ([`super::deferred::attrs`]).
pub fn raw(text: &str) -> TokenStream {
    deferred::attrs(text.lines().map(spaced).collect())
}

/// A doc line as it follows `///`: a space before the text, nothing for an empty line.
fn spaced(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// Doc attributes of several parts (spec text and the generator's), as paragraphs: an empty line
/// between parts that are not empty.
pub fn paragraphs(parts: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let mut out = TokenStream::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.extend(quote!(#[doc = ""]));
        }
        out.extend(part);
    }
    out
}

/// The cleaned lines of `text`.
pub fn clean(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // `lines` leaves out the `\r` of a `\r\n` ending.
    for raw in text.lines() {
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

/// `line` wrapped at `width` columns, breaking only where Markdown reads the next line as going on:
/// never before a word that would start a list, a heading, a quote or a table row. A list item's
/// lines after the first are indented to its text. Tables, headings and indented lines are left
/// whole.
///
/// Hand-written rather than `textwrap`, which does not know which breaks change Markdown.
/// The doc attributes hold each line whole: the layout step wraps them at the width their
/// indentation leaves ([`super::layout`]).
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width || line.starts_with(['|', '#', ' ']) {
        return vec![line.to_string()];
    }
    let indent = " ".repeat(list_marker_len(line));
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // Every space is a place to break, inside a link's text or a code span too: Markdown reads
    // a line break there as the space it was. A word longer than the width (a URL, a path) stands
    // on a line of its own.
    for word in line.split(' ') {
        if current.is_empty() {
            current.push_str(word);
            continue;
        }
        let fits = current.chars().count() + 1 + word.chars().count() <= width;
        if fits || word.is_empty() {
            current.push(' ');
            current.push_str(word);
        } else if starts_block(word) {
            // The word may not start a line: the word before it goes down with it, if that may.
            match current.rfind(' ') {
                Some(i)
                    if i > indent.len()
                        && !current[i + 1..].is_empty()
                        && !starts_block(&current[i + 1..]) =>
                {
                    let carried = format!("{indent}{} {word}", &current[i + 1..]);
                    current.truncate(i);
                    out.push(std::mem::replace(&mut current, carried));
                }
                _ => {
                    current.push(' ');
                    current.push_str(word);
                }
            }
        } else {
            out.push(std::mem::take(&mut current));
            current = format!("{indent}{word}");
        }
    }
    out.push(current);
    out
}

/// `line` with its inline links to targets longer than `long` (`[text](target)`) written as
/// reference links (`[text][2]`): the targets go to `targets` (a target already there keeps its
/// number), which the comment lists at its end as `[2]: target`. Links inside code spans and
/// escaped brackets (`\[`) are text and stay as they are.
pub fn reference_links(line: &str, long: usize, targets: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut code = false;
    while let Some(c) = rest.chars().next() {
        if !code && c == '[' {
            if let Some((text, target, len)) =
                inline_link(rest).filter(|(_, target, _)| target.chars().count() > long)
            {
                let number = match targets.iter().position(|t| t == target) {
                    Some(i) => i + 1,
                    None => {
                        targets.push(target.to_string());
                        targets.len()
                    }
                };
                out.push_str(&format!("[{text}][{number}]"));
                rest = &rest[len..];
                continue;
            }
        }
        match c {
            '`' => code = !code,
            '\\' if !code => {
                // An escaped character is text: copy it with its backslash.
                let escaped = rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..1 + escaped]);
                rest = &rest[1 + escaped..];
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The inline link at the start of `s` (`[text](target)`, a text without brackets and a target
/// without spaces, up to the first `)`): its text, its target and its length.
fn inline_link(s: &str) -> Option<(&str, &str, usize)> {
    let text_end = s.strip_prefix('[')?.find(']')? + 1;
    let text = &s[1..text_end];
    let after = s[text_end + 1..].strip_prefix('(')?;
    let close = after.find(')')?;
    let target = &after[..close];
    if text.contains('[') || target.is_empty() || target.contains(char::is_whitespace) {
        return None;
    }
    Some((text, target, text_end + 2 + close + 1))
}

/// The width of the list marker `line` starts with (`- `, `* `, `12. `), 0 for none.
fn list_marker_len(line: &str) -> usize {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return 2;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return digits + 2;
    }
    0
}

/// Whether a line starting with `word` would start a Markdown block of its own.
fn starts_block(word: &str) -> bool {
    matches!(word, "-" | "*" | "+")
        || word.starts_with(['#', '>', '|', '='])
        || word.starts_with("```")
        || word.starts_with("---")
        || (word.len() > 1
            && word.trim_start_matches(|c: char| c.is_ascii_digit()).len() < word.len()
            && matches!(
                word.trim_start_matches(|c: char| c.is_ascii_digit()),
                "." | ")"
            ))
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
    let (_, target, len) = inline_link(s)?;
    (target.starts_with("http://") || target.starts_with("https://")).then_some(len)
}

/// Where relative links in Cloudflare's descriptions (`[endpoint](/api/resources/…)`) point.
const DOCS_ORIGIN: &str = "https://developers.cloudflare.com";

/// A Markdown link to a site-relative path (`[text](/api/…)`) at the start of `s`: its length and
/// the link made absolute against Cloudflare's developer docs.
fn relative_link_at(s: &str) -> Option<(usize, String)> {
    let (text, target, len) = inline_link(s)?;
    let path = target.strip_prefix('/')?;
    if path.is_empty() || path.starts_with('/') {
        return None;
    }
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

    /// A width to wrap at in these tests.
    const WIDTH: usize = 96;

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
        // Long lines wrap, never before a word that would start a list or a heading.
        let long = format!(
            "{} - {} # x",
            "word ".repeat(17).trim(),
            "more ".repeat(10).trim()
        );
        for line in wrap(&clean(&long)[0], WIDTH) {
            assert!(line.chars().count() <= WIDTH, "{line}");
            assert!(!line.starts_with(['-', '#']), "{line}");
        }
        assert_eq!(wrap(&clean(&long)[0], WIDTH).join(" "), long);
        let item = format!("- {}", "word ".repeat(30).trim());
        let lines = wrap(&clean(&item)[0], WIDTH);
        assert!(
            lines.len() > 1 && lines[1..].iter().all(|l| l.starts_with("  w")),
            "{lines:?}"
        );
        // Links and code spans break at their spaces, as words do (Markdown reads the line break
        // as the space), and the text reads the same.
        let linked = format!(
            "{} [a b c](https://x.y/z) `d e f` [g h",
            "word ".repeat(18).trim()
        );
        let lines = wrap(&clean(&linked)[0], WIDTH);
        assert_eq!(lines[0].rsplit(' ').next(), Some("b"), "{lines:?}");
        assert_eq!(lines[1], "c](https://x.y/z) `d e f` \\[g h", "{lines:?}");
        assert_eq!(lines.join(" "), clean(&linked)[0]);
        // Protocol-relative and odd targets stay escaped text.
        assert_eq!(clean("[a](//x.y)"), vec!["\\[a\\](//x.y)".to_string()]);
    }

    #[test]
    fn a_word_that_may_not_start_a_line_takes_the_word_before_it_down() {
        let words = "word ".repeat(18);
        let line = format!("{words}prefix - or + x");
        assert_eq!(line.find(" -"), Some(WIDTH));
        assert_eq!(
            wrap(&line, WIDTH),
            vec![words.trim_end().to_string(), "prefix - or + x".to_string()]
        );
        // In a list item too, but never the marker itself.
        let item = format!("- {}prefixes - x", "word ".repeat(17));
        assert_eq!(
            wrap(&item, WIDTH),
            vec![
                format!("- {}", "word ".repeat(17).trim_end()),
                "  prefixes - x".to_string()
            ]
        );
    }

    /// A piece of a doc line: a word, an escaped bracket, a code span holding link syntax, or a
    /// link to one of a few targets.
    #[derive(Debug, Clone)]
    enum Piece {
        Word(String),
        Escaped,
        CodeLink,
        Link(String, usize),
    }

    fn piece() -> impl proptest::strategy::Strategy<Value = Piece> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z]{1,8}".prop_map(Piece::Word),
            Just(Piece::Escaped),
            Just(Piece::CodeLink),
            ("(`[a-z]{1,8}`|[a-z]{1,8})( [a-z]{1,5})?", 0usize..4)
                .prop_map(|(t, n)| Piece::Link(t, n)),
        ]
    }

    /// The targets a [`Piece::Link`] points to: two short, two long.
    fn target(n: usize) -> String {
        match n {
            0 => "https://x.y/a".to_string(),
            1 => "self::A".to_string(),
            2 => format!("https://x.y/{}", "b".repeat(40)),
            _ => format!("super::resources::{}::get", "C".repeat(30)),
        }
    }

    proptest::proptest! {
        /// Links to long targets become reference links numbered in order of first use, a
        /// target used twice keeping its number; short links, code spans and escaped brackets
        /// are left as they were.
        #[test]
        fn long_links_become_reference_links(pieces in proptest::collection::vec(piece(), 0..20)) {
            let mut line = Vec::new();
            let mut expected = Vec::new();
            let mut expected_targets: Vec<String> = Vec::new();
            for p in &pieces {
                let (original, converted) = match p {
                    Piece::Word(w) => (w.clone(), w.clone()),
                    Piece::Escaped => ("\\[x\\](https://x.y/long/long/long/long/long/long)".to_string(), String::new()),
                    Piece::CodeLink => ("`[x](https://x.y/long/long/long/long/long/long)`".to_string(), String::new()),
                    Piece::Link(text, n) => {
                        let t = target(*n);
                        let inline = format!("[{text}]({t})");
                        if t.len() > 32 {
                            let number = match expected_targets.iter().position(|x| *x == t) {
                                Some(i) => i + 1,
                                None => {
                                    expected_targets.push(t);
                                    expected_targets.len()
                                }
                            };
                            (inline, format!("[{text}][{number}]"))
                        } else {
                            (inline.clone(), inline)
                        }
                    }
                };
                let converted = if converted.is_empty() { original.clone() } else { converted };
                line.push(original);
                expected.push(converted);
            }
            let mut targets = Vec::new();
            let out = reference_links(&line.join(" "), 32, &mut targets);
            proptest::prop_assert_eq!(out, expected.join(" "));
            proptest::prop_assert_eq!(targets, expected_targets);
        }

        /// Wrapping loses nothing, starts no Markdown block and keeps to the width where the
        /// words allow: a longer line is one word, or ends with words that may not start one.
        #[test]
        fn wrapped_lines_read_as_the_line(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-z]{1,12}",
                    proptest::strategy::Just("-".to_string()),
                    proptest::strategy::Just("#".to_string()),
                    proptest::strategy::Just("12.".to_string()),
                    proptest::strategy::Just("[a link](https://x.y/a/b)".to_string()),
                    proptest::strategy::Just("`a code span`".to_string()),
                    "[a-z]{30,110}",
                ],
                1..60,
            ),
            item in proptest::bool::ANY,
        ) {
            let line = format!("{}{}", if item { "- " } else { "" }, words.join(" "));
            let lines = wrap(&line, WIDTH);
            if line.starts_with('#') {
                // A heading is left whole.
                proptest::prop_assert_eq!(lines, vec![line]);
                return Ok(());
            }
            let indent = list_marker_len(&line);
            let rejoined: Vec<&str> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| if i == 0 { l.as_str() } else { &l[indent..] })
                .collect();
            proptest::prop_assert_eq!(rejoined.join(" "), line.clone());
            for l in &lines[1..] {
                let text = &l[indent..];
                proptest::prop_assert!(!starts_block(text.split(' ').next().unwrap_or("")), "{:?}", lines);
                proptest::prop_assert!(!text.starts_with(' '), "{:?}", lines);
            }
            for l in &lines {
                if l.chars().count() > WIDTH {
                    // Only a word that alone is longer, or words that may not start a line.
                    let words: Vec<&str> = l.trim_start().split(' ').collect();
                    let marked = list_marker_len(l.trim_start()) > 0;
                    let alone = words.len() == 1 || (words.len() == 2 && marked);
                    let blocked = words.iter().skip(1).any(|w| starts_block(w));
                    proptest::prop_assert!(alone || blocked, "{:?}", l);
                }
            }
        }
    }
}
