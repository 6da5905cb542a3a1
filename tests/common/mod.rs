//! What the integration tests of the audit outputs share: running the binary the way a user
//! would, from the repository root, with a fixed date and an English locale.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("sansou runs")
}

/// `check ARGS --format json`, parsed.
pub fn check_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = sansou(&all);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)))
}

/// The `code` of every object in the array `value[key]`, in order.
pub fn codes<'v>(value: &'v serde_json::Value, key: &str) -> Vec<&'v str> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("no array `{key}`"))
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

/// A path for a test's output file, in a folder of its own per test file.
pub fn tmp(folder: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The check of a topology (and policy) through the library, on 2026-04-01.
pub fn check_at(topology: &Path, policy: Option<&Path>) -> sansou::rules::engine::CheckResult {
    let inputs = sansou::load::load_inputs(topology, policy).unwrap();
    assert!(!inputs.diagnostics.has_errors(), "{:?}", inputs.diagnostics);
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = sansou::rules::Context::new(inputs.checked().unwrap(), &policy);
    let opts = sansou::rules::engine::RunOptions {
        one_lane: false,
        only: None,
        today: "2026-04-01".into(),
        since: None,
    };
    sansou::rules::engine::run(&mut cx, &opts)
}

/// The inputs `check` would load from `topo` written as TOML (for designs made in code, such
/// as generated tiers).
pub fn inputs_of(topo: &sansou::model::Topology) -> sansou::load::Inputs {
    inputs_as(topo, sansou::report::topology::TextFormat::Toml)
}

/// The inputs `check` would load from `topo` written in `format` (one file).
pub fn inputs_as(
    topo: &sansou::model::Topology,
    format: sansou::report::topology::TextFormat,
) -> sansou::load::Inputs {
    let (name, text) = sansou::report::topology::files(topo, format, false)
        .pop()
        .expect("one file");
    let syntax = if name.ends_with(".json") {
        sansou::load::Syntax::Json
    } else {
        sansou::load::Syntax::Toml
    };
    let mut sources = sansou::source::SourceMap::default();
    let file = sources.add(name, &text);
    let mut diagnostics = sansou::diag::Diagnostics::default();
    let topology = sansou::load::decode_topology(&[(file, syntax)], &sources, &mut diagnostics);
    assert!(!diagnostics.has_errors(), "{diagnostics:?}");
    sansou::load::Inputs {
        topology,
        policy: None,
        sources,
        diagnostics,
    }
}

/// One check of `inputs` through a watch session (dated 2026-12-07), with what `inspect` takes
/// from the checked design before the session puts it away.
pub fn session_check<T>(
    session: &mut sansou::session::Session,
    inputs: sansou::load::Inputs,
    mut inspect: impl FnMut(&mut sansou::pipeline::Checked<'_>, &sansou::source::SourceMap) -> T,
) -> (sansou::session::Update, T) {
    let mut taken = None;
    let update = session
        .update(
            inputs,
            "2026-12-07",
            &mut |_| {},
            &mut |checked, sources| {
                taken = Some(inspect(checked, sources));
            },
        )
        .expect("no errors");
    (update, taken.expect("inspected"))
}
