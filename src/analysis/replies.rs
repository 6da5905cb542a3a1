//! The way a flow's replies take back to its source, and whether they get there.
//!
//! A reply starts where the flow was delivered. Hosts have no routing tables in the model, so
//! the destination is assumed to answer through the firewall that delivered the flow. From
//! there, a firewall with a routing table sends the reply where its table says for the reply's
//! destination (the flow's source, translated back); one without a table is assumed to send it
//! back the way the flow came (and, off the flow's path, any way its lists allow, as for any
//! packet). A route with a next hop hands the reply to the firewall holding that address. On
//! the way:
//!
//! - a stateful firewall the flow crossed lets the reply through, translating it back;
//! - a stateful firewall the flow did not cross drops it: it holds no connection for it (an
//!   asymmetric route);
//! - a stateless firewall must allow it by its lists (to one of the client's ephemeral ports);
//! - a routing table without a route back drops it.
//!
//! The flow's path reversed is tried first; when routing does not send the replies that way,
//! or they are dropped on it, every way routing allows is searched (breadth first). Where
//! several ways are possible (equal-cost routes, a route without a next hop onto a network
//! where several firewalls sit), the replies are said to return when one way gets them back.
//! None of this changes what the flow itself reaches: the answer is an annotation on the
//! witness.

use super::bdd::{Bdd, FALSE};
use super::reach::Reachability;
use super::space::{Flow, SVC};
use super::witness::{Decision, Hop, List};
use crate::graph::Net;
use crate::graph::routes::RouteKind;
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange, FirewallId};
use std::collections::{HashSet, VecDeque};

/// Whether replies to a flow get back to its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replies {
    /// They get back: every firewall on their way is stateful and saw the connection, or lets
    /// them through by its lists (`stateless_example`: a reply those lists allow).
    Return { stateless_example: Option<Flow> },
    /// A stateless firewall's lists drop them.
    Blocked {
        firewall: FirewallId,
        reply: Flow,
        decision: Decision,
    },
    /// A stateful firewall the flow did not cross drops them: it saw no connection for them.
    Unseen { firewall: FirewallId, reply: Flow },
    /// A firewall's routing table has no route back for them.
    NoRoute { firewall: FirewallId, reply: Flow },
}

impl Replies {
    /// The firewall that drops the replies, if one does.
    pub fn dropped_at(&self) -> Option<FirewallId> {
        match *self {
            Replies::Return { .. } => None,
            Replies::Blocked { firewall, .. }
            | Replies::Unseen { firewall, .. }
            | Replies::NoRoute { firewall, .. } => Some(firewall),
        }
    }
}

/// The firewalls the replies cross, from the flow's destination back to its source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyPath {
    /// In order; when the replies are dropped, the last hop is where (a firewall without a
    /// route back is not a hop: [`Replies::NoRoute`] names it).
    pub hops: Vec<Hop>,
    /// The flow's path reversed (the usual case, which outputs do not spell out again).
    pub reversed: bool,
    /// Firewalls on the way without a routing table, in order: their part of the way is
    /// assumed (the flow's path reversed), not read off a table.
    pub assumed: Vec<FirewallId>,
}

impl ReplyPath {
    /// The way of a flow that crosses no firewall.
    pub fn direct() -> ReplyPath {
        ReplyPath {
            hops: Vec::new(),
            reversed: true,
            assumed: Vec::new(),
        }
    }
}

/// A place the search got to: a reply with this header (port left at 0) on a network, with
/// the ports stateless lists on the way have let through.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    net: Net,
    header: Flow,
    ports: Bdd,
}

struct Node {
    state: State,
    parent: Option<usize>,
    /// The crossing that got here (`None` at the start).
    hop: Option<Hop>,
    /// The address of the next hop the route named, when it did.
    next_hop: Option<u32>,
}

/// What one search found.
enum Found {
    Back { hops: Vec<Hop>, ports: Bdd },
    Dropped { hops: Vec<Hop>, replies: Replies },
    Nowhere,
}

fn turned(flow: Flow) -> Flow {
    Flow {
        src: flow.dst,
        dst: flow.src,
        proto: flow.proto,
        port: 0,
    }
}

