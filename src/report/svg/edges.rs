//! The lines: firewalls' and gateways' attachments, red when on a violating path, and the
//! dashed line of a host with interfaces in several segments.

use super::geometry::{Rect, anchors, stacked};
use super::labels::{display, kind_id};
use super::layout::Layout;
use super::marks::Marks;
use super::route::{Point, route};
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::diagram::Diagram;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

pub(super) fn draw(
    out: &mut String,
    topo: &Topology,
    d: &Diagram,
    l: &Layout,
    marks: &Marks,
    lang: Lang,
) {
    // Edges: plain ones first, red ones last so they stay visible where lines cross.
    let mut plain = String::new();
    let mut red = String::new();
    for e in d.edges.iter().filter(|e| !e.from.starts_with("host:")) {
        let (Some(a), Some(b)) = (l.boxes.get(&e.from), l.boxes.get(&e.to)) else {
            continue;
        };
        let course = course(l, (&e.from, a), (&e.to, b));
        let violation = marks.has(&e.from, &e.to);
        let title = match &e.label {
            Some(i) => format!("{} {i} — {}", e.from, e.to),
            None => format!("{} — {}", e.from, e.to),
        };
        let target = if violation { &mut red } else { &mut plain };
        let _ = writeln!(
            target,
            "<polyline class=\"edge {}\" data-from=\"{}\" data-to=\"{}\"{} points=\"{}\"><title>{}</title></polyline>",
            if violation { "sv-violation" } else { "sv-edge" },
            esc(&e.from),
            esc(&e.to),
            if violation {
                " data-violation=\"true\""
            } else {
                ""
            },
            points(&course),
            esc(&title)
        );
    }
    // Hosts with interfaces in several segments: a dashed line between each pair in turn.
    let mut host_segments: Vec<(&str, Vec<&str>)> = Vec::new();
    for e in d.edges.iter().filter(|e| e.from.starts_with("host:")) {
        match host_segments.iter_mut().find(|(h, _)| *h == e.from) {
            Some((_, segs)) => {
                if !segs.contains(&e.to.as_str()) {
                    segs.push(e.to.as_str());
                }
            }
            None => host_segments.push((e.from.as_str(), vec![e.to.as_str()])),
        }
    }
    for (host, segs) in host_segments.iter().filter(|(_, s)| s.len() > 1) {
        let label = {
            let (_, id) = kind_id(host);
            topo.host(id)
                .map_or(id.to_string(), |h| display(&h.id, h.name.as_deref()))
        };
        for pair in segs.windows(2) {
            let (Some(a), Some(b)) = (l.boxes.get(pair[0]), l.boxes.get(pair[1])) else {
                continue;
            };
            let course = course(l, (pair[0], a), (pair[1], b));
            let _ = writeln!(
                plain,
                "<polyline class=\"bridge sv-bridge\" data-host=\"{}\" data-from=\"{}\" data-to=\"{}\" points=\"{}\"><title>{}</title></polyline>",
                esc(host),
                esc(pair[0]),
                esc(pair[1]),
                points(&course),
                esc(&format!(
                    "{}: {label}",
                    lang.pick("複数セグメントに接続するホスト", "host in several segments")
                ))
            );
        }
    }
    out.push_str("<g class=\"sv-edges\">\n");
    out.push_str(&plain);
    out.push_str(&red);
    out.push_str("</g>\n");
}

/// The course of a line between two boxes, around every other box.
fn course(l: &Layout, (ka, a): (&str, &Rect), (kb, b): (&str, &Rect)) -> Vec<Point> {
    let (from, to) = anchors(a, b);
    let obstacles: Vec<Rect> = l
        .boxes
        .iter()
        .filter(|(k, _)| k.as_str() != ka && k.as_str() != kb)
        .map(|(_, r)| *r)
        .collect();
    route(from, to, stacked(a, b), &obstacles)
}

/// Points as the `points` attribute of a polyline.
fn points(course: &[Point]) -> String {
    let all: Vec<String> = course.iter().map(|(x, y)| format!("{x},{y}")).collect();
    all.join(" ")
}
