//! The `portalcheck` binary: parse arguments, call the library, map errors to exit codes.
//!
//! Exit codes: 0 the run completed (findings are data, not errors); 1 the run completed and
//! `--fail-on` found what it was asked to fail on; 2 the run could not complete (bad arguments,
//! unreadable corpus root, unusable index or rules).

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, Common, FailOn, IsolationMode};
use portalcheck::corpus::discover;
use portalcheck::date::Date;
use portalcheck::evaluate::Verdict;
use portalcheck::extract::{Extracted, Isolation, Limits, MEMBER_SEPARATOR, extract_file, isolate};
use portalcheck::index::{DocIndex, SearchOptions, more_like_this, search};
use portalcheck::nightly::{self, NightlyOptions};
use portalcheck::pipeline::{PageCounts, check, ingest};
use portalcheck::progress::{Progress, seconds};
use portalcheck::report::{Report, table, write_check_files};
use portalcheck::rules::Rules;
use portalcheck::serve::{ServeConfig, Server};

const EXIT_FINDINGS: u8 = 1;
const EXIT_RUN_FAILED: u8 = 2;

/// How a completed run ended.
enum Outcome {
    Done,
    /// `--fail-on` matched: the reports are written, the caller wants to know.
    Findings,
}

/// One file (or archive member) as `portalcheck extract` shows it: status, then every page.
fn write_extracted(stdout: &mut impl Write, name: &str, extracted: &Extracted) -> Result<()> {
    writeln!(
        stdout,
        "{name}: {:?}, {}{}",
        extracted.format,
        extracted.status.as_str(),
        extracted
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    )?;
    for view in extracted.page_views() {
        let label = match view.name {
            Some(name) => format!("sheet {} «{name}»", view.page),
            None => format!("page {}", view.page),
        };
        let method = serde_json::to_value(view.method)?;
        writeln!(
            stdout,
            "\n── {label} · {} · quality {:.2} ──\n{}",
            method.as_str().unwrap_or_default(),
            view.quality.score,
            view.text
        )?;
    }
    Ok(())
}

