//! The parent side: long-lived workers, taken one per file and given back, replaced after a
//! file that ended one, and recycled after a number of files or a large peak of memory.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::frame::{self, FrameError};
use super::{Answer, Confinement, Ended, Request, WORKER_COMMAND, failed, interpret};
use crate::extract::{Extracted, Limits};

/// Files one worker reads before a fresh one takes over. A parser that leaks a little per file,
/// or a heap left fragmented by a large document, cannot build up past this many files; a fresh
/// worker costs a few milliseconds, a hundredth of that per file.
pub const MAX_FILES_PER_WORKER: usize = 100;
/// Enough of the worker's stderr to say why it died (the allocator's or the runtime's last words).
const STDERR_KEEP_BYTES: usize = 4096;
/// How long a worker whose requests were closed may take to exit before it is killed.
const RETIRE_GRACE: Duration = Duration::from_secs(2);

/// Worker processes for one run, shared by its clones (one per extracting thread at a time).
/// Dropping the last clone closes every idle worker's requests and reaps it.
#[derive(Clone)]
pub struct WorkerPool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    program: PathBuf,
    /// Arguments before the worker command: none for this binary; a script for tests.
    leading_args: Vec<OsString>,
    idle: Mutex<Vec<Worker>>,
    spawner: Mutex<Option<Spawner>>,
    started: AtomicUsize,
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool")
            .field("program", &self.inner.program)
            .field("started", &self.started())
            .finish()
    }
}

/// Two pools are equal when they are the same pool.
impl PartialEq for WorkerPool {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for WorkerPool {}

impl WorkerPool {
    /// A pool of workers running `program` (this binary) with the hidden worker command. No
    /// process starts until the first file.
    pub fn new(program: PathBuf) -> WorkerPool {
        WorkerPool::with_leading_args(program, Vec::new())
    }

    fn with_leading_args(program: PathBuf, leading_args: Vec<OsString>) -> WorkerPool {
        WorkerPool {
            inner: Arc::new(PoolInner {
                program,
                leading_args,
                idle: Mutex::new(Vec::new()),
                spawner: Mutex::new(None),
                started: AtomicUsize::new(0),
            }),
        }
    }

    /// The program workers run.
    pub fn program(&self) -> &Path {
        &self.inner.program
    }

    /// How many worker processes this pool has started so far.
    pub fn started(&self) -> usize {
        self.inner.started.load(Ordering::Relaxed)
    }

    /// The process ids of the workers waiting for a file.
    pub fn idle_pids(&self) -> Vec<u32> {
        self.inner.lock_idle().iter().map(|w| w.pid).collect()
    }

    /// Extracts `path` in a worker under `limits`, and turns however the worker ended into an
    /// [`Extracted`].
    pub(crate) fn extract(&self, path: &Path, limits: &Limits) -> Extracted {
        self.extract_within(path, limits, Duration::from_secs(limits.max_seconds))
    }

    fn extract_within(&self, path: &Path, limits: &Limits, timeout: Duration) -> Extracted {
        let confinement = Confinement::of(limits);
        let request = match serde_json::to_vec(&Request::new(path, limits)) {
            Ok(request) => request,
            Err(e) => return failed(format!("cannot start the extraction worker: {e}")),
        };
        let mut worker = match self.inner.take(&confinement) {
            Ok(worker) => worker,
            Err(e) => return failed(format!("cannot start the extraction worker: {e}")),
        };
        if worker.send(&request).is_err() && worker.served > 0 {
            // It died idle, between files: nothing of this file's doing. A fresh worker that
            // cannot take the request either is left to say why below.
            drop(worker);
            worker = match self.inner.spawn(&confinement) {
                Ok(worker) => worker,
                Err(e) => return failed(format!("cannot start the extraction worker: {e}")),
            };
            let _ = worker.send(&request);
        }
        match worker.await_answer(timeout) {
            Reply::Answer(bytes) => match serde_json::from_slice::<Answer>(&bytes) {
                Ok(answer) => {
                    worker.served += 1;
                    self.inner.give_back(worker, answer.peak_rss_kib, limits);
                    answer.extracted
                }
                Err(e) => {
                    worker.stop(Stop::Kill);
                    failed(format!("the extraction worker answered garbage: {e}"))
                }
            },
            Reply::Garbage(what) => {
                worker.stop(Stop::Kill);
                failed(format!("the extraction worker answered garbage: {what}"))
            }
            Reply::Ended => interpret(worker.stop(Stop::Reap), limits),
            Reply::TimedOut => {
                let mut ended = worker.stop(Stop::Kill);
                ended.status = None;
                interpret(ended, limits)
            }
        }
    }
}

impl PoolInner {
    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Worker>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An idle worker confined as `confinement` asks, or a new one.
    fn take(&self, confinement: &Confinement) -> io::Result<Worker> {
        loop {
            let found = {
                let mut idle = self.lock_idle();
                idle.iter()
                    .rposition(|w| &w.confinement == confinement)
                    .map(|at| idle.swap_remove(at))
            };
            match found {
                // One that died while idle (killed from outside) is dropped, and reaped with it.
                Some(mut worker) => {
                    if !worker.has_exited() {
                        return Ok(worker);
                    }
                }
                None => return self.spawn(confinement),
            }
        }
    }

