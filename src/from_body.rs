//! How a response body becomes a call's result: [`FromBody`], which every result type implements,
//! and the ways of reading a body ([`Decode`], which the generated code gives each operation).

use crate::envelope::{Envelope, EnvelopeStatus, Page, RawEnvelope};
use crate::error::{ApiError, Error};
use reqwest::StatusCode;
use serde::de::value::{BytesDeserializer, StrDeserializer, UnitDeserializer};
use serde::de::DeserializeOwned;

/// How an operation's response body is read; the result type does the reading ([`FromBody`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Cloudflare's envelope: `success` checked, `result` returned.
    Envelope,
    /// Cloudflare's envelope around a list, read into a [`Page`].
    Page,
    /// Cloudflare's envelope around a list that is not paged: an absent or `null` `result` is an
    /// empty list (both of Cloudflare's documents mark these arrays nullable).
    EnvelopeList,
    /// The whole JSON body is the result.
    Whole,
    /// A `text/*` body, as a string.
    Text,
    /// Any other media type, as bytes.
    Binary,
    /// No body expected; whatever came is ignored.
    Empty,
}

/// A result type that a [`Call`](crate::Call) can read from a response body.
///
/// It is implemented for every type that implements [`DeserializeOwned`], and for
/// [`Page<T>`](crate::Page) of such types: that covers the result of every generated method. You do
/// not implement it; you name it as a bound when you write code that is generic over calls.
///
/// ```
/// use cloudflare_mtls::{Call, Error, FromBody};
///
/// /// Sends any call, logging which operation it was.
/// async fn send_logged<T: FromBody>(call: Call<'_, T>) -> Result<T, Error> {
///     println!("calling {}", call.path_template());
///     call.send().await
/// }
/// ```
pub trait FromBody: Sized {
    /// Reads `body` as `decode` says.
    #[doc(hidden)]
    fn from_body(decode: Decode, body: &[u8]) -> Result<Envelope<Self>, DecodeFailure>;
}

impl<T: DeserializeOwned> FromBody for T {
    #[doc(hidden)]
    fn from_body(decode: Decode, body: &[u8]) -> Result<Envelope<T>, DecodeFailure> {
        match decode {
            Decode::Envelope | Decode::Page => envelope(body, serde_json::Value::Null),
            Decode::EnvelopeList => envelope(body, serde_json::Value::Array(Vec::new())),
            Decode::Whole => whole(body),
            Decode::Text => {
                let text = std::str::from_utf8(body)
                    .map_err(|e| DecodeFailure::Invalid(".".into(), e.to_string()))?;
                bare(T::deserialize(StrDeserializer::new(text)))
            }
            Decode::Binary => bare(T::deserialize(BytesDeserializer::new(body))),
            Decode::Empty => bare(T::deserialize(UnitDeserializer::new())),
        }
    }
}

impl<T: DeserializeOwned> FromBody for Page<T> {
    #[doc(hidden)]
    fn from_body(_decode: Decode, body: &[u8]) -> Result<Envelope<Page<T>>, DecodeFailure> {
        page(body)
    }
}

/// A result read without serde_json (text, bytes, nothing), with no envelope around it.
fn bare<T>(result: Result<T, serde::de::value::Error>) -> Result<Envelope<T>, DecodeFailure> {
    result
        .map(unwrapped)
        .map_err(|e| DecodeFailure::Invalid(".".into(), e.to_string()))
}

/// The envelope of a result that came without one.
fn unwrapped<T>(result: T) -> Envelope<T> {
    Envelope {
        result,
        errors: Vec::new(),
        messages: Vec::new(),
        result_info: None,
    }
}

/// Why a 2xx body was not a result.
pub enum DecodeFailure {
    /// `success: false` in the envelope.
    Unsuccessful(EnvelopeStatus),
    /// The body does not match the type: JSON path and message.
    Invalid(String, String),
}

impl DecodeFailure {
    pub(crate) fn into_error(self, status: StatusCode, ray_id: Option<String>) -> Error {
        match self {
            DecodeFailure::Unsuccessful(env) => Error::Api(Box::new(ApiError {
                status,
                errors: env.errors.unwrap_or_default(),
                messages: env.messages.unwrap_or_default(),
                ray_id,
                body_snippet: None,
            })),
            DecodeFailure::Invalid(path, message) => Error::Decode {
                status,
                path,
                message,
                ray_id,
            },
        }
    }
}

