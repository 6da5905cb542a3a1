//! Packet pairs between two sides of a tier boundary (the LGWAN / internet split), computed
//! per segment group rather than per host pair.

use super::packets::{SCREEN, services};
use super::places::Facts;
use crate::analysis::bdd::{Bdd, FALSE, TRUE};
use crate::analysis::paths::Pair;
use crate::analysis::reach::Endpoint;
use crate::graph::Net;
use crate::model::ranges::normalize;
use crate::model::*;
use crate::rules::Context;
use std::collections::{BTreeMap, HashMap};

/// One side of a crossing: hosts and external networks (indexes into the topology), and the
/// other endpoints inside (gateways, undeclared addresses of segments).
#[derive(Default)]
pub struct Ends {
    pub hosts: Vec<usize>,
    pub externals: Vec<ExternalId>,
    pub others: Vec<Endpoint>,
}

impl Ends {
    /// The internet side: everything of the internet tier (hosts, gateways and undeclared
    /// addresses; not also in `not_in`) and internet externals.
    pub fn internet_side(facts: &Facts<'_>, not_in: Tier) -> Ends {
        Ends {
            externals: facts.internet_externals(),
            ..Ends::tier(facts, Tier::Internet, not_in)
        }
    }

    /// Every address of a tier: its hosts and gateways (with no leg in `not_in`: those are
    /// bridges, reported as such) and the undeclared addresses of its segments.
    pub fn tier(facts: &Facts<'_>, tier: Tier, not_in: Tier) -> Ends {
        Ends {
            hosts: facts.hosts_in(tier, not_in, |_| true),
            externals: Vec::new(),
            others: facts.unlisted_in(tier, not_in),
        }
    }

