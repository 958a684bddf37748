//! `cfmtls access …`: against the library's stand-in, except where the exact upload is the point
//! (wiremock).

use crate::common::*;
use cloudflare_mtls::testing::{Seed, StandIn, ACCOUNT_ID, ZONE_ID};
use cloudflare_mtls::types::AccessCertificate;
use cloudflare_mtls::Scope;
use serde_json::{json, Value};

/// The route of the collection.
fn zone_route() -> String {
    format!("/zones/{ZONE}/access/certificates")
}

fn access_cert(id: &str, name: &str, hostnames: &[&str]) -> Value {
    json!({
        "id": id, "name": name, "fingerprint": "MD5 Fingerprint=1E:80:0F",
        "associated_hostnames": hostnames, "expires_on": "2035-11-22T16:39:00Z",
        "created_at": "2025-11-25T16:39:00Z", "updated_at": "2025-11-25T16:39:00Z",
    })
}

/// Seeds an Access certificate (`ca.pem`) named `name` for `hostnames`; its id.
fn seed_cert(s: &StandIn, scope: Scope<'_>, name: &str, hostnames: &[&str]) -> String {
    s.seed(
        Seed::access_certificate(scope, name, &read("ca.pem"))
            .associated_hostnames(hostnames.iter().copied()),
    )
}

/// Access certificate `id` of the zone, as the API has it now.
async fn zone_cert(s: &StandIn, id: &str) -> AccessCertificate {
    s.client()
        .access()
        .certificates()
        .get(Scope::Zone(ZONE_ID), id)
        .await
        .expect("the certificate is there")
}

/// The JSON bodies of the `PUT`s the stand-in received.
fn puts(s: &StandIn) -> Vec<Value> {
    s.requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.json().expect("a JSON body"))
        .collect()
}

