//! X.509 as the API reads it: the fields Cloudflare reports of an uploaded certificate, the
//! subject of a CSR, and certificates issued from a CSR by the stand-in's managed CA.

use chrono::{DateTime, Utc};
use der::oid::ObjectIdentifier;
use der::pem::LineEnding;
use der::{Decode, EncodePem};
use sha1::Digest as _;
use std::time::{Duration, SystemTime};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{BasicConstraints, SubjectKeyIdentifier};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::request::CertReq;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

/// What the API reports of an uploaded certificate (the first of a chain).
#[derive(Clone, Debug)]
pub(super) struct CertInfo {
    /// The canonical PEM of every certificate uploaded.
    pub pem: String,
    /// RFC 4514 issuer name (`CN=…,O=…,C=…`).
    pub issuer: String,
    /// Lower-case hex.
    pub serial_number: String,
    /// Cloudflare's spelling of the signature algorithm (`ECDSAWithSHA256`, `SHA256WithRSA`).
    pub signature: String,
    pub expires_on: DateTime<Utc>,
    /// `MD5 Fingerprint=AA:BB:…`, as Access reports it.
    pub md5_fingerprint: String,
    /// Lower-case hex SHA-256 of the DER.
    pub sha256_fingerprint: String,
    /// Lower-case hex SHA-1 of the subject public key bits (what API Shield reports as `ski`).
    pub ski: String,
}

/// The PEM blocks of `text` labelled `label`, decoded (by the project's one reader,
/// [`pem`](super::pem)); text and blocks of other labels around them are ignored.
fn blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let found: Vec<Vec<u8>> = super::pem::blocks(text.as_bytes())
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|block| block.label == label)
        .map(|block| block.der)
        .collect();
    if found.is_empty() {
        return Err(format!("no PEM {label} block"));
    }
    Ok(found)
}

/// Parses uploaded PEM certificates (one or a chain).
pub(super) fn parse_certificates(text: &str) -> Result<CertInfo, String> {
    let ders = blocks(text, "CERTIFICATE")?;
    let mut pem = String::new();
    let mut first = None;
    for der in &ders {
        let cert = Certificate::from_der(der)
            .map_err(|e| format!("a certificate is not valid X.509: {e}"))?;
        pem.push_str(&to_pem("CERTIFICATE", der)?);
        first.get_or_insert(cert);
    }
    let cert = first.ok_or("no certificate")?;
    let der = &ders[0];
    let tbs = cert.tbs_certificate();
    Ok(CertInfo {
        pem,
        issuer: tbs.issuer().to_string(),
        serial_number: hex(tbs.serial_number().as_bytes()),
        signature: signature_name(&cert.signature_algorithm().oid),
        expires_on: to_chrono(tbs.validity().not_after),
        md5_fingerprint: format!(
            "MD5 Fingerprint={}",
            md5::Md5::digest(der)
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":")
        ),
        sha256_fingerprint: hex(&sha2::Sha256::digest(der)),
        ski: hex(&sha1::Sha1::digest(
            tbs.subject_public_key_info().subject_public_key.raw_bytes(),
        )),
    })
}

/// Checks that `text` holds a private key block (PKCS#8, PKCS#1 RSA or SEC1 EC) that decodes.
pub(super) fn check_private_key(text: &str) -> Result<(), String> {
    const LABELS: [&str; 3] = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];
    let missing = || "no PEM private key block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)";
    let blocks = super::pem::blocks(text.as_bytes()).map_err(|e| match e {
        super::pem::PemError::NoBlock | super::pem::PemError::Binary => missing().to_owned(),
        other => other.to_string(),
    })?;
    let key = blocks
        .iter()
        .find(|b| LABELS.contains(&b.label.as_str()))
        .ok_or_else(missing)?;
    // Every one of these is a DER SEQUENCE.
    match key.der.first() {
        Some(0x30) => Ok(()),
        _ => Err("the private key is not DER".into()),
    }
}

/// The subject fields API Shield reports of a client certificate (empty when absent).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Subject {
    pub common_name: String,
    pub country: String,
    pub state: String,
    pub location: String,
    pub organization: String,
    pub organizational_unit: String,
}

/// A parsed CSR: the request, its canonical PEM and its subject.
pub(super) struct CsrInfo {
    pub request: CertReq,
    pub pem: String,
    pub subject: Subject,
}

/// Parses a PEM CSR (and checks its signature's algorithm is one a CA would accept).
pub(super) fn parse_csr(text: &str) -> Result<CsrInfo, String> {
    let der = blocks(text, "CERTIFICATE REQUEST")?
        .into_iter()
        .next()
        .ok_or("no CSR")?;
    let request =
        CertReq::from_der(&der).map_err(|e| format!("the CSR is not valid PKCS#10: {e}"))?;
    let subject = &request.info.subject;
    let field = |value: der::Result<Option<x509_cert::ext::pkix::name::DirectoryString>>| {
        value.ok().flatten().map(String::from).unwrap_or_default()
    };
    let common_name = field(subject.common_name());
    let country = subject
        .country()
        .ok()
        .flatten()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let subject = Subject {
        common_name,
        country,
        state: field(subject.state_or_province()),
        location: field(subject.locality()),
        organization: field(subject.organization()),
        organizational_unit: field(subject.organization_unit()),
    };
    Ok(CsrInfo {
        pem: to_pem("CERTIFICATE REQUEST", &der)?,
        subject,
        request,
    })
}

/// A P-256 key pair and the self-signed CA certificate of the managed CA.
#[derive(Clone)]
pub(super) struct ManagedCa {
    key: p256::ecdsa::SigningKey,
    name: Name,
    pub pem: String,
}

