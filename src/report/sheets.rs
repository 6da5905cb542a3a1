//! The working paper as tables for spreadsheets: the checklist (every catalogue item and every
//! rule evaluated, with verdict and evidence), the findings, the firewall rule inventory, the
//! exceptions and the inputs with their hashes. `csv.rs` writes the checklist with its findings
//! as one CSV file; `xlsx.rs` writes every table as a sheet of a workbook. Cells are plain text:
//! a spreadsheet never evaluates them (see [`cell`]).

use super::names;
use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, catalogue, interpretation, sources};
use crate::source::SourceMap;

/// One table: a name (the sheet's), a header row and rows of text.
pub struct Sheet {
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// What the tables are made of.
pub struct Input<'a, 't> {
    pub reach: &'a Reachability<'t>,
    pub sources: &'a SourceMap,
    pub result: &'a CheckResult,
    pub policy: Option<&'a Policy>,
    pub policy_path: Option<&'a str>,
    pub lang: Lang,
}

/// A value from an input as a spreadsheet must show it: text starting with `=`, `+`, `-` or
/// `@` would be read as a formula by spreadsheet programs, so it gets a leading apostrophe.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn verdict_word(v: &str, lang: Lang) -> String {
    match (v, lang) {
        ("pass", Lang::Ja) => "合格".into(),
        ("fail", Lang::Ja) => "不合格".into(),
        ("unknown", Lang::Ja) => "判定不能".into(),
        ("accepted", Lang::Ja) => "受容".into(),
        (v, _) => v.into(),
    }
}

/// A finding's evidence in one line: the packet path with the rule of each hop, or the steps.
pub fn evidence_line(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    f: &Finding,
    lang: Lang,
) -> String {
    let topo = reach.topo;
    match &f.evidence {
        Some(Evidence::Packets {
            from,
            to,
            services,
            witness,
        }) => {
            let mut s = format!(
                "{} → {} ({services})",
                names::endpoint(topo, *from),
                names::endpoint(topo, *to)
            );
            if let Some(w) = witness {
                for h in &w.hops {
                    let decided: Vec<String> = h
                        .decisions
                        .iter()
                        .map(|d| {
                            format!(
                                "{} {} {}",
                                names::list_in(topo, h.firewall, d, lang),
                                names::verdict_in(d, lang),
                                names::decision_position(reach, sources, h.firewall, d)
                            )
                        })
                        .collect();
                    s.push_str(&format!(
                        " | {}: {}",
                        topo.firewalls[h.firewall].id,
                        decided.join(", ")
                    ));
                }
            }
            s
        }
        Some(Evidence::Steps(steps)) => steps
            .iter()
            .enumerate()
            .map(|(i, x)| format!("{}. {}", i + 1, x.get(lang)))
            .collect::<Vec<_>>()
            .join(" / "),
        None => String::new(),
    }
}

fn location(sources: &SourceMap, f: &Finding) -> String {
    f.loc
        .map(|l| sources.position(l).to_string())
        .unwrap_or_default()
}

fn exception_text(f: &Finding, lang: Lang) -> String {
    f.exception
        .as_ref()
        .map(|x| super::check::accepted_text(x, lang))
        .unwrap_or_default()
}

/// The title of a rule code in the reader's language (catalogue item, registry rule, or none).
fn title(code: &str, lang: Lang) -> String {
    if let Some(i) = catalogue::item_of(code) {
        return i.title(lang).to_string();
    }
    crate::rules::find(code)
        .map(|r| lang.pick(r.meta().ja.title, r.meta().en.title).to_string())
        .unwrap_or_default()
}

/// The checklist with each rule's findings under it: one row per catalogue item or rule, then
/// one row per finding of it. What `check --format csv` writes.
pub fn checklist_with_findings(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let checklist = checklist(i);
    let mut rows = Vec::new();
    for row in checklist.rows {
        let code = row[0].clone();
        rows.push(
            std::iter::once(lang.pick("規則", "rule").to_string())
                .chain(row)
                .chain(std::iter::repeat_n(String::new(), 5))
                .collect(),
        );
        for f in i.result.findings_of(&code) {
            let mut r = vec![lang.pick("指摘", "finding").to_string(), code.clone()];
            r.extend(std::iter::repeat_n(
                String::new(),
                checklist.header.len() - 1,
            ));
            r.extend([
                cell(&f.subject),
                f.message.get(lang).to_string(),
                location(i.sources, f),
                evidence_line(i.reach, i.sources, f, lang),
                exception_text(f, lang),
            ]);
            rows.push(r);
        }
    }
    let mut header = vec![lang.pick("行の種類", "row")];
    header.extend(checklist.header);
    header.extend([
        lang.pick("指摘の対象", "subject"),
        lang.pick("内容", "message"),
        lang.pick("記載場所", "location"),
        lang.pick("証跡", "evidence"),
        lang.pick("例外 (受容)", "exception"),
    ]);
    Sheet {
        name: lang.pick("チェックリストと指摘", "checklist and findings"),
        header,
        rows,
    }
}

