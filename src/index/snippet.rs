//! Snippets: the best short window of a page around the words the query matched, in the page's
//! own spelling and case, with the matched words marked.
//!
//! Tantivy's snippet generator highlights one field's terms only; a hit may have matched through
//! the exact, the Russian or the Kazakh analysis (or a prefix or a typo), so each analysis is run
//! over the stored text and a word counts as matched when any of them matched it.

use std::collections::{BTreeMap, HashSet};

use tantivy::Index;
use tantivy::tokenizer::TextAnalyzer;

use super::query::Matchers;
use super::{KAZAKH, RUSSIAN};

const WINDOW_CHARS: usize = 220;
const LEAD_CHARS: usize = 60;

/// A snippet: text with highlighted byte ranges.
pub(crate) struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Byte ranges of matched words in `text`, with the matched form of each (the stem when a stem
/// matched, so two forms of one word count once).
///
/// Running the three analyses over every hit's whole page cost most of a search, so the page is
/// cut into words here, the way the analyses cut it (runs of letters and digits, lower-cased,
/// ё as е), and a word goes through a stemmer only when it could stem to a query term: stemmers
/// only cut endings, and the Kazakh one at most rewrites the stem's last letter (a voiced final
/// written voiceless), so such a word starts with a query stem less its last letter.
fn matched_words(index: &Index, text: &str, matchers: &Matchers) -> BTreeMap<usize, (usize, String)> {
    let mut matched = BTreeMap::new();
    let mut stemmers: Vec<(TextAnalyzer, &HashSet<String>)> =
        [(RUSSIAN, &matchers.russian), (KAZAKH, &matchers.kazakh)]
            .into_iter()
            .filter(|(_, terms)| !terms.is_empty())
            .filter_map(|(name, terms)| Some((index.tokenizers().get(name)?, terms)))
            .collect();
    let stem_heads: Vec<&str> = stemmers
        .iter()
        .flat_map(|(_, terms)| terms.iter())
        .map(|term| term.char_indices().next_back().map_or("", |(last, _)| &term[..last]))
        .collect();
    let mut stem_of = |word: &str| {
        stemmers.iter_mut().find_map(|(stemmer, terms)| {
            let mut stream = stemmer.token_stream(word);
            let mut found = None;
            while stream.advance() {
                if terms.contains(&stream.token().text) {
                    found = Some(stream.token().text.clone());
                }
            }
            found
        })
    };
    // One buffer for every word's lowered form: a page has thousands of words and few match.
    let mut lowered = String::new();
    for (start, end) in words(text) {
        let word = &text[start..end];
        if word.len() >= MAX_TOKEN_BYTES {
            continue;
        }
        lower_and_fold_into(word, &mut lowered);
        let stem = if stem_heads.iter().any(|head| lowered.starts_with(head)) {
            stem_of(word)
        } else {
            None
        };
        let exact_hit = matchers.exact.contains(&lowered)
            || matchers.prefixes.iter().any(|p| lowered.starts_with(p.as_str()))
            || matchers.fuzzy.iter().any(|f| within_one_edit(f, &lowered));
        if let Some(form) = stem.or_else(|| exact_hit.then(|| lowered.clone())) {
            matched.insert(start, (end, form));
        }
    }
    matched
}

#[cfg(test)]
fn lower_and_fold(word: &str) -> String {
    let mut lowered = String::new();
    lower_and_fold_into(word, &mut lowered);
    lowered
}

/// `word` as the analyses index it, lower-cased, ё as е, into `lowered` (cleared first).
fn lower_and_fold_into(word: &str, lowered: &mut String) {
    lowered.clear();
    for c in word.chars() {
        match c {
            // The common letters without a trip through Unicode's case tables.
            'A'..='Z' | 'А'..='Я' => lowered.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
            'a'..='z' | 'а'..='я' => lowered.push(c),
            'ё' | 'Ё' => lowered.push('е'),
            _ => lowered.extend(c.to_lowercase()),
        }
    }
}

/// The analyses drop longer tokens (`RemoveLongFilter`), so such a word never matched.
const MAX_TOKEN_BYTES: usize = super::MAX_TOKEN_BYTES;

/// Byte ranges of the runs of letters and digits in `text`, as tantivy's `SimpleTokenizer` cuts.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    // Basic Cyrillic letters are all alphanumeric; asking Unicode's tables for each was slow.
    let is_word =
        |c: char| c.is_ascii_alphanumeric() || ('А'..='я').contains(&c) || (!c.is_ascii() && c.is_alphanumeric());
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (is_word(c), start) {
            (true, None) => {
                start = Some(at);
                None
            }
            (false, Some(from)) => {
                start = None;
                Some((from, at))
            }
            _ => None,
        })
}

