//! The `sansou` command line: parse arguments, call the library, map the outcome to an exit
//! code (0 nothing at deny level, 1 deny-level findings, 2 sansou could not run).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sansou::analysis::{self, reach::Reachability};
use sansou::diag;
use sansou::lang::Lang;
use sansou::load::{self, Inputs};
use sansou::model::{Selector, Service};
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TextOrJson {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WriteFormat {
    Toml,
    Json,
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
    /// Check the topology against the separation rules
    Check {
        topology: PathBuf,
        /// The policy (default: the built-in profile of the topology's `meta.model`)
        #[arg(long)]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Exit 0 even when findings at deny level stand
        #[arg(long)]
        exit_zero: bool,
    },
    /// Every reachable (source, destination) pair between two selections, with a witness
    Paths {
        topology: PathBuf,
        /// Sources: a selector (host:ID, segment:ID, zone:ID, tier:T, kind:K, store:ID,
        /// data:CLASS, external:ID, a CIDR, or any)
        #[arg(long)]
        from: String,
        /// Destinations: a selector
        #[arg(long)]
        to: String,
        /// Only these services (repeatable): tcp/445, udp/53, icmp, ...
        #[arg(long = "service")]
        services: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        /// Also show, for pairs that do not get through, where an example packet is dropped
        #[arg(long)]
        explain_blocked: bool,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Zone-to-zone table of what crosses: services and channels
    Matrix {
        topology: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Multi-step attack paths to personal data (not implemented yet)
    Attack(Unimplemented),
    /// Write an HTML audit report (not implemented yet)
    Report(Unimplemented),
    /// What a change opens and closes (not implemented yet)
    Diff(Unimplemented),
    /// Import a device configuration (not implemented yet)
    Import(Unimplemented),
    /// Explain a rule: what it checks, why, an example, how to fix
    Explain {
        code: String,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// List the rules with their default level per model
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Generate a synthetic topology of a benchmark tier (DESIGN.md section 11)
    Generate {
        /// S (50 segments, 1k hosts), M (300, 10k), L (1k, 100k) or XL (5k, 1M)
        #[arg(long)]
        tier: String,
        /// The same seed always gives the same topology
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value = "toml")]
        format: WriteFormat,
        /// Directory to write `topology.toml` (or `.json`) into; created if missing
        #[arg(long)]
        output: PathBuf,
    },
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
        Command::Check {
            topology,
            policy,
            format,
            lang: l,
            exit_zero,
        } => check(&topology, policy.as_deref(), format, lang(l), exit_zero),
        Command::Paths {
            topology,
            from,
            to,
            services,
            format,
            explain_blocked,
            lang: l,
        } => paths(
            &topology,
            &PathsArgs {
                from,
                to,
                services,
                format,
                explain_blocked,
                lang: lang(l),
            },
        ),
        Command::Matrix {
            topology,
            format,
            lang: l,
        } => matrix(&topology, format, lang(l)),
        Command::Attack(_) => unimplemented_command("attack"),
        Command::Report(_) => unimplemented_command("report"),
        Command::Diff(_) => unimplemented_command("diff"),
        Command::Import(_) => unimplemented_command("import"),
        Command::Explain { code, lang: l } => explain(&code, lang(l)),
        Command::Rules { format, lang: l } => rules(format, lang(l)),
        Command::Generate {
            tier,
            seed,
            format,
            output,
        } => generate(&tier, seed, format, &output),
    }
}

fn unimplemented_command(name: &str) -> Outcome {
    bail!(
        "`sansou {name}` is not implemented in this version yet; `validate`, `check`, `paths`, `matrix`, `graph`, `explain`, `rules` and `generate` are"
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
    let mut inputs = load_checked(topology, policy)?;
    // Rule lists that cannot be what the author meant: warnings, with both places shown.
    let mut lint = diag::Diagnostics::default();
    for d in sansou::analysis::rule_lint::rule_warnings(&inputs.topology) {
        lint.push(d);
    }
    lint.sort();
    eprint!("{}", diag::render_all(&inputs.sources, &lint));
    inputs.diagnostics.extend(lint);
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

/// A selector given on the command line: parsed, and its id checked against the topology.
fn selector_arg(text: &str, flag: &str, topology: &sansou::model::Topology) -> Result<Selector> {
    let sel = Selector::parse(text).map_err(|e| anyhow::anyhow!("{flag} {text}: {e}"))?;
    if let Some((kind, id)) = sel.reference()
        && !topology.contains(kind, id)
    {
        bail!("{flag} {text}: the topology has no {kind} `{id}`");
    }
    Ok(sel)
}

struct PathsArgs {
    from: String,
    to: String,
    services: Vec<String>,
    format: TextOrJson,
    explain_blocked: bool,
    lang: Lang,
}

fn paths(topology: &Path, args: &PathsArgs) -> Outcome {
    let inputs = load_checked(topology, None)?;
    let from = selector_arg(&args.from, "--from", &inputs.topology)?;
    let to = selector_arg(&args.to, "--to", &inputs.topology)?;
    let services: Vec<Service> = args
        .services
        .iter()
        .map(|s| Service::parse(s).map_err(|e| anyhow::anyhow!("--service {s}: {e}")))
        .collect::<Result<_>>()?;
    let mut reach = Reachability::compute(&inputs.topology);
    let query = analysis::paths::Query {
        from: &from,
        to: &to,
        services: &services,
    };
    let pairs = analysis::paths::pairs(&mut reach, &query).map_err(anyhow::Error::msg)?;
    let blocked = if args.explain_blocked {
        analysis::paths::blocked_pairs(&mut reach, &query, &pairs, 50)
            .map_err(anyhow::Error::msg)?
            .into_iter()
            .map(|(from, to, blocked)| report::paths::BlockedPair { from, to, blocked })
            .collect()
    } else {
        Vec::new()
    };
    let service_names: Vec<String> = services.iter().map(|s| s.to_string()).collect();
    let r = report::paths::PathsReport {
        from: &args.from,
        to: &args.to,
        services: &service_names,
        pairs: &pairs,
        blocked: &blocked,
    };
    match args.format {
        TextOrJson::Text => print!(
            "{}",
            report::paths::text(&reach, &inputs.sources, &r, args.lang)
        ),
        TextOrJson::Json => print!(
            "{}",
            report::json::document(
                &inputs.sources,
                report::paths::json(&reach, &inputs.sources, &r)
            )
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn matrix(topology: &Path, format: TextOrJson, lang: Lang) -> Outcome {
    let inputs = load_checked(topology, None)?;
    let mut reach = Reachability::compute(&inputs.topology);
    let m = analysis::matrix::compute(&mut reach);
    match format {
        TextOrJson::Text => print!("{}", report::matrix::text(&inputs.topology, &m, lang)),
        TextOrJson::Json => print!(
            "{}",
            report::json::document(&inputs.sources, report::matrix::json(&inputs.topology, &m))
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn check(
    topology: &Path,
    policy: Option<&Path>,
    format: CheckFormat,
    lang: Lang,
    exit_zero: bool,
) -> Outcome {
    if format == CheckFormat::Sarif {
        bail!("`--format sarif` is not implemented in this version yet; use text or json");
    }
    let inputs = load_checked(topology, policy)?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = sansou::rules::Context::new(&inputs.topology, &policy);
    let result = sansou::rules::engine::run(&mut cx, &Default::default());
    match format {
        CheckFormat::Json => print!(
            "{}",
            report::json::document(
                &inputs.sources,
                report::check::json(&cx.reach, &inputs.sources, &result)
            )
        ),
        _ => print!(
            "{}",
            report::check::text(&cx.reach, &inputs.sources, &result, lang)
        ),
    }
    Ok(if result.fails() && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn explain(code: &str, lang: Lang) -> Outcome {
    let wanted = code.to_ascii_uppercase();
    let Some(rule) = sansou::rules::find(&wanted) else {
        let codes: Vec<&str> = sansou::rules::registry()
            .iter()
            .map(|r| r.meta().code)
            .collect();
        let hint = sansou::load::reader::suggest(&wanted, &codes)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        bail!("no rule `{code}`{hint}; `sansou rules` lists them");
    };
    print!("{}", report::rules::explain(rule.meta(), lang));
    Ok(ExitCode::SUCCESS)
}

fn rules(format: TextOrJson, lang: Lang) -> Outcome {
    let all = sansou::rules::registry();
    match format {
        TextOrJson::Text => print!("{}", report::rules::table(&all, lang)),
        TextOrJson::Json => {
            let mut text = serde_json::to_string_pretty(&report::rules::json(&all))?;
            text.push('\n');
            print!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(tier: &str, seed: u64, format: WriteFormat, output: &Path) -> Outcome {
    let Some(size) = sansou::generate::Size::parse(tier) else {
        bail!("--tier {tier}: expected S, M, L or XL");
    };
    let topology = sansou::generate::generate(size, seed);
    let (name, text) = match format {
        WriteFormat::Toml => ("topology.toml", report::topology::to_toml(&topology)),
        WriteFormat::Json => ("topology.json", report::topology::to_json(&topology)),
    };
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let path = output.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "wrote {} (tier {size}, seed {seed}): {} segments, {} hosts, {} firewalls, {} rules",
        path.display(),
        topology.segments.len(),
        topology.host_count(),
        topology.firewalls.len(),
        topology
            .firewalls
            .iter()
            .map(|f| f.rules.len())
            .sum::<usize>()
    );
    Ok(ExitCode::SUCCESS)
}
