//! Which addresses a selector stands for, and the home of every address.
//!
//! Every address has one home (DESIGN.md 6.1): the segment whose prefix holds it, else the
//! external network(s) whose matching prefix is the most specific, as routing would send it.
//! An external's prefixes never stand for the organisation's own segments, so nothing from the
//! internet can pose as an inside address.

use crate::model::ranges::{normalize, subtract};
use crate::model::*;
use std::collections::BTreeMap;

/// Address sets of the things selectors name, computed once per topology.
pub struct Addresses<'t> {
    topo: &'t Topology,
    /// Addresses whose home is each external, by external index.
    pub external_home: Vec<Vec<AddrRange>>,
    /// Every segment's prefix, normalized.
    pub inside: Vec<AddrRange>,
    host_by_id: BTreeMap<&'t str, usize>,
}

impl<'t> Addresses<'t> {
    pub fn new(topo: &'t Topology) -> Addresses<'t> {
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
        let external_home = (0..topo.externals.len())
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
        let host_by_id = topo
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();
        Addresses {
            topo,
            external_home,
            inside,
            host_by_id,
        }
    }

    pub fn host(&self, id: &str) -> Option<&'t Host> {
        self.host_by_id.get(id).map(|&i| &self.topo.hosts[i])
    }

    /// All addresses of a host (every interface).
    pub fn host_addresses(&self, h: &Host) -> Vec<AddrRange> {
        normalize(h.interfaces.iter().map(|i| i.ip.value).collect())
    }

    fn hosts_where(&self, keep: impl Fn(&Host) -> bool) -> Vec<AddrRange> {
        normalize(
            self.topo
                .hosts
                .iter()
                .filter(|h| keep(h))
                .flat_map(|h| h.interfaces.iter().map(|i| i.ip.value))
                .collect(),
        )
    }

    /// The addresses of the hosts of the stores `keep` selects.
    fn store_hosts(&self, keep: impl Fn(&Store) -> bool) -> Vec<AddrRange> {
        normalize(
            self.topo
                .stores
                .iter()
                .filter(|s| keep(s))
                .filter_map(|s| self.host(&s.host))
                .flat_map(|h| h.interfaces.iter().map(|i| i.ip.value))
                .collect(),
        )
    }

    fn segments_where(&self, keep: impl Fn(&Segment) -> bool) -> Vec<AddrRange> {
        normalize(
            self.topo
                .segments
                .iter()
                .filter(|s| keep(s))
                .map(|s| AddrRange::from_net(*s.cidr))
                .collect(),
        )
    }

    fn zone_tier(&self, zone: &str) -> Option<Tier> {
        self.topo.zone(zone).map(|z| z.tier)
    }

    /// The addresses a selector stands for in a firewall rule. Channels stand for no address.
    pub fn of_selector(&self, sel: &Selector) -> Vec<AddrRange> {
        let topo = self.topo;
        match sel {
            Selector::Any => vec![AddrRange::ALL],
            Selector::Addr(r) => vec![*r],
            Selector::Zone(z) => self.segments_where(|s| s.zone.value == *z),
            Selector::Tier(t) => self.segments_where(|s| self.zone_tier(&s.zone) == Some(*t)),
            Selector::Segment(id) => self.segments_where(|s| s.id == *id),
            Selector::Host(id) => self
                .host(id)
                .map(|h| self.host_addresses(h))
                .unwrap_or_default(),
            Selector::Kind(k) => self.hosts_where(|h| h.kind == *k),
            Selector::Store(id) => self.store_hosts(|s| s.id == *id),
            Selector::Data(d) => self.store_hosts(|s| s.data.contains(d)),
            Selector::External(id) => topo
                .externals
                .iter()
                .position(|e| e.id == *id)
                .map(|i| self.external_home[i].clone())
                .unwrap_or_default(),
            Selector::Channel(_) => Vec::new(),
        }
    }

    /// The union of several selectors' addresses.
    pub fn of_selectors<'s>(&self, sels: impl IntoIterator<Item = &'s Selector>) -> Vec<AddrRange> {
        normalize(sels.into_iter().flat_map(|s| self.of_selector(s)).collect())
    }
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
