//! `cfmtls expiring …`, against the library's stateful stand-in (`cloudflare_mtls::testing`):
//! certificates are seeded with chosen expiry dates, listings fail on demand.

use crate::common::{bare, run, AtStandIn, Ran};
use assert_cmd::Command;
use cloudflare_mtls::testing::{
    csr, Fault, Seed, StandIn, TestCertificate, TestCredentials, ACCOUNT_ID, ZONE_ID,
};
use cloudflare_mtls::types::ClientCertificateStatus;
use cloudflare_mtls::Scope;
use serde_json::Value;
use std::time::Duration;
use tokio::runtime::Runtime;

/// A second zone.
const ZONE_2: &str = "0123456789abcdef0123456789abcdef";

const DAY: u64 = 86_400;

/// The stand-in, and the runtime that started it (it serves on a thread of its own).
struct Api {
    _rt: Runtime,
    stand_in: StandIn,
}

impl Api {
    fn start() -> Api {
        let rt = Runtime::new().expect("runtime");
        let stand_in = rt.block_on(StandIn::start());
        Api { _rt: rt, stand_in }
    }

    fn seed(&self, seed: impl Into<Seed>) -> String {
        self.stand_in.seed(seed)
    }

    /// Seeds the CA certificate `ca` as an mTLS certificate called `name`.
    fn seed_ca(&self, ca: &TestCredentials, name: &str) -> String {
        self.seed(
            Seed::mtls_certificate(ACCOUNT_ID, &ca.certificate_pem)
                .ca(true)
                .name(name),
        )
    }

    /// Seeds a CA certificate of `subject` expiring in `days` as an Access certificate `name`.
    fn seed_access(&self, scope: Scope<'_>, name: &str, subject: &str, days: u64) -> String {
        let ca = cert(subject, true, days);
        self.seed(Seed::access_certificate(scope, name, &ca.certificate_pem))
    }

    /// Seeds `pair` as a zone-level origin pull certificate of `zone`.
    fn seed_origin_pull(&self, zone: &str, pair: &TestCredentials) -> String {
        self.seed(Seed::origin_pull_certificate(
            zone,
            &pair.certificate_pem,
            &pair.private_key_pem,
        ))
    }

    /// Seeds `pair` as a per-hostname origin pull certificate of `zone`.
    fn seed_hostname_cert(&self, zone: &str, pair: &TestCredentials) -> String {
        self.seed(Seed::hostname_certificate(
            zone,
            &pair.certificate_pem,
            &pair.private_key_pem,
        ))
    }

    /// `cfmtls` pointed at the stand-in, with its token, no retries and a clean environment.
    fn cfmtls(&self) -> Command {
        self.stand_in.cfmtls()
    }

    /// `cfmtls expiring` with `args`.
    fn expiring(&self, args: &[&str]) -> Ran {
        run(self.cfmtls().arg("expiring").args(args))
    }
}

/// A certificate expiring `days` days (and an hour, so that whole days left are `days`) from now.
fn cert(subject: &str, ca: bool, days: u64) -> TestCredentials {
    TestCertificate::new(subject)
        .ca(ca)
        .expires_in(Duration::from_secs(days * DAY + 3600))
        .build()
}

/// Asserts a usage error (exit 2) whose stderr says each of `says`; `what` names the case.
fn assert_usage_error(ran: &Ran, what: &str, says: &[&str]) {
    assert_eq!(ran.code, 2, "{what}: {}", ran.stderr);
    for text in says {
        assert!(
            ran.stderr.contains(text),
            "{what}: {text} missing:\n{}",
            ran.stderr
        );
    }
}

/// The table's data lines (without the header).
fn rows(stdout: &str) -> Vec<&str> {
    stdout.lines().skip(1).collect()
}

fn json(stdout: &str) -> Vec<Value> {
    match serde_json::from_str(stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("not a JSON array ({other:?}):\n{stdout}"),
    }
}

