//! Honest criteria: `check` and the report list every catalogue item with its status, label
//! interpretive rules, cite the guideline edition in force and resolve every source they cite.

use crate::common;

use common::{check_json, sansou};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    common::tmp("criteria", name)
}

const JPS: &str = "topologies/jps-2015.toml";
const ALPHA: &str = "topologies/alpha-city.toml";
const ALPHA_POLICY: &str = "policies/alpha.toml";

fn report(name: &str, args: &[&str]) -> String {
    let out = tmp(name);
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let p = out.to_str().unwrap().to_string();
    all.extend_from_slice(&["--output", &p]);
    let o = sansou(&all);
    std::fs::read_to_string(&out)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)))
}

/// The value of `name="..."` in the tag starting at `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = start + tag[start..].find('"')?;
    Some(&tag[start..end])
}

fn rows<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect()
}

/// The text a reader sees, without markup, identifiers set as code, the diagram and addresses.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<style", "</style>"),
        ("<svg", "</svg>"),
        ("<code", "</code>"),
        ("<td class=\"url\"", "</td>"),
    ] {
        while let Some(i) = s.find(open) {
            let j = i + s[i..].find(close).unwrap() + close.len();
            s.replace_range(i..j, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push('\n');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn check_counts_every_catalogue_item() {
    let json = check_json(&[JPS]);
    let items = json["catalogue"].as_array().unwrap();
    assert_eq!(items.len(), 62);
    let s = &json["catalogue_summary"];
    let sum: u64 = [
        "evaluated",
        "not_applied",
        "not_implemented",
        "manual_evidence",
    ]
    .iter()
    .map(|k| s[k].as_u64().unwrap())
    .sum();
    assert_eq!(sum, 62);
    // An item is evaluated exactly when the run has its rule's result.
    let evaluated: Vec<&str> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for i in items {
        let code = i["code"].as_str().unwrap();
        assert_eq!(
            i["status"] == "evaluated",
            evaluated.contains(&code),
            "{code}"
        );
        if i["status"] == "manual-evidence" {
            assert!(
                i["evidence_needed_ja"]
                    .as_str()
                    .is_some_and(|e| !e.is_empty())
            );
        }
    }
    let text = sansou(&["check", JPS, "--lang", "ja"]);
    let text = String::from_utf8(text.stdout).unwrap();
    let line = text.lines().last().unwrap();
    assert!(
        line.starts_with("ガイドライン項目 62 件: 自動評価 "),
        "{line}"
    );
}

#[test]
fn the_report_lists_every_item_with_the_check_status() {
    let json = check_json(&[ALPHA, "--policy", ALPHA_POLICY]);
    let expected: BTreeMap<&str, &str> = json["catalogue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["code"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    let html = report("alpha.html", &[ALPHA, "--policy", ALPHA_POLICY]);
    let got: BTreeMap<&str, &str> = rows(&html, "<tr data-item=")
        .iter()
        .map(|t| {
            (
                attr(t, "data-item").unwrap(),
                attr(t, "data-status").unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // Interpretive items carry the label and their reasoning.
    let zn001 = &html[html.find("<tr data-item=\"ZN-001\"").unwrap()..];
    let zn001 = &zn001[..zn001.find("</tr>").unwrap()];
    assert!(zn001.contains("data-interpretive=\"true\""), "{zn001}");
    assert!(zn001.contains(">解釈<"), "{zn001}");
    assert!(zn001.contains("解釈の理由:"), "{zn001}");
    // Items no design settles name their evidence.
    if let Some((code, (ja, _))) = manual_item() {
        let row = &html[html.find(&format!("<tr data-item=\"{code}\"")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&format!("証跡: {ja}")), "{row}");
    }
}

#[test]
fn every_cited_source_is_in_the_bibliography() {
    let html = report("jps.html", &[JPS]);
    let listed: Vec<&str> = rows(&html, "<tr data-key=")
        .iter()
        .map(|t| attr(t, "data-key").unwrap())
        .collect();
    assert!(listed.contains(&"GL"));
    let text = visible_text(&html);
    let mut cited = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let is_key = word.len() > 1
            && word.starts_with('S')
            && word[1..].bytes().all(|b| b.is_ascii_digit());
        if is_key && !cited.contains(&word) {
            cited.push(word);
        }
    }
    assert!(cited.contains(&"S28"), "{cited:?}");
    for k in &cited {
        assert!(
            listed.contains(k),
            "{k} is cited but not in the bibliography"
        );
    }
}

#[test]
fn the_japanese_paper_cites_no_internal_documents_and_has_no_backticks() {
    for (name, args) in [
        ("jps-ja.html", vec![JPS]),
        ("alpha-ja.html", vec![ALPHA, "--policy", ALPHA_POLICY]),
    ] {
        let html = report(name, &args);
        let text = visible_text(&html);
        for bad in [
            "`",
            "DESIGN",
            "JPS lesson",
            "sansou policy",
            "../shared",
            "deny",
            "warn",
            "policy rule",
        ] {
            assert!(!text.contains(bad), "{name}: `{bad}` in the Japanese paper");
        }
    }
}

#[test]
fn the_edition_in_force_is_cited() {
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ALPHA)).unwrap();
    let r43 = tmp("alpha-r4.3.toml");
    std::fs::write(
        &r43,
        src.replace("guideline = \"R6.10\"", "guideline = \"R4.3\""),
    )
    .unwrap();
    let r43 = r43.to_str().unwrap();
    let json = check_json(&[r43, "--policy", ALPHA_POLICY]);
    assert_eq!(json["guideline_edition"], "R4.3");
    let refs: Vec<&str> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["guideline"].as_str().unwrap())
        .collect();
    assert!(refs.iter().any(|g| g.contains("GL(R4.3)")), "{refs:?}");
    assert!(!refs.iter().any(|g| g.contains("GL(R6.10)")), "{refs:?}");
    let html = report("alpha-r4.3.html", &[r43, "--policy", ALPHA_POLICY]);
    assert!(html.contains("data-edition=\"R4.3\""));
    assert!(html.contains("令和4年3月版"));
    assert!(
        !html.contains("令和6年10月版)"),
        "only the edition in force is cited"
    );
}

#[test]
fn the_japanese_check_text_has_no_english_level_words_or_backticks() {
    for args in [
        vec!["check", JPS, "--lang", "ja"],
        vec!["check", ALPHA, "--policy", ALPHA_POLICY, "--lang", "ja"],
    ] {
        let text = String::from_utf8(sansou(&args).stdout).unwrap();
        for bad in [
            "`",
            "[deny]",
            "[warn]",
            "policy rule",
            "policy default",
            "(from ",
            "deny ",
            "warn ",
        ] {
            assert!(!text.contains(bad), "{args:?}: `{bad}` in\n{text}");
        }
        assert!(text.contains("結果: 不適合 "), "{text}");
    }
}

/// A catalogue item that still needs manual evidence (none once every item is evaluated).
pub fn manual_item() -> Option<(&'static str, (&'static str, &'static str))> {
    sansou::rules::catalogue::codes().find_map(|c| {
        let item = sansou::rules::catalogue::item_of(c)?;
        item.manual.map(|m| (c, m))
    })
}
