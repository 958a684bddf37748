//! Contract tests, second stage: the stand-in (`cloudflare_mtls::testing::StandIn`) behind
//! Stoplight Prism in proxy mode, validated against Cloudflare's published OpenAPI document
//! (`../shared/specs/cloudflare-mtls-2024-08-06.json`, through the temporary copy
//! `scripts/contract.sh` writes: its header comment lists every rewrite and why, among them a
//! repair of the `4XX` envelopes without which Prism validates no error response at all).
//!
//! Each test starts a `StandIn`, then `prism proxy <spec> <stand-in base URL>` on a free loopback
//! port (a child process, killed by a guard when the test ends, panics included), and sends its
//! requests through the typed client to Prism. Prism validates each request, forwards it to the
//! stand-in (valid or not: it runs without `--errors`, so answers reach the client unchanged),
//! validates the stand-in's response against the operation's responses in the document (the
//! documented success status and its schema, or `4XX` for an error answer) and reports every
//! violation in an `sl-violations` response header and in its log.
//!
//! Paths: the client's base URL is Prism's root (the document's paths have no `/client/v4`: Prism
//! matches them against the request path as it is), and the upstream is
//! `StandIn::base_url()` (`http://127.0.0.1:PORT/client/v4`): Prism appends the request path to the
//! upstream URL's path, so the stand-in receives `/client/v4/accounts/…`, as Cloudflare does. A
//! request whose path matches no operation is forwarded unvalidated with a "Selected route not
//! found" warning, which counts as a violation here.
//!
//! Built only with `--features contract-tests`; run it with `bash scripts/contract.sh`, which sets
//! `CONTRACT_PRISM` (the Prism executable), `CONTRACT_SPEC_FILE` (the temporary spec) and
//! `CONTRACT_PROXY_LOG_DIR` (where each test writes Prism's log, `<test>.log`, and pid,
//! `<test>.pid`; the script prints the counts of the logs). The first two are required: without
//! them these tests fail, they never skip.
//!
//! What is checked (`every_operation_of_the_stand_in_validates`):
//! - all 38 operations of `spec/cloudflare-mtls.json`, in a stateful order (create, list, get,
//!   update, delete; the client certificate lifecycle; hostname associations made and voided;
//!   Access certificates and settings on both scopes), each call checked to be the operation it
//!   claims (method and path against the spec);
//! - error answers the stand-in gives (404 for unknown ids, 400 for a certificate, key or CSR that
//!   does not parse, 400 for a state that forbids the change, 403 for a wrong token), validated
//!   against the document's `4XX` responses;
//! - zero violations: from the `sl-violations` header of every 2xx response, and from Prism's log
//!   for the error answers (the typed client keeps no headers of those; requests are sent one at a
//!   time, so the log's "Request received" entries are in the order sent);
//! - not vacuous: Prism's log holds exactly the requests sent, in order, all forwarded, and the
//!   stand-in received exactly those requests, in order.
//!
//! `the_proxy_reports_violations` shows the validator is live in this setup, for every operation:
//! a broken success answer and a broken `4XX` answer of each (injected faults), and a request out
//! of range, are all reported (in a log of their own).
//!
//! What this module shares with `client` (the documents and operationIds, the check of a call
//! against the spec, one call of every operation, the parsing of Prism's header and log) is in
//! `shared`; the clients come from the support layer (`cloudflare_mtls_test_support`).

use crate::shared::*;
use cloudflare_mtls::testing::{self, csr, Fault, Seed, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Credentials, Error, FromBody, Nullable, Scope};
use cloudflare_mtls_test_support::client_with;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ACCOUNT_ID: &str = testing::ACCOUNT_ID;
const ZONE_ID: &str = testing::ZONE_ID;
/// Ids of the right shapes that name nothing (32 hex digits; a UUID for Access certificates).
const UNKNOWN_ID: &str = "0123456789abcdef0123456789abcdef";
const UNKNOWN_UUID: &str = "8c2e6f5a-3b1d-4e7f-9a0b-1c2d3e4f5a6b";

// ---------------------------------------------------------------------------------------------
// Environment and the Prism proxy
// ---------------------------------------------------------------------------------------------

/// The temporary spec Prism validates with (`CONTRACT_SPEC_FILE`, required).
fn spec_file() -> String {
    required_env(
        "CONTRACT_SPEC_FILE",
        "the OpenAPI document Prism validates with",
    )
}

/// `prism proxy` in front of an upstream, as a child process; killed when dropped (a panicking
/// test included).
struct PrismProxy {
    child: Child,
    /// Prism's base URL: the client's base URL.
    url: String,
    log: PathBuf,
}

