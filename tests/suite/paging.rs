//! Pagination against servers that page oddly: `list_all` where `total_pages` is absent, a server
//! that ignores `page` (alternating pages, more pages claimed), a short page, a failed page retried,
//! and the page cap: the page stream ends whatever the server says.

use crate::operations::*;
use cloudflare_mtls::testing::{csr, Fault, Seed, StandIn};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Client, PageStream, Scope};
use cloudflare_mtls_test_support::*;
use futures::TryStreamExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Match, Mock, MockBuilder, MockServer};

// ---------------------------------------------------------------------------------------------
// Pagination against a misbehaving server
// ---------------------------------------------------------------------------------------------

fn cert(id: &str) -> serde_json::Value {
    json!({ "id": id, "status": "active" })
}

/// Every item `stream` yields until it ends; an error fails the test.
async fn every_item<T: DeserializeOwned + Send>(stream: PageStream<'_, T>) -> Vec<T> {
    stream.try_collect().await.expect("the stream ends")
}

/// Every client certificate of the zone that `list_all` with `params` yields until its stream ends.
async fn all_client_certificates(
    client: &Client,
    params: ClientCertificateListParams,
) -> Vec<ClientCertificate> {
    every_item(client.client_certificates().list_all(ZONE_ID, params)).await
}

/// A server that answers page 1 of the zone's client certificates once, with `items` and `info`.
async fn first_page_once(items: Value, info: Value) -> MockServer {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .and(query_param("page", "1"))
        .respond_with(ok_page(items, info))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// Mounts `mock` on `server`, answering `response` once.
async fn mount_once(server: &MockServer, mock: MockBuilder, response: wiremock::ResponseTemplate) {
    mock.respond_with(response).expect(1).mount(server).await;
}

/// A server answering `GET route` (with the token) once per page: the `n`th of `pages` to the
/// request that `page(n)` matches.
async fn answering_pages<M: Match + 'static>(
    route: &str,
    page: impl Fn(usize) -> M,
    pages: Vec<wiremock::ResponseTemplate>,
) -> MockServer {
    let server = server().await;
    for (i, response) in pages.into_iter().enumerate() {
        let request = expect_request("GET", route, Auth::Token).and(page(i + 1));
        mount_once(&server, request, response).await;
    }
    server
}

/// The `page` query parameter is `n`.
fn page_is(n: usize) -> impl Match {
    query_param("page", n.to_string())
}

/// Every Access certificate of `scope` that `list_all` with `params` yields until its stream ends.
async fn all_access_certificates(
    server: &MockServer,
    scope: Scope<'_>,
    params: AccessCertificateListParams,
) -> Vec<AccessCertificate> {
    let client = client(server);
    every_item(client.access().certificates().list_all(scope, params)).await
}

/// A server that answers every GET with the page `items` and `info`.
async fn always_answering(items: Value, info: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_page(items, info))
        .mount(&server)
        .await;
    server
}

/// A server that ignores `page` and alternates between two full pages (no `total_pages`). Saying
/// `page: 1` each time, it is caught by the page number: 2 requests, the first page's items. Saying
/// no page number, by its items: the stream yields each page once and stops when one comes back
/// (3 requests), never looping.
#[tokio::test]
async fn stream_stops_when_a_server_ignoring_page_alternates_pages() {
    for (info, requests, want) in [
        (
            json!({ "page": 1, "per_page": 2, "count": 2 }),
            2,
            &["a1", "a2"][..],
        ),
        (
            json!({ "per_page": 2, "count": 2 }),
            3,
            &["a1", "a2", "b1", "b2"][..],
        ),
    ] {
        let server = server().await;
        let p = format!("/zones/{ZONE_ID}/client_certificates");
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        let served_info = info.clone();
        Mock::given(method("GET"))
            .and(path(&p))
            .respond_with(move |_: &wiremock::Request| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let items = if n.is_multiple_of(2) {
                    json!([cert("a1"), cert("a2")])
                } else {
                    json!([cert("b1"), cert("b2")])
                };
                ok_page(items, served_info.clone())
            })
            .mount(&server)
            .await;
        let all = all_client_certificates(
            &client(&server),
            ClientCertificateListParams::default().per_page(2),
        )
        .await;
        let ids: Vec<_> = all.iter().filter_map(|c| c.id.as_deref()).collect();
        assert_eq!(ids, want, "{info}");
        assert_eq!(received(&server).await, requests, "{info}");
    }
}

