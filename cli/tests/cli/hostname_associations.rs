//! `cfmtls hostname-associations …` (API Shield hostnames of a CA) and `cfmtls mtls list --type`
//! with several types, against the library's stand-in.

use crate::common::*;
use cloudflare_mtls::testing::{RecordedRequest, Seed, StandIn, ACCOUNT_ID, ZONE_ID};
use cloudflare_mtls::types::MtlsCertificateType;
use serde_json::{json, Value};

/// The JSON body the stand-in received.
fn sent(req: &RecordedRequest) -> Value {
    serde_json::from_slice(&req.body).expect("a JSON body")
}

/// Seeds a CA certificate (the fixture `ca.pem`) in the account; its id.
fn seed_ca(s: &StandIn) -> String {
    s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &read("ca.pem"))
            .ca(true)
            .name("api-shield-ca"),
    )
}

#[tokio::test]
async fn set_binds_hostnames_to_a_ca_and_list_shows_them() {
    let s = StandIn::start().await;
    let ca = seed_ca(&s);
    let stdout = s.run_ok(&[
        "hostname-associations",
        "set",
        "--zone-id",
        ZONE_ID,
        "--mtls-certificate-id",
        &ca,
        "mtls.example.com",
        "api.example.com",
    ]);
    assert!(stdout.contains("api.example.com"), "{stdout}");
    assert!(stdout.contains("mtls.example.com"), "{stdout}");
    let put = s.requests().pop().expect("a request");
    assert_eq!(put.method, "PUT");
    assert_eq!(
        put.path,
        format!("/zones/{ZONE_ID}/certificate_authorities/hostname_associations")
    );
    assert_eq!(
        sent(&put),
        json!({"hostnames": ["mtls.example.com", "api.example.com"], "mtls_certificate_id": ca})
    );

    let v = s.run_json(&["ca-hostnames", "list", "--zone-id", ZONE_ID, "--ca", &ca]);
    assert_eq!(v, json!(["api.example.com", "mtls.example.com"]));
    let get = s.requests().pop().expect("a request");
    assert_eq!(get.method, "GET");
    assert_eq!(
        get.query.as_deref(),
        Some(&*format!("mtls_certificate_id={ca}"))
    );

    // The CA is now in use by API Shield.
    let associations = s
        .client()
        .mtls_certificates()
        .associations()
        .list(ACCOUNT_ID, &ca)
        .await
        .expect("the stand-in lists");
    assert_eq!(associations.len(), 1);
    assert_eq!(associations[0].service.as_deref(), Some("api_shield"));
}

#[tokio::test]
async fn set_with_no_hostname_unbinds_them_all() {
    let s = StandIn::start().await;
    let ca = seed_ca(&s);
    let bind = ["--zone-id", ZONE_ID, "--ca", &ca];
    ok_run(
        s.cfmtls()
            .args(["hostname-associations", "set"])
            .args(bind)
            .arg("api.example.com"),
    );
    let stdout = ok_run(s.cfmtls().args(["hostname-associations", "set"]).args(bind));
    assert!(
        stdout.contains(&format!(
            "Removed every hostname association of the CA {ca}"
        )),
        "{stdout}"
    );
    assert_eq!(
        sent(&s.requests().pop().expect("a request")),
        json!({"hostnames": [], "mtls_certificate_id": ca})
    );
    let stdout = ok_run(
        s.cfmtls()
            .args(["hostname-associations", "list"])
            .args(bind),
    );
    assert_eq!(
        stdout,
        format!("No hostnames are associated with the CA {ca}.\n")
    );
}

#[tokio::test]
async fn without_a_ca_the_managed_ca_is_meant() {
    let s = StandIn::start().await;
    s.run_ok(&[
        "hostname-associations",
        "set",
        "--zone-id",
        ZONE_ID,
        "managed.example.com",
    ]);
    assert_eq!(
        sent(&s.requests().pop().expect("a request")),
        json!({"hostnames": ["managed.example.com"]}),
        "no mtls_certificate_id key at all"
    );
    let v = s.run_json(&["hostname-associations", "list", "--zone-id", ZONE_ID]);
    assert_eq!(v, json!(["managed.example.com"]));
    assert_eq!(s.requests().pop().expect("a request").query, None);
}

#[tokio::test]
async fn an_unknown_ca_is_an_api_error() {
    let s = StandIn::start().await;
    let unknown = "0123456789abcdef0123456789abcdef";
    for cmd in ["list", "set"] {
        let ran = s.run_args(&[
            "hostname-associations",
            cmd,
            "--zone-id",
            ZONE_ID,
            "--ca",
            unknown,
        ]);
        assert_api_error(&ran, 404, cmd);
    }
}

/// `--type` repeated or comma-separated: one `type` key per value, the union listed.
#[tokio::test]
async fn mtls_list_takes_several_types() {
    let s = StandIn::start().await;
    seed_ca(&s);
    s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &read("leaf.pem"))
            .name("gateway")
            .certificate_type(MtlsCertificateType::GatewayManaged),
    );
    for args in [
        &["--type", "custom", "--type", "gateway_managed"][..],
        &["--type", "custom,gateway_managed"][..],
    ] {
        let v = json_run(
            s.cfmtls()
                .args(["mtls", "list", "--account-id", ACCOUNT_ID])
                .args(args),
        );
        assert_eq!(v.as_array().map(Vec::len), Some(2), "{args:?}: {v}");
        let req = s.requests().pop().expect("a request");
        assert_eq!(
            req.query.as_deref(),
            Some("type=custom&type=gateway_managed"),
            "{args:?}"
        );
    }
    let v = json_run(
        s.cfmtls()
            .args(["mtls", "list", "--account-id", ACCOUNT_ID])
            .args(["--type", "gateway_managed"]),
    );
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
}
