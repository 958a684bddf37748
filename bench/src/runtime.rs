//! Runtime benchmarks: per-request overhead of a generated call against the same request written
//! by hand with plain reqwest (same server, same connection reuse, same result type), and the time
//! to decode a 1,000-certificate list response. Prints one JSON line.
//! `runtime [--requests N] [--rounds R]`
//!
//! `runtime --only generated|hand --requests N` sends N requests one way only and prints nothing:
//! run under `valgrind --tool=callgrind` for instruction counts, which machine noise does not move.

use cloudflare_mtls::__private::Decode;
use cloudflare_mtls::types::MtlsCertificate;
use cloudflare_mtls::{Client, FromBody};
use cloudflare_mtls_test_support::{envelope, RawServer, Reply, ACCOUNT_ID as ACCOUNT, TOKEN};
use std::time::{Duration, Instant};

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

    // A keep-alive server answering every request with one certificate.
    let server = RawServer::start(Reply::JsonKeepAlive(envelope(certificate(1)).to_string()));
    let base = server.uri().to_string();
    let client = Client::builder()
        .base_url(&base)
        .allow_http(true)
        .api_token(TOKEN)
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
            .bearer_auth(TOKEN)
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
    let list = serde_json::to_vec(&envelope(serde_json::Value::Array(
        (0..1000).map(certificate).collect(),
    )))
    .expect("json");
    let mut decode = Vec::new();
    for _ in 0..rounds.max(5) * 3 {
        let t = Instant::now();
        let page = <Vec<MtlsCertificate> as FromBody>::from_body(Decode::EnvelopeList, &list)
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
