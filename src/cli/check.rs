//! `sansou check`: the rules' findings as text, JSON, SARIF or CSV; with `--watch`, again at
//! every change of the inputs (`watch/`).

use super::{LangArg, lang, load_checked, progress};
use crate::{Outcome, clock, console};
use clap::ValueEnum;
use sansou::{pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
    /// The checklist with each rule's findings, for spreadsheets (UTF-8 with a byte-order mark)
    Csv,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let lang = lang(args.lang);
    if args.watch {
        return crate::watch::run(&args.topology, args.policy.as_deref(), lang, args.all);
    }
    let p = progress();
    let inputs = load_checked(&args.topology, args.policy.as_deref(), &p)?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let pipeline::Checked { cx, result } =
        pipeline::check_staged(super::checked(&inputs)?, &policy, &clock::today(), &p);
    p.stage("writing the report");
    let text = match args.format {
        CheckFormat::Json => report::json::document(
            &inputs.sources,
            report::check::json(&cx.reach, &inputs.sources, &result),
        ),
        CheckFormat::Sarif => {
            p.stage("linting rule lists");
            let lint = pipeline::lint_warnings(&inputs.topology);
            report::sarif::document(&cx.reach, &inputs.sources, &result, &lint.items, lang)
        }
        CheckFormat::Text => {
            let cap = (!args.all).then_some(report::check::SHOWN);
            report::check::text_capped(&cx.reach, &inputs.sources, &result, lang, cap)
        }
        CheckFormat::Csv => {
            let policy_path = args.policy.as_ref().map(|p| p.display().to_string());
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
    let fails = result.fails();
    // The process ends here: freeing a large design's millions of small allocations (its
    // strings, the packet sets' tables) one by one would take a tenth of a second at tier L
    // for nothing, so they are left to the operating system.
    std::mem::forget((cx, result, text));
    std::mem::forget(inputs);
    Ok(if fails && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
