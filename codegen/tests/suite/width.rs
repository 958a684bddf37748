//! The generated file keeps to 100 columns: no line of the code the vendored spec (with
//! `spec/overlay.toml`) or any fixture generates is longer, but for a single unit that cannot be
//! broken: a comment (`///`, `//!`, `//`) whose text is one token without spaces (a long link),
//! or the definition of a reference link to one (`/// [1]: https://…`), or a line that is one
//! string literal (a path template), perhaps followed by one `,`, `)` or
//! `;`.

use crate::common::{fixtures, generate_file, vendored_overlay, vendored_spec};
use cloudflare_mtls_codegen::Overlay;
use std::path::PathBuf;

/// The widest a line may be, in columns (characters).
const WIDTH: usize = 100;

/// Whether `line` is one unit that cannot be broken: a comment of one token or defining a
/// reference link to one, or one string literal with at most one `,`, `)` or `;` after it.
fn unbreakable(line: &str) -> bool {
    let text = line.trim_start();
    if let Some(comment) = ["///", "//!", "//"]
        .iter()
        .find_map(|marker| text.strip_prefix(marker))
    {
        let text = comment.trim_start();
        // A reference link's definition: `[label]: target`.
        let token = text
            .strip_prefix('[')
            .and_then(|t| t.split_once("]: "))
            .filter(|(label, _)| !label.is_empty() && !label.contains(char::is_whitespace))
            .map_or(text, |(_, target)| target);
        return !token.is_empty() && !token.contains(char::is_whitespace);
    }
    let literal = text.strip_suffix([',', ')', ';']).unwrap_or(text);
    is_string_literal(literal)
}

/// Whether `text` is exactly one `"…"` literal: no unescaped `"` but the two at its ends.
fn is_string_literal(text: &str) -> bool {
    let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            _ => {}
        }
    }
    true
}

/// A line of generated code over [`WIDTH`].
struct LongLine {
    /// The document that generated it.
    file: String,
    /// Its number, from 1.
    number: usize,
    text: String,
}

impl std::fmt::Display for LongLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let columns = self.text.chars().count();
        write!(
            f,
            "{}:{}: {columns} columns: {}",
            self.file, self.number, self.text
        )
    }
}

/// Every line over [`WIDTH`] of the code the vendored spec and the fixtures generate.
fn long_lines() -> Vec<LongLine> {
    let mut inputs: Vec<(PathBuf, Overlay)> = vec![(vendored_spec(), vendored_overlay())];
    inputs.extend(fixtures().into_iter().map(|f| (f, Overlay::default())));
    let mut out = Vec::new();
    for (path, overlay) in inputs {
        let file = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let code = generate_file(&path, overlay);
        out.extend(
            code.lines()
                .enumerate()
                .filter(|(_, line)| line.chars().count() > WIDTH)
                .map(|(i, line)| LongLine {
                    file: file.clone(),
                    number: i + 1,
                    text: line.to_string(),
                }),
        );
    }
    out
}

#[test]
fn no_generated_line_is_over_100_columns_but_an_unbreakable_unit() {
    let (exempt, refused): (Vec<LongLine>, Vec<LongLine>) =
        long_lines().into_iter().partition(|l| unbreakable(&l.text));
    for line in &exempt {
        eprintln!("exempt: {line}");
    }
    let refused: Vec<String> = refused.iter().map(LongLine::to_string).collect();
    assert!(
        refused.is_empty(),
        "{} lines over {WIDTH} columns:\n{}",
        refused.len(),
        refused.join("\n")
    );
}

#[test]
fn only_a_single_unbreakable_unit_is_exempt() {
    let url = format!("https://developers.cloudflare.com/{}", "a/".repeat(60));
    let prose = "The certificate's fingerprint, as Cloudflare sends it. ".repeat(3);
    let path = format!("/accounts/{{account_id}}/{}", "x".repeat(100));
    let cases = [
        (format!("    /// <{url}>"), true),
        (format!("//! {url}"), true),
        (format!("    /// [12]: {url}"), true),
        (format!("    /// [12]: {url} and more"), false),
        (format!("    /// [a b]: {url}"), false),
        (format!("    /// []: {url}"), false),
        (format!("            \"{path}\","), true),
        (format!("\"{}\")", "\\\"".repeat(60)), true),
        (format!("    /// {prose}"), false),
        (format!("    /// See <{url}>"), false),
        (
            format!("        let v = self.call(\"{path}\", &params).await?;"),
            false,
        ),
        (format!("    \"{path}\", \"{path}\""), false),
        (format!("    \"{path}\\\""), false),
        (format!("    \"{path}\"),"), false),
        (format!("//{}", " ".repeat(WIDTH)), false),
    ];
    for (line, exempt) in &cases {
        assert!(line.chars().count() > WIDTH, "too short to test: {line}");
        assert_eq!(unbreakable(line), *exempt, "{line}");
    }
}
