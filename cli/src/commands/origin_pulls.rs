//! `cfmtls origin-pulls`: Authenticated Origin Pulls, zone-level and per-hostname.

use crate::args::{
    CertAndKey, GlobalArgs, HostnameCertsCommand, HostnameCommand, OriginPullsCommand,
};
use crate::errors::CliError;
use crate::output::{warn, Output};
use crate::{client, pem};
use cloudflare_mtls::resources::OriginTlsClientAuthHostnamesResource;
use cloudflare_mtls::types::{
    HostnameCertificateCreate, HostnameOriginPullConfig, HostnameOriginPullUpdate,
    OriginPullCertificateCreate, ZoneSettingUpdate,
};
use cloudflare_mtls::Nullable;

/// The certificate and key files, checked and matched (unless `--skip-key-check`); `(certificate
/// PEM, key PEM)`.
fn read_pair(files: &CertAndKey) -> Result<(String, String), CliError> {
    let certs = pem::certificates(&files.cert)?;
    let key = pem::private_key(&files.key)?;
    if !files.skip_key_check {
        pem::check_pair(&certs, &key)?;
    }
    pem::warnings(&certs, None).iter().for_each(|w| warn(w));
    Ok((certs.pem, key.into_pem()))
}

pub async fn run(
    cmd: OriginPullsCommand,
    global: &GlobalArgs,
    out: Output,
) -> Result<(), CliError> {
    match cmd {
        OriginPullsCommand::Upload { zone, files } => {
            let (certificate, private_key) = read_pair(&files)?;
            let client = client::build(global)?;
            let body = OriginPullCertificateCreate::new(certificate, private_key);
            let created = client
                .origin_tls_client_auth()
                .zone_certificates()
                .create(&zone.zone_id, &body)
                .await?;
            out.one(
                &created,
                Some("Uploaded zone-level origin pull certificate (enable it with `cfmtls origin-pulls enable`)."),
            )
        }
        OriginPullsCommand::List { zone } => {
            let client = client::build(global)?;
            let certs = client
                .origin_tls_client_auth()
                .zone_certificates()
                .list(&zone.zone_id)
                .await?;
            out.list(&certs, "No zone-level origin pull certificates.")
        }
        OriginPullsCommand::Get { zone, id } => {
            let client = client::build(global)?;
            let cert = client
                .origin_tls_client_auth()
                .zone_certificates()
                .get(&zone.zone_id, &id)
                .await?;
            out.one(&cert, None)
        }
        OriginPullsCommand::Delete { zone, id } => {
            let client = client::build(global)?;
            let deleted = client
                .origin_tls_client_auth()
                .zone_certificates()
                .delete(&zone.zone_id, &id)
                .await?;
            out.done(
                &deleted,
                &format!("Deleted zone-level origin pull certificate {id}."),
            )
        }
        OriginPullsCommand::Enable { zone } => set_zone(global, out, &zone.zone_id, true).await,
        OriginPullsCommand::Disable { zone } => set_zone(global, out, &zone.zone_id, false).await,
        OriginPullsCommand::Status { zone } => {
            let client = client::build(global)?;
            let setting = client
                .origin_tls_client_auth()
                .settings()
                .get(&zone.zone_id)
                .await?;
            out.one(&setting, None)
        }
        OriginPullsCommand::HostnameCerts(cmd) => hostname_certs(cmd, global, out).await,
        OriginPullsCommand::Hostname(cmd) => hostname(cmd, global, out).await,
    }
}

async fn set_zone(
    global: &GlobalArgs,
    out: Output,
    zone_id: &str,
    enabled: bool,
) -> Result<(), CliError> {
    let client = client::build(global)?;
    let setting = client
        .origin_tls_client_auth()
        .settings()
        .update(zone_id, &ZoneSettingUpdate::new(enabled))
        .await?;
    let word = if enabled { "on" } else { "off" };
    out.one(
        &setting,
        Some(&format!(
            "Zone-level Authenticated Origin Pulls turned {word}."
        )),
    )
}

