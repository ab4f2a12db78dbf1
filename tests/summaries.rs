//! What people look at shows every reason (issue 14, part 2): summary.html (its visible text,
//! and in headless Chromium its criteria columns), summary.xlsx (read back with calamine, its
//! fills from the workbook's XML) and the terminal table, after `nightly` and `check` on the
//! sample and on a scratch corpus where one submission fails the p. 6(1) points test
//! (`corpora/adversarial/declared-one-point`: only criterion 1.1 declared, so 1 point, «scale» 1,
//! «category» 0, «users» 0) and one complies in part with a warning (`trial-two-years`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use portalcheck::evaluate::{Level, Status, Verdict};
use portalcheck::rules::Rules;
use serde_json::Value;

mod support;

use support::browser::{Browser, chromium_or_skip, decode_png};
use support::{AS_OF, copy_tree, report_json, root, visible_text};

const POINTS_FAIL: &str = "declared-one-point";
const PARTIAL: &str = "trial-two-years";

/// The scratch corpus (the two adversarial submissions) and its nightly report directory.
fn scratch_nightly(scratch: &Path) -> PathBuf {
    let corpus = scratch.join("corpus");
    for case in [POINTS_FAIL, PARTIAL] {
        copy_tree(&root().join("corpora/adversarial").join(case), &corpus.join(case));
    }
    support::nightly(&corpus, &scratch.join("state"), AS_OF, &["--lang", "ru"]).0
}

fn submission<'a>(report: &'a Value, dir: &str) -> &'a Value {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == dir)
        .unwrap_or_else(|| panic!("no submission {dir}"))
}

/// The visible text of a submission's row of the matrix.
fn matrix_row_text(html: &str, object_id: &str) -> String {
    let matrix = &html[html.find("id=\"matrix\"").expect("the matrix")..];
    let start = matrix
        .find(&format!("<b>{object_id}</b>"))
        .unwrap_or_else(|| panic!("no row {object_id}"));
    let start = matrix[..start].rfind("<tr").unwrap();
    visible_text(&matrix[start..start + matrix[start..].find("</tr>").unwrap()])
}

/// The words that collapse like the visible text does.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_failed_points_test_and_the_warnings_are_visible_in_every_summary() {
    let scratch = tempfile::tempdir().unwrap();
    let reports = scratch_nightly(scratch.path());
    let report = report_json(&reports);
    let failing = submission(&report, POINTS_FAIL);
    let partial = submission(&report, PARTIAL);
    // The corpus is what the test says it is.
    assert_eq!(failing["verdict"], Verdict::DoesNotComply.as_str());
    assert_eq!(failing["criteria"]["passes"], false);
    assert_eq!(failing["criteria"]["points"], 1);
    assert!(
        failing["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == Status::Present.as_str()),
        "every requirement is present: only the points fail"
    );
    assert_eq!(partial["level"], Level::Partially.as_str());
    assert!(!partial["warnings"].as_array().unwrap().is_empty());

    summary_html_shows_points_and_warnings(&reports, failing, partial);
    summary_xlsx_shows_points_and_reasons(&reports, failing);
    let partial_warnings = partial["warnings"].as_array().unwrap().len();
    terminal_table_shows_state_bodies_and_points(&scratch.path().join("corpus"), partial_warnings);
}

fn summary_html_shows_points_and_warnings(reports: &Path, failing: &Value, partial: &Value) {
    let html = std::fs::read_to_string(reports.join("summary.html")).unwrap();
    let id = failing["object_id"].as_str().unwrap();
    let row = matrix_row_text(&html, id);
    // The criteria columns, then the notes: the grounds, the total and every group against its
    // threshold, the failing groups named.
    assert!(row.contains("1 балл не выполнено"), "the total's cell: {row}");
    assert!(row.contains("0 баллов не выполнено"), "a failing group's cell: {row}");
    for line in [
        "Основание вывода: Не соответствует: критерии отбора",
        "Всего: 1 балл (требуется не менее 3 баллов) — не выполнено",
        "«Масштаб»: 1 балл (требуется не менее 1 балла) — выполнено",
        "«Категория»: 0 баллов (требуется не менее 1 балла) — не выполнено",
        "«Пользователи»: 0 баллов (требуется не менее 1 балла) — не выполнено",
    ] {
        assert!(row.contains(line), "summary.html, {id}: {line}\n{row}");
    }
    assert!(!row.contains("балл(ов)"));
    // The header names the columns and their thresholds.
    let matrix = &html[html.find("id=\"matrix\"").unwrap()..];
    let matrix = visible_text(&matrix[..matrix.find("</thead>").unwrap()]);
    for header in ["Баллы, всего не менее 3 баллов", "Категория не менее 1 балла"]
    {
        assert!(matrix.contains(header), "{header}: {matrix}");
    }
    // «частично»: the grounds and every warning, as text on the page.
    let id = partial["object_id"].as_str().unwrap();
    let row = matrix_row_text(&html, id);
    assert!(row.contains("Основание вывода:") && row.contains("Замечания:"), "{row}");
    for w in partial["warnings"].as_array().unwrap() {
        let text = words(w["text"].as_str().unwrap());
        assert!(row.contains(&text), "summary.html, {id}: {text}\n{row}");
    }
}

