//! `cfmtls access …`

use crate::common::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const ZONE_ROUTE: &str = "/zones/zone0123456789/access/certificates";
const ACCOUNT_ROUTE: &str = "/accounts/acc0123456789/access/certificates";

fn access_cert(id: &str, name: &str, hostnames: &[&str]) -> Value {
    json!({
        "id": id, "name": name, "fingerprint": "MD5 Fingerprint=1E:80:0F",
        "associated_hostnames": hostnames, "expires_on": "2035-11-22T16:39:00Z",
        "created_at": "2025-11-25T16:39:00Z", "updated_at": "2025-11-25T16:39:00Z",
    })
}

#[test]
fn create_on_a_zone_sends_the_ca_and_hostnames() {
    let api = Api::start();
    api.on(
        "POST",
        ZONE_ROUTE,
        ok(access_cert("a1", "corp-ca", &["app.example.com"])),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["access", "create", "--zone", ZONE])
            .args([
                "--cert",
                &data_str("ca.pem"),
                "--name",
                "corp-ca",
                "--hostname",
                "app.example.com",
            ]),
    );
    assert!(
        stdout.starts_with("Added Access mTLS certificate."),
        "{stdout}"
    );
    assert!(stdout.contains("app.example.com"));
    let sent = body(&api.requests()[0]);
    assert_eq!(
        sent,
        json!({
            "certificate": read("ca.pem"), "name": "corp-ca",
            "associated_hostnames": ["app.example.com"],
        })
    );
}

