//! The analysis and the rules over a loaded design, assembled in one place: `check`, `graph
//! --policy`, `report`, `diff` and `init` all run these same steps, so they cannot drift
//! apart (a command that forgot a step would report other findings than `check`).
//!
//! Loading stays with the caller, which decides where the diagnostics go; the binary prints
//! them and stops on errors before calling here.

use crate::analysis::reach::Reachability;
use crate::model::{CheckedTopology, Policy, Topology};
use crate::rules::Context;
use crate::rules::engine::{self, CheckResult};

/// A design checked: the rules' context (which holds the reachability, for reports and
/// further questions) and the rules' result.
pub struct Checked<'t> {
    pub cx: Context<'t>,
    pub result: CheckResult,
}

/// Computes the reachability of `topo` and runs every rule of `policy` on it, on the date
/// `today` (`YYYY-MM-DD`, which the binary reads: the library reads no clock).
pub fn check<'t>(topo: CheckedTopology<'t>, policy: &'t Policy, today: &str) -> Checked<'t> {
    check_with(topo.topology(), policy, Reachability::compute(topo), today)
}

/// Runs every rule of `policy` on reachability already computed for `topo` (the binary
/// computes it itself, to show progress while it does).
pub fn check_with<'t>(
    topo: &'t Topology,
    policy: &'t Policy,
    reach: Reachability<'t>,
    today: &str,
) -> Checked<'t> {
    let mut cx = Context::with_reachability(topo, policy, reach);
    let opts = engine::RunOptions {
        only: None,
        today: today.to_string(),
    };
    let result = engine::run(&mut cx, &opts);
    Checked { cx, result }
}
