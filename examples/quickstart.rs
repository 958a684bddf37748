//! Quickstart: the life of an mTLS certificate, walked with `cloudflare-mtls`.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! **Offline (the default).** With no Cloudflare credentials in the environment (none of
//! `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`,
//! `CLOUDFLARE_API_USER_SERVICE_KEY`), the example starts a local stand-in for the Cloudflare API
//! in-process (a `wiremock` server with stateful responders: what you upload is stored, listed and
//! deleted) and walks a certificate's whole life against it:
//!
//! 1. upload a CA certificate to the account (`mtls_certificates().create`);
//! 2. list the account's mTLS certificates;
//! 3. fetch it by id, and list the Cloudflare services that use it (its associations);
//! 4. add an Access mTLS root certificate to a zone, list the zone's, and delete it again
//!    (`access().certificates()`, one method for account and zone through [`Scope`]);
//! 5. have the Cloudflare managed CA issue an API Shield client certificate from a CSR, stream the
//!    zone's active client certificates page after page (`list_all`), and revoke it;
//! 6. delete the uploaded certificate, and show that fetching it now fails with a "not found" API
//!    error carrying Cloudflare's error code and message;
//! 7. show that the stand-in, like the API, refuses a request without credentials.
//!
//! **Against the real API (read-only).** With credentials set, the example uses
//! [`Client::from_env`] and only reads: it lists the mTLS certificates of `CLOUDFLARE_ACCOUNT_ID`,
//! and the Access mTLS certificates and API Shield client certificates of `CLOUDFLARE_ZONE_ID`
//! (a step whose id variable is missing is skipped with a note). It never creates, changes or
//! deletes anything there.
//!
//! ```text
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ACCOUNT_ID=... CLOUDFLARE_ZONE_ID=... \
//!     cargo run --example quickstart
//! ```
//!
//! The token needs read permission for what is listed: "Account: SSL and Certificates" for the
//! account's mTLS certificates, "Access: Mutual TLS Certificates" and "Zone: SSL and Certificates"
//! for the zone's. On any error the example prints one line and exits with status 1.

use cloudflare_mtls::types::{
    AccessCertificate, AccessCertificateCreate, ClientCertificate, ClientCertificateCreate,
    ClientCertificateListParams, ClientCertificateStatusFilter, MtlsCertificate,
    MtlsCertificateCreate, MtlsCertificateListParams,
};
use cloudflare_mtls::{Client, Credentials, Scope};
use futures::TryStreamExt;
use std::process::ExitCode;
use wiremock::MockServer;

type BoxError = Box<dyn std::error::Error>;

/// A self-signed CA certificate (EC P-256, `CN=Example Corp Quickstart Root CA`), made for this
/// example with `openssl req -x509`; its private key was thrown away.
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIICAjCCAaegAwIBAgIUQxU5fLQVl/CoW05oCdLhlY8I5DcwCgYIKoZIzj0EAwIw
TjELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEoMCYGA1UEAwwf
RXhhbXBsZSBDb3JwIFF1aWNrc3RhcnQgUm9vdCBDQTAeFw0yNjExMjUxNTU2NDZa
Fw0zNjExMjIxNTU2NDZaME4xCzAJBgNVBAYTAlVTMRUwEwYDVQQKDAxFeGFtcGxl
IENvcnAxKDAmBgNVBAMMH0V4YW1wbGUgQ29ycCBRdWlja3N0YXJ0IFJvb3QgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASlKdQYVKRiCXPN5+kmq0fBEoU6deM3
4/oQn4AXWgNHz3K+yj0ld76GyhMDAGFHGjkyMOb/GbOvnBFlorCIeWLio2MwYTAd
BgNVHQ4EFgQUHUK0OxaM3XghXssUi30nd3NCA2EwHwYDVR0jBBgwFoAUHUK0OxaM
3XghXssUi30nd3NCA2EwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
CgYIKoZIzj0EAwIDSQAwRgIhAKRIgBALQ6mOS56Gui2Lh3ua91vcT4MdXQ7PV2T1
1YK7AiEAkLZZzK/Pc80g6hACpLzIrB2z81yx0aJBuqU/S2oKL40=
-----END CERTIFICATE-----
";

