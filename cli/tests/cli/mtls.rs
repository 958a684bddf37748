//! `cfmtls mtls …`: against the library's stand-in, except where the exact upload or a server that
//! echoes the private key is the point (wiremock).

use crate::common::*;
use cloudflare_mtls::testing::{Seed, StandIn, ACCOUNT_ID};
use cloudflare_mtls::types::MtlsCertificate;
use serde_json::json;

/// The route of the collection.
fn route() -> String {
    format!("/accounts/{ACCOUNT}/mtls_certificates")
}

/// The expiry of `ca.pem` (and of `leaf.pem`), as the API reports it.
const CA_EXPIRES: &str = "2036-11-22T16:39:03Z";

/// Seeds the account mTLS certificate `name` made of the fixture `file`; its id.
fn seed_cert(s: &StandIn, file: &str, name: &str, ca: bool) -> String {
    s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &read(file))
            .ca(ca)
            .name(name),
    )
}

/// The account's mTLS certificates, as the API lists them now.
async fn listed(s: &StandIn) -> Vec<MtlsCertificate> {
    s.client()
        .mtls_certificates()
        .list(ACCOUNT_ID, Default::default())
        .await
        .expect("the stand-in lists")
}

/// The names of `certs`, in order.
fn names(certs: &[MtlsCertificate]) -> Vec<&str> {
    certs
        .iter()
        .map(|c| c.name.as_deref().unwrap_or_default())
        .collect()
}

#[test]
fn upload_sends_the_checked_pem_and_prints_the_certificate() {
    let api = Api::start();
    api.on("POST", &route(), ok(mtls_cert("c1", "my-ca", true)));
    let stdout = ok_run(api.cfmtls().args([
        "mtls",
        "upload",
        "--account-id",
        ACCOUNT,
        "--cert",
        &data_str("ca.pem"),
        "--ca",
        "--name",
        "my-ca",
    ]));
    assert!(
        stdout.starts_with("Uploaded mTLS certificate.\n"),
        "{stdout}"
    );
    assert!(stdout.contains("id:") && stdout.contains("c1"), "{stdout}");
    assert!(
        stdout.contains("CA") && stdout.contains("2035-11-22"),
        "{stdout}"
    );
    let requests = api.requests();
    assert_eq!(requests.len(), 1);
    let sent = body(&requests[0]);
    assert_eq!(sent["ca"], json!(true));
    assert_eq!(sent["name"], json!("my-ca"));
    assert_eq!(sent["certificates"], json!(read("ca.pem")));
    assert!(sent.get("private_key").is_none());
}

#[test]
fn upload_with_a_key_sends_it_and_never_prints_it() {
    let api = Api::start();
    // A server that echoes the key back: it must still not be printed.
    let mut answer = mtls_cert("c2", "origin", false);
    answer["private_key"] = json!(read("leaf.key"));
    api.on("POST", &route(), ok(answer));
    upload_leaf_without_printing_the_key(&api, &["mtls", "upload", "--account", ACCOUNT]);
    let sent = body(&api.requests()[0]);
    assert_eq!(sent["ca"], json!(false));
    assert_eq!(sent["private_key"], json!(read("leaf.key")));
}

#[tokio::test]
async fn upload_accepts_pkcs1_and_sec1_keys() {
    let s = StandIn::start().await;
    for (cert, key) in [("rsa.pem", "rsa.key"), ("leaf.pem", "leaf-sec1.key")] {
        ok_run(
            s.cfmtls()
                .args(["mtls", "upload", "--account-id", ACCOUNT_ID])
                .args(["--cert", &data_str(cert), "--key", &data_str(key)]),
        );
    }
    let sent = s.requests()[0].json().expect("a JSON body");
    assert!(sent["private_key"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let certs = listed(&s).await;
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0].issuer.as_deref(), Some("CN=rsa.example.com"));
}

#[tokio::test]
async fn upload_warns_when_a_ca_certificate_is_sent_without_ca() {
    let s = StandIn::start().await;
    let ran = run(s
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT_ID])
        .args(["--cert", &data_str("ca.pem")]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("warning:") && ran.stderr.contains("pass --ca"),
        "{}",
        ran.stderr
    );
    assert_eq!(listed(&s).await[0].ca, Some(false));
}

#[tokio::test]
async fn list_prints_a_table_and_json() {
    let s = StandIn::start().await;
    let root = seed_cert(&s, "ca.pem", "root-a", true);
    seed_cert(&s, "leaf.pem", "leaf-b", false);
    let stdout = s.run_ok(&["mtls", "list", "--account-id", ACCOUNT_ID]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for word in ["ID", "NAME", "TYPE", "ISSUER", "EXPIRES"] {
        assert!(lines[0].contains(word), "{stdout}");
    }
    assert!(
        lines[1].contains(&root) && lines[1].contains("root-a") && lines[1].contains("CA"),
        "{stdout}"
    );
    assert!(
        lines[2].contains("leaf-b") && lines[2].contains("leaf"),
        "{stdout}"
    );
    assert!(lines[1].contains("Example Corp Test Root CA"), "{stdout}");
    // No PEM text in tables.
    assert!(!stdout.contains("BEGIN CERTIFICATE"));

    let v = s.run_json(&["mtls", "list", "--account-id", ACCOUNT_ID]);
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["name"], json!("leaf-b"));
    assert_eq!(items[0]["expires_on"], json!(CA_EXPIRES));
}

#[tokio::test]
async fn list_of_nothing_says_so() {
    let s = StandIn::start().await;
    let list = ["mtls", "list", "--account-id", ACCOUNT_ID];
    assert_eq!(s.run_ok(&list), "No mTLS certificates.\n");
    assert_eq!(s.run_json(&list), json!([]));
}

