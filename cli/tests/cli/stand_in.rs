//! `cfmtls stand-in`: the stand-in as a server process. What it prints (and with `--env` the
//! lines to export, which `cfmtls` itself then works with unchanged), `--seed`, and how it stops:
//! stdin closed, SIGTERM, SIGINT, always exit 0; a bad seed file or a taken port before anything
//! listens.

use crate::common::{bare, data, data_str, run};
use cloudflare_mtls::testing::{ACCOUNT_ID, TOKEN, ZONE_ID};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `cfmtls stand-in`, its first stdout lines read.
struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    lines: Vec<String>,
}

impl Server {
    /// Starts `cfmtls stand-in --port 0 ARGS` and reads `lines` lines of stdout.
    fn start(args: &[&str], lines: usize) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cfmtls"))
            .args(["stand-in", "--port", "0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cfmtls starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut read = Vec::new();
        for _ in 0..lines {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "stdout ended after {read:?}");
            read.push(line.trim_end().to_owned());
        }
        Server {
            child,
            stdout,
            lines: read,
        }
    }

    /// The value of each `name  value` line (or `export NAME=value`).
    fn fields(&self) -> BTreeMap<String, String> {
        self.lines
            .iter()
            .map(|l| match l.strip_prefix("export ") {
                Some(export) => {
                    let (name, value) = export.split_once('=').unwrap();
                    (name.to_owned(), value.to_owned())
                }
                None => {
                    let (name, value) = l.rsplit_once(' ').unwrap();
                    (name.trim().to_owned(), value.to_owned())
                }
            })
            .collect()
    }

    /// Waits (at most 10 s) for the process to end: its exit code and the rest of its output.
    fn wait(mut self) -> (i32, String, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut out = String::new();
                self.stdout.read_to_string(&mut out).unwrap();
                let mut err = String::new();
                self.child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                return (status.code().unwrap_or(-1), out, err);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("cfmtls stand-in did not stop within 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` (`TERM`, `INT`) with kill(1).
    #[cfg(unix)]
    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }
}

/// The JSON body of a GET of the API at `base_url` (`http://HOST:PORT/client/v4`) with the
/// stand-in's token: a plain HTTP/1.1 request, as curl would send it.
fn get(base_url: &str, path: &str) -> serde_json::Value {
    let rest = base_url.strip_prefix("http://").unwrap();
    let (host, prefix) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /{prefix}{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn it_prints_the_urls_token_and_ids_and_stops_when_stdin_closes() {
    let mut server = Server::start(&["--stop-on-stdin-close"], 5);
    let fields = server.fields();
    let base_url = &fields["base URL"];
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert!(base_url.ends_with("/client/v4"), "{base_url}");
    assert!(
        !base_url.contains(":0/"),
        "port 0 is replaced by the port bound: {base_url}"
    );
    assert_eq!(fields["token"], TOKEN);
    assert_eq!(fields["account"], ACCOUNT_ID);
    assert_eq!(fields["zone"], ZONE_ID);
    assert_eq!(
        fields["admin API"],
        base_url.replace("/client/v4", "/__admin")
    );
    let listed = get(base_url, &format!("/zones/{ZONE_ID}/client_certificates"));
    assert_eq!(listed["success"], true);

    drop(server.child.stdin.take());
    let (code, rest, stderr) = server.wait();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rest, "");
    assert!(stderr.contains("stopped (stdin closed)"), "{stderr}");
}

#[test]
fn the_env_lines_are_all_cfmtls_needs() {
    let mut server = Server::start(&["--env", "--stop-on-stdin-close"], 5);
    let fields = server.fields();
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "CFMTLS_ALLOW_HTTP",
            "CLOUDFLARE_ACCOUNT_ID",
            "CLOUDFLARE_API_TOKEN",
            "CLOUDFLARE_BASE_URL",
            "CLOUDFLARE_ZONE_ID"
        ]
    );
    assert!(server.lines.iter().all(|l| l.starts_with("export ")));
    // The lines exported, and nothing else: cfmtls uploads and lists.
    let mut cfmtls = bare();
    cfmtls.envs(&fields);
    let up = run(cfmtls.args(["mtls", "upload", "--ca", "--cert", &data_str("ca.pem")]));
    assert_eq!(up.code, 0, "{}", up.stderr);
    let mut cfmtls = bare();
    let listed = run(cfmtls.envs(&fields).args(["mtls", "list", "--json"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    drop(server.child.stdin.take());
    assert_eq!(server.wait().0, 0);
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_it_cleanly() {
    for signal in ["TERM", "INT"] {
        // Without --stop-on-stdin-close, closing stdin does not stop it.
        let mut server = Server::start(&[], 5);
        drop(server.child.stdin.take());
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "stopped on stdin"
        );
        let base_url = server.fields()["base URL"].clone();
        assert_eq!(
            get(
                &base_url,
                &format!("/zones/{ZONE_ID}/origin_tls_client_auth")
            )["success"],
            true
        );
        server.signal(signal);
        let (code, _, stderr) = server.wait();
        assert_eq!(code, 0, "SIG{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped (SIG{signal})")),
            "{stderr}"
        );
    }
}

#[test]
fn a_seed_file_is_served_with_its_first_account_and_zone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("ca.pem"), dir.path().join("ca.pem")).unwrap();
    let seed = dir.path().join("seed.toml");
    let account = "0123456789abcdef0123456789abcdef";
    std::fs::write(
        &seed,
        format!(
            "[[accounts]]\nid = \"{account}\"\n[[accounts.mtls_certificates]]\nname = \"from-file\"\n\
             ca = true\ncertificate = {{ file = \"ca.pem\" }}\n\n\
             [[zones]]\n[[zones.client_certificates]]\ncsr = {{ generate = \"CN=seeded\" }}\nstatus = \"revoked\"\n"
        ),
    )
    .unwrap();
    let mut server = Server::start(
        &[
            "--env",
            "--stop-on-stdin-close",
            "--seed",
            seed.to_str().unwrap(),
        ],
        5,
    );
    let fields = server.fields();
    assert_eq!(fields["CLOUDFLARE_ACCOUNT_ID"], account);
    assert_eq!(fields["CLOUDFLARE_ZONE_ID"], ZONE_ID);
    let base_url = &fields["CLOUDFLARE_BASE_URL"];
    let mtls = get(base_url, &format!("/accounts/{account}/mtls_certificates"));
    assert_eq!(mtls["result"][0]["name"], "from-file");
    let clients = get(
        base_url,
        &format!("/zones/{ZONE_ID}/client_certificates?status=revoked"),
    );
    assert_eq!(clients["result"][0]["common_name"], "seeded");
    drop(server.child.stdin.take());
    assert_eq!(server.wait().0, 0);
}

