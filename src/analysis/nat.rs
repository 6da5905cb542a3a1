//! Address translation inside a firewall, on sets of packets and on one packet.
//!
//! A packet crossing a firewall with NAT entries from interface A to B meets, in order: A's `in`
//! filter, destination NAT (destination and static entries bound to A, or to no interface, first
//! match), the route lookup and the policy list (on the translated destination), source NAT
//! (source and static entries bound to B, first match), B's `out` filter. A packet that no
//! destination NAT translated, entering through an interface where a source NAT hides the
//! addresses it is sent to, is dropped: nobody outside can open a connection to a masqueraded
//! address.
//!
//! On sets, a translation is [`Space::translate`]: the rewritten bits are quantified away and
//! constrained to their new value, and the original is kept for witnesses and for telling who
//! sent a packet. On one packet ([`inbound`], [`outbound`]) the same entries are evaluated
//! directly; witnesses follow packets with these, and the oracle property test checks the two.

use super::bdd::{Bdd, FALSE};
use super::space::{DESTINATION, Flow, Rewritable, SERVICE, SOURCE, Space};
use crate::graph::addresses::Addresses;
use crate::model::service::has_ports;
use crate::model::{AddrRange, Firewall, Nat, Selector, Service, SourceAddress, Translation};
use ipnet::Ipv4Net;

/// One entry as it applies at one interface: the packets it matches and how it rewrites them.
#[derive(Clone, Debug)]
pub struct Step {
    /// Index in `Firewall::nat`.
    pub entry: usize,
    pub matches: Bdd,
    /// (field, top bits rewritten, their new value).
    pub rewrites: Vec<(Rewritable, u16, Bdd)>,
}

/// A firewall's translations compiled for each interface.
#[derive(Clone, Debug, Default)]
pub struct CompiledNat {
    /// Per ingress interface: destination NAT, first match.
    pub inbound: Vec<Vec<Step>>,
    /// Per ingress interface: destinations a source NAT hides behind it (dropped when no
    /// destination NAT translated the packet).
    pub hidden: Vec<Bdd>,
    /// Per egress interface: source NAT, first match.
    pub outbound: Vec<Vec<Step>>,
}

/// Whether an entry applies to packets entering through interface `a` (destination side).
fn inbound_at(fw: &Firewall, nat: &Nat, a: usize) -> bool {
    match &nat.translation {
        Translation::Destination { interface, .. } => interface
            .as_ref()
            .is_none_or(|i| fw.interface_index(i) == Some(a)),
        Translation::Static { interface, .. } => fw.interface_index(interface) == Some(a),
        Translation::Source { .. } => false,
    }
}

/// Whether an entry applies to packets leaving through interface `b` (source side).
fn outbound_at(fw: &Firewall, nat: &Nat, b: usize) -> bool {
    match &nat.translation {
        Translation::Source { interface, .. } | Translation::Static { interface, .. } => {
            fw.interface_index(interface) == Some(b)
        }
        Translation::Destination { .. } => false,
    }
}

fn range(net: Ipv4Net) -> AddrRange {
    AddrRange::from_net(net)
}

fn selectors(sels: &[crate::model::At<Selector>]) -> impl Iterator<Item = &Selector> {
    sels.iter().map(|s| &s.value)
}

/// The address a source NAT gives, as ranges: one address, the pool, or the interface's own.
fn source_ranges(fw: &Firewall, interface: &str, to: &SourceAddress) -> Vec<AddrRange> {
    match to {
        SourceAddress::Address(a) => vec![AddrRange::single(a.value)],
        SourceAddress::Pool(pool) => pool.iter().map(|r| r.value).collect(),
        SourceAddress::Masquerade(_) => fw
            .interface_index(interface)
            .and_then(|i| fw.interfaces[i].ip.as_ref())
            .map(|ip| vec![AddrRange::single(ip.value)])
            .unwrap_or_default(),
    }
}

/// Compiles firewall `fw`'s entries for each of its `n` interfaces.
pub fn compile(space: &mut Space, addrs: &Addresses<'_>, fw: &Firewall) -> CompiledNat {
    let n = fw.interfaces.len();
    let mut out = CompiledNat {
        inbound: vec![Vec::new(); n],
        hidden: vec![FALSE; n],
        outbound: vec![Vec::new(); n],
    };
    for (k, nat) in fw.nat.iter().enumerate() {
        for i in 0..n {
            if inbound_at(fw, nat, i)
                && let Some(step) = inbound_step(space, addrs, k, nat)
            {
                out.inbound[i].push(step);
            }
            if outbound_at(fw, nat, i) {
                if let Some(step) = outbound_step(space, addrs, fw, k, nat) {
                    out.outbound[i].push(step);
                }
                let hides = hidden_destinations(space, addrs, nat);
                out.hidden[i] = space.m.or(out.hidden[i], hides);
            }
        }
    }
    out
}

