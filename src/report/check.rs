//! Output of `sansou check`: text grouped by rule, and JSON.
//!
//! JSON shape (docs/OUTPUTS.md; fields are only ever added):
//!
//! ```text
//! { "schema_version": 1, "tool": {name, version}, "inputs": [{path, sha256}],
//!   "model": "alpha", "model_source": "policy|topology|default", "profile": "alpha",
//!   "date": "2026-11-22", "guideline_edition": "R6.10",
//!   "catalogue_summary": {items, evaluated, not_applied, not_implemented, manual_evidence},
//!   "catalogue": [{code, title, title_ja, severity, tag, interpretive, status,
//!                  evidence_needed?, evidence_needed_ja?}],
//!   "summary": {deny, warn, accepted, unknown},
//!   "rules": [{code, name, level, verdict, guideline, checked, failed, unknown, accepted}],
//!   "findings": [{code, name, level, verdict, message, message_ja, subject,
//!                 location {file, line, column} | null,
//!                 path [hops] (packet witness hops; [] when none),
//!                 evidence {kind: "packets", from, to, services, witness} | {kind: "steps", steps},
//!                 approximated? (true when it rests on an imported rule read approximately),
//!                 exception? {reason, approved_by, expires},
//!                 fingerprint (code and subject, `rules::fingerprint`),
//!                 content | null (what an exception's `accepted` pins, `rules::content`),
//!                 group? (the fingerprint of its group in `groups`)}],
//!   "groups": [{fingerprint, code, name ("fw-lg/3 + fw-mn/3"),
//!               rules [{subject, firewall, list, default, content | null, location}],
//!               count, findings [finding fingerprints]}] }
//! ```

use super::names;
use super::paths::{witness_json, witness_text};
use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::model::Topology;
use crate::model::policy::Level;
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, Verdict, catalogue, group};
use crate::source::SourceMap;
use serde_json::{Value, json};
use std::fmt::Write;

fn mark(f: &Finding) -> &'static str {
    mark_of(f.exception.is_some(), f.verdict, f.level)
}

/// A finding's mark in text output: ✓ accepted by an exception, ? unknown, ✗ deny, ! warn.
pub(crate) fn mark_of(accepted: bool, verdict: Verdict, level: Level) -> &'static str {
    if accepted {
        "✓"
    } else if verdict == Verdict::Unknown {
        "?"
    } else if level == Level::Deny {
        "✗"
    } else {
        "!"
    }
}

