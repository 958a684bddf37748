//! Local checks of PEM input, before anything is sent: certificates must be CERTIFICATE blocks
//! that parse as X.509, private keys PKCS#8 / PKCS#1 (RSA) / SEC1 (EC) blocks that parse as DER,
//! CSRs CERTIFICATE REQUEST blocks that parse. [`check_pair`] then matches a private key with its
//! certificate: it derives the public key from the private part (RSA, EC P-256 and P-384,
//! Ed25519), refuses a key file whose own copy of the public key disagrees with it, and compares
//! it with the certificate's. Keys of other algorithms cannot be checked and are refused (the
//! commands skip [`check_pair`] with `--skip-key-check`). Every message names the file; none
//! repeats a key's contents.
//!
//! What is sent is the validated blocks re-encoded as canonical PEM (64-column base64, `\n` line
//! ends), so text around the blocks (`openssl x509 -text` output, say) never reaches the API.

use crate::errors::CliError;
use cloudflare_mtls::testing::pem::{self, Block, PemError};
use der::asn1::OctetStringRef;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize};
use std::fmt;
use std::path::Path;
use std::time::SystemTime;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::request::CertReq;
use x509_cert::Certificate;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

// Named curves (RFC 5480 §2.1.1.1, SEC 2).
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

const KEY_LABELS: &str = "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

/// The certificates of a `--cert` file, checked.
pub struct Certificates {
    /// What is sent: every certificate, canonical PEM.
    pub pem: String,
    certs: Vec<Certificate>,
    path: String,
}

/// The private key of a `--key` file, checked. `Debug` never shows it.
pub struct PrivateKey {
    pem: String,
    algorithm: ObjectIdentifier,
    parts: KeyParts,
    path: String,
}

/// What [`check_pair`] needs of a key, taken from the file as it was read.
enum KeyParts {
    /// A PKCS#1 `RSAPrivateKey` (DER), which holds the public key (n, e) next to the private part.
    Rsa(Vec<u8>),
    /// An EC key.
    Ec {
        /// Every curve the file names: the PKCS#8 algorithm parameters', then the SEC1
        /// `parameters`' (none: the curve is the certificate's, RFC 5915 §3).
        curves: Vec<ObjectIdentifier>,
        /// The private scalar, big-endian.
        scalar: Vec<u8>,
        /// Every public key the file holds (SEC1 `publicKey`, PKCS#8 v2 `publicKey`), as SEC1
        /// points.
        public: Vec<Vec<u8>>,
    },
    /// An Ed25519 key: the 32-byte seed (RFC 8032 §5.1.5), and the PKCS#8 v2 `publicKey`, if any.
    Ed25519 {
        seed: [u8; 32],
        public: Option<Vec<u8>>,
    },
    /// Any other algorithm: nothing cfmtls can derive.
    Other,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("path", &self.path)
            .field("algorithm", &algorithm_name(&self.algorithm))
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// The key, canonical PEM, to send.
    pub fn into_pem(self) -> String {
        self.pem
    }
}

fn input(path: &str, problem: impl fmt::Display) -> CliError {
    CliError::Input(format!("{path}: {problem}"))
}

/// Reads `path` and checks that it holds one or more X.509 certificates, nothing else.
pub fn certificates(path: &Path) -> Result<Certificates, CliError> {
    let shown = path.display().to_string();
    let blocks = read_blocks(path, "CERTIFICATE")?;
    certificates_of(&blocks, shown)
}

fn certificates_of(blocks: &[Block], shown: String) -> Result<Certificates, CliError> {
    let mut pem = String::new();
    let mut certs = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let n = i + 1;
        if block.label != "CERTIFICATE" {
            let hint = if block.label.ends_with("PRIVATE KEY") {
                " (a key file? give it to --key)"
            } else {
                ""
            };
            return Err(input(
                &shown,
                format!(
                    "PEM block {n} is {}, expected CERTIFICATE{hint}",
                    block.label
                ),
            ));
        }
        let cert = Certificate::from_der(&block.der).map_err(|e| {
            input(
                &shown,
                format!("certificate {n} is not a valid X.509 certificate: {e}"),
            )
        })?;
        pem.push_str(&encode("CERTIFICATE", &block.der));
        certs.push(cert);
    }
    Ok(Certificates {
        pem,
        certs,
        path: shown,
    })
}

/// Reads `path` and checks that it holds exactly one unencrypted private key whose DER parses
/// (PKCS#8, PKCS#1 or SEC1). Whether it is a usable key, and the certificate's, is
/// [`check_pair`]'s business.
pub fn private_key(path: &Path) -> Result<PrivateKey, CliError> {
    let shown = path.display().to_string();
    let blocks = read_blocks(path, "PRIVATE KEY")?;
    private_key_of(&blocks, shown)
}

