//! End-to-end tests of every generated operation against a local HTTP server: HTTP method, exact
//! path, percent-encoding of path parameters, credentials headers, query parameters, exact request
//! body, envelope unwrapping and the decoded result (wiremock, each request matched exactly);
//! pagination (`Page`, `list_all`) over several pages of the library's stand-in
//! (`cloudflare_mtls::testing`). Servers that page oddly are in `paging`.

use chrono::{DateTime, Utc};
use cloudflare_mtls::resources::{
    AccessCertificatesResource, OriginTlsClientAuthHostnameCertificatesResource,
    OriginTlsClientAuthZoneCertificatesResource,
};
use cloudflare_mtls::testing::{csr, RecordedRequest, Seed, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Error, FromBody, Nullable, Page, Scope};
use cloudflare_mtls_test_support::*;
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Match, Mock, MockBuilder, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Fixtures (shapes and examples from spec/cloudflare-mtls.json)
// ---------------------------------------------------------------------------------------------

/// The certificate every upload sends, and every certificate of the fixtures holds.
const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQEL\n-----END CERTIFICATE-----\n";

/// The uploaded certificates' signature algorithm.
const SIGNATURE: &str = "SHA256WithRSA";

pub(crate) const ACCESS_CERT_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";

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

/// The two hostnames of [`access_certificate_json`].
fn access_hostnames() -> Vec<String> {
    vec!["admin.example.com".into(), "dev.example.com".into()]
}

fn assert_access_certificate(c: &AccessCertificate, id: &str, name: &str) {
    assert_eq!(c.id.as_deref(), Some(id));
    assert_eq!(c.name.as_deref(), Some(name));
    assert_eq!(c.associated_hostnames, Some(access_hostnames()));
    assert_eq!(
        [c.created_at, c.expires_on, c.updated_at],
        [
            Some(utc(2014, 1, 1, 5, 20, 0, 123_450_000)),
            Some(utc(2034, 1, 1, 5, 20, 0, 0)),
            Some(utc(2014, 1, 2, 5, 20, 0, 123_450_000)),
        ]
    );
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

/// The settings of [`hostname_settings_json`].
fn hostname_settings() -> Vec<AccessCertificateSettings> {
    vec![
        AccessCertificateSettings::new(false, true, "admin.example.com"),
        AccessCertificateSettings::new(true, false, "dev.example.com"),
    ]
}

pub(crate) const MTLS_CERT_ID: &str = "2458ce5a0c354c7f82c78e9487d3ff60";

/// The issuer and serial number of [`mtls_certificate_json`].
const MTLS_ISSUER: &str = "O=Example Inc.,L=California,ST=San Francisco,C=US";
const MTLS_SERIAL: &str = "235217144297995885180570755458463043449861756659";

pub(crate) fn mtls_certificate_json(id: &str) -> Value {
    json!({
        "id": id,
        "ca": true,
        "certificates": PEM,
        "expires_on": "2122-10-29T16:59:47Z",
        "issuer": MTLS_ISSUER,
        "name": "example_ca_cert",
        "serial_number": MTLS_SERIAL,
        "signature": SIGNATURE,
        "uploaded_on": "2022-11-22T17:32:30.467938Z"
    })
}

/// The expiry and upload time of [`mtls_certificate_json`].
fn mtls_dates() -> [Option<DateTime<Utc>>; 2] {
    [
        Some(utc(2122, 10, 29, 16, 59, 47, 0)),
        Some(utc(2022, 11, 22, 17, 32, 30, 467_938_000)),
    ]
}

pub(crate) fn assert_mtls_certificate(c: &MtlsCertificate, id: &str) {
    assert_eq!((c.id.as_deref(), c.ca), (Some(id), Some(true)));
    assert_eq!(
        [c.certificates.as_deref(), c.issuer.as_deref()],
        [Some(PEM), Some(MTLS_ISSUER)]
    );
    assert_eq!(
        [
            c.name.as_deref(),
            c.serial_number.as_deref(),
            c.signature.as_deref()
        ],
        [Some("example_ca_cert"), Some(MTLS_SERIAL), Some(SIGNATURE)]
    );
    assert_eq!([c.expires_on, c.uploaded_on], mtls_dates());
}

pub(crate) const CLIENT_CERT_ID: &str = "b0a8b6c6e2cf4bd5a3ad5a5d2f3c3a11";

/// The CSR of [`client_certificate_json`], and the one client certificates are created from.
const CSR: &str =
    "-----BEGIN CERTIFICATE REQUEST-----\nMIICY...\n-----END CERTIFICATE REQUEST-----\n";

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
        "signature": SIGNATURE,
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
        [ca.id.as_deref(), ca.name.as_deref()],
        [
            Some("568b6b74-7b0c-4755-8840-4e3b8c24adeb"),
            Some("Cloudflare Managed CA for account")
        ]
    );
    // Plain strings, as in Cloudflare's document (no `format: date-time` for client certificates).
    assert_eq!(
        [c.expires_on.as_deref(), c.issued_on.as_deref()],
        [Some("2033-02-20T23:18:00Z"), Some("2023-02-23T23:18:00Z")]
    );
    // The subject of the certificate, then what identifies it.
    let subject = [
        &c.common_name,
        &c.country,
        &c.location,
        &c.organization,
        &c.organizational_unit,
        &c.state,
    ];
    assert_eq!(
        subject.map(|field| field.as_deref()),
        [
            Some("Cloudflare"),
            Some("US"),
            Some("Somewhere"),
            Some("Organization"),
            Some("Organizational Unit"),
            Some("CA")
        ]
    );
    let identity = [
        &c.csr,
        &c.fingerprint_sha256,
        &c.serial_number,
        &c.signature,
        &c.ski,
    ];
    assert_eq!(
        identity.map(|field| field.as_deref()),
        [
            Some(CSR),
            Some("256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea"),
            Some("3bb94ff144ac567b9f75ad664b6c55f8d5e48182"),
            Some(SIGNATURE),
            Some("8e375af1389a069a0f921f8cc8e1eb12d784b949")
        ]
    );
    assert_eq!(c.validity_days, Some(3650));
}

