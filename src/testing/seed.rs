//! Seeding: items put into the stand-in by the test, as if created through the API.

use super::api::{
    identifier, is_identifier, issue_client_certificate, upload_origin_certificate, uuid,
    CLIENT_STATUSES,
};
use super::api::{AccessCert, AccessSetting, HostnameAssociation, MtlsCert, Owner, State};
use super::x509;
use crate::types::{ClientCertificateStatus, MtlsCertificateType};
use crate::Scope;
use chrono::Utc;

/// An item to put into the stand-in with [`StandIn::seed`](super::StandIn::seed), which returns
/// its id (the hostname, for a hostname association; the account or zone id, for a setting).
///
/// Certificates are parsed like uploads; API Shield client certificates are issued from the CSR.
///
/// Each constructor of a kind with options returns that kind's builder
/// ([`MtlsCertificateSeed`], [`ClientCertificateSeed`], …), which offers only what applies to it
/// and takes the crate's enums where the API has them; `StandIn::seed` takes the builder as it
/// is (`impl Into<Seed>`).
///
/// ```
/// use cloudflare_mtls::testing::{csr, Seed, StandIn, TestCertificate, ACCOUNT_ID, ZONE_ID};
/// use cloudflare_mtls::types::ClientCertificateStatus;
/// use cloudflare_mtls::Scope;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stand_in = StandIn::start().await;
/// let ca = TestCertificate::new("CN=Example Root CA").ca(true).build();
/// stand_in.seed(Seed::mtls_certificate(ACCOUNT_ID, &ca.certificate_pem).ca(true).name("root"));
/// stand_in.seed(
///     Seed::access_certificate(Scope::Zone(ZONE_ID), "devices", &ca.certificate_pem)
///         .associated_hostnames(["admin.example.com"]),
/// );
/// stand_in.seed(
///     Seed::client_certificate(ZONE_ID, &csr("CN=billing"))
///         .validity_days(30)
///         .status(ClientCertificateStatus::Revoked),
/// );
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Seed {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Mtls(MtlsCertificateSeed),
    Access(AccessCertificateSeed),
    AccessSetting(AccessHostnameSettingSeed),
    Client(ClientCertificateSeed),
    Origin {
        zone: String,
        pem: String,
        key: String,
        hostname_level: bool,
    },
    Hostname(HostnameAssociationSeed),
    OriginSetting {
        zone: String,
        enabled: bool,
    },
}

/// An account mTLS certificate to seed ([`Seed::mtls_certificate`]): what applies to one.
#[derive(Clone, Debug)]
#[must_use = "a seed does nothing until given to `StandIn::seed`"]
pub struct MtlsCertificateSeed {
    account: String,
    pem: String,
    ca: bool,
    name: Option<String>,
    kind: MtlsCertificateType,
    associations: Vec<(String, String)>,
}

impl MtlsCertificateSeed {
    /// The certificate's name.
    pub fn name(mut self, value: &str) -> Self {
        self.name = Some(value.to_owned());
        self
    }

    /// Whether the certificate is a CA.
    pub fn ca(mut self, value: bool) -> Self {
        self.ca = value;
        self
    }

    /// The certificate's type (`custom` unless set).
    pub fn certificate_type(mut self, value: MtlsCertificateType) -> Self {
        self.kind = value;
        self
    }

    /// A Cloudflare service that uses the certificate (`service`, `status`: say `"gateway"`,
    /// `"active"`: the API reports both as free text); a certificate in use cannot be deleted.
    pub fn association(mut self, service: &str, status: &str) -> Self {
        self.associations
            .push((service.to_owned(), status.to_owned()));
        self
    }
}

/// An Access mTLS certificate to seed ([`Seed::access_certificate`]): what applies to one.
#[derive(Clone, Debug)]
#[must_use = "a seed does nothing until given to `StandIn::seed`"]
pub struct AccessCertificateSeed {
    owner: Owner,
    name: String,
    pem: String,
    hostnames: Vec<String>,
}

impl AccessCertificateSeed {
    /// The certificate's name (instead of the one given to [`Seed::access_certificate`]).
    pub fn name(mut self, value: &str) -> Self {
        value.clone_into(&mut self.name);
        self
    }

