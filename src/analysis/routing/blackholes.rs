//! Blackholes: packets that get to a firewall with a routing table, that its lists would let
//! out, and that its table cannot forward.
//!
//! Three causes, each decided over the whole header space:
//! - **no route**: no entry of the table (static or connected) holds the destination, while
//!   the lists would pass the packet out through some interface;
//! - **leads nowhere**: a route sends the packet onto a network where its destination is not
//!   at home and no other firewall sits to take it on;
//! - **no neighbour**: a route's next hop is the address of no other firewall on the network
//!   it leaves onto (every other firewall there declares its address, and none has this one),
//!   so nothing answers for it; reachability itself still lets the other firewalls there take
//!   the packets (it does not bind a next hop to one device), an over-approximation.
//!
//! A discard route is deliberate and never a blackhole. Only destinations that are at home
//! somewhere in the design count (a segment, or an external's addresses), and only packets
//! present on the network they arrive from, so each blackhole has a concrete packet.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::reach::Reachability;
use crate::analysis::space::Flow;
use crate::analysis::witness::Hop;
use crate::graph::routes::RouteKind;
use crate::graph::{Net, Port};
use crate::model::ranges::{intersect, normalize, subtract};
use crate::model::{AddrRange, FirewallId, HostId};

/// Why a firewall cannot forward the packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// No entry of the table holds the destination.
    NoRoute,
    /// Route `k` (of `Firewall::routes`) leaves onto a network where the destination is not at
    /// home and no other firewall sits.
    LeadsNowhere(usize),
    /// Route `route`'s next hop is no other firewall's address on the network it leaves onto;
    /// `holder` is the host that has the address (hosts never forward).
    NoNeighbour {
        route: usize,
        holder: Option<HostId>,
    },
}

/// Packets lost at one firewall for one cause.
pub struct Blackhole {
    pub firewall: FirewallId,
    pub cause: Cause,
    /// Destinations of the packets lost.
    pub destinations: Vec<AddrRange>,
    /// One packet lost, and where it is: entering by the hop's ingress; for a route cause,
    /// leaving by the route's interface; for no route, the interface the lists would pass it
    /// out through (the hop's route is `None`).
    pub flow: Flow,
    pub hop: Hop,
    /// Every packet lost there for this cause (in the reachability's manager; the property
    /// test asks it packet by packet).
    pub packets: Bdd,
}

/// Every blackhole, by firewall, then no route before the routes in table order.
pub fn blackholes(reach: &mut Reachability<'_>) -> Vec<Blackhole> {
    let topo = reach.topo;
    let homed = homed(reach);
    let mut out = Vec::new();
    for f in 0..topo.firewalls.len() {
        let Some(table) = reach.network.routing[f].clone() else {
            continue;
        };
        let ports = reach.network.ports[f].clone();
        let unrouted = intersect(&table.unrouted(), &homed);
        if !unrouted.is_empty()
            && let Some(b) = no_route(reach, f, &ports, &unrouted)
        {
            out.push(b);
        }
        for (i, e) in table.entries.iter().enumerate() {
            let (RouteKind::Static(k), Some(b)) = (e.kind, e.interface) else {
                continue;
            };
            let Some(&exit) = ports.iter().find(|p| p.interface == b) else {
                continue;
            };
            let Some(cause) = route_cause(reach, f, k, exit) else {
                continue;
            };
            let lost = subtract(
                &intersect(&table.won(i), &homed),
                &super::at_home(reach, exit.net),
            );
            if lost.is_empty() {
                continue;
            }
            let dst = reach.space.dst(&lost);
            let mut all = FALSE;
            let mut first = None;
            for &a in ports.iter().filter(|a| a.interface != b) {
                let t = reach.transfer(f, a.interface, b);
                let here = reach.present(a.net);
                let x = reach.space.m.and(t, here);
                let x = reach.space.m.and(x, dst);
                if x != FALSE {
                    all = reach.space.m.or(all, x);
                    first.get_or_insert((a, x));
                }
            }
            if let Some((a, x)) = first {
                out.push(lost_packets(reach, f, cause, all, a, exit, x));
            }
        }
    }
    out
}

