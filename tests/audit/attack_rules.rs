//! ATK-001 and ATK-002 agree with `sansou attack`: the stores an attacker from outside (the
//! internet, a Wi-Fi, a remote-access line) reads are exactly ATK-001's failures, the ones whose
//! data can leave exactly ATK-002's, on every sample (the 2015 reconstruction above all: its
//! personal data is read and leaves) and on the Wi-Fi and remote-access fixtures.

use std::collections::BTreeSet;
use std::process::Command;

fn json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("sansou runs");
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)))
}

/// Subjects of a rule's failures, accepted ones included.
fn failing(check: &serde_json::Value, code: &str) -> BTreeSet<String> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code && f["verdict"] == "fail")
        .map(|f| f["subject"].as_str().unwrap().to_string())
        .collect()
}

fn stores(attack: &serde_json::Value, field: &str) -> BTreeSet<String> {
    attack["stores"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s[field] == true)
        .map(|s| s["store"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn attack_rules_agree_with_the_attack_analysis_on_every_sample() {
    for (topology, policy) in [
        ("topologies/alpha-city.toml", Some("policies/alpha.toml")),
        ("topologies/beta-town.toml", Some("policies/beta.toml")),
        ("topologies/jps-2015.toml", None),
        // Entries through a Wi-Fi and a remote-access line (docs/ATTACK.md, "Entry").
        ("tests/fixtures/attack/wifi-foothold.toml", None),
        ("tests/fixtures/attack/remote-vendor-line.toml", None),
    ] {
        let mut check_args = vec!["check", topology, "--format", "json"];
        let mut attack_args = vec!["attack", topology, "--format", "json", "--no-fix"];
        if let Some(p) = policy {
            check_args.extend(["--policy", p]);
            attack_args.extend(["--policy", p]);
        }
        let check = json(&check_args);
        let attack = json(&attack_args);
        assert_eq!(
            failing(&check, "ATK-001"),
            stores(&attack, "readable"),
            "{topology}: ATK-001 and attack's readable stores"
        );
        assert_eq!(
            failing(&check, "ATK-002"),
            stores(&attack, "exfiltrable"),
            "{topology}: ATK-002 and attack's exfiltrable stores"
        );
    }
}

#[test]
fn the_2015_reconstruction_does_not_pass_atk_001() {
    let check = json(&["check", "topologies/jps-2015.toml", "--format", "json"]);
    let atk = check["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ATK-001")
        .unwrap();
    assert_eq!(atk["verdict"], "fail");
    assert!(failing(&check, "ATK-001").contains("store:kyoyu-nopass"));
}