fn private_key_of(blocks: &[Block], shown: String) -> Result<PrivateKey, CliError> {
    if blocks.len() > 1 {
        let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        return Err(input(
            &shown,
            format!(
                "expected exactly one private key, found {} PEM blocks ({})",
                blocks.len(),
                labels.join(", ")
            ),
        ));
    }
    let block = &blocks[0];
    let invalid = |kind: &str, e: der::Error| input(&shown, format!("not a valid {kind}: {e}"));
    let (algorithm, parts) = match block.label.as_str() {
        "PRIVATE KEY" => {
            let info = pkcs8::PrivateKeyInfoRef::from_der(&block.der)
                .map_err(|e| invalid("PKCS#8 private key", e))?;
            let inner = info.private_key.as_bytes();
            let outer_public = info.public_key.map(|k| k.raw_bytes().to_vec());
            let parts = match info.algorithm.oid {
                RSA_ENCRYPTION => {
                    pkcs1::RsaPrivateKeyRef::from_der(inner).map_err(|e| invalid("RSA key", e))?;
                    KeyParts::Rsa(inner.to_vec())
                }
                // Explicit parameters instead of a named curve count as no curve named.
                EC_PUBLIC_KEY => {
                    ec_parts(inner, info.algorithm.parameters_oid().ok(), outer_public)
                        .map_err(|e| invalid("EC key", e))?
                }
                ED25519 => {
                    // RFC 8410 §7: the private key is `CurvePrivateKey ::= OCTET STRING`.
                    let seed = <&OctetStringRef>::from_der(inner)
                        .map_err(|e| invalid("Ed25519 key", e))?
                        .as_bytes();
                    let seed = <[u8; 32]>::try_from(seed).map_err(|_| {
                        input(
                            &shown,
                            format!(
                                "not a valid Ed25519 key: its private key is {} bytes, not 32",
                                seed.len()
                            ),
                        )
                    })?;
                    KeyParts::Ed25519 {
                        seed,
                        public: outer_public,
                    }
                }
                _ => KeyParts::Other,
            };
            (info.algorithm.oid, parts)
        }
        "RSA PRIVATE KEY" => {
            pkcs1::RsaPrivateKeyRef::from_der(&block.der)
                .map_err(|e| invalid("PKCS#1 RSA private key", e))?;
            (RSA_ENCRYPTION, KeyParts::Rsa(block.der.clone()))
        }
        "EC PRIVATE KEY" => {
            let parts =
                ec_parts(&block.der, None, None).map_err(|e| invalid("SEC1 EC private key", e))?;
            (EC_PUBLIC_KEY, parts)
        }
        "ENCRYPTED PRIVATE KEY" => return Err(encrypted(&shown)),
        other => {
            let hint = if other == "CERTIFICATE" {
                " (a certificate file? give it to --cert)"
            } else {
                ""
            };
            return Err(input(
                &shown,
                format!("PEM block 1 is {other}, expected {KEY_LABELS}{hint}"),
            ));
        }
    };
    Ok(PrivateKey {
        pem: encode(&block.label, &block.der),
        algorithm,
        parts,
        path: shown,
    })
}

/// Reads `path` and checks that it holds one certificate signing request; returns it as PEM.
pub fn csr(path: &Path) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let blocks = read_blocks(path, "CERTIFICATE REQUEST")?;
    if blocks.len() > 1 {
        return Err(input(
            &shown,
            format!(
                "expected one CERTIFICATE REQUEST, found {} PEM blocks",
                blocks.len()
            ),
        ));
    }
    let block = &blocks[0];
    // Older tools write `NEW CERTIFICATE REQUEST`; the contents are the same.
    if block.label != "CERTIFICATE REQUEST" && block.label != "NEW CERTIFICATE REQUEST" {
        return Err(input(
            &shown,
            format!(
                "PEM block 1 is {}, expected CERTIFICATE REQUEST",
                block.label
            ),
        ));
    }
    CertReq::from_der(&block.der).map_err(|e| {
        input(
            &shown,
            format!("not a valid certificate signing request (PKCS#10): {e}"),
        )
    })?;
    Ok(encode("CERTIFICATE REQUEST", &block.der))
}