    /// The hostnames the certificate is associated with.
    pub fn associated_hostnames<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.hostnames = values.into_iter().map(Into::into).collect();
        self
    }
}

/// The Access mTLS settings of a hostname to seed ([`Seed::access_hostname_setting`]).
#[derive(Clone, Debug)]
#[must_use = "a seed does nothing until given to `StandIn::seed`"]
pub struct AccessHostnameSettingSeed {
    owner: Owner,
    hostname: String,
    china_network: bool,
    forwarding: bool,
}

impl AccessHostnameSettingSeed {
    /// Whether the China network is on (off unless set).
    pub fn china_network(mut self, value: bool) -> Self {
        self.china_network = value;
        self
    }
}

/// An API Shield client certificate to seed ([`Seed::client_certificate`]): what applies to one.
#[derive(Clone, Debug)]
#[must_use = "a seed does nothing until given to `StandIn::seed`"]
pub struct ClientCertificateSeed {
    zone: String,
    csr: String,
    days: u32,
    status: ClientCertificateStatus,
}

impl ClientCertificateSeed {
    /// How many days the certificate is valid (1 to 3650; 3650 unless set).
    pub fn validity_days(mut self, value: u32) -> Self {
        self.days = value;
        self
    }

    /// The certificate's status (`Active` unless set). `PendingReactivation` and
    /// `PendingRevocation` stay until changed through the API; an `Unknown` status is refused
    /// when seeded.
    pub fn status(mut self, value: ClientCertificateStatus) -> Self {
        self.status = value;
        self
    }
}

/// A per-hostname Authenticated Origin Pulls association to seed ([`Seed::hostname`]).
#[derive(Clone, Debug)]
#[must_use = "a seed does nothing until given to `StandIn::seed`"]
pub struct HostnameAssociationSeed {
    zone: String,
    hostname: String,
    cert_id: String,
    enabled: bool,
}

impl HostnameAssociationSeed {
    /// Whether the association is enabled (enabled unless set).
    pub fn enabled(mut self, value: bool) -> Self {
        self.enabled = value;
        self
    }
}

macro_rules! into_seed {
    ($($builder:ident => $variant:ident),* $(,)?) => {$(
        impl From<$builder> for Seed {
            fn from(seed: $builder) -> Seed {
                Seed { kind: Kind::$variant(seed) }
            }
        }
    )*};
}

into_seed!(
    MtlsCertificateSeed => Mtls,
    AccessCertificateSeed => Access,
    AccessHostnameSettingSeed => AccessSetting,
    ClientCertificateSeed => Client,
    HostnameAssociationSeed => Hostname,
);

fn owner(scope: Scope<'_>) -> Owner {
    match scope {
        Scope::Account(id) => Owner::Account(id.to_owned()),
        Scope::Zone(id) => Owner::Zone(id.to_owned()),
    }
}

impl Seed {
    /// An account mTLS certificate (one or a chain of PEM certificates), `ca: false`, no name,
    /// of type `custom`, used by no service.
    pub fn mtls_certificate(account_id: &str, certificates_pem: &str) -> MtlsCertificateSeed {
        MtlsCertificateSeed {
            account: account_id.to_owned(),
            pem: certificates_pem.to_owned(),
            ca: false,
            name: None,
            kind: MtlsCertificateType::Custom,
            associations: Vec::new(),
        }
    }

    /// An Access mTLS root certificate of an account or zone, with no associated hostnames.
    pub fn access_certificate(
        scope: Scope<'_>,
        name: &str,
        certificate_pem: &str,
    ) -> AccessCertificateSeed {
        AccessCertificateSeed {
            owner: owner(scope),
            name: name.to_owned(),
            pem: certificate_pem.to_owned(),
            hostnames: Vec::new(),
        }
    }

    /// The Access mTLS settings of a hostname (China network off).
    pub fn access_hostname_setting(
        scope: Scope<'_>,
        hostname: &str,
        client_certificate_forwarding: bool,
    ) -> AccessHostnameSettingSeed {
        AccessHostnameSettingSeed {
            owner: owner(scope),
            hostname: hostname.to_owned(),
            china_network: false,
            forwarding: client_certificate_forwarding,
        }
    }

