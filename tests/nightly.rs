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

use support::{copy_tree, files_under, nightly_output, root};

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
        // A title row with the as-of date, then the header.
        let mut rows = range.rows().skip(1);
        let header: Vec<String> = rows.next().unwrap().iter().map(Data::to_string).collect();
        // The last three columns: reasons, what to submit and warnings.
        assert_eq!(
            header[header.len() - 3..],
            ["Причины", "Что необходимо представить", "Замечания"],
            "sheet {sheet}"
        );
        for row in rows {
            let id = row[0].to_string();
            let statuses = from_xlsx.entry(id).or_default();
            for (col, cell) in row.iter().enumerate() {
                // The requirements' columns; the others (verdict, points, notes) are not statuses.
                let Some(requirement) = title_to_id.get(&header[col]) else {
                    continue;
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
        // The title row, the header, then the submissions; reasons are third from the end.
        for row in range.rows().skip(2) {
            rows.insert(
                row[0].to_string(),
                (row[width - 3].to_string(), row[width - 1].to_string()),
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

/// `search INDEX QUERY --json --limit 100`, printed: what the index answers, to compare before
/// and after a run that must not have touched it.
fn search_json(index: &Path, query: &str) -> String {
    let output = support::command()
        .arg("search")
        .arg(index)
        .args([query, "--json", "--limit", "100"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn an_empty_or_shrunken_corpus_stops_the_night_before_anything_changes() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    let state = scratch.path().join("state");
    copy_tree(&root().join("corpora/sample"), &corpus);
    let (_, _) = support::nightly(&corpus, &state, "2026-11-20", &[]);
    let index = state.join("index");
    let meta = std::fs::read(index.join("meta.json")).unwrap();
    let before = search_json(&index, "акт");
    let history = files_under(&state.join("history"), "");

    // The share is not mounted: its mount point is an empty directory, or not there at all.
    let away = scratch.path().join("away");
    std::fs::rename(&corpus, &away).unwrap();
    std::fs::create_dir(&corpus).unwrap();
    let empty = nightly_output(&corpus, &state, "2026-11-23", &[]);
    let text = String::from_utf8_lossy(&empty.stderr);
    assert_eq!(empty.status.code(), Some(2), "{text}");
    assert!(
        text.contains("holds no files") && text.contains("mounted") && text.contains("--allow-shrink"),
        "{text}"
    );
    std::fs::remove_dir(&corpus).unwrap();
    let missing = nightly_output(&corpus, &state, "2026-11-23", &[]);
    let text = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{text}");
    assert!(text.contains("mounted"), "{text}");
    std::fs::rename(&away, &corpus).unwrap();

    // 60% of the files gone.
    let all: Vec<String> = files_under(&corpus, "").into_iter().collect();
    let gone = all.len() * 6 / 10;
    for rel in &all[..gone] {
        std::fs::remove_file(corpus.join(rel)).unwrap();
    }
    let shrunk = nightly_output(&corpus, &state, "2026-11-23", &[]);
    let text = String::from_utf8_lossy(&shrunk.stderr);
    assert_eq!(shrunk.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("{gone} of the {} files", all.len())), "{text}");
    let check = support::portalcheck(&[
        std::ffi::OsStr::new("check"),
        corpus.as_os_str(),
        std::ffi::OsStr::new("--index"),
        index.as_os_str(),
    ]);
    assert_eq!(check.status.code(), Some(2), "check --index has the same guard");

    // Nothing changed: the index, what it answers, the history, the reports.
    assert_eq!(std::fs::read(index.join("meta.json")).unwrap(), meta);
    assert_eq!(search_json(&index, "акт"), before);
    assert_eq!(files_under(&state.join("history"), ""), history);
    assert!(!state.join("reports/2026-11-23").exists());

    // The files were really withdrawn: the operator says so.
    let (dir, _) = support::nightly(&corpus, &state, "2026-11-23", &["--allow-shrink"]);
    let report = support::report_json(&dir);
    // Removed records: the files, and the members of an archive among them.
    assert!(
        report["run"]["files_removed"].as_u64().unwrap() >= gone as u64,
        "{}",
        report["run"]
    );
}

#[test]
fn state_and_reports_inside_the_corpus_are_not_read_and_stale_reports_go() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    copy_tree(&root().join("corpora/sample"), &corpus);
    let sample_files = files_under(&corpus, "");
    // The state directory inside the share, as a careless cron line would put it.
    let state = corpus.join("portalcheck-state");
    let (first_dir, _) = support::nightly(&corpus, &state, "2026-11-20", &[]);
    let first = support::report_json(&first_dir);
    // A copy of that state elsewhere in the share, and an analyst's note in the reports.
    copy_tree(&state, &corpus.join("minfin/old-copy"));
    std::fs::write(first_dir.join("notes.txt"), "the analyst's own").unwrap();
    // A submission withdrawn: its Markdown and letters must go on a re-run of the night.
    std::fs::remove_dir_all(corpus.join("minfin/is-esf")).unwrap();

    let (dir, stderr) = support::nightly(&corpus, &state, "2026-11-20", &[]);
    assert_eq!(dir, first_dir);
    let second = support::report_json(&dir);
    let files: Vec<String> = second["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap().iter())
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    // A file inside an archive is `archive.zip!/member`: its archive is the corpus file.
    assert!(
        files
            .iter()
            .all(|f| sample_files.contains(f.split("!/").next().unwrap())),
        "only the corpus's own files are read: {files:?}"
    );
    assert!(
        first["submissions"].as_array().unwrap().len() == second["submissions"].as_array().unwrap().len() + 1,
        "one submission withdrawn, none added from the state"
    );
    for skipped in ["portalcheck-state", "minfin/old-copy"] {
        assert!(
            stderr.contains(&format!(
                "skipped `{skipped}` in the corpus: a portalcheck state directory"
            )),
            "{skipped}: {stderr}"
        );
    }
    assert!(
        !dir.join("submissions/IS-2021-0088.md").exists(),
        "stale Markdown removed"
    );
    assert!(
        !dir.join("letters/IS-2021-0088.ru.html").exists(),
        "stale letter removed"
    );
    assert!(dir.join("submissions/IS-2021-0042.md").exists());
    assert!(dir.join("notes.txt").exists(), "a file no run wrote survives");
    assert!(stderr.contains("submissions/IS-2021-0088.md"), "{stderr}");
}

#[test]
fn check_out_removes_only_what_an_earlier_run_wrote() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    let out = scratch.path().join("out");
    copy_tree(&root().join("corpora/sample"), &corpus);
    let check = || {
        let output = support::portalcheck(&[
            std::ffi::OsStr::new("check"),
            corpus.as_os_str(),
            std::ffi::OsStr::new("--out"),
            out.as_os_str(),
            std::ffi::OsStr::new("--isolation"),
            std::ffi::OsStr::new("in-process"),
        ]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    check();
    assert!(out.join("submissions/IS-2021-0088.md").exists());
    std::fs::write(out.join("submissions/my-notes.md"), "the analyst's own").unwrap();
    std::fs::remove_dir_all(corpus.join("minfin/is-esf")).unwrap();
    let stderr = check();
    assert!(!out.join("submissions/IS-2021-0088.md").exists(), "{stderr}");
    assert!(out.join("submissions/my-notes.md").exists());
    assert!(out.join("submissions/IS-2021-0042.md").exists());
    assert!(stderr.contains("removed 1 report files"), "{stderr}");

    // A damaged manifest: nothing is removed, and the run says so.
    std::fs::write(
        out.join(".portalcheck-manifest"),
        "edited by hand\nsubmissions/IS-2021-0042.md\n",
    )
    .unwrap();
    std::fs::remove_dir_all(corpus.join("mcriap/is-elektronnye-obrashcheniya")).unwrap();
    let stderr = check();
    assert!(out.join("submissions/IS-2021-0042.md").exists(), "{stderr}");
    assert!(stderr.contains("no file of earlier runs was removed"), "{stderr}");
}

#[test]
fn answered_applications_leave_the_deadline_list_until_they_change() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    let state = scratch.path().join("state");
    copy_tree(&root().join("corpora/sample"), &corpus);
    let waiting = |report: &Value| -> BTreeSet<String> {
        report["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["object_id"].as_str().unwrap().to_string())
            .collect()
    };
    let answered = |args: &[&str]| {
        let output = support::command()
            .arg("answered")
            .arg("--state")
            .arg(&state)
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    const ID: &str = "IS-2021-0042";
    let (dir, _) = support::nightly(&corpus, &state, "2026-11-23", &[]);
    let before = waiting(&support::report_json(&dir));
    assert!(before.contains(ID) && before.len() > 1, "{before:?}");

    // A typo: refused, with the id meant.
    let (code, text) = answered(&["IS-2021-042", "--date", "2026-11-20"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("did you mean `IS-2021-0042`"), "{text}");

    let (code, text) = answered(&[ID, "--date", "2026-11-20", "--number", "01-02/123"]);
    assert_eq!(code, Some(0), "{text}");
    let file = std::fs::read_to_string(state.join("answered.toml")).unwrap();
    assert!(
        file.contains(ID) && file.contains("01-02/123") && file.contains("2026-11-20"),
        "{file}"
    );
    let (dir, _) = support::nightly(&corpus, &state, "2026-11-23", &[]);
    let after = waiting(&support::report_json(&dir));
    let mut expected = before.clone();
    expected.remove(ID);
    assert_eq!(after, expected, "only the answered application left the list");

    // The state body submits again (another act): waiting again.
    let docs = corpus.join("mcriap/is-elektronnye-obrashcheniya/docs");
    std::fs::copy(docs.join("TZ_IS_EO.pdf"), docs.join("akt_vvoda_PE.pdf")).unwrap();
    let (dir, _) = support::nightly(&corpus, &state, "2026-11-24", &[]);
    assert!(waiting(&support::report_json(&dir)).contains(ID));

    // --undo takes the answer back.
    let (code, text) = answered(&[ID, "--undo"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        !std::fs::read_to_string(state.join("answered.toml"))
            .unwrap()
            .contains(ID)
    );

    // A bad file stops the night before anything is written, naming the file and the key.
    std::fs::write(
        state.join("answered.toml"),
        "[[answered]]\nobject_id = \"IS-2021-0042\"\nanswerd = 2026-11-20\n",
    )
    .unwrap();
    let bad = nightly_output(&corpus, &state, "2026-11-25", &[]);
    let text = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{text}");
    assert!(text.contains("answered.toml") && text.contains("answerd"), "{text}");
    assert!(!state.join("history/2026-11-25.json").exists());
}
