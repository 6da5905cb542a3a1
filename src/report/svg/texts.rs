//! What every box says, wrapped to its width in full: a name is never cut, so a box grows by
//! lines instead. A segment says its name, the data stores on its hosts (data classes and
//! record counts: what a path into the segment exposes), its address and how many machines it
//! holds; a firewall its rule count and default; a gateway its kind and direction; an external
//! network its kind and prefixes.
//!
//! Boxes of one kind share one height (the tallest one's), so the grid stays a grid.

use super::geometry::{LINE, node_width};
use super::labels::{display, kind_id, room_for, wrap};
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::diagram::{Diagram, Shape};
use crate::rules::support::thousands;
use std::collections::BTreeMap;

/// Font size of every text inside a box, in pixels.
pub(super) const FONT: i64 = 11;
/// Padding between a box's border and its text, left and right.
pub(super) const PAD: i64 = 6;
/// Room a hexagon's slanted sides take at each end of a centred line.
pub(super) const INSET: i64 = 12;

/// A line of text in a box, with its class (`sv-name`, `sv-store`, `sv-detail`).
pub(super) type Line = (&'static str, String);

pub(super) struct BoxText {
    /// Everything the box says on one line each, for the tooltip.
    pub(super) title: String,
    pub(super) lines: Vec<Line>,
}

/// The height a box needs for its lines: a line per 14 pixels and room above and below.
pub(super) fn height(lines: usize) -> i64 {
    LINE * lines as i64 + 12
}

/// The room for a line of text in a box of a shape (left-aligned in a segment, centred
/// elsewhere, where the shape's corners take room).
fn room(shape: Shape) -> usize {
    let w = node_width(shape);
    match shape {
        Shape::Segment | Shape::Host => room_for(w - 2 * PAD, FONT),
        _ => room_for(w - 2 * INSET, FONT),
    }
}

/// Every node's text by key.
pub(super) fn all(topo: &Topology, d: &Diagram, lang: Lang) -> BTreeMap<String, BoxText> {
    // Hosts are counted as machines per segment: a group of 300 terminals counts 300.
    let mut units: BTreeMap<&str, u64> = BTreeMap::new();
    for h in &topo.hosts {
        let mut segs: Vec<&str> = h
            .interfaces
            .iter()
            .map(|i| i.segment.value.as_str())
            .collect();
        segs.sort();
        segs.dedup();
        for s in segs {
            *units.entry(s).or_default() += h.count;
        }
    }
    let nodes = d
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter())
        .chain(&d.nodes)
        .filter(|n| n.shape != Shape::Host);
    let mut out = BTreeMap::new();
    for n in nodes {
        let (name, stores, detail) = says(topo, &units, &n.key, lang);
        let room = room(n.shape);
        let mut lines: Vec<Line> = Vec::new();
        let mut wrapped = |class: &'static str, text: &str| {
            for l in wrap(text, room, usize::MAX) {
                lines.push((class, l));
            }
        };
        wrapped("sv-name", &name);
        for s in &stores {
            wrapped("sv-store", s);
        }
        wrapped("sv-detail", &detail);
        let mut title = vec![name];
        title.extend(stores);
        title.push(detail);
        out.insert(
            n.key.clone(),
            BoxText {
                title: title.join("\n"),
                lines,
            },
        );
    }
    out
}

