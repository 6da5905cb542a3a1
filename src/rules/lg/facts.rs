//! Facts the LG and IN families share: indexes over the topology (so rules stay linear on
//! 100k-host designs), the two sides of the LGWAN / internet split, service sets (mail, screen
//! transfer), and packet pairs between two sets of endpoints computed per segment group rather
//! than per host pair.

use crate::analysis::bdd::{Bdd, FALSE, TRUE};
use crate::analysis::paths::Pair;
use crate::analysis::reach::Endpoint;
use crate::graph::Net;
use crate::model::ranges::normalize;
use crate::model::service::PortRange;
use crate::model::service::{TCP, UDP};
use crate::model::*;
use crate::rules::{Context, Outcome, Text};
use std::collections::{BTreeMap, HashMap};

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

/// Indexes over a topology, built once per rule run.
pub struct Facts<'t> {
    pub topo: &'t Topology,
    seg_index: HashMap<&'t str, usize>,
    seg_tier: Vec<Option<Tier>>,
    host_index: HashMap<&'t str, usize>,
    zone_tier: HashMap<&'t str, Tier>,
    /// Per segment: whether some of its addresses are undeclared.
    has_undeclared: Vec<bool>,
}

impl<'t> Facts<'t> {
    /// The facts of a topology; `undeclared` is each segment's undeclared addresses
    /// (`Addresses::undeclared`).
    pub fn new(topo: &'t Topology, undeclared: &[Vec<AddrRange>]) -> Facts<'t> {
        let zone_tier: HashMap<&str, Tier> =
            topo.zones.iter().map(|z| (z.id.as_str(), z.tier)).collect();
        Facts {
            topo,
            seg_index: topo
                .segments
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
            seg_tier: topo
                .segments
                .iter()
                .map(|s| zone_tier.get(s.zone.value.as_str()).copied())
                .collect(),
            host_index: topo
                .hosts
                .iter()
                .enumerate()
                .map(|(i, h)| (h.id.as_str(), i))
                .collect(),
            zone_tier,
            has_undeclared: undeclared.iter().map(|u| !u.is_empty()).collect(),
        }
    }

    pub fn segment(&self, id: &str) -> Option<usize> {
        self.seg_index.get(id).copied()
    }

    pub fn segment_tier(&self, i: usize) -> Option<Tier> {
        self.seg_tier[i]
    }

    pub fn zone_tier(&self, zone: &str) -> Option<Tier> {
        self.zone_tier.get(zone).copied()
    }

    pub fn host(&self, id: &str) -> Option<&'t Host> {
        self.host_index.get(id).map(|&i| &self.topo.hosts[i])
    }

    /// The segments a host's interfaces sit on.
    pub fn host_segments(&self, h: &Host) -> Vec<usize> {
        h.interfaces
            .iter()
            .filter_map(|i| self.segment(&i.segment))
            .collect()
    }

    /// The tiers of a host's interfaces.
    pub fn host_tiers(&self, h: &Host) -> Vec<Tier> {
        let mut t: Vec<Tier> = self
            .host_segments(h)
            .into_iter()
            .filter_map(|s| self.seg_tier[s])
            .collect();
        t.sort();
        t.dedup();
        t
    }

    pub fn host_in(&self, h: &Host, tier: Tier) -> bool {
        self.host_segments(h)
            .into_iter()
            .any(|s| self.seg_tier[s] == Some(tier))
    }

