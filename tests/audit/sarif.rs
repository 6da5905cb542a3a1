//! `sansou check --format sarif`: the log has the structure SARIF 2.1.0 requires and code review
//! tools read (tool.driver.rules from the registry, results with locations, codeFlows for
//! paths, suppressions for accepted exceptions, artifacts with SHA-256).

use sansou::report::json::sha256_hex;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Output};

const OPENS_AFTER: &str = "tests/fixtures/diff/opens-smb/after.toml";
const ACCEPT: &str = "tests/fixtures/diff/accept-smb.toml";
const MN004_FAIL: &str = "tests/fixtures/rules/MN-004/fail.toml";
const EXCEPTIONS: &str = "tests/fixtures/policy/exceptions.toml";

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1775001600") // 2026-04-01
        .output()
        .unwrap()
}

fn sarif(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "sarif"]);
    let o = sansou(&all);
    let doc = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), doc)
}

fn str_of<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {v}"))
}

/// A physicalLocation with a URI and a one-based start line (and column, when asked).
fn assert_physical(p: &Value, with_column: bool) {
    let uri = str_of(&p["artifactLocation"]["uri"], "artifactLocation.uri");
    assert!(!uri.is_empty() && !uri.contains(' '), "{uri}");
    let line = p["region"]["startLine"].as_u64().expect("region.startLine");
    assert!(line >= 1);
    if with_column {
        assert!(p["region"]["startColumn"].as_u64().expect("startColumn") >= 1);
    }
}

/// Every structural requirement of the log, checked on any run.
fn assert_structure(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert!(str_of(&doc["$schema"], "$schema").contains("sarif-schema-2.1.0"));
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sansou");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let mut ids = BTreeSet::new();
    for r in rules {
        let id = str_of(&r["id"], "rule id");
        assert!(ids.insert(id.to_string()), "duplicate rule {id}");
        str_of(&r["name"], "rule name");
        assert!(!str_of(&r["shortDescription"]["text"], "shortDescription").is_empty());
        assert!(!str_of(&r["fullDescription"]["text"], "fullDescription").is_empty());
        let level = str_of(&r["defaultConfiguration"]["level"], "default level");
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{level}"
        );
        assert!(r["properties"].is_object(), "{id} has no properties");
    }
    // Every rule of the registry is described, documented from the registry itself.
    for rule in sansou::rules::registry() {
        let meta = rule.meta();
        let r = rules
            .iter()
            .find(|r| r["id"] == meta.code)
            .unwrap_or_else(|| panic!("{} missing from tool.driver.rules", meta.code));
        assert_eq!(r["name"], meta.name);
        assert_eq!(r["properties"]["guideline"], meta.guideline);
    }
    // Artifacts: every input with the SHA-256 of its bytes.
    let artifacts = run["artifacts"].as_array().expect("artifacts");
    assert!(!artifacts.is_empty());
    for a in artifacts {
        let uri = str_of(&a["location"]["uri"], "artifact uri");
        // Relative URIs are relative to where sansou ran; absolute paths are file: URIs.
        let path = match uri.strip_prefix("file://") {
            Some(absolute) => std::path::PathBuf::from(absolute),
            None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(uri),
        };
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("artifact {uri}: {e}"));
        assert_eq!(a["hashes"]["sha-256"], sha256_hex(&bytes), "{uri}");
    }
    for r in run["results"].as_array().expect("results") {
        let id = str_of(&r["ruleId"], "ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex of {id}");
        let level = str_of(&r["level"], "level");
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        assert!(!str_of(&r["message"]["text"], "message").is_empty());
        for l in r["locations"].as_array().expect("locations") {
            assert_physical(&l["physicalLocation"], true);
            let i = l["physicalLocation"]["artifactLocation"]["index"]
                .as_u64()
                .expect("artifact index") as usize;
            assert_eq!(
                artifacts[i]["location"]["uri"],
                l["physicalLocation"]["artifactLocation"]["uri"]
            );
        }
        if let Some(flows) = r.get("codeFlows") {
            for f in flows.as_array().unwrap() {
                for t in f["threadFlows"].as_array().expect("threadFlows") {
                    let locations = t["locations"].as_array().expect("thread flow locations");
                    assert!(!locations.is_empty());
                    for l in locations {
                        assert!(l["location"].is_object(), "{l}");
                    }
                }
            }
        }
        if let Some(s) = r.get("suppressions") {
            for s in s.as_array().unwrap() {
                assert_eq!(s["kind"], "external");
                assert!(!str_of(&s["justification"], "justification").is_empty());
            }
        }
    }
}

