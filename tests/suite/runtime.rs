//! The runtime against servers that misbehave on purpose: retries (which methods, which failures,
//! how many requests the server received), `Retry-After`, timeouts (total, per call, connect, a body
//! that never finishes), error messages and decode paths, per-call options, pagination against a
//! server that ignores `page`, raw responses, tracing without secrets, and transport safety. The
//! misbehaviour is wiremock's or a raw socket's, or the fault of the library's stand-in
//! (`cloudflare_mtls::testing`) where Cloudflare's own (a 429 with error 971, a 503 on one page)
//! meets a server that keeps state.
//!
//! Retry policies use zero or few-millisecond delays; the only real waits are the `Retry-After`
//! tests (about a second each), so the file stays fast. Timing asserts are lower bounds (the client
//! waited at least this long) or generous upper bounds (it did not hang).

use cloudflare_mtls::testing::{csr, Fault, Seed, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Credentials, Error, RetryPolicy, Scope};
use cloudflare_mtls_test_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CERT_ID: &str = "2458ce5a0c354c7f82c78e9487d3ff60";
const RAY: &str = "8c1f0e2b3a4d5e6f-SJC";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A token client with 2 retries and no waits.
fn retrying(server: &MockServer) -> Client {
    client_retrying(&server.uri(), no_wait(2))
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").port()
}

fn upload() -> MtlsCertificateCreate {
    MtlsCertificateCreate::new(
        true,
        "-----BEGIN CERTIFICATE-----\nPUBLIC\n-----END CERTIFICATE-----",
    )
    .name("ca")
}

/// One operation of each HTTP method, for the retry tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    /// `mtls_certificates.get`
    Get,
    /// `origin_tls_client_auth.settings.update`
    Put,
    /// `mtls_certificates.delete`
    Delete,
    /// `mtls_certificates.create` (an upload)
    Post,
    /// `client_certificates.edit` (reactivates a certificate)
    Patch,
}

const IDEMPOTENT: [Op; 3] = [Op::Get, Op::Put, Op::Delete];
const NON_IDEMPOTENT: [Op; 2] = [Op::Post, Op::Patch];
const ALL_OPS: [Op; 5] = [Op::Get, Op::Put, Op::Delete, Op::Post, Op::Patch];

/// Per-call options applied to an [`Op`]'s call.
#[derive(Debug, Clone, Copy, Default)]
struct Opts {
    timeout: Option<Duration>,
    /// The call's deadline: set where attempts are short and all of them must run.
    deadline: Option<Duration>,
    max_retries: Option<u32>,
}

impl Opts {
    fn apply<'a, T>(self, mut call: Call<'a, T>) -> Call<'a, T> {
        if let Some(t) = self.timeout {
            call = call.timeout(t);
        }
        if let Some(d) = self.deadline {
            call = call.deadline(d);
        }
        if let Some(n) = self.max_retries {
            call = call.max_retries(n);
        }
        call
    }
}

impl Op {
    fn method(self) -> &'static str {
        match self {
            Op::Get => "GET",
            Op::Put => "PUT",
            Op::Delete => "DELETE",
            Op::Post => "POST",
            Op::Patch => "PATCH",
        }
    }

    fn path(self) -> String {
        match self {
            Op::Get | Op::Delete => format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}"),
            Op::Put => format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings"),
            Op::Post => format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
            Op::Patch => format!("/zones/{ZONE_ID}/client_certificates/{CERT_ID}"),
        }
    }

    /// A mock for this operation's method and path.
    fn mock(self) -> wiremock::MockBuilder {
        Mock::given(method(self.method())).and(path(self.path()))
    }

    /// Sends the operation; the result is dropped (every response type accepts `{"id": …}`).
    async fn send(self, client: &Client, opts: Opts) -> Result<(), Error> {
        match self {
            Op::Get => opts
                .apply(client.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
                .await
                .map(drop),
            Op::Put => opts
                .apply(
                    client
                        .origin_tls_client_auth()
                        .settings()
                        .update(ZONE_ID, &ZoneSettingUpdate::new(true)),
                )
                .await
                .map(drop),
            Op::Delete => opts
                .apply(client.mtls_certificates().delete(ACCOUNT_ID, CERT_ID))
                .await
                .map(drop),
            Op::Post => opts
                .apply(client.mtls_certificates().create(ACCOUNT_ID, &upload()))
                .await
                .map(drop),
            Op::Patch => opts
                .apply(client.client_certificates().edit(
                    ZONE_ID,
                    CERT_ID,
                    &ClientCertificateEdit::new().reactivate(true),
                ))
                .await
                .map(drop),
        }
    }
}

fn ok_cert() -> ResponseTemplate {
    ok(json!({ "id": CERT_ID }))
}

/// A mock server and a token client for it, reused across the cases of a table (building a
/// client loads the TLS roots, which takes a while in debug builds).
struct Rig {
    server: MockServer,
    client: Client,
}

impl Rig {
    /// A rig whose client retries twice without waiting.
    async fn retrying() -> Rig {
        Rig::with(no_wait(2)).await
    }

    async fn with(policy: RetryPolicy) -> Rig {
        let server = server().await;
        let client = client_retrying(&server.uri(), policy);
        Rig { server, client }
    }

    /// Forgets the mocks and the requests received so far.
    async fn reset(&self) {
        self.server.reset().await;
    }

    async fn received(&self) -> usize {
        received(&self.server).await
    }

    /// Mounts `first` for the first request of `op` and a success after it; sends `op`; returns
    /// the result and the number of requests the server received.
    async fn first_then_ok(&self, op: Op, first: ResponseTemplate) -> (Result<(), Error>, usize) {
        self.reset().await;
        op.mock()
            .respond_with(first)
            .up_to_n_times(1)
            .mount(&self.server)
            .await;
        op.mock().respond_with(ok_cert()).mount(&self.server).await;
        let result = op.send(&self.client, Opts::default()).await;
        (result, self.received().await)
    }

    /// Mounts `response` for every request of `op`; sends `op` with `opts`; returns the result and
    /// the number of requests the server received.
    async fn always(
        &self,
        op: Op,
        response: ResponseTemplate,
        opts: Opts,
    ) -> (Result<(), Error>, usize) {
        self.reset().await;
        op.mock().respond_with(response).mount(&self.server).await;
        let result = op.send(&self.client, opts).await;
        (result, self.received().await)
    }
}

// ---------------------------------------------------------------------------------------------
// Retries: what is retried, counted at the server
// ---------------------------------------------------------------------------------------------

