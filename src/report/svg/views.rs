//! Views of part of a design. A large design in one picture is too tall to read on paper
//! (tier M would be tens of A4 pages of lines), so it is drawn as an overview and zone by
//! zone. The overview holds one box per zone (its segments summed up) and every firewall,
//! gateway and external network, attached to the zones; each zone's view holds the zone's
//! segments, the firewalls, gateways and multi-homed hosts attached to them, and the external
//! networks those firewalls face. Attachments to other zones are left out of a zone's view
//! (they are drawn in the other zone's view), and the report says so.

use super::marks::Marks;
use crate::report::diagram::{Cluster, Diagram, Edge, Node, Shape};
use std::collections::{BTreeMap, BTreeSet};

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

/// The key of a zone's box in the overview.
pub(super) const SUMMARY: &str = "summary:";

/// One box per zone, attached to what its segments attach to; and the marks carried over.
pub fn overview(d: &Diagram, marks: &Marks) -> (Diagram, Marks) {
    let mut zone_of: BTreeMap<&str, String> = BTreeMap::new();
    let clusters = d
        .clusters
        .iter()
        .map(|c| {
            let id = c.key.trim_start_matches("zone:");
            let key = format!("{SUMMARY}{id}");
            for n in &c.nodes {
                zone_of.insert(n.key.as_str(), key.clone());
            }
            Cluster {
                key: c.key.clone(),
                label: c.label.clone(),
                nodes: vec![Node {
                    key,
                    label: c.label.clone(),
                    shape: Shape::Segment,
                }],
            }
        })
        .collect();
    let to_box = |k: &str| zone_of.get(k).cloned().unwrap_or_else(|| k.to_string());
    let mut seen = BTreeSet::new();
    let mut edges = Vec::new();
    for e in d.edges.iter().filter(|e| !e.from.starts_with("host:")) {
        let to = to_box(&e.to);
        if seen.insert((e.from.clone(), to.clone())) {
            edges.push(Edge {
                from: e.from.clone(),
                to,
                label: None,
            });
        }
    }
    let view = Diagram {
        title: d.title.clone(),
        clusters,
        nodes: d.nodes.clone(),
        edges,
    };
    (view, marks.mapped(|k| to_box(k)))
}
