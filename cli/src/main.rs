//! `cfmtls`: a command-line tool for Cloudflare's mTLS certificate APIs, built on the
//! `cloudflare-mtls` client. See `cfmtls --help`, and the README's "Command-line tool" section.

mod args;
mod client;
mod commands;
mod errors;
mod output;
mod pem;
mod progress;
mod views;
mod within;

/// Keys and certificates made at test time (shared with the end-to-end tests).
#[cfg(test)]
#[path = "../tests/cli/keys.rs"]
mod test_keys;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Bad options exit here with code 2 (clap's usage errors).
    let cli = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(errors::code::FAILURE);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => e.report(),
    }
}
