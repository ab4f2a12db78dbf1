//! The nightly state directory: a contract between `nightly`, which writes it, and `serve`, which
//! reads it. This type is the one place its layout is spelled out.
//!
//! - `<state>/index/`: the Tantivy index (as `ingest --index` keeps it);
//! - `<state>/history/<YYYY-MM-DD>.json`: one snapshot per run date (`history`);
//! - `<state>/reports/<YYYY-MM-DD>/`: the reports, unless `nightly --out` puts them elsewhere.

use std::path::{Path, PathBuf};

use crate::date::Date;

/// The file every report directory holds; `serve` takes a directory without it for unfinished.
pub const REPORT_JSON: &str = "report.json";

#[derive(Debug, Clone)]
pub struct StateDir {
    root: PathBuf,
}

impl StateDir {
    pub fn new(root: impl Into<PathBuf>) -> StateDir {
        StateDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn index(&self) -> PathBuf {
        self.root.join("index")
    }

    pub fn history(&self) -> PathBuf {
        self.root.join("history")
    }

    /// Where dated report directories go when `--out` is not given.
    pub fn reports(&self) -> PathBuf {
        self.root.join("reports")
    }

    /// One night's reports under `reports` (the state's own, or `--out`).
    pub fn report_dir(reports: &Path, as_of: Date) -> PathBuf {
        reports.join(as_of.to_string())
    }

    /// The newest report directory: the greatest `reports/<name>/` that holds a `report.json`
    /// (dates sort as text), so a night still being written is not shown half-done.
    pub fn newest_reports(&self) -> Option<PathBuf> {
        self.finished_nights().into_iter().next().map(|(_, dir)| dir)
    }

    /// Every finished night: `reports/<name>/` holding a `report.json`, by name (a date), newest
    /// first. Names that are not UTF-8 are left out: nothing could link to them.
    pub fn finished_nights(&self) -> Vec<(String, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(self.reports()) else {
            return Vec::new();
        };
        let mut nights: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
            .filter(|(_, p)| p.join(REPORT_JSON).is_file())
            .collect();
        nights.sort_by(|a, b| b.0.cmp(&a.0));
        nights
    }

    /// The finished night called `name` (as [`StateDir::finished_nights`] lists it): a name from
    /// a request is only ever compared, never joined to a path.
    pub fn finished_night(&self, name: &str) -> Option<PathBuf> {
        self.finished_nights()
            .into_iter()
            .find(|(night, _)| night == name)
            .map(|(_, dir)| dir)
    }
}

// Issue 14, safe nightly runs (helper O): what marks a directory as portalcheck's own output, so
// discovery never reads a state, index or report directory that lies inside a corpus.

/// The list of files a report directory's writer put there (`report::files`): the next run
/// removes only those, never an analyst's own file beside them.
pub const MANIFEST: &str = ".portalcheck-manifest";

/// Where the analyst records answered applications (`nightly::answered`).
pub const ANSWERED: &str = "answered.toml";

/// Why `dir` looks like a directory portalcheck wrote, if it does: a state directory (its index
/// and history), an index (Tantivy's `meta.json` and `.managed.json`) or a report directory (its
/// manifest, or `report.json` beside the Markdown `check --out` writes). A few stats, no reads.
pub fn portalcheck_output(dir: &Path) -> Option<&'static str> {
    let has = |rel: &str| dir.join(rel).exists();
    if has("index/meta.json") && dir.join("history").is_dir() {
        Some("a portalcheck state directory (index/ and history/)")
    } else if has("meta.json") && has(".managed.json") {
        Some("a portalcheck index")
    } else if has(MANIFEST) {
        Some("a portalcheck report directory (it holds .portalcheck-manifest)")
    } else if has(REPORT_JSON) && (has("missing-documents.md") || has("summary.html")) {
        Some("a portalcheck report directory (report.json with its reports)")
    } else {
        None
    }
}

impl StateDir {
    /// `<state>/answered.toml`: applications the analyst has answered (`portalcheck answered`).
    pub fn answered(&self) -> PathBuf {
        self.root.join(ANSWERED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_reports_skips_a_night_without_its_report() {
        let state = tempfile::tempdir().unwrap();
        let dir = StateDir::new(state.path());
        assert_eq!(dir.newest_reports(), None);
        for (date, finished) in [("2026-11-30", true), ("2026-12-01", true), ("2026-12-02", false)] {
            let night = dir.reports().join(date);
            std::fs::create_dir_all(&night).unwrap();
            if finished {
                std::fs::write(night.join(REPORT_JSON), "{}").unwrap();
            }
        }
        assert_eq!(dir.newest_reports(), Some(dir.reports().join("2026-12-01")));
        let names: Vec<String> = dir.finished_nights().into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["2026-12-01", "2026-11-30"]);
        assert_eq!(dir.finished_night("2026-11-30"), Some(dir.reports().join("2026-11-30")));
        assert_eq!(dir.finished_night("2026-12-02"), None);
        assert_eq!(dir.finished_night("../reports/2026-11-30"), None);
    }
}
