//! Where things are: indexes over the topology (segments, hosts and zones by id, each segment's
//! tier, which segments have undeclared addresses), built once per rule run so rules stay
//! linear on 100k-host designs.

use crate::analysis::reach::Endpoint;
use crate::graph::Net;
use crate::model::*;
use crate::rules::Context;
use std::sync::Arc;

/// The rules' view of where things are: the topology's resolved [`Places`] plus which segments
/// have undeclared addresses.
pub struct Facts<'t> {
    pub topo: &'t Topology,
    pub places: Arc<Places<'t>>,
    /// Per segment: whether some of its addresses are undeclared.
    has_undeclared: Vec<bool>,
}

impl<'t> Facts<'t> {
    /// The facts of the run's topology.
    pub fn new(cx: &Context<'t>) -> Facts<'t> {
        Facts {
            topo: cx.topo,
            places: Arc::clone(&cx.reach.network.places),
            has_undeclared: cx
                .reach
                .addrs
                .undeclared
                .iter()
                .map(|u| !u.is_empty())
                .collect(),
        }
    }

    pub fn segment(&self, id: &str) -> Option<usize> {
        self.places.segment(id)
    }

    pub fn segment_tier(&self, i: usize) -> Option<Tier> {
        self.places.segment_tier[i]
    }

    pub fn zone_tier(&self, zone: &str) -> Option<Tier> {
        self.places.zone_tier(zone)
    }

    pub fn host(&self, id: &str) -> Option<&'t Host> {
        self.topo.host(id)
    }

    /// The segments a host's interfaces sit on.
    pub fn host_segments(&self, h: &Host) -> Vec<usize> {
        self.places.segments_of(h)
    }

    /// The tiers of a host's interfaces.
    pub fn host_tiers(&self, h: &Host) -> Vec<Tier> {
        self.places.tiers_of(h)
    }

    pub fn host_in(&self, h: &Host, tier: Tier) -> bool {
        self.host_tiers(h).contains(&tier)
    }

    /// The zones of a host's interfaces.
    pub fn host_zones(&self, h: &Host) -> Vec<&'t str> {
        self.places.zones_of(h)
    }

    /// The tiers of the host a store sits on.
    pub fn store_tiers(&self, s: &Store) -> Vec<Tier> {
        self.places.store_tiers(s)
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
                .map(|s| self.places.segment_tier[s])
                .collect();
            tiers.contains(&Some(tier)) && !tiers.contains(&Some(not_in))
        });
        let segments = (0..topo.segments.len())
            .filter(|&s| self.places.segment_tier[s] == Some(tier) && self.has_undeclared[s]);
        gateways
            .map(|g| Endpoint::Gateway(GatewayId(g)))
            .chain(segments.map(|s| Endpoint::Undeclared(SegmentId(s))))
            .collect()
    }

    /// Externals that stand for the internet (internet, security-cloud).
    pub fn internet_externals(&self) -> Vec<ExternalId> {
        self.places.internet_externals()
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
            Net::Segment(s) => self.places.segment_tier[s],
            Net::External(x) => self.places.external_tier(x),
        }
    }
}
