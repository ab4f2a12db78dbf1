//! Writing report files: what `check --out` writes, and the nightly report directory.
//!
//! Every file goes through a [`Writer`], which records its path; at the end the list is saved as
//! the directory's manifest (`.portalcheck-manifest`), and what the previous manifest listed but
//! this run did not write (the Markdown of a submission since withdrawn) is removed. Nothing the
//! manifest does not list is ever removed: an analyst's own notes beside the reports survive, and
//! without a readable manifest nothing is removed at all.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::{
    LetterKind, NightlyReport, Report, letter, missing_documents_markdown, submission_markdown, summary_html,
    summary_xlsx,
};
use crate::rules::Rules;
use crate::state_dir::MANIFEST;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write `{path}`: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot build `{path}`: {message}")]
    Spreadsheet { path: PathBuf, message: String },
    #[error("cannot build the letter `{path}`: {message}")]
    Letter { path: PathBuf, message: String },
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The first line of a manifest; a file without it is not ours to act on.
const MANIFEST_HEADER: &str =
    "# portalcheck manifest 1: files the last run wrote here; the next run removes those it does not write again";

/// Writes the files of one report directory and remembers each, so that [`Writer::finish`] can
/// remove what an earlier run wrote and this one did not. Every report file goes through
/// [`Writer::write`], with its path relative to the directory.
pub struct Writer {
    root: PathBuf,
    written: BTreeSet<String>,
    /// The directory held something before this run wrote into it.
    held_files: bool,
}

/// What [`Writer::finish`] did with the files of earlier runs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleanup {
    /// Files an earlier run wrote that this one did not, now removed (relative paths).
    pub removed: Vec<String>,
    /// Why nothing was removed, when the earlier manifest was absent or could not be trusted
    /// in a directory that already held files. A sentence for the operator.
    pub note: Option<String>,
}

impl Writer {
    /// Creates `root` when absent.
    pub fn new(root: &Path) -> Result<Writer, ReportError> {
        let held_files = std::fs::read_dir(root).is_ok_and(|mut entries| entries.next().is_some());
        create_dir(root)?;
        Ok(Writer {
            root: root.to_path_buf(),
            written: BTreeSet::new(),
            held_files,
        })
    }

    /// Writes `bytes` to `rel` (`/`-separated, under the root), creating its folders.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), ReportError> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            create_dir(parent)?;
        }
        write(&path, bytes)?;
        self.written.insert(rel.to_string());
        Ok(())
    }

    /// Writes `value` to `rel` as pretty JSON, streamed to the file: a report of thousands of
    /// submissions is never held a second time as one string.
    pub fn write_json<T: serde::Serialize>(&mut self, rel: &str, value: &T) -> Result<(), ReportError> {
        use std::io::Write;
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            create_dir(parent)?;
        }
        let write_error = |source| ReportError::Write {
            path: path.clone(),
            source,
        };
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(write_error)?);
        serde_json::to_writer_pretty(&mut out, value).map_err(|e| match e.io_error_kind() {
            Some(_) => write_error(e.into()),
            None => ReportError::Json(e),
        })?;
        out.flush().map_err(write_error)?;
        self.written.insert(rel.to_string());
        Ok(())
    }

    /// Removes what the previous manifest lists and this run did not write, then saves this
    /// run's manifest (through a temporary file, so a killed run leaves the old one whole).
    pub fn finish(self) -> Result<Cleanup, ReportError> {
        let manifest = self.root.join(MANIFEST);
        let mut cleanup = Cleanup::default();
        match std::fs::read(&manifest) {
            Ok(bytes) => match parse_manifest(&bytes) {
                Ok(earlier) => {
                    for rel in earlier.difference(&self.written) {
                        if remove_listed(&self.root, rel) {
                            cleanup.removed.push(rel.clone());
                        }
                    }
                }
                Err(problem) => {
                    cleanup.note = Some(format!(
                        "`{}` {problem}: no file of earlier runs was removed; check the directory by hand (this run wrote a new manifest)",
                        manifest.display()
                    ));
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if self.held_files {
                    cleanup.note = Some(format!(
                        "`{}` has no manifest of an earlier run ({MANIFEST}): no file was removed; remove stale reports there by hand once, later runs clean up after themselves",
                        self.root.display()
                    ));
                }
            }
            Err(e) => {
                cleanup.note = Some(format!(
                    "cannot read `{}` ({e}): no file of earlier runs was removed",
                    manifest.display()
                ));
            }
        }
        let mut text = String::from(MANIFEST_HEADER);
        for rel in &self.written {
            text.push('\n');
            text.push_str(rel);
        }
        text.push('\n');
        let tmp = self.root.join(format!("{MANIFEST}.tmp"));
        write(&tmp, text.as_bytes())?;
        std::fs::rename(&tmp, &manifest).map_err(|source| ReportError::Write { path: manifest, source })?;
        Ok(cleanup)
    }
}

