//! The relevance test set: queries an analyst would type, in Russian and in Kazakh, each with the
//! documents that must come first (`tests/relevance/queries.toml`), over the sample corpus and
//! the legal seed texts (`tests/fixtures/seeds/`), and one copy of each fidelity text.
//! Reports MRR and recall@10 per language and fails below MRR 0.9 or recall@10 1.0.

use std::collections::BTreeMap;

use portalcheck::corpus::discover;
use portalcheck::extract::Limits;
use portalcheck::index::{DocIndex, SearchOptions, search};
use portalcheck::pipeline::ingest;
use portalcheck::rules::Rules;
use serde::Deserialize;

mod support;

use support::{copy_tree, root};

const MIN_MRR: f64 = 0.9;
const MIN_RECALL_AT_10: f64 = 1.0;
/// Pages fetched per query before grouping them into documents.
const PAGES_FETCHED: usize = 200;

#[derive(Deserialize)]
struct TestSet {
    query: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    lang: String,
    q: String,
    /// Corpus-relative paths of the documents that must rank first (in any order among themselves).
    relevant: Vec<String>,
    /// Why these documents and not others (for the reader of a failure).
    #[allow(dead_code)]
    why: Option<String>,
}

const FIDELITY_REPRESENTATIVES: &[&str] = &["libreoffice.pdf", "scan_300dpi.pdf"];

/// Distinct files in the order their best page ranks.
fn ranked_files(index: &DocIndex, query: &str) -> Vec<String> {
    let results = search(
        index,
        query,
        &SearchOptions {
            limit: PAGES_FETCHED,
            ..SearchOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("query `{query}` failed: {e}"));
    let mut files: Vec<String> = Vec::new();
    for hit in results.hits {
        if !files.contains(&hit.file) {
            files.push(hit.file);
        }
    }
    files
}

#[test]
fn relevance_meets_the_bar_in_both_languages() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    copy_tree(&root().join("corpora/sample"), &corpus.join("sample"));
    copy_tree(&root().join("tests/fixtures/seeds"), &corpus.join("seeds"));
    // The fidelity set is one technical specification and one act, each through many producers;
    // one copy of each (the act as a scan, so OCR text is searched too) is what a corpus holds.
    for name in FIDELITY_REPRESENTATIVES {
        let target = corpus.join("fidelity").join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(root().join("corpora/fidelity").join(name), target).unwrap();
    }
    let rules = Rules::embedded().unwrap();
    let index = DocIndex::in_memory().unwrap();
    ingest(&discover(&corpus).unwrap(), &index, &rules, &Limits::default()).unwrap();

    let set: TestSet =
        toml::from_str(&std::fs::read_to_string(root().join("tests/relevance/queries.toml")).unwrap()).unwrap();
    // lang -> (sum of reciprocal ranks, sum of recall@10, queries)
    let mut by_lang: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    let mut report = Vec::new();
    for case in &set.query {
        let files = ranked_files(&index, &case.q);
        for relevant in &case.relevant {
            assert!(
                corpus.join(relevant).is_file(),
                "`{relevant}` (query `{}`) is not a corpus file",
                case.q
            );
        }
        let first_relevant = files.iter().position(|f| case.relevant.contains(f));
        let reciprocal = first_relevant.map_or(0.0, |rank| 1.0 / (rank + 1) as f64);
        let top10 = &files[..files.len().min(10)];
        let recall = case.relevant.iter().filter(|r| top10.contains(r)).count() as f64 / case.relevant.len() as f64;
        let entry = by_lang.entry(case.lang.clone()).or_default();
        entry.0 += reciprocal;
        entry.1 += recall;
        entry.2 += 1;
        if reciprocal < 1.0 || recall < 1.0 {
            report.push(format!(
                "[{}] `{}`: RR {reciprocal:.2}, recall@10 {recall:.2}; top: {:?}",
                case.lang,
                case.q,
                &files[..files.len().min(5)]
            ));
        }
    }
    let mut failures = Vec::new();
    for (lang, (rr, recall, n)) in &by_lang {
        let (mrr, recall) = (rr / *n as f64, recall / *n as f64);
        println!("relevance [{lang}]: {n} queries, MRR {mrr:.3}, recall@10 {recall:.3}");
        if mrr < MIN_MRR || recall < MIN_RECALL_AT_10 {
            failures.push(format!("[{lang}] MRR {mrr:.3}, recall@10 {recall:.3}"));
        }
    }
    for line in &report {
        println!("  {line}");
    }
    assert!(
        by_lang.contains_key("ru") && by_lang.contains_key("kk"),
        "both languages need queries"
    );
    assert!(
        failures.is_empty(),
        "below the bar (MRR ≥ {MIN_MRR}, recall@10 ≥ {MIN_RECALL_AT_10}): {failures:?}\n{}",
        report.join("\n")
    );
}
