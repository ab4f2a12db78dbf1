//! Two nightly runs in a row on a copy of `corpora/sample`: the second, after one document is
//! replaced, one submission added and one file only touched, must re-read exactly those files and
//! report exactly those changes; summary.html must render in headless Chromium, summary.xlsx must
//! hold the statuses of report.json, and the letters must list exactly the missing items; all three
//! must show every warning, and the summaries every reason of a requirement not present.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use calamine::{Data, Reader, Xlsx, open_workbook};
use portalcheck::evaluate::Status;
use portalcheck::report::{Lang, escape, status_label};
use portalcheck::rules::Rules;
use serde_json::Value;

mod support;

use support::{copy_tree, files_under, root};

fn nightly(corpus: &Path, state: &Path, as_of: &str) -> Value {
    let (dir, stderr) = support::nightly(corpus, state, as_of, &[]);
    // Not a terminal here: plain log lines and one summary line, never a carriage-return bar.
    assert!(!stderr.contains('\r'), "{stderr}");
    assert!(stderr.contains(&format!("portalcheck nightly {as_of}:")), "{stderr}");
    support::report_json(&dir)
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

const CHANGED: &str = "mcriap/is-elektronnye-obrashcheniya";
const REPLACED: &str = "mcriap/is-elektronnye-obrashcheniya/docs/akt_vvoda_PE.pdf";
const ADDED: &str = "minfin/is-esf-copy";
const TOUCHED: &str = "minjust/enis/docs/akt.pdf";

#[test]
fn two_nightly_runs_report_exactly_what_changed() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    let state = scratch.path().join("state");
    copy_tree(&root().join("corpora/sample"), &corpus);

    let first = nightly(&corpus, &state, "2026-11-20");
    assert_eq!(
        strings(&first["run"]["files_read"]),
        files_under(&corpus, ""),
        "a cold run reads every file"
    );
    assert!(first["diff"]["previous"].is_null());
    assert!(
        state.join("index/meta.json").exists(),
        "the index lives at <state>/index"
    );
    assert!(state.join("history/2026-11-20.json").exists());

    // Replace the commissioning act by a copy of the terms of reference, add a submission (a copy
    // of another one with its own id), and touch a file without changing it.
    let docs = corpus.join(CHANGED).join("docs");
    std::fs::copy(docs.join("TZ_IS_EO.pdf"), docs.join("akt_vvoda_PE.pdf")).unwrap();
    copy_tree(&corpus.join("minfin/is-esf"), &corpus.join(ADDED));
    let card = corpus.join(ADDED).join("object.xml");
    let text = std::fs::read_to_string(&card)
        .unwrap()
        .replace("IS-2021-0088", "IS-2026-0999");
    std::fs::write(&card, text).unwrap();
    let touched = std::fs::File::options().write(true).open(corpus.join(TOUCHED)).unwrap();
    touched
        .set_modified(SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(touched);

    let second = nightly(&corpus, &state, "2026-11-23");
    let mut expected_read = files_under(&corpus.join(ADDED), ADDED);
    expected_read.insert(REPLACED.to_string());
    assert_eq!(strings(&second["run"]["files_read"]), expected_read);
    assert_eq!(
        strings(&second["run"]["files_touched"]),
        BTreeSet::from([TOUCHED.to_string()])
    );

    let diff = &second["diff"];
    assert_eq!(diff["previous"], "2026-11-20");
    let totals = &diff["totals"];
    for (field, want) in [
        ("new_submissions", 1),
        ("removed_submissions", 0),
        ("verdict_changes", 1),
        ("newly_missing", 1),
        ("newly_present", 0),
        ("other_status_changes", 0),
        ("files_added", 0),
        ("files_removed", 0),
        ("files_changed", 1),
    ] {
        assert_eq!(totals[field], want, "diff.totals.{field}: {totals}");
    }
    let changes: BTreeMap<&str, &Value> = diff["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s))
        .collect();
    assert_eq!(changes.keys().copied().collect::<Vec<_>>(), [CHANGED, ADDED]);
    let changed = changes[CHANGED];
    assert_eq!(changed["verdict_before"], "complies");
    assert_eq!(changed["verdict_after"], "does_not_comply");
    assert_eq!(
        changed["newly_missing"][0]["requirement"],
        "p5.is.commissioning_document"
    );
    assert_eq!(
        strings(&changed["files_changed"]),
        BTreeSet::from([REPLACED.to_string()])
    );
    assert_eq!(changes[ADDED]["change"], "new");
    assert_eq!(changes[ADDED]["object_id"], "IS-2026-0999");

    let trend: Vec<&str> = second["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["as_of"].as_str().unwrap())
        .collect();
    assert_eq!(trend, ["2026-11-20", "2026-11-23"]);
    // All sample applications were received on 16-17 Nov 2026: due 23-24 Nov.
    assert!(
        second["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["object_id"] == "IS-2026-0999" && d["state"] == "due_today")
    );

    let schema: Value =
        serde_json::from_slice(&std::fs::read(root().join("schemas/report.schema.json")).unwrap()).unwrap();
    for report in [&first, &second] {
        let mut problems = Vec::new();
        conforms(&schema, &schema, report, "$", &mut problems);
        assert!(
            problems.is_empty(),
            "report.json does not follow its schema: {problems:#?}"
        );
    }

    let reports = state.join("reports/2026-11-23");
    summary_html_renders(&reports, &second);
    summary_xlsx_holds_the_statuses(&reports, &second);
    letters_list_exactly_the_missing_items(&reports, &second);
    summaries_and_letters_show_reasons_and_warnings(&reports, &second);
    for kept in ["missing-documents.md", "submissions/IS-2021-0042.md"] {
        assert!(reports.join(kept).exists(), "{kept}");
    }
}

/// The part of JSON Schema that report.schema.json uses: `$ref`, `type`, `enum`, `required`,
/// `properties`, `items`, `additionalProperties` (as a schema).
fn conforms(root: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        return conforms(root, &root["$defs"][name], value, at, problems);
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        problems.push(format!("{at}: {value} not in {allowed:?}"));
    }
    let type_name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let allowed =
        types.is_empty() || types.contains(&type_name) || (type_name == "integer" && types.contains(&"number"));
    if !allowed {
        problems.push(format!("{at}: {type_name}, expected {types:?}"));
    }
    if let Value::Object(map) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            let key = required.as_str().unwrap();
            if !map.contains_key(key) {
                problems.push(format!("{at}: missing `{key}`"));
            }
        }
        for (key, child) in map {
            let child_schema = &schema["properties"][key.as_str()];
            if !child_schema.is_null() {
                conforms(root, child_schema, child, &format!("{at}.{key}"), problems);
            } else if schema["additionalProperties"].is_object() {
                conforms(
                    root,
                    &schema["additionalProperties"],
                    child,
                    &format!("{at}.{key}"),
                    problems,
                );
            }
        }
    }
    if let Value::Array(items) = value
        && schema["items"].is_object()
    {
        for (i, item) in items.iter().enumerate() {
            conforms(root, &schema["items"], item, &format!("{at}[{i}]"), problems);
        }
    }
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn summary_html_renders(reports: &Path, report: &Value) {
    let html = reports.join("summary.html");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        !text.contains("src=\"http") && !text.contains("href=\"http"),
        "no external assets"
    );
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: chromium is not installed, summary.html was not rendered (CI installs it)");
        return;
    };
    let url = format!("file://{}", html.display());
    let headless = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ];
    let screenshot = reports.join("summary.png");
    let shot = Command::new(chromium)
        .args(headless)
        .arg("--window-size=1600,2000")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let png = std::fs::read(&screenshot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot");

    let dump = Command::new(chromium)
        .args(headless)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    let dom = String::from_utf8_lossy(&dump.stdout);
    // The matrix: one row per submission, each with its object id, and colour-coded cells.
    let submissions = report["submissions"].as_array().unwrap();
    let matrix = &dom[dom.find("id=\"matrix\"").expect("the matrix table")..];
    assert_eq!(matrix.matches("<tr data-owner=").count(), submissions.len());
    for s in submissions {
        assert!(matrix.contains(s["object_id"].as_str().unwrap()));
    }
    assert!(matrix.contains("class=\"st-missing\""));
    // The script ran: the filter counter shows every row.
    assert!(dom.contains(&format!("<b id=\"f-count\">{}</b>", submissions.len())));
    // The diff: since the first run, the new submission and the newly missing act.
    let diff = &dom[dom.find("id=\"diff\"").expect("the diff section")..dom.find("id=\"expiry\"").unwrap()];
    assert!(diff.contains("20.11.2026"));
    assert!(diff.contains("IS-2026-0999") && diff.contains("новый объект"));
    assert!(diff.contains("IS-2021-0042") && diff.contains("впервые отсутствует"));
    assert!(dom.contains("<svg"), "the trend chart");
}

