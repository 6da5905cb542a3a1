//! Routing loops: packets that firewalls with routing tables pass round in a circle.
//!
//! The destination space is cut into classes at every prefix boundary of every table, so
//! within a class each table picks the same routes. Per class, the forwarding graph joins a
//! port (a firewall and the interface a packet enters by) to the ports of the other firewalls
//! with tables on the network its route leaves onto that can take it (on a segment the one
//! holding the route's next hop, any when the route names none or a firewall declares no
//! address; across an external network, which delivers by its own routing, only the firewall
//! whose address the route names), the network it came from included (two
//! routers on one transit link that point their routes at each other send a packet back and
//! forth through the same interfaces; reachability never needs that hairpin, since the other
//! router takes the packet from the link directly); its strongly connected components
//! (Tarjan's, from petgraph) are the only places a packet can go round. Routes alone do not
//! make a loop: the lists on the way may drop the packets. So within each component the
//! packets that can go round are computed exactly, as the greatest fixpoint of "crosses to a
//! port from which it can go on" over the transfer sets (which hold the lists and the route):
//! the graph is finite, so a packet that can walk on forever revisits a port. Only packets
//! that get to the component count (present on the network of a port of it), so every loop
//! reported has a concrete packet that gets there, and its witness goes round once.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::reach::Reachability;
use crate::analysis::space::Flow;
use crate::analysis::witness::Hop;
use crate::graph::routes::RouteKind;
use crate::graph::{Net, Port};
use crate::model::ranges::subtract;
use crate::model::{AddrRange, FirewallId};
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::Ipv4Addr;

/// Packets that go round a circle of firewalls.
pub struct Loop {
    /// The firewalls on the circle, sorted (what the finding is about).
    pub firewalls: Vec<FirewallId>,
    /// Destinations of the packets that go round these firewalls, over every class.
    pub destinations: Vec<AddrRange>,
    /// One packet that goes round, and one turn of it: the last hop leads back onto the
    /// network the first one came from.
    pub flow: Flow,
    pub hops: Vec<Hop>,
    /// Whether a firewall of the turn has equal-cost routes for the packet: then only the
    /// traffic it spreads onto the turn goes round.
    pub ecmp: bool,
    /// Every packet that gets to these firewalls and goes round (in the reachability's
    /// manager; the property test asks it packet by packet).
    pub packets: Bdd,
}

/// A move of the per-class graph: from port `from` out through interface `out` of its
/// firewall (onto network `via`), to port `to` of another firewall there.
#[derive(Clone, Copy)]
struct Move {
    from: usize,
    out: Port,
    to: usize,
}

