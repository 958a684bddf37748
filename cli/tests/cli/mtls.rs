//! `cfmtls mtls …`

use crate::common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const ROUTE: &str = "/accounts/acc0123456789/mtls_certificates";

#[test]
fn upload_sends_the_checked_pem_and_prints_the_certificate() {
    let api = Api::start();
    api.on("POST", ROUTE, ok(mtls_cert("c1", "my-ca", true)));
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
    api.on("POST", ROUTE, ok(answer));
    for json_flag in [false, true] {
        let mut cmd = api.cfmtls();
        cmd.args(["mtls", "upload", "--account", ACCOUNT]).args([
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
        assert_no_key(&ran.stdout, &ran.stderr, "leaf.key");
    }
    let sent = body(&api.requests()[0]);
    assert_eq!(sent["ca"], json!(false));
    assert_eq!(sent["private_key"], json!(read("leaf.key")));
}

#[test]
fn upload_accepts_pkcs1_and_sec1_keys() {
    let api = Api::start();
    api.on("POST", ROUTE, ok(mtls_cert("c3", "x", false)));
    for (cert, key) in [("rsa.pem", "rsa.key"), ("leaf.pem", "leaf-sec1.key")] {
        ok_run(
            api.cfmtls()
                .args(["mtls", "upload", "--account-id", ACCOUNT])
                .args(["--cert", &data_str(cert), "--key", &data_str(key)]),
        );
    }
    let sent = body(&api.requests()[0]);
    assert!(sent["private_key"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
}

#[test]
fn upload_warns_when_a_ca_certificate_is_sent_without_ca() {
    let api = Api::start();
    api.on("POST", ROUTE, ok(mtls_cert("c4", "x", false)));
    let ran = run(api
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT])
        .args(["--cert", &data_str("ca.pem")]));
    assert_eq!(ran.code, 0);
    assert!(
        ran.stderr.contains("warning:") && ran.stderr.contains("pass --ca"),
        "{}",
        ran.stderr
    );
}

#[test]
fn list_prints_a_table_and_json() {
    let api = Api::start();
    api.on(
        "GET",
        ROUTE,
        ok(json!([
            mtls_cert("c1", "root-a", true),
            mtls_cert("c2", "leaf-b", false)
        ])),
    );
    let stdout = ok_run(api.cfmtls().args(["mtls", "list", "--account-id", ACCOUNT]));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for word in ["ID", "NAME", "TYPE", "ISSUER", "EXPIRES"] {
        assert!(lines[0].contains(word), "{stdout}");
    }
    assert!(lines[1].contains("c1") && lines[1].contains("root-a") && lines[1].contains("CA"));
    assert!(lines[2].contains("leaf-b") && lines[2].contains("leaf"));
    // No PEM text in tables.
    assert!(!stdout.contains("BEGIN CERTIFICATE"));

    let v = json_run(api.cfmtls().args(["mtls", "list", "--account-id", ACCOUNT]));
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["name"], json!("leaf-b"));
    assert_eq!(items[0]["expires_on"], json!("2035-11-22T16:39:00Z"));
}

#[test]
fn list_of_nothing_says_so() {
    let api = Api::start();
    api.on("GET", ROUTE, ok(json!([])));
    let stdout = ok_run(api.cfmtls().args(["mtls", "list", "--account-id", ACCOUNT]));
    assert_eq!(stdout, "No mTLS certificates.\n");
    let v = json_run(api.cfmtls().args(["mtls", "list", "--account-id", ACCOUNT]));
    assert_eq!(v, json!([]));
}

#[test]
fn account_id_comes_from_the_environment() {
    let api = Api::start();
    api.on("GET", ROUTE, ok(json!([])));
    ok_run(
        api.cfmtls()
            .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
            .args(["mtls", "list"]),
    );
}

#[test]
fn get_prints_the_details() {
    let api = Api::start();
    api.on(
        "GET",
        &format!("{ROUTE}/c1"),
        ok(mtls_cert("c1", "root-a", true)),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["mtls", "get", "c1", "--account-id", ACCOUNT]),
    );
    for field in ["id:", "name:", "serial number:", "signature:", "uploaded:"] {
        assert!(stdout.contains(field), "{field} missing:\n{stdout}");
    }
    let v = json_run(
        api.cfmtls()
            .args(["mtls", "get", "c1", "--account-id", ACCOUNT]),
    );
    assert_eq!(v["id"], json!("c1"));
    assert_eq!(v["certificates"], json!(read("ca.pem")));
}

