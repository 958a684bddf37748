//! The stand-in's record of the requests it received: [`RecordedRequest`] and the store the
//! server appends to. It depends on nothing else of the stand-in, so the API, the faults and the
//! server all read it without depending on one another.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A request the stand-in received, as it arrived (before any fault).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// The path, without Cloudflare's `/client/v4` prefix when it had one (`/zones/…/client_certificates`).
    pub path: String,
    /// The query string, without `?`, if any.
    pub query: Option<String>,
    /// The headers, names in lower case, in the order received (credentials included: this is the
    /// test's own server).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// This request with its secrets replaced by `[redacted]`: the values of the credential
    /// headers (`authorization`, `x-auth-key`, `x-auth-user-service-key`, `cookie`) and the
    /// `private_key` fields of a JSON body. The admin API's `/__admin/requests` lists requests so.
    pub fn redacted(&self) -> RecordedRequest {
        let mut out = self.clone();
        for (name, value) in &mut out.headers {
            if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                *value = REDACTED.to_owned();
            }
        }
        if let Some(mut json) = self.json() {
            if redact_keys(&mut json) {
                out.body = json.to_string().into_bytes();
            }
        }
        out
    }
}

/// The headers that carry credentials.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "x-auth-key",
    "x-auth-user-service-key",
    "cookie",
];

const REDACTED: &str = "[redacted]";

/// Replaces every `private_key` string in `value`; whether one was.
fn redact_keys(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            let mut changed = false;
            for (name, field) in map.iter_mut() {
                if name == "private_key" && field.is_string() {
                    *field = serde_json::Value::String(REDACTED.to_owned());
                    changed = true;
                } else {
                    changed |= redact_keys(field);
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, v| redact_keys(v) | c),
        _ => false,
    }
}

impl RecordedRequest {
    /// The record of a request as hyper parsed it: the path without Cloudflare's `/client/v4`
    /// prefix, header values read as UTF-8 (lossily).
    pub(super) fn of(parts: &hyper::http::request::Parts, body: &[u8]) -> RecordedRequest {
        let raw_path = parts.uri.path();
        let path = raw_path
            .strip_prefix("/client/v4")
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(raw_path)
            .to_owned();
        RecordedRequest {
            method: parts.method.as_str().to_owned(),
            path,
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.to_vec(),
        }
    }
}

/// Every request received, oldest first, shared by the server's tasks and the test.
#[derive(Default)]
pub(super) struct Requests(Mutex<Vec<RecordedRequest>>);

impl Requests {
    /// Records `request`.
    pub fn push(&self, request: RecordedRequest) {
        self.lock().push(request);
    }

    /// A copy of every request recorded, oldest first.
    pub fn all(&self) -> Vec<RecordedRequest> {
        self.lock().clone()
    }

    /// Forgets every request recorded.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
