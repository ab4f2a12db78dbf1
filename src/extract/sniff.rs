//! Deciding a file's format from its bytes. File names lie (a `.pdf` that is a JPEG, a `.doc` that
//! is a DOCX), so extensions are never consulted. An OLE2 compound file is Word or Excel by the
//! streams in its root storage, read with `cfb`.

use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};

/// The formats extraction tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Docx,
    /// Legacy Word 97–2003: an OLE2 compound file with a `WordDocument` stream.
    Doc,
    Rtf,
    Odt,
    Xlsx,
    /// Any other OLE2 compound file: legacy Excel, but also PowerPoint and encrypted OOXML packages.
    Xls,
    Ods,
    Xml,
    Text,
    Image,
    Archive,
    /// CMS SignedData (`.cms`, `.p7s`, `.sig`), DER or base64.
    Signature,
    Unknown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Odt => "odt",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Xml => "xml",
            Format::Text => "text",
            Format::Image => "image",
            Format::Archive => "archive",
            Format::Signature => "signature",
            Format::Unknown => "unknown",
        }
    }
}

/// The format of `bytes`.
pub fn sniff(bytes: &[u8]) -> Format {
    detect(bytes).format
}

/// A format plus a human name for what was seen ("PNG image", "RAR archive"), used in reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detected {
    pub format: Format,
    pub kind: &'static str,
    /// The container is recognisable but broken (a ZIP whose directory cannot be read and whose
    /// entries do not say what package it is): corrupt rather than unsupported.
    pub damaged: bool,
}

impl Detected {
    fn new(format: Format, kind: &'static str) -> Self {
        Detected {
            format,
            kind,
            damaged: false,
        }
    }

    fn damaged(format: Format, kind: &'static str) -> Self {
        Detected {
            format,
            kind,
            damaged: true,
        }
    }

    /// Why a file of this kind yields no text, for formats we do not read.
    pub(crate) fn refusal_reason(&self) -> String {
        if self.damaged {
            return format!("{}: it cannot be opened (truncated or broken upload?)", self.kind);
        }
        match self.format {
            Format::Archive => format!(
                "{}: only ZIP archives are unpacked; submit the documents inside it separately or as a ZIP",
                self.kind
            ),
            _ => format!("{}: not a document format we read", self.kind),
        }
    }
}

/// How far into the file a PDF header may start; some generators prepend junk.
const PDF_HEADER_WINDOW: usize = 1024;

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn detect(bytes: &[u8]) -> Detected {
    if find(&bytes[..bytes.len().min(PDF_HEADER_WINDOW)], b"%PDF-").is_some() {
        return Detected::new(Format::Pdf, "PDF document");
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return detect_zip_package(bytes);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return detect_ole2(bytes);
    }
    // Before text: NCALayer saves signatures as base64 text.
    if super::signature::looks_like_cms(bytes) {
        return Detected::new(Format::Signature, "CMS signature");
    }
    if looks_like_rtf(bytes) {
        return Detected::new(Format::Rtf, "RTF document");
    }
    if let Some(detected) = detect_image(bytes).or_else(|| detect_archive(bytes)) {
        return detected;
    }
    if looks_like_xml(bytes) {
        return Detected::new(Format::Xml, "XML document");
    }
    if looks_like_text(bytes) {
        return Detected::new(Format::Text, "plain text");
    }
    Detected::new(Format::Unknown, "unrecognised binary format")
}