#[test]
fn create_on_a_zone_sends_the_ca_and_hostnames() {
    let api = Api::start();
    api.on(
        "POST",
        &zone_route(),
        ok(access_cert("a1", "corp-ca", &["app.example.com"])),
    );
    let ca = data_str("ca.pem");
    let flags = [
        "--cert",
        &ca,
        "--name",
        "corp-ca",
        "--hostname",
        "app.example.com",
    ];
    let stdout = api.run_ok(&args(&["access", "create", "--zone", ZONE], &flags));
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

#[tokio::test]
async fn list_pages_through_every_certificate() {
    let s = StandIn::start().await;
    let account = Scope::Account(ACCOUNT_ID);
    let mut ids = vec![
        seed_cert(&s, account, "n1", &[]),
        seed_cert(&s, account, "n2", &[]),
    ];
    ids.push(seed_cert(&s, account, "n3", &["x.example.com"]));
    let ran = s.run_args(&["access", "list", "--account", ACCOUNT_ID, "--per-page", "2"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 4, "{}", ran.stdout);
    assert!(ran.stdout.contains(&ids[2]) && ran.stdout.contains("x.example.com"));
    // Not a terminal: no progress indicator.
    assert_eq!(ran.stderr, "");
    // Two pages of two.
    let queries: Vec<Vec<String>> = s
        .requests()
        .into_iter()
        .map(|r| {
            let mut pairs: Vec<String> = r
                .query
                .unwrap_or_default()
                .split('&')
                .map(str::to_string)
                .collect();
            pairs.sort();
            pairs
        })
        .collect();
    assert_eq!(
        queries,
        [["page=1", "per_page=2"], ["page=2", "per_page=2"]]
    );

    let v = s.run_json(&["access", "list", "--account", ACCOUNT_ID, "--per-page", "2"]);
    let listed: Vec<&str> = crate::common::ids(&v);
    assert_eq!(listed, ids);
}

#[tokio::test]
async fn the_scope_comes_from_the_one_id_in_the_environment() {
    let s = StandIn::start().await;
    let stdout = ok_run(
        s.cfmtls()
            .env("CLOUDFLARE_ZONE_ID", ZONE_ID)
            .args(["access", "list"]),
    );
    assert_eq!(stdout, "No Access mTLS certificates.\n");
    assert_eq!(
        s.requests()[0].path,
        format!("/zones/{ZONE_ID}/access/certificates")
    );
    // Both set: the option decides; without it, a usage error.
    ok_run(
        s.cfmtls()
            .env("CLOUDFLARE_ZONE_ID", ZONE_ID)
            .env("CLOUDFLARE_ACCOUNT_ID", "elsewhere")
            .args(["access", "list", "--zone", ZONE_ID]),
    );
    let ran = run(s
        .cfmtls()
        .env("CLOUDFLARE_ZONE_ID", ZONE_ID)
        .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT_ID)
        .args(["access", "list"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("pass --account ID or --zone ID"),
        "{}",
        ran.stderr
    );
    assert_eq!(s.requests().len(), 2);
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

#[tokio::test]
async fn get_on_an_account() {
    let s = StandIn::start().await;
    let id = seed_cert(
        &s,
        Scope::Account(ACCOUNT_ID),
        "corp-ca",
        &["a.example.com", "b.example.com"],
    );
    let stdout = s.run_ok(&["access", "get", &id, "--account", ACCOUNT_ID]);
    assert!(stdout.contains("a.example.com, b.example.com"), "{stdout}");
    assert!(
        stdout.contains("fingerprint (MD5):") && stdout.contains("MD5 Fingerprint="),
        "{stdout}"
    );
    let v = s.run_json(&["access", "get", &id, "--account", ACCOUNT_ID]);
    assert_eq!(
        v["associated_hostnames"],
        json!(["a.example.com", "b.example.com"])
    );
    // An account's certificate is not the zone's.
    let ran = s.run_args(&["access", "get", &id, "--zone", ZONE_ID]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
}

/// `update` reads the certificate first and sends its hostnames back, unless told otherwise.
#[tokio::test]
async fn update_keeps_the_hostnames_unless_told() {
    let s = StandIn::start().await;
    let id = seed_cert(&s, Scope::Zone(ZONE_ID), "old", &["keep.example.com"]);
    s.run_ok(&["access", "update", &id, "--zone", ZONE_ID, "--name", "new"]);
    let now = zone_cert(&s, &id).await;
    assert_eq!(now.name.as_deref(), Some("new"));
    assert_eq!(
        now.associated_hostnames.as_deref(),
        Some(&["keep.example.com".to_string()][..])
    );
    assert_eq!(
        puts(&s)[0],
        json!({ "associated_hostnames": ["keep.example.com"], "name": "new" })
    );

    s.run_ok(&[
        "access",
        "update",
        &id,
        "--zone",
        ZONE_ID,
        "--hostname",
        "n.example.com",
    ]);
    let now = zone_cert(&s, &id).await;
    assert_eq!(now.name.as_deref(), Some("new"));
    assert_eq!(
        now.associated_hostnames.as_deref(),
        Some(&["n.example.com".to_string()][..])
    );
    s.run_ok(&["access", "update", &id, "--zone", ZONE_ID, "--no-hostnames"]);
    let now = zone_cert(&s, &id).await;
    assert_eq!(now.associated_hostnames.as_deref(), Some(&[][..]));
    let puts = puts(&s);
    assert_eq!(
        puts[1],
        json!({ "associated_hostnames": ["n.example.com"] })
    );
    assert_eq!(puts[2], json!({ "associated_hostnames": [] }));
}

#[tokio::test]
async fn delete_prints_a_line_or_the_id() {
    let s = StandIn::start().await;
    let first = seed_cert(&s, Scope::Zone(ZONE_ID), "first", &[]);
    let second = seed_cert(&s, Scope::Zone(ZONE_ID), "second", &[]);
    let stdout = s.run_ok(&["access", "delete", &first, "--zone", ZONE_ID]);
    assert_eq!(
        stdout,
        format!("Deleted Access mTLS certificate {first}.\n")
    );
    let v = s.run_json(&["access", "delete", &second, "--zone", ZONE_ID]);
    assert_eq!(v, json!({ "id": second }));
    let stdout = s.run_ok(&["access", "list", "--zone", ZONE_ID]);
    assert_eq!(stdout, "No Access mTLS certificates.\n");
}

/// `settings set` reads the hostnames' settings and sends them all back with one changed or
/// added.
#[tokio::test]
async fn settings_list_and_set_one_hostname() {
    let s = StandIn::start().await;
    let zone = Scope::Zone(ZONE_ID);
    s.seed(Seed::access_hostname_setting(zone, "a.example.com", false));
    s.seed(Seed::access_hostname_setting(zone, "b.example.com", true));
    let current = json!([
        { "hostname": "a.example.com", "china_network": false, "client_certificate_forwarding": false },
        { "hostname": "b.example.com", "china_network": false, "client_certificate_forwarding": true },
    ]);

    let stdout = s.run_ok(&["access", "settings", "list", "--zone", ZONE_ID]);
    assert!(
        stdout.contains("CLIENT CERT FORWARDING") && stdout.contains("b.example.com"),
        "{stdout}"
    );
    assert_eq!(
        s.run_json(&["access", "settings", "list", "--zone", ZONE_ID]),
        current
    );

    s.run_ok(&[
        "access",
        "settings",
        "set",
        "a.example.com",
        "--client-certificate-forwarding",
        "--zone",
        ZONE_ID,
    ]);
    s.run_ok(&[
        "access",
        "settings",
        "set",
        "c.example.com",
        "--china-network=true",
        "--client-certificate-forwarding=false",
        "--zone",
        ZONE_ID,
    ]);
    let puts = puts(&s);
    assert_eq!(
        puts[0]["settings"][0]["client_certificate_forwarding"],
        json!(true)
    );
    assert_eq!(puts[0]["settings"][1], current[1]);
    assert_eq!(
        s.run_json(&["access", "settings", "list", "--zone", ZONE_ID]),
        json!([
            { "hostname": "a.example.com", "china_network": false, "client_certificate_forwarding": true },
            { "hostname": "b.example.com", "china_network": false, "client_certificate_forwarding": true },
            { "hostname": "c.example.com", "china_network": true, "client_certificate_forwarding": false },
        ])
    );

    let ran = s.run_args(&[
        "access",
        "settings",
        "set",
        "a.example.com",
        "--zone",
        ZONE_ID,
    ]);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("nothing to change"));
}