fn summary_xlsx_holds_the_statuses(reports: &Path, report: &Value) {
    let rules = Rules::embedded().unwrap();
    let title_to_id: BTreeMap<String, String> = rules
        .requirements
        .iter()
        .map(|r| (r.title.get(Lang::Ru).to_string(), r.id.clone()))
        .collect();
    let label_to_status: BTreeMap<String, &str> = Status::ALL
        .into_iter()
        .map(|s| (status_label(s, Lang::Ru), s.as_str()))
        .collect();
    let mut workbook: Xlsx<_> = open_workbook(reports.join("summary.xlsx")).expect("calamine opens summary.xlsx");
    let sheets = workbook.sheet_names();
    assert_eq!(sheets[0], "Итого");
    let mut from_xlsx: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for sheet in &sheets[1..] {
        let range = workbook.worksheet_range(sheet).unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(Data::to_string).collect();
        // The last two columns: reasons and warnings (summaries_and_letters_show_reasons_and_warnings).
        assert_eq!(header[header.len() - 2..], ["Причины", "Замечания"], "sheet {sheet}");
        for row in rows {
            let id = row[0].to_string();
            let statuses = from_xlsx.entry(id).or_default();
            for (col, cell) in row.iter().enumerate().take(header.len() - 2).skip(5) {
                let Some(requirement) = title_to_id.get(&header[col]) else {
                    panic!("sheet {sheet}: unknown column {}", header[col]);
                };
                if let Some(status) = label_to_status.get(&cell.to_string()) {
                    statuses.insert(requirement.clone(), status.to_string());
                }
            }
        }
    }
    let from_json: BTreeMap<String, BTreeMap<String, String>> = report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let statuses = s["requirements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["id"].as_str().unwrap().to_string(),
                        r["status"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (s["object_id"].as_str().unwrap().to_string(), statuses)
        })
        .collect();
    assert_eq!(from_xlsx, from_json);
}

