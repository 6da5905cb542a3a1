//! The `sansou` command line: parse arguments, call the library, map the outcome to an exit
//! code (0 nothing at deny level, 1 deny-level findings, 2 sansou could not run).
//!
//! The commands are in `cli/`, one file of glue each; the library does the work
//! (`sansou::pipeline` assembles the analysis and the rules once for all of them).

use anyhow::Result;
use clap::Parser;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

mod clock;
mod console;
mod progress;

/// Writes to stdout through [`console::out`]: a reader that stops early (`sansou paths ... |
/// head`) ends the output quietly; any other failure to write is an error (exit 2).
macro_rules! out {
    ($($arg:tt)*) => { console::out(&format!($($arg)*))? };
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => { console::out(&format!("{}\n", format!($($arg)*)))? };
}

/// Writes to stderr through [`console::err`], never failing.
macro_rules! err {
    ($($arg:tt)*) => { console::err(&format!($($arg)*)) };
}

/// [`err!`] with a newline.
macro_rules! errln {
    ($($arg:tt)*) => { console::err(&format!("{}\n", format!($($arg)*))) };
}

// After the macros above, which they use.
mod cli;
mod watch;

/// `--quiet`, read by the commands that draw progress.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Outcome of a command that ran: exit code 0 or 1. Anything that stops sansou is an `Err` (2).
type Outcome = Result<ExitCode>;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
