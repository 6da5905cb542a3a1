//! Witnesses: one concrete flow and the hops it takes, each naming the rule that let it through
//! (or the default); and for a flow that does not get through, where it is dropped and why.
//!
//! The symbolic analysis says *whether* packets get through; here one concrete packet is
//! followed hop by hop (breadth first, so the path is a shortest one), evaluating each rule list
//! on it exactly as the device would.

use super::acl;
use super::bdd::{Bdd, FALSE};
use super::reach::{Endpoint, Reachability};
use super::space::Flow;
use crate::graph::Net;
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange, Direction, Firewall, Rule};
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
    pub firewall: usize,
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
}

/// Whether replies to a flow come back along its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replies {
    /// Every firewall on the path is stateful, or lets the reply through by its rules.
    Return { stateless_example: Option<Flow> },
    /// A stateless firewall drops the replies (hop index on the forward path).
    Blocked {
        hop: usize,
        reply: Flow,
        decision: Decision,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub flow: Flow,
    pub hops: Vec<Hop>,
    pub replies: Replies,
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
    /// first deny. `None` when the connected route does not send the packet out through `b`.
    pub fn cross(&self, f: usize, a: usize, b: usize, flow: Flow) -> Option<Vec<Decision>> {
        let route_ok = if let Some(table) = &self.network.routing[f] {
            table.route_out(flow.dst, b).is_some()
        } else {
            let ports = &self.network.ports[f];
            let own = |net: Net| match net {
                Net::Segment(i) => Some(AddrRange::from_net(*self.topo.segments[i].cidr)),
                Net::External(_) => None,
            };
            let target = ports.iter().find(|p| p.interface == b).map(|p| p.net)?;
            let connected: Vec<AddrRange> = ports.iter().filter_map(|p| own(p.net)).collect();
            let in_connected = connected.iter().any(|r| r.contains_addr(flow.dst));
            !in_connected || own(target).is_some_and(|r| r.contains_addr(flow.dst))
        };
        if !route_ok {
            return None;
        }
        Some(self.list_decisions(f, a, b, flow))
    }

    /// The decisions of firewall `f`'s lists on a packet from interface `a` to `b`, whatever
    /// its routing says, stopping at the first deny (a blackhole's witness shows what the
    /// lists allow and the table cannot forward).
    pub fn list_decisions(&self, f: usize, a: usize, b: usize, flow: Flow) -> Vec<Decision> {
        let fw = &self.topo.firewalls[f];
        let packet = (flow, a, b);
        let mut decisions = Vec::new();
        let filter_decision = |i: usize, direction: Direction| {
            acl::filter_at(fw, i, direction).map(|k| {
                let filter = &fw.filters[k];
                self.decide(fw, &filter.rules, filter.default, packet, List::Filter(k))
            })
        };
        if let Some(d) = filter_decision(a, Direction::In) {
            decisions.push(d);
            if d.action == Action::Deny {
                return decisions;
            }
        }
        let d = self.decide(fw, &fw.rules, fw.default, packet, List::Policy);
        decisions.push(d);
        if d.action == Action::Deny {
            return decisions;
        }
        if let Some(d) = filter_decision(b, Direction::Out) {
            decisions.push(d);
        }
        decisions
    }

    /// The networks a packet from this endpoint starts on: the segments where it has the
    /// packet's source address, or its external.
    fn start_nets(&self, from: Endpoint, flow: Flow) -> Vec<Net> {
        match from {
            Endpoint::External(x) => vec![Net::External(x)],
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
                    && net == Net::External(x)
                    && self.addrs.external_home[x]
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
    /// Whether a packet crosses a firewall from one interface to another is read off the
    /// firewall's transfer set (one walk down a BDD), not by evaluating its rule lists: the
    /// search may try every crossing of a large network, and a list is hundreds of rules. The
    /// decisions (which rule let the packet through) are then found by evaluating the lists,
    /// only for the hops on the path found and for the drops kept. The two agree by
    /// construction (the transfer set is compiled from the same lists and route); should they
    /// ever not, the search is repeated deciding every crossing by the lists, so a witness
    /// always shows what the device would do.
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
        let fast = self.trace_by(from, to, flow, kept, |f, a, b| {
            let bits = self.space.bits(flow, a, b);
            let passes = self.space.m.contains(self.transfer(f, a, b), &bits);
            passes.then_some(None)
        });
        match fast {
            Ok(hops)
                if hops
                    .iter()
                    .all(|h| !h.decisions.is_empty() && Self::allowed(&h.decisions)) =>
            {
                Ok(hops)
            }
            _ => self.trace_by(from, to, flow, kept, |f, a, b| {
                let decisions = self.cross(f, a, b, flow)?;
                Some(Some(decisions))
            }),
        }
    }

    fn allowed(decisions: &[Decision]) -> bool {
        decisions.iter().all(|d| d.action == Action::Allow)
    }

    /// The breadth-first search of [`trace`](Self::trace). `crossing(f, a, b)` says whether
    /// the packet is forwarded by firewall `f` from interface `a` to `b` when known cheaply:
    /// `Some(Some(decisions))` with the lists' decisions, `Some(None)` for "forwarded" without
    /// them, `None` for "not forwarded" (the lists are evaluated for the drops kept, at most
    /// `max_drops`).
    fn trace_by(
        &self,
        from: Endpoint,
        to: Endpoint,
        flow: Flow,
        max_drops: usize,
        crossing: impl Fn(usize, usize, usize) -> Option<Option<Vec<Decision>>>,
    ) -> Result<Vec<Hop>, Vec<Hop>> {
        let mut parent: BTreeMap<Net, Option<Hop>> = BTreeMap::new();
        let mut queue: VecDeque<(Net, usize)> = VecDeque::new();
        for net in self.start_nets(from, flow) {
            parent.insert(net, None);
            queue.push_back((net, 0));
        }
        // The hops from a start to `net`, with every hop's decisions filled in.
        let path_to = |parent: &BTreeMap<Net, Option<Hop>>, mut net: Net| {
            let mut hops = Vec::new();
            while let Some(Some(hop)) = parent.get(&net) {
                let mut hop = hop.clone();
                if hop.decisions.is_empty() {
                    hop.decisions = self
                        .cross(hop.firewall, hop.ingress, hop.egress, flow)
                        .unwrap_or_default();
                }
                net = hop.from;
                hops.push(hop);
            }
            hops.reverse();
            hops
        };
        let mut drops = Vec::new();
        while let Some((net, depth)) = queue.pop_front() {
            if self.arrived(to, net, depth, flow) {
                return Ok(path_to(&parent, net));
            }
            for p in self.network.ports_on(net) {
                for q in &self.network.ports[p.firewall] {
                    if q.interface == p.interface || parent.contains_key(&q.net) {
                        continue;
                    }
                    let hop = |decisions: Vec<Decision>| Hop {
                        firewall: p.firewall,
                        ingress: p.interface,
                        egress: q.interface,
                        from: net,
                        to: q.net,
                        decisions,
                        route: self.network.routing[p.firewall]
                            .as_ref()
                            .and_then(|t| t.route_out(flow.dst, q.interface)),
                    };
                    match crossing(p.firewall, p.interface, q.interface) {
                        Some(known) => {
                            let decisions = known.unwrap_or_default();
                            if decisions.is_empty() || Self::allowed(&decisions) {
                                parent.insert(q.net, Some(hop(decisions)));
                                queue.push_back((q.net, depth + 1));
                            } else if drops.len() < max_drops {
                                let mut path = path_to(&parent, net);
                                path.push(hop(decisions));
                                drops.push(path);
                            }
                        }
                        None if drops.len() < max_drops => {
                            // Not forwarded: a drop when the route sends it out there (the
                            // lists say by which rule), nothing when the route does not.
                            match self.cross(p.firewall, p.interface, q.interface, flow) {
                                // The lists let it through after all: follow them.
                                Some(decisions) if Self::allowed(&decisions) => {
                                    parent.insert(q.net, Some(hop(decisions)));
                                    queue.push_back((q.net, depth + 1));
                                }
                                Some(decisions) => {
                                    let mut path = path_to(&parent, net);
                                    path.push(hop(decisions));
                                    drops.push(path);
                                }
                                None => {}
                            }
                        }
                        None => {}
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
        let replies = self.replies(&hops, flow);
        Some(Witness {
            flow,
            hops,
            replies,
        })
    }

    /// Whether replies return: stateful firewalls pass them; stateless ones must allow the reply
    /// (destination port one of the client's ephemeral ports, 1024-65535, for TCP and UDP).
    fn replies(&mut self, hops: &[Hop], flow: Flow) -> Replies {
        let back_src = self.space.src(&[AddrRange {
            first: flow.dst,
            last: flow.dst,
        }]);
        let back_dst = self.space.dst(&[AddrRange {
            first: flow.src,
            last: flow.src,
        }]);
        let proto = u64::from(flow.proto) << 16;
        let ports = if flow.proto == TCP || flow.proto == UDP {
            self.space
                .m
                .range(super::space::SVC, 24, proto | 1024, proto | 0xffff)
        } else {
            self.space
                .m
                .range(super::space::SVC, 24, proto, proto | 0xffff)
        };
        let mut set = self.space.m.and(back_src, back_dst);
        set = self.space.m.and(set, ports);
        let mut any_stateless = false;
        for (k, hop) in hops.iter().enumerate().rev() {
            if self.topo.firewalls[hop.firewall].stateful {
                continue;
            }
            any_stateless = true;
            let t = self.transfer(hop.firewall, hop.egress, hop.ingress);
            let passed = self.space.m.and(set, t);
            if passed == FALSE {
                let reply = self.space.example(set).expect("non-empty reply set");
                let decision = self
                    .cross(hop.firewall, hop.egress, hop.ingress, reply)
                    .and_then(|d| d.last().copied())
                    .unwrap_or(Decision {
                        list: List::Policy,
                        rule: None,
                        action: Action::Deny,
                    });
                return Replies::Blocked {
                    hop: k,
                    reply,
                    decision,
                };
            }
            set = passed;
        }
        Replies::Return {
            stateless_example: if any_stateless {
                self.space.example(set)
            } else {
                None
            },
        }
    }

    /// Why a concrete flow from `from` does not reach `to`: the drops nearest the source.
    pub fn why_not(&self, from: Endpoint, to: Endpoint, flow: Flow) -> Result<Vec<Hop>, Blocked> {
        match self.trace(from, to, flow, true) {
            Ok(hops) => Ok(hops),
            Err(drops) => Err(Blocked { flow, drops }),
        }
    }
}
