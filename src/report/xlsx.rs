//! `summary.xlsx`: the matrix for officials who work in Excel. A totals sheet (per state body:
//! submissions by verdict), then one sheet per state body, named by its short name, with its
//! submissions: the verdict filled in its colour, the p. 6(1) points (total and by group, red where
//! a threshold is not met), the requirements colour-coded like `summary.html`, then the reasons,
//! what to submit and the warnings. Every sheet opens with a title row that names the check and
//! its as-of date; the header under it is frozen and filtered; column widths fit.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::text::summaries::{self, state_body_short};
use super::text::{Label, check_title, level_name, status_label, verdict_name};
use super::{Lang, Report, SubmissionReport};
use crate::evaluate::{Status, Verdict};
use crate::rules::{Requirement, Rules};

const MAX_WIDTH: usize = 60;
/// Excel's limit on a sheet name.
const SHEET_NAME_CHARS: usize = 31;
/// The title row; the header is the row under it.
const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
/// Object, name, directory, verdict, level: the columns before the points.
const FIXED_COLUMNS: u16 = 5;

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

/// The fill of a verdict, as `summary.html` colours it.
fn verdict_colour(verdict: Verdict) -> u32 {
    match verdict {
        Verdict::Complies => 0xC8E6C9,
        Verdict::NeedsReview => 0xFFE0B2,
        Verdict::DoesNotComply => 0xE57373,
    }
}

const THRESHOLD_MET: u32 = 0xC8E6C9;
const THRESHOLD_NOT_MET: u32 = 0xE57373;

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
        let keep = SHEET_NAME_CHARS - suffix.chars().count();
        let name: String = clean.chars().take(keep).collect::<String>().trim_end().to_string() + &suffix;
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

pub fn summary_xlsx(rules: &Rules, report: &Report) -> Result<Vec<u8>, XlsxError> {
    let lang = report.lang;
    let mut by_owner: BTreeMap<&str, Vec<&SubmissionReport>> = BTreeMap::new();
    for s in &report.submissions {
        by_owner.entry(s.owner.as_deref().unwrap_or("—")).or_default().push(s);
    }
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let mut taken = BTreeSet::new();
    let title = format!(
        "{} — {}: {}",
        check_title(&rules.acts, lang),
        Label::AsOf.get(lang),
        report.as_of.dotted()
    );
    let totals = workbook.add_worksheet();
    totals.set_name(sheet_name(Label::Totals.get(lang), &mut taken))?;
    totals.write_string_with_format(TITLE_ROW, 0, &title, &formats.title)?;
    totals_sheet(totals, &formats, &by_owner, lang)?;
    for (owner, submissions) in &by_owner {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&state_body_short(owner, SHEET_NAME_CHARS), &mut taken))?;
        // The short name is the tab's; the full name opens the sheet.
        sheet.write_string_with_format(TITLE_ROW, 0, format!("{owner}. {title}"), &formats.title)?;
        owner_sheet(sheet, rules, &formats, submissions, lang)?;
    }
    workbook.save_to_buffer()
}

/// The cell formats: the title, the header, a colour per status and verdict, met and not met,
/// top-aligned and wrapped text.
struct Formats {
    title: Format,
    header: Format,
    statuses: BTreeMap<&'static str, Format>,
    verdicts: BTreeMap<&'static str, Format>,
    met: Format,
    not_met: Format,
    /// Rows grow with the wrapped reasons and warnings: every cell reads from the top.
    top: Format,
    wrapped: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |rgb: u32| {
            Format::new()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(rgb))
        };
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xEEEEEE)),
            statuses: Status::ALL
                .into_iter()
                .map(|s| (s.as_str(), fill(status_colour(s))))
                .collect(),
            verdicts: [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply]
                .into_iter()
                .map(|v| (v.as_str(), fill(verdict_colour(v)).set_bold()))
                .collect(),
            met: fill(THRESHOLD_MET),
            not_met: fill(THRESHOLD_NOT_MET).set_bold(),
            top: Format::new().set_align(FormatAlign::Top),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }

    fn verdict(&self, verdict: Verdict) -> &Format {
        self.verdicts.get(verdict.as_str()).unwrap_or(&self.top)
    }
}

