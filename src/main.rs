//! The `sansou` command line: parse arguments, call the library, map the outcome to an exit
//! code (0 nothing at deny level, 1 deny-level findings, 2 sansou could not run).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sansou::diag;
use sansou::lang::Lang;
use sansou::load::{self, Inputs};
use sansou::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sansou",
    version,
    about = "Verify municipal network designs against the three-tier separation model (三層分離)",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

#[derive(Subcommand)]
enum Command {
    /// Load a topology (and a policy) and report every problem in them; print an inventory
    Validate {
        /// A topology file (.toml or .json) or a directory of them
        topology: PathBuf,
        /// A policy file to check against the topology
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Language of the summary (default: from LANG)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Draw the topology: zones, segments, hosts, firewalls, gateways
    Graph {
        topology: PathBuf,
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Check the topology against the separation rules (not implemented yet)
    Check(Unimplemented),
    /// List reachable flows between two selections (not implemented yet)
    Paths(Unimplemented),
    /// Zone-to-zone table of what crosses (not implemented yet)
    Matrix(Unimplemented),
    /// Multi-step attack paths to personal data (not implemented yet)
    Attack(Unimplemented),
    /// Write an HTML audit report (not implemented yet)
    Report(Unimplemented),
    /// What a change opens and closes (not implemented yet)
    Diff(Unimplemented),
    /// Import a device configuration (not implemented yet)
    Import(Unimplemented),
    /// Explain a rule (not implemented yet)
    Explain(Unimplemented),
    /// List the rules (not implemented yet)
    Rules(Unimplemented),
    /// Generate a synthetic topology (not implemented yet)
    Generate(Unimplemented),
}

/// The arguments of a command that this version does not implement yet.
#[derive(clap::Args)]
struct Unimplemented {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// Outcome of a command that ran: exit code 0 or 1. Anything that stops sansou is an `Err` (2).
type Outcome = Result<ExitCode>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Validate {
            topology,
            policy,
            lang,
        } => validate(&topology, policy.as_deref(), lang),
        Command::Graph { topology, format } => graph(&topology, format),
        Command::Check(_) => unimplemented_command("check"),
        Command::Paths(_) => unimplemented_command("paths"),
        Command::Matrix(_) => unimplemented_command("matrix"),
        Command::Attack(_) => unimplemented_command("attack"),
        Command::Report(_) => unimplemented_command("report"),
        Command::Diff(_) => unimplemented_command("diff"),
        Command::Import(_) => unimplemented_command("import"),
        Command::Explain(_) => unimplemented_command("explain"),
        Command::Rules(_) => unimplemented_command("rules"),
        Command::Generate(_) => unimplemented_command("generate"),
    }
}

fn unimplemented_command(name: &str) -> Outcome {
    bail!(
        "`sansou {name}` is not implemented in this version yet; `sansou validate` and `sansou graph` are"
    )
}

fn lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// Loads the inputs, prints every diagnostic to stderr, and fails when any is an error.
fn load_checked(topology: &Path, policy: Option<&Path>) -> Result<Inputs> {
    let inputs = load::load_inputs(topology, policy)?;
    eprint!("{}", diag::render_all(&inputs.sources, &inputs.diagnostics));
    let errors = inputs.diagnostics.error_count();
    if errors > 0 {
        let warnings = inputs.diagnostics.warning_count();
        bail!(
            "{} has {errors} error(s){}; nothing was analysed",
            topology.display(),
            if warnings > 0 {
                format!(" and {warnings} warning(s)")
            } else {
                String::new()
            }
        );
    }
    Ok(inputs)
}

fn validate(topology: &Path, policy: Option<&Path>, lang_arg: Option<LangArg>) -> Outcome {
    let inputs = load_checked(topology, policy)?;
    print!(
        "{}",
        report::inventory::render(&inputs.topology, lang(lang_arg))
    );
    if let Some(p) = &inputs.policy {
        let profile = p.profile.map_or("-".to_string(), |p| p.to_string());
        println!(
            "policy {} (profile {profile}): {} level override(s), {} matrix entries, {} assert(s), {} exception(s)",
            p.name.as_deref().unwrap_or("(unnamed)"),
            p.levels.len(),
            p.matrix.len(),
            p.asserts.len(),
            p.exceptions.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn graph(topology: &Path, format: GraphFormat) -> Outcome {
    let inputs = load_checked(topology, None)?;
    let diagram = report::diagram::build(&inputs.topology);
    let text = match format {
        GraphFormat::Dot => report::dot::render(&diagram),
        GraphFormat::Mermaid => report::mermaid::render(&diagram),
        GraphFormat::Svg => {
            return Err(anyhow::anyhow!(
                "`--format svg` is not implemented in this version yet; use dot or mermaid"
            ))
            .context("sansou graph");
        }
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
