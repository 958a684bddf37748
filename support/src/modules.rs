//! Which modules of a folder name which: the import graph of its top-level modules, and the
//! circles in it (`a` names `b` and `b` names `a`, directly or through others), for the tests that
//! keep `src/testing` and `cli/src` free of them. Test code counts: a test module that reaches
//! back is a circle of its module's too. Read with `syn` (items and `use` trees) and the token
//! streams of everything else (paths in code and macro input).

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The edges between the top-level modules below `root`, the folder of module `prefix` (`["crate",
/// "testing"]` for `src/testing`, `["crate"]` for a binary's `src`): for each module, the modules
/// its code names through `crate::`, `super::` or `self::` paths. A name the folder's root module
/// re-exports (`pub use child::Name`) counts as its child's.
pub fn module_graph(
    root: &Path,
    prefix: &[&str],
) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let files = rust_files(root)?;
    let mut modules = BTreeMap::new();
    for file in &files {
        let rel = module_path(root, file);
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        modules.insert(rel, parsed);
    }
    let children: BTreeSet<String> = modules.keys().filter_map(|m| m.first().cloned()).collect();
    let mut exported = BTreeMap::new();
    if let Some(root_file) = modules.get(&Vec::new()) {
        for item in &root_file.items {
            if let syn::Item::Use(u) = item {
                for path in use_paths(&u.tree) {
                    if let (Some(child), Some(name)) = (path.first(), path.last()) {
                        if children.contains(child) && path.len() > 1 {
                            exported.insert(name.clone(), child.clone());
                        }
                    }
                }
            }
        }
    }
    let prefix: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = children
        .iter()
        .map(|c| (c.clone(), BTreeSet::new()))
        .collect();
    for (rel, parsed) in &modules {
        let Some(from) = rel.first() else { continue };
        let mut paths = Vec::new();
        let here: Vec<String> = prefix.iter().chain(rel).cloned().collect();
        items_paths(&parsed.items, &here, &mut paths);
        for (at, path) in paths {
            let Some(target) = resolve(&at, &path) else {
                continue;
            };
            let Some(rest) = target.strip_prefix(prefix.as_slice()) else {
                continue;
            };
            let Some(first) = rest.first() else { continue };
            let to = if children.contains(first) {
                Some(first)
            } else {
                exported.get(first)
            };
            if let Some(to) = to.filter(|to| *to != from) {
                graph.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    Ok(graph)
}

/// The circles of `graph`: each set of two or more modules that all reach each other.
pub fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for (m, r) in &reached {
        let circle: BTreeSet<String> = r
            .iter()
            .filter(|o| reached.get(o).is_some_and(|b| b.contains(*m)))
            .cloned()
            .collect();
        if !circle.is_empty() && !found.iter().any(|c| c.contains(*m)) {
            found.push(circle);
        }
    }
    found
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `a/b.rs` is `[a, b]`, `a/mod.rs` `[a]`; the folder's `mod.rs`, `lib.rs` or `main.rs` is `[]`.
fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod")
        || (parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main"))
    {
        parts.pop();
    }
    parts
}

/// Every path named in `items`, with the module it is named in.
fn items_paths(items: &[syn::Item], here: &[String], out: &mut Vec<(Vec<String>, Vec<String>)>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    let mut inside = here.to_vec();
                    inside.push(m.ident.to_string());
                    items_paths(inner, &inside, out);
                }
            }
            syn::Item::Use(u) => {
                out.extend(use_paths(&u.tree).into_iter().map(|p| (here.to_vec(), p)))
            }
            other => token_paths(other.to_token_stream(), here, out),
        }
    }
}

/// The paths a `use` tree brings in, one per leaf (a glob ends where it stands).
fn use_paths(tree: &syn::UseTree) -> Vec<Vec<String>> {
    match tree {
        syn::UseTree::Path(p) => use_paths(&p.tree)
            .into_iter()
            .map(|mut rest| {
                rest.insert(0, p.ident.to_string());
                rest
            })
            .collect(),
        syn::UseTree::Name(n) => vec![vec![n.ident.to_string()]],
        syn::UseTree::Rename(r) => vec![vec![r.ident.to_string()]],
        syn::UseTree::Glob(_) => vec![vec![]],
        syn::UseTree::Group(g) => g.items.iter().flat_map(use_paths).collect(),
    }
}

