//! One API call: built by a generated method, adjusted with per-call options, then awaited.

use crate::__private::ParamValue;
use crate::envelope::{Envelope, Page};
use crate::error::{ApiError, Error};
use crate::from_body::{Decode, FromBody};
use crate::retry::{classify, Decision, Outcome};
use crate::{Client, PageStream, ResponseValue};
use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, LOCATION,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// A request ready to be sent, as every generated method returns it.
///
/// Nothing is sent until the call is awaited: `.await` it for the typed result, or call
/// [`send_with_response`](Self::send_with_response) for the HTTP status, the headers and the whole
/// envelope as well. Before that, per-call options override the client's settings for this call
/// only: [`timeout`](Self::timeout), [`deadline`](Self::deadline),
/// [`max_retries`](Self::max_retries), [`header`](Self::header) and [`query`](Self::query).
///
/// A call of a paged list (`Call<Page<T>>`) can also be read as a stream of every item with
/// [`into_stream`](Self::into_stream). A call can be cloned to send the same request again.
///
/// # Example
///
/// ```no_run
/// use cloudflare_mtls::{Client, Error};
/// use std::time::Duration;
///
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let account_id = "023e105f4ecef8ad9ca31a8372d0c353";
/// let cert_id = "2458ce5a-0c35-4c7f-82c7-8e9487d3ff60";
///
/// // Per-call options, then `.await` for the result alone.
/// let cert = client
///     .mtls_certificates()
///     .get(account_id, cert_id)
///     .timeout(Duration::from_secs(10))
///     .max_retries(0)
///     .await?;
/// println!("{:?}", cert.name);
///
/// // The status, the headers and the whole envelope along with the result.
/// let response = client
///     .mtls_certificates()
///     .get(account_id, cert_id)
///     .send_with_response()
///     .await?;
/// println!("HTTP {}, cf-ray {:?}", response.status(), response.headers().get("cf-ray"));
/// let envelope = response.into_inner();
/// println!("{:?} ({} messages)", envelope.result.name, envelope.messages.len());
/// # Ok(())
/// # }
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<'a, T> {
    client: &'a Client,
    method: Method,
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<(Bytes, HeaderValue)>,
    problem: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    decode: Decode,
    /// The result type: read from the body by [`FromBody`] when the call is sent.
    result: PhantomData<fn() -> T>,
}

impl<T> Clone for Call<'_, T> {
    fn clone(&self) -> Self {
        Call {
            client: self.client,
            method: self.method.clone(),
            template: self.template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            problem: self.problem.clone(),
            timeout: self.timeout,
            deadline: self.deadline,
            max_retries: self.max_retries,
            decode: self.decode,
            result: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies may hold private keys and headers credentials: neither is printed.
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "body",
                &self
                    .body
                    .as_ref()
                    .map(|(b, _)| format!("<{} bytes>", b.len())),
            )
            .finish_non_exhaustive()
    }
}

impl<'a, T> Call<'a, T> {
    /// A call of the operation at `template`, whose `{parameters}` are filled, in order, with
    /// `args` percent-encoded (the generated methods are the callers).
    #[doc(hidden)]
    pub fn new(
        client: &'a Client,
        method: Method,
        template: &'static str,
        args: &[&str],
        decode: Decode,
    ) -> Self {
        let path = crate::path::fill(template, args);
        // An empty, blank or dot-segment id would send the request to another resource.
        let problem = crate::path::problem(template, &path);
        Call {
            client,
            method,
            template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            problem,
            timeout: None,
            deadline: None,
            max_retries: None,
            decode,
            result: PhantomData,
        }
    }

