//! Graphviz DOT output of a topology (`sansou graph --format dot`).

use super::diagram::{Diagram, Node, Shape};
use std::fmt::Write;

/// Escapes text for a DOT double-quoted string; newlines become centred line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn attributes(shape: Shape) -> &'static str {
    match shape {
        Shape::Segment => "shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\"",
        Shape::Host => "shape=box, fontsize=10",
        Shape::Firewall => "shape=hexagon, style=filled, fillcolor=\"#fde2c8\"",
        Shape::Gateway => "shape=cds, style=filled, fillcolor=\"#d8f0d8\"",
        Shape::External => "shape=ellipse, style=filled, fillcolor=\"#eeeeee\"",
    }
}

fn node(out: &mut String, indent: &str, n: &Node) {
    let _ = writeln!(
        out,
        "{indent}\"{}\" [label=\"{}\", {}];",
        escape(&n.key),
        escape(&n.label),
        attributes(n.shape)
    );
}

pub fn render(d: &Diagram) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", escape(&d.title));
    out.push_str("  graph [rankdir=LR, fontname=\"Noto Sans CJK JP\"];\n");
    out.push_str("  node [fontname=\"Noto Sans CJK JP\"];\n");
    out.push_str("  edge [arrowhead=none];\n");
    for (i, c) in d.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph \"cluster_{i}\" {{");
        let _ = writeln!(out, "    label=\"{}\";", escape(&c.label));
        for n in &c.nodes {
            node(&mut out, "    ", n);
        }
        out.push_str("  }\n");
    }
    for n in &d.nodes {
        node(&mut out, "  ", n);
    }
    for e in &d.edges {
        let label = e
            .label
            .as_ref()
            .map(|l| format!(" [label=\"{}\"]", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\"{label};",
            escape(&e.from),
            escape(&e.to)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(super::escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
