//! The stand-in's admin API (`/__admin`) over HTTP, as a client in another language uses it: faults,
//! recorded requests (credentials redacted), seeds, reset, test material; and that it is the same
//! stand-in as the Rust `StandIn` methods (what one does, the other sees). Also Cloudflare's
//! `result_info` on the wire, as the SDKs page with it.

use cloudflare_mtls::testing::{Fault, Seed, StandIn, TestCertificate, ACCOUNT_ID, TOKEN, ZONE_ID};
use cloudflare_mtls::types::ClientCertificateListParams;
use serde_json::{json, Value};
use std::time::Duration;

/// A raw HTTP client of one stand-in: the API with the stand-in's token, and the admin API.
struct Http {
    http: reqwest::Client,
    base: String,
    admin: String,
}

impl Http {
    /// A fresh stand-in, and raw HTTP to it.
    async fn start() -> (StandIn, Http) {
        let s = StandIn::start().await;
        // Building a crate client installs the rustls crypto provider reqwest needs (the `rustls`
        // feature gives reqwest none of its own).
        drop(s.client());
        let h = Http {
            http: reqwest::Client::new(),
            base: s.base_url().to_owned(),
            admin: s.admin_url(),
        };
        (s, h)
    }

    /// The admin API lists no fault.
    async fn assert_no_faults(&self) {
        assert_eq!(
            self.admin("GET", "/faults", None).await.1,
            json!({ "faults": [] })
        );
    }

    /// `method` on the admin API's `route`, with a JSON body when given: status and JSON body.
    async fn admin(&self, method: &str, route: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{route}", self.admin));
        if let Some(body) = body {
            req = req.json(&body);
        }
        read(req).await
    }

    /// The JSON body of a GET of the API's `path` with the stand-in's token, whatever its status.
    async fn api_get(&self, path: &str) -> Value {
        self.api("GET", path, None).await.1
    }

    /// `method` on the API's `path` with the stand-in's token.
    async fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        read(req).await
    }
}

async fn read(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn ca(subject: &str) -> String {
    TestCertificate::new(subject)
        .ca(true)
        .build()
        .certificate_pem
}

fn client_certs() -> String {
    format!("/zones/{ZONE_ID}/client_certificates")
}

#[tokio::test]
async fn the_index_names_the_urls_credentials_and_ids() {
    let (s, h) = Http::start().await;
    let (status, info) = h.admin("GET", "", None).await;
    assert_eq!(status, 200);
    assert_eq!(info["base_url"], s.base_url());
    assert_eq!(info["admin_url"], s.admin_url());
    assert_eq!(info["api_token"], TOKEN);
    assert_eq!(info["account_id"], ACCOUNT_ID);
    assert_eq!(info["zone_id"], ZONE_ID);
    assert_eq!(info["managed_ca_pem"], s.managed_ca_pem());
    assert!(s.admin_url().ends_with("/__admin"));
    assert!(!s.admin_url().contains("/client/v4"));
}

#[tokio::test]
async fn a_rate_limit_fault_by_method_and_path_is_used_n_times() {
    let (_stand_in, h) = Http::start().await;
    let fault = json!({
        "kind": "rate_limited", "retry_after": 2, "method": "get",
        "path": "/zones/*/client_certificates", "times": 2,
    });
    let (status, shown) = h.admin("POST", "/faults", Some(fault)).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["fault"]["method"], "GET");
    assert_eq!(shown["fault"]["times"], 2);

    // Another method, another path: not faulted.
    assert_eq!(h.api("POST", &client_certs(), Some(json!({}))).await.0, 400);
    let other = format!("/accounts/{ACCOUNT_ID}/mtls_certificates");
    assert_eq!(h.api("GET", &other, None).await.0, 200);
    for _ in 0..2 {
        let resp = h
            .http
            .get(format!("{}{}", h.base, client_certs()))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 429);
        assert_eq!(resp.headers()["retry-after"], "2");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], 971);
        assert_eq!(body["success"], false);
    }
    assert_eq!(h.api("GET", &client_certs(), None).await.0, 200);
    h.assert_no_faults().await;
}

