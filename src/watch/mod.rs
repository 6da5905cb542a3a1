//! `sansou check --watch`: check, then check again whenever an input file changes, printing
//! what changed (`text.rs`) from an incremental `session::Session`.
//!
//! Files are polled (size, modification time and, for a file modified in the last two seconds,
//! a hash of its content; every 200 ms) rather than watched through the
//! kernel: a few `stat` calls per poll cost nothing beside a check, work on every platform and
//! file system (network shares included), and need no dependency. A directory topology is
//! listed again at each poll, so a split file added or removed counts as a change.
//!
//! Ctrl-C ends the watch with exit code 0: interrupting is how it is meant to end.

use crate::{console, progress};
use anyhow::Result;
use sansou::lang::Lang;
use sansou::load;
use sansou::session::Session;
use sansou::{diag, report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

mod text;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(200);

/// Set by the SIGINT handler; the loop looks at it between polls and after each check.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    // Only an atomic store: all a signal handler may safely do.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn catch_interrupt() {
    let handler: extern "C" fn(libc::c_int) = on_interrupt;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
}

/// What a poll sees of one input file: its size and modification time, and for a file modified
/// in the last two seconds a hash of its content (`None` when it cannot be read, so a file
/// coming back counts as a change).
type Stamp = Vec<(PathBuf, Option<Seen>)>;

#[derive(Clone, Debug)]
struct Seen {
    len: u64,
    modified: SystemTime,
    /// Some file systems keep modification times to the second or two (FAT, some network
    /// shares): an edit that keeps the size within that time would go unseen by size and time
    /// alone. Hashing only recently modified files keeps polls cheap on a design of tens of
    /// megabytes that nobody is editing.
    recent: Option<u64>,
}

/// How recent a modification must be for the content to be hashed too.
const RECENT: Duration = Duration::from_secs(2);

fn seen(path: &Path) -> Option<Seen> {
    use std::hash::{Hash, Hasher};
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let recent = SystemTime::now()
        .duration_since(modified)
        .map_or(true, |age| age < RECENT)
        .then(|| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(path).ok()?.hash(&mut h);
            Some(h.finish())
        })
        .flatten();
    Some(Seen {
        len: meta.len(),
        modified,
        recent,
    })
}

fn stamp(topology: &Path, policy: Option<&Path>) -> Stamp {
    let mut files = load::topology_files(topology).unwrap_or_else(|_| vec![topology.into()]);
    files.extend(policy.map(Path::to_path_buf));
    files
        .into_iter()
        .map(|f| {
            let seen = seen(&f);
            (f, seen)
        })
        .collect()
}

/// Sleeps until the stamp differs from `last` and has stayed the same for one more poll (an
/// editor may write a file in several steps), or until interrupted (`None`).
fn wait_for_change(topology: &Path, policy: Option<&Path>, last: &Stamp) -> Option<Stamp> {
    let mut seen: Option<Stamp> = None;
    loop {
        // Sleep in short steps so Ctrl-C is answered at once.
        for _ in 0..4 {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return None;
            }
            std::thread::sleep(POLL / 4);
        }
        let now = stamp(topology, policy);
        match &seen {
            Some(s) if !differs(s, &now) => return Some(now),
            _ if differs(last, &now) => seen = Some(now),
            _ => seen = None,
        }
    }
}

/// Whether two stamps tell of a change: a file added, removed, (un)readable, resized or
/// modified at another time, or hashed on both polls to another content. A hash present on one
/// poll only is no change: the file merely stopped (or started) being recent.
fn differs(a: &Stamp, b: &Stamp) -> bool {
    a.len() != b.len()
        || a.iter().zip(b).any(|((pa, sa), (pb, sb))| {
            pa != pb
                || match (sa, sb) {
                    (Some(x), Some(y)) => {
                        (x.len, x.modified) != (y.len, y.modified)
                            || matches!((x.recent, y.recent), (Some(h), Some(k)) if h != k)
                    }
                    (None, None) => false,
                    _ => true,
                }
        })
}

/// Runs the watch until Ctrl-C.
pub fn run(topology: &Path, policy: Option<&Path>, lang: Lang, all: bool) -> Result<ExitCode> {
    catch_interrupt();
    let mut session = Session::new();
    let mut last = stamp(topology, policy);
    let mut first = true;
    loop {
        let p = progress::Progress::new(crate::QUIET.load(Ordering::Relaxed));
        let started = std::time::Instant::now();
        let mut errors = 0;
        let mut report_text = String::new();
        let checked = session.check_files(
            topology,
            policy,
            &crate::clock::today(),
            &mut |stage| p.stage(stage),
            &mut |inputs| {
                p.eprint(&diag::render_all(&inputs.sources, &inputs.diagnostics));
                errors = inputs.diagnostics.error_count();
            },
            &mut |cx, sources| {
                if first {
                    let cap = (!all).then_some(report::check::SHOWN);
                    report_text =
                        report::check::text_capped(&cx.cx.reach, sources, &cx.result, lang, cap);
                }
            },
        );
        let took = started.elapsed();
        drop(p);
        match checked {
            Err(e) => errln!("error: {e}"),
            Ok(None) => errln!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "{errors} 件のエラーがあるため検査していません。前回の結果を保持します。"
                    ),
                    Lang::En =>
                        format!("{errors} error(s): nothing was checked; the last result stands"),
                }
            ),
            Ok(Some(u)) => {
                if first {
                    console::out(&report_text)?;
                    first = false;
                } else {
                    console::out(&text::text(&u, lang))?;
                }
                errln!(
                    "{}",
                    match lang {
                        Lang::Ja => format!(
                            "sansou: {:.0} ms で検査しました。入力の変更を待っています (Ctrl-C で終了)",
                            took.as_secs_f64() * 1e3
                        ),
                        Lang::En => format!(
                            "sansou: checked in {:.0} ms; watching the inputs (Ctrl-C ends)",
                            took.as_secs_f64() * 1e3
                        ),
                    }
                );
            }
        }
        match wait_for_change(topology, policy, &last) {
            Some(now) => last = now,
            None => return Ok(ExitCode::SUCCESS),
        }
    }
}
