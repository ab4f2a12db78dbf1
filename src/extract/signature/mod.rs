//! Electronic signatures: CMS SignedData files (`.cms`, `.p7s`, `.sig`, as NCALayer writes them:
//! DER, PEM or bare base64; detached or with the document inside) and PDF signature dictionaries.
//!
//! Everything ASN.1 goes through RustCrypto's `cms`, `x509-cert` and `der`. What we check is the
//! mathematics only: the signature over the signed attributes against the certificate's key, and
//! the signed content against the `messageDigest` attribute. Whether the certificate was issued by
//! the national CA (NCA RK), was valid at signing time or revoked is NOT checked, and every sentence
//! about a signature says so. GOST 34.310 (Kazakhstan) and GOST R 34.10 (Russia) signatures have no
//! RustCrypto verifier: they are reported as present and not verified, never as failures.

use base64ct::Encoding as _;
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, SliceReader};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::DirectoryString;

use super::error::ExtractError;
use super::sniff::Format;
use super::{Extracted, FileStatus, Limits};

/// One signature: who signed, when, with what, and what we could establish about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub signer: Signer,
    /// The `signingTime` signed attribute, UTC, `YYYY-MM-DDTHH:MM:SSZ`; absent when not signed in.
    pub signing_time: Option<String>,
    /// The signature algorithm as a reader knows it ("RSA PKCS#1 v1.5", "ECDSA P-256", "GOST 34.310").
    pub algorithm: String,
    /// Its object identifier, for the analyst who needs to look it up.
    pub algorithm_oid: String,
    /// The digest algorithm (`sha256`, …, or the OID when we do not compute it).
    pub digest_algorithm: String,
    /// The `messageDigest` signed attribute, lower-case hex.
    pub message_digest: Option<String>,
    pub verification: Verification,
    pub content: SignedContent,
    /// The file of the submission this signature signs; decided by `check` from the submission's
    /// files (see [`link`]); for a PDF signature, the PDF itself.
    #[serde(default)]
    pub signed_file: Option<String>,
    /// How `signed_file` was found, or why there is none. `None` until `check` has looked.
    #[serde(default)]
    pub link: Option<SignedFileLink>,
}

/// The signer as the certificate's subject names them. NCA RK writes a person's IIN as
/// `serialNumber=IIN…` and the organisation's BIN as `OU=BIN…`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// CN, followed by the given name attribute (NCA RK puts the patronymic there).
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub iin: Option<String>,
    pub bin: Option<String>,
}

/// What verification established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "problem", rename_all = "snake_case")]
pub enum Verification {
    /// The signature over the signed attributes checks out against the certificate's key (and, for
    /// content we hold, its digest matches). The certificate's trust is not checked.
    Verified,
    /// A fact for the analyst: the signature or the content does not match.
    Invalid(Problem),
    /// Not checked, and why; never a failure.
    NotVerified(Problem),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// The signature value does not verify with the certificate's key.
    SignatureMismatch,
    /// The signed content's digest differs from the signed `messageDigest`.
    ContentChanged,
    /// GOST 34.310 / GOST R 34.10: no verifier in RustCrypto.
    GostAlgorithm,
    /// Another algorithm we do not verify.
    UnsupportedAlgorithm,
    /// No signed attributes: the signature is over the content itself, which a detached signature
    /// does not hold.
    NoSignedAttributes,
    /// The signer's certificate is not in the signature.
    NoCertificate,
    /// The certificate's public key cannot be read.
    UnreadableKey,
}

/// What the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignedContent {
    /// Detached: the document is another file.
    Detached,
    /// The document is inside the signature file.
    Attached { bytes: u64, sha256: String, format: Format },
    /// A PDF signature over the byte ranges of its own file.
    PdfByteRange {
        /// False when the file goes on after the signed ranges (edited after signing).
        covers_whole_file: bool,
    },
}