/// How many of the files counted were inside archives, for the summary line.
fn members_note(archive_members: usize) -> String {
    if archive_members == 0 {
        String::new()
    } else {
        format!(" (of them {archive_members} inside archives)")
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(EXIT_FINDINGS),
        Err(error) => {
            eprintln!("portalcheck: {error:#}");
            ExitCode::from(EXIT_RUN_FAILED)
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Ingest { corpus, index, common } => {
            let rules = load_rules(&common)?;
            let corpus = discover(&corpus).context("cannot read the corpus")?;
            let index = DocIndex::open_or_create(&index).context("cannot open the index")?;
            let summary = ingest(&corpus, &index, &rules, &limits(&common)?).context("ingest failed")?;
            eprintln!(
                "indexed {} files{}: {} read, {} unchanged, {} removed{}; {}",
                summary.files,
                match summary.archive_members {
                    0 => String::new(),
                    members => format!(" and {members} inside archives"),
                },
                summary.extracted.len(),
                summary.unchanged,
                summary.removed,
                if summary.rebuilt { " (index rebuilt)" } else { "" },
                pages_read(&summary.pages)
            );
            Ok(Outcome::Done)
        }
        Command::Check {
            corpus,
            index,
            as_of,
            out,
            json,
            lang,
            fail_on,
            common,
        } => {
            let rules = load_rules(&common)?;
            let corpus = discover(&corpus).context("cannot read the corpus")?;
            let index = match &index {
                Some(dir) => DocIndex::open_or_create(dir).context("cannot open the index")?,
                None => DocIndex::in_memory().context("cannot create an in-memory index")?,
            };
            let ingested = ingest(&corpus, &index, &rules, &limits(&common)?).context("ingest failed")?;
            let as_of = as_of.unwrap_or_else(Date::today_utc);
            let checked = check(&corpus, &index, &rules, as_of).context("check failed")?;
            let report = Report::build(&rules, &checked, as_of, lang.into());
            if let Some(out) = &out {
                write_check_files(out, &report).context("cannot write the reports")?;
            }
            let mut stdout = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut stdout, &report)?;
                writeln!(stdout)?;
            } else {
                write!(stdout, "{}", table(&report))?;
            }
            eprintln!(
                "checked {} submissions, {} files{} ({} read); {}",
                report.totals.submissions,
                report.totals.files,
                members_note(report.totals.archive_members),
                ingested.extracted.len(),
                pages_read(&ingested.pages)
            );
            let failing = |verdict: Verdict| match fail_on {
                Some(FailOn::Missing) => verdict == Verdict::DoesNotComply,
                Some(FailOn::NeedsReview) => verdict != Verdict::Complies,
                None => false,
            };
            Ok(if report.submissions.iter().any(|s| failing(s.verdict)) {
                Outcome::Findings
            } else {
                Outcome::Done
            })
        }
        Command::ExtractWorker { settings, path } => {
            isolate::serve(&settings, &path)?;
            Ok(Outcome::Done)
        }
        Command::Nightly {
            corpus,
            state,
            as_of,
            out,
            lang,
            common,
        } => {
            let started = Instant::now();
            let rules = load_rules(&common)?;
            let progress = Progress::new(std::io::stderr().is_terminal());
            let options = NightlyOptions {
                corpus: &corpus,
                state: &state,
                out: out.as_deref(),
                as_of: as_of.unwrap_or_else(Date::today_utc),
                lang: lang.into(),
                limits: limits(&common)?,
            };
            let outcome = nightly::run(&rules, &options, &progress);
            progress.finish();
            let outcome = outcome.context("nightly run failed")?;
            let report = &outcome.report;
            let verdicts = report
                .report
                .totals
                .verdicts
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let diff = &report.diff.totals;
            let changes = match report.diff.previous {
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
            eprintln!(
                "portalcheck nightly {}: {} submissions ({verdicts}); {} files ({} read, {} unchanged, {} removed); {}; {changes}; {} expiry and {} deadline notices; reports in {}; {}",
                options.as_of,
                report.report.totals.submissions,
                report.report.totals.files,
                outcome.ingest.extracted.len(),
                outcome.ingest.unchanged + outcome.ingest.touched.len(),
                outcome.ingest.removed,
                pages_read(&outcome.ingest.pages),
                report.expiry.len(),
                report.deadlines.len(),
                outcome.report_dir.display(),
                seconds(started.elapsed().as_secs_f64())
            );
            Ok(Outcome::Done)
        }
        Command::Search {
            index,
            query,
            limit,
            doc_type,
            object,
            body,
            like,
            json,
        } => {
            let index = open_existing_index(&index)?;
            let mut stdout = std::io::stdout().lock();
            if let Some(file) = like {
                let similar = more_like_this(&index, &file, limit)?;
                if json {
                    serde_json::to_writer_pretty(&mut stdout, &similar)?;
                    writeln!(stdout)?;
                    return Ok(Outcome::Done);
                }
                for s in &similar {
                    writeln!(
                        stdout,
                        "{}  {}  p. {}  [{}]  {:.2}",
                        s.object_id, s.file, s.page, s.doc_type, s.score
                    )?;
                }
                if similar.is_empty() {
                    eprintln!("no similar documents in other submissions");
                }
                return Ok(Outcome::Done);
            }
            let query = query.unwrap_or_default();
            let results = search(
                &index,
                &query,
                &SearchOptions {
                    limit,
                    doc_type,
                    object_id: object,
                    state_body: body,
                },
            )?;
            if json {
                serde_json::to_writer_pretty(&mut stdout, &results)?;
                writeln!(stdout)?;
                return Ok(Outcome::Done);
            }
            let (open, close) = if stdout.is_terminal() {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("[", "]")
            };
            for hit in &results.hits {
                let place = match &hit.sheet {
                    Some(sheet) => format!("sheet {} «{sheet}»", hit.page),
                    None => format!("p. {}", hit.page),
                };
                writeln!(
                    stdout,
                    "{}  {}  {place}  [{}]  {:.2}",
                    hit.object_id, hit.file, hit.doc_type, hit.score
                )?;
                writeln!(stdout, "    {}", hit.marked_snippet(open, close))?;
            }
            if results.hits.is_empty() {
                eprintln!("no matches");
                return Ok(Outcome::Done);
            }
            let facets = &results.facets;
            writeln!(stdout, "\n{} pages in {} files", results.pages, facets.files)?;
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
                writeln!(stdout, "{name}: {}", shown.join(", "))?;
            }
            Ok(Outcome::Done)
        }
        Command::Extract {
            file,
            json,
            no_ocr,
            max_file_mib,
        } => {
            let limits = Limits {
                max_file_bytes: max_file_mib.saturating_mul(1024 * 1024),
                ..if no_ocr {
                    Limits::without_ocr()
                } else {
                    Limits::default()
                }
            };
            let extracted = extract_file(&file, &limits);
            let mut stdout = std::io::stdout().lock();
            if json {
                let members: Vec<serde_json::Value> = extracted
                    .members
                    .iter()
                    .map(|member| {
                        serde_json::json!({
                            "file": format!("{}{MEMBER_SEPARATOR}{}", file.display(), member.path),
                            "format": member.extracted.format,
                            "status": member.extracted.status,
                            "reason": member.extracted.reason,
                            "pages": member.extracted.page_views(),
                        })
                    })
                    .collect();
                let mut view = serde_json::json!({
                    "file": file.display().to_string(),
                    "format": extracted.format,
                    "status": extracted.status,
                    "reason": extracted.reason,
                    "pages": extracted.page_views(),
                });
                if !members.is_empty() {
                    view["members"] = serde_json::Value::Array(members);
                }
                serde_json::to_writer_pretty(&mut stdout, &view)?;
                writeln!(stdout)?;
                return Ok(Outcome::Done);
            }
            write_extracted(&mut stdout, &file.display().to_string(), &extracted)?;
            for member in &extracted.members {
                writeln!(stdout)?;
                let name = format!("{}{MEMBER_SEPARATOR}{}", file.display(), member.path);
                write_extracted(&mut stdout, &name, &member.extracted)?;
            }
            Ok(Outcome::Done)
        }
        Command::Serve {
            state,
            addr,
            token,
            corpus,
        } => {
            let config = ServeConfig {
                state,
                addr,
                token,
                corpus,
            };
            let server = Server::bind(config).context("cannot start the server")?;
            eprintln!("serving on http://{}/", server.local_addr());
            server.run();
            Ok(Outcome::Done)
        }
    }
}

