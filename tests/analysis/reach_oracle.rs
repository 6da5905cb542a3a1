//! The symbolic reachability analysis checked against a brute-force packet simulator.
//!
//! `Reachability` answers "which packets get where" for the whole header space at once, with
//! BDDs. Here an oracle written from docs/SEMANTICS.md alone follows one concrete packet at a time
//! through the networks (breadth first; the packet changes only where a firewall translates it,
//! and a pool gives each of its addresses), evaluating every rule list and NAT entry by hand. The two must agree on every packet we try: whether it is delivered to each
//! endpoint (host or external), and whether it gets onto each network at all.
//!
//! The oracle deliberately shares no code with the analyzer: it reads only the loaded model
//! (`Topology` and the values in it) and decides addresses, selectors, services, rule lists,
//! connected routes and delivery itself. If both were built on the same helper, a bug in the
//! helper would agree with itself.
//!
//! Packets are chosen at the boundaries where an off-by-one would show: the first and last
//! address of every prefix and range the topology mentions and their neighbours outside, and
//! the ports at both ends of every rule's port range and just beyond.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sansou::analysis::reach::{Endpoint, Reachability};
use sansou::analysis::space::{Flow, ORIGIN};
use sansou::diag::{Diagnostics, render_all};
use sansou::graph::Net as AnalyzerNet;
use sansou::load::{Syntax, decode_topology};
use sansou::model::{
    Action, Attachment, Direction, ExternalId, GatewayId, HostId, Rule, SegmentId, Selector,
    Service, Topology,
};
use sansou::source::SourceMap;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMP: u8 = 1;
const GRE: u8 = 47;

/// Packets compared per generated topology (sampled when the boundary combinations are more).
const PACKETS_PER_CASE: usize = 4000;
/// Of those, how many also go through the public one-flow query `Reachability::delivers`
/// (slower: it rebuilds the delivered set on every call).
const DELIVERS_CHECKS: usize = 8;
/// Packets per case checked against the `paths` answers of several selector pairs.
const PAIR_FLOWS: usize = 400;
/// Packets per case whose witnesses (paths and the rules named on them) are checked too.
const WITNESS_CHECKS: usize = 24;

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// Loads topology text, failing on any load error: a generated topology must be valid, or the
/// test would be comparing two answers to a question the product refuses to answer.
pub(super) fn load(text: &str) -> Result<Topology, String> {
    let mut sources = SourceMap::default();
    let file = sources.add("oracle.toml", text);
    let mut diags = Diagnostics::default();
    let topo = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
    if diags.has_errors() {
        return Err(format!(
            "the topology does not load:\n{}\n--- topology ---\n{text}",
            render_all(&sources, &diags)
        ));
    }
    Ok(topo)
}

// ---------------------------------------------------------------------------------------------
// The oracle: one packet at a time
// ---------------------------------------------------------------------------------------------

/// A network a packet can be on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Net {
    Segment(usize),
    External(usize),
}

/// An inclusive address interval, the oracle's own (not the model's `AddrRange` helpers).
fn prefix_span(net: &ipnet::Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

fn within(addr: u32, (first, last): (u32, u32)) -> bool {
    first <= addr && addr <= last
}

pub(super) struct Oracle<'t> {
    pub(super) topo: &'t Topology,
    /// For each firewall, the network each of its interfaces is attached to.
    pub(super) wiring: Vec<Vec<Net>>,
}

/// A packet with the homes of its addresses, worked out once (selectors and delivery ask often).
pub(super) struct Packet {
    pub(super) flow: Flow,
    src_home: Vec<Net>,
    dst_home: Vec<Net>,
}

/// Where one packet got: the networks it is present on, and the networks some firewall
/// forwarded it into (delivery into an external needs at least one hop), with the header it
/// has there (translations change it).
pub(super) struct Trace {
    pub(super) packet: Packet,
    pub(super) reached: Vec<bool>,
    arrived: Vec<bool>,
    /// (network, header) of every place the packet got to, starts included.
    states: Vec<(Net, Flow)>,
    /// (network, header) of every forwarding into a network.
    arrivals: Vec<(Net, Flow)>,
}

