//! Glyph widths of the standard 14 fonts, for the simple fonts that name one without a
//! `/Widths` array (allowed before PDF 1.5, common from old iText and Distiller): without them
//! every glyph would be guessed at half an em, and word gaps misjudged.
//!
//! The widths are the Adobe Core 14 AFM metrics (identical in the metric-compatible URW
//! base 35 fonts, from whose AFM files these tables were generated), for codes 32-255: by
//! WinAnsiEncoding code for the text fonts, by the font's own code for Symbol. Courier's glyphs
//! are all 600 wide; ZapfDingbats draws no text.

use super::encodings::WIN_ANSI_ENCODING;
use super::glyphs::{CodeTable, Glyph, glyph_text};

/// Every Courier glyph, in 1/1000 em.
const COURIER_WIDTH: u16 = 600;
/// The first code the tables hold.
const FIRST_CODE: usize = 32;

/// Helvetica and Helvetica-Oblique: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
     278,  278,  355,  556,  556,  889,  667,  191,  333,  333,  389,  584,  278,  333,  278,  278,
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  278,  278,  584,  584,  584,  556,
    1015,  667,  667,  722,  722,  667,  611,  778,  722,  278,  500,  667,  556,  833,  722,  778,
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  278,  278,  278,  469,  556,
     333,  556,  556,  500,  556,  556,  278,  556,  556,  222,  222,  500,  222,  833,  556,  556,
     556,  556,  333,  500,  278,  556,  500,  722,  500,  500,  500,  334,  260,  334,  584,  350,
     556,  350,  222,  556,  333, 1000,  556,  556,  333, 1000,  667,  333, 1000,  350,  611,  350,
     350,  222,  222,  333,  333,  350,  556, 1000,  333, 1000,  500,  333,  944,  350,  500,  667,
     278,  333,  556,  556,  556,  556,  260,  556,  333,  737,  370,  556,  584,  333,  737,  333,
     400,  584,  333,  333,  333,  556,  537,  278,  333,  333,  365,  556,  834,  834,  834,  611,
     667,  667,  667,  667,  667,  667, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278,
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611,
     556,  556,  556,  556,  556,  556,  889,  500,  556,  556,  556,  556,  278,  278,  278,  278,
     556,  556,  556,  556,  556,  556,  556,  584,  611,  556,  556,  556,  556,  500,  556,  500,
];

/// Helvetica-Bold and Helvetica-BoldOblique: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
     278,  333,  474,  556,  556,  889,  722,  238,  333,  333,  389,  584,  278,  333,  278,  278,
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  333,  333,  584,  584,  584,  611,
     975,  722,  722,  722,  722,  667,  611,  778,  722,  278,  556,  722,  611,  833,  722,  778,
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  333,  278,  333,  584,  556,
     333,  556,  611,  556,  611,  556,  333,  611,  611,  278,  278,  556,  278,  889,  611,  611,
     611,  611,  389,  556,  333,  611,  556,  778,  556,  556,  500,  389,  280,  389,  584,  350,
     556,  350,  278,  556,  500, 1000,  556,  556,  333, 1000,  667,  333, 1000,  350,  611,  350,
     350,  278,  278,  500,  500,  350,  556, 1000,  333, 1000,  556,  333,  944,  350,  500,  667,
     278,  333,  556,  556,  556,  556,  280,  556,  333,  737,  370,  556,  584,  333,  737,  333,
     400,  584,  333,  333,  333,  611,  556,  278,  333,  333,  365,  556,  834,  834,  834,  611,
     722,  722,  722,  722,  722,  722, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278,
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611,
     556,  556,  556,  556,  556,  556,  889,  556,  556,  556,  556,  556,  278,  278,  278,  278,
     611,  611,  611,  611,  611,  611,  611,  584,  611,  611,  611,  611,  611,  556,  611,  556,
];