/// How the signed file was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignedFileLink {
    /// The signature is inside the file it signs (PDF).
    Embedded,
    /// A file of the submission has exactly the signed digest.
    Digest,
    /// The document is only inside the signature file.
    Inside,
    /// Found by name (`akt.pdf` for `akt.pdf.cms`) only: the digest algorithm is one we do not compute.
    NameOnly,
    /// The file by that name exists but differs from what was signed: changed after signing.
    ChangedAfterSigning,
    /// No file of the submission has the signed digest.
    NotFound,
}

impl Signature {
    /// Whether the analyst should see this signature as failed: its mathematics, or the document
    /// it names, does not match.
    pub fn is_invalid(&self) -> bool {
        matches!(self.verification, Verification::Invalid(_)) || self.link == Some(SignedFileLink::ChangedAfterSigning)
    }
}

/// Bad CMS: the reason names what could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("not a CMS signature: {0}")]
    NotCms(String),
    #[error("CMS signature cannot be read (truncated or damaged?): {0}")]
    Damaged(String),
    #[error("CMS signature holds no signer")]
    NoSigner,
}

impl From<SignatureError> for ExtractError {
    fn from(error: SignatureError) -> Self {
        ExtractError::Corrupt(error.to_string())
    }
}

/// Object identifiers we act on. Constants, checked at compile time.
mod oid {
    use der::asn1::ObjectIdentifier as Oid;
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub const RSA_SHA1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    pub const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    pub const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    pub const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    pub const RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
    pub const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
    pub const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
    pub const ORGANISATION: Oid = Oid::new_unwrap("2.5.4.10");
    pub const ORGANISATIONAL_UNIT: Oid = Oid::new_unwrap("2.5.4.11");
    /// Kazakhstan's national arc (GOST 34.310 and 34.311 live under 1.2.398.3.10.1).
    pub const KZ_GOST_ARC: &str = "1.2.398.3.10.";
    /// Russia's (GOST R 34.10/34.11, CryptoPro and TC26).
    pub const RU_ARC: &str = "1.2.643.";
}

/// The digest algorithms we compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            oid::SHA1 => Some(Self::Sha1),
            oid::SHA256 => Some(Self::Sha256),
            oid::SHA384 => Some(Self::Sha384),
            oid::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The name stored in [`Signature::digest_algorithm`].
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// Digest of the concatenated parts (a PDF signs two byte ranges).
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `bytes` are a CMS SignedData, in DER or in base64 (PEM armour or bare, as NCALayer
/// saves it). Decides the format in `sniff`; only the first bytes are looked at.
pub(crate) fn looks_like_cms(bytes: &[u8]) -> bool {
    const WINDOW: usize = 64;
    let der_head =
        |head: &[u8]| head.first() == Some(&0x30) && head.windows(SIGNED_DATA_DER.len()).any(|w| w == SIGNED_DATA_DER);
    if der_head(&bytes[..bytes.len().min(WINDOW)]) {
        return true;
    }
    let text = trim_armour(&bytes[..bytes.len().min(4096)]);
    // 88 base64 characters decode to 66 bytes: enough for the SEQUENCE, the OID and the start of
    // the content.
    let head: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .take(88)
        .collect();
    head.len() == 88
        && base64ct::Base64::decode_vec(std::str::from_utf8(&head).unwrap_or_default())
            .is_ok_and(|decoded| der_head(&decoded))
}

/// `06 09 2A 86 48 86 F7 0D 01 07 02`: the signedData OID as DER writes it, for sniffing only
/// (the parse itself is `der`'s).
const SIGNED_DATA_DER: &[u8] = &[0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

/// The base64 body of a PEM file (without its BEGIN/END lines), or the bytes as they are.
fn trim_armour(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    if !bytes.starts_with(b"-----BEGIN") {
        return bytes;
    }
    let body_start = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| p + 1);
    let body = &bytes[body_start..];
    let body_end = body.windows(5).position(|w| w == b"-----").unwrap_or(body.len());
    &body[..body_end]
}

/// The DER of a CMS file in any of its spellings.
fn der_bytes(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, SignatureError> {
    if bytes.first() == Some(&0x30) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let body: String = trim_armour(bytes)
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|&b| b as char)
        .collect();
    base64ct::Base64::decode_vec(&body)
        .map(std::borrow::Cow::Owned)
        .map_err(|e| SignatureError::Damaged(format!("base64: {e}")))
}

/// Reads a signature file. The document inside an attached signature is read like any file (its
/// text is the signature file's text, so an act signed in one attached CMS is found as the act);
/// a signature inside a signature is not unpacked further.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let der = der_bytes(bytes)?;
    let (mut signatures, content) = read_cms(&der, false)?;
    let Some(content) = content else {
        return Ok(Extracted {
            format: Format::Signature,
            status: FileStatus::Ok,
            reason: None,
            pages: Vec::new(),
            signatures,
            members: Vec::new(),
            incomplete: false,
        });
    };
    let inner = if super::sniff::detect(&content).format == Format::Signature {
        Extracted::failed(
            Format::Signature,
            FileStatus::Unsupported,
            "a signature of a signature file: the inner signature is not unpacked",
        )
    } else if content.is_empty() {
        Extracted::failed(Format::Unknown, FileStatus::NoText, "the signed content is empty")
    } else {
        super::extract_bytes(&content, limits)
    };
    let mut reason = format!("signed document inside the signature file ({})", inner.format.as_str());
    if let Some(inner_reason) = &inner.reason {
        reason.push_str(": ");
        reason.push_str(inner_reason);
    }
    // A signed PDF signed once more into a CMS keeps its own signature fields as facts too.
    signatures.extend(inner.signatures);
    Ok(Extracted {
        format: Format::Signature,
        status: inner.status,
        reason: Some(reason),
        pages: inner.pages,
        signatures,
        members: inner.members,
        incomplete: inner.incomplete,
    })
}

