//! `paths`: every reachable (source, destination) pair between two selections, with the
//! services that get through and a witness.

use super::bdd::{Bdd, FALSE};
use super::reach::{Endpoint, Reachability};
use super::space::ServiceSet;
use super::witness::Witness;
use crate::graph::Net;
use crate::model::ranges::{RangeIndex, intersects, normalize};
use crate::model::{AddrRange, ExternalId, HostId, Selector, Service};
use std::collections::{HashMap, HashSet};

/// What a selector stands for as a packet end: the endpoints it picks, the addresses it narrows
/// them to, and the segments where delivery counts.
///
/// `segment:`, `zone:`, `tier:` and CIDR selectors mean addresses: every address of the
/// selection, declared or not, so they pick the declared hosts, the gateways and the undeclared
/// addresses there, each narrowed to the selection (a host with a leg elsewhere sends and
/// receives only on its legs inside). `host:`, `kind:`, `store:` and `data:` mean the declared
/// hosts with all their addresses; `external:` the external networks; `any` everything.
pub struct Selection {
    pub endpoints: Vec<Endpoint>,
    /// The addresses the selection stands for; `None` when its endpoints' own addresses.
    pub addresses: Option<Vec<AddrRange>>,
    /// The segments a packet must be delivered on to count; `None` for any.
    pub segments: Option<HashSet<usize>>,
}

/// The endpoints a selector names. `Err` for selectors that name no packet endpoint (channels).
pub fn endpoints(reach: &Reachability<'_>, sel: &Selector) -> Result<Vec<Endpoint>, String> {
    selection(reach, sel).map(|s| s.endpoints)
}

/// What a selector stands for as a packet end (see [`Selection`]).
pub fn selection(reach: &Reachability<'_>, sel: &Selector) -> Result<Selection, String> {
    let topo = reach.topo;
    let hosts = |keep: &dyn Fn(usize) -> bool| -> Vec<Endpoint> {
        (0..topo.hosts.len())
            .filter(|&h| keep(h))
            .map(|h| Endpoint::Host(HostId(h)))
            .collect()
    };
    let declared = |endpoints: Vec<Endpoint>| Selection {
        endpoints,
        addresses: None,
        segments: None,
    };
    // Every endpoint on the segments `keep` selects, narrowed to them.
    let on_segments = |keep: &dyn Fn(&crate::model::Segment) -> bool| {
        let segments: HashSet<usize> = (0..topo.segments.len())
            .filter(|&s| keep(&topo.segments[s]))
            .collect();
        let endpoints = placed(reach, &|s, _| segments.contains(&s));
        let addresses = normalize(
            segments
                .iter()
                .map(|&s| AddrRange::from_net(*topo.segments[s].cidr))
                .collect(),
        );
        Selection {
            endpoints,
            addresses: Some(addresses),
            segments: Some(segments),
        }
    };
    let zone_tier = |zone: &str| topo.zone(zone).map(|z| z.tier);
    Ok(match sel {
        Selector::Any => declared(
            placed(reach, &|_, _| true)
                .into_iter()
                .chain((0..topo.externals.len()).map(|x| Endpoint::External(ExternalId(x))))
                .collect(),
        ),
        Selector::Host(id) => declared(hosts(&|h| topo.hosts[h].id == *id)),
        Selector::Kind(k) => declared(hosts(&|h| topo.hosts[h].kind == *k)),
        Selector::Segment(id) => on_segments(&|s| s.id == *id),
        Selector::Zone(z) => on_segments(&|s| s.zone.value == *z),
        Selector::Tier(t) => on_segments(&|s| zone_tier(&s.zone.value) == Some(*t)),
        Selector::Store(id) => declared(store_hosts(topo, |s| s.id == *id)),
        Selector::Data(d) => declared(store_hosts(topo, |s| s.data.contains(d))),
        Selector::External(id) => declared(
            (0..topo.externals.len())
                .filter(|&x| topo.externals[x].id == *id)
                .map(|x| Endpoint::External(ExternalId(x)))
                .collect(),
        ),
        Selector::Addr(r) => {
            let r = [*r];
            Selection {
                endpoints: placed(reach, &|_, addrs| intersects(addrs, &r))
                    .into_iter()
                    .chain(
                        (0..topo.externals.len())
                            .filter(|&x| intersects(&reach.addrs.external_home[x], &r))
                            .map(|x| Endpoint::External(ExternalId(x))),
                    )
                    .collect(),
                addresses: Some(r.to_vec()),
                segments: None,
            }
        }
        Selector::Channel(_) => {
            return Err(format!(
                "`{sel}` is a channel, not a packet endpoint; `sansou matrix` shows channels"
            ));
        }
    })
}