impl Reachability<'_> {
    /// The replies of the flow that took `hops` (sent as `flow`): their way back and whether
    /// they get there.
    pub fn replies(&mut self, hops: &[Hop], flow: Flow) -> (Replies, ReplyPath) {
        if hops.is_empty() {
            return (
                Replies::Return {
                    stateless_example: None,
                },
                ReplyPath::direct(),
            );
        }
        let reversed = self.search(hops, flow, true);
        let found = match reversed {
            Found::Back { .. } => reversed,
            Found::Dropped { .. } => match self.search(hops, flow, false) {
                back @ Found::Back { .. } => back,
                _ => reversed,
            },
            Found::Nowhere => self.search(hops, flow, false),
        };
        let (replies, path) = match found {
            Found::Back { hops: back, ports } => {
                // A reply the stateless firewalls allow, as the one nearest the source sees it.
                let example = self.space.example(ports);
                let stateless_example = back
                    .iter()
                    .rev()
                    .find(|h| !self.topo.firewalls[h.firewall].stateful)
                    .zip(example)
                    .map(|(h, e)| Flow {
                        proto: e.proto,
                        port: e.port,
                        ..h.flow
                    });
                (Replies::Return { stateless_example }, back)
            }
            Found::Dropped {
                hops: back,
                replies,
            } => (replies, back),
            // No way leads back (the replies go round, or are delivered elsewhere): they do
            // not return, for want of a route back from where the flow was delivered.
            Found::Nowhere => {
                let last = hops.last().expect("a flow through a firewall");
                (
                    Replies::NoRoute {
                        firewall: last.firewall,
                        reply: turned(last.out_flow()),
                    },
                    Vec::new(),
                )
            }
        };
        let is_reversed = path.len() <= hops.len()
            && path.iter().zip(hops.iter().rev()).all(|(r, f)| {
                r.firewall == f.firewall && r.ingress == f.egress && r.egress == f.ingress
            });
        let mut assumed: Vec<FirewallId> = Vec::new();
        for h in &path {
            if self.network.routing[h.firewall.0].is_none() && !assumed.contains(&h.firewall) {
                assumed.push(h.firewall);
            }
        }
        (
            replies,
            ReplyPath {
                hops: path,
                reversed: is_reversed,
                assumed,
            },
        )
    }

    /// The ports a reply may go to: one of the client's ephemeral ports for TCP and UDP, any
    /// for other protocols.
    fn reply_ports(&mut self, proto: u8) -> Bdd {
        let p = u64::from(proto) << 16;
        let low = if proto == TCP || proto == UDP {
            1024
        } else {
            0
        };
        self.space.m.range(SVC, 24, p | low, p | 0xffff)
    }

    /// Breadth-first search of the replies' way; with `reversed`, only the flow's path
    /// reversed is followed.
    fn search(&mut self, hops: &[Hop], flow: Flow, reversed: bool) -> Found {
        let last = hops.last().expect("a flow through a firewall");
        let start = State {
            net: last.to,
            header: turned(last.out_flow()),
            ports: self.reply_ports(flow.proto),
        };
        let home = hops[0].from;
        let mut nodes = vec![Node {
            state: start,
            parent: None,
            hop: None,
            next_hop: None,
        }];
        let mut seen: HashSet<State> = HashSet::from([start]);
        let mut queue = VecDeque::from([(0usize, 0usize)]);
        let mut first_drop: Option<(usize, Option<Hop>, Replies)> = None;
        while let Some((n, depth)) = queue.pop_front() {
            let State { net, header, ports } = nodes[n].state;
            if depth > 0 && net == home && header.dst == flow.src {
                return Found::Back {
                    hops: path(&nodes, n),
                    ports,
                };
            }
            if depth > 0 && self.delivered_elsewhere(net, header) {
                continue;
            }
            // Which firewall may take the reply here: on the way back the one the flow crossed
            // at this depth (reversed); at the start the one that delivered the flow; after a
            // route with a next hop, the firewall holding it (when one on the network does).
            let wanted = if reversed {
                hops.len()
                    .checked_sub(depth + 1)
                    .map(|k| (hops[k].firewall.0, hops[k].egress))
            } else if depth == 0 {
                Some((last.firewall.0, last.egress))
            } else {
                None
            };
            if reversed && wanted.is_none() {
                continue;
            }
            let holder = nodes[n].next_hop.filter(|&ip| self.holds(net, ip));
            let ports_here = self.network.ports_on(net).to_vec();
            for p in ports_here {
                let (f, a) = (p.firewall, p.interface);
                if wanted.is_some_and(|w| w != (f, a)) {
                    continue;
                }
                if let Some(ip) = holder
                    && self.topo.firewalls[f].interfaces[a]
                        .ip
                        .as_ref()
                        .is_none_or(|i| u32::from(i.value) != ip)
                {
                    continue;
                }
                let steps =
                    self.reply_crossings(hops, f, a, header, ports, reversed.then_some(depth));
                for step in steps {
                    match step {
                        Step::On {
                            hop,
                            state,
                            next_hop,
                        } => {
                            if seen.insert(state) {
                                nodes.push(Node {
                                    state,
                                    parent: Some(n),
                                    hop: Some(hop),
                                    next_hop,
                                });
                                queue.push_back((nodes.len() - 1, depth + 1));
                            }
                        }
                        Step::Drop { hop, replies } => {
                            if first_drop.is_none() {
                                first_drop = Some((n, hop, replies));
                            }
                        }
                    }
                }
            }
        }
        match first_drop {
            Some((n, hop, replies)) => {
                let mut hops = path(&nodes, n);
                hops.extend(hop);
                Found::Dropped { hops, replies }
            }
            None => Found::Nowhere,
        }
    }

    /// Whether a reply on `net` has been delivered somewhere other than its destination's
    /// network: onto a segment that holds its destination address (it is not taken on).
    fn delivered_elsewhere(&self, net: Net, header: Flow) -> bool {
        match net {
            Net::Segment(s) => {
                AddrRange::from_net(*self.topo.segments[s].cidr).contains_addr(header.dst)
            }
            Net::External(_) => false,
        }
    }

    /// Whether some firewall on `net` has the address `ip`.
    fn holds(&self, net: Net, ip: u32) -> bool {
        self.network.ports_on(net).iter().any(|p| {
            self.topo.firewalls[p.firewall].interfaces[p.interface]
                .ip
                .as_ref()
                .is_some_and(|i| u32::from(i.value) == ip)
        })
    }

    /// What firewall `f` does with a reply entering through `a`: the ways on, or a drop.
    /// `step` is the reply's position on the flow's path reversed, when only that is followed.
    fn reply_crossings(
        &mut self,
        hops: &[Hop],
        f: usize,
        a: usize,
        header: Flow,
        ports: Bdd,
        step: Option<usize>,
    ) -> Vec<Step> {
        // The flow's crossing of this firewall the reply answers: on the flow's path reversed,
        // the one at this step; elsewhere, the last one through the interface the reply enters
        // by whose packet the reply answers (a flow may cross a firewall more than once, each
        // time translated differently), else the last one through that interface, else the
        // last one at all.
        let crossed = match step {
            Some(k) => Some(hops.len() - 1 - k),
            None => {
                let through = |h: &Hop| h.firewall.0 == f && h.egress == a;
                hops.iter()
                    .rposition(|h| {
                        let out = turned(h.out_flow());
                        through(h) && (out.src, out.dst) == (header.src, header.dst)
                    })
                    .or_else(|| hops.iter().rposition(through))
                    .or_else(|| hops.iter().rposition(|h| h.firewall.0 == f))
            }
        };
        // A firewall that translated the flow translates the reply back before routing it.
        let inside = match crossed {
            Some(k) if !hops[k].nat.is_empty() => turned(hops[k].flow),
            _ => header,
        };
        let fw = &self.topo.firewalls[f];
        let exits: Vec<(usize, Net, Option<RouteKind>)> = if let Some(k) = step {
            let h = &hops[hops.len() - 1 - k];
            let route = self.network.routing[f]
                .as_ref()
                .map(|t| t.route_out(inside.dst, h.ingress));
            match route {
                Some(None) => Vec::new(),
                Some(kind) => vec![(h.ingress, h.from, kind)],
                None => vec![(h.ingress, h.from, None)],
            }
        } else {
            self.network.ports[f]
                .iter()
                .filter(|q| q.interface != a)
                .filter_map(|q| match &self.network.routing[f] {
                    Some(t) => t
                        .route_out(inside.dst, q.interface)
                        .map(|kind| (q.interface, q.net, Some(kind))),
                    // No table: back the way the flow came when it came through here (by
                    // any of its crossings through this interface), else any way the
                    // connected routes allow.
                    None if hops.iter().any(|h| h.firewall.0 == f && h.egress == a) => hops
                        .iter()
                        .any(|h| h.firewall.0 == f && h.egress == a && h.ingress == q.interface)
                        .then_some((q.interface, q.net, None)),
                    None => self
                        .routes_out(f, q.interface, inside.dst)
                        .map(|()| (q.interface, q.net, None)),
                })
                .collect()
        };
        let from = self.network.ports[f]
            .iter()
            .find(|q| q.interface == a)
            .map(|q| q.net)
            .expect("the reply enters through a port of the firewall");
        let reply = |ports: Bdd, this: &Self| {
            let e = this.space.example(ports);
            Flow {
                proto: e.map_or(header.proto, |e| e.proto),
                port: e.map_or(0, |e| e.port),
                ..header
            }
        };
        let hop = |b: usize, to: Net, route: Option<RouteKind>, flow: Flow| Hop {
            firewall: FirewallId(f),
            ingress: a,
            egress: b,
            from,
            to,
            decisions: Vec::new(),
            route,
            flow,
            nat: Vec::new(),
            hidden: false,
        };
        if exits.is_empty() {
            // Only a table drops a reply for want of a route (without one, some way is
            // assumed); on the flow's path reversed, a route elsewhere only ends that search.
            return if step.is_none() && self.network.routing[f].is_some() {
                vec![Step::Drop {
                    hop: None,
                    replies: Replies::NoRoute {
                        firewall: FirewallId(f),
                        reply: reply(ports, self),
                    },
                }]
            } else {
                Vec::new()
            };
        }
        if fw.stateful {
            if crossed.is_none() {
                let (b, to, route) = exits[0];
                let r = reply(ports, self);
                return vec![Step::Drop {
                    hop: Some(hop(b, to, route, r)),
                    replies: Replies::Unseen {
                        firewall: FirewallId(f),
                        reply: r,
                    },
                }];
            }
            return exits
                .into_iter()
                .map(|(b, to, route)| Step::On {
                    hop: hop(b, to, route, reply(ports, self)),
                    state: State {
                        net: to,
                        header: inside,
                        ports,
                    },
                    next_hop: self.next_hop(f, route),
                })
                .collect();
        }
        // Stateless: its lists decide the reply as it arrives, over the ports still open.
        let back_src = self
            .space
            .header_src(&[AddrRange::single(header.src.into())]);
        let back_dst = self.space.dst(&[AddrRange::single(header.dst.into())]);
        let addressed = self.space.m.and(back_src, back_dst);
        let here = self.space.m.and(addressed, ports);
        let mut steps = Vec::new();
        for (b, to, route) in exits {
            let t = self.transfer(f, a, b);
            let passed = self.space.m.and(here, t);
            if passed == FALSE {
                let r = self.space.example(here).unwrap_or(header);
                let decisions = self.cross(f, a, b, r).unwrap_or_default();
                let decision = decisions.last().copied().unwrap_or(Decision {
                    list: List::Policy,
                    rule: None,
                    action: Action::Deny,
                });
                let mut h = hop(b, to, route, r);
                h.decisions = decisions;
                steps.push(Step::Drop {
                    hop: Some(h),
                    replies: Replies::Blocked {
                        firewall: FirewallId(f),
                        reply: r,
                        decision,
                    },
                });
                continue;
            }
            let open = self.space.project(passed, SVC, 24);
            let r = reply(open, self);
            let mut h = hop(b, to, route, r);
            h.decisions = self.cross(f, a, b, r).unwrap_or_default();
            steps.push(Step::On {
                hop: h,
                state: State {
                    net: to,
                    header: inside,
                    ports: open,
                },
                next_hop: self.next_hop(f, route),
            });
        }
        steps
    }

    /// The next hop a route names, when it does.
    fn next_hop(&self, f: usize, route: Option<RouteKind>) -> Option<u32> {
        match route? {
            RouteKind::Static(k) => self.topo.firewalls[f].routes[k]
                .next_hop
                .as_ref()
                .map(|h| u32::from(h.value)),
            RouteKind::Connected => None,
        }
    }
}

/// One way a reply goes on from a firewall, or where it stops.
enum Step {
    On {
        hop: Hop,
        state: State,
        next_hop: Option<u32>,
    },
    Drop {
        /// The crossing that drops it (none when no route leads out).
        hop: Option<Hop>,
        replies: Replies,
    },
}

/// The hops from the start to node `n`.
fn path(nodes: &[Node], mut n: usize) -> Vec<Hop> {
    let mut hops = Vec::new();
    while let Some(hop) = &nodes[n].hop {
        hops.push(hop.clone());
        n = nodes[n].parent.expect("a node with a hop has a parent");
    }
    hops.reverse();
    hops
}
