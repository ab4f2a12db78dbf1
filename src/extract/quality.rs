//! How much a page's text looks like language: the gate that sends a bad text layer to OCR.
//!
//! A text layer can be present and still useless: a font without a Unicode map decodes to
//! symbols or to Latin-1 look-alikes ("Òåõíè÷åñêîå"), and a scanner's invisible OCR layer can
//! be noise. Two measures catch both: the share of letters among the visible characters, and the
//! share of words found in a small list of common Russian, Kazakh and English words
//! (`common-words/`). Real text scores 0.25–0.6 on the second; decoded garbage close to 0.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

/// Pages with fewer letters than this are judged by their letters alone: a title page or a
/// signature block has too few words for the word test to mean anything.
const MIN_WORDS_FOR_WORD_TEST: usize = 8;
/// Below this share of letters among non-space characters the text is not language.
const MIN_LETTER_SHARE: f32 = 0.5;
/// Below this share of common words the text is not Russian, Kazakh or English.
const MIN_KNOWN_WORD_SHARE: f32 = 0.06;
/// The known-word share of ordinary prose; at or above it the word part of the score is full.
const FULL_KNOWN_WORD_SHARE: f32 = 0.25;

/// The assessment of one page's text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quality {
    /// 0 (no language) to 1 (reads like ordinary Russian, Kazakh or English prose).
    pub score: f32,
    /// Letters among the non-space characters.
    pub letter_share: f32,
    /// Words (of two letters or more) found in the common-word lists.
    pub known_word_share: f32,
    pub words: usize,
}

impl Quality {
    /// Whether the text is too poor to trust: an empty page, symbols, or words of no language
    /// we read. Such a page is worth OCR when it can be had.
    pub fn is_unreadable(&self) -> bool {
        if self.words == 0 || self.letter_share < MIN_LETTER_SHARE {
            return true;
        }
        self.words >= MIN_WORDS_FOR_WORD_TEST && self.known_word_share < MIN_KNOWN_WORD_SHARE
    }
}

/// Measures a page's text.
pub fn assess(text: &str) -> Quality {
    let mut visible = 0usize;
    let mut letters = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    let known = common_words();
    let mut words = 0usize;
    let mut known_words = 0usize;
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
            continue;
        }
        if word.chars().count() >= 2 || (word.chars().count() == 1 && known.contains(word.as_str())) {
            words += 1;
            if known.contains(word.as_str()) {
                known_words += 1;
            }
        }
        word.clear();
    }
    let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f32 / whole as f32 };
    let letter_share = share(letters, visible);
    let known_word_share = share(known_words, words);
    let word_part = if words < MIN_WORDS_FOR_WORD_TEST {
        1.0
    } else {
        (known_word_share / FULL_KNOWN_WORD_SHARE).min(1.0)
    };
    Quality {
        score: if words == 0 { 0.0 } else { letter_share * word_part },
        letter_share,
        known_word_share,
        words,
    }
}

fn common_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        [
            include_str!("common-words/ru.txt"),
            include_str!("common-words/kk.txt"),
            include_str!("common-words/en.txt"),
        ]
        .iter()
        .flat_map(|list| list.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_kazakh_prose_is_readable() {
        let russian = "Информационная система предназначена для автоматизации процессов выдачи лицензий \
                       и разрешений в электронной форме. Заказчик: Министерство цифрового развития.";
        let kazakh = "Ақпараттық жүйе лицензиялар мен рұқсаттарды электрондық нысанда беру процестерін \
                      автоматтандыруға арналған және мемлекеттік органдардың деректер базасын тексереді.";
        for text in [russian, kazakh] {
            let quality = assess(text);
            assert!(!quality.is_unreadable(), "{quality:?}");
            assert!(quality.score > 0.5, "{quality:?}");
        }
    }

    #[test]
    fn latin1_look_alikes_of_cyrillic_are_unreadable() {
        // "Информационная система предназначена для ..." decoded as windows-1252.
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("Информационная система предназначена для автоматизации процессов выдачи лицензий и разрешений");
        let (garbage, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        let quality = assess(&garbage);
        assert!(quality.letter_share > 0.9, "{quality:?}");
        assert!(quality.is_unreadable(), "{quality:?}");
    }

    #[test]
    fn symbols_are_unreadable() {
        let quality = assess("! \" # $% $ ! \"& '( )* ! +( + , - + ! , ! - . ! / ( - 0 1 ! ! 2");
        assert!(quality.is_unreadable(), "{quality:?}");
        assert_eq!(quality.score, 0.0);
    }

    #[test]
    fn empty_and_blank_pages_are_unreadable() {
        assert!(assess("").is_unreadable());
        assert!(assess(" \n\t").is_unreadable());
    }

    #[test]
    fn a_short_title_page_is_judged_by_its_letters() {
        let quality = assess("ТЕХНИЧЕСКОЕ ЗАДАНИЕ\nЕ-Лицензирование\n2024");
        assert!(!quality.is_unreadable(), "{quality:?}");
    }

    #[test]
    fn english_is_readable() {
        let quality = assess("The system stores the data of users and the report of the security test in a database.");
        assert!(!quality.is_unreadable(), "{quality:?}");
    }
}
