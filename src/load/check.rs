//! Whole-topology checks, run once every file is merged: unique ids, references that resolve,
//! addresses inside their segments, overlapping segments, firewall wiring. Every problem found is
//! reported; nothing stops at the first.

use super::topology::BrokenId;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::address::AddrRange;
use crate::model::ids::IdMap;
use crate::model::policy::Policy;
use crate::model::*;
use crate::source::Loc;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

/// Says what a reference was written in (`rule 3 of firewall `fw``), for messages. Built only
/// when a message needs it: most references resolve, and formatting a context for each of
/// a hundred thousand rules would cost more than the look-ups themselves.
pub type Context<'c> = &'c dyn Fn() -> String;

/// Where each id of each kind was defined.
pub struct Index<'t> {
    /// Hashed, not sorted: every reference of the design is looked up here.
    ids: IdMap<(&'static str, &'t str), Loc>,
    /// The ids of each kind in sorted order, built on the first suggestion for that kind: the
    /// suggestion budget is spent in this order, so it must not depend on hashing.
    sorted: RefCell<BTreeMap<&'static str, Vec<&'t str>>>,
    /// The "did you mean" answer for each unknown id already looked up: a design that names a
    /// missing segment in ten thousand hosts pays for one search, not ten thousand.
    suggestions: RefCell<BTreeMap<(&'static str, String), Option<&'t str>>>,
    /// Work left for new searches (`limits::SUGGESTION_WORK`); each one scans every id of its
    /// kind, so many different unknown ids in a big design would otherwise be quadratic.
    suggestion_work: Cell<u64>,
}

impl<'t> Index<'t> {
    pub fn contains(&self, kind: &'static str, id: &str) -> bool {
        self.ids.contains_key(&(kind, id))
    }

    /// Reports a reference to an id that does not exist, suggesting a close one.
    pub(super) fn expect(
        &self,
        kind: &'static str,
        id: &At<String>,
        context: Context<'_>,
        diags: &mut Diagnostics,
    ) {
        self.expect_id(kind, &id.value, id.loc, context, diags);
    }

    pub(super) fn expect_id(
        &self,
        kind: &'static str,
        id: &str,
        loc: Loc,
        context: Context<'_>,
        diags: &mut Diagnostics,
    ) {
        if self.ids.contains_key(&(kind, id)) {
            return;
        }
        let context = context();
        let mut d = Diagnostic::error(loc, format!("unknown {kind} `{id}` in {context}"))
            .with_label(format!("no {kind} has this id"));
        if let Some(s) = self.suggest(kind, id) {
            d = d.with_note(format!("did you mean `{s}`?"));
        }
        diags.push(d);
    }

