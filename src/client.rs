//! The client and its builder.

use crate::credentials::Credentials;
use crate::retry::RetryPolicy;
use crate::Error;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Cloudflare's API base URL, the default of [`ClientBuilder::base_url`].
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

/// The default time allowed for one attempt of a request (60 s): see [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default limit on the size of a response body, in bytes: 32 MiB. Change it with
/// [`ClientBuilder::max_response_size`].
///
/// The largest legitimate responses here are the unpaged certificate listings; 32 MiB holds
/// thousands of certificates, far above Cloudflare's quotas.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 33_554_432;

/// The default cap on the pages one [`PageStream`](crate::PageStream) fetches: see
/// [`ClientBuilder::max_pages`].
///
/// A last resort against a server whose paging never ends, far above any real listing here (API
/// Shield lists 50 certificates a page at most).
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// A client for Cloudflare's mTLS certificate APIs. Cheap to clone: clones share one connection
/// pool.
///
/// The operations are reached through accessors generated from the spec:
/// [`Client::mtls_certificates`], [`Client::access`], [`Client::client_certificates`],
/// [`Client::origin_tls_client_auth`]. Each operation returns a [`Call`](crate::Call) to await.
///
/// `Debug` prints the settings, never the credentials' secrets.
///
/// # Example
///
/// ```no_run
/// use cloudflare_mtls::{Client, Credentials, Error};
/// use std::time::Duration;
///
/// # async fn run() -> Result<(), Error> {
/// // Credentials (and the base URL, if set) from the environment: `CLOUDFLARE_API_TOKEN`, …
/// let client = Client::from_env()?;
///
/// // Given credentials, every other setting at its default.
/// let client = Client::new(Credentials::Token("my-api-token".into()))?;
///
/// // Every setting chosen.
/// let client = Client::builder()
///     .api_token("my-api-token")
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .build()?;
///
/// let certs = client
///     .mtls_certificates()
///     .list("023e105f4ecef8ad9ca31a8372d0c353", Default::default())
///     .await?;
/// println!("{} certificates", certs.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub base_url: String,
    pub credentials: Option<Credentials>,
    pub timeout: Duration,
    /// The deadline set on the builder; else each call's is twice its attempt timeout.
    pub deadline: Option<Duration>,
    pub retry: RetryPolicy,
    pub headers: HeaderMap,
    pub max_response_size: u64,
    pub max_pages: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("retry", &self.inner.retry)
            .field("max_response_size", &self.inner.max_response_size)
            .field("max_pages", &self.inner.max_pages)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with `credentials` and every other setting at its default.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the credentials hold characters an HTTP header cannot carry (a
    /// newline, say), or when the HTTP client cannot be built.
    pub fn new(credentials: Credentials) -> Result<Client, Error> {
        Client::builder().credentials(credentials).build()
    }

    /// A [`ClientBuilder`] with every setting at its default, to choose the credentials, the base
    /// URL, the timeouts and deadline, the retries, extra headers and the HTTP client, then
    /// [`build`](ClientBuilder::build) the client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, every other setting at its default.
    ///
    /// The credentials are read as [`Credentials::from_env`] does: `CLOUDFLARE_API_TOKEN`, else
    /// `CLOUDFLARE_EMAIL` and `CLOUDFLARE_API_KEY`, else `CLOUDFLARE_API_USER_SERVICE_KEY`. The
    /// base URL is `CLOUDFLARE_BASE_URL` when it is set and not blank, else [`DEFAULT_BASE_URL`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when none of the credentials variables is set, when
    /// `CLOUDFLARE_BASE_URL` is not an `https` URL, and in the cases of [`Client::new`].
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

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Builds a [`Client`]: made by [`Client::builder`], finished by [`build`](Self::build).
///
/// Every setting has a default; only the credentials usually need setting (without them, requests
/// are sent unauthenticated).
///
/// # Example
///
/// ```no_run
/// use cloudflare_mtls::Client;
/// use std::time::Duration;
///
/// # fn run() -> Result<(), cloudflare_mtls::Error> {
/// let client = Client::builder()
///     .api_token("my-api-token")
///     // Each attempt at most 20 s, the whole call (retries and waits included) at most 45 s.
///     .timeout(Duration::from_secs(20))
///     .deadline(Duration::from_secs(45))
///     .max_retries(4)
///     .user_agent("cert-rotation/1.2")
///     // Your own proxy, TLS or pool settings; redirects are turned off on it all the same.
///     .http_client_builder(reqwest::Client::builder().pool_max_idle_per_host(4))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeout: Duration,
    deadline: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    headers: Vec<(String, String)>,
    http: Option<Http>,
    allow_http: bool,
    max_response_size: u64,
    max_pages: u64,
}

/// Where the HTTP client comes from, when not built from scratch.
#[derive(Clone)]
enum Http {
    /// The user's builder: redirects are turned off on it.
    Builder(Arc<std::sync::Mutex<Option<reqwest::ClientBuilder>>>),
    /// The user's client, as it is.
    Client(reqwest::Client),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
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
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: None,
            headers: Vec::new(),
            http: None,
            allow_http: false,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
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

