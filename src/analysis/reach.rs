//! Packet reachability over the whole header space.
//!
//! Every network starts with the packets that can originate on it: a segment, those from its own
//! addresses; an external, those from the addresses whose home it is. Firewalls then move
//! packets between the networks they touch (ingress filter, policy list, egress filter, and the
//! connected route), until nothing new arrives anywhere. Because a packet's source address tells
//! where it came from, one fixpoint answers every question about every pair of endpoints.

use super::acl::{self, CompiledFirewall};
use super::bdd::{Bdd, FALSE};
use super::space::Space;
use crate::graph::addresses::Addresses;
use crate::graph::{Net, Network};
use crate::model::ranges::normalize;
use crate::model::{AddrRange, Topology};
use std::collections::VecDeque;

/// One end of a flow: a host (or host group), or an external network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Host(usize),
    External(usize),
}

pub struct Reachability<'t> {
    pub topo: &'t Topology,
    pub network: Network<'t>,
    pub addrs: Addresses<'t>,
    pub space: Space,
    pub firewalls: Vec<CompiledFirewall>,
    /// transfer[f][a][b]: packets firewall f forwards from interface a to interface b.
    transfer: Vec<Vec<Vec<Bdd>>>,
    /// Packets present on each network (originating there or forwarded into it).
    present: Vec<Bdd>,
    /// Packets forwarded into each network by some firewall.
    arrived: Vec<Bdd>,
}