/// A node's name, its stores, and its detail line, unwrapped.
fn says(
    topo: &Topology,
    units: &BTreeMap<&str, u64>,
    key: &str,
    lang: Lang,
) -> (String, Vec<String>, String) {
    let (kind, id) = kind_id(key);
    let (name, detail) = match kind {
        "segment" => match topo.segment(id) {
            Some(s) => {
                let units = units.get(s.id.as_str()).copied().unwrap_or(0);
                let detail = match lang {
                    Lang::Ja => format!("{} · ホスト {units} 台", *s.cidr),
                    Lang::En => format!("{} · {units} host(s)", *s.cidr),
                };
                (display(&s.id, s.name.as_deref()), detail)
            }
            None => (id.to_string(), String::new()),
        },
        "firewall" => match topo.firewalls.iter().find(|f| f.id == id) {
            Some(f) => {
                let detail = match lang {
                    Lang::Ja => format!("ルール {} 件 · 既定 {}", f.rules.len(), f.default),
                    Lang::En => format!("{} rule(s) · default {}", f.rules.len(), f.default),
                };
                (display(&f.id, f.name.as_deref()), detail)
            }
            None => (id.to_string(), String::new()),
        },
        "gateway" => match topo.gateways.iter().find(|g| g.id == id) {
            Some(g) => {
                let bypass = if g.bypass {
                    lang.pick(" (バイパスあり)", " (bypass)")
                } else {
                    ""
                };
                let detail = format!("{} {} → {}{bypass}", g.kind, g.from.value, g.to.value);
                (display(&g.id, g.name.as_deref()), detail)
            }
            None => (id.to_string(), String::new()),
        },
        "external" => match topo.external(id) {
            Some(x) => {
                let cidrs: Vec<String> = x.cidrs.iter().map(|c| c.value.to_string()).collect();
                let detail = format!("{} {}", x.kind, cidrs.join(" "));
                (display(&x.id, x.name.as_deref()), detail)
            }
            None => (id.to_string(), String::new()),
        },
        "summary" => {
            let segments: Vec<&str> = topo
                .segments
                .iter()
                .filter(|s| s.zone.value == id)
                .map(|s| s.id.as_str())
                .collect();
            let hosts: u64 = segments
                .iter()
                .map(|s| units.get(s).copied().unwrap_or(0))
                .sum();
            let name = topo
                .zone(id)
                .map_or(id.to_string(), |z| display(&z.id, z.name.as_deref()));
            let detail = match lang {
                Lang::Ja => format!("セグメント {} · ホスト {hosts} 台", segments.len()),
                Lang::En => format!("{} segment(s) · {hosts} host(s)", segments.len()),
            };
            return (name, store_summary(topo, &segments, lang), detail);
        }
        _ => (key.to_string(), String::new()),
    };
    let stores = if kind == "segment" {
        stores_in(topo, id, lang)
    } else {
        Vec::new()
    };
    (name, stores, detail)
}

/// The stores on hosts whose first interface is in the segment (where the diagram places a
/// host): name, data classes and record count.
fn stores_in(topo: &Topology, segment: &str, lang: Lang) -> Vec<String> {
    topo.stores
        .iter()
        .filter(|s| {
            topo.host(&s.host.value)
                .and_then(|h| h.interfaces.first())
                .is_some_and(|i| i.segment.value == segment)
        })
        .map(|s| {
            let classes: Vec<String> = s.data.iter().map(|c| c.to_string()).collect();
            let records = match (s.records, lang) {
                (Some(n), Lang::Ja) => format!(" · {} 件", thousands(n)),
                (Some(n), Lang::En) => format!(" · {} records", thousands(n)),
                (None, _) => String::new(),
            };
            format!(
                "▣ {}: {}{records}",
                display(&s.id, s.name.as_deref()),
                classes.join(", ")
            )
        })
        .collect()
}

/// The stores of several segments in one line: how many, their data classes, their records.
fn store_summary(topo: &Topology, segments: &[&str], lang: Lang) -> Vec<String> {
    let stores: Vec<&crate::model::Store> = topo
        .stores
        .iter()
        .filter(|s| {
            topo.host(&s.host.value)
                .and_then(|h| h.interfaces.first())
                .is_some_and(|i| segments.contains(&i.segment.value.as_str()))
        })
        .collect();
    if stores.is_empty() {
        return Vec::new();
    }
    let mut classes: Vec<String> = Vec::new();
    for c in stores.iter().flat_map(|s| &s.data) {
        if !classes.contains(&c.to_string()) {
            classes.push(c.to_string());
        }
    }
    // Records summed over the stores that state theirs; none stated, none shown.
    let stated: Vec<u64> = stores.iter().filter_map(|s| s.records).collect();
    let records = match (stated.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Ja) => format!(" · 計 {} 件", thousands(stated.iter().sum())),
        (false, Lang::En) => format!(" · {} records in all", thousands(stated.iter().sum())),
    };
    vec![match lang {
        Lang::Ja => format!(
            "▣ データストア {}: {}{records}",
            stores.len(),
            classes.join(", ")
        ),
        Lang::En => format!(
            "▣ {} data store(s): {}{records}",
            stores.len(),
            classes.join(", ")
        ),
    }]
}
