//! The stand-ins of the API and the way the binary is started.
//!
//! Two stand-ins: the library's stateful one ([`cloudflare_mtls::testing::StandIn`]: it keeps what
//! the commands create, pages, and answers with Cloudflare's errors), for tests that need a server
//! that behaves like the API; and a wiremock server with canned answers ([`Api`]), for tests that
//! check the exact request a command sends or need an answer no real API gives.

use assert_cmd::Command;
use cloudflare_mtls::testing::StandIn;
use cloudflare_mtls_test_support::bearer;
use serde_json::{json, Value};
use std::path::PathBuf;
use tokio::runtime::Runtime;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub use cloudflare_mtls_test_support::{
    envelope as ok, ACCOUNT_ID as ACCOUNT, TOKEN, ZONE_ID as ZONE,
};

/// A local server answering like the API; mocks are mounted per test.
pub struct Api {
    rt: Runtime,
    pub server: MockServer,
}

impl Api {
    pub fn start() -> Api {
        let rt = Runtime::new().expect("runtime");
        let server = rt.block_on(MockServer::start());
        Api { rt, server }
    }

    /// Mounts a mock; every mock also requires the test token.
    pub fn mount(&self, mock: Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    /// Answers `verb route` with `body` (status 200), once or more.
    pub fn on(&self, verb: &str, route: &str, body: Value) {
        self.mount(
            Mock::given(method(verb))
                .and(path(route))
                .and(bearer())
                .respond_with(ResponseTemplate::new(200).set_body_json(body)),
        );
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
    }

    /// Checks the `.expect(…)` of every mock.
    pub fn verify(&self) {
        self.rt.block_on(self.server.verify());
    }
}

/// `cfmtls` pointed at a stand-in of the API: the library's, or the wiremock [`Api`].
pub trait AtStandIn {
    /// `cfmtls` with the stand-in's base URL and token, no retries and a clean environment.
    fn cfmtls(&self) -> Command;

    /// Runs `cfmtls args…` and expects success; stdout.
    fn run_ok(&self, args: &[&str]) -> String {
        ok_run(self.cfmtls().args(args))
    }

    /// Runs `cfmtls args… --json` and expects success; stdout parsed.
    fn run_json(&self, args: &[&str]) -> Value {
        json_run(self.cfmtls().args(args))
    }

    /// Runs `cfmtls args…`, whatever its outcome.
    fn run_args(&self, args: &[&str]) -> Ran {
        run(self.cfmtls().args(args))
    }
}

impl AtStandIn for Api {
    /// `cfmtls` pointed at this server, with the test token, no retries and a clean environment.
    fn cfmtls(&self) -> Command {
        let mut cmd = bare();
        cmd.args([
            "--base-url",
            &self.server.uri(),
            "--allow-http",
            "--api-token",
            TOKEN,
        ])
        .args(["--max-retries", "0"]);
        cmd
    }
}

impl AtStandIn for StandIn {
    fn cfmtls(&self) -> Command {
        let mut cmd = bare();
        cmd.args([
            "--base-url",
            self.base_url(),
            "--allow-http",
            "--api-token",
            cloudflare_mtls::testing::TOKEN,
        ])
        .args(["--max-retries", "0"]);
        cmd
    }
}

/// `cfmtls` with no `CLOUDFLARE_*` variable from the outside.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfmtls"));
    for var in [
        "CLOUDFLARE_API_TOKEN",
        "CLOUDFLARE_API_KEY",
        "CLOUDFLARE_EMAIL",
        "CLOUDFLARE_API_USER_SERVICE_KEY",
        "CLOUDFLARE_BASE_URL",
        "CLOUDFLARE_ACCOUNT_ID",
        "CLOUDFLARE_ZONE_ID",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// A fixture file of `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn data_str(name: &str) -> String {
    data(name).display().to_string()
}

pub fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).expect("fixture")
}

pub use cloudflare_mtls_test_support::failing as failure;

/// The output of a finished command as text.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Ran {
    let out = cmd.output().expect("cfmtls runs");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs and expects success; returns stdout.