/// Parses one CMS SignedData (`trailing_allowed`: a PDF pads `/Contents` with zeros) and returns
/// each signer's signature (a document co-signed in one file has several) and the encapsulated
/// content, if any.
fn read_cms(der: &[u8], trailing_allowed: bool) -> Result<(Vec<Signature>, Option<Vec<u8>>), SignatureError> {
    let info = if trailing_allowed {
        let mut reader = SliceReader::new(der).map_err(|e| SignatureError::Damaged(e.to_string()))?;
        ContentInfo::decode(&mut reader).map_err(|e| SignatureError::Damaged(e.to_string()))?
    } else {
        ContentInfo::from_der(der).map_err(|e| SignatureError::Damaged(e.to_string()))?
    };
    if info.content_type != oid::SIGNED_DATA {
        return Err(SignatureError::NotCms(format!(
            "content type {} is not signed data",
            info.content_type
        )));
    }
    let signed = info
        .content
        .decode_as::<SignedData>()
        .map_err(|e| SignatureError::Damaged(e.to_string()))?;
    let content = match &signed.encap_content_info.econtent {
        Some(any) => Some(
            any.decode_as::<OctetString>()
                .map_err(|e| SignatureError::Damaged(format!("signed content: {e}")))?
                .as_bytes()
                .to_vec(),
        ),
        None => None,
    };
    let mut signatures = Vec::new();
    for signer_info in signed.signer_infos.0.iter() {
        let certificate = signer_certificate(&signed, signer_info);
        let mut signature = describe(signer_info, certificate);
        if let Some(content) = &content {
            signature.content = SignedContent::Attached {
                bytes: content.len() as u64,
                sha256: hex(&DigestAlgorithm::Sha256.digest(&[content])),
                format: super::sniff::sniff(content),
            };
            signature.verification = check_content(&signature, signer_info, certificate, &[content]);
        }
        signatures.push(signature);
    }
    if signatures.is_empty() {
        return Err(SignatureError::NoSigner);
    }
    Ok((signatures, content))
}

/// The certificate the signer identifies, else the only one given.
fn signer_certificate<'a>(signed: &'a SignedData, signer_info: &SignerInfo) -> Option<&'a Certificate> {
    let certificates: Vec<&Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    let identified = certificates.iter().copied().find(|c| match &signer_info.sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            c.tbs_certificate().issuer() == &id.issuer
                && c.tbs_certificate().serial_number().as_bytes() == id.serial_number.as_bytes()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, found)| found.0.as_bytes() == ski.0.as_bytes()),
    });
    identified.or(match certificates.as_slice() {
        [only] => Some(*only),
        _ => None,
    })
}