    fn give_back(&self, worker: Worker, peak_rss_kib: u64, limits: &Limits) {
        // A worker that once held a quarter of the limit keeps much of it (the allocator does
        // not return every freed page), and that counts against the next file's address space.
        let large_peak = peak_rss_kib.saturating_mul(1024) > limits.max_memory_mib.saturating_mul(1024 * 1024) / 4;
        if worker.served >= MAX_FILES_PER_WORKER || large_peak {
            drop(worker);
        } else {
            self.lock_idle().push(worker);
        }
    }

    fn spawn(&self, confinement: &Confinement) -> io::Result<Worker> {
        let settings = serde_json::to_string(confinement).map_err(io::Error::other)?;
        let mut command = Command::new(&self.program);
        command
            .args(&self.leading_args)
            .arg(WORKER_COMMAND)
            .arg("--settings")
            .arg(settings)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_BACKTRACE", "0");
        // Its own process group, so a timeout kills the worker and any Tesseract it started.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let orders = {
            let mut spawner = self.spawner.lock().unwrap_or_else(PoisonError::into_inner);
            match &*spawner {
                Some(running) => running.orders.clone(),
                None => {
                    let running = Spawner::start()?;
                    let orders = running.orders.clone();
                    *spawner = Some(running);
                    orders
                }
            }
        };
        let (reply, child) = mpsc::channel();
        orders
            .send((command, reply))
            .map_err(|_| io::Error::other("the worker spawner is gone"))?;
        let child = child
            .recv()
            .map_err(|_| io::Error::other("the worker spawner is gone"))??;
        self.started.fetch_add(1, Ordering::Relaxed);
        Worker::attach(child, confinement.clone())
    }
}

impl Drop for PoolInner {
    fn drop(&mut self) {
        let mut idle = std::mem::take(&mut *self.lock_idle());
        // Close every worker's requests first, so they all exit at once, then reap each.
        for worker in &mut idle {
            worker.requests = None;
        }
        drop(idle);
        if let Some(spawner) = self.spawner.lock().unwrap_or_else(PoisonError::into_inner).take() {
            drop(spawner.orders);
            let _ = spawner.thread.join();
        }
    }
}

type Order = (Command, mpsc::Sender<io::Result<Child>>);

/// The one thread that starts a pool's workers. A worker's parent-death signal follows the
/// thread that spawned it, not the process: spawned from a thread that ends early (a test's, a
/// scoped one), a worker would be killed under a later file. This thread ends with the pool.
struct Spawner {
    orders: mpsc::Sender<Order>,
    thread: JoinHandle<()>,
}

impl Spawner {
    fn start() -> io::Result<Spawner> {
        let (orders, received) = mpsc::channel::<Order>();
        let thread = std::thread::Builder::new()
            .name("worker-spawner".into())
            .spawn(move || {
                for (mut command, reply) in received {
                    let _ = reply.send(command.spawn());
                }
            })?;
        Ok(Spawner { orders, thread })
    }
}

