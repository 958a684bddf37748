//! `cfmtls origin-pulls …`: against the library's stand-in, except where the exact upload or a
//! server that sends a private key back is the point (wiremock).

use crate::common::*;
use cloudflare_mtls::testing::{RecordedRequest, Seed, StandIn, ZONE_ID};
use serde_json::{json, Value};

/// The route of the collection.
fn route() -> String {
    format!("/zones/{ZONE}/origin_tls_client_auth")
}

fn zone_cert(id: &str) -> Value {
    json!({
        "id": id, "status": "active", "issuer": "Example Corp Test Root CA",
        "signature": "ECDSAWithSHA256", "expires_on": "2035-11-22T16:39:00Z",
        "uploaded_on": "2025-11-25T16:39:00Z", "certificate": read("leaf.pem"),
    })
}

/// The JSON bodies of the `PUT`s the stand-in received.
fn puts(requests: &[RecordedRequest]) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.json().expect("a JSON body"))
        .collect()
}

/// `cfmtls origin-pulls hostname verb host` in the stand-in's zone.
fn hostname_cmd<'a>(verb: &'a str, host: &'a str) -> [&'a str; 6] {
    ["origin-pulls", "hostname", verb, host, "--zone-id", ZONE_ID]
}

/// Seeds a per-hostname certificate (`leaf.pem` and its key); its id.
fn seed_hostname_cert(s: &StandIn) -> String {
    s.seed(Seed::hostname_certificate(
        ZONE_ID,
        &read("leaf.pem"),
        &read("leaf.key"),
    ))
}

#[test]
fn upload_checks_the_pair_sends_it_and_never_prints_the_key() {
    let api = Api::start();
    let mut answer = zone_cert("o1");
    answer["private_key"] = json!(read("leaf.key"));
    api.on("POST", &route(), ok(answer));
    for stdout in upload_leaf_without_printing_the_key(&api, &ZONE_UPLOAD) {
        assert!(stdout.contains("o1"));
    }
    let sent = body(&api.requests()[0]);
    assert_eq!(
        sent,
        json!({ "certificate": read("leaf.pem"), "private_key": read("leaf.key") })
    );
}

