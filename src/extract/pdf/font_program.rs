//! What an embedded font program (`/FontFile`, `/FontFile2`, `/FontFile3`) says about its codes
//! and glyphs, for fonts whose PDF dictionaries do not: the built-in encoding of a Type 1 or CFF
//! font, the symbol `cmap` of a TrueType font, and glyph id to Unicode for a CID TrueType font
//! without a ToUnicode map (PDF 32000-1, 9.6.6 and 9.10.2).
//!
//! TrueType and CFF go through ttf-parser. The Type 1 built-in encoding is read here: it is a
//! few lines of clear text (`dup 32 /space put`) before the encrypted part, and no crate in our
//! tree reads Type 1 fonts.

use std::collections::HashMap;

use ttf_parser::{GlyphId, PlatformId, RawFace, Tag};

use super::encodings::STANDARD_ENCODING;
use super::glyphs::{CodeTable, Glyph, glyph_text};

/// Bound on the clear-text part of a Type 1 font searched for its encoding; real ones hold it
/// within the first few kilobytes.
const MAX_TYPE1_CLEAR_TEXT: usize = 1024 * 1024;
/// Tokens read after `/Encoding`: 256 `dup <code> /<name> put` entries and some slack.
const MAX_TYPE1_ENCODING_TOKENS: usize = 8 * 1024;
/// Glyphs of a name-keyed CFF font looked up by name: more than any such font has (CJK fonts
/// are CID-keyed), and few enough that a hostile charset cannot cost quadratic time.
const MAX_NAMED_CFF_GLYPHS: u16 = 8192;
/// Windows symbol `cmap` subtables put a symbol font's one-byte codes at these offsets.
const SYMBOL_CODE_OFFSETS: [u32; 4] = [0, 0xF000, 0xF100, 0xF200];
/// Unicode scanned for glyph ids: the Basic Multilingual Plane, which holds every script our
/// documents use. Scanning code points (rather than walking the subtable's ranges) keeps a
/// hostile `cmap` from costing more than this many lookups.
const SCANNED_CODE_POINTS: std::ops::RangeInclusive<u32> = 0x20..=0xFFFF;

/// The built-in encoding of a Type 1 font program (`/FontFile`): `/Encoding StandardEncoding
/// def`, or an array filled by `dup <code> /<name> put`. `None` when the program names none.
pub(super) fn type1_encoding(program: &[u8]) -> Option<CodeTable> {
    let clear_text = type1_clear_text(program);
    let start = find(clear_text, b"/Encoding")? + b"/Encoding".len();
    let mut tokens = Type1Tokens::new(&clear_text[start..]).take(MAX_TYPE1_ENCODING_TOKENS);
    let first = tokens.next()?;
    if first == b"StandardEncoding" {
        return Some(CodeTable::from_names(&STANDARD_ENCODING));
    }
    let mut table = CodeTable::empty();
    let mut found = false;
    let mut window: [&[u8]; 4] = [first, b"", b"", b""];
    for token in tokens {
        if token == b"def" {
            break;
        }
        window = [window[1], window[2], window[3], token];
        if let [b"dup", code, name, b"put"] = window
            && let Some(name) = name.strip_prefix(b"/")
            && let Some(code) = std::str::from_utf8(code).ok().and_then(|code| code.parse::<u8>().ok())
        {
            table.set(code, glyph_text(name));
            found = true;
        }
    }
    found.then_some(table)
}

/// The clear-text part of a Type 1 program: up to `eexec`, without a PFB segment header.
fn type1_clear_text(program: &[u8]) -> &[u8] {
    // A PFB file: 0x80 0x01, a four-byte length, then the clear text.
    let program = match program {
        [0x80, 0x01, _, _, _, _, rest @ ..] => rest,
        _ => program,
    };
    let program = &program[..program.len().min(MAX_TYPE1_CLEAR_TEXT)];
    find(program, b"eexec").map_or(program, |end| &program[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// PostScript tokens as far as an encoding array needs them: names keep their slash, and
/// `dup 32/space put` splits before the slash.
struct Type1Tokens<'a> {
    rest: &'a [u8],
}

impl<'a> Type1Tokens<'a> {
    fn new(data: &'a [u8]) -> Self {
        Type1Tokens { rest: data }
    }
}

impl<'a> Iterator for Type1Tokens<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.rest.iter().position(|byte| !byte.is_ascii_whitespace())?;
        let rest = &self.rest[start..];
        let is_delimiter = |byte: &u8| byte.is_ascii_whitespace() || b"/{}[]()<>%".contains(byte);
        let len = match rest.first() {
            Some(b'{' | b'}' | b'[' | b']') => 1,
            Some(b'/') => 1 + rest[1..].iter().position(is_delimiter).unwrap_or(rest.len() - 1),
            _ => rest.iter().position(is_delimiter).unwrap_or(rest.len()).max(1),
        };
        let (token, tail) = rest.split_at(len);
        self.rest = tail;
        Some(token)
    }
}