    pub fn hosts(hosts: Vec<usize>) -> Ends {
        Ends {
            hosts,
            externals: Vec::new(),
            others: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.externals.is_empty() && self.others.is_empty()
    }
}

/// Sources tested together: the group's addresses, and its members with their address sets
/// (made when first needed).
type Group = (Bdd, Vec<(Endpoint, Option<Bdd>)>);

/// Every reachable pair from `from` to `to`, restricted per target to the services `mask`
/// gives (a set over the service field; `TRUE` for everything). Sources are grouped (hosts by
/// their first segment, then each external) so a target is compared with one group at a time
/// and with single hosts only inside groups that reach it; targets are skipped by segment when
/// nothing from the sources arrives there.
pub fn crossing_pairs(
    cx: &mut Context<'_>,
    from: &Ends,
    to: &Ends,
    mask: &dyn Fn(Endpoint) -> Bdd,
) -> Vec<Pair> {
    let topo = cx.topo;
    let reach = &mut cx.reach;
    let cidr = |s: usize| AddrRange::from_net(*topo.segments[s].cidr);
    // Sources, grouped: hosts with one interface by segment (a group is tested with the
    // segment's prefix, and its hosts one by one only when the group is reached); hosts with
    // several interfaces and externals alone. A member's set is made when first needed.
    // Endpoints with one leg join their segment's group: hosts, gateways and the segment's
    // undeclared addresses (a tier's worth of segments then costs one test per segment, not
    // one per endpoint).
    let mut by_segment: BTreeMap<usize, Vec<Endpoint>> = BTreeMap::new();
    let mut alone: Vec<Endpoint> = Vec::new();
    let inside = from
        .hosts
        .iter()
        .map(|&h| Endpoint::Host(HostId(h)))
        .chain(from.others.iter().copied());
    for e in inside {
        match reach.endpoint_legs(e).as_slice() {
            [(s, _)] => by_segment.entry(*s).or_default().push(e),
            _ => alone.push(e),
        }
    }
    alone.extend(from.externals.iter().map(|&x| Endpoint::External(x)));
    let mut groups: Vec<Group> = Vec::new();
    let mut coarse: Vec<AddrRange> = Vec::new();
    for (seg, members) in by_segment {
        coarse.push(cidr(seg));
        let g = reach.space.src(&[cidr(seg)]);
        groups.push((g, members.into_iter().map(|e| (e, None)).collect()));
    }
    // Every source packet: by address, except tied externals' packets, which count only with
    // their origin tags (their addresses are another external's too).
    let mut tagged = FALSE;
    for e in alone {
        let s = reach.endpoint_sources(e);
        if matches!(e, Endpoint::External(x) if reach.addrs.external_tag[x.0].is_some()) {
            tagged = reach.space.or(tagged, s);
        } else {
            coarse.extend(reach.endpoint_addresses(e));
        }
        groups.push((s, vec![(e, Some(s))]));
    }
    if groups.is_empty() {
        return Vec::new();
    }
    let by_address = reach.space.src(&normalize(coarse));
    let all_src = reach.space.or(by_address, tagged);
    // Segments where packets from the sources arrive (addressed into the segment).
    let mut seg_hit: HashMap<usize, bool> = HashMap::new();
    let mut targets: Vec<Endpoint> = Vec::new();
    let inside = to
        .hosts
        .iter()
        .map(|&h| Endpoint::Host(HostId(h)))
        .chain(to.others.iter().copied());
    for t in inside {
        let hit = reach.endpoint_legs(t).into_iter().any(|(s, _)| {
            *seg_hit.entry(s).or_insert_with(|| {
                // Addressed into the segment and sent by a source: a small set (two address
                // fields), tested against what is present without building the intersection.
                let p = reach.present(Net::Segment(s));
                let d = reach.space.dst(&[cidr(s)]);
                let wanted = reach.space.and(d, all_src);
                reach.space.meets(p, wanted)
            })
        });
        if hit {
            targets.push(t);
        }
    }
    targets.sort();
    targets.extend(to.externals.iter().map(|&x| Endpoint::External(x)));
    let mut out = Vec::new();
    for t in targets {
        let mut delivered = reach.delivered_to(t);
        delivered = reach.space.and(delivered, all_src);
        if delivered == FALSE {
            continue;
        }
        delivered = reach.space.and(delivered, mask(t));
        if delivered == FALSE {
            continue;
        }
        for (union, members) in groups.iter_mut() {
            if !reach.space.meets(delivered, *union) {
                continue;
            }
            for (f, s) in members.iter_mut() {
                let f = *f;
                if f == t {
                    continue;
                }
                let s = *s.get_or_insert_with(|| reach.endpoint_sources(f));
                let set = reach.space.and(delivered, s);
                if set == FALSE {
                    continue;
                }
                out.push(Pair::witnessed(reach, f, t, set));
            }
        }
    }
    out.sort_by_key(|p| (p.from, p.to));
    out
}

/// Packets from the internet side into LGWAN-tier hosts. With `screen_to_vdi`, screen-transfer
/// protocols from internet-tier hosts to LGWAN hosts of kind `vdi` are left out (the β/β'
/// crossing); from internet externals nothing is left out.
pub fn internet_to_lgwan(
    cx: &mut Context<'_>,
    facts: &Facts<'_>,
    screen_to_vdi: bool,
) -> Vec<Pair> {
    let topo = cx.topo;
    let side = Ends::internet_side(facts, Tier::Lgwan);
    let to = Ends::tier(facts, Tier::Lgwan, Tier::Internet);
    let screen = services(SCREEN);
    let screen = cx.reach.space.services(&screen);
    let not_screen = cx.reach.space.not(screen);
    let mask = |e: Endpoint| match e {
        Endpoint::Host(h) if screen_to_vdi && topo.hosts[h].kind == HostKind::Vdi => not_screen,
        _ => TRUE,
    };
    let hosts = Ends {
        hosts: side.hosts,
        externals: Vec::new(),
        others: side.others,
    };
    let externals = Ends {
        externals: side.externals,
        ..Ends::default()
    };
    let mut pairs = crossing_pairs(cx, &hosts, &to, &mask);
    pairs.extend(crossing_pairs(cx, &externals, &to, &|_| TRUE));
    pairs.sort_by_key(|p| (p.from, p.to));
    pairs
}
