//! Items the generated code uses. Not part of the public API: nothing here is meant to be named
//! by users ([`FromBody`](crate::FromBody), which is, lives in the crate root).

use std::fmt;

pub use crate::from_body::Decode;
pub use crate::lenient::{lenient_date, missing, LenientDate};
pub use bytes::Bytes;
pub use reqwest::Method;

/// Percent-encodes one path segment (progenitor-client), plus `\\`, which URL parsers treat as `/`.
/// A segment that is `.` or `..` cannot be made safe by encoding (URL parsers remove `%2E%2E` too),
/// nor can an empty one: [`crate::Call`] refuses such a request before it is sent.
pub fn encode_path(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_encoded_path(&mut out, segment);
    out
}

/// Appends `segment` to `out`, percent-encoded as [`encode_path`] does.
pub(crate) fn push_encoded_path(out: &mut String, segment: &str) {
    // Ids are nearly always unreserved characters, which no encoding changes: copied as they are.
    if segment.bytes().all(|b| UNRESERVED[b as usize]) {
        out.push_str(segment);
        return;
    }
    let encoded = progenitor_client::encode_path(segment);
    out.push_str(&encoded.replace('\\', "%5C"));
}

/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), which percent-encoding leaves alone.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Values that can be sent as a query or header parameter.
pub trait ParamValue {
    /// The text sent.
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_param!(str, String, i64, f64, bool);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// Prints `<redacted>` in place of a secret value.
pub struct Redacted<'a, T>(pub &'a T);

impl<T> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_are_encoded_and_plain_segments_kept() {
        assert_eq!(encode_path("a\\b"), "a%5Cb");
        assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path("023e105f4ecef8ad"), "023e105f4ecef8ad");
    }
}
