//! Progress on the terminal for long runs: the stage being worked on, the time it has taken,
//! and a bar when the stage counts its steps (firewalls compiled).
//!
//! Drawn on stderr only when stderr is a terminal and `--quiet` is not given, so pipes, files
//! and CI logs never see it, and stdout (the report) is never touched. A background thread
//! redraws the line ten times a second; each redraw overwrites the previous one (`\r`) and the
//! line is erased when the run ends, so nothing is left behind on the screen.
//!
//! With `SANSOU_TIMINGS=1` in the environment, each stage's wall-clock time is also written to
//! stderr when the stage ends (whether or not stderr is a terminal): the breakdown behind
//! BENCHMARKS.md, for any command and any input.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the drawing thread shows: the stage, its start, and its counter (`total` 0 when the
/// stage does not count).
struct Shared {
    stage: Mutex<(String, Instant)>,
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

pub struct Progress {
    shared: Option<Arc<Shared>>,
    ticker: Option<JoinHandle<()>>,
    /// The stage being timed and its start, when `SANSOU_TIMINGS` is set.
    timing: Option<Mutex<Option<(String, Instant)>>>,
}

/// Whether `SANSOU_TIMINGS` asks for stage timings (any value but empty or `0`).
fn timings_wanted() -> bool {
    std::env::var_os("SANSOU_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The process's resident and peak resident memory in MiB (`VmRSS`, `VmHWM` of
/// `/proc/self/status`), where the system tells them: which stage holds the memory is what a
/// memory budget needs to know, and the peak alone does not say.
fn memory_mib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

const SPINNER: [char; 4] = ['|', '/', '-', '\\'];
const BAR_WIDTH: usize = 24;

impl Progress {
    /// Progress for this run: drawn only when `quiet` is false and stderr is a terminal.
    pub fn new(quiet: bool) -> Progress {
        let timing = timings_wanted().then(|| Mutex::new(None));
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                shared: None,
                ticker: None,
                timing,
            };
        }
        let shared = Arc::new(Shared {
            stage: Mutex::new((String::new(), Instant::now())),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let drawn = Arc::clone(&shared);
        let ticker = std::thread::spawn(move || draw_until_stopped(&drawn));
        Progress {
            shared: Some(shared),
            ticker: Some(ticker),
            timing,
        }
    }

    /// Starts a stage without a count.
    pub fn stage(&self, name: &str) {
        self.counted_stage(name, 0);
    }

    /// Starts a stage of `total` steps; the work adds to [`counter`](Self::counter).
    pub fn counted_stage(&self, name: &str, total: usize) {
        self.time_stage(Some(name));
        if let Some(s) = &self.shared {
            *s.stage.lock().expect("progress state") = (name.to_string(), Instant::now());
            s.done.store(0, Ordering::Relaxed);
            s.total.store(total, Ordering::Relaxed);
        }
    }

    /// The step counter of the current stage (counting into it when nothing is drawn is
    /// harmless).
    pub fn counter(&self) -> Option<&AtomicUsize> {
        self.shared.as_ref().map(|s| &s.done)
    }

    /// Writes `text` to stderr (diagnostics, notes) above the progress line: the line is erased
    /// first and drawn again below by the next redraw, so the text never starts after it.
    pub fn eprint(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        match &self.shared {
            Some(s) => {
                // The drawing thread writes while holding the stage; holding it here keeps the
                // two from interleaving.
                let _drawing = s.stage.lock().expect("progress state");
                crate::console::err(&format!("\r\x1b[2K{text}"));
            }
            None => crate::console::err(text),
        }
    }

    /// Ends the timed stage (writing its time) and starts timing `next`.
    fn time_stage(&self, next: Option<&str>) {
        let Some(timing) = &self.timing else { return };
        let mut current = timing.lock().expect("timing state");
        if let Some((stage, start)) = current.take() {
            // Over the drawn line, when there is one: erase it first (the ticker redraws it
            // below); a pipe or a file gets the plain line.
            let erase = if self.shared.is_some() {
                "\r\x1b[2K"
            } else {
                ""
            };
            crate::console::err(&format!(
                "{erase}sansou: timing: {stage}: {:.1} ms\n",
                start.elapsed().as_secs_f64() * 1e3
            ));
            if let Some((rss, peak)) = memory_mib() {
                crate::console::err(&format!(
                    "sansou: memory: after {stage}: {rss} MiB resident, peak {peak} MiB\n"
                ));
            }
        }
        *current = next.map(|n| (n.to_string(), Instant::now()));
    }

    /// Erases the line; nothing is drawn afterwards.
    pub fn finish(&mut self) {
        self.time_stage(None);
        if let Some(s) = &self.shared {
            s.stop.store(true, Ordering::Relaxed);
        }
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One line of progress: spinner, stage, bar or count, seconds.
fn line(stage: &str, elapsed: Duration, done: usize, total: usize, tick: usize) -> String {
    let spin = SPINNER[tick % SPINNER.len()];
    let secs = elapsed.as_secs_f64();
    if total == 0 {
        return format!("{spin} {stage} ({secs:.1} s)");
    }
    let done = done.min(total);
    let filled = done * BAR_WIDTH / total;
    format!(
        "{spin} {stage} [{}{}] {done}/{total} ({secs:.1} s)",
        "#".repeat(filled),
        " ".repeat(BAR_WIDTH - filled)
    )
}

fn draw_until_stopped(s: &Shared) {
    let mut err = std::io::stderr();
    let mut tick = 0;
    let mut last_len: usize = 0;
    // Nothing is drawn for runs that end within the first redraw: a quick command stays silent.
    std::thread::sleep(Duration::from_millis(150));
    while !s.stop.load(Ordering::Relaxed) {
        // Drawn while holding the stage, so that `Progress::eprint` never writes in between.
        let stage = s.stage.lock().expect("progress state");
        let text = if stage.0.is_empty() {
            String::new()
        } else {
            line(
                &stage.0,
                stage.1.elapsed(),
                s.done.load(Ordering::Relaxed),
                s.total.load(Ordering::Relaxed),
                tick,
            )
        };
        let width = text.chars().count();
        // Pad over what the previous, longer line left.
        let pad = last_len.saturating_sub(width);
        let _ = write!(err, "\r{text}{}", " ".repeat(pad));
        let _ = err.flush();
        drop(stage);
        last_len = width;
        tick += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    if last_len > 0 {
        let _ = write!(err, "\r{}\r", " ".repeat(last_len));
        let _ = err.flush();
    }
}

/// The library's stages are the line's stages.
impl sansou::pipeline::Stages for Progress {
    fn stage(&self, name: &str) {
        Progress::stage(self, name);
    }

    fn counted_stage(&self, name: &str, total: usize) -> Option<&AtomicUsize> {
        Progress::counted_stage(self, name, total);
        self.counter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_the_stage_the_count_and_the_time() {
        let d = Duration::from_millis(1500);
        assert_eq!(line("loading", d, 0, 0, 0), "| loading (1.5 s)");
        assert_eq!(
            line("compiling firewalls", d, 250, 500, 1),
            format!(
                "/ compiling firewalls [{}{}] 250/500 (1.5 s)",
                "#".repeat(12),
                " ".repeat(12)
            )
        );
        // A counter past its total (never expected) draws a full bar, not a panic.
        assert!(line("x", d, 9, 4, 2).contains("4/4"));
    }

    #[test]
    fn hidden_progress_draws_nothing_and_finishes() {
        let mut p = Progress::new(true);
        p.counted_stage("x", 3);
        assert!(p.counter().is_none());
        p.finish();
    }
}
