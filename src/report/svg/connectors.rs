//! Firewalls, gateways and external networks: the nodes between the bands, placed in the
//! rows between the bands they join, near what they attach to.

use super::bands::Grid;
use super::geometry::{MARGIN, NODE_GAP, WIDTH, node_width};
use super::labels::kind_id;
use crate::model::Topology;
use crate::report::diagram::{Diagram, Shape};
use std::collections::BTreeMap;

/// Where a node between the bands goes: the row on top (internet-side externals), or the
/// connector row above band `n` (`n` = number of bands: below the last one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Row {
    Top,
    Slot(usize),
}

/// A node between the bands, waiting for its place.
pub(super) struct Connector {
    pub(super) key: String,
    pub(super) shape: Shape,
    pub(super) row: Row,
    /// Wanted centre x, from what it attaches to.
    pub(super) want: i64,
    pub(super) w: i64,
}

/// Every node outside the zones with its row and the centre x it wants.
pub(super) fn place(topo: &Topology, d: &Diagram, grid: &Grid) -> Vec<Connector> {
    let seg_boxes = &grid.segments;
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
    let n = grid.bands.len();
    let mut connectors: Vec<Connector> = Vec::new();
    for node in &d.nodes {
        let w = node_width(node.shape);
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
    connectors
}

/// Each row's nodes in sub-rows, and every node's x: overlaps resolved, a full row wrapped
/// into sub-rows.
pub(super) fn rows(connectors: &[Connector]) -> (BTreeMap<Row, Vec<Vec<usize>>>, Vec<i64>) {
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
    (rows, xs)
}
