//! Files that hold several documents one after another: the act, the protocol and the terms of
//! reference scanned or merged into one PDF, a multi-page TIFF of two signed acts.
//!
//! A later page starts a new document only where a title block begins (`[recognition.split]` in
//! `schemas/doctypes.toml` says what counts as one). Each document is then classified and its
//! facts read on its own pages, so a protocol inside a bundle is judged by its own conclusion,
//! not by the act before it. The rule errs toward not splitting: a file left whole reads as a
//! file without a second title always has, while a wrong split could turn a sample act annexed to
//! the terms of reference into evidence.

use serde::{Deserialize, Serialize};

use super::normalize::{chars_after, chars_before, normalize_head};
use super::{Classification, DocFacts, NormalizedDoc, classify, read_facts, title_in, title_phrases};
use crate::card::ObjectCard;
use crate::extract::Page;
use crate::rules::Rules;

/// Pages `first..=last` of a file, by their numbers as extracted (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRange {
    pub first: u32,
    pub last: u32,
}

/// One document of a file that holds several.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentPart {
    pub pages: PageRange,
    pub classification: Classification,
    /// Read against the submission's card; `None` without one, as for a whole file.
    pub facts: Option<DocFacts>,
}

/// The documents of a file, each classified and its facts read on its own pages; empty when the
/// file is one document.
pub fn split_documents(rules: &Rules, pages: &[Page], card: Option<&ObjectCard>) -> Vec<DocumentPart> {
    let starts = document_starts(rules, pages);
    if starts.len() < 2 {
        return Vec::new();
    }
    let ends = starts.iter().skip(1).copied().chain([pages.len()]);
    starts
        .iter()
        .zip(ends)
        .filter_map(|(&start, end)| {
            let part = &pages[start..end];
            let (first, last) = (part.first()?, part.last()?);
            let doc = NormalizedDoc::new(part);
            Some(DocumentPart {
                pages: PageRange {
                    first: first.number,
                    last: last.number,
                },
                classification: classify(rules, &doc),
                facts: card.map(|card| read_facts(rules, &doc, part, Some(card))),
            })
        })
        .collect()
}

/// The index in `pages` of each document's first page: `[0]` for a file that is one document.
pub fn document_starts(rules: &Rules, pages: &[Page]) -> Vec<usize> {
    let mut starts = vec![0];
    // A title is looked for in a page's head, and a number up to twice the mark's reach past it:
    // the rest of the page is never read.
    let split = &rules.recognition.split;
    let page_head = |page: &Page| normalize_head(&page.text, split.head_chars + 2 * split.mark_reach);
    // What opened the current document: a page repeating it is a running header, not a new one.
    let mut opened_by = pages.first().and_then(|page| {
        let text = page_head(page);
        let head = &text[..chars_after(&text, 0, split.head_chars)];
        title_in(rules, head, 0).map(|(doctype, start, end)| Title {
            doc_type: doctype.id.clone(),
            text: text[start..end].to_lowercase(),
            numbered: true,
        })
    });
    for (index, page) in pages.iter().enumerate().skip(1) {
        let Some(title) = new_document_title(rules, &page_head(page)) else {
            continue;
        };
        let continues = opened_by.as_ref().is_some_and(|current| {
            current.doc_type == title.doc_type && (current.text == title.text || !title.numbered)
        });
        if !continues {
            starts.push(index);
            opened_by = Some(title);
        }
    }
    starts
}

/// A title block that opens a document.
struct Title {
    doc_type: String,
    /// The title as matched, lower case: a running header repeats it exactly.
    text: String,
    /// Whether a document number stands by the title.
    numbered: bool,
}