fn results_of<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == code)
        .collect()
}

#[test]
fn a_path_finding_has_a_code_flow_through_the_imported_rule() {
    let (code, doc) = sarif(&[OPENS_AFTER]);
    assert_eq!(code, Some(1), "a deny finding stands");
    assert_structure(&doc);
    let lg002 = results_of(&doc, "LG-002");
    // The rule opens the office segment: the declared terminal and any undeclared device.
    assert_eq!(lg002.len(), 2);
    let r = lg002[0];
    assert_eq!(r["level"], "error");
    assert!(r.get("suppressions").is_none());
    // Main location: the finding's place in the topology, as the JSON output gives it.
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], OPENS_AFTER);
    assert_eq!(loc["region"]["startLine"], 71);
    assert_eq!(loc["region"]["startColumn"], 6);
    // The flow: source host, the firewall hop at the configuration line the rule was imported
    // from (origin = "fgt-core.conf:125"), destination host.
    let steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), 3, "{steps:#?}");
    let uris: Vec<&str> = steps
        .iter()
        .map(|s| {
            str_of(
                &s["location"]["physicalLocation"]["artifactLocation"]["uri"],
                "uri",
            )
        })
        .collect();
    assert_eq!(uris, [OPENS_AFTER, "fgt-core.conf", OPENS_AFTER]);
    let hop = &steps[1]["location"];
    assert_eq!(hop["physicalLocation"]["region"]["startLine"], 125);
    let text = str_of(&hop["message"]["text"], "hop message");
    assert!(
        text.contains("fw-core") && text.contains("rule 4 allow"),
        "{text}"
    );
    // The topology line of the rule is still named, for a reader without the device config.
    assert!(text.contains(&format!("{OPENS_AFTER}:")), "{text}");
}

#[test]
fn a_rule_without_origin_points_at_the_topology() {
    let (_, doc) = sarif(&["tests/fixtures/rules/LG-002/fail.toml"]);
    assert_structure(&doc);
    // Packet flows (their steps have places; step-by-step evidence has only messages).
    let packet_flows: Vec<&Value> = results_of(&doc, "LG-002")
        .into_iter()
        .filter_map(|r| r.get("codeFlows"))
        .map(|f| &f[0]["threadFlows"][0]["locations"])
        .filter(|l| l[0]["location"].get("physicalLocation").is_some())
        .collect();
    assert!(packet_flows.len() >= 2, "{packet_flows:#?}");
    for steps in packet_flows {
        for s in steps.as_array().unwrap() {
            assert_eq!(
                s["location"]["physicalLocation"]["artifactLocation"]["uri"],
                "tests/fixtures/rules/LG-002/fail.toml"
            );
        }
    }
}

#[test]
fn accepted_exceptions_are_external_suppressions() {
    let (code, doc) = sarif(&[OPENS_AFTER, "--policy", ACCEPT]);
    assert_eq!(code, Some(0), "the only deny finding is accepted");
    assert_structure(&doc);
    let r = results_of(&doc, "LG-002")[0];
    // A suppressed result keeps its level: the suppression says why it does not count.
    assert_eq!(r["level"], "error");
    let s = &r["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(s["status"], "accepted");
    let j = str_of(&s["justification"], "justification");
    assert!(
        j.contains("スキャナ保存データの移行期間のみ")
            && j.contains("CISO 山田")
            && j.contains("2099-03-31"),
        "{j}"
    );
    assert_eq!(
        s["location"]["physicalLocation"]["artifactLocation"]["uri"],
        ACCEPT
    );
    // The policy is an artifact too.
    let uris: Vec<&Value> = doc["runs"][0]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["location"]["uri"])
        .collect();
    assert_eq!(uris, [OPENS_AFTER, ACCEPT]);
}