fn evidence_text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    e: &Evidence,
    lang: Lang,
    out: &mut String,
) {
    match e {
        Evidence::Packets {
            from,
            to,
            services,
            witness,
        } => {
            let _ = writeln!(
                out,
                "    {} {} → {}: {}",
                lang.pick("経路", "path"),
                names::endpoint(reach.topo, *from),
                names::endpoint(reach.topo, *to),
                services
            );
            if let Some(w) = witness {
                let mut inner = String::new();
                witness_text(reach, sources, w, lang, &mut inner);
                for line in inner.lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        Evidence::Steps(steps) => {
            for (i, s) in steps.iter().enumerate() {
                let _ = writeln!(out, "    {}. {}", i + 1, s.get(lang));
            }
        }
    }
}

/// An accepted finding's exception in words: `REASON (approved by: WHO, until DATE)`.
pub fn accepted_text(x: &crate::rules::engine::Accepted, lang: Lang) -> String {
    format!(
        "{} ({}: {}{})",
        x.reason,
        lang.pick("承認", "approved by"),
        x.approved_by,
        x.expires
            .as_ref()
            .map(|e| format!(", {} {e}", lang.pick("期限", "until")))
            .unwrap_or_default()
    )
}

/// How many findings of one rule, and how many causing firewall rules, the text of `check`
/// shows before `… and N more: --all`. JSON, SARIF and the report keep everything.
pub const SHOWN: usize = 10;

/// One finding: its subject and message, where it is written, its evidence and exception.
fn finding_text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    origins: &names::Origins<'_>,
    f: &Finding,
    lang: Lang,
    out: &mut String,
) {
    let _ = writeln!(out, "  {} {}: {}", mark(f), f.subject, f.message.get(lang));
    if let Some(loc) = f.loc {
        let origin = origins
            .at(loc)
            .map(|o| format!("  ({} {o})", lang.pick("設定", "from")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} {}{origin}",
            lang.pick("場所", "at"),
            sources.position(loc)
        );
        if let Some(approx) = origins.approximation(loc) {
            let _ = writeln!(out, "    ≈ {approx}");
        }
    }
    if let Some(e) = &f.evidence {
        evidence_text(reach, sources, e, lang, out);
    }
    if let Some(x) = &f.exception {
        let _ = writeln!(
            out,
            "    {} {}",
            lang.pick("受容済み:", "accepted:"),
            accepted_text(x, lang)
        );
    }
}

/// A group of findings with one cause: the rules that let their packets through (each with
/// its match fields and where it is written), the findings underneath (at most `shown`), and
/// the first finding's evidence as the example.
fn group_text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    g: &group::Group,
    lang: Lang,
    shown: usize,
    out: &mut String,
) {
    let topo = reach.topo;
    let first = &result.findings[g.members[0]];
    let n = g.members.len();
    let _ = writeln!(
        out,
        "  {} {}: {}",
        mark(first),
        g.name(),
        match (lang, g.rules.len()) {
            (Lang::Ja, 1) => format!("このルールが通す {n} 件"),
            (Lang::Ja, _) => format!("これらのルールが通す {n} 件"),
            (Lang::En, 1) => format!("{n} findings let through by this rule"),
            (Lang::En, _) => format!("{n} findings let through by these rules"),
        }
    );
    for c in &g.rules {
        let pos = names::decision_position(reach, sources, c.firewall, &c.decision);
        let what = match names::decision_rule(topo, c.firewall, &c.decision) {
            Some(rule) => {
                let mut what = crate::rules::content::rule_text(rule);
                if let Some(origin) = &rule.origin {
                    let _ = write!(what, "  ({} {origin})", lang.pick("設定", "from"));
                }
                if let Some(reason) = &rule.reason {
                    let _ = write!(what, "  「{reason}」");
                }
                // An imported rule read approximately (docs/IMPORTERS.md), as witnesses mark it.
                if let Some(approx) = &rule.approximation {
                    let _ = write!(what, "  ≈ {approx}");
                }
                what
            }
            None => lang.pick("既定で許可", "allowed by default").to_string(),
        };
        let _ = writeln!(
            out,
            "    {} {}: {what}  {pos}",
            lang.pick("ルール", "rule"),
            c.subject
        );
    }
    // The members share the message's pattern; each line says what differs: the pair and
    // its services. The first member's message and evidence follow as the example.
    for &m in g.members.iter().take(shown) {
        let f = &result.findings[m];
        let services = match &f.evidence {
            Some(Evidence::Packets { services, .. }) => services.to_string(),
            _ => String::new(),
        };
        let _ = writeln!(out, "    {} {}: {services}", mark(f), f.subject);
    }
    let left = n.saturating_sub(shown);
    if left > 0 {
        out.push_str("  ");
        super::causes::more(left, lang, out);
    }
    if let Some(e) = &first.evidence {
        let _ = writeln!(
            out,
            "    {} {}: {}",
            lang.pick("例", "e.g."),
            first.subject,
            first.message.get(lang)
        );
        evidence_text(reach, sources, e, lang, out);
    }
}

/// Every finding, in full (the text of tests and of `check --all`).
pub fn text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    lang: Lang,
) -> String {
    text_capped(reach, sources, result, lang, None)
}

