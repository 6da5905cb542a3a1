//! `sansou generate`: a synthetic topology of a benchmark tier, written as one file or split.

use crate::{Outcome, console};
use anyhow::{Context as _, bail};
use clap::ValueEnum;
use sansou::generate::{Options, Size};
use sansou::report;
use sansou::report::topology::TextFormat;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WriteFormat {
    Toml,
    /// Pretty-printed JSON
    Json,
    /// JSON on one line, as many programs write it
    JsonCompact,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let (tier, seed, output) = (&args.tier, args.seed, &args.output);
    let Some(size) = Size::parse(tier) else {
        bail!("--tier {tier}: expected S, M, L or XL");
    };
    let options = Options {
        routes: !args.no_routes,
        nat: !args.no_nat,
    };
    let topology = sansou::generate::generate_with(size, seed, options);
    let format = match args.format {
        WriteFormat::Toml => TextFormat::Toml,
        WriteFormat::Json => TextFormat::Json,
        WriteFormat::JsonCompact => TextFormat::JsonCompact,
    };
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let files = report::topology::files(&topology, format, args.split);
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