/// The key uploaded with [`PEM`].
const PRIVATE_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwQHoetcl9+5ikGzV6cMzWtWPJHqXT3wpbEkRU9Yz7lgvddmG\n-----END RSA PRIVATE KEY-----\n";

/// The body that uploads [`PEM`] with [`PRIVATE_KEY`] (zone and hostname origin-pull certificates).
fn upload_body() -> Value {
    json!({ "certificate": PEM, "private_key": PRIVATE_KEY })
}

/// What an origin-pull certificate holds of its upload: id, state, the certificate and signature
/// texts, and the expiry and upload times.
type Upload<'c, S> = (
    Option<&'c str>,
    Option<S>,
    [Option<&'c str>; 2],
    [Option<DateTime<Utc>>; 2],
);

/// Checks what every origin-pull certificate of the fixtures holds of its upload: `id` in the state
/// `status`, [`PEM`], [`SIGNATURE`], expiring 2100-01-01 and uploaded 2019-10-28.
fn assert_origin_pull_upload<S: PartialEq + std::fmt::Debug>(
    got: Upload<'_, S>,
    id: &str,
    status: S,
) {
    let uploaded = [
        Some(utc(2100, 1, 1, 5, 20, 0, 0)),
        Some(utc(2019, 10, 28, 18, 11, 23, 374_110_000)),
    ];
    let texts = [Some(PEM), Some(SIGNATURE)];
    assert_eq!(got, (Some(id), Some(status), texts, uploaded));
}

const AOP_CERT_ID: &str = "8e375af1389a069a0f921f8cc8e1eb12";

fn zone_aop_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": PEM,
        "expires_on": "2100-01-01T05:20:00Z",
        "issuer": "GlobalSign",
        "signature": SIGNATURE,
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
    let texts = [c.certificate.as_deref(), c.signature.as_deref()];
    let dates = [c.expires_on, c.uploaded_on];
    assert_origin_pull_upload(
        (c.id.as_deref(), c.status.clone(), texts, dates),
        id,
        status,
    );
    assert_eq!(c.issuer.as_deref(), Some("GlobalSign"));
    assert_eq!((c.enabled, c.private_key.as_deref()), (Some(true), None));
}

const HOSTNAME_CERT_ID: &str = "2458ce5a-0c35-4c7f-82c7-8e9487d3ff60";

/// The serial number of the hostnames' origin-pull certificates.
const HOSTNAME_SERIAL: &str = "6743787633689793699141714808227354901";

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
        "serial_number": HOSTNAME_SERIAL,
        "signature": SIGNATURE,
        "status": "pending_deployment",
        "updated_at": "2100-01-02T05:20:00Z"
    })
}

/// Checks what [`hostname_aop_json`] says of `hostname` (`enabled`), but its id, in each type that
/// holds it; given as its texts (certificate id, certificate, hostname, issuer, serial number,
/// signature), its `enabled`, its certificate's state and its own, and its dates (certificate
/// updated and uploaded, created, expires, updated).
fn assert_hostname_origin_pull(
    (hostname, enabled): (&str, bool),
    (texts, got_enabled): ([&Option<String>; 6], Option<bool>),
    statuses: [Option<HostnameCertificateStatus>; 2],
    dates: [Option<DateTime<Utc>>; 5],
) {
    let id = HOSTNAME_CERT_ID.replace('-', "");
    assert_eq!(
        texts.map(|t| t.as_deref()),
        [
            Some(id.as_str()),
            Some(PEM),
            Some(hostname),
            Some("GlobalSign"),
            Some(HOSTNAME_SERIAL),
            Some(SIGNATURE)
        ]
    );
    assert_eq!(got_enabled, Some(enabled), "{hostname}");
    assert_eq!(
        statuses,
        [
            Some(HostnameCertificateStatus::Active),
            Some(HostnameCertificateStatus::PendingDeployment)
        ]
    );
    let (day, next_day) = (utc(2100, 1, 1, 5, 20, 0, 0), utc(2100, 1, 2, 5, 20, 0, 0));
    let uploaded = utc(2019, 10, 28, 18, 11, 23, 374_110_000);
    assert_eq!(dates, [day, uploaded, day, day, next_day].map(Some));
}

fn assert_hostname_aop(c: &HostnameAuthenticatedOriginPull, hostname: &str, enabled: bool) {
    assert_eq!(c.id, Some(HOSTNAME_CERT_ID.replace('-', "")));
    assert_hostname_origin_pull(
        (hostname, enabled),
        (
            [
                &c.cert_id,
                &c.certificate,
                &c.hostname,
                &c.issuer,
                &c.serial_number,
                &c.signature,
            ],
            c.enabled,
        ),
        [c.cert_status.clone(), c.status.clone()],
        [
            c.cert_updated_at,
            c.cert_uploaded_on,
            c.created_at,
            c.expires_on,
            c.updated_at,
        ],
    );
}

fn hostname_certificate_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": PEM,
        "expires_on": "2100-01-01T05:20:00Z",
        "issuer": "DigiCertInc",
        "serial_number": HOSTNAME_SERIAL,
        "signature": SIGNATURE,
        "status": status,
        "uploaded_on": "2019-10-28T18:11:23.37411Z"
    })
}

