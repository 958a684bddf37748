//! The error paths: Cloudflare failure envelopes, `success: false` on a 2xx, non-JSON error pages,
//! connect errors that name their cause, the status-class helpers, decode errors that name the
//! failing field (truncated or wrongly typed JSON too), and forward-compatible decoding.

use crate::calls::*;
use cloudflare_mtls::testing::{Seed, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{ApiError, Error, Scope};
use cloudflare_mtls_test_support::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The Cloudflare error inside `err`; any other error fails the test.
fn api_error(err: &Error) -> &ApiError {
    err.api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"))
}

/// The status, path, message and ray id of a decode error; any other error fails the test.
fn decode_parts(err: &Error) -> (u16, &str, &str, Option<&str>) {
    let Error::Decode {
        status,
        path,
        message,
        ray_id,
    } = err
    else {
        panic!("expected Error::Decode, got {err:?}")
    };
    (status.as_u16(), path, message, ray_id.as_deref())
}

/// The `path` of a decode error; any other error fails the test.
fn decode_path(err: &Error) -> &str {
    decode_parts(err).1
}

// ---------------------------------------------------------------------------------------------
// Failure envelopes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_failure_envelope_is_an_api_error() {
    let err = error_of_get_on(
        Mock::given(method("GET"))
            .and(path(mtls_path()))
            .and(bearer()),
        ResponseTemplate::new(404)
            .insert_header("cf-ray", RAY)
            .set_body_json(json!({
                "success": false,
                "errors": [{
                    "code": 1003,
                    "message": "Certificate not found",
                    "documentation_url": "https://developers.cloudflare.com/api/",
                    "source": { "pointer": "/mtls_certificate_id" }
                }],
                "messages": [{ "code": 1000, "message": "see the docs" }],
                "result": null
            })),
    )
    .await;

    assert!(err.is_not_found());
    assert!(
        !err.is_forbidden()
            && !err.is_unauthorized()
            && !err.is_bad_request()
            && !err.is_server_error()
    );
    assert!(!err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.codes(), vec![1003]);
    assert_eq!(err.ray_id(), Some(RAY));
    let api = api_error(&err);
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.errors.len(), 1);
    assert_eq!(api.errors[0].code, 1003);
    assert_eq!(api.errors[0].message, "Certificate not found");
    assert_eq!(
        api.errors[0].documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/api/")
    );
    assert_eq!(
        api.errors[0]
            .source
            .as_ref()
            .and_then(|s| s.pointer.as_deref()),
        Some("/mtls_certificate_id")
    );
    assert_eq!(api.messages.len(), 1);
    assert_eq!(api.messages[0].message, "see the docs");
    assert_eq!(api.ray_id.as_deref(), Some(RAY));
    assert_eq!(api.body_snippet, None);

    let shown = err.to_string();
    assert!(shown.contains("404"), "{shown}");
    assert!(shown.contains("Certificate not found"), "{shown}");
    assert!(shown.contains("1003"), "{shown}");
    assert!(shown.contains(RAY), "{shown}");
}

#[tokio::test]
async fn forbidden_failure_envelope_is_an_api_error() {
    let server = serving(
        Mock::given(method("POST")).and(path(format!("/zones/{ZONE_ID}/access/certificates"))),
        ResponseTemplate::new(403)
            .insert_header("cf-ray", RAY)
            .set_body_json(failure(10000, "Authentication error")),
    )
    .await;
    let err = send_to(&server, |c| {
        c.access().certificates().create(
            Scope::Zone(ZONE_ID),
            &AccessCertificateCreate::new("c", "n"),
        )
    })
    .await
    .expect_err("403 is an error");
    assert!(err.is_forbidden());
    assert!(!err.is_not_found());
    assert_eq!(err.codes(), vec![10000]);
    assert_eq!(
        err.api().map(|a| a.errors[0].message.as_str()),
        Some("Authentication error")
    );
    assert_eq!(err.ray_id(), Some(RAY));
}

