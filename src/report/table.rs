//! The terminal table: one row per submission, sorted by state body and then object, then the
//! totals, all in the report language: names and labels, never an id or a status word.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::summaries::{self, state_body_short};
use super::text::{Label, file_status_name_of, level_name, status_label, verdict_name, verdict_name_of};
use super::{Lang, Report, SubmissionReport};

/// A state body's name in the table: its short name, so the table stays readable in a terminal.
const STATE_BODY_CHARS: usize = 32;
const COLUMNS: usize = 6;

pub fn table(report: &Report) -> String {
    let lang = report.lang;
    let headers = [
        Label::StateBody,
        Label::Object,
        Label::Verdict,
        Label::Level,
        Label::Points,
        Label::ProblemsColumn,
    ]
    .map(|label| label.get(lang));
    let mut submissions: Vec<&SubmissionReport> = report.submissions.iter().collect();
    submissions.sort_by(|a, b| (owner_key(a), &a.object_id, &a.path).cmp(&(owner_key(b), &b.object_id, &b.path)));
    let rows: Vec<[String; COLUMNS]> = submissions.iter().map(|s| row(report, s, lang)).collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..COLUMNS - 1).map(width).collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; COLUMNS]| {
        for (i, cell) in cells.iter().enumerate().take(COLUMNS - 1) {
            let _ = write!(out, "{cell:<w$}  ", w = widths[i]);
        }
        let _ = writeln!(out, "{}", cells[COLUMNS - 1]);
    };
    line(&mut out, headers);
    for row in &rows {
        line(
            &mut out,
            [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]].map(String::as_str),
        );
    }
    totals(&mut out, report);
    out
}

/// Submissions without a state body sort last.
fn owner_key(s: &SubmissionReport) -> (bool, &str) {
    (s.owner.is_none(), s.owner.as_deref().unwrap_or(""))
}

/// One submission: state body, id, verdict, level, points (and "не выполнено" when the p. 6(1)
/// test fails) and what is wrong, by title and status, with the groups that fall short and the
/// number of warnings.
fn row(report: &Report, s: &SubmissionReport, lang: Lang) -> [String; COLUMNS] {
    let mut problems: Vec<String> = s
        .requirements
        .iter()
        .filter(|r| !r.status.is_satisfied())
        .map(|r| format!("{} ({})", r.title, status_label(r.status, lang)))
        .collect();
    if s.requirements.is_empty() {
        problems.push(s.summary.clone());
    }
    let criteria = report.rules_text.criteria.as_ref();
    let points = match &s.criteria {
        None => "—".to_string(),
        Some(c) if c.passes => c.points.to_string(),
        Some(c) => {
            let groups = criteria
                .map(|rules| summaries::short_groups(&summaries::scores(rules, c, lang), lang))
                .unwrap_or_default();
            problems.push(match groups.is_empty() {
                true => Label::SelectionCriteria.get(lang).to_lowercase(),
                false => format!("{}: {groups}", Label::SelectionCriteria.get(lang).to_lowercase()),
            });
            format!("{} — {}", c.points, Label::ThresholdNotMet.get(lang))
        }
    };
    // A warning alone makes a complying submission «частично»: the row says there are some, and
    // the Markdown report says what they are.
    if !s.warnings.is_empty() {
        problems.push(format!(
            "{}: {}",
            Label::Warnings.get(lang).to_lowercase(),
            s.warnings.len()
        ));
    }
    let owner = s
        .owner
        .as_deref()
        .map(|o| state_body_short(o, STATE_BODY_CHARS))
        .unwrap_or_else(|| "—".to_string());
    [
        owner,
        s.object_id.clone(),
        verdict_name(s.verdict, lang),
        level_name(s.level, lang),
        points,
        problems.join(", "),
    ]
}

/// "Объектов: 12 (соответствует — 3, …)" and "Файлы: 40 (прочитан — 35, …)"; an empty corpus
/// gives "Объектов: 0" with no parentheses.
fn totals(out: &mut String, report: &Report) {
    let lang = report.lang;
    let totals = &report.totals;
    let verdicts = breakdown(&totals.verdicts, |id| verdict_name_of(id, lang));
    let statuses = breakdown(&totals.file_statuses, |id| file_status_name_of(id, lang));
    let _ = writeln!(
        out,
        "\n{}: {}{verdicts}",
        Label::Submissions.get(lang),
        totals.submissions
    );
    let _ = writeln!(out, "{}: {}{statuses}", Label::Files.get(lang), totals.files);
}

/// " (name — count, …)", or nothing for no counts.
fn breakdown(counts: &BTreeMap<String, usize>, name: impl Fn(&str) -> String) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(id, count)| format!("{} — {count}", name(id)))
        .collect();
    format!(" ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::table;
    use crate::report::Lang;
    use crate::report::html::tests::{COMPLIES_WITH_WARNING, LOOKALIKE, POINTS_FAIL, nightly_with_points};

    #[test]
    fn an_empty_corpus_has_totals_without_empty_parentheses() {
        let mut report = nightly_with_points(Lang::Ru).report;
        report.submissions.clear();
        report.totals = crate::report::Totals {
            submissions: 0,
            verdicts: Default::default(),
            files: 0,
            archive_members: 0,
            file_statuses: Default::default(),
        };
        let text = table(&report);
        assert!(text.contains("\nОбъектов: 0\n"), "{text}");
        assert!(text.contains("\nФайлы: 0\n"), "{text}");
        assert!(!text.contains("()"), "{text}");
    }

    #[test]
    fn rows_name_the_state_body_and_the_points_sorted_by_state_body_and_object() {
        let mut report = nightly_with_points(Lang::Ru).report;
        // Another state body that sorts first, listed last.
        report.submissions[1].owner = Some("Акимат города Астаны".to_string());
        let text = table(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Государственный орган  "), "{}", lines[0]);
        assert!(lines[0].contains("Баллы"));
        let order: Vec<usize> = [COMPLIES_WITH_WARNING, LOOKALIKE, POINTS_FAIL]
            .iter()
            .map(|id| lines.iter().position(|l| l.contains(id)).unwrap())
            .collect();
        assert_eq!(order, [1, 2, 3], "{text}");
        assert!(lines[1].starts_with("Акимат города Астаны"));
        let failing = lines[3];
        assert!(failing.contains("1 — не выполнено"), "{failing}");
        assert!(
            failing.contains("критерии отбора: Категория — 0 баллов, Пользователи — 0 баллов"),
            "{failing}"
        );
        assert!(lines[2].contains("отсутствует"), "a status as a word: {}", lines[2]);
        let kk = table(&nightly_with_points(Lang::Kk).report);
        assert!(kk.lines().next().unwrap().starts_with("Мемлекеттік орган  "));
        assert!(kk.contains("Санат — 0 балл"), "{kk}");
    }
}
