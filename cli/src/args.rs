//! The command line: every command, option and flag, as clap types. No behaviour here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  another failure (an API answer that could not be understood, writing an output file)
  2  usage error (a bad option, missing credentials, an account or zone id missing)
  3  the Cloudflare API answered with an error
  4  network error: no connection, a timeout, a connection cut short
  5  bad local input: an unreadable or invalid PEM/CSR/key file, a key that does not match the
     certificate or cannot be checked against it, a --name that matches no certificate or
     several
  6  cfmtls expiring: a certificate expires within the window (--within), and every listing
     succeeded";

/// `cfmtls expiring --help`: what is listed, what counts, the exit status.
const EXPIRING_HELP: &str = "\
What is listed:
  of each account: account mTLS certificates (`mtls`), Access mTLS certificates (`access`);
  of each zone: Access mTLS certificates (`access`), API Shield client certificates
  (`client-cert`), zone-level Authenticated Origin Pulls certificates (`origin-pull`) and
  per-hostname ones (`hostname-cert`). The kinds are named after the commands that manage them.

The table is an inventory: every certificate, the soonest expiry first and those without an
expiry date last. Certificates that expire within the window (expired ones included) are marked
`*`, and a summary goes to stderr (`2 of 14 certificates expire within 30 days`). DAYS LEFT
counts whole days: 0 is less than a day left, negative means expired. NAME is the name, the
client certificate's common name or the hostname; else the subject's common name, read from the
certificate. With --json: one array in the same order, each object with kind, scope (account or
zone), scope_id, name, id, expires_on (RFC 3339), days_left, status and within_window (null where
unknown); no summary.

Revoked and pending_revocation client certificates, and origin pull certificates that are deleted
or pending deletion, are listed with their status but never count as expiring.

Without --account and --zone: the account of CLOUDFLARE_ACCOUNT_ID and the zone of
CLOUDFLARE_ZONE_ID, each when set. Any --account or --zone replaces both variables.

Exit status: 0 when nothing expires within the window, 6 when something does. A listing that fails
(a zone answering 403, say) is reported on stderr, one line naming its kind and scope, and the
rest are still listed; the exit code is then the failure's (3 API error, 4 network error, 1 an
answer that could not be read; the first failed listing's, accounts before zones, in the order
given), even when something expires: the inventory is incomplete.";

/// The port without `--port` (stripe-mock's way: a fixed port, so a shell profile or a CI file
/// can name the URL).
pub const DEFAULT_PORT: u16 = 8799;

/// Manage Cloudflare mTLS certificates: account mTLS certificates, Access mTLS certificates and
/// hostname settings, API Shield client certificates, and Authenticated Origin Pulls.
///
/// Credentials come from the options below or the same environment variables as Cloudflare's
/// SDKs. Output is a table by default, JSON with --json. Certificates, keys and CSRs are checked
/// locally before anything is sent; private keys are never printed.

