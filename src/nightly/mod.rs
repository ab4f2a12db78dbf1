//! The nightly run: ingest what changed into the index kept under the state directory, check
//! every submission, compare with the previous run, and write the reports people read.
//!
//! The state directory's layout is [`StateDir`]'s; the snapshots and their comparison are
//! [`crate::history`]'s. This module only decides the order: ingest, check, compare, write the
//! reports, and save the snapshot last.
//!
//! Nothing is written before the run has shown it is safe: `answered.toml` must read, and the
//! corpus must not be empty nor have lost more than half of the indexed files
//! ([`crate::pipeline::guard_shrink`]; an unmounted share looks exactly like that) unless
//! [`NightlyOptions::allow_shrink`].

pub mod answered;

use std::path::{Path, PathBuf};

use crate::corpus::{DiscoveryError, discover_excluding};
use crate::date::Date;
use crate::evaluate::CheckedSubmission;
use crate::evaluate::schedule::{self, DeadlineState};
use crate::extract::Limits;
use crate::index::{DocIndex, IndexError};
use crate::pipeline::{IngestProgress, IngestSummary, PipelineError, Run, guard_shrink, ingest_and_check};
use crate::report::{
    DeadlineNotice, ExpiryNotice, Lang, NightlyReport, Report, ReportError, RunInfo, TrendPoint, write_nightly_files,
};
use crate::rules::Rules;
use answered::{AnsweredError, Answers, FileState, content_digest};

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
    #[error(transparent)]
    Answered(#[from] AnsweredError),
}

pub struct NightlyOptions<'a> {
    pub corpus: &'a Path,
    pub state: &'a Path,
    /// Reports go to `<out>/<as_of>/`; `None` means `<state>/reports`.
    pub out: Option<&'a Path>,
    pub as_of: Date,
    pub lang: Lang,
    pub limits: Limits,
    /// Let the run remove more than half of the indexed files (they were really withdrawn).
    pub allow_shrink: bool,
}

pub struct NightlyOutcome {
    pub report_dir: PathBuf,
    pub report: NightlyReport,
    pub ingest: IngestSummary,
    /// Sentences for the operator: directories left out of the corpus, answers that name no
    /// submission, report files of an earlier run removed or left in place.
    pub notes: Vec<String>,
}

pub fn run(
    rules: &Rules,
    options: &NightlyOptions<'_>,
    progress: &dyn IngestProgress,
) -> Result<NightlyOutcome, NightlyError> {
    let state = StateDir::new(options.state);
    let answers = Answers::load(&state)?;
    let index_dir = state.index();
    let out = options.out.map(Path::to_path_buf).unwrap_or_else(|| state.reports());
    let corpus = discover_excluding(options.corpus, &[&index_dir, &state.history(), &state.reports(), &out])?;
    let mut notes: Vec<String> = corpus
        .skipped
        .iter()
        .map(|s| format!("skipped `{}` in the corpus: {}", s.dir, s.reason))
        .collect();
    // Before the state is created or the index opened for writing.
    // An index of an older layout is rebuilt anyway: only an empty corpus stops that run.
    let existing = if index_dir.join("meta.json").exists() {
        DocIndex::open_existing(&index_dir).ok()
    } else {
        None
    };
    if !options.allow_shrink {
        guard_shrink(&corpus, existing.as_ref(), rules)?;
    }
    drop(existing);
    std::fs::create_dir_all(&index_dir).map_err(|source| NightlyError::Write {
        path: index_dir.clone(),
        source,
    })?;
    let history = History::open(&state.history())?;
    let index = DocIndex::open_or_create(&index_dir)?;
    let Run { ingest, checked } = ingest_and_check(&corpus, &index, rules, &options.limits, options.as_of, progress)?;
    let submissions: Vec<(&str, &str)> = checked.iter().map(|s| (s.object_id.as_str(), s.dir.as_str())).collect();
    for unmatched in answers.unmatched(&submissions) {
        notes.push(format!(
            "{}: `{unmatched}` names no submission of this run (withdrawn, or a typo); remove it with `portalcheck answered --state {} {unmatched} --undo`",
            state.answered().display(),
            state.root().display()
        ));
    }

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
        deadlines: deadline_notices(rules, &checked, &answers, options.as_of, options.lang),
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

    let report_dir = StateDir::report_dir(&out, options.as_of);
    let cleanup = write_nightly_files(&report_dir, rules, &nightly, &letters)?;
    notes.extend(cleanup.note);
    if !cleanup.removed.is_empty() {
        notes.push(format!(
            "removed {} report files an earlier run wrote into `{}` and this one did not: {}",
            cleanup.removed.len(),
            report_dir.display(),
            cleanup.removed.join(", ")
        ));
    }
    // Last: a run that failed to write its reports is not the "previous run" of the next one.
    history.save(&snapshot)?;
    Ok(NightlyOutcome {
        report_dir,
        report: nightly,
        ingest,
        notes,
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

/// Applications still waiting for an answer whose deadline is near, today or past: an answered
/// one (`answered.toml`) is left out until its card's date or its files change.
fn deadline_notices(
    rules: &Rules,
    checked: &[CheckedSubmission],
    answers: &Answers,
    as_of: Date,
    lang: Lang,
) -> Vec<DeadlineNotice> {
    let mut notices: Vec<DeadlineNotice> = checked
        .iter()
        .filter_map(|s| {
            let submitted = s.card.as_ref()?.submitted?;
            let answer = answers.for_submission(&s.object_id, &s.dir);
            if answer.is_some() && !schedule::still_waiting(answer, submitted, &submission_digest(s)) {
                return None;
            }
            let deadline = schedule::deadline(submitted, as_of, &rules.policy.deadline, &rules.calendar);
            (deadline.state != DeadlineState::OnTime).then(|| DeadlineNotice::new(rules, s, deadline, lang))
        })
        .collect();
    notices.sort_by_key(|n| (n.deadline.due, n.path.clone()));
    notices
}

/// The digest `portalcheck answered` kept of the submission's files, computed the same way from
/// this run's records.
fn submission_digest(s: &CheckedSubmission) -> String {
    content_digest(s.files.iter().map(|f| FileState {
        file: &f.file,
        content_hash: f.content_hash.as_deref(),
        size: f.fingerprint.size,
        modified_ns: f.fingerprint.modified_ns,
    }))
}
