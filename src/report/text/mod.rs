//! The catalogue: every human-facing word of the reports, in Russian, Kazakh and English.
//!
//! One way to get text: a function or a [`Label`] of this module, given a [`Lang`]. Renderers
//! (`markdown.rs`, `html.rs`, `letter.rs`, `xlsx.rs`, `table.rs`) hold no sentence and no label of
//! their own, and never show an internal id (a requirement id, a document type id, a status word)
//! to a reader of Russian or Kazakh. Legal acts are data (`schemas/acts.toml`), cited through
//! [`acts`].
//!
//! - this file: the shared vocabulary — statuses, verdicts, levels, file statuses, object kinds,
//!   stages, document-type names (from the rules), requirement titles;
//! - [`labels`]: headings, column names and short phrases of the renderers;
//! - [`acts`]: paragraph citations and full citations of the acts;
//! - [`findings`]: findings, warnings, the summary, the criteria sentence, the nightly notices;
//! - [`signatures`]: electronic signatures as sentences;
//! - [`letters`]: the two letters, the recommendation and the request;
//! - [`summaries`]: points and their plurals, the p. 6(1) test by group, short state-body names;
//! - [`web`]: the words of `serve`'s pages.

pub(crate) mod acts;
mod findings;
mod labels;
pub(crate) mod letters;
mod signatures;
pub(crate) mod summaries;
pub mod web;

pub use findings::{criteria, deadline, expiry, finding, summary, warning};
pub use labels::{
    Label, check_title, diff_totals_sentence, level_with_cite, matrix_heading, missing_p5_information, p5_information,
};
pub use signatures::{signature_file_note, signed_by};

use super::Lang;
use crate::card::{ObjectKind, Stage};
use crate::evaluate::{Level, Status, Verdict};
use crate::extract::{FileStatus, Format};
use crate::rules::{
    Act, CountField, Criteria, CriteriaTest, Declension, Letterhead, LevelPolicy, Localized, OBJECT_CARD, OTHER, Rules,
    SIGNATURE,
};

/// The text of `lang` among three: the one place a language picks its words.
fn pick<T>(lang: Lang, ru: T, kk: T, en: T) -> T {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
}

/// What the renderers that get only a [`crate::report::Report`] need of the rules: the acts to
/// cite and the names of the document types.
#[derive(Debug, Clone, Default)]
pub struct RulesText {
    pub acts: Vec<Act>,
    /// A boxed slice, not a `Vec`: a report stays small beside the other kinds of saved report.
    doc_types: Box<[(String, Localized)]>,
    /// The p. 6(1) test, for the points by group (`None` only in a report read back from JSON).
    pub criteria: Option<Box<Criteria>>,
    /// The letters' sender and the dative of names (`letterhead.toml`, `declension.toml`).
    pub letterhead: Box<Letterhead>,
    pub declension: Box<Declension>,
    /// Which verdict gives which level (`policy.toml`), for the letters to say; `None` only in a
    /// report read back from JSON.
    pub levels: Option<LevelPolicy>,
}

impl RulesText {
    pub fn new(rules: &Rules) -> RulesText {
        RulesText {
            acts: rules.acts.clone(),
            doc_types: rules.doctypes.iter().map(|d| (d.id.clone(), d.name.clone())).collect(),
            criteria: Some(Box::new(rules.criteria.clone())),
            letterhead: Box::new(rules.letterhead.clone()),
            declension: Box::new(rules.declension.clone()),
            levels: Some(rules.policy.levels.clone()),
        }
    }

    /// Where a criteria group stands in `criteria.toml` (Appendix 2's order); unknown ones last.
    pub fn criteria_group_order(&self, id: &str) -> usize {
        let groups = self.criteria.as_deref().map(|c| c.group.as_slice()).unwrap_or_default();
        groups.iter().position(|g| g.id == id).unwrap_or(usize::MAX)
    }

    /// The p. 6(1) test's thresholds and citation, for the letters.
    pub fn criteria_test(&self) -> Option<&CriteriaTest> {
        self.criteria.as_deref().map(|c| &c.test)
    }

