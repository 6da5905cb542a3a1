//! Packet pairs found by projecting a delivered set onto its address fields (rather than by
//! trying every pair of hosts: topologies reach 100k hosts), their subjects, where a finding
//! about one points, and the failed-pair outcome most packet rules give.

use super::packets::{destinations_of, sources_of};
use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::paths::Pair;
use crate::analysis::reach::Endpoint;
use crate::model::*;
use crate::rules::{Context, Outcome, Text};
use std::collections::HashMap;

pub use crate::analysis::paths::EndpointIndex;

/// An index of every endpoint (each host and gateway interface, each segment's undeclared
/// addresses and each external's home) by address, so the endpoints owning a set of addresses
/// are found without a scan of all hosts per question.
pub fn endpoint_index(cx: &Context<'_>) -> EndpointIndex {
    EndpointIndex::new(&cx.reach, &cx.reach.all_endpoints())
}

/// The pair `from → to` within a set of packets delivered to `to`, with its services and the
/// packets of the pair; `None` when none of the set comes from `from`. The witness is left out
/// (finding one costs a trace): [`witnessed`] adds it where a finding shows it.
pub fn pair_in(
    cx: &mut Context<'_>,
    from: Endpoint,
    to: Endpoint,
    set: Bdd,
) -> Option<(Pair, Bdd)> {
    let src = cx.reach.endpoint_sources(from);
    let set = cx.reach.space.and(set, src);
    if set == FALSE {
        return None;
    }
    Some((Pair::of(&mut cx.reach, from, to, set), set))
}

/// A pair with its witness: one concrete flow of its packets and the hops it takes.
pub fn witnessed(cx: &mut Context<'_>, (mut pair, set): (Pair, Bdd)) -> Pair {
    pair.witness = cx.reach.witness(pair.from, pair.to, set);
    pair
}

/// Every source of the packets delivered to `to` that also lie in `filter`, as pairs with the
/// packets of each pair.
pub fn pairs_into(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    to: Endpoint,
    filter: Bdd,
) -> Vec<(Pair, Bdd)> {
    let delivered = cx.reach.delivered_to(to);
    let set = cx.reach.space.and(delivered, filter);
    pairs_in(cx, index, to, set)
}

/// Every source of a set of packets delivered to `to`, as pairs with the packets of each.
pub fn pairs_in(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    to: Endpoint,
    set: Bdd,
) -> Vec<(Pair, Bdd)> {
    if set == FALSE {
        return Vec::new();
    }
    let sources = sources_of(cx, set);
    let mut out = Vec::new();
    for from in index.at(&sources) {
        if from == to {
            continue;
        }
        if let Some(p) = pair_in(cx, from, to, set) {
            out.push(p);
        }
    }
    out
}

/// Every host of a tier that packets from `from` (within `filter`) are delivered to;
/// `delivered` is what [`delivered_to_tier`] gives for the tier.
pub fn pairs_from_into_tier(
    cx: &mut Context<'_>,
    index: &EndpointIndex,
    from: Endpoint,
    tier: Tier,
    delivered: Bdd,
    filter: Bdd,
) -> Vec<(Pair, Bdd)> {
    let src = cx.reach.endpoint_sources(from);
    let mut set = cx.reach.space.and(delivered, src);
    set = cx.reach.space.and(set, filter);
    if set == FALSE {
        return Vec::new();
    }
    let targets = destinations_of(cx, set);
    let mut out = Vec::new();
    for to in index.at(&targets) {
        if matches!(to, Endpoint::External(_)) || to == from || !cx.endpoint_in_tier(to, tier) {
            continue;
        }
        let d = cx.reach.delivered_to(to);
        let d = cx.reach.space.and(d, filter);
        if let Some(p) = pair_in(cx, from, to, d) {
            out.push(p);
        }
    }
    out
}

/// The subject of a packet pair: `from->to`.
pub fn pair_subject(cx: &Context<'_>, p: &Pair) -> String {
    crate::analysis::names::pair_subject(cx.topo, p)
}

/// Where a finding about a packet pair points: a host end (the preferred end first), else a
/// gateway or a segment's undeclared addresses, else the preferred end (an external's entry).
/// One rule for every family, so a pair's finding points at the same line whichever rule
/// reports it.
pub fn pair_loc(cx: &Context<'_>, p: &Pair, prefer_to: bool) -> Option<crate::source::Loc> {
    let (a, b) = if prefer_to {
        (p.to, p.from)
    } else {
        (p.from, p.to)
    };
    let rank = |e: Endpoint| match e {
        Endpoint::Host(_) => 0,
        Endpoint::Gateway(_) | Endpoint::Undeclared(_) => 1,
        Endpoint::External(_) => 2,
    };
    let at = if rank(b) < rank(a) { b } else { a };
    Some(at.loc(cx.topo))
}

/// A failed packet pair with its witness; `what` says in both languages what the packets are
/// (completed with the pair and the services).
pub fn pair_fail(cx: &Context<'_>, p: &Pair, ja: &str, en: &str) -> Outcome {
    let subject = pair_subject(cx, p);
    let a = crate::analysis::names::pair_end(cx.topo, p.from, p.from_addresses.as_deref());
    let b = crate::analysis::names::pair_end(cx.topo, p.to, p.to_addresses.as_deref());
    Outcome::fail(
        subject,
        pair_loc(cx, p, false),
        Text::new(
            format!("{ja}: {a} から {b} へパケットが届く ({})", p.services),
            format!("{en}: packets get from {a} to {b} ({})", p.services),
        ),
    )
    .with_evidence(Context::packet_evidence(p))
}

/// Host id → index, for flows and stores that name hosts.
pub fn host_map(topo: &Topology) -> HashMap<&str, usize> {
    topo.hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id.as_str(), i))
        .collect()
}
