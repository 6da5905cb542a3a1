//! A drawing-neutral picture of a topology: zones as clusters holding segments and hosts;
//! firewalls, gateways and externals between them; edges for every attachment. The DOT and
//! Mermaid writers render the same [`Diagram`], so both always show the same things.

use crate::model::{Attachment, Topology};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Segment,
    Host,
    Firewall,
    Gateway,
    External,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// Unique and stable: `segment:ID`, `host:ID`, ...
    pub key: String,
    pub label: String,
    pub shape: Shape,
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub key: String,
    pub label: String,
    pub nodes: Vec<Node>,
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Diagram {
    pub title: String,
    pub clusters: Vec<Cluster>,
    /// Nodes outside every zone: firewalls, gateways, externals.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

fn display(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if n != id => format!("{n} ({id})"),
        _ => id.to_string(),
    }
}

/// Builds the diagram in input order (which is deterministic for a given topology).
pub fn build(topo: &Topology) -> Diagram {
    let mut d = Diagram {
        title: topo.meta.name.clone().unwrap_or_else(|| "topology".into()),
        ..Diagram::default()
    };
    for z in &topo.zones {
        let mut nodes = Vec::new();
        for s in topo.segments.iter().filter(|s| s.zone.value == z.id) {
            nodes.push(Node {
                key: format!("segment:{}", s.id),
                label: format!("{}\n{}", display(&s.id, s.name.as_deref()), *s.cidr),
                shape: Shape::Segment,
            });
        }
        // A host is drawn in the zone of its first interface; its other interfaces are edges.
        for h in &topo.hosts {
            let home = h.interfaces.first().and_then(|i| topo.segment(&i.segment));
            if home.is_some_and(|s| s.zone.value == z.id) {
                let count = if h.count > 1 {
                    format!(" ×{}", h.count)
                } else {
                    String::new()
                };
                nodes.push(Node {
                    key: format!("host:{}", h.id),
                    label: format!("{}{count}\n{}", display(&h.id, h.name.as_deref()), h.kind),
                    shape: Shape::Host,
                });
            }
        }
        d.clusters.push(Cluster {
            key: format!("zone:{}", z.id),
            label: format!("{} [{}]", display(&z.id, z.name.as_deref()), z.tier),
            nodes,
        });
    }
    for h in &topo.hosts {
        for i in &h.interfaces {
            d.edges.push(Edge {
                from: format!("host:{}", h.id),
                to: format!("segment:{}", i.segment.value),
                label: None,
            });
        }
    }
    for e in &topo.externals {
        let cidrs: Vec<String> = e.cidrs.iter().map(|c| c.value.to_string()).collect();
        d.nodes.push(Node {
            key: format!("external:{}", e.id),
            label: format!(
                "{}\n{} {}",
                display(&e.id, e.name.as_deref()),
                e.kind,
                cidrs.join(" ")
            ),
            shape: Shape::External,
        });
    }
    for f in &topo.firewalls {
        d.nodes.push(Node {
            key: format!("firewall:{}", f.id),
            label: format!(
                "{}\n{} rules, default {}",
                display(&f.id, f.name.as_deref()),
                f.rules.len(),
                f.default
            ),
            shape: Shape::Firewall,
        });
        for i in &f.interfaces {
            let to = match &i.attachment.value {
                Attachment::Segment(s) => format!("segment:{s}"),
                Attachment::External(e) => format!("external:{e}"),
            };
            d.edges.push(Edge {
                from: format!("firewall:{}", f.id),
                to,
                label: i.name.clone(),
            });
        }
    }
    for g in &topo.gateways {
        let bypass = if g.bypass { " (bypass!)" } else { "" };
        d.nodes.push(Node {
            key: format!("gateway:{}", g.id),
            label: format!(
                "{}\n{} {} → {}{bypass}",
                display(&g.id, g.name.as_deref()),
                g.kind,
                g.from.value,
                g.to.value
            ),
            shape: Shape::Gateway,
        });
        for i in &g.interfaces {
            d.edges.push(Edge {
                from: format!("gateway:{}", g.id),
                to: format!("segment:{}", i.segment.value),
                label: None,
            });
        }
    }
    d
}
