//! Collecting the inventory: one listing per kind of certificate and account or zone, run a few at
//! a time, each turned into [`Certificate`]s. A listing that fails is kept as a [`Failure`]; the
//! others go on.

use crate::progress;
use chrono::{DateTime, Utc};
use cloudflare_mtls::types::{
    AccessCertificate, AccessCertificateListParams, ClientCertificate, ClientCertificateListParams,
    ClientCertificateStatus, ClientCertificateStatusFilter, HostnameCertificate,
    HostnameCertificateStatus, MtlsCertificate, MtlsCertificateListParams,
    ZoneAuthenticatedOriginPull, ZoneAuthenticatedOriginPullStatus,
};
use cloudflare_mtls::{Client, Error, Scope};
use der::DecodePem;
use futures::StreamExt;
use indicatif::ProgressBar;
use std::fmt;
use x509_cert::Certificate as X509;

/// Listings read at once.
const CONCURRENCY: usize = 4;

/// A kind of certificate, named after the command that manages it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Account mTLS certificates (`cfmtls mtls`).
    Mtls,
    /// Access mTLS root certificates, of an account or a zone (`cfmtls access`).
    Access,
    /// API Shield client certificates (`cfmtls client-certs`).
    ClientCert,
    /// Zone-level Authenticated Origin Pulls certificates (`cfmtls origin-pulls`).
    OriginPull,
    /// Per-hostname Authenticated Origin Pulls certificates (`cfmtls origin-pulls hostname-certs`).
    HostnameCert,
}

impl Kind {
    /// The kinds listed for an account.
    const OF_ACCOUNTS: [Kind; 2] = [Kind::Mtls, Kind::Access];
    /// The kinds listed for a zone.
    const OF_ZONES: [Kind; 4] = [
        Kind::Access,
        Kind::ClientCert,
        Kind::OriginPull,
        Kind::HostnameCert,
    ];

    /// The short name of the table's KIND column and of the JSON `kind`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Mtls => "mtls",
            Kind::Access => "access",
            Kind::ClientCert => "client-cert",
            Kind::OriginPull => "origin-pull",
            Kind::HostnameCert => "hostname-cert",
        }
    }

    /// What a listing of this kind lists, for messages.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Mtls => "mTLS certificates",
            Kind::Access => "Access mTLS certificates",
            Kind::ClientCert => "API Shield client certificates",
            Kind::OriginPull => "zone-level origin pull certificates",
            Kind::HostnameCert => "per-hostname origin pull certificates",
        }
    }
}

/// An account or a zone, by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// An account id.
    Account(String),
    /// A zone id.
    Zone(String),
}

impl Owner {
    /// `account` or `zone`.
    pub fn noun(&self) -> &'static str {
        match self {
            Owner::Account(_) => "account",
            Owner::Zone(_) => "zone",
        }
    }

    /// The account or zone id.
    pub fn id(&self) -> &str {
        match self {
            Owner::Account(id) | Owner::Zone(id) => id,
        }
    }

    fn scope(&self) -> Scope<'_> {
        match self {
            Owner::Account(id) => Scope::Account(id),
            Owner::Zone(id) => Scope::Zone(id),
        }
    }
}

/// `account <id>` or `zone <id>`.
impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.noun(), self.id())
    }
}

/// One request (or page stream): the certificates of one kind of one account or zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// What is listed.
    pub kind: Kind,
    /// Whose.
    pub owner: Owner,
}

/// Every listing of `accounts` and `zones`: the accounts' first, then the zones', each in the
/// order given, and in [`Kind`] order within each.
pub fn listings(accounts: &[String], zones: &[String]) -> Vec<Listing> {
    let of_accounts = accounts.iter().flat_map(|id| {
        Kind::OF_ACCOUNTS.map(|kind| Listing {
            kind,
            owner: Owner::Account(id.clone()),
        })
    });
    let of_zones = zones.iter().flat_map(|id| {
        Kind::OF_ZONES.map(|kind| Listing {
            kind,
            owner: Owner::Zone(id.clone()),
        })
    });
    of_accounts.chain(of_zones).collect()
}

