//! The throughput benchmark (`cargo bench --bench throughput`; see BENCHMARKS.md).
//!
//! For each corpus size (files; `PORTALCHECK_BENCH_FILES=1000,5000,10000` by default) it generates
//! the deterministic corpus once (cached under `target/bench-corpus/`, not timed), links it into a
//! scratch directory, and measures in one run:
//! 1. the cold `check` (fresh index, reports written);
//! 2. the same with OCR off against the same PDFs through `pdftotext -raw` with two parallel
//!    processes, in pairs one after the other (`PORTALCHECK_BENCH_PAIRS`, 3), and the
//!    median of the pairs' ratios;
//! 3. re-runs on the cold index with nothing changed and with 1 % of the files changed;
//! 4. search latency over 200 fixed queries, through the library;
//! 5. whether OCR read the key phrase of every scanned act (from the cold run's index), and OCR
//!    per page against `tesseract` itself on a sample of the corpus's scanned pages (the printed
//!    ones in pairs, as in 2);
//! 6. time per file and peak RSS across the sizes, and issue 15's table of targets, met or missed.
//!
//! Each child is started from a small launcher and waited for with `wait4`, so its peak RSS (the
//! largest of it and the workers it waited for) is its own, not this harness's (see `LAUNCHER`).
//! The cold and changed reports are compared with what the generator meant.

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
    /// User and system CPU time of the process and the descendants it waited for: steadier
    /// than wall time on a machine shared with other work.
    cpu: Duration,
    peak_rss_kib: i64,
    success: bool,
}

/// The first argument that makes this binary a launcher: `throughput --measure-child REPORT
/// PROGRAM ARGS...` runs PROGRAM, waits for it and writes its peak RSS (KiB) to REPORT.
///
/// A child's `ru_maxrss` includes the high-water RSS of the process that spawned it: at `exec`
/// Linux keeps the old address space's high-water mark, and with the vfork-style spawn `std` uses
/// that address space is the parent's. This harness grows as it reads indexes and reports, so a
/// command started from it directly was charged the harness's own peak (the 10k re-run with
/// nothing changed: 210 MiB reported, 122 MiB under `/usr/bin/time`). Started from a freshly
/// executed launcher, it is charged a few MiB at most.
const LAUNCHER: &str = "--measure-child";

/// The launcher's work (see [`LAUNCHER`]); returns the exit code to leave with.
fn launch(args: &[std::ffi::OsString]) -> i32 {
    let [report, program, rest @ ..] = args else {
        eprintln!("usage: throughput {LAUNCHER} REPORT PROGRAM [ARGS...]");
        return 2;
    };
    let Ok(child) = Command::new(program).args(rest).spawn() else {
        eprintln!("cannot start {}", Path::new(program).display());
        return 127;
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 writes it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet reaped (std never waits for it: `child` is only dropped).
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    drop(child);
    if rc != pid || std::fs::write(report, usage.ru_maxrss.to_string()).is_err() {
        return 1;
    }
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        1
    }
}

/// `command` as the launcher's child (see [`LAUNCHER`]), with its environment and directory, the
/// peak RSS written to `report`.
fn through_launcher(command: &Command, report: &Path) -> Command {
    let Ok(launcher) = std::env::current_exe() else {
        eprintln!("cannot find this benchmark's own executable");
        std::process::exit(2);
    };
    let mut launched = Command::new(launcher);
    launched
        .arg(LAUNCHER)
        .arg(report)
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => launched.env(key, value),
            None => launched.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        launched.current_dir(dir);
    }
    launched
}

/// Runs `command` to the end and measures its wall time, CPU time and peak RSS (its own and its
/// reaped descendants', as the kernel reports through `wait4`), started from a launcher so that
/// the harness's own memory is not counted (see [`LAUNCHER`]).
fn measure(command: &mut Command) -> Measured {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let report = std::env::temp_dir().join(format!("portalcheck-bench-{}-{run}.rss", std::process::id()));
    let mut launched = through_launcher(command, &report);
    let start = Instant::now();
    let child = match launched.stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot start {command:?}: {e}");
            return Measured {
                wall: Duration::ZERO,
                cpu: Duration::ZERO,
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
    let time = |t: libc::timeval| Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.max(0) as u32) * 1000);
    let launched_peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|kib| kib.trim().parse().ok());
    let _ = std::fs::remove_file(&report);
    Measured {
        wall,
        // The launcher's own CPU time is a fork and a wait: nothing to subtract.
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_rss_kib: launched_peak.unwrap_or(0),
        success: launched_peak.is_some() && rc == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
    }
}

