//! Witnesses: one concrete flow and the hops it takes, each naming the rule that let it through
//! (or the default); and for a flow that does not get through, where it is dropped and why.
//!
//! The symbolic analysis says *whether* packets get through; here one concrete packet is
//! followed hop by hop (breadth first, so the path is a shortest one), evaluating each rule list
//! on it exactly as the device would.

use super::bdd::{Bdd, FALSE, Forest};
use super::reach::{Endpoint, Reachability};
use super::space::Flow;
use crate::graph::Net;
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange};
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

impl Reachability<'_> {
    /// Evaluates one list on a packet: the first matching rule, else the default. The match
    /// sets are named by `forest`'s ids (a firewall's lists are kept out of the shared manager).
    fn decide(
        forest: &Forest,
        matches: &[Bdd],
        actions: &[Action],
        default: Action,
        bits: &[bool],
        list: List,
    ) -> Decision {
        for (i, m) in matches.iter().enumerate() {
            if forest.contains(*m, bits) {
                return Decision {
                    list,
                    rule: Some(i),
                    action: actions[i],
                };
            }
        }
        Decision {
            list,
            rule: None,
            action: default,
        }
    }

    /// The decisions firewall `f` takes on a packet from interface `a` to `b`, stopping at the
    /// first deny. `None` when the connected route does not send the packet out through `b`.
    pub fn cross(&self, f: usize, a: usize, b: usize, flow: Flow) -> Option<Vec<Decision>> {
        let fw = &self.topo.firewalls[f];
        let route_ok = {
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
        let bits = self.space.bits(flow, a, b);
        let kept = &self.kept[f];
        let (forest, compiled) = (&kept.forest, &kept.lists);
        let mut decisions = Vec::new();
        let filter_decision = |k: Option<usize>, matches: &[Bdd]| {
            k.map(|k| {
                let filter = &fw.filters[k];
                let actions: Vec<Action> = filter.rules.iter().map(|r| r.action).collect();
                Self::decide(
                    forest,
                    matches,
                    &actions,
                    filter.default,
                    &bits,
                    List::Filter(k),
                )
            })
        };
        if let Some(d) = filter_decision(
            compiled.in_filters[a].filter,
            &compiled.in_filters[a].matches,
        ) {
            decisions.push(d);
            if d.action == Action::Deny {
                return Some(decisions);
            }
        }
        let actions: Vec<Action> = fw.rules.iter().map(|r| r.action).collect();
        let d = Self::decide(
            forest,
            &compiled.policy_matches,
            &actions,
            fw.default,
            &bits,
            List::Policy,
        );
        decisions.push(d);
        if d.action == Action::Deny {
            return Some(decisions);
        }
        if let Some(d) = filter_decision(
            compiled.out_filters[b].filter,
            &compiled.out_filters[b].matches,
        ) {
            decisions.push(d);
        }
        Some(decisions)
    }

    /// The networks a packet from this endpoint starts on.
    fn start_nets(&self, from: Endpoint, flow: Flow) -> Vec<Net> {
        match from {
            Endpoint::Host(h) => self.topo.hosts[h]
                .interfaces
                .iter()
                .filter(|i| i.ip.contains_addr(flow.src))
                .filter_map(|i| self.topo.segment_index(&i.segment.value))
                .map(Net::Segment)
                .collect(),
            Endpoint::External(x) => vec![Net::External(x)],
        }
    }

    /// Whether a packet on `net`, having crossed `hops` firewalls, has reached `to`.
    fn arrived(&self, to: Endpoint, net: Net, hops: usize, flow: Flow) -> bool {
        match to {
            Endpoint::Host(h) => self.topo.hosts[h].interfaces.iter().any(|i| {
                i.ip.contains_addr(flow.dst)
                    && matches!(net, Net::Segment(s) if self.topo.segments[s].id == i.segment.value)
            }),
            Endpoint::External(x) => {
                hops > 0
                    && net == Net::External(x)
                    && self.addrs.external_home[x]
                        .iter()
                        .any(|r| r.contains_addr(flow.dst))
            }
        }
    }

    /// Follows one packet breadth first. Returns the path to `to` if it gets there, else every
    /// drop in the order met.
    fn trace(&self, from: Endpoint, to: Endpoint, flow: Flow) -> Result<Vec<Hop>, Vec<Hop>> {
        let mut parent: BTreeMap<Net, Option<Hop>> = BTreeMap::new();
        let mut queue: VecDeque<(Net, usize)> = VecDeque::new();
        for net in self.start_nets(from, flow) {
            parent.insert(net, None);
            queue.push_back((net, 0));
        }
        let path_to = |parent: &BTreeMap<Net, Option<Hop>>, mut net: Net| {
            let mut hops = Vec::new();
            while let Some(Some(hop)) = parent.get(&net) {
                hops.push(hop.clone());
                net = hop.from;
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
                    let Some(decisions) = self.cross(p.firewall, p.interface, q.interface, flow)
                    else {
                        continue;
                    };
                    let hop = Hop {
                        firewall: p.firewall,
                        ingress: p.interface,
                        egress: q.interface,
                        from: net,
                        to: q.net,
                        decisions: decisions.clone(),
                    };
                    if decisions.iter().all(|d| d.action == Action::Allow) {
                        parent.insert(q.net, Some(hop));
                        queue.push_back((q.net, depth + 1));
                    } else if drops.len() < 16 {
                        let mut path = path_to(&parent, net);
                        path.push(hop);
                        drops.push(path);
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
        let flow = self.space.pleasant_example(set)?;
        let hops = self.trace(from, to, flow).ok()?;
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
        match self.trace(from, to, flow) {
            Ok(hops) => Ok(hops),
            Err(drops) => Err(Blocked { flow, drops }),
        }
    }
}
