//! The naming overlay (`spec/overlay.toml`): operationId → `resource.sub.method` and the names of
//! its types and path arguments, `Type.field` → type name, component → type name (the fallback).

use crate::error::{join, Error, Result};
use crate::naming;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Names chosen by people for operations and component schemas. Anything not named here gets a
/// derived name, so an operation added upstream never breaks the build.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// operationId → name.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationName>,
    /// Component schema name → Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// `"Type.field"` (the field by its API or Rust name) → the Rust type name of that field's type (of its items, for a list or map):
    /// names anchored to a type that is itself anchored (to an operation or another field), which
    /// survive upstream renaming the component behind the field.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Resource path (`mtls_certificates.associations`) → what it manages, in Markdown (with a
    /// link to Cloudflare's docs), the doc of its handle and accessor.
    #[serde(default)]
    pub resources: BTreeMap<String, String>,
    /// The operations the crate has (`[selection]`); without it every operation of the document
    /// is generated.
    #[serde(default)]
    pub selection: Option<Selection>,
}

/// The `[selection]` table: which operations of a document are generated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// One entry per operation: its operationId, or the list of the operationIds it has had
    /// (Cloudflare respells some between versions of its document). An operation the document
    /// has under any of them is generated; an entry the document has under none is reported.
    pub operations: Vec<Spellings>,
}

/// The operationIds of one selected operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Spellings {
    /// One operationId.
    One(String),
    /// The operationIds it has had, current first.
    Many(Vec<String>),
}

impl Spellings {
    /// Every spelling, current first.
    pub fn ids(&self) -> &[String] {
        match self {
            Spellings::One(id) => std::slice::from_ref(id),
            Spellings::Many(ids) => ids,
        }
    }
}

/// The overlay entry of one operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OperationName {
    /// `"resource.sub.method"`.
    Method(String),
    /// The method path plus names for the operation's inline types.
    Full {
        /// `"resource.sub.method"`.
        method: String,
        /// Type name of the inline request body.
        #[serde(default)]
        body: Option<String>,
        /// Type name of the query-parameter struct.
        #[serde(default)]
        params: Option<String>,
        /// Type name of the result (of a list's items), whatever component upstream puts there.
        #[serde(default)]
        result: Option<String>,
        /// Argument names of the path parameters, in template order (the scope's included),
        /// whatever upstream calls them (`{identifier}`, `{uuid}`, `{zone_identifier}`).
        #[serde(default)]
        path_params: Option<Vec<String>>,
        /// Old `resource.sub.method` paths of the operation (where it was before a rename),
        /// kept as `#[deprecated]` methods that call the new one, so users' code keeps compiling.
        #[serde(default)]
        deprecated_aliases: Vec<String>,
    },
}

impl OperationName {
    /// The `resource.sub.method` path.
    pub fn method(&self) -> &str {
        match self {
            OperationName::Method(m) | OperationName::Full { method: m, .. } => m,
        }
    }

    /// Type name of the inline request body, if named.
    pub fn body(&self) -> Option<&str> {
        match self {
            OperationName::Full { body, .. } => body.as_deref(),
            OperationName::Method(_) => None,
        }
    }

    /// Type name of the result (a paged list's item), if named.
    pub fn result(&self) -> Option<&str> {
        match self {
            OperationName::Full { result, .. } => result.as_deref(),
            OperationName::Method(_) => None,
        }
    }

    /// Argument names of the path parameters in template order, if named.
    pub fn path_params(&self) -> Option<&[String]> {
        match self {
            OperationName::Full { path_params, .. } => path_params.as_deref(),
            OperationName::Method(_) => None,
        }
    }

    /// The old method paths kept as deprecated aliases.
    pub fn deprecated_aliases(&self) -> &[String] {
        match self {
            OperationName::Full {
                deprecated_aliases, ..
            } => deprecated_aliases,
            OperationName::Method(_) => &[],
        }
    }

    /// Type name of the query-parameter struct, if named.
    pub fn params(&self) -> Option<&str> {
        match self {
            OperationName::Full { params, .. } => params.as_deref(),
            OperationName::Method(_) => None,
        }
    }
}

impl Overlay {
    /// Parses the overlay text read from `file`.
    pub fn parse(file: &str, text: &str) -> Result<Overlay> {
        let overlay: Overlay = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start].matches('\n').count() + 1;
                    format!(" (line {line})")
                })
                .unwrap_or_default();
            Error::new(file, "", format!("invalid overlay{at}: {message}"))
        })?;
        let problem = overlay.problem();
        match problem {
            Some((table, key, message)) => Err(Error::new(file, &join(table, &key), message)),
            None => Ok(overlay),
        }
    }

    /// The first entry that is not usable: its table, key and what is wrong.
    fn problem(&self) -> Option<(&'static str, String, String)> {
        let type_name = |n: &str| {
            (!naming::is_type_name(n))
                .then(|| format!("`{n}` is not an UpperCamelCase ASCII type name"))
        };
        for (op, name) in &self.operations {
            let found = method_problem(name.method())
                .or_else(|| {
                    name.deprecated_aliases()
                        .iter()
                        .find_map(|a| alias_problem(name, a))
                })
                .or_else(|| {
                    let args = name.path_params().unwrap_or_default();
                    args.iter().find(|a| !is_snake(a)).map(|a| {
                        format!("path parameter name `{a}` is not a snake_case identifier")
                    })
                })
                .or_else(|| {
                    let names = name.body().into_iter().chain(name.params());
                    names.chain(name.result()).find_map(type_name)
                });
            if let Some(message) = found {
                return Some(("/operations", op.clone(), message));
            }
        }
        for (i, entry) in self
            .selection
            .iter()
            .flat_map(|s| &s.operations)
            .enumerate()
        {
            if entry.ids().is_empty() || entry.ids().iter().any(String::is_empty) {
                let message = "an entry names no operationId (an empty string or list)";
                return Some(("/selection/operations", i.to_string(), message.to_string()));
            }
        }
        for (key, name) in &self.types {
            if let Some(message) = type_name(name) {
                return Some(("/types", key.clone(), message));
            }
        }
        for (key, name) in &self.fields {
            let valid_key = key
                .split_once('.')
                .is_some_and(|(ty, field)| naming::is_type_name(ty) && !field.is_empty());
            let message = match valid_key {
                false => Some(format!("`{key}` is not of the form `TypeName.field`")),
                true => type_name(name),
            };
            if let Some(message) = message {
                return Some(("/fields", key.clone(), message));
            }
        }
        None
    }
}

/// What is wrong with a `resource.sub.method` path, if anything.
fn method_problem(method: &str) -> Option<String> {
    let parts: Vec<&str> = method.split('.').collect();
    let valid = parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !p.starts_with(|c: char| c.is_ascii_digit())
        });
    (!valid)
        .then(|| format!("`{method}` is not of the form `resource.method` (snake_case segments)"))
}

/// What is wrong with a deprecated alias of the operation named `name`, if anything.
fn alias_problem(name: &OperationName, alias: &str) -> Option<String> {
    match method_problem(alias) {
        Some(p) => Some(format!("deprecated alias: {p}")),
        None if alias == name.method() => Some(format!(
            "deprecated alias `{alias}` is the method's own name"
        )),
        None => None,
    }
}

/// Whether `name` is a snake_case identifier as it is (what `naming::snake` would keep).
fn is_snake(name: &str) -> bool {
    naming::snake(name) == name
}