/// Runs one process per item, two at a time: wall time and the largest peak RSS.
fn two_at_a_time<T: Sync>(items: &[T], command: impl Fn(&T) -> Command + Sync) -> Measured {
    let queue = Mutex::new(items.iter());
    let peak = Mutex::new(0i64);
    let cpu = Mutex::new(Duration::ZERO);
    let failures = Mutex::new(0usize);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                    let Some(item) = next else { break };
                    let run = measure(&mut command(item));
                    if let Ok(mut p) = peak.lock() {
                        *p = (*p).max(run.peak_rss_kib);
                    }
                    if let Ok(mut c) = cpu.lock() {
                        *c += run.cpu;
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
        eprintln!("{failures} of {} runs failed", items.len());
    }
    Measured {
        wall: start.elapsed(),
        cpu: cpu.into_inner().unwrap_or_default(),
        peak_rss_kib: peak.into_inner().unwrap_or(0),
        success: failures == 0,
    }
}

fn installed(program: &str, version_flag: &str) -> bool {
    Command::new(program)
        .arg(version_flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// `pdftotext -raw` over `pdfs`, two processes at a time: wall time and the largest peak RSS.
/// The caller checks that it is installed, once.
fn pdftotext(pdfs: &[PathBuf]) -> Measured {
    two_at_a_time(pdfs, |pdf| {
        let mut command = Command::new("pdftotext");
        command.arg("-raw").arg(pdf).arg("-");
        command
    })
}

/// Pairs per size of `check --no-ocr` and `pdftotext`, and of OCR on the printed sample and
/// `tesseract` (`PORTALCHECK_BENCH_PAIRS`, 3 unless set; at least 1).
fn measured_pairs() -> usize {
    std::env::var("PORTALCHECK_BENCH_PAIRS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
        .max(1)
}

/// The middle value (the mean of the two middle ones for an even count); `None` when empty.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[mid]),
        _ => Some((values[mid - 1] + values[mid]) / 2.0),
    }
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
    let timed = timed_queries(index_dir)?;
    let at = |q: f64| timed[((timed.len() as f64 * q).ceil() as usize).saturating_sub(1)].0;
    let slowest = timed.last().map(|(_, q)| q.clone()).unwrap_or_default();
    Ok((at(0.50), at(0.99), slowest))
}

/// Each query's time, fastest first, after one warm-up pass over them all.
fn timed_queries(index_dir: &Path) -> Result<Vec<(Duration, String)>, String> {
    timed_queries_best_of(index_dir, 1)
}

/// Each query's shortest time of `runs`, fastest first: for comparing queries on a noisy machine,
/// not for the percentiles the targets are about.
fn timed_queries_best_of(index_dir: &Path, runs: usize) -> Result<Vec<(Duration, String)>, String> {
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
        let mut best = Duration::MAX;
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            search(&index, query, &options(*doc_type)).map_err(|e| format!("{query}: {e}"))?;
            best = best.min(start.elapsed());
        }
        timed.push((best, query.clone()));
    }
    timed.sort();
    Ok(timed)
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

/// Prints how the report compares with what the generator meant; returns how many differ.
fn print_comparison(report: &Path, expected: &corpus_gen::Expected) -> usize {
    let (verdicts, types, missing, examples) = compare(report, expected);
    println!("  against the generator: {verdicts} verdicts and {types} document types differ, {missing} not reported");
    for example in examples {
        println!("    {example}");
    }
    verdicts + types + missing
}

fn print_search(index: &Path) -> Option<Duration> {
    match search_latency(index) {
        Ok((p50, p99, slowest)) => {
            println!(
                "search, {} queries      p50 {:.2} ms  p99 {:.2} ms  (slowest: {slowest})",
                queries().len(),
                p50.as_secs_f64() * 1000.0,
                p99.as_secs_f64() * 1000.0
            );
            Some(p99)
        }
        Err(e) => {
            eprintln!("search failed: {e}");
            None
        }
    }
}

