//! Discovery: which files are in the corpus and which submission each belongs to.
//!
//! A submission is a directory holding an object card ([`CARD_FILE_NAME`]); every file below it
//! belongs to it unless a deeper card claims it. Files with no card above them are grouped into
//! card-less submissions (the largest directory around them that holds no card), so that every
//! file found is accounted for. Links are never followed: a link is reported as a file of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::card::CARD_FILE_NAME;

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

    let mut files = Vec::new();
    for entry in WalkDir::new(root).follow_links(false).sort_by_file_name() {
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
    })
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
}
