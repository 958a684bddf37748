//! The one PEM reader of the project: the stand-in reads uploads with it, and `cfmtls` reads
//! `--cert`, `--key` and `--csr` files with it, so a file one accepts the other accepts too.
//!
//! The rules are RFC 7468's lax parsing (§2, §3), decoded by the `der` crate's RFC 7468 decoder
//! (`pem-rfc7468`, constant-time base64):
//! - text before, between and after blocks is ignored (`openssl x509 -text` output, say);
//! - a block starts at a line that is exactly `-----BEGIN LABEL-----` and ends at the line
//!   `-----END LABEL-----` with the same label; whitespace around a line is ignored, and so are
//!   `\r\n` line ends;
//! - base64 lines of any width are read (generators wrap at 64; parsers may accept others);
//! - RFC 1421 headers (`Proc-Type:`, `DEK-Info:`) are refused: RFC 7468 has none, and they mark a
//!   legacy encrypted key ([`PemError::Encrypted`]);
//! - every block is returned with its label: which labels are welcome is the caller's business.

use der::pem::LineEnding;
use std::fmt;

/// One decoded PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Block {
    /// The label (`CERTIFICATE`, `PRIVATE KEY`, …).
    pub label: String,
    /// The decoded contents.
    pub der: Vec<u8>,
    /// The line of its `-----BEGIN` boundary, 1 for the first.
    pub line: usize,
}

/// Why a PEM text could not be read. Block numbers and lines count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemError {
    /// The input is not UTF-8 text (DER, perhaps).
    Binary,
    /// The input holds no `-----BEGIN` line.
    NoBlock,
    /// A block has no `-----END` line with its label.
    Unterminated {
        /// Which block.
        block: usize,
        /// Its label.
        label: String,
        /// The line of its `-----BEGIN`.
        line: usize,
    },
    /// A block has RFC 1421 headers, which RFC 7468 does not allow.
    Headers {
        /// Which block.
        block: usize,
        /// Its label.
        label: String,
        /// The line of its `-----BEGIN`.
        line: usize,
    },
    /// A block has the `Proc-Type: 4,ENCRYPTED` header of a legacy encrypted key.
    Encrypted,
    /// A block's body is empty or not ASCII.
    NotBase64 {
        /// Which block.
        block: usize,
        /// Its label.
        label: String,
        /// The line of its `-----BEGIN`.
        line: usize,
    },
    /// The RFC 7468 decoder refused a block (bad base64, a bad label).
    Invalid {
        /// Which block.
        block: usize,
        /// Its label.
        label: String,
        /// The line of its `-----BEGIN`.
        line: usize,
        /// The decoder's reason.
        reason: String,
    },
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |block: &usize, label: &str, line: &usize| {
            format!("PEM block {block} ({label}, line {line})")
        };
        match self {
            PemError::Binary => f.write_str("no PEM block found (the input is binary: DER?)"),
            PemError::NoBlock => f.write_str("no PEM block found"),
            PemError::Unterminated { block, label, line } => write!(
                f,
                "{} has no `-----END {label}-----` line",
                at(block, label, line)
            ),
            PemError::Headers { block, label, line } => write!(
                f,
                "{} has headers, which PEM (RFC 7468) does not allow",
                at(block, label, line)
            ),
            PemError::Encrypted => f.write_str("the private key is encrypted"),
            PemError::NotBase64 { block, label, line } => {
                write!(f, "{} is not base64", at(block, label, line))
            }
            PemError::Invalid {
                block,
                label,
                line,
                reason,
            } => write!(f, "{} is not valid: {reason}", at(block, label, line)),
        }
    }
}

impl std::error::Error for PemError {}

/// Decodes every PEM block of `input` (the rules are in the [module docs](self)).
pub fn blocks(input: &[u8]) -> Result<Vec<Block>, PemError> {
    let text = std::str::from_utf8(input).map_err(|_| PemError::Binary)?;
    let mut found = Vec::new();
    let mut lines = text.lines().map(str::trim).enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(label) = begin_label(line) else {
            continue;
        };
        let (block, line) = (found.len() + 1, index + 1);
        let body = body(&mut lines, label, block, line)?;
        let der = decode(label, &body).map_err(|reason| PemError::Invalid {
            block,
            label: label.to_owned(),
            line,
            reason,
        })?;
        found.push(Block {
            label: label.to_owned(),
            der,
            line,
        });
    }
    if found.is_empty() {
        return Err(PemError::NoBlock);
    }
    Ok(found)
}

/// The label of a `-----BEGIN LABEL-----` line.
fn begin_label(line: &str) -> Option<&str> {
    line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")
}

/// The base64 of a block, up to its `-----END` line, joined.
fn body<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    label: &str,
    block: usize,
    line: usize,
) -> Result<String, PemError> {
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    for (_, text) in lines.by_ref() {
        if text == end {
            if body.is_empty() || !body.is_ascii() {
                let label = label.to_owned();
                return Err(PemError::NotBase64 { block, label, line });
            }
            return Ok(body);
        }
        if text.starts_with("-----") {
            break;
        }
        if text.contains(':') {
            let label = label.to_owned();
            return Err(
                if text.starts_with("Proc-Type:") && text.contains("ENCRYPTED") {
                    PemError::Encrypted
                } else {
                    PemError::Headers { block, label, line }
                },
            );
        }
        body.push_str(text);
    }
    let label = label.to_owned();
    Err(PemError::Unterminated { block, label, line })
}

