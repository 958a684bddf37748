//! Runtime benchmarks: per-request overhead of a generated call against the same request written
//! by hand with plain reqwest (same server, same connection reuse, same result type), and the time
//! to decode a 1,000-certificate list response. Prints one JSON line.
//! `runtime [--requests N] [--rounds R]`
//!
//! `runtime --only generated|hand --requests N` sends N requests one way only and prints nothing:
//! run under `valgrind --tool=callgrind` for instruction counts, which machine noise does not move.

use cloudflare_mtls::types::MtlsCertificate;
use cloudflare_mtls::Client;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CERT: &str = "2d2b7f6cf4b04a43a5d0c1b0e8e8f5a1";

fn certificate(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("{i:032x}"), "name": format!("cert-{i}"), "ca": true,
        "certificates": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQELBQAw\n-----END CERTIFICATE-----",
        "expires_on": "2122-10-29T16:59:47Z", "issuer": "O=Example Inc.,L=California,ST=San Francisco,C=US",
        "serial_number": "235217144297995885180570755458463043449861756659", "signature": "SHA256WithRSA",
        "uploaded_on": "2022-11-22T17:32:30.467938Z", "updated_at": "2022-11-22T17:32:30.467938Z"
    })
}

fn envelope(result: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(
        &serde_json::json!({"success": true, "errors": [], "messages": [], "result": result}),
    )
    .expect("json")
}

/// A minimal HTTP/1.1 keep-alive server answering every request with `body`.
async fn serve(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let response = [
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        body,
    ]
    .concat();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16384];
                let mut pending = Vec::new();
                loop {
                    let n = match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    pending.extend_from_slice(&buf[..n]);
                    // GET requests without bodies: one response per header block.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if sock.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let requests = arg("--requests", 500);
    let rounds = arg("--rounds", 40);

    let base = serve(envelope(certificate(1))).await;
    let client = Client::builder()
        .base_url(&base)
        .allow_http(true)
        .api_token("bench-token")
        .user_agent("bench")
        .build()
        .expect("client");
    // The same call written by hand as a careful user would: same connect and request timeouts,
    // same headers, same result type.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest");

    #[derive(serde::Deserialize)]
    struct Env {
        result: MtlsCertificate,
    }
    async fn generated(client: &Client) -> MtlsCertificate {
        client
            .mtls_certificates()
            .get(ACCOUNT, CERT)
            .await
            .expect("generated call")
    }
    // A function like the generated one: the URL is made from its ids on every call.
    async fn by_hand(
        http: &reqwest::Client,
        base: &str,
        account: &str,
        cert: &str,
    ) -> MtlsCertificate {
        let resp = http
            .get(format!(
                "{base}/accounts/{account}/mtls_certificates/{cert}"
            ))
            .bearer_auth("bench-token")
            .header(reqwest::header::USER_AGENT, "bench")
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .expect("send");
        let bytes = resp.bytes().await.expect("body");
        serde_json::from_slice::<Env>(&bytes)
            .expect("decode")
            .result
    }
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let which = args.get(i + 1).map(String::as_str);
        for _ in 0..requests {
            match which {
                Some("generated") => drop(generated(&client).await),
                Some("hand") => drop(by_hand(&http, &base, ACCOUNT, CERT).await),
                _ => panic!("--only generated|hand"),
            }
        }
        return;
    }
    // Warm up both connections.
    for _ in 0..200 {
        generated(&client).await;
        by_hand(&http, &base, ACCOUNT, CERT).await;
    }
    let (mut ours, mut hand, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Short rounds in pairs, the order alternating (ABBA…), so that drift in machine load hits
        // both sides alike; the overhead is the median of the per-pair ratios.
        let mut pair = [0.0; 2];
        for side in [round % 2, 1 - round % 2] {
            let t = Instant::now();
            for _ in 0..requests {
                if side == 0 {
                    by_hand(&http, &base, ACCOUNT, CERT).await;
                } else {
                    generated(&client).await;
                }
            }
            pair[side] = t.elapsed().as_secs_f64() * 1e6 / requests as f64;
        }
        hand.push(pair[0]);
        ours.push(pair[1]);
        ratios.push(pair[1] / pair[0]);
    }

    // Decode of a 1,000-certificate list response through the client's decode path.
    let list = envelope(serde_json::Value::Array(
        (0..1000).map(certificate).collect(),
    ));
    let mut decode = Vec::new();
    for _ in 0..rounds.max(5) * 3 {
        let t = Instant::now();
        let absent = serde_json::Value::Array(Vec::new());
        let page = cloudflare_mtls::__private::envelope::<Vec<MtlsCertificate>>(&list, absent)
            .ok()
            .expect("decode");
        decode.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(page.result.len(), 1000);
    }
    let (o, h) = (median(ours.clone()), median(hand.clone()));
    println!(
        "{}",
        serde_json::json!({
            "requests_per_round": requests, "rounds": rounds,
            "generated_us": o, "generated_us_all": ours,
            "hand_us": h, "hand_us_all": hand,
            "overhead_pct": (median(ratios.clone()) - 1.0) * 100.0,
            "overhead_pct_all": ratios.iter().map(|r| (r - 1.0) * 100.0).collect::<Vec<_>>(),
            "decode_1000_ms": median(decode.clone()), "decode_1000_ms_all": decode,
            "list_bytes": list.len()
        })
    );
}
