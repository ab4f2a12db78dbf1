//! Extraction in a child process: one short-lived worker per file, under memory, CPU and
//! wall-clock limits.
//!
//! The binary re-executes itself as a hidden worker subcommand ([`WORKER_COMMAND`]) for each
//! file; the worker extracts in-process (with `catch_unwind`) and prints the [`Extracted`] as
//! JSON on stdout. Whatever the parser does — panic, abort on a failed allocation, overflow its
//! stack, spin forever — the damage ends with that one child, and the file that caused it is
//! known because it was the only one the child had. (Apache Tika's forked server hands one child
//! many files; when it dies, all of them fail and the culprit is unknown. Not here.)
//!
//! The library alone has no binary to re-execute, so [`Isolation::InProcess`] (the default of
//! [`Limits`]) keeps `catch_unwind` only; the binary switches to [`Isolation::Worker`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Extracted, FileStatus, Format, Limits, OcrSettings};

/// The hidden subcommand the binary answers as a worker.
pub const WORKER_COMMAND: &str = "__extract-worker";
/// Enough of the worker's stderr to say why it died (the allocator's or the runtime's last words).
const STDERR_KEEP_BYTES: usize = 4096;
/// The stack a worker's extraction runs on. Parsers recurse over nesting in hostile input; a
/// stack overflow is caught as a crash of the worker either way, but real documents nest deeply
/// too (tables in tables), so they get room.
pub const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Where a file is extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// In this process, panics caught; no time or memory limit. For library callers and tests.
    InProcess,
    /// In a child process running `program` (this binary) as a worker, one child per file.
    Worker { program: PathBuf },
}

impl Isolation {
    /// A worker running the current executable. On Linux `/proc/self/exe` still names this
    /// binary when the file on disk was replaced (a rebuild during a nightly run).
    pub fn current_exe() -> std::io::Result<Isolation> {
        let proc_self = Path::new("/proc/self/exe");
        let program = if proc_self.exists() {
            proc_self.to_path_buf()
        } else {
            std::env::current_exe()?
        };
        Ok(Isolation::Worker { program })
    }
}

/// What the parent tells a worker, besides the file: the limits that apply inside extraction.
#[derive(Debug, Serialize, Deserialize)]
pub struct WorkerSettings {
    max_file_bytes: u64,
    memory_bytes: u64,
    cpu_seconds: u64,
    tesseract: Option<PathBuf>,
    #[serde(default)]
    renderer: Option<PathBuf>,
    #[serde(default)]
    text_reader: Option<PathBuf>,
    ocr_language: String,
    ocr_timeout_ms: u64,
}

