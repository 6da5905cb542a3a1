//! `paths`: every reachable (source, destination) pair between two selections, with the
//! services that get through and a witness.

use super::bdd::FALSE;
use super::reach::{Endpoint, Reachability};
use super::space::ServiceSet;
use super::witness::Witness;
use crate::graph::Net;
use crate::model::ranges::{RangeIndex, intersects, normalize};
use crate::model::{AddrRange, Selector, Service};
use std::collections::HashMap;

/// The endpoints a selector names: hosts (groups count as one) and external networks.
/// `Err` for selectors that name no packet endpoint (channels).
pub fn endpoints(reach: &Reachability<'_>, sel: &Selector) -> Result<Vec<Endpoint>, String> {
    let topo = reach.topo;
    let hosts = |keep: &dyn Fn(usize) -> bool| -> Vec<Endpoint> {
        (0..topo.hosts.len())
            .filter(|&h| keep(h))
            .map(Endpoint::Host)
            .collect()
    };
    let in_zone = |h: usize, zone: &dyn Fn(&str) -> bool| {
        topo.hosts[h].interfaces.iter().any(|i| {
            topo.segment(&i.segment)
                .is_some_and(|s| zone(&s.zone.value))
        })
    };
    Ok(match sel {
        Selector::Any => hosts(&|_| true)
            .into_iter()
            .chain((0..topo.externals.len()).map(Endpoint::External))
            .collect(),
        Selector::Host(id) => hosts(&|h| topo.hosts[h].id == *id),
        Selector::Kind(k) => hosts(&|h| topo.hosts[h].kind == *k),
        Selector::Segment(id) => hosts(&|h| {
            topo.hosts[h]
                .interfaces
                .iter()
                .any(|i| i.segment.value == *id)
        }),
        Selector::Zone(z) => hosts(&|h| in_zone(h, &|zone| zone == z)),
        Selector::Tier(t) => {
            hosts(&|h| in_zone(h, &|zone| topo.zone(zone).is_some_and(|z| z.tier == *t)))
        }
        Selector::Store(id) => store_hosts(topo, |s| s.id == *id),
        Selector::Data(d) => store_hosts(topo, |s| s.data.contains(d)),
        Selector::External(id) => (0..topo.externals.len())
            .filter(|&x| topo.externals[x].id == *id)
            .map(Endpoint::External)
            .collect(),
        Selector::Addr(r) => {
            let r = [*r];
            hosts(&|h| intersects(&reach.addrs.host_addresses(&topo.hosts[h]), &r))
                .into_iter()
                .chain(
                    (0..topo.externals.len())
                        .filter(|&x| intersects(&reach.addrs.external_home[x], &r))
                        .map(Endpoint::External),
                )
                .collect()
        }
        Selector::Channel(_) => {
            return Err(format!(
                "`{sel}` is a channel, not a packet endpoint; `sansou matrix` shows channels"
            ));
        }
    })
}

/// The hosts of the stores `keep` selects, in host order.
fn store_hosts(
    topo: &crate::model::Topology,
    keep: impl Fn(&crate::model::Store) -> bool,
) -> Vec<Endpoint> {
    let mut hosts: Vec<usize> = topo
        .stores
        .iter()
        .filter(|s| keep(s))
        .filter_map(|s| topo.host_index(&s.host))
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts.into_iter().map(Endpoint::Host).collect()
}

/// One reachable pair.
pub struct Pair {
    pub from: Endpoint,
    pub to: Endpoint,
    pub services: ServiceSet,
    pub witness: Option<Witness>,
}

/// The query: two selections and an optional service filter.
pub struct Query<'a> {
    pub from: &'a Selector,
    pub to: &'a Selector,
    pub services: &'a [Service],
}

/// Endpoints by address: which of a set of endpoints have an address in given ranges.
pub struct EndpointIndex(RangeIndex<Endpoint>);

impl EndpointIndex {
    pub fn new(reach: &Reachability<'_>, endpoints: &[Endpoint]) -> EndpointIndex {
        EndpointIndex(RangeIndex::new(
            endpoints
                .iter()
                .flat_map(|&e| reach.endpoint_addresses(e).into_iter().map(move |r| (r, e)))
                .collect(),
        ))
    }

    /// The endpoints with an address in `ranges`, sorted, without duplicates.
    pub fn at(&self, ranges: &[AddrRange]) -> Vec<Endpoint> {
        self.0.at(ranges)
    }
}

/// Every reachable pair, in endpoint order (hosts in topology order, then externals).
///
/// For each destination, the source addresses of what it receives are read off the delivered
/// set and looked up among the sources, so the cost follows the pairs that exist, not every
/// combination of sources and destinations.
pub fn pairs(reach: &mut Reachability<'_>, q: &Query<'_>) -> Result<Vec<Pair>, String> {
    pairs_bounded(reach, q, usize::MAX).map(|(found, _)| found)
}

