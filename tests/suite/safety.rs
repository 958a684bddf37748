//! The client's safety guarantees (README, "Safety"), each against a server that misbehaves:
//! redirects are never followed, an empty or blank id is refused before anything is sent, plain
//! http only when allowed, and path parameters cannot change the request path. The page stream's
//! end is in `paging`, the deadline in `timeouts`, the bound on response sizes in
//! `tests/memory.rs` (alone in its process). The empty-id checks need no misbehaviour: they run
//! against the library's stand-in (`cloudflare_mtls::testing`), which records every request it
//! receives.

use crate::calls::*;
use cloudflare_mtls::testing::StandIn;
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Client, Credentials, Error, RetryPolicy, Scope};
use cloudflare_mtls_test_support::*;
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const PRIVATE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIGH-secret-key\n-----END PRIVATE KEY-----\n";

fn credentials() -> [(&'static str, Credentials); 3] {
    [
        ("token", Credentials::Token(TOKEN.into())),
        (
            "key+email",
            Credentials::KeyAndEmail {
                key: API_KEY.into(),
                email: EMAIL.into(),
            },
        ),
        (
            "service key",
            Credentials::UserServiceKey(SERVICE_KEY.into()),
        ),
    ]
}

fn upload() -> MtlsCertificateCreate {
    MtlsCertificateCreate::new(false, PEM)
        .name("leaf")
        .private_key(PRIVATE_KEY)
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

/// How the client under test gets its HTTP client.
#[derive(Debug, Clone, Copy)]
enum Http {
    /// Built by the client.
    Own,
    /// From a `reqwest::ClientBuilder` with reqwest's defaults (which follow redirects).
    Builder,
}

fn redirect_client(base: &str, credentials: Credentials, http: Http) -> Client {
    let mut b = Client::builder()
        .base_url(base)
        .allow_http(true)
        .credentials(credentials)
        // Retries on: a redirect must not be retried either.
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            ..RetryPolicy::default()
        });
    if let Http::Builder = http {
        b = b.http_client_builder(reqwest::Client::builder());
    }
    b.build().expect("client builds")
}

/// 301/302/303/307/308, to another origin and to the same one, with each kind of credentials, on a
/// GET and on an upload (POST with a private key), with the client's own HTTP client and with one
/// built from a user's builder: `Error::Redirect` with the status and `Location`, one request to
/// the API, none anywhere else.
#[tokio::test]
async fn redirects_are_never_followed() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let mut cases = 0;
    for status in [301u16, 302, 303, 307, 308] {
        for cross_origin in [true, false] {
            for (label, creds) in credentials() {
                for http in [Http::Own, Http::Builder] {
                    for post in [false, true] {
                        api.reset().await;
                        elsewhere.reset().await;
                        let target = if cross_origin {
                            format!("{}/stolen", elsewhere.uri())
                        } else {
                            format!("{}/elsewhere", api.uri())
                        };
                        let route = if post {
                            format!("/accounts/{ACCOUNT_ID}/mtls_certificates")
                        } else {
                            format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}")
                        };
                        Mock::given(path(&route))
                            .respond_with(
                                ResponseTemplate::new(status)
                                    .insert_header("location", target.as_str()),
                            )
                            .mount(&api)
                            .await;
                        // Were a redirect followed, these would answer it.
                        let followed = ok(json!({ "id": CERT_ID }));
                        Mock::given(path("/elsewhere"))
                            .respond_with(followed.clone())
                            .mount(&api)
                            .await;
                        Mock::given(path("/stolen"))
                            .respond_with(followed)
                            .mount(&elsewhere)
                            .await;
                        let client = redirect_client(&api.uri(), creds.clone(), http);
                        let certs = client.mtls_certificates();
                        let result = if post {
                            certs.create(ACCOUNT_ID, &upload()).await.map(drop)
                        } else {
                            certs.get(ACCOUNT_ID, CERT_ID).await.map(drop)
                        };
                        let case = format!(
                            "{status} cross-origin={cross_origin} {label} {http:?} post={post}"
                        );
                        match result {
                            Err(Error::Redirect {
                                status: got,
                                location,
                                ..
                            }) => {
                                assert_eq!(got.as_u16(), status, "{case}");
                                assert_eq!(location.as_deref(), Some(target.as_str()), "{case}");
                            }
                            other => panic!("{case}: expected Error::Redirect, got {other:?}"),
                        }
                        let to_api = api.received_requests().await.unwrap_or_default();
                        let to_elsewhere = elsewhere.received_requests().await.unwrap_or_default();
                        assert_eq!(to_elsewhere.len(), 0, "{case}: reached the other origin");
                        assert_eq!(to_api.len(), 1, "{case}: requests to the API origin");
                        assert_eq!(to_api[0].url.path(), route, "{case}");
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 120);
}

/// A redirect's error says what happened and is not retryable; the helpers see it.
#[tokio::test]
async fn a_redirect_error_says_where_and_why() {
    let redirect = ResponseTemplate::new(302)
        .insert_header("location", "https://example.net/login")
        .insert_header("cf-ray", "8e4f1a2b3c4d5e6f-SJC");
    let err = error_of_get_on(Mock::given(method("GET")), redirect).await;
    assert!(err.is_redirect());
    assert!(!err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(err.ray_id(), Some("8e4f1a2b3c4d5e6f-SJC"));
    let text = err.to_string();
    assert!(text.contains("302"), "{text}");
    assert!(text.contains("https://example.net/login"), "{text}");
    assert!(text.contains("not followed"), "{text}");
}

/// A `reqwest::Client` given as it is (deprecated) may follow a redirect: its answer is refused
/// all the same, as a redirect, never decoded as the result.
#[tokio::test]
#[allow(deprecated)]
async fn an_answer_reached_through_a_followed_redirect_is_refused() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let target = format!("{}/stolen", elsewhere.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({ "id": CERT_ID })))
        .mount(&elsewhere)
        .await;
    let client = token_client_builder(&api)
        .http_client(plain_reqwest())
        .build()
        .expect("client builds");
    let err = client
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect_err("refused");
    match err {
        Error::Redirect { location, .. } => assert_eq!(location.as_deref(), Some(&*target)),
        other => panic!("expected Error::Redirect, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Empty and blank ids
// ---------------------------------------------------------------------------------------------

/// The path parameters of every operation of `spec/cloudflare-mtls.json`, in path order.
fn spec_operations() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/cloudflare-mtls.json"
    ))
    .expect("spec/cloudflare-mtls.json is readable");
    let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let mut out = BTreeMap::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        let params: Vec<String> = template
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_string)
            .collect();
        for op in item.as_object().expect("path item").values() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.insert(id.to_string(), params.clone());
            }
        }
    }
    out
}