/// A JSON body as `T`, by the client's one decode policy ([`crate::lenient::decode`]).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    crate::lenient::decode(body).map_err(|e| DecodeFailure::Invalid(e.path, e.message))
}

/// A failed typed decode of an envelope: `success: false` wins over the type mismatch.
fn unsuccessful_or(body: &[u8], failure: DecodeFailure) -> DecodeFailure {
    match serde_json::from_slice::<EnvelopeStatus>(body) {
        Ok(status) if status.success == Some(false) => DecodeFailure::Unsuccessful(status),
        _ => failure,
    }
}

fn check<R>(raw: RawEnvelope<R>) -> Result<RawEnvelope<R>, DecodeFailure> {
    if raw.success == Some(false) {
        return Err(DecodeFailure::Unsuccessful(EnvelopeStatus {
            success: raw.success,
            errors: raw.errors,
            messages: raw.messages,
        }));
    }
    Ok(raw)
}

/// Cloudflare's envelope; the result is `result`, and an absent or `null` one is read as `absent`
/// (`null`: fine for `()`, `Option` and `Value` results; `[]` for a list).
pub fn envelope<T: DeserializeOwned>(
    body: &[u8],
    absent: serde_json::Value,
) -> Result<Envelope<T>, DecodeFailure> {
    let raw: RawEnvelope<T> = parse(body).map_err(|f| unsuccessful_or(body, f))?;
    let raw = check(raw)?;
    let result = match raw.result {
        Some(r) => r,
        None => serde_json::from_value(absent).map_err(|_| {
            DecodeFailure::Invalid("result".into(), "missing or null `result`".into())
        })?,
    };
    Ok(Envelope {
        result,
        errors: raw.errors.unwrap_or_default(),
        messages: raw.messages.unwrap_or_default(),
        result_info: raw.result_info,
    })
}

/// Cloudflare's envelope around a list; the result is a [`Page`].
fn page<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<Page<T>>, DecodeFailure> {
    let raw: RawEnvelope<Vec<T>> = parse(body).map_err(|f| unsuccessful_or(body, f))?;
    let raw = check(raw)?;
    Ok(Envelope {
        result: Page {
            items: raw.result.unwrap_or_default(),
            result_info: raw.result_info.clone(),
        },
        errors: raw.errors.unwrap_or_default(),
        messages: raw.messages.unwrap_or_default(),
        result_info: raw.result_info,
    })
}

