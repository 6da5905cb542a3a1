//! Output of `sansou paths`: text for people, JSON for programs.
//!
//! JSON shape (fields are only ever added):
//!
//! ```text
//! { "schema_version": 1, "tool": {name, version}, "inputs": [{path, sha256}],
//!   "query": {from, to, services},
//!   "pairs": [ { "from": "host:a", "to": "external:lgwan",
//!                "from_kind": "host", "to_kind": "external",   (host | gateway | undeclared | external)
//!                "from_addresses"?, "to_addresses"?: ["10.1.0.2-10.1.0.254"]   (undeclared ends only)
//!                "services": ["tcp/443"],
//!                "witness": { "flow": {src, dst, protocol, port, service},   (as sent)
//!                             "hops": [ {firewall, in, out, from, to,
//!                                        decisions: [{list, rule, action, location, origin, reason,
//!                                                    approximation?}],
//!                                        route?: {connected, destination?, next_hop?, interface?, origin?},
//!                                                    (through a firewall with a routing table)
//!                                        route_assumption?: "no routing table: any allowed path assumed",
//!                                                    (through one without)
//!                                        nat?: [{entry, kind, origin, before: flow, after: flow}],
//!                                        dropped_unsolicited?} ],
//!                             "replies": {return: bool, stateful: bool, blocked_at?, reply?,
//!                                         reason?: "stateless" | "unseen" | "no-route",
//!                                         path: "reversed" | "other", hops?: [hop...] (other),
//!                                         assumed_at?: [firewall...], assumption?} } } ],
//!   "blocked": [ {from, to, flow, drops: [hop...]} ]   (with --explain-blocked) }
//! ```

use super::names;
use crate::analysis::paths::Pair;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::space::Flow;
use crate::analysis::witness::{Blocked, Hop, Replies, Witness};
use crate::lang::Lang;
use crate::model::AddrRange;
use crate::source::SourceMap;
use serde_json::{Value, json};
use std::fmt::Write;
use std::net::Ipv4Addr;

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

fn flow_json(f: &Flow) -> Value {
    json!({
        "src": Ipv4Addr::from(f.src).to_string(),
        "dst": Ipv4Addr::from(f.dst).to_string(),
        "protocol": f.proto,
        "port": f.port,
        "service": f.service(),
    })
}

/// The route a hop took when its firewall has a routing table; `null` without one.
fn route_json(topo: &crate::model::Topology, hop: &Hop) -> Value {
    use crate::graph::routes::RouteKind;
    match hop.route {
        None => Value::Null,
        Some(RouteKind::Connected) => json!({"connected": true}),
        Some(RouteKind::Static(k)) => {
            let r = &topo.firewalls[hop.firewall].routes[k];
            json!({
                "connected": false,
                "destination": r.destination.value.to_string(),
                "next_hop": r.next_hop.as_ref().map(|h| h.value.to_string()),
                "interface": names::interface(topo, hop.firewall, hop.egress),
                "origin": r.origin,
            })
        }
    }
}