    /// A criteria group's title, or its id in quotes when the rules no longer know it.
    pub fn criteria_group_title(&self, id: &str, lang: Lang) -> String {
        let group = self
            .criteria
            .as_deref()
            .and_then(|c| c.group.iter().find(|g| g.id == id));
        match group {
            Some(group) => group.title.get(lang).to_string(),
            None => format!("«{id}»"),
        }
    }

    /// A document type's name, as [`doc_type_name`] gives it.
    pub fn doc_type_name(&self, id: &str, lang: Lang) -> String {
        match self.doc_types.iter().find(|(known, _)| known == id) {
            Some((_, name)) => name.get(lang).to_string(),
            None => reserved_doc_type_name(id, lang),
        }
    }
}

/// A document type's name: from the rules, or one of the reserved types the pipeline gives.
pub fn doc_type_name(rules: &Rules, id: &str, lang: Lang) -> String {
    match rules.doctype(id) {
        Some(doctype) => doctype.name.get(lang).to_string(),
        None => reserved_doc_type_name(id, lang),
    }
}

/// The reserved document types' names; an id the rules no longer know stays as it is.
fn reserved_doc_type_name(id: &str, lang: Lang) -> String {
    let (ru, kk, en) = match id {
        OTHER => ("документ не распознан", "құжат танылмады", "not recognised"),
        OBJECT_CARD => ("карточка объекта", "объект карточкасы", "object card"),
        SIGNATURE => (
            "файл электронной цифровой подписи",
            "электрондық цифрлық қолтаңба файлы",
            "electronic signature file",
        ),
        _ => return id.to_string(),
    };
    pick(lang, ru, kk, en).to_string()
}

/// A count of p. 5(1) by its card field.
pub fn field_name(field: CountField, lang: Lang) -> String {
    let (ru, kk, en) = match field {
        CountField::RegisteredUsers => (
            "количество зарегистрированных пользователей",
            "тіркелген пайдаланушылар саны",
            "number of registered users",
        ),
        CountField::StateBodies => (
            "количество государственных органов",
            "мемлекеттік органдар саны",
            "number of state bodies",
        ),
        CountField::DeploymentSites => (
            "количество объектов внедрения",
            "енгізілген объектілер саны",
            "number of deployment sites",
        ),
    };
    pick(lang, ru, kk, en).to_string()
}

/// How a file was read.
pub fn file_status_name(status: FileStatus, lang: Lang) -> String {
    use FileStatus::*;
    let (ru, kk, en) = match status {
        Ok => ("прочитан", "оқылды", "read"),
        Ocr => ("распознан (OCR)", "танылды (OCR)", "read by OCR"),
        NoText => ("нет текстового слоя", "мәтін қабаты жоқ", "no text layer"),
        Encrypted => ("защищён паролем", "құпиясөзбен қорғалған", "password-protected"),
        Corrupt => ("повреждён", "бүлінген", "corrupt"),
        TooLarge => ("слишком большой", "тым үлкен", "too large"),
        Failed => ("не прочитан", "оқылмады", "could not be read"),
        Unsupported => ("формат не читается", "пішімі оқылмайды", "format not read"),
    };
    pick(lang, ru, kk, en).to_string()
}

/// A file status by its JSON id (`ok`, `no_text`, …), as the report's totals count them.
pub fn file_status_name_of(id: &str, lang: Lang) -> String {
    use FileStatus::*;
    [Ok, Ocr, NoText, Encrypted, Corrupt, TooLarge, Failed, Unsupported]
        .into_iter()
        .find(|s| s.as_str() == id)
        .map(|s| file_status_name(s, lang))
        .unwrap_or_else(|| format!("«{id}»"))
}