/// The destinations a source-side entry hides behind its interface: what it translates from.
fn hidden_destinations(space: &mut Space, addrs: &Addresses<'_>, nat: &Nat) -> Bdd {
    if !nat.hides {
        return FALSE;
    }
    match &nat.translation {
        Translation::Source { from, .. } => {
            let a = addrs.of_selectors(selectors(from));
            space.dst(&a)
        }
        Translation::Static { inside, .. } => space.dst(&[range(inside.value)]),
        Translation::Destination { .. } => FALSE,
    }
}

/// A prefix rewrite of `r`: the top bits of `to` (all of them for a single address, else as
/// many as the prefix is long).
fn prefix_rewrite(space: &mut Space, r: Rewritable, to: Ipv4Net) -> (Rewritable, u16, Bdd) {
    let bits = u16::from(to.prefix_len());
    let value = space.top_bits(r, bits, u64::from(u32::from(to.network())));
    (r, bits, value)
}

/// Packets from `src`, to `dst`, on `service`, as the header has them.
fn matching(space: &mut Space, src: &[AddrRange], dst: &[AddrRange], service: Service) -> Bdd {
    let src = space.header_src(src);
    let dst = space.dst(dst);
    let svc = space.service(service);
    let sd = space.m.and(src, dst);
    space.m.and(sd, svc)
}

/// One half of a static entry: field `r` in prefix `from` moves to prefix `to`.
fn static_step(space: &mut Space, entry: usize, r: Rewritable, from: Ipv4Net, to: Ipv4Net) -> Step {
    let matches = space.m.ranges(
        r.field,
        r.width,
        &[(
            u64::from(u32::from(from.network())),
            u64::from(u32::from(from.broadcast())),
        )],
    );
    Step {
        entry,
        matches,
        rewrites: vec![prefix_rewrite(space, r, to)],
    }
}

fn inbound_step(space: &mut Space, addrs: &Addresses<'_>, entry: usize, nat: &Nat) -> Option<Step> {
    match &nat.translation {
        Translation::Destination {
            from,
            destination,
            service,
            translated,
            port,
            ..
        } => {
            let src = addrs.of_selectors(selectors(from));
            let matches = matching(space, &src, &[range(destination.value)], service.value);
            let mut rewrites = vec![prefix_rewrite(space, DESTINATION, translated.value)];
            if let (Some(p), Service::Proto { proto, .. }) = (port, service.value) {
                let v = (u64::from(proto) << 16) | u64::from(p.value);
                let to = space.m.range(SERVICE.field, SERVICE.width, v, v);
                rewrites.push((SERVICE, SERVICE.width, to));
            }
            Some(Step {
                entry,
                matches,
                rewrites,
            })
        }
        Translation::Static {
            inside, outside, ..
        } => Some(static_step(
            space,
            entry,
            DESTINATION,
            outside.value,
            inside.value,
        )),
        Translation::Source { .. } => None,
    }
}

fn outbound_step(
    space: &mut Space,
    addrs: &Addresses<'_>,
    fw: &Firewall,
    entry: usize,
    nat: &Nat,
) -> Option<Step> {
    match &nat.translation {
        Translation::Source {
            interface,
            from,
            to,
            service,
            to_source,
        } => {
            let src = addrs.of_selectors(selectors(from));
            let dst = addrs.of_selectors(selectors(to));
            let matches = matching(space, &src, &dst, service.value);
            let new = source_ranges(fw, &interface.value, to_source);
            if new.is_empty() {
                // A masquerade on an interface without an address (the loader refuses it).
                return None;
            }
            let value = space.header_src(&new);
            Some(Step {
                entry,
                matches,
                rewrites: vec![(SOURCE, SOURCE.width, value)],
            })
        }
        Translation::Static {
            inside, outside, ..
        } => Some(static_step(
            space,
            entry,
            SOURCE,
            inside.value,
            outside.value,
        )),
        Translation::Destination { .. } => None,
    }
}

/// Runs packets through one list of steps (first match): the translated packets, and those no
/// step matched.
fn run(space: &mut Space, steps: &[Step], packets: Bdd) -> (Bdd, Bdd) {
    let mut rest = packets;
    let mut done = FALSE;
    for step in steps {
        if rest == FALSE {
            break;
        }
        let mut hit = space.m.and(rest, step.matches);
        if hit == FALSE {
            continue;
        }
        rest = space.m.diff(rest, step.matches);
        for &(r, bits, to) in &step.rewrites {
            hit = space.translate(hit, r, bits, to);
        }
        done = space.m.or(done, hit);
    }
    (done, rest)
}

impl CompiledNat {
    /// Destination NAT at ingress `a`: the packets after it (those it drops left out).
    pub fn arrive(&self, space: &mut Space, a: usize, packets: Bdd) -> Bdd {
        let (translated, rest) = run(space, &self.inbound[a], packets);
        let rest = space.m.diff(rest, self.hidden[a]);
        space.m.or(translated, rest)
    }

    /// The fields some entry rewrites (each once).
    pub fn rewritten(&self) -> Vec<Rewritable> {
        let mut fields: Vec<Rewritable> = Vec::new();
        for step in self.inbound.iter().chain(&self.outbound).flatten() {
            for &(r, _, _) in &step.rewrites {
                if !fields.contains(&r) {
                    fields.push(r);
                }
            }
        }
        fields
    }

