//! The report: the inventory in expiry order, each certificate with its days left and whether it
//! falls within the window, as table rows or JSON objects, and the summary line.

use super::inventory::Certificate;
use crate::output::View;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Serialize;

/// The mark of the rows within the window.
const MARK: &str = "*";

/// One certificate of the report (a table row, or an object of the `--json` array).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `mtls`, `access`, `client-cert`, `origin-pull` or `hostname-cert`.
    pub kind: &'static str,
    /// `account` or `zone`.
    pub scope: &'static str,
    /// The account or zone id.
    pub scope_id: String,
    /// The name, common name or hostname (see `Certificate::name`).
    pub name: Option<String>,
    /// The certificate's id.
    pub id: Option<String>,
    /// RFC 3339, UTC.
    pub expires_on: Option<String>,
    /// Whole days left (rounded down): negative once expired.
    pub days_left: Option<i64>,
    /// The API's status, where it gives one.
    pub status: Option<String>,
    /// It expires within the window (or has expired), and is not revoked or on its way out.
    pub within_window: bool,
}

impl View for Row {
    const HEADERS: &'static [&'static str] = &[
        "",
        "EXPIRES",
        "DAYS LEFT",
        "KIND",
        "SCOPE",
        "NAME",
        "ID",
        "STATUS",
    ];
    fn row(&self) -> Vec<String> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            if self.within_window { MARK } else { "" }.to_string(),
            self.expires_on
                .as_deref()
                .and_then(|d| d.get(..10))
                .unwrap_or("-")
                .to_string(),
            self.days_left
                .map_or_else(|| "-".to_string(), |d| d.to_string()),
            self.kind.to_string(),
            format!("{} {}", self.scope, self.scope_id),
            text(&self.name),
            text(&self.id),
            text(&self.status),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("kind", self.kind.to_string()),
            ("scope", format!("{} {}", self.scope, self.scope_id)),
            ("name", text(&self.name)),
            ("id", text(&self.id)),
            ("expires", text(&self.expires_on)),
            (
                "days left",
                self.days_left.map(|d| d.to_string()).unwrap_or_default(),
            ),
            ("status", text(&self.status)),
            ("within the window", self.within_window.to_string()),
        ]
    }
}

/// Whole days from `now` until `expires_on`, rounded down: 0 in the last day, -1 in the first day
/// after expiry.
pub fn days_left(expires_on: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let left = expires_on.signed_duration_since(now);
    let days = left.num_days(); // rounded toward zero
    if left < TimeDelta::zero() && left != TimeDelta::days(days) {
        days - 1
    } else {
        days
    }
}

/// Whether `c` counts as expiring: it expires at most `within` after `now` (or has expired), and
/// is not retired.
pub fn within_window(c: &Certificate, now: DateTime<Utc>, within: TimeDelta) -> bool {
    !c.retired
        && c.expires_on
            .is_some_and(|t| t.signed_duration_since(now) <= within)
}

/// The rows of `certificates`: the soonest expiry first, those without an expiry date last; ties in
/// kind, scope, name and id order.
pub fn rows(mut certificates: Vec<Certificate>, now: DateTime<Utc>, within: TimeDelta) -> Vec<Row> {
    sort(&mut certificates);
    certificates
        .into_iter()
        .map(|c| Row {
            kind: c.kind.label(),
            scope: c.owner.noun(),
            scope_id: c.owner.id().to_string(),
            within_window: within_window(&c, now, within),
            expires_on: c
                .expires_on
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            days_left: c.expires_on.map(|t| days_left(t, now)),
            name: c.name,
            id: c.id,
            status: c.status,
        })
        .collect()
}

