//! Stage 1: read and parse the OpenAPI document and check its structure.
//!
//! The document is kept as raw JSON so that every later stage can name the JSON pointer of the node it
//! is looking at. Its structure is checked only where generation reads it (`check`, after the
//! selection): a defect in an operation the crate does not have never fails a build.

use crate::error::{Error, Result};
use serde_json::Value;

/// A parsed OpenAPI 3.0 document (its structure is checked where generation reads it).
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name used in error messages.
    pub file: String,
    /// The document as JSON.
    pub doc: Value,
}

impl Spec {
    /// Parses `text` (JSON) read from `file` and checks that it is an OpenAPI 3.0.x document.
    pub fn parse(file: &str, text: &str) -> Result<Spec> {
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                file,
                "",
                format!(
                    "not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Spec::from_value(file, doc)
    }

    /// Checks an already-parsed document.
    pub fn from_value(file: &str, doc: Value) -> Result<Spec> {
        let Some(root) = doc.as_object() else {
            return Err(Error::new(file, "", "the document is not a JSON object"));
        };
        match root.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0") => {}
            Some(v) => {
                return Err(Error::new(
                    file,
                    "/openapi",
                    format!("OpenAPI version {v} is not supported (only 3.0.x)"),
                ))
            }
            None => {
                return Err(Error::new(
                    file,
                    "/openapi",
                    "missing the `openapi` version string",
                ))
            }
        }
        Ok(Spec {
            file: file.to_string(),
            doc,
        })
    }

    /// The node at `pointer`, or an error naming `from`, the pointer that led there.
    pub fn node(&self, pointer: &str, from: &str) -> Result<&Value> {
        self.lookup(pointer).ok_or_else(|| {
            Error::new(
                &self.file,
                from,
                format!("reference `#{pointer}` does not resolve"),
            )
        })
    }

    /// The node at `pointer` (RFC 6901), if there is one: what `serde_json::Value::pointer`
    /// answers, without allocating for a token that has no `~` escape. The resolver and the
    /// selection look up a pointer for every `$ref` they follow, tens of thousands in Cloudflare's
    /// full document, and serde_json's version allocates twice per token.
    pub fn lookup(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(&self.doc);
        }
        pointer
            .strip_prefix('/')?
            .split('/')
            .try_fold(&self.doc, |node, token| {
                let token = if token.contains('~') {
                    std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
                } else {
                    std::borrow::Cow::Borrowed(token)
                };
                match node {
                    Value::Object(map) => map.get(token.as_ref()),
                    Value::Array(list) => array_index(&token).and_then(|i| list.get(i)),
                    _ => None,
                }
            })
    }

    /// The JSON pointer a local `$ref` (`#/…`, a URI fragment) names, its percent-encoding
    /// undone; `at` is where the `$ref` stands, for errors. External references are refused.
    pub fn ref_pointer(&self, target: &str, at: &str) -> Result<String> {
        let Some(fragment) = target.strip_prefix('#') else {
            return Err(self.error(
                at,
                format!("external reference `{target}` is not supported"),
            ));
        };
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .map(|p| p.into_owned())
            .map_err(|_| {
                self.error(
                    at,
                    format!("reference `{target}` is not UTF-8 once percent-decoded"),
                )
            })
    }

    /// The node at `pointer`, past any `$ref`s (a reference to a reference, and so on): its
    /// pointer and the node. For parameters, request bodies, responses and path items, whose
    /// `$ref` stands alone.
    pub fn deref<'s>(&'s self, pointer: &str, node: &'s Value) -> Result<(String, &'s Value)> {
        let (mut pointer, mut node) = (pointer.to_string(), node);
        let mut seen = Vec::new();
        while let Some(target) = node.get("$ref") {
            let at = format!("{pointer}/$ref");
            let target = target
                .as_str()
                .ok_or_else(|| self.error(&at, "`$ref` is not a string"))?;
            if seen.contains(&pointer) || seen.len() >= 64 {
                return Err(self.error(&at, format!("`$ref` cycle through `{target}`")));
            }
            seen.push(pointer);
            pointer = self.ref_pointer(target, &at)?;
            node = self.node(&pointer, &at)?;
        }
        Ok((pointer, node))
    }

    /// An error at `pointer` in this spec.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(&self.file, pointer, message)
    }

    /// `info.title` and `info.version`.
    pub fn title_and_version(&self) -> (String, String) {
        let get = |k: &str| {
            self.doc
                .pointer(&format!("/info/{k}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        (get("title"), get("version"))
    }
}

/// The array index a pointer token names: decimal digits without a leading zero or sign (RFC 6901,
/// as serde_json reads it).
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_names_the_file() {
        let e = Spec::parse("x.json", "{ nope").unwrap_err();
        assert_eq!(e.file, "x.json");
        assert!(e.message.contains("not valid JSON"), "{e}");
    }

    #[test]
    fn openapi_31_is_refused() {
        let e = Spec::parse(
            "x.json",
            r#"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{}}"#,
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/openapi");
    }

    proptest::proptest! {
        /// `lookup` answers as serde_json's `Value::pointer` for any pointer into a document
        /// whose keys hold `~`, `/`, digits and leading zeros.
        #[test]
        fn lookup_answers_as_serde_json(tokens in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("a".to_string()),
                proptest::prelude::Just("a~1b".to_string()),
                proptest::prelude::Just("~0c".to_string()),
                proptest::prelude::Just("~01".to_string()),
                proptest::prelude::Just("~2".to_string()),
                proptest::prelude::Just("0".to_string()),
                proptest::prelude::Just("01".to_string()),
                proptest::prelude::Just("+1".to_string()),
                proptest::prelude::Just("1".to_string()),
                proptest::prelude::Just(String::new()),
            ],
            0..4,
        )) {
            let doc = serde_json::json!({
                "a": { "a/b": [1, { "~c": 2, "~1": [3] }], "": 4, "0": 5, "01": 6 },
                "a/b": [[7, 8], { "a": 9 }],
                "~c": { "1": [10, 11] },
                "": { "": 12 },
            });
            let spec = Spec { file: "t.json".to_string(), doc: doc.clone() };
            let pointer: String = tokens.iter().map(|t| format!("/{t}")).collect();
            proptest::prop_assert_eq!(spec.lookup(&pointer), doc.pointer(&pointer), "{}", pointer);
        }
    }
}
