//! Glyph names to Unicode, and the one-byte code table of a simple font built from them.
//!
//! A simple font's codes mean glyph names (its base encoding, its `/Differences`, its font
//! program's built-in encoding); text is what the names stand for. Names resolve through the
//! full Adobe Glyph List (`glyphlist.txt`, Adobe's, kept verbatim): Cyrillic `afii10017` is А,
//! `uni04D9` and `u04D9` are ә, a `.sc` or `.alt` suffix is dropped, and a ligature name or
//! code point (`fi`, `f_f_l`, `uniFB01`) comes out as its letters. Own code, not lopdf's:
//! lopdf 0.47 decodes `/Differences` through a short list of names (measured: "АКТ" in an
//! `afii` font read as "˚"), knows no MacRoman base, and exports neither its tables nor its
//! name lookup.

use std::collections::HashMap;
use std::sync::OnceLock;

use lopdf::{Document, Object};

use super::cmap::MappedText;
use super::encodings::NameTable;

/// What one glyph stands for: a character, or the letters of a ligature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Glyph {
    Char(char),
    Letters(&'static str),
}

impl Glyph {
    pub(super) fn push_to(self, out: &mut String) {
        match self {
            Glyph::Char(c) => out.push(c),
            Glyph::Letters(letters) => out.push_str(letters),
        }
    }
}

/// A simple font's one-byte code to glyph table; `None` where the font says nothing we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CodeTable {
    glyphs: [Option<Glyph>; 256],
}

impl CodeTable {
    pub(super) fn empty() -> Self {
        CodeTable { glyphs: [None; 256] }
    }

    /// The glyphs of a base encoding.
    pub(super) fn from_names(names: &NameTable) -> Self {
        let mut table = Self::empty();
        for (slot, name) in table.glyphs.iter_mut().zip(names) {
            *slot = glyph_text(name.as_bytes());
        }
        table
    }

    /// What one code stands for, when the table knows it.
    pub(super) fn glyph_of(&self, code: u8) -> Option<Glyph> {
        self.glyphs[usize::from(code)]
    }

    pub(super) fn set(&mut self, code: u8, glyph: Option<Glyph>) {
        self.glyphs[usize::from(code)] = glyph;
    }

    /// Applies a `/Differences` array: a code, then the names of it and the codes after it
    /// (PDF 32000-1, 9.6.6.1). A name that means nothing clears its code, as the font draws
    /// a glyph there that is not the base encoding's; a damaged entry ends the array.
    pub(super) fn apply_differences(&mut self, doc: &Document, differences: &[Object]) {
        let mut code: Option<usize> = None;
        for entry in differences {
            match doc.dereference(entry).map_or(entry, |(_, target)| target) {
                Object::Integer(start) => code = usize::try_from(*start).ok().filter(|c| *c < 256),
                Object::Real(start) if start.fract() == 0.0 && (0.0..256.0).contains(start) => {
                    code = Some(*start as usize);
                }
                Object::Name(name) => {
                    if let Some(slot) = code.and_then(|code| self.glyphs.get_mut(code)) {
                        *slot = glyph_text(name);
                    }
                    code = code.map(|code| code + 1);
                }
                _ => return,
            }
        }
    }
}

/// The Latin ligatures by glyph name (AGL and `_`-joined forms), as their letters. `ft`, `st`
/// and others have no AGL entry or code point of their own.
const LIGATURE_NAMES: &[(&str, &str)] = &[
    ("ff", "ff"),
    ("fi", "fi"),
    ("fl", "fl"),
    ("ffi", "ffi"),
    ("ffl", "ffl"),
    ("ft", "ft"),
    ("st", "st"),
    ("f_f", "ff"),
    ("f_i", "fi"),
    ("f_l", "fl"),
    ("f_f_i", "ffi"),
    ("f_f_l", "ffl"),
    ("f_t", "ft"),
    ("s_t", "st"),
    ("f_j", "fj"),
    ("f_b", "fb"),
    ("f_h", "fh"),
    ("f_k", "fk"),
    ("f_f_j", "ffj"),
    ("f_f_b", "ffb"),
    ("f_f_h", "ffh"),
    ("f_f_k", "ffk"),
    ("c_t", "ct"),
    ("T_h", "Th"),
];

/// The letters of the alphabetic presentation forms U+FB00-U+FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), which a
/// ToUnicode map or a `uniFB01` glyph name gives for a ligature glyph: left as one character,
/// "ﬁrst" is not the word "first" to search, classification or the quality gate.
pub(super) fn ligature_letters(c: char) -> Option<&'static str> {
    match c {
        '\u{FB00}' => Some("ff"),
        '\u{FB01}' => Some("fi"),
        '\u{FB02}' => Some("fl"),
        '\u{FB03}' => Some("ffi"),
        '\u{FB04}' => Some("ffl"),
        // LONG S T; its compatibility decomposition is "st", as ﬆ's is.
        '\u{FB05}' | '\u{FB06}' => Some("st"),
        _ => None,
    }
}

