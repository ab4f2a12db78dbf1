//! The worker side: confine this process once, then extract the files the parent sends, one at
//! a time, until the parent closes the channel.

use std::io::{Read, Write};

use super::frame::{self, FrameError};
use super::{Answer, Confinement, Request, WORKER_STACK_BYTES, WorkerError};

/// Runs the worker until the parent closes its requests. `settings` is the [`Confinement`] as
/// JSON, as the parent passed it on the command line.
pub fn serve(settings: &str) -> Result<(), WorkerError> {
    let confinement: Confinement = serde_json::from_str(settings).map_err(WorkerError::Settings)?;
    confine(&confinement).map_err(WorkerError::Io)?;
    let (requests, answers) = private_channel().map_err(WorkerError::Io)?;
    std::thread::Builder::new()
        .name("extract".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || serve_files(requests, answers, &confinement))
        .map_err(WorkerError::Io)?
        .join()
        .map_err(|_| WorkerError::Panicked)?
}

fn serve_files(mut requests: impl Read, mut answers: impl Write, confinement: &Confinement) -> Result<(), WorkerError> {
    loop {
        let request = match frame::read_frame(&mut requests) {
            Ok(request) => request,
            Err(FrameError::Closed) => return Ok(()),
            Err(FrameError::Garbage(what)) => return Err(WorkerError::Protocol(what)),
            Err(FrameError::Io(e)) => return Err(WorkerError::Io(e)),
        };
        let request: Request = serde_json::from_slice(&request).map_err(WorkerError::Settings)?;
        allow_cpu_for_one_file(confinement.cpu_seconds).map_err(WorkerError::Io)?;
        let path = request.path();
        let extracted = super::super::extract_file(&path, &request.settings.into_limits());
        let answer = Answer {
            extracted,
            peak_rss_kib: peak_rss_kib(),
        };
        let answer = serde_json::to_vec(&answer).map_err(WorkerError::Settings)?;
        // A NUL on stderr ends this file's diagnostics: the parent keeps only what follows it, so
        // the last words it quotes for a crash are the crashing file's.
        std::io::stderr().write_all(&[0]).map_err(WorkerError::Io)?;
        frame::write_frame(&mut answers, &answer).map_err(WorkerError::Io)?;
    }
}

/// Limits this process before it touches any input. Done by the worker itself rather than in a
/// `pre_exec` hook, so the parent can spawn with `posix_spawn` instead of forking its (large)
/// address space. The CPU limit is set per file ([`allow_cpu_for_one_file`]): it counts the
/// process's whole life.
#[cfg(unix)]
fn confine(confinement: &Confinement) -> std::io::Result<()> {
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
    set_limit(libc::RLIMIT_AS, confinement.memory_bytes)?;
    // An abort must not leave a core file of a state body's document behind.
    set_limit(libc::RLIMIT_CORE, 0)?;
    #[cfg(target_os = "linux")]
    {
        // Die with the parent (a killed run must not leave workers behind); if it is already
        // gone, stop now. The parent spawns workers from one thread that lives as long as its
        // pool, since this signal follows the spawning thread, not the process.
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
fn confine(_confinement: &Confinement) -> std::io::Result<()> {
    Ok(())
}

/// Moves the soft CPU limit to `seconds` past what this process has used so far. RLIMIT_CPU
/// counts a process's whole life, so a limit set once would charge each file for those before
/// it. The hard limit stays as inherited (an unprivileged process may raise its soft limit up to
/// it); past the soft one the kernel sends SIGXCPU, which ends the worker.
#[cfg(unix)]
fn allow_cpu_for_one_file(seconds: u64) -> std::io::Result<()> {
    // SAFETY: plain structs filled by syscalls.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    if unsafe { libc::getrlimit(libc::RLIMIT_CPU, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let used = |t: libc::timeval| u64::try_from(t.tv_sec).unwrap_or(0) + u64::from(t.tv_usec > 0);
    let allowed = used(usage.ru_utime)
        .saturating_add(used(usage.ru_stime))
        .saturating_add(seconds);
    let allowed = libc::rlim_t::try_from(allowed).unwrap_or(libc::RLIM_INFINITY);
    limit.rlim_cur = if limit.rlim_max == libc::RLIM_INFINITY {
        allowed
    } else {
        allowed.min(limit.rlim_max)
    };
    // SAFETY: as above.
    if unsafe { libc::setrlimit(libc::RLIMIT_CPU, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn allow_cpu_for_one_file(_seconds: u64) -> std::io::Result<()> {
    Ok(())
}

/// The most memory this process has held so far, in KiB (Linux reports `ru_maxrss` in KiB).
#[cfg(unix)]
fn peak_rss_kib() -> u64 {
    // SAFETY: a plain struct filled by a syscall.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    u64::try_from(usage.ru_maxrss).unwrap_or(0)
}

#[cfg(not(unix))]
fn peak_rss_kib() -> u64 {
    0
}

/// The channel to the parent on descriptors of its own. Descriptors 0 and 1 become `/dev/null`
/// and stderr, so whatever else in this process (a library, a C `printf`) or a program it runs
/// (Tesseract) reads stdin or writes stdout can neither steal a request nor corrupt an answer;
/// the private ones are close-on-exec, so no such program inherits them.
#[cfg(unix)]
fn private_channel() -> std::io::Result<(std::fs::File, std::fs::File)> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let duplicate = |fd| {
        // SAFETY: duplicating a descriptor this process holds; the copy is owned by one File.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
        if copy < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(unsafe { std::fs::File::from_raw_fd(copy) })
    };
    let requests = duplicate(libc::STDIN_FILENO)?;
    let answers = duplicate(libc::STDOUT_FILENO)?;
    let null = std::fs::File::open("/dev/null")?;
    // SAFETY: dup2 onto the standard descriptors, which this process owns.
    if unsafe { libc::dup2(null.as_raw_fd(), libc::STDIN_FILENO) } < 0
        || unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0
    {
        return Err(std::io::Error::last_os_error());
    }
    Ok((requests, answers))
}

#[cfg(not(unix))]
fn private_channel() -> std::io::Result<(std::io::Stdin, std::io::Stdout)> {
    Ok((std::io::stdin(), std::io::stdout()))
}
