//! What the text walker needs from a PDF font: how to turn shown bytes into Unicode, and how far
//! each glyph moves the pen (to tell word gaps and line breaks from kerning).
//!
//! Decoding follows Poppler (`pdftotext`), code by code (PDF 32000-1, 9.10.2):
//! 1. the font's ToUnicode map ([`CMap`]), when it has the code;
//! 2. otherwise, for a simple font, its code table ([`CodeTable`]): the base encoding named by
//!    `/Encoding` or `/BaseEncoding`; if none is named, the font program's built-in encoding
//!    (Type 1, CFF, a symbolic TrueType font's `cmap`), the Symbol font's, or StandardEncoding
//!    (WinAnsiEncoding for TrueType, as Poppler does); then `/Differences`;
//! 3. otherwise, for a composite (Type0) font, a Unicode CMap's code itself (`UniGB-UCS2-H`,
//!    `UniJIS-UTF16-H`), or the glyph's character by the embedded font program (the inverted
//!    `cmap` of a CID TrueType font, the glyph names of a CFF one).
//!
//! A composite font's codes are split by its encoding CMap's codespace (Identity-H: two bytes),
//! and the same codes select its widths.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Document, Object};

use super::cmap::{CMap, Code, CodeSpace};
use super::encodings::{
    MAC_EXPERT_ENCODING, MAC_ROMAN_ENCODING, NameTable, PDF_DOC_ENCODING, STANDARD_ENCODING, SYMBOL_ENCODING,
    WIN_ANSI_ENCODING,
};
use super::font_program;
use super::glyphs::{CodeTable, Glyph, expand_ligatures};
use super::standard_fonts::standard_font_widths;

/// Bound on decompressing a font's ToUnicode map or encoding CMap.
const MAX_CMAP_BYTES: usize = 16 * 1024 * 1024;
/// Bound on decompressing an embedded font program; real ones are well under this.
const MAX_FONT_PROGRAM_BYTES: usize = 32 * 1024 * 1024;
/// A `/CIDToGIDMap` stream: two bytes for each of at most 65 536 CIDs.
const MAX_CID_TO_GID_BYTES: usize = 2 * 65_536;
/// Used when a font has no width for a glyph: an average glyph, in 1/1000 em.
const ASSUMED_GLYPH_WIDTH: f32 = 500.0;
/// `/DW` default for CID fonts (PDF 32000-1, 9.7.4.3), in 1/1000 em.
const DEFAULT_CID_WIDTH: f32 = 1000.0;
/// Widths are kept in 1/1000 em, the glyph space of every font but Type 3 (PDF 32000-1,
/// 9.2.4); this turns them into em.
const GLYPH_SPACE_UNITS: f32 = 0.001;
/// No real width array is longer; stops a hostile one from costing time.
const MAX_WIDTH_ENTRIES: usize = 65_536;
/// Font descriptor flags (PDF 32000-1, 9.8.2).
const FLAG_SYMBOLIC: i64 = 1 << 2;
const FLAG_NONSYMBOLIC: i64 = 1 << 5;

pub(super) struct Font<'a> {
    codes: Codes<'a>,
    /// The ToUnicode map, when the font has one; it wins over everything else per code.
    to_unicode: Option<CMap>,
    widths: Widths,
    /// A vertical font's `/W2` and `/DW2`: the vertical displacement of each CID, in 1/1000 em
    /// (negative: downwards).
    vertical_displacements: Option<CidMetrics>,
}

/// How shown bytes split into codes, and what a code means when the ToUnicode map is silent.
enum Codes<'a> {
    /// One byte per code: Type1, MMType1, TrueType, Type3.
    Simple(Box<CodeTable>),
    /// Type0: codes of 1 to 4 bytes.
    Composite {
        codespace: CodeSpace,
        cids: CidSource,
        fallback: CompositeFallback<'a>,
        /// Written top to bottom (`Identity-V`, `/WMode 1`).
        vertical: bool,
    },
}

/// Which CID a composite font's code selects (for its widths and glyphs).
enum CidSource {
    /// Identity-H/-V: the code is the CID.
    Identity,
    /// An embedded encoding CMap; `identity_base` when it builds on Identity-H/-V (`usecmap`).
    Embedded { cmap: Box<CMap>, identity_base: bool },
    /// A predefined CMap whose tables we do not carry (`UniGB-UCS2-H`, `90ms-RKSJ-H`).
    Unknown,
}

