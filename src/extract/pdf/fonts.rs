//! What the text walker needs from a PDF font: how to turn shown bytes into Unicode, and how far
//! each glyph moves the pen (to tell word gaps and line breaks from kerning).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::glyphs::{DifferencesTable, Glyph, expand_ligatures};

/// Bound on decompressing a font's ToUnicode CMap.
const MAX_CMAP_BYTES: usize = 16 * 1024 * 1024;
/// Used when a font has no width table (the standard 14 fonts): an average glyph, in 1/1000 em.
const ASSUMED_GLYPH_WIDTH: f32 = 500.0;
/// `/DW` default for CID fonts (PDF 32000-1, 9.7.4.3).
const DEFAULT_CID_WIDTH: f32 = 1000.0;
/// No real width array is longer; stops a hostile one from costing time.
const MAX_WIDTH_ENTRIES: usize = 65_536;

pub(super) struct Font<'a> {
    /// `None` when the font's encoding cannot be turned into Unicode at all.
    encoding: Option<Encoding<'a>>,
    /// Our own reading of `/Differences` when lopdf refuses them (see [`DifferencesTable`]).
    differences: Option<DifferencesTable>,
    /// Type0 (composite) fonts show two-byte codes, in practice always (Identity-H and kin).
    two_byte_codes: bool,
    widths: Widths,
}

enum Widths {
    Simple {
        first_char: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    /// `first code -> (last code, width)`, from the descendant font's `/W` array.
    Cid {
        ranges: BTreeMap<u32, (u32, f32)>,
        default: f32,
    },
}

impl<'a> Font<'a> {
    pub(super) fn load(doc: &'a Document, font: &'a Dictionary) -> Self {
        let two_byte_codes = font
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|subtype| subtype == b"Type0");
        let widths = if two_byte_codes {
            cid_widths(doc, font)
        } else {
            simple_widths(doc, font)
        };
        let encoding = unicode_encoding(doc, font);
        let has_to_unicode = font.has(b"ToUnicode");
        let differences = if two_byte_codes || has_to_unicode {
            None
        } else {
            DifferencesTable::load(doc, font)
        };
        Font {
            encoding,
            differences,
            two_byte_codes,
            widths,
        }
    }

    /// The Unicode text of a shown string; empty when the font cannot be decoded. Ligatures
    /// (a `fi` glyph, or U+FB01 from a ToUnicode map) come out as their letters.
    pub(super) fn decode(&self, bytes: &[u8]) -> String {
        let text = match &self.differences {
            Some(table) => {
                // Our table first; lopdf for the names it does not know.
                let mut text = String::with_capacity(bytes.len());
                for &byte in bytes {
                    match table.glyph_of(byte) {
                        Some(Glyph::Char(c)) => text.push(c),
                        Some(Glyph::Letters(letters)) => text.push_str(letters),
                        None => text.push_str(&self.decode_with_lopdf(&[byte])),
                    }
                }
                text
            }
            None => self.decode_with_lopdf(bytes),
        };
        match expand_ligatures(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(expanded) => expanded,
        }
    }

    fn decode_with_lopdf(&self, bytes: &[u8]) -> String {
        self.encoding
            .as_ref()
            .and_then(|encoding| encoding.bytes_to_string(bytes).ok())
            .unwrap_or_default()
    }

    /// Horizontal displacement of a shown string in unscaled text space (PDF 32000-1, 9.4.4),
    /// given the text state: font size, character and word spacing, horizontal scaling.
    pub(super) fn advance(&self, bytes: &[u8], size: f32, char_spacing: f32, word_spacing: f32, h_scale: f32) -> f32 {
        let mut total = 0.0;
        for code in self.codes(bytes) {
            let mut glyph = self.width(code) / 1000.0 * size + char_spacing;
            // Word spacing applies to the single-byte code 32 only, never in two-byte fonts.
            if !self.two_byte_codes && code == 32 {
                glyph += word_spacing;
            }
            total += glyph * h_scale;
        }
        total
    }

