//! `cfmtls client-certs`: API Shield client certificates, issued by Cloudflare's managed CA.

use crate::args::{ClientCertsCommand, GlobalArgs, StatusFilter};
use crate::errors::CliError;
use crate::output::{warn, Output};
use crate::{client, pem, progress};
use cloudflare_mtls::types::{
    ClientCertificate, ClientCertificateCreate, ClientCertificateEdit, ClientCertificateListParams,
    ClientCertificateStatusFilter,
};
use std::path::Path;

pub async fn run(
    cmd: ClientCertsCommand,
    global: &GlobalArgs,
    out: Output,
) -> Result<(), CliError> {
    match cmd {
        ClientCertsCommand::Create {
            zone,
            csr,
            validity_days,
            out: file,
        } => {
            let csr = pem::csr(&csr)?;
            let client = client::build(global)?;
            let body = ClientCertificateCreate::new(csr, validity_days);
            let issued = client
                .client_certificates()
                .create(&zone.zone_id, &body)
                .await?;
            save(&issued, file.as_deref())?;
            out.one(&issued, Some("Issued client certificate."))
        }
        ClientCertsCommand::List {
            zone,
            status,
            per_page,
        } => {
            let client = client::build(global)?;
            let params = ClientCertificateListParams::new()
                .set_status(status.map(filter))
                .set_per_page(per_page.map(i64::from));
            let stream = client.client_certificates().list_all(&zone.zone_id, params);
            let certs = progress::collect(stream, "client certificates").await?;
            out.list(&certs, "No client certificates.")
        }
        ClientCertsCommand::Get {
            zone,
            id,
            out: file,
        } => {
            let client = client::build(global)?;
            let cert = client.client_certificates().get(&zone.zone_id, &id).await?;
            save(&cert, file.as_deref())?;
            out.one(&cert, None)
        }
        ClientCertsCommand::Revoke { zone, id } => {
            let client = client::build(global)?;
            let cert = client
                .client_certificates()
                .delete(&zone.zone_id, &id)
                .await?;
            out.one(&cert, Some("Revocation requested."))
        }
        ClientCertsCommand::Reactivate { zone, id } => {
            let client = client::build(global)?;
            let cert = client
                .client_certificates()
                .edit(
                    &zone.zone_id,
                    &id,
                    &ClientCertificateEdit::new().reactivate(true),
                )
                .await?;
            out.one(&cert, Some("Reactivation requested."))
        }
    }
}

fn filter(status: StatusFilter) -> ClientCertificateStatusFilter {
    match status {
        StatusFilter::All => ClientCertificateStatusFilter::All,
        StatusFilter::Active => ClientCertificateStatusFilter::Active,
        StatusFilter::Revoked => ClientCertificateStatusFilter::Revoked,
        StatusFilter::PendingReactivation => ClientCertificateStatusFilter::PendingReactivation,
        StatusFilter::PendingRevocation => ClientCertificateStatusFilter::PendingRevocation,
    }
}

/// Writes the certificate's PEM to `file`, if one was asked for.
fn save(cert: &ClientCertificate, file: Option<&Path>) -> Result<(), CliError> {
    let Some(file) = file else {
        return Ok(());
    };
    match cert.certificate.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(pem) => {
            let mut text = pem.to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            std::fs::write(file, text)
                .map_err(|e| CliError::Other(format!("{}: cannot write: {e}", file.display())))
        }
        None => {
            warn(&format!(
                "the API returned no certificate PEM (yet); {} not written",
                file.display()
            ));
            Ok(())
        }
    }
}
