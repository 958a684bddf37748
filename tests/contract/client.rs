//! Contract tests: every generated operation, sent by the client to Stoplight Prism serving
//! Cloudflare's published OpenAPI document (`../shared/specs/cloudflare-mtls-2024-08-06.json`).
//!
//! Prism validates each request (path, method, parameters, body, security) against Cloudflare's
//! document, answers 2xx with the document's examples when the request is valid, and reports what is
//! wrong in an `sl-violations` response header (and a 4xx) when it is not. So a green run means:
//! every request this client builds is one Cloudflare's own spec accepts, and every example response
//! of that spec decodes into our types.
//!
//! Built only with `--features contract-tests`; run it with `bash scripts/contract.sh`, which installs
//! the pinned Prism, starts it on a free port and sets `CONTRACT_BASE_URL` (and
//! `CONTRACT_UPSTREAM_SPEC`, the document Prism serves). Both are required: without them these tests
//! fail, they never skip.
//!
//! What is checked:
//! - every operation of `spec/cloudflare-mtls.json`, both `Scope`s for the Access ones, with an API
//!   token and with a global key + email: 2xx, no `sl-violations`, the result decoded
//!   (`every_operation_with_an_api_token`, `every_operation_with_key_and_email`);
//! - our operations are exactly Cloudflare's (same operationIds, methods and paths), and each call
//!   went to the operation it claims (method and path checked against the spec);
//! - Cloudflare's example response of every operation decodes into our type without dropping a
//!   field (`examples_decode_without_losing_fields`);
//! - a user service key is refused (401) by every operation: Cloudflare's document does not list
//!   `user_service_key` for any of them (`user_service_key_is_refused_by_every_operation`);
//! - the error path of every operation (`Prefer: code=400` / `code=404`, Cloudflare's `4XX`
//!   response): `Error::Api` with the status and the envelope's error codes decoded;
//! - the validator is live: requests that break the spec get a 422 and a violation.
//!
//! What this module shares with `stand_in` (the documents and operationIds, the check of a call
//! against the spec, the realistic arguments and one call of every operation, the parsing of Prism's
//! header and log) is in `shared`.

use crate::shared::*;
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Credentials, Error, FromBody, PageStream, Scope};
use cloudflare_mtls_test_support::{
    client_with, ACCOUNT_ID, API_KEY, EMAIL, SERVICE_KEY, TOKEN, ZONE_ID,
};
use futures::TryStreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

/// Prism's base URL. Required: the contract tests fail (never skip) without it.
fn base_url() -> String {
    required_env("CONTRACT_BASE_URL", "Prism's base URL")
        .trim_end_matches('/')
        .to_string()
}

/// The OpenAPI document Prism serves (Cloudflare's). Required, like the base URL.
fn upstream_spec() -> Value {
    read_spec(&required_env(
        "CONTRACT_UPSTREAM_SPEC",
        "the path of the document Prism serves",
    ))
}

fn token_client() -> Client {
    client_with(&base_url(), Credentials::Token(TOKEN.into()))
}

fn key_email_client() -> Client {
    client_with(
        &base_url(),
        Credentials::KeyAndEmail {
            key: API_KEY.into(),
            email: EMAIL.into(),
        },
    )
}

fn service_key_client() -> Client {
    client_with(&base_url(), Credentials::UserServiceKey(SERVICE_KEY.into()))
}

// ---------------------------------------------------------------------------------------------
// Checking one call
// ---------------------------------------------------------------------------------------------

/// The last violations Prism logged (`CONTRACT_PRISM_LOG`, set by scripts/contract.sh).
fn recent_violations() -> String {
    let Ok(path) = std::env::var("CONTRACT_PRISM_LOG") else {
        return "(CONTRACT_PRISM_LOG is not set: no Prism log to show)".into();
    };
    let log = std::fs::read_to_string(&path).unwrap_or_default();
    let violations: Vec<String> = parse_log(&log)
        .into_iter()
        .flat_map(|request| request.violations)
        .collect();
    let recent = &violations[violations.len().saturating_sub(5)..];
    format!(
        "Prism's last violations ({path}):\n  {}",
        recent.join("\n  ")
    )
}

/// The operations of `spec/`, with a check of which ones a sweep called.
struct Sweep {
    label: &'static str,
    client: Client,
    ops: Operations,
    called: BTreeMap<&'static str, usize>,
}

