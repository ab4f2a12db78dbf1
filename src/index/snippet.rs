//! Snippets: the best short window of a page around the words the query matched, in the page's
//! own spelling and case, with the matched words marked.
//!
//! Tantivy's snippet generator highlights one field's terms only; a hit may have matched through
//! the exact, the Russian or the Kazakh analysis (or a prefix or a typo), so each analysis is run
//! over the stored text and a word counts as matched when any of them matched it.

use std::collections::{BTreeMap, HashSet};

use tantivy::Index;

use super::query::Matchers;
use super::{EXACT, KAZAKH, RUSSIAN};

const WINDOW_CHARS: usize = 220;
const LEAD_CHARS: usize = 60;

/// A snippet: text with highlighted byte ranges.
pub(crate) struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Byte ranges of matched words in `text`, with the matched exact form of each.
fn matched_words(index: &Index, text: &str, matchers: &Matchers) -> BTreeMap<usize, (usize, String)> {
    let mut matched = BTreeMap::new();
    for (analyzer, terms, exact_field) in [
        (EXACT, &matchers.exact, true),
        (RUSSIAN, &matchers.russian, false),
        (KAZAKH, &matchers.kazakh, false),
    ] {
        let Some(mut analyzer) = index.tokenizers().get(analyzer) else {
            continue;
        };
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            let hit = terms.contains(&token.text)
                || (exact_field
                    && (matchers.prefixes.iter().any(|p| token.text.starts_with(p.as_str()))
                        || matchers.fuzzy.iter().any(|f| within_one_edit(f, &token.text))));
            if hit {
                matched.insert(token.offset_from, (token.offset_to, token.text.clone()));
            }
        }
    }
    matched
}

/// Levenshtein distance ≤ 1 (with a swap of neighbours counting as one), on letters.
fn within_one_edit(a: &str, b: &str) -> bool {
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
    use super::within_one_edit;

    #[test]
    fn one_edit_is_a_typo_two_are_not() {
        assert!(within_one_edit("промышленной", "промышленой"));
        assert!(within_one_edit("промышленной", "прмоышленной"));
        assert!(within_one_edit("эксплуатации", "эксплуатацим"));
        assert!(!within_one_edit("эксплуатации", "эксплуатация!!"));
        assert!(!within_one_edit("протокол", "пртакол"));
    }
}