impl PrismProxy {
    /// Starts `prism proxy <CONTRACT_SPEC_FILE> <upstream>` on a free loopback port, its output
    /// in `<CONTRACT_PROXY_LOG_DIR>/<name>.log`, and waits until it answers.
    async fn start(name: &str, upstream: &str) -> PrismProxy {
        let prism = required_env("CONTRACT_PRISM", "the Prism executable");
        let spec = spec_file();
        let dir = std::env::var("CONTRACT_PROXY_LOG_DIR")
            .ok()
            .filter(|d| !d.trim().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let err = out.try_clone().expect("the log file handle clones");
        let port = free_port();
        // No `--errors`: violations are reported (header and log), answers pass unchanged.
        let child = Command::new(&prism)
            .args(["proxy", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg(&spec)
            .arg(upstream)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {prism}: {e}"));
        // Its pid, for scripts/contract.sh to stop it should this process be killed before the
        // guard runs.
        let _ = std::fs::write(dir.join(format!("{name}.pid")), child.id().to_string());
        let mut proxy = PrismProxy {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        proxy.wait_until_ready(port).await;
        proxy
    }

    /// Waits (60 s at most) until Prism answers a CORS preflight, which it answers itself: no
    /// request is logged or forwarded.
    async fn wait_until_ready(&mut self, port: u16) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "prism proxy exited ({status}) before answering; its log:\n{}",
                    self.log_text()
                );
            }
            if preflight(port).await {
                eprintln!(
                    "prism proxy is up on {} (pid {}, {:.1} s, log {})",
                    self.url,
                    self.child.id(),
                    started.elapsed().as_secs_f64(),
                    self.log.display()
                );
                return;
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!(
                    "prism proxy did not answer on {} within 60 s; its log:\n{}",
                    self.url,
                    self.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Prism's log, parsed, once it holds `expected` requests and has stopped growing (it is
    /// written asynchronously, just before each answer is sent), which must be exactly the
    /// `expected` requests sent. Panics after 20 s.
    async fn requests_logged(&self, expected: usize) -> Vec<LoggedRequest> {
        let started = Instant::now();
        let mut last = String::new();
        loop {
            let text = self.log_text();
            let parsed = parse_log(&text);
            if parsed.len() >= expected && text == last {
                assert_eq!(
                    parsed.len(),
                    expected,
                    "Prism logged {} requests, {expected} were sent",
                    parsed.len()
                );
                return parsed;
            }
            if started.elapsed() > Duration::from_secs(20) {
                panic!(
                    "Prism's log holds {} requests, {expected} were sent; the log:\n{text}",
                    parsed.len()
                );
            }
            last = text;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
}

impl Drop for PrismProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port free right now (Prism binds it a moment later).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

/// Whether Prism answers a CORS preflight on `port` with 204.
async fn preflight(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let probe = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        stream
            .write_all(
                b"OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost\r\n\
                  Access-Control-Request-Method: GET\r\nConnection: close\r\n\r\n",
            )
            .await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<bool, std::io::Error>(head.starts_with(b"HTTP/1.1 204"))
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), probe).await,
        Ok(Ok(true))
    )
}

// ---------------------------------------------------------------------------------------------
// Sending and accounting
// ---------------------------------------------------------------------------------------------

/// One request the test sent.
struct Sent {
    op: &'static str,
    method: String,
    path: String,
    status: u16,
    /// The `sl-violations` of a 2xx response; `None` for an error answer, whose headers the typed
    /// client does not keep (Prism's log tells instead).
    header: Option<Vec<String>>,
}

/// The requests of a run, in the order sent, each checked to be the operation it claims.
struct Run {
    ops: Operations,
    sent: Vec<Sent>,
}

impl Run {
    fn new() -> Run {
        Run {
            ops: operations(&our_spec()),
            sent: Vec::new(),
        }
    }

    /// Checks that `call` is operation `op` of the spec (method and path).
    fn target<T>(&self, op: &str, call: &Call<'_, T>) -> (String, String) {
        target(&self.ops, op, call)
    }

    /// Sends `call` (operation `op`), which must succeed; returns the result.
    async fn ok<T: FromBody>(&mut self, op: &'static str, call: Call<'_, T>) -> T {
        let (method, path) = self.target(op, &call);
        match call.send_with_response().await {
            Ok(response) => {
                self.sent.push(Sent {
                    op,
                    method,
                    path,
                    status: response.status().as_u16(),
                    header: Some(header_violations(response.headers())),
                });
                response.into_inner().result
            }
            Err(e) => panic!("{op}: {method} {path}: {e:?}"),
        }
    }

    /// Sends `call` (operation `op`), which the stand-in must refuse with HTTP `status`; returns
    /// the error.
    async fn fails<T: FromBody>(
        &mut self,
        op: &'static str,
        status: u16,
        call: Call<'_, T>,
    ) -> Error {
        let (method, path) = self.target(op, &call);
        let e = match call.send_with_response().await {
            Ok(response) => panic!(
                "{op}: {method} {path}: expected {status}, got {}",
                response.status()
            ),
            Err(e) => e,
        };
        let got = e.status().map(|s| s.as_u16());
        assert!(
            matches!(e, Error::Api(_)) && got == Some(status),
            "{op}: {method} {path}: expected Error::Api {status}, got {e:?}"
        );
        assert!(
            e.api().is_some_and(|a| !a.errors.is_empty()),
            "{op}: {method} {path}: an error envelope with its errors, got {e:?}"
        );
        self.sent.push(Sent {
            op,
            method,
            path,
            status,
            header: None,
        });
        e
    }
}

// ---------------------------------------------------------------------------------------------
// Every operation, in a stateful order
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_operation_of_the_stand_in_validates() {
    let stand_in = StandIn::start().await;
    let proxy = PrismProxy::start("stand-in", stand_in.base_url()).await;
    assert!(
        stand_in.requests().is_empty(),
        "the readiness probe reached the stand-in"
    );
    let client = client_with(&proxy.url, Credentials::Token(testing::TOKEN.into()));
    let mut run = Run::new();

    account_mtls_certificates(&mut run, &client, &stand_in).await;
    ca_hostname_associations(&mut run, &client).await;
    for scope in [Scope::Account(ACCOUNT_ID), Scope::Zone(ZONE_ID)] {
        access_certificates(&mut run, &client, scope).await;
    }
    client_certificates(&mut run, &client).await;
    zone_origin_pulls(&mut run, &client).await;
    hostname_origin_pulls(&mut run, &client).await;
    other_credentials(&mut run, &proxy).await;

    check(&run, &proxy, &stand_in).await;
}

/// Account mTLS certificates: upload a CA and a leaf with its key, list, get, associations,
/// delete; an unparsable certificate, an unknown id, a certificate in use.
async fn account_mtls_certificates(run: &mut Run, client: &Client, stand_in: &StandIn) {
    use mtls_ops::{ASSOCIATIONS, DELETE, GET, LIST, UPLOAD};
    let mtls = client.mtls_certificates();

    let empty = run
        .ok(LIST, mtls.list(ACCOUNT_ID, Default::default()))
        .await;
    assert!(empty.is_empty());

    let ca = TestCertificate::new("CN=Example Root CA,O=Example Corp,C=US")
        .ca(true)
        .build();
    let body = MtlsCertificateCreate::new(true, &ca.certificate_pem).name("corp-root");
    let root = run.ok(UPLOAD, mtls.create(ACCOUNT_ID, &body)).await;
    let root_id = root.id.clone().expect("the upload has an id");
    assert_eq!(root.ca, Some(true));
    assert!(root
        .issuer
        .as_deref()
        .unwrap_or_default()
        .contains("Example Root CA"));
    assert!(root.updated_at.is_some() && root.uploaded_on.is_some());

    let leaf = TestCertificate::new("CN=api.example.com,O=Example Corp").build();
    let body = MtlsCertificateCreate::new(false, &leaf.certificate_pem)
        .name("api-leaf")
        .private_key(&leaf.private_key_pem);
    let leaf_id = run
        .ok(UPLOAD, mtls.create(ACCOUNT_ID, &body))
        .await
        .id
        .expect("the upload has an id");

    let all = run
        .ok(LIST, mtls.list(ACCOUNT_ID, Default::default()))
        .await;
    assert_eq!(all.len(), 2);
    let params = MtlsCertificateListParams::new().type_(vec![MtlsCertificateType::Custom]);
    assert_eq!(run.ok(LIST, mtls.list(ACCOUNT_ID, params)).await.len(), 2);

    let got = run.ok(GET, mtls.get(ACCOUNT_ID, &root_id)).await;
    assert_eq!(got.name.as_deref(), Some("corp-root"));
    assert_eq!(got.type_, Some(MtlsCertificateType::Custom));
    let associations = run
        .ok(ASSOCIATIONS, mtls.associations().list(ACCOUNT_ID, &root_id))
        .await;
    assert!(associations.is_empty());

    // A certificate a Cloudflare service uses (seeded: no operation associates one).
    let gateway_ca = TestCertificate::new("CN=Gateway CA").ca(true).build();
    let in_use = stand_in.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &gateway_ca.certificate_pem)
            .ca(true)
            .name("gateway-ca")
            .association("gateway", "active"),
    );
    let associations = run
        .ok(ASSOCIATIONS, mtls.associations().list(ACCOUNT_ID, &in_use))
        .await;
    assert_eq!(associations.len(), 1);
    assert_eq!(associations[0].service.as_deref(), Some("gateway"));
    run.fails(DELETE, 400, mtls.delete(ACCOUNT_ID, &in_use))
        .await;

    let deleted = run.ok(DELETE, mtls.delete(ACCOUNT_ID, &leaf_id)).await;
    assert_eq!(deleted.id.as_deref(), Some(leaf_id.as_str()));
    let e = run.fails(GET, 404, mtls.get(ACCOUNT_ID, &leaf_id)).await;
    assert!(e.is_not_found());
    run.fails(
        ASSOCIATIONS,
        404,
        mtls.associations().list(ACCOUNT_ID, UNKNOWN_ID),
    )
    .await;
    run.fails(DELETE, 404, mtls.delete(ACCOUNT_ID, UNKNOWN_ID))
        .await;
    let bad = MtlsCertificateCreate::new(
        true,
        "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
    );
    run.fails(UPLOAD, 400, mtls.create(ACCOUNT_ID, &bad)).await;
}

/// API Shield hostname associations of a CA: a CA uploaded to the account bound to two hostnames
/// (bring your own CA), listed, in use by `api_shield` and so not deletable; a hostname for the
/// managed CA (no `mtls_certificate_id`); unbound with an empty list; an unknown id, a leaf.
async fn ca_hostname_associations(run: &mut Run, client: &Client) {
    use ca_hostname_ops::{LIST, PUT};
    let mtls = client.mtls_certificates();
    let hostnames = client.certificate_authorities().hostname_associations();

    let ca = TestCertificate::new("CN=API Shield CA,O=Example Corp")
        .ca(true)
        .build();
    let body = MtlsCertificateCreate::new(true, &ca.certificate_pem).name("api-shield-ca");
    let ca_id = run
        .ok(mtls_ops::UPLOAD, mtls.create(ACCOUNT_ID, &body))
        .await
        .id
        .expect("the upload has an id");
    let of_ca = || HostnameAssociationGetParams::new().mtls_certificate_id(&ca_id);
    let empty = run.ok(LIST, hostnames.get(ZONE_ID, of_ca())).await;
    assert_eq!(empty.hostnames.as_deref(), Some(&[][..]));

    let bound = run
        .ok(PUT, hostnames.update(ZONE_ID, &ca_hostnames_update(&ca_id)))
        .await;
    assert_eq!(bound.hostnames.map(|h| h.len()), Some(2));
    let listed = run.ok(LIST, hostnames.get(ZONE_ID, of_ca())).await;
    assert_eq!(
        listed.hostnames.as_deref(),
        Some(&["api.example.com".to_string(), HOSTNAME.to_string()][..])
    );
    let associations = run
        .ok(
            mtls_ops::ASSOCIATIONS,
            mtls.associations().list(ACCOUNT_ID, &ca_id),
        )
        .await;
    assert_eq!(associations.len(), 1);
    assert_eq!(associations[0].service.as_deref(), Some("api_shield"));
    run.fails(mtls_ops::DELETE, 400, mtls.delete(ACCOUNT_ID, &ca_id))
        .await;

    // The managed CA: no `mtls_certificate_id`. The hostname moves to it from the uploaded CA.
    let managed = HostnameAssociationUpdate::new().hostnames(vec![HOSTNAME.into()]);
    let moved = run.ok(PUT, hostnames.update(ZONE_ID, &managed)).await;
    assert_eq!(
        moved.hostnames.as_deref(),
        Some(&[HOSTNAME.to_string()][..])
    );
    let listed = run.ok(LIST, hostnames.get(ZONE_ID, of_ca())).await;
    assert_eq!(
        listed.hostnames.as_deref(),
        Some(&["api.example.com".to_string()][..])
    );

    // Unbinding: an empty list for the CA; then it can be deleted.
    let unbind = HostnameAssociationUpdate::new()
        .hostnames(Vec::new())
        .mtls_certificate_id(&ca_id);
    let unbound = run.ok(PUT, hostnames.update(ZONE_ID, &unbind)).await;
    assert_eq!(unbound.hostnames.as_deref(), Some(&[][..]));
    let none = HostnameAssociationUpdate::new().hostnames(Vec::new());
    run.ok(PUT, hostnames.update(ZONE_ID, &none)).await;

    // Cloudflare's refusals: an id no account has, a leaf certificate.
    let unknown = HostnameAssociationGetParams::new().mtls_certificate_id(UNKNOWN_ID);
    run.fails(LIST, 404, hostnames.get(ZONE_ID, unknown)).await;
    run.fails(
        PUT,
        404,
        hostnames.update(ZONE_ID, &ca_hostnames_update(UNKNOWN_ID)),
    )
    .await;
    let leaf = TestCertificate::new("CN=leaf.example.com").build();
    let body =
        MtlsCertificateCreate::new(false, &leaf.certificate_pem).private_key(&leaf.private_key_pem);
    let leaf_id = run
        .ok(mtls_ops::UPLOAD, mtls.create(ACCOUNT_ID, &body))
        .await
        .id
        .expect("the upload has an id");
    run.fails(
        PUT,
        400,
        hostnames.update(ZONE_ID, &ca_hostnames_update(&leaf_id)),
    )
    .await;
    run.ok(mtls_ops::DELETE, mtls.delete(ACCOUNT_ID, &leaf_id))
        .await;
    run.ok(mtls_ops::DELETE, mtls.delete(ACCOUNT_ID, &ca_id))
        .await;
}

/// Access mTLS certificates and hostname settings on one scope: add, list (paged), get, update,
/// settings, delete; a certificate with hostnames that cannot be deleted, unknown ids, the other
/// scope's certificate.
async fn access_certificates(run: &mut Run, client: &Client, scope: Scope<'_>) {
    let [list_op, get_op, add_op, update_op, delete_op, settings_op, update_settings_op] =
        access_operations(scope);
    let certs = client.access().certificates();

    let empty = run.ok(list_op, certs.list(scope, Default::default())).await;
    assert!(empty.items.is_empty());

    let ca = TestCertificate::new("CN=Example Devices CA,O=Example Corp")
        .ca(true)
        .build();
    let body = AccessCertificateCreate::new(&ca.certificate_pem, "devices")
        .associated_hostnames(vec!["admin.example.com".into()]);
    let created = run.ok(add_op, certs.create(scope, &body)).await;
    let id = created.id.clone().expect("the certificate has an id");
    assert!(created.fingerprint.is_some() && created.expires_on.is_some());
    let other = TestCertificate::new("CN=Example Contractors CA")
        .ca(true)
        .build();
    let body = AccessCertificateCreate::new(&other.certificate_pem, "contractors");
    let other_id = run
        .ok(add_op, certs.create(scope, &body))
        .await
        .id
        .expect("the certificate has an id");

    let params = AccessCertificateListParams::new().page(1).per_page(1);
    let page = run.ok(list_op, certs.list(scope, params)).await;
    assert_eq!(page.items.len(), 1);
    let info = page.result_info.expect("result_info");
    assert_eq!(info.total_count, Some(2));
    let params = AccessCertificateListParams::new().page(2).per_page(1);
    assert_eq!(
        run.ok(list_op, certs.list(scope, params)).await.items.len(),
        1
    );

    let got = run.ok(get_op, certs.get(scope, &id)).await;
    assert_eq!(got.name.as_deref(), Some("devices"));
    let body =
        AccessCertificateUpdate::new(vec!["admin.example.com".into(), "dev.example.com".into()])
            .name("devices-2026");
    let updated = run.ok(update_op, certs.update(scope, &id, &body)).await;
    assert_eq!(updated.name.as_deref(), Some("devices-2026"));
    assert_eq!(updated.associated_hostnames.as_ref().map(Vec::len), Some(2));

    let settings = run.ok(settings_op, certs.settings().get(scope)).await;
    assert!(settings.is_empty());
    let body = AccessCertificateSettingsUpdate::new(vec![
        AccessCertificateSettings::new(false, true, "admin.example.com"),
        AccessCertificateSettings::new(false, false, "dev.example.com"),
    ]);
    let settings = run
        .ok(update_settings_op, certs.settings().update(scope, &body))
        .await;
    assert_eq!(settings.len(), 2);
    let settings = run.ok(settings_op, certs.settings().get(scope)).await;
    assert_eq!(settings[0].hostname, "admin.example.com");
    assert!(settings[0].client_certificate_forwarding);

    // Hostnames still associated: refused; without them: deleted.
    run.fails(delete_op, 400, certs.delete(scope, &id)).await;
    let body = AccessCertificateUpdate::new(Vec::new());
    run.ok(update_op, certs.update(scope, &id, &body)).await;
    let deleted = run.ok(delete_op, certs.delete(scope, &id)).await;
    assert_eq!(deleted.id.as_deref(), Some(id.as_str()));
    run.fails(get_op, 404, certs.get(scope, &id)).await;
    run.fails(update_op, 404, certs.update(scope, UNKNOWN_UUID, &body))
        .await;
    run.fails(delete_op, 404, certs.delete(scope, UNKNOWN_UUID))
        .await;
    let bad = AccessCertificateCreate::new("not a certificate", "broken");
    run.fails(add_op, 400, certs.create(scope, &bad)).await;

    // The other scope does not see this one's certificate.
    let other_scope = match scope {
        Scope::Account(_) => Scope::Zone(ZONE_ID),
        Scope::Zone(_) => Scope::Account(ACCOUNT_ID),
    };
    let other_get = access_operations(other_scope)[1];
    run.fails(other_get, 404, certs.get(other_scope, &other_id))
        .await;
    run.ok(delete_op, certs.delete(scope, &other_id)).await;
}

/// API Shield client certificates: issue from a CSR, list (status filter, paging, limit/offset),
/// get, revoke, reactivate; a bad CSR, reactivating an active certificate, revoking a revoked one,
/// an unknown id.
async fn client_certificates(run: &mut Run, client: &Client) {
    use client_cert_ops::{CREATE, DELETE, EDIT, GET, LIST};
    let cc = client.client_certificates();

    let empty = run.ok(LIST, cc.list(ZONE_ID, Default::default())).await;
    assert!(empty.items.is_empty());

    let request =
        csr("CN=billing-service,OU=Payments,O=Example Corp,L=San Francisco,ST=California,C=US");
    let issued = run
        .ok(
            CREATE,
            cc.create(ZONE_ID, &ClientCertificateCreate::new(request, 30)),
        )
        .await;
    let id = issued.id.clone().expect("the certificate has an id");
    assert_eq!(issued.status, Some(ClientCertificateStatus::Active));
    assert_eq!(issued.common_name.as_deref(), Some("billing-service"));
    assert_eq!(issued.validity_days, Some(30));
    let second = ClientCertificateCreate::new(csr("CN=reports-service,O=Example Corp"), 3650);
    run.ok(CREATE, cc.create(ZONE_ID, &second)).await;
    let bad = ClientCertificateCreate::new("not a CSR", 30);
    run.fails(CREATE, 400, cc.create(ZONE_ID, &bad)).await;

    let params = ClientCertificateListParams::default()
        .status(ClientCertificateStatusFilter::Active)
        .page(1)
        .per_page(5);
    assert_eq!(run.ok(LIST, cc.list(ZONE_ID, params)).await.items.len(), 2);
    let params = ClientCertificateListParams::default().limit(1).offset(1);
    assert_eq!(run.ok(LIST, cc.list(ZONE_ID, params)).await.items.len(), 1);

    let got = run.ok(GET, cc.get(ZONE_ID, &id)).await;
    assert_eq!(got.ski, issued.ski);
    let reactivate = ClientCertificateEdit::new().reactivate(true);
    run.fails(EDIT, 400, cc.edit(ZONE_ID, &id, &reactivate))
        .await;

    let revoking = run.ok(DELETE, cc.delete(ZONE_ID, &id)).await;
    assert_eq!(
        revoking.status,
        Some(ClientCertificateStatus::PendingRevocation)
    );
    let revoked = run.ok(GET, cc.get(ZONE_ID, &id)).await;
    assert_eq!(revoked.status, Some(ClientCertificateStatus::Revoked));
    run.fails(DELETE, 400, cc.delete(ZONE_ID, &id)).await;
    let params =
        ClientCertificateListParams::default().status(ClientCertificateStatusFilter::Revoked);
    assert_eq!(run.ok(LIST, cc.list(ZONE_ID, params)).await.items.len(), 1);

    let reactivating = run.ok(EDIT, cc.edit(ZONE_ID, &id, &reactivate)).await;
    assert_eq!(
        reactivating.status,
        Some(ClientCertificateStatus::PendingReactivation)
    );
    let params = ClientCertificateListParams::default()
        .status(ClientCertificateStatusFilter::PendingReactivation);
    assert_eq!(run.ok(LIST, cc.list(ZONE_ID, params)).await.items.len(), 0);
    let active = run.ok(GET, cc.get(ZONE_ID, &id)).await;
    assert_eq!(active.status, Some(ClientCertificateStatus::Active));
    // An edit without `reactivate` changes nothing.
    let same = run
        .ok(EDIT, cc.edit(ZONE_ID, &id, &ClientCertificateEdit::new()))
        .await;
    assert_eq!(same.status, Some(ClientCertificateStatus::Active));

    run.fails(GET, 404, cc.get(ZONE_ID, UNKNOWN_ID)).await;
    run.fails(EDIT, 404, cc.edit(ZONE_ID, UNKNOWN_ID, &reactivate))
        .await;
    run.fails(DELETE, 404, cc.delete(ZONE_ID, UNKNOWN_ID)).await;
}

/// Zone-level Authenticated Origin Pulls: the setting on and off, a certificate uploaded with its
/// key, listed, read, deleted; a key that does not parse, an unknown id.
async fn zone_origin_pulls(run: &mut Run, client: &Client) {
    use zone_aop_ops::{DELETE, GET, LIST, SET, SETTING, UPLOAD};
    let aop = client.origin_tls_client_auth();
    let set = |enabled| {
        aop.settings()
            .update(ZONE_ID, &ZoneSettingUpdate::new(enabled))
    };

    let setting = run.ok(SETTING, aop.settings().get(ZONE_ID)).await;
    assert_eq!(setting.enabled, Some(false));
    let setting = run.ok(SET, set(true)).await;
    assert_eq!(setting.enabled, Some(true));
    assert!(run
        .ok(LIST, aop.zone_certificates().list(ZONE_ID))
        .await
        .is_empty());

    let cert = TestCertificate::new("CN=origin-pull.example.com,O=Example Corp").build();
    let body = OriginPullCertificateCreate::new(&cert.certificate_pem, &cert.private_key_pem);
    let uploaded = run
        .ok(UPLOAD, aop.zone_certificates().create(ZONE_ID, &body))
        .await;
    let id = uploaded.id.clone().expect("the certificate has an id");
    assert_eq!(
        uploaded.status,
        Some(ZoneAuthenticatedOriginPullStatus::PendingDeployment)
    );
    let bad = OriginPullCertificateCreate::new(&cert.certificate_pem, "not a key");
    run.fails(UPLOAD, 400, aop.zone_certificates().create(ZONE_ID, &bad))
        .await;

    let list = run.ok(LIST, aop.zone_certificates().list(ZONE_ID)).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].status,
        Some(ZoneAuthenticatedOriginPullStatus::Active)
    );
    let got = run.ok(GET, aop.zone_certificates().get(ZONE_ID, &id)).await;
    assert!(got.issuer.is_some() && got.serial_number.is_some());
    let deleting = run
        .ok(DELETE, aop.zone_certificates().delete(ZONE_ID, &id))
        .await;
    assert_eq!(
        deleting.status,
        Some(ZoneAuthenticatedOriginPullStatus::PendingDeletion)
    );
    run.fails(GET, 404, aop.zone_certificates().get(ZONE_ID, &id))
        .await;
    run.fails(
        DELETE,
        404,
        aop.zone_certificates().delete(ZONE_ID, UNKNOWN_ID),
    )
    .await;

    let setting = run.ok(SET, set(false)).await;
    assert_eq!(setting.enabled, Some(false));
}

