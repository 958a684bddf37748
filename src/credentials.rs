//! The three ways to authenticate to Cloudflare's API. `Debug` never prints a secret.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use std::fmt;

/// API credentials.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An API token, sent as `Authorization: Bearer …` (preferred).
    Token(String),
    /// A global API key with the account's email (`X-Auth-Email` + `X-Auth-Key`).
    KeyAndEmail {
        /// The API key.
        key: String,
        /// The account email.
        email: String,
    },
    /// A user service key (`X-Auth-User-Service-Key`), for Origin CA certificates.
    UserServiceKey(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Credentials::Token(<redacted>)"),
            Credentials::KeyAndEmail { email, .. } => f
                .debug_struct("Credentials::KeyAndEmail")
                .field("key", &format_args!("<redacted>"))
                .field("email", email)
                .finish(),
            Credentials::UserServiceKey(_) => {
                f.write_str("Credentials::UserServiceKey(<redacted>)")
            }
        }
    }
}

impl Credentials {
    /// Reads `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`, else
    /// `CLOUDFLARE_API_USER_SERVICE_KEY`. `None` when none is set.
    pub fn from_env() -> Option<Credentials> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(token) = var("CLOUDFLARE_API_TOKEN") {
            return Some(Credentials::Token(token));
        }
        if let (Some(email), Some(key)) = (var("CLOUDFLARE_EMAIL"), var("CLOUDFLARE_API_KEY")) {
            return Some(Credentials::KeyAndEmail { key, email });
        }
        var("CLOUDFLARE_API_USER_SERVICE_KEY").map(Credentials::UserServiceKey)
    }

    /// Adds the authentication headers, marked sensitive so they never show in logs.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) -> Result<(), crate::Error> {
        let secret = |v: &str| {
            HeaderValue::from_str(v)
                .map(|mut h| {
                    h.set_sensitive(true);
                    h
                })
                .map_err(|_| {
                    crate::Error::Config(
                        "credentials contain characters not allowed in an HTTP header".into(),
                    )
                })
        };
        match self {
            Credentials::Token(t) => {
                headers.insert(AUTHORIZATION, secret(&format!("Bearer {t}"))?);
            }
            Credentials::KeyAndEmail { key, email } => {
                headers.insert(HeaderName::from_static("x-auth-email"), secret(email)?);
                headers.insert(HeaderName::from_static("x-auth-key"), secret(key)?);
            }
            Credentials::UserServiceKey(k) => {
                headers.insert(
                    HeaderName::from_static("x-auth-user-service-key"),
                    secret(k)?,
                );
            }
        }
        Ok(())
    }
}
