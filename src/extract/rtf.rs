//! Rich Text Format (`.rtf`): a small tokenizer over control words, control symbols and groups,
//! and an interpreter that keeps the text and drops everything else.
//!
//! What it reads: the body, headers and footers (`\header…`, `\footer…`), footnotes, field
//! results (`\fldrslt`), an object's or a shape's visible text (`\result`, `\shptxt`) and list
//! numbers as written (`\listtext`). Bytes are decoded in the code page in force: the selected
//! font's `\cpg` or `\fcharset` from the font table, else the document's `\ansicpg` (or `\ansi`,
//! `\mac`); consecutive `\'xx` bytes are decoded together, so double-byte code pages work.
//! `\uN` characters (negative N is N + 65536, surrogate pairs are joined) skip the `\ucN`
//! fallback characters after them. Pages are split at `\page` and `\pagebb`; headers go on top
//! of the first page, footers and footnotes at the bottom of the last (as for DOCX).
//!
//! What it does not read: anything in a destination that is not text (font, colour, style and
//! list tables, document info, pictures, object data, themes, data stores, revision tables,
//! field instructions, shape properties) and every `{\*\…}` group we do not know, as the
//! specification asks. Comments (`\annotation`) are reviewers' notes, not the document, and are
//! skipped too. Groups nested deeper than [`MAX_GROUP_DEPTH`] are refused as hostile input;
//! the tokenizer keeps no stack of its own, so depth costs nothing before that. Every character
//! of output costs at least one byte of input, so the text never outgrows the file.

use std::collections::BTreeMap;

use encoding_rs::{Encoding, WINDOWS_1252};

use super::Parsed;
use super::error::ExtractError;
use super::office::assemble;

/// Real documents nest a few dozen groups at most; `{` repeated to this depth is an attack.
const MAX_GROUP_DEPTH: usize = 256;
/// A font table larger than this is not a document's; further entries are ignored.
const MAX_FONTS: usize = 4096;

pub(crate) fn extract(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let start = rtf_start(bytes)
        .ok_or_else(|| ExtractError::Corrupt("not RTF: the file does not start with {\\rtf".to_string()))?;
    let mut interpreter = Interpreter::default();
    let mut tokens = Tokenizer {
        bytes,
        at: start,
        stray_binary_bytes: 0,
    };
    let mut ended = false;
    for token in &mut tokens {
        if interpreter.token(token)? == Flow::DocumentEnded {
            ended = true;
            break;
        }
    }
    if tokens.stray_binary_bytes > 16 && tokens.stray_binary_bytes * 100 > bytes.len() {
        return Err(ExtractError::Corrupt(format!(
            "RTF holds {} bytes of binary data where only text may stand: the file is damaged or not RTF",
            tokens.stray_binary_bytes
        )));
    }
    interpreter.finish(ended)
}

/// Where `{\rtf` starts, after an optional byte-order mark and blank lines.
fn rtf_start(bytes: &[u8]) -> Option<usize> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let start = bom + bytes[bom..].iter().position(|b| !b.is_ascii_whitespace())?;
    bytes[start..].starts_with(b"{\\rtf").then_some(start)
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    GroupStart,
    GroupEnd,
    /// `\name` or `\nameN`; `name` is ASCII letters.
    Word(&'a str, Option<i32>),
    /// `\` and one non-letter (`\~`, `\*`, `\{`…).
    Symbol(u8),
    /// `\'xx`.
    Byte(u8),
    /// Raw bytes up to the next `\`, `{`, `}` or line end (line ends are not text in RTF).
    Text(&'a [u8]),
}

struct Tokenizer<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Control bytes other than tab and line ends outside `\bin` data: RTF is 7-bit text, so
    /// many of them mean a binary file that only starts like RTF.
    stray_binary_bytes: usize,
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let byte = *self.bytes.get(self.at)?;
            match byte {
                b'{' => {
                    self.at += 1;
                    return Some(Token::GroupStart);
                }
                b'}' => {
                    self.at += 1;
                    return Some(Token::GroupEnd);
                }
                b'\\' => return Some(self.control()),
                b'\r' | b'\n' => self.at += 1,
                _ => {
                    let start = self.at;
                    let run = self.bytes[start..]
                        .iter()
                        .position(|b| matches!(b, b'{' | b'}' | b'\\' | b'\r' | b'\n'))
                        .unwrap_or(self.bytes.len() - start);
                    self.at += run;
                    let text = &self.bytes[start..start + run];
                    self.stray_binary_bytes += text
                        .iter()
                        .filter(|&&b| (b < 0x20 && b != b'\t' && b != 0x0C) || b == 0x7F)
                        .count();
                    return Some(Token::Text(text));
                }
            }
        }
    }
}