/// The built-in encoding of a CFF font program (`/FontFile3` of subtype `Type1C`): each code's
/// glyph by the font's encoding and charset, named. `None` for a CID-keyed or damaged font.
pub(super) fn cff_encoding(program: &[u8]) -> Option<CodeTable> {
    let cff = ttf_parser::cff::Table::parse(cff_data(program))?;
    let mut table = CodeTable::empty();
    let mut found = false;
    for code in 0..=u8::MAX {
        let glyph = cff
            .glyph_index(code)
            .filter(|glyph| glyph.0 != 0)
            .and_then(|glyph| cff.glyph_name(glyph))
            .and_then(|name| glyph_text(name.as_bytes()));
        if glyph.is_some() {
            table.set(code, glyph);
            found = true;
        }
    }
    found.then_some(table)
}

/// What each glyph of a name-keyed CFF font stands for, by its name: for a CIDFontType0 font
/// shown through Identity-H without a ToUnicode map, whose CIDs are its glyph ids.
pub(super) fn cff_glyph_text(program: &[u8]) -> HashMap<u16, Glyph> {
    let Some(cff) = ttf_parser::cff::Table::parse(cff_data(program)) else {
        return HashMap::new();
    };
    (1..cff.number_of_glyphs().min(MAX_NAMED_CFF_GLYPHS))
        .filter_map(|id| {
            let name = cff.glyph_name(GlyphId(id))?;
            Some((id, glyph_text(name.as_bytes())?))
        })
        .collect()
}

/// The CFF data of a bare CFF program, or of the `CFF ` table of an OpenType one.
fn cff_data(program: &[u8]) -> &[u8] {
    RawFace::parse(program, 0)
        .ok()
        .and_then(|face| face.table(Tag::from_bytes(b"CFF ")))
        .unwrap_or(program)
}

/// Whether an OpenType program (`/FontFile3` of subtype `OpenType`) holds CFF outlines, to be
/// read as a CFF font, rather than TrueType ones.
pub(super) fn is_cff_opentype(program: &[u8]) -> bool {
    RawFace::parse(program, 0).is_ok_and(|face| face.table(Tag::from_bytes(b"CFF ")).is_some())
}

/// The glyphs a symbolic TrueType font (`/FontFile2`) draws for one-byte codes, through its
/// Windows symbol (3,0) or Macintosh (1,0) `cmap` subtable, as the viewer picks them (PDF
/// 32000-1, 9.6.6.4), and what they stand for by the font's Unicode `cmap` or its `post` glyph
/// names. Codes without such a glyph are left out.
pub(super) fn truetype_symbol_encoding(program: &[u8]) -> Option<CodeTable> {
    let face = RawFace::parse(program, 0).ok()?;
    let cmap = ttf_parser::cmap::Table::parse(face.table(Tag::from_bytes(b"cmap"))?)?;
    let subtable = |platform: PlatformId, encoding: u16| {
        cmap.subtables
            .into_iter()
            .find(|subtable| subtable.platform_id == platform && subtable.encoding_id == encoding)
    };
    let symbol = subtable(PlatformId::Windows, 0);
    let mac_roman = subtable(PlatformId::Macintosh, 0);
    if symbol.is_none() && mac_roman.is_none() {
        return None;
    }
    let unicode = unicode_by_glyph(&cmap);
    let post = face
        .table(Tag::from_bytes(b"post"))
        .and_then(ttf_parser::post::Table::parse);
    let mut table = CodeTable::empty();
    let mut found = false;
    for code in 0..=u8::MAX {
        let by_symbol = symbol.and_then(|subtable| {
            SYMBOL_CODE_OFFSETS
                .iter()
                .find_map(|offset| subtable.glyph_index(offset + u32::from(code)))
        });
        let Some(glyph) = by_symbol
            .or_else(|| mac_roman.and_then(|subtable| subtable.glyph_index(u32::from(code))))
            .filter(|glyph| glyph.0 != 0)
        else {
            continue;
        };
        let text = unicode.get(&glyph.0).map(|c| Glyph::Char(*c)).or_else(|| {
            post.and_then(|post| post.glyph_name(glyph))
                .and_then(|name| glyph_text(name.as_bytes()))
        });
        if text.is_some() {
            table.set(code, text);
            found = true;
        }
    }
    found.then_some(table)
}