/// Times-Roman: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const TIMES_ROMAN: [u16; 224] = [
     250,  333,  408,  500,  500,  833,  778,  180,  333,  333,  500,  564,  250,  333,  250,  278,
     500,  500,  500,  500,  500,  500,  500,  500,  500,  500,  278,  278,  564,  564,  564,  444,
     921,  722,  667,  667,  722,  611,  556,  722,  722,  333,  389,  722,  611,  889,  722,  722,
     556,  722,  667,  556,  611,  722,  722,  944,  722,  722,  611,  333,  278,  333,  469,  500,
     333,  444,  500,  444,  500,  444,  333,  500,  500,  278,  278,  500,  278,  778,  500,  500,
     500,  500,  333,  389,  278,  500,  500,  722,  500,  500,  444,  480,  200,  480,  541,  350,
     500,  350,  333,  500,  444, 1000,  500,  500,  333, 1000,  556,  333,  889,  350,  611,  350,
     350,  333,  333,  444,  444,  350,  500, 1000,  333,  980,  389,  333,  722,  350,  444,  722,
     250,  333,  500,  500,  500,  500,  200,  500,  333,  760,  276,  500,  564,  333,  760,  333,
     400,  564,  300,  300,  333,  500,  453,  250,  333,  300,  310,  500,  750,  750,  750,  444,
     722,  722,  722,  722,  722,  722,  889,  667,  611,  611,  611,  611,  333,  333,  333,  333,
     722,  722,  722,  722,  722,  722,  722,  564,  722,  722,  722,  722,  722,  722,  556,  500,
     444,  444,  444,  444,  444,  444,  667,  444,  444,  444,  444,  444,  278,  278,  278,  278,
     500,  500,  500,  500,  500,  500,  500,  564,  500,  500,  500,  500,  500,  500,  500,  500,
];

/// Times-Bold: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const TIMES_BOLD: [u16; 224] = [
     250,  333,  555,  500,  500, 1000,  833,  278,  333,  333,  500,  570,  250,  333,  250,  278,
     500,  500,  500,  500,  500,  500,  500,  500,  500,  500,  333,  333,  570,  570,  570,  500,
     930,  722,  667,  722,  722,  667,  611,  778,  778,  389,  500,  778,  667,  944,  722,  778,
     611,  778,  722,  556,  667,  722,  722, 1000,  722,  722,  667,  333,  278,  333,  581,  500,
     333,  500,  556,  444,  556,  444,  333,  500,  556,  278,  333,  556,  278,  833,  556,  500,
     556,  556,  444,  389,  333,  556,  500,  722,  500,  500,  444,  394,  220,  394,  520,  350,
     500,  350,  333,  500,  500, 1000,  500,  500,  333, 1000,  556,  333, 1000,  350,  667,  350,
     350,  333,  333,  500,  500,  350,  500, 1000,  333, 1000,  389,  333,  722,  350,  444,  722,
     250,  333,  500,  500,  500,  500,  220,  500,  333,  747,  300,  500,  570,  333,  747,  333,
     400,  570,  300,  300,  333,  556,  540,  250,  333,  300,  330,  500,  750,  750,  750,  500,
     722,  722,  722,  722,  722,  722, 1000,  722,  667,  667,  667,  667,  389,  389,  389,  389,
     722,  722,  778,  778,  778,  778,  778,  570,  778,  722,  722,  722,  722,  722,  611,  556,
     500,  500,  500,  500,  500,  500,  722,  444,  444,  444,  444,  444,  278,  278,  278,  278,
     500,  556,  500,  500,  500,  500,  500,  570,  500,  556,  556,  556,  556,  500,  556,  500,
];

/// Times-Italic: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const TIMES_ITALIC: [u16; 224] = [
     250,  333,  420,  500,  500,  833,  778,  214,  333,  333,  500,  675,  250,  333,  250,  278,
     500,  500,  500,  500,  500,  500,  500,  500,  500,  500,  333,  333,  675,  675,  675,  500,
     920,  611,  611,  667,  722,  611,  611,  722,  722,  333,  444,  667,  556,  833,  667,  722,
     611,  722,  611,  500,  556,  722,  611,  833,  611,  556,  556,  389,  278,  389,  422,  500,
     333,  500,  500,  444,  500,  444,  278,  500,  500,  278,  278,  444,  278,  722,  500,  500,
     500,  500,  389,  389,  278,  500,  444,  667,  444,  444,  389,  400,  275,  400,  541,  350,
     500,  350,  333,  500,  556,  889,  500,  500,  333, 1000,  500,  333,  944,  350,  556,  350,
     350,  333,  333,  556,  556,  350,  500,  889,  333,  980,  389,  333,  667,  350,  389,  556,
     250,  389,  500,  500,  500,  500,  275,  500,  333,  760,  276,  500,  675,  333,  760,  333,
     400,  675,  300,  300,  333,  500,  523,  250,  333,  300,  310,  500,  750,  750,  750,  500,
     611,  611,  611,  611,  611,  611,  889,  667,  611,  611,  611,  611,  333,  333,  333,  333,
     722,  667,  722,  722,  722,  722,  722,  675,  722,  722,  722,  722,  722,  556,  611,  500,
     500,  500,  500,  500,  500,  500,  667,  444,  444,  444,  444,  444,  278,  278,  278,  278,
     500,  500,  500,  500,  500,  500,  500,  675,  500,  500,  500,  500,  500,  444,  500,  444,
];