impl<'a> Tokenizer<'a> {
    /// After a backslash.
    fn control(&mut self) -> Token<'a> {
        self.at += 1;
        let Some(&first) = self.bytes.get(self.at) else {
            return Token::Symbol(b'\\');
        };
        if !first.is_ascii_alphabetic() {
            self.at += 1;
            if first == b'\'' {
                return match self.bytes.get(self.at..self.at + 2).and_then(parse_hex_byte) {
                    Some(value) => {
                        self.at += 2;
                        Token::Byte(value)
                    }
                    // A broken escape: skip the quote, the rest reads as text.
                    None => Token::Symbol(b'\''),
                };
            }
            return Token::Symbol(first);
        }
        let name_start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let name = std::str::from_utf8(&self.bytes[name_start..self.at]).unwrap_or("");
        let parameter = self.parameter();
        // One space ends a control word and belongs to it.
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        if name == "bin" {
            // N bytes of binary data follow; they are never text, whatever they contain.
            let length = usize::try_from(parameter.unwrap_or(0)).unwrap_or(0);
            self.at = self.at.saturating_add(length).min(self.bytes.len());
        }
        Token::Word(name, parameter)
    }

    /// An optional signed decimal; values beyond `i32` saturate (no real parameter is that big).
    fn parameter(&mut self) -> Option<i32> {
        let negative =
            self.bytes.get(self.at) == Some(&b'-') && self.bytes.get(self.at + 1).is_some_and(u8::is_ascii_digit);
        let digits_start = self.at + usize::from(negative);
        if !self.bytes.get(digits_start).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        self.at = digits_start;
        let mut value: i64 = 0;
        while let Some(&digit) = self.bytes.get(self.at).filter(|b| b.is_ascii_digit()) {
            value = (value * 10 + i64::from(digit - b'0')).min(i64::from(i32::MAX) + 1);
            self.at += 1;
        }
        let value = if negative { -value } else { value };
        Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }
}

fn parse_hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

// ---------------------------------------------------------------------------------------------
// Interpreter

/// Where text of the current group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Body,
    /// Headers.
    Top,
    /// Footers and footnotes.
    Bottom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Text(Place),
    /// Inside an object or a shape: no text, except in a `\result` or `\shptxt` group.
    Hidden(Place),
    /// The font table: its control words define fonts, its text is font names.
    FontTable,
    /// Not text, nor anything in its subgroups.
    Skip,
}

/// The state a group inherits from its parent and loses at its `}`.
#[derive(Debug, Clone, Copy)]
struct GroupState {
    destination: Destination,
    /// `\ucN`: how many fallback characters follow each `\uN`.
    unicode_fallback: usize,
    /// `\fN`: the font selected in text; the font being defined in the font table.
    font: Option<i32>,
    /// `\*` was just seen: the next control word names a destination to skip unless known.
    ignorable: bool,
}

impl Default for GroupState {
    fn default() -> Self {
        GroupState {
            destination: Destination::Text(Place::Body),
            unicode_fallback: 1,
            font: None,
            ignorable: false,
        }
    }
}

/// The code page a font declares: `\cpg` wins over `\fcharset`.
#[derive(Debug, Default, Clone, Copy)]
struct FontEncoding {
    charset: Option<&'static Encoding>,
    code_page: Option<&'static Encoding>,
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    /// The `}` closing `{\rtf`: anything after it is not the document.
    DocumentEnded,
}

