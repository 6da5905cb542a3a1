//! Routing tables: which destinations a firewall sends out through each interface.
//!
//! A firewall with `[[firewall.route]]` entries forwards a packet only along its table:
//! the longest prefix that holds the destination wins (static routes and the connected routes
//! of its own segments together); routes of equal length share the traffic (ECMP); a discard
//! route drops it; no match drops it too. A firewall without a table keeps the
//! any-allowed-path assumption (its connected routes aside), and answers say so.

use crate::model::ranges::{normalize, subtract};
use crate::model::{AddrRange, Attachment, Firewall, Topology};
use ipnet::Ipv4Net;

/// Where a route came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// A segment the firewall has an interface on.
    Connected,
    /// The firewall's route at this index of `Firewall::routes`.
    Static(usize),
}

/// One entry of the table: a prefix and the interface it leaves through (`None`: discard).
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub prefix: Ipv4Net,
    pub interface: Option<usize>,
    pub kind: RouteKind,
}

/// A firewall's routing table, resolved.
#[derive(Clone, Debug)]
pub struct RoutingTable {
    pub entries: Vec<Entry>,
    /// Per interface (by index): the destinations the table sends out through it.
    pub out: Vec<Vec<AddrRange>>,
}

impl RoutingTable {
    /// The table of firewall `fw`; `None` when it has no `[[firewall.route]]`.
    pub fn of(topo: &Topology, fw: &Firewall) -> Option<RoutingTable> {
        if fw.routes.is_empty() {
            return None;
        }
        let mut entries = Vec::new();
        for (i, iface) in fw.interfaces.iter().enumerate() {
            if let Attachment::Segment(s) = &iface.attachment.value
                && let Some(seg) = topo.segment(s)
            {
                entries.push(Entry {
                    prefix: *seg.cidr,
                    interface: Some(i),
                    kind: RouteKind::Connected,
                });
            }
        }
        for (k, r) in fw.routes.iter().enumerate() {
            let interface = topo.route_interface(fw, r);
            // A route whose way out does not resolve is a load error; should one reach here,
            // it drops like a discard (no path is invented through an unknown interface).
            entries.push(Entry {
                prefix: r.destination.value.trunc(),
                interface,
                kind: RouteKind::Static(k),
            });
        }
        let mut table = RoutingTable {
            entries,
            out: vec![Vec::new(); fw.interfaces.len()],
        };
        let mut out = vec![Vec::new(); fw.interfaces.len()];
        for (k, e) in table.entries.iter().enumerate() {
            if let Some(i) = e.interface {
                out[i].extend(table.won(k));
            }
        }
        table.out = out.into_iter().map(normalize).collect();
        Some(table)
    }

    /// The destinations entry `k` wins: what its prefix holds that no longer prefix of the
    /// table takes (an equal prefix shares them).
    pub fn won(&self, k: usize) -> Vec<AddrRange> {
        let e = &self.entries[k];
        let longer: Vec<AddrRange> = self
            .entries
            .iter()
            .filter(|o| {
                o.prefix.prefix_len() > e.prefix.prefix_len() && e.prefix.contains(&o.prefix)
            })
            .map(|o| AddrRange::from_net(o.prefix))
            .collect();
        subtract(&[AddrRange::from_net(e.prefix)], &normalize(longer))
    }

    /// The destinations no entry holds: the table has no route for them.
    pub fn unrouted(&self) -> Vec<AddrRange> {
        let all = [AddrRange {
            first: 0,
            last: u32::MAX,
        }];
        let held: Vec<AddrRange> = self
            .entries
            .iter()
            .map(|e| AddrRange::from_net(e.prefix))
            .collect();
        subtract(&all, &normalize(held))
    }

    /// The entries the longest-prefix match picks for a destination (several on a tie).
    pub fn lookup(&self, dst: u32) -> Vec<&Entry> {
        self.lookup_indices(dst).map(|k| &self.entries[k]).collect()
    }

    /// The positions in `entries` of the routes [`lookup`](Self::lookup) picks.
    pub fn lookup_indices(&self, dst: u32) -> impl Iterator<Item = usize> + '_ {
        let ip = std::net::Ipv4Addr::from(dst);
        let best = self
            .entries
            .iter()
            .filter(|e| e.prefix.contains(&ip))
            .map(|e| e.prefix.prefix_len())
            .max();
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.prefix.contains(&ip) && Some(e.prefix.prefix_len()) == best)
            .map(|(k, _)| k)
    }

    /// The route a packet for `dst` leaving through interface `b` follows, if the table sends
    /// it there.
    pub fn route_out(&self, dst: u32, b: usize) -> Option<RouteKind> {
        self.lookup(dst)
            .into_iter()
            .find(|e| e.interface == Some(b))
            .map(|e| e.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Syntax, decode_topology};
    use crate::source::SourceMap;

    #[test]
    fn the_longest_prefix_wins_and_discard_drops() {
        let text = r#"format = 1
[[zone]]
id = "z"
tier = "lgwan"
[[segment]]
id = "a"
zone = "z"
cidr = "10.0.0.0/24"
[[segment]]
id = "b"
zone = "z"
cidr = "10.0.1.0/24"
[[firewall]]
id = "r"
interfaces = [{ name = "p0", segment = "a" }, { name = "p1", segment = "b", ip = "10.0.1.1" }]
default = "allow"
[[firewall.route]]
destination = "172.16.0.0/12"
next_hop = "10.0.1.254"
[[firewall.route]]
destination = "172.16.5.0/24"
interface = "p0"
[[firewall.route]]
destination = "172.16.9.0/24"
discard = true
"#;
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", text);
        let mut diags = crate::diag::Diagnostics::default();
        let t = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        let table = RoutingTable::of(&t, &t.firewalls[0]).unwrap();
        let ip = |s: &str| u32::from(s.parse::<std::net::Ipv4Addr>().unwrap());
        assert_eq!(
            table.route_out(ip("172.16.1.1"), 1),
            Some(RouteKind::Static(0))
        );
        assert_eq!(
            table.route_out(ip("172.16.5.1"), 0),
            Some(RouteKind::Static(1))
        );
        assert_eq!(table.route_out(ip("172.16.5.1"), 1), None);
        assert_eq!(table.route_out(ip("172.16.9.1"), 1), None, "discarded");
        assert_eq!(table.route_out(ip("8.8.8.8"), 1), None, "no route");
        assert_eq!(
            table.route_out(ip("10.0.0.7"), 0),
            Some(RouteKind::Connected)
        );
        let p1: Vec<String> = table.out[1].iter().map(|r| r.to_string()).collect();
        assert_eq!(
            p1,
            [
                "10.0.1.0/24",
                "172.16.0.0-172.16.4.255",
                "172.16.6.0-172.16.8.255",
                "172.16.10.0-172.31.255.255"
            ]
        );
    }
}