/// The text of `check`: with `cap`, the firewall rules behind the most findings first, then per
/// rule code at most `cap` entries, an entry being one finding or a group of findings with one
/// cause (`rules::group`: the firewall rules named once, at most `cap` of its pairs beneath).
pub fn text_capped(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    lang: Lang,
    cap: Option<usize>,
) -> String {
    let topo = reach.topo;
    let origins = names::Origins::new(topo);
    let mut out = String::new();
    let name = topo.meta.name.as_deref().unwrap_or("(unnamed)");
    let source = match result.model_source {
        "policy" => lang.pick("ポリシーによる", "from the policy"),
        "topology" => lang.pick("トポロジの宣言による", "declared by the topology"),
        _ => lang.pick("宣言がないため既定", "none declared: default"),
    };
    let _ = writeln!(
        out,
        "{name}: {} {} ({source}), {} {}, {}",
        lang.pick("モデル", "model"),
        result.model,
        lang.pick("プロファイル", "profile"),
        result.profile,
        result.today
    );
    if let Some(cap) = cap {
        super::causes::text(&super::causes::causes(reach, result), cap, lang, &mut out);
    }
    // The capped text shows findings with one cause as one entry; the full text, every
    // finding on its own.
    let groups = match cap {
        Some(_) => group::groups(topo, &result.findings),
        None => Vec::new(),
    };
    let member_of = group::membership(&groups, result.findings.len());
    for r in &result.results {
        let findings = result.findings_of(&r.code);
        if findings.is_empty() {
            continue;
        }
        let interpretive = if crate::rules::interpretation::is_interpretive(&r.code) {
            lang.pick("  [解釈]", "  [interpretation]")
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\n{} {} [{}]  {}{interpretive}",
            r.code,
            r.name,
            names::level_label(r.level, lang),
            crate::rules::sources::localised(&r.guideline, lang)
        );
        // Entries: a group of findings with one cause, at its first finding, or one finding.
        let shown = cap.unwrap_or(usize::MAX);
        let mut entries = 0;
        let mut printed = vec![false; groups.len()];
        for (i, f) in result.findings.iter().enumerate() {
            if f.code != r.code {
                continue;
            }
            if let Some(g) = member_of[i] {
                if std::mem::replace(&mut printed[g], true) {
                    continue;
                }
                entries += 1;
                if entries <= shown {
                    group_text(reach, sources, result, &groups[g], lang, shown, &mut out);
                }
            } else {
                entries += 1;
                if entries <= shown {
                    finding_text(reach, sources, &origins, f, lang, &mut out);
                }
            }
        }
        super::causes::more(entries.saturating_sub(shown), lang, &mut out);
    }
    let s = result.summary();
    let passed = result
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Pass)
        .count();
    let failed = result
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .count();
    let unknown = result
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Unknown)
        .count();
    let approximated = result
        .findings
        .iter()
        .filter(|f| rests_on_approximation(topo, &origins, f))
        .count();
    if approximated > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            match lang {
                Lang::Ja => format!(
                    "≈ {approximated} 件の指摘は、取り込んだ設定の近似 (≈ の付いたルール) に基づく: 機器での確認が必要"
                ),
                Lang::En => format!(
                    "≈ {approximated} finding(s) rest on imported rules read approximately (marked ≈): confirm them on the device"
                ),
            }
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        match lang {
            Lang::Ja => format!(
                "結果: 不適合 {} 件, 警告 {} 件, 受容済み {} 件, 判定不能 {} 件 — {} 規則を評価 (合格 {passed}, 不合格 {failed}, 判定不能 {unknown})",
                s.deny,
                s.warn,
                s.accepted,
                s.unknown,
                result.results.len()
            ),
            Lang::En => format!(
                "summary: {} deny, {} warn, {} accepted, {} unknown — {} rules evaluated ({passed} pass, {failed} fail, {unknown} unknown)",
                s.deny,
                s.warn,
                s.accepted,
                s.unknown,
                result.results.len()
            ),
        }
    );
    let _ = writeln!(out, "{}", catalogue_counts(result).line(lang));
    out
}

/// The status of every catalogue item in this run, counted.
fn catalogue_counts(result: &CheckResult) -> catalogue::Counts {
    catalogue::counts(&|code| result.results.iter().any(|r| r.code == code))
}

/// Every catalogue item with its status in this run (the JSON `catalogue` list).
fn catalogue_json(result: &CheckResult) -> Vec<Value> {
    let evaluated = |code: &str| result.results.iter().any(|r| r.code == code);
    catalogue::ITEMS
        .iter()
        .map(|i| {
            let mut v = json!({
                "code": i.code, "title": i.title_en, "title_ja": i.title_ja,
                "severity": i.severity.as_str(), "tag": i.tag,
                "interpretive": i.interpretive(),
                "status": catalogue::status(i, &evaluated).as_str(),
            });
            if let Some((ja, en)) = i.manual {
                v["evidence_needed"] = json!(en);
                v["evidence_needed_ja"] = json!(ja);
            }
            v
        })
        .collect()
}

/// Whether a finding depends on an imported rule that was read approximately: the rule it is
/// about, or a rule deciding on its witness.
fn rests_on_approximation(topo: &Topology, origins: &names::Origins<'_>, f: &Finding) -> bool {
    f.loc.is_some_and(|l| origins.approximation(l).is_some())
        || matches!(&f.evidence, Some(Evidence::Packets { witness: Some(w), .. })
            if names::rests_on_approximation(topo, w))
}

