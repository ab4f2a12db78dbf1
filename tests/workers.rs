//! Long-lived extraction workers (`extract::isolate`): one worker reads file after file, a file
//! that ends its worker costs only itself, a worker is recycled after its cap of files, and no
//! worker outlives its pool or a killed run.

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use portalcheck::extract::isolate::{MAX_FILES_PER_WORKER, WorkerPool};
use portalcheck::extract::{FileStatus, Isolation, Limits, extract_file};

fn pool() -> WorkerPool {
    WorkerPool::new(PathBuf::from(env!("CARGO_BIN_EXE_portalcheck")))
}

fn limits(pool: &WorkerPool) -> Limits {
    Limits {
        max_memory_mib: 256,
        max_file_bytes: 1024 * 1024 * 1024,
        isolation: Isolation::Worker(pool.clone()),
        ..Limits::without_ocr()
    }
}

fn memo(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("memo-{n}.txt"));
    std::fs::write(&path, format!("Служебная записка номер {n}")).unwrap();
    path
}

fn assert_read(got: &portalcheck::extract::Extracted, n: usize) {
    assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
    assert_eq!(got.full_text().trim(), format!("Служебная записка номер {n}"));
}

/// Whether a process runs: gone or a zombie (reaped by nobody yet) is not running.
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit(')').next().map(|rest| !rest.trim_start().starts_with('Z')))
        .unwrap_or(false)
}

#[test]
fn one_worker_reads_file_after_file() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool();
    let limits = limits(&pool);
    for n in 0..5 {
        assert_read(&extract_file(&memo(dir.path(), n), &limits), n);
    }
    assert_eq!(pool.started(), 1, "five files, one worker");
    assert_eq!(pool.idle_pids().len(), 1);
}

#[test]
fn a_file_that_ends_its_worker_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    // 300 MB of text cannot be read in 256 MiB of address space: the worker dies on the allocation.
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big).unwrap().set_len(300 * 1024 * 1024).unwrap();
    let pool = pool();
    let limits = limits(&pool);
    assert_read(&extract_file(&memo(dir.path(), 1), &limits), 1);
    let first = pool.idle_pids();
    let got = extract_file(&big, &limits);
    assert_eq!(got.status, FileStatus::TooLarge, "{:?}", got.reason);
    assert!(got.reason.unwrap().contains("max_memory_mib limit of 256 MiB"));
    assert!(pool.idle_pids().is_empty(), "the worker that died is not given back");
    assert!(!running(first[0]), "and it was reaped");
    assert_read(&extract_file(&memo(dir.path(), 2), &limits), 2);
    assert_eq!(pool.started(), 2, "a fresh worker took the next file");
    assert_ne!(pool.idle_pids(), first);
}

#[test]
fn a_worker_is_recycled_after_its_cap_of_files() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool();
    let limits = limits(&pool);
    let path = memo(dir.path(), 7);
    for _ in 0..=MAX_FILES_PER_WORKER {
        assert_read(&extract_file(&path, &limits), 7);
    }
    assert_eq!(pool.started(), 2);
}

#[test]
fn threads_at_once_each_get_their_own_file_back() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool();
    let limits = limits(&pool);
    let paths: Vec<PathBuf> = (0..40).map(|n| memo(dir.path(), n)).collect();
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let (paths, limits) = (&paths, &limits);
            scope.spawn(move || {
                for n in (thread..paths.len()).step_by(4) {
                    assert_read(&extract_file(&paths[n], limits), n);
                }
            });
        }
    });
    assert!((1..=4).contains(&pool.started()), "{} workers", pool.started());
}

#[test]
fn dropping_the_pool_reaps_its_workers() {
    let dir = tempfile::tempdir().unwrap();
    let pool = pool();
    let limits = limits(&pool);
    // Started from a thread that ends before the pool is used again: the worker must not die
    // with that thread.
    std::thread::scope(|scope| {
        scope.spawn(|| assert_read(&extract_file(&memo(dir.path(), 1), &limits), 1));
    });
    assert_read(&extract_file(&memo(dir.path(), 2), &limits), 2);
    assert_eq!(pool.started(), 1, "the worker outlived the thread that started it");
    let pids = pool.idle_pids();
    assert!(pids.iter().all(|&pid| running(pid)));
    drop(limits);
    drop(pool);
    assert!(pids.iter().all(|&pid| !running(pid)), "workers left behind: {pids:?}");
}

#[test]
fn a_killed_run_leaves_no_worker_behind() {
    let temp = tempfile::tempdir().unwrap();
    let corpus = temp.path().join("corpus");
    for n in 0..3000 {
        support::write(&corpus, &format!("s{}/memo-{n}.txt", n % 30), "Служебная записка");
    }
    let mut run = support::command()
        .arg("ingest")
        .arg(&corpus)
        .arg("--index")
        .arg(temp.path().join("index"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let workers_of = |parent: u32| -> Vec<u32> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let ppid = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(1));
                ppid == Some(parent.to_string().as_str())
            })
            .collect()
    };
    let started = Instant::now();
    let mut workers = Vec::new();
    while workers.is_empty() && started.elapsed() < Duration::from_secs(60) && run.try_wait().unwrap().is_none() {
        workers = workers_of(run.id());
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(!workers.is_empty(), "no worker seen while the run was going");
    run.kill().unwrap(); // SIGKILL: no destructor runs in the parent
    run.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while workers.iter().any(|&pid| running(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(workers.iter().all(|&pid| !running(pid)), "orphans: {workers:?}");
}