/// A certificate signing request (EC P-256, `CN=quickstart-client, OU=API Clients, O=Example
/// Corp, L=San Francisco, ST=California, C=US`), made with `openssl req -new`; its private key
/// was thrown away. The client that owns the key would present the issued certificate.
const CLIENT_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----
MIIBPzCB5gIBADCBgzELMAkGA1UEBhMCVVMxEzARBgNVBAgMCkNhbGlmb3JuaWEx
FjAUBgNVBAcMDVNhbiBGcmFuY2lzY28xFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEU
MBIGA1UECwwLQVBJIENsaWVudHMxGjAYBgNVBAMMEXF1aWNrc3RhcnQtY2xpZW50
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+KZE7O53ouEAo6zW8jUcI9Eb2ePZ
oiQ2sB1Uj4rBoP4uViuMG9CWXygT54h/PWM7uxRWsc8FSorSLFLu1oLqCKAAMAoG
CCqGSM49BAMCA0gAMEUCIQDpyRdDW2oVtCoQuH0Eh2nSDPQKMQH+SbqdWCuvqGdX
zgIgCLGP3zTUFBqDE11c7wxyl5tvuyh10QmJZLaHHEZNHRo=
-----END CERTIFICATE REQUEST-----
";

/// How many items of a list the real-API run prints.
const SHOWN: usize = 10;

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = if Credentials::from_env().is_some() {
        real_api().await
    } else {
        offline().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let hint = match e.downcast_ref::<cloudflare_mtls::Error>() {
                Some(e) if e.is_unauthorized() => " (are the credentials valid?)",
                Some(e) if e.is_forbidden() => " (does the token have read permission for this?)",
                _ => "",
            };
            // The causes (a refused connection, a TLS failure), when the message does not say.
            let mut message = e.to_string();
            let mut source = e.source();
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !message.contains(&cause_text) {
                    message = format!("{message}: {cause_text}");
                }
                source = cause.source();
            }
            eprintln!("quickstart failed: {message}{hint}");
            ExitCode::FAILURE
        }
    }
}

/// The whole walk, against the in-process stand-in.
async fn offline() -> Result<(), BoxError> {
    let server = stand_in::start().await;
    println!(
        "Offline: running against a local stand-in for the Cloudflare API at {} (to read your real \
         account instead, set CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_ZONE_ID)",
        server.uri()
    );
    walk(&server).await
}