    /// The known id of `kind` closest to `id`, within the run's suggestion budget.
    fn suggest(&self, kind: &'static str, id: &str) -> Option<&'t str> {
        let key = (kind, id.to_string());
        if let Some(known) = self.suggestions.borrow().get(&key) {
            return *known;
        }
        let mut sorted = self.sorted.borrow_mut();
        let known = sorted.entry(kind).or_insert_with(|| {
            let mut ids: Vec<&'t str> = (self.ids.keys())
                .filter(|(k, _)| *k == kind)
                .map(|(_, i)| *i)
                .collect();
            ids.sort_unstable();
            ids
        });
        let mut work = self.suggestion_work.get();
        let found = crate::load::reader::suggest_within(id, known.iter().copied(), &mut work);
        self.suggestion_work.set(work);
        self.suggestions.borrow_mut().insert(key, found);
        found
    }

    pub fn selector(&self, sel: &At<Selector>, context: Context<'_>, diags: &mut Diagnostics) {
        if let Some((kind, id)) = sel.reference() {
            self.expect_id(kind, id, sel.loc, context, diags);
        }
    }
}

/// Builds the id index and reports duplicates (both places shown).
pub fn index<'t>(topo: &'t Topology, broken: &'t [BrokenId], diags: &mut Diagnostics) -> Index<'t> {
    // Sized from the start: growing a map of tens of thousands of ids rehashes them all
    // several times.
    let entities = topo.zones.len()
        + topo.externals.len()
        + topo.segments.len()
        + topo.hosts.len()
        + topo.stores.len()
        + topo.firewalls.len()
        + topo.gateways.len()
        + topo.accounts.len()
        + topo.flows.len()
        + topo.sites.len()
        + topo.services.len()
        + topo.wifis.len()
        + topo.remote_access.len()
        + topo.log_sinks.len()
        + topo.monitors.len()
        + broken.len();
    let mut ids: IdMap<(&'static str, &'t str), Loc> =
        IdMap::with_capacity_and_hasher(entities, Default::default());
    // Hosts, firewalls and gateways are all devices: findings name them by id alone, so one id
    // must not stand for two devices.
    let devices_count = topo.hosts.len() + topo.firewalls.len() + topo.gateways.len();
    let mut devices: IdMap<&'t str, (&'static str, Loc)> =
        IdMap::with_capacity_and_hasher(devices_count, Default::default());
    let mut add = |kind: &'static str, id: &'t str, loc: Loc, diags: &mut Diagnostics| {
        if let Some(first) = ids.get(&(kind, id)) {
            diags.push(
                Diagnostic::error(loc, format!("duplicate {kind} id `{id}`"))
                    .with_label("defined again here")
                    .with_related(*first, "first defined here"),
            );
        } else {
            ids.insert((kind, id), loc);
        }
        if matches!(kind, "host" | "firewall" | "gateway") {
            match devices.get(id) {
                Some((other, first)) if *other != kind => diags.push(
                    Diagnostic::error(loc, format!("{kind} id `{id}` is already a {other} id"))
                        .with_label("hosts, firewalls and gateways share one namespace")
                        .with_related(*first, format!("the {other} `{id}`")),
                ),
                Some(_) => {}
                None => {
                    devices.insert(id, (kind, loc));
                }
            }
        }
    };
    for z in &topo.zones {
        add("zone", &z.id, z.loc, diags);
    }
    for e in &topo.externals {
        add("external", &e.id, e.loc, diags);
    }
    for s in &topo.segments {
        add("segment", &s.id, s.loc, diags);
    }
    for h in &topo.hosts {
        add("host", &h.id, h.loc, diags);
    }
    for s in &topo.stores {
        add("store", &s.id, s.loc, diags);
    }
    for f in &topo.firewalls {
        add("firewall", &f.id, f.loc, diags);
    }
    for g in &topo.gateways {
        add("gateway", &g.id, g.loc, diags);
    }
    for a in &topo.accounts {
        add("account", &a.id, a.loc, diags);
    }
    for f in &topo.flows {
        add("flow", &f.id, f.loc, diags);
    }
    for s in &topo.sites {
        add("site", &s.id, s.loc, diags);
    }
    for s in &topo.services {
        add("service", &s.id, s.loc, diags);
    }
    for w in &topo.wifis {
        add("wifi", &w.id, w.loc, diags);
    }
    for r in &topo.remote_access {
        add("remote_access", &r.id, r.loc, diags);
    }
    for l in &topo.log_sinks {
        add("log_sink", &l.id, l.loc, diags);
    }
    for m in &topo.monitors {
        add("monitor", &m.id, m.loc, diags);
    }
    for b in broken {
        add(b.kind, &b.id, b.loc, diags);
    }
    Index {
        ids,
        sorted: RefCell::new(BTreeMap::new()),
        suggestions: RefCell::new(BTreeMap::new()),
        suggestion_work: Cell::new(super::limits::SUGGESTION_WORK),
    }
}

/// Runs every whole-topology check.
pub fn check_topology<'t>(
    topo: &'t Topology,
    broken: &'t [BrokenId],
    diags: &mut Diagnostics,
) -> Index<'t> {
    check_keeping(topo, broken, diags, &mut Vec::new(), None)
}

/// What each firewall's own checks found, by firewall (`load::reload` keeps it).
pub type FirewallFindings = Vec<Vec<Diagnostic>>;

