//! Private keys and certificates made at test time, for the tests of the key check (`--key`
//! against `--cert`). Shared by the unit tests of `src/pem.rs` and the end-to-end tests, so it
//! uses nothing from either; each uses only part of it.
//!
//! Keys come from the operating system's random source (RSA through the `rsa` crate, EC and
//! Ed25519 from random bytes); certificates are built with x509-cert's builder and signed by a
//! throwaway P-256 issuer. cfmtls never verifies a signature, only reads the certificate's
//! `subjectPublicKeyInfo`.
#![allow(dead_code)]

use der::asn1::{AnyRef, BitString, BitStringRef, OctetStringRef};
use der::oid::ObjectIdentifier;
use der::pem::LineEnding;
use der::{Any, Encode, EncodePem};
use elliptic_curve::sec1::ToSec1Point;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifier, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::Validity;

pub const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
pub const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// `N` bytes from the operating system's random source.
pub fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).expect("the OS random source");
    bytes
}

/// A new EC key pair.
pub struct EcKey {
    pub curve: ObjectIdentifier,
    /// The private scalar, big-endian, full width.
    pub scalar: Vec<u8>,
    /// The public point, SEC1 uncompressed.
    pub point: Vec<u8>,
    /// The public point, SEC1 compressed.
    pub compressed: Vec<u8>,
}

/// A new P-256 (`curve == P256`) or P-384 (`curve == P384`) key pair.
pub fn ec_key(curve: ObjectIdentifier) -> EcKey {
    fn make<C>(curve: ObjectIdentifier, scalar: &[u8]) -> Option<EcKey>
    where
        C: elliptic_curve::CurveArithmetic,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
        elliptic_curve::AffinePoint<C>: elliptic_curve::sec1::FromSec1Point<C> + ToSec1Point<C>,
    {
        // A random value below the curve order (almost every one is).
        let secret = elliptic_curve::SecretKey::<C>::from_slice(scalar).ok()?;
        let public = secret.public_key();
        Some(EcKey {
            curve,
            scalar: scalar.to_vec(),
            point: public.to_sec1_point(false).as_bytes().to_vec(),
            compressed: public.to_sec1_point(true).as_bytes().to_vec(),
        })
    }
    loop {
        let made = match curve {
            P256 => make::<p256::NistP256>(curve, &random::<32>()),
            P384 => make::<p384::NistP384>(curve, &random::<48>()),
            other => panic!("no generator for curve {other}"),
        };
        if let Some(key) = made {
            return key;
        }
    }
}

/// A SEC1 `ECPrivateKey` (DER), naming `curve` when given, with `public` when given.
pub fn sec1_der(curve: Option<ObjectIdentifier>, scalar: &[u8], public: Option<&[u8]>) -> Vec<u8> {
    sec1::EcPrivateKey {
        private_key: scalar,
        parameters: curve.map(sec1::EcParameters::NamedCurve),
        public_key: public,
    }
    .to_der()
    .expect("SEC1 encoding")
}

/// A PKCS#8 `PrivateKeyInfo` (`OneAsymmetricKey` v2 when `public` is given), PEM.
pub fn pkcs8_pem(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    private_key: &[u8],
    public: Option<&[u8]>,
) -> String {
    let mut info = pkcs8::PrivateKeyInfoRef::new(
        AlgorithmIdentifier {
            oid: algorithm,
            parameters,
        },
        OctetStringRef::new(private_key).expect("an OCTET STRING"),
    );
    info.public_key = public.map(|p| BitStringRef::from_bytes(p).expect("a BIT STRING"));
    pem("PRIVATE KEY", &info.to_der().expect("PKCS#8 encoding"))
}

impl EcKey {
    /// `EC PRIVATE KEY` (SEC1, as `openssl ec` writes it: with the curve), with `public` when
    /// given (`Some(&key.point)`, or another key's point for an inconsistent file).
    pub fn sec1_pem(&self, public: Option<&[u8]>) -> String {
        pem(
            "EC PRIVATE KEY",
            &sec1_der(Some(self.curve), &self.scalar, public),
        )
    }

    /// `PRIVATE KEY` (PKCS#8, as OpenSSL writes it: the curve in the algorithm, not in the SEC1
    /// key inside), with `public` inside the SEC1 key when given.
    pub fn pkcs8_pem(&self, public: Option<&[u8]>) -> String {
        pkcs8_pem(
            EC,
            Some(AnyRef::from(&self.curve)),
            &sec1_der(None, &self.scalar, public),
            None,
        )
    }