/// Creates and deletes things, so it only ever talks to `server` (the stand-in).
async fn walk(server: &MockServer) -> Result<(), BoxError> {
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .api_token("stand-in-token")
        .build()?;
    let account_id = stand_in::ACCOUNT_ID;
    let zone_id = stand_in::ZONE_ID;

    // 1. Upload a CA certificate to the account.
    let name = "quickstart-ca";
    let uploaded = client
        .mtls_certificates()
        .create(
            account_id,
            &MtlsCertificateCreate::new(true, CA_PEM).name(name),
        )
        .await?;
    let cert_id = uploaded
        .id
        .clone()
        .ok_or("the upload response has no certificate id")?;
    println!("1. upload CA certificate \"{name}\" -> id {cert_id}");
    println!(
        "   issuer \"{}\", serial {}, expires {}",
        text(&uploaded.issuer),
        text(&uploaded.serial_number),
        date(&uploaded.expires_on)
    );

    // 2. List the account's mTLS certificates: the new one is among them.
    let all = client
        .mtls_certificates()
        .list(account_id, MtlsCertificateListParams::default())
        .await?;
    println!(
        "2. list mTLS certificates of account {account_id} -> {}",
        all.len()
    );
    for cert in &all {
        let marker = if cert.id.as_deref() == Some(cert_id.as_str()) {
            "  <- new"
        } else {
            ""
        };
        println!("   - {}{marker}", mtls_line(cert));
    }

    // 3. Fetch it by id, and list the Cloudflare services that use it.
    let fetched = client.mtls_certificates().get(account_id, &cert_id).await?;
    let associations = client
        .mtls_certificates()
        .associations()
        .list(account_id, &cert_id)
        .await?;
    println!(
        "3. get {cert_id} -> \"{}\", {}, signature {}, uploaded {}",
        text(&fetched.name),
        if fetched.ca == Some(true) {
            "CA"
        } else {
            "leaf"
        },
        text(&fetched.signature),
        date(&fetched.uploaded_on)
    );
    if associations.is_empty() {
        println!("   associations -> none (no Cloudflare service uses it yet)");
    } else {
        let used_by: Vec<String> = associations
            .iter()
            .map(|a| format!("{} ({})", text(&a.service), text(&a.status)))
            .collect();
        println!("   associations -> {}", used_by.join(", "));
    }

    // 4. Access: the same kind of root certificate, here for one zone's applications. The
    //    account-level and zone-level operations are one method taking a `Scope`.
    let scope = Scope::Zone(zone_id);
    let access = client
        .access()
        .certificates()
        .create(
            scope,
            &AccessCertificateCreate::new(CA_PEM, "quickstart-access-ca")
                .associated_hostnames(vec!["admin.example.com".into()]),
        )
        .await?;
    let access_id = access
        .id
        .clone()
        .ok_or("the Access response has no certificate id")?;
    println!(
        "4. add Access mTLS certificate \"{}\" to zone {zone_id} -> id {access_id}",
        text(&access.name)
    );
    let page = client
        .access()
        .certificates()
        .list(scope, Default::default())
        .await?;
    let names: Vec<String> = page.items.iter().map(access_line).collect();
    println!(
        "   list (zone) -> {}: {}",
        page.items.len(),
        names.join("; ")
    );
    let deleted = client
        .access()
        .certificates()
        .delete(scope, &access_id)
        .await?;
    let remaining = client
        .access()
        .certificates()
        .list(scope, Default::default())
        .await?;
    println!(
        "   delete -> removed {}; the zone now has {} Access certificate(s)",
        text(&deleted.id),
        remaining.items.len()
    );

    // 5. API Shield: the Cloudflare managed CA issues a client certificate from a CSR.
    let issued = client
        .client_certificates()
        .create(zone_id, &ClientCertificateCreate::new(CLIENT_CSR, 365))
        .await?;
    let client_cert_id = issued
        .id
        .clone()
        .ok_or("the client certificate has no id")?;
    let issuer = issued
        .certificate_authority
        .as_ref()
        .and_then(|ca| ca.name.as_deref());
    println!(
        "5. issue client certificate for CSR CN={} -> id {client_cert_id}, {}",
        text(&issued.common_name),
        status(&issued)
    );
    println!(
        "   signed by \"{}\", expires {}",
        issuer.unwrap_or("?"),
        day(&issued.expires_on)
    );
    println!("   list_all(status=active, per_page=2), a stream that fetches pages as it is read:");
    let before = list_requests(server).await;
    let mut active = client.client_certificates().list_all(
        zone_id,
        ClientCertificateListParams::default()
            .status(ClientCertificateStatusFilter::Active)
            .per_page(2),
    );
    let mut count = 0;
    while let Some(cert) = active.try_next().await? {
        count += 1;
        println!("   - {}", client_line(&cert));
    }
    let pages = list_requests(server).await - before;
    println!("   -> {count} active client certificates, in {pages} page requests");
    let revoked = client
        .client_certificates()
        .delete(zone_id, &client_cert_id)
        .await?;
    println!(
        "   revoke (delete) {client_cert_id} -> {}",
        status(&revoked)
    );

    // 6. Delete the uploaded certificate; fetching it again is a "not found" API error.
    let gone = client
        .mtls_certificates()
        .delete(account_id, &cert_id)
        .await?;
    println!(
        "6. delete mTLS certificate {cert_id} (\"{}\")",
        text(&gone.name)
    );
    match client.mtls_certificates().get(account_id, &cert_id).await {
        Ok(_) => return Err("the deleted certificate can still be fetched".into()),
        Err(e) if e.is_not_found() => {
            let (code, message) = first_error(&e);
            println!(
                "   get it again -> HTTP 404, is_not_found(): Cloudflare error {code}: {message}"
            );
        }
        Err(e) => return Err(e.into()),
    }

    // 7. Without credentials the API (and the stand-in) answers 401.
    let anonymous = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .build()?;
    match anonymous
        .mtls_certificates()
        .list(account_id, MtlsCertificateListParams::default())
        .await
    {
        Ok(_) => return Err("the stand-in accepted a request without credentials".into()),
        Err(e) if e.is_unauthorized() => {
            let (code, message) = first_error(&e);
            println!(
                "7. no credentials -> HTTP 401, is_unauthorized(): Cloudflare error {code}: {message}"
            );
        }
        Err(e) => return Err(e.into()),
    }

    println!("Done: every step went through the typed client; nothing left the machine.");
    Ok(())
}

