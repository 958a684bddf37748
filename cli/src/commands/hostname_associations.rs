//! `cfmtls hostname-associations`: which hostnames of a zone an API Shield CA serves (a CA
//! uploaded to the account, the bring-your-own-CA case, or the Cloudflare managed CA).

use crate::args::{GlobalArgs, HostnameAssociationsCommand};
use crate::client;
use crate::errors::CliError;
use crate::output::Output;
use crate::views::Hostname;
use cloudflare_mtls::types::{HostnameAssociationGetParams, HostnameAssociationUpdate};

pub async fn run(
    cmd: HostnameAssociationsCommand,
    global: &GlobalArgs,
    out: Output,
) -> Result<(), CliError> {
    match cmd {
        HostnameAssociationsCommand::List { zone, ca } => {
            let client = client::build(global)?;
            let params = HostnameAssociationGetParams::new().set_mtls_certificate_id(ca.clone());
            let got = client
                .certificate_authorities()
                .hostname_associations()
                .get(&zone.zone_id, params)
                .await?;
            let hostnames = Hostname::all(got.hostnames);
            out.list(
                &hostnames,
                &format!("No hostnames are associated with {}.", which(&ca)),
            )
        }
        HostnameAssociationsCommand::Set {
            zone,
            ca,
            hostnames,
        } => {
            let client = client::build(global)?;
            let unbind = hostnames.is_empty();
            let body = HostnameAssociationUpdate::new()
                .hostnames(hostnames)
                .set_mtls_certificate_id(ca.clone());
            let got = client
                .certificate_authorities()
                .hostname_associations()
                .update(&zone.zone_id, &body)
                .await?;
            let hostnames = Hostname::all(got.hostnames);
            if unbind {
                out.note(&format!(
                    "Removed every hostname association of {}.",
                    which(&ca)
                ))?;
            } else {
                out.note(&format!("Hostnames now associated with {}:", which(&ca)))?;
            }
            out.list(&hostnames, "(none)")
        }
    }
}

/// The CA, for people.
fn which(ca: &Option<String>) -> String {
    match ca {
        Some(id) => format!("the CA {id}"),
        None => "the Cloudflare managed CA".to_string(),
    }
}