/// Why a key and a certificate were not found to go together.
enum Refusal {
    /// The key is not the certificate's; the detail, when there is one, says how they differ.
    Mismatch(String),
    /// The key file disagrees with itself.
    Inconsistent(&'static str),
    /// The private key is not a valid key of its algorithm.
    InvalidKey(String),
    /// The certificate's public key is not a valid key of its algorithm.
    InvalidCertificate(String),
    /// cfmtls cannot derive this kind of key's public key (`an Ed448 key`).
    Unchecked(String),
}

/// Checks that `key` belongs to the first certificate of `certs` (the leaf): the public key is
/// derived from the private part (RSA: the `rsa` crate validates the key; EC P-256
/// and P-384: the scalar times the base point; Ed25519: from the seed), every copy of the public
/// key the key file also holds must equal it, and so must the certificate's `subjectPublicKey`.
/// Keys of another algorithm or curve are refused: they cannot be checked.
pub fn check_pair(certs: &Certificates, key: &PrivateKey) -> Result<(), CliError> {
    match refusal(certs, key) {
        None => Ok(()),
        Some(Refusal::Mismatch(detail)) => Err(input(
            &key.path,
            format!(
                "the private key does not match the certificate in {}{detail}",
                certs.path
            ),
        )),
        Some(Refusal::Inconsistent(what)) => Err(input(
            &key.path,
            format!("the key file is inconsistent: {what}"),
        )),
        Some(Refusal::InvalidKey(problem)) => Err(input(&key.path, problem)),
        Some(Refusal::InvalidCertificate(problem)) => Err(input(&certs.path, problem)),
        Some(Refusal::Unchecked(what)) => Err(input(
            &key.path,
            format!(
                "cannot check {what} against the certificate; pass --skip-key-check to upload \
                 it unchecked"
            ),
        )),
    }
}

fn refusal(certs: &Certificates, key: &PrivateKey) -> Option<Refusal> {
    let spki = certs.certs[0].tbs_certificate().subject_public_key_info();
    let cert_key = spki.subject_public_key.raw_bytes();
    // An EC certificate's named curve (RFC 5480: the only form allowed in certificates).
    let cert_curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    if spki.algorithm.oid != key.algorithm {
        return Some(Refusal::Mismatch(format!(
            " ({} key, {} certificate)",
            with_article(&algorithm_name(&key.algorithm)),
            with_article(&algorithm_name(&spki.algorithm.oid))
        )));
    }
    let outcome = match &key.parts {
        KeyParts::Rsa(pkcs1) => rsa_public(pkcs1).and_then(|public| {
            if public == cert_key {
                Ok(())
            } else {
                Err(Refusal::Mismatch(String::new()))
            }
        }),
        KeyParts::Ec {
            curves,
            scalar,
            public,
        } => {
            if curves.iter().any(|c| Some(c) != curves.first()) {
                return Some(Refusal::Inconsistent(
                    "its PKCS#8 algorithm and its SEC1 key name different curves",
                ));
            }
            match (curves.first().copied(), cert_curve) {
                (Some(key_curve), Some(cert_curve)) if key_curve != cert_curve => {
                    Err(Refusal::Mismatch(format!(
                        " ({} key, {} certificate)",
                        with_article(&key_name(&EC_PUBLIC_KEY, Some(key_curve))),
                        with_article(&key_name(&EC_PUBLIC_KEY, Some(cert_curve)))
                    )))
                }
                (key_curve, cert_curve) => match key_curve.or(cert_curve) {
                    Some(P256) => ec_check::<p256::NistP256>("P-256", scalar, public, cert_key),
                    Some(P384) => ec_check::<p384::NistP384>("P-384", scalar, public, cert_key),
                    curve => Err(Refusal::Unchecked(with_article(&format!(
                        "{} key",
                        key_name(&EC_PUBLIC_KEY, curve)
                    )))),
                },
            }
        }
        KeyParts::Ed25519 { seed, public } => {
            let derived = ed25519_dalek::SigningKey::from_bytes(seed)
                .verifying_key()
                .to_bytes();
            if public.as_ref().is_some_and(|p| p.as_slice() != derived) {
                Err(Refusal::Inconsistent(
                    "the public key it holds does not belong to its private key",
                ))
            } else if cert_key != derived {
                Err(Refusal::Mismatch(String::new()))
            } else {
                Ok(())
            }
        }
        KeyParts::Other => Err(Refusal::Unchecked(with_article(&format!(
            "{} key",
            algorithm_name(&key.algorithm)
        )))),
    };
    outcome.err()
}

/// The public key of a PKCS#1 private key, DER (`RSAPublicKey`, as in a certificate), once the
/// `rsa` crate has validated the key (`rsa::PrivateKey::from_components`, in constant time on
/// the secret parts): n is the product of the primes, e·d ≡ 1 modulo each prime − 1, d < n, the
/// primes distinct and above 1, e within RFC 8017's bounds.
fn rsa_public(pkcs1: &[u8]) -> Result<Vec<u8>, Refusal> {
    let invalid = |e: der::Error| Refusal::InvalidKey(format!("not a valid RSA key: {e}"));
    let key = pkcs1::RsaPrivateKeyRef::from_der(pkcs1).map_err(invalid)?;
    rsa_validate(&key)?;
    key.public_key().to_der().map_err(invalid)
}

/// Validates the parts of a PKCS#1 key with the `rsa` crate; what is wrong, in a key file's
/// terms.
fn rsa_validate(key: &pkcs1::RsaPrivateKeyRef<'_>) -> Result<(), Refusal> {
    let bits = u32::try_from(key.modulus.as_bytes().len().saturating_mul(8)).unwrap_or(u32::MAX);
    let uint = |u: pkcs1::UintRef<'_>| {
        rsa::BoxedUint::from_be_slice(u.as_bytes(), bits)
            .map_err(|_| Refusal::InvalidKey("not a valid RSA key: a number is too long".into()))
    };
    let mut primes = vec![uint(key.prime1)?, uint(key.prime2)?];
    if let Some(others) = &key.other_prime_infos {
        for info in others.iter() {
            primes.push(uint(info.prime)?);
        }
    }
    let (n, e, d) = (
        uint(key.modulus)?,
        uint(key.public_exponent)?,
        uint(key.private_exponent)?,
    );
    match rsa::PrivateKey::from_components(n, e, d, primes) {
        Ok(_) => Ok(()),
        Err(rsa::Error::InvalidModulus) => Err(Refusal::Inconsistent(
            "its modulus is not the product of its primes",
        )),
        Err(rsa::Error::InvalidExponent) => Err(Refusal::Inconsistent(
            "its public exponent does not go with its private exponent",
        )),
        Err(rsa::Error::InvalidPrime) => Err(Refusal::Inconsistent(
            "its prime factors are not distinct primes above 1",
        )),
        Err(e) => Err(Refusal::InvalidKey(format!("not a valid RSA key: {e}"))),
    }
}

