//! The findings section: every failed or unknown verdict with its evidence (a packet path hop
//! by hop, each hop naming the rule that allowed it, or a chain of steps), and the exception
//! that accepts it; and which diagram edges those paths run along. Findings with one cause
//! (`rules::group`) sit together in a `cause-group` headed by the rules that let them through.

use super::escape::text as esc;
use super::sections::anchor;
use super::{Report, badge, thead};
use crate::analysis::reach::Reachability;
use crate::analysis::witness::{Hop, Replies, Witness};
use crate::lang::Lang;
use crate::model::policy::Level;
use crate::report::{names, svg};
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, Verdict, group};
use std::fmt::Write;

/// The diagram edges on the packet path of every standing deny-level failure: for each hop,
/// the firewall's attachment to the network it came from and to the one it left into; each
/// edge carries the numbers of those findings as the findings section numbers them.
pub fn violation_marks(reach: &Reachability<'_>, result: &CheckResult) -> svg::Marks {
    let topo = reach.topo;
    let mut marks = svg::Marks::checked();
    let mut number = 0;
    for x in &result.results {
        for f in result.findings_of(&x.code) {
            // The same count as `section`: every finding of every rule, in order.
            number += 1;
            let standing =
                f.level == Level::Deny && f.verdict == Verdict::Fail && f.exception.is_none();
            let Some(Evidence::Packets {
                witness: Some(w), ..
            }) = &f.evidence
            else {
                continue;
            };
            if !standing {
                continue;
            }
            for h in &w.hops {
                let fw = format!("firewall:{}", topo.firewalls[h.firewall].id);
                marks.mark_finding(&fw, &names::net(topo, h.from), number);
                marks.mark_finding(&fw, &names::net(topo, h.to), number);
            }
        }
    }
    marks
}

/// What a finding is, for its class, badge and `data-status`.
fn status(f: &Finding) -> (&'static str, &'static str) {
    if f.exception.is_some() {
        ("accepted", "accepted")
    } else if f.verdict == Verdict::Unknown {
        ("unknown", "unknown")
    } else if f.level == Level::Deny {
        ("deny", "fail")
    } else {
        ("warn", "warn")
    }
}

pub fn section(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let _ = writeln!(
        out,
        "<section id=\"findings\" data-count=\"{}\">\n<h2>{n}. {}</h2>",
        r.result.findings.len(),
        lang.pick("指摘事項と証跡", "Findings and evidence")
    );
    if r.result.findings.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick(
                "指摘はない: 評価したすべての規則が合格した。",
                "No finding: every rule evaluated passed."
            )
        );
        out.push_str("</section>\n");
        return;
    }
    let mut number = 0;
    let groups = group::groups(r.reach.topo, &r.result.findings);
    let member_of = group::membership(&groups, r.result.findings.len());
    for x in &r.result.results {
        let mine = r.result.findings_of(&x.code);
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<div class=\"rule-group\" id=\"rule-{}\" data-code=\"{}\">\n<h3><code>{}</code> <code>{}</code> <span class=\"note\">[{}] {}</span>{}</h3>",
            esc(&anchor(&x.code)),
            esc(&x.code),
            esc(&x.code),
            esc(&x.name),
            crate::report::names::level_label(x.level, lang),
            esc(&crate::rules::sources::localised(&x.guideline, lang)),
            super::interpretive_badge(&x.code, lang)
        );
        if let Some(why) = crate::rules::interpretation::reasoning(&x.code, lang) {
            let _ = writeln!(
                out,
                "<p class=\"note interpretation\">{} {}</p>",
                lang.pick("解釈の理由:", "Why this interpretation:"),
                esc(why)
            );
        }
        // A group of findings with one cause is shown at its first finding, all of its
        // findings inside it.
        for (i, f) in r.result.findings.iter().enumerate() {
            if f.code != x.code {
                continue;
            }
            match member_of[i] {
                Some(g) if groups[g].members[0] == i => {
                    cause_group_open(out, r, &groups[g]);
                    for &m in &groups[g].members {
                        number += 1;
                        finding(out, r, &r.result.findings[m], Some(&groups[g]), number);
                    }
                    out.push_str("</div>\n");
                }
                Some(_) => {}
                None => {
                    number += 1;
                    finding(out, r, f, None, number);
                }
            }
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// The head of a group of findings with one cause: the rules that let their packets through,
/// each with its match fields and where it is written.
fn cause_group_open(out: &mut String, r: &Report<'_, '_>, g: &group::Group) {
    let lang = r.lang;
    let topo = r.reach.topo;
    let n = g.members.len();
    let _ = writeln!(
        out,
        "<div class=\"cause-group\" id=\"group-{fp}\" data-group=\"{fp}\" data-count=\"{n}\">\n<h4><code>{}</code> — {}</h4>",
        esc(&g.name()),
        match (lang, g.rules.len()) {
            (Lang::Ja, 1) => format!("このルールが通す指摘 {n} 件"),
            (Lang::Ja, _) => format!("これらのルールが通す指摘 {n} 件"),
            (Lang::En, 1) => format!("{n} findings let through by this rule"),
            (Lang::En, _) => format!("{n} findings let through by these rules"),
        },
        fp = g.fingerprint(),
    );
    let _ = writeln!(
        out,
        "<table class=\"cause-rules\">{}<tbody>",
        thead(&[
            lang.pick("ルール", "Rule"),
            lang.pick("内容", "Content"),
            lang.pick("記載場所", "Written at"),
        ])
    );
    for c in &g.rules {
        let content = match names::decision_rule(topo, c.firewall, &c.decision) {
            Some(rule) => crate::rules::content::rule_text(rule),
            None => lang.pick("既定で許可", "allowed by default").to_string(),
        };
        let pos = names::decision_position(r.reach, r.sources, c.firewall, &c.decision);
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&c.subject),
            esc(&content),
            esc(&pos.to_string())
        );
    }
    out.push_str("</tbody></table>\n");
}

