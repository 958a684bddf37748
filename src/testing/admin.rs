//! The admin API under `/__admin`, a prefix no Cloudflare route uses (WireMock's convention): the
//! methods of [`StandIn`](super::StandIn) over HTTP, for clients in any language. Each handler
//! calls the same [`Shared`] method as the Rust method of the same job.
//!
//! | request | does |
//! | --- | --- |
//! | `GET /__admin` | base URL, token, API key, default account and zone, managed CA |
//! | `GET /__admin/requests[?method=M&path=P]` | the recorded requests, credentials redacted |
//! | `DELETE /__admin/requests` | forgets them |
//! | `POST /__admin/faults` | queues a fault (JSON below) |
//! | `GET /__admin/faults` | the queued faults |
//! | `DELETE /__admin/faults` | removes them |
//! | `POST /__admin/seed` | a seed document, JSON (or TOML with `Content-Type: application/toml`) |
//! | `POST /__admin/reset` | forgets every item, fault and request |
//! | `POST /__admin/certificates` | a test certificate and key: `{"subject", "ca", "expires_in_days"}` |
//! | `POST /__admin/csr` | a CSR: `{"subject"}` |
//!
//! A fault: `{"kind": "rate_limited", "retry_after": 1}`, `{"kind": "server_error", "status":
//! 503}`, `{"kind": "api_error", "status": 403, "code": 10000, "message": "…"}`, `{"kind":
//! "bad_gateway_html"}`, `{"kind": "delay", "seconds": 2}` or `{"kind": "drop_connection"}`, with
//! optional `"method"`, `"path"` (a pattern as [`Fault::on_path`] takes it) and `"times": N` or
//! `"always": true` (default: once).

use super::api::Reply;
use super::faults::{matches_pattern, Fault};
use super::material::{try_csr, TestCertificate};
use super::record::RecordedRequest;
use super::seed_file::SeedFile;
use super::shared::Shared;
use super::{API_KEY, TOKEN};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// The admin API's path prefix.
const PREFIX: &str = "/__admin";

/// Whether a request path is the admin API's.
pub(super) fn is_admin(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The admin API's URL for a stand-in's base URL (`http://HOST:PORT/client/v4`).
pub(super) fn url(base_url: &str) -> String {
    let origin = base_url.strip_suffix("/client/v4").unwrap_or(base_url);
    format!("{origin}{PREFIX}")
}

/// Answers one admin request (never recorded, never faulted).
pub(super) fn answer(parts: &hyper::http::request::Parts, body: &[u8], shared: &Shared) -> Reply {
    let path = parts.uri.path();
    let route = path[PREFIX.len()..].trim_end_matches('/');
    let method = parts.method.as_str();
    let content_type = parts
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let result = match (route, method) {
        ("", "GET") => Ok(info(shared)),
        ("/requests", "GET") => requests(shared, parts.uri.query()),
        ("/requests", "DELETE") => {
            shared.clear_requests();
            Ok(json!({ "cleared": "requests" }))
        }
        ("/faults", "GET") => Ok(json!({
            "faults": shared.faults().iter().map(Fault::describe).collect::<Vec<_>>(),
        })),
        ("/faults", "POST") => FaultSpec::parse(body).and_then(|spec| {
            let fault = spec.fault()?;
            let shown = fault.describe();
            shared.inject(fault);
            Ok(json!({ "fault": shown }))
        }),
        ("/faults", "DELETE") => {
            shared.clear_faults();
            Ok(json!({ "cleared": "faults" }))
        }
        ("/seed", "POST") => seed(shared, body, content_type),
        ("/reset", "POST") => {
            shared.reset();
            Ok(json!({ "reset": true }))
        }
        ("/certificates", "POST") => parse::<CertificateSpec>(body).and_then(|spec| {
            let mut builder = TestCertificate::new(&spec.subject).ca(spec.ca);
            if let Some(days) = spec.expires_in_days {
                builder = builder.expires_in(Duration::from_secs(days.saturating_mul(86_400)));
            }
            let made = builder.try_build()?;
            Ok(json!({
                "certificate_pem": made.certificate_pem,
                "private_key_pem": made.private_key_pem,
            }))
        }),
        ("/csr", "POST") => parse::<CsrSpec>(body)
            .and_then(|spec| try_csr(&spec.subject))
            .map(|csr| json!({ "csr": csr })),
        ("" | "/requests" | "/faults" | "/seed" | "/reset" | "/certificates" | "/csr", _) => {
            return Reply::json(
                405,
                &json!({ "error": format!("{method} is not served on {path}") }),
            );
        }
        _ => {
            return Reply::json(
                404,
                &json!({ "error": format!("no admin route {path} (see GET {PREFIX})") }),
            );
        }
    };
    match result {
        Ok(value) => Reply::json(200, &value),
        Err(error) => Reply::json(400, &json!({ "error": error })),
    }
}

/// A JSON body of type `T`, or an error naming the field.
fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            format!("the body: {inner}")
        } else {
            format!("{path}: {inner}")
        }
    })
}

fn info(shared: &Shared) -> Value {
    json!({
        "base_url": shared.base_url,
        "admin_url": url(&shared.base_url),
        "api_token": TOKEN,
        "api_key": API_KEY,
        "account_id": super::ACCOUNT_ID,
        "zone_id": super::ZONE_ID,
        "managed_ca_pem": shared.managed_ca_pem(),
    })
}