/// Per state body: submissions by verdict, the p. 6(1) test failed and the items to act on, then
/// the sums.
fn totals_sheet(
    totals: &mut Worksheet,
    formats: &Formats,
    by_owner: &BTreeMap<&str, Vec<&SubmissionReport>>,
    lang: Lang,
) -> Result<(), XlsxError> {
    let mut widths = Widths(Vec::new());
    let mut columns = vec![
        Label::StateBody.get(lang).to_string(),
        Label::Submissions.get(lang).to_string(),
    ];
    columns.extend([Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply].map(|v| verdict_name(v, lang)));
    columns.push(format!(
        "{}: {}",
        Label::SelectionCriteria.get(lang),
        Label::ThresholdNotMet.get(lang)
    ));
    columns.push(Label::ItemsToActOn.get(lang).to_string());
    for (col, text) in columns.iter().enumerate() {
        totals.write_string_with_format(HEADER_ROW, col as u16, text, &formats.header)?;
        widths.see(col as u16, text);
    }
    let mut row = HEADER_ROW + 1;
    let mut sum = [0usize; 6];
    for (owner, submissions) in by_owner {
        let count = |v: Verdict| submissions.iter().filter(|s| s.verdict == v).count();
        let items = submissions
            .iter()
            .flat_map(|s| &s.requirements)
            .filter(|r| r.status.is_failure())
            .count();
        let criteria_failed = submissions
            .iter()
            .filter(|s| s.criteria.as_ref().is_some_and(|c| !c.passes))
            .count();
        let values = [
            submissions.len(),
            count(Verdict::Complies),
            count(Verdict::NeedsReview),
            count(Verdict::DoesNotComply),
            criteria_failed,
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
    totals.set_freeze_panes(HEADER_ROW + 1, 0)?;
    totals.autofilter(
        HEADER_ROW,
        0,
        row.saturating_sub(1).max(HEADER_ROW + 1),
        columns.len() as u16 - 1,
    )?;
    widths.apply(totals)
}

/// One state body's submissions: verdict, points, requirement statuses, then reasons, what to
/// submit and warnings.
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
    let mut columns: Vec<String> = [
        Label::Object,
        Label::Name,
        Label::Directory,
        Label::Verdict,
        Label::Level,
    ]
    .map(|l| l.get(lang).to_string())
    .to_vec();
    let test = &rules.criteria.test;
    columns.push(format!(
        "{}\n({})",
        Label::PointsTotal.get(lang),
        summaries::at_least_points(test.min_total, lang)
    ));
    columns.extend(rules.criteria.group.iter().map(|g| {
        format!(
            "{}\n({})",
            g.title.get(lang),
            summaries::at_least_points(test.min_per_group, lang)
        )
    }));
    let requirements_col = columns.len() as u16;
    columns.extend(requirements.iter().map(|r| r.title.get(lang).to_string()));
    // After the statuses: why, what to submit, and the warnings.
    let notes_col = columns.len() as u16;
    columns.extend([Label::Reasons, Label::WhatToSubmit, Label::Warnings].map(|l| l.get(lang).to_string()));
    for (col, text) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(HEADER_ROW, col, text, &formats.header)?;
        // Requirement titles wrap; their columns fit the statuses instead.
        let fixed = col < requirements_col || col >= notes_col;
        widths.see(col, if fixed { text } else { "" });
    }
    let layout = Layout {
        requirements: &requirements,
        requirements_col,
        notes_col,
    };
    for (i, s) in submissions.iter().enumerate() {
        submission_row(
            sheet,
            rules,
            formats,
            &mut widths,
            HEADER_ROW + 1 + i as u32,
            s,
            &layout,
            lang,
        )?;
    }
    // Wide enough for a status and a few words of the wrapped title.
    let status_width = format!("{}__", status_label(Status::ExpiredAccepted, lang));
    for col in requirements_col..notes_col {
        widths.see(col, &status_width);
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 1)?;
    sheet.autofilter(
        HEADER_ROW,
        0,
        HEADER_ROW + submissions.len().max(1) as u32,
        columns.len() as u16 - 1,
    )?;
    widths.apply(sheet)
}

/// Where a state body's sheet puts the requirements and the notes.
struct Layout<'a> {
    requirements: &'a [&'a Requirement],
    requirements_col: u16,
    notes_col: u16,
}

