//! The SVG document: header, title and stylesheet, then bands, edges, nodes and legend.

use super::geometry::Rect;
use super::geometry::{MARGIN, WIDTH};
use super::layout::Layout;
use super::layout::layout;
use super::marks::Marks;
use super::style::STYLE;
use super::tags::Tags;
use super::{bands, edges, legend, nodes};
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::diagram::Diagram;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

/// Whether the SVG stands alone (a file of its own needs the SVG namespace) or sits inside an
/// HTML page (where the parser supplies it, and the report promises no URL at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embedding {
    Standalone,
    Inline,
}

/// The diagram as SVG; edges in `marks` are drawn in red, above the others, with a legend.
pub fn render(
    topo: &Topology,
    d: &Diagram,
    marks: &Marks,
    lang: Lang,
    embedding: Embedding,
) -> String {
    let p = picture(topo, d, marks, lang, "diagram");
    p.svg(embedding, "diagram", 0, p.height)
}

/// The picture drawn once: its elements, its size, and where nothing drawn crosses a line
/// across it (for cutting it into pages).
pub(super) struct Picture {
    title: String,
    body: String,
    pub(super) width: i64,
    pub(super) height: i64,
    /// Vertical extents that must not be cut: boxes, labels, tags, the legend.
    pub(super) solid: Vec<(i64, i64)>,
}

impl Picture {
    /// The picture, or the part of it from `top` down `height` pixels, as one SVG element.
    pub(super) fn svg(&self, embedding: Embedding, id: &str, top: i64, height: i64) -> String {
        let width = self.width;
        let xmlns = match embedding {
            Embedding::Standalone => " xmlns=\"http://www.w3.org/2000/svg\"",
            Embedding::Inline => "",
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg{xmlns} id=\"{id}\" class=\"sansou-diagram\" viewBox=\"0 {top} {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title\" font-family=\"'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif\">"
        );
        let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", esc(&self.title));
        let _ = writeln!(out, "<style>{STYLE}</style>");
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{}\" fill=\"#ffffff\"/>",
            self.height
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// Lays out and draws a diagram; `id` names its legend.
pub(super) fn picture(
    topo: &Topology,
    d: &Diagram,
    marks: &Marks,
    lang: Lang,
    id: &str,
) -> Picture {
    let l = layout(topo, d, lang);
    let mut legend = String::new();
    let flows = flow_list(topo, &l, lang);
    let legend_y = l.height + 8;
    let legend_h = legend::legend(&mut legend, legend_y, lang, marks.checked, &flows, id);
    let height = legend_y + legend_h + MARGIN;
    let mut out = String::new();
    bands::draw(&mut out, &l, lang);
    // Tags keep off every box and label.
    let mut taken: Vec<Rect> = l
        .boxes
        .values()
        .map(|r| Rect {
            x: r.x - 2,
            y: r.y - 2,
            w: r.w + 4,
            h: r.h + 4,
        })
        .collect();
    taken.extend(bands::label_rects(&l, lang));
    let mut tags = Tags::new(taken);
    edges::draw(&mut out, topo, d, &l, marks, lang, &mut tags);
    nodes::draw(&mut out, &l, marks);
    out.push_str("<g class=\"sv-tags\">\n");
    out.push_str(&tags.out);
    out.push_str("</g>\n");
    out.push_str(&legend);
    let mut solid: Vec<(i64, i64)> = tags.taken().iter().map(|r| (r.y, r.y + r.h)).collect();
    solid.push((legend_y, height));
    Picture {
        title: format!(
            "{}: {}",
            d.title,
            lang.pick("ネットワーク構成図", "network diagram")
        ),
        body: out,
        width: WIDTH + 2 * MARGIN,
        height,
        solid,
    }
}

/// Every declared flow for the legend, by its tag: how, what, from where to where, and why no
/// line is drawn when none is.
fn flow_list(topo: &Topology, l: &Layout, lang: Lang) -> Vec<String> {
    topo.flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let classes: Vec<String> = f.data.iter().map(|c| c.to_string()).collect();
            let from = edges::flow_end(topo, &f.from.value);
            let to = edges::flow_end(topo, &f.to.value);
            let drawn = matches!((&from, &to), (Some(a), Some(b)) if a != b
                && l.boxes.contains_key(a) && l.boxes.contains_key(b));
            let note = match (drawn, &from, &to) {
                (true, _, _) => "",
                (false, Some(a), Some(b)) if a == b => lang.pick(
                    " (同じセグメント内のため線なし)",
                    " (within one segment: no line)",
                ),
                _ => lang.pick(
                    " (図に箱のない端のため線なし)",
                    " (an end has no box: no line)",
                ),
            };
            format!(
                "F{}: {}: {}: {} → {} ({}){note}",
                i + 1,
                edges::flow_method(f.method, lang),
                super::labels::display(&f.id, f.name.as_deref()),
                f.from.value,
                f.to.value,
                classes.join(", ")
            )
        })
        .collect()
}
