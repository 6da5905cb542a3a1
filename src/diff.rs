//! `sansou diff`: what a change opens and closes.
//!
//! Each side (the design before and after a change) is first reduced to a [`Snapshot`]: plain
//! data named by ids, with no BDDs, because the two sides are analysed by two different BDD
//! managers and only names and service sets can be compared across them. A snapshot holds
//! every comparable section:
//!
//! - findings, keyed by their fingerprint (code and subject, `rules::fingerprint`), with the
//!   services behind packet findings, so a finding kept by a change is classed as widened,
//!   narrowed or unchanged;
//! - the zone matrix, cell by cell (services and channels);
//! - reachable pairs and the services that get through, at two levels: segments and external
//!   networks (address level, whatever hosts are modelled), and host groups and external
//!   networks (the level of `sansou paths`);
//! - attack paths (`analysis::attack`): per store of personal data, whether the attacker can
//!   read it and get it out, and the path; and which hosts the attacker takes.
//!
//! [`compare`] then lists what was added and removed in each section. A further section plugs
//! in the same way: reduce it to named data in the snapshot, compare it in `compare`, render it
//! in `report::diff`.
//!
//! No I/O here: the caller loads the inputs and runs the check on each side.

use crate::analysis::attack;
use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::matrix;
use crate::analysis::names;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::space::ServiceSet;
use crate::graph::Net;
use crate::model::policy::{Level, Policy};
use crate::model::ranges::RangeIndex;
use crate::model::{AddrRange, ExternalId, HostId, Topology};
use crate::rules::engine::{CheckResult, Finding, Summary};
use crate::rules::{Text, Verdict};
use crate::source::{Position, SourceMap};
use std::collections::{BTreeMap, BTreeSet};

/// What identifies a finding across two runs: its code and subject, which is what its
/// fingerprint hashes (never the message), kept in clear so lists sort by code and subject. A
/// finding whose message changes (say, fewer services now get through) is one finding on both
/// sides, compared by the services behind it.
pub type FindingKey = (String, String);

/// A finding reduced to what can be compared and printed without the analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingState {
    pub code: String,
    pub name: String,
    pub subject: String,
    pub level: Level,
    pub verdict: Verdict,
    pub accepted: bool,
    pub message: Text,
    pub location: Option<Position>,
    pub fingerprint: String,
    /// The services that get through, for a finding about packets.
    pub services: Option<ServiceSet>,
    /// The firewall rule the subject names, for a finding about a rule (MN-002, NET-001 …):
    /// the same content an exception pins.
    pub rule: Option<RuleContent>,
}

/// What a firewall rule matches, as its text (`allow 10.1.1.0/24 → 10.2.2.40 (tcp/443)`) and
/// its fields item by item, so two versions of a rule can be compared without the analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleContent {
    pub text: String,
    action: String,
    /// Sources, destinations, services, in and out interfaces; each a union of its items, an
    /// `any` item or (for interfaces) no item meaning everything.
    fields: [BTreeSet<String>; 5],
}

impl RuleContent {
    fn of(r: &crate::model::Rule) -> RuleContent {
        fn items<T: std::fmt::Display>(list: &[crate::model::At<T>]) -> BTreeSet<String> {
            list.iter().map(|x| x.value.to_string()).collect()
        }
        RuleContent {
            text: crate::rules::content::rule_text(r),
            action: r.action.to_string(),
            fields: [
                items(&r.from),
                items(&r.to),
                items(&r.services),
                items(&r.in_interfaces),
                items(&r.out_interfaces),
            ],
        }
    }

    /// Whether this rule surely matches no more than `other` (same action, every field's items
    /// among the other's, or the other's field is everything). A sufficient test: `false`
    /// also when it cannot be told from the items.
    pub fn within(&self, other: &RuleContent) -> bool {
        self.action == other.action
            && self
                .fields
                .iter()
                .zip(&other.fields)
                .enumerate()
                .all(|(i, (mine, theirs))| {
                    let everything = theirs.contains("any") || (i >= 3 && theirs.is_empty());
                    everything || (!mine.is_empty() && mine.is_subset(theirs))
                })
    }
}

impl FindingState {
    /// A deny-level failure that no exception accepts: what makes `check` exit 1.
    pub fn is_standing_deny(&self) -> bool {
        self.level == Level::Deny && self.verdict == Verdict::Fail && !self.accepted
    }