    /// An API Shield client certificate issued now from `csr_pem`, valid 3650 days, `active`.
    pub fn client_certificate(zone_id: &str, csr_pem: &str) -> ClientCertificateSeed {
        ClientCertificateSeed {
            zone: zone_id.to_owned(),
            csr: csr_pem.to_owned(),
            days: 3650,
            status: ClientCertificateStatus::Active,
        }
    }

    /// A zone-level Authenticated Origin Pulls certificate with its private key, `active`
    /// (nothing else to set).
    pub fn origin_pull_certificate(
        zone_id: &str,
        certificate_pem: &str,
        private_key_pem: &str,
    ) -> Seed {
        Seed::origin(zone_id, certificate_pem, private_key_pem, false)
    }

    /// A per-hostname Authenticated Origin Pulls certificate with its private key, `active`
    /// (nothing else to set).
    pub fn hostname_certificate(
        zone_id: &str,
        certificate_pem: &str,
        private_key_pem: &str,
    ) -> Seed {
        Seed::origin(zone_id, certificate_pem, private_key_pem, true)
    }

    fn origin(zone: &str, pem: &str, key: &str, hostname_level: bool) -> Seed {
        Seed {
            kind: Kind::Origin {
                zone: zone.to_owned(),
                pem: pem.to_owned(),
                key: key.to_owned(),
                hostname_level,
            },
        }
    }

    /// A per-hostname association of `hostname` with hostname certificate `cert_id` (seeded or
    /// uploaded before), enabled.
    pub fn hostname(zone_id: &str, hostname: &str, cert_id: &str) -> HostnameAssociationSeed {
        HostnameAssociationSeed {
            zone: zone_id.to_owned(),
            hostname: hostname.to_owned(),
            cert_id: cert_id.to_owned(),
            enabled: true,
        }
    }

    /// Zone-level Authenticated Origin Pulls on or off (nothing else to set).
    pub fn origin_pull_setting(zone_id: &str, enabled: bool) -> Seed {
        Seed {
            kind: Kind::OriginSetting {
                zone: zone_id.to_owned(),
                enabled,
            },
        }
    }

