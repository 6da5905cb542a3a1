//! Findings grouped by cause (the firewall rules that let their witness through): one entry in
//! `check`'s text, and additive fields in JSON, SARIF and the HTML report, which keep every
//! finding. Input: the generated tier M design (MN-010: many pairs behind two rule chains) and
//! tier S (SARIF and the report).

use crate::common;

use common::sansou;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn design(tier: &str, name: &str) -> PathBuf {
    let dir = common::tmp("grouping", name);
    let o = sansou(&[
        "generate",
        "--tier",
        tier,
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    dir.join("topology.toml")
}

/// The text of one rule code's section of `check`'s output.
fn section<'a>(text: &'a str, code: &str) -> &'a str {
    let rest = text.split(&format!("\n{code} ")).nth(1).unwrap();
    rest.split("\n\n").next().unwrap()
}

#[test]
fn tier_m_remote_desktop_findings_read_as_one_entry_per_rule_chain() {
    let file = design("M", "m");
    let path = file.to_str().unwrap();
    let doc = common::check_json(&[path]);
    let findings = doc["findings"].as_array().unwrap();
    let mn010: Vec<&Value> = findings.iter().filter(|f| f["code"] == "MN-010").collect();
    assert!(mn010.len() > 10, "tier M has many MN-010 findings");
    // JSON keeps every finding, and says which group each belongs to.
    let groups: Vec<&Value> = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["code"] == "MN-010")
        .collect();
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let grouped: usize = groups
        .iter()
        .map(|g| g["count"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(grouped, mn010.len());
    for g in &groups {
        let rules = g["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2, "each chain crosses two firewalls: {g:#?}");
        let members: Vec<&str> = g["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        for f in &mn010 {
            let inside = members.contains(&f["fingerprint"].as_str().unwrap());
            assert_eq!(inside, f["group"] == g["fingerprint"], "{f:#?}");
        }
    }
    // The text: two entries, each naming its rules once, with capped pairs beneath.
    let text = String::from_utf8(sansou(&["check", path, "--lang", "en"]).stdout).unwrap();
    let s = section(&text, "MN-010");
    let entries: Vec<&str> = s.lines().filter(|l| l.starts_with("  ✗ ")).collect();
    assert_eq!(entries.len(), 2, "{s}");
    for (e, g) in entries.iter().zip(&groups) {
        let count = g["count"].as_u64().unwrap();
        assert_eq!(
            *e,
            format!(
                "  ✗ {}: {count} findings let through by these rules",
                g["name"].as_str().unwrap()
            )
        );
        for r in g["rules"].as_array().unwrap() {
            assert!(
                s.contains(&format!("    rule {}: ", r["subject"].as_str().unwrap())),
                "{s}"
            );
        }
    }
    let pairs = s.lines().filter(|l| l.starts_with("    ✗ ")).count();
    let left: usize = groups
        .iter()
        .map(|g| (g["count"].as_u64().unwrap() as usize).saturating_sub(10))
        .sum();
    assert_eq!(pairs + left, mn010.len());
    for g in &groups {
        let n = g["count"].as_u64().unwrap() as usize;
        if n > 10 {
            assert!(
                s.contains(&format!("    … and {} more: --all", n - 10)),
                "{s}"
            );
        }
    }
    // `--all` shows every finding on its own.
    let all = String::from_utf8(sansou(&["check", path, "--lang", "en", "--all"]).stdout).unwrap();
    let s = section(&all, "MN-010");
    assert_eq!(
        s.lines().filter(|l| l.starts_with("  ✗ ")).count(),
        mn010.len()
    );
}

#[test]
fn sarif_and_the_report_carry_the_same_groups_as_json() {
    let file = design("S", "s");
    let path = file.to_str().unwrap();
    let doc = common::check_json(&[path]);
    let findings = doc["findings"].as_array().unwrap();
    let groups = doc["groups"].as_array().unwrap();
    assert!(!groups.is_empty(), "tier S has findings with one cause");
    let by_json: Vec<Option<&str>> = findings.iter().map(|f| f["group"].as_str()).collect();

    let sarif = sansou(&["check", path, "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len(), "SARIF keeps every finding");
    let by_sarif: Vec<Option<&str>> = results
        .iter()
        .map(|r| r["properties"]["group"].as_str())
        .collect();
    assert_eq!(by_sarif, by_json);
    assert_eq!(&run["properties"]["groups"], &doc["groups"]);

    let html = common::tmp("grouping", "s.html");
    let o = sansou(&["report", path, "--output", html.to_str().unwrap()]);
    assert!(o.status.code() == Some(0) || o.status.code() == Some(1));
    let html = std::fs::read_to_string(html).unwrap();
    // Each finding's article carries its group; each group's block its count.
    let mut in_html: BTreeMap<String, Option<String>> = BTreeMap::new();
    for tag in html.split("<article class=\"finding").skip(1) {
        let tag = &tag[..tag.find('>').unwrap()];
        let attr = |name: &str| {
            tag.split(&format!(" {name}=\""))
                .nth(1)
                .map(|v| v[..v.find('"').unwrap()].to_string())
        };
        if let Some(fp) = attr("data-fingerprint") {
            in_html.insert(fp, attr("data-group"));
        }
    }
    assert_eq!(in_html.len(), findings.len());
    for (f, g) in findings.iter().zip(&by_json) {
        assert_eq!(
            in_html[f["fingerprint"].as_str().unwrap()].as_deref(),
            *g,
            "{f:#?}"
        );
    }
    for g in groups {
        assert!(html.contains(&format!(
            "data-group=\"{}\" data-count=\"{}\">",
            g["fingerprint"].as_str().unwrap(),
            g["count"]
        )));
    }
}