/// Every routing loop, ordered by the firewalls on it.
pub fn loops(reach: &mut Reachability<'_>) -> Vec<Loop> {
    let topo = reach.topo;
    let tabled: Vec<usize> = (0..topo.firewalls.len())
        .filter(|&f| reach.network.routing[f].is_some())
        .collect();
    // A circle needs two firewalls with tables.
    if tabled.len() < 2 {
        return Vec::new();
    }
    let ports: Vec<Port> = tabled
        .iter()
        .flat_map(|&f| reach.network.ports[f].iter().copied())
        .collect();
    let node: HashMap<(usize, usize), usize> = ports
        .iter()
        .enumerate()
        .map(|(n, p)| ((p.firewall, p.interface), n))
        .collect();
    let mut found: BTreeMap<Vec<FirewallId>, (Loop, Bdd)> = BTreeMap::new();
    let next = NextFirewalls::new(reach, &tabled);
    for class in classes(reach, &tabled) {
        // Most classes go round nowhere: a cheap test on firewalls spares them the port graph.
        if !next.may_go_round(reach, class) {
            continue;
        }
        let moves = moves(reach, &ports, &node, class);
        let mut graph = DiGraphMap::<usize, ()>::new();
        for m in &moves {
            graph.add_edge(m.from, m.to, ());
        }
        for mut component in tarjan_scc(&graph) {
            if component.len() < 2 {
                continue;
            }
            component.sort_unstable();
            let members: BTreeSet<usize> = component.iter().copied().collect();
            let inside: Vec<Move> = moves
                .iter()
                .filter(|m| members.contains(&m.from) && members.contains(&m.to))
                .copied()
                .collect();
            let dst = reach.space.dst(&[class]);
            let labels: Vec<Bdd> = inside
                .iter()
                .map(|m| label(reach, ports[m.from], m.out))
                .collect();
            let around = going_round(reach, &component, &inside, &labels, dst);
            // The packets that get to the circle, port by port.
            let mut arriving = FALSE;
            let mut first = None;
            for &n in &component {
                let here = reach.present(ports[n].net);
                let a = reach.space.m.and(around[&n], here);
                if a != FALSE {
                    arriving = reach.space.m.or(arriving, a);
                    first.get_or_insert((n, a));
                }
            }
            let Some((start, set)) = first else { continue };
            let Some(flow) = reach.space.pleasant_example(set) else {
                continue;
            };
            let Some(turn) = turn(reach, &ports, &inside, &labels, &around, start, flow) else {
                continue;
            };
            let mut firewalls: Vec<FirewallId> = turn.iter().map(|h| h.firewall).collect();
            firewalls.sort_unstable();
            firewalls.dedup();
            let ecmp = turn.iter().any(|h| {
                reach.network.routing[h.firewall.0]
                    .as_ref()
                    .is_some_and(|t| t.lookup(flow.dst).len() > 1)
            });
            match found.get_mut(&firewalls) {
                Some((_, all)) => *all = reach.space.m.or(*all, arriving),
                None => {
                    let l = Loop {
                        firewalls: firewalls.clone(),
                        destinations: Vec::new(),
                        flow,
                        hops: turn,
                        ecmp,
                        packets: FALSE,
                    };
                    found.insert(firewalls, (l, arriving));
                }
            }
        }
    }
    found
        .into_values()
        .map(|(mut l, all)| {
            l.destinations = reach.space.destinations_of(all);
            l.packets = all;
            l
        })
        .collect()
}

/// The destination classes: the address space cut at every prefix boundary of the tables.
fn classes(reach: &Reachability<'_>, tabled: &[usize]) -> Vec<AddrRange> {
    let mut cuts: BTreeSet<u64> = [0, 1 << 32].into_iter().collect();
    for &f in tabled {
        for e in &reach.network.routing[f].as_ref().expect("tabled").entries {
            let r = AddrRange::from_net(e.prefix);
            cuts.insert(u64::from(r.first));
            cuts.insert(u64::from(r.last) + 1);
        }
    }
    let cuts: Vec<u64> = cuts.into_iter().collect();
    cuts.windows(2)
        .map(|w| AddrRange {
            first: w[0] as u32,
            last: (w[1] - 1) as u32,
        })
        .collect()
}

/// The firewall-level shadow of the per-class graph, to skip classes without a circle.
///
/// Every move of the port graph goes from one firewall to another, so a circle of ports is a
/// closed walk of firewalls, which holds a circle of firewalls. If, for a class, the graph
/// of "a route of f sends the packet to g" has no circle, neither has the port graph, and the
/// class holds no loop. The successors of each route are computed once, not once per class.
struct NextFirewalls {
    tabled: Vec<usize>,
    /// Per tabled firewall, per routing entry: the segment where the entry delivers (its out
    /// network when a segment), and the tabled firewalls (local positions) that take what it
    /// sends on.
    routes: Vec<Vec<(Option<usize>, Vec<usize>)>>,
}

