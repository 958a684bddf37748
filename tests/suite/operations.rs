//! End-to-end tests of every generated operation against a local HTTP server: HTTP method, exact
//! path, percent-encoding of path parameters, credentials headers, query parameters, exact request
//! body, envelope unwrapping and the decoded result (wiremock, each request matched exactly);
//! pagination (`Page`, `list_all`) over several pages of the library's stand-in
//! (`cloudflare_mtls::testing`). Servers that page oddly are in `paging`.

use cloudflare_mtls::resources::{
    AccessCertificatesResource, OriginTlsClientAuthHostnameCertificatesResource,
    OriginTlsClientAuthZoneCertificatesResource,
};
use cloudflare_mtls::testing::{csr, RecordedRequest, Seed, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Client, Error, Nullable, Page, Scope};
use cloudflare_mtls_test_support::*;
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Match, Mock, MockBuilder, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Fixtures (shapes and examples from spec/cloudflare-mtls.json)
// ---------------------------------------------------------------------------------------------

pub(crate) const ACCESS_CERT_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
pub(crate) const MTLS_CERT_ID: &str = "2458ce5a0c354c7f82c78e9487d3ff60";
pub(crate) const CLIENT_CERT_ID: &str = "b0a8b6c6e2cf4bd5a3ad5a5d2f3c3a11";
const AOP_CERT_ID: &str = "8e375af1389a069a0f921f8cc8e1eb12";
const HOSTNAME_CERT_ID: &str = "2458ce5a-0c35-4c7f-82c7-8e9487d3ff60";
const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQEL\n-----END CERTIFICATE-----\n";
const PRIVATE_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwQHoetcl9+5ikGzV6cMzWtWPJHqXT3wpbEkRU9Yz7lgvddmG\n-----END RSA PRIVATE KEY-----\n";
const CSR: &str =
    "-----BEGIN CERTIFICATE REQUEST-----\nMIICY...\n-----END CERTIFICATE REQUEST-----\n";

pub(crate) fn access_certificate_json(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "associated_hostnames": ["admin.example.com", "dev.example.com"],
        "created_at": "2014-01-01T05:20:00.12345Z",
        "expires_on": "2034-01-01T05:20:00Z",
        "fingerprint": "MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91",
        "name": name,
        "updated_at": "2014-01-02T05:20:00.12345Z"
    })
}

fn assert_access_certificate(c: &AccessCertificate, id: &str, name: &str) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.name.as_deref(), Some(name));
    assert_eq!(
        c.associated_hostnames.as_deref(),
        Some(
            &[
                "admin.example.com".to_string(),
                "dev.example.com".to_string()
            ][..]
        )
    );
    assert_eq!(c.created_at, Some(utc(2014, 1, 1, 5, 20, 0, 123_450_000)));
    assert_eq!(c.expires_on, Some(utc(2034, 1, 1, 5, 20, 0, 0)));
    assert_eq!(c.updated_at, Some(utc(2014, 1, 2, 5, 20, 0, 123_450_000)));
    assert_eq!(
        c.fingerprint.as_deref(),
        Some("MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91")
    );
}

fn hostname_settings_json() -> Value {
    json!([
        { "hostname": "admin.example.com", "china_network": false, "client_certificate_forwarding": true },
        { "hostname": "dev.example.com", "china_network": true, "client_certificate_forwarding": false }
    ])
}

fn assert_hostname_settings(s: &[AccessCertificateSettings]) {
    assert_eq!(
        s,
        &[
            AccessCertificateSettings::new(false, true, "admin.example.com"),
            AccessCertificateSettings::new(true, false, "dev.example.com"),
        ]
    );
}

pub(crate) fn mtls_certificate_json(id: &str) -> Value {
    json!({
        "id": id,
        "ca": true,
        "certificates": PEM,
        "expires_on": "2122-10-29T16:59:47Z",
        "issuer": "O=Example Inc.,L=California,ST=San Francisco,C=US",
        "name": "example_ca_cert",
        "serial_number": "235217144297995885180570755458463043449861756659",
        "signature": "SHA256WithRSA",
        "uploaded_on": "2022-11-22T17:32:30.467938Z"
    })
}

pub(crate) fn assert_mtls_certificate(c: &MtlsCertificate, id: &str) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.ca, Some(true));
    assert_eq!(c.certificates.as_deref(), Some(PEM));
    assert_eq!(c.expires_on, Some(utc(2122, 10, 29, 16, 59, 47, 0)));
    assert_eq!(
        c.issuer.as_deref(),
        Some("O=Example Inc.,L=California,ST=San Francisco,C=US")
    );
    assert_eq!(c.name.as_deref(), Some("example_ca_cert"));
    assert_eq!(
        c.serial_number.as_deref(),
        Some("235217144297995885180570755458463043449861756659")
    );
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(
        c.uploaded_on,
        Some(utc(2022, 11, 22, 17, 32, 30, 467_938_000))
    );
}

pub(crate) fn client_certificate_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIU...\n-----END CERTIFICATE-----",
        "certificate_authority": { "id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account" },
        "common_name": "Cloudflare",
        "country": "US",
        "csr": CSR,
        "expires_on": "2033-02-20T23:18:00Z",
        "fingerprint_sha256": "256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea",
        "issued_on": "2023-02-23T23:18:00Z",
        "location": "Somewhere",
        "organization": "Organization",
        "organizational_unit": "Organizational Unit",
        "serial_number": "3bb94ff144ac567b9f75ad664b6c55f8d5e48182",
        "signature": "SHA256WithRSA",
        "ski": "8e375af1389a069a0f921f8cc8e1eb12d784b949",
        "state": "CA",
        "status": status,
        "validity_days": 3650
    })
}

fn assert_client_certificate(c: &ClientCertificate, id: &str, status: ClientCertificateStatus) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.status, Some(status));
    let ca = c
        .certificate_authority
        .as_ref()
        .expect("certificate_authority");
    assert_eq!(
        ca.id.as_deref(),
        Some("568b6b74-7b0c-4755-8840-4e3b8c24adeb")
    );
    assert_eq!(
        ca.name.as_deref(),
        Some("Cloudflare Managed CA for account")
    );
    assert_eq!(c.common_name.as_deref(), Some("Cloudflare"));
    assert_eq!(c.country.as_deref(), Some("US"));
    assert_eq!(c.csr.as_deref(), Some(CSR));
    // Plain strings, as in Cloudflare's document (no `format: date-time` for client certificates).
    assert_eq!(c.expires_on.as_deref(), Some("2033-02-20T23:18:00Z"));
    assert_eq!(c.issued_on.as_deref(), Some("2023-02-23T23:18:00Z"));
    assert_eq!(
        c.fingerprint_sha256.as_deref(),
        Some("256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea")
    );
    assert_eq!(c.location.as_deref(), Some("Somewhere"));
    assert_eq!(c.organization.as_deref(), Some("Organization"));
    assert_eq!(
        c.organizational_unit.as_deref(),
        Some("Organizational Unit")
    );
    assert_eq!(
        c.serial_number.as_deref(),
        Some("3bb94ff144ac567b9f75ad664b6c55f8d5e48182")
    );
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(
        c.ski.as_deref(),
        Some("8e375af1389a069a0f921f8cc8e1eb12d784b949")
    );
    assert_eq!(c.state.as_deref(), Some("CA"));
    assert_eq!(c.validity_days, Some(3650));
}

fn zone_aop_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": PEM,
        "expires_on": "2100-01-01T05:20:00Z",
        "issuer": "GlobalSign",
        "signature": "SHA256WithRSA",
        "status": status,
        "uploaded_on": "2019-10-28T18:11:23.37411Z",
        "enabled": true
    })
}

fn assert_zone_aop(
    c: &ZoneAuthenticatedOriginPull,
    id: &str,
    status: ZoneAuthenticatedOriginPullStatus,
) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.certificate.as_deref(), Some(PEM));
    assert_eq!(c.expires_on, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(c.issuer.as_deref(), Some("GlobalSign"));
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(c.status, Some(status));
    assert_eq!(
        c.uploaded_on,
        Some(utc(2019, 10, 28, 18, 11, 23, 374_110_000))
    );
    assert_eq!(c.enabled, Some(true));
    assert_eq!(c.private_key, None);
}

