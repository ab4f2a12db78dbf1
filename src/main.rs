//! The `portalcheck` binary: parse arguments, call the library, map errors to exit codes.
//!
//! Exit codes: 0 the run completed (findings are data, not errors); 1 the run completed and
//! `--fail-on` found what it was asked to fail on; 2 the run could not complete (bad arguments,
//! unreadable corpus root, unusable index or rules).

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, Common, FailOn, IsolationMode};
use portalcheck::corpus::discover;
use portalcheck::date::Date;
use portalcheck::evaluate::Verdict;
use portalcheck::extract::{Isolation, Limits, isolate};
use portalcheck::index::{DocIndex, SearchOptions, search};
use portalcheck::pipeline::{check, ingest};
use portalcheck::report::{Report, missing_documents_markdown, submission_markdown, table};
use portalcheck::rules::Rules;

const EXIT_FINDINGS: u8 = 1;
const EXIT_RUN_FAILED: u8 = 2;

/// How a completed run ended.
enum Outcome {
    Done,
    /// `--fail-on` matched: the reports are written, the caller wants to know.
    Findings,
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
                "indexed {} files: {} read, {} unchanged, {} removed{}",
                summary.files,
                summary.extracted.len(),
                summary.unchanged,
                summary.removed,
                if summary.rebuilt { " (index rebuilt)" } else { "" }
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
            ingest(&corpus, &index, &rules, &limits(&common)?).context("ingest failed")?;
            let as_of = as_of.unwrap_or_else(Date::today_utc);
            let checked = check(&corpus, &index, &rules, as_of).context("check failed")?;
            let report = Report::build(&rules, &checked, as_of, lang);
            if let Some(out) = &out {
                write_reports(out, &report)?;
            }
            let mut stdout = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut stdout, &report)?;
                writeln!(stdout)?;
            } else {
                write!(stdout, "{}", table(&report))?;
            }
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
        Command::Search {
            index,
            query,
            limit,
            doc_type,
            object,
            json,
        } => {
            if !index.join("meta.json").exists() {
                anyhow::bail!(
                    "no index at `{}` (build one with `portalcheck ingest CORPUS --index {}`)",
                    index.display(),
                    index.display()
                );
            }
            let index = DocIndex::open_or_create(&index).context("cannot open the index")?;
            let hits = search(
                &index,
                &query,
                &SearchOptions {
                    limit,
                    doc_type,
                    object_id: object,
                },
            )?;
            let mut stdout = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut stdout, &hits)?;
                writeln!(stdout)?;
                return Ok(Outcome::Done);
            }
            let (open, close) = if stdout.is_terminal() {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("[", "]")
            };
            for hit in &hits {
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
            if hits.is_empty() {
                eprintln!("no matches");
            }
            Ok(Outcome::Done)
        }
    }
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
        ..Limits::default()
    })
}

fn write_reports(out: &Path, report: &Report) -> Result<()> {
    let submissions_dir = out.join("submissions");
    std::fs::create_dir_all(&submissions_dir)
        .with_context(|| format!("cannot create `{}`", submissions_dir.display()))?;
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
    };
    write(&out.join("report.json"), &serde_json::to_string_pretty(report)?)?;
    write(&out.join("missing-documents.md"), &missing_documents_markdown(report))?;
    for submission in &report.submissions {
        let name: String = submission
            .object_id
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        write(
            &submissions_dir.join(format!("{name}.md")),
            &submission_markdown(report, submission),
        )?;
    }
    Ok(())
}
