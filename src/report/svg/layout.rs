//! The laid-out picture: the bands and the connector rows stacked from the top.

use super::bands::{self, Band};
use super::connectors::{self, Row};
use super::geometry::{EMPTY_ROW, MARGIN, ROW_GAP, ROW_LABEL, Rect, Sizes, WIDTH};
use super::texts::{self, BoxText};
use crate::lang::Lang;
use crate::model::{Tier, Topology};
use crate::report::diagram::{Diagram, Shape};
use std::collections::BTreeMap;

/// The laid-out picture: every box, ready to draw.
pub(super) struct Layout {
    /// Bands present, with their outer rectangle.
    pub(super) bands: Vec<(Band, Rect)>,
    pub(super) zones: Vec<ZoneBox>,
    /// Every node's box by key.
    pub(super) boxes: BTreeMap<String, Rect>,
    /// Nodes in drawing order: segments first, then connectors.
    pub(super) order: Vec<(String, Shape)>,
    /// The row label of the top row, if it has anything.
    pub(super) top: Option<Rect>,
    pub(super) height: i64,
    /// What every node's box says.
    pub(super) texts: BTreeMap<String, BoxText>,
}

/// A zone's frame, with its label's lines.
pub(super) struct ZoneBox {
    pub(super) key: String,
    /// The zone's name and id, unwrapped (the tooltip).
    pub(super) label: String,
    pub(super) tier: Tier,
    pub(super) rect: Rect,
    pub(super) lines: Vec<String>,
}

/// Box heights from what the boxes say.
fn sizes(d: &Diagram, texts: &BTreeMap<String, BoxText>) -> Sizes {
    // Firewalls, gateways and externals.
    let node_h = d
        .nodes
        .iter()
        .filter_map(|n| texts.get(&n.key))
        .map(|t| texts::height(t.lines.len()))
        .fold(50, i64::max);
    let seg_h = d
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter())
        .filter(|n| n.shape == Shape::Segment)
        .filter_map(|n| Some((n.key.clone(), texts::height(texts.get(&n.key)?.lines.len()))))
        .collect();
    Sizes { seg_h, node_h }
}

pub(super) fn layout(topo: &Topology, d: &Diagram, lang: Lang) -> Layout {
    let texts = texts::all(topo, d, lang);
    let sizes = sizes(d, &texts);
    let (node_h, row_h) = (sizes.node_h, sizes.row_h());
    let grid = bands::grid(topo, d, &sizes);
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
                        y: *y + ROW_GAP / 2,
                        w: c.w,
                        h: node_h,
                    },
                );
            }
            *y += row_h;
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
        for (c, r, lines) in grid
            .zones
            .iter()
            .filter(|(c, _, _)| band_index(bands::band_of(topo, &d.clusters[*c].key)) == Some(bi))
        {
            let key = &d.clusters[*c].key;
            let (label, tier) = bands::zone_label(topo, key);
            zones.push(ZoneBox {
                key: key.clone(),
                label,
                tier,
                rect: Rect { y: r.y + y, ..*r },
                lines: lines.clone(),
            });
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
        texts,
    }
}
