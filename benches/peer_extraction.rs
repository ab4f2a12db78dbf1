//! Extraction time on the peer regression set (`corpora/peer/`, other projects' test PDFs)
//! against `pdftotext -raw` on the same file, in one run (`cargo bench --bench peer_extraction`;
//! see BENCHMARKS.md).
//!
//! For every PDF it takes the fastest of several runs of:
//! - `pdftotext -raw` as a process, the tool a user would reach for;
//! - `portalcheck extract --json --no-ocr` as a process (start-up, the extraction worker and the
//!   JSON included): the like-for-like comparison;
//! - the library's `extract_file` in process, without OCR: the work `ingest` does per file.
//!
//! It prints each file's figures and ratios, flags a ratio over 2, and the totals. The fastest
//! run is the figure least disturbed by other work on a shared machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use portalcheck::extract::{Limits, extract_file};

/// Runs per figure; the fastest counts.
const RUNS: usize = 5;
/// The bar: no text PDF may take longer than this many times `pdftotext`.
const MAX_RATIO: f64 = 2.0;

fn fastest(mut run: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn quietly(command: &mut Command) {
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status();
    if let Err(error) = status {
        eprintln!("cannot run {command:?}: {error}");
        std::process::exit(1);
    }
}

fn peer_pdfs(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["tika", "pdfbox"]
        .iter()
        .filter_map(|folder| std::fs::read_dir(root.join(folder)).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    files.sort();
    files
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/peer");
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/portalcheck");
    if !binary.is_file() {
        eprintln!("build the binary first: cargo build --release");
        std::process::exit(1);
    }
    let limits = Limits::without_ocr();
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "file", "pdftotext", "extract", "library", "proc×", "lib×"
    );
    let (mut poppler_total, mut process_total, mut library_total) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut over = Vec::new();
    for pdf in peer_pdfs(&root) {
        let poppler = fastest(|| {
            quietly(
                Command::new("pdftotext")
                    .args(["-raw", "-enc", "UTF-8"])
                    .arg(&pdf)
                    .arg("-"),
            )
        });
        let process = fastest(|| quietly(Command::new(&binary).args(["extract", "--json", "--no-ocr"]).arg(&pdf)));
        let library = fastest(|| {
            std::hint::black_box(extract_file(&pdf, &limits));
        });
        poppler_total += poppler;
        process_total += process;
        library_total += library;
        let process_ratio = process.as_secs_f64() / poppler.as_secs_f64();
        let library_ratio = library.as_secs_f64() / poppler.as_secs_f64();
        let name = pdf.strip_prefix(&root).unwrap_or(&pdf).display().to_string();
        let flag = if process_ratio > MAX_RATIO { "  > 2×" } else { "" };
        if process_ratio > MAX_RATIO {
            over.push(name.clone());
        }
        println!(
            "{name:<48} {:>7.1}ms {:>7.1}ms {:>7.1}ms {process_ratio:>7.2} {library_ratio:>7.2}{flag}",
            ms(poppler),
            ms(process),
            ms(library)
        );
    }
    println!(
        "total: pdftotext {:.0} ms, portalcheck extract {:.0} ms ({:.2}×), library {:.0} ms ({:.2}×)",
        ms(poppler_total),
        ms(process_total),
        process_total.as_secs_f64() / poppler_total.as_secs_f64(),
        ms(library_total),
        library_total.as_secs_f64() / poppler_total.as_secs_f64()
    );
    println!(
        "files over {MAX_RATIO}× pdftotext (as processes): {}: {over:?}",
        over.len()
    );
}
