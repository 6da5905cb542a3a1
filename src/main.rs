//! The `sansou` command line: parse arguments, call the library, map the outcome to an exit
//! code (0 nothing at deny level, 1 deny-level findings, 2 sansou could not run).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sansou::analysis::{self, reach::Reachability};
use sansou::diag;
use sansou::lang::Lang;
use sansou::load::{self, Inputs};
use sansou::model::{CheckedTopology, Selector, Service};
use sansou::pipeline;
use sansou::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

mod clock;
mod console;
mod progress;

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
    /// No progress line on stderr (it is only drawn on a terminal anyway)
    #[arg(long, global = true)]
    quiet: bool,
}

/// `--quiet`, read by the commands that draw progress.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Progress for a long command (see `progress.rs`): hidden with `--quiet` or off a terminal.
fn progress() -> progress::Progress {
    progress::Progress::new(QUIET.load(Ordering::Relaxed))
}

/// Reachability with progress: compiling firewalls (counted), then the fixpoint.
fn analyse<'t>(topo: CheckedTopology<'t>, p: &progress::Progress) -> Reachability<'t> {
    p.counted_stage("compiling firewalls", topo.firewalls.len());
    let mut reach = Reachability::prepare_counting(topo, p.counter());
    p.stage("computing reachability");
    reach.propagate(&[]);
    reach
}

