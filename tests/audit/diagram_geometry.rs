//! The diagram as evidence, measured: on the samples and on generated designs no line passes
//! through a box it does not connect, no two texts overlap, every text fits inside its box,
//! and the smallest text is at least 7 pt when the picture is printed across an A4 page.
//!
//! The SVG is read back as written (boxes from the node shapes, lines from the polylines,
//! texts from their position, font size and width in terminal columns), so the tests judge
//! the output, not the layout code's idea of it.

use crate::common::{sansou, tmp};
use sansou::report::text::display_width;

/// Width of the text area of an A4 page in the report's print style (210 mm less 12 mm
/// margins on each side), in points.
const A4_TEXT_PT: f64 = 186.0 / 25.4 * 72.0;

#[derive(Clone, Copy, Debug)]
pub struct Box4 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Box4 {
    fn overlaps(&self, o: &Box4) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    fn contains(&self, o: &Box4) -> bool {
        o.x >= self.x - 0.5
            && o.y >= self.y - 0.5
            && o.x + o.w <= self.x + self.w + 0.5
            && o.y + o.h <= self.y + self.h + 0.5
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(tag[i..i + tag[i..].find('"')?].to_string())
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("{name} in {tag}"))
        .parse()
        .unwrap()
}

/// Every start tag of an element, with the text up to its end tag.
fn elements<'a>(svg: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name} ");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(&open) {
        let tail = &rest[i..];
        let end = tail.find('>').unwrap();
        let tag = &tail[..=end];
        let body = if tag.ends_with("/>") {
            ""
        } else {
            &tail[end + 1..end + 1 + tail[end + 1..].find(&close).unwrap_or(0)]
        };
        out.push((tag, body));
        rest = &tail[end..];
    }
    out
}

/// Every node's key and box.
pub fn boxes(svg: &str) -> Vec<(String, Box4)> {
    let mut out = Vec::new();
    for (g, body) in elements(svg, "g") {
        if !g.starts_with("<g class=\"node ") {
            continue;
        }
        let key = attr(g, "data-key").unwrap();
        let shape = body[body.find("</title>").unwrap() + "</title>".len()..]
            .split('>')
            .next()
            .unwrap();
        let b = if shape.starts_with("<ellipse") {
            let (cx, cy, rx, ry) = (
                num(shape, "cx"),
                num(shape, "cy"),
                num(shape, "rx"),
                num(shape, "ry"),
            );
            Box4 {
                x: cx - rx,
                y: cy - ry,
                w: 2.0 * rx,
                h: 2.0 * ry,
            }
        } else if shape.starts_with("<polygon") {
            let pts = points(&attr(shape, "points").unwrap());
            let (x0, x1) = (
                pts.iter().map(|p| p.0).fold(f64::MAX, f64::min),
                pts.iter().map(|p| p.0).fold(f64::MIN, f64::max),
            );
            let (y0, y1) = (
                pts.iter().map(|p| p.1).fold(f64::MAX, f64::min),
                pts.iter().map(|p| p.1).fold(f64::MIN, f64::max),
            );
            Box4 {
                x: x0,
                y: y0,
                w: x1 - x0,
                h: y1 - y0,
            }
        } else {
            Box4 {
                x: num(shape, "x"),
                y: num(shape, "y"),
                w: num(shape, "width"),
                h: num(shape, "height"),
            }
        };
        out.push((key, b));
    }
    out
}

fn points(s: &str) -> Vec<(f64, f64)> {
    s.split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// A line: its two ends' keys and its points.
type Line = (String, String, Vec<(f64, f64)>);

fn lines(svg: &str) -> Vec<Line> {
    elements(svg, "polyline")
        .into_iter()
        .filter(|(t, _)| attr(t, "data-from").is_some())
        .map(|(t, _)| {
            (
                attr(t, "data-from").unwrap(),
                attr(t, "data-to").unwrap(),
                points(&attr(t, "points").unwrap()),
            )
        })
        .collect()
}

/// Whether the segment a–b passes through the inside of a box (shrunk by a pixel, so touching
/// a border is not crossing).
fn crosses(r: &Box4, a: (f64, f64), b: (f64, f64)) -> bool {
    let (x0, y0, x1, y1) = (r.x + 1.0, r.y + 1.0, r.x + r.w - 1.0, r.y + r.h - 1.0);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            lo = lo.max(q / p);
        } else {
            hi = hi.min(q / p);
        }
    }
    lo < hi
}

