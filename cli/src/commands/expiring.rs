//! `cfmtls expiring`: one inventory of the certificates of some accounts and zones, by expiry
//! date, and exit code 6 when one expires within the window. What is listed and what counts is
//! documented in `cfmtls expiring --help` (`EXPIRING_HELP` in args.rs).
//!
//! [`inventory`] runs the listings, [`report`] sorts and renders them; this module reads the
//! options and decides the exit status.

mod inventory;
mod report;

use crate::args::{ExpiringArgs, GlobalArgs};
use crate::client;
use crate::errors::{code, CliError};
use crate::output::{warn, Output};
use chrono::Utc;

/// The accounts and zones to list: the options' (without repeats), or else the environment's.
fn scopes(
    args: &ExpiringArgs,
    env_account: Option<String>,
    env_zone: Option<String>,
) -> Result<(Vec<String>, Vec<String>), CliError> {
    let (accounts, zones) = if args.accounts.is_empty() && args.zones.is_empty() {
        (Vec::from_iter(env_account), Vec::from_iter(env_zone))
    } else {
        (distinct(&args.accounts), distinct(&args.zones))
    };
    if accounts.is_empty() && zones.is_empty() {
        return Err(CliError::Usage(
            "no account or zone to list: pass --account ID and/or --zone ID (repeatable), or set \
             CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_ZONE_ID"
                .into(),
        ));
    }
    Ok((accounts, zones))
}

/// `ids` trimmed, blanks and repeats dropped, in order.
fn distinct(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        if !out.iter().any(|seen| seen == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// A `CLOUDFLARE_*` variable; blank counts as unset.
fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The exit code: the first failed listing's code when any failed (the inventory is incomplete),
/// else [`code::EXPIRING`] when something expires within the window, else 0.
fn exit_code(failure_codes: &[u8], expiring: usize) -> u8 {
    match failure_codes.first() {
        Some(&failed) => failed,
        None if expiring > 0 => code::EXPIRING,
        None => 0,
    }
}

/// Runs `cfmtls expiring`; the exit code (see [`exit_code`]).
pub async fn run(args: ExpiringArgs, global: &GlobalArgs, out: Output) -> Result<u8, CliError> {
    let (accounts, zones) = scopes(
        &args,
        env("CLOUDFLARE_ACCOUNT_ID"),
        env("CLOUDFLARE_ZONE_ID"),
    )?;
    let client = client::build(global)?;
    let listings = inventory::listings(&accounts, &zones);
    let found = inventory::collect(&client, listings).await;
    let rows = report::rows(found.certificates, Utc::now(), args.within.span);
    found.warnings.iter().for_each(|w| warn(w));
    // Failures first: they explain a short table.
    for failure in &found.failures {
        eprintln!("{}", failure.line());
    }
    out.list(&rows, "No certificates.")?;
    if !global.json {
        eprintln!(
            "{}",
            report::summary(&rows, &args.within.text, found.failures.len())
        );
    }
    let failure_codes: Vec<u8> = found
        .failures
        .into_iter()
        .map(|f| CliError::from(f.error).code())
        .collect();
    let expiring = rows.iter().filter(|r| r.within_window).count();
    Ok(exit_code(&failure_codes, expiring))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::within::parse_within;

    fn args(accounts: &[&str], zones: &[&str]) -> ExpiringArgs {
        ExpiringArgs {
            within: parse_within("30d").expect("a window"),
            accounts: accounts.iter().map(|s| s.to_string()).collect(),
            zones: zones.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn options_replace_the_environment() {
        let env = || (Some("env-a".to_string()), Some("env-z".to_string()));
        let (a, z) = env();
        assert_eq!(
            scopes(&args(&["a1", "a2", "a1"], &[]), a, z).expect("scopes"),
            (vec!["a1".to_string(), "a2".to_string()], vec![])
        );
        let (a, z) = env();
        assert_eq!(
            scopes(&args(&[], &["z1", " "]), a, z).expect("scopes"),
            (vec![], vec!["z1".to_string()])
        );
    }

    #[test]
    fn without_options_both_variables_are_used() {
        let none = args(&[], &[]);
        assert_eq!(
            scopes(&none, Some("a".into()), Some("z".into())).expect("scopes"),
            (vec!["a".to_string()], vec!["z".to_string()])
        );
        assert_eq!(
            scopes(&none, None, Some("z".into())).expect("scopes"),
            (vec![], vec!["z".to_string()])
        );
        assert!(matches!(scopes(&none, None, None), Err(CliError::Usage(_))));
        assert!(matches!(
            scopes(&args(&[" "], &[]), Some("a".into()), None),
            Err(CliError::Usage(_))
        ));
    }

    #[test]
    fn a_failed_listing_wins_over_expiring_certificates() {
        assert_eq!(exit_code(&[], 0), 0);
        assert_eq!(exit_code(&[], 3), code::EXPIRING);
        assert_eq!(exit_code(&[code::API], 0), code::API);
        assert_eq!(exit_code(&[code::API], 2), code::API);
        assert_eq!(exit_code(&[code::NETWORK, code::API], 2), code::NETWORK);
    }
}
