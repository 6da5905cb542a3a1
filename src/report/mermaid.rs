//! Mermaid flowchart output of a topology (`sansou graph --format mermaid`).
//!
//! Mermaid node ids must be plain words, so nodes get generated ids (`n0`, `n1`, ...) in diagram
//! order; labels are quoted and every character that could end the quote or open markup is
//! written as an entity.

use super::diagram::{Diagram, Node, Shape};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn shape(id: &str, label: &str, shape: Shape) -> String {
    match shape {
        Shape::Segment => format!("{id}([\"{label}\"])"),
        Shape::Host => format!("{id}[\"{label}\"]"),
        Shape::Firewall => format!("{id}{{{{\"{label}\"}}}}"),
        Shape::Gateway => format!("{id}[/\"{label}\"/]"),
        Shape::External => format!("{id}((\"{label}\"))"),
    }
}

pub fn render(d: &Diagram) -> String {
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let all = d.clusters.iter().flat_map(|c| &c.nodes).chain(&d.nodes);
    for (i, n) in all.enumerate() {
        ids.insert(&n.key, format!("n{i}"));
    }
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: \"{}\"\n---", escape(&d.title));
    out.push_str("flowchart LR\n");
    let node = |out: &mut String, indent: &str, n: &Node| {
        let _ = writeln!(
            out,
            "{indent}{}",
            shape(&ids[n.key.as_str()], &escape(&n.label), n.shape)
        );
    };
    for (i, c) in d.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph z{i}[\"{}\"]", escape(&c.label));
        for n in &c.nodes {
            node(&mut out, "    ", n);
        }
        out.push_str("  end\n");
    }
    for n in &d.nodes {
        node(&mut out, "  ", n);
    }
    for e in &d.edges {
        // Edges to ids that do not exist cannot occur in a validated topology; skip defensively.
        let (Some(from), Some(to)) = (ids.get(e.from.as_str()), ids.get(e.to.as_str())) else {
            continue;
        };
        match &e.label {
            Some(l) => {
                let _ = writeln!(out, "  {from} ---|\"{}\"| {to}", escape(l));
            }
            None => {
                let _ = writeln!(out, "  {from} --- {to}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<b>\"x\"</b>"),
            "#lt;b#gt;#quot;x#quot;#lt;/b#gt;"
        );
    }
}
