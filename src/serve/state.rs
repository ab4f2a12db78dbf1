//! What `serve` reads from a state directory: `index/` and the newest `reports/<date>/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::extract::MEMBER_SEPARATOR;
use crate::report::{NightlyReport, Report};
use crate::state_dir::{REPORT_JSON, StateDir};

/// A report.json as `check --out` writes it ([`Report`]), or as `nightly` does ([`NightlyReport`]:
/// the same report with the run, the diff, notices and the trend beside it). Its schema is
/// `schemas/report.schema.json`.
#[derive(Debug)]
pub enum SavedReport {
    Check(Box<Report>),
    Nightly(Box<NightlyReport>),
}

impl SavedReport {
    /// Reads report.json's text: nightly's when it has nightly's `run`, else check's.
    pub fn parse(text: &str) -> Result<SavedReport, serde_json::Error> {
        #[derive(Deserialize)]
        struct Shape {
            run: Option<IgnoredAny>,
        }
        let shape: Shape = serde_json::from_str(text)?;
        Ok(match shape.run {
            Some(_) => SavedReport::Nightly(Box::new(serde_json::from_str(text)?)),
            None => SavedReport::Check(Box::new(serde_json::from_str(text)?)),
        })
    }

    /// The check report, which both shapes hold.
    pub fn report(&self) -> &Report {
        match self {
            SavedReport::Check(report) => report,
            SavedReport::Nightly(nightly) => &nightly.report,
        }
    }
}

/// A night's report, read, with its name (the date) and directory.
pub struct LoadedReport {
    pub night: String,
    pub dir: PathBuf,
    pub saved: SavedReport,
}

impl LoadedReport {
    pub fn report(&self) -> &Report {
        self.saved.report()
    }

    /// The nightly part (run, diff), when nightly wrote it; `check --out` writes none.
    pub fn nightly(&self) -> Option<&NightlyReport> {
        match &self.saved {
            SavedReport::Nightly(nightly) => Some(nightly),
            SavedReport::Check(_) => None,
        }
    }
}

/// Why a report could not be had.
#[derive(Debug)]
pub enum ReportProblem {
    /// The file could not be read from the disk.
    Unreadable { path: PathBuf, message: String },
    /// Not JSON, or not the shape of a report this version writes.
    Invalid { path: PathBuf, message: String },
}

pub fn load_latest_report(state: &StateDir) -> Result<Option<LoadedReport>, ReportProblem> {
    match state.finished_nights().into_iter().next() {
        Some((night, dir)) => load_report(night, dir).map(Some),
        None => Ok(None),
    }
}

/// The night called `night` (`None`: the newest), or `None` when there is no such finished night.
pub fn load_night(state: &StateDir, night: Option<&str>) -> Result<Option<LoadedReport>, ReportProblem> {
    let Some(night) = night else {
        return load_latest_report(state);
    };
    match state.finished_night(night) {
        Some(dir) => load_report(night.to_string(), dir).map(Some),
        None => Ok(None),
    }
}

pub fn load_report(night: String, dir: PathBuf) -> Result<LoadedReport, ReportProblem> {
    let path = dir.join(REPORT_JSON);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return Err(ReportProblem::Unreadable {
                path,
                message: e.to_string(),
            });
        }
    };
    match SavedReport::parse(&text) {
        Ok(saved) => Ok(LoadedReport { night, dir, saved }),
        Err(e) => Err(ReportProblem::Invalid {
            path,
            message: e.to_string(),
        }),
    }
}

/// Resolves a corpus-relative path inside `root`, refusing anything that escapes it (`..`,
/// absolute paths, symbolic links pointing outside).
pub fn resolve_in_root(root: &Path, relative: &str) -> Option<PathBuf> {
    let relative = Path::new(relative);
    if relative.is_absolute() {
        return None;
    }
    let root = root.canonicalize().ok()?;
    let candidate = root.join(relative).canonicalize().ok()?;
    (candidate.starts_with(&root) && candidate.is_file()).then_some(candidate)
}

/// Where a corpus file named by a report is: a file of its own, or a file inside an archive.
#[derive(Debug, PartialEq, Eq)]
pub enum CorpusPlace {
    File(PathBuf),
    /// `archive` is the corpus file (canonical, under the root); `member` its path inside, as
    /// the member's record names it after the first [`MEMBER_SEPARATOR`].
    Member {
        archive: PathBuf,
        archive_name: String,
        member: String,
    },
}

