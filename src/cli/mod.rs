//! The commands of the binary: their arguments (clap), one file of glue per command, and what
//! the commands share: the output language, loading with every diagnostic printed, progress.
//!
//! Each command's file holds its `Args` and a `run` that parses what clap cannot, calls the
//! library (`sansou::pipeline` assembles the analysis and the rules) and prints or writes what
//! comes back. None of them analyses anything itself.

use crate::{Outcome, progress};
use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sansou::diag;
use sansou::lang::Lang;
use sansou::load::{self, Inputs};
use sansou::model::{CheckedTopology, Selector, Topology};
use std::path::Path;
use std::sync::atomic::Ordering;

mod attack;
mod check;
mod diff;
mod generate;
mod graph;
mod import;
mod init;
mod inventory;
mod matrix;
mod paths;
mod reference;
mod report;
mod validate;

#[derive(Parser)]
#[command(
    name = "sansou",
    version,
    about = "Verify municipal network designs against the three-tier separation model (三層分離)",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress line on stderr (it is only drawn on a terminal anyway)
    #[arg(long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Load a topology (and a policy) and report every problem in them; print an inventory
    Validate(validate::Args),
    /// Draw the topology: zones, segments, hosts, firewalls, gateways
    Graph(graph::Args),
    /// Check the topology against the separation rules
    Check(check::Args),
    /// Every reachable (source, destination) pair between two selections, with a witness
    Paths(paths::Args),
    /// Zone-to-zone table of what crosses: services and channels
    Matrix(matrix::Args),
    /// Multi-step attack paths to personal data: entry, credentials, lateral movement, read,
    /// exfiltration; with the smallest fix for each exposed store
    Attack(attack::Args),
    /// Write the HTML audit report (監査調書): one self-contained file with inputs' hashes,
    /// diagram, zone matrix, every rule's verdict and evidence; or its tables as an Excel
    /// workbook; exit 1 when deny-level findings stand
    Report(report::Args),
    /// What a change opens and closes: new and resolved findings, zone-matrix changes, newly
    /// reachable and closed services, attack paths; exit 1 when the change adds a deny-level
    /// finding
    Diff(diff::Args),
    /// Import a device configuration, or the hosts of an IP address ledger (`import inventory
    /// LEDGER.csv|LEDGER.xlsx`), as a topology file that merges with the rest of the design
    Import(import::Args),
    /// Write a commented starter design and policy for a network model, and print the facts
    /// still to fill in (what `check` reports as unknown)
    Init(init::Args),
    /// Print the JSON Schema of the topology or the policy format (for editors: taplo, Even
    /// Better TOML), derived from the loader
    Schema(reference::SchemaArgs),
    /// Explain a rule: what it checks, why, an example, how to fix
    Explain(reference::ExplainArgs),
    /// List the rules with their default level per model
    Rules(reference::RulesArgs),
    /// Generate a synthetic topology of a benchmark tier (BENCHMARKS.md)
    Generate(generate::Args),
}

/// Runs the command the line asks for.
pub fn run(cli: Cli) -> Outcome {
    crate::QUIET.store(cli.quiet, Ordering::Relaxed);
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Check(args) => check::run(args),
        Command::Paths(args) => paths::run(args),
        Command::Matrix(args) => matrix::run(args),
        Command::Attack(args) => attack::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Import(args) => import::run(args),
        Command::Init(args) => init::run(args),
        Command::Schema(args) => reference::schema(args),
        Command::Explain(args) => reference::explain(args),
        Command::Rules(args) => reference::rules(args),
        Command::Generate(args) => generate::run(args),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TextOrJson {
    Text,
    Json,
}

/// The language asked for, else the locale's.
fn lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_locale(&locale()),
    }
}

/// The locale the environment asks for, as the C library reads it: the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set and not empty.
fn locale() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default()
}

/// Progress for a long command (see `progress.rs`): hidden with `--quiet` or off a terminal.
fn progress() -> progress::Progress {
    progress::Progress::new(crate::QUIET.load(Ordering::Relaxed))
}

/// Loads the inputs (the "loading" stage of `p`), prints every diagnostic to stderr, and fails
/// when any is an error.
fn load_checked(topology: &Path, policy: Option<&Path>, p: &progress::Progress) -> Result<Inputs> {
    p.stage("loading");
    let inputs = load::load_inputs(topology, policy)?;
    p.eprint(&diag::render_all(&inputs.sources, &inputs.diagnostics));
    let errors = inputs.diagnostics.error_count();
    if errors > 0 {
        let warnings = inputs.diagnostics.warning_count();
        // Name the input the errors are in: the policy when they are all there.
        let policy_name = policy.map(|p| p.display().to_string());
        let all_in_policy = policy_name.as_ref().is_some_and(|name| {
            inputs
                .diagnostics
                .items
                .iter()
                .filter(|d| d.is_error())
                .all(|d| inputs.sources.file(d.loc.file).name == *name)
        });
        let culprit = match (&policy_name, all_in_policy) {
            (Some(name), true) => name.clone(),
            _ => topology.display().to_string(),
        };
        bail!(
            "{culprit} has {errors} error(s){}; nothing was analysed",
            if warnings > 0 {
                format!(" and {warnings} warning(s)")
            } else {
                String::new()
            }
        );
    }
    Ok(inputs)
}

/// The loaded topology as the analysis takes it ([`load_checked`] has refused errors).
fn checked(inputs: &Inputs) -> Result<CheckedTopology<'_>> {
    inputs
        .checked()
        .ok_or_else(|| anyhow::anyhow!("the inputs have errors; nothing was analysed"))
}

/// A selector given on the command line: parsed, and its id checked against the topology.
fn selector_arg(text: &str, flag: &str, topology: &Topology) -> Result<Selector> {
    load::cli_selector::resolve(text, flag, topology).map_err(|e| anyhow::anyhow!(e))
}
