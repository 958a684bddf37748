//! Local checks of PEM input, before anything is sent: certificates must be CERTIFICATE blocks
//! that parse as X.509, private keys PKCS#8 / PKCS#1 (RSA) / SEC1 (EC) blocks that parse as DER
//! (and match the certificate, where that can be told without cryptography), CSRs CERTIFICATE
//! REQUEST blocks that parse. Every message names the file; none repeats a key's contents.
//!
//! What is sent is the validated blocks re-encoded as canonical PEM (64-column base64, `\n` line
//! ends), so text around the blocks (`openssl x509 -text` output, say) never reaches the API.

use crate::errors::CliError;
use der::oid::ObjectIdentifier;
use der::pem::LineEnding;
use der::{Decode, Encode};
use std::fmt;
use std::path::Path;
use std::time::SystemTime;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::request::CertReq;
use x509_cert::Certificate;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

const KEY_LABELS: &str = "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

/// One decoded PEM block.
struct Block {
    label: String,
    der: Vec<u8>,
}

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
    /// The public key as it appears in a certificate's `subjectPublicKey`, when the key file
    /// carries it (RSA always; EC and EdDSA when the file includes it).
    public_key: Option<Vec<u8>>,
    path: String,
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

/// Reads `path` and checks that it holds exactly one unencrypted private key.
pub fn private_key(path: &Path) -> Result<PrivateKey, CliError> {
    let shown = path.display().to_string();
    let blocks = read_blocks(path, "PRIVATE KEY")?;
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
    let (algorithm, public_key) = match block.label.as_str() {
        "PRIVATE KEY" => {
            let info = pkcs8::PrivateKeyInfoRef::from_der(&block.der)
                .map_err(|e| invalid("PKCS#8 private key", e))?;
            let inner = info.private_key.as_bytes();
            let public = match info.algorithm.oid {
                RSA_ENCRYPTION => Some(rsa_public(inner).map_err(|e| invalid("RSA key", e))?),
                EC_PUBLIC_KEY => ec_public(inner).map_err(|e| invalid("EC key", e))?,
                _ => info.public_key.map(|k| k.raw_bytes().to_vec()),
            };
            (info.algorithm.oid, public)
        }
        "RSA PRIVATE KEY" => {
            let public =
                rsa_public(&block.der).map_err(|e| invalid("PKCS#1 RSA private key", e))?;
            (RSA_ENCRYPTION, Some(public))
        }
        "EC PRIVATE KEY" => {
            let public = ec_public(&block.der).map_err(|e| invalid("SEC1 EC private key", e))?;
            (EC_PUBLIC_KEY, public)
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
        public_key,
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

/// Checks that `key` belongs to the first certificate of `certs` (the leaf): same algorithm and,
/// when the key file carries its public key (always for RSA; for EC when the file includes it,
/// as OpenSSL's do), the same public key.
pub fn check_pair(certs: &Certificates, key: &PrivateKey) -> Result<(), CliError> {
    let spki = certs.certs[0].tbs_certificate().subject_public_key_info();
    let mismatch = |detail: String| {
        input(
            &key.path,
            format!(
                "the private key does not match the certificate in {}{detail}",
                certs.path
            ),
        )
    };
    if spki.algorithm.oid != key.algorithm {
        return Err(mismatch(format!(
            " (an {} key, an {} certificate)",
            algorithm_name(&key.algorithm),
            algorithm_name(&spki.algorithm.oid)
        )));
    }
    match &key.public_key {
        Some(public) if public.as_slice() != spki.subject_public_key.raw_bytes() => {
            Err(mismatch(String::new()))
        }
        _ => Ok(()),
    }
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

fn rsa_public(der: &[u8]) -> Result<Vec<u8>, der::Error> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der)?;
    key.public_key().to_der()
}

fn ec_public(der: &[u8]) -> Result<Option<Vec<u8>>, der::Error> {
    let key = sec1::EcPrivateKey::from_der(der)?;
    Ok(key.public_key.map(<[u8]>::to_vec))
}

fn algorithm_name(oid: &ObjectIdentifier) -> String {
    match *oid {
        RSA_ENCRYPTION => "RSA".into(),
        EC_PUBLIC_KEY => "EC".into(),
        ED25519 => "Ed25519".into(),
        ED448 => "Ed448".into(),
        other => other.to_string(),
    }
}

fn encrypted(path: &str) -> CliError {
    input(
        path,
        "the private key is encrypted; Cloudflare needs it unencrypted \
         (decrypt a copy with `openssl pkey -in KEY -out PLAIN.pem`)",
    )
}

fn encode(label: &str, der: &[u8]) -> String {
    // Only fails for an invalid label; ours are fixed strings or labels that just decoded.
    der::pem::encode_string(label, LineEnding::LF, der).unwrap_or_default()
}

/// Reads a file and decodes every PEM block in it (text around blocks is ignored, as RFC 7468
/// allows). `expected` is the label named when there is no block at all.
fn read_blocks(path: &Path, expected: &str) -> Result<Vec<Block>, CliError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| input(&shown, format!("cannot read: {e}")))?;
    parse_blocks(&bytes, expected).map_err(|problem| input(&shown, problem))
}

/// The blocks of a PEM text. Base64 lines of any width are accepted (they are re-wrapped before
/// decoding); RFC 1421 headers are not, and mark a legacy encrypted key.
fn parse_blocks(bytes: &[u8], expected: &str) -> Result<Vec<Block>, String> {
    let no_block = || format!("no PEM block found (expected -----BEGIN {expected}-----)");
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("{} (the file is binary: DER?)", no_block()))?;
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim).enumerate();
    while let Some((line_no, line)) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let n = blocks.len() + 1;
        let at = format!("PEM block {n} ({label}, line {})", line_no + 1);
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for (_, line) in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            if line.starts_with("-----") {
                break;
            }
            if line.contains(':') {
                return Err(
                    if line.starts_with("Proc-Type:") && line.contains("ENCRYPTED") {
                        "the private key is encrypted; Cloudflare needs it unencrypted (decrypt a \
                     copy with `openssl pkey -in KEY -out PLAIN.pem`)"
                            .to_string()
                    } else {
                        format!("{at} has headers, which PEM (RFC 7468) does not allow")
                    },
                );
            }
            body.push_str(line);
        }
        if !closed {
            return Err(format!("{at} has no `{end}` line"));
        }
        if body.is_empty() || !body.is_ascii() {
            return Err(format!("{at} is not base64"));
        }
        let mut pem = format!("-----BEGIN {label}-----\n");
        for chunk in body.as_bytes().chunks(64) {
            // ASCII, checked above.
            pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            pem.push('\n');
        }
        pem.push_str(&end);
        pem.push('\n');
        let (_, der) =
            der::pem::decode_vec(pem.as_bytes()).map_err(|e| format!("{at} is not valid: {e}"))?;
        blocks.push(Block {
            label: label.to_string(),
            der,
        });
    }
    if blocks.is_empty() {
        return Err(no_block());
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

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
