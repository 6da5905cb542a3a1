//! `sansou check`: levels and profiles, exceptions (accepted, expired, unused), exit codes and
//! the JSON shape.

use sansou::load::load_inputs;
use sansou::model::policy::Level;
use sansou::rules::engine::{RunOptions, run};
use sansou::rules::{Context, Verdict};
use std::path::Path;
use std::process::Command;

const MN004_FAIL: &str = "tests/fixtures/rules/MN-004/fail.toml";

fn sansou(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1775001600") // 2026-04-01
        .output()
        .unwrap()
}

#[test]
fn exceptions_are_accepted_expired_or_unused_and_stay_visible() {
    let inputs = load_inputs(
        Path::new(MN004_FAIL),
        Some(Path::new("tests/fixtures/policy/exceptions.toml")),
    )
    .unwrap();
    assert!(!inputs.diagnostics.has_errors(), "{:?}", inputs.diagnostics);
    let policy = inputs.policy.clone().unwrap();
    let mut cx = Context::new(inputs.checked().unwrap(), &policy);
    let opts = RunOptions {
        one_lane: false,
        only: None,
        today: "2026-04-01".into(),
        since: None,
    };
    let result = run(&mut cx, &opts);
    let find = |code: &str, subject: &str| {
        result
            .findings
            .iter()
            .find(|f| f.code == code && f.subject == subject)
            .unwrap_or_else(|| panic!("no {code} finding on {subject}: {:#?}", result.findings))
    };
    // Accepted: still listed, with its approver, and not counted as deny.
    let accepted = find("MN-004", "juki-pc");
    assert_eq!(accepted.verdict, Verdict::Fail);
    assert_eq!(
        accepted.exception.as_ref().unwrap().approved_by,
        "CISO 山田"
    );
    // Expired: the finding stands (unknown: zei-pc does not state mfa) and the expiry is reported.
    assert!(find("MN-004", "zei-pc").exception.is_none());
    let expired = find("POL-001", "MN-004:zei-pc");
    assert_eq!(expired.level, Level::Warn);
    assert!(expired.message.en.contains("expired on 2020-03-31"));
    // Unused: reported so a typo in `subject` does not go unnoticed.
    find("POL-002", "MN-004:no-such-pc");
    let s = result.summary();
    assert_eq!((s.deny, s.warn, s.accepted, s.unknown), (0, 2, 1, 1));
    assert!(!result.fails());
}

#[test]
fn exit_codes_follow_deny_level_findings() {
    let only = "tests/fixtures/policy/only-mn-004.toml";
    assert_eq!(
        sansou(&["check", MN004_FAIL, "--policy", only])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        sansou(&["check", MN004_FAIL, "--policy", only, "--exit-zero"])
            .status
            .code(),
        Some(0)
    );
    let pass = "tests/fixtures/rules/MN-004/pass.toml";
    assert_eq!(
        sansou(&["check", pass, "--policy", only]).status.code(),
        Some(0)
    );
    let exceptions = "tests/fixtures/policy/exceptions.toml";
    assert_eq!(
        sansou(&["check", MN004_FAIL, "--policy", exceptions])
            .status
            .code(),
        Some(0)
    );
    let bad = "tests/fixtures/invalid-policy/unknown-code.toml";
    assert_eq!(
        sansou(&["check", MN004_FAIL, "--policy", bad])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let o = sansou(&[
        "check",
        MN004_FAIL,
        "--policy",
        "tests/fixtures/policy/exceptions.toml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["tool"]["name"], "sansou");
    let inputs = doc["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(doc["summary"]["accepted"], 1);
    let findings = doc["findings"].as_array().unwrap();
    let accepted = findings.iter().find(|f| f["subject"] == "juki-pc").unwrap();
    for key in [
        "code", "name", "level", "message", "subject", "location", "path",
    ] {
        assert!(accepted.get(key).is_some(), "finding has no `{key}`");
    }
    assert_eq!(accepted["location"]["line"], 14, "the host's id");
    assert_eq!(accepted["exception"]["approved_by"], "CISO 山田");
    // Same inputs, same bytes.
    let again = sansou(&[
        "check",
        MN004_FAIL,
        "--policy",
        "tests/fixtures/policy/exceptions.toml",
        "--format",
        "json",
    ]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn explain_and_rules_document_the_registry() {
    let o = sansou(&["explain", "mn-004", "--lang", "ja"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    for heading in ["## 何を検査するか", "## なぜ重要か", "## 例", "## 修正方法"] {
        assert!(text.contains(heading), "{text}");
    }
    let o = sansou(&["explain", "MN-04"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("did you mean MN-004")
    );
    let o = sansou(&["rules", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes = crate::common::codes(&doc, "rules");
    assert!(codes.contains(&"MN-001") && codes.contains(&"POL-001"));
    let table = String::from_utf8(sansou(&["rules"]).stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("MN-004") && l.contains("deny"))
    );
}

/// The codes with standing findings when checking a topology with a policy.
fn codes(topology: &str, policy: Option<&str>) -> Vec<String> {
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
    let mut codes: Vec<String> = run(&mut cx, &opts)
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect();
    codes.dedup();
    codes
}

#[test]
fn a_beta_only_rule_is_silent_under_the_alpha_profile() {
    let design = "tests/fixtures/rules/BT-001/fail.toml";
    // The design declares β: BT-001 applies.
    assert!(codes(design, None).contains(&"BT-001".to_string()));
    assert!(
        codes(design, Some("tests/fixtures/policy/beta-only.toml")).contains(&"BT-001".to_string())
    );
    // The policy's α profile wins over the declared model: BT-001 is not evaluated.
    let alpha = codes(design, Some("tests/fixtures/policy/alpha-only.toml"));
    assert!(!alpha.contains(&"BT-001".to_string()), "{alpha:?}");
    // And the reverse: an α'-only rule (AP-001) is off under β.
    let levels = sansou::rules::find("AP-001").unwrap().meta().levels;
    assert_eq!(levels.beta, Level::Allow);
    assert_eq!(levels.alpha_prime, Level::Deny);
}
