//! The client and its builder.

use crate::credentials::Credentials;
use crate::retry::RetryPolicy;
use crate::Error;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Cloudflare's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

/// A client for Cloudflare's mTLS certificate APIs. Cheap to clone (shared connection pool).
///
/// Resources are reached through accessors generated from the spec: [`Client::mtls_certificates`],
/// [`Client::access`], [`Client::client_certificates`], [`Client::origin_tls_client_auth`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub base_url: String,
    pub credentials: Option<Credentials>,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub headers: HeaderMap,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with `credentials` and every other setting at its default.
    pub fn new(credentials: Credentials) -> Result<Client, Error> {
        Client::builder().credentials(credentials).build()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: credentials from `CLOUDFLARE_API_TOKEN`, or
    /// `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`, or `CLOUDFLARE_API_USER_SERVICE_KEY`; the base URL
    /// from `CLOUDFLARE_BASE_URL` if set.
    pub fn from_env() -> Result<Client, Error> {
        let credentials = Credentials::from_env().ok_or_else(|| {
            Error::Config(
                "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, or CLOUDFLARE_API_USER_SERVICE_KEY"
                    .into(),
            )
        })?;
        let mut b = Client::builder().credentials(credentials);
        if let Ok(url) = std::env::var("CLOUDFLARE_BASE_URL") {
            if !url.trim().is_empty() {
                b = b.base_url(url.trim());
            }
        }
        b.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    allow_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_string(),
            credentials: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: None,
            headers: Vec::new(),
            http: None,
            allow_http: false,
        }
    }
}

impl ClientBuilder {
    /// The API base URL (default [`DEFAULT_BASE_URL`]). Must be https unless
    /// [`allow_http`](Self::allow_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The credentials to send.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// An API token (`Authorization: Bearer`).
    pub fn api_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::Token(token.into()))
    }

    /// Total time allowed for one attempt of a request, including reading the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after the first attempt (default 2; 0 disables retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` (default `cloudflare-mtls/VERSION (spec SPEC_VERSION)`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Use this `reqwest::Client` (its TLS, proxy and pool settings) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allow a plain `http://` base URL (for local test servers). Off by default.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL is not a valid URL: {e}")))?;
        // Checked first, so that no message below repeats a password.
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Error::Config(
                "base URL must not contain a user name or password; use credentials()".into(),
            ));
        }
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is plain http; use https, or allow_http(true) for a local server"
                )))
            }
            _ => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is not an http(s) URL"
                )))
            }
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must not have a query or fragment"
            )));
        }
        let mut headers = HeaderMap::new();
        let ua = self.user_agent.unwrap_or_else(|| {
            format!(
                "cloudflare-mtls/{} (spec {})",
                env!("CARGO_PKG_VERSION"),
                crate::SPEC_VERSION
            )
        });
        let ua =
            HeaderValue::from_str(&ua).map_err(|_| Error::Config("invalid User-Agent".into()))?;
        headers.insert(reqwest::header::USER_AGENT, ua);
        for (k, v) in &self.headers {
            let name = HeaderName::try_from(k.as_str())
                .map_err(|_| Error::Config(format!("invalid header name `{k}`")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| Error::Config(format!("invalid value for header `{k}`")))?;
            headers.append(name, value);
        }
        // The credentials' headers are made once here, not on every request.
        if let Some(c) = &self.credentials {
            c.apply(&mut headers)?;
        }
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .https_only(!self.allow_http)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                timeout: self.timeout,
                retry: self.retry,
                headers,
            }),
        })
    }
}
