//! The last step of emitting: items formatted with prettyplease where they will stand (so that
//! lines are broken at their real indentation), a blank line between items, and doc comments
//! wrapped to the width that is left at their indentation.

use super::deferred::Docs;
use super::docs;

/// The column no generated line goes past, unless it holds one unit of doc text that cannot be
/// broken (a link to a long URL).
pub const MAX_WIDTH: usize = 100;

/// How long a link's target may be and stay inline in a doc line that is wrapped.
const LONG_TARGET: usize = 32;

/// `file`'s items formatted as they stand `depth` modules deep, with a blank line between them
/// (and between the items of each `impl` and inline module), and their doc comments wrapped; the
/// doc comments kept aside in `docs` written where their attributes are ([`super::deferred`]).
pub fn format_items(mut file: syn::File, depth: usize, docs: &Docs) -> String {
    spread(&mut file.items);
    for _ in 0..depth {
        let items = std::mem::take(&mut file.items);
        file.items = vec![syn::Item::Mod(wrapper(items))];
    }
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    // The wrapper modules' own lines: `mod __layout {` at the top and `}` at the bottom.
    let inner = lines
        .get(depth..lines.len().saturating_sub(depth))
        .unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    let mut block = DocBlock::default();
    let mut rest = inner;
    while let Some((line, after)) = rest.split_first() {
        rest = after;
        let (indent, text) = split_indent(line);
        if let Some(lines) = docs.lines(text) {
            for doc in lines {
                block.push(&mut out, indent, doc.trim_end_matches(' '));
            }
            continue;
        }
        if let Some(doc) = text.strip_prefix("///") {
            block.push(&mut out, indent, doc);
            continue;
        }
        block.end(&mut out);
        if let Some((alias, used)) = long_type_alias(line, rest) {
            out.push_str(&alias);
            rest = &rest[used..];
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    block.end(&mut out);
    out
}

/// `line`'s indentation (prettyplease indents with spaces only) and its text after it.
fn split_indent(line: &str) -> (&str, &str) {
    line.split_at(line.bytes().take_while(|b| *b == b' ').count())
}

/// A type alias prettyplease left over [`MAX_WIDTH`] (`pub type Old<'a> = NewResource<` with its
/// generic arguments on the lines after, which only happens when both names are long), laid out
/// as rustfmt does: the target on a line of its own after `=`. The lines, and how many of `rest`
/// they took.
fn long_type_alias(line: &str, rest: &[&str]) -> Option<(String, usize)> {
    let (indent, text) = split_indent(line);
    if !text.starts_with("pub type ") || line.chars().count() <= MAX_WIDTH {
        return None;
    }
    let (head, target) = text.strip_suffix('<')?.split_once(" = ")?;
    let close = format!("{indent}>;");
    let end = rest.iter().position(|l| *l == close)?;
    let args: Vec<&str> = rest[..end]
        .iter()
        .map(|l| l.trim().trim_end_matches(','))
        .collect();
    let laid = format!(
        "{indent}{head} =\n{indent}    {target}<{}>;\n",
        args.join(", ")
    );
    laid.lines()
        .all(|l| l.chars().count() <= MAX_WIDTH)
        .then_some((laid, end + 1))
}

/// An inline module around `items`, for formatting only.
fn wrapper(items: Vec<syn::Item>) -> syn::ItemMod {
    syn::ItemMod {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        unsafety: None,
        mod_token: Default::default(),
        ident: syn::Ident::new("__layout", proc_macro2::Span::call_site()),
        content: Some((Default::default(), items)),
        semi: None,
    }
}

/// Puts a blank line between the items of `items`, of every `impl` and of every inline module
/// among them: an empty verbatim item, which prettyplease prints as an empty line (at any depth,
/// with or without its `verbatim` feature).
fn spread(items: &mut Vec<syn::Item>) {
    for item in items.iter_mut() {
        match item {
            syn::Item::Impl(imp) => interleave(&mut imp.items, || {
                syn::ImplItem::Verbatim(proc_macro2::TokenStream::new())
            }),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    spread(inner);
                }
            }
            _ => {}
        }
    }
    interleave(items, || {
        syn::Item::Verbatim(proc_macro2::TokenStream::new())
    });
}