/// [`check_topology`], also giving what each firewall's own checks found (`by_firewall`), and
/// with `reuse` (those findings of the last version, and the one firewall edited since) taking
/// the other firewalls' from it instead of checking them again. The caller makes sure that
/// holds: nothing but that firewall changed, its id did not (so the index is the same), and
/// the others found nothing (so no search for a suggestion, whose budget is spent in order,
/// is skipped).
pub(crate) fn check_keeping<'t>(
    topo: &'t Topology,
    broken: &'t [BrokenId],
    diags: &mut Diagnostics,
    by_firewall: &mut FirewallFindings,
    reuse: Option<(&FirewallFindings, usize)>,
) -> Index<'t> {
    let index = index(topo, broken, diags);
    for s in &topo.segments {
        index.expect("zone", &s.zone, &|| format!("segment `{}`", s.id), diags);
    }
    check_overlapping_segments(topo, diags);
    for h in &topo.hosts {
        let context = || format!("host `{}`", h.id);
        for i in &h.interfaces {
            check_placement(topo, &index, i, &context, diags);
        }
        if let Some(first) = h.interfaces.first()
            && h.count > first.ip.size()
        {
            diags.push(
                Diagnostic::error(
                    first.ip.loc,
                    format!(
                        "host group `{}` has count = {} but its range holds {} addresses",
                        h.id,
                        h.count,
                        first.ip.size()
                    ),
                )
                .with_label("too small for the group"),
            );
        }
    }
    // Sets, not lists: every reader of every store is looked up in them.
    let accounts: BTreeSet<&str> = topo.accounts.iter().map(|a| a.id.as_str()).collect();
    let groups: BTreeSet<&str> = topo
        .accounts
        .iter()
        .flat_map(|a| a.groups.iter().map(String::as_str))
        .collect();
    for s in &topo.stores {
        let context = || format!("store `{}`", s.id);
        index.expect("host", &s.host, &context, diags);
        if let Some(c) = &s.copied_from {
            index.expect("store", c, &context, diags);
        }
        for r in &s.readers {
            match &r.value {
                Reader::Account(id) if !accounts.contains(&id.as_str()) => {
                    index.expect_id("account", id, r.loc, &context, diags)
                }
                Reader::Group(g) if !groups.contains(&g.as_str()) => diags.push(
                    Diagnostic::warning(r.loc, format!("no account belongs to group `{g}`"))
                        .with_label("this reader grants nobody access")
                        .with_note("list the group in some [[account]]'s `groups`"),
                ),
                _ => {}
            }
        }
    }
    check_copy_cycles(topo, diags);
    by_firewall.clear();
    for (i, f) in topo.firewalls.iter().enumerate() {
        let found = match reuse {
            Some((kept, edited)) if i != edited => kept.get(i).cloned().unwrap_or_default(),
            _ => {
                let mut found = Diagnostics::default();
                check_firewall(topo, &index, f, &mut found);
                found.items
            }
        };
        diags.items.extend(found.iter().cloned());
        by_firewall.push(found);
    }
    for g in &topo.gateways {
        let context = || format!("gateway `{}`", g.id);
        index.expect("zone", &g.from, &context, diags);
        index.expect("zone", &g.to, &context, diags);
        for i in &g.interfaces {
            check_placement(topo, &index, i, &context, diags);
        }
    }
    for a in &topo.accounts {
        let context = || format!("account `{}`", a.id);
        for s in a.admin_on.iter().chain(&a.logs_on_to) {
            index.selector(s, &context, diags);
        }
    }
    for f in &topo.flows {
        let context = || format!("flow `{}`", f.id);
        index.selector(&f.from, &context, diags);
        index.selector(&f.to, &context, diags);
    }
    super::estate::check_references(topo, broken, &index, diags);
    index
}

/// `copied_from` says where a store's data came from. A store copied from itself, directly or
/// through other stores, is a mistake in the design, and would send anything that follows
/// provenance round in circles. Each circle is reported once, at its first store in input order.
fn check_copy_cycles(topo: &Topology, diags: &mut Diagnostics) {
    let by_id: BTreeMap<&str, usize> = topo
        .stores
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let source = |i: usize| {
        let from = topo.stores[i].copied_from.as_ref()?;
        by_id.get(from.value.as_str()).copied()
    };
    // Every store has at most one source, so walking from each unvisited store finds each
    // circle once; `Walking` marks the stores of the current walk.
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        No,
        Walking,
        Done,
    }
    let mut seen = vec![Seen::No; topo.stores.len()];
    for start in 0..topo.stores.len() {
        let mut walk = Vec::new();
        let mut next = Some(start);
        while let Some(i) = next.filter(|&i| seen[i] == Seen::No) {
            seen[i] = Seen::Walking;
            walk.push(i);
            next = source(i);
        }
        if let Some(i) = next.filter(|&i| seen[i] == Seen::Walking) {
            let first = walk.iter().position(|&w| w == i).unwrap_or(0);
            report_copy_cycle(topo, &walk[first..], diags);
        }
        for i in walk {
            seen[i] = Seen::Done;
        }
    }
}