    /// The time allowed for each attempt of this call, reading the body included (overrides the
    /// client's [`timeout`](crate::ClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed for the whole call, every attempt and every wait between them included
    /// (overrides the client's [`deadline`](crate::ClientBuilder::deadline)). Without either, the
    /// deadline is twice the attempt timeout.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times this call may be retried after its first attempt; 0 disables retries
    /// (overrides the client's [`max_retries`](crate::ClientBuilder::max_retries)).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// An extra header for this call. It replaces a header of the same name set on the client
    /// with [`default_header`](crate::ClientBuilder::default_header).
    ///
    /// A name or value that is not valid in HTTP makes the call fail with
    /// [`Error::InvalidRequest`] when it is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => self.problem = Some(format!("invalid header `{name}`")),
        }
        self
    }

    /// An extra query parameter for this call, added after the operation's own parameters: an
    /// escape hatch for a parameter the API accepts but the spec does not describe yet.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// The path template of the operation, with its parameters unfilled:
    /// `/accounts/{account_id}/mtls_certificates`, for example. It is also the `path` field of the
    /// `cloudflare_mtls.request` tracing span.
    ///
    /// An operation that takes a [`Scope`](crate::Scope) (the Access operations) has one template
    /// for both scopes, whichever the call was made for:
    /// `/{accounts_or_zones}/{account_or_zone_id}/access/certificates`, where
    /// `{accounts_or_zones}` stands for `accounts` or `zones`.
    pub fn path_template(&self) -> &'static str {
        self.template
    }

    #[doc(hidden)]
    pub fn query_param<V: ParamValue + ?Sized>(mut self, name: &str, value: Option<&V>) -> Self {
        if let Some(v) = value {
            self.query.push((name.to_string(), v.to_param()));
        }
        self
    }

    #[doc(hidden)]
    pub fn query_each<V: ParamValue>(mut self, name: &str, values: Option<&Vec<V>>) -> Self {
        for v in values.into_iter().flatten() {
            self.query.push((name.to_string(), v.to_param()));
        }
        self
    }

    /// A query parameter that is a list sent as one value, joined with `separator` (OpenAPI's
    /// `explode: false`); an empty list is left out, as with one key per value.
    #[doc(hidden)]
    pub fn query_joined<V: ParamValue>(
        mut self,
        name: &str,
        separator: &str,
        values: Option<&Vec<V>>,
    ) -> Self {
        if let Some(values) = values.filter(|v| !v.is_empty()) {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query.push((name.to_string(), joined.join(separator)));
        }
        self
    }

    #[doc(hidden)]
    pub fn query_json<V: Serialize>(mut self, name: &str, value: Option<&V>) -> Self {
        if let Some(v) = value {
            match serde_json::to_string(v) {
                Ok(s) => self.query.push((name.to_string(), s)),
                Err(e) => self.problem = Some(format!("query parameter `{name}`: {e}")),
            }
        }
        self
    }

    #[doc(hidden)]
    pub fn header_param<V: ParamValue + ?Sized>(self, name: &str, value: Option<&V>) -> Self {
        match value {
            Some(v) => self.header(name, &v.to_param()),
            None => self,
        }
    }

    /// A header parameter that is a list: its values comma-separated (OpenAPI's `simple` style).
    #[doc(hidden)]
    pub fn header_list<V: ParamValue>(self, name: &str, values: Option<&Vec<V>>) -> Self {
        match values {
            Some(values) => {
                let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
                self.header(name, &joined.join(","))
            }
            None => self,
        }
    }

    #[doc(hidden)]
    pub fn header_json<V: Serialize>(self, name: &str, value: Option<&V>) -> Self {
        match value.map(serde_json::to_string) {
            Some(Ok(s)) => self.header(name, &s),
            Some(Err(e)) => Self {
                problem: Some(format!("header `{name}`: {e}")),
                ..self
            },
            None => self,
        }
    }

    #[doc(hidden)]
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((bytes.into(), HeaderValue::from_static("application/json")))
            }
            Err(e) => self.problem = Some(format!("request body: {e}")),
        }
        self
    }

    #[doc(hidden)]
    pub fn json_empty(mut self) -> Self {
        self.body = Some((
            Bytes::from_static(b"{}"),
            HeaderValue::from_static("application/json"),
        ));
        self
    }

    #[doc(hidden)]
    pub fn bytes(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.body = Some((body.into(), HeaderValue::from_static(content_type)));
        self
    }

    /// The client the call is sent with.
    pub(crate) fn client(&self) -> &'a Client {
        self.client
    }

    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_string(), value));
    }

    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sends the request, retrying as the policy allows; returns a 2xx response's parts or an error.
    ///
    /// What is retried is decided in `src/retry.rs`: `classify` says whether what an attempt came
    /// to is worth another try (from the method and the outcome), the [`RetryPolicy`](crate::RetryPolicy)
    /// whether a retry is left and how long to wait. Each attempt has the per-attempt timeout, cut short at the
    /// call's deadline; waits follow the backoff or the server's `Retry-After`.
    async fn execute(&self) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
        if let Some(p) = &self.problem {
            return Err(Error::InvalidRequest(p.clone()));
        }
        let inner = &self.client.inner;
        let attempt_timeout = self.timeout.unwrap_or(inner.timeout);
        let total = self
            .deadline
            .or(inner.deadline)
            .unwrap_or_else(|| attempt_timeout.saturating_mul(2));
        let now = Instant::now();
        // A deadline too far to represent is no deadline (a year away).
        let deadline = now
            .checked_add(total)
            .unwrap_or(now + Duration::from_secs(365 * 24 * 3600));
        let max_retries = self.max_retries.unwrap_or(inner.retry.max_retries);
        let mut retries = inner.retry.backoff(max_retries);
        let url = self.url()?;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "cloudflare_mtls.request",
                method = %self.method,
                path = self.template,
                attempt,
                status = tracing::field::Empty,
                cf_ray = tracing::field::Empty,
            );
            // The first attempt starts now: the whole deadline is left, no clock read needed.
            let left = if attempt == 1 {
                total
            } else {
                deadline.saturating_duration_since(Instant::now())
            };
            let timeout = attempt_timeout.min(left);
            let request = self.build_request(&url, timeout);
            let attempt_outcome = self.attempt(request, &url, &span);
            // Without a subscriber listening, the span is skipped rather than entered on every poll.
            let failure = match if span.is_disabled() {
                attempt_outcome.await
            } else {
                attempt_outcome.instrument(span.clone()).await
            } {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let class = classify(&self.method, failure.outcome, failure.headers.as_ref());
            let remaining = deadline.saturating_duration_since(Instant::now());
            let decision = inner.retry.decide(class, &mut retries, remaining);
            match decision {
                Decision::Stop(reason) => {
                    span.in_scope(|| tracing::debug!(error = %failure.error, reason, "giving up"));
                    return Err(failure.error);
                }
                Decision::Retry(delay) => {
                    span.in_scope(|| {
                        tracing::debug!(
                            error = %failure.error,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        )
                    });
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: the request sent, the response read within the size limit.
    async fn attempt(
        &self,
        request: reqwest::Request,
        url: &reqwest::Url,
        span: &tracing::Span,
    ) -> Result<(StatusCode, HeaderMap, Bytes), Failed> {
        let inner = &self.client.inner;
        let mut response = inner.http.execute(request).await.map_err(|e| {
            tracing::debug!(error = %crate::error::Chain(&e), "request failed");
            let outcome = if e.is_connect() {
                Outcome::ConnectFailed
            } else if malformed(&e) {
                Outcome::Malformed
            } else if e.is_timeout() || e.is_request() {
                Outcome::NoResponse
            } else {
                Outcome::Final
            };
            Failed::new(outcome, None, Error::from_transport(e))
        })?;
        let status = response.status();
        // Taken, not cloned: the body is read through the response, not its headers.
        let headers = std::mem::take(response.headers_mut());
        if !span.is_disabled() {
            span.record("status", status.as_u16());
            if let Some(ray) = ray_id(&headers) {
                span.record("cf_ray", ray.as_str());
            }
        }
        // The client never follows a redirect; one given `http_client` might have: refused too.
        if status.is_redirection() || response.url() != url {
            let location = match headers.get(LOCATION) {
                Some(l) => Some(String::from_utf8_lossy(l.as_bytes()).into_owned()),
                None if response.url() != url => Some(response.url().to_string()),
                None => None,
            };
            let error = Error::Redirect {
                status,
                location,
                ray_id: ray_id(&headers),
            };
            return Err(Failed::new(Outcome::Final, Some(headers), error));
        }
        // A body in an encoding the client cannot read is not read at all.
        if let Some(encoding) = unreadable_encoding(&headers) {
            return Err(self.encoded(status, headers, &encoding));
        }
        // An error's body is read only as far as its envelope or snippet needs.
        let limit = if status.is_success() {
            inner.max_response_size
        } else {
            ERROR_BODY_PREFIX
        };
        match read_body(&mut response, limit, status.is_success()).await {
            Ok(body) => {
                tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
                if status.is_success() {
                    Ok((status, headers, body))
                } else {
                    let error = api_error(status, &headers, &body);
                    Err(Failed::new(Outcome::Status(status), Some(headers), error))
                }
            }
            Err(BodyError::TooLarge) => {
                let error = Error::ResponseTooLarge { status, limit };
                Err(Failed::new(Outcome::Final, Some(headers), error))
            }
            Err(BodyError::Transport(e)) => {
                tracing::debug!(error = %crate::error::Chain(&e), "reading the response failed");
                Err(Failed::new(
                    Outcome::BodyLost(status),
                    Some(headers),
                    Error::from_transport(e),
                ))
            }
        }
    }

    /// The failure of a response whose body is in an encoding the client cannot read: a 2xx is an
    /// [`Error::Decode`] (final), another status its [`Error::Api`] with the encoding in place of
    /// the snippet (retried as that status is).
    fn encoded(&self, status: StatusCode, headers: HeaderMap, encoding: &str) -> Failed {
        let asked = self.client.inner.headers.contains_key(ACCEPT_ENCODING)
            || self.headers.iter().any(|(k, _)| k == ACCEPT_ENCODING);
        let why = if asked {
            "an `Accept-Encoding` header was set on this client or call, but the client decodes \
             no encoding: leave the header out"
        } else {
            "the client did not ask for one (it sends no `Accept-Encoding`) and decodes none"
        };
        let message =
            format!("the body is `Content-Encoding: {encoding}`, which it cannot read: {why}");
        if status.is_success() {
            let error = Error::Decode {
                status,
                path: ".".into(),
                message,
                ray_id: ray_id(&headers),
            };
            Failed::new(Outcome::Final, Some(headers), error)
        } else {
            let error = Error::Api(Box::new(ApiError {
                status,
                errors: Vec::new(),
                messages: Vec::new(),
                ray_id: ray_id(&headers),
                body_snippet: Some(format!("({message})")),
            }));
            Failed::new(Outcome::Status(status), Some(headers), error)
        }
    }

    /// The request URL with the query, made once per call and cloned for each attempt.
    fn url(&self) -> Result<reqwest::Url, Error> {
        let base = &self.client.inner.base_url;
        let mut text = String::with_capacity(base.len() + self.path.len());
        text.push_str(base);
        text.push_str(&self.path);
        let mut url = reqwest::Url::parse(&text)
            .map_err(|e| Error::InvalidRequest(format!("request URL `{text}`: {e}")))?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    /// One attempt's request, built directly (the `RequestBuilder` would merge the headers into
    /// an empty map, then check them again).
    fn build_request(&self, url: &reqwest::Url, timeout: Duration) -> reqwest::Request {
        let inner = &self.client.inner;
        let mut request = reqwest::Request::new(self.method.clone(), url.clone());
        // The client's headers already hold the credentials (marked sensitive).
        let headers = request.headers_mut();
        headers.clone_from(&inner.headers);
        if let Some((body, content_type)) = &self.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
            *request.body_mut() = Some(body.clone().into());
        }
        for (k, v) in &self.headers {
            request.headers_mut().insert(k.clone(), v.clone());
        }
        *request.timeout_mut() = Some(timeout);
        request
    }
}

/// Sending: the result type is read from the body here, so its decoder is compiled only for the
/// calls a program awaits.
impl<'a, T: FromBody> Call<'a, T> {
    /// Sends the request and returns the typed result with the HTTP status, the headers and the
    /// whole envelope (`messages`, `result_info`): the result is
    /// `response.into_inner().result`.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub async fn send_with_response(self) -> Result<ResponseValue<Envelope<T>>, Error> {
        let (status, headers, body) = self.execute().await?;
        let envelope = self.read(status, &headers, &body)?;
        Ok(ResponseValue::new(envelope, status, headers))
    }

    /// Sends the request and returns the typed result with the body it was decoded from.
    pub(crate) async fn send_keeping_body(&self) -> Result<(T, Bytes), Error> {
        let (status, headers, body) = self.execute().await?;
        let envelope = self.read(status, &headers, &body)?;
        Ok((envelope.result, body))
    }

    /// The typed envelope of a 2xx body.
    fn read(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Envelope<T>, Error> {
        T::from_body(self.decode, body)
            .map_err(|failure| failure.into_error(status, ray_id(headers)))
    }

    /// Sends the request and returns the typed result; awaiting the call does the same.
    ///
    /// # Errors
    ///
    /// Any [`Error`]: [`Error::Api`] when the API answers with an error status or
    /// `success: false`, after the retries the call allows.
    pub async fn send(self) -> Result<T, Error> {
        Ok(self.send_with_response().await?.into_inner().result)
    }
}

/// An attempt that did not bring a 2xx: what it came to (for the retry decision), the response's
/// headers if one came, and the error the call returns if it is not retried.
struct Failed {
    outcome: Outcome,
    headers: Option<HeaderMap>,
    error: Error,
}

impl Failed {
    fn new(outcome: Outcome, headers: Option<HeaderMap>, error: Error) -> Failed {
        Failed {
            outcome,
            headers,
            error,
        }
    }
}

/// How much of an error response's body is read: enough for Cloudflare's error envelope, or the
/// start of an HTML error page for the snippet.
const ERROR_BODY_PREFIX: u64 = 64 * 1024;

/// Why a body was not read whole.
enum BodyError {
    /// Over the limit (a 2xx body), by its `Content-Length` or as it arrived.
    TooLarge,
    /// The connection failed or timed out while reading.
    Transport(reqwest::Error),
}

/// Reads a response body, at most `limit` bytes. Past the limit, a 2xx body (`whole`) is an
/// error, another body is cut there (what was read is kept); either way, reading stops and the
/// rest is never received into memory. The buffer grows with what arrives, never beyond the limit.
async fn read_body(
    response: &mut reqwest::Response,
    limit: u64,
    whole: bool,
) -> Result<Bytes, BodyError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let announced = response
        .content_length()
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if whole && announced.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    // A body that comes in one chunk (most answers) is kept as it came, without a copy.
    let mut one: Option<Bytes> = None;
    let mut many: Option<Vec<u8>> = None;
    let mut len = 0;
    while let Some(mut chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        let cut = chunk.len() > limit - len;
        if cut {
            if whole {
                return Err(BodyError::TooLarge);
            }
            chunk.truncate(limit - len);
        }
        len += chunk.len();
        match (&mut many, one.take()) {
            (Some(buf), _) => append(buf, &chunk, limit),
            (None, None) => one = Some(chunk),
            (None, Some(first)) => {
                // What `Content-Length` announces, within the limit and 1 MiB: a lying header
                // costs little.
                let capacity = announced.unwrap_or(0).min(limit).min(1 << 20).max(len);
                let mut buf = Vec::with_capacity(capacity);
                buf.extend_from_slice(&first);
                append(&mut buf, &chunk, limit);
                many = Some(buf);
            }
        }
        if cut {
            break;
        }
    }
    Ok(match (many, one) {
        (Some(buf), _) => Bytes::from(buf),
        (None, one) => one.unwrap_or_default(),
    })
}

/// Appends `chunk` to `buf`, which grows by doubling but never past `limit`: the buffer stays
/// within the limit (the caller has checked that `chunk` fits).
fn append(buf: &mut Vec<u8>, chunk: &[u8], limit: usize) {
    if buf.capacity() - buf.len() < chunk.len() {
        let wanted = (buf.capacity() * 2).max(buf.len() + chunk.len()).min(limit);
        buf.reserve_exact(wanted - buf.len());
    }
    buf.extend_from_slice(chunk);
}

impl<'a, T: DeserializeOwned + Send + 'a> Call<'a, Page<T>> {
    /// Every item of this page and of the pages after it, fetched as the stream is read (see
    /// [`PageStream`]). The generated `list_all` methods return this for their `list`.
    pub fn into_stream(self) -> PageStream<'a, T> {
        PageStream::new(self)
    }
}

