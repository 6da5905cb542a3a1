//! What belongs to one tier (its addresses, segments, hosts, stores, kinds and data classes),
//! whether a selector names it, and which firewall rules can let traffic across its boundary.

use super::selectors::rule_addresses;
use crate::model::ids::{IdMap, IdSet};
use crate::model::ranges::{intersects, normalize};
use crate::model::*;
use crate::rules::Context;
use std::collections::HashSet;

/// The segments of a tier's zones, with their index in `Topology::segments`.
pub fn tier_segments(topo: &Topology, tier: Tier) -> impl Iterator<Item = (usize, &Segment)> {
    let zones: HashSet<&str> = topo
        .zones
        .iter()
        .filter(|z| z.tier == tier)
        .map(|z| z.id.as_str())
        .collect();
    topo.segments
        .iter()
        .enumerate()
        .filter(move |(_, s)| zones.contains(s.zone.value.as_str()))
}

/// The addresses of a tier's segments.
pub fn tier_addresses(topo: &Topology, tier: Tier) -> Vec<AddrRange> {
    normalize(
        tier_segments(topo, tier)
            .map(|(_, s)| AddrRange::from_net(*s.cidr))
            .collect(),
    )
}

/// What in a topology belongs to one tier, for deciding whether a selector names it.
pub struct TierIndex<'t> {
    pub tier: Tier,
    pub addresses: Vec<AddrRange>,
    segments: IdSet<&'t str>,
    /// The tier's segments by id: their index in `Topology::segments`.
    pub(super) positions: IdMap<&'t str, usize>,
    zones: IdSet<&'t str>,
    hosts: IdSet<&'t str>,
    stores: IdSet<&'t str>,
    kinds: HashSet<HostKind>,
    data: HashSet<DataClass>,
}

impl<'t> TierIndex<'t> {
    pub fn new(places: &Places<'t>, tier: Tier) -> TierIndex<'t> {
        let topo = places.topo;
        let zones: IdSet<&str> = topo
            .zones
            .iter()
            .filter(|z| z.tier == tier)
            .map(|z| z.id.as_str())
            .collect();
        let positions: IdMap<&str, usize> = (0..topo.segments.len())
            .filter(|&i| places.segment_tier[i] == Some(tier))
            .map(|i| (topo.segments[i].id.as_str(), i))
            .collect();
        let segments: IdSet<&str> = positions.keys().copied().collect();
        let in_tier: Vec<&Host> = topo
            .hosts
            .iter()
            .enumerate()
            .filter(|(h, _)| places.host_in(*h, tier))
            .map(|(_, h)| h)
            .collect();
        let hosts: IdSet<&str> = in_tier.iter().map(|h| h.id.as_str()).collect();
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

/// Which rules of firewall `fw` can allow traffic between one tier and the rest, with their
/// subjects (`FW/N` for the policy list, `FW/IFACE-DIRECTION/N` for interface filters, N from
/// 1): allow rules of a firewall that joins the tier to something else, and allow rules of
/// another firewall that name the tier's things. A firewall with every interface inside the
/// tier only moves packets within it.
pub fn rules_touching<'t>(fw: &'t Firewall, index: &TierIndex<'_>) -> Vec<(String, &'t Rule)> {
    let mut out = Vec::new();
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
        return out;
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

/// The rules of firewall `f` that can let traffic across the boundary of `index`'s tier, with
/// their addresses.
pub fn boundary_rules<'t>(
    cx: &Context<'t>,
    index: &TierIndex<'_>,
    f: usize,
) -> Vec<BoundaryRule<'t>> {
    rules_touching(&cx.topo.firewalls[f], index)
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
        .collect()
}
