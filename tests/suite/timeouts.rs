//! Timeouts and deadlines: total, per call, connect, a body that stalls or is cut short, a
//! malformed head; a hung call ends at its deadline across its attempts. Timing asserts are lower
//! bounds (the client waited at least this long) or generous upper bounds (it did not hang).

use crate::calls::*;
use cloudflare_mtls::{Client, Error, RetryPolicy};
use cloudflare_mtls_test_support::*;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

/// A server that answers [`Op::Get`] with the certificate after `delay`.
async fn answering_get_after(delay: Duration) -> MockServer {
    let server = server().await;
    Op::Get
        .mock()
        .respond_with(ok_cert().set_delay(delay))
        .mount(&server)
        .await;
    server
}

/// A server that takes 5 s to answer and a call with `.timeout(150 ms)`: `Error::Timeout` well
/// before the server answers, with the cause in its message.
#[tokio::test]
async fn slow_server_gives_a_timeout_error_not_a_hang() {
    let server = answering_get_after(Duration::from_secs(5)).await;
    let client = client(&server);
    let started = Instant::now();
    let err = Op::Get
        .send(&client, Opts::timeout(Duration::from_millis(150)))
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
            deadline: Some(Duration::from_secs(10)),
            ..Opts::timeout(Duration::from_millis(50))
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
    let server = answering_get_after(Duration::from_millis(400)).await;
    let client = token_client_builder(&server)
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
        .send(&client, Opts::timeout(Duration::from_secs(10)))
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

/// Sends `op` with `opts` by `client` to the raw `server`, expecting an error (`what`): the error,
/// and how many requests the server received for the call.
async fn failed_send(
    server: &RawServer,
    client: &Client,
    op: Op,
    opts: Opts,
    what: &str,
) -> (Error, usize) {
    let before = server.requests();
    let err = op.send(client, opts).await.expect_err(what);
    (err, server.requests() - before)
}

/// Status and headers arrive, the body never finishes: the call's timeout covers reading the
/// body. The server received a POST or PATCH (and answered 200): it is not sent again (1
/// request), while a GET is (3 requests). All end with `Error::Timeout`.
#[tokio::test]
async fn timeout_while_reading_the_body_is_retried_only_for_idempotent_methods() {
    let server = faulty_server(BodyFault::Stall);
    let client = client_retrying(&server, no_wait(2));
    for (op, expected) in [(Op::Post, 1), (Op::Patch, 1), (Op::Get, 3)] {
        let opts = Opts {
            deadline: Some(Duration::from_secs(10)),
            ..Opts::timeout(Duration::from_millis(80))
        };
        let started = Instant::now();
        let (err, requests) = failed_send(&server, &client, op, opts, "the body never ends").await;
        assert!(matches!(err, Error::Timeout(_)), "{op:?}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{op:?} hung");
        assert_eq!(requests, expected, "{op:?}");
    }
}

/// The connection closes in the middle of the body: a transport error; a POST is not sent again
/// (1 request), a GET or DELETE is (3 requests).
#[tokio::test]
async fn body_cut_short_is_retried_only_for_idempotent_methods() {
    let server = faulty_server(BodyFault::Cut);
    let client = client_retrying(&server, no_wait(2));
    for (op, expected) in [(Op::Post, 1), (Op::Patch, 1), (Op::Get, 3), (Op::Delete, 3)] {
        let cut_short = "the body is cut short";
        let (err, requests) = failed_send(&server, &client, op, Opts::default(), cut_short).await;
        assert!(matches!(err, Error::Http(_)), "{op:?}: {err:?}");
        assert_eq!(requests, expected, "{op:?}");
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
            let malformed = "a malformed head";
            let (err, requests) =
                failed_send(&server, &client, op, Opts::default(), malformed).await;
            assert!(matches!(err, Error::Http(_)), "{what}, {op:?}: {err:?}");
            assert_eq!(requests, 1, "{what}, {op:?}: not retried");
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
// The deadline
// ---------------------------------------------------------------------------------------------

fn within(elapsed: Duration, target: Duration) -> bool {
    let (lo, hi) = (target.mul_f64(0.8), target.mul_f64(1.2));
    elapsed >= lo && elapsed <= hi
}

/// Against a server that never answers, each call ends at its deadline ±20 %, with
/// `Error::Timeout`:
/// - the default per-attempt timeout (60 s) and 2 retries, the deadline set on the client (1.5 s),
///   then on the call (2.5 s);
/// - short attempts (0.3 s) retried up to 50 times: the retries stop at the deadline (1.6 s), the
///   last attempt cut short by it;
/// - no deadline set: twice the per-attempt timeout (0.6 s → 1.2 s), however many retries remain.
#[tokio::test]
async fn a_hung_call_ends_at_its_deadline() {
    let hung = RawServer::start(Reply::Hang);
    let base = hung.uri();
    let builder = || {
        Client::builder()
            .base_url(base)
            .allow_http(true)
            .api_token(TOKEN)
    };
    let many_retries = RetryPolicy {
        max_retries: 50,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(40),
        ..RetryPolicy::default()
    };
    let ms = Duration::from_millis;
    let cases = [
        (
            "client deadline",
            builder().deadline(ms(1500)),
            None,
            ms(1500),
        ),
        (
            "call deadline",
            builder().deadline(ms(1500)),
            Some(ms(2500)),
            ms(2500),
        ),
        (
            "short attempts, many retries",
            builder()
                .timeout(ms(300))
                .retry_policy(many_retries.clone())
                .deadline(ms(1600)),
            None,
            ms(1600),
        ),
        (
            "default: twice the timeout",
            builder().timeout(ms(600)).retry_policy(many_retries),
            None,
            ms(1200),
        ),
    ];
    for (case, builder, per_call, expected) in cases {
        let client = builder.build().expect("client builds");
        let mut call = client.mtls_certificates().get(ACCOUNT_ID, CERT_ID);
        if let Some(d) = per_call {
            call = call.deadline(d);
        }
        let started = Instant::now();
        let err = call.await.expect_err("hung");
        let elapsed = started.elapsed();
        assert!(err.is_timeout(), "{case}: {err:?}");
        assert!(
            within(elapsed, expected),
            "{case}: {elapsed:?}, expected {expected:?}"
        );
    }
}

/// A retry whose wait (`Retry-After: 5`) would end after the deadline (2 s) is not started: the
/// 503 comes back at once, after one request.
#[tokio::test]
async fn a_retry_that_cannot_finish_before_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "5")
                .set_body_json(failure(10000, "busy")),
        )
        .mount(&server)
        .await;
    let client = token_client_builder(&server)
        .deadline(Duration::from_secs(2))
        .build()
        .expect("client builds");
    let started = Instant::now();
    let err = client
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}
