//! Golden outputs: the bytes of every machine-readable output (`check` JSON and SARIF,
//! `rules`, `matrix`, `paths`, `diff`, `attack`, `validate`, `schema` and `import` JSON) on the
//! sample designs, the rule, attack and import fixtures, and a generated tier M design, pinned
//! by their SHA-256 in `tests/fixtures/golden/*.sha256` (hashes rather than the files: tier M's
//! SARIF alone is 2.6 MB). The outputs are typed structs (`src/report/*_json.rs`, `sarif/wire.rs`...); these tests
//! prove that moving them from `json!` to types changed no byte.
//!
//! An intended change of an output (a new field, a new version in `tool`) changes hashes:
//! run with `SANSOU_BLESS=1` to rewrite the files, and say in the commit why the bytes moved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The date every run sees, so `date` fields do not move.
const EPOCH: &str = "1780000000";

/// Runs sansou in `dir` with a fixed date and an English locale: (exit code, stdout hash).
fn run(dir: &Path, args: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("sansou runs");
    format!(
        "{} {}",
        out.status.code().unwrap_or(-1),
        sansou::source::sha256_hex(&out.stdout)
    )
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sorted_files(dir: &str, ext: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// Every case on the samples and fixtures: name → arguments (paths relative to the root).
fn sample_cases() -> BTreeMap<String, Vec<String>> {
    let mut cases = BTreeMap::new();
    let mut topologies = sorted_files("topologies", "toml");
    topologies.extend(sorted_files("topologies", "json"));
    let policies = sorted_files("policies", "toml");
    for t in &topologies {
        let n = t.trim_start_matches("topologies/").replace('.', "_");
        for f in ["json", "sarif"] {
            cases.insert(format!("check-{n}-{f}"), args(&["check", t, "--format", f]));
            for p in &policies {
                let pn = p.trim_start_matches("policies/").trim_end_matches(".toml");
                cases.insert(
                    format!("check-{n}-{pn}-{f}"),
                    args(&["check", t, "--policy", p, "--format", f]),
                );
            }
        }
        cases.insert(
            format!("check-{n}-en-json"),
            args(&["check", t, "--format", "json", "--lang", "en"]),
        );
        cases.insert(
            format!("matrix-{n}"),
            args(&["matrix", t, "--format", "json"]),
        );
        cases.insert(
            format!("matrix-{n}-en"),
            args(&["matrix", t, "--format", "json", "--lang", "en"]),
        );
        let paths = [
            ("", "tier:mynumber", "external:lgwan", false),
            ("-b", "external:internet", "data:pension-number", true),
            ("-c", "tier:internet", "tier:lgwan", true),
        ];
        for (suffix, from, to, blocked) in paths {
            let mut a = args(&["paths", t, "--from", from, "--to", to]);
            if blocked {
                a.push("--explain-blocked".into());
            }
            a.extend(args(&["--format", "json"]));
            if suffix == "-c" {
                a.extend(args(&["--lang", "en"]));
            }
            cases.insert(format!("paths-{n}{suffix}"), a);
        }
    }
    let mut fixtures: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|code| format!("tests/fixtures/rules/{code}/fail.toml"))
        .filter(|f| root().join(f).exists())
        .collect();
    fixtures.extend(sorted_files("tests/fixtures/attack", "toml"));
    for f in &fixtures {
        let n = f.replace('/', "_");
        for format in ["json", "sarif"] {
            cases.insert(
                format!("fx-{n}-{format}"),
                args(&["check", f, "--format", format]),
            );
        }
    }
    // `attack`, `validate` and `schema` JSON (typed like the others; `sansou import`'s JSON
    // is pinned by `import_outputs_are_unchanged`, which needs a folder to write into).
    let mut attacked = sorted_files("tests/fixtures/attack", "toml");
    attacked.extend(sorted_files("topologies", "toml"));
    for t in &attacked {
        let n = t.replace('/', "_");
        cases.insert(
            format!("attack-{n}"),
            args(&["attack", t, "--format", "json"]),
        );
        cases.insert(
            format!("attack-{n}-en"),
            args(&["attack", t, "--format", "json", "--lang", "en"]),
        );
    }
    cases.insert(
        "attack-assumed".into(),
        args(&[
            "attack",
            "topologies/alpha-city.toml",
            "--assume-compromised",
            "zone:lg",
            "--policy",
            "policies/alpha.toml",
            "--format",
            "json",
        ]),
    );
    cases.insert(
        "attack-no-fix-all-entries".into(),
        args(&[
            "attack",
            "topologies/jps-2015.toml",
            "--entry",
            "all",
            "--no-fix",
            "--format",
            "json",
        ]),
    );
    for f in sorted_files("topologies", "toml")
        .into_iter()
        .chain(fixtures.iter().cloned())
    {
        let n = f.replace('/', "_");
        cases.insert(
            format!("validate-{n}"),
            args(&["validate", &f, "--format", "json"]),
        );
    }
    cases.insert("schema-topology".into(), args(&["schema", "topology"]));
    cases.insert("schema-policy".into(), args(&["schema", "policy"]));
    cases.insert("rules-ja".into(), args(&["rules", "--format", "json"]));
    cases.insert(
        "rules-en".into(),
        args(&["rules", "--format", "json", "--lang", "en"]),
    );
    for a in sorted_files("topologies", "toml") {
        let n = a.trim_start_matches("topologies/");
        cases.insert(
            format!("diff-{n}-alpha-city.toml"),
            args(&["diff", &a, "topologies/alpha-city.toml", "--format", "json"]),
        );
    }
    cases.insert(
        "diff-self-en".into(),
        args(&[
            "diff",
            "topologies/beta-town.toml",
            "topologies/alpha-city.toml",
            "--format",
            "json",
            "--lang",
            "en",
        ]),
    );
    cases
}

/// Compares each case's result with the pinned one, or rewrites the file under
/// `SANSOU_BLESS=1`.
fn compare(file: &str, dir: &Path, cases: &BTreeMap<String, Vec<String>>) {
    let path = root().join("tests/fixtures/golden").join(file);
    let actual: BTreeMap<&str, String> = cases
        .iter()
        .map(|(name, a)| (name.as_str(), run(dir, a)))
        .collect();
    if std::env::var_os("SANSOU_BLESS").is_some() {
        let text: String = actual.iter().map(|(n, h)| format!("{n} {h}\n")).collect();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap();
    let pinned: BTreeMap<&str, &str> = pinned.lines().map(|l| l.split_once(' ').unwrap()).collect();
    let names: Vec<&str> = actual.keys().copied().collect();
    assert_eq!(
        names,
        pinned.keys().copied().collect::<Vec<_>>(),
        "the cases changed: bless {file}"
    );
    let changed: Vec<String> = actual
        .iter()
        .filter(|(n, h)| pinned[*n] != h.as_str())
        .map(|(n, h)| format!("{n}: pinned {}, now {h}", pinned[*n]))
        .collect();
    assert!(
        changed.is_empty(),
        "outputs changed (exit code and SHA-256 of stdout):\n{}",
        changed.join("\n")
    );
}

#[test]
fn outputs_on_the_samples_and_fixtures_are_unchanged() {
    compare("samples.sha256", &root(), &sample_cases());
}

#[test]
fn outputs_on_a_generated_tier_m_are_unchanged() {
    // Generated by the binary the way a user would, in a folder of its own, and named by
    // relative paths so the `inputs` of the envelope do not depend on where tests run.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-tier-m");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (seed, out) in [("1", "gen"), ("2", "gen2")] {
        let generated = run(
            &dir,
            &args(&["generate", "--tier", "M", "--seed", seed, "--output", out]),
        );
        assert!(generated.starts_with("0 "), "generate failed");
    }
    let mut cases = BTreeMap::new();
    for f in ["json", "sarif"] {
        cases.insert(
            format!("M-check-{f}"),
            args(&["check", "gen", "--format", f]),
        );
    }
    cases.insert(
        "M-matrix".into(),
        args(&["matrix", "gen", "--format", "json"]),
    );
    cases.insert(
        "M-diff".into(),
        args(&["diff", "gen", "gen2", "--format", "json"]),
    );
    cases.insert(
        "M-paths".into(),
        args(&[
            "paths",
            "gen",
            "--from",
            "tier:mynumber",
            "--to",
            "tier:internet",
            "--format",
            "json",
            "--max-pairs",
            "50",
        ]),
    );
    compare("tier-m.sha256", &dir, &cases);
}

#[test]
fn import_outputs_are_unchanged() {
    // Run in a copy of the import fixtures, so that the paths in `inputs` and `written` are
    // relative and the hashes the same in every checkout.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-import");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("tests/fixtures/import"), &dir.join("import"));
    let cases_list: &[(&str, &str, &str, &[&str])] = &[
        (
            "fortigate",
            "fortigate/objects.conf",
            "fortigate/objects.map.toml",
            &[],
        ),
        (
            "fortigate",
            "fortigate/vdom.conf",
            "fortigate/vdom.map.toml",
            &[],
        ),
        (
            "fortigate",
            "fortigate/fqdn.conf",
            "fortigate/fqdn.map.toml",
            &[],
        ),
        (
            "fortigate",
            "fortigate/error-unclosed.conf",
            "fortigate/error-unclosed.map.toml",
            &[],
        ),
        (
            "fortigate",
            "fortigate-nat/central-snat.conf",
            "fortigate-nat/central-snat.map.toml",
            &[],
        ),
        (
            "fortigate",
            "fortigate-nat/vip-nat.conf",
            "fortigate-nat/vip-nat.map.toml",
            &[],
        ),
        (
            "iptables",
            "iptables/chains.rules",
            "iptables/chains.map.toml",
            &[],
        ),
        (
            "iptables",
            "iptables/nat-edge.rules",
            "iptables/nat-edge.map.toml",
            &[],
        ),
        (
            "iptables",
            "iptables/docker-host.rules",
            "iptables/docker-host.map.toml",
            &["--ipset", "import/iptables/docker-host.ipset"],
        ),
        (
            "iptables",
            "routes/gw.rules",
            "routes/gw.map.toml",
            &["--routes", "import/routes/gw.iproute"],
        ),
        (
            "cisco-ios",
            "cisco-ios/branch-zbf.conf",
            "cisco-ios/branch-zbf.map.toml",
            &[],
        ),
        (
            "cisco-ios",
            "cisco-ios/core-l3sw.conf",
            "cisco-ios/map.toml",
            &[],
        ),
        (
            "cisco-ios",
            "cisco-ios/edge-nat.conf",
            "cisco-ios/edge-nat.map.toml",
            &[],
        ),
        ("asa", "asa/honcho-asa.conf", "asa/map.toml", &[]),
        (
            "yamaha-rtx",
            "yamaha-rtx/branch-kita.conf",
            "yamaha-rtx/map.toml",
            &[],
        ),
        (
            "yamaha-rtx",
            "yamaha-rtx/office-nat.conf",
            "yamaha-rtx/office-nat.map.toml",
            &[],
        ),
        (
            "paloalto",
            "paloalto/honcho-pa.xml",
            "paloalto/map.toml",
            &[],
        ),
    ];
    let mut cases = BTreeMap::new();
    for (k, (vendor, config, map, extra)) in cases_list.iter().enumerate() {
        let name = format!("import-{:02}-{}", k, config.replace('/', "_"));
        let mut a = args(&["import", vendor, &format!("import/{config}")]);
        a.extend(args(&["--map", &format!("import/{map}")]));
        a.extend(args(&[
            "--output",
            &format!("out-{k:02}"),
            "--format",
            "json",
        ]));
        a.extend(args(extra));
        cases.insert(name, a);
    }
    compare("import.sha256", &dir, &cases);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