/// How many scanned sheets of each kind OCR read: the key phrase found in the page's indexed
/// text (at least 90 % of its words), or the page left without text (blank backs).
#[derive(Default)]
struct ScansRead {
    acts: (usize, usize),
    sheets: (usize, usize),
    /// Blank backs that came out with no text, of all blank backs.
    blanks_empty: (usize, usize),
    misses: Vec<String>,
}

fn scans_read(index_dir: &Path, expected: &corpus_gen::Expected) -> Result<ScansRead, String> {
    let index = portalcheck::index::DocIndex::open_existing(index_dir).map_err(|e| e.to_string())?;
    let mut read = ScansRead::default();
    for (name, file) in expected.files() {
        if file.scans.is_empty() {
            continue;
        }
        let pages = index.file_pages(name).map_err(|e| format!("{name}: {e}"))?;
        for scan in &file.scans {
            let text = pages
                .iter()
                .find(|page| page.number == scan.page)
                .map(|page| page.text.as_str())
                .unwrap_or_default();
            let tally = match scan.kind.as_str() {
                "act" => &mut read.acts,
                "blank" => {
                    read.blanks_empty.1 += 1;
                    if corpus_gen::phrase_words(text).is_empty() {
                        read.blanks_empty.0 += 1;
                    }
                    continue;
                }
                _ => &mut read.sheets,
            };
            tally.1 += 1;
            if corpus_gen::phrase_read(&scan.key_phrase, text) {
                tally.0 += 1;
            } else {
                let excerpt: String = text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(160)
                    .collect();
                read.misses.push(format!(
                    "{name} page {} ({}): «{}» not read; page text: «{excerpt}»",
                    scan.page, scan.kind, scan.key_phrase
                ));
            }
        }
    }
    Ok(read)
}

fn print_scans_read(index: &Path, expected: &corpus_gen::Expected) -> Option<ScansRead> {
    match scans_read(index, expected) {
        Ok(read) => {
            println!("  scanned acts read: {} of {}", read.acts.0, read.acts.1);
            println!(
                "  other scanned sheets read: {} of {}; blank backs without text: {} of {}",
                read.sheets.0, read.sheets.1, read.blanks_empty.0, read.blanks_empty.1
            );
            for miss in read.misses.iter().take(10) {
                println!("    {miss}");
            }
            if read.misses.len() > 10 {
                println!("    ... and {} more", read.misses.len() - 10);
            }
            Some(read)
        }
        Err(e) => {
            eprintln!("cannot read the scanned pages back from {}: {e}", index.display());
            None
        }
    }
}

/// Scanned pages for the OCR comparison: up to this many printed sheets and blank backs.
const SAMPLE_TEXT_PAGES: usize = 60;
const SAMPLE_BLANK_PAGES: usize = 24;

/// OCR on a sample of scanned pages, ours against `tesseract` on the same images.
struct OcrComparison {
    /// (pages, ours, ours without OCR, tesseract) for printed sheets, then blank backs.
    text: (usize, Duration, Duration, Duration),
    blank: (usize, Duration, Duration, Duration),
}

impl OcrComparison {
    /// The tool's OCR time per page over tesseract's: the same run without OCR (start-up,
    /// reading the PDF, indexing) is taken off, so what is compared is what OCR costs.
    fn ratio(sample: (usize, Duration, Duration, Duration)) -> Option<f64> {
        let (pages, ours, without, tesseract) = sample;
        (pages > 0 && !tesseract.is_zero()).then(|| secs(ours.saturating_sub(without)) / secs(tesseract))
    }
    fn raw_ratio(sample: (usize, Duration, Duration, Duration)) -> Option<f64> {
        let (pages, ours, _, tesseract) = sample;
        (pages > 0 && !tesseract.is_zero()).then(|| secs(ours) / secs(tesseract))
    }
}

/// Every `count`-th of `items`, spread over the whole list.
fn spread<T: Clone>(items: &[T], count: usize) -> Vec<T> {
    let count = count.min(items.len());
    (0..count).map(|i| items[i * items.len() / count].clone()).collect()
}

