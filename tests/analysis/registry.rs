//! The rule registry is complete. A rule is a file under `src/rules/` with a `META`; it runs
//! only if its family's `all()` lists it, and a file left out would compile and silently never
//! run. So these tests read the files and hold them against the registry, the codes the policy
//! loader accepts (`model::rule_codes`, below `load`), the catalogue, and what `sansou rules`
//! prints.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sansou::model::rule_codes;

use crate::common;

fn registry_codes() -> BTreeSet<&'static str> {
    sansou::rules::registry()
        .iter()
        .map(|r| r.meta().code)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of each rule file under `src/rules/`: the `code` of its `static META: Meta`.
fn codes_in_rule_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules"),
        &mut files,
    );
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(at) = text.find("static META: Meta = Meta {") else {
            continue;
        };
        let code = text[at..]
            .lines()
            .find_map(|l| l.trim().strip_prefix("code: \""))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{}: META without a code", path.display()));
        found.push((path, code.to_string()));
    }
    found
}

#[test]
fn every_rule_file_is_registered() {
    let registered = registry_codes();
    let files = codes_in_rule_files();
    let missing: Vec<String> = files
        .iter()
        .filter(|(_, code)| !registered.contains(code.as_str()))
        .map(|(path, code)| format!("{code} ({})", path.display()))
        .collect();
    assert!(
        missing.is_empty(),
        "rule files no family's `all()` (nor custom::ENGINE) lists: {missing:?}"
    );
    // And nothing is registered without a file of its own.
    let in_files: BTreeSet<&str> = files.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(in_files, registered);
    assert_eq!(files.len(), registered.len(), "two files with one code");
}

#[test]
fn the_reader_finds_a_rule_file_by_its_meta() {
    // A file named like a rule but without a META would be missed silently; all of them have
    // one (helpers are named `facts.rs`, `logging.rs`...).
    let with_meta: BTreeSet<PathBuf> = codes_in_rule_files().into_iter().map(|(p, _)| p).collect();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules"),
        &mut files,
    );
    let named_like_rules: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy();
            let digits = stem.rsplit('_').next().unwrap();
            digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    assert!(named_like_rules.len() >= 60);
    for p in named_like_rules {
        assert!(with_meta.contains(p), "{} has no META", p.display());
    }
}

#[test]
fn the_loader_accepts_exactly_the_codes_of_the_registry() {
    let expected: BTreeSet<&str> = rule_codes::CATALOGUE
        .iter()
        .filter(|c| !rule_codes::NOT_IMPLEMENTED.contains(c))
        .chain(rule_codes::OWN.iter())
        .copied()
        .collect();
    assert_eq!(registry_codes(), expected);
}

#[test]
fn the_catalogue_lists_the_loader_codes_in_order() {
    let items: Vec<&str> = sansou::rules::catalogue::codes().collect();
    assert_eq!(items, rule_codes::CATALOGUE);
}

#[test]
fn sansou_rules_lists_the_62_catalogue_codes_and_sansous_own() {
    let out = common::sansou(&["rules", "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: BTreeSet<&str> = common::codes(&json, "rules").into_iter().collect();
    let expected: BTreeSet<&str> = rule_codes::CATALOGUE
        .iter()
        .chain(rule_codes::OWN.iter())
        .copied()
        .collect();
    assert_eq!(rule_codes::CATALOGUE.len(), 62);
    assert_eq!(listed, expected);
}

#[test]
fn engine_rules_are_documented_but_have_no_check() {
    use sansou::rules::Registered;
    let engine: Vec<&str> = sansou::rules::registry()
        .into_iter()
        .filter_map(|r| match r {
            Registered::Engine(meta) => Some(meta.code),
            Registered::Check(_) => None,
        })
        .collect();
    assert_eq!(engine, ["POL-001", "POL-002", "POL-003", "POL-004"]);
}
