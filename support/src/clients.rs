//! Clients of this crate pointed at a test server ([`Target`]: a mock server, a [`RawServer`], a
//! base URL), one builder per kind of credentials; plain http allowed, and no retries unless the
//! name says otherwise.

use crate::ids::{API_KEY, EMAIL, SERVICE_KEY, TOKEN};
use crate::raw::RawServer;
use cloudflare_mtls::{Call, Client, ClientBuilder, Credentials, Error, FromBody, RetryPolicy};
use std::time::Duration;

/// Something a client can be pointed at.
pub trait Target {
    /// Its base URL (`http://127.0.0.1:PORT`).
    fn base_url(&self) -> String;
}

impl Target for str {
    fn base_url(&self) -> String {
        self.to_string()
    }
}

impl Target for String {
    fn base_url(&self) -> String {
        self.clone()
    }
}

impl Target for RawServer {
    fn base_url(&self) -> String {
        self.uri().to_string()
    }
}

#[cfg(feature = "mock")]
impl Target for wiremock::MockServer {
    fn base_url(&self) -> String {
        self.uri()
    }
}

/// A client with the API token [`TOKEN`] (`Authorization: Bearer …`), no retries.
pub fn client<T: Target + ?Sized>(target: &T) -> Client {
    client_with(target, Credentials::Token(TOKEN.into()))
}

/// A client with the global API key and email (`X-Auth-Key` + `X-Auth-Email`), no retries.
pub fn client_key_email<T: Target + ?Sized>(target: &T) -> Client {
    client_with(
        target,
        Credentials::KeyAndEmail {
            key: API_KEY.into(),
            email: EMAIL.into(),
        },
    )
}

/// A client with the user service key (`X-Auth-User-Service-Key`), no retries.
pub fn client_service_key<T: Target + ?Sized>(target: &T) -> Client {
    client_with(target, Credentials::UserServiceKey(SERVICE_KEY.into()))
}

/// A client with `credentials`, no retries.
pub fn client_with<T: Target + ?Sized>(target: &T, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(target.base_url())
        .allow_http(true)
        .credentials(credentials)
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// What `call` gives when a token client of `target` (no retries) sends it: the typed result or
/// the error. `call` picks the operation: `send_to(&server, |c| c.mtls_certificates().get(…))`.
pub async fn send_to<T: FromBody, U: Target + ?Sized>(
    target: &U,
    call: impl FnOnce(&Client) -> Call<'_, T>,
) -> Result<T, Error> {
    call(&client(target)).send().await
}

/// A builder of a token client pointed at `target`, for the tests that set more (its defaults
/// otherwise, retries too).
pub fn token_client_builder<T: Target + ?Sized>(target: &T) -> ClientBuilder {
    Client::builder()
        .base_url(target.base_url())
        .allow_http(true)
        .api_token(TOKEN)
}

/// A token client that retries by `policy`.
pub fn client_retrying<T: Target + ?Sized>(target: &T, policy: RetryPolicy) -> Client {
    token_client_builder(target)
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

/// `max_retries` retries without waiting between them; `Retry-After` honoured up to 5 s.
pub fn no_wait(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_retry_after: Duration::from_secs(5),
    }
}

/// A plain `reqwest::Client` built by the test itself. With the default `rustls` feature reqwest has
/// no crypto provider of its own and takes rustls's process default, which building a client of
/// this crate installs: one is built first, whatever test of the binary runs first.
pub fn plain_reqwest() -> reqwest::Client {
    Client::builder()
        .base_url("https://api.cloudflare.com/client/v4")
        .build()
        .expect("client builds");
    reqwest::Client::new()
}
