//! Facts a document states: its number and date, the object it names, a test result, a validity
//! end, and counts from statistics sheets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dates::{FoundDate, find_dates};
use super::normalize::{NormalizedDoc, normalize, snippet, squash};
use crate::card::ObjectCard;
use crate::date::Date;
use crate::extract::Page;
use crate::rules::{DateSide, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Positive,
    Negative,
}

/// Whether, and how, a document names the object of the card it was submitted with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum ObjectMention {
    /// The card's name or short name appears.
    Named { page: u32, snippet: String },
    /// The document names an object, and not this one.
    Other { name: String, page: u32, snippet: String },
    /// No object name found.
    NotNamed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountFact {
    pub value: u64,
    pub page: u32,
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFacts {
    pub number: Option<String>,
    pub date: Option<Date>,
    pub valid_until: Option<Date>,
    pub result: Option<(TestResult, u32, String)>,
    pub object: ObjectMention,
    /// Count field (`registered_users`, `state_bodies`, `deployment_sites`) -> value.
    pub counts: BTreeMap<String, CountFact>,
}

/// Reads every fact the rules know about. `card` is the submission's card, when it has one:
/// without it no document can be said to name "this" object.
pub fn read_facts(rules: &Rules, doc: &NormalizedDoc, pages: &[Page], card: Option<&ObjectCard>) -> DocFacts {
    let dates = find_dates(&doc.text);
    let head_end = doc.head(rules.recognition.head_chars).len();
    let valid_until = validity_end(rules, doc, &dates);
    let date = dates
        .iter()
        .find(|d| d.start < head_end && Some(d.date) != valid_until)
        .map(|d| d.date);
    let number = rules
        .facts
        .number
        .captures(&doc.text[..head_end])
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim_end_matches(['.', '-', '/']).to_string());
    DocFacts {
        number,
        date,
        valid_until,
        result: test_result(rules, doc),
        object: card
            .map(|card| object_mention(rules, doc, card))
            .unwrap_or(ObjectMention::NotNamed),
        counts: counts(rules, pages),
    }
}

fn validity_end(rules: &Rules, doc: &NormalizedDoc, dates: &[FoundDate]) -> Option<Date> {
    const REACH: usize = 120;
    let mut found: Option<(usize, Date)> = None;
    for (re, side) in &rules.facts.validity {
        for m in re.find_iter(&doc.text) {
            let date = match side {
                DateSide::After => dates.iter().find(|d| d.start >= m.end() && d.start - m.end() <= REACH),
                DateSide::Before => dates
                    .iter()
                    .rev()
                    .find(|d| d.end <= m.start() && m.start() - d.end <= REACH),
            };
            if let Some(d) = date
                && found.is_none_or(|(at, _)| m.start() < at)
            {
                found = Some((m.start(), d.date));
            }
        }
    }
    found.map(|(_, date)| date)
}

/// Reads the result from the conclusion when there is one: a protocol's title ("на соответствие
/// требованиям") and its method sections must not decide it. Negation wins over any positive phrase.
fn test_result(rules: &Rules, doc: &NormalizedDoc) -> Option<(TestResult, u32, String)> {
    const TITLE_ZONE: usize = 200;
    let text = &doc.text;
    let from = rules
        .facts
        .conclusion_headings
        .iter()
        .filter_map(|re| {
            re.find_iter(text)
                .find(|m| m.start() >= TITLE_ZONE.min(text.len()))
                .map(|m| m.start())
        })
        .min()
        .unwrap_or(0);
    let region = &text[from..];
    let first_match = |patterns: &[regex::Regex]| {
        patterns
            .iter()
            .filter_map(|re| re.find(region))
            .min_by_key(|m| m.start())
            .map(|m| (from + m.start(), from + m.end()))
    };
    if let Some((start, end)) = first_match(&rules.facts.negative_result) {
        return Some((TestResult::Negative, doc.page_at(start), doc.snippet(start, end)));
    }
    first_match(&rules.facts.positive_result)
        .map(|(start, end)| (TestResult::Positive, doc.page_at(start), doc.snippet(start, end)))
}

/// The forms under which the card's object may be named: full names, their quoted cores, and the
/// short name, all squashed.
fn name_forms(card: &ObjectCard) -> (Vec<String>, Option<String>) {
    let mut forms = Vec::new();
    for name in &card.names {
        forms.push(squash(&name.text));
        for quoted in quoted_parts(&name.text) {
            let core = squash(quoted);
            // A one-word core ("Е-лицензирование" is two) is too easily someone else's word.
            if core.chars().count() >= 6 {
                forms.push(core);
            }
        }
    }
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    let short = card
        .short_name
        .as_deref()
        .map(squash)
        .filter(|s| s.chars().count() >= 2);
    (forms, short)
}

