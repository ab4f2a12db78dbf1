//! Helpers shared by the integration tests: each `tests/*.rs` file is its own crate and says
//! `mod support;` to use them (a file in a subdirectory of `tests/` is not a test crate of its own).
//! A helper lives here once two or more test files need it; one only a single file needs stays in
//! that file.
//!
//! Every test crate compiles this whole module but uses only some of it, so the items that a given
//! crate leaves unused would each warn there; hence the `dead_code` allowance below.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod browser;

use serde_json::Value;

/// The as-of date the end-to-end runs check against, so their verdicts never depend on today.
pub const AS_OF: &str = "2026-11-22";

/// The repository root: `corpora/`, `tests/fixtures/` and `tests/expected/` are found from here.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built `portalcheck` binary, to be given its arguments, run from the repository root (where
/// cargo runs the tests too), so that a relative path such as `corpora/sample` means the same
/// under any test runner.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portalcheck"));
    command.current_dir(root());
    command
}

/// Runs the built binary with `args` to the end and returns what it did: exit status, stdout and
/// stderr. Panics only when the binary cannot be started at all.
pub fn portalcheck<S: AsRef<OsStr>>(args: &[S]) -> Output {
    command().args(args).output().expect("the binary runs")
}

/// `portalcheck check CORPUS --as-of AS_OF --json EXTRA…`, which must succeed: the report it
/// prints, and the whole output for the tests that also read stderr.
pub fn check_json(corpus: &Path, extra: &[&str]) -> (Value, Output) {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("check"),
        corpus.as_os_str(),
        OsStr::new("--as-of"),
        OsStr::new(AS_OF),
        OsStr::new("--json"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let output = portalcheck(&args);
    assert!(
        output.status.success(),
        "check failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report = serde_json::from_slice(&output.stdout).expect("--json prints JSON");
    (report, output)
}

/// Copies the tree `from` (a corpus, a submission, a folder of fixtures) to `to`, creating `to`
/// and its parents. Links are not followed into directories; what is not a directory is copied as
/// a file. Any entry that cannot be walked or copied fails the test, so a scratch corpus is never
/// silently smaller than the one it was copied from.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` as a report names it: its path from `dir` with `/` between the parts,
/// behind `prefix/` unless `prefix` is empty.
pub fn files_under(dir: &Path, prefix: &str) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            if prefix.is_empty() {
                rel
            } else {
                format!("{prefix}/{rel}")
            }
        })
        .collect()
}

/// Writes `text` to `root/rel`, creating the folders on the way: a corpus file made in a test.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Where `program` is on `PATH`, if anywhere: for tests that need an outside tool such as
/// `pdftotext` and skip without it.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// `nightly` as a cron job runs it, whatever the outcome: its exit status and what it said.
pub fn nightly_output(corpus: &Path, state: &Path, as_of: &str, extra: &[&str]) -> Output {
    command()
        .arg("nightly")
        .arg(corpus)
        .arg("--state")
        .arg(state)
        .args(["--as-of", as_of])
        .args(extra)
        .output()
        .expect("the binary runs")
}

/// `portalcheck nightly CORPUS --state STATE --as-of AS_OF EXTRA…`, which must succeed: that
/// night's report directory, and what the run said on stderr.
pub fn nightly(corpus: &Path, state: &Path, as_of: &str, extra: &[&str]) -> (PathBuf, String) {
    let output = nightly_output(corpus, state, as_of, extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "nightly {extra:?} failed: {stderr}");
    (state.join("reports").join(as_of), stderr)
}

/// A report directory's `report.json`, parsed.
pub fn report_json(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).expect("report.json is JSON")
}

/// Makes `state` a state directory as `nightly` leaves it, from `corpus`, with
/// `check --index STATE/index --out STATE/reports/AS_OF`, which must succeed: what `serve` reads.
pub fn check_into_state(corpus: &Path, state: &Path) {
    let output = command()
        .arg("check")
        .arg(corpus)
        .arg("--index")
        .arg(state.join("index"))
        .arg("--out")
        .arg(state.join("reports").join(AS_OF))
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The text of a DOCX file as a DOCX reader (docx-rs) sees it: each paragraph a line, a tab as a
/// tab, a line break as a space. Panics when the file does not open: that is the test.
pub fn docx_text(path: &Path) -> String {
    use docx_rs::{DocumentChild, ParagraphChild, RunChild};
    let bytes = std::fs::read(path).unwrap();
    let docx = docx_rs::read_docx(&bytes).unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()));
    let mut out = String::new();
    for child in &docx.document.children {
        if let DocumentChild::Paragraph(paragraph) = child {
            for part in &paragraph.children {
                if let ParagraphChild::Run(run) = part {
                    for piece in &run.children {
                        match piece {
                            RunChild::Text(text) => out.push_str(&text.text),
                            RunChild::Tab(_) => out.push('\t'),
                            RunChild::Break(_) => out.push(' '),
                            _ => {}
                        }
                    }
                }
            }
            out.push('\n');
        }
    }
    out
}

/// The text a browser shows: no scripts, styles, tags or attribute values; entities decoded and
/// spaces collapsed.
pub fn visible_text(html: &str) -> String {
    let mut text = html.to_string();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        while let Some(start) = text.find(open) {
            let end = text[start..]
                .find(close)
                .map_or(text.len(), |e| start + e + close.len());
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