fn letters_list_exactly_the_missing_items(reports: &Path, report: &Value) {
    let rules = Rules::embedded().unwrap();
    let submission = report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["object_id"] == "IS-2021-0042")
        .unwrap();
    let owed: Vec<&str> = submission["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !matches!(r["status"].as_str(), Some("present" | "expired_accepted")))
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(owed, ["p5.is.commissioning_document"]);
    for (lang, code) in [(Lang::Ru, "ru"), (Lang::Kk, "kk")] {
        for ext in ["md", "html"] {
            // The request lists what the state body owes, and nothing else, by its title.
            let request =
                std::fs::read_to_string(reports.join(format!("letters/IS-2021-0042.request.{code}.{ext}"))).unwrap();
            for requirement in rules.requirements.iter().filter(|r| r.id.starts_with("p5.is.")) {
                let listed = request.contains(requirement.title.get(lang));
                let owed = owed.contains(&requirement.id.as_str());
                assert_eq!(listed, owed, "request.{code}.{ext}: {}", requirement.id);
                if owed {
                    assert!(request.contains(requirement.cite.get(lang)), "{code}.{ext}: cite");
                    assert!(
                        request.contains(requirement.to_submit.get(lang)),
                        "{code}.{ext}: to_submit"
                    );
                }
            }
            // The recommendation names the ground: p. 6(3), missing p. 5 information.
            let recommendation =
                std::fs::read_to_string(reports.join(format!("letters/IS-2021-0042.recommendation.{code}.{ext}")))
                    .unwrap();
            let ground = match lang {
                Lang::Kk => "6-тармағының 3) тармақшасы: архитектуралық порталда",
                _ => "пп. 3) п. 6 Правил, утв. приказом № 29: на архитектурном портале отсутствуют",
            };
            assert!(recommendation.contains(ground), "{code}.{ext}");
        }
    }
}

