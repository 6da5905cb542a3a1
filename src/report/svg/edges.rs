//! The lines: firewalls' and gateways' attachments, red when on a violating path and tagged
//! with the numbers of those findings; the dashed line of a host with interfaces in several
//! segments; and the declared data flows (`[[flow]]`, a media copy as much as a network
//! transfer), each tagged `F1`, `F2`... as the legend lists them.

use super::geometry::{Rect, anchors, stacked};
use super::labels::{display, kind_id};
use super::layout::Layout;
use super::marks::Marks;
use super::route::{Point, route};
use super::tags::{self, Tags};
use crate::lang::Lang;
use crate::model::Topology;
use crate::model::{FlowMethod, Selector};
use crate::report::diagram::Diagram;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

pub(super) fn draw(
    out: &mut String,
    topo: &Topology,
    d: &Diagram,
    l: &Layout,
    marks: &Marks,
    lang: Lang,
    tags: &mut Tags,
) {
    // Edges: plain ones first, red ones last so they stay visible where lines cross.
    let mut plain = String::new();
    let mut red = String::new();
    for e in d.edges.iter().filter(|e| !e.from.starts_with("host:")) {
        let (Some(a), Some(b)) = (l.boxes.get(&e.from), l.boxes.get(&e.to)) else {
            continue;
        };
        let course = course(l, (&e.from, a), (&e.to, b));
        let violation = marks.has(&e.from, &e.to);
        let numbers = marks.findings(&e.from, &e.to);
        let mut title = match &e.label {
            Some(i) => format!("{} {i} — {}", e.from, e.to),
            None => format!("{} — {}", e.from, e.to),
        };
        if !numbers.is_empty() {
            let text = tags::numbers(&numbers);
            title = format!(
                "{title}\n{} {text}",
                lang.pick("不適合の指摘:", "deny findings:")
            );
            let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
            tags.place(
                &course,
                &text,
                "sv-tag-finding",
                &format!(" data-findings=\"{}\"", list.join(" ")),
            );
        }
        let target = if violation { &mut red } else { &mut plain };
        let _ = writeln!(
            target,
            "<polyline class=\"edge {}\" data-from=\"{}\" data-to=\"{}\"{} points=\"{}\"><title>{}</title></polyline>",
            if violation { "sv-violation" } else { "sv-edge" },
            esc(&e.from),
            esc(&e.to),
            if violation {
                " data-violation=\"true\""
            } else {
                ""
            },
            points(&course),
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
            let course = course(l, (pair[0], a), (pair[1], b));
            let _ = writeln!(
                plain,
                "<polyline class=\"bridge sv-bridge\" data-host=\"{}\" data-from=\"{}\" data-to=\"{}\" points=\"{}\"><title>{}</title></polyline>",
                esc(host),
                esc(pair[0]),
                esc(pair[1]),
                points(&course),
                esc(&format!(
                    "{}: {label}",
                    lang.pick("複数セグメントに接続するホスト", "host in several segments")
                ))
            );
        }
    }
    flows(&mut plain, topo, l, lang, tags);
    out.push_str("<g class=\"sv-edges\">\n");
    out.push_str(&plain);
    out.push_str(&red);
    out.push_str("</g>\n");
}

/// The course of a line between two boxes, around every other box.
fn course(l: &Layout, (ka, a): (&str, &Rect), (kb, b): (&str, &Rect)) -> Vec<Point> {
    let (from, to) = anchors(a, b);
    let obstacles: Vec<Rect> = l
        .boxes
        .iter()
        .filter(|(k, _)| k.as_str() != ka && k.as_str() != kb)
        .map(|(_, r)| *r)
        .collect();
    route(from, to, stacked(a, b), &obstacles)
}

/// Points as the `points` attribute of a polyline.
fn points(course: &[Point]) -> String {
    let all: Vec<String> = course.iter().map(|(x, y)| format!("{x},{y}")).collect();
    all.join(" ")
}

/// The box a flow's end is drawn at: a store or host at its host's first segment, a segment
/// itself, an external network; `None` for an end the diagram has no box for (a zone, a tier,
/// a kind of host...).
pub(super) fn flow_end(topo: &Topology, end: &Selector) -> Option<String> {
    let host_segment = |id: &str| {
        topo.host(id)
            .and_then(|h| h.interfaces.first())
            .map(|i| format!("segment:{}", i.segment.value))
    };
    match end {
        Selector::Store(id) => topo
            .stores
            .iter()
            .find(|s| s.id == *id)
            .and_then(|s| host_segment(&s.host.value)),
        Selector::Host(id) => host_segment(id),
        Selector::Segment(id) => Some(format!("segment:{id}")),
        Selector::External(id) => Some(format!("external:{id}")),
        _ => None,
    }
}

/// Declared data flows between two different boxes: a dash-dotted line with its tag.
fn flows(out: &mut String, topo: &Topology, l: &Layout, lang: Lang, tags: &mut Tags) {
    for (i, f) in topo.flows.iter().enumerate() {
        let (Some(ka), Some(kb)) = (flow_end(topo, &f.from.value), flow_end(topo, &f.to.value))
        else {
            continue;
        };
        let (Some(a), Some(b)) = (l.boxes.get(&ka), l.boxes.get(&kb)) else {
            continue;
        };
        if ka == kb {
            continue;
        }
        let course = course(l, (&ka, a), (&kb, b));
        let tag = format!("F{}", i + 1);
        let _ = writeln!(
            out,
            "<polyline class=\"flow sv-flow\" data-flow=\"{}\" data-method=\"{}\" data-from=\"{}\" data-to=\"{}\" points=\"{}\"><title>{}</title></polyline>",
            esc(&f.id),
            f.method,
            esc(&ka),
            esc(&kb),
            points(&course),
            esc(&format!(
                "{tag} {}: {} → {}",
                flow_method(f.method, lang),
                f.from.value,
                f.to.value
            ))
        );
        tags.place(
            &course,
            &tag,
            "sv-tag-flow",
            &format!(" data-flow=\"{}\"", esc(&f.id)),
        );
    }
}

/// How a flow moves its data, in words.
pub(super) fn flow_method(m: FlowMethod, lang: Lang) -> &'static str {
    match m {
        FlowMethod::Network => lang.pick("ネットワーク", "network"),
        FlowMethod::SanitizedFile => lang.pick("無害化ファイル", "sanitized file"),
        FlowMethod::MailText => lang.pick("メールテキスト化", "mail as text"),
        FlowMethod::Screen => lang.pick("画面転送", "screen transfer"),
        FlowMethod::Media => lang.pick("外部媒体", "removable media"),
        FlowMethod::Paper => lang.pick("紙", "paper"),
    }
}