/// The header row of a state body's sheet (under the title row) and its rows.
fn sheet(workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> (String, Vec<String>, Vec<Vec<Data>>) {
    let range = workbook.worksheet_range(name).unwrap();
    let mut rows = range.rows();
    let title = rows.next().unwrap()[0].to_string();
    let header = rows.next().unwrap().iter().map(Data::to_string).collect();
    (title, header, rows.map(<[Data]>::to_vec).collect())
}

fn summary_xlsx_shows_points_and_reasons(reports: &Path, failing: &Value) {
    let path = reports.join("summary.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let names = workbook.sheet_names();
    // Short names: «Министерство здравоохранения» fits; «Министерство сельского хозяйства» does
    // not, and is «МСХ».
    assert_eq!(names, ["Итого", "Министерство здравоохранения", "МСХ"]);
    let (title, header, rows) = sheet(&mut workbook, "Министерство здравоохранения");
    assert!(
        title.starts_with("Министерство здравоохранения Республики Казахстан. "),
        "{title}"
    );
    assert!(title.contains("Дата проверки: 22.11.2026"), "{title}");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let id = failing["object_id"].as_str().unwrap();
    let (index, row) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r[0] == Data::String(id.into()))
        .unwrap();
    let points = column("Баллы, всего\n(не менее 3 баллов)");
    let groups = ["Масштаб", "Категория", "Пользователи"].map(|g| column(&format!("{g}\n(не менее 1 балла)")));
    assert_eq!(
        [points, groups[0], groups[1], groups[2]].map(|c| row[c].clone()),
        [1.0, 1.0, 0.0, 0.0].map(Data::Float)
    );
    let reasons = row[column("Причины")].to_string();
    assert!(
        reasons.contains("«Категория»: 0 баллов (требуется не менее 1 балла) — не выполнено"),
        "{reasons}"
    );
    assert_eq!(row[column("Вывод")], Data::String("не соответствует".into()));
    // The verdict cell is filled red, the failing total too, the met group green (sheet2.xml: the
    // state body's sheet; row = title + header + index, 1-based).
    let fills = cell_fills(&path, 2);
    let cell = |col: usize| format!("{}{}", (b'A' + col as u8) as char, index + 3);
    assert_eq!(fills[&cell(column("Вывод"))].as_deref(), Some("FFE57373"));
    assert_eq!(fills[&cell(points)].as_deref(), Some("FFE57373"));
    assert_eq!(fills[&cell(groups[0])].as_deref(), Some("FFC8E6C9"));
    assert_eq!(fills[&cell(0)], None, "the object's id is not filled");
}

/// Every cell of `xl/worksheets/sheetN.xml` with the fill colour of its style (`None`: no fill).
fn cell_fills(xlsx: &Path, sheet: usize) -> BTreeMap<String, Option<String>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    };
    let styles = read("xl/styles.xml");
    let sheet = read(&format!("xl/worksheets/sheet{sheet}.xml"));
    let section = |name: &str| {
        let start = styles.find(&format!("<{name} ")).unwrap();
        styles[start..start + styles[start..].find(&format!("</{name}>")).unwrap()].to_string()
    };
    let attribute = |element: &str, name: &str| -> Option<String> {
        let element = &element[..element.find('>').unwrap_or(element.len())];
        let value = element.split(&format!(" {name}=\"")).nth(1)?;
        Some(value[..value.find('"')?].to_string())
    };
    let fill_colours: Vec<Option<String>> = section("fills")
        .split("<fill>")
        .skip(1)
        .map(|f| f.split("<fgColor rgb=\"").nth(1).map(|c| c[..8].to_string()))
        .collect();
    let style_fills: Vec<usize> = section("cellXfs")
        .split("<xf ")
        .skip(1)
        .map(|xf| attribute(&format!(" {xf}"), "fillId").map_or(0, |f| f.parse().unwrap()))
        .collect();
    sheet
        .split("<c ")
        .skip(1)
        .map(|c| {
            let c = format!(" {c}");
            let style: usize = attribute(&c, "s").map_or(0, |s| s.parse().unwrap());
            (attribute(&c, "r").unwrap(), fill_colours[style_fills[style]].clone())
        })
        .collect()
}

