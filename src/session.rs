//! An incremental check: a design checked once, then again after each edit, re-using the
//! compiled firewalls the edit did not touch and, where it can, the last fixpoint
//! (`sansou check --watch`; an editor integration can drive the same API).
//!
//! Compiling the firewalls' rule lists to transfer sets is the costly part of the analysis that
//! an edit mostly leaves alone: a firewall's transfer sets depend on its own lists and on the
//! rest of the design, never on another firewall's lists. So the session keeps every
//! firewall's compiled sets and, when the new design differs from the last one only in the
//! rule lists of some firewalls, compiles just those; any other change (a host, a segment, an
//! interface, a route) compiles everything again, since selectors may name what changed.
//!
//! It also keeps the packet sets the last fixpoint ended with, in their BDD manager
//! ([`Carried`]). When only rule lists of firewalls that translate nothing changed, the edited
//! firewalls are compiled into that manager and the fixpoint is repaired where the edit can
//! matter ([`Reachability::resume`], [`Reachability::repair`]: exact, see
//! `analysis/reach/resume.rs`); otherwise it runs from scratch over the kept compiled sets
//! (`Reachability::prepare_reusing`). After a repair, a rule whose reads did not change keeps
//! its outcomes of the last check (`rules::memo`), the others run again; the result is exactly
//! that of a cold run.
//!
//! "Differs" ignores where things are written ([`crate::source::ignoring_locs`]): one edited
//! rule shifts the byte offsets of everything after it in its file.
//!
//! No I/O here: the caller loads each version of the inputs (and prints their diagnostics).

use crate::analysis::bdd::Forest;
use crate::analysis::reach::{Carried, Reachability};
use crate::diff::{self, Diff, Snapshot};
use crate::load::reload::{self, Outline, Splice};
use crate::load::{self, Inputs, LoadError};
use crate::model::{Firewall, Rule, Topology};
use crate::pipeline::{self, Checked};
use crate::rules::memo::{Memo, Since};
use crate::source::{Moves, SourceMap, ignoring_locs};
use rayon::prelude::*;
use std::path::Path;

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
    /// Whether the fixpoint was repaired from the last check's packet sets (only rule lists
    /// of firewalls that translate nothing changed) rather than run from scratch.
    pub repaired: bool,
    /// Rules evaluated, and how many of them re-used their outcomes of the last check
    /// (nothing they read changed: `rules::memo`).
    pub rules: usize,
    pub rules_reused: usize,
    /// Whether a deny-level finding stands (what makes `check` exit 1).
    pub fails: bool,
    /// Whether the inputs were loaded from the last check's, only the edited firewall read
    /// again ([`Session::check_files`], `load::reload`).
    pub loaded_in_part: bool,
}

/// The last good check: the inputs, every firewall's compiled transfer sets, the findings.
struct Kept {
    inputs: Inputs,
    /// What `load::reload` needs to load the next version from these inputs (when they were
    /// loaded through [`Session::check_files`]).
    outline: Option<Outline>,
    forests: Vec<Forest>,
    /// The packet sets after the fixpoint, in their manager, for a repair.
    carried: Carried,
    /// The rules' outcomes and what each read, for re-use after a repair.
    outcomes: Memo,
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

