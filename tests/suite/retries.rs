//! Retries, counted at the server: which methods and which failures are retried, how many times
//! (per client, per call), the backoff waits, connect failures; and `Retry-After` (seconds, an
//! HTTP date, `retry-after-ms`, beyond the cap). Retry policies use zero or few-millisecond delays;
//! the only real waits are the `Retry-After` tests (about a second each).

use crate::calls::*;
use cloudflare_mtls::testing::{Fault, StandIn, TestCertificate};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Client, Error, RetryPolicy};
use cloudflare_mtls_test_support::*;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use wiremock::ResponseTemplate;

// ---------------------------------------------------------------------------------------------
// Retries: what is retried, counted at the server
// ---------------------------------------------------------------------------------------------

/// Sends `op` where the first answer is `first` and a success follows: the retry's success comes
/// back, after 2 requests.
async fn assert_retried(rig: &Rig, op: Op, first: ResponseTemplate, what: &str) {
    let (result, requests) = rig.first_then_ok(op, first).await;
    result.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(requests, 2, "{what}");
}

/// Sends `op` where the first answer is `first` and a success follows: the first answer's error
/// comes back, after 1 request (it was not sent again).
async fn error_sent_once(rig: &Rig, op: Op, first: ResponseTemplate, what: &str) -> Error {
    let (result, requests) = rig.first_then_ok(op, first).await;
    assert_eq!(requests, 1, "{what} was sent again");
    result.expect_err(what)
}

/// GET, PUT and DELETE after a 500, 502, 503, 504 or 408: sent again, and the retry's success
/// is returned (2 requests).
#[tokio::test]
async fn idempotent_methods_are_retried_after_5xx_and_408() {
    let rig = Rig::retrying().await;
    for op in IDEMPOTENT {
        for status in [500, 502, 503, 504, 408] {
            let transient = failing(status, 1000, "transient");
            assert_retried(&rig, op, transient, &format!("{op:?} after {status}")).await;
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
            let maybe_processed =
                failing(status, 1000, "maybe processed").insert_header("retry-after", "0");
            let what = format!("{op:?} after {status}");
            let err = error_sent_once(&rig, op, maybe_processed, &what).await;
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{op:?}");
            assert!(
                err.is_retryable(),
                "{op:?} {status}: the status class is transient"
            );
        }
    }
}

/// A 429 was refused unprocessed: every method is sent again, POST and PATCH included.
#[tokio::test]
async fn every_method_is_retried_after_429() {
    let rig = Rig::retrying().await;
    for op in ALL_OPS {
        let rate_limited = failing(429, 971, "rate limited").insert_header("retry-after", "0");
        assert_retried(&rig, op, rate_limited, &format!("{op:?}")).await;
    }
}

/// A 4XX other than 408/429 is final for every method: 1 request.
#[tokio::test]
async fn client_errors_are_final_for_every_method() {
    let rig = Rig::retrying().await;
    for op in ALL_OPS {
        for status in [400, 401, 403, 404, 409, 422] {
            let what = format!("{op:?} {status}");
            let err = error_sent_once(&rig, op, failing(status, 1001, "no"), &what).await;
            assert!(!err.is_retryable(), "{what}");
        }
    }
}

/// Without `max_retries` set, a client retries twice: a GET that always meets a 500 is sent 3
/// times and the last error (with the envelope's code) is returned.
#[tokio::test]
async fn default_max_retries_is_two() {
    assert_eq!(RetryPolicy::default().max_retries, 2);
    let server = always_answering(Op::Get, failing(500, 1000, "internal")).await;
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
        let server = always_answering(Op::Get, failing(503, 1000, "busy")).await;
        let client = token_client_builder(&server)
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
    let server = always_answering(Op::Get, ResponseTemplate::new(502)).await;
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
    assert_waited(started, Duration::from_millis(40));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(received(&server).await, 3);
}

/// Asserts that at least `least` has passed since `started`.
#[track_caller]
fn assert_waited(started: Instant, least: Duration) {
    let waited = started.elapsed();
    assert!(waited >= least, "waited {waited:?}, not {least:?}");
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
    assert_waited(started, Duration::from_secs(1));
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
    let until_the_date = ResponseTemplate::new(503).insert_header("retry-after", date.as_str());
    mount_first_then_ok(&server, Op::Get, until_the_date).await;
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
    let for_150_ms = ResponseTemplate::new(503).insert_header("retry-after-ms", "150");
    mount_first_then_ok(&server, Op::Delete, for_150_ms).await;
    let started = Instant::now();
    Op::Delete
        .send(&retrying(&server), Opts::default())
        .await
        .expect("the retry succeeds");
    assert_waited(started, Duration::from_millis(150));
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