/// What a worker did with a request.
enum Reply {
    Answer(Vec<u8>),
    Garbage(String),
    /// Its output closed: it ended (crashed, was killed, or exited) without answering.
    Ended,
    TimedOut,
}

/// How to end a worker.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// Close its requests and let it exit; kill it if it does not within [`RETIRE_GRACE`].
    Retire,
    /// Kill its process group now.
    Kill,
    /// It has ended on its own: kill what is left of its group (a Tesseract it started) and reap.
    Reap,
}

struct Worker {
    child: Child,
    pid: u32,
    requests: Option<ChildStdin>,
    answers: mpsc::Receiver<Result<Vec<u8>, FrameError>>,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    confinement: Confinement,
    served: usize,
    stopped: bool,
}

impl Worker {
    fn attach(mut child: Child, confinement: Confinement) -> io::Result<Worker> {
        let pid = child.id();
        let requests = child.stdin.take();
        let (stdout, stderr) = match (child.stdout.take(), child.stderr.take()) {
            (Some(stdout), Some(stderr)) => (stdout, stderr),
            _ => {
                kill_group(pid);
                let _ = child.wait();
                return Err(io::Error::other("the worker's pipes are missing"));
            }
        };
        let (sender, answers) = mpsc::channel();
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr_tail);
        let mut readers = Vec::with_capacity(2);
        let spawned = std::thread::Builder::new()
            .name("worker-answers".into())
            .spawn(move || read_answers(stdout, sender))
            .and_then(|answers_reader| {
                readers.push(answers_reader);
                std::thread::Builder::new()
                    .name("worker-stderr".into())
                    .spawn(move || keep_stderr_tail(stderr, &tail))
            });
        let mut worker = Worker {
            child,
            pid,
            requests,
            answers,
            stderr_tail,
            readers,
            confinement,
            served: 0,
            stopped: false,
        };
        match spawned {
            Ok(stderr_reader) => {
                worker.readers.push(stderr_reader);
                Ok(worker)
            }
            Err(e) => {
                worker.stop(Stop::Kill);
                Err(e)
            }
        }
    }

    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        let requests = self
            .requests
            .as_mut()
            .ok_or_else(|| io::Error::from(io::ErrorKind::BrokenPipe))?;
        frame::write_frame(requests, request)
    }

    fn await_answer(&mut self, timeout: Duration) -> Reply {
        match self.answers.recv_timeout(timeout) {
            Ok(Ok(answer)) => Reply::Answer(answer),
            Ok(Err(FrameError::Garbage(what))) => Reply::Garbage(what),
            Ok(Err(FrameError::Closed | FrameError::Io(_))) | Err(mpsc::RecvTimeoutError::Disconnected) => Reply::Ended,
            Err(mpsc::RecvTimeoutError::Timeout) => Reply::TimedOut,
        }
    }

    fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// Ends the worker as `how` says, reaps it and its readers, and says how it ended.
    fn stop(&mut self, how: Stop) -> Ended {
        self.stopped = true;
        self.requests = None;
        let status = match how {
            Stop::Retire => {
                let deadline = Instant::now() + RETIRE_GRACE;
                loop {
                    match self.child.try_wait() {
                        Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                        Ok(None) => {
                            kill_group(self.pid);
                            break self.child.wait().ok();
                        }
                        Ok(Some(status)) => break Some(status),
                        Err(_) => break None,
                    }
                }
            }
            Stop::Kill | Stop::Reap => {
                // Before reaping: until then the group's id cannot name another process's group.
                kill_group(self.pid);
                self.child.wait().ok()
            }
        };
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let tail = std::mem::take(&mut *self.stderr_tail.lock().unwrap_or_else(PoisonError::into_inner));
        Ended {
            status,
            stderr_tail: String::from_utf8_lossy(&tail).into_owned(),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if !self.stopped {
            self.stop(Stop::Retire);
        }
    }
}

/// Hands each answer the worker writes to whoever waits for it; stops at the first that is not one.
fn read_answers(mut stdout: impl Read, answers: mpsc::Sender<Result<Vec<u8>, FrameError>>) {
    loop {
        let frame = frame::read_frame(&mut stdout);
        let last = frame.is_err();
        if answers.send(frame).is_err() || last {
            return;
        }
    }
}

