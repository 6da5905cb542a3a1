//! The tier bands, top to bottom, and the zones and segments placed in a grid inside each.

use super::geometry::{
    BAND_HEAD, BAND_PAD, CELL_H, CELL_W, MARGIN, Rect, SEG_H, SEG_W, WIDTH, ZONE_GAP, ZONE_HEAD,
    ZONE_PAD,
};
use super::labels::{cols_for, kind_id, wrap};
use super::layout::Layout;
use crate::lang::Lang;
use crate::model::{Tier, Topology};
use crate::report::diagram::{Diagram, Shape};
use crate::report::html::escape::text as esc;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A horizontal band of zones, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Band {
    Internet,
    Lgwan,
    MyNumber,
    Other,
}

impl Band {
    pub(super) fn of(tier: Tier) -> Band {
        match tier {
            Tier::Internet | Tier::Dmz => Band::Internet,
            Tier::Lgwan => Band::Lgwan,
            Tier::MyNumber => Band::MyNumber,
            Tier::Management | Tier::Other => Band::Other,
        }
    }

    pub(super) fn id(self) -> &'static str {
        match self {
            Band::Internet => "internet",
            Band::Lgwan => "lgwan",
            Band::MyNumber => "mynumber",
            Band::Other => "other",
        }
    }

    pub(super) fn label(self, lang: Lang) -> &'static str {
        match self {
            Band::Internet => lang.pick("インターネット接続系", "Internet-connected tier"),
            Band::Lgwan => lang.pick("LGWAN接続系", "LGWAN-connected tier"),
            Band::MyNumber => lang.pick("マイナンバー利用事務系", "My Number tier"),
            Band::Other => lang.pick("その他 (運用管理など)", "Other (management, ...)"),
        }
    }
}

/// Zones and segments placed inside their bands, each relative to its band's top: bands are
/// stacked later, once the connector rows between them are known.
pub(super) struct Grid {
    /// Bands present, top to bottom.
    pub(super) bands: Vec<Band>,
    /// Zone boxes by cluster index.
    pub(super) zones: Vec<(usize, Rect)>,
    /// Segment boxes: key, band index, rectangle.
    pub(super) segments: Vec<(String, usize, Rect)>,
    /// Each band's height.
    pub(super) heights: Vec<i64>,
}

/// The band of a diagram cluster (a zone).
pub(super) fn band_of(topo: &Topology, cluster_key: &str) -> Band {
    let (_, id) = kind_id(cluster_key);
    Band::of(topo.zone(id).map_or(Tier::Other, |z| z.tier))
}