/// What a composite font's code means without a ToUnicode entry.
enum CompositeFallback<'a> {
    Nothing,
    /// A predefined Unicode CMap: the code is the text, in this form.
    UnicodeCode(UnicodeForm),
    /// The embedded font program names its glyphs; read when first needed, as most composite
    /// fonts carry a complete ToUnicode map.
    FontProgram {
        doc: &'a Document,
        descendant: &'a Dictionary,
        glyphs: OnceCell<GlyphText>,
        /// For a glyph the program does not name: Poppler's identity mapping, the code taken as
        /// UTF-16, for an Adobe-Identity or Adobe-UCS font without a ToUnicode map (or with an
        /// empty one). Some producers make the code the character (Solid Converter:
        /// `/ToUnicode /Identity-H`; PDFBOX-4322: a ToUnicode map without entries; both with
        /// a font program without a `cmap`).
        code_as_unicode: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnicodeForm {
    Utf16,
    Utf8,
    Utf32,
}

/// What a CID font's glyphs stand for, by glyph id, and how CIDs select glyph ids.
#[derive(Default)]
struct GlyphText {
    /// `None`: the CID is the glyph id.
    cid_to_gid: Option<Vec<u16>>,
    by_glyph: HashMap<u16, Glyph>,
}

enum Widths {
    /// Widths in 1/1000 em, by code from `first_char`.
    Simple {
        first_char: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    /// From the descendant font's `/W` array.
    Cid(CidMetrics),
}

/// A metric of each CID, in 1/1000 em: `(first CID, last CID, value)` sorted by first CID, and
/// the default. A sorted list rather than the map it is built in: a binary search is several
/// times faster than `BTreeMap::range`, which was 4 % of a text PDF's extraction.
struct CidMetrics {
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl CidMetrics {
    fn new(ranges: BTreeMap<u32, (u32, f32)>, default: f32) -> Self {
        CidMetrics {
            ranges: ranges
                .into_iter()
                .map(|(first, (last, value))| (first, last, value))
                .collect(),
            default,
        }
    }

    /// The value of the range with the greatest first CID at or below `cid`, if it holds `cid`.
    fn get(&self, cid: Option<u32>) -> f32 {
        cid.map_or(self.default, |cid| {
            let after = self.ranges.partition_point(|&(first, ..)| first <= cid);
            after
                .checked_sub(1)
                .and_then(|i| self.ranges.get(i))
                .filter(|&&(_, last, _)| cid <= last)
                .map_or(self.default, |&(.., value)| value)
        })
    }
}

impl<'a> Font<'a> {
    pub(super) fn load(doc: &'a Document, font: &'a Dictionary) -> Self {
        let subtype = font.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        let to_unicode = stream_data(doc, font, b"ToUnicode", MAX_CMAP_BYTES)
            .map(|data| CMap::parse(&data))
            .filter(CMap::maps_anything);
        if subtype == b"Type0" {
            let descendant = resolved_array(doc, font, b"DescendantFonts")
                .and_then(|fonts| fonts.first())
                .and_then(|object| resolved(doc, object).as_dict().ok());
            let codes = composite_codes(doc, font, descendant, to_unicode.as_ref());
            let vertical = matches!(codes, Codes::Composite { vertical: true, .. });
            Font {
                codes,
                widths: Widths::Cid(cid_metrics(doc, descendant, b"W", DEFAULT_CID_WIDTH, 1)),
                vertical_displacements: vertical.then(|| {
                    cid_metrics(
                        doc,
                        descendant,
                        b"W2",
                        default_vertical_displacement(doc, descendant),
                        3,
                    )
                }),
                to_unicode,
            }
        } else {
            let descriptor = resolved_dict(doc, font, b"FontDescriptor");
            let table = simple_code_table(doc, font, subtype, descriptor);
            Font {
                widths: simple_widths(doc, font, subtype, descriptor, &table),
                codes: Codes::Simple(Box::new(table)),
                to_unicode,
                vertical_displacements: None,
            }
        }
    }

    /// The Unicode text of a shown string; empty when the font cannot be decoded. Ligatures
    /// (a `fi` glyph, or U+FB01 from a ToUnicode map) come out as their letters.
    pub(super) fn decode(&self, bytes: &[u8]) -> String {
        let mut text = String::with_capacity(bytes.len());
        self.for_each_code(bytes, |code| {
            if let Some(mapped) = self.to_unicode.as_ref().and_then(|cmap| cmap.unicode(code.value)) {
                mapped.push_to(&mut text);
                return;
            }
            match &self.codes {
                Codes::Simple(table) => {
                    if let Some(glyph) = u8::try_from(code.value).ok().and_then(|byte| table.glyph_of(byte)) {
                        glyph.push_to(&mut text);
                    }
                }
                Codes::Composite { cids, fallback, .. } => fallback.push_text(code, cids, &mut text),
            }
        });
        match expand_ligatures(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(expanded) => expanded,
        }
    }

    /// Horizontal displacement of a shown string in unscaled text space (PDF 32000-1, 9.4.4),
    /// given the text state: font size, character and word spacing, horizontal scaling.
    pub(super) fn advance(&self, bytes: &[u8], size: f32, char_spacing: f32, word_spacing: f32, h_scale: f32) -> f32 {
        let mut total = 0.0;
        self.for_each_code(bytes, |code| {
            let mut glyph = self.width(code.value) * GLYPH_SPACE_UNITS * size + char_spacing;
            // Word spacing applies to the single-byte code 32 only (PDF 32000-1, 9.3.3).
            if code.len == 1 && code.value == 32 {
                glyph += word_spacing;
            }
            total += glyph * h_scale;
        });
        total
    }

    /// Whether the font is written top to bottom (PDF 32000-1, 9.7.4.3). The walker still lays
    /// every font out horizontally: [`Font::advance`] gives the horizontal widths, which keeps a
    /// vertical string's glyphs together in reading order.
    #[allow(dead_code, reason = "for the walker, once it lays vertical text out vertically")]
    pub(super) fn is_vertical(&self) -> bool {
        matches!(self.codes, Codes::Composite { vertical: true, .. })
    }

    /// Vertical displacement of a shown string of a vertical font in unscaled text space
    /// (PDF 32000-1, 9.4.4: `ty = w1 * Tfs + Tc + Tw`), negative for the usual downward pen;
    /// 0 for a horizontal font.
    #[allow(dead_code, reason = "for the walker, once it lays vertical text out vertically")]
    pub(super) fn vertical_advance(&self, bytes: &[u8], size: f32, char_spacing: f32, word_spacing: f32) -> f32 {
        let Some(displacements) = &self.vertical_displacements else {
            return 0.0;
        };
        let mut total = 0.0;
        self.for_each_code(bytes, |code| {
            total += displacements.get(self.cid(code.value)) * GLYPH_SPACE_UNITS * size + char_spacing;
            if code.len == 1 && code.value == 32 {
                total += word_spacing;
            }
        });
        total
    }

    fn cid(&self, code: u32) -> Option<u32> {
        match &self.codes {
            Codes::Composite { cids, .. } => cids.cid(code),
            Codes::Simple(_) => Some(code),
        }
    }

    fn for_each_code(&self, bytes: &[u8], mut each: impl FnMut(Code)) {
        match &self.codes {
            Codes::Simple(_) => bytes.iter().for_each(|&byte| {
                each(Code {
                    value: u32::from(byte),
                    len: 1,
                })
            }),
            Codes::Composite { codespace, .. } => codespace.split(bytes).for_each(each),
        }
    }

    /// The width of a code's glyph in 1/1000 em.
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
            Widths::Cid(metrics) => metrics.get(self.cid(code)),
        }
    }
}

impl CidSource {
    fn cid(&self, code: u32) -> Option<u32> {
        match self {
            CidSource::Identity => Some(code),
            CidSource::Embedded { cmap, identity_base } => cmap
                .cid(code)
                .or_else(|| identity_base.then_some(code))
                // An unmapped code shows the CID 0 glyph (PDF 32000-1, 9.7.6.3).
                .or(Some(0)),
            CidSource::Unknown => None,
        }
    }
}

impl CompositeFallback<'_> {
    fn push_text(&self, code: Code, cids: &CidSource, out: &mut String) {
        match self {
            CompositeFallback::Nothing => {}
            CompositeFallback::UnicodeCode(form) => push_unicode_code(*form, code, out),
            CompositeFallback::FontProgram {
                doc,
                descendant,
                glyphs,
                code_as_unicode,
            } => {
                let glyphs = glyphs.get_or_init(|| GlyphText::load(doc, descendant));
                let glyph = cids
                    .cid(code.value)
                    .and_then(|cid| glyphs.glyph_id(cid))
                    .and_then(|gid| glyphs.by_glyph.get(&gid));
                match glyph {
                    Some(glyph) => glyph.push_to(out),
                    None if *code_as_unicode => push_unicode_code(UnicodeForm::Utf16, code, out),
                    None => {}
                }
            }
        }
    }
}