fn quoted_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['«', '"', '“', '„']) {
        let after = &rest[open..];
        let opener_len = after.chars().next().map(char::len_utf8).unwrap_or(1);
        let inner = &after[opener_len..];
        let Some(close) = inner.find(['»', '"', '”', '“']) else {
            break;
        };
        parts.push(&inner[..close]);
        let closer_len = inner[close..].chars().next().map(char::len_utf8).unwrap_or(1);
        rest = &inner[close + closer_len..];
    }
    parts
}

fn object_mention(rules: &Rules, doc: &NormalizedDoc, card: &ObjectCard) -> ObjectMention {
    let (forms, short) = name_forms(card);
    let max_distance = rules.policy.object_match.max_relative_edit_distance;
    let is_ours = |name: &str| {
        let name = squash(name);
        forms.iter().any(|form| {
            form.contains(&name) && name.chars().count() >= 6
                || name.contains(form.as_str())
                || relative_distance(form, &name) <= max_distance
        }) || short.as_deref() == Some(name.as_str())
    };

    let mut other: Option<(String, usize, usize)> = None;
    for re in &rules.facts.object_mention {
        for caps in re.captures_iter(&doc.text) {
            let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            if is_ours(name.as_str()) {
                return ObjectMention::Named {
                    page: doc.page_at(whole.start()),
                    snippet: doc.snippet(whole.start(), whole.end()),
                };
            }
            if other.as_ref().is_none_or(|(_, start, _)| whole.start() < *start) {
                other = Some((name.as_str().trim().to_string(), whole.start(), whole.end()));
            }
        }
    }
    // The name may also stand without a kind word next to it.
    let squashed = format!(" {} ", squash(&doc.text));
    let named = forms.iter().any(|f| squashed.contains(&format!(" {f} ")))
        || short.as_ref().is_some_and(|s| squashed.contains(&format!(" {s} ")));
    if named {
        let position = card
            .names
            .iter()
            .flat_map(|n| {
                quoted_parts(&n.text)
                    .into_iter()
                    .chain(std::iter::once(n.text.as_str()))
            })
            .chain(card.short_name.as_deref())
            .filter_map(|name| {
                let needle = normalize(name).to_lowercase();
                doc.text.to_lowercase().find(&needle).map(|at| (at, at + needle.len()))
            })
            .min();
        let (start, end) = position.unwrap_or((0, 0));
        // Lower-casing can change byte lengths only outside Cyrillic and Latin; clamp to be safe.
        let start = start.min(doc.text.len());
        return ObjectMention::Named {
            page: doc.page_at(start),
            snippet: doc.snippet(start, end.max(start)),
        };
    }
    match other {
        Some((name, start, end)) => ObjectMention::Other {
            name,
            page: doc.page_at(start),
            snippet: doc.snippet(start, end),
        },
        None => ObjectMention::NotNamed,
    }
}

/// Levenshtein distance over characters divided by the longer length.
fn relative_distance(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] as f64 / longest as f64
}

/// Counts from label-and-number lines (spreadsheet rows, table rows).
fn counts(rules: &Rules, pages: &[Page]) -> BTreeMap<String, CountFact> {
    let mut found = BTreeMap::new();
    for page in pages {
        for line in page.text.lines() {
            let line = normalize(line);
            let Some((field, label_end)) = rules
                .facts
                .counts
                .iter()
                .find_map(|(field, labels)| labels.iter().find_map(|re| re.find(&line)).map(|m| (field, m.end())))
            else {
                continue;
            };
            if found.contains_key(field) {
                continue;
            }
            if let Some(value) = first_whole_number(&line[label_end..]) {
                let fact = CountFact {
                    value,
                    page: page.number,
                    snippet: snippet(&line, 0, line.len()),
                };
                found.insert(field.clone(), fact);
            }
        }
    }
    found
}

