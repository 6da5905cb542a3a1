//! `sansou report` (the HTML working paper) and `sansou graph --format svg`: escaping of every
//! input name, the page's security policy, determinism, the sections and their agreement with
//! `sansou check --format json`, and the SVG's layout (tiers in order, red violating paths,
//! no overlapping boxes on a generated topology of tens of segments).

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ESC_TOPO: &str = "tests/fixtures/report/escaping/topology.toml";
const ESC_POLICY: &str = "tests/fixtures/report/escaping/policy.toml";
const ALPHA: &str = "topologies/alpha-city.toml";

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("sansou runs")
}

/// A file of its own for each call: tests run in parallel, and several write the same report
/// (one removing or rewriting the file while another reads it made them flaky).
fn out_path(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_html")
        .join(n.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `sansou report` and returns the exit code and the page.
fn report(name: &str, extra: &[&str]) -> (Option<i32>, String) {
    let path = out_path(name);
    let _ = std::fs::remove_file(&path);
    let mut args = vec!["report"];
    args.extend_from_slice(extra);
    let p = path.to_str().unwrap().to_string();
    args.extend_from_slice(&["--output", &p]);
    let o = sansou(&args);
    let html = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no report written: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), html)
}

fn escaping_report() -> String {
    report("escaping.html", &[ESC_TOPO, "--policy", ESC_POLICY]).1
}

/// Every start tag's name, in order (`<!DOCTYPE` and end tags left out).
fn tag_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        names.push(name);
    }
    names
}

/// The value of an attribute in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let end = tag[i..].find('"')?;
    Some(tag[i..i + end].to_string())
}

/// Every start tag (its text up to `>`) whose text contains `marker`.
fn tags_with<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..end];
        if tag.contains(marker) {
            found.push(tag);
        }
        rest = &rest[end..];
    }
    found
}

fn svg_of(html: &str) -> &str {
    let start = html.find("<svg").expect("an SVG in the page");
    let end = html.find("</svg>").expect("the SVG ends") + "</svg>".len();
    &html[start..end]
}

#[test]
fn names_with_markup_are_shown_literally_and_nothing_runs() {
    let html = escaping_report();
    // Only the elements sansou writes: no <script>, <img> or <svg onload> from the input.
    let allowed = [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "footer",
        "section",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "code",
        "em",
        "strong",
        "br",
        "a",
        "ol",
        "ul",
        "li",
        "article",
        "figure",
        "figcaption",
        "svg",
        "g",
        "rect",
        "text",
        "line",
        "polygon",
        "polyline",
        "ellipse",
    ];
    for name in tag_names(&html) {
        assert!(
            allowed.contains(&name.as_str()),
            "unexpected element <{name}>"
        );
    }
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<svg onload"));
    // No event handler attribute on any element (values are quoted and escaped, so dropping
    // the quoted parts leaves the attribute names).
    for tag in tags_with(&html, "") {
        let unquoted: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        for word in unquoted.split_whitespace().skip(1) {
            let name = word.split('=').next().unwrap().to_ascii_lowercase();
            assert!(!name.starts_with("on"), "event handler in {tag}");
        }
    }
    // The names are there, escaped.
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt; 市 &amp; &quot;町&quot;",
        "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
        "&lt;svg onload=alert(3)&gt;クラウド",
        "&lt;/text&gt;&lt;script&gt;alert",
        "ISP &amp; 回線",
        "保守回線 &quot;&gt;&lt;img src=x onerror=alert(7)&gt;",
        "&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt; 更新配信",
        "CISO &quot;&gt;&lt;img src=x onerror=alert(9)&gt; &amp; 山田",
        "ポリシー &lt;script&gt;alert(&#39;policy&#39;)&lt;/script&gt;",
    ] {
        assert!(html.contains(escaped), "missing {escaped}");
    }
}