/// GET, PUT and DELETE after a 500, 502, 503, 504 or 408: sent again, and the retry's success
/// is returned (2 requests).
#[tokio::test]
async fn idempotent_methods_are_retried_after_5xx_and_408() {
    let rig = Rig::retrying().await;
    for op in IDEMPOTENT {
        for status in [500, 502, 503, 504, 408] {
            let (result, requests) = rig
                .first_then_ok(
                    op,
                    ResponseTemplate::new(status).set_body_json(failure(1000, "transient")),
                )
                .await;
            result.unwrap_or_else(|e| panic!("{op:?} after {status}: {e}"));
            assert_eq!(requests, 2, "{op:?} after {status}");
        }
    }
}

/// POST (an upload) and PATCH after a 500, 502, 503 or 408 may have been processed: exactly 1
/// request, and the error is returned, even with `Retry-After: 0`.
#[tokio::test]
async fn post_and_patch_are_not_retried_after_5xx_or_408() {
    let rig = Rig::retrying().await;
    for op in NON_IDEMPOTENT {
        for status in [500, 502, 503, 408] {
            let (result, requests) = rig
                .first_then_ok(
                    op,
                    ResponseTemplate::new(status)
                        .insert_header("retry-after", "0")
                        .set_body_json(failure(1000, "maybe processed")),
                )
                .await;
            let err = result.expect_err("no retry");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{op:?}");
            assert!(
                err.is_retryable(),
                "{op:?} {status}: the status class is transient"
            );
            assert_eq!(requests, 1, "{op:?} after {status} was sent again");
        }
    }
}

/// A 429 was refused unprocessed: every method is sent again, POST and PATCH included.
#[tokio::test]
async fn every_method_is_retried_after_429() {
    let rig = Rig::retrying().await;
    for op in ALL_OPS {
        let (result, requests) = rig
            .first_then_ok(
                op,
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "0")
                    .set_body_json(failure(971, "rate limited")),
            )
            .await;
        result.unwrap_or_else(|e| panic!("{op:?}: {e}"));
        assert_eq!(requests, 2, "{op:?}");
    }
}

/// A 4XX other than 408/429 is final for every method: 1 request.
#[tokio::test]
async fn client_errors_are_final_for_every_method() {
    let rig = Rig::retrying().await;
    for op in ALL_OPS {
        for status in [400, 401, 403, 404, 409, 422] {
            let (result, requests) = rig
                .first_then_ok(
                    op,
                    ResponseTemplate::new(status).set_body_json(failure(1001, "no")),
                )
                .await;
            let err = result.expect_err("final");
            assert!(!err.is_retryable(), "{op:?} {status}");
            assert_eq!(requests, 1, "{op:?} {status}");
        }
    }
}

/// Without `max_retries` set, a client retries twice: a GET that always meets a 500 is sent 3
/// times and the last error (with the envelope's code) is returned.
#[tokio::test]
async fn default_max_retries_is_two() {
    assert_eq!(RetryPolicy::default().max_retries, 2);
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ResponseTemplate::new(500).set_body_json(failure(1000, "internal")))
        .mount(&server)
        .await;
    let client = client_retrying(
        &server.uri(),
        RetryPolicy {
            initial_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            ..RetryPolicy::default()
        },
    );
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("still failing");
    assert!(err.is_server_error());
    assert_eq!(err.codes(), vec![1000]);
    assert_eq!(received(&server).await, 3);
}

/// `max_retries` on the builder, and per call in both directions: a call's `max_retries(0)`
/// beats the client's 2 (1 request); a call's `max_retries(4)` beats the client's 0 (5 requests).
#[tokio::test]
async fn max_retries_per_client_and_per_call() {
    let cases: [(u32, Option<u32>, usize); 4] =
        [(2, Some(0), 1), (0, Some(4), 5), (1, None, 2), (0, None, 1)];
    for (client_retries, call_retries, expected) in cases {
        let server = server().await;
        Op::Get
            .mock()
            .respond_with(ResponseTemplate::new(503).set_body_json(failure(1000, "busy")))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .allow_http(true)
            .api_token(TOKEN)
            .retry_policy(no_wait(9))
            .max_retries(client_retries)
            .build()
            .expect("client builds");
        let opts = Opts {
            max_retries: call_retries,
            ..Opts::default()
        };
        let err = Op::Get.send(&client, opts).await.expect_err("503");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(
            received(&server).await,
            expected,
            "client {client_retries}, call {call_retries:?}"
        );
    }
}

/// Retries wait for the backoff: with 40 ms initial and maximum delays, two retries wait at
/// least 2 × 20 ms (each wait is between half the delay and all of it).
#[tokio::test]
async fn retries_wait_for_the_backoff() {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let client = client_retrying(
        &server.uri(),
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(40),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(5),
        },
    );
    let started = Instant::now();
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("502");
    assert!(
        started.elapsed() >= Duration::from_millis(40),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(received(&server).await, 3);
}

/// A DNS resolver that counts lookups (one per connection attempt) and sends every name to
/// 127.0.0.1, where the URL's port has no listener: each attempt is a connect failure.
struct CountingResolver(Arc<AtomicUsize>);

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.fetch_add(1, Ordering::SeqCst);
        let addrs: reqwest::dns::Addrs =
            Box::new(std::iter::once(SocketAddr::from(([127, 0, 0, 1], 0))));
        Box::pin(async move { Ok(addrs) })
    }
}