/// Read-only steps against the real API (credentials from the environment).
async fn real_api() -> Result<(), BoxError> {
    let client = Client::from_env()?;
    println!(
        "Real API: {}, credentials from the environment; read-only, nothing is created or deleted",
        client.base_url()
    );
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    match var("CLOUDFLARE_ACCOUNT_ID") {
        Some(account_id) => {
            let certs = client
                .mtls_certificates()
                .list(&account_id, MtlsCertificateListParams::default())
                .await?;
            println!(
                "1. mTLS certificates of account {account_id} -> {}",
                certs.len()
            );
            print_some(certs.iter().map(mtls_line));
        }
        None => println!(
            "1. skipped: set CLOUDFLARE_ACCOUNT_ID to list the account's mTLS certificates"
        ),
    }

    match var("CLOUDFLARE_ZONE_ID") {
        Some(zone_id) => {
            let access: Vec<AccessCertificate> = client
                .access()
                .certificates()
                .list_all(Scope::Zone(&zone_id), Default::default())
                .try_collect()
                .await?;
            println!(
                "2. Access mTLS certificates of zone {zone_id} -> {}",
                access.len()
            );
            print_some(access.iter().map(access_line));

            let certs: Vec<ClientCertificate> = client
                .client_certificates()
                .list_all(
                    &zone_id,
                    ClientCertificateListParams::default()
                        .status(ClientCertificateStatusFilter::All),
                )
                .try_collect()
                .await?;
            println!(
                "3. API Shield client certificates of zone {zone_id} -> {}",
                certs.len()
            );
            print_some(certs.iter().map(client_line));
        }
        None => {
            println!(
                "2. skipped: set CLOUDFLARE_ZONE_ID to list the zone's Access mTLS certificates"
            );
            println!("3. skipped: set CLOUDFLARE_ZONE_ID to list the zone's client certificates");
        }
    }
    Ok(())
}

/// Prints the first [`SHOWN`] lines, then how many more there are.
fn print_some(lines: impl Iterator<Item = String>) {
    let mut extra = 0;
    for (i, line) in lines.enumerate() {
        if i < SHOWN {
            println!("   - {line}");
        } else {
            extra += 1;
        }
    }
    if extra > 0 {
        println!("   … and {extra} more");
    }
}

fn mtls_line(cert: &MtlsCertificate) -> String {
    format!(
        "{} ({}), expires {}, id {}",
        text(&cert.name),
        if cert.ca == Some(true) { "CA" } else { "leaf" },
        date(&cert.expires_on),
        text(&cert.id)
    )
}

fn access_line(cert: &AccessCertificate) -> String {
    let hosts = cert.associated_hostnames.as_deref().unwrap_or_default();
    let hosts = if hosts.is_empty() {
        "no hostnames".to_string()
    } else {
        hosts.join(", ")
    };
    format!("{} for {hosts}, id {}", text(&cert.name), text(&cert.id))
}

fn client_line(cert: &ClientCertificate) -> String {
    format!(
        "{} ({}), expires {}, id {}",
        text(&cert.common_name),
        status(cert),
        day(&cert.expires_on),
        text(&cert.id)
    )
}

fn status(cert: &ClientCertificate) -> String {
    cert.status
        .as_ref()
        .map_or_else(|| "status unknown".to_string(), ToString::to_string)
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("?")
}