/// Each 4XX status maps to its helper, with the envelope's codes; none is retried by default
/// policy except 429 (a client with `max_retries(0)` returns it at once).
#[tokio::test]
async fn each_client_error_status_has_its_helper() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, i64, Check); 6] = [
        (400, 1001, Error::is_bad_request),
        (401, 10001, Error::is_unauthorized),
        (403, 9109, Error::is_forbidden),
        (409, 1409, Error::is_conflict),
        (422, 1422, Error::is_unprocessable),
        (429, 971, Error::is_rate_limited),
    ];
    for (status, code, check) in cases {
        let server = serving(
            Mock::given(method("GET")).and(path(format!(
                "/zones/{ZONE_ID}/origin_tls_client_auth/settings"
            ))),
            ResponseTemplate::new(status).set_body_json(failure(code, "nope")),
        )
        .await;
        let err = send_to(&server, |c| {
            c.origin_tls_client_auth().settings().get(ZONE_ID)
        })
        .await
        .expect_err("an error");
        assert!(check(&err), "HTTP {status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.codes(), vec![code]);
        assert_eq!(err.is_retryable(), status == 429, "HTTP {status}");
        assert!(!err.is_not_found());
    }
}

/// A 4XX is final: even a client that retries sends it once. The stand-in's "not found" for an id
/// it does not hold, and for one it held before a delete.
#[tokio::test]
async fn client_errors_are_not_retried() {
    let stand_in = StandIn::start().await;
    let client = stand_in.client_builder().max_retries(3).build().unwrap();
    let err = client
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect_err("an error");
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(stand_in.requests().len(), 1);

    let ca = TestCertificate::new("CN=Example Root CA").ca(true).build();
    let id = stand_in.seed(Seed::mtls_certificate(ACCOUNT_ID, &ca.certificate_pem).ca(true));
    client
        .mtls_certificates()
        .delete(ACCOUNT_ID, &id)
        .await
        .expect("deleted");
    stand_in.clear_requests();
    let err = client
        .mtls_certificates()
        .delete(ACCOUNT_ID, &id)
        .await
        .expect_err("already gone");
    assert!(err.is_not_found(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(stand_in.requests().len(), 1);
}

#[tokio::test]
async fn success_false_on_200_is_an_api_error() {
    let err = error_of_get(
        ResponseTemplate::new(200)
            .insert_header("cf-ray", RAY)
            .set_body_json(json!({
                "success": false,
                "errors": [{ "code": 1100, "message": "Internal validation failed" }],
                "messages": [{ "code": 1101, "message": "retry later" }],
                "result": null
            })),
    )
    .await;
    let api = api_error(&err);
    assert_eq!(api.status.as_u16(), 200);
    assert_eq!(api.errors[0].code, 1100);
    assert_eq!(api.errors[0].message, "Internal validation failed");
    assert_eq!(api.messages[0].code, 1101);
    assert_eq!(api.ray_id.as_deref(), Some(RAY));
    assert_eq!(err.codes(), vec![1100]);
    assert!(!err.is_not_found() && !err.is_server_error());
}

/// `success: false` wins even when the `result` that came with it does not match the type.
#[tokio::test]
async fn success_false_with_a_mismatched_result_is_still_an_api_error() {
    let server = serving(
        Mock::given(method("GET")).and(path(format!("/zones/{ZONE_ID}/client_certificates"))),
        ResponseTemplate::new(200).set_body_json(json!({
            "success": false,
            "errors": [{ "code": 1200, "message": "bad page" }],
            "messages": [],
            "result": "not a list"
        })),
    )
    .await;
    let err = send_to(&server, |c| {
        c.client_certificates().list(ZONE_ID, Default::default())
    })
    .await
    .expect_err("an error");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.codes(), vec![1200]);
}

#[tokio::test]
async fn html_502_from_the_edge_gives_status_and_snippet() {
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
    let err = error_of_get(
        ResponseTemplate::new(502)
            .insert_header("cf-ray", RAY)
            .set_body_raw(html, "text/html"),
    )
    .await;
    assert!(err.is_server_error());
    assert!(err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.ray_id(), Some(RAY));
    assert!(err.codes().is_empty());
    let api = api_error(&err);
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.errors.is_empty());
    let snippet = api.body_snippet.as_deref().expect("a snippet of the page");
    assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
    assert!(snippet.contains("cloudflare"), "{snippet}");
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn long_non_json_bodies_are_cut_to_a_short_snippet() {
    let page = format!(
        "<html><body>{}</body></html>",
        "Service Unavailable ".repeat(100)
    );
    let err = error_of_get(ResponseTemplate::new(503).set_body_raw(page, "text/html")).await;
    let snippet = err
        .api()
        .and_then(|a| a.body_snippet.clone())
        .expect("a snippet");
    assert!(
        snippet.starts_with("<html><body>Service Unavailable"),
        "{snippet}"
    );
    assert!(
        snippet.chars().count() <= 201,
        "{} characters",
        snippet.chars().count()
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

// ---------------------------------------------------------------------------------------------
// Decode errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wrong_type_in_a_nested_field_names_the_field() {
    let err = error_of_get(
        ResponseTemplate::new(200)
            .insert_header("cf-ray", RAY)
            .set_body_json(envelope(json!({
                "id": CERT_ID,
                "ca": "yes",
                "name": "example_ca_cert"
            }))),
    )
    .await;
    let (status, path, message, ray_id) = decode_parts(&err);
    assert_eq!(status, 200);
    assert_eq!(path, "result.ca");
    assert!(!message.is_empty());
    assert_eq!(ray_id, Some(RAY));
    assert_eq!(err.ray_id(), Some(RAY));
    assert!(err.to_string().contains("result.ca"), "{err}");
}

#[tokio::test]
async fn wrong_type_in_a_list_item_names_the_index_and_field() {
    let server = serving(
        Mock::given(method("GET")).and(path(format!("/zones/{ZONE_ID}/client_certificates"))),
        ResponseTemplate::new(200).set_body_json(envelope_with_info(
            json!([{ "id": "good", "status": "active" }, { "id": 42, "status": "active" }]),
            json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
        )),
    )
    .await;
    let err = send_to(&server, |c| {
        c.client_certificates().list(ZONE_ID, Default::default())
    })
    .await
    .expect_err("a decode error");
    let Error::Decode { path, status, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(path, "result[1].id");
    assert_eq!(status.as_u16(), 200);
}

#[tokio::test]
async fn wrong_type_in_a_deeper_object_names_the_whole_path() {
    let server = serving(Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates/{CERT_ID}"))), ResponseTemplate::new(200).set_body_json(envelope(json!({
            "id": CERT_ID,
            "certificate_authority": { "id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": ["not", "a", "string"] }
        })))).await;
    let err = send_to(&server, |c| c.client_certificates().get(ZONE_ID, CERT_ID))
        .await
        .expect_err("a decode error");
    assert_eq!(decode_path(&err), "result.certificate_authority.name");
}

