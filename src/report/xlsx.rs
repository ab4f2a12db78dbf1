//! `summary.xlsx`: the matrix for officials who work in Excel. A totals sheet (per state body:
//! submissions by verdict), then one sheet per state body with its submissions × requirements,
//! colour-coded like `summary.html`, then the reasons of the requirements not present and the
//! warnings; frozen header, autofilter and column widths that fit.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::text::{Label, level_name, status_label, submission_reasons, verdict_name};
use super::{Lang, Report, SubmissionReport};
use crate::evaluate::{Status, Verdict};
use crate::rules::{Requirement, Rules};

const MAX_WIDTH: usize = 60;

fn status_colour(status: Status) -> u32 {
    match status {
        Status::Present => 0xC8E6C9,
        Status::ExpiredAccepted => 0xFFF3BF,
        Status::NeedsReview => 0xFFE0B2,
        Status::Expired => 0xFFCDD2,
        Status::Invalid => 0xEF9A9A,
        Status::Missing => 0xE57373,
    }
}

/// Column widths from the longest text in each column, capped (long titles wrap instead).
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, text: &str) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        let longest_line = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.0[col] = self.0[col].max(longest_line);
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, chars) in self.0.iter().enumerate() {
            sheet.set_column_width(col as u16, (chars + 2).clamp(8, MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique ignoring case.
fn sheet_name(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let clean = if clean.is_empty() { "—" } else { clean };
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
        let keep = 31 - suffix.chars().count();
        let name: String = clean.chars().take(keep).collect::<String>().trim_end().to_string() + &suffix;
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

pub fn summary_xlsx(rules: &Rules, report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut by_owner: BTreeMap<&str, Vec<&SubmissionReport>> = BTreeMap::new();
    for s in &report.submissions {
        by_owner.entry(s.owner.as_deref().unwrap_or("—")).or_default().push(s);
    }
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let mut taken = BTreeSet::new();
    totals_sheet(workbook.add_worksheet(), &mut taken, &formats, &by_owner, report.lang)?;
    for (owner, submissions) in &by_owner {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(owner, &mut taken))?;
        owner_sheet(sheet, rules, &formats, submissions, report.lang)?;
    }
    workbook.save_to_buffer()
}

/// The cell formats: the header, a colour per status, top-aligned and wrapped text.
struct Formats {
    header: Format,
    statuses: BTreeMap<&'static str, Format>,
    /// Rows grow with the wrapped reasons and warnings: every cell reads from the top.
    top: Format,
    wrapped: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xEEEEEE)),
            statuses: Status::ALL
                .into_iter()
                .map(|s| {
                    (
                        s.as_str(),
                        Format::new()
                            .set_align(FormatAlign::Top)
                            .set_background_color(Color::RGB(status_colour(s))),
                    )
                })
                .collect(),
            top: Format::new().set_align(FormatAlign::Top),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Per state body: submissions by verdict and the items to act on, then the sums.
fn totals_sheet(
    totals: &mut Worksheet,
    taken: &mut BTreeSet<String>,
    formats: &Formats,
    by_owner: &BTreeMap<&str, Vec<&SubmissionReport>>,
    lang: Lang,
) -> Result<(), XlsxError> {
    totals.set_name(sheet_name(Label::Totals.get(lang), taken))?;
    let mut widths = Widths(Vec::new());
    let mut columns = vec![
        Label::StateBody.get(lang).to_string(),
        Label::Submissions.get(lang).to_string(),
    ];
    columns.extend([Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply].map(|v| verdict_name(v, lang)));
    columns.push(Label::ItemsToActOn.get(lang).to_string());
    for (col, text) in columns.iter().enumerate() {
        totals.write_string_with_format(0, col as u16, text, &formats.header)?;
        widths.see(col as u16, text);
    }
    let mut row = 1u32;
    let mut sum = [0usize; 5];
    for (owner, submissions) in by_owner {
        let count = |v: Verdict| submissions.iter().filter(|s| s.verdict == v).count();
        let items = submissions
            .iter()
            .flat_map(|s| &s.requirements)
            .filter(|r| r.status.is_failure())
            .count();
        let values = [
            submissions.len(),
            count(Verdict::Complies),
            count(Verdict::NeedsReview),
            count(Verdict::DoesNotComply),
            items,
        ];
        totals.write_string(row, 0, *owner)?;
        widths.see(0, owner);
        for (i, v) in values.iter().enumerate() {
            totals.write_number(row, i as u16 + 1, *v as f64)?;
            sum[i] += v;
        }
        row += 1;
    }
    totals.write_string_with_format(row, 0, Label::Total.get(lang), &formats.header)?;
    for (i, v) in sum.iter().enumerate() {
        totals.write_number_with_format(row, i as u16 + 1, *v as f64, &formats.header)?;
    }
    totals.set_freeze_panes(1, 0)?;
    totals.autofilter(0, 0, row.saturating_sub(1).max(1), columns.len() as u16 - 1)?;
    widths.apply(totals)
}

/// One state body's submissions × requirements, colour-coded, then the reasons and warnings.
fn owner_sheet(
    sheet: &mut Worksheet,
    rules: &Rules,
    formats: &Formats,
    submissions: &[&SubmissionReport],
    lang: Lang,
) -> Result<(), XlsxError> {
    let requirements: Vec<_> = rules
        .requirements
        .iter()
        .filter(|r| submissions.iter().any(|s| s.requirements.iter().any(|x| x.id == r.id)))
        .collect();
    let mut widths = Widths(Vec::new());
    let mut columns = vec![
        Label::Object.get(lang),
        Label::Name.get(lang),
        Label::Directory.get(lang),
        Label::Verdict.get(lang),
        Label::Level.get(lang),
    ];
    columns.extend(requirements.iter().map(|r| r.title.get(lang)));
    // After the statuses: why each requirement not present has its status, and the warnings.
    let reasons_col = columns.len() as u16;
    columns.extend([Label::Reasons.get(lang), Label::Warnings.get(lang)]);
    for (col, text) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *text, &formats.header)?;
        // Requirement titles wrap; their columns fit the statuses instead.
        let fixed = col < 5 || col >= reasons_col as usize;
        widths.see(col as u16, if fixed { text } else { "" });
    }
    for (i, s) in submissions.iter().enumerate() {
        submission_row(sheet, formats, &mut widths, i as u32 + 1, s, &requirements, lang)?;
    }
    // Wide enough for a status and a few words of the wrapped title.
    let status_width = format!("{}__", status_label(Status::ExpiredAccepted, lang));
    for col in 5..reasons_col {
        widths.see(col, &status_width);
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofilter(0, 0, submissions.len().max(1) as u32, columns.len() as u16 - 1)?;
    widths.apply(sheet)
}

fn submission_row(
    sheet: &mut Worksheet,
    formats: &Formats,
    widths: &mut Widths,
    row: u32,
    s: &SubmissionReport,
    requirements: &[&Requirement],
    lang: Lang,
) -> Result<(), XlsxError> {
    let fixed = [
        s.object_id.clone(),
        s.name.clone().unwrap_or_default(),
        s.path.clone(),
        verdict_name(s.verdict, lang),
        level_name(s.level, lang),
    ];
    for (col, text) in fixed.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, text, &formats.top)?;
        widths.see(col as u16, text);
    }
    for (j, r) in requirements.iter().enumerate() {
        let col = (5 + j) as u16;
        match s.requirements.iter().find(|x| x.id == r.id) {
            Some(x) => {
                let label = status_label(x.status, lang);
                let format = formats.statuses.get(x.status.as_str()).unwrap_or(&formats.top);
                sheet.write_string_with_format(row, col, &label, format)?;
                widths.see(col, &label);
            }
            None => {
                sheet.write_string_with_format(row, col, "—", &formats.top)?;
            }
        }
    }
    let reasons_col = (5 + requirements.len()) as u16;
    let notes = [
        (reasons_col, submission_reasons(s, lang)),
        (reasons_col + 1, s.warnings.iter().map(|w| w.text.clone()).collect()),
    ];
    for (col, lines) in notes {
        if lines.is_empty() {
            continue;
        }
        let text = lines.join("\n");
        sheet.write_string_with_format(row, col, &text, &formats.wrapped)?;
        widths.see(col, &text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::tests::{COMPLIES_WITH_WARNING, LOOKALIKE, by_id, nightly_with_notes, notes_of};
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_state_body_sheet_shows_every_reason_and_warning() {
        let rules = Rules::embedded().unwrap();
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            let report = nightly_with_notes(lang).report;
            let bytes = summary_xlsx(&rules, &report).unwrap();
            let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let sheet = workbook.sheet_names()[1].clone();
            assert_eq!(sheet, "Министерство <юстиции> & Co");
            let range = workbook.worksheet_range(&sheet).unwrap();
            let mut rows = range.rows();
            let header: Vec<String> = rows.next().unwrap().iter().map(Data::to_string).collect();
            let column = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (reasons, warnings) = (column(Label::Reasons.get(lang)), column(Label::Warnings.get(lang)));
            assert_eq!(warnings, header.len() - 1, "{lang:?}: the last two columns");
            assert_eq!(reasons, header.len() - 2, "{lang:?}: the last two columns");
            let rows: Vec<_> = rows.collect();
            for id in [LOOKALIKE, COMPLIES_WITH_WARNING] {
                let s = by_id(&report, id);
                let row = rows.iter().find(|r| r[0] == Data::String(id.to_string())).unwrap();
                let cells = format!("{}\n{}", row[reasons], row[warnings]);
                let notes = notes_of(s);
                assert!(!notes.is_empty());
                for note in notes {
                    assert!(cells.contains(&note), "{lang:?} {id}: {note}\n{cells}");
                }
                for w in &s.warnings {
                    assert!(row[warnings].to_string().contains(&w.text), "{lang:?} {id}");
                }
                let literal = match (lang, id) {
                    (Lang::Ru, LOOKALIKE) => "Сам документ не представлен",
                    (Lang::Kk, LOOKALIKE) => "Құжаттың өзі ұсынылмаған",
                    (Lang::Ru, _) => "Опытная эксплуатация продолжалась",
                    (Lang::Kk, _) => "Тәжірибелік пайдалану",
                    (Lang::En, _) => continue,
                };
                assert!(cells.contains(literal), "{lang:?} {id}: {literal}");
            }
        }
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = BTreeSet::new();
        let long = "Министерство цифрового развития, инноваций и аэрокосмической промышленности";
        let a = sheet_name(long, &mut taken);
        let b = sheet_name(long, &mut taken);
        assert!(a.chars().count() <= 31 && b.chars().count() <= 31);
        assert_ne!(a, b);
        assert_eq!(sheet_name("a/b[c]:d*?", &mut taken), "a b c  d");
        assert_eq!(sheet_name("", &mut taken), "—");
    }
}