/// The type and title text of the document a page opens, if it opens one (see the header of
/// `[recognition.split]` in `schemas/doctypes.toml`).
///
/// The title is the earliest title match a mark touches, preferring one that holds its mark: in
/// "Приложение 2 к техническому заданию АКТ № 1 ввода …" the mention of the terms of reference
/// stands next to "АКТ", but the act's title holds it, and what stands before the act's title
/// then shows it to be an annex.
fn new_document_title(rules: &Rules, text: &str) -> Option<Title> {
    let split = &rules.recognition.split;
    let head = &text[..chars_after(text, 0, split.head_chars)];
    let marks: Vec<(usize, usize)> = split
        .marks
        .iter()
        .flat_map(|re| re.find_iter(head).map(|m| (m.start(), m.end())))
        .collect();
    if marks.is_empty() {
        return None;
    }
    let (doctype, start, end) = title_phrases(rules, head)
        .filter_map(|(doctype, start, end)| {
            let near = (
                chars_before(text, start, split.mark_reach),
                chars_after(text, end, split.mark_reach),
            );
            let holds = marks.iter().any(|&(from, to)| from >= start && to <= end);
            let touches = marks.iter().any(|&(from, to)| from < near.1 && to > near.0);
            touches.then_some((doctype, start, end, holds))
        })
        .min_by_key(|(doctype, start, end, holds)| (!holds, *start, doctype.resembles.is_empty(), end - start))
        .map(|(doctype, start, end, _)| (doctype, start, end))?;
    let inside_another = split.before_title.iter().any(|re| re.is_match(&text[..start]));
    let blank = split.blank.iter().any(|re| re.is_match(head));
    let numbered = split
        .number
        .is_match(&text[start..chars_after(text, end, 2 * split.mark_reach)]);
    (!inside_another && !blank).then(|| Title {
        doc_type: doctype.id.clone(),
        text: text[start..end].to_lowercase(),
        numbered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(texts: &[&str]) -> Vec<Page> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| Page {
                number: i as u32 + 1,
                name: None,
                text: text.to_string(),
                ocr: false,
                doubtful_words: Vec::new(),
            })
            .collect()
    }

    fn types(texts: &[&str]) -> Vec<(u32, u32, String)> {
        let rules = Rules::embedded().unwrap();
        split_documents(&rules, &pages(texts), None)
            .into_iter()
            .map(|part| (part.pages.first, part.pages.last, part.classification.doc_type))
            .collect()
    }

    const ACT: &str = "УТВЕРЖДАЮ\nВице-министр цифрового развития\n12.05.2025\nАКТ № 14-ПЭ\nввода в промышленную эксплуатацию информационной системы «Электронные обращения»\nКомиссия установила готовность системы.";
    const PROTOCOL: &str = "ПРОТОКОЛ № 112-ИБ\nиспытаний информационной системы «Электронные обращения» на соответствие требованиям информационной безопасности\nДата: 01.03.2025";
    const TZ: &str = "ТЕХНИЧЕСКОЕ ЗАДАНИЕ\nна создание информационной системы «Электронные обращения»";
    const PROSE: &str = "Требования к функциям системы описаны в разделах ниже.";

    #[test]
    fn a_merged_file_is_split_where_each_title_block_begins() {
        assert_eq!(
            types(&[
                ACT,
                PROSE,
                PROTOCOL,
                PROSE,
                "Заключение: соответствует требованиям ИБ.",
                TZ,
                PROSE
            ]),
            vec![
                (1, 2, "commissioning_act".to_string()),
                (3, 5, "security_test_protocol".to_string()),
                (6, 7, "technical_documentation".to_string()),
            ]
        );
    }

    #[test]
    fn kazakh_title_blocks_split_too() {
        let act = "«Электрондық өтініштер» ақпараттық жүйесін өнеркәсіптік пайдалануға енгізу туралы АКТ № 7";
        let protocol = "«Электрондық өтініштер» ақпараттық жүйесінің ақпараттық қауіпсіздік талаптарына сәйкестігіне сынақ ХАТТАМАСЫ № 9";
        let parts = types(&[TZ, PROSE, act, protocol]);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[1], (3, 3, "commissioning_act".to_string()));
    }

    #[test]
    fn one_document_is_not_split() {
        assert!(types(&[ACT, PROSE, PROSE]).is_empty());
        assert!(types(&[PROSE]).is_empty());
        assert!(types(&[]).is_empty());
    }

    /// Each case must keep the terms of reference whole: splitting would make the act it
    /// mentions, describes or annexes a document of its own, and possibly evidence.
    #[test]
    fn mentions_sections_forms_and_samples_do_not_split() {
        for page in [
            // A sentence at the top of a page.
            "По итогам опытной эксплуатации подписывается акт ввода в промышленную эксплуатацию информационной системы «Электронные обращения».",
            // A numbered section heading in capitals.
            "7.3 АКТ ВВОДА В ПРОМЫШЛЕННУЮ ЭКСПЛУАТАЦИЮ\nАкт подписывается комиссией.",
            "Раздел 8. АКТ ввода в промышленную эксплуатацию информационной системы",
            // An annex to the terms of reference: the form of the act, and a sample of it.
            "Приложение 2 к техническому заданию\nАКТ № 1 ввода в промышленную эксплуатацию информационной системы «Электронные обращения»",
            "Образец:\nАКТ № 1 ввода в промышленную эксплуатацию информационной системы «Электронные обращения»",
            // A blank form.
            "АКТ № ____\nввода в промышленную эксплуатацию информационной системы «______»",
        ] {
            assert!(types(&[TZ, page, PROSE]).is_empty(), "split at: {page}");
        }
    }

    #[test]
    fn a_running_header_continues_the_document() {
        let header = "ПРОТОКОЛ № 112-ИБ\nиспытаний информационной системы «Электронные обращения» на соответствие требованиям информационной безопасности\nстраница 2";
        assert!(types(&[PROTOCOL, header, header]).is_empty());
        // A re-test with its own number is a document of its own.
        let retest = PROTOCOL.replace("112-ИБ", "130-ИБ");
        assert_eq!(types(&[PROTOCOL, header, &retest]).len(), 2);
    }

    #[test]
    fn a_summary_in_the_other_language_continues_the_document() {
        let kk_summary = "ТЕХНИКАЛЫҚ ТАПСЫРМА (мемлекеттік тілдегі қысқаша мазмұны) 1. Жалпы мәліметтер.";
        assert!(types(&[TZ, PROSE, kk_summary]).is_empty());
    }

    #[test]
    fn a_cover_letter_and_the_act_it_sends_are_two_documents() {
        let letter = "Исх. № 01-12/345 от 10.11.2026\nМинистерство цифрового развития\nНаправляем акт ввода в промышленную эксплуатацию информационной системы «Электронные обращения».";
        assert_eq!(
            types(&[letter, ACT]),
            vec![
                (1, 1, "cover_letter".to_string()),
                (2, 2, "commissioning_act".to_string())
            ]
        );
    }
}