/// Derives the public point of an EC private scalar on curve `C` and compares it with the
/// points the key file holds and with the certificate's (compressed or uncompressed).
fn ec_check<C>(
    curve: &str,
    scalar: &[u8],
    embedded: &[Vec<u8>],
    cert_key: &[u8],
) -> Result<(), Refusal>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    let secret = elliptic_curve::SecretKey::<C>::from_slice(scalar).map_err(|_| {
        Refusal::InvalidKey(format!(
            "not a valid {curve} key: its private scalar is zero, too long or not below the \
             curve order"
        ))
    })?;
    let derived = secret.public_key();
    let point = elliptic_curve::PublicKey::<C>::from_sec1_bytes;
    if embedded.iter().any(|p| point(p).ok() != Some(derived)) {
        return Err(Refusal::Inconsistent(
            "the public key it holds does not belong to its private key",
        ));
    }
    let cert_point = point(cert_key).map_err(|_| {
        Refusal::InvalidCertificate(format!(
            "the certificate's public key is not a valid {curve} point"
        ))
    })?;
    if cert_point == derived {
        Ok(())
    } else {
        Err(Refusal::Mismatch(String::new()))
    }
}

/// The parts of a SEC1 `ECPrivateKey`, with the curve and public key of the PKCS#8 structure
/// around it, if any.
fn ec_parts(
    der: &[u8],
    outer_curve: Option<ObjectIdentifier>,
    outer_public: Option<Vec<u8>>,
) -> Result<KeyParts, der::Error> {
    let key = sec1::EcPrivateKey::from_der(der)?;
    let inner_curve = key.parameters.and_then(|p| p.named_curve());
    let inner_public = key.public_key.map(<[u8]>::to_vec);
    Ok(KeyParts::Ec {
        curves: outer_curve.into_iter().chain(inner_curve).collect(),
        scalar: key.private_key.to_vec(),
        public: inner_public.into_iter().chain(outer_public).collect(),
    })
}

/// Things worth a warning that do not stop an upload: an expired or not-yet-valid certificate;
/// with `ca`, a first certificate whose basic constraints say otherwise (`Some(true)`: it should
/// be a CA; `Some(false)`: it should not, and `--ca` is the way to say it is).
pub fn warnings(certs: &Certificates, ca: Option<bool>) -> Vec<String> {
    let now = SystemTime::now();
    let mut out = Vec::new();
    for (i, cert) in certs.certs.iter().enumerate() {
        let tbs = cert.tbs_certificate();
        let validity = tbs.validity();
        let subject = tbs.subject();
        if validity.not_after.to_system_time() < now {
            out.push(format!(
                "{}: certificate {} ({subject}) expired on {}",
                certs.path,
                i + 1,
                validity.not_after
            ));
        } else if validity.not_before.to_system_time() > now {
            out.push(format!(
                "{}: certificate {} ({subject}) is not valid before {}",
                certs.path,
                i + 1,
                validity.not_before
            ));
        }
    }
    if let Some(ca) = ca {
        let is_ca = certs.certs[0]
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
            .ok()
            .flatten()
            .is_some_and(|(_, bc)| bc.ca);
        if ca && !is_ca {
            out.push(format!(
                "{}: the certificate is not a CA certificate (no basicConstraints CA:TRUE)",
                certs.path
            ));
        } else if !ca && is_ca {
            out.push(format!(
                "{}: the certificate is a CA (basicConstraints CA:TRUE); pass --ca to upload it as one",
                certs.path
            ));
        }
    }
    out
}

