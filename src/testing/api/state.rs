//! What the stand-in keeps between requests.

use crate::testing::x509::{CertInfo, ManagedCa, Subject};
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeMap;

/// The account or zone an item belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(in crate::testing) enum Owner {
    Account(String),
    Zone(String),
}

/// An account mTLS certificate.
pub(in crate::testing) struct MtlsCert {
    pub id: String,
    pub account: String,
    pub name: Option<String>,
    pub ca: bool,
    pub kind: String,
    pub cert: CertInfo,
    pub uploaded_on: DateTime<Utc>,
    /// `(service, status)` of each Cloudflare service using it.
    pub associations: Vec<(String, String)>,
}

/// An Access mTLS root certificate.
pub(in crate::testing) struct AccessCert {
    pub id: String,
    pub owner: Owner,
    pub name: String,
    pub cert: CertInfo,
    pub hostnames: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The Access mTLS settings of one hostname.
pub(in crate::testing) struct AccessSetting {
    pub owner: Owner,
    pub hostname: String,
    pub china_network: bool,
    pub client_certificate_forwarding: bool,
}

/// An API Shield client certificate.
pub(in crate::testing) struct ClientCert {
    pub id: String,
    pub zone: String,
    pub csr: String,
    pub subject: Subject,
    pub cert: CertInfo,
    pub status: String,
    pub issued_on: DateTime<Utc>,
    pub validity_days: u32,
    /// The request number that left it in a `pending_*` state.
    pub pending_since: Option<u64>,
}

/// A zone-level or per-hostname Authenticated Origin Pulls certificate.
pub(in crate::testing) struct OriginCert {
    pub id: String,
    pub zone: String,
    pub cert: CertInfo,
    pub status: String,
    pub uploaded_on: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub pending_since: Option<u64>,
}

/// A hostname's per-hostname Authenticated Origin Pulls association.
pub(in crate::testing) struct HostnameAssociation {
    pub zone: String,
    pub hostname: String,
    pub cert_id: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The hostnames of a zone whose API Shield client certificates a CA checks.
pub(in crate::testing) struct CaHostnames {
    pub zone: String,
    /// The mTLS certificate (a CA uploaded to an account), or `None` for the managed CA.
    pub mtls_certificate_id: Option<String>,
    pub hostnames: Vec<String>,
}

/// Everything the operations create, by kind.
pub(in crate::testing) struct State {
    pub managed_ca: ManagedCa,
    pub managed_ca_id: String,
    pub mtls: Vec<MtlsCert>,
    pub access: Vec<AccessCert>,
    pub access_settings: Vec<AccessSetting>,
    pub client: Vec<ClientCert>,
    pub origin: Vec<OriginCert>,
    pub origin_enabled: BTreeMap<String, bool>,
    pub hostname_certs: Vec<OriginCert>,
    pub hostnames: Vec<HostnameAssociation>,
    pub ca_hostnames: Vec<CaHostnames>,
    /// Requests handled so far (pending states settle on a later one).
    pub request_number: u64,
}

impl State {
    pub fn new() -> std::io::Result<State> {
        let managed_ca =
            ManagedCa::new("Cloudflare Managed CA for account").map_err(std::io::Error::other)?;
        Ok(State::empty(managed_ca, uuid()))
    }

    /// The state of a stand-in that has just started, with this managed CA.
    fn empty(managed_ca: ManagedCa, managed_ca_id: String) -> State {
        State {
            managed_ca,
            managed_ca_id,
            mtls: Vec::new(),
            access: Vec::new(),
            access_settings: Vec::new(),
            client: Vec::new(),
            origin: Vec::new(),
            origin_enabled: BTreeMap::new(),
            hostname_certs: Vec::new(),
            hostnames: Vec::new(),
            ca_hostnames: Vec::new(),
            request_number: 0,
        }
    }

    /// Forgets every item; the managed CA stays (clients that trust it keep working).
    pub fn clear(&mut self) {
        *self = State::empty(self.managed_ca.clone(), self.managed_ca_id.clone());
    }

    pub fn managed_ca_pem(&self) -> &str {
        &self.managed_ca.pem
    }

    /// Starts a request: every `pending_*` state left by an earlier request settles.
    pub fn settle(&mut self) {
        self.request_number += 1;
        let now = self.request_number;
        let due = |since: Option<u64>| since.is_some_and(|s| s < now);
        for c in &mut self.client {
            if due(c.pending_since) {
                c.status = match c.status.as_str() {
                    "pending_revocation" => "revoked".into(),
                    _ => "active".into(),
                };
                c.pending_since = None;
            }
        }
        for list in [&mut self.origin, &mut self.hostname_certs] {
            list.retain(|c| !(due(c.pending_since) && c.status == "pending_deletion"));
            for c in list.iter_mut() {
                if due(c.pending_since) {
                    c.status = "active".into();
                    c.pending_since = None;
                }
            }
        }
    }
}

/// `n` random bytes, hex.
pub(in crate::testing) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS random source; ids only need to be unique within a test.
    if getrandom::fill(&mut buf).is_err() {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (n >> ((i % 8) * 8)) as u8;
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 32-character hex id (Cloudflare's `identifier`).
pub(in crate::testing) fn identifier() -> String {
    random_hex(16)
}

/// A version 4 UUID.
pub(in crate::testing) fn uuid() -> String {
    let h = random_hex(16);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// Cloudflare's timestamp format (`2024-03-04T09:12:45.118342Z`).
pub(in crate::testing) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A certificate's expiry as Cloudflare prints it (`2036-11-22T15:56:46Z`).
pub(in crate::testing) fn expiry(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