impl WorkerSettings {
    fn from_limits(limits: &Limits) -> WorkerSettings {
        WorkerSettings {
            max_file_bytes: limits.max_file_bytes,
            memory_bytes: limits.max_memory_mib.saturating_mul(1024 * 1024),
            // The CPU limit backs up the parent's wall-clock kill; the grace second lets the
            // parent's timeout, which names the limit, usually win.
            cpu_seconds: limits.max_seconds.saturating_add(1),
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

/// The worker side: confine this process, extract `path` and print the result as JSON on
/// stdout. `settings` is the JSON the parent passed. Runs on a thread with a large stack.
pub fn serve(settings: &str, path: &Path) -> Result<(), WorkerError> {
    let settings: WorkerSettings = serde_json::from_str(settings).map_err(WorkerError::Settings)?;
    confine(&settings).map_err(WorkerError::Io)?;
    let limits = settings.into_limits();
    let path = path.to_path_buf();
    let extracted = std::thread::Builder::new()
        .name("extract".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || super::extract_file(&path, &limits))
        .map_err(WorkerError::Io)?
        .join()
        .map_err(|_| WorkerError::Panicked)?;
    let stdout = std::io::stdout().lock();
    serde_json::to_writer(stdout, &extracted).map_err(WorkerError::Settings)
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("worker settings or output: {0}")]
    Settings(serde_json::Error),
    #[error("worker I/O: {0}")]
    Io(std::io::Error),
    #[error("extraction panicked outside the parser")]
    Panicked,
}

/// The parent side: runs one worker for `path` and turns however it ended into an [`Extracted`].
pub(crate) fn extract_in_worker(program: &Path, path: &Path, limits: &Limits) -> Extracted {
    let settings = match serde_json::to_string(&WorkerSettings::from_limits(limits)) {
        Ok(settings) => settings,
        Err(e) => return failed(format!("cannot start the extraction worker: {e}")),
    };
    let mut command = Command::new(program);
    command
        .arg(WORKER_COMMAND)
        .arg("--settings")
        .arg(settings)
        .arg("--")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("RUST_BACKTRACE", "0");
    // Its own process group, so a timeout kills the worker and any Tesseract it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let timeout = Duration::from_secs(limits.max_seconds);
    match run_bounded(command, timeout) {
        Ok(ended) => interpret(ended, limits),
        Err(e) => failed(format!("cannot start the extraction worker: {e}")),
    }
}

fn failed(reason: String) -> Extracted {
    Extracted::failed(Format::Unknown, FileStatus::Failed, reason)
}

/// How a bounded child ended.
#[derive(Debug)]
pub(crate) struct Ended {
    /// `None` when it was killed for running past the wall-clock limit.
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    /// The last bytes the child wrote to stderr.
    pub stderr_tail: String,
}

/// Limits this process before it touches the input. Done by the worker itself rather than in a
/// `pre_exec` hook, so the parent can spawn with `posix_spawn` instead of forking its (large)
/// address space for every file.
#[cfg(unix)]
fn confine(settings: &WorkerSettings) -> std::io::Result<()> {
    let set_limit = |resource, value: u64| {
        let value = libc::rlim_t::try_from(value).unwrap_or(libc::RLIM_INFINITY);
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: a plain struct passed by pointer to a syscall.
        if unsafe { libc::setrlimit(resource, &limit) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    };
    set_limit(libc::RLIMIT_AS, settings.memory_bytes)?;
    set_limit(libc::RLIMIT_CPU, settings.cpu_seconds)?;
    // An abort must not leave a core file of a state body's document behind.
    set_limit(libc::RLIMIT_CORE, 0)?;
    #[cfg(target_os = "linux")]
    {
        // Die with the parent (a killed run must not leave workers behind); if it is already
        // gone, stop now.
        // SAFETY: prctl with integer arguments; getppid cannot fail.
        if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if unsafe { libc::getppid() } == 1 {
            return Err(std::io::Error::other("the parent run is gone"));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn confine(_settings: &WorkerSettings) -> std::io::Result<()> {
    Ok(())
}

/// Runs `command` with piped stdout/stderr, killing its process group after `timeout`.
pub(crate) fn run_bounded(mut command: Command, timeout: Duration) -> std::io::Result<Ended> {
    let mut child = command.spawn()?;
    let pid = child.id();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    std::thread::scope(|scope| {
        let out = scope.spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = stdout {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        });
        let err = scope.spawn(move || {
            let mut tail = Vec::new();
            if let Some(mut pipe) = stderr {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    tail.extend_from_slice(&chunk[..n]);
                    if tail.len() > STDERR_KEEP_BYTES {
                        tail.drain(..tail.len() - STDERR_KEEP_BYTES);
                    }
                }
            }
            String::from_utf8_lossy(&tail).into_owned()
        });
        let (sender, receiver) = mpsc::channel();
        scope.spawn(move || {
            let _ = sender.send(child.wait());
        });
        let status = match receiver.recv_timeout(timeout) {
            Ok(status) => Some(status?),
            Err(_) => {
                kill_group(pid);
                // Reap it; its pipes close with it, so the readers finish.
                let _ = receiver.recv();
                None
            }
        };
        Ok(Ended {
            status,
            stdout: out.join().unwrap_or_default(),
            stderr_tail: err.join().unwrap_or_default(),
        })
    })
}

#[cfg(unix)]
fn kill_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: sending a signal; a group that already ended just yields ESRCH.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn kill_group(_pid: u32) {}

fn interpret(ended: Ended, limits: &Limits) -> Extracted {
    let Some(status) = ended.status else {
        return failed(format!(
            "extraction ran past the max_seconds limit of {} s and was stopped",
            limits.max_seconds
        ));
    };
    if status.success() {
        return match serde_json::from_slice::<Extracted>(&ended.stdout) {
            Ok(extracted) => extracted,
            Err(e) => failed(format!("the extraction worker answered garbage: {e}")),
        };
    }
    let stderr = ended.stderr_tail;
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn limits() -> Limits {
        Limits {
            max_seconds: 7,
            max_memory_mib: 123,
            ..Limits::without_ocr()
        }
    }

    #[test]
    fn a_child_past_the_wall_clock_is_killed_with_its_group() {
        let mut command = shell("sleep 30 & sleep 30; echo never");
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let ended = run_bounded(command, Duration::from_millis(300)).unwrap();
        assert!(ended.status.is_none());
        assert!(
            ended.stdout.is_empty(),
            "the background sleep died too, so stdout closed"
        );
        let got = interpret(ended, &limits());
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("max_seconds limit of 7 s"));
    }

    #[test]
    fn a_crashing_child_fails_only_with_the_signal_named() {
        let ended = run_bounded(shell("echo 'last words' >&2; kill -SEGV $$"), Duration::from_secs(10)).unwrap();
        let got = interpret(ended, &limits());
        assert_eq!(got.status, FileStatus::Failed);
        let reason = got.reason.unwrap();
        assert!(
            reason.contains("signal 11") && reason.contains("last words"),
            "{reason}"
        );
    }

    #[test]
    fn an_allocation_failure_names_the_memory_limit() {
        let ended = run_bounded(
            shell("echo 'memory allocation of 999999 bytes failed' >&2; kill -ABRT $$"),
            Duration::from_secs(10),
        )
        .unwrap();
        let got = interpret(ended, &limits());
        assert_eq!(got.status, FileStatus::TooLarge);
        assert!(got.reason.unwrap().contains("max_memory_mib limit of 123 MiB"));
    }

    #[test]
    fn garbage_on_stdout_is_a_failure_not_a_crash() {
        let ended = run_bounded(shell("echo '{not json'"), Duration::from_secs(10)).unwrap();
        let got = interpret(ended, &limits());
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("garbage"));
    }

    #[test]
    fn settings_round_trip_keeps_the_limits_that_apply_inside() {
        let limits = Limits {
            max_file_bytes: 4242,
            ..Limits::without_ocr()
        };
        let json = serde_json::to_string(&WorkerSettings::from_limits(&limits)).unwrap();
        let back: WorkerSettings = serde_json::from_str(&json).unwrap();
        let back = back.into_limits();
        assert_eq!(back.max_file_bytes, 4242);
        assert_eq!(back.ocr.tesseract, None);
        assert_eq!(back.isolation, Isolation::InProcess);
    }
}
