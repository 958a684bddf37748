//! Seed files: a whole starting state (accounts, zones and what they hold) in TOML or JSON, read
//! into the [`Seed`]s that [`StandIn::seed`](super::StandIn::seed) takes.

use super::api::{is_identifier, State};
use super::material::{try_csr, TestCertificate};
use super::seed::Seed;
use super::{ACCOUNT_ID, ZONE_ID};
use crate::Scope;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A starting state for the stand-in, read from TOML or JSON, for
/// [`StandIn::seed_file`](super::StandIn::seed_file), `cfmtls stand-in --seed FILE` and the admin
/// API's `POST /__admin/seed`.
///
/// Every entry becomes one [`Seed`]. Certificates, keys and CSRs are given as a PEM file
/// (`{ file = "ca.pem" }`, relative to the seed file), as PEM text (`{ pem = "-----BEGIN …" }`)
/// or made on the spot (`{ generate = "CN=Example Root CA" }`, with optional `expires_in_days`);
/// a generated certificate comes with its private key. Unknown keys are errors.
///
/// ```toml
/// [[accounts]]                      # id: 023e105f4ecef8ad9ca31a8372d0c353 (ACCOUNT_ID) if left out
/// [[accounts.mtls_certificates]]
/// name = "corp-root"
/// ca = true
/// certificate = { generate = "CN=Example Root CA", expires_in_days = 20 }
/// associations = [{ service = "gateway", status = "active" }]
/// [[accounts.access_certificates]]
/// name = "devices"
/// certificate = { file = "devices-ca.pem" }
/// associated_hostnames = ["admin.example.com"]
/// [[accounts.access_hostname_settings]]
/// hostname = "admin.example.com"
/// client_certificate_forwarding = true
///
/// [[zones]]                         # id: 7c5dae5552338874e5053f2534d2767a (ZONE_ID) if left out
/// origin_pulls_enabled = true
/// [[zones.client_certificates]]
/// csr = { generate = "CN=billing" }
/// validity_days = 30
/// status = "revoked"                # active (default), pending_reactivation, pending_revocation
/// [[zones.origin_pull_certificates]]
/// certificate = { generate = "CN=origin-pull.example.com" }
/// [[zones.hostname_certificates]]
/// certificate = { file = "app.pem" }
/// private_key = { file = "app.key" }
/// hostnames = [{ hostname = "app.example.com", enabled = true }]
/// ```
///
/// Zones take `access_certificates` and `access_hostname_settings` too.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    #[serde(default)]
    accounts: Vec<AccountEntry>,
    #[serde(default)]
    zones: Vec<ZoneEntry>,
    /// Where the file was read from: its name in errors, its folder for `file` references
    /// (`None`: text given directly, where `file` references are refused).
    #[serde(skip)]
    origin: Option<PathBuf>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    #[serde(default = "default_account")]
    id: String,
    #[serde(default)]
    mtls_certificates: Vec<MtlsEntry>,
    #[serde(default)]
    access_certificates: Vec<AccessEntry>,
    #[serde(default)]
    access_hostname_settings: Vec<AccessSettingEntry>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneEntry {
    #[serde(default = "default_zone")]
    id: String,
    origin_pulls_enabled: Option<bool>,
    #[serde(default)]
    access_certificates: Vec<AccessEntry>,
    #[serde(default)]
    access_hostname_settings: Vec<AccessSettingEntry>,
    #[serde(default)]
    client_certificates: Vec<ClientEntry>,
    #[serde(default)]
    origin_pull_certificates: Vec<OriginEntry>,
    #[serde(default)]
    hostname_certificates: Vec<HostnameCertEntry>,
}

fn default_account() -> String {
    ACCOUNT_ID.to_owned()
}