    /// Puts the item into `state`; its id.
    pub(super) fn apply(self, state: &mut State) -> Result<String, String> {
        let now = Utc::now();
        match self.kind {
            Kind::Mtls(MtlsCertificateSeed {
                account,
                pem,
                ca,
                name,
                kind,
                associations,
            }) => {
                check_id(&account)?;
                let cert = x509::parse_certificates(&pem)?;
                let id = identifier();
                state.mtls.push(MtlsCert {
                    id: id.clone(),
                    account,
                    name,
                    ca,
                    kind: kind.as_str().to_owned(),
                    cert,
                    uploaded_on: now,
                    associations,
                });
                Ok(id)
            }
            Kind::Access(AccessCertificateSeed {
                owner,
                name,
                pem,
                hostnames,
            }) => {
                check_owner(&owner)?;
                let cert = x509::parse_certificates(&pem)?;
                let id = uuid();
                state.access.push(AccessCert {
                    id: id.clone(),
                    owner,
                    name,
                    cert,
                    hostnames,
                    created_at: now,
                    updated_at: now,
                });
                Ok(id)
            }
            Kind::AccessSetting(AccessHostnameSettingSeed {
                owner,
                hostname,
                china_network,
                forwarding,
            }) => {
                check_owner(&owner)?;
                state
                    .access_settings
                    .retain(|s| !(s.owner == owner && s.hostname == hostname));
                let id = match &owner {
                    Owner::Account(id) | Owner::Zone(id) => id.clone(),
                };
                state.access_settings.push(AccessSetting {
                    owner,
                    hostname,
                    china_network,
                    client_certificate_forwarding: forwarding,
                });
                Ok(id)
            }
            Kind::Client(ClientCertificateSeed {
                zone,
                csr,
                days,
                status,
            }) => {
                check_id(&zone)?;
                let status = status.as_str().to_owned();
                if !CLIENT_STATUSES.contains(&status.as_str()) {
                    return Err(format!("{status:?} is not a client certificate status"));
                }
                let mut cert = issue_client_certificate(state, &zone, &csr, days)
                    .map_err(|refused| refused.message)?;
                cert.status = status;
                let id = cert.id.clone();
                state.client.push(cert);
                Ok(id)
            }
            Kind::Origin {
                zone,
                pem,
                key,
                hostname_level,
            } => {
                check_id(&zone)?;
                let mut cert = upload_origin_certificate(&zone, &pem, &key, 0)
                    .map_err(|refused| refused.message)?;
                cert.status = "active".into();
                cert.pending_since = None;
                let id = cert.id.clone();
                if hostname_level {
                    state.hostname_certs.push(cert);
                } else {
                    state.origin.push(cert);
                }
                Ok(id)
            }
            Kind::Hostname(HostnameAssociationSeed {
                zone,
                hostname,
                cert_id,
                enabled,
            }) => {
                check_id(&zone)?;
                if !state
                    .hostname_certs
                    .iter()
                    .any(|c| c.zone == zone && c.id == cert_id)
                {
                    return Err(format!("no hostname certificate {cert_id} in zone {zone}"));
                }
                state
                    .hostnames
                    .retain(|h| !(h.zone == zone && h.hostname == hostname));
                state.hostnames.push(HostnameAssociation {
                    zone,
                    hostname: hostname.clone(),
                    cert_id,
                    enabled,
                    created_at: now,
                    updated_at: now,
                });
                Ok(hostname)
            }
            Kind::OriginSetting { zone, enabled } => {
                check_id(&zone)?;
                state.origin_enabled.insert(zone.clone(), enabled);
                Ok(zone)
            }
        }
    }
}

fn check_owner(owner: &Owner) -> Result<(), String> {
    match owner {
        Owner::Account(id) | Owner::Zone(id) => check_id(id),
    }
}

/// Account and zone ids are 32 hex characters, as the stand-in routes them.
fn check_id(id: &str) -> Result<(), String> {
    if is_identifier(id) {
        Ok(())
    } else {
        Err(format!(
            "{id:?} is not an account or zone id (32 lower-case hex characters)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{csr, TestCertificate, ACCOUNT_ID, ZONE_ID};

    #[test]
    fn enums_reach_the_state_as_the_api_spells_them() {
        let mut state = State::new().unwrap();
        let ca = TestCertificate::new("CN=Typed").ca(true).build();
        let types = [
            MtlsCertificateType::Custom,
            MtlsCertificateType::GatewayManaged,
            MtlsCertificateType::AccessManaged,
        ];
        for kind in types {
            let seed =
                Seed::mtls_certificate(ACCOUNT_ID, &ca.certificate_pem).certificate_type(kind);
            Seed::from(seed).apply(&mut state).unwrap();
        }
        let kinds: Vec<&str> = state.mtls.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["custom", "gateway_managed", "access_managed"]);
        let statuses = [
            ClientCertificateStatus::Active,
            ClientCertificateStatus::PendingReactivation,
            ClientCertificateStatus::PendingRevocation,
            ClientCertificateStatus::Revoked,
        ];
        for status in statuses.clone() {
            let seed = Seed::client_certificate(ZONE_ID, &csr("CN=typed")).status(status);
            Seed::from(seed).apply(&mut state).unwrap();
        }
        let seeded: Vec<ClientCertificateStatus> = state
            .client
            .iter()
            .map(|c| c.status.as_str().into())
            .collect();
        assert_eq!(seeded, statuses);
    }

    #[test]
    fn an_unknown_client_certificate_status_is_refused() {
        let mut state = State::new().unwrap();
        let seed = Seed::client_certificate(ZONE_ID, &csr("CN=typed"))
            .status(ClientCertificateStatus::Unknown("lost".into()));
        assert_eq!(
            Seed::from(seed).apply(&mut state).unwrap_err(),
            "\"lost\" is not a client certificate status"
        );
        assert!(state.client.is_empty());
    }
}
