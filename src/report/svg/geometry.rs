//! The picture's measures, in pixels of the SVG's own coordinate system, and the rectangles
//! and anchor points everything is placed with.

pub(super) const MARGIN: i64 = 20;
/// Width of the drawing between the margins.
pub(super) const WIDTH: i64 = 1180;
pub(super) const SEG_W: i64 = 180;
pub(super) const SEG_H: i64 = 64;
pub(super) const CELL_W: i64 = SEG_W + 12;
pub(super) const CELL_H: i64 = SEG_H + 12;
pub(super) const ZONE_PAD: i64 = 8;
pub(super) const ZONE_HEAD: i64 = 22;
pub(super) const ZONE_GAP: i64 = 10;
pub(super) const BAND_PAD: i64 = 10;
pub(super) const BAND_HEAD: i64 = 24;
pub(super) const NODE_H: i64 = 50;
pub(super) const ROW_H: i64 = NODE_H + 22;
pub(super) const NODE_GAP: i64 = 14;
pub(super) const EMPTY_ROW: i64 = 18;
pub(super) const ROW_LABEL: i64 = 16;
/// Pixels per terminal column (a wide character takes two) at the legend's 11px font.
pub(super) const PX_PER_COL: i64 = 6;

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