/// The `crate::`, `super::` and `self::` paths in a token stream (code, macro input and all).
fn token_paths(tokens: TokenStream, here: &[String], out: &mut Vec<(Vec<String>, Vec<String>)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(g) => token_paths(g.stream(), here, out),
            TokenTree::Ident(id)
                if ["crate", "super", "self"].contains(&id.to_string().as_str()) =>
            {
                let mut path = vec![id.to_string()];
                while let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(next)),
                ) = (tokens.get(i + 1), tokens.get(i + 2), tokens.get(i + 3))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    path.push(next.to_string());
                    i += 3;
                }
                // A `use` in a function body: `super::{a, b::c}` names each leaf of the group.
                if let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Group(g)),
                ) = (tokens.get(i + 1), tokens.get(i + 2), tokens.get(i + 3))
                {
                    if a.as_char() == ':' && b.as_char() == ':' && g.delimiter() == Delimiter::Brace
                    {
                        let leaves = syn::parse::Parser::parse2(
                            syn::punctuated::Punctuated::<syn::UseTree, syn::Token![,]>::parse_terminated,
                            g.stream(),
                        );
                        for leaf in leaves.iter().flatten().flat_map(use_paths) {
                            out.push((here.to_vec(), [path.clone(), leaf].concat()));
                        }
                    }
                }
                if path.len() > 1 {
                    out.push((here.to_vec(), path));
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The absolute module path `path` names from module `at`.
fn resolve(at: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut base: Vec<String> = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            vec!["crate".into()]
        }
        Some("self") => {
            segments.next();
            at.to_vec()
        }
        Some("super") => at.to_vec(),
        _ => return None,
    };
    while segments.peek().is_some_and(|s| *s == "super") {
        segments.next();
        base.pop()?;
    }
    base.extend(segments.cloned());
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of modules written for the test, removed when dropped.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str, files: &[(&str, &str)]) -> Folder {
            let dir = std::env::temp_dir().join(format!("modules-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in files {
                let file = dir.join(path);
                std::fs::create_dir_all(file.parent().expect("has a parent")).expect("creates");
                std::fs::write(file, text).expect("writes");
            }
            Folder(dir)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_circle_through_a_test_module_and_a_re_export_is_found() {
        let folder = Folder::new("circle", &[
            ("mod.rs", "mod a;\nmod b;\nmod c;\npub use b::Made;\n"),
            ("a.rs", "pub(super) fn read() {}\n#[cfg(test)]\nmod tests {\n    use crate::testing::Made;\n}\n"),
            ("b.rs", "use super::a;\npub struct Made;\nfn f() { a::read(); }\n"),
            ("c/mod.rs", "mod inner;\n"),
            ("c/inner.rs", "fn g() { super::super::a::read(); crate::testing::c::h(); }\n"),
        ]);
        let graph = module_graph(&folder.0, &["crate", "testing"]).expect("reads");
        assert_eq!(graph["a"], BTreeSet::from(["b".to_string()]));
        assert_eq!(graph["b"], BTreeSet::from(["a".to_string()]));
        assert_eq!(graph["c"], BTreeSet::from(["a".to_string()]));
        let found = circles(&graph);
        assert_eq!(
            found,
            vec![BTreeSet::from(["a".to_string(), "b".to_string()])]
        );
    }

    #[test]
    fn a_use_group_inside_a_function_body_is_followed() {
        let folder = Folder::new(
            "fn-use",
            &[
                ("main.rs", "mod a;\nmod b;\nmod c;\nfn main() {}\n"),
                (
                    "a.rs",
                    "pub fn read() { use super::{c::made, b::{self as other}}; made(); }\n",
                ),
                ("b.rs", "pub fn run() { crate::a::read(); }\n"),
                ("c.rs", "pub fn made() {}\n"),
            ],
        );
        let graph = module_graph(&folder.0, &["crate"]).expect("reads");
        assert_eq!(
            graph["a"],
            BTreeSet::from(["b".to_string(), "c".to_string()])
        );
        assert_eq!(
            circles(&graph),
            vec![BTreeSet::from(["a".to_string(), "b".to_string()])]
        );
    }

    #[test]
    fn a_tree_without_a_circle_has_none() {
        let folder = Folder::new("tree", &[
            ("main.rs", "mod a;\nmod b;\nfn main() { b::run(); }\n"),
            ("a.rs", "pub fn read() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { self::read(); }\n}\n"),
            ("b.rs", "pub fn run() { crate::a::read(); }\n"),
        ]);
        let graph = module_graph(&folder.0, &["crate"]).expect("reads");
        assert_eq!(graph["b"], BTreeSet::from(["a".to_string()]));
        assert!(graph["a"].is_empty(), "{graph:?}");
        assert!(circles(&graph).is_empty());
    }

    #[test]
    fn a_file_that_does_not_parse_is_named() {
        let folder = Folder::new("broken", &[("a.rs", "fn (")]);
        let e = module_graph(&folder.0, &["crate"]).expect_err("refused");
        assert!(e.contains("a.rs"), "{e}");
    }
}
