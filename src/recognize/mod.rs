//! Recognition: what a document is ([`classify`]) and what it says ([`read_facts`]), driven by
//! the patterns in `schemas/doctypes.toml` and `schemas/facts.toml`.
//!
//! Both are done once, at ingest, and stored in the index with the file's record. Facts depend on
//! the object card too (does an act name *this* system?): a changed card makes ingest read its
//! submission's files again.

mod bundle;
mod dates;
mod facts;
mod normalize;

pub use bundle::{DocumentPart, PageRange, split_documents};
pub use dates::{FoundDate, find_dates};
pub use facts::{CountFact, DocFacts, ObjectMention, TestResult, TrialPeriod, may_be_misread_of, read_facts};
pub use normalize::{NormalizedDoc, normalize, snippet, squash};

use serde::{Deserialize, Serialize};

use crate::rules::{DocType, Rules};
pub use crate::rules::{OBJECT_CARD, OTHER, SIGNATURE};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub doc_type: String,
    /// Where the deciding phrase was found.
    pub page: Option<u32>,
    pub snippet: Option<String>,
}

impl Classification {
    pub fn other() -> Classification {
        Classification {
            doc_type: OTHER.to_string(),
            page: None,
            snippet: None,
        }
    }
}

/// The title phrase that decides a document's type: the earliest title match in the head; at the
/// same start a look-alike (a refusal for an act) wins over what it resembles, then the shorter
/// (more specific) match. Returns the type and the match's byte span.
pub(crate) fn title_match<'r>(rules: &'r Rules, doc: &NormalizedDoc) -> Option<(&'r DocType, usize, usize)> {
    let head = doc.head(rules.recognition.head_chars);
    title_in(rules, head, 0).or_else(|| {
        // A scan's title may carry a speck read as a mark ("ввода в: промышленную
        // эксплуатацию"); read without them, in place, it is the title it was printed as.
        let unspecked = normalize::without_stray_marks(head).filter(|_| doc.read_by_ocr(0))?;
        title_in(rules, &unspecked, 0)
    })
}

/// Every title phrase in `head`, of every type, as (type, start, end) byte offsets into `head`.
fn title_phrases<'r, 'h>(rules: &'r Rules, head: &'h str) -> impl Iterator<Item = (&'r DocType, usize, usize)> + 'h
where
    'r: 'h,
{
    rules.doctypes.iter().flat_map(move |doctype| {
        doctype
            .title
            .iter()
            .flat_map(move |re| re.find_iter(head).map(move |m| (doctype, m.start(), m.end())))
    })
}

/// The deciding title phrase in `head`, which starts at byte `offset` of the document.
fn title_in<'r>(rules: &'r Rules, head: &str, offset: usize) -> Option<(&'r DocType, usize, usize)> {
    title_phrases(rules, head)
        .map(|(doctype, start, end)| (doctype, offset + start, offset + end))
        .min_by_key(|(doctype, start, end)| (*start, doctype.resembles.is_empty(), end - start))
}

/// A cover letter with the document it sends on its later pages ("Направляем акт …", then the
/// signed act): the file holds that document, so it is that document. Only a title at the top of
/// a later page counts, never one the letter merely lists.
fn attached_document<'r>(rules: &'r Rules, doc: &NormalizedDoc) -> Option<(&'r DocType, usize, usize)> {
    doc.later_page_starts().find_map(|start| {
        let end = normalize::chars_after(&doc.text, start, rules.recognition.head_chars);
        title_in(rules, &doc.text[start..end], start).filter(|(doctype, ..)| doctype.resembles.is_empty())
    })
}

/// A decision that contradicts the title ("АКТ … о вводе в промышленную эксплуатацию … РЕШЕНИЕ:
/// отказать во вводе"): the type it makes the document, and where it stands. The decision is the
/// text after a decision phrase (`[subject] decisions` in `facts.toml`).
fn refuting_decision<'r>(
    rules: &'r Rules,
    doctype: &'r DocType,
    doc: &NormalizedDoc,
) -> Option<(&'r str, usize, usize)> {
    if doctype.refuted_by.is_empty() {
        return None;
    }
    let text = &doc.text;
    let reach = rules.facts.subject.decision_chars;
    rules
        .facts
        .subject
        .decisions
        .iter()
        .flat_map(|re| re.find_iter(text))
        .find_map(|decision| {
            let end = normalize::chars_after(text, decision.end(), reach);
            let zone = &text[decision.end()..end];
            doctype.refuted_by.iter().find_map(|(re, as_type)| {
                re.find(zone)
                    .map(|m| (as_type.as_str(), decision.end() + m.start(), decision.end() + m.end()))
            })
        })
}

/// Compiles every pattern recognition uses, the rules' and the dates'. Patterns otherwise
/// compile at their first search (a run that reads no document never pays for them); a run that
/// will read documents calls this on a thread of its own as it starts, so that compiling (about
/// 0.3 CPU-s) overlaps the first extractions instead of holding up the first recognitions.
pub fn compile_patterns(rules: &Rules) {
    for pattern in rules.patterns() {
        pattern.compile();
    }
    dates::compile_patterns();
}

