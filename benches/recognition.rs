//! Recognition alone: the time `classify`, `read_facts` and `split_documents` take per file, on
//! text already extracted, and a digest of everything they found.
//!
//! ```text
//! cargo bench --bench recognition                       # the sample corpus
//! cargo bench --bench recognition -- target/bench-corpus/172-29-v2/corpus
//! ```
//!
//! A change meant only to be faster must leave the digest as it was: compare it before and after.
//! Cards are read from each submission's `object.xml`; a file without one is skipped (facts are
//! read against a card). Extraction runs once, in this process, without OCR; recognition runs
//! `REPEATS` times and the fastest pass counts (the machines are shared and noisy).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use portalcheck::card::{ObjectCard, parse_card};
use portalcheck::extract::{Limits, Page, extract_file};
use portalcheck::recognize::{NormalizedDoc, classify, read_facts, split_documents};
use portalcheck::rules::Rules;

const REPEATS: usize = 5;

/// The card of the submission a file belongs to: the nearest `object.xml` above it.
fn card_for(file: &Path, root: &Path) -> Option<ObjectCard> {
    file.ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(root))
        .find_map(|dir| std::fs::read(dir.join("object.xml")).ok())
        .and_then(|bytes| parse_card(&bytes).ok())
}

#[derive(Default, Clone, Copy)]
struct Stages {
    normalize: Duration,
    classify: Duration,
    facts: Duration,
    split: Duration,
}

impl Stages {
    fn total(&self) -> Duration {
        self.normalize + self.classify + self.facts + self.split
    }
}

/// One pass over every file: the time of each stage, and the digest of what they found.
fn recognise_all(rules: &Rules, files: &[(Vec<Page>, ObjectCard)]) -> (Stages, u64) {
    let mut stages = Stages::default();
    let mut digest = DefaultHasher::new();
    for (pages, card) in files {
        let started = Instant::now();
        let doc = NormalizedDoc::new(pages);
        let normalized = Instant::now();
        let classification = classify(rules, &doc);
        let classified = Instant::now();
        let facts = read_facts(rules, &doc, pages, Some(card));
        let read = Instant::now();
        let parts = split_documents(rules, pages, Some(card));
        let split = Instant::now();
        stages.normalize += normalized - started;
        stages.classify += classified - normalized;
        stages.facts += read - classified;
        stages.split += split - read;
        format!("{classification:?}{facts:?}{parts:?}").hash(&mut digest);
    }
    (stages, digest.finish())
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/sample"));
    let rules = match Rules::embedded() {
        Ok(rules) => rules,
        Err(e) => {
            eprintln!("the shipped rules do not load: {e}");
            std::process::exit(1);
        }
    };
    let limits = Limits::without_ocr();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file() || path.file_name().is_some_and(|name| name == "object.xml") {
            continue;
        }
        let Some(card) = card_for(path, &root) else { continue };
        let extracted = extract_file(path, &limits);
        if !extracted.pages.is_empty() {
            files.push((extracted.pages, card));
        }
    }
    let pages: usize = files.iter().map(|(pages, _)| pages.len()).sum();
    println!(
        "recognition over {} ({} files with text and a card, {pages} pages)",
        root.display(),
        files.len()
    );
    if files.is_empty() {
        return;
    }
    let passes: Vec<(Stages, u64)> = (0..REPEATS).map(|_| recognise_all(&rules, &files)).collect();
    let Some((best, digest)) = passes.iter().min_by_key(|(stages, _)| stages.total()) else {
        return;
    };
    if passes.iter().any(|(_, other)| other != digest) {
        println!("the passes found different things: recognition is not deterministic");
    }
    let per_file = |d: Duration| d.as_secs_f64() * 1000.0 / files.len() as f64;
    println!(
        "fastest of {REPEATS} passes, ms per file: normalise {:.3}  classify {:.3}  facts {:.3}  split {:.3}  total {:.3}",
        per_file(best.normalize),
        per_file(best.classify),
        per_file(best.facts),
        per_file(best.split),
        per_file(best.total()),
    );
    println!("digest of every classification, fact and part: {digest:016x}");
}