    fn from_finding(f: &Finding, sources: &SourceMap, topo: &Topology) -> FindingState {
        FindingState {
            code: f.code.clone(),
            name: f.name.clone(),
            subject: f.subject.clone(),
            level: f.level,
            verdict: f.verdict,
            accepted: f.exception.is_some(),
            message: f.message.clone(),
            location: f.loc.map(|l| sources.position(l)),
            fingerprint: f.fingerprint(),
            services: match &f.evidence {
                Some(crate::rules::Evidence::Packets { services, .. }) => Some(services.clone()),
                _ => None,
            },
            rule: crate::rules::content::named_rule(topo, &f.subject).map(RuleContent::of),
        }
    }

    pub fn key(&self) -> FindingKey {
        (self.code.clone(), self.subject.clone())
    }
}

/// One zone-matrix cell: the services that cross, and the channels (`kind:gateway`, with
/// `!bypass` appended when content can cross unsanitized).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CellState {
    pub services: ServiceSet,
    pub channels: BTreeSet<String>,
}

/// The level a reachable pair is computed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PairLevel {
    /// Segments and external networks: every address of a segment, hosts modelled or not.
    Segment,
    /// Host entries (a group counts as one) and external networks, as `sansou paths` names
    /// them.
    Host,
}

impl PairLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PairLevel::Segment => "segment",
            PairLevel::Host => "host",
        }
    }
}

/// One step of an attack path: `key` says what happens where (`lateral host:fs1 from
/// host:pc1 account:admin`) and is what is compared; `text` says why, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttackStep {
    /// `entry`, `harvest`, `lateral`, `read`, `exfiltrate`...
    pub kind: String,
    /// The host the step happens on, as `host:ID`.
    pub host: String,
    pub key: String,
    pub text: Text,
}

/// What the attacker gets of one store of personal data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreState {
    pub readable: bool,
    pub exfiltrable: bool,
    /// The shortest attack path, entry to read (and out); empty when not readable.
    pub path: Vec<AttackStep>,
}

impl StoreState {
    fn path_keys(&self) -> Vec<&str> {
        self.path.iter().map(|s| s.key.as_str()).collect()
    }
}

/// Everything about one side that the diff compares.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub model: String,
    pub profile: String,
    pub summary: Summary,
    pub findings: BTreeMap<FindingKey, FindingState>,
    /// (from area, to area) → cell, for cells where something crosses.
    pub cells: BTreeMap<(String, String), CellState>,
    /// (level, from, to) → the services that get through; only reachable pairs.
    pub pairs: BTreeMap<(PairLevel, String, String), ServiceSet>,
    /// `store:ID` → what the attacker from the internet gets of it (stores of personal data).
    pub stores: BTreeMap<String, StoreState>,
    /// The hosts the attacker from the internet takes, as `host:ID`.
    pub compromised: BTreeSet<String>,
}

/// Reduces one side to a snapshot: its check result, zone matrix, reachable pairs and attack
/// paths (under the attacker assumptions of `policy`, the policy the check ran with).
pub fn snapshot(
    reach: &mut Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    policy: &Policy,
) -> Snapshot {
    let topo = reach.topo;
    let findings = findings_snapshot(result, sources, topo).findings;
    let m = matrix::compute(reach);
    let cells = m
        .cells
        .iter()
        .map(|c| {
            let channels = c
                .channels
                .iter()
                .map(|ch| {
                    let mut s = format!("{}:{}", ch.kind.as_str(), topo.gateways[ch.gateway].id);
                    if ch.bypass {
                        s.push_str(" !bypass");
                    }
                    s
                })
                .collect();
            (
                (names::area_id(topo, c.from), names::area_id(topo, c.to)),
                CellState {
                    services: c.services.clone(),
                    channels,
                },
            )
        })
        .collect();
    let mut pairs = BTreeMap::new();
    reachable_pairs(reach, PairLevel::Segment, &mut pairs);
    reachable_pairs(reach, PairLevel::Host, &mut pairs);
    let (stores, compromised) = attack_section(reach, policy);
    Snapshot {
        model: result.model.as_str().to_string(),
        profile: result.profile.clone(),
        summary: result.summary(),
        findings,
        cells,
        pairs,
        stores,
        compromised,
    }
}