/// The loaded topology as the analysis takes it (`load_checked` has refused errors).
fn checked(inputs: &Inputs) -> Result<CheckedTopology<'_>> {
    inputs
        .checked()
        .context("the inputs have errors; nothing was analysed")
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
    /// The checklist with each rule's findings, for spreadsheets (UTF-8 with a byte-order mark)
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Html,
    /// An Excel workbook: checklist, findings, firewall rules, exceptions, inputs
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WriteFormat {
    Toml,
    /// Pretty-printed JSON
    Json,
    /// JSON on one line, as many programs write it
    JsonCompact,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AttackFormat {
    Text,
    Json,
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum VendorArg {
    Fortigate,
    CiscoIos,
    YamahaRtx,
    Iptables,
    /// Not a device: an IP address ledger (CSV or spreadsheet) whose rows become hosts
    Inventory,
    #[value(alias = "cisco-asa")]
    Asa,
    /// Palo Alto Networks PAN-OS: the XML running configuration
    #[value(alias = "pan-os", alias = "panos")]
    Paloalto,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelArg {
    Alpha,
    AlphaPrime,
    Beta,
    BetaPrime,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    Topology,
    Policy,
}

#[derive(Clone, Copy, ValueEnum)]
enum WarningsArg {
    Grouped,
    All,
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
        /// json: the loader's and the rule lists' warnings, all of them
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        /// Text: print every rule-list warning (by default the first 10, then the count)
        #[arg(long)]
        all: bool,
    },
    /// Draw the topology: zones, segments, hosts, firewalls, gateways
    Graph {
        topology: PathBuf,
        /// With --format svg: check the design against this policy and draw the paths of
        /// deny-level findings in red (without it the legend says they are not drawn)
        #[arg(long)]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
        /// Language of the SVG's labels and legend (default: from LANG)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// With --format svg: draw one zone (its segments and what attaches to them), the view
        /// the report uses for large designs
        #[arg(long)]
        zone: Option<String>,
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
        /// Text: print every finding on its own (by default findings let through by the same
        /// firewall rules are one entry, at most 10 entries per rule and 10 pairs per entry,
        /// after the firewall rules behind the most findings)
        #[arg(long)]
        all: bool,
        /// Check, then check again whenever an input file changes, printing the findings that
        /// are new, resolved, widened or narrowed (text only; Ctrl-C ends it, exit code 0)
        #[arg(long, conflicts_with = "format")]
        watch: bool,
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
        /// Show at most this many pairs, each with a witness (0: all of them)
        #[arg(long, default_value_t = 10_000)]
        max_pairs: usize,
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
    /// Multi-step attack paths to personal data: entry, credentials, lateral movement, read,
    /// exfiltration; with the smallest fix for each exposed store
    Attack {
        topology: PathBuf,
        /// The policy (its [attacker] assumptions); default: the built-in profile
        #[arg(long)]
        policy: Option<PathBuf>,
        /// What if these hosts were compromised (a selector, repeatable: host:ID, kind:K,
        /// segment:ID, ...)? The attacker then starts there instead of the internet
        #[arg(long = "assume-compromised")]
        assume_compromised: Vec<String>,
        /// Where the attacker gets in, instead of the policy's [attacker] entry (repeatable or
        /// comma-separated): internet-use, exposed-services, wifi, remote-access; internet
        /// (both internet kinds), all
        #[arg(long, value_delimiter = ',')]
        entry: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: AttackFormat,
        /// Skip the search for the smallest fix (faster on large topologies)
        #[arg(long)]
        no_fix: bool,
        /// At most this many re-analyses of changed designs in the fix search; stores left
        /// over are listed without a fix (default: from 64 for a town down to 0 for a
        /// prefecture-sized design)
        #[arg(long)]
        fix_budget: Option<usize>,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Write the HTML audit report (監査調書): one self-contained file with inputs' hashes,
    /// diagram, zone matrix, every rule's verdict and evidence; or its tables as an Excel
    /// workbook; exit 1 when deny-level findings stand
    Report {
        topology: PathBuf,
        /// The policy (default: the built-in profile of the topology's `meta.model`)
        #[arg(long)]
        policy: Option<PathBuf>,
        /// The file to write (report.html, or report.xlsx with --format xlsx)
        #[arg(long)]
        output: PathBuf,
        /// html: the working paper; xlsx: its tables as a workbook (default: from the output's
        /// extension, else html)
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        /// Language of the report (default: Japanese)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Leave out the smallest fix per exposed store (its search dominates on large
        /// topologies)
        #[arg(long)]
        no_fix: bool,
    },
    /// What a change opens and closes: new and resolved findings, zone-matrix changes, newly
    /// reachable and closed services, attack paths; exit 1 when the change adds a deny-level
    /// finding
    Diff {
        /// The design before the change: a topology file or directory
        before: PathBuf,
        /// The design after the change
        after: PathBuf,
        /// One policy for both sides (default: each side's built-in profile of `meta.model`)
        #[arg(long)]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Import a device configuration, or the hosts of an IP address ledger (`import inventory
    /// LEDGER.csv|LEDGER.xlsx`), as a topology file that merges with the rest of the design
    Import {
        /// Who made the device (what syntax the configuration is in), or `inventory` for a ledger
        #[arg(value_enum)]
        vendor: VendorArg,
        /// The configuration: FortiOS backup, IOS or ASA running-config, RTX config, iptables-save
        /// output, PAN-OS XML running configuration; or the ledger (CSV in UTF-8 or Shift_JIS, .xlsx)
        config: PathBuf,
        /// The mapping file: which device interface sits on which segment or external; for a
        /// ledger, which column holds which fact of a host
        #[arg(long = "map", value_name = "MAPPING")]
        map: PathBuf,
        /// Directory to write DEVICE.toml (a ledger: LEDGER.toml) into; created if missing
        #[arg(long, default_value = ".")]
        output: PathBuf,
        /// iptables: an `ipset save` dump, so `--match-set` rules read as the sets' addresses
        #[arg(long, value_name = "FILE")]
        ipset: Option<PathBuf>,
        /// iptables: an `ip route` dump (`ip route show table all`), the box's routing table
        #[arg(long, value_name = "FILE")]
        routes: Option<PathBuf>,
        /// Warnings on stderr: one line per topic with a count, or every warning
        #[arg(long, value_enum, default_value = "grouped")]
        warnings: WarningsArg,
        /// `json`: the import's summary and every warning on stdout
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        /// Ledger only: the design whose segments the addresses are placed in (a topology file
        /// or directory; default: the output directory)
        #[arg(long)]
        topology: Option<PathBuf>,
    },
    /// Write a commented starter design and policy for a network model, and print the facts
    /// still to fill in (what `check` reports as unknown)
    Init {
        /// The network model the design follows
        #[arg(long, value_enum)]
        model: ModelArg,
        /// The municipality's name (meta.name), e.g. さんそう市
        #[arg(long)]
        name: Option<String>,
        /// Directory to write topology/ and policy.toml into; existing files are never
        /// overwritten
        #[arg(long)]
        output: PathBuf,
        /// Language of the checklist (default: from LANG)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Print the JSON Schema of the topology or the policy format (for editors: taplo, Even
    /// Better TOML), derived from the loader
    Schema {
        #[arg(value_enum)]
        format: SchemaArg,
    },
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
    /// Generate a synthetic topology of a benchmark tier (BENCHMARKS.md)
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
        /// Write several files instead of one (`00-base`, `10-hosts`, `20-firewalls-NNN` of 100
        /// firewalls each), which sansou merges when given the directory; put them in a
        /// directory of their own
        #[arg(long)]
        split: bool,
        /// Leave out the routing tables every other site's firewalls get (to time their cost)
        #[arg(long)]
        no_routes: bool,
        /// Leave out the address translation every third site's internet edge gets (to time
        /// its cost)
        #[arg(long)]
        no_nat: bool,
    },
}

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

// After the macros above, which it uses.
mod watch;

/// Outcome of a command that ran: exit code 0 or 1. Anything that stops sansou is an `Err` (2).
type Outcome = Result<ExitCode>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Outcome {
    QUIET.store(cli.quiet, Ordering::Relaxed);
    match cli.command {
        Command::Validate {
            topology,
            policy,
            lang,
            format,
            all,
        } => validate(&topology, policy.as_deref(), lang, format, all),
        Command::Graph {
            topology,
            policy,
            format,
            lang: l,
            zone,
        } => graph(
            &topology,
            policy.as_deref(),
            format,
            lang(l),
            zone.as_deref(),
        ),
        Command::Check {
            topology,
            policy,
            lang: l,
            all,
            watch: true,
            ..
        } => watch::run(&topology, policy.as_deref(), lang(l), all),
        Command::Check {
            topology,
            policy,
            format,
            lang: l,
            exit_zero,
            all,
            watch: false,
        } => check(
            &topology,
            policy.as_deref(),
            format,
            lang(l),
            exit_zero,
            all,
        ),
        Command::Paths {
            topology,
            from,
            to,
            services,
            format,
            explain_blocked,
            max_pairs,
            lang: l,
        } => paths(
            &topology,
            &PathsArgs {
                from,
                to,
                services,
                format,
                explain_blocked,
                max_pairs,
                lang: lang(l),
            },
        ),
        Command::Matrix {
            topology,
            format,
            lang: l,
        } => matrix(&topology, format, lang(l)),
        Command::Attack {
            topology,
            policy,
            assume_compromised,
            entry,
            format,
            no_fix,
            fix_budget,
            lang: l,
        } => attack(
            &topology,
            policy.as_deref(),
            &assume_compromised,
            &entry,
            format,
            (!no_fix).then_some(fix_budget),
            lang(l),
        ),
        Command::Report {
            topology,
            policy,
            output,
            format,
            lang: l,
            no_fix,
        } => {
            let xlsx = format == Some(ReportFormat::Xlsx)
                || (format.is_none() && output.extension().is_some_and(|e| e == "xlsx"));
            report_html(
                &topology,
                policy.as_deref(),
                &output,
                l.map_or(Lang::Ja, |l| lang(Some(l))),
                !no_fix,
                xlsx,
            )
        }
        Command::Diff {
            before,
            after,
            policy,
            format,
            lang: l,
        } => diff(&before, &after, policy.as_deref(), format, lang(l)),
        Command::Import {
            vendor: VendorArg::Inventory,
            config,
            map,
            output,
            topology,
            ipset,
            routes,
            warnings: _,
            format,
        } => {
            if ipset.is_some() {
                bail!("--ipset is for `import iptables` only");
            }
            if routes.is_some() {
                bail!("--routes is for `import iptables` only");
            }
            if matches!(format, TextOrJson::Json) {
                bail!("--format json is for device imports; `import inventory` reports in text");
            }
            import_inventory(&config, &map, &output, topology.as_deref())
        }
        Command::Import {
            vendor,
            config,
            map,
            output,
            topology,
            ipset,
            routes,
            warnings,
            format,
        } => {
            if topology.is_some() {
                bail!("--topology is for `import inventory` only");
            }
            import(
                vendor,
                &config,
                &map,
                &output,
                (ipset.as_deref(), routes.as_deref()),
                warnings,
                format,
            )
        }
        Command::Init {
            model,
            name,
            output,
            lang: l,
        } => init(model, name.as_deref(), &output, lang(l)),
        Command::Schema { format } => {
            let schema = match format {
                SchemaArg::Topology => load::schema::topology(),
                SchemaArg::Policy => load::schema::policy(),
            };
            outln!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code, lang: l } => explain(&code, lang(l)),
        Command::Rules { format, lang: l } => rules(format, lang(l)),
        Command::Generate {
            tier,
            seed,
            format,
            output,
            split,
            no_routes,
            no_nat,
        } => generate(
            &tier,
            seed,
            format,
            &output,
            split,
            sansou::generate::Options {
                routes: !no_routes,
                nat: !no_nat,
            },
        ),
    }
}

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

/// The rule-list warnings (shadowed and redundant rules), sorted: `validate` prints them,
/// `check --format sarif` and `report` carry them too.
fn lint_warnings(topology: &sansou::model::Topology) -> diag::Diagnostics {
    let mut lint = diag::Diagnostics::default();
    for d in sansou::analysis::rule_lint::rule_warnings(topology) {
        lint.push(d);
    }
    lint.sort();
    lint
}

fn validate(
    topology: &Path,
    policy: Option<&Path>,
    lang_arg: Option<LangArg>,
    format: TextOrJson,
    all: bool,
) -> Outcome {
    let p = progress();
    let inputs = load_checked(topology, policy, &p)?;
    // Rule lists that cannot be what the author meant: warnings, with both places shown.
    p.stage("linting rule lists");
    let lint = lint_warnings(&inputs.topology);
    if matches!(format, TextOrJson::Json) {
        drop(p);
        let body = report::lint::json(&inputs.sources, &inputs.diagnostics, &lint);
        out!("{}", report::json::document(&inputs.sources, body));
        return Ok(ExitCode::SUCCESS);
    }
    let cap = (!all).then_some(report::check::SHOWN);
    p.eprint(&report::lint::text(
        &inputs.sources,
        &lint,
        cap,
        lang(lang_arg),
    ));
    drop(p);
    out!(
        "{}",
        report::inventory::render(&inputs.topology, lang(lang_arg))
    );
    if let Some(p) = &inputs.policy {
        let profile = p.profile.map_or("-".to_string(), |p| p.to_string());
        outln!(
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

fn graph(
    topology: &Path,
    policy: Option<&Path>,
    format: GraphFormat,
    lang: Lang,
    zone: Option<&str>,
) -> Outcome {
    if policy.is_some() && !matches!(format, GraphFormat::Svg) {
        bail!("--policy draws violating paths in --format svg only");
    }
    if zone.is_some() && !matches!(format, GraphFormat::Svg) {
        bail!("--zone draws one zone in --format svg only");
    }
    let inputs = load_checked(topology, policy, &progress())?;
    let mut diagram = report::diagram::build(&inputs.topology);
    if let Some(z) = zone {
        let known: Vec<&str> = inputs
            .topology
            .zones
            .iter()
            .map(|z| z.id.as_str())
            .collect();
        diagram = match report::svg::zone_view(&diagram, &format!("zone:{z}")) {
            Some(view) => view,
            None => bail!("--zone {z}: no such zone (zones: {})", known.join(", ")),
        };
    }
    let marks = match &inputs.policy {
        Some(p) => {
            let checked = pipeline::check(checked(&inputs)?, p, &clock::today());
            report::html::violation_marks(&checked.cx.reach, &checked.result)
        }
        None => report::svg::Marks::default(),
    };
    let text = match format {
        GraphFormat::Dot => report::dot::render(&diagram),
        GraphFormat::Mermaid => report::mermaid::render(&diagram),
        GraphFormat::Svg => report::svg::render(
            &inputs.topology,
            &diagram,
            &marks,
            lang,
            report::svg::Embedding::Standalone,
        ),
    };
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `sansou report`: the rules and the zone matrix, written as one HTML working paper.
fn report_html(
    topology: &Path,
    policy: Option<&Path>,
    output: &Path,
    lang: Lang,
    fixes: bool,
    xlsx: bool,
) -> Outcome {
    let p = progress();
    let inputs = load_checked(topology, policy, &p)?;
    let declared = inputs.policy.clone();
    let policy_used = declared.clone().unwrap_or_default();
    let reach = analyse(checked(&inputs)?, &p);
    p.stage("checking rules");
    let pipeline::Checked { mut cx, result } =
        pipeline::check_with(&inputs.topology, &policy_used, reach, &clock::today());
    let policy_path = policy.map(|p| p.display().to_string());
    if xlsx {
        let sheets = report::sheets::all(&report::sheets::Input {
            reach: &cx.reach,
            sources: &inputs.sources,
            result: &result,
            policy: declared.as_ref(),
            policy_path: policy_path.as_deref(),
            lang,
        });
        let title = inputs.topology.meta.name.clone().unwrap_or_default();
        let bytes = report::xlsx::write(&sheets, &title, &result.today)
            .map_err(|e| anyhow::anyhow!("cannot make the workbook: {e}"))?;
        std::fs::write(output, bytes)
            .with_context(|| format!("cannot write {}", output.display()))?;
        drop(p);
        return wrote(output, &result);
    }
    p.stage("zone matrix");
    let matrix = analysis::matrix::compute(&mut cx.reach);
    p.stage("attack paths");
    let attack_opts = analysis::attack::Options {
        fixes,
        fix_budget: analysis::attack::fix_budget_for(&inputs.topology),
        ..Default::default()
    };
    // The attacker's machines on the Wi-Fi and remote-access lines open to it are hosts of
    // their own: the packets are followed again over the design that has them.
    let with_entries = analysis::attack::entry::with_entry_devices(&inputs.topology, &policy_used);
    let (attack, attack_topo) = match &with_entries {
        None => (
            analysis::attack::analyze(&mut cx.reach, &policy_used, &attack_opts),
            &inputs.topology,
        ),
        Some(with) => {
            let mut reach = Reachability::compute(checked(&inputs)?.derived(with));
            let attack = analysis::attack::analyze(&mut reach, &policy_used, &attack_opts);
            (attack, with)
        }
    };
    p.stage("linting rule lists");
    let lint = lint_warnings(&inputs.topology);
    p.stage("writing the report");
    let topology_path = topology.display().to_string();
    let html = report::html::render(&report::html::Report {
        topology_path: &topology_path,
        policy_path: policy_path.as_deref(),
        sources: &inputs.sources,
        reach: &cx.reach,
        policy: declared.as_ref(),
        result: &result,
        matrix: &matrix,
        attack: report::html::AttackInput::FromInternet(&attack, attack_topo),
        lint: &lint.items,
        lang,
    });
    std::fs::write(output, html).with_context(|| format!("cannot write {}", output.display()))?;
    drop(p);
    wrote(output, &result)
}

/// Says what a report holds, and exits 1 when deny-level findings stand.
fn wrote(output: &Path, result: &sansou::rules::engine::CheckResult) -> Outcome {
    let s = result.summary();
    errln!(
        "wrote {}: {} deny, {} warn, {} accepted, {} unknown",
        output.display(),
        s.deny,
        s.warn,
        s.accepted,
        s.unknown
    );
    Ok(if result.fails() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A selector given on the command line: parsed, and its id checked against the topology.
fn selector_arg(text: &str, flag: &str, topology: &sansou::model::Topology) -> Result<Selector> {
    load::cli_selector::resolve(text, flag, topology).map_err(|e| anyhow::anyhow!(e))
}

/// The entry kinds `--entry` names (`internet` and `all` stand for several).
fn entry_args(words: &[String]) -> Result<Vec<sansou::model::policy::Entry>> {
    use sansou::model::policy::Entry;
    let mut out = Vec::new();
    for w in words {
        match w.as_str() {
            "all" => out.extend(Entry::WORDS.iter().filter_map(|w| Entry::parse(w))),
            "internet" => out.extend([Entry::InternetUse, Entry::ExposedServices]),
            _ => out.push(Entry::parse(w).ok_or_else(|| {
                anyhow::anyhow!(
                    "--entry {w}: expected one of {}, internet, all",
                    Entry::WORDS.join(", ")
                )
            })?),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn attack(
    topology: &Path,
    policy: Option<&Path>,
    assume: &[String],
    entry: &[String],
    format: AttackFormat,
    fix_budget: Option<Option<usize>>,
    lang: Lang,
) -> Outcome {
    use sansou::analysis::attack;
    let entry = entry_args(entry)?;
    let p = progress();
    let inputs = load_checked(topology, policy, &p)?;
    let mut policy = inputs.policy.clone().unwrap_or_default();
    if !entry.is_empty() {
        policy.attacker.entry = entry;
    }
    // An address, segment, zone or tier selector also assumes a rogue device at every
    // undeclared address it covers (an unregistered laptop plugged in there).
    let mut with_rogues = inputs.topology.clone();
    for sel in &policy.attacker.rogue_devices {
        attack::rogue::add_rogue_devices(&mut with_rogues, sel);
    }
    // From outside, the attacker also joins the Wi-Fi and remote-access lines open to it, on
    // machines of its own; a what-if starts from the hosts named only.
    if assume.is_empty() {
        attack::entry::add_entry_devices(&mut with_rogues, &policy);
    }
    let mut assumed = Vec::new();
    for text in assume {
        let sel = selector_arg(text, "--assume-compromised", &inputs.topology)?;
        let mut index = analysis::host_index::HostIndex::new(&inputs.topology);
        let hosts = index.of(&sel);
        let rogues = attack::rogue::add_rogue_devices(&mut with_rogues, &sel);
        if hosts.is_empty() && rogues.is_empty() {
            bail!("--assume-compromised {text}: it names no host and no undeclared address");
        }
        assumed.extend(hosts.iter().copied());
        assumed.extend(rogues);
    }
    let topo = &with_rogues;
    assumed.sort();
    assumed.dedup();
    let opts = attack::Options {
        assume_compromised: assumed,
        fixes: fix_budget.is_some(),
        fix_budget: fix_budget
            .flatten()
            .unwrap_or_else(|| attack::fix_budget_for(topo)),
    };
    let mut reach = analyse(checked(&inputs)?.derived(topo), &p);
    p.stage("attack paths");
    let result = attack::analyze(&mut reach, &policy, &opts);
    drop(p);
    match format {
        AttackFormat::Text => out!(
            "{}",
            report::attack::text(&reach, &inputs.sources, &result, &policy, &opts, lang)
        ),
        AttackFormat::Json => out!(
            "{}",
            report::json::document(
                &inputs.sources,
                report::attack::json(&reach, &inputs.sources, &result, &policy, &opts, lang)
            )
        ),
        AttackFormat::Dot => out!("{}", report::attack::dot(topo, &result)),
    }
    // From the internet, personal data within the attacker's reach is a deny-level result; a
    // what-if answers a question and always exits 0.
    let exposed = result.stores.iter().any(|e| e.readable());
    Ok(if exposed && opts.assume_compromised.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct PathsArgs {
    from: String,
    to: String,
    services: Vec<String>,
    format: TextOrJson,
    explain_blocked: bool,
    max_pairs: usize,
    lang: Lang,
}

fn paths(topology: &Path, args: &PathsArgs) -> Outcome {
    let p = progress();
    let inputs = load_checked(topology, None, &p)?;
    let from = selector_arg(&args.from, "--from", &inputs.topology)?;
    let to = selector_arg(&args.to, "--to", &inputs.topology)?;
    let services: Vec<Service> = args
        .services
        .iter()
        .map(|s| Service::parse(s).map_err(|e| anyhow::anyhow!("--service {s}: {e}")))
        .collect::<Result<_>>()?;
    let mut reach = analyse(checked(&inputs)?, &p);
    p.stage("finding paths");
    let query = analysis::paths::Query {
        from: &from,
        to: &to,
        services: &services,
    };
    let limit = if args.max_pairs == 0 {
        usize::MAX
    } else {
        args.max_pairs
    };
    let (pairs, truncated) =
        analysis::paths::pairs_bounded(&mut reach, &query, limit).map_err(anyhow::Error::msg)?;
    if truncated {
        p.eprint(&format!(
            "note: more than {limit} reachable pairs; the first {limit} found (destination by destination) are shown. Narrow --from / --to, or pass --max-pairs 0 for all of them.\n"
        ));
    }
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
    drop(p);
    match args.format {
        TextOrJson::Text => out!(
            "{}",
            report::paths::text(&reach, &inputs.sources, &r, args.lang)
        ),
        TextOrJson::Json => out!(
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
    let p = progress();
    let inputs = load_checked(topology, None, &p)?;
    let mut reach = analyse(checked(&inputs)?, &p);
    p.stage("zone matrix");
    let m = analysis::matrix::compute(&mut reach);
    drop(p);
    match format {
        TextOrJson::Text => out!("{}", report::matrix::text(&inputs.topology, &m, lang)),
        TextOrJson::Json => out!(
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
    all: bool,
) -> Outcome {
    let p = progress();
    let policy_arg = policy;
    let inputs = load_checked(topology, policy, &p)?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let reach = analyse(checked(&inputs)?, &p);
    p.stage("checking rules");
    let pipeline::Checked { cx, result } =
        pipeline::check_with(&inputs.topology, &policy, reach, &clock::today());
    p.stage("writing the report");
    let text = match format {
        CheckFormat::Json => report::json::document(
            &inputs.sources,
            report::check::json(&cx.reach, &inputs.sources, &result),
        ),
        CheckFormat::Sarif => {
            p.stage("linting rule lists");
            let lint = lint_warnings(&inputs.topology);
            report::sarif::document(&cx.reach, &inputs.sources, &result, &lint.items, lang)
        }
        CheckFormat::Text => {
            let cap = (!all).then_some(report::check::SHOWN);
            report::check::text_capped(&cx.reach, &inputs.sources, &result, lang, cap)
        }
        CheckFormat::Csv => {
            let policy_path = policy_arg.map(|p| p.display().to_string());
            report::csv::write(&report::sheets::checklist_with_findings(
                &report::sheets::Input {
                    reach: &cx.reach,
                    sources: &inputs.sources,
                    result: &result,
                    policy: inputs.policy.as_ref(),
                    policy_path: policy_path.as_deref(),
                    lang,
                },
            ))
        }
    };
    drop(p);
    console::out(&text)?;
    Ok(if result.fails() && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads one side of a diff, runs the check on it and reduces it to a snapshot.
fn diff_side(
    topology: &Path,
    policy: Option<&Path>,
) -> Result<(sansou::diff::Snapshot, sansou::source::SourceMap)> {
    let p = progress();
    let inputs = load_checked(topology, policy, &p)?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let reach = analyse(checked(&inputs)?, &p);
    p.stage("checking rules");
    let pipeline::Checked { mut cx, result } =
        pipeline::check_with(&inputs.topology, &policy, reach, &clock::today());
    p.stage("summarising the results");
    let snapshot = sansou::diff::snapshot(&mut cx.reach, &inputs.sources, &result, &policy);
    Ok((snapshot, inputs.sources))
}

fn diff(
    before: &Path,
    after: &Path,
    policy: Option<&Path>,
    format: TextOrJson,
    lang: Lang,
) -> Outcome {
    let (old, old_sources) = diff_side(before, policy).context("before the change")?;
    let (new, new_sources) = diff_side(after, policy).context("after the change")?;
    let d = sansou::diff::compare(old, new);
    let (before_path, after_path) = (before.display().to_string(), after.display().to_string());
    let r = report::diff::DiffReport {
        before_path: &before_path,
        after_path: &after_path,
        before_sources: &old_sources,
        after_sources: &new_sources,
        diff: &d,
    };
    match format {
        TextOrJson::Text => out!("{}", report::diff::text(&r, lang)),
        TextOrJson::Json => out!("{}", report::diff::json(&r)),
    }
    Ok(if d.adds_deny() {
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
    out!("{}", report::rules::explain(rule.meta(), lang));
    Ok(ExitCode::SUCCESS)
}

fn rules(format: TextOrJson, lang: Lang) -> Outcome {
    let all = sansou::rules::registry();
    match format {
        TextOrJson::Text => out!("{}", report::rules::table(&all, lang)),
        TextOrJson::Json => {
            let mut text = serde_json::to_string_pretty(&report::rules::json(&all))?;
            text.push('\n');
            out!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(
    tier: &str,
    seed: u64,
    format: WriteFormat,
    output: &Path,
    split: bool,
    options: sansou::generate::Options,
) -> Outcome {
    let Some(size) = sansou::generate::Size::parse(tier) else {
        bail!("--tier {tier}: expected S, M, L or XL");
    };
    let topology = sansou::generate::generate_with(size, seed, options);
    let format = match format {
        WriteFormat::Toml => report::topology::TextFormat::Toml,
        WriteFormat::Json => report::topology::TextFormat::Json,
        WriteFormat::JsonCompact => report::topology::TextFormat::JsonCompact,
    };
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let files = report::topology::files(&topology, format, split);
    for (name, text) in &files {
        let path = output.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let written = match files.as_slice() {
        [(name, _)] => output.join(name).display().to_string(),
        _ => format!("{} files into {}", files.len(), output.display()),
    };
    errln!(
        "wrote {written} (tier {size}, seed {seed}): {} segments, {} hosts, {} firewalls, {} rules",
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

/// How many warning topics `import` prints; `--warnings all` prints every warning.
const IMPORT_TOPICS_SHOWN: usize = 40;

fn import(
    vendor: VendorArg,
    config: &Path,
    map: &Path,
    output: &Path,
    (ipset, routes): (Option<&Path>, Option<&Path>),
    warnings: WarningsArg,
    format: TextOrJson,
) -> Outcome {
    use sansou::import::{self, Vendor, common};
    let vendor = match vendor {
        VendorArg::Fortigate => Vendor::FortiGate,
        VendorArg::CiscoIos => Vendor::CiscoIos,
        VendorArg::YamahaRtx => Vendor::YamahaRtx,
        VendorArg::Iptables => Vendor::Iptables,
        VendorArg::Asa => Vendor::CiscoAsa,
        VendorArg::Paloalto => Vendor::PaloAlto,
        VendorArg::Inventory => bail!("`import inventory` is read by its own command"),
    };
    let map_name = map.display().to_string();
    let map_text =
        std::fs::read_to_string(map).with_context(|| format!("cannot read {map_name}"))?;
    let mut mapping = import::Mapping::parse(&map_name, &map_text).map_err(|rendered| {
        err!("{rendered}");
        anyhow::anyhow!("{map_name} has errors; nothing was imported")
    })?;
    let mut inputs = vec![(map_name.clone(), map_text)];
    if let Some(path) = ipset {
        if vendor != Vendor::Iptables {
            bail!("--ipset is for iptables configurations");
        }
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
        mapping.ipsets = Some(
            import::ipset::parse(&name, &text)
                .map_err(|e| anyhow::anyhow!("{}", e.located(&name)))?,
        );
        inputs.push((name, text));
    }
    if let Some(path) = routes {
        if vendor != Vendor::Iptables {
            bail!("--routes is for iptables configurations (the others carry their routes)");
        }
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
        mapping.routes = Some(
            import::ip_route::parse(&name, &text)
                .map_err(|e| anyhow::anyhow!("{}", e.located(&name)))?,
        );
        inputs.push((name, text));
    }
    let name = config.display().to_string();
    // The same memory guard as topologies: refuse a configuration too big to import here, and
    // never read more of one (a device or pipe has no size to check beforehand).
    load::limits::check_inputs(&[config.to_path_buf()])?;
    let bytes = load::read_input(config)?;
    // Device configurations are sometimes saved as Shift_JIS (comments, descriptions); the
    // commands are ASCII, so reading the rest lossily keeps every line number right.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "warning: {name} is not UTF-8; non-UTF-8 text (comments, descriptions) is replaced"
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let imported = (vendor.importer())(&name, &text, &mapping)
        .map_err(|e| anyhow::anyhow!("{}", e.located(&name)))?;
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let path = output.join(format!("{}.toml", imported.firewall.id));
    std::fs::write(&path, import::to_toml(&imported, vendor, &name))
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let TextOrJson::Json = format {
        inputs.insert(0, (name.clone(), text));
        let written = path.display().to_string();
        out!(
            "{}",
            import::json(&inputs, &imported, vendor, &name, &written)
        );
    } else {
        let shown = match warnings {
            WarningsArg::Grouped => common::Shown::Grouped(IMPORT_TOPICS_SHOWN),
            WarningsArg::All => common::Shown::All,
        };
        err!(
            "{}",
            common::warnings_text(&name, &imported.warnings, shown)
        );
    }
    errln!(
        "{}\nwrote {}",
        import::summary(&imported, vendor, &name),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `sansou init`: writes the starter (never over an existing file), checks it, and prints its
/// unknown findings as the checklist of facts to fill in.
fn init(model: ModelArg, name: Option<&str>, output: &Path, lang: Lang) -> Outcome {
    use sansou::model::NetworkModel;
    let model = match model {
        ModelArg::Alpha => NetworkModel::Alpha,
        ModelArg::AlphaPrime => NetworkModel::AlphaPrime,
        ModelArg::Beta => NetworkModel::Beta,
        ModelArg::BetaPrime => NetworkModel::BetaPrime,
    };
    let files = sansou::init::starter(model, name);
    let existing: Vec<String> = files
        .iter()
        .map(|f| output.join(&f.path))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "refusing to overwrite {}; choose another --output or move them away (nothing was written)",
            existing.join(", ")
        );
    }
    for f in &files {
        let path = output.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // create_new: a file that appeared since the check above is still not overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, f.text.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        errln!("wrote {}", path.display());
    }
    let topology = output.join(sansou::init::TOPOLOGY_DIR);
    let policy_path = output.join(sansou::init::POLICY_FILE);
    let inputs = load_checked(&topology, Some(&policy_path), &progress())?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let result = pipeline::check(checked(&inputs)?, &policy, &clock::today()).result;
    let items = sansou::init::checklist(&result);
    out!("{}", report::checklist::text(&inputs.sources, &items, lang));
    outln!(
        "{}",
        lang.pick(
            &format!(
                "確認: sansou check {} --policy {}",
                topology.display(),
                policy_path.display()
            ),
            &format!(
                "next: sansou check {} --policy {}",
                topology.display(),
                policy_path.display()
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// `sansou import inventory`: the ledger's rows as hosts placed in the design's segments,
/// written as `OUTPUT/LEDGER.toml`. Every bad row is reported; nothing is written unless all
/// rows read. A file of that name that this command did not write is never overwritten.
fn import_inventory(ledger: &Path, map: &Path, output: &Path, topology: Option<&Path>) -> Outcome {
    use sansou::import::inventory;
    let map_name = map.display().to_string();
    let map_text =
        std::fs::read_to_string(map).with_context(|| format!("cannot read {map_name}"))?;
    let columns = inventory::Columns::parse(&map_name, &map_text).map_err(|rendered| {
        err!("{rendered}");
        anyhow::anyhow!("{map_name} has errors; nothing was imported")
    })?;
    let stem = ledger
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("inventory");
    let path = output.join(format!("{stem}.toml"));
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.starts_with(inventory::HEADER)
    {
        bail!(
            "{} exists and was not written by `sansou import inventory`; refusing to overwrite it (rename the ledger or choose another --output)",
            path.display()
        );
    }
    // The design: every topology file but the one about to be rewritten (its hosts are the
    // ledger's previous import).
    let design_path = topology.unwrap_or(output);
    let files: Vec<PathBuf> = load::topology_files(design_path)
        .with_context(|| {
            format!(
                "the design to place the addresses in (--topology, default the output directory {})",
                output.display()
            )
        })?
        .into_iter()
        .filter(|p| !same_file(p, &path))
        .collect();
    if files.is_empty() {
        bail!(
            "{} holds no design besides {}; write the segments first (`sansou init`) or pass --topology",
            design_path.display(),
            path.display()
        );
    }
    let design = load::load_topology_files(files)?;
    err!("{}", diag::render_all(&design.sources, &design.diagnostics));
    if design.diagnostics.error_count() > 0 {
        bail!(
            "the design {} has errors; fix them first (nothing was imported)",
            design_path.display()
        );
    }
    let name = ledger.display().to_string();
    load::limits::check_inputs(&[ledger.to_path_buf()])?;
    let bytes = load::read_input(ledger)?;
    let imported = inventory::import(bytes, &columns, &design.value).map_err(|errors| {
        for e in &errors {
            errln!("error: {}", e.located(&name));
        }
        anyhow::anyhow!("{name} has {} error(s); nothing was imported", errors.len())
    })?;
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    std::fs::write(&path, inventory::to_toml(&imported, &name))
        .with_context(|| format!("cannot write {}", path.display()))?;
    errln!(
        "{}\nwrote {}",
        inventory::summary(&imported, &name),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The same file, however the two paths spell it.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
