//! The three ways to authenticate to Cloudflare's API. `Debug` never prints a secret.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use std::fmt;

/// How the client authenticates to Cloudflare's API: give them to [`Client::new`](crate::Client::new)
/// or [`ClientBuilder::credentials`](crate::ClientBuilder::credentials), or let
/// [`Client::from_env`](crate::Client::from_env) read them from the environment.
///
/// `Debug` redacts the secrets: it prints a token or a key as `<redacted>` (the email of
/// [`KeyAndEmail`](Self::KeyAndEmail) is shown). The client also marks the headers that carry
/// them as sensitive.
///
/// ```
/// use cloudflare_mtls::Credentials;
///
/// let token = Credentials::Token("my-api-token".into());
/// assert_eq!(format!("{token:?}"), "Credentials::Token(<redacted>)");
///
/// let key = Credentials::KeyAndEmail {
///     key: "my-global-api-key".into(),
///     email: "me@example.com".into(),
/// };
/// assert!(!format!("{key:?}").contains("my-global-api-key"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An API token, sent as `Authorization: Bearer …`. Preferred: a token can be limited to the
    /// permissions and resources it needs.
    Token(String),
    /// The global API key with the email of its user, sent as `X-Auth-Key` and `X-Auth-Email`.
    KeyAndEmail {
        /// The global API key.
        key: String,
        /// The email address of the Cloudflare user the key belongs to.
        email: String,
    },
    /// A user service key, sent as `X-Auth-User-Service-Key`: a key of a Cloudflare user that
    /// is meant for a few specific services, not for the whole API. Only some endpoints accept it;
    /// prefer a [`Token`](Self::Token).
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
    /// Reads `CLOUDFLARE_API_TOKEN` as a [`Token`](Self::Token), else `CLOUDFLARE_EMAIL` and
    /// `CLOUDFLARE_API_KEY` as a [`KeyAndEmail`](Self::KeyAndEmail), else
    /// `CLOUDFLARE_API_USER_SERVICE_KEY` as a [`UserServiceKey`](Self::UserServiceKey). A variable
    /// that is blank counts as unset; `None` when none is set.
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
