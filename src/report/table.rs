//! The terminal table: one row per submission.

use std::fmt::Write;

use super::text::status_label;
use super::{Lang, Report};

pub fn table(report: &Report) -> String {
    let lang = report.lang;
    let headers = match lang {
        Lang::Ru => [
            "объект",
            "вывод",
            "уровень",
            "баллы",
            "нет / истёк / недейств. / проверить",
        ],
        Lang::Kk => [
            "объект",
            "қорытынды",
            "деңгей",
            "балл",
            "жоқ / мерзімі өткен / жарамсыз / тексеру",
        ],
        Lang::En => [
            "object",
            "verdict",
            "level",
            "points",
            "missing / expired / invalid / review",
        ],
    };
    let rows: Vec<[String; 5]> = report
        .submissions
        .iter()
        .map(|s| {
            let problems = s
                .requirements
                .iter()
                .filter(|r| !r.status.is_satisfied())
                .map(|r| format!("{} ({})", r.id, status_label(r.status, lang)))
                .collect::<Vec<_>>()
                .join(", ");
            let problems = match &s.criteria {
                _ if s.requirements.is_empty() => s.summary.clone(),
                Some(c) if !c.passes => {
                    let criteria = match lang {
                        Lang::Ru => "критерии п. 6",
                        Lang::Kk => "6-т. өлшемшарттары",
                        Lang::En => "p. 6 criteria",
                    };
                    [problems, criteria.to_string()]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                _ => problems,
            };
            [
                s.object_id.clone(),
                s.verdict.as_str().to_string(),
                s.level.as_str().to_string(),
                s.criteria
                    .as_ref()
                    .map(|c| format!("{}{}", c.points, if c.passes { "" } else { "!" }))
                    .unwrap_or("—".into()),
                problems,
            ]
        })
        .collect();
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
    let totals = &report.totals;
    let verdicts = totals
        .verdicts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let statuses = totals
        .file_statuses
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(out, "\n{} submissions: {verdicts}", totals.submissions);
    let _ = writeln!(out, "{} files: {statuses}", totals.files);
    out
}