#[test]
fn nothing_expiring_exits_0_and_lists_everything() {
    let api = Api::start();
    let ca = cert("CN=Corp Root", true, 400);
    api.seed_ca(&ca, "corp-root");
    api.seed_access(Scope::Zone(ZONE_ID), "devices", "CN=Devices", 200);
    let ran = api.expiring(&["--account", ACCOUNT_ID, "--zone", ZONE_ID]);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let lines = rows(&ran.stdout);
    assert_eq!(lines.len(), 2, "{}", ran.stdout);
    assert!(lines[0].contains("devices") && lines[0].contains(&format!("zone {ZONE_ID}")));
    assert!(lines[0].contains(" 200 ") && lines[0].contains("access"));
    assert!(lines[1].contains("corp-root") && lines[1].contains(&format!("account {ACCOUNT_ID}")));
    assert!(!ran.stdout.contains('*'), "{}", ran.stdout);
    // Off a terminal: the summary alone.
    assert_eq!(
        ran.stderr, "0 of 2 certificates expire within 30 days\n",
        "{}",
        ran.stderr
    );
}

#[test]
fn a_certificate_within_the_window_exits_6_and_comes_first() {
    let api = Api::start();
    let soon = cert("CN=Corp Root 2025", true, 10);
    api.seed_ca(&soon, "corp-root");
    let late = cert("CN=origin.example.com", false, 300);
    api.seed_origin_pull(ZONE_ID, &late);
    let client_id =
        api.seed(Seed::client_certificate(ZONE_ID, &csr("CN=billing")).validity_days(5));
    let ran = api.expiring(&["--account", ACCOUNT_ID, "--zone", ZONE_ID]);
    assert_eq!(ran.code, 6, "{}{}", ran.stdout, ran.stderr);
    let lines = rows(&ran.stdout);
    assert_eq!(lines.len(), 3, "{}", ran.stdout);
    // Issued now for 5 days: 4 whole days left.
    assert!(lines[0].starts_with('*'), "{}", ran.stdout);
    assert!(
        lines[0].contains("client-cert")
            && lines[0].contains("billing")
            && lines[0].contains(&client_id),
        "{}",
        ran.stdout
    );
    assert!(lines[0].contains(" 4 ") && lines[0].contains("active"));
    assert!(
        lines[1].starts_with('*') && lines[1].contains("corp-root") && lines[1].contains(" 10 ")
    );
    // No name: the subject's common name.
    assert!(!lines[2].starts_with('*') && lines[2].contains("origin.example.com"));
    assert!(lines[2].contains("origin-pull"));
    assert_eq!(
        ran.stderr,
        "2 of 3 certificates expire within 30 days (marked *)\n"
    );
}

#[test]
fn several_kinds_across_two_zones_and_an_account_are_sorted_and_printed_as_json() {
    let api = Api::start();
    let mtls = cert("CN=Account CA", true, 100);
    api.seed_ca(&mtls, "account-ca");
    api.seed_access(
        Scope::Account(ACCOUNT_ID),
        "account-access",
        "CN=Account Access",
        50,
    );
    api.seed_access(Scope::Zone(ZONE_ID), "zone-access", "CN=Zone Access", 20);
    let origin = cert("CN=pull.zone1.example.com", false, 70);
    api.seed_origin_pull(ZONE_ID, &origin);
    api.seed(Seed::client_certificate(ZONE_ID, &csr("CN=zone1-client")).validity_days(300));
    let hostname = cert("CN=app.zone2.example.com", false, 40);
    let hostname_id = api.seed_hostname_cert(ZONE_2, &hostname);
    api.seed(Seed::client_certificate(ZONE_2, &csr("CN=zone2-client")));

    let ran = api.expiring(&[
        "--within",
        "45d",
        "--account",
        ACCOUNT_ID,
        "--zone",
        ZONE_ID,
        "--zone",
        ZONE_2,
        "--json",
    ]);
    assert_eq!(ran.code, 6, "{}{}", ran.stdout, ran.stderr);
    // JSON: no summary.
    assert_eq!(ran.stderr, "");
    let items = json(&ran.stdout);
    let got: Vec<(&str, &str, &str, i64, bool)> = items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or("?"),
                i["scope_id"].as_str().unwrap_or("?"),
                i["name"].as_str().unwrap_or("?"),
                i["days_left"].as_i64().unwrap_or(i64::MIN),
                i["within_window"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("access", ZONE_ID, "zone-access", 20, true),
            ("hostname-cert", ZONE_2, "app.zone2.example.com", 40, true),
            ("access", ACCOUNT_ID, "account-access", 50, false),
            ("origin-pull", ZONE_ID, "pull.zone1.example.com", 70, false),
            ("mtls", ACCOUNT_ID, "account-ca", 100, false),
            ("client-cert", ZONE_ID, "zone1-client", 299, false),
            ("client-cert", ZONE_2, "zone2-client", 3649, false),
        ]
    );
    let hostname_item = &items[1];
    assert_eq!(hostname_item["scope"], "zone");
    assert_eq!(hostname_item["id"], hostname_id.as_str());
    assert_eq!(hostname_item["status"], "active");
    assert_eq!(items[2]["scope"], "account");
    assert_eq!(items[2]["status"], Value::Null);
    for item in &items {
        let text = item["expires_on"].as_str().expect("an expiry date");
        assert!(
            chrono::DateTime::parse_from_rfc3339(text).is_ok() && text.ends_with('Z'),
            "{text}"
        );
        let keys: Vec<&str> = item
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys.len(), 9, "{item}");
    }
}

