//! The three analyses of text: exact words (lower case, ё→е), Russian stems and Kazakh stems.
//!
//! Pages and queries alike go through the analyzers registered on the index ([`register`]), so a
//! query word finds exactly what the indexed text holds. A page's text is handed to Tantivy as
//! plain text for each of the three fields and analysed by its indexing threads.
//!
//! Pages were once analysed here and handed over pre-tokenised, to cut each text into words only
//! once; but Tantivy keeps a pre-tokenised value as JSON (every token with its offsets and
//! position) from `add_document` until an indexing thread parses it back. Writing and parsing that
//! JSON was about a sixth of a text-only run's CPU, and the queued JSON, some 240 KB a page, was
//! the part of peak memory that grew with the corpus (see BENCHMARKS.md, 2026-12-03). Instead,
//! each indexing thread keeps the words of the last texts it cut (`words.rs`), so a page's second
//! and third analyses take the first one's words, and the stemming is memoised per thread in the
//! stemmers themselves (`StemMemo`).

use tantivy::Index;
use tantivy::tokenizer::TextAnalyzer;

use super::words::Words;
use super::{kazakh, russian};

/// Tokens this long or longer (in bytes) are not indexed: no word is, only hashes and garbage.
pub(crate) const MAX_TOKEN_BYTES: usize = 60;
pub(crate) const RUSSIAN: &str = "ru_stem";
pub(crate) const KAZAKH: &str = "kk_stem";
pub(crate) const EXACT: &str = "exact";

/// Registers the three analyzers queries use. Called on every open: Tantivy does not persist
/// analyzers, and a missing one would make every query on the field silently match nothing.
/// All three cut words alike ([`Words`]); two then stem them.
pub(super) fn register(index: &Index) {
    let russian = TextAnalyzer::builder(Words).filter(russian::russian_stemmer()).build();
    let kazakh = TextAnalyzer::builder(Words).filter(kazakh::kazakh_stemmer()).build();
    index.tokenizers().register(RUSSIAN, russian);
    index.tokenizers().register(KAZAKH, kazakh);
    index.tokenizers().register(EXACT, TextAnalyzer::from(Words));
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Schema;

    use super::*;
    use tantivy::tokenizer::{Token, TokenStream};

    fn through_registered(index: &Index, analyzer: &str, text: &str) -> Vec<Token> {
        let mut analyzer = index.tokenizers().get(analyzer).expect("registered");
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    #[test]
    fn the_stemmed_analyses_are_the_words_stemmed_one_by_one() {
        let index = Index::create_in_ram(Schema::builder().build());
        register(&index);
        let long = "x".repeat(MAX_TOKEN_BYTES + 5);
        let texts = [
            format!(
                "ПРИЁМОЧНЫЙ акт ввода в промышленную эксплуатацию информационной системы «Е-лицензирование» \
                 от 12.03.2025 № 15-04/117; объём 1 024 ГБ, приём—передача. Ақпараттық жүйені өнеркәсіптік \
                 пайдалануға енгізу туралы актісі, сынақ хаттамасы бойынша қорытынды оң. Security test \
                 protocol v2.1 (ISO/IEC 27001) {long} ЁЛКА-ёлка Ё ё ІІБ-ның e-mail: info@gov.kz"
            ),
            String::new(),
            "   \n\t ".to_string(),
            format!("{long}{long} әғқңөұүһі ӘҒҚҢӨҰҮҺІ Объёмы объёме делаем"),
        ];
        for text in &texts {
            // Twice: the second time every stem comes from the thread's memo.
            for _ in 0..2 {
                let words = through_registered(&index, EXACT, text);
                for (analyzer, stem) in [(RUSSIAN, russian::stem as fn(&str) -> String), (KAZAKH, kazakh::stem)] {
                    let expected: Vec<Token> = words
                        .iter()
                        .map(|word| Token {
                            text: stem(&word.text),
                            ..word.clone()
                        })
                        .collect();
                    assert_eq!(
                        through_registered(&index, analyzer, text),
                        expected,
                        "{analyzer}: {text}"
                    );
                }
            }
        }
        let words: Vec<String> = through_registered(&index, EXACT, &texts[0])
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(
            words.iter().any(|w| w == "приемочный") && words.iter().any(|w| w == "объем"),
            "{words:?}"
        );
        assert!(
            words.iter().any(|w| w == "15") && words.iter().any(|w| w == "04") && words.iter().any(|w| w == "елка"),
            "{words:?}"
        );
        assert!(!words.iter().any(|w| w.len() >= MAX_TOKEN_BYTES), "{words:?}");
        let russian = through_registered(&index, RUSSIAN, &texts[0]);
        let kazakh = through_registered(&index, KAZAKH, &texts[0]);
        let stems_differ = russian.iter().zip(&kazakh).any(|(ru, kk)| ru.text != kk.text);
        assert!(stems_differ, "the two stemmers must both have run");
    }

    #[test]
    fn a_full_memo_starts_again_and_stems_as_before() {
        let mut memo = kazakh::StemMemo::new(russian::stem);
        let mut first = String::new();
        for n in 0..kazakh::MEMO_WORDS + 10 {
            let mut word = format!("объемы{n}");
            memo.rewrite(&mut word);
            if n == 0 {
                first = word;
            }
        }
        let mut word = "объемы0".to_string();
        memo.rewrite(&mut word);
        assert_eq!(word, first);
        let mut word = "объемами".to_string();
        memo.rewrite(&mut word);
        assert_eq!(word, russian::stem("объемами"));
        assert_ne!(word, "объемами");
    }
}
