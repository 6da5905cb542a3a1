//! `sansou paths`: every reachable pair between two selections, each with a witness, and on
//! request where the blocked ones are dropped.

use super::{LangArg, TextOrJson, lang, load_checked, progress, selector_arg};
use crate::{Outcome, console};
use anyhow::Result;
use sansou::model::Service;
use sansou::{analysis, pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let p = progress();
    let inputs = load_checked(&args.topology, None, &p)?;
    let from = selector_arg(&args.from, "--from", &inputs.topology)?;
    let to = selector_arg(&args.to, "--to", &inputs.topology)?;
    let services: Vec<Service> = args
        .services
        .iter()
        .map(|s| Service::parse(s).map_err(|e| anyhow::anyhow!("--service {s}: {e}")))
        .collect::<Result<_>>()?;
    let mut reach = pipeline::reachability(super::checked(&inputs)?, &p);
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
            report::paths::text(&reach, &inputs.sources, &r, lang(args.lang))
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
