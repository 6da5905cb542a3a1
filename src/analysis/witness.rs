//! Witnesses: one concrete flow and the hops it takes, each naming the rule that let it through
//! (or the default); and for a flow that does not get through, where it is dropped and why.
//!
//! The symbolic analysis says *whether* packets get through; here one concrete packet is
//! followed hop by hop (breadth first, so the path is a shortest one), evaluating each rule list
//! on it exactly as the device would.

use super::acl;
use super::bdd::{Bdd, FALSE};
use super::nat::{Applied, Arrival};
use super::reach::{Endpoint, Reachability};
use super::space::Flow;
use crate::graph::Net;
use crate::model::{Action, AddrRange, Direction, Firewall, FirewallId, Rule};
use std::collections::{BTreeMap, VecDeque};

/// Which ordered list of a firewall decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// The interface filter at this index of `Firewall::filters`.
    Filter(usize),
    /// The policy list (`[[firewall.rule]]`).
    Policy,
}

/// One list's verdict on a packet: the matching rule (index in the list) or the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub list: List,
    pub rule: Option<usize>,
    pub action: Action,
}

/// A packet crossing one firewall from one interface to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub firewall: FirewallId,
    pub ingress: usize,
    pub egress: usize,
    pub from: Net,
    pub to: Net,
    /// In order: ingress filter (if any), policy list, egress filter (if any). All allow,
    /// except the last one of a dropped packet.
    pub decisions: Vec<Decision>,
    /// The route the packet took out of the firewall, when the firewall has a routing table
    /// (`None`: no table, so any path the lists allow is assumed).
    pub route: Option<crate::graph::routes::RouteKind>,
    /// The packet's header as it enters the firewall.
    pub flow: Flow,
    /// The translations the firewall applied, in order (destination NAT, then source NAT).
    pub nat: Vec<Applied>,
    /// Dropped because no destination NAT translated it and a source NAT hides the address it
    /// was sent to behind the interface it entered (an unsolicited connection).
    pub hidden: bool,
}

impl Hop {
    /// The header as the packet leaves the firewall.
    pub fn out_flow(&self) -> Flow {
        self.nat.last().map_or(self.flow, |t| t.after)
    }
}

/// What a firewall does with one packet from one interface to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossing {
    pub decisions: Vec<Decision>,
    pub nat: Vec<Applied>,
    pub hidden: bool,
    /// The header as the packet leaves.
    pub out: Flow,
}

impl Crossing {
    fn passes(&self) -> bool {
        !self.hidden && self.decisions.iter().all(|d| d.action == Action::Allow)
    }
}

pub use super::replies::{Replies, ReplyPath};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub flow: Flow,
    pub hops: Vec<Hop>,
    /// Whether the replies get back to the source.
    pub replies: Replies,
    /// The way they take (docs/SEMANTICS.md, Replies).
    pub reply_path: ReplyPath,
}

/// Why a flow does not get through: the drops nearest to the source first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub flow: Flow,
    /// The path to the firewall that dropped it, ending with the dropping hop.
    pub drops: Vec<Hop>,
}

/// Drops kept when explaining why a flow does not get through.
const MAX_DROPS: usize = 16;

