//! The throughput benchmark (`cargo bench --bench throughput`; see BENCHMARKS.md).
//!
//! For each corpus size (files; `PORTALCHECK_BENCH_FILES=1000,5000,10000` by default) it generates
//! the deterministic corpus once (cached under `target/bench-corpus/`, not timed), links it into a
//! scratch directory, and measures in one run:
//! 1. the cold `check` (fresh index, reports written), and the same with OCR off;
//! 2. the same PDFs through `pdftotext -raw` with two parallel processes, and the ratios;
//! 3. re-runs on the cold index with nothing changed and with 1 % of the files changed;
//! 4. search latency over 200 fixed queries, through the library;
//! 5. time per file and peak RSS across the sizes.
//!
//! Each child is waited for with `wait4`, so its peak RSS (the largest of it and the workers it
//! waited for) is its own. The cold and changed reports are compared with what the generator meant.

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

fn check(corpus: &Path, index: &Path, out: &Path, extra: &[&str]) -> Measured {
    measure(
        Command::new(env!("CARGO_BIN_EXE_portalcheck"))
            .arg("check")
            .arg(corpus)
            .arg("--index")
            .arg(index)
            .arg("--out")
            .arg(out)
            .arg("--as-of")
            .arg(corpus_gen::AS_OF)
            .args(extra),
    )
}

