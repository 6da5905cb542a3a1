//! `sansou validate`: every problem of the inputs, the rule lists' warnings, an inventory.

use super::{LangArg, TextOrJson, lang, load_checked, progress};
use crate::{Outcome, console};
use sansou::{pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let p = progress();
    let inputs = load_checked(&args.topology, args.policy.as_deref(), &p)?;
    // Rule lists that cannot be what the author meant: warnings, with both places shown.
    p.stage("linting rule lists");
    let lint = pipeline::lint_warnings(&inputs.topology);
    if matches!(args.format, TextOrJson::Json) {
        drop(p);
        let body = report::lint::json(&inputs.sources, &inputs.diagnostics, &lint);
        out!("{}", report::json::document(&inputs.sources, body));
        return Ok(ExitCode::SUCCESS);
    }
    let cap = (!args.all).then_some(report::check::SHOWN);
    p.eprint(&report::lint::text(
        &inputs.sources,
        &lint,
        cap,
        lang(args.lang),
    ));
    drop(p);
    out!(
        "{}",
        report::inventory::render(&inputs.topology, lang(args.lang))
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
