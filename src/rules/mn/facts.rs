//! Facts the rules of the MN, ZN and EXT families share: the addresses of a tier, which
//! firewall rules name it, whether a rule is pinned to single hosts and ports, and packet pairs
//! found by projecting a delivered set onto its address fields (rather than by trying every pair
//! of hosts: topologies reach 100k hosts).

use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::paths::Pair;
use crate::analysis::reach::Endpoint;
use crate::analysis::space::{DST, SRC};
use crate::model::ranges::{intersects, normalize};
use crate::model::service::has_ports;
use crate::model::*;
use crate::rules::{Context, Text};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The addresses of a tier's segments.
pub fn tier_addresses(topo: &Topology, tier: Tier) -> Vec<AddrRange> {
    let zones: HashSet<&str> = topo
        .zones
        .iter()
        .filter(|z| z.tier == tier)
        .map(|z| z.id.as_str())
        .collect();
    normalize(
        topo.segments
            .iter()
            .filter(|s| zones.contains(s.zone.value.as_str()))
            .map(|s| AddrRange::from_net(*s.cidr))
            .collect(),
    )
}

/// How a tier reads in messages (Japanese, English).
pub fn tier_label(t: Tier) -> (&'static str, &'static str) {
    match t {
        Tier::MyNumber => ("マイナンバー利用事務系", "My Number"),
        Tier::Lgwan => ("LGWAN接続系", "LGWAN"),
        Tier::Internet => ("インターネット接続系", "internet"),
        Tier::Dmz => ("DMZ", "DMZ"),
        Tier::Management => ("運用管理系", "management"),
        Tier::Other => ("未分類 (other)", "unclassified (other)"),
    }
}

/// Several tiers for a message: `LGWAN接続系・インターネット接続系`, `LGWAN and internet`.
pub fn tiers_label(tiers: &[Tier]) -> (String, String) {
    let ja: Vec<&str> = tiers.iter().map(|t| tier_label(*t).0).collect();
    let en: Vec<&str> = tiers.iter().map(|t| tier_label(*t).1).collect();
    (ja.join("・"), en.join(" and "))
}

/// A count with thousands separators: `1,048,576`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Number of addresses in a normalized set.
pub fn address_count(ranges: &[AddrRange]) -> u64 {
    ranges.iter().map(|r| r.size()).sum()
}

/// A set of addresses for a message: up to three ranges, then "...".
pub fn show_ranges(ranges: &[AddrRange]) -> String {
    let mut parts: Vec<String> = ranges.iter().take(3).map(|r| r.to_string()).collect();
    if ranges.len() > 3 {
        parts.push("...".into());
    }
    parts.join(", ")
}

/// A list of names for a message: up to `max`, then how many more.
pub fn show_list(names: &[String], max: usize) -> (String, String) {
    let shown = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        let more = names.len() - max;
        (
            format!("{shown} ほか {more} 件"),
            format!("{shown} and {more} more"),
        )
    } else {
        (shown.clone(), shown)
    }
}

/// FNV-1a: a fast hash for the id sets below, asked once per selector of every rule.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type IdSet<'t> = HashSet<&'t str, BuildHasherDefault<Fnv>>;

/// What in a topology belongs to one tier, for deciding whether a selector names it.
pub struct TierIndex<'t> {
    pub tier: Tier,
    pub addresses: Vec<AddrRange>,
    segments: IdSet<'t>,
    /// The tier's segments by id: their index in `Topology::segments`.
    positions: HashMap<&'t str, usize, BuildHasherDefault<Fnv>>,
    zones: IdSet<'t>,
    hosts: IdSet<'t>,
    stores: IdSet<'t>,
    kinds: HashSet<HostKind>,
    data: HashSet<DataClass>,
}