fn report_copy_cycle(topo: &Topology, cycle: &[usize], diags: &mut Diagnostics) {
    let stores: Vec<&Store> = cycle.iter().map(|&i| &topo.stores[i]).collect();
    let from = |s: &Store| s.copied_from.as_ref().map_or(s.loc, |c| c.loc);
    let head = stores[0];
    let d = if stores.len() == 1 {
        Diagnostic::error(
            from(head),
            format!("store `{}` is copied from itself", head.id),
        )
        .with_label("`copied_from` names the store itself")
    } else {
        let chain: Vec<&str> = stores.iter().map(|s| s.id.as_str()).collect();
        let mut d = Diagnostic::error(
            from(head),
            format!(
                "stores are copied from each other in a circle: {} → {}",
                chain.join(" → "),
                head.id
            ),
        )
        .with_label(format!("`{}` is copied from `{}`", head.id, stores[1].id));
        for (n, s) in stores.iter().enumerate().skip(1) {
            let next = stores[(n + 1) % stores.len()];
            d = d.with_related(from(s), format!("`{}` is copied from `{}`", s.id, next.id));
        }
        d
    };
    diags.push(d.with_note("`copied_from` names the store the data was extracted from"));
}

/// The segment exists and the address lies inside it.
fn check_placement(
    topo: &Topology,
    index: &Index<'_>,
    iface: &HostInterface,
    context: Context<'_>,
    diags: &mut Diagnostics,
) {
    index.expect("segment", &iface.segment, context, diags);
    // Look an unknown id up only in the index: the model's own look-up falls back to a scan,
    // which ten thousand hosts on a misspelt segment would make quadratic.
    if index.contains("segment", &iface.segment)
        && let Some(seg) = topo.segment(&iface.segment)
    {
        let cidr = AddrRange::from_net(*seg.cidr);
        if !cidr.contains(&iface.ip) {
            diags.push(
                Diagnostic::error(
                    iface.ip.loc,
                    format!(
                        "{} is outside segment `{}` ({})",
                        *iface.ip, seg.id, *seg.cidr
                    ),
                )
                .with_label("address outside its segment")
                .with_related(seg.cidr.loc, "the segment's prefix"),
            );
        }
    }
}

fn check_overlapping_segments(topo: &Topology, diags: &mut Diagnostics) {
    // Sort by first address and sweep, keeping the prefixes still open (those that contain the
    // current one). Prefixes either nest or are disjoint, so the distinct open prefixes are a
    // chain of at most 33. Each keeps a few of its segments as peers to compare against (the
    // first of each zone, up to `MAX_OVERLAP_PEERS`): a prefix written ten thousand times gives
    // a message per segment, not one per pair, and still shows an overlap between zones.
    let mut segs: Vec<&Segment> = topo.segments.iter().collect();
    segs.sort_by_key(|s| (AddrRange::from_net(*s.cidr), s.loc));
    let mut open: Vec<(AddrRange, Vec<&Segment>)> = Vec::new();
    for s in segs {
        let r = AddrRange::from_net(*s.cidr);
        open.retain(|(o, _)| o.last >= r.first);
        for o in open.iter().flat_map(|(_, peers)| peers) {
            let same_zone = o.zone.value == s.zone.value;
            let message = format!(
                "segment `{}` ({}) overlaps segment `{}` ({})",
                s.id, *s.cidr, o.id, *o.cidr
            );
            let d = if same_zone {
                Diagnostic::warning(s.cidr.loc, message)
                    .with_label("overlapping prefixes in one zone")
            } else {
                Diagnostic::error(s.cidr.loc, message).with_label(format!(
                    "zone `{}` overlaps zone `{}`",
                    s.zone.value, o.zone.value
                ))
            };
            diags.push(d.with_related(o.cidr.loc, format!("segment `{}`", o.id)));
        }
        match open.last_mut() {
            Some((o, peers)) if *o == r => {
                let new_zone = peers.iter().all(|p| p.zone.value != s.zone.value);
                if new_zone && peers.len() < super::limits::MAX_OVERLAP_PEERS {
                    peers.push(s);
                }
            }
            _ => open.push((r, vec![s])),
        }
    }
}

fn check_firewall(topo: &Topology, index: &Index<'_>, f: &Firewall, diags: &mut Diagnostics) {
    check_interface_count(f, diags);
    let names = check_interfaces(topo, index, f, diags);
    let interface = |name: &At<String>, diags: &mut Diagnostics| {
        check_interface_name(f, &names, name, diags);
    };
    for (n, r) in f.rules.iter().enumerate() {
        let context = || format!("rule {} of firewall `{}`", n + 1, f.id);
        check_rule_selectors(index, r, &context, diags);
        for name in r.in_interfaces.iter().chain(&r.out_interfaces) {
            interface(name, diags);
        }
    }
    check_filters(index, f, &interface, diags);
    for (n, nat) in f.nat.iter().enumerate() {
        if let Some(name) = nat.interface() {
            interface(name, diags);
        }
        check_nat(f, n, nat, index, diags);
    }
    check_routes(topo, f, &interface, diags);
}

