//! The smallest fix: the fewest changes to the design that cut every attack path to a store.
//!
//! The search is an implicit hitting set. Every attack path found is a set of changeable
//! things it depends on (an `internet_use`, a firewall rule that let a hop through, an
//! account's log-on or admin right, a shared password, a vulnerable service, a bypass, a
//! store's `everyone` readers); a fix must change at least one thing of every path, because
//! a path none of whose things changed still works step by step. So a smallest set that hits
//! every path found so far is a lower bound; applying it and running the whole analysis again
//! either shows the store safe (then that set is a minimum fix) or finds a new path, which
//! joins the collection. The loop is bounded; a fix found past the bounds is reported as a
//! heuristic, never as a minimum.
//!
//! A fix must not break the traffic the organisation declares necessary (`analysis::intent`:
//! declared network flows, must-reach assertions). A candidate that cuts the attack paths is
//! checked for that too; a packet change that alone breaks required traffic is left out of
//! the search, which goes on with what remains (account, password, internet-use and other
//! changes, or other rules). A rule that carries required traffic can also be narrowed to it
//! instead of removed (`narrow.rs`), and the search prefers that to breaking it. Only when no
//! fix remains does the answer break something, and then it names what (`Fix::breaks`).

use super::narrow::{Kept, Narrowings};
use super::spread::passes_compromise;
use super::{Attack, Options, Step};
use crate::analysis::host_index::HostIndex;
use crate::analysis::reach::Reachability;
use crate::analysis::witness::List;
use crate::model::policy::Policy;
use crate::model::{
    AccountId, Action, At, FirewallId, GatewayId, HostId, Reader, Selector, StoreId, Topology,
};
use std::collections::{BTreeMap, BTreeSet};

/// One change to the design. Indices refer to the topology as loaded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Require a second factor on a remote-access line (`mfa = true`). First in the order: it
    /// closes the way in itself, and the guideline asks for it anyway (IN-005).
    RequireMfa { line: usize },
    /// Require each user's own credential on a Wi-Fi (802.1X, `auth = "enterprise"`): offered
    /// for a keyed Wi-Fi (`psk` or not stated); an open one is open on purpose (guests).
    RequireWifiAuth { wifi: usize },
    /// Give a Wi-Fi's clients a segment of their own (its own SSID and VLAN reaching only what
    /// they need): offered when the Wi-Fi shares its segment with declared hosts.
    SeparateWifi { wifi: usize },
    /// Remove a firewall rule (the list is the policy list or a filter).
    RemoveRule {
        firewall: FirewallId,
        list: ListRef,
        rule: usize,
    },
    /// Replace an allow rule by copies that match only the required traffic it serves
    /// (`narrow.rs`): offered when the rule carries declared flows or must-reach traffic.
    NarrowRule {
        firewall: FirewallId,
        list: ListRef,
        rule: usize,
        keep: Vec<Kept>,
    },
    /// Make a list's default `deny` (a hop got through on the default).
    DefaultDeny { firewall: FirewallId, list: ListRef },
    /// Make a list's default `deny` and allow after its last rule only the required traffic
    /// that got through on the default (`narrow.rs`).
    NarrowDefault {
        firewall: FirewallId,
        list: ListRef,
        keep: Vec<Kept>,
    },
    /// Take away an account's administrator right on a host.
    RemoveAdminOn { account: AccountId, host: HostId },
    /// Stop an account from logging on to a host.
    RemoveLogsOn { account: AccountId, host: HostId },
    /// Give a local administrator account a different password on every host (LAPS).
    UniquePassword { account: AccountId },
    /// Patch (or close) the host's vulnerable services.
    Patch { host: HostId },
    /// Close a gateway's bypass (sanitize everything; no file transfer on screen transfer).
    CloseBypass { gateway: GatewayId },
    /// Replace a store's `everyone` readers by the accounts and groups that need it.
    RestrictReaders { store: StoreId },
    /// Stop the host from opening internet content (move mail and web to a separate,
    /// isolated environment).
    RemoveInternetUse { host: HostId },
}

/// Which ordered list of a firewall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListRef {
    Policy,
    Filter(usize),
}