/// A connection that cannot be made means nothing reached the server: every method is retried,
/// POST and PATCH included (3 connection attempts with 2 retries), then `Error::Connect`.
#[tokio::test]
async fn connect_failures_are_retried_for_every_method() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let http =
        reqwest::Client::builder().dns_resolver(Arc::new(CountingResolver(attempts.clone())));
    let client = Client::builder()
        .base_url(format!("http://refused.test:{}", closed_port()))
        .allow_http(true)
        .api_token(TOKEN)
        .retry_policy(no_wait(2))
        .http_client_builder(http)
        .build()
        .expect("client builds");
    for op in ALL_OPS {
        attempts.store(0, Ordering::SeqCst);
        let err = op
            .send(&client, Opts::default())
            .await
            .expect_err("nothing listens");
        assert!(matches!(err, Error::Connect(_)), "{op:?}: {err:?}");
        assert!(err.is_retryable());
        assert_eq!(attempts.load(Ordering::SeqCst), 3, "{op:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Retry-After
// ---------------------------------------------------------------------------------------------

/// Cloudflare's 429 (error 971, `Retry-After: 1`) to an upload, from the stand-in: the retry
/// comes at least 1 s later, and the certificate is uploaded once (the 429 was not processed).
#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let stand_in = StandIn::start().await;
    stand_in.inject(
        Fault::rate_limited(Duration::from_secs(1)).on("POST", "/accounts/*/mtls_certificates"),
    );
    let client = stand_in
        .client_builder()
        .retry_policy(no_wait(2))
        .build()
        .expect("client builds");
    let ca = TestCertificate::new("CN=Example Root CA").ca(true).build();
    let started = Instant::now();
    client
        .mtls_certificates()
        .create(
            ACCOUNT_ID,
            &MtlsCertificateCreate::new(true, ca.certificate_pem).name("ca"),
        )
        .await
        .expect("the retry succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(stand_in.requests().len(), 2);
    let listed = client
        .mtls_certificates()
        .list(ACCOUNT_ID, Default::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
}

/// `Retry-After` as an HTTP date on a 503: the retry waits until that date.
#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let timer = Instant::now();
    let started = SystemTime::now();
    let date = httpdate::fmt_http_date(started + Duration::from_millis(1500));
    // HTTP dates have whole seconds: the date is between 0.5 s and 1.5 s from now.
    let wait = httpdate::parse_http_date(&date)
        .expect("valid date")
        .duration_since(started)
        .expect("in the future");
    assert!(wait >= Duration::from_millis(400), "{wait:?}");
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Op::Get.mock().respond_with(ok_cert()).mount(&server).await;
    Op::Get
        .send(&retrying(&server), Opts::default())
        .await
        .expect("the retry succeeds");
    // The client waited until the date: at least `wait` since `started` (5 ms for clock skew
    // between `Instant` and `SystemTime`).
    assert!(
        timer.elapsed() + Duration::from_millis(5) >= wait,
        "{:?} < {wait:?}",
        timer.elapsed()
    );
    assert_eq!(received(&server).await, 2);
}

/// `retry-after-ms` (sent by Cloudflare's edge) is honoured too.
#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = server().await;
    Op::Delete
        .mock()
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "150"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Op::Delete
        .mock()
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let started = Instant::now();
    Op::Delete
        .send(&retrying(&server), Opts::default())
        .await
        .expect("the retry succeeds");
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await, 2);
}

/// A `Retry-After` beyond the cap (`max_retry_after`, 5 s here) is not waited for: the 429 comes
/// back at once with its codes and cf-ray, after 1 request. Absurd values (`1e30`, `inf`, a date
/// an hour away) are treated the same, without a panic.
#[tokio::test]
async fn retry_after_beyond_the_cap_is_not_retried() {
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let rig = Rig::retrying().await;
    for value in ["3600", "6", "1e30", "inf", in_an_hour.as_str()] {
        let started = Instant::now();
        let (result, requests) = rig
            .always(
                Op::Get,
                ResponseTemplate::new(429)
                    .insert_header("retry-after", value)
                    .insert_header("cf-ray", RAY)
                    .set_body_json(failure(971, "Please wait")),
                Opts::default(),
            )
            .await;
        let err = result.expect_err("a 429");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "waited for {value}"
        );
        assert!(err.is_rate_limited(), "{value}");
        assert!(err.is_retryable());
        assert_eq!(err.codes(), vec![971]);
        assert_eq!(err.ray_id(), Some(RAY));
        assert_eq!(requests, 1, "{value}");
    }
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

/// A server that takes 5 s to answer and a call with `.timeout(150 ms)`: `Error::Timeout` well
/// before the server answers, with the cause in its message.
#[tokio::test]
async fn slow_server_gives_a_timeout_error_not_a_hang() {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ok_cert().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client(&server);
    let started = Instant::now();
    let err = Op::Get
        .send(
            &client,
            Opts {
                timeout: Some(Duration::from_millis(150)),
                ..Opts::default()
            },
        )
        .await
        .expect_err("times out");
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout() && err.is_retryable());
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
}

/// After a timeout, GET/PUT/DELETE are retried (3 requests with 2 retries) but POST and PATCH,
/// which the server may be processing, are sent exactly once.
#[tokio::test]
async fn timeouts_are_retried_only_for_idempotent_methods() {
    let rig = Rig::retrying().await;
    for op in ALL_OPS {
        // Three timed-out attempts outlast the default deadline (twice the timeout).
        let opts = Opts {
            timeout: Some(Duration::from_millis(50)),
            deadline: Some(Duration::from_secs(10)),
            ..Opts::default()
        };
        let (result, requests) = rig
            .always(op, ok_cert().set_delay(Duration::from_secs(5)), opts)
            .await;
        let err = result.expect_err("times out");
        assert!(err.is_timeout(), "{op:?}: {err:?}");
        let expected = if NON_IDEMPOTENT.contains(&op) { 1 } else { 3 };
        assert_eq!(requests, expected, "{op:?}");
    }
}

/// The client's timeout is set on the builder and applies to every call; a call's own timeout
/// replaces it (longer here, so the slow answer arrives).
#[tokio::test]
async fn client_timeout_from_the_builder_and_per_call_override() {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ok_cert().set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .api_token(TOKEN)
        .max_retries(0)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client builds");
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("the client's timeout");
    assert!(err.is_timeout(), "{err:?}");
    Op::Get
        .send(
            &client,
            Opts {
                timeout: Some(Duration::from_secs(10)),
                ..Opts::default()
            },
        )
        .await
        .expect("the call's longer timeout lets the answer arrive");
    assert_eq!(received(&server).await, 2);
}

/// What a misbehaving raw server does after sending the status line, the headers
/// (`content-length: 500`) and the first bytes of a JSON body.
#[derive(Debug, Clone, Copy)]
enum BodyFault {
    /// Sends nothing more and keeps the connection open.
    Stall,
    /// Closes the connection: the body is cut short.
    Cut,
}

/// A raw server whose responses never complete (see [`BodyFault`]).
fn faulty_server(fault: BodyFault) -> RawServer {
    RawServer::start(Reply::with(move |_, stream| {
        let partial =
            format!(r#"{{"success":true,"errors":[],"messages":[],"result":{{"id":"{CERT_ID}""#);
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n{partial}"
        );
        let _ = stream.write_all(response.as_bytes());
        let _ = stream.flush();
        if let BodyFault::Stall = fault {
            // Hold the connection until the client gives up and closes it.
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            while matches!(stream.read(&mut [0u8; 64]), Ok(n) if n > 0) {}
        }
    }))
}

