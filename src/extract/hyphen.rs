//! Words broken across lines by a hyphen, as typesetters and OCR leave them.
//!
//! "электро-⏎нного" is one word and must be joined without its hyphen, or neither half is found
//! by search or recognition; "информационно-⏎коммуникационной" is a compound whose hyphen is
//! part of the spelling and must stay. No dictionary tells them apart here, so the rule reads
//! the shape of the words (see [`keeps_hyphen`]); a wrong guess costs one compound, never text.

/// Endings of the first part of hyphenated compounds ("информационно-", "научно-технический",
/// "технико-", "финансово-"; Kazakh "ақпараттық-", "ғылыми-"). A line-end hyphen after a word
/// this long with such an ending is taken to belong to the compound.
const COMPOUND_FIRST_PART_ENDINGS: &[&str] = &["но", "ко", "во", "тық", "тік", "лық", "лік", "дық", "дік", "ми"];
/// Shorter fragments ending the same way are ordinary syllables ("техно-логии").
const MIN_COMPOUND_FIRST_PART: usize = 7;
const SOFT_HYPHEN: char = '\u{ad}';

/// Joins lines that end inside a word. Soft hyphens (U+00AD) disappear everywhere: they are
/// invisible by definition and only split words when left in.
pub(crate) fn join_hyphenated_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let mut line = line.to_string();
        while let Some(joined) = lines.peek().and_then(|next| join(&line, next)) {
            line = joined;
            lines.next();
        }
        out.push_str(&line.replace(SOFT_HYPHEN, ""));
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// `line` joined with `next` when `line` ends in a hyphen inside a word; `None` otherwise.
fn join(line: &str, next: &str) -> Option<String> {
    let trimmed = line.trim_end();
    let hyphen = trimmed.chars().next_back().filter(|&c| c == '-' || c == SOFT_HYPHEN)?;
    let head = &trimmed[..trimmed.len() - hyphen.len_utf8()];
    let left_word: String = {
        let mut letters: Vec<char> = head.chars().rev().take_while(|c| c.is_alphabetic()).collect();
        letters.reverse();
        letters.into_iter().collect()
    };
    let continuation = next.trim_start();
    let right_word: String = continuation.chars().take_while(|c| c.is_alphabetic()).collect();
    if left_word.is_empty() || right_word.is_empty() {
        return None; // "112-⏎ИБ", a dash before a line of digits: not a broken word
    }
    let keep = hyphen == '-' && keeps_hyphen(&left_word, &right_word);
    Some(format!("{head}{}{continuation}", if keep { "-" } else { "" }))
}

/// Whether a hard hyphen at a line end is part of the spelling (a compound).
fn keeps_hyphen(left: &str, right: &str) -> bool {
    let is_upper = |word: &str| word.chars().all(char::is_uppercase);
    let starts_upper = right.chars().next().is_some_and(char::is_uppercase);
    if starts_upper {
        // "Е-⏎Лицензирование" keeps its hyphen; "ТЕХНИ-⏎ЧЕСКОЕ" is one capitalised word.
        return !(is_upper(left) && is_upper(right) && left.chars().count() > 1);
    }
    let lower = left.to_lowercase();
    lower.chars().count() >= MIN_COMPOUND_FIRST_PART
        && COMPOUND_FIRST_PART_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_words_are_joined_without_the_hyphen() {
        assert_eq!(
            join_hyphenated_lines("через веб-портал электро-\nнного правительства"),
            "через веб-портал электронного правительства"
        );
        assert_eq!(join_hyphenated_lines("Разра-\n ботчик: АО"), "Разработчик: АО");
        assert_eq!(
            join_hyphenated_lines("өнеркә-\nсіптік пайдалану"),
            "өнеркәсіптік пайдалану"
        );
        assert_eq!(join_hyphenated_lines("ТЕХНИ-\nЧЕСКОЕ ЗАДАНИЕ"), "ТЕХНИЧЕСКОЕ ЗАДАНИЕ");
    }

    #[test]
    fn compounds_keep_their_hyphen() {
        assert_eq!(
            join_hyphenated_lines("инфраструктура информационно-\nкоммуникационной сети"),
            "инфраструктура информационно-коммуникационной сети"
        );
        assert_eq!(
            join_hyphenated_lines("(ИС «Е-\nЛицензирование»)"),
            "(ИС «Е-Лицензирование»)"
        );
        assert_eq!(
            join_hyphenated_lines("ақпараттық-\nкоммуникациялық инфрақұрылым"),
            "ақпараттық-коммуникациялық инфрақұрылым"
        );
    }

    #[test]
    fn short_fragments_with_compound_endings_are_syllables() {
        assert_eq!(join_hyphenated_lines("техно-\nлогии"), "технологии");
    }

    #[test]
    fn a_word_broken_twice_across_three_lines_is_whole() {
        assert_eq!(
            join_hyphenated_lines("Информа-\nционно-\nкоммуникационная"),
            "Информационно-коммуникационная"
        );
    }

    #[test]
    fn soft_hyphens_vanish() {
        assert_eq!(
            join_hyphenated_lines("Лицензи\u{ad}\nрование и экс\u{ad}плуатация"),
            "Лицензирование и эксплуатация"
        );
    }

    #[test]
    fn numbers_and_dashes_are_left_alone() {
        assert_eq!(join_hyphenated_lines("протокол № 112-\nИБ"), "протокол № 112-\nИБ");
        assert_eq!(join_hyphenated_lines("итого -\n5 пунктов"), "итого -\n5 пунктов");
        assert_eq!(join_hyphenated_lines("a\nb\n"), "a\nb\n");
    }
}
