//! The three analyses of text: exact words (lower case, ё→е), Russian stems and Kazakh stems.
//!
//! Queries go through the analyzers registered on the index ([`register`]); pages are indexed
//! through an [`Analyser`], which cuts the text into words once and stems each word for both
//! languages, and hands Tantivy the three token streams pre-tokenised. Both are built from the
//! same word splitter and the same stemmers, so they agree token for token (a unit test checks
//! it on mixed text): a query word finds exactly what the indexed text holds.

use std::collections::HashMap;

use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, PreTokenizedString, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenStream,
};

use super::{kazakh, russian};

/// Tokens this long or longer (in bytes) are not indexed: no word is, only hashes and garbage.
pub(crate) const MAX_TOKEN_BYTES: usize = 60;
pub(crate) const RUSSIAN: &str = "ru_stem";
pub(crate) const KAZAKH: &str = "kk_stem";
pub(crate) const EXACT: &str = "exact";

/// The words of a text as the exact analysis sees them; the stemmed analyses stem these.
fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(kazakh::yo_folder())
        .build()
}

/// Registers the three analyzers queries use. Called on every open: Tantivy does not persist
/// analyzers, and a missing one would make every query on the field silently match nothing.
pub(super) fn register(index: &Index) {
    let russian = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(kazakh::yo_folder())
        .filter(russian::russian_stemmer())
        .build();
    let kazakh = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(kazakh::yo_folder())
        .filter(kazakh::kazakh_stemmer())
        .build();
    index.tokenizers().register(RUSSIAN, russian);
    index.tokenizers().register(KAZAKH, kazakh);
    index.tokenizers().register(EXACT, words());
}

/// One text, analysed three ways, ready for Tantivy.
pub(super) struct Analysed {
    pub exact: PreTokenizedString,
    pub russian: PreTokenizedString,
    pub kazakh: PreTokenizedString,
}

/// Analyses the pages of one file. A file repeats its words page after page, so each distinct
/// word is stemmed once per file rather than once per occurrence and analysis.
pub(super) struct Analyser {
    words: TextAnalyzer,
    /// A word's Russian and Kazakh stems.
    stems: HashMap<String, (String, String)>,
}

impl Analyser {
    pub fn new() -> Analyser {
        Analyser {
            words: words(),
            stems: HashMap::new(),
        }
    }

    /// `text` analysed three ways. Only the Russian analysis carries the text itself: it goes
    /// to the one stored text field (Tantivy stores a pre-tokenised value's text and indexes its
    /// tokens); the other two fields are not stored, and Tantivy reads only their tokens.
    pub fn analyse(&mut self, text: &str) -> Analysed {
        let mut exact = Vec::new();
        let mut stream = self.words.token_stream(text);
        while stream.advance() {
            exact.push(stream.token().clone());
        }
        let mut russian = Vec::with_capacity(exact.len());
        let mut kazakh = Vec::with_capacity(exact.len());
        for token in &exact {
            if !self.stems.contains_key(&token.text) {
                let stems = (russian::stem(&token.text), kazakh::stem(&token.text));
                self.stems.insert(token.text.clone(), stems);
            }
            let (ru, kk) = &self.stems[&token.text];
            russian.push(with_text(token, ru));
            kazakh.push(with_text(token, kk));
        }
        let tokens = |tokens, text: &str| PreTokenizedString {
            text: text.to_string(),
            tokens,
        };
        Analysed {
            exact: tokens(exact, ""),
            russian: tokens(russian, text),
            kazakh: tokens(kazakh, ""),
        }
    }
}

fn with_text(token: &Token, text: &str) -> Token {
    Token {
        offset_from: token.offset_from,
        offset_to: token.offset_to,
        position: token.position,
        text: text.to_string(),
        position_length: token.position_length,
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Schema;

    use super::*;

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
    fn the_pre_tokenised_path_indexes_what_queries_look_up() {
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
        let mut analyser = Analyser::new();
        for text in &texts {
            // Twice: the second time every stem comes from the file's memo.
            for _ in 0..2 {
                let analysed = analyser.analyse(text);
                assert_eq!(analysed.exact.tokens, through_registered(&index, EXACT, text), "{text}");
                assert_eq!(
                    analysed.russian.tokens,
                    through_registered(&index, RUSSIAN, text),
                    "{text}"
                );
                assert_eq!(
                    analysed.kazakh.tokens,
                    through_registered(&index, KAZAKH, text),
                    "{text}"
                );
                assert_eq!(analysed.russian.text, *text);
            }
        }
        let analysed = analyser.analyse(&texts[0]);
        let words: Vec<&str> = analysed.exact.tokens.iter().map(|t| t.text.as_str()).collect();
        assert!(words.contains(&"приемочный") && words.contains(&"объем"), "{words:?}");
        assert!(
            words.contains(&"15") && words.contains(&"04") && words.contains(&"елка"),
            "{words:?}"
        );
        assert!(!words.iter().any(|w| w.len() >= MAX_TOKEN_BYTES), "{words:?}");
        let stems_differ = analysed
            .russian
            .tokens
            .iter()
            .zip(&analysed.kazakh.tokens)
            .any(|(ru, kk)| ru.text != kk.text);
        assert!(stems_differ, "the two stemmers must both have run");
    }
}
