//! `sansou attack`: multi-step attack paths to personal data, from outside or from hosts
//! assumed compromised, with the smallest fix per exposed store.

use super::{LangArg, lang, load_checked, progress, selector_arg};
use crate::{Outcome, console};
use anyhow::{Result, bail};
use clap::ValueEnum;
use sansou::analysis::attack;
use sansou::model::policy::Entry;
use sansou::{pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AttackFormat {
    Text,
    Json,
    Dot,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

/// The entry kinds `--entry` names (`internet` and `all` stand for several).
fn entry_args(words: &[String]) -> Result<Vec<Entry>> {
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

pub(super) fn run(args: Args) -> Outcome {
    let lang = lang(args.lang);
    let entry = entry_args(&args.entry)?;
    let p = progress();
    let inputs = load_checked(&args.topology, args.policy.as_deref(), &p)?;
    let mut policy = inputs.policy.clone().unwrap_or_default();
    if !entry.is_empty() {
        policy.attacker.entry = entry;
    }
    let mut design = pipeline::AttackDesign::new(
        &inputs.topology,
        &policy,
        args.assume_compromised.is_empty(),
    );
    for text in &args.assume_compromised {
        let sel = selector_arg(text, "--assume-compromised", &inputs.topology)?;
        if !design.assume(&sel) {
            bail!("--assume-compromised {text}: it names no host and no undeclared address");
        }
    }
    let (design, assumed) = design.finish();
    let topo = &design;
    let opts = attack::Options {
        assume_compromised: assumed,
        fixes: !args.no_fix,
        // With --no-fix a budget given is ignored: the design's default stands.
        fix_budget: (!args.no_fix)
            .then_some(args.fix_budget)
            .flatten()
            .unwrap_or_else(|| attack::fix_budget_for(topo)),
    };
    // The design with the attacker's machines is derived from the checked one.
    let mut reach = pipeline::reachability(super::checked(&inputs)?.derived(topo), &p);
    p.stage("attack paths");
    let result = attack::analyze(&mut reach, &policy, &opts);
    drop(p);
    match args.format {
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
