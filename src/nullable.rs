//! [`Nullable`]: a request field that can be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request field that Cloudflare reads three ways: left out (the setting stays as it is),
/// `null` (the setting is cleared), or a value.
///
/// An `Option` cannot tell "leave it as it is" from "clear it", so the request fields where
/// Cloudflare makes that difference are `Nullable`:
/// [`HostnameOriginPullConfig::enabled`](crate::types::HostnameOriginPullConfig#structfield.enabled)
/// is one, where `null` "voids the association". A field is [`Nullable::Absent`] by default, and
/// an absent field is left out of the request.
///
/// A value converts into `Nullable::Value`, and `None` into `Nullable::Null`, so setters that take
/// `impl Into<Nullable<T>>` accept `true` or `None`.
///
/// ```
/// use cloudflare_mtls::types::HostnameOriginPullConfig;
/// use cloudflare_mtls::Nullable;
///
/// let on: Nullable<bool> = true.into();
/// assert_eq!(on, Nullable::Value(true));
/// let cleared: Nullable<bool> = None.into();
/// assert_eq!(cleared, Nullable::Null);
/// assert!(Nullable::<bool>::default().is_absent());
///
/// // Voids the association of a hostname's certificate: `"enabled": null` is sent.
/// let void = HostnameOriginPullConfig::new()
///     .hostname("app.example.com")
///     .cert_id("2458ce5a-0c35-4c7f-82c7-8e9487d3ff60")
///     .enabled(None);
/// assert!(void.enabled.is_null());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Not sent: the server keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`: the server clears the value.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the request.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, consuming the field.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value passed through `f`; absent and `null` stay as they are.
    ///
    /// ```
    /// use cloudflare_mtls::Nullable;
    ///
    /// assert_eq!(Nullable::Value(2).map(|n| n * 2), Nullable::Value(4));
    /// assert_eq!(Nullable::<i32>::Null.map(Box::new), Nullable::Null);
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Value(v) => Nullable::Value(f(v)),
            Nullable::Null => Nullable::Null,
            Nullable::Absent => Nullable::Absent,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some(v)` is a value, `None` is `null` (to leave the field out, use [`Nullable::Absent`]).
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached without `skip_serializing_if` (a field inside a list, say): `null` is
            // the closest a serializer can come to "not there".
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

/// `null` is [`Nullable::Null`], a value is [`Nullable::Value`]. A field missing from the JSON is
/// [`Nullable::Absent`] in the generated types (they mark these fields `#[serde(default)]`).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Config {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        enabled: Nullable<bool>,
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        for (value, json) in [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"enabled":null}"#),
            (Nullable::Value(false), r#"{"enabled":false}"#),
            (Nullable::Value(true), r#"{"enabled":true}"#),
        ] {
            let config = Config { enabled: value };
            assert_eq!(serde_json::to_string(&config).unwrap(), json);
            assert_eq!(serde_json::from_str::<Config>(json).unwrap(), config);
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::Value(3).value(), Some(&3));
        assert_eq!(Nullable::<i32>::Null.into_value(), None);
        assert!(Nullable::<i32>::Null.is_null());
    }
}
