//! `cfmtls origin-pulls …`

use crate::common::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const ROUTE: &str = "/zones/zone0123456789/origin_tls_client_auth";

fn zone_cert(id: &str) -> Value {
    json!({
        "id": id, "status": "active", "issuer": "Example Corp Test Root CA",
        "signature": "ECDSAWithSHA256", "expires_on": "2035-11-22T16:39:00Z",
        "uploaded_on": "2025-11-25T16:39:00Z", "certificate": read("leaf.pem"),
    })
}

fn hostname_entry(host: &str, cert_id: &str, enabled: bool) -> Value {
    json!({
        "hostname": host, "cert_id": cert_id, "enabled": enabled, "status": "active",
        "cert_status": "active", "expires_on": "2035-11-22T16:39:00Z",
    })
}

#[test]
fn upload_checks_the_pair_sends_it_and_never_prints_the_key() {
    let api = Api::start();
    let mut answer = zone_cert("o1");
    answer["private_key"] = json!(read("leaf.key"));
    api.on("POST", ROUTE, ok(answer));
    for json_flag in [false, true] {
        let mut cmd = api.cfmtls();
        cmd.args(["origin-pulls", "upload", "--zone-id", ZONE])
            .args([
                "--cert",
                &data_str("leaf.pem"),
                "--key",
                &data_str("leaf.key"),
            ]);
        if json_flag {
            cmd.arg("--json");
        }
        let ran = run(&mut cmd);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert!(ran.stdout.contains("o1"));
        assert_no_key(&ran.stdout, &ran.stderr, "leaf.key");
    }
    let sent = body(&api.requests()[0]);
    assert_eq!(
        sent,
        json!({ "certificate": read("leaf.pem"), "private_key": read("leaf.key") })
    );
}

#[test]
fn list_get_delete() {
    let api = Api::start();
    api.on("GET", ROUTE, ok(json!([zone_cert("o1"), zone_cert("o2")])));
    api.on("GET", &format!("{ROUTE}/o1"), ok(zone_cert("o1")));
    api.on("DELETE", &format!("{ROUTE}/o1"), ok(zone_cert("o1")));
    let stdout = ok_run(
        api.cfmtls()
            .args(["origin-pulls", "list", "--zone-id", ZONE]),
    );
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert_eq!(
        json_run(api.cfmtls().args(["aop", "list", "--zone-id", ZONE]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["origin-pulls", "get", "o1", "--zone-id", ZONE]),
    );
    assert!(
        stdout.contains("uploaded:") && stdout.contains("o1"),
        "{stdout}"
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["origin-pulls", "delete", "o1", "--zone-id", ZONE]),
    );
    assert_eq!(stdout, "Deleted zone-level origin pull certificate o1.\n");
}

#[test]
fn enable_disable_status() {
    let api = Api::start();
    let route = format!("{ROUTE}/settings");
    for enabled in [true, false] {
        api.mount(
            Mock::given(method("PUT"))
                .and(path(route.as_str()))
                .and(body_json(json!({ "enabled": enabled })))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(ok(json!({ "enabled": enabled }))),
                )
                .expect(1),
        );
    }
    api.on("GET", &route, ok(json!({ "enabled": true })));
    let stdout = ok_run(
        api.cfmtls()
            .args(["origin-pulls", "enable", "--zone-id", ZONE]),
    );
    assert!(
        stdout.starts_with("Zone-level Authenticated Origin Pulls turned on."),
        "{stdout}"
    );
    let v = json_run(
        api.cfmtls()
            .args(["origin-pulls", "disable", "--zone-id", ZONE]),
    );
    assert_eq!(v, json!({ "enabled": false }));
    let stdout = ok_run(
        api.cfmtls()
            .args(["origin-pulls", "status", "--zone-id", ZONE]),
    );
    assert_eq!(stdout, "enabled: yes\n");
    api.verify();
}

#[test]
fn hostname_certs_upload_list_get_delete() {
    let api = Api::start();
    let route = format!("{ROUTE}/hostnames/certificates");
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

#[test]
fn hostname_enable_disable_status() {
    let api = Api::start();
    let route = format!("{ROUTE}/hostnames");
    let host = "app.example.com";
    api.mount(
        Mock::given(method("PUT"))
            .and(path(route.as_str()))
            .and(body_json(
                json!({ "config": [{ "hostname": host, "cert_id": "h1", "enabled": true }] }),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(ok(json!([hostname_entry(host, "h1", true)]))),
            )
            .expect(1),
    );
    // Disable without --cert-id: the current certificate is looked up.
    api.on(
        "GET",
        &format!("{route}/{host}"),
        ok(hostname_entry(host, "h1", true)),
    );
    api.mount(
        Mock::given(method("PUT"))
            .and(path(route.as_str()))
            .and(body_json(
                json!({ "config": [{ "hostname": host, "cert_id": "h1", "enabled": false }] }),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(ok(json!([hostname_entry(host, "h1", false)]))),
            )
            .expect(1),
    );

    let stdout = ok_run(api.cfmtls().args([
        "origin-pulls",
        "hostname",
        "enable",
        host,
        "--cert-id",
        "h1",
        "--zone-id",
        ZONE,
    ]));
    assert!(
        stdout.starts_with("Authenticated Origin Pulls enabled for app.example.com."),
        "{stdout}"
    );
    assert!(
        stdout.contains("HOSTNAME") && stdout.contains("yes"),
        "{stdout}"
    );
    let v = json_run(api.cfmtls().args([
        "origin-pulls",
        "hostname",
        "disable",
        host,
        "--zone-id",
        ZONE,
    ]));
    assert_eq!(v[0]["enabled"], json!(false));
    let stdout = ok_run(api.cfmtls().args([
        "origin-pulls",
        "hostname",
        "status",
        host,
        "--zone-id",
        ZONE,
    ]));
    assert!(
        stdout.contains("cert id:") && stdout.contains("h1"),
        "{stdout}"
    );
    api.verify();
}

/// `hostname void` sends `enabled: null`, which voids the association (the certificate looked
/// up when `--cert-id` is not given).
#[test]
fn hostname_void_sends_null() {
    let api = Api::start();
    let route = format!("{ROUTE}/hostnames");
    let host = "app.example.com";
    api.on(
        "GET",
        &format!("{route}/{host}"),
        ok(hostname_entry(host, "h1", true)),
    );
    api.mount(
        Mock::given(method("PUT"))
            .and(path(route.as_str()))
            .and(body_json(
                json!({ "config": [{ "hostname": host, "cert_id": "h1", "enabled": null }] }),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(ok(json!([hostname_entry(host, "h1", false)]))),
            )
            .expect(1),
    );
    let stdout =
        ok_run(
            api.cfmtls()
                .args(["origin-pulls", "hostname", "void", host, "--zone-id", ZONE]),
        );
    assert!(
        stdout.starts_with("Association voided for app.example.com."),
        "{stdout}"
    );
    api.verify();
}