impl<'t> Oracle<'t> {
    pub(super) fn new(topo: &'t Topology) -> Oracle<'t> {
        let wiring = topo
            .firewalls
            .iter()
            .map(|fw| {
                fw.interfaces
                    .iter()
                    .map(|i| match &i.attachment.value {
                        Attachment::Segment(id) => Net::Segment(
                            topo.segments
                                .iter()
                                .position(|s| s.id == *id)
                                .expect("a loaded topology's references resolve"),
                        ),
                        Attachment::External(id) => Net::External(
                            topo.externals
                                .iter()
                                .position(|e| e.id == *id)
                                .expect("a loaded topology's references resolve"),
                        ),
                    })
                    .collect()
            })
            .collect();
        Oracle { topo, wiring }
    }

    pub(super) fn slot(&self, net: Net) -> usize {
        match net {
            Net::Segment(s) => s,
            Net::External(x) => self.topo.segments.len() + x,
        }
    }

    fn net_count(&self) -> usize {
        self.topo.segments.len() + self.topo.externals.len()
    }

    fn net_name(&self, net: Net) -> &str {
        match net {
            Net::Segment(s) => &self.topo.segments[s].id,
            Net::External(x) => &self.topo.externals[x].id,
        }
    }

    pub(super) fn packet(&self, flow: Flow) -> Packet {
        Packet {
            flow,
            src_home: self.home(flow.src),
            dst_home: self.home(flow.dst),
        }
    }

    /// Whether interface `i` of firewall `f` has this name.
    fn named(&self, f: usize, i: usize, name: &str) -> bool {
        self.topo.firewalls[f].interfaces[i].name.as_deref() == Some(name)
    }

    fn any_selects(&self, sels: &[sansou::model::At<Selector>], addr: u32) -> bool {
        let home = self.home(addr);
        sels.iter().any(|s| self.selects(&s.value, addr, &home))
    }

    /// `addr` moved into `to` keeping the bits below its prefix length.
    fn mapped(addr: u32, to: &ipnet::Ipv4Net) -> u32 {
        let host = if to.prefix_len() == 0 {
            u32::MAX
        } else {
            (1u32 << (32 - u32::from(to.prefix_len()))).wrapping_sub(1)
        };
        (u32::from(to.network()) & !host) | (addr & host)
    }

    /// Destination NAT on a packet entering firewall `f` through `a`: the first destination or
    /// static entry there that matches rewrites it; `None` when none does and a source-side
    /// entry on `a` hides the destination (an unsolicited connection).
    fn nat_in(&self, f: usize, a: usize, flow: Flow) -> Option<Flow> {
        use sansou::model::Translation;
        let fw = &self.topo.firewalls[f];
        for nat in &fw.nat {
            match &nat.translation {
                Translation::Destination {
                    interface,
                    from,
                    destination,
                    service,
                    translated,
                    port,
                } if interface
                    .as_ref()
                    .is_none_or(|i| self.named(f, a, &i.value))
                    && self.any_selects(from, flow.src)
                    && within(flow.dst, prefix_span(&destination.value))
                    && Self::serves(&service.value, flow) =>
                {
                    return Some(Flow {
                        dst: if translated.value.prefix_len() == 32 {
                            u32::from(translated.value.addr())
                        } else {
                            Self::mapped(flow.dst, &translated.value)
                        },
                        port: port.as_ref().map_or(flow.port, |p| p.value),
                        ..flow
                    });
                }
                Translation::Static {
                    interface,
                    inside,
                    outside,
                } if self.named(f, a, &interface.value)
                    && within(flow.dst, prefix_span(&outside.value)) =>
                {
                    return Some(Flow {
                        dst: Self::mapped(flow.dst, &inside.value),
                        ..flow
                    });
                }
                _ => {}
            }
        }
        let hidden = fw
            .nat
            .iter()
            .filter(|nat| nat.hides)
            .any(|nat| match &nat.translation {
                Translation::Source {
                    interface, from, ..
                } => self.named(f, a, &interface.value) && self.any_selects(from, flow.dst),
                Translation::Static {
                    interface, inside, ..
                } => {
                    self.named(f, a, &interface.value)
                        && within(flow.dst, prefix_span(&inside.value))
                }
                Translation::Destination { .. } => false,
            });
        (!hidden).then_some(flow)
    }

    /// Source NAT on a packet leaving firewall `f` through `b`: every header it may leave with
    /// (a pool gives any of its addresses).
    fn nat_out(&self, f: usize, b: usize, flow: Flow) -> Vec<Flow> {
        use sansou::model::{SourceAddress, Translation};
        let fw = &self.topo.firewalls[f];
        for nat in &fw.nat {
            match &nat.translation {
                Translation::Source {
                    interface,
                    from,
                    to,
                    service,
                    to_source,
                } if self.named(f, b, &interface.value)
                    && self.any_selects(from, flow.src)
                    && self.any_selects(to, flow.dst)
                    && Self::serves(&service.value, flow) =>
                {
                    let sources: Vec<u32> = match to_source {
                        SourceAddress::Address(a) => vec![u32::from(a.value)],
                        SourceAddress::Pool(pool) => pool
                            .iter()
                            .flat_map(|r| r.value.first..=r.value.last)
                            .collect(),
                        SourceAddress::Masquerade(_) => fw.interfaces[b]
                            .ip
                            .iter()
                            .map(|ip| u32::from(ip.value))
                            .collect(),
                    };
                    return sources
                        .into_iter()
                        .map(|src| Flow { src, ..flow })
                        .collect();
                }
                Translation::Static {
                    interface,
                    inside,
                    outside,
                } if self.named(f, b, &interface.value)
                    && within(flow.src, prefix_span(&inside.value)) =>
                {
                    return vec![Flow {
                        src: Self::mapped(flow.src, &outside.value),
                        ..flow
                    }];
                }
                _ => {}
            }
        }
        vec![flow]
    }

    pub(super) fn in_segment(&self, addr: u32, s: usize) -> bool {
        within(addr, prefix_span(&self.topo.segments[s].cidr))
    }

    /// The home of an address: the segment holding it, else the external(s) whose matching
    /// prefix is the longest (ties belong to each). Empty when nothing covers it.
    pub(super) fn home(&self, addr: u32) -> Vec<Net> {
        let segments: Vec<Net> = (0..self.topo.segments.len())
            .filter(|&s| self.in_segment(addr, s))
            .map(Net::Segment)
            .collect();
        if !segments.is_empty() {
            return segments;
        }
        let matching = |x: usize| {
            self.topo.externals[x]
                .cidrs
                .iter()
                .filter(move |c| within(addr, prefix_span(c)))
                .map(|c| c.prefix_len())
        };
        let best = (0..self.topo.externals.len()).flat_map(matching).max();
        let Some(best) = best else {
            return Vec::new();
        };
        (0..self.topo.externals.len())
            .filter(|&x| matching(x).any(|len| len == best))
            .map(Net::External)
            .collect()
    }

    /// Whether a rule selector stands for an address (whose home is given).
    fn selects(&self, sel: &Selector, addr: u32, home: &[Net]) -> bool {
        let topo = self.topo;
        match sel {
            Selector::Any => true,
            Selector::Addr(r) => within(addr, (r.first, r.last)),
            Selector::Segment(id) => (0..topo.segments.len())
                .any(|s| topo.segments[s].id == *id && self.in_segment(addr, s)),
            Selector::Zone(z) => (0..topo.segments.len())
                .any(|s| topo.segments[s].zone.value == *z && self.in_segment(addr, s)),
            Selector::Host(id) => topo
                .hosts
                .iter()
                .filter(|h| h.id == *id)
                .flat_map(|h| &h.interfaces)
                .any(|i| within(addr, (i.ip.first, i.ip.last))),
            Selector::External(id) => {
                let x = topo.externals.iter().position(|e| e.id == *id);
                x.is_some_and(|x| home.contains(&Net::External(x)))
            }
            other => panic!("the oracle does not know selector {other}"),
        }
    }

    /// Whether a service covers a packet's protocol and port (ports only count for TCP/UDP).
    fn serves(svc: &Service, flow: Flow) -> bool {
        match *svc {
            Service::Any => true,
            Service::Proto { proto, ports } => {
                proto == flow.proto
                    && (!matches!(proto, TCP | UDP)
                        || (ports.first <= flow.port && flow.port <= ports.last))
            }
        }
    }

    /// Whether a rule matches a packet crossing firewall `f` from interface `a` to `b`.
    fn rule_matches(&self, f: usize, rule: &Rule, p: &Packet, a: usize, b: usize) -> bool {
        let fw = &self.topo.firewalls[f];
        let named = |names: &[sansou::model::At<String>], i: usize| {
            names.is_empty()
                || names
                    .iter()
                    .any(|n| fw.interfaces[i].name.as_deref() == Some(n.value.as_str()))
        };
        rule.from
            .iter()
            .any(|s| self.selects(s, p.flow.src, &p.src_home))
            && rule
                .to
                .iter()
                .any(|s| self.selects(s, p.flow.dst, &p.dst_home))
            && rule.services.iter().any(|s| Self::serves(s, p.flow))
            && named(&rule.in_interfaces, a)
            && named(&rule.out_interfaces, b)
    }

    /// The rule of a list that decides a packet (first match), or `None` for the default.
    fn deciding_rule(
        &self,
        f: usize,
        rules: &[Rule],
        p: &Packet,
        a: usize,
        b: usize,
    ) -> Option<usize> {
        rules.iter().position(|r| self.rule_matches(f, r, p, a, b))
    }

    /// First match wins; no match means the list's default.
    fn list_allows(
        &self,
        f: usize,
        rules: &[Rule],
        default: Action,
        p: &Packet,
        a: usize,
        b: usize,
    ) -> bool {
        let action = rules
            .iter()
            .find(|r| self.rule_matches(f, r, p, a, b))
            .map_or(default, |r| r.action);
        action == Action::Allow
    }

    /// With a routing table: whether the longest-prefix match for `dst` (static routes and the
    /// connected routes of the firewall's segments) sends it out through interface `b`.
    pub(super) fn routed_out(&self, f: usize, dst: u32, b: usize) -> bool {
        let fw = &self.topo.firewalls[f];
        let wires = &self.wiring[f];
        // (prefix span, prefix length, out interface or None for discard)
        let mut table: Vec<((u32, u32), u8, Option<usize>)> = Vec::new();
        for (i, &n) in wires.iter().enumerate() {
            if let Net::Segment(s) = n {
                let c = &self.topo.segments[s].cidr;
                table.push((prefix_span(c), c.prefix_len(), Some(i)));
            }
        }
        for r in &fw.routes {
            let d = r.destination.value;
            let out = if r.discard {
                None
            } else if let Some(name) = &r.interface {
                fw.interfaces
                    .iter()
                    .position(|i| i.name.as_deref() == Some(name.value.as_str()))
            } else {
                let hop = u32::from(
                    r.next_hop
                        .as_ref()
                        .expect("a loaded route goes somewhere")
                        .value,
                );
                wires
                    .iter()
                    .position(|&n| matches!(n, Net::Segment(s) if self.in_segment(hop, s)))
            };
            table.push((prefix_span(&d.trunc()), d.prefix_len(), out));
        }
        let best = table
            .iter()
            .filter(|(span, _, _)| within(dst, *span))
            .map(|(_, len, _)| *len)
            .max();
        table
            .iter()
            .any(|(span, len, out)| within(dst, *span) && Some(*len) == best && *out == Some(b))
    }

    /// The headers with which firewall `f` forwards the packet from interface `a` out through
    /// `b` (none: it does not): `in` filter, destination NAT, route, policy list, source NAT,
    /// `out` filter.
    pub(super) fn forwards(&self, f: usize, a: usize, b: usize, p: &Packet) -> Vec<Flow> {
        self.crosses(f, a, b, p, true)
    }

    /// Whether firewall `f`'s lists (in filter, policy, out filter, with its translations) let
    /// the packet from interface `a` out through `b`, whatever its routing says.
    pub(super) fn lists_allow(&self, f: usize, a: usize, b: usize, p: &Packet) -> bool {
        !self.crosses(f, a, b, p, false).is_empty()
    }

    /// The headers a packet leaves firewall `f` with from `a` through `b`: its pipeline, with
    /// the route lookup when `routed` (else the lists only).
    fn crosses(&self, f: usize, a: usize, b: usize, p: &Packet, routed: bool) -> Vec<Flow> {
        let fw = &self.topo.firewalls[f];
        let wires = &self.wiring[f];
        let filter = |i: usize, direction: Direction| {
            fw.filters.iter().find(|fl| {
                fl.direction == direction
                    && fw.interfaces[i].name.as_deref() == Some(fl.interface.value.as_str())
            })
        };
        let filter_allows = |i: usize, direction: Direction, p: &Packet| {
            filter(i, direction)
                .is_none_or(|fl| self.list_allows(f, &fl.rules, fl.default, p, a, b))
        };
        if !filter_allows(a, Direction::In, p) {
            return Vec::new();
        }
        let Some(inside) = self.nat_in(f, a, p.flow) else {
            return Vec::new();
        };
        let q = self.packet(inside);
        if routed && !fw.routes.is_empty() && !self.routed_out(f, inside.dst, b) {
            return Vec::new();
        }
        // Connected route: a destination on one of the firewall's own segments leaves through
        // an interface on that segment, whatever the rules would allow elsewhere.
        let own_segment = |n: Net| match n {
            Net::Segment(s) if self.in_segment(inside.dst, s) => Some(s),
            _ => None,
        };
        if routed
            && fw.routes.is_empty()
            && wires.iter().any(|&n| own_segment(n).is_some())
            && own_segment(wires[b]).is_none()
        {
            return Vec::new();
        }
        if !self.list_allows(f, &fw.rules, fw.default, &q, a, b) {
            return Vec::new();
        }
        self.nat_out(f, b, inside)
            .into_iter()
            .filter(|&out| filter_allows(b, Direction::Out, &self.packet(out)))
            .collect()
    }

    /// Follows one packet from its source address's home wherever firewalls let it go (from
    /// every home at once, when its address has several).
    pub(super) fn simulate(&self, flow: Flow) -> Trace {
        self.simulate_from(flow, None)
    }

    /// Follows one packet that starts on `origin` (one of its source address's homes), or on
    /// every home when `None`. A packet from one of two externals that list the same prefix
    /// starts on that external only: entering through an interface that faces the other is
    /// another packet.
    fn simulate_from(&self, flow: Flow, origin: Option<Net>) -> Trace {
        // Rules read the whole home (`external:X` means the addresses whose home is X); the
        // packet starts on its origin only.
        let src_home = self.home(flow.src);
        let mut start = src_home.clone();
        if let Some(o) = origin {
            start.retain(|&n| n == o);
        }
        let packet = Packet {
            flow,
            src_home,
            dst_home: self.home(flow.dst),
        };
        let mut trace = Trace {
            reached: vec![false; self.net_count()],
            arrived: vec![false; self.net_count()],
            packet,
            states: Vec::new(),
            arrivals: Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        let mut queue = VecDeque::new();
        for net in start {
            trace.reached[self.slot(net)] = true;
            seen.insert((self.slot(net), flow));
            trace.states.push((net, flow));
            queue.push_back((net, flow));
        }
        while let Some((net, here)) = queue.pop_front() {
            let p = self.packet(here);
            for (f, wires) in self.wiring.iter().enumerate() {
                for (a, _) in wires.iter().enumerate().filter(|(_, n)| **n == net) {
                    for (b, &next) in wires.iter().enumerate() {
                        if a == b {
                            continue;
                        }
                        for out in self.forwards(f, a, b, &p) {
                            // Arrival is recorded even on a network already reached: a packet
                            // that starts on an external and is sent back into it counts as
                            // delivered.
                            let j = self.slot(next);
                            trace.arrived[j] = true;
                            trace.arrivals.push((next, out));
                            trace.reached[j] = true;
                            if seen.insert((j, out)) {
                                trace.states.push((next, out));
                                queue.push_back((next, out));
                            }
                        }
                    }
                }
            }
        }
        trace
    }

    fn segment_of(&self, id: &str) -> usize {
        self.topo
            .segments
            .iter()
            .position(|s| s.id == id)
            .expect("a loaded topology's references resolve")
    }

    /// The (segment, first, last) of every address a device declares: host and gateway
    /// interfaces, and firewall interface addresses.
    fn declared(&self) -> Vec<(usize, u32, u32)> {
        let topo = self.topo;
        let mut out = Vec::new();
        for h in &topo.hosts {
            for i in &h.interfaces {
                out.push((self.segment_of(&i.segment.value), i.ip.first, i.ip.last));
            }
        }
        for g in &topo.gateways {
            for i in &g.interfaces {
                out.push((self.segment_of(&i.segment.value), i.ip.first, i.ip.last));
            }
        }
        for f in &topo.firewalls {
            for i in &f.interfaces {
                if let (Attachment::Segment(s), Some(ip)) = (&i.attachment.value, &i.ip) {
                    let a = u32::from(ip.value);
                    out.push((self.segment_of(s), a, a));
                }
            }
        }
        out
    }

    /// Whether endpoint `e` has address `addr` on segment `s` (externals sit on no segment).
    fn at(&self, e: Endpoint, s: usize, addr: u32) -> bool {
        let topo = self.topo;
        let on = |ifaces: &[sansou::model::HostInterface]| {
            ifaces.iter().any(|i| {
                self.segment_of(&i.segment.value) == s && within(addr, (i.ip.first, i.ip.last))
            })
        };
        match e {
            Endpoint::Host(h) => on(&topo.hosts[h].interfaces),
            Endpoint::Gateway(g) => on(&topo.gateways[g].interfaces),
            Endpoint::Undeclared(u) => {
                u.0 == s
                    && self.in_segment(addr, s)
                    && !self
                        .declared()
                        .iter()
                        .any(|&(d, a, b)| d == s && within(addr, (a, b)))
            }
            Endpoint::External(_) => false,
        }
    }

    /// Whether endpoint `e` sends packets from `addr` starting on `origin`.
    fn sends(&self, e: Endpoint, addr: u32, origin: Net) -> bool {
        match (e, origin) {
            (Endpoint::External(x), Net::External(o)) => {
                x.0 == o && self.home(addr).contains(&Net::External(o))
            }
            (Endpoint::External(_), _) | (_, Net::External(_)) => false,
            (e, Net::Segment(s)) => self.at(e, s, addr),
        }
    }

    /// Every delivery of the traced packet to `to`: the segment (none for an external) and
    /// the header it arrives with.
    fn deliveries(&self, trace: &Trace, to: Endpoint) -> Vec<(Option<usize>, Flow)> {
        match to {
            Endpoint::External(x) => trace
                .arrivals
                .iter()
                .filter(|&&(n, fl)| {
                    n == Net::External(x.0) && self.home(fl.dst).contains(&Net::External(x.0))
                })
                .map(|&(_, fl)| (None, fl))
                .collect(),
            _ => trace
                .states
                .iter()
                .filter_map(|&(n, fl)| match n {
                    Net::Segment(s) if self.at(to, s, fl.dst) => Some((Some(s), fl)),
                    _ => None,
                })
                .collect(),
        }
    }

    fn delivered(&self, trace: &Trace, to: Endpoint) -> bool {
        !self.deliveries(trace, to).is_empty()
    }

    fn describe(&self, trace: &Trace) -> String {
        let names = |marks: &[bool]| {
            let mut nets = Vec::new();
            for s in 0..self.topo.segments.len() {
                nets.push(Net::Segment(s));
            }
            for x in 0..self.topo.externals.len() {
                nets.push(Net::External(x));
            }
            nets.into_iter()
                .filter(|&n| marks[self.slot(n)])
                .map(|n| self.net_name(n).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let homes = |home: &[Net]| {
            home.iter()
                .map(|&n| self.net_name(n).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "oracle: src home [{}], dst home [{}], reached [{}], forwarded into [{}]",
            homes(&trace.packet.src_home),
            homes(&trace.packet.dst_home),
            names(&trace.reached),
            names(&trace.arrived)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Boundary packets
// ---------------------------------------------------------------------------------------------

/// Every rule of every list: policy lists and interface filters.
fn all_rules(topo: &Topology) -> impl Iterator<Item = &Rule> {
    topo.firewalls.iter().flat_map(|fw| {
        fw.rules
            .iter()
            .chain(fw.filters.iter().flat_map(|f| &f.rules))
    })
}

/// First, last and the neighbours just outside of every address range the topology mentions,
/// plus a few far addresses.
fn candidate_addresses(topo: &Topology) -> Vec<u32> {
    let mut spans: Vec<(u32, u32)> = Vec::new();
    spans.extend(topo.segments.iter().map(|s| prefix_span(&s.cidr)));
    spans.extend(
        topo.externals
            .iter()
            .flat_map(|e| e.cidrs.iter().map(|c| prefix_span(c))),
    );
    for h in &topo.hosts {
        spans.extend(h.interfaces.iter().map(|i| (i.ip.first, i.ip.last)));
    }
    for fw in &topo.firewalls {
        spans.extend(
            fw.routes
                .iter()
                .map(|r| prefix_span(&r.destination.value.trunc())),
        );
    }
    for rule in all_rules(topo) {
        for sel in rule.from.iter().chain(&rule.to) {
            if let Selector::Addr(r) = &sel.value {
                spans.push((r.first, r.last));
            }
        }
    }
    for fw in &topo.firewalls {
        use sansou::model::{SourceAddress, Translation};
        spans.extend(
            fw.interfaces
                .iter()
                .filter_map(|i| i.ip.as_ref())
                .map(|ip| {
                    let a = u32::from(ip.value);
                    (a, a)
                }),
        );
        for nat in &fw.nat {
            match &nat.translation {
                Translation::Destination {
                    from,
                    destination,
                    translated,
                    ..
                } => {
                    spans.extend([
                        prefix_span(&destination.value),
                        prefix_span(&translated.value),
                    ]);
                    spans.extend(from.iter().filter_map(|s| match &s.value {
                        Selector::Addr(r) => Some((r.first, r.last)),
                        _ => None,
                    }));
                }
                Translation::Source {
                    from,
                    to,
                    to_source,
                    ..
                } => {
                    spans.extend(from.iter().chain(to).filter_map(|s| match &s.value {
                        Selector::Addr(r) => Some((r.first, r.last)),
                        _ => None,
                    }));
                    match to_source {
                        SourceAddress::Address(a) => {
                            spans.push((u32::from(a.value), u32::from(a.value)));
                        }
                        SourceAddress::Pool(pool) => {
                            spans.extend(pool.iter().map(|r| (r.value.first, r.value.last)));
                        }
                        SourceAddress::Masquerade(_) => {}
                    }
                }
                Translation::Static {
                    inside, outside, ..
                } => {
                    spans.extend([prefix_span(&inside.value), prefix_span(&outside.value)]);
                }
            }
        }
    }
    let mut out: Vec<u32> = [
        "8.8.8.8",
        "172.16.0.1",
        "192.168.1.1",
        "0.0.0.0",
        "255.255.255.255",
    ]
    .iter()
    .map(|a| u32::from(a.parse::<Ipv4Addr>().unwrap()))
    .collect();
    for (first, last) in spans {
        out.extend([first, last, first.saturating_sub(1), last.saturating_add(1)]);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// (protocol, port) pairs: both ends of every TCP/UDP port range in a rule and one beyond each,
/// ports 0 and 65535, and protocols without ports (with a non-zero port too, which must not
/// matter).
fn candidate_services(topo: &Topology) -> Vec<(u8, u16)> {
    let mut ports = vec![0u16, 65535];
    for rule in all_rules(topo) {
        for svc in &rule.services {
            if let Service::Proto { proto, ports: p } = svc.value
                && matches!(proto, TCP | UDP)
            {
                ports.extend([
                    p.first.saturating_sub(1),
                    p.first,
                    p.last,
                    p.last.saturating_add(1),
                ]);
            }
        }
    }
    for fw in &topo.firewalls {
        for nat in &fw.nat {
            if let sansou::model::Translation::Destination { service, port, .. } = &nat.translation
            {
                if let Service::Proto { ports: p, .. } = service.value {
                    ports.extend([p.first.saturating_sub(1), p.first, p.last.saturating_add(1)]);
                }
                if let Some(p) = port {
                    ports.extend([p.value, p.value.saturating_sub(1)]);
                }
            }
        }
    }
    ports.sort_unstable();
    ports.dedup();
    let mut out: Vec<(u8, u16)> = Vec::new();
    for &p in &ports {
        out.push((TCP, p));
        out.push((UDP, p));
    }
    out.extend([(ICMP, 0), (ICMP, 8), (GRE, 0), (GRE, 443)]);
    out
}

/// A small deterministic generator for sampling (xorshift64*).
struct Sampler(u64);

impl Sampler {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as usize % n
    }
}

/// Every boundary packet, or `cap` of them chosen deterministically when there are more.
pub(super) fn candidate_flows(topo: &Topology, cap: Option<usize>) -> Vec<Flow> {
    let addrs = candidate_addresses(topo);
    let services = candidate_services(topo);
    let flow = |s: usize, d: usize, v: usize| Flow {
        src: addrs[s],
        dst: addrs[d],
        proto: services[v].0,
        port: services[v].1,
    };
    let total = addrs.len() * addrs.len() * services.len();
    match cap {
        Some(cap) if total > cap => {
            let mut rng = Sampler(0x9e37_79b9_7f4a_7c15 ^ total as u64);
            (0..cap)
                .map(|_| {
                    flow(
                        rng.below(addrs.len()),
                        rng.below(addrs.len()),
                        rng.below(services.len()),
                    )
                })
                .collect()
        }
        _ => {
            let mut all = Vec::with_capacity(total);
            for s in 0..addrs.len() {
                for d in 0..addrs.len() {
                    for v in 0..services.len() {
                        all.push(flow(s, d, v));
                    }
                }
            }
            all
        }
    }
}

fn endpoint_name(topo: &Topology, e: Endpoint) -> String {
    match e {
        Endpoint::Host(h) => format!("host:{}", topo.hosts[h].id),
        Endpoint::Gateway(g) => format!("gateway:{}", topo.gateways[g].id),
        Endpoint::Undeclared(s) => format!("undeclared:{}", topo.segments[s].id),
        Endpoint::External(x) => format!("external:{}", topo.externals[x].id),
    }
}

fn endpoints(topo: &Topology) -> Vec<Endpoint> {
    (0..topo.hosts.len())
        .map(|h| Endpoint::Host(HostId(h)))
        .chain((0..topo.gateways.len()).map(|g| Endpoint::Gateway(GatewayId(g))))
        .chain((0..topo.segments.len()).map(|s| Endpoint::Undeclared(SegmentId(s))))
        .chain((0..topo.externals.len()).map(|x| Endpoint::External(ExternalId(x))))
        .collect()
}

/// The header bits of a packet that starts on `origin`: the analyzer's origin tag is set for
/// an external whose addresses tie with another's (its packets carry it), else zero.
fn origin_bits(r: &Reachability<'_>, flow: Flow, origin: Option<Net>) -> Vec<bool> {
    let mut bits = r.space.bits(flow, 0, 0);
    if let Some(Net::External(x)) = origin
        && let Some(tag) = r.addrs.external_tag[x]
    {
        for i in 0..8u16 {
            bits[(ORIGIN + i) as usize] = (tag >> (7 - i)) & 1 == 1;
        }
    }
    bits
}

/// Compares analyzer and oracle on the boundary packets of a topology: for every endpoint,
/// whether the packet is delivered there, and for every network, whether it gets there at all
/// (the analyzer's `present` sets). The second catches wrong propagation that no endpoint
/// happens to observe, such as a packet leaking past a connected route onto a network where
/// nothing listens on its destination.
/// Returns how many verdicts were compared.
fn compare(text: &str, cap: Option<usize>) -> Result<usize, String> {
    let topo = load(text)?;
    let oracle = Oracle::new(&topo);
    // The fixpoint on one core for half the cases and split over two for the others (designs
    // this small are never split otherwise): both must agree with the oracle.
    let mut r = Reachability::prepare(sansou::load::validate(&topo).unwrap());
    r.propagate_split(&[], text.len().is_multiple_of(2));
    let endpoints = endpoints(&topo);
    // The sets are computed once; one packet is then a membership test.
    let delivered: Vec<_> = endpoints.iter().map(|&e| r.delivered_to(e)).collect();
    let nets: Vec<(Net, AnalyzerNet)> = (0..topo.segments.len())
        .map(|s| (Net::Segment(s), AnalyzerNet::Segment(s)))
        .chain((0..topo.externals.len()).map(|x| (Net::External(x), AnalyzerNet::External(x))))
        .collect();
    let present: Vec<_> = nets.iter().map(|&(_, n)| r.present(n)).collect();
    // A translated packet is asked for by its header as sent.
    let translating = topo.firewalls.iter().any(|f| !f.nat.is_empty());
    let (delivered, present): (Vec<_>, Vec<_>) = if translating {
        (
            delivered.iter().map(|&f| r.space.as_sent(f)).collect(),
            present.iter().map(|&f| r.space.as_sent(f)).collect(),
        )
    } else {
        (delivered, present)
    };
    let mut compared = 0;
    for (k, flow) in candidate_flows(&topo, cap).into_iter().enumerate() {
        // One trace per network the packet can start on: two externals listing the same
        // prefix each send it, and each is a different packet.
        let homes = oracle.home(flow.src);
        let origins: Vec<Option<Net>> = if homes.is_empty() {
            vec![None]
        } else {
            homes.into_iter().map(Some).collect()
        };
        let union = oracle.simulate(flow);
        for origin in origins {
            let trace = oracle.simulate_from(flow, origin);
            let from = origin.map_or("nowhere".to_string(), |o| oracle.net_name(o).to_string());
            let mismatch = |what: String, want: bool, got: bool, note: String| {
                format!(
                    "packet {flow} (src {}, dst {}, proto {}, port {}, starting on {from}) {what}: \
                     oracle says it {}, analyzer says it {}{note}\n{}\n--- topology ---\n{text}",
                    Ipv4Addr::from(flow.src),
                    Ipv4Addr::from(flow.dst),
                    flow.proto,
                    flow.port,
                    verdict(want),
                    verdict(got),
                    oracle.describe(&trace),
                )
            };
            // Interface fields are zero: packets between networks must not depend on them (the
            // `delivers` checks below cover every value of those fields).
            let bits = origin_bits(&r, flow, origin);
            let holds = |r: &mut Reachability<'_>, set| r.space.contains(set, &bits);
            for (&e, &set) in endpoints.iter().zip(&delivered) {
                let want = oracle.delivered(&trace, e);
                let got = holds(&mut r, set);
                if want != got {
                    return Err(mismatch(
                        format!("to {}", endpoint_name(&topo, e)),
                        want,
                        got,
                        String::new(),
                    ));
                }
                compared += 1;
            }
            for (&(net, _), &set) in nets.iter().zip(&present) {
                let want = trace.reached[oracle.slot(net)];
                let got = holds(&mut r, set);
                if want != got {
                    let what = format!("onto network {}", oracle.net_name(net));
                    return Err(mismatch(what, want, got, String::new()));
                }
                compared += 1;
            }
        }
        // `delivers` asks about the packet from wherever it may start.
        if k < DELIVERS_CHECKS {
            for &e in &endpoints {
                let want = oracle.delivered(&union, e);
                let got = r.delivers(e, flow);
                if want != got {
                    return Err(format!(
                        "packet {flow} to {}: the oracle says it {} from some start, `delivers` \
                         says it {}\n--- topology ---\n{text}",
                        endpoint_name(&topo, e),
                        verdict(want),
                        verdict(got)
                    ));
                }
            }
        }
        if k < WITNESS_CHECKS {
            check_witnesses(&topo, &oracle, &r, &union, &endpoints)
                .map_err(|e| format!("packet {flow}: {e}\n--- topology ---\n{text}"))?;
        }
    }
    Ok(compared)
}

/// A packet's witnesses and drops, from every endpoint that sends from its source address to
/// every endpoint: each hop must be one the oracle forwards (or, for a drop, one it does not),
/// consecutive hops must join, and the rule each list is said to decide by must be the one the
/// oracle's first match finds.
fn check_witnesses(
    topo: &Topology,
    oracle: &Oracle<'_>,
    r: &Reachability<'_>,
    trace: &Trace,
    endpoints: &[Endpoint],
) -> Result<(), String> {
    use sansou::analysis::witness::List;
    let flow = trace.packet.flow;
    let sends = |e: Endpoint| {
        r.endpoint_addresses(e)
            .iter()
            .any(|a| a.contains_addr(flow.src))
    };
    for &from in endpoints.iter().filter(|&&e| sends(e)) {
        for &to in endpoints {
            let (hops, delivered) = match r.why_not(from, to, flow) {
                Ok(hops) => (hops, true),
                Err(blocked) => (blocked.drops, false),
            };
            for (i, hop) in hops.iter().enumerate() {
                let fw = &topo.firewalls[hop.firewall];
                let (a, b) = (hop.ingress, hop.egress);
                // Each hop is judged on the header the packet has there.
                let arriving = oracle.packet(hop.flow);
                let outs = oracle.forwards(hop.firewall.0, a, b, &arriving);
                let forwards = !outs.is_empty();
                let must_forward = delivered;
                if delivered && !outs.contains(&hop.out_flow()) {
                    return Err(format!(
                        "hop {i} through {} leaves as {}, the oracle as one of {outs:?}",
                        fw.id,
                        hop.out_flow()
                    ));
                }
                if delivered && i > 0 && hops[i - 1].out_flow() != hop.flow {
                    return Err(format!(
                        "hops {} and {i} do not carry the same packet",
                        i - 1
                    ));
                }
                if forwards != must_forward {
                    return Err(format!(
                        "{} → {}: hop {i} through {} ({a} → {b}) is {} but the oracle {}",
                        endpoint_name(topo, from),
                        endpoint_name(topo, to),
                        fw.id,
                        if delivered { "on the path" } else { "a drop" },
                        if forwards { "forwards it" } else { "drops it" },
                    ));
                }
                if delivered && i > 0 && hops[i - 1].to != hop.from {
                    return Err(format!("hops {} and {i} do not join", i - 1));
                }
                // The policy list sees the packet after destination NAT, an `out` filter
                // after source NAT.
                let inside = oracle
                    .nat_in(hop.firewall.0, a, hop.flow)
                    .map(|f| oracle.packet(f));
                let leaving = oracle.packet(hop.out_flow());
                for d in &hop.decisions {
                    let (rules, seen) = match d.list {
                        List::Policy => (&fw.rules, inside.as_ref().unwrap_or(&arriving)),
                        List::Filter(k) if fw.filters[k].direction == Direction::Out => {
                            (&fw.filters[k].rules, &leaving)
                        }
                        List::Filter(k) => (&fw.filters[k].rules, &arriving),
                    };
                    let want = oracle.deciding_rule(hop.firewall.0, rules, seen, a, b);
                    if d.rule != want {
                        return Err(format!(
                            "hop {i} through {}: the witness names rule {:?} of {:?}, the oracle's \
                             first match is {want:?}",
                            fw.id, d.rule, d.list
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The oracle's reading of a selector as a packet end: whether endpoint `e` sending from (or
/// receiving at) `addr` on segment `seg` (`None` for an external) is in the selection.
fn oracle_selects(
    topo: &Topology,
    sel: &Selector,
    e: Endpoint,
    addr: u32,
    seg: Option<usize>,
) -> bool {
    let zone_of = |s: usize| topo.segments[s].zone.value.clone();
    match sel {
        Selector::Any => true,
        Selector::Host(id) => matches!(e, Endpoint::Host(h) if topo.hosts[h].id == *id),
        Selector::External(id) => matches!(e, Endpoint::External(x) if topo.externals[x].id == *id),
        Selector::Segment(id) => seg.is_some_and(|s| topo.segments[s].id == *id),
        Selector::Zone(z) => seg.is_some_and(|s| zone_of(s) == *z),
        Selector::Addr(r) => within(addr, (r.first, r.last)),
        other => panic!("the oracle does not know selector {other}"),
    }
}

/// `paths` answers on a design against the oracle, for several selector pairs: every reported
/// pair has a witness whose packet the oracle delivers from that source to that target, and
/// every boundary packet the oracle delivers between the selections belongs to a reported pair
/// whose services include it.
fn compare_pairs(text: &str, flows: usize) -> Result<(), String> {
    use sansou::analysis::paths::{Query, pairs};
    let topo = load(text)?;
    let oracle = Oracle::new(&topo);
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let endpoints = endpoints(&topo);
    let mut queries = vec![
        ("any", "any"),
        ("segment:s0", "any"),
        ("any", "segment:s0"),
        ("zone:z0", "zone:z1"),
        ("10.0.0.0/25", "any"),
        ("any", "10.0.0.16/28"),
    ];
    let ext: Vec<String> = topo
        .externals
        .iter()
        .map(|e| format!("external:{}", e.id))
        .collect();
    for e in &ext {
        queries.push(("any", e));
        queries.push((e, "any"));
    }
    if !topo.hosts.is_empty() {
        queries.push(("host:h0", "segment:s1"));
    }
    let all_flows = candidate_flows(&topo, Some(flows));
    for (from, to) in queries {
        let (fs, ts) = (Selector::parse(from).unwrap(), Selector::parse(to).unwrap());
        let found = pairs(
            &mut r,
            &Query {
                from: &fs,
                to: &ts,
                services: &[],
            },
        )
        .map_err(|e| format!("{from} → {to}: {e}"))?;
        let seg_of_net = |n: Net| match n {
            Net::Segment(s) => Some(s),
            Net::External(_) => None,
        };
        // No invented pair: each witness is a packet the oracle delivers, and within the query.
        for p in &found {
            let name = format!(
                "{from} → {to}: pair {} → {}",
                endpoint_name(&topo, p.from),
                endpoint_name(&topo, p.to)
            );
            let Some(w) = &p.witness else {
                return Err(format!("{name} has no witness\n--- topology ---\n{text}"));
            };
            let flow = w.flow;
            let origin = oracle
                .home(flow.src)
                .into_iter()
                .find(|&o| oracle.sends(p.from, flow.src, o))
                .ok_or_else(|| {
                    format!("{name}: witness {flow} is not sent by the source\n{text}")
                })?;
            if !oracle_selects(&topo, &fs, p.from, flow.src, seg_of_net(origin)) {
                return Err(format!(
                    "{name}: witness {flow} starts outside `{from}`\n{text}"
                ));
            }
            let trace = oracle.simulate_from(flow, Some(origin));
            // The target is selected by the header the packet arrives with.
            let delivered = oracle
                .deliveries(&trace, p.to)
                .iter()
                .any(|&(s, fl)| oracle_selects(&topo, &ts, p.to, fl.dst, s));
            if !delivered {
                return Err(format!(
                    "{name}: the oracle does not deliver witness {flow} there\n{}\n--- topology ---\n{text}",
                    oracle.describe(&trace)
                ));
            }
            super::reply_oracle::check(&topo, w)
                .map_err(|e| format!("{name}: {e}\n--- topology ---\n{text}"))?;
        }
        // No missed pair: every delivered boundary packet between the selections is reported.
        for &flow in &all_flows {
            for origin in oracle.home(flow.src) {
                let senders: Vec<Endpoint> = endpoints
                    .iter()
                    .copied()
                    .filter(|&e| {
                        oracle.sends(e, flow.src, origin)
                            && oracle_selects(&topo, &fs, e, flow.src, seg_of_net(origin))
                    })
                    .collect();
                if senders.is_empty() {
                    continue;
                }
                let trace = oracle.simulate_from(flow, Some(origin));
                for &t in &endpoints {
                    // The services a pair reports are those the target receives.
                    let arriving: Vec<Flow> = oracle
                        .deliveries(&trace, t)
                        .into_iter()
                        .filter(|&(s, fl)| oracle_selects(&topo, &ts, t, fl.dst, s))
                        .map(|(_, fl)| fl)
                        .collect();
                    if arriving.is_empty() {
                        continue;
                    }
                    for &s in senders.iter().filter(|&&s| s != t) {
                        let reported = found.iter().find(|p| p.from == s && p.to == t);
                        let covers = reported.is_some_and(|p| {
                            let services = p.services.to_services();
                            arriving
                                .iter()
                                .any(|fl| services.iter().any(|svc| Oracle::serves(svc, *fl)))
                        });
                        if !covers {
                            return Err(format!(
                                "{from} → {to}: the oracle delivers {flow} from {} (starting on {}) \
                                 to {}, but the analyzer reports {}\n{}\n--- topology ---\n{text}",
                                endpoint_name(&topo, s),
                                oracle.net_name(origin),
                                endpoint_name(&topo, t),
                                reported.map_or("no such pair".to_string(), |p| format!(
                                    "only {}",
                                    p.services
                                )),
                                oracle.describe(&trace)
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn verdict(delivered: bool) -> &'static str {
    if delivered {
        "reaches"
    } else {
        "does not reach"
    }
}

// ---------------------------------------------------------------------------------------------
// Random topologies
// ---------------------------------------------------------------------------------------------
//
// The generator draws plain numbers and resolves them against what exists when rendering (an
// interface's network is `n % networks`, a selector's segment `i % segments`): every drawn
// specification renders to a valid topology, and shrinking stays valid too.

/// Prefixes an external may stand for: small ranges far away, some that overlap each other
/// (most specific wins, ties are shared), and some that cover the organisation's own segments
/// (which they never stand for).
const EXTERNAL_CIDRS: &[&str] = &[
    "172.16.0.0/30",
    "172.16.0.0/29",
    "172.16.0.4/30",
    "10.0.0.0/24",
    "10.0.0.128/25",
    "0.0.0.0/1",
    "192.168.1.0/30",
    "0.0.0.0/0",
];

/// Address selectors outside 10.0.0.0/24, or around it.
/// Route destinations: the default route, halves of the organisation's /24, /28s inside it,
/// and prefixes around the externals.
const ROUTE_PREFIXES: &[&str] = &[
    "0.0.0.0/0",
    "10.0.0.0/24",
    "10.0.0.0/25",
    "10.0.0.128/25",
    "10.0.0.16/28",
    "10.0.0.64/28",
    "172.16.0.0/29",
    "172.16.0.0/30",
    "192.168.1.0/30",
    "128.0.0.0/1",
];

const FAR_SELECTORS: &[&str] = &[
    "172.16.0.0/31",
    "172.16.0.2",
    "8.8.8.8",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "10.0.0.0/16",
    "172.16.0.0/29",
    "10.0.0.250-10.0.1.5",
];

#[derive(Clone, Debug)]
pub(super) struct Spec {
    /// (slot of 10.0.0.0/24 in /28s, narrowed to a /29, zone index).
    segments: Vec<(u8, bool, u8)>,
    internet: bool,
    /// Other externals: indices into `EXTERNAL_CIDRS`.
    others: Vec<Vec<usize>>,
    firewalls: Vec<FwSpec>,
    hosts: Vec<HostSpec>,
    /// Gateways: (segment, address offset) per interface.
    gateways: Vec<Vec<(u8, u8)>>,
    /// The second other external lists the first one's prefixes (their addresses tie).
    tie: bool,
}

#[derive(Clone, Debug)]
struct FwSpec {
    /// Network of each interface (mod the number of networks).
    interfaces: Vec<u8>,
    allow: bool,
    stateful: bool,
    rules: Vec<RuleSpec>,
    /// (interface, out direction, default allow, rules; their `in`/`out` are ignored).
    filters: Vec<(u8, bool, bool, Vec<RuleSpec>)>,
    /// A routing table: (destination from `ROUTE_PREFIXES`, interface, or discard when `None`).
    /// Empty: no table (any allowed path).
    routes: Vec<(u8, Option<u8>)>,
    nat: Vec<NatSpec>,
}

/// A NAT entry. Public addresses are `203.0.113.x` or `172.16.0.x` (inside an external's
/// prefixes), inside ones `10.0.0.x`; interfaces are `n % interfaces`.
#[derive(Clone, Debug)]
enum NatSpec {
    /// (interface or any, source selector or any, public address, inside address, a /29 onto a
    /// /29 instead of one address, (port, translated port) or all services).
    Destination {
        interface: Option<u8>,
        from: Option<Sel>,
        public: u8,
        inside: u8,
        prefix: bool,
        port: Option<(u16, u16)>,
    },
    /// (interface, sources, destinations or any, 0: one address, 1: a pool of up to 4, 2:
    /// masquerade, address).
    Source {
        interface: u8,
        from: Vec<Sel>,
        to: Option<Sel>,
        how: u8,
        address: u8,
        pool: u8,
    },
    /// (interface, inside, outside, prefix length 29 to 32).
    Static {
        interface: u8,
        inside: u8,
        outside: u8,
        len: u8,
    },
}

#[derive(Clone, Debug)]
struct RuleSpec {
    allow: bool,
    from: Vec<Sel>,
    to: Vec<Sel>,
    /// `None`: no `service` key (the rule matches every service).
    service: Option<Vec<Svc>>,
    inn: Vec<u8>,
    out: Vec<u8>,
}

#[derive(Clone, Debug)]
enum Sel {
    Any,
    Segment(u8),
    Zone(u8),
    Host(u8),
    External(u8),
    /// 10.0.0.x/len, host bits cleared.
    Prefix(u8, u8),
    /// 10.0.0.a-10.0.0.b.
    Range(u8, u8),
    Far(u8),
}

#[derive(Clone, Debug)]
enum Svc {
    Any,
    Tcp,
    TcpPort(u16),
    TcpRange(u16, u16),
    UdpRange(u16, u16),
    Icmp,
}

#[derive(Clone, Debug)]
struct HostSpec {
    /// (segment, address form) per interface.
    interfaces: Vec<(u8, Ip)>,
    /// Picks `count` within the first interface's range.
    count: u8,
}

#[derive(Clone, Debug)]
enum Ip {
    Single(u8),
    Range(u8, u8),
    /// Offset and extra prefix length beyond the segment's.
    Prefix(u8, u8),
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(vec![0u16, 1, 22, 53, 80, 443, 445, 1023, 1024, 8080, 65534, 65535]),
        1 => any::<u16>(),
    ]
}

fn port_range() -> impl Strategy<Value = (u16, u16)> {
    (port(), port()).prop_map(|(a, b)| (a.min(b), a.max(b)))
}

fn svc() -> impl Strategy<Value = Svc> {
    prop_oneof![
        Just(Svc::Any),
        Just(Svc::Tcp),
        port().prop_map(Svc::TcpPort),
        port_range().prop_map(|(a, b)| Svc::TcpRange(a, b)),
        port_range().prop_map(|(a, b)| Svc::UdpRange(a, b)),
        Just(Svc::Icmp),
    ]
}

fn sel() -> impl Strategy<Value = Sel> {
    prop_oneof![
        Just(Sel::Any),
        any::<u8>().prop_map(Sel::Segment),
        any::<u8>().prop_map(Sel::Zone),
        any::<u8>().prop_map(Sel::Host),
        any::<u8>().prop_map(Sel::External),
        (any::<u8>(), 24u8..=32).prop_map(|(a, l)| Sel::Prefix(a, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Sel::Range(a.min(b), a.max(b))),
        any::<u8>().prop_map(Sel::Far),
    ]
}

/// Interface constraints of a policy rule: usually none.
fn names() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::collection::vec(any::<u8>(), 1..=2),
    ]
}

fn rule() -> impl Strategy<Value = RuleSpec> {
    (
        any::<bool>(),
        prop::collection::vec(sel(), 1..=2),
        prop::collection::vec(sel(), 1..=2),
        prop::option::of(prop::collection::vec(svc(), 1..=2)),
        names(),
        names(),
    )
        .prop_map(|(allow, from, to, service, inn, out)| RuleSpec {
            allow,
            from,
            to,
            service,
            inn,
            out,
        })
}

fn nat_entry() -> impl Strategy<Value = NatSpec> {
    prop_oneof![
        (
            prop::option::of(any::<u8>()),
            prop::option::weighted(0.3, sel()),
            any::<u8>(),
            any::<u8>(),
            any::<bool>(),
            prop::option::of((port(), 1u16..=65535)),
        )
            .prop_map(|(interface, from, public, inside, prefix, port)| {
                NatSpec::Destination {
                    interface,
                    from,
                    public,
                    inside,
                    prefix,
                    port,
                }
            }),
        (
            any::<u8>(),
            prop::collection::vec(sel(), 1..=2),
            prop::option::weighted(0.3, sel()),
            0u8..3,
            any::<u8>(),
            0u8..4,
        )
            .prop_map(
                |(interface, from, to, how, address, pool)| NatSpec::Source {
                    interface,
                    from,
                    to,
                    how,
                    address,
                    pool,
                }
            ),
        (any::<u8>(), any::<u8>(), any::<u8>(), 29u8..=32).prop_map(
            |(interface, inside, outside, len)| NatSpec::Static {
                interface,
                inside,
                outside,
                len,
            }
        ),
    ]
}

fn firewall() -> impl Strategy<Value = FwSpec> {
    let filter = (
        any::<u8>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(rule(), 0..=3),
    );
    (
        prop::collection::vec(any::<u8>(), 2..=3),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(rule(), 0..=6),
        prop::collection::vec(filter, 0..=2),
        prop_oneof![
            1 => Just(Vec::new()),
            1 => prop::collection::vec((any::<u8>(), prop::option::weighted(0.85, any::<u8>())), 1..=4),
        ],
        prop_oneof![
            1 => Just(Vec::new()),
            1 => prop::collection::vec(nat_entry(), 1..=3),
        ],
    )
        .prop_map(
            |(interfaces, allow, stateful, rules, filters, routes, nat)| FwSpec {
                interfaces,
                allow,
                stateful,
                rules,
                filters,
                routes,
                nat,
            },
        )
}

fn ip() -> impl Strategy<Value = Ip> {
    prop_oneof![
        any::<u8>().prop_map(Ip::Single),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Ip::Range(a.min(b), a.max(b))),
        (any::<u8>(), 0u8..=4).prop_map(|(o, l)| Ip::Prefix(o, l)),
    ]
}

fn host() -> impl Strategy<Value = HostSpec> {
    (
        prop::collection::vec((any::<u8>(), ip()), 1..=2),
        any::<u8>(),
    )
        .prop_map(|(interfaces, count)| HostSpec { interfaces, count })
}

pub(super) fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::sample::subsequence((0u8..16).collect::<Vec<_>>(), 2..=5).prop_shuffle(),
        prop::collection::vec((prop::bool::weighted(0.25), 0u8..2), 5),
        any::<bool>(),
        prop::collection::vec(
            prop::sample::subsequence((0..EXTERNAL_CIDRS.len()).collect::<Vec<_>>(), 1..=2),
            0..=2,
        ),
        prop::collection::vec(firewall(), 1..=3),
        prop::collection::vec(host(), 1..=6),
        prop::collection::vec(
            prop::collection::vec((any::<u8>(), any::<u8>()), 1..=2),
            0..=2,
        ),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(slots, shape, internet, others, firewalls, hosts, gateways, tie)| Spec {
                segments: slots
                    .into_iter()
                    .zip(shape)
                    .map(|(slot, (narrow, zone))| (slot, narrow, zone))
                    .collect(),
                internet,
                others,
                firewalls,
                hosts,
                gateways,
                tie,
            },
        )
}

impl Spec {
    /// (first address, prefix length) of each segment.
    fn segment_nets(&self) -> Vec<(u32, u8)> {
        let base = u32::from(Ipv4Addr::new(10, 0, 0, 0));
        self.segments
            .iter()
            .map(|&(slot, narrow, _)| (base + u32::from(slot) * 16, if narrow { 29 } else { 28 }))
            .collect()
    }

    fn external_ids(&self) -> Vec<&'static str> {
        let mut ids = Vec::new();
        if self.internet {
            ids.push("internet");
        }
        ids.extend(["lgwan", "cloud"].into_iter().take(self.others.len()));
        ids
    }

    fn render_sel(&self, sel: &Sel) -> String {
        let segs = self.segments.len();
        let externals = self.external_ids();
        match *sel {
            Sel::Any => "any".into(),
            Sel::Segment(i) => format!("segment:s{}", usize::from(i) % segs),
            Sel::Zone(i) => format!("zone:z{}", i % 2),
            Sel::Host(i) => format!("host:h{}", usize::from(i) % self.hosts.len()),
            Sel::External(_) if externals.is_empty() => "172.16.0.0/30".into(),
            Sel::External(i) => format!("external:{}", externals[usize::from(i) % externals.len()]),
            Sel::Prefix(a, len) => {
                let mask = if len == 32 {
                    255
                } else {
                    !(u8::MAX >> (len - 24))
                };
                format!("10.0.0.{}/{len}", a & mask)
            }
            Sel::Range(a, b) => format!("10.0.0.{a}-10.0.0.{b}"),
            Sel::Far(i) => FAR_SELECTORS[usize::from(i) % FAR_SELECTORS.len()].into(),
        }
    }

    fn render_sels(&self, sels: &[Sel]) -> String {
        let items: Vec<String> = sels
            .iter()
            .map(|s| format!("\"{}\"", self.render_sel(s)))
            .collect();
        // One selector is written as a plain string, several as an array: both forms load.
        if items.len() == 1 {
            items[0].clone()
        } else {
            format!("[{}]", items.join(", "))
        }
    }

    fn render_rule(&self, out: &mut String, header: &str, r: &RuleSpec, interfaces: usize) {
        let _ = writeln!(out, "\n[[{header}]]");
        let _ = writeln!(
            out,
            "action = \"{}\"",
            if r.allow { "allow" } else { "deny" }
        );
        let _ = writeln!(out, "from = {}", self.render_sels(&r.from));
        let _ = writeln!(out, "to = {}", self.render_sels(&r.to));
        if let Some(services) = &r.service {
            let items: Vec<String> = services
                .iter()
                .map(|s| match *s {
                    Svc::Any => "\"any\"".to_string(),
                    Svc::Tcp => "\"tcp\"".to_string(),
                    Svc::TcpPort(p) => format!("\"tcp/{p}\""),
                    Svc::TcpRange(a, b) => format!("\"tcp/{a}-{b}\""),
                    Svc::UdpRange(a, b) => format!("\"udp/{a}-{b}\""),
                    Svc::Icmp => "\"icmp\"".to_string(),
                })
                .collect();
            let _ = writeln!(out, "service = [{}]", items.join(", "));
        }
        // Filter rules take no `in`/`out` (the loader refuses them there).
        if header == "firewall.rule" {
            for (key, list) in [("in", &r.inn), ("out", &r.out)] {
                if list.is_empty() {
                    continue;
                }
                let mut names: Vec<usize> =
                    list.iter().map(|&i| usize::from(i) % interfaces).collect();
                names.sort_unstable();
                names.dedup();
                let names: Vec<String> = names.iter().map(|i| format!("\"p{i}\"")).collect();
                let _ = writeln!(out, "{key} = [{}]", names.join(", "));
            }
        }
    }

    /// The same design without address translation (the routing rules' oracle walks one
    /// header through the tables).
    pub(super) fn without_nat(mut self) -> Spec {
        for fw in &mut self.firewalls {
            fw.nat.clear();
        }
        self
    }

    pub(super) fn render(&self) -> String {
        let mut out = String::from("format = 1\n");
        for z in 0..2 {
            let tier = ["lgwan", "internet"][z];
            let _ = writeln!(out, "\n[[zone]]\nid = \"z{z}\"\ntier = \"{tier}\"");
        }
        let nets = self.segment_nets();
        for (i, ((first, len), &(_, _, zone))) in nets.iter().zip(&self.segments).enumerate() {
            let _ = writeln!(
                out,
                "\n[[segment]]\nid = \"s{i}\"\nzone = \"z{zone}\"\ncidr = \"{}/{len}\"",
                Ipv4Addr::from(*first)
            );
        }
        if self.internet {
            let _ = writeln!(
                out,
                "\n[[external]]\nid = \"internet\"\nkind = \"internet\""
            );
        }
        for (k, (id, cidrs)) in ["lgwan", "cloud"].iter().zip(&self.others).enumerate() {
            let kind = if *id == "lgwan" { "lgwan" } else { "gov-cloud" };
            let cidrs = if k == 1 && self.tie {
                &self.others[0]
            } else {
                cidrs
            };
            let cidrs: Vec<String> = cidrs
                .iter()
                .map(|&c| format!("\"{}\"", EXTERNAL_CIDRS[c]))
                .collect();
            let _ = writeln!(
                out,
                "\n[[external]]\nid = \"{id}\"\nkind = \"{kind}\"\ncidrs = [{}]",
                cidrs.join(", ")
            );
        }
        for (h, host) in self.hosts.iter().enumerate() {
            self.render_host(&mut out, h, host);
        }
        for (g, ifaces) in self.gateways.iter().enumerate() {
            let mut used = Vec::new();
            let mut items = Vec::new();
            for &(seg, offset) in ifaces {
                let s = usize::from(seg) % nets.len();
                if used.contains(&s) {
                    continue;
                }
                used.push(s);
                let (base, len) = nets[s];
                let ip = base + u32::from(offset) % (1u32 << (32 - len));
                items.push(format!(
                    "{{ segment = \"s{s}\", ip = \"{}\" }}",
                    Ipv4Addr::from(ip)
                ));
            }
            let _ = writeln!(
                out,
                "\n[[gateway]]\nid = \"g{g}\"\nkind = \"file-sanitizer\"\nfrom = \"z1\"\nto = \"z0\"\ninterfaces = [{}]",
                items.join(", ")
            );
        }
        let externals = self.external_ids();
        let net_count = nets.len() + externals.len();
        for (f, fw) in self.firewalls.iter().enumerate() {
            let count = fw.interfaces.len();
            // An interface facing an external that a masquerade uses gets a public address (a
            // masquerade onto a segment is written as a single `translated` address instead,
            // so no interface address collides with a host's).
            let faces_external: Vec<bool> = fw
                .interfaces
                .iter()
                .map(|&n| usize::from(n) % net_count >= nets.len())
                .collect();
            let masquerading: Vec<usize> = fw
                .nat
                .iter()
                .filter_map(|n| match n {
                    NatSpec::Source {
                        interface, how: 2, ..
                    } => Some(usize::from(*interface) % count),
                    _ => None,
                })
                .filter(|&i| faces_external[i])
                .collect();
            let interfaces: Vec<String> = fw
                .interfaces
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let n = usize::from(n) % net_count;
                    let ip = if masquerading.contains(&i) {
                        format!(", ip = \"203.0.113.{}\"", 240 + f * 4 + i)
                    } else {
                        String::new()
                    };
                    if n < nets.len() {
                        format!("{{ name = \"p{i}\", segment = \"s{n}\"{ip} }}")
                    } else {
                        format!(
                            "{{ name = \"p{i}\", external = \"{}\"{ip} }}",
                            externals[n - nets.len()]
                        )
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "\n[[firewall]]\nid = \"fw{f}\"\ninterfaces = [{}]\ndefault = \"{}\"\nstateful = {}",
                interfaces.join(", "),
                if fw.allow { "allow" } else { "deny" },
                fw.stateful
            );
            let n = fw.interfaces.len();
            for &(dest, iface) in &fw.routes {
                let dest = ROUTE_PREFIXES[usize::from(dest) % ROUTE_PREFIXES.len()];
                let _ = writeln!(out, "\n[[firewall.route]]\ndestination = \"{dest}\"");
                match iface {
                    Some(i) => {
                        let _ = writeln!(out, "interface = \"p{}\"", usize::from(i) % n);
                    }
                    None => {
                        let _ = writeln!(out, "discard = true");
                    }
                }
            }
            for r in &fw.rules {
                self.render_rule(&mut out, "firewall.rule", r, n);
            }
            for entry in &fw.nat {
                self.render_nat(&mut out, entry, &faces_external);
            }
            // At most one filter per interface and direction.
            let mut bound = Vec::new();
            for (iface, outward, allow, rules) in &fw.filters {
                let key = (usize::from(*iface) % n, *outward);
                if bound.contains(&key) {
                    continue;
                }
                bound.push(key);
                let _ = writeln!(
                    out,
                    "\n[[firewall.filter]]\ninterface = \"p{}\"\ndirection = \"{}\"\ndefault = \"{}\"",
                    key.0,
                    if *outward { "out" } else { "in" },
                    if *allow { "allow" } else { "deny" }
                );
                for r in rules {
                    self.render_rule(&mut out, "firewall.filter.rule", r, n);
                }
            }
        }
        out
    }

    fn render_nat(&self, out: &mut String, entry: &NatSpec, faces_external: &[bool]) {
        let interfaces = faces_external.len();
        let public = |a: u8| {
            if a.is_multiple_of(4) {
                format!("172.16.0.{}", a % 8)
            } else {
                format!("203.0.113.{a}")
            }
        };
        let iface = |i: u8| format!("p{}", usize::from(i) % interfaces);
        match entry {
            NatSpec::Destination {
                interface,
                from,
                public: p,
                inside,
                prefix,
                port,
            } => {
                let _ = writeln!(out, "\n[[firewall.nat]]\nkind = \"destination\"");
                if let Some(i) = interface {
                    let _ = writeln!(out, "interface = \"{}\"", iface(*i));
                }
                if let Some(sel) = from {
                    let _ = writeln!(out, "from = \"{}\"", self.render_sel(sel));
                }
                if *prefix {
                    let _ = writeln!(
                        out,
                        "destination = \"203.0.113.{}/29\"\ntranslated = \"10.0.0.{}/29\"",
                        p & 0xf8,
                        inside & 0xf8
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "destination = \"{}\"\ntranslated = \"10.0.0.{inside}\"",
                        public(*p)
                    );
                }
                if let Some((from_port, to_port)) = port {
                    let _ = writeln!(
                        out,
                        "service = \"tcp/{from_port}\"\ntranslated_port = {to_port}"
                    );
                }
            }
            NatSpec::Source {
                interface,
                from,
                to,
                how,
                address,
                pool,
            } => {
                let _ = writeln!(
                    out,
                    "\n[[firewall.nat]]\nkind = \"source\"\ninterface = \"{}\"\nfrom = {}",
                    iface(*interface),
                    self.render_sels(from)
                );
                if let Some(sel) = to {
                    let _ = writeln!(out, "to = \"{}\"", self.render_sel(sel));
                }
                let masquerade = faces_external[usize::from(*interface) % interfaces];
                match how {
                    2 if masquerade => {
                        let _ = writeln!(out, "masquerade = true");
                    }
                    0 | 2 => {
                        let _ = writeln!(out, "translated = \"{}\"", public(*address));
                    }
                    _ => {
                        let last = address.saturating_add(*pool);
                        let _ = writeln!(out, "pool = [\"203.0.113.{address}-203.0.113.{last}\"]");
                    }
                }
                // A third of the entries filter nothing, as imported devices' do.
                if address % 3 == 0 {
                    let _ = writeln!(out, "hide = false");
                }
            }
            NatSpec::Static {
                interface,
                inside,
                outside,
                len,
            } => {
                let mask = if *len == 32 {
                    255
                } else {
                    !(u8::MAX >> (len - 24))
                };
                let _ = writeln!(
                    out,
                    "\n[[firewall.nat]]\nkind = \"static\"\ninterface = \"{}\"\ninside = \"10.0.0.{}/{len}\"\noutside = \"203.0.113.{}/{len}\"",
                    iface(*interface),
                    inside & mask,
                    outside & mask
                );
                if outside % 3 == 0 {
                    let _ = writeln!(out, "hide = false");
                }
            }
        }
    }

    fn render_host(&self, out: &mut String, h: usize, host: &HostSpec) {
        let nets = self.segment_nets();
        let mut used = Vec::new();
        let mut ifaces = Vec::new();
        let mut first_size = 1u32;
        for (seg, ip) in &host.interfaces {
            // A second interface goes on another segment (a dual-homed host).
            let mut s = usize::from(*seg) % nets.len();
            if used.contains(&s) {
                s = (s + 1) % nets.len();
            }
            used.push(s);
            let (base, len) = nets[s];
            let size = 1u32 << (32 - len);
            let (text, n) = match *ip {
                Ip::Single(o) => (Ipv4Addr::from(base + u32::from(o) % size).to_string(), 1),
                Ip::Range(a, b) => {
                    let (a, b) = (u32::from(a) % size, u32::from(b) % size);
                    let (a, b) = (a.min(b), a.max(b));
                    (
                        format!("{}-{}", Ipv4Addr::from(base + a), Ipv4Addr::from(base + b)),
                        b - a + 1,
                    )
                }
                Ip::Prefix(o, extra) => {
                    let plen = u32::from(len) + u32::from(extra).min(32 - u32::from(len));
                    let sub = 1u32 << (32 - plen);
                    let start = base + (u32::from(o) % size) / sub * sub;
                    (format!("{}/{plen}", Ipv4Addr::from(start)), sub)
                }
            };
            if ifaces.is_empty() {
                first_size = n;
            }
            ifaces.push(format!("{{ segment = \"s{s}\", ip = \"{text}\" }}"));
        }
        let _ = writeln!(out, "\n[[host]]\nid = \"h{h}\"\nkind = \"server\"");
        let _ = writeln!(out, "interfaces = [{}]", ifaces.join(", "));
        if first_size > 1 {
            let _ = writeln!(out, "count = {}", 1 + u32::from(host.count) % first_size);
        }
    }
}

/// 200 cases keep the test under a minute of CPU in a debug build (NAT cases cost the most:
/// their sets are read back by the header as sent); `PROPTEST_CASES=5000` runs a deeper search
/// locally. No failure files are written: a failure prints its topology.
pub(super) fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// On random small designs, every boundary packet the analyzer says is delivered to an
    /// endpoint (or present on a network), the simulator delivers too, and the other way round.
    #[test]
    fn analyzer_agrees_with_a_packet_simulator(spec in spec()) {
        let text = spec.render();
        compare(&text, Some(PACKETS_PER_CASE)).map_err(TestCaseError::fail)?;
        compare_pairs(&text, PAIR_FLOWS).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases: each names the behaviour it pins, checked on chosen packets against both
// the analyzer and the oracle, and then on every boundary packet (no sampling).
// ---------------------------------------------------------------------------------------------

struct Case {
    text: String,
}

impl Case {
    fn new(text: &str) -> Case {
        let case = Case {
            text: text.to_string(),
        };
        if let Err(e) = compare(text, None) {
            panic!("{e}");
        }
        case
    }

    /// Both the analyzer and the oracle must give the expected verdict.
    fn expect(&self, src: &str, dst: &str, service: (u8, u16), to: &str, want: bool) {
        let topo = load(&self.text).unwrap_or_else(|e| panic!("{e}"));
        let flow = Flow {
            src: u32::from(src.parse::<Ipv4Addr>().unwrap()),
            dst: u32::from(dst.parse::<Ipv4Addr>().unwrap()),
            proto: service.0,
            port: service.1,
        };
        let endpoint = match to.split_once(':') {
            Some(("host", id)) => {
                Endpoint::Host(HostId(topo.hosts.iter().position(|h| h.id == id).unwrap()))
            }
            Some(("external", id)) => Endpoint::External(ExternalId(
                topo.externals.iter().position(|e| e.id == id).unwrap(),
            )),
            _ => panic!("bad endpoint {to}"),
        };
        let oracle = Oracle::new(&topo);
        let trace = oracle.simulate(flow);
        let by_oracle = oracle.delivered(&trace, endpoint);
        let by_analyzer =
            Reachability::compute(sansou::load::validate(&topo).unwrap()).delivers(endpoint, flow);
        assert_eq!(
            (by_oracle, by_analyzer),
            (want, want),
            "{flow} to {to}: expected delivered = {want}; oracle says {by_oracle}, analyzer says \
             {by_analyzer}\n{}",
            oracle.describe(&trace)
        );
    }
}

/// Two segments, a host on each, and a firewall between them; `firewall` is appended.
fn two_segments(firewall: &str) -> String {
    format!(
        r#"format = 1
[[zone]]
id = "z"
tier = "lgwan"
[[segment]]
id = "a"
zone = "z"
cidr = "10.0.0.0/28"
[[segment]]
id = "b"
zone = "z"
cidr = "10.0.0.16/28"
[[host]]
id = "ha"
kind = "terminal"
segment = "a"
ip = "10.0.0.2-10.0.0.9"
count = 4
[[host]]
id = "hb"
kind = "server"
segment = "b"
ip = "10.0.0.20"
{firewall}"#
    )
}

#[test]
fn first_match_wins_then_the_default() {
    let deny_then_allow = |default: &str| {
        two_segments(&format!(
            r#"[[firewall]]
id = "fw"
interfaces = [{{ name = "p0", segment = "a" }}, {{ name = "p1", segment = "b" }}]
default = "{default}"
[[firewall.rule]]
action = "deny"
from = "host:ha"
to = "host:hb"
service = "tcp/22"
[[firewall.rule]]
action = "allow"
from = "segment:a"
to = "segment:b"
service = ["tcp/1-1000"]
"#
        ))
    };
    let c = Case::new(&deny_then_allow("deny"));
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 22), "host:hb", false);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 23), "host:hb", true);
    // 10.0.0.1 is not host ha: the deny does not match it, the allow does.
    c.expect("10.0.0.1", "10.0.0.20", (TCP, 22), "host:hb", true);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 1001), "host:hb", false);
    c.expect("10.0.0.2", "10.0.0.20", (UDP, 53), "host:hb", false);
    // The rules name a → b; b → a falls to the default.
    c.expect("10.0.0.20", "10.0.0.2", (TCP, 80), "host:ha", false);
    let c = Case::new(&deny_then_allow("allow"));
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 22), "host:hb", false);
    c.expect("10.0.0.2", "10.0.0.20", (UDP, 53), "host:hb", true);
    c.expect("10.0.0.20", "10.0.0.2", (TCP, 80), "host:ha", true);
    // Hosts in one segment reach each other with no firewall at all.
    c.expect("10.0.0.9", "10.0.0.2", (GRE, 0), "host:ha", true);
}

#[test]
fn rules_limited_to_interfaces_apply_only_there() {
    let text = format!(
        r#"{}[[segment]]
id = "c"
zone = "z"
cidr = "10.0.0.32/28"
[[host]]
id = "hc"
kind = "server"
segment = "c"
ip = "10.0.0.40"
[[firewall]]
id = "fw"
interfaces = [{{ name = "p0", segment = "a" }}, {{ name = "p1", segment = "b" }}, {{ name = "p2", segment = "c" }}]
default = "deny"
[[firewall.rule]]
action = "allow"
from = "any"
to = "any"
in = ["p0"]
out = ["p2"]
"#,
        two_segments("")
    );
    let c = Case::new(&text);
    c.expect("10.0.0.2", "10.0.0.40", (TCP, 443), "host:hc", true);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 443), "host:hb", false);
    c.expect("10.0.0.20", "10.0.0.40", (TCP, 443), "host:hc", false);
    c.expect("10.0.0.40", "10.0.0.2", (TCP, 443), "host:ha", false);
}

#[test]
fn an_interface_filter_drops_what_the_policy_allows() {
    let text = two_segments(
        r#"[[firewall]]
id = "router"
interfaces = [{ name = "p0", segment = "a" }, { name = "p1", segment = "b" }]
default = "allow"
[[firewall.filter]]
interface = "p1"
direction = "out"
default = "allow"
[[firewall.filter.rule]]
action = "deny"
from = "any"
to = "any"
service = ["tcp/445", "udp/137-139"]
[[firewall.filter]]
interface = "p1"
direction = "in"
default = "deny"
[[firewall.filter.rule]]
action = "allow"
from = "segment:b"
to = "any"
service = "icmp"
"#,
    );
    let c = Case::new(&text);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 445), "host:hb", false);
    c.expect("10.0.0.2", "10.0.0.20", (UDP, 138), "host:hb", false);
    c.expect("10.0.0.2", "10.0.0.20", (UDP, 140), "host:hb", true);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 80), "host:hb", true);
    // Into the router through p1 only ICMP passes (its in filter), whatever the policy says.
    c.expect("10.0.0.20", "10.0.0.2", (ICMP, 0), "host:ha", true);
    c.expect("10.0.0.20", "10.0.0.2", (TCP, 80), "host:ha", false);
}

#[test]
fn transit_across_two_firewalls_and_the_connected_route() {
    let text = format!(
        r#"{}[[segment]]
id = "c"
zone = "z"
cidr = "10.0.0.32/28"
[[host]]
id = "hc"
kind = "server"
segment = "c"
ip = "10.0.0.40"
[[external]]
id = "internet"
kind = "internet"
[[firewall]]
id = "edge"
interfaces = [{{ name = "wan", external = "internet" }}, {{ name = "p1", segment = "b" }}, {{ name = "p0", segment = "a" }}]
default = "allow"
[[firewall.filter]]
interface = "p1"
direction = "out"
default = "deny"
[[firewall]]
id = "core"
interfaces = [{{ name = "p0", segment = "a" }}, {{ name = "p1", segment = "b" }}, {{ name = "p2", segment = "c" }}]
default = "deny"
[[firewall.rule]]
action = "allow"
from = "external:internet"
to = ["segment:b", "segment:c"]
service = "tcp/443"
"#,
        two_segments("")
    );
    let c = Case::new(&text);
    // internet → edge → a → core → c: segment a is a transit network.
    c.expect("8.8.8.8", "10.0.0.40", (TCP, 443), "host:hc", true);
    c.expect("8.8.8.8", "10.0.0.40", (TCP, 80), "host:hc", false);
    // Segment b is edge's own: edge sends packets for it out through p1 only, whose filter
    // drops everything. The detour through a and core would allow it, but is not taken.
    c.expect("8.8.8.8", "10.0.0.20", (TCP, 443), "host:hb", false);
    // Out to the internet: edge allows, and ha's packets start on a.
    c.expect("10.0.0.2", "8.8.8.8", (TCP, 443), "external:internet", true);
    // An inside address never belongs to the internet.
    c.expect(
        "10.0.0.2",
        "10.0.0.40",
        (TCP, 443),
        "external:internet",
        false,
    );
}

#[test]
fn a_host_with_two_interfaces_does_not_forward() {
    let text = format!(
        r#"{}[[host]]
id = "bridge"
kind = "server"
interfaces = [{{ segment = "a", ip = "10.0.0.10" }}, {{ segment = "b", ip = "10.0.0.30" }}]
"#,
        two_segments("")
    );
    let c = Case::new(&text);
    // From a, the bridge is reachable on its a address only; nothing crosses to b.
    c.expect("10.0.0.2", "10.0.0.10", (TCP, 445), "host:bridge", true);
    c.expect("10.0.0.2", "10.0.0.30", (TCP, 445), "host:bridge", false);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 445), "host:hb", false);
    // The bridge sends from the address of the interface it uses.
    c.expect("10.0.0.30", "10.0.0.20", (TCP, 445), "host:hb", true);
    c.expect("10.0.0.10", "10.0.0.20", (TCP, 445), "host:hb", false);
}

#[test]
fn the_most_specific_external_owns_an_address() {
    let text = two_segments(
        r#"[[external]]
id = "internet"
kind = "internet"
[[external]]
id = "lgwan"
kind = "lgwan"
cidrs = ["172.16.0.0/30", "10.0.0.0/24"]
[[firewall]]
id = "fw"
interfaces = [{ name = "p0", segment = "a" }, { name = "wan", external = "internet" }, { name = "lg", external = "lgwan" }]
default = "deny"
[[firewall.rule]]
action = "allow"
from = "segment:a"
to = "external:lgwan"
[[firewall.rule]]
action = "allow"
from = "external:internet"
to = "segment:a"
service = "tcp/80"
"#,
    );
    let c = Case::new(&text);
    c.expect("10.0.0.2", "172.16.0.1", (TCP, 443), "external:lgwan", true);
    c.expect(
        "10.0.0.2",
        "172.16.0.1",
        (TCP, 443),
        "external:internet",
        false,
    );
    c.expect(
        "10.0.0.2",
        "172.16.0.4",
        (TCP, 443),
        "external:lgwan",
        false,
    );
    c.expect(
        "10.0.0.2",
        "8.8.8.8",
        (TCP, 443),
        "external:internet",
        false,
    );
    // lgwan's 10.0.0.0/24 leaves out the segments but takes the rest of the /24.
    c.expect("10.0.0.2", "10.0.0.100", (TCP, 443), "external:lgwan", true);
    c.expect("10.0.0.2", "10.0.0.20", (TCP, 443), "external:lgwan", false);
    // Packets from an lgwan address start on the lgwan, not the internet.
    c.expect("8.8.8.8", "10.0.0.2", (TCP, 80), "host:ha", true);
    c.expect("172.16.0.2", "10.0.0.2", (TCP, 80), "host:ha", false);
}

#[test]
fn replies_are_translated_back_crossing_by_crossing() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reach/nat-three-crossings.toml");
    let text = std::fs::read_to_string(path).unwrap();
    compare(&text, None).unwrap();
    compare_pairs(&text, PAIR_FLOWS).unwrap();
}