/// A server that ignores `page` and claims `total_pages: 50` with `page: 1` every time: the
/// repeated page ends the stream after 2 requests.
#[tokio::test]
async fn stream_stops_when_a_server_ignoring_page_claims_more_pages() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .respond_with(ok_page(
            json!([cert("a1"), cert("a2")]),
            json!({ "page": 1, "per_page": 2, "count": 2, "total_count": 100, "total_pages": 50 }),
        ))
        .mount(&server)
        .await;
    let all = all_client_certificates(&client(&server), Default::default()).await;
    assert_eq!(all.len(), 2);
    assert_eq!(received(&server).await, 2);
}

/// `total_pages` without `page` in `result_info`: the requested page number is compared to it.
/// A short page ends the stream even when `total_pages` says more.
#[tokio::test]
async fn stream_stops_on_total_pages_without_page_and_on_a_short_page() {
    let server = first_page_once(
        json!([cert("a1"), cert("a2")]),
        json!({ "per_page": 2, "total_pages": 1 }),
    )
    .await;
    let all = all_client_certificates(&client(&server), Default::default()).await;
    assert_eq!(all.len(), 2);

    let server = first_page_once(
        json!([cert("a1")]),
        json!({ "page": 1, "per_page": 2, "total_pages": 9 }),
    )
    .await;
    let all = all_client_certificates(&client(&server), Default::default()).await;
    assert_eq!(all.len(), 1);
}

/// A 503 on page 2 (the stand-in's fault, injected once page 1 has been read) is retried inside
/// the stream; no item is lost or repeated.
#[tokio::test]
async fn stream_retries_a_failed_page() {
    let stand_in = StandIn::start().await;
    let seeded: Vec<String> = (1..=7)
        .map(|i| stand_in.seed(Seed::client_certificate(ZONE_ID, &csr(&format!("CN=c{i}")))))
        .collect();
    let client = stand_in
        .client_builder()
        .retry_policy(no_wait(2))
        .build()
        .expect("client builds");
    let mut stream = client
        .client_certificates()
        .list_all(ZONE_ID, ClientCertificateListParams::default().per_page(5));
    let mut ids = Vec::new();
    for _ in 0..5 {
        let cert = stream.try_next().await.expect("page 1").expect("an item");
        ids.push(cert.id.unwrap_or_default());
    }
    assert_eq!(stand_in.requests().len(), 1, "page 1 only, so far");
    stand_in.inject(Fault::server_error(503).on("GET", "/zones/*/client_certificates"));
    while let Some(cert) = stream.try_next().await.expect("page 2, retried") {
        ids.push(cert.id.unwrap_or_default());
    }
    assert_eq!(ids, seeded);
    let pages: Vec<Option<String>> = stand_in.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(pages.len(), 3, "page 1, page 2 (503), page 2: {pages:?}");
    assert_eq!(pages[1], pages[2]);
}

// ---------------------------------------------------------------------------------------------
// Pagination: where list_all stops without total_pages
// ---------------------------------------------------------------------------------------------

/// Without `total_pages`, a page shorter than `per_page` is the last one.
#[tokio::test]
async fn list_all_stops_on_a_short_page() {
    let p = format!("/accounts/{ACCOUNT_ID}/access/certificates");
    let queries = ["per_page=2&page=1", "per_page=2&page=2"];
    let pages = vec![
        ok_page(
            json!([
                access_certificate_json("c1", "a"),
                access_certificate_json("c2", "b")
            ]),
            json!({ "page": 1, "per_page": 2, "count": 2 }),
        ),
        ok_page(
            json!([access_certificate_json("c3", "c")]),
            json!({ "page": 2, "per_page": 2, "count": 1 }),
        ),
    ];
    let server = answering_pages(&p, |n| query_is(queries[n - 1]), pages).await;
    let params = AccessCertificateListParams::new().per_page(2);
    let all = all_access_certificates(&server, account(), params).await;
    let ids: Vec<_> = all.iter().filter_map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
}

/// Without `total_pages`, an empty page ends the stream.
#[tokio::test]
async fn list_all_stops_on_an_empty_page() {
    let p = format!("/zones/{ZONE_ID}/access/certificates");
    let pages = vec![
        ok(json!([access_certificate_json("c1", "a")])),
        ok(json!([])),
    ];
    let server = answering_pages(&p, page_is, pages).await;
    let all = all_access_certificates(&server, zone(), Default::default()).await;
    assert_eq!(all.len(), 1);
}

/// A server that ignores `page` (same full page every time) does not make the stream loop.
#[tokio::test]
async fn list_all_stops_when_the_server_repeats_a_page() {
    let server = server().await;
    expect_request(
        "GET",
        &format!("/zones/{ZONE_ID}/client_certificates"),
        Auth::Token,
    )
    .respond_with(ok_page(
        json!([
            client_certificate_json("cc-1", "active"),
            client_certificate_json("cc-2", "active")
        ]),
        json!({ "per_page": 2, "count": 2 }),
    ))
    .expect(2)
    .mount(&server)
    .await;
    let client = client(&server);
    let all =
        all_client_certificates(&client, ClientCertificateListParams::new().per_page(2)).await;
    let ids: Vec<_> = all.iter().filter_map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, ["cc-1", "cc-2"]);
}