/// Status and headers arrive, the body never finishes: the call's timeout covers reading the
/// body. The server received a POST or PATCH (and answered 200): it is not sent again (1
/// request), while a GET is (3 requests). All end with `Error::Timeout`.
#[tokio::test]
async fn timeout_while_reading_the_body_is_retried_only_for_idempotent_methods() {
    let server = faulty_server(BodyFault::Stall);
    let client = client_retrying(&server, no_wait(2));
    for (op, expected) in [(Op::Post, 1), (Op::Patch, 1), (Op::Get, 3)] {
        let before = server.requests();
        let started = Instant::now();
        let err = op
            .send(
                &client,
                Opts {
                    timeout: Some(Duration::from_millis(80)),
                    deadline: Some(Duration::from_secs(10)),
                    ..Opts::default()
                },
            )
            .await
            .expect_err("the body never ends");
        assert!(matches!(err, Error::Timeout(_)), "{op:?}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{op:?} hung");
        assert_eq!(server.requests() - before, expected, "{op:?}");
    }
}

/// The connection closes in the middle of the body: a transport error; a POST is not sent again
/// (1 request), a GET or DELETE is (3 requests).
#[tokio::test]
async fn body_cut_short_is_retried_only_for_idempotent_methods() {
    let server = faulty_server(BodyFault::Cut);
    let client = client_retrying(&server, no_wait(2));
    for (op, expected) in [(Op::Post, 1), (Op::Patch, 1), (Op::Get, 3), (Op::Delete, 3)] {
        let before = server.requests();
        let err = op
            .send(&client, Opts::default())
            .await
            .expect_err("the body is cut short");
        assert!(matches!(err, Error::Http(_)), "{op:?}: {err:?}");
        assert_eq!(server.requests() - before, expected, "{op:?}");
    }
}

/// A response whose head the client cannot read (10,000 headers, a header of 1 MiB, two different
/// `Content-Length`s) is final: a transport error after one request, whatever the method, though
/// the client may retry twice (the `Malformed` row of `decide`).
#[tokio::test]
async fn a_malformed_response_head_is_not_retried() {
    let body = r#"{"success":true,"errors":[],"messages":[],"result":{}}"#;
    let many: String = (0..10_000)
        .map(|i| format!("x-header-{i}: v\r\n"))
        .collect();
    let large = format!("x-large: {}\r\n", "a".repeat(1 << 20));
    let lengths = format!("content-length: {}\r\n", body.len() + 1);
    for (what, extra) in [
        ("10,000 headers", many),
        ("a 1 MiB header", large),
        ("two Content-Lengths", lengths),
    ] {
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{body}",
            body.len()
        );
        let server = RawServer::start(Reply::Bytes(response.into_bytes()));
        let client = client_retrying(server.uri(), no_wait(2));
        for op in [Op::Get, Op::Delete, Op::Post] {
            let before = server.requests();
            let err = op
                .send(&client, Opts::default())
                .await
                .expect_err("a malformed head");
            assert!(matches!(err, Error::Http(_)), "{what}, {op:?}: {err:?}");
            assert_eq!(server.requests() - before, 1, "{what}, {op:?}: not retried");
        }
    }
}

/// The connect timeout set on the builder applies: a listener whose accept queue is full never
/// completes the handshake, and a 150 ms connect timeout ends the call with `Error::Timeout` (the
/// total timeout is 30 s). A connect timeout is a connect failure: even an upload is retried
/// (2 attempts take at least 2 × 150 ms).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn connect_timeout_applies() {
    // A backlog of 0 holds one pending connection; later handshakes get no answer.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .expect("bind");
    let listener = socket.listen(0).expect("listen");
    let addr = listener.local_addr().expect("local addr");
    let mut fillers = Vec::new();
    let mut full = false;
    for _ in 0..16 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => {
                full = true;
                break;
            }
        }
    }
    assert!(full, "the accept queue never filled");
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .allow_http(true)
        .api_token(TOKEN)
        .connect_timeout(Duration::from_millis(150))
        .timeout(Duration::from_secs(30))
        .retry_policy(no_wait(0))
        .build()
        .expect("client builds");
    let started = Instant::now();
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("no handshake");
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");

    let started = Instant::now();
    let err = Op::Post
        .send(
            &client,
            Opts {
                max_retries: Some(1),
                ..Opts::default()
            },
        )
        .await
        .expect_err("no handshake");
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    drop((listener, fillers));
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// `Error::Connect`'s message includes the causes `reqwest`'s own message hides ("Connection
/// refused"); no status, no cf-ray; retryable.
#[tokio::test]
async fn connect_error_message_names_the_cause() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    let client = client_retrying(&base, no_wait(0));
    let err = Op::Get
        .send(&client, Opts::default())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    let shown = err.to_string();
    assert!(shown.starts_with("connection failed: "), "{shown}");
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(shown.contains(&base), "the URL is named: {shown}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(err.status(), None);
    assert_eq!(err.ray_id(), None);
    assert!(err.is_retryable());
}

/// Status-class helpers and `is_retryable` for each status, and the API error's parts.
#[tokio::test]
async fn status_class_helpers() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check, bool); 11] = [
        (400, Error::is_bad_request, false),
        (401, Error::is_unauthorized, false),
        (403, Error::is_forbidden, false),
        (404, Error::is_not_found, false),
        (408, |e| e.status().map(|s| s.as_u16()) == Some(408), true),
        (409, Error::is_conflict, false),
        (422, Error::is_unprocessable, false),
        (429, Error::is_rate_limited, true),
        (500, Error::is_server_error, true),
        (502, Error::is_server_error, true),
        (503, Error::is_server_error, true),
    ];
    let rig = Rig::with(no_wait(0)).await;
    for (status, check, retryable) in cases {
        let (result, _) = rig
            .always(
                Op::Get,
                ResponseTemplate::new(status)
                    .insert_header("cf-ray", RAY)
                    .set_body_json(json!({
                        "success": false,
                        "errors": [{ "code": 7003, "message": "No route for the URI",
                                     "documentation_url": "https://developers.cloudflare.com/",
                                     "source": { "pointer": "/id" } }],
                        "messages": [{ "code": 1, "message": "see docs" }],
                        "result": null
                    })),
                Opts::default(),
            )
            .await;
        let err = result.expect_err("an error");
        assert!(check(&err), "{status}: {err:?}");
        assert_eq!(err.is_retryable(), retryable, "{status}");
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_server_error(), status >= 500);
        assert!(!err.is_timeout());
        let api = err.api().expect("an API error");
        assert_eq!(api.errors[0].code, 7003);
        assert_eq!(
            api.errors[0]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/id")
        );
        assert_eq!(api.messages[0].message, "see docs");
        assert_eq!(err.ray_id(), Some(RAY));
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains("No route for the URI (7003)"),
            "{shown}"
        );
        assert!(shown.contains(RAY), "{shown}");
    }
}

