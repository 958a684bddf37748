//! What the client library guarantees, seen from the command line: a redirect is reported, never
//! followed (a wiremock server sends it); an empty or blank id is refused before anything is sent.

use crate::common::*;
use cloudflare_mtls::testing::{StandIn, ACCOUNT_ID, ZONE_ID};
use predicates::prelude::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A 302 (or 307 on an upload) to another origin: exit 3, the status and `Location` printed,
/// nothing sent there.
#[test]
fn a_redirect_exits_3_and_is_not_followed() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let elsewhere = rt.block_on(MockServer::start());
    let target = format!("{}/stolen", elsewhere.uri());
    rt.block_on(
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&elsewhere),
    );
    for (status, args) in [
        (302, vec!["mtls", "list", "--account-id", ACCOUNT]),
        (
            307,
            args(
                &ZONE_UPLOAD,
                &[
                    "--cert",
                    &data_str("leaf.pem"),
                    "--key",
                    &data_str("leaf.key"),
                ],
            ),
        ),
    ] {
        let api = Api::start();
        api.mount(Mock::given(any()).respond_with(
            ResponseTemplate::new(status).insert_header("location", target.as_str()),
        ));
        api.cfmtls()
            .args(&args)
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains(format!("HTTP {status}")))
            .stderr(predicate::str::contains(target.as_str()))
            .stderr(predicate::str::contains("not followed"));
        let stolen = rt
            .block_on(elsewhere.received_requests())
            .unwrap_or_default();
        assert!(
            stolen.is_empty(),
            "{args:?}: {} requests reached the other origin",
            stolen.len()
        );
        assert_eq!(
            api.requests().len(),
            1,
            "{args:?}: one request, not retried"
        );
    }
}

/// `cfmtls mtls delete ""` and friends: exit 5, the parameter named, no request.
#[tokio::test]
async fn an_empty_or_blank_id_exits_5_before_sending() {
    let s = StandIn::start().await;
    for args in [
        vec!["mtls", "delete", "", "--account-id", ACCOUNT_ID],
        vec!["mtls", "get", "  ", "--account-id", ACCOUNT_ID],
        vec!["mtls", "list", "--account-id", " "],
        vec!["client-certs", "get", "", "--zone-id", ZONE_ID],
        vec!["origin-pulls", "delete", "\t", "--zone-id", ZONE_ID],
    ] {
        s.cfmtls()
            .args(&args)
            .assert()
            .code(5)
            .stdout("")
            .stderr(predicate::str::contains("error: invalid request:"))
            .stderr(predicate::str::contains(
                "which would send the request to another resource",
            ));
    }
    assert!(
        s.requests().is_empty(),
        "{} requests sent",
        s.requests().len()
    );
}
