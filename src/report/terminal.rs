//! What the commands print besides the reports: search hits and facets, one file as extraction
//! read it, and the summary line each run ends with on stderr.
//!
//! Beside [`super::table`] (the verdict table) so the binary only chooses what to print where.
//! The summary lines are an operator's log, in English like every diagnostic; what officials read
//! is in the reports.

use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use super::{NightlyReport, Report};
use crate::extract::{Extracted, MEMBER_SEPARATOR, PageView};
use crate::index::{Facets, SearchResults, Similar};
use crate::pipeline::{IngestSummary, PageCounts};

/// How matched words are marked in a snippet: bold on a terminal, brackets in a pipe.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub open: &'static str,
    pub close: &'static str,
}

impl Marks {
    pub fn for_terminal(terminal: bool) -> Marks {
        if terminal {
            Marks {
                open: "\x1b[1m",
                close: "\x1b[0m",
            }
        } else {
            Marks { open: "[", close: "]" }
        }
    }
}

/// Ranked pages, each with its snippet, then the facets; empty when nothing matched.
pub fn search_results(results: &SearchResults, marks: Marks) -> String {
    let mut out = String::new();
    if let Some(partial) = &results.partial {
        out.push_str("No page has every word of the query; the pages with the most of them come first.\n");
        if !partial.found_nowhere.is_empty() {
            let words: Vec<String> = partial.found_nowhere.iter().map(|w| format!("«{w}»")).collect();
            let _ = writeln!(out, "Found on no page: {}.", words.join(", "));
        }
        out.push('\n');
    }
    for hit in &results.hits {
        let place = match &hit.sheet {
            Some(sheet) => format!("sheet {} «{sheet}»", hit.page),
            None => format!("p. {}", hit.page),
        };
        let _ = writeln!(
            out,
            "{}  {}  {place}  [{}]  {:.2}",
            hit.object_id, hit.file, hit.doc_type, hit.score
        );
        let _ = writeln!(out, "    {}", hit.marked_snippet(marks.open, marks.close));
    }
    if !results.hits.is_empty() {
        let _ = writeln!(out, "\n{} pages in {} files", results.pages, results.facets.files);
        out.push_str(&facets(&results.facets));
    }
    out
}

fn facets(facets: &Facets) -> String {
    let mut out = String::new();
    for (name, counts) in [
        ("type", &facets.doc_type),
        ("state body", &facets.state_body),
        ("object", &facets.object_id),
    ] {
        let shown: Vec<String> = counts
            .iter()
            .map(|c| {
                let value = if c.value.is_empty() { "(none)" } else { c.value.as_str() };
                format!("{value} {}", c.files)
            })
            .collect();
        let _ = writeln!(out, "{name}: {}", shown.join(", "));
    }
    out
}

/// Documents of other submissions like a given one, best first.
pub fn similar(similar: &[Similar]) -> String {
    let mut out = String::new();
    for s in similar {
        let _ = writeln!(
            out,
            "{}  {}  p. {}  [{}]  {:.2}",
            s.object_id, s.file, s.page, s.doc_type, s.score
        );
    }
    out
}

/// One file (and each archive member) as `portalcheck extract` shows it: status, then every page.
pub fn extracted(file: &Path, extracted: &Extracted) -> String {
    let mut out = extracted_one(&file.display().to_string(), extracted);
    for member in &extracted.members {
        let name = format!("{}{MEMBER_SEPARATOR}{}", file.display(), member.path);
        out.push('\n');
        out.push_str(&extracted_one(&name, &member.extracted));
    }
    out
}

fn extracted_one(name: &str, extracted: &Extracted) -> String {
    let reason = extracted
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let mut out = format!(
        "{name}: {:?}, {}{reason}\n",
        extracted.format,
        extracted.status.as_str()
    );
    for view in extracted.page_views() {
        let label = match view.name {
            Some(name) => format!("sheet {} «{name}»", view.page),
            None => format!("page {}", view.page),
        };
        let method = serde_json::to_value(view.method).ok();
        let method = method.as_ref().and_then(|m| m.as_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n── {label} · {method} · quality {:.2} ──\n{}",
            view.quality.score, view.text
        );
        if !view.doubtful_words.is_empty() {
            let _ = writeln!(out, "(OCR was not sure of: {})", view.doubtful_words.join(" "));
        }
    }
    out
}

