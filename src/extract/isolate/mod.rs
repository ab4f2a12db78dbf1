//! Extraction in child processes: long-lived workers that take one file at a time, under
//! memory, CPU and wall-clock limits.
//!
//! The binary re-executes itself as a hidden worker subcommand ([`WORKER_COMMAND`]); a
//! [`WorkerPool`] keeps as many workers as files are extracted at once and sends each a file
//! over its stdin, one framed request at a time, and the worker extracts it in-process (with
//! `catch_unwind`) and answers with the [`Extracted`] in a frame on stdout. Whatever the parser
//! does — panic, abort on a failed allocation, overflow its stack, spin forever — the damage
//! ends with that one worker, which is replaced by a fresh one for the next file, and the file
//! that caused it is known because it was the only one the worker had at that moment. (Apache
//! Tika's forked server also recycles one child over many files, but hands it several at once;
//! when it dies, all of them fail and the culprit is unknown. Not here.)
//!
//! What a worker keeps between files is its process: the loaded program, and state a module
//! keeps per process on purpose (the OCR engine, the word lists). Nothing in extraction keeps a
//! file's state in a global. A worker is recycled after [`MAX_FILES_PER_WORKER`] files or
//! a file that made it large, so a slow leak or a fragmented heap cannot build up.
//!
//! The library alone has no binary to re-execute, so [`Isolation::InProcess`] (the default of
//! [`Limits`]) keeps `catch_unwind` only; the binary switches to [`Isolation::Worker`].

mod frame;
mod pool;
mod worker;

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use pool::{MAX_FILES_PER_WORKER, WorkerPool};
pub use worker::serve;

use super::{Extracted, FileStatus, Format, Limits, OcrSettings};

/// The hidden subcommand the binary answers as a worker.
pub const WORKER_COMMAND: &str = "__extract-worker";
/// The stack a worker's extraction runs on. Parsers recurse over nesting in hostile input; a
/// stack overflow is caught as a crash of the worker either way, but real documents nest deeply
/// too (tables in tables), so they get room.
pub const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Where a file is extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// In this process, panics caught; no time or memory limit. For library callers and tests.
    InProcess,
    /// In worker processes running this binary, one file at a time each; the pool is shared by
    /// the clones of the [`Limits`] that hold it and ends with the last of them.
    Worker(WorkerPool),
}

impl Isolation {
    /// Workers running the current executable. On Linux `/proc/self/exe` still names this
    /// binary when the file on disk was replaced (a rebuild during a nightly run).
    pub fn current_exe() -> std::io::Result<Isolation> {
        let proc_self = Path::new("/proc/self/exe");
        let program = if proc_self.exists() {
            proc_self.to_path_buf()
        } else {
            std::env::current_exe()?
        };
        Ok(Isolation::Worker(WorkerPool::new(program)))
    }
}

/// What a worker applies to itself once, when it starts: a worker serves only files whose
/// limits ask for the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Confinement {
    memory_bytes: u64,
    /// CPU seconds each file may use; the worker moves its soft limit forward per file.
    cpu_seconds: u64,
}

impl Confinement {
    fn of(limits: &Limits) -> Confinement {
        Confinement {
            memory_bytes: limits.max_memory_mib.saturating_mul(1024 * 1024),
            // The CPU limit backs up the parent's wall-clock kill; the grace second lets the
            // parent's timeout, which names the limit, usually win.
            cpu_seconds: limits.max_seconds.saturating_add(1),
        }
    }
}

/// What the parent tells a worker with each file: the limits that apply inside extraction.
#[derive(Debug, Serialize, Deserialize)]
struct WorkerSettings {
    max_file_bytes: u64,
    tesseract: Option<PathBuf>,
    renderer: Option<PathBuf>,
    text_reader: Option<PathBuf>,
    ocr_language: String,
    ocr_timeout_ms: u64,
}

impl WorkerSettings {
    fn from_limits(limits: &Limits) -> WorkerSettings {
        WorkerSettings {
            max_file_bytes: limits.max_file_bytes,
            tesseract: limits.ocr.tesseract.clone(),
            renderer: limits.ocr.renderer.clone(),
            text_reader: limits.ocr.text_reader.clone(),
            ocr_language: limits.ocr.language.clone(),
            ocr_timeout_ms: limits.ocr.timeout.as_millis() as u64,
        }
    }

    /// Every field spelled out: `Limits::default()` would probe for Tesseract in every worker.
    fn into_limits(self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            // The parent enforces these from outside; inside the worker there is nothing to add.
            max_seconds: u64::MAX,
            max_memory_mib: u64::MAX,
            isolation: Isolation::InProcess,
            ocr: OcrSettings {
                tesseract: self.tesseract,
                renderer: self.renderer,
                text_reader: self.text_reader,
                language: self.ocr_language,
                timeout: Duration::from_millis(self.ocr_timeout_ms),
            },
        }
    }
}

