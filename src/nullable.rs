//! [`Nullable`]: a request field that can be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request field Cloudflare reads three ways: left out (the setting stays as it is), `null` (it
/// is cleared: for `HostnameOriginPullConfig::enabled`, "a null value voids the association"), or
/// a value.
///
/// The generator uses it for every field of a request type that is optional and `nullable` in the
/// API description; an `Option` could not tell "leave it" from "clear it". The field is skipped
/// when [`Nullable::Absent`], which is the default.
///
/// ```
/// use cloudflare_mtls::Nullable;
///
/// let on: Nullable<bool> = true.into();
/// assert_eq!(on, Nullable::Value(true));
/// let cleared: Nullable<bool> = None.into();
/// assert_eq!(cleared, Nullable::Null);
/// assert!(Nullable::<bool>::default().is_absent());
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
    /// Whether the field is left out (the `skip_serializing_if` of generated fields).
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

/// Present and `null` is [`Nullable::Null`]; a missing field is [`Nullable::Absent`] through
/// `#[serde(default)]`, which generated fields carry.
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