    fn codes<'b>(&self, bytes: &'b [u8]) -> impl Iterator<Item = u32> + 'b {
        let step = if self.two_byte_codes { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|chunk| chunk.iter().fold(0u32, |code, &byte| code << 8 | u32::from(byte)))
    }

    fn width(&self, code: u32) -> f32 {
        match &self.widths {
            Widths::Simple {
                first_char,
                widths,
                missing,
            } => code
                .checked_sub(*first_char)
                .and_then(|index| widths.get(index as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { ranges, default } => ranges
                .range(..=code)
                .next_back()
                .filter(|(_, (last, _))| code <= *last)
                .map_or(*default, |(_, (_, width))| *width),
        }
    }
}

/// The font's mapping to Unicode. A `/ToUnicode` CMap wins over `/Encoding` (PDF 32000-1,
/// 9.10.2): LibreOffice and Word write Cyrillic through subset fonts whose codes mean nothing
/// without it. lopdf consults `/Encoding` first, so the CMap is resolved on its own here.
fn unicode_encoding<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<Encoding<'a>> {
    to_unicode_cmap(doc, font).or_else(|| font.get_font_encoding_with_limit(doc, MAX_CMAP_BYTES).ok())
}

fn to_unicode_cmap<'a>(doc: &'a Document, font: &Dictionary) -> Option<Encoding<'a>> {
    let to_unicode = font.get(b"ToUnicode").ok()?.clone();
    // lopdf builds a CMap encoding only for Identity-H fonts, so ask it about a stand-in font
    // that has just the CMap.
    let mut stand_in = Dictionary::new();
    stand_in.set("Type", Object::Name(b"Font".to_vec()));
    stand_in.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    stand_in.set("ToUnicode", to_unicode);
    match stand_in.get_font_encoding_with_limit(doc, MAX_CMAP_BYTES) {
        // The CMap is owned data, so it outlives the stand-in dictionary.
        Ok(Encoding::UnicodeMapEncoding(cmap)) => Some(Encoding::UnicodeMapEncoding(cmap)),
        _ => None,
    }
}

fn number(object: &Object) -> Option<f32> {
    object.as_float().ok().filter(|value| value.is_finite())
}

fn resolved<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, target)| target)
}

fn resolved_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    dict.get(key)
        .ok()
        .map(|object| resolved(doc, object))
        .and_then(|object| object.as_dict().ok())
}

fn resolved_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    dict.get(key)
        .ok()
        .map(|object| resolved(doc, object))
        .and_then(|object| object.as_array().ok())
        .map(Vec::as_slice)
}

/// `/FirstChar` + `/Widths` of a simple font; `/MissingWidth` from the descriptor otherwise.
fn simple_widths(doc: &Document, font: &Dictionary) -> Widths {
    let first_char = font
        .get(b"FirstChar")
        .ok()
        .and_then(|object| object.as_i64().ok())
        .unwrap_or(0);
    let widths: Vec<f32> = resolved_array(doc, font, b"Widths")
        .unwrap_or_default()
        .iter()
        .take(256)
        .map(|object| number(resolved(doc, object)).unwrap_or(0.0))
        .collect();
    let missing = resolved_dict(doc, font, b"FontDescriptor")
        .and_then(|descriptor| descriptor.get(b"MissingWidth").ok())
        .and_then(number)
        .filter(|width| *width > 0.0)
        .unwrap_or(ASSUMED_GLYPH_WIDTH);
    Widths::Simple {
        first_char: u32::try_from(first_char).unwrap_or(0),
        widths,
        missing,
    }
}

/// `/W` and `/DW` of a Type0 font's descendant CIDFont. `/W` mixes two forms:
/// `c [w1 w2 ...]` (consecutive codes from c) and `c_first c_last w` (one width for a range).
fn cid_widths(doc: &Document, font: &Dictionary) -> Widths {
    let descendant = resolved_array(doc, font, b"DescendantFonts")
        .and_then(|fonts| fonts.first())
        .and_then(|object| resolved(doc, object).as_dict().ok());
    let Some(descendant) = descendant else {
        return Widths::Cid {
            ranges: BTreeMap::new(),
            default: DEFAULT_CID_WIDTH,
        };
    };
    let default = descendant.get(b"DW").ok().and_then(number).unwrap_or(DEFAULT_CID_WIDTH);
    let entries = resolved_array(doc, descendant, b"W").unwrap_or_default();
    Widths::Cid {
        ranges: parse_w_array(doc, entries),
        default,
    }
}

