//! Lenient decoding of received data (README, "Received data"): a required field the response
//! left out, or a date that cannot be read, costs that field, not the response, and each such
//! field is logged with the JSON path of the value (`result[3].uploaded_on`).
//!
//! The generated types call [`missing`] and [`lenient_date`] (through `lenient_fields!`). Inside a
//! decode of the client ([`decode`]) those only count what degraded; when something did, the body
//! is read a second time through a deserializer that keeps the JSON path of the value being read
//! ([`tracked`]), and the hooks then record each degraded field with its path. Outside the client
//! (a user's own `serde_json::from_str` of a generated type) they log at once, naming the field.

mod tracked;

use serde::de::DeserializeOwned;
use std::cell::RefCell;

/// At most this many degraded fields of one response are logged with their paths; one more
/// warning counts the rest, so a response with a degraded field in each of 10,000 items costs
/// eleven log lines, not 10,000.
const LOGGED: usize = 10;

/// What went wrong with a field.
#[derive(Debug, Clone, PartialEq)]
enum Loss {
    /// A required field the response left out: its type's default is used.
    Missing,
    /// A date that is not an RFC 3339 string: left out.
    Date {
        /// The value as received (JSON).
        value: String,
        /// Why it could not be read.
        error: String,
    },
}

/// A field that cost itself, not the response.
#[derive(Debug, Clone, PartialEq)]
struct Degraded {
    /// The JSON path of the field in the body, when known.
    path: Option<String>,
    /// `Type.field` (the JSON name of the field).
    field: &'static str,
    loss: Loss,
}

/// One decode in progress on this thread.
#[derive(Default)]
struct Session {
    /// How many fields degraded.
    count: usize,
    /// Whether paths are kept (the second reading): the degraded fields, with their paths.
    tracking: bool,
    degraded: Vec<Degraded>,
    /// The JSON path of the value being read (second reading only).
    path: Vec<Segment>,
}

/// A step of a JSON path.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Runs `f` as a session of its own, giving back what it recorded; the session that was running
/// before (if any) is restored, also if `f` panics.
fn in_session<R>(tracking: bool, f: impl FnOnce() -> R) -> (R, Session) {
    struct Restore(Option<Session>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SESSION.with(|s| *s.borrow_mut() = previous);
        }
    }
    let fresh = Session {
        tracking,
        ..Session::default()
    };
    let previous = SESSION.with(|s| s.borrow_mut().replace(fresh));
    let restore = Restore(previous);
    let result = f();
    let session = SESSION.with(|s| s.borrow_mut().take()).unwrap_or_default();
    drop(restore);
    (result, session)
}

/// Why a JSON body is not a `T`: the JSON path of the failure (`result[3].expires_on`, `.` for the
/// root) and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invalid {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Decodes a JSON body as `T`: exactly one JSON value, then nothing but whitespace. The one decode
/// policy of the client, whatever the result type and the envelope:
///
/// - the first reading is serde straight from the bytes, and it is the only reading whose value
///   is ever returned;
/// - when a field of that value degraded, each one is logged once with its path ([`report`]);
/// - when the body is not a `T`, it is read once more, only to find the path of the failure
///   ([`locate`]): that reading's value, if any, is dropped, and with no result nothing is logged
///   as degraded.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Invalid> {
    let (result, session) = in_session(false, || serde_json::from_slice::<T>(body));
    match result {
        Ok(value) => {
            if session.count > 0 {
                report::<T>(body, session.count);
            }
            Ok(value)
        }
        Err(error) => Err(locate::<T>(body, &error)),
    }
}

/// Where a body that is not a `T` goes wrong: read again through `serde_path_to_error` for the
/// JSON path, the hooks counting in a session of their own (the caller returns an error, so
/// nothing degraded is logged). A body whose value reads but is followed by more than whitespace
/// is named as such, with the offset of the first byte after the value.
fn locate<T: DeserializeOwned>(body: &[u8], first: &serde_json::Error) -> Invalid {
    in_session(false, || {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => Invalid {
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            },
            // The value is dropped here: it is never a result.
            Ok(_) => match de.end() {
                Err(end) => trailing(body, &end),
                Ok(()) => Invalid {
                    path: ".".into(),
                    message: first.to_string(),
                },
            },
        }
    })
    .0
}

