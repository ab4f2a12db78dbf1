//! The applications the analyst has answered: `<state>/answered.toml`, kept by
//! `portalcheck answered` and editable by hand. The nightly deadline list leaves out an answered
//! application until the application changes: another date on its card, or other files (the
//! state body submitted again). Whether an answer still holds is `schedule::still_waiting`; this
//! module reads, checks and writes the file.
//!
//! ```toml
//! [[answered]]
//! object_id = "IS-2021-0042"   # or path = "mcriap/is-…", the submission directory
//! submitted = 2026-11-16       # the application's date the answer was to (optional)
//! answered = 2026-11-20        # the date of the outgoing letter
//! number = "01-02/123"         # its outgoing number (optional)
//! content = "…"                # the files' digest when answered (optional; the command writes it)
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::evaluate::schedule::Answer;
use crate::fnv::Fnv1a;
use crate::history::{History, HistoryError, Snapshot, SubmissionSnapshot};
use crate::state_dir::StateDir;

const HEADER: &str = "\
# Applications answered (Order No. 29 p. 5), kept by `portalcheck answered`; you may edit it.
# One [[answered]] table per application: object_id (or path, the submission directory),
# submitted (the application's date the answer was to), answered (the letter's date), number
# (its outgoing number) and content (the files' digest when answered). An application returns
# to the deadline list when its card's date or its files change. Comments are not kept.
";

#[derive(Debug, thiserror::Error)]
pub enum AnsweredError {
    #[error("cannot read `{path}`: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "`{path}` is not valid: {message}. Fix the file (its header says what each field means), or remove the entry with `portalcheck answered --state DIR ID --undo`"
    )]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write `{path}`: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(
        "`{0}` has no nightly run yet: run `portalcheck nightly CORPUS --state {0}` first, so that its submissions are known"
    )]
    NoRun(PathBuf),
    #[error("no submission `{target}` in the last nightly run ({as_of}){}", suggest(candidates))]
    Unknown {
        target: String,
        as_of: Date,
        candidates: Vec<String>,
    },
    #[error("`{target}` is the object id of {} submissions ({}): name one by its directory instead", paths.len(), paths.join(", "))]
    Ambiguous { target: String, paths: Vec<String> },
    #[error("no answer to `{target}` is recorded in `{path}`{}", suggest(candidates))]
    NotRecorded {
        target: String,
        path: PathBuf,
        candidates: Vec<String>,
    },
    #[error("the answer's date {answered} is before the application's date {submitted}: check --date")]
    BeforeApplication { answered: Date, submitted: Date },
}

fn suggest(candidates: &[String]) -> String {
    if candidates.is_empty() {
        "; check the object id (as the reports show it) or pass the submission's directory".to_string()
    } else {
        format!("; did you mean {}?", candidates.join(", "))
    }
}

/// Which submission an entry means: its object id, or its directory when ids repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    ObjectId(String),
    Path(String),
}

impl Target {
    /// The object id or the directory, as written.
    pub fn text(&self) -> &str {
        match self {
            Target::ObjectId(id) | Target::Path(id) => id,
        }
    }

    fn means(&self, object_id: &str, path: &str) -> bool {
        match self {
            Target::ObjectId(id) => id == object_id,
            Target::Path(dir) => dir == path,
        }
    }
}

/// The answers recorded in a state directory, checked.
#[derive(Debug, Default)]
pub struct Answers {
    entries: Vec<(Target, Answer)>,
}