/// Word keeps its text in a root stream `WordDocument`, Excel in `Workbook` (97–2003) or `Book`
/// (5.0/95). A workbook with an embedded Word object has that object's streams in a storage of
/// their own, not in the root, so the root decides.
fn detect_ole2(bytes: &[u8]) -> Detected {
    const WORD: &str = "WordDocument";
    const EXCEL: [&str; 2] = ["Workbook", "Book"];
    // cfb parses a hostile directory here, before the reader's panic guard; a panic in it must
    // cost the guess, not the run.
    let root_streams = super::quietly_catch_unwind(|| {
        cfb::CompoundFile::open(Cursor::new(bytes)).ok().map(|container| {
            container
                .read_root_storage()
                .filter(|entry| entry.is_stream())
                .map(|entry| entry.name().to_string())
                .collect::<Vec<String>>()
        })
    })
    .ok()
    .flatten();
    let is_word = match root_streams {
        Some(names) => {
            names.iter().any(|name| name == WORD) && !names.iter().any(|name| EXCEL.contains(&name.as_str()))
        }
        // A damaged container (a truncated upload): the directory's UTF-16 names or Word's
        // File Information Block may still be there, so the Word reader can say what is wrong
        // with a Word file.
        None => {
            (contains_utf16(bytes, WORD) || has_word_fib_at_a_sector(bytes))
                && !EXCEL.iter().any(|name| contains_utf16(bytes, name))
        }
    };
    if is_word {
        Detected::new(Format::Doc, "Word 97-2003 document (.doc)")
    } else {
        Detected::new(Format::Xls, "OLE2 compound file")
    }
}

/// A Word 97+ File Information Block at the start of some 512-byte sector: its magic 0xA5EC and
/// the fixed counts of its first two arrays (14 words, 22 longs).
fn has_word_fib_at_a_sector(bytes: &[u8]) -> bool {
    const SECTOR: usize = 512;
    bytes.chunks(SECTOR).skip(1).any(|sector| {
        sector.starts_with(&[0xEC, 0xA5])
            && sector.get(0x20..0x22) == Some(&[0x0E, 0x00])
            && sector.get(0x3E..0x40) == Some(&[0x16, 0x00])
    })
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    find(bytes, &utf16).is_some()
}

/// RTF starts with `{\rtf` (some writers put a byte-order mark or blank lines before it).
fn looks_like_rtf(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let start = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
    rest[start..].starts_with(b"{\\rtf")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// DOCX, XLSX, ODT and ODS are all ZIP containers; their entry names say which one.
fn detect_zip_package(bytes: &[u8]) -> Detected {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // The central directory is damaged (e.g. a truncated upload). The local headers still
        // name the entries, so guess from the raw bytes and let the reader report the damage.
        return detect_zip_package_from_raw_names(bytes);
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect();
    let has_prefix = |prefix: &str| names.iter().any(|name| name.starts_with(prefix));
    if names.iter().any(|name| name == "[Content_Types].xml") {
        if has_prefix("word/") {
            return Detected::new(Format::Docx, "Word document (DOCX)");
        }
        if has_prefix("xl/") {
            return Detected::new(Format::Xlsx, "Excel workbook (XLSX)");
        }
        if has_prefix("ppt/") {
            return Detected::new(Format::Unknown, "PowerPoint presentation (PPTX)");
        }
    }
    if let Some(mimetype) = read_odf_mimetype(&mut archive) {
        return detect_odf(&mimetype);
    }
    Detected::new(Format::Archive, "ZIP archive")
}

fn read_odf_mimetype(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let entry = archive.by_name("mimetype").ok()?;
    let mut mimetype = String::new();
    entry.take(128).read_to_string(&mut mimetype).ok()?;
    Some(mimetype.trim().to_string())
}

fn detect_odf(mimetype: &str) -> Detected {
    if mimetype.starts_with("application/vnd.oasis.opendocument.text") {
        Detected::new(Format::Odt, "OpenDocument text (ODT)")
    } else if mimetype.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
        Detected::new(Format::Ods, "OpenDocument spreadsheet (ODS)")
    } else {
        Detected::new(Format::Unknown, "OpenDocument file other than text or spreadsheet")
    }
}