#[derive(Debug, Default)]
struct Interpreter {
    groups: Vec<GroupState>,
    /// Set by `\ansicpg` (or `\mac`…); windows-1252 when a file names none, as `\ansi` means.
    document_encoding: Option<&'static Encoding>,
    default_font: Option<i32>,
    fonts: BTreeMap<i32, FontEncoding>,
    /// Bytes (`\'xx` and raw text) not yet decoded, with the encoding and place they were read
    /// under: a double-byte character may span two escapes.
    pending_bytes: Vec<u8>,
    pending_target: Option<(&'static Encoding, Place)>,
    /// Fallback characters after a `\uN` still to be dropped.
    fallback_to_skip: usize,
    pending_high_surrogate: Option<u16>,
    /// `\intbl` until `\pard`: a `\par` inside a cell keeps the row on one line.
    paragraph_in_table: bool,
    pages: Vec<String>,
    page: String,
    /// Header stories and footer or footnote stories, one string per group that opened one.
    top: Vec<String>,
    bottom: Vec<String>,
}

impl Interpreter {
    fn state(&self) -> GroupState {
        self.groups.last().copied().unwrap_or_default()
    }

    fn state_mut(&mut self) -> Option<&mut GroupState> {
        self.groups.last_mut()
    }

    fn token(&mut self, token: Token<'_>) -> Result<Flow, ExtractError> {
        match token {
            Token::Byte(byte) => self.byte_text(&[byte]),
            Token::Text(text) => self.byte_text(text),
            Token::GroupStart => {
                self.flush_bytes();
                self.fallback_to_skip = 0;
                if self.groups.len() >= MAX_GROUP_DEPTH {
                    return Err(ExtractError::Corrupt(format!(
                        "RTF groups nested deeper than {MAX_GROUP_DEPTH}: refused as hostile input"
                    )));
                }
                let mut child = self.state();
                child.ignorable = false;
                self.groups.push(child);
            }
            Token::GroupEnd => {
                self.flush_bytes();
                self.fallback_to_skip = 0;
                self.groups.pop();
                if self.groups.is_empty() {
                    return Ok(Flow::DocumentEnded);
                }
            }
            Token::Symbol(symbol) => {
                if self.skip_fallback() {
                    return Ok(Flow::Continue);
                }
                self.flush_bytes();
                self.symbol(symbol);
            }
            Token::Word(name, parameter) => {
                // `\uN` itself is never a fallback character of the one before it.
                if name != "u" && self.skip_fallback() {
                    return Ok(Flow::Continue);
                }
                self.flush_bytes();
                self.word(name, parameter);
            }
        }
        Ok(Flow::Continue)
    }

    /// Consumes one fallback character after `\uN`, if one is due.
    fn skip_fallback(&mut self) -> bool {
        if self.fallback_to_skip > 0 {
            self.fallback_to_skip -= 1;
            true
        } else {
            false
        }
    }

    fn text_place(&self) -> Option<Place> {
        match self.state().destination {
            Destination::Text(place) => Some(place),
            _ => None,
        }
    }

    fn byte_text(&mut self, bytes: &[u8]) {
        let skipped = self.fallback_to_skip.min(bytes.len());
        self.fallback_to_skip -= skipped;
        let bytes = &bytes[skipped..];
        let Some(place) = self.text_place() else { return };
        if bytes.is_empty() {
            return;
        }
        let target = (self.current_encoding(), place);
        if self.pending_target.is_some_and(|pending| pending != target) {
            self.flush_bytes();
        }
        self.pending_target = Some(target);
        self.pending_bytes.extend_from_slice(bytes);
    }

    fn flush_bytes(&mut self) {
        let Some((encoding, place)) = self.pending_target.take() else {
            return;
        };
        let bytes = std::mem::take(&mut self.pending_bytes);
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        // Control bytes are not text (a tab is: some writers put it raw).
        let text: String = text.chars().filter(|&c| c == '\t' || !c.is_control()).collect();
        self.push_str(place, &text);
    }