/// A hostname's certificate of the fixtures: [`assert_origin_pull_upload`], issued by DigiCert
/// with [`HOSTNAME_SERIAL`].
fn assert_hostname_certificate(
    c: &HostnameCertificate,
    id: &str,
    status: HostnameCertificateStatus,
) {
    let upload = (
        c.id.as_deref(),
        c.status.clone(),
        [c.certificate.as_deref(), c.signature.as_deref()],
        [c.expires_on, c.uploaded_on],
    );
    assert_origin_pull_upload(upload, id, status);
    assert_eq!(
        [c.issuer.as_deref(), c.serial_number.as_deref()],
        [Some("DigiCertInc"), Some(HOSTNAME_SERIAL)]
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

    /// [`Expected::answered`] with the certificate `fixture` gives for `id` in the state `answered`,
    /// checked by the fixture to decode as it, in the state `status`.
    async fn answered_as<T, S>(
        self,
        (json, check): Fixture<T, S>,
        (id, answered, status): (&str, &str, S),
        call: impl AsyncFnOnce(&Client) -> Result<T, Error>,
    ) {
        check(
            &self.answered(ok(json(id, answered)), call).await,
            id,
            status,
        );
    }

    /// [`Expected::answered`] with one page of the certificates `fixture` gives for each `(id,
    /// answered, status)` of `certs`, checked by the fixture to decode in order, each in its
    /// `status`.
    async fn listed_as<T, S, const N: usize>(
        self,
        (json, check): Fixture<T, S>,
        certs: [(&str, &str, S); N],
        call: impl AsyncFnOnce(&Client) -> Result<Vec<T>, Error>,
    ) {
        let items: Vec<Value> = certs.iter().map(|(id, state, _)| json(id, state)).collect();
        let info =
            json!({ "page": 1, "per_page": 20, "count": N, "total_count": N, "total_pages": 1 });
        let listed = self.answered(ok_page(Value::from(items), info), call).await;
        assert_eq!(listed.len(), N);
        for (item, (id, _, status)) in listed.iter().zip(certs) {
            check(item, id, status);
        }
    }

    /// Mounts this request on `server`, answered with `response` and expected exactly once (for
    /// the tests of several requests).
    async fn mount(self, server: &MockServer, response: ResponseTemplate) {
        self.mock
            .respond_with(response)
            .expect(1)
            .mount(server)
            .await;
    }
}

/// A certificate of the fixtures: its JSON for an id in a state, and the check that a value
/// decoded from it has that id and (decoded) state.
type Fixture<T, S> = (fn(&str, &str) -> Value, fn(&T, &str, S));

/// [`mtls_certificate_json`] (which has no state) and [`assert_mtls_certificate`].
const MTLS_CERTIFICATE: Fixture<MtlsCertificate, ()> = (
    |id, _| mtls_certificate_json(id),
    |c, id, ()| assert_mtls_certificate(c, id),
);
const CLIENT_CERTIFICATE: Fixture<ClientCertificate, ClientCertificateStatus> =
    (client_certificate_json, assert_client_certificate);
const ZONE_AOP: Fixture<ZoneAuthenticatedOriginPull, ZoneAuthenticatedOriginPullStatus> =
    (zone_aop_json, assert_zone_aop);
const HOSTNAME_CERTIFICATE: Fixture<HostnameCertificate, HostnameCertificateStatus> =
    (hostname_certificate_json, assert_hostname_certificate);

/// How a test expects a request: [`plain`] or [`bodyless`], with the method and credentials.
type ExpectedAs<'m> = (fn(&str, &str, Auth) -> Expected, &'m str, Auth);

/// One certificate of a collection: its fixture, the path of its collection with a given rest
/// (`/{id}`), and its id.
type OneCertificate<'i, T, S> = (Fixture<T, S>, fn(&str) -> String, &'i str);

/// The test of a get or a delete of one certificate: the request `expected` at the certificate
/// `id` under the collection `at`, answered with the `fixture` of it in the state `answered`, and
/// checked by the fixture to decode in the state `status`.
async fn by_id<T: FromBody + Send, S>(
    (expect, method, auth): ExpectedAs<'_>,
    (fixture, at, id): OneCertificate<'_, T, S>,
    (answered, status): (&str, S),
    call: for<'c> fn(&'c Client) -> Call<'c, T>,
) {
    expect(method, &at(&format!("/{id}")), auth)
        .answered_as(fixture, (id, answered, status), async |client| {
            call(client).await
        })
        .await;
}

/// A `#[tokio::test]` of the get or delete of one certificate for each row ([`by_id`]): how the
/// request is expected, the certificate, the state it is answered in and decodes to, the call.
macro_rules! by_id_tests {
    ($($test:ident: $expected:expr, $one:expr, $answered:expr, $call:expr;)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                by_id($expected, $one, $answered, $call).await;
            }
        )*
    };
}

/// The certificates the get and delete tests fetch: [`MTLS_CERT_ID`] and its peers.
const ONE_MTLS: OneCertificate<MtlsCertificate, ()> = (MTLS_CERTIFICATE, mtls_at, MTLS_CERT_ID);
const ONE_CLIENT: OneCertificate<ClientCertificate, ClientCertificateStatus> =
    (CLIENT_CERTIFICATE, client_certificates_at, CLIENT_CERT_ID);
const ONE_ZONE_AOP: OneCertificate<ZoneAuthenticatedOriginPull, ZoneAuthenticatedOriginPullStatus> =
    (ZONE_AOP, zone_aop_at, AOP_CERT_ID);
const ONE_HOSTNAME: OneCertificate<HostnameCertificate, HostnameCertificateStatus> = (
    HOSTNAME_CERTIFICATE,
    hostname_certificates_at,
    HOSTNAME_CERT_ID,
);

