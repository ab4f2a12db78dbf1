//! Discovery: which files are in the corpus and which submission each belongs to.
//!
//! A submission is a directory holding an object card ([`CARD_FILE_NAME`]); every file below it
//! belongs to it unless a deeper card claims it. Files with no card above them are grouped into
//! card-less submissions (the largest directory around them that holds no card), so that every
//! file found is accounted for. Links are never followed: a link is reported as a file of its own.
//!
//! Directories portalcheck itself writes are not part of the corpus: the run's own state, index
//! and report directories when they lie under the root, and any directory that looks like one
//! (`state_dir::portalcheck_output`: a state directory copied into the share). They are skipped
//! and listed in [`Corpus::skipped`], so a run never reads its own reports as a submission.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::card::CARD_FILE_NAME;
use crate::state_dir::portalcheck_output;

/// Path of a file or directory relative to the corpus root, with `/` separators; `.` is the root.
pub type RelPath = String;

/// What we know of a file without opening it: enough to tell whether it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub size: u64,
    pub modified_ns: u64,
}

#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub rel: RelPath,
    pub abs: PathBuf,
    pub fingerprint: Fingerprint,
    /// Set when discovery already knows the file cannot be read as a document.
    pub problem: Option<DiscoveryProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryProblem {
    /// A symbolic link: never followed, so a link cannot lead out of the corpus or into a loop.
    Symlink { target: String },
    /// Not a regular file (device, socket, FIFO).
    Special,
    /// The walk could not read this entry (e.g. a directory without permission).
    Unreadable(String),
}

impl std::fmt::Display for DiscoveryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoveryProblem::Symlink { target } => write!(f, "symbolic link to `{target}`: links are not followed"),
            DiscoveryProblem::Special => write!(f, "not a regular file (device, socket or pipe)"),
            DiscoveryProblem::Unreadable(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Submission {
    /// The submission directory relative to the corpus root.
    pub dir: RelPath,
    /// The card, when the directory has one (it is also among `files`).
    pub card: Option<RelPath>,
    /// Every file of the submission, the card included, sorted by path.
    pub files: Vec<CorpusFile>,
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub submissions: Vec<Submission>,
    /// Directories under the root that were not read, because portalcheck wrote them.
    pub skipped: Vec<SkippedDir>,
}

/// A directory discovery left out, and why (a sentence for the operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDir {
    pub dir: RelPath,
    pub reason: String,
}

impl Corpus {
    pub fn file_count(&self) -> usize {
        self.submissions.iter().map(|s| s.files.len()).sum()
    }

    pub fn files(&self) -> impl Iterator<Item = &CorpusFile> {
        self.submissions.iter().flat_map(|s| s.files.iter())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("corpus root `{path}` cannot be read: {source}")]
    Root { path: PathBuf, source: std::io::Error },
    #[error("corpus root `{0}` is not a directory")]
    NotADirectory(PathBuf),
}

/// Walks the corpus and assigns every file to exactly one submission.
pub fn discover(root: &Path) -> Result<Corpus, DiscoveryError> {
    discover_excluding(root, &[])
}

/// [`discover`], leaving out the directories this run writes (`own_output`: the state's index,
/// history and reports, `--index`, `--out`) when they lie under the root. Paths are compared
/// canonicalised, so `./state` and an absolute spelling of it are the same directory.
pub fn discover_excluding(root: &Path, own_output: &[&Path]) -> Result<Corpus, DiscoveryError> {
    let metadata = std::fs::metadata(root).map_err(|source| DiscoveryError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(DiscoveryError::NotADirectory(root.to_path_buf()));
    }
    std::fs::read_dir(root).map_err(|source| DiscoveryError::Root {
        path: root.to_path_buf(),
        source,
    })?;

    let own = own_output_under(root, own_output);
    let mut skipped = Vec::new();
    let mut files = Vec::new();
    let walk = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 || !entry.file_type().is_dir() {
                return true;
            }
            let rel = relative(root, entry.path());
            let reason = if own.contains(&rel) {
                Some("this run's own output (--state, --index or --out)")
            } else {
                portalcheck_output(entry.path())
            };
            match reason {
                Some(reason) => {
                    skipped.push(SkippedDir {
                        dir: rel,
                        reason: reason.to_string(),
                    });
                    false
                }
                None => true,
            }
        });
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => files.push(describe(root, entry.path(), &entry)),
            Err(error) => {
                // An unreadable directory or entry still becomes a line in the report.
                let path = error.path().unwrap_or(root).to_path_buf();
                let reason = error
                    .io_error()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| error.to_string());
                files.push(CorpusFile {
                    rel: relative(root, &path),
                    abs: path,
                    fingerprint: Fingerprint {
                        size: 0,
                        modified_ns: 0,
                    },
                    problem: Some(DiscoveryProblem::Unreadable(reason)),
                });
            }
        }
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        submissions: group(files),
        skipped,
    })
}

