//! The tier bands, top to bottom, and the zones and segments placed in a grid inside each.

use super::geometry::{
    BAND_HEAD, BAND_PAD, CELL_GAP, CELL_W, LINE, MARGIN, Rect, SEG_W, Sizes, WIDTH, ZONE_GAP,
    ZONE_HEAD, ZONE_PAD,
};
use super::labels::{display, kind_id, measure, room_for, wrap};
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
    /// Zone boxes by cluster index, with the lines of their label.
    pub(super) zones: Vec<(usize, Rect, Vec<String>)>,
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

/// The least height of a segment box.
const MIN_SEG_H: i64 = 54;

fn segments_of(d: &Diagram, cluster: usize) -> impl Iterator<Item = &crate::report::diagram::Node> {
    d.clusters[cluster]
        .nodes
        .iter()
        .filter(|n| n.shape == Shape::Segment)
}

/// A zone's label: its name and id, and its tier.
pub(super) fn zone_label(topo: &Topology, cluster_key: &str) -> (String, Tier) {
    let (_, id) = kind_id(cluster_key);
    let zone = topo.zone(id);
    (
        display(id, zone.and_then(|z| z.name.as_deref())),
        zone.map_or(Tier::Other, |z| z.tier),
    )
}

pub(super) fn grid(topo: &Topology, d: &Diagram, sizes: &Sizes) -> Grid {
    // Zones by band, in input order.
    let mut by_band: BTreeMap<Band, Vec<usize>> = BTreeMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        by_band.entry(band_of(topo, &c.key)).or_default().push(i);
    }
    let bands: Vec<Band> = by_band.keys().copied().collect();

    let mut zone_boxes: Vec<(usize, Rect, Vec<String>)> = Vec::new();
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
            let mut widths = Vec::new();
            let mut given = 0;
            for i in 0..line.len() {
                // Stretch the zones to fill the line, in proportion to their columns.
                let extra = if i + 1 == line.len() {
                    spare - given
                } else {
                    spare * cols[i] / total_cols
                };
                given += extra;
                widths.push(natural[i] + extra);
            }
            // Labels wrap in full; the line's zones share the tallest head.
            let labels: Vec<Vec<String>> = line
                .iter()
                .zip(&widths)
                .map(|(&c, w)| {
                    let (label, tier) = zone_label(topo, &d.clusters[c].key);
                    wrap(
                        &format!("{label} [{tier}]"),
                        room_for(w - 2 * ZONE_PAD, 11),
                        usize::MAX,
                    )
                })
                .collect();
            let head =
                ZONE_HEAD + LINE * (labels.iter().map(Vec::len).max().unwrap_or(1) as i64 - 1);
            // Each row of segments as tall as its tallest box, across the line's zones.
            let mut row_h = vec![MIN_SEG_H; rows as usize];
            for (i, &c) in line.iter().enumerate() {
                for (j, n) in segments_of(d, c).enumerate() {
                    let r = j / cols[i] as usize;
                    let need = sizes.seg_h.get(&n.key).copied().unwrap_or(MIN_SEG_H);
                    row_h[r] = row_h[r].max(need);
                }
            }
            let mut row_y = vec![0; rows as usize];
            for r in 1..rows as usize {
                row_y[r] = row_y[r - 1] + row_h[r - 1] + CELL_GAP;
            }
            let h = head + row_h.iter().sum::<i64>() + (rows - 1) * CELL_GAP + 2 * ZONE_PAD;
            let mut x = MARGIN + BAND_PAD;
            for ((i, &c), lines) in line.iter().enumerate().zip(labels) {
                let w = widths[i];
                zone_boxes.push((c, Rect { x, y, w, h }, lines));
                for (j, n) in segments_of(d, c).enumerate() {
                    let (row, col) = (j / cols[i] as usize, j as i64 % cols[i]);
                    seg_boxes.push((
                        n.key.clone(),
                        bi,
                        Rect {
                            x: x + ZONE_PAD + col * CELL_W,
                            y: y + head + ZONE_PAD + row_y[row],
                            w: SEG_W,
                            h: row_h[row],
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
    for z in &l.zones {
        let r = z.rect;
        let _ = write!(
            out,
            "<g class=\"zone\" data-key=\"{}\" data-tier=\"{}\"><title>{}</title><rect class=\"sv-zone\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
            esc(&z.key),
            z.tier,
            esc(&z.label),
            r.x,
            r.y,
            r.w,
            r.h,
        );
        for (i, line) in z.lines.iter().enumerate() {
            let _ = write!(
                out,
                "<text class=\"sv-zone-label\" x=\"{}\" y=\"{}\">{}</text>",
                r.x + ZONE_PAD,
                r.y + 15 + LINE * i as i64,
                esc(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// Where the band, zone and row labels are, so tags keep off them.
pub(super) fn label_rects(l: &Layout, lang: Lang) -> Vec<Rect> {
    let mut out = Vec::new();
    if let Some(r) = l.top {
        let text = lang.pick("インターネット側 (外部)", "Internet side (external)");
        out.push(Rect {
            x: r.x + 4,
            y: r.y + 2,
            w: measure(text) as i64 * 12 / 10,
            h: 16,
        });
    }
    for (b, r) in &l.bands {
        out.push(Rect {
            x: r.x + BAND_PAD,
            y: r.y + 3,
            w: measure(b.label(lang)) as i64 * 13 / 10,
            h: 18,
        });
    }
    for z in &l.zones {
        for (i, line) in z.lines.iter().enumerate() {
            out.push(Rect {
                x: z.rect.x + ZONE_PAD,
                y: z.rect.y + 3 + LINE * i as i64,
                w: measure(line) as i64 * 11 / 10,
                h: LINE,
            });
        }
    }
    out
}
