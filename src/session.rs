//! An incremental check: a design checked once, then again after each edit, re-using the
//! compiled firewalls the edit did not touch (`sansou check --watch`; an editor integration can
//! drive the same API).
//!
//! Compiling the firewalls' rule lists to transfer sets is the costly part of the analysis that
//! an edit mostly leaves alone: a firewall's transfer sets depend on its own lists and on the
//! rest of the design, never on another firewall's lists. So the session keeps every
//! firewall's compiled sets and, when the new design differs from the last one only in the
//! rule lists of some firewalls, compiles just those (`Reachability::prepare_reusing`); any
//! other change (a host, a segment, an interface, a route) compiles everything again, since
//! selectors may name what changed. The fixpoint and the rules run again in full: they are
//! cheaper than the compile, and redoing them keeps the result exactly that of a cold run.
//!
//! "Differs" ignores where things are written ([`crate::source::ignoring_locs`]): one edited
//! rule shifts the byte offsets of everything after it in its file.
//!
//! No I/O here: the caller loads each version of the inputs (and prints their diagnostics).

use crate::analysis::bdd::Forest;
use crate::analysis::reach::Reachability;
use crate::diff::{self, Diff, Snapshot};
use crate::load::Inputs;
use crate::model::{Firewall, Rule, Topology};
use crate::pipeline::{self, Checked};
use crate::source::{SourceMap, ignoring_locs};

/// What changed in the inputs since the last good check, as far as the session tells apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The first check of the session: everything is new.
    First,
    /// A rule of a firewall's lists: the firewall, the filter (`port1-in`; none for the policy
    /// list), the rule's key (its id, else its 1-based position), and what happened to it.
    Rule {
        firewall: String,
        filter: Option<String>,
        rule: String,
        edit: Edit,
    },
    /// A firewall's own settings besides its rule lists (interfaces, default, routes, NAT...).
    Firewall(String),
    /// Firewalls added, removed or reordered.
    Firewalls,
    /// Something outside the firewalls (zones, segments, hosts, externals...).
    Design,
    /// The policy.
    Policy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Added,
    Removed,
}

/// One check of the session.
#[derive(Debug)]
pub struct Update {
    /// What changed since the last good check (empty when nothing that matters did: a comment
    /// or the order of keys).
    pub changes: Vec<Change>,
    /// The findings compared with the last good check (the first: with none), classed as the
    /// `diff` command classes them: new, resolved, widened, narrowed.
    pub diff: Diff,
    /// Firewalls compiled for this check, and firewalls whose compiled sets were re-used.
    pub compiled: usize,
    pub reused: usize,
    /// Whether a deny-level finding stands (what makes `check` exit 1).
    pub fails: bool,
}

/// The last good check: the inputs, every firewall's compiled transfer sets, the findings.
struct Kept {
    inputs: Inputs,
    forests: Vec<Forest>,
    findings: Snapshot,
}

/// A design checked again and again as it is edited. See the module documentation.
#[derive(Default)]
pub struct Session {
    last: Option<Kept>,
}