/// Decodes one block's base64 (ASCII) with the RFC 7468 decoder, re-wrapped at 64 columns.
fn decode(label: &str, base64: &str) -> Result<Vec<u8>, String> {
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in base64.as_bytes().chunks(64) {
        // ASCII, checked by `body`.
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    der::pem::decode_vec(pem.as_bytes())
        .map(|(_, der)| der)
        .map_err(|e| e.to_string())
}

/// `der` as canonical PEM: 64-column base64, `\n` line ends. Empty for a label RFC 7468 does
/// not allow (labels that just decoded, and fixed ones, are allowed).
pub fn encode(label: &str, der: &[u8]) -> String {
    der::pem::encode_string(label, LineEnding::LF, der).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DER: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x07];

    fn one(text: &str) -> Result<Vec<Block>, PemError> {
        blocks(text.as_bytes())
    }

    // The cases where the CLI's scanner and the stand-in's (before they were this one) disagreed.

    #[test]
    fn a_boundary_is_a_whole_line() {
        let pem = encode("CERTIFICATE", &DER);
        // The stand-in found `-----BEGIN` anywhere; here it must start its line.
        assert_eq!(one(&format!("text {pem}")), Err(PemError::NoBlock));
        let indented = pem.replace("-----BEGIN", "  -----BEGIN");
        assert_eq!(one(&indented).unwrap()[0].der, DER);
    }

    #[test]
    fn the_end_line_must_name_the_same_label() {
        let text = "-----BEGIN CERTIFICATE-----\nMAMCAQc=\n-----END X509 CRL-----\n";
        assert!(matches!(one(text), Err(PemError::Unterminated { .. })));
    }

    #[test]
    fn lines_of_any_width_and_crlf_are_read() {
        let pem = encode("CERTIFICATE", &[7u8; 200]);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        for width in [1, 63, 64, 76, body.len()] {
            let mut text = "-----BEGIN CERTIFICATE-----\r\n".to_owned();
            for chunk in body.as_bytes().chunks(width) {
                text.push_str(std::str::from_utf8(chunk).unwrap());
                text.push_str(" \r\n");
            }
            text.push_str("-----END CERTIFICATE-----\r\n");
            assert_eq!(one(&text).unwrap()[0].der, [7u8; 200], "width {width}");
        }
    }

    #[test]
    fn blocks_of_every_label_are_returned_in_order() {
        let text = format!(
            "{}between\n{}",
            encode("PRIVATE KEY", &DER),
            encode("CERTIFICATE", &DER)
        );
        let found = one(&text).unwrap();
        let labels: Vec<&str> = found.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["PRIVATE KEY", "CERTIFICATE"]);
        assert_eq!((found[0].line, found[1].line), (1, 5));
    }

    #[test]
    fn headers_bad_base64_and_binary_are_refused() {
        let headers = "-----BEGIN X-----\nComment: hi\n\nMAMCAQc=\n-----END X-----\n";
        assert!(matches!(one(headers), Err(PemError::Headers { .. })));
        let encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n\
                         -----END RSA PRIVATE KEY-----\n";
        assert_eq!(one(encrypted), Err(PemError::Encrypted));
        let bad = "-----BEGIN X-----\n!!!!\n-----END X-----\n";
        assert!(matches!(one(bad), Err(PemError::Invalid { .. })));
        let empty = "-----BEGIN X-----\n-----END X-----\n";
        assert!(matches!(one(empty), Err(PemError::NotBase64 { .. })));
        assert_eq!(blocks(&[0x30, 0x82, 0xff]), Err(PemError::Binary));
        assert_eq!(one(""), Err(PemError::NoBlock));
    }

    proptest! {
        /// Any contents, label, wrap width, line end and surrounding text (without boundaries)
        /// read back as written.
        #[test]
        fn written_blocks_read_back(
            der in proptest::collection::vec(any::<u8>(), 1..300),
            label in "[A-Z][A-Z0-9]{0,8}( [A-Z0-9]{1,8}){0,2}",
            width in 1usize..120,
            crlf in any::<bool>(),
            before in "[a-z :=]{0,40}",
            after in "[a-z :=]{0,40}",
        ) {
            let canonical = encode(&label, &der);
            let body: String = canonical.lines().filter(|l| !l.starts_with("-----")).collect();
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("{before}{eol}-----BEGIN {label}-----{eol}");
            for chunk in body.as_bytes().chunks(width) {
                text.push_str(std::str::from_utf8(chunk).unwrap());
                text.push_str(eol);
            }
            text.push_str(&format!("-----END {label}-----{eol}{after}"));
            let found = blocks(text.as_bytes()).unwrap();
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(&found[0].label, &label);
            prop_assert_eq!(&found[0].der, &der);
            prop_assert_eq!(encode(&label, &found[0].der), canonical);
        }
    }
}
