//! The table columns and detail fields of each result type. Certificates' PEM text and private
//! keys are never part of a table (`--json` has the PEM; nothing has the key).

use crate::output::View;
use cloudflare_mtls::types::{
    AccessCertificate, AccessCertificateSettings, AuthenticatedOriginPull, ClientCertificate,
    HostnameAuthenticatedOriginPull, HostnameCertificate, MtlsCertificate,
    MtlsCertificateAssociation, OriginPullSetting, UploadedMtlsCertificate,
    ZoneAuthenticatedOriginPull,
};
use std::fmt::Display;

/// An optional value as text; empty when absent. Timestamps show as `2035-11-22 16:39:00 UTC`.
fn show<T: Display>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// The day of a timestamp, for table columns.
fn day<T: Display>(v: &Option<T>) -> String {
    let full = show(v);
    match full.get(..10) {
        Some(d) if d.as_bytes().get(4) == Some(&b'-') => d.to_string(),
        _ => full,
    }
}

fn ca_or_leaf(ca: Option<bool>) -> String {
    match ca {
        Some(true) => "CA".into(),
        Some(false) => "leaf".into(),
        None => String::new(),
    }
}

/// A hostname of a zone, as a table row (`--json`: a string).
pub struct Hostname(pub String);

impl serde::Serialize for Hostname {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Hostname {
    /// The hostnames of a result (`None` is none).
    pub fn all(hostnames: Option<Vec<String>>) -> Vec<Hostname> {
        hostnames
            .unwrap_or_default()
            .into_iter()
            .map(Hostname)
            .collect()
    }
}

impl View for Hostname {
    const HEADERS: &'static [&'static str] = &["HOSTNAME"];
    fn row(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![("hostname", self.0.clone())]
    }
}

impl View for MtlsCertificate {
    const HEADERS: &'static [&'static str] = &["ID", "NAME", "TYPE", "ISSUER", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.name),
            ca_or_leaf(self.ca),
            show(&self.issuer),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("name", show(&self.name)),
            ("type", ca_or_leaf(self.ca)),
            ("issuer", show(&self.issuer)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("uploaded", show(&self.uploaded_on)),
        ]
    }
}

impl View for UploadedMtlsCertificate {
    const HEADERS: &'static [&'static str] = MtlsCertificate::HEADERS;
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.name),
            ca_or_leaf(self.ca),
            show(&self.issuer),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("name", show(&self.name)),
            ("type", ca_or_leaf(self.ca)),
            ("issuer", show(&self.issuer)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("uploaded", show(&self.uploaded_on)),
        ]
    }
}

impl View for MtlsCertificateAssociation {
    const HEADERS: &'static [&'static str] = &["SERVICE", "STATUS"];
    fn row(&self) -> Vec<String> {
        vec![show(&self.service), show(&self.status)]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("service", show(&self.service)),
            ("status", show(&self.status)),
        ]
    }
}

impl View for AccessCertificate {
    const HEADERS: &'static [&'static str] = &["ID", "NAME", "HOSTNAMES", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.name),
            hostnames(&self.associated_hostnames),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("name", show(&self.name)),
            ("hostnames", hostnames(&self.associated_hostnames)),
            ("fingerprint (MD5)", show(&self.fingerprint)),
            ("expires", show(&self.expires_on)),
            ("created", show(&self.created_at)),
            ("updated", show(&self.updated_at)),
        ]
    }
}

fn hostnames(v: &Option<Vec<String>>) -> String {
    v.as_deref().unwrap_or_default().join(", ")
}

impl View for AccessCertificateSettings {
    const HEADERS: &'static [&'static str] =
        &["HOSTNAME", "CLIENT CERT FORWARDING", "CHINA NETWORK"];
    fn row(&self) -> Vec<String> {
        vec![
            self.hostname.clone(),
            yes_no(Some(self.client_certificate_forwarding)),
            yes_no(Some(self.china_network)),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("hostname", self.hostname.clone()),
            (
                "client certificate forwarding",
                yes_no(Some(self.client_certificate_forwarding)),
            ),
            ("china network", yes_no(Some(self.china_network))),
        ]
    }
}