#[derive(Debug, Parser)]
#[command(name = "cfmtls", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// API token, sent as `Authorization: Bearer` (preferred).
    #[arg(
        long,
        global = true,
        env = "CLOUDFLARE_API_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        help_heading = "Credentials"
    )]
    pub api_token: Option<String>,
    /// Global API key; needs --email.
    #[arg(
        long,
        global = true,
        env = "CLOUDFLARE_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        help_heading = "Credentials"
    )]
    pub api_key: Option<String>,
    /// The account email that goes with --api-key.
    #[arg(
        long,
        global = true,
        env = "CLOUDFLARE_EMAIL",
        hide_env_values = true,
        value_name = "EMAIL",
        help_heading = "Credentials"
    )]
    pub email: Option<String>,
    /// User service key (`X-Auth-User-Service-Key`).
    #[arg(
        long,
        global = true,
        env = "CLOUDFLARE_API_USER_SERVICE_KEY",
        hide_env_values = true,
        value_name = "KEY",
        help_heading = "Credentials"
    )]
    pub user_service_key: Option<String>,

    /// API base URL.
    #[arg(
        long,
        global = true,
        env = "CLOUDFLARE_BASE_URL",
        hide_env_values = true,
        value_name = "URL",
        default_value = cloudflare_mtls::DEFAULT_BASE_URL,
        help_heading = "Connection"
    )]
    pub base_url: String,
    /// Allow a plain-http --base-url. For local test servers only: credentials would travel
    /// unencrypted.
    #[arg(
        long,
        global = true,
        env = "CFMTLS_ALLOW_HTTP",
        hide_env_values = true,
        help_heading = "Connection"
    )]
    pub allow_http: bool,
    /// Seconds allowed for each request attempt [default: 60]
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        help_heading = "Connection"
    )]
    pub timeout: Option<u64>,
    /// Retries of a failed request (connection errors, 429, 5xx) [default: 2]
    #[arg(long, global = true, value_name = "N", help_heading = "Connection")]
    pub max_retries: Option<u32>,

    /// Print the results as JSON (lists as arrays) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Account mTLS certificates: upload, list, get, delete, associations.
    #[command(subcommand)]
    Mtls(MtlsCommand),
    /// Access mTLS root certificates and their hostname settings, on an account or a zone.
    #[command(subcommand)]
    Access(AccessCommand),
    /// API Shield client certificates issued by Cloudflare's managed CA.
    #[command(subcommand, name = "client-certs")]
    ClientCerts(ClientCertsCommand),
    /// Authenticated Origin Pulls: the certificate Cloudflare presents to your origin, per zone
    /// or per hostname.
    #[command(subcommand, name = "origin-pulls", visible_alias = "aop")]
    OriginPulls(OriginPullsCommand),
    /// API Shield: which hostnames of a zone a CA checks client certificates for (a CA uploaded
    /// with `mtls upload --ca`, or the Cloudflare managed CA).
    #[command(
        subcommand,
        name = "hostname-associations",
        visible_alias = "ca-hostnames"
    )]
    HostnameAssociations(HostnameAssociationsCommand),
    /// Every certificate of some accounts and zones by expiry date; exit code 6 when one expires
    /// within --within.
    #[command(after_long_help = EXPIRING_HELP)]
    Expiring(ExpiringArgs),
    /// Run a local stand-in of Cloudflare's mTLS API, for any client (Cloudflare's SDKs,
    /// Terraform, curl, cfmtls), with an admin API under /__admin. No credentials are used.
    #[command(name = "stand-in", after_long_help = STAND_IN_HELP)]
    StandIn(StandInArgs),
}

/// `cfmtls stand-in --help`: what is printed, the admin API, stopping.
const STAND_IN_HELP: &str = "\
It serves the 36 operations of this tool and library, keeping what they create in memory, with
Cloudflare's envelope, paging and errors; it takes the token and API key it prints (any email
goes with the key). The first lines on stdout are the base URL, the token, the account and zone
ids and the admin URL, or with --env the lines to export:

  export CLOUDFLARE_BASE_URL=http://127.0.0.1:8799/client/v4
  export CLOUDFLARE_API_TOKEN=cloudflare-mtls-stand-in-token
  export CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353
  export CLOUDFLARE_ZONE_ID=7c5dae5552338874e5053f2534d2767a
  export CFMTLS_ALLOW_HTTP=true

Admin API (JSON, no credentials): GET /__admin, GET|DELETE /__admin/requests,
GET|POST|DELETE /__admin/faults, POST /__admin/seed, POST /__admin/reset,
POST /__admin/certificates, POST /__admin/csr. See the README, \"Testing without Cloudflare, from
any language\".

It stops on SIGINT (Ctrl-C) or SIGTERM, and with --stop-on-stdin-close when stdin closes,
exiting 0. Exit codes: 1 the address cannot be bound, 5 the seed file is unreadable or invalid
(the message names the file and the entry).";

/// `cfmtls stand-in`.
#[derive(Debug, Args)]
pub struct StandInArgs {
    /// The address to listen on. Anything that reaches it can use the API and the admin API:
    /// keep it on loopback unless the network is yours.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// The port (0: a free one, printed)
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// A seed file (TOML, or JSON when it ends in .json) with accounts, zones and their
    /// certificates, applied before the first request.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Print only the `export` lines (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN,
    /// CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_ZONE_ID, CFMTLS_ALLOW_HTTP) on stdout.
    #[arg(long)]
    pub env: bool,
    /// Stop when stdin is closed (for test harnesses that start it as a child process).
    #[arg(long)]
    pub stop_on_stdin_close: bool,
}