/// A 200 whose JSON stops in the middle: `Error::Decode` naming the path where it stopped.
#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_path() {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", RAY)
                .set_body_raw(
                    r#"{"success":true,"errors":[],"messages":[],"result":{"id":"abc","issuer":"Cloudfl"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let err = Op::Get
        .send(&client(&server), Opts::default())
        .await
        .expect_err("truncated");
    let Error::Decode {
        status,
        path,
        message,
        ray_id,
    } = &err
    else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(path, "result.issuer", "{message}");
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(ray_id.as_deref(), Some(RAY));
    assert!(err.to_string().contains("`result.issuer`"), "{err}");
}

/// A wrongly-typed field deep in a list: the path names the index and the field.
#[tokio::test]
async fn wrongly_typed_field_is_a_decode_error_with_a_path() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .respond_with(ok(json!([
            { "id": "a", "status": "active" },
            { "id": "b", "certificate_authority": { "id": 42 } }
        ])))
        .mount(&server)
        .await;
    let err = client(&server)
        .client_certificates()
        .list(ZONE_ID, Default::default())
        .await
        .expect_err("wrong type");
    let Error::Decode { path, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(path, "result[1].certificate_authority.id");
}

// ---------------------------------------------------------------------------------------------
// Per-call options and raw access
// ---------------------------------------------------------------------------------------------

/// `.header()` and `.query()` on a call reach the server, next to the generated query
/// parameters; values are encoded.
#[tokio::test]
async fn per_call_headers_and_query_parameters_reach_the_server() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .and(query_param("status", "active"))
        .and(query_param("new_filter", "a&b c"))
        .and(query_param("per_page", "5"))
        .and(header("x-extra", "1"))
        .and(header("cf-access-hint", "lagging spec"))
        .and(bearer())
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .client_certificates()
        .list(
            ZONE_ID,
            ClientCertificateListParams::default()
                .status(ClientCertificateStatusFilter::Active)
                .per_page(5),
        )
        .query("new_filter", "a&b c")
        .header("x-extra", "1")
        .header("cf-access-hint", "lagging spec")
        .await
        .expect("list succeeds");
    assert!(page.items.is_empty());

    Op::Post
        .mock()
        .and(header("x-extra", "upload"))
        .and(query_param("dry_run", "true"))
        .respond_with(ok_cert())
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .mtls_certificates()
        .create(ACCOUNT_ID, &upload())
        .header("x-extra", "upload")
        .query("dry_run", true)
        .await
        .expect("create succeeds");
}

/// An invalid per-call header is refused before anything is sent.
#[tokio::test]
async fn invalid_per_call_header_is_refused_before_sending() {
    let server = server().await;
    let err = client(&server)
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .header("x-bad", "line\nbreak")
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(received(&server).await, 0);
}