    /// Source NAT at egress `b`.
    pub fn leave(&self, space: &mut Space, b: usize, packets: Bdd) -> Bdd {
        let (translated, rest) = run(space, &self.outbound[b], packets);
        space.m.or(translated, rest)
    }
}

/// One translation of one packet, for witnesses: which entry, and the header before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    pub entry: usize,
    pub before: Flow,
    pub after: Flow,
}

/// `addr` with its top `to.prefix_len()` bits replaced by `to`'s.
fn map_prefix(addr: u32, to: Ipv4Net) -> u32 {
    let mask = u32::from(to.netmask());
    (u32::from(to.network()) & mask) | (addr & !mask)
}

fn service_holds(service: Service, flow: Flow) -> bool {
    match service {
        Service::Any => true,
        Service::Proto { proto, ports } => {
            proto == flow.proto
                && (!has_ports(proto) || (ports.first <= flow.port && flow.port <= ports.last))
        }
    }
}

fn any_holds(addrs: &Addresses<'_>, sels: &[crate::model::At<Selector>], addr: u32) -> bool {
    sels.iter().any(|s| addrs.selector_contains(&s.value, addr))
}

/// What destination NAT does with one packet entering a firewall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// On it goes, translated by the entry when one applied.
    Passes(Flow, Option<Applied>),
    /// Dropped: nothing translated it, and a source NAT hides its destination behind the
    /// interface it entered.
    Unsolicited,
}

/// Destination NAT on one packet entering through `a`.
pub fn inbound(addrs: &Addresses<'_>, fw: &Firewall, a: usize, flow: Flow) -> Arrival {
    for (k, nat) in fw.nat.iter().enumerate() {
        if !inbound_at(fw, nat, a) {
            continue;
        }
        let after = match &nat.translation {
            Translation::Destination {
                from,
                destination,
                service,
                translated,
                port,
                ..
            } if any_holds(addrs, from, flow.src)
                && destination
                    .value
                    .contains(&std::net::Ipv4Addr::from(flow.dst))
                && service_holds(service.value, flow) =>
            {
                Flow {
                    dst: map_prefix(flow.dst, translated.value),
                    port: port.as_ref().map_or(flow.port, |p| p.value),
                    ..flow
                }
            }
            Translation::Static {
                inside, outside, ..
            } if outside.value.contains(&std::net::Ipv4Addr::from(flow.dst)) => Flow {
                dst: map_prefix(flow.dst, inside.value),
                ..flow
            },
            _ => continue,
        };
        return Arrival::Passes(
            after,
            Some(Applied {
                entry: k,
                before: flow,
                after,
            }),
        );
    }
    let hidden = fw.nat.iter().any(|nat| {
        nat.hides
            && outbound_at(fw, nat, a)
            && match &nat.translation {
                Translation::Source { from, .. } => any_holds(addrs, from, flow.dst),
                Translation::Static { inside, .. } => {
                    inside.value.contains(&std::net::Ipv4Addr::from(flow.dst))
                }
                Translation::Destination { .. } => false,
            }
    });
    if hidden {
        Arrival::Unsolicited
    } else {
        Arrival::Passes(flow, None)
    }
}

/// Source NAT on one packet leaving through `b`: the headers it may leave with (a pool gives
/// any of its addresses; at most the first `POOL_TRIED` are listed).
pub fn outbound(
    addrs: &Addresses<'_>,
    fw: &Firewall,
    b: usize,
    flow: Flow,
) -> Vec<(Flow, Option<Applied>)> {
    for (k, nat) in fw.nat.iter().enumerate() {
        if !outbound_at(fw, nat, b) {
            continue;
        }
        let after = match &nat.translation {
            Translation::Source {
                interface,
                from,
                to,
                service,
                to_source,
            } if any_holds(addrs, from, flow.src)
                && any_holds(addrs, to, flow.dst)
                && service_holds(service.value, flow) =>
            {
                // Every address of a pool may be the one a later firewall lets through; the
                // first POOL_TRIED are tried (the sets cover the whole pool).
                let sources: Vec<u32> = source_ranges(fw, &interface.value, to_source)
                    .into_iter()
                    .flat_map(|r| r.first..=r.last)
                    .take(POOL_TRIED)
                    .collect();
                if sources.is_empty() {
                    continue;
                }
                return sources
                    .into_iter()
                    .map(|src| {
                        let after = Flow { src, ..flow };
                        (
                            after,
                            Some(Applied {
                                entry: k,
                                before: flow,
                                after,
                            }),
                        )
                    })
                    .collect();
            }
            Translation::Static {
                inside, outside, ..
            } if inside.value.contains(&std::net::Ipv4Addr::from(flow.src)) => Flow {
                src: map_prefix(flow.src, outside.value),
                ..flow
            },
            _ => continue,
        };
        return vec![(
            after,
            Some(Applied {
                entry: k,
                before: flow,
                after,
            }),
        )];
    }
    vec![(flow, None)]
}

/// Addresses of a source NAT pool a witness tries, in order.
const POOL_TRIED: usize = 256;