/// `portalcheck extract --json`: the file, its members, and every page with how it was read.
#[derive(Serialize)]
pub struct ExtractedJson<'a> {
    file: String,
    format: crate::extract::Format,
    status: crate::extract::FileStatus,
    reason: Option<&'a str>,
    pages: Vec<PageView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<ExtractedJson<'a>>,
}

impl<'a> ExtractedJson<'a> {
    pub fn new(file: &Path, extracted: &'a Extracted) -> ExtractedJson<'a> {
        let name = file.display().to_string();
        let members = extracted
            .members
            .iter()
            .map(|member| {
                let member_name = format!("{name}{MEMBER_SEPARATOR}{}", member.path);
                ExtractedJson::one(member_name, &member.extracted, Vec::new())
            })
            .collect();
        ExtractedJson::one(name, extracted, members)
    }

    fn one(file: String, extracted: &'a Extracted, members: Vec<ExtractedJson<'a>>) -> ExtractedJson<'a> {
        ExtractedJson {
            file,
            format: extracted.format,
            status: extracted.status,
            reason: extracted.reason.as_deref(),
            pages: extracted.page_views(),
            members,
        }
    }
}

/// "312 pages read, 3 by Poppler (pdftotext), 5 by OCR": the pages of the files read in this
/// run, and how many needed an outside tool (Poppler's share is how often our walker falls short).
pub fn pages_read(counts: &PageCounts) -> String {
    format!(
        "{} pages read, {} by Poppler (pdftotext), {} by OCR",
        counts.pages, counts.poppler, counts.ocr
    )
}

/// The line `ingest` ends with.
pub fn ingest_line(summary: &IngestSummary) -> String {
    let members = match summary.archive_members {
        0 => String::new(),
        members => format!(" and {members} inside archives"),
    };
    format!(
        "indexed {} files{members}: {} read, {} unchanged, {} removed{}; {}",
        summary.files,
        summary.extracted.len(),
        summary.unchanged,
        summary.removed,
        if summary.rebuilt { " (index rebuilt)" } else { "" },
        pages_read(&summary.pages)
    )
}

/// The line `check` ends with.
pub fn check_line(report: &Report, ingest: &IngestSummary) -> String {
    let members = match report.totals.archive_members {
        0 => String::new(),
        members => format!(" (of them {members} inside archives)"),
    };
    format!(
        "checked {} submissions, {} files{members} ({} read); {}",
        report.totals.submissions,
        report.totals.files,
        ingest.extracted.len(),
        pages_read(&ingest.pages)
    )
}

/// The line `nightly` ends with: verdicts, files, changes since the previous run, notices, and
/// where the reports are.
pub fn nightly_line(nightly: &NightlyReport, ingest: &IngestSummary, report_dir: &Path, elapsed: &str) -> String {
    let report = &nightly.report;
    let verdicts = report
        .totals
        .verdicts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let diff = &nightly.diff.totals;
    let changes = match nightly.diff.previous {
        Some(previous) => format!(
            "since {previous}: {} new, {} removed, {} verdict changes, {} newly missing, {} newly present",
            diff.new_submissions,
            diff.removed_submissions,
            diff.verdict_changes,
            diff.newly_missing,
            diff.newly_present
        ),
        None => "first run".to_string(),
    };
    format!(
        "portalcheck nightly {}: {} submissions ({verdicts}); {} files ({} read, {} unchanged, {} removed); {}; {changes}; {} expiry and {} deadline notices; reports in {}; {elapsed}",
        report.as_of,
        report.totals.submissions,
        report.totals.files,
        ingest.extracted.len(),
        ingest.unchanged + ingest.touched.len(),
        ingest.removed,
        pages_read(&ingest.pages),
        nightly.expiry.len(),
        nightly.deadlines.len(),
        report_dir.display(),
    )
}