/// Every catalogue item, then every evaluated rule outside the catalogue (attack, policy
/// hygiene, the policy's own checks), with status, level, verdict and counts.
pub fn checklist(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let res = i.result;
    let evaluated = |code: &str| res.results.iter().any(|x| x.code == code);
    let mut rows = Vec::new();
    let push = |code: &str,
                severity: String,
                tag: String,
                status: &str,
                needed: String,
                rows: &mut Vec<Vec<String>>| {
        let r = res.results.iter().find(|x| x.code == code);
        let interpretive = interpretation::is_interpretive(code);
        rows.push(vec![
            cell(code),
            title(code, lang),
            severity,
            tag,
            if interpretive {
                lang.pick("解釈", "interpretation").to_string()
            } else {
                String::new()
            },
            status.to_string(),
            r.map(|r| names::level_label(r.level, lang).to_string())
                .unwrap_or_default(),
            r.map(|r| {
                let v = match r.verdict {
                    crate::rules::Verdict::Pass if r.accepted > 0 => "accepted",
                    v => v.as_str(),
                };
                verdict_word(v, lang)
            })
            .unwrap_or_default(),
            r.map(|r| sources::localised(&r.guideline, lang))
                .unwrap_or_default(),
            r.map(|r| r.checked.to_string()).unwrap_or_default(),
            r.map(|r| r.failed.to_string()).unwrap_or_default(),
            r.map(|r| r.unknown.to_string()).unwrap_or_default(),
            r.map(|r| r.accepted.to_string()).unwrap_or_default(),
            needed,
        ]);
    };
    for item in catalogue::ITEMS {
        let status = catalogue::status(item, &evaluated);
        let mut needed: Vec<&str> = Vec::new();
        if let Some((ja, en)) = item.manual {
            needed.push(lang.pick(ja, en));
        }
        if let Some(why) = interpretation::reasoning(item.code, lang) {
            needed.push(why);
        }
        push(
            item.code,
            item.severity.label(lang).to_string(),
            catalogue::tag_label(item.tag, lang),
            status.label(lang),
            needed.join(" / "),
            &mut rows,
        );
    }
    for r in res
        .results
        .iter()
        .filter(|r| !catalogue::is_catalogue_code(&r.code))
    {
        let own = lang.pick("sansou 独自・ポリシー", "sansou or policy");
        push(
            &r.code,
            String::new(),
            own.to_string(),
            catalogue::Status::Evaluated.label(lang),
            interpretation::reasoning(&r.code, lang)
                .unwrap_or("")
                .to_string(),
            &mut rows,
        );
    }
    Sheet {
        name: lang.pick("チェックリスト", "checklist"),
        header: vec![
            lang.pick("コード", "code"),
            lang.pick("項目", "item"),
            lang.pick("義務", "obligation"),
            lang.pick("根拠の確度", "confidence"),
            lang.pick("解釈", "interpretation"),
            lang.pick("状態", "status"),
            lang.pick("レベル", "level"),
            lang.pick("判定", "verdict"),
            lang.pick("ガイドライン参照", "guideline reference"),
            lang.pick("対象数", "checked"),
            lang.pick("不合格", "failed"),
            lang.pick("判定不能", "unknown"),
            lang.pick("受容", "accepted"),
            lang.pick(
                "必要な証跡・解釈の理由",
                "evidence needed, or why interpreted",
            ),
        ],
        rows,
    }
}

