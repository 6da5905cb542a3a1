//! Routing loops (NET-008) against a brute-force walk, both ways: on random small designs with
//! routing tables (the generator of `reach_oracle`) and on hand-written rings, a packet goes
//! round in the analyzer's answer exactly when walking that one packet from firewall to
//! firewall can come back to where it was.
//!
//! The walk is the oracle's own: a packet present on a network (the oracle's simulation) enters
//! every firewall with a table there; a firewall passes it on out through an interface when its
//! lists and longest-prefix route let it (`Oracle::forwards`), back out through the interface
//! it came in by too when that is a segment; onto the segment that holds its destination it is
//! delivered, and elsewhere the other firewalls with tables on that network take it (on a segment the one holding the route's next hop, or
//! any without one; across an external only the one the next hop names).

use super::reach_oracle::{Net, Oracle, candidate_flows, config, load, spec};
use proptest::prelude::*;
use sansou::analysis::reach::Reachability;
use sansou::analysis::routing::blackholes::blackholes;
use sansou::analysis::routing::loops::loops;
use sansou::analysis::space::Flow;
use sansou::model::Topology;
use std::net::Ipv4Addr;

/// The next hop of the longest-prefix route firewall `f` sends `dst` out through interface
/// `b` by, if it names one.
fn next_hop(topo: &Topology, o: &Oracle<'_>, f: usize, dst: u32, b: usize) -> Option<Ipv4Addr> {
    let fw = &topo.firewalls[f];
    let ip = Ipv4Addr::from(dst);
    let best = fw
        .routes
        .iter()
        .map(|r| r.destination.value.trunc())
        .chain(o.wiring[f].iter().filter_map(|n| match n {
            Net::Segment(s) => Some(*topo.segments[*s].cidr),
            Net::External(_) => None,
        }))
        .filter(|p| p.contains(&ip))
        .map(|p| p.prefix_len())
        .max()?;
    fw.routes
        .iter()
        .filter(|r| r.destination.value.trunc().contains(&ip))
        .filter(|r| r.destination.value.prefix_len() == best && !r.discard)
        .filter(|r| topo.route_interface(fw, r) == Some(b))
        .find_map(|r| r.next_hop.as_ref().map(|h| h.value))
}

/// Whether some walk of `flow` from where it is present comes back to a port it left.
fn walk_loops(topo: &Topology, o: &Oracle<'_>, flow: Flow) -> bool {
    let trace = o.simulate(flow);
    let tabled = |f: usize| !topo.firewalls[f].routes.is_empty();
    let ports: Vec<(usize, usize)> = (0..topo.firewalls.len())
        .filter(|&f| tabled(f))
        .flat_map(|f| (0..o.wiring[f].len()).map(move |a| (f, a)))
        .collect();
    let next = |(f, a): (usize, usize)| -> Vec<usize> {
        let mut out = Vec::new();
        for (b, &net) in o.wiring[f].iter().enumerate() {
            // Onto the segment that holds its destination a packet is delivered, not taken
            // on; back out through the interface it came in by only onto a segment.
            if matches!(net, Net::Segment(s) if o.in_segment(flow.dst, s))
                || (b == a && !matches!(net, Net::Segment(_)))
            {
                continue;
            }
            if o.forwards(f, a, b, &trace.packet).is_empty() {
                continue;
            }
            let hop = next_hop(topo, o, f, flow.dst, b);
            for (k, &(g, c)) in ports.iter().enumerate() {
                if g == f || o.wiring[g][c] != net {
                    continue;
                }
                let ip = topo.firewalls[g].interfaces[c].ip.as_ref().map(|i| i.value);
                let takes = match (net, hop, ip) {
                    (_, Some(h), Some(ip)) => h == ip,
                    (Net::External(_), _, _) => false,
                    (Net::Segment(_), _, _) => true,
                };
                if takes {
                    out.push(k);
                }
            }
        }
        out
    };
    // Depth first from every port the packet is present at; a port met again on the current
    // path closes a circle.
    let mut state = vec![0u8; ports.len()]; // 0 unseen, 1 on the path, 2 done
    for start in 0..ports.len() {
        let (f, a) = ports[start];
        if state[start] != 0 || !trace.reached[o.slot(o.wiring[f][a])] {
            continue;
        }
        let mut stack = vec![(start, next(ports[start]), 0usize)];
        state[start] = 1;
        while let Some((node, succ, i)) = stack.last_mut() {
            if *i < succ.len() {
                let m = succ[*i];
                *i += 1;
                match state[m] {
                    1 => return true,
                    0 => {
                        state[m] = 1;
                        let s = next(ports[m]);
                        stack.push((m, s, 0));
                    }
                    _ => {}
                }
            } else {
                state[*node] = 2;
                stack.pop();
            }
        }
    }
    false
}

