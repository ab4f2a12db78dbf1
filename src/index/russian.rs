//! Russian stemming: Snowball, with one correction.
//!
//! Snowball strips the verb ending -ем (1st person plural: «делаем» → «дела»), and so cuts nouns in
//! -ём/-ем down to nothing: «объём» → «объ», «приём» → «при», while «объёме» → «объем». When that
//! ending leaves three letters or fewer, the word was a noun and is its own stem, so «объём»,
//! «объем», «объёме» and «объемы» all meet at «объем» (ё is folded before stemming).

use std::cell::RefCell;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

use super::kazakh::{MapFilter, StemMemo};

const SHORTEST_VERB_STEM: usize = 4;

fn snowball(word: &str) -> String {
    thread_local! {
        static RUSSIAN: RefCell<TextAnalyzer> = RefCell::new(
            TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::Russian)).build(),
        );
    }
    RUSSIAN.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        let mut stem = word.to_string();
        while stream.advance() {
            stem = stream.token().text.clone();
        }
        stem
    })
}

/// The stem of one lower-case, ё-folded word.
pub fn stem(word: &str) -> String {
    let stem = snowball(word);
    let verb_ending_cut = word.strip_suffix("ем").is_some_and(|rest| rest == stem);
    if verb_ending_cut && stem.chars().count() < SHORTEST_VERB_STEM {
        return word.to_string();
    }
    stem
}

/// The Russian stemmer as a token filter (place after [`Words`](super::words::Words), which
/// lower-cases and folds ё).
pub fn russian_stemmer() -> MapFilter {
    MapFilter::new(|word| {
        thread_local! {
            static MEMO: RefCell<StemMemo> = RefCell::new(StemMemo::new(stem));
        }
        MEMO.with_borrow_mut(|memo| memo.rewrite(word));
    })
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn nouns_in_yom_meet_their_forms() {
        for family in [
            ["объем", "объеме", "объемы", "объема"],
            ["прием", "приема", "приеме", "приемы"],
        ] {
            let stems: Vec<String> = family.iter().map(|w| stem(w)).collect();
            assert!(stems.iter().all(|s| s == &stems[0]), "{family:?} → {stems:?}");
        }
        assert_eq!(stem("делаем"), stem("делать"));
        assert_eq!(stem("эксплуатации"), stem("эксплуатация"));
    }
}
