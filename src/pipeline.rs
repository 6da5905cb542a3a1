//! The analysis and the rules over a loaded design, assembled in one place: `check`, `graph
//! --policy`, `report`, `diff` and `init` all run these same steps, so they cannot drift
//! apart (a command that forgot a step would report other findings than `check`).
//!
//! Loading stays with the caller, which decides where the diagnostics go; the binary prints
//! them and stops on errors before calling here. What each command adds to the check is here
//! too (the report's [`audit`], the attack command's [`AttackDesign`]), so the binary is glue.
//! A caller that shows progress passes [`Stages`].

use crate::analysis::attack::{self, Attack};
use crate::analysis::host_index::HostIndex;
use crate::analysis::matrix::{self, Matrix};
use crate::analysis::reach::Reachability;
use crate::analysis::rule_lint;
use crate::diag::Diagnostics;
use crate::model::{CheckedTopology, HostId, Policy, Selector, Topology};
use crate::rules::Context;
use crate::rules::engine::{self, CheckResult};
use crate::rules::memo::{Memo, Since};
use std::sync::atomic::AtomicUsize;

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

/// Runs every rule of `policy` on reachability already computed for `topo` (the watch
/// session computes it itself, reusing the firewalls compiled before).
pub fn check_with<'t>(
    topo: &'t Topology,
    policy: &'t Policy,
    reach: Reachability<'t>,
    today: &str,
) -> Checked<'t> {
    let mut cx = Context::with_reachability(topo, policy, reach);
    let opts = engine::RunOptions {
        one_lane: false,
        only: None,
        today: today.to_string(),
        since: None,
    };
    let result = engine::run(&mut cx, &opts);
    Checked { cx, result }
}

/// [`check_with`] for a check that comes after another (`check --watch`): re-uses the outcomes
/// of `since` where they still hold, and keeps this check's outcomes for the next. Also says
/// how many rules re-used their outcomes.
pub fn check_keeping<'t>(
    topo: &'t Topology,
    policy: &'t Policy,
    reach: Reachability<'t>,
    today: &str,
    since: Option<&Since>,
) -> (Checked<'t>, Memo, usize) {
    let mut cx = Context::with_reachability(topo, policy, reach);
    let opts = engine::RunOptions {
        one_lane: false,
        only: None,
        today: today.to_string(),
        since,
    };
    let (result, memo, reused) = engine::run_keeping(&mut cx, &opts);
    (Checked { cx, result }, memo, reused)
}

/// Told each stage of a long run as it starts, so that a caller can show progress (the binary
/// draws a line on stderr, and times the stages); the library itself shows nothing.
pub trait Stages {
    /// A stage starts.
    fn stage(&self, name: &str);
    /// A stage of `total` steps starts; the work adds one to the counter returned as each
    /// step is done (`None`: nobody counts).
    fn counted_stage(&self, name: &str, total: usize) -> Option<&AtomicUsize>;
}

/// Nobody watching: for callers without progress.
pub struct Quiet;

impl Stages for Quiet {
    fn stage(&self, _: &str) {}
    fn counted_stage(&self, _: &str, _: usize) -> Option<&AtomicUsize> {
        None
    }
}

/// The reachability of `topo` in its two stages: compiling the firewalls (counted), then the
/// fixpoint.
pub fn reachability<'t>(topo: CheckedTopology<'t>, stages: &dyn Stages) -> Reachability<'t> {
    let compiled = stages.counted_stage("compiling firewalls", topo.firewalls.len());
    let mut reach = Reachability::prepare_counting(topo, compiled);
    stages.stage("computing reachability");
    reach.propagate(&[]);
    reach
}

/// [`check`], telling `stages` as it goes: the reachability's stages, then "checking rules".
pub fn check_staged<'t>(
    topo: CheckedTopology<'t>,
    policy: &'t Policy,
    today: &str,
    stages: &dyn Stages,
) -> Checked<'t> {
    let reach = reachability(topo, stages);
    stages.stage("checking rules");
    check_with(topo.topology(), policy, reach, today)
}

/// The rule-list warnings (shadowed and redundant rules), sorted: `validate` prints them,
/// `check --format sarif` and `report` carry them too.
pub fn lint_warnings(topology: &Topology) -> Diagnostics {
    let mut lint = Diagnostics::default();
    for d in rule_lint::rule_warnings(topology) {
        lint.push(d);
    }
    lint.sort();
    lint
}

/// What the audit report shows besides the check: the zone matrix, the attack paths from
/// outside and the rule-list warnings.
pub struct Audit {
    pub matrix: Matrix,
    pub attack: Attack,
    /// The design the attack paths were found in when it is not the loaded one: a copy with
    /// the attacker's machines on the Wi-Fi and remote-access lines open to it.
    pub attack_topo: Option<Topology>,
    pub lint: Diagnostics,
}

/// The analyses of [`Audit`] over a checked design, with the smallest fix per exposed store
/// when `fixes` (its search dominates on large designs, within a budget sized to the design).
pub fn audit(checked: &mut Checked<'_>, fixes: bool, stages: &dyn Stages) -> Audit {
    let topo = checked.cx.topo;
    let policy = checked.cx.policy;
    stages.stage("zone matrix");
    let matrix = matrix::compute(&mut checked.cx.reach);
    stages.stage("attack paths");
    let opts = attack::Options {
        fixes,
        fix_budget: attack::fix_budget_for(topo),
        ..Default::default()
    };
    let (attack_topo, attack) = attack::from_outside(&mut checked.cx.reach, policy, &opts);
    stages.stage("linting rule lists");
    let lint = lint_warnings(topo);
    Audit {
        matrix,
        attack,
        attack_topo,
        lint,
    }
}

/// The design `sansou attack` analyses, and the hosts the attacker starts on. An address,
/// segment, zone or tier selector of the policy's `rogue_devices` assumes a rogue device at
/// every undeclared address it covers (an unregistered laptop plugged in there). From outside,
/// the attacker also joins the Wi-Fi and remote-access lines open to it, on machines of its
/// own; a what-if starts from the hosts it [`assume`](Self::assume)s only.
pub struct AttackDesign<'t> {
    loaded: &'t Topology,
    design: Topology,
    assumed: Vec<HostId>,
}

impl<'t> AttackDesign<'t> {
    /// The loaded design with the policy's rogue devices, and when `from_outside` the
    /// attacker's machines on the lines open to it.
    pub fn new(loaded: &'t Topology, policy: &Policy, from_outside: bool) -> AttackDesign<'t> {
        let mut design = loaded.clone();
        for sel in &policy.attacker.rogue_devices {
            attack::rogue::add_rogue_devices(&mut design, sel);
        }
        if from_outside {
            attack::entry::add_entry_devices(&mut design, policy);
        }
        AttackDesign {
            loaded,
            design,
            assumed: Vec::new(),
        }
    }

    /// The attacker starts on the hosts `sel` names, and on rogue devices at the undeclared
    /// addresses it covers; false when it names neither.
    pub fn assume(&mut self, sel: &Selector) -> bool {
        let mut index = HostIndex::new(self.loaded);
        let hosts = index.of(sel);
        let rogues = attack::rogue::add_rogue_devices(&mut self.design, sel);
        if hosts.is_empty() && rogues.is_empty() {
            return false;
        }
        self.assumed.extend(hosts.iter().map(|&h| HostId(h)));
        self.assumed.extend(rogues);
        true
    }

    /// The design, and the hosts assumed compromised (sorted, each once).
    pub fn finish(mut self) -> (Topology, Vec<HostId>) {
        self.assumed.sort();
        self.assumed.dedup();
        (self.design, self.assumed)
    }
}
