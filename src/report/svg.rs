//! The topology diagram as SVG, laid out by sansou itself (`sansou graph --format svg`, and the
//! picture in the HTML report).
//!
//! The layout follows how municipal network diagrams are drawn: horizontal bands from top to
//! bottom for the internet side, the LGWAN tier, the My Number tier and the rest (management,
//! other), each holding its zones and their segments in a grid, so tens of segments stay
//! readable. Firewalls, gateways and external networks sit in the rows between the bands they
//! join; the prefecture's security cloud and the internet go on top. Hosts are not drawn one by
//! one (there can be hundreds): each segment box counts them, and a host with interfaces in
//! several segments is a dashed line between them, because such a host is a bridge.
//!
//! Everything is computed in integers and in input order, so the same topology gives the same
//! bytes. Every name from the input is escaped.

use super::diagram::{Diagram, Shape};
use super::html::escape::text as esc;
use super::text::display_width;
use crate::lang::Lang;
use crate::model::{Tier, Topology};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// What to draw in red: diagram edges on the path of a violation, by the keys of their two
/// ends (`firewall:fw-mn`, `segment:mn-office`), in either order.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    edges: BTreeSet<(String, String)>,
    /// Whether the violations were computed at all (a policy or profile was checked): without
    /// it the legend says that violating paths are not drawn, rather than implying there are none.
    checked: bool,
}

impl Marks {
    /// Marks of a run that checked the rules: what is not marked is not on a violating path.
    pub fn checked() -> Marks {
        Marks {
            checked: true,
            ..Marks::default()
        }
    }

    pub fn mark(&mut self, a: &str, b: &str) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges.insert((a.to_string(), b.to_string()));
    }

    pub fn has(&self, a: &str, b: &str) -> bool {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges.contains(&(a.to_string(), b.to_string()))
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Whether a node lies on a marked edge.
    fn touches(&self, key: &str) -> bool {
        self.edges.iter().any(|(a, b)| a == key || b == key)
    }
}

/// Whether the SVG stands alone (a file of its own needs the SVG namespace) or sits inside an
/// HTML page (where the parser supplies it, and the report promises no URL at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embedding {
    Standalone,
    Inline,
}

// Geometry, in pixels of the SVG's own coordinate system.
const MARGIN: i64 = 20;
/// Width of the drawing between the margins.
const WIDTH: i64 = 1180;
const SEG_W: i64 = 180;
const SEG_H: i64 = 64;
const CELL_W: i64 = SEG_W + 12;
const CELL_H: i64 = SEG_H + 12;
const ZONE_PAD: i64 = 8;
const ZONE_HEAD: i64 = 22;
const ZONE_GAP: i64 = 10;
const BAND_PAD: i64 = 10;
const BAND_HEAD: i64 = 24;
const NODE_H: i64 = 50;
const ROW_H: i64 = NODE_H + 22;
const NODE_GAP: i64 = 14;
const EMPTY_ROW: i64 = 18;
const ROW_LABEL: i64 = 16;
/// Pixels per terminal column (a wide character takes two) at the legend's 11px font.
const PX_PER_COL: i64 = 6;

/// A horizontal band of zones, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Band {
    Internet,
    Lgwan,
    MyNumber,
    Other,
}