/// Keeps the last [`STDERR_KEEP_BYTES`] the worker wrote since the NUL that ended its last file.
fn keep_stderr_tail(mut stderr: impl Read, tail: &Mutex<Vec<u8>>) {
    let mut chunk = [0u8; 4096];
    loop {
        let n = match stderr.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return,
        };
        let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
        match chunk[..n].iter().rposition(|&b| b == 0) {
            Some(end) => {
                tail.clear();
                tail.extend_from_slice(&chunk[end + 1..n]);
            }
            None => tail.extend_from_slice(&chunk[..n]),
        }
        if tail.len() > STDERR_KEEP_BYTES {
            let excess = tail.len() - STDERR_KEEP_BYTES;
            tail.drain(..excess);
        }
    }
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::extract::FileStatus;

    /// A pool whose "worker" is a shell script: enough to see how each way of ending is told.
    fn scripted(script: &str) -> WorkerPool {
        WorkerPool::with_leading_args(PathBuf::from("/bin/sh"), vec!["-c".into(), script.into()])
    }

    fn limits() -> Limits {
        Limits {
            max_seconds: 7,
            max_memory_mib: 123,
            ..Limits::without_ocr()
        }
    }

    fn extract(pool: &WorkerPool, timeout: Duration) -> Extracted {
        pool.extract_within(Path::new("/nonexistent/file.pdf"), &limits(), timeout)
    }

    #[test]
    fn a_worker_past_the_wall_clock_is_killed_with_its_group() {
        let marker = tempfile::NamedTempFile::new().unwrap();
        let marker = marker.path().display().to_string();
        // The background child would write the marker after a second if it outlived the kill.
        let pool = scripted(&format!("(sleep 1; echo alive > {marker}) & sleep 30"));
        let got = extract(&pool, Duration::from_millis(300));
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("max_seconds limit of 7 s"));
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(
            std::fs::read_to_string(&marker).unwrap(),
            "",
            "the worker's group was killed"
        );
        assert!(pool.idle_pids().is_empty(), "a stopped worker is not given back");
    }

    #[test]
    fn a_crashing_worker_fails_only_with_the_signal_named() {
        let pool = scripted("echo 'last words' >&2; kill -SEGV $$");
        let got = extract(&pool, Duration::from_secs(10));
        assert_eq!(got.status, FileStatus::Failed);
        let reason = got.reason.unwrap();
        assert!(
            reason.contains("signal 11") && reason.contains("last words"),
            "{reason}"
        );
    }

    #[test]
    fn only_the_crashing_file_s_last_words_are_quoted() {
        // What the worker said about an earlier file (before the NUL that ended it) is not
        // this crash's explanation.
        let pool = scripted("printf 'about the last file\\000' >&2; echo 'this one' >&2; kill -SEGV $$");
        let reason = extract(&pool, Duration::from_secs(10)).reason.unwrap();
        assert!(reason.contains("this one") && !reason.contains("last file"), "{reason}");
    }

    #[test]
    fn an_allocation_failure_names_the_memory_limit() {
        let pool = scripted("echo 'memory allocation of 999999 bytes failed' >&2; kill -ABRT $$");
        let got = extract(&pool, Duration::from_secs(10));
        assert_eq!(got.status, FileStatus::TooLarge);
        assert!(got.reason.unwrap().contains("max_memory_mib limit of 123 MiB"));
    }

    #[test]
    fn garbage_on_stdout_is_a_failure_not_a_crash() {
        let pool = scripted("echo '{not json'");
        let got = extract(&pool, Duration::from_secs(10));
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("garbage"));
    }

    #[test]
    fn a_worker_that_ends_without_answering_is_a_failure() {
        let pool = scripted("exit 0");
        let got = extract(&pool, Duration::from_secs(10));
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("without an answer"));
    }

    #[test]
    fn a_program_that_cannot_start_is_a_failure_of_the_file() {
        let pool = WorkerPool::new(PathBuf::from("/nonexistent/portalcheck"));
        let got = pool.extract(Path::new("/etc/hostname"), &limits());
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().contains("cannot start the extraction worker"));
    }
}
