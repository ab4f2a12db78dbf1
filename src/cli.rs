//! Command-line arguments, and nothing else: what each command does lives in the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use portalcheck::date::Date;
use portalcheck::lang::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "portalcheck",
    version,
    about = "Checks e-government architecture portal submissions for the evidence Order No. 29 p. 5 requires"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract, recognise and index every file of a corpus (only new or changed files are read).
    Ingest(IngestArgs),
    /// Evaluate every submission (ingesting first) and report.
    Check(CheckArgs),
    /// The nightly run (for cron or a systemd timer): ingest what changed into `<state>/index`, check
    /// every submission, compare with the previous run, and write summary.html, summary.xlsx,
    /// report.json, Markdown reports and draft letters into `<out>/<as-of date>/`.
    Nightly(NightlyArgs),
    /// Internal: a worker process of `--isolation worker`: extracts the files the parent sends on
    /// stdin, one at a time, and answers each on stdout.
    #[command(name = "__extract-worker", hide = true)]
    ExtractWorker(ExtractWorkerArgs),
    /// Search an index: ranked pages with file, page and a highlighted snippet, and counts per
    /// document type, state body and object. Query syntax: words (all must match), "a phrase",
    /// prefix*, -excluded.
    Search(SearchArgs),
    /// Show one file's text as the checker reads it: page by page, how each page was read
    /// (text layer, OCR, markup, cells) and its text quality.
    Extract(ExtractArgs),
    /// Serve a search page and the latest reports of a state directory (as `nightly` leaves it:
    /// DIR/index and DIR/reports/<date>/report.json) to a browser.
    Serve(ServeArgs),
    /// Record that an application was answered (the letter went out), so that the nightly
    /// deadline list leaves it out until the state body submits again; `--undo` lists it again.
    /// Kept in <state>/answered.toml, which may also be edited by hand.
    Answered(AnsweredArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The corpus root: a directory of submissions.
    pub corpus: PathBuf,
    /// Where the index lives (created when absent).
    #[arg(long)]
    pub index: PathBuf,
    /// Let the run remove the records of more than half of the indexed files (they were really
    /// withdrawn); without it, such a run, or one on an empty corpus, stops with exit code 2.
    #[arg(long)]
    pub allow_shrink: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The corpus root: a directory of submissions, each a directory with an object.xml card.
    pub corpus: PathBuf,
    /// Keep the index here; without it the index is built in memory for this run.
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// With --index: let the run remove the records of more than half of the indexed files;
    /// without it, such a run, or one on an empty corpus, stops with exit code 2.
    #[arg(long)]
    pub allow_shrink: bool,
    /// The date all validity and deadline logic uses (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Write report.json, one Markdown report per submission and missing-documents.md here;
    /// what an earlier run wrote there and this one did not is removed (nothing else).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the JSON report to stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Language of human-facing text.
    #[arg(long, value_enum, default_value = "ru")]
    pub lang: LangArg,
    /// Exit with code 1 (after writing the reports) when the report has such findings.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct NightlyArgs {
    /// The corpus root: a directory of submissions, each a directory with an object.xml card.
    pub corpus: PathBuf,
    /// Where the index and the run history live (created when absent).
    #[arg(long)]
    pub state: PathBuf,
    /// The date of the run (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Reports go to OUT/<date>/ (default: <state>/reports).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Language of report.json, summary.html and summary.xlsx (letters are always Russian and Kazakh).
    #[arg(long, value_enum, default_value = "ru")]
    pub lang: LangArg,
    /// Let the run remove the records of more than half of the indexed files (they were really
    /// withdrawn); without it, such a run, or one on an empty or missing corpus (an unmounted
    /// share), stops with exit code 2 before touching the index or the reports.
    #[arg(long)]
    pub allow_shrink: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ExtractWorkerArgs {
    /// The limits the worker applies to itself, as the parent serialised them; the files come
    /// one at a time on stdin.
    #[arg(long)]
    pub settings: String,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The index directory (`ingest --index DIR`, `check --index DIR`, or a state's DIR/index).
    pub index: PathBuf,
    /// What to look for (not needed with --like).
    #[arg(required_unless_present = "like")]
    pub query: Option<String>,
    /// How many hits to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Only documents of this type: its id (e.g. commissioning_act) or its name in Russian,
    /// Kazakh or English. An unknown type lists the valid ones.
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Only documents of this object id.
    #[arg(long)]
    pub object: Option<String>,
    /// Only documents of this state body (the card's owner, as written there).
    #[arg(long)]
    pub body: Option<String>,
    /// Instead of a query: documents of other submissions similar to this file (its path
    /// relative to the corpus root, as search results show it).
    #[arg(long, conflicts_with = "query")]
    pub like: Option<String>,
    /// Print the hits and counts as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file to read (any format the checker reads; a ZIP shows its members).
    pub file: PathBuf,
    /// Print {file, format, status, reason, pages[{page, method, quality, text, doubtful_words}]} as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not run OCR even when Tesseract is installed.
    #[arg(long)]
    pub no_ocr: bool,
    /// Files larger than this many MiB are not opened (status too_large).
    #[arg(long, default_value_t = 200)]
    pub max_file_mib: u64,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The state directory `nightly --state` keeps (its index and its reports).
    #[arg(long)]
    pub state: PathBuf,
    /// Address to listen on. Anything but a loopback address needs an access token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// The access token requests must carry (as `?token=`, a cookie or `Authorization: Bearer`).
    #[arg(long, env = "PORTALCHECK_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The corpus root, to serve the evidence files themselves (read-only); without it only
    /// their indexed text is shown.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AnsweredArgs {
    /// The state directory `nightly --state` keeps; the answer goes into its answered.toml.
    #[arg(long)]
    pub state: PathBuf,
    /// The application: its object id, or its submission directory (as the reports show them).
    pub target: String,
    /// The date of the answer (the outgoing letter), YYYY-MM-DD; default: today, UTC.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<Date>,
    /// The letter's outgoing number (e.g. 01-02/123).
    #[arg(long)]
    pub number: Option<String>,
    /// The application's date the answer is to (YYYY-MM-DD); default: the card's date in the
    /// last nightly run.
    #[arg(long, value_parser = parse_date)]
    pub submitted: Option<Date>,
    /// Remove the recorded answer instead: the application is listed again while its deadline
    /// is near or past.
    #[arg(long, conflicts_with_all = ["date", "number", "submitted"])]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct Common {
    /// Read rules from this directory instead of the shipped schemas/.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Files larger than this many MiB are not opened (status too_large).
    #[arg(long, default_value_t = 200)]
    pub max_file_mib: u64,
    /// Do not run OCR even when Tesseract is installed (scans become `no_text`, their
    /// requirements `needs_review`).
    #[arg(long)]
    pub no_ocr: bool,
    /// Seconds (wall clock, and CPU) one file's extraction may take; past it the file is `failed`.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_seconds: u64,
    /// MiB of memory (address space) one file's extraction may use; past it the file is `too_large`.
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u64).range(256..))]
    pub max_memory_mib: u64,
    /// Where files are parsed: `worker` (child processes, one file at a time each, limits enforced) or
    /// `in-process` (faster, panics caught, but no time or memory limit).
    #[arg(long, value_enum, default_value = "worker")]
    pub isolation: IsolationMode,
}

/// `--lang`: the library's [`Lang`] without a dependency of the library on clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Lang {
        match arg {
            LangArg::Ru => Lang::Ru,
            LangArg::Kk => Lang::Kk,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationMode {
    /// Child processes, one file at a time each: a crash, a loop or a memory hog costs only that file.
    Worker,
    /// In this process: faster; panics are caught, but no time or memory limit holds.
    InProcess,
}

/// Findings that make `check` exit with code 1 instead of 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any submission that does not comply (a requirement missing, expired or invalid, or the
    /// p. 6 criteria not met).
    Missing,
    /// Any submission that does not comply or needs review: anything but `complies`.
    #[value(name = "needs_review")]
    NeedsReview,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse().map_err(|e: portalcheck::date::DateParseError| e.to_string())
}
