//! CMaps (PDF 32000-1 9.7.5 and 9.10.3; Adobe TN 5014 and 5099): the ToUnicode map of any
//! font, and the embedded encoding CMap of a composite font.
//!
//! Own code rather than lopdf's: lopdf 0.47 keys ToUnicode entries by the declared code length
//! and splits shown strings by it, so a simple font whose map declares a two-byte codespace
//! but lists one-byte codes (Adobe PDF Library 8) read as "Na�ona�P��S���", and a
//! composite font whose codespace `<0003> <0372>` does not cover its own codes per byte
//! (Antenna House) read almost nothing. No other crate in our tree parses CMaps. This parser
//! reads what Poppler reads: entries are keyed by the code's value whatever its length;
//! `bfrange` destinations may be a string (incremented) or an array; destinations are
//! UTF-16BE with surrogate pairs and multi-character ligatures; `usecmap` is recorded, not
//! followed; comments, stray tokens and wrong entry counts are skipped. Every table is bounded,
//! so a hostile `<00000000> <FFFFFFFF>` range costs one entry, not four billion.

use foldhash::HashMap;

use super::content::{is_delimiter, is_whitespace};

/// Codes are 1 to 4 bytes long (PDF 32000-1, 9.7.6.2).
const MAX_CODE_BYTES: usize = 4;
/// Ranges up to this many codes are expanded into single entries; longer ones are kept whole
/// and searched, so no range costs more than this in memory.
const MAX_EXPANDED_RANGE: u32 = 256;
/// Bounds on the tables one CMap can build, far above any real font (a full CJK ToUnicode map
/// has about 30 000 entries).
const MAX_SINGLE_ENTRIES: usize = 1 << 20;
const MAX_KEPT_RANGES: usize = 4096;
const MAX_CODESPACE_RANGES: usize = 256;
/// A destination longer than this is garbage, not a ligature.
const MAX_STRING_BYTES: usize = 512;

/// The Unicode text a code stands for: mostly one character, sometimes a ligature's letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum MappedText {
    Char(char),
    Text(Box<str>),
}

impl MappedText {
    pub(super) fn push_to(&self, out: &mut String) {
        match self {
            MappedText::Char(c) => out.push(*c),
            MappedText::Text(text) => out.push_str(text),
        }
    }

    /// UTF-16BE destination bytes; a single byte is taken as the character itself, as Poppler
    /// does. `None` for nothing or NUL, which producers write for glyphs they cannot name.
    fn from_utf16_be(bytes: &[u8]) -> Option<Self> {
        if let [byte] = bytes {
            return (*byte != 0).then_some(MappedText::Char(char::from(*byte)));
        }
        let units = bytes.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
        let text: String = char::decode_utf16(units)
            .filter_map(Result::ok)
            .filter(|c| *c != '\0')
            .collect();
        Self::from_string(text)
    }

    fn from_string(text: String) -> Option<Self> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => None,
            (Some(c), None) => Some(MappedText::Char(c)),
            _ => Some(MappedText::Text(text.into_boxed_str())),
        }
    }

    /// The destination of the code `offset` places into a `bfrange` with a string destination:
    /// the last character moves on by `offset` (PDF 32000-1, 9.10.3).
    fn shifted(&self, offset: u32) -> Option<Self> {
        if offset == 0 {
            return Some(self.clone());
        }
        match self {
            MappedText::Char(c) => u32::from(*c)
                .checked_add(offset)
                .and_then(char::from_u32)
                .map(MappedText::Char),
            MappedText::Text(text) => {
                let mut chars: Vec<char> = text.chars().collect();
                let last = chars.last_mut()?;
                *last = u32::from(*last).checked_add(offset).and_then(char::from_u32)?;
                Self::from_string(chars.into_iter().collect())
            }
        }
    }
}

/// One code as split from a shown string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Code {
    pub value: u32,
    /// Length in bytes, 1 to 4.
    pub len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CodeRange {
    len: usize,
    low: [u8; MAX_CODE_BYTES],
    high: [u8; MAX_CODE_BYTES],
}