impl Reachability<'_> {
    /// Evaluates one list on a packet from interface `a` to `b`: the first matching rule,
    /// else the default.
    fn decide(
        &self,
        fw: &Firewall,
        rules: &[Rule],
        default: Action,
        (flow, a, b): (Flow, usize, usize),
        list: List,
    ) -> Decision {
        let first = rules
            .iter()
            .position(|r| acl::rule_matches(&self.addrs, fw, r, flow, a, b));
        Decision {
            list,
            rule: first,
            action: first.map_or(default, |i| rules[i].action),
        }
    }

    /// The decisions firewall `f` takes on a packet from interface `a` to `b`, stopping at the
    /// first deny. `None` when the route does not send the packet out through `b`.
    pub fn cross(&self, f: usize, a: usize, b: usize, flow: Flow) -> Option<Vec<Decision>> {
        self.crossing(f, a, b, flow).map(|c| c.decisions)
    }

    /// [`crossings`](Self::crossings), the first way (a pool's first address).
    pub fn crossing(&self, f: usize, a: usize, b: usize, flow: Flow) -> Option<Crossing> {
        self.crossings(f, a, b, flow)
            .and_then(|c| c.into_iter().next())
    }

    /// Whether the route of firewall `f` sends a packet for `dst` out through interface `b`.
    pub(super) fn routes_out(&self, f: usize, b: usize, dst: u32) -> Option<()> {
        let route_ok = if let Some(table) = &self.network.routing[f] {
            table.route_out(dst, b).is_some()
        } else {
            let ports = &self.network.ports[f];
            let own = |net: Net| match net {
                Net::Segment(i) => Some(AddrRange::from_net(*self.topo.segments[i].cidr)),
                Net::External(_) => None,
            };
            let target = ports.iter().find(|p| p.interface == b).map(|p| p.net)?;
            let connected: Vec<AddrRange> = ports.iter().filter_map(|p| own(p.net)).collect();
            let in_connected = connected.iter().any(|r| r.contains_addr(dst));
            !in_connected || own(target).is_some_and(|r| r.contains_addr(dst))
        };
        route_ok.then_some(())
    }

    /// What firewall `f` does with a packet from interface `a` to `b`, in the order of its
    /// pipeline: `in` filter, destination NAT, route, policy list, source NAT, `out` filter,
    /// stopping at the first drop. `None` when the route does not send the packet out
    /// through `b`.
    ///
    /// A source NAT to a pool may give the packet any of its addresses: one crossing per
    /// address tried.
    pub fn crossings(&self, f: usize, a: usize, b: usize, flow: Flow) -> Option<Vec<Crossing>> {
        self.read_firewall(f);
        let fw = &self.topo.firewalls[f];
        let arrived = if fw.nat.is_empty() {
            Arrival::Passes(flow, None)
        } else {
            super::nat::inbound(&self.addrs, fw, a, flow)
        };
        let routed = match arrived {
            Arrival::Passes(f, _) => f,
            Arrival::Unsolicited => flow,
        };
        self.routes_out(f, b, routed.dst)?;
        Some(self.through_lists(f, a, b, flow, arrived))
    }

    /// What firewall `f`'s lists do with a packet from interface `a` to `b`, whatever its
    /// routing says, stopping at the first deny (a blackhole's witness shows what the lists
    /// allow and the table cannot forward); a pool's first address where source NAT applies.
    pub fn list_crossing(&self, f: usize, a: usize, b: usize, flow: Flow) -> Crossing {
        self.read_firewall(f);
        let fw = &self.topo.firewalls[f];
        let arrived = if fw.nat.is_empty() {
            Arrival::Passes(flow, None)
        } else {
            super::nat::inbound(&self.addrs, fw, a, flow)
        };
        self.through_lists(f, a, b, flow, arrived)
            .into_iter()
            .next()
            .expect("a crossing has at least one way")
    }

    /// The pipeline of firewall `f` after the route lookup has chosen `b`: `in` filter, the
    /// destination NAT already applied in `arrived`, policy list, source NAT, `out` filter.
    fn through_lists(
        &self,
        f: usize,
        a: usize,
        b: usize,
        flow: Flow,
        arrived: Arrival,
    ) -> Vec<Crossing> {
        let fw = &self.topo.firewalls[f];
        let mut c = Crossing {
            decisions: Vec::new(),
            nat: Vec::new(),
            hidden: false,
            out: flow,
        };
        let filter_decision = |i: usize, direction: Direction, packet: Flow| {
            acl::filter_at(fw, i, direction).map(|k| {
                let filter = &fw.filters[k];
                self.decide(
                    fw,
                    &filter.rules,
                    filter.default,
                    (packet, a, b),
                    List::Filter(k),
                )
            })
        };
        if let Some(d) = filter_decision(a, Direction::In, flow) {
            c.decisions.push(d);
            if d.action == Action::Deny {
                return vec![c];
            }
        }
        let Arrival::Passes(inside, applied) = arrived else {
            c.hidden = true;
            return vec![c];
        };
        c.nat.extend(applied);
        c.out = inside;
        let d = self.decide(fw, &fw.rules, fw.default, (inside, a, b), List::Policy);
        c.decisions.push(d);
        if d.action == Action::Deny {
            return vec![c];
        }
        let leaving = if fw.nat.is_empty() {
            vec![(inside, None)]
        } else {
            super::nat::outbound(&self.addrs, fw, b, inside)
        };
        let ways: Vec<Crossing> = leaving
            .into_iter()
            .map(|(out, applied)| {
                let mut c = c.clone();
                c.nat.extend(applied);
                c.out = out;
                if let Some(d) = filter_decision(b, Direction::Out, out) {
                    c.decisions.push(d);
                }
                c
            })
            .collect();
        if ways.is_empty() { vec![c] } else { ways }
    }

    /// The networks a packet from this endpoint starts on: the segments where it has the
    /// packet's source address, or its external.
    fn start_nets(&self, from: Endpoint, flow: Flow) -> Vec<Net> {
        match from {
            Endpoint::External(x) => vec![Net::External(x.0)],
            _ => self
                .endpoint_legs(from)
                .into_iter()
                .filter(|(_, addrs)| addrs.iter().any(|r| r.contains_addr(flow.src)))
                .map(|(s, _)| Net::Segment(s))
                .collect(),
        }
    }

    /// Whether a packet on `net`, having crossed `hops` firewalls, has reached `to`.
    fn arrived(&self, to: Endpoint, net: Net, hops: usize, flow: Flow) -> bool {
        match (to, net) {
            (Endpoint::External(x), _) => {
                hops > 0
                    && net == Net::External(x.0)
                    && self.addrs.external_home[x.0]
                        .iter()
                        .any(|r| r.contains_addr(flow.dst))
            }
            (_, Net::Segment(s)) => self.endpoint_at(to, s, flow.dst),
            (_, Net::External(_)) => false,
        }
    }

    /// Follows one packet breadth first. Returns the path to `to` if it gets there, else every
    /// drop in the order met (at most 16).
    ///
    /// Whether a packet crosses a firewall without translations from one interface to another
    /// is read off the firewall's transfer set (one walk down a BDD), not by evaluating its rule
    /// lists: the search may try every crossing of a large network, and a list is hundreds of
    /// rules. The decisions (which rule let the packet through) are then found by evaluating
    /// the lists, only for the hops on the path found and for the drops kept. The two agree by
    /// construction (the transfer set is compiled from the same lists and route); should they
    /// ever not, the search is repeated deciding every crossing by the lists, so a witness
    /// always shows what the device would do. A firewall that translates is always asked
    /// through its lists and translations ([`crossing`](Self::crossing)), since the packet
    /// leaving it differs from the one entering.
    ///
    /// `drops` says whether the drops are wanted: finding each one's decisions costs an
    /// evaluation of the lists, and a witness only needs the path.
    fn trace(
        &self,
        from: Endpoint,
        to: Endpoint,
        flow: Flow,
        drops: bool,
    ) -> Result<Vec<Hop>, Vec<Hop>> {
        let kept = if drops { MAX_DROPS } else { 0 };
        match self.trace_by(from, to, flow, kept, true) {
            Ok(hops)
                if hops.iter().all(|h| {
                    h.decisions.iter().all(|d| d.action == Action::Allow) && !h.decisions.is_empty()
                }) =>
            {
                Ok(hops)
            }
            _ => self.trace_by(from, to, flow, kept, false),
        }
    }

    /// The breadth-first search of [`trace`](Self::trace) over (network, header) pairs: the
    /// header changes only where a firewall translates. With `fast`, firewalls without
    /// translations are asked through their transfer sets (their decisions are filled in for
    /// the path found); otherwise every crossing is decided by the lists. The lists are
    /// evaluated for the drops kept, at most `max_drops`.
    fn trace_by(
        &self,
        from: Endpoint,
        to: Endpoint,
        flow: Flow,
        max_drops: usize,
        fast: bool,
    ) -> Result<Vec<Hop>, Vec<Hop>> {
        type At = (Net, Flow);
        let mut parent: BTreeMap<At, Option<Hop>> = BTreeMap::new();
        let mut queue: VecDeque<(At, usize)> = VecDeque::new();
        for net in self.start_nets(from, flow) {
            parent.insert((net, flow), None);
            queue.push_back(((net, flow), 0));
        }
        // The hops from a start to `at`, with every hop's decisions filled in.
        let path_to = |parent: &BTreeMap<At, Option<Hop>>, mut at: At| {
            let mut hops = Vec::new();
            while let Some(Some(hop)) = parent.get(&at) {
                let mut hop = hop.clone();
                if hop.decisions.is_empty() {
                    hop.decisions = self
                        .cross(hop.firewall.0, hop.ingress, hop.egress, hop.flow)
                        .unwrap_or_default();
                }
                at = (hop.from, hop.flow);
                hops.push(hop);
            }
            hops.reverse();
            hops
        };
        let mut drops = Vec::new();
        while let Some(((net, here), depth)) = queue.pop_front() {
            if self.arrived(to, net, depth, here) {
                return Ok(path_to(&parent, (net, here)));
            }
            for p in self.network.ports_on(net) {
                for q in &self.network.ports[p.firewall] {
                    if q.interface == p.interface {
                        continue;
                    }
                    let (f, a, b) = (p.firewall, p.interface, q.interface);
                    // Through a firewall that does not translate, the packet stays the same.
                    if !self.translates(f) && parent.contains_key(&(q.net, here)) {
                        continue;
                    }
                    let quick = fast && !self.translates(f);
                    let crossing = if quick {
                        let bits = self.space.bits(here, a, b);
                        self.space
                            .m
                            .contains(self.transfer(f, a, b), &bits)
                            .then(|| {
                                vec![Crossing {
                                    decisions: Vec::new(),
                                    nat: Vec::new(),
                                    hidden: false,
                                    out: here,
                                }]
                            })
                    } else {
                        self.crossings(f, a, b, here)
                    };
                    let hop = |c: &Crossing| Hop {
                        firewall: FirewallId(f),
                        ingress: a,
                        egress: b,
                        from: net,
                        to: q.net,
                        decisions: c.decisions.clone(),
                        route: self.network.routing[f].as_ref().and_then(|t| {
                            t.route_out(c.nat.first().map_or(here, |n| n.after).dst, b)
                        }),
                        flow: here,
                        nat: c.nat.clone(),
                        hidden: c.hidden,
                    };
                    // A packet not forwarded by the transfer set: a drop when the route sends
                    // it out there (the lists say by which rule), nothing when it does not.
                    let crossing = match crossing {
                        None if quick && drops.len() < max_drops => self.crossings(f, a, b, here),
                        other => other,
                    };
                    for c in crossing.unwrap_or_default() {
                        if c.decisions.is_empty() && !c.hidden || c.passes() {
                            let next = (q.net, c.out);
                            if let std::collections::btree_map::Entry::Vacant(e) =
                                parent.entry(next)
                            {
                                e.insert(Some(hop(&c)));
                                queue.push_back((next, depth + 1));
                            }
                        } else if drops.len() < max_drops {
                            let mut path = path_to(&parent, (net, here));
                            path.push(hop(&c));
                            drops.push(path);
                        }
                    }
                }
            }
        }
        Err(drops
            .into_iter()
            .map(|mut p| p.pop().expect("non-empty"))
            .collect())
    }

    /// A witness for packets in `set` (which must get from `from` to `to`).
    pub fn witness(&mut self, from: Endpoint, to: Endpoint, set: Bdd) -> Option<Witness> {
        // An undeclared device is shown at a usable address: not the segment's network or
        // broadcast address, when the set has packets at others.
        let mut set = set;
        for (e, src) in [(from, true), (to, false)] {
            let Endpoint::Undeclared(s) = e else { continue };
            let cidr = *self.topo.segments[s].cidr;
            if cidr.prefix_len() >= 31 {
                continue;
            }
            let ends = [
                AddrRange::from_net(cidr).first,
                AddrRange::from_net(cidr).last,
            ]
            .map(|a| AddrRange { first: a, last: a });
            let at_ends = if src {
                self.space.src(&ends)
            } else {
                self.space.dst(&ends)
            };
            let usable = self.space.m.diff(set, at_ends);
            if usable != FALSE {
                set = usable;
            }
        }
        let flow = self.space.pleasant_example(set)?;
        let hops = self.trace(from, to, flow, false).ok()?;
        let (replies, reply_path) = self.replies(&hops, flow);
        Some(Witness {
            flow,
            hops,
            replies,
            reply_path,
        })
    }

    /// Why a concrete flow from `from` does not reach `to`: the drops nearest the source.
    pub fn why_not(&self, from: Endpoint, to: Endpoint, flow: Flow) -> Result<Vec<Hop>, Blocked> {
        match self.trace(from, to, flow, true) {
            Ok(hops) => Ok(hops),
            Err(drops) => Err(Blocked { flow, drops }),
        }
    }
}