#[allow(clippy::too_many_arguments)]
fn submission_row(
    sheet: &mut Worksheet,
    rules: &Rules,
    formats: &Formats,
    widths: &mut Widths,
    row: u32,
    s: &SubmissionReport,
    layout: &Layout,
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
        let format = if col == 3 {
            formats.verdict(s.verdict)
        } else {
            &formats.top
        };
        sheet.write_string_with_format(row, col as u16, text, format)?;
        widths.see(col as u16, text);
    }
    let mut col = FIXED_COLUMNS;
    match &s.criteria {
        Some(c) => {
            for score in summaries::scores(&rules.criteria, c, lang) {
                let format = if score.passes { &formats.met } else { &formats.not_met };
                sheet.write_number_with_format(row, col, score.points as f64, format)?;
                col += 1;
            }
        }
        None => {
            for _ in 0..=rules.criteria.group.len() {
                sheet.write_string_with_format(row, col, "—", &formats.top)?;
                col += 1;
            }
        }
    }
    for (j, r) in layout.requirements.iter().enumerate() {
        let col = layout.requirements_col + j as u16;
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
    let notes = [
        reasons(rules, s, lang),
        summaries::to_submit_lines(s),
        s.warnings.iter().map(|w| w.text.clone()).collect(),
    ];
    for (i, lines) in notes.into_iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        let col = layout.notes_col + i as u16;
        let text = lines.join("\n");
        sheet.write_string_with_format(row, col, &text, &formats.wrapped)?;
        widths.see(col, &text);
    }
    Ok(())
}