    fn current_encoding(&self) -> &'static Encoding {
        let document = self.document_encoding.unwrap_or(WINDOWS_1252);
        let font = self.state().font.or(self.default_font);
        font.and_then(|font| self.fonts.get(&font))
            .and_then(|declared| declared.code_page.or(declared.charset))
            .unwrap_or(document)
    }

    fn out(&mut self, place: Place) -> &mut String {
        match place {
            Place::Body => &mut self.page,
            Place::Top => last_story(&mut self.top),
            Place::Bottom => last_story(&mut self.bottom),
        }
    }

    fn push_str(&mut self, place: Place, text: &str) {
        self.out(place).push_str(text);
    }

    fn push(&mut self, c: char) {
        if let Some(place) = self.text_place() {
            self.out(place).push(c);
        }
    }

    fn symbol(&mut self, symbol: u8) {
        match symbol {
            b'*' => {
                if let Some(state) = self.state_mut() {
                    state.ignorable = true;
                }
            }
            b'~' => self.push(' '),
            b'_' => self.push('-'),
            b'\\' | b'{' | b'}' => self.push(char::from(symbol)),
            // `\` before a line end is a paragraph end.
            b'\r' | b'\n' => self.paragraph_end(),
            // `\-` optional hyphen, `\:` index subentry, `\|` formula: not text.
            _ => {}
        }
    }

    fn word(&mut self, name: &str, parameter: Option<i32>) {
        let mut state = self.state();
        if state.destination == Destination::Skip {
            return;
        }
        if state.ignorable {
            state.ignorable = false;
            if !KNOWN_AFTER_STAR.contains(&name) {
                state.destination = Destination::Skip;
            }
            self.set_state(state);
            if state.destination == Destination::Skip {
                return;
            }
        }
        if self.destination_word(name, state) {
            return;
        }
        match state.destination {
            Destination::FontTable => self.font_table_word(name, parameter),
            Destination::Text(_) | Destination::Hidden(_) => self.text_word(name, parameter),
            Destination::Skip => {}
        }
    }

    fn set_state(&mut self, state: GroupState) {
        if let Some(current) = self.state_mut() {
            *current = state;
        }
    }

    /// Control words that change what the current group is. True when `name` was one.
    fn destination_word(&mut self, name: &str, mut state: GroupState) -> bool {
        let place = match state.destination {
            Destination::Text(place) | Destination::Hidden(place) => place,
            _ => Place::Body,
        };
        state.destination = match name {
            "fonttbl" => Destination::FontTable,
            _ if SKIPPED_DESTINATIONS.contains(&name) => Destination::Skip,
            "header" | "headerl" | "headerr" | "headerf" => {
                self.top.push(String::new());
                Destination::Text(Place::Top)
            }
            "footer" | "footerl" | "footerr" | "footerf" | "footnote" => {
                self.bottom.push(String::new());
                Destination::Text(Place::Bottom)
            }
            "object" | "shp" | "shpinst" => Destination::Hidden(place),
            "result" | "shptxt" => Destination::Text(place),
            _ => return false,
        };
        self.set_state(state);
        true
    }

    fn font_table_word(&mut self, name: &str, parameter: Option<i32>) {
        let Some(value) = parameter else { return };
        match name {
            "f" => {
                if let Some(state) = self.state_mut() {
                    state.font = Some(value);
                }
            }
            "fcharset" | "cpg" => {
                let Some(font) = self.state().font else { return };
                if self.fonts.len() >= MAX_FONTS && !self.fonts.contains_key(&font) {
                    return;
                }
                let entry = self.fonts.entry(font).or_default();
                if name == "fcharset" {
                    entry.charset = encoding_for_charset(value);
                } else {
                    entry.code_page = encoding_for_code_page(value);
                }
            }
            _ => {}
        }
    }