/// Per-hostname Authenticated Origin Pulls: a hostname certificate uploaded, listed and read; a
/// hostname associated, disabled, then voided (`enabled: null`); the certificate deleted once
/// unused; a certificate in use, unknown ids and hostnames.
async fn hostname_origin_pulls(run: &mut Run, client: &Client) {
    use hostname_aop_ops::{ASSOCIATE, DELETE, GET, LIST, STATUS, UPLOAD};
    let hostnames = client.origin_tls_client_auth().hostnames();
    let certs = client.origin_tls_client_auth().hostname_certificates();

    assert!(run.ok(LIST, certs.list(ZONE_ID)).await.is_empty());
    let cert = TestCertificate::new("CN=app.example.com,O=Example Corp").build();
    let body = HostnameCertificateCreate::new(&cert.certificate_pem, &cert.private_key_pem);
    let uploaded = run.ok(UPLOAD, certs.create(ZONE_ID, &body)).await;
    let cert_id = uploaded.id.clone().expect("the certificate has an id");
    assert_eq!(
        uploaded.status,
        Some(HostnameCertificateStatus::PendingDeployment)
    );
    let bad = HostnameCertificateCreate::new("not a certificate", &cert.private_key_pem);
    run.fails(UPLOAD, 400, certs.create(ZONE_ID, &bad)).await;
    let list = run.ok(LIST, certs.list(ZONE_ID)).await;
    assert_eq!(list.len(), 1);
    let got = run.ok(GET, certs.get(ZONE_ID, &cert_id)).await;
    assert_eq!(got.status, Some(HostnameCertificateStatus::Active));

    let associate = HostnameOriginPullUpdate::new(vec![
        HostnameOriginPullConfig::new()
            .hostname(HOSTNAME)
            .cert_id(&cert_id)
            .enabled(true),
        HostnameOriginPullConfig::new()
            .hostname("dev.example.com")
            .cert_id(&cert_id)
            .enabled(false),
    ]);
    let associated = run
        .ok(ASSOCIATE, hostnames.update(ZONE_ID, &associate))
        .await;
    assert_eq!(associated.len(), 2);
    let status = run.ok(STATUS, hostnames.get(ZONE_ID, HOSTNAME)).await;
    assert_eq!(status.enabled, Some(true));
    assert_eq!(status.cert_id.as_deref(), Some(cert_id.as_str()));
    run.fails(DELETE, 400, certs.delete(ZONE_ID, &cert_id))
        .await;

    let disable = HostnameOriginPullUpdate::new(vec![HostnameOriginPullConfig::new()
        .hostname(HOSTNAME)
        .enabled(false)]);
    let disabled = run.ok(ASSOCIATE, hostnames.update(ZONE_ID, &disable)).await;
    assert_eq!(disabled[0].enabled, Some(false));
    let void = HostnameOriginPullUpdate::new(vec![
        HostnameOriginPullConfig::new()
            .hostname(HOSTNAME)
            .enabled(Nullable::Null),
        HostnameOriginPullConfig::new()
            .hostname("dev.example.com")
            .enabled(Nullable::Null),
    ]);
    let voided = run.ok(ASSOCIATE, hostnames.update(ZONE_ID, &void)).await;
    assert_eq!(voided.len(), 2);
    assert!(voided.iter().all(|h| h.enabled.is_none()));
    run.fails(STATUS, 404, hostnames.get(ZONE_ID, HOSTNAME))
        .await;
    let unknown_cert = HostnameOriginPullUpdate::new(vec![HostnameOriginPullConfig::new()
        .hostname(HOSTNAME)
        .cert_id(UNKNOWN_ID)
        .enabled(true)]);
    run.fails(ASSOCIATE, 404, hostnames.update(ZONE_ID, &unknown_cert))
        .await;

    let deleting = run.ok(DELETE, certs.delete(ZONE_ID, &cert_id)).await;
    assert_eq!(
        deleting.status,
        Some(HostnameCertificateStatus::PendingDeletion)
    );
    run.fails(GET, 404, certs.get(ZONE_ID, &cert_id)).await;
    run.fails(DELETE, 404, certs.delete(ZONE_ID, UNKNOWN_ID))
        .await;
}

