//! wiremock responses in Cloudflare's envelope, and matchers for what a request must (not) carry.

use crate::envelope::{envelope, envelope_with_info, failure};
use crate::ids::TOKEN;
use serde_json::Value;
use wiremock::matchers::{header, method, path, HeaderExactMatcher};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// A fresh local mock server.
pub async fn server() -> MockServer {
    MockServer::start().await
}

/// A fresh mock server answering `mock` with `response`; it checks on drop that the request came
/// exactly once.
pub async fn serving(mock: MockBuilder, response: ResponseTemplate) -> MockServer {
    let server = server().await;
    mock.respond_with(response).expect(1).mount(&server).await;
    server
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

/// A response with `status` and the failure envelope with one error.
pub fn failing(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(failure(code, message))
}

/// Mounts on `server` a 200 answer to `GET route` whose body is the JSON of `body` followed by
/// `after` (what an edge or a proxy may leave after the envelope), as `application/json`.
pub async fn mount_json_followed_by(server: &MockServer, route: &str, body: &Value, after: &[u8]) {
    let mut bytes = serde_json::to_vec(body).expect("serializes");
    bytes.extend_from_slice(after);
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes, "application/json"))
        .mount(server)
        .await;
}

/// Mounts on `server` a 503 with `cf-ray: ray` for the first `GET route` only: what a retry meets
/// before the answer mounted after it.
pub async fn mount_first_get_503(server: &MockServer, route: &str, ray: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503).insert_header("cf-ray", ray))
        .up_to_n_times(1)
        .mount(server)
        .await;
}

/// Matches the token clients' `Authorization` header.
pub fn bearer() -> HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
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

/// Matches a request that carries none of the headers in `names`.
pub fn without_headers(
    names: &'static [&'static str],
) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |r: &Request| names.iter().all(|n| !r.headers.contains_key(*n))
}

/// Matches a request whose path, as received, is exactly `expected` (percent-encoding included).
pub fn raw_path_is(expected: &'static str) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |r: &Request| r.url.path() == expected
}

/// How many requests `server` received.
pub async fn received(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .len()
}