#[tokio::test]
async fn missing_required_result_is_a_decode_error() {
    let err = error_of_get(
        ResponseTemplate::new(200)
            .set_body_json(json!({ "success": true, "errors": [], "messages": [] })),
    )
    .await;
    assert_eq!(decode_path(&err), "result");
}

#[tokio::test]
async fn non_json_200_is_a_decode_error() {
    let err = error_of_get(
        ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
    )
    .await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

/// What an edge or a proxy may leave after a complete envelope: NUL padding, an appended error
/// page, a second envelope (one that says `success: false`, so taking the first for the answer
/// would take an error for a success).
const AFTER_THE_ENVELOPE: [&[u8]; 3] = [
    b"\0\0\0",
    b" garbage",
    br#"{"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]}"#,
];

/// A 200 whose body is `body` followed by `after`, on `route`.
async fn answers_with_suffix(route: &str, body: serde_json::Value, after: &[u8]) -> MockServer {
    let server = server().await;
    mount_json_followed_by(&server, route, &body, after).await;
    server
}

/// Asserts `err` is the decode error of bytes after the envelope, the first at offset `at`.
fn assert_trailing(err: &Error, at: usize, what: &str) {
    let Error::Decode { path, message, .. } = err else {
        panic!("{what}: expected Error::Decode, got {err:?}")
    };
    assert_eq!(path, ".", "{what}");
    assert!(
        message.contains(&format!("after the JSON value, from byte offset {at} of ")),
        "{what}: {message}"
    );
}

/// Bytes after a complete envelope are an error, never a success: for an object, a list that is
/// not paged, a page, and a page stream.
#[tokio::test]
async fn bytes_after_the_envelope_are_a_decode_error() {
    let cert = json!({ "id": CERT_ID, "name": "ca", "ca": true });
    let list_route = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    let page_route = format!("/accounts/{ACCOUNT_ID}/access/certificates");
    let info = json!({ "page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1 });
    for after in AFTER_THE_ENVELOPE {
        let what = String::from_utf8_lossy(after).into_owned();
        let spaces = after.iter().take_while(|b| **b == b' ').count();

        let body = envelope(cert.clone());
        let len = body.to_string().len() + spaces;
        let server = answers_with_suffix(&mtls_path(), body, after).await;
        let err = send_to(&server, |c| c.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
            .await
            .expect_err("bytes after the object's envelope");
        assert_trailing(&err, len, &what);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));

        let body = envelope(json!([cert]));
        let len = body.to_string().len() + spaces;
        let server = answers_with_suffix(&list_route, body, after).await;
        let err = send_to(&server, |c| {
            c.mtls_certificates()
                .list(ACCOUNT_ID, MtlsCertificateListParams::default())
        })
        .await
        .expect_err("bytes after the list's envelope");
        assert_trailing(&err, len, &what);

        let body = envelope_with_info(json!([{ "id": CERT_ID, "name": "ca" }]), info.clone());
        let len = body.to_string().len() + spaces;
        let server = answers_with_suffix(&page_route, body, after).await;
        let client = client(&server);
        let err = client
            .access()
            .certificates()
            .list(Scope::Account(ACCOUNT_ID), Default::default())
            .await
            .expect_err("bytes after the page's envelope");
        assert_trailing(&err, len, &what);
        let mut stream = client
            .access()
            .certificates()
            .list_all(Scope::Account(ACCOUNT_ID), Default::default());
        let err = futures::TryStreamExt::try_next(&mut stream)
            .await
            .expect_err("bytes after the streamed page's envelope");
        assert_trailing(&err, len, &what);
    }
}

/// Whitespace after the envelope is still the envelope.
#[tokio::test]
async fn whitespace_after_the_envelope_is_fine() {
    let body = envelope(json!({ "id": CERT_ID, "name": "ca" }));
    let server = answers_with_suffix(&mtls_path(), body, b" \r\n\t\n").await;
    let cert = send_to(&server, |c| c.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
        .await
        .expect("decodes");
    assert_eq!(cert.name.as_deref(), Some("ca"));
}

/// The start of a gzip stream (magic, method, flags, mtime, xfl, os): what a compressed body
/// begins with.
const GZIP_START: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0xab, 0x56];

/// A body in a `Content-Encoding` the client did not ask for is an error that names the encoding
/// (not "expected value at line 1 column 1"); the client sent no `Accept-Encoding`. A 2xx is a
/// decode error; an error status keeps its status, with the encoding in place of the snippet.
#[tokio::test]
async fn a_compressed_body_nobody_asked_for_names_the_encoding() {
    for (status, encoding) in [
        (200, "gzip"),
        (200, "br"),
        (200, "gzip, identity"),
        (503, "gzip"),
    ] {
        let server = serving(
            Mock::given(method("GET")).and(path(mtls_path())),
            ResponseTemplate::new(status)
                .insert_header("content-encoding", encoding)
                .set_body_raw(GZIP_START, "application/json"),
        )
        .await;
        let err = send_to(&server, |c| c.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
            .await
            .expect_err("an encoded body");
        let named = format!(
            "`Content-Encoding: {}`",
            encoding.trim_end_matches(", identity")
        );
        match &err {
            Error::Decode { path, message, .. } if status == 200 => {
                assert_eq!(path, ".");
                assert!(message.contains(&named), "{message}");
                assert!(message.contains("no `Accept-Encoding`"), "{message}");
            }
            Error::Api(api) if status != 200 => {
                assert_eq!(api.status.as_u16(), status);
                let snippet = api.body_snippet.as_deref().unwrap_or_default();
                assert!(snippet.contains(&named), "{snippet}");
            }
            other => panic!("{status} {encoding}: {other:?}"),
        }
        assert!(err.to_string().contains(&named), "{err}");
        let requests = server.received_requests().await.expect("recorded");
        assert!(requests
            .iter()
            .all(|r| !r.headers.contains_key("accept-encoding")));
    }
}

/// `Content-Encoding: identity` is no encoding.
#[tokio::test]
async fn content_encoding_identity_is_read() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(mtls_path()))
        .respond_with(ok(json!({ "id": CERT_ID })).insert_header("content-encoding", "identity"))
        .mount(&server)
        .await;
    let cert = send_to(&server, |c| c.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
        .await
        .expect("decodes");
    assert_eq!(cert.id.as_deref(), Some(CERT_ID));
}

// ---------------------------------------------------------------------------------------------
// Forward compatibility
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_fields_and_unknown_enum_values_decode() {
    let server = serving(
        Mock::given(method("GET")).and(path(format!(
            "/zones/{ZONE_ID}/client_certificates/{CERT_ID}"
        ))),
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "errors": [],
            "messages": [],
            "result": {
                "id": CERT_ID,
                "status": "pending_quarantine",
                "expires_on": "2033-02-20T23:18:00Z",
                "brand_new_field": { "nested": [1, 2, 3] },
                "certificate_authority": { "id": "ca", "name": "CA", "tier": "gold" }
            },
            "envelope_extra": true
        })),
    )
    .await;
    let cert = send_to(&server, |c| c.client_certificates().get(ZONE_ID, CERT_ID))
        .await
        .expect("decodes");
    assert_eq!(cert.id.as_deref(), Some(CERT_ID));
    assert_eq!(
        cert.status,
        Some(ClientCertificateStatus::Unknown(
            "pending_quarantine".into()
        ))
    );
    assert_eq!(
        cert.status.as_ref().map(|s| s.as_str()),
        Some("pending_quarantine")
    );
    assert_eq!(cert.expires_on.as_deref(), Some("2033-02-20T23:18:00Z"));
    assert_eq!(
        cert.certificate_authority.and_then(|ca| ca.name).as_deref(),
        Some("CA")
    );
}

