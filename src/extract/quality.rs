//! How much a page's text looks like language: the gate that sends a bad text layer to OCR.
//!
//! A text layer can be present and still useless: a font without a Unicode map decodes to
//! symbols, to Latin-1 look-alikes ("Òåõíè÷åñêîå"), or to letters shifted by a constant, and a
//! scanner's invisible OCR layer can be noise. Three measures catch these:
//! - the share of letters among the visible characters (symbols);
//! - the share of Latin-1 accented letters among the letters (look-alikes: Cyrillic read through
//!   a Western code page is almost all `à`-`ÿ`, while French or German prose has a few per cent);
//! - the share of words found in a list of one language's most common words (`common-words/`).
//!   Russian, Kazakh and English count together, as our documents mix them; every other language
//!   is scored on its own, so a German annex or a page of placeholder Latin reads as text, while
//!   garbage that happens to spell a short word here and there matches no language's list.
//!   Real text scores 0.25-0.6 on its language; decoded garbage close to 0.

use foldhash::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

/// Pages with fewer letters than this are judged by their letters alone: a title page or a
/// signature block has too few words for the word test to mean anything.
const MIN_WORDS_FOR_WORD_TEST: usize = 8;
/// Below this share of letters among non-space characters the text is not language.
const MIN_LETTER_SHARE: f32 = 0.5;
/// Below this share of common Russian, Kazakh and English words the text is not in those languages.
const MIN_KNOWN_WORD_SHARE: f32 = 0.06;
/// Another language must show more of its common words: its lists are short and hold short
/// words, which garbage spells by chance more often than it spells a Russian word.
const MIN_FOREIGN_WORD_SHARE: f32 = 0.15;
/// Above this share of Latin-1 accented letters (U+00C0-U+00FF) among the letters, the text is
/// Cyrillic read through a Western code page. Icelandic, the most accented Latin-1 language,
/// stays under 0.15; look-alikes of Russian are above 0.8.
const MAX_LATIN1_ACCENTED_SHARE: f32 = 0.35;
/// Below this many letters the accented-letter share is not judged (a name, a heading).
const MIN_LETTERS_FOR_ACCENT_TEST: usize = 20;
/// This many dots (or underscores, hyphens, ellipses) in a row are a leader line, not symbols.
const MIN_LEADER_RUN: usize = 4;
/// The known-word share of ordinary prose; at or above it the word part of the score is full.
const FULL_KNOWN_WORD_SHARE: f32 = 0.25;

/// The assessment of one page's text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quality {
    /// 0 (no language) to 1 (reads like ordinary Russian, Kazakh or English prose).
    pub score: f32,
    /// Letters among the non-space characters.
    pub letter_share: f32,
    /// Words (of two letters or more) found in the common-word lists of the language that
    /// matches best (Russian, Kazakh and English count as one).
    pub known_word_share: f32,
    pub words: usize,
    /// Whether that language is one of ours (Russian, Kazakh, English) or another one.
    #[serde(skip)]
    foreign: bool,
    /// Letters of U+00C0-U+00FF among all letters (see [`MAX_LATIN1_ACCENTED_SHARE`]).
    #[serde(skip)]
    latin1_accented_share: f32,
    #[serde(skip)]
    letters: usize,
}

impl Quality {
    /// Whether the text is too poor to trust: an empty page, symbols, or words of no language
    /// we read. Such a page is worth OCR when it can be had.
    pub fn is_unreadable(&self) -> bool {
        if self.words == 0 || self.letter_share < MIN_LETTER_SHARE {
            return true;
        }
        if self.letters >= MIN_LETTERS_FOR_ACCENT_TEST && self.latin1_accented_share > MAX_LATIN1_ACCENTED_SHARE {
            return true;
        }
        let minimum = if self.foreign {
            MIN_FOREIGN_WORD_SHARE
        } else {
            MIN_KNOWN_WORD_SHARE
        };
        self.words >= MIN_WORDS_FOR_WORD_TEST && self.known_word_share < minimum
    }
}