pub fn findings(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let rows = i
        .result
        .findings
        .iter()
        .enumerate()
        .map(|(n, f)| {
            vec![
                (n + 1).to_string(),
                cell(&f.code),
                f.name.clone(),
                names::level_label(f.level, lang).to_string(),
                verdict_word(f.verdict.as_str(), lang),
                if f.exception.is_some() {
                    lang.pick("受容", "accepted")
                } else {
                    lang.pick("未対応", "open")
                }
                .to_string(),
                cell(&f.subject),
                f.message.get(lang).to_string(),
                location(i.sources, f),
                evidence_line(i.reach, i.sources, f, lang),
                exception_text(f, lang),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("指摘", "findings"),
        header: vec![
            lang.pick("番号", "no"),
            lang.pick("コード", "code"),
            lang.pick("規則", "rule"),
            lang.pick("レベル", "level"),
            lang.pick("判定", "verdict"),
            lang.pick("状態", "status"),
            lang.pick("対象", "subject"),
            lang.pick("内容", "message"),
            lang.pick("記載場所", "location"),
            lang.pick("証跡", "evidence"),
            lang.pick("例外 (受容)", "exception"),
        ],
        rows,
    }
}

/// Every rule of every firewall's policy list and interface filters, in order.
pub fn firewall_rules(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let topo = i.reach.topo;
    let mut rows = Vec::new();
    let join = |xs: Vec<String>| xs.join(", ");
    for fw in &topo.firewalls {
        let mut lists = vec![(lang.pick("ポリシー", "policy").to_string(), &fw.rules)];
        for f in &fw.filters {
            let name = match lang {
                Lang::Ja => names::filter_ja(f),
                Lang::En => format!("{} filter on {}", f.direction, f.interface.value),
            };
            lists.push((name, &f.rules));
        }
        for (list, rules) in lists {
            for (n, r) in rules.iter().enumerate() {
                rows.push(vec![
                    cell(&fw.id),
                    cell(&list),
                    (n + 1).to_string(),
                    r.action.as_str().to_string(),
                    cell(&join(r.from.iter().map(|s| s.value.to_string()).collect())),
                    cell(&join(r.to.iter().map(|s| s.value.to_string()).collect())),
                    cell(&join(
                        r.services.iter().map(|s| s.value.to_string()).collect(),
                    )),
                    cell(&join(
                        r.in_interfaces.iter().map(|s| s.value.clone()).collect(),
                    )),
                    cell(&join(
                        r.out_interfaces.iter().map(|s| s.value.clone()).collect(),
                    )),
                    r.log.to_string(),
                    cell(r.reason.as_deref().unwrap_or("")),
                    cell(r.origin.as_deref().unwrap_or("")),
                    i.sources.position(r.loc).to_string(),
                ]);
            }
        }
    }
    Sheet {
        name: lang.pick("ファイアウォールルール", "firewall rules"),
        header: vec![
            lang.pick("ファイアウォール", "firewall"),
            lang.pick("リスト", "list"),
            lang.pick("順番", "no"),
            lang.pick("動作", "action"),
            lang.pick("送信元", "from"),
            lang.pick("宛先", "to"),
            lang.pick("サービス", "services"),
            lang.pick("入力インターフェース", "in"),
            lang.pick("出力インターフェース", "out"),
            lang.pick("ログ", "log"),
            lang.pick("理由", "reason"),
            lang.pick("由来", "origin"),
            lang.pick("記載場所", "written at"),
        ],
        rows,
    }
}

pub fn exceptions(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let rows = i
        .policy
        .map(|p| p.exceptions.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|e| {
            let (expired, applied) = i.result.exception_state(e);
            let status = if expired {
                lang.pick("期限切れ", "expired").to_string()
            } else if applied == 0 {
                lang.pick("該当なし", "unused").to_string()
            } else {
                match lang {
                    Lang::Ja => format!("有効 (指摘 {applied} 件を受容)"),
                    Lang::En => format!("in force ({applied} accepted)"),
                }
            };
            vec![
                cell(&e.rule.value),
                cell(&e.subject),
                cell(&e.reason),
                cell(&e.approved_by),
                e.expires
                    .as_ref()
                    .map(|x| x.value.clone())
                    .unwrap_or_default(),
                status,
                i.sources.position(e.loc).to_string(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("例外", "exceptions"),
        header: vec![
            lang.pick("規則", "rule"),
            lang.pick("対象", "subject"),
            lang.pick("理由", "reason"),
            lang.pick("承認者", "approved by"),
            lang.pick("期限", "expires"),
            lang.pick("状態", "status"),
            lang.pick("記載場所", "written at"),
        ],
        rows,
    }
}

pub fn inputs(i: &Input<'_, '_>) -> Sheet {
    let lang = i.lang;
    let rows = i
        .sources
        .files()
        .map(|(_, f)| {
            vec![
                cell(&f.name),
                if i.policy_path == Some(f.name.as_str()) {
                    lang.pick("ポリシー", "policy")
                } else {
                    lang.pick("トポロジ", "topology")
                }
                .to_string(),
                f.text.len().to_string(),
                f.sha256().to_string(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("入力ファイル", "inputs"),
        header: vec![
            lang.pick("ファイル", "file"),
            lang.pick("種別", "role"),
            lang.pick("バイト数", "bytes"),
            "SHA-256",
        ],
        rows,
    }
}

/// Every table of the workbook, in the order of the working paper.
pub fn all(i: &Input<'_, '_>) -> Vec<Sheet> {
    vec![
        checklist(i),
        findings(i),
        firewall_rules(i),
        exceptions(i),
        inputs(i),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(super::cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::cell("-1"), "'-1");
        assert_eq!(super::cell("fw-mn"), "fw-mn");
    }
}