impl Answers {
    /// Reads `<state>/answered.toml`; none recorded when the file does not exist.
    pub fn load(state: &StateDir) -> Result<Answers, AnsweredError> {
        let path = state.answered();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Answers::default()),
            Err(source) => return Err(AnsweredError::Read { path, source }),
        };
        let invalid = |message: String| AnsweredError::Invalid {
            path: path.clone(),
            message,
        };
        let raw: RawFile = toml::from_str(&text).map_err(|e| invalid(e.to_string().trim_end().to_string()))?;
        let mut answers = Answers::default();
        for (n, entry) in raw.answered.into_iter().enumerate() {
            let (target, answer) = entry
                .check()
                .map_err(|m| invalid(format!("[[answered]] number {}: {m}", n + 1)))?;
            if answers.entries.iter().any(|(t, _)| *t == target) {
                return Err(invalid(format!(
                    "[[answered]] number {}: `{}` is recorded twice",
                    n + 1,
                    target.text()
                )));
            }
            answers.entries.push((target, answer));
        }
        Ok(answers)
    }

    /// The answer recorded for a submission: by its directory, else by its object id.
    pub fn for_submission(&self, object_id: &str, path: &str) -> Option<&Answer> {
        let by = |want: fn(&Target) -> bool| {
            self.entries
                .iter()
                .find(|(t, _)| want(t) && t.means(object_id, path))
                .map(|(_, a)| a)
        };
        by(|t| matches!(t, Target::Path(_))).or_else(|| by(|t| matches!(t, Target::ObjectId(_))))
    }

    /// Entries that name no submission of `submissions` (object id, directory): a withdrawn
    /// submission or a typo, said to the operator rather than failing the night.
    pub fn unmatched<'a>(&'a self, submissions: &[(&str, &str)]) -> Vec<&'a str> {
        self.entries
            .iter()
            .filter(|(t, _)| !submissions.iter().any(|(id, path)| t.means(id, path)))
            .map(|(t, _)| t.text())
            .collect()
    }

    fn save(&self, path: &Path) -> Result<(), AnsweredError> {
        let raw = RawFile {
            answered: self.entries.iter().map(|(t, a)| RawEntry::of(t, a)).collect(),
        };
        let body = toml::to_string(&raw).map_err(|e| AnsweredError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, format!("{HEADER}\n{body}")).map_err(|source| AnsweredError::Write {
            path: tmp.clone(),
            source,
        })?;
        std::fs::rename(&tmp, path).map_err(|source| AnsweredError::Write {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// What `portalcheck answered` is asked to record.
pub struct Request<'a> {
    /// An object id or a submission directory, as the reports show them.
    pub target: &'a str,
    pub answered: Date,
    pub number: Option<String>,
    /// The application's date; default: the card's date in the last nightly run.
    pub submitted: Option<Date>,
    /// Remove the recorded answer instead.
    pub undo: bool,
}

/// What [`record`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    Added {
        target: Target,
        answer: Answer,
        replaced: bool,
    },
    Removed {
        target: Target,
    },
}

/// Records (or with `undo` removes) an answer in `<state>/answered.toml`. The submission must be
/// one of the last nightly run's, named by its object id or directory; its files' digest then is
/// kept, so that other files later bring the application back to the deadline list.
pub fn record(state: &StateDir, request: &Request<'_>) -> Result<Recorded, AnsweredError> {
    let mut answers = Answers::load(state)?;
    let path = state.answered();
    let target_text = request.target.trim_end_matches('/');
    if request.undo {
        let Some(at) = answers.entries.iter().position(|(t, _)| t.text() == target_text) else {
            let recorded: Vec<&str> = answers.entries.iter().map(|(t, _)| t.text()).collect();
            return Err(AnsweredError::NotRecorded {
                target: target_text.to_string(),
                path,
                candidates: close_matches(target_text, recorded),
            });
        };
        let (target, _) = answers.entries.remove(at);
        answers.save(&path)?;
        return Ok(Recorded::Removed { target });
    }
    let snapshot = latest_snapshot(state)?;
    let (target, submission) = resolve(&snapshot, target_text)?;
    let submitted = request.submitted.or(submission.submitted);
    if let Some(submitted) = submitted
        && request.answered < submitted
    {
        return Err(AnsweredError::BeforeApplication {
            answered: request.answered,
            submitted,
        });
    }
    let answer = Answer {
        submitted,
        answered: request.answered,
        number: request.number.clone().filter(|n| !n.trim().is_empty()),
        content: Some(snapshot_digest(submission)),
    };
    let replaced = match answers.entries.iter_mut().find(|(t, _)| *t == target) {
        Some((_, existing)) => {
            *existing = answer.clone();
            true
        }
        None => {
            answers.entries.push((target.clone(), answer.clone()));
            false
        }
    };
    answers.save(&path)?;
    Ok(Recorded::Added {
        target,
        answer,
        replaced,
    })
}