fn detect_zip_package_from_raw_names(bytes: &[u8]) -> Detected {
    // ODF writes `mimetype` first and uncompressed, so its value follows the name directly.
    if let Some(at) = find(bytes, b"mimetypeapplication/vnd.oasis.opendocument.") {
        let rest = &bytes[at + b"mimetype".len()..];
        let mimetype = String::from_utf8_lossy(&rest[..rest.len().min(64)]);
        return detect_odf(&mimetype);
    }
    if find(bytes, b"word/document.xml").is_some() {
        return Detected::new(Format::Docx, "Word document (DOCX)");
    }
    if find(bytes, b"xl/workbook").is_some() {
        return Detected::new(Format::Xlsx, "Excel workbook (XLSX)");
    }
    Detected::damaged(Format::Archive, "damaged ZIP container")
}

fn detect_image(bytes: &[u8]) -> Option<Detected> {
    let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "PNG image"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "JPEG image"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "TIFF image"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "GIF image"
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "WebP image"
    } else if looks_like_bmp(bytes) {
        "BMP image"
    } else {
        return None;
    };
    Some(Detected::new(Format::Image, kind))
}

/// "BM" alone would catch text files starting with "BM"; the header's reserved bytes are zero
/// and its pixel-data offset points inside the file.
fn looks_like_bmp(bytes: &[u8]) -> bool {
    if bytes.len() < 26 || !bytes.starts_with(b"BM") {
        return false;
    }
    let reserved_zero = bytes[6..10].iter().all(|&b| b == 0);
    let data_offset = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    reserved_zero && (26..bytes.len()).contains(&data_offset)
}

fn detect_archive(bytes: &[u8]) -> Option<Detected> {
    let kind = if bytes.starts_with(b"Rar!\x1a\x07") {
        "RAR archive"
    } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        "7-Zip archive"
    } else if bytes.starts_with(&[0x1F, 0x8B]) {
        "gzip archive"
    } else if bytes.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
        "xz archive"
    } else if bytes.len() >= 10 && bytes.starts_with(b"BZh") && &bytes[4..10] == b"\x31\x41\x59\x26\x53\x59" {
        "bzip2 archive"
    } else {
        return None;
    };
    Some(Detected::new(Format::Archive, kind))
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn looks_like_xml(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"<\0") || bytes.starts_with(b"\0<") {
        return true; // UTF-16 without a byte-order mark; xml::decode_document tells which.
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return rest.starts_with(b"<\0");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return rest.starts_with(b"\0<");
    }
    let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true; // UTF-16 with a byte-order mark: Windows "Unicode" text.
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if body.iter().any(|&b| is_binary_control(b)) {
        return bom_less_utf16(bytes).is_some();
    }
    std::str::from_utf8(body).is_ok() || stray_bytes_in_utf8(body).is_some() || looks_like_windows_1251(body)
}

/// At most this share of a UTF-8 file's bytes may be broken for it to be read as text: a
/// transfer or an editor that damaged a few characters leaves well under it; another encoding
/// or a binary breaks far more.
const MAX_STRAY_BYTES_PER_MILLE: usize = 10;
/// Well-formed multi-byte characters must outnumber the broken sequences this many times over.
/// Windows-1251 text makes a broken sequence of almost every run of letters and a well-formed
/// one only by chance; UTF-8 Cyrillic or Kazakh with a few damaged bytes is the reverse.
const MIN_WELL_FORMED_PER_BROKEN: usize = 4;

/// The number of invalid bytes when `bytes` is UTF-8 text with a few of them (a damaged upload,
/// a file cut mid-character, one line pasted from a windows-1251 file), else `None`: valid
/// UTF-8, another encoding, or not text.
pub(crate) fn stray_bytes_in_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut invalid_bytes, mut broken, mut well_formed) = (0usize, 0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        well_formed += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            broken += 1;
            invalid_bytes += chunk.invalid().len();
        }
    }
    let few = invalid_bytes.saturating_mul(1000) <= bytes.len().saturating_mul(MAX_STRAY_BYTES_PER_MILLE);
    (broken > 0 && few && well_formed >= broken.saturating_mul(MIN_WELL_FORMED_PER_BROKEN)).then_some(invalid_bytes)
}

