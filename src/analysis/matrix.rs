//! The zone matrix: for every ordered pair of areas (zones, and external networks), which
//! services get from one to the other and which channels connect them.

use super::bdd::{Bdd, FALSE};
use super::channels::{Channel, channels};
use super::reach::Reachability;
use super::space::ServiceSet;
use crate::model::{AddrRange, ExternalId};
use std::collections::BTreeMap;

/// A row or column of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// A zone, by its index in `Topology::zones`.
    Zone(usize),
    External(ExternalId),
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub from: Area,
    pub to: Area,
    pub services: ServiceSet,
    /// Channels from the `from` zone to the `to` zone.
    pub channels: Vec<Channel>,
}

pub struct Matrix {
    pub areas: Vec<Area>,
    /// Every pair with something crossing, row by row.
    pub cells: Vec<Cell>,
}

impl Matrix {
    pub fn cell(&self, from: Area, to: Area) -> Option<&Cell> {
        self.cells.iter().find(|c| c.from == from && c.to == to)
    }
}

pub fn compute(reach: &mut Reachability<'_>) -> Matrix {
    let topo = reach.topo;
    let areas: Vec<Area> = (0..topo.zones.len())
        .map(Area::Zone)
        .chain((0..topo.externals.len()).map(|x| Area::External(ExternalId(x))))
        .collect();
    let delivered: Vec<Bdd> = areas
        .iter()
        .map(|a| match *a {
            Area::Zone(z) => reach.delivered_to_zone(&topo.zones[z].id),
            Area::External(x) => reach.delivered_to_external(x),
        })
        .collect();
    let sources: Vec<Bdd> = areas
        .iter()
        .map(|a| match *a {
            Area::Zone(z) => {
                let addrs = reach.zone_addresses(&topo.zones[z].id);
                reach.space.src(&addrs)
            }
            // With its origin tag when tied: a packet of another external that lists the
            // same prefix is not this external's.
            Area::External(x) => reach.endpoint_sources(super::reach::Endpoint::External(x)),
        })
        .collect();
    let all_channels = channels(topo);
    // Which areas send into each destination: read the source addresses off the delivered
    // set and look them up, instead of intersecting with every area (quadratic in areas).
    let mut owners: Vec<(AddrRange, usize)> = Vec::new();
    for (i, a) in areas.iter().enumerate() {
        let ranges = match *a {
            Area::Zone(z) => reach.zone_addresses(&topo.zones[z].id),
            Area::External(x) => reach.addrs.external_home[x.0].clone(),
        };
        owners.extend(ranges.into_iter().map(|r| (r, i)));
    }
    owners.sort();
    let mut senders_of: Vec<Vec<usize>> = Vec::with_capacity(areas.len());
    for &d in &delivered {
        let mut found: Vec<usize> = if d == FALSE {
            Vec::new()
        } else {
            let senders = reach.space.sources_of(d);
            // `senders` is sorted and disjoint: the first one ending at or after an owner's
            // start is the only candidate to overlap it first.
            owners
                .iter()
                .filter(|(r, _)| {
                    let k = senders.partition_point(|s| s.last < r.first);
                    senders.get(k).is_some_and(|s| s.overlaps(r))
                })
                .map(|(_, i)| *i)
                .collect()
        };
        found.sort();
        found.dedup();
        senders_of.push(found);
    }
    // Channels by (from zone, to zone), in their order: looked up per cell rather than
    // filtered out of every channel for each of the areas² cells.
    let mut channels_between: BTreeMap<(&str, &str), Vec<Channel>> = BTreeMap::new();
    for c in &all_channels {
        channels_between
            .entry((c.from_zone.as_str(), c.to_zone.as_str()))
            .or_default()
            .push(c.clone());
    }
    let zone_id = |a: &Area| match *a {
        Area::Zone(z) => Some(topo.zones[z].id.as_str()),
        Area::External(_) => None,
    };
    let mut cells = Vec::new();
    for (i, from) in areas.iter().enumerate() {
        for (j, to) in areas.iter().enumerate() {
            let services = if senders_of[j].binary_search(&i).is_ok() {
                let set = reach.space.m.and(sources[i], delivered[j]);
                reach.space.services_of(set)
            } else {
                ServiceSet::default()
            };
            let chans: Vec<Channel> = match (zone_id(from), zone_id(to)) {
                (Some(f), Some(t)) => channels_between.get(&(f, t)).cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            if !services.is_empty() || !chans.is_empty() {
                cells.push(Cell {
                    from: *from,
                    to: *to,
                    services,
                    channels: chans,
                });
            }
        }
    }
    Matrix { areas, cells }
}
