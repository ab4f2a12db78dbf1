//! Cutting text into words for all three analyses, in one pass: what Tantivy's `SimpleTokenizer`,
//! `RemoveLongFilter` and `LowerCaser` and our ё folding do one after another, with the Cyrillic
//! block looked up in tables. Each thread keeps the words of the last two texts it cut, so the
//! three fields of a page (one text, three analyses) are cut once and handed back twice.
//!
//! Why not Tantivy's chain: every page goes through it three times (once per field), and for a
//! Cyrillic letter `char::is_alphanumeric` and `char::to_lowercase` fall back to Unicode's general
//! tables. The two were a fifth of a text-only run's CPU (`perf`, 1 000 files, 2026-12-03). The
//! tables here are filled from those same two functions, every other character goes to them
//! directly, and a test compares the two chains character by character up to U+FFFF, so the words
//! are the same ones: an index built before this reads the same.

use std::cell::RefCell;
use std::str::CharIndices;
use std::sync::{Arc, OnceLock};

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::analysis::MAX_TOKEN_BYTES;

/// The Cyrillic block, U+0400 to U+04FF: Russian and every Kazakh letter.
const CYRILLIC_START: u32 = 0x400;
const CYRILLIC_LEN: usize = 0x100;

/// What `char::is_alphanumeric` and `char::to_lowercase` say of the Cyrillic block.
struct Cyrillic {
    is_word: [bool; CYRILLIC_LEN],
    /// The lower case, when it is one character (it is, throughout the block); else `None`.
    lower: [Option<char>; CYRILLIC_LEN],
}

fn cyrillic() -> &'static Cyrillic {
    static TABLES: OnceLock<Cyrillic> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut tables = Cyrillic {
            is_word: [false; CYRILLIC_LEN],
            lower: [None; CYRILLIC_LEN],
        };
        for (i, code) in (CYRILLIC_START..).take(CYRILLIC_LEN).enumerate() {
            if let Some(c) = char::from_u32(code) {
                tables.is_word[i] = c.is_alphanumeric();
                let mut lower = c.to_lowercase();
                tables.lower[i] = match (lower.next(), lower.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                };
            }
        }
        tables
    })
}

fn in_block(c: char) -> Option<usize> {
    let offset = (c as u32).wrapping_sub(CYRILLIC_START) as usize;
    (offset < CYRILLIC_LEN).then_some(offset)
}

/// `char::is_alphanumeric`: what `SimpleTokenizer` takes a word to be made of.
fn is_word(c: char, tables: &Cyrillic) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if let Some(i) = in_block(c) {
        tables.is_word[i]
    } else {
        c.is_alphanumeric()
    }
}

/// Pushes `c` in lower case, ё written е.
fn push_folded(c: char, out: &mut String, tables: &Cyrillic) {
    let fold = |c: char| match c {
        'ё' => 'е',
        'Ё' => 'Е',
        other => other,
    };
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(lower) = in_block(c).and_then(|i| tables.lower[i]) {
        out.push(fold(lower));
    } else {
        out.extend(c.to_lowercase().map(fold));
    }
}

/// The words of a text: runs of letters and digits, lower case, ё written е; a run of
/// [`MAX_TOKEN_BYTES`] bytes or more is skipped but keeps its position, as Tantivy's filter does.
#[derive(Clone, Default)]
pub(crate) struct Words;

pub(crate) struct WordStream<'a> {
    token: Token,
    source: Source<'a>,
}

enum Source<'a> {
    /// Cutting the text, and keeping its words for the next analysis of it when it is one worth
    /// keeping.
    Cutting {
        text: &'a str,
        chars: CharIndices<'a>,
        tables: &'static Cyrillic,
        kept: Option<Cut>,
    },
    /// Handing back the words of a text this thread has just cut.
    Replaying { cut: Arc<Cut>, next: usize },
}

/// A text's words as [`WordStream`] cut them: each word's place and position, and its folded
/// spelling as a range of `folded`.
struct Cut {
    text: String,
    words: Vec<CutWord>,
    folded: String,
}

struct CutWord {
    offset_from: usize,
    offset_to: usize,
    position: usize,
    folded_end: usize,
}

/// Texts shorter than this are cut each time: keeping them would cost about what cutting does.
const MIN_KEPT_BYTES: usize = 256;
/// Nor are texts longer than this kept, so that what a thread keeps stays small.
const MAX_KEPT_BYTES: usize = 1 << 20;

