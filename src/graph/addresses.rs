//! Which addresses a selector stands for, and the home of every address.
//!
//! Every address has one home: the segment whose prefix holds it, else the
//! external network(s) whose matching prefix is the most specific, as routing would send it.
//! An external's prefixes never stand for the organisation's own segments, so nothing from the
//! internet can pose as an inside address.

use crate::model::ids::IdMap;
use crate::model::ranges::{normalize, overlaps_any, subtract};
use crate::model::*;

/// Address sets of the things selectors name, computed once per topology.
///
/// Every selector kind is answered from an index built here (a map from id, zone, tier, kind
/// or data class to its normalized addresses), not by scanning the topology: the compile asks
/// once per selector of every firewall rule (10⁵ rules at tier L), and so do several rules.
#[derive(Clone)]
pub struct Addresses<'t> {
    topo: &'t Topology,
    /// Addresses whose home is each external, by external index.
    pub external_home: Vec<Vec<AddrRange>>,
    /// Every segment's prefix, normalized.
    pub inside: Vec<AddrRange>,
    /// Per external: its origin tag when its home ties with another external's (both list the
    /// same prefix), else `None`. A packet from a tied external carries the tag, so it is
    /// never taken for a packet of the other (see `analysis::space::ORIGIN`).
    pub external_tag: Vec<Option<u8>>,
    /// Per segment: the addresses no declared host or gateway uses and that are not a
    /// firewall's own interface address. An undeclared device may sit at any of them.
    pub undeclared: Vec<Vec<AddrRange>>,
    host_by_id: IdMap<&'t str, usize>,
    /// External index by id (the first, should ids repeat).
    external_by_id: IdMap<&'t str, usize>,
    /// Normalized addresses per segment id, zone id, tier, host kind, store id and data class.
    /// A repeated id (an error the loader reports) unions its things, as a scan would.
    segments: IdMap<&'t str, Vec<AddrRange>>,
    zones: IdMap<&'t str, Vec<AddrRange>>,
    tiers: IdMap<Tier, Vec<AddrRange>>,
    kinds: IdMap<HostKind, Vec<AddrRange>>,
    stores: IdMap<&'t str, Vec<AddrRange>>,
    data: IdMap<DataClass, Vec<AddrRange>>,
}

/// Groups addresses by key and normalizes each group.
fn grouped<K: std::hash::Hash + Eq>(
    items: impl IntoIterator<Item = (K, AddrRange)>,
) -> IdMap<K, Vec<AddrRange>> {
    let mut map: IdMap<K, Vec<AddrRange>> = IdMap::default();
    for (k, r) in items {
        map.entry(k).or_default().push(r);
    }
    for v in map.values_mut() {
        *v = normalize(std::mem::take(v));
    }
    map
}