/// The endpoints inside the organisation (hosts, gateways, undeclared addresses of each
/// segment) with a leg that `keep(segment, addresses on it)` accepts, in endpoint order.
fn placed(reach: &Reachability<'_>, keep: &dyn Fn(usize, &[AddrRange]) -> bool) -> Vec<Endpoint> {
    reach
        .all_endpoints()
        .into_iter()
        .filter(|&e| reach.any_leg(e, &|s, addrs| !addrs.is_empty() && keep(s, addrs)))
        .collect()
}

/// The hosts of the stores `keep` selects, in host order.
fn store_hosts(
    topo: &crate::model::Topology,
    keep: impl Fn(&crate::model::Store) -> bool,
) -> Vec<Endpoint> {
    let mut hosts: Vec<Endpoint> = topo
        .stores
        .iter()
        .filter(|s| keep(s))
        .filter_map(|s| topo.host_index(&s.host))
        .map(|h| Endpoint::Host(HostId(h)))
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// One reachable pair.
pub struct Pair {
    pub from: Endpoint,
    pub to: Endpoint,
    pub services: ServiceSet,
    pub witness: Option<Witness>,
    /// The addresses the pair's packets come from, when the source is a segment's undeclared
    /// addresses (which of them get through, grouped into ranges).
    pub from_addresses: Option<Vec<AddrRange>>,
    /// The addresses the pair's packets go to, when the destination is undeclared addresses.
    pub to_addresses: Option<Vec<AddrRange>>,
}

impl Pair {
    /// The pair of `set` (packets from `from` delivered to `to`), without a witness.
    pub fn of(reach: &mut Reachability<'_>, from: Endpoint, to: Endpoint, set: Bdd) -> Pair {
        let services = reach.space.services_of(set);
        let from_addresses =
            matches!(from, Endpoint::Undeclared(_)).then(|| reach.space.sources_of(set));
        let to_addresses =
            matches!(to, Endpoint::Undeclared(_)).then(|| reach.space.destinations_of(set));
        Pair {
            from,
            to,
            services,
            witness: None,
            from_addresses,
            to_addresses,
        }
    }

    /// [`of`](Self::of) with a witness.
    pub fn witnessed(reach: &mut Reachability<'_>, from: Endpoint, to: Endpoint, set: Bdd) -> Pair {
        let mut pair = Pair::of(reach, from, to, set);
        pair.witness = reach.witness(from, to, set);
        pair
    }
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

/// The packets a set of endpoints can send: from their addresses, with the origin tag of tied
/// externals (one set over every source address, plus one per tagged external).
pub fn sources_set(reach: &mut Reachability<'_>, endpoints: &[Endpoint]) -> Bdd {
    let mut plain = Vec::new();
    let mut tagged = Vec::new();
    for &e in endpoints {
        match e {
            Endpoint::External(x) if reach.addrs.external_tag[x.0].is_some() => tagged.push(e),
            _ => plain.extend(reach.endpoint_addresses(e)),
        }
    }
    let mut all = reach.space.src(&normalize(plain));
    for e in tagged {
        let s = reach.endpoint_sources(e);
        all = reach.space.m.or(all, s);
    }
    all
}

/// Every reachable pair, in endpoint order (hosts in topology order, then gateways, undeclared
/// addresses and externals).
///
/// For each destination, the source addresses of what it receives are read off the delivered
/// set and looked up among the sources, so the cost follows the pairs that exist, not every
/// combination of sources and destinations.
pub fn pairs(reach: &mut Reachability<'_>, q: &Query<'_>) -> Result<Vec<Pair>, String> {
    pairs_bounded(reach, q, usize::MAX).map(|(found, _)| found)
}

/// [`pairs`], stopping after `limit` pairs (`any` to `any` on a large design has millions, each
/// with a witness). The flag says whether pairs were left out; the ones kept are the first
/// found, destination by destination in endpoint order, so the answer is the same every run.
pub fn pairs_bounded(
    reach: &mut Reachability<'_>,
    q: &Query<'_>,
    limit: usize,
) -> Result<(Vec<Pair>, bool), String> {
    let from = selection(reach, q.from)?;
    let to = selection(reach, q.to)?;
    let sources = &from.endpoints;
    let index = EndpointIndex::new(reach, sources);
    let mut all_sources = sources_set(reach, sources);
    // An address selector narrows the addresses, not just the endpoints it picks.
    let src_narrow = from.addresses.as_ref().map(|r| reach.space.src(r));
    let dst_narrow = to.addresses.as_ref().map(|r| reach.space.dst(r));
    if let Some(s) = src_narrow {
        all_sources = reach.space.m.and(all_sources, s);
    }
    let service = if q.services.is_empty() {
        super::bdd::TRUE
    } else {
        reach.space.services(q.services)
    };
    let delivery = |s: usize| to.segments.as_ref().is_none_or(|keep| keep.contains(&s));
    let mut out = Vec::new();
    let mut truncated = false;
    // Per segment: whether anything from the sources (on the services) is present there at
    // all. A target on segments with nothing is skipped before its own delivered set is
    // computed: with thousands of hosts in a tier and the tiers separated, most are.
    let mut segment_has: HashMap<usize, bool> = HashMap::new();
    let mut any_on = |reach: &mut Reachability<'_>, s: usize| {
        *segment_has.entry(s).or_insert_with(|| {
            let here = reach.present(Net::Segment(s));
            let here = reach.space.m.and(here, service);
            reach.space.m.and(here, all_sources) != FALSE
        })
    };
    'targets: for &target in &to.endpoints {
        if !matches!(target, Endpoint::External(_)) {
            let mut any = false;
            for (s, _) in reach.endpoint_legs(target) {
                any |= delivery(s) && any_on(reach, s);
            }
            if !any {
                continue;
            }
        }
        let mut delivered = reach.delivered_on(target, &delivery);
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
        for source in candidates {
            if source == target {
                continue;
            }
            let src = reach.endpoint_sources(source);
            let set = reach.space.m.and(delivered, src);
            if set == FALSE {
                continue;
            }
            if out.len() == limit {
                truncated = true;
                break 'targets;
            }
            out.push(Pair::witnessed(reach, source, target, set));
        }
    }
    out.sort_by_key(|p| (p.from, p.to));
    Ok((out, truncated))
}