fn terminal_table_shows_state_bodies_and_points(corpus: &Path, partial_warnings: usize) {
    let output = support::portalcheck(&["check", corpus.to_str().unwrap(), "--as-of", AS_OF, "--lang", "ru"]);
    let table = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("Государственный орган"), "{table}");
    assert!(lines[0].contains("Баллы"), "{table}");
    // Sorted by state body: здравоохранения (the points failure) before сельского хозяйства.
    assert!(
        lines[1].starts_with("Министерство здравоохранения ") && lines[1].contains("IS-2025-0345"),
        "{table}"
    );
    assert!(lines[1].contains("1 — не выполнено"), "{}", lines[1]);
    assert!(
        lines[1].contains("критерии отбора: Категория — 0 баллов, Пользователи — 0 баллов"),
        "{}",
        lines[1]
    );
    // 32 characters fit the table's column: the name without «Республики Казахстан».
    assert!(lines[2].starts_with("Министерство сельского хозяйства "), "{table}");
    assert!(lines[2].contains("частично соответствует"), "{}", lines[2]);
    // What makes it «частично»: its warnings, counted (the Markdown report says them).
    assert!(
        lines[2].ends_with(&format!("замечания: {partial_warnings}")),
        "{}",
        lines[2]
    );
    assert_no_internal_id(&table, "the terminal table");
}

/// No requirement id, group id, status, verdict or level word.
fn assert_no_internal_id(text: &str, what: &str) {
    let rules = Rules::embedded().unwrap();
    let mut ids: Vec<String> = rules.requirements.iter().map(|r| r.id.clone()).collect();
    ids.extend(rules.criteria.group.iter().map(|g| g.id.clone()));
    ids.extend(Status::ALL.map(|s| s.as_str().to_string()));
    ids.extend([Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply].map(|v| v.as_str().to_string()));
    ids.extend([Level::Fully, Level::Partially, Level::Not].map(|l| l.as_str().to_string()));
    let lower = text.to_lowercase();
    for id in ids {
        let found = lower.match_indices(&id).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + id.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        assert!(!found, "{what} shows the id {id}:\n{text}");
    }
}