/// `GET /__admin/requests`, filtered by `method` and a `path` pattern when given.
fn requests(shared: &Shared, query: Option<&str>) -> Result<Value, String> {
    let mut method = None;
    let mut pattern = None;
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned();
        match name {
            "method" => method = Some(value),
            "path" => pattern = Some(value),
            other => return Err(format!("unknown query parameter {other:?} (method, path)")),
        }
    }
    let listed: Vec<Value> = shared
        .requests()
        .iter()
        .filter(|r| {
            method
                .as_deref()
                .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
        })
        .filter(|r| {
            pattern
                .as_deref()
                .is_none_or(|p| matches_pattern(p, &r.path))
        })
        .map(|r| show(&r.redacted()))
        .collect();
    Ok(json!({ "requests": listed }))
}

/// A recorded (redacted) request as JSON: headers as an object (repeated ones joined by `, `),
/// the body as text and, when it is JSON, as `json`.
fn show(req: &RecordedRequest) -> Value {
    let mut headers = Map::new();
    for (name, value) in &req.headers {
        match headers.get_mut(name) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            _ => {
                headers.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    json!({
        "method": req.method,
        "path": req.path,
        "query": req.query,
        "headers": headers,
        "body": String::from_utf8_lossy(&req.body),
        "json": req.json(),
    })
}

/// `POST /__admin/seed`: the ids made, by entry.
fn seed(shared: &Shared, body: &[u8], content_type: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_owned())?;
    let file = if content_type.contains("toml") {
        SeedFile::from_toml(text)
    } else {
        SeedFile::from_json(text)
    }
    .map_err(|e| e.to_string())?;
    let seeded = shared.seed_file(&file).map_err(|e| e.to_string())?;
    let seeded: Vec<Value> = seeded
        .into_iter()
        .map(|(entry, id)| json!({ "entry": entry, "id": id }))
        .collect();
    Ok(json!({ "seeded": seeded }))
}

/// A fault as `POST /__admin/faults` takes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Matching {
    method: Option<String>,
    path: Option<String>,
    times: Option<usize>,
    #[serde(default)]
    always: bool,
}

/// A fault: what it does, which requests it is for.
struct FaultSpec {
    kind: KindSpec,
    matching: Matching,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum KindSpec {
    RateLimited {
        /// Seconds (rounded up in the header).
        retry_after: f64,
    },
    ServerError {
        status: u16,
    },
    ApiError {
        status: u16,
        code: i64,
        message: String,
    },
    // Empty struct variants, not unit ones: serde ignores unknown fields beside the tag of a
    // unit variant, even with `deny_unknown_fields`.
    BadGatewayHtml {},
    Delay {
        seconds: f64,
    },
    DropConnection {},
}

impl FaultSpec {
    /// The body: the matching fields, the rest is the kind and its fields.
    fn parse(body: &[u8]) -> Result<FaultSpec, String> {
        let mut map: Map<String, Value> = parse(body)?;
        let mut matching = Map::new();
        for name in ["method", "path", "times", "always"] {
            if let Some(value) = map.remove(name) {
                matching.insert(name.to_owned(), value);
            }
        }
        let matching: Matching = parse(Value::Object(matching).to_string().as_bytes())?;
        let kind: KindSpec = parse(Value::Object(map).to_string().as_bytes())?;
        Ok(FaultSpec { kind, matching })
    }

    /// The fault, made with `Fault`'s own constructors.
    fn fault(self) -> Result<Fault, String> {
        let seconds = |name: &str, value: f64| {
            Duration::try_from_secs_f64(value)
                .map_err(|_| format!("{name}: must be a number of seconds >= 0, got {value}"))
        };
        let status = |status: u16| {
            if (100..=599).contains(&status) {
                Ok(status)
            } else {
                Err(format!(
                    "status: must be an HTTP status (100-599), got {status}"
                ))
            }
        };
        let mut fault = match self.kind {
            KindSpec::RateLimited { retry_after } => {
                Fault::rate_limited(seconds("retry_after", retry_after)?)
            }
            KindSpec::ServerError { status: s } => Fault::server_error(status(s)?),
            KindSpec::ApiError {
                status: s,
                code,
                message,
            } => Fault::api_error(status(s)?, code, &message),
            KindSpec::BadGatewayHtml {} => Fault::bad_gateway_html(),
            KindSpec::Delay { seconds: s } => Fault::delay(seconds("seconds", s)?),
            KindSpec::DropConnection {} => Fault::drop_connection(),
        };
        let Matching {
            method,
            path,
            times,
            always,
        } = self.matching;
        fault = match (method, path) {
            (Some(method), path) => fault.on(&method, path.as_deref().unwrap_or("/**")),
            (None, Some(path)) => fault.on_path(&path),
            (None, None) => fault,
        };
        match (times, always) {
            (Some(_), true) => Err("give times or always, not both".to_owned()),
            (Some(0), false) => Err("times: must be at least 1".to_owned()),
            (Some(n), false) => Ok(fault.times(n)),
            (None, true) => Ok(fault.always()),
            (None, false) => Ok(fault),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificateSpec {
    subject: String,
    #[serde(default)]
    ca: bool,
    expires_in_days: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrSpec {
    subject: String,
}