/// Raw access after a retry: `send_with_response` gives the final response's status, headers
/// (cf-ray) and whole envelope (`messages`, `result_info`) with the typed result, and composes
/// with per-call options.
#[tokio::test]
async fn raw_response_after_a_retry() {
    let server = server().await;
    let p = format!("/accounts/{ACCOUNT_ID}/access/certificates");
    Mock::given(method("GET"))
        .and(path(&p))
        .respond_with(ResponseTemplate::new(503).insert_header("cf-ray", "first-ray"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&p))
        .and(header("x-extra", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", RAY)
                .set_body_json(json!({
                    "success": true,
                    "errors": [],
                    "messages": [{ "code": 10000, "message": "deprecated field" }],
                    "result": [{ "id": "c1", "name": "a", "future_field": 1 }],
                    "result_info": { "page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1 }
                })),
        )
        .mount(&server)
        .await;
    let response = retrying(&server)
        .access()
        .certificates()
        .list(Scope::Account(ACCOUNT_ID), Default::default())
        .timeout(Duration::from_secs(5))
        .max_retries(1)
        .header("x-extra", "1")
        .send_with_response()
        .await
        .expect("the retry succeeds");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("cf-ray")
            .and_then(|v| v.to_str().ok()),
        Some(RAY)
    );
    let envelope = response.into_inner();
    assert_eq!(envelope.messages[0].message, "deprecated field");
    assert_eq!(envelope.result_info.and_then(|i| i.total_count), Some(1));
    assert_eq!(envelope.result.items[0].id.as_deref(), Some("c1"));
    assert_eq!(received(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// Pagination against a misbehaving server
// ---------------------------------------------------------------------------------------------

fn cert(id: &str) -> serde_json::Value {
    json!({ "id": id, "status": "active" })
}

/// A server that ignores `page` and alternates between two full pages (no `total_pages`). Saying
/// `page: 1` each time, it is caught by the page number: 2 requests, the first page's items. Saying
/// no page number, by its items: the stream yields each page once and stops when one comes back
/// (3 requests), never looping.
#[tokio::test]
async fn stream_stops_when_a_server_ignoring_page_alternates_pages() {
    for (info, requests, want) in [
        (
            json!({ "page": 1, "per_page": 2, "count": 2 }),
            2,
            &["a1", "a2"][..],
        ),
        (
            json!({ "per_page": 2, "count": 2 }),
            3,
            &["a1", "a2", "b1", "b2"][..],
        ),
    ] {
        let server = server().await;
        let p = format!("/zones/{ZONE_ID}/client_certificates");
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        let served_info = info.clone();
        Mock::given(method("GET"))
            .and(path(&p))
            .respond_with(move |_: &wiremock::Request| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let items = if n.is_multiple_of(2) {
                    json!([cert("a1"), cert("a2")])
                } else {
                    json!([cert("b1"), cert("b2")])
                };
                ok_page(items, served_info.clone())
            })
            .mount(&server)
            .await;
        let all: Vec<ClientCertificate> = client(&server)
            .client_certificates()
            .list_all(ZONE_ID, ClientCertificateListParams::default().per_page(2))
            .try_collect()
            .await
            .expect("stream ends");
        let ids: Vec<_> = all.iter().filter_map(|c| c.id.as_deref()).collect();
        assert_eq!(ids, want, "{info}");
        assert_eq!(received(&server).await, requests, "{info}");
    }
}

/// A server that ignores `page` and claims `total_pages: 50` with `page: 1` every time: the
/// repeated page ends the stream after 2 requests.
#[tokio::test]
async fn stream_stops_when_a_server_ignoring_page_claims_more_pages() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE_ID}/client_certificates")))
        .respond_with(ok_page(
            json!([cert("a1"), cert("a2")]),
            json!({ "page": 1, "per_page": 2, "count": 2, "total_count": 100, "total_pages": 50 }),
        ))
        .mount(&server)
        .await;
    let all: Vec<ClientCertificate> = client(&server)
        .client_certificates()
        .list_all(ZONE_ID, Default::default())
        .try_collect()
        .await
        .expect("stream ends");
    assert_eq!(all.len(), 2);
    assert_eq!(received(&server).await, 2);
}

/// `total_pages` without `page` in `result_info`: the requested page number is compared to it.
/// A short page ends the stream even when `total_pages` says more.
#[tokio::test]
async fn stream_stops_on_total_pages_without_page_and_on_a_short_page() {
    let server = server().await;
    let p = format!("/zones/{ZONE_ID}/client_certificates");
    Mock::given(method("GET"))
        .and(path(&p))
        .and(query_param("page", "1"))
        .respond_with(ok_page(
            json!([cert("a1"), cert("a2")]),
            json!({ "per_page": 2, "total_pages": 1 }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<ClientCertificate> = client(&server)
        .client_certificates()
        .list_all(ZONE_ID, Default::default())
        .try_collect()
        .await
        .expect("stream ends");
    assert_eq!(all.len(), 2);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(&p))
        .and(query_param("page", "1"))
        .respond_with(ok_page(
            json!([cert("a1")]),
            json!({ "page": 1, "per_page": 2, "total_pages": 9 }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<ClientCertificate> = client(&server)
        .client_certificates()
        .list_all(ZONE_ID, Default::default())
        .try_collect()
        .await
        .expect("stream ends");
    assert_eq!(all.len(), 1);
}

/// A 503 on page 2 (the stand-in's fault, injected once page 1 has been read) is retried inside
/// the stream; no item is lost or repeated.
#[tokio::test]
async fn stream_retries_a_failed_page() {
    let stand_in = StandIn::start().await;
    let seeded: Vec<String> = (1..=7)
        .map(|i| stand_in.seed(Seed::client_certificate(ZONE_ID, &csr(&format!("CN=c{i}")))))
        .collect();
    let client = stand_in
        .client_builder()
        .retry_policy(no_wait(2))
        .build()
        .expect("client builds");
    let mut stream = client
        .client_certificates()
        .list_all(ZONE_ID, ClientCertificateListParams::default().per_page(5));
    let mut ids = Vec::new();
    for _ in 0..5 {
        let cert = stream.try_next().await.expect("page 1").expect("an item");
        ids.push(cert.id.unwrap_or_default());
    }
    assert_eq!(stand_in.requests().len(), 1, "page 1 only, so far");
    stand_in.inject(Fault::server_error(503).on("GET", "/zones/*/client_certificates"));
    while let Some(cert) = stream.try_next().await.expect("page 2, retried") {
        ids.push(cert.id.unwrap_or_default());
    }
    assert_eq!(ids, seeded);
    let pages: Vec<Option<String>> = stand_in.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(pages.len(), 3, "page 1, page 2 (503), page 2: {pages:?}");
    assert_eq!(pages[1], pages[2]);
}

// ---------------------------------------------------------------------------------------------
// Tracing and secrets
// ---------------------------------------------------------------------------------------------

const TRACE_TOKEN: &str = "tok-TRACE-SECRET-7d1f0c";
const TRACE_KEY: &str = "key-TRACE-SECRET-2b9e44";
const TRACE_EMAIL: &str = "ops@example.com";
const TRACE_SERVICE_KEY: &str = "v1.0-TRACE-SECRET-91ac";
const TRACE_PRIVATE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvTRACE-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n";

/// Every secret value used in this file and in the shared helpers.
fn secrets() -> Vec<&'static str> {
    vec![
        TRACE_TOKEN,
        TRACE_KEY,
        TRACE_SERVICE_KEY,
        TRACE_PRIVATE_KEY,
        "TRACE-SECRET",
        TOKEN,
        API_KEY,
        SERVICE_KEY,
    ]
}

#[track_caller]
fn assert_no_secret(what: &str, shown: &str) {
    for secret in secrets() {
        assert!(
            !shown.contains(secret),
            "{what} shows the secret {secret:?}:\n{shown}"
        );
    }
}

fn client_with_policy(base_url: &str, credentials: Credentials, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .allow_http(true)
        .credentials(credentials)
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

/// Calls with a token, with key + email, with a user service key, and uploads carrying a
/// private key, succeeding, retried and failing (401, 500, 400, connection refused) while every
/// log record is captured at TRACE: the logs have a span per attempt with method, path template,
/// attempt, status and cf-ray, and no secret value appears anywhere in them.
#[tokio::test]
async fn tracing_records_each_request_and_never_a_secret() {
    let logs = logs(Detail::Trace);
    let server = server().await;
    let token = client_with_policy(
        &server.uri(),
        Credentials::Token(TRACE_TOKEN.into()),
        no_wait(2),
    );
    let key = client_with_policy(
        &server.uri(),
        Credentials::KeyAndEmail {
            key: TRACE_KEY.into(),
            email: TRACE_EMAIL.into(),
        },
        no_wait(2),
    );
    let service = client_with_policy(
        &server.uri(),
        Credentials::UserServiceKey(TRACE_SERVICE_KEY.into()),
        no_wait(2),
    );

    // Token: a GET that meets a 503, then succeeds with a cf-ray.
    let get = format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}");
    Mock::given(method("GET"))
        .and(path(&get))
        .respond_with(ResponseTemplate::new(503).insert_header("cf-ray", "ray-503-SJC"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&get))
        .and(header(
            "authorization",
            format!("Bearer {TRACE_TOKEN}").as_str(),
        ))
        .respond_with(ok_cert().insert_header("cf-ray", RAY))
        .mount(&server)
        .await;
    token
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect("get succeeds");

    // Token: a 401.
    let list = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    Mock::given(method("GET"))
        .and(path(&list))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(failure(10000, "Authentication error")),
        )
        .mount(&server)
        .await;
    let unauthorized = token
        .mtls_certificates()
        .list(ACCOUNT_ID, MtlsCertificateListParams::default())
        .await
        .expect_err("401");

    // Key + email: an upload with a private key meets a 500 (not retried).
    Mock::given(method("POST"))
        .and(path(&list))
        .respond_with(ResponseTemplate::new(500).set_body_json(failure(1000, "internal")))
        .mount(&server)
        .await;
    let leaf = upload().private_key(TRACE_PRIVATE_KEY);
    let internal = key
        .mtls_certificates()
        .create(ACCOUNT_ID, &leaf)
        .await
        .expect_err("500");

    // Key + email: a zone origin-pull upload with a private key succeeds; the response echoes it.
    let aop = format!("/zones/{ZONE_ID}/origin_tls_client_auth");
    Mock::given(method("POST"))
        .and(path(&aop))
        .and(header("x-auth-key", TRACE_KEY))
        .respond_with(ok(
            json!({ "id": CERT_ID, "private_key": TRACE_PRIVATE_KEY }),
        ))
        .mount(&server)
        .await;
    let uploaded = key
        .origin_tls_client_auth()
        .zone_certificates()
        .create(
            ZONE_ID,
            &OriginPullCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY),
        )
        .send_with_response()
        .await
        .expect("upload succeeds");

    // Service key: a hostname certificate upload refused with a 400.
    let hostname = format!("/zones/{ZONE_ID}/origin_tls_client_auth/hostnames/certificates");
    Mock::given(method("POST"))
        .and(path(&hostname))
        .and(header("x-auth-user-service-key", TRACE_SERVICE_KEY))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(failure(1406, "invalid private key")),
        )
        .mount(&server)
        .await;
    let bad_request = service
        .origin_tls_client_auth()
        .hostname_certificates()
        .create(
            ZONE_ID,
            &HostnameCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY),
        )
        .await
        .expect_err("400");

    // Key + email: nothing listens; the upload is tried 3 times.
    let port = closed_port();
    let refused_client = client_with_policy(
        &format!("http://127.0.0.1:{port}"),
        Credentials::KeyAndEmail {
            key: TRACE_KEY.into(),
            email: TRACE_EMAIL.into(),
        },
        no_wait(2),
    );
    let refused = refused_client
        .origin_tls_client_auth()
        .zone_certificates()
        .create(
            ZONE_ID,
            &OriginPullCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY),
        )
        .await
        .expect_err("refused");

    let text = logs.text();
    // Span fields: method, path template, attempt, status, cf-ray.
    let get_template = "/accounts/{account_id}/mtls_certificates/{mtls_certificate_id}";
    let retried: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("cloudflare_mtls.request{method=GET")
                && l.contains(&format!("path=\"{get_template}\""))
        })
        .collect();
    assert!(
        retried
            .iter()
            .any(|l| l.contains("attempt=1") && l.contains("status=503")),
        "{text}"
    );
    assert!(
        retried.iter().any(|l| l.contains("attempt=2")
            && l.contains("status=200")
            && l.contains(&format!("cf_ray=\"{RAY}\""))),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("method=GET")
            && l.contains(r#"path="/accounts/{account_id}/mtls_certificates""#)
            && l.contains("status=401")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("method=POST")
            && l.contains(r#"path="/accounts/{account_id}/mtls_certificates""#)
            && l.contains("status=500")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("method=POST")
            && l.contains("/zones/{zone_id}/origin_tls_client_auth/hostnames/certificates")
            && l.contains("status=400")),
        "{text}"
    );
    // The refused upload: one failed attempt per try, with the cause.
    let failed: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("request failed") && l.contains(&format!("127.0.0.1:{port}")))
        .collect();
    for attempt in 1..=3 {
        assert!(
            failed
                .iter()
                .any(|l| l.contains(&format!("attempt={attempt}"))),
            "attempt {attempt}: {failed:#?}"
        );
    }
    assert!(
        failed.iter().all(|l| l.to_lowercase().contains("refused")),
        "{failed:#?}"
    );
    // `reqwest`'s own records are captured too.
    assert!(text.contains("reqwest::connect"), "{text}");

    assert_no_secret("the logs", &text);
    for (what, err) in [
        ("401", &unauthorized),
        ("500", &internal),
        ("400", &bad_request),
        ("refused", &refused),
    ] {
        assert_no_secret(what, &format!("{err:?}"));
        assert_no_secret(what, &format!("{err:#?}"));
        assert_no_secret(what, &err.to_string());
    }
    assert_no_secret("a response with a private key", &format!("{uploaded:?}"));
    assert_no_secret("a response with a private key", &format!("{uploaded:#?}"));
}

