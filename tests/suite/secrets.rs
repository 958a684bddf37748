//! Secrets never shown: tracing at TRACE records each request (a span per attempt with method, path
//! template, attempt, status and cf-ray) and never a credential or private key; nor does `Debug` of
//! a client, a request body, a result or an error.

use crate::calls::*;
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Credentials, Error, RetryPolicy};
use cloudflare_mtls_test_support::*;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Tracing and secrets
// ---------------------------------------------------------------------------------------------

const TRACE_TOKEN: &str = "tok-TRACE-SECRET-7d1f0c";
const TRACE_KEY: &str = "key-TRACE-SECRET-2b9e44";
const TRACE_SERVICE_KEY: &str = "v1.0-TRACE-SECRET-91ac";
const TRACE_PRIVATE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvTRACE-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n";

/// Every secret value used in this file and in the shared helpers.
fn secrets() -> Vec<&'static str> {
    vec![
        TRACE_TOKEN,
        TRACE_KEY,
        TRACE_SERVICE_KEY,
        TRACE_PRIVATE_KEY,
        "TRACE-SECRET",
        TOKEN,
        API_KEY,
        SERVICE_KEY,
    ]
}

#[track_caller]
fn assert_no_secret(what: &str, shown: &str) {
    for secret in secrets() {
        assert!(
            !shown.contains(secret),
            "{what} shows the secret {secret:?}:\n{shown}"
        );
    }
}

/// The three kinds of credentials, with the secrets of this file.
fn trace_token() -> Credentials {
    Credentials::Token(TRACE_TOKEN.into())
}

fn trace_key_and_email() -> Credentials {
    Credentials::KeyAndEmail {
        key: TRACE_KEY.into(),
        email: EMAIL.into(),
    }
}

fn trace_service_key() -> Credentials {
    Credentials::UserServiceKey(TRACE_SERVICE_KEY.into())
}

/// Mounts `response` to what `mock` matches, for every request.
async fn answer(server: &MockServer, mock: MockBuilder, response: ResponseTemplate) {
    mock.respond_with(response).mount(server).await;
}

/// A zone-level origin-pull upload with [`TRACE_PRIVATE_KEY`], by `client`.
fn zone_upload(client: &Client) -> Call<'_, ZoneAuthenticatedOriginPull> {
    let body = OriginPullCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY);
    client
        .origin_tls_client_auth()
        .zone_certificates()
        .create(ZONE_ID, &body)
}

