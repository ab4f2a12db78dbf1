//! The nightly run: ingest what changed into the index kept under the state directory, check
//! every submission, compare with the previous run, and write the reports people read.
//!
//! The state directory's layout is [`StateDir`]'s; the snapshots and their comparison are
//! [`crate::history`]'s. This module only decides the order: ingest, check, compare, write the
//! reports, and save the snapshot last.

use std::path::{Path, PathBuf};

use crate::corpus::{DiscoveryError, discover};
use crate::date::Date;
use crate::evaluate::CheckedSubmission;
use crate::evaluate::schedule::{self, DeadlineState};
use crate::extract::Limits;
use crate::index::{DocIndex, IndexError};
use crate::pipeline::{IngestProgress, IngestSummary, PipelineError, Run, ingest_and_check};
use crate::report::{
    DeadlineNotice, ExpiryNotice, Lang, NightlyReport, Report, ReportError, RunInfo, TrendPoint, write_nightly_files,
};
use crate::rules::Rules;

use crate::history::{History, HistoryError, Snapshot, diff};
use crate::state_dir::StateDir;

/// How many earlier runs the trend chart shows.
const TREND_RUNS: usize = 30;

#[derive(Debug, thiserror::Error)]
pub enum NightlyError {
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error("cannot write `{path}`: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

pub struct NightlyOptions<'a> {
    pub corpus: &'a Path,
    pub state: &'a Path,
    /// Reports go to `<out>/<as_of>/`; `None` means `<state>/reports`.
    pub out: Option<&'a Path>,
    pub as_of: Date,
    pub lang: Lang,
    pub limits: Limits,
}

pub struct NightlyOutcome {
    pub report_dir: PathBuf,
    pub report: NightlyReport,
    pub ingest: IngestSummary,
}

pub fn run(
    rules: &Rules,
    options: &NightlyOptions<'_>,
    progress: &dyn IngestProgress,
) -> Result<NightlyOutcome, NightlyError> {
    let corpus = discover(options.corpus)?;
    let state = StateDir::new(options.state);
    let index_dir = state.index();
    std::fs::create_dir_all(&index_dir).map_err(|source| NightlyError::Write {
        path: index_dir.clone(),
        source,
    })?;
    let history = History::open(&state.history())?;
    let index = DocIndex::open_or_create(&index_dir)?;
    let Run { ingest, checked } = ingest_and_check(&corpus, &index, rules, &options.limits, options.as_of, progress)?;

    let snapshot = Snapshot::of(options.as_of, &checked);
    let past = history.before(options.as_of, TREND_RUNS)?;
    let previous_as_of = past.previous.as_ref().map(|p| p.as_of);
    let diff = diff::diff(past.previous.as_ref(), &snapshot, past.problems);
    let trend = past
        .trend
        .iter()
        .chain(std::iter::once(&snapshot))
        .map(|s| TrendPoint {
            as_of: s.as_of,
            verdicts: s.verdict_counts(),
        })
        .collect();

    let report = Report::build(rules, &checked, options.as_of, options.lang);
    let nightly = NightlyReport {
        expiry: expiry_notices(rules, &checked, options.as_of, previous_as_of, options.lang),
        deadlines: deadline_notices(rules, &checked, options.as_of, options.lang),
        run: RunInfo {
            files_read: ingest.extracted.clone(),
            files_touched: ingest.touched.clone(),
            files_unchanged: ingest.unchanged,
            files_removed: ingest.removed,
            index_rebuilt: ingest.rebuilt,
        },
        diff,
        trend,
        report,
    };
    let letters: Vec<Report> = [Lang::Ru, Lang::Kk]
        .into_iter()
        .map(|lang| Report::build(rules, &checked, options.as_of, lang))
        .collect();

    let out = options.out.map(Path::to_path_buf).unwrap_or_else(|| state.reports());
    let report_dir = StateDir::report_dir(&out, options.as_of);
    write_nightly_files(&report_dir, rules, &nightly, &letters)?;
    // Last: a run that failed to write its reports is not the "previous run" of the next one.
    history.save(&snapshot)?;
    Ok(NightlyOutcome {
        report_dir,
        report: nightly,
        ingest,
    })
}

fn expiry_notices(
    rules: &Rules,
    checked: &[CheckedSubmission],
    as_of: Date,
    previous: Option<Date>,
    lang: Lang,
) -> Vec<ExpiryNotice> {
    let mut notices = Vec::new();
    for s in checked {
        for expiry in schedule::protocol_expiry(
            &s.evaluation.requirements,
            as_of,
            previous,
            &rules.policy.expiry.warn_days,
        ) {
            notices.push(ExpiryNotice::new(rules, s, expiry, lang));
        }
    }
    notices.sort_by_key(|n| n.expiry.valid_until);
    notices
}

fn deadline_notices(rules: &Rules, checked: &[CheckedSubmission], as_of: Date, lang: Lang) -> Vec<DeadlineNotice> {
    let mut notices: Vec<DeadlineNotice> = checked
        .iter()
        .filter_map(|s| {
            let submitted = s.card.as_ref()?.submitted?;
            let deadline = schedule::deadline(submitted, as_of, &rules.policy.deadline, &rules.calendar);
            (deadline.state != DeadlineState::OnTime).then(|| DeadlineNotice::new(rules, s, deadline, lang))
        })
        .collect();
    notices.sort_by_key(|n| (n.deadline.due, n.path.clone()));
    notices
}
