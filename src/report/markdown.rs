//! Markdown: one report per submission, and the missing-documents summary grouped by state body.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::summaries;
use super::text::{
    Label, file_status_name, kind_and_stage, level_name, level_with_cite, missing_p5_information, p5_information,
    page_range, status_label, verdict_name,
};
use super::{CriteriaReport, FileReport, Lang, Report, RequirementReport, SubmissionReport};

/// Markdown table cells hold document text: keep them on one line and keep `|` from splitting them.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

pub fn submission_markdown(report: &Report, s: &SubmissionReport) -> String {
    let mut out = String::new();
    header(&mut out, report, s);
    if !s.requirements.is_empty() {
        requirements_table(&mut out, report, s);
    }
    if let Some(c) = &s.criteria {
        criteria_section(&mut out, report, c);
    }
    to_submit(&mut out, report, s);
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "## {}\n", Label::Warnings.get(report.lang));
        for w in &s.warnings {
            let _ = writeln!(out, "- {}", cell(&w.text));
        }
        out.push('\n');
    }
    files_table(&mut out, report, s);
    out
}

/// The title and the card's facts, with the verdict and its level.
fn header(out: &mut String, report: &Report, s: &SubmissionReport) {
    let lang = report.lang;
    let title = s.name.as_deref().unwrap_or(&s.object_id);
    let _ = writeln!(out, "# {} — {}\n", cell(&s.object_id), cell(title));
    let _ = writeln!(out, "- {}: `{}`", Label::Directory.get(lang), s.path);
    if let Some(owner) = &s.owner {
        let _ = writeln!(out, "- {}: {}", Label::StateBody.get(lang), cell(owner));
    }
    let _ = writeln!(
        out,
        "- {}: {}",
        Label::KindStage.get(lang),
        kind_and_stage(s.kind.as_deref(), s.stage.as_deref(), lang)
    );
    let _ = writeln!(out, "- {}: {}", Label::AsOf.get(lang), report.as_of.dotted());
    let _ = writeln!(
        out,
        "- **{}: {}; {}: {}**\n",
        Label::Verdict.get(lang),
        verdict_name(s.verdict, lang),
        level_with_cite(&report.rules_text.acts, lang),
        level_name(s.level, lang)
    );
    let _ = writeln!(out, "{}\n", s.summary);
}

/// The p. 6(1) test: its sentence, then the total and each group against its threshold.
fn criteria_section(out: &mut String, report: &Report, c: &CriteriaReport) {
    let lang = report.lang;
    let _ = writeln!(out, "## {}\n\n{}\n", Label::SelectionCriteria.get(lang), c.reason);
    let Some(criteria) = &report.rules_text.criteria else {
        return;
    };
    table_header(
        out,
        &[
            Label::CriteriaGroup,
            Label::Points,
            Label::PointsRequired,
            Label::Outcome,
        ],
        lang,
    );
    for score in summaries::scores(criteria, c, lang) {
        let name = match &score.group {
            Some(group) => cell(group),
            None => format!("**{}**", Label::Total.get(lang)),
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            summaries::points(score.points, lang),
            summaries::at_least_points(score.min, lang),
            summaries::met(score.passes, lang)
        );
    }
    out.push('\n');
}

/// Each requirement: its title and paragraph, status, reason and the documents that show it.
fn requirements_table(out: &mut String, report: &Report, s: &SubmissionReport) {
    let lang = report.lang;
    let _ = writeln!(out, "## {}\n", p5_information(&report.rules_text.acts, lang));
    table_header(
        out,
        &[Label::Requirement, Label::Status, Label::Reason, Label::Evidence],
        lang,
    );
    for r in &s.requirements {
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {} | {} |",
            cell(&r.title),
            cell(&r.cite),
            status_label(r.status, lang),
            cell(&r.reason),
            evidence(report, r)
        );
    }
    out.push('\n');
}