/// Calls operation `op` with path parameters `a` (in the spec's path order); the result is
/// dropped. Every operation of the spec has an arm; `None` for an operationId it does not know.
async fn call(op: &str, c: &Client, a: &[&str]) -> Option<Result<(), Error>> {
    let certs = c.access().certificates();
    let (acc, zone) = (Scope::Account(a[0]), Scope::Zone(a[0]));
    let access_create = || AccessCertificateCreate::new(PEM, "n");
    let access_update = || AccessCertificateUpdate::new(vec!["admin.example.com".into()]);
    let settings = || AccessCertificateSettingsUpdate::new(vec![]);
    let mtls = c.mtls_certificates();
    let cc = c.client_certificates();
    let aop = c.origin_tls_client_auth();
    let h = aop.hostnames();
    let hc = aop.hostname_certificates();
    let ha = c.certificate_authorities().hostname_associations();
    let pair = || OriginPullCertificateCreate::new(PEM, PRIVATE_KEY);
    let hpair = || HostnameCertificateCreate::new(PEM, PRIVATE_KEY);
    macro_rules! send {
        ($call:expr) => {
            $call.send().await.map(drop)
        };
    }
    Some(match op {
        "access-mtls-authentication-list-mtls-certificates" => {
            send!(certs.list(acc, Default::default()))
        }
        "zone-level-access-mtls-authentication-list-mtls-certificates" => {
            send!(certs.list(zone, Default::default()))
        }
        "access-mtls-authentication-add-an-mtls-certificate" => {
            send!(certs.create(acc, &access_create()))
        }
        "zone-level-access-mtls-authentication-add-an-mtls-certificate" => {
            send!(certs.create(zone, &access_create()))
        }
        "access-mtls-authentication-get-an-mtls-certificate" => send!(certs.get(acc, a[1])),
        "zone-level-access-mtls-authentication-get-an-mtls-certificate" => {
            send!(certs.get(zone, a[1]))
        }
        "access-mtls-authentication-update-an-mtls-certificate" => {
            send!(certs.update(acc, a[1], &access_update()))
        }
        "zone-level-access-mtls-authentication-update-an-mtls-certificate" => {
            send!(certs.update(zone, a[1], &access_update()))
        }
        "access-mtls-authentication-delete-an-mtls-certificate" => send!(certs.delete(acc, a[1])),
        "zone-level-access-mtls-authentication-delete-an-mtls-certificate" => {
            send!(certs.delete(zone, a[1]))
        }
        "access-mtls-authentication-list-mtls-certificates-hostname-settings" => {
            send!(certs.settings().get(acc))
        }
        "zone-level-access-mtls-authentication-list-mtls-certificates-hostname-settings" => {
            send!(certs.settings().get(zone))
        }
        "access-mtls-authentication-update-an-mtls-certificate-settings" => {
            send!(certs.settings().update(acc, &settings()))
        }
        "zone-level-access-mtls-authentication-update-an-mtls-certificate-settings" => {
            send!(certs.settings().update(zone, &settings()))
        }
        "m-tls-certificate-management-list-m-tls-certificates" => send!(mtls.list(a[0], Default::default())),
        "m-tls-certificate-management-upload-m-tls-certificate" => {
            send!(mtls.create(a[0], &upload()))
        }
        "m-tls-certificate-management-get-m-tls-certificate" => send!(mtls.get(a[0], a[1])),
        "m-tls-certificate-management-delete-m-tls-certificate" => {
            send!(mtls.delete(a[0], a[1]))
        }
        "m-tls-certificate-management-list-m-tls-certificate-associations" => {
            send!(mtls.associations().list(a[0], a[1]))
        }
        "client-certificate-for-a-zone-list-client-certificates" => {
            send!(cc.list(a[0], Default::default()))
        }
        "client-certificate-for-a-zone-create-client-certificate" => send!(cc.create(
            a[0],
            &ClientCertificateCreate::new("csr", 1)
        )),
        "client-certificate-for-a-zone-client-certificate-details" => send!(cc.get(a[0], a[1])),
        "client-certificate-for-a-zone-edit-client-certificate" => send!(cc.edit(
            a[0],
            a[1],
            &ClientCertificateEdit::new().reactivate(true)
        )),
        "client-certificate-for-a-zone-delete-client-certificate" => send!(cc.delete(a[0], a[1])),
        "zone-level-authenticated-origin-pulls-list-certificates" => send!(aop.zone_certificates().list(a[0])),
        "zone-level-authenticated-origin-pulls-upload-certificate" => {
            send!(aop.zone_certificates().create(a[0], &pair()))
        }
        "zone-level-authenticated-origin-pulls-get-certificate-details" => {
            send!(aop.zone_certificates().get(a[0], a[1]))
        }
        "zone-level-authenticated-origin-pulls-delete-certificate" => {
            send!(aop.zone_certificates().delete(a[0], a[1]))
        }
        "zone-level-authenticated-origin-pulls-get-enablement-setting-for-zone" => {
            send!(aop.settings().get(a[0]))
        }
        "zone-level-authenticated-origin-pulls-set-enablement-for-zone" => {
            send!(aop
                .settings()
                .update(a[0], &ZoneSettingUpdate::new(true)))
        }
        "per-hostname-authenticated-origin-pull-enable-or-disable-a-hostname-for-client-authentication" => {
            send!(h.update(a[0], &HostnameOriginPullUpdate::new(vec![])))
        }
        "per-hostname-authenticated-origin-pull-get-the-hostname-status-for-client-authentication" => {
            send!(h.get(a[0], a[1]))
        }
        "per-hostname-authenticated-origin-pull-list-certificates" => send!(hc.list(a[0])),
        "per-hostname-authenticated-origin-pull-upload-a-hostname-client-certificate" => {
            send!(hc.create(a[0], &hpair()))
        }
        "per-hostname-authenticated-origin-pull-get-the-hostname-client-certificate" => {
            send!(hc.get(a[0], a[1]))
        }
        "per-hostname-authenticated-origin-pull-delete-hostname-client-certificate" => {
            send!(hc.delete(a[0], a[1]))
        }
        "client-certificate-for-a-zone-list-hostname-associations" => {
            send!(ha.get(a[0], Default::default()))
        }
        "client-certificate-for-a-zone-put-hostname-associations" => {
            send!(ha.update(a[0], &HostnameAssociationUpdate::new()))
        }
        _ => return None,
    })
}