fn hostname_aop_json(hostname: &str, enabled: bool) -> Value {
    json!({
        "id": HOSTNAME_CERT_ID.replace('-', ""),
        "cert_id": HOSTNAME_CERT_ID.replace('-', ""),
        "cert_status": "active",
        "cert_updated_at": "2100-01-01T05:20:00Z",
        "cert_uploaded_on": "2019-10-28T18:11:23.37411Z",
        "certificate": PEM,
        "created_at": "2100-01-01T05:20:00Z",
        "enabled": enabled,
        "expires_on": "2100-01-01T05:20:00Z",
        "hostname": hostname,
        "issuer": "GlobalSign",
        "serial_number": "6743787633689793699141714808227354901",
        "signature": "SHA256WithRSA",
        "status": "pending_deployment",
        "updated_at": "2100-01-02T05:20:00Z"
    })
}

fn assert_hostname_aop(c: &HostnameAuthenticatedOriginPull, hostname: &str, enabled: bool) {
    let id = HOSTNAME_CERT_ID.replace('-', "");
    assert_eq!(c.id.as_deref(), Some(id.as_str()));
    assert_eq!(c.cert_id.as_deref(), Some(id.as_str()));
    assert_eq!(c.cert_status, Some(HostnameCertificateStatus::Active));
    assert_eq!(c.status, Some(HostnameCertificateStatus::PendingDeployment));
    assert_eq!(c.cert_updated_at, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(
        c.cert_uploaded_on,
        Some(utc(2019, 10, 28, 18, 11, 23, 374_110_000))
    );
    assert_eq!(c.created_at, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(c.updated_at, Some(utc(2100, 1, 2, 5, 20, 0, 0)));
    assert_eq!(c.expires_on, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(c.enabled, Some(enabled));
    assert_eq!(c.hostname.as_deref(), Some(hostname));
    assert_eq!(c.issuer.as_deref(), Some("GlobalSign"));
    assert_eq!(
        c.serial_number.as_deref(),
        Some("6743787633689793699141714808227354901")
    );
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(c.certificate.as_deref(), Some(PEM));
}

fn hostname_certificate_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": PEM,
        "expires_on": "2100-01-01T05:20:00Z",
        "issuer": "DigiCertInc",
        "serial_number": "6743787633689793699141714808227354901",
        "signature": "SHA256WithRSA",
        "status": status,
        "uploaded_on": "2019-10-28T18:11:23.37411Z"
    })
}

fn assert_hostname_certificate(
    c: &HostnameCertificate,
    id: &str,
    status: HostnameCertificateStatus,
) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.certificate.as_deref(), Some(PEM));
    assert_eq!(c.expires_on, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(c.issuer.as_deref(), Some("DigiCertInc"));
    assert_eq!(
        c.serial_number.as_deref(),
        Some("6743787633689793699141714808227354901")
    );
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(c.status, Some(status));
    assert_eq!(
        c.uploaded_on,
        Some(utc(2019, 10, 28, 18, 11, 23, 374_110_000))
    );
}

// ---------------------------------------------------------------------------------------------
// Mock builders
// ---------------------------------------------------------------------------------------------

/// Which credentials a mock insists on (and that the other kinds are absent).
#[derive(Clone, Copy)]
pub(crate) enum Auth {
    Token,
    KeyAndEmail,
    ServiceKey,
}

/// A mock for exactly `http_method` + `exact_path` (as received, percent-encoded) with `auth`.
pub(crate) fn expect_request(http_method: &str, exact_path: &str, auth: Auth) -> MockBuilder {
    let builder = Mock::given(method(http_method)).and(path(exact_path));
    match auth {
        Auth::Token => builder.and(bearer()).and(without_headers(&[
            "x-auth-email",
            "x-auth-key",
            "x-auth-user-service-key",
        ])),
        Auth::KeyAndEmail => builder
            .and(header("x-auth-email", EMAIL))
            .and(header("x-auth-key", API_KEY))
            .and(without_headers(&[
                "authorization",
                "x-auth-user-service-key",
            ])),
        Auth::ServiceKey => builder
            .and(header("x-auth-user-service-key", SERVICE_KEY))
            .and(without_headers(&[
                "authorization",
                "x-auth-email",
                "x-auth-key",
            ])),
    }
}

/// A mock for a request without query string or body.
pub(crate) fn expect_plain(http_method: &str, exact_path: &str, auth: Auth) -> MockBuilder {
    expect_request(http_method, exact_path, auth)
        .and(no_query())
        .and(no_body())
}

/// A mock for a request with no query, no body and no `content-type` (the deletes).
fn expect_bodyless(http_method: &str, exact_path: &str, auth: Auth) -> MockBuilder {
    expect_plain(http_method, exact_path, auth).and(without_headers(&["content-type"]))
}

/// A mock for a request with exactly this JSON body (and `content-type: application/json`).
fn expect_json(http_method: &str, exact_path: &str, auth: Auth, body: Value) -> MockBuilder {
    expect_request(http_method, exact_path, auth)
        .and(no_query())
        .and(header("content-type", "application/json"))
        .and(body_json(body))
}

/// The body that uploads [`PEM`] with [`PRIVATE_KEY`] (zone and hostname origin-pull certificates).
fn upload_body() -> Value {
    json!({ "certificate": PEM, "private_key": PRIVATE_KEY })
}

/// `client.access().certificates()`.
fn access_certificates(client: &Client) -> AccessCertificatesResource<'_> {
    client.access().certificates()
}

/// `client.origin_tls_client_auth().zone_certificates()`.
fn zone_aop_certificates(client: &Client) -> OriginTlsClientAuthZoneCertificatesResource<'_> {
    client.origin_tls_client_auth().zone_certificates()
}

/// `client.origin_tls_client_auth().hostname_certificates()`.
fn hostname_aop_certificates(
    client: &Client,
) -> OriginTlsClientAuthHostnameCertificatesResource<'_> {
    client.origin_tls_client_auth().hostname_certificates()
}

/// A request a test expects: the mock that matches it exactly, and the credentials it carries.
pub(crate) struct Expected {
    mock: MockBuilder,
    auth: Auth,
}

/// [`expect_request`], with its credentials.
fn request(http_method: &str, exact_path: &str, auth: Auth) -> Expected {
    let mock = expect_request(http_method, exact_path, auth);
    Expected { mock, auth }
}

/// [`expect_plain`], with its credentials.
fn plain(http_method: &str, exact_path: &str, auth: Auth) -> Expected {
    let mock = expect_plain(http_method, exact_path, auth);
    Expected { mock, auth }
}

/// [`expect_bodyless`], with its credentials.
fn bodyless(http_method: &str, exact_path: &str, auth: Auth) -> Expected {
    let mock = expect_bodyless(http_method, exact_path, auth);
    Expected { mock, auth }
}

/// [`expect_json`], with its credentials.
fn with_json(http_method: &str, exact_path: &str, auth: Auth, body: Value) -> Expected {
    let mock = expect_json(http_method, exact_path, auth, body);
    Expected { mock, auth }
}

impl Expected {
    /// The request also matches `matcher`.
    fn and(self, matcher: impl Match + 'static) -> Expected {
        let mock = self.mock.and(matcher);
        Expected { mock, ..self }
    }

    /// What `call` returns on a client with these credentials, from a server that answers
    /// `response` to this request and checks that it came exactly once.
    async fn answered<T>(
        self,
        response: ResponseTemplate,
        call: impl AsyncFnOnce(&Client) -> Result<T, Error>,
    ) -> T {
        let server = serving(self.mock, response).await;
        let client = match self.auth {
            Auth::Token => client(&server),
            Auth::KeyAndEmail => client_key_email(&server),
            Auth::ServiceKey => client_service_key(&server),
        };
        call(&client).await.expect("the call succeeds")
    }

    /// [`Expected::answered`] with the mTLS certificate [`MTLS_CERT_ID`], checked to decode as it.
    async fn answered_mtls_certificate(
        self,
        call: impl AsyncFnOnce(&Client) -> Result<MtlsCertificate, Error>,
    ) {
        let cert = self
            .answered(ok(mtls_certificate_json(MTLS_CERT_ID)), call)
            .await;
        assert_mtls_certificate(&cert, MTLS_CERT_ID);
    }