#[test]
fn a_failing_zone_is_reported_and_the_rest_still_listed_with_its_exit_code() {
    let api = Api::start();
    api.seed_ca(&cert("CN=Soon", true, 10), "expiring-soon");
    api.seed_access(Scope::Zone(ZONE_ID), "zone1-access", "CN=Zone Access", 200);
    api.seed_access(Scope::Zone(ZONE_2), "zone2-access", "CN=Hidden", 5);
    api.stand_in.inject(
        Fault::server_error(500)
            .on_path(&format!("/zones/{ZONE_2}/**"))
            .always(),
    );
    let ran = api.expiring(&["--account", ACCOUNT_ID, "--zone", ZONE_ID, "--zone", ZONE_2]);
    // Something expires, but the inventory is incomplete: the API error's code wins over 6.
    assert_eq!(ran.code, 3, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("expiring-soon") && ran.stdout.contains("zone1-access"));
    assert!(!ran.stdout.contains("zone2-access"), "{}", ran.stdout);
    let errors: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors.len(),
        4,
        "one per listing of the zone:\n{}",
        ran.stderr
    );
    for kind in [
        "Access mTLS certificates",
        "API Shield client certificates",
        "zone-level origin pull certificates",
        "per-hostname origin pull certificates",
    ] {
        let line =
            format!("error: zone {ZONE_2}: cannot list {kind}: Cloudflare API error (HTTP 500)");
        assert!(
            errors.iter().any(|e| e.starts_with(&line)),
            "no `{line}` in:\n{}",
            ran.stderr
        );
    }
    assert!(
        ran.stderr.ends_with(
            "1 of 2 certificates expires within 30 days (marked *); 4 listings failed: the \
             inventory is incomplete\n"
        ),
        "{}",
        ran.stderr
    );
    // Nothing failed about the account or the other zone.
    assert!(!ran.stderr.contains(ZONE_ID) && !ran.stderr.contains(ACCOUNT_ID));
}

#[test]
fn a_forbidden_listing_names_its_kind_scope_and_error() {
    let api = Api::start();
    api.stand_in.inject(
        Fault::api_error(403, 9109, "Unauthorized to access requested resource")
            .on("GET", &format!("/zones/{ZONE_ID}/client_certificates"))
            .always(),
    );
    let ran = api.expiring(&["--zone", ZONE_ID]);
    assert_eq!(ran.code, 3, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stderr.contains(&format!(
        "error: zone {ZONE_ID}: cannot list API Shield client certificates: Cloudflare API error \
         (HTTP 403): Unauthorized to access requested resource (9109)\n"
    )));
    assert_eq!(ran.stdout, "No certificates.\n");
}

#[test]
fn a_dropped_connection_exits_with_the_network_code() {
    let api = Api::start();
    api.stand_in.inject(
        Fault::drop_connection()
            .on("GET", &format!("/zones/{ZONE_ID}/origin_tls_client_auth"))
            .always(),
    );
    let ran = api.expiring(&["--zone", ZONE_ID, "--json"]);
    assert_eq!(ran.code, 4, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stderr.contains(&format!(
        "error: zone {ZONE_ID}: cannot list zone-level origin pull certificates: "
    )));
    assert_eq!(json(&ran.stdout), Vec::<Value>::new());
}