    fn text_word(&mut self, name: &str, parameter: Option<i32>) {
        match name {
            // The document's character set and default font.
            "ansi" => self.document_encoding = Some(WINDOWS_1252),
            "mac" => self.document_encoding = Encoding::for_label(b"macintosh"),
            "ansicpg" => {
                if let Some(encoding) = parameter.and_then(encoding_for_code_page) {
                    self.document_encoding = Some(encoding);
                }
            }
            "deff" => self.default_font = parameter,
            "f" => {
                if let Some(state) = self.state_mut() {
                    state.font = parameter;
                }
            }
            "plain" => {
                if let Some(state) = self.state_mut() {
                    state.font = None;
                }
            }
            "uc" => {
                if let Some(state) = self.state_mut() {
                    state.unicode_fallback = usize::try_from(parameter.unwrap_or(1)).unwrap_or(0).min(16);
                }
            }
            "u" => self.unicode(parameter.unwrap_or(0)),
            "intbl" => self.paragraph_in_table = true,
            "pard" => self.paragraph_in_table = false,
            _ if self.text_place().is_none() => {}
            "par" | "sect" => self.paragraph_end(),
            "line" => self.push('\n'),
            "tab" => self.push('\t'),
            "cell" | "nestcell" => self.cell_end(),
            "row" | "nestrow" => self.row_end(),
            "page" => self.page_break(),
            // Page break before this paragraph: a break only at the start of one.
            "pagebb" if self.page.is_empty() || self.page.ends_with('\n') => self.page_break(),
            "emdash" => self.push('—'),
            "endash" => self.push('–'),
            "emspace" | "enspace" | "qmspace" => self.push(' '),
            "bullet" => self.push('•'),
            "lquote" => self.push('‘'),
            "rquote" => self.push('’'),
            "ldblquote" => self.push('“'),
            "rdblquote" => self.push('”'),
            // Everything else is formatting, or a value we cannot know (`\chpgn`, `\chdate`).
            _ => {}
        }
    }

    fn unicode(&mut self, value: i32) {
        // Written as a signed 16-bit number: -1 is U+FFFF.
        let unit = if value < 0 { value + 65536 } else { value };
        self.fallback_to_skip = self.state().unicode_fallback;
        let Ok(unit) = u16::try_from(unit) else { return };
        match unit {
            0xD800..=0xDBFF => {
                self.pending_high_surrogate = Some(unit);
                return;
            }
            0xDC00..=0xDFFF => {
                if let Some(high) = self.pending_high_surrogate.take()
                    && let Some(Ok(c)) = char::decode_utf16([high, unit]).next()
                {
                    self.push(c);
                }
            }
            0xA0 => self.push(' '),
            0xAD => {}
            _ => {
                if let Some(c) = char::from_u32(u32::from(unit)).filter(|c| *c == '\t' || !c.is_control()) {
                    self.push(c);
                }
            }
        }
        self.pending_high_surrogate = None;
    }

    fn paragraph_end(&mut self) {
        let Some(place) = self.text_place() else { return };
        let in_cell = self.paragraph_in_table;
        let out = self.out(place);
        if in_cell {
            if !out.is_empty() && !out.ends_with([' ', '\t', '\n']) {
                out.push(' ');
            }
        } else {
            out.push('\n');
        }
    }

    fn cell_end(&mut self) {
        let Some(place) = self.text_place() else { return };
        let out = self.out(place);
        let kept = out.trim_end_matches(' ').len();
        out.truncate(kept);
        out.push('\t');
    }

    fn row_end(&mut self) {
        let Some(place) = self.text_place() else { return };
        let out = self.out(place);
        if out.ends_with('\t') {
            out.pop();
        }
        out.push('\n');
    }

    /// A new page in the body (none for an empty page); a line end in headers and notes.
    fn page_break(&mut self) {
        let Some(place) = self.text_place() else { return };
        if place != Place::Body {
            self.push_str(place, "\n");
        } else if !self.page.trim().is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
    }

