//! UTC date-times, as the decoded `format: date-time` fields hold them.

use chrono::{DateTime, NaiveDate, Utc};

/// A UTC date-time; panics on a date that does not exist.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_nano_opt(h, mi, s, nanos))
        .expect("valid date")
        .and_utc()
}