/// `Debug` (plain and `#`) of builders, clients, credentials, calls, request bodies, responses and
/// every kind of error never shows a token, key or private key.
#[tokio::test]
async fn debug_output_never_shows_a_secret() {
    let credentials = [
        Credentials::Token(TRACE_TOKEN.into()),
        Credentials::KeyAndEmail {
            key: TRACE_KEY.into(),
            email: TRACE_EMAIL.into(),
        },
        Credentials::UserServiceKey(TRACE_SERVICE_KEY.into()),
    ];
    for c in &credentials {
        assert_no_secret("credentials", &format!("{c:?} {c:#?}"));
        let builder = Client::builder()
            .credentials(c.clone())
            .default_header("x-custom-secret", TRACE_KEY);
        assert_no_secret("a builder", &format!("{builder:?} {builder:#?}"));
        let client = builder.build().expect("client builds");
        assert_no_secret("a client", &format!("{client:?} {client:#?}"));
    }

    let bodies: Vec<String> = vec![
        format!("{:#?}", upload().private_key(TRACE_PRIVATE_KEY)),
        format!(
            "{:?}",
            OriginPullCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY)
        ),
        format!(
            "{:?}",
            HostnameCertificateCreate::new("PUBLIC", TRACE_PRIVATE_KEY)
        ),
        format!(
            "{:?}",
            serde_json::from_value::<ZoneAuthenticatedOriginPull>(
                json!({ "private_key": TRACE_PRIVATE_KEY })
            )
            .unwrap()
        ),
        format!(
            "{:?}",
            serde_json::from_value::<HostnameAuthenticatedOriginPull>(
                json!({ "private_key": TRACE_PRIVATE_KEY })
            )
            .unwrap()
        ),
    ];
    for shown in &bodies {
        assert_no_secret("a body", shown);
        assert!(shown.contains("private_key"), "{shown}");
    }

    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(failure(10000, "Authentication error")),
        )
        .mount(&server)
        .await;
    for c in credentials {
        let client = client_with_policy(&server.uri(), c, no_wait(0));
        let leaf = upload().private_key(TRACE_PRIVATE_KEY);
        let call = client
            .mtls_certificates()
            .create(ACCOUNT_ID, &leaf)
            .header("x-auth-key", TRACE_KEY)
            .timeout(Duration::from_secs(5));
        assert_no_secret("a call", &format!("{call:?} {call:#?}"));
        let err = call.await.expect_err("401");
        assert!(err.is_unauthorized());
        assert_no_secret("an API error", &format!("{err:?} {err:#?} {err}"));
    }

    // Transport, decode, invalid-request and configuration errors.
    let refused = client_with_policy(
        &format!("http://127.0.0.1:{}", closed_port()),
        Credentials::Token(TRACE_TOKEN.into()),
        no_wait(0),
    )
    .mtls_certificates()
    .get(ACCOUNT_ID, CERT_ID)
    .await
    .expect_err("refused");
    assert_no_secret(
        "a connect error",
        &format!("{refused:?} {refused:#?} {refused}"),
    );

    let slow = MockServer::start().await;
    Op::Get
        .mock()
        .respond_with(ok_cert().set_delay(Duration::from_secs(5)))
        .mount(&slow)
        .await;
    let timeout = client_with_policy(
        &slow.uri(),
        Credentials::Token(TRACE_TOKEN.into()),
        no_wait(0),
    )
    .mtls_certificates()
    .get(ACCOUNT_ID, CERT_ID)
    .timeout(Duration::from_millis(50))
    .await
    .expect_err("timeout");
    assert!(timeout.is_timeout());
    assert_no_secret("a timeout", &format!("{timeout:?} {timeout:#?} {timeout}"));

    let garbled = MockServer::start().await;
    Op::Get
        .mock()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"success":true,"result":{"id":"#, "application/json"),
        )
        .mount(&garbled)
        .await;
    let decode = client_with_policy(
        &garbled.uri(),
        Credentials::Token(TRACE_TOKEN.into()),
        no_wait(0),
    )
    .mtls_certificates()
    .get(ACCOUNT_ID, CERT_ID)
    .await
    .expect_err("decode");
    assert!(matches!(decode, Error::Decode { .. }));
    assert_no_secret("a decode error", &format!("{decode:?} {decode}"));

    let invalid = client_with_policy(
        &server.uri(),
        Credentials::Token(TRACE_TOKEN.into()),
        no_wait(0),
    )
    .mtls_certificates()
    .get(ACCOUNT_ID, CERT_ID)
    .header("x-auth-key", &format!("{TRACE_KEY}\n"))
    .await
    .expect_err("invalid header");
    assert!(matches!(invalid, Error::InvalidRequest(_)));
    assert_no_secret("an invalid request", &format!("{invalid:?} {invalid}"));

    // Credentials that cannot be a header are refused when the client is built.
    let config = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .credentials(Credentials::Token(format!("{TRACE_TOKEN}\n")))
        .build()
        .expect_err("a token that cannot be a header");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_no_secret("a configuration error", &format!("{config:?} {config}"));

    let with_password = Client::builder()
        .base_url(format!(
            "https://user:{TRACE_KEY}@api.example.com/client/v4"
        ))
        .build()
        .expect_err("credentials in the URL");
    assert!(matches!(with_password, Error::Config(_)));
    assert_no_secret(
        "a base URL error",
        &format!("{with_password:?} {with_password}"),
    );
}