impl CodeRange {
    fn contains_bytes(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len
            && bytes
                .iter()
                .zip(self.low.iter().zip(&self.high))
                .all(|(byte, (low, high))| low <= byte && byte <= high)
    }

    /// Whether the code's value lies between the bounds' values: how Poppler and Acrobat read a
    /// range like `<0003> <0372>`, whose second byte alone would exclude most codes in it.
    fn contains_value(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len && {
            let value = code_value(bytes);
            code_value(&self.low[..self.len]) <= value && value <= code_value(&self.high[..self.len])
        }
    }
}

/// How a composite font's shown string splits into codes: its codespace ranges (PDF 32000-1,
/// 9.7.6.2), 1 to 4 bytes per code, lengths mixed as the ranges say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CodeSpace {
    ranges: Vec<CodeRange>,
}

impl CodeSpace {
    /// Every code `len` bytes long (Identity-H: 2).
    pub(super) fn fixed(len: usize) -> Self {
        let len = len.clamp(1, MAX_CODE_BYTES);
        CodeSpace {
            ranges: vec![CodeRange {
                len,
                low: [0; MAX_CODE_BYTES],
                high: [0xFF; MAX_CODE_BYTES],
            }],
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The codes of a shown string, in order. A code in no range takes the shortest length
    /// the ranges know, so one stray byte does not shift every following code.
    pub(super) fn split<'b>(&'b self, bytes: &'b [u8]) -> impl Iterator<Item = Code> + 'b {
        let mut rest = bytes;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let len = self.code_length(rest);
            let (code, tail) = rest.split_at(len.min(rest.len()));
            rest = tail;
            Some(Code {
                value: code_value(code),
                len: code.len(),
            })
        })
    }

    fn code_length(&self, bytes: &[u8]) -> usize {
        let available = bytes.len().min(MAX_CODE_BYTES);
        let matching = |contains: fn(&CodeRange, &[u8]) -> bool| {
            (1..=available).find(|&len| self.ranges.iter().any(|range| contains(range, &bytes[..len])))
        };
        matching(CodeRange::contains_bytes)
            .or_else(|| matching(CodeRange::contains_value))
            .or_else(|| self.ranges.iter().map(|range| range.len).min())
            .unwrap_or(1)
    }
}

/// A `bfrange` too long to expand: codes `low..=high` map to `start` shifted by their offset.
#[derive(Debug)]
struct UnicodeRange {
    low: u32,
    high: u32,
    start: MappedText,
}

/// A `cidrange` too long to expand.
#[derive(Debug)]
struct CidRange {
    low: u32,
    high: u32,
    start: u32,
}

/// One parsed CMap: whichever of its parts the stream holds.
#[derive(Debug, Default)]
pub(super) struct CMap {
    codespace: Vec<CodeRange>,
    /// Code lengths the entries use, for a map that forgets its codespace.
    entry_lengths: [bool; MAX_CODE_BYTES + 1],
    unicode: HashMap<u32, MappedText>,
    unicode_ranges: Vec<UnicodeRange>,
    cids: HashMap<u32, u32>,
    cid_ranges: Vec<CidRange>,
    used_cmap: Option<Vec<u8>>,
    vertical: bool,
}

impl CMap {
    /// Reads what it can of a CMap stream; never fails, at worst the map is empty.
    pub(super) fn parse(data: &[u8]) -> Self {
        let mut cmap = CMap::default();
        let mut lexer = Lexer::new(data);
        let mut previous_name: Option<Vec<u8>> = None;
        while let Some(token) = lexer.next() {
            match token {
                Token::Keyword(b"begincodespacerange") => cmap.read_codespace(&mut lexer),
                Token::Keyword(b"beginbfchar") => cmap.read_bf_chars(&mut lexer),
                Token::Keyword(b"beginbfrange") => cmap.read_bf_ranges(&mut lexer),
                Token::Keyword(b"begincidchar") => cmap.read_cid_chars(&mut lexer),
                Token::Keyword(b"begincidrange") => cmap.read_cid_ranges(&mut lexer),
                Token::Keyword(b"usecmap") => cmap.used_cmap = previous_name.take(),
                Token::Keyword(value) if previous_name.as_deref() == Some(b"WMode") => {
                    cmap.vertical = value == b"1";
                }
                _ => {}
            }
            previous_name = match token {
                Token::Name(name) => Some(name.to_vec()),
                _ => None,
            };
        }
        cmap
    }