/// Measures a page's text.
pub fn assess(text: &str) -> Quality {
    let mut visible = 0usize;
    let mut letters = 0usize;
    let mut accented = 0usize;
    // A table of contents is mostly dot leaders: a run of them is layout, not symbols.
    let mut leader_run = 0usize;
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_leader(c) {
            leader_run += 1;
            continue;
        }
        if leader_run > 0 {
            if leader_run < MIN_LEADER_RUN {
                visible += leader_run;
            }
            leader_run = 0;
        }
        if c.is_whitespace() {
            continue;
        }
        visible += 1;
        if is_letter(c) {
            letters += 1;
            if ('\u{C0}'..='\u{FF}').contains(&c) && c != '\u{D7}' && c != '\u{F7}' {
                accented += 1;
            }
        }
    }
    let languages = languages();
    let (home, foreign) = languages
        .split_first()
        .map_or((None, &[][..]), |(home, rest)| (Some(home), rest));
    let mut words = 0usize;
    let mut home_known = 0usize;
    for_each_word(text, |word, letters| {
        let known_at_home = home.is_some_and(|home| home.contains(word));
        // A single letter is a word only where our languages have it ("в", "и", "a"): alone it
        // says nothing about language, and garbage is full of them.
        if letters >= 2 || (letters == 1 && known_at_home) {
            words += 1;
            home_known += usize::from(known_at_home);
        }
    });
    let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f32 / whole as f32 };
    // Other languages are counted only when ours fall short: on a Russian, Kazakh or English page
    // (nearly every page) their counts cannot change the outcome, and eleven look-ups a word were
    // most of the gate's cost.
    let mut foreign_known = vec![0usize; foreign.len()];
    if share(home_known, words) < MIN_KNOWN_WORD_SHARE {
        for_each_word(text, |word, letters| {
            if letters >= 2 {
                for (known, language) in foreign_known.iter_mut().zip(foreign) {
                    *known += usize::from(language.contains(word));
                }
            }
        });
    }
    let letter_share = share(letters, visible);
    let home_share = share(home_known, words);
    let best_foreign = foreign_known
        .iter()
        .map(|&known| share(known, words))
        .fold(0.0, f32::max);
    // Our languages win ties and near-ties: a Russian page quoting a German title is Russian.
    let foreign_language = home_share < MIN_KNOWN_WORD_SHARE && best_foreign >= MIN_FOREIGN_WORD_SHARE;
    let known_word_share = if foreign_language { best_foreign } else { home_share };
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
        foreign: foreign_language,
        latin1_accented_share: share(accented, letters),
        letters,
    }
}

/// Calls `each` with every word of `text`, lower-cased, and its length in characters.
fn for_each_word(text: &str, mut each: impl FnMut(&str, usize)) {
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_letter(c) {
            push_lowercase(&mut word, c);
            continue;
        }
        if !word.is_empty() {
            each(&word, word.chars().count());
        }
        word.clear();
    }
}

/// `char::is_alphabetic`, answered without the Unicode tables for Latin and the Cyrillic block
/// (Russian and Kazakh), which are nearly all the letters we see: the table look-up was a fifth
/// of a text PDF's extraction time. U+0482-U+0489 are a sign and combining marks, not letters.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, with [`is_letter`]'s shortcut: counting a page's letters and
/// digits through the Unicode tables was 4 % of a text PDF's extraction.
pub(super) fn is_alphanumeric(c: char) -> bool {
    is_letter(c) || c.is_numeric()
}

/// Appends `c` lower-cased, as `char::to_lowercase` would, without its tables for ASCII, the
/// Russian letters and the punctuation around them.
pub(crate) fn push_lowercase(word: &mut String, c: char) {
    match c {
        'A'..='Z' => word.push(c.to_ascii_lowercase()),
        // Unchanged: the rest of ASCII, Latin-1's signs (no capitals before U+00C0), the lower-case
        // Russian letters а-я and ѐ-џ, and the dashes, quotes and spaces of U+2000-U+206F. Most of
        // a document is these; the table search for them was 3 % of extraction.
        '\0'..='\u{00BF}' | '\u{0430}'..='\u{045F}' | '\u{2000}'..='\u{206F}' => word.push(c),
        // А-Я (U+0410-U+042F) lower-case to а-я, 0x20 further on; Ѐ-Џ (U+0400-U+040F) to ѐ-џ,
        // 0x50 further.
        '\u{0410}'..='\u{042F}' => word.extend(char::from_u32(c as u32 + 0x20)),
        '\u{0400}'..='\u{040F}' => word.extend(char::from_u32(c as u32 + 0x50)),
        _ => word.extend(c.to_lowercase()),
    }
}