impl View for ClientCertificate {
    const HEADERS: &'static [&'static str] = &["ID", "COMMON NAME", "STATUS", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.common_name),
            show(&self.status),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let ca = self
            .certificate_authority
            .as_ref()
            .and_then(|ca| ca.name.clone());
        vec![
            ("id", show(&self.id)),
            ("common name", show(&self.common_name)),
            ("status", show(&self.status)),
            ("organization", show(&self.organization)),
            ("organizational unit", show(&self.organizational_unit)),
            ("location", show(&self.location)),
            ("state", show(&self.state)),
            ("country", show(&self.country)),
            ("issued by", show(&ca)),
            ("issued", show(&self.issued_on)),
            ("expires", show(&self.expires_on)),
            ("validity days", show(&self.validity_days)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("fingerprint (SHA-256)", show(&self.fingerprint_sha256)),
            ("subject key id", show(&self.ski)),
        ]
    }
}

impl View for ZoneAuthenticatedOriginPull {
    const HEADERS: &'static [&'static str] = &["ID", "STATUS", "ISSUER", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.status),
            show(&self.issuer),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("status", show(&self.status)),
            ("enabled", yes_no(self.enabled)),
            ("issuer", show(&self.issuer)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("uploaded", show(&self.uploaded_on)),
        ]
    }
}

impl View for HostnameCertificate {
    const HEADERS: &'static [&'static str] = &["ID", "STATUS", "ISSUER", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.status),
            show(&self.issuer),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("status", show(&self.status)),
            ("issuer", show(&self.issuer)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("uploaded", show(&self.uploaded_on)),
        ]
    }
}

impl View for HostnameAuthenticatedOriginPull {
    const HEADERS: &'static [&'static str] =
        &["ID", "HOSTNAME", "CERT ID", "ENABLED", "STATUS", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.id),
            show(&self.hostname),
            show(&self.cert_id),
            yes_no(self.enabled),
            show(&self.status),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("id", show(&self.id)),
            ("hostname", show(&self.hostname)),
            ("cert id", show(&self.cert_id)),
            ("enabled", yes_no(self.enabled)),
            ("status", show(&self.status)),
            ("cert status", show(&self.cert_status)),
            ("issuer", show(&self.issuer)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("cert uploaded", show(&self.cert_uploaded_on)),
            ("updated", show(&self.updated_at)),
        ]
    }
}

impl View for AuthenticatedOriginPull {
    const HEADERS: &'static [&'static str] =
        &["HOSTNAME", "CERT ID", "ENABLED", "STATUS", "EXPIRES"];
    fn row(&self) -> Vec<String> {
        vec![
            show(&self.hostname),
            show(&self.cert_id),
            yes_no(self.enabled),
            show(&self.status),
            day(&self.expires_on),
        ]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("hostname", show(&self.hostname)),
            ("cert id", show(&self.cert_id)),
            ("enabled", yes_no(self.enabled)),
            ("status", show(&self.status)),
            ("cert status", show(&self.cert_status)),
            ("issuer", show(&self.issuer)),
            ("serial number", show(&self.serial_number)),
            ("signature", show(&self.signature)),
            ("expires", show(&self.expires_on)),
            ("cert uploaded", show(&self.cert_uploaded_on)),
            ("updated", show(&self.updated_at)),
        ]
    }
}

impl View for OriginPullSetting {
    const HEADERS: &'static [&'static str] = &["ENABLED"];
    fn row(&self) -> Vec<String> {
        vec![yes_no(self.enabled)]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![("enabled", yes_no(self.enabled))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_one_cell_per_header() {
        fn check<T: View + Default>() {
            assert_eq!(T::default().row().len(), T::HEADERS.len());
        }
        check::<MtlsCertificate>();
        check::<UploadedMtlsCertificate>();
        check::<MtlsCertificateAssociation>();
        check::<AccessCertificate>();
        check::<ClientCertificate>();
        check::<ZoneAuthenticatedOriginPull>();
        check::<HostnameCertificate>();
        check::<HostnameAuthenticatedOriginPull>();
        check::<AuthenticatedOriginPull>();
        check::<OriginPullSetting>();
        let s = AccessCertificateSettings::new(false, true, "a");
        assert_eq!(s.row().len(), AccessCertificateSettings::HEADERS.len());
    }

    #[test]
    fn days_are_cut_from_timestamps_only() {
        assert_eq!(day(&Some("2033-02-20T23:18:00Z")), "2033-02-20");
        assert_eq!(day(&Some("tomorrow or so")), "tomorrow or so");
        assert_eq!(day::<String>(&None), "");
    }
}