/// A copy of `from` made of hard links: the runs may change files in it (the 1 % step) while the
/// cached corpus stays as generated.
fn link_farm(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(std::io::Error::other)?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::hard_link(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Replaces `count` of the corpus's PDFs (spread evenly over it) with a revised
/// copy: a comment appended after `%%EOF`, which readers ignore, so the verdicts must not change
/// while size, time and hash all do. The link is replaced, never the generated file it points to.
fn change_pdfs(farm: &Path, pdfs: &[PathBuf], corpus: &Path, count: usize) -> std::io::Result<usize> {
    let count = count.min(pdfs.len());
    for i in 0..count {
        let original = &pdfs[i * pdfs.len() / count];
        let rel = original.strip_prefix(corpus).map_err(std::io::Error::other)?;
        let path = farm.join(rel);
        let mut bytes = std::fs::read(&path)?;
        bytes.extend_from_slice(b"\n% revised for the benchmark\n");
        std::fs::remove_file(&path)?;
        std::fs::write(&path, bytes)?;
    }
    Ok(count)
}

/// 200 fixed queries of the kinds analysts type: words and their forms in Russian and Kazakh,
/// phrases, prefixes, one typo, codes, and the same filtered by document type.
fn queries() -> Vec<(String, Option<&'static str>)> {
    const TERMS: [&str; 50] = [
        "шлюз",
        "шлюза электронного правительства",
        "электронной цифровой подписи",
        "резервное копирование",
        "базы данных",
        "базой данных",
        "персональных данных",
        "пользователей",
        "администратор безопасности",
        "информационной безопасности",
        "сертификат соответствия",
        "время отклика",
        "доступность",
        "трехуровневой",
        "сервер приложений",
        "операционных систем Linux",
        "XML",
        "защищенным каналам связи",
        "отчетности",
        "территориальным подразделениям",
        "акт ввода в промышленную эксплуатацию",
        "протокол испытаний",
        "техническое задание",
        "реестр лицензий",
        "кадастр недвижимости",
        "регистр пациентов",
        "учет платежей",
        "контроль закупок",
        "Министерство финансов",
        "Акимат города Астаны",
        "жүйе",
        "жүйенің",
        "деректер базасы",
        "деректер базасының",
        "электрондық үкімет шлюзі",
        "цифрлық қолтаңба",
        "сақтық көшірмесі",
        "ақпараттық қауіпсіздік",
        "пайдаланушыларға",
        "құқықтарын",
        "мемлекеттік дерекқорлармен",
        "қолжетімділігі",
        "күнтізбелік жыл",
        "өнеркәсіптік пайдалануға",
        "сынақ хаттамасы",
        "ИБ",
        "2025",
        "раздел",
        "секундына",
        "интеграция",
    ];
    const PREFIXES: [&str; 10] = [
        "интеграц*",
        "авториз*",
        "промышл*",
        "резервн*",
        "эксплуатац*",
        "пайдалан*",
        "қорға*",
        "деректер*",
        "сертифика*",
        "журнал*",
    ];
    const TYPOS: [&str; 10] = [
        "пользоватлей",
        "правительсва",
        "авторизуеся",
        "архитектра",
        "безопастности",
        "интеграцыя",
        "пайдаланушылардын",
        "қауіпсіздк",
        "эксплуатацыю",
        "копированние",
    ];
    let mut all: Vec<(String, Option<&'static str>)> = Vec::new();
    all.extend(TERMS.iter().map(|t| (t.to_string(), None)));
    all.extend(TERMS.iter().map(|t| (t.to_string(), Some("technical_documentation"))));
    all.extend(TERMS.iter().map(|t| (format!("\"{t}\""), None)));
    all.extend(PREFIXES.iter().chain(&TYPOS).map(|t| (t.to_string(), None)));
    all.extend(
        PREFIXES
            .iter()
            .chain(&TYPOS)
            .map(|t| (t.to_string(), Some("security_test_protocol"))),
    );
    all.extend(TERMS.iter().take(10).map(|t| (format!("{t} -Linux"), None)));
    all
}

/// Runs every query once to warm the page cache, then times each: (p50, p99, the slowest query).
fn search_latency(index_dir: &Path) -> Result<(Duration, Duration, String), String> {
    use portalcheck::index::{DocIndex, SearchOptions, search};
    let index = DocIndex::open_existing(index_dir).map_err(|e| e.to_string())?;
    let queries = queries();
    let options = |doc_type: Option<&str>| SearchOptions {
        limit: 20,
        doc_type: doc_type.map(str::to_string),
        ..SearchOptions::default()
    };
    for (query, doc_type) in &queries {
        search(&index, query, &options(*doc_type)).map_err(|e| format!("{query}: {e}"))?;
    }
    let mut timed = Vec::with_capacity(queries.len());
    for (query, doc_type) in &queries {
        let start = Instant::now();
        search(&index, query, &options(*doc_type)).map_err(|e| format!("{query}: {e}"))?;
        timed.push((start.elapsed(), query.clone()));
    }
    timed.sort();
    let at = |q: f64| timed[((timed.len() as f64 * q).ceil() as usize).saturating_sub(1)].0;
    let slowest = timed.last().map(|(_, q)| q.clone()).unwrap_or_default();
    Ok((at(0.50), at(0.99), slowest))
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

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mib(kib: i64) -> f64 {
    kib as f64 / 1024.0
}

/// Prints how the report compares with what the generator meant.
fn print_comparison(report: &Path, expected: &corpus_gen::Expected) {
    let (verdicts, types, missing, examples) = compare(report, expected);
    println!("  against the generator: {verdicts} verdicts and {types} document types differ, {missing} not reported");
    for example in examples {
        println!("    {example}");
    }
}

fn print_search(index: &Path) {
    match search_latency(index) {
        Ok((p50, p99, slowest)) => println!(
            "search, {} queries      p50 {:.2} ms  p99 {:.2} ms  (slowest: {slowest})",
            queries().len(),
            p50.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0
        ),
        Err(e) => eprintln!("search failed: {e}"),
    }
}

/// One corpus size's figures, for the scaling summary.
struct SizeRow {
    files: usize,
    cold: Duration,
    peak_rss_kib: i64,
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument would be meaningless here.
    let sizes: Vec<usize> = std::env::var("PORTALCHECK_BENCH_FILES")
        .unwrap_or_else(|_| "1000,5000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // Search alone, on an index a previous run left (e.g. target/bench-run/1724/index).
    if let Ok(index) = std::env::var("PORTALCHECK_BENCH_SEARCH_INDEX") {
        print_search(Path::new(&index));
        return;
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    println!(
        "portalcheck throughput benchmark, seed {SEED}, as of {}",
        corpus_gen::AS_OF
    );
    let mut rows = Vec::new();
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
                        println!("generated {} in {:.1} s", out.display(), secs(generated.elapsed()));
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
        let farm = scratch.join("corpus");
        if let Err(e) = link_farm(&corpus, &farm) {
            eprintln!("cannot link {} into {}: {e}", corpus.display(), farm.display());
            std::process::exit(2);
        }
        let index = scratch.join("index");

        // 1. Cold: from nothing to reports.
        let cold = check(&farm, &index, &scratch.join("cold"), &[]);
        let cold_s = secs(cold.wall);
        println!(
            "cold check              {:8.2} s  {:7.1} files/s  {:7.1} pages/s  {:5.2} MB/s  peak RSS {:5.0} MiB{}",
            cold_s,
            n_files as f64 / cold_s,
            pages as f64 / cold_s,
            bytes as f64 / 1e6 / cold_s,
            mib(cold.peak_rss_kib),
            if cold.success { "" } else { "  (exit status not 0)" }
        );
        println!("  time per file {:.2} ms", cold_s * 1000.0 / n_files as f64);
        print_comparison(&scratch.join("cold/report.json"), &expected);

        // The same without OCR: the work pdftotext does (text layers only), for a like-for-like ratio.
        let text_only = check(
            &farm,
            &scratch.join("index-no-ocr"),
            &scratch.join("no-ocr"),
            &["--no-ocr"],
        );
        println!(
            "cold check, OCR off     {:8.2} s  {:7.1} pages/s  peak RSS {:5.0} MiB",
            secs(text_only.wall),
            pages as f64 / secs(text_only.wall),
            mib(text_only.peak_rss_kib)
        );

        // 2. The reference.
        let pdfs = corpus_gen::pdfs(&corpus, &expected);
        match pdftotext(&pdfs) {
            Some(baseline) => {
                let b = secs(baseline.wall);
                println!(
                    "pdftotext -raw          {:8.2} s  ({} PDFs, 2 processes, peak RSS {:.0} MiB)",
                    b,
                    pdfs.len(),
                    mib(baseline.peak_rss_kib)
                );
                println!(
                    "  ours / pdftotext: cold {:.2}, OCR off {:.2}",
                    cold_s / b,
                    secs(text_only.wall) / b
                );
            }
            None => println!("pdftotext not installed: no baseline"),
        }

        // 3. Nightly re-runs on the cold run's index.
        let unchanged = check(&farm, &index, &scratch.join("unchanged"), &[]);
        println!(
            "re-run, nothing changed {:8.2} s  ratio to cold {:.3}  peak RSS {:5.0} MiB",
            secs(unchanged.wall),
            secs(unchanged.wall) / cold_s,
            mib(unchanged.peak_rss_kib)
        );
        let to_change = n_files.div_ceil(100);
        match change_pdfs(&farm, &pdfs, &corpus, to_change) {
            Ok(changed) => {
                let rerun = check(&farm, &index, &scratch.join("changed"), &[]);
                println!(
                    "re-run, {changed} files (1 %) changed {:6.2} s  ratio to cold {:.3}  peak RSS {:5.0} MiB",
                    secs(rerun.wall),
                    secs(rerun.wall) / cold_s,
                    mib(rerun.peak_rss_kib)
                );
                print_comparison(&scratch.join("changed/report.json"), &expected);
            }
            Err(e) => eprintln!("cannot change files in {}: {e}", farm.display()),
        }

        // 4. Search.
        print_search(&index);
        rows.push(SizeRow {
            files: n_files,
            cold: cold.wall,
            peak_rss_kib: cold.peak_rss_kib,
        });
    }

    // 5. Scaling.
    if let (Some(first), Some(last)) = (rows.first(), rows.last())
        && rows.len() > 1
    {
        println!("\n== scaling");
        let per_file = |row: &SizeRow| secs(row.cold) * 1000.0 / row.files as f64;
        for row in &rows {
            println!(
                "{:6} files  {:6.2} ms per file  peak RSS {:5.0} MiB",
                row.files,
                per_file(row),
                mib(row.peak_rss_kib)
            );
        }
        println!(
            "time per file at {} / at {}: {:.2}; peak RSS {:.2}",
            last.files,
            first.files,
            per_file(last) / per_file(first),
            last.peak_rss_kib as f64 / first.peak_rss_kib.max(1) as f64
        );
    }
}
