//! The last step of emitting: items formatted with prettyplease where they will stand (so that
//! lines are broken at their real indentation), a blank line between items, and doc comments
//! wrapped to the width that is left at their indentation.

use super::deferred::Docs;
use super::docs;

/// The column no generated line goes past, unless it holds one unit of doc text that cannot be
/// broken (a link to a long URL).
pub const MAX_WIDTH: usize = 100;

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
    let mut fence = false;
    let mut rest = inner;
    while let Some((line, after)) = rest.split_first() {
        rest = after;
        let (indent, text) = split_indent(line);
        if let Some(lines) = docs.lines(text) {
            for doc in lines {
                let line = format!("{indent}///{}", doc.trim_end_matches(' '));
                push_line(&mut out, &line, &mut fence);
            }
            continue;
        }
        if let Some((alias, used)) = long_type_alias(line, rest) {
            out.push_str(&alias);
            rest = &rest[used..];
            continue;
        }
        push_line(&mut out, line, &mut fence);
    }
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

/// Appends `line`; a doc comment line too wide for [`MAX_WIDTH`] is wrapped at its indentation
/// (never inside a fenced block, which `fence` tracks).
fn push_line(out: &mut String, line: &str, fence: &mut bool) {
    let (indent, text) = split_indent(line);
    let Some(doc) = text.strip_prefix("///") else {
        *fence = false;
        out.push_str(line);
        out.push('\n');
        return;
    };
    let doc = doc.strip_prefix(' ').unwrap_or(doc);
    if doc.trim_start().starts_with("```") {
        *fence = !*fence;
    }
    let width = MAX_WIDTH.saturating_sub(indent.len() + 4);
    // A line of at most MAX_WIDTH bytes has at most as many characters: no count needed.
    if *fence || line.len() <= MAX_WIDTH || line.chars().count() <= MAX_WIDTH {
        out.push_str(line);
        out.push('\n');
        return;
    }
    for part in docs::wrap(doc, width) {
        out.push_str(indent);
        out.push_str("///");
        if !part.is_empty() {
            out.push(' ');
            out.push_str(&part);
        }
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
        let long: Vec<&str> = out.lines().filter(|l| l.len() > MAX_WIDTH).collect();
        assert_eq!(long.len(), 1, "{out}");
        // The link's text breaks at its space; the word holding the target stands alone.
        assert_eq!(long[0].trim_start(), format!("/// page]({url})"), "{out}");
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