/// Every operation of the spec, each of its path parameters in turn empty, blank (ASCII and
/// Unicode whitespace), `.` or `..`, the others valid: `Error::InvalidRequest` naming the parameter
/// (the scope's id for the Access operations), and not one request reaches the server. The same
/// calls with every parameter valid do reach it, so the table calls what it says it calls.
#[tokio::test]
async fn an_empty_or_blank_id_is_refused_before_sending() {
    let stand_in = StandIn::start().await;
    let c = stand_in
        .client_builder()
        .max_retries(0)
        .build()
        .expect("client builds");
    let ops = spec_operations();
    assert_eq!(ops.len(), 38, "the spec's operations");
    let bad = ["", " ", "\t", "  \n ", "\u{a0}", "\u{3000}", ".", ".."];
    let mut refused = 0;
    for (op, params) in &ops {
        let valid: Vec<&str> = params
            .iter()
            .map(|p| match p.as_str() {
                "account_id" => ACCOUNT_ID,
                "zone_id" => ZONE_ID,
                "hostname" => "app.example.com",
                _ => CERT_ID,
            })
            .collect();
        let scoped = op.contains("access-mtls-authentication");
        for (i, param) in params.iter().enumerate() {
            for value in bad {
                let mut args = valid.clone();
                args[i] = value;
                let result = call(op, &c, &args)
                    .await
                    .unwrap_or_else(|| panic!("no call in the table for {op}"));
                let named = if scoped && i == 0 {
                    "scope's id".to_string()
                } else {
                    format!("`{param}`")
                };
                match result {
                    Err(Error::InvalidRequest(message)) => {
                        assert!(
                            message.contains(&named),
                            "{op} {param}={value:?}: {message}"
                        );
                    }
                    other => {
                        panic!("{op} {param}={value:?}: expected InvalidRequest, got {other:?}")
                    }
                }
                refused += 1;
            }
        }
        assert!(stand_in.requests().is_empty(), "{op}: a request was sent");
    }
    let params: usize = ops.values().map(Vec::len).sum();
    assert_eq!(refused, params * bad.len(), "path parameters refused");
    for (op, params) in &ops {
        let valid: Vec<&str> = params
            .iter()
            .map(|p| if p == "zone_id" { ZONE_ID } else { ACCOUNT_ID })
            .collect();
        call(op, &c, &valid).await.expect("in the table").ok();
    }
    assert_eq!(
        stand_in.requests().len(),
        ops.len(),
        "each operation, every parameter valid"
    );
}