/// The first whole number in `text`, allowing spaces as thousands separators ("12 500").
fn first_whole_number(text: &str) -> Option<u64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let mut digits = String::new();
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == ' ' || c == '\u{00A0}' || c == '\u{202F}' {
            // A separator only when exactly three digits follow.
            let rest: String = chars.clone().take(4).collect();
            let group: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if group.len() != 3 {
                break;
            }
        } else if c == '.' || c == ',' {
            // "12500.0" from a spreadsheet float: keep the integer part.
            break;
        } else {
            break;
        }
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::LocalizedName;

    fn rules() -> Rules {
        Rules::embedded().unwrap()
    }

    fn card() -> ObjectCard {
        ObjectCard {
            id: "IS-1".into(),
            names: vec![
                LocalizedName {
                    lang: Some("ru".into()),
                    text: "Информационная система «Электронные обращения»".into(),
                },
                LocalizedName {
                    lang: Some("kk".into()),
                    text: "«Электрондық өтініштер» ақпараттық жүйесі".into(),
                },
            ],
            short_name: Some("ИС ЭО".into()),
            ..ObjectCard::default()
        }
    }

    fn facts(text: &str) -> DocFacts {
        let pages = [Page {
            number: 1,
            name: None,
            text: text.to_string(),
            ocr: false,
        }];
        read_facts(&rules(), &NormalizedDoc::new(&pages), &pages, Some(&card()))
    }

    #[test]
    fn reads_a_protocol() {
        let f = facts(
            "ПРОТОКОЛ № 112-ИБ от «12» марта 2025 г.\nиспытаний информационной системы «Электронные обращения» на соответствие требованиям информационной безопасности\n\
             1. Методика. Проверено соответствие требованиям.\nЗАКЛЮЧЕНИЕ\nИнформационная система соответствует требованиям информационной безопасности.\nПротокол действителен до 15.03.2028.",
        );
        assert_eq!(f.number.as_deref(), Some("112-ИБ"));
        assert_eq!(f.date, Date::new(2025, 3, 12));
        assert_eq!(f.valid_until, Date::new(2028, 3, 15));
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Positive));
        assert!(matches!(f.object, ObjectMention::Named { .. }), "{:?}", f.object);
    }

    #[test]
    fn negation_wins() {
        let f = facts(
            "ПРОТОКОЛ испытаний\nЗаключение: система не соответствует требованиям информационной безопасности по пунктам 3, 7. Остальные требования соответствуют требованиям.",
        );
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Negative));
        let f = facts("ПРОТОКОЛ испытаний\nЗаключение: несоответствий не выявлено.");
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Positive));
        let f = facts("Хаттама. Қорытынды: жүйе ақпараттық қауіпсіздік талаптарына сәйкес келмейді.");
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Negative));
        assert_eq!(facts("Протокол без вывода.").result, None);
    }

    #[test]
    fn kazakh_validity_puts_the_date_first() {
        let f = facts("Хаттама 2025 жылғы 3 ақпан. Осы хаттама 2028 жылғы 3 ақпанға дейін жарамды.");
        assert_eq!(f.valid_until, Date::new(2028, 2, 3));
        assert_eq!(f.date, Date::new(2025, 2, 3));
    }

    #[test]
    fn tells_this_object_from_another() {
        assert!(matches!(
            facts("АКТ ввода в промышленную эксплуатацию информационной системы «Электронное лицензирование»").object,
            ObjectMention::Other { ref name, .. } if name == "Электронное лицензирование"
        ));
        assert!(matches!(
            facts("«Электрондық өтініштер» ақпараттық жүйесін енгізу туралы акт").object,
            ObjectMention::Named { .. }
        ));
        assert!(matches!(
            facts("Акт ввода ИС ЭО в промышленную эксплуатацию").object,
            ObjectMention::Named { .. }
        ));
        // An OCR slip in the name is still our object.
        assert!(matches!(
            facts("информационной системы «Электронные обрашения»").object,
            ObjectMention::Named { .. }
        ));
        assert_eq!(
            facts("Акт ввода в промышленную эксплуатацию").object,
            ObjectMention::NotNamed
        );
    }

    #[test]
    fn reads_counts_from_rows() {
        let f = facts(
            "Показатель\tЗначение\nКоличество зарегистрированных пользователей\t12 500\nКоличество государственных органов, использующих ИС\t14\nКоличество объектов внедрения\t230.0",
        );
        assert_eq!(f.counts["registered_users"].value, 12_500);
        assert_eq!(f.counts["state_bodies"].value, 14);
        assert_eq!(f.counts["deployment_sites"].value, 230);
        let kk = facts(
            "Тіркелген пайдаланушылар саны\t3400\nПайдаланатын мемлекеттік органдар саны\t5\nЕнгізілген объектілер саны\t17",
        );
        assert_eq!(kk.counts["registered_users"].value, 3400);
        assert_eq!(kk.counts["state_bodies"].value, 5);
        assert_eq!(kk.counts["deployment_sites"].value, 17);
    }

    #[test]
    fn whole_numbers_with_separators() {
        assert_eq!(first_whole_number(": 12 500 человек"), Some(12_500));
        assert_eq!(first_whole_number("14 органов, 230 объектов"), Some(14));
        assert_eq!(first_whole_number("нет данных"), None);
    }
}
