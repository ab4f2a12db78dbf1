//! The `portalcheck` binary: parse arguments, run one command through the library, print what
//! the library rendered, and map errors to exit codes. One function per command; none decides
//! anything about documents or law, and none formats a report.
//!
//! Exit codes: 0 the run completed (findings are data, not errors); 1 the run completed and
//! `--fail-on` found what it was asked to fail on; 2 the run could not complete (bad arguments,
//! unreadable corpus root, unusable index or rules, a file `extract` cannot open, a run that
//! would empty the index). An error is printed once, as one line, with what to do on the next; a
//! reader that closed the pipe (`search … | head -1`) ends the run quietly with 0.

mod cli;
mod progress;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{
    AnsweredArgs, CheckArgs, Cli, Command, Common, ExtractArgs, FailOn, IngestArgs, IsolationMode, NightlyArgs,
    SearchArgs, ServeArgs,
};
use portalcheck::corpus::{Corpus, DiscoveryError, discover, discover_excluding};
use portalcheck::date::Date;
use portalcheck::evaluate::Verdict;
use portalcheck::extract::{Isolation, Limits, extract_file, isolate};
use portalcheck::history::HistoryError;
use portalcheck::index::{DocIndex, IndexError, SearchOptions, more_like_this, search};
use portalcheck::lang::Lang;
use portalcheck::nightly::answered::{self, Recorded, edit_distance};
use portalcheck::nightly::{self, NightlyError, NightlyOptions};
use portalcheck::pipeline::{PipelineError, guard_shrink, ingest, ingest_and_check};
use portalcheck::report::terminal::{self, ExtractedJson, Marks};
use portalcheck::report::{Cleanup, Report, ReportError, doc_type_name, table, write_check_files};
use portalcheck::rules::{OBJECT_CARD, OTHER, Rules, RulesError, SIGNATURE};
use portalcheck::serve::{ServeConfig, Server};
use portalcheck::state_dir::StateDir;
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
    bound_malloc_arenas();
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(EXIT_FINDINGS),
        // The reader has all it wanted (`| head`): not a failure, and nothing to say.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "portalcheck: {}", message(&error));
            if let Some(advice) = advice(&error) {
                let _ = writeln!(stderr, "portalcheck: what to do: {advice}");
            }
            ExitCode::from(EXIT_RUN_FAILED)
        }
    }
}

/// One malloc arena per core instead of glibc's eight per core. With rayon's, Tantivy's indexing
/// and its merge threads all allocating, glibc's default kept giving threads new arenas, each
/// holding freed memory the others could not reuse: a `check` of 5 000 files grew from 205 to
/// 281 MB of heap; with one arena per core it stays at 213-227 MB, at the same speed. Set before
/// any thread starts, as glibc requires.
fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: `mallopt` only sets a tunable; no thread has started yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// The error and its causes on one line, each said once: a library error often includes its
/// source in its own message, which anyhow's chain would print a second time.
fn message(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

const CORPUS_ADVICE: &str = "check the corpus path, and that the network share holding it is mounted";
const WRITE_ADVICE: &str = "check that the directory named above is writable and that the disk has space";
const STATE_INDEX_ADVICE: &str = "the state's index is damaged: remove <state>/index and run again (every file is read anew; the history and reports stay)";

/// What the operator can do about an error whose message does not already say it.
fn advice(error: &anyhow::Error) -> Option<&'static str> {
    error.chain().find_map(|cause| {
        if cause.downcast_ref::<DiscoveryError>().is_some() {
            Some(CORPUS_ADVICE)
        } else if let Some(e) = cause.downcast_ref::<IndexError>() {
            Some(match e {
                IndexError::OldLayout(_) | IndexError::UnknownFile(_) | IndexError::EmptyQuery(_) => return None,
                _ => {
                    "the index is damaged or not an index: give another --index directory, or remove this one and run again (every file is read anew)"
                }
            })
        } else if cause.downcast_ref::<RulesError>().is_some() {
            Some("fix the rules file named above, or run without --rules to use the shipped rules")
        } else if cause.downcast_ref::<ReportError>().is_some() || cause.downcast_ref::<HistoryError>().is_some() {
            Some(WRITE_ADVICE)
        } else if let Some(e) = cause.downcast_ref::<NightlyError>() {
            // Its variants are transparent: the error inside is not in the chain of causes.
            match e {
                NightlyError::Discovery(_) => Some(CORPUS_ADVICE),
                NightlyError::Index(_) | NightlyError::Pipeline(PipelineError::Index(_)) => Some(STATE_INDEX_ADVICE),
                NightlyError::Report(_) | NightlyError::History(_) | NightlyError::Write { .. } => Some(WRITE_ADVICE),
                _ => None,
            }
        } else {
            None
        }
    })
}

