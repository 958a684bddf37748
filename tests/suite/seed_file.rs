//! Seed files (`testing::SeedFile`, `cfmtls stand-in --seed`): TOML and JSON with PEM files,
//! PEM text and generated material, applied all or nothing; every error names the file and the
//! entry, for an entry at any position of any list (generated).

use cloudflare_mtls::testing::{csr, SeedFile, StandIn, TestCertificate, ACCOUNT_ID, ZONE_ID};
use cloudflare_mtls::types::*;
use cloudflare_mtls::Scope;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A fresh folder of this test's own.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cfmtls-seed-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

const OTHER_ACCOUNT: &str = "0123456789abcdef0123456789abcdef";

/// A file with one of everything; the same document as TOML and as JSON.
fn full_document(ca_file: &str, app: &TestCertificateFiles) -> Value {
    json!({
        "accounts": [{
            "mtls_certificates": [
                {
                    "name": "corp-root", "ca": true,
                    "certificate": { "generate": "CN=Example Root CA", "expires_in_days": 20 },
                    "associations": [{ "service": "gateway", "status": "active" }],
                },
                { "certificate": { "file": ca_file }, "ca": true, "type": "access_managed" },
            ],
            "access_certificates": [{
                "name": "devices", "certificate": { "file": ca_file },
                "associated_hostnames": ["admin.example.com"],
            }],
            "access_hostname_settings": [{
                "hostname": "admin.example.com", "client_certificate_forwarding": true,
            }],
        }, {
            "id": OTHER_ACCOUNT,
            "mtls_certificates": [{ "certificate": { "generate": "CN=Other" }, "ca": true }],
        }],
        "zones": [{
            "origin_pulls_enabled": true,
            "access_certificates": [{ "name": "zone-devices", "certificate": { "generate": "CN=Zone CA" } }],
            "client_certificates": [
                { "csr": { "generate": "CN=billing" }, "validity_days": 30, "status": "revoked" },
                { "csr": { "pem": csr("CN=from text") } },
            ],
            "origin_pull_certificates": [{ "certificate": { "generate": "CN=origin-pull.example.com" } }],
            "hostname_certificates": [{
                "certificate": { "file": app.cert },
                "private_key": { "file": app.key },
                "hostnames": [
                    { "hostname": "app.example.com" },
                    { "hostname": "old.example.com", "enabled": false },
                ],
            }],
        }],
    })
}

struct TestCertificateFiles {
    cert: String,
    key: String,
}

/// Files beside the seed file: a CA certificate, a leaf certificate and its key.
fn material(dir: &Path) -> TestCertificateFiles {
    let root = TestCertificate::new("CN=From File CA").ca(true).build();
    write(dir, "ca.pem", &root.certificate_pem);
    let app = TestCertificate::new("CN=app.example.com").build();
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    write(dir, "keys/app.pem", &app.certificate_pem);
    write(dir, "keys/app.key", &app.private_key_pem);
    TestCertificateFiles {
        cert: "keys/app.pem".into(),
        key: "keys/app.key".into(),
    }
}

