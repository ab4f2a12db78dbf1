//! End to end on `corpora/adversarial`: valid submissions with exactly one legal fact changed, and
//! controls that must keep their "complies". The ground truth, `tests/expected/adversarial.json`, is
//! written by corpora/tools/make_adversarial.py from the case definitions (the law), never from this
//! tool's output; `corpora/adversarial.md` lists the cases and why each expects what it does.
//!
//! Every document is a text PDF, a DOCX or a plain text file, so no OCR is involved and the result
//! does not depend on Tesseract being installed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

mod support;

use support::{portalcheck, root};

const CORPUS: &str = "corpora/adversarial";
/// Used when the ground truth does not say.
const AS_OF: &str = "2026-11-22";

fn expected() -> &'static Value {
    static EXPECTED: OnceLock<Value> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let path = root().join("tests/expected/adversarial.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}; rebuild the corpus with `python3 corpora/tools/make_adversarial.py`",
                path.display()
            )
        });
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
    })
}

fn as_of() -> &'static str {
    expected()["as_of"].as_str().unwrap_or(AS_OF)
}

/// The report of `portalcheck check corpora/adversarial --json`, run once for all tests.
fn report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        let output = portalcheck(&["check", CORPUS, "--as-of", as_of(), "--json"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        // 0: done; 1: findings (only with --fail-on); anything else is a failed run.
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "`portalcheck check {CORPUS}` failed ({}):\n{stderr}",
            output.status
        );
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("`--json` did not print a JSON report: {e}\nstderr:\n{stderr}"))
    })
}

fn cases() -> Vec<&'static Value> {
    let cases: Vec<&Value> = expected()["cases"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    assert!(
        cases.len() >= 30,
        "the ground truth lists {} cases, fewer than 30",
        cases.len()
    );
    cases
}

/// A path as the report writes it, relative to the corpus root, with `/` separators.
fn relative(path: &str) -> String {
    let path = path.replace('\\', "/");
    let corpus_abs = root().join(CORPUS).to_string_lossy().replace('\\', "/");
    let path = path
        .strip_prefix(&format!("{corpus_abs}/"))
        .or_else(|| path.strip_prefix(&format!("{CORPUS}/")))
        .or_else(|| path.strip_prefix("./"))
        .unwrap_or(&path);
    path.trim_end_matches('/').to_string()
}

/// The report's submissions by directory.
fn submissions_by_path() -> BTreeMap<String, &'static Value> {
    report()["submissions"]
        .as_array()
        .expect("the report has a `submissions` array")
        .iter()
        .filter_map(|s| Some((relative(s["path"].as_str()?), s)))
        .collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(absent)".to_string(),
        other => other.to_string(),
    }
}

/// Every finding and warning code the report gives a submission.
fn codes(got: &Value) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for requirement in got["requirements"].as_array().into_iter().flatten() {
        if let Some(code) = requirement["finding"]["code"].as_str() {
            codes.insert(code.to_string());
        }
    }
    for warning in got["warnings"].as_array().into_iter().flatten() {
        if let Some(code) = warning["code"].as_str() {
            codes.insert(code.to_string());
        }
    }
    codes
}

struct Mismatch {
    case: String,
    field: String,
    expected: String,
    got: String,
}