pub fn json(reach: &Reachability<'_>, sources: &SourceMap, result: &CheckResult) -> Value {
    let topo = reach.topo;
    let origins = names::Origins::new(topo);
    let s = result.summary();
    let rules: Vec<Value> = result
        .results
        .iter()
        .map(|r| {
            json!({
                "code": r.code, "name": r.name, "level": r.level.as_str(),
                "verdict": r.verdict.as_str(), "guideline": r.guideline,
                "checked": r.checked, "failed": r.failed, "unknown": r.unknown, "accepted": r.accepted,
            })
        })
        .collect();
    let groups = group::groups(topo, &result.findings);
    let member_of = group::membership(&groups, result.findings.len());
    let findings: Vec<Value> = result
        .findings
        .iter()
        .zip(&member_of)
        .map(|(f, g)| {
            let location = f.loc.map(|l| {
                let p = sources.position(l);
                let mut v = json!({"file": p.file, "line": p.line, "column": p.column});
                if let Some(o) = origins.at(l) {
                    v["origin"] = json!(o);
                }
                if let Some(a) = origins.approximation(l) {
                    v["approximation"] = json!(a);
                }
                v
            });
            let (path, evidence) = match &f.evidence {
                Some(Evidence::Packets {
                    from,
                    to,
                    services,
                    witness,
                }) => {
                    let w = witness.as_ref().map(|w| witness_json(reach, sources, w));
                    let hops = w
                        .as_ref()
                        .and_then(|w| w.get("hops").cloned())
                        .unwrap_or(json!([]));
                    (
                        hops,
                        json!({
                            "kind": "packets",
                            "from": names::endpoint(topo, *from),
                            "to": names::endpoint(topo, *to),
                            "services": services.names(),
                            "witness": w,
                        }),
                    )
                }
                Some(Evidence::Steps(steps)) => (
                    json!([]),
                    json!({"kind": "steps", "steps": steps.iter().map(|s| s.en.clone()).collect::<Vec<_>>(),
                           "steps_ja": steps.iter().map(|s| s.ja.clone()).collect::<Vec<_>>()}),
                ),
                None => (json!([]), Value::Null),
            };
            let mut v = json!({
                "code": f.code, "name": f.name, "level": f.level.as_str(),
                "verdict": f.verdict.as_str(),
                "message": f.message.en, "message_ja": f.message.ja,
                "subject": f.subject, "location": location, "path": path, "evidence": evidence,
                "fingerprint": f.fingerprint(),
                "content": f.content,
            });
            if rests_on_approximation(topo, &origins, f) {
                v["approximated"] = json!(true);
            }
            if let Some(g) = g {
                v["group"] = json!(groups[*g].fingerprint());
            }
            if let Some(x) = &f.exception {
                v["exception"] = json!({"reason": x.reason, "approved_by": x.approved_by, "expires": x.expires});
            }
            v
        })
        .collect();
    let c = catalogue_counts(result);
    json!({
        "guideline_edition": result.edition.code,
        "catalogue_summary": {"items": catalogue::ITEMS.len(), "evaluated": c.evaluated,
            "not_applied": c.not_applied, "not_implemented": c.not_implemented,
            "manual_evidence": c.manual},
        "catalogue": catalogue_json(result),
        "model": result.model.as_str(),
        "model_source": result.model_source,
        "profile": result.profile,
        "date": result.today,
        "summary": {"deny": s.deny, "warn": s.warn, "accepted": s.accepted, "unknown": s.unknown},
        "rules": rules,
        "findings": findings,
        "groups": groups_json(reach, sources, result, &groups),
    })
}

/// The groups of findings with one cause (`rules::group`): each with its rules and the
/// fingerprints of its findings, which stay in `findings` too.
pub fn groups_json(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    groups: &[group::Group],
) -> Vec<Value> {
    let topo = reach.topo;
    groups
        .iter()
        .map(|g| {
            let rules: Vec<Value> = g
                .rules
                .iter()
                .map(|c| {
                    let p = names::decision_position(reach, sources, c.firewall, &c.decision);
                    let rule = names::decision_rule(topo, c.firewall, &c.decision);
                    json!({
                        "subject": c.subject,
                        "firewall": topo.firewalls[c.firewall].id,
                        "list": names::list(topo, c.firewall, &c.decision),
                        "default": rule.is_none(),
                        "content": rule.map(crate::rules::content::rule_text),
                        "location": {"file": p.file, "line": p.line, "column": p.column},
                    })
                })
                .collect();
            json!({
                "fingerprint": g.fingerprint(),
                "code": g.code,
                "name": g.name(),
                "rules": rules,
                "count": g.members.len(),
                "findings": g.members.iter().map(|&m| result.findings[m].fingerprint()).collect::<Vec<_>>(),
            })
        })
        .collect()
}
