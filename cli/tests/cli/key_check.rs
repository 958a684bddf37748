//! The key check of the upload commands (`--key` against `--cert`), with keys and certificates
//! made by the test (`keys.rs`): a key that does not match is refused before anything is sent,
//! one cfmtls cannot check is refused unless `--skip-key-check`. What is refused is checked against a
//! wiremock server that expects nothing; what is uploaded, against the library's stand-in.

use crate::common::*;
use crate::keys;
use cloudflare_mtls::testing::{StandIn, ACCOUNT_ID, ZONE_ID};
use serde_json::json;
use std::path::Path;

/// Asserts that no base64 line of the PEM `key` appears in the output.
fn assert_key_not_printed(ran: &Ran, key: &str) {
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(
            !ran.stdout.contains(line) && !ran.stderr.contains(line),
            "the private key was printed:\n{}\n{}",
            ran.stdout,
            ran.stderr
        );
    }
}

#[test]
fn a_mismatched_ec_key_without_its_public_key_is_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    for curve in [keys::P256, keys::P384] {
        let mine = keys::ec_key(curve);
        let other = keys::ec_key(curve);
        let cert = file(dir.path(), "leaf.pem", &mine.certificate(false));
        // `openssl ec -no_public` and PKCS#8 without the public key: nothing to compare but
        // what is derived from the private scalar.
        for (name, text) in [
            ("other-sec1.key", other.sec1_pem(None)),
            ("other-pkcs8.key", other.pkcs8_pem(None)),
        ] {
            let key = file(dir.path(), name, &text);
            let api = api_expecting_nothing();
            for args in [&MTLS_UPLOAD[..], &ZONE_UPLOAD, &HOSTNAME_UPLOAD] {
                let ran = run(api
                    .cfmtls()
                    .args(args)
                    .args(["--cert", &cert, "--key", &key]));
                assert_eq!(ran.code, 5, "{args:?} {name}: {}", ran.stderr);
                assert_eq!(
                    ran.stderr,
                    format!(
                        "error: {key}: the private key does not match the certificate in {cert}\n"
                    ),
                );
                assert!(ran.stdout.is_empty(), "{}", ran.stdout);
                assert_key_not_printed(&ran, &text);
            }
            assert!(api.requests().is_empty());
            api.verify();
        }
    }
}

#[tokio::test]
async fn the_matching_key_without_its_public_key_is_uploaded() {
    let s = StandIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mine = keys::ec_key(keys::P256);
    let cert_pem = mine.certificate(false);
    let cert = file(dir.path(), "leaf.pem", &cert_pem);
    let key_pem = mine.sec1_pem(None);
    let key = file(dir.path(), "leaf.key", &key_pem);
    let ran = run(s
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT_ID])
        .args(["--cert", &cert, "--key", &key]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_key_not_printed(&ran, &key_pem);
    let requests = s.requests();
    assert_eq!(requests.len(), 1);
    let sent = requests[0].json().expect("a JSON body");
    assert_eq!(sent["certificates"], json!(cert_pem));
    assert_eq!(sent["private_key"], json!(key_pem));
}

/// An Ed448 key and a certificate for it, in `dir`: (key path, key PEM, certificate path). An
/// Ed448 key is any 57 bytes; its certificate holds random bytes where the public key would be
/// (neither cfmtls nor this test can derive it).
fn ed448_pair(dir: &Path) -> (String, String, String) {
    let key_pem = keys::eddsa_pem(keys::ED448, &keys::random::<57>(), None);
    let key = file(dir, "ed448.key", &key_pem);
    let cert_pem = keys::certificate(keys::ED448, None, &keys::random::<57>());
    let cert = file(dir, "ed448.pem", &cert_pem);
    (key, key_pem, cert)
}

#[test]
fn a_key_cfmtls_cannot_check_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (key, key_pem, cert) = ed448_pair(dir.path());

    let api = api_expecting_nothing();
    let ran = run(api
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT])
        .args(["--cert", &cert, "--key", &key]));
    assert_eq!(ran.code, 5, "{}", ran.stderr);
    assert_eq!(
        ran.stderr,
        format!(
            "error: {key}: cannot check an Ed448 key against the certificate; pass \
             --skip-key-check to upload it unchecked\n"
        )
    );
    assert_key_not_printed(&ran, &key_pem);
    assert!(api.requests().is_empty());
    api.verify();
}

#[tokio::test]
async fn a_key_cfmtls_cannot_check_is_uploaded_with_skip_key_check() {
    let dir = tempfile::tempdir().unwrap();
    let (key, key_pem, cert) = ed448_pair(dir.path());
    let s = StandIn::start().await;
    for args in [
        vec!["mtls", "upload", "--account-id", ACCOUNT_ID],
        vec!["origin-pulls", "upload", "--zone-id", ZONE_ID],
    ] {
        let ran =
            run(s
                .cfmtls()
                .args(&args)
                .args(["--cert", &cert, "--key", &key, "--skip-key-check"]));
        assert_eq!(ran.code, 0, "{args:?}: {}", ran.stderr);
        assert_key_not_printed(&ran, &key_pem);
    }
    let requests = s.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            request.json().expect("a JSON body")["private_key"],
            json!(key_pem)
        );
    }
}

#[test]
fn skip_key_check_still_wants_a_valid_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let cert = file(
        dir.path(),
        "leaf.pem",
        &keys::ec_key(keys::P256).certificate(false),
    );
    let not_a_key = file(
        dir.path(),
        "broken.key",
        &keys::pem("EC PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x07]),
    );
    let api = api_expecting_nothing();
    let ran = run(api
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT])
        .args(["--cert", &cert, "--key", &not_a_key, "--skip-key-check"]));
    assert_eq!(ran.code, 5, "{}", ran.stderr);
    assert!(
        ran.stderr.starts_with(&format!(
            "error: {not_a_key}: not a valid SEC1 EC private key"
        )),
        "{}",
        ran.stderr
    );
    // Without --key there is no key to skip the check of: a usage error.
    let ran = run(api
        .cfmtls()
        .args(["mtls", "upload", "--account-id", ACCOUNT])
        .args(["--cert", &cert, "--skip-key-check"]));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(api.requests().is_empty());
    api.verify();
}