// The deletes of mTLS and origin-pull certificates send no body: Cloudflare takes none (its SDKs
// send none). A client certificate's delete revokes it.
by_id_tests! {
    mtls_certificates_get: (plain, "GET", Auth::KeyAndEmail), ONE_MTLS, ("", ()),
        |c| c.mtls_certificates().get(ACCOUNT_ID, MTLS_CERT_ID);
    mtls_certificates_delete: (bodyless, "DELETE", Auth::KeyAndEmail), ONE_MTLS, ("", ()),
        |c| c.mtls_certificates().delete(ACCOUNT_ID, MTLS_CERT_ID);
    client_certificates_get: (plain, "GET", Auth::Token), ONE_CLIENT,
        ("active", ClientCertificateStatus::Active),
        |c| c.client_certificates().get(ZONE_ID, CLIENT_CERT_ID);
    client_certificates_delete_revokes: (plain, "DELETE", Auth::Token), ONE_CLIENT,
        ("pending_revocation", ClientCertificateStatus::PendingRevocation),
        |c| c.client_certificates().delete(ZONE_ID, CLIENT_CERT_ID);
    origin_tls_client_auth_get: (plain, "GET", Auth::Token), ONE_ZONE_AOP,
        ("pending_deployment", ZoneAuthenticatedOriginPullStatus::PendingDeployment),
        |c| zone_aop_certificates(c).get(ZONE_ID, AOP_CERT_ID);
    origin_tls_client_auth_delete: (bodyless, "DELETE", Auth::Token), ONE_ZONE_AOP,
        ("pending_deletion", ZoneAuthenticatedOriginPullStatus::PendingDeletion),
        |c| zone_aop_certificates(c).delete(ZONE_ID, AOP_CERT_ID);
    origin_tls_client_auth_hostnames_certificates_get: (plain, "GET", Auth::Token), ONE_HOSTNAME,
        ("active", HostnameCertificateStatus::Active),
        |c| hostname_aop_certificates(c).get(ZONE_ID, HOSTNAME_CERT_ID);
    origin_tls_client_auth_hostnames_certificates_delete:
        (bodyless, "DELETE", Auth::KeyAndEmail), ONE_HOSTNAME,
        ("pending_deletion", HostnameCertificateStatus::PendingDeletion),
        |c| hostname_aop_certificates(c).delete(ZONE_ID, HOSTNAME_CERT_ID);
}

/// A `#[tokio::test]` of the list of a collection for each row ([`Expected::listed_as`]): the
/// request expected, the certificates' fixture, the page of certificates (id, state answered and
/// decoded), the call.
macro_rules! list_tests {
    ($($test:ident: $expected:expr, $fixture:expr, $certs:expr, $call:expr;)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                $expected.listed_as($fixture, $certs, $call).await;
            }
        )*
    };
}

