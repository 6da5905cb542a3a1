//! The boxes: segments with their stores, address and host count; firewalls as hexagons;
//! gateways; external networks as rounded boxes; outlined in red when on a violating path.

use super::geometry::{LINE, Rect};
use super::layout::Layout;
use super::marks::Marks;
use super::texts::{BoxText, INSET, PAD};
use crate::report::diagram::Shape;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

pub(super) fn draw(out: &mut String, l: &Layout, marks: &Marks) {
    out.push_str("<g class=\"sv-nodes\">\n");
    for (key, shape) in &l.order {
        let (Some(r), Some(t)) = (l.boxes.get(key), l.texts.get(key)) else {
            continue;
        };
        node(out, key, t, *shape, r, marks.touches(key));
    }
    out.push_str("</g>\n");
}

fn node(out: &mut String, key: &str, t: &BoxText, shape: Shape, r: &Rect, on_path: bool) {
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
        esc(&t.title)
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
        _ => {
            let rx = match shape {
                Shape::Gateway => 10,
                Shape::External => 18,
                _ => 4,
            };
            let _ = write!(
                out,
                "<rect class=\"{class}{path}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\"/>"
            );
        }
    }
    // Segments read left-aligned, the others centred (the hexagon's corners take room at the
    // sides); the lines are centred vertically in the box.
    let (tx, anchor) = if shape == Shape::Segment {
        (x + PAD, "")
    } else {
        debug_assert!(INSET * 2 < w);
        (r.cx(), " text-anchor=\"middle\"")
    };
    let text_h = LINE * t.lines.len() as i64;
    let mut ty = y + (h - text_h) / 2 + 11;
    for (class, line) in &t.lines {
        let _ = write!(
            out,
            "<text class=\"{class}\" x=\"{tx}\" y=\"{ty}\"{anchor}>{}</text>",
            esc(line)
        );
        ty += LINE;
    }
    out.push_str("</g>\n");
}