#[test]
fn list_pages_through_every_certificate() {
    let api = Api::start();
    let first: Vec<Value> = (1..=2)
        .map(|i| access_cert(&format!("a{i}"), &format!("n{i}"), &[]))
        .collect();
    let second = vec![access_cert("a3", "n3", &["x.example.com"])];
    api.mount(
        Mock::given(method("GET"))
            .and(path(ACCOUNT_ROUTE))
            .and(query_param("page", "1"))
            .and(query_param("per_page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(json!(first), 1, 2, 3))),
    );
    api.mount(
        Mock::given(method("GET"))
            .and(path(ACCOUNT_ROUTE))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(json!(second), 2, 2, 3))),
    );
    let ran = run(api
        .cfmtls()
        .args(["access", "list", "--account", ACCOUNT, "--per-page", "2"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 4, "{}", ran.stdout);
    assert!(ran.stdout.contains("a3") && ran.stdout.contains("x.example.com"));
    // Not a terminal: no progress indicator.
    assert_eq!(ran.stderr, "");

    let v =
        json_run(
            api.cfmtls()
                .args(["access", "list", "--account", ACCOUNT, "--per-page", "2"]),
        );
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
}

#[test]
fn the_scope_comes_from_the_one_id_in_the_environment() {
    let api = Api::start();
    api.on("GET", ZONE_ROUTE, ok(json!([])));
    let stdout = ok_run(
        api.cfmtls()
            .env("CLOUDFLARE_ZONE_ID", ZONE)
            .args(["access", "list"]),
    );
    assert_eq!(stdout, "No Access mTLS certificates.\n");
    // Both set: the option decides; without it, a usage error.
    ok_run(
        api.cfmtls()
            .env("CLOUDFLARE_ZONE_ID", ZONE)
            .env("CLOUDFLARE_ACCOUNT_ID", "elsewhere")
            .args(["access", "list", "--zone", ZONE]),
    );
    let ran = run(api
        .cfmtls()
        .env("CLOUDFLARE_ZONE_ID", ZONE)
        .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
        .args(["access", "list"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("pass --account ID or --zone ID"),
        "{}",
        ran.stderr
    );
}

#[test]
fn account_and_zone_exclude_each_other() {
    let api = Api::start();
    let ran = run(api
        .cfmtls()
        .args(["access", "list", "--account", ACCOUNT, "--zone", ZONE]));
    assert_eq!(ran.code, 2);
    let ran = run(api.cfmtls().args(["access", "list"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("--account ID or --zone ID"),
        "{}",
        ran.stderr
    );
    assert!(api.requests().is_empty());
}

#[test]
fn get_on_an_account() {
    let api = Api::start();
    api.on(
        "GET",
        &format!("{ACCOUNT_ROUTE}/a1"),
        ok(access_cert(
            "a1",
            "corp-ca",
            &["a.example.com", "b.example.com"],
        )),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["access", "get", "a1", "--account", ACCOUNT]),
    );
    assert!(stdout.contains("a.example.com, b.example.com"), "{stdout}");
    assert!(stdout.contains("fingerprint (MD5):"), "{stdout}");
    let v = json_run(
        api.cfmtls()
            .args(["access", "get", "a1", "--account", ACCOUNT]),
    );
    assert_eq!(
        v["associated_hostnames"],
        json!(["a.example.com", "b.example.com"])
    );
}

#[test]
fn update_keeps_the_hostnames_unless_told() {
    let api = Api::start();
    let route = format!("{ZONE_ROUTE}/a1");
    api.on(
        "GET",
        &route,
        ok(access_cert("a1", "old", &["keep.example.com"])),
    );
    api.on(
        "PUT",
        &route,
        ok(access_cert("a1", "new", &["keep.example.com"])),
    );
    ok_run(
        api.cfmtls()
            .args(["access", "update", "a1", "--zone", ZONE, "--name", "new"]),
    );
    let puts: Vec<Value> = api
        .requests()
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(body)
        .collect();
    assert_eq!(
        puts[0],
        json!({ "associated_hostnames": ["keep.example.com"], "name": "new" })
    );

    ok_run(api.cfmtls().args([
        "access",
        "update",
        "a1",
        "--zone",
        ZONE,
        "--hostname",
        "n.example.com",
    ]));
    ok_run(
        api.cfmtls()
            .args(["access", "update", "a1", "--zone", ZONE, "--no-hostnames"]),
    );
    let puts: Vec<Value> = api
        .requests()
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(body)
        .collect();
    assert_eq!(
        puts[1],
        json!({ "associated_hostnames": ["n.example.com"] })
    );
    assert_eq!(puts[2], json!({ "associated_hostnames": [] }));
}

#[test]
fn delete_prints_a_line_or_the_id() {
    let api = Api::start();
    api.on(
        "DELETE",
        &format!("{ZONE_ROUTE}/a1"),
        ok(json!({ "id": "a1" })),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["access", "delete", "a1", "--zone", ZONE]),
    );
    assert_eq!(stdout, "Deleted Access mTLS certificate a1.\n");
    let v = json_run(
        api.cfmtls()
            .args(["access", "delete", "a1", "--zone", ZONE]),
    );
    assert_eq!(v, json!({ "id": "a1" }));
}

#[test]
fn settings_list_and_set_one_hostname() {
    let api = Api::start();
    let route = format!("{ZONE_ROUTE}/settings");
    let current = json!([
        { "hostname": "a.example.com", "china_network": false, "client_certificate_forwarding": false },
        { "hostname": "b.example.com", "china_network": false, "client_certificate_forwarding": true },
    ]);
    api.on("GET", &route, ok(current.clone()));
    api.on("PUT", &route, ok(current.clone()));

    let stdout = ok_run(
        api.cfmtls()
            .args(["access", "settings", "list", "--zone", ZONE]),
    );
    assert!(
        stdout.contains("CLIENT CERT FORWARDING") && stdout.contains("b.example.com"),
        "{stdout}"
    );
    assert_eq!(
        json_run(
            api.cfmtls()
                .args(["access", "settings", "list", "--zone", ZONE])
        ),
        current
    );

    ok_run(api.cfmtls().args([
        "access",
        "settings",
        "set",
        "a.example.com",
        "--client-certificate-forwarding",
        "--zone",
        ZONE,
    ]));
    ok_run(api.cfmtls().args([
        "access",
        "settings",
        "set",
        "c.example.com",
        "--china-network=true",
        "--client-certificate-forwarding=false",
        "--zone",
        ZONE,
    ]));
    let puts: Vec<Value> = api
        .requests()
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(body)
        .collect();
    assert_eq!(
        puts[0]["settings"][0]["client_certificate_forwarding"],
        json!(true)
    );
    assert_eq!(puts[0]["settings"][1], current[1]);
    assert_eq!(
        puts[1]["settings"][2],
        json!({ "hostname": "c.example.com", "china_network": true, "client_certificate_forwarding": false })
    );

    let ran =
        run(api
            .cfmtls()
            .args(["access", "settings", "set", "a.example.com", "--zone", ZONE]));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("nothing to change"));
}
