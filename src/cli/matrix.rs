//! `sansou matrix`: the zone-to-zone table of what crosses.

use super::{LangArg, TextOrJson, lang, load_checked, progress};
use crate::{Outcome, console};
use sansou::{analysis, pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct Args {
    topology: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub(super) fn run(args: Args) -> Outcome {
    let p = progress();
    let inputs = load_checked(&args.topology, None, &p)?;
    let mut reach = pipeline::reachability(super::checked(&inputs)?, &p);
    p.stage("zone matrix");
    let m = analysis::matrix::compute(&mut reach);
    drop(p);
    match args.format {
        TextOrJson::Text => out!(
            "{}",
            report::matrix::text(&inputs.topology, &m, lang(args.lang))
        ),
        TextOrJson::Json => out!(
            "{}",
            report::json::document(&inputs.sources, report::matrix::json(&inputs.topology, &m))
        ),
    }
    Ok(ExitCode::SUCCESS)
}
