//! A witness's replies checked against the brute-force oracle of `reach_oracle.rs`.
//!
//! The way back a witness shows must be one the routing tables (as the oracle reads them)
//! allow, every firewall on it must let the reply through as the oracle decides it (stateful
//! ones by having seen the connection, stateless ones by their lists), and a drop must be one
//! the oracle agrees with. And no return is hidden: when the flow's path reversed is a way the
//! oracle's tables allow and every firewall on it lets some reply through, the witness must
//! say the replies return.
//!
//! A stateless firewall that translates is read as if it translated nothing for replies: the
//! replies are those of a connection it translated (it cannot hold them off as unsolicited),
//! so its lists alone decide them, as docs/SEMANTICS.md says.

use super::reach_oracle::Oracle;
use sansou::analysis::space::Flow;
use sansou::analysis::witness::{Hop, Replies, Witness};
use sansou::model::Topology;

const TCP: u8 = 6;
const UDP: u8 = 17;

fn turned(flow: Flow, port: u16) -> Flow {
    Flow {
        src: flow.dst,
        dst: flow.src,
        proto: flow.proto,
        port,
    }
}

/// The destination a firewall routes a reply by: the flow's source as it entered the firewall
/// when the firewall translated the flow (the reply is translated back first).
fn routed_dst(forward: &[Hop], f: usize, a: usize, reply: Flow) -> u32 {
    let crossed = forward
        .iter()
        .rposition(|h| h.firewall.0 == f && h.egress == a)
        .or_else(|| forward.iter().rposition(|h| h.firewall.0 == f));
    match crossed {
        Some(k) if !forward[k].nat.is_empty() => forward[k].flow.src,
        _ => reply.dst,
    }
}

/// Whether the oracle's routing lets a reply out of firewall `f` (entered at `a`) through `b`.
fn routing_allows(
    oracle: &Oracle<'_>,
    forward: &[Hop],
    f: usize,
    a: usize,
    b: usize,
    dst: u32,
) -> bool {
    if !oracle.topo.firewalls[f].routes.is_empty() {
        return oracle.routed_out(f, dst, b);
    }
    // No table: back the way the flow came through here (through one of its crossings, when
    // it crossed this firewall more than once by the same interface).
    let back: Vec<&Hop> = forward
        .iter()
        .filter(|h| h.firewall.0 == f && h.egress == a)
        .collect();
    back.is_empty() || back.iter().any(|h| h.ingress == b)
}

/// Whether firewall `f` lets the reply from `a` out through `b` (stateful: it saw the flow).
fn passes(oracle: &Oracle<'_>, forward: &[Hop], f: usize, a: usize, b: usize, reply: Flow) -> bool {
    if oracle.topo.firewalls[f].stateful {
        forward.iter().any(|h| h.firewall.0 == f)
    } else {
        !oracle.forwards(f, a, b, &oracle.packet(reply)).is_empty()
    }
}