/// Compares one case with its submission in the report; every difference is one mismatch.
fn compare_case(want: &Value, got: Option<&Value>, out: &mut Vec<Mismatch>) {
    let case = text(&want["path"]);
    let mut push = |field: &str, expected: String, got: String| {
        out.push(Mismatch {
            case: case.clone(),
            field: field.to_string(),
            expected,
            got,
        })
    };
    let Some(got) = got else {
        push("submission", "in the report".into(), "not in the report".into());
        return;
    };
    for field in ["verdict", "level"] {
        if want[field] != got[field] {
            push(field, text(&want[field]), text(&got[field]));
        }
    }

    let got_requirements: BTreeMap<&str, &Value> = got["requirements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r["id"].as_str()?, r)))
        .collect();
    for (id, status) in want["requirements"].as_object().into_iter().flatten() {
        match got_requirements.get(id.as_str()) {
            Some(r) if r["status"] == *status => {}
            Some(r) => {
                let finding = r["finding"]["code"].as_str().unwrap_or("?");
                push(id, text(status), format!("{} ({finding})", text(&r["status"])));
            }
            None => push(id, text(status), "(not in the report)".into()),
        }
    }

    if let Some(passes) = want.get("criteria_passes") {
        // Platform software products have no criteria test: the report gives `null`.
        if got["criteria"].is_object() && got["criteria"]["passes"] != *passes {
            push("criteria passes", text(passes), text(&got["criteria"]["passes"]));
        }
    }

    let path = text(&want["path"]);
    let got_files: BTreeMap<String, &Value> = got["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| Some((relative(f["file"].as_str()?), f)))
        .collect();
    for (file, doc_type) in want["files"].as_object().into_iter().flatten() {
        let key = format!("{path}/{file}");
        match got_files.get(&key) {
            Some(f) if f["doc_type"] == *doc_type => {}
            Some(f) => push(
                &format!("{file} doc_type"),
                text(doc_type),
                format!("{} (status {})", text(&f["doc_type"]), text(&f["status"])),
            ),
            None => push(
                &format!("{file} doc_type"),
                text(doc_type),
                "(file not in the report)".into(),
            ),
        }
    }

    let got_codes = codes(got);
    for code in want["must_name"].as_array().into_iter().flatten() {
        let code = text(code);
        if !got_codes.contains(&code) {
            let listed = if got_codes.is_empty() {
                "no codes".to_string()
            } else {
                got_codes.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            push("must_name", code, listed);
        }
    }
}

/// Cases expected not to comply that the report calls "complies": the worst error this tool can make.
fn false_complies() -> Vec<String> {
    let by_path = submissions_by_path();
    cases()
        .into_iter()
        .filter(|want| want["verdict"] != "complies")
        .filter_map(|want| {
            let got = by_path.get(&text(&want["path"]))?;
            (got["verdict"] == "complies").then(|| {
                format!(
                    "{}: expected {}/{}, got complies/{} (changed: {})",
                    text(&want["path"]),
                    text(&want["verdict"]),
                    text(&want["level"]),
                    text(&got["level"]),
                    text(&want["changed"])
                )
            })
        })
        .collect()
}

#[test]
fn no_false_complies() {
    let false_complies = false_complies();
    assert!(
        false_complies.is_empty(),
        "\n!!! {} FALSE \"COMPLIES\" in {CORPUS} (a changed legal fact went unnoticed) !!!\n  {}\n",
        false_complies.len(),
        false_complies.join("\n  ")
    );
}

#[test]
fn adversarial_cases_match_the_law() {
    let by_path = submissions_by_path();
    let cases = cases();
    let mut mismatches = Vec::new();
    for want in &cases {
        compare_case(want, by_path.get(&text(&want["path"])).copied(), &mut mismatches);
    }

    let false_complies = false_complies();
    if false_complies.is_empty() && mismatches.is_empty() {
        return;
    }
    let failing: BTreeSet<&str> = mismatches.iter().map(|m| m.case.as_str()).collect();
    let mut message = format!(
        "\n{CORPUS}: {} of {} cases differ from the ground truth ({} mismatches); {} false \"complies\"\n",
        failing.len(),
        cases.len(),
        mismatches.len(),
        false_complies.len()
    );
    if !false_complies.is_empty() {
        message.push_str("\n!!! FALSE \"COMPLIES\" (the worst error: listed first) !!!\n");
        for line in &false_complies {
            message.push_str(&format!("  {line}\n"));
        }
    }
    message.push_str("\nMISMATCHES (case | field | expected | got):\n");
    let width = mismatches.iter().map(|m| m.case.len()).max().unwrap_or(0);
    let field_width = mismatches.iter().map(|m| m.field.len()).max().unwrap_or(0).min(40);
    for m in &mismatches {
        message.push_str(&format!(
            "  {:width$} | {:field_width$} | {} | {}\n",
            m.case, m.field, m.expected, m.got
        ));
    }
    panic!("{message}");
}

/// The corpus on disk and the ground truth describe the same submissions.
#[test]
fn every_case_directory_has_an_expectation() {
    let listed: BTreeSet<String> = cases().iter().map(|c| text(&c["path"])).collect();
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(root().join(CORPUS)).expect("the corpus exists") {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            on_disk.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    assert_eq!(
        on_disk, listed,
        "directories of {CORPUS} and cases of the ground truth differ; rerun `python3 corpora/tools/make_adversarial.py`"
    );
    for case in cases() {
        let dir = root().join(CORPUS).join(text(&case["path"]));
        for file in case["files"].as_object().into_iter().flatten().map(|(f, _)| f) {
            assert!(
                dir.join(file).is_file(),
                "the ground truth names {file} in {}, which does not exist",
                dir.display()
            );
        }
    }
}

/// In a file holding several documents, a requirement's evidence cites the pages of the document
/// that is the evidence (the protocol on page 2, not the act on page 1): `evidence_pages` in the
/// ground truth, whose page layout the generator checks with pdftotext when it builds the PDF.
#[test]
fn bundled_evidence_cites_its_documents_pages() {
    let by_path = submissions_by_path();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for want in cases() {
        let Some(pages) = want.get("evidence_pages").and_then(Value::as_object) else {
            continue;
        };
        let path = text(&want["path"]);
        let Some(got) = by_path.get(&path) else {
            mismatches.push(format!("{path}: not in the report"));
            continue;
        };
        for (id, expected) in pages {
            checked += 1;
            let file = format!("{path}/{}", text(&expected["file"]));
            let (first, last) = (&expected["first"], &expected["last"]);
            let requirement = got["requirements"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["id"] == id.as_str());
            let Some(requirement) = requirement else {
                mismatches.push(format!("{path}: {id} not in the report"));
                continue;
            };
            let in_file: Vec<&Value> = requirement["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| e["file"].as_str().is_some_and(|f| relative(f) == file))
                .collect();
            if in_file.is_empty() {
                mismatches.push(format!("{path}: {id} cites nothing in {file}"));
            }
            for evidence in in_file {
                let pages = &evidence["pages"];
                let page = evidence["page"].as_u64();
                let page_inside = page
                    .is_none_or(|p| first.as_u64().is_some_and(|f| p >= f) && last.as_u64().is_some_and(|l| p <= l));
                if pages["first"] != *first || pages["last"] != *last || !page_inside {
                    mismatches.push(format!(
                        "{path}: {id} cites {file} pages {} (page {}), expected pages {first}-{last}",
                        text(pages),
                        page.map_or("none".to_string(), |p| p.to_string())
                    ));
                }
            }
        }
    }
    assert!(
        checked > 0,
        "the ground truth has no `evidence_pages`: the bundled cases are gone"
    );
    assert!(mismatches.is_empty(), "\n{}\n", mismatches.join("\n"));
}
