//! What routing tables do wrong: packets sent round in a circle (`loops`) and packets a
//! firewall's lists allow but its table cannot forward (`blackholes`). Both are exact over the
//! header space and read the same transfer sets as reachability; firewalls without a table
//! take no part (they keep the any-allowed-path assumption, under which no route is wrong).

pub mod blackholes;
pub mod loops;

use super::reach::Reachability;
use super::space::Flow;
use super::witness::Hop;
use crate::graph::{Net, Port};
use crate::model::{AddrRange, FirewallId};

/// One crossing of firewall `p.firewall` from `p` out through interface `out`, as a witness
/// hop: the lists' decisions on the packet and the route it took.
fn hop(reach: &Reachability<'_>, p: Port, out: Port, flow: Flow) -> Hop {
    let route = reach.network.routing[p.firewall]
        .as_ref()
        .and_then(|t| t.route_out(flow.dst, out.interface));
    let crossing = reach.list_crossing(p.firewall, p.interface, out.interface, flow);
    Hop {
        firewall: FirewallId(p.firewall),
        ingress: p.interface,
        egress: out.interface,
        from: p.net,
        to: out.net,
        decisions: crossing.decisions,
        route,
        flow,
        nat: crossing.nat,
        hidden: crossing.hidden,
    }
}

/// The destinations delivered on a network: a segment's prefix, an external's home.
fn at_home(reach: &Reachability<'_>, net: Net) -> Vec<AddrRange> {
    match net {
        Net::Segment(s) => vec![AddrRange::from_net(*reach.topo.segments[s].cidr)],
        Net::External(x) => reach.addrs.external_home[x].clone(),
    }
}