#[tokio::test]
async fn unknown_enum_values_in_lists_decode() {
    let server = serving(
        Mock::given(method("GET")).and(path(format!(
            "/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates"
        ))),
        ResponseTemplate::new(200).set_body_json(envelope(json!([
            { "id": "a", "status": "active" },
            { "id": "b", "status": "migrating" },
            { "id": "c", "status": "pending_validation" }
        ]))),
    )
    .await;
    let list = send_to(&server, |c| {
        c.origin_tls_client_auth()
            .hostname_certificates()
            .list(ZONE_ID)
    })
    .await
    .expect("decodes");
    let statuses: Vec<_> = list.into_iter().map(|c| c.status).collect();
    let unknown = |s: &str| Some(HostnameCertificateStatus::Unknown(s.into()));
    assert_eq!(
        statuses,
        [
            Some(HostnameCertificateStatus::Active),
            unknown("migrating"),
            unknown("pending_validation"),
        ]
    );
}

#[tokio::test]
async fn unknown_zone_origin_pull_status_decodes() {
    let server = serving(
        Mock::given(method("GET")).and(path(format!(
            "/zones/{ZONE_ID}/origin_tls_client_auth/{CERT_ID}"
        ))),
        ResponseTemplate::new(200).set_body_json(envelope(json!({
            "id": CERT_ID, "status": "quantum_resistant", "enabled": true, "future": null
        }))),
    )
    .await;
    let cert = send_to(&server, |c| {
        c.origin_tls_client_auth()
            .zone_certificates()
            .get(ZONE_ID, CERT_ID)
    })
    .await
    .expect("decodes");
    assert_eq!(
        cert.status,
        Some(ZoneAuthenticatedOriginPullStatus::Unknown(
            "quantum_resistant".into()
        ))
    );
    assert_eq!(cert.enabled, Some(true));
}