#[test]
fn delete_by_id() {
    let api = Api::start();
    api.on(
        "DELETE",
        &format!("{ROUTE}/c1"),
        ok(mtls_cert("c1", "root-a", true)),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["mtls", "delete", "c1", "--account-id", ACCOUNT]),
    );
    assert_eq!(stdout, "Deleted mTLS certificate c1 (root-a).\n");
    let v = json_run(
        api.cfmtls()
            .args(["mtls", "delete", "c1", "--account-id", ACCOUNT]),
    );
    assert_eq!(v["id"], json!("c1"));
}

#[test]
fn delete_by_name_looks_the_id_up() {
    let api = Api::start();
    api.on(
        "GET",
        ROUTE,
        ok(json!([
            mtls_cert("c1", "root-a", true),
            mtls_cert("c2", "leaf-b", false)
        ])),
    );
    api.mount(
        Mock::given(method("DELETE"))
            .and(path(format!("{ROUTE}/c2")))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(ok(mtls_cert("c2", "leaf-b", false))),
            )
            .expect(1),
    );
    let stdout = ok_run(api.cfmtls().args([
        "mtls",
        "delete",
        "--name",
        "leaf-b",
        "--account-id",
        ACCOUNT,
    ]));
    assert_eq!(stdout, "Deleted mTLS certificate c2 (leaf-b).\n");
    api.verify();
}

#[test]
fn delete_by_name_refuses_none_or_several() {
    let api = Api::start();
    api.on(
        "GET",
        ROUTE,
        ok(json!([
            mtls_cert("c1", "twin", true),
            mtls_cert("c2", "twin", false)
        ])),
    );
    api.mount(
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(200))
            .expect(0),
    );
    let ran = run(api
        .cfmtls()
        .args(["mtls", "delete", "--name", "twin", "--account-id", ACCOUNT]));
    assert_eq!(ran.code, 5);
    assert!(
        ran.stderr
            .contains("2 mTLS certificates are named `twin` (c1, c2)"),
        "{}",
        ran.stderr
    );
    let ran =
        run(api
            .cfmtls()
            .args(["mtls", "delete", "--name", "ghost", "--account-id", ACCOUNT]));
    assert_eq!(ran.code, 5);
    assert!(
        ran.stderr.contains("no mTLS certificate is named `ghost`"),
        "{}",
        ran.stderr
    );
    api.verify();
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

#[test]
fn associations_are_listed() {
    let api = Api::start();
    api.on(
        "GET",
        &format!("{ROUTE}/c1/associations"),
        ok(json!([{ "service": "gateway", "status": "pending_deployment" }])),
    );
    let stdout = ok_run(
        api.cfmtls()
            .args(["mtls", "associations", "c1", "--account-id", ACCOUNT]),
    );
    assert!(
        stdout.contains("SERVICE")
            && stdout.contains("gateway")
            && stdout.contains("pending_deployment")
    );
    let v = json_run(
        api.cfmtls()
            .args(["mtls", "associations", "c1", "--account-id", ACCOUNT]),
    );
    assert_eq!(
        v,
        json!([{ "service": "gateway", "status": "pending_deployment" }])
    );

    api.on("GET", &format!("{ROUTE}/c9/associations"), ok(json!([])));
    let stdout = ok_run(
        api.cfmtls()
            .args(["mtls", "associations", "c9", "--account-id", ACCOUNT]),
    );
    assert!(stdout.starts_with("No associations"), "{stdout}");
}
