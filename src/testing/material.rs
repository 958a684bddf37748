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

#[cfg(test)]
mod tests {
    //! What this module makes reads back through the stand-in's X.509 reading (`x509`): kept here,
    //! not in `x509`, so that `x509` never depends on `material` (no import circle).
    use super::x509::{check_private_key, parse_certificates, parse_csr, ManagedCa, Subject};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_chain_is_kept_and_read_from_its_first_certificate() {
        let leaf = TestCertificate::new("CN=leaf.example.com").build();
        let root = TestCertificate::new("CN=Root").ca(true).build();
        let text = format!(
            "subject=CN=leaf\n{}\nsome text\n{}",
            leaf.certificate_pem, root.certificate_pem
        );
        let info = parse_certificates(&text).unwrap();
        assert_eq!(info.issuer, "CN=leaf.example.com");
        assert_eq!(info.pem.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(!info.pem.contains("some text"));
        assert_eq!(info.signature, "ECDSAWithSHA256");
        assert_eq!(info.sha256_fingerprint.len(), 64);
        assert!(info.md5_fingerprint.starts_with("MD5 Fingerprint="));
    }

    #[test]
    fn what_is_not_a_certificate_is_refused_with_a_reason() {
        let key = TestCertificate::new("CN=x").build().private_key_pem;
        assert!(parse_certificates(&key)
            .unwrap_err()
            .contains("no PEM CERTIFICATE"));
        assert!(parse_certificates("").is_err());
        let truncated = "-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert!(parse_certificates(truncated).unwrap_err().contains("END"));
        let not_der = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(parse_certificates(not_der).unwrap_err().contains("X.509"));
        assert!(check_private_key(&key).is_ok());
        assert!(check_private_key("not a key").is_err());
        assert!(parse_csr(&key).is_err());
    }

    #[test]
    fn issued_certificates_carry_the_csr_subject_and_the_ca_as_issuer() {
        let ca = ManagedCa::new("Test Managed CA").unwrap();
        let request = parse_csr(&csr("CN=svc,OU=Team,O=Corp,L=Town,ST=State,C=US")).unwrap();
        let wanted = Subject {
            common_name: "svc".into(),
            country: "US".into(),
            state: "State".into(),
            location: "Town".into(),
            organization: "Corp".into(),
            organizational_unit: "Team".into(),
        };
        assert_eq!(request.subject, wanted);
        let info = ca.issue(&request, 7).unwrap();
        assert_eq!(info.issuer, "CN=Test Managed CA,O=Cloudflare\\, Inc.,C=US");
        let days = (info.expires_on - chrono::Utc::now()).num_hours();
        assert!((7 * 24 - 1..=7 * 24).contains(&days), "{days} hours");
        assert_eq!(info.ski.len(), 40);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Any subject and validity made by `TestCertificate` reads back as uploaded.
        #[test]
        fn test_certificates_read_back(
            cn in "[A-Za-z0-9][A-Za-z0-9 .-]{0,30}[A-Za-z0-9]",
            org in "[A-Za-z0-9]{1,20}",
            days in 0u64..20_000,
        ) {
            let subject = format!("CN={cn},O={org}");
            let made = TestCertificate::new(&subject)
                .expires_in(Duration::from_secs(days * 86_400))
                .build();
            let info = parse_certificates(&made.certificate_pem).unwrap();
            prop_assert_eq!(&info.issuer, &subject);
            let wanted = chrono::Utc::now() + chrono::Duration::days(days as i64);
            prop_assert!((info.expires_on - wanted).num_seconds().abs() <= 2);
            prop_assert!(check_private_key(&made.private_key_pem).is_ok());
        }
    }
}
