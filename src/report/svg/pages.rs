//! A tall picture cut into A4 pages for the report. One SVG taller than a page is sliced by
//! the browser wherever the page ends, through boxes and text; instead the picture is drawn
//! once and shown as a column of SVG elements, each a window (`viewBox`) on one page's height,
//! cut only where no box, label, tag or the legend crosses. A line that crosses a cut goes on
//! in the next window, as on a map printed across sheets.

use super::marks::Marks;
use super::render::{Embedding, picture};
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::diagram::Diagram;

/// A page's height in the picture's pixels: the report's A4 text area is 186 mm wide and
/// 267 mm high, and the 800 px wide picture is scaled to the width; less room for the caption.
pub const PAGE_H: i64 = 800 * 267 / 186 - 60;

/// The diagram as one or more inline SVG elements, each at most a page tall (unless one box is
/// taller). The first has the id `id`, the next ones `id-p2`, `id-p3`...
pub fn render_pages(
    topo: &Topology,
    d: &Diagram,
    marks: &Marks,
    lang: Lang,
    id: &str,
) -> Vec<String> {
    let p = picture(topo, d, marks, lang, id);
    let windows = cuts(&p.solid, p.height, PAGE_H);
    let legend_id = format!(" id=\"{id}-legend\"");
    windows
        .iter()
        .enumerate()
        .map(|(i, &(top, h))| {
            let last = i + 1 == windows.len();
            let own = if i == 0 {
                id.to_string()
            } else {
                format!("{id}-p{}", i + 1)
            };
            let svg = p.svg(Embedding::Inline, &own, top, h);
            // The legend (in every window's elements, seen in the last) keeps its id once.
            if last {
                svg
            } else {
                svg.replacen(&legend_id, "", 1)
            }
        })
        .collect()
}

/// Windows `(top, height)` covering `0..height`, each at most `page` tall, cut where no solid
/// extent is crossed (or at the page's end when one extent is taller than a page).
fn cuts(solid: &[(i64, i64)], height: i64, page: i64) -> Vec<(i64, i64)> {
    let free = |y: i64| !solid.iter().any(|&(a, b)| a < y && y < b);
    let mut out = Vec::new();
    let mut top = 0;
    while height - top > page {
        let limit = top + page;
        // The lowest free line within the page: just below a solid extent, or above one.
        let cut = solid
            .iter()
            .flat_map(|&(a, b)| [a - 1, b + 1])
            .filter(|&y| y > top + page / 4 && y <= limit && free(y))
            .max()
            .unwrap_or(limit);
        out.push((top, cut - top));
        top = cut;
    }
    out.push((top, height - top));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_cut_between_boxes() {
        let solid = [(10, 100), (120, 300), (310, 500)];
        let w = cuts(&solid, 520, 320);
        assert_eq!(w, vec![(0, 309), (309, 211)]);
        // A short picture is one window.
        assert_eq!(cuts(&solid, 520, 1000), vec![(0, 520)]);
        // A box taller than a page is cut at the page's end.
        assert_eq!(
            cuts(&[(0, 900)], 900, 400),
            vec![(0, 400), (400, 400), (800, 100)]
        );
    }
}
