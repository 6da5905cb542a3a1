//! Output of `sansou paths` as text, for people; its JSON, for programs, is `paths_json.rs`.

use super::names;

// `paths --format json` is built by `paths_json.rs`; callers know it as `paths::json`.
pub use super::paths_json::{json, witness_json};
use crate::analysis::paths::Pair;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::witness::{Blocked, Hop, Replies, Witness};
use crate::lang::Lang;
use crate::source::SourceMap;
use std::fmt::Write;

/// A pair that does not get through, with where its example packet is dropped.
pub struct BlockedPair {
    pub from: Endpoint,
    pub to: Endpoint,
    pub blocked: Blocked,
}

pub struct PathsReport<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub services: &'a [String],
    pub pairs: &'a [Pair],
    pub blocked: &'a [BlockedPair],
}

fn decision_lines(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    hop: &Hop,
    lang: Lang,
    out: &mut String,
) {
    let topo = reach.topo;
    for d in &hop.decisions {
        let pos = names::decision_position(reach, sources, hop.firewall, d);
        let rule = names::decision_rule(topo, hop.firewall, d);
        let mut line = format!(
            "       {} {}  {pos}",
            names::list_in(topo, hop.firewall, d, lang),
            names::verdict_in(d, lang)
        );
        if let Some(origin) = rule.and_then(|r| r.origin.as_deref()) {
            let _ = write!(line, "  ({} {origin})", lang.pick("設定", "from"));
        }
        if let Some(reason) = rule.and_then(|r| r.reason.as_deref()) {
            let _ = write!(line, "  「{reason}」");
        }
        // An imported rule read approximately: the decision is an assumption (docs/IMPORTERS.md).
        if let Some(approx) = rule.and_then(|r| r.approximation.as_deref()) {
            let _ = write!(line, "  ≈ {approx}");
        }
        out.push_str(&line);
        out.push('\n');
    }
}

pub fn witness_text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    w: &Witness,
    lang: Lang,
    out: &mut String,
) {
    let topo = reach.topo;
    let _ = writeln!(out, "  {} {}", lang.pick("例:", "e.g."), w.flow);
    if w.hops.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            lang.pick(
                "同一セグメント内 (ファイアウォールを経由しない)",
                "same segment (no firewall on the way)"
            )
        );
    }
    for (i, hop) in w.hops.iter().enumerate() {
        let _ = writeln!(out, "    {}. {}", i + 1, names::hop(topo, hop));
        decision_lines(reach, sources, hop, lang, out);
        for t in names::translations(topo, hop, lang) {
            let _ = writeln!(out, "       {t}");
        }
        if let Some(route) = names::route(topo, hop, lang) {
            let _ = writeln!(out, "       {route}");
        }
    }
    let replies = match &w.replies {
        Replies::Return {
            stateless_example: None,
        } => lang
            .pick("応答は戻る (ステートフル)", "replies return (stateful)")
            .to_string(),
        Replies::Return {
            stateless_example: Some(r),
        } => format!(
            "{} {r}",
            lang.pick(
                "応答は戻る (ステートレスのルールで許可):",
                "replies return (allowed by stateless rules), e.g."
            )
        ),
        Replies::Blocked {
            firewall,
            reply,
            decision,
        } => {
            format!(
                "{} {} ({} {}, {}) — {reply}",
                lang.pick("応答は遮断される:", "replies are dropped at"),
                topo.firewalls[*firewall].id,
                names::list_in(topo, *firewall, decision, lang),
                names::verdict_in(decision, lang),
                lang.pick("ステートレス", "stateless")
            )
        }
        other => super::replies::dropped(topo, other, lang).unwrap_or_default(),
    };
    let _ = writeln!(out, "  {replies}");
    for line in super::replies::way(topo, w, lang) {
        let _ = writeln!(out, "  {line}");
    }
}

pub fn text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    r: &PathsReport<'_>,
    lang: Lang,
) -> String {
    let topo = reach.topo;
    let mut out = String::new();
    let filter = if r.services.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.services.join(", "))
    };
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Ja => format!(
                "{} → {}{filter}: 到達可能なペア {} 件",
                r.from,
                r.to,
                r.pairs.len()
            ),
            Lang::En => format!(
                "{} → {}{filter}: {} reachable pair(s)",
                r.from,
                r.to,
                r.pairs.len()
            ),
        }
    );
    for p in r.pairs {
        let _ = writeln!(
            out,
            "\n{} → {}",
            names::pair_end(topo, p.from, p.from_addresses.as_deref()),
            names::pair_end(topo, p.to, p.to_addresses.as_deref()),
        );
        if matches!(p.from, Endpoint::Undeclared(_)) || matches!(p.to, Endpoint::Undeclared(_)) {
            let _ = writeln!(
                out,
                "  {}",
                lang.pick(
                    "(未登録の機器: どの [[host]] にも無いアドレス。接続された端末等が使い得る)",
                    "(an undeclared device: addresses no [[host]] declares, usable by anything plugged in)"
                )
            );
        }
        let _ = writeln!(
            out,
            "  {} {}",
            lang.pick("サービス:", "services:"),
            p.services
        );
        if let Some(w) = &p.witness {
            witness_text(reach, sources, w, lang, &mut out);
        }
    }
    for b in r.blocked {
        let _ = writeln!(
            out,
            "\n{} → {}  {}\n  {} {}",
            names::endpoint(topo, b.from),
            names::endpoint(topo, b.to),
            lang.pick("到達不可", "not reachable"),
            lang.pick("例:", "e.g."),
            b.blocked.flow
        );
        if b.blocked.drops.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                lang.pick(
                    "経路上にこのパケットを転送するファイアウォールがない",
                    "no firewall on the way forwards this packet (no path, or routes lead elsewhere)"
                )
            );
        }
        for hop in &b.blocked.drops {
            let _ = writeln!(
                out,
                "    {} {}",
                lang.pick("遮断:", "dropped at"),
                names::hop(topo, hop)
            );
            decision_lines(reach, sources, hop, lang, &mut out);
            for t in names::translations(topo, hop, lang) {
                let _ = writeln!(out, "       {t}");
            }
            if hop.hidden {
                let _ = writeln!(out, "       {}", names::hidden(lang));
            }
        }
    }
    out
}
