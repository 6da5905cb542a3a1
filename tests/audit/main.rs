//! The audit outputs: the catalogue and its criteria, CSV and workbook exports, violating paths
//! in the graph, ATK rules against `attack`, and the report in a browser.
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

#[path = "../common/mod.rs"]
mod common;

mod attack_rules;
mod browser;
mod criteria;
mod exports;
mod graph_violations;
