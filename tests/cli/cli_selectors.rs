//! Selectors typed on the command line get the loader's help: a "did you mean", the known ids,
//! and exit code 2.

use std::process::Command;

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .expect("sansou runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const ALPHA: &str = "topologies/alpha-city.toml";

#[test]
fn a_misspelt_zone_gets_a_suggestion_and_the_known_ids() {
    let (code, err) = stderr_of(&[
        "paths",
        ALPHA,
        "--from",
        "zone:lgg",
        "--to",
        "tier:internet",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--from zone:lgg: the topology has no zone `lgg`"),
        "{err}"
    );
    assert!(err.contains("did you mean `zone:lg`?"), "{err}");
    assert!(
        err.contains("known zone ids: guest, inet, lg, mgmt, mn"),
        "{err}"
    );
}

#[test]
fn a_tier_written_as_a_zone_is_pointed_at_the_tier_selector() {
    let (code, err) = stderr_of(&[
        "paths",
        ALPHA,
        "--from",
        "zone:internet",
        "--to",
        "tier:lgwan",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `tier:internet`?"), "{err}");
    assert!(
        err.contains("known zone ids: guest, inet, lg, mgmt, mn"),
        "{err}"
    );
}

#[test]
fn assumed_compromised_hosts_are_checked_the_same_way() {
    let (code, err) = stderr_of(&[
        "attack",
        ALPHA,
        "--assume-compromised",
        "host:nope-nope-nope",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("the topology has no host `nope-nope-nope`"),
        "{err}"
    );
    assert!(err.contains("known host ids: "), "{err}");
}