fn parse_w_array(doc: &Document, entries: &[Object]) -> BTreeMap<u32, (u32, f32)> {
    let mut ranges = BTreeMap::new();
    let code = |object: &Object| number(resolved(doc, object)).filter(|n| *n >= 0.0).map(|n| n as u32);
    let mut index = 0;
    while index + 1 < entries.len() && ranges.len() < MAX_WIDTH_ENTRIES {
        let Some(first) = code(&entries[index]) else {
            break;
        };
        match resolved(doc, &entries[index + 1]) {
            Object::Array(widths) => {
                for (offset, width) in widths.iter().take(MAX_WIDTH_ENTRIES).enumerate() {
                    let cid = first.saturating_add(offset as u32);
                    ranges.insert(cid, (cid, number(resolved(doc, width)).unwrap_or(DEFAULT_CID_WIDTH)));
                }
                index += 2;
            }
            last_object => {
                let (Some(last), Some(width)) = (code(last_object), entries.get(index + 2).and_then(number)) else {
                    break;
                };
                ranges.insert(first, (last, width));
                index += 3;
            }
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w_array_supports_both_forms() {
        let doc = Document::new();
        let entries = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(250), Object::Real(333.0)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(600),
        ];
        let ranges = parse_w_array(&doc, &entries);
        let font = Font {
            encoding: None,
            differences: None,
            two_byte_codes: true,
            widths: Widths::Cid {
                ranges,
                default: 1000.0,
            },
        };
        assert_eq!(font.width(3), 250.0);
        assert_eq!(font.width(4), 333.0);
        assert_eq!(font.width(15), 600.0);
        assert_eq!(font.width(21), 1000.0);
        // Two glyphs of 600/1000 em at 10 pt, with 1 pt character spacing.
        assert_eq!(font.advance(&[0, 10, 0, 11], 10.0, 1.0, 5.0, 1.0), 14.0);
    }

    #[test]
    fn ligature_code_points_from_a_to_unicode_map_are_letters() {
        // A TeX-style font: code 1 is the "fi" glyph, mapped to U+FB01 by its ToUnicode CMap.
        let cmap = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
            /CMapName /Test def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
            4 beginbfchar\n<20> <0020>\n<01> <FB01>\n<02> <FB00>\n<03> <FB03>\nendbfchar\n\
            1 beginbfrange\n<61> <7A> <0061>\nendbfrange\n\
            endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let mut doc = Document::with_version("1.5");
        let to_unicode = doc.add_object(lopdf::Stream::new(Dictionary::new(), cmap.to_vec()));
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type1".to_vec()));
        font.set("BaseFont", Object::Name(b"CMR10".to_vec()));
        font.set("ToUnicode", Object::Reference(to_unicode));
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"\x01rst e\x03cient o\x02"), "first efficient off");
    }

    #[test]
    fn ligature_glyph_names_in_differences_are_letters() {
        let mut encoding = Dictionary::new();
        encoding.set("BaseEncoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        encoding.set(
            "Differences",
            Object::Array(vec![
                Object::Integer(1),
                Object::Name(b"fi".to_vec()),
                Object::Name(b"ffl".to_vec()),
                Object::Name(b"uniFB02".to_vec()),
                Object::Name(b"ft".to_vec()),
            ]),
        );
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type1".to_vec()));
        font.set("Encoding", Object::Dictionary(encoding));
        let doc = Document::with_version("1.5");
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"\x01rst ba\x02e \x03ow so\x04"), "first baffle flow soft");
    }

    #[test]
    fn simple_widths_and_word_spacing() {
        let font = Font {
            encoding: None,
            differences: None,
            two_byte_codes: false,
            widths: Widths::Simple {
                first_char: 32,
                widths: vec![250.0, 500.0],
                missing: 400.0,
            },
        };
        assert_eq!(font.advance(b" !", 10.0, 0.0, 2.0, 1.0), 2.5 + 2.0 + 5.0);
        assert_eq!(font.width(200), 400.0);
        assert_eq!(font.decode(b"abc"), "");
    }
}
