//! What can go wrong, how it is printed, and the exit code of each kind (documented in `--help`).

use crate::args::Cli;
use clap::CommandFactory;
use cloudflare_mtls::{ApiError, Error};
use std::fmt::Write as _;
use std::process::ExitCode;

/// Exit codes.
pub mod code {
    /// An unexpected failure: an API answer that could not be decoded, an output file not written.
    pub const FAILURE: u8 = 1;
    /// A usage error (also clap's own code for bad options).
    pub const USAGE: u8 = 2;
    /// The API answered with an error.
    pub const API: u8 = 3;
    /// No answer: connection refused, DNS failure, timeout, connection cut short.
    pub const NETWORK: u8 = 4;
    /// Bad local input: a file that cannot be read or is not what it should be, a name that does
    /// not resolve to one certificate.
    pub const INPUT: u8 = 5;
    /// `cfmtls expiring`: a certificate expires within the window, and every listing succeeded
    /// (a failed listing's code wins).
    pub const EXPIRING: u8 = 6;
}

/// A failed command.
#[derive(Debug)]
pub enum CliError {
    /// Misuse that clap cannot see (no credentials, no scope): printed like clap's errors.
    Usage(String),
    /// Bad local input; the message names the file.
    Input(String),
    /// An error from the client library.
    Client(Error),
    /// Anything else.
    Other(String),
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Client(e)
    }
}

impl CliError {
    /// The exit code of this error.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => code::USAGE,
            CliError::Input(_) => code::INPUT,
            CliError::Other(_) => code::FAILURE,
            CliError::Client(e) => match e {
                // A 3xx: the API answered, with a redirect that is never followed.
                Error::Api(_) | Error::Redirect { .. } => code::API,
                Error::Timeout(_) | Error::Connect(_) | Error::Http(_) => code::NETWORK,
                // An id that is empty, blank, `.` or `..`: the id given on the command line is
                // unusable, and nothing was sent.
                Error::InvalidRequest(_) => code::INPUT,
                // No credentials, a plain-http base URL without --allow-http, …
                Error::Config(_) => code::USAGE,
                _ => code::FAILURE,
            },
        }
    }

    /// Prints the error to stderr and returns the exit code.
    pub fn report(self) -> ExitCode {
        let code = self.code();
        match &self {
            CliError::Usage(message) => {
                // clap's format (`error: …`, the usage line, the `--help` hint).
                let _ = Cli::command()
                    .error(clap::error::ErrorKind::MissingRequiredArgument, message)
                    .print();
            }
            CliError::Client(Error::Config(message)) => {
                let _ = Cli::command()
                    .error(clap::error::ErrorKind::InvalidValue, message)
                    .print();
            }
            other => eprint!("{}", other.render()),
        }
        ExitCode::from(code)
    }

    /// The text printed for this error: one or more lines, each ending with a newline.
    pub fn render(&self) -> String {
        match self {
            CliError::Usage(m) | CliError::Input(m) | CliError::Other(m) => {
                format!("error: {m}\n")
            }
            CliError::Client(Error::Api(api)) => render_api(api),
            CliError::Client(e @ (Error::Connect(_) | Error::Timeout(_))) => format!(
                "error: {e}\nhint: is the base URL right, and is the network up? (--base-url, \
                 CLOUDFLARE_BASE_URL; --timeout)\n"
            ),
            CliError::Client(e @ Error::Decode { ray_id, .. }) => {
                let mut out = format!("error: unexpected answer from the API: {e}");
                if let Some(ray) = ray_id {
                    let _ = write!(out, " [cf-ray {ray}]");
                }
                out.push('\n');
                out
            }
            CliError::Client(e) => format!("error: {e}\n"),
        }
    }
}

/// `error: Cloudflare API error 1003 (HTTP 404): message [cf-ray …]`, one line per error of the
/// envelope, then any documentation links and a hint for 401/403.
fn render_api(api: &ApiError) -> String {
    let status = api.status.as_u16();
    let ray = api
        .ray_id
        .as_deref()
        .map(|r| format!(" [cf-ray {r}]"))
        .unwrap_or_default();
    let mut out = String::new();
    for e in &api.errors {
        let at = e
            .source
            .as_ref()
            .and_then(|s| s.pointer.as_deref())
            .map(|p| format!(" (at {p})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "error: Cloudflare API error {} (HTTP {status}): {}{at}{ray}",
            e.code, e.message
        );
        if let Some(url) = &e.documentation_url {
            let _ = writeln!(out, "  see {url}");
        }
    }
    if api.errors.is_empty() {
        let detail = api
            .body_snippet
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "error: Cloudflare API error (HTTP {status}){detail}{ray}"
        );
    }
    for m in &api.messages {
        let _ = writeln!(out, "note: {} ({})", m.message, m.code);
    }
    match status {
        401 => out.push_str(
            "hint: check the credentials (--api-token / CLOUDFLARE_API_TOKEN, --api-key + \
             --email, --user-service-key)\n",
        ),
        403 => out.push_str("hint: the credentials lack a permission this operation needs\n"),
        _ => {}
    }
    out
}
