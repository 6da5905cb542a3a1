//! The SVG document: header, title and stylesheet, then bands, edges, nodes and legend.

use super::geometry::{MARGIN, WIDTH};
use super::layout::layout;
use super::marks::Marks;
use super::style::STYLE;
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
    let l = layout(topo, d, lang);
    let mut legend = String::new();
    let legend_h = legend::legend(&mut legend, l.height + 8, lang, marks.checked);
    let height = l.height + 8 + legend_h + MARGIN;
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

    bands::draw(&mut out, &l, lang);
    edges::draw(&mut out, topo, d, &l, marks, lang);
    nodes::draw(&mut out, &l, marks);
    out.push_str(&legend);
    out.push_str("</svg>\n");
    out
}