/// No envelope: the body is the result.
fn whole<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>, DecodeFailure> {
    let result = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_value(serde_json::Value::Null)
            .map_err(|_| DecodeFailure::Invalid(".".into(), "empty body".into()))?
    } else {
        parse(body)?
    };
    Ok(unwrapped(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lenient::{lenient_date, missing};
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::json;

    /// A received type as the generator emits it: a required field and a date, both lenient.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        #[serde(default = "Item::missing_name")]
        name: String,
        #[serde(default, deserialize_with = "Item::date")]
        on: Option<chrono::DateTime<chrono::Utc>>,
    }

    impl Item {
        fn missing_name() -> String {
            missing("Item.name")
        }
        fn date<'de, D: serde::Deserializer<'de>>(
            d: D,
        ) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
            lenient_date(d, "Item.on")
        }
    }

    /// Every kind of body the generated client decodes as JSON.
    #[derive(Debug, Clone, Copy)]
    enum Kind {
        /// Cloudflare's envelope around one object (`Decode::Envelope`).
        Object,
        /// The envelope around a list that is not paged (`Decode::EnvelopeList`).
        List,
        /// The envelope around a page of a list (`Page<T>`).
        Page,
        /// No envelope (`Decode::Whole`).
        Bare,
    }

    /// A body of `kind` holding `items`; degraded items leave out the name and spoil the date.
    fn body(kind: Kind, items: usize, degraded: bool) -> Vec<u8> {
        let item = if degraded {
            json!({ "on": 12345 })
        } else {
            json!({ "name": "ca", "on": "2030-01-01T00:00:00Z" })
        };
        let list = serde_json::Value::Array(vec![item.clone(); items]);
        let value = match kind {
            Kind::Object => {
                json!({ "success": true, "errors": [], "messages": [], "result": item })
            }
            Kind::List => json!({ "success": true, "errors": [], "messages": [], "result": list }),
            Kind::Page => json!({
                "success": true, "errors": [], "messages": [], "result": list,
                "result_info": { "page": 1, "per_page": 20, "count": items, "total_count": items }
            }),
            Kind::Bare => item,
        };
        serde_json::to_vec(&value).expect("serializes")
    }

    /// Decodes `body` as the generated client decodes `kind`: the items, or the failure's path and
    /// message.
    fn decode(kind: Kind, body: &[u8]) -> Result<Vec<Item>, (String, String)> {
        let result = match kind {
            Kind::Object => Item::from_body(Decode::Envelope, body).map(|e| vec![e.result]),
            Kind::List => Vec::<Item>::from_body(Decode::EnvelopeList, body).map(|e| e.result),
            Kind::Page => Page::<Item>::from_body(Decode::Page, body).map(|e| e.result.items),
            Kind::Bare => Item::from_body(Decode::Whole, body).map(|e| vec![e.result]),
        };
        result.map_err(|failure| match failure {
            DecodeFailure::Invalid(path, message) => (path, message),
            DecodeFailure::Unsuccessful(status) => (
                "(unsuccessful)".into(),
                format!("success: {:?}", status.success),
            ),
        })
    }

    fn kind() -> impl Strategy<Value = Kind> {
        prop_oneof![
            Just(Kind::Object),
            Just(Kind::List),
            Just(Kind::Page),
            Just(Kind::Bare)
        ]
    }

    /// What may follow a body: whitespace, then NULs, more JSON (a second envelope saying
    /// `success: false` among it), or any bytes at all.
    fn suffix() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
        let whitespace = proptest::collection::vec(
            prop_oneof![Just(b' '), Just(b'\t'), Just(b'\n'), Just(b'\r')],
            0..4,
        );
        let tail = prop_oneof![
            Just(Vec::new()),
            proptest::collection::vec(Just(0u8), 1..4),
            prop_oneof![
                Just(
                    br#"{"success": false, "errors": [{"code": 10000, "message": "no"}]}"#.to_vec()
                ),
                Just(br#"{"success": true, "result": null}"#.to_vec()),
                Just(b"[1, 2]".to_vec()),
                Just(b"null".to_vec()),
                Just(b"7".to_vec()),
                Just(br#""x""#.to_vec()),
            ],
            Just(b" garbage".to_vec()),
            proptest::collection::vec(any::<u8>(), 1..24),
        ];
        (whitespace, tail)
    }

    proptest! {
        /// Bytes after a complete body: whitespace changes nothing; anything else is a decode
        /// error at the root giving the offset of the first such byte, for every kind of body,
        /// with or without degraded fields (the second decode path), and never the value read.
        #[test]
        fn a_body_is_exactly_one_json_value(
            kind in kind(),
            items in 0usize..3,
            degraded in any::<bool>(),
            (spaces, tail) in suffix(),
        ) {
            let base = body(kind, items, degraded);
            let expected = decode(kind, &base).expect("the body alone decodes");
            let mut sent = base.clone();
            sent.extend_from_slice(&spaces);
            sent.extend_from_slice(&tail);
            // JSON's whitespace, which is not all of ASCII's (no form feed).
            let json_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
            let only_whitespace = tail.iter().all(json_space);
            match decode(kind, &sent) {
                Ok(got) => {
                    prop_assert!(only_whitespace, "decoded despite {:?}", tail);
                    prop_assert_eq!(got, expected);
                }
                Err((path, message)) => {
                    prop_assert!(!only_whitespace, "{} {}", path, message);
                    let first = tail.iter().position(|b| !json_space(b)).unwrap_or(0);
                    let offset = base.len() + spaces.len() + first;
                    prop_assert_eq!(path, ".");
                    prop_assert!(
                        message.contains(&format!("from byte offset {offset} of {}", sent.len())),
                        "{}", message
                    );
                }
            }
        }
    }

    #[test]
    fn trailing_bytes_on_a_later_line_give_the_byte_offset() {
        let body = b"{\"success\": true,\n \"result\": {\"name\": \"a\"}\n}\n\n  x";
        let (path, message) = decode(Kind::Object, body).expect_err("trailing x");
        assert_eq!(path, ".");
        assert_eq!(
            message,
            format!(
                "1 byte after the JSON value, from byte offset {} of {}: `x`",
                body.len() - 1,
                body.len()
            )
        );
    }

    #[test]
    fn a_wrong_type_with_trailing_bytes_names_the_field() {
        let (path, _) = decode(Kind::Object, br#"{"result": {"name": 5}} xx"#).expect_err("type");
        assert_eq!(path, "result.name");
    }
}