/// Resolves a name from a report (`min/sys/akt.pdf`, `min/sys/docs.zip!/folder/akt.pdf`) inside
/// `root`. The archive's part goes through [`resolve_in_root`]; the member's part is only ever
/// looked up inside the archive's bytes, never joined to a path.
pub fn resolve_corpus_name(root: &Path, name: &str) -> Option<CorpusPlace> {
    if let Some(file) = resolve_in_root(root, name) {
        return Some(CorpusPlace::File(file));
    }
    // A folder's own name may hold the separator; the archive is the first prefix that is a file.
    name.match_indices(MEMBER_SEPARATOR).find_map(|(at, separator)| {
        let (archive_name, member) = (&name[..at], &name[at + separator.len()..]);
        let archive = resolve_in_root(root, archive_name)?;
        (!member.is_empty()).then(|| CorpusPlace::Member {
            archive,
            archive_name: archive_name.to_string(),
            member: member.to_string(),
        })
    })
}

/// The folders of a report directory whose files can be downloaded, besides its own files.
pub const SUBMISSIONS_DIR: &str = "submissions";
pub const LETTERS_DIR: &str = "letters";

fn plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

/// A file of the report directory by its bare name (summary.xlsx, report.json): no separators.
pub fn report_file(dir: &Path, name: &str) -> Option<PathBuf> {
    if !plain_name(name) {
        return None;
    }
    resolve_in_root(dir, name)
}

/// A file of the report directory that may be downloaded: a bare name (`summary.xlsx`), or a
/// bare name in `submissions/` or `letters/`; nothing else, and never outside the directory.
pub fn downloadable(dir: &Path, name: &str) -> Option<PathBuf> {
    // A hidden file (the report directory's manifest) is bookkeeping, not a report.
    if name.starts_with('.') || name.contains("/.") {
        return None;
    }
    match name.split_once('/') {
        None => report_file(dir, name),
        Some((folder, file)) if (folder == SUBMISSIONS_DIR || folder == LETTERS_DIR) && plain_name(file) => {
            resolve_in_root(dir, name)
        }
        Some(_) => None,
    }
}

/// The bare names of the report directory's own files, sorted.
pub fn report_files(dir: &Path) -> Vec<String> {
    files_in(dir)
}

/// The letters of one submission: `letters/<name>.*`, by the file-name prefix the reports give
/// the submission ([`crate::report::file_names`]), sorted.
pub fn letters_of(dir: &Path, name: &str) -> Vec<String> {
    let prefix = format!("{name}.");
    files_in(&dir.join(LETTERS_DIR))
        .into_iter()
        .filter(|file| file.starts_with(&prefix))
        .map(|file| format!("{LETTERS_DIR}/{file}"))
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_json_that_is_not_a_report_is_a_problem_not_a_panic() {
        let state = tempfile::tempdir().unwrap();
        let dir = state.path().join("reports").join("2026-11-22");
        std::fs::create_dir_all(&dir).unwrap();
        for text in ["not json", "{}", r#"{"as_of": "2026-11-22", "submissions": 3}"#, "[]"] {
            std::fs::write(dir.join("report.json"), text).unwrap();
            assert!(
                matches!(
                    load_latest_report(&StateDir::new(state.path())),
                    Err(ReportProblem::Invalid { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn paths_outside_the_root_are_refused() {
        let base = tempfile::tempdir().unwrap();
        let root = base.path().join("corpus");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/doc.txt"), "x").unwrap();
        std::fs::write(base.path().join("secret.txt"), "x").unwrap();
        assert!(resolve_in_root(&root, "a/doc.txt").is_some());
        assert!(resolve_in_root(&root, "../secret.txt").is_none());
        assert!(resolve_in_root(&root, "a/../../secret.txt").is_none());
        assert!(resolve_in_root(&root, base.path().join("secret.txt").to_str().unwrap()).is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.path().join("secret.txt"), root.join("link.txt")).unwrap();
            assert!(resolve_in_root(&root, "link.txt").is_none());
        }
        assert!(report_file(&root, "a/doc.txt").is_none());
        assert!(report_file(&root, "..").is_none());
        std::fs::create_dir_all(root.join("letters")).unwrap();
        std::fs::write(root.join("letters/IS-1.ru.md"), "x").unwrap();
        std::fs::write(root.join("letters/IS-1-2.ru.md"), "x").unwrap();
        assert!(downloadable(&root, "letters/IS-1.ru.md").is_some());
        assert_eq!(letters_of(&root, "IS-1"), ["letters/IS-1.ru.md"]);
        // The manifest is bookkeeping: neither listed nor served.
        std::fs::write(root.join(".portalcheck-manifest"), "x").unwrap();
        std::fs::write(root.join("letters/.hidden"), "x").unwrap();
        assert!(!report_files(&root).iter().any(|f| f.starts_with('.')));
        assert!(downloadable(&root, ".portalcheck-manifest").is_none());
        assert!(downloadable(&root, "letters/.hidden").is_none());
        for refused in [
            "a/doc.txt",
            "letters/../a/doc.txt",
            "letters/",
            "submissions/../../secret.txt",
            "../secret.txt",
        ] {
            assert!(downloadable(&root, refused).is_none(), "{refused}");
        }
    }
}
