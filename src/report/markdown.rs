//! Markdown: one report per submission, and the missing-documents summary grouped by state body.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::{level_name, page_range, status_label, verdict_name};
use super::{Lang, Report, SubmissionReport};

fn t<'a>(lang: Lang, ru: &'a str, kk: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
}

/// Markdown table cells hold document text: keep them on one line and keep `|` from splitting them.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

pub fn submission_markdown(report: &Report, s: &SubmissionReport) -> String {
    let lang = report.lang;
    let mut out = String::new();
    let title = s.name.as_deref().unwrap_or(&s.object_id);
    let _ = writeln!(out, "# {} — {}\n", cell(&s.object_id), cell(title));
    let _ = writeln!(out, "- {}: `{}`", t(lang, "Каталог", "Каталог", "Directory"), s.path);
    if let Some(owner) = &s.owner {
        let _ = writeln!(
            out,
            "- {}: {}",
            t(lang, "Государственный орган", "Мемлекеттік орган", "State body"),
            cell(owner)
        );
    }
    let _ = writeln!(
        out,
        "- {}: {} / {}",
        t(lang, "Вид / стадия", "Түрі / сатысы", "Kind / stage"),
        s.kind.as_deref().unwrap_or("—"),
        s.stage.as_deref().unwrap_or("—")
    );
    let _ = writeln!(
        out,
        "- {}: {}",
        t(lang, "Дата проверки", "Тексеру күні", "As of"),
        report.as_of.dotted()
    );
    let _ = writeln!(
        out,
        "- **{}: {}; {}: {}**\n",
        t(lang, "Вывод", "Қорытынды", "Verdict"),
        verdict_name(s.verdict, lang),
        t(
            lang,
            "уровень (п. 26 Правил № 193)",
            "деңгейі (№ 193 Қағидалардың 26-т.)",
            "level (Order No. 193 p. 26)"
        ),
        level_name(s.level, lang)
    );
    let _ = writeln!(out, "{}\n", s.summary);

    if !s.requirements.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n",
            t(
                lang,
                "Сведения по п. 5 Правил № 29",
                "№ 29 Қағидалардың 5-тармағы бойынша мәліметтер",
                "Order No. 29 p. 5 information"
            )
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t(lang, "Требование", "Талап", "Requirement"),
            t(lang, "Статус", "Мәртебесі", "Status"),
            t(lang, "Основание", "Негіздеме", "Reason"),
            t(lang, "Документ", "Құжат", "Evidence")
        );
        let _ = writeln!(out, "|---|---|---|---|");
        for r in &s.requirements {
            // A document of a bundled file is found by its pages; elsewhere by the page quoted.
            let mut places: Vec<(&str, Option<String>)> = r
                .evidence
                .iter()
                .map(|e| {
                    let pages = match (e.pages, e.page) {
                        (Some(range), _) => Some(page_range(range)),
                        (None, Some(page)) => Some(page.to_string()),
                        (None, None) => None,
                    };
                    (e.file.as_str(), pages)
                })
                .collect();
            places.dedup();
            let evidence = places
                .into_iter()
                .map(|(file, pages)| match pages {
                    Some(pages) => format!("`{file}` {} {pages}", t(lang, "стр.", "бет", "p.")),
                    None => format!("`{file}`"),
                })
                .collect::<Vec<_>>()
                .join("<br>");
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} | {} |",
                cell(&r.title),
                cell(&r.cite),
                status_label(r.status, lang),
                cell(&r.reason),
                evidence
            );
        }
        out.push('\n');
    }
    if let Some(c) = &s.criteria {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n",
            t(lang, "Критерии отбора", "Іріктеу өлшемшарттары", "Selection criteria"),
            c.reason
        );
    }
    let to_do: Vec<_> = s.requirements.iter().filter(|r| !r.status.is_satisfied()).collect();
    if !to_do.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n",
            t(lang, "Что необходимо представить", "Не ұсыну қажет", "What to submit")
        );
        for r in to_do {
            let _ = writeln!(
                out,
                "1. {} ({})",
                r.to_submit.as_deref().map(cell).unwrap_or_else(|| cell(&r.title)),
                cell(&r.cite)
            );
        }
        out.push('\n');
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "## {}\n", t(lang, "Замечания", "Ескертулер", "Warnings"));
        for w in &s.warnings {
            let _ = writeln!(out, "- {}", cell(&w.text));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", t(lang, "Файлы", "Файлдар", "Files"));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |",
        t(lang, "Файл", "Файл", "File"),
        t(lang, "Статус", "Мәртебесі", "Status"),
        t(lang, "Тип", "Түрі", "Type"),
        t(lang, "Примечание", "Ескерту", "Note")
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for f in &s.files {
        // Beside the signed document: who signed it; on a signature file: what it signs.
        let notes: Vec<&str> = f
            .reason
            .iter()
            .map(String::as_str)
            .chain(f.signed_by.iter().map(|s| s.text.as_str()))
            .chain(
                f.signatures
                    .iter()
                    .filter(|s| s.signature.signed_file.as_deref() != Some(f.file.as_str()))
                    .map(|s| s.text.as_str()),
            )
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.file.replace('`', "'"),
            f.status.as_str(),
            f.doc_type,
            cell(&notes.join("; "))
        );
        // A file that holds several documents lists each under it, by its pages.
        for part in &f.documents {
            let _ = writeln!(
                out,
                "| ↳ {} {} | | {} | |",
                t(lang, "стр.", "бет", "p."),
                page_range(part.pages),
                part.doc_type
            );
        }
    }
    out
}

/// What each state body still owes, submission by submission.
pub fn missing_documents_markdown(report: &Report) -> String {
    let lang = report.lang;
    let mut by_owner: BTreeMap<String, Vec<&SubmissionReport>> = BTreeMap::new();
    for s in report
        .submissions
        .iter()
        .filter(|s| s.verdict != crate::evaluate::Verdict::Complies)
    {
        let owner = s.owner.clone().unwrap_or_else(|| {
            t(
                lang,
                "(государственный орган не указан)",
                "(мемлекеттік орган көрсетілмеген)",
                "(state body not stated)",
            )
            .to_string()
        });
        by_owner.entry(owner).or_default().push(s);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({})\n",
        t(
            lang,
            "Недостающие сведения по п. 5 Правил № 29",
            "№ 29 Қағидалардың 5-тармағы бойынша жетіспейтін мәліметтер",
            "Missing Order No. 29 p. 5 information"
        ),
        report.as_of.dotted()
    );
    if by_owner.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            t(
                lang,
                "Все объекты соответствуют.",
                "Барлық объектілер сәйкес келеді.",
                "Every object complies."
            )
        );
    }
    for (owner, submissions) in by_owner {
        let _ = writeln!(out, "## {}\n", cell(&owner));
        for s in submissions {
            let _ = writeln!(
                out,
                "### {} — {} ({})\n",
                cell(&s.object_id),
                cell(s.name.as_deref().unwrap_or("")),
                verdict_name(s.verdict, lang)
            );
            let _ = writeln!(out, "{}\n", cell(&s.summary));
            for r in s.requirements.iter().filter(|r| !r.status.is_satisfied()) {
                let _ = writeln!(
                    out,
                    "- **{}** ({}): {} {}",
                    cell(&r.title),
                    cell(&r.cite),
                    cell(&r.reason),
                    r.to_submit.as_deref().map(cell).unwrap_or_default()
                );
            }
            if let Some(c) = s.criteria.as_ref().filter(|c| !c.passes) {
                let _ = writeln!(out, "- {}", cell(&c.reason));
            }
            out.push('\n');
        }
    }
    out
}
