use super::*;
use crate::extract::{Limits, extract_bytes};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/signatures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn only_signature(extracted: &Extracted) -> &Signature {
    assert_eq!(extracted.signatures.len(), 1, "{extracted:?}");
    &extracted.signatures[0]
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&DigestAlgorithm::Sha256.digest(&[bytes]))
}

#[test]
fn rsa_detached_signature_names_the_signer_as_nca_rk_writes_them() {
    let got = extract_bytes(&fixture("akt.pdf.cms"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    assert!(got.pages.is_empty());
    let signature = only_signature(&got);
    assert_eq!(signature.signer.name.as_deref(), Some("ИВАНОВ ИВАН ИВАНОВИЧ"));
    assert_eq!(signature.signer.organisation.as_deref(), Some("ГУ Тест"));
    assert_eq!(signature.signer.iin.as_deref(), Some("880101300123"));
    assert_eq!(signature.signer.bin.as_deref(), Some("123456789012"));
    assert_eq!(signature.algorithm, "RSA PKCS#1 v1.5");
    assert_eq!(signature.digest_algorithm, "sha256");
    assert_eq!(signature.verification, Verification::Verified);
    assert_eq!(signature.content, SignedContent::Detached);
    assert_eq!(signature.message_digest, Some(sha256_hex(&fixture("akt.pdf"))));
    let time = signature.signing_time.as_deref().unwrap_or_default();
    assert!(
        time.len() == 20 && time.ends_with('Z') && time.starts_with("20"),
        "{time}"
    );
}

#[test]
fn a_detached_signature_finds_its_file_by_digest_and_sees_a_changed_one() {
    let got = extract_bytes(&fixture("akt.pdf.cms"), &Limits::without_ocr());
    let signature = only_signature(&got);
    let act = sha256_hex(&fixture("akt.pdf"));
    let other = sha256_hex(b"other");
    let never = |_: &str, _: DigestAlgorithm| -> Option<Vec<u8>> { panic!("SHA-256 comes from the records") };
    let renamed = [
        Candidate {
            file: "x/other.pdf",
            sha256: Some(&other),
        },
        Candidate {
            file: "x/scan 7.pdf",
            sha256: Some(&act),
        },
    ];
    assert_eq!(
        link(signature, "x/akt.pdf.cms", &renamed, never),
        (Some("x/scan 7.pdf".to_string()), SignedFileLink::Digest)
    );
    let changed = [Candidate {
        file: "x/akt.pdf",
        sha256: Some(&other),
    }];
    assert_eq!(
        link(signature, "x/akt.pdf.cms", &changed, never),
        (Some("x/akt.pdf".to_string()), SignedFileLink::ChangedAfterSigning)
    );
    assert_eq!(
        link(signature, "x/akt.pdf.cms", &renamed[..1], never),
        (None, SignedFileLink::NotFound)
    );
}

#[test]
fn ecdsa_p256_signature_in_base64_is_verified() {
    let got = extract_bytes(&fixture("protokol.txt.sig"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    let signature = only_signature(&got);
    assert_eq!(signature.algorithm, "ECDSA P-256");
    assert_eq!(signature.verification, Verification::Verified);
    assert_eq!(signature.signer.name.as_deref(), Some("ПЕТРОВА АЙГУЛЬ"));
    assert_eq!(signature.signer.iin.as_deref(), Some("900202400456"));
    assert_eq!(signature.signer.bin, None);
    assert_eq!(signature.message_digest, Some(sha256_hex(&fixture("protokol.txt"))));
}

#[test]
fn an_attached_signature_reads_the_document_inside() {
    let got = extract_bytes(&fixture("attached.pem.p7s"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    assert!(got.full_text().contains("Протокол испытаний"), "{:?}", got.pages);
    let signature = only_signature(&got);
    assert_eq!(signature.verification, Verification::Verified);
    let inside = fixture("protokol.txt");
    assert_eq!(
        signature.content,
        SignedContent::Attached {
            bytes: inside.len() as u64,
            sha256: sha256_hex(&inside),
            format: Format::Text
        }
    );
    let same = sha256_hex(&inside);
    let candidates = [Candidate {
        file: "protokol.txt",
        sha256: Some(&same),
    }];
    assert_eq!(
        link(signature, "attached.pem.p7s", &candidates, |_, _| None),
        (Some("protokol.txt".to_string()), SignedFileLink::Digest)
    );
    assert_eq!(
        link(signature, "attached.pem.p7s", &[], |_, _| None),
        (None, SignedFileLink::Inside)
    );
}

#[test]
fn changed_signed_content_is_invalid() {
    let got = extract_bytes(&fixture("tampered.p7s"), &Limits::without_ocr());
    let signature = only_signature(&got);
    assert_eq!(signature.verification, Verification::Invalid(Problem::ContentChanged));
    assert!(signature.is_invalid());
}

#[test]
fn a_changed_signature_value_is_invalid() {
    let mut bytes = fixture("akt.pdf.cms");
    // openssl writes no unsigned attributes: the signature value ends the file.
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    let got = extract_bytes(&bytes, &Limits::without_ocr());
    assert_eq!(
        only_signature(&got).verification,
        Verification::Invalid(Problem::SignatureMismatch)
    );
}

#[test]
fn gost_signature_is_present_and_not_verified() {
    let got = extract_bytes(&fixture("gost.cms"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    let signature = only_signature(&got);
    assert_eq!(
        signature.verification,
        Verification::NotVerified(Problem::GostAlgorithm)
    );
    assert_eq!(signature.algorithm_oid, "1.2.398.3.10.1.1.1.2");
    assert!(!signature.is_invalid());
    assert_eq!(signature.signer.iin.as_deref(), Some("880101300123"));
}

#[test]
fn pdf_signature_field_is_a_property_of_the_pdf() {
    let got = extract_bytes(&fixture("signed.pdf"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Pdf, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    assert!(!got.pages.is_empty());
    let signature = only_signature(&got);
    assert_eq!(signature.verification, Verification::Verified);
    assert_eq!(
        signature.content,
        SignedContent::PdfByteRange {
            covers_whole_file: true
        }
    );
    assert_eq!(signature.link, Some(SignedFileLink::Embedded));
    assert_eq!(signature.signer.iin.as_deref(), Some("880101300123"));
}

#[test]
fn a_pdf_changed_inside_its_signed_ranges_is_invalid() {
    let mut bytes = fixture("signed.pdf");
    // The header's version digit: inside the first signed range, and the PDF still reads.
    assert!(bytes.starts_with(b"%PDF-1."));
    bytes[7] = if bytes[7] == b'4' { b'5' } else { b'4' };
    let got = extract_bytes(&bytes, &Limits::without_ocr());
    let signature = only_signature(&got);
    assert_eq!(signature.verification, Verification::Invalid(Problem::ContentChanged));
}

#[test]
fn truncated_and_damaged_cms_are_corrupt_never_a_panic() {
    let whole = fixture("akt.pdf.cms");
    for cut in (16..whole.len()).step_by(37) {
        let got = extract_bytes(&whole[..cut], &Limits::without_ocr());
        assert_eq!(got.format, Format::Signature, "cut at {cut}");
        assert_eq!(got.status, FileStatus::Corrupt, "cut at {cut}: {:?}", got.reason);
        assert!(
            got.reason.as_deref().unwrap_or_default().contains("CMS signature"),
            "{:?}",
            got.reason
        );
    }
    let base64 = fixture("protokol.txt.sig");
    let got = extract_bytes(&base64[..base64.len() / 2], &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Corrupt),
        "{got:?}"
    );
}

#[test]
fn a_sig_that_is_not_cms_is_read_as_what_it_is() {
    let got = extract_bytes(&fixture("not-cms.sig"), &Limits::without_ocr());
    assert_eq!(got.format, Format::Text);
    assert!(got.signatures.is_empty());
}

#[test]
fn national_numbers_need_their_prefix_and_twelve_digits() {
    assert_eq!(
        national_number("IIN880101300123", "IIN").as_deref(),
        Some("880101300123")
    );
    assert_eq!(national_number("IIN88010130012", "IIN"), None);
    assert_eq!(national_number("BIN12345678901X", "BIN"), None);
    assert_eq!(national_number("880101300123", "IIN"), None);
}

/// A one-page scan (a 500 x 500 grey image and no text) with a signature dictionary whose
/// `/Contents` is `akt.pdf.cms`: the shape of a signed act that was printed, signed and scanned.
fn signed_scan(page_tree: bool) -> Vec<u8> {
    signed_scan_with(page_tree, "Sig", "adbe.pkcs7.detached")
}

fn signed_scan_with(page_tree: bool, kind: &str, sub_filter: &str) -> Vec<u8> {
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.7");
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 500, "Height" => 500,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80; 500 * 500],
    ));
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"q 500 0 0 500 50 100 cm /Im1 Do Q".to_vec(),
    ));
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image } },
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    doc.add_object(dictionary! {
        "Type" => kind, "Filter" => "Adobe.PPKLite", "SubFilter" => sub_filter,
        "ByteRange" => vec![0.into(), 10.into(), 20.into(), 10.into()],
        "Contents" => Object::String(fixture("akt.pdf.cms"), lopdf::StringFormat::Hexadecimal),
    });
    let mut catalog = dictionary! { "Type" => "Catalog" };
    if page_tree {
        catalog.set("Pages", pages_id);
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_scanned_pdf_without_text_keeps_its_signature() {
    let got = extract_bytes(&signed_scan(true), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Pdf, FileStatus::NoText),
        "{:?}",
        got.reason
    );
    assert!(
        got.reason
            .as_deref()
            .unwrap_or_default()
            .contains("without a text layer"),
        "{:?}",
        got.reason
    );
    let signature = only_signature(&got);
    assert_eq!(signature.signer.iin.as_deref(), Some("880101300123"));
    assert_eq!(signature.link, Some(SignedFileLink::Embedded));
    // The byte ranges are not this file's signed bytes: the mathematics says so, and still the
    // signer is a fact of the file.
    assert_eq!(signature.verification, Verification::Invalid(Problem::ContentChanged));
}

#[test]
fn a_pdf_whose_page_tree_is_gone_keeps_its_signature() {
    // The catalog names no page tree; the signature dictionary is still an object of the file.
    let got = extract_bytes(&signed_scan(false), &Limits::without_ocr());
    assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    assert_eq!(only_signature(&got).signer.iin.as_deref(), Some("880101300123"));
}

#[test]
fn a_document_timestamp_is_not_a_signer() {
    for (kind, sub_filter) in [("DocTimeStamp", "ETSI.RFC3161"), ("Sig", "ETSI.RFC3161")] {
        let got = extract_bytes(&signed_scan_with(true, kind, sub_filter), &Limits::without_ocr());
        assert!(got.signatures.is_empty(), "{kind} {sub_filter}: {:?}", got.signatures);
    }
}

#[test]
fn a_co_signed_cms_names_every_signer() {
    let got = extract_bytes(&fixture("cosigned.cms"), &Limits::without_ocr());
    assert_eq!(
        (got.format, got.status),
        (Format::Signature, FileStatus::Ok),
        "{:?}",
        got.reason
    );
    // SignerInfos are a DER SET: their order is the encoding's, not the signing's.
    let mut signers: Vec<(Option<&str>, &str)> = got
        .signatures
        .iter()
        .map(|s| (s.signer.name.as_deref(), s.algorithm.as_str()))
        .collect();
    signers.sort();
    assert_eq!(
        signers,
        [
            (Some("ИВАНОВ ИВАН ИВАНОВИЧ"), "RSA PKCS#1 v1.5"),
            (Some("ПЕТРОВА АЙГУЛЬ"), "ECDSA P-256")
        ]
    );
    let act = sha256_hex(&fixture("akt.pdf"));
    for signature in &got.signatures {
        assert_eq!(signature.verification, Verification::Verified, "{signature:?}");
        assert_eq!(signature.message_digest.as_deref(), Some(act.as_str()));
        assert_eq!(signature.content, SignedContent::Detached);
    }
}
