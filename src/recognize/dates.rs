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

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b").expect("static pattern")
});

fn month_alternation() -> String {
    MONTHS
        .iter()
        .map(|(stem, _)| format!("{stem}\\w*"))
        .collect::<Vec<_>>()
        .join("|")
}

/// `«12» марта 2024`, `12 наурыз 2024 ж.`
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)[«"“]?\b(\d{{1,2}})\s*[»"”]?\s+({})\s+(\d{{4}})\b"#,
        month_alternation()
    ))
    .expect("static pattern")
});

/// `2024 жылғы 12 наурыз`, `2024 ж. «12» наурызда`
static YEAR_DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)\b(\d{{4}})\s*(?:жылғы|жылы|ж\.)\s*[«"“]?(\d{{1,2}})[»"”]?\s+({})"#,
        month_alternation()
    ))
    .expect("static pattern")
});

static MONTH_STEMS: LazyLock<Vec<(Regex, u32)>> = LazyLock::new(|| {
    MONTHS
        .iter()
        .map(|(stem, n)| (Regex::new(&format!("(?i)^{stem}")).expect("static pattern"), *n))
        .collect()
});

fn month_number(word: &str) -> Option<u32> {
    MONTH_STEMS.iter().find(|(re, _)| re.is_match(word)).map(|(_, n)| *n)
}

fn number(text: &str) -> Option<u32> {
    text.parse().ok()
}

/// Every date in `text`, in order of position. Impossible dates (31.02.2024) are skipped.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut found = Vec::new();
    for caps in NUMERIC.captures_iter(text) {
        let whole = caps.get(0).map(|m| (m.start(), m.end()));
        let date = if caps.get(1).is_some() {
            Date::new(
                caps.get(3).and_then(|m| number(m.as_str())).unwrap_or(0) as i32,
                caps.get(2).and_then(|m| number(m.as_str())).unwrap_or(0),
                caps.get(1).and_then(|m| number(m.as_str())).unwrap_or(0),
            )
        } else {
            Date::new(
                caps.get(4).and_then(|m| number(m.as_str())).unwrap_or(0) as i32,
                caps.get(5).and_then(|m| number(m.as_str())).unwrap_or(0),
                caps.get(6).and_then(|m| number(m.as_str())).unwrap_or(0),
            )
        };
        if let (Some((start, end)), Some(date)) = (whole, date) {
            found.push(FoundDate { start, end, date });
        }
    }
    for caps in DAY_MONTH_YEAR.captures_iter(text) {
        let (Some(whole), Some(day), Some(month), Some(year)) = (caps.get(0), caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        let date = month_number(month.as_str())
            .and_then(|m| Date::new(number(year.as_str())? as i32, m, number(day.as_str())?));
        if let Some(date) = date {
            found.push(FoundDate {
                start: whole.start(),
                end: whole.end(),
                date,
            });
        }
    }
    for caps in YEAR_DAY_MONTH.captures_iter(text) {
        let (Some(whole), Some(year), Some(day), Some(month)) = (caps.get(0), caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        let date = month_number(month.as_str())
            .and_then(|m| Date::new(number(year.as_str())? as i32, m, number(day.as_str())?));
        if let Some(date) = date {
            found.push(FoundDate {
                start: whole.start(),
                end: whole.end(),
                date,
            });
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
    }
}
