//! Output volume: `check`'s text names the firewall rules behind the most findings and shows at
//! most 10 findings per rule (`… and N more: --all`), while JSON keeps every finding;
//! `validate` counts its rule-list warnings, shows the first 10, and gives them all in JSON.
//! Input: the generated tier S design (seed 1).

use crate::common;

use common::sansou;
use std::path::PathBuf;

/// The design, generated into a folder of the calling test's own (tests run in parallel).
fn design(name: &str) -> PathBuf {
    let dir = common::tmp("volume", name);
    let o = sansou(&["generate", "--tier", "S", "--output", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    dir.join("topology.toml")
}

fn text(o: &std::process::Output, stderr: bool) -> String {
    String::from_utf8(if stderr {
        o.stderr.clone()
    } else {
        o.stdout.clone()
    })
    .unwrap()
}

#[test]
fn check_text_caps_each_rule_and_names_the_rules_behind_findings() {
    let file = design("check");
    let path = file.to_str().unwrap();
    let doc = common::check_json(&[path]);
    let findings = doc["findings"].as_array().unwrap();
    let capped = text(&sansou(&["check", path, "--lang", "en"]), false);
    let all = text(&sansou(&["check", path, "--lang", "en", "--all"]), false);
    assert!(
        capped.contains("firewall rules behind the most findings:"),
        "{capped}"
    );
    assert!(!all.contains("more: --all"));
    // Every rule with more than 10 findings says how many were left out of the text.
    let mut codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    codes.dedup();
    let mut capped_somewhere = false;
    for code in codes {
        let n = findings.iter().filter(|f| f["code"] == code).count();
        if n > 10 {
            capped_somewhere = true;
            let section = capped.split(&format!("\n{code} ")).nth(1).unwrap();
            let section = section.split("\n\n").next().unwrap();
            assert!(
                section.contains(&format!("… and {} more: --all", n - 10)),
                "{code}: {section}"
            );
        }
    }
    assert!(
        capped_somewhere,
        "the tier S design has a rule with more than 10 findings"
    );
    // The full text has one line per finding subject.
    for f in findings {
        assert!(all.contains(&format!(" {}: ", f["subject"].as_str().unwrap())));
    }
}

#[test]
fn validate_counts_and_caps_rule_list_warnings_and_gives_them_all_in_json() {
    let file = design("validate");
    let path = file.to_str().unwrap();
    let json = sansou(&["validate", path, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let count = doc["lint"]["count"].as_u64().unwrap() as usize;
    assert!(count > 10, "the tier S design has many rule-list warnings");
    assert_eq!(doc["lint"]["warnings"].as_array().unwrap().len(), count);
    let t = text(&sansou(&["validate", path, "--lang", "en"]), true);
    assert!(t.contains(&format!("rule-list warnings: {count}")), "{t}");
    assert!(
        t.contains(&format!("… and {} more: --all", count - 10)),
        "{t}"
    );
    assert_eq!(t.matches("warning: ").count(), 10, "{t}");
    let full = text(&sansou(&["validate", path, "--lang", "en", "--all"]), true);
    assert_eq!(full.matches("warning: ").count(), count);
}
