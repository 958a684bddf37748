//! `cfmtls mtls`: account mTLS certificates.

use crate::args::{GlobalArgs, MtlsCommand};
use crate::errors::CliError;
use crate::output::{warn, Output};
use crate::{client, pem};
use cloudflare_mtls::types::{
    MtlsCertificateCreate, MtlsCertificateListParams, MtlsCertificateType,
};
use cloudflare_mtls::Client;

pub async fn run(cmd: MtlsCommand, global: &GlobalArgs, out: Output) -> Result<(), CliError> {
    match cmd {
        MtlsCommand::Upload {
            account,
            cert,
            key,
            skip_key_check,
            ca,
            name,
        } => {
            // Everything local is checked before the first request.
            let certs = pem::certificates(&cert)?;
            let key = key.as_deref().map(pem::private_key).transpose()?;
            if let Some(key) = &key {
                if !skip_key_check {
                    pem::check_pair(&certs, key)?;
                }
            }
            pem::warnings(&certs, Some(ca)).iter().for_each(|w| warn(w));
            let client = client::build(global)?;
            let body = MtlsCertificateCreate::new(ca, certs.pem)
                .set_name(name)
                .set_private_key(key.map(pem::PrivateKey::into_pem));
            let created = client
                .mtls_certificates()
                .create(&account.account_id, &body)
                .await?;
            out.one(&created, Some("Uploaded mTLS certificate."))
        }
        MtlsCommand::List { account, kind } => {
            let client = client::build(global)?;
            // No `--type`: no filter (the API's default), not an empty one.
            let types = (!kind.is_empty()).then(|| {
                kind.iter()
                    .map(|k| MtlsCertificateType::from(k.as_str()))
                    .collect()
            });
            let params = MtlsCertificateListParams::new().set_type_(types);
            let certs = client
                .mtls_certificates()
                .list(&account.account_id, params)
                .await?;
            out.list(&certs, "No mTLS certificates.")
        }
        MtlsCommand::Get { account, id } => {
            let client = client::build(global)?;
            let cert = client
                .mtls_certificates()
                .get(&account.account_id, &id)
                .await?;
            out.one(&cert, None)
        }
        MtlsCommand::Delete { account, id, name } => {
            let client = client::build(global)?;
            let id = match (id, name) {
                (Some(id), _) => id,
                (None, Some(name)) => id_of_name(&client, &account.account_id, &name).await?,
                (None, None) => return Err(CliError::Usage("give an id or --name".into())),
            };
            let deleted = client
                .mtls_certificates()
                .delete(&account.account_id, &id)
                .await?;
            let named = deleted
                .name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            out.done(&deleted, &format!("Deleted mTLS certificate {id}{named}."))
        }
        MtlsCommand::Associations { account, id } => {
            let client = client::build(global)?;
            let associations = client
                .mtls_certificates()
                .associations()
                .list(&account.account_id, &id)
                .await?;
            out.list(
                &associations,
                "No associations: no Cloudflare service uses this certificate.",
            )
        }
    }
}

/// The id of the one certificate named `name`; an input error when none or several are.
async fn id_of_name(client: &Client, account_id: &str, name: &str) -> Result<String, CliError> {
    let certs = client
        .mtls_certificates()
        .list(account_id, MtlsCertificateListParams::new())
        .await?;
    let ids: Vec<&str> = certs
        .iter()
        .filter(|c| c.name.as_deref() == Some(name))
        .map(|c| c.id.as_deref().unwrap_or("?"))
        .collect();
    match ids.as_slice() {
        [id] => Ok(id.to_string()),
        [] => Err(CliError::Input(format!(
            "no mTLS certificate is named `{name}` in account {account_id}"
        ))),
        several => Err(CliError::Input(format!(
            "{} mTLS certificates are named `{name}` ({}): delete one by id",
            several.len(),
            several.join(", ")
        ))),
    }
}