/// Glyph id to Unicode by inverting a TrueType program's Unicode `cmap`, as Poppler does for a
/// CID TrueType font shown through Identity-H without a ToUnicode map.
pub(super) fn truetype_glyph_unicode(program: &[u8]) -> HashMap<u16, char> {
    RawFace::parse(program, 0)
        .ok()
        .and_then(|face| face.table(Tag::from_bytes(b"cmap")))
        .and_then(ttf_parser::cmap::Table::parse)
        .map(|cmap| unicode_by_glyph(&cmap))
        .unwrap_or_default()
}

/// The inverse of the best Unicode subtable: Windows Unicode first, then any Unicode one. Of
/// two code points drawn by one glyph, the first outside the Private Use Area wins (a space
/// drawn for both U+0020 and U+00A0 is U+0020).
fn unicode_by_glyph(cmap: &ttf_parser::cmap::Table<'_>) -> HashMap<u16, char> {
    let mut subtables: Vec<_> = cmap
        .subtables
        .into_iter()
        .filter(|subtable| subtable.is_unicode())
        .collect();
    subtables.sort_by_key(|subtable| subtable.platform_id != PlatformId::Windows);
    let Some(subtable) = subtables.first() else {
        return HashMap::new();
    };
    let mut by_glyph: HashMap<u16, char> = HashMap::new();
    for c in SCANNED_CODE_POINTS.filter_map(char::from_u32) {
        let Some(glyph) = subtable.glyph_index(u32::from(c)).filter(|glyph| glyph.0 != 0) else {
            continue;
        };
        by_glyph
            .entry(glyph.0)
            .and_modify(|existing| {
                if is_private_use(*existing) && !is_private_use(c) {
                    *existing = c;
                }
            })
            .or_insert(c);
    }
    by_glyph
}

fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type1_builtin_encoding_from_dup_put_entries() {
        let program = b"%!PS-AdobeFont-1.0: CMR10\n/FontName /CMR10 def\n\
            /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 11 /ff put\ndup 12/fi put\ndup 65 /A put\ndup 97 /a put\ndup 200 /afii10017 put\n\
            readonly def\ndup 66 /B put\ncurrentdict end\ncurrentfile eexec\n\xD9\xD6\x8F";
        let table = type1_encoding(program).unwrap();
        assert_eq!(table.glyph_of(11), Some(Glyph::Letters("ff")));
        assert_eq!(table.glyph_of(12), Some(Glyph::Letters("fi")));
        assert_eq!(table.glyph_of(65), Some(Glyph::Char('A')));
        assert_eq!(table.glyph_of(200), Some(Glyph::Char('А')));
        // After the encoding's `def`: not the encoding.
        assert_eq!(table.glyph_of(66), None);
        assert_eq!(table.glyph_of(32), None);
    }

    #[test]
    fn type1_standard_encoding_and_pfb_header() {
        let mut program = vec![0x80, 0x01, 0x40, 0, 0, 0];
        program.extend_from_slice(b"%!FontType1\n/Encoding StandardEncoding def\ncurrentfile eexec");
        let table = type1_encoding(&program).unwrap();
        assert_eq!(table.glyph_of(0x27), Some(Glyph::Char('’')));
        assert!(type1_encoding(b"%!FontType1 no encoding here eexec").is_none());
        assert!(type1_encoding(b"/Encoding").is_none());
        assert!(type1_encoding(b"/Encoding 256 array dup 300 /A put dup").is_none());
    }

    #[test]
    fn damaged_programs_give_nothing() {
        for program in [&b""[..], b"\x00\x01\x00\x00\x00\x05", b"OTTO", b"\x01\x00\x04\x01"] {
            assert!(cff_encoding(program).is_none());
            assert!(cff_glyph_text(program).is_empty());
            assert!(truetype_symbol_encoding(program).is_none());
            assert!(truetype_glyph_unicode(program).is_empty());
            assert!(!is_cff_opentype(program));
        }
    }

    /// A font file holding just `tables`, as a subsetter writes one.
    fn sfnt(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut tables = tables.to_vec();
        tables.sort_by_key(|(tag, _)| **tag);
        let count = tables.len() as u16;
        let mut font = vec![0, 1, 0, 0];
        font.extend_from_slice(&count.to_be_bytes());
        font.extend_from_slice(&[0; 6]);
        let mut offset = 12 + 16 * tables.len();
        for (tag, data) in &tables {
            font.extend_from_slice(*tag);
            font.extend_from_slice(&[0; 4]);
            font.extend_from_slice(&(offset as u32).to_be_bytes());
            font.extend_from_slice(&(data.len() as u32).to_be_bytes());
            offset += data.len();
        }
        for (_, data) in &tables {
            font.extend_from_slice(data);
        }
        font
    }

    /// A `cmap` with one (3,0) format 4 subtable mapping `first..first+count` to glyphs 1, 2, ...
    fn symbol_cmap(first: u16, count: u16) -> Vec<u8> {
        let last = first + count - 1;
        let delta = 1u16.wrapping_sub(first);
        let mut subtable = Vec::new();
        for value in [4u16, 32, 0, 4, 4, 1, 0, last, 0xFFFF, 0, first, 0xFFFF, delta, 1, 0, 0] {
            subtable.extend_from_slice(&value.to_be_bytes());
        }
        let mut cmap = Vec::new();
        for value in [0u16, 1, 3, 0] {
            cmap.extend_from_slice(&value.to_be_bytes());
        }
        cmap.extend_from_slice(&12u32.to_be_bytes());
        cmap.extend_from_slice(&subtable);
        cmap
    }

    /// A version 2 `post` table naming glyph 1 by its own string and glyph 2 by the Macintosh
    /// standard name at index `mac_index`.
    fn post(own_name: &str, mac_index: u16) -> Vec<u8> {
        let mut post = vec![0, 2, 0, 0];
        post.extend_from_slice(&[0; 28]);
        for value in [3u16, 0, 258, mac_index] {
            post.extend_from_slice(&value.to_be_bytes());
        }
        post.push(own_name.len() as u8);
        post.extend_from_slice(own_name.as_bytes());
        post
    }

    #[test]
    fn symbolic_truetype_codes_go_through_the_symbol_cmap_and_post_names() {
        // Codes 0x41 and 0x42 at U+F041 and U+F042; glyph 1 is "alpha", glyph 2 Macintosh's "A".
        let program = sfnt(&[(b"cmap", symbol_cmap(0xF041, 2)), (b"post", post("alpha", 36))]);
        let table = truetype_symbol_encoding(&program).unwrap();
        assert_eq!(table.glyph_of(0x41), Some(Glyph::Char('α')));
        assert_eq!(table.glyph_of(0x42), Some(Glyph::Char('A')));
        assert_eq!(table.glyph_of(0x43), None);
        // Without glyph names there is nothing to say about the codes.
        let unnamed = sfnt(&[(b"cmap", symbol_cmap(0xF041, 2))]);
        assert!(truetype_symbol_encoding(&unnamed).is_none());
    }

    /// A CFF font of three glyphs: .notdef, "A" (standard string 34) and "uni0416" (the first
    /// custom string), with an encoding giving them codes 0x41 and 0x80.
    fn tiny_cff() -> Vec<u8> {
        let index = |items: &[&[u8]]| {
            let mut index = (items.len() as u16).to_be_bytes().to_vec();
            if items.is_empty() {
                return index;
            }
            index.push(1);
            let mut offset = 1u8;
            index.push(offset);
            for item in items {
                offset += item.len() as u8;
                index.push(offset);
            }
            items.iter().for_each(|item| index.extend_from_slice(item));
            index
        };
        // Top DICT offsets as 5-byte integers (29 = longint), so the dict's size is fixed.
        let top_dict = |charset: u32, encoding: u32, char_strings: u32| {
            let mut dict = Vec::new();
            for (value, operator) in [(charset, 15u8), (encoding, 16), (char_strings, 17)] {
                dict.push(29);
                dict.extend_from_slice(&value.to_be_bytes());
                dict.push(operator);
            }
            dict
        };
        let header = [1u8, 0, 4, 1];
        let names = index(&[b"F"]);
        let strings = index(&[b"uni0416"]);
        let global_subrs = index(&[]);
        let char_strings = index(&[&[14], &[14], &[14]]);
        let top_size = index(&[&top_dict(0, 0, 0)]).len();
        let char_strings_at = header.len() + names.len() + top_size + strings.len() + global_subrs.len();
        let charset_at = char_strings_at + char_strings.len();
        let charset = [0u8, 0, 34, 1, 135];
        let encoding_at = charset_at + charset.len();
        let encoding = [0u8, 2, 0x41, 0x80];
        let top = index(&[&top_dict(charset_at as u32, encoding_at as u32, char_strings_at as u32)]);
        [
            &header[..],
            &names,
            &top,
            &strings,
            &global_subrs,
            &char_strings,
            &charset,
            &encoding,
        ]
        .concat()
    }

    #[test]
    fn cff_builtin_encoding_and_glyph_names() {
        let program = tiny_cff();
        let table = cff_encoding(&program).unwrap();
        assert_eq!(table.glyph_of(0x41), Some(Glyph::Char('A')));
        assert_eq!(table.glyph_of(0x80), Some(Glyph::Char('Ж')));
        assert_eq!(table.glyph_of(0x42), None);
        let glyphs = cff_glyph_text(&program);
        assert_eq!(glyphs.get(&2), Some(&Glyph::Char('Ж')));
        assert_eq!(glyphs.len(), 2);
    }
}
