//! The `portalcheck` binary: parse arguments, run one command through the library, print what
//! the library rendered, and map errors to exit codes. One function per command; none decides
//! anything about documents or law, and none formats a report.
//!
//! Exit codes: 0 the run completed (findings are data, not errors); 1 the run completed and
//! `--fail-on` found what it was asked to fail on; 2 the run could not complete (bad arguments,
//! unreadable corpus root, unusable index or rules).

mod cli;
mod progress;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{
    CheckArgs, Cli, Command, Common, ExtractArgs, FailOn, IngestArgs, IsolationMode, NightlyArgs, SearchArgs, ServeArgs,
};
use portalcheck::corpus::discover;
use portalcheck::date::Date;
use portalcheck::evaluate::Verdict;
use portalcheck::extract::{Isolation, Limits, extract_file, isolate};
use portalcheck::index::{DocIndex, SearchOptions, more_like_this, search};
use portalcheck::nightly::{self, NightlyOptions};
use portalcheck::pipeline::{ingest, ingest_and_check};
use portalcheck::report::terminal::{self, ExtractedJson, Marks};
use portalcheck::report::{Report, table, write_check_files};
use portalcheck::rules::Rules;
use portalcheck::serve::{ServeConfig, Server};
use progress::{Progress, seconds};

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
        Command::Ingest(args) => run_ingest(args),
        Command::Check(args) => run_check(args),
        Command::Nightly(args) => run_nightly(args),
        Command::Search(args) => run_search(args),
        Command::Extract(args) => run_extract(args),
        Command::Serve(args) => run_serve(args),
        Command::ExtractWorker(args) => {
            isolate::serve(&args.settings, &args.path)?;
            Ok(Outcome::Done)
        }
    }
}

fn run_ingest(args: IngestArgs) -> Result<Outcome> {
    let rules = load_rules(&args.common)?;
    let corpus = discover(&args.corpus).context("cannot read the corpus")?;
    let index = DocIndex::open_or_create(&args.index).context("cannot open the index")?;
    let summary = ingest(&corpus, &index, &rules, &limits(&args.common)?).context("ingest failed")?;
    eprintln!("{}", terminal::ingest_line(&summary));
    Ok(Outcome::Done)
}

fn run_check(args: CheckArgs) -> Result<Outcome> {
    let rules = load_rules(&args.common)?;
    let corpus = discover(&args.corpus).context("cannot read the corpus")?;
    let index = match &args.index {
        Some(dir) => DocIndex::open_or_create(dir).context("cannot open the index")?,
        None => DocIndex::in_memory().context("cannot create an in-memory index")?,
    };
    let as_of = args.as_of.unwrap_or_else(Date::today_utc);
    let run = ingest_and_check(&corpus, &index, &rules, &limits(&args.common)?, as_of, &()).context("check failed")?;
    let report = Report::build(&rules, &run.checked, as_of, args.lang.into());
    if let Some(out) = &args.out {
        write_check_files(out, &report).context("cannot write the reports")?;
    }
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{}", table(&report))?;
    }
    eprintln!("{}", terminal::check_line(&report, &run.ingest));
    let failing = |verdict: Verdict| match args.fail_on {
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

fn run_nightly(args: NightlyArgs) -> Result<Outcome> {
    let started = Instant::now();
    let rules = load_rules(&args.common)?;
    let progress = Progress::new(std::io::stderr().is_terminal());
    let options = NightlyOptions {
        corpus: &args.corpus,
        state: &args.state,
        out: args.out.as_deref(),
        as_of: args.as_of.unwrap_or_else(Date::today_utc),
        lang: args.lang.into(),
        limits: limits(&args.common)?,
    };
    let outcome = nightly::run(&rules, &options, &progress);
    progress.finish();
    let outcome = outcome.context("nightly run failed")?;
    let elapsed = seconds(started.elapsed().as_secs_f64());
    eprintln!(
        "{}",
        terminal::nightly_line(&outcome.report, &outcome.ingest, &outcome.report_dir, &elapsed)
    );
    Ok(Outcome::Done)
}

fn run_search(args: SearchArgs) -> Result<Outcome> {
    let index = open_existing_index(&args.index)?;
    let mut stdout = std::io::stdout().lock();
    if let Some(file) = &args.like {
        let similar = more_like_this(&index, file, args.limit)?;
        if args.json {
            serde_json::to_writer_pretty(&mut stdout, &similar)?;
            writeln!(stdout)?;
        } else if similar.is_empty() {
            eprintln!("no similar documents in other submissions");
        } else {
            write!(stdout, "{}", terminal::similar(&similar))?;
        }
        return Ok(Outcome::Done);
    }
    let options = SearchOptions {
        limit: args.limit,
        doc_type: args.doc_type,
        object_id: args.object,
        state_body: args.body,
    };
    let results = search(&index, args.query.as_deref().unwrap_or_default(), &options)?;
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &results)?;
        writeln!(stdout)?;
    } else if results.hits.is_empty() {
        eprintln!("no matches");
    } else {
        let marks = Marks::for_terminal(stdout.is_terminal());
        write!(stdout, "{}", terminal::search_results(&results, marks))?;
    }
    Ok(Outcome::Done)
}

fn run_extract(args: ExtractArgs) -> Result<Outcome> {
    let limits = Limits {
        max_file_bytes: args.max_file_mib.saturating_mul(1024 * 1024),
        ..if args.no_ocr {
            Limits::without_ocr()
        } else {
            Limits::default()
        }
    };
    let extracted = extract_file(&args.file, &limits);
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &ExtractedJson::new(&args.file, &extracted))?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{}", terminal::extracted(&args.file, &extracted))?;
    }
    Ok(Outcome::Done)
}

fn run_serve(args: ServeArgs) -> Result<Outcome> {
    let config = ServeConfig {
        state: args.state,
        addr: args.addr,
        token: args.token,
        corpus: args.corpus,
    };
    let server = Server::bind(config).context("cannot start the server")?;
    eprintln!("serving on http://{}/", server.local_addr());
    server.run();
    Ok(Outcome::Done)
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
