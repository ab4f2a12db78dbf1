//! Writes the deterministic benchmark corpus: `cargo run --release --example gen_corpus -- OUT N [SEED]`
//! leaves N submissions in OUT/corpus and what each file is meant to be in OUT/expected.json.

#[path = "../benches/support/corpus_gen.rs"]
#[allow(dead_code)]
mod corpus_gen;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, count, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: gen_corpus OUT SUBMISSIONS [SEED]");
    };
    let submissions: usize = count.parse().context("SUBMISSIONS must be a number")?;
    let seed: u64 = rest
        .first()
        .map(|s| s.parse())
        .transpose()
        .context("SEED must be a number")?
        .unwrap_or(29);
    let out = std::path::Path::new(out);
    let started = std::time::Instant::now();
    let expected =
        corpus_gen::generate(out, submissions, seed).with_context(|| format!("writing {}", out.display()))?;
    let took = started.elapsed().as_secs_f64();
    let files = expected.files().count();
    let bytes: u64 = expected.files().map(|(_, f)| f.bytes).sum();
    let pages: u32 = expected.files().map(|(_, f)| f.pages).sum();
    let scans: usize = expected.files().map(|(_, f)| f.scans.len()).sum();
    println!(
        "{submissions} submissions, {files} files, {pages} pages ({scans} scanned), {:.1} MB in {} in {took:.1} s",
        bytes as f64 / 1e6,
        out.display()
    );
    if scans > 0 {
        let scan_time = corpus_gen::scan_seconds();
        println!(
            "scanned pages: {:.3} s each to render and encode ({:.1} s of the {took:.1} s)",
            scan_time / scans as f64,
            scan_time
        );
    }
    Ok(())
}