#[tokio::test]
async fn list_get_delete() {
    let s = StandIn::start().await;
    let first = s.seed(Seed::origin_pull_certificate(
        ZONE_ID,
        &read("leaf.pem"),
        &read("leaf.key"),
    ));
    s.seed(Seed::origin_pull_certificate(
        ZONE_ID,
        &read("rsa.pem"),
        &read("rsa.key"),
    ));
    let stdout = s.run_ok(&["origin-pulls", "list", "--zone-id", ZONE_ID]);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(stdout.contains(&first), "{stdout}");
    assert_eq!(
        s.run_json(&["aop", "list", "--zone-id", ZONE_ID])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let stdout = s.run_ok(&["origin-pulls", "get", &first, "--zone-id", ZONE_ID]);
    assert!(
        stdout.contains("uploaded:") && stdout.contains(&first),
        "{stdout}"
    );
    let stdout = s.run_ok(&["origin-pulls", "delete", &first, "--zone-id", ZONE_ID]);
    assert_eq!(
        stdout,
        format!("Deleted zone-level origin pull certificate {first}.\n")
    );
    // Deleted certificates go once the deletion has settled.
    let left = s.run_json(&["aop", "list", "--zone-id", ZONE_ID]);
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_ne!(left[0]["id"], json!(first));
}

#[tokio::test]
async fn enable_disable_status() {
    let s = StandIn::start().await;
    let status = || s.run_ok(&["origin-pulls", "status", "--zone-id", ZONE_ID]);
    assert_eq!(status(), "enabled: no\n");
    let stdout = s.run_ok(&["origin-pulls", "enable", "--zone-id", ZONE_ID]);
    assert!(
        stdout.starts_with("Zone-level Authenticated Origin Pulls turned on."),
        "{stdout}"
    );
    assert_eq!(status(), "enabled: yes\n");
    let v = s.run_json(&["origin-pulls", "disable", "--zone-id", ZONE_ID]);
    assert_eq!(v, json!({ "enabled": false }));
    assert_eq!(status(), "enabled: no\n");
    assert_eq!(
        puts(&s.requests()),
        [json!({ "enabled": true }), json!({ "enabled": false })]
    );
}

#[test]
fn hostname_certs_upload_list_get_delete() {
    let api = Api::start();
    let route = format!("{}/hostnames/certificates", route());
    api.on("POST", &route, ok(zone_cert("h1")));
    api.on("GET", &route, ok(json!([{ "id": "h1", "status": "active", "expires_on": "2035-11-22T16:39:00Z", "private_key": "leaked" }])));
    api.on("GET", &format!("{route}/h1"), ok(zone_cert("h1")));
    api.on("DELETE", &format!("{route}/h1"), ok(zone_cert("h1")));

    let ran = run(api
        .cfmtls()
        .args([
            "origin-pulls",
            "hostname-certs",
            "upload",
            "--zone-id",
            ZONE,
        ])
        .args([
            "--cert",
            &data_str("rsa.pem"),
            "--key",
            &data_str("rsa.key"),
        ]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_no_key(&ran.stdout, &ran.stderr, "rsa.key");
    assert_eq!(
        body(&api.requests()[0])["private_key"],
        json!(read("rsa.key"))
    );

    let v =
        json_run(
            api.cfmtls()
                .args(["origin-pulls", "hostname-certs", "list", "--zone-id", ZONE]),
        );
    assert_eq!(
        v,
        json!([{ "id": "h1", "status": "active", "expires_on": "2035-11-22T16:39:00Z" }])
    );
    let stdout = ok_run(api.cfmtls().args([
        "origin-pulls",
        "hostname-certs",
        "get",
        "h1",
        "--zone-id",
        ZONE,
    ]));
    assert!(
        stdout.contains("h1") && stdout.contains("issuer:"),
        "{stdout}"
    );
    let stdout = ok_run(api.cfmtls().args([
        "origin-pulls",
        "hostname-certs",
        "delete",
        "h1",
        "--zone-id",
        ZONE,
    ]));
    assert_eq!(stdout, "Deleted hostname certificate h1.\n");
}

#[tokio::test]
async fn hostname_enable_disable_status() {
    let s = StandIn::start().await;
    let cert = seed_hostname_cert(&s);
    let host = "app.example.com";

    let stdout = s.run_ok(&[
        "origin-pulls",
        "hostname",
        "enable",
        host,
        "--cert-id",
        &cert,
        "--zone-id",
        ZONE_ID,
    ]);
    assert!(
        stdout.starts_with("Authenticated Origin Pulls enabled for app.example.com."),
        "{stdout}"
    );
    assert!(
        stdout.contains("HOSTNAME") && stdout.contains("yes"),
        "{stdout}"
    );
    // Disable without --cert-id: the current certificate is looked up.
    let v = s.run_json(&hostname_cmd("disable", host));
    assert_eq!(v[0]["enabled"], json!(false));
    let stdout = s.run_ok(&hostname_cmd("status", host));
    assert!(
        stdout.contains("cert id:") && stdout.contains(&cert),
        "{stdout}"
    );
    assert_eq!(
        puts(&s.requests()),
        [
            json!({ "config": [{ "hostname": host, "cert_id": cert, "enabled": true }] }),
            json!({ "config": [{ "hostname": host, "cert_id": cert, "enabled": false }] }),
        ]
    );
}

/// `hostname void` sends `enabled: null`, which voids the association (the certificate looked
/// up when `--cert-id` is not given): the hostname is gone, and its certificate, no longer in
/// use, can be deleted.
#[tokio::test]
async fn hostname_void_sends_null() {
    let s = StandIn::start().await;
    let cert = seed_hostname_cert(&s);
    let host = "app.example.com";
    s.seed(Seed::hostname(ZONE_ID, host, &cert));
    let delete_cert = [
        "origin-pulls",
        "hostname-certs",
        "delete",
        cert.as_str(),
        "--zone-id",
        ZONE_ID,
    ];
    // In use: Cloudflare refuses to delete it.
    let ran = run(s.cfmtls().args(delete_cert));
    assert_eq!(ran.code, 3, "{}", ran.stderr);

    let stdout = s.run_ok(&hostname_cmd("void", host));
    assert!(
        stdout.starts_with("Association voided for app.example.com."),
        "{stdout}"
    );
    assert_eq!(
        puts(&s.requests()),
        [json!({ "config": [{ "hostname": host, "cert_id": cert, "enabled": null }] })]
    );
    let ran = s.run_args(&hostname_cmd("status", host));
    assert_api_error(&ran, 404, "status");
    ok_run(s.cfmtls().args(delete_cert));
}