/// `items` with `blank()` between each two.
fn interleave<T>(items: &mut Vec<T>, blank: impl Fn() -> T) {
    let n = items.len();
    let mut spread = Vec::with_capacity(2 * n);
    for (i, item) in std::mem::take(items).into_iter().enumerate() {
        spread.push(item);
        if i + 1 < n {
            spread.push(blank());
        }
    }
    *items = spread;
}

/// The doc comment being written: its lines go out as they come, wrapped at their indentation
/// where they are too wide for [`MAX_WIDTH`] (never inside a fenced block). A line wrapped has its
/// links to long targets written as reference links, the targets listed at the end of the comment
/// ([`docs::reference_links`]): a long target would otherwise stand on a line of its own, or past
/// the width.
#[derive(Default)]
struct DocBlock {
    /// The comment's indentation.
    indent: String,
    /// Whether the lines so far opened a fenced block they did not close.
    fence: bool,
    /// The targets of the reference links written so far: `[1]` is the first.
    targets: Vec<String>,
}

impl DocBlock {
    /// Writes one line of the comment at `indent` (`doc` as it follows `///`), ending the
    /// comment before it if that stood at another indentation.
    fn push(&mut self, out: &mut String, indent: &str, doc: &str) {
        if indent != self.indent {
            self.end(out);
            indent.clone_into(&mut self.indent);
        }
        let text = doc.strip_prefix(' ').unwrap_or(doc);
        if text.trim_start().starts_with("```") {
            self.fence = !self.fence;
        }
        let width = MAX_WIDTH.saturating_sub(indent.len() + 4);
        // A line of at most MAX_WIDTH bytes has at most as many characters: no count needed.
        let line_len = indent.len() + 3 + doc.len();
        if self.fence
            || line_len <= MAX_WIDTH
            || indent.len() + 3 + doc.chars().count() <= MAX_WIDTH
        {
            self.write(out, doc);
            return;
        }
        let linked = docs::reference_links(text, LONG_TARGET, &mut self.targets);
        for part in docs::wrap(&linked, width) {
            self.write_text(out, &part);
        }
    }

    /// Ends the comment: the targets of its reference links after an empty line.
    fn end(&mut self, out: &mut String) {
        self.fence = false;
        if self.targets.is_empty() {
            return;
        }
        self.write(out, "");
        for (i, target) in std::mem::take(&mut self.targets).iter().enumerate() {
            let line = format!("[{}]: {target}", i + 1);
            self.write_text(out, &line);
        }
    }

    /// Writes `text` as a line of the comment, a space after `///`.
    fn write_text(&self, out: &mut String, text: &str) {
        out.push_str(&self.indent);
        out.push_str("///");
        if !text.is_empty() {
            out.push(' ');
            out.push_str(text);
        }
        out.push('\n');
    }