pub(super) fn grid(topo: &Topology, d: &Diagram) -> Grid {
    // Zones by band, in input order.
    let mut by_band: BTreeMap<Band, Vec<usize>> = BTreeMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        by_band.entry(band_of(topo, &c.key)).or_default().push(i);
    }
    let bands: Vec<Band> = by_band.keys().copied().collect();

    let mut zone_boxes: Vec<(usize, Rect)> = Vec::new();
    let mut seg_boxes: Vec<(String, usize, Rect)> = Vec::new();
    let mut band_heights = Vec::new();
    for (bi, b) in bands.iter().enumerate() {
        let members = &by_band[b];
        let inner = WIDTH - 2 * BAND_PAD;
        let mut y = BAND_HEAD;
        let mut rest: &[usize] = members;
        while !rest.is_empty() {
            // As many zones on this line as get one column each.
            let capacity = |k: i64| (inner - k * (2 * ZONE_PAD - 12) - (k - 1) * ZONE_GAP) / CELL_W;
            let mut k = 1;
            while (k as usize) < rest.len() && capacity(k + 1) > k {
                k += 1;
            }
            let line = &rest[..k as usize];
            rest = &rest[k as usize..];
            let counts: Vec<i64> = line
                .iter()
                .map(|&c| {
                    d.clusters[c]
                        .nodes
                        .iter()
                        .filter(|n| n.shape == Shape::Segment)
                        .count() as i64
                })
                .collect();
            let mut cols: Vec<i64> = vec![1; line.len()];
            let cap = capacity(k).max(k);
            let rows_of = |n: i64, c: i64| ((n + c - 1) / c).max(1);
            while cols.iter().sum::<i64>() < cap {
                // Give a column to the zone with the most rows (the first one on ties).
                let mut best: Option<usize> = None;
                for i in 0..line.len() {
                    if cols[i] >= counts[i] {
                        continue;
                    }
                    if best
                        .is_none_or(|b| rows_of(counts[i], cols[i]) > rows_of(counts[b], cols[b]))
                    {
                        best = Some(i);
                    }
                }
                match best {
                    Some(i) => cols[i] += 1,
                    None => break,
                }
            }
            let natural: Vec<i64> = cols
                .iter()
                .map(|c| c * CELL_W - 12 + 2 * ZONE_PAD)
                .collect();
            let used = natural.iter().sum::<i64>() + (k - 1) * ZONE_GAP;
            let spare = (inner - used).max(0);
            let total_cols: i64 = cols.iter().sum();
            let rows = (0..line.len())
                .map(|i| rows_of(counts[i], cols[i]))
                .max()
                .unwrap_or(1);
            let h = ZONE_HEAD + rows * CELL_H - 12 + 2 * ZONE_PAD;
            let mut x = MARGIN + BAND_PAD;
            let mut given = 0;
            for (i, &c) in line.iter().enumerate() {
                // Stretch the zones to fill the line, in proportion to their columns.
                let extra = if i + 1 == line.len() {
                    spare - given
                } else {
                    spare * cols[i] / total_cols
                };
                given += extra;
                let w = natural[i] + extra;
                zone_boxes.push((c, Rect { x, y, w, h }));
                let segs = d.clusters[c]
                    .nodes
                    .iter()
                    .filter(|n| n.shape == Shape::Segment);
                for (j, n) in segs.enumerate() {
                    let (row, col) = (j as i64 / cols[i], j as i64 % cols[i]);
                    seg_boxes.push((
                        n.key.clone(),
                        bi,
                        Rect {
                            x: x + ZONE_PAD + col * CELL_W,
                            y: y + ZONE_HEAD + ZONE_PAD + row * CELL_H,
                            w: SEG_W,
                            h: SEG_H,
                        },
                    ));
                }
                x += w + ZONE_GAP;
            }
            y += h + ZONE_GAP;
        }
        band_heights.push(y - ZONE_GAP + BAND_PAD);
    }
    Grid {
        bands,
        zones: zone_boxes,
        segments: seg_boxes,
        heights: band_heights,
    }
}

/// Draws the bands with their tier names, the row label above the internet-side externals, and
/// the zone frames.
pub(super) fn draw(out: &mut String, l: &Layout, lang: Lang) {
    out.push_str("<g class=\"sv-bands\">\n");
    if let Some(r) = l.top {
        let _ = writeln!(
            out,
            "<text class=\"sv-row-label\" x=\"{}\" y=\"{}\">{}</text>",
            r.x + 4,
            r.y + 14,
            lang.pick("インターネット側 (外部)", "Internet side (external)")
        );
    }
    for (b, r) in &l.bands {
        let _ = writeln!(
            out,
            "<g class=\"band\" data-band=\"{}\" data-y=\"{}\"><rect class=\"sv-band sv-band-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/><text class=\"sv-band-label\" x=\"{}\" y=\"{}\">{}</text></g>",
            b.id(),
            r.y,
            b.id(),
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + BAND_PAD,
            r.y + 17,
            b.label(lang)
        );
    }
    for (key, label, tier, r) in &l.zones {
        let line = wrap(label, cols_for(r.w - 2 * ZONE_PAD - 80, 11), 1).join("");
        let _ = writeln!(
            out,
            "<g class=\"zone\" data-key=\"{}\" data-tier=\"{}\"><title>{}</title><rect class=\"sv-zone\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/><text class=\"sv-zone-label\" x=\"{}\" y=\"{}\">{} [{}]</text></g>",
            esc(key),
            tier,
            esc(label),
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + ZONE_PAD,
            r.y + 15,
            esc(&line),
            tier
        );
    }
    out.push_str("</g>\n");
}
