//! What changed since the previous run: a pure comparison of two snapshots, submission by
//! submission (keyed by directory), requirement by requirement, file by file.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{FileSnapshot, Snapshot, SubmissionSnapshot};
use crate::date::Date;
use crate::evaluate::{Status, Verdict};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiff {
    /// The as-of date of the run compared against; `None` on the first run.
    pub previous: Option<Date>,
    pub totals: DiffTotals,
    /// Only submissions with a change, in corpus order (removed ones last).
    pub submissions: Vec<SubmissionDiff>,
    /// History snapshots that could not be read.
    pub history_problems: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffTotals {
    pub new_submissions: usize,
    pub removed_submissions: usize,
    pub verdict_changes: usize,
    pub newly_missing: usize,
    pub newly_present: usize,
    pub other_status_changes: usize,
    pub files_added: usize,
    pub files_removed: usize,
    pub files_changed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    New,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionDiff {
    pub path: String,
    pub object_id: String,
    pub owner: Option<String>,
    pub change: Change,
    pub verdict_before: Option<Verdict>,
    pub verdict_after: Option<Verdict>,
    /// Now missing, expired or invalid; before not (or not required).
    pub newly_missing: Vec<StatusChange>,
    /// Now present (or an accepted expired protocol); before not.
    pub newly_present: Vec<StatusChange>,
    /// Any other change of status, e.g. to or from `needs_review`, or missing to invalid.
    pub other_status_changes: Vec<StatusChange>,
    pub files_added: Vec<String>,
    pub files_removed: Vec<String>,
    /// Same path, different content (or, without hashes, different size or modification time).
    pub files_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub requirement: String,
    pub before: Option<Status>,
    pub after: Option<Status>,
}

impl SubmissionDiff {
    pub fn verdict_changed(&self) -> bool {
        self.change == Change::Changed && self.verdict_before != self.verdict_after
    }
}

pub fn diff(previous: Option<&Snapshot>, current: &Snapshot, history_problems: Vec<String>) -> RunDiff {
    let Some(previous) = previous else {
        return RunDiff {
            previous: None,
            totals: DiffTotals::default(),
            submissions: Vec::new(),
            history_problems,
        };
    };
    let before: BTreeMap<&str, &SubmissionSnapshot> =
        previous.submissions.iter().map(|s| (s.path.as_str(), s)).collect();
    let now: BTreeSet<&str> = current.submissions.iter().map(|s| s.path.as_str()).collect();
    let mut submissions: Vec<SubmissionDiff> = current
        .submissions
        .iter()
        .filter_map(|s| compare(before.get(s.path.as_str()).copied(), Some(s)))
        .collect();
    submissions.extend(
        previous
            .submissions
            .iter()
            .filter(|s| !now.contains(s.path.as_str()))
            .filter_map(|s| compare(Some(s), None)),
    );
    let mut totals = DiffTotals::default();
    for s in &submissions {
        match s.change {
            Change::New => totals.new_submissions += 1,
            Change::Removed => totals.removed_submissions += 1,
            Change::Changed => {}
        }
        totals.verdict_changes += usize::from(s.verdict_changed());
        totals.newly_missing += s.newly_missing.len();
        totals.newly_present += s.newly_present.len();
        totals.other_status_changes += s.other_status_changes.len();
        totals.files_added += s.files_added.len();
        totals.files_removed += s.files_removed.len();
        totals.files_changed += s.files_changed.len();
    }
    RunDiff {
        previous: Some(previous.as_of),
        totals,
        submissions,
        history_problems,
    }
}

fn file_changed(then: &FileSnapshot, now: &FileSnapshot) -> bool {
    match (&then.content_hash, &now.content_hash) {
        (Some(a), Some(b)) => a != b,
        _ => (then.size, then.modified_ns) != (now.size, now.modified_ns),
    }
}

fn compare(before: Option<&SubmissionSnapshot>, after: Option<&SubmissionSnapshot>) -> Option<SubmissionDiff> {
    let latest = after.or(before)?;
    let change = match (before, after) {
        (None, _) => Change::New,
        (_, None) => Change::Removed,
        _ => Change::Changed,
    };
    let mut diff = SubmissionDiff {
        path: latest.path.clone(),
        object_id: latest.object_id.clone(),
        owner: latest.owner.clone(),
        change,
        verdict_before: before.map(|s| s.verdict),
        verdict_after: after.map(|s| s.verdict),
        newly_missing: Vec::new(),
        newly_present: Vec::new(),
        other_status_changes: Vec::new(),
        files_added: Vec::new(),
        files_removed: Vec::new(),
        files_changed: Vec::new(),
    };
    // A new or removed submission is one change; listing each of its requirements would drown it.
    let (Some(before), Some(after)) = (before, after) else {
        return Some(diff);
    };
    let ids: BTreeSet<&String> = before.requirements.keys().chain(after.requirements.keys()).collect();
    for id in ids {
        let (was, is) = (
            before.requirements.get(id).copied(),
            after.requirements.get(id).copied(),
        );
        if was == is {
            continue;
        }
        let change = StatusChange {
            requirement: id.clone(),
            before: was,
            after: is,
        };
        match is {
            Some(s) if s.is_failure() && !was.is_some_and(Status::is_failure) => diff.newly_missing.push(change),
            Some(s) if s.is_satisfied() && !was.is_some_and(Status::is_satisfied) => diff.newly_present.push(change),
            _ => diff.other_status_changes.push(change),
        }
    }
    for (file, now) in &after.files {
        match before.files.get(file) {
            None => diff.files_added.push(file.clone()),
            Some(then) if file_changed(then, now) => diff.files_changed.push(file.clone()),
            Some(_) => {}
        }
    }
    diff.files_removed = before
        .files
        .keys()
        .filter(|f| !after.files.contains_key(*f))
        .cloned()
        .collect();
    let changed = diff.verdict_changed()
        || !diff.newly_missing.is_empty()
        || !diff.newly_present.is_empty()
        || !diff.other_status_changes.is_empty()
        || !diff.files_added.is_empty()
        || !diff.files_removed.is_empty()
        || !diff.files_changed.is_empty()
        || before.level != after.level;
    changed.then_some(diff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::Level;

    fn submission(
        path: &str,
        verdict: Verdict,
        statuses: &[(&str, Status)],
        files: &[(&str, u64)],
    ) -> SubmissionSnapshot {
        SubmissionSnapshot {
            path: path.into(),
            object_id: path.to_uppercase(),
            owner: Some("Министерство".into()),
            submitted: None,
            verdict,
            level: Level::Not,
            requirements: statuses.iter().map(|(id, s)| (id.to_string(), *s)).collect(),
            files: files
                .iter()
                .map(|(f, mtime)| {
                    let snapshot = FileSnapshot {
                        size: 10,
                        modified_ns: *mtime,
                        content_hash: None,
                        status: crate::extract::FileStatus::Ok,
                    };
                    (f.to_string(), snapshot)
                })
                .collect(),
        }
    }

    fn snapshot(date: &str, submissions: Vec<SubmissionSnapshot>) -> Snapshot {
        Snapshot {
            as_of: date.parse().unwrap(),
            submissions,
        }
    }

    #[test]
    fn first_run_has_nothing_to_compare() {
        let now = snapshot("2026-11-22", vec![submission("a", Verdict::Complies, &[], &[])]);
        let d = diff(None, &now, Vec::new());
        assert_eq!(d.previous, None);
        assert!(d.submissions.is_empty());
    }

    #[test]
    fn reports_new_removed_and_status_changes() {
        use Status::*;
        let before = snapshot(
            "2026-11-21",
            vec![
                submission(
                    "a",
                    Verdict::Complies,
                    &[("act", Present), ("protocol", Present)],
                    &[("a/x", 1)],
                ),
                submission("b", Verdict::DoesNotComply, &[("act", Missing)], &[("b/y", 1)]),
                submission("gone", Verdict::Complies, &[], &[]),
                submission("same", Verdict::Complies, &[("act", Present)], &[("same/z", 1)]),
            ],
        );
        let after = snapshot(
            "2026-11-22",
            vec![
                submission(
                    "a",
                    Verdict::DoesNotComply,
                    &[("act", Invalid), ("protocol", NeedsReview)],
                    &[("a/x", 2)],
                ),
                submission("b", Verdict::Complies, &[("act", Present)], &[("b/y", 1), ("b/new", 1)]),
                submission("same", Verdict::Complies, &[("act", Present)], &[("same/z", 1)]),
                submission("fresh", Verdict::NeedsReview, &[("act", Missing)], &[]),
            ],
        );
        let d = diff(Some(&before), &after, Vec::new());
        let paths: Vec<(&str, Change)> = d.submissions.iter().map(|s| (s.path.as_str(), s.change)).collect();
        assert_eq!(
            paths,
            [
                ("a", Change::Changed),
                ("b", Change::Changed),
                ("fresh", Change::New),
                ("gone", Change::Removed)
            ]
        );
        let a = &d.submissions[0];
        assert_eq!(a.newly_missing.len(), 1);
        assert_eq!(a.newly_missing[0].requirement, "act");
        assert_eq!(a.other_status_changes[0].after, Some(NeedsReview));
        assert_eq!(a.files_changed, ["a/x"]);
        let b = &d.submissions[1];
        assert_eq!(b.newly_present[0].before, Some(Missing));
        assert_eq!(b.files_added, ["b/new"]);
        assert_eq!(
            d.totals,
            DiffTotals {
                new_submissions: 1,
                removed_submissions: 1,
                verdict_changes: 2,
                newly_missing: 1,
                newly_present: 1,
                other_status_changes: 1,
                files_added: 1,
                files_removed: 0,
                files_changed: 1,
            }
        );
    }
}