#[tokio::test]
async fn an_always_fault_stays_until_cleared_and_never_touches_the_admin_api() {
    let (s, h) = Http::start().await;
    let fault = json!({ "kind": "server_error", "status": 503, "always": true });
    assert_eq!(h.admin("POST", "/faults", Some(fault)).await.0, 200);
    for _ in 0..3 {
        let (status, body) = h.api("GET", &client_certs(), None).await;
        assert_eq!(status, 503);
        assert_eq!(body["errors"][0]["code"], 10001);
    }
    // The admin API is neither faulted nor recorded.
    let (status, faults) = h.admin("GET", "/faults", None).await;
    assert_eq!(status, 200);
    assert_eq!(faults["faults"][0]["always"], true);
    assert_eq!(faults["faults"][0]["status"], 503);
    assert_eq!(s.requests().len(), 3);
    assert_eq!(h.admin("DELETE", "/faults", None).await.0, 200);
    assert_eq!(h.api("GET", &client_certs(), None).await.0, 200);
}

#[tokio::test]
async fn every_fault_kind_is_offered() {
    let (_stand_in, h) = Http::start().await;
    let path = format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings");
    let fault = json!({ "kind": "api_error", "status": 403, "code": 10000, "message": "Authentication error" });
    h.admin("POST", "/faults", Some(fault)).await;
    let (status, body) = h.api("GET", &path, None).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (403, json!(10000))
    );

    h.admin(
        "POST",
        "/faults",
        Some(json!({ "kind": "bad_gateway_html" })),
    )
    .await;
    let (status, body) = h.api("GET", &path, None).await;
    assert_eq!(status, 502);
    assert!(
        body.as_str().is_some_and(|t| t.contains("502 Bad Gateway")),
        "{body}"
    );

    h.admin(
        "POST",
        "/faults",
        Some(json!({ "kind": "drop_connection" })),
    )
    .await;
    let dropped = h
        .http
        .get(format!("{}{path}", h.base))
        .bearer_auth(TOKEN)
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");

    h.admin(
        "POST",
        "/faults",
        Some(json!({ "kind": "delay", "seconds": 0.3 })),
    )
    .await;
    let started = std::time::Instant::now();
    assert_eq!(h.api("GET", &path, None).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_bad_fault_is_refused_with_what_is_wrong() {
    let (_stand_in, h) = Http::start().await;
    let cases = [
        (json!({ "kind": "teapot" }), "teapot"),
        (json!({ "retry_after": 1 }), "kind"),
        (json!({ "kind": "rate_limited" }), "retry_after"),
        (
            json!({ "kind": "rate_limited", "retry_after": -1 }),
            "retry_after",
        ),
        (json!({ "kind": "server_error", "status": 700 }), "status"),
        (
            json!({ "kind": "server_error", "status": 500, "times": 0 }),
            "times",
        ),
        (
            json!({ "kind": "drop_connection", "times": 2, "always": true }),
            "times or always",
        ),
        (json!({ "kind": "drop_connection", "paths": "/" }), "paths"),
        (json!([]), "the body"),
    ];
    for (body, says) in cases {
        let (status, answer) = h.admin("POST", "/faults", Some(body.clone())).await;
        assert_eq!(status, 400, "{body} -> {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{body} -> {error}");
    }
    h.assert_no_faults().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_are_told_apart() {
    let (s, h) = Http::start().await;
    let (status, body) = h.admin("GET", "/nothing", None).await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("/__admin/nothing"));
    assert_eq!(h.admin("PUT", "/faults", None).await.0, 405);
    assert_eq!(h.admin("GET", "/reset", None).await.0, 405);
    // `/__administrator` is not the admin API: the Cloudflare API's "no route".
    let resp = h
        .http
        .get(format!("{}istrator", s.admin_url()))
        .send()
        .await
        .unwrap();
    assert_ne!(resp.status().as_u16(), 404);
}

#[tokio::test]
async fn recorded_requests_have_their_credentials_redacted_and_filter() {
    let (s, h) = Http::start().await;
    let key_pem = TestCertificate::new("CN=origin").build();
    let upload = json!({
        "certificate": key_pem.certificate_pem,
        "private_key": key_pem.private_key_pem,
    });
    let path = format!("/zones/{ZONE_ID}/origin_tls_client_auth");
    assert_eq!(h.api("POST", &path, Some(upload)).await.0, 200);
    let with_key = h
        .http
        .get(format!("{}{}?page=1", h.base, client_certs()))
        .header("x-auth-email", "me@example.com")
        .header("x-auth-key", cloudflare_mtls::testing::API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status().as_u16(), 200);

    let (status, listed) = h.admin("GET", "/requests", None).await;
    assert_eq!(status, 200);
    let listed = listed["requests"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 2);
    let text = serde_json::to_string(&listed).unwrap();
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains(cloudflare_mtls::testing::API_KEY), "{text}");
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    assert_eq!(listed[0]["headers"]["authorization"], "[redacted]");
    assert_eq!(listed[0]["json"]["private_key"], "[redacted]");
    assert!(listed[0]["json"]["certificate"]
        .as_str()
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    assert_eq!(listed[1]["headers"]["x-auth-key"], "[redacted]");
    assert_eq!(listed[1]["headers"]["x-auth-email"], "me@example.com");
    assert_eq!(listed[1]["query"], "page=1");
    assert_eq!(listed[1]["path"], client_certs());

    // The Rust API keeps the request as received; `redacted()` is what the admin API shows.
    let raw = s.requests();
    assert!(String::from_utf8_lossy(&raw[0].body).contains("PRIVATE KEY"));
    assert_eq!(
        raw[0].redacted().json().unwrap()["private_key"],
        "[redacted]"
    );

    let (_, gets) = h.admin("GET", "/requests?method=get", None).await;
    assert_eq!(gets["requests"].as_array().unwrap().len(), 1);
    let (_, by_path) = h
        .admin(
            "GET",
            "/requests?path=%2Fzones%2F*%2Forigin_tls_client_auth",
            None,
        )
        .await;
    assert_eq!(by_path["requests"].as_array().unwrap().len(), 1);
    assert_eq!(by_path["requests"][0]["method"], "POST");
    assert_eq!(h.admin("GET", "/requests?verb=GET", None).await.0, 400);

    assert_eq!(h.admin("DELETE", "/requests", None).await.0, 200);
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn the_admin_api_and_the_rust_methods_are_one_stand_in() {
    let (s, h) = Http::start().await;
    // A fault injected in Rust is listed, and cleared, over HTTP.
    s.inject(
        Fault::rate_limited(Duration::from_millis(1500))
            .on("DELETE", "/zones/**")
            .times(3),
    );
    let (_, faults) = h.admin("GET", "/faults", None).await;
    assert_eq!(
        faults["faults"],
        json!([{
            "kind": "rate_limited", "retry_after": 1.5, "method": "DELETE",
            "path": "/zones/**", "times": 3,
        }])
    );
    h.admin("DELETE", "/faults", None).await;
    // A fault injected over HTTP is met by the Rust client, and cleared in Rust.
    h.admin(
        "POST",
        "/faults",
        Some(json!({ "kind": "server_error", "status": 500, "always": true })),
    )
    .await;
    let client = s.client_builder().max_retries(0).build().unwrap();
    let certs = client.client_certificates();
    let failed = certs
        .list(ZONE_ID, ClientCertificateListParams::new())
        .await
        .unwrap_err();
    assert_eq!(failed.status().map(|s| s.as_u16()), Some(500));
    s.clear_faults();
    assert_eq!(h.admin("GET", "/faults", None).await.1["faults"], json!([]));

    // A seed over HTTP is what the Rust client lists; a seed in Rust is listed over HTTP.
    let seed = json!({ "zones": [{ "client_certificates": [{ "csr": { "generate": "CN=admin-seeded" } }] }] });
    let (status, seeded) = h.admin("POST", "/seed", Some(seed)).await;
    assert_eq!(status, 200, "{seeded}");
    assert_eq!(
        seeded["seeded"][0]["entry"],
        "zones[0].client_certificates[0]"
    );
    let listed = certs
        .list(ZONE_ID, ClientCertificateListParams::new())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        listed.items[0].id.as_ref(),
        seeded["seeded"][0]["id"]
            .as_str()
            .map(str::to_owned)
            .as_ref()
    );
    assert_eq!(listed.items[0].common_name.as_deref(), Some("admin-seeded"));
    let id = s.seed(Seed::mtls_certificate(ACCOUNT_ID, &ca("CN=Rust seeded")).ca(true));
    let mtls = h
        .api_get(&format!("/accounts/{ACCOUNT_ID}/mtls_certificates"))
        .await;
    assert_eq!(mtls["result"][0]["id"], id);

    // Requests made by either are in both lists.
    let (_, requests) = h.admin("GET", "/requests", None).await;
    assert_eq!(
        requests["requests"].as_array().unwrap().len(),
        s.requests().len()
    );

    // Reset in Rust empties what the admin API shows; reset over HTTP what the Rust client sees.
    s.reset();
    assert_eq!(
        h.admin("GET", "/requests", None).await.1["requests"],
        json!([])
    );
    let empty = h
        .api_get(&format!("/accounts/{ACCOUNT_ID}/mtls_certificates"))
        .await;
    assert_eq!(empty["result"], json!([]));
    s.seed(Seed::mtls_certificate(ACCOUNT_ID, &ca("CN=again")).ca(true));
    h.admin(
        "POST",
        "/faults",
        Some(json!({ "kind": "drop_connection", "always": true })),
    )
    .await;
    let ca_before = s.managed_ca_pem();
    assert_eq!(h.admin("POST", "/reset", None).await.0, 200);
    let list = client
        .mtls_certificates()
        .list(ACCOUNT_ID, Default::default())
        .await
        .unwrap();
    assert!(list.is_empty());
    assert_eq!(
        s.managed_ca_pem(),
        ca_before,
        "the managed CA survives a reset"
    );
    assert_eq!(s.requests().len(), 1);
}

#[tokio::test]
async fn a_seed_over_http_takes_toml_and_json_and_is_all_or_nothing() {
    let (_stand_in, h) = Http::start().await;
    let toml = format!(
        "[[accounts]]\n[[accounts.mtls_certificates]]\nname = \"root\"\nca = true\n\
         certificate = {{ pem = \"\"\"\n{}\"\"\" }}\n\
         associations = [{{ service = \"gateway\", status = \"active\" }}]\n",
        ca("CN=toml root")
    );
    let resp = h
        .http
        .post(format!("{}/seed", h.admin))
        .header("content-type", "application/toml")
        .body(toml)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let seeded: Value = resp.json().await.unwrap();
    let id = seeded["seeded"][0]["id"].as_str().unwrap().to_owned();
    let assoc = h
        .api_get(&format!(
            "/accounts/{ACCOUNT_ID}/mtls_certificates/{id}/associations"
        ))
        .await;
    assert_eq!(
        assoc["result"],
        json!([{ "service": "gateway", "status": "active" }])
    );

    // The second entry is wrong: nothing of the document is added.
    let bad = json!({ "zones": [{ "client_certificates": [
        { "csr": { "generate": "CN=fine" } },
        { "csr": { "generate": "CN=bad" }, "status": "lost" },
    ] }] });
    let (status, answer) = h.admin("POST", "/seed", Some(bad)).await;
    assert_eq!(status, 400);
    let error = answer["error"].as_str().unwrap();
    assert!(error.contains("zones[0].client_certificates[1]"), "{error}");
    assert!(error.contains("lost"), "{error}");
    let (_, listed) = h.api("GET", &client_certs(), None).await;
    assert_eq!(listed["result"], json!([]));

    // A document sent over HTTP cannot read the server's files.
    let file = json!({ "accounts": [{ "mtls_certificates": [{ "certificate": { "file": "/etc/passwd" } }] }] });
    let (status, answer) = h.admin("POST", "/seed", Some(file)).await;
    assert_eq!(status, 400);
    assert!(answer["error"]
        .as_str()
        .unwrap()
        .contains("accounts[0].mtls_certificates[0].certificate.file"));
}

#[tokio::test]
async fn test_certificates_and_csrs_from_the_admin_api_are_accepted_by_the_api() {
    let (_stand_in, h) = Http::start().await;
    let (status, made) = h
        .admin(
            "POST",
            "/certificates",
            Some(json!({ "subject": "CN=Admin CA", "ca": true, "expires_in_days": 10 })),
        )
        .await;
    assert_eq!(status, 200, "{made}");
    let body = json!({ "ca": true, "certificates": made["certificate_pem"], "private_key": made["private_key_pem"] });
    let (status, created) = h
        .api(
            "POST",
            &format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["result"]["issuer"], "CN=Admin CA");

    let (_, csr) = h
        .admin(
            "POST",
            "/csr",
            Some(json!({ "subject": "CN=device,O=Example" })),
        )
        .await;
    let body = json!({ "csr": csr["csr"], "validity_days": 30 });
    let (status, issued) = h.api("POST", &client_certs(), Some(body)).await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["result"]["common_name"], "device");

    let (status, refused) = h
        .admin("POST", "/csr", Some(json!({ "subject": "not a name" })))
        .await;
    assert_eq!(status, 400);
    assert!(refused["error"].as_str().unwrap().contains("subject"));
    assert_eq!(
        h.admin("POST", "/certificates", Some(json!({ "cn": "x" })))
            .await
            .0,
        400
    );
}