    /// [`Expected::answered`] with a zone origin-pull certificate [`AOP_CERT_ID`] in the state
    /// `answered`, checked to decode with that id and `status`.
    async fn answered_zone_aop(
        self,
        answered: &str,
        status: ZoneAuthenticatedOriginPullStatus,
        call: impl AsyncFnOnce(&Client) -> Result<ZoneAuthenticatedOriginPull, Error>,
    ) {
        let cert = self
            .answered(ok(zone_aop_json(AOP_CERT_ID, answered)), call)
            .await;
        assert_zone_aop(&cert, AOP_CERT_ID, status);
    }

    /// [`Expected::answered`] with a hostname origin-pull certificate [`HOSTNAME_CERT_ID`] in
    /// the state `answered`, checked to decode with that id and `status`.
    async fn answered_hostname_certificate(
        self,
        answered: &str,
        status: HostnameCertificateStatus,
        call: impl AsyncFnOnce(&Client) -> Result<HostnameCertificate, Error>,
    ) {
        let cert = self
            .answered(
                ok(hostname_certificate_json(HOSTNAME_CERT_ID, answered)),
                call,
            )
            .await;
        assert_hostname_certificate(&cert, HOSTNAME_CERT_ID, status);
    }

    /// [`Expected::answered`] with a client certificate [`CLIENT_CERT_ID`] in the state
    /// `answered`, checked to decode with that id and `status`.
    async fn answered_client_certificate(
        self,
        answered: &str,
        status: ClientCertificateStatus,
        call: impl AsyncFnOnce(&Client) -> Result<ClientCertificate, Error>,
    ) {
        let cert = self
            .answered(ok(client_certificate_json(CLIENT_CERT_ID, answered)), call)
            .await;
        assert_client_certificate(&cert, CLIENT_CERT_ID, status);
    }
}

fn scoped_prefix(scope: Scope<'_>) -> String {
    match scope {
        Scope::Account(_) => format!("/accounts/{ACCOUNT_ID}"),
        Scope::Zone(_) => format!("/zones/{ZONE_ID}"),
    }
}

pub(crate) fn account() -> Scope<'static> {
    Scope::Account(ACCOUNT_ID)
}

pub(crate) fn zone() -> Scope<'static> {
    Scope::Zone(ZONE_ID)
}