async fn hostname_certs(
    cmd: HostnameCertsCommand,
    global: &GlobalArgs,
    out: Output,
) -> Result<(), CliError> {
    match cmd {
        HostnameCertsCommand::Upload { zone, files } => {
            let (certificate, private_key) = read_pair(&files)?;
            let client = client::build(global)?;
            let body = HostnameCertificateCreate::new(certificate, private_key);
            let created = client
                .origin_tls_client_auth()
                .hostname_certificates()
                .create(&zone.zone_id, &body)
                .await?;
            out.one(
                &created,
                Some("Uploaded hostname certificate (use it with `cfmtls origin-pulls hostname enable`)."),
            )
        }
        HostnameCertsCommand::List { zone } => {
            let client = client::build(global)?;
            let certs = client
                .origin_tls_client_auth()
                .hostname_certificates()
                .list(&zone.zone_id)
                .await?;
            out.list(&certs, "No hostname certificates.")
        }
        HostnameCertsCommand::Get { zone, id } => {
            let client = client::build(global)?;
            let cert = client
                .origin_tls_client_auth()
                .hostname_certificates()
                .get(&zone.zone_id, &id)
                .await?;
            out.one(&cert, None)
        }
        HostnameCertsCommand::Delete { zone, id } => {
            let client = client::build(global)?;
            let deleted = client
                .origin_tls_client_auth()
                .hostname_certificates()
                .delete(&zone.zone_id, &id)
                .await?;
            out.done(&deleted, &format!("Deleted hostname certificate {id}."))
        }
    }
}

async fn hostname(cmd: HostnameCommand, global: &GlobalArgs, out: Output) -> Result<(), CliError> {
    let client = client::build(global)?;
    let hostnames = client.origin_tls_client_auth().hostnames();
    match cmd {
        HostnameCommand::Enable {
            zone,
            hostname,
            cert_id,
        } => {
            let change = Association::Enabled(true);
            set_hostname(
                &hostnames,
                &zone.zone_id,
                hostname,
                Some(cert_id),
                change,
                &out,
            )
            .await
        }
        HostnameCommand::Disable {
            zone,
            hostname,
            cert_id,
        } => {
            let cert_id = current_cert(&hostnames, &zone.zone_id, &hostname, cert_id).await?;
            let change = Association::Enabled(false);
            set_hostname(&hostnames, &zone.zone_id, hostname, cert_id, change, &out).await
        }
        HostnameCommand::Void {
            zone,
            hostname,
            cert_id,
        } => {
            let cert_id = current_cert(&hostnames, &zone.zone_id, &hostname, cert_id).await?;
            let change = Association::Void;
            set_hostname(&hostnames, &zone.zone_id, hostname, cert_id, change, &out).await
        }
        HostnameCommand::Status { zone, hostname } => {
            let status = hostnames.get(&zone.zone_id, &hostname).await?;
            out.one(&status, None)
        }
    }
}

/// What to do with a hostname's association.
#[derive(Debug, Clone, Copy)]
enum Association {
    /// Turn Authenticated Origin Pulls on or off.
    Enabled(bool),
    /// Void the association (`enabled: null`).
    Void,
}

/// The certificate given, else the hostname's current one.
async fn current_cert(
    hostnames: &OriginTlsClientAuthHostnamesResource<'_>,
    zone_id: &str,
    hostname: &str,
    cert_id: Option<String>,
) -> Result<Option<String>, CliError> {
    Ok(match cert_id {
        Some(id) => Some(id),
        None => hostnames.get(zone_id, hostname).await?.cert_id,
    })
}

/// Turns per-hostname Authenticated Origin Pulls on or off for one hostname, or voids its
/// association, and prints the result.
async fn set_hostname(
    hostnames: &OriginTlsClientAuthHostnamesResource<'_>,
    zone_id: &str,
    hostname: String,
    cert_id: Option<String>,
    change: Association,
    out: &Output,
) -> Result<(), CliError> {
    let enabled = match change {
        Association::Enabled(on) => Nullable::Value(on),
        Association::Void => Nullable::Null,
    };
    let config = HostnameOriginPullConfig::new()
        .enabled(enabled)
        .hostname(hostname.clone())
        .set_cert_id(cert_id);
    let body = HostnameOriginPullUpdate::new(vec![config]);
    let result = hostnames.update(zone_id, &body).await?;
    let state = match change {
        Association::Enabled(true) => "Authenticated Origin Pulls enabled",
        Association::Enabled(false) => "Authenticated Origin Pulls disabled",
        Association::Void => "Association voided",
    };
    out.note(&format!("{state} for {hostname}."))?;
    out.list(&result, "")
}