/// `cfmtls expiring`.
#[derive(Debug, Args)]
pub struct ExpiringArgs {
    /// The window: a duration such as 30d, 12h, 2w, 90d or `1w 3d` (units: s, m, h, d, w, M for
    /// months, y)
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30d",
        value_parser = crate::within::parse_within
    )]
    pub within: crate::within::Within,
    /// An account to list (repeatable) [or: CLOUDFLARE_ACCOUNT_ID, without --account and --zone]
    #[arg(long = "account", visible_alias = "account-id", value_name = "ID")]
    pub accounts: Vec<String>,
    /// A zone to list (repeatable) [or: CLOUDFLARE_ZONE_ID, without --account and --zone]
    #[arg(long = "zone", visible_alias = "zone-id", value_name = "ID")]
    pub zones: Vec<String>,
}

/// The account of an account-level command.
#[derive(Debug, Args)]
pub struct AccountArg {
    /// Account id.
    #[arg(
        long = "account-id",
        visible_alias = "account",
        env = "CLOUDFLARE_ACCOUNT_ID",
        hide_env_values = true,
        value_name = "ID"
    )]
    pub account_id: String,
}

/// The zone of a zone-level command.
#[derive(Debug, Args)]
pub struct ZoneArg {
    /// Zone id.
    #[arg(
        long = "zone-id",
        visible_alias = "zone",
        env = "CLOUDFLARE_ZONE_ID",
        hide_env_values = true,
        value_name = "ID"
    )]
    pub zone_id: String,
}

/// Account or zone, for the Access commands. Without either option the scope comes from
/// CLOUDFLARE_ACCOUNT_ID or CLOUDFLARE_ZONE_ID, when exactly one of them is set.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Act on this account [or: CLOUDFLARE_ACCOUNT_ID, when CLOUDFLARE_ZONE_ID is unset]
    #[arg(
        long,
        visible_alias = "account-id",
        value_name = "ID",
        conflicts_with = "zone"
    )]
    pub account: Option<String>,
    /// Act on this zone [or: CLOUDFLARE_ZONE_ID, when CLOUDFLARE_ACCOUNT_ID is unset]
    #[arg(long, visible_alias = "zone-id", value_name = "ID")]
    pub zone: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MtlsCommand {
    /// Upload a CA or leaf certificate (checked locally first).
    Upload {
        #[command(flatten)]
        account: AccountArg,
        /// PEM file with the certificate(s): one or more CERTIFICATE blocks.
        #[arg(long, value_name = "FILE")]
        cert: PathBuf,
        /// PEM file with the certificate's private key (leaf certificates only; it must match
        /// the first certificate).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Upload --key without checking that it matches the certificate (for keys cfmtls cannot
        /// check: other than RSA, EC P-256, EC P-384 and Ed25519). The file must still hold one
        /// unencrypted private key.
        #[arg(long, requires = "key")]
        skip_key_check: bool,
        /// The certificate is a CA certificate (a root or intermediate that signs client
        /// certificates).
        #[arg(long)]
        ca: bool,
        /// A name, for humans (and for `delete --name`).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the account's mTLS certificates.
    List {
        #[command(flatten)]
        account: AccountArg,
        /// Only certificates of these types: custom, gateway_managed, access_managed (repeat
        /// the option or separate them with commas: any of them)
        #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
        kind: Vec<String>,
    },
    /// Show one mTLS certificate.
    Get {
        #[command(flatten)]
        account: AccountArg,
        /// Certificate id.
        id: String,
    },
    /// Delete an mTLS certificate, by id or by name.
    Delete {
        #[command(flatten)]
        account: AccountArg,
        /// Certificate id.
        #[arg(required_unless_present = "name", conflicts_with = "name")]
        id: Option<String>,
        /// Delete the one certificate with this name (an error if none or several have it).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the Cloudflare services that use an mTLS certificate.
    Associations {
        #[command(flatten)]
        account: AccountArg,
        /// Certificate id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum HostnameAssociationsCommand {
    /// List the hostnames associated with a CA (without --mtls-certificate-id: with the
    /// Cloudflare managed CA).
    List {
        #[command(flatten)]
        zone: ZoneArg,
        /// The CA: an mTLS certificate id (`mtls upload --ca`). Without it, the managed CA.
        #[arg(long = "mtls-certificate-id", visible_alias = "ca", value_name = "ID")]
        ca: Option<String>,
    },
    /// Associate exactly these hostnames with a CA (any other it had is no longer); with no
    /// hostname, remove all of its hostnames.
    Set {
        #[command(flatten)]
        zone: ZoneArg,
        /// The CA: an mTLS certificate id (`mtls upload --ca`). Without it, the managed CA.
        #[arg(long = "mtls-certificate-id", visible_alias = "ca", value_name = "ID")]
        ca: Option<String>,
        /// The hostnames (none: unbind them all).
        #[arg(value_name = "HOSTNAME")]
        hostnames: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Add an mTLS root certificate to Access (checked locally first).
    Create {
        #[command(flatten)]
        scope: ScopeArgs,
        /// PEM file with the CA certificate(s).
        #[arg(long, value_name = "FILE")]
        cert: PathBuf,
        /// The certificate's name.
        #[arg(long)]
        name: String,
        /// A hostname of an Access application that will use it (repeatable).
        #[arg(long = "hostname", value_name = "HOSTNAME")]
        hostnames: Vec<String>,
    },
    /// List Access mTLS certificates (every page).
    List {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Items per request while paging through the list.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=1000))]
        per_page: Option<i64>,
    },
    /// Show one Access mTLS certificate.
    Get {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Certificate id.
        id: String,
    },
    /// Rename a certificate or change its hostnames.
    Update {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Certificate id.
        id: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// The hostnames that use it, replacing the current list (repeatable; without it the
        /// list is kept).
        #[arg(
            long = "hostname",
            value_name = "HOSTNAME",
            conflicts_with = "no_hostnames"
        )]
        hostnames: Vec<String>,
        /// Remove every hostname.
        #[arg(long)]
        no_hostnames: bool,
    },
    /// Delete an Access mTLS certificate.
    Delete {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Certificate id.
        id: String,
    },
    /// Hostname settings: client certificate forwarding, China network.
    #[command(subcommand)]
    Settings(AccessSettingsCommand),
}