/// The page's image as the PDF holds it (a grey JPEG).
fn page_jpeg(pdf: &Path, page: u32) -> Result<Vec<u8>, String> {
    let doc = lopdf::Document::load(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    let page_id = *doc
        .get_pages()
        .get(&page)
        .ok_or_else(|| format!("{}: no page {page}", pdf.display()))?;
    let images = doc
        .get_page_images(page_id)
        .map_err(|e| format!("{}: {e}", pdf.display()))?;
    images
        .first()
        .map(|image| image.content.to_vec())
        .ok_or_else(|| format!("{} page {page}: no image", pdf.display()))
}

/// Writes the sample's pages as JPEG files (for `tesseract`) and as one-page PDFs (for the
/// checker, the way scans reach it), then times both over each group, two processes at a time.
fn ocr_comparison(corpus: &Path, expected: &corpus_gen::Expected, scratch: &Path) -> Result<OcrComparison, String> {
    let settings = portalcheck::extract::OcrSettings::default();
    if !settings.is_available() || !installed("tesseract", "--version") {
        return Err("tesseract with a Cyrillic model is not installed".into());
    }
    let mut text = Vec::new();
    let mut blank = Vec::new();
    for (name, file) in expected.files() {
        for scan in &file.scans {
            let item = (corpus.join(name), scan.page);
            if scan.kind == "blank" {
                blank.push(item);
            } else {
                text.push(item);
            }
        }
    }
    let sample_dir = scratch.join("ocr-sample");
    let _ = std::fs::remove_dir_all(&sample_dir);
    let run_group = |group: &str,
                     pages: Vec<(PathBuf, u32)>,
                     pairs: usize|
     -> Result<(usize, Duration, Duration, Duration), String> {
        let images_dir = sample_dir.join(group).join("images");
        let pdf_dir = sample_dir.join(group).join("pdf/sample");
        std::fs::create_dir_all(&images_dir).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&pdf_dir).map_err(|e| e.to_string())?;
        let mut images = Vec::new();
        for (i, (pdf, page)) in pages.iter().enumerate() {
            let jpeg = page_jpeg(pdf, *page)?;
            let image = images_dir.join(format!("{i:03}.jpg"));
            std::fs::write(&image, &jpeg).map_err(|e| e.to_string())?;
            std::fs::write(pdf_dir.join(format!("{i:03}.pdf")), corpus_gen::single_scan_pdf(&jpeg))
                .map_err(|e| e.to_string())?;
            images.push(image);
        }
        if images.is_empty() {
            return Ok((0, Duration::ZERO, Duration::ZERO, Duration::ZERO));
        }
        let corpus = sample_dir.join(group).join("pdf");
        let ingest = |index: &str, extra: &[&str]| {
            let index = sample_dir.join(group).join(index);
            let _ = std::fs::remove_dir_all(&index);
            measure(
                Command::new(env!("CARGO_BIN_EXE_portalcheck"))
                    .arg("ingest")
                    .arg(&corpus)
                    .arg("--index")
                    .arg(index)
                    .args(extra),
            )
        };
        let n = images.len();
        // As for the text path: runs one right after the other, in pairs, and the median pair.
        let mut runs = Vec::new();
        for pair in 1..=pairs {
            let tesseract = two_at_a_time(&images, |image| {
                let mut command = Command::new("tesseract");
                command
                    .arg(image)
                    .arg("stdout")
                    .args(["-l", &settings.language, "--psm", "3"])
                    .env("OMP_THREAD_LIMIT", "1");
                command
            });
            let ours = ingest("index", &[]);
            let without = ingest("index-no-ocr", &["--no-ocr"]);
            if !(ours.success && without.success && tesseract.success) {
                eprintln!(
                    "  (some OCR sample runs failed: ours {}, tesseract {})",
                    ours.success, tesseract.success
                );
            }
            let of_pairs = if pairs > 1 {
                format!(" (pair {pair} of {pairs})")
            } else {
                String::new()
            };
            println!(
                "  OCR sample, {n} {group} pages{of_pairs}, CPU: ours {:.2} s ({:.2} s of it without OCR), tesseract {:.2} s; OCR per page / tesseract {:.2}",
                secs(ours.cpu),
                secs(without.cpu),
                secs(tesseract.cpu),
                secs(ours.cpu.saturating_sub(without.cpu)) / secs(tesseract.cpu).max(1e-9)
            );
            println!(
                "  OCR sample, {n} {group} pages{of_pairs}: ours {:.2} s ({:.0} ms a page; {:.2} s of it without OCR), tesseract {:.2} s ({:.0} ms a page, `-l {}`, 2 processes)",
                secs(ours.wall),
                secs(ours.wall) * 1000.0 / n as f64,
                secs(without.wall),
                secs(tesseract.wall),
                secs(tesseract.wall) * 1000.0 / n as f64,
                settings.language
            );
            runs.push((n, ours.wall, without.wall, tesseract.wall));
        }
        runs.sort_by(|a, b| {
            let ratio = |run| OcrComparison::ratio(run).unwrap_or(f64::INFINITY);
            ratio(*a).total_cmp(&ratio(*b))
        });
        Ok(runs[runs.len() / 2])
    };
    // Blank pages cost a twentieth of Tesseract's, far from their bound of a fifth: one run.
    let text = run_group("text", spread(&text, SAMPLE_TEXT_PAGES), measured_pairs())?;
    let blank = run_group("blank", spread(&blank, SAMPLE_BLANK_PAGES), 1)?;
    let comparison = OcrComparison { text, blank };
    let show = |ratio: Option<f64>| ratio.map_or("-".to_string(), |r| format!("{r:.2}"));
    println!(
        "  OCR per page / tesseract: printed {} (with start-up and indexing {}), blank {} (with start-up and indexing {})",
        show(OcrComparison::ratio(comparison.text)),
        show(OcrComparison::raw_ratio(comparison.text)),
        show(OcrComparison::ratio(comparison.blank)),
        show(OcrComparison::raw_ratio(comparison.blank)),
    );
    Ok(comparison)
}