/// One file for a worker.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    /// The path's bytes: a corpus may hold names that are not UTF-8.
    path: Vec<u8>,
    settings: WorkerSettings,
}

impl Request {
    fn new(path: &Path, limits: &Limits) -> Request {
        Request {
            path: path_bytes(path),
            settings: WorkerSettings::from_limits(limits),
        }
    }

    fn path(&self) -> PathBuf {
        path_from_bytes(&self.path)
    }
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// A worker's answer for one file.
#[derive(Debug, Serialize, Deserialize)]
struct Answer {
    extracted: Extracted,
    /// The worker's peak memory so far, for the parent to decide whether to recycle it.
    peak_rss_kib: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("worker settings or output: {0}")]
    Settings(serde_json::Error),
    #[error("worker I/O: {0}")]
    Io(std::io::Error),
    #[error("the parent sent {0}")]
    Protocol(String),
    #[error("extraction panicked outside the parser")]
    Panicked,
}

fn failed(reason: String) -> Extracted {
    Extracted::failed(Format::Unknown, FileStatus::Failed, reason)
}

/// How a worker that did not answer ended.
#[derive(Debug)]
struct Ended {
    /// `None` when it was killed for running past the wall-clock limit.
    status: Option<ExitStatus>,
    /// The last bytes it wrote to stderr while on this file.
    stderr_tail: String,
}

fn interpret(ended: Ended, limits: &Limits) -> Extracted {
    let Some(status) = ended.status else {
        return failed(format!(
            "extraction ran past the max_seconds limit of {} s and was stopped",
            limits.max_seconds
        ));
    };
    let stderr = ended.stderr_tail;
    if status.success() {
        return failed("the extraction worker answered garbage: it ended without an answer".into());
    }
    if stderr.contains("memory allocation of") || stderr.contains("capacity overflow") {
        return Extracted::failed(
            Format::Unknown,
            FileStatus::TooLarge,
            format!(
                "extraction needed more than the max_memory_mib limit of {} MiB and was stopped",
                limits.max_memory_mib
            ),
        );
    }
    if stderr.contains("has overflowed its stack") {
        return failed("the parser overflowed its stack (input nested too deeply); the worker was stopped".into());
    }
    match signal_of(&status) {
        Some(signal) if signal == libc::SIGXCPU => failed(format!(
            "extraction used more than the max_seconds limit of {} s of CPU and was stopped",
            limits.max_seconds
        )),
        Some(signal) => failed(format!(
            "the extraction worker crashed (signal {signal}{}); only this file is affected",
            last_line(&stderr).map(|l| format!(": {l}")).unwrap_or_default()
        )),
        None => failed(format!(
            "the extraction worker failed ({status}){}",
            last_line(&stderr).map(|l| format!(": {l}")).unwrap_or_default()
        )),
    }
}

#[cfg(unix)]
fn signal_of(status: &ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_status: &ExitStatus) -> Option<i32> {
    None
}

fn last_line(stderr: &str) -> Option<&str> {
    stderr.lines().map(str::trim).rfind(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_keeps_the_limits_that_apply_inside() {
        let limits = Limits {
            max_file_bytes: 4242,
            ..Limits::without_ocr()
        };
        let json = serde_json::to_vec(&Request::new(Path::new("a/b.pdf"), &limits)).unwrap();
        let back: Request = serde_json::from_slice(&json).unwrap();
        assert_eq!(back.path(), Path::new("a/b.pdf"));
        let back = back.settings.into_limits();
        assert_eq!(back.max_file_bytes, 4242);
        assert_eq!(back.ocr.tesseract, None);
        assert_eq!(back.isolation, Isolation::InProcess);
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_reaches_the_worker_unchanged() {
        let path = path_from_bytes(b"corpus/\xff\xfeakt.pdf");
        let json = serde_json::to_vec(&Request::new(&path, &Limits::without_ocr())).unwrap();
        let back: Request = serde_json::from_slice(&json).unwrap();
        assert_eq!(back.path(), path);
    }

    #[test]
    fn each_limit_set_gets_its_own_workers() {
        let base = Limits::without_ocr();
        let tighter = Limits {
            max_memory_mib: 256,
            ..Limits::without_ocr()
        };
        assert_eq!(Confinement::of(&base), Confinement::of(&base.clone()));
        assert_ne!(Confinement::of(&base), Confinement::of(&tighter));
    }
}