/// Everything read from the signer info and certificate; verification of the signed attributes
/// included, the content not yet.
fn describe(signer_info: &SignerInfo, certificate: Option<&Certificate>) -> Signature {
    let signature_oid = signer_info.signature_algorithm.oid;
    let digest_oid = signer_info.digest_alg.oid;
    let digest = DigestAlgorithm::from_oid(&digest_oid);
    let attrs = signer_info.signed_attrs.as_ref();
    let attribute = |wanted: ObjectIdentifier| {
        attrs
            .into_iter()
            .flat_map(|a| a.iter())
            .find(|a| a.oid == wanted)
            .and_then(|a| a.values.iter().next())
    };
    let message_digest = attribute(oid::MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .map(|d| hex(d.as_bytes()));
    let signing_time = attribute(oid::SIGNING_TIME)
        .and_then(|v| v.to_der().ok())
        .and_then(|der| x509_cert::time::Time::from_der(&der).ok())
        .map(|t| {
            let t = t.to_date_time();
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minutes(),
                t.seconds()
            )
        });
    let verification = match (attrs, certificate) {
        _ if is_gost(&signature_oid) || is_gost(&digest_oid) => Verification::NotVerified(Problem::GostAlgorithm),
        (None, _) => Verification::NotVerified(Problem::NoSignedAttributes),
        (_, None) => Verification::NotVerified(Problem::NoCertificate),
        (Some(attrs), Some(certificate)) => match (digest, attrs.to_der()) {
            (Some(digest), Ok(encoded)) => verify(signer_info, certificate, digest, &encoded),
            (None, _) => Verification::NotVerified(Problem::UnsupportedAlgorithm),
            (_, Err(_)) => Verification::Invalid(Problem::SignatureMismatch),
        },
    };
    Signature {
        signer: certificate.map(signer).unwrap_or_default(),
        signing_time,
        algorithm: algorithm_name(&signature_oid, certificate).to_string(),
        algorithm_oid: signature_oid.to_string(),
        digest_algorithm: digest.map_or_else(|| digest_oid.to_string(), |d| d.name().to_string()),
        message_digest,
        verification,
        content: SignedContent::Detached,
        signed_file: None,
        link: None,
    }
}

fn is_gost(oid: &ObjectIdentifier) -> bool {
    let text = oid.to_string();
    text.starts_with(oid::KZ_GOST_ARC) || text.starts_with(oid::RU_ARC)
}

fn algorithm_name(signature_oid: &ObjectIdentifier, certificate: Option<&Certificate>) -> &'static str {
    let key_oid = certificate.map(|c| c.tbs_certificate().subject_public_key_info().algorithm.oid);
    match *signature_oid {
        _ if is_gost(signature_oid) => "GOST 34.310 / GOST R 34.10",
        oid::RSA_PSS => "RSA-PSS",
        oid::RSA | oid::RSA_SHA1 | oid::RSA_SHA256 | oid::RSA_SHA384 | oid::RSA_SHA512 => "RSA PKCS#1 v1.5",
        oid::EC_PUBLIC_KEY | oid::ECDSA_SHA1 | oid::ECDSA_SHA256 | oid::ECDSA_SHA384 | oid::ECDSA_SHA512 => {
            match certificate.and_then(ec_curve) {
                Some(oid::P256) => "ECDSA P-256",
                Some(oid::P384) => "ECDSA P-384",
                _ => "ECDSA",
            }
        }
        _ if key_oid.as_ref().is_some_and(is_gost) => "GOST 34.310 / GOST R 34.10",
        _ => "unknown algorithm",
    }
}

fn ec_curve(certificate: &Certificate) -> Option<ObjectIdentifier> {
    certificate
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
}

