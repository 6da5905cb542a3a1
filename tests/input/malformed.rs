//! The malformed-input corpus (issue 9): every file under `tests/fixtures/malformed/` is run
//! through the `sansou` binary as a user would run it, and its exit code and everything it
//! printed to stderr are pinned by a snapshot (`tests/snapshots/malformed__*.snap`). Every case
//! must exit 2 with an error that names `file:line:column`.
//!
//! - `topology/*.toml|json`: `sansou validate FILE`
//! - `policy/*.toml|json`: `sansou validate ../valid/base.toml --policy FILE`
//! - `import/VENDOR/*`: `sansou import VENDOR FILE --map import/VENDOR/map.toml`; cases named
//!   `warn-*` are lines the importer cannot use, which must be located warnings (exit 0)
//!
//! Inputs too big to commit (100k-line files, a megabyte-long line, thousands of copies of one
//! prefix, the memory guard) are generated here, into a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed")
}

/// Runs sansou in `dir` with `args`; returns the exit code and stderr.
fn sansou(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sansou"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("SANSOU_MAX_MEMORY");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("sansou runs");
    let code = out.status.code().expect("sansou exits, it is not killed");
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The files of one corpus folder, sorted, as paths relative to the corpus root (so messages,
/// and therefore snapshots, do not depend on where the checkout is).
fn cases(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("map."))
        .map(|n| format!("{folder}/{n}"))
        .collect();
    names.sort();
    names
}

/// Exit code 2, an error, and the place named as `file:line:column`.
fn assert_located_failure(case: &str, code: i32, stderr: &str) {
    assert_eq!(code, 2, "{case}: expected exit code 2\n{stderr}");
    assert!(
        stderr.contains("error"),
        "{case}: no error printed\n{stderr}"
    );
    let located = stderr.lines().any(|line| {
        line.find(case).is_some_and(|at| {
            let rest = &line[at + case.len()..];
            let mut parts = rest.split(':').skip(1);
            let number = |p: Option<&str>| {
                p.and_then(|p| p.split(|c: char| !c.is_ascii_digit()).next())
                    .is_some_and(|d| !d.is_empty())
            };
            number(parts.next()) && number(parts.next())
        })
    });
    assert!(located, "{case}: no {case}:LINE:COLUMN in\n{stderr}");
}

fn snapshot_name(case: &str) -> String {
    case.replace(['/', '.'], "-")
}

fn pin(case: &str, code: i32, stderr: &str) {
    insta::assert_snapshot!(snapshot_name(case), format!("exit code: {code}\n{stderr}"));
}

#[test]
fn malformed_topologies_exit_2_with_a_located_error() {
    let cases = cases("topology");
    assert!(cases.len() >= 40, "the topology corpus has shrunk");
    for case in cases {
        let (code, stderr) = sansou(&corpus(), &["validate", &case], &[]);
        assert_located_failure(&case, code, &stderr);
        pin(&case, code, &stderr);
    }
}

#[test]
fn malformed_policies_exit_2_with_a_located_error() {
    for case in cases("policy") {
        let args = ["validate", "../valid/base.toml", "--policy", &case];
        let (code, stderr) = sansou(&corpus(), &args, &[]);
        assert_located_failure(&case, code, &stderr);
        pin(&case, code, &stderr);
    }
}

/// Runs `sansou import` on one corpus case with its folder's `map.toml`, writing into a scratch
/// directory whose path is masked in the output.
fn import(case: &str) -> (i32, String) {
    let (folder, _) = case.rsplit_once('/').unwrap();
    let vendor = folder.trim_start_matches("import/");
    let out = scratch(&format!("import-{}", snapshot_name(case)));
    let map = format!("{folder}/map.toml");
    let out_arg = out.display().to_string();
    let args = ["import", vendor, case, "--map", &map, "--output", &out_arg];
    let (code, stderr) = sansou(&corpus(), &args, &[]);
    (code, stderr.replace(&out_arg, "OUT"))
}

const VENDORS: [&str; 6] = [
    "fortigate",
    "iptables",
    "cisco-ios",
    "yamaha-rtx",
    "asa",
    "paloalto",
];

#[test]
fn malformed_vendor_configs_exit_2_with_a_located_error() {
    let mut count = 0;
    for vendor in VENDORS {
        for case in cases(&format!("import/{vendor}")) {
            if case.rsplit('/').next().unwrap().starts_with("warn-") {
                continue;
            }
            let (code, stderr) = import(&case);
            assert_located_failure(&case, code, &stderr);
            pin(&case, code, &stderr);
            count += 1;
        }
    }
    assert!(count >= 16, "the vendor corpus has shrunk");
}

/// Lines an importer cannot use are warnings with their line, never silence (docs/IMPORTERS.md): the firewall is still written, and the run exits 0.
#[test]
fn unusable_vendor_lines_are_located_warnings() {
    for vendor in VENDORS {
        for case in cases(&format!("import/{vendor}")) {
            if !case.rsplit('/').next().unwrap().starts_with("warn-") {
                continue;
            }
            let (code, stderr) = import(&case);
            assert_eq!(code, 0, "{case}\n{stderr}");
            let located = format!("warning: {case}:");
            assert!(
                stderr.contains(&located),
                "{case}: no {located}LINE in\n{stderr}"
            );
            pin(&case, code, &stderr);
        }
    }
}

#[test]
fn a_100k_line_vendor_config_with_an_error_at_the_end_is_located() {
    let dir = scratch("100k-line-configs");
    let mut rules = String::from("*filter\n:FORWARD DROP [0:0]\n:LOOP - [0:0]\n");
    for i in 0..100_000 {
        rules.push_str(&format!(
            "-A FORWARD -s 10.{}.{}.0/24 -d 10.200.0.5 -p tcp --dport 445 -j ACCEPT\n",
            i / 256 % 256,
            i % 256
        ));
    }
    rules.push_str("-A FORWARD -j LOOP\n-A LOOP -j LOOP\nCOMMIT\n");
    std::fs::write(dir.join("big.rules"), rules).unwrap();
    let mut conf = String::from("config firewall policy\n");
    for i in 1..=12_500 {
        conf.push_str(&format!(
            "    edit {i}\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"ALL\"\n    next\n"
        ));
    }
    conf.push_str("    edit 99999\n        set srcintf \"port1\nend\n");
    std::fs::write(dir.join("big.conf"), conf).unwrap();
    for (vendor, file) in [("iptables", "big.rules"), ("fortigate", "big.conf")] {
        let map = corpus().join(format!("import/{vendor}/map.toml"));
        let map = map.display().to_string();
        // No clock: on a shared machine a time limit fails for reasons of its own. What is
        // checked is that the run ends with the error found.
        let args = ["import", vendor, file, "--map", &map, "--output", "out"];
        let (code, stderr) = sansou(&dir, &args, &[]);
        assert_located_failure(file, code, &stderr);
        pin(&format!("generated/100k-line-{file}"), code, &stderr);
    }
}

/// A scratch directory of this test binary, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("sansou-malformed-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A valid topology of `hosts` host groups, five lines each: about `5 * hosts` lines.
fn many_hosts_toml(hosts: usize) -> String {
    let mut text = String::from(
        "format = 1\n\n[[zone]]\nid = \"lg\"\ntier = \"lgwan\"\n\n[[segment]]\nid = \"lg-office\"\nzone = \"lg\"\ncidr = \"10.0.0.0/8\"\n",
    );
    for i in 0..hosts {
        let (a, b) = (i / 250, i % 250);
        text.push_str(&format!(
            "\n[[host]]\nid = \"pc-{i}\"\nkind = \"terminal\"\nsegment = \"lg-office\"\nip = \"10.{}.{a}.{b}\"\n",
            a / 250
        ));
    }
    text
}

#[test]
fn a_100k_line_topology_with_one_error_at_the_end_is_located() {
    let dir = scratch("100k-lines");
    let mut text = many_hosts_toml(20_000);
    text.push_str("\n[[host]]\nid = \"last\"\nkind = \"terminal\"\nsegment = \"lg-ofice\"\nip = \"10.99.0.1\"\n");
    assert!(text.lines().count() > 100_000);
    std::fs::write(dir.join("big.toml"), &text).unwrap();
    let (code, stderr) = sansou(&dir, &["validate", "big.toml"], &[]);
    assert_located_failure("big.toml", code, &stderr);
    pin("generated/100k-line-topology.toml", code, &stderr);
}

#[test]
fn a_100k_line_json_topology_with_a_syntax_error_at_the_end_is_located() {
    let dir = scratch("100k-lines-json");
    let mut text = String::from("{\n  \"format\": 1,\n  \"zone\": [\n");
    for i in 0..100_000 {
        text.push_str(&format!("    {{\"id\": \"z{i}\", \"tier\": \"other\"}},\n"));
    }
    // A trailing comma before the closing bracket: the error is on the last line.
    text.push_str("  ]\n}\n");
    std::fs::write(dir.join("big.json"), &text).unwrap();
    let (code, stderr) = sansou(&dir, &["validate", "big.json"], &[]);
    assert_located_failure("big.json", code, &stderr);
    pin("generated/100k-line-topology.json", code, &stderr);
}

/// The analysis numbers the interfaces of a firewall in a fixed number of bits; more of them
/// must be a load error, not a failure once `check` is running.
#[test]
fn a_firewall_with_too_many_interfaces_is_a_load_error() {
    let dir = scratch("many-interfaces");
    let mut text = String::from("format = 1\n[[zone]]\nid = \"lg\"\ntier = \"lgwan\"\n");
    let count = sansou::load::limits::MAX_FIREWALL_INTERFACES + 1;
    for i in 0..count {
        text.push_str(&format!(
            "[[segment]]\nid = \"s{i}\"\nzone = \"lg\"\ncidr = \"10.{}.{}.0/24\"\n",
            i / 250,
            i % 250
        ));
    }
    text.push_str("[[firewall]]\nid = \"fw\"\ndefault = \"deny\"\ninterfaces = [\n");
    for i in 0..count {
        text.push_str(&format!("  {{ segment = \"s{i}\" }},\n"));
    }
    text.push_str("]\n");
    std::fs::write(dir.join("wide.toml"), text).unwrap();
    let (code, stderr) = sansou(&dir, &["check", "wide.toml"], &[]);
    assert_located_failure("wide.toml", code, &stderr);
    pin("generated/too-many-interfaces", code, &stderr);
}

#[test]
fn a_megabyte_long_line_is_an_error_not_a_hang() {
    let dir = scratch("long-line");
    let text = format!(
        "format = 1\n[meta]\nname = \"{}\"\nnmae = 1\n",
        "x".repeat(1 << 20)
    );
    std::fs::write(dir.join("long.toml"), &text).unwrap();
    let (code, stderr) = sansou(&dir, &["validate", "long.toml"], &[]);
    assert_located_failure("long.toml", code, &stderr);
    assert!(stderr.contains("long.toml:4:1"), "{stderr}");
    assert!(stderr.contains("unknown key `nmae` in [meta]"), "{stderr}");
}

#[test]
fn the_memory_guard_refuses_before_reading_and_says_how_to_override() {
    let dir = scratch("memory-guard");
    std::fs::write(dir.join("city.toml"), many_hosts_toml(100)).unwrap();
    let (code, stderr) = sansou(
        &dir,
        &["validate", "city.toml"],
        &[("SANSOU_MAX_MEMORY", "64K")],
    );
    assert_located_failure("city.toml", code, &stderr);
    pin("generated/memory-guard", code, &stderr);
    let (code, stderr) = sansou(
        &dir,
        &["validate", "city.toml"],
        &[("SANSOU_MAX_MEMORY", "lots")],
    );
    assert_eq!(code, 2);
    pin("generated/memory-guard-bad-setting", code, &stderr);
    // `sansou import` guards its configuration the same way.
    let config = "import/iptables/chain-jumps-to-itself.rules";
    let args = [
        "import",
        "iptables",
        config,
        "--map",
        "import/iptables/map.toml",
    ];
    let (code, stderr) = sansou(&corpus(), &args, &[("SANSOU_MAX_MEMORY", "1K")]);
    assert_located_failure(config, code, &stderr);
    pin("generated/memory-guard-import", code, &stderr);
    // An input with no size to check beforehand (a device, a pipe) is read only up to what
    // the budget could load.
    if Path::new("/dev/zero").exists() {
        let args = ["validate", "/dev/zero"];
        let (code, stderr) = sansou(&dir, &args, &[("SANSOU_MAX_MEMORY", "1M")]);
        assert_located_failure("/dev/zero", code, &stderr);
        pin("generated/memory-guard-unending", code, &stderr);
        let args = ["import", "iptables", "/dev/zero", "--map", "m.toml"];
        std::fs::write(
            dir.join("m.toml"),
            "format = 1\ndevice = \"gw\"\n[interfaces]\neth0 = \"segment:lg\"\n",
        )
        .unwrap();
        let (code, stderr) = sansou(&dir, &args, &[("SANSOU_MAX_MEMORY", "1M")]);
        assert_located_failure("/dev/zero", code, &stderr);
    }
    // `none` turns the guard off, and a big enough budget lets the same input through.
    for budget in ["none", "1G"] {
        let (code, stderr) = sansou(
            &dir,
            &["validate", "city.toml"],
            &[("SANSOU_MAX_MEMORY", budget)],
        );
        assert_eq!(code, 0, "SANSOU_MAX_MEMORY={budget}: {stderr}");
    }
}

/// The loader's own costs on hostile inputs, through the library (their messages number in
/// the thousands, so the point is the bound, not the text). The bounds are shown by counting
/// what was done (messages, hints given), never by a clock.
mod bounds {
    use sansou::diag::Diagnostics;
    use sansou::load::{Syntax, decode_topology, limits};
    use sansou::source::SourceMap;

    fn load(text: &str) -> Diagnostics {
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", text);
        let mut diags = Diagnostics::default();
        decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
        diags
    }

    #[test]
    fn thousands_of_copies_of_one_prefix_give_one_message_each_not_one_per_pair() {
        let copies = 5_000;
        let mut text = String::from(
            "format = 1\n[[zone]]\nid = \"a\"\ntier = \"lgwan\"\n[[zone]]\nid = \"b\"\ntier = \"internet\"\n",
        );
        for i in 0..copies {
            let zone = if i % 2 == 0 { "a" } else { "b" };
            text.push_str(&format!(
                "[[segment]]\nid = \"s{i}\"\nzone = \"{zone}\"\ncidr = \"10.0.0.0/24\"\n"
            ));
        }
        let diags = load(&text);
        let overlaps = diags
            .items
            .iter()
            .filter(|d| d.message.contains("overlaps"))
            .count();
        // The first segment has no peer; the second is compared with the first; every later one
        // with the first of each zone (two).
        assert_eq!(overlaps, 1 + 2 * (copies - 2));
        assert!(overlaps <= copies * limits::MAX_OVERLAP_PEERS);
        assert!(diags.has_errors(), "zones a and b overlap: an error");
    }

    #[test]
    fn thousands_of_different_unknown_ids_do_not_make_suggestions_quadratic() {
        let n = 5_000;
        let mut text = String::from("format = 1\n[[zone]]\nid = \"lg\"\ntier = \"lgwan\"\n");
        for i in 0..n {
            let (a, b) = (i / 250, i % 250);
            text.push_str(&format!(
                "[[segment]]\nid = \"segment-{i:05}\"\nzone = \"lg\"\ncidr = \"10.{a}.{b}.0/24\"\n"
            ));
        }
        for i in 0..n {
            text.push_str(&format!(
                "[[host]]\nid = \"h{i}\"\nkind = \"server\"\nsegment = \"sgement-{i:05}\"\nip = \"10.0.0.1\"\n"
            ));
        }
        let diags = load(&text);
        let unknown: Vec<_> = diags
            .items
            .iter()
            .filter(|d| d.message.starts_with("unknown segment"))
            .collect();
        assert_eq!(unknown.len(), n);
        // The first ones still get their hint; the budget only cuts the tail.
        assert_eq!(unknown[0].notes, ["did you mean `segment-00000`?"]);
        // And the tail is cut: the work spent on hints is bounded (`SUGGESTION_WORK`), where
        // a hint for each of them would cost n * n edit distances.
        let hinted = unknown.iter().filter(|d| !d.notes.is_empty()).count();
        assert!(hinted < n, "every one of the {n} unknown ids got a hint");
        assert!(
            unknown[n - 1].notes.is_empty(),
            "{:?}",
            unknown[n - 1].notes
        );
    }
}
