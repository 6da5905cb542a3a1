//! `sansou init`: writes the starter (never over an existing file), checks it, and prints its
//! unknown findings as the checklist of facts to fill in.

use super::{LangArg, lang, load_checked, progress};
use crate::{Outcome, clock, console};
use anyhow::{Context as _, bail};
use clap::ValueEnum;
use sansou::model::NetworkModel;
use sansou::{pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum ModelArg {
    Alpha,
    AlphaPrime,
    Beta,
    BetaPrime,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let (output, lang) = (&args.output, lang(args.lang));
    let model = match args.model {
        ModelArg::Alpha => NetworkModel::Alpha,
        ModelArg::AlphaPrime => NetworkModel::AlphaPrime,
        ModelArg::Beta => NetworkModel::Beta,
        ModelArg::BetaPrime => NetworkModel::BetaPrime,
    };
    let files = sansou::init::starter(model, args.name.as_deref());
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
    let result = pipeline::check(super::checked(&inputs)?, &policy, &clock::today()).result;
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