// A hostname certificate list's items are the certificate type that get and create return.
list_tests! {
    origin_tls_client_auth_list_with_user_service_key:
        plain("GET", &zone_aop_at(""), Auth::ServiceKey), ZONE_AOP,
        [
            (AOP_CERT_ID, "active", ZoneAuthenticatedOriginPullStatus::Active),
            ("9e375af1389a069a0f921f8cc8e1eb13", "deleted", ZoneAuthenticatedOriginPullStatus::Deleted),
        ],
        async |c| zone_aop_certificates(c).list(ZONE_ID).await;
    origin_tls_client_auth_hostnames_certificates_list:
        plain("GET", &hostname_certificates_at(""), Auth::Token), HOSTNAME_CERTIFICATE,
        [
            (HOSTNAME_CERT_ID, "active", HostnameCertificateStatus::Active),
            ("3458ce5a-0c35-4c7f-82c7-8e9487d3ff61", "pending_deletion",
                HostnameCertificateStatus::PendingDeletion),
        ],
        async |c| hostname_aop_certificates(c).list(ZONE_ID).await;
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

/// The path of the scope's access certificates, with `rest` after it (`""` or `/…`).
fn access_at(scope: Scope<'_>, rest: &str) -> String {
    format!("{}/access/certificates{rest}", scoped_prefix(scope))
}

async fn access_certificates_list(scope: Scope<'static>) {
    let page: Page<AccessCertificate> = request("GET", &access_at(scope, ""), Auth::Token)
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
                let params = AccessCertificateListParams::new().page(2).per_page(2);
                access_certificates(client).list(scope, params).await
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
    assert_eq!(
        [info.page, info.per_page, info.count],
        [Some(2), Some(2), Some(2)]
    );
    assert_eq!((info.total_count, info.total_pages), (Some(5), Some(3)));
}

in_both_scopes!(access_certificates_list => access_certificates_list);

async fn access_certificates_list_default_params(scope: Scope<'static>) {
    let page = plain("GET", &access_at(scope, ""), Auth::Token)
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
    let at = access_at(scope, "");
    assert!(requests.iter().all(|r| r.method == "GET" && r.path == at));
}

in_both_scopes!(access_certificates_list_all_three_pages => access_certificates_list_all);

async fn access_certificates_get(scope: Scope<'static>) {
    let at = access_at(scope, &format!("/{ACCESS_CERT_ID}"));
    let cert = plain("GET", &at, Auth::Token)
        .answered(
            ok(access_certificate_json(ACCESS_CERT_ID, "Allow devs")),
            async |client| access_certificates(client).get(scope, ACCESS_CERT_ID).await,
        )
        .await;
    assert_access_certificate(&cert, ACCESS_CERT_ID, "Allow devs");
}

in_both_scopes!(access_certificates_get => access_certificates_get);

/// The access certificate "Allow devs" of [`PEM`] created in `scope` with `body` sent, from `create`.
async fn access_certificate_created(
    scope: Scope<'static>,
    auth: Auth,
    body: Value,
    create: AccessCertificateCreate,
) -> AccessCertificate {
    with_json("POST", &access_at(scope, ""), auth, body)
        .answered(
            ok_with_status(201, access_certificate_json(ACCESS_CERT_ID, "Allow devs")),
            async |client| access_certificates(client).create(scope, &create).await,
        )
        .await
}

async fn access_certificates_create(scope: Scope<'static>, auth: Auth) {
    let body = json!({
        "name": "Allow devs",
        "certificate": PEM,
        "associated_hostnames": ["admin.example.com", "dev.example.com"]
    });
    let create =
        AccessCertificateCreate::new(PEM, "Allow devs").associated_hostnames(access_hostnames());
    let cert = access_certificate_created(scope, auth, body, create).await;
    assert_access_certificate(&cert, ACCESS_CERT_ID, "Allow devs");
}

#[tokio::test]
async fn access_certificates_create_account() {
    access_certificates_create(account(), Auth::Token).await;
}

#[tokio::test]
async fn access_certificates_create_zone_with_key_and_email() {
    access_certificates_create(zone(), Auth::KeyAndEmail).await;
}

#[tokio::test]
async fn access_certificates_create_omits_unset_optional_fields() {
    let body = json!({ "name": "Allow devs", "certificate": PEM });
    let create = AccessCertificateCreate::new(PEM, "Allow devs");
    let cert = access_certificate_created(zone(), Auth::Token, body, create).await;
    assert_eq!(cert.id.as_deref(), Some(ACCESS_CERT_ID));
}

async fn access_certificates_update(scope: Scope<'static>) {
    let update = AccessCertificateUpdate::new(access_hostnames()).name("Allow ops");
    let cert = with_json(
        "PUT",
        &access_at(scope, &format!("/{ACCESS_CERT_ID}")),
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
    // The spec's request body for this delete is optional and schemaless: none is sent.
    let at = access_at(scope, &format!("/{ACCESS_CERT_ID}"));
    let deleted = plain("DELETE", &at, Auth::Token)
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
    let settings = plain("GET", &access_at(scope, "/settings"), Auth::Token)
        .answered(ok(hostname_settings_json()), async |client| {
            access_certificates(client).settings().get(scope).await
        })
        .await;
    assert_eq!(settings, hostname_settings());
}

in_both_scopes!(access_certificates_settings_get => access_certificates_settings_get);

async fn access_certificates_settings_update(scope: Scope<'static>) {
    let body = json!({ "settings": hostname_settings_json() });
    let update = AccessCertificateSettingsUpdate::new(hostname_settings());
    let settings = with_json("PUT", &access_at(scope, "/settings"), Auth::Token, body)
        .answered(
            ok_with_status(202, hostname_settings_json()),
            async |client| {
                access_certificates(client)
                    .settings()
                    .update(scope, &update)
                    .await
            },
        )
        .await;
    assert_eq!(settings, hostname_settings());
}

in_both_scopes!(access_certificates_settings_update => access_certificates_settings_update);

// ---------------------------------------------------------------------------------------------
// mtls_certificates and mtls_certificates.associations (account)
// ---------------------------------------------------------------------------------------------

/// The path of the account's mTLS certificates, with `rest` after it (`""` or `/…`).
fn mtls_at(rest: &str) -> String {
    format!("/accounts/{ACCOUNT_ID}/mtls_certificates{rest}")
}

#[tokio::test]
async fn mtls_certificates_list() {
    let certs = plain("GET", &mtls_at(""), Auth::KeyAndEmail)
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

/// The type filter is a list, sent as one `type` key per value (OpenAPI's form/explode, as
/// Cloudflare's SDKs send it); `type` in a certificate decodes, and a type this version does not
/// know is kept.
#[tokio::test]
async fn mtls_certificates_list_by_types() {
    let mut managed = mtls_certificate_json(MTLS_CERT_ID);
    managed["type"] = json!("gateway_managed");
    let mut future = mtls_certificate_json("3458ce5a0c354c7f82c78e9487d3ff61");
    future["type"] = json!("partner_managed");
    let types = vec![
        MtlsCertificateType::Custom,
        MtlsCertificateType::GatewayManaged,
        MtlsCertificateType::Unknown("partner_managed".into()),
    ];
    let certs = request("GET", &mtls_at(""), Auth::KeyAndEmail)
        .and(query_is(
            "type=custom&type=gateway_managed&type=partner_managed",
        ))
        .and(no_body())
        .answered(ok(json!([managed, future])), async |client| {
            let params = MtlsCertificateListParams::default().type_(types);
            client.mtls_certificates().list(ACCOUNT_ID, params).await
        })
        .await;
    assert_eq!(certs[0].type_, Some(MtlsCertificateType::GatewayManaged));
    assert_eq!(
        certs[1].type_,
        Some(MtlsCertificateType::Unknown("partner_managed".into()))
    );
}

/// One type is one key; an empty list sends no `type` at all.
#[tokio::test]
async fn mtls_certificates_list_by_one_type_and_by_none() {
    let one = request("GET", &mtls_at(""), Auth::Token).and(query_is("type=access_managed"));
    let none = plain("GET", &mtls_at(""), Auth::Token);
    for (expected, types) in [
        (one, vec![MtlsCertificateType::AccessManaged]),
        (none, Vec::new()),
    ] {
        let listed = expected
            .answered(ok(json!([])), async |client| {
                let params = MtlsCertificateListParams::new().type_(types);
                client.mtls_certificates().list(ACCOUNT_ID, params).await
            })
            .await;
        assert!(listed.is_empty());
    }
}

#[tokio::test]
async fn mtls_certificates_create() {
    let mut uploaded = mtls_certificate_json(MTLS_CERT_ID);
    uploaded["updated_at"] = json!("2022-11-22T17:32:31Z");
    let create = MtlsCertificateCreate::new(true, PEM)
        .name("example_ca_cert")
        .private_key(PRIVATE_KEY);
    let cert = with_json(
        "POST",
        &mtls_at(""),
        Auth::KeyAndEmail,
        json!({ "ca": true, "certificates": PEM, "name": "example_ca_cert", "private_key": PRIVATE_KEY }),
    )
    .answered(ok(uploaded), async |client| {
        client.mtls_certificates().create(ACCOUNT_ID, &create).await
    })
    .await;
    assert_eq!(
        (cert.id.as_deref(), cert.ca),
        (Some(MTLS_CERT_ID), Some(true))
    );
    assert_eq!(
        [cert.name.as_deref(), cert.serial_number.as_deref()],
        [Some("example_ca_cert"), Some(MTLS_SERIAL)]
    );
    assert_eq!([cert.expires_on, cert.uploaded_on], mtls_dates());
    assert_eq!(cert.updated_at, Some(utc(2022, 11, 22, 17, 32, 31, 0)));
}

#[tokio::test]
async fn mtls_certificates_create_without_optional_fields() {
    let body = json!({ "ca": false, "certificates": PEM });
    let cert = with_json("POST", &mtls_at(""), Auth::Token, body)
        .answered(ok(mtls_certificate_json(MTLS_CERT_ID)), async |client| {
            let create = MtlsCertificateCreate::new(false, PEM);
            client.mtls_certificates().create(ACCOUNT_ID, &create).await
        })
        .await;
    assert_eq!(cert.id.as_deref(), Some(MTLS_CERT_ID));
}

/// The associations of [`MTLS_CERT_ID`], from a server that answers `associations`.
async fn mtls_certificate_associations(associations: Value) -> Vec<MtlsCertificateAssociation> {
    let at = mtls_at(&format!("/{MTLS_CERT_ID}/associations"));
    plain("GET", &at, Auth::Token)
        .answered(ok(associations), async |client| {
            let associations = client.mtls_certificates().associations();
            associations.list(ACCOUNT_ID, MTLS_CERT_ID).await
        })
        .await
}

#[tokio::test]
async fn mtls_certificates_associations_list() {
    let associations = mtls_certificate_associations(json!([
        { "service": "gateway", "status": "pending_deployment" },
        { "service": "access", "status": "active" }
    ]))
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
    assert!(mtls_certificate_associations(json!([])).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// client_certificates (zone)
// ---------------------------------------------------------------------------------------------

/// The path of the zone's client certificates, with `rest` after it (`""` or `/…`).
fn client_certificates_at(rest: &str) -> String {
    format!("/zones/{ZONE_ID}/client_certificates{rest}")
}

/// The one page of two client certificates, `first` and `second` in their states, that the
/// list tests answer.
fn client_certificates_page(first: (&str, &str), second: (&str, &str)) -> ResponseTemplate {
    ok_page(
        json!([
            client_certificate_json(first.0, first.1),
            client_certificate_json(second.0, second.1)
        ]),
        json!({ "page": 1, "per_page": 20, "count": 2, "total_count": 2, "total_pages": 1 }),
    )
}

#[tokio::test]
async fn client_certificates_list() {
    let params = ClientCertificateListParams::new()
        .status(ClientCertificateStatusFilter::PendingRevocation)
        .page(1)
        .per_page(20)
        .limit(10)
        .offset(5);
    let page = request("GET", &client_certificates_at(""), Auth::Token)
        .and(query_is(
            "status=pending_revocation&page=1&per_page=20&limit=10&offset=5",
        ))
        .and(no_body())
        .answered(
            client_certificates_page(
                (CLIENT_CERT_ID, "pending_revocation"),
                ("c0a8b6c6e2cf4bd5a3ad5a5d2f3c3a12", "pending_revocation"),
            ),
            async |client| client.client_certificates().list(ZONE_ID, params).await,
        )
        .await;
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
    let params = ClientCertificateListParams::new().status(ClientCertificateStatusFilter::All);
    let page = request("GET", &client_certificates_at(""), Auth::Token)
        .and(query_is("status=all"))
        .answered(
            client_certificates_page((CLIENT_CERT_ID, "active"), ("r1", "revoked")),
            async |client| client.client_certificates().list(ZONE_ID, params).await,
        )
        .await;
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
    let at = client_certificates_at("");
    let all: Vec<ClientCertificate> = request("GET", &at, Auth::Token)
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
async fn client_certificates_create() {
    let body = json!({ "csr": CSR, "validity_days": 3650 });
    let active = (CLIENT_CERT_ID, "active", ClientCertificateStatus::Active);
    with_json("POST", &client_certificates_at(""), Auth::KeyAndEmail, body)
        .answered_as(CLIENT_CERTIFICATE, active, async |client| {
            let create = ClientCertificateCreate::new(CSR, 3650);
            client.client_certificates().create(ZONE_ID, &create).await
        })
        .await;
}

#[tokio::test]
async fn client_certificates_edit_reactivates() {
    let at = client_certificates_at(&format!("/{CLIENT_CERT_ID}"));
    let body = json!({ "reactivate": true });
    let reactivating = ClientCertificateStatus::PendingReactivation;
    with_json("PATCH", &at, Auth::Token, body)
        .answered_as(
            CLIENT_CERTIFICATE,
            (CLIENT_CERT_ID, "pending_reactivation", reactivating),
            async |client| {
                let edit = ClientCertificateEdit::new().reactivate(true);
                client
                    .client_certificates()
                    .edit(ZONE_ID, CLIENT_CERT_ID, &edit)
                    .await
            },
        )
        .await;
}

// ---------------------------------------------------------------------------------------------
// origin_tls_client_auth (zone-level Authenticated Origin Pulls)
// ---------------------------------------------------------------------------------------------

/// The path of the zone's origin pulls, with `rest` after it (`""` or `/…`).
fn zone_aop_at(rest: &str) -> String {
    format!("/zones/{ZONE_ID}/origin_tls_client_auth{rest}")
}

#[tokio::test]
async fn origin_tls_client_auth_create() {
    let initializing = ZoneAuthenticatedOriginPullStatus::Initializing;
    with_json("POST", &zone_aop_at(""), Auth::KeyAndEmail, upload_body())
        .answered_as(
            ZONE_AOP,
            (AOP_CERT_ID, "initializing", initializing),
            async |client| {
                let upload = OriginPullCertificateCreate::new(PEM, PRIVATE_KEY);
                zone_aop_certificates(client).create(ZONE_ID, &upload).await
            },
        )
        .await;
}

#[tokio::test]
async fn origin_tls_client_auth_settings_get() {
    let setting = plain("GET", &zone_aop_at("/settings"), Auth::KeyAndEmail)
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
    let body = json!({ "enabled": true });
    let setting = with_json("PUT", &zone_aop_at("/settings"), Auth::Token, body)
        .answered(ok(json!({ "enabled": true })), async |client| {
            let settings = client.origin_tls_client_auth().settings();
            settings
                .update(ZONE_ID, &ZoneSettingUpdate::new(true))
                .await
        })
        .await;
    assert_eq!(setting.enabled, Some(true));
}

// ---------------------------------------------------------------------------------------------
// origin_tls_client_auth.hostnames (per-hostname Authenticated Origin Pulls)
// ---------------------------------------------------------------------------------------------

/// What the hostnames' update sent `body` answers `answer`, for the update of `configs`.
async fn hostname_aop_updated(
    body: Value,
    answer: Value,
    configs: Vec<HostnameOriginPullConfig>,
) -> Vec<HostnameAuthenticatedOriginPull> {
    with_json("PUT", &zone_aop_at("/hostnames"), Auth::Token, body)
        .answered(ok(answer), async |client| {
            let update = HostnameOriginPullUpdate::new(configs);
            client
                .origin_tls_client_auth()
                .hostnames()
                .update(ZONE_ID, &update)
                .await
        })
        .await
}

/// The config of `hostname` with the certificate [`HOSTNAME_CERT_ID`], `enabled` as given.
fn hostname_config(hostname: &str, enabled: impl Into<Nullable<bool>>) -> HostnameOriginPullConfig {
    HostnameOriginPullConfig::new()
        .cert_id(HOSTNAME_CERT_ID)
        .enabled(enabled)
        .hostname(hostname)
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_update() {
    let result = hostname_aop_updated(
        json!({
            "config": [
                { "cert_id": HOSTNAME_CERT_ID, "enabled": true, "hostname": "app.example.com" },
                { "cert_id": HOSTNAME_CERT_ID, "enabled": false, "hostname": "api.example.com" }
            ]
        }),
        json!([
            hostname_aop_json("app.example.com", true),
            hostname_aop_json("api.example.com", false)
        ]),
        vec![
            hostname_config("app.example.com", true),
            hostname_config("api.example.com", false),
        ],
    )
    .await;
    assert_eq!(result.len(), 2);
    assert_hostname_aop(&result[0], "app.example.com", true);
    assert_hostname_aop(&result[1], "api.example.com", false);
}

/// `enabled: null` voids an association ("a null value voids the association"); a config without
/// `enabled` leaves it as it is. Both are sent exactly so.
#[tokio::test]
async fn origin_tls_client_auth_hostnames_update_sends_null_and_leaves_absent_out() {
    let result = hostname_aop_updated(
        json!({
            "config": [
                { "hostname": "app.example.com", "cert_id": HOSTNAME_CERT_ID, "enabled": null },
                { "hostname": "api.example.com", "cert_id": HOSTNAME_CERT_ID }
            ]
        }),
        json!([hostname_aop_json("app.example.com", false)]),
        vec![
            hostname_config("app.example.com", Nullable::Null),
            hostname_config("api.example.com", Nullable::Absent),
        ],
    )
    .await;
    assert_eq!(result.len(), 1);
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_get() {
    let mut status = hostname_aop_json("app.example.com", true);
    status.as_object_mut().unwrap().remove("id");
    let at = zone_aop_at("/hostnames/app.example.com");
    let aop = plain("GET", &at, Auth::Token)
        .answered(ok(status), async |client| {
            let hostnames = client.origin_tls_client_auth().hostnames();
            hostnames.get(ZONE_ID, "app.example.com").await
        })
        .await;
    assert_hostname_origin_pull(
        ("app.example.com", true),
        (
            [
                &aop.cert_id,
                &aop.certificate,
                &aop.hostname,
                &aop.issuer,
                &aop.serial_number,
                &aop.signature,
            ],
            aop.enabled,
        ),
        [aop.cert_status, aop.status],
        [
            aop.cert_updated_at,
            aop.cert_uploaded_on,
            aop.created_at,
            aop.expires_on,
            aop.updated_at,
        ],
    );
}

/// The path of the zone's hostname origin-pull certificates, with `rest` after it (`""` or `/…`).
fn hostname_certificates_at(rest: &str) -> String {
    zone_aop_at(&format!("/hostnames/certificates{rest}"))
}

#[tokio::test]
async fn origin_tls_client_auth_hostnames_certificates_create() {
    let initializing = HostnameCertificateStatus::Initializing;
    with_json(
        "POST",
        &hostname_certificates_at(""),
        Auth::Token,
        upload_body(),
    )
    .answered_as(
        HOSTNAME_CERTIFICATE,
        (HOSTNAME_CERT_ID, "initializing", initializing),
        async |client| {
            let upload = HostnameCertificateCreate::new(PEM, PRIVATE_KEY);
            hostname_aop_certificates(client)
                .create(ZONE_ID, &upload)
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

/// The path of the zone's hostname associations.
fn hostname_associations_at() -> String {
    format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations")
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_get_of_a_ca() {
    let got = request("GET", &hostname_associations_at(), Auth::Token)
        .and(query_is(
            "mtls_certificate_id=b2134436-2555-4acf-be5b-26c48136575e",
        ))
        .and(no_body())
        .answered(
            ok(hostnames_json(&["api.example.com", "admin.example.com"])),
            async |client| {
                let of_ca = HostnameAssociationGetParams::new().mtls_certificate_id(CA_ID);
                let associations = client.certificate_authorities().hostname_associations();
                associations.get(ZONE_ID, of_ca).await
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
    let got = plain("GET", &hostname_associations_at(), Auth::KeyAndEmail)
        .answered(ok(json!({})), async |client| {
            let associations = client.certificate_authorities().hostname_associations();
            associations.get(ZONE_ID, Default::default()).await
        })
        .await;
    assert_eq!(got.hostnames, None);
}

/// The hostnames the update `update`, sent as `body`, binds (the server answers `hostnames`).
async fn hostnames_bound(
    body: Value,
    hostnames: &[&str],
    update: HostnameAssociationUpdate,
) -> Option<Vec<String>> {
    with_json("PUT", &hostname_associations_at(), Auth::Token, body)
        .answered(ok(hostnames_json(hostnames)), async |client| {
            let associations = client.certificate_authorities().hostname_associations();
            associations.update(ZONE_ID, &update).await
        })
        .await
        .hostnames
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_update_binds_to_a_ca() {
    let two = ["api.example.com", "admin.example.com"];
    let update = HostnameAssociationUpdate::new()
        .hostnames(two.map(String::from).to_vec())
        .mtls_certificate_id(CA_ID);
    let body = json!({ "hostnames": two, "mtls_certificate_id": CA_ID });
    let bound = hostnames_bound(body, &two, update).await;
    assert_eq!(bound.map(|h| h.len()), Some(2));
}

/// Unbinding: an empty list for the CA; without `mtls_certificate_id` neither key is sent but the
/// ones set (the managed CA).
#[tokio::test]
async fn certificate_authorities_hostname_associations_update_unbinds_and_managed_ca() {
    let unbind = HostnameAssociationUpdate::new()
        .hostnames(Vec::new())
        .mtls_certificate_id(CA_ID);
    let body = json!({ "hostnames": [], "mtls_certificate_id": CA_ID });
    assert_eq!(hostnames_bound(body, &[], unbind).await, Some(Vec::new()));
    let to_managed = HostnameAssociationUpdate::new().hostnames(vec!["x.example.com".into()]);
    let body = json!({ "hostnames": ["x.example.com"] });
    assert_eq!(
        hostnames_bound(body, &["x.example.com"], to_managed).await,
        Some(vec!["x.example.com".to_string()])
    );
}

#[tokio::test]
async fn certificate_authorities_hostname_associations_error_is_the_api_error() {
    let put = Mock::given(method("PUT")).and(path(hostname_associations_at()));
    let server = serving(put, failing(404, 1418, "mTLS certificate not found")).await;
    let client = client(&server);
    let associations = client.certificate_authorities().hostname_associations();
    let update = HostnameAssociationUpdate::new().mtls_certificate_id(CA_ID);
    let err = associations
        .update(ZONE_ID, &update)
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
    let (zone_at, hosts_at) = (zone_aop_at(""), hostname_certificates_at(""));
    let zone_cert = |state| ok(zone_aop_json(AOP_CERT_ID, state));
    let host_cert = || hostname_certificate_json(HOSTNAME_CERT_ID, "active");
    let uploads = with_json("POST", &zone_at, Auth::Token, upload_body());
    uploads.mount(&server, zone_cert("initializing")).await;
    let listed = ok(json!([zone_aop_json(AOP_CERT_ID, "active")]));
    plain("GET", &zone_at, Auth::Token)
        .mount(&server, listed)
        .await;
    for m in ["GET", "DELETE"] {
        let one = bodyless(m, &format!("{zone_at}/{AOP_CERT_ID}"), Auth::Token);
        one.mount(&server, zone_cert("active")).await;
        let one = bodyless(m, &format!("{hosts_at}/{HOSTNAME_CERT_ID}"), Auth::Token);
        one.mount(&server, ok(host_cert())).await;
    }
    let uploads = with_json("POST", &hosts_at, Auth::Token, upload_body());
    uploads.mount(&server, ok(host_cert())).await;
    let listed = ok(json!([host_cert()]));
    plain("GET", &hosts_at, Auth::Token)
        .mount(&server, listed)
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
    let cert = plain("GET", &mtls_at("/a%2Fb%3Fc%23d"), Auth::Token)
        .and(raw_path_is(
            "/accounts/023e105f4ecef8ad9ca31a8372d0c353/mtls_certificates/a%2Fb%3Fc%23d",
        ))
        .answered(ok(mtls_certificate_json("a/b?c#d")), async |client| {
            client.mtls_certificates().get(ACCOUNT_ID, "a/b?c#d").await
        })
        .await;
    assert_eq!(cert.id.as_deref(), Some("a/b?c#d"));
}

#[tokio::test]
async fn path_parameter_with_dot_dot_slashes_stays_in_its_segment() {
    let at = mtls_at("/..%2F..%2Fzones%2Fx");
    let deleted = bodyless("DELETE", &at, Auth::Token)
        .answered(ok(mtls_certificate_json("x")), async |client| {
            client
                .mtls_certificates()
                .delete(ACCOUNT_ID, "../../zones/x")
                .await
        })
        .await;
    assert_eq!(deleted.id.as_deref(), Some("x"));
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

/// Asserts that `call`, on a client of a raw server that answers an mTLS certificate, stays in
/// its segment under the account's mTLS certificates, or is refused before sending.
async fn mtls_call_stays_in_segment(
    call: impl AsyncFnOnce(&Client) -> Result<MtlsCertificate, Error>,
) {
    let raw = RawServer::start(Reply::json(&envelope(mtls_certificate_json(MTLS_CERT_ID))));
    let result = call(&client(&raw)).await;
    assert_stayed_in_segment(&raw, result, &mtls_at("/"));
}

/// A `..` id must never be normalized away (which would send `DELETE /accounts/{id}/`): it must
/// arrive as the certificate's segment, or be refused before sending.
#[tokio::test]
async fn dot_dot_path_parameter_is_not_normalized_away() {
    mtls_call_stays_in_segment(async |client| {
        client.mtls_certificates().delete(ACCOUNT_ID, "..").await
    })
    .await;
}

/// A `.` id must not be dropped (which would turn a get into a list).
#[tokio::test]
async fn single_dot_path_parameter_is_not_normalized_away() {
    mtls_call_stays_in_segment(async |client| {
        client.mtls_certificates().get(ACCOUNT_ID, ".").await
    })
    .await;
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
    mtls_call_stays_in_segment(async |client| {
        client
            .mtls_certificates()
            .delete(ACCOUNT_ID, "..\\..\\..\\zones\\x")
            .await
    })
    .await;
}