/// [`pairs`], stopping after `limit` pairs (`any` to `any` on a large design has millions, each
/// with a witness). The flag says whether pairs were left out; the ones kept are the first
/// found, destination by destination in topology order, so the answer is the same every run.
pub fn pairs_bounded(
    reach: &mut Reachability<'_>,
    q: &Query<'_>,
    limit: usize,
) -> Result<(Vec<Pair>, bool), String> {
    let sources = endpoints(reach, q.from)?;
    let targets = endpoints(reach, q.to)?;
    let index = EndpointIndex::new(reach, &sources);
    let source_addresses: Vec<AddrRange> = normalize(
        sources
            .iter()
            .flat_map(|&e| reach.endpoint_addresses(e))
            .collect(),
    );
    let all_sources = reach.space.src(&source_addresses);
    // A prefix selector narrows the addresses, not just the endpoints it picks.
    let narrow = |sel: &Selector| match sel {
        Selector::Addr(r) => Some(vec![*r]),
        _ => None,
    };
    let src_narrow = narrow(q.from).map(|r| reach.space.src(&r));
    let dst_narrow = narrow(q.to).map(|r| reach.space.dst(&r));
    let service = if q.services.is_empty() {
        super::bdd::TRUE
    } else {
        reach.space.services(q.services)
    };
    let mut out = Vec::new();
    let mut truncated = false;
    // Per segment: whether anything from the sources (on the services) is present there at
    // all. A host target on segments with nothing is skipped before its own delivered set is
    // computed: with thousands of hosts in a tier and the tiers separated, most are.
    let mut segment_has: HashMap<usize, bool> = HashMap::new();
    let mut any_on = |reach: &mut Reachability<'_>, s: usize| {
        *segment_has.entry(s).or_insert_with(|| {
            let here = reach.present(Net::Segment(s));
            let here = reach.space.m.and(here, service);
            reach.space.m.and(here, all_sources) != FALSE
        })
    };
    'targets: for &to in &targets {
        if let Endpoint::Host(h) = to {
            let topo = reach.topo;
            let segments = topo.hosts[h]
                .interfaces
                .iter()
                .filter_map(|i| topo.segment_index(&i.segment.value));
            let mut any = false;
            for s in segments {
                any |= any_on(reach, s);
            }
            if !any {
                continue;
            }
        }
        let mut delivered = reach.delivered_to(to);
        delivered = reach.space.m.and(delivered, service);
        if let Some(d) = dst_narrow {
            delivered = reach.space.m.and(delivered, d);
        }
        // Only what comes from the selected sources matters.
        delivered = reach.space.m.and(delivered, all_sources);
        if delivered == FALSE {
            continue;
        }
        // With few sources, trying each is cheapest; with many, read the senders off the set.
        let candidates = if sources.len() <= 16 {
            sources.clone()
        } else {
            let senders = reach.space.sources_of(delivered);
            index.at(&senders)
        };
        for from in candidates {
            if from == to {
                continue;
            }
            let addrs: Vec<AddrRange> = normalize(reach.endpoint_addresses(from));
            let src = reach.space.src(&addrs);
            let mut set = reach.space.m.and(delivered, src);
            if let Some(s) = src_narrow {
                set = reach.space.m.and(set, s);
            }
            if set == FALSE {
                continue;
            }
            if out.len() == limit {
                truncated = true;
                break 'targets;
            }
            let services = reach.space.services_of(set);
            let witness = reach.witness(from, to, set);
            out.push(Pair {
                from,
                to,
                services,
                witness,
            });
        }
    }
    out.sort_by_key(|p| (p.from, p.to));
    Ok((out, truncated))
}

/// The example packet used to explain why a pair does not get through: the endpoints' first
/// addresses (skipping 0.0.0.0/8 for externals) and the query's first service, else tcp/443.
fn example_flow(
    reach: &Reachability<'_>,
    from: Endpoint,
    to: Endpoint,
    services: &[Service],
) -> Option<super::space::Flow> {
    let first = |e: Endpoint| -> Option<u32> {
        let addrs = reach.endpoint_addresses(e);
        match e {
            Endpoint::Host(_) => addrs.first().map(|r| r.first),
            Endpoint::External(_) => addrs
                .iter()
                .find(|r| r.last >= 1 << 24)
                .map(|r| r.first.max(1 << 24))
                .or_else(|| addrs.first().map(|r| r.first)),
        }
    };
    let (proto, port) = match services.first() {
        Some(Service::Proto { proto, ports }) => (*proto, ports.first),
        _ => (crate::model::service::TCP, 443),
    };
    Some(super::space::Flow {
        src: first(from)?,
        dst: first(to)?,
        proto,
        port,
    })
}

/// Pairs between the selections that do not get through, each with where its example packet
/// is dropped; at most `limit` of them.
pub fn blocked_pairs(
    reach: &mut Reachability<'_>,
    q: &Query<'_>,
    reachable: &[Pair],
    limit: usize,
) -> Result<Vec<(Endpoint, Endpoint, super::witness::Blocked)>, String> {
    let sources = endpoints(reach, q.from)?;
    let targets = endpoints(reach, q.to)?;
    let mut out = Vec::new();
    for &from in &sources {
        for &to in &targets {
            if from == to || reachable.iter().any(|p| p.from == from && p.to == to) {
                continue;
            }
            if out.len() == limit {
                return Ok(out);
            }
            let Some(flow) = example_flow(reach, from, to, q.services) else {
                continue;
            };
            if let Err(blocked) = reach.why_not(from, to, flow) {
                out.push((from, to, blocked));
            }
        }
    }
    Ok(out)
}
