//! One request as the operations read it: its owner, query and JSON body.

use super::{Owner, Paging, Reply};
use crate::testing::record::RecordedRequest;
use serde_json::{Map, Value};

/// A request routed to an account or zone.
pub(in crate::testing) struct Call {
    pub owner: Owner,
    query: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Call {
    pub fn new(req: &RecordedRequest, owner: Owner) -> Call {
        let query = req
            .query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        Call {
            owner,
            query,
            body: req.body.clone(),
        }
    }

    /// The last value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of query parameter `name`, in order: repeated keys (`?type=a&type=b`) and
    /// comma-separated values (`?type=a,b`) alike, empty ones left out.
    pub fn query_list(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A positive integer query parameter (`page=2`, also `2.0` as a `number` parameter sends
    /// it), or a 400.
    fn positive(&self, name: &str) -> Result<Option<usize>, Reply> {
        let Some(raw) = self.query(name) else {
            return Ok(None);
        };
        let parsed = raw
            .parse::<usize>()
            .ok()
            .or_else(|| {
                raw.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                    .map(|f| f as usize)
            })
            .filter(|n| *n >= 1);
        match parsed {
            Some(n) => Ok(Some(n)),
            None => Err(Reply::invalid(&format!(
                "{name}: must be a positive integer, got {raw:?}"
            ))),
        }
    }

    /// `page`/`per_page` with the operation's default and bounds for `per_page`.
    pub fn paging(&self, default: usize, min: usize, max: usize) -> Result<Paging, Reply> {
        let page = self.positive("page")?.unwrap_or(1);
        let per_page = self.positive("per_page")?.unwrap_or(default);
        if !(min..=max).contains(&per_page) {
            return Err(Reply::invalid(&format!(
                "per_page: must be between {min} and {max}, got {per_page}"
            )));
        }
        Ok(Paging {
            page,
            per_page,
            offset: None,
        })
    }

    /// Like [`Call::paging`], with `offset`/`limit` taking over when `limit` is given.
    pub fn paging_or_limit(&self, default: usize, min: usize, max: usize) -> Result<Paging, Reply> {
        let mut paging = self.paging(default, min, max)?;
        if let Some(limit) = self.positive("limit")? {
            let offset = match self.query("offset") {
                None => 0,
                Some(raw) => raw.parse::<usize>().map_err(|_| {
                    Reply::invalid(&format!("offset: must be an integer, got {raw:?}"))
                })?,
            };
            paging = Paging {
                page: offset / limit + 1,
                per_page: limit,
                offset: Some(offset),
            };
        }
        Ok(paging)
    }

    /// The body, a JSON object or nothing (an empty object).
    pub fn object_or_empty(&self) -> Result<Map<String, Value>, Reply> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(Map::new())
        } else {
            self.object()
        }
    }

    /// The body, which must be a JSON object.
    pub fn object(&self) -> Result<Map<String, Value>, Reply> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(Reply::invalid("the request body must be a JSON object")),
            Err(e) => Err(Reply::invalid(&format!(
                "the request body is not valid JSON: {e}"
            ))),
        }
    }
}

/// Reads fields of a JSON body, each error naming the field (with its path in the body when
/// nested: `settings[1].hostname`).
pub(in crate::testing) struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Fields<'a> {
    /// The fields of the body.
    pub fn new(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields {
            map,
            prefix: String::new(),
        }
    }

    /// The fields of an object inside the body, at `path`.
    pub fn nested(map: &'a Map<String, Value>, path: String) -> Fields<'a> {
        Fields {
            map,
            prefix: format!("{path}."),
        }
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name)
    }

    fn invalid(&self, name: &str, why: &str) -> Reply {
        Reply::invalid(&format!("{}{name}: {why}", self.prefix))
    }

    /// A required non-empty string.
    pub fn string(&self, name: &str) -> Result<String, Reply> {
        match self.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(self.invalid(name, "must not be empty")),
            None | Some(Value::Null) => Err(self.invalid(name, "is required")),
            Some(_) => Err(self.invalid(name, "must be a string")),
        }
    }

    /// An optional string (`null` is absent).
    pub fn opt_string(&self, name: &str) -> Result<Option<String>, Reply> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(name, "must be a string")),
        }
    }

    /// A required boolean.
    pub fn bool(&self, name: &str) -> Result<bool, Reply> {
        match self.get(name) {
            Some(Value::Bool(b)) => Ok(*b),
            None | Some(Value::Null) => Err(self.invalid(name, "is required")),
            Some(_) => Err(self.invalid(name, "must be a boolean")),
        }
    }

    /// An optional boolean (`null` is absent).
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, Reply> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.invalid(name, "must be a boolean")),
        }
    }

    /// An optional list of strings.
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>, Reply> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(self.invalid(name, "must be a list of strings")),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(_) => Err(self.invalid(name, "must be a list of strings")),
        }
    }

    /// A required list of objects.
    pub fn objects(&self, name: &str) -> Result<Vec<Map<String, Value>>, Reply> {
        match self.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Object(m) => Ok(m.clone()),
                    _ => Err(self.invalid(name, "must be a list of objects")),
                })
                .collect(),
            None | Some(Value::Null) => Err(self.invalid(name, "is required")),
            Some(_) => Err(self.invalid(name, "must be a list of objects")),
        }
    }
}

/// Percent-decodes a query component (`+` is a space).
fn decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}
