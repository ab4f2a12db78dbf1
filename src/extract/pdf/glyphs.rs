//! Simple fonts whose `/Differences` name glyphs lopdf does not know.
//!
//! Older Russian producers give Cyrillic glyphs their Adobe names (`afii10017` is А) and Kazakh
//! ones `uniXXXX` names (`uni04D9` is ә) at one-byte codes, cp1251-style, with no ToUnicode map.
//! lopdf 0.47 decodes such fonts through its base encoding alone (measured on a hand-made file:
//! "АКТ" came out as "˚"); this module builds the code-to-character table itself, so such a
//! font reads instead of turning into garbage.

use lopdf::{Dictionary, Document, Object};

/// A one-byte code to character table; `None` where the font says nothing we can read.
pub(super) struct DifferencesTable {
    chars: [Option<Glyph>; 256],
}

/// What one glyph stands for: a character, or the letters of a ligature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Glyph {
    Char(char),
    Letters(&'static str),
}

impl DifferencesTable {
    /// The table of a simple font with an `/Encoding` dictionary holding `/Differences`.
    pub(super) fn load(doc: &Document, font: &Dictionary) -> Option<Self> {
        let encoding = match font.get(b"Encoding").ok()? {
            Object::Reference(id) => doc.get_dictionary(*id).ok()?,
            Object::Dictionary(dict) => dict,
            _ => return None,
        };
        let differences = match encoding.get(b"Differences").ok()? {
            Object::Reference(id) => doc.get_object(*id).ok()?.as_array().ok()?,
            Object::Array(array) => array,
            _ => return None,
        };
        let base = encoding.get(b"BaseEncoding").and_then(Object::as_name).ok();
        let mut chars = base_table(base);
        let mut code: usize = 0;
        for entry in differences {
            match entry {
                Object::Integer(start) => code = usize::try_from(*start).ok().filter(|c| *c < 256)?,
                Object::Name(name) => {
                    if let Some(slot) = chars.get_mut(code) {
                        *slot = glyph_text(name);
                    }
                    code += 1;
                }
                _ => return None,
            }
        }
        Some(DifferencesTable { chars })
    }

    /// What one code stands for, when the table knows it.
    pub(super) fn glyph_of(&self, byte: u8) -> Option<Glyph> {
        self.chars[usize::from(byte)]
    }
}

/// The Latin ligatures by glyph name, as their letters. `ft` has no code point of its own.
const LIGATURE_NAMES: &[(&str, &str)] = &[
    ("ff", "ff"),
    ("fi", "fi"),
    ("fl", "fl"),
    ("ffi", "ffi"),
    ("ffl", "ffl"),
    ("ft", "ft"),
    ("st", "st"),
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

/// The base encoding's characters. Standard and WinAnsi agree on letters, digits and most
/// punctuation, which is what the base contributes once the differences are applied.
fn base_table(base: Option<&[u8]>) -> [Option<Glyph>; 256] {
    let decoder = match base {
        Some(b"MacRomanEncoding") => encoding_rs::MACINTOSH,
        _ => encoding_rs::WINDOWS_1252,
    };
    let mut chars = [None; 256];
    for (code, slot) in chars.iter_mut().enumerate().skip(32) {
        let byte = [code as u8];
        let (text, _, malformed) = decoder.decode(&byte);
        if !malformed {
            *slot = text.chars().next().map(Glyph::Char);
        }
    }
    chars
}

/// What a glyph name stands for: a ligature's letters (`fi`, `uniFB01`), or a character.
fn glyph_text(name: &[u8]) -> Option<Glyph> {
    let ligature = std::str::from_utf8(name)
        .ok()
        .and_then(|name| LIGATURE_NAMES.iter().find(|(glyph, _)| *glyph == name));
    if let Some((_, letters)) = ligature {
        return Some(Glyph::Letters(letters));
    }
    let c = glyph_char(name)?;
    Some(ligature_letters(c).map_or(Glyph::Char(c), Glyph::Letters))
}

/// The character a glyph name stands for: `uniXXXX`, `uXXXX[XX]`, the Adobe names of Cyrillic
/// letters, and the Latin letters, digits and punctuation documents use.
fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let hex = |digits: &str| u32::from_str_radix(digits, 16).ok().and_then(char::from_u32);
    if let Some(digits) = name.strip_prefix("uni").filter(|d| d.len() == 4) {
        return hex(digits);
    }
    if let Some(digits) = name.strip_prefix('u').filter(|d| (4..=6).contains(&d.len())) {
        return hex(digits);
    }
    if let Some(number) = name.strip_prefix("afii").and_then(|n| n.parse::<u32>().ok()) {
        return afii_cyrillic(number);
    }
    let mut letters = name.chars();
    if let (Some(letter), None) = (letters.next(), letters.next())
        && letter.is_ascii_alphabetic()
    {
        return Some(letter);
    }
    NAMED.iter().find(|(glyph, _)| *glyph == name).map(|(_, c)| *c)
}

/// Adobe's `afii100xx` names of the Russian alphabet: 10017-10049 upper case, 10065-10097
/// lower case, in alphabetical order with Ё after Е.
fn afii_cyrillic(number: u32) -> Option<char> {
    const UPPER: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
    const LOWER: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
    match number {
        10017..=10049 => UPPER.chars().nth((number - 10017) as usize),
        10065..=10097 => LOWER.chars().nth((number - 10065) as usize),
        10055 => Some('І'),
        10103 => Some('і'),
        61352 => Some('№'),
        _ => None,
    }
}

const NAMED: &[(&str, char)] = &[
    ("space", ' '),
    ("nbspace", '\u{a0}'),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("quoteright", '’'),
    ("quoteleft", '‘'),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("underscore", '_'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("guillemotleft", '«'),
    ("guillemotright", '»'),
    ("endash", '–'),
    ("emdash", '—'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("quotedblbase", '„'),
    ("ellipsis", '…'),
    ("bullet", '•'),
    ("degree", '°'),
    ("section", '§'),
    ("copyright", '©'),
    ("numero", '№'),
];

#[cfg(test)]
mod tests {
    use super::*;

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
    fn differences_override_the_base_encoding() {
        let mut encoding = Dictionary::new();
        encoding.set(
            "Differences",
            Object::Array(vec![
                Object::Integer(192),
                Object::Name(b"afii10017".to_vec()),
                Object::Name(b"uni04D9".to_vec()),
                Object::Name(b"g7".to_vec()),
            ]),
        );
        let mut font = Dictionary::new();
        font.set("Encoding", Object::Dictionary(encoding));
        let table = DifferencesTable::load(&Document::new(), &font).unwrap();
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
