//! The normalised text that recognition patterns run on, with a map back to pages.
//!
//! Normalisation keeps letter case (snippets stay readable; patterns are case-insensitive) and
//! every Kazakh letter; it reads "ё" as "е", drops soft hyphens, joins a word hyphenated across a
//! line break, and collapses whitespace. Byte offsets into the result map back to pages.

use std::collections::HashSet;

use crate::extract::Page;
use crate::extract::quality::push_lowercase;

/// One document's text, normalised, with the byte offset where each page starts.
#[derive(Debug, Clone, Default)]
pub struct NormalizedDoc {
    pub text: String,
    /// Where each page starts, its number, and whether OCR read it.
    page_starts: Vec<(usize, u32, bool)>,
    /// The words OCR was not sure of on any page, squashed ([`squash`]).
    doubted: HashSet<String>,
}

impl NormalizedDoc {
    pub fn new(pages: &[Page]) -> NormalizedDoc {
        let mut doc = NormalizedDoc::default();
        for page in pages {
            let normalized = normalize(&page.text);
            if normalized.is_empty() {
                continue;
            }
            if !doc.text.is_empty() {
                doc.text.push(' ');
            }
            doc.page_starts.push((doc.text.len(), page.number, page.ocr));
            doc.text.push_str(&normalized);
            for word in &page.doubtful_words {
                doc.doubted.extend(squash(word).split(' ').map(str::to_string));
            }
        }
        doc
    }

    /// Whether OCR was unsure of `word` (squashed) somewhere in the document. Where does not
    /// count: a word doubted once is doubtful wherever it appears.
    pub fn doubted(&self, word: &str) -> bool {
        self.doubted.contains(word)
    }

    /// The page holding byte `offset` (1 when the document has no pages).
    pub fn page_at(&self, offset: usize) -> u32 {
        self.page_at_offset(offset).map_or(1, |(_, page, _)| *page)
    }

    /// Whether the page holding byte `offset` was read by OCR.
    pub fn read_by_ocr(&self, offset: usize) -> bool {
        self.page_at_offset(offset).is_some_and(|(_, _, ocr)| *ocr)
    }

    fn page_at_offset(&self, offset: usize) -> Option<&(usize, u32, bool)> {
        self.page_starts
            .iter()
            .take_while(|(start, ..)| *start <= offset)
            .last()
    }

    /// The start of the text, `chars` characters long at most.
    pub fn head(&self, chars: usize) -> &str {
        let end = self
            .text
            .char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len());
        &self.text[..end]
    }

    /// Where each page after the first starts, as byte offsets.
    pub fn later_page_starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.page_starts.iter().skip(1).map(|(start, ..)| *start)
    }

    /// A short excerpt around `start..end`, cut at word boundaries.
    pub fn snippet(&self, start: usize, end: usize) -> String {
        snippet(&self.text, start, end)
    }
}

/// Up to ~60 characters of context either side of `start..end`, trimmed to whole words.
pub fn snippet(text: &str, start: usize, end: usize) -> String {
    const CONTEXT: usize = 60;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (floor(start.min(text.len())), floor(end.min(text.len())));
    let from = floor(start.saturating_sub(CONTEXT));
    let to = floor((end + CONTEXT).min(text.len()));
    let from = if from == 0 {
        0
    } else {
        text[from..start].find(' ').map(|i| from + i + 1).unwrap_or(from)
    };
    let to = if to == text.len() {
        to
    } else {
        text[end..to].rfind(' ').map(|i| end + i).unwrap_or(to)
    };
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

/// `text` with the stray marks OCR leaves between words made spaces: a colon, semicolon, comma
/// or point glued to a lower-case letter and followed by a space and another lower-case letter,
/// as a speck reads ("ввода в: промышленную эксплуатацию"). Each mark is one byte and so is the
/// space, so offsets into the result are offsets into `text`. `None` when there are none.
pub(crate) fn without_stray_marks(text: &str) -> Option<String> {
    let mut out: Option<String> = None;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let stray = matches!(c, ':' | ';' | ',' | '.')
            && previous.is_some_and(char::is_lowercase)
            && text[at + 1..]
                .strip_prefix(' ')
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_lowercase);
        if stray {
            out.get_or_insert_with(|| text.to_string())
                .replace_range(at..at + 1, " ");
        }
        previous = Some(c);
    }
    out
}

