//! Seeding: items put into the stand-in by the test, as if created through the API.

use super::api::{
    identifier, is_identifier, issue_client_certificate, upload_origin_certificate, uuid,
    CLIENT_STATUSES,
};
use super::api::{AccessCert, AccessSetting, HostnameAssociation, MtlsCert, Owner, State};
use super::x509;
use crate::Scope;
use chrono::Utc;

/// An item to put into the stand-in with [`StandIn::seed`](super::StandIn::seed), which returns
/// its id (the hostname, for a hostname association; the account or zone id, for a setting).
///
/// Certificates are parsed like uploads; API Shield client certificates are issued from the CSR.
///
/// ```
/// use cloudflare_mtls::testing::{csr, Seed, StandIn, TestCertificate, ACCOUNT_ID, ZONE_ID};
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
/// stand_in.seed(Seed::client_certificate(ZONE_ID, &csr("CN=billing")).validity_days(30));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Seed {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Mtls {
        account: String,
        pem: String,
        ca: bool,
        name: Option<String>,
        kind: String,
        associations: Vec<(String, String)>,
    },
    Access {
        owner: Owner,
        name: String,
        pem: String,
        hostnames: Vec<String>,
    },
    AccessSetting {
        owner: Owner,
        hostname: String,
        china_network: bool,
        forwarding: bool,
    },
    Client {
        zone: String,
        csr: String,
        days: u32,
        status: String,
    },
    Origin {
        zone: String,
        pem: String,
        key: String,
        hostname_level: bool,
    },
    Hostname {
        zone: String,
        hostname: String,
        cert_id: String,
        enabled: bool,
    },
    OriginSetting {
        zone: String,
        enabled: bool,
    },
}

fn owner(scope: Scope<'_>) -> Owner {
    match scope {
        Scope::Account(id) => Owner::Account(id.to_owned()),
        Scope::Zone(id) => Owner::Zone(id.to_owned()),
    }
}

impl Seed {
    /// An account mTLS certificate (one or a chain of PEM certificates), `ca: false`, no name,
    /// of type `custom`, used by no service.
    pub fn mtls_certificate(account_id: &str, certificates_pem: &str) -> Seed {
        Seed {
            kind: Kind::Mtls {
                account: account_id.to_owned(),
                pem: certificates_pem.to_owned(),
                ca: false,
                name: None,
                kind: "custom".into(),
                associations: Vec::new(),
            },
        }
    }

    /// An Access mTLS root certificate of an account or zone, with no associated hostnames.
    pub fn access_certificate(scope: Scope<'_>, name: &str, certificate_pem: &str) -> Seed {
        Seed {
            kind: Kind::Access {
                owner: owner(scope),
                name: name.to_owned(),
                pem: certificate_pem.to_owned(),
                hostnames: Vec::new(),
            },
        }
    }

    /// The Access mTLS settings of a hostname (China network off).
    pub fn access_hostname_setting(
        scope: Scope<'_>,
        hostname: &str,
        client_certificate_forwarding: bool,
    ) -> Seed {
        Seed {
            kind: Kind::AccessSetting {
                owner: owner(scope),
                hostname: hostname.to_owned(),
                china_network: false,
                forwarding: client_certificate_forwarding,
            },
        }
    }

    /// An API Shield client certificate issued now from `csr_pem`, valid 3650 days, `active`.
    pub fn client_certificate(zone_id: &str, csr_pem: &str) -> Seed {
        Seed {
            kind: Kind::Client {
                zone: zone_id.to_owned(),
                csr: csr_pem.to_owned(),
                days: 3650,
                status: "active".into(),
            },
        }
    }

    /// A zone-level Authenticated Origin Pulls certificate with its private key, `active`.
    pub fn origin_pull_certificate(
        zone_id: &str,
        certificate_pem: &str,
        private_key_pem: &str,
    ) -> Seed {
        Seed::origin(zone_id, certificate_pem, private_key_pem, false)
    }