/// An unknown filter value is sent as given.
#[tokio::test]
async fn unknown_enum_value_is_sent_as_is() {
    let server = serving(
        Mock::given(method("GET"))
            .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
            .and(query_is("status=expired")),
        ResponseTemplate::new(200).set_body_json(envelope(json!([]))),
    )
    .await;
    let page = send_to(&server, |c| {
        c.client_certificates().list(
            ZONE_ID,
            ClientCertificateListParams::default()
                .status(ClientCertificateStatusFilter::from("expired")),
        )
    })
    .await
    .expect("list succeeds");
    assert!(page.items.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// `Error::Connect`'s message includes the causes `reqwest`'s own message hides ("Connection
/// refused"); no status, no cf-ray; retryable.
#[tokio::test]
async fn connect_error_message_names_the_cause() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    let client = client_retrying(&base, no_wait(0));
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    let shown = err.to_string();
    assert!(shown.starts_with("connection failed: "), "{shown}");
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(shown.contains(&base), "the URL is named: {shown}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(err.status(), None);
    assert_eq!(err.ray_id(), None);
    assert!(err.is_retryable());
}

/// Status-class helpers and `is_retryable` for each status, and the API error's parts.
#[tokio::test]
async fn status_class_helpers() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check, bool); 11] = [
        (400, Error::is_bad_request, false),
        (401, Error::is_unauthorized, false),
        (403, Error::is_forbidden, false),
        (404, Error::is_not_found, false),
        (408, |e| e.status().map(|s| s.as_u16()) == Some(408), true),
        (409, Error::is_conflict, false),
        (422, Error::is_unprocessable, false),
        (429, Error::is_rate_limited, true),
        (500, Error::is_server_error, true),
        (502, Error::is_server_error, true),
        (503, Error::is_server_error, true),
    ];
    let rig = Rig::with(no_wait(0)).await;
    for (status, check, retryable) in cases {
        let (result, _) = rig
            .always(
                Op::Get,
                ResponseTemplate::new(status)
                    .insert_header("cf-ray", RAY)
                    .set_body_json(json!({
                        "success": false,
                        "errors": [{ "code": 7003, "message": "No route for the URI",
                                     "documentation_url": "https://developers.cloudflare.com/",
                                     "source": { "pointer": "/id" } }],
                        "messages": [{ "code": 1, "message": "see docs" }],
                        "result": null
                    })),
                Opts::default(),
            )
            .await;
        let err = result.expect_err("an error");
        assert!(check(&err), "{status}: {err:?}");
        assert_eq!(err.is_retryable(), retryable, "{status}");
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_server_error(), status >= 500);
        assert!(!err.is_timeout());
        let api = err.api().expect("an API error");
        assert_eq!(api.errors[0].code, 7003);
        assert_eq!(
            api.errors[0]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/id")
        );
        assert_eq!(api.messages[0].message, "see docs");
        assert_eq!(err.ray_id(), Some(RAY));
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains("No route for the URI (7003)"),
            "{shown}"
        );
        assert!(shown.contains(RAY), "{shown}");
    }
}

/// A 200 whose JSON stops in the middle: `Error::Decode` naming the path where it stopped.
#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_path() {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", RAY)
                .set_body_raw(
                    r#"{"success":true,"errors":[],"messages":[],"result":{"id":"abc","issuer":"Cloudfl"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let err = Op::Get
        .send(&client(&server), Opts::default())
        .await
        .expect_err("truncated");
    let (status, path, message, ray_id) = decode_parts(&err);
    assert_eq!(status, 200);
    assert_eq!(path, "result.issuer", "{message}");
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(ray_id, Some(RAY));
    assert!(err.to_string().contains("`result.issuer`"), "{err}");
}

/// A wrongly-typed field deep in a list: the path names the index and the field.
#[tokio::test]
async fn wrongly_typed_field_is_a_decode_error_with_a_path() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .respond_with(ok(json!([
            { "id": "a", "status": "active" },
            { "id": "b", "certificate_authority": { "id": 42 } }
        ])))
        .mount(&server)
        .await;
    let err = send_to(&server, |c| {
        c.client_certificates().list(ZONE_ID, Default::default())
    })
    .await
    .expect_err("wrong type");
    assert_eq!(decode_path(&err), "result[1].certificate_authority.id");
}
