//! One module per API family; each turns its commands into calls and prints the results.

mod access;
mod client_certs;
pub mod expiring;
mod hostname_associations;
mod mtls;
mod origin_pulls;
pub mod stand_in;

use crate::args::{Cli, Command};
use crate::errors::CliError;
use crate::output::Output;

/// Runs the command of `cli`; the exit code when it ran to the end (0, or a report's code such as
/// `expiring`'s 6), the error otherwise.
pub async fn run(cli: Cli) -> Result<u8, CliError> {
    let out = Output::new(cli.global.json);
    let global = &cli.global;
    let done = match cli.command {
        Command::Mtls(cmd) => mtls::run(cmd, global, out).await,
        Command::Access(cmd) => access::run(cmd, global, out).await,
        Command::ClientCerts(cmd) => client_certs::run(cmd, global, out).await,
        Command::OriginPulls(cmd) => origin_pulls::run(cmd, global, out).await,
        Command::HostnameAssociations(cmd) => hostname_associations::run(cmd, global, out).await,
        Command::Expiring(args) => return expiring::run(args, global, out).await,
        Command::StandIn(args) => stand_in::run(args).await,
    };
    done.map(|()| 0)
}