fn default_zone() -> String {
    ZONE_ID.to_owned()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MtlsEntry {
    certificate: Pem,
    name: Option<String>,
    #[serde(default)]
    ca: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    associations: Vec<ServiceEntry>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    service: String,
    status: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessEntry {
    name: String,
    certificate: Pem,
    #[serde(default)]
    associated_hostnames: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessSettingEntry {
    hostname: String,
    #[serde(default)]
    client_certificate_forwarding: bool,
    #[serde(default)]
    china_network: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientEntry {
    csr: Pem,
    validity_days: Option<u32>,
    status: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OriginEntry {
    certificate: Pem,
    private_key: Option<Pem>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HostnameCertEntry {
    certificate: Pem,
    private_key: Option<Pem>,
    #[serde(default)]
    hostnames: Vec<HostnameEntry>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HostnameEntry {
    hostname: String,
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

/// A certificate, key or CSR: exactly one of `file`, `pem` and `generate`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pem {
    file: Option<PathBuf>,
    pem: Option<String>,
    /// The subject of a certificate or CSR made on the spot.
    generate: Option<String>,
    expires_in_days: Option<u64>,
}

/// A certificate (and its key, when generated) or a CSR, as PEM text.
struct Material {
    pem: String,
    key: Option<String>,
}

/// A seed file that cannot be read or applied: the file and the entry (`zones[0].client_certificates[1]`)
/// with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedFileError {
    message: String,
}

impl std::fmt::Display for SeedFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SeedFileError {}

/// What a seed file put into the stand-in: each entry (`accounts[0].mtls_certificates[1]`) with
/// the id of the item it made, in file order.
pub type Seeded = Vec<(String, String)>;

impl SeedFile {
    /// Reads a seed file: JSON when its name ends in `.json`, TOML otherwise. `file` references
    /// in it are read relative to its folder.
    pub fn read(path: impl AsRef<Path>) -> Result<SeedFile, SeedFileError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| SeedFileError {
            message: format!("{}: cannot read the seed file: {e}", path.display()),
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let mut file = if is_json {
            SeedFile::parse_json(&text)
        } else {
            SeedFile::parse_toml(&text)
        }
        .map_err(|e| SeedFileError {
            message: format!("{}: {e}", path.display()),
        })?;
        file.origin = Some(path.to_owned());
        Ok(file)
    }

    /// A seed document in JSON (as `POST /__admin/seed` takes it). `file` references are refused:
    /// only a seed file read from disk may name other files.
    pub fn from_json(text: &str) -> Result<SeedFile, SeedFileError> {
        SeedFile::parse_json(text).map_err(|message| SeedFileError {
            message: format!("seed: {message}"),
        })
    }

    /// A seed document in TOML. `file` references are refused, as in [`SeedFile::from_json`].
    pub fn from_toml(text: &str) -> Result<SeedFile, SeedFileError> {
        SeedFile::parse_toml(text).map_err(|message| SeedFileError {
            message: format!("seed: {message}"),
        })
    }

    fn parse_json(text: &str) -> Result<SeedFile, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                e.into_inner().to_string()
            } else {
                format!("{path}: {}", e.into_inner())
            }
        })
    }

    fn parse_toml(text: &str) -> Result<SeedFile, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
    }

    /// The first account of the file, else [`ACCOUNT_ID`].
    pub fn account_id(&self) -> &str {
        self.accounts.first().map_or(ACCOUNT_ID, |a| a.id.as_str())
    }

    /// The first zone of the file, else [`ZONE_ID`].
    pub fn zone_id(&self) -> &str {
        self.zones.first().map_or(ZONE_ID, |z| z.id.as_str())
    }

    fn name(&self) -> String {
        match &self.origin {
            Some(path) => path.display().to_string(),
            None => "seed".to_owned(),
        }
    }

    /// Applies every entry to `state`, in file order: first to a scratch state, so that an error
    /// leaves `state` as it was.
    pub(super) fn apply(&self, state: &mut State) -> Result<Seeded, SeedFileError> {
        let entries = self.seeds().map_err(|e| self.error(e))?;
        let mut scratch = State::new().map_err(|e| self.error(e.to_string()))?;
        for entry in &entries {
            entry.apply(&mut scratch).map_err(|e| self.error(e))?;
        }
        let mut seeded = Vec::new();
        for entry in &entries {
            let id = entry.apply(state).map_err(|e| self.error(e))?;
            seeded.push((entry.path.clone(), id));
        }
        Ok(seeded)
    }

    fn error(&self, message: String) -> SeedFileError {
        SeedFileError {
            message: format!("{}: {message}", self.name()),
        }
    }

    /// The seeds of the file, each with its entry's path; certificates made and files read.
    fn seeds(&self) -> Result<Vec<Entry>, String> {
        let mut out = Vec::new();
        for (i, account) in self.accounts.iter().enumerate() {
            let at = format!("accounts[{i}]");
            let id = account.id.as_str();
            check_id(&at, "account", id)?;
            for (j, e) in account.mtls_certificates.iter().enumerate() {
                let entry = format!("{at}.mtls_certificates[{j}]");
                let cert = self.material(&e.certificate, e.ca, &entry, "certificate")?;
                let mut seed = Seed::mtls_certificate(id, &cert.pem).ca(e.ca);
                if let Some(name) = &e.name {
                    seed = seed.name(name);
                }
                if let Some(kind) = &e.kind {
                    seed = seed.certificate_type(kind.as_str().into());
                }
                for a in &e.associations {
                    seed = seed.association(&a.service, &a.status);
                }
                out.push(Entry::new(entry, seed));
            }
            self.access(Scope::Account(id), &at, account, &mut out)?;
        }
        for (i, zone) in self.zones.iter().enumerate() {
            let at = format!("zones[{i}]");
            let id = zone.id.as_str();
            check_id(&at, "zone", id)?;
            if let Some(enabled) = zone.origin_pulls_enabled {
                out.push(Entry::new(
                    format!("{at}.origin_pulls_enabled"),
                    Seed::origin_pull_setting(id, enabled),
                ));
            }
            self.access(Scope::Zone(id), &at, zone, &mut out)?;
            for (j, e) in zone.client_certificates.iter().enumerate() {
                let entry = format!("{at}.client_certificates[{j}]");
                let csr = self.csr(&e.csr, &entry)?;
                let mut seed = Seed::client_certificate(id, &csr);
                if let Some(days) = e.validity_days {
                    seed = seed.validity_days(days);
                }
                if let Some(status) = &e.status {
                    seed = seed.status(status.as_str().into());
                }
                out.push(Entry::new(entry, seed));
            }
            for (j, e) in zone.origin_pull_certificates.iter().enumerate() {
                let entry = format!("{at}.origin_pull_certificates[{j}]");
                let (cert, key) = self.keyed(&e.certificate, e.private_key.as_ref(), &entry)?;
                out.push(Entry::new(
                    entry,
                    Seed::origin_pull_certificate(id, &cert, &key),
                ));
            }
            for (j, e) in zone.hostname_certificates.iter().enumerate() {
                let entry = format!("{at}.hostname_certificates[{j}]");
                let (cert, key) = self.keyed(&e.certificate, e.private_key.as_ref(), &entry)?;
                let hostnames = e
                    .hostnames
                    .iter()
                    .enumerate()
                    .map(|(k, h)| Hostname {
                        entry: format!("{entry}.hostnames[{k}]"),
                        zone: id.to_owned(),
                        hostname: h.hostname.clone(),
                        enabled: h.enabled,
                    })
                    .collect();
                out.push(Entry {
                    path: entry,
                    seed: Seed::hostname_certificate(id, &cert, &key),
                    hostnames,
                });
            }
        }
        Ok(out)
    }

    /// The Access certificates and hostname settings of an account or zone entry.
    fn access(
        &self,
        scope: Scope<'_>,
        at: &str,
        holder: &impl AccessHolder,
        out: &mut Vec<Entry>,
    ) -> Result<(), String> {
        for (j, e) in holder.certificates().iter().enumerate() {
            let entry = format!("{at}.access_certificates[{j}]");
            let cert = self.material(&e.certificate, true, &entry, "certificate")?;
            let seed = Seed::access_certificate(scope, &e.name, &cert.pem)
                .associated_hostnames(e.associated_hostnames.iter().cloned());
            out.push(Entry::new(entry, seed));
        }
        for (j, e) in holder.settings().iter().enumerate() {
            let entry = format!("{at}.access_hostname_settings[{j}]");
            let seed =
                Seed::access_hostname_setting(scope, &e.hostname, e.client_certificate_forwarding)
                    .china_network(e.china_network);
            out.push(Entry::new(entry, seed));
        }
        Ok(())
    }

    /// A certificate with its private key: both given, or generated together.
    fn keyed(
        &self,
        certificate: &Pem,
        private_key: Option<&Pem>,
        entry: &str,
    ) -> Result<(String, String), String> {
        let cert = self.material(certificate, false, entry, "certificate")?;
        match (cert.key, private_key) {
            (Some(_), Some(_)) => Err(format!(
                "{entry}.private_key: a generated certificate comes with its own key; leave private_key out"
            )),
            (Some(key), None) => Ok((cert.pem, key)),
            (None, Some(key)) => {
                let key = self.material(key, false, entry, "private_key")?;
                if key.key.is_some() {
                    return Err(format!(
                        "{entry}.private_key: give a file or PEM text, not generate"
                    ));
                }
                Ok((cert.pem, key.pem))
            }
            (None, None) => Err(format!(
                "{entry}.private_key: required with a certificate that is not generated"
            )),
        }
    }

    /// A CSR: read, or generated for a subject.
    fn csr(&self, pem: &Pem, entry: &str) -> Result<String, String> {
        if let Some(subject) = &pem.generate {
            if pem.expires_in_days.is_some() {
                return Err(format!(
                    "{entry}.csr.expires_in_days: a CSR has no expiry (use validity_days)"
                ));
            }
            return try_csr(subject).map_err(|e| format!("{entry}.csr: {e}"));
        }
        Ok(self.material(pem, false, entry, "csr")?.pem)
    }

    /// The PEM text of `pem` (field `field` of `entry`): read from its file, as given, or
    /// generated (a certificate, a CA when `ca`, with its key).
    fn material(&self, pem: &Pem, ca: bool, entry: &str, field: &str) -> Result<Material, String> {
        let at = format!("{entry}.{field}");
        match (&pem.file, &pem.pem, &pem.generate) {
            (Some(file), None, None) => {
                let Some(origin) = &self.origin else {
                    return Err(format!(
                        "{at}.file: files are only read from a seed file on disk (give `pem` or `generate`)"
                    ));
                };
                let path = origin.parent().unwrap_or(Path::new("")).join(file);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{at}.file: cannot read {}: {e}", path.display()))?;
                Ok(Material {
                    pem: text,
                    key: None,
                })
            }
            (None, Some(text), None) => Ok(Material {
                pem: text.clone(),
                key: None,
            }),
            (None, None, Some(subject)) => {
                let mut builder = TestCertificate::new(subject).ca(ca);
                if let Some(days) = pem.expires_in_days {
                    builder = builder.expires_in(Duration::from_secs(days.saturating_mul(86_400)));
                }
                let made = builder.try_build().map_err(|e| format!("{at}: {e}"))?;
                Ok(Material {
                    pem: made.certificate_pem,
                    key: Some(made.private_key_pem),
                })
            }
            _ => Err(format!("{at}: give exactly one of file, pem and generate")),
        }
    }
}

/// The `id` of entry `at` is an account or zone id, as the stand-in routes them.
fn check_id(at: &str, what: &str, id: &str) -> Result<(), String> {
    if is_identifier(id) {
        Ok(())
    } else {
        Err(format!(
            "{at}.id: {id:?} is not a{} {what} id (32 lower-case hex characters)",
            if what == "account" { "n" } else { "" }
        ))
    }
}

/// An account or zone entry, for their shared Access lists.
trait AccessHolder {
    fn certificates(&self) -> &[AccessEntry];
    fn settings(&self) -> &[AccessSettingEntry];
}

impl AccessHolder for AccountEntry {
    fn certificates(&self) -> &[AccessEntry] {
        &self.access_certificates
    }
    fn settings(&self) -> &[AccessSettingEntry] {
        &self.access_hostname_settings
    }
}

impl AccessHolder for ZoneEntry {
    fn certificates(&self) -> &[AccessEntry] {
        &self.access_certificates
    }
    fn settings(&self) -> &[AccessSettingEntry] {
        &self.access_hostname_settings
    }
}

/// One entry of the file: its path, its seed, and for a hostname certificate the hostnames
/// associated with it (they need its id).
struct Entry {
    path: String,
    seed: Seed,
    hostnames: Vec<Hostname>,
}

/// A hostname of a hostname certificate entry.
struct Hostname {
    entry: String,
    zone: String,
    hostname: String,
    enabled: bool,
}

impl Entry {
    fn new(path: String, seed: impl Into<Seed>) -> Entry {
        Entry {
            path,
            seed: seed.into(),
            hostnames: Vec::new(),
        }
    }

    /// Applies the seed, then its hostnames; the seed's id.
    fn apply(&self, state: &mut State) -> Result<String, String> {
        let id = self
            .seed
            .clone()
            .apply(state)
            .map_err(|e| format!("{}: {e}", self.path))?;
        for h in &self.hostnames {
            Seed::from(Seed::hostname(&h.zone, &h.hostname, &id).enabled(h.enabled))
                .apply(state)
                .map_err(|e| format!("{}: {e}", h.entry))?;
        }
        Ok(id)
    }
}