/// UTF-16 text without a byte-order mark (some Windows exports): the encoding whose decoding of
/// the first few kilobytes is well-formed and almost all letters, digits, spaces and punctuation.
pub(crate) fn bom_less_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    const SAMPLE: usize = 4096;
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
        .into_iter()
        .find(|encoding| {
            let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(sample) else {
                return false;
            };
            let (mut chars, mut plausible) = (0usize, 0usize);
            for c in text.chars() {
                chars += 1;
                let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
                if !control
                    && (c.is_alphanumeric()
                        || c.is_whitespace()
                        || c.is_ascii_punctuation()
                        || "«»№–—…“”„’".contains(c))
                {
                    plausible += 1;
                }
            }
            chars > 0 && plausible * 100 >= chars * 97
        })
}

/// Control characters that do not occur in text files (tab, LF, CR and form feed do).
fn is_binary_control(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Russian text in windows-1251 is mostly letters 0xC0-0xFF plus a few punctuation marks.
fn looks_like_windows_1251(bytes: &[u8]) -> bool {
    let (high, plausible) = bytes
        .iter()
        .filter(|&&byte| byte >= 0x80)
        .fold((0usize, 0usize), |(high, plausible), &byte| {
            (high + 1, plausible + usize::from(is_windows_1251_text_byte(byte)))
        });
    high > 0 && plausible * 10 >= high * 9
}

fn is_windows_1251_text_byte(byte: u8) -> bool {
    matches!(byte,
        0xC0..=0xFF // А..я
        | 0xA8 | 0xB8 // Ё ё
        | 0xAB | 0xBB // « »
        | 0x84 | 0x85 | 0x91..=0x94 | 0x96 | 0x97 // quotes, ellipsis, dashes
        | 0xB9 // №
        | 0xA0 // no-break space
        | 0xB2 | 0xB3 | 0xAA | 0xBA | 0xAF | 0xBF | 0xA1 | 0xA2 // Ukrainian/Belarusian letters
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn pdf_header_may_follow_junk() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Format::Pdf);
        let mut junk = vec![b' '; 500];
        junk.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&junk), Format::Pdf);
        let mut too_far = vec![b'x'; 2000];
        too_far.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&too_far), Format::Text);
    }

    #[test]
    fn zip_packages_are_told_apart_by_entries() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff(&docx), Format::Docx);
        let xlsx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(sniff(&xlsx), Format::Xlsx);
        let odt = zip_with(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(sniff(&odt), Format::Odt);
        let ods = zip_with(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(sniff(&ods), Format::Ods);
        let plain = zip_with(&[("scan.pdf", b"%PDF-1.4")]);
        let detected = detect(&plain);
        assert_eq!(detected.format, Format::Archive);
        assert!(detected.refusal_reason().contains("ZIP archive"));
    }

    #[test]
    fn truncated_docx_is_still_recognised_as_docx() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff(&docx[..docx.len() - 30]), Format::Docx);
    }

    #[test]
    fn unreadable_zip_without_telling_names_is_damaged() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        let detected = detect(&docx[..40]);
        assert_eq!(detected.format, Format::Archive);
        assert!(detected.damaged);
    }

    #[test]
    fn ole2_is_xls_unless_its_root_holds_a_word_document() {
        let mut ole = OLE2_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 504]);
        assert_eq!(sniff(&ole), Format::Xls);

        let container = |streams: &[&str]| {
            let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            for name in streams {
                file.create_stream(name).unwrap().write_all(b"x").unwrap();
            }
            file.flush().unwrap();
            file.into_inner().into_inner()
        };
        assert_eq!(sniff(&container(&["WordDocument", "1Table"])), Format::Doc);
        assert_eq!(sniff(&container(&["Workbook"])), Format::Xls);
        assert_eq!(sniff(&container(&["Workbook", "WordDocument"])), Format::Xls);
        assert_eq!(sniff(&container(&["PowerPoint Document"])), Format::Xls);

        // A directory cfb cannot read: the names in the bytes decide.
        let mut damaged = ole.clone();
        damaged.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&damaged), Format::Doc);
        damaged.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&damaged), Format::Xls);
    }

    #[test]
    fn rtf_by_its_opening_control_word() {
        assert_eq!(sniff(b"{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0}"), Format::Rtf);
        assert_eq!(sniff(b"\xEF\xBB\xBF\r\n{\\rtf1 x}"), Format::Rtf);
        assert_eq!(sniff(b"{\\rt not rtf}"), Format::Text);
    }

    #[test]
    fn images_and_archives_by_magic() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF").kind, "JPEG image");
        assert_eq!(detect(b"II*\0\x08\0\0\0").format, Format::Image);
        assert_eq!(detect(b"GIF89a....").format, Format::Image);
        assert_eq!(detect(b"Rar!\x1a\x07\x01\0").kind, "RAR archive");
        assert_eq!(detect(b"7z\xBC\xAF\x27\x1C\0\x04").format, Format::Archive);
        assert_eq!(detect(&[0x1F, 0x8B, 0x08, 0x00]).kind, "gzip archive");
        // Text that merely starts with "BM" is text.
        assert_eq!(sniff(b"BMW and other cars\n"), Format::Text);
    }

    #[test]
    fn xml_after_bom_and_whitespace() {
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><a/>"), Format::Xml);
        assert_eq!(sniff(b"\xEF\xBB\xBF  \n<card/>"), Format::Xml);
        assert_eq!(sniff(b"\xFF\xFE<\0a\0/\0>\0"), Format::Xml);
    }

    #[test]
    fn text_in_utf8_and_windows_1251() {
        assert_eq!(sniff("Акт ввода, өнеркәсіптік".as_bytes()), Format::Text);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Протокол испытаний №5 «ИБ»\r\n");
        assert_eq!(sniff(&cp1251), Format::Text);
    }

    #[test]
    fn utf16_without_a_bom_is_text_and_binary_is_not() {
        let text = "Акт ввода\r\nөнеркәсіптік пайдалануға, № 45";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(sniff(&le), Format::Text);
        assert_eq!(bom_less_utf16(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(bom_less_utf16(&be), Some(encoding_rs::UTF_16BE));
        let binary: Vec<u8> = (0u8..=255).cycle().take(512).collect();
        assert_eq!(bom_less_utf16(&binary), None);
    }

    #[test]
    fn utf8_with_a_few_stray_bytes_is_text_and_windows_1251_stays_windows_1251() {
        let mut damaged = "Акт ввода в промышленную эксплуатацию, өнеркәсіптік пайдалану. "
            .repeat(4)
            .into_bytes();
        damaged.insert(7, 0xFF); // between "Акт " and "ввода": one stray byte
        damaged.extend_from_slice(&[0xD0]); // cut in the middle of a character
        assert_eq!(stray_bytes_in_utf8(&damaged), Some(2));
        assert_eq!(sniff(&damaged), Format::Text);

        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Протокол испытаний №5 «ИБ»; сумма 12500\r\n");
        assert_eq!(stray_bytes_in_utf8(&cp1251), None);
        // Mostly digits with a few windows-1251 words: few bad bytes, but no UTF-8 letter at all.
        let mut numbers = "12500;17;2024-03-15\n".repeat(200).into_bytes();
        numbers.extend_from_slice(&cp1251);
        assert_eq!(stray_bytes_in_utf8(&numbers), None);
        assert_eq!(sniff(&numbers), Format::Text, "still text, as windows-1251");

        // Over 1 % broken is no longer "a few".
        let mut many = "Акт ввода".repeat(10).into_bytes();
        many.extend_from_slice(&[0xFF; 5]);
        assert_eq!(stray_bytes_in_utf8(&many), None);
    }

    #[test]
    fn binary_is_unknown() {
        assert_eq!(sniff(&[0x00, 0x01, 0x02, 0x03, 0xFE, 0x80]), Format::Unknown);
        assert_eq!(sniff(&[0x80, 0x81, 0x82, 0x83, 0x8A]), Format::Unknown);
    }
}