/// The error of `mtls_certificates.get` sent to `base_url` with [`TRACE_TOKEN`] and no retries;
/// `options` sets the call's own options.
async fn trace_get_error(
    base_url: &str,
    options: impl FnOnce(Call<'_, MtlsCertificate>) -> Call<'_, MtlsCertificate>,
    what: &str,
) -> Error {
    let client = client_with_policy(base_url, trace_token(), no_wait(0));
    options(client.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
        .await
        .expect_err(what)
}

fn client_with_policy(base_url: &str, credentials: Credentials, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .allow_http(true)
        .credentials(credentials)
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

/// Calls with a token, with key + email, with a user service key, and uploads carrying a
/// private key, succeeding, retried and failing (401, 500, 400, connection refused) while every
/// log record is captured at TRACE: the logs have a span per attempt with method, path template,
/// attempt, status and cf-ray, and no secret value appears anywhere in them.
#[tokio::test]
async fn tracing_records_each_request_and_never_a_secret() {
    let logs = logs(Detail::Trace);
    let server = server().await;
    let token = client_with_policy(&server.uri(), trace_token(), no_wait(2));
    let key = client_with_policy(&server.uri(), trace_key_and_email(), no_wait(2));
    let service = client_with_policy(&server.uri(), trace_service_key(), no_wait(2));

    // Token: a GET that meets a 503, then succeeds with a cf-ray.
    let get = format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}");
    mount_first_get_503(&server, &get, "ray-503-SJC").await;
    let bearer = format!("Bearer {TRACE_TOKEN}");
    answer(
        &server,
        Mock::given(method("GET"))
            .and(path(&get))
            .and(header("authorization", bearer.as_str())),
        ok_cert().insert_header("cf-ray", RAY),
    )
    .await;
    token
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect("get succeeds");

    // Token: a 401.
    let list = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    let get_list = Mock::given(method("GET")).and(path(&list));
    answer(
        &server,
        get_list,
        failing(401, 10000, "Authentication error"),
    )
    .await;
    let unauthorized = token
        .mtls_certificates()
        .list(ACCOUNT_ID, MtlsCertificateListParams::default())
        .await
        .expect_err("401");

    // Key + email: an upload with a private key meets a 500 (not retried).
    let post_list = Mock::given(method("POST")).and(path(&list));
    answer(&server, post_list, failing(500, 1000, "internal")).await;
    let leaf = upload().private_key(TRACE_PRIVATE_KEY);
    let internal = key
        .mtls_certificates()
        .create(ACCOUNT_ID, &leaf)
        .await
        .expect_err("500");

    // Key + email: a zone origin-pull upload with a private key succeeds; the response echoes it.
    let aop = format!("/zones/{ZONE_ID}/origin_tls_client_auth");
    let echoed = json!({ "id": CERT_ID, "private_key": TRACE_PRIVATE_KEY });
    let post_aop = Mock::given(method("POST"))
        .and(path(&aop))
        .and(header("x-auth-key", TRACE_KEY));
    answer(&server, post_aop, ok(echoed)).await;
    let uploaded = zone_upload(&key)
        .send_with_response()
        .await
        .expect("upload succeeds");

    // Service key: a hostname certificate upload refused with a 400.
    let hostname = format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates");
    let post_hostname = Mock::given(method("POST"))
        .and(path(&hostname))
        .and(header("x-auth-user-service-key", TRACE_SERVICE_KEY));
    answer(
        &server,
        post_hostname,
        failing(400, 1406, "invalid private key"),
    )
    .await;
    let hostname_upload = HostnameCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY);
    let hostname_certificates = service.origin_tls_client_auth().hostname_certificates();
    let bad_request = hostname_certificates
        .create(ZONE_ID, &hostname_upload)
        .await
        .expect_err("400");

    // Key + email: nothing listens; the upload is tried 3 times.
    let port = closed_port();
    let closed = format!("http://127.0.0.1:{port}");
    let refused_client = client_with_policy(&closed, trace_key_and_email(), no_wait(2));
    let refused = zone_upload(&refused_client).await.expect_err("refused");

    let text = logs.text();
    // Span fields: method, path template, attempt, status, cf-ray.
    let get_template = "/accounts/{account_id}/mtls_certificates/{mtls_certificate_id}";
    let retried: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("cloudflare_mtls.request{method=GET")
                && l.contains(&format!("path=\"{get_template}\""))
        })
        .collect();
    assert!(
        retried
            .iter()
            .any(|l| l.contains("attempt=1") && l.contains("status=503")),
        "{text}"
    );
    assert!(
        retried.iter().any(|l| l.contains("attempt=2")
            && l.contains("status=200")
            && l.contains(&format!("cf_ray=\"{RAY}\""))),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("method=GET")
            && l.contains(r#"path="/accounts/{account_id}/mtls_certificates""#)
            && l.contains("status=401")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("method=POST")
            && l.contains(r#"path="/accounts/{account_id}/mtls_certificates""#)
            && l.contains("status=500")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("method=POST")
            && l.contains("/zones/{zone_id}/origin_tls_client_auth/hostnames/certificates")
            && l.contains("status=400")),
        "{text}"
    );
    // The refused upload: one failed attempt per try, with the cause.
    let failed: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("request failed") && l.contains(&format!("127.0.0.1:{port}")))
        .collect();
    for attempt in 1..=3 {
        assert!(
            failed
                .iter()
                .any(|l| l.contains(&format!("attempt={attempt}"))),
            "attempt {attempt}: {failed:#?}"
        );
    }
    assert!(
        failed.iter().all(|l| l.to_lowercase().contains("refused")),
        "{failed:#?}"
    );
    // `reqwest`'s own records are captured too.
    assert!(text.contains("reqwest::connect"), "{text}");

    assert_no_secret("the logs", &text);
    for (what, err) in [
        ("401", &unauthorized),
        ("500", &internal),
        ("400", &bad_request),
        ("refused", &refused),
    ] {
        assert_no_secret(what, &format!("{err:?}"));
        assert_no_secret(what, &format!("{err:#?}"));
        assert_no_secret(what, &err.to_string());
    }
    assert_no_secret("a response with a private key", &format!("{uploaded:?}"));
    assert_no_secret("a response with a private key", &format!("{uploaded:#?}"));
}