/// The signature value over `message` (the DER of the signed attributes) with the certificate's key.
fn verify(
    signer_info: &SignerInfo,
    certificate: &Certificate,
    digest: DigestAlgorithm,
    message: &[u8],
) -> Verification {
    use signature::hazmat::PrehashVerifier;
    let spki = certificate.tbs_certificate().subject_public_key_info();
    if is_gost(&spki.algorithm.oid) {
        return Verification::NotVerified(Problem::GostAlgorithm);
    }
    let signature = signer_info.signature.as_bytes();
    let signature_oid = signer_info.signature_algorithm.oid;
    let verdict = |ok: bool| {
        if ok {
            Verification::Verified
        } else {
            Verification::Invalid(Problem::SignatureMismatch)
        }
    };
    match spki.algorithm.oid {
        oid::RSA => {
            use rsa::pkcs8::DecodePublicKey;
            let key = spki
                .to_der()
                .ok()
                .and_then(|der| rsa::PublicKey::from_public_key_der(&der).ok());
            let Some(key) = key else {
                return Verification::NotVerified(Problem::UnreadableKey);
            };
            if signature_oid == oid::RSA_PSS {
                return verify_pss(signer_info, &key, message, signature);
            }
            let hashed = digest.digest(&[message]);
            let scheme = match digest {
                DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            verdict(key.verify(scheme, &hashed, signature).is_ok())
        }
        oid::EC_PUBLIC_KEY => {
            let point = spki.subject_public_key.raw_bytes();
            let hashed = digest.digest(&[message]);
            match ec_curve(certificate) {
                Some(oid::P256) => match (
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(point),
                    p256::ecdsa::Signature::from_der(signature),
                ) {
                    (Ok(key), Ok(sig)) => verdict(key.verify_prehash(&hashed, &sig).is_ok()),
                    (Err(_), _) => Verification::NotVerified(Problem::UnreadableKey),
                    (_, Err(_)) => Verification::Invalid(Problem::SignatureMismatch),
                },
                Some(oid::P384) => match (
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(point),
                    p384::ecdsa::Signature::from_der(signature),
                ) {
                    (Ok(key), Ok(sig)) => verdict(key.verify_prehash(&hashed, &sig).is_ok()),
                    (Err(_), _) => Verification::NotVerified(Problem::UnreadableKey),
                    (_, Err(_)) => Verification::Invalid(Problem::SignatureMismatch),
                },
                _ => Verification::NotVerified(Problem::UnsupportedAlgorithm),
            }
        }
        _ => Verification::NotVerified(Problem::UnsupportedAlgorithm),
    }
}

/// RSA-PSS: the hash and salt length come from the algorithm's parameters.
fn verify_pss(signer_info: &SignerInfo, key: &rsa::PublicKey, message: &[u8], signature: &[u8]) -> Verification {
    let params = signer_info
        .signature_algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .and_then(|der| rsa::pkcs1::RsaPssParams::<der::Any>::from_der(&der).ok());
    let Some(params) = params else {
        return Verification::NotVerified(Problem::UnsupportedAlgorithm);
    };
    let Some(digest) = DigestAlgorithm::from_oid(&params.hash.oid) else {
        return Verification::NotVerified(Problem::UnsupportedAlgorithm);
    };
    let salt = usize::from(params.salt_len);
    let hashed = digest.digest(&[message]);
    let ok = match digest {
        DigestAlgorithm::Sha1 => key.verify(rsa::pss::Pss::<sha1::Sha1>::new_with_salt(salt), &hashed, signature),
        DigestAlgorithm::Sha256 => key.verify(rsa::pss::Pss::<sha2::Sha256>::new_with_salt(salt), &hashed, signature),
        DigestAlgorithm::Sha384 => key.verify(rsa::pss::Pss::<sha2::Sha384>::new_with_salt(salt), &hashed, signature),
        DigestAlgorithm::Sha512 => key.verify(rsa::pss::Pss::<sha2::Sha512>::new_with_salt(salt), &hashed, signature),
    }
    .is_ok();
    if ok {
        Verification::Verified
    } else {
        Verification::Invalid(Problem::SignatureMismatch)
    }
}

/// The verification once the signed content is at hand: a digest that differs from the signed one
/// makes the signature invalid for this content, whatever the mathematics said.
fn check_content(
    signature: &Signature,
    signer_info: &SignerInfo,
    certificate: Option<&Certificate>,
    parts: &[&[u8]],
) -> Verification {
    let Some(digest) = DigestAlgorithm::from_name(&signature.digest_algorithm) else {
        return signature.verification;
    };
    let actual = digest.digest(parts);
    match &signature.message_digest {
        Some(signed) if *signed != hex(&actual) => Verification::Invalid(Problem::ContentChanged),
        Some(_) => signature.verification,
        // Without signed attributes the signature is over the content's digest itself.
        None => match certificate {
            Some(certificate)
                if signer_info.signed_attrs.is_none() && !is_gost(&signer_info.signature_algorithm.oid) =>
            {
                let message: Vec<u8> = parts.concat();
                verify(signer_info, certificate, digest, &message)
            }
            _ => signature.verification,
        },
    }
}

fn signer(certificate: &Certificate) -> Signer {
    let subject = certificate.tbs_certificate().subject();
    let mut signer = Signer::default();
    let mut given = None;
    for attribute in subject.iter() {
        let Ok(value) = DirectoryString::try_from(&attribute.value) else {
            continue;
        };
        let value = String::from(value).trim().to_string();
        if value.is_empty() {
            continue;
        }
        match attribute.oid {
            oid::COMMON_NAME => signer.name = Some(value),
            oid::GIVEN_NAME => given = Some(value),
            oid::ORGANISATION => signer.organisation = Some(value),
            oid::SERIAL_NUMBER => {
                if let Some(iin) = national_number(&value, "IIN") {
                    signer.iin = Some(iin);
                } else if let Some(bin) = national_number(&value, "BIN") {
                    signer.bin = Some(bin);
                }
            }
            oid::ORGANISATIONAL_UNIT => {
                if let Some(bin) = national_number(&value, "BIN") {
                    signer.bin = Some(bin);
                }
            }
            _ => {}
        }
    }
    // NCA RK: CN is "SURNAME NAME", the given-name attribute holds the patronymic.
    if let (Some(name), Some(given)) = (&mut signer.name, given)
        && !name.contains(&given)
    {
        name.push(' ');
        name.push_str(&given);
    }
    signer
}

/// `IIN880101300123` → `880101300123`: twelve digits after the prefix, nothing else.
fn national_number(value: &str, prefix: &str) -> Option<String> {
    let digits = value.strip_prefix(prefix)?;
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_string())
}