/// Times-BoldItalic: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const TIMES_BOLD_ITALIC: [u16; 224] = [
     250,  389,  555,  500,  500,  833,  778,  278,  333,  333,  500,  570,  250,  333,  250,  278,
     500,  500,  500,  500,  500,  500,  500,  500,  500,  500,  333,  333,  570,  570,  570,  500,
     832,  667,  667,  667,  722,  667,  667,  722,  778,  389,  500,  667,  611,  889,  722,  722,
     611,  722,  667,  556,  611,  722,  667,  889,  667,  611,  611,  333,  278,  333,  570,  500,
     333,  500,  500,  444,  500,  444,  333,  500,  556,  278,  278,  500,  278,  778,  556,  500,
     500,  500,  389,  389,  278,  556,  444,  667,  500,  444,  389,  348,  220,  348,  570,  350,
     500,  350,  333,  500,  500, 1000,  500,  500,  333, 1000,  556,  333,  944,  350,  611,  350,
     350,  333,  333,  500,  500,  350,  500, 1000,  333, 1000,  389,  333,  722,  350,  389,  611,
     250,  389,  500,  500,  500,  500,  220,  500,  333,  747,  266,  500,  606,  333,  747,  333,
     400,  570,  300,  300,  333,  576,  500,  250,  333,  300,  300,  500,  750,  750,  750,  500,
     667,  667,  667,  667,  667,  667,  944,  667,  667,  667,  667,  667,  389,  389,  389,  389,
     722,  722,  722,  722,  722,  722,  722,  570,  722,  722,  722,  722,  722,  611,  611,  500,
     500,  500,  500,  500,  500,  500,  722,  444,  444,  444,  444,  444,  278,  278,  278,  278,
     500,  556,  500,  500,  500,  500,  500,  570,  500,  556,  556,  556,  556,  444,  500,  444,
];

/// Symbol, by its built-in encoding's codes: widths in 1/1000 em of codes 32-255, 0 where the font has no glyph.
#[rustfmt::skip]
const SYMBOL: [u16; 224] = [
     250,  333,  713,  500,  549,  833,  778,  439,  333,  333,  500,  549,  250,  549,  250,  278,
     500,  500,  500,  500,  500,  500,  500,  500,  500,  500,  278,  278,  549,  549,  549,  444,
     549,  722,  667,  722,  612,  611,  763,  603,  722,  333,  631,  722,  686,  889,  722,  722,
     768,  741,  556,  592,  611,  690,  439,  768,  645,  795,  611,  333,  863,  333,  658,  500,
     500,  631,  549,  549,  494,  439,  521,  411,  603,  329,  603,  549,  549,  576,  521,  549,
     549,  521,  549,  603,  439,  576,  713,  686,  493,  686,  494,  480,  200,  480,  549,    0,
     790,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
     750,  620,  247,  549,  167,  713,  500,  753,  753,  753,  753, 1042,  987,  603,  987,  603,
     400,  549,  411,  549,  549,  713,  494,  460,  549,  549,  549,  549, 1000,  603, 1000,  658,
     823,  686,  795,  987,  768,  768,  823,  768,  768,  713,  713,  713,  713,  713,  713,  713,
     768,  713,  790,  790,  890,  823,  549,  250,  713,  603,  603, 1042,  987,  603,  987,  603,
     494,  329,  790,  790,  786,  713,  384,  384,  384,  384,  384,  384,  494,  494,  494,  494,
       0,  329,  274,  686,  686,  686,  384,  384,  384,  384,  384,  384,  494,  494,  494,    0,
];
/// A standard font, as a font that is not embedded names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StandardFont {
    Courier,
    Text(&'static [u16; 224]),
    Symbol,
}