#[tokio::test]
async fn account_id_comes_from_the_environment() {
    let s = StandIn::start().await;
    seed_cert(&s, "ca.pem", "root-a", true);
    let stdout = ok_run(
        s.cfmtls()
            .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT_ID)
            .args(["mtls", "list"]),
    );
    assert!(stdout.contains("root-a"), "{stdout}");
    let requests = s.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path,
        format!("/accounts/{ACCOUNT_ID}/mtls_certificates")
    );
}

#[tokio::test]
async fn get_prints_the_details() {
    let s = StandIn::start().await;
    let id = seed_cert(&s, "ca.pem", "root-a", true);
    let stdout = s.run_ok(&["mtls", "get", &id, "--account-id", ACCOUNT_ID]);
    for field in ["id:", "name:", "serial number:", "signature:", "uploaded:"] {
        assert!(stdout.contains(field), "{field} missing:\n{stdout}");
    }
    assert!(stdout.contains("ECDSAWithSHA256"), "{stdout}");
    let v = s.run_json(&["mtls", "get", &id, "--account-id", ACCOUNT_ID]);
    assert_eq!(v["id"], json!(id));
    assert_eq!(v["certificates"], json!(read("ca.pem")));
}

#[tokio::test]
async fn delete_by_id() {
    let s = StandIn::start().await;
    let root = seed_cert(&s, "ca.pem", "root-a", true);
    let leaf = seed_cert(&s, "leaf.pem", "leaf-b", false);
    let stdout = s.run_ok(&["mtls", "delete", &root, "--account-id", ACCOUNT_ID]);
    assert_eq!(
        stdout,
        format!("Deleted mTLS certificate {root} (root-a).\n")
    );
    let v = s.run_json(&["mtls", "delete", &leaf, "--account-id", ACCOUNT_ID]);
    assert_eq!(v["id"], json!(leaf));
    assert!(listed(&s).await.is_empty());
    // Gone: a second delete is Cloudflare's "not found".
    let ran = s.run_args(&["mtls", "delete", &root, "--account-id", ACCOUNT_ID]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(ran.stderr.contains("(HTTP 404)"), "{}", ran.stderr);
}

#[tokio::test]
async fn delete_by_name_looks_the_id_up() {
    let s = StandIn::start().await;
    seed_cert(&s, "ca.pem", "root-a", true);
    let leaf = seed_cert(&s, "leaf.pem", "leaf-b", false);
    let stdout = s.run_ok(&delete_by_name("leaf-b"));
    assert_eq!(
        stdout,
        format!("Deleted mTLS certificate {leaf} (leaf-b).\n")
    );
    assert_eq!(names(&listed(&s).await), ["root-a"]);
}

#[tokio::test]
async fn delete_by_name_refuses_none_or_several() {
    let s = StandIn::start().await;
    let first = seed_cert(&s, "ca.pem", "twin", true);
    let second = seed_cert(&s, "leaf.pem", "twin", false);
    let ran = s.run_args(&delete_by_name("twin"));
    assert_eq!(ran.code, 5);
    assert!(
        ran.stderr.contains(&format!(
            "2 mTLS certificates are named `twin` ({first}, {second})"
        )),
        "{}",
        ran.stderr
    );
    let ran = s.run_args(&delete_by_name("ghost"));
    assert_eq!(ran.code, 5);
    assert!(
        ran.stderr.contains("no mTLS certificate is named `ghost`"),
        "{}",
        ran.stderr
    );
    assert!(s.requests().iter().all(|r| r.method != "DELETE"));
    assert_eq!(names(&listed(&s).await), ["twin", "twin"]);
}

#[test]
fn delete_needs_an_id_or_a_name_not_both() {
    let api = Api::start();
    for args in [
        vec!["mtls", "delete"],
        vec!["mtls", "delete", "c1", "--name", "x"],
    ] {
        let ran = run(api.cfmtls().args(&args).args(["--account-id", ACCOUNT]));
        assert_eq!(ran.code, 2, "{args:?}: {}", ran.stderr);
    }
    assert!(api.requests().is_empty());
}

#[tokio::test]
async fn associations_are_listed() {
    let s = StandIn::start().await;
    let used = s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &read("ca.pem"))
            .ca(true)
            .association("gateway", "pending_deployment"),
    );
    let unused = seed_cert(&s, "leaf.pem", "leaf-b", false);
    let stdout = s.run_ok(&["mtls", "associations", &used, "--account-id", ACCOUNT_ID]);
    assert!(
        stdout.contains("SERVICE")
            && stdout.contains("gateway")
            && stdout.contains("pending_deployment"),
        "{stdout}"
    );
    let v = s.run_json(&["mtls", "associations", &used, "--account-id", ACCOUNT_ID]);
    assert_eq!(
        v,
        json!([{ "service": "gateway", "status": "pending_deployment" }])
    );

    let stdout = s.run_ok(&["mtls", "associations", &unused, "--account-id", ACCOUNT_ID]);
    assert!(stdout.starts_with("No associations"), "{stdout}");
    // A certificate in use cannot be deleted: Cloudflare's refusal, exit 3.
    let ran = s.run_args(&["mtls", "delete", &used, "--account-id", ACCOUNT_ID]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
}

/// `cfmtls mtls delete --name name` in the stand-in's account.
fn delete_by_name(name: &str) -> [&str; 6] {
    ["mtls", "delete", "--name", name, "--account-id", ACCOUNT_ID]
}