    /// The zones of a host's interfaces.
    pub fn host_zones(&self, h: &Host) -> Vec<&'t str> {
        let mut z: Vec<&str> = self
            .host_segments(h)
            .into_iter()
            .map(|s| self.topo.segments[s].zone.value.as_str())
            .collect();
        z.sort();
        z.dedup();
        z
    }

    /// The tiers of the host a store sits on.
    pub fn store_tiers(&self, s: &Store) -> Vec<Tier> {
        self.host(&s.host)
            .map(|h| self.host_tiers(h))
            .unwrap_or_default()
    }

    /// Hosts (by index) with an interface in `tier` and none in `not_in` (a host in both is a
    /// bridge, reported by ZN-002 and MN-001; its packets inside either segment are no
    /// crossing).
    pub fn hosts_in(&self, tier: Tier, not_in: Tier, keep: impl Fn(&Host) -> bool) -> Vec<usize> {
        (0..self.topo.hosts.len())
            .filter(|&i| {
                let h = &self.topo.hosts[i];
                keep(h) && self.host_in(h, tier) && !self.host_in(h, not_in)
            })
            .collect()
    }

    /// The endpoints of a tier that are not declared hosts: gateways with a leg in `tier` and
    /// none in `not_in`, and the segments of `tier` with undeclared addresses.
    pub fn unlisted_in(&self, tier: Tier, not_in: Tier) -> Vec<Endpoint> {
        let topo = self.topo;
        let gateways = (0..topo.gateways.len()).filter(|&g| {
            let tiers: Vec<Option<Tier>> = topo.gateways[g]
                .interfaces
                .iter()
                .filter_map(|i| self.segment(&i.segment))
                .map(|s| self.seg_tier[s])
                .collect();
            tiers.contains(&Some(tier)) && !tiers.contains(&Some(not_in))
        });
        let segments = (0..topo.segments.len())
            .filter(|&s| self.seg_tier[s] == Some(tier) && self.has_undeclared[s]);
        gateways
            .map(Endpoint::Gateway)
            .chain(segments.map(Endpoint::Undeclared))
            .collect()
    }

    /// Externals that stand for the internet (internet, security-cloud).
    pub fn internet_externals(&self) -> Vec<usize> {
        (0..self.topo.externals.len())
            .filter(|&x| self.topo.externals[x].kind.is_internet())
            .collect()
    }

    /// The zones a flow end stands in. An internet external stands for every internet-tier
    /// zone (content from the internet enters through one of them).
    pub fn selector_zones(&self, sel: &Selector) -> Vec<&'t str> {
        let topo = self.topo;
        let zones_of_tier = |t: Tier| -> Vec<&'t str> {
            topo.zones
                .iter()
                .filter(|z| z.tier == t)
                .map(|z| z.id.as_str())
                .collect()
        };
        let mut z: Vec<&str> = match sel {
            Selector::Tier(t) => zones_of_tier(*t),
            Selector::Zone(z) => topo
                .zone(z)
                .map(|z| vec![z.id.as_str()])
                .unwrap_or_default(),
            Selector::Segment(s) => self
                .segment(s)
                .map(|i| vec![topo.segments[i].zone.value.as_str()])
                .unwrap_or_default(),
            Selector::Host(h) => self.host(h).map(|h| self.host_zones(h)).unwrap_or_default(),
            Selector::Store(s) => topo
                .stores
                .iter()
                .filter(|x| x.id == *s)
                .filter_map(|s| self.host(&s.host))
                .flat_map(|h| self.host_zones(h))
                .collect(),
            Selector::External(x) if topo.external(x).is_some_and(|e| e.kind.is_internet()) => {
                zones_of_tier(Tier::Internet)
            }
            _ => Vec::new(),
        };
        z.sort();
        z.dedup();
        z
    }

    /// Firewall interfaces by what they attach to: (interface index, segment index or
    /// external index).
    pub fn interface_net(&self, fw: &Firewall, i: usize) -> Option<Net> {
        match &fw.interfaces[i].attachment.value {
            Attachment::Segment(s) => self.segment(s).map(Net::Segment),
            Attachment::External(x) => self
                .topo
                .externals
                .iter()
                .position(|e| e.id == *x)
                .map(Net::External),
        }
    }

    /// The tier a network stands in: a segment's zone tier; an internet external counts as
    /// the internet tier.
    pub fn net_tier(&self, net: Net) -> Option<Tier> {
        match net {
            Net::Segment(s) => self.seg_tier[s],
            Net::External(x) => self.topo.externals[x]
                .kind
                .is_internet()
                .then_some(Tier::Internet),
        }
    }
}