impl Sweep {
    fn new(label: &'static str, client: Client) -> Sweep {
        Sweep {
            label,
            client,
            ops: operations(&our_spec()),
            called: BTreeMap::new(),
        }
    }

    /// Reads every page of `pages`, the `list_all` of operation `op`; panics on an error.
    async fn all<T: DeserializeOwned + Send>(&self, op: &str, pages: PageStream<'_, T>) -> Vec<T> {
        pages
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("[{}] {op} list_all: {e}", self.label))
    }

    /// Checks that `call` is operation `op` of the spec (method and path), sends it and asserts a 2xx
    /// without `sl-violations`; returns the decoded result.
    async fn ok<T: FromBody>(&mut self, op: &'static str, call: Call<'_, T>) -> T {
        let (method, path) = target(&self.ops, op, &call);
        let response = match call.send_with_response().await {
            Ok(r) => r,
            Err(e) => {
                // A refused request carries `sl-violations` too, but `Error::Api` keeps no
                // headers: show what Prism logged instead.
                eprintln!("{}", recent_violations());
                panic!("[{}] {op}: {method} {path}: {e}", self.label)
            }
        };
        if let Some(v) = sl_violations(response.headers()) {
            eprintln!("[{}] {op}: {method} {path}: sl-violations: {v}", self.label);
            panic!("[{}] {op}: Prism reports violations: {v}", self.label);
        }
        assert!(
            response.status().is_success(),
            "[{}] {op}: status {}",
            self.label,
            response.status()
        );
        *self.called.entry(op).or_default() += 1;
        response.into_inner().result
    }

    /// Every operation of the spec was called.
    fn assert_complete(&self) {
        let missing = not_called(&self.ops, |op| self.called.contains_key(op));
        assert!(
            missing.is_empty(),
            "[{}] operations not exercised: {missing:?}",
            self.label
        );
        let calls: usize = self.called.values().sum();
        eprintln!(
            "[{}] {} operations, {calls} requests, all 2xx without violations",
            self.label,
            self.called.len()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Every operation, with each accepted kind of credentials
// ---------------------------------------------------------------------------------------------

/// Calls every generated method (both scopes of the Access ones) and checks what Cloudflare's
/// examples decode to.
async fn sweep(label: &'static str, client: Client) {
    let mut s = Sweep::new(label, client);
    let c = s.client.clone();

    // Access mTLS certificates and hostname settings, account and zone.
    for scope in [Scope::Account(ACCOUNT_ID), Scope::Zone(ZONE_ID)] {
        let [list_op, get_op, create_op, update_op, delete_op, sget_op, supdate_op] =
            access_operations(scope);
        let certs = c.access().certificates();

        let page = s.ok(list_op, certs.list(scope, Default::default())).await;
        assert!(
            !page.items.is_empty(),
            "{list_op}: the example lists a certificate"
        );
        assert_eq!(page.items[0].name.as_deref(), Some("Allow devs"));
        assert_eq!(
            page.items[0].fingerprint.as_deref(),
            Some("MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91")
        );
        assert!(page.items[0].expires_on.is_some());
        let info = page.result_info.expect("result_info");
        assert_eq!((info.page, info.per_page), (Some(1), Some(20)));

        // `page`/`per_page` are in the seeds, not in Cloudflare's 2024-08-06 document: Prism ignores
        // undeclared query parameters, so this shows they are at least not in conflict with it.
        let params = AccessCertificateListParams::new().page(1).per_page(20);
        s.ok(list_op, certs.list(scope, params)).await;
        // The stream stops after the example's one short page.
        let all = s
            .all(list_op, certs.list_all(scope, Default::default()))
            .await;
        assert_eq!(all.len(), 1);

        let cert = s.ok(get_op, certs.get(scope, ACCESS_CERT_ID)).await;
        assert_eq!(cert.name.as_deref(), Some("Allow devs"));
        assert_eq!(
            cert.associated_hostnames.as_deref(),
            Some(&["admin.example.com".to_string()][..])
        );
        let created = s
            .ok(create_op, certs.create(scope, &access_certificate_create()))
            .await;
        assert_eq!(created.name.as_deref(), Some("Allow devs"));
        let updated = s
            .ok(
                update_op,
                certs.update(scope, ACCESS_CERT_ID, &access_certificate_update()),
            )
            .await;
        assert_eq!(updated.name.as_deref(), Some("Allow devs"));
        let deleted = s.ok(delete_op, certs.delete(scope, ACCESS_CERT_ID)).await;
        assert_eq!(deleted.id.as_deref(), Some(ACCESS_CERT_ID));

        let settings = s.ok(sget_op, certs.settings().get(scope)).await;
        assert_eq!(
            settings,
            vec![AccessCertificateSettings::new(
                false,
                true,
                "admin.example.com"
            )]
        );
        let settings = s
            .ok(
                supdate_op,
                certs.settings().update(scope, &access_settings_update()),
            )
            .await;
        assert_eq!(settings.len(), 1);
        assert_eq!(settings[0].hostname, "admin.example.com");
    }

    // Account mTLS certificates and associations.
    let mtls = c.mtls_certificates();
    let list = s
        .ok(
            mtls_ops::LIST,
            mtls.list(ACCOUNT_ID, MtlsCertificateListParams::default()),
        )
        .await;
    assert_eq!(list.len(), 1);
    assert_mtls_example(&list[0]);
    let upload = mtls.create(ACCOUNT_ID, &mtls_certificate_create());
    let uploaded = s.ok(mtls_ops::UPLOAD, upload).await;
    assert_eq!(
        uploaded.id.as_deref(),
        Some("023e105f4ecef8ad9ca31a8372d0c353")
    );
    assert_eq!(uploaded.ca, Some(true));
    assert!(uploaded.updated_at.is_some() && uploaded.uploaded_on.is_some());
    // Details and delete: each answers with the example certificate.
    for (op, call) in [
        (mtls_ops::GET, mtls.get(ACCOUNT_ID, MTLS_CERT_ID)),
        (mtls_ops::DELETE, mtls.delete(ACCOUNT_ID, MTLS_CERT_ID)),
    ] {
        assert_mtls_example(&s.ok(op, call).await);
    }
    let associations = s
        .ok(
            mtls_ops::ASSOCIATIONS,
            mtls.associations().list(ACCOUNT_ID, MTLS_CERT_ID),
        )
        .await;
    assert_eq!(
        associations,
        vec![serde_json::from_value::<MtlsCertificateAssociation>(json!({
            "service": "gateway",
            "status": "pending_deployment",
        }))
        .unwrap()]
    );

    // API Shield client certificates.
    let cc = c.client_certificates();
    let op = client_cert_ops::LIST;
    let page = s.ok(op, cc.list(ZONE_ID, Default::default())).await;
    assert_eq!(page.items.len(), 1);
    assert_client_certificate_example(&page.items[0]);
    for status in [
        ClientCertificateStatusFilter::All,
        ClientCertificateStatusFilter::Active,
        ClientCertificateStatusFilter::PendingReactivation,
        ClientCertificateStatusFilter::PendingRevocation,
        ClientCertificateStatusFilter::Revoked,
    ] {
        let params = ClientCertificateListParams::default()
            .status(status)
            .page(2)
            .per_page(50);
        s.ok(op, cc.list(ZONE_ID, params)).await;
    }
    let params = ClientCertificateListParams::default().limit(10).offset(20);
    s.ok(op, cc.list(ZONE_ID, params)).await;
    let all = s.all(op, cc.list_all(ZONE_ID, Default::default())).await;
    assert_eq!(all.len(), 1);
    let create = client_certificate_create();
    let reactivate = ClientCertificateEdit::new().reactivate(true);
    // Details, create, edit and revoke: each answers with the example certificate.
    for (op, call) in [
        (client_cert_ops::GET, cc.get(ZONE_ID, CLIENT_CERT_ID)),
        (client_cert_ops::CREATE, cc.create(ZONE_ID, &create)),
        (
            client_cert_ops::EDIT,
            cc.edit(ZONE_ID, CLIENT_CERT_ID, &reactivate),
        ),
        (client_cert_ops::DELETE, cc.delete(ZONE_ID, CLIENT_CERT_ID)),
    ] {
        assert_client_certificate_example(&s.ok(op, call).await);
    }

    // Zone-level Authenticated Origin Pulls. Cloudflare's document gives the certificate responses
    // only as `result: {type: object}` (our spec has the seed's shape), so the example is `{}`.
    let aop = c.origin_tls_client_auth();
    s.ok(
        zone_aop_ops::UPLOAD,
        aop.zone_certificates()
            .create(ZONE_ID, &origin_pull_certificate_create()),
    )
    .await;
    let list = s
        .ok(zone_aop_ops::LIST, aop.zone_certificates().list(ZONE_ID))
        .await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].id.as_deref(),
        Some("023e105f4ecef8ad9ca31a8372d0c353")
    );
    assert_eq!(
        list[0].status,
        Some(ZoneAuthenticatedOriginPullStatus::Initializing)
    );
    for (op, call) in [
        (
            zone_aop_ops::GET,
            aop.zone_certificates().get(ZONE_ID, AOP_CERT_ID),
        ),
        (
            zone_aop_ops::DELETE,
            aop.zone_certificates().delete(ZONE_ID, AOP_CERT_ID),
        ),
    ] {
        s.ok(op, call).await;
    }
    let setting = s
        .ok(zone_aop_ops::SETTING, aop.settings().get(ZONE_ID))
        .await;
    assert_eq!(setting.enabled, Some(true));
    for enabled in [true, false] {
        let setting = s
            .ok(
                zone_aop_ops::SET,
                aop.settings()
                    .update(ZONE_ID, &ZoneSettingUpdate::new(enabled)),
            )
            .await;
        assert_eq!(setting.enabled, Some(true), "the example says true");
    }

    // Per-hostname Authenticated Origin Pulls.
    let hostnames = aop.hostnames();
    let updated = s
        .ok(
            hostname_aop_ops::ASSOCIATE,
            hostnames.update(ZONE_ID, &hostname_origin_pull_update()),
        )
        .await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].hostname.as_deref(), Some(HOSTNAME));
    let status = s
        .ok(hostname_aop_ops::STATUS, hostnames.get(ZONE_ID, HOSTNAME))
        .await;
    assert_eq!(status.hostname.as_deref(), Some(HOSTNAME));
    assert_eq!(status.enabled, Some(true));
    assert_eq!(
        status.cert_status,
        Some(HostnameCertificateStatus::Initializing)
    );
    let certs = aop.hostname_certificates();
    let upload = certs.create(ZONE_ID, &hostname_certificate_create());
    let created = s.ok(hostname_aop_ops::UPLOAD, upload).await;
    assert_eq!(
        created.status,
        Some(HostnameCertificateStatus::Initializing)
    );
    let list = s.ok(hostname_aop_ops::LIST, certs.list(ZONE_ID)).await;
    assert_eq!(list.len(), 1);
    let got = s
        .ok(hostname_aop_ops::GET, certs.get(ZONE_ID, HOSTNAME_CERT_ID))
        .await;
    assert_eq!(got.status, Some(HostnameCertificateStatus::Initializing));
    assert_eq!(
        got.serial_number.as_deref(),
        Some("6743787633689793699141714808227354901")
    );
    s.ok(
        hostname_aop_ops::DELETE,
        certs.delete(ZONE_ID, HOSTNAME_CERT_ID),
    )
    .await;

    // API Shield hostname associations of a CA (taken from Cloudflare's full document).
    let ca_hostnames = c.certificate_authorities().hostname_associations();
    let params = HostnameAssociationGetParams::new().mtls_certificate_id(MTLS_CERT_ID);
    let listed = s
        .ok(ca_hostname_ops::LIST, ca_hostnames.get(ZONE_ID, params))
        .await;
    assert_eq!(
        listed.hostnames.as_deref(),
        Some(&["api.example.com".to_string()][..]),
        "the example"
    );
    let replaced = s
        .ok(
            ca_hostname_ops::PUT,
            ca_hostnames.update(ZONE_ID, &ca_hostnames_update(MTLS_CERT_ID)),
        )
        .await;
    assert!(replaced.hostnames.is_some());

    s.assert_complete();
}