/// The text of a code of a predefined Unicode CMap, whose codes are UTF-16BE (UCS2 and UTF16
/// CMaps), UTF-8 or UTF-32BE.
fn push_unicode_code(form: UnicodeForm, code: Code, out: &mut String) {
    let bytes = &code.value.to_be_bytes()[4usize.saturating_sub(code.len)..];
    match form {
        UnicodeForm::Utf16 => {
            let units = bytes.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            out.extend(char::decode_utf16(units).filter_map(Result::ok).filter(|c| *c != '\0'));
        }
        UnicodeForm::Utf8 => out.push_str(std::str::from_utf8(bytes).unwrap_or_default()),
        UnicodeForm::Utf32 => out.extend(char::from_u32(code.value).filter(|c| *c != '\0')),
    }
}

impl GlyphText {
    /// Reads the descendant CIDFont's program and `/CIDToGIDMap`; empty when there is nothing
    /// to read (a font not embedded, a CID-keyed CFF font without glyph names).
    fn load(doc: &Document, descendant: &Dictionary) -> Self {
        let Some(descriptor) = resolved_dict(doc, descendant, b"FontDescriptor") else {
            return GlyphText::default();
        };
        let subtype = descendant.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        if subtype == b"CIDFontType2" {
            let Some(program) = stream_data(doc, descriptor, b"FontFile2", MAX_FONT_PROGRAM_BYTES) else {
                return GlyphText::default();
            };
            let by_glyph = font_program::truetype_glyph_unicode(&program)
                .into_iter()
                .map(|(gid, c)| (gid, Glyph::Char(c)))
                .collect();
            // Absent or `/Identity`: the CID is the glyph id.
            let cid_to_gid = stream_data(doc, descendant, b"CIDToGIDMap", MAX_CID_TO_GID_BYTES).map(|map| {
                map.chunks_exact(2)
                    .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                    .collect()
            });
            GlyphText { cid_to_gid, by_glyph }
        } else {
            match stream_data(doc, descriptor, b"FontFile3", MAX_FONT_PROGRAM_BYTES) {
                Some(program) => GlyphText {
                    cid_to_gid: None,
                    by_glyph: font_program::cff_glyph_text(&program),
                },
                None => GlyphText::default(),
            }
        }
    }

    fn glyph_id(&self, cid: u32) -> Option<u16> {
        match &self.cid_to_gid {
            None => u16::try_from(cid).ok(),
            Some(map) => usize::try_from(cid).ok().and_then(|cid| map.get(cid)).copied(),
        }
    }
}

/// How a Type0 font's codes split and what they mean, from its `/Encoding`: a predefined CMap
/// name or an embedded CMap stream.
fn composite_codes<'a>(
    doc: &'a Document,
    font: &'a Dictionary,
    descendant: Option<&'a Dictionary>,
    to_unicode: Option<&CMap>,
) -> Codes<'a> {
    let program_fallback = || match descendant {
        Some(descendant) => CompositeFallback::FontProgram {
            doc,
            descendant,
            glyphs: OnceCell::new(),
            code_as_unicode: to_unicode.is_none() && is_identity_collection(doc, descendant),
        },
        None => CompositeFallback::Nothing,
    };
    let encoding = font.get(b"Encoding").ok().map(|object| resolved(doc, object));
    match encoding {
        Some(Object::Name(name)) => {
            let name = name.as_slice();
            let vertical = name.ends_with(b"-V");
            if name == b"Identity-H" || name == b"Identity-V" {
                return Codes::Composite {
                    codespace: CodeSpace::fixed(2),
                    cids: CidSource::Identity,
                    fallback: program_fallback(),
                    vertical,
                };
            }
            let unicode_form = unicode_cmap_form(name);
            let codespace = match unicode_form {
                Some(UnicodeForm::Utf16) => utf16_codespace(),
                Some(UnicodeForm::Utf8) => utf8_codespace(),
                Some(UnicodeForm::Utf32) => CodeSpace::fixed(4),
                // A CJK CMap we do not carry: the ToUnicode map's codespace is the best guess
                // at how its codes split.
                None => to_unicode
                    .map(CMap::codespace)
                    .filter(|codespace| !codespace.is_empty())
                    .unwrap_or_else(|| CodeSpace::fixed(2)),
            };
            Codes::Composite {
                codespace,
                cids: CidSource::Unknown,
                fallback: unicode_form.map_or(CompositeFallback::Nothing, CompositeFallback::UnicodeCode),
                vertical,
            }
        }
        Some(Object::Stream(stream)) => {
            let cmap = stream
                .decompressed_content_with_limit(MAX_CMAP_BYTES)
                .map(|data| CMap::parse(&data))
                .unwrap_or_default();
            let identity_base = matches!(cmap.used_cmap(), Some(b"Identity-H" | b"Identity-V"));
            let vertical = cmap.is_vertical() || cmap.used_cmap() == Some(b"Identity-V");
            let codespace = Some(cmap.codespace())
                .filter(|codespace| !codespace.is_empty())
                .unwrap_or_else(|| CodeSpace::fixed(2));
            Codes::Composite {
                codespace,
                cids: CidSource::Embedded {
                    cmap: Box::new(cmap),
                    identity_base,
                },
                fallback: program_fallback(),
                vertical,
            }
        }
        // No encoding at all is an error; Identity-H is what such files mean.
        _ => Codes::Composite {
            codespace: CodeSpace::fixed(2),
            cids: CidSource::Identity,
            fallback: program_fallback(),
            vertical: false,
        },
    }
}