    /// Writes `doc` as it follows `///`.
    fn write(&self, out: &mut String, doc: &str) {
        out.push_str(&self.indent);
        out.push_str("///");
        out.push_str(doc);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::super::deferred;
    use super::*;
    use proptest::prelude::*;
    use quote::quote;

    fn format(src: &str, depth: usize) -> String {
        format_items(
            syn::parse_str(src).expect("test source parses"),
            depth,
            &Docs::default(),
        )
    }

    #[test]
    fn items_and_methods_are_separated_by_one_blank_line() {
        let out = format("struct A; impl A { fn a() {} fn b() {} } struct B;", 0);
        assert_eq!(
            out,
            "struct A;\n\nimpl A {\n    fn a() {}\n\n    fn b() {}\n}\n\nstruct B;\n"
        );
    }

    #[test]
    fn items_are_laid_out_at_their_depth() {
        let out = format("fn f() { g(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccccccc); }", 2);
        assert!(out.starts_with("        fn f() {\n"), "{out}");
        assert!(out.lines().all(|l| l.len() <= MAX_WIDTH), "{out}");
    }

    #[test]
    fn long_doc_lines_are_wrapped_at_their_indentation() {
        let words = "word ".repeat(40);
        let src = format!("#[doc = \" {words}\"] struct A;");
        let out = format(&src, 3);
        assert!(out.lines().count() > 2, "{out}");
        for line in out.lines() {
            assert!(line.len() <= MAX_WIDTH, "{line}");
            assert!(line.starts_with("            ///") || line.starts_with("            struct"));
        }
    }

    #[test]
    fn a_word_that_cannot_be_broken_stands_alone() {
        let url = format!("https://example.com/{}", "a".repeat(120));
        let src = format!("#[doc = \" See [the page]({url}) for more.\"] struct A;");
        let out = format(&src, 1);
        // The link is a reference link, its target listed at the end: only that line is long.
        assert_eq!(
            out,
            format!(
                "    /// See [the page][1] for more.\n    ///\n    /// [1]: {url}\n    struct A;\n"
            )
        );
    }

    #[test]
    fn links_too_long_for_their_line_become_reference_links() {
        // Two links to one target, one to another, and a short link on a line that fits.
        let target = format!("super::resources::{}::update", "Long".repeat(14));
        let src = format!(
            "#[doc = \" See [`a`]({target}) and [the b page](https://x.y/{b}), or [`a` again]({target}).\"] \
             #[doc = \"\"] #[doc = \" Short: [c](https://x.y/c).\"] struct A;",
            b = "b".repeat(70),
        );
        let out = format(&src, 1);
        let expected = format!(
            "    /// See [`a`][1] and [the b page][2], or [`a` again][1].\n    ///\n    /// Short: [c](https://x.y/c).\n    ///\n    /// [1]: {target}\n    /// [2]: https://x.y/{b}\n    struct A;\n",
            b = "b".repeat(70),
        );
        assert_eq!(out, expected);
        assert!(out.lines().all(|l| l.chars().count() <= MAX_WIDTH), "{out}");
    }

    #[test]
    fn a_long_type_alias_is_laid_out_as_rustfmt_does() {
        let long = "pub type AVeryLongOldNameOfTheResourceHandleOfSomething<'a> = AVeryLongNewNameOfTheResourceHandleOfSomethingResource<'a>;";
        let out = format(long, 1);
        assert_eq!(
            out,
            "    pub type AVeryLongOldNameOfTheResourceHandleOfSomething<'a> =\n        AVeryLongNewNameOfTheResourceHandleOfSomethingResource<'a>;\n"
        );
        let short = format("pub type A<'a> = B<'a>;", 1);
        assert_eq!(short, "    pub type A<'a> = B<'a>;\n");
    }

    #[test]
    fn fenced_blocks_are_left_as_they_are() {
        let long = "x".repeat(120);
        let src = format!(
            "#[doc = \" ```text\"] #[doc = \" {long} {long}\"] #[doc = \" ```\"] struct A;"
        );
        let out = format(&src, 0);
        assert!(out.contains(&format!("/// {long} {long}\n")), "{out}");
    }

    /// Doc text of the kinds the generator writes: words of every length, long URLs, blank
    /// lines, fences, list items, trailing spaces, quotes and backslashes.
    fn doc_text() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            "[a-z]{1,12}",
            "https://example\\.com/[a-z]{40,120}",
            Just("```".to_string()),
            Just("- item".to_string()),
            Just("\"quoted\" \\ back".to_string()),
            Just(String::new()),
        ];
        let line = proptest::collection::vec(word, 0..40).prop_map(|w| w.join(" "));
        proptest::collection::vec(line, 0..6).prop_map(|l| l.join("\n"))
    }

    proptest! {
        /// Doc comments kept aside are written exactly as their attributes are printed, at every
        /// depth, on items, fields and methods.
        #[test]
        fn doc_comments_kept_aside_read_as_their_attributes(
            spec in doc_text(),
            ours in doc_text(),
            depth in 0usize..3,
        ) {
            let make = || {
                let spec = docs::attrs(&spec);
                let ours = docs::raw(&ours);
                let both = docs::paragraphs([spec.clone(), ours.clone()]);
                quote! {
                    #both
                    pub struct A {
                        #spec
                        pub a: u8,
                    }
                    impl A {
                        #ours
                        pub fn f() {}
                    }
                }
            };
            let direct = format_items(syn::parse2(make()).expect("parses"), depth, &Docs::default());
            let (tokens, kept) = deferred::collect(make);
            let aside = format_items(syn::parse2(tokens).expect("parses"), depth, &kept);
            prop_assert!(!aside.contains("#[doc"), "{}", aside);
            prop_assert_eq!(aside, direct);
        }
    }
}