impl<'t> Addresses<'t> {
    pub fn new(topo: &'t Topology) -> Addresses<'t> {
        Addresses::with_places(&Places::of(topo))
    }

    /// The addresses of `places`' topology, each segment's tier taken from there.
    pub fn with_places(places: &Places<'t>) -> Addresses<'t> {
        let topo = places.topo;
        let inside = normalize(
            topo.segments
                .iter()
                .map(|s| AddrRange::from_net(*s.cidr))
                .collect(),
        );
        let prefixes: Vec<(usize, ipnet::Ipv4Net)> = topo
            .externals
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.cidrs.iter().map(move |c| (i, c.value)))
            .collect();
        let external_home: Vec<Vec<AddrRange>> = (0..topo.externals.len())
            .map(|i| {
                let mut home = Vec::new();
                for (_, p) in prefixes.iter().filter(|(owner, _)| *owner == i) {
                    // Any more specific prefix inside p (of any external) takes those addresses.
                    let specific: Vec<AddrRange> = prefixes
                        .iter()
                        .filter(|(_, q)| q.prefix_len() > p.prefix_len() && p.contains(q))
                        .map(|(_, q)| AddrRange::from_net(*q))
                        .collect();
                    let own = subtract(&[AddrRange::from_net(*p)], &normalize(specific));
                    home.extend(own);
                }
                subtract(&normalize(home), &inside)
            })
            .collect();
        let external_tag = tie_tags(&external_home);
        let undeclared = undeclared_addresses(places);
        let mut host_by_id = IdMap::with_capacity_and_hasher(topo.hosts.len(), Default::default());
        for (i, h) in topo.hosts.iter().enumerate() {
            // The first host of an id, as a search from the start would find.
            host_by_id.entry(h.id.as_str()).or_insert(i);
        }
        let mut external_by_id = IdMap::default();
        for (i, e) in topo.externals.iter().enumerate() {
            external_by_id.entry(e.id.as_str()).or_insert(i);
        }
        let prefix = |s: &Segment| AddrRange::from_net(*s.cidr);
        let segments = grouped(topo.segments.iter().map(|s| (s.id.as_str(), prefix(s))));
        let zones = grouped(
            topo.segments
                .iter()
                .map(|s| (s.zone.value.as_str(), prefix(s))),
        );
        let tiers = grouped(
            topo.segments
                .iter()
                .zip(&places.segment_tier)
                .filter_map(|(s, t)| t.map(|t| (t, prefix(s)))),
        );
        let host_ips = |h: &'t Host| h.interfaces.iter().map(|i| i.ip.value);
        let kinds = grouped(
            topo.hosts
                .iter()
                .flat_map(|h| host_ips(h).map(move |r| (h.kind, r))),
        );
        let store_host = |s: &'t Store| host_by_id.get(s.host.as_str()).map(|&i| &topo.hosts[i]);
        let stores = grouped(topo.stores.iter().flat_map(|s| {
            store_host(s)
                .into_iter()
                .flat_map(host_ips)
                .map(move |r| (s.id.as_str(), r))
        }));
        let data = grouped(topo.stores.iter().flat_map(|s| {
            let ips: Vec<AddrRange> = store_host(s).into_iter().flat_map(host_ips).collect();
            s.data
                .iter()
                .flat_map(move |d| ips.clone().into_iter().map(move |r| (*d, r)))
        }));
        Addresses {
            topo,
            external_home,
            inside,
            external_tag,
            undeclared,
            host_by_id,
            external_by_id,
            segments,
            zones,
            tiers,
            kinds,
            stores,
            data,
        }
    }

    pub fn host(&self, id: &str) -> Option<&'t Host> {
        self.host_by_id.get(id).map(|&i| &self.topo.hosts[i])
    }

    /// All addresses of a gateway (every interface).
    pub fn gateway_addresses(&self, g: &Gateway) -> Vec<AddrRange> {
        normalize(g.interfaces.iter().map(|i| i.ip.value).collect())
    }

    /// All addresses of a host (every interface).
    pub fn host_addresses(&self, h: &Host) -> Vec<AddrRange> {
        normalize(h.interfaces.iter().map(|i| i.ip.value).collect())
    }

    /// The addresses a selector stands for in a firewall rule, normalized. Channels stand for
    /// no address.
    pub fn of_selector(&self, sel: &Selector) -> Vec<AddrRange> {
        let known = |set: Option<&Vec<AddrRange>>| set.cloned().unwrap_or_default();
        match sel {
            Selector::Any => vec![AddrRange::ALL],
            Selector::Addr(r) => vec![*r],
            Selector::Zone(z) => known(self.zones.get(z.as_str())),
            Selector::Tier(t) => known(self.tiers.get(t)),
            Selector::Segment(id) => known(self.segments.get(id.as_str())),
            Selector::Host(id) => self
                .host(id)
                .map(|h| self.host_addresses(h))
                .unwrap_or_default(),
            Selector::Kind(k) => known(self.kinds.get(k)),
            Selector::Store(id) => known(self.stores.get(id.as_str())),
            Selector::Data(d) => known(self.data.get(d)),
            Selector::External(id) => self
                .external_by_id
                .get(id.as_str())
                .map(|&i| self.external_home[i].clone())
                .unwrap_or_default(),
            Selector::Channel(_) => Vec::new(),
        }
    }

    /// Whether a selector stands for one address: [`of_selector`](Self::of_selector)`(sel)`
    /// contains `addr`, answered without building the set (witnesses ask it of every rule a
    /// packet meets on its path).
    pub fn selector_contains(&self, sel: &Selector, addr: u32) -> bool {
        let one = AddrRange {
            first: addr,
            last: addr,
        };
        let within = |set: Option<&Vec<AddrRange>>| set.is_some_and(|s| overlaps_any(s, &one));
        match sel {
            Selector::Any => true,
            Selector::Addr(r) => r.contains_addr(addr),
            Selector::Zone(z) => within(self.zones.get(z.as_str())),
            Selector::Tier(t) => within(self.tiers.get(t)),
            Selector::Segment(id) => within(self.segments.get(id.as_str())),
            Selector::Host(id) => self
                .host(id)
                .is_some_and(|h| h.interfaces.iter().any(|i| i.ip.contains_addr(addr))),
            Selector::Kind(k) => within(self.kinds.get(k)),
            Selector::Store(id) => within(self.stores.get(id.as_str())),
            Selector::Data(d) => within(self.data.get(d)),
            Selector::External(id) => within(
                self.external_by_id
                    .get(id.as_str())
                    .map(|&i| &self.external_home[i]),
            ),
            Selector::Channel(_) => false,
        }
    }