    /// The credentials sent with every request (none by default).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// An API token, sent as `Authorization: Bearer …`: the same as
    /// [`credentials`](Self::credentials) with [`Credentials::Token`].
    pub fn api_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::Token(token.into()))
    }

    /// Total time allowed for one attempt of a request, including reading the body (default
    /// [`DEFAULT_TIMEOUT`], 60 s). A call may make several attempts; [`deadline`](Self::deadline)
    /// bounds them all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Total time allowed for a call: every attempt, and the waits between them.
    ///
    /// By default, it is twice the per-attempt timeout in force for the call (the client's
    /// [`timeout`](Self::timeout) or the call's own): 120 s with the default timeout. So an attempt
    /// that timed out can be followed by one more full-length attempt, and no more.
    ///
    /// The last attempt is cut short at the deadline, with an [`Error::Timeout`], and no retry is
    /// started whose wait would reach it. To set it for one call, use
    /// [`Call::deadline`](crate::Call::deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`], 32 MiB).
    ///
    /// The limit is enforced while reading: a larger body, announced by `Content-Length` or not,
    /// is an [`Error::ResponseTooLarge`] and is never held in memory whole. An error response's
    /// body is read only up to its first 64 KiB whatever this limit: enough for Cloudflare's error
    /// envelope or the start of an HTML error page.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The most pages one [`PageStream`](crate::PageStream) fetches before it stops (default
    /// [`DEFAULT_MAX_PAGES`]): the last resort against a server whose paging never ends. The
    /// stream stops earlier on its own when the server ignores `page` or repeats itself (see
    /// [`PageStream`](crate::PageStream)).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages;
        self
    }

    /// Time allowed to establish a connection (default 10 s). It is applied to the builder given
    /// to [`http_client_builder`](Self::http_client_builder), and ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a call may be retried after its first attempt (default 2; 0 disables
    /// retries). Which failures are retried, and how long to wait, is up to the
    /// [`RetryPolicy`]; to set it for one call, use
    /// [`Call::max_retries`](crate::Call::max_retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The whole retry policy (default [`RetryPolicy::default`]). It replaces a
    /// [`max_retries`](Self::max_retries) set before it; set `max_retries` after it to change
    /// only that.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `cloudflare-mtls/VERSION (spec SPEC_VERSION)`, with this
    /// crate's version and [`SPEC_VERSION`](crate::SPEC_VERSION)).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// A header sent with every request; may be called several times. The credentials' headers
    /// replace one of the same name, and so does a [`Call::header`](crate::Call::header) for its
    /// call.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builds the HTTP client from this [`reqwest::ClientBuilder`] instead of a default one, with
    /// its TLS, proxy, DNS and connection pool settings.
    ///
    /// On top of them, [`build`](Self::build) turns redirects off, sets the
    /// [`connect_timeout`](Self::connect_timeout) and, unless [`allow_http`](Self::allow_http) is
    /// set, refuses plain http: the client's guarantees hold whatever the builder says.
    ///
    /// A `reqwest::ClientBuilder` cannot be cloned: if this `ClientBuilder` is cloned, only the
    /// first clone to [`build`](Self::build) gets it; the others fail with [`Error::Config`].
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(Http::Builder(Arc::new(std::sync::Mutex::new(Some(
            builder,
        )))));
        self
    }

    /// Uses this [`reqwest::Client`] as it is.
    ///
    /// A built `reqwest::Client` cannot be told to stop following redirects, and reqwest's
    /// default policy follows them, sending every credential header but `Authorization` to
    /// whatever origin a redirect names. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, or better, give the builder to
    /// [`http_client_builder`](Self::http_client_builder). If this client follows a redirect
    /// anyway, the answer is refused with [`Error::Redirect`], but the request has been sent.
    ///
    /// With the `rustls` feature (the default), reqwest has no crypto provider of its own: a
    /// `reqwest::Client` built before any [`build`](Self::build) of this crate needs one installed
    /// as rustls's process default (this crate installs ring when it builds its first client).
    #[deprecated(
        note = "a built reqwest::Client may follow redirects with the credentials; use http_client_builder"
    )]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(Http::Client(client));
        self
    }

    /// Allows a plain `http://` [`base_url`](Self::base_url), for local test servers. Off by
    /// default.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when:
    /// - the base URL is not an `https` URL (nor `http` with [`allow_http`](Self::allow_http)), or
    ///   has a user name, a password, a query or a fragment;
    /// - the `User-Agent`, a [`default_header`](Self::default_header) or the credentials are not
    ///   valid in an HTTP header;
    /// - the [`http_client_builder`](Self::http_client_builder) was taken by a clone of this
    ///   builder, or the HTTP client cannot be built.
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
        let ua = self.user_agent.clone().unwrap_or_else(|| {
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
        let http = self.build_http()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                timeout: self.timeout,
                deadline: self.deadline,
                retry: self.retry,
                headers,
                max_response_size: self.max_response_size,
                max_pages: self.max_pages,
            }),
        })
    }
}

impl ClientBuilder {
    /// The HTTP client: the user's as it is, or one built from the user's builder or from
    /// scratch, which never follows a redirect.
    fn build_http(&self) -> Result<reqwest::Client, Error> {
        let builder = match &self.http {
            Some(Http::Client(client)) => return Ok(client.clone()),
            Some(Http::Builder(shared)) => shared
                .lock()
                .ok()
                .and_then(|mut b| b.take())
                .ok_or_else(|| {
                    Error::Config("the http_client_builder was already used by a build".into())
                })?,
            None => reqwest::Client::builder(),
        };
        install_tls_provider();
        // Never follow a redirect: reqwest's default policy would send the credentials (all but
        // `Authorization`) and a re-POSTed body to whatever origin it names.
        builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .https_only(!self.allow_http)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }
}

/// With the `rustls` feature, reqwest is built with rustls but no crypto provider
/// (`rustls-no-provider`): it takes rustls's process-wide default and panics when none is
/// installed. Installs ring as that default, unless there is one already (the application's
/// choice, or another client's). With `rustls-aws-lc` on too, reqwest falls back to aws-lc-rs by
/// itself: nothing is installed.
#[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
fn install_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An error means another thread installed a provider since: that one is used, as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Other TLS backends (or none) need no provider.
#[cfg(not(all(feature = "rustls", not(feature = "rustls-aws-lc"))))]
fn install_tls_provider() {}
