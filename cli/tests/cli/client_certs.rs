//! `cfmtls client-certs …`: against the library's stand-in (its managed CA issues the
//! certificates), except where the exact request is the point (wiremock).

use crate::common::*;
use cloudflare_mtls::testing::{csr, Seed, StandIn, ZONE_ID};
use cloudflare_mtls::types::ClientCertificate;
use serde_json::{json, Value};

/// The route of the collection.
fn route() -> String {
    format!("/zones/{ZONE}/client_certificates")
}

fn client_cert(id: &str, cn: &str, status: &str) -> Value {
    json!({
        "id": id, "common_name": cn, "status": status, "certificate": read("leaf.pem"),
        "certificate_authority": { "id": "ca1", "name": "API Shield Managed CA" },
        "country": "US", "organization": "Example Corp", "validity_days": 365,
        "issued_on": "2025-11-25T16:39:00Z", "expires_on": "2026-11-25T16:39:00Z",
        "serial_number": "abc", "signature": "ECDSAWithSHA256", "fingerprint_sha256": "f00d",
    })
}

/// Seeds a client certificate for `CN=<cn>` with `status`; its id.
fn seed_cert(s: &StandIn, cn: &str, status: &str) -> String {
    s.seed(
        Seed::client_certificate(ZONE_ID, &csr(&format!("CN={cn},O=Example Corp,C=US")))
            .validity_days(365)
            .status(status.into()),
    )
}

/// Client certificate `id`, as the API has it now.
async fn fetched(s: &StandIn, id: &str) -> ClientCertificate {
    s.client()
        .client_certificates()
        .get(ZONE_ID, id)
        .await
        .expect("the certificate is there")
}

#[test]
fn create_sends_the_checked_csr_and_writes_the_certificate() {
    let api = Api::start();
    api.on(
        "POST",
        &route(),
        ok(client_cert("k1", "test-client", "active")),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client.pem").display().to_string();
    let csr = data_str("client.csr");
    let flags = ["--csr", &csr, "--validity-days", "365", "--out", &out];
    let stdout = api.run_ok(&args(
        &["client-certs", "create", "--zone-id", ZONE],
        &flags,
    ));
    assert!(stdout.starts_with("Issued client certificate."), "{stdout}");
    assert!(stdout.contains("API Shield Managed CA") && stdout.contains("test-client"));
    assert_eq!(
        body(&api.requests()[0]),
        json!({ "csr": read("client.csr"), "validity_days": 365 })
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), read("leaf.pem"));
}

#[test]
fn create_checks_validity_days_locally() {
    let api = Api::start();
    for days in ["0", "3651", "x"] {
        let ran = run(api
            .cfmtls()
            .args(["client-certs", "create", "--zone-id", ZONE])
            .args(["--csr", &data_str("client.csr"), "--validity-days", days]));
        assert_eq!(ran.code, 2, "{days}");
    }
    assert!(api.requests().is_empty());
}

#[tokio::test]
async fn list_filters_by_status_and_pages_through() {
    let s = StandIn::start().await;
    seed_cert(&s, "live", "active");
    let revoked: Vec<String> = (1..=6)
        .map(|i| seed_cert(&s, &format!("old-{i}"), "revoked"))
        .collect();
    seed_cert(&s, "live-too", "active");
    // Cloudflare's smallest page of client certificates is 5: six revoked ones take two.
    let v = s.run_json(&[
        "client-certs",
        "list",
        "--zone-id",
        ZONE_ID,
        "--status",
        "revoked",
        "--per-page",
        "5",
    ]);
    let ids: Vec<&str> = ids(&v);
    assert_eq!(ids, revoked);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "revoked"));
    let requests = s.requests();
    assert_eq!(requests.len(), 2, "two pages");
    for r in &requests {
        let query = r.query.as_deref().unwrap_or_default();
        assert!(query.contains("status=revoked"), "{query}");
    }
}

#[tokio::test]
async fn list_table_and_status_spelling() {
    let s = StandIn::start().await;
    let pending = seed_cert(&s, "svc", "pending_revocation");
    seed_cert(&s, "other", "active");
    let expires = fetched(&s, &pending).await.expires_on.expect("an expiry");
    for spelling in ["pending-revocation", "pending_revocation"] {
        let stdout = s.run_ok(&[
            "client-certs",
            "list",
            "--zone",
            ZONE_ID,
            "--status",
            spelling,
        ]);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{stdout}");
        assert!(lines[0].contains("COMMON NAME"), "{stdout}");
        assert!(
            lines[1].contains(&pending) && lines[1].contains("pending_revocation"),
            "{stdout}"
        );
        assert!(lines[1].contains(&expires[..10]), "{stdout}");
    }
    let ran = s.run_args(&[
        "client-certs",
        "list",
        "--zone",
        ZONE_ID,
        "--status",
        "bogus",
    ]);
    assert_eq!(ran.code, 2);
}

#[tokio::test]
async fn get_shows_details_and_can_save_the_pem() {
    let s = StandIn::start().await;
    let id = seed_cert(&s, "svc", "active");
    let issued = fetched(&s, &id).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cert.pem");
    let stdout = s.run_ok(&[
        "client-certs",
        "get",
        &id,
        "--zone-id",
        ZONE_ID,
        "--out",
        out.to_str().unwrap(),
    ]);
    let fingerprint = issued.fingerprint_sha256.as_deref().expect("a fingerprint");
    assert!(
        stdout.contains("fingerprint (SHA-256):") && stdout.contains(fingerprint),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        issued.certificate.expect("the certificate")
    );
    let v = s.run_json(&["client-certs", "get", &id, "--zone-id", ZONE_ID]);
    assert_eq!(
        v["certificate_authority"]["name"],
        json!("Cloudflare Managed CA for account")
    );
    assert_eq!(v["common_name"], json!("svc"));
}

/// Revoking is a `DELETE` that leaves the certificate `pending_revocation`; reactivating a
/// revoked one is a `PATCH` that leaves it `pending_reactivation`, then `active`.
#[tokio::test]
async fn revoke_deletes_and_reactivate_patches() {
    let s = StandIn::start().await;
    let id = seed_cert(&s, "svc", "active");
    let stdout = s.run_ok(&["client-certs", "revoke", &id, "--zone-id", ZONE_ID]);
    assert!(
        stdout.starts_with("Revocation requested.") && stdout.contains("pending_revocation"),
        "{stdout}"
    );
    let v = s.run_json(&["client-certs", "reactivate", &id, "--zone-id", ZONE_ID]);
    assert_eq!(v["status"], json!("pending_reactivation"));
    let methods: Vec<String> = s.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["DELETE", "PATCH"]);
    assert_eq!(
        fetched(&s, &id).await.status.map(|st| st.to_string()),
        Some("active".into())
    );
    // An active certificate cannot be reactivated: Cloudflare's refusal, exit 3.
    let ran = s.run_args(&["client-certs", "reactivate", &id, "--zone-id", ZONE_ID]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
}