impl ManagedCa {
    pub(super) fn new(common_name: &str) -> Result<ManagedCa, String> {
        let key = new_key();
        let name: Name = format!("CN={common_name},O=Cloudflare\\, Inc.,C=US")
            .parse()
            .map_err(|e| format!("CA name: {e}"))?;
        let spki = spki_of(&key)?;
        let validity = validity(SystemTime::now(), Duration::from_secs(20 * 365 * 86_400))?;
        let pem = sign(
            Profile::self_signed(name.clone(), true),
            validity,
            spki,
            &key,
        )?;
        Ok(ManagedCa { key, name, pem })
    }

    /// Issues a leaf certificate for the CSR's key and subject, valid `days` days from now.
    pub(super) fn issue(&self, csr: &CsrInfo, days: u32) -> Result<CertInfo, String> {
        let validity = validity(
            SystemTime::now(),
            Duration::from_secs(u64::from(days) * 86_400),
        )?;
        let pem = sign(
            Profile::leaf(self.name.clone(), csr.request.info.subject.clone()),
            validity,
            csr.request.info.public_key.clone(),
            &self.key,
        )?;
        parse_certificates(&pem)
    }
}

/// A new P-256 key from the operating system's random source.
pub(super) fn new_key() -> p256::ecdsa::SigningKey {
    loop {
        let mut bytes = [0u8; 32];
        if getrandom::fill(&mut bytes).is_err() {
            continue;
        }
        if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&bytes) {
            return key;
        }
    }
}

/// The `subjectPublicKeyInfo` of a key.
pub(super) fn spki_of(key: &p256::ecdsa::SigningKey) -> Result<SubjectPublicKeyInfoOwned, String> {
    use p256::pkcs8::EncodePublicKey;
    let der = key
        .verifying_key()
        .to_public_key_der()
        .map_err(|e| format!("public key: {e}"))?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| format!("public key: {e}"))
}

/// The PKCS#8 PEM of a key.
pub(super) fn key_pem(key: &p256::ecdsa::SigningKey) -> Result<String, String> {
    use p256::pkcs8::EncodePrivateKey;
    key.to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| format!("private key: {e}"))
}

/// A validity from `from` for `length`.
pub(super) fn validity(from: SystemTime, length: Duration) -> Result<Validity, String> {
    let until = from.checked_add(length).ok_or("validity too long")?;
    Ok(Validity::new(time(from)?, time(until)?))
}

/// An X.509 time (UTC time up to 2049, generalized time after, as RFC 5280 says).
pub(super) fn time(at: SystemTime) -> Result<Time, String> {
    Time::try_from(at).map_err(|e| format!("time: {e}"))
}

/// Which certificate the builder makes.
pub(super) struct Profile {
    issuer: Name,
    subject: Name,
    ca: bool,
}

impl Profile {
    pub(super) fn leaf(issuer: Name, subject: Name) -> Profile {
        Profile {
            issuer,
            subject,
            ca: false,
        }
    }

    pub(super) fn self_signed(name: Name, ca: bool) -> Profile {
        Profile {
            issuer: name.clone(),
            subject: name,
            ca,
        }
    }
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        use x509_cert::ext::ToExtension;
        let mut extensions = Vec::new();
        let constraints = BasicConstraints {
            ca: self.ca,
            path_len_constraint: None,
        };
        extensions.push(constraints.to_extension(tbs.subject(), &extensions)?);
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        extensions.push(ski.to_extension(tbs.subject(), &extensions)?);
        Ok(extensions)
    }
}

/// Builds and signs a certificate; its PEM.
pub(super) fn sign(
    profile: Profile,
    validity: Validity,
    spki: SubjectPublicKeyInfoOwned,
    key: &p256::ecdsa::SigningKey,
) -> Result<String, String> {
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|e| format!("random source: {e}"))?;
    serial[0] &= 0x7f;
    serial[0] |= 0x10;
    let serial = SerialNumber::new(&serial).map_err(|e| format!("serial: {e}"))?;
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| format!("certificate: {e}"))?;
    builder
        .build::<_, p256::ecdsa::DerSignature>(key)
        .map_err(|e| format!("signing: {e}"))?
        .to_pem(LineEnding::LF)
        .map_err(|e| format!("PEM: {e}"))
}

fn to_pem(label: &str, der: &[u8]) -> Result<String, String> {
    der::pem::encode_string(label, LineEnding::LF, der).map_err(|e| format!("PEM: {e}"))
}

fn to_chrono(time: Time) -> DateTime<Utc> {
    DateTime::<Utc>::from(time.to_system_time())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Cloudflare's names for signature algorithms, by OID (Go's `x509.SignatureAlgorithm` names).
fn signature_name(oid: &ObjectIdentifier) -> String {
    const NAMES: [(&str, &str); 9] = [
        ("1.2.840.113549.1.1.5", "SHA1WithRSA"),
        ("1.2.840.113549.1.1.11", "SHA256WithRSA"),
        ("1.2.840.113549.1.1.12", "SHA384WithRSA"),
        ("1.2.840.113549.1.1.13", "SHA512WithRSA"),
        ("1.2.840.113549.1.1.10", "SHA256WithRSAPSS"),
        ("1.2.840.10045.4.3.2", "ECDSAWithSHA256"),
        ("1.2.840.10045.4.3.3", "ECDSAWithSHA384"),
        ("1.2.840.10045.4.3.4", "ECDSAWithSHA512"),
        ("1.3.101.112", "Ed25519"),
    ];
    let dotted = oid.to_string();
    NAMES
        .iter()
        .find(|(o, _)| *o == dotted)
        .map_or(dotted.clone(), |(_, name)| (*name).to_owned())
}