/// The signatures of a PDF: every signature dictionary (`/ByteRange` and `/Contents`), checked
/// against the bytes its ranges cover. A dictionary whose CMS cannot be read is skipped with a note.
pub(crate) fn pdf_signatures(doc: &lopdf::Document, bytes: &[u8]) -> (Vec<Signature>, Vec<String>) {
    let mut signatures = Vec::new();
    let mut notes = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else {
            continue;
        };
        let (Ok(range), Ok(contents)) = (dict.get(b"ByteRange"), dict.get(b"Contents")) else {
            continue;
        };
        let Ok(contents) = contents.as_str() else {
            continue;
        };
        // A document timestamp (PAdES-LTA) is a time authority's token over the file, not a
        // signer's signature: read as one, it would name the authority as the signer and, its
        // digest being of the token, call the file changed after signing.
        let named = |key: &[u8], value: &[u8]| dict.get(key).and_then(|o| o.as_name()).is_ok_and(|n| n == value);
        if named(b"Type", b"DocTimeStamp") || named(b"SubFilter", b"ETSI.RFC3161") {
            continue;
        }
        let ranges: Vec<i64> = range
            .as_array()
            .map(|a| a.iter().filter_map(|o| o.as_i64().ok()).collect())
            .unwrap_or_default();
        match read_cms(contents, true) {
            Ok((field_signatures, _)) => {
                let parts = byte_ranges(&ranges, bytes);
                let covers_whole_file = ranges.len() == 4
                    && ranges[2]
                        .checked_add(ranges[3])
                        .and_then(|end| usize::try_from(end).ok())
                        == Some(bytes.len());
                for mut signature in field_signatures {
                    signature.content = SignedContent::PdfByteRange { covers_whole_file };
                    signature.verification = match &parts {
                        Some(parts) => check_pdf_content(&signature, parts),
                        None => Verification::Invalid(Problem::ContentChanged),
                    };
                    signature.link = Some(SignedFileLink::Embedded);
                    signatures.push(signature);
                }
            }
            Err(e) => notes.push(format!("a PDF signature field cannot be read: {e}")),
        }
    }
    (signatures, notes)
}

