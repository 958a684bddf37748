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
use chrono::{TimeDelta, Utc};
use std::time::Duration;

/// The `--within` window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Within {
    /// How far ahead of now.
    pub span: TimeDelta,
    /// For people: `30 days`, `12h`.
    pub text: String,
}

/// Reads `--within`: a duration as humantime reads them (`30d`, `12h`, `2w`, `1w 3d`, `90days`),
/// with a unit.
pub fn parse_within(text: &str) -> Result<Within, String> {
    const EXPECTED: &str = "expected a duration such as 30d, 12h, 2w or 90d";
    let std = humantime::parse_duration(text.trim()).map_err(|e| format!("{e}; {EXPECTED}"))?;
    let span = TimeDelta::from_std(std).map_err(|_| format!("too long; {EXPECTED}"))?;
    Ok(Within {
        span,
        text: describe(std),
    })
}

/// `30 days` for whole days, humantime's own form (`12h`, `1day 12h`) otherwise.
fn describe(span: Duration) -> String {
    const DAY: u64 = 86_400;
    let secs = span.as_secs();
    if span.subsec_nanos() == 0 && secs > 0 && secs.is_multiple_of(DAY) {
        let days = secs / DAY;
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    } else {
        humantime::format_duration(span).to_string()
    }
}

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

    fn days(n: i64) -> TimeDelta {
        TimeDelta::days(n)
    }

    #[test]
    fn durations_with_units_are_read() {
        let span = |t: &str| parse_within(t).map(|w| w.span);
        assert_eq!(span("30d"), Ok(days(30)));
        assert_eq!(span("90d"), Ok(days(90)));
        assert_eq!(span("2w"), Ok(days(14)));
        assert_eq!(span("12h"), Ok(TimeDelta::hours(12)));
        assert_eq!(span("1w 3d"), Ok(days(10)));
        assert_eq!(span("45days"), Ok(days(45)));
        assert_eq!(span(" 7d "), Ok(days(7)));
        assert_eq!(span("0"), Ok(TimeDelta::zero()));
    }

    #[test]
    fn garbage_is_refused_with_an_example() {
        for bad in ["", "30", "soon", "-5d", "30 dayz", "d30", "1.5.3d", "30d!"] {
            let err = parse_within(bad).expect_err(bad);
            assert!(err.contains("such as 30d"), "{bad}: {err}");
        }
        assert!(parse_within("1000000000y")
            .expect_err("too long")
            .contains("too long"));
    }

    #[test]
    fn windows_read_as_people_say_them() {
        let text = |t: &str| parse_within(t).map(|w| w.text);
        assert_eq!(text("30d"), Ok("30 days".into()));
        assert_eq!(text("1d"), Ok("1 day".into()));
        assert_eq!(text("2w"), Ok("14 days".into()));
        assert_eq!(text("12h"), Ok("12h".into()));
        assert_eq!(text("36h"), Ok("1day 12h".into()));
        assert_eq!(text("0"), Ok("0s".into()));
    }

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