/// Whether the error is stdout closed by its reader.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Ingest(args) => run_ingest(args),
        Command::Check(args) => run_check(args),
        Command::Nightly(args) => run_nightly(args),
        Command::Search(args) => run_search(args),
        Command::Extract(args) => run_extract(args),
        Command::Serve(args) => run_serve(args),
        Command::Answered(args) => run_answered(args),
        Command::ExtractWorker(args) => {
            isolate::serve(&args.settings)?;
            Ok(Outcome::Done)
        }
    }
}

fn run_ingest(args: IngestArgs) -> Result<Outcome> {
    let rules = load_rules(&args.common)?;
    let corpus = discover_corpus(&args.corpus, &[&args.index])?;
    let index = open_guarded(&args.index, &corpus, &rules, args.allow_shrink)?;
    let summary = ingest(&corpus, &index, &rules, &limits(&args.common)?).context("ingest failed")?;
    eprintln!("{}", terminal::ingest_line(&summary));
    Ok(Outcome::Done)
}

fn run_check(args: CheckArgs) -> Result<Outcome> {
    let rules = load_rules(&args.common)?;
    let own: Vec<&Path> = args.index.iter().chain(&args.out).map(|p| p.as_path()).collect();
    let corpus = discover_corpus(&args.corpus, &own)?;
    let index = match &args.index {
        Some(dir) => open_guarded(dir, &corpus, &rules, args.allow_shrink)?,
        None => DocIndex::in_memory().context("cannot create an in-memory index")?,
    };
    let as_of = args.as_of.unwrap_or_else(Date::today_utc);
    let run = ingest_and_check(&corpus, &index, &rules, &limits(&args.common)?, as_of, &()).context("check failed")?;
    let report = Report::build(&rules, &run.checked, as_of, args.lang.into());
    if let Some(out) = &args.out {
        let cleanup = write_check_files(out, &report).context("cannot write the reports")?;
        print_cleanup(out, &cleanup);
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
        allow_shrink: args.allow_shrink,
    };
    let outcome = nightly::run(&rules, &options, &progress);
    progress.finish();
    let outcome = outcome.context("the nightly run stopped")?;
    for note in &outcome.notes {
        eprintln!("portalcheck: note: {note}");
    }
    let elapsed = seconds(started.elapsed().as_secs_f64());
    eprintln!(
        "{}",
        terminal::nightly_line(&outcome.report, &outcome.ingest, &outcome.report_dir, &elapsed)
    );
    Ok(Outcome::Done)
}

