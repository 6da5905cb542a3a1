//! The analysis end to end: attack paths (fixtures and properties), rule packets against
//! compiled sets, the samples, and determinism of the outputs.
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

mod attack;
mod attack_props;
mod determinism;
mod rule_packets;
mod samples;
mod subject_names;