fn check_pdf_content(signature: &Signature, parts: &[&[u8]]) -> Verification {
    let Some(digest) = DigestAlgorithm::from_name(&signature.digest_algorithm) else {
        return signature.verification;
    };
    match &signature.message_digest {
        Some(signed) if *signed != hex(&digest.digest(parts)) => Verification::Invalid(Problem::ContentChanged),
        _ => signature.verification,
    }
}

/// The slices `[a, a+b)` and `[c, c+d)` of a `/ByteRange [a b c d]`, if they lie inside the file.
fn byte_ranges<'a>(ranges: &[i64], bytes: &'a [u8]) -> Option<Vec<&'a [u8]>> {
    if !ranges.len().is_multiple_of(2) || ranges.is_empty() {
        return None;
    }
    ranges
        .chunks(2)
        .map(|pair| {
            let start = usize::try_from(pair[0]).ok()?;
            let end = start.checked_add(usize::try_from(pair[1]).ok()?)?;
            bytes.get(start..end)
        })
        .collect()
}

/// A file of the submission as the signed-file search sees it.
pub struct Candidate<'a> {
    pub file: &'a str,
    /// SHA-256 of its bytes, hex, as stored in its record.
    pub sha256: Option<&'a str>,
}

/// Finds the file a signature signs among `candidates` (its own file excluded by the caller).
/// SHA-256 digests come from the records; another algorithm asks `digest_of` (which reads the file).
pub fn link(
    signature: &Signature,
    signature_file: &str,
    candidates: &[Candidate<'_>],
    mut digest_of: impl FnMut(&str, DigestAlgorithm) -> Option<Vec<u8>>,
) -> (Option<String>, SignedFileLink) {
    let named = signature_file
        .rsplit_once('.')
        .map(|(stem, _)| stem)
        .filter(|stem| candidates.iter().any(|c| c.file == *stem));
    let by_digest = |wanted: &str,
                     algorithm: DigestAlgorithm,
                     digest_of: &mut dyn FnMut(&str, DigestAlgorithm) -> Option<Vec<u8>>| {
        candidates
            .iter()
            .find(|c| match algorithm {
                DigestAlgorithm::Sha256 => c.sha256 == Some(wanted),
                _ => digest_of(c.file, algorithm).is_some_and(|d| hex(&d) == wanted),
            })
            .map(|c| c.file.to_string())
    };
    match &signature.content {
        SignedContent::PdfByteRange { .. } => (None, SignedFileLink::Embedded),
        SignedContent::Attached { sha256, .. } => match by_digest(sha256, DigestAlgorithm::Sha256, &mut digest_of) {
            Some(file) => (Some(file), SignedFileLink::Digest),
            None => (None, SignedFileLink::Inside),
        },
        SignedContent::Detached => {
            let algorithm = DigestAlgorithm::from_name(&signature.digest_algorithm);
            match (algorithm, &signature.message_digest) {
                (Some(algorithm), Some(wanted)) => match by_digest(wanted, algorithm, &mut digest_of) {
                    Some(file) => (Some(file), SignedFileLink::Digest),
                    None => match named {
                        Some(name) => (Some(name.to_string()), SignedFileLink::ChangedAfterSigning),
                        None => (None, SignedFileLink::NotFound),
                    },
                },
                _ => match named {
                    Some(name) => (Some(name.to_string()), SignedFileLink::NameOnly),
                    None => (None, SignedFileLink::NotFound),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests;