/// Levenshtein distance ≤ 1 (with a swap of neighbours counting as one), on letters.
fn within_one_edit(a: &str, b: &str) -> bool {
    // One edit changes the length by at most one character of at most four bytes.
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) | (1, 0) | (0, 1) => true,
        _ if ra.len() == rb.len() => {
            ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        _ if ra.len() > rb.len() => ra[1..] == *rb,
        _ => *ra == rb[1..],
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Byte length of `chars` characters starting at `from` (at most to the end).
fn byte_len_of_chars(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len() - from)
}

/// Byte ranges of every word of `text` the query matched, in order: the whole text marked, as a
/// document page shows it, with the same matching as snippets.
pub(crate) fn highlights(index: &Index, text: &str, matchers: &Matchers) -> Vec<(usize, usize)> {
    matched_words(index, text, matchers)
        .into_iter()
        .map(|(start, (end, _))| (start, end))
        .collect()
}

pub(crate) fn make(index: &Index, text: &str, matchers: &Matchers) -> Snippet {
    let matched = matched_words(index, text, matchers);
    // The window holding the most different matched words wins; earlier wins a tie.
    let mut best: Option<(usize, usize)> = None;
    for &start in matched.keys() {
        let end = start + byte_len_of_chars(text, start, WINDOW_CHARS - LEAD_CHARS);
        let distinct: HashSet<&str> = matched.range(start..end).map(|(_, (_, w))| w.as_str()).collect();
        if best.is_none_or(|(_, n)| distinct.len() > n) {
            best = Some((start, distinct.len()));
        }
    }
    let first = best.map(|(start, _)| start).unwrap_or(0);
    // Start a little before the first match, at a word boundary.
    let lead_start = text[..first]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let start = if lead_start == 0 {
        0
    } else {
        text[lead_start..first]
            .find(char::is_whitespace)
            .map(|i| lead_start + i + 1)
            .unwrap_or(first)
    };
    let start = ceil_boundary(text, start);
    let mut end = start + byte_len_of_chars(text, start, WINDOW_CHARS);
    if end < text.len() {
        end = text[start..end]
            .rfind(char::is_whitespace)
            .map(|i| start + i)
            .unwrap_or(end);
    }
    let end = floor_boundary(text, end.max(start));

    let mut out = Snippet {
        text: String::new(),
        highlights: Vec::new(),
    };
    let push_plain = |out: &mut Snippet, s: &str| {
        for c in s.chars() {
            let space = c.is_whitespace();
            if space && (out.text.is_empty() || out.text.ends_with(' ')) {
                continue;
            }
            out.text.push(if space { ' ' } else { c });
        }
    };
    let mut at = start;
    for (&from, (to, _)) in matched.range(start..end) {
        if from < at || *to > end {
            continue;
        }
        push_plain(&mut out, &text[at..from]);
        let begin = out.text.len();
        out.text.push_str(&text[from..*to]);
        out.highlights.push((begin, out.text.len()));
        at = *to;
    }
    push_plain(&mut out, &text[at..end]);
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    out
}

#[cfg(test)]
mod tests {
    use super::{lower_and_fold, within_one_edit, words};
    use crate::index::{DocIndex, EXACT};

    #[test]
    fn words_are_cut_and_folded_as_the_exact_analysis_indexes_them() {
        let text = "АКТ №14-ПЭ: Объём «Е-лицензирование»; ҚАЗАҚСТАН Ақпараттық жүйесі, İstanbul x_y \
                    Straße 2026ж. ЁЛКА ÉTÉ ＡＢＣ 1,5 "
            .to_string()
            + &"д".repeat(31);
        let index = DocIndex::in_memory().unwrap();
        let mut exact = index.searcher_parts().0.tokenizers().get(EXACT).unwrap();
        let mut stream = exact.token_stream(&text);
        let mut expected = Vec::new();
        while stream.advance() {
            let token = stream.token();
            expected.push((token.offset_from, token.offset_to, token.text.clone()));
        }
        let ours: Vec<_> = words(&text)
            .filter(|(start, end)| end - start < super::MAX_TOKEN_BYTES)
            .map(|(start, end)| (start, end, lower_and_fold(&text[start..end])))
            .collect();
        assert_eq!(ours, expected);
    }

    #[test]
    fn one_edit_is_a_typo_two_are_not() {
        assert!(within_one_edit("промышленной", "промышленой"));
        assert!(within_one_edit("промышленной", "прмоышленной"));
        assert!(within_one_edit("эксплуатации", "эксплуатацим"));
        assert!(!within_one_edit("эксплуатации", "эксплуатация!!"));
        assert!(!within_one_edit("протокол", "пртакол"));
    }
}