    /// The union of several selectors' addresses.
    pub fn of_selectors<'s>(&self, sels: impl IntoIterator<Item = &'s Selector>) -> Vec<AddrRange> {
        let mut sels = sels.into_iter();
        let Some(first) = sels.next() else {
            return Vec::new();
        };
        let mut all = self.of_selector(first);
        let mut several = false;
        for s in sels {
            all.extend(self.of_selector(s));
            several = true;
        }
        // One selector's addresses are normalized already.
        if several { normalize(all) } else { all }
    }
}

/// Origin tags for externals whose homes overlap (ties: the same prefix listed by both), 1 and
/// up in external order; `None` for externals whose home is theirs alone. Beyond 255 tied
/// externals tags repeat, which can only merge packets of two of them (more reachability,
/// never less).
fn tie_tags(homes: &[Vec<AddrRange>]) -> Vec<Option<u8>> {
    let mut next = 0usize;
    (0..homes.len())
        .map(|i| {
            let tied = (0..homes.len())
                .any(|j| j != i && crate::model::ranges::intersects(&homes[i], &homes[j]));
            tied.then(|| {
                next += 1;
                ((next - 1) % 255 + 1) as u8
            })
        })
        .collect()
}

/// Per segment, its addresses minus those of declared hosts and gateways on it and of the
/// firewall interfaces on it.
fn undeclared_addresses(places: &Places<'_>) -> Vec<Vec<AddrRange>> {
    let topo = places.topo;
    let mut used: Vec<Vec<AddrRange>> = vec![Vec::new(); topo.segments.len()];
    let one = |ip: std::net::Ipv4Addr| AddrRange {
        first: u32::from(ip),
        last: u32::from(ip),
    };
    for h in &topo.hosts {
        for i in &h.interfaces {
            if let Some(s) = places.segment(&i.segment) {
                used[s].push(i.ip.value);
            }
        }
    }
    for g in &topo.gateways {
        for i in &g.interfaces {
            if let Some(s) = places.segment(&i.segment) {
                used[s].push(i.ip.value);
            }
        }
    }
    for f in &topo.firewalls {
        for i in &f.interfaces {
            if let (Attachment::Segment(seg), Some(ip)) = (&i.attachment.value, &i.ip)
                && let Some(s) = places.segment(seg)
            {
                used[s].push(one(ip.value));
            }
        }
    }
    topo.segments
        .iter()
        .zip(used)
        .map(|(s, used)| subtract(&[AddrRange::from_net(*s.cidr)], &normalize(used)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Syntax, decode_topology};
    use crate::source::SourceMap;

    fn topo(text: &str) -> Topology {
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", text);
        let mut diags = crate::diag::Diagnostics::default();
        let t = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags);
        t
    }

    #[test]
    fn externals_own_their_most_specific_addresses_outside_the_organisation() {
        let t = topo(
            r#"format = 1
[[zone]]
id = "z"
tier = "lgwan"
[[segment]]
id = "s"
zone = "z"
cidr = "10.0.0.0/8"
[[external]]
id = "internet"
kind = "internet"
[[external]]
id = "lgwan"
kind = "lgwan"
cidrs = ["172.16.0.0/12"]
"#,
        );
        let a = Addresses::new(&t);
        let lgwan = AddrRange::parse("172.16.0.0/12").unwrap();
        let inside = AddrRange::parse("10.0.0.0/8").unwrap();
        assert_eq!(a.external_home[1], vec![lgwan]);
        let internet = &a.external_home[0];
        assert!(!crate::model::ranges::intersects(internet, &[lgwan]));
        assert!(!crate::model::ranges::intersects(internet, &[inside]));
        let total: u64 = internet.iter().map(|r| r.size()).sum();
        assert_eq!(total, (1u64 << 32) - lgwan.size() - inside.size());
    }
}