/// A snapshot of the findings alone (every other section empty): what `check --watch`
/// compares between two runs, without the zone matrix, pairs and attack sections it does not
/// print.
pub fn findings_snapshot(result: &CheckResult, sources: &SourceMap, topo: &Topology) -> Snapshot {
    let mut findings = BTreeMap::new();
    for f in &result.findings {
        let state = FindingState::from_finding(f, sources, topo);
        // Two findings with the same key are about the same subject: the first one stands for
        // both, with the services of both.
        match findings.entry(state.key()) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(state);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let kept: &mut FindingState = o.get_mut();
                if let (Some(k), Some(s)) = (&mut kept.services, &state.services) {
                    *k = k.union(s);
                }
            }
        }
    }
    Snapshot {
        model: result.model.as_str().to_string(),
        profile: result.profile.clone(),
        summary: result.summary(),
        findings,
        ..Snapshot::default()
    }
}

/// The attack analysis from outside (the internet, and the Wi-Fi and remote-access lines open
/// to the attacker, on machines of its own: `attack::entry`), reduced to names.
fn attack_section(
    reach: &mut Reachability<'_>,
    policy: &Policy,
) -> (BTreeMap<String, StoreState>, BTreeSet<String>) {
    let (with, result) = attack::from_outside(reach, policy, &attack::Options::default());
    let topo = with.as_ref().unwrap_or(reach.topo);
    let host = |h: HostId| format!("host:{}", topo.hosts[h].id);
    let stores = result
        .stores
        .iter()
        .map(|e| {
            let path = e
                .steps
                .iter()
                .map(|step| {
                    // Everything that identifies the step, in a fixed order.
                    let mut key = format!("{} {}", step.kind().word(), host(step.host()));
                    let parts = [
                        step.from().map(|f| format!("from {}", host(f))),
                        step.account()
                            .map(|a| format!("account:{}", topo.accounts[a].id)),
                        step.store().map(|s| format!("store:{}", topo.stores[s].id)),
                        step.gateway()
                            .map(|g| format!("gateway:{}", topo.gateways[g].id)),
                        step.via().map(|v| format!("via {}", host(v))),
                        step.external()
                            .map(|x| format!("external:{}", topo.externals[x].id)),
                        step.way().map(|w| attack::entry::name(topo, w)),
                    ];
                    for p in parts.into_iter().flatten() {
                        key.push(' ');
                        key.push_str(&p);
                    }
                    let why = |lang| crate::analysis::attack::why::why(topo, &result, step, lang);
                    AttackStep {
                        kind: step.kind().word().to_string(),
                        host: host(step.host()),
                        key,
                        text: Text::new(why(crate::lang::Lang::Ja), why(crate::lang::Lang::En)),
                    }
                })
                .collect();
            (
                format!("store:{}", topo.stores[e.store].id),
                StoreState {
                    readable: e.readable(),
                    exfiltrable: e.exfiltrable(),
                    path,
                },
            )
        })
        .collect();
    let compromised = result.compromised().map(host).collect();
    (stores, compromised)
}

/// A place packets start from or are delivered to, at one of the two levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Segment(usize),
    Endpoint(Endpoint),
}

fn place_name(topo: &Topology, p: Place) -> String {
    match p {
        Place::Segment(s) => format!("segment:{}", topo.segments[s].id),
        Place::Endpoint(e) => names::endpoint(topo, e),
    }
}

fn place_addresses(reach: &Reachability<'_>, p: Place) -> Vec<AddrRange> {
    match p {
        Place::Segment(s) => vec![AddrRange::from_net(*reach.topo.segments[s].cidr)],
        Place::Endpoint(e) => reach.endpoint_addresses(e),
    }
}

fn delivered(reach: &mut Reachability<'_>, p: Place) -> Bdd {
    match p {
        Place::Segment(s) => {
            let dst = reach
                .space
                .dst(&[AddrRange::from_net(*reach.topo.segments[s].cidr)]);
            let here = reach.present(Net::Segment(s));
            reach.space.and(here, dst)
        }
        Place::Endpoint(e) => reach.delivered_to(e),
    }
}

/// Which places have an address in given ranges.
struct PlaceIndex(RangeIndex<usize>);

