//! Quickstart: the life of an mTLS certificate, walked with `cloudflare-mtls`.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! **Offline (the default).** With no Cloudflare credentials in the environment (none of
//! `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`,
//! `CLOUDFLARE_API_USER_SERVICE_KEY`), the example starts the crate's stand-in for the Cloudflare
//! API in-process ([`cloudflare_mtls::testing::StandIn`], cargo feature `testing`: a stateful
//! server on a loopback port that parses the certificates and CSRs it is sent, so what you upload
//! is stored, listed and deleted), seeds it with an account that already holds a CA certificate
//! and a zone with a few API Shield client certificates, and walks a certificate's whole life
//! against it:
//!
//! 1. upload a CA certificate to the account (`mtls_certificates().create`);
//! 2. list the account's mTLS certificates;
//! 3. fetch it by id, and list the Cloudflare services that use it (its associations);
//! 4. add an Access mTLS root certificate to a zone for a hostname, list the zone's, detach the
//!    hostname and delete it again (`access().certificates()`, one method for account and zone
//!    through [`Scope`]);
//! 5. have the Cloudflare managed CA issue an API Shield client certificate from a CSR, stream the
//!    zone's active client certificates page after page (`list_all`), and revoke it;
//! 6. bring your own CA to API Shield: bind two of the zone's hostnames to the CA uploaded in
//!    step 1 (`certificate_authorities().hostname_associations().update`), list them, see the CA's
//!    associations name `api_shield`, and unbind them again with an empty list;
//! 7. delete the uploaded certificate, and show that fetching it now fails with a "not found" API
//!    error carrying Cloudflare's error code and message;
//! 8. show that the stand-in, like the API, refuses a request without credentials or with a wrong
//!    token.
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

use cloudflare_mtls::testing::{csr, Seed, StandIn, TestCertificate, ACCOUNT_ID, ZONE_ID};
use cloudflare_mtls::types::{
    AccessCertificate, AccessCertificateCreate, AccessCertificateUpdate, ClientCertificate,
    ClientCertificateCreate, ClientCertificateListParams, ClientCertificateStatus,
    ClientCertificateStatusFilter, HostnameAssociationGetParams, HostnameAssociationUpdate,
    MtlsCertificate, MtlsCertificateCreate, MtlsCertificateListParams,
};
use cloudflare_mtls::{Client, Credentials, Scope};
use futures::TryStreamExt;
use std::process::ExitCode;
use std::time::Duration;

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
    let stand_in = StandIn::start().await;
    seed(&stand_in);
    println!(
        "Offline: running against cloudflare_mtls::testing, an in-process stand-in for the \
         Cloudflare API, at {} (to read your real account instead, set CLOUDFLARE_API_TOKEN, \
         CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_ZONE_ID)",
        stand_in.base_url()
    );
    walk(&stand_in).await
}

/// What the account and the zone hold before the walk: the account's current root CA, and API
/// Shield client certificates of a few services (one of them revoked), each issued by the
/// stand-in's managed CA from a CSR made here.
fn seed(stand_in: &StandIn) {
    let current_root = TestCertificate::new("CN=Example Corp Root CA,O=Example Corp,C=US")
        .ca(true)
        .expires_in(Duration::from_secs(8 * 365 * 86_400))
        .build();
    stand_in.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &current_root.certificate_pem)
            .ca(true)
            .name("corp-root-ca"),
    );
    for (service, status) in [
        ("billing-service", ClientCertificateStatus::Active),
        ("inventory-sync", ClientCertificateStatus::Active),
        ("payments-gateway", ClientCertificateStatus::Active),
        ("reporting-export", ClientCertificateStatus::Active),
        ("search-indexer", ClientCertificateStatus::Active),
        ("legacy-batch-job", ClientCertificateStatus::Revoked),
    ] {
        let subject = format!(
            "CN={service},OU=API Clients,O=Example Corp,L=San Francisco,ST=California,C=US"
        );
        stand_in.seed(Seed::client_certificate(ZONE_ID, &csr(&subject)).status(status));
    }
}

