//! The policy for received data (README, "Received data"): what Cloudflare sends is decoded as
//! leniently as it is sent. A `null` or absent `result` of a list is an empty list; a required
//! field the response leaves out is its default, and a date that is not RFC 3339 is left out,
//! each with a `tracing` warning naming the field and its JSON path; neither costs the response.

use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Error, FromBody, Scope};
use cloudflare_mtls_test_support::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering `GET`/`PUT` on `route` with an envelope whose `result` is `result`
/// (`None`: no `result` at all).
async fn answering(verb: &str, route: &str, result: Option<Value>) -> MockServer {
    let server = server().await;
    let mut body = json!({ "success": true, "errors": [], "messages": [] });
    if let Some(r) = result {
        body["result"] = r;
    }
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// How many items the list `call` answered with: a null or absent list is empty, not an error.
async fn count<T>(call: Call<'_, Vec<T>>) -> usize
where
    Vec<T>: FromBody,
{
    call.send()
        .await
        .map(|v| v.len())
        .expect("a null or absent list is empty, not an error")
}

/// The seven lists that are not paged, each called against `server`: how many items came back.
async fn list(which: usize, client: &Client) -> usize {
    let account = Scope::Account(ACCOUNT_ID);
    let mtls = client.mtls_certificates();
    let settings = client.access().certificates().settings();
    let aop = client.origin_tls_client_auth();
    let settings_update = AccessCertificateSettingsUpdate::new(Vec::new());
    let hostnames_update = HostnameOriginPullUpdate::new(Vec::new());
    match which {
        0 => count(mtls.list(ACCOUNT_ID, MtlsCertificateListParams::default())).await,
        1 => count(mtls.associations().list(ACCOUNT_ID, "c1")).await,
        2 => count(settings.get(account)).await,
        3 => count(settings.update(account, &settings_update)).await,
        4 => count(aop.zone_certificates().list(ZONE_ID)).await,
        5 => count(aop.hostnames().update(ZONE_ID, &hostnames_update)).await,
        _ => count(aop.hostname_certificates().list(ZONE_ID)).await,
    }
}

/// The seven list results: the method and the route of each, in the order of [`list`].
fn lists() -> [(&'static str, String); 7] {
    let account = format!("/accounts/{ACCOUNT_ID}");
    let aop = format!("/zones/{ZONE_ID}/origin_tls_client_auth");
    [
        ("GET", format!("{account}/mtls_certificates")),
        (
            "GET",
            format!("{account}/mtls_certificates/c1/associations"),
        ),
        ("GET", format!("{account}/access/certificates/settings")),
        ("PUT", format!("{account}/access/certificates/settings")),
        ("GET", aop.clone()),
        ("PUT", format!("{aop}/hostnames")),
        ("GET", format!("{aop}/hostnames/certificates")),
    ]
}

#[tokio::test]
async fn a_null_or_absent_list_result_is_empty() {
    for (which, (verb, route)) in lists().iter().enumerate() {
        for result in [Some(Value::Null), None] {
            let server = answering(verb, route, result.clone()).await;
            assert_eq!(list(which, &client(&server)).await, 0, "{route} {result:?}");
        }
    }
}

#[tokio::test]
async fn a_missing_required_field_costs_the_field_with_a_warning() {
    let log = logs(Detail::Warnings);
    let route = format!("/accounts/{ACCOUNT_ID}/access/certificates/settings");
    let server = answering(
        "GET",
        &route,
        Some(json!([
            { "hostname": "a.example.com", "client_certificate_forwarding": true },
            { "hostname": "b.example.com", "china_network": true, "client_certificate_forwarding": false }
        ])),
    )
    .await;
    let settings = client(&server)
        .access()
        .certificates()
        .settings()
        .get(Scope::Account(ACCOUNT_ID))
        .await
        .expect("one entry without `china_network` does not fail the response");
    assert_eq!(settings.len(), 2);
    assert!(!settings[0].china_network);
    assert!(settings[0].client_certificate_forwarding);
    assert!(settings[1].china_network);
    let log = log.text();
    assert!(
        log.contains("AccessCertificateSettings.china_network")
            && log.contains("result[0].china_network")
            && log.contains("missing"),
        "{log}"
    );
    assert!(!log.contains("result[1].china_network"), "{log}");
}

#[tokio::test]
async fn an_unreadable_date_costs_the_field_with_a_warning() {
    let capture = logs(Detail::Warnings);
    let cases = [
        ("\"\"", "value=\"\""),
        ("\"yesterday\"", "value=\"yesterday\""),
        ("1700000000", "value=1700000000"),
    ];
    for (date, shown) in cases {
        let route = format!("/accounts/{ACCOUNT_ID}/mtls_certificates/c1");
        let cert: Value = serde_json::from_str(&format!(
            r#"{{ "id": "c1", "name": "ca", "uploaded_on": {date}, "expires_on": "2030-01-01T00:00:00Z" }}"#
        ))
        .expect("json");
        let server = answering("GET", &route, Some(cert)).await;
        let cert = client(&server)
            .mtls_certificates()
            .get(ACCOUNT_ID, "c1")
            .await
            .expect("an unreadable date does not fail the response");
        assert_eq!(cert.uploaded_on, None, "{date}");
        assert_eq!(cert.expires_on, Some(utc(2030, 1, 1, 0, 0, 0, 0)));
        assert_eq!(cert.name.as_deref(), Some("ca"));
        let log = capture.text();
        assert!(
            log.contains("MtlsCertificate.uploaded_on")
                && log.contains("result.uploaded_on")
                && log.contains(shown),
            "{date}: {log}"
        );
    }
}

#[tokio::test]
async fn each_degraded_item_is_named_by_its_index_and_a_long_tail_is_counted() {
    let capture = logs(Detail::Warnings);
    let route = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    let items: Vec<Value> = (0..25)
        .map(|i| {
            let date = if i == 0 {
                "2030-01-01T00:00:00Z"
            } else {
                "soon-listed"
            };
            json!({ "id": format!("c{i}"), "uploaded_on": date })
        })
        .collect();
    let server = answering("GET", &route, Some(Value::Array(items))).await;
    let certs = client(&server)
        .mtls_certificates()
        .list(ACCOUNT_ID, MtlsCertificateListParams::default())
        .await
        .expect("unreadable dates do not fail the list");
    assert_eq!(certs.len(), 25);
    assert_eq!(certs[0].uploaded_on, Some(utc(2030, 1, 1, 0, 0, 0, 0)));
    assert!(certs[1..].iter().all(|c| c.uploaded_on.is_none()));
    let log = capture.text();
    let named: Vec<&str> = log.lines().filter(|l| l.contains("soon-listed")).collect();
    assert_eq!(
        named.len(),
        10,
        "the first ten are logged with their paths: {log}"
    );
    for (i, line) in named.iter().enumerate() {
        assert!(
            line.contains(&format!("result[{}].uploaded_on", i + 1)),
            "{line}"
        );
    }
    assert!(log.contains("more=14"), "the other 14 are counted: {log}");
}

/// One decode policy on every path: each degraded field is logged exactly once whether the call
/// is awaited, sent with its response, or read as a page stream; and a body that is not one JSON
/// value (bytes after the envelope) is an error, with nothing logged as degraded.
#[tokio::test]
async fn each_degraded_field_is_logged_once_on_every_path() {
    let capture = logs(Detail::Warnings);
    let lines = |marker: &str| {
        capture
            .text()
            .lines()
            .filter(|l| l.contains(marker))
            .count()
    };
    let cert_route = format!("/accounts/{ACCOUNT_ID}/mtls_certificates/c1");
    let page_route = format!("/accounts/{ACCOUNT_ID}/access/certificates");
    for trailing in [&b""[..], b" garbage"] {
        let suffix = String::from_utf8_lossy(trailing).trim().to_string();
        let marker = |path: &str| format!("once-{path}-{}", suffix.len());
        let server = server().await;
        let cert = json!({ "id": "c1", "uploaded_on": marker("get"), "expires_on": 12345 });
        let page = json!([{ "id": "a1", "name": "ca", "expires_on": marker("page") }]);
        let info =
            json!({ "page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1 });
        for (route, body) in [
            (cert_route.as_str(), envelope(cert)),
            (page_route.as_str(), envelope_with_info(page, info)),
        ] {
            mount_json_followed_by(&server, route, &body, trailing).await;
        }
        let client = client(&server);
        let certs = client.mtls_certificates();
        let sent = certs.get(ACCOUNT_ID, "c1").await.map(|c| c.uploaded_on);
        let with_response = certs
            .get(ACCOUNT_ID, "c1")
            .send_with_response()
            .await
            .map(|r| r.into_inner().result.uploaded_on);
        let access = client.access();
        let mut stream = access
            .certificates()
            .list_all(Scope::Account(ACCOUNT_ID), Default::default());
        let streamed = futures::TryStreamExt::try_next(&mut stream).await;
        if trailing.is_empty() {
            assert_eq!(sent.expect("decodes"), None);
            assert_eq!(with_response.expect("decodes"), None);
            assert!(streamed.expect("decodes").is_some());
            // Two calls, each with its warning for `uploaded_on` (and one for `expires_on`).
            assert_eq!(lines(&marker("get")), 2, "{}", capture.text());
            assert_eq!(lines(&marker("page")), 1, "{}", capture.text());
        } else {
            for err in [
                sent.expect_err("trailing"),
                with_response.expect_err("trailing"),
            ] {
                assert!(matches!(err, Error::Decode { .. }), "{err:?}");
            }
            assert!(
                matches!(streamed, Err(Error::Decode { .. })),
                "{streamed:?}"
            );
            assert_eq!(lines(&marker("get")), 0, "{}", capture.text());
            assert_eq!(lines(&marker("page")), 0, "{}", capture.text());
        }
    }
}