    /// The codespace the map declares or, failing that, the code lengths its entries use.
    pub(super) fn codespace(&self) -> CodeSpace {
        if !self.codespace.is_empty() {
            return CodeSpace {
                ranges: self.codespace.clone(),
            };
        }
        let ranges = (1..=MAX_CODE_BYTES)
            .filter(|&len| self.entry_lengths[len])
            .map(|len| CodeSpace::fixed(len).ranges[0])
            .collect();
        CodeSpace { ranges }
    }

    /// The name given to `usecmap` (e.g. `Identity-H`), which this map builds on.
    pub(super) fn used_cmap(&self) -> Option<&[u8]> {
        self.used_cmap.as_deref()
    }

    /// `/WMode 1`: glyphs are set top to bottom.
    pub(super) fn is_vertical(&self) -> bool {
        self.vertical
    }

    /// Whether the map maps any code at all. Poppler takes a ToUnicode map without a single
    /// entry for no map (measured: an Adobe-Identity font then reads its codes as Unicode).
    pub(super) fn maps_anything(&self) -> bool {
        !(self.unicode.is_empty()
            && self.unicode_ranges.is_empty()
            && self.cids.is_empty()
            && self.cid_ranges.is_empty())
    }

    /// The text a code stands for, when the map says. Later entries win, as in Poppler. A
    /// ToUnicode map written with `cidrange`/`cidchar` (a copy of Identity-H, PDFBOX-4322) maps
    /// codes to those values as Unicode, as Poppler reads it (measured with a shifted range).
    pub(super) fn unicode(&self, code: u32) -> Option<MappedText> {
        if let Some(text) = self.unicode.get(&code) {
            return Some(text.clone());
        }
        self.unicode_ranges
            .iter()
            .rev()
            .find(|range| (range.low..=range.high).contains(&code))
            .and_then(|range| range.start.shifted(code - range.low))
            .or_else(|| {
                self.cid(code)
                    .filter(|value| *value != 0)
                    .and_then(char::from_u32)
                    .map(MappedText::Char)
            })
    }

    /// The CID a code selects, when the map says.
    pub(super) fn cid(&self, code: u32) -> Option<u32> {
        if let Some(cid) = self.cids.get(&code) {
            return Some(*cid);
        }
        self.cid_ranges
            .iter()
            .rev()
            .find(|range| (range.low..=range.high).contains(&code))
            .and_then(|range| range.start.checked_add(code - range.low))
    }

    fn read_codespace(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(entry) = lexer.next_entry(b"endcodespacerange", 2) {
            let [Token::String(low), Token::String(high)] = entry.as_slice() else {
                continue;
            };
            if low.len() != high.len() || !(1..=MAX_CODE_BYTES).contains(&low.len()) {
                continue;
            }
            if self.codespace.len() < MAX_CODESPACE_RANGES {
                let mut range = CodeRange {
                    len: low.len(),
                    low: [0; MAX_CODE_BYTES],
                    high: [0; MAX_CODE_BYTES],
                };
                range.low[..low.len()].copy_from_slice(low);
                range.high[..high.len()].copy_from_slice(high);
                self.codespace.push(range);
            }
        }
    }

    fn read_bf_chars(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(entry) = lexer.next_entry(b"endbfchar", 2) {
            let [Token::String(source), destination] = entry.as_slice() else {
                continue;
            };
            let Some(code) = self.source_code(source) else {
                continue;
            };
            let text = match destination {
                Token::String(bytes) => MappedText::from_utf16_be(bytes),
                // Adobe TN 5014 allows a glyph name where a string would be.
                Token::Name(name) => super::glyphs::name_to_text(name),
                _ => None,
            };
            if let Some(text) = text {
                self.insert_unicode(code, text);
            }
        }
    }