/// Where a requirement's evidence is: a document of a bundled file by its pages; elsewhere by the
/// page quoted.
fn evidence(report: &Report, r: &RequirementReport) -> String {
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
    places
        .into_iter()
        .map(|(file, pages)| match pages {
            Some(pages) => format!("`{file}` {} {pages}", Label::PagesAbbr.get(report.lang)),
            None => format!("`{file}`"),
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn to_submit(out: &mut String, report: &Report, s: &SubmissionReport) {
    let to_do: Vec<_> = s.requirements.iter().filter(|r| !r.status.is_satisfied()).collect();
    if to_do.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", Label::WhatToSubmit.get(report.lang));
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

/// Every file: how it was read, its document type, and who signed it or what it signs.
fn files_table(out: &mut String, report: &Report, s: &SubmissionReport) {
    let lang = report.lang;
    let _ = writeln!(out, "## {}\n", Label::Files.get(lang));
    table_header(
        out,
        &[Label::File, Label::Status, Label::DocumentType, Label::Note],
        lang,
    );
    for f in &s.files {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.file.replace('`', "'"),
            file_status_name(f.status, lang),
            cell(&report.rules_text.doc_type_name(&f.doc_type, lang)),
            cell(&file_notes(f, lang).join("; "))
        );
        // A file that holds several documents lists each under it, by its pages.
        for part in &f.documents {
            let _ = writeln!(
                out,
                "| ↳ {} {} | | {} | |",
                Label::PagesAbbr.get(lang),
                page_range(part.pages),
                cell(&report.rules_text.doc_type_name(&part.doc_type, lang))
            );
        }
    }
}

/// What happened in reading it; beside the signed document, who signed it; on a signature file,
/// what it signs.
fn file_notes(f: &FileReport, lang: Lang) -> Vec<String> {
    f.note(lang)
        .into_iter()
        .chain(f.signed_by.iter().map(|s| s.text.clone()))
        .chain(
            f.signatures
                .iter()
                .filter(|s| s.signature.signed_file.as_deref() != Some(f.file.as_str()))
                .map(|s| s.text.clone()),
        )
        .collect()
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
        let owner = s
            .owner
            .clone()
            .unwrap_or_else(|| Label::StateBodyNotStated.get(lang).to_string());
        by_owner.entry(owner).or_default().push(s);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({})\n",
        missing_p5_information(&report.rules_text.acts, lang),
        report.as_of.dotted()
    );
    if by_owner.is_empty() {
        let _ = writeln!(out, "{}", Label::EveryObjectComplies.get(lang));
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

/// A Markdown table's header row and its rule.
fn table_header(out: &mut String, columns: &[Label], lang: Lang) {
    let names: Vec<&str> = columns.iter().map(|c| c.get(lang)).collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(columns.len()));
}

#[cfg(test)]
mod tests {
    use super::submission_markdown;
    use crate::report::Lang;
    use crate::report::html::tests::{POINTS_FAIL, by_id, nightly_with_points};

    #[test]
    fn the_points_are_given_by_group_against_their_thresholds() {
        let report = nightly_with_points(Lang::Ru).report;
        let md = submission_markdown(&report, by_id(&report, POINTS_FAIL));
        for row in [
            "| Группа критериев | Баллы | Требуется | Итог |",
            "| **Всего** | 1 балл | не менее 3 баллов | не выполнено |",
            "| Масштаб | 1 балл | не менее 1 балла | выполнено |",
            "| Категория | 0 баллов | не менее 1 балла | не выполнено |",
            "| Пользователи | 0 баллов | не менее 1 балла | не выполнено |",
        ] {
            assert!(md.contains(row), "{row}\n{md}");
        }
        let report = nightly_with_points(Lang::Kk).report;
        let md = submission_markdown(&report, by_id(&report, POINTS_FAIL));
        assert!(md.contains("| Санат | 0 балл | кемінде 1 балл | орындалмады |"), "{md}");
    }
}