fn latest_snapshot(state: &StateDir) -> Result<Snapshot, AnsweredError> {
    let no_run = || AnsweredError::NoRun(state.root().to_path_buf());
    if !state.history().is_dir() {
        return Err(no_run());
    }
    let end_of_time = Date::new(9999, 12, 31).ok_or_else(no_run)?;
    History::open(&state.history())?
        .before(end_of_time, 1)?
        .previous
        .ok_or_else(no_run)
}

fn resolve<'a>(snapshot: &'a Snapshot, target: &str) -> Result<(Target, &'a SubmissionSnapshot), AnsweredError> {
    let by_id: Vec<&SubmissionSnapshot> = snapshot.submissions.iter().filter(|s| s.object_id == target).collect();
    match by_id.as_slice() {
        [one] => return Ok((Target::ObjectId(target.to_string()), one)),
        [] => {}
        many => {
            return Err(AnsweredError::Ambiguous {
                target: target.to_string(),
                paths: many.iter().map(|s| s.path.clone()).collect(),
            });
        }
    }
    if let Some(s) = snapshot.submissions.iter().find(|s| s.path == target) {
        return Ok((Target::Path(target.to_string()), s));
    }
    let names = snapshot
        .submissions
        .iter()
        .flat_map(|s| [s.object_id.as_str(), s.path.as_str()]);
    Err(AnsweredError::Unknown {
        target: target.to_string(),
        as_of: snapshot.as_of,
        candidates: close_matches(target, names),
    })
}

/// Up to five names nearest to `wanted` by edit distance (case-insensitive), or containing it,
/// each in backquotes: the "did you mean" of an error.
pub fn close_matches<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = names
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let distance = edit_distance(&wanted_lower, &lower);
            let contains = !wanted_lower.is_empty() && lower.contains(&wanted_lower);
            (distance <= limit || contains).then_some((if contains { 0 } else { distance }, name))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(5)
        .map(|(_, name)| format!("`{name}`"))
        .collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// One file as the digest of a submission sees it.
pub struct FileState<'a> {
    pub file: &'a str,
    pub content_hash: Option<&'a str>,
    pub size: u64,
    pub modified_ns: u64,
}

/// A digest of a submission's files: their paths and contents (the SHA-256 ingest keeps; size
/// and modification time for a file without one). A `touch` does not change it; a replaced,
/// added or removed file does.
pub fn content_digest<'a>(files: impl IntoIterator<Item = FileState<'a>>) -> String {
    let mut files: Vec<FileState<'a>> = files.into_iter().collect();
    files.sort_by(|a, b| a.file.cmp(b.file));
    let mut digest = Fnv1a::default();
    for f in files {
        digest.write(f.file.as_bytes());
        digest.write(&[0]);
        match f.content_hash {
            Some(hash) => digest.write(hash.as_bytes()),
            None => digest.write(format!("{}:{}", f.size, f.modified_ns).as_bytes()),
        }
        digest.write(&[0]);
    }
    format!("{:016x}", digest.finish())
}

fn snapshot_digest(submission: &SubmissionSnapshot) -> String {
    content_digest(submission.files.iter().map(|(file, f)| FileState {
        file,
        content_hash: f.content_hash.as_deref(),
        size: f.size,
        modified_ns: f.modified_ns,
    }))
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    answered: Vec<RawEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// A TOML date (`2026-11-16`) or a string holding one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    submitted: Option<toml::Value>,
    answered: toml::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content: Option<String>,
}

