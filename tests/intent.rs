//! Positive intent: `[[assert]] expect = "path"` must reach, each listed service with a witness
//! of where it is dropped when it does not. Fixture: `tests/fixtures/intent/must-reach.toml`
//! on `tests/fixtures/diff/opens-smb/before.toml`.

mod common;

use sansou::rules::Evidence;
use std::path::Path;

#[test]
fn a_must_reach_assert_fails_with_its_first_drop() {
    let r = common::check_at(
        Path::new("tests/fixtures/diff/opens-smb/before.toml"),
        Some(Path::new("tests/fixtures/intent/must-reach.toml")),
    );
    let broken = r.findings_of("CITY-REACH-FS");
    assert_eq!(broken.len(), 1, "one pair, one finding");
    let f = broken[0];
    assert_eq!(f.subject, "host:lg-pc->host:lg-fs");
    // SMB gets through; only NetBIOS is missing.
    assert!(
        f.message.en.contains("but tcp/139 does not"),
        "{}",
        f.message.en
    );
    let Some(Evidence::Steps(steps)) = &f.evidence else {
        panic!("the drop is the evidence: {:?}", f.evidence);
    };
    assert!(steps[0].en.contains("tcp/139"), "{:?}", steps[0]);
    let last = &steps.last().unwrap().en;
    assert!(
        last.starts_with("fw-core") && last.contains("dropped by policy default deny"),
        "{last}"
    );
    // The other assertion holds.
    assert!(r.findings_of("CITY-REACH-PROXY").is_empty());
    let result = r
        .results
        .iter()
        .find(|x| x.code == "CITY-REACH-PROXY")
        .unwrap();
    assert_eq!(result.verdict, sansou::rules::Verdict::Pass);
}
