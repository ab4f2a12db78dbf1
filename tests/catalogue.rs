//! The text catalogue (`src/report/text/`) is the only source of human-facing words.
//!
//! 1. What a Russian or Kazakh reader gets — the Markdown reports, the terminal table, summary.html
//!    (its visible text), summary.xlsx (every cell and sheet name) and the letters (Markdown, the
//!    visible text of their HTML, the text of their DOCX as a DOCX reader sees it) — never
//!    shows an internal id: a requirement id (`p5.is.…`), a document-type id
//!    (`commissioning_act`), or a status, verdict, level, file-status, kind or stage word
//!    (`does_not_comply`, `present`, `too_large`, …), nor a reader's own English words (a file's
//!    `reason`, "PDF does not parse: …", or a card parser's message). File names are left out of
//!    the scan: a corpus file may be called anything.
//! 2. No renderer holds a Cyrillic string literal of its own: outside `src/report/text/` and
//!    outside `#[cfg(test)]` code, the source of [`SOURCE_SCAN`] has none.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx, open_workbook};
use portalcheck::card::{ObjectKind, Stage};
use portalcheck::evaluate::{Level, Status, Verdict};
use portalcheck::extract::FileStatus;
use portalcheck::rules::{OBJECT_CARD, OTHER, Rules, SIGNATURE};
use serde_json::Value;

mod support;

use support::{AS_OF, root, visible_text};

/// The sources that must hold no Cyrillic literal outside tests: a directory means its `.rs` files
/// (not its subdirectories), a file itself. `src/report/text/` is the catalogue and is exempt.
const SOURCE_SCAN: &[&str] = &[
    "src/report",
    "src/serve",
    "src/nightly",
    "src/history",
    "src/pipeline.rs",
    "src/main.rs",
    "src/cli.rs",
    "src/progress.rs",
];