/// Cloudflare's example mTLS certificate.
fn assert_mtls_example(c: &MtlsCertificate) {
    assert_eq!(c.id.as_deref(), Some("023e105f4ecef8ad9ca31a8372d0c353"));
    assert_eq!(c.ca, Some(true));
    assert_eq!(c.name.as_deref(), Some("example_ca_cert"));
    assert_eq!(
        c.issuer.as_deref(),
        Some("O=Example Inc.,L=California,ST=San Francisco,C=US")
    );
    assert_eq!(c.signature.as_deref(), Some("SHA256WithRSA"));
    assert_eq!(
        c.expires_on.map(|t| t.to_rfc3339()),
        Some("2122-10-29T16:59:47+00:00".to_string())
    );
    assert!(c.uploaded_on.is_some());
    assert!(c
        .certificates
        .as_deref()
        .is_some_and(|p| p.starts_with("-----BEGIN CERTIFICATE-----")));
}

/// Cloudflare's example client certificate.
fn assert_client_certificate_example(c: &ClientCertificate) {
    assert_eq!(c.id.as_deref(), Some("023e105f4ecef8ad9ca31a8372d0c353"));
    assert_eq!(c.status, Some(ClientCertificateStatus::Active));
    assert_eq!(
        c.certificate_authority,
        Some(
            serde_json::from_value::<CertificateAuthority>(json!({
                "id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb",
                "name": "Cloudflare Managed CA for account",
            }))
            .unwrap()
        )
    );
    assert_eq!(c.common_name.as_deref(), Some("Cloudflare"));
    assert_eq!(c.validity_days, Some(3650));
    assert_eq!(c.expires_on.as_deref(), Some("2033-02-20T23:18:00Z"));
    assert_eq!(c.issued_on.as_deref(), Some("2023-02-23T23:18:00Z"));
}

