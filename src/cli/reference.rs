//! The commands that print sansou's own reference: `explain` (one rule), `rules` (all of them)
//! and `schema` (the JSON Schema of the formats).

use super::{LangArg, TextOrJson, lang};
use crate::{Outcome, console};
use anyhow::bail;
use clap::ValueEnum;
use sansou::{load, report};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    Topology,
    Policy,
}

#[derive(clap::Args)]
pub(super) struct SchemaArgs {
    #[arg(value_enum)]
    format: SchemaArg,
}

#[derive(clap::Args)]
pub(super) struct ExplainArgs {
    code: String,
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(clap::Args)]
pub(super) struct RulesArgs {
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub(super) fn schema(args: SchemaArgs) -> Outcome {
    let schema = match args.format {
        SchemaArg::Topology => load::schema::topology(),
        SchemaArg::Policy => load::schema::policy(),
    };
    outln!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn explain(args: ExplainArgs) -> Outcome {
    let code = &args.code;
    let wanted = code.to_ascii_uppercase();
    let Some(rule) = sansou::rules::find(&wanted) else {
        let codes: Vec<&str> = sansou::rules::registry()
            .iter()
            .map(|r| r.meta().code)
            .collect();
        let hint = load::reader::suggest(&wanted, &codes)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        bail!("no rule `{code}`{hint}; `sansou rules` lists them");
    };
    out!("{}", report::rules::explain(rule.meta(), lang(args.lang)));
    Ok(ExitCode::SUCCESS)
}

pub(super) fn rules(args: RulesArgs) -> Outcome {
    let all = sansou::rules::registry();
    match args.format {
        TextOrJson::Text => out!("{}", report::rules::table(&all, lang(args.lang))),
        TextOrJson::Json => {
            let mut text = serde_json::to_string_pretty(&report::rules::json(&all))?;
            text.push('\n');
            out!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