/// The directories of `paths` that lie strictly under `root`, as relative paths. A path that does
/// not exist yet is resolved through its parent (a report directory this run will create).
fn own_output_under(root: &Path, paths: &[&Path]) -> BTreeSet<RelPath> {
    let Ok(root) = root.canonicalize() else {
        return BTreeSet::new();
    };
    let resolve = |path: &Path| {
        path.canonicalize().ok().or_else(|| {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Some(parent.canonicalize().ok()?.join(path.file_name()?))
        })
    };
    paths
        .iter()
        .filter_map(|path| resolve(path))
        .filter(|path| path != &root && path.starts_with(&root))
        .map(|path| relative(&root, &path))
        .collect()
}

fn describe(root: &Path, path: &Path, entry: &walkdir::DirEntry) -> CorpusFile {
    let rel = relative(root, path);
    let metadata = entry.metadata();
    let fingerprint = metadata
        .as_ref()
        .map(|m| Fingerprint {
            size: m.len(),
            modified_ns: m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0),
        })
        .unwrap_or(Fingerprint {
            size: 0,
            modified_ns: 0,
        });
    let problem = if entry.path_is_symlink() {
        let target = std::fs::read_link(path)
            .map(|t| t.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(DiscoveryProblem::Symlink { target })
    } else {
        match &metadata {
            Ok(m) if m.is_file() => None,
            Ok(_) => Some(DiscoveryProblem::Special),
            Err(e) => Some(DiscoveryProblem::Unreadable(e.to_string())),
        }
    };
    CorpusFile {
        rel,
        abs: path.to_path_buf(),
        fingerprint,
        problem,
    }
}

fn relative(root: &Path, path: &Path) -> RelPath {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(".")
}

/// Ancestors of a relative directory from the nearest outwards, the root (`.`) last.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current == "." { None } else { Some(parent_of(current)) };
        Some(current)
    })
}

fn group(files: Vec<CorpusFile>) -> Vec<Submission> {
    let card_dirs: BTreeSet<String> = files
        .iter()
        .filter(|f| f.problem.is_none() && f.rel.rsplit('/').next() == Some(CARD_FILE_NAME))
        .map(|f| parent_of(&f.rel).to_string())
        .collect();
    // Directories with a card somewhere at or below them: a card-less group must not contain one.
    let holds_card: BTreeSet<&str> = card_dirs.iter().flat_map(|d| ancestors(d)).collect();

    let mut by_dir: BTreeMap<String, Submission> = BTreeMap::new();
    for file in files {
        let dir = parent_of(&file.rel);
        let owner = match ancestors(dir).find(|d| card_dirs.contains(*d)) {
            Some(card_dir) => card_dir.to_string(),
            None => cardless_group(dir, &holds_card),
        };
        let submission = by_dir.entry(owner.clone()).or_insert_with(|| Submission {
            card: card_dirs.contains(&owner).then(|| join(&owner, CARD_FILE_NAME)),
            dir: owner,
            files: Vec::new(),
        });
        submission.files.push(file);
    }
    by_dir.into_values().collect()
}