/// The `_all` page streams refuse an empty id too, on their first poll.
#[tokio::test]
async fn page_streams_refuse_an_empty_id() {
    let stand_in = StandIn::start().await;
    let c = stand_in.client();
    let err = c
        .client_certificates()
        .list_all(" ", Default::default())
        .try_collect::<Vec<_>>()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let err = c
        .access()
        .certificates()
        .list_all(Scope::Account(""), Default::default())
        .try_collect::<Vec<_>>()
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("scope's id"), "{err}");
    assert!(stand_in.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Transport safety
// ---------------------------------------------------------------------------------------------

/// The base URL must be https; plain http only with `allow_http(true)`; other schemes, a query,
/// a fragment or a user name/password are refused.
#[test]
fn base_url_must_be_https_unless_http_is_allowed() {
    let build = |url: &str, allow_http: bool| {
        Client::builder()
            .base_url(url)
            .api_token(TOKEN)
            .allow_http(allow_http)
            .build()
    };
    for url in [
        "http://127.0.0.1:8080",
        "HTTP://api.example.com/client/v4",
        "ftp://api.example.com",
        "api.cloudflare.com/client/v4",
        "https://api.example.com/client/v4?x=1",
        "https://api.example.com/client/v4#top",
        "https://user@api.example.com",
    ] {
        let err = build(url, false).expect_err(url);
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    assert!(matches!(
        build("ftp://api.example.com", true),
        Err(Error::Config(_))
    ));
    let client = build("http://127.0.0.1:8080/", true).expect("allowed");
    assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    let client = build("https://api.example.com/client/v4/", false).expect("https");
    assert_eq!(client.base_url(), "https://api.example.com/client/v4");
    assert_eq!(
        Client::new(Credentials::Token(TOKEN.into()))
            .expect("default")
            .base_url(),
        cloudflare_mtls::DEFAULT_BASE_URL
    );
}

/// Path parameters are one percent-encoded segment on the wire: `../../zones/x` and `a/b?c` do not
/// change the request path (or add a query); a bare `..` is refused before sending.
#[tokio::test]
async fn path_parameters_cannot_change_the_request_path() {
    let raw = RawServer::start(Reply::json(&envelope(json!({ "id": CERT_ID }))));
    let client = client(&raw);
    // Through the table of [`call`]: each operation with its path parameters in order.
    for (op, args) in [
        (
            "m-tls-certificate-management-get-m-tls-certificate",
            [ACCOUNT_ID, "../../zones/x"],
        ),
        (
            "client-certificate-for-a-zone-edit-client-certificate",
            [ZONE_ID, "a/b?c"],
        ),
        (
            "zone-level-access-mtls-authentication-get-an-mtls-certificate",
            ["../accounts", "%2e%2e"],
        ),
    ] {
        let result = call(op, &client, &args).await.expect("in the table");
        result.unwrap_or_else(|e| panic!("{op} {args:?}: {e}"));
    }
    let delete = "m-tls-certificate-management-delete-m-tls-certificate";
    let err = call(delete, &client, &[ACCOUNT_ID, ".."])
        .await
        .expect("in the table")
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(
        raw.request_targets(),
        [
            format!("/accounts/{ACCOUNT_ID}/mtls_certificates/..%2F..%2Fzones%2Fx"),
            format!("/zones/{ZONE_ID}/client_certificates/a%2Fb%3Fc"),
            "/zones/..%2Faccounts/access/certificates/%252e%252e".to_string(),
        ]
    );
}