/// The reasons column: each requirement not present with its reason, then, when the p. 6(1) test
/// fails, its heading and the total and every group against its threshold.
fn reasons(rules: &Rules, s: &SubmissionReport, lang: Lang) -> Vec<String> {
    let mut lines = summaries::requirement_reasons(s, lang);
    if let Some(c) = s.criteria.as_ref().filter(|c| !c.passes) {
        lines.push(format!("{}:", summaries::criteria_heading(&rules.criteria, lang)));
        lines.extend(
            summaries::scores(&rules.criteria, c, lang)
                .iter()
                .map(|score| summaries::score_line(score, lang)),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::tests::{
        COMPLIES_WITH_WARNING, LOOKALIKE, POINTS_FAIL, by_id, nightly_with_notes, nightly_with_points, notes_of,
    };
    use calamine::{Data, Reader, Xlsx};
    use std::io::Read;

    /// A sheet's rows under its title row: the header, then the submissions.
    fn sheet_rows(workbook: &mut Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str) -> (String, Vec<String>, Vec<Vec<Data>>) {
        let range = workbook.worksheet_range(sheet).unwrap();
        let mut rows = range.rows();
        let title = rows.next().unwrap()[0].to_string();
        let header = rows.next().unwrap().iter().map(Data::to_string).collect();
        (title, header, rows.map(<[Data]>::to_vec).collect())
    }

    #[test]
    fn the_state_body_sheet_shows_every_reason_and_warning() {
        let rules = Rules::embedded().unwrap();
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            let report = nightly_with_notes(lang).report;
            let bytes = summary_xlsx(&rules, &report).unwrap();
            let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let sheet = workbook.sheet_names()[1].clone();
            assert_eq!(sheet, "Министерство <юстиции> & Co");
            let (title, header, rows) = sheet_rows(&mut workbook, &sheet);
            assert!(
                title.contains("22.11.2026") && title.contains(Label::AsOf.get(lang)),
                "{title}"
            );
            assert!(title.starts_with("Министерство <юстиции> & Co. "), "{title}");
            let column = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (reasons, to_submit, warnings) = (
                column(Label::Reasons.get(lang)),
                column(Label::WhatToSubmit.get(lang)),
                column(Label::Warnings.get(lang)),
            );
            assert_eq!([reasons, to_submit, warnings], [0, 1, 2].map(|i| header.len() - 3 + i));
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
                for r in s.requirements.iter().filter(|r| !r.status.is_satisfied()) {
                    let wanted = r.to_submit.as_deref().unwrap();
                    assert!(row[to_submit].to_string().contains(wanted), "{lang:?} {id}: {wanted}");
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
    fn points_by_group_are_columns_and_a_failed_test_is_a_reason() {
        let rules = Rules::embedded().unwrap();
        let report = nightly_with_points(Lang::Ru).report;
        let bytes = summary_xlsx(&rules, &report).unwrap();
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = workbook.sheet_names()[1].clone();
        let (_, header, rows) = sheet_rows(&mut workbook, &sheet);
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let points = column("Баллы, всего\n(не менее 3 баллов)");
        assert_eq!(points, 5);
        assert_eq!(
            header[6..9],
            ["Масштаб", "Категория", "Пользователи"].map(|g| format!("{g}\n(не менее 1 балла)"))
        );
        let row = rows.iter().find(|r| r[0] == Data::String(POINTS_FAIL.into())).unwrap();
        assert_eq!(row[3], Data::String("не соответствует".into()));
        assert_eq!(row[5..9], [1.0, 1.0, 0.0, 0.0].map(Data::Float));
        let reasons = row[column("Причины")].to_string();
        assert!(
            reasons.contains("«Категория»: 0 баллов (требуется не менее 1 балла) — не выполнено"),
            "{reasons}"
        );
        assert!(
            reasons.contains("Всего: 1 балл (требуется не менее 3 баллов) — не выполнено"),
            "{reasons}"
        );
        let other = rows.iter().find(|r| r[0] == Data::String(LOOKALIKE.into())).unwrap();
        assert_eq!(
            other[points],
            Data::String("—".into()),
            "the fixture's others carry no points"
        );
    }

    /// The styles of the cells of `sheet` (sheetN.xml) in the workbook's XML: `ref` → fill colour.
    fn fills(bytes: &[u8], sheet: usize) -> BTreeMap<String, Option<String>> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
            text
        };
        let styles = read("xl/styles.xml");
        let sheet = read(&format!("xl/worksheets/sheet{sheet}.xml"));
        let section = |name: &str| {
            let start = styles.find(&format!("<{name} ")).unwrap();
            styles[start..styles[start..].find(&format!("</{name}>")).unwrap() + start].to_string()
        };
        let fill_colours: Vec<Option<String>> = section("fills")
            .split("<fill>")
            .skip(1)
            .map(|f| f.split("fgColor rgb=\"").nth(1).map(|c| c[..8].to_string()))
            .collect();
        let xf_fills: Vec<usize> = section("cellXfs")
            .split("<xf ")
            .skip(1)
            .map(|xf| {
                xf.split("fillId=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        sheet
            .split("<c r=\"")
            .skip(1)
            .map(|c| {
                let reference = c.split('"').next().unwrap().to_string();
                let style: usize = c
                    .split(" s=\"")
                    .nth(1)
                    .filter(|_| c.find(" s=\"") < c.find('>'))
                    .map(|s| s.split('"').next().unwrap().parse().unwrap())
                    .unwrap_or(0);
                (reference, fill_colours[xf_fills[style]].clone())
            })
            .collect()
    }

    #[test]
    fn verdicts_and_thresholds_are_filled_in_their_colours() {
        let rules = Rules::embedded().unwrap();
        let report = nightly_with_points(Lang::Ru).report;
        let bytes = summary_xlsx(&rules, &report).unwrap();
        let fills = fills(&bytes, 2);
        let colour = |rgb: u32| Some(format!("FF{rgb:06X}"));
        // Rows 3–5: the look-alike, the one that complies, the points failure (the fixture's order).
        assert_eq!(fills["D3"], colour(verdict_colour(Verdict::DoesNotComply)));
        assert_eq!(fills["D4"], colour(verdict_colour(Verdict::Complies)));
        assert_eq!(fills["D5"], colour(verdict_colour(Verdict::DoesNotComply)));
        // The points failure: total red, «scale» green, «category» and «users» red.
        assert_eq!(
            ["F5", "G5", "H5", "I5"].map(|c| fills[c].clone()),
            [THRESHOLD_NOT_MET, THRESHOLD_MET, THRESHOLD_NOT_MET, THRESHOLD_NOT_MET].map(colour)
        );
        assert_eq!(fills["A1"], None, "the title has no fill");
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
        let short = state_body_short(&format!("{long} Республики Казахстан"), SHEET_NAME_CHARS);
        assert_eq!(sheet_name(&short, &mut taken), "МЦРИАП");
    }
}