fn hop_json(reach: &Reachability<'_>, sources: &SourceMap, hop: &Hop) -> Value {
    let topo = reach.topo;
    let decisions: Vec<Value> = hop
        .decisions
        .iter()
        .map(|d| {
            let pos = names::decision_position(reach, sources, hop.firewall, d);
            let rule = names::decision_rule(topo, hop.firewall, d);
            let mut v = json!({
                "list": names::list(topo, hop.firewall, d),
                "rule": d.rule.map(|i| i + 1),
                "action": d.action.as_str(),
                "location": {"file": pos.file, "line": pos.line, "column": pos.column},
                "origin": rule.and_then(|r| r.origin.clone()),
                "reason": rule.and_then(|r| r.reason.clone()),
            });
            if let Some(approx) = rule.and_then(|r| r.approximation.as_deref()) {
                v["approximation"] = json!(approx);
            }
            v
        })
        .collect();
    let mut v = json!({
        "firewall": topo.firewalls[hop.firewall].id,
        "in": names::interface(topo, hop.firewall, hop.ingress),
        "out": names::interface(topo, hop.firewall, hop.egress),
        "from": names::net(topo, hop.from),
        "to": names::net(topo, hop.to),
        "decisions": decisions,
    });
    // Only firewalls that translate list translations (fields are only added).
    if !hop.nat.is_empty() {
        v["nat"] = hop
            .nat
            .iter()
            .map(|t| {
                let nat = &topo.firewalls[hop.firewall].nat[t.entry];
                json!({
                    "entry": nat.key(t.entry),
                    "kind": nat.kind(),
                    "origin": nat.origin,
                    "before": flow_json(&t.before),
                    "after": flow_json(&t.after),
                })
            })
            .collect();
    }
    if hop.hidden {
        v["dropped_unsolicited"] = json!(true);
    }
    // Firewalls with a routing table name the route taken; the others say the path rests on
    // the any-allowed-path assumption (fields are only added).
    let route = route_json(topo, hop);
    if !route.is_null() {
        v["route"] = route;
    }
    if topo.firewalls[hop.firewall].routes.is_empty() {
        v["route_assumption"] = json!(names::NO_TABLE);
    }
    v
}

pub fn witness_json(reach: &Reachability<'_>, sources: &SourceMap, w: &Witness) -> Value {
    let topo = reach.topo;
    let replies = match &w.replies {
        Replies::Return { stateless_example } => json!({
            "return": true,
            "stateful": stateless_example.is_none(),
            "reply": stateless_example.as_ref().map(flow_json),
        }),
        Replies::Blocked {
            firewall,
            reply,
            decision,
        } => json!({
            "return": false,
            "stateful": false,
            "blocked_at": topo.firewalls[*firewall].id,
            "decision": names::verdict(decision),
            "reply": flow_json(reply),
        }),
        Replies::Unseen { firewall, reply } | Replies::NoRoute { firewall, reply } => json!({
            "return": false,
            "stateful": topo.firewalls[*firewall].stateful,
            "blocked_at": topo.firewalls[*firewall].id,
            "reply": flow_json(reply),
        }),
    };
    let mut replies = replies;
    super::replies::json_members(topo, w, |h| hop_json(reach, sources, h), &mut replies);
    json!({
        "flow": flow_json(&w.flow),
        "hops": w.hops.iter().map(|h| hop_json(reach, sources, h)).collect::<Vec<_>>(),
        "replies": replies,
    })
}

/// The `query` and `pairs` (and `blocked`) members of the JSON document.
pub fn json(reach: &Reachability<'_>, sources: &SourceMap, r: &PathsReport<'_>) -> Value {
    let topo = reach.topo;
    let pairs: Vec<Value> = r
        .pairs
        .iter()
        .map(|p| {
            let mut pair = json!({
                "from": names::endpoint(topo, p.from),
                "to": names::endpoint(topo, p.to),
                "from_kind": names::endpoint_kind(p.from),
                "to_kind": names::endpoint_kind(p.to),
                "services": p.services.names(),
                "witness": p.witness.as_ref().map(|w| witness_json(reach, sources, w)),
            });
            let texts = |a: &[AddrRange]| a.iter().map(|r| r.to_string()).collect::<Vec<_>>();
            if let Some(a) = &p.from_addresses {
                pair["from_addresses"] = json!(texts(a));
            }
            if let Some(a) = &p.to_addresses {
                pair["to_addresses"] = json!(texts(a));
            }
            pair
        })
        .collect();
    let mut doc = json!({
        "query": {"from": r.from, "to": r.to, "services": r.services},
        "pairs": pairs,
    });
    if !r.blocked.is_empty() {
        doc["blocked"] = r
            .blocked
            .iter()
            .map(|b| {
                json!({
                    "from": names::endpoint(topo, b.from),
                    "to": names::endpoint(topo, b.to),
                    "flow": flow_json(&b.blocked.flow),
                    "drops": b.blocked.drops.iter().map(|h| hop_json(reach, sources, h)).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    doc
}