/// Whether a CIDFont's character collection (`/CIDSystemInfo`) is Adobe-Identity or Adobe-UCS,
/// whose CIDs Poppler takes for Unicode when there is no ToUnicode map.
fn is_identity_collection(doc: &Document, descendant: &Dictionary) -> bool {
    let Some(info) = resolved_dict(doc, descendant, b"CIDSystemInfo") else {
        return false;
    };
    let text = |key: &[u8]| {
        info.get(key)
            .ok()
            .map(|object| resolved(doc, object))
            .and_then(|object| object.as_str().ok())
    };
    text(b"Registry") == Some(b"Adobe") && matches!(text(b"Ordering"), Some(b"Identity" | b"UCS"))
}

/// The form of a predefined Unicode CMap's codes (Adobe's `Uni<collection>-<form>-<H|V>`).
fn unicode_cmap_form(name: &[u8]) -> Option<UnicodeForm> {
    let name = std::str::from_utf8(name).ok()?;
    if !name.starts_with("Uni") {
        return None;
    }
    if name.contains("-UCS2-") || name.contains("-UTF16-") {
        Some(UnicodeForm::Utf16)
    } else if name.contains("-UTF8-") {
        Some(UnicodeForm::Utf8)
    } else if name.contains("-UTF32-") {
        Some(UnicodeForm::Utf32)
    } else {
        None
    }
}

/// Two bytes, or four for a surrogate pair.
fn utf16_codespace() -> CodeSpace {
    CMap::parse(b"begincodespacerange <0000> <D7FF> <D800DC00> <DBFFDFFF> <E000> <FFFF> endcodespacerange").codespace()
}

fn utf8_codespace() -> CodeSpace {
    CMap::parse(
        b"begincodespacerange <00> <7F> <C080> <DFBF> <E08080> <EFBFBF> <F0808080> <F7BFBFBF> endcodespacerange",
    )
    .codespace()
}

/// A simple font's code table (see the module documentation for the order).
fn simple_code_table(doc: &Document, font: &Dictionary, subtype: &[u8], descriptor: Option<&Dictionary>) -> CodeTable {
    let encoding = font.get(b"Encoding").ok().map(|object| resolved(doc, object));
    let (base_name, differences) = match encoding {
        Some(Object::Name(name)) => (Some(name.as_slice()), None),
        Some(Object::Dictionary(dict)) => (
            dict.get(b"BaseEncoding").and_then(Object::as_name).ok(),
            dict.get(b"Differences")
                .ok()
                .map(|object| resolved(doc, object))
                .and_then(|object| object.as_array().ok()),
        ),
        _ => (None, None),
    };
    let mut table = match base_name.and_then(named_encoding) {
        Some(names) => CodeTable::from_names(names),
        None => builtin_code_table(doc, font, subtype, descriptor),
    };
    if let Some(differences) = differences {
        table.apply_differences(doc, differences);
    }
    table
}

fn named_encoding(name: &[u8]) -> Option<&'static NameTable> {
    match name {
        b"StandardEncoding" => Some(&STANDARD_ENCODING),
        b"WinAnsiEncoding" => Some(&WIN_ANSI_ENCODING),
        b"MacRomanEncoding" => Some(&MAC_ROMAN_ENCODING),
        b"MacExpertEncoding" => Some(&MAC_EXPERT_ENCODING),
        b"PDFDocEncoding" => Some(&PDF_DOC_ENCODING),
        _ => None,
    }
}

/// The encoding a simple font has when its dictionary names none: its program's, or the
/// standard font's, or the default for its type.
fn builtin_code_table(doc: &Document, font: &Dictionary, subtype: &[u8], descriptor: Option<&Dictionary>) -> CodeTable {
    let default_names: &NameTable = if subtype == b"TrueType" {
        &WIN_ANSI_ENCODING
    } else {
        &STANDARD_ENCODING
    };
    let Some(descriptor) = descriptor else {
        return CodeTable::from_names(standard_font_encoding(font).unwrap_or(default_names));
    };
    let program = |key: &[u8]| stream_data(doc, descriptor, key, MAX_FONT_PROGRAM_BYTES);
    if let Some(program) = program(b"FontFile") {
        if let Some(table) = font_program::type1_encoding(&program) {
            return table;
        }
    } else if let Some(program) = program(b"FontFile3") {
        let is_cff = resolved_stream_subtype(doc, descriptor, b"FontFile3")
            .is_none_or(|subtype| subtype != b"OpenType")
            || font_program::is_cff_opentype(&program);
        let table = if is_cff {
            font_program::cff_encoding(&program)
        } else {
            symbolic_truetype_table(&program, descriptor, default_names)
        };
        if let Some(table) = table {
            return table;
        }
    } else if let Some(program) = program(b"FontFile2") {
        if let Some(table) = symbolic_truetype_table(&program, descriptor, default_names) {
            return table;
        }
    } else if let Some(names) = standard_font_encoding(font) {
        return CodeTable::from_names(names);
    }
    CodeTable::from_names(default_names)
}

/// A symbolic TrueType font's codes select glyphs through its own `cmap` (PDF 32000-1,
/// 9.6.6.4); where that gives a glyph we can name, it wins over the default encoding.
fn symbolic_truetype_table(program: &[u8], descriptor: &Dictionary, default_names: &NameTable) -> Option<CodeTable> {
    let flags = descriptor.get(b"Flags").and_then(Object::as_i64).unwrap_or(0);
    if flags & FLAG_NONSYMBOLIC != 0 && flags & FLAG_SYMBOLIC == 0 {
        return None;
    }
    let symbol = font_program::truetype_symbol_encoding(program)?;
    let mut table = CodeTable::from_names(default_names);
    for code in 0..=u8::MAX {
        if let Some(glyph) = symbol.glyph_of(code) {
            table.set(code, Some(glyph));
        }
    }
    Some(table)
}

