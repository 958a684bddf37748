//! Each error class and its exit code; bad local input never reaches the API; secrets are never
//! printed. Cloudflare's own failures come from the library's stand-in (its errors and faults);
//! answers no real API gives (several errors with documentation links, `success: false` on a 200,
//! a result that does not decode) from wiremock.

use crate::common::*;
use cloudflare_mtls::testing::{Fault, StandIn, ACCOUNT_ID, API_KEY};
use predicates::prelude::*;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

/// The route of the collection.
fn route() -> String {
    format!("/accounts/{ACCOUNT}/mtls_certificates")
}

/// Runs `cmd mtls list --account-id …`; asserts its exit code and that stderr says each of `says`.
fn assert_list_fails(cmd: &mut assert_cmd::Command, code: i32, says: &[&str]) {
    let ran = run(cmd.args(["mtls", "list", "--account-id", ACCOUNT]));
    assert_eq!(ran.code, code, "{}", ran.stderr);
    for text in says {
        assert!(ran.stderr.contains(text), "{text} missing:\n{}", ran.stderr);
    }
}

#[test]
fn an_api_error_exits_3_with_cloudflares_code_message_and_ray() {
    let api = Api::start();
    api.mount(Mock::given(any()).respond_with(
        failure(404, 1003, "Certificate not found").insert_header("cf-ray", "8f00dbeef-SJC"),
    ));
    api.cfmtls()
        .args(["mtls", "get", "nope", "--account-id", ACCOUNT])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: Cloudflare API error 1003 (HTTP 404): Certificate not found [cf-ray 8f00dbeef-SJC]",
        ));
}

#[test]
fn each_error_of_the_envelope_gets_a_line_and_401_a_hint() {
    let api = Api::start();
    api.mount(Mock::given(any()).respond_with(ResponseTemplate::new(401).set_body_json(json!({
        "success": false,
        "errors": [
            { "code": 10000, "message": "Authentication error",
              "documentation_url": "https://developers.cloudflare.com/fundamentals/api/" },
            { "code": 9109, "message": "Invalid access token", "source": { "pointer": "/token" } },
        ],
        "messages": [], "result": null,
    }))));
    let ran = run(api.cfmtls().args(["mtls", "list", "--account-id", ACCOUNT]));
    assert_eq!(ran.code, 3);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "error: Cloudflare API error 10000 (HTTP 401): Authentication error"
    );
    assert_eq!(
        lines[1],
        "  see https://developers.cloudflare.com/fundamentals/api/"
    );
    assert_eq!(
        lines[2],
        "error: Cloudflare API error 9109 (HTTP 401): Invalid access token (at /token)"
    );
    assert!(lines[3].starts_with("hint: check the credentials"));
    assert!(!ran.stderr.contains(TOKEN));
}

/// The HTML page Cloudflare's edge sends with a 502.
#[tokio::test]
async fn a_non_json_error_page_exits_3_with_a_snippet() {
    let s = StandIn::start().await;
    s.inject(Fault::bad_gateway_html());
    assert_list_fails(
        &mut s.cfmtls(),
        3,
        &["Cloudflare API error (HTTP 502): <html>", "502 Bad Gateway"],
    );
}

#[test]
fn success_false_on_a_200_is_an_api_error() {
    let api = Api::start();
    api.mount(
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": false, "errors": [{ "code": 1002, "message": "Unable to parse" }],
            "messages": [], "result": null,
        }))),
    );
    assert_list_fails(
        &mut api.cfmtls(),
        3,
        &["Cloudflare API error 1002 (HTTP 200): Unable to parse"],
    );
}

#[test]
fn an_answer_that_does_not_decode_exits_1() {
    let api = Api::start();
    api.on("GET", &route(), ok(json!("not a list")));
    assert_list_fails(&mut api.cfmtls(), 1, &["unexpected answer from the API"]);
}

#[test]
fn a_closed_port_exits_4() {
    // Bind a port, then free it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    bare()
        .args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--allow-http",
        ])
        .args(["--api-token", TOKEN, "--max-retries", "0"])
        .args(["mtls", "list", "--account-id", ACCOUNT])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicate::str::contains("error: connection failed"))
        .stderr(predicate::str::contains(TOKEN).not());
}