/// What a reader of the report is told of a file beside its status, if anything. The readers'
/// own words (`reason`: "PDF does not parse: …") are English, for the operator: a Russian or
/// Kazakh reader gets the catalogue's sentence for what happened instead, and the reader's words
/// stay in the JSON report's `reason`.
pub fn file_note(
    status: FileStatus,
    format: Format,
    incomplete: bool,
    reason: Option<&str>,
    lang: Lang,
) -> Option<String> {
    use FileStatus::*;
    if lang == Lang::En {
        return reason.map(str::to_string);
    }
    let (ru, kk) = match status {
        Ok | Ocr if incomplete => (
            "Часть содержимого файла прочитать не удалось; текст может быть неполным.",
            "Файл мазмұнының бір бөлігін оқу мүмкін болмады; мәтін толық болмауы мүмкін.",
        ),
        Ok if format == Format::Archive => (
            "Архив: каждый вложенный в него файл указан отдельно.",
            "Мұрағат: оның ішіндегі әрбір файл жеке көрсетілген.",
        ),
        Ok | Ocr => return None,
        NoText => (
            "Текст в файле не найден: страницы пусты либо содержат изображения, на которых текст не распознан.",
            "Файлда мәтін табылмады: беттер бос немесе мәтіні танылмаған кескіндерден тұрады.",
        ),
        Encrypted => (
            "Файл защищён паролем; текст не извлечён.",
            "Файл құпиясөзбен қорғалған; мәтін алынбады.",
        ),
        Corrupt => (
            "Файл повреждён или не соответствует своему формату; текст не извлечён.",
            "Файл бүлінген немесе өз пішіміне сәйкес келмейді; мәтін алынбады.",
        ),
        TooLarge => (
            "Файл превышает пределы, установленные для обработки (по размеру, числу страниц или вложенных файлов); \
             его текст не извлечён или извлечён не полностью.",
            "Файл өңдеуге белгіленген шектерден (көлемі, беттер немесе ішіндегі файлдар саны бойынша) асады; \
             оның мәтіні алынбады немесе толық алынбады.",
        ),
        Failed => (
            "Файл не удалось прочитать; текст не извлечён.",
            "Файлды оқу мүмкін болмады; мәтін алынбады.",
        ),
        Unsupported => (
            // Also a symbolic link, not followed, or a signature inside a signature.
            "Формат или вид файла не поддерживается; текст не извлечён.",
            "Файлдың пішіміне немесе түріне қолдау көрсетілмейді; мәтін алынбады.",
        ),
    };
    Some(pick(lang, ru, kk, "").to_string())
}

/// Pages of a bundled file's document: "3–5", or "3" for one page.
pub(crate) fn page_range(range: crate::recognize::PageRange) -> String {
    match range.first == range.last {
        true => range.first.to_string(),
        false => format!("{}–{}", range.first, range.last),
    }
}

/// A lifecycle stage (Law Art. 1(6-7)).
pub fn stage_name(stage: Stage, lang: Lang) -> String {
    use Stage::*;
    let (ru, kk, en) = match stage {
        Creation => ("создание", "құру", "creation"),
        TrialOperation => ("опытная эксплуатация", "тәжірибелік пайдалану", "trial operation"),
        IndustrialOperation => (
            "промышленная эксплуатация",
            "өнеркәсіптік пайдалану",
            "industrial operation",
        ),
        Development => ("развитие", "дамыту", "development"),
        Decommissioned => ("прекращение эксплуатации", "пайдалануды тоқтату", "decommissioned"),
    };
    pick(lang, ru, kk, en).to_string()
}

/// The kind of informatization object.
pub fn kind_name(kind: ObjectKind, lang: Lang) -> String {
    let (ru, kk, en) = match kind {
        ObjectKind::InformationSystem => ("информационная система", "ақпараттық жүйе", "information system"),
        ObjectKind::HardwareSoftwareComplex => (
            "аппаратно-программный комплекс",
            "аппараттық-бағдарламалық кешен",
            "hardware-software complex",
        ),
        ObjectKind::PlatformSoftwareProduct => (
            "программный продукт информационно-коммуникационной платформы",
            "ақпараттық-коммуникациялық платформаның бағдарламалық өнімі",
            "software product of the ICT platform",
        ),
    };
    pick(lang, ru, kk, en).to_string()
}