/// Decides a document's type: by its title first, then by weighted body phrases (see the header
/// of `schemas/doctypes.toml`).
pub fn classify(rules: &Rules, doc: &NormalizedDoc) -> Classification {
    if let Some((title, start, end)) = title_match(rules, doc) {
        let (doctype, start, end) = match title.lists_only {
            true => attached_document(rules, doc).unwrap_or((title, start, end)),
            false => (title, start, end),
        };
        if let Some((as_type, at, to)) = refuting_decision(rules, doctype, doc) {
            return Classification {
                doc_type: as_type.to_string(),
                page: Some(doc.page_at(at)),
                snippet: Some(doc.snippet(at, to)),
            };
        }
        return Classification {
            doc_type: doctype.id.clone(),
            page: Some(doc.page_at(start)),
            snippet: Some(doc.snippet(start, end)),
        };
    }

    let mut best: Option<(u32, &str, usize, usize)> = None;
    for doctype in &rules.doctypes {
        let mut score = 0;
        let mut first: Option<(usize, usize)> = None;
        for (re, weight) in &doctype.body {
            if let Some(m) = re.find(&doc.text) {
                score += weight;
                first = first.or(Some((m.start(), m.end())));
            }
        }
        if score >= rules.recognition.min_body_score && best.is_none_or(|(s, ..)| score > s) {
            let (start, end) = first.unwrap_or((0, 0));
            best = Some((score, doctype.id.as_str(), start, end));
        }
    }
    match best {
        Some((_, id, start, end)) => Classification {
            doc_type: id.to_string(),
            page: Some(doc.page_at(start)),
            snippet: Some(doc.snippet(start, end)),
        },
        None => Classification::other(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Page;

    /// The type of a one-page document, typed or (`ocr`) scanned.
    fn classify_page(text: &str, ocr: bool) -> String {
        let rules = Rules::embedded().unwrap();
        let pages = [Page {
            number: 1,
            name: None,
            text: text.to_string(),
            ocr,
            doubtful_words: Vec::new(),
        }];
        classify(&rules, &NormalizedDoc::new(&pages)).doc_type
    }

    fn classify_text(text: &str) -> String {
        classify_page(text, false)
    }

    #[test]
    fn titles_decide_the_type() {
        assert_eq!(
            classify_text(
                "УТВЕРЖДАЮ\nВице-министр\nАКТ № 14-ПЭ\nввода в промышленную эксплуатацию информационной системы «Электронные обращения»"
            ),
            "commissioning_act"
        );
        assert_eq!(
            classify_text(
                "ПРОТОКОЛ № 112-ИБ\nиспытаний информационной системы «Е-обращения» на соответствие требованиям информационной безопасности"
            ),
            "security_test_protocol"
        );
        assert_eq!(
            classify_text("ТЕХНИЧЕСКОЕ ЗАДАНИЕ\nна создание информационной системы"),
            "technical_documentation"
        );
        assert_eq!(
            classify_text("«Электрондық өтініштер» ақпараттық жүйесін өнеркәсіптік пайдалануға енгізу туралы АКТ"),
            "commissioning_act"
        );
        assert_eq!(
            classify_text("Ақпараттық қауіпсіздік талаптарына сәйкестігіне сынақ хаттамасы № 7"),
            "security_test_protocol"
        );
        assert_eq!(
            classify_text("ОПИСАНИЕ АППАРАТНО-ПРОГРАММНОГО КОМПЛЕКСА «Ситуационный центр»"),
            "apk_description"
        );
    }

    #[test]
    fn a_scanned_title_is_read_past_the_marks_specks_leave() {
        for text in [
            "УТВЕРЖДАЮ\nАКТ № 10-ПЭ\nввода в: промышленную эксплуатацию информационной системы «X»",
            "УТВЕРЖДАЮ\nАКТ № 111-ПЭ\nввода в промышленную: эксплуатацию\nинформационной системы «X»",
        ] {
            assert_eq!(classify_page(text, true), "commissioning_act", "{text}");
            // Typed, such a title is not one: no scanner put the mark there.
            assert_ne!(classify_text(text), "commissioning_act", "{text}");
        }
        // The look-alike still wins over what it resembles.
        assert_eq!(
            classify_page(
                "АКТ № 3 об отказе во вводе в. промышленную эксплуатацию информационной системы «X»",
                true
            ),
            "commissioning_refusal"
        );
    }

    #[test]
    fn a_passing_mention_in_the_body_does_not_change_the_type() {
        let tz = format!(
            "ТЕХНИЧЕСКОЕ ЗАДАНИЕ на создание информационной системы. {} 7. По итогам опытной эксплуатации подписывается акт ввода в промышленную эксплуатацию.",
            "Требования к системе. ".repeat(60)
        );
        assert_eq!(classify_text(&tz), "technical_documentation");
    }

    #[test]
    fn trial_completion_is_not_commissioning() {
        assert_eq!(
            classify_text(
                "АКТ о завершении опытной эксплуатации информационной системы «X» и рекомендации к вводу в промышленную эксплуатацию"
            ),
            "trial_completion_act"
        );
    }

    #[test]
    fn statistics_sheets_are_recognised_by_their_rows() {
        assert_eq!(
            classify_text(
                "Показатель\tЗначение\nКоличество зарегистрированных пользователей\t12500\nКоличество государственных органов\t14"
            ),
            "user_statistics"
        );
    }

    #[test]
    fn unrelated_text_is_other() {
        assert_eq!(classify_text("Счёт-фактура № 12 за канцелярские товары"), OTHER);
        assert_eq!(classify_text(""), OTHER);
    }

    #[test]
    fn look_alikes_are_what_they_are() {
        for (text, expected) in [
            (
                "АКТ № 3 об отказе во вводе в промышленную эксплуатацию информационной системы «Электронные обращения»",
                "commissioning_refusal",
            ),
            (
                "«Электрондық өтініштер» ақпараттық жүйесін өнеркәсіптік пайдалануға енгізуден бас тарту туралы АКТ",
                "commissioning_refusal",
            ),
            (
                "АКТ готовности информационной системы «X» к вводу в промышленную эксплуатацию. Решение: продолжить опытную эксплуатацию.",
                "commissioning_readiness",
            ),
            (
                "АКТ ввода в опытную эксплуатацию информационной системы «X» с последующим вводом в промышленную эксплуатацию",
                "trial_start_act",
            ),
            (
                "ПРОТОКОЛ приемочных испытаний информационной системы «X». Заключение: соответствует требованиям технического задания и информационной безопасности",
                "acceptance_test_protocol",
            ),
            (
                "Исх. № 01-12/345 от 10.11.2026\nМинистерство цифрового развития\nНаправляем материалы. Приложение: 1) акт ввода в промышленную эксплуатацию информационной системы «X»",
                "cover_letter",
            ),
        ] {
            assert_eq!(classify_text(text), expected, "{text}");
        }
    }

    #[test]
    fn a_real_commissioning_act_is_still_one() {
        assert_eq!(
            classify_text(
                "УТВЕРЖДАЮ\nАКТ № 14-ПЭ\nввода в промышленную эксплуатацию информационной системы «X»\nКомиссия установила готовность системы."
            ),
            "commissioning_act"
        );
    }

    #[test]
    fn the_decision_overrules_the_title() {
        assert_eq!(
            classify_text(
                "АКТ приемочной комиссии по вводу в промышленную эксплуатацию информационной системы «X». Комиссия рассмотрела результаты опытной эксплуатации. РЕШЕНИЕ: отказать во вводе информационной системы «X» в промышленную эксплуатацию."
            ),
            "commissioning_refusal"
        );
        assert_eq!(
            classify_text(
                "АКТ № 4 ввода в промышленную эксплуатацию информационной системы «X». РЕШЕНИЕ: продолжить опытную эксплуатацию до устранения замечаний."
            ),
            "commissioning_readiness"
        );
        assert_eq!(
            classify_text(
                "АКТ № 4 ввода в промышленную эксплуатацию информационной системы «X». РЕШЕНИЕ: ввести информационную систему «X» в промышленную эксплуатацию с 12.05.2025."
            ),
            "commissioning_act"
        );
    }

    /// The normalised text of every readable file of the sample and adversarial corpora: the
    /// wordings the patterns were written for, and the near misses.
    fn corpus_texts() -> Vec<String> {
        let limits = crate::extract::Limits::without_ocr();
        ["corpora/sample", "corpora/adversarial"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)))
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| crate::extract::extract_file(entry.path(), &limits))
            .filter(|extracted| !extracted.pages.is_empty())
            .map(|extracted| NormalizedDoc::new(&extracted.pages).text)
            .collect()
    }

    /// `rules::Pattern` takes a shortcut for word boundaries; on every schema pattern and every
    /// real document it must find what the regex crate finds.
    #[test]
    fn every_schema_pattern_agrees_with_the_regex_crate_on_real_documents() {
        let rules = Rules::embedded().unwrap();
        let texts = corpus_texts();
        assert!(texts.len() > 50, "{} texts", texts.len());
        let patterns = rules.patterns();
        assert!(patterns.len() > 100, "{} patterns", patterns.len());
        let bounded = patterns.iter().filter(|p| p.has_word_boundaries()).count();
        assert!(bounded > 20, "{bounded} patterns with word boundaries");
        for pattern in patterns {
            let theirs = regex::RegexBuilder::new(pattern.as_str())
                .case_insensitive(true)
                .build()
                .unwrap();
            for text in crate::rules::PATTERN_TEXTS
                .iter()
                .copied()
                .chain(texts.iter().map(String::as_str))
            {
                crate::rules::pattern_agrees_with_regex(pattern, &theirs, text);
            }
        }
    }
}
