//! One API call: built by a generated method, adjusted with per-call options, then awaited.

use crate::__private::{Decode, FromBody, ParamValue};
use crate::envelope::{Envelope, Page};
use crate::error::{ApiError, Error};
use crate::retry::retryable_status;
use crate::{Client, PageStream, ResponseValue};
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;
use tracing::Instrument;

/// A request ready to be sent. `.await` it for the typed result, or call
/// [`send_with_response`](Self::send_with_response) for the status, headers and whole envelope.
/// Before that, per-call options may be set: [`timeout`](Self::timeout),
/// [`max_retries`](Self::max_retries), [`header`](Self::header), [`query`](Self::query).
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
    #[doc(hidden)]
    pub fn new(
        client: &'a Client,
        method: Method,
        template: &'static str,
        path: String,
        decode: Decode,
    ) -> Self {
        let problem = crate::__private::has_dot_segment(&path)
            .then(|| format!("a path parameter of `{template}` is `.` or `..`, which would change the request path"));
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
            max_retries: None,
            decode,
            result: PhantomData,
        }
    }

    /// The time allowed for each attempt of this call (overrides the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries for this call (overrides the client's).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// An extra header for this call.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => self.problem = Some(format!("invalid header `{name}`")),
        }
        self
    }

    /// An extra query parameter for this call (an escape hatch when the spec lags the API).
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// The path template of the operation (`/accounts/{account_id}/mtls_certificates`).
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
    /// What is retried (each attempt has the whole timeout; waits follow the backoff or the
    /// server's `Retry-After`):
    /// - a connection that could not be made, for every method: nothing reached the server;
    /// - a 429, for every method: the request was refused unprocessed;
    /// - a 408 or 5xx, a timeout, or a connection lost before the whole response arrived, only for
    ///   GET, PUT, DELETE (and the other idempotent methods). A POST or PATCH that may have been
    ///   processed (an upload, a certificate issue) is never sent twice.
    async fn execute(&self) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
        if let Some(p) = &self.problem {
            return Err(Error::InvalidRequest(p.clone()));
        }
        let inner = &self.client.inner;
        let max_retries = self.max_retries.unwrap_or(inner.retry.max_retries);
        let idempotent = !matches!(self.method, Method::POST | Method::PATCH);
        let mut delays = inner.retry.backoff(max_retries);
        let url = self.url()?;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let can_retry = attempt <= max_retries;
            let span = tracing::debug_span!(
                "cloudflare_mtls.request",
                method = %self.method,
                path = self.template,
                attempt,
                status = tracing::field::Empty,
                cf_ray = tracing::field::Empty,
            );
            let request = self.build_request(&url);
            let attempt_outcome = async {
                let mut response = inner.http.execute(request).await.map_err(Failure::Send)?;
                let status = response.status();
                // Taken, not cloned: the body is read through the response, not its headers.
                let headers = std::mem::take(response.headers_mut());
                if !span.is_disabled() {
                    span.record("status", status.as_u16());
                    if let Some(ray) = ray_id(&headers) {
                        span.record("cf_ray", ray.as_str());
                    }
                }
                match response.bytes().await {
                    Ok(body) => {
                        tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
                        Ok((status, headers, body))
                    }
                    Err(e) => Err(Failure::Body(status, e)),
                }
            };
            // Without a subscriber listening, the span is skipped rather than entered on every poll.
            let outcome = if span.is_disabled() {
                attempt_outcome.await
            } else {
                attempt_outcome.instrument(span.clone()).await
            };
            let wait = match outcome {
                Ok((status, headers, body)) => {
                    if status.is_success() {
                        return Ok((status, headers, body));
                    }
                    // 429 means the request was refused unprocessed: safe to retry any method.
                    let retry = can_retry
                        && retryable_status(status)
                        && (idempotent || status == StatusCode::TOO_MANY_REQUESTS);
                    if !retry {
                        return Err(api_error(status, &headers, &body));
                    }
                    match inner.retry.retry_after(&headers) {
                        Ok(Some(wait)) => {
                            delays.next();
                            Some(wait)
                        }
                        Ok(None) => delays.next(),
                        Err(()) => {
                            span.in_scope(|| {
                                tracing::debug!(
                                    "Retry-After is beyond the cap (max_retry_after): not retrying"
                                )
                            });
                            return Err(api_error(status, &headers, &body));
                        }
                    }
                }
                Err(Failure::Send(e)) => {
                    // A connect failure means nothing reached the server: safe to retry any method.
                    let retry = can_retry
                        && (e.is_connect() || (idempotent && (e.is_timeout() || e.is_request())));
                    span.in_scope(|| {
                        tracing::debug!(error = %crate::error::Chain(&e), retry, "request failed")
                    });
                    if !retry {
                        return Err(Error::from_transport(e));
                    }
                    delays.next()
                }
                Err(Failure::Body(status, e)) => {
                    // The server has the request (it answered): only an idempotent one is sent
                    // again, or one it refused with a 429.
                    let retry =
                        can_retry && (idempotent || status == StatusCode::TOO_MANY_REQUESTS);
                    span.in_scope(|| {
                        tracing::debug!(
                            error = %crate::error::Chain(&e),
                            retry,
                            "reading the response failed"
                        )
                    });
                    if !retry {
                        return Err(Error::from_transport(e));
                    }
                    delays.next()
                }
            };
            let delay = wait.unwrap_or(inner.retry.max_delay);
            span.in_scope(|| tracing::debug!(delay_ms = delay.as_millis() as u64, "retrying"));
            tokio::time::sleep(delay).await;
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
    fn build_request(&self, url: &reqwest::Url) -> reqwest::Request {
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
        *request.timeout_mut() = Some(self.timeout.unwrap_or(inner.timeout));
        request
    }
}

/// Sending: the result type is read from the body here, so its decoder is compiled only for the
/// calls a program awaits.
impl<'a, T: FromBody> Call<'a, T> {
    /// Sends the request and returns the typed result with the HTTP status, the headers and the
    /// whole envelope (`messages`, `result_info`).
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
            .map_err(|failure| failure.into_error(status, headers, body, ray_id(headers)))
    }

    /// Sends the request and returns the typed result.
    pub async fn send(self) -> Result<T, Error> {
        Ok(self.send_with_response().await?.into_inner().result)
    }
}

/// Why an attempt got no complete response.
enum Failure {
    /// Sending the request (connecting included) failed: no response.
    Send(reqwest::Error),
    /// The status and headers arrived, the body did not (a timeout, a connection cut short).
    Body(StatusCode, reqwest::Error),
}

impl<'a, T: DeserializeOwned + Send + 'a> Call<'a, Page<T>> {
    /// Every item of every page, fetched as the stream is read (see [`PageStream`]).
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

/// The first 200 characters of a body, whitespace folded.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = folded.chars().take(200).collect();
    if folded.chars().count() > 200 {
        out.push('…');
    }
    out
}