#[tokio::test]
async fn every_operation_with_an_api_token() {
    sweep("api token", token_client()).await;
}

#[tokio::test]
async fn every_operation_with_key_and_email() {
    sweep("key + email", key_email_client()).await;
}

// ---------------------------------------------------------------------------------------------
// Our operations are Cloudflare's
// ---------------------------------------------------------------------------------------------

#[test]
fn our_operations_are_cloudflares() {
    let ours = operations(&our_spec());
    let theirs = operations(&upstream_spec());
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_theirs: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "operationIds only in spec/: {only_ours:?}; only in Cloudflare's: {only_theirs:?}"
    );
    for (id, ours) in &ours {
        assert_eq!(ours, &theirs[id], "{id}: method and path");
    }
}

// ---------------------------------------------------------------------------------------------
// Examples decode without losing a field
// ---------------------------------------------------------------------------------------------

/// Object keys present (and not null) in `raw` but missing in `typed`, as JSON paths.
fn dropped_fields(raw: &Value, typed: &Value, path: &str, out: &mut Vec<String>) {
    match (raw, typed) {
        (Value::Object(r), Value::Object(t)) => {
            for (k, v) in r {
                if v.is_null() {
                    continue;
                }
                match t.get(k) {
                    Some(tv) => dropped_fields(v, tv, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}")),
                }
            }
        }
        (Value::Array(r), Value::Array(t)) => {
            for (i, (rv, tv)) in r.iter().zip(t).enumerate() {
                dropped_fields(rv, tv, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Decodes `result` into `T` and returns it re-encoded.
fn roundtrip<T: DeserializeOwned + Serialize>(result: &Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(result)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

type Decode = fn(&Value) -> Result<Value, String>;

/// A raw call: the method, the path, the body sent, the type the result decodes into.
type Case = (&'static str, String, Option<Value>, Decode);

/// The four calls on a collection of uploaded certificates of type `T` at `collection`: the upload
/// (`body`), the list, and the get and delete of `id`.
fn uploaded_certificate_cases<T: DeserializeOwned + Serialize>(
    collection: String,
    id: &str,
    body: Value,
) -> [Case; 4] {
    let one = format!("{collection}/{id}");
    [
        ("POST", collection.clone(), Some(body), roundtrip::<T>),
        ("GET", collection, None, roundtrip::<Vec<T>>),
        ("GET", one.clone(), None, roundtrip::<T>),
        ("DELETE", one, None, roundtrip::<T>),
    ]
}

/// Sends each operation raw (reqwest, token), takes Prism's example `result` and decodes it into the
/// type the generated method returns: it must decode, and no field of the example may be dropped
/// (a dropped field is a name our spec has wrong, or a field it lacks).
#[tokio::test]
async fn examples_decode_without_losing_fields() {
    let base = base_url();
    let a = ACCOUNT_ID;
    let z = ZONE_ID;
    // One case a line: the method, the path, the body sent, the type the result decodes into.
    #[rustfmt::skip]
    let mut cases: Vec<Case> = vec![
        ("GET", format!("/accounts/{a}/access/certificates"), None, roundtrip::<Vec<AccessCertificate>>),
        ("GET", format!("/zones/{z}/access/certificates"), None, roundtrip::<Vec<AccessCertificate>>),
        ("GET", format!("/accounts/{a}/access/certificates/{ACCESS_CERT_ID}"), None, roundtrip::<AccessCertificate>),
        ("GET", format!("/zones/{z}/access/certificates/{ACCESS_CERT_ID}"), None, roundtrip::<AccessCertificate>),
        ("POST", format!("/accounts/{a}/access/certificates"), Some(json(&access_certificate_create())), roundtrip::<AccessCertificate>),
        ("POST", format!("/zones/{z}/access/certificates"), Some(json(&access_certificate_create())), roundtrip::<AccessCertificate>),
        ("PUT", format!("/accounts/{a}/access/certificates/{ACCESS_CERT_ID}"), Some(json(&access_certificate_update())), roundtrip::<AccessCertificate>),
        ("PUT", format!("/zones/{z}/access/certificates/{ACCESS_CERT_ID}"), Some(json(&access_certificate_update())), roundtrip::<AccessCertificate>),
        ("DELETE", format!("/accounts/{a}/access/certificates/{ACCESS_CERT_ID}"), None, roundtrip::<AccessCertificateDeleted>),
        ("DELETE", format!("/zones/{z}/access/certificates/{ACCESS_CERT_ID}"), None, roundtrip::<AccessCertificateDeleted>),
        ("GET", format!("/accounts/{a}/access/certificates/settings"), None, roundtrip::<Vec<AccessCertificateSettings>>),
        ("GET", format!("/zones/{z}/access/certificates/settings"), None, roundtrip::<Vec<AccessCertificateSettings>>),
        ("PUT", format!("/accounts/{a}/access/certificates/settings"), Some(json(&access_settings_update())), roundtrip::<Vec<AccessCertificateSettings>>),
        ("PUT", format!("/zones/{z}/access/certificates/settings"), Some(json(&access_settings_update())), roundtrip::<Vec<AccessCertificateSettings>>),
        ("GET", format!("/accounts/{a}/mtls_certificates"), None, roundtrip::<Vec<MtlsCertificate>>),
        ("GET", format!("/accounts/{a}/mtls_certificates/{MTLS_CERT_ID}"), None, roundtrip::<MtlsCertificate>),
        ("POST", format!("/accounts/{a}/mtls_certificates"), Some(json(&mtls_certificate_create())), roundtrip::<UploadedMtlsCertificate>),
        ("DELETE", format!("/accounts/{a}/mtls_certificates/{MTLS_CERT_ID}"), None, roundtrip::<MtlsCertificate>),
        ("GET", format!("/accounts/{a}/mtls_certificates/{MTLS_CERT_ID}/associations"), None, roundtrip::<Vec<MtlsCertificateAssociation>>),
        ("GET", format!("/zones/{z}/client_certificates"), None, roundtrip::<Vec<ClientCertificate>>),
        ("GET", format!("/zones/{z}/client_certificates/{CLIENT_CERT_ID}"), None, roundtrip::<ClientCertificate>),
        ("POST", format!("/zones/{z}/client_certificates"), Some(json(&client_certificate_create())), roundtrip::<ClientCertificate>),
        ("PATCH", format!("/zones/{z}/client_certificates/{CLIENT_CERT_ID}"), None, roundtrip::<ClientCertificate>),
        ("DELETE", format!("/zones/{z}/client_certificates/{CLIENT_CERT_ID}"), None, roundtrip::<ClientCertificate>),
        ("GET", format!("/zones/{z}/origin_tls_client_auth/settings"), None, roundtrip::<OriginPullSetting>),
        ("PUT", format!("/zones/{z}/origin_tls_client_auth/settings"), Some(json!({ "enabled": true })), roundtrip::<OriginPullSetting>),
        ("PUT", format!("/zones/{z}/origin_tls_client_auth/hostnames"), Some(json(&hostname_origin_pull_update())), roundtrip::<Vec<HostnameAuthenticatedOriginPull>>),
        ("GET", format!("/zones/{z}/origin_tls_client_auth/hostnames/{HOSTNAME}"), None, roundtrip::<AuthenticatedOriginPull>),
        ("GET", format!("/zones/{z}/certificate_authorities/hostname_associations"), None, roundtrip::<HostnameAssociations>),
        ("PUT", format!("/zones/{z}/certificate_authorities/hostname_associations"), Some(json(&ca_hostnames_update(MTLS_CERT_ID))), roundtrip::<HostnameAssociations>),
    ];
    // The zone's and the hostnames' origin-pull certificates: an upload and its list, get, delete.
    cases.extend(uploaded_certificate_cases::<ZoneAuthenticatedOriginPull>(
        format!("/zones/{z}/origin_tls_client_auth"),
        AOP_CERT_ID,
        json(&origin_pull_certificate_create()),
    ));
    cases.extend(uploaded_certificate_cases::<HostnameCertificate>(
        format!("/zones/{z}/origin_tls_client_auth/hostnames/certificates"),
        HOSTNAME_CERT_ID,
        json(&hostname_certificate_create()),
    ));
    // One case per operation of Cloudflare's document.
    let theirs = operations(&upstream_spec());
    let covered: BTreeSet<&String> = cases
        .iter()
        .filter_map(|(m, p, _, _)| {
            theirs
                .iter()
                .filter(|(_, (tm, tp))| tm == m && path_matches(tp, p))
                // The most specific template (most literal segments) wins, as in Prism.
                .max_by_key(|(_, (_, tp))| tp.split('/').filter(|s| !s.starts_with('{')).count())
                .map(|(id, _)| id)
        })
        .collect();
    assert_eq!(
        covered.len(),
        theirs.len(),
        "one case per upstream operation"
    );

    let http = cloudflare_mtls_test_support::plain_reqwest();
    let mut failures = Vec::new();
    for (method, path, body, decode) in &cases {
        let mut req = http
            .request(method.parse().expect("method"), format!("{base}{path}"))
            .bearer_auth(TOKEN);
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("Prism answers");
        let status = resp.status();
        let violations = sl_violations(resp.headers());
        let raw: Value = resp.json().await.expect("a JSON body");
        if let Some(v) = violations {
            eprintln!("{method} {path}: sl-violations: {v}");
            failures.push(format!("{method} {path}: sl-violations: {v}"));
            continue;
        }
        if !status.is_success() {
            failures.push(format!("{method} {path}: status {status}"));
            continue;
        }
        let result = &raw["result"];
        match decode(result) {
            Err(e) => failures.push(format!("{method} {path}: example does not decode {e}")),
            Ok(typed) => {
                let mut dropped = Vec::new();
                dropped_fields(result, &typed, "result", &mut dropped);
                if !dropped.is_empty() {
                    failures.push(format!("{method} {path}: fields dropped: {dropped:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn json<T: Serialize>(body: &T) -> Value {
    serde_json::to_value(body).expect("body serializes")
}

// ---------------------------------------------------------------------------------------------
// Credentials the spec does not accept
// ---------------------------------------------------------------------------------------------

/// Every operation, one call each with the realistic arguments, with `c`; `check` sees each
/// result. Returns how many calls.
async fn each_operation_once(
    c: &Client,
    check: impl FnMut(&'static str, Result<(), Error>),
) -> usize {
    let args = Arguments::realistic(ACCOUNT_ID, ZONE_ID);
    each_operation(c, &args, |_| {}, check).await.len()
}

/// Cloudflare's document lists `user_service_key` only at the top level; every one of these
/// operations overrides it with `{api_email, api_key}` (the temporary copy Prism serves adds
/// `{api_token}`), so Prism refuses the service key with 401 "Invalid security scheme used". The
/// client sends it (`X-Auth-User-Service-Key`) and surfaces the 401 as `Error::Api`.
#[tokio::test]
async fn user_service_key_is_refused_by_every_operation() {
    let c = service_key_client();
    let mut refused = BTreeSet::new();
    let n = each_operation_once(&c, |op, r| match r {
        Err(e) => {
            assert!(
                matches!(e, Error::Api(_)) && e.is_unauthorized(),
                "{op}: expected Error::Api 401, got {e:?}"
            );
            refused.insert(op);
        }
        Ok(()) => panic!("{op}: the user service key was accepted"),
    })
    .await;
    assert_eq!(refused.len(), n);
    assert_eq!(refused.len(), operations(&our_spec()).len());

    // What Prism says, on the wire.
    let resp = cloudflare_mtls_test_support::plain_reqwest()
        .get(format!(
            "{}/accounts/{ACCOUNT_ID}/mtls_certificates",
            base_url()
        ))
        .header("X-Auth-User-Service-Key", SERVICE_KEY)
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(resp.status(), 401);
    let v = sl_violations(resp.headers()).unwrap_or_default();
    eprintln!("user service key: sl-violations: {v}");
    assert!(v.contains("Invalid security scheme used"), "{v}");
}

// ---------------------------------------------------------------------------------------------
// Error paths
// ---------------------------------------------------------------------------------------------

/// Every operation answers `Prefer: code=400` and `code=404` with Cloudflare's `4XX` envelope (the
/// document declares only the `4XX` range; Prism serves it for any requested 4xx code). The static
/// example's `errors` is `[]`, so the codes are checked on generated (`dynamic=true`) bodies too:
/// `Error::Api` with the status, and every code decoded (the schema says integer ≥ 1000).
#[tokio::test]
async fn error_paths_of_every_operation() {
    for code in [400u16, 404] {
        for dynamic in [false, true] {
            let prefer = if dynamic {
                format!("code={code}, dynamic=true")
            } else {
                format!("code={code}")
            };
            let c = Client::builder()
                .base_url(base_url())
                .allow_http(true)
                .api_token(TOKEN)
                .default_header("Prefer", prefer.clone())
                .max_retries(0)
                .build()
                .expect("client builds");
            let mut codes_seen = 0usize;
            let mut ops = 0usize;
            each_operation_once(&c, |op, r| {
                ops += 1;
                let e = match r {
                    Err(e) => e,
                    Ok(()) => panic!("{op} [{prefer}]: succeeded"),
                };
                let api = e
                    .api()
                    .unwrap_or_else(|| panic!("{op} [{prefer}]: expected Error::Api, got {e:?}"));
                assert_eq!(api.status.as_u16(), code, "{op} [{prefer}]: {e}");
                assert_eq!(e.is_not_found(), code == 404);
                assert_eq!(e.is_bad_request(), code == 400);
                assert!(api.body_snippet.is_none(), "{op}: an envelope, not {e}");
                if !dynamic {
                    // Cloudflare's example failure envelope: `errors: []`, `messages: []`.
                    assert!(
                        api.errors.is_empty() && api.messages.is_empty(),
                        "{op}: {e}"
                    );
                }
                for m in &api.errors {
                    assert!(m.code >= 1000, "{op} [{prefer}]: code {} < 1000", m.code);
                    codes_seen += 1;
                }
            })
            .await;
            assert_eq!(ops, operations(&our_spec()).len());
            if dynamic {
                // Generated `errors` arrays are random (sometimes empty): most are not.
                assert!(codes_seen > 0, "[{prefer}] no error code decoded at all");
                eprintln!(
                    "[{prefer}] {codes_seen} Cloudflare error codes decoded over {ops} operations"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The validator is live
// ---------------------------------------------------------------------------------------------

/// Requests that break Cloudflare's document are refused (so a green run means something): a query
/// parameter out of range, a path parameter too long, a body of the wrong type.
#[tokio::test]
async fn the_validator_refuses_bad_requests() {
    let c = token_client();
    let expect_422 = |what: &str, r: Result<(), Error>| {
        let e = r.err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(e.status().map(|s| s.as_u16()), Some(422), "{what}: {e}");
    };
    // per_page: minimum 5, maximum 50.
    let params = ClientCertificateListParams::default().per_page(500);
    expect_422(
        "per_page=500",
        c.client_certificates()
            .list(ZONE_ID, params)
            .send()
            .await
            .map(|_| ()),
    );
    // `..._identifier`: maxLength 32.
    expect_422(
        "a 40-character certificate id",
        c.mtls_certificates()
            .get(ACCOUNT_ID, "2458ce5a0c354c7f82c78e9487d3ff602458ce5a")
            .send()
            .await
            .map(|_| ()),
    );
    // The raw view: a body whose `enabled` is a string.
    let resp = cloudflare_mtls_test_support::plain_reqwest()
        .put(format!(
            "{}/zones/{ZONE_ID}/origin_tls_client_auth/settings",
            base_url()
        ))
        .bearer_auth(TOKEN)
        .json(&json!({ "enabled": "yes" }))
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(resp.status(), 422);
    let v = sl_violations(resp.headers()).unwrap_or_default();
    assert!(v.contains("enabled"), "{v}");
}