/// Every id a reader must never see.
fn internal_ids() -> BTreeSet<String> {
    let rules = Rules::embedded().unwrap();
    let mut ids: BTreeSet<String> = rules.requirements.iter().map(|r| r.id.clone()).collect();
    ids.extend(rules.doctypes.iter().map(|d| d.id.clone()));
    ids.extend([OTHER, OBJECT_CARD, SIGNATURE].map(String::from));
    ids.extend(Status::ALL.map(|s| s.as_str().to_string()));
    ids.extend([Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply].map(|v| v.as_str().to_string()));
    ids.extend([Level::Fully, Level::Partially, Level::Not].map(|l| l.as_str().to_string()));
    ids.extend(FileStatus::ALL.map(|s| s.as_str().to_string()));
    ids.extend(ObjectKind::ALL.map(|k| k.as_str().to_string()));
    ids.extend(
        [
            Stage::Creation,
            Stage::TrialOperation,
            Stage::IndustrialOperation,
            Stage::Development,
            Stage::Decommissioned,
        ]
        .map(|s| s.as_str().to_string()),
    );
    // Plain English words that are ids too: the extractors' reasons for a file they could not read
    // are English text ("PDF does not parse: failed parsing …"), not an id shown by mistake.
    for word in [
        "not",
        "failed",
        "ok",
        "other",
        "signature",
        "encrypted",
        "corrupt",
        "unsupported",
    ] {
        ids.remove(word);
    }
    ids
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The ids that occur in `text` as words of their own (`p5.is.description.` at the end of a
/// sentence counts; `p5.is.descriptions` or `ok_file` does not).
fn ids_in(text: &str, ids: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for id in ids {
        for (at, _) in text.match_indices(id.as_str()) {
            let before = text[..at].chars().next_back();
            let mut after = text[at + id.len()..].chars();
            let next = after.next();
            let left_ok = before.is_none_or(|c| !is_word(c) && c != '.');
            let right_ok = match next {
                None => true,
                Some('.') => after.next().is_none_or(|c| !is_word(c)),
                Some(c) => !is_word(c),
            };
            if left_ok && right_ok {
                let start = text[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
                let end = text[at..]
                    .char_indices()
                    .nth(id.len() + 40)
                    .map_or(text.len(), |(i, _)| at + i);
                found.push(format!("`{id}` in …{}…", &text[start..end]));
                break;
            }
        }
    }
    found
}

/// Text without the names of corpus files (paths as the report gives them, and their last
/// components), longest first, and without what Markdown puts in backticks (file names).
fn without_file_names(text: &str, files: &[String]) -> String {
    let mut text = text.to_string();
    for file in files {
        text = text.replace(file.as_str(), " ");
    }
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        }
        out.push(' ');
    }
    out
}

/// Every string of a workbook: sheet names and cells.
fn xlsx_text(path: &Path) -> String {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let mut text = String::new();
    for sheet in workbook.sheet_names() {
        text.push_str(&sheet);
        text.push('\n');
        let range = workbook.worksheet_range(&sheet).unwrap();
        for row in range.rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    text
}

/// The corpus file names a report mentions (`files[].file`, `path`), plus their last components.
fn file_names(report: &Value) -> Vec<String> {
    let mut names = BTreeSet::new();
    for s in report["submissions"].as_array().unwrap() {
        names.insert(s["path"].as_str().unwrap().to_string());
        for f in s["files"].as_array().unwrap() {
            let file = f["file"].as_str().unwrap();
            names.insert(file.to_string());
            names.extend(file.split(['/', '!']).filter(|p| !p.is_empty()).map(String::from));
        }
    }
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// The readers' own words in a report, English for the operator: each file's `reason`, and of an
/// object card's ("object card, line 12: malformed XML: …") the parser's message too.
fn reader_messages(report: &Value) -> Vec<String> {
    let mut messages = BTreeSet::new();
    for s in report["submissions"].as_array().unwrap() {
        for f in s["files"].as_array().unwrap() {
            let Some(reason) = f["reason"].as_str() else { continue };
            messages.insert(reason.to_string());
            if let Some((_, message)) = reason
                .strip_prefix("object card, line ")
                .and_then(|r| r.split_once(": "))
            {
                messages.insert(message.to_string());
            }
        }
    }
    messages.into_iter().collect()
}

/// Every Markdown, HTML, XLSX and DOCX file under `dir`, as the text a reader sees.
fn outputs_under(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let path = e.path().to_path_buf();
            let text = match path.extension()?.to_str()? {
                "md" => std::fs::read_to_string(&path).unwrap(),
                "html" => visible_text(&std::fs::read_to_string(&path).unwrap()),
                "xlsx" => xlsx_text(&path),
                "docx" => support::docx_text(&path),
                _ => return None,
            };
            Some((path, text))
        })
        .collect()
}

fn check(lang: &str, out: &Path) -> String {
    let output = support::portalcheck(&[
        "check",
        "corpora/sample",
        "--as-of",
        AS_OF,
        "--lang",
        lang,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "check --lang {lang} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn nightly(lang: &str, state: &Path, as_of: &str) -> PathBuf {
    support::nightly(&support::root().join("corpora/sample"), state, as_of, &["--lang", lang]).0
}

#[test]
fn russian_and_kazakh_outputs_show_no_internal_id() {
    let ids = internal_ids();
    let scratch = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut scanned = 0;
    let mut messages_shown = Vec::new();
    let mut scan = |what: String, text: &str, files: &[String]| {
        scanned += 1;
        for found in ids_in(&without_file_names(text, files), &ids) {
            problems.push(format!("{what}: {found}"));
        }
    };
    for lang in ["ru", "kk"] {
        let out = scratch.path().join(format!("check-{lang}"));
        let table = check(lang, &out);
        let report = support::report_json(&out);
        let files = file_names(&report);
        let messages = reader_messages(&report);
        // The sample holds a damaged PDF, a malformed card, scans read by OCR and an archive.
        assert!(messages.len() >= 5, "{messages:?}");
        scan(format!("check --lang {lang}: the terminal table"), &table, &files);
        for (path, text) in outputs_under(&out) {
            scan(format!("check --lang {lang}: {}", path.display()), &text, &files);
            let text = without_file_names(&text, &files);
            messages_shown.extend(
                messages
                    .iter()
                    .filter(|m| text.contains(m.as_str()))
                    .map(|m| format!("check --lang {lang}: {}: «{m}»", path.display())),
            );
        }
    }
    assert!(
        messages_shown.is_empty(),
        "a reader's English words shown to a Russian or Kazakh reader:\n{}",
        messages_shown.join("\n")
    );
    // Two nightly runs on one state: Kazakh, then Russian (the second reads nothing again). Each
    // writes summary.html, summary.xlsx, the Markdown and the letters in Russian and Kazakh.
    let state = scratch.path().join("state");
    for (lang, as_of) in [("kk", "2026-11-20"), ("ru", AS_OF)] {
        let reports = nightly(lang, &state, as_of);
        let files = file_names(&support::report_json(&reports));
        let outputs = outputs_under(&reports);
        for kind in [
            "summary.html",
            "summary.xlsx",
            ".recommendation.ru.html",
            ".request.kk.md",
            ".recommendation.kk.docx",
            ".request.ru.docx",
        ] {
            assert!(
                outputs.iter().any(|(p, _)| p.to_string_lossy().ends_with(kind)),
                "nightly --lang {lang} wrote no {kind}"
            );
        }
        for (path, text) in outputs {
            scan(format!("nightly --lang {lang}: {}", path.display()), &text, &files);
        }
    }
    assert!(scanned > 20, "only {scanned} outputs scanned");
    assert!(
        problems.is_empty(),
        "internal ids shown to readers:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scan_finds_ids_and_spares_file_names() {
    let ids = internal_ids();
    let found = |text: &str| {
        ids_in(
            &without_file_names(text, &["docs/technical_documentation.pdf".into()]),
            &ids,
        )
    };
    assert_eq!(found("Статус: does_not_comply.").len(), 1);
    assert_eq!(found("Не соответствует: p5.is.commissioning_document.").len(), 1);
    assert_eq!(found("| `commissioning_act.pdf` | прочитан |").len(), 0);
    assert_eq!(found("Файл docs/technical_documentation.pdf прочитан").len(), 0);
    assert_eq!(found("<b>present</b>").len(), 1);
    assert!(visible_text("<td class=\"st-present\" title=\"x\">есть</td><style>.missing{}</style>").trim() == "есть");
}

// ---- the source scan ----------------------------------------------------------------------

/// A string literal of Rust source: where it starts (line) and its text.
struct Literal {
    line: usize,
    text: String,
}

/// The string literals of `source` outside comments, with `#[cfg(test)]` items removed. A small
/// lexer: comments, char literals and lifetimes, plain, byte and raw strings.
fn literals(source: &str) -> Vec<Literal> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    // Where each `#[cfg(test)]` item ends: the brace that closes its first block.
    let mut skip_until_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut pending_test = false;
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let mut nest = 0;
            while i < chars.len() {
                if at(i, "/*") {
                    nest += 1;
                    i += 2;
                } else if at(i, "*/") {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if at(i, "#[cfg(test)]") {
            pending_test = true;
            i += "#[cfg(test)]".len();
        } else if c == '"' || ((c == 'r' || c == 'b') && is_string_start(&chars, i)) {
            let start_line = line;
            let (text, end) = string_literal(&chars, i);
            line += text.matches('\n').count();
            if skip_until_depth.is_none() {
                out.push(Literal { line: start_line, text });
            }
            i = end;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            if c == '{' {
                if pending_test && skip_until_depth.is_none() {
                    skip_until_depth = Some(depth);
                    pending_test = false;
                }
                depth += 1;
            } else if c == '}' {
                depth = depth.saturating_sub(1);
                if skip_until_depth == Some(depth) {
                    skip_until_depth = None;
                }
            } else if c == ';' && pending_test && skip_until_depth.is_none() {
                // `#[cfg(test)] use …;` or `mod tests;`: one item without a block.
                pending_test = false;
            }
            if is_word(c) {
                // Skip the rest of an identifier, so that `br` in `number` is no string prefix.
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
    }
    out
}

/// `r"`, `r#"`, `b"`, `br"`, `br#"` at `i`.
fn is_string_start(chars: &[char], i: usize) -> bool {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) == Some(&'r') {
        j += 1;
        while chars.get(j) == Some(&'#') {
            j += 1;
        }
    }
    j > i && chars.get(j) == Some(&'"')
}

/// The literal starting at `i` (any prefix) and the index after it.
fn string_literal(chars: &[char], mut i: usize) -> (String, usize) {
    if chars[i] == 'b' {
        i += 1;
    }
    let raw = chars[i] == 'r';
    if raw {
        i += 1;
        let mut hashes = 0;
        while chars[i] == '#' {
            hashes += 1;
            i += 1;
        }
        i += 1; // the opening quote
        let start = i;
        loop {
            if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                return (chars[start..i].iter().collect(), i + 1 + hashes);
            }
            i += 1;
        }
    }
    i += 1;
    let start = i;
    while chars[i] != '"' {
        if chars[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    (chars[start..i].iter().collect(), i + 1)
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// The `.rs` files [`SOURCE_SCAN`] names, without the catalogue.
fn scanned_sources() -> Vec<PathBuf> {
    let catalogue = root().join("src/report/text");
    let mut files = Vec::new();
    for entry in SOURCE_SCAN {
        let path = root().join(entry);
        if path.is_dir() {
            let mut dir: Vec<PathBuf> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.is_file())
                .collect();
            dir.sort();
            files.extend(dir);
        } else {
            files.push(path);
        }
    }
    files.retain(|f| !f.starts_with(&catalogue));
    files
}

#[test]
fn renderers_hold_no_cyrillic_literal_outside_the_catalogue() {
    let files = scanned_sources();
    assert!(files.len() >= 7, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for literal in literals(&source) {
            if literal.text.chars().any(is_cyrillic) {
                found.push(format!(
                    "{}:{}: \"{}\"",
                    file.strip_prefix(root()).unwrap().display(),
                    literal.line,
                    literal.text
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Cyrillic literals outside src/report/text/ (put them in the catalogue):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_lexer_sees_literals_and_skips_tests_and_comments() {
    let source = r##"
// "комментарий"
fn a<'a>(x: &'a str) -> char { let _ = "код"; let _ = r#"сырой "raw""#; '"' }
/* "блок" */
#[cfg(test)]
mod tests { fn t() { let _ = "тест"; let _ = '{'; } }
fn b() { let _ = "после"; let _ = br"bytes"; }
"##;
    let texts: Vec<String> = literals(source).into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["код", "сырой \"raw\"", "после", "bytes"]);
}