/// The byte offset `chars` characters after byte `at` (or the end). Lengths in the rules count
/// characters: Cyrillic takes two bytes a letter, Latin one.
pub(crate) fn chars_after(text: &str, at: usize, chars: usize) -> usize {
    text[at..].char_indices().nth(chars).map_or(text.len(), |(i, _)| at + i)
}

/// The byte offset `chars` characters before byte `at` (or 0).
pub(crate) fn chars_before(text: &str, at: usize, chars: usize) -> usize {
    if chars == 0 {
        return at;
    }
    text[..at].char_indices().rev().nth(chars - 1).map_or(0, |(i, _)| i)
}

/// How many characters lie between two byte offsets.
pub(crate) fn chars_between(text: &str, from: usize, to: usize) -> usize {
    text.get(from..to).map_or(0, |between| between.chars().count())
}

pub fn normalize(text: &str) -> String {
    normalize_up_to(text, usize::MAX)
}

/// The start of `normalize(text)`, at least `chars` characters of it (all of it when shorter),
/// without normalising the rest: what looks only at a page's head needs no more.
pub(crate) fn normalize_head(text: &str, chars: usize) -> String {
    // A character takes at most four bytes, so this many bytes hold at least `chars` of them.
    normalize_up_to(text, chars.saturating_mul(4))
}

/// `normalize(text)` cut once it is at least `min_bytes` long: a prefix of the whole, because
/// each step reads ahead in `text` as far as it needs whatever the limit.
///
/// Runs of bytes that no rule touches are copied whole; characters go one by one only from a
/// byte that may start a whitespace character, a hyphen, a soft hyphen or "ё" (this was 5 % of
/// a text-only run when every character went one by one).
fn normalize_up_to(text: &str, min_bytes: usize) -> String {
    let mut out = String::with_capacity(text.len().min(min_bytes));
    let mut pending_space = false;
    let mut rest = text;
    while out.len() < min_bytes {
        let plain = untouched_prefix(rest.as_bytes());
        let (c, after) = if plain > 0 {
            (None, plain)
        } else {
            match rest.chars().next() {
                Some(c) => (Some(c), c.len_utf8()),
                None => break,
            }
        };
        let kept = match c {
            None => Some(&rest[..plain]),
            Some('\u{00AD}') => None,
            Some('-' | '\u{2010}') if let Some(skip) = hyphenated_line_break(&rest[after..]) => {
                rest = &rest[after + skip..];
                continue;
            }
            Some(c) if c.is_whitespace() => {
                pending_space = true;
                None
            }
            Some('ё') => Some("е"),
            Some('Ё') => Some("Е"),
            Some(_) => Some(&rest[..after]),
        };
        if let Some(kept) = kept {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(kept);
        }
        rest = &rest[after..];
    }
    out
}

/// How many bytes at the start of `bytes` no rule of [`normalize`] touches. It stops at the
/// start of a character (ASCII or a UTF-8 lead byte): ASCII whitespace, but a single space
/// inside the run; "-"; 0xC2 (soft hyphen, no-break space, U+0085); 0xE1-0xE3 (the other
/// Unicode spaces, U+2010); "ё" and "Ё".
fn untouched_prefix(bytes: &[u8]) -> usize {
    // Whether a byte may start a whitespace character: a space before it is not a lone one.
    let may_start_whitespace = |b: u8| matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            // Cyrillic, two bytes a letter: "Ё" is D0 81, "ё" D1 91.
            0xD0 | 0xD1 => match bytes.get(i + 1) {
                Some(0x81) if b == 0xD0 => return i,
                Some(0x91) if b == 0xD1 => return i,
                _ => i += 2,
            },
            b' ' if i > 0 && bytes.get(i + 1).is_some_and(|&next| !may_start_whitespace(next)) => i += 1,
            b'-' => return i,
            _ if may_start_whitespace(b) => return i,
            _ => i += 1,
        }
    }
    i.min(bytes.len())
}