/// The built-in encoding of a standard font that is not embedded: Symbol's own. (ZapfDingbats
/// draws dingbats, no text.)
fn standard_font_encoding(font: &Dictionary) -> Option<&'static NameTable> {
    let name = font.get(b"BaseFont").and_then(Object::as_name).ok()?;
    // A subset tag (`ABCDEF+`) and a style suffix (`Symbol,Bold`) do not change the font.
    let name = match name.iter().position(|&byte| byte == b'+') {
        Some(6) => &name[7..],
        _ => name,
    };
    let name = name.split(|&byte| byte == b',').next().unwrap_or_default();
    (name == b"Symbol" || name == b"SymbolMT").then_some(&SYMBOL_ENCODING)
}

fn resolved_stream_subtype<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    let stream = resolved(doc, dict.get(key).ok()?).as_stream().ok()?;
    stream.dict.get(b"Subtype").and_then(Object::as_name).ok()
}

/// A stream's decompressed data, when it is there and within `limit`.
fn stream_data(doc: &Document, dict: &Dictionary, key: &[u8], limit: usize) -> Option<Vec<u8>> {
    let stream = resolved(doc, dict.get(key).ok()?).as_stream().ok()?;
    stream.decompressed_content_with_limit(limit).ok()
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

/// `/FirstChar` + `/Widths` of a simple font, or a standard font's own widths; then
/// `/MissingWidth` from the descriptor; all in 1/1000 em. Type 3 widths are in the font's glyph
/// space, which `/FontMatrix` maps to text space (PDF 32000-1, 9.6.5); other fonts' are in
/// 1/1000 em already.
fn simple_widths(
    doc: &Document,
    font: &Dictionary,
    subtype: &[u8],
    descriptor: Option<&Dictionary>,
    codes: &CodeTable,
) -> Widths {
    let scale = if subtype == b"Type3" {
        type3_width_scale(doc, font) / GLYPH_SPACE_UNITS
    } else {
        1.0
    };
    let first_char = font
        .get(b"FirstChar")
        .ok()
        .and_then(|object| number(resolved(doc, object)))
        .filter(|first| (0.0..256.0).contains(first))
        .map_or(0, |first| first as u32);
    let widths: Vec<f32> = resolved_array(doc, font, b"Widths")
        .unwrap_or_default()
        .iter()
        .take(256)
        .map(|object| number(resolved(doc, object)).unwrap_or(0.0) * scale)
        .collect();
    let missing = descriptor
        .and_then(|descriptor| descriptor.get(b"MissingWidth").ok())
        .and_then(number)
        .map(|width| width * scale)
        .filter(|width| *width > 0.0)
        .unwrap_or(ASSUMED_GLYPH_WIDTH);
    if widths.is_empty()
        && subtype != b"Type3"
        && let Ok(base_font) = font.get(b"BaseFont").and_then(Object::as_name)
        && let Some(standard) = standard_font_widths(base_font, codes)
    {
        return Widths::Simple {
            first_char: 0,
            widths: standard.into_iter().map(|width| width.unwrap_or(missing)).collect(),
            missing,
        };
    }
    Widths::Simple {
        first_char,
        widths,
        missing,
    }
}

/// The horizontal scale of a Type 3 font's glyph space: `/FontMatrix`'s first entry. Often
/// 0.001, but a font drawn on a 1-unit or 2048-unit grid says otherwise.
fn type3_width_scale(doc: &Document, font: &Dictionary) -> f32 {
    resolved_array(doc, font, b"FontMatrix")
        .and_then(|matrix| matrix.first())
        .and_then(|a| number(resolved(doc, a)))
        .filter(|a| *a != 0.0)
        .map_or(GLYPH_SPACE_UNITS, f32::abs)
}

/// `/W` and `/DW` (or `/W2` and `/DW2`) of a Type0 font's descendant CIDFont: `per_cid`
/// numbers for each CID, of which the first is the one kept (the width; the vertical
/// displacement).
fn cid_metrics(
    doc: &Document,
    descendant: Option<&Dictionary>,
    key: &[u8],
    default: f32,
    per_cid: usize,
) -> CidMetrics {
    let Some(descendant) = descendant else {
        return CidMetrics::new(BTreeMap::new(), default);
    };
    let default = match key {
        b"W" => descendant.get(b"DW").ok().and_then(number).unwrap_or(default),
        _ => default,
    };
    let entries = resolved_array(doc, descendant, key).unwrap_or_default();
    CidMetrics::new(parse_metrics_array(doc, entries, per_cid), default)
}

/// `/DW2 [vy w1y]`'s `w1y`: how far down a vertical font's glyphs move the pen by default.
fn default_vertical_displacement(doc: &Document, descendant: Option<&Dictionary>) -> f32 {
    const DEFAULT_W1Y: f32 = -1000.0;
    descendant
        .and_then(|descendant| resolved_array(doc, descendant, b"DW2"))
        .and_then(|dw2| dw2.get(1))
        .and_then(|w1y| number(resolved(doc, w1y)))
        .unwrap_or(DEFAULT_W1Y)
}

/// A `/W` array: it mixes two forms, `c [w1 w2 ...]` (consecutive CIDs from c) and
/// `c_first c_last w` (one width for a range).
#[cfg(test)]
fn parse_w_array(doc: &Document, entries: &[Object]) -> BTreeMap<u32, (u32, f32)> {
    parse_metrics_array(doc, entries, 1)
}

/// A `/W` (1 number per CID) or `/W2` (3: `w1y vx vy`) array, keeping each CID's first number.
fn parse_metrics_array(doc: &Document, entries: &[Object], per_cid: usize) -> BTreeMap<u32, (u32, f32)> {
    let mut ranges = BTreeMap::new();
    let code = |object: &Object| number(resolved(doc, object)).filter(|n| *n >= 0.0).map(|n| n as u32);
    let mut index = 0;
    while index + 1 < entries.len() && ranges.len() < MAX_WIDTH_ENTRIES {
        let Some(first) = code(&entries[index]) else {
            break;
        };
        match resolved(doc, &entries[index + 1]) {
            Object::Array(values) => {
                for (offset, metrics) in values.chunks(per_cid).take(MAX_WIDTH_ENTRIES).enumerate() {
                    let cid = first.saturating_add(offset as u32);
                    let value = metrics.first().and_then(|value| number(resolved(doc, value)));
                    ranges.insert(cid, (cid, value.unwrap_or(DEFAULT_CID_WIDTH)));
                }
                index += 2;
            }
            last_object => {
                let (Some(last), Some(value)) = (code(last_object), entries.get(index + 2).and_then(number)) else {
                    break;
                };
                ranges.insert(first, (last, value));
                index += 2 + per_cid;
            }
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use lopdf::Stream;

    use super::*;

    /// A font dictionary from `(key, value)` pairs.
    fn dict(pairs: Vec<(&str, Object)>) -> Dictionary {
        let mut dict = Dictionary::new();
        for (key, value) in pairs {
            dict.set(key, value);
        }
        dict
    }

    fn name(name: &str) -> Object {
        Object::Name(name.as_bytes().to_vec())
    }

    fn stream(doc: &mut Document, data: &[u8]) -> Object {
        Object::Reference(doc.add_object(Stream::new(Dictionary::new(), data.to_vec())))
    }

    fn simple_font(widths: Widths) -> Font<'static> {
        Font {
            codes: Codes::Simple(Box::new(CodeTable::empty())),
            to_unicode: None,
            widths,
            vertical_displacements: None,
        }
    }

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
            codes: Codes::Composite {
                codespace: CodeSpace::fixed(2),
                cids: CidSource::Identity,
                fallback: CompositeFallback::Nothing,
                vertical: false,
            },
            to_unicode: None,
            widths: Widths::Cid(CidMetrics::new(ranges, 1000.0)),
            vertical_displacements: None,
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
        let font = simple_font(Widths::Simple {
            first_char: 32,
            widths: vec![250.0, 500.0],
            missing: 400.0,
        });
        assert_eq!(font.advance(b" !", 10.0, 0.0, 2.0, 1.0), 2.5 + 2.0 + 5.0);
        assert_eq!(font.width(200), 400.0);
        assert_eq!(font.decode(b"abc"), "");
    }

    #[test]
    fn to_unicode_wins_per_code_and_the_encoding_fills_its_gaps() {
        // Adobe PDF Library 8: one-byte codes listed in a map that declares a two-byte
        // codespace; code 0x41 is missing from the map.
        let mut doc = Document::with_version("1.6");
        let to_unicode = stream(
            &mut doc,
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              3 beginbfchar <4E> <004E> <61> <0061> <92> <2019> endbfchar",
        );
        let font = dict(vec![
            ("Subtype", name("Type1")),
            ("BaseFont", name("XNVLGJ+NPSRawlinsonOT-Book")),
            ("Encoding", name("WinAnsiEncoding")),
            ("ToUnicode", to_unicode),
        ]);
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"Na\x92A\x80"), "Na\u{2019}A\u{20AC}");
    }

    #[test]
    fn mac_roman_encoding() {
        let font = dict(vec![
            ("Subtype", name("TrueType")),
            ("Encoding", name("MacRomanEncoding")),
        ]);
        let doc = Document::new();
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"caf\x8E \xD2quoted\xD3 \xDErst"), "café “quoted” first");
    }

    #[test]
    fn default_encodings_by_font_type_and_symbol() {
        let doc = Document::new();
        // TrueType without an encoding reads as WinAnsi (Poppler), Type 1 as Standard.
        let truetype = Font::load(&doc, Box::leak(Box::new(dict(vec![("Subtype", name("TrueType"))]))));
        assert_eq!(truetype.decode(b"it\x92s"), "it\u{2019}s");
        let type1 = Font::load(&doc, Box::leak(Box::new(dict(vec![("Subtype", name("Type1"))]))));
        assert_eq!(type1.decode(b"it's"), "it\u{2019}s");
        let symbol = dict(vec![("Subtype", name("Type1")), ("BaseFont", name("Symbol"))]);
        let symbol = Font::load(&doc, &symbol);
        assert_eq!(symbol.decode(b"abg"), "αβγ");
    }

    #[test]
    fn differences_without_a_base_apply_to_the_type1_program_encoding() {
        let mut doc = Document::with_version("1.4");
        let program = stream(
            &mut doc,
            b"%!PS-AdobeFont-1.0: SFRM1000\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
              dup 12 /fi put\ndup 65 /A put\ndup 98 /b put\nreadonly def\ncurrentfile eexec\n",
        );
        let descriptor = Object::Dictionary(dict(vec![("Flags", Object::Integer(4)), ("FontFile", program)]));
        let encoding = Object::Dictionary(dict(vec![(
            "Differences",
            Object::Array(vec![Object::Integer(98), name("afii10066")]),
        )]));
        let font = dict(vec![
            ("Subtype", name("Type1")),
            ("FontDescriptor", descriptor),
            ("Encoding", encoding),
        ]);
        let font = Font::load(&doc, &font);
        // 'a' is not in the program's encoding; 'b' is overridden by the differences.
        assert_eq!(font.decode(b"\x0CAab"), "fiAб");
    }

    #[test]
    fn type3_widths_scale_by_the_font_matrix() {
        let matrix = |scale: f32| {
            Object::Array(vec![
                Object::Real(scale),
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(scale),
                Object::Integer(0),
                Object::Integer(0),
            ])
        };
        let doc = Document::new();
        let encoding = Object::Dictionary(dict(vec![(
            "Differences",
            Object::Array(vec![Object::Integer(1), name("H"), name("i")]),
        )]));
        let font = dict(vec![
            ("Subtype", name("Type3")),
            ("FontMatrix", matrix(0.01)),
            ("FirstChar", Object::Integer(1)),
            ("Widths", Object::Array(vec![Object::Integer(60), Object::Integer(25)])),
            ("Encoding", encoding.clone()),
        ]);
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"\x01\x02"), "Hi");
        // (0.60 + 0.25) em at 10 pt.
        assert!((font.advance(b"\x01\x02", 10.0, 0.0, 0.0, 1.0) - 8.5).abs() < 1e-4);
        // The usual matrix: widths in 1/1000 em, as for other fonts.
        let usual = dict(vec![
            ("Subtype", name("Type3")),
            ("FontMatrix", matrix(0.001)),
            ("FirstChar", Object::Integer(1)),
            ("Widths", Object::Array(vec![Object::Integer(600)])),
            ("Encoding", encoding),
        ]);
        let usual = Font::load(&doc, &usual);
        assert!((usual.advance(b"\x01", 10.0, 0.0, 0.0, 1.0) - 6.0).abs() < 1e-4);
    }

    #[test]
    fn identity_h_with_a_to_unicode_map_and_widths_by_cid() {
        // Antenna House: a codespace whose second byte range excludes most of its own codes.
        let mut doc = Document::with_version("1.6");
        let to_unicode = stream(
            &mut doc,
            b"1 begincodespacerange <0003> <0372> endcodespacerange\n\
              1 beginbfchar <0003> <0020> endbfchar\n\
              2 beginbfrange <0004> <001D> <0041> <00B7> <00D0> <0061> endbfrange",
        );
        let descendant = Object::Dictionary(dict(vec![
            ("Subtype", name("CIDFontType2")),
            ("DW", Object::Integer(500)),
            (
                "W",
                Object::Array(vec![Object::Integer(0xB7), Object::Array(vec![Object::Integer(556)])]),
            ),
        ]));
        let font = dict(vec![
            ("Subtype", name("Type0")),
            ("Encoding", name("Identity-H")),
            ("DescendantFonts", Object::Array(vec![descendant])),
            ("ToUnicode", to_unicode),
        ]);
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(&[0x00, 0x0B, 0x00, 0xB7, 0x00, 0x03, 0x01, 0x91]), "Ha ");
        assert!(!font.is_vertical());
        // 'a' is 556, the rest 500; no word spacing for two-byte codes.
        let advance = font.advance(&[0x00, 0xB7, 0x00, 0x03], 10.0, 0.0, 3.0, 1.0);
        assert!((advance - 10.56).abs() < 1e-4, "{advance}");
    }

    #[test]
    fn embedded_encoding_cmap_splits_mixed_lengths_and_selects_cids() {
        let mut doc = Document::with_version("1.6");
        let encoding = stream(
            &mut doc,
            b"/CMapName /Test-H def\n2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange\n\
              2 begincidrange <20> <7E> 1 <8140> <817E> 633 endcidrange",
        );
        let to_unicode = stream(
            &mut doc,
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange\n\
              2 beginbfchar <20> <0020> <8140> <3000> endbfchar\n1 beginbfrange <41> <5A> <0041> endbfrange",
        );
        let descendant = Object::Dictionary(dict(vec![
            ("Subtype", name("CIDFontType0")),
            (
                "W",
                Object::Array(vec![
                    Object::Integer(1),
                    Object::Integer(95),
                    Object::Integer(500),
                    Object::Integer(633),
                    Object::Integer(700),
                    Object::Integer(1000),
                ]),
            ),
        ]));
        let font = dict(vec![
            ("Subtype", name("Type0")),
            ("Encoding", encoding),
            ("DescendantFonts", Object::Array(vec![descendant])),
            ("ToUnicode", to_unicode),
        ]);
        let font = Font::load(&doc, &font);
        assert_eq!(font.decode(b"A\x81\x40B"), "A\u{3000}B");
        // Code 0x20 is single-byte: word spacing applies to it.
        let advance = font.advance(b"A\x81\x40 ", 10.0, 0.0, 2.0, 1.0);
        assert!((advance - (5.0 + 10.0 + 5.0 + 2.0)).abs() < 1e-4, "{advance}");
    }

    #[test]
    fn vertical_fonts_move_the_pen_down() {
        let doc = Document::new();
        let descendant = Object::Dictionary(dict(vec![
            ("Subtype", name("CIDFontType0")),
            ("DW2", Object::Array(vec![Object::Integer(880), Object::Integer(-900)])),
            (
                "W2",
                Object::Array(vec![
                    Object::Integer(2),
                    Object::Array(vec![Object::Integer(-500), Object::Integer(250), Object::Integer(880)]),
                    Object::Integer(10),
                    Object::Integer(20),
                    Object::Integer(-1000),
                    Object::Integer(500),
                    Object::Integer(880),
                ]),
            ),
        ]));
        let font = dict(vec![
            ("Subtype", name("Type0")),
            ("Encoding", name("Identity-V")),
            ("DescendantFonts", Object::Array(vec![descendant.clone()])),
        ]);
        let font = Font::load(&doc, &font);
        assert!(font.is_vertical());
        // CID 2 half an em, CID 15 a full one, CID 1 the default 0.9 em, at 10 pt.
        let advance = font.vertical_advance(&[0, 2, 0, 15, 0, 1], 10.0, 0.0, 0.0);
        assert!((advance + 24.0).abs() < 1e-4, "{advance}");
        let horizontal = dict(vec![
            ("Subtype", name("Type0")),
            ("Encoding", name("Identity-H")),
            ("DescendantFonts", Object::Array(vec![descendant])),
        ]);
        assert_eq!(
            Font::load(&doc, &horizontal).vertical_advance(&[0, 2], 10.0, 0.0, 0.0),
            0.0
        );
    }

    #[test]
    fn predefined_unicode_cmaps_decode_their_codes() {
        let doc = Document::new();
        let ucs2 = dict(vec![("Subtype", name("Type0")), ("Encoding", name("UniGB-UCS2-H"))]);
        let ucs2 = Font::load(&doc, &ucs2);
        assert_eq!(ucs2.decode(&[0x4E, 0x2D, 0x65, 0x87]), "中文");
        assert!(!ucs2.is_vertical());
        let vertical = dict(vec![("Subtype", name("Type0")), ("Encoding", name("UniJIS-UCS2-V"))]);
        assert!(Font::load(&doc, &vertical).is_vertical());
        let utf16 = dict(vec![("Subtype", name("Type0")), ("Encoding", name("UniJIS-UTF16-H"))]);
        let utf16 = Font::load(&doc, &utf16);
        assert_eq!(
            utf16.decode(&[0x00, 0x41, 0xD8, 0x40, 0xDC, 0x0B, 0x00, 0x42]),
            "A\u{2000B}B"
        );
        // Three codes: each is one glyph for the widths.
        assert_eq!(
            utf16.advance(&[0x00, 0x41, 0xD8, 0x40, 0xDC, 0x0B, 0x00, 0x42], 1.0, 0.0, 0.0, 1.0),
            3.0
        );
    }

    #[test]
    fn adobe_identity_without_a_to_unicode_map_takes_codes_for_unicode() {
        let collection = |ordering: &str| {
            Object::Dictionary(dict(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal(ordering)),
                ("Supplement", Object::Integer(0)),
            ]))
        };
        let mut doc = Document::new();
        let empty_map = stream(&mut doc, b"begincodespacerange <0000> <FFFF> endcodespacerange");
        let partial_map = stream(&mut doc, b"beginbfchar <0054> <0058> endbfchar");
        let font = |ordering: &str, to_unicode: Object| {
            let descendant = Object::Dictionary(dict(vec![
                ("Subtype", name("CIDFontType2")),
                ("CIDSystemInfo", collection(ordering)),
            ]));
            dict(vec![
                ("Subtype", name("Type0")),
                ("Encoding", name("Identity-H")),
                ("ToUnicode", to_unicode),
                ("DescendantFonts", Object::Array(vec![descendant])),
            ])
        };
        let shown = [0x00, 0x54, 0x01, 0x0D];
        // Not a stream (Solid Converter), or a map without entries (PDFBOX-4322): as good as none.
        let not_a_stream = font("Identity", name("Identity-H"));
        assert_eq!(Font::load(&doc, &not_a_stream).decode(&shown), "Tč");
        let empty = font("Identity", empty_map);
        assert_eq!(Font::load(&doc, &empty).decode(&shown), "Tč");
        // A map with entries is the map: Poppler does not guess the codes it leaves out.
        let partial = font("Identity", partial_map);
        assert_eq!(Font::load(&doc, &partial).decode(&shown), "X");
        let japan = font("Japan1", name("Identity-H"));
        assert_eq!(Font::load(&doc, &japan).decode(&shown), "");
    }

    #[test]
    fn standard_fonts_without_widths_use_their_own() {
        let doc = Document::new();
        let helvetica = dict(vec![("Subtype", name("Type1")), ("BaseFont", name("Helvetica"))]);
        let helvetica = Font::load(&doc, &helvetica);
        // "il" in Helvetica: 222 + 222; a glyph it lacks is half an em.
        assert!((helvetica.advance(b"il", 10.0, 0.0, 0.0, 1.0) - 4.44).abs() < 1e-4);
        assert!((helvetica.advance(b"\x05", 10.0, 0.0, 0.0, 1.0) - 5.0).abs() < 1e-4);
        let unknown = dict(vec![("Subtype", name("Type1")), ("BaseFont", name("Futura"))]);
        assert!((Font::load(&doc, &unknown).advance(b"il", 10.0, 0.0, 0.0, 1.0) - 10.0).abs() < 1e-4);
    }

    #[test]
    fn cid_truetype_without_to_unicode_reads_its_cmap_backwards() {
        let program = include_bytes!("../../../benches/support/fonts/DejaVuSans.ttf");
        let face = ttf_parser::Face::parse(program, 0).unwrap();
        let gid = |c| face.glyph_index(c).unwrap().0;
        let mut doc = Document::with_version("1.6");
        let program = stream(&mut doc, program);
        let descriptor = Object::Dictionary(dict(vec![("FontFile2", program)]));
        let descendant = Object::Dictionary(dict(vec![
            ("Subtype", name("CIDFontType2")),
            ("FontDescriptor", descriptor),
            ("CIDToGIDMap", name("Identity")),
        ]));
        let font = dict(vec![
            ("Subtype", name("Type0")),
            ("Encoding", name("Identity-H")),
            ("DescendantFonts", Object::Array(vec![descendant])),
        ]);
        let font = Font::load(&doc, &font);
        let shown: Vec<u8> = "Әкім ".chars().flat_map(|c| gid(c).to_be_bytes()).collect();
        assert_eq!(font.decode(&shown), "Әкім ");
    }

    #[test]
    fn hostile_fonts_decode_to_something_without_panicking() {
        let mut doc = Document::with_version("1.6");
        let huge = stream(
            &mut doc,
            b"begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n\
              beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange",
        );
        let garbage = stream(&mut doc, b"\x00\xFF<<<< (((( [[[[ /W /W");
        for font in [
            dict(vec![
                ("Subtype", name("Type0")),
                ("ToUnicode", huge.clone()),
                ("Encoding", huge.clone()),
            ]),
            dict(vec![
                ("Subtype", name("Type0")),
                ("Encoding", garbage.clone()),
                ("DescendantFonts", Object::Integer(3)),
            ]),
            dict(vec![
                ("Subtype", name("Type1")),
                ("ToUnicode", garbage.clone()),
                ("Encoding", garbage.clone()),
            ]),
            dict(vec![
                ("Subtype", name("TrueType")),
                ("FirstChar", Object::Integer(-5)),
                ("Widths", Object::Array(vec![Object::Real(f32::NAN)])),
                (
                    "FontDescriptor",
                    Object::Dictionary(dict(vec![("FontFile2", garbage.clone())])),
                ),
            ]),
            dict(vec![
                ("Subtype", name("Type1")),
                (
                    "FontDescriptor",
                    Object::Dictionary(dict(vec![("FontFile3", garbage.clone())])),
                ),
            ]),
            dict(vec![
                ("Subtype", name("Type3")),
                ("FontMatrix", Object::Array(vec![Object::Integer(0)])),
            ]),
        ] {
            let font = Font::load(&doc, Box::leak(Box::new(font)));
            let _ = font.decode(&[0xFF; 7]);
            assert!(font.advance(&[0xFF; 7], 10.0, 0.0, 0.0, 1.0).is_finite());
        }
    }
}