/// The other accepted credentials (global key + email), and a wrong token (403).
async fn other_credentials(run: &mut Run, proxy: &PrismProxy) {
    let key_email = client_with(
        &proxy.url,
        Credentials::KeyAndEmail {
            key: testing::API_KEY.into(),
            email: "user@example.com".into(),
        },
    );
    run.ok(
        mtls_ops::LIST,
        key_email
            .mtls_certificates()
            .list(ACCOUNT_ID, Default::default()),
    )
    .await;
    let wrong_token = client_with(
        &proxy.url,
        Credentials::Token("not-the-stand-in-token".into()),
    );
    let e = run
        .fails(
            client_cert_ops::LIST,
            403,
            wrong_token
                .client_certificates()
                .list(ZONE_ID, Default::default()),
        )
        .await;
    assert!(e.is_forbidden());
    // The last request: a 2xx, so its violations are read from its header even if Prism's log is
    // still being written.
    run.ok(
        zone_aop_ops::SETTING,
        key_email.origin_tls_client_auth().settings().get(ZONE_ID),
    )
    .await;
}

/// Every operation was called; Prism logged and forwarded exactly the requests sent, in order, and
/// the stand-in received exactly those; no violation in any header or log entry.
async fn check(run: &Run, proxy: &PrismProxy, stand_in: &StandIn) {
    let called: BTreeSet<&str> = run.sent.iter().map(|s| s.op).collect();
    let missing = not_called(&run.ops, |op| called.contains(op));
    assert!(missing.is_empty(), "operations not exercised: {missing:?}");

    let n = run.sent.len();
    let logged = proxy.requests_logged(n).await;
    let received = stand_in.requests();
    assert_eq!(
        received.len(),
        n,
        "the stand-in received {} requests, {n} were sent through Prism",
        received.len()
    );
    for (i, ((sent, log), got)) in run.sent.iter().zip(&logged).zip(&received).enumerate() {
        assert!(
            log.method == sent.method && log.path == sent.path && log.forwarded,
            "request {i} ({}): sent {} {}, Prism logged {log:?}",
            sent.op,
            sent.method,
            sent.path
        );
        assert!(
            got.method == sent.method && got.path == sent.path,
            "request {i} ({}): sent {} {}, the stand-in received {} {}",
            sent.op,
            sent.method,
            sent.path,
            got.method,
            got.path
        );
    }

    let mut violations = Vec::new();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for (sent, log) in run.sent.iter().zip(&logged) {
        *by_status.entry(sent.status).or_default() += 1;
        // The header for a 2xx (the log may say the same); the log for an error answer.
        let found = match &sent.header {
            Some(header) if header.len() >= log.violations.len() => header,
            _ => &log.violations,
        };
        for v in found {
            violations.push(format!(
                "{} ({} {} → {}): {v}",
                sent.op, sent.method, sent.path, sent.status
            ));
        }
    }
    let errors: usize = by_status.range(400..).map(|(_, n)| n).sum();
    eprintln!(
        "stand-in behind prism proxy: {n} requests, {} operations, {errors} error answers \
         (statuses {by_status:?}), {} violations",
        called.len(),
        violations.len()
    );
    for v in &violations {
        eprintln!("  violation: {v}");
    }
    assert!(
        violations.is_empty(),
        "Prism reports {} violations of Cloudflare's document:\n  {}",
        violations.len(),
        violations.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The validator is live
// ---------------------------------------------------------------------------------------------

/// The documented success status (the first 2xx) of every operation of a document.
fn success_statuses(spec: &Value) -> BTreeMap<String, u16> {
    let mut out = BTreeMap::new();
    for (id, _, _, op) in spec_operations(spec) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let status = responses
            .keys()
            .filter_map(|code| code.parse::<u16>().ok())
            .find(|code| (200..300).contains(code))
            .unwrap_or_else(|| panic!("{id}: no 2xx response"));
        out.insert(id.to_string(), status);
    }
    out
}

/// Arguments of one request of every operation, for answers that are injected faults: ids of the
/// right shapes that name nothing, minimal bodies of the document's shapes (the stand-in answers
/// with the fault whatever they hold).
fn probe_arguments() -> Arguments {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    Arguments {
        account_id: ACCOUNT_ID,
        zone_id: ZONE_ID,
        access_cert_id: UNKNOWN_UUID,
        mtls_cert_id: UNKNOWN_ID,
        client_cert_id: UNKNOWN_ID,
        aop_cert_id: UNKNOWN_ID,
        hostname_cert_id: UNKNOWN_ID,
        hostname: HOSTNAME,
        access_create: AccessCertificateCreate::new(pem, "devices"),
        access_update: AccessCertificateUpdate::new(vec!["admin.example.com".into()]),
        access_settings: AccessCertificateSettingsUpdate::new(vec![
            AccessCertificateSettings::new(false, true, "admin.example.com"),
        ]),
        mtls_create: MtlsCertificateCreate::new(true, pem),
        client_create: ClientCertificateCreate::new("csr", 30),
        aop_create: OriginPullCertificateCreate::new(pem, key),
        hostnames_update: HostnameOriginPullUpdate::new(vec![HostnameOriginPullConfig::new()
            .hostname(HOSTNAME)
            .cert_id(UNKNOWN_ID)
            .enabled(true)]),
        hostname_cert_create: HostnameCertificateCreate::new(pem, key),
        ca_id: UNKNOWN_ID,
        ca_hostnames: ca_hostnames_update(UNKNOWN_ID),
    }
}

/// In this setup (the temporary spec, the stand-in upstream, no `--errors`) Prism reports what
/// breaks the document, for every operation, so a run without violations means something. Each
/// operation is sent twice, the stand-in answering with an injected fault instead of the API:
/// - its documented success status with a failure envelope (`success: false`, `result: null`):
///   Prism must report a `response.body` violation (the success schema is checked);
/// - a 404 with an error code below Cloudflare's minimum (1000): Prism must report a
///   `response.body.errors` violation (the `4XX` schema is checked; see scripts/contract.sh for
///   why the temporary copy of the document repairs Cloudflare's `4XX` envelopes).
///
/// Then a request out of range (`per_page=500`) must be reported as a request violation, and a
/// broken success answer must be reported in the `sl-violations` header too. Every request is
/// otherwise valid: no other request violation may be reported.
#[tokio::test]
async fn the_proxy_reports_violations() {
    let stand_in = StandIn::start().await;
    let proxy = PrismProxy::start("probes", stand_in.base_url()).await;
    let statuses = success_statuses(&read_spec(&spec_file()));
    let client = client_with(&proxy.url, Credentials::Token(testing::TOKEN.into()));

    // The answers are faults: what the client makes of them does not matter here.
    let args = probe_arguments();
    let success_probes = each_operation(
        &client,
        &args,
        |op| {
            let status = statuses[op];
            stand_in.inject(Fault::api_error(
                status,
                1000,
                "a failure envelope with a 2xx",
            ));
        },
        |_, _| {},
    )
    .await;
    let error_probes = each_operation(
        &client,
        &args,
        |_| stand_in.inject(Fault::api_error(404, 5, "an error code below 1000")),
        |_, _| {},
    )
    .await;
    assert_eq!(success_probes.len(), operations(&our_spec()).len());

    // A request violation: per_page is at most 50 in Cloudflare's document (the stand-in refuses
    // it too, with a 400).
    let params = ClientCertificateListParams::default().per_page(500);
    let e = client
        .client_certificates()
        .list(ZONE_ID, params)
        .send()
        .await
        .expect_err("per_page=500 is refused");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e:?}");

    // The same as a header, sent raw: the typed client turns `success: false` into `Error::Api`,
    // which keeps no headers.
    stand_in.inject(Fault::api_error(200, 1000, "a failure envelope with a 200"));
    let response = reqwest::Client::new()
        .get(format!(
            "{}/zones/{ZONE_ID}/origin_tls_client_auth/settings",
            proxy.url
        ))
        .bearer_auth(testing::TOKEN)
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(
        response.status(),
        200,
        "the answer is passed through unchanged"
    );
    let in_header = header_violations(response.headers());
    assert!(
        in_header
            .iter()
            .any(|v| v.starts_with("response.body.success")),
        "{in_header:?}"
    );

    let n = 2 * success_probes.len() + 2;
    let logged = proxy.requests_logged(n).await;
    assert_eq!(stand_in.requests().len(), n, "every request was forwarded");
    let mut missed = Vec::new();
    let probes = success_probes
        .iter()
        .map(|p| (p, "response.body"))
        .chain(error_probes.iter().map(|p| (p, "response.body.errors")));
    for (((op, method, path), want), log) in probes.zip(&logged) {
        assert!(
            log.method == *method && log.path == *path,
            "{op}: sent {method} {path}, Prism logged {log:?}"
        );
        let requests: Vec<&String> = log
            .violations
            .iter()
            .filter(|v| v.starts_with("request"))
            .collect();
        assert!(requests.is_empty(), "{op}: request violations {requests:?}");
        if !log.violations.iter().any(|v| v.starts_with(want)) {
            missed.push(format!(
                "{op} ({method} {path}): no {want} violation in {:?}",
                log.violations
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "Prism did not report a broken response:\n  {}",
        missed.join("\n  ")
    );
    let per_page = &logged[n - 2];
    assert!(
        per_page
            .violations
            .iter()
            .any(|v| v.starts_with("request.query.per_page")),
        "{per_page:?}"
    );
    eprintln!(
        "probes: {} operations, a broken success and a broken 4XX answer of each reported; \
         a request out of range reported",
        success_probes.len()
    );
}