    fn read_bf_ranges(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(entry) = lexer.next_entry(b"endbfrange", 3) {
            let [Token::String(low), Token::String(high), destination] = entry.as_slice() else {
                continue;
            };
            let (Some(low), Some(high)) = (self.source_code(low), self.source_code(high)) else {
                continue;
            };
            if low > high {
                continue;
            }
            match destination {
                Token::String(bytes) => {
                    let Some(start) = MappedText::from_utf16_be(bytes) else {
                        continue;
                    };
                    if high - low < MAX_EXPANDED_RANGE {
                        for code in low..=high {
                            if let Some(text) = start.shifted(code - low) {
                                self.insert_unicode(code, text);
                            }
                        }
                    } else if self.unicode_ranges.len() < MAX_KEPT_RANGES {
                        self.unicode_ranges.push(UnicodeRange { low, high, start });
                    }
                }
                Token::Array(items) => {
                    for (code, item) in (low..=high).zip(items) {
                        if let Token::String(bytes) = item
                            && let Some(text) = MappedText::from_utf16_be(bytes)
                        {
                            self.insert_unicode(code, text);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn read_cid_chars(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(entry) = lexer.next_entry(b"endcidchar", 2) {
            let [Token::String(source), Token::Keyword(cid)] = entry.as_slice() else {
                continue;
            };
            if let (Some(code), Some(cid)) = (self.source_code(source), parse_cid(cid))
                && self.cids.len() < MAX_SINGLE_ENTRIES
            {
                self.cids.insert(code, cid);
            }
        }
    }

    fn read_cid_ranges(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(entry) = lexer.next_entry(b"endcidrange", 3) {
            let [Token::String(low), Token::String(high), Token::Keyword(cid)] = entry.as_slice() else {
                continue;
            };
            let (Some(low), Some(high), Some(start)) = (self.source_code(low), self.source_code(high), parse_cid(cid))
            else {
                continue;
            };
            if low > high {
                continue;
            }
            if high - low < MAX_EXPANDED_RANGE {
                for code in low..=high {
                    if self.cids.len() < MAX_SINGLE_ENTRIES
                        && let Some(cid) = start.checked_add(code - low)
                    {
                        self.cids.insert(code, cid);
                    }
                }
            } else if self.cid_ranges.len() < MAX_KEPT_RANGES {
                self.cid_ranges.push(CidRange { low, high, start });
            }
        }
    }

    fn source_code(&mut self, bytes: &[u8]) -> Option<u32> {
        if !(1..=MAX_CODE_BYTES).contains(&bytes.len()) {
            return None;
        }
        self.entry_lengths[bytes.len()] = true;
        Some(code_value(bytes))
    }

    fn insert_unicode(&mut self, code: u32, text: MappedText) {
        if self.unicode.len() < MAX_SINGLE_ENTRIES || self.unicode.contains_key(&code) {
            self.unicode.insert(code, text);
        }
    }
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |value, &byte| value << 8 | u32::from(byte))
}

fn parse_cid(digits: &[u8]) -> Option<u32> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The PostScript tokens a CMap is made of, as far as CMaps use them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    /// `<hex>` or `(literal)`.
    String(Vec<u8>),
    /// `/Name`, without the slash.
    Name(&'a [u8]),
    /// `[ ... ]`, the array form of a `bfrange` destination.
    Array(Vec<Token<'a>>),
    /// Operators and numbers alike: `begincmap`, `12`, `def`.
    Keyword(&'a [u8]),
    /// `{`, `}`, `<<`, `>>`, a stray `]` or `)`.
    Punctuation,
}

struct Lexer<'a> {
    data: &'a [u8],
    position: usize,
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer { data, position: 0 }
    }

    /// The next entry of a `begin...` block, `width` tokens; `None` at `end` (or at the next
    /// block, or the end of the data: a truncated map keeps what came before). A malformed
    /// entry is skipped token by token until the entries line up again.
    fn next_entry(&mut self, end: &[u8], width: usize) -> Option<Vec<Token<'a>>> {
        let mut entry = Vec::with_capacity(width);
        loop {
            let before = self.position;
            match self.next()? {
                Token::Keyword(keyword) if keyword == end => return None,
                Token::Keyword(keyword) if keyword.starts_with(b"begin") || keyword.starts_with(b"end") => {
                    // The block ended without its keyword: hand this one back to the caller.
                    self.position = before;
                    return None;
                }
                // Every entry starts with a code string; anything else there (a wrong entry
                // count, a stray operator) is skipped until the entries line up again.
                token if entry.is_empty() && !matches!(token, Token::String(_)) => {}
                Token::Punctuation => entry.clear(),
                token => {
                    entry.push(token);
                    if entry.len() == width {
                        return Some(entry);
                    }
                }
            }
        }
    }

    fn peek_byte(&self) -> Option<u8> {
        self.data.get(self.position).copied()
    }

    fn skip_space_and_comments(&mut self) {
        while let Some(byte) = self.peek_byte() {
            if is_whitespace(byte) {
                self.position += 1;
            } else if byte == b'%' {
                while let Some(byte) = self.peek_byte() {
                    if byte == b'\n' || byte == b'\r' {
                        break;
                    }
                    self.position += 1;
                }
            } else {
                break;
            }
        }
    }

    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_space_and_comments();
        let byte = self.peek_byte()?;
        self.position += 1;
        Some(match byte {
            b'<' if self.peek_byte() == Some(b'<') => {
                self.position += 1;
                Token::Punctuation
            }
            b'>' if self.peek_byte() == Some(b'>') => {
                self.position += 1;
                Token::Punctuation
            }
            b'<' => Token::String(self.hex_string()),
            b'(' => Token::String(self.literal_string()),
            b'/' => Token::Name(self.regular_run()),
            b'[' => Token::Array(self.array()),
            b']' | b')' | b'>' | b'{' | b'}' => Token::Punctuation,
            _ => {
                self.position -= 1;
                Token::Keyword(self.regular_run())
            }
        })
    }

    /// The items of an array, whose `[` was just read. Nested arrays are flattened away:
    /// no CMap nests them.
    fn array(&mut self) -> Vec<Token<'a>> {
        let mut items = Vec::new();
        loop {
            self.skip_space_and_comments();
            match self.peek_byte() {
                None => break,
                Some(b']') => {
                    self.position += 1;
                    break;
                }
                Some(b'[') => self.position += 1,
                Some(_) => match self.next() {
                    Some(Token::Array(_) | Token::Punctuation) | None => {}
                    Some(Token::Keyword(keyword)) if keyword.starts_with(b"begin") || keyword.starts_with(b"end") => {
                        // An unclosed array: the block's end belongs to the block.
                        self.position -= keyword.len();
                        break;
                    }
                    Some(token) => {
                        if items.len() < MAX_EXPANDED_RANGE as usize * 256 {
                            items.push(token);
                        }
                    }
                },
            }
        }
        items
    }

    /// The regular characters from here to the next white space or delimiter (at least one
    /// when called for a keyword: [`Lexer::next`] handles every delimiter itself).
    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.position;
        while let Some(byte) = self.peek_byte() {
            if is_whitespace(byte) || is_delimiter(byte) {
                break;
            }
            self.position += 1;
        }
        &self.data[start..self.position]
    }

    /// A `<...>` string, whose `<` was just read: white space ignored, an odd last digit
    /// taken as followed by 0 (PDF 32000-1, 7.3.4.3).
    fn hex_string(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut pending: Option<u8> = None;
        while let Some(byte) = self.peek_byte() {
            self.position += 1;
            let digit = match byte {
                b'>' => break,
                b'0'..=b'9' => byte - b'0',
                b'a'..=b'f' => byte - b'a' + 10,
                b'A'..=b'F' => byte - b'A' + 10,
                _ => continue,
            };
            match pending.take() {
                Some(high) => {
                    if bytes.len() < MAX_STRING_BYTES {
                        bytes.push(high << 4 | digit);
                    }
                }
                None => pending = Some(digit),
            }
        }
        if let Some(high) = pending
            && bytes.len() < MAX_STRING_BYTES
        {
            bytes.push(high << 4);
        }
        bytes
    }

    /// A `(...)` string, whose `(` was just read, with nested parentheses and escapes.
    fn literal_string(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut depth = 1usize;
        while let Some(byte) = self.peek_byte() {
            self.position += 1;
            let value = match byte {
                b'(' => {
                    depth += 1;
                    byte
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    byte
                }
                b'\\' => match self.peek_byte() {
                    None => break,
                    Some(escaped) => {
                        self.position += 1;
                        match escaped {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 0x08,
                            b'f' => 0x0C,
                            b'0'..=b'7' => self.octal_escape(escaped),
                            b'\r' | b'\n' => continue,
                            other => other,
                        }
                    }
                },
                other => other,
            };
            if bytes.len() < MAX_STRING_BYTES {
                bytes.push(value);
            }
        }
        bytes
    }

    fn octal_escape(&mut self, first: u8) -> u8 {
        let mut value = u32::from(first - b'0');
        for _ in 0..2 {
            match self.peek_byte() {
                Some(digit @ b'0'..=b'7') => {
                    value = value * 8 + u32::from(digit - b'0');
                    self.position += 1;
                }
                _ => break,
            }
        }
        (value & 0xFF) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cmap: &CMap, code: u32) -> Option<String> {
        cmap.unicode(code).map(|mapped| {
            let mut out = String::new();
            mapped.push_to(&mut out);
            out
        })
    }

    #[test]
    fn one_byte_codes_in_a_two_byte_codespace_are_read_by_value() {
        // Adobe PDF Library 8 writes this for simple (one-byte) fonts.
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
              1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
              3 beginbfchar\n<20> <0020>\n<4E> <004E>\n<92> <2019>\nendbfchar\n\
              endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        assert_eq!(text(&cmap, 0x4E).as_deref(), Some("N"));
        assert_eq!(text(&cmap, 0x92).as_deref(), Some("\u{2019}"));
        assert_eq!(text(&cmap, 0x41), None);
    }

    #[test]
    fn bfrange_with_a_string_destination_increments_it() {
        let cmap = CMap::parse(
            b"begincodespacerange <0003> <0372> endcodespacerange\n\
              2 beginbfrange\n<0004> <001D> <0041>\n<00FE> <0101> <00FE>\nendbfrange",
        );
        assert_eq!(text(&cmap, 0x0004).as_deref(), Some("A"));
        assert_eq!(text(&cmap, 0x001D).as_deref(), Some("Z"));
        assert_eq!(text(&cmap, 0x001E), None);
        // The increment carries past the last byte's boundary, as in Poppler.
        assert_eq!(text(&cmap, 0x0101).as_deref(), Some("\u{0101}"));
    }

    #[test]
    fn bfrange_with_an_array_destination_maps_each_code() {
        let cmap = CMap::parse(b"1 beginbfrange <01> <03> [<0066006C> <D835DC00> (\x00x)] endbfrange");
        assert_eq!(text(&cmap, 1).as_deref(), Some("fl"));
        assert_eq!(text(&cmap, 2).as_deref(), Some("\u{1D400}"));
        assert_eq!(text(&cmap, 3).as_deref(), Some("x"));
        assert_eq!(text(&cmap, 4), None);
    }

    #[test]
    fn surrogate_pairs_and_ligatures_in_bfchar() {
        let cmap = CMap::parse(b"% a comment <01> <0041>\n2 beginbfchar <01> <D83DDE00> <02> <006600660069> endbfchar");
        assert_eq!(text(&cmap, 1).as_deref(), Some("\u{1F600}"));
        assert_eq!(text(&cmap, 2).as_deref(), Some("ffi"));
    }

    #[test]
    fn string_destination_range_of_a_surrogate_pair_increments_the_character() {
        let cmap = CMap::parse(b"beginbfrange <10> <12> <D835DC00> endbfrange");
        assert_eq!(text(&cmap, 0x12).as_deref(), Some("\u{1D402}"));
    }

    #[test]
    fn mixed_length_codespace_splits_codes() {
        // Shift-JIS style: one byte below 0x80, two bytes with a lead byte 0x81-0x9F.
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange\n\
              2 begincidrange <20> <7E> 1 <8140> <817E> 633 endcidrange",
        );
        let codespace = cmap.codespace();
        let codes: Vec<Code> = codespace.split(b"A\x81\x40B\x81").collect();
        assert_eq!(
            codes,
            vec![
                Code { value: 0x41, len: 1 },
                Code { value: 0x8140, len: 2 },
                Code { value: 0x42, len: 1 },
                // A lead byte with its trail byte missing is one short code.
                Code { value: 0x81, len: 1 },
            ]
        );
        assert_eq!(cmap.cid(0x41), Some(34));
        assert_eq!(cmap.cid(0x8141), Some(634));
        assert_eq!(cmap.cid(0x9000), None);
    }