pub fn ok_run(cmd: &mut Command) -> String {
    let ran = run(cmd);
    assert_eq!(
        ran.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        ran.stdout, ran.stderr
    );
    ran.stdout
}

/// Runs with `--json` and parses stdout.
pub fn json_run(cmd: &mut Command) -> Value {
    let stdout = ok_run(cmd.arg("--json"));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// The JSON body of a request.
pub fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).expect("a JSON body")
}

/// The base64 lines of a key fixture that carry private material: every line but those that
/// also appear in a certificate fixture (a key file holds the public key too, and a line of it can
/// coincide with a line of the certificate).
pub fn secret_lines(name: &str) -> Vec<String> {
    let public: String = ["ca.pem", "leaf.pem", "rsa.pem"].map(read).concat();
    read(name)
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20 && !public.contains(*l))
        .map(str::to_string)
        .collect()
}

/// Asserts that no private part of the key `name` appears in the output.
pub fn assert_no_key(ran_stdout: &str, ran_stderr: &str, name: &str) {
    let lines = secret_lines(name);
    assert!(!lines.is_empty());
    for text in [ran_stdout, ran_stderr] {
        assert!(
            !text.contains("PRIVATE KEY-----") && lines.iter().all(|l| !text.contains(l)),
            "the private key {name} was printed:\n{text}"
        );
    }
}

pub fn mtls_cert(id: &str, name: &str, ca: bool) -> Value {
    json!({
        "id": id, "name": name, "ca": ca, "certificates": read("ca.pem"),
        "issuer": "O=Example Corp, CN=Example Corp Test Root CA", "serial_number": "1234",
        "signature": "ECDSAWithSHA256", "expires_on": "2035-11-22T16:39:00Z",
        "uploaded_on": "2025-11-25T16:39:00Z",
    })
}

/// Asserts that a command failed with an API error (exit 3) of HTTP `status`; `what` says which.
pub fn assert_api_error(ran: &Ran, status: u16, what: &str) {
    assert_eq!(ran.code, 3, "{what}: {}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!("(HTTP {status})")),
        "{what}: {}",
        ran.stderr
    );
}

/// The `id` of every object of a JSON array.
pub fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|c| c["id"].as_str().expect("an id"))
        .collect()
}

/// The upload commands up to their `--cert`: mTLS (per account), zone-level origin pulls and
/// per-hostname origin pulls (per zone), with the wiremock ids.
pub const MTLS_UPLOAD: [&str; 4] = ["mtls", "upload", "--account-id", ACCOUNT];
pub const ZONE_UPLOAD: [&str; 4] = ["origin-pulls", "upload", "--zone-id", ZONE];
pub const HOSTNAME_UPLOAD: [&str; 5] = [
    "origin-pulls",
    "hostname-certs",
    "upload",
    "--zone-id",
    ZONE,
];

/// `command` followed by `rest`.
pub fn args<'a>(command: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    [command, rest].concat()
}

/// Writes `text` to `dir/name`; the path, as a string.
pub fn file(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    path.display().to_string()
}

/// A server that fails the test (on `verify`) if it receives any request at all.
pub fn api_expecting_nothing() -> Api {
    let api = Api::start();
    api.mount(
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(500))
            .expect(0),
    );
    api
}

/// Runs `command --cert leaf.pem --key leaf.key`, as a table and with `--json`, and expects
/// success without the key in the output; the two stdouts.
pub fn upload_leaf_without_printing_the_key(api: &Api, command: &[&str]) -> Vec<String> {
    [false, true]
        .into_iter()
        .map(|json_flag| {
            let mut cmd = api.cfmtls();
            cmd.args(command).args([
                "--cert",
                &data_str("leaf.pem"),
                "--key",
                &data_str("leaf.key"),
            ]);
            if json_flag {
                cmd.arg("--json");
            }
            let ran = run(&mut cmd);
            assert_eq!(ran.code, 0, "{}", ran.stderr);
            assert_no_key(&ran.stdout, &ran.stderr, "leaf.key");
            ran.stdout
        })
        .collect()
}