/// The outermost directory around `dir` (below the root) that holds no card; the root itself when
/// the file lies directly in it.
fn cardless_group(dir: &str, holds_card: &BTreeSet<&str>) -> String {
    let chain: Vec<&str> = ancestors(dir).filter(|d| *d != ".").collect();
    chain
        .into_iter()
        .rev()
        .find(|d| !holds_card.contains(d))
        .unwrap_or(".")
        .to_string()
}

pub fn join(dir: &str, name: &str) -> RelPath {
    if dir == "." {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str) -> CorpusFile {
        CorpusFile {
            rel: rel.to_string(),
            abs: PathBuf::from(rel),
            fingerprint: Fingerprint {
                size: 1,
                modified_ns: 1,
            },
            problem: None,
        }
    }

    fn layout(paths: &[&str]) -> Vec<(String, Option<String>, Vec<String>)> {
        group(paths.iter().map(|p| file(p)).collect())
            .into_iter()
            .map(|s| (s.dir, s.card, s.files.into_iter().map(|f| f.rel).collect()))
            .collect()
    }

    #[test]
    fn files_belong_to_the_nearest_card_above_them() {
        let got = layout(&[
            "mcr/is-a/object.xml",
            "mcr/is-a/docs/akt.pdf",
            "mcr/is-a/nested/object.xml",
            "mcr/is-a/nested/tz.pdf",
        ]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "mcr/is-a");
        assert_eq!(got[0].1.as_deref(), Some("mcr/is-a/object.xml"));
        assert_eq!(got[0].2, vec!["mcr/is-a/object.xml", "mcr/is-a/docs/akt.pdf"]);
        assert_eq!(got[1].2, vec!["mcr/is-a/nested/object.xml", "mcr/is-a/nested/tz.pdf"]);
    }

    #[test]
    fn cardless_files_group_by_the_largest_directory_without_a_card() {
        let got = layout(&[
            "mcr/is-a/object.xml",
            "mcr/loose/docs/a.pdf",
            "mcr/loose/scans/b.pdf",
            "orphans/c.pdf",
            "stray.txt",
        ]);
        let dirs: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(dirs, vec![".", "mcr/is-a", "mcr/loose", "orphans"]);
        assert_eq!(got[2].2.len(), 2, "both subfolders of mcr/loose form one submission");
        assert!(got[0].1.is_none() && got[2].1.is_none());
    }

    #[test]
    fn every_file_is_assigned_exactly_once() {
        let paths = [
            "a/object.xml",
            "a/x.pdf",
            "a/b/object.xml",
            "a/b/y.pdf",
            "c/z.pdf",
            "w.pdf",
        ];
        let assigned: usize = group(paths.iter().map(|p| file(p)).collect())
            .iter()
            .map(|s| s.files.len())
            .sum();
        assert_eq!(assigned, paths.len());
    }

    #[test]
    fn portalcheck_output_under_the_root_is_skipped_and_named() {
        let root = tempfile::tempdir().unwrap();
        let put = |rel: &str| {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        };
        put("body/is-a/object.xml");
        put("body/is-a/akt.pdf");
        // A state directory copied into the share, and this run's own --out.
        put("old-state/index/meta.json");
        put("old-state/history/2026-11-20.json");
        put("old-state/reports/2026-11-20/report.json");
        put("out/2026-11-22/report.json");
        put("checked/.portalcheck-manifest");
        put("checked/submissions/IS-1.md");
        let out = root.path().join("out");
        let corpus = discover_excluding(root.path(), &[&out, &root.path().join("not-yet")]).unwrap();
        let files: Vec<&str> = corpus.files().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["body/is-a/akt.pdf", "body/is-a/object.xml"]);
        let skipped: Vec<&str> = corpus.skipped.iter().map(|s| s.dir.as_str()).collect();
        assert_eq!(skipped, ["checked", "old-state", "out"]);
        assert!(corpus.skipped[2].reason.contains("own output"));
        // Not named as this run's output, a lone report.json is a file like any other.
        let plain = discover(root.path()).unwrap();
        assert!(plain.files().any(|f| f.rel == "out/2026-11-22/report.json"));
        assert_eq!(plain.skipped.len(), 2);
    }
}