    #[test]
    fn codespace_by_value_when_bytes_do_not_fit() {
        let cmap = CMap::parse(b"begincodespacerange <0003> <0372> endcodespacerange");
        let codes: Vec<u32> = cmap
            .codespace()
            .split(&[0x01, 0x91, 0x00, 0x03])
            .map(|code| code.value)
            .collect();
        assert_eq!(codes, vec![0x0191, 0x0003]);
    }

    #[test]
    fn missing_codespace_is_inferred_from_entries() {
        let cmap = CMap::parse(b"beginbfchar <0041> <0041> endbfchar");
        let codes: Vec<u32> = cmap
            .codespace()
            .split(b"\x00\x41\x00\x42")
            .map(|code| code.value)
            .collect();
        assert_eq!(codes, vec![0x41, 0x42]);
    }

    #[test]
    fn huge_ranges_cost_one_entry() {
        let cmap = CMap::parse(
            b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\n\
              begincidrange <00000000> <FFFFFFFF> 0 endcidrange",
        );
        assert_eq!(cmap.unicode.len(), 0);
        assert_eq!(text(&cmap, 1).as_deref(), Some("B"));
        // Shifted past the last character there is: no text, no panic.
        assert_eq!(text(&cmap, 0xFFFF_FFFF), None);
        assert_eq!(cmap.cid(0x0001_0000), Some(0x0001_0000));
    }