    fn finish(mut self, ended: bool) -> Result<Parsed, ExtractError> {
        self.flush_bytes();
        let mut notes = Vec::new();
        if !ended {
            notes.push(format!(
                "the RTF ends before {} of its groups are closed (truncated?); the text up to there is read",
                self.groups.len().max(1)
            ));
        }
        if !self.page.trim().is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
        let top = distinct_stories(&self.top);
        let bottom = distinct_stories(&self.bottom);
        Ok(Parsed {
            pages: assemble(self.pages, &top, &bottom),
            // The one note is of a truncated file.
            incomplete: !notes.is_empty(),
            notes,
            ..Parsed::default()
        })
    }
}

/// Destinations whose text is never document text. (Word's own list, less the ones we read.)
const SKIPPED_DESTINATIONS: &[&str] = &[
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "nonshppict",
    "objdata",
    "objclass",
    "objname",
    "fldinst",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "rsidtbl",
    "generator",
    "listtable",
    "listoverridetable",
    "xmlnstbl",
    "mmathPr",
    "filetbl",
    "revtbl",
    "pgdsctbl",
    "annotation",
    "atnid",
    "atnauthor",
    "sp",
    "shprslt",
    "bkmkstart",
    "bkmkend",
    "template",
    "userprops",
    "xe",
    "tc",
];

/// `{\*\name …}` groups we read although a reader may skip them: footnotes as LibreOffice
/// writes them, a shape's instructions (which hold its text box), and field results.
const KNOWN_AFTER_STAR: &[&str] = &["footnote", "shpinst", "shptxt", "fldrslt"];

fn last_story(stories: &mut Vec<String>) -> &mut String {
    if stories.is_empty() {
        stories.push(String::new());
    }
    let last = stories.len() - 1;
    &mut stories[last]
}

/// Non-empty stories, each once (Word repeats a section's header for left, right and first
/// pages), one per line.
fn distinct_stories(stories: &[String]) -> String {
    let mut seen = std::collections::HashSet::new();
    let kept: Vec<&str> = stories
        .iter()
        .map(|story| story.trim())
        .filter(|story| !story.is_empty() && seen.insert(*story))
        .collect();
    kept.join("\n")
}

/// `\fcharsetN` (a Windows character set) as an encoding; `None` for the default and symbol
/// sets, which use the document's code page.
fn encoding_for_charset(charset: i32) -> Option<&'static Encoding> {
    let code_page = match charset {
        0 => 1252,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    };
    encoding_for_code_page(code_page)
}

