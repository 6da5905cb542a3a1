//! Where every entity is: each segment's zone and tier, each host's and gateway's segments,
//! zones and tiers, each external's tier. Resolved once per topology (`graph::Network` holds
//! it), so the layers above ask here instead of resolving ids on their own, and so agree:
//! before, six places each worked out "which tier is this host in" in their own way.

use super::{Store, Tier, Topology};
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
        let on = |segments: &mut dyn Iterator<Item = &str>| -> Vec<usize> {
            segments
                .filter_map(|s| segment_by_id.get(s).copied())
                .collect()
        };
        let host_segments: Vec<Vec<usize>> = topo
            .hosts
            .iter()
            .map(|h| on(&mut h.interfaces.iter().map(|i| i.segment.value.as_str())))
            .collect();
        let gateway_segments = topo
            .gateways
            .iter()
            .map(|g| on(&mut g.interfaces.iter().map(|i| i.segment.value.as_str())))
            .collect();
        let mut host_zones = Vec::with_capacity(topo.hosts.len());
        let mut host_tiers = Vec::with_capacity(topo.hosts.len());
        for segments in &host_segments {
            let mut z: Vec<&str> = segments
                .iter()
                .map(|&s| topo.segments[s].zone.value.as_str())
                .collect();
            let mut t: Vec<Tier> = segments.iter().filter_map(|&s| segment_tier[s]).collect();
            z.sort();
            z.dedup();
            t.sort();
            t.dedup();
            host_zones.push(z);
            host_tiers.push(t);
        }
        Places {
            topo,
            segment_by_id,
            zone_tier,
            segment_tier,
            host_segments,
            host_zones,
            host_tiers,
            gateway_segments,
        }
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