impl<'t> TierIndex<'t> {
    pub fn new(topo: &'t Topology, tier: Tier) -> TierIndex<'t> {
        let zones: IdSet = topo
            .zones
            .iter()
            .filter(|z| z.tier == tier)
            .map(|z| z.id.as_str())
            .collect();
        let segments: IdSet = topo
            .segments
            .iter()
            .filter(|s| zones.contains(s.zone.value.as_str()))
            .map(|s| s.id.as_str())
            .collect();
        let in_tier: Vec<&Host> = topo
            .hosts
            .iter()
            .filter(|h| {
                h.interfaces
                    .iter()
                    .any(|i| segments.contains(i.segment.value.as_str()))
            })
            .collect();
        let hosts: IdSet = in_tier.iter().map(|h| h.id.as_str()).collect();
        let kinds = in_tier.iter().map(|h| h.kind).collect();
        let tier_stores: Vec<&Store> = topo
            .stores
            .iter()
            .filter(|s| hosts.contains(s.host.value.as_str()))
            .collect();
        let stores = tier_stores.iter().map(|s| s.id.as_str()).collect();
        let data = tier_stores
            .iter()
            .flat_map(|s| s.data.iter().copied())
            .collect();
        let positions = topo
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| segments.contains(s.id.as_str()))
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        TierIndex {
            tier,
            addresses: tier_addresses(topo, tier),
            segments,
            positions,
            zones,
            hosts,
            stores,
            kinds,
            data,
        }
    }

    pub fn has_segment(&self, id: &str) -> bool {
        self.segments.contains(id)
    }

    pub fn has_host(&self, id: &str) -> bool {
        self.hosts.contains(id)
    }

    /// Whether a selector names things of the tier on purpose: its zones, segments, hosts,
    /// stores, a kind or data class found there, or an address inside it. `any` and external
    /// networks do not.
    pub fn named_by(&self, sel: &Selector) -> bool {
        match sel {
            Selector::Any | Selector::External(_) | Selector::Channel(_) => false,
            Selector::Tier(t) => *t == self.tier,
            Selector::Zone(z) => self.zones.contains(z.as_str()),
            Selector::Segment(s) => self.segments.contains(s.as_str()),
            Selector::Host(h) => self.hosts.contains(h.as_str()),
            Selector::Store(s) => self.stores.contains(s.as_str()),
            Selector::Kind(k) => self.kinds.contains(k),
            Selector::Data(d) => self.data.contains(d),
            Selector::Addr(r) => intersects(&[*r], &self.addresses),
        }
    }
}

/// The tier of the segment a firewall interface is on (`None` for an external).
pub fn interface_tier(topo: &Topology, i: &FirewallInterface) -> Option<Tier> {
    match &i.attachment.value {
        Attachment::Segment(s) => topo.segment_tier(s),
        Attachment::External(_) => None,
    }
}

/// Which firewall rules can allow traffic between one tier and the rest, with their subjects
/// (`FW/N` for the policy list, `FW/IFACE-DIRECTION/N` for interface filters, N from 1): allow
/// rules of firewalls that join the tier to something else, and allow rules elsewhere that name
/// the tier's things. Firewalls with every interface inside the tier only move packets within
/// it.
pub fn rules_touching<'t>(topo: &'t Topology, index: &TierIndex<'_>) -> Vec<(String, &'t Rule)> {
    let mut out = Vec::new();
    for fw in &topo.firewalls {
        let in_tier: Vec<bool> = fw
            .interfaces
            .iter()
            .map(|i| match &i.attachment.value {
                Attachment::Segment(s) => index.has_segment(s),
                Attachment::External(_) => false,
            })
            .collect();
        let on_tier = in_tier.contains(&true);
        let inside = !in_tier.contains(&false);
        if inside {
            continue;
        }
        let keep = |rule: &Rule| {
            rule.action == Action::Allow
                && (on_tier
                    || rule
                        .from
                        .iter()
                        .chain(&rule.to)
                        .any(|s| index.named_by(&s.value)))
        };
        for (k, rule) in fw.rules.iter().enumerate() {
            if keep(rule) {
                out.push((fw.rule_subject(k), rule));
            }
        }
        for f in &fw.filters {
            for (k, rule) in f.rules.iter().enumerate() {
                if keep(rule) {
                    out.push((fw.filter_rule_subject(f, k), rule));
                }
            }
        }
    }
    out
}