impl Band {
    fn of(tier: Tier) -> Band {
        match tier {
            Tier::Internet | Tier::Dmz => Band::Internet,
            Tier::Lgwan => Band::Lgwan,
            Tier::MyNumber => Band::MyNumber,
            Tier::Management | Tier::Other => Band::Other,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Band::Internet => "internet",
            Band::Lgwan => "lgwan",
            Band::MyNumber => "mynumber",
            Band::Other => "other",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Band::Internet => lang.pick("インターネット接続系", "Internet-connected tier"),
            Band::Lgwan => lang.pick("LGWAN接続系", "LGWAN-connected tier"),
            Band::MyNumber => lang.pick("マイナンバー利用事務系", "My Number tier"),
            Band::Other => lang.pick("その他 (運用管理など)", "Other (management, ...)"),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Rect {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

impl Rect {
    fn cx(&self) -> i64 {
        self.x + self.w / 2
    }
    fn cy(&self) -> i64 {
        self.y + self.h / 2
    }
    fn bottom(&self) -> i64 {
        self.y + self.h
    }
}

/// Where a node between the bands goes: the row on top (internet-side externals), or the
/// connector row above band `n` (`n` = number of bands: below the last one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    Top,
    Slot(usize),
}

/// A node between the bands, waiting for its place.
struct Connector {
    key: String,
    shape: Shape,
    row: Row,
    /// Wanted centre x, from what it attaches to.
    want: i64,
    w: i64,
}

fn kind_id(key: &str) -> (&str, &str) {
    key.split_once(':').unwrap_or(("", key))
}

/// A name for a box: the input's name, else its id; line breaks in names become spaces.
fn display(id: &str, name: Option<&str>) -> String {
    let s = match name {
        Some(n) if !n.trim().is_empty() && n != id => format!("{n} ({id})"),
        _ => id.to_string(),
    };
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Splits text into at most `lines` lines of at most `cols` terminal columns; the last line
/// ends with `…` when text was cut.
fn wrap(s: &str, cols: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut width = 0;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if width + cw > cols {
            // Prefer to break after a space or before an opening parenthesis when one is in
            // the second half of the line, so `name (id)` splits between name and id.
            if out.len() + 1 < lines
                && let Some(k) = cur.rfind([' ', '('])
                && display_width(&cur[..k]) * 2 >= cols
            {
                let rest = cur.split_off(k);
                out.push(cur.trim_end().to_string());
                cur = rest.trim_start().to_string();
                width = display_width(&cur);
                continue;
            }
            if out.len() + 1 == lines {
                // Last line: make room for the ellipsis.
                while display_width(&cur) + 1 > cols {
                    cur.pop();
                }
                cur.push('…');
                out.push(cur);
                return out;
            }
            out.push(std::mem::take(&mut cur));
            width = 0;
            continue;
        }
        cur.push(c);
        width += cw;
        i += 1;
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// Terminal columns that fit in `px` pixels at a font size: a wide character is about one
/// em, so a column is half an em.
fn cols_for(px: i64, font_px: i64) -> usize {
    (px * 2 / font_px).max(4) as usize
}

/// The laid-out picture: every box, ready to draw.
struct Layout {
    /// Bands present, with their outer rectangle.
    bands: Vec<(Band, Rect)>,
    /// Zone boxes: key, label, tier, rectangle.
    zones: Vec<(String, String, Tier, Rect)>,
    /// Every node's box by key.
    boxes: BTreeMap<String, Rect>,
    /// Nodes in drawing order: segments first, then connectors.
    order: Vec<(String, Shape)>,
    /// The row label of the top row, if it has anything.
    top: Option<Rect>,
    height: i64,
}

fn layout(topo: &Topology, d: &Diagram) -> Layout {
    // Zones by band, in input order.
    let mut by_band: BTreeMap<Band, Vec<usize>> = BTreeMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        let (_, id) = kind_id(&c.key);
        let tier = topo.zone(id).map_or(Tier::Other, |z| z.tier);
        by_band.entry(Band::of(tier)).or_default().push(i);
    }
    let bands: Vec<Band> = by_band.keys().copied().collect();
    let band_index = |b: Band| bands.iter().position(|x| *x == b);

    // Boxes inside bands are placed relative to the band's top; bands are stacked later, once
    // the connector rows between them are known.
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

    // What every firewall and gateway attaches to.
    let seg_band: BTreeMap<&str, usize> =
        seg_boxes.iter().map(|(k, b, _)| (k.as_str(), *b)).collect();
    let seg_cx: BTreeMap<&str, i64> = seg_boxes
        .iter()
        .map(|(k, _, r)| (k.as_str(), r.cx()))
        .collect();
    let mut attached: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &d.edges {
        if !e.from.starts_with("host:") {
            attached
                .entry(e.from.as_str())
                .or_default()
                .push(e.to.as_str());
        }
    }
    let internet_side = |key: &str| {
        let (kind, id) = kind_id(key);
        kind == "external" && topo.external(id).is_some_and(|x| x.kind.is_internet())
    };
    let n = bands.len();
    let mut connectors: Vec<Connector> = Vec::new();
    for node in &d.nodes {
        let w = match node.shape {
            Shape::Firewall => 176,
            Shape::Gateway => 184,
            _ => 196,
        };
        let ends = attached.get(node.key.as_str()).cloned().unwrap_or_default();
        let mut touched: Vec<usize> = ends
            .iter()
            .filter_map(|k| seg_band.get(k).copied())
            .collect();
        touched.sort();
        touched.dedup();
        let xs: Vec<i64> = ends.iter().filter_map(|k| seg_cx.get(k).copied()).collect();
        let want = if xs.is_empty() {
            MARGIN + WIDTH / 2
        } else {
            xs.iter().sum::<i64>() / xs.len() as i64
        };
        let row = if node.shape == Shape::External {
            if internet_side(&node.key) {
                Row::Top
            } else {
                // Beside the first firewall that attaches to it; decided below.
                Row::Slot(n)
            }
        } else {
            let to_internet = ends.iter().any(|k| internet_side(k));
            match (touched.first(), touched.len()) {
                (Some(&b), 1) if to_internet => Row::Slot(b),
                (Some(&b), 1) => Row::Slot(b + 1),
                (Some(&b), _) => Row::Slot(b + 1),
                (None, _) if to_internet => Row::Slot(0),
                (None, _) => Row::Slot(n),
            }
        };
        connectors.push(Connector {
            key: node.key.clone(),
            shape: node.shape,
            row,
            want,
            w,
        });
    }
    // An external network sits in the row of the first firewall attached to it, and wants to
    // be above or beside the firewalls it serves.
    for i in 0..connectors.len() {
        if connectors[i].shape != Shape::External {
            continue;
        }
        let key = connectors[i].key.clone();
        let users: Vec<(Row, i64)> = connectors
            .iter()
            .filter(|c| {
                c.shape != Shape::External
                    && attached
                        .get(c.key.as_str())
                        .is_some_and(|ends| ends.contains(&key.as_str()))
            })
            .map(|c| (c.row, c.want))
            .collect();
        if let Some(&(row, _)) = users.first()
            && connectors[i].row != Row::Top
        {
            connectors[i].row = row;
        }
        if !users.is_empty() {
            connectors[i].want = users.iter().map(|u| u.1).sum::<i64>() / users.len() as i64;
        }
    }

    // Rows: resolve overlaps, wrapping into sub-rows when a row is full.
    let mut rows: BTreeMap<Row, Vec<Vec<usize>>> = BTreeMap::new();
    let mut xs: Vec<i64> = vec![0; connectors.len()];
    let mut row_keys: Vec<Row> = connectors.iter().map(|c| c.row).collect();
    row_keys.sort();
    row_keys.dedup();
    for row in row_keys {
        let mut items: Vec<usize> = (0..connectors.len())
            .filter(|&i| connectors[i].row == row)
            .collect();
        // Devices before externals on ties, so an external lands beside its firewall.
        items.sort_by_key(|&i| {
            (
                connectors[i].want,
                connectors[i].shape == Shape::External,
                i,
            )
        });
        let mut subrows: Vec<Vec<usize>> = vec![Vec::new()];
        let mut used = 0;
        for i in items {
            let w = connectors[i].w;
            let last = subrows.last_mut().expect("one sub-row at least");
            if !last.is_empty() && used + NODE_GAP + w > WIDTH {
                subrows.push(vec![i]);
                used = w;
            } else {
                used += if last.is_empty() { w } else { NODE_GAP + w };
                last.push(i);
            }
        }
        for sub in &subrows {
            let mut prev_right = MARGIN - NODE_GAP;
            for &i in sub {
                let c = &connectors[i];
                xs[i] = (c.want - c.w / 2).max(prev_right + NODE_GAP);
                prev_right = xs[i] + c.w;
            }
            let mut next_left = MARGIN + WIDTH + NODE_GAP;
            for &i in sub.iter().rev() {
                let c = &connectors[i];
                xs[i] = xs[i].min(next_left - NODE_GAP - c.w).max(MARGIN);
                next_left = xs[i];
            }
        }
        rows.insert(row, subrows);
    }

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
            h: band_heights[bi],
        };
        band_rects.push((*b, rect));
        for (c, r) in zone_boxes.iter().filter(|(c, _)| {
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
        for (key, _, r) in seg_boxes.iter().filter(|(_, b, _)| *b == bi) {
            boxes.insert(key.clone(), Rect { y: r.y + y, ..*r });
        }
        y += band_heights[bi];
    }
    place_row(Row::Slot(n), &mut y, &mut boxes);

    let mut order: Vec<(String, Shape)> = seg_boxes
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

const STYLE: &str = "
.sv-band{fill:#f7f9fc;stroke:#9aa7b8;stroke-width:1}
.sv-band-internet{fill:#fff7ec}
.sv-band-lgwan{fill:#f1f7ff}
.sv-band-mynumber{fill:#f3fbf3}
.sv-band-label{font-size:13px;font-weight:bold;fill:#34495e}
.sv-row-label{font-size:12px;fill:#5d6d7e}
.sv-zone{fill:#ffffff;stroke:#7f8c9d;stroke-width:1;stroke-dasharray:4 3}
.sv-zone-label{font-size:11px;fill:#34495e}
.sv-seg{fill:#eef3fb;stroke:#4a6fa5;stroke-width:1}
.sv-fw{fill:#fde2c8;stroke:#b9770e;stroke-width:1}
.sv-gw{fill:#d8f0d8;stroke:#2e7d32;stroke-width:1}
.sv-ext{fill:#eeeeee;stroke:#616161;stroke-width:1}
.sv-on-path{stroke:#d32f2f;stroke-width:2.5}
.sv-name{font-size:11px;font-weight:bold;fill:#1b2631}
.sv-detail{font-size:10px;fill:#4d5656}
.sv-edge{stroke:#7f8c8d;stroke-width:1.2}
.sv-violation{stroke:#d32f2f;stroke-width:3.5}
.sv-bridge{stroke:#8e44ad;stroke-width:1.5;stroke-dasharray:6 4}
.sv-legend{font-size:11px;fill:#1b2631}
";

/// The diagram as SVG; edges in `marks` are drawn in red, above the others, with a legend.
pub fn render(
    topo: &Topology,
    d: &Diagram,
    marks: &Marks,
    lang: Lang,
    embedding: Embedding,
) -> String {
    let l = layout(topo, d);
    let legend_y = l.height + 8;
    let height = legend_y + 40 + MARGIN;
    let width = WIDTH + 2 * MARGIN;
    let mut out = String::new();
    let xmlns = match embedding {
        Embedding::Standalone => " xmlns=\"http://www.w3.org/2000/svg\"",
        Embedding::Inline => "",
    };
    let _ = writeln!(
        out,
        "<svg{xmlns} id=\"diagram\" class=\"sansou-diagram\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"diagram-title\" font-family=\"'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"diagram-title\">{}</title>",
        esc(&format!(
            "{}: {}",
            d.title,
            lang.pick("ネットワーク構成図", "network diagram")
        ))
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );

    // Bands and zones.
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

    // Edges: plain ones first, red ones last so they stay visible where lines cross.
    let mut plain = String::new();
    let mut red = String::new();
    for e in d.edges.iter().filter(|e| !e.from.starts_with("host:")) {
        let (Some(a), Some(b)) = (l.boxes.get(&e.from), l.boxes.get(&e.to)) else {
            continue;
        };
        let ((x1, y1), (x2, y2)) = anchors(a, b);
        let violation = marks.has(&e.from, &e.to);
        let title = match &e.label {
            Some(i) => format!("{} {i} — {}", e.from, e.to),
            None => format!("{} — {}", e.from, e.to),
        };
        let target = if violation { &mut red } else { &mut plain };
        let _ = writeln!(
            target,
            "<line class=\"edge {}\" data-from=\"{}\" data-to=\"{}\"{} x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"><title>{}</title></line>",
            if violation { "sv-violation" } else { "sv-edge" },
            esc(&e.from),
            esc(&e.to),
            if violation {
                " data-violation=\"true\""
            } else {
                ""
            },
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
            let ((x1, y1), (x2, y2)) = anchors(a, b);
            let _ = writeln!(
                plain,
                "<line class=\"bridge sv-bridge\" data-host=\"{}\" data-from=\"{}\" data-to=\"{}\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"><title>{}</title></line>",
                esc(host),
                esc(pair[0]),
                esc(pair[1]),
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
        node(
            &mut out,
            key,
            (&name, &detail),
            *shape,
            r,
            marks.touches(key),
        );
    }
    out.push_str("</g>\n");
    legend(&mut out, legend_y, lang, marks.checked);
    out.push_str("</svg>\n");
    out
}

/// Where a line between two boxes starts and ends: bottom to top when one is above the
/// other, else side to side.
fn anchors(a: &Rect, b: &Rect) -> ((i64, i64), (i64, i64)) {
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

fn legend(out: &mut String, y: i64, lang: Lang, checked: bool) {
    let items: [(&str, &str); 7] = [
        ("seg", lang.pick("セグメント", "segment")),
        ("fw", lang.pick("ファイアウォール", "firewall")),
        (
            "gw",
            lang.pick(
                "ゲートウェイ (無害化・画面転送)",
                "gateway (sanitizer, screen transfer)",
            ),
        ),
        ("ext", lang.pick("外部ネットワーク", "external network")),
        ("edge", lang.pick("接続", "attachment")),
        if checked {
            (
                "violation",
                lang.pick(
                    "違反経路 (不適合レベルの指摘の経路)",
                    "violating path (deny finding)",
                ),
            )
        } else {
            (
                "no-violation",
                lang.pick(
                    "違反経路: 未描画 (--policy)",
                    "violations not drawn (--policy)",
                ),
            )
        },
        (
            "bridge",
            lang.pick("複数セグメントに接続するホスト", "host in several segments"),
        ),
    ];
    let _ = writeln!(out, "<g class=\"sv-legend legend\" id=\"diagram-legend\">");
    let mut x = MARGIN;
    let ty = y + 16;
    for (kind, label) in items {
        let sample = match kind {
            "seg" => format!(
                "<rect class=\"sv-seg\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"3\"/>",
                y + 5
            ),
            "fw" => format!(
                "<rect class=\"sv-fw\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\"/>",
                y + 5
            ),
            "gw" => format!(
                "<rect class=\"sv-gw\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"6\"/>",
                y + 5
            ),
            "ext" => format!(
                "<ellipse class=\"sv-ext\" cx=\"{}\" cy=\"{}\" rx=\"11\" ry=\"7\"/>",
                x + 11,
                y + 12
            ),
            "violation" => format!(
                "<line class=\"sv-violation\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
            "bridge" => format!(
                "<line class=\"sv-bridge\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
            "no-violation" => String::new(),
            _ => format!(
                "<line class=\"sv-edge\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
        };
        let _ = writeln!(
            out,
            "{sample}<text x=\"{}\" y=\"{ty}\">{label}</text>",
            x + 28
        );
        x += 28 + display_width(label) as i64 * PX_PER_COL + 22;
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_between_name_and_id_then_end_with_an_ellipsis() {
        assert_eq!(
            wrap("LGWAN系 業務端末 (lg-office)", 20, 2),
            vec!["LGWAN系 業務端末", "(lg-office)"]
        );
        let cut = wrap(
            "マイナンバー利用事務系 基幹系サーバ セグメント (mn-servers)",
            16,
            2,
        );
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert!(cut.iter().all(|l| display_width(l) <= 16), "{cut:?}");
        assert_eq!(wrap("", 10, 2), vec![String::new()]);
        assert_eq!(wrap("short", 10, 1), vec!["short"]);
    }

    #[test]
    fn marks_ignore_the_direction_of_an_edge() {
        let mut m = Marks::default();
        assert!(m.is_empty());
        m.mark("segment:b", "firewall:a");
        assert!(m.has("firewall:a", "segment:b"));
        assert!(m.has("segment:b", "firewall:a"));
        assert!(!m.has("firewall:a", "segment:c"));
        assert!(m.touches("firewall:a") && !m.touches("segment:c"));
    }

    #[test]
    fn names_become_one_line_of_text() {
        assert_eq!(display("mn", Some("番号\n系")), "番号 系 (mn)");
        assert_eq!(display("mn", Some("mn")), "mn");
        assert_eq!(display("mn", None), "mn");
    }
}
