//! The TLS backend features. With the default `rustls`, reqwest is built without a crypto provider
//! (`rustls-no-provider`) and panics when it builds a client while rustls has no process default:
//! building a `Client` must install one. Its own test binary, so that no other test has built a
//! client (and installed the provider) first. No network: a client is only built.

use cloudflare_mtls::Client;

const HTTPS: &str = "https://api.cloudflare.com/client/v4";

/// The client's own HTTP client, then one from the user's builder, then a plain reqwest client
/// (which takes the provider installed by the first build).
#[test]
fn clients_build_for_an_https_url() {
    let client = Client::builder()
        .base_url(HTTPS)
        .api_token("t")
        .build()
        .expect("client builds");
    assert_eq!(client.base_url(), HTTPS);

    Client::builder()
        .base_url(HTTPS)
        .api_token("t")
        .http_client_builder(reqwest::Client::builder().pool_max_idle_per_host(1))
        .build()
        .expect("client builds from the user's builder");

    reqwest::Client::builder()
        .build()
        .expect("the provider stays installed for the process");
}

/// Clients built on several threads at once: one installs the provider, the others find it
/// installed or lose the race to install it, and none fails.
#[test]
fn clients_build_on_several_threads_at_once() {
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                Client::builder()
                    .base_url(HTTPS)
                    .api_token("t")
                    .build()
                    .expect("client builds")
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no panic");
    }
}