/// The reply ports worth trying: the ephemeral range's ends and the ports the rules name.
fn ports(topo: &Topology, proto: u8) -> Vec<u16> {
    if proto != TCP && proto != UDP {
        return vec![0];
    }
    let mut out = vec![1024, 1025, 32768, 65535];
    for fw in &topo.firewalls {
        let lists = std::iter::once(&fw.rules).chain(fw.filters.iter().map(|f| &f.rules));
        for rule in lists.flatten() {
            for s in &rule.services {
                if let sansou::model::Service::Proto { ports, .. } = &s.value {
                    for p in [ports.first, ports.last] {
                        for q in [p.saturating_sub(1), p, p.saturating_add(1)] {
                            if q >= 1024 {
                                out.push(q);
                            }
                        }
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Checks a witness's replies against the oracle.
pub(super) fn check(topo: &Topology, w: &Witness) -> Result<(), String> {
    let mut plain = topo.clone();
    for fw in &mut plain.firewalls {
        fw.nat.clear();
    }
    let oracle = &Oracle::new(&plain);
    let forward = &w.hops;
    let back = &w.reply_path.hops;
    let Some(last) = forward.last() else {
        return match (&w.replies, back.is_empty()) {
            (Replies::Return { .. }, true) => Ok(()),
            other => Err(format!("a flow through no firewall has replies {other:?}")),
        };
    };
    let name = |f: usize| topo.firewalls[f].id.clone();
    if let Some(first) = back.first()
        && (first.firewall, first.ingress, first.from) != (last.firewall, last.egress, last.to)
    {
        return Err(format!(
            "the replies start at {} and not at {}, which delivered the flow",
            name(first.firewall.0),
            name(last.firewall.0)
        ));
    }
    for (i, hop) in back.iter().enumerate() {
        if i > 0 && back[i - 1].to != hop.from {
            return Err(format!("reply hops {} and {i} do not join", i - 1));
        }
        let (f, a, b) = (hop.firewall.0, hop.ingress, hop.egress);
        let dst = routed_dst(forward, f, a, hop.flow);
        if !routing_allows(oracle, forward, f, a, b, dst) {
            return Err(format!(
                "reply hop {i} leaves {} through interface {b}, which its routing does not",
                name(f)
            ));
        }
        let dropping = i + 1 == back.len() && w.replies.dropped_at().is_some();
        if !dropping && !passes(oracle, forward, f, a, b, hop.flow) {
            return Err(format!(
                "reply hop {i}: the oracle's {} drops {}",
                name(f),
                hop.flow
            ));
        }
    }
    match &w.replies {
        Replies::Return { stateless_example } => {
            let end = back.last().expect("a returning reply crosses a firewall");
            if end.to != forward[0].from {
                return Err("the replies return onto another network than the flow left".into());
            }
            if let Some(reply) = stateless_example {
                for hop in back.iter().filter(|h| !topo.firewalls[h.firewall].stateful) {
                    let at = Flow {
                        proto: reply.proto,
                        port: reply.port,
                        ..hop.flow
                    };
                    if oracle
                        .forwards(hop.firewall.0, hop.ingress, hop.egress, &oracle.packet(at))
                        .is_empty()
                    {
                        return Err(format!(
                            "the example reply {reply} is dropped by {}",
                            name(hop.firewall.0)
                        ));
                    }
                }
            }
            Ok(())
        }
        Replies::Unseen { firewall, .. } => {
            let f = firewall.0;
            if !topo.firewalls[f].stateful || forward.iter().any(|h| h.firewall.0 == f) {
                return Err(format!(
                    "{} is said not to have seen the connection",
                    name(f)
                ));
            }
            no_hidden_return(topo, oracle, w)
        }
        Replies::Blocked {
            firewall, reply, ..
        } => {
            let hop = back.last().ok_or("a blocked reply names its hop")?;
            if hop.firewall != *firewall || topo.firewalls[*firewall].stateful {
                return Err(format!(
                    "the replies are said blocked by {}",
                    name(firewall.0)
                ));
            }
            if !oracle
                .forwards(
                    hop.firewall.0,
                    hop.ingress,
                    hop.egress,
                    &oracle.packet(*reply),
                )
                .is_empty()
            {
                return Err(format!(
                    "the oracle's {} lets the reply {reply} through",
                    name(firewall.0)
                ));
            }
            no_hidden_return(topo, oracle, w)
        }
        Replies::NoRoute { .. } => no_hidden_return(topo, oracle, w),
    }
}

/// Dropped replies: the flow's path reversed must not be a way the oracle brings some reply
/// back along.
fn no_hidden_return(topo: &Topology, oracle: &Oracle<'_>, w: &Witness) -> Result<(), String> {
    let forward = &w.hops;
    for port in ports(topo, w.flow.proto) {
        let all = forward.iter().rev().all(|h| {
            let reply = turned(h.out_flow(), port);
            let dst = routed_dst(forward, h.firewall.0, h.egress, reply);
            routing_allows(oracle, forward, h.firewall.0, h.egress, h.ingress, dst)
                && passes(oracle, forward, h.firewall.0, h.egress, h.ingress, reply)
        });
        if all {
            return Err(format!(
                "the replies are said dropped ({:?}), but the flow's path reversed brings a reply \
                 to port {port} back",
                w.replies
            ));
        }
    }
    Ok(())
}
