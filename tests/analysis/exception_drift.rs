//! Exceptions pin what they accepted (`accepted`): after a rule is inserted above the accepted
//! one, the exception naming its old position stops applying and POL-003 says what changed; an
//! exception by position without `accepted` still applies to the unchanged rule, with POL-004
//! recommending ids. Fixtures: `tests/fixtures/exceptions/drift/`.

use crate::common;

use sansou::rules::Verdict;
use sansou::rules::engine::{CheckResult, Finding};
use std::path::Path;

const DIR: &str = "tests/fixtures/exceptions/drift";

fn check(topology: &str, policy: &str) -> CheckResult {
    common::check_at(
        &Path::new(DIR).join(topology),
        Some(&Path::new(DIR).join(policy)),
    )
}

fn find<'r>(r: &'r CheckResult, code: &str, subject: &str) -> Option<&'r Finding> {
    r.findings
        .iter()
        .find(|f| f.code == code && f.subject == subject)
}

#[test]
fn a_pinned_exception_applies_while_the_rule_is_unchanged() {
    let r = check("before.toml", "policy.toml");
    let accepted = find(&r, "NET-001", "fw-border/2").expect("NET-001 on fw-border/2");
    assert!(accepted.exception.is_some());
    assert!(r.findings_of("POL-003").is_empty());
    assert!(r.findings_of("POL-004").is_empty());
}

#[test]
fn an_inserted_rule_makes_the_pinned_exception_stop_applying() {
    let r = check("after.toml", "policy.toml");
    let now = find(&r, "NET-001", "fw-border/2").expect("NET-001 on fw-border/2");
    assert!(now.exception.is_none(), "the broader rule is not accepted");
    assert_eq!(now.verdict, Verdict::Fail);
    // The rule the exception was written for moved to position 3 and is not accepted either:
    // its exception named a position.
    assert!(
        find(&r, "NET-001", "fw-border/3")
            .unwrap()
            .exception
            .is_none()
    );
    let drift = r.findings_of("POL-003");
    assert_eq!(drift.len(), 1);
    let message = &drift[0].message.en;
    assert!(
        message.contains("allow segment:inet-dmz → segment:lg-office (tcp/445)")
            && message.contains("now `allow any → segment:lg-office (tcp)`"),
        "{message}"
    );
    assert!(r.fails());
}

#[test]
fn a_position_exception_without_a_pin_still_applies_with_a_warning() {
    let r = check("before.toml", "unpinned.toml");
    let f = find(&r, "NET-001", "fw-border/2").unwrap();
    assert!(f.exception.is_some());
    let warn = r.findings_of("POL-004");
    assert_eq!(warn.len(), 1);
    // The warning gives the line that pins the content, as the pinned policy writes it.
    let pinned = std::fs::read_to_string(Path::new(DIR).join("policy.toml")).unwrap();
    let line = pinned
        .lines()
        .find(|l| l.starts_with("accepted = "))
        .unwrap();
    assert!(warn[0].message.en.contains(line), "{}", warn[0].message.en);
}
