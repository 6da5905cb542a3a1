//! Spreadsheet exports, read back: `check --format csv` (UTF-8 with a byte-order mark) and
//! `report --format xlsx` (a workbook of checklist, findings, firewall rules, exceptions and
//! inputs), each agreeing with `check --format json`.

use calamine::{Data, Reader, Xlsx, open_workbook};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::common;

use common::{check_json, sansou};

fn tmp(name: &str) -> PathBuf {
    common::tmp("exports", name)
}

const JPS: &str = "topologies/jps-2015.toml";
const ALPHA: &str = "topologies/alpha-city.toml";
const ALPHA_POLICY: &str = "policies/alpha.toml";

/// A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_is_utf8_with_bom_and_holds_the_checklist_and_findings() {
    let o = sansou(&["check", JPS, "--format", "csv", "--lang", "ja"]);
    assert_eq!(o.status.code(), Some(1), "the exit code follows the check");
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    let rows = parse_csv(body);
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "rectangular");
    assert_eq!(rows[0][0], "行の種類");
    let json = check_json(&[JPS]);
    let rule_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "規則").collect();
    let finding_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "指摘").collect();
    let outside_catalogue = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            !json["catalogue"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["code"] == r["code"])
        })
        .count();
    assert_eq!(rule_rows.len(), 62 + outside_catalogue);
    assert_eq!(
        finding_rows.len(),
        json["findings"].as_array().unwrap().len()
    );
    // Japanese intact, and ATK-001's verdict as the check gives it.
    let atk = rule_rows.iter().find(|r| r[1] == "ATK-001").unwrap();
    assert_eq!(atk[8], "不合格");
    assert!(atk[2].contains("個人情報"), "{atk:?}");
}

#[test]
fn the_workbook_reads_back_with_every_table() {
    let out = tmp("alpha.xlsx");
    let o = sansou(&[
        "report",
        ALPHA,
        "--policy",
        ALPHA_POLICY,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut book: Xlsx<_> = open_workbook(&out).expect("a workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "チェックリスト",
            "指摘",
            "ファイアウォールルール",
            "例外",
            "入力ファイル"
        ]
    );
    let rows = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<String>> {
        book.worksheet_range(name)
            .unwrap()
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    };
    let json = check_json(&[ALPHA, "--policy", ALPHA_POLICY]);
    let checklist = rows(&mut book, "チェックリスト");
    assert_eq!(checklist[0][0], "コード");
    assert!(checklist.iter().any(|r| r[0] == "MN-001" && r[7] == "合格"));
    if let Some((code, (ja, _))) = super::criteria::manual_item() {
        assert!(checklist.iter().any(|r| r[0] == code && r[13].contains(ja)));
    }
    let findings = rows(&mut book, "指摘");
    assert_eq!(
        findings.len() - 1,
        json["findings"].as_array().unwrap().len()
    );
    let accepted = findings
        .iter()
        .find(|r| r[5] == "受容")
        .expect("the exception");
    assert!(accepted[10].contains("山田太郎"), "{accepted:?}");
    let fw = rows(&mut book, "ファイアウォールルール");
    let topo = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ALPHA)).unwrap();
    let rules_written = topo.matches("[[firewall.rule]]").count()
        + topo.matches("[[firewall.filter.rule]]").count();
    assert_eq!(fw.len() - 1, rules_written);
    let exceptions = rows(&mut book, "例外");
    assert_eq!(exceptions.len() - 1, 1);
    assert_eq!(exceptions[1][1], "fw-juki/pref-to-cs");
    let inputs = rows(&mut book, "入力ファイル");
    let sha: String = Sha256::digest(topo.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        inputs.iter().any(|r| r[0] == ALPHA && r[3] == sha),
        "{inputs:?}"
    );
}

#[test]
fn the_same_inputs_give_the_same_workbook() {
    let a = tmp("a.xlsx");
    let b = tmp("b.xlsx");
    for p in [&a, &b] {
        sansou(&[
            "report",
            JPS,
            "--format",
            "xlsx",
            "--output",
            p.to_str().unwrap(),
        ]);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}
