//! Progress of a long ingest on stderr: a redrawn bar on a terminal; plain, timestamp-free log
//! lines (at most one per tenth of the work or per `LOG_EVERY`) when stderr is a file or a pipe,
//! as under cron or systemd, where a carriage-return bar would be noise.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use portalcheck::pipeline::IngestProgress;

const REDRAW_EVERY: Duration = Duration::from_millis(100);
const LOG_EVERY: Duration = Duration::from_secs(30);
const BAR_WIDTH: usize = 24;

pub struct Progress {
    terminal: bool,
    state: Mutex<State>,
}

struct State {
    started: Instant,
    total: usize,
    done: usize,
    last_shown: Option<Instant>,
    last_logged_tenth: usize,
}

impl Progress {
    pub fn new(terminal: bool) -> Progress {
        Progress {
            terminal,
            state: Mutex::new(State {
                started: Instant::now(),
                total: 0,
                done: 0,
                last_shown: None,
                last_logged_tenth: 0,
            }),
        }
    }

    /// Ends the bar's line on a terminal, so later output starts on a fresh line.
    pub fn finish(&self) {
        let Ok(mut state) = self.state.lock() else { return };
        if self.terminal && state.total > 0 {
            let line = render(&state);
            state.last_shown = Some(Instant::now());
            let _ = writeln!(std::io::stderr().lock(), "\r{line}\x1b[K");
        }
    }
}

/// "[#####   ] 12/40 files, 3.1 files/s, ETA 9 s"
fn render(state: &State) -> String {
    let filled = (state.done * BAR_WIDTH).checked_div(state.total).unwrap_or(BAR_WIDTH);
    format!(
        "[{}{}] {}",
        "#".repeat(filled),
        " ".repeat(BAR_WIDTH - filled),
        counts(state)
    )
}

/// "12/40 files, 3.1 files/s, ETA 9 s"
fn counts(state: &State) -> String {
    let elapsed = state.started.elapsed().as_secs_f64();
    let rate = if elapsed > 0.0 {
        state.done as f64 / elapsed
    } else {
        0.0
    };
    let left = state.total.saturating_sub(state.done);
    let eta = if rate > 0.0 {
        format!("ETA {}", seconds(left as f64 / rate))
    } else {
        "ETA —".to_string()
    };
    format!("{}/{} files, {rate:.1} files/s, {eta}", state.done, state.total)
}

pub fn seconds(secs: f64) -> String {
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        format!("{}m{:02}s", (secs / 60.0) as u64, (secs % 60.0) as u64)
    }
}

impl IngestProgress for Progress {
    fn planned(&self, to_read: usize, unchanged: usize) {
        let Ok(mut state) = self.state.lock() else { return };
        state.total = to_read;
        state.started = Instant::now();
        let _ = writeln!(
            std::io::stderr().lock(),
            "portalcheck: {to_read} files to read, {unchanged} unchanged"
        );
    }

    fn file_read(&self, _file: &str) {
        let Ok(mut state) = self.state.lock() else { return };
        state.done += 1;
        let now = Instant::now();
        let since = state.last_shown.map(|t| now.duration_since(t));
        if self.terminal {
            if since.is_none_or(|s| s >= REDRAW_EVERY) || state.done == state.total {
                state.last_shown = Some(now);
                let _ = write!(std::io::stderr().lock(), "\r{}\x1b[K", render(&state));
            }
        } else {
            let tenth = (state.done * 10).checked_div(state.total).unwrap_or(10);
            if tenth > state.last_logged_tenth || since.is_some_and(|s| s >= LOG_EVERY) {
                state.last_logged_tenth = tenth;
                state.last_shown = Some(now);
                let _ = writeln!(std::io::stderr().lock(), "portalcheck: read {}", counts(&state));
            }
        }
    }
}