/// Paging as Cloudflare's SDKs need it: they ask for the next page until one is empty, so a page
/// past the last one must be empty, with `result_info` as Cloudflare sends it.
#[tokio::test]
async fn a_page_past_the_last_is_empty_with_cloudflares_result_info() {
    let (s, h) = Http::start().await;
    let empty = h
        .api("GET", &format!("{}?per_page=5", client_certs()), None)
        .await
        .1;
    assert_eq!(empty["result"], json!([]));
    assert_eq!(
        empty["result_info"],
        json!({ "page": 1, "per_page": 5, "count": 0, "total_count": 0, "total_pages": 0 })
    );
    for i in 0..7 {
        s.seed(Seed::client_certificate(
            ZONE_ID,
            &cloudflare_mtls::testing::csr(&format!("CN=c{i}")),
        ));
    }
    let mut seen = 0;
    for page in 1..=4 {
        let (status, body) = h
            .api(
                "GET",
                &format!("{}?page={page}&per_page=5", client_certs()),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let count = body["result"].as_array().unwrap().len();
        seen += count;
        let want = [5, 2, 0, 0][page - 1];
        assert_eq!(count, want, "page {page}");
        assert_eq!(
            body["result_info"],
            json!({ "page": page, "per_page": 5, "count": want, "total_count": 7, "total_pages": 2 })
        );
    }
    assert_eq!(seen, 7);
    // An unpaged list with nothing in it.
    let none = h
        .api_get(&format!("/zones/{ZONE_ID}/origin_tls_client_auth"))
        .await;
    assert_eq!(none["result"], json!([]));
    assert_eq!(none["result_info"]["total_pages"], 0);
}