fn algorithm_name(oid: &ObjectIdentifier) -> String {
    match *oid {
        RSA_ENCRYPTION => "RSA".into(),
        RSASSA_PSS => "RSA-PSS".into(),
        DSA => "DSA".into(),
        EC_PUBLIC_KEY => "EC".into(),
        X25519 => "X25519".into(),
        X448 => "X448".into(),
        ED25519 => "Ed25519".into(),
        ED448 => "Ed448".into(),
        other => format!("OID {other}"),
    }
}

fn curve_name(oid: &ObjectIdentifier) -> String {
    match *oid {
        P256 => "P-256".into(),
        P384 => "P-384".into(),
        P521 => "P-521".into(),
        SECP256K1 => "secp256k1".into(),
        other => format!("curve {other}"),
    }
}

/// `EC P-256`, `RSA`, …: an algorithm, with the curve of an EC key when it is known.
fn key_name(algorithm: &ObjectIdentifier, curve: Option<ObjectIdentifier>) -> String {
    match (*algorithm, curve) {
        (EC_PUBLIC_KEY, Some(curve)) => format!("EC {}", curve_name(&curve)),
        (EC_PUBLIC_KEY, None) => "EC (no named curve)".into(),
        (other, _) => algorithm_name(&other),
    }
}

/// `an RSA key`, `a DSA key`: the article goes by how the first letter is read out.
fn with_article(words: &str) -> String {
    let vowel_sound =
        words.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X']);
    format!("{} {words}", if vowel_sound { "an" } else { "a" })
}

/// Why an encrypted key is refused, and what to do.
const ENCRYPTED: &str = "the private key is encrypted; Cloudflare needs it unencrypted (decrypt a \
                         copy with `openssl pkey -in KEY -out PLAIN.pem`)";

fn encrypted(path: &str) -> CliError {
    input(path, ENCRYPTED)
}

fn encode(label: &str, der: &[u8]) -> String {
    pem::encode(label, der)
}

/// Reads a file and decodes every PEM block in it (text around blocks is ignored, as RFC 7468
/// allows). `expected` is the label named when there is no block at all.
fn read_blocks(path: &Path, expected: &str) -> Result<Vec<Block>, CliError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| input(&shown, format!("cannot read: {e}")))?;
    parse_blocks(&bytes, expected).map_err(|problem| input(&shown, problem))
}

