//! The analysis end to end: reachability on fixtures and against a brute-force oracle, attack
//! paths (fixtures and properties), every rule's fixtures, rule packets against compiled sets,
//! `check` (exceptions, intent, exception drift, fingerprints, capped output), the samples, and
//! determinism of the outputs.
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

#[path = "../common/mod.rs"]
mod common;

mod attack;
mod attack_entries;
mod attack_props;
mod check;
mod determinism;
mod exception_drift;
mod fingerprint;
mod grouping;
mod incremental;
mod intent;
mod lanes;
mod memo;
mod nat_fixtures;
mod reach_fixtures;
mod reach_oracle;
mod registry;
mod reply_oracle;
mod routing_oracle;
mod rule_lint;
mod rule_packets;
mod rules;
mod samples;
mod subject_names;
mod volume;
mod wifi_reach;