impl<'t> Reachability<'t> {
    pub fn compute(topo: &'t Topology) -> Reachability<'t> {
        Reachability::compute_with_stops(topo, &[])
    }

    /// Reachability when packets may end on the `stops` networks but never be forwarded on from
    /// them: what is left is every path that avoids them (for "only via" assertions).
    pub fn compute_with_stops(topo: &'t Topology, stops: &[Net]) -> Reachability<'t> {
        let mut r = Reachability::prepare(topo);
        r.propagate(stops);
        r
    }

    /// The first half of [`compute`](Self::compute): the forwarding graph, address sets and
    /// compiled firewalls, with nothing propagated yet (benchmarks time the halves apart).
    pub fn prepare(topo: &'t Topology) -> Reachability<'t> {
        let network = Network::build(topo);
        let addrs = Addresses::new(topo);
        let mut space = Space::new();
        let firewalls: Vec<CompiledFirewall> = topo
            .firewalls
            .iter()
            .map(|fw| acl::compile(&mut space, &addrs, fw))
            .collect();
        let mut r = Reachability {
            topo,
            network,
            addrs,
            space,
            firewalls,
            transfer: Vec::new(),
            present: Vec::new(),
            arrived: Vec::new(),
        };
        r.transfer = (0..topo.firewalls.len())
            .map(|f| r.compile_transfers(f))
            .collect();
        r
    }

    fn net_index(&self, net: Net) -> usize {
        match net {
            Net::Segment(i) => i,
            Net::External(i) => self.topo.segments.len() + i,
        }
    }

    /// The addresses of a network's own segment, if it is one.
    fn segment_range(&self, net: Net) -> Option<AddrRange> {
        match net {
            Net::Segment(i) => Some(AddrRange::from_net(*self.topo.segments[i].cidr)),
            Net::External(_) => None,
        }
    }

    /// Packets a firewall forwards between each pair of its interfaces. The connected route:
    /// a packet for one of the firewall's own segments leaves through that segment's interface.
    fn compile_transfers(&mut self, f: usize) -> Vec<Vec<Bdd>> {
        let fw = &self.topo.firewalls[f];
        let ports = self.network.ports[f].clone();
        let connected: Vec<AddrRange> = normalize(
            ports
                .iter()
                .filter_map(|p| self.segment_range(p.net))
                .collect(),
        );
        let connected = self.space.dst(&connected);
        let elsewhere = self.space.m.not(connected);
        let n = fw.interfaces.len();
        let mut out = vec![vec![FALSE; n]; n];
        for a in &ports {
            for b in &ports {
                if a.interface == b.interface {
                    continue;
                }
                let route = match self.segment_range(b.net) {
                    Some(r) => {
                        let own = self.space.dst(&[r]);
                        self.space.m.or(own, elsewhere)
                    }
                    None => elsewhere,
                };
                let compiled = &self.firewalls[f];
                let (policy, inf, outf) = (
                    compiled.policy,
                    compiled.in_filters[a.interface].permitted,
                    compiled.out_filters[b.interface].permitted,
                );
                let inf = self.space.at_interfaces(inf, a.interface, b.interface);
                let outf = self.space.at_interfaces(outf, a.interface, b.interface);
                let policy = self.space.at_interfaces(policy, a.interface, b.interface);
                let mut t = self.space.m.and(inf, policy);
                t = self.space.m.and(t, outf);
                t = self.space.m.and(t, route);
                out[a.interface][b.interface] = t;
            }
        }
        out
    }

    /// Packets that originate on a network.
    fn origin(&mut self, net: Net) -> Bdd {
        match net {
            Net::Segment(i) => {
                let r = AddrRange::from_net(*self.topo.segments[i].cidr);
                self.space.src(&[r])
            }
            Net::External(i) => {
                let home = self.addrs.external_home[i].clone();
                self.space.src(&home)
            }
        }
    }

    /// The second half: moves packets between networks until nothing new arrives. Packets may
    /// end on the `stops` networks but are not forwarded from them.
    pub fn propagate(&mut self, stops: &[Net]) {
        let nets: Vec<Net> = self.network.nets().collect();
        self.present = vec![FALSE; nets.len()];
        self.arrived = vec![FALSE; nets.len()];
        let mut queue: VecDeque<Net> = VecDeque::new();
        let mut queued = vec![false; nets.len()];
        for &net in &nets {
            let i = self.net_index(net);
            self.present[i] = self.origin(net);
            queue.push_back(net);
            queued[i] = true;
        }
        while let Some(net) = queue.pop_front() {
            let i = self.net_index(net);
            queued[i] = false;
            if stops.contains(&net) {
                continue;
            }
            let here = self.present[i];
            for p in self.network.ports_on(net).to_vec() {
                for q in self.network.ports[p.firewall].clone() {
                    if q.interface == p.interface {
                        continue;
                    }
                    let t = self.transfer[p.firewall][p.interface][q.interface];
                    let moved = self.space.m.and(here, t);
                    if moved == FALSE {
                        continue;
                    }
                    let j = self.net_index(q.net);
                    self.arrived[j] = self.space.m.or(self.arrived[j], moved);
                    let grown = self.space.m.or(self.present[j], moved);
                    if grown != self.present[j] {
                        self.present[j] = grown;
                        if !queued[j] {
                            queued[j] = true;
                            queue.push_back(q.net);
                        }
                    }
                }
            }
        }
    }

    /// Packets firewall `f` forwards from interface `a` to interface `b`.
    pub fn transfer(&self, f: usize, a: usize, b: usize) -> Bdd {
        self.transfer[f][a][b]
    }

    /// Packets present on a network.
    pub fn present(&self, net: Net) -> Bdd {
        self.present[self.net_index(net)]
    }

    /// The addresses an endpoint sends from.
    pub fn endpoint_addresses(&self, e: Endpoint) -> Vec<AddrRange> {
        match e {
            Endpoint::Host(h) => self.addrs.host_addresses(&self.topo.hosts[h]),
            Endpoint::External(x) => self.addrs.external_home[x].clone(),
        }
    }

    /// Every packet delivered to an endpoint, from anywhere: on one of a host's segments with a
    /// destination address of that interface, or forwarded into an external with a destination
    /// whose home is that external.
    pub fn delivered_to(&mut self, e: Endpoint) -> Bdd {
        match e {
            Endpoint::Host(h) => {
                let mut all = FALSE;
                for iface in &self.topo.hosts[h].interfaces {
                    let Some(s) = self.topo.segment_index(&iface.segment.value) else {
                        continue;
                    };
                    let dst = self.space.dst(&[iface.ip.value]);
                    let here = self.space.m.and(self.present[s], dst);
                    all = self.space.m.or(all, here);
                }
                all
            }
            Endpoint::External(x) => {
                let dst = self.space.dst(&self.addrs.external_home[x].clone());
                let i = self.net_index(Net::External(x));
                self.space.m.and(self.arrived[i], dst)
            }
        }
    }

    /// Whether one concrete packet is delivered to an endpoint (from wherever its source
    /// address says it starts).
    pub fn delivers(&mut self, to: Endpoint, flow: super::space::Flow) -> bool {
        let delivered = self.delivered_to(to);
        let one = self.space.flow(flow);
        self.space.m.subset(one, delivered)
    }

    /// The packets that get from one endpoint to another.
    pub fn between(&mut self, from: Endpoint, to: Endpoint) -> Bdd {
        let delivered = self.delivered_to(to);
        let src = self.space.src(&self.endpoint_addresses(from));
        self.space.m.and(delivered, src)
    }

    /// Packets delivered into a zone's segments (to any address there), from anywhere.
    pub fn delivered_to_zone(&mut self, zone: &str) -> Bdd {
        let mut all = FALSE;
        for (i, s) in self.topo.segments.iter().enumerate() {
            if s.zone.value == zone {
                let dst = self.space.dst(&[AddrRange::from_net(*s.cidr)]);
                let here = self.space.m.and(self.present[i], dst);
                all = self.space.m.or(all, here);
            }
        }
        all
    }

    /// Packets delivered into an external network (to an address whose home it is).
    pub fn delivered_to_external(&mut self, x: usize) -> Bdd {
        self.delivered_to(Endpoint::External(x))
    }

    /// The source addresses of a zone (all its segments).
    pub fn zone_addresses(&self, zone: &str) -> Vec<AddrRange> {
        normalize(
            self.topo
                .segments
                .iter()
                .filter(|s| s.zone.value == zone)
                .map(|s| AddrRange::from_net(*s.cidr))
                .collect(),
        )
    }
}
