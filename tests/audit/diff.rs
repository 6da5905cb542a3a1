//! `sansou diff`: what a proposed change opens and closes, its exit code, and its text and JSON
//! output (pinned by snapshots). Fixtures: `tests/fixtures/diff/opens-smb` (a firewall rule
//! opens SMB from the internet-connected tier to the LGWAN tier) and `closes` (an over-broad
//! rule is narrowed; the after side is a directory, as an importer writes it), `narrows` (a rule
//! goes from tcp/80,443 to tcp/443: its findings are narrowed, not new), `nat-forward` (a port
//! forward publishes a server) and `route-discard` (a route turned into a discard): NAT and
//! route changes show like rule changes.

use sansou::analysis::paths::{Query, pairs};
use sansou::analysis::reach::Endpoint;
use sansou::diff::{PairLevel, Snapshot, compare, snapshot};
use sansou::load::load_inputs;
use sansou::model::Selector;
use sansou::report::names;
use sansou::rules::Context;
use sansou::rules::engine::{RunOptions, run};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const OPENS_BEFORE: &str = "tests/fixtures/diff/opens-smb/before.toml";
const OPENS_AFTER: &str = "tests/fixtures/diff/opens-smb/after.toml";
const CLOSES_BEFORE: &str = "tests/fixtures/diff/closes/before.toml";
const CLOSES_AFTER: &str = "tests/fixtures/diff/closes/after";
const ACCEPT: &str = "tests/fixtures/diff/accept-smb.toml";

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1775001600") // 2026-04-01
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// The snapshot of one side, as `sansou diff` builds it.
fn side(topology: &str, policy: Option<&str>) -> Snapshot {
    let inputs = load_inputs(Path::new(topology), policy.map(Path::new)).unwrap();
    assert!(!inputs.diagnostics.has_errors(), "{:?}", inputs.diagnostics);
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = Context::new(inputs.checked().unwrap(), &policy);
    let opts = RunOptions {
        one_lane: false,
        only: None,
        today: "2026-04-01".into(),
        since: None,
    };
    let result = run(&mut cx, &opts);
    snapshot(&mut cx.reach, &inputs.sources, &result, &policy)
}

#[test]
fn opening_smb_from_the_internet_tier_to_lgwan_is_a_new_deny_finding() {
    let o = sansou(&["diff", OPENS_BEFORE, OPENS_AFTER, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc = json(&o);
    assert_eq!(doc["adds_deny"], true);
    let added = doc["findings"]["added"].as_array().unwrap();
    assert!(
        added
            .iter()
            .any(|f| f["code"] == "LG-002" && f["level"] == "deny" && f["accepted"] == false),
        "{added:#?}"
    );
    assert_eq!(doc["findings"]["removed"].as_array().unwrap().len(), 0);
    // The zone matrix cell internet → LGWAN gains exactly SMB.
    let cell = doc["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from_zone"] == "inet" && c["to_zone"] == "lg")
        .expect("inet → lg changed");
    assert_eq!(cell["opened"], serde_json::json!(["tcp/445"]));
    assert_eq!(cell["before"], serde_json::json!([]));
    // The pairs that gain SMB, at both levels, and nothing closes.
    let opened: Vec<(String, String, String, Value)> = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["closed"], serde_json::json!([]));
            (
                p["level"].as_str().unwrap().to_string(),
                p["from"].as_str().unwrap().to_string(),
                p["to"].as_str().unwrap().to_string(),
                p["opened"].clone(),
            )
        })
        .collect();
    let smb = serde_json::json!(["tcp/445"]);
    assert_eq!(
        opened,
        [
            (
                "segment".into(),
                "segment:inet-office".into(),
                "segment:lg-servers".into(),
                smb.clone()
            ),
            (
                "host".into(),
                "host:inet-vdi".into(),
                "host:lg-fs".into(),
                smb.clone()
            ),
            (
                "host".into(),
                "undeclared:inet-office".into(),
                "host:lg-fs".into(),
                smb
            ),
        ]
    );
}