/// What a stand-in seeded with the full document holds, through the crate's client.
async fn check_full(s: &StandIn) {
    let client = s.client();
    let mtls = client.mtls_certificates();
    let ours = mtls.list(ACCOUNT_ID, Default::default()).await.unwrap();
    assert_eq!(ours.len(), 2);
    assert_eq!(ours[0].name.as_deref(), Some("corp-root"));
    assert_eq!(ours[1].issuer.as_deref(), Some("CN=From File CA"));
    assert_eq!(ours[1].type_, Some(MtlsCertificateType::AccessManaged));
    let days = (ours[0].expires_on.unwrap() - chrono::Utc::now()).num_days();
    assert!((19..=20).contains(&days), "{days}");
    let root = ours[0].id.as_deref().unwrap();
    let assoc = mtls.associations().list(ACCOUNT_ID, root).await.unwrap();
    assert_eq!(assoc.len(), 1);
    let other = mtls.list(OTHER_ACCOUNT, Default::default()).await.unwrap();
    assert_eq!(other.len(), 1);

    let access = client.access().certificates();
    let listed = access
        .list(Scope::Account(ACCOUNT_ID), Default::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        listed.items[0].associated_hostnames,
        Some(vec!["admin.example.com".to_owned()])
    );
    let settings = access
        .settings()
        .get(Scope::Account(ACCOUNT_ID))
        .await
        .unwrap();
    assert_eq!(settings.len(), 1);
    assert!(settings[0].client_certificate_forwarding);
    let zone_access = access
        .list(Scope::Zone(ZONE_ID), Default::default())
        .await
        .unwrap();
    assert_eq!(zone_access.items.len(), 1);

    let zone_clients = client.client_certificates();
    let clients = zone_clients.list(ZONE_ID, ClientCertificateListParams::new());
    let clients = clients.await.unwrap().items;
    assert_eq!(clients.len(), 2);
    assert_eq!(clients[0].status, Some(ClientCertificateStatus::Revoked));
    assert_eq!(clients[0].validity_days, Some(30));
    assert_eq!(clients[1].common_name.as_deref(), Some("from text"));

    let aop = client.origin_tls_client_auth();
    assert_eq!(
        aop.settings().get(ZONE_ID).await.unwrap().enabled,
        Some(true)
    );
    assert_eq!(
        aop.zone_certificates().list(ZONE_ID).await.unwrap().len(),
        1
    );
    let hostname_certs = aop.hostname_certificates().list(ZONE_ID).await.unwrap();
    assert_eq!(hostname_certs.len(), 1);
    for (hostname, enabled) in [("app.example.com", true), ("old.example.com", false)] {
        let status = aop.hostnames().get(ZONE_ID, hostname).await.unwrap();
        assert_eq!(status.enabled, Some(enabled), "{hostname}");
    }
}

/// The document as TOML text.
fn to_toml(doc: &Value) -> String {
    toml::to_string(doc).unwrap()
}

#[tokio::test]
async fn a_toml_file_and_its_json_twin_seed_everything() {
    let dir = folder("full");
    let app = material(&dir);
    let doc = full_document("ca.pem", &app);
    for path in [
        write(&dir, "seed.toml", &to_toml(&doc)),
        write(&dir, "seed.json", &doc.to_string()),
        write(&dir, "seed.JSON", &doc.to_string()),
    ] {
        let file = SeedFile::read(&path).unwrap();
        assert_eq!(file.account_id(), ACCOUNT_ID);
        assert_eq!(file.zone_id(), ZONE_ID);
        let s = StandIn::start().await;
        let seeded = s.seed_file(&file).unwrap();
        let entries: Vec<&str> = seeded.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(entries[0], "accounts[0].mtls_certificates[0]");
        assert!(entries.contains(&"zones[0].hostname_certificates[0]"));
        assert_eq!(seeded.len(), 11, "{entries:?}");
        check_full(&s).await;
    }
}

#[test]
fn the_first_account_and_zone_are_the_defaults_printed() {
    let doc = json!({ "accounts": [{ "id": OTHER_ACCOUNT }], "zones": [{ "id": OTHER_ACCOUNT }] });
    let file = SeedFile::from_json(&doc.to_string()).unwrap();
    assert_eq!(
        (file.account_id(), file.zone_id()),
        (OTHER_ACCOUNT, OTHER_ACCOUNT)
    );
    let empty = SeedFile::from_toml("").unwrap();
    assert_eq!((empty.account_id(), empty.zone_id()), (ACCOUNT_ID, ZONE_ID));
}

/// `SeedFile::read`'s error for `text` in a file named `name`.
fn read_error(dir: &Path, name: &str, text: &str) -> String {
    let path = write(dir, name, text);
    let error = SeedFile::read(&path).unwrap_err().to_string();
    assert!(error.starts_with(&path.display().to_string()), "{error}");
    error
}

