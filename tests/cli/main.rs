//! The command line as a user meets it: exit codes and streams, selectors, closed pipes,
//! `init`, the commands that the README, the tutorials, the schema and the format reference
//! show, and the directions between the crate's modules (`layers`).
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

mod cli;
mod cli_selectors;
mod closed_pipes;
mod format_reference;
mod golden;
mod init;
mod layers;
mod readme;
mod schema;
mod tutorial;
mod watch;
