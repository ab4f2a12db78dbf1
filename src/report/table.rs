//! The terminal table: one row per submission, then the totals, all in the report language.

use std::fmt::Write;

use super::text::{Label, file_status_name_of, level_name, status_label, verdict_name, verdict_name_of};
use super::{Lang, Report, SubmissionReport};

pub fn table(report: &Report) -> String {
    let lang = report.lang;
    let headers = [
        Label::Object,
        Label::Verdict,
        Label::Level,
        Label::Points,
        Label::ProblemsColumn,
    ]
    .map(|label| label.get(lang));
    let rows: Vec<[String; 5]> = report.submissions.iter().map(|s| row(s, lang)).collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 5]| {
        for (i, cell) in cells.iter().enumerate().take(4) {
            let _ = write!(out, "{cell:<w$}  ", w = widths[i]);
        }
        let _ = writeln!(out, "{}", cells[4]);
    };
    line(&mut out, headers);
    for row in &rows {
        line(&mut out, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    totals(&mut out, report);
    out
}

/// One submission: id, verdict, level, points ("!" when the criteria fail) and what is wrong.
fn row(s: &SubmissionReport, lang: Lang) -> [String; 5] {
    let problems = s
        .requirements
        .iter()
        .filter(|r| !r.status.is_satisfied())
        .map(|r| format!("{} ({})", r.title, status_label(r.status, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let problems = match &s.criteria {
        _ if s.requirements.is_empty() => s.summary.clone(),
        Some(c) if !c.passes => [problems, Label::SelectionCriteria.get(lang).to_lowercase()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        _ => problems,
    };
    [
        s.object_id.clone(),
        verdict_name(s.verdict, lang),
        level_name(s.level, lang),
        s.criteria
            .as_ref()
            .map(|c| format!("{}{}", c.points, if c.passes { "" } else { "!" }))
            .unwrap_or("—".into()),
        problems,
    ]
}

/// "Объектов: 12 (соответствует 3, …)" and "Файлы: 40 (прочитан 35, …)".
fn totals(out: &mut String, report: &Report) {
    let lang = report.lang;
    let totals = &report.totals;
    let verdicts = totals
        .verdicts
        .iter()
        .map(|(k, v)| format!("{} — {v}", verdict_name_of(k, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let statuses = totals
        .file_statuses
        .iter()
        .map(|(k, v)| format!("{} — {v}", file_status_name_of(k, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "\n{}: {} ({verdicts})",
        Label::Submissions.get(lang),
        totals.submissions
    );
    let _ = writeln!(out, "{}: {} ({statuses})", Label::Files.get(lang), totals.files);
}
