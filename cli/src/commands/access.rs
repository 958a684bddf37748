//! `cfmtls access`: Access mTLS root certificates and hostname settings, on an account or a zone.

use crate::args::{AccessCommand, AccessSettingsCommand, GlobalArgs, ScopeArgs};
use crate::errors::CliError;
use crate::output::{warn, Output};
use crate::{client, pem, progress};
use cloudflare_mtls::types::{
    AccessCertificateCreate, AccessCertificateListParams, AccessCertificateSettings,
    AccessCertificateSettingsUpdate, AccessCertificateUpdate,
};
use cloudflare_mtls::Scope;

/// An account or a zone, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    Account(String),
    Zone(String),
}

impl Owner {
    fn scope(&self) -> Scope<'_> {
        match self {
            Owner::Account(id) => Scope::Account(id),
            Owner::Zone(id) => Scope::Zone(id),
        }
    }
}

/// `--account` or `--zone`; else whichever of CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_ZONE_ID is set,
/// when only one is.
fn owner(args: &ScopeArgs) -> Result<Owner, CliError> {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    owner_from(
        args,
        env("CLOUDFLARE_ACCOUNT_ID"),
        env("CLOUDFLARE_ZONE_ID"),
    )
}

fn owner_from(
    args: &ScopeArgs,
    env_account: Option<String>,
    env_zone: Option<String>,
) -> Result<Owner, CliError> {
    match (&args.account, &args.zone) {
        (Some(account), _) => Ok(Owner::Account(account.clone())),
        (None, Some(zone)) => Ok(Owner::Zone(zone.clone())),
        (None, None) => match (env_account, env_zone) {
            (Some(account), None) => Ok(Owner::Account(account)),
            (None, Some(zone)) => Ok(Owner::Zone(zone)),
            (Some(_), Some(_)) => Err(CliError::Usage(
                "both CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_ZONE_ID are set: pass --account ID or \
                 --zone ID to choose"
                    .into(),
            )),
            (None, None) => Err(CliError::Usage(
                "Access commands act on an account or a zone: pass --account ID or --zone ID"
                    .into(),
            )),
        },
    }
}

pub async fn run(cmd: AccessCommand, global: &GlobalArgs, out: Output) -> Result<(), CliError> {
    match cmd {
        AccessCommand::Create {
            scope,
            cert,
            name,
            hostnames,
        } => {
            let owner = owner(&scope)?;
            let certs = pem::certificates(&cert)?;
            pem::warnings(&certs, Some(true))
                .iter()
                .for_each(|w| warn(w));
            let client = client::build(global)?;
            let body = AccessCertificateCreate::new(certs.pem, name)
                .set_associated_hostnames((!hostnames.is_empty()).then_some(hostnames));
            let created = client
                .access()
                .certificates()
                .create(owner.scope(), &body)
                .await?;
            out.one(&created, Some("Added Access mTLS certificate."))
        }
        AccessCommand::List { scope, per_page } => {
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let params = AccessCertificateListParams::new().set_per_page(per_page);
            let stream = client
                .access()
                .certificates()
                .list_all(owner.scope(), params);
            let certs = progress::collect(stream, "Access certificates").await?;
            out.list(&certs, "No Access mTLS certificates.")
        }
        AccessCommand::Get { scope, id } => {
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let cert = client
                .access()
                .certificates()
                .get(owner.scope(), &id)
                .await?;
            out.one(&cert, None)
        }
        AccessCommand::Update {
            scope,
            id,
            name,
            hostnames,
            no_hostnames,
        } => {
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let certificates = client.access().certificates();
            // The API replaces the hostname list: without --hostname, keep the current one.
            let associated_hostnames = if no_hostnames || !hostnames.is_empty() {
                hostnames
            } else {
                certificates
                    .get(owner.scope(), &id)
                    .await?
                    .associated_hostnames
                    .unwrap_or_default()
            };
            let body = AccessCertificateUpdate::new(associated_hostnames).set_name(name);
            let updated = certificates.update(owner.scope(), &id, &body).await?;
            out.one(&updated, Some("Updated Access mTLS certificate."))
        }
        AccessCommand::Delete { scope, id } => {
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let deleted = client
                .access()
                .certificates()
                .delete(owner.scope(), &id)
                .await?;
            out.done(&deleted, &format!("Deleted Access mTLS certificate {id}."))
        }
        AccessCommand::Settings(AccessSettingsCommand::List { scope }) => {
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let settings = client
                .access()
                .certificates()
                .settings()
                .get(owner.scope())
                .await?;
            out.list(&settings, "No hostname settings.")
        }
        AccessCommand::Settings(AccessSettingsCommand::Set {
            scope,
            hostname,
            client_certificate_forwarding,
            china_network,
        }) => {
            if client_certificate_forwarding.is_none() && china_network.is_none() {
                return Err(CliError::Usage(
                    "nothing to change: pass --client-certificate-forwarding[=BOOL] or \
                     --china-network[=BOOL]"
                        .into(),
                ));
            }
            let owner = owner(&scope)?;
            let client = client::build(global)?;
            let api = client.access().certificates().settings();
            // The API takes the whole list: change one entry, keep the others.
            let mut settings = api.get(owner.scope()).await?;
            let index = match settings.iter().position(|s| s.hostname == hostname) {
                Some(i) => i,
                None => {
                    settings.push(AccessCertificateSettings::new(
                        false,
                        false,
                        hostname.clone(),
                    ));
                    settings.len() - 1
                }
            };
            let entry = &mut settings[index];
            if let Some(v) = client_certificate_forwarding {
                entry.client_certificate_forwarding = v;
            }
            if let Some(v) = china_network {
                entry.china_network = v;
            }
            let updated = api
                .update(
                    owner.scope(),
                    &AccessCertificateSettingsUpdate::new(settings),
                )
                .await?;
            out.note(&format!("Updated the settings of {hostname}."))?;
            out.list(&updated, "No hostname settings.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(account: Option<&str>, zone: Option<&str>) -> ScopeArgs {
        ScopeArgs {
            account: account.map(Into::into),
            zone: zone.map(Into::into),
        }
    }

    #[test]
    fn options_win_over_the_environment() {
        let env = || (Some("env-acc".to_string()), Some("env-zone".to_string()));
        let (a, z) = env();
        assert_eq!(
            owner_from(&args(Some("a"), None), a, z).unwrap(),
            Owner::Account("a".into())
        );
        let (a, z) = env();
        assert_eq!(
            owner_from(&args(None, Some("z")), a, z).unwrap(),
            Owner::Zone("z".into())
        );
    }

    #[test]
    fn one_environment_variable_decides_two_are_ambiguous() {
        let none = args(None, None);
        assert_eq!(
            owner_from(&none, None, Some("z".into())).unwrap(),
            Owner::Zone("z".into())
        );
        assert_eq!(
            owner_from(&none, Some("a".into()), None).unwrap(),
            Owner::Account("a".into())
        );
        assert!(matches!(
            owner_from(&none, Some("a".into()), Some("z".into())),
            Err(CliError::Usage(_))
        ));
        assert!(matches!(
            owner_from(&none, None, None),
            Err(CliError::Usage(_))
        ));
    }
}
