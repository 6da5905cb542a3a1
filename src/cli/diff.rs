//! `sansou diff`: what a change opens and closes, each side checked and reduced to a
//! snapshot (`sansou::diff`).

use super::{LangArg, TextOrJson, lang, load_checked, progress};
use crate::{Outcome, clock, console};
use anyhow::{Context as _, Result};
use sansou::diff::Snapshot;
use sansou::source::SourceMap;
use sansou::{pipeline, report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct Args {
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
}

/// Loads one side of a diff, runs the check on it and reduces it to a snapshot.
fn side(topology: &Path, policy: Option<&Path>) -> Result<(Snapshot, SourceMap)> {
    let p = progress();
    let inputs = load_checked(topology, policy, &p)?;
    let policy = inputs.policy.clone().unwrap_or_default();
    let pipeline::Checked { mut cx, result } =
        pipeline::check_staged(super::checked(&inputs)?, &policy, &clock::today(), &p);
    p.stage("summarising the results");
    let snapshot = sansou::diff::snapshot(&mut cx.reach, &inputs.sources, &result, &policy);
    Ok((snapshot, inputs.sources))
}

pub(super) fn run(args: Args) -> Outcome {
    let policy = args.policy.as_deref();
    let (old, old_sources) = side(&args.before, policy).context("before the change")?;
    let (new, new_sources) = side(&args.after, policy).context("after the change")?;
    let d = sansou::diff::compare(old, new);
    let (before_path, after_path) = (
        args.before.display().to_string(),
        args.after.display().to_string(),
    );
    let r = report::diff::DiffReport {
        before_path: &before_path,
        after_path: &after_path,
        before_sources: &old_sources,
        after_sources: &new_sources,
        diff: &d,
    };
    match args.format {
        TextOrJson::Text => out!("{}", report::diff::text(&r, lang(args.lang))),
        TextOrJson::Json => out!("{}", report::diff::json(&r)),
    }
    Ok(if d.adds_deny() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
