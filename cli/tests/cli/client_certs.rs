//! `cfmtls client-certs …`

use crate::common::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const ROUTE: &str = "/zones/zone0123456789/client_certificates";

fn client_cert(id: &str, cn: &str, status: &str) -> Value {
    json!({
        "id": id, "common_name": cn, "status": status, "certificate": read("leaf.pem"),
        "certificate_authority": { "id": "ca1", "name": "API Shield Managed CA" },
        "country": "US", "organization": "Example Corp", "validity_days": 365,
        "issued_on": "2025-11-25T16:39:00Z", "expires_on": "2026-11-25T16:39:00Z",
        "serial_number": "abc", "signature": "ECDSAWithSHA256", "fingerprint_sha256": "f00d",
    })
}

#[test]
fn create_sends_the_checked_csr_and_writes_the_certificate() {
    let api = Api::start();
    api.on(
        "POST",
        ROUTE,
        ok(client_cert("k1", "test-client", "active")),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client.pem");
    let stdout = ok_run(
        api.cfmtls()
            .args(["client-certs", "create", "--zone-id", ZONE])
            .args([
                "--csr",
                &data_str("client.csr"),
                "--validity-days",
                "365",
                "--out",
                out.to_str().unwrap(),
            ]),
    );
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

#[test]
fn list_filters_by_status_and_pages_through() {
    let api = Api::start();
    let first: Vec<Value> = (1..=2)
        .map(|i| client_cert(&format!("k{i}"), "c", "revoked"))
        .collect();
    api.mount(
        Mock::given(method("GET"))
            .and(path(ROUTE))
            .and(query_param("status", "revoked"))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(json!(first), 1, 2, 3)))
            .expect(1),
    );
    api.mount(
        Mock::given(method("GET"))
            .and(path(ROUTE))
            .and(query_param("status", "revoked"))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(
                json!([client_cert("k3", "c", "revoked")]),
                2,
                2,
                3,
            )))
            .expect(1),
    );
    let v = json_run(api.cfmtls().args([
        "client-certs",
        "list",
        "--zone-id",
        ZONE,
        "--status",
        "revoked",
        "--per-page",
        "2",
    ]));
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[2]["id"], json!("k3"));
    api.verify();
}

#[test]
fn list_table_and_status_spelling() {
    let api = Api::start();
    api.mount(
        Mock::given(method("GET"))
            .and(path(ROUTE))
            .and(query_param("status", "pending_revocation"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(
                json!([client_cert("k1", "svc", "pending_revocation")]),
                1,
                20,
                1,
            ))),
    );
    for spelling in ["pending-revocation", "pending_revocation"] {
        let stdout = ok_run(api.cfmtls().args([
            "client-certs",
            "list",
            "--zone",
            ZONE,
            "--status",
            spelling,
        ]));
        assert!(
            stdout.contains("COMMON NAME") && stdout.contains("pending_revocation"),
            "{stdout}"
        );
        assert!(stdout.contains("2026-11-25"), "{stdout}");
    }
    let ran = run(api
        .cfmtls()
        .args(["client-certs", "list", "--zone", ZONE, "--status", "bogus"]));
    assert_eq!(ran.code, 2);
}

#[test]
fn get_shows_details_and_can_save_the_pem() {
    let api = Api::start();
    api.on(
        "GET",
        &format!("{ROUTE}/k1"),
        ok(client_cert("k1", "svc", "active")),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k1.pem");
    let stdout = ok_run(api.cfmtls().args([
        "client-certs",
        "get",
        "k1",
        "--zone-id",
        ZONE,
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        stdout.contains("fingerprint (SHA-256):") && stdout.contains("f00d"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), read("leaf.pem"));
    let v = json_run(
        api.cfmtls()
            .args(["client-certs", "get", "k1", "--zone-id", ZONE]),
    );
    assert_eq!(
        v["certificate_authority"]["name"],
        json!("API Shield Managed CA")
    );
}

#[test]
fn revoke_deletes_and_reactivate_patches() {
    let api = Api::start();
    let item = format!("{ROUTE}/k1");
    api.mount(
        Mock::given(method("DELETE"))
            .and(path(item.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(ok(client_cert(
                "k1",
                "svc",
                "pending_revocation",
            ))))
            .expect(1),
    );
    api.mount(
        Mock::given(method("PATCH"))
            .and(path(item.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(ok(client_cert(
                "k1",
                "svc",
                "pending_reactivation",
            ))))
            .expect(1),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["client-certs", "revoke", "k1", "--zone-id", ZONE]),
    );
    assert!(
        stdout.starts_with("Revocation requested.") && stdout.contains("pending_revocation"),
        "{stdout}"
    );
    let v = json_run(
        api.cfmtls()
            .args(["client-certs", "reactivate", "k1", "--zone-id", ZONE]),
    );
    assert_eq!(v["status"], json!("pending_reactivation"));
    api.verify();
}