/// A certificate of the inventory, as the API described it.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// Which listing found it.
    pub kind: Kind,
    /// The account or zone it belongs to.
    pub owner: Owner,
    /// The name, common name or hostname (see [`name_of`]).
    pub name: Option<String>,
    /// The certificate's id.
    pub id: Option<String>,
    /// When it expires, where the API says.
    pub expires_on: Option<DateTime<Utc>>,
    /// The API's status, where it gives one (`active`, `revoked`, …).
    pub status: Option<String>,
    /// Revoked, or on its way out (pending revocation or deletion, deleted): listed, never counted
    /// as expiring.
    pub retired: bool,
    /// An expiry date the API sent that is not a date (then `expires_on` is `None`).
    pub unread_expiry: Option<String>,
}

/// A listing that failed.
#[derive(Debug)]
pub struct Failure {
    /// The listing that failed.
    pub listing: Listing,
    /// Why.
    pub error: Error,
}

impl Failure {
    /// One line for stderr: `error: zone <id>: cannot list API Shield client certificates: …`.
    pub fn line(&self) -> String {
        // An error's text is one line, except perhaps the start of an HTML error page.
        let error = self
            .error
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!(
            "error: {}: cannot list {}: {error}",
            self.listing.owner,
            self.listing.kind.plural()
        )
    }
}

/// What the listings found: their certificates, in listing order, and their failures, in listing
/// order.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Every certificate found, in listing order.
    pub certificates: Vec<Certificate>,
    /// Every failed listing, in listing order.
    pub failures: Vec<Failure>,
    /// Notes on certificates whose data could not all be read (an expiry date that is not a
    /// date), for stderr.
    pub warnings: Vec<String>,
}

