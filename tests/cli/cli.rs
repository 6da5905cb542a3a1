//! The command line: exit codes, what goes to stdout and stderr, and determinism.

use std::path::Path;
use std::process::{Command, Output};

fn sansou(args: &[&str]) -> Output {
    sansou_with(args, &[])
}

/// `sansou` with extra environment variables (and none of the caller's `SANSOU_TIMINGS`).
fn sansou_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env_remove("SANSOU_TIMINGS")
        .envs(env.iter().copied())
        .output()
        .expect("sansou runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const BASE: &str = "tests/fixtures/valid/base.toml";
const CITY: &str = "topologies/alpha-city.toml";

#[test]
fn validate_prints_an_inventory_and_exits_zero() {
    let o = sansou(&["validate", BASE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("テスト町  (model alpha"), "{out}");
    assert!(
        out.contains("21 hosts in all: terminal 20, database 1"),
        "{out}"
    );
    assert!(out.contains("my-number 1, basic-4 1"), "{out}");
}

#[test]
fn validate_speaks_japanese_when_asked() {
    let o = sansou(&["validate", BASE, "--lang", "ja"]);
    assert!(stdout(&o).contains("ホスト"), "{}", stdout(&o));
}

#[test]
fn invalid_input_exits_two_with_located_errors() {
    let o = sansou(&["validate", "tests/fixtures/invalid/bad-services.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad-services.toml:16:13"), "{err}");
    assert!(err.contains("has 2 error(s)"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_policy_with_errors_fails_validation() {
    let o = sansou(&[
        "validate",
        BASE,
        "--policy",
        "tests/fixtures/invalid-policy/unknown-selector.toml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown store `tax-db`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_files_and_bad_usage_exit_two() {
    let o = sansou(&["validate", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read no/such/file.toml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(sansou(&["validate"]).status.code(), Some(2));
    assert_eq!(sansou(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        sansou(&["graph", BASE, "--format", "png"]).status.code(),
        Some(2)
    );
}

#[test]
fn every_command_of_the_design_exists_and_bad_usage_exits_two() {
    // The README lists these; each answers --help, and refuses a missing argument.
    for cmd in [
        "check", "paths", "matrix", "attack", "report", "diff", "graph", "import", "validate",
        "explain", "rules", "generate",
    ] {
        let o = sansou(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd} --help");
    }
    for args in [
        &["attack"][..],
        &["report", BASE],
        &["diff", BASE],
        &["import", "fortigate"],
    ] {
        let o = sansou(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?} says why");
    }
}

#[test]
fn a_directory_of_files_merges() {
    let dir = std::env::temp_dir().join(format!("sansou-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE)).unwrap();
    // Split the base topology at the first [[host]]: zones and segments in one file, the rest
    // in another, each with its own `format = 1`.
    let at = base.find("[[host]]").unwrap();
    std::fs::write(dir.join("10-network.toml"), &base[..at]).unwrap();
    std::fs::write(
        dir.join("20-hosts.toml"),
        format!("format = 1\n{}", &base[at..]),
    )
    .unwrap();
    let merged = sansou(&["validate", dir.to_str().unwrap()]);
    let single = sansou(&["validate", BASE]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    assert_eq!(stdout(&merged), stdout(&single));
    // The same id in two files is a duplicate, with both places shown.
    std::fs::write(
        dir.join("30-dup.toml"),
        "format = 1\n[[zone]]\nid = \"mn\"\ntier = \"lgwan\"\n",
    )
    .unwrap();
    let dup = sansou(&["validate", dir.to_str().unwrap()]);
    assert_eq!(dup.status.code(), Some(2));
    let err = stderr(&dup);
    assert!(
        err.contains("duplicate zone id `mn`") && err.contains("10-network.toml"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn graph_output_is_deterministic_and_escaped() {
    let fixture = "tests/fixtures/valid/markup-names.toml";
    for format in ["dot", "mermaid"] {
        let a = sansou(&["graph", fixture, "--format", format]);
        let b = sansou(&["graph", fixture, "--format", format]);
        assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
        assert_eq!(a.stdout, b.stdout);
        let out = stdout(&a);
        match format {
            "dot" => {
                assert!(out.contains(r#"fw \"core\"\nnext line"#), "{out}");
                assert!(out.contains(r#"label="port\"1""#), "{out}");
                // Every quote inside a label is escaped: no label ends early.
                for line in out.lines().filter(|l| l.contains("label=")) {
                    let unescaped = line.replace("\\\\", "").replace("\\\"", "");
                    assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
                }
            }
            _ => {
                assert!(!out.contains("<script>") && !out.contains("<img"), "{out}");
                assert!(out.contains("#lt;script#gt;"), "{out}");
            }
        }
    }
}

#[test]
fn graph_dot_has_zones_as_clusters() {
    let o = sansou(&["graph", BASE]);
    let out = stdout(&o);
    assert!(out.starts_with("digraph"));
    assert_eq!(out.matches("subgraph \"cluster_").count(), 2, "{out}");
    assert!(
        out.contains("\"firewall:fw1\" -> \"segment:mn-office\" [label=\"port1\"]"),
        "{out}"
    );
    let m = stdout(&sansou(&["graph", BASE, "--format", "mermaid"]));
    assert!(
        m.contains("flowchart LR") && m.matches("subgraph").count() == 2,
        "{m}"
    );
}

#[test]
fn generate_writes_a_topology_that_validates() {
    let dir = std::env::temp_dir().join(format!("sansou-gen-{}", std::process::id()));
    let o = sansou(&[
        "generate",
        "--tier",
        "S",
        "--seed",
        "3",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = dir.join("topology.toml");
    let v = sansou(&["validate", file.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    assert!(stdout(&v).contains("firewalls"), "{}", stdout(&v));
    assert_eq!(
        sansou(&["generate", "--tier", "Q", "--output", dir.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn paths_bounds_a_path_enumeration_blow_up_and_says_so() {
    let count = |o: &Output| {
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        doc["pairs"].as_array().unwrap().len()
    };
    let all = sansou(&[
        "paths",
        CITY,
        "--from",
        "any",
        "--to",
        "any",
        "--format",
        "json",
        "--max-pairs",
        "0",
    ]);
    assert_eq!(all.status.code(), Some(0));
    assert!(
        count(&all) > 3,
        "the sample has more than three reachable pairs"
    );
    assert!(!stderr(&all).contains("more than"));
    let few = sansou(&[
        "paths",
        CITY,
        "--from",
        "any",
        "--to",
        "any",
        "--format",
        "json",
        "--max-pairs",
        "3",
    ]);
    assert_eq!(few.status.code(), Some(0));
    assert_eq!(count(&few), 3);
    assert!(
        stderr(&few).contains("more than 3 reachable pairs"),
        "{}",
        stderr(&few)
    );
}

#[test]
fn a_reader_that_stops_early_ends_sansou_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args([
            "paths",
            CITY,
            "--from",
            "any",
            "--to",
            "any",
            "--max-pairs",
            "0",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `| head` does.
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn sansou_timings_writes_each_stage_to_stderr_and_nothing_else_changes() {
    let args = ["check", "--format", "json", "--exit-zero", CITY];
    let plain = sansou(&args);
    let timed = sansou_with(&args, &[("SANSOU_TIMINGS", "1")]);
    assert_eq!(stdout(&plain), stdout(&timed), "the report does not change");
    assert_eq!(stderr(&plain), "", "no timings unless asked");
    let err = stderr(&timed);
    let memory: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("sansou: memory: after "))
        .collect();
    let stages: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("sansou: memory: "))
        .map(|l| {
            let rest = l.strip_prefix("sansou: timing: ").expect(l);
            assert!(rest.ends_with(" ms"), "{l}");
            rest.rsplit_once(": ").expect(l).0
        })
        .collect();
    assert_eq!(
        stages,
        [
            "loading",
            "compiling firewalls",
            "computing reachability",
            "checking rules",
            "writing the report"
        ]
    );
    if cfg!(target_os = "linux") {
        // Each stage also tells the memory held after it and the peak so far.
        assert_eq!(memory.len(), stages.len(), "{err}");
        for (m, stage) in memory.iter().zip(&stages) {
            assert!(m.starts_with(&format!("{stage}: ")), "{m}");
            assert!(
                m.contains(" MiB resident, peak ") && m.ends_with(" MiB"),
                "{m}"
            );
        }
    }
    let off = sansou_with(&args, &[("SANSOU_TIMINGS", "0")]);
    assert_eq!(stderr(&off), "", "SANSOU_TIMINGS=0 is off");
}

/// An undeclared address is an endpoint for every command: `paths` names it with its range and
/// a witness, MN-001 and the user's assertion fail on it, and the attack analysis can start
/// from a rogue device there (by flag or by policy).
#[test]
fn an_undeclared_device_is_seen_by_paths_check_and_attack() {
    const UNDECLARED: &str = "tests/fixtures/reach/undeclared.toml";
    const POLICY: &str = "tests/fixtures/reach/undeclared-policy.toml";
    let query = [
        "paths",
        UNDECLARED,
        "--from",
        "10.1.0.50/32",
        "--to",
        "external:pref-cloud",
    ];
    let text = stdout(&sansou(&query));
    assert!(text.contains("1 reachable pair(s)"), "{text}");
    assert!(
        text.contains("undeclared:mn-office (10.1.0.50) → external:pref-cloud"),
        "{text}"
    );
    assert!(text.contains("an undeclared device"), "{text}");
    assert!(
        text.contains("10.1.0.50 → "),
        "the witness starts there: {text}"
    );
    let o = sansou(&[&query[..], &["--format", "json"]].concat());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pair = &doc["pairs"][0];
    assert_eq!(pair["from_kind"], "undeclared");
    assert_eq!(pair["from_addresses"], serde_json::json!(["10.1.0.50"]));
    assert!(pair["witness"].is_object());
    // check: MN-001 and the user's assertion fail on the undeclared addresses.
    let o = sansou(&["check", UNDECLARED, "--policy", POLICY, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let failed: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["verdict"] == "fail" && ["MN-001", "CITY-001"].contains(&f["code"].as_str().unwrap())
        })
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            (
                "CITY-001".to_string(),
                "undeclared:mn-office->external:pref-cloud".to_string()
            ),
            (
                "MN-001".to_string(),
                "external:pref-cloud->undeclared:mn-office".to_string()
            ),
            (
                "MN-001".to_string(),
                "undeclared:mn-office->external:pref-cloud".to_string()
            ),
        ]
    );
    // The internet external lists the same addresses as the security cloud but faces no
    // firewall: no matrix cell is credited to it.
    let o = sansou(&["matrix", UNDECLARED, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let from_externals: Vec<&str> = doc["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["from_zone"].as_str())
        .filter(|z| z.starts_with("external:"))
        .collect();
    assert_eq!(from_externals, ["external:pref-cloud"]);
    // attack: from a rogue device at the address, and from the policy's rogue devices.
    let o = sansou(&[
        "attack",
        UNDECLARED,
        "--assume-compromised",
        "10.1.0.50/32",
        "--no-fix",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("host:undeclared@mn-office compromised"),
        "{}",
        stdout(&o)
    );
    let o = sansou(&["attack", UNDECLARED, "--policy", POLICY, "--no-fix"]);
    assert!(
        stdout(&o).contains("from the internet and rogue devices (host:undeclared@mn-office)"),
        "{}",
        stdout(&o)
    );
    // A selector that covers no host and no undeclared address is still refused.
    let o = sansou(&["attack", UNDECLARED, "--assume-compromised", "192.0.2.1/32"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The stages `SANSOU_TIMINGS` names for a command, in order.
fn timed_stages(args: &[&str]) -> Vec<String> {
    let timed = sansou_with(args, &[("SANSOU_TIMINGS", "1")]);
    stderr(&timed)
        .lines()
        .filter_map(|l| l.strip_prefix("sansou: timing: "))
        .map(|rest| rest.rsplit_once(": ").expect(rest).0.to_string())
        .collect()
}

#[test]
fn every_long_command_times_its_loading_and_later_stages() {
    let reach = ["loading", "compiling firewalls", "computing reachability"];
    let with = |more: &[&str]| -> Vec<String> {
        reach.iter().chain(more).map(|s| s.to_string()).collect()
    };
    assert_eq!(
        timed_stages(&["validate", CITY]),
        ["loading", "linting rule lists"]
    );
    let paths = ["paths", "--from", "any", "--to", "any", CITY];
    assert_eq!(timed_stages(&paths), with(&["finding paths"]));
    assert_eq!(timed_stages(&["matrix", CITY]), with(&["zone matrix"]));
    assert_eq!(
        timed_stages(&["attack", "--no-fix", CITY]),
        with(&["attack paths"])
    );
    let html = std::env::temp_dir().join(format!("sansou-timings-{}.html", std::process::id()));
    let report = [
        "report",
        CITY,
        "--output",
        html.to_str().unwrap(),
        "--no-fix",
    ];
    assert_eq!(
        timed_stages(&report),
        with(&[
            "checking rules",
            "zone matrix",
            "attack paths",
            "linting rule lists",
            "writing the report"
        ])
    );
    let _ = std::fs::remove_file(html);
}

#[test]
fn explain_resolves_every_source_key_it_cites() {
    let o = sansou(&["explain", "ZN-003", "--lang", "ja"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("根拠: S10, S11, S1\n"), "{text}");
    for key in ["S10", "S11", "S1"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("  {key}: ")))
            .unwrap_or_else(|| panic!("no citation for {key}:\n{text}"));
        assert!(line.contains("<https://"), "{line}");
    }
    // The guideline is written out for a Japanese reader, and cites no S key here.
    let o = sansou(&["explain", "MN-001", "--lang", "ja"]);
    let text = stdout(&o);
    assert!(
        text.contains("根拠: ガイドライン(令和6年10月版) 対策基準"),
        "{text}"
    );
    assert!(!text.contains("\n  S"), "{text}");
}