fn is_leader(c: char) -> bool {
    matches!(c, '.' | '_' | '-' | '…' | '·' | '‧' | '⋯')
}

/// The common-word lists: Russian, Kazakh and English as one set first, then one set per other
/// language.
fn languages() -> &'static [HashSet<&'static str>] {
    static LANGUAGES: OnceLock<Vec<HashSet<&'static str>>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        let home = [
            include_str!("common-words/ru.txt"),
            include_str!("common-words/kk.txt"),
            include_str!("common-words/en.txt"),
        ];
        let foreign = [
            include_str!("common-words/de.txt"),
            include_str!("common-words/fr.txt"),
            include_str!("common-words/es.txt"),
            include_str!("common-words/it.txt"),
            include_str!("common-words/pt.txt"),
            include_str!("common-words/nl.txt"),
            include_str!("common-words/la.txt"),
            include_str!("common-words/pl.txt"),
            include_str!("common-words/cs.txt"),
            include_str!("common-words/tr.txt"),
            include_str!("common-words/uk.txt"),
        ];
        std::iter::once(word_set(&home))
            .chain(foreign.iter().map(|list| word_set(&[list])))
            .collect()
    })
}

fn word_set(lists: &[&'static str]) -> HashSet<&'static str> {
    lists
        .iter()
        .flat_map(|list| list.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_letter_tests_agree_with_the_unicode_tables() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
            let mut fast = String::new();
            push_lowercase(&mut fast, c);
            assert_eq!(fast, c.to_lowercase().collect::<String>(), "U+{:04X}", c as u32);
        }
    }

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

    #[test]
    fn prose_in_other_languages_is_readable() {
        let texts = [
            // French (PDFBox's poems-beads), German, Spanish, and placeholder Latin.
            "ARGAN, seul dans sa chambre, assis, une table devant lui, compte des parties d'apothicaire avec \
             des jetons; il fait, parlant à lui-même, les dialogues suivants: trois et deux font cinq.",
            "Die Anwendung speichert die Daten der Benutzer in einer Datenbank, und der Bericht über die \
             Prüfung wird von dem Betreiber für die Behörde erstellt.",
            "El sistema guarda los datos de los usuarios en una base de datos y el informe de la prueba \
             de seguridad se envía a la autoridad para su revisión.",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Cras sodales diam vitae sem fringilla \
             pulvinar. Nunc pharetra urna sit amet convallis cursus.",
        ];
        for text in texts {
            let quality = assess(text);
            assert!(!quality.is_unreadable(), "{quality:?}: {text}");
        }
    }

    #[test]
    fn a_short_english_page_of_plain_words_is_readable() {
        let quality = assess("Left column line 1\nLeft column line 2\nRight column line 1\nRight column line 2");
        assert!(!quality.is_unreadable(), "{quality:?}");
    }

    #[test]
    fn letters_shifted_by_a_constant_are_unreadable_in_every_language() {
        // What a subset font whose codes are glyph indices gives through a standard encoding.
        let shift = |text: &str| -> String {
            text.chars()
                .map(|c| match c {
                    'a'..='y' | 'A'..='Y' => char::from(c as u8 + 1),
                    'z' => 'a',
                    other => other,
                })
                .collect()
        };
        for text in [
            "The system stores the data of users and the report of the security test in a database for the state body.",
            "Die Anwendung speichert die Daten der Benutzer in einer Datenbank, und der Bericht über die Prüfung wird erstellt.",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Cras sodales diam vitae sem fringilla pulvinar.",
        ] {
            let quality = assess(&shift(text));
            assert!(quality.is_unreadable(), "{quality:?}: {}", shift(text));
        }
    }

    #[test]
    fn english_shifted_by_any_constant_or_scrambled_is_unreadable() {
        let text = "The information system stores the data of registered users, and the report of the \
                    security test is kept in the database of the state body. The commissioning act was \
                    signed after the trial operation, and the technical documentation describes the \
                    server, the network and every interface of the system with other systems.";
        let rotate = |c: char, by: u8| match c {
            'a'..='z' => char::from(b'a' + (c as u8 - b'a' + by) % 26),
            'A'..='Z' => char::from(b'A' + (c as u8 - b'A' + by) % 26),
            other => other,
        };
        for by in 1..26 {
            let shifted: String = text.chars().map(|c| rotate(c, by)).collect();
            let quality = assess(&shifted);
            assert!(quality.is_unreadable(), "shift {by}: {quality:?}: {shifted}");
        }
        // A fixed scrambling of the alphabet, as a subset font's own code order gives.
        let scramble = b"qwertyuiopasdfghjklzxcvbnm";
        let scrambled: String = text
            .chars()
            .map(|c| match c {
                'a'..='z' => char::from(scramble[(c as u8 - b'a') as usize]),
                'A'..='Z' => char::from(scramble[(c as u8 - b'A') as usize].to_ascii_uppercase()),
                other => other,
            })
            .collect();
        let quality = assess(&scrambled);
        assert!(quality.is_unreadable(), "{quality:?}: {scrambled}");
    }

    #[test]
    fn a_page_of_form_labels_or_code_is_readable() {
        // A form's field names, and a listing of macros: words of English, set as identifiers.
        for text in [
            "AlignLeft-Border_Small AlignLeft-Border_Medium AlignLeft-Border_Wide AlignLeft-Filled \
             AlignMiddle-Border_Wide_Clipped AlignRight-Border_Wide_Outside-Filled asdfASDF1234",
            "\\else\\ifx[\\nxt \\addF{\\string\\[}\\else\\ifx]\\nxt \\addF{\\string\\]}% \
             \\else\\expandafter\\makeolproctokchar\\meaning\\nxt \\fi\\fi\\fi \\next \\let\\next",
        ] {
            let quality = assess(text);
            assert!(!quality.is_unreadable(), "{quality:?}: {text}");
        }
    }

    #[test]
    fn a_table_of_contents_with_dot_leaders_is_readable() {
        for text in [
            "CHAPTER 5 TABLE OF CONTENTS\n\
             Chapter 5 Table of Contents..................................................5-i\n\
             5.0 Mitigation and Unavoidable Impacts.......................................5-1\n\
             5.1 Mitigation Measures..........................................................5-4\n\
             5.2 Unavoidable Adverse Impacts..................................................5-5",
            "СОДЕРЖАНИЕ\n1. Общие сведения ………………………………………………… 3\n\
             2. Назначение и цели создания системы ______________________ 5\n\
             3. Характеристика объекта автоматизации .................................. 7\n\
             4. Требования к системе ....................................................... 9",
        ] {
            let quality = assess(text);
            assert!(!quality.is_unreadable(), "{quality:?}: {text}");
        }
        // Leaders alone, or symbols between them, are still not text.
        assert!(assess("........ 5\n........ 7\n%$#@!&*(){} ........ 9 ~~~~ ^^^^").is_unreadable());
    }

    #[test]
    fn cyrillic_through_a_mac_code_page_is_unreadable() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("Акт ввода в промышленную эксплуатацию информационной системы и протокол");
        let (garbage, _, _) = encoding_rs::MACINTOSH.decode(&bytes);
        let quality = assess(&garbage);
        assert!(quality.is_unreadable(), "{quality:?}: {garbage}");
    }

    #[test]
    fn a_russian_page_quoting_foreign_words_stays_russian() {
        let quality = assess(
            "Протокол испытаний на соответствие требованиям информационной безопасности системы \
             «Die Anwendung» (версия 2.1), проведённых в соответствии с программой и методикой.",
        );
        assert!(!quality.is_unreadable(), "{quality:?}");
        assert!(!quality.foreign, "{quality:?}");
    }
}
