//! Finding fingerprints stay put: rewording a message changes none, and inserting unrelated
//! rules above rules with an `id` (so every position below them shifts) changes none of the
//! fingerprints whose subject does not name a rule by position. Fixture:
//! `tests/fixtures/rules/NET-001/fail.toml` (rules with and without ids on fw-border).

use crate::common;

use proptest::prelude::*;
use sansou::rules::engine::Finding;
use std::collections::BTreeMap;

const FIXTURE: &str = "tests/fixtures/rules/NET-001/fail.toml";

/// Every finding of a check of `text` (the fixture's default profile, on 2026-04-01).
fn findings(text: &str, name: &str) -> Vec<Finding> {
    let path = common::tmp("fingerprint", &format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    common::check_at(&path, None).findings
}

/// Whether a subject names a fw-border rule by its position (`fw-border/2`).
fn positional(subject: &str) -> bool {
    subject
        .strip_prefix("fw-border/")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// (code, subject) → fingerprint of the findings that do not name a rule by position.
fn stable(fs: &[Finding]) -> BTreeMap<(String, String), String> {
    fs.iter()
        .filter(|f| !positional(&f.subject))
        .map(|f| ((f.code.clone(), f.subject.clone()), f.fingerprint()))
        .collect()
}

/// The fixture with `n` deny rules inserted before fw-border's first rule. Their addresses are
/// in no segment or external, so they change no reachability: only the positions below them.
fn with_inert_rules(base: &str, n: usize, seed: u32) -> String {
    let anchor = "default = \"allow\"\n\n[[firewall.rule]]";
    let at = base.find(anchor).expect("fw-border's first rule") + "default = \"allow\"\n".len();
    let mut inserted = String::new();
    for k in 0..n {
        inserted.push_str(&format!(
            "\n[[firewall.rule]]\naction = \"deny\"\nfrom = \"10.250.{}.0/24\"\nto = \"10.251.{k}.0/24\"\n",
            (seed as usize + k) % 250
        ));
    }
    format!("{}{inserted}{}", &base[..at], &base[at..])
}

#[test]
fn rewording_a_message_changes_no_fingerprint() {
    let base = std::fs::read_to_string(FIXTURE).unwrap();
    for f in findings(&base, "reword") {
        let mut reworded = f.clone();
        reworded.message.en = format!("reworded: {}", f.message.en);
        reworded.message.ja = String::new();
        assert_eq!(reworded.fingerprint(), f.fingerprint(), "{}", f.subject);
    }
}

#[test]
fn identified_rules_are_named_by_id_in_subjects() {
    let base = std::fs::read_to_string(FIXTURE).unwrap();
    let subjects: Vec<String> = findings(&base, "ids")
        .into_iter()
        .map(|f| f.subject)
        .collect();
    assert!(
        subjects.contains(&"fw-border/screen-old".to_string()),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"fw-border/screen-expired".to_string()),
        "{subjects:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn rules_inserted_above_identified_rules_change_no_stable_fingerprint(
        n in 1usize..4,
        seed in 0u32..200,
    ) {
        let base = std::fs::read_to_string(FIXTURE).unwrap();
        let before = stable(&findings(&base, "base"));
        let shifted = findings(&with_inert_rules(&base, n, seed), "inserted");
        // The rule without a reason moved down by n: its positional subject did change.
        let moved = format!("fw-border/{}", 2 + n);
        prop_assert!(shifted.iter().any(|f| f.subject == moved));
        prop_assert!(before.keys().any(|(_, s)| s == "fw-border/screen-old"));
        prop_assert_eq!(before, stable(&shifted));
    }
}