fn finding(
    out: &mut String,
    r: &Report<'_, '_>,
    f: &Finding,
    group: Option<&group::Group>,
    number: usize,
) {
    let lang = r.lang;
    let (class, verdict) = status(f);
    let group = group
        .map(|g| format!(" data-group=\"{}\"", g.fingerprint()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<article class=\"finding {class}\" id=\"finding-{number}\" data-code=\"{}\" data-level=\"{}\" data-verdict=\"{}\" data-status=\"{}\" data-subject=\"{}\" data-fingerprint=\"{}\"{group}>",
        esc(&f.code),
        f.level.as_str(),
        f.verdict.as_str(),
        if f.exception.is_some() {
            "accepted"
        } else {
            "open"
        },
        esc(&f.subject),
        f.fingerprint()
    );
    let _ = writeln!(
        out,
        "<h4>{} #{number} <code>{}</code> — <code>{}</code></h4>",
        badge(verdict, lang),
        esc(&f.code),
        esc(&f.subject)
    );
    let _ = writeln!(out, "<p class=\"message\">{}</p>", esc(f.message.get(lang)));
    if let Some(loc) = f.loc {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} <code>{}</code></p>",
            lang.pick("記載場所:", "Written at:"),
            esc(&r.sources.position(loc).to_string())
        );
    }
    match &f.evidence {
        Some(Evidence::Packets {
            from,
            to,
            services,
            witness,
        }) => {
            let topo = r.reach.topo;
            let _ = writeln!(
                out,
                "<p class=\"evidence-path\">{} <code>{}</code> → <code>{}</code>: <code>{}</code></p>",
                lang.pick("経路:", "Path:"),
                esc(&names::endpoint(topo, *from)),
                esc(&names::endpoint(topo, *to)),
                esc(&services.to_string())
            );
            if let Some(w) = witness {
                witness_html(out, r, w);
            }
        }
        Some(Evidence::Steps(steps)) => {
            out.push_str("<ol class=\"evidence-steps\">\n");
            for s in steps {
                let _ = writeln!(out, "<li>{}</li>", esc(s.get(lang)));
            }
            out.push_str("</ol>\n");
        }
        None => {}
    }
    if let Some(x) = &f.exception {
        let _ = writeln!(
            out,
            "<p class=\"exception\">{} {} ({} {}{})</p>",
            badge("accepted", lang),
            esc(&x.reason),
            lang.pick("承認:", "approved by"),
            esc(&x.approved_by),
            x.expires
                .as_ref()
                .map(|e| format!(", {} {}", lang.pick("期限", "until"), esc(e)))
                .unwrap_or_default()
        );
    }
    out.push_str("</article>\n");
}

