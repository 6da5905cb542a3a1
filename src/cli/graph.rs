//! `sansou graph`: the topology drawn as DOT, Mermaid or SVG (with a policy, the paths of
//! deny-level findings in red).

use super::{LangArg, lang, load_checked, progress};
use crate::{Outcome, clock, console};
use anyhow::bail;
use clap::ValueEnum;
use sansou::{pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let svg = matches!(args.format, GraphFormat::Svg);
    if args.policy.is_some() && !svg {
        bail!("--policy draws violating paths in --format svg only");
    }
    if args.zone.is_some() && !svg {
        bail!("--zone draws one zone in --format svg only");
    }
    let inputs = load_checked(&args.topology, args.policy.as_deref(), &progress())?;
    let mut diagram = report::diagram::build(&inputs.topology);
    if let Some(z) = &args.zone {
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
            let checked = pipeline::check(super::checked(&inputs)?, p, &clock::today());
            report::html::violation_marks(&checked.cx.reach, &checked.result)
        }
        None => report::svg::Marks::default(),
    };
    let text = match args.format {
        GraphFormat::Dot => report::dot::render(&diagram),
        GraphFormat::Mermaid => report::mermaid::render(&diagram),
        GraphFormat::Svg => report::svg::render(
            &inputs.topology,
            &diagram,
            &marks,
            lang(args.lang),
            report::svg::Embedding::Standalone,
        ),
    };
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}
