//! Plain text (including CSV) and generic XML.

use encoding_rs::{Encoding, WINDOWS_1251};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::Parsed;
use super::error::ExtractError;
use super::xml::{self, Depth};

/// Plain text: UTF-8 (BOM stripped; a few invalid bytes replaced and counted in a note), UTF-16
/// with a BOM or recognisably without one, or windows-1251 when it is none of those.
/// One page; CSV stays as it is.
pub(crate) fn extract_plain(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let mut parsed = Parsed::single_page(String::new());
    let text = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => encoding.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) if let Some(stray) = super::sniff::stray_bytes_in_utf8(bytes) => {
                parsed.notes.push(format!(
                    "UTF-8 with {stray} invalid byte(s), each broken sequence shown as U+FFFD"
                ));
                String::from_utf8_lossy(bytes).into_owned()
            }
            Err(_) if let Some(encoding) = super::sniff::bom_less_utf16(bytes) => {
                parsed
                    .notes
                    .push(format!("{} without a byte-order mark", encoding.name()));
                encoding.decode_without_bom_handling(bytes).0.into_owned()
            }
            Err(_) => {
                parsed.notes.push("not UTF-8; read as windows-1251".to_string());
                WINDOWS_1251.decode_without_bom_handling(bytes).0.into_owned()
            }
        },
    };
    parsed.pages[0].text = normalize_line_ends(&text);
    Ok(parsed)
}

fn normalize_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Generic XML: the text content of all elements, a newline after each element that held text.
/// Object cards are parsed elsewhere; this is for search and recognition.
pub(crate) fn extract_xml(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let decoded = xml::decode_document(bytes)?;
    let text = xml_text_content(&decoded.text)?;
    let mut parsed = Parsed::single_page(text);
    parsed.notes.extend(decoded.note);
    Ok(parsed)
}

fn xml_text_content(source: &str) -> Result<String, ExtractError> {
    const PART: &str = "XML";
    let mut reader = Reader::from_str(source);
    let mut depth = Depth::default();
    // One flag per open element: did it directly contain text?
    let mut held_text: Vec<bool> = Vec::new();
    let mut out = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|error| xml::malformed(PART, source, reader.error_position(), &error))?;
        match event {
            Event::Start(_) => {
                depth.enter(PART)?;
                held_text.push(false);
            }
            Event::End(_) => {
                depth.leave();
                if held_text.pop() == Some(true) && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Event::Text(text) => push_text(&mut out, &mut held_text, &text.xml10_content()),
            Event::CData(data) => push_text(&mut out, &mut held_text, &data.xml10_content()),
            Event::GeneralRef(reference) => push_text(&mut out, &mut held_text, &xml::resolve_reference(&reference)),
            Event::Eof => break,
            // DOCTYPE (and any entities it declares) is ignored, never expanded.
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if depth.current() != 0 {
        return Err(ExtractError::Corrupt(format!(
            "{PART}: document ends before all elements are closed"
        )));
    }
    Ok(out)
}

fn push_text(out: &mut String, held_text: &mut [bool], text: &str) {
    // Indentation between elements is layout, not content.
    if text.trim().is_empty() && !held_text.last().copied().unwrap_or(false) {
        return;
    }
    if let Some(top) = held_text.last_mut() {
        *top = true;
    }
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FileStatus, Format, Limits, extract_bytes};

    #[test]
    fn utf8_bom_is_stripped_and_crlf_normalised() {
        let parsed = extract_plain(b"\xEF\xBB\xBFline1\r\nline2").unwrap();
        assert_eq!(parsed.pages[0].text, "line1\nline2");
        assert!(parsed.notes.is_empty());
    }

    #[test]
    fn windows_1251_fallback_keeps_russian() {
        let (bytes, _, _) = WINDOWS_1251.encode("Техническая документация;12500\n");
        let parsed = extract_plain(&bytes).unwrap();
        assert_eq!(parsed.pages[0].text, "Техническая документация;12500\n");
        assert_eq!(parsed.notes, vec!["not UTF-8; read as windows-1251".to_string()]);
        assert!(!parsed.incomplete, "a note of how it was read is not one of text lost");
    }

    #[test]
    fn stray_bytes_in_utf8_are_replaced_and_counted() {
        let mut bytes = "Акт ввода в промышленную эксплуатацию\nөнеркәсіптік пайдалануға енгізу туралы акт\n"
            .repeat(3)
            .into_bytes();
        bytes.splice(7..7, [0xC0, 0xFF]); // after "Акт ", two bytes no UTF-8 sequence starts with
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!((got.format, got.status), (Format::Text, FileStatus::Ok));
        assert_eq!(
            got.reason.as_deref(),
            Some("UTF-8 with 2 invalid byte(s), each broken sequence shown as U+FFFD")
        );
        let text = got.full_text();
        assert_eq!(text.matches('\u{FFFD}').count(), 2, "{text}");
        assert!(text.contains("өнеркәсіптік пайдалануға"), "{text}");
        assert!(!got.incomplete, "a few characters lost hide no document");
    }

    #[test]
    fn xml_text_with_entities_and_kazakh() {
        let xml = "<?xml version=\"1.0\"?>\n<card>\n  <name>ИС &amp; АПК</name>\n  <kk>&#1179;&#1201;&#x4E9;</kk>\n  <x>&custom;</x>\n</card>";
        let got = extract_bytes(xml.as_bytes(), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(got.format, Format::Xml);
        assert_eq!(got.full_text(), "ИС & АПК\nқұө\n&custom;\n");
    }

    #[test]
    fn xml_in_declared_windows_1251() {
        let (body, _, _) = WINDOWS_1251.encode("<card><name>Информационная система</name></card>");
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>".to_vec();
        bytes.extend_from_slice(&body);
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok);
        assert!(got.full_text().contains("Информационная система"));
    }

    #[test]
    fn malformed_xml_is_corrupt_with_position() {
        let got = extract_bytes(b"<card>\n  <name>x</nam>\n</card>", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
        let reason = got.reason.unwrap();
        assert!(reason.contains("line 2"), "{reason}");
    }

    #[test]
    fn unclosed_xml_is_corrupt() {
        let got = extract_bytes(b"<card><name>x</name>", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        let got = extract_bytes(xml.as_bytes(), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().contains("nesting too deep"));
    }

    #[test]
    fn doctype_entities_are_not_expanded() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY lol \"lollollol\">]><a>&lol;</a>";
        let got = extract_bytes(xml.as_bytes(), &Limits::without_ocr());
        assert_eq!(got.full_text(), "&lol;\n");
    }
}