/// `text` with every ligature character replaced by its letters (borrowed when there is none).
pub(super) fn expand_ligatures(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| ligature_letters(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match ligature_letters(c) {
            Some(letters) => out.push_str(letters),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What a glyph name stands for, as a ToUnicode map entry.
pub(super) fn name_to_text(name: &[u8]) -> Option<MappedText> {
    Some(match glyph_text(name)? {
        Glyph::Char(c) => MappedText::Char(c),
        Glyph::Letters(letters) => MappedText::Text(letters.into()),
    })
}

/// What a glyph name stands for: a ligature's letters (`fi`, `f_f_i`, `uniFB01`), a character,
/// or the several characters of an AGL entry. A suffix after the first dot names a variant of
/// the same character (`a.sc`, `one.oldstyle`); `.notdef` stands for nothing.
pub(super) fn glyph_text(name: &[u8]) -> Option<Glyph> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or_default();
    if base.is_empty() {
        return None;
    }
    if let Some((_, letters)) = LIGATURE_NAMES.iter().find(|(glyph, _)| *glyph == base) {
        return Some(Glyph::Letters(letters));
    }
    if let Some(text) = adobe_glyph_list().get(base) {
        let mut chars = text.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Some(ligature_letters(c).map_or(Glyph::Char(c), Glyph::Letters)),
            (Some(_), Some(_)) => Some(Glyph::Letters(text)),
            (None, _) => None,
        };
    }
    let c = glyph_char(base.as_bytes())?;
    Some(ligature_letters(c).map_or(Glyph::Char(c), Glyph::Letters))
}

/// The character a single glyph name stands for: an AGL name of one character, `uniXXXX`, or
/// `uXXXX` to `uXXXXXX` (the AGL specification's forms).
fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    if let Some(text) = adobe_glyph_list().get(name) {
        let mut chars = text.chars();
        return chars.next().filter(|_| chars.next().is_none());
    }
    let hex = |digits: &str| {
        (digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(digits, 16).ok())
            .flatten()
            .and_then(char::from_u32)
    };
    if let Some(digits) = name.strip_prefix("uni").filter(|d| d.len() == 4) {
        return hex(digits);
    }
    if let Some(digits) = name.strip_prefix('u').filter(|d| (4..=6).contains(&d.len())) {
        return hex(digits);
    }
    None
}

