//! The API client, from the global options (which clap fills from the `CLOUDFLARE_*` variables).

use crate::args::GlobalArgs;
use crate::errors::CliError;
use cloudflare_mtls::{Client, Credentials};
use std::time::Duration;

/// Credentials in the library's order of preference: an API token, else an API key with its
/// email, else a user service key. Empty values count as unset.
pub fn credentials(g: &GlobalArgs) -> Result<Credentials, CliError> {
    let set = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(token) = set(&g.api_token) {
        return Ok(Credentials::Token(token));
    }
    if let Some(key) = set(&g.api_key) {
        let email = set(&g.email).ok_or_else(|| {
            CliError::Usage("--api-key needs --email (or CLOUDFLARE_EMAIL)".into())
        })?;
        return Ok(Credentials::KeyAndEmail { key, email });
    }
    if let Some(key) = set(&g.user_service_key) {
        return Ok(Credentials::UserServiceKey(key));
    }
    Err(CliError::Usage(
        "no credentials: pass --api-token or set CLOUDFLARE_API_TOKEN (or --api-key with \
         --email, or --user-service-key)"
            .into(),
    ))
}

/// A client configured from the global options.
pub fn build(g: &GlobalArgs) -> Result<Client, CliError> {
    let mut builder = Client::builder()
        .credentials(credentials(g)?)
        .allow_http(g.allow_http)
        .user_agent(format!(
            "cfmtls/{} (cloudflare-mtls; spec {})",
            env!("CARGO_PKG_VERSION"),
            cloudflare_mtls::SPEC_VERSION
        ));
    // An empty CLOUDFLARE_BASE_URL means the default, as in the library.
    let url = g.base_url.trim();
    if !url.is_empty() {
        builder = builder.base_url(url);
    }
    if let Some(secs) = g.timeout {
        builder = builder.timeout(Duration::from_secs(secs));
    }
    if let Some(n) = g.max_retries {
        builder = builder.max_retries(n);
    }
    Ok(builder.build()?)
}