/// How many bytes after the JSON value are shown in the error.
const TRAILING_SHOWN: usize = 32;

/// The failure of a body that holds a complete JSON value followed by more than whitespace (a
/// second envelope, an error page an edge appended, NUL padding); `error` is serde_json's, whose
/// line and column are those of the first byte after the value.
fn trailing(body: &[u8], error: &serde_json::Error) -> Invalid {
    let line_start = match error.line() {
        0 | 1 => 0,
        line => memchr::memchr_iter(b'\n', body)
            .nth(line - 2)
            .map_or(body.len(), |i| i + 1),
    };
    let from = (line_start + error.column().saturating_sub(1)).min(body.len());
    let rest = &body[from..];
    let shown = &rest[..rest.len().min(TRAILING_SHOWN)];
    let more = if rest.len() > shown.len() { "…" } else { "" };
    Invalid {
        path: ".".into(),
        message: format!(
            "{} byte{} after the JSON value, from byte offset {from} of {}: `{}{more}`",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" },
            body.len(),
            shown.escape_ascii(),
        ),
    }
}

/// Logs the degraded fields of a body that decoded, with their paths.
fn report<T: DeserializeOwned>(body: &[u8], count: usize) {
    let (again, session) = in_session(true, || tracked::read::<T>(body));
    let degraded = match again {
        Ok(()) => session.degraded,
        // Read once already, so this does not happen; if it did, the count is still logged.
        Err(_) => Vec::new(),
    };
    for d in &degraded {
        log(d);
    }
    if count > degraded.len() {
        tracing::warn!(
            more = count - degraded.len(),
            "more fields of the same response were left out or defaulted (only the first {LOGGED} are logged)"
        );
    }
}

fn log(d: &Degraded) {
    let path = d.path.as_deref().unwrap_or("");
    let field = d.field;
    match &d.loss {
        Loss::Missing => tracing::warn!(
            path,
            field,
            "a required field is missing from the response; its default value is used"
        ),
        Loss::Date { value, error } => tracing::warn!(
            path,
            field,
            value = %value,
            error = %error,
            "an unreadable date in the response is left out"
        ),
    }
}

/// Records (or, outside a decode of the client, logs) a field that degraded.
fn degraded(field: &'static str, loss: Loss) {
    let unrecorded = SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let Some(session) = s.as_mut() else {
            return Some(loss);
        };
        session.count += 1;
        if session.tracking && session.degraded.len() < LOGGED {
            let path = session.path_of(field, &loss);
            session.degraded.push(Degraded {
                path: Some(path),
                field,
                loss,
            });
        }
        None
    });
    if let Some(loss) = unrecorded {
        log(&Degraded {
            path: None,
            field,
            loss,
        });
    }
}

impl Session {
    /// The path of `field` (`Type.key`): a missing field is a key of the object being read; a date
    /// is the value being read (its key is added when the value was read from a buffer, as serde
    /// does for `flatten`ed fields and internally tagged unions).
    fn path_of(&self, field: &str, loss: &Loss) -> String {
        let key = field.split_once('.').map_or(field, |(_, key)| key);
        let mut path = self.path.clone();
        let at_key = matches!(path.last(), Some(Segment::Key(k)) if k == key);
        if matches!(loss, Loss::Missing) || !at_key {
            path.push(Segment::Key(key.to_string()));
        }
        format_path(&path)
    }
}

/// `result[3].uploaded_on`, as `serde_path_to_error` writes paths in decode errors.
fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Runs `f` with `segment` added to the path being read, when paths are kept.
fn within<R>(segment: impl FnOnce() -> Segment, f: impl FnOnce() -> R) -> R {
    let tracking = SESSION.with(|s| match s.borrow_mut().as_mut() {
        Some(session) if session.tracking => {
            session.path.push(segment());
            true
        }
        _ => false,
    });
    let result = f();
    if tracking {
        SESSION.with(|s| {
            if let Some(session) = s.borrow_mut().as_mut() {
                session.path.pop();
            }
        });
    }
    result
}

