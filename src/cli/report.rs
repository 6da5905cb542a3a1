//! `sansou report`: the audit working paper (監査調書) as one HTML file, or its tables as an
//! Excel workbook.

use super::{LangArg, lang, load_checked, progress};
use crate::{Outcome, clock, console};
use anyhow::Context as _;
use clap::ValueEnum;
use sansou::lang::Lang;
use sansou::rules::engine::CheckResult;
use sansou::{pipeline, report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Html,
    /// An Excel workbook: checklist, findings, firewall rules, exceptions, inputs
    Xlsx,
}

#[derive(clap::Args)]
pub(super) struct Args {
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
}

pub(super) fn run(args: Args) -> Outcome {
    let xlsx = args.format == Some(ReportFormat::Xlsx)
        || (args.format.is_none() && args.output.extension().is_some_and(|e| e == "xlsx"));
    let lang = args.lang.map_or(Lang::Ja, |l| lang(Some(l)));
    let output = &args.output;
    let p = progress();
    let inputs = load_checked(&args.topology, args.policy.as_deref(), &p)?;
    let declared = inputs.policy.clone();
    let policy_used = declared.clone().unwrap_or_default();
    let mut checked =
        pipeline::check_staged(super::checked(&inputs)?, &policy_used, &clock::today(), &p);
    let policy_path = args.policy.as_ref().map(|p| p.display().to_string());
    if xlsx {
        let sheets = report::sheets::all(&report::sheets::Input {
            reach: &checked.cx.reach,
            sources: &inputs.sources,
            result: &checked.result,
            policy: declared.as_ref(),
            policy_path: policy_path.as_deref(),
            lang,
        });
        let title = inputs.topology.meta.name.clone().unwrap_or_default();
        let bytes = report::xlsx::write(&sheets, &title, &checked.result.today)
            .map_err(|e| anyhow::anyhow!("cannot make the workbook: {e}"))?;
        std::fs::write(output, bytes)
            .with_context(|| format!("cannot write {}", output.display()))?;
        drop(p);
        return wrote(output, &checked.result);
    }
    let audit = pipeline::audit(&mut checked, !args.no_fix, &p);
    p.stage("writing the report");
    let topology_path = args.topology.display().to_string();
    let html = report::html::render(&report::html::Report {
        topology_path: &topology_path,
        policy_path: policy_path.as_deref(),
        sources: &inputs.sources,
        reach: &checked.cx.reach,
        policy: declared.as_ref(),
        result: &checked.result,
        matrix: &audit.matrix,
        attack: report::html::AttackInput::FromInternet(
            &audit.attack,
            audit.attack_topo.as_ref().unwrap_or(&inputs.topology),
        ),
        lint: &audit.lint.items,
        lang,
    });
    std::fs::write(output, html).with_context(|| format!("cannot write {}", output.display()))?;
    drop(p);
    wrote(output, &checked.result)
}

/// Says what a report holds, and exits 1 when deny-level findings stand.
fn wrote(output: &Path, result: &CheckResult) -> Outcome {
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