#[test]
fn a_file_that_does_not_read_or_parse_is_named_with_the_place() {
    let dir = folder("parse");
    let missing = dir.join("absent.toml");
    let error = SeedFile::read(&missing).unwrap_err().to_string();
    assert!(
        error.contains("absent.toml") && error.contains("cannot read"),
        "{error}"
    );

    let error = read_error(&dir, "syntax.toml", "[[accounts]]\nid = \n");
    assert!(error.contains("line 2"), "{error}");
    let error = read_error(
        &dir,
        "unknown.toml",
        "[[zones]]\n[[zones.client_certificate]]\n",
    );
    assert!(error.contains("client_certificate"), "{error}");
    let error = read_error(&dir, "syntax.json", "{\"accounts\": [}");
    assert!(error.contains("line 1"), "{error}");
    let doc = json!({ "zones": [{ "client_certificates": [{ "csr": { "generate": "CN=a" } }, { "csr": 3 }] }] });
    let error = read_error(&dir, "typed.json", &doc.to_string());
    assert!(
        error.contains("zones[0].client_certificates[1].csr"),
        "{error}"
    );
    let doc = json!({ "accounts": [{ "mtls_certificates": [{ "certificate": { "generate": "CN=x" }, "colour": "red" }] }] });
    let error = read_error(&dir, "field.json", &doc.to_string());
    assert!(
        error.contains("accounts[0].mtls_certificates[0]") && error.contains("colour"),
        "{error}"
    );
}

/// `SeedFile::read` then apply: the error, which must leave the stand-in empty.
fn apply_error(dir: &Path, name: &str, doc: &Value) -> String {
    let path = write(dir, name, &doc.to_string());
    let file = SeedFile::read(&path).unwrap();
    runtime().block_on(async {
        let s = StandIn::start().await;
        let error = s.seed_file(&file).unwrap_err().to_string();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        let left = s
            .client()
            .mtls_certificates()
            .list(ACCOUNT_ID, Default::default())
            .await
            .unwrap();
        assert!(left.is_empty(), "a refused file adds nothing: {left:?}");
        error
    })
}

#[test]
fn an_entry_that_cannot_be_made_is_named_with_what_is_wrong() {
    let dir = folder("entries");
    let good = json!({ "certificate": { "generate": "CN=fine" }, "ca": true });
    let cases = [
        (
            json!({ "certificate": { "file": "nowhere.pem" } }),
            "accounts[0].mtls_certificates[1].certificate.file: cannot read",
        ),
        (
            json!({ "certificate": { "pem": "not PEM" } }),
            "accounts[0].mtls_certificates[1]: ",
        ),
        (
            json!({ "certificate": { "generate": "CN=x", "pem": "y" } }),
            "accounts[0].mtls_certificates[1].certificate: give exactly one of",
        ),
        (
            json!({ "certificate": {} }),
            "accounts[0].mtls_certificates[1].certificate: give exactly one of",
        ),
        (
            json!({ "certificate": { "generate": "not a name" } }),
            "accounts[0].mtls_certificates[1].certificate: subject",
        ),
    ];
    for (i, (bad, says)) in cases.into_iter().enumerate() {
        let doc = json!({ "accounts": [{ "mtls_certificates": [good.clone(), bad] }] });
        let error = apply_error(&dir, &format!("case{i}.json"), &doc);
        assert!(error.contains(says), "{error} should say {says}");
    }
    let doc = json!({ "accounts": [{ "mtls_certificates": [good.clone()] }, { "id": "ACC" }] });
    let error = apply_error(&dir, "id.json", &doc);
    assert!(
        error.contains("accounts[1].id: \"ACC\" is not an account id"),
        "{error}"
    );
    let doc = json!({ "accounts": [{ "mtls_certificates": [good.clone()] }], "zones": [{ "id": "z", "origin_pulls_enabled": true }] });
    let error = apply_error(&dir, "zone-id.json", &doc);
    assert!(
        error.contains("zones[0].id: \"z\" is not a zone id"),
        "{error}"
    );
    let doc = json!({ "accounts": [{ "mtls_certificates": [good.clone()] }], "zones": [{
        "origin_pull_certificates": [{ "certificate": { "generate": "CN=o" }, "private_key": { "pem": "k" } }],
    }] });
    let error = apply_error(&dir, "key.json", &doc);
    assert!(error.contains("zones[0].origin_pull_certificates[0].private_key: a generated certificate comes with its own key"), "{error}");
    let doc = json!({ "accounts": [{ "mtls_certificates": [good.clone()] }], "zones": [{
        "hostname_certificates": [{ "certificate": { "pem": TestCertificate::new("CN=h").build().certificate_pem } }],
    }] });
    let error = apply_error(&dir, "nokey.json", &doc);
    assert!(
        error.contains("zones[0].hostname_certificates[0].private_key: required"),
        "{error}"
    );
    let doc = json!({ "accounts": [{ "mtls_certificates": [good] }], "zones": [{
        "client_certificates": [{ "csr": { "generate": "CN=c", "expires_in_days": 3 } }],
    }] });
    let error = apply_error(&dir, "csr.json", &doc);
    assert!(
        error.contains("zones[0].client_certificates[0].csr.expires_in_days"),
        "{error}"
    );
}