#[test]
fn levels_map_deny_warn_and_unknown() {
    let (code, doc) = sarif(&[MN004_FAIL, "--policy", EXCEPTIONS]);
    assert_eq!(code, Some(0));
    assert_structure(&doc);
    let level_of = |code: &str, subject: &str| {
        results_of(&doc, code)
            .into_iter()
            .find(|r| r["properties"]["subject"] == subject)
            .unwrap_or_else(|| panic!("no {code} result on {subject}"))["level"]
            .clone()
    };
    // Expired exception: POL-001 at warn level.
    assert_eq!(level_of("POL-001", "MN-004:zei-pc"), "warning");
    // zei-pc does not state mfa: unknown, a note for a person to look at.
    assert_eq!(level_of("MN-004", "zei-pc"), "note");
    // juki-pc fails at deny level and is accepted.
    assert_eq!(level_of("MN-004", "juki-pc"), "error");
    let accepted = results_of(&doc, "MN-004")
        .into_iter()
        .find(|r| r["properties"]["subject"] == "juki-pc")
        .unwrap();
    assert_eq!(accepted["suppressions"][0]["kind"], "external");
}

#[test]
fn policy_checks_get_their_own_rule_entries() {
    // A policy `[[assert]]` has the user's id; SARIF needs a rule for it to point at.
    let topology = "tests/fixtures/rules/LG-002/fail.toml";
    let dir = std::env::temp_dir().join(format!("sansou-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("assert.toml");
    std::fs::write(
        &policy,
        "format = 1\n[policy]\nprofile = \"none\"\n[[assert]]\nid = \"CITY-001\"\ndescription = \"LGWAN file server only from the LGWAN\"\nfrom = \"tier:internet\"\nto = \"host:lg-fs\"\nexpect = \"no-path\"\n",
    )
    .unwrap();
    let (code, doc) = sarif(&[topology, "--policy", policy.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_structure(&doc);
    std::fs::remove_dir_all(&dir).ok();
    let results = results_of(&doc, "CITY-001");
    assert!(!results.is_empty());
    // An absolute path becomes a file: URI.
    let artifacts = doc["runs"][0]["artifacts"].as_array().unwrap();
    assert!(
        str_of(&artifacts[1]["location"]["uri"], "uri").starts_with("file:///"),
        "{artifacts:?}"
    );
}

#[test]
fn partial_fingerprints_are_the_findings_fingerprints_and_ignore_the_language() {
    let (_, doc) = sarif(&[OPENS_AFTER, "--lang", "en"]);
    let (_, ja) = sarif(&[OPENS_AFTER, "--lang", "ja"]);
    let json = sansou(&["check", OPENS_AFTER, "--format", "json"]);
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let fingerprints = |d: &Value| -> Vec<String> {
        d["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                str_of(&r["partialFingerprints"]["sansouFinding/v2"], "fingerprint").to_string()
            })
            .collect()
    };
    let from_json: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| str_of(&f["fingerprint"], "fingerprint").to_string())
        .collect();
    assert!(!from_json.is_empty());
    assert_eq!(fingerprints(&doc), from_json);
    // The message is in another language; the fingerprints are the same.
    assert_eq!(fingerprints(&ja), from_json);
}

/// `validate`'s rule-list warnings ride along as notifications of the invocation (not results:
/// they break no criterion), each at the rule with the rule that covers it, and their count.
#[test]
fn rule_list_warnings_are_notifications_with_their_count() {
    let (_, doc) = sarif(&["tests/fixtures/lint/rules.toml"]);
    assert_structure(&doc);
    let run = &doc["runs"][0];
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("toolExecutionNotifications");
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert_eq!(run["properties"]["lint_count"], 3);
    for n in notes {
        assert_eq!(n["level"], "warning");
        assert!(str_of(&n["message"]["text"], "message").contains("rule"));
        let locations = n["locations"].as_array().expect("locations");
        assert!(locations.len() >= 2, "{n}");
        for l in locations {
            assert_physical(&l["physicalLocation"], true);
        }
    }
    // A design without such warnings says so with an empty list.
    let (_, doc) = sarif(&[MN004_FAIL]);
    let run = &doc["runs"][0];
    assert_eq!(run["properties"]["lint_count"], 0);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"],
        serde_json::json!([])
    );
}