/// One side of a crossing: hosts and external networks (indexes into the topology), and the
/// other endpoints inside (gateways, undeclared addresses of segments).
#[derive(Default)]
pub struct Ends {
    pub hosts: Vec<usize>,
    pub externals: Vec<usize>,
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
        .map(|&h| Endpoint::Host(h))
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
        if matches!(e, Endpoint::External(x) if reach.addrs.external_tag[x].is_some()) {
            tagged = reach.space.m.or(tagged, s);
        } else {
            coarse.extend(reach.endpoint_addresses(e));
        }
        groups.push((s, vec![(e, Some(s))]));
    }
    if groups.is_empty() {
        return Vec::new();
    }
    let by_address = reach.space.src(&normalize(coarse));
    let all_src = reach.space.m.or(by_address, tagged);
    // Segments where packets from the sources arrive (addressed into the segment).
    let mut seg_hit: HashMap<usize, bool> = HashMap::new();
    let mut targets: Vec<Endpoint> = Vec::new();
    let inside = to
        .hosts
        .iter()
        .map(|&h| Endpoint::Host(h))
        .chain(to.others.iter().copied());
    for t in inside {
        let hit = reach.endpoint_legs(t).into_iter().any(|(s, _)| {
            *seg_hit.entry(s).or_insert_with(|| {
                // The destination first: it sits above the source in the variable order, so
                // the source test then walks only the packets addressed into the segment.
                let p = reach.present(Net::Segment(s));
                let d = reach.space.dst(&[cidr(s)]);
                let arriving = reach.space.m.and(p, d);
                reach.space.m.and(arriving, all_src) != FALSE
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
        delivered = reach.space.m.and(delivered, all_src);
        if delivered == FALSE {
            continue;
        }
        delivered = reach.space.m.and(delivered, mask(t));
        if delivered == FALSE {
            continue;
        }
        for (union, members) in groups.iter_mut() {
            if reach.space.m.and(delivered, *union) == FALSE {
                continue;
            }
            for (f, s) in members.iter_mut() {
                let f = *f;
                if f == t {
                    continue;
                }
                let s = *s.get_or_insert_with(|| reach.endpoint_sources(f));
                let set = reach.space.m.and(delivered, s);
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

/// A set over the service field.
pub fn service_set(cx: &mut Context<'_>, list: &[Service]) -> Bdd {
    if list.is_empty() {
        return TRUE;
    }
    cx.reach.space.services(list)
}

/// `from->to`, the subject of a packet finding.
pub fn pair_subject(cx: &Context<'_>, p: &Pair) -> String {
    crate::analysis::names::pair_subject(cx.topo, p)
}

/// Where a packet finding points: the source host, else the target host.
pub fn pair_loc(cx: &Context<'_>, p: &Pair) -> Option<crate::source::Loc> {
    match (p.from, p.to) {
        (Endpoint::Host(h), _) | (_, Endpoint::Host(h)) => Some(cx.topo.hosts[h].loc),
        (e @ (Endpoint::Gateway(_) | Endpoint::Undeclared(_)), _)
        | (_, e @ (Endpoint::Gateway(_) | Endpoint::Undeclared(_))) => Some(e.loc(cx.topo)),
        _ => None,
    }
}

/// A failed packet pair with its witness; `what` says in both languages what the packets are
/// (completed with the pair and the services).
pub fn pair_fail(cx: &Context<'_>, p: &Pair, ja: &str, en: &str) -> Outcome {
    let subject = pair_subject(cx, p);
    let a = crate::analysis::names::pair_end(cx.topo, p.from, p.from_addresses.as_deref());
    let b = crate::analysis::names::pair_end(cx.topo, p.to, p.to_addresses.as_deref());
    Outcome::fail(
        subject,
        pair_loc(cx, p),
        Text::new(
            format!("{ja}: {a} から {b} へパケットが届く ({})", p.services),
            format!("{en}: packets get from {a} to {b} ({})", p.services),
        ),
    )
    .with_evidence(Context::packet_evidence(p))
}

/// Whether a selector stands for every address (`any`, `0.0.0.0/0`).
pub fn is_any(sel: &Selector) -> bool {
    match sel {
        Selector::Any => true,
        Selector::Addr(r) => *r == AddrRange::ALL,
        _ => false,
    }
}

/// Whether a rule's services are every service (`any`, or none written).
pub fn any_service(rule: &Rule) -> bool {
    rule.services.is_empty() || rule.services.iter().any(|s| s.value == Service::Any)
}

/// A firewall interface as printed: its name, else `#N` (1-based).
pub fn interface_name(fw: &Firewall, i: usize) -> String {
    fw.interfaces[i]
        .name
        .clone()
        .unwrap_or_else(|| format!("#{}", i + 1))
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
    let not_screen = cx.reach.space.m.not(screen);
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