/// Addresses at home somewhere in the design: every segment and every external's home.
fn homed(reach: &Reachability<'_>) -> Vec<AddrRange> {
    let segments = reach
        .topo
        .segments
        .iter()
        .map(|s| AddrRange::from_net(*s.cidr));
    let externals = reach.addrs.external_home.iter().flatten().copied();
    normalize(segments.chain(externals).collect())
}

/// Why route `k` of firewall `f`, leaving by `exit`, loses what it does not deliver there:
/// nobody else on the network, or a next hop nobody else there has. `None` when another
/// firewall there may take the packets.
fn route_cause(reach: &Reachability<'_>, f: usize, k: usize, exit: Port) -> Option<Cause> {
    let topo = reach.topo;
    let others: Vec<Port> = reach
        .network
        .ports_on(exit.net)
        .iter()
        .filter(|q| q.firewall != f)
        .copied()
        .collect();
    if others.is_empty() {
        return Some(Cause::LeadsNowhere(k));
    }
    let hop = topo.firewalls[f].routes[k].next_hop.as_ref()?.value;
    // A firewall there without a declared address may be the next hop.
    let answered = others.iter().any(|q| {
        topo.firewalls[q.firewall].interfaces[q.interface]
            .ip
            .as_ref()
            .is_none_or(|ip| ip.value == hop)
    });
    if answered {
        return None;
    }
    let Net::Segment(s) = exit.net else {
        return Some(Cause::NoNeighbour {
            route: k,
            holder: None,
        });
    };
    let segment = &topo.segments[s].id;
    let holder = topo
        .hosts
        .iter()
        .position(|h| {
            h.interfaces
                .iter()
                .any(|i| &i.segment.value == segment && i.ip.value.contains_addr(u32::from(hop)))
        })
        .map(HostId);
    Some(Cause::NoNeighbour { route: k, holder })
}

/// Packets for destinations firewall `f` has no route for, that its lists would pass out
/// through some interface.
fn no_route(
    reach: &mut Reachability<'_>,
    f: usize,
    ports: &[Port],
    unrouted: &[AddrRange],
) -> Option<Blackhole> {
    let dst = reach.space.dst(unrouted);
    // Cheap first: does any such packet get to the firewall at all?
    let mut arriving = Vec::new();
    for &a in ports {
        let here = reach.present(a.net);
        let x = reach.space.m.and(here, dst);
        if x != FALSE {
            arriving.push((a, x));
        }
    }
    if arriving.is_empty() {
        return None;
    }
    let lists = reach.lists(f);
    let policy = lists.policy;
    let ins: Vec<Bdd> = lists.in_filters.iter().map(|l| l.permitted).collect();
    let outs: Vec<Bdd> = lists.out_filters.iter().map(|l| l.permitted).collect();
    let mut all = FALSE;
    let mut first = None;
    for (a, x) in arriving {
        for &b in ports.iter().filter(|b| b.interface != a.interface) {
            let m = &mut reach.space.m;
            let lists = m.and(ins[a.interface], policy);
            let lists = m.and(lists, outs[b.interface]);
            let allowed = reach.space.at_interfaces(lists, a.interface, b.interface);
            let y = reach.space.m.and(x, allowed);
            if y != FALSE {
                all = reach.space.m.or(all, y);
                first.get_or_insert((a, b, y));
            }
        }
    }
    let (a, b, y) = first?;
    Some(lost_packets(reach, f, Cause::NoRoute, all, a, b, y))
}

/// The finding's data: the destinations of everything lost, one packet of `example`.
fn lost_packets(
    reach: &mut Reachability<'_>,
    firewall: usize,
    cause: Cause,
    all: Bdd,
    from: Port,
    exit: Port,
    example: Bdd,
) -> Blackhole {
    let flow = reach
        .space
        .pleasant_example(example)
        .expect("a non-empty set has a member");
    let mut hop = super::hop(reach, from, exit, flow);
    if cause == Cause::NoRoute {
        hop.route = None;
    }
    Blackhole {
        firewall: FirewallId(firewall),
        cause,
        destinations: reach.space.destinations_of(all),
        flow,
        hop,
        packets: all,
    }
}
