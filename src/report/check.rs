//! Output of `sansou check` as text, grouped by rule; its JSON is `check_json.rs`.

use super::names;
use super::paths::witness_text;

// `check --format json` is built by `check_json.rs`; callers know it as `check::json`.
pub use super::check_json::json;
use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::model::Topology;
use crate::model::policy::Level;
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, Verdict, catalogue, group};
use crate::source::SourceMap;
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
pub(super) fn catalogue_counts(result: &CheckResult) -> catalogue::Counts {
    catalogue::counts(&|code| result.results.iter().any(|r| r.code == code))
}

/// Whether a finding depends on an imported rule that was read approximately: the rule it is
/// about, or a rule deciding on its witness.
pub(super) fn rests_on_approximation(
    topo: &Topology,
    origins: &names::Origins<'_>,
    f: &Finding,
) -> bool {
    f.loc.is_some_and(|l| origins.approximation(l).is_some())
        || matches!(&f.evidence, Some(Evidence::Packets { witness: Some(w), .. })
            if names::rests_on_approximation(topo, w))
}