/// One concrete packet, its hops with every list's decision and where that rule is written,
/// and whether replies come back.
pub(super) fn witness_html(out: &mut String, r: &Report<'_, '_>, w: &Witness) {
    let lang = r.lang;
    let topo = r.reach.topo;
    let _ = writeln!(
        out,
        "<p>{} <code>{}</code></p>",
        lang.pick("パケット例:", "Example packet:"),
        esc(&w.flow.to_string())
    );
    if w.hops.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            lang.pick(
                "同一セグメント内 (ファイアウォールを経由しない)",
                "same segment (no firewall on the way)"
            )
        );
    } else {
        let head = thead(&[
            "#",
            lang.pick("ファイアウォール", "Firewall"),
            lang.pick("入力 → 出力", "In → out"),
            lang.pick("判定", "Decision"),
            lang.pick("根拠 (ファイル:行)", "Rule at (file:line)"),
            lang.pick("由来・理由", "Origin, reason"),
        ]);
        let _ = writeln!(out, "<table class=\"hops\">{head}<tbody>");
        for (i, hop) in w.hops.iter().enumerate() {
            hop_rows(out, r, hop, i + 1);
        }
        out.push_str("</tbody></table>\n");
        // Translations on the way, each with its firewall and entry (names escaped).
        let translations: Vec<String> = w
            .hops
            .iter()
            .flat_map(|h| names::translations(topo, h, lang))
            .collect();
        if !translations.is_empty() {
            out.push_str("<ul class=\"note\">\n");
            for t in translations {
                let _ = writeln!(out, "<li>{}</li>", esc(&t));
            }
            out.push_str("</ul>\n");
        }
    }
    let replies = match &w.replies {
        Replies::Return {
            stateless_example: None,
        } => lang
            .pick("応答は戻る (ステートフル)", "Replies return (stateful).")
            .to_string(),
        Replies::Return {
            stateless_example: Some(f),
        } => format!(
            "{} {f}",
            lang.pick(
                "応答は戻る (ステートレスのルールで許可): 例",
                "Replies return (allowed by stateless rules), e.g."
            )
        ),
        Replies::Blocked {
            firewall,
            reply,
            decision,
        } => {
            format!(
                "{} {} ({} {}) — {reply}",
                lang.pick("応答は遮断される:", "Replies are dropped at"),
                topo.firewalls[*firewall].id,
                names::list_in(topo, *firewall, decision, lang),
                names::verdict_in(decision, lang)
            )
        }
        other => crate::report::replies::dropped(topo, other, lang).unwrap_or_default(),
    };
    let way = crate::report::replies::way(topo, w, lang);
    let replies = if way.is_empty() {
        replies
    } else {
        format!("{replies} {}", way.join(" "))
    };
    let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&replies));
}

fn hop_rows(out: &mut String, r: &Report<'_, '_>, hop: &Hop, number: usize) {
    let topo = r.reach.topo;
    let fw = &topo.firewalls[hop.firewall];
    let span = hop.decisions.len().max(1);
    let head = format!(
        "<td rowspan=\"{span}\">{number}</td><td rowspan=\"{span}\" data-firewall=\"{}\"><code>{}</code></td><td rowspan=\"{span}\"><code>{}</code> ({}) → <code>{}</code> ({})</td>",
        esc(&fw.id),
        esc(&fw.id),
        esc(&names::interface(topo, hop.firewall, hop.ingress)),
        esc(&names::net(topo, hop.from)),
        esc(&names::interface(topo, hop.firewall, hop.egress)),
        esc(&names::net(topo, hop.to))
    );
    if hop.decisions.is_empty() {
        let _ = writeln!(out, "<tr>{head}<td></td><td></td><td></td></tr>");
        return;
    }
    for (i, d) in hop.decisions.iter().enumerate() {
        let pos = names::decision_position(r.reach, r.sources, hop.firewall, d);
        let rule = names::decision_rule(topo, hop.firewall, d);
        let mut why = Vec::new();
        if let Some(origin) = rule.and_then(|x| x.origin.as_deref()) {
            why.push(format!(
                "{} <code>{}</code>",
                lang_from(r.lang),
                esc(origin)
            ));
        }
        if let Some(reason) = rule.and_then(|x| x.reason.as_deref()) {
            why.push(format!("「{}」", esc(reason)));
        }
        if let Some(approx) = rule.and_then(|x| x.approximation.as_deref()) {
            why.push(format!("≈ {}", esc(approx)));
        }
        let _ = writeln!(
            out,
            "<tr>{}<td>{} {}</td><td><code>{}</code></td><td>{}</td></tr>",
            if i == 0 { head.as_str() } else { "" },
            esc(&names::list_in(topo, hop.firewall, d, r.lang)),
            esc(&names::verdict_in(d, r.lang)),
            esc(&pos.to_string()),
            why.join("<br>")
        );
    }
}

fn lang_from(lang: Lang) -> &'static str {
    lang.pick("由来:", "from")
}
