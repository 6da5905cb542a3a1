//! Output of `sansou matrix`: a zone-by-zone grid readable in a terminal (Japanese names
//! aligned by display width), the details of every cell, and JSON.
//!
//! JSON ([`MatrixJson`], the wire format): `cells` [{from_zone, to_zone, services [..],
//! channels [{kind, gateway, bypass}]}], plus `areas` [{id, name, kind}] naming every row and
//! column. External networks appear as areas `external:ID`.

use super::names;
use super::text::{display_width, pad};
use crate::analysis::matrix::{Area, Matrix};
use crate::lang::Lang;
use crate::model::Topology;
use serde::Serialize;
use std::fmt::Write;

/// What a grid cell shows: the services when short, else a count; `+ch` when channels exist.
fn cell_summary(m: &Matrix, from: Area, to: Area) -> String {
    let Some(cell) = m.cell(from, to) else {
        return "·".into();
    };
    let names = cell.services.names();
    let mut s = match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{n} svc"),
    };
    if s.chars().count() > 12 {
        s = format!("{} svc", names.len());
    }
    if !cell.channels.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        let bypass = cell.channels.iter().any(|c| c.bypass);
        s.push_str(if bypass { "+ch!" } else { "+ch" });
    }
    s
}

pub fn text(topo: &Topology, m: &Matrix, lang: Lang) -> String {
    let mut out = String::new();
    let ids: Vec<String> = m.areas.iter().map(|a| names::area_id(topo, *a)).collect();
    // Legend: each area's id and its (often Japanese) name.
    let _ = writeln!(out, "{}", lang.pick("エリア:", "areas:"));
    let id_width = ids.iter().map(|s| display_width(s)).max().unwrap_or(0);
    for (a, id) in m.areas.iter().zip(&ids) {
        let _ = writeln!(
            out,
            "  {}  {}",
            pad(id, id_width),
            names::area_label(topo, *a)
        );
    }
    out.push('\n');
    // The grid: rows are sources, columns destinations.
    let cells: Vec<Vec<String>> = m
        .areas
        .iter()
        .map(|from| {
            m.areas
                .iter()
                .map(|to| cell_summary(m, *from, *to))
                .collect()
        })
        .collect();
    let corner = lang.pick("送信元 \\ 宛先", "from \\ to");
    let first = ids
        .iter()
        .map(|s| display_width(s))
        .chain([display_width(corner)])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = (0..ids.len())
        .map(|j| {
            cells
                .iter()
                .map(|row| display_width(&row[j]))
                .chain([display_width(&ids[j])])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut line = pad(corner, first);
    for (id, w) in ids.iter().zip(&widths) {
        let _ = write!(line, "  {}", pad(id, *w));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    for (i, row) in cells.iter().enumerate() {
        let mut line = pad(&ids[i], first);
        for (c, w) in row.iter().zip(&widths) {
            let _ = write!(line, "  {}", pad(c, *w));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "· 到達不可 / +ch チャネルあり / +ch! 無害化を迂回できるチャネル",
            "· nothing crosses / +ch a channel / +ch! a channel that can bypass sanitization"
        )
    );
    // Details of every cell between different areas.
    out.push('\n');
    for c in m.cells.iter().filter(|c| c.from != c.to) {
        let _ = writeln!(
            out,
            "{} → {}",
            names::area_id(topo, c.from),
            names::area_id(topo, c.to)
        );
        if !c.services.is_empty() {
            let _ = writeln!(
                out,
                "  {} {}",
                lang.pick("サービス:", "services:"),
                c.services
            );
        }
        for ch in &c.channels {
            let g = &topo.gateways[ch.gateway];
            let bypass = if ch.bypass {
                lang.pick(
                    "  (バイパスあり: 無害化されない経路)",
                    "  (bypass: content can cross unsanitized)",
                )
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {} {} ({}){bypass}",
                lang.pick("チャネル:", "channel:"),
                ch.kind,
                g.name.as_deref().unwrap_or(&g.id)
            );
        }
    }
    out
}

/// The members `matrix --format json` adds to the envelope (`report::json`). These types are
/// the wire format; fields are only ever added.
#[derive(Serialize)]
pub struct MatrixJson {
    /// Every row and column: the zones, then external networks.
    pub areas: Vec<AreaJson>,
    /// Every pair of areas something crosses between.
    pub cells: Vec<CellJson>,
}

#[derive(Serialize)]
pub struct AreaJson {
    /// A zone's id, or `external:ID`.
    pub id: String,
    /// The name the design gives, or `null`.
    pub name: Option<String>,
    /// A zone's tier, or `external KIND`.
    pub kind: String,
}

#[derive(Serialize)]
pub struct CellJson {
    pub from_zone: String,
    pub to_zone: String,
    /// `tcp/445`, `any`...: what packets cross.
    pub services: Vec<String>,
    /// The gateways that carry data across as one-way channels.
    pub channels: Vec<ChannelJson>,
}

#[derive(Serialize)]
pub struct ChannelJson {
    /// The gateway's kind: `screen-transfer`, `file-sanitizer`...
    pub kind: &'static str,
    pub gateway: String,
    /// Whether the channel goes around the gateway's own restrictions.
    pub bypass: bool,
}

pub fn json(topo: &Topology, m: &Matrix) -> MatrixJson {
    let areas = m
        .areas
        .iter()
        .map(|a| {
            let (name, kind) = match *a {
                Area::Zone(z) => (topo.zones[z].name.clone(), topo.zones[z].tier.to_string()),
                Area::External(x) => (
                    topo.externals[x].name.clone(),
                    format!("external {}", topo.externals[x].kind),
                ),
            };
            AreaJson {
                id: names::area_id(topo, *a),
                name,
                kind,
            }
        })
        .collect();
    let cells = m
        .cells
        .iter()
        .map(|c| CellJson {
            from_zone: names::area_id(topo, c.from),
            to_zone: names::area_id(topo, c.to),
            services: c.services.names(),
            channels: c
                .channels
                .iter()
                .map(|ch| ChannelJson {
                    kind: ch.kind.as_str(),
                    gateway: topo.gateways[ch.gateway].id.to_string(),
                    bypass: ch.bypass,
                })
                .collect(),
        })
        .collect();
    MatrixJson { areas, cells }
}