    #[test]
    fn garbage_and_truncation_are_survived() {
        for data in [
            &b"beginbfchar <01> endbfchar <02> <0042>"[..],
            b"beginbfrange <01> <05> [<0041> endbfrange",
            b"beginbfchar (\\101 <0041> <02> <0042",
            b"begincodespacerange <00> endcodespacerange beginbfchar garbage <02> <0042> endbfchar",
            b"<<<<>>>>[[[]]] /WMode 1 def /Identity-H usecmap",
            b"",
            b"(\\",
            b"<",
        ] {
            let _ = CMap::parse(data);
        }
        let cmap = CMap::parse(b"begincodespacerange <00> endcodespacerange beginbfchar garbage <02> <0042> endbfchar");
        assert_eq!(text(&cmap, 2).as_deref(), Some("B"));
        let cmap = CMap::parse(b"/WMode 1 def /Identity-H usecmap");
        assert!(cmap.is_vertical());
        assert_eq!(cmap.used_cmap(), Some(&b"Identity-H"[..]));
    }

    #[test]
    fn cid_entries_in_a_to_unicode_map_are_unicode_values() {
        let cmap = CMap::parse(b"begincidrange <0000> <FFFF> 1 endcidrange begincidchar <0020> 32 endcidchar");
        assert_eq!(text(&cmap, 0x4A).as_deref(), Some("K"));
        assert_eq!(text(&cmap, 0x20).as_deref(), Some(" "));
        assert!(cmap.maps_anything());
        assert!(!CMap::parse(b"begincodespacerange <0000> <FFFF> endcodespacerange").maps_anything());
    }

    #[test]
    fn nul_destinations_are_no_mapping() {
        let cmap = CMap::parse(b"beginbfchar <01> <0000> <02> <> endbfchar");
        assert_eq!(text(&cmap, 1), None);
        assert_eq!(text(&cmap, 2), None);
    }
}
