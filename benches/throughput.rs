//! The throughput benchmark (`cargo bench --bench throughput`; see BENCHMARKS.md).
//!
//! For each corpus size (files; `PORTALCHECK_BENCH_FILES=1000,5000,10000` by default) it generates
//! the deterministic corpus once (cached under `target/bench-corpus/`, not timed), then measures:
//! the cold `check` (fresh index, reports written), the same PDFs through `pdftotext -raw` with two
//! parallel processes, and a re-run with nothing changed. Each child is waited for with `wait4`, so
//! its peak RSS (the largest of it and the workers it waited for) is its own.
//! It then compares the report with what the generator meant and prints every mismatch count.

#[path = "support/corpus_gen.rs"]
#[allow(dead_code)]
mod corpus_gen;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SEED: u64 = 29;
/// Submissions carry 4 to 6 files; this many submissions make about 1000 files.
const FILES_PER_SUBMISSION: f64 = 5.8;

struct Measured {
    wall: Duration,
    peak_rss_kib: i64,
    success: bool,
}

/// Runs `command` to the end and measures its wall time and peak RSS (its own and its reaped
/// descendants', as the kernel reports through `wait4`).
fn measure(command: &mut Command) -> Measured {
    let start = Instant::now();
    let child = match command.stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot start {command:?}: {e}");
            return Measured {
                wall: Duration::ZERO,
                peak_rss_kib: 0,
                success: false,
            };
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 writes it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet reaped (std never waits for it: `child` is only dropped).
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    drop(child);
    Measured {
        wall,
        peak_rss_kib: usage.ru_maxrss,
        success: rc == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
    }
}

/// `pdftotext -raw` over `pdfs`, two processes at a time: wall time and the largest peak RSS.
fn pdftotext(pdfs: &[PathBuf]) -> Option<Measured> {
    if Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return None;
    }
    let queue = Mutex::new(pdfs.iter());
    let peak = Mutex::new(0i64);
    let failures = Mutex::new(0usize);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.next().cloned()).unwrap_or(None);
                    let Some(pdf) = next else { break };
                    let run = measure(Command::new("pdftotext").arg("-raw").arg(&pdf).arg("-"));
                    if let Ok(mut p) = peak.lock() {
                        *p = (*p).max(run.peak_rss_kib);
                    }
                    if !run.success
                        && let Ok(mut f) = failures.lock()
                    {
                        *f += 1;
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or(0);
    if failures > 0 {
        eprintln!("pdftotext failed on {failures} PDFs");
    }
    Some(Measured {
        wall: start.elapsed(),
        peak_rss_kib: peak.into_inner().unwrap_or(0),
        success: failures == 0,
    })
}

fn check(corpus: &Path, index: &Path, out: &Path) -> Measured {
    measure(
        Command::new(env!("CARGO_BIN_EXE_portalcheck"))
            .arg("check")
            .arg(corpus)
            .arg("--index")
            .arg(index)
            .arg("--out")
            .arg(out)
            .arg("--as-of")
            .arg(corpus_gen::AS_OF),
    )
}

