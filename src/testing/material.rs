//! Test material: certificates with chosen expiry, and CSRs, made with fresh P-256 keys.

use super::x509;
use der::pem::LineEnding;
use der::EncodePem;
use std::time::{Duration, SystemTime};
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::name::Name;

/// A self-signed certificate made for a test, with a fresh P-256 key.
///
/// ```
/// use cloudflare_mtls::testing::TestCertificate;
/// use std::time::Duration;
///
/// let ca = TestCertificate::new("CN=Example Root CA,O=Example Corp,C=US")
///     .ca(true)
///     .expires_in(Duration::from_secs(10 * 86_400))
///     .build();
/// assert!(ca.certificate_pem.starts_with("-----BEGIN CERTIFICATE-----"));
/// assert!(ca.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
/// ```
#[derive(Clone, Debug)]
pub struct TestCertificate {
    subject: String,
    ca: bool,
    not_before: SystemTime,
    not_after: SystemTime,
}

/// A certificate and its private key, PEM.
#[derive(Clone)]
#[non_exhaustive]
pub struct TestCredentials {
    /// The certificate (`CERTIFICATE`).
    pub certificate_pem: String,
    /// Its private key (`PRIVATE KEY`, PKCS#8).
    pub private_key_pem: String,
}

impl std::fmt::Debug for TestCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCredentials")
            .field("certificate_pem", &self.certificate_pem)
            .field("private_key_pem", &"<redacted>")
            .finish()
    }
}

impl TestCertificate {
    /// A certificate for `subject`, an RFC 4514 name (`CN=Example Root CA,O=Example Corp`),
    /// not a CA, valid from now for a year.
    pub fn new(subject: &str) -> TestCertificate {
        let now = SystemTime::now();
        TestCertificate {
            subject: subject.to_owned(),
            ca: false,
            not_before: now,
            not_after: now + Duration::from_secs(365 * 86_400),
        }
    }

    /// Whether it is a CA (basic constraints).
    pub fn ca(mut self, ca: bool) -> TestCertificate {
        self.ca = ca;
        self
    }

    /// Expires `after` from now.
    pub fn expires_in(mut self, after: Duration) -> TestCertificate {
        self.not_after = SystemTime::now() + after;
        self
    }

    /// Valid from `not_before` to `not_after` (both may be in the past: an expired certificate).
    pub fn validity(mut self, not_before: SystemTime, not_after: SystemTime) -> TestCertificate {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Makes the key and the certificate.
    ///
    /// # Panics
    ///
    /// When the subject is not an RFC 4514 name, or the validity ends before it begins.
    pub fn build(&self) -> TestCredentials {
        match self.try_build() {
            Ok(made) => made,
            Err(e) => panic!("cannot make test certificate {:?}: {e}", self.subject),
        }
    }

    /// Makes the key and the certificate, or says why it cannot.
    pub(super) fn try_build(&self) -> Result<TestCredentials, String> {
        let name: Name = self.subject.parse().map_err(|e| format!("subject: {e}"))?;
        let length = self
            .not_after
            .duration_since(self.not_before)
            .map_err(|_| "the validity ends before it begins")?;
        let key = x509::new_key();
        let validity = x509::validity(self.not_before, length)?;
        let certificate_pem = x509::sign(
            x509::Profile::self_signed(name, self.ca),
            validity,
            x509::spki_of(&key)?,
            &key,
        )?;
        Ok(TestCredentials {
            certificate_pem,
            private_key_pem: x509::key_pem(&key)?,
        })
    }
}

/// A certificate signing request (PEM) for `subject`, an RFC 4514 name
/// (`CN=billing-service,O=Example Corp,C=US`), with a fresh P-256 key (thrown away), for API
/// Shield's `client_certificates().create`.
///
/// # Panics
///
/// When the subject is not an RFC 4514 name.
pub fn csr(subject: &str) -> String {
    match try_csr(subject) {
        Ok(pem) => pem,
        Err(e) => panic!("cannot make a CSR for {subject:?}: {e}"),
    }
}

/// [`csr`], or why it cannot be made.
pub(super) fn try_csr(subject: &str) -> Result<String, String> {
    let name = subject
        .parse::<Name>()
        .map_err(|e| format!("subject: {e}"))?;
    let key = x509::new_key();
    RequestBuilder::new(name)
        .map_err(|e| format!("CSR: {e}"))?
        .build::<_, p256::ecdsa::DerSignature>(&key)
        .map_err(|e| format!("CSR: {e}"))?
        .to_pem(LineEnding::LF)
        .map_err(|e| format!("CSR: {e}"))
}