/// Font sizes by class, from the stylesheet.
fn font_sizes(svg: &str) -> Vec<(String, f64)> {
    let style = &svg[svg.find("<style>").unwrap()..svg.find("</style>").unwrap()];
    let mut out = Vec::new();
    for rule in style.split('}') {
        let Some((sel, body)) = rule.split_once('{') else {
            continue;
        };
        if let Some(i) = body.find("font-size:") {
            let v = &body[i + "font-size:".len()..];
            let v: f64 = v[..v.find("px").unwrap()].parse().unwrap();
            out.push((sel.trim().trim_start_matches('.').to_string(), v));
        }
    }
    out
}

/// Every text's box (by the layout's measure: a wide character is one em, a space or thin
/// punctuation 0.4 em, any other 0.6 em), with its font size.
pub fn texts(svg: &str) -> Vec<(String, Box4, f64)> {
    let sizes = font_sizes(svg);
    let legend_size = sizes
        .iter()
        .find(|(c, _)| c == "sv-legend")
        .map(|s| s.1)
        .unwrap();
    let mut out = Vec::new();
    for (t, body) in elements(svg, "text") {
        let class = attr(t, "class");
        let size = match &class {
            Some(c) => {
                sizes
                    .iter()
                    .find(|(k, _)| k == c)
                    .unwrap_or_else(|| panic!("no font size for {c}"))
                    .1
            }
            None => legend_size,
        };
        let text = body
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
        let ems: f64 = text
            .chars()
            .map(|c| match display_width(c.encode_utf8(&mut [0; 4])) {
                0 => 0.0,
                1 if " .,:;/()[]|'!-·".contains(c) => 0.4,
                1 => 0.6,
                _ => 1.0,
            })
            .sum();
        let w = ems * size;
        let (x, y) = (num(t, "x"), num(t, "y"));
        let x0 = match attr(t, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        out.push((
            text,
            Box4 {
                x: x0,
                y: y - 0.8 * size,
                w,
                h: size,
            },
            size,
        ));
    }
    out
}

fn view_width(svg: &str) -> f64 {
    let head = &svg[..svg.find('>').unwrap()];
    let view = attr(head, "viewBox").unwrap();
    view.split(' ').nth(2).unwrap().parse().unwrap()
}

/// `graph --format svg` of a topology, which must succeed.
pub fn graph_svg(topology: &str, extra: &[&str]) -> String {
    let mut args = vec!["graph", topology, "--format", "svg"];
    args.extend_from_slice(extra);
    let o = sansou(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn generated(tier: &str) -> String {
    let dir = tmp("diagram-geometry", &format!("gen-{tier}"));
    let o = sansou(&[
        "generate",
        "--tier",
        tier,
        "--seed",
        "7",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    dir.join("topology.toml").to_str().unwrap().to_string()
}

/// Every check on one picture.
pub fn assert_evidence(name: &str, svg: &str) {
    assert_lines_clear(name, svg);
    assert_legible(name, svg);
}

/// No line passes through a box it does not connect.
fn assert_lines_clear(name: &str, svg: &str) {
    let boxes = boxes(svg);
    let lines = lines(svg);
    assert!(
        !boxes.is_empty() && !lines.is_empty(),
        "{name}: empty picture"
    );
    for (from, to, pts) in &lines {
        for (key, b) in &boxes {
            if key == from || key == to {
                continue;
            }
            for w in pts.windows(2) {
                assert!(
                    !crosses(b, w[0], w[1]),
                    "{name}: the line {from} — {to} passes through {key}"
                );
            }
        }
    }
}

/// Texts apart, inside their boxes, at least 7 pt on A4, and none cut.
fn assert_legible(name: &str, svg: &str) {
    let boxes = boxes(svg);
    let all = texts(svg);
    for (i, (ta, a, _)) in all.iter().enumerate() {
        for (tb, b, _) in &all[i + 1..] {
            assert!(!a.overlaps(b), "{name}: texts overlap: {ta:?} and {tb:?}");
        }
    }
    // Texts inside a node stay inside its box.
    for (g, body) in elements(svg, "g") {
        if !g.starts_with("<g class=\"node ") {
            continue;
        }
        let key = attr(g, "data-key").unwrap();
        let b = boxes.iter().find(|(k, _)| *k == key).unwrap().1;
        let inner = texts(&format!(
            "{}{body}",
            &svg[..svg.find("</style>").unwrap() + 8]
        ));
        for (t, r, _) in inner {
            assert!(b.contains(&r), "{name}: {t:?} does not fit in {key}");
        }
    }
    let smallest = all.iter().map(|t| t.2).fold(f64::MAX, f64::min);
    let pt = smallest * A4_TEXT_PT / view_width(svg);
    assert!(
        pt >= 7.0,
        "{name}: smallest text is {pt:.1} pt on A4 ({smallest}px)"
    );
    assert!(!svg.contains('…'), "{name}: a label is cut");
}

#[test]
fn the_samples_are_evidence() {
    for topo in [
        "topologies/alpha-city.toml",
        "topologies/jps-2015.toml",
        "topologies/beta-town.toml",
    ] {
        for lang in ["ja", "en"] {
            let svg = graph_svg(topo, &["--lang", lang]);
            assert_evidence(&format!("{topo} {lang}"), &svg);
        }
    }
}

#[test]
fn the_line_that_seemed_to_enter_my_number_goes_around() {
    // In alpha-city the core firewall's attachment to the management segment ran straight
    // through a My Number segment box.
    let svg = graph_svg("topologies/alpha-city.toml", &[]);
    let line = lines(&svg)
        .into_iter()
        .find(|(f, t, _)| f == "firewall:fw-lg-core" && t == "segment:mgmt-ops")
        .expect("the attachment is drawn");
    assert!(line.2.len() > 2, "routed: {:?}", line.2);
    assert_evidence("alpha-city", &svg);
}

#[test]
fn generated_tier_s_is_evidence() {
    let topo = generated("S");
    assert_evidence("tier S", &graph_svg(&topo, &[]));
}

/// The text of a node's box, its lines joined.
fn box_text(svg: &str, key: &str) -> String {
    let (_, body) = elements(svg, "g")
        .into_iter()
        .find(|(g, _)| attr(g, "data-key").as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no {key}"));
    elements(body, "text")
        .iter()
        .map(|(_, t)| *t)
        .collect::<Vec<_>>()
        .join("")
}

#[test]
fn stores_are_drawn_with_their_data_classes_and_records() {
    let svg = graph_svg("topologies/jps-2015.toml", &["--lang", "ja"]);
    let servers = box_text(&svg, "segment:joho-servers");
    for part in [
        "(kyoyu-nopass)",
        "pension-number, basic-4",
        "550,000 件",
        "700,000 件",
    ] {
        assert!(servers.contains(part), "{part} not in {servers}");
    }
    let core = box_text(&svg, "segment:core-center");
    assert!(core.contains("100,000,000 件"), "{core}");
    let svg = graph_svg("topologies/jps-2015.toml", &["--lang", "en"]);
    assert!(box_text(&svg, "segment:joho-servers").contains("550,000 records"));
}

#[test]
fn the_media_copy_of_2015_is_drawn_and_listed() {
    let svg = graph_svg("topologies/jps-2015.toml", &["--lang", "ja"]);
    let flows: Vec<(&str, &str)> = elements(&svg, "polyline")
        .into_iter()
        .filter(|(t, _)| t.starts_with("<polyline class=\"flow"))
        .map(|(t, _)| (t, ""))
        .collect();
    assert!(!flows.is_empty(), "no flow drawn");
    let copy = flows
        .iter()
        .find(|(t, _)| attr(t, "data-flow").as_deref() == Some("core-extract"))
        .expect("the core-to-file-server copy is drawn")
        .0;
    assert_eq!(attr(copy, "data-method").as_deref(), Some("media"));
    assert_eq!(
        attr(copy, "data-from").as_deref(),
        Some("segment:core-center")
    );
    assert_eq!(
        attr(copy, "data-to").as_deref(),
        Some("segment:joho-servers")
    );
    // Its tag on the line, and its line in the legend.
    assert!(svg.contains("data-flow=\"core-extract\"><rect class=\"sv-tag-box\""));
    assert!(svg.contains("F1: 外部媒体: 基幹システムからの抽出データを共有フォルダへ"));
    assert_evidence("jps-2015", &svg);
}

#[test]
fn finding_numbers_on_the_diagram_match_the_findings_section() {
    let page = tmp("diagram-geometry", "jps.html");
    let o = sansou(&[
        "report",
        "topologies/jps-2015.toml",
        "--output",
        page.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "deny findings stand");
    let html = std::fs::read_to_string(&page).unwrap();
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap() + 6];
    let tags: Vec<String> = elements(svg, "g")
        .into_iter()
        .filter_map(|(g, _)| attr(g, "data-findings"))
        .collect();
    assert!(!tags.is_empty(), "no numbered path");
    let mut seen = std::collections::BTreeSet::new();
    for list in &tags {
        for n in list.split(' ') {
            seen.insert(n.to_string());
            let article = html
                .split("<article ")
                .find(|a| a.contains(&format!("id=\"finding-{n}\"")))
                .unwrap_or_else(|| panic!("no finding #{n} in the findings section"));
            assert!(
                article.starts_with("class=\"finding deny\""),
                "#{n}: {article:.80}"
            );
        }
    }
    // Every standing deny finding with a packet path is on the diagram (the attack section's
    // articles have no number).
    for a in html
        .split("<article class=\"finding deny\" id=\"finding-")
        .skip(1)
    {
        let n = &a[..a.find('"').unwrap()];
        let body = &a[..a.find("</article>").unwrap()];
        if body.contains("<table class=\"hops\">") {
            assert!(seen.contains(n), "finding #{n} has a path but no tag");
        }
    }
    assert_evidence("jps-2015 report", svg);
}

#[test]
fn a_large_design_is_drawn_zone_by_zone_in_the_report() {
    let topo = generated("S");
    let page = tmp("diagram-geometry", "gen-s.html");
    sansou(&["report", &topo, "--output", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"diagram-by-zone\""));
    assert!(
        !html.contains("<svg id=\"diagram\""),
        "not one tall picture"
    );
    let zones = std::fs::read_to_string(&topo)
        .unwrap()
        .matches("[[zone]]")
        .count();
    let mut ids = std::collections::BTreeSet::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<svg id=\"") {
        let svg = &rest[i..i + rest[i..].find("</svg>").unwrap() + 6];
        let id = attr(svg, "id").unwrap();
        assert!(ids.insert(id.clone()), "{id} twice");
        assert_evidence(&id, svg);
        // Each piece fits on an A4 page (800 px wide: 1,148 px a page).
        let head = &svg[..svg.find('>').unwrap()];
        let h: i64 = attr(head, "height").unwrap().parse().unwrap();
        assert!(h <= 1148, "{id} is {h} px tall");
        rest = &rest[i + svg.len()..];
    }
    assert_eq!(
        html.matches("<figure class=\"zone-diagram paged\">")
            .count(),
        zones,
        "a figure per zone"
    );
    // And an overview with a box per zone.
    let overview = &html[html.find("<figure class=\"overview paged\">").unwrap()..];
    let overview = &overview[..overview.find("</figure>").unwrap()];
    // (Each page of it holds the whole drawing, seen through its window: count keys once.)
    let summaries: std::collections::BTreeSet<String> = elements(overview, "g")
        .into_iter()
        .filter_map(|(g, _)| attr(g, "data-key"))
        .filter(|k| k.starts_with("summary:"))
        .collect();
    assert_eq!(summaries.len(), zones);
    assert!(overview.contains("data-from=\"firewall:"));
}

#[test]
fn one_zone_of_tier_m_is_evidence() {
    let topo = generated("M");
    let text = std::fs::read_to_string(&topo).unwrap();
    let zone = text[text.find("[[zone]]").unwrap()..]
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    let svg = graph_svg(&topo, &["--zone", &zone]);
    assert_evidence(&format!("tier M zone {zone}"), &svg);
    let o = sansou(&["graph", &topo, "--format", "svg", "--zone", "no-such-zone"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such zone"));
}

#[test]
fn a_picture_taller_than_a_page_is_cut_between_boxes() {
    let page = tmp("diagram-geometry", "alpha.html");
    sansou(&[
        "report",
        "topologies/alpha-city.toml",
        "--policy",
        "policies/alpha.toml",
        "--lang",
        "ja",
        "--output",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    let figure = &html[html.find("<figure class=\"paged\">").unwrap()..];
    let figure = &figure[..figure.find("</figure>").unwrap()];
    let pieces: Vec<&str> = figure
        .split("<svg ")
        .skip(1)
        .map(|s| &s[..s.find("</svg>").unwrap()])
        .collect();
    assert!(pieces.len() >= 2, "alpha-city is taller than a page");
    let full = graph_svg(
        "topologies/alpha-city.toml",
        &["--policy", "policies/alpha.toml", "--lang", "ja"],
    );
    let all_boxes = boxes(&full);
    let mut next = 0.0;
    for (i, p) in pieces.iter().enumerate() {
        let head = &p[..p.find('>').unwrap()];
        let view: Vec<f64> = attr(head, "viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(view[1], next, "piece {i} follows the one before");
        // A4 text area: 186 x 267 mm, the 800 px width scaled to 186 mm.
        assert!(
            view[3] <= 800.0 * 267.0 / 186.0,
            "piece {i} is {} px",
            view[3]
        );
        next = view[1] + view[3];
        // No box is cut by the window's bottom.
        for (key, b) in &all_boxes {
            assert!(!(b.y < next && next < b.y + b.h), "{key} is cut at {next}");
        }
        assert_evidence(
            &format!("alpha-city page {}", i + 1),
            &format!("<svg {p}</svg>"),
        );
    }
    assert_eq!(next, num(&full[..full.find('>').unwrap()], "height"));
    assert_eq!(html.matches("id=\"diagram-legend\"").count(), 1);
}

#[test]
fn generated_tier_m_is_evidence_in_one_picture() {
    // 300 segments, 100 firewalls: the report draws it zone by zone, but `graph` without
    // `--zone` still gives one picture, and that too must not mislead.
    let topo = generated("M");
    assert_evidence("tier M", &graph_svg(&topo, &[]));
}