impl PlaceIndex {
    fn new(reach: &Reachability<'_>, places: &[Place]) -> PlaceIndex {
        PlaceIndex(RangeIndex::new(
            places
                .iter()
                .enumerate()
                .flat_map(|(i, &p)| place_addresses(reach, p).into_iter().map(move |r| (r, i)))
                .collect(),
        ))
    }

    fn at(&self, ranges: &[AddrRange]) -> Vec<usize> {
        self.0.at(ranges)
    }
}

/// Every reachable ordered pair at one level, with its services. For each destination, the
/// senders are read off the set of packets delivered to it and looked up by address, so the
/// cost follows the pairs that exist rather than every combination of places.
fn reachable_pairs(
    reach: &mut Reachability<'_>,
    level: PairLevel,
    out: &mut BTreeMap<(PairLevel, String, String), ServiceSet>,
) {
    let topo = reach.topo;
    let externals =
        (0..topo.externals.len()).map(|x| Place::Endpoint(Endpoint::External(ExternalId(x))));
    let places: Vec<Place> = match level {
        PairLevel::Segment => (0..topo.segments.len())
            .map(Place::Segment)
            .chain(externals)
            .collect(),
        // Every endpoint: hosts, gateways, each segment's undeclared addresses, externals.
        PairLevel::Host => reach
            .all_endpoints()
            .into_iter()
            .map(Place::Endpoint)
            .collect(),
    };
    let is_external = |p: Place| matches!(p, Place::Endpoint(Endpoint::External(_)));
    let index = PlaceIndex::new(reach, &places);
    // Each place's source set is needed once per destination it reaches: build it lazily, once.
    let mut sources: Vec<Option<Bdd>> = vec![None; places.len()];
    let labels: Vec<String> = places.iter().map(|&p| place_name(topo, p)).collect();
    for (j, &to) in places.iter().enumerate() {
        let set = delivered(reach, to);
        if set == FALSE {
            continue;
        }
        let senders = reach.space.sources_of(set);
        for i in index.at(&senders) {
            let from = places[i];
            // A place talking to itself is no news; external to external is listed once, at
            // the segment level.
            if i == j || (level == PairLevel::Host && is_external(from) && is_external(to)) {
                continue;
            }
            let src = match sources[i] {
                Some(b) => b,
                None => {
                    let b = match from {
                        Place::Endpoint(e) => reach.endpoint_sources(e),
                        Place::Segment(_) => reach.space.src(&place_addresses(reach, from)),
                    };
                    sources[i] = Some(b);
                    b
                }
            };
            let both = reach.space.and(set, src);
            if both == FALSE {
                continue;
            }
            let services = reach.space.services_of(both);
            out.insert((level, labels[i].clone(), labels[j].clone()), services);
        }
    }
}

/// A finding present on both sides whose standing changed (level, verdict or acceptance).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingChange {
    pub before: FindingState,
    pub after: FindingState,
}

/// A finding on both sides whose services changed: `opened` get through only after the change,
/// `closed` only before it. Widened when anything opened, else narrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingDelta {
    pub before: FindingState,
    pub after: FindingState,
    pub opened: ServiceSet,
    pub closed: ServiceSet,
    /// For a finding about a rule whose content changed: the rule before and after.
    pub rule: Option<(String, String)>,
}

/// A zone-matrix cell that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellChange {
    pub from: String,
    pub to: String,
    pub before: CellState,
    pub after: CellState,
    pub opened: ServiceSet,
    pub closed: ServiceSet,
    pub channels_added: Vec<String>,
    pub channels_removed: Vec<String>,
}

/// A pair whose reachable services changed: `opened` get through only after the change,
/// `closed` only before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairChange {
    pub level: PairLevel,
    pub from: String,
    pub to: String,
    pub before: ServiceSet,
    pub after: ServiceSet,
    pub opened: ServiceSet,
    pub closed: ServiceSet,
}

/// A store of personal data whose exposure changed: readable, exfiltrable, or its attack path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreChange {
    pub store: String,
    pub before: StoreState,
    pub after: StoreState,
}

impl StoreChange {
    /// The change gives the attacker a path it did not have: the store becomes readable, or
    /// is reached another way.
    pub fn new_path(&self) -> bool {
        !self.after.path.is_empty() && self.after.path_keys() != self.before.path_keys()
    }
}