#[derive(Debug, Subcommand)]
pub enum AccessSettingsCommand {
    /// List the hostname settings.
    List {
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// Change one hostname's settings (the others are kept; an unset option keeps its value).
    Set {
        #[command(flatten)]
        scope: ScopeArgs,
        /// The hostname.
        hostname: String,
        /// Forward the client certificate to the origin in a header.
        #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
              default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
        client_certificate_forwarding: Option<bool>,
        /// Request client certificates in China (China network zones only).
        #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
              default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
        china_network: Option<bool>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCertsCommand {
    /// Have Cloudflare's managed CA issue a client certificate from a CSR (checked locally
    /// first).
    Create {
        #[command(flatten)]
        zone: ZoneArg,
        /// PEM file with the CERTIFICATE REQUEST.
        #[arg(long, value_name = "FILE")]
        csr: PathBuf,
        /// Days the certificate is valid.
        #[arg(long, value_name = "DAYS", default_value_t = 3650,
              value_parser = clap::value_parser!(i64).range(1..=3650))]
        validity_days: i64,
        /// Also write the issued certificate (PEM) to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List client certificates (every page).
    List {
        #[command(flatten)]
        zone: ZoneArg,
        /// Only certificates with this status.
        #[arg(long, value_enum)]
        status: Option<StatusFilter>,
        /// Items per request while paging through the list (Cloudflare takes 5 to 50).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(5..=50))]
        per_page: Option<u32>,
    },
    /// Show one client certificate.
    Get {
        #[command(flatten)]
        zone: ZoneArg,
        /// Client certificate id.
        id: String,
        /// Also write the certificate (PEM) to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Revoke a client certificate (it becomes pending_revocation, then revoked).
    Revoke {
        #[command(flatten)]
        zone: ZoneArg,
        /// Client certificate id.
        id: String,
    },
    /// Reactivate a revoked client certificate.
    Reactivate {
        #[command(flatten)]
        zone: ZoneArg,
        /// Client certificate id.
        id: String,
    },
}

/// `client-certs list --status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    All,
    Active,
    Revoked,
    #[value(alias = "pending_reactivation")]
    PendingReactivation,
    #[value(alias = "pending_revocation")]
    PendingRevocation,
}

#[derive(Debug, Subcommand)]
pub enum OriginPullsCommand {
    /// Upload the zone-level client certificate Cloudflare presents to the origin (checked
    /// locally first).
    Upload {
        #[command(flatten)]
        zone: ZoneArg,
        #[command(flatten)]
        files: CertAndKey,
    },
    /// List the zone-level certificates.
    List {
        #[command(flatten)]
        zone: ZoneArg,
    },
    /// Show one zone-level certificate.
    Get {
        #[command(flatten)]
        zone: ZoneArg,
        /// Certificate id.
        id: String,
    },
    /// Delete a zone-level certificate.
    Delete {
        #[command(flatten)]
        zone: ZoneArg,
        /// Certificate id.
        id: String,
    },
    /// Turn zone-level Authenticated Origin Pulls on.
    Enable {
        #[command(flatten)]
        zone: ZoneArg,
    },
    /// Turn zone-level Authenticated Origin Pulls off.
    Disable {
        #[command(flatten)]
        zone: ZoneArg,
    },
    /// Show whether zone-level Authenticated Origin Pulls is on.
    Status {
        #[command(flatten)]
        zone: ZoneArg,
    },
    /// Per-hostname certificates: upload, list, get, delete.
    #[command(subcommand, name = "hostname-certs")]
    HostnameCerts(HostnameCertsCommand),
    /// Per-hostname Authenticated Origin Pulls: enable, disable, status.
    #[command(subcommand)]
    Hostname(HostnameCommand),
}

/// A certificate and its private key, both PEM.
#[derive(Debug, Args)]
pub struct CertAndKey {
    /// PEM file with the certificate (the leaf first, then any intermediates).
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// PEM file with its private key (unencrypted).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Upload --key without checking that it matches the certificate (for keys cfmtls cannot
    /// check: other than RSA, EC P-256, EC P-384 and Ed25519). The file must still hold one
    /// unencrypted private key.
    #[arg(long)]
    pub skip_key_check: bool,
}

#[derive(Debug, Subcommand)]
pub enum HostnameCertsCommand {
    /// Upload a per-hostname client certificate (checked locally first).
    Upload {
        #[command(flatten)]
        zone: ZoneArg,
        #[command(flatten)]
        files: CertAndKey,
    },
    /// List the per-hostname certificates.
    List {
        #[command(flatten)]
        zone: ZoneArg,
    },
    /// Show one per-hostname certificate.
    Get {
        #[command(flatten)]
        zone: ZoneArg,
        /// Certificate id.
        id: String,
    },
    /// Delete a per-hostname certificate.
    Delete {
        #[command(flatten)]
        zone: ZoneArg,
        /// Certificate id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum HostnameCommand {
    /// Present a per-hostname certificate to this hostname's origin.
    Enable {
        #[command(flatten)]
        zone: ZoneArg,
        /// The hostname.
        hostname: String,
        /// The per-hostname certificate to present.
        #[arg(long, value_name = "ID")]
        cert_id: String,
    },
    /// Stop presenting a certificate to this hostname's origin.
    Disable {
        #[command(flatten)]
        zone: ZoneArg,
        /// The hostname.
        hostname: String,
        /// The certificate of the association [default: the hostname's current one]
        #[arg(long, value_name = "ID")]
        cert_id: Option<String>,
    },
    /// Void the association of a hostname and its certificate (sends `enabled: null`).
    Void {
        #[command(flatten)]
        zone: ZoneArg,
        /// The hostname.
        hostname: String,
        /// The certificate of the association [default: the hostname's current one]
        #[arg(long, value_name = "ID")]
        cert_id: Option<String>,
    },
    /// Show a hostname's certificate and whether it is enabled.
    Status {
        #[command(flatten)]
        zone: ZoneArg,
        /// The hostname.
        hostname: String,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