impl NextFirewalls {
    fn new(reach: &Reachability<'_>, tabled: &[usize]) -> NextFirewalls {
        let topo = reach.topo;
        let mut local = vec![usize::MAX; topo.firewalls.len()];
        for (i, &f) in tabled.iter().enumerate() {
            local[f] = i;
        }
        let routes = tabled
            .iter()
            .map(|&f| {
                let table = reach.network.routing[f].as_ref().expect("tabled");
                let fw_ports = &reach.network.ports[f];
                table
                    .entries
                    .iter()
                    .map(|e| {
                        let Some(port) = e
                            .interface
                            .and_then(|b| fw_ports.iter().find(|q| q.interface == b))
                        else {
                            return (None, Vec::new());
                        };
                        let hop = match e.kind {
                            RouteKind::Static(k) => topo.firewalls[f].routes[k]
                                .next_hop
                                .as_ref()
                                .map(|h| h.value),
                            RouteKind::Connected => None,
                        };
                        let segment = match port.net {
                            Net::Segment(s) => Some(s),
                            Net::External(_) => None,
                        };
                        let mut to: Vec<usize> = reach
                            .network
                            .ports_on(port.net)
                            .iter()
                            .filter(|q| {
                                q.firewall != f
                                    && local[q.firewall] != usize::MAX
                                    && takes(topo, **q, port.net, hop)
                            })
                            .map(|q| local[q.firewall])
                            .collect();
                        to.sort_unstable();
                        to.dedup();
                        (segment, to)
                    })
                    .collect()
            })
            .collect();
        NextFirewalls {
            tabled: tabled.to_vec(),
            routes,
        }
    }

    /// Whether the firewalls' routes for `class` can send a packet round a circle.
    fn may_go_round(&self, reach: &Reachability<'_>, class: AddrRange) -> bool {
        let topo = reach.topo;
        let dst = Ipv4Addr::from(class.first);
        let n = self.tabled.len();
        // Successors per tabled firewall for this class (as `moves` picks them).
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, &f) in self.tabled.iter().enumerate() {
            let table = reach.network.routing[f].as_ref().expect("tabled");
            for k in table.lookup_indices(class.first) {
                let (segment, to) = &self.routes[i][k];
                if segment.is_some_and(|s| topo.segments[s].cidr.contains(&dst)) {
                    continue;
                }
                succ[i].extend_from_slice(to);
            }
        }
        has_circle(&succ)
    }
}

/// Whether a directed graph (successor lists) has a circle: an iterative depth-first search
/// that meets a node still on its stack.
fn has_circle(succ: &[Vec<usize>]) -> bool {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; succ.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..succ.len() {
        if state[root] != NEW {
            continue;
        }
        state[root] = OPEN;
        stack.push((root, 0));
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&w) = succ[v].get(*i) {
                *i += 1;
                match state[w] {
                    OPEN => return true,
                    NEW => {
                        state[w] = OPEN;
                        stack.push((w, 0));
                    }
                    _ => {}
                }
            } else {
                state[v] = DONE;
                stack.pop();
            }
        }
    }
    false
}

/// The moves of one class's graph: the routes each firewall picks for the class, onto the
/// networks where other firewalls with tables take the packets.
fn moves(
    reach: &Reachability<'_>,
    ports: &[Port],
    node: &HashMap<(usize, usize), usize>,
    class: AddrRange,
) -> Vec<Move> {
    let topo = reach.topo;
    let mut moves = Vec::new();
    let mut outs: HashMap<usize, Vec<(Port, Option<Ipv4Addr>)>> = HashMap::new();
    for (n, p) in ports.iter().enumerate() {
        let out = outs.entry(p.firewall).or_insert_with(|| {
            let table = reach.network.routing[p.firewall].as_ref().expect("tabled");
            let fw_ports = &reach.network.ports[p.firewall];
            table
                .lookup(class.first)
                .into_iter()
                .filter_map(|e| {
                    let b = e.interface?;
                    let port = fw_ports.iter().find(|q| q.interface == b).copied()?;
                    let hop = match e.kind {
                        RouteKind::Static(k) => topo.firewalls[p.firewall].routes[k]
                            .next_hop
                            .as_ref()
                            .map(|h| h.value),
                        RouteKind::Connected => None,
                    };
                    Some((port, hop))
                })
                .collect()
        });
        for &(o, hop) in out.iter() {
            // Onto the segment that holds the destination it is delivered, not sent on (the
            // segment's prefix is a connected route, so a class lies inside it or outside).
            if let Net::Segment(s) = o.net
                && topo.segments[s].cidr.contains(&Ipv4Addr::from(class.first))
            {
                continue;
            }
            for q in reach.network.ports_on(o.net) {
                if q.firewall == p.firewall || !takes(topo, *q, o.net, hop) {
                    continue;
                }
                if let Some(&to) = node.get(&(q.firewall, q.interface)) {
                    moves.push(Move {
                        from: n,
                        out: o,
                        to,
                    });
                }
            }
        }
    }
    moves
}