/// Runs every listing, [`CONCURRENCY`] at a time, counting the certificates on a spinner (on a
/// terminal only).
pub async fn collect(client: &Client, listings: Vec<Listing>) -> Inventory {
    let bar = progress::on_stderr("certificates");
    let mut done: Vec<(usize, Listing, Result<Vec<Certificate>, Error>)> =
        futures::stream::iter(listings.into_iter().enumerate())
            .map(|(i, listing)| {
                let bar = &bar;
                async move {
                    let found = fetch(client, &listing, bar).await;
                    (i, listing, found)
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
    bar.finish_and_clear();
    done.sort_by_key(|(i, _, _)| *i);
    let mut inventory = Inventory::default();
    for (_, listing, found) in done {
        match found {
            Ok(certs) => inventory.certificates.extend(certs),
            Err(error) => inventory.failures.push(Failure { listing, error }),
        }
    }
    inventory.warnings = inventory
        .certificates
        .iter()
        .filter_map(unread_expiry)
        .collect();
    inventory
}

/// The certificates of one listing, every page of it.
async fn fetch(
    client: &Client,
    listing: &Listing,
    bar: &ProgressBar,
) -> Result<Vec<Certificate>, Error> {
    let owner = &listing.owner;
    let id = owner.id();
    let certs: Vec<Certificate> = match listing.kind {
        // Not paged: one response.
        Kind::Mtls => client
            .mtls_certificates()
            .list(id, MtlsCertificateListParams::new())
            .await?
            .into_iter()
            .map(|c| from_mtls(owner, c))
            .collect(),
        Kind::Access => {
            let stream = client
                .access()
                .certificates()
                .list_all(owner.scope(), AccessCertificateListParams::new());
            progress::drain(stream, bar)
                .await?
                .into_iter()
                .map(|c| from_access(owner, c))
                .collect()
        }
        Kind::ClientCert => {
            // Every status: revoked ones are listed too (with their status).
            let params =
                ClientCertificateListParams::new().status(ClientCertificateStatusFilter::All);
            let stream = client.client_certificates().list_all(id, params);
            progress::drain(stream, bar)
                .await?
                .into_iter()
                .map(|c| from_client(owner, c))
                .collect()
        }
        Kind::OriginPull => client
            .origin_tls_client_auth()
            .zone_certificates()
            .list(id)
            .await?
            .into_iter()
            .map(|c| from_origin_pull(owner, c))
            .collect(),
        Kind::HostnameCert => client
            .origin_tls_client_auth()
            .hostname_certificates()
            .list(id)
            .await?
            .into_iter()
            .map(|c| from_hostname_cert(owner, c))
            .collect(),
    };
    // Paged listings counted item by item already.
    if !matches!(listing.kind, Kind::Access | Kind::ClientCert) {
        bar.inc(certs.len() as u64);
    }
    Ok(certs)
}

fn from_mtls(owner: &Owner, c: MtlsCertificate) -> Certificate {
    Certificate {
        kind: Kind::Mtls,
        owner: owner.clone(),
        name: name_of(c.name, c.certificates.as_deref()),
        id: c.id,
        expires_on: c.expires_on,
        status: None,
        retired: false,
        unread_expiry: None,
    }
}

fn from_access(owner: &Owner, c: AccessCertificate) -> Certificate {
    Certificate {
        kind: Kind::Access,
        owner: owner.clone(),
        name: name_of(c.name, None),
        id: c.id,
        expires_on: c.expires_on,
        status: None,
        retired: false,
        unread_expiry: None,
    }
}

fn from_client(owner: &Owner, c: ClientCertificate) -> Certificate {
    let retired = matches!(
        c.status,
        Some(ClientCertificateStatus::Revoked | ClientCertificateStatus::PendingRevocation)
    );
    // The one expiry date the spec leaves a string.
    let text = c.expires_on.filter(|t| !t.trim().is_empty());
    let expires_on = text.as_deref().and_then(parse_date);
    Certificate {
        kind: Kind::ClientCert,
        owner: owner.clone(),
        name: name_of(c.common_name, c.certificate.as_deref()),
        id: c.id,
        expires_on,
        status: c.status.as_ref().map(|s| s.as_str().to_string()),
        retired,
        unread_expiry: text.filter(|_| expires_on.is_none()),
    }
}

fn from_origin_pull(owner: &Owner, c: ZoneAuthenticatedOriginPull) -> Certificate {
    use ZoneAuthenticatedOriginPullStatus as S;
    let retired = matches!(c.status, Some(S::Deleted | S::PendingDeletion));
    Certificate {
        kind: Kind::OriginPull,
        owner: owner.clone(),
        name: name_of(None, c.certificate.as_deref()),
        id: c.id,
        expires_on: c.expires_on,
        status: c.status.as_ref().map(|s| s.as_str().to_string()),
        retired,
        unread_expiry: None,
    }
}

fn from_hostname_cert(owner: &Owner, c: HostnameCertificate) -> Certificate {
    use HostnameCertificateStatus as S;
    let retired = matches!(c.status, Some(S::Deleted | S::PendingDeletion));
    Certificate {
        kind: Kind::HostnameCert,
        owner: owner.clone(),
        name: name_of(None, c.certificate.as_deref()),
        id: c.id,
        expires_on: c.expires_on,
        status: c.status.as_ref().map(|s| s.as_str().to_string()),
        retired,
        unread_expiry: None,
    }
}

/// `name` when the API gives one; else the subject's common name of the first certificate of
/// `pem`, when it reads.
fn name_of(name: Option<String>, pem: Option<&str>) -> Option<String> {
    name.filter(|n| !n.trim().is_empty())
        .or_else(|| pem.and_then(common_name))
}

/// The subject's common name of the first certificate of a PEM text.
fn common_name(pem: &str) -> Option<String> {
    const END: &str = "-----END CERTIFICATE-----";
    let first = &pem[..pem.find(END)? + END.len()];
    let cert = X509::from_pem(first.trim_start()).ok()?;
    let cn = cert.tbs_certificate().subject().common_name().ok()??;
    Some(String::from(cn)).filter(|n| !n.is_empty())
}

/// A timestamp as the API writes them: RFC 3339 (`2033-02-20T23:18:00Z`), or without the zone
/// (UTC).
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// A warning for a certificate whose expiry date is there but not a date.
fn unread_expiry(c: &Certificate) -> Option<String> {
    let text = c.unread_expiry.as_deref()?;
    let id = c.id.as_deref().unwrap_or("without an id");
    Some(format!(
        "{}: {} {id}: cannot read its expiry date `{text}`; listed without one",
        c.owner,
        c.kind.label()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_come_first_each_with_its_kinds() {
        let l = listings(&["a1".into()], &["z1".into(), "z2".into()]);
        let got: Vec<(Kind, String)> = l.iter().map(|l| (l.kind, l.owner.to_string())).collect();
        assert_eq!(got.len(), 2 + 4 * 2);
        assert_eq!(got[0], (Kind::Mtls, "account a1".into()));
        assert_eq!(got[1], (Kind::Access, "account a1".into()));
        assert_eq!(got[2], (Kind::Access, "zone z1".into()));
        assert_eq!(got[5], (Kind::HostnameCert, "zone z1".into()));
        assert_eq!(got[9], (Kind::HostnameCert, "zone z2".into()));
        // mTLS certificates belong to accounts only.
        assert!(l
            .iter()
            .all(|l| l.kind != Kind::Mtls || matches!(l.owner, Owner::Account(_))));
    }

    #[test]
    fn client_certificate_dates_are_read_with_or_without_a_zone() {
        let want = DateTime::parse_from_rfc3339("2033-02-20T23:18:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        assert_eq!(parse_date("2033-02-20T23:18:00Z"), want);
        assert_eq!(parse_date("2033-02-20T23:18:00.000Z"), want);
        assert_eq!(parse_date("2033-02-21T00:18:00+01:00"), want);
        assert_eq!(parse_date("2033-02-20T23:18:00"), want);
        assert_eq!(parse_date("next tuesday"), None);
    }

    #[test]
    fn revoked_client_certificates_are_retired() {
        let owner = Owner::Zone("z".into());
        let mut c = ClientCertificate::default();
        c.status = Some(ClientCertificateStatus::Revoked);
        assert!(from_client(&owner, c.clone()).retired);
        c.status = Some(ClientCertificateStatus::PendingRevocation);
        assert!(from_client(&owner, c.clone()).retired);
        c.status = Some(ClientCertificateStatus::Active);
        c.expires_on = Some("soon".into());
        let active = from_client(&owner, c);
        assert!(!active.retired);
        assert_eq!(active.status.as_deref(), Some("active"));
        assert_eq!(active.expires_on, None);
        assert!(unread_expiry(&active).is_some_and(|w| w.contains("`soon`")));
    }

    #[test]
    fn names_fall_back_to_the_subject_common_name() {
        let pem = include_str!("../../../tests/data/leaf.pem");
        assert_eq!(
            name_of(None, Some(pem)).as_deref(),
            Some("origin.example.com")
        );
        assert_eq!(
            name_of(Some("mine".into()), Some(pem)).as_deref(),
            Some("mine")
        );
        // A chain: the first certificate's.
        let chain = format!("{pem}{}", include_str!("../../../tests/data/ca.pem"));
        assert_eq!(
            name_of(None, Some(&chain)).as_deref(),
            Some("origin.example.com")
        );
        assert_eq!(name_of(Some(" ".into()), Some("not PEM")), None);
        assert_eq!(name_of(None, None), None);
    }

    #[test]
    fn failures_are_one_line_naming_kind_and_scope() {
        let failure = Failure {
            listing: Listing {
                kind: Kind::ClientCert,
                owner: Owner::Zone("z9".into()),
            },
            error: Error::InvalidRequest("bad\nid".into()),
        };
        let line = failure.line();
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("error: zone z9: cannot list API Shield client certificates: "),
            "{line}"
        );
    }
}