/// Two tests of a body that takes the [`Scope`], one per scope: `TEST::account` and `TEST::zone`.
macro_rules! in_both_scopes {
    ($test:ident => $body:ident) => {
        mod $test {
            #[tokio::test]
            async fn account() {
                super::$body(super::account()).await;
            }

            #[tokio::test]
            async fn zone() {
                super::$body(super::zone()).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// access.certificates (account and zone)
// ---------------------------------------------------------------------------------------------

async fn access_certificates_list(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    let page: Page<AccessCertificate> = request(
        "GET",
        &format!("{prefix}/access/certificates"),
        Auth::Token,
    )
    .and(query_is("page=2&per_page=2"))
    .and(no_body())
    .answered(
        ok_page(
            json!([
                access_certificate_json(ACCESS_CERT_ID, "Allow devs"),
                access_certificate_json("a1b2c3d4-0000-4000-8000-000000000002", "Allow ops")
            ]),
            json!({ "page": 2, "per_page": 2, "count": 2, "total_count": 5, "total_pages": 3 }),
        ),
        async |client| {
            access_certificates(client)
                .list(
                    scope,
                    AccessCertificateListParams::new().page(2).per_page(2),
                )
                .await
        },
    )
    .await;
    assert_eq!(page.items.len(), 2);
    assert_access_certificate(&page.items[0], ACCESS_CERT_ID, "Allow devs");
    assert_access_certificate(
        &page.items[1],
        "a1b2c3d4-0000-4000-8000-000000000002",
        "Allow ops",
    );
    let info = page.result_info.expect("result_info");
    assert_eq!(info.page, Some(2));
    assert_eq!(info.per_page, Some(2));
    assert_eq!(info.count, Some(2));
    assert_eq!(info.total_count, Some(5));
    assert_eq!(info.total_pages, Some(3));
}

in_both_scopes!(access_certificates_list => access_certificates_list);

async fn access_certificates_list_default_params(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    let page = plain("GET", &format!("{prefix}/access/certificates"), Auth::Token)
        .answered(
            ok(json!([access_certificate_json(
                ACCESS_CERT_ID,
                "Allow devs"
            )])),
            async |client| {
                access_certificates(client)
                    .list(scope, Default::default())
                    .await
            },
        )
        .await;
    assert_eq!(page.items.len(), 1);
    assert_access_certificate(&page.items[0], ACCESS_CERT_ID, "Allow devs");
    assert_eq!(page.result_info, None);
}

in_both_scopes!(access_certificates_list_without_params_sends_no_query => access_certificates_list_default_params);

/// The query parameters of a request, sorted (`page=2`, `per_page=5`, …).
fn query_pairs(r: &RecordedRequest) -> Vec<String> {
    let mut pairs: Vec<String> = r
        .query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    pairs.sort();
    pairs
}

/// `list_all` over 3 pages of the stand-in: it stops because of `total_pages`, although every
/// page is full (no fourth request).
async fn access_certificates_list_all(scope: Scope<'static>) {
    let stand_in = StandIn::start().await;
    let expiry = utc(2034, 1, 1, 5, 20, 0, 0);
    let not_after = SystemTime::UNIX_EPOCH + Duration::from_secs(expiry.timestamp() as u64);
    let ca = TestCertificate::new("CN=Example Root CA")
        .ca(true)
        .validity(SystemTime::now(), not_after)
        .build();
    let seeded: Vec<String> = (1..=6)
        .map(|i| {
            stand_in.seed(Seed::access_certificate(
                scope,
                &format!("cert-{i}"),
                &ca.certificate_pem,
            ))
        })
        .collect();
    let all: Vec<AccessCertificate> = stand_in
        .client()
        .access()
        .certificates()
        .list_all(scope, AccessCertificateListParams::new().per_page(2))
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<_> = all
        .iter()
        .map(|c| c.id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, seeded);
    assert_eq!(all[5].name.as_deref(), Some("cert-6"));
    assert_eq!(all[5].expires_on, Some(expiry));
    let requests = stand_in.requests();
    let queries: Vec<_> = requests.iter().map(query_pairs).collect();
    assert_eq!(
        queries,
        [
            ["page=1", "per_page=2"],
            ["page=2", "per_page=2"],
            ["page=3", "per_page=2"]
        ]
    );
    let prefix = scoped_prefix(scope);
    assert!(requests
        .iter()
        .all(|r| r.method == "GET" && r.path == format!("{prefix}/access/certificates")));
}

in_both_scopes!(access_certificates_list_all_three_pages => access_certificates_list_all);

async fn access_certificates_get(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    let cert = plain(
        "GET",
        &format!("{prefix}/access/certificates/{ACCESS_CERT_ID}"),
        Auth::Token,
    )
    .answered(
        ok(access_certificate_json(ACCESS_CERT_ID, "Allow devs")),
        async |client| access_certificates(client).get(scope, ACCESS_CERT_ID).await,
    )
    .await;
    assert_access_certificate(&cert, ACCESS_CERT_ID, "Allow devs");
}

in_both_scopes!(access_certificates_get => access_certificates_get);

async fn access_certificates_create(
    scope: Scope<'static>,
    auth: Auth,
    client: fn(&MockServer) -> Client,
) {
    let server = server().await;
    let prefix = scoped_prefix(scope);
    expect_json(
        "POST",
        &format!("{prefix}/access/certificates"),
        auth,
        json!({
            "name": "Allow devs",
            "certificate": PEM,
            "associated_hostnames": ["admin.example.com", "dev.example.com"]
        }),
    )
    .respond_with(ok_with_status(
        201,
        access_certificate_json(ACCESS_CERT_ID, "Allow devs"),
    ))
    .expect(1)
    .mount(&server)
    .await;
    let cert = client(&server)
        .access()
        .certificates()
        .create(
            scope,
            &AccessCertificateCreate::new(PEM, "Allow devs")
                .associated_hostnames(vec!["admin.example.com".into(), "dev.example.com".into()]),
        )
        .await
        .expect("create succeeds");
    assert_access_certificate(&cert, ACCESS_CERT_ID, "Allow devs");
}

#[tokio::test]
async fn access_certificates_create_account() {
    access_certificates_create(account(), Auth::Token, client).await;
}

#[tokio::test]
async fn access_certificates_create_zone_with_key_and_email() {
    access_certificates_create(zone(), Auth::KeyAndEmail, client_key_email).await;
}

#[tokio::test]
async fn access_certificates_create_omits_unset_optional_fields() {
    let cert = with_json(
        "POST",
        &format!("/zones/{ZONE_ID}/access/certificates"),
        Auth::Token,
        json!({ "name": "Allow devs", "certificate": PEM }),
    )
    .answered(
        ok_with_status(201, access_certificate_json(ACCESS_CERT_ID, "Allow devs")),
        async |client| {
            access_certificates(client)
                .create(zone(), &AccessCertificateCreate::new(PEM, "Allow devs"))
                .await
        },
    )
    .await;
    assert_eq!(cert.id.as_deref(), Some(ACCESS_CERT_ID));
}

async fn access_certificates_update(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    let update =
        AccessCertificateUpdate::new(vec!["admin.example.com".into(), "dev.example.com".into()])
            .name("Allow ops");
    let cert = with_json(
        "PUT",
        &format!("{prefix}/access/certificates/{ACCESS_CERT_ID}"),
        Auth::Token,
        json!({ "associated_hostnames": ["admin.example.com", "dev.example.com"], "name": "Allow ops" }),
    )
    .answered(
        ok(access_certificate_json(ACCESS_CERT_ID, "Allow ops")),
        async |client| access_certificates(client).update(scope, ACCESS_CERT_ID, &update).await,
    )
    .await;
    assert_access_certificate(&cert, ACCESS_CERT_ID, "Allow ops");
}

in_both_scopes!(access_certificates_update => access_certificates_update);

async fn access_certificates_delete(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    // The spec's request body for this delete is optional and schemaless: none is sent.
    let deleted = plain(
        "DELETE",
        &format!("{prefix}/access/certificates/{ACCESS_CERT_ID}"),
        Auth::Token,
    )
    .answered(ok(json!({ "id": ACCESS_CERT_ID })), async |client| {
        access_certificates(client)
            .delete(scope, ACCESS_CERT_ID)
            .await
    })
    .await;
    assert_eq!(deleted.id.as_deref(), Some(ACCESS_CERT_ID));
}

in_both_scopes!(access_certificates_delete => access_certificates_delete);

// ---------------------------------------------------------------------------------------------
// access.certificates.settings (account and zone)
// ---------------------------------------------------------------------------------------------

async fn access_certificates_settings_get(scope: Scope<'static>) {
    let prefix = scoped_prefix(scope);
    let settings = plain(
        "GET",
        &format!("{prefix}/access/certificates/settings"),
        Auth::Token,
    )
    .answered(ok(hostname_settings_json()), async |client| {
        client.access().certificates().settings().get(scope).await
    })
    .await;
    assert_hostname_settings(&settings);
}

in_both_scopes!(access_certificates_settings_get => access_certificates_settings_get);

async fn access_certificates_settings_update(scope: Scope<'static>) {
    let server = server().await;
    let prefix = scoped_prefix(scope);
    expect_json(
        "PUT",
        &format!("{prefix}/access/certificates/settings"),
        Auth::Token,
        json!({ "settings": hostname_settings_json() }),
    )
    .respond_with(ok_with_status(202, hostname_settings_json()))
    .expect(1)
    .mount(&server)
    .await;
    let client = client(&server);
    let body = AccessCertificateSettingsUpdate::new(vec![
        AccessCertificateSettings::new(false, true, "admin.example.com"),
        AccessCertificateSettings::new(true, false, "dev.example.com"),
    ]);
    let settings = client
        .access()
        .certificates()
        .settings()
        .update(scope, &body)
        .await
        .expect("update succeeds");
    assert_hostname_settings(&settings);
}

in_both_scopes!(access_certificates_settings_update => access_certificates_settings_update);

// ---------------------------------------------------------------------------------------------
// mtls_certificates and mtls_certificates.associations (account)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn mtls_certificates_list() {
    let certs = plain(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
        Auth::KeyAndEmail,
    )
    .answered(
        ok_page(
            json!([
                mtls_certificate_json(MTLS_CERT_ID),
                mtls_certificate_json("3458ce5a0c354c7f82c78e9487d3ff61")
            ]),
            json!({ "page": 1, "per_page": 50, "count": 2, "total_count": 2, "total_pages": 1 }),
        ),
        async |client| {
            client
                .mtls_certificates()
                .list(ACCOUNT_ID, MtlsCertificateListParams::default())
                .await
        },
    )
    .await;
    assert_eq!(certs.len(), 2);
    assert_mtls_certificate(&certs[0], MTLS_CERT_ID);
    assert_mtls_certificate(&certs[1], "3458ce5a0c354c7f82c78e9487d3ff61");
}

/// The `type` filter is a list, sent as one `type` key per value (OpenAPI's form/explode, as
/// Cloudflare's SDKs send it); `type` in a certificate decodes, and a type this version does not
/// know is kept.
#[tokio::test]
async fn mtls_certificates_list_by_types() {
    let server = server().await;
    let mut managed = mtls_certificate_json(MTLS_CERT_ID);
    managed["type"] = json!("gateway_managed");
    let mut future = mtls_certificate_json("3458ce5a0c354c7f82c78e9487d3ff61");
    future["type"] = json!("partner_managed");
    expect_request(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
        Auth::KeyAndEmail,
    )
    .and(query_is(
        "type=custom&type=gateway_managed&type=partner_managed",
    ))
    .and(no_body())
    .respond_with(ok(json!([managed, future])))
    .expect(1)
    .mount(&server)
    .await;
    let certs = client_key_email(&server)
        .mtls_certificates()
        .list(
            ACCOUNT_ID,
            MtlsCertificateListParams::default().type_(vec![
                MtlsCertificateType::Custom,
                MtlsCertificateType::GatewayManaged,
                MtlsCertificateType::Unknown("partner_managed".into()),
            ]),
        )
        .await
        .expect("list succeeds");
    assert_eq!(certs[0].type_, Some(MtlsCertificateType::GatewayManaged));
    assert_eq!(
        certs[1].type_,
        Some(MtlsCertificateType::Unknown("partner_managed".into()))
    );
}

/// One type is one key; an empty list sends no `type` at all.
#[tokio::test]
async fn mtls_certificates_list_by_one_type_and_by_none() {
    let server = server().await;
    let at = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    expect_request("GET", &at, Auth::Token)
        .and(query_is("type=access_managed"))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    expect_plain("GET", &at, Auth::Token)
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let one = MtlsCertificateListParams::new().type_(vec![MtlsCertificateType::AccessManaged]);
    assert!(client
        .mtls_certificates()
        .list(ACCOUNT_ID, one)
        .await
        .unwrap()
        .is_empty());
    let none = MtlsCertificateListParams::new().type_(Vec::new());
    assert!(client
        .mtls_certificates()
        .list(ACCOUNT_ID, none)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn mtls_certificates_get() {
    plain(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{MTLS_CERT_ID}"),
        Auth::KeyAndEmail,
    )
    .answered_mtls_certificate(async |client| {
        client
            .mtls_certificates()
            .get(ACCOUNT_ID, MTLS_CERT_ID)
            .await
    })
    .await;
}

#[tokio::test]
async fn mtls_certificates_create() {
    let server = server().await;
    let mut uploaded = mtls_certificate_json(MTLS_CERT_ID);
    uploaded["updated_at"] = json!("2022-11-22T17:32:31Z");
    expect_json(
        "POST",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
        Auth::KeyAndEmail,
        json!({ "ca": true, "certificates": PEM, "name": "example_ca_cert", "private_key": PRIVATE_KEY }),
    )
    .respond_with(ok(uploaded))
    .expect(1)
    .mount(&server)
    .await;
    let cert = client_key_email(&server)
        .mtls_certificates()
        .create(
            ACCOUNT_ID,
            &MtlsCertificateCreate::new(true, PEM)
                .name("example_ca_cert")
                .private_key(PRIVATE_KEY),
        )
        .await
        .expect("create succeeds");
    assert_eq!(cert.id.as_deref(), Some(MTLS_CERT_ID));
    assert_eq!(cert.ca, Some(true));
    assert_eq!(cert.name.as_deref(), Some("example_ca_cert"));
    assert_eq!(cert.expires_on, Some(utc(2122, 10, 29, 16, 59, 47, 0)));
    assert_eq!(
        cert.uploaded_on,
        Some(utc(2022, 11, 22, 17, 32, 30, 467_938_000))
    );
    assert_eq!(cert.updated_at, Some(utc(2022, 11, 22, 17, 32, 31, 0)));
    assert_eq!(
        cert.serial_number.as_deref(),
        Some("235217144297995885180570755458463043449861756659")
    );
}

#[tokio::test]
async fn mtls_certificates_create_without_optional_fields() {
    let cert = with_json(
        "POST",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
        Auth::Token,
        json!({ "ca": false, "certificates": PEM }),
    )
    .answered(ok(mtls_certificate_json(MTLS_CERT_ID)), async |client| {
        client
            .mtls_certificates()
            .create(ACCOUNT_ID, &MtlsCertificateCreate::new(false, PEM))
            .await
    })
    .await;
    assert_eq!(cert.id.as_deref(), Some(MTLS_CERT_ID));
}

#[tokio::test]
async fn mtls_certificates_delete() {
    // No body: Cloudflare takes none on this delete (its SDKs send none).
    bodyless(
        "DELETE",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{MTLS_CERT_ID}"),
        Auth::KeyAndEmail,
    )
    .answered_mtls_certificate(async |client| {
        client
            .mtls_certificates()
            .delete(ACCOUNT_ID, MTLS_CERT_ID)
            .await
    })
    .await;
}

#[tokio::test]
async fn mtls_certificates_associations_list() {
    let associations = plain(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{MTLS_CERT_ID}/associations"),
        Auth::Token,
    )
    .answered(
        ok(json!([
            { "service": "gateway", "status": "pending_deployment" },
            { "service": "access", "status": "active" }
        ])),
        async |client| {
            client
                .mtls_certificates()
                .associations()
                .list(ACCOUNT_ID, MTLS_CERT_ID)
                .await
        },
    )
    .await;
    let associations: Vec<_> = associations
        .iter()
        .map(|a| (a.service.as_deref(), a.status.as_deref()))
        .collect();
    assert_eq!(
        associations,
        [
            (Some("gateway"), Some("pending_deployment")),
            (Some("access"), Some("active")),
        ]
    );
}

#[tokio::test]
async fn mtls_certificates_associations_list_empty() {
    let associations = plain(
        "GET",
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{MTLS_CERT_ID}/associations"),
        Auth::Token,
    )
    .answered(ok(json!([])), async |client| {
        client
            .mtls_certificates()
            .associations()
            .list(ACCOUNT_ID, MTLS_CERT_ID)
            .await
    })
    .await;
    assert!(associations.is_empty());
}

// ---------------------------------------------------------------------------------------------
// client_certificates (zone)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_certificates_list() {
    let server = serving(
        expect_request(
            "GET",
            &format!("/zones/{ZONE_ID}/client_certificates"),
            Auth::Token,
        )
        .and(query_is(
            "status=pending_revocation&page=1&per_page=20&limit=10&offset=5",
        ))
        .and(no_body()),
        ok_page(
            json!([
                client_certificate_json(CLIENT_CERT_ID, "pending_revocation"),
                client_certificate_json("c0a8b6c6e2cf4bd5a3ad5a5d2f3c3a12", "pending_revocation")
            ]),
            json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
        ),
    )
    .await;
    let page = client(&server)
        .client_certificates()
        .list(
            ZONE_ID,
            ClientCertificateListParams::new()
                .status(ClientCertificateStatusFilter::PendingRevocation)
                .page(1)
                .per_page(20)
                .limit(10)
                .offset(5),
        )
        .await
        .expect("list succeeds");
    assert_eq!(page.items.len(), 2);
    assert_client_certificate(
        &page.items[0],
        CLIENT_CERT_ID,
        ClientCertificateStatus::PendingRevocation,
    );
    assert_client_certificate(
        &page.items[1],
        "c0a8b6c6e2cf4bd5a3ad5a5d2f3c3a12",
        ClientCertificateStatus::PendingRevocation,
    );
    let info = page.result_info.expect("result_info");
    assert_eq!(
        (
            info.page,
            info.per_page,
            info.count,
            info.total_count,
            info.total_pages
        ),
        (Some(1), Some(20), Some(2), Some(2), Some(1))
    );
}

#[tokio::test]
async fn client_certificates_list_status_all() {
    let server = serving(
        expect_request(
            "GET",
            &format!("/zones/{ZONE_ID}/client_certificates"),
            Auth::Token,
        )
        .and(query_is("status=all")),
        ok_page(
            json!([
                client_certificate_json(CLIENT_CERT_ID, "active"),
                client_certificate_json("r1", "revoked")
            ]),
            json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
        ),
    )
    .await;
    let page = client(&server)
        .client_certificates()
        .list(
            ZONE_ID,
            ClientCertificateListParams::new().status(ClientCertificateStatusFilter::All),
        )
        .await
        .expect("list succeeds");
    let statuses: Vec<_> = page.items.iter().map(|c| c.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            Some(ClientCertificateStatus::Active),
            Some(ClientCertificateStatus::Revoked)
        ]
    );
}

/// `list_all` over 3 pages of the stand-in read one item at a time; the status filter is sent
/// with every page (Cloudflare's smallest page of client certificates is 5).
#[tokio::test]
async fn client_certificates_list_all_three_pages() {
    let stand_in = StandIn::start().await;
    stand_in.seed(Seed::client_certificate(ZONE_ID, &csr("CN=live")));
    let revoked: Vec<String> = (1..=15)
        .map(|i| {
            stand_in.seed(
                Seed::client_certificate(ZONE_ID, &csr(&format!("CN=old-{i}")))
                    .validity_days(30)
                    .status(ClientCertificateStatus::Revoked),
            )
        })
        .collect();
    stand_in.seed(Seed::client_certificate(ZONE_ID, &csr("CN=live-too")));
    let client = stand_in.client();
    let mut stream = client.client_certificates().list_all(
        ZONE_ID,
        ClientCertificateListParams::new()
            .status(ClientCertificateStatusFilter::Revoked)
            .per_page(5),
    );
    let mut ids = Vec::new();
    while let Some(cert) = stream.try_next().await.expect("next item") {
        assert_eq!(cert.status, Some(ClientCertificateStatus::Revoked));
        assert_eq!(cert.validity_days, Some(30));
        ids.push(cert.id.unwrap_or_default());
    }
    assert_eq!(ids, revoked);
    assert!(stream.try_next().await.expect("after the end").is_none());
    let queries: Vec<_> = stand_in.requests().iter().map(query_pairs).collect();
    assert_eq!(
        queries,
        [1, 2, 3].map(|page| [
            format!("page={page}"),
            "per_page=5".to_string(),
            "status=revoked".to_string()
        ])
    );
}

/// `list_all` starts from the `page` given in the params.
#[tokio::test]
async fn client_certificates_list_all_starts_at_the_given_page() {
    let p = format!("/zones/{ZONE_ID}/client_certificates");
    let all: Vec<ClientCertificate> = request("GET", &p, Auth::Token)
        .and(query_param("page", "3"))
        .answered(
            ok_page(
                json!([client_certificate_json("cc-5", "active")]),
                json!({ "page": 3, "per_page": 2, "count": 1, "total_count": 5, "total_pages": 3 }),
            ),
            async |client| {
                client
                    .client_certificates()
                    .list_all(ZONE_ID, ClientCertificateListParams::new().page(3))
                    .try_collect()
                    .await
            },
        )
        .await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id.as_deref(), Some("cc-5"));
}

#[tokio::test]
async fn client_certificates_get() {
    plain(
        "GET",
        &format!("/zones/{ZONE_ID}/client_certificates/{CLIENT_CERT_ID}"),
        Auth::Token,
    )
    .answered_client_certificate("active", ClientCertificateStatus::Active, async |client| {
        client
            .client_certificates()
            .get(ZONE_ID, CLIENT_CERT_ID)
            .await
    })
    .await;
}

#[tokio::test]
async fn client_certificates_create() {
    with_json(
        "POST",
        &format!("/zones/{ZONE_ID}/client_certificates"),
        Auth::KeyAndEmail,
        json!({ "csr": CSR, "validity_days": 3650 }),
    )
    .answered_client_certificate("active", ClientCertificateStatus::Active, async |client| {
        client
            .client_certificates()
            .create(ZONE_ID, &ClientCertificateCreate::new(CSR, 3650))
            .await
    })
    .await;
}

#[tokio::test]
async fn client_certificates_edit_reactivates() {
    with_json(
        "PATCH",
        &format!("/zones/{ZONE_ID}/client_certificates/{CLIENT_CERT_ID}"),
        Auth::Token,
        json!({ "reactivate": true }),
    )
    .answered_client_certificate(
        "pending_reactivation",
        ClientCertificateStatus::PendingReactivation,
        async |client| {
            client
                .client_certificates()
                .edit(
                    ZONE_ID,
                    CLIENT_CERT_ID,
                    &ClientCertificateEdit::new().reactivate(true),
                )
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn client_certificates_delete_revokes() {
    plain(
        "DELETE",
        &format!("/zones/{ZONE_ID}/client_certificates/{CLIENT_CERT_ID}"),
        Auth::Token,
    )
    .answered_client_certificate(
        "pending_revocation",
        ClientCertificateStatus::PendingRevocation,
        async |client| {
            client
                .client_certificates()
                .delete(ZONE_ID, CLIENT_CERT_ID)
                .await
        },
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// origin_tls_client_auth (zone-level Authenticated Origin Pulls)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn origin_tls_client_auth_create() {
    with_json(
        "POST",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth"),
        Auth::KeyAndEmail,
        upload_body(),
    )
    .answered_zone_aop(
        "initializing",
        ZoneAuthenticatedOriginPullStatus::Initializing,
        async |client| {
            zone_aop_certificates(client)
                .create(ZONE_ID, &OriginPullCertificateCreate::new(PEM, PRIVATE_KEY))
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn origin_tls_client_auth_list_with_user_service_key() {
    let certs = plain(
        "GET",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth"),
        Auth::ServiceKey,
    )
    .answered(
        ok_page(
            json!([
                zone_aop_json(AOP_CERT_ID, "active"),
                zone_aop_json("9e375af1389a069a0f921f8cc8e1eb13", "deleted")
            ]),
            json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
        ),
        async |client| zone_aop_certificates(client).list(ZONE_ID).await,
    )
    .await;
    assert_eq!(certs.len(), 2);
    assert_zone_aop(
        &certs[0],
        AOP_CERT_ID,
        ZoneAuthenticatedOriginPullStatus::Active,
    );
    assert_zone_aop(
        &certs[1],
        "9e375af1389a069a0f921f8cc8e1eb13",
        ZoneAuthenticatedOriginPullStatus::Deleted,
    );
}

#[tokio::test]
async fn origin_tls_client_auth_get() {
    plain(
        "GET",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/{AOP_CERT_ID}"),
        Auth::Token,
    )
    .answered_zone_aop(
        "pending_deployment",
        ZoneAuthenticatedOriginPullStatus::PendingDeployment,
        async |client| {
            zone_aop_certificates(client)
                .get(ZONE_ID, AOP_CERT_ID)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn origin_tls_client_auth_delete() {
    bodyless(
        "DELETE",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/{AOP_CERT_ID}"),
        Auth::Token,
    )
    .answered_zone_aop(
        "pending_deletion",
        ZoneAuthenticatedOriginPullStatus::PendingDeletion,
        async |client| {
            zone_aop_certificates(client)
                .delete(ZONE_ID, AOP_CERT_ID)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn origin_tls_client_auth_settings_get() {
    let setting = plain(
        "GET",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings"),
        Auth::KeyAndEmail,
    )
    .answered(ok(json!({ "enabled": false })), async |client| {
        client
            .origin_tls_client_auth()
            .settings()
            .get(ZONE_ID)
            .await
    })
    .await;
    assert_eq!(setting.enabled, Some(false));
}

#[tokio::test]
async fn origin_tls_client_auth_settings_update() {
    let setting = with_json(
        "PUT",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings"),
        Auth::Token,
        json!({ "enabled": true }),
    )
    .answered(ok(json!({ "enabled": true })), async |client| {
        client
            .origin_tls_client_auth()
            .settings()
            .update(ZONE_ID, &ZoneSettingUpdate::new(true))
            .await
    })
    .await;
    assert_eq!(setting.enabled, Some(true));
}

// ---------------------------------------------------------------------------------------------
// origin_tls_client_auth.hostnames (per-hostname Authenticated Origin Pulls)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn origin_tls_client_auth_hostnames_update() {
    let server = serving(
        expect_json(
            "PUT",
            &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames"),
            Auth::Token,
            json!({
                "config": [
                    { "cert_id": HOSTNAME_CERT_ID, "enabled": true, "hostname": "app.example.com" },
                    { "cert_id": HOSTNAME_CERT_ID, "enabled": false, "hostname": "api.example.com" }
                ]
            }),
        ),
        ok(json!([
            hostname_aop_json("app.example.com", true),
            hostname_aop_json("api.example.com", false)
        ])),
    )
    .await;
    let client = client(&server);
    let body = HostnameOriginPullUpdate::new(vec![
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(true)
            .hostname("app.example.com"),
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(false)
            .hostname("api.example.com"),
    ]);
    let result = client
        .origin_tls_client_auth()
        .hostnames()
        .update(ZONE_ID, &body)
        .await
        .expect("update succeeds");
    assert_eq!(result.len(), 2);
    assert_hostname_aop(&result[0], "app.example.com", true);
    assert_hostname_aop(&result[1], "api.example.com", false);
}

/// `enabled: null` voids an association ("a null value voids the association"); a config without
/// `enabled` leaves it as it is. Both are sent exactly so.
#[tokio::test]
async fn origin_tls_client_auth_hostnames_update_sends_null_and_leaves_absent_out() {
    let server = serving(
        expect_json(
            "PUT",
            &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames"),
            Auth::Token,
            json!({
                "config": [
                    { "hostname": "app.example.com", "cert_id": HOSTNAME_CERT_ID, "enabled": null },
                    { "hostname": "api.example.com", "cert_id": HOSTNAME_CERT_ID }
                ]
            }),
        ),
        ok(json!([hostname_aop_json("app.example.com", false)])),
    )
    .await;
    let client = client(&server);
    let body = HostnameOriginPullUpdate::new(vec![
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(Nullable::Null)
            .hostname("app.example.com"),
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(Nullable::Absent)
            .hostname("api.example.com"),
    ]);
    let result = client
        .origin_tls_client_auth()
        .hostnames()
        .update(ZONE_ID, &body)
        .await
        .expect("update succeeds");
    assert_eq!(result.len(), 1);
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_get() {
    let server = server().await;
    let mut status = hostname_aop_json("app.example.com", true);
    status.as_object_mut().unwrap().remove("id");
    expect_plain(
        "GET",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/app.example.com"),
        Auth::Token,
    )
    .respond_with(ok(status))
    .expect(1)
    .mount(&server)
    .await;
    let aop = client(&server)
        .origin_tls_client_auth()
        .hostnames()
        .get(ZONE_ID, "app.example.com")
        .await
        .expect("get succeeds");
    let id = HOSTNAME_CERT_ID.replace('-', "");
    assert_eq!(aop.cert_id.as_deref(), Some(id.as_str()));
    assert_eq!(aop.hostname.as_deref(), Some("app.example.com"));
    assert_eq!(aop.enabled, Some(true));
    assert_eq!(aop.cert_status, Some(HostnameCertificateStatus::Active));
    assert_eq!(
        aop.status,
        Some(HostnameCertificateStatus::PendingDeployment)
    );
    assert_eq!(
        aop.cert_uploaded_on,
        Some(utc(2019, 10, 28, 18, 11, 23, 374_110_000))
    );
    assert_eq!(aop.created_at, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(aop.updated_at, Some(utc(2100, 1, 2, 5, 20, 0, 0)));
    assert_eq!(aop.expires_on, Some(utc(2100, 1, 1, 5, 20, 0, 0)));
    assert_eq!(
        aop.serial_number.as_deref(),
        Some("6743787633689793699141714808227354901")
    );
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_certificates_create() {
    with_json(
        "POST",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates"),
        Auth::Token,
        upload_body(),
    )
    .answered_hostname_certificate(
        "initializing",
        HostnameCertificateStatus::Initializing,
        async |client| {
            hostname_aop_certificates(client)
                .create(ZONE_ID, &HostnameCertificateCreate::new(PEM, PRIVATE_KEY))
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_certificates_list() {
    let server = serving(
        expect_plain(
            "GET",
            &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates"),
            Auth::Token,
        ),
        ok_page(
            json!([
                hostname_certificate_json(HOSTNAME_CERT_ID, "active"),
                hostname_certificate_json(
                    "3458ce5a-0c35-4c7f-82c7-8e9487d3ff61",
                    "pending_deletion"
                )
            ]),
            json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
        ),
    )
    .await;
    let client = client(&server);
    // The items are the certificate type that get and create return.
    let certs: Vec<HostnameCertificate> = hostname_aop_certificates(&client)
        .list(ZONE_ID)
        .await
        .expect("list succeeds");
    assert_eq!(certs.len(), 2);
    assert_hostname_certificate(
        &certs[0],
        HOSTNAME_CERT_ID,
        HostnameCertificateStatus::Active,
    );
    assert_hostname_certificate(
        &certs[1],
        "3458ce5a-0c35-4c7f-82c7-8e9487d3ff61",
        HostnameCertificateStatus::PendingDeletion,
    );
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_certificates_get() {
    plain(
        "GET",
        &format!(
            "/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates/{HOSTNAME_CERT_ID}"
        ),
        Auth::Token,
    )
    .answered_hostname_certificate(
        "active",
        HostnameCertificateStatus::Active,
        async |client| {
            hostname_aop_certificates(client)
                .get(ZONE_ID, HOSTNAME_CERT_ID)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_certificates_delete() {
    bodyless(
        "DELETE",
        &format!(
            "/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates/{HOSTNAME_CERT_ID}"
        ),
        Auth::KeyAndEmail,
    )
    .answered_hostname_certificate(
        "pending_deletion",
        HostnameCertificateStatus::PendingDeletion,
        async |client| {
            hostname_aop_certificates(client)
                .delete(ZONE_ID, HOSTNAME_CERT_ID)
                .await
        },
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// API Shield hostname associations of a CA
// ---------------------------------------------------------------------------------------------

const CA_ID: &str = "b2134436-2555-4acf-be5b-26c48136575e";

fn hostnames_json(hostnames: &[&str]) -> Value {
    json!({ "hostnames": hostnames })
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_get_of_a_ca() {
    let at = format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations");
    let got = request("GET", &at, Auth::Token)
        .and(query_is(
            "mtls_certificate_id=b2134436-2555-4acf-be5b-26c48136575e",
        ))
        .and(no_body())
        .answered(
            ok(hostnames_json(&["api.example.com", "admin.example.com"])),
            async |client| {
                client
                    .certificate_authorities()
                    .hostname_associations()
                    .get(
                        ZONE_ID,
                        HostnameAssociationGetParams::new().mtls_certificate_id(CA_ID),
                    )
                    .await
            },
        )
        .await;
    assert_eq!(
        got.hostnames.as_deref(),
        Some(
            &[
                "api.example.com".to_string(),
                "admin.example.com".to_string()
            ][..]
        )
    );
}

/// Without `mtls_certificate_id`: the managed CA's hostnames, and no query string at all; a
/// `result` without `hostnames` is `None`.
#[tokio::test]
async fn certificate_authorities_hostname_associations_get_of_the_managed_ca() {
    let at = format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations");
    let got = plain("GET", &at, Auth::KeyAndEmail)
        .answered(ok(json!({})), async |client| {
            client
                .certificate_authorities()
                .hostname_associations()
                .get(ZONE_ID, Default::default())
                .await
        })
        .await;
    assert_eq!(got.hostnames, None);
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_update_binds_to_a_ca() {
    let server = server().await;
    let at = format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations");
    expect_json(
        "PUT",
        &at,
        Auth::Token,
        json!({ "hostnames": ["api.example.com", "admin.example.com"], "mtls_certificate_id": CA_ID }),
    )
    .respond_with(ok(hostnames_json(&["api.example.com", "admin.example.com"])))
    .expect(1)
    .mount(&server)
    .await;
    let body = HostnameAssociationUpdate::new()
        .hostnames(vec!["api.example.com".into(), "admin.example.com".into()])
        .mtls_certificate_id(CA_ID);
    let got = client(&server)
        .certificate_authorities()
        .hostname_associations()
        .update(ZONE_ID, &body)
        .await
        .expect("update succeeds");
    assert_eq!(got.hostnames.map(|h| h.len()), Some(2));
}

/// Unbinding: an empty list for the CA; without `mtls_certificate_id` neither key is sent but the
/// ones set (the managed CA).
#[tokio::test]
async fn certificate_authorities_hostname_associations_update_unbinds_and_managed_ca() {
    let server = server().await;
    let at = format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations");
    expect_json(
        "PUT",
        &at,
        Auth::Token,
        json!({ "hostnames": [], "mtls_certificate_id": CA_ID }),
    )
    .respond_with(ok(hostnames_json(&[])))
    .expect(1)
    .mount(&server)
    .await;
    expect_json(
        "PUT",
        &at,
        Auth::Token,
        json!({ "hostnames": ["x.example.com"] }),
    )
    .respond_with(ok(hostnames_json(&["x.example.com"])))
    .expect(1)
    .mount(&server)
    .await;
    let client = client(&server);
    let ha = client.certificate_authorities().hostname_associations();
    let unbound = ha
        .update(
            ZONE_ID,
            &HostnameAssociationUpdate::new()
                .hostnames(Vec::new())
                .mtls_certificate_id(CA_ID),
        )
        .await
        .unwrap();
    assert_eq!(unbound.hostnames, Some(Vec::new()));
    let managed = ha
        .update(
            ZONE_ID,
            &HostnameAssociationUpdate::new().hostnames(vec!["x.example.com".into()]),
        )
        .await
        .unwrap();
    assert_eq!(managed.hostnames, Some(vec!["x.example.com".to_string()]));
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_error_is_the_api_error() {
    let server = server().await;
    let at = format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations");
    Mock::given(method("PUT"))
        .and(path(at.as_str()))
        .respond_with(wiremock::ResponseTemplate::new(404).set_body_json(json!({
            "success": false,
            "errors": [{ "code": 1418, "message": "mTLS certificate not found" }],
            "messages": [],
            "result": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .certificate_authorities()
        .hostname_associations()
        .update(
            ZONE_ID,
            &HostnameAssociationUpdate::new().mtls_certificate_id(CA_ID),
        )
        .await
        .expect_err("refused");
    assert!(err.is_not_found(), "{err:?}");
    let Error::Api(api) = err else {
        panic!("not an API error")
    };
    assert_eq!(api.errors[0].code, 1418);
}

// ---------------------------------------------------------------------------------------------
// Deprecated aliases: the old names send the same requests as the new ones
// ---------------------------------------------------------------------------------------------

#[tokio::test]
#[allow(deprecated)]
async fn deprecated_origin_pull_names_call_the_new_operations() {
    let server = server().await;
    let zone_at = format!("/zones/{ZONE_ID}/origin_tls_client_auth");
    let hosts_at = format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates");
    expect_json("POST", &zone_at, Auth::Token, upload_body())
        .respond_with(ok(zone_aop_json(AOP_CERT_ID, "initializing")))
        .expect(1)
        .mount(&server)
        .await;
    expect_plain("GET", &zone_at, Auth::Token)
        .respond_with(ok(json!([zone_aop_json(AOP_CERT_ID, "active")])))
        .expect(1)
        .mount(&server)
        .await;
    for m in ["GET", "DELETE"] {
        expect_bodyless(m, &format!("{zone_at}/{AOP_CERT_ID}"), Auth::Token)
            .respond_with(ok(zone_aop_json(AOP_CERT_ID, "active")))
            .expect(1)
            .mount(&server)
            .await;
        expect_bodyless(m, &format!("{hosts_at}/{HOSTNAME_CERT_ID}"), Auth::Token)
            .respond_with(ok(hostname_certificate_json(HOSTNAME_CERT_ID, "active")))
            .expect(1)
            .mount(&server)
            .await;
    }
    expect_json("POST", &hosts_at, Auth::Token, upload_body())
        .respond_with(ok(hostname_certificate_json(HOSTNAME_CERT_ID, "active")))
        .expect(1)
        .mount(&server)
        .await;
    expect_plain("GET", &hosts_at, Auth::Token)
        .respond_with(ok(json!([hostname_certificate_json(
            HOSTNAME_CERT_ID,
            "active"
        )])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let aop = client.origin_tls_client_auth();
    let body = OriginPullCertificateCreate::new(PEM, PRIVATE_KEY);
    assert_eq!(
        aop.create(ZONE_ID, &body).await.unwrap().id.as_deref(),
        Some(AOP_CERT_ID)
    );
    assert_eq!(aop.list(ZONE_ID).await.unwrap().len(), 1);
    aop.get(ZONE_ID, AOP_CERT_ID).await.unwrap();
    aop.delete(ZONE_ID, AOP_CERT_ID).await.unwrap();
    let old = aop.hostnames().certificates();
    let body = HostnameCertificateCreate::new(PEM, PRIVATE_KEY);
    old.create(ZONE_ID, &body).await.unwrap();
    let listed: Vec<HostnameCertificate> = old.list(ZONE_ID).await.unwrap();
    assert_eq!(listed.len(), 1);
    old.get(ZONE_ID, HOSTNAME_CERT_ID).await.unwrap();
    old.delete(ZONE_ID, HOSTNAME_CERT_ID).await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Percent-encoding of path parameters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_with_slash_query_and_fragment_is_one_encoded_segment() {
    let server = serving(
        expect_plain(
            "GET",
            &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/a%2Fb%3Fc%23d"),
            Auth::Token,
        )
        .and(raw_path_is(
            "/accounts/023e105f4ecef8ad9ca31a8372d0c353/mtls_certificates/a%2Fb%3Fc%23d",
        )),
        ok(mtls_certificate_json("a/b?c#d")),
    )
    .await;
    let cert = client(&server)
        .mtls_certificates()
        .get(ACCOUNT_ID, "a/b?c#d")
        .await
        .expect("get succeeds");
    assert_eq!(cert.id.as_deref(), Some("a/b?c#d"));
}

#[tokio::test]
async fn path_parameter_with_dot_dot_slashes_stays_in_its_segment() {
    let server = serving(
        expect_bodyless(
            "DELETE",
            &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/..%2F..%2Fzones%2Fx"),
            Auth::Token,
        ),
        ok(mtls_certificate_json("x")),
    )
    .await;
    let client = client(&server);
    client
        .mtls_certificates()
        .delete(ACCOUNT_ID, "../../zones/x")
        .await
        .expect("delete succeeds");
}

#[tokio::test]
async fn scope_id_is_percent_encoded() {
    let cert = plain(
        "GET",
        "/zones/a%2Fb%3Fc%23d/access/certificates/..%2F..%2Faccounts%2Fx",
        Auth::Token,
    )
    .answered(
        ok(access_certificate_json(ACCESS_CERT_ID, "Allow devs")),
        async |client| {
            access_certificates(client)
                .get(Scope::Zone("a/b?c#d"), "../../accounts/x")
                .await
        },
    )
    .await;
    assert_eq!(cert.id.as_deref(), Some(ACCESS_CERT_ID));
}

#[tokio::test]
async fn path_parameter_with_space_percent_and_unicode_is_encoded() {
    let aop = plain(
        "GET",
        &format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/a%20b%2520%C3%BC.example"),
        Auth::Token,
    )
    .answered(
        ok(json!({ "hostname": "a b%20ü.example", "enabled": false })),
        async |client| {
            client
                .origin_tls_client_auth()
                .hostnames()
                .get(ZONE_ID, "a b%20ü.example")
                .await
        },
    )
    .await;
    assert_eq!(aop.hostname.as_deref(), Some("a b%20ü.example"));
}

/// Asserts that a call of which the server received none of `targets` was refused as an invalid
/// request.
fn assert_refused_if_unsent<T: std::fmt::Debug>(targets: &[String], result: &Result<T, Error>) {
    if targets.is_empty() {
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "nothing was sent, yet the call gave {result:?}"
        );
    }
}

/// Asserts that every request `raw` received stays under `prefix` with one more non-empty segment
/// (the id), and that when none was received the call was refused as an invalid request.
fn assert_stayed_in_segment<T: std::fmt::Debug>(
    raw: &RawServer,
    result: Result<T, Error>,
    prefix: &str,
) {
    let targets = raw.request_targets();
    for target in &targets {
        let rest = target.strip_prefix(prefix).unwrap_or_else(|| {
            panic!("the request escaped its path: expected a target under `{prefix}`, the server received `{target}`")
        });
        assert!(
            !rest.is_empty() && !rest.contains('/') && !rest.contains('\\'),
            "the id is not a single segment: the server received `{target}`"
        );
    }
    assert_refused_if_unsent(&targets, &result);
}

/// A `..` id must never be normalized away (which would send `DELETE /accounts/{id}/`): it must
/// arrive as the certificate's segment, or be refused before sending.
#[tokio::test]
async fn dot_dot_path_parameter_is_not_normalized_away() {
    let raw = RawServer::start(Reply::json(&envelope(mtls_certificate_json(MTLS_CERT_ID))));
    let client = client(&raw);
    let result = client.mtls_certificates().delete(ACCOUNT_ID, "..").await;
    assert_stayed_in_segment(
        &raw,
        result,
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/"),
    );
}

/// A `.` id must not be dropped (which would turn a get into a list).
#[tokio::test]
async fn single_dot_path_parameter_is_not_normalized_away() {
    let raw = RawServer::start(Reply::json(&envelope(mtls_certificate_json(MTLS_CERT_ID))));
    let client = client(&raw);
    let result = client.mtls_certificates().get(ACCOUNT_ID, ".").await;
    assert_stayed_in_segment(
        &raw,
        result,
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/"),
    );
}

/// A `..` scope id must not walk up to `/access/certificates/…`.
#[tokio::test]
async fn dot_dot_scope_id_is_not_normalized_away() {
    let raw = RawServer::start(Reply::json(&envelope(access_certificate_json(
        ACCESS_CERT_ID,
        "Allow devs",
    ))));
    let result = client(&raw)
        .access()
        .certificates()
        .get(Scope::Account(".."), ACCESS_CERT_ID)
        .await;
    let targets = raw.request_targets();
    for target in &targets {
        assert!(
            target.starts_with("/accounts/")
                && target.ends_with(&format!("/access/certificates/{ACCESS_CERT_ID}")),
            "the request escaped its path: the server received `{target}`"
        );
        assert_eq!(
            target.split('/').count(),
            5,
            "the scope id is not a single segment: `{target}`"
        );
    }
    assert_refused_if_unsent(&targets, &result);
}

/// A backslash is a path separator to URL parsers for http(s) (WHATWG), so an unencoded `\` lets an
/// id walk the path: `..\..\..\zones\x` would send `DELETE /zones/x`. It must be encoded (`%5C`).
#[tokio::test]
async fn backslash_in_path_parameter_is_encoded() {
    let raw = RawServer::start(Reply::json(&envelope(mtls_certificate_json(MTLS_CERT_ID))));
    let result = client(&raw)
        .mtls_certificates()
        .delete(ACCOUNT_ID, "..\\..\\..\\zones\\x")
        .await;
    assert_stayed_in_segment(
        &raw,
        result,
        &format!("/accounts/{ACCOUNT_ID}/mtls_certificates/"),
    );
}
