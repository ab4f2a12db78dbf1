//! Command-line arguments, and nothing else: what each command does lives in the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use portalcheck::date::Date;
use portalcheck::report::Lang;

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
    Ingest {
        /// The corpus root: a directory of submissions.
        corpus: PathBuf,
        /// Where the index lives (created when absent).
        #[arg(long)]
        index: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Evaluate every submission (ingesting first) and report.
    Check {
        corpus: PathBuf,
        /// Keep the index here; without it the index is built in memory for this run.
        #[arg(long)]
        index: Option<PathBuf>,
        /// The date all validity and deadline logic uses (YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Write report.json, one Markdown report per submission and missing-documents.md here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the JSON report to stdout instead of the table.
        #[arg(long)]
        json: bool,
        /// Language of human-facing text.
        #[arg(long, value_enum, default_value = "ru")]
        lang: Lang,
        /// Exit with code 1 (after writing the reports) when the report has such findings.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        #[command(flatten)]
        common: Common,
    },
    /// Internal: extract one file in this process and print the result as JSON (the per-file
    /// child process of `--isolation worker`).
    #[command(name = "__extract-worker", hide = true)]
    ExtractWorker {
        #[arg(long)]
        settings: String,
        path: PathBuf,
    },
    /// Search an index: ranked pages with file, page and a highlighted snippet.
    Search {
        index: PathBuf,
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only documents of this type (e.g. commissioning_act).
        #[arg(long = "type")]
        doc_type: Option<String>,
        /// Only documents of this object id.
        #[arg(long)]
        object: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct Common {
    /// Read rules from this directory instead of the shipped schemas/.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Files larger than this many MiB are not opened (status too_large).
    #[arg(long, default_value_t = 200)]
    pub max_file_mib: u64,
    /// Seconds (wall clock, and CPU) one file's extraction may take; past it the file is `failed`.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_seconds: u64,
    /// MiB of memory (address space) one file's extraction may use; past it the file is `too_large`.
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u64).range(256..))]
    pub max_memory_mib: u64,
    /// Where files are parsed: `worker` (a child process per file, limits enforced) or
    /// `in-process` (faster, panics caught, but no time or memory limit).
    #[arg(long, value_enum, default_value = "worker")]
    pub isolation: IsolationMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationMode {
    Worker,
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