/// The example packet used to explain why a pair does not get through: the endpoints' first
/// addresses within the selections (skipping 0.0.0.0/8 for externals) and the query's first
/// service, else tcp/443.
fn example_flow(
    reach: &Reachability<'_>,
    (from, from_sel): (Endpoint, &Selection),
    (to, to_sel): (Endpoint, &Selection),
    services: &[Service],
) -> Option<super::space::Flow> {
    let first = |e: Endpoint, sel: &Selection| -> Option<u32> {
        let mut addrs = reach.endpoint_addresses(e);
        if let Some(within) = &sel.addresses {
            addrs = crate::model::ranges::intersect(&addrs, within);
        }
        match e {
            Endpoint::External(_) => addrs
                .iter()
                .find(|r| r.last >= 1 << 24)
                .map(|r| r.first.max(1 << 24))
                .or_else(|| addrs.first().map(|r| r.first)),
            _ => addrs.first().map(|r| r.first),
        }
    };
    let (proto, port) = match services.first() {
        Some(Service::Proto { proto, ports }) => (*proto, ports.first),
        _ => (crate::model::service::TCP, 443),
    };
    Some(super::space::Flow {
        src: first(from, from_sel)?,
        dst: first(to, to_sel)?,
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
    let sources = selection(reach, q.from)?;
    let targets = selection(reach, q.to)?;
    let mut out = Vec::new();
    for &from in &sources.endpoints {
        for &to in &targets.endpoints {
            if from == to || reachable.iter().any(|p| p.from == from && p.to == to) {
                continue;
            }
            if out.len() == limit {
                return Ok(out);
            }
            let Some(flow) = example_flow(reach, (from, &sources), (to, &targets), q.services)
            else {
                continue;
            };
            if let Err(blocked) = reach.why_not(from, to, flow) {
                out.push((from, to, blocked));
            }
        }
    }
    Ok(out)
}
