//! XML helpers shared by the office and plain-XML readers: decoding a document to UTF-8,
//! entity references, error positions and a nesting guard.
//!
//! quick-xml never expands custom entities nor fetches DTDs, and we keep it that way: an unknown
//! `&name;` is kept literally (billion-laughs and external-entity attacks have nothing to bite on).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251};
use quick_xml::events::BytesRef;

use super::error::ExtractError;

/// Deeper nesting than this is treated as hostile input, not a document.
pub(crate) const MAX_DEPTH: usize = 256;

/// An XML document decoded to UTF-8, with a note when the bytes did not match their declaration.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub note: Option<String>,
}

/// Decodes XML bytes using the BOM, else the UTF-16 byte pattern, else the declared encoding,
/// else UTF-8. The result no longer carries a BOM.
pub(crate) fn decode_document(bytes: &[u8]) -> Result<Decoded<'_>, ExtractError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strictly(&bytes[bom_len..], encoding).map(|text| Decoded { text, note: None });
    }
    if bytes.starts_with(b"<\0") {
        return decode_strictly(bytes, UTF_16LE).map(|text| Decoded { text, note: None });
    }
    if bytes.starts_with(b"\0<") {
        return decode_strictly(bytes, UTF_16BE).map(|text| Decoded { text, note: None });
    }
    let declared = declared_encoding(bytes);
    let encoding = declared.unwrap_or(UTF_8);
    match decode_strictly(bytes, encoding) {
        Ok(text) => Ok(Decoded { text, note: None }),
        // A card saved by a Windows tool with a wrong (or no) declaration is still readable.
        Err(_) if encoding == UTF_8 && bytes.iter().any(|&b| b >= 0x80) => {
            let text = decode_strictly(bytes, WINDOWS_1251)?;
            let claimed = if declared.is_some() {
                "declares UTF-8"
            } else {
                "has no encoding declaration"
            };
            Ok(Decoded {
                text,
                note: Some(format!("XML {claimed} but is not valid UTF-8; read as windows-1251")),
            })
        }
        Err(error) => Err(error),
    }
}

fn decode_strictly<'a>(bytes: &'a [u8], encoding: &'static Encoding) -> Result<Cow<'a, str>, ExtractError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| ExtractError::Corrupt(format!("XML is not valid {} text", encoding.name())))
}

/// The encoding named in `<?xml ... encoding="..."?>`, if it is one we know.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let declaration_end = head.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&head[..declaration_end]).ok()?;
    if !declaration.trim_start().starts_with("<?xml") {
        return None;
    }
    let after_key = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let value = after_key.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = value[1..].split(quote).next()?;
    Encoding::for_label(label.trim().as_bytes())
}

/// The text an entity or character reference stands for. Predefined entities and character
/// references resolve; anything else (a DTD-declared entity) stays as written.
pub(crate) fn resolve_reference(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(ch)) = reference.resolve_char_ref() {
        return ch.to_string();
    }
    let name: &str = reference;
    match name {
        "lt" => "<".to_string(),
        "gt" => ">".to_string(),
        "amp" => "&".to_string(),
        "apos" => "'".to_string(),
        "quot" => "\"".to_string(),
        other => format!("&{other};"),
    }
}

/// 1-based line and column (in characters) of a byte offset into `text`.
pub(crate) fn line_and_column(text: &str, offset: u64) -> (usize, usize) {
    let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A corrupt-XML error naming the part, the position and quick-xml's complaint.
pub(crate) fn malformed(part: &str, text: &str, offset: u64, error: &quick_xml::Error) -> ExtractError {
    let (line, column) = line_and_column(text, offset);
    ExtractError::Corrupt(format!(
        "{part}: malformed XML at line {line}, column {column}: {error}"
    ))
}

/// The part of a qualified name after the prefix: `w:t` -> `t`.
pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Tracks element depth and refuses documents nested deeper than [`MAX_DEPTH`].
#[derive(Debug, Default)]
pub(crate) struct Depth(usize);

impl Depth {
    pub(crate) fn enter(&mut self, part: &str) -> Result<(), ExtractError> {
        self.0 += 1;
        if self.0 > MAX_DEPTH {
            return Err(ExtractError::Corrupt(format!(
                "{part}: nesting too deep (over {MAX_DEPTH} levels)"
            )));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.0 = self.0.saturating_sub(1);
    }

    pub(crate) fn current(&self) -> usize {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_windows_1251_is_honoured() {
        let (body, _, _) = WINDOWS_1251.encode("<a>Протокол</a>");
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>".to_vec();
        bytes.extend_from_slice(&body);
        let decoded = decode_document(&bytes).unwrap();
        assert!(decoded.text.contains("<a>Протокол</a>"));
        assert!(decoded.note.is_none());
    }

    #[test]
    fn mislabelled_windows_1251_is_read_with_a_note() {
        let (bytes, _, _) = WINDOWS_1251.encode("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Акт</a>");
        let decoded = decode_document(&bytes).unwrap();
        assert!(decoded.text.contains("Акт"));
        assert!(decoded.note.unwrap().contains("declares UTF-8"));
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<a>қ</a>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_document(&bytes).unwrap().text, "<a>қ</a>");
    }

    #[test]
    fn references_resolve_or_stay_literal() {
        assert_eq!(resolve_reference(&BytesRef::new("amp")), "&");
        assert_eq!(resolve_reference(&BytesRef::new("#1179")), "қ");
        assert_eq!(resolve_reference(&BytesRef::new("#x4D9")), "ә");
        assert_eq!(resolve_reference(&BytesRef::new("custom")), "&custom;");
        assert_eq!(resolve_reference(&BytesRef::new("#0")), "&#0;");
    }

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        assert_eq!(line_and_column("ab\nвг<", 7), (2, 3));
        assert_eq!(line_and_column("abc", 0), (1, 1));
        assert_eq!(line_and_column("abc", 99), (1, 4));
    }
}