#[tokio::test]
async fn a_timeout_exits_4() {
    let s = StandIn::start().await;
    s.inject(Fault::delay(Duration::from_secs(5)).always());
    assert_list_fails(s.cfmtls().args(["--timeout", "1"]), 4, &["timed out"]);
}

#[test]
fn usage_errors_exit_2_before_any_request() {
    let api = Api::start();
    let cases: Vec<Vec<&str>> = vec![
        vec!["mtls", "list"],                            // no account id
        vec!["mtls", "upload", "--account-id", ACCOUNT], // no --cert
        vec!["mtls", "frobnicate"],                      // no such command
        vec!["client-certs", "list", "--zone-id", ZONE, "--per-page", "0"],
        vec!["--bogus", "mtls", "list", "--account-id", ACCOUNT],
    ];
    for args in cases {
        api.cfmtls()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error:"));
    }
    assert!(api.requests().is_empty());
}

#[test]
fn missing_credentials_and_plain_http_are_usage_errors() {
    let api = Api::start();
    bare()
        .args(["--base-url", &api.server.uri(), "--allow-http"])
        .args(["mtls", "list", "--account-id", ACCOUNT])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no credentials"));
    bare()
        .args(["--base-url", &api.server.uri(), "--api-key", "k"])
        .args(["mtls", "list", "--account-id", ACCOUNT, "--allow-http"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--api-key needs --email"));
    bare()
        .args(["--base-url", &api.server.uri(), "--api-token", TOKEN])
        .args(["mtls", "list", "--account-id", ACCOUNT])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain http"));
    assert!(api.requests().is_empty());
}

/// The stand-in accepts only its own token, or its API key with an email: a success shows which
/// credentials were sent.
#[tokio::test]
async fn credentials_come_from_the_environment() {
    let s = StandIn::start().await;
    bare()
        .env("CLOUDFLARE_API_TOKEN", cloudflare_mtls::testing::TOKEN)
        .env("CLOUDFLARE_BASE_URL", s.base_url())
        .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT_ID)
        .args(["--allow-http", "mtls", "list"])
        .assert()
        .success();
    // API key and email.
    bare()
        .env("CLOUDFLARE_API_KEY", API_KEY)
        .env("CLOUDFLARE_EMAIL", "me@example.com")
        .args(["--base-url", s.base_url(), "--allow-http"])
        .args(["mtls", "list", "--account-id", ACCOUNT_ID])
        .assert()
        .success();
    let requests = s.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("x-auth-email"), Some("me@example.com"));
    assert_eq!(requests[1].header("authorization"), None);
    // A key the API does not know: Cloudflare's authentication error, exit 3.
    bare()
        .env("CLOUDFLARE_API_KEY", "global-key")
        .env("CLOUDFLARE_EMAIL", "me@example.com")
        .args(["--base-url", s.base_url(), "--allow-http"])
        .args(["mtls", "list", "--account-id", ACCOUNT_ID])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "Cloudflare API error 10000 (HTTP 403): Authentication error",
        ))
        .stderr(predicate::str::contains("global-key").not());
}