#[test]
fn a_bad_seed_file_fails_before_anything_listens_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let cases = [
        (
            r#"{"zones": [{"client_certificates": [{"csr": {"generate": "CN=a"}}, {"csr": {"generate": "CN=b"}, "status": "gone"}]}]}"#,
            "zones[0].client_certificates[1]: \"gone\" is not a client certificate status",
        ),
        (
            r#"{"accounts": [{"mtls_certificates": [{"certificate": {"file": "missing.pem"}}]}]}"#,
            "accounts[0].mtls_certificates[0].certificate.file: cannot read",
        ),
        (
            r#"{"accounts": [{"mtls_certificate": []}]}"#,
            "mtls_certificate",
        ),
    ];
    for (text, says) in cases {
        std::fs::write(&seed, text).unwrap();
        let ran = run(bare().args(["stand-in", "--port", "0", "--seed", seed.to_str().unwrap()]));
        assert_eq!(ran.code, 5, "{}", ran.stderr);
        assert_eq!(ran.stdout, "", "nothing printed, nothing served");
        assert!(
            ran.stderr.contains(&seed.display().to_string()),
            "{}",
            ran.stderr
        );
        assert!(
            ran.stderr.contains(says),
            "{} should say {says}",
            ran.stderr
        );
    }
    let absent = dir.path().join("absent.toml");
    let ran = run(bare().args(["stand-in", "--seed", absent.to_str().unwrap()]));
    assert_eq!(ran.code, 5);
    assert!(
        ran.stderr
            .contains("absent.toml: cannot read the seed file"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_taken_port_is_exit_1_and_the_default_port_is_fixed() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let ran = run(bare().args(["stand-in", "--port", &port]));
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        ran.stderr
    );
    let help = run(bare().args(["stand-in", "--help"]));
    assert!(help.stdout.contains("[default: 8799]"), "{}", help.stdout);
    assert!(
        help.stdout.contains("[default: 127.0.0.1]"),
        "{}",
        help.stdout
    );
}

#[test]
fn an_unspecified_host_prints_a_loopback_url() {
    let mut server = Server::start(&["--host", "0.0.0.0", "--stop-on-stdin-close"], 5);
    let base_url = server.fields()["base URL"].clone();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert_eq!(
        get(
            &base_url,
            &format!("/accounts/{ACCOUNT_ID}/mtls_certificates")
        )["success"],
        true
    );
    drop(server.child.stdin.take());
    assert_eq!(server.wait().0, 0);
}