/// An error on a later page ends the stream with that error, after the earlier items.
#[tokio::test]
async fn list_all_yields_the_error_of_a_later_page() {
    let p = format!("/zones/{ZONE_ID}/client_certificates");
    let pages = vec![
        ok_page(
            json!([client_certificate_json("cc-1", "active")]),
            json!({ "page": 1, "per_page": 1, "total_pages": 2 }),
        ),
        failing(403, 10000, "Authentication error"),
    ];
    let server = answering_pages(&p, page_is, pages).await;
    let client = client(&server);
    let mut stream = client
        .client_certificates()
        .list_all(ZONE_ID, Default::default());
    let first = stream
        .try_next()
        .await
        .expect("first page")
        .expect("one item");
    assert_eq!(first.id.as_deref(), Some("cc-1"));
    let err = stream.try_next().await.expect_err("second page fails");
    assert!(err.is_forbidden(), "{err:?}");
    assert_eq!(err.codes(), vec![10000]);
}

// ---------------------------------------------------------------------------------------------
// The page stream ends
// ---------------------------------------------------------------------------------------------

/// Whether a DEBUG record logged so far contains `needle`.
fn logged(needle: &str) -> bool {
    logs(Detail::Debug).contains(needle)
}

/// A server that ignores `page`, with a fresh `updated_at` on every item of every answer.
async fn ignoring_server(info: Value) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let items: Vec<Value> = ["c1", "c2", "c3"]
                .iter()
                .map(|id| json!({ "id": id, "status": "active", "updated_at": format!("2026-12-02T10:00:{:02}Z", n % 60) }))
                .collect();
            ok_page(json!(items), info.clone())
        })
        .mount(&server)
        .await;
    (server, served)
}

/// A server that ignores `page`: every answer the same three ids, no `total_pages`, a fresh
/// `updated_at` on each item each time. Saying `page: 1`, it is answering for another page than
/// the second one asked; saying no page number, its second page brings no new id (the items'
/// other fields changed, their ids did not). Either way: 2 requests, the 3 items once, the reason
/// logged.
#[tokio::test]
async fn stream_stops_when_the_server_ignores_page() {
    logs(Detail::Debug);
    for (info, reason) in [
        (
            json!({ "page": 1, "per_page": 3, "count": 3 }),
            "the server answered for another page",
        ),
        (
            json!({ "per_page": 3, "count": 3 }),
            "no item on this page is new",
        ),
    ] {
        let (server, served) = ignoring_server(info.clone()).await;
        let all = all_client_certificates(&client(&server), Default::default()).await;
        assert_eq!(all.len(), 3, "{info}");
        assert_eq!(served.load(Ordering::SeqCst), 2, "{info}");
        assert!(logged(reason), "{info}: {reason}");
    }
}

/// A server whose pages never end, each with new ids: the page cap set on the client stops it.
#[tokio::test]
async fn stream_stops_at_the_page_cap() {
    logs(Detail::Debug);
    let server = MockServer::start().await;
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let items = json!([{ "id": format!("a{n}") }, { "id": format!("b{n}") }]);
            ok_page(items, json!({ "per_page": 2, "total_pages": 1_000_000 }))
        })
        .mount(&server)
        .await;
    let client = token_client_builder(&server)
        .max_pages(7)
        .build()
        .expect("client builds");
    let all = all_client_certificates(&client, Default::default()).await;
    assert_eq!(all.len(), 14);
    assert_eq!(served.load(Ordering::SeqCst), 7);
    assert!(logged("the page cap (ClientBuilder::max_pages) is reached"));
}

/// Items without an `id` are told apart by their whole JSON: a repeated page of them ends the
/// stream; the ordinary stops are logged with their reasons.
#[tokio::test]
async fn stream_stops_are_logged_with_their_reason() {
    logs(Detail::Debug);
    let server = always_answering(
        json!([{ "status": "active" }, { "status": "revoked" }]),
        json!({ "per_page": 2 }),
    )
    .await;
    let all = all_client_certificates(&client(&server), Default::default()).await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );

    let server = always_answering(
        json!([{ "id": "only" }]),
        json!({ "page": 1, "per_page": 20 }),
    )
    .await;
    let all = all_client_certificates(&client(&server), Default::default()).await;
    assert_eq!(all.len(), 1);
    assert!(logged("a page shorter than `per_page`"));
}