/// Creates and deletes things, so it only ever talks to `stand_in`.
async fn walk(stand_in: &StandIn) -> Result<(), BoxError> {
    // The stand-in's base URL, plain http allowed, and the token it accepts.
    let client = stand_in.client();
    let account_id = ACCOUNT_ID;
    let zone_id = ZONE_ID;

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
    // A certificate still associated with hostnames cannot be deleted: detach them first.
    let detached = client
        .access()
        .certificates()
        .update(scope, &access_id, &AccessCertificateUpdate::new(Vec::new()))
        .await?;
    println!("   update (no hostnames) -> {}", access_line(&detached));
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
    // Cloudflare pages client certificates 5 to 50 at a time: 5 here, so that the zone's six
    // active certificates take two pages.
    println!("   list_all(status=active, per_page=5), a stream that fetches pages as it is read:");
    let before = list_requests(stand_in);
    let mut active = client.client_certificates().list_all(
        zone_id,
        ClientCertificateListParams::default()
            .status(ClientCertificateStatusFilter::Active)
            .per_page(5),
    );
    let mut count = 0;
    while let Some(cert) = active.try_next().await? {
        count += 1;
        println!("   - {}", client_line(&cert));
    }
    let pages = list_requests(stand_in) - before;
    println!("   -> {count} active client certificates, in {pages} page requests");
    // Revocation is asynchronous: `pending_revocation` at first, `revoked` once it has settled.
    let revoked = client
        .client_certificates()
        .delete(zone_id, &client_cert_id)
        .await?;
    let later = client
        .client_certificates()
        .get(zone_id, &client_cert_id)
        .await?;
    println!(
        "   revoke (delete) {client_cert_id} -> {}; get it again -> {}",
        status(&revoked),
        status(&later)
    );

    // 6. Bring your own CA to API Shield: the zone's hostnames whose client certificates are
    //    checked against the CA uploaded in step 1 instead of the Cloudflare managed CA.
    let hostnames = client.certificate_authorities().hostname_associations();
    let bound = hostnames
        .update(
            zone_id,
            &HostnameAssociationUpdate::new()
                .hostnames(vec!["api.example.com".into(), "mtls.example.com".into()])
                .mtls_certificate_id(&cert_id),
        )
        .await?;
    println!(
        "6. bind hostnames to CA {cert_id} for API Shield -> {}",
        bound.hostnames.unwrap_or_default().join(", ")
    );
    let listed = hostnames
        .get(
            zone_id,
            HostnameAssociationGetParams::new().mtls_certificate_id(&cert_id),
        )
        .await?;
    let services: Vec<String> = client
        .mtls_certificates()
        .associations()
        .list(account_id, &cert_id)
        .await?
        .iter()
        .map(|a| text(&a.service).to_string())
        .collect();
    println!(
        "   list -> {}; the CA's associations -> {}",
        listed.hostnames.unwrap_or_default().join(", "),
        services.join(", ")
    );
    // Replacing the CA's hostnames with none unbinds them; the CA can then be deleted.
    let unbound = hostnames
        .update(
            zone_id,
            &HostnameAssociationUpdate::new()
                .hostnames(Vec::new())
                .mtls_certificate_id(&cert_id),
        )
        .await?;
    println!(
        "   unbind (empty list) -> {} hostname(s) left",
        unbound.hostnames.map_or(0, |h| h.len())
    );

    // 7. Delete the uploaded certificate; fetching it again is a "not found" API error.
    let gone = client
        .mtls_certificates()
        .delete(account_id, &cert_id)
        .await?;
    println!(
        "7. delete mTLS certificate {cert_id} (\"{}\")",
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

    // 8. Like the API, the stand-in refuses a request without credentials (HTTP 400, Cloudflare
    //    error 9106) and one with credentials it does not know (HTTP 403, error 10000).
    let anonymous = Client::builder()
        .base_url(stand_in.base_url())
        .allow_http(true)
        .build()?;
    let wrong_token = stand_in
        .client_builder()
        .credentials(Credentials::Token("not-the-right-token".into()))
        .build()?;
    for (step, what, client) in [
        ("8.", "no credentials", anonymous),
        ("  ", "wrong token", wrong_token),
    ] {
        match client
            .mtls_certificates()
            .list(account_id, MtlsCertificateListParams::default())
            .await
        {
            Ok(_) => return Err(format!("the stand-in accepted a request with {what}").into()),
            Err(e) if e.api().is_some() => {
                let (code, message) = first_error(&e);
                let status = e.status().map_or(0, |s| s.as_u16());
                let helper = if e.is_forbidden() {
                    ", is_forbidden()"
                } else if e.is_bad_request() {
                    ", is_bad_request()"
                } else {
                    ""
                };
                println!(
                    "{step} {what} -> HTTP {status}{helper}: Cloudflare error {code}: {message}"
                );
            }
            Err(e) => return Err(e.into()),
        }
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
fn list_requests(stand_in: &StandIn) -> usize {
    stand_in
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/client_certificates"))
        .count()
}
