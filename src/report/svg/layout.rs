//! The laid-out picture: the bands and the connector rows stacked from the top.

use super::bands::{self, Band};
use super::connectors::{self, Row};
use super::geometry::{EMPTY_ROW, MARGIN, NODE_H, ROW_H, ROW_LABEL, Rect, WIDTH};
use super::labels::{display, kind_id};
use crate::model::{Tier, Topology};
use crate::report::diagram::{Diagram, Shape};
use std::collections::BTreeMap;

/// The laid-out picture: every box, ready to draw.
pub(super) struct Layout {
    /// Bands present, with their outer rectangle.
    pub(super) bands: Vec<(Band, Rect)>,
    /// Zone boxes: key, label, tier, rectangle.
    pub(super) zones: Vec<(String, String, Tier, Rect)>,
    /// Every node's box by key.
    pub(super) boxes: BTreeMap<String, Rect>,
    /// Nodes in drawing order: segments first, then connectors.
    pub(super) order: Vec<(String, Shape)>,
    /// The row label of the top row, if it has anything.
    pub(super) top: Option<Rect>,
    pub(super) height: i64,
}

pub(super) fn layout(topo: &Topology, d: &Diagram) -> Layout {
    let grid = bands::grid(topo, d);
    let connectors = connectors::place(topo, d, &grid);
    let (rows, xs) = connectors::rows(&connectors);
    let bands = &grid.bands;
    let band_index = |b: Band| bands.iter().position(|x| *x == b);
    let n = bands.len();

    // Stack the rows and bands from the top.
    let mut boxes: BTreeMap<String, Rect> = BTreeMap::new();
    let mut y = MARGIN;
    let mut top = None;
    let place_row = |row: Row, y: &mut i64, boxes: &mut BTreeMap<String, Rect>| {
        let Some(subrows) = rows.get(&row) else {
            *y += EMPTY_ROW;
            return None;
        };
        let start = *y;
        for sub in subrows {
            for &i in sub {
                let c = &connectors[i];
                boxes.insert(
                    c.key.clone(),
                    Rect {
                        x: xs[i],
                        y: *y + (ROW_H - NODE_H) / 2,
                        w: c.w,
                        h: NODE_H,
                    },
                );
            }
            *y += ROW_H;
        }
        Some(Rect {
            x: MARGIN,
            y: start,
            w: WIDTH,
            h: *y - start,
        })
    };
    if rows.contains_key(&Row::Top) {
        // The row's label gets a line of its own above the externals.
        let label_y = y;
        y += ROW_LABEL;
        top = place_row(Row::Top, &mut y, &mut boxes).map(|r| Rect {
            y: label_y,
            h: r.h + ROW_LABEL,
            ..r
        });
    }
    let mut band_rects = Vec::new();
    let mut zones = Vec::new();
    for (bi, b) in bands.iter().enumerate() {
        place_row(Row::Slot(bi), &mut y, &mut boxes);
        let rect = Rect {
            x: MARGIN,
            y,
            w: WIDTH,
            h: grid.heights[bi],
        };
        band_rects.push((*b, rect));
        for (c, r) in grid.zones.iter().filter(|(c, _)| {
            let (_, id) = kind_id(&d.clusters[*c].key);
            band_index(Band::of(topo.zone(id).map_or(Tier::Other, |z| z.tier))) == Some(bi)
        }) {
            let cluster = &d.clusters[*c];
            let (_, id) = kind_id(&cluster.key);
            let zone = topo.zone(id);
            let label = display(id, zone.and_then(|z| z.name.as_deref()));
            let tier = zone.map_or(Tier::Other, |z| z.tier);
            zones.push((cluster.key.clone(), label, tier, Rect { y: r.y + y, ..*r }));
        }
        for (key, _, r) in grid.segments.iter().filter(|(_, b, _)| *b == bi) {
            boxes.insert(key.clone(), Rect { y: r.y + y, ..*r });
        }
        y += grid.heights[bi];
    }
    place_row(Row::Slot(n), &mut y, &mut boxes);

    let mut order: Vec<(String, Shape)> = grid
        .segments
        .iter()
        .map(|(k, _, _)| (k.clone(), Shape::Segment))
        .collect();
    order.extend(connectors.iter().map(|c| (c.key.clone(), c.shape)));
    Layout {
        bands: band_rects,
        zones,
        boxes,
        order,
        top,
        height: y,
    }
}