fn date(value: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    value.map_or_else(|| "?".to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// The day of a date the API gives as a plain string (client certificates: `2033-02-20T23:18:00Z`).
fn day(value: &Option<String>) -> String {
    value
        .as_deref()
        .map_or_else(|| "?".to_string(), |d| d.chars().take(10).collect())
}

/// Cloudflare's code and message of the first error of an API error.
fn first_error(e: &cloudflare_mtls::Error) -> (i64, String) {
    e.api()
        .and_then(|api| api.errors.first())
        .map_or((0, e.to_string()), |m| (m.code, m.message.clone()))
}

/// How many client-certificate list requests the stand-in has received.
async fn list_requests(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.url.path().ends_with("/client_certificates"))
        .count()
}

/// A small, stateful stand-in for the parts of the Cloudflare API the walk uses: certificates are
/// kept in memory, so an upload shows up in the next list and a delete makes the next get fail.
/// Responses use Cloudflare's envelope (`success`, `errors`, `messages`, `result`, `result_info`)
/// and are written as plain JSON, independently of the client's generated types. Error codes are
/// modelled on Cloudflare's; the stand-in does not promise the real API's exact codes.
mod stand_in {
    use serde_json::{json, Value};
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::{Arc, Mutex, PoisonError};
    use wiremock::matchers::{any, method, path_regex};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    /// The account the offline walk uses (Cloudflare's documentation example id).
    pub const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
    /// The zone the offline walk uses.
    pub const ZONE_ID: &str = "7c5dae5552338874e5053f2534d2767a";

    /// What the real API would read out of `super::CA_PEM` (the stand-in does not parse X.509;
    /// these are the values `openssl x509 -noout -text` prints for that certificate).
    const CA_ISSUER: &str = "CN=Example Corp Quickstart Root CA,O=Example Corp,C=US";
    const CA_SERIAL: &str = "4315397cb41597f0a85b4e6809d2e1958f08e437";
    const CA_EXPIRES: &str = "2036-11-22T15:56:46Z";
    const CA_MD5: &str = "MD5 Fingerprint=82:FA:A9:92:32:D3:F7:F2:81:61:3E:BC:8F:95:CB:40";

    /// The managed CA that signs API Shield client certificates.
    fn managed_ca() -> Value {
        json!({
            "id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb",
            "name": "Cloudflare Managed CA for account",
        })
    }

    #[derive(Clone, Copy, Debug)]
    enum Op {
        MtlsList,
        MtlsCreate,
        MtlsGet,
        MtlsDelete,
        MtlsAssociations,
        AccessList,
        AccessCreate,
        AccessGet,
        AccessDelete,
        ClientList,
        ClientCreate,
        ClientGet,
        ClientDelete,
        NoRoute,
    }

    /// An item and the account or zone that owns it (`accounts/<id>` or `zones/<id>`).
    struct Stored {
        owner: String,
        item: Value,
    }

    #[derive(Default)]
    struct State {
        mtls: Vec<Stored>,
        access: Vec<Stored>,
        client: Vec<Stored>,
    }

    impl State {
        /// An account and zone that already hold a few certificates.
        fn seeded() -> State {
            let account = format!("accounts/{ACCOUNT_ID}");
            let zone = format!("zones/{ZONE_ID}");
            let client_cert =
                |id: &str, cn: &str, status: &str, issued: &str, expires: &str| Stored {
                    owner: zone.clone(),
                    item: json!({
                        "id": id, "common_name": cn, "status": status,
                        "organization": "Example Corp", "organizational_unit": "API Clients",
                        "country": "US", "state": "California",
                        "location": "San Francisco", "certificate_authority": managed_ca(),
                        "issued_on": issued, "expires_on": expires, "signature": "ECDSAWithSHA256",
                        "serial_number": random_hex(40), "fingerprint_sha256": random_hex(64),
                        "ski": random_hex(40), "validity_days": 3650,
                    }),
                };
            State {
                mtls: vec![Stored {
                    owner: account,
                    item: json!({
                        "id": "2d2b7f6cf4b04a43a5d0c1b0e8e8f5a1", "name": "corp-root-ca-2024",
                        "ca": true,
                        "issuer": "CN=Example Corp Root CA 2024,O=Example Corp,C=US",
                        "serial_number": "7a0e1f6b9c2d44e08d1f3a5b6c7d8e9f01234567",
                        "signature": "SHA256WithRSA", "expires_on": "2034-03-01T00:00:00Z",
                        "uploaded_on": "2024-03-04T09:12:45.118342Z",
                    }),
                }],
                access: Vec::new(),
                client: vec![
                    client_cert(
                        "b7e2c3d4a5f6478899aabbccddeeff01",
                        "billing-service",
                        "active",
                        "2025-02-11T10:20:00Z",
                        "2035-02-09T10:20:00Z",
                    ),
                    client_cert(
                        "c1d2e3f4a5b6478899aabbccddeeff02",
                        "inventory-sync",
                        "active",
                        "2025-06-30T08:00:00Z",
                        "2035-06-28T08:00:00Z",
                    ),
                    client_cert(
                        "d9e8f7a6b5c4478899aabbccddeeff03",
                        "legacy-batch-job",
                        "revoked",
                        "2023-01-05T12:00:00Z",
                        "2033-01-02T12:00:00Z",
                    ),
                ],
            }
        }
    }

    /// One route of the stand-in: the operation it serves and the shared state.
    struct Route {
        op: Op,
        state: Arc<Mutex<State>>,
    }

    /// Starts the stand-in on a free local port.
    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::seeded()));
        let mtls = r"^/accounts/[^/]+/mtls_certificates";
        let access = r"^/(accounts|zones)/[^/]+/access/certificates";
        let client = r"^/zones/[^/]+/client_certificates";
        let routes = [
            ("GET", format!("{mtls}$"), Op::MtlsList),
            ("POST", format!("{mtls}$"), Op::MtlsCreate),
            ("GET", format!("{mtls}/[^/]+$"), Op::MtlsGet),
            ("DELETE", format!("{mtls}/[^/]+$"), Op::MtlsDelete),
            (
                "GET",
                format!("{mtls}/[^/]+/associations$"),
                Op::MtlsAssociations,
            ),
            ("GET", format!("{access}$"), Op::AccessList),
            ("POST", format!("{access}$"), Op::AccessCreate),
            ("GET", format!("{access}/[^/]+$"), Op::AccessGet),
            ("DELETE", format!("{access}/[^/]+$"), Op::AccessDelete),
            ("GET", format!("{client}$"), Op::ClientList),
            ("POST", format!("{client}$"), Op::ClientCreate),
            ("GET", format!("{client}/[^/]+$"), Op::ClientGet),
            ("DELETE", format!("{client}/[^/]+$"), Op::ClientDelete),
        ];
        for (verb, path, op) in routes {
            Mock::given(method(verb))
                .and(path_regex(path))
                .respond_with(Route {
                    op,
                    state: state.clone(),
                })
                .mount(&server)
                .await;
        }
        // Anything else: Cloudflare's "no route" answer (lowest priority).
        Mock::given(any())
            .respond_with(Route {
                op: Op::NoRoute,
                state,
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        server
    }

    impl Respond for Route {
        fn respond(&self, req: &Request) -> ResponseTemplate {
            let authorized = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|token| !token.trim().is_empty());
            if !authorized {
                return failure(401, 10000, "Authentication error");
            }
            // `/accounts/<id>/...` or `/zones/<id>/...`: the owner, then the item id if any.
            let segments: Vec<&str> = req
                .url
                .path_segments()
                .map(Iterator::collect)
                .unwrap_or_default();
            let owner = segments
                .iter()
                .take(2)
                .copied()
                .collect::<Vec<_>>()
                .join("/");
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let state = &mut *state;
            match self.op {
                Op::MtlsList => list(&state.mtls, &owner, req, None),
                Op::MtlsCreate => create_mtls(&mut state.mtls, owner, req),
                Op::MtlsGet => get(&state.mtls, &owner, segments[3], "mTLS certificate"),
                Op::MtlsDelete => delete(
                    &mut state.mtls,
                    &owner,
                    segments[3],
                    "mTLS certificate",
                    |item| item,
                ),
                Op::MtlsAssociations => match find(&state.mtls, &owner, segments[3]) {
                    // Nothing in this stand-in deploys certificates to a Cloudflare service.
                    Some(_) => success(json!([]), Some(result_info(1, 50, 0, 0))),
                    None => not_found("mTLS certificate"),
                },
                Op::AccessList => list(&state.access, &owner, req, None),
                Op::AccessCreate => create_access(&mut state.access, owner, req),
                Op::AccessGet => get(&state.access, &owner, segments[4], "Access certificate"),
                Op::AccessDelete => delete(
                    &mut state.access,
                    &owner,
                    segments[4],
                    "Access certificate",
                    |item| json!({ "id": item["id"] }),
                ),
                Op::ClientList => {
                    let wanted = query(req, "status").filter(|s| s != "all");
                    list(&state.client, &owner, req, wanted.as_deref())
                }
                Op::ClientCreate => create_client(&mut state.client, owner, req),
                Op::ClientGet => get(&state.client, &owner, segments[3], "Client certificate"),
                Op::ClientDelete => revoke(&mut state.client, &owner, segments[3]),
                Op::NoRoute => failure(404, 7000, "No route for that URI"),
            }
        }
    }

    fn create_mtls(items: &mut Vec<Stored>, owner: String, req: &Request) -> ResponseTemplate {
        let Some(body) = json_object(req) else {
            return not_an_object();
        };
        let Some(ca) = body["ca"].as_bool() else {
            return failure(400, 1001, "ca: required boolean");
        };
        let pem = body["certificates"].as_str().unwrap_or_default();
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return failure(400, 1002, "certificates: Unable to parse certificate");
        }
        let now = now();
        let mut item = json!({
            "id": random_hex(32), "ca": ca, "certificates": pem, "issuer": CA_ISSUER,
            "serial_number": CA_SERIAL, "signature": "ECDSAWithSHA256", "expires_on": CA_EXPIRES,
            "uploaded_on": now,
        });
        if let Some(name) = body["name"].as_str() {
            item["name"] = json!(name);
        }
        items.push(Stored {
            owner,
            item: item.clone(),
        });
        item["updated_at"] = json!(now);
        success(item, None)
    }

    fn create_access(items: &mut Vec<Stored>, owner: String, req: &Request) -> ResponseTemplate {
        let Some(body) = json_object(req) else {
            return not_an_object();
        };
        let Some(name) = body["name"].as_str().filter(|n| !n.is_empty()) else {
            return failure(400, 12130, "name: required");
        };
        if !body["certificate"]
            .as_str()
            .unwrap_or_default()
            .contains("-----BEGIN CERTIFICATE-----")
        {
            return failure(400, 12130, "certificate: Unable to parse certificate");
        }
        if items
            .iter()
            .any(|s| s.owner == owner && s.item["name"] == name)
        {
            return failure(409, 12130, "a certificate with this name already exists");
        }
        let now = now();
        let item = json!({
            "id": random_uuid(), "name": name, "fingerprint": CA_MD5,
            "associated_hostnames": body.get("associated_hostnames").cloned().unwrap_or(json!([])),
            "expires_on": CA_EXPIRES, "created_at": now, "updated_at": now,
        });
        items.push(Stored {
            owner,
            item: item.clone(),
        });
        success(item, None)
    }

    fn create_client(items: &mut Vec<Stored>, owner: String, req: &Request) -> ResponseTemplate {
        let Some(body) = json_object(req) else {
            return not_an_object();
        };
        let csr = body["csr"].as_str().unwrap_or_default();
        if !csr.contains("-----BEGIN CERTIFICATE REQUEST-----") {
            return failure(
                400,
                1401,
                "csr: Unable to parse the certificate signing request",
            );
        }
        let Some(days) = body["validity_days"]
            .as_i64()
            .filter(|d| (1..=3650).contains(d))
        else {
            return failure(400, 1402, "validity_days: must be between 1 and 3650");
        };
        let issued = chrono::Utc::now();
        // The stand-in does not parse the CSR nor sign anything: it reports the subject of
        // `super::CLIENT_CSR` and leaves out the issued certificate's PEM.
        let item = json!({
            "id": random_hex(32), "csr": csr, "common_name": "quickstart-client",
            "organization": "Example Corp", "organizational_unit": "API Clients", "country": "US",
            "state": "California", "location": "San Francisco",
            "certificate_authority": managed_ca(), "status": "active", "validity_days": days,
            "issued_on": stamp(issued), "expires_on": stamp(issued + chrono::TimeDelta::days(days)),
            "signature": "ECDSAWithSHA256", "serial_number": random_hex(40),
            "fingerprint_sha256": random_hex(64), "ski": random_hex(40),
        });
        items.push(Stored {
            owner,
            item: item.clone(),
        });
        success(item, None)
    }

    /// API Shield "revokes" asynchronously: the certificate goes to `pending_revocation`.
    fn revoke(items: &mut [Stored], owner: &str, id: &str) -> ResponseTemplate {
        match items
            .iter_mut()
            .find(|s| s.owner == owner && s.item["id"] == id)
        {
            Some(stored) if stored.item["status"] == "revoked" => {
                failure(400, 1403, "the client certificate is already revoked")
            }
            Some(stored) => {
                stored.item["status"] = json!("pending_revocation");
                success(stored.item.clone(), None)
            }
            None => not_found("Client certificate"),
        }
    }

    /// One page of the owner's items (optionally of one `status`), with `result_info`.
    fn list(
        items: &[Stored],
        owner: &str,
        req: &Request,
        status: Option<&str>,
    ) -> ResponseTemplate {
        let matching: Vec<&Value> = items
            .iter()
            .filter(|s| s.owner == owner)
            .map(|s| &s.item)
            .filter(|item| status.is_none_or(|st| item["status"] == st))
            .collect();
        // Numbers may come as `2` or `2.0`.
        let number = |name| {
            query(req, name)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|n| *n >= 1.0)
                .map(|n| n as usize)
        };
        let per_page = number("per_page").unwrap_or(20).min(50);
        let page = number("page").unwrap_or(1);
        let total = matching.len();
        let on_page: Vec<&Value> = matching
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .collect();
        let info = result_info(page, per_page, on_page.len(), total);
        success(json!(on_page), Some(info))
    }

    fn find<'s>(items: &'s [Stored], owner: &str, id: &str) -> Option<&'s Value> {
        items
            .iter()
            .find(|s| s.owner == owner && s.item["id"] == id)
            .map(|s| &s.item)
    }

    fn get(items: &[Stored], owner: &str, id: &str, what: &str) -> ResponseTemplate {
        match find(items, owner, id) {
            Some(item) => success(item.clone(), None),
            None => not_found(what),
        }
    }

    fn delete(
        items: &mut Vec<Stored>,
        owner: &str,
        id: &str,
        what: &str,
        answer: impl FnOnce(Value) -> Value,
    ) -> ResponseTemplate {
        match items
            .iter()
            .position(|s| s.owner == owner && s.item["id"] == id)
        {
            Some(index) => success(answer(items.remove(index).item), None),
            None => not_found(what),
        }
    }

    fn json_object(req: &Request) -> Option<Value> {
        req.body_json::<Value>().ok().filter(Value::is_object)
    }

    fn not_an_object() -> ResponseTemplate {
        failure(400, 1000, "the request body is not a JSON object")
    }

    fn query(req: &Request, name: &str) -> Option<String> {
        req.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    fn result_info(page: usize, per_page: usize, count: usize, total: usize) -> Value {
        json!({
            "page": page, "per_page": per_page, "count": count, "total_count": total,
            "total_pages": total.div_ceil(per_page),
        })
    }

    fn success(result: Value, result_info: Option<Value>) -> ResponseTemplate {
        let mut body = json!({ "success": true, "errors": [], "messages": [], "result": result });
        if let Some(info) = result_info {
            body["result_info"] = info;
        }
        ResponseTemplate::new(200).set_body_json(body)
    }

    fn failure(status: u16, code: u32, message: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(json!({
            "success": false,
            "errors": [{ "code": code, "message": message }],
            "messages": [],
            "result": null,
        }))
    }

    fn not_found(what: &str) -> ResponseTemplate {
        failure(404, 1404, &format!("{what} not found"))
    }

    fn now() -> String {
        stamp(chrono::Utc::now())
    }

    fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    }

    /// `len` random lowercase hex digits (std's randomly keyed hasher; good enough for ids).
    fn random_hex(len: usize) -> String {
        let mut out = String::with_capacity(len + 16);
        while out.len() < len {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_usize(out.len());
            out.push_str(&format!("{:016x}", hasher.finish()));
        }
        out.truncate(len);
        out
    }

    fn random_uuid() -> String {
        let h = random_hex(32);
        let (a, b, c, d, e) = (&h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32]);
        format!("{a}-{b}-4{c}-a{d}-{e}")
    }
}