#[test]
fn the_page_forbids_scripts_and_fetches_nothing() {
    let html = escaping_report();
    let csp = tags_with(&html, "Content-Security-Policy");
    assert_eq!(csp.len(), 1, "{csp:?}");
    let content = attr(csp[0], "content").unwrap();
    let directives: Vec<&str> = content.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'none'"), "{content}");
    assert!(
        directives.contains(&"style-src 'unsafe-inline'"),
        "{content}"
    );
    assert!(directives.contains(&"img-src data:"), "{content}");
    assert!(!content.contains("script-src"), "{content}");
    // Self-contained: no URL of any kind, no external stylesheet or image.
    for needle in ["http:", "https:", "//", " src=\"", "<link"] {
        let outside_text = tags_with(&html, needle);
        assert!(outside_text.is_empty(), "{needle}: {outside_text:?}");
    }
    assert!(!html.contains("http://") && !html.contains("https://"));
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (_, a) = report("det-a.html", &[ESC_TOPO, "--policy", ESC_POLICY]);
    let (_, b) = report("det-b.html", &[ESC_TOPO, "--policy", ESC_POLICY]);
    assert!(a == b, "two runs differ");
    // The date comes from SOURCE_DATE_EPOCH (1700000000 is 2023-11-14).
    assert!(a.contains("<td>2023-11-14</td>"));
}

#[test]
fn japanese_by_default_english_on_request() {
    let (_, ja) = report("lang-ja.html", &[ESC_TOPO]);
    assert!(ja.contains("<html lang=\"ja\">"));
    assert!(ja.contains("監査調書"));
    assert!(ja.contains("ゾーン間マトリクス"));
    let (_, en) = report("lang-en.html", &[ESC_TOPO, "--lang", "en"]);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Audit working paper"));
    assert!(en.contains("Zone-to-zone matrix"));
    assert!(!en.contains("ゾーン間マトリクス"));
}

#[test]
fn sections_come_in_working_paper_order() {
    let html = escaping_report();
    let ids = [
        "paper-head",
        "scope",
        "inputs",
        "criteria",
        "summary",
        "diagram-section",
        "zone-matrix",
        "rule-results",
        "findings",
        "attack-paths",
        "exceptions",
        "lint",
        "signoff",
    ];
    let mut last = 0;
    for id in ids {
        let at = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no element with id {id}"));
        assert!(at > last, "{id} is out of order");
        last = at;
    }
    // Blank fields for the reviewer and the approver.
    for field in ["reviewer", "approver"] {
        let row = tags_with(&html, &format!("data-field=\"{field}\""));
        assert_eq!(row.len(), 1, "{field}");
    }
}

#[test]
fn inputs_are_listed_with_their_sha256() {
    let html = escaping_report();
    for path in [ESC_TOPO, ESC_POLICY] {
        let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        let digest: String = Sha256::digest(&text)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let row_start = html
            .find(&format!("<tr data-path=\"{path}\">"))
            .unwrap_or_else(|| panic!("no row for {path}"));
        let row = &html[row_start..row_start + html[row_start..].find("</tr>").unwrap()];
        assert!(row.contains(&digest), "{path}: {row}");
    }
}

/// The rules and findings agree with `sansou check --format json` on the same inputs.
#[test]
fn rules_and_findings_match_the_check_output() {
    for (name, args) in [
        ("agree-esc.html", vec![ESC_TOPO, "--policy", ESC_POLICY]),
        ("agree-alpha.html", vec![ALPHA]),
    ] {
        let (_, html) = report(name, &args);
        let mut check_args = vec!["check"];
        check_args.extend_from_slice(&args);
        check_args.extend_from_slice(&["--format", "json"]);
        let o = sansou(&check_args);
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("check JSON");
        let rows: BTreeMap<String, String> = tags_with(&html, "<tr data-code=")
            .iter()
            .map(|t| {
                (
                    attr(t, "data-code").unwrap(),
                    attr(t, "data-verdict").unwrap(),
                )
            })
            .collect();
        let rules = json["rules"].as_array().unwrap();
        assert_eq!(rows.len(), rules.len(), "{name}");
        for r in rules {
            let code = r["code"].as_str().unwrap();
            let mut want = r["verdict"].as_str().unwrap().to_string();
            if want == "pass" && r["accepted"].as_u64().unwrap() > 0 {
                want = "accepted".into();
            }
            assert_eq!(rows.get(code), Some(&want), "{name} {code}");
        }
        let findings = json["findings"].as_array().unwrap();
        let articles = tags_with(&html, "<article class=\"finding")
            .into_iter()
            .filter(|t| t.contains("data-code="))
            .count();
        assert_eq!(articles, findings.len(), "{name}");
        let s = &json["summary"];
        let counts = tags_with(&html, "id=\"summary-counts\"")[0];
        for k in ["deny", "warn", "accepted", "unknown"] {
            assert_eq!(
                attr(counts, &format!("data-{k}")),
                Some(s[k].to_string()),
                "{name} {k}"
            );
        }
    }
}

