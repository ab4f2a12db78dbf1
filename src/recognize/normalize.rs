//! The normalised text that recognition patterns run on, with a map back to pages.
//!
//! Normalisation keeps letter case (snippets stay readable; patterns are case-insensitive) and
//! every Kazakh letter; it reads "ё" as "е", drops soft hyphens, joins a word hyphenated across a
//! line break, and collapses whitespace. Byte offsets into the result map back to pages.

use crate::extract::Page;
use crate::extract::quality::push_lowercase;

/// One document's text, normalised, with the byte offset where each page starts.
#[derive(Debug, Clone, Default)]
pub struct NormalizedDoc {
    pub text: String,
    page_starts: Vec<(usize, u32)>,
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
            doc.page_starts.push((doc.text.len(), page.number));
            doc.text.push_str(&normalized);
        }
        doc
    }

    /// The page holding byte `offset` (1 when the document has no pages).
    pub fn page_at(&self, offset: usize) -> u32 {
        self.page_starts
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .map(|(_, page)| *page)
            .unwrap_or(1)
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
        self.page_starts.iter().skip(1).map(|(start, _)| *start)
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
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\u{00AD}' => {}
            '-' | '\u{2010}' if hyphenated_line_break(&mut chars) => {}
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

/// After a hyphen: if only spaces, one line break and a lower-case letter follow, consume the
/// whitespace and report a word broken across lines ("инфор-\nмации" -> "информации").
fn hyphenated_line_break(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let lookahead: Vec<char> = chars.clone().take(8).collect();
    let mut i = 0;
    while i < lookahead.len() && (lookahead[i] == ' ' || lookahead[i] == '\t') {
        i += 1;
    }
    if lookahead.get(i) == Some(&'\r') {
        i += 1;
    }
    if lookahead.get(i) != Some(&'\n') {
        return false;
    }
    i += 1;
    while i < lookahead.len() && (lookahead[i] == ' ' || lookahead[i] == '\t') {
        i += 1;
    }
    match lookahead.get(i) {
        Some(next) if next.is_lowercase() => {
            for _ in 0..i {
                chars.next();
            }
            true
        }
        _ => false,
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
