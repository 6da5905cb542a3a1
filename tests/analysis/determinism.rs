//! Determinism (docs/SEMANTICS.md): the same inputs give byte-identical JSON, SARIF and HTML,
//! and a topology directory gives the same result whatever order its files are created or named
//! in.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CITY: &str = "topologies/alpha-city.toml";
const POLICY: &str = "policies/alpha.toml";
const OPENS_BEFORE: &str = "tests/fixtures/diff/opens-smb/before.toml";
const OPENS_AFTER: &str = "tests/fixtures/diff/opens-smb/after.toml";
/// A topology split over two files, as an importer writes it.
const SPLIT: &str = "tests/fixtures/diff/closes/after";

fn sansou(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1775001600") // 2026-04-01
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "sansou {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Runs a command twice and checks the two outputs are the same bytes.
fn twice(args: &[&str]) -> Vec<u8> {
    let first = sansou(args).stdout;
    let second = sansou(args).stdout;
    assert!(!first.is_empty(), "{args:?} printed nothing");
    assert!(first == second, "{args:?} differs between two runs");
    first
}

#[test]
fn json_and_sarif_are_byte_identical_across_runs() {
    for format in ["json", "sarif"] {
        twice(&["check", CITY, "--policy", POLICY, "--format", format]);
        twice(&["check", "topologies/jps-2015.toml", "--format", format]);
    }
    twice(&["diff", OPENS_BEFORE, OPENS_AFTER, "--format", "json"]);
    twice(&["diff", OPENS_BEFORE, OPENS_AFTER]);
    twice(&["matrix", CITY, "--format", "json"]);
}

/// Writes the HTML report of a topology to a file in `dir` and returns its bytes.
fn report(topology: &str, dir: &Path, name: &str) -> Vec<u8> {
    let out = dir.join(name);
    sansou(&["report", topology, "--output", out.to_str().unwrap()]);
    std::fs::read(&out).unwrap()
}

#[test]
fn html_reports_are_byte_identical_across_runs() {
    let dir = scratch("html");
    for topology in [CITY, OPENS_AFTER] {
        let first = report(topology, &dir, "first.html");
        let second = report(topology, &dir, "second.html");
        assert!(!first.is_empty());
        assert!(first == second, "{topology}: the two reports differ");
        // The report's date is the one SOURCE_DATE_EPOCH fixes.
        assert!(
            String::from_utf8_lossy(&first).contains("2026-04-01"),
            "{topology}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_report_date_comes_from_source_date_epoch() {
    let doc: Value =
        serde_json::from_slice(&sansou(&["check", CITY, "--format", "json"]).stdout).unwrap();
    assert_eq!(doc["date"], "2026-04-01");
    let doc: Value =
        serde_json::from_slice(&sansou(&["check", CITY, "--format", "sarif"]).stdout).unwrap();
    assert_eq!(doc["runs"][0]["properties"]["date"], "2026-04-01");
}

/// A fresh, empty directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sansou-det-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The files of the split topology, in name order.
fn split_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(SPLIT))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    files
}

fn run_in(dir: &Path, args: &[&str]) -> String {
    let mut all: Vec<&str> = vec![args[0], dir.to_str().unwrap()];
    all.extend_from_slice(&args[1..]);
    let text = String::from_utf8(sansou(&all).stdout).unwrap();
    // The only place the directory shows is in file names.
    text.replace(dir.to_str().unwrap(), "DIR")
}

#[test]
fn creation_order_of_a_directory_does_not_matter() {
    let files = split_files();
    let forward = scratch("forward");
    let backward = scratch("backward");
    for (name, text) in &files {
        std::fs::write(forward.join(name), text).unwrap();
    }
    for (name, text) in files.iter().rev() {
        std::fs::write(backward.join(name), text).unwrap();
    }
    // The HTML report too (written to a file, so compared by reading it back).
    let html = |dir: &Path| -> String {
        let out = dir.with_extension("html");
        sansou(&[
            "report",
            dir.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let text = std::fs::read_to_string(&out).unwrap();
        std::fs::remove_file(&out).ok();
        text.replace(dir.to_str().unwrap(), "DIR")
    };
    assert_eq!(html(&forward), html(&backward));
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "sarif"][..],
        &["matrix", "--format", "json"][..],
    ] {
        assert_eq!(run_in(&forward, args), run_in(&backward, args), "{args:?}");
    }
    std::fs::remove_dir_all(&forward).ok();
    std::fs::remove_dir_all(&backward).ok();
}

/// What a check says, without where it was said: codes, subjects, messages, levels, summary.
fn findings_of(doc: &Value) -> (Value, Vec<(String, String, String, String)>) {
    let mut findings: Vec<(String, String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    findings.sort();
    (doc["summary"].clone(), findings)
}

#[test]
fn file_names_that_sort_differently_give_the_same_result() {
    // Two files merged in opposite orders: network first in one directory, firewall first in
    // the other.
    let files = split_files();
    let one = scratch("names-one");
    let two = scratch("names-two");
    for (i, (_, text)) in files.iter().enumerate() {
        std::fs::write(one.join(format!("{}.toml", ["a", "b"][i])), text).unwrap();
        std::fs::write(two.join(format!("{}.toml", ["b", "a"][i])), text).unwrap();
    }
    let json = |dir: &Path| -> Value {
        serde_json::from_str(&run_in(dir, &["check", "--format", "json"])).unwrap()
    };
    assert_eq!(findings_of(&json(&one)), findings_of(&json(&two)));
    let matrix = |dir: &Path| run_in(dir, &["matrix", "--format", "json"]);
    let cells = |text: String| serde_json::from_str::<Value>(&text).unwrap()["cells"].clone();
    assert_eq!(cells(matrix(&one)), cells(matrix(&two)));
    // And `sansou diff` between the two finds nothing at all.
    let o = sansou(&[
        "diff",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["pairs"], serde_json::json!([]));
    assert_eq!(d["matrix"], serde_json::json!([]));
    assert_eq!(d["findings"]["added"], serde_json::json!([]));
    assert_eq!(d["findings"]["removed"], serde_json::json!([]));
    std::fs::remove_dir_all(&one).ok();
    std::fs::remove_dir_all(&two).ok();
}