    /// Loads the inputs from their files and checks them ([`Session::update`]), re-using the
    /// last good check's inputs where only one firewall's text changed (`load::reload`: the
    /// result is exactly that of a full load). `loaded` sees the inputs once they are loaded
    /// (the binary prints their diagnostics); `stage` is told "loading" first, then the stages
    /// of [`Session::update`]. `Ok(None)` when the inputs have errors: the last good check stays.
    pub fn check_files(
        &mut self,
        topology: &Path,
        policy: Option<&Path>,
        today: &str,
        stage: StageHook<'_>,
        loaded: &mut dyn FnMut(&Inputs),
        inspect: &mut dyn FnMut(&mut Checked<'_>, &SourceMap),
    ) -> Result<Option<Update>, LoadError> {
        stage("loading");
        if let Some(kept) = self.last.as_mut()
            && let Some(outline) = kept.outline.as_mut()
            && let Some(mut splice) = reload::reload(&mut kept.inputs, outline, topology, policy)?
        {
            loaded(&kept.inputs);
            if kept.inputs.diagnostics.has_errors() {
                reload::undo(&mut kept.inputs, outline, splice);
                return Ok(None);
            }
            stage("comparing");
            let compared = compare_splice(&mut kept.inputs, &mut splice);
            let mut kept = self.last.take().expect("checked above");
            let inputs = std::mem::take(&mut kept.inputs);
            let outline = kept.outline.take();
            return Ok(self.advance(
                inputs,
                outline,
                Some((kept, compared, Stale::Splice(Box::new(splice)))),
                today,
                stage,
                inspect,
            ));
        }
        let (inputs, outline) = load::load_inputs_outlined(topology, policy)?;
        loaded(&inputs);
        Ok(self.update_outlined(inputs, Some(outline), today, stage, inspect))
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
        inputs: Inputs,
        today: &str,
        stage: StageHook<'_>,
        inspect: &mut dyn FnMut(&mut Checked<'_>, &SourceMap),
    ) -> Option<Update> {
        self.update_outlined(inputs, None, today, stage, inspect)
    }

    /// [`Session::update`], keeping the inputs' outline for the next [`Session::check_files`].
    fn update_outlined(
        &mut self,
        mut inputs: Inputs,
        outline: Option<Outline>,
        today: &str,
        stage: StageHook<'_>,
        inspect: &mut dyn FnMut(&mut Checked<'_>, &SourceMap),
    ) -> Option<Update> {
        if inputs.diagnostics.has_errors() {
            return None;
        }
        stage("comparing");
        let last = self.last.take().map(|mut old| {
            let compared = compare_inputs(&mut old.inputs, &mut inputs);
            let stale = std::mem::take(&mut old.inputs);
            (old, compared, Stale::Inputs(Box::new(stale)))
        });
        self.advance(inputs, outline, last, today, stage, inspect)
    }

    /// Checks `inputs` after comparing them with the last good check (`last`: that check, what
    /// changed since, and its stale inputs), keeping what the next check can re-use.
    fn advance(
        &mut self,
        inputs: Inputs,
        outline: Option<Outline>,
        last: Option<(Kept, Compared, Stale)>,
        today: &str,
        stage: StageHook<'_>,
        inspect: &mut dyn FnMut(&mut Checked<'_>, &SourceMap),
    ) -> Option<Update> {
        let loaded_in_part = matches!(last, Some((_, _, Stale::Splice(_))));
        let (changes, unchanged, before, last, stale) = match last {
            None => (vec![Change::First], None, Snapshot::default(), None, None),
            Some((mut old, (changes, unchanged), stale)) => {
                let findings = std::mem::take(&mut old.findings);
                (changes, unchanged, findings, Some(old), Some(stale))
            }
        };
        let policy = inputs.policy.clone().unwrap_or_default();
        stage("compiling firewalls");
        // Inputs with errors were refused before, so this is never `None`.
        let checked = inputs.checked()?;
        let edited: Vec<bool> = unchanged
            .as_ref()
            .map(|u| u.iter().map(|&same| !same).collect())
            .unwrap_or_default();
        let policy_changed = changes.contains(&Change::Policy);
        let mut outcomes = None;
        let (mut reach, forests, repair, compiled) = match (last, unchanged) {
            // Only rule lists changed: the edited firewalls are compiled into the last
            // check's manager and its fixpoint is repaired, when `resume` can.
            (Some(old), Some(unchanged)) => {
                let edited_ids: Vec<usize> = (0..edited.len()).filter(|&f| edited[f]).collect();
                let Kept {
                    mut forests,
                    carried,
                    outcomes: memo,
                    ..
                } = old;
                outcomes = (!policy_changed).then_some(memo);
                match Reachability::resume(checked, carried, &edited_ids) {
                    Some(resumed) => {
                        for (f, forest) in resumed.forests {
                            forests[f] = forest;
                        }
                        let n = edited_ids.len();
                        (resumed.reach, forests, Some(resumed.changed), n)
                    }
                    None => {
                        let reuse = forests
                            .into_iter()
                            .zip(&unchanged)
                            .map(|(forest, &same)| same.then_some(forest))
                            .collect();
                        let (reach, forests) = Reachability::prepare_reusing(checked, None, reuse);
                        (reach, forests, None, edited_ids.len())
                    }
                }
            }
            _ => {
                let (reach, forests) = Reachability::prepare_reusing(checked, None, Vec::new());
                let n = forests.len();
                (reach, forests, None, n)
            }
        };
        let reused = forests.len() - compiled;
        let repaired = repair.is_some();
        stage("computing reachability");
        let since = match repair {
            Some(changed) => {
                let nets = reach.repair(changed);
                // The rules' outcomes can be re-used only over sets in the same manager.
                let moves = stale.as_ref().and_then(|old| old.moves(&inputs.sources));
                outcomes.zip(moves).map(|(memo, moves)| Since {
                    memo,
                    nets,
                    firewalls: edited,
                    moves,
                })
            }
            None => {
                reach.propagate(&[]);
                None
            }
        };
        stage("checking rules");
        let (mut checked, outcomes, rules_reused) =
            pipeline::check_keeping(&inputs.topology, &policy, reach, today, since.as_ref());
        drop(since);
        inspect(&mut checked, &inputs.sources);
        stage("comparing findings");
        let after = diff::findings_snapshot(&checked.result, &inputs.sources, &inputs.topology);
        let fails = checked.result.fails();
        // The packet sets as the fixpoint left them (the rules added only sets of their own):
        // what the next version starts from.
        let carried = checked.cx.into_reach().into_carried();
        let diff = diff::compare(before, after.clone());
        // The last version's model and texts (tens of megabytes at tier L, millions of small
        // allocations) are freed on a thread of their own once this check is done, while the
        // caller prints it and waits for the next edit (freed here if no thread can be made:
        // `spawn` drops what it was given). Freed earlier, beside the rules, they slowed the
        // rules' two lanes.
        if let Some(stale) = stale {
            let _ = std::thread::Builder::new().spawn(move || drop(stale));
        }
        let rules = outcomes.len();
        self.last = Some(Kept {
            inputs,
            outline,
            forests,
            carried,
            outcomes,
            findings: after,
        });
        Some(Update {
            changes,
            diff,
            compiled,
            reused,
            repaired,
            rules,
            rules_reused,
            fails,
            loaded_in_part,
        })
    }
}

/// What changed since the last good check: the changes, and when only rule lists changed,
/// whether each firewall is unchanged.
type Compared = (Vec<Change>, Option<Vec<bool>>);

/// The last good check's inputs, or what a reload replaced of them: where their locations went,
/// and freed once the next check is done.
enum Stale {
    Inputs(Box<Inputs>),
    Splice(Box<Splice>),
}

impl Stale {
    fn moves(&self, new: &SourceMap) -> Option<Moves> {
        match self {
            Stale::Inputs(old) => Moves::between(&old.sources, new),
            Stale::Splice(splice) => Some(splice.moves(new)),
        }
    }
}

/// What a reload changed ([`Splice`]) as [`compare_inputs`] would tell it: one firewall
/// replaced (or none), and perhaps the policy.
fn compare_splice(new: &mut Inputs, splice: &mut Splice) -> Compared {
    let firewalls = new.topology.firewalls.len();
    let mut changes = Vec::new();
    let mut unchanged = Some(vec![true; firewalls]);
    if let Some((index, old)) = splice.firewall.as_mut() {
        let fb = &mut new.topology.firewalls[*index];
        let (la, lb) = (take_lists(old), take_lists(fb));
        if old.id != fb.id {
            changes.push(Change::Firewalls);
            unchanged = None;
        } else {
            if !ignoring_locs(|| *old == *fb) {
                changes.push(Change::Firewall(fb.id.clone()));
                unchanged = None;
            }
            let rules = rule_changes(fb, &la, &lb);
            if let Some(u) = unchanged.as_mut() {
                u[*index] = rules.is_empty();
            }
            changes.extend(rules);
        }
        put_lists(old, la);
        put_lists(fb, lb);
    }
    if !ignoring_locs(|| splice.old_policy() == new.policy.as_ref()) {
        changes.push(Change::Policy);
    }
    (changes, unchanged)
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

/// What changed between two versions of the inputs and, when the new design differs from the
/// old one only in firewalls' rule lists (so that the other firewalls' compiled sets stay
/// valid), whether each firewall is unchanged, lists included. Both sides are given back as
/// they came.
///
/// One pass over each side, on both cores: the design without its rule lists on one, the
/// lists firewall by firewall on the other. A firewall whose lists have no edit
/// ([`diff_list`] finds one wherever two lists differ) is unchanged when nothing outside the
/// lists changed, so the lists are compared once.
fn compare_inputs(old: &mut Inputs, new: &mut Inputs) -> (Vec<Change>, Option<Vec<bool>>) {
    let (a, b) = (&mut old.topology, &mut new.topology);
    // The design without any rule list: compared whole, by the model's own equality, so a
    // field added to the model later is compared too.
    let a_lists: Vec<Lists> = a.firewalls.iter_mut().map(take_lists).collect();
    let b_lists: Vec<Lists> = b.firewalls.iter_mut().map(take_lists).collect();
    let (a, b) = (&*a, &*b);
    let (rest, lists) = rayon::join(
        || {
            // `ignoring_locs` holds for the thread that calls it: each side calls it.
            let same_rest = ignoring_locs(|| a == b);
            let changes = if same_rest {
                Vec::new()
            } else {
                outside_lists(a, b)
            };
            (same_rest, changes)
        },
        || {
            if a.firewalls.len() != b.firewalls.len() {
                return Vec::new();
            }
            a.firewalls
                .par_iter()
                .zip(&b.firewalls)
                .zip(a_lists.par_iter().zip(&b_lists))
                .map(|((fa, fb), (la, lb))| {
                    if fa.id == fb.id {
                        rule_changes(fb, la, lb)
                    } else {
                        Vec::new()
                    }
                })
                .collect::<Vec<Vec<Change>>>()
        },
    );
    let ((same_rest, mut changes), lists_changes) = (rest, lists);
    let (a, b) = (&mut old.topology, &mut new.topology);
    for (fw, lists) in a.firewalls.iter_mut().zip(a_lists) {
        put_lists(fw, lists);
    }
    for (fw, lists) in b.firewalls.iter_mut().zip(b_lists) {
        put_lists(fw, lists);
    }
    // With the rest the same, the firewalls match one to one (same ids, same filters).
    let unchanged = same_rest.then(|| {
        lists_changes
            .iter()
            .map(Vec::is_empty)
            .collect::<Vec<bool>>()
    });
    changes.extend(lists_changes.into_iter().flatten());
    if !ignoring_locs(|| old.policy == new.policy) {
        changes.push(Change::Policy);
    }
    (changes, unchanged)
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

/// The rules that differ between two versions of firewall `b`, given its lists before (`a`)
/// and after (`b_lists`): per list, the rules between the longest common start and end,
/// paired up as changed, the rest added or removed.
fn rule_changes(b: &Firewall, a: &Lists, b_lists: &Lists) -> Vec<Change> {
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
    push(None, &a.0, &b_lists.0);
    for ((fb, old), new) in b.filters.iter().zip(&a.1).zip(&b_lists.1) {
        let name = format!("{}-{}", fb.interface.value, fb.direction);
        push(Some(name), old, new);
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