/// `\ansicpgN` or `\cpgN` as an encoding encoding_rs knows.
fn encoding_for_code_page(code_page: i32) -> Option<&'static Encoding> {
    let label = match code_page {
        866 => "ibm866".to_string(),
        874 => "windows-874".to_string(),
        932 => "shift_jis".to_string(),
        936 => "gbk".to_string(),
        949 => "euc-kr".to_string(),
        950 => "big5".to_string(),
        1250..=1258 => format!("windows-{code_page}"),
        10000 => "macintosh".to_string(),
        10007 => "x-mac-cyrillic".to_string(),
        20866 => "koi8-r".to_string(),
        21866 => "koi8-u".to_string(),
        28592..=28608 => format!("iso-8859-{}", code_page - 28590),
        65001 => "utf-8".to_string(),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FileStatus, Format, Limits, extract_as, extract_bytes};

    fn text(rtf: &str) -> String {
        let got = extract_bytes(rtf.as_bytes(), &Limits::without_ocr());
        assert_eq!(got.format, Format::Rtf);
        got.full_text()
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/extract")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    #[test]
    fn tokens_of_control_words_symbols_and_hex() {
        let tokens = Tokenizer {
            bytes: b"{\\rtf1\\ansicpg1251 a\\'cf\\u-1234?\\~\\par\r\nb}",
            at: 0,
            stray_binary_bytes: 0,
        };
        let all: Vec<Token<'_>> = tokens.collect();
        assert_eq!(
            all,
            vec![
                Token::GroupStart,
                Token::Word("rtf", Some(1)),
                Token::Word("ansicpg", Some(1251)),
                Token::Text(b"a"),
                Token::Byte(0xCF),
                Token::Word("u", Some(-1234)),
                Token::Text(b"?"),
                Token::Symbol(b'~'),
                Token::Word("par", None),
                Token::Text(b"b"),
                Token::GroupEnd,
            ]
        );
    }

    #[test]
    fn code_page_hex_bytes_and_unicode_escapes() {
        // \ansicpg1251 with \'xx bytes; \u with its fallback skipped (\uc1 by default, \uc2 set).
        let rtf = "{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'ee\\'f2\\'ee\\'ea\\'ee\\'eb \
                   \\u1179?\\u1201?\\u1257? {\\uc2\\u1241\\'3f\\'3f}\\par}";
        assert_eq!(text(rtf), "Протокол құө ә\n");
    }

    #[test]
    fn font_charsets_choose_the_code_page() {
        let rtf = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fcharset0 Arial;}{\\f1\\fcharset204 Arial Cyr;}\
                   {\\f2\\fcharset238 Arial CE;}{\\f3\\fcharset128 MS Mincho;}}\
                   \\f1 \\'cf\\'f0\\'e8\\f2  \\'e8\\f0  \\'e8\\f3  \\'82\\'a0\\par}";
        assert_eq!(text(rtf), "При č è あ\n");
        // \plain returns to the default font, whose charset then applies.
        let rtf = "{\\rtf1\\ansi\\deff1{\\fonttbl{\\f0\\fcharset0 Arial;}{\\f1\\fcharset204 Arial Cyr;}}\
                   \\f0 \\'e0\\plain \\'e0\\par}";
        assert_eq!(text(rtf), "àа\n");
    }

    #[test]
    fn special_characters_and_tables() {
        let rtf = "{\\rtf1 a\\tab b\\line c\\emdash d\\endash e\\bullet \\lquote f\\rquote  \
                   \\ldblquote g\\rdblquote \\~h\\-i\\_j\\{\\}\\\\\\par\
                   \\trowd\\intbl one \\cell two\\par more\\cell \\cell\\row\\pard after\\par}";
        assert_eq!(text(rtf), "a\tb\nc—d–e•‘f’ “g” hi-j{}\\\none\ttwo more\t\nafter\n");
    }

    #[test]
    fn surrogate_pairs_join() {
        assert_eq!(text("{\\rtf1 \\u-10179?\\u-8704?\\par}"), "😀\n");
    }

    #[test]
    fn skipped_destinations_and_field_results() {
        // Raw UTF-8 in the source needs \ansicpg65001 (real writers escape everything).
        let rtf = "{\\rtf1\\ansicpg65001{\\fonttbl{\\f0 Times;}}{\\colortbl;\\red0;}{\\stylesheet{\\s0 Normal;}}\
                   {\\info{\\title Заголовок}{\\author Иванов}}{\\*\\generator Writer}\
                   {\\*\\unknowndest hidden}{\\pict\\pngblip 89504e47}\
                   {\\field{\\*\\fldinst HYPERLINK \"https://egov.kz\"}{\\fldrslt портал}}\
                   {\\object\\objemb{\\*\\objdata 0105}{\\result объект}}\
                   {\\*\\annotation замечание}\\par}";
        assert_eq!(text(rtf), "порталобъект\n");
    }

    #[test]
    fn headers_footers_and_footnotes_frame_the_pages() {
        let rtf = "{\\rtf1\\ansicpg65001{\\header шапка\\par}{\\headerf шапка\\par}{\\footer подвал\\par}\
                   первая\\par\\page вторая{\\footnote сноска}\\par\\pard\\pagebb третья\\par}";
        let got = extract_bytes(rtf.as_bytes(), &Limits::without_ocr());
        let pages: Vec<&str> = got.pages.iter().map(|page| page.text.as_str()).collect();
        assert_eq!(pages, vec!["шапка\nпервая\n", "вторая\n", "третья\nподвал\nсноска\n"]);
    }

    #[test]
    fn binary_data_is_skipped_by_its_length() {
        assert_eq!(text("{\\rtf1 a{\\pict\\bin5 }{}\\}}b\\par}"), "ab\n");
        assert_eq!(text("{\\rtf1 a\\bin3 {{{b\\par}"), "ab\n");
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let rtf = format!("{{\\rtf1 {}x{}}}", "{".repeat(100_000), "}".repeat(100_000));
        let got = extract_bytes(rtf.as_bytes(), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().contains("nested deeper than 256"));
        // Just below the limit is a document.
        let rtf = format!("{{\\rtf1 {}x{}}}", "{".repeat(200), "}".repeat(200));
        assert_eq!(text(&rtf), "x");
    }

    #[test]
    fn truncated_rtf_keeps_its_text_with_a_note() {
        let got = extract_bytes(b"{\\rtf1\\ansi {\\b Akt\\par} vvoda", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(got.full_text(), "Akt\n vvoda");
        assert!(got.reason.unwrap().contains("truncated"));
        assert!(got.incomplete);
    }

    #[test]
    fn garbage_after_the_signature_is_corrupt_or_no_text() {
        let mut garbage = b"{\\rtf1 ".to_vec();
        // Bytes of a hash, without the braces and backslashes that would make it RTF of a kind.
        garbage.extend(
            (0u32..4000)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .filter(|b| !matches!(b, b'{' | b'}' | b'\\')),
        );
        let got = extract_as(&garbage, Format::Rtf, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        let got = extract_bytes(b"{\\rtf1{\\fonttbl{\\f0 Arial;}}}", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::NoText);
        let got = extract_as(b"plain words", Format::Rtf, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
    }

    /// Made by LibreOffice from `kazakh_russian_word.fodt` (see the README there).
    #[test]
    fn libreoffice_rtf_reads_with_kazakh_letters_header_footer_table_and_field() {
        let got = extract_bytes(&fixture("kazakh_russian.rtf"), &Limits::without_ocr());
        assert_eq!(got.format, Format::Rtf);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        let pages: Vec<&str> = got.pages.iter().map(|page| page.text.as_str()).collect();
        assert_eq!(
            pages,
            vec![
                "Қазақстан Республикасы Цифрлық даму министрлігі\n\
                 АКТ ввода в промышленную эксплуатацию\n\
                 өнеркәсіптік пайдалануға енгізу туралы акт\n\
                 Әліпби: ә ғ қ ң ө ұ ү һ і — Ә Ғ Қ Ң Ө Ұ Ү Һ І\n\
                 Система «Е-лицензирование», № 45 от 15.03.2024, автоматизированная.\n\
                 Наименование\tАтауы\tИтог\n\
                 Информационная система\t\tсоответствует\n\
                 Сайт: портал электронного правительства.\n",
                "Вторая страница: протокол испытаний завершён.\n\
                 Страница 2 из документа\n\
                 Сноска: приказ № 29 о вводе.\n",
            ]
        );
    }

    /// Written by hand the way Word 2003 and Delphi's TRichEdit write Russian: `\ansicpg1251`,
    /// `\fcharset204` fonts and `\'xx` bytes, no `\u`.
    #[test]
    fn hand_written_cp1251_rtf() {
        let got = extract_bytes(&fixture("cp1251_hand.rtf"), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(
            got.full_text(),
            "ПРОТОКОЛ ИСПЫТАНИЙ № 12\n\
             Информационная система «Е-Өтініш» прошла испытания.\n\
             Қорытынды: сәйкес келеді.\n"
        );
    }

    /// Word 2003's shape of a file: a picture, a data store, a theme and a list table to skip.
    #[test]
    fn word2003_like_rtf_skips_pictures_and_data_stores() {
        let got = extract_bytes(&fixture("word2003_like.rtf"), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(
            got.full_text(),
            "Министерство цифрового развития\n\
             1.\tАКТ ввода в промышленную эксплуатацию\n\
             Система: «Электронное правительство»\n\
             Страница 1\n"
        );
    }
}