/// What the change does, section by section, each sorted by name.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    pub before: Snapshot,
    pub after: Snapshot,
    pub findings_added: Vec<FindingState>,
    pub findings_removed: Vec<FindingState>,
    pub findings_changed: Vec<FindingChange>,
    /// Findings on both sides that more services now reach (some may also have closed), or
    /// whose rule now matches surely more.
    pub findings_widened: Vec<FindingDelta>,
    /// Findings on both sides that fewer services reach, none newly, or whose rule now
    /// matches surely less.
    pub findings_narrowed: Vec<FindingDelta>,
    /// Findings about a rule whose content changed in a way that cannot be told wider or
    /// narrower (say, a new source and one service fewer): counted as new for the exit code.
    pub findings_rule_changed: Vec<FindingDelta>,
    /// How many findings are on both sides with the same services.
    pub findings_unchanged: usize,
    pub cells: Vec<CellChange>,
    pub pairs: Vec<PairChange>,
    pub stores: Vec<StoreChange>,
    /// Hosts the attacker takes only after the change, and only before it.
    pub compromised_added: Vec<String>,
    pub compromised_removed: Vec<String>,
}

impl Diff {
    /// Whether the change adds a deny-level finding that stands: a new one, a standing one
    /// that more services now reach, or one that was there before but did not stand
    /// (accepted, unknown or warn) and now does. `sansou diff` exits 1 exactly then.
    pub fn adds_deny(&self) -> bool {
        self.findings_added
            .iter()
            .any(FindingState::is_standing_deny)
            || self
                .findings_widened
                .iter()
                .any(|w| w.after.is_standing_deny())
            || self
                .findings_rule_changed
                .iter()
                .any(|w| w.after.is_standing_deny())
            || self
                .findings_changed
                .iter()
                .any(|c| c.after.is_standing_deny() && !c.before.is_standing_deny())
    }

    /// Whether anything at all differs.
    pub fn is_empty(&self) -> bool {
        self.findings_added.is_empty()
            && self.findings_removed.is_empty()
            && self.findings_changed.is_empty()
            && self.findings_widened.is_empty()
            && self.findings_narrowed.is_empty()
            && self.findings_rule_changed.is_empty()
            && self.cells.is_empty()
            && self.pairs.is_empty()
            && self.stores.is_empty()
            && self.compromised_added.is_empty()
            && self.compromised_removed.is_empty()
    }
}

/// The channels in `a` and not in `b`, sorted.
fn missing(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    a.difference(b).cloned().collect()
}