/// The packets firewall `p.firewall` sends from port `p` out through `out`: its transfer set,
/// or for a hairpin (back out through the interface it came in by, which reachability never
/// needs) its lists on that interface both ways and its route out of it, for destinations
/// not at home on that network (those are delivered there, not sent round).
fn label(reach: &mut Reachability<'_>, p: Port, out: Port) -> Bdd {
    if p.interface != out.interface {
        return reach.transfer(p.firewall, p.interface, out.interface);
    }
    let routed = reach.network.routing[p.firewall]
        .as_ref()
        .map(|t| t.out[out.interface].clone())
        .unwrap_or_default();
    let routed = subtract(&routed, &super::at_home(reach, out.net));
    let lists = reach.lists(p.firewall);
    let (inf, policy, outf) = (
        lists.in_filters[p.interface].permitted,
        lists.policy,
        lists.out_filters[p.interface].permitted,
    );
    let m = &mut reach.space.m;
    let both = m.and(inf, policy);
    let both = m.and(both, outf);
    let allowed = reach.space.at_interfaces(both, p.interface, p.interface);
    let routed = reach.space.dst(&routed);
    reach.space.m.and(allowed, routed)
}

/// Whether the firewall port `q` takes what a route sends onto `net` by next hop `hop`: on a
/// segment, the device holding the next hop (a firewall that declares no address may be it;
/// a route without a next hop reaches any); an external network delivers by its own routing,
/// so across it only a firewall whose address the route names takes the packets.
fn takes(topo: &crate::model::Topology, q: Port, net: Net, hop: Option<Ipv4Addr>) -> bool {
    let ip = topo.firewalls[q.firewall].interfaces[q.interface]
        .ip
        .as_ref()
        .map(|a| a.value);
    match (net, hop, ip) {
        (Net::External(_), Some(h), Some(ip)) => h == ip,
        (Net::External(_), _, _) => false,
        (Net::Segment(_), Some(h), Some(ip)) => h == ip,
        (Net::Segment(_), _, _) => true,
    }
}

/// Per port of a component: the packets for `dst` that can go on crossing firewalls of the
/// component forever (the greatest fixpoint, from every packet for `dst` downwards).
fn going_round(
    reach: &mut Reachability<'_>,
    component: &[usize],
    inside: &[Move],
    labels: &[Bdd],
    dst: Bdd,
) -> BTreeMap<usize, Bdd> {
    let mut around: BTreeMap<usize, Bdd> = component.iter().map(|&n| (n, dst)).collect();
    loop {
        let mut changed = false;
        for &n in component {
            let mut onward = FALSE;
            for (m, &t) in inside.iter().zip(labels).filter(|(m, _)| m.from == n) {
                let x = reach.space.m.and(t, around[&m.to]);
                onward = reach.space.m.or(onward, x);
            }
            let next = reach.space.m.and(onward, around[&n]);
            if next != around[&n] {
                around.insert(n, next);
                changed = true;
            }
        }
        if !changed {
            return around;
        }
    }
}

/// One turn of `flow` round the circle from port `start`: it follows the first move that
/// keeps it going round until it comes back to a port it crossed from.
fn turn(
    reach: &mut Reachability<'_>,
    ports: &[Port],
    inside: &[Move],
    labels: &[Bdd],
    around: &BTreeMap<usize, Bdd>,
    start: usize,
    flow: Flow,
) -> Option<Vec<Hop>> {
    let packet = reach.space.flow(flow);
    let mut visited = vec![start];
    let mut hops = Vec::new();
    let mut at = start;
    loop {
        let p = ports[at];
        let (next, _) = inside
            .iter()
            .zip(labels)
            .filter(|(m, _)| m.from == at)
            .find(|(m, t)| {
                let x = reach.space.m.and(**t, around[&m.to]);
                reach.space.m.and(x, packet) != FALSE
            })?;
        hops.push(super::hop(reach, p, next.out, flow));
        at = next.to;
        if let Some(i) = visited.iter().position(|&v| v == at) {
            return Some(hops.split_off(i));
        }
        visited.push(at);
    }
}