fn run_search(args: SearchArgs) -> Result<Outcome> {
    let doc_type = match &args.doc_type {
        Some(given) => Some(resolve_doc_type(
            &Rules::embedded().context("the shipped rules are invalid")?,
            given,
        )?),
        None => None,
    };
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
        doc_type,
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
    // A file that cannot be read as a document is a finding (its status and reason); a path
    // that names no file is a mistake in the command.
    match std::fs::metadata(&args.file) {
        Ok(metadata) if metadata.is_dir() => anyhow::bail!(
            "`{}` is a directory: extract reads one file (to read a whole corpus, use `portalcheck check {}`)",
            args.file.display(),
            args.file.display()
        ),
        Ok(_) => {}
        Err(e) => anyhow::bail!("cannot open `{}`: {e}; check the path", args.file.display()),
    }
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

fn run_answered(args: AnsweredArgs) -> Result<Outcome> {
    let state = StateDir::new(&args.state);
    let request = answered::Request {
        target: &args.target,
        answered: args.date.unwrap_or_else(Date::today_utc),
        number: args.number,
        submitted: args.submitted,
        undo: args.undo,
    };
    let file = state.answered();
    match answered::record(&state, &request)? {
        Recorded::Added {
            target,
            answer,
            replaced,
        } => {
            let number = answer.number.map(|n| format!(" (No. {n})")).unwrap_or_default();
            let to = answer
                .submitted
                .map(|d| format!(", to the application of {d}"))
                .unwrap_or_default();
            eprintln!(
                "portalcheck: {} `{}` answered on {}{number}{to} in `{}`: the nightly deadline list leaves it out until its card's date or its files change",
                if replaced { "changed:" } else { "recorded:" },
                target.text(),
                answer.answered,
                file.display()
            );
        }
        Recorded::Removed { target } => eprintln!(
            "portalcheck: removed the answer to `{}` from `{}`: it is listed again while its deadline is near or past",
            target.text(),
            file.display()
        ),
    }
    Ok(Outcome::Done)
}

/// Discovers the corpus, leaving out the directories this run writes (`own`), and says which
/// directories were left out.
fn discover_corpus(root: &Path, own: &[&Path]) -> Result<Corpus> {
    let corpus =
        discover_excluding(root, own).with_context(|| format!("cannot read the corpus `{}`", root.display()))?;
    for skipped in &corpus.skipped {
        eprintln!(
            "portalcheck: note: skipped `{}` in the corpus: {}",
            skipped.dir, skipped.reason
        );
    }
    Ok(corpus)
}

/// Opens (or creates) the index in `dir`; an existing one is first checked against the corpus,
/// so that a run on an unmounted share stops before it removes anything ([`guard_shrink`]).
fn open_guarded(dir: &Path, corpus: &Corpus, rules: &Rules, allow_shrink: bool) -> Result<DocIndex> {
    if !allow_shrink && dir.join("meta.json").exists() {
        // An index of another layout is rebuilt by `open_or_create` anyway.
        let existing = DocIndex::open_existing(dir).ok();
        guard_shrink(corpus, existing.as_ref(), rules)?;
    }
    DocIndex::open_or_create(dir).with_context(|| format!("cannot open the index `{}`", dir.display()))
}

fn print_cleanup(dir: &Path, cleanup: &Cleanup) {
    if let Some(note) = &cleanup.note {
        eprintln!("portalcheck: note: {note}");
    }
    if !cleanup.removed.is_empty() {
        eprintln!(
            "portalcheck: note: removed {} report files an earlier run wrote into `{}` and this one did not: {}",
            cleanup.removed.len(),
            dir.display(),
            cleanup.removed.join(", ")
        );
    }
}

/// `--type` as given (an id, or a name in any language) → the type's id; an unknown one is an
/// error that lists every type, the closest first.
fn resolve_doc_type(rules: &Rules, given: &str) -> Result<String> {
    let ids: Vec<&str> = rules
        .doctypes
        .iter()
        .map(|d| d.id.as_str())
        .chain([OBJECT_CARD, SIGNATURE, OTHER])
        .collect();
    let wanted = given.trim().to_lowercase();
    let names = |id: &str| [Lang::Ru, Lang::Kk, Lang::En].map(|lang| doc_type_name(rules, id, lang));
    if let Some(id) = ids
        .iter()
        .find(|id| id.to_lowercase() == wanted || names(id).iter().any(|n| n.to_lowercase() == wanted))
    {
        return Ok(id.to_string());
    }
    // A typo in the first words (`comissioning`) is as near as one in the whole id.
    let length = wanted.chars().count();
    let distance = |id: &str| {
        (length..=length + 3)
            .map(|n| edit_distance(&wanted, &id.chars().take(n).collect::<String>()))
            .fold(edit_distance(&wanted, id), usize::min)
    };
    let closest = ids
        .iter()
        .map(|id| (distance(id), *id))
        .min()
        .filter(|(d, _)| *d <= (length / 4).max(1));
    let hint = match closest {
        Some((_, id)) => format!("; did you mean `{id}`?"),
        None => String::new(),
    };
    let list: Vec<String> = ids.iter().map(|id| format!("  {id}: {}", names(id)[2])).collect();
    anyhow::bail!(
        "unknown document type `{given}`{hint}\nportalcheck: what to do: pass one of these ids (or its name in Russian, Kazakh or English) to --type:\n{}",
        list.join("\n")
    )
}

fn open_existing_index(index: &Path) -> Result<DocIndex> {
    if !index.join("meta.json").exists() {
        let shown = index.display();
        if index.join("index/meta.json").exists() {
            anyhow::bail!(
                "`{shown}` is a nightly state directory, not an index; search its index: `portalcheck search {} …`",
                index.join("index").display()
            );
        }
        let holds_submissions =
            index.is_dir() && discover(index).is_ok_and(|corpus| corpus.submissions.iter().any(|s| s.card.is_some()));
        if holds_submissions {
            anyhow::bail!(
                "`{shown}` is a corpus (it holds submissions), not an index; index it first with `portalcheck ingest {shown} --index INDEX_DIR`, then `portalcheck search INDEX_DIR …`"
            );
        }
        anyhow::bail!(
            "no index at `{shown}`; build one with `portalcheck ingest CORPUS --index {shown}` (or `nightly CORPUS --state DIR` and search DIR/index)"
        );
    }
    DocIndex::open_existing(index).with_context(|| format!("cannot open the index `{}`", index.display()))
}

fn load_rules(common: &Common) -> Result<Rules> {
    match &common.rules {
        Some(dir) => Rules::from_dir(dir).with_context(|| format!("cannot load the rules from `{}`", dir.display())),
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