/// A firewall rule that can allow traffic across a tier's boundary ([`rules_touching`]), with
/// the addresses each side matches ([`rule_addresses`]).
pub struct BoundaryRule<'t> {
    pub subject: String,
    pub rule: &'t Rule,
    pub from: Vec<AddrRange>,
    pub to: Vec<AddrRange>,
}

/// The My Number tier and the rules that can let traffic across its boundary: MN-002 and
/// MN-009 both go through every such rule, so they are found once ([`Context::mynumber_boundary`]).
pub struct MyNumberBoundary<'t> {
    pub index: TierIndex<'t>,
    pub rules: Vec<BoundaryRule<'t>>,
}

impl<'t> MyNumberBoundary<'t> {
    pub fn new(cx: &Context<'t>) -> MyNumberBoundary<'t> {
        let topo = cx.topo;
        let index = TierIndex::new(topo, Tier::MyNumber);
        let rules = rules_touching(topo, &index)
            .into_iter()
            .map(|(subject, rule)| {
                let (from, to) = rule_addresses(cx, rule);
                BoundaryRule {
                    subject,
                    rule,
                    from,
                    to,
                }
            })
            .collect();
        MyNumberBoundary { index, rules }
    }
}

/// The source and destination addresses a rule matches.
pub fn rule_addresses(cx: &Context<'_>, rule: &Rule) -> (Vec<AddrRange>, Vec<AddrRange>) {
    let side = |sels: &[At<Selector>]| cx.reach.addrs.of_selectors(sels.iter().map(|s| &s.value));
    (side(&rule.from), side(&rule.to))
}

/// Whether every address of `a` lies in `b` (both normalized).
pub fn covered(a: &[AddrRange], b: &[AddrRange]) -> bool {
    crate::model::ranges::subtract(a, b).is_empty()
}

/// The selector described, when it does not stand for one single host (`host:pc (a group of
/// 10 hosts)`), or `None` when it does: a `host:` with count 1 and one address (or a store on
/// such a host), or a single address.
pub fn selector_unpinned(cx: &Context<'_>, sel: &Selector) -> Option<Text> {
    let topo = cx.topo;
    let single_host = |id: &str| -> Option<Text> {
        let h = cx.reach.addrs.host(id)?;
        let n = address_count(&cx.reach.addrs.host_addresses(h));
        if h.count > 1 {
            Some(Text::new(
                format!("{sel} ({} 台のグループ)", thousands(h.count)),
                format!("{sel} (a group of {} hosts)", thousands(h.count)),
            ))
        } else if n > 1 {
            Some(Text::new(
                format!("{sel} (アドレス {n} 個)"),
                format!("{sel} ({n} addresses)"),
            ))
        } else {
            None
        }
    };
    match sel {
        Selector::Host(id) => single_host(id),
        Selector::Store(id) => {
            let host = topo.stores.iter().find(|s| s.id == *id)?;
            single_host(&host.host)
        }
        Selector::Addr(r) if r.size() == 1 => None,
        Selector::Any => Some(Text::new("any (すべてのアドレス)", "any (every address)")),
        _ => {
            let ranges = cx.reach.addrs.of_selector(sel);
            let n = thousands(address_count(&ranges));
            Some(Text::new(
                format!("{sel} ({}, {n} アドレス)", show_ranges(&ranges)),
                format!("{sel} ({}, {n} addresses)", show_ranges(&ranges)),
            ))
        }
    }
}

/// Why a service is not one explicit port, or `None` when it is (`tcp/443`, `udp/123`).
pub fn service_unpinned(s: &Service) -> Option<Text> {
    match *s {
        Service::Any => Some(Text::new(
            "any (すべてのプロトコルとポート)",
            "any (every protocol and port)",
        )),
        Service::Proto { proto, ports } => {
            if !has_ports(proto) {
                Some(Text::new(
                    format!("{s} (プロトコル全体)"),
                    format!("{s} (a whole protocol)"),
                ))
            } else if ports == crate::model::service::PortRange::ALL {
                Some(Text::new(
                    format!("{s} (全ポート)"),
                    format!("{s} (every port)"),
                ))
            } else if ports.first != ports.last {
                Some(Text::new(
                    format!("{s} (ポート範囲)"),
                    format!("{s} (a port range)"),
                ))
            } else {
                None
            }
        }
    }
}

/// The values of one 32-bit address field (`SRC` or `DST`) in a set of packets.
pub fn field_ranges(cx: &mut Context<'_>, set: Bdd, field: u16) -> Vec<AddrRange> {
    cx.reach.space.address_field(set, field)
}

/// Source addresses of a set of packets.
pub fn sources_of(cx: &mut Context<'_>, set: Bdd) -> Vec<AddrRange> {
    field_ranges(cx, set, SRC)
}

/// Destination addresses of a set of packets.
pub fn destinations_of(cx: &mut Context<'_>, set: Bdd) -> Vec<AddrRange> {
    field_ranges(cx, set, DST)
}

pub use crate::analysis::paths::EndpointIndex;

/// An index of every endpoint (each host and gateway interface, each segment's undeclared
/// addresses and each external's home) by address, so the endpoints owning a set of addresses
/// are found without a scan of all hosts per question.
pub fn endpoint_index(cx: &Context<'_>) -> EndpointIndex {
    EndpointIndex::new(&cx.reach, &cx.reach.all_endpoints())
}

/// The pair `from → to` within a set of packets delivered to `to`, with its services and the
/// packets of the pair; `None` when none of the set comes from `from`. The witness is left out
/// (finding one costs a trace): [`witnessed`] adds it where a finding shows it.
pub fn pair_in(
    cx: &mut Context<'_>,
    from: Endpoint,
    to: Endpoint,
    set: Bdd,
) -> Option<(Pair, Bdd)> {
    let src = cx.reach.endpoint_sources(from);
    let set = cx.reach.space.m.and(set, src);
    if set == FALSE {
        return None;
    }
    Some((Pair::of(&mut cx.reach, from, to, set), set))
}

/// A pair with its witness: one concrete flow of its packets and the hops it takes.
pub fn witnessed(cx: &mut Context<'_>, (mut pair, set): (Pair, Bdd)) -> Pair {
    pair.witness = cx.reach.witness(pair.from, pair.to, set);
    pair
}

/// Every source of the packets delivered to `to` that also lie in `filter`, as pairs with the
/// packets of each pair.
pub fn pairs_into(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    to: Endpoint,
    filter: Bdd,
) -> Vec<(Pair, Bdd)> {
    let delivered = cx.reach.delivered_to(to);
    let set = cx.reach.space.m.and(delivered, filter);
    pairs_in(cx, index, to, set)
}

/// Every source of a set of packets delivered to `to`, as pairs with the packets of each.
pub fn pairs_in(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    to: Endpoint,
    set: Bdd,
) -> Vec<(Pair, Bdd)> {
    if set == FALSE {
        return Vec::new();
    }
    let sources = sources_of(cx, set);
    let mut out = Vec::new();
    for from in index.at(&sources) {
        if from == to {
            continue;
        }
        if let Some(p) = pair_in(cx, from, to, set) {
            out.push(p);
        }
    }
    out
}

/// Every host of a tier that packets from `from` (within `filter`) are delivered to;
/// `delivered` is what [`delivered_to_tier`] gives for the tier.
pub fn pairs_from_into_tier(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    from: Endpoint,
    tier: Tier,
    delivered: Bdd,
    filter: Bdd,
) -> Vec<(Pair, Bdd)> {
    let src = cx.reach.endpoint_sources(from);
    let mut set = cx.reach.space.m.and(delivered, src);
    set = cx.reach.space.m.and(set, filter);
    if set == FALSE {
        return Vec::new();
    }
    let targets = destinations_of(cx, set);
    let mut out = Vec::new();
    for to in index.at(&targets) {
        if matches!(to, Endpoint::External(_)) || to == from || !cx.endpoint_in_tier(to, tier) {
            continue;
        }
        let d = cx.reach.delivered_to(to);
        let d = cx.reach.space.m.and(d, filter);
        if let Some(p) = pair_in(cx, from, to, d) {
            out.push(p);
        }
    }
    out
}

/// Packets of `filter` delivered to a host on its interfaces in the index's tier only (a host
/// with a leg in another tier is a bridge, reported by ZN-002; what reaches that other leg is
/// not a crossing here). `per_segment` keeps what reaches each segment, so the large set of
/// packets present on a segment is narrowed once, not once per host.
pub fn delivered_in_tier(
    cx: &mut Context<'_>,
    index: &TierIndex<'_>,
    h: usize,
    filter: Bdd,
    per_segment: &mut HashMap<usize, Bdd>,
) -> Bdd {
    let topo = cx.topo;
    let mut all = FALSE;
    for i in &topo.hosts[h].interfaces {
        let Some(&s) = index.positions.get(i.segment.value.as_str()) else {
            continue;
        };
        let on_segment = match per_segment.get(&s) {
            Some(&b) => b,
            None => {
                let present = cx.reach.present(crate::graph::Net::Segment(s));
                let b = cx.reach.space.m.and(present, filter);
                per_segment.insert(s, b);
                b
            }
        };
        if on_segment == FALSE {
            continue;
        }
        let dst = cx.reach.space.dst(&[i.ip.value]);
        let here = cx.reach.space.m.and(on_segment, dst);
        all = cx.reach.space.m.or(all, here);
    }
    all
}

/// Whether any packet of `from` (a set over source addresses, say) is delivered into the
/// index's tier; segment by segment, so no union of large sets is built.
pub fn reaches_tier(cx: &mut Context<'_>, index: &TierIndex<'_>, from: Bdd) -> bool {
    let topo = cx.topo;
    let mut positions: Vec<usize> = index.positions.values().copied().collect();
    positions.sort();
    for s in positions {
        let dst = cx
            .reach
            .space
            .dst(&[AddrRange::from_net(*topo.segments[s].cidr)]);
        let wanted = cx.reach.space.m.and(dst, from);
        let present = cx.reach.present(crate::graph::Net::Segment(s));
        if cx.reach.space.m.and(present, wanted) != FALSE {
            return true;
        }
    }
    false
}

/// Every packet delivered into a tier's segments (to any address there), from anywhere.
pub fn delivered_to_tier(cx: &mut Context<'_>, tier: Tier) -> Bdd {
    let topo = cx.topo;
    let zones: HashSet<&str> = topo
        .zones
        .iter()
        .filter(|z| z.tier == tier)
        .map(|z| z.id.as_str())
        .collect();
    let mut all = FALSE;
    for (i, s) in topo.segments.iter().enumerate() {
        if !zones.contains(s.zone.value.as_str()) {
            continue;
        }
        let present = cx.reach.present(crate::graph::Net::Segment(i));
        let dst = cx.reach.space.dst(&[AddrRange::from_net(*s.cidr)]);
        let here = cx.reach.space.m.and(present, dst);
        all = cx.reach.space.m.or(all, here);
    }
    all
}

/// The subject of a packet pair: `from->to`.
pub fn pair_subject(cx: &Context<'_>, p: &Pair) -> String {
    crate::analysis::names::pair_subject(cx.topo, p)
}

/// Where a pair is written: its host end (the `prefer` end first).
pub fn pair_loc(cx: &Context<'_>, p: &Pair, prefer_to: bool) -> Option<crate::source::Loc> {
    let topo = cx.topo;
    let loc = |e: Endpoint| Some(e.loc(topo));
    let host = |e: Endpoint| matches!(e, Endpoint::Host(_));
    let (a, b) = if prefer_to {
        (p.to, p.from)
    } else {
        (p.from, p.to)
    };
    if host(a) || !host(b) { loc(a) } else { loc(b) }
}

/// Host id → index, for flows and stores that name hosts.
pub fn host_map(topo: &Topology) -> HashMap<&str, usize> {
    topo.hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id.as_str(), i))
        .collect()
}
