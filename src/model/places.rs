//! Where every entity is: each segment's zone and tier, each host's and gateway's segments,
//! zones and tiers, each external's tier. Resolved once per topology (`graph::Network` holds
//! it), so the layers above ask here instead of resolving ids on their own, and so agree:
//! before, six places each worked out "which tier is this host in" in their own way.

use super::{ExternalId, Host, Store, Tier, Topology};
use std::collections::HashMap;

pub struct Places<'t> {
    pub topo: &'t Topology,
    segment_by_id: HashMap<&'t str, usize>,
    zone_tier: HashMap<&'t str, Tier>,
    /// Per segment: its zone's tier (`None` when the zone is not declared).
    pub segment_tier: Vec<Option<Tier>>,
    /// Per host: the segments its interfaces sit on, in interface order (an interface on an
    /// undeclared segment is left out).
    pub host_segments: Vec<Vec<usize>>,
    /// Per host: the zones its interfaces sit in (sorted by id, deduplicated).
    pub host_zones: Vec<Vec<&'t str>>,
    /// Per host: the tiers its interfaces sit in (sorted, deduplicated; two for a bridge).
    pub host_tiers: Vec<Vec<Tier>>,
    /// Per gateway: the segments its interfaces sit on, in interface order.
    pub gateway_segments: Vec<Vec<usize>>,
}

impl<'t> Places<'t> {
    pub fn of(topo: &'t Topology) -> Places<'t> {
        // The first entity of an id wins, as a scan would find it (ids are unique in a design
        // that loads without errors; the analysis never sees another).
        let zone_tier: HashMap<&str, Tier> = topo
            .zones
            .iter()
            .rev()
            .map(|z| (z.id.as_str(), z.tier))
            .collect();
        let segment_by_id: HashMap<&str, usize> = topo
            .segments
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let segment_tier: Vec<Option<Tier>> = topo
            .segments
            .iter()
            .map(|s| zone_tier.get(s.zone.value.as_str()).copied())
            .collect();
        let gateway_segments = topo
            .gateways
            .iter()
            .map(|g| {
                g.interfaces
                    .iter()
                    .filter_map(|i| segment_by_id.get(i.segment.value.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut places = Places {
            topo,
            segment_by_id,
            zone_tier,
            segment_tier,
            host_segments: Vec::new(),
            host_zones: Vec::new(),
            host_tiers: Vec::new(),
            gateway_segments,
        };
        let host_segments: Vec<Vec<usize>> =
            topo.hosts.iter().map(|h| places.segments_of(h)).collect();
        places.host_zones = host_segments.iter().map(|s| places.zones_on(s)).collect();
        places.host_tiers = host_segments.iter().map(|s| places.tiers_on(s)).collect();
        places.host_segments = host_segments;
        places
    }

    /// The segments a host's interfaces sit on, in interface order (what `host_segments`
    /// holds by index, for a host at hand).
    pub fn segments_of(&self, h: &Host) -> Vec<usize> {
        h.interfaces
            .iter()
            .filter_map(|i| self.segment(&i.segment))
            .collect()
    }

    /// The zones a host's interfaces sit in, sorted and deduplicated (`host_zones`).
    pub fn zones_of(&self, h: &Host) -> Vec<&'t str> {
        self.zones_on(&self.segments_of(h))
    }

    /// The tiers a host's interfaces sit in, sorted and deduplicated; two for a bridge
    /// (`host_tiers`).
    pub fn tiers_of(&self, h: &Host) -> Vec<Tier> {
        self.tiers_on(&self.segments_of(h))
    }

    fn zones_on(&self, segments: &[usize]) -> Vec<&'t str> {
        let topo = self.topo;
        let mut z: Vec<&'t str> = segments
            .iter()
            .map(|&s| topo.segments[s].zone.value.as_str())
            .collect();
        z.sort();
        z.dedup();
        z
    }

    fn tiers_on(&self, segments: &[usize]) -> Vec<Tier> {
        let mut t: Vec<Tier> = segments
            .iter()
            .filter_map(|&s| self.segment_tier[s])
            .collect();
        t.sort();
        t.dedup();
        t
    }

    /// Externals that stand for the internet (kind internet or security-cloud), in order.
    pub fn internet_externals(&self) -> Vec<ExternalId> {
        (0..self.topo.externals.len())
            .filter(|&x| self.topo.externals[x].kind.is_internet())
            .map(ExternalId)
            .collect()
    }

    /// A segment's index by id.
    pub fn segment(&self, id: &str) -> Option<usize> {
        self.segment_by_id.get(id).copied()
    }

    /// A zone's tier by id.
    pub fn zone_tier(&self, zone: &str) -> Option<Tier> {
        self.zone_tier.get(zone).copied()
    }

    /// Whether host `h` (by index) has an interface in `tier`.
    pub fn host_in(&self, h: usize, tier: Tier) -> bool {
        self.host_tiers[h].contains(&tier)
    }

    /// The tiers of the host a store sits on.
    pub fn store_tiers(&self, s: &Store) -> Vec<Tier> {
        self.topo
            .host_index(&s.host)
            .map(|h| self.host_tiers[h].clone())
            .unwrap_or_default()
    }

    /// The tier an external stands in: the internet tier for an internet (or security-cloud)
    /// external, none for the others.
    pub fn external_tier(&self, x: usize) -> Option<Tier> {
        self.topo.externals[x]
            .kind
            .is_internet()
            .then_some(Tier::Internet)
    }
}