thread_local! {
    /// The two texts this thread cut last (a page and its head), newest first. A page goes to
    /// Tantivy as three fields of the same text, one per analysis, and one indexing thread
    /// analyses a document's fields one after another: the second and third analyses take the
    /// words of the first instead of cutting the text again.
    static RECENT: RefCell<[Option<Arc<Cut>>; 2]> = const { RefCell::new([None, None]) };
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        let keep = (MIN_KEPT_BYTES..=MAX_KEPT_BYTES).contains(&text.len());
        let recent = keep
            .then(|| {
                RECENT.with_borrow(|recent| {
                    recent
                        .iter()
                        .flatten()
                        .find(|cut| cut.text.len() == text.len() && cut.text == text)
                        .cloned()
                })
            })
            .flatten();
        let source = match recent {
            Some(cut) => Source::Replaying { cut, next: 0 },
            None => Source::Cutting {
                text,
                chars: text.char_indices(),
                tables: cyrillic(),
                kept: keep.then(|| Cut {
                    text: text.to_string(),
                    words: Vec::new(),
                    folded: String::new(),
                }),
            },
        };
        WordStream {
            token: Token::default(),
            source,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let token = &mut self.token;
        match &mut self.source {
            Source::Replaying { cut, next } => {
                let Some(word) = cut.words.get(*next) else {
                    return false;
                };
                let folded_start = next
                    .checked_sub(1)
                    .and_then(|i| cut.words.get(i))
                    .map_or(0, |w| w.folded_end);
                *next += 1;
                token.offset_from = word.offset_from;
                token.offset_to = word.offset_to;
                token.position = word.position;
                token.text.clear();
                token.text.push_str(&cut.folded[folded_start..word.folded_end]);
                true
            }
            Source::Cutting {
                text,
                chars,
                tables,
                kept,
            } => {
                if !next_word(text, chars, tables, token) {
                    if let Some(cut) = kept.take() {
                        RECENT.with_borrow_mut(|recent| {
                            recent.rotate_right(1);
                            recent[0] = Some(Arc::new(cut));
                        });
                    }
                    return false;
                }
                if let Some(cut) = kept {
                    cut.folded.push_str(&token.text);
                    cut.words.push(CutWord {
                        offset_from: token.offset_from,
                        offset_to: token.offset_to,
                        position: token.position,
                        folded_end: cut.folded.len(),
                    });
                }
                true
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Cuts the next word of `text` into `token`; false at the end of the text.
fn next_word(text: &str, chars: &mut CharIndices<'_>, tables: &Cyrillic, token: &mut Token) -> bool {
    loop {
        token.position = token.position.wrapping_add(1);
        let Some((from, _)) = chars.by_ref().find(|&(_, c)| is_word(c, tables)) else {
            return false;
        };
        let to = chars
            .by_ref()
            .find(|&(_, c)| !is_word(c, tables))
            .map_or(text.len(), |(at, _)| at);
        if to - from >= MAX_TOKEN_BYTES {
            continue;
        }
        token.offset_from = from;
        token.offset_to = to;
        token.text.clear();
        for c in text[from..to].chars() {
            push_folded(c, &mut token.text, tables);
        }
        return true;
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

    use super::*;
    use crate::index::kazakh::{MapFilter, fold_yo};

    /// The chain `Words` stands for, as the index was built with it before.
    fn tantivy_chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(MapFilter::new(|text| {
                if text.contains('ё') {
                    *text = fold_yo(text);
                }
            }))
            .build()
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    #[test]
    fn words_are_what_tantivys_chain_makes_of_every_character() {
        let mut ours = TextAnalyzer::from(Words);
        let mut theirs = tantivy_chain();
        // Each character alone, between two letters, and doubled inside a word: as a separator
        // and as a letter, in upper and lower case.
        let every: Vec<char> = (0..=0xFFFF).filter_map(char::from_u32).collect();
        for chunk in every.chunks(512) {
            let text: String = chunk.iter().map(|c| format!("Ё{c}ж {c}{c}Ab ")).collect();
            assert_eq!(tokens(&mut ours, &text), tokens(&mut theirs, &text));
        }
        let long = "Ж".repeat(MAX_TOKEN_BYTES / 2);
        let shorter = "Ж".repeat(MAX_TOKEN_BYTES / 2 - 1);
        for text in [
            String::new(),
            " \n\t,".to_string(),
            format!("{long} ПРИЁМ {shorter}x {long}{long} ӘҒҚҢӨҰҮҺІ İstanbul ΣΑΣ 12.03.2025 №15-04/117"),
            "Объёмы объёме ЁЛКА-ёлка e-mail: info@gov.kz ІІБ-ның".to_string(),
        ] {
            let ours = tokens(&mut ours, &text);
            assert_eq!(ours, tokens(&mut theirs, &text), "{text}");
        }
        let words: Vec<String> = tokens(&mut ours, &format!("{long} ПРИЁМ {shorter}x"))
            .into_iter()
            .map(|t| format!("{}@{}", t.text, t.position))
            .collect();
        assert_eq!(words, ["прием@1".to_string(), format!("{}x@2", shorter.to_lowercase())]);
    }

    #[test]
    fn a_text_cut_again_gives_the_same_words_and_a_different_one_its_own() {
        let mut ours = TextAnalyzer::from(Words);
        let mut theirs = tantivy_chain();
        let long = "Ж".repeat(MAX_TOKEN_BYTES);
        let page = |n: usize| {
            format!("АКТ № {n} ввода в промышленную эксплуатацию {long} информационной системы «Е-лицензирование» ")
                .repeat(4)
        };
        // The same length, another word: a text is known again by what it says, not by its size.
        let changed = page(1).replacen("ввода", "вывда", 1);
        assert_eq!(changed.len(), page(1).len());
        for text in [page(1), page(1), page(1), changed, page(1), page(2), page(3), page(1)] {
            assert!(text.len() >= MIN_KEPT_BYTES);
            assert_eq!(tokens(&mut ours, &text), tokens(&mut theirs, &text), "{text}");
        }
        // A stream left before its end keeps nothing, so the next one cuts the whole text.
        let unfinished = page(4);
        let mut stream = ours.token_stream(&unfinished);
        assert!(stream.advance());
        drop(stream);
        assert_eq!(tokens(&mut ours, &unfinished), tokens(&mut theirs, &unfinished));
    }
}