/// Every warning's text and every reason of a requirement not present, per submission: in its
/// row of summary.html (escaped), in its row of summary.xlsx, and (warnings) in its letters.
fn summaries_and_letters_show_reasons_and_warnings(reports: &Path, report: &Value) {
    let submissions = report["submissions"].as_array().unwrap();
    let texts = |s: &Value, key: &str, filter: fn(&Value) -> bool| -> Vec<String> {
        s[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| filter(v))
            .map(|v| {
                v[if key == "warnings" { "text" } else { "reason" }]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let warnings_of = |s: &Value| texts(s, "warnings", |_| true);
    let reasons_of = |s: &Value| texts(s, "requirements", |r| r["status"] != "present");
    assert!(
        submissions.iter().any(|s| !warnings_of(s).is_empty()) && submissions.iter().any(|s| !reasons_of(s).is_empty()),
        "the sample has warnings and requirements not present"
    );

    let html = std::fs::read_to_string(reports.join("summary.html")).unwrap();
    let matrix = &html[html.find("id=\"matrix\"").unwrap()..];
    for s in submissions {
        let id = s["object_id"].as_str().unwrap();
        let start = matrix.find(&format!("<b>{}</b>", escape(id))).unwrap();
        let row = &matrix[start..start + matrix[start..].find("</tr>").unwrap()];
        for text in warnings_of(s).iter().chain(&reasons_of(s)) {
            assert!(row.contains(&escape(text)), "summary.html, {id}: {text}");
        }
    }

    let mut workbook: Xlsx<_> = open_workbook(reports.join("summary.xlsx")).unwrap();
    let mut rows: BTreeMap<String, (String, String)> = BTreeMap::new();
    for sheet in &workbook.sheet_names()[1..] {
        let range = workbook.worksheet_range(sheet).unwrap();
        let width = range.width();
        for row in range.rows().skip(1) {
            rows.insert(
                row[0].to_string(),
                (row[width - 2].to_string(), row[width - 1].to_string()),
            );
        }
    }
    for s in submissions {
        let id = s["object_id"].as_str().unwrap();
        let (reasons, warnings) = &rows[id];
        for text in reasons_of(s) {
            assert!(reasons.contains(&text), "summary.xlsx, {id}: {text}");
        }
        for text in warnings_of(s) {
            assert!(warnings.contains(&text), "summary.xlsx, {id}: {text}");
        }
    }

    let md = |text: &str| {
        text.replace('\\', "\\\\")
            .replace('*', "\\*")
            .replace('_', "\\_")
            .replace('[', "\\[")
            .replace('<', "&lt;")
    };
    // Both letters, the recommendation and the request, list every warning.
    for (s, kind) in submissions
        .iter()
        .filter(|s| !warnings_of(s).is_empty())
        .flat_map(|s| ["recommendation", "request"].map(|kind| (s, kind)))
    {
        let id = s["object_id"].as_str().unwrap();
        let letter = |code: &str, ext: &str| {
            std::fs::read_to_string(reports.join(format!("letters/{id}.{kind}.{code}.{ext}"))).unwrap()
        };
        for text in warnings_of(s) {
            assert!(letter("ru", "md").contains(&md(&text)), "{id}.ru.md: {text}");
            assert!(letter("ru", "html").contains(&escape(&text)), "{id}.ru.html: {text}");
        }
        assert!(
            letter("ru", "md").contains("Кроме того, при проверке отмечено:"),
            "{id}"
        );
        assert!(
            letter("ru", "html").contains("Кроме того, при проверке отмечено:"),
            "{id}"
        );
        assert!(
            letter("kk", "md").contains("Сонымен қатар тексеру кезінде мыналар анықталды:"),
            "{id}"
        );
        assert!(
            letter("kk", "html").contains("Сонымен қатар тексеру кезінде мыналар анықталды:"),
            "{id}"
        );
    }
}