#[test]
fn revoked_client_certificates_are_listed_but_not_counted() {
    let api = Api::start();
    api.seed(
        Seed::client_certificate(ZONE_ID, &csr("CN=revoked-client"))
            .validity_days(5)
            .status(ClientCertificateStatus::Revoked),
    );
    api.seed(
        Seed::client_certificate(ZONE_ID, &csr("CN=leaving-client"))
            .validity_days(3)
            .status(ClientCertificateStatus::PendingRevocation),
    );
    let ran = api.expiring(&["--zone", ZONE_ID]);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let lines = rows(&ran.stdout);
    assert_eq!(lines.len(), 2, "{}", ran.stdout);
    assert!(lines[0].contains("leaving-client") && lines[0].contains("pending_revocation"));
    assert!(lines[1].contains("revoked-client") && lines[1].ends_with("revoked"));
    assert!(!ran.stdout.contains('*'));
    assert_eq!(ran.stderr, "0 of 2 certificates expire within 30 days\n");
    // Every status was asked for.
    let asked: Vec<String> = api
        .stand_in
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/client_certificates"))
        .filter_map(|r| r.query.clone())
        .collect();
    assert!(asked.iter().all(|q| q.contains("status=all")), "{asked:?}");
}

#[test]
fn the_window_is_what_within_says() {
    let api = Api::start();
    api.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &cert("CN=Root", true, 60).certificate_pem).ca(true),
    );
    let code = |within: &str| {
        api.expiring(&["--account", ACCOUNT_ID, "--within", within])
            .code
    };
    assert_eq!(code("30d"), 0);
    assert_eq!(code("9w"), 6);
    assert_eq!(code("90d"), 6);
    assert_eq!(code("12h"), 0);
    let ran = api.expiring(&["--account", ACCOUNT_ID, "--within", "2w"]);
    assert_eq!(ran.stderr, "0 of 1 certificate expire within 14 days\n");
}

#[test]
fn a_garbage_window_is_a_usage_error() {
    let api = Api::start();
    for bad in ["soon", "30", "-3d", "", "30 parsecs"] {
        let ran = api.expiring(&["--zone", ZONE_ID, &format!("--within={bad}")]);
        assert_usage_error(&ran, bad, &["invalid value", "--within"]);
    }
    assert!(api.stand_in.requests().is_empty());
}

#[test]
fn scopes_come_from_the_environment_without_options() {
    let api = Api::start();
    for (scope, name, subject) in [
        (Scope::Account(ACCOUNT_ID), "from-env-account", "CN=A"),
        (Scope::Zone(ZONE_ID), "from-env-zone", "CN=Z"),
    ] {
        api.seed_access(scope, name, subject, 100);
    }
    let env = |cmd: &mut Command| {
        cmd.env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT_ID)
            .env("CLOUDFLARE_ZONE_ID", ZONE_ID);
    };
    let mut both = api.cfmtls();
    env(&mut both);
    let ran = run(both.arg("expiring"));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stdout.contains("from-env-account") && ran.stdout.contains("from-env-zone"));

    // An option replaces both variables.
    let mut zone_only = api.cfmtls();
    env(&mut zone_only);
    let ran = run(zone_only.args(["expiring", "--zone", ZONE_ID]));
    assert!(!ran.stdout.contains("from-env-account") && ran.stdout.contains("from-env-zone"));

    // Neither: a usage error, before any request.
    api.stand_in.clear_requests();
    let ran = api.expiring(&[]);
    assert_usage_error(&ran, "no scope", &["--account ID and/or --zone ID"]);
    assert!(api.stand_in.requests().is_empty());
}

#[test]
fn paged_listings_are_read_to_the_end() {
    let api = Api::start();
    // The stand-in pages client certificates 20 at a time.
    for i in 0..23 {
        api.seed(Seed::client_certificate(
            ZONE_ID,
            &csr(&format!("CN=client-{i:02}")),
        ));
    }
    let ran = api.expiring(&["--zone", ZONE_ID, "--json"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(json(&ran.stdout).len(), 23);
    let pages = api
        .stand_in
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/client_certificates"))
        .count();
    assert_eq!(pages, 2);
}

#[test]
fn help_documents_the_choices_and_exit_codes() {
    let ran = run(bare().args(["expiring", "--help"]));
    assert_eq!(ran.code, 0);
    for text in [
        "--within <DURATION>",
        "[default: 30d]",
        "never count as expiring",
        "the inventory is incomplete",
        "6 when something does",
    ] {
        assert!(ran.stdout.contains(text), "no `{text}` in:\n{}", ran.stdout);
    }
    let ran = run(bare().arg("--help"));
    assert!(
        ran.stdout.contains("  6  cfmtls expiring"),
        "{}",
        ran.stdout
    );
}