// ---------------------------------------------------------------------------------------------
// Transport safety
// ---------------------------------------------------------------------------------------------

/// The base URL must be https; plain http only with `allow_http(true)`; other schemes, a query,
/// a fragment or a user name/password are refused.
#[test]
fn base_url_must_be_https_unless_http_is_allowed() {
    let build = |url: &str, allow_http: bool| {
        Client::builder()
            .base_url(url)
            .api_token(TOKEN)
            .allow_http(allow_http)
            .build()
    };
    for url in [
        "http://127.0.0.1:8080",
        "HTTP://api.example.com/client/v4",
        "ftp://api.example.com",
        "api.cloudflare.com/client/v4",
        "https://api.example.com/client/v4?x=1",
        "https://api.example.com/client/v4#top",
        "https://user@api.example.com",
    ] {
        let err = build(url, false).expect_err(url);
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    assert!(matches!(
        build("ftp://api.example.com", true),
        Err(Error::Config(_))
    ));
    let client = build("http://127.0.0.1:8080/", true).expect("allowed");
    assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    let client = build("https://api.example.com/client/v4/", false).expect("https");
    assert_eq!(client.base_url(), "https://api.example.com/client/v4");
    assert_eq!(
        Client::new(Credentials::Token(TOKEN.into()))
            .expect("default")
            .base_url(),
        cloudflare_mtls::DEFAULT_BASE_URL
    );
}

/// Path parameters are one percent-encoded segment on the wire: `../../zones/x` and `a/b?c` do not
/// change the request path (or add a query); a bare `..` is refused before sending.
#[tokio::test]
async fn path_parameters_cannot_change_the_request_path() {
    let raw = RawServer::start(Reply::json(&envelope(json!({ "id": CERT_ID }))));
    let client = client(&raw);
    client
        .mtls_certificates()
        .get(ACCOUNT_ID, "../../zones/x")
        .await
        .expect("get succeeds");
    client
        .client_certificates()
        .edit(
            ZONE_ID,
            "a/b?c",
            &ClientCertificateEdit::new().reactivate(true),
        )
        .await
        .expect("edit succeeds");
    client
        .access()
        .certificates()
        .get(Scope::Zone("../accounts"), "%2e%2e")
        .await
        .expect("get succeeds");
    let err = client
        .mtls_certificates()
        .delete(ACCOUNT_ID, "..")
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(
        raw.request_targets(),
        [
            format!("/accounts/{ACCOUNT_ID}/mtls_certificates/..%2F..%2Fzones%2Fx"),
            format!("/zones/{ZONE_ID}/client_certificates/a%2Fb%3Fc"),
            "/zones/..%2Faccounts/access/certificates/%252e%252e".to_string(),
        ]
    );
}
