//! Packet sets in the rules' terms: service lists (mail, screen transfer), the address fields
//! of a set, and what is delivered into a tier. Sets are combined through `Space`'s algebra,
//! never through the BDD manager.

use super::tiers::{TierIndex, tier_segments};
use crate::analysis::bdd::{Bdd, FALSE, TRUE};
use crate::analysis::space::{DST, SRC};
use crate::model::service::{PortRange, TCP, UDP};
use crate::model::*;
use crate::rules::Context;
use std::collections::HashMap;

/// Screen-transfer protocols: RDP (tcp/udp 3389), Citrix ICA and session reliability (tcp/1494,
/// tcp/2598), PCoIP (tcp/udp 4172), VMware Blast (tcp/udp 22443). HTML5 clients on tcp/443 are
/// not counted: on the wire they cannot be told from any other HTTPS.
pub const SCREEN: &[(u8, u16)] = &[
    (TCP, 3389),
    (UDP, 3389),
    (TCP, 1494),
    (TCP, 2598),
    (TCP, 4172),
    (UDP, 4172),
    (TCP, 22443),
    (UDP, 22443),
];

/// Mail protocols: SMTP, submission, SMTPS, POP3, POP3S, IMAP, IMAPS.
pub const MAIL: &[(u8, u16)] = &[
    (TCP, 25),
    (TCP, 110),
    (TCP, 143),
    (TCP, 465),
    (TCP, 587),
    (TCP, 993),
    (TCP, 995),
];

/// A list of (protocol, port) as services.
pub fn services(list: &[(u8, u16)]) -> Vec<Service> {
    list.iter()
        .map(|&(proto, port)| Service::Proto {
            proto,
            ports: PortRange {
                first: port,
                last: port,
            },
        })
        .collect()
}

/// A set over the service field.
pub fn service_set(cx: &mut Context<'_>, list: &[Service]) -> Bdd {
    if list.is_empty() {
        return TRUE;
    }
    cx.reach.space.services(list)
}

/// The values of one 32-bit address field (`SRC` or `DST`) in a set of packets.
pub fn field_ranges(cx: &mut Context<'_>, set: Bdd, field: u16) -> Vec<AddrRange> {
    cx.reach.space.address_field(set, field)
}

/// Source addresses of a set of packets.
pub fn sources_of(cx: &mut Context<'_>, set: Bdd) -> Vec<AddrRange> {
    field_ranges(cx, set, SRC)
}

/// Destination addresses of a set of packets.
pub fn destinations_of(cx: &mut Context<'_>, set: Bdd) -> Vec<AddrRange> {
    field_ranges(cx, set, DST)
}

/// Every packet delivered into a tier's segments (to any address there), from anywhere.
pub fn delivered_to_tier(cx: &mut Context<'_>, tier: Tier) -> Bdd {
    let topo = cx.topo;
    let mut all = FALSE;
    for (i, s) in tier_segments(topo, tier) {
        let present = cx.reach.present(crate::graph::Net::Segment(i));
        let dst = cx.reach.space.dst(&[AddrRange::from_net(*s.cidr)]);
        let here = cx.reach.space.and(present, dst);
        all = cx.reach.space.or(all, here);
    }
    all
}

/// Whether any packet of `from` (a set over source addresses, say) is delivered into the
/// index's tier; segment by segment, so no union of large sets is built.
pub fn reaches_tier(cx: &mut Context<'_>, index: &TierIndex<'_>, from: Bdd) -> bool {
    let topo = cx.topo;
    let mut positions: Vec<usize> = index.positions.values().copied().collect();
    positions.sort();
    for s in positions {
        let dst = cx
            .reach
            .space
            .dst(&[AddrRange::from_net(*topo.segments[s].cidr)]);
        let wanted = cx.reach.space.and(dst, from);
        let present = cx.reach.present(crate::graph::Net::Segment(s));
        if cx.reach.space.meets(present, wanted) {
            return true;
        }
    }
    false
}

/// Packets of `filter` delivered to a host on its interfaces in the index's tier only (a host
/// with a leg in another tier is a bridge, reported by ZN-002; what reaches that other leg is
/// not a crossing here). `per_segment` keeps what reaches each segment, so the large set of
/// packets present on a segment is narrowed once, not once per host.
pub fn delivered_in_tier(
    cx: &mut Context<'_>,
    index: &TierIndex<'_>,
    h: usize,
    filter: Bdd,
    per_segment: &mut HashMap<usize, Bdd>,
) -> Bdd {
    let topo = cx.topo;
    let mut all = FALSE;
    for i in &topo.hosts[h].interfaces {
        let Some(&s) = index.positions.get(i.segment.value.as_str()) else {
            continue;
        };
        let on_segment = match per_segment.get(&s) {
            Some(&b) => b,
            None => {
                let present = cx.reach.present(crate::graph::Net::Segment(s));
                let b = cx.reach.space.and(present, filter);
                per_segment.insert(s, b);
                b
            }
        };
        if on_segment == FALSE {
            continue;
        }
        let dst = cx.reach.space.dst(&[i.ip.value]);
        let here = cx.reach.space.and(on_segment, dst);
        all = cx.reach.space.or(all, here);
    }
    all
}