#[test]
fn on_the_sample_every_submission_shows_its_reasons_what_to_submit_and_warnings() {
    let scratch = tempfile::tempdir().unwrap();
    let (reports, _) = support::nightly(
        &root().join("corpora/sample"),
        &scratch.path().join("state"),
        AS_OF,
        &[],
    );
    let report = report_json(&reports);
    let submissions = report["submissions"].as_array().unwrap();
    let html = std::fs::read_to_string(reports.join("summary.html")).unwrap();
    let path = reports.join("summary.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let names = workbook.sheet_names();
    let mut rows: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for name in &names {
        assert!(
            name.chars().count() <= 31 && !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        if name == "Итого" {
            continue;
        }
        let (title, header, cells) = sheet(&mut workbook, name);
        assert!(title.contains("22.11.2026"), "{name}: {title}");
        for row in cells {
            let by_column = header.iter().cloned().zip(row.iter().map(Data::to_string)).collect();
            rows.insert(row[0].to_string(), by_column);
        }
    }
    let distinct: std::collections::BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(distinct.len(), names.len(), "unique sheet names");
    let mut partial_with_warnings = 0;
    for s in submissions {
        let id = s["object_id"].as_str().unwrap();
        let row = matrix_row_text(&html, id);
        let xlsx = &rows[id];
        for w in s["warnings"].as_array().unwrap() {
            let text = w["text"].as_str().unwrap();
            assert!(row.contains(&words(text)), "summary.html, {id}: {text}");
            assert!(xlsx["Замечания"].contains(text), "summary.xlsx, {id}: {text}");
        }
        for r in s["requirements"].as_array().unwrap() {
            if let Some(to_submit) = r["to_submit"].as_str() {
                assert!(row.contains(&words(to_submit)), "summary.html, {id}: {to_submit}");
                assert!(
                    xlsx["Что необходимо представить"].contains(to_submit),
                    "summary.xlsx, {id}"
                );
            }
            if r["status"] != Status::Present.as_str() {
                let reason = r["reason"].as_str().unwrap();
                assert!(xlsx["Причины"].contains(reason), "summary.xlsx, {id}: {reason}");
            }
        }
        if let Some(points) = s["criteria"]["points"].as_u64() {
            assert_eq!(xlsx["Баллы, всего\n(не менее 3 баллов)"], points.to_string(), "{id}");
        }
        if s["level"] == Level::Partially.as_str() && !s["warnings"].as_array().unwrap().is_empty() {
            partial_with_warnings += 1;
            assert!(row.contains("Основание вывода:"), "{id}: {row}");
        }
    }
    assert!(
        partial_with_warnings > 0,
        "the sample has a «частично» submission with warnings"
    );
}

#[test]
fn the_criteria_columns_are_coloured_in_chromium() {
    let Some(binary) = chromium_or_skip() else { return };
    let scratch = tempfile::tempdir().unwrap();
    let reports = scratch_nightly(scratch.path());
    let report = report_json(&reports);
    let id = submission(&report, POINTS_FAIL)["object_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut browser = Browser::launch(&binary);
    let url = format!("file://{}", reports.join("summary.html").display());
    browser.navigate(&url);
    // The row's criteria cells as the browser lays them out, scrolled into the viewport.
    let cells = browser.eval(&format!(
        "(() => {{ const row = [...document.querySelectorAll('#matrix tbody tr')]
              .find(r => r.querySelector('b') && r.querySelector('b').textContent === '{id}');
            const cells = [...row.querySelectorAll('td[data-criteria]')];
            cells[0].scrollIntoView({{block: 'center', inline: 'start'}});
            return cells.map(c => {{ const r = c.getBoundingClientRect();
              return [c.className, c.innerText.replace(/\\s+/g, ' ').trim(), r.left, r.top, r.width, r.height,
                      window.devicePixelRatio]; }}); }})()"
    ));
    let cells = cells.as_array().expect("the row's criteria cells");
    let texts: Vec<(String, String)> = cells
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        texts,
        [
            ("cr-fail", "1 балл не выполнено"),
            ("cr-pass", "1 балл"),
            ("cr-fail", "0 баллов не выполнено"),
            ("cr-fail", "0 баллов не выполнено"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let headers = browser.eval(
        "[...document.querySelectorAll('#matrix th.criteria')].map(h => h.innerText.replace(/\\s+/g, ' ').trim())",
    );
    assert_eq!(
        headers,
        serde_json::json!([
            "Баллы, всего не менее 3 баллов",
            "Масштаб не менее 1 балла",
            "Категория не менее 1 балла",
            "Пользователи не менее 1 балла"
        ])
    );
    let png = browser.screenshot();
    if let Some(path) = std::env::var_os("PORTALCHECK_SCREENSHOT") {
        std::fs::write(path, &png).unwrap();
    }
    let (width, height, pixels) = decode_png(&png);
    // The most frequent colour inside a cell is its background.
    let background = |cell: &Value| -> [u8; 3] {
        let v: Vec<f64> = cell.as_array().unwrap()[2..]
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let scale = v[4];
        let (x0, y0) = (((v[0] + 2.0) * scale) as u32, ((v[1] + 2.0) * scale) as u32);
        let (x1, y1) = (
            (((v[0] + v[2] - 2.0) * scale) as u32).min(width),
            (((v[1] + v[3] - 2.0) * scale) as u32).min(height),
        );
        assert!(x1 > x0 && y1 > y0, "the cell is on the screenshot: {v:?}");
        let mut counts: BTreeMap<[u8; 3], usize> = BTreeMap::new();
        for y in y0..y1 {
            for x in x0..x1 {
                *counts.entry(pixels[(y * width + x) as usize]).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
    };
    let (fail, pass) = (background(&cells[0]), background(&cells[1]));
    assert_ne!(fail, pass, "a failing criterion is coloured apart from a passing one");
    assert!(fail[0] > 200 && fail[1] < 140 && fail[2] < 140, "red: {fail:?}");
    assert!(
        pass[1] > 200 && pass[1] > pass[0] && pass[1] > pass[2],
        "green: {pass:?}"
    );
}