/// A firewall forwards between two interfaces at least, and sansou analyses a bounded number.
fn check_interface_count(f: &Firewall, diags: &mut Diagnostics) {
    if f.interfaces.len() < 2 {
        diags.push(
            Diagnostic::error(
                f.loc,
                format!(
                    "firewall `{}` has {} interface(s)",
                    f.id,
                    f.interfaces.len()
                ),
            )
            .with_label("a firewall forwards between at least two interfaces"),
        );
    }
    let most = super::limits::MAX_FIREWALL_INTERFACES;
    if f.interfaces.len() > most {
        diags.push(
            Diagnostic::error(
                f.loc,
                format!(
                    "firewall `{}` has {} interfaces; sansou analyses at most {most} per firewall",
                    f.id,
                    f.interfaces.len()
                ),
            )
            .with_label("too many interfaces")
            .with_note(
                "split the device into several firewalls (one per VDOM or VRF), or leave out \
                 interfaces no traffic crosses",
            ),
        );
    }
}

/// Each interface's attachment exists and holds its address, and no name is used twice. The
/// interfaces' names are returned, with where each is declared.
fn check_interfaces<'f>(
    topo: &Topology,
    index: &Index<'_>,
    f: &'f Firewall,
    diags: &mut Diagnostics,
) -> BTreeMap<&'f str, Loc> {
    let context = || format!("firewall `{}`", f.id);
    let mut names: BTreeMap<&str, Loc> = BTreeMap::new();
    for i in &f.interfaces {
        match &i.attachment.value {
            Attachment::Segment(s) => {
                index.expect_id("segment", s, i.attachment.loc, &context, diags);
                if index.contains("segment", s)
                    && let (Some(seg), Some(ip)) = (topo.segment(s), &i.ip)
                    && !seg.cidr.contains(&ip.value)
                {
                    diags.push(
                        Diagnostic::error(
                            ip.loc,
                            format!(
                                "{} is outside segment `{}` ({})",
                                ip.value, seg.id, *seg.cidr
                            ),
                        )
                        .with_label("address outside its segment")
                        .with_related(seg.cidr.loc, "the segment's prefix"),
                    );
                }
            }
            Attachment::External(e) => {
                index.expect_id("external", e, i.attachment.loc, &context, diags)
            }
        }
        if let Some(name) = &i.name {
            if let Some(first) = names.get(name.as_str()) {
                diags.push(
                    Diagnostic::error(
                        i.loc,
                        format!("interface name `{name}` used twice in firewall `{}`", f.id),
                    )
                    .with_label("second interface with this name")
                    .with_related(*first, "first here"),
                );
            } else {
                names.insert(name, i.loc);
            }
        }
    }
    names
}

/// An interface a rule, filter, NAT entry or route names is one of the firewall's.
fn check_interface_name(
    f: &Firewall,
    names: &BTreeMap<&str, Loc>,
    name: &At<String>,
    diags: &mut Diagnostics,
) {
    if f.interface_index(name).is_none() {
        let known: Vec<&str> = names.keys().copied().collect();
        let mut d = Diagnostic::error(
            name.loc,
            format!(
                "firewall `{}` has no interface named `{}`",
                f.id, name.value
            ),
        )
        .with_label("unknown interface");
        if known.is_empty() {
            d = d.with_note("give the interfaces a `name` to refer to them");
        } else {
            d = d.with_note(format!("interfaces: {}", known.join(", ")));
        }
        diags.push(d);
    }
}