/// The paths a manifest lists, or what is wrong with it. Every line must be a plain relative
/// path (no `..`, no root, no empty part): a manifest that says otherwise was not written by us,
/// and none of it is acted on.
fn parse_manifest(bytes: &[u8]) -> Result<BTreeSet<String>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())?;
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return Err("does not start with portalcheck's manifest header".to_string());
    }
    let mut listed = BTreeSet::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let plain = !line.contains('\\')
            && line.split('/').all(|part| !part.is_empty())
            && Path::new(line).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || line == MANIFEST {
            return Err(format!("line {}: `{line}` is not a path inside the directory", n + 2));
        }
        listed.insert(line.to_string());
    }
    Ok(listed)
}

/// Removes `root/rel` if it is a regular file reached through real directories (never through a
/// link, which could lead out of `root`). Whether it was removed.
fn remove_listed(root: &Path, rel: &str) -> bool {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            return false;
        };
        let last = i + 1 == parts.len();
        if (last && !metadata.is_file()) || (!last && !metadata.is_dir()) {
            return false;
        }
    }
    std::fs::remove_file(&path).is_ok()
}

fn create_dir(path: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(path).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A file name per submission, from its object id (which comes from an untrusted card): only
/// letters, digits, `-`, `_` and `.`; unique even when two cards share an id.
pub fn file_names(report: &Report) -> Vec<String> {
    let mut taken = BTreeSet::new();
    report
        .submissions
        .iter()
        .map(|s| {
            let mut base: String = s
                .object_id
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(100)
                .collect();
            if base.trim_matches('.').is_empty() {
                base = "submission".to_string();
            }
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// `report.json`, `missing-documents.md` and `submissions/<id>.md`, as `check --out` writes them;
/// what an earlier run wrote there and this one did not is removed (see [`Writer`]).
pub fn write_check_files(out: &Path, report: &Report) -> Result<Cleanup, ReportError> {
    let mut writer = Writer::new(out)?;
    writer.write_json("report.json", report)?;
    write_markdown(&mut writer, report)?;
    writer.finish()
}

fn write_markdown(writer: &mut Writer, report: &Report) -> Result<(), ReportError> {
    writer.write("missing-documents.md", missing_documents_markdown(report).as_bytes())?;
    for (submission, name) in report.submissions.iter().zip(file_names(report)) {
        let text = submission_markdown(report, submission);
        writer.write(&format!("submissions/{name}.md"), text.as_bytes())?;
    }
    Ok(())
}

/// The letter files of one submission (`name` from [`file_names`]) in one language, with their
/// kind and format: `<name>.recommendation.<lang>.docx`, `.html`, `.md`, and the same for
/// `request`, under the report directory's `letters/`.
pub fn letter_file_names(name: &str, lang: crate::lang::Lang) -> Vec<(LetterKind, &'static str, String)> {
    LetterKind::ALL
        .into_iter()
        .flat_map(|kind| {
            LETTER_FORMATS.into_iter().map(move |format| {
                (
                    kind,
                    format,
                    format!("{name}.{}.{}.{format}", kind.file_part(), lang.code()),
                )
            })
        })
        .collect()
}

/// The formats each letter is written in: DOCX to edit in Word, HTML to print, Markdown to read.
const LETTER_FORMATS: [&str; 3] = ["docx", "html", "md"];

/// The nightly report directory: `report.json` (with the diff), `summary.html`, `summary.xlsx`,
/// the Markdown of `check --out`, and the two letters of each submission in each language of
/// `letters` (one report per letter language), as [`letter_file_names`] names them. A re-run of the
/// same night removes what the earlier run wrote and this one did not (see [`Writer`]).
pub fn write_nightly_files(
    out: &Path,
    rules: &Rules,
    nightly: &NightlyReport,
    letters: &[Report],
) -> Result<Cleanup, ReportError> {
    let mut writer = Writer::new(out)?;
    writer.write_json("report.json", nightly)?;
    write_markdown(&mut writer, &nightly.report)?;
    writer.write("summary.html", summary_html(rules, nightly).as_bytes())?;
    let xlsx = summary_xlsx(rules, &nightly.report).map_err(|e| ReportError::Spreadsheet {
        path: out.join("summary.xlsx"),
        message: e.to_string(),
    })?;
    writer.write("summary.xlsx", &xlsx)?;
    for report in letters {
        for (submission, name) in report.submissions.iter().zip(file_names(report)) {
            for kind in LetterKind::ALL {
                let model = letter(report, submission, kind);
                for (_, format, file) in letter_file_names(&name, report.lang)
                    .into_iter()
                    .filter(|(k, _, _)| *k == kind)
                {
                    let rel = format!("letters/{file}");
                    let bytes = match format {
                        "docx" => super::letter::docx::render(&model).map_err(|message| ReportError::Letter {
                            path: out.join(&rel),
                            message,
                        })?,
                        "html" => super::letter::html::render(&model).into_bytes(),
                        _ => super::letter::markdown::render(&model).into_bytes(),
                    };
                    writer.write(&rel, &bytes)?;
                }
            }
        }
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, files: &[&str]) -> Cleanup {
        let mut writer = Writer::new(dir).unwrap();
        for rel in files {
            writer.write(rel, rel.as_bytes()).unwrap();
        }
        writer.finish().unwrap()
    }

    #[test]
    fn a_run_removes_only_what_the_previous_run_wrote() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("out");
        assert_eq!(
            run(&dir, &["report.json", "submissions/A.md", "submissions/B.md"]),
            Cleanup::default()
        );
        std::fs::write(dir.join("submissions/notes.txt"), "the analyst's").unwrap();
        let cleanup = run(&dir, &["report.json", "submissions/A.md"]);
        assert_eq!(cleanup.removed, ["submissions/B.md"]);
        assert_eq!(cleanup.note, None);
        assert!(!dir.join("submissions/B.md").exists());
        assert!(dir.join("submissions/A.md").exists());
        assert!(
            dir.join("submissions/notes.txt").exists(),
            "a file no run wrote survives"
        );
    }

    #[test]
    fn without_a_trustworthy_manifest_nothing_is_removed_and_the_note_says_so() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("out");
        run(&dir, &["report.json", "submissions/B.md"]);
        for (manifest, says) in [
            (None, "no manifest"),
            (Some("not our header\nsubmissions/B.md\n"), "header"),
            (
                Some(&format!("{MANIFEST_HEADER}\n../outside.txt\n")[..]),
                "not a path inside",
            ),
            (
                Some(&format!("{MANIFEST_HEADER}\n/etc/passwd\n")[..]),
                "not a path inside",
            ),
        ] {
            match manifest {
                None => std::fs::remove_file(dir.join(MANIFEST)).unwrap(),
                Some(text) => std::fs::write(dir.join(MANIFEST), text).unwrap(),
            }
            let cleanup = run(&dir, &["report.json"]);
            assert!(cleanup.removed.is_empty(), "{says}");
            assert!(cleanup.note.as_deref().is_some_and(|n| n.contains(says)), "{cleanup:?}");
            assert!(dir.join("submissions/B.md").exists(), "{says}");
            // Put B back into the manifest for the next case.
            run(&dir, &["report.json", "submissions/B.md"]);
        }
    }

    #[test]
    fn a_listed_path_through_a_link_is_not_followed() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("out");
        let elsewhere = temp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("B.md"), "not ours").unwrap();
        run(&dir, &["submissions/B.md"]);
        std::fs::remove_dir_all(dir.join("submissions")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("submissions")).unwrap();
        let cleanup = run(&dir, &[]);
        assert!(cleanup.removed.is_empty());
        assert!(elsewhere.join("B.md").exists());
    }
}