impl RawEntry {
    fn check(self) -> Result<(Target, Answer), String> {
        let target = match (self.object_id, self.path) {
            (Some(id), None) if !id.trim().is_empty() => Target::ObjectId(id),
            (None, Some(path)) if !path.trim().is_empty() => Target::Path(path.trim_end_matches('/').to_string()),
            (Some(_), Some(_)) => return Err("give `object_id` or `path`, not both".to_string()),
            _ => return Err("`object_id` (or `path`) is missing or empty".to_string()),
        };
        let submitted = self.submitted.as_ref().map(|v| date(v, "submitted")).transpose()?;
        let answered = date(&self.answered, "answered")?;
        if let Some(submitted) = submitted
            && answered < submitted
        {
            return Err(format!("`answered` ({answered}) is before `submitted` ({submitted})"));
        }
        Ok((
            target,
            Answer {
                submitted,
                answered,
                number: self.number,
                content: self.content,
            },
        ))
    }

    fn of(target: &Target, answer: &Answer) -> RawEntry {
        let toml_date = |d: Date| {
            d.to_string()
                .parse::<toml::value::Datetime>()
                .map(toml::Value::Datetime)
                .unwrap_or_else(|_| toml::Value::String(d.to_string()))
        };
        RawEntry {
            object_id: matches!(target, Target::ObjectId(_)).then(|| target.text().to_string()),
            path: matches!(target, Target::Path(_)).then(|| target.text().to_string()),
            submitted: answer.submitted.map(toml_date),
            answered: toml_date(answer.answered),
            number: answer.number.clone(),
            content: answer.content.clone(),
        }
    }
}

fn date(value: &toml::Value, field: &str) -> Result<Date, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    text.parse()
        .map_err(|_| format!("`{field}` = {value} is not a date (write it as YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_matches_find_a_typo_and_a_part() {
        let names = ["IS-2021-0042", "IS-2021-0088", "mcriap/is-elektronnye-obrashcheniya"];
        assert_eq!(close_matches("IS-2021-042", names)[0], "`IS-2021-0042`");
        assert_eq!(
            close_matches("elektronnye", names),
            ["`mcriap/is-elektronnye-obrashcheniya`"]
        );
        assert!(close_matches("HW-1999-7777", names).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_file_reads_dates_both_ways_and_refuses_what_it_does_not_know() {
        let state = tempfile::tempdir().unwrap();
        let dir = StateDir::new(state.path());
        let write = |text: &str| std::fs::write(dir.answered(), text).unwrap();
        write(
            "[[answered]]\nobject_id = \"IS-1\"\nsubmitted = 2026-11-16\nanswered = \"2026-11-20\"\nnumber = \"01/1\"\n",
        );
        let answers = Answers::load(&dir).unwrap();
        let answer = answers.for_submission("IS-1", "body/is-1").unwrap();
        assert_eq!(answer.submitted, "2026-11-16".parse().ok());
        assert_eq!(answer.answered, "2026-11-20".parse().unwrap());
        assert_eq!(answers.unmatched(&[("IS-2", "body/is-2")]), ["IS-1"]);

        // What it writes, it reads back.
        answers.save(&dir.answered()).unwrap();
        let again = Answers::load(&dir).unwrap();
        assert_eq!(again.for_submission("IS-1", "x"), Some(answer));

        for (text, says) in [
            ("[[answered]]\nobject_id = \"IS-1\"\nanswerd = 2026-11-20\n", "answerd"),
            (
                "[[answered]]\nobject_id = \"IS-1\"\nanswered = \"20.11.2026\"\n",
                "YYYY-MM-DD",
            ),
            ("[[answered]]\nanswered = 2026-11-20\n", "object_id"),
            (
                "[[answered]]\nobject_id = \"IS-1\"\nsubmitted = 2026-11-21\nanswered = 2026-11-20\n",
                "before",
            ),
            (
                "[[answered]]\nobject_id = \"IS-1\"\nanswered = 2026-11-20\n[[answered]]\nobject_id = \"IS-1\"\nanswered = 2026-11-21\n",
                "twice",
            ),
            ("[[answered]\n", "answered.toml"),
        ] {
            write(text);
            let error = Answers::load(&dir).unwrap_err().to_string();
            assert!(
                error.contains(says) && error.contains("answered.toml"),
                "{says}: {error}"
            );
        }
    }
}