/// The lists of a seed file, a valid entry and a broken one for each.
fn list_kind(kind: usize) -> (&'static str, &'static str, Value, Value) {
    let cert = || json!({ "generate": "CN=ok" });
    match kind {
        0 => (
            "accounts",
            "mtls_certificates",
            json!({ "certificate": cert(), "ca": true }),
            json!({ "certificate": { "pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" } }),
        ),
        1 => (
            "accounts",
            "access_certificates",
            json!({ "name": "n", "certificate": cert() }),
            json!({ "name": "n", "certificate": { "file": "missing.pem" } }),
        ),
        2 => (
            "zones",
            "access_certificates",
            json!({ "name": "n", "certificate": cert() }),
            json!({ "name": "n", "certificate": { "generate": "no name" } }),
        ),
        3 => (
            "zones",
            "client_certificates",
            json!({ "csr": { "generate": "CN=c" } }),
            json!({ "csr": { "generate": "CN=c" }, "validity_days": 0 }),
        ),
        4 => (
            "zones",
            "client_certificates",
            json!({ "csr": { "generate": "CN=c" } }),
            json!({ "csr": { "generate": "CN=c" }, "status": "expired" }),
        ),
        5 => (
            "zones",
            "origin_pull_certificates",
            json!({ "certificate": cert() }),
            json!({ "certificate": { "pem": "x" }, "private_key": { "pem": "y" } }),
        ),
        _ => (
            "zones",
            "hostname_certificates",
            json!({ "certificate": cert() }),
            json!({ "certificate": cert(), "private_key": { "generate": "CN=k" } }),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the list and the position of the broken entry (after other holders and entries),
    /// the error names the file and exactly that entry, and nothing of the file is added.
    #[test]
    fn the_error_names_the_broken_entry_wherever_it_is(
        kind in 0usize..7,
        holders in 1usize..3,
        entries in 1usize..4,
        broken_at in 0usize..4,
    ) {
        let (holder, list, good, bad) = list_kind(kind);
        let broken_at = broken_at % entries;
        let holder_at = holders - 1;
        let mut docs = Vec::new();
        for h in 0..holders {
            let id = format!("{h:032x}");
            let mut items: Vec<Value> = (0..entries).map(|_| good.clone()).collect();
            if h == holder_at {
                items[broken_at] = bad.clone();
            }
            docs.push(json!({ "id": id, list: items }));
        }
        let doc = json!({ holder: docs });
        let dir = folder(&format!("prop-{kind}-{holders}-{entries}-{broken_at}"));
        let error = apply_error(&dir, "seed.json", &doc);
        let entry = format!("{holder}[{holder_at}].{list}[{broken_at}]");
        prop_assert!(error.contains(&entry), "{} should name {}", error, entry);
        for other in (0..entries).filter(|&e| e != broken_at) {
            let wrong = format!("{holder}[{holder_at}].{list}[{other}]");
            prop_assert!(!error.contains(&format!("{wrong}:")) && !error.contains(&format!("{wrong}.")), "{}", error);
        }
        // The same document as TOML: the same entry named.
        let path = write(&dir, "seed.toml", &to_toml(&doc));
        let file = SeedFile::read(&path).unwrap();
        let toml_error = runtime().block_on(async { StandIn::start().await.seed_file(&file).unwrap_err().to_string() });
        prop_assert!(toml_error.contains(&entry), "{}", toml_error);
    }
}
