//! Views of part of a design. A large design in one picture is too tall to read on paper
//! (tier M would be tens of A4 pages of lines), so it is drawn zone by zone: each view holds
//! one zone's segments, the firewalls, gateways and multi-homed hosts attached to them, and
//! the external networks those firewalls face. Attachments to other zones are left out of a
//! zone's view (they are drawn in the other zone's view), and the view says so.

use crate::report::diagram::{Cluster, Diagram};
use std::collections::BTreeSet;

/// Designs with more segments than this are drawn zone by zone in the report.
pub const LARGE: usize = 40;

/// Whether a diagram is drawn zone by zone in the report.
pub fn is_large(d: &Diagram) -> bool {
    let segments = d
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter())
        .filter(|n| n.key.starts_with("segment:"))
        .count();
    segments > LARGE
}

/// The part of a diagram one zone needs (`zone:ID`), or `None` when there is no such zone.
pub fn zone_view(d: &Diagram, zone_key: &str) -> Option<Diagram> {
    let cluster: &Cluster = d.clusters.iter().find(|c| c.key == zone_key)?;
    let inside: BTreeSet<&str> = cluster.nodes.iter().map(|n| n.key.as_str()).collect();
    // Firewalls, gateways and hosts with an attachment inside the zone.
    let devices: BTreeSet<&str> = d
        .edges
        .iter()
        .filter(|e| inside.contains(e.to.as_str()))
        .map(|e| e.from.as_str())
        .collect();
    // The external networks those face.
    let externals: BTreeSet<&str> = d
        .edges
        .iter()
        .filter(|e| devices.contains(e.from.as_str()) && e.to.starts_with("external:"))
        .map(|e| e.to.as_str())
        .collect();
    let keep = |k: &str| inside.contains(k) || devices.contains(k) || externals.contains(k);
    Some(Diagram {
        title: d.title.clone(),
        clusters: vec![cluster.clone()],
        nodes: d.nodes.iter().filter(|n| keep(&n.key)).cloned().collect(),
        edges: d
            .edges
            .iter()
            .filter(|e| keep(&e.from) && keep(&e.to))
            .cloned()
            .collect(),
    })
}