/// The blocks of a PEM text, read by the project's one PEM reader (the stand-in's:
/// `cloudflare_mtls::testing::pem`, RFC 7468's lax rules), its errors in a file's terms.
/// `expected` is the label named when there is no block at all.
fn parse_blocks(bytes: &[u8], expected: &str) -> Result<Vec<Block>, String> {
    let no_block = || format!("no PEM block found (expected -----BEGIN {expected}-----)");
    pem::blocks(bytes).map_err(|e| match e {
        PemError::NoBlock => no_block(),
        PemError::Binary => format!("{} (the file is binary: DER?)", no_block()),
        PemError::Encrypted => ENCRYPTED.to_owned(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys;

    fn data(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name)
    }

    fn message(e: CliError) -> String {
        match e {
            CliError::Input(m) => m,
            other => panic!("not an input error: {other:?}"),
        }
    }

    #[test]
    fn accepts_each_key_form_with_its_certificate() {
        let leaf = certificates(&data("leaf.pem")).unwrap();
        for key in ["leaf.key", "leaf-sec1.key"] {
            check_pair(&leaf, &private_key(&data(key)).unwrap()).unwrap();
        }
        let rsa = certificates(&data("rsa.pem")).unwrap();
        check_pair(&rsa, &private_key(&data("rsa.key")).unwrap()).unwrap();
    }

    #[test]
    fn rejects_a_key_of_another_certificate() {
        let leaf = certificates(&data("leaf.pem")).unwrap();
        let e = message(check_pair(&leaf, &private_key(&data("other.key")).unwrap()).unwrap_err());
        assert!(
            e.contains("other.key") && e.contains("does not match"),
            "{e}"
        );
        let e = message(check_pair(&leaf, &private_key(&data("rsa.key")).unwrap()).unwrap_err());
        assert!(e.contains("an RSA key, an EC certificate"), "{e}");
    }

    // Keys and certificates made by the test (`crate::test_keys`), not fixture files.

    fn made_key(name: &str, pem: &str) -> PrivateKey {
        let blocks = parse_blocks(pem.as_bytes(), "PRIVATE KEY").unwrap();
        private_key_of(&blocks, name.to_string()).unwrap()
    }

    fn made_cert(pem: &str) -> Certificates {
        let blocks = parse_blocks(pem.as_bytes(), "CERTIFICATE").unwrap();
        certificates_of(&blocks, "cert.pem".to_string()).unwrap()
    }

    /// Checks `key` against `cert`; the message of the refusal, if any.
    fn refusal_of(cert: &str, name: &str, key: &str) -> Option<String> {
        check_pair(&made_cert(cert), &made_key(name, key))
            .err()
            .map(message)
    }

    fn assert_accepted(cert: &str, name: &str, key: &str) {
        if let Some(e) = refusal_of(cert, name, key) {
            panic!("{name} was refused: {e}");
        }
    }

    fn assert_mismatch(cert: &str, name: &str, key: &str) {
        let e = refusal_of(cert, name, key).unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(
            e,
            format!("{name}: the private key does not match the certificate in cert.pem"),
        );
    }

    fn assert_inconsistent(cert: &str, name: &str, key: &str, why: &str) {
        let e = refusal_of(cert, name, key).unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(e, format!("{name}: the key file is inconsistent: {why}"));
    }

    const FOREIGN_PUBLIC: &str = "the public key it holds does not belong to its private key";

    #[test]
    fn ec_keys_without_their_public_key_are_derived_and_compared() {
        use crate::test_keys::{ec_key, pem, pkcs8_pem, sec1_der, EC, P256, P384};
        for curve in [P256, P384] {
            let mine = ec_key(curve);
            let other = ec_key(curve);
            let cert = mine.certificate(false);
            // The forms of `openssl ec -no_public` and of PKCS#8 without the optional public
            // key, then SEC1 without the (optional) curve, which is then the certificate's.
            let forms = |key: &test_keys::EcKey| {
                [
                    ("sec1.key", key.sec1_pem(None)),
                    ("pkcs8.key", key.pkcs8_pem(None)),
                    (
                        "bare.key",
                        pem("EC PRIVATE KEY", &sec1_der(None, &key.scalar, None)),
                    ),
                ]
            };
            for (name, text) in forms(&mine) {
                assert_accepted(&cert, name, &text);
            }
            for (name, text) in forms(&other) {
                assert_mismatch(&cert, name, &text);
            }
            // With the public key too (SEC1 `publicKey`, PKCS#8 v2 `publicKey`).
            let with_public = |key: &test_keys::EcKey| {
                [
                    ("sec1-public.key", key.sec1_pem(Some(&key.point))),
                    ("pkcs8-public.key", key.pkcs8_pem(Some(&key.point))),
                    (
                        "pkcs8-v2.key",
                        pkcs8_pem(
                            EC,
                            Some((&curve).into()),
                            &sec1_der(None, &key.scalar, None),
                            Some(&key.point),
                        ),
                    ),
                ]
            };
            for (name, text) in with_public(&mine) {
                assert_accepted(&cert, name, &text);
            }
            for (name, text) in with_public(&other) {
                assert_mismatch(&cert, name, &text);
            }
        }
    }

    #[test]
    fn a_certificate_with_a_compressed_point_is_matched() {
        for curve in [test_keys::P256, test_keys::P384] {
            let mine = test_keys::ec_key(curve);
            let cert = mine.certificate(true);
            assert_accepted(&cert, "mine.key", &mine.sec1_pem(None));
            assert_accepted(&cert, "mine.key", &mine.pkcs8_pem(Some(&mine.compressed)));
            let other = test_keys::ec_key(curve);
            assert_mismatch(&cert, "other.key", &other.sec1_pem(None));
        }
    }

    #[test]
    fn an_ec_key_on_another_curve_is_refused() {
        let cert = test_keys::ec_key(test_keys::P256).certificate(false);
        let key = test_keys::ec_key(test_keys::P384).pkcs8_pem(None);
        assert_eq!(
            refusal_of(&cert, "p384.key", &key).unwrap(),
            "p384.key: the private key does not match the certificate in cert.pem \
             (an EC P-384 key, an EC P-256 certificate)"
        );
    }

    #[test]
    fn an_embedded_public_key_must_belong_to_the_private_key() {
        use crate::test_keys::{ec_key, pem, pkcs8_pem, sec1_der, EC, P256, P384};
        for curve in [P256, P384] {
            let mine = ec_key(curve);
            let other = ec_key(curve);
            // The certificate is the private scalar's: only the key file's copy is wrong.
            let cert = mine.certificate(false);
            let cases = [
                ("sec1.key", mine.sec1_pem(Some(&other.point))),
                ("pkcs8.key", mine.pkcs8_pem(Some(&other.compressed))),
                (
                    "pkcs8-v2.key",
                    pkcs8_pem(
                        EC,
                        Some((&curve).into()),
                        &sec1_der(None, &mine.scalar, Some(&mine.point)),
                        Some(&other.point),
                    ),
                ),
                (
                    "not-a-point.key",
                    pem(
                        "EC PRIVATE KEY",
                        &sec1_der(Some(curve), &mine.scalar, Some(&[4, 1, 2, 3])),
                    ),
                ),
            ];
            for (name, text) in cases {
                assert_inconsistent(&cert, name, &text, FOREIGN_PUBLIC);
            }
        }
        // PKCS#8 naming one curve, the SEC1 key inside another.
        let mine = ec_key(P256);
        let text = pkcs8_pem(
            EC,
            Some((&P256).into()),
            &sec1_der(Some(P384), &mine.scalar, None),
            None,
        );
        assert_inconsistent(
            &mine.certificate(false),
            "curves.key",
            &text,
            "its PKCS#8 algorithm and its SEC1 key name different curves",
        );
    }

    #[test]
    fn an_invalid_ec_private_scalar_is_refused() {
        use crate::test_keys::{ec_key, pem, sec1_der, P256};
        let cert = ec_key(P256).certificate(false);
        // Zero, and a value above the P-256 group order.
        for scalar in [[0u8; 32], [0xff; 32]] {
            let text = pem("EC PRIVATE KEY", &sec1_der(Some(P256), &scalar, None));
            let e = refusal_of(&cert, "bad.key", &text).unwrap();
            assert!(e.starts_with("bad.key: not a valid P-256 key"), "{e}");
        }
    }

    #[test]
    fn ed25519_keys_are_derived_from_the_seed_and_compared() {
        use crate::test_keys::{certificate, ed25519_key, eddsa_pem, ED25519};
        let (seed, public) = ed25519_key();
        let (other_seed, other_public) = ed25519_key();
        let cert = certificate(ED25519, None, &public);
        assert_accepted(&cert, "mine.key", &eddsa_pem(ED25519, &seed, None));
        assert_accepted(&cert, "mine.key", &eddsa_pem(ED25519, &seed, Some(&public)));
        assert_mismatch(&cert, "other.key", &eddsa_pem(ED25519, &other_seed, None));
        assert_mismatch(
            &cert,
            "other.key",
            &eddsa_pem(ED25519, &other_seed, Some(&other_public)),
        );
        assert_inconsistent(
            &cert,
            "mixed.key",
            &eddsa_pem(ED25519, &seed, Some(&other_public)),
            FOREIGN_PUBLIC,
        );
    }

    #[test]
    fn rsa_keys_are_checked_through_their_primes() {
        use crate::test_keys::{ec_key, rsa_pkcs8_pem, P256};
        use crate::test_keys::{pem, rsa_certificate, rsa_keys, rsa_pkcs1_der, rsa_pkcs1_pem};
        let [mine, other] = rsa_keys();
        let cert = rsa_certificate(mine);
        assert_accepted(&cert, "pkcs1.key", &rsa_pkcs1_pem(mine));
        assert_accepted(&cert, "pkcs8.key", &rsa_pkcs8_pem(mine));
        assert_mismatch(&cert, "pkcs1.key", &rsa_pkcs1_pem(other));
        assert_mismatch(&cert, "pkcs8.key", &rsa_pkcs8_pem(other));

        // The certificate's modulus with another key's primes, and the right modulus with another
        // public exponent.
        let other_der = rsa_pkcs1_der(other);
        let other_parts = pkcs1::RsaPrivateKeyRef::from_der(&other_der).unwrap();
        let mine_der = rsa_pkcs1_der(mine);
        let mine_parts = pkcs1::RsaPrivateKeyRef::from_der(&mine_der).unwrap();
        let swapped = pkcs1::RsaPrivateKeyRef {
            modulus: mine_parts.modulus,
            public_exponent: mine_parts.public_exponent,
            ..other_parts.clone()
        };
        assert_inconsistent(
            &cert,
            "swapped.key",
            &pem("RSA PRIVATE KEY", &swapped.to_der().unwrap()),
            "its modulus is not the product of its primes",
        );
        let three = pkcs1::UintRef::new(&[3]).unwrap();
        let exponent = pkcs1::RsaPrivateKeyRef {
            public_exponent: three,
            ..mine_parts.clone()
        };
        assert_inconsistent(
            &cert,
            "exponent.key",
            &pem("RSA PRIVATE KEY", &exponent.to_der().unwrap()),
            "its public exponent does not go with its private exponent",
        );

        // A private exponent not below the modulus (RFC 8017 §3.2), and an even public exponent.
        let big_d = pkcs1::RsaPrivateKeyRef {
            private_exponent: mine_parts.modulus,
            ..mine_parts.clone()
        };
        let even_e = pkcs1::RsaPrivateKeyRef {
            public_exponent: pkcs1::UintRef::new(&[4]).unwrap(),
            ..mine_parts.clone()
        };

        // Prime factors that are not distinct, or not above 1, whose product is still the
        // modulus: p·p with the primes (p, p), and the certificate's modulus as (1, n).
        let p = mine_parts.prime1.as_bytes();
        let bits = u32::try_from(p.len() * 16).unwrap();
        let p_uint = rsa::BoxedUint::from_be_slice(p, bits).unwrap();
        let square = (&p_uint * &p_uint).to_be_bytes();
        let first = square.iter().position(|b| *b != 0).unwrap();
        let square = pkcs1::UintRef::new(&square[first..]).unwrap();
        let repeated = pkcs1::RsaPrivateKeyRef {
            modulus: square,
            prime2: mine_parts.prime1,
            ..mine_parts.clone()
        };
        let one = pkcs1::UintRef::new(&[1]).unwrap();
        let unit = pkcs1::RsaPrivateKeyRef {
            prime1: one,
            prime2: mine_parts.modulus,
            ..mine_parts.clone()
        };
        let exponents = "its public exponent does not go with its private exponent";
        let primes = "its prime factors are not distinct primes above 1";
        for (name, key, why) in [
            ("d.key", big_d, exponents),
            ("even.key", even_e, exponents),
            ("repeated.key", repeated, primes),
            ("one.key", unit, primes),
        ] {
            let text = pem("RSA PRIVATE KEY", &key.to_der().unwrap());
            assert_inconsistent(&cert, name, &text, why);
        }

        let e = refusal_of(
            &ec_key(P256).certificate(false),
            "rsa.key",
            &rsa_pkcs1_pem(mine),
        );
        assert!(e.unwrap().ends_with("(an RSA key, an EC certificate)"));
    }

    #[test]
    fn keys_cfmtls_cannot_check_are_refused_with_the_reason() {
        use crate::test_keys::{certificate, eddsa_pem, pem, random, sec1_der};
        use crate::test_keys::{EC, ED448, SECP256K1};
        // An Ed448 key is any 57 bytes (RFC 8032 §5.2.5). cfmtls cannot derive its public key;
        // neither can this test, so the certificate holds random bytes where it would be.
        let ed448 = eddsa_pem(ED448, &random::<57>(), None);
        let cert = certificate(ED448, None, &random::<57>());
        assert_eq!(
            refusal_of(&cert, "ed448.key", &ed448).unwrap(),
            "ed448.key: cannot check an Ed448 key against the certificate; pass --skip-key-check \
             to upload it unchecked"
        );
        // secp256k1: almost every 32 random bytes are a key.
        let k256 = pem(
            "EC PRIVATE KEY",
            &sec1_der(Some(SECP256K1), &random::<32>(), None),
        );
        let mut point = random::<65>();
        point[0] = 4;
        let cert = certificate(EC, Some((&SECP256K1).into()), &point);
        assert_eq!(
            refusal_of(&cert, "k256.key", &k256).unwrap(),
            "k256.key: cannot check an EC secp256k1 key against the certificate; pass \
             --skip-key-check to upload it unchecked"
        );
        // What `--skip-key-check` still requires: one valid private key (made_key unwraps).
        made_key("ed448.key", &ed448);
        made_key("k256.key", &k256);
    }

    #[test]
    fn reencodes_what_it_validated() {
        let text = std::fs::read_to_string(data("ca.pem")).unwrap();
        let noisy =
            format!("Certificate:\n  some openssl -text output\r\n{text}\ntrailing words\n");
        let blocks = parse_blocks(noisy.as_bytes(), "CERTIFICATE").unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(encode("CERTIFICATE", &blocks[0].der), text);
    }

    #[test]
    fn accepts_any_base64_line_width() {
        let text = std::fs::read_to_string(data("rsa.pem")).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        let one_line = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
        let blocks = parse_blocks(one_line.as_bytes(), "CERTIFICATE").unwrap();
        assert!(Certificate::from_der(&blocks[0].der).is_ok());
    }

    #[test]
    fn names_the_problem_of_a_bad_block() {
        let cases: [(&str, &str); 5] = [
            ("hello", "no PEM block found (expected -----BEGIN CERTIFICATE-----)"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n", "has no `-----END CERTIFICATE-----` line"),
            ("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "is not valid"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "encrypted",
            ),
            ("\u{0}\u{1}\u{ff}", "no PEM block found"),
        ];
        for (text, wanted) in cases {
            let e = match parse_blocks(text.as_bytes(), "CERTIFICATE") {
                Ok(_) => panic!("{text:?} was accepted"),
                Err(e) => e,
            };
            assert!(e.contains(wanted), "{text:?}: {e}");
        }
        assert!(parse_blocks(&[0x30, 0x82, 0xff], "CERTIFICATE")
            .err()
            .unwrap()
            .contains("binary"));
    }

    #[test]
    fn a_key_debug_shows_no_key() {
        let key = private_key(&data("leaf.key")).unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains("BEGIN") && shown.contains("EC"), "{shown}");
    }

    #[test]
    fn warns_when_ca_disagrees_with_the_certificate() {
        let ca = certificates(&data("ca.pem")).unwrap();
        assert!(warnings(&ca, Some(true)).is_empty());
        assert!(warnings(&ca, Some(false))[0].contains("pass --ca"));
        let leaf = certificates(&data("leaf.pem")).unwrap();
        assert!(warnings(&leaf, Some(true))[0].contains("not a CA certificate"));
        assert!(warnings(&leaf, None).is_empty());
    }
}