    /// A certificate for this key, its point uncompressed (or compressed).
    pub fn certificate(&self, compressed: bool) -> String {
        let point = if compressed {
            &self.compressed
        } else {
            &self.point
        };
        certificate(EC, Some(Any::from(&self.curve)), point)
    }
}

/// A new Ed25519 key: its seed and public key.
pub fn ed25519_key() -> ([u8; 32], [u8; 32]) {
    let seed = random::<32>();
    let public = ed25519_dalek::SigningKey::from_bytes(&seed)
        .verifying_key()
        .to_bytes();
    (seed, public)
}

/// An Ed25519 (or Ed448) `PRIVATE KEY` (RFC 8410): the seed, wrapped as `CurvePrivateKey`.
pub fn eddsa_pem(algorithm: ObjectIdentifier, seed: &[u8], public: Option<&[u8]>) -> String {
    let curve_private_key = OctetStringRef::new(seed)
        .expect("an OCTET STRING")
        .to_der()
        .expect("DER");
    pkcs8_pem(algorithm, None, &curve_private_key, public)
}

/// Two RSA-2048 keys, made once per test process (key generation is slow in a debug build).
pub fn rsa_keys() -> &'static [rsa::PrivateKey; 2] {
    static KEYS: OnceLock<[rsa::PrivateKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let make = || rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).expect("an RSA key");
        [make(), make()]
    })
}

/// An `RSA PRIVATE KEY` (PKCS#1).
pub fn rsa_pkcs1_pem(key: &rsa::PrivateKey) -> String {
    pem("RSA PRIVATE KEY", &rsa_pkcs1_der(key))
}

pub fn rsa_pkcs1_der(key: &rsa::PrivateKey) -> Vec<u8> {
    key.to_pkcs1_der()
        .expect("PKCS#1 encoding")
        .as_bytes()
        .to_vec()
}

/// A `PRIVATE KEY` (PKCS#8) holding an RSA key.
pub fn rsa_pkcs8_pem(key: &rsa::PrivateKey) -> String {
    pkcs8_pem(RSA, Some(AnyRef::NULL), &rsa_pkcs1_der(key), None)
}

/// A certificate for an RSA key.
pub fn rsa_certificate(key: &rsa::PrivateKey) -> String {
    let public = key.to_public_key().to_pkcs1_der().expect("PKCS#1 encoding");
    certificate(RSA, Some(Any::null()), public.as_bytes())
}

/// A leaf certificate `CN=key-check.example.com` whose `subjectPublicKeyInfo` is `algorithm`,
/// `parameters` and `public_key`, signed by a throwaway P-256 key.
pub fn certificate(
    algorithm: ObjectIdentifier,
    parameters: Option<Any>,
    public_key: &[u8],
) -> String {
    struct Leaf(Name);
    impl BuilderProfile for Leaf {
        fn get_issuer(&self, _subject: &Name) -> Name {
            self.0.clone()
        }
        fn get_subject(&self) -> Name {
            self.0.clone()
        }
        fn build_extensions(
            &self,
            _spk: SubjectPublicKeyInfoRef<'_>,
            _issuer_spk: SubjectPublicKeyInfoRef<'_>,
            _tbs: &TbsCertificate,
        ) -> x509_cert::builder::Result<Vec<Extension>> {
            Ok(Vec::new())
        }
    }
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifier {
            oid: algorithm,
            parameters,
        },
        subject_public_key: BitString::from_bytes(public_key).expect("a BIT STRING"),
    };
    let issuer = ec_key(P256);
    let signer = p256::ecdsa::SigningKey::from_slice(&issuer.scalar).expect("a P-256 key");
    let name = Name::from_str("CN=key-check.example.com").expect("a name");
    let builder = CertificateBuilder::new(
        Leaf(name),
        SerialNumber::from(1u32),
        Validity::from_now(Duration::from_secs(86_400)).expect("a validity"),
        spki,
    )
    .expect("a certificate builder");
    builder
        .build::<_, p256::ecdsa::DerSignature>(&signer)
        .expect("a signed certificate")
        .to_pem(LineEnding::LF)
        .expect("PEM")
}

/// A PEM block, as the CLI re-encodes it.
pub fn pem(label: &str, der: &[u8]) -> String {
    der::pem::encode_string(label, LineEnding::LF, der).expect("PEM")
}
