//! The boxes: segments with their address and host count, firewalls as hexagons, gateways,
//! external networks as ellipses; outlined in red when on a violating path.

use super::geometry::Rect;
use super::labels::{cols_for, display, kind_id, wrap};
use super::layout::Layout;
use super::marks::Marks;
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::diagram::Shape;
use crate::report::html::escape::text as esc;
use std::collections::BTreeMap;
use std::fmt::Write;

pub(super) fn draw(out: &mut String, topo: &Topology, l: &Layout, marks: &Marks, lang: Lang) {
    // Nodes. Hosts are counted as machines per segment: a group of 300 terminals counts 300.
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
    out.push_str("<g class=\"sv-nodes\">\n");
    for (key, shape) in &l.order {
        let Some(r) = l.boxes.get(key) else {
            continue;
        };
        let (name, detail) = node_text(topo, &units, key, lang);
        node(out, key, (&name, &detail), *shape, r, marks.touches(key));
    }
    out.push_str("</g>\n");
}

/// The texts of a node's box: title lines and a detail line.
fn node_text(
    topo: &Topology,
    units: &BTreeMap<&str, u64>,
    key: &str,
    lang: Lang,
) -> (String, String) {
    let (kind, id) = kind_id(key);
    match kind {
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
        _ => (key.to_string(), String::new()),
    }
}

fn node(
    out: &mut String,
    key: &str,
    (name, detail): (&str, &str),
    shape: Shape,
    r: &Rect,
    on_path: bool,
) {
    let (class, kind) = match shape {
        Shape::Segment => ("sv-seg", "segment"),
        Shape::Firewall => ("sv-fw", "firewall"),
        Shape::Gateway => ("sv-gw", "gateway"),
        Shape::External => ("sv-ext", "external"),
        Shape::Host => ("sv-seg", "host"),
    };
    let path = if on_path { " sv-on-path" } else { "" };
    let _ = write!(
        out,
        "<g class=\"node {kind}\" data-key=\"{}\"{}><title>{}</title>",
        esc(key),
        if on_path {
            " data-on-path=\"true\""
        } else {
            ""
        },
        esc(&format!("{name}\n{detail}"))
    );
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    match shape {
        Shape::Firewall => {
            let _ = write!(
                out,
                "<polygon class=\"{class}{path}\" points=\"{},{y} {},{y} {},{} {},{} {},{} {x},{}\"/>",
                x + 12,
                x + w - 12,
                x + w,
                y + h / 2,
                x + w - 12,
                y + h,
                x + 12,
                y + h,
                y + h / 2
            );
        }
        Shape::External => {
            let _ = write!(
                out,
                "<ellipse class=\"{class}{path}\" cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"/>",
                r.cx(),
                r.cy(),
                w / 2,
                h / 2
            );
        }
        _ => {
            let rx = if shape == Shape::Gateway { 10 } else { 4 };
            let _ = write!(
                out,
                "<rect class=\"{class}{path}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\"/>"
            );
        }
    }
    if shape == Shape::Segment {
        // Left-aligned: up to two lines of name, then address and host count.
        let cols = cols_for(w - 12, 11);
        let mut ty = y + 15;
        for line in wrap(name, cols, 2) {
            let _ = write!(
                out,
                "<text class=\"sv-name\" x=\"{}\" y=\"{ty}\">{}</text>",
                x + 6,
                esc(&line)
            );
            ty += 14;
        }
        let _ = write!(
            out,
            "<text class=\"sv-detail\" x=\"{}\" y=\"{}\">{}</text>",
            x + 6,
            y + h - 8,
            esc(&wrap(detail, cols_for(w - 12, 10), 1).join(""))
        );
    } else {
        // Centred: the ellipse and hexagon leave less room at the sides.
        // An ellipse is narrower than its box above and below the middle.
        let inset = if shape == Shape::External { 44 } else { 24 };
        let cols = cols_for(w - inset, 11);
        let names = wrap(name, cols, 2);
        let mut ty = if names.len() > 1 { y + 15 } else { y + 20 };
        for line in names {
            let _ = write!(
                out,
                "<text class=\"sv-name\" x=\"{}\" y=\"{ty}\" text-anchor=\"middle\">{}</text>",
                r.cx(),
                esc(&line)
            );
            ty += 13;
        }
        let _ = write!(
            out,
            "<text class=\"sv-detail\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            r.cx(),
            y + h - 6,
            esc(&wrap(detail, cols_for(w - 24, 10), 1).join(""))
        );
    }
    out.push_str("</g>\n");
}
