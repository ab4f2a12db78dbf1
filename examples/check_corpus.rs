//! The whole data flow in one screen: discover a corpus, read and check every submission, and
//! render the verdicts.
//!
//! `cargo run --release --example check_corpus -- corpora/sample 2026-06-01`
//!
//! This is `portalcheck check` without the command line: the index is built in memory, files are
//! read in this process (no worker per file, so no memory or time limit), and only the verdicts
//! and their reasons are printed. Everything the law requires comes from `schemas/`.

use anyhow::Context;
use portalcheck::corpus::discover;
use portalcheck::date::Date;
use portalcheck::extract::Limits;
use portalcheck::index::DocIndex;
use portalcheck::lang::Lang;
use portalcheck::pipeline::ingest_and_check;
use portalcheck::report::Report;
use portalcheck::rules::Rules;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, as_of] = args.as_slice() else {
        anyhow::bail!("usage: check_corpus CORPUS YYYY-MM-DD");
    };
    let as_of: Date = as_of.parse().context("the date is YYYY-MM-DD")?;

    // Rules first: a bad pattern stops the run before any file is read.
    let rules = Rules::embedded()?;
    let corpus = discover(std::path::Path::new(corpus))?;
    let index = DocIndex::in_memory()?;
    // Ingest (extract, classify, read facts, index) and check (evaluate every submission from
    // the stored records, never from page text): the one entry point `check` and `nightly` use.
    let run = ingest_and_check(&corpus, &index, &rules, &Limits::without_ocr(), as_of, &())?;
    // Evaluation returned structured findings; the report turns them into sentences.
    let report = Report::build(&rules, &run.checked, as_of, Lang::En);
    for submission in &report.submissions {
        println!(
            "{}: {}. {}",
            submission.path,
            submission.verdict.as_str(),
            submission.summary
        );
        for requirement in &submission.requirements {
            println!("  {} ({}): {}", requirement.title, requirement.cite, requirement.reason);
        }
    }
    Ok(())
}