/// Expiry order, no expiry last.
pub fn sort(certificates: &mut [Certificate]) {
    certificates.sort_by(|a, b| {
        let key = |c: &Certificate| (c.expires_on.is_none(), c.expires_on);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.owner.cmp(&b.owner))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// `2 of 14 certificates expire within 30 days`, and what was left out of the count.
pub fn summary(rows: &[Row], window: &str, failed: usize) -> String {
    let within = rows.iter().filter(|r| r.within_window).count();
    let total = rows.len();
    let noun = if total == 1 {
        "certificate"
    } else {
        "certificates"
    };
    let verb = if within == 1 { "expires" } else { "expire" };
    let mut line = format!("{within} of {total} {noun} {verb} within {window}");
    if within > 0 {
        line.push_str(&format!(" (marked {MARK})"));
    }
    if failed > 0 {
        let listings = if failed == 1 { "listing" } else { "listings" };
        line.push_str(&format!(
            "; {failed} {listings} failed: the inventory is incomplete"
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::expiring::inventory::{Kind, Owner};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a date")
            .with_timezone(&Utc)
    }

    fn cert(id: &str, expires_on: Option<&str>) -> Certificate {
        Certificate {
            kind: Kind::Mtls,
            owner: Owner::Account("a".into()),
            name: None,
            id: Some(id.into()),
            expires_on: expires_on.map(at),
            status: None,
            retired: false,
            unread_expiry: None,
        }
    }

    const NOW: &str = "2030-01-01T12:00:00Z";

    #[test]
    fn days_left_are_whole_days_rounded_down() {
        let now = at(NOW);
        assert_eq!(days_left(at("2030-01-11T12:00:00Z"), now), 10);
        assert_eq!(days_left(at("2030-01-11T11:59:59Z"), now), 9);
        assert_eq!(days_left(at("2030-01-01T12:00:01Z"), now), 0);
        assert_eq!(days_left(now, now), 0);
        // Expired: negative from the first second.
        assert_eq!(days_left(at("2030-01-01T11:59:59Z"), now), -1);
        assert_eq!(days_left(at("2029-12-31T12:00:00Z"), now), -1);
        assert_eq!(days_left(at("2029-12-31T11:59:59Z"), now), -2);
    }

    #[test]
    fn the_window_boundary_is_inside() {
        let now = at(NOW);
        let within = TimeDelta::days(30);
        let inside = cert("in", Some("2030-01-31T12:00:00Z"));
        let outside = cert("out", Some("2030-01-31T12:00:01Z"));
        let expired = cert("old", Some("2020-01-01T00:00:00Z"));
        assert!(within_window(&inside, now, within));
        assert!(!within_window(&outside, now, within));
        assert!(within_window(&expired, now, within));
        assert!(!within_window(&cert("never", None), now, within));
        // A zero window: only what has expired (or expires this instant).
        assert!(!within_window(&inside, now, TimeDelta::zero()));
        assert!(within_window(&expired, now, TimeDelta::zero()));
    }

    #[test]
    fn retired_certificates_never_count() {
        let mut revoked = cert("r", Some("2030-01-02T00:00:00Z"));
        revoked.retired = true;
        revoked.status = Some("revoked".into());
        let rows = rows(vec![revoked], at(NOW), TimeDelta::days(30));
        assert!(!rows[0].within_window);
        assert_eq!(rows[0].days_left, Some(0));
        assert_eq!(rows[0].status.as_deref(), Some("revoked"));
    }

    #[test]
    fn soonest_first_no_expiry_last() {
        let certs = vec![
            cert("none-b", None),
            cert("late", Some("2031-01-01T00:00:00Z")),
            cert("none-a", None),
            cert("expired", Some("2029-01-01T00:00:00Z")),
            cert("soon", Some("2030-01-05T00:00:00Z")),
        ];
        let rows = rows(certs, at(NOW), TimeDelta::days(30));
        let ids: Vec<&str> = rows.iter().filter_map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, ["expired", "soon", "late", "none-a", "none-b"]);
        let marked: Vec<bool> = rows.iter().map(|r| r.within_window).collect();
        assert_eq!(marked, [true, true, false, false, false]);
        assert_eq!(rows[0].expires_on.as_deref(), Some("2029-01-01T00:00:00Z"));
        assert_eq!(rows[3].expires_on, None);
        assert_eq!(rows[3].days_left, None);
    }

    #[test]
    fn ties_are_broken_by_kind_then_scope() {
        let date = Some("2030-06-01T00:00:00Z");
        let mut zone = cert("z", date);
        zone.owner = Owner::Zone("a".into());
        zone.kind = Kind::Access;
        let mut account = cert("a", date);
        account.kind = Kind::Access;
        let mtls = cert("m", date);
        let rows = rows(vec![zone, account, mtls], at(NOW), TimeDelta::days(1));
        let ids: Vec<&str> = rows.iter().filter_map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, ["m", "a", "z"]);
    }

    #[test]
    fn rows_have_one_cell_per_header_and_json_every_field() {
        let rows = rows(
            vec![cert("x", Some("2030-01-02T00:00:00Z"))],
            at(NOW),
            TimeDelta::days(30),
        );
        assert_eq!(rows[0].row().len(), Row::HEADERS.len());
        assert_eq!(rows[0].row()[0], MARK);
        assert_eq!(rows[0].row()[1], "2030-01-02");
        assert_eq!(rows[0].row()[4], "account a");
        let json = serde_json::to_value(&rows[0]).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "mtls", "scope": "account", "scope_id": "a", "name": null, "id": "x",
                "expires_on": "2030-01-02T00:00:00Z", "days_left": 0, "status": null,
                "within_window": true,
            })
        );
    }

    #[test]
    fn the_summary_counts_and_mentions_failures() {
        let rows = rows(
            vec![
                cert("a", Some("2030-01-02T00:00:00Z")),
                cert("b", Some("2030-01-03T00:00:00Z")),
                cert("c", None),
            ],
            at(NOW),
            TimeDelta::days(30),
        );
        assert_eq!(
            summary(&rows, "30 days", 0),
            "2 of 3 certificates expire within 30 days (marked *)"
        );
        assert_eq!(
            summary(&rows[2..], "12h", 1),
            "0 of 1 certificate expire within 12h; 1 listing failed: the inventory is incomplete"
        );
    }
}
