//! `--within` (`cfmtls expiring`): a duration as people write them, read before any command
//! runs. Its own module: the options (args.rs) and the command (commands/expiring.rs) both use
//! it, and neither uses the other for it.

use chrono::TimeDelta;
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
}
