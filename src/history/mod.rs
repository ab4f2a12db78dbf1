//! The run history under `<state>/history/`: one snapshot per as-of date (`<YYYY-MM-DD>.json`),
//! holding what the next run compares against, and the comparison itself ([`diff`]). A re-run on
//! the same date replaces that date's snapshot; the previous run is the latest snapshot of an
//! earlier date.
//!
//! Below `report`, which renders the diff and the trend, and above `evaluate`, whose outcome a
//! snapshot reduces; `nightly` only decides when to read and write it.

pub mod diff;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::evaluate::CheckedSubmission;
use crate::evaluate::{Level, Status, Verdict};
use crate::extract::FileStatus;

/// What one run found, reduced to what a later run compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub as_of: Date,
    pub submissions: Vec<SubmissionSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionSnapshot {
    /// The submission directory: the key runs are compared by.
    pub path: String,
    pub object_id: String,
    pub owner: Option<String>,
    /// The application's date on the card (what `portalcheck answered` records an answer to).
    #[serde(default)]
    pub submitted: Option<Date>,
    pub verdict: Verdict,
    pub level: Level,
    pub requirements: BTreeMap<String, Status>,
    pub files: BTreeMap<String, FileSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSnapshot {
    pub size: u64,
    pub modified_ns: u64,
    /// When known, the content decides whether the file changed (a `touch` is not a change).
    #[serde(default)]
    pub content_hash: Option<String>,
    pub status: FileStatus,
}

impl Snapshot {
    pub fn of(as_of: Date, checked: &[CheckedSubmission]) -> Snapshot {
        let submissions = checked
            .iter()
            .map(|s| SubmissionSnapshot {
                path: s.dir.clone(),
                object_id: s.object_id.clone(),
                owner: s.card.as_ref().and_then(|c| c.owner.clone()),
                submitted: s.card.as_ref().and_then(|c| c.submitted),
                verdict: s.evaluation.verdict,
                level: s.evaluation.level,
                requirements: s
                    .evaluation
                    .requirements
                    .iter()
                    .map(|r| (r.id.clone(), r.status))
                    .collect(),
                files: s
                    .files
                    .iter()
                    .map(|f| {
                        let snapshot = FileSnapshot {
                            size: f.fingerprint.size,
                            modified_ns: f.fingerprint.modified_ns,
                            content_hash: f.content_hash.clone(),
                            status: f.status,
                        };
                        (f.file.clone(), snapshot)
                    })
                    .collect(),
            })
            .collect();
        Snapshot { as_of, submissions }
    }

    pub fn verdict_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for s in &self.submissions {
            *counts.entry(s.verdict.as_str().to_string()).or_insert(0) += 1;
        }
        counts
    }
}

/// A history directory that cannot be read or written; a single unreadable snapshot is not an
/// error but a [`Past::problems`] entry.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot read `{path}`: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write `{path}`: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot serialise the history snapshot: {0}")]
    Json(serde_json::Error),
}

pub struct History {
    dir: PathBuf,
}

/// What the history holds before this run: the previous snapshot, the earlier ones' totals, and
/// any snapshot that could not be read (said in the report, never silently skipped).
pub struct Past {
    pub previous: Option<Snapshot>,
    pub trend: Vec<Snapshot>,
    pub problems: Vec<String>,
}

impl History {
    /// Opens (creating it when absent) the history kept in `dir`, `StateDir::history`.
    pub fn open(dir: &Path) -> Result<History, HistoryError> {
        let dir = dir.to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|source| HistoryError::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(History { dir })
    }

    fn dates(&self) -> Result<Vec<Date>, HistoryError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| HistoryError::Read {
            path: self.dir.clone(),
            source,
        })?;
        let mut dates: Vec<Date> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".json").and_then(|d| d.parse().ok())
            })
            .collect();
        dates.sort();
        Ok(dates)
    }

    /// Snapshots of dates before `as_of`: the latest one in full, and up to `keep` for the trend.
    pub fn before(&self, as_of: Date, keep: usize) -> Result<Past, HistoryError> {
        let dates: Vec<Date> = self.dates()?.into_iter().filter(|d| *d < as_of).collect();
        let mut past = Past {
            previous: None,
            trend: Vec::new(),
            problems: Vec::new(),
        };
        for date in dates.iter().rev().take(keep).rev() {
            let path = self.path(*date);
            let read = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| serde_json::from_slice::<Snapshot>(&bytes).map_err(|e| e.to_string()));
            match read {
                Ok(snapshot) => past.trend.push(snapshot),
                Err(e) => past.problems.push(format!("{}: {e}", path.display())),
            }
        }
        // The previous run is the latest date, if it was readable: comparing against an older one
        // would report two nights of changes as one.
        if let Some(latest) = dates.last() {
            past.previous = past.trend.last().filter(|s| s.as_of == *latest).cloned();
        }
        Ok(past)
    }

    fn path(&self, date: Date) -> PathBuf {
        self.dir.join(format!("{date}.json"))
    }

    /// Writes the snapshot through a temporary file, so a killed run leaves the old one whole.
    pub fn save(&self, snapshot: &Snapshot) -> Result<(), HistoryError> {
        let path = self.path(snapshot.as_of);
        let tmp = self.dir.join(format!(".{}.json.tmp", snapshot.as_of));
        let bytes = serde_json::to_vec_pretty(snapshot).map_err(HistoryError::Json)?;
        std::fs::write(&tmp, bytes).map_err(|source| HistoryError::Write {
            path: tmp.clone(),
            source,
        })?;
        std::fs::rename(&tmp, &path).map_err(|source| HistoryError::Write { path, source })
    }
}
