//! Every byte the binary prints goes through here, so that a reader who stops early never
//! turns into a panic or a wrong exit code.
//!
//! Rust's `print!` and `eprint!` panic when a write fails, and the standard library ignores
//! SIGPIPE, so `sansou validate bad.toml 2>&1 | head -1` used to end with a panic (exit 101)
//! whenever `head` exited before sansou's last write. Here:
//!
//! - stdout: a closed pipe (`EPIPE`) is not an error of sansou's. The rest of the output is
//!   dropped and the command ends with the exit code it would have had (`check | head` still
//!   exits 1 when findings are at deny level). Any other failure to write the output (a full
//!   disk) is an error: exit 2.
//! - stderr: messages are written when they can be; when stderr is gone there is nobody left to
//!   tell, so a failure is ignored.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout's reader has gone: later output is dropped without trying.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout (and flushes it, so a failure is seen here and not at exit).
pub fn out(text: &str) -> anyhow::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!("cannot write the output: {e}")),
    }
}

/// Writes `text` to stderr, ignoring a failure (see the module comment).
pub fn err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}