fn open_existing_index(index: &Path) -> Result<DocIndex> {
    if !index.join("meta.json").exists() {
        anyhow::bail!(
            "no index at `{}` (build one with `portalcheck ingest CORPUS --index {}`)",
            index.display(),
            index.display()
        );
    }
    DocIndex::open_existing(index).context("cannot open the index")
}

fn load_rules(common: &Common) -> Result<Rules> {
    match &common.rules {
        Some(dir) => Rules::from_dir(dir).with_context(|| format!("cannot load rules from `{}`", dir.display())),
        None => Rules::embedded().context("the shipped rules are invalid"),
    }
}

fn limits(common: &Common) -> Result<Limits> {
    let isolation = match common.isolation {
        IsolationMode::Worker => Isolation::current_exe().context("cannot find this executable to run workers")?,
        IsolationMode::InProcess => Isolation::InProcess,
    };
    Ok(Limits {
        max_file_bytes: common.max_file_mib.saturating_mul(1024 * 1024),
        max_seconds: common.max_seconds,
        max_memory_mib: common.max_memory_mib,
        isolation,
        ..if common.no_ocr {
            Limits::without_ocr()
        } else {
            Limits::default()
        }
    })
}

/// "312 pages read, 3 by Poppler (pdftotext), 5 by OCR": the pages of the files read in this
/// run, and how many needed an outside tool (Poppler's share is how often our walker falls short).
fn pages_read(counts: &PageCounts) -> String {
    format!(
        "{} pages read, {} by Poppler (pdftotext), {} by OCR",
        counts.pages, counts.poppler, counts.ocr
    )
}
