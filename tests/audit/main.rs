//! The audit outputs: the catalogue and its criteria, CSV and workbook exports, the firewall
//! rule inventory, violating paths in the graph, ATK rules against `attack`, `diff`, SARIF, and
//! the HTML report (its structure, and rendered in a browser).
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

#[path = "../common/mod.rs"]
mod common;

mod attack_rules;
mod browser;
mod criteria;
mod diagram_geometry;
mod diff;
mod exports;
mod graph_violations;
mod inventory;
mod report_html;
mod sarif;
