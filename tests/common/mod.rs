//! Helpers shared by the end-to-end tests: a local mock server, clients pointed at it with each kind
//! of credentials, Cloudflare's response envelope, request matchers, and a raw HTTP listener that
//! records the request line exactly as it arrived on the wire.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use cloudflare_mtls::{Client, Credentials};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{mpsc, Arc, Mutex};
use wiremock::matchers::header;
use wiremock::{MockServer, Request, ResponseTemplate};

/// The API token every token client sends.
pub const TOKEN: &str = "test-token";
/// The global API key of the key + email clients.
pub const API_KEY: &str = "c2547eb745079dac9320b638f5e225cf483cc5cfdda41";
/// The email of the key + email clients.
pub const EMAIL: &str = "user@example.com";
/// The user service key of the service-key clients.
pub const SERVICE_KEY: &str = "v1.0-e24fd090c02efcfecb4de8f4-4aa6ee72b71a3f7a4f3e1de36ce1fc";

/// An account id (Cloudflare's documented example).
pub const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// A zone id, different from the account id so that a mixed-up scope shows.
pub const ZONE_ID: &str = "372e67954025e0ba6aaa6d586b9e0b59";

/// A fresh local mock server.
pub async fn server() -> MockServer {
    MockServer::start().await
}

/// A client with an API token (`Authorization: Bearer test-token`), no retries.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .api_token(TOKEN)
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// A client with a global API key and email (`X-Auth-Key` + `X-Auth-Email`), no retries.
pub fn client_key_email(server: &MockServer) -> Client {
    client_with(
        &server.uri(),
        Credentials::KeyAndEmail {
            key: API_KEY.into(),
            email: EMAIL.into(),
        },
    )
}

/// A client with a user service key (`X-Auth-User-Service-Key`), no retries.
pub fn client_service_key(server: &MockServer) -> Client {
    client_with(
        &server.uri(),
        Credentials::UserServiceKey(SERVICE_KEY.into()),
    )
}

/// A client for `base_url` with `credentials`, no retries.
pub fn client_with(base_url: &str, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(base_url)
        .allow_http(true)
        .credentials(credentials)
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// A plain `reqwest::Client` built by the test itself. With the default `rustls` feature reqwest has
/// no crypto provider of its own and takes rustls's process default, which building a client of
/// this crate installs: one is built first, whatever test of the binary runs first.
pub fn plain_reqwest() -> reqwest::Client {
    Client::builder()
        .base_url("https://api.cloudflare.com/client/v4")
        .build()
        .expect("client builds");
    reqwest::Client::new()
}

/// Cloudflare's success envelope around `result`.
pub fn envelope(result: Value) -> Value {
    json!({ "success": true, "errors": [], "messages": [], "result": result })
}

/// Cloudflare's success envelope around a list `result`, with `result_info`.
pub fn envelope_with_info(result: Value, result_info: Value) -> Value {
    let mut env = envelope(result);
    env["result_info"] = result_info;
    env
}

/// Cloudflare's failure envelope with one error.
pub fn failure(code: i64, message: &str) -> Value {
    json!({
        "success": false,
        "errors": [{ "code": code, "message": message }],
        "messages": [],
        "result": null
    })
}

/// A response with `status` and the success envelope around `result`.
pub fn ok_with_status(status: u16, result: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(envelope(result))
}

/// A 200 response with the success envelope around `result`.
pub fn ok(result: Value) -> ResponseTemplate {
    ok_with_status(200, result)
}

/// A 200 response with the success envelope around a list and its `result_info`.
pub fn ok_page(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope_with_info(result, result_info))
}

/// Matches the token client's `Authorization` header.
pub fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", "Bearer test-token")
}

/// Matches a request whose query string is exactly `expected` (same parameters, same order).
pub fn query_is(expected: &'static str) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |r: &Request| r.url.query() == Some(expected)
}

/// Matches a request without any query string.
pub fn no_query() -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    |r: &Request| r.url.query().is_none()
}

/// Matches a request without a body.
pub fn no_body() -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    |r: &Request| r.body.is_empty()
}

/// Matches a request that carries none of the credentials headers in `names`.
pub fn without_headers(
    names: &'static [&'static str],
) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |r: &Request| names.iter().all(|n| !r.headers.contains_key(*n))
}

/// Matches a request whose path, as received, is exactly `expected` (percent-encoding included).
pub fn raw_path_is(expected: &'static str) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |r: &Request| r.url.path() == expected
}

/// A UTC date-time.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_nano_opt(h, mi, s, nanos))
        .expect("valid date")
        .and_utc()
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers every request with `body` (a 200 JSON
/// response) and records each request line (`GET /path?query HTTP/1.1`) exactly as received,
/// before any server-side URL normalization. Use it where a mock server's own URL parsing would
/// hide what the client sent (dot segments).
pub struct RawServer {
    uri: String,
    lines: mpsc::Receiver<String>,
}

impl RawServer {
    /// Starts the server. Its thread lives until the test process exits.
    pub fn start(body: Value) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("local addr"));
        let (tx, rx) = mpsc::channel();
        let body = body.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut content_length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            content_length = value.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut request_body = vec![0u8; content_length];
                let _ = reader.read_exact(&mut request_body);
                // Recorded before answering: once the client has its response, the line is here.
                let _ = tx.send(request_line.trim_end().to_string());
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                    body.len(),
                    body
                );
                let _ = stream.write_all(response.as_bytes());
                let _ = stream.flush();
            }
        });
        RawServer { uri, lines: rx }
    }

    /// The base URL to point a client at.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// A token client for this server, no retries.
    pub fn client(&self) -> Client {
        client_with(&self.uri, Credentials::Token(TOKEN.into()))
    }

    /// The request lines received so far.
    pub fn request_lines(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// The request targets (path and query) received so far.
    pub fn request_targets(&self) -> Vec<String> {
        self.request_lines()
            .iter()
            .map(|l| l.split(' ').nth(1).unwrap_or_default().to_string())
            .collect()
    }
}

/// A thread-per-connection HTTP/1.1 server on 127.0.0.1 that reads each request whole (head, then
/// body by `Content-Length`) and answers it with `response`, bytes exactly as given (a malformed
/// head is sent as it is), then closes the connection. Counts the requests it answered.
pub struct CannedServer {
    uri: String,
    requests: Arc<std::sync::atomic::AtomicUsize>,
}

impl CannedServer {
    /// Starts the server. Its thread lives until the test process exits.
    pub fn start(response: Vec<u8>) -> CannedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (count, response) = (requests.clone(), Arc::new(response));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (count, response) = (count.clone(), response.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream);
                    let mut content_length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                content_length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0u8; content_length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let mut stream = reader.into_inner();
                    let _ = stream.write_all(&response);
                    let _ = stream.flush();
                });
            }
        });
        CannedServer { uri, requests }
    }

    /// The base URL to point a client at.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// How many requests it has answered.
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Log output collected in memory: the writer a test binary's `tracing_subscriber` writes to.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log lock")).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}