/// The value of a required field of a received type that the response left out: the type's
/// default, recorded as degraded. One field never costs the whole response.
pub fn missing<T: Default>(field: &'static str) -> T {
    degraded(field, Loss::Missing);
    T::default()
}

/// What a lenient date field holds: `Option<DateTime>` (`None` when unreadable) or `DateTime`
/// (the Unix epoch, `DateTime`'s default, when unreadable).
pub trait LenientDate: Sized {
    /// From the date read, if it could be.
    fn from_date(date: Option<chrono::DateTime<chrono::Utc>>) -> Self;
}

impl LenientDate for Option<chrono::DateTime<chrono::Utc>> {
    fn from_date(date: Option<chrono::DateTime<chrono::Utc>>) -> Self {
        date
    }
}

impl LenientDate for chrono::DateTime<chrono::Utc> {
    fn from_date(date: Option<chrono::DateTime<chrono::Utc>>) -> Self {
        date.unwrap_or_default()
    }
}

/// A `date-time` field of a received type: an RFC 3339 string is the date; `null` is no date; an
/// empty string, another layout or another JSON type costs the field (recorded as degraded), not
/// the response.
pub fn lenient_date<'de, D, T>(deserializer: D, field: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: LenientDate,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    let date = match &value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(date) => Some(date.with_timezone(&chrono::Utc)),
            Err(e) => {
                let error = e.to_string();
                degraded(
                    field,
                    Loss::Date {
                        value: value.to_string(),
                        error,
                    },
                );
                None
            }
        },
        other => {
            let error = "not a string".to_string();
            degraded(
                field,
                Loss::Date {
                    value: other.to_string(),
                    error,
                },
            );
            None
        }
    };
    Ok(T::from_date(date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::{json, Value};

    type Date = Option<chrono::DateTime<chrono::Utc>>;

    /// A received type as the generator emits it: a required field and a date, lenient, plus a
    /// nested object and a flattened part with lenient fields of their own.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        #[serde(default = "Item::missing_name")]
        name: String,
        #[serde(default, deserialize_with = "Item::date")]
        on: Date,
        #[serde(default)]
        inner: Option<Inner>,
        #[serde(flatten)]
        extra: Extra,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(default = "Inner::missing_id")]
        id: String,
        #[serde(default, deserialize_with = "Inner::date")]
        at: Date,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Extra {
        #[serde(default = "Extra::missing_flag")]
        flag: bool,
        #[serde(default, deserialize_with = "Extra::date")]
        until: Date,
    }

    impl Item {
        fn missing_name() -> String {
            missing("Item.name")
        }
        fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
            lenient_date(d, "Item.on")
        }
    }

    impl Inner {
        fn missing_id() -> String {
            missing("Inner.id")
        }
        fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
            lenient_date(d, "Inner.at")
        }
    }

    impl Extra {
        fn missing_flag() -> bool {
            missing("Extra.flag")
        }
        fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
            lenient_date(d, "Extra.until")
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        result: Vec<Item>,
    }

    /// What the second reading recorded: how many fields degraded, and the paths kept.
    fn paths(body: &str) -> (usize, Vec<String>) {
        let (read, session) = in_session(true, || tracked::read::<Body>(body.as_bytes()));
        read.expect("the body reads");
        let paths = session
            .degraded
            .iter()
            .filter_map(|d| d.path.clone())
            .collect();
        (session.count, paths)
    }

    #[test]
    fn paths_name_the_item_and_the_field() {
        let body = r#"{"result": [
            {"name": "a", "on": "2030-01-01T00:00:00Z", "flag": true},
            {"on": "", "flag": false, "inner": {"at": "x"}},
            {"name": "c", "on": 7, "until": "never"}
        ]}"#;
        let (count, mut paths) = paths(body);
        paths.sort();
        assert_eq!(count, 7);
        assert_eq!(
            paths,
            [
                "result[1].inner.at",
                "result[1].inner.id",
                "result[1].name",
                "result[1].on",
                "result[2].flag",
                "result[2].on",
                "result[2].until",
            ]
        );
    }

    #[test]
    fn at_most_the_first_few_are_kept_and_all_are_counted() {
        let items = vec![r#"{"on": "x", "flag": true}"#; LOGGED * 3].join(",");
        let (count, paths) = paths(&format!(r#"{{"result": [{items}]}}"#));
        assert_eq!(count, LOGGED * 3 * 2);
        assert_eq!(paths.len(), LOGGED);
        assert!(paths.contains(&"result[1].on".to_string()), "{paths:?}");
    }

    #[test]
    fn a_decode_restores_the_session_around_it() {
        let (outer, session) = in_session(false, || {
            decode::<Body>(br#"{"result": [{"on": ""}]}"#).map(|b| b.result.len())
        });
        assert_eq!(outer.ok(), Some(1));
        assert_eq!(
            session.count, 0,
            "the inner decode counted in its own session"
        );
        SESSION.with(|s| assert!(s.borrow().is_none()));
    }

    #[test]
    fn the_root_path_is_a_dot() {
        assert_eq!(format_path(&[]), ".");
        assert_eq!(
            format_path(&[Segment::Index(0), Segment::Key("a".into())]),
            "[0].a"
        );
    }

    /// A field of a generated item: absent, `null`, readable, or unreadable (the last two only
    /// mean something for dates).
    #[derive(Debug, Clone, Copy)]
    enum Given {
        Absent,
        Null,
        Good,
        Bad,
    }

    fn given() -> impl Strategy<Value = Given> {
        prop_oneof![
            Just(Given::Absent),
            Just(Given::Null),
            Just(Given::Good),
            Just(Given::Bad)
        ]
    }

    /// Puts `key` into `object` as `given` says; whether that degrades the field.
    fn put(
        object: &mut serde_json::Map<String, Value>,
        key: &str,
        given: Given,
        date: bool,
    ) -> bool {
        let good = if date {
            json!("2030-01-01T00:00:00Z")
        } else if key == "flag" {
            json!(true)
        } else {
            json!("x")
        };
        let bad = if date {
            json!("not a date")
        } else {
            good.clone()
        };
        match given {
            Given::Absent => !date,
            Given::Null if date => {
                object.insert(key.into(), Value::Null);
                false
            }
            Given::Null | Given::Good => {
                object.insert(key.into(), good);
                false
            }
            Given::Bad => {
                object.insert(key.into(), bad);
                date
            }
        }
    }

    proptest! {
        /// Every degraded field of a generated body is counted, and each one kept is named by the
        /// path of its value: nested objects, flattened parts, indices and keys.
        #[test]
        fn generated_bodies_name_each_degraded_field(
            items in proptest::collection::vec(
                (given(), given(), given(), given(), proptest::option::of((given(), given()))),
                0..6,
            )
        ) {
            let mut expected = Vec::new();
            let mut result = Vec::new();
            for (i, (name, on, flag, until, inner)) in items.into_iter().enumerate() {
                let mut item = serde_json::Map::new();
                for (key, given, date) in [("name", name, false), ("on", on, true), ("flag", flag, false), ("until", until, true)] {
                    if put(&mut item, key, given, date) {
                        expected.push(format!("result[{i}].{key}"));
                    }
                }
                if let Some((id, at)) = inner {
                    let mut object = serde_json::Map::new();
                    for (key, given, date) in [("id", id, false), ("at", at, true)] {
                        if put(&mut object, key, given, date) {
                            expected.push(format!("result[{i}].inner.{key}"));
                        }
                    }
                    item.insert("inner".into(), Value::Object(object));
                }
                result.push(Value::Object(item));
            }
            let body = json!({ "result": result }).to_string();
            let (count, paths) = paths(&body);
            prop_assert_eq!(count, expected.len());
            prop_assert_eq!(paths.len(), expected.len().min(LOGGED));
            for path in &paths {
                prop_assert!(expected.contains(path), "{} not in {:?}", path, expected);
            }
            let (first, counted) = in_session(false, || serde_json::from_str::<Body>(&body));
            prop_assert!(first.is_ok());
            prop_assert_eq!(counted.count, expected.len(), "the first reading counts the same");
        }
    }
}