/// Each filter is on a known interface, one per interface and direction, and its rules'
/// selectors name what exists.
fn check_filters(
    index: &Index<'_>,
    f: &Firewall,
    interface: &dyn Fn(&At<String>, &mut Diagnostics),
    diags: &mut Diagnostics,
) {
    let mut bound: BTreeMap<(&str, Direction), Loc> = BTreeMap::new();
    for filter in &f.filters {
        interface(&filter.interface, diags);
        let key = (filter.interface.value.as_str(), filter.direction);
        if let Some(first) = bound.get(&key) {
            diags.push(
                Diagnostic::error(
                    filter.interface.loc,
                    format!(
                        "interface `{}` has two `{}` filters",
                        filter.interface.value, filter.direction
                    ),
                )
                .with_label("second filter")
                .with_related(*first, "first filter"),
            );
        } else {
            bound.insert(key, filter.interface.loc);
        }
        for (n, r) in filter.rules.iter().enumerate() {
            let context = || {
                format!(
                    "rule {} of the {} filter on `{}` of firewall `{}`",
                    n + 1,
                    filter.direction,
                    filter.interface.value,
                    f.id
                )
            };
            check_rule_selectors(index, r, &context, diags);
        }
    }
}

/// Each route leaves through a known interface, or has a next hop on a connected segment.
fn check_routes(
    topo: &Topology,
    f: &Firewall,
    interface: &dyn Fn(&At<String>, &mut Diagnostics),
    diags: &mut Diagnostics,
) {
    for route in &f.routes {
        if let Some(name) = &route.interface {
            interface(name, diags);
        } else if let Some(hop) = &route.next_hop
            && topo.route_interface(f, route).is_none()
        {
            diags.push(
                Diagnostic::error(
                    hop.loc,
                    format!(
                        "next hop {} is on none of firewall `{}`'s segments",
                        hop.value, f.id
                    ),
                )
                .with_label("no connected segment holds it")
                .with_note("name the interface the route leaves through (`interface = \"...\"`)"),
            );
        }
    }
}

/// A NAT entry's interface exists, its selectors are packet selectors, and a masquerade's
/// interface has the address it gives packets.
fn check_nat(
    f: &Firewall,
    n: usize,
    nat: &crate::model::Nat,
    index: &Index<'_>,
    diags: &mut Diagnostics,
) {
    use crate::model::{SourceAddress, Translation};
    let context = || format!("NAT entry {} of firewall `{}`", n + 1, f.id);
    let selectors: Vec<&At<Selector>> = match &nat.translation {
        Translation::Destination { from, .. } => from.iter().collect(),
        Translation::Source { from, to, .. } => from.iter().chain(to).collect(),
        Translation::Static { .. } => Vec::new(),
    };
    for s in selectors {
        index.selector(s, &context, diags);
        if let Selector::Channel(_) = s.value {
            diags.push(
                Diagnostic::error(s.loc, "a NAT entry cannot select a channel")
                    .with_label("channels are not packets"),
            );
        }
    }
    if let Translation::Source {
        interface,
        to_source: SourceAddress::Masquerade(loc),
        ..
    } = &nat.translation
        && let Some(i) = f.interface_index(interface)
        && f.interfaces[i].ip.is_none()
    {
        diags.push(
            Diagnostic::error(
                *loc,
                format!(
                    "interface `{}` has no `ip` to masquerade as",
                    interface.value
                ),
            )
            .with_label("packets would take the interface's address")
            .with_related(f.interfaces[i].loc, "the interface")
            .with_note("give the interface its `ip`, or write the address as `translated`"),
        );
    }
}

/// Packet rules select addresses: zones, tiers, segments, hosts, host kinds, stores (their
/// host), data classes (the hosts of stores holding them), externals and prefixes. A channel is
/// not a packet and can never match.
fn check_rule_selectors(
    index: &Index<'_>,
    r: &Rule,
    context: Context<'_>,
    diags: &mut Diagnostics,
) {
    for s in r.from.iter().chain(&r.to) {
        index.selector(s, context, diags);
        if let Selector::Channel(_) = s.value {
            diags.push(
                Diagnostic::error(s.loc, "a firewall rule cannot select a channel")
                    .with_label("channels are not packets")
                    .with_note("select the gateway's segment or host address instead"),
            );
        }
    }
}

/// Checks a policy's references against a topology.
pub fn check_policy(policy: &Policy, index: &Index<'_>, diags: &mut Diagnostics) {
    for m in &policy.matrix {
        let context = || "[[matrix]]".to_string();
        index.selector(&m.from, &context, diags);
        index.selector(&m.to, &context, diags);
    }
    for a in &policy.asserts {
        let context = || format!("assert `{}`", a.id);
        for s in a
            .from
            .iter()
            .chain(&a.to)
            .chain(&a.except_from)
            .chain(&a.via)
        {
            index.selector(s, &context, diags);
        }
    }
    let context = || "[attacker] rogue_devices".to_string();
    for s in &policy.attacker.rogue_devices {
        index.selector(s, &context, diags);
    }
}
