//! Writing report files: what `check --out` writes, and the nightly report directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{
    LetterKind, NightlyReport, Report, letter, missing_documents_markdown, submission_markdown, summary_html,
    summary_xlsx,
};
use crate::rules::Rules;

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

/// `report.json`, `missing-documents.md` and `submissions/<id>.md`, as `check --out` writes them.
pub fn write_check_files(out: &Path, report: &Report) -> Result<(), ReportError> {
    create_dir(out)?;
    write(
        &out.join("report.json"),
        serde_json::to_string_pretty(report)?.as_bytes(),
    )?;
    write_markdown(out, report)
}

fn write_markdown(out: &Path, report: &Report) -> Result<(), ReportError> {
    let submissions_dir = out.join("submissions");
    create_dir(&submissions_dir)?;
    write(
        &out.join("missing-documents.md"),
        missing_documents_markdown(report).as_bytes(),
    )?;
    for (submission, name) in report.submissions.iter().zip(file_names(report)) {
        let text = submission_markdown(report, submission);
        write(&submissions_dir.join(format!("{name}.md")), text.as_bytes())?;
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
/// `letters` (one report per letter language), as [`letter_file_names`] names them.
pub fn write_nightly_files(
    out: &Path,
    rules: &Rules,
    nightly: &NightlyReport,
    letters: &[Report],
) -> Result<(), ReportError> {
    create_dir(out)?;
    write(
        &out.join("report.json"),
        serde_json::to_string_pretty(nightly)?.as_bytes(),
    )?;
    write_markdown(out, &nightly.report)?;
    write(&out.join("summary.html"), summary_html(rules, nightly).as_bytes())?;
    let xlsx_path = out.join("summary.xlsx");
    let xlsx = summary_xlsx(rules, &nightly.report).map_err(|e| ReportError::Spreadsheet {
        path: xlsx_path.clone(),
        message: e.to_string(),
    })?;
    write(&xlsx_path, &xlsx)?;
    let letters_dir = out.join("letters");
    create_dir(&letters_dir)?;
    for report in letters {
        for (submission, name) in report.submissions.iter().zip(file_names(report)) {
            for kind in LetterKind::ALL {
                let model = letter(report, submission, kind);
                for (_, format, file) in letter_file_names(&name, report.lang)
                    .into_iter()
                    .filter(|(k, _, _)| *k == kind)
                {
                    let path = letters_dir.join(file);
                    let bytes = match format {
                        "docx" => super::letter::docx::render(&model).map_err(|message| ReportError::Letter {
                            path: path.clone(),
                            message,
                        })?,
                        "html" => super::letter::html::render(&model).into_bytes(),
                        _ => super::letter::markdown::render(&model).into_bytes(),
                    };
                    write(&path, &bytes)?;
                }
            }
        }
    }
    Ok(())
}
