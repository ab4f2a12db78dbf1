//! Dates as documents write them: `12.03.2024`, `2024-03-12`, `«12» марта 2024 г.`,
//! `12 наурыз 2024`, `2024 жылғы 12 наурыз`, `2024 ж. «12» наурызда`.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::Date;

/// A date found in a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub date: Date,
}

// Month stems: Russian genitive/nominative and Kazakh, each followed by any case ending.
const MONTHS: [(&str, u32); 24] = [
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма[яй]", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("қаңтар", 1),
    ("ақпан", 2),
    ("наурыз", 3),
    ("сәуір", 4),
    ("мамыр", 5),
    ("маусым", 6),
    ("шілде", 7),
    ("тамыз", 8),
    ("қыркүйек", 9),
    ("қазан", 10),
    ("қараша", 11),
    ("желтоқсан", 12),
];

// The patterns carry no `\b`: a Unicode word boundary keeps the regex engine off its DFAs on
// Cyrillic text (measured: dates were 84 % of an unchanged re-run). `find_dates` checks instead that
// the digits a date starts and ends with are not glued to other word characters. Digits are
// `[0-9]`, not Unicode's digit class: only ASCII digits parse as a day, month or year, and the
// Unicode class made each pattern scan up to eight times slower (113 ms against 14.5 ms over the
// 1k bench corpus).

static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<day>[0-9]{1,2})[./](?P<month>[0-9]{1,2})[./](?P<year>[0-9]{4})").expect("static pattern")
});

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})").expect("static pattern"));

fn month_alternation() -> String {
    MONTHS
        .iter()
        .map(|(stem, _)| format!("{stem}\\w*"))
        .collect::<Vec<_>>()
        .join("|")
}

/// A pattern with month names. Its lazy DFA gets a larger cache than the default, as the schema
/// patterns do (`rules::Pattern`): the names, case-insensitive in two alphabets, make about
/// 2.3 MiB of states, and at 2 MiB the cache was rebuilt over and over (building states was a
/// tenth of reading dates).
fn month_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).dfa_size_limit(8 << 20).build()
}

/// `«12» марта 2024`, `12 наурыз 2024 ж.`
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    let months = month_alternation();
    month_regex(&format!(
        r#"(?i)[«"“]?(?P<day>[0-9]{{1,2}})\s*[»"”]?\s+(?P<month>{months})\s+(?P<year>[0-9]{{4}})"#
    ))
    .expect("static pattern")
});

/// `2024 жылғы 12 наурыз`, `2024 ж. «12» наурызда`
static YEAR_DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    let months = month_alternation();
    month_regex(&format!(
        r#"(?i)(?P<year>[0-9]{{4}})\s*(?:жылғы|жылы|ж\.)\s*[«"“]?(?P<day>[0-9]{{1,2}})[»"”]?\s+(?P<month>{months})"#
    ))
    .expect("static pattern")
});

/// Builds the date patterns now instead of at the first date (see `recognize::compile_patterns`).
pub(super) fn compile_patterns() {
    LazyLock::force(&DOTTED);
    LazyLock::force(&ISO);
    LazyLock::force(&DAY_MONTH_YEAR);
    LazyLock::force(&YEAR_DAY_MONTH);
    LazyLock::force(&MONTH_STEMS);
}

static MONTH_STEMS: LazyLock<Vec<(Regex, u32)>> = LazyLock::new(|| {
    MONTHS
        .iter()
        .map(|(stem, n)| (Regex::new(&format!("(?i)^{stem}")).expect("static pattern"), *n))
        .collect()
});

/// A month given as a number or a name.
fn month_number(text: &str) -> Option<u32> {
    text.parse()
        .ok()
        .or_else(|| MONTH_STEMS.iter().find(|(re, _)| re.is_match(text)).map(|(_, n)| *n))
}

/// Whether `text[start..end]` is not glued to word characters on either side (what `\b` at both
/// ends would say).
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(is_word) && !text[end..].chars().next().is_some_and(is_word)
}

/// Every date in `text`, in order of position. Impossible dates (31.02.2024) are skipped.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut found = Vec::new();
    for re in [&*DOTTED, &*ISO, &*DAY_MONTH_YEAR, &*YEAR_DAY_MONTH] {
        for caps in re.captures_iter(text) {
            let part = |name: &str| caps.name(name).map(|m| m.as_str());
            let date = || {
                Date::new(
                    part("year")?.parse().ok()?,
                    month_number(part("month")?)?,
                    part("day")?.parse().ok()?,
                )
            };
            let parts = caps.iter().skip(1).flatten();
            let (Some(first), Some(last)) = (parts.clone().map(|m| m.start()).min(), parts.map(|m| m.end()).max())
            else {
                continue;
            };
            if !stands_alone(text, first, last) {
                continue;
            }
            if let (Some(whole), Some(date)) = (caps.get(0), date()) {
                found.push(FoundDate {
                    start: whole.start(),
                    end: whole.end(),
                    date,
                });
            }
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found.dedup_by(|later, earlier| later.start < earlier.end);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        find_dates(text).into_iter().map(|f| f.date.to_string()).collect()
    }

    #[test]
    fn reads_numeric_dates() {
        assert_eq!(dates("от 12.03.2024 № 5 и 2025-01-31"), ["2024-03-12", "2025-01-31"]);
        assert_eq!(dates("31.02.2024 не дата"), Vec::<String>::new());
    }

    #[test]
    fn reads_russian_month_names() {
        assert_eq!(dates("г. Астана «12» марта 2024 г."), ["2024-03-12"]);
        assert_eq!(dates("от 1 мая 2023 года"), ["2023-05-01"]);
        assert_eq!(dates("до 15 Декабря 2027"), ["2027-12-15"]);
    }

    #[test]
    fn reads_kazakh_month_names() {
        assert_eq!(dates("2024 жылғы 12 наурыз"), ["2024-03-12"]);
        assert_eq!(dates("2028 жылғы 15 қыркүйекке дейін жарамды"), ["2028-09-15"]);
        assert_eq!(dates("2023 ж. «5» желтоқсанда"), ["2023-12-05"]);
        assert_eq!(dates("12 сәуір 2025 ж."), ["2025-04-12"]);
    }

    #[test]
    fn ordinary_numbers_are_not_dates() {
        assert!(dates("пользователей 12500, органов 14, версия 2.3").is_empty());
        assert!(dates("код А12.03.2024 и 12.03.20245, 2024-03-121").is_empty());
        assert_eq!(dates("(12.03.2024)"), ["2024-03-12"]);
    }
}
