//! Per-call options (headers, query parameters, timeouts, retries) and raw access to a response
//! (status, headers, the envelope), after a retry too.

use crate::calls::*;
use crate::operations::*;
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Error, ResponseValue, Scope};
use cloudflare_mtls_test_support::*;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Per-call options and raw access
// ---------------------------------------------------------------------------------------------

/// The `cf-ray` header of `response`.
fn cf_ray<T>(response: &ResponseValue<T>) -> Option<&str> {
    response
        .headers()
        .get("cf-ray")
        .and_then(|v| v.to_str().ok())
}

/// `.header()` and `.query()` on a call reach the server, next to the generated query
/// parameters; values are encoded.
#[tokio::test]
async fn per_call_headers_and_query_parameters_reach_the_server() {
    let server = serving(
        Mock::given(method("GET"))
            .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
            .and(query_param("status", "active"))
            .and(query_param("new_filter", "a&b c"))
            .and(query_param("per_page", "5"))
            .and(header("x-extra", "1"))
            .and(header("cf-access-hint", "lagging spec"))
            .and(bearer()),
        ok(json!([])),
    )
    .await;
    let params = ClientCertificateListParams::default()
        .status(ClientCertificateStatusFilter::Active)
        .per_page(5);
    let page = client(&server)
        .client_certificates()
        .list(ZONE_ID, params)
        .query("new_filter", "a&b c")
        .header("x-extra", "1")
        .header("cf-access-hint", "lagging spec")
        .await
        .expect("list succeeds");
    assert!(page.items.is_empty());

    Op::Post
        .mock()
        .and(header("x-extra", "upload"))
        .and(query_param("dry_run", "true"))
        .respond_with(ok_cert())
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .mtls_certificates()
        .create(ACCOUNT_ID, &upload())
        .header("x-extra", "upload")
        .query("dry_run", true)
        .await
        .expect("create succeeds");
}

/// An invalid per-call header is refused before anything is sent.
#[tokio::test]
async fn invalid_per_call_header_is_refused_before_sending() {
    let server = server().await;
    let err = client(&server)
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .header("x-bad", "line\nbreak")
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(received(&server).await, 0);
}

/// Raw access after a retry: `send_with_response` gives the final response's status, headers
/// (cf-ray) and whole envelope (`messages`, `result_info`) with the typed result, and composes
/// with per-call options.
#[tokio::test]
async fn raw_response_after_a_retry() {
    let server = server().await;
    let p = format!("/accounts/{ACCOUNT_ID}/access/certificates");
    mount_first_get_503(&server, &p, "first-ray").await;
    Mock::given(method("GET"))
        .and(path(&p))
        .and(header("x-extra", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", RAY)
                .set_body_json(json!({
                    "success": true,
                    "errors": [],
                    "messages": [{ "code": 10000, "message": "deprecated field" }],
                    "result": [{ "id": "c1", "name": "a", "future_field": 1 }],
                    "result_info": { "page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1 }
                })),
        )
        .mount(&server)
        .await;
    let response = retrying(&server)
        .access()
        .certificates()
        .list(Scope::Account(ACCOUNT_ID), Default::default())
        .timeout(Duration::from_secs(5))
        .max_retries(1)
        .header("x-extra", "1")
        .send_with_response()
        .await
        .expect("the retry succeeds");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(cf_ray(&response), Some(RAY));
    let envelope = response.into_inner();
    assert_eq!(envelope.messages[0].message, "deprecated field");
    assert_eq!(envelope.result_info.and_then(|i| i.total_count), Some(1));
    assert_eq!(envelope.result.items[0].id.as_deref(), Some("c1"));
    assert_eq!(received(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// Raw access, headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_with_response_gives_status_headers_and_whole_envelope() {
    let server = server().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{ "code": 10042, "message": "page 2 of 3" }],
        "result": [access_certificate_json(ACCESS_CERT_ID, "Allow devs")],
        "result_info": { "page": 2, "per_page": 1, "count": 1, "total_count": 3, "total_pages": 3 }
    });
    expect_request(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/access/certificates"),
        Auth::Token,
    )
    .respond_with(
        wiremock::ResponseTemplate::new(200)
            .insert_header("cf-ray", "8c1f0e2b3a4d5e6f-SJC")
            .set_body_json(body),
    )
    .expect(1)
    .mount(&server)
    .await;
    let client = client(&server);
    let call = client.access().certificates().list(
        account(),
        AccessCertificateListParams::new().page(2).per_page(1),
    );
    assert_eq!(
        call.path_template(),
        "/{accounts_or_zones}/{account_or_zone_id}/access/certificates"
    );
    let response = call.send_with_response().await.expect("list succeeds");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(cf_ray(&response), Some("8c1f0e2b3a4d5e6f-SJC"));
    let envelope = response.into_inner();
    assert_eq!(envelope.messages.len(), 1);
    assert_eq!(envelope.messages[0].code, 10042);
    assert_eq!(
        envelope.result_info.as_ref().and_then(|i| i.total_pages),
        Some(3)
    );
    assert_eq!(envelope.result.items.len(), 1);
    assert_eq!(envelope.result.result_info, envelope.result_info);
}

#[tokio::test]
async fn requests_carry_a_user_agent_and_per_call_headers() {
    let server = serving(
        expect_plain(
            "GET",
            &format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings"),
            Auth::Token,
        )
        .and(wiremock::matchers::header_regex(
            "user-agent",
            r"^cloudflare-mtls/\d+\.\d+\.\d+ ",
        ))
        .and(header("x-request-tag", "e2e")),
        ok(json!({ "enabled": true })),
    )
    .await;
    let setting = client(&server)
        .origin_tls_client_auth()
        .settings()
        .get(ZONE_ID)
        .header("x-request-tag", "e2e")
        .await
        .expect("get succeeds");
    assert_eq!(setting.enabled, Some(true));
}