impl<'a, T: FromBody + Send + 'a> IntoFuture for Call<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The `Content-Encoding` of a response, when it names an encoding other than `identity`: the
/// client (reqwest as this crate builds it) decodes none and asks for none. A client given with
/// [`http_client`](crate::ClientBuilder::http_client) that decodes a body removes the header.
fn unreadable_encoding(headers: &HeaderMap) -> Option<String> {
    // Most responses have no such header: one lookup answers, without the iterator below
    // (BENCHMARKS.md, instructions per request).
    headers.get(CONTENT_ENCODING)?;
    let mut codings = headers
        .get_all(CONTENT_ENCODING)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .map(|c| String::from_utf8_lossy(c.trim_ascii()).into_owned())
        .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("identity"))
        .peekable();
    codings.peek()?;
    Some(codings.collect::<Vec<_>>().join(", "))
}

/// Whether a transport error is a response that came but is not HTTP as hyper reads it: a head
/// too large (too many headers, a header over the size limit), two different `Content-Length`s,
/// a status line that does not parse.
fn malformed(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            // Every parse error of a response head: too large, a bad header, a bad status line.
            return h.is_parse();
        }
        cause = e.source();
    }
    false
}

fn ray_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("cf-ray")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The error for a non-2xx response: the envelope's errors when the body is one, else a snippet.
pub(crate) fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let parsed: Option<crate::envelope::EnvelopeStatus> = serde_json::from_slice(body).ok();
    let (errors, messages, snippet) = match parsed {
        Some(env) if env.errors.is_some() || env.messages.is_some() || env.success.is_some() => (
            env.errors.unwrap_or_default(),
            env.messages.unwrap_or_default(),
            None,
        ),
        _ => (Vec::new(), Vec::new(), Some(snippet(body))),
    };
    Error::Api(Box::new(ApiError {
        status,
        errors,
        messages,
        ray_id: ray_id(headers),
        body_snippet: snippet,
    }))
}

/// The first 200 characters of a body, whitespace folded. Reads no further than it needs: at most
/// the first 16 KiB.
pub(crate) fn snippet(body: &[u8]) -> String {
    const CHARS: usize = 200;
    let prefix = &body[..body.len().min(16 * 1024)];
    let text = String::from_utf8_lossy(prefix);
    let mut out = String::with_capacity(CHARS + 3);
    let mut words = text.split_whitespace();
    let mut taken = 0;
    let mut more = false;
    for word in words.by_ref() {
        if taken > 0 {
            if taken == CHARS {
                more = true;
                break;
            }
            out.push(' ');
            taken += 1;
        }
        for c in word.chars() {
            if taken == CHARS {
                more = true;
                break;
            }
            out.push(c);
            taken += 1;
        }
        if more {
            break;
        }
    }
    if more || prefix.len() < body.len() {
        out.push('…');
    }
    out
}