/// The widths in 1/1000 em of a simple font's codes, when it is a standard font (or one of the names
/// Windows producers give them: Arial, TimesNewRoman, CourierNew) without a `/Widths` array.
/// `None` for a code whose glyph the table does not know.
pub(super) fn standard_font_widths(base_font: &[u8], codes: &CodeTable) -> Option<Vec<Option<f32>>> {
    let font = standard_font(base_font)?;
    let widths = (0..=u8::MAX)
        .map(|code| {
            let width = match font {
                StandardFont::Courier => Some(COURIER_WIDTH),
                StandardFont::Symbol => table_width(&SYMBOL, code),
                StandardFont::Text(table) => match codes.glyph_of(code)? {
                    Glyph::Char(c) => win_ansi_code(c).and_then(|code| table_width(table, code)),
                    Glyph::Letters(_) => None,
                },
            };
            width.map(f32::from)
        })
        .collect();
    Some(widths)
}

fn table_width(table: &[u16; 224], code: u8) -> Option<u16> {
    usize::from(code)
        .checked_sub(FIRST_CODE)
        .and_then(|index| table.get(index))
        .copied()
        .filter(|width| *width > 0)
}

fn standard_font(base_font: &[u8]) -> Option<StandardFont> {
    let name = std::str::from_utf8(base_font).ok()?;
    // A subset tag (`ABCDEF+`) does not change the font.
    let name = match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest,
        _ => name,
    };
    let bold = name.contains("Bold") || name.contains("Black");
    let italic = name.contains("Italic") || name.contains("Oblique");
    let family: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    Some(if family.starts_with("Courier") {
        StandardFont::Courier
    } else if family.starts_with("Helvetica") || family.starts_with("Arial") {
        StandardFont::Text(if bold { &HELVETICA_BOLD } else { &HELVETICA })
    } else if family.starts_with("Times") {
        StandardFont::Text(match (bold, italic) {
            (false, false) => &TIMES_ROMAN,
            (true, false) => &TIMES_BOLD,
            (false, true) => &TIMES_ITALIC,
            (true, true) => &TIMES_BOLD_ITALIC,
        })
    } else if family == "Symbol" || family == "SymbolMT" {
        StandardFont::Symbol
    } else {
        return None;
    })
}

/// The WinAnsiEncoding code of a character, to look its width up in the text fonts' tables.
fn win_ansi_code(c: char) -> Option<u8> {
    static CODES: std::sync::OnceLock<std::collections::HashMap<char, u8>> = std::sync::OnceLock::new();
    CODES
        .get_or_init(|| {
            (0..=u8::MAX)
                .rev()
                .filter_map(
                    |code| match glyph_text(WIN_ANSI_ENCODING[usize::from(code)].as_bytes())? {
                        Glyph::Char(c) => Some((c, code)),
                        Glyph::Letters(_) => None,
                    },
                )
                .collect()
        })
        .get(&c)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pdf::encodings::STANDARD_ENCODING;

    #[test]
    fn standard_fonts_and_their_windows_names() {
        let codes = CodeTable::from_names(&WIN_ANSI_ENCODING);
        let width = |font: &str, code: u8| standard_font_widths(font.as_bytes(), &codes).unwrap()[usize::from(code)];
        assert_eq!(width("Helvetica", b'i'), Some(222.0));
        assert_eq!(width("Arial,BoldItalic", b'i'), Some(278.0));
        assert_eq!(width("Times-Roman", b'a'), Some(444.0));
        assert_eq!(width("TimesNewRomanPS-ItalicMT", b'a'), Some(500.0));
        assert_eq!(width("ABCDEF+CourierNew", b'W'), Some(600.0));
        assert_eq!(width("Helvetica", 0x80), Some(556.0));
        assert_eq!(width("Helvetica", 0x05), None);
        assert!(standard_font_widths(b"Verdana", &codes).is_none());
    }

    #[test]
    fn text_fonts_look_widths_up_by_character() {
        // StandardEncoding's 0x27 is the right quote, WinAnsi's 0x92.
        let codes = CodeTable::from_names(&STANDARD_ENCODING);
        let widths = standard_font_widths(b"Times-Bold", &codes).unwrap();
        assert_eq!(widths[0x27], Some(333.0));
        assert_eq!(widths[0xAE], None);
    }
}