/// A card's kind and stage as the report's JSON carries them (ids), for a reader: "—" when absent.
pub fn kind_and_stage(kind: Option<&str>, stage: Option<&str>, lang: Lang) -> String {
    let kind = kind.map(|k| {
        ObjectKind::parse(k)
            .map(|k| kind_name(k, lang))
            .unwrap_or_else(|| format!("«{k}»"))
    });
    let stage = stage.map(|s| {
        Stage::parse(s)
            .map(|s| stage_name(s, lang))
            .unwrap_or_else(|| format!("«{s}»"))
    });
    format!(
        "{} / {}",
        kind.as_deref().unwrap_or("—"),
        stage.as_deref().unwrap_or("—")
    )
}

/// Order No. 193 p. 26: the level of compliance.
pub fn level_name(level: Level, lang: Lang) -> String {
    let (ru, kk, en) = match level {
        Level::Fully => ("полностью соответствует", "толық сәйкес келеді", "fully complies"),
        Level::Partially => ("частично соответствует", "ішінара сәйкес келеді", "partially complies"),
        Level::Not => ("не соответствует", "сәйкес келмейді", "does not comply"),
    };
    pick(lang, ru, kk, en).to_string()
}

pub fn verdict_name(verdict: Verdict, lang: Lang) -> String {
    let (ru, kk, en) = match verdict {
        Verdict::Complies => ("соответствует", "сәйкес келеді", "complies"),
        Verdict::NeedsReview => ("требует проверки", "тексеруді қажет етеді", "needs review"),
        Verdict::DoesNotComply => ("не соответствует", "сәйкес келмейді", "does not comply"),
    };
    pick(lang, ru, kk, en).to_string()
}

/// A verdict by its JSON id (`complies`, …), as the report's totals count them.
pub fn verdict_name_of(id: &str, lang: Lang) -> String {
    [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply]
        .into_iter()
        .find(|v| v.as_str() == id)
        .map(|v| verdict_name(v, lang))
        .unwrap_or_else(|| format!("«{id}»"))
}

pub fn status_label(status: Status, lang: Lang) -> String {
    let (ru, kk, en) = match status {
        Status::Present => ("есть", "бар", "present"),
        Status::ExpiredAccepted => ("истёк, допускается", "мерзімі өткен, рұқсат", "expired, accepted"),
        Status::NeedsReview => ("проверить", "тексеру", "needs review"),
        Status::Expired => ("истёк", "мерзімі өткен", "expired"),
        Status::Invalid => ("недействителен", "жарамсыз", "invalid"),
        Status::Missing => ("отсутствует", "жоқ", "missing"),
    };
    pick(lang, ru, kk, en).to_string()
}

/// A requirement's title in `lang`, or its id when the rules no longer know it.
pub(crate) fn requirement_title(rules: &Rules, id: &str, lang: Lang) -> String {
    rules
        .requirements
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.title.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const READERS_WORDS: &str = "PDF does not parse: failed parsing cross reference table";

    #[test]
    fn a_file_note_in_russian_or_kazakh_is_the_catalogues_sentence_never_the_readers_words() {
        for lang in [Lang::Ru, Lang::Kk] {
            for status in FileStatus::ALL {
                let note = file_note(status, Format::Pdf, false, Some(READERS_WORDS), lang);
                match status {
                    FileStatus::Ok | FileStatus::Ocr => assert_eq!(note, None, "{status:?} {lang:?}"),
                    _ => {
                        let note = note.unwrap_or_default();
                        assert!(note.chars().any(is_cyrillic), "{status:?} {lang:?}: {note}");
                        assert!(
                            !note.chars().any(|c| c.is_ascii_alphabetic()),
                            "{status:?} {lang:?}: {note}"
                        );
                    }
                }
            }
            // Read, but not all of it: the reader is told its text may lack part of the document.
            let partly = file_note(FileStatus::Ocr, Format::Pdf, true, Some("page 2: not OCRed"), lang).unwrap();
            assert!(!partly.chars().any(|c| c.is_ascii_alphabetic()), "{partly}");
            assert_ne!(file_note(FileStatus::Ok, Format::Archive, false, None, lang), None);
        }
        assert_eq!(
            file_note(FileStatus::Corrupt, Format::Pdf, false, Some(READERS_WORDS), Lang::En).as_deref(),
            Some(READERS_WORDS)
        );
    }

    fn is_cyrillic(c: char) -> bool {
        ('\u{400}'..='\u{4ff}').contains(&c)
    }
}