/// `Debug` (plain and `#`) of builders, clients, credentials, calls, request bodies, responses and
/// every kind of error never shows a token, key or private key.
#[tokio::test]
async fn debug_output_never_shows_a_secret() {
    let credentials = [trace_token(), trace_key_and_email(), trace_service_key()];
    for c in &credentials {
        assert_no_secret("credentials", &format!("{c:?} {c:#?}"));
        let builder = Client::builder()
            .credentials(c.clone())
            .default_header("x-custom-secret", TRACE_KEY);
        assert_no_secret("a builder", &format!("{builder:?} {builder:#?}"));
        let client = builder.build().expect("client builds");
        assert_no_secret("a client", &format!("{client:?} {client:#?}"));
    }

    let bodies: Vec<String> = vec![
        format!("{:#?}", upload().private_key(TRACE_PRIVATE_KEY)),
        format!(
            "{:?}",
            OriginPullCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY)
        ),
        format!(
            "{:?}",
            HostnameCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY)
        ),
        format!(
            "{:?}",
            serde_json::from_value::<ZoneAuthenticatedOriginPull>(
                json!({ "private_key": TRACE_PRIVATE_KEY })
            )
            .unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<HostnameAuthenticatedOriginPull>(
                json!({ "private_key": TRACE_PRIVATE_KEY })
            )
            .unwrap()
        ),
    ];
    for shown in &bodies {
        assert_no_secret("a body", shown);
        assert!(shown.contains("private_key"), "{shown}");
    }

    let server = server().await;
    let any_post = Mock::given(method("POST"));
    answer(
        &server,
        any_post,
        failing(401, 10000, "Authentication error"),
    )
    .await;
    for c in credentials {
        let client = client_with_policy(&server.uri(), c, no_wait(0));
        let leaf = upload().private_key(TRACE_PRIVATE_KEY);
        let call = client
            .mtls_certificates()
            .create(ACCOUNT_ID, &leaf)
            .header("x-auth-key", TRACE_KEY)
            .timeout(Duration::from_secs(5));
        assert_no_secret("a call", &format!("{call:?} {call:#?}"));
        let err = call.await.expect_err("401");
        assert!(err.is_unauthorized());
        assert_no_secret("an API error", &format!("{err:?} {err:#?} {err}"));
    }

    // Transport, decode, invalid-request and configuration errors.
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let refused = trace_get_error(&closed, |call| call, "refused").await;
    assert_no_secret(
        "a connect error",
        &format!("{refused:?} {refused:#?} {refused}"),
    );

    let slow = MockServer::start().await;
    let late = ok_cert().set_delay(Duration::from_secs(5));
    answer(&slow, Op::Get.mock(), late).await;
    let short = Duration::from_millis(50);
    let timeout = trace_get_error(&slow.uri(), |call| call.timeout(short), "timeout").await;
    assert!(timeout.is_timeout());
    assert_no_secret("a timeout", &format!("{timeout:?} {timeout:#?} {timeout}"));

    let garbled = MockServer::start().await;
    let cut = ResponseTemplate::new(200)
        .set_body_raw(r#"{"success":true,"result":{"id":"#, "application/json");
    answer(&garbled, Op::Get.mock(), cut).await;
    let decode = trace_get_error(&garbled.uri(), |call| call, "decode").await;
    assert!(matches!(decode, Error::Decode { .. }));
    assert_no_secret("a decode error", &format!("{decode:?} {decode}"));

    let bad_header = format!("{TRACE_KEY}\n");
    let invalid = trace_get_error(
        &server.uri(),
        |call| call.header("x-auth-key", &bad_header),
        "invalid header",
    )
    .await;
    assert!(matches!(invalid, Error::InvalidRequest(_)));
    assert_no_secret("an invalid request", &format!("{invalid:?} {invalid}"));

    // Credentials that cannot be a header are refused when the client is built.
    let config = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .credentials(Credentials::Token(format!("{TRACE_TOKEN}\n")))
        .build()
        .expect_err("a token that cannot be a header");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_no_secret("a configuration error", &format!("{config:?} {config}"));

    let with_password = Client::builder()
        .base_url(format!(
            "https://user:{TRACE_KEY}@api.example.com/client/v4"
        ))
        .build()
        .expect_err("credentials in the URL");
    assert!(matches!(with_password, Error::Config(_)));
    assert_no_secret(
        "a base URL error",
        &format!("{with_password:?} {with_password}"),
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets in Debug
// ---------------------------------------------------------------------------------------------

fn assert_redacted(shown: &str, secret: &str) {
    assert!(!shown.contains(secret), "a secret is printed: {shown}");
    assert!(
        !shown.contains("TOP-SECRET"),
        "a secret is printed: {shown}"
    );
}

#[test]
fn debug_of_request_bodies_hides_private_keys() {
    let mtls = MtlsCertificateCreate::new(
        false,
        "-----BEGIN CERTIFICATE-----\nPUBLIC\n-----END CERTIFICATE-----",
    )
    .name("leaf")
    .private_key(SECRET_KEY);
    let shown = format!("{mtls:?}");
    assert_redacted(&shown, SECRET_KEY);
    assert!(
        shown.contains("leaf") && shown.contains("PUBLIC"),
        "{shown}"
    );
    assert!(shown.contains("private_key"), "{shown}");
    assert_redacted(&format!("{mtls:#?}"), SECRET_KEY);

    let zone = OriginPullCertificateCreate::new("PUBLIC", SECRET_KEY);
    assert_redacted(&format!("{zone:?}"), SECRET_KEY);
    let hostname = HostnameCertificateCreate::new("PUBLIC", SECRET_KEY);
    assert_redacted(&format!("{hostname:?}"), SECRET_KEY);
}

#[test]
fn debug_of_response_types_with_a_private_key_hides_it() {
    let zone: ZoneAuthenticatedOriginPull =
        serde_json::from_value(json!({ "private_key": SECRET_KEY })).unwrap();
    assert_eq!(zone.private_key.as_deref(), Some(SECRET_KEY));
    assert_redacted(&format!("{zone:?}"), SECRET_KEY);
    let hostname: HostnameAuthenticatedOriginPull =
        serde_json::from_value(json!({ "private_key": SECRET_KEY })).unwrap();
    assert_eq!(hostname.private_key.as_deref(), Some(SECRET_KEY));
    assert_redacted(&format!("{hostname:?}"), SECRET_KEY);
}

#[test]
fn debug_of_credentials_hides_secrets() {
    let token = Credentials::Token("tok-SECRET-123".into());
    assert_redacted(&format!("{token:?}"), "tok-SECRET-123");
    let key = Credentials::KeyAndEmail {
        key: "key-SECRET-456".into(),
        email: EMAIL.into(),
    };
    let shown = format!("{key:?}");
    assert_redacted(&shown, "key-SECRET-456");
    assert!(shown.contains(EMAIL), "{shown}");
    let service = Credentials::UserServiceKey("v1.0-SECRET-789".into());
    assert_redacted(&format!("{service:?}"), "v1.0-SECRET-789");
}

#[test]
fn debug_of_client_and_builder_hides_secrets() {
    for (credentials, secret) in [
        (
            Credentials::Token("tok-SECRET-123".into()),
            "tok-SECRET-123",
        ),
        (
            Credentials::KeyAndEmail {
                key: "key-SECRET-456".into(),
                email: EMAIL.into(),
            },
            "key-SECRET-456",
        ),
        (
            Credentials::UserServiceKey("v1.0-SECRET-789".into()),
            "v1.0-SECRET-789",
        ),
    ] {
        let builder = Client::builder().credentials(credentials);
        assert_redacted(&format!("{builder:?}"), secret);
        let client = builder.build().expect("client builds");
        let shown = format!("{client:?}");
        assert_redacted(&shown, secret);
        assert_redacted(&format!("{client:#?}"), secret);
        assert!(shown.contains("api.cloudflare.com"), "{shown}");
    }
}

#[test]
fn debug_of_a_call_hides_its_body() {
    let client = Client::builder()
        .api_token("tok-SECRET-123")
        .build()
        .expect("client builds");
    let body = MtlsCertificateCreate::new(false, "PUBLIC").private_key(SECRET_KEY);
    let call = client.mtls_certificates().create(ACCOUNT_ID, &body);
    let shown = format!("{call:?}");
    assert_redacted(&shown, SECRET_KEY);
    assert_redacted(&shown, "tok-SECRET-123");
    assert!(shown.contains("mtls_certificates"), "{shown}");
}

#[tokio::test]
async fn errors_do_not_print_credentials() {
    let err = error_of_get(
        ResponseTemplate::new(401).set_body_json(failure(10001, "Unable to authenticate request")),
    )
    .await;
    assert!(err.is_unauthorized());
    assert!(!format!("{err:?}").contains(TOKEN));
    assert!(!err.to_string().contains(TOKEN));
}

#[test]
fn plain_http_base_url_is_refused_unless_allowed() {
    let err = Client::builder()
        .base_url("http://127.0.0.1:1")
        .api_token(TOKEN)
        .build()
        .expect_err("refused");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}