/// One corpus size's figures, for the scaling summary and the table of targets.
struct SizeRow {
    files: usize,
    cold: Duration,
    peak_rss_kib: i64,
    /// Cold `check --no-ocr` over `pdftotext -raw`.
    text_path_ratio: Option<f64>,
    unchanged_ratio: f64,
    search_p99: Option<Duration>,
    ocr: Option<OcrComparison>,
    scans: Option<ScansRead>,
    /// Verdicts and document types that differ from the generator's, and files not reported.
    mismatches: usize,
}

/// Issue 15's "Done when" table: each measure, its figures, its target and whether it is met.
fn print_targets(rows: &[SizeRow]) {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return;
    };
    let size = |row: &SizeRow| format!("{}", row.files);
    let per_size = |figure: &dyn Fn(&SizeRow) -> Option<f64>, digits: usize| -> (String, Vec<f64>) {
        let mut shown = Vec::new();
        let mut values = Vec::new();
        for row in rows {
            match figure(row) {
                Some(value) => {
                    shown.push(format!("{}: {value:.digits$}", size(row)));
                    values.push(value);
                }
                None => shown.push(format!("{}: -", size(row))),
            }
        }
        (shown.join(", "), values)
    };
    let verdict = |values: &[f64], within: f64| -> &'static str {
        if values.is_empty() {
            "not measured"
        } else if values.iter().all(|v| *v <= within) {
            "met"
        } else {
            "missed"
        }
    };
    let per_file = |row: &SizeRow| secs(row.cold) * 1000.0 / row.files as f64;
    let mut table: Vec<(String, String, String, &'static str)> = Vec::new();
    let (shown, values) = per_size(&|row| row.text_path_ratio, 2);
    table.push((
        "cold `check --no-ocr` / `pdftotext -raw` (2 processes, same PDFs)".into(),
        shown,
        "≤ 1.0".into(),
        verdict(&values, 1.0),
    ));
    let (shown, values) = per_size(&|row| row.ocr.as_ref().and_then(|o| OcrComparison::ratio(o.text)), 2);
    table.push((
        "OCR per printed page / `tesseract` CLI per page, same images".into(),
        shown,
        "≤ 1.0".into(),
        verdict(&values, 1.0),
    ));
    let (shown, values) = per_size(&|row| row.ocr.as_ref().and_then(|o| OcrComparison::ratio(o.blank)), 2);
    table.push((
        "OCR per blank page / `tesseract` CLI per page, same images".into(),
        shown,
        "≤ 0.2".into(),
        verdict(&values, 0.2),
    ));
    if rows.len() > 1 {
        let rss = last.peak_rss_kib as f64 / first.peak_rss_kib.max(1) as f64;
        table.push((
            format!("peak RSS {} / {} files", last.files, first.files),
            format!(
                "{:.0} / {:.0} MiB = {rss:.2}",
                mib(last.peak_rss_kib),
                mib(first.peak_rss_kib)
            ),
            "≤ 1.2".into(),
            verdict(&[rss], 1.2),
        ));
        let growth = per_file(last) / per_file(first);
        table.push((
            format!("time per file {} / {} files", last.files, first.files),
            format!("{:.1} / {:.1} ms = {growth:.2}", per_file(last), per_file(first)),
            "≤ 1.1".into(),
            verdict(&[growth], 1.1),
        ));
    } else {
        table.push((
            "peak RSS and time per file, largest / smallest size".into(),
            "one size run".into(),
            "≤ 1.2, ≤ 1.1".into(),
            "not measured",
        ));
    }
    let p99 = last.search_p99.map(|d| d.as_secs_f64() * 1000.0);
    table.push((
        format!("search p99 at {} files", last.files),
        p99.map_or("-".into(), |ms| format!("{ms:.1} ms")),
        "≤ 50 ms".into(),
        verdict(&p99.into_iter().collect::<Vec<_>>(), 50.0),
    ));
    let (shown, values) = per_size(&|row| Some(row.unchanged_ratio), 3);
    table.push((
        "unchanged nightly re-run / cold".into(),
        shown,
        "≤ 0.01".into(),
        verdict(&values, 0.01),
    ));
    let (shown, values) = per_size(&|row| Some(row.mismatches as f64), 0);
    table.push((
        "reports against the generator's verdicts and types (differences)".into(),
        shown,
        "0".into(),
        verdict(&values, 0.0),
    ));
    let (shown, values) = per_size(&|row| row.scans.as_ref().map(|s| (s.acts.1 - s.acts.0) as f64), 0);
    table.push((
        "scanned acts whose key phrase OCR did not read".into(),
        shown,
        "0".into(),
        verdict(&values, 0.0),
    ));
    println!("\n== issue 15: done when");
    println!("| measure | figure | target | |");
    println!("|---|---|---|---|");
    for (measure, figure, target, met) in table {
        println!("| {measure} | {figure} | {target} | {met} |");
    }
}

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|first| first == LAUNCHER) {
        std::process::exit(launch(&args[2..]));
    }
    // `cargo bench` passes `--bench`; a filter argument would be meaningless here.
    let sizes: Vec<usize> = std::env::var("PORTALCHECK_BENCH_FILES")
        .unwrap_or_else(|_| "1000,5000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // Search alone, on an index a previous run left (e.g. target/bench-run/1724/index).
    if let Ok(index) = std::env::var("PORTALCHECK_BENCH_SEARCH_INDEX") {
        let _ = print_search(Path::new(&index));
        // The slowest queries, each at its best of five runs, and their sum over all queries.
        if let Ok(timed) = timed_queries_best_of(Path::new(&index), 5) {
            let total: Duration = timed.iter().map(|(took, _)| *took).sum();
            println!(
                "best of 5: all 200 queries {:.1} ms; the slowest:",
                total.as_secs_f64() * 1000.0
            );
            for (took, query) in timed.iter().rev().take(8) {
                println!("  {:7.2} ms  {query}", took.as_secs_f64() * 1000.0);
            }
        }
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
        // v2: scanned pages carry rasterised text (a v1 corpus has noise with dark blocks).
        let out = target.join(format!("bench-corpus/{submissions}-{SEED}-v2"));
        let generated = Instant::now();
        let expected = match corpus_gen::read_expected(&out) {
            Ok(expected) => expected,
            Err(_) => {
                let _ = std::fs::remove_dir_all(&out);
                match corpus_gen::generate(&out, submissions, SEED) {
                    Ok(expected) => {
                        let scans: usize = expected.files().map(|(_, f)| f.scans.len()).sum();
                        let took = secs(generated.elapsed());
                        println!("generated {} in {took:.1} s ({scans} scanned pages)", out.display());
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
        // Only the corpus, for profiling one stage by hand on it.
        if std::env::var_os("PORTALCHECK_BENCH_GENERATE_ONLY").is_some() {
            println!("corpus {}", corpus.display());
            continue;
        }
        let n_files = expected.files().count();
        let pages: u64 = expected.files().map(|(_, f)| f.pages as u64).sum();
        let image_pages: u64 = expected.files().map(|(_, f)| f.image_pages as u64).sum();
        let bytes: u64 = expected.files().map(|(_, f)| f.bytes).sum();
        let scans_of = |kind: &str| {
            expected
                .files()
                .flat_map(|(_, f)| &f.scans)
                .filter(|s| s.kind == kind)
                .count()
        };
        println!(
            "\n== {n_files} files ({submissions} submissions), {pages} pages ({image_pages} scanned: {} acts, {} other sheets, {} blank), {:.1} MB",
            scans_of("act"),
            scans_of("text"),
            scans_of("blank"),
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
        let mut mismatches = print_comparison(&scratch.join("cold/report.json"), &expected);
        let scans = print_scans_read(&index, &expected);

        // 2. The same without OCR (the work pdftotext does: text layers only) against the
        // reference, in pairs taken one after the other: the ratio is each pair's, and the
        // figure is their median. One run of each, a minute apart, measured the machine's drift as
        // much as the tools (`pdftotext` over the same 1k PDFs: 7.6, 11.2 and 7.9 s in a row).
        let pdfs = corpus_gen::pdfs(&corpus, &expected);
        let mut text_path_ratio = None;
        let mut reference_wall = None;
        if installed("pdftotext", "-v") {
            let pairs = measured_pairs();
            let mut wall_ratios = Vec::new();
            let mut cpu_ratios = Vec::new();
            for pair in 1..=pairs {
                let _ = std::fs::remove_dir_all(scratch.join("index-no-ocr"));
                let ours = check(
                    &farm,
                    &scratch.join("index-no-ocr"),
                    &scratch.join("no-ocr"),
                    &["--no-ocr"],
                );
                let baseline = pdftotext(&pdfs);
                let wall_ratio = secs(ours.wall) / secs(baseline.wall);
                let cpu_ratio = secs(ours.cpu) / secs(baseline.cpu).max(f64::EPSILON);
                println!(
                    "cold check, OCR off     {:8.2} s  {:7.1} pages/s  peak RSS {:5.0} MiB  CPU {:.2} s{}",
                    secs(ours.wall),
                    pages as f64 / secs(ours.wall),
                    mib(ours.peak_rss_kib),
                    secs(ours.cpu),
                    if ours.success { "" } else { "  (exit status not 0)" }
                );
                println!(
                    "pdftotext -raw          {:8.2} s  ({} PDFs, 2 processes, peak RSS {:.0} MiB)  CPU {:.2} s",
                    secs(baseline.wall),
                    pdfs.len(),
                    mib(baseline.peak_rss_kib),
                    secs(baseline.cpu)
                );
                println!("  pair {pair} of {pairs}: ours / pdftotext {wall_ratio:.2} (CPU {cpu_ratio:.2})");
                wall_ratios.push(wall_ratio);
                cpu_ratios.push(cpu_ratio);
                reference_wall = Some(secs(baseline.wall));
            }
            if let (Some(wall), Some(cpu)) = (median(&mut wall_ratios), median(&mut cpu_ratios)) {
                println!(
                    "  ours / pdftotext, OCR off: median of {} pairs {wall:.2} (CPU {cpu:.2}); cold, with OCR, over the last pdftotext {:.2}",
                    wall_ratios.len(),
                    reference_wall.map_or(f64::NAN, |reference| cold_s / reference)
                );
                text_path_ratio = Some(wall);
            }
        } else {
            println!("pdftotext not installed: no baseline");
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
                mismatches += print_comparison(&scratch.join("changed/report.json"), &expected);
            }
            Err(e) => eprintln!("cannot change files in {}: {e}", farm.display()),
        }

        // 4. Search.
        let search_p99 = print_search(&index);

        // 5. OCR on a sample of the scanned pages, against tesseract on the same images.
        let ocr = match ocr_comparison(&corpus, &expected, &scratch) {
            Ok(ocr) => Some(ocr),
            Err(e) => {
                eprintln!("no OCR comparison: {e}");
                None
            }
        };
        rows.push(SizeRow {
            files: n_files,
            cold: cold.wall,
            peak_rss_kib: cold.peak_rss_kib,
            text_path_ratio,
            unchanged_ratio: secs(unchanged.wall) / cold_s,
            search_p99,
            ocr,
            scans,
            mismatches,
        });
    }

    // 6. Scaling, and the targets.
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
    print_targets(&rows);
}