#[test]
fn bad_pem_exits_5_naming_the_file_and_sends_nothing() {
    let api = api_expecting_nothing();
    let dir = tempfile::tempdir().unwrap();
    let garbage = file(dir.path(), "garbage.pem", "this is not a certificate\n");
    let truncated = {
        let text = read("ca.pem");
        let cut: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
        file(dir.path(), "truncated.pem", &cut)
    };
    let corrupt = file(
        dir.path(),
        "corrupt.pem",
        "-----BEGIN CERTIFICATE-----\nMIIBAAAAAAAAAAAAAAAA\n-----END CERTIFICATE-----\n",
    );
    let missing = dir.path().join("missing.pem").display().to_string();
    let ca = data_str("ca.pem");
    let leaf = data_str("leaf.pem");
    let key = data_str("leaf.key");
    let csr = data_str("client.csr");
    let other_key = data_str("other.key");
    let rsa_key = data_str("rsa.key");
    let client_certs = ["client-certs", "create", "--zone-id", ZONE, "--csr"];
    let access = ["access", "create", "--zone", ZONE, "--name", "n", "--cert"];
    // One case a line: the command, the file the error names, what it says is wrong.
    #[rustfmt::skip]
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (args(&MTLS_UPLOAD, &["--cert", &garbage]), "garbage.pem", "no PEM block found"),
        (args(&MTLS_UPLOAD, &["--cert", &truncated]), "truncated.pem", "has no `-----END CERTIFICATE-----` line"),
        (args(&MTLS_UPLOAD, &["--cert", &corrupt]), "corrupt.pem", "not a valid X.509 certificate"),
        (args(&MTLS_UPLOAD, &["--cert", &missing]), "missing.pem", "cannot read"),
        (args(&MTLS_UPLOAD, &["--cert", &key]), "leaf.key", "PEM block 1 is PRIVATE KEY, expected CERTIFICATE"),
        (args(&MTLS_UPLOAD, &["--cert", &leaf, "--key", &ca]), "ca.pem", "expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"),
        (args(&MTLS_UPLOAD, &["--cert", &leaf, "--key", &other_key]), "other.key", "does not match the certificate"),
        (args(&access, &[&csr]), "client.csr", "expected CERTIFICATE"),
        (args(&client_certs, &[&leaf]), "leaf.pem", "expected CERTIFICATE REQUEST"),
        (args(&client_certs, &[&garbage]), "garbage.pem", "no PEM block found"),
        (args(&ZONE_UPLOAD, &["--cert", &leaf, "--key", &rsa_key]), "rsa.key", "an RSA key, an EC certificate"),
        (args(&HOSTNAME_UPLOAD, &["--cert", &corrupt, "--key", &key]), "corrupt.pem", "not a valid X.509"),
    ];
    for (args, named, problem) in cases {
        let ran = run(api.cfmtls().args(&args));
        assert_eq!(ran.code, 5, "{args:?}: {}", ran.stderr);
        let first = ran.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(named) && first.contains(problem),
            "{args:?}: {}",
            ran.stderr
        );
        for key in ["leaf.key", "rsa.key", "other.key"] {
            assert_no_key(&ran.stdout, &ran.stderr, key);
        }
    }
    assert!(api.requests().is_empty());
    api.verify();
}

#[test]
fn an_encrypted_key_is_refused_with_advice() {
    let api = api_expecting_nothing();
    let dir = tempfile::tempdir().unwrap();
    let key = file(
        dir.path(),
        "enc.key",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
    );
    api.cfmtls()
        .args(ZONE_UPLOAD)
        .args(["--cert", &data_str("leaf.pem"), "--key", &key])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "enc.key: the private key is encrypted",
        ));
    api.verify();
}

/// An upload to an account id Cloudflare cannot route (not 32 hex characters): its error 7003.
#[tokio::test]
async fn an_api_error_on_upload_does_not_print_the_key() {
    let s = StandIn::start().await;
    let unroutable = "acc0123456789";
    let ran = run(s
        .cfmtls()
        .args(["mtls", "upload", "--account-id", unroutable])
        .args([
            "--cert",
            &data_str("leaf.pem"),
            "--key",
            &data_str("leaf.key"),
        ]));
    assert_eq!(ran.code, 3);
    assert!(
        ran.stderr.contains("7003") && ran.stderr.contains("(HTTP 400)"),
        "{}",
        ran.stderr
    );
    assert_no_key(&ran.stdout, &ran.stderr, "leaf.key");
}

#[test]
fn secrets_from_the_environment_are_not_shown_in_help() {
    bare()
        .env("CLOUDFLARE_API_TOKEN", "token-secret-value")
        .env("CLOUDFLARE_API_KEY", "key-secret-value")
        .env("CLOUDFLARE_API_USER_SERVICE_KEY", "usk-secret-value")
        .args(["mtls", "list", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CLOUDFLARE_API_TOKEN"))
        .stdout(predicate::str::contains("secret-value").not());
}

#[test]
fn help_documents_the_exit_codes() {
    bare()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains(
            "3  the Cloudflare API answered with an error",
        ));
}