/// After a hyphen: if only spaces, one line break and a lower-case letter follow, the bytes of
/// the whitespace to drop for a word broken across lines ("инфор-\nмации" -> "информации").
/// Reads at most eight characters ahead.
fn hyphenated_line_break(after: &str) -> Option<usize> {
    let mut ahead = after.char_indices().take(8).peekable();
    let skip_blanks = |ahead: &mut std::iter::Peekable<_>| {
        while ahead.next_if(|&(_, c): &(usize, char)| c == ' ' || c == '\t').is_some() {}
    };
    skip_blanks(&mut ahead);
    ahead.next_if(|&(_, c)| c == '\r');
    ahead.next_if(|&(_, c)| c == '\n')?;
    skip_blanks(&mut ahead);
    match ahead.next() {
        Some((at, next)) if next.is_lowercase() => Some(at),
        _ => None,
    }
}

/// Lower case, letters and digits only, single spaces: for comparing names whatever their quotes,
/// punctuation or line breaks.
pub fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            out.push(if c == 'ё' { 'е' } else { c });
        }
    }
    out
}

/// `text.to_lowercase()` if it keeps the text's byte length, so that an offset into one is an
/// offset into the other; `None` otherwise (rare letters). Latin and the Russian capitals are
/// lowered without the Unicode tables (`push_lowercase`): lower-casing whole documents through
/// them was 2 % of a text-only run.
pub(super) fn lowercase_keeping_offsets(text: &str) -> Option<String> {
    // A final sigma depends on its neighbours: only `str::to_lowercase` knows them.
    if text.contains('Σ') {
        return Some(text.to_lowercase()).filter(|lower| lower.len() == text.len());
    }
    let mut lower = String::with_capacity(text.len());
    for c in text.chars() {
        push_lowercase(&mut lower, c);
    }
    (lower.len() == text.len()).then_some(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, text: &str) -> Page {
        Page {
            number,
            name: None,
            text: text.to_string(),
            ocr: false,
            doubtful_words: Vec::new(),
        }
    }

    #[test]
    fn stray_marks_between_words_become_spaces_in_place() {
        let text = "АКТ ввода в: промышленную; эксплуатацию, информационной. системы";
        let cleaned = without_stray_marks(text).unwrap();
        assert_eq!(
            cleaned,
            "АКТ ввода в  промышленную  эксплуатацию  информационной  системы"
        );
        assert_eq!(cleaned.len(), text.len());
        // A mark after a capital, before a capital or a number, or not followed by a space stays.
        for text in [
            "РЕШЕНИЕ: ввести",
            "г. Астана",
            "с 01.02.2024 по 15.03.2024",
            "от 12.05.2025: ввести",
            "ИС-658 и т.д.",
            "",
        ] {
            assert_eq!(without_stray_marks(text), None, "{text}");
        }
    }

    #[test]
    fn joins_hyphenated_words_and_collapses_whitespace() {
        assert_eq!(
            normalize("инфор-\nмационной   системы\n\n«Е-лицензирование»"),
            "информационной системы «Е-лицензирование»"
        );
        assert_eq!(normalize("Объём\u{00AD}ный"), "Объемный");
        // A hyphen before a capital letter on the next line is a real hyphen or a dash.
        assert_eq!(normalize("АКТ -\nПротокол"), "АКТ - Протокол");
    }

    #[test]
    fn keeps_kazakh_letters() {
        assert_eq!(
            normalize("өнеркәсіптік  пайдалануға\nенгізу"),
            "өнеркәсіптік пайдалануға енгізу"
        );
        assert_eq!(
            squash("«Электрондық өтініштер» ақпараттық жүйесі"),
            "электрондық өтініштер ақпараттық жүйесі"
        );
    }

    /// What `normalize` did one character at a time before it copied untouched runs whole.
    fn normalize_char_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        let mut pending_space = false;
        while let Some(c) = chars.next() {
            match c {
                '\u{00AD}' => {}
                '-' | '\u{2010}' => {
                    let ahead: Vec<char> = chars.clone().take(8).collect();
                    let mut i = 0;
                    while ahead.get(i).is_some_and(|&c| c == ' ' || c == '\t') {
                        i += 1;
                    }
                    if ahead.get(i) == Some(&'\r') {
                        i += 1;
                    }
                    let broken = ahead.get(i) == Some(&'\n') && {
                        i += 1;
                        while ahead.get(i).is_some_and(|&c| c == ' ' || c == '\t') {
                            i += 1;
                        }
                        ahead.get(i).is_some_and(|c| c.is_lowercase())
                    };
                    if broken {
                        for _ in 0..i {
                            chars.next();
                        }
                    } else {
                        if pending_space && !out.is_empty() {
                            out.push(' ');
                        }
                        pending_space = false;
                        out.push(c);
                    }
                }
                c if c.is_whitespace() => pending_space = true,
                c => {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(match c {
                        'ё' => 'е',
                        'Ё' => 'Е',
                        other => other,
                    });
                }
            }
        }
        out
    }

    #[test]
    fn normalize_agrees_with_the_character_by_character_reading() {
        const PIECES: [&str; 24] = [
            "-",
            "\u{2010}",
            "\n",
            "\r\n",
            " ",
            "\t",
            "\u{00A0}",
            "\u{00AD}",
            "ё",
            "Ё",
            "а",
            "Б",
            "x",
            "\u{2003}",
            "\u{3000}",
            "\u{1680}",
            "\u{0085}",
            "«",
            "—",
            "әі",
            "\u{2028}",
            "€",
            "\u{1F600}",
            "р",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound
        };
        for _ in 0..20_000 {
            let text: String = (0..next(30)).map(|_| PIECES[next(PIECES.len())]).collect();
            let whole = normalize(&text);
            assert_eq!(whole, normalize_char_by_char(&text), "{text:?}");
            let chars = next(12);
            let head = normalize_head(&text, chars);
            assert!(whole.starts_with(&head), "{text:?}");
            assert!(head.chars().count() >= chars.min(whole.chars().count()), "{text:?}");
        }
    }

    #[test]
    fn maps_offsets_back_to_pages() {
        let doc = NormalizedDoc::new(&[page(1, "первая"), page(2, ""), page(3, "третья страница")]);
        assert_eq!(doc.text, "первая третья страница");
        assert_eq!(doc.page_at(0), 1);
        assert_eq!(doc.page_at(doc.text.find("третья").unwrap()), 3);
    }

    #[test]
    fn snippets_cut_at_words() {
        let text = "слово ".repeat(40);
        let s = snippet(&text, 120, 130);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.chars().count() < 150);
    }

    #[test]
    fn fast_lowercase_is_std_lowercase() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let text = format!("Ab{c}Яё");
            let std = text.to_lowercase();
            let expected = (std.len() == text.len()).then_some(std);
            assert_eq!(lowercase_keeping_offsets(&text), expected, "U+{:04X}", c as u32);
        }
        for text in ["ΣΑΣ ΟΔΟΣ", "АКТ ВВОДА «Е-ОБРАЩЕНИЯ»", "ӘҒҚҢӨҰҮҺІ", "İstanbul"]
        {
            let std = text.to_lowercase();
            assert_eq!(
                lowercase_keeping_offsets(text),
                (std.len() == text.len()).then_some(std),
                "{text}"
            );
        }
    }
}
