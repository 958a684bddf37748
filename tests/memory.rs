//! What a server can make the client hold in memory: the peak RSS growth (`VmHWM`, reset through
//! `/proc/self/clear_refs` before each case) while the client reads a 200 MiB body, an endless
//! chunked body, and a 64 MiB HTML 502, stays under the response size limit plus a small constant.
//!
//! Alone in its test binary, and one test function, so that nothing else runs in the process while
//! it measures. Linux only (it reads `/proc/self`), like the machines this project builds on.

use cloudflare_mtls::{Client, Error, DEFAULT_MAX_RESPONSE_SIZE};
use cloudflare_mtls_test_support::{RawServer, Reply, ACCOUNT_ID, TOKEN};
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

const MIB: u64 = 1024 * 1024;
/// What the client may grow by beyond the limit: the runtime's and hyper's buffers, a thread's
/// stack, the allocator's slack.
const SLACK: u64 = 8 * MIB;
/// The most one response of the server below writes, so that it stops by itself.
const MOST_WRITTEN: u64 = 1024 * MIB;

/// A field of `/proc/self/status`, in bytes (`VmRSS`, `VmHWM`).
fn status(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = text
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unreadable {line}"));
    kib * 1024
}

/// Runs `f` and returns by how much the process's peak RSS grew above its RSS before.
async fn peak_growth<F: std::future::Future<Output = ()>>(f: F) -> u64 {
    // "5" resets the peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0).
    std::fs::write("/proc/self/clear_refs", "5")
        .expect("reset VmHWM through /proc/self/clear_refs");
    let before = status("VmRSS:");
    f.await;
    status("VmHWM:").saturating_sub(before)
}

/// A loopback server: `…/big` is a 200 announcing 200 MiB, `…/endless` a chunked 200 that never
/// ends, `…/html` a 502 of 64 MiB of HTML, `…/small` a normal answer. Each write loop stops when
/// the client hangs up, or after [`MOST_WRITTEN`].
fn server() -> RawServer {
    RawServer::start(Reply::with(|request, stream| {
        serve(request.target(), stream)
    }))
}

fn serve(target: &str, stream: &mut TcpStream) {
    let json_chunk = vec![b' '; 64 * 1024];
    let html_chunk = "<div class=\"cf-error\">   Bad   gateway   </div>\n"
        .repeat(1024)
        .into_bytes();
    let write_all =
        |stream: &mut TcpStream, head: String, chunk: &[u8], total: u64, chunked: bool| {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let mut written = 0;
            while written < total.min(MOST_WRITTEN) {
                let n = (chunk.len() as u64).min(total - written) as usize;
                let ok = if chunked {
                    stream
                        .write_all(format!("{n:x}\r\n").as_bytes())
                        .and_then(|_| stream.write_all(&chunk[..n]))
                        .and_then(|_| stream.write_all(b"\r\n"))
                } else {
                    stream.write_all(&chunk[..n])
                };
                if ok.is_err() {
                    return;
                }
                written += n as u64;
            }
        };
    if target.ends_with("/big") {
        let total = 200 * MIB;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n"
        );
        write_all(stream, head, &json_chunk, total, false);
    } else if target.ends_with("/endless") {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        write_all(stream, head.into(), &json_chunk, u64::MAX, true);
    } else if target.ends_with("/html") {
        let total = 64 * MIB;
        let head = format!(
            "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {total}\r\n\r\n"
        );
        write_all(stream, head, &html_chunk, total, false);
    } else if target.ends_with("/pieces") {
        // A whole answer in 1 KiB chunks: the body is read across them.
        let body = pieces_body();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let mut out = head.as_bytes().to_vec();
        for piece in body.as_bytes().chunks(1024) {
            out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            out.extend_from_slice(piece);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        let _ = stream.write_all(&out);
    } else {
        let body = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"small"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
    }
}

/// An envelope of about 100 KiB whose `result.name` is 100,000 `x`s.
fn pieces_body() -> String {
    format!(
        r#"{{"success":true,"errors":[],"messages":[],"result":{{"id":"pieces","name":"{}"}}}}"#,
        "x".repeat(100_000)
    )
}

fn client(base: &str, limit: Option<u64>) -> Client {
    let mut b = Client::builder()
        .base_url(base)
        .allow_http(true)
        .api_token(TOKEN)
        .max_retries(0)
        .timeout(Duration::from_secs(30));
    if let Some(limit) = limit {
        b = b.max_response_size(limit);
    }
    b.build().expect("client builds")
}

async fn get(client: &Client, id: &str) -> Result<(), Error> {
    client
        .mtls_certificates()
        .get(ACCOUNT_ID, id)
        .await
        .map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_server_sends_cannot_exhaust_memory() {
    let server = server();
    let base = server.uri();
    let limit = 4 * MIB;
    let small = client(base, Some(limit));
    let default = client(base, None);
    // Warm up: the runtime, the connection pools and the allocator's first arenas.
    get(&small, "small").await.expect("a normal answer");
    get(&default, "small").await.expect("a normal answer");

    // A body in many chunks is read whole up to the limit, to the byte; one byte less is refused.
    let size = pieces_body().len() as u64;
    let cert = client(base, Some(size))
        .mtls_certificates()
        .get(ACCOUNT_ID, "pieces")
        .await
        .expect("a body exactly at the limit");
    assert_eq!(cert.name.map(|n| n.len()), Some(100_000));
    let err = get(&client(base, Some(size - 1)), "pieces")
        .await
        .expect_err("one byte over");
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");

    let mut report = Vec::new();
    let mut check = |case: &str, growth: u64, bound: u64| {
        report.push(format!(
            "{case}: peak RSS +{:.1} MiB (bound {:.1} MiB)",
            growth as f64 / MIB as f64,
            bound as f64 / MIB as f64
        ));
        assert!(
            growth < bound,
            "{case}: grew by {growth} bytes, bound {bound}"
        );
    };

    let growth = peak_growth(async {
        let err = get(&small, "big").await.expect_err("too large");
        assert!(
            matches!(err, Error::ResponseTooLarge { limit: l, .. } if l == limit),
            "{err:?}"
        );
    })
    .await;
    check("200 announcing 200 MiB, limit 4 MiB", growth, limit + SLACK);

    let growth = peak_growth(async {
        let err = get(&small, "endless").await.expect_err("too large");
        assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    })
    .await;
    check("endless chunked 200, limit 4 MiB", growth, limit + SLACK);

    let growth = peak_growth(async {
        let err = get(&default, "endless").await.expect_err("too large");
        assert!(
            matches!(err, Error::ResponseTooLarge { limit, .. } if limit == DEFAULT_MAX_RESPONSE_SIZE),
            "{err:?}"
        );
    })
    .await;
    check(
        "endless chunked 200, default limit",
        growth,
        DEFAULT_MAX_RESPONSE_SIZE + SLACK,
    );

    for (name, c) in [("limit 4 MiB", &small), ("default limit", &default)] {
        let growth = peak_growth(async {
            let err = get(c, "html").await.expect_err("502");
            let api = err.api().expect("an API error");
            assert_eq!(api.status.as_u16(), 502);
            let snippet = api.body_snippet.as_deref().expect("a snippet");
            assert!(
                snippet.starts_with("<div class=\"cf-error\"> Bad gateway </div>"),
                "{snippet}"
            );
            assert!(snippet.chars().count() <= 201, "{snippet}");
        })
        .await;
        // An error's body is read only as far as its first 64 KiB, whatever the limit.
        check(&format!("64 MiB HTML 502, {name}"), growth, SLACK);
    }
    eprintln!("{}", report.join("\n"));
}