/// Compares two snapshots, section by section.
pub fn compare(before: Snapshot, after: Snapshot) -> Diff {
    let mut d = Diff::default();
    for (k, a) in &after.findings {
        match before.findings.get(k) {
            None => d.findings_added.push(a.clone()),
            Some(b) => {
                if (b.level, b.verdict, b.accepted) != (a.level, a.verdict, a.accepted) {
                    d.findings_changed.push(FindingChange {
                        before: b.clone(),
                        after: a.clone(),
                    });
                }
                let (opened, closed) = match (&b.services, &a.services) {
                    (Some(bs), Some(xs)) => (xs.minus(bs), bs.minus(xs)),
                    _ => (ServiceSet::default(), ServiceSet::default()),
                };
                // A finding about a rule: the rule's content, as an exception pins it.
                let rule = match (&b.rule, &a.rule) {
                    (Some(br), Some(ar)) if br.text != ar.text => Some((br, ar)),
                    _ => None,
                };
                let delta = FindingDelta {
                    before: b.clone(),
                    after: a.clone(),
                    opened,
                    closed,
                    rule: rule.map(|(br, ar)| (br.text.clone(), ar.text.clone())),
                };
                if !delta.opened.is_empty() {
                    d.findings_widened.push(delta);
                } else if !delta.closed.is_empty() {
                    d.findings_narrowed.push(delta);
                } else if let Some((br, ar)) = rule {
                    if ar.within(br) {
                        d.findings_narrowed.push(delta);
                    } else if br.within(ar) {
                        d.findings_widened.push(delta);
                    } else {
                        d.findings_rule_changed.push(delta);
                    }
                } else {
                    d.findings_unchanged += 1;
                }
            }
        }
    }
    d.findings_removed = before
        .findings
        .iter()
        .filter(|(k, _)| !after.findings.contains_key(*k))
        .map(|(_, f)| f.clone())
        .collect();
    let cell_keys: BTreeSet<&(String, String)> =
        before.cells.keys().chain(after.cells.keys()).collect();
    let empty = CellState::default();
    for k in cell_keys {
        let b = before.cells.get(k).unwrap_or(&empty);
        let a = after.cells.get(k).unwrap_or(&empty);
        if a == b {
            continue;
        }
        d.cells.push(CellChange {
            from: k.0.clone(),
            to: k.1.clone(),
            opened: a.services.minus(&b.services),
            closed: b.services.minus(&a.services),
            channels_added: missing(&a.channels, &b.channels),
            channels_removed: missing(&b.channels, &a.channels),
            before: b.clone(),
            after: a.clone(),
        });
    }
    let pair_keys: BTreeSet<&(PairLevel, String, String)> =
        before.pairs.keys().chain(after.pairs.keys()).collect();
    let none = ServiceSet::default();
    for k in pair_keys {
        let b = before.pairs.get(k).unwrap_or(&none);
        let a = after.pairs.get(k).unwrap_or(&none);
        if a == b {
            continue;
        }
        d.pairs.push(PairChange {
            level: k.0,
            from: k.1.clone(),
            to: k.2.clone(),
            opened: a.minus(b),
            closed: b.minus(a),
            before: b.clone(),
            after: a.clone(),
        });
    }
    let store_keys: BTreeSet<&String> = before.stores.keys().chain(after.stores.keys()).collect();
    let unexposed = StoreState::default();
    for k in store_keys {
        let b = before.stores.get(k).unwrap_or(&unexposed);
        let a = after.stores.get(k).unwrap_or(&unexposed);
        // Wording of a step may change with the code; what happens where is what counts.
        if (b.readable, b.exfiltrable, b.path_keys()) != (a.readable, a.exfiltrable, a.path_keys())
        {
            d.stores.push(StoreChange {
                store: k.clone(),
                before: b.clone(),
                after: a.clone(),
            });
        }
    }
    d.compromised_added = missing(&after.compromised, &before.compromised);
    d.compromised_removed = missing(&before.compromised, &after.compromised);
    d.before = before;
    d.after = after;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &str, level: Level, accepted: bool) -> FindingState {
        FindingState {
            code: code.into(),
            name: "n".into(),
            subject: "s".into(),
            level,
            verdict: Verdict::Fail,
            accepted,
            message: Text::new("m", "m"),
            location: None,
            fingerprint: crate::rules::fingerprint::fingerprint(code, "s"),
            services: None,
            rule: None,
        }
    }

    fn with(findings: &[FindingState]) -> Snapshot {
        Snapshot {
            findings: findings.iter().map(|f| (f.key(), f.clone())).collect(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn a_new_warn_finding_does_not_fail_but_a_new_deny_does() {
        let d = compare(with(&[]), with(&[finding("X-1", Level::Warn, false)]));
        assert_eq!(d.findings_added.len(), 1);
        assert!(!d.adds_deny());
        let d = compare(with(&[]), with(&[finding("X-1", Level::Deny, false)]));
        assert!(d.adds_deny());
    }

    #[test]
    fn an_exception_taken_away_adds_a_standing_deny() {
        let d = compare(
            with(&[finding("X-1", Level::Deny, true)]),
            with(&[finding("X-1", Level::Deny, false)]),
        );
        assert!(d.findings_added.is_empty());
        assert_eq!(d.findings_changed.len(), 1);
        assert!(d.adds_deny());
        // The other way round the change closes something: no failure.
        let d = compare(
            with(&[finding("X-1", Level::Deny, false)]),
            with(&[finding("X-1", Level::Deny, true)]),
        );
        assert!(!d.adds_deny());
    }

    #[test]
    fn pairs_report_opened_and_closed_services() {
        let tcp = |lo: u64, hi: u64| ServiceSet(vec![((6 << 16) | lo, (6 << 16) | hi)]);
        let key = (PairLevel::Host, "host:a".to_string(), "host:b".to_string());
        let mut b = Snapshot::default();
        b.pairs.insert(key.clone(), tcp(443, 445));
        let mut a = Snapshot::default();
        a.pairs.insert(key, tcp(445, 446));
        let d = compare(b, a);
        assert_eq!(d.pairs.len(), 1);
        assert_eq!(d.pairs[0].opened.names(), ["tcp/446"]);
        assert_eq!(d.pairs[0].closed.names(), ["tcp/443-444"]);
    }
}