/// The analyzer's packet sets (`found`) and a brute-force reading (`oracle`) agree on every
/// candidate packet of a design; the number of packets both say yes to.
fn agree(
    text: &str,
    cap: Option<usize>,
    what: &str,
    found: fn(&mut Reachability<'_>) -> Vec<sansou::analysis::bdd::Bdd>,
    oracle: fn(&Topology, &Oracle<'_>, Flow) -> bool,
) -> Result<usize, String> {
    let topo = load(text)?;
    let o = Oracle::new(&topo);
    let mut reach = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let sets = found(&mut reach);
    let mut yes = 0;
    for flow in candidate_flows(&topo, cap) {
        let one = reach.space.flow(flow);
        let analyzer = sets.iter().any(|&p| reach.space.meets(p, one));
        let brute = oracle(&topo, &o, flow);
        if analyzer != brute {
            return Err(format!(
                "packet {flow} {what}: the analyzer says {analyzer}, the brute-force reading {brute}\n--- topology ---\n{text}"
            ));
        }
        yes += usize::from(brute);
    }
    Ok(yes)
}

/// The analyzer's loops and the walk agree.
fn compare(text: &str, cap: Option<usize>) -> Result<usize, String> {
    let found = |r: &mut Reachability<'_>| loops(r).into_iter().map(|l| l.packets).collect();
    agree(text, cap, "goes round", found, walk_loops)
}

/// Whether a firewall with a table loses the packet (NET-009), read off the configuration: it
/// gets to the firewall, its destination is at home somewhere, and either no route holds the
/// destination while the lists would let it out somewhere, or the longest-prefix static route
/// the lists let it out by leaves onto a network where it is not at home and where no other
/// firewall sits, or none of those there has the route's next hop (all declaring addresses).
fn lost(topo: &Topology, o: &Oracle<'_>, flow: Flow) -> bool {
    let trace = o.simulate(flow);
    let home = o.home(flow.dst);
    if home.is_empty() {
        return false;
    }
    let ip = Ipv4Addr::from(flow.dst);
    for (f, fw) in topo.firewalls.iter().enumerate() {
        if fw.routes.is_empty() {
            continue;
        }
        let wires = &o.wiring[f];
        // (prefix length, out interface, static route index)
        let mut entries: Vec<(u8, Option<usize>, Option<usize>)> = Vec::new();
        for (i, n) in wires.iter().enumerate() {
            if let Net::Segment(s) = n
                && topo.segments[*s].cidr.contains(&ip)
            {
                entries.push((topo.segments[*s].cidr.prefix_len(), Some(i), None));
            }
        }
        for (k, r) in fw.routes.iter().enumerate() {
            if r.destination.value.trunc().contains(&ip) {
                let out = topo.route_interface(fw, r);
                entries.push((r.destination.value.prefix_len(), out, Some(k)));
            }
        }
        let best = entries.iter().map(|e| e.0).max();
        for a in 0..wires.len() {
            if !trace.reached[o.slot(wires[a])] {
                continue;
            }
            if best.is_none() {
                if (0..wires.len()).any(|b| b != a && o.lists_allow(f, a, b, &trace.packet)) {
                    return true;
                }
                continue;
            }
            for &(len, out, k) in &entries {
                let (Some(b), Some(k)) = (out, k) else {
                    continue;
                };
                if Some(len) != best || b == a || home.contains(&wires[b]) {
                    continue;
                }
                let others: Vec<(usize, usize)> = o
                    .wiring
                    .iter()
                    .enumerate()
                    .filter(|&(g, _)| g != f)
                    .flat_map(|(g, w)| {
                        w.iter()
                            .enumerate()
                            .filter(|&(_, n)| *n == wires[b])
                            .map(move |(c, _)| (g, c))
                    })
                    .collect();
                let nobody = match (&fw.routes[k].next_hop, others.is_empty()) {
                    (_, true) => true,
                    (Some(h), false) => others.iter().all(|&(g, c)| {
                        topo.firewalls[g].interfaces[c]
                            .ip
                            .as_ref()
                            .is_some_and(|i| i.value != h.value)
                    }),
                    (None, false) => false,
                };
                if nobody && !o.forwards(f, a, b, &trace.packet).is_empty() {
                    return true;
                }
            }
        }
    }
    false
}

/// The analyzer's blackholes and the configuration's reading agree.
fn compare_lost(text: &str, cap: Option<usize>) -> Result<usize, String> {
    let found = |r: &mut Reachability<'_>| blackholes(r).into_iter().map(|b| b.packets).collect();
    agree(text, cap, "is lost", found, lost)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn loops_agree_with_a_packet_walk(spec in spec()) {
        compare(&spec.without_nat().render(), Some(1500)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn blackholes_agree_with_the_configuration(spec in spec()) {
        compare_lost(&spec.without_nat().render(), Some(1500)).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn the_blackhole_fixture_loses_packets_both_ways() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/NET-009/fail.toml"),
    )
    .unwrap();
    assert!(compare_lost(&text, None).unwrap() > 0);
}

/// Two routers on one link pointing their routes at each other (a hairpin each time), and a
/// ring of three where a filter on one stops part of the traffic.
#[test]
fn hand_written_rings() {
    let pair = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/NET-008/fail.toml"),
    )
    .unwrap();
    let n = compare(&pair, None).unwrap();
    assert!(n > 0, "the pair loops");
    let ring = r#"format = 1
[[zone]]
id = "z"
tier = "lgwan"
[[segment]]
id = "ab"
zone = "z"
cidr = "10.0.1.0/29"
[[segment]]
id = "bc"
zone = "z"
cidr = "10.0.2.0/29"
[[segment]]
id = "ca"
zone = "z"
cidr = "10.0.3.0/29"
[[segment]]
id = "lan"
zone = "z"
cidr = "10.0.9.0/29"
[[firewall]]
id = "a"
interfaces = [{ name = "ab", segment = "ab", ip = "10.0.1.1" }, { name = "ca", segment = "ca", ip = "10.0.3.1" }, { name = "lan", segment = "lan" }]
default = "allow"
[[firewall.route]]
destination = "10.5.0.0/16"
next_hop = "10.0.1.2"
[[firewall]]
id = "b"
interfaces = [{ name = "ab", segment = "ab", ip = "10.0.1.2" }, { name = "bc", segment = "bc", ip = "10.0.2.2" }]
default = "allow"
[[firewall.route]]
destination = "10.5.0.0/16"
next_hop = "10.0.2.3"
[[firewall]]
id = "c"
interfaces = [{ name = "bc", segment = "bc", ip = "10.0.2.3" }, { name = "ca", segment = "ca", ip = "10.0.3.3" }]
default = "allow"
[[firewall.filter]]
interface = "ca"
direction = "out"
default = "allow"
[[firewall.filter.rule]]
action = "deny"
from = "any"
to = "10.5.128.0/17"
[[firewall.route]]
destination = "10.5.0.0/16"
next_hop = "10.0.3.1"
"#;
    let n = compare(ring, None).unwrap();
    assert!(n > 0, "the ring loops for 10.5.0.0/17");
    let topo = load(ring).unwrap();
    let mut reach = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = loops(&mut reach);
    assert_eq!(found.len(), 1);
    let dst: Vec<String> = found[0]
        .destinations
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(dst, ["10.5.0.0/17"], "the filter on c stops the rest");
    assert_eq!(found[0].hops.len(), 3, "one turn crosses a, b and c");
}