/// A stage of [`Session::update`], named for progress and timings.
pub type StageHook<'a> = &'a mut dyn FnMut(&'static str);

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Whether a check has succeeded yet.
    pub fn has_result(&self) -> bool {
        self.last.is_some()
    }

    /// The inputs of the last good check.
    pub fn inputs(&self) -> Option<&Inputs> {
        self.last.as_ref().map(|k| &k.inputs)
    }

    /// Checks a new version of the inputs and compares its findings with the last good check.
    ///
    /// `today` is the run's date (`YYYY-MM-DD`) for rules that compare dates (the binary reads
    /// the clock; the library does not). Inputs with errors are refused (`None`) and the last good check stays. `stage` is told
    /// each stage as it starts ("comparing", "compiling firewalls", "computing reachability",
    /// "checking rules", "comparing findings"); `inspect` sees the checked design before it is
    /// put away (the binary writes the full report of the first check from it).
    pub fn update(
        &mut self,
        mut inputs: Inputs,
        today: &str,
        stage: StageHook<'_>,
        inspect: &mut dyn FnMut(&mut Checked<'_>, &SourceMap),
    ) -> Option<Update> {
        if inputs.diagnostics.has_errors() {
            return None;
        }
        stage("comparing");
        let (changes, reuse, before) = match self.last.take() {
            None => (vec![Change::First], Vec::new(), Snapshot::default()),
            Some(mut old) => {
                let (changes, reusable) = compare_inputs(&mut old.inputs, &mut inputs);
                let reuse = if reusable {
                    let unchanged = unchanged_firewalls(&old.inputs.topology, &inputs.topology);
                    old.forests
                        .into_iter()
                        .zip(unchanged)
                        .map(|(forest, same)| same.then_some(forest))
                        .collect()
                } else {
                    Vec::new()
                };
                (changes, reuse, old.findings)
            }
        };
        let reused = reuse
            .iter()
            .filter(|f: &&Option<Forest>| f.is_some())
            .count();
        let compiled = inputs.topology.firewalls.len() - reused;
        let policy = inputs.policy.clone().unwrap_or_default();
        stage("compiling firewalls");
        // Inputs with errors were refused above, so this is never `None`.
        let checked = inputs.checked()?;
        let (mut reach, forests) = Reachability::prepare_reusing(checked, None, reuse);
        stage("computing reachability");
        reach.propagate(&[]);
        stage("checking rules");
        let mut checked = pipeline::check_with(&inputs.topology, &policy, reach, today);
        inspect(&mut checked, &inputs.sources);
        stage("comparing findings");
        let after = diff::findings_snapshot(&checked.result, &inputs.sources, &inputs.topology);
        let fails = checked.result.fails();
        drop(checked);
        let diff = diff::compare(before, after.clone());
        self.last = Some(Kept {
            inputs,
            forests,
            findings: after,
        });
        Some(Update {
            changes,
            diff,
            compiled,
            reused,
            fails,
        })
    }
}

/// The rule lists of a firewall, taken out of it (policy list, then each filter's).
type Lists = (Vec<Rule>, Vec<Vec<Rule>>);

fn take_lists(fw: &mut Firewall) -> Lists {
    let filters = fw
        .filters
        .iter_mut()
        .map(|f| std::mem::take(&mut f.rules))
        .collect();
    (std::mem::take(&mut fw.rules), filters)
}

fn put_lists(fw: &mut Firewall, (rules, filters): Lists) {
    fw.rules = rules;
    for (f, rules) in fw.filters.iter_mut().zip(filters) {
        f.rules = rules;
    }
}

/// What changed between two versions of the inputs, and whether the new design differs from
/// the old one only in firewalls' rule lists (so that the other firewalls' compiled sets stay
/// valid). Both sides are given back as they came.
fn compare_inputs(old: &mut Inputs, new: &mut Inputs) -> (Vec<Change>, bool) {
    let mut changes = Vec::new();
    let (a, b) = (&mut old.topology, &mut new.topology);
    // The design without any rule list: compared whole, by the model's own equality, so a
    // field added to the model later is compared too.
    let a_lists: Vec<Lists> = a.firewalls.iter_mut().map(take_lists).collect();
    let b_lists: Vec<Lists> = b.firewalls.iter_mut().map(take_lists).collect();
    let same_rest = ignoring_locs(|| a == b);
    if !same_rest {
        changes.extend(outside_lists(a, b));
    }
    for (fw, lists) in a.firewalls.iter_mut().zip(a_lists) {
        put_lists(fw, lists);
    }
    for (fw, lists) in b.firewalls.iter_mut().zip(b_lists) {
        put_lists(fw, lists);
    }
    if a.firewalls.len() == b.firewalls.len() {
        for (fa, fb) in a.firewalls.iter().zip(&b.firewalls) {
            if fa.id == fb.id {
                changes.extend(rule_changes(fa, fb));
            }
        }
    }
    if !ignoring_locs(|| old.policy == new.policy) {
        changes.push(Change::Policy);
    }
    (changes, same_rest)
}

/// Names what differs between two designs that differ outside the rule lists (both given
/// without their lists).
fn outside_lists(a: &Topology, b: &Topology) -> Vec<Change> {
    let mut changes = Vec::new();
    let same_ids = a.firewalls.len() == b.firewalls.len()
        && a.firewalls
            .iter()
            .zip(&b.firewalls)
            .all(|(x, y)| x.id == y.id);
    if same_ids {
        for (x, y) in a.firewalls.iter().zip(&b.firewalls) {
            if !ignoring_locs(|| x == y) {
                changes.push(Change::Firewall(y.id.clone()));
            }
        }
    } else {
        changes.push(Change::Firewalls);
    }
    // Everything but the firewalls, field by field; the pattern names every field, so one
    // added to the model later does not go uncompared.
    let Topology {
        meta,
        zones,
        externals,
        segments,
        hosts,
        stores,
        firewalls: _,
        gateways,
        accounts,
        flows,
        org,
        sites,
        services,
        wifis,
        remote_access,
        log_sinks,
        monitors,
        lookup: _,
    } = a;
    let same = ignoring_locs(|| {
        *meta == b.meta
            && *zones == b.zones
            && *externals == b.externals
            && *segments == b.segments
            && *hosts == b.hosts
            && *stores == b.stores
            && *gateways == b.gateways
            && *accounts == b.accounts
            && *flows == b.flows
            && *org == b.org
            && *sites == b.sites
            && *services == b.services
            && *wifis == b.wifis
            && *remote_access == b.remote_access
            && *log_sinks == b.log_sinks
            && *monitors == b.monitors
    });
    if !same {
        changes.push(Change::Design);
    }
    changes
}

/// Whether each firewall of `new` is the same, lists included, as the one at its place in
/// `old` (all `false` when the firewalls differ in number).
fn unchanged_firewalls(old: &Topology, new: &Topology) -> Vec<bool> {
    if old.firewalls.len() != new.firewalls.len() {
        return vec![false; new.firewalls.len()];
    }
    ignoring_locs(|| {
        old.firewalls
            .iter()
            .zip(&new.firewalls)
            .map(|(a, b)| a == b)
            .collect()
    })
}

/// The rules that differ between two versions of one firewall: per list, the rules between
/// the longest common start and end, paired up as changed, the rest added or removed.
fn rule_changes(a: &Firewall, b: &Firewall) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |filter: Option<String>, old: &[Rule], new: &[Rule]| {
        for (i, edit) in diff_list(old, new) {
            let list = if edit == Edit::Removed { old } else { new };
            changes.push(Change::Rule {
                firewall: b.id.clone(),
                filter: filter.clone(),
                rule: list[i].key(i),
                edit,
            });
        }
    };
    push(None, &a.rules, &b.rules);
    for (fa, fb) in a.filters.iter().zip(&b.filters) {
        let name = format!("{}-{}", fb.interface.value, fb.direction);
        push(Some(name), &fa.rules, &fb.rules);
    }
    changes
}

/// The edits from list `a` to list `b`, each with the index it has in its own list (the old
/// one for a removed rule): what lies between the common start and the common end.
fn diff_list(a: &[Rule], b: &[Rule]) -> Vec<(usize, Edit)> {
    ignoring_locs(|| {
        let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let end = a[start..]
            .iter()
            .rev()
            .zip(b[start..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (old, new) = (start..a.len() - end, start..b.len() - end);
        let paired = old.len().min(new.len());
        let mut edits: Vec<(usize, Edit)> = (0..paired)
            .filter(|k| a[start + k] != b[start + k])
            .map(|k| (start + k, Edit::Changed))
            .collect();
        edits.extend(new.skip(paired).map(|i| (i, Edit::Added)));
        edits.extend(old.skip(paired).map(|i| (i, Edit::Removed)));
        edits
    })
}