#[test]
fn exceptions_show_whether_they_are_in_force() {
    let html = escaping_report();
    let rows: Vec<(String, String)> = tags_with(&html, "<tr data-status=")
        .iter()
        .map(|t| {
            (
                attr(t, "data-rule").unwrap(),
                attr(t, "data-status").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("IN-001".to_string(), "accepted".to_string()),
            ("MN-004".to_string(), "expired".to_string()),
        ]
    );
    // The accepted finding is marked so; the other server's finding still stands.
    let in001: Vec<(String, String)> = tags_with(&html, "data-code=\"IN-001\" data-level")
        .iter()
        .map(|t| {
            (
                attr(t, "data-subject").unwrap(),
                attr(t, "data-status").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        in001,
        vec![
            // The sanitizer's interface and every undeclared address of the segment get out
            // as the servers do (any device plugged in there is an endpoint). The open ones
            // are let through by the same rule, so they sit together in its group, and the
            // accepted one stands alone after them.
            (
                "gateway:mufuka-&gt;external:isp".to_string(),
                "open".to_string()
            ),
            (
                "host:lg-ap-&gt;external:isp".to_string(),
                "open".to_string()
            ),
            (
                "undeclared:lg-servers-&gt;external:isp".to_string(),
                "open".to_string()
            ),
            (
                "host:lg-wsus-&gt;external:isp".to_string(),
                "accepted".to_string()
            ),
        ]
    );
}

#[test]
fn evidence_names_the_rule_of_every_hop() {
    let html = escaping_report();
    let start = html
        .find("data-subject=\"host:lg-ap-&gt;external:isp\"")
        .unwrap();
    let article = &html[start..start + html[start..].find("</article>").unwrap()];
    assert!(
        article.contains("data-firewall=\"fw-lg-maint\""),
        "{article}"
    );
    assert!(article.contains("ポリシー ルール 1 許可"), "{article}");
    assert!(
        article.contains("tests/fixtures/report/escaping/topology.toml:129:1"),
        "{article}"
    );
}

#[test]
fn the_attack_section_reports_each_personal_data_store() {
    let html = escaping_report();
    let section = tags_with(&html, "id=\"attack-paths\"")[0];
    assert_eq!(attr(section, "data-included").as_deref(), Some("true"));
    let stores: Vec<String> = tags_with(&html, "data-store=")
        .iter()
        .map(|t| attr(t, "data-store").unwrap())
        .collect();
    assert_eq!(stores, vec!["juki-db".to_string()]);
}

#[test]
fn violating_paths_are_red_in_the_diagram() {
    let html = escaping_report();
    let svg = svg_of(&html);
    let mut red: Vec<(String, String)> = tags_with(svg, "data-violation=\"true\"")
        .iter()
        .map(|t| (attr(t, "data-from").unwrap(), attr(t, "data-to").unwrap()))
        .collect();
    red.sort();
    // The standing IN-001 path: lg-servers → fw-lg-maint → isp. The accepted one adds
    // nothing, and no other edge is red.
    assert_eq!(
        red,
        vec![
            (
                "firewall:fw-lg-maint".to_string(),
                "external:isp".to_string()
            ),
            (
                "firewall:fw-lg-maint".to_string(),
                "segment:lg-servers".to_string()
            ),
        ]
    );
    assert!(svg.contains("id=\"diagram-legend\""));
}

#[test]
fn report_exit_codes_follow_the_check() {
    let (code, _) = report("exit.html", &[ESC_TOPO, "--policy", ESC_POLICY]);
    assert_eq!(code, Some(1), "a deny-level finding stands");
    let path = out_path("never.html");
    let _ = std::fs::remove_file(&path);
    let o = sansou(&[
        "report",
        "tests/fixtures/invalid/bad-services.toml",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!path.exists(), "nothing is written for invalid input");
}

// ---- the SVG ----

fn graph_svg(topology: &str) -> String {
    crate::diagram_geometry::graph_svg(topology, &["--lang", "ja"])
}

#[test]
fn graph_svg_is_the_report_picture() {
    let svg = graph_svg(ESC_TOPO);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"diagram\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg, graph_svg(ESC_TOPO), "deterministic");
    // Without a policy's exception both IN-001 paths stand in the report; the graph marks
    // nothing. Apart from the namespace and the red marks, the pictures are the same.
    let (_, html) = report("same-picture.html", &[ESC_TOPO]);
    let inline = svg_of(&html).replace(" data-violation=\"true\"", "");
    let inline = inline
        .replace("class=\"edge sv-violation\"", "class=\"edge sv-edge\"")
        .replace(" sv-on-path\"", "\"")
        .replace(" data-on-path=\"true\"", "");
    // The finding numbers: the tags on red lines, and the numbers in their tooltips (a second
    // line of the title, ending the element).
    let mut kept: Vec<String> = Vec::new();
    for l in inline.lines() {
        if l.starts_with("<g class=\"tag sv-tag-finding\"") {
            continue;
        }
        match l.strip_prefix("不適合の指摘: ") {
            Some(rest) => {
                let end = &rest[rest.find("</title>").unwrap()..];
                kept.last_mut().unwrap().push_str(end);
            }
            None => kept.push(l.to_string()),
        }
    }
    let inline = kept.join("\n") + "\n";
    let standalone = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    // Red edges are drawn after the others; compare the sets of lines, and the rest in order.
    // The legends differ (the report checked the rules, the graph did not): compare without.
    let without_legend = |s: &str| {
        let start = s.find("<g class=\"sv-legend").unwrap();
        let end = start + s[start..].find("</g>").unwrap();
        format!("{}{}", &s[..start], &s[end..])
    };
    let (inline, standalone) = (without_legend(&inline), without_legend(&standalone));
    let lines = |s: &str| {
        let mut v: Vec<String> = s.lines().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(lines(&inline), lines(standalone.trim_end()));
}

/// The whole picture of the escaping fixture, pinned: a change of layout or escaping shows
/// up here for review (`cargo insta review`).
#[test]
fn the_escaping_fixture_svg_is_pinned() {
    insta::assert_snapshot!("escaping_svg", graph_svg(ESC_TOPO));
}

#[test]
fn tiers_are_drawn_top_to_bottom_whatever_the_input_order() {
    let svg = graph_svg(ESC_TOPO);
    let bands: Vec<(String, i64)> = tags_with(&svg, "<g class=\"band\"")
        .iter()
        .map(|t| {
            (
                attr(t, "data-band").unwrap(),
                attr(t, "data-y").unwrap().parse().unwrap(),
            )
        })
        .collect();
    let names: Vec<&str> = bands.iter().map(|(b, _)| b.as_str()).collect();
    assert_eq!(names, ["internet", "lgwan", "mynumber"]);
    assert!(bands.windows(2).all(|w| w[0].1 < w[1].1), "{bands:?}");
    // The security cloud sits above the internet tier, the sanitizer between it and LGWAN.
    let top_of = |key: &str| {
        let i = svg.find(&format!("data-key=\"{key}\"")).unwrap();
        let shape = &svg[i..i + svg[i..].find("</g>").unwrap()];
        attr(shape, "cy")
            .or_else(|| attr(shape, "y"))
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    assert!(top_of("external:pref-cloud") < bands[0].1);
    let gw = top_of("gateway:mufuka");
    assert!(bands[0].1 < gw && gw < bands[1].1, "{gw} {bands:?}");
}

/// Boxes of every node: segments, firewalls, gateways and externals.
fn node_boxes(svg: &str) -> Vec<(String, [i64; 4])> {
    let mut boxes = Vec::new();
    for g in tags_with(svg, "<g class=\"node ") {
        let key = attr(g, "data-key").unwrap();
        let i = svg.find(g).unwrap() + g.len();
        let shape_start = svg[i..].find("</title>").unwrap() + i + "</title>".len();
        let shape = &svg[shape_start..shape_start + svg[shape_start..].find('>').unwrap()];
        let n = |k: &str| attr(shape, k).unwrap().parse::<i64>().unwrap();
        let b = if shape.starts_with("<ellipse") {
            [
                n("cx") - n("rx"),
                n("cy") - n("ry"),
                2 * n("rx"),
                2 * n("ry"),
            ]
        } else if shape.starts_with("<polygon") {
            let pts: Vec<(i64, i64)> = attr(shape, "points")
                .unwrap()
                .split(' ')
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            let x0 = pts.iter().map(|p| p.0).min().unwrap();
            let x1 = pts.iter().map(|p| p.0).max().unwrap();
            let y0 = pts.iter().map(|p| p.1).min().unwrap();
            let y1 = pts.iter().map(|p| p.1).max().unwrap();
            [x0, y0, x1 - x0, y1 - y0]
        } else {
            [n("x"), n("y"), n("width"), n("height")]
        };
        boxes.push((key, b));
    }
    boxes
}

#[test]
fn tens_of_segments_lay_out_without_overlap() {
    let dir = out_path("gen-s");
    let o = sansou(&[
        "generate",
        "--tier",
        "S",
        "--seed",
        "7",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let topo = dir.join("topology.toml");
    let svg = graph_svg(topo.to_str().unwrap());
    let text = std::fs::read_to_string(&topo).unwrap();
    let segments = text.matches("[[segment]]").count();
    assert!(segments >= 40, "{segments}");
    let boxes = node_boxes(&svg);
    let seg_boxes = boxes
        .iter()
        .filter(|(k, _)| k.starts_with("segment:"))
        .count();
    assert_eq!(seg_boxes, segments, "every segment is drawn");
    let view = attr(&svg[..svg.find('>').unwrap()], "viewBox").unwrap();
    let dims: Vec<i64> = view.split(' ').map(|v| v.parse().unwrap()).collect();
    for (i, (ka, a)) in boxes.iter().enumerate() {
        assert!(
            a[0] >= 0 && a[1] >= 0 && a[0] + a[2] <= dims[2] && a[1] + a[3] <= dims[3],
            "{ka} {a:?} outside {dims:?}"
        );
        for (kb, b) in &boxes[i + 1..] {
            let apart = a[0] + a[2] <= b[0]
                || b[0] + b[2] <= a[0]
                || a[1] + a[3] <= b[1]
                || b[1] + b[3] <= a[1];
            assert!(apart, "{ka} {a:?} overlaps {kb} {b:?}");
        }
    }
}

#[test]
fn the_fix_search_can_be_left_out() {
    let jps = "topologies/jps-2015.toml";
    let (_, with) = report("fix.html", &[jps]);
    assert!(with.contains("<ul class=\"fix\">"));
    assert!(!with.contains("id=\"attack-no-fix\""));
    let (_, without) = report("no-fix.html", &[jps, "--no-fix"]);
    assert!(!without.contains("<ul class=\"fix\">"));
    assert!(without.contains("id=\"attack-no-fix\""));
    // Leaving the fix out changes nothing else about the stores.
    let stores = |html: &str| -> Vec<String> {
        tags_with(html, "data-store=")
            .iter()
            .map(|t| t.to_string())
            .collect()
    };
    assert_eq!(stores(&with), stores(&without));
    assert!(!stores(&with).is_empty());
}

/// The rule-list warnings of `validate` are a section of their own, with their count.
#[test]
fn rule_list_warnings_are_listed_with_their_count() {
    let (_, html) = report(
        "lint.html",
        &["tests/fixtures/lint/rules.toml", "--lang", "en"],
    );
    let count = tags_with(&html, "id=\"lint-count\"");
    assert_eq!(count.len(), 1);
    assert_eq!(attr(count[0], "data-count").as_deref(), Some("3"));
    let section = &html[html.find("id=\"lint\"").unwrap()..html.find("id=\"signoff\"").unwrap()];
    assert_eq!(section.matches("<tr><td>").count(), 3, "{section}");
    assert!(section.contains("can never match"), "{section}");
}
