//! The picture's measures, in pixels of the SVG's own coordinate system, and the rectangles
//! and anchor points everything is placed with.

use crate::report::diagram::Shape;
use std::collections::BTreeMap;

pub(super) const MARGIN: i64 = 20;
/// Width of the drawing between the margins.
pub(super) const WIDTH: i64 = 760;
pub(super) const SEG_W: i64 = 180;
pub(super) const CELL_W: i64 = SEG_W + CELL_GAP;
pub(super) const ZONE_PAD: i64 = 8;
pub(super) const ZONE_HEAD: i64 = 22;
pub(super) const ZONE_GAP: i64 = 10;
pub(super) const BAND_PAD: i64 = 10;
pub(super) const BAND_HEAD: i64 = 24;
pub(super) const NODE_GAP: i64 = 14;
pub(super) const EMPTY_ROW: i64 = 18;
pub(super) const ROW_LABEL: i64 = 16;
/// Height of a line of text.
pub(super) const LINE: i64 = 14;
/// Room between a row of connectors and the next one.
pub(super) const ROW_GAP: i64 = 22;
/// Room between segment boxes in a zone.
pub(super) const CELL_GAP: i64 = 12;

/// The width of a node's box by its shape.
pub(super) fn node_width(shape: Shape) -> i64 {
    match shape {
        Shape::Segment | Shape::Host => SEG_W,
        Shape::Firewall => 176,
        Shape::Gateway => 184,
        Shape::External => 196,
    }
}

/// The heights of the boxes, from what they say: each segment as tall as the tallest one in
/// its row of the grid; every firewall, gateway and external network as tall as the tallest
/// of them.
#[derive(Clone, Debug)]
pub(super) struct Sizes {
    /// The height each segment needs, by key.
    pub(super) seg_h: BTreeMap<String, i64>,
    pub(super) node_h: i64,
}

impl Sizes {
    pub(super) fn row_h(&self) -> i64 {
        self.node_h + ROW_GAP
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Rect {
    pub(super) x: i64,
    pub(super) y: i64,
    pub(super) w: i64,
    pub(super) h: i64,
}

impl Rect {
    pub(super) fn cx(&self) -> i64 {
        self.x + self.w / 2
    }
    pub(super) fn cy(&self) -> i64 {
        self.y + self.h / 2
    }
    pub(super) fn bottom(&self) -> i64 {
        self.y + self.h
    }
}

/// Where a line between two boxes starts and ends: bottom to top when one is above the
/// other, else side to side.
pub(super) fn anchors(a: &Rect, b: &Rect) -> ((i64, i64), (i64, i64)) {
    if a.bottom() <= b.y {
        ((a.cx(), a.bottom()), (b.cx(), b.y))
    } else if b.bottom() <= a.y {
        ((a.cx(), a.y), (b.cx(), b.bottom()))
    } else if a.cx() <= b.cx() {
        ((a.x + a.w, a.cy()), (b.x, b.cy()))
    } else {
        ((a.x, a.cy()), (b.x + b.w, b.cy()))
    }
}

/// Whether one box is above the other, so a line between them runs from a bottom border to a
/// top border (see [`anchors`]).
pub(super) fn stacked(a: &Rect, b: &Rect) -> bool {
    a.bottom() <= b.y || b.bottom() <= a.y
}