/// Mismatches between `report.json` and what the generator meant: (verdicts, doc types, missing).
fn compare(report: &Path, expected: &corpus_gen::Expected) -> (usize, usize, usize, Vec<String>) {
    let report: serde_json::Value = match std::fs::read(report).map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(value)) => value,
        _ => {
            return (
                0,
                0,
                expected.submissions.len(),
                vec![format!("cannot read {}", report.display())],
            );
        }
    };
    let mut seen_verdicts = BTreeMap::new();
    let mut seen_types = BTreeMap::new();
    for submission in report["submissions"].as_array().into_iter().flatten() {
        let id = submission["object_id"].as_str().unwrap_or_default().to_string();
        seen_verdicts.insert(id, submission["verdict"].as_str().unwrap_or_default().to_string());
        for file in submission["files"].as_array().into_iter().flatten() {
            let name = file["file"].as_str().unwrap_or_default().to_string();
            seen_types.insert(name, file["doc_type"].as_str().unwrap_or("-").to_string());
        }
    }
    let (mut verdicts, mut types, mut missing) = (0, 0, 0);
    let mut examples = Vec::new();
    for (id, submission) in &expected.submissions {
        match seen_verdicts.get(id) {
            None => missing += 1,
            Some(v) if *v != submission.verdict => {
                verdicts += 1;
                if examples.len() < 5 {
                    examples.push(format!("{id}: verdict {v}, meant {}", submission.verdict));
                }
            }
            Some(_) => {}
        }
        for (name, file) in &submission.files {
            match seen_types.get(name) {
                None => missing += 1,
                Some(t) if *t != file.doc_type => {
                    types += 1;
                    if examples.len() < 10 {
                        examples.push(format!("{name}: type {t}, meant {}", file.doc_type));
                    }
                }
                Some(_) => {}
            }
        }
    }
    (verdicts, types, missing, examples)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument would be meaningless here.
    let sizes: Vec<usize> = std::env::var("PORTALCHECK_BENCH_FILES")
        .unwrap_or_else(|_| "1000,5000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    println!(
        "portalcheck throughput benchmark, seed {SEED}, as of {}",
        corpus_gen::AS_OF
    );
    for files in sizes {
        let submissions = ((files as f64) / FILES_PER_SUBMISSION).round().max(1.0) as usize;
        let out = target.join(format!("bench-corpus/{submissions}-{SEED}"));
        let generated = Instant::now();
        let expected = match corpus_gen::read_expected(&out) {
            Ok(expected) => expected,
            Err(_) => {
                let _ = std::fs::remove_dir_all(&out);
                match corpus_gen::generate(&out, submissions, SEED) {
                    Ok(expected) => {
                        println!(
                            "generated {} in {:.1} s",
                            out.display(),
                            generated.elapsed().as_secs_f64()
                        );
                        expected
                    }
                    Err(e) => {
                        eprintln!("cannot generate {}: {e}", out.display());
                        std::process::exit(2);
                    }
                }
            }
        };
        let corpus = corpus_gen::corpus_dir(&out);
        let n_files = expected.files().count();
        let pages: u64 = expected.files().map(|(_, f)| f.pages as u64).sum();
        let image_pages: u64 = expected.files().map(|(_, f)| f.image_pages as u64).sum();
        let bytes: u64 = expected.files().map(|(_, f)| f.bytes).sum();
        println!(
            "\n== {n_files} files ({submissions} submissions), {pages} pages ({image_pages} image-only), {:.1} MB",
            bytes as f64 / 1e6
        );

        let scratch = target.join(format!("bench-run/{submissions}"));
        let _ = std::fs::remove_dir_all(&scratch);
        let index = scratch.join("index");
        let cold = check(&corpus, &index, &scratch.join("cold"));
        let secs = cold.wall.as_secs_f64();
        println!(
            "cold check      {:8.2} s  {:8.1} files/s  {:8.1} pages/s  {:6.2} MB/s  peak RSS {:6.0} MiB{}",
            secs,
            n_files as f64 / secs,
            pages as f64 / secs,
            bytes as f64 / 1e6 / secs,
            cold.peak_rss_kib as f64 / 1024.0,
            if cold.success { "" } else { "  (exit status not 0)" }
        );
        println!("  time per file {:.2} ms", secs * 1000.0 / n_files as f64);
        let (verdicts, types, missing, examples) = compare(&scratch.join("cold/report.json"), &expected);
        println!(
            "  against the generator: {verdicts} verdicts and {types} document types differ, {missing} not reported"
        );
        for example in examples {
            println!("    {example}");
        }

        let pdfs = corpus_gen::pdfs(&corpus, &expected);
        match pdftotext(&pdfs) {
            Some(baseline) => {
                let b = baseline.wall.as_secs_f64();
                println!(
                    "pdftotext -raw  {:8.2} s  ({} PDFs, 2 processes, peak RSS {:.0} MiB)   ours / pdftotext = {:.2}",
                    b,
                    pdfs.len(),
                    baseline.peak_rss_kib as f64 / 1024.0,
                    secs / b
                );
            }
            None => println!("pdftotext not installed: no baseline"),
        }

        let unchanged = check(&corpus, &index, &scratch.join("unchanged"));
        println!(
            "re-run, nothing changed {:8.2} s   ratio to cold {:.3}   peak RSS {:.0} MiB",
            unchanged.wall.as_secs_f64(),
            unchanged.wall.as_secs_f64() / secs,
            unchanged.peak_rss_kib as f64 / 1024.0
        );
    }
}