    /// A per-hostname Authenticated Origin Pulls certificate with its private key, `active`.
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
    pub fn hostname(zone_id: &str, hostname: &str, cert_id: &str) -> Seed {
        Seed {
            kind: Kind::Hostname {
                zone: zone_id.to_owned(),
                hostname: hostname.to_owned(),
                cert_id: cert_id.to_owned(),
                enabled: true,
            },
        }
    }

    /// Zone-level Authenticated Origin Pulls on or off.
    pub fn origin_pull_setting(zone_id: &str, enabled: bool) -> Seed {
        Seed {
            kind: Kind::OriginSetting {
                zone: zone_id.to_owned(),
                enabled,
            },
        }
    }

    /// The name (account mTLS certificates; Access certificates).
    pub fn name(mut self, value: &str) -> Seed {
        match &mut self.kind {
            Kind::Mtls { name, .. } => *name = Some(value.to_owned()),
            Kind::Access { name, .. } => *name = value.to_owned(),
            _ => {}
        }
        self
    }

    /// Whether an account mTLS certificate is a CA.
    pub fn ca(mut self, value: bool) -> Seed {
        if let Kind::Mtls { ca, .. } = &mut self.kind {
            *ca = value;
        }
        self
    }

    /// The type of an account mTLS certificate: `custom`, `gateway_managed` or `access_managed`.
    pub fn certificate_type(mut self, value: &str) -> Seed {
        if let Kind::Mtls { kind, .. } = &mut self.kind {
            *kind = value.to_owned();
        }
        self
    }

    /// A Cloudflare service that uses an account mTLS certificate (`service`, `status`: say
    /// `"gateway"`, `"active"`); a certificate in use cannot be deleted.
    pub fn association(mut self, service: &str, status: &str) -> Seed {
        if let Kind::Mtls { associations, .. } = &mut self.kind {
            associations.push((service.to_owned(), status.to_owned()));
        }
        self
    }

    /// The hostnames an Access certificate is associated with.
    pub fn associated_hostnames<I, S>(mut self, values: I) -> Seed
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if let Kind::Access { hostnames, .. } = &mut self.kind {
            *hostnames = values.into_iter().map(Into::into).collect();
        }
        self
    }

    /// How many days an API Shield client certificate is valid (1 to 3650).
    pub fn validity_days(mut self, value: u32) -> Seed {
        if let Kind::Client { days, .. } = &mut self.kind {
            *days = value;
        }
        self
    }

    /// The status of an API Shield client certificate: `active`, `pending_reactivation`,
    /// `pending_revocation` (these two stay until changed through the API) or `revoked`.
    pub fn status(mut self, value: &str) -> Seed {
        if let Kind::Client { status, .. } = &mut self.kind {
            *status = value.to_owned();
        }
        self
    }

    /// Whether the China network is on for an Access hostname setting.
    pub fn china_network(mut self, value: bool) -> Seed {
        if let Kind::AccessSetting { china_network, .. } = &mut self.kind {
            *china_network = value;
        }
        self
    }

    /// Whether a hostname association is enabled.
    pub fn enabled(mut self, value: bool) -> Seed {
        if let Kind::Hostname { enabled, .. } = &mut self.kind {
            *enabled = value;
        }
        self
    }

    /// Puts the item into `state`; its id.
    pub(super) fn apply(self, state: &mut State) -> Result<String, String> {
        let now = Utc::now();
        match self.kind {
            Kind::Mtls {
                account,
                pem,
                ca,
                name,
                kind,
                associations,
            } => {
                check_id(&account)?;
                let cert = x509::parse_certificates(&pem)?;
                let id = identifier();
                state.mtls.push(MtlsCert {
                    id: id.clone(),
                    account,
                    name,
                    ca,
                    kind,
                    cert,
                    uploaded_on: now,
                    associations,
                });
                Ok(id)
            }
            Kind::Access {
                owner,
                name,
                pem,
                hostnames,
            } => {
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
            Kind::AccessSetting {
                owner,
                hostname,
                china_network,
                forwarding,
            } => {
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
            Kind::Client {
                zone,
                csr,
                days,
                status,
            } => {
                check_id(&zone)?;
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
            Kind::Hostname {
                zone,
                hostname,
                cert_id,
                enabled,
            } => {
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