/// The Adobe Glyph List: glyph name to its text, read once from the embedded list.
fn adobe_glyph_list() -> &'static HashMap<&'static str, Box<str>> {
    static LIST: OnceLock<HashMap<&'static str, Box<str>>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("glyphlist.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (name, code_points) = line.split_once(';')?;
                let text: Option<String> = code_points
                    .split_whitespace()
                    .map(|hex| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                    .collect();
                Some((name, text?.into_boxed_str()))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pdf::encodings::{MAC_ROMAN_ENCODING, STANDARD_ENCODING, SYMBOL_ENCODING};

    #[test]
    fn glyph_names_resolve() {
        assert_eq!(glyph_char(b"uni04D9"), Some('ә'));
        assert_eq!(glyph_char(b"u04E9"), Some('ө'));
        assert_eq!(glyph_char(b"afii10017"), Some('А'));
        assert_eq!(glyph_char(b"afii10023"), Some('Ё'));
        assert_eq!(glyph_char(b"afii10049"), Some('Я'));
        assert_eq!(glyph_char(b"afii10071"), Some('ё'));
        assert_eq!(glyph_char(b"afii10097"), Some('я'));
        assert_eq!(glyph_char(b"guillemotleft"), Some('«'));
        assert_eq!(glyph_char(b"x"), Some('x'));
        assert_eq!(glyph_char(b"g123"), None);
    }

    #[test]
    fn full_glyph_list_suffixes_and_fallbacks() {
        assert_eq!(glyph_text(b"Scaron"), Some(Glyph::Char('Š')));
        assert_eq!(glyph_text(b"afii57636"), Some(Glyph::Char('₪')));
        assert_eq!(glyph_text(b"a.sc"), Some(Glyph::Char('a')));
        assert_eq!(glyph_text(b"one.oldstyle"), Some(Glyph::Char('1')));
        assert_eq!(glyph_text(b"uni0416.alt"), Some(Glyph::Char('Ж')));
        assert_eq!(glyph_text(b"u1D400"), Some(Glyph::Char('\u{1D400}')));
        // AGL entries of two characters.
        assert_eq!(glyph_text(b"dalethatafpatah"), Some(Glyph::Letters("\u{05D3}\u{05B2}")));
        // Numbered names (TeX, subsetters) and junk are no character rather than a wrong one.
        for junk in [
            &b"a123"[..],
            b"g7",
            b".notdef",
            b"",
            b".",
            b"uniD800",
            b"uniXYZW",
            b"\xFF",
        ] {
            assert_eq!(glyph_text(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn differences_override_the_base_encoding() {
        let differences = vec![
            Object::Integer(192),
            Object::Name(b"afii10017".to_vec()),
            Object::Name(b"uni04D9".to_vec()),
            Object::Name(b"g7".to_vec()),
        ];
        let mut table = CodeTable::from_names(&STANDARD_ENCODING);
        table.apply_differences(&Document::new(), &differences);
        let decoded: String = b"A \xC0\xC1\xC2!"
            .iter()
            .filter_map(|&b| table.glyph_of(b))
            .map(|glyph| match glyph {
                Glyph::Char(c) => c.to_string(),
                Glyph::Letters(letters) => letters.to_string(),
            })
            .collect();
        assert_eq!(decoded, "A Аә!");
    }

    #[test]
    fn base_encodings_differ_where_they_should() {
        let mac = CodeTable::from_names(&MAC_ROMAN_ENCODING);
        assert_eq!(mac.glyph_of(0x8E), Some(Glyph::Char('é')));
        assert_eq!(mac.glyph_of(0xD5), Some(Glyph::Char('’')));
        assert_eq!(mac.glyph_of(0xDE), Some(Glyph::Letters("fi")));
        let standard = CodeTable::from_names(&STANDARD_ENCODING);
        assert_eq!(standard.glyph_of(0x27), Some(Glyph::Char('’')));
        assert_eq!(standard.glyph_of(0x8E), None);
        let symbol = CodeTable::from_names(&SYMBOL_ENCODING);
        assert_eq!(symbol.glyph_of(0x61), Some(Glyph::Char('α')));
    }

    #[test]
    fn damaged_differences_keep_what_came_before() {
        let mut table = CodeTable::empty();
        let differences = vec![
            Object::Integer(65),
            Object::Name(b"B".to_vec()),
            Object::Integer(300),
            Object::Name(b"C".to_vec()),
            Object::Integer(-1),
            Object::Name(b"D".to_vec()),
            Object::Integer(255),
            Object::Name(b"E".to_vec()),
            Object::Name(b"F".to_vec()),
            Object::Boolean(true),
            Object::Integer(66),
            Object::Name(b"G".to_vec()),
        ];
        table.apply_differences(&Document::new(), &differences);
        assert_eq!(table.glyph_of(65), Some(Glyph::Char('B')));
        assert_eq!(table.glyph_of(255), Some(Glyph::Char('E')));
        assert_eq!(table.glyph_of(66), None);
    }

    #[test]
    fn ligature_glyph_names_are_their_letters() {
        for (name, letters) in [
            ("fi", "fi"),
            ("fl", "fl"),
            ("ff", "ff"),
            ("ffi", "ffi"),
            ("ffl", "ffl"),
            ("ft", "ft"),
            ("st", "st"),
            ("uniFB00", "ff"),
            ("uniFB01", "fi"),
            ("uniFB02", "fl"),
            ("uniFB03", "ffi"),
            ("uniFB04", "ffl"),
            ("uniFB05", "st"),
            ("uniFB06", "st"),
            ("uFB01", "fi"),
        ] {
            assert_eq!(glyph_text(name.as_bytes()), Some(Glyph::Letters(letters)), "{name}");
        }
        assert_eq!(glyph_text(b"f"), Some(Glyph::Char('f')));
        assert_eq!(glyph_text(b"afii10017"), Some(Glyph::Char('А')));
        assert_eq!(glyph_text(b"fj"), None);
        assert_eq!(glyph_text(b"f_f_i"), Some(Glyph::Letters("ffi")));
        assert_eq!(glyph_text(b"f_i.alt"), Some(Glyph::Letters("fi")));
    }

    #[test]
    fn ligature_code_points_expand_to_letters() {
        assert_eq!(
            expand_ligatures("\u{FB01}rst e\u{FB03}cient \u{FB02}ow o\u{FB00} ba\u{FB04}e \u{FB06}op \u{FB05}"),
            "first efficient flow off baffle stop st"
        );
        assert!(matches!(expand_ligatures("Акт ввода"), std::borrow::Cow::Borrowed(_)));
    }
}