#[test]
fn the_new_smb_path_gives_the_attacker_the_lgwan_share() {
    let doc = json(&sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--format",
        "json",
    ]));
    let stores = doc["attack"]["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 1, "{stores:#?}");
    let s = &stores[0];
    assert_eq!(s["store"], "store:lg-share");
    assert_eq!(
        s["before"],
        serde_json::json!({"readable": false, "exfiltrable": false})
    );
    assert_eq!(
        s["after"],
        serde_json::json!({"readable": true, "exfiltrable": true})
    );
    assert_eq!(s["new_path"], true);
    let kinds: Vec<&str> = s["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"entry"));
    assert!(kinds.contains(&"read"), "{kinds:?}");
    // The web terminal was an entry point before the change too: no new host is taken.
    assert_eq!(doc["attack"]["compromised_added"], serde_json::json!([]));
    // Undoing the change closes the path: no new path, and the store is safe again.
    let back = json(&sansou(&[
        "diff",
        OPENS_AFTER,
        OPENS_BEFORE,
        "--format",
        "json",
    ]));
    let s = &back["attack"]["stores"][0];
    assert_eq!(s["after"]["readable"], false);
    assert_eq!(s["new_path"], false);
    assert_eq!(s["path"], serde_json::json!([]));
}

#[test]
fn an_accepted_exception_keeps_the_change_from_failing() {
    let o = sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--policy",
        ACCEPT,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let doc = json(&o);
    assert_eq!(doc["adds_deny"], false);
    let added = doc["findings"]["added"].as_array().unwrap();
    // LG-002 for the SMB paths (the terminal and the segment's undeclared addresses), ATK-001
    // and ATK-002 for the attack path it completes.
    assert_eq!(added.len(), 4);
    assert!(added.iter().all(|f| f["accepted"] == true), "{added:?}");
    // The policy is an input of both sides.
    let sides: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["side"].as_str().unwrap())
        .collect();
    assert_eq!(sides, ["before", "before", "after", "after"]);
}

#[test]
fn closing_a_broad_rule_removes_findings_and_exits_zero() {
    let o = sansou(&["diff", CLOSES_BEFORE, CLOSES_AFTER, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc = json(&o);
    assert_eq!(doc["adds_deny"], false);
    assert_eq!(doc["findings"]["added"].as_array().unwrap().len(), 0);
    let removed: Vec<&str> = doc["findings"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(removed.contains(&"LG-004"), "{removed:?}");
    for p in doc["pairs"].as_array().unwrap() {
        assert_eq!(p["opened"], serde_json::json!([]), "{p}");
    }
    let to_cloud = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["from"] == "host:lg-pc" && p["to"] == "external:pref-cloud")
        .expect("lg-pc no longer reaches the security cloud");
    assert_eq!(to_cloud["closed"], serde_json::json!(["any"]));
    assert_eq!(to_cloud["after"], serde_json::json!([]));
    // The reverse change opens what this one closes, and fails.
    let back = sansou(&["diff", CLOSES_AFTER, CLOSES_BEFORE]);
    assert_eq!(back.status.code(), Some(1));
}

#[test]
fn narrowing_a_rule_narrows_its_findings_and_exits_zero() {
    let before = "tests/fixtures/diff/narrows/before.toml";
    let after = "tests/fixtures/diff/narrows/after.toml";
    let o = sansou(&["diff", before, after, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc = json(&o);
    let findings = &doc["findings"];
    assert_eq!(findings["added"], serde_json::json!([]));
    assert_eq!(findings["removed"], serde_json::json!([]));
    assert_eq!(findings["widened"], serde_json::json!([]));
    let narrowed = findings["narrowed"].as_array().unwrap();
    assert!(!narrowed.is_empty());
    for n in narrowed {
        assert_eq!(n["closed"], serde_json::json!(["tcp/80"]), "{n}");
        assert_eq!(n["opened"], serde_json::json!([]), "{n}");
        // The same finding on both sides: one fingerprint.
        assert_eq!(n["before"]["fingerprint"], n["after"]["fingerprint"]);
    }
    let text = stdout(&sansou(&["diff", before, after]));
    assert!(text.contains("narrowed findings"), "{text}");
    assert!(text.contains("tcp/80 no longer reaches"), "{text}");
    // The reverse change widens the same findings: a standing deny grows, so it fails.
    let back = sansou(&["diff", after, before, "--format", "json"]);
    assert_eq!(back.status.code(), Some(1));
    let doc = json(&back);
    assert_eq!(doc["findings"]["added"], serde_json::json!([]));
    let widened = doc["findings"]["widened"].as_array().unwrap();
    assert_eq!(widened.len(), narrowed.len());
    assert_eq!(widened[0]["opened"], serde_json::json!(["tcp/80"]));
}

#[test]
fn a_finding_that_now_stands_at_deny_level_is_a_changed_one() {
    let before = "tests/fixtures/diff/model-change/before.toml";
    let after = "tests/fixtures/diff/model-change/after.toml";
    let o = sansou(&["diff", before, after, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let changed: Vec<(&str, &str, &str, &str)> = doc["findings"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["after"]["code"].as_str().unwrap(),
                c["after"]["subject"].as_str().unwrap(),
                c["before"]["level"].as_str().unwrap(),
                c["after"]["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("IN-004", "inet-proxy", "warn", "deny"),
            ("IN-004", "inet-vdi", "warn", "deny")
        ]
    );
    let text = stdout(&sansou(&["diff", before, after, "--lang", "en"]));
    assert!(
        text.contains("IN-004 inet-vdi: warn fail → deny fail"),
        "{text}"
    );
    // New (ZN-003) and changed (two IN-004) deny-level findings are all counted.
    assert!(text.contains("adds 3 deny-level finding(s)"), "{text}");
}

#[test]
fn the_same_design_twice_has_no_difference() {
    let o = sansou(&["diff", OPENS_BEFORE, OPENS_BEFORE]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no difference"), "{}", stdout(&o));
    let o = sansou(&["diff", OPENS_BEFORE, OPENS_BEFORE, "--format", "json"]);
    let doc = json(&o);
    for section in ["matrix", "pairs"] {
        assert_eq!(doc[section], serde_json::json!([]), "{section}");
    }
    for part in ["added", "removed", "changed"] {
        assert_eq!(doc["findings"][part], serde_json::json!([]), "{part}");
    }
}

#[test]
fn bad_input_exits_two() {
    let missing = sansou(&["diff", OPENS_BEFORE, "tests/fixtures/diff/no-such.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    let invalid = sansou(&[
        "diff",
        "tests/fixtures/invalid/unknown-key.toml",
        OPENS_AFTER,
    ]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&invalid.stderr).contains("before the change"),
        "{}",
        String::from_utf8_lossy(&invalid.stderr)
    );
    let bad_policy = sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--policy",
        "tests/fixtures/invalid-policy/unknown-code.toml",
    ]);
    assert_eq!(bad_policy.status.code(), Some(2));
}

/// The host-level pairs of a snapshot are exactly what `sansou paths --from any --to any`
/// finds (external to external aside, which the diff lists at the segment level).
#[test]
fn host_pairs_agree_with_paths() {
    for topology in [OPENS_AFTER, CLOSES_BEFORE, "topologies/alpha-city.toml"] {
        let snap = side(topology, None);
        let inputs = load_inputs(Path::new(topology), None).unwrap();
        let mut reach = sansou::analysis::reach::Reachability::compute(inputs.checked().unwrap());
        let q = Query {
            from: &Selector::Any,
            to: &Selector::Any,
            services: &[],
        };
        let expected: Vec<(String, String, Vec<String>)> = pairs(&mut reach, &q)
            .unwrap()
            .into_iter()
            .filter(|p| {
                !matches!(
                    (p.from, p.to),
                    (Endpoint::External(_), Endpoint::External(_))
                )
            })
            .map(|p| {
                (
                    names::endpoint(&inputs.topology, p.from),
                    names::endpoint(&inputs.topology, p.to),
                    p.services.names(),
                )
            })
            .collect();
        let mut expected = expected;
        expected.sort();
        let got: Vec<(String, String, Vec<String>)> = snap
            .pairs
            .iter()
            .filter(|(k, _)| k.0 == PairLevel::Host)
            .map(|(k, s)| (k.1.clone(), k.2.clone(), s.names()))
            .collect();
        assert!(!got.is_empty(), "{topology}");
        assert_eq!(got, expected, "{topology}");
    }
}

#[test]
fn library_compare_matches_the_command() {
    let d = compare(side(OPENS_BEFORE, None), side(OPENS_AFTER, None));
    assert!(d.adds_deny());
    let codes: Vec<&str> = d.findings_added.iter().map(|f| f.code.as_str()).collect();
    // LG-002 twice: from the declared terminal and from the office's undeclared addresses.
    assert_eq!(codes, ["ATK-001", "ATK-002", "LG-002", "LG-002"]);
    let d = compare(side(CLOSES_BEFORE, None), side(CLOSES_AFTER, None));
    assert!(!d.adds_deny());
    assert!(d.pairs.iter().all(|p| p.opened.is_empty()));
}

#[test]
fn text_and_json_snapshots() {
    let text = stdout(&sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--lang",
        "en",
    ]));
    insta::assert_snapshot!("opens_smb_text_en", text);
    let text = stdout(&sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--lang",
        "ja",
    ]));
    insta::assert_snapshot!("opens_smb_text_ja", text);
    let doc = stdout(&sansou(&[
        "diff",
        OPENS_BEFORE,
        OPENS_AFTER,
        "--format",
        "json",
    ]));
    insta::assert_snapshot!("opens_smb_json", doc);
    let text = stdout(&sansou(&[
        "diff",
        CLOSES_BEFORE,
        CLOSES_AFTER,
        "--lang",
        "en",
    ]));
    insta::assert_snapshot!("closes_text_en", text);
    let doc = stdout(&sansou(&[
        "diff",
        CLOSES_BEFORE,
        CLOSES_AFTER,
        "--format",
        "json",
    ]));
    insta::assert_snapshot!("closes_json", doc);
}

/// A finding about a rule itself (NET-001 on a rule without a `reason`) has no services behind
/// it: diff compares the rule's content, the one an exception pins. Narrowing the rule narrows
/// the finding (exit 0), the reverse widens it (exit 1), and a change that is neither surely
/// wider nor narrower is a changed rule, counted as new (exit 1).
#[test]
fn a_finding_about_a_rule_is_compared_by_the_rule_content() {
    let dir = "tests/fixtures/diff/rule-content";
    let before = format!("{dir}/before.toml");
    let narrowed = format!("{dir}/narrowed.toml");
    let changed = format!("{dir}/changed.toml");
    let net001 = |doc: &Value, class: &str| -> Vec<Value> {
        doc["findings"][class]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["after"]["code"] == "NET-001")
            .cloned()
            .collect()
    };

    let o = sansou(&["diff", &before, &narrowed, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc = json(&o);
    let n = net001(&doc, "narrowed");
    assert_eq!(n.len(), 1, "{doc}");
    assert_eq!(n[0]["after"]["subject"], "fw-core/scanner-web");
    assert_eq!(
        n[0]["rule"]["before"],
        "allow segment:inet-office → host:lg-fs (tcp/80, tcp/443)"
    );
    assert_eq!(
        n[0]["rule"]["after"],
        "allow segment:inet-office → host:lg-fs (tcp/443)"
    );
    let text = stdout(&sansou(&["diff", &before, &narrowed, "--lang", "en"]));
    assert!(
        text.contains("was: allow segment:inet-office → host:lg-fs (tcp/80, tcp/443)"),
        "{text}"
    );

    let o = sansou(&["diff", &narrowed, &before, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(net001(&json(&o), "widened").len(), 1);
    let text = stdout(&sansou(&["diff", &narrowed, &before, "--lang", "en"]));
    assert!(text.contains("widens 3 deny-level finding(s)"), "{text}");

    let o = sansou(&["diff", &before, &changed, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let c = net001(&doc, "rule_changed");
    assert_eq!(c.len(), 1, "{doc}");
    assert_eq!(
        c[0]["rule"]["after"],
        "allow segment:inet-dmz → host:lg-fs (tcp/443)"
    );
    assert!(net001(&doc, "narrowed").is_empty() && net001(&doc, "widened").is_empty());

    // The same rule on both sides stays unchanged.
    let doc = json(&sansou(&["diff", &before, &before, "--format", "json"]));
    assert!(net001(&doc, "rule_changed").is_empty());
}

/// `sansou diff --format json` of a fixture's `before.toml` and `after.toml`.
fn diff_of(fixture: &str) -> Value {
    let side = |name: &str| format!("tests/fixtures/diff/{fixture}/{name}.toml");
    let (before, after) = (side("before"), side("after"));
    json(&sansou(&["diff", &before, &after, "--format", "json"]))
}

/// The codes of a diff's findings of one class (`added`, `removed`, ...).
fn codes<'v>(v: &'v Value, class: &str) -> Vec<&'v str> {
    v["findings"][class]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

/// The pairs of a diff's JSON at one level, as `FROM -> TO: opened | closed`.
fn pair_changes(v: &Value, level: &str) -> Vec<String> {
    v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["level"] == level)
        .map(|p| {
            format!(
                "{} -> {}: +{} -{}",
                p["from"].as_str().unwrap(),
                p["to"].as_str().unwrap(),
                p["opened"],
                p["closed"]
            )
        })
        .collect()
}

#[test]
fn a_new_port_forward_is_a_change_like_a_rule_change() {
    let v = diff_of("nat-forward");
    let pairs = pair_changes(&v, "host");
    assert!(
        pairs.contains(&r#"external:internet -> host:web: +["tcp/443"] -[]"#.to_string()),
        "{pairs:#?}"
    );
    let added = codes(&v, "added");
    assert_eq!(added, ["ATK-001", "ATK-002"]);
    assert_eq!(v["adds_deny"], true);
}

#[test]
fn a_route_change_is_a_change_like_a_rule_change() {
    let v = diff_of("route-discard");
    let pairs = pair_changes(&v, "host");
    assert!(
        pairs.contains(&r#"host:pc -> external:lgwan: +[] -["any"]"#.to_string()),
        "{pairs:#?}"
    );
    let removed = codes(&v, "removed");
    assert_eq!(removed, ["LG-005"]);
}