impl From<List> for ListRef {
    fn from(l: List) -> ListRef {
        match l {
            List::Policy => ListRef::Policy,
            List::Filter(k) => ListRef::Filter(k),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// In the order of [`Change`]'s kinds.
    pub changes: Vec<Change>,
    /// Proven to be a smallest set of such changes; otherwise a heuristic.
    pub minimum: bool,
    /// Re-running the analysis on the changed design found the store no longer readable.
    /// (False only when the search gave up without a fix.)
    pub verified: bool,
    /// How many times the whole analysis ran on a changed design.
    pub reanalyses: usize,
    /// The required traffic (`flow:ID`, `assert:ID`) the fix breaks; empty for a business-safe
    /// fix.
    pub breaks: Vec<String>,
    /// When the fix breaks required traffic: the other verified candidates the search found,
    /// each with what it breaks, best ranked first (at most [`MAX_ALTERNATIVES`]).
    pub alternatives: Vec<Alternative>,
}

/// Another fix that cuts the paths but breaks required traffic too.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    pub changes: Vec<Change>,
    pub breaks: Vec<String>,
}

/// How many other candidates a fix that breaks required traffic lists.
pub const MAX_ALTERNATIVES: usize = 3;

/// Paths are collected at most this many times, and hitting sets searched up to this size;
/// past either bound, the answer is a verified heuristic.
const MAX_ROUNDS: usize = 16;
const MAX_EXACT_SIZE: usize = 4;

/// The changes a path depends on, as indices into the current (changed) topology, mapped
/// back to the loaded one through `rules`.
fn path_changes(
    attack: &Attack,
    store_pos: usize,
    topo: &Topology,
    policy: &Policy,
    rules: &RuleMap,
    narrow: &Narrowings,
) -> BTreeSet<Change> {
    let exposure = &attack.stores[store_pos];
    let mut out = BTreeSet::new();
    for step in &exposure.steps {
        if let Some(w) = step.witness()
            && !matches!(step, Step::Relay { .. } | Step::Exfiltrate { .. })
        {
            for hop in &w.hops {
                for d in &hop.decisions {
                    let list = ListRef::from(d.list);
                    if d.action != Action::Allow {
                        continue;
                    }
                    // A copy of a narrowed rule or default narrows no further: removing it
                    // (or the default's copies, by a plain default-deny) is what is left.
                    let (rule, narrowed) = match d.rule {
                        Some(i) => rules.original(hop.firewall, list, i),
                        None => (None, false),
                    };
                    let firewall = hop.firewall;
                    out.insert(match rule {
                        Some(rule) => Change::RemoveRule {
                            firewall,
                            list,
                            rule,
                        },
                        None => Change::DefaultDeny { firewall, list },
                    });
                    if let Some(keep) = narrow.get(&(firewall, list, rule))
                        && !narrowed
                    {
                        let keep = keep.clone();
                        out.insert(match rule {
                            Some(rule) => Change::NarrowRule {
                                firewall,
                                list,
                                rule,
                                keep,
                            },
                            None => Change::NarrowDefault {
                                firewall,
                                list,
                                keep,
                            },
                        });
                    }
                }
            }
        }
        match *step {
            Step::Joined { way, .. } => {
                out.extend(super::entry::closing_changes(topo, way));
            }
            Step::InternetUse { host } => {
                out.insert(Change::RemoveInternetUse { host });
            }
            Step::Channel { gateway: g, .. } => {
                // A bypass assumed by the policy for every sanitizer is not a design change.
                let gw = &topo.gateways[g];
                let mut without = gw.clone();
                without.bypass = false;
                without.file_transfer = without.file_transfer.map(|_| false);
                without.drive_redirection = without.drive_redirection.map(|_| false);
                if !passes_compromise(&without, policy) {
                    out.insert(Change::CloseBypass { gateway: g });
                }
            }
            Step::Harvest { account: a, .. } => {
                match attack.spread.accounts[a.0].as_ref().map(|h| h.cause) {
                    Some(super::CredCause::LogsOn { host }) => {
                        out.insert(Change::RemoveLogsOn {
                            account: a,
                            host: HostId(host),
                        });
                    }
                    Some(super::CredCause::SharedLocalAdmin { host }) => {
                        out.insert(Change::UniquePassword { account: a });
                        out.insert(Change::RemoveAdminOn {
                            account: a,
                            host: HostId(host),
                        });
                    }
                    None => {}
                }
            }
            Step::Lateral {
                account: a, host, ..
            } => {
                out.insert(Change::RemoveAdminOn { account: a, host });
            }
            Step::Exploit { host, .. } => {
                out.insert(Change::Patch { host });
            }
            Step::Read {
                store: s,
                account: None,
                witness: Some(_),
                ..
            } if topo.stores[s]
                .readers
                .iter()
                .any(|r| r.value == Reader::Everyone) =>
            {
                out.insert(Change::RestrictReaders { store: s });
            }
            _ => {}
        }
    }
    out
}

/// For each changed rule list, the loaded index of every rule in it (`None` for a copy of the
/// narrowed default), and whether the rule is a narrowed copy.
#[derive(Default)]
struct RuleMap(BTreeMap<(FirewallId, ListRef), Vec<Origin>>);

/// Where a rule of a changed list came from: its loaded index (`None`: the narrowed
/// default), and whether it is a narrowed copy.
type Origin = (Option<usize>, bool);

impl RuleMap {
    fn original(&self, f: FirewallId, list: ListRef, i: usize) -> Origin {
        self.0
            .get(&(f, list))
            .map_or((Some(i), false), |kept| kept[i])
    }
}

/// The design with the changes made (the policy is unchanged).
pub fn apply(topo: &Topology, changes: &[Change]) -> Topology {
    let set: BTreeSet<Change> = changes.iter().cloned().collect();
    apply_mapped(topo, &Policy::default(), &set).0
}

/// The design with the changes made, and where its remaining rules were.
fn apply_mapped(
    topo: &Topology,
    policy: &Policy,
    changes: &BTreeSet<Change>,
) -> (Topology, Policy, RuleMap) {
    let mut t = topo.clone();
    let p = policy.clone();
    let mut removed: BTreeMap<(FirewallId, ListRef), BTreeSet<usize>> = BTreeMap::new();
    let mut narrowed: BTreeMap<(FirewallId, ListRef), BTreeMap<usize, &[Kept]>> = BTreeMap::new();
    let mut narrowed_default: BTreeMap<(FirewallId, ListRef), &[Kept]> = BTreeMap::new();
    let mut denied: BTreeSet<(FirewallId, ListRef)> = BTreeSet::new();
    let mut index = HostIndex::new(topo);
    for c in changes {
        match *c {
            Change::RemoveRule {
                firewall,
                list,
                rule,
            } => {
                removed.entry((firewall, list)).or_default().insert(rule);
            }
            Change::NarrowRule {
                firewall,
                list,
                rule,
                ref keep,
            } => {
                narrowed
                    .entry((firewall, list))
                    .or_default()
                    .insert(rule, keep);
            }
            Change::DefaultDeny { firewall, list } => {
                denied.insert((firewall, list));
                match list {
                    ListRef::Policy => t.firewalls[firewall].default = Action::Deny,
                    ListRef::Filter(k) => t.firewalls[firewall].filters[k].default = Action::Deny,
                }
            }
            Change::NarrowDefault {
                firewall,
                list,
                ref keep,
            } => {
                narrowed_default.insert((firewall, list), keep);
                match list {
                    ListRef::Policy => t.firewalls[firewall].default = Action::Deny,
                    ListRef::Filter(k) => t.firewalls[firewall].filters[k].default = Action::Deny,
                }
            }
            Change::RemoveAdminOn { account, host } => {
                let kept = hosts_except(&mut index, &topo.accounts[account].admin_on, host.0, topo);
                t.accounts[account].admin_on = kept;
            }
            Change::RemoveLogsOn { account, host } => {
                let kept =
                    hosts_except(&mut index, &topo.accounts[account].logs_on_to, host.0, topo);
                t.accounts[account].logs_on_to = kept;
            }
            Change::UniquePassword { account } => t.accounts[account].unique_per_host = Some(true),
            Change::Patch { host } => t.hosts[host].vulnerable.clear(),
            Change::CloseBypass { gateway } => {
                let g = &mut t.gateways[gateway];
                g.bypass = false;
                g.file_transfer = g.file_transfer.map(|_| false);
                g.drive_redirection = g.drive_redirection.map(|_| false);
            }
            Change::RestrictReaders { store } => t.stores[store]
                .readers
                .retain(|r| r.value != Reader::Everyone),
            Change::RemoveInternetUse { host } => t.hosts[host].internet_use.clear(),
            Change::RequireMfa { line } => t.remote_access[line].mfa = Some(true),
            Change::RequireWifiAuth { wifi } => {
                t.wifis[wifi].auth = Some(crate::model::WifiAuth::Enterprise);
            }
            // Its clients land on no segment of this design (one of their own, reaching only
            // what they need): the way in no longer puts the attacker here. The index stays,
            // so paths found in the changed design map back to the loaded one.
            Change::SeparateWifi { wifi } => t.wifis[wifi].segment.value = String::new(),
        }
    }
    // Lists are rebuilt from the loaded ones: a removed rule goes (removal wins over
    // narrowing), a narrowed one becomes its copies in its place, and a narrowed default's
    // copies follow the last rule (unless a plain default-deny of the list wins).
    let mut map = RuleMap::default();
    let touched: BTreeSet<(FirewallId, ListRef)> = removed
        .keys()
        .chain(narrowed.keys())
        .chain(narrowed_default.keys())
        .copied()
        .collect();
    for (f, list) in touched {
        let loaded = match list {
            ListRef::Policy => &topo.firewalls[f].rules,
            ListRef::Filter(k) => &topo.firewalls[f].filters[k].rules,
        };
        let gone = removed.get(&(f, list));
        let narrow = narrowed.get(&(f, list));
        let mut rules = Vec::new();
        let mut origin = Vec::new();
        for (i, r) in loaded.iter().enumerate() {
            if gone.is_some_and(|g| g.contains(&i)) {
                continue;
            }
            match narrow.and_then(|n| n.get(&i)) {
                Some(keep) => {
                    for k in keep.iter() {
                        rules.push(k.apply_to(r));
                        origin.push((Some(i), true));
                    }
                }
                None => {
                    rules.push(r.clone());
                    origin.push((Some(i), false));
                }
            }
        }
        if let Some(keep) = narrowed_default.get(&(f, list))
            && !denied.contains(&(f, list))
        {
            let loc = match list {
                ListRef::Policy => topo.firewalls[f].loc,
                ListRef::Filter(k) => topo.firewalls[f].filters[k].loc,
            };
            for k in keep.iter() {
                rules.push(super::narrow::default_copy(k, loc));
                origin.push((None, true));
            }
        }
        match list {
            ListRef::Policy => t.firewalls[f].rules = rules,
            ListRef::Filter(k) => t.firewalls[f].filters[k].rules = rules,
        }
        map.0.insert((f, list), origin);
    }
    (t, p, map)
}

/// A selector list rewritten as the hosts it names, without one.
fn hosts_except(
    index: &mut HostIndex<'_>,
    sels: &[At<Selector>],
    host: usize,
    topo: &Topology,
) -> Vec<At<Selector>> {
    index
        .of_all(sels.iter().map(|s| &s.value))
        .into_iter()
        .filter(|&(h, _)| h != host)
        .map(|(h, sel)| {
            let loc = sels
                .iter()
                .find(|s| s.value == *sel)
                .map(|s| s.loc)
                .unwrap_or_default();
            At::new(Selector::Host(topo.hosts[h].id.clone()), loc)
        })
        .collect()
}

/// A smallest set that hits every set of `paths` (the first in `Change` order among the
/// smallest), if one of at most `max` changes exists.
fn hitting_set(paths: &[BTreeSet<Change>], max: usize) -> Option<BTreeSet<Change>> {
    let universe: Vec<Change> = paths
        .iter()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if paths.iter().any(|p| p.is_empty()) {
        return None;
    }
    let masks: Vec<Vec<usize>> = paths
        .iter()
        .map(|p| {
            universe
                .iter()
                .enumerate()
                .filter(|(_, c)| p.contains(c))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    for k in 0..=max.min(universe.len()) {
        let mut pick: Vec<usize> = (0..k).collect();
        loop {
            if masks.iter().all(|m| m.iter().any(|i| pick.contains(i))) {
                return Some(pick.iter().map(|&i| universe[i].clone()).collect());
            }
            // Next combination of k out of the universe, in lexicographic order.
            let n = universe.len();
            let mut i = k;
            while i > 0 && pick[i - 1] == n - k + i - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            pick[i - 1] += 1;
            for j in i..k {
                pick[j] = pick[j - 1] + 1;
            }
        }
    }
    None
}

/// How a verified fix ranks (smaller first): by how much required traffic it breaks, then by
/// how many changes it needs.
fn rank(f: &Fix) -> (usize, usize) {
    (f.breaks.len(), f.changes.len())
}

/// Whether a change moves packets (and so needs reachability computed again).
fn moves_packets(c: &Change) -> bool {
    matches!(
        c,
        Change::RemoveRule { .. }
            | Change::NarrowRule { .. }
            | Change::DefaultDeny { .. }
            | Change::NarrowDefault { .. }
    )
}

/// The search state shared by every store: the re-analyses made so far (a change set's
/// analysis answers for every store at once) and the budget left.
struct Search<'a, 'r, 't> {
    base: &'r mut Reachability<'t>,
    topo: &'t Topology,
    policy: &'a Policy,
    assumed: &'a [HostId],
    /// Change set → per store: the changes its current path depends on, `None` if safe.
    seen: BTreeMap<BTreeSet<Change>, BTreeMap<StoreId, Option<BTreeSet<Change>>>>,
    budget: usize,
    /// Re-analyses made for the store being searched.
    reanalyses: usize,
    /// The traffic the design must let through, and what of it the loaded design already
    /// fails to (a fix is not blamed for that).
    required: Vec<crate::analysis::intent::Required>,
    broken_before: BTreeSet<String>,
    /// Change set → the required traffic it breaks.
    breaks_seen: BTreeMap<BTreeSet<Change>, Vec<String>>,
    /// The rules that carry required traffic, and what each narrows to.
    narrow: Narrowings,
}

struct OutOfBudget;

impl Search<'_, '_, '_> {
    /// Analyses the changed design; the store's path's changes if it is still readable.
    fn exposed(
        &mut self,
        store: StoreId,
        changes: &BTreeSet<Change>,
    ) -> Result<Option<BTreeSet<Change>>, OutOfBudget> {
        if let Some(known) = self.seen.get(changes) {
            return Ok(known.get(&store).cloned().flatten());
        }
        if self.budget == 0 {
            return Err(OutOfBudget);
        }
        self.budget -= 1;
        self.reanalyses += 1;
        let (t, p, map) = apply_mapped(self.topo, self.policy, changes);
        let attack = if changes.iter().any(moves_packets) {
            let mut reach = Reachability::compute(self.base.checked().derived(&t));
            super::analyze_design(&mut reach, &t, &p, self.assumed)
        } else {
            // Packets move as before: only accounts, hosts, stores or gateways changed.
            super::analyze_design(self.base, &t, &p, self.assumed)
        };
        let per_store: BTreeMap<StoreId, Option<BTreeSet<Change>>> = (0..attack.stores.len())
            .map(|pos| {
                let e = &attack.stores[pos];
                let path = e
                    .readable()
                    .then(|| path_changes(&attack, pos, &t, &p, &map, &self.narrow));
                (e.store, path)
            })
            .collect();
        let answer = per_store.get(&store).cloned().flatten();
        self.seen.insert(changes.clone(), per_store);
        Ok(answer)
    }

    /// The required traffic the changed design no longer lets through.
    fn breaks(&mut self, changes: &BTreeSet<Change>) -> Result<Vec<String>, OutOfBudget> {
        if self.required.is_empty() || !changes.iter().any(moves_packets) {
            return Ok(Vec::new());
        }
        if let Some(known) = self.breaks_seen.get(changes) {
            return Ok(known.clone());
        }
        if self.budget == 0 {
            return Err(OutOfBudget);
        }
        self.budget -= 1;
        let (t, _, _) = apply_mapped(self.topo, self.policy, changes);
        let mut reach = Reachability::compute(self.base.checked().derived(&t));
        let broken: Vec<String> =
            crate::analysis::intent::broken_labels(&mut reach, &self.required)
                .into_iter()
                .filter(|l| !self.broken_before.contains(l))
                .collect();
        self.breaks_seen.insert(changes.clone(), broken.clone());
        Ok(broken)
    }

    /// Leaves out of the search every packet change of `candidate` that alone breaks required
    /// traffic; whether any was new.
    fn ban_breaking(
        &mut self,
        candidate: &BTreeSet<Change>,
        banned: &mut BTreeSet<Change>,
    ) -> Result<bool, OutOfBudget> {
        let mut grew = false;
        for c in candidate.iter().filter(|c| moves_packets(c)) {
            let alone = BTreeSet::from([c.clone()]);
            if !self.breaks(&alone)?.is_empty() {
                grew |= banned.insert(c.clone());
            }
        }
        Ok(grew)
    }

    /// The smallest fix for one store, starting from its path in the loaded design.
    fn find(&mut self, store: StoreId, first: BTreeSet<Change>) -> Result<Fix, OutOfBudget> {
        self.reanalyses = 0;
        let mut paths = vec![first];
        // Changes left out because they break required traffic, and the best fix that breaks
        // some, answered only when no business-safe fix is found.
        let mut banned: BTreeSet<Change> = BTreeSet::new();
        let mut breaking: Vec<Fix> = Vec::new();
        // Exact phase: the smallest hitting set of the paths so far (without banned changes),
        // checked on the changed design.
        for _ in 0..MAX_ROUNDS {
            let allowed: Vec<BTreeSet<Change>> = paths
                .iter()
                .map(|p| p.difference(&banned).cloned().collect())
                .collect();
            let Some(candidate) = hitting_set(&allowed, MAX_EXACT_SIZE) else {
                break;
            };
            match self.exposed(store, &candidate)? {
                None => {
                    let breaks = self.breaks(&candidate)?;
                    let fix = Fix {
                        changes: candidate.iter().cloned().collect(),
                        minimum: true,
                        verified: true,
                        reanalyses: self.reanalyses,
                        breaks,
                        alternatives: Vec::new(),
                    };
                    if fix.breaks.is_empty() {
                        return Ok(fix);
                    }
                    breaking.push(fix);
                    if !self.ban_breaking(&candidate, &mut banned)? {
                        break;
                    }
                }
                Some(path) => {
                    if path.is_empty() || paths.contains(&path) {
                        break;
                    }
                    paths.push(path);
                }
            }
        }
        // Heuristic phase: keep cutting the current path at its first change, then drop every
        // change the fix does not need.
        let mut chosen: BTreeSet<Change> = BTreeSet::new();
        let mut verified = false;
        for _ in 0..MAX_ROUNDS * 4 {
            match self.exposed(store, &chosen)? {
                None => {
                    verified = true;
                    break;
                }
                Some(path) => match path
                    .into_iter()
                    .find(|c| !chosen.contains(c) && !banned.contains(c))
                {
                    Some(c) => {
                        chosen.insert(c);
                    }
                    None => break,
                },
            }
        }
        if verified {
            for c in chosen.clone() {
                let mut fewer = chosen.clone();
                fewer.remove(&c);
                if self.exposed(store, &fewer)?.is_none() {
                    chosen = fewer;
                }
            }
        }
        let breaks = if verified {
            self.breaks(&chosen)?
        } else {
            Vec::new()
        };
        let heuristic = Fix {
            changes: chosen.into_iter().collect(),
            minimum: false,
            verified,
            reanalyses: self.reanalyses,
            breaks,
            alternatives: Vec::new(),
        };
        // A business-safe heuristic beats every fix that breaks required traffic; among those,
        // the one that breaks less (then changes less, then the smallest found first) is the
        // answer, and the others are its alternatives.
        if heuristic.verified {
            if heuristic.breaks.is_empty() {
                return Ok(heuristic);
            }
            if !breaking.iter().any(|f| f.changes == heuristic.changes) {
                breaking.push(heuristic);
            }
        } else if breaking.is_empty() {
            return Ok(heuristic);
        }
        breaking.sort_by_key(rank);
        let mut best = breaking.remove(0);
        best.reanalyses = self.reanalyses;
        best.alternatives = breaking
            .into_iter()
            .take(MAX_ALTERNATIVES)
            .map(|f| Alternative {
                changes: f.changes,
                breaks: f.breaks,
            })
            .collect();
        Ok(best)
    }
}

/// Looks for the smallest fix of every store the attacker reads, within the budget.
pub fn find_all(
    reach: &mut Reachability<'_>,
    policy: &Policy,
    opts: &Options,
    attack: &mut Attack,
) {
    let topo = reach.topo;
    let required = crate::analysis::intent::required(topo, policy);
    let broken_before = crate::analysis::intent::broken_labels(reach, &required)
        .into_iter()
        .collect();
    let narrow = super::narrow::narrowings(reach, &required);
    let mut search = Search {
        base: reach,
        topo,
        policy,
        assumed: &opts.assume_compromised,
        seen: BTreeMap::new(),
        budget: opts.fix_budget,
        reanalyses: 0,
        required,
        broken_before,
        breaks_seen: BTreeMap::new(),
        narrow,
    };
    for pos in 0..attack.stores.len() {
        if !attack.stores[pos].readable() {
            continue;
        }
        let first = path_changes(
            attack,
            pos,
            topo,
            policy,
            &RuleMap::default(),
            &search.narrow,
        );
        match search.find(attack.stores[pos].store, first) {
            Ok(fix) => attack.stores[pos].fix = Some(fix),
            Err(OutOfBudget) => attack.fixes_skipped += 1,
        }
    }
}
