//! How analysis results are named: endpoints, networks, interfaces, rules.
//!
//! These names are not only output: a finding's subject is built from them
//! (`host:ID`, `undeclared:SEGMENT`, `FROM -> TO`), and exceptions and fingerprints match on
//! the subject. So they live here, below `rules`, and `report` (re-exporting this module as
//! `report::names`) prints them; changing one changes what existing exceptions match.

use crate::analysis::matrix::Area;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::witness::{Decision, Hop, List};
use crate::graph::Net;
use crate::model::{AddrRange, FirewallId, Rule, Topology};
use crate::source::{Position, SourceMap};

pub fn endpoint(topo: &Topology, e: Endpoint) -> String {
    match e {
        Endpoint::Host(h) => format!("host:{}", topo.hosts[h].id),
        Endpoint::Gateway(g) => format!("gateway:{}", topo.gateways[g].id),
        Endpoint::Undeclared(s) => format!("undeclared:{}", topo.segments[s].id),
        Endpoint::External(x) => format!("external:{}", topo.externals[x].id),
    }
}

/// The kind of an endpoint in JSON: `host`, `gateway`, `undeclared` or `external`.
pub fn endpoint_kind(e: Endpoint) -> &'static str {
    match e {
        Endpoint::Host(_) => "host",
        Endpoint::Gateway(_) => "gateway",
        Endpoint::Undeclared(_) => "undeclared",
        Endpoint::External(_) => "external",
    }
}

/// An endpoint as printed in a pair: its name, and for undeclared addresses the ranges the
/// pair's packets use (`undeclared:mn-office (10.1.0.2-10.1.0.254)`).
pub fn pair_end(topo: &Topology, e: Endpoint, addresses: Option<&[AddrRange]>) -> String {
    let name = endpoint(topo, e);
    match addresses {
        Some(a) if !a.is_empty() => format!("{name} ({})", ranges(a)),
        _ => name,
    }
}

/// The subject of a packet pair, `from->to` in endpoint names: what exceptions and
/// fingerprints match on.
pub fn pair_subject(topo: &Topology, p: &crate::analysis::paths::Pair) -> String {
    format!("{}->{}", endpoint(topo, p.from), endpoint(topo, p.to))
}

/// A pair as printed in a message: `from->to`, undeclared ends with their addresses.
pub fn pair(topo: &Topology, p: &crate::analysis::paths::Pair) -> String {
    format!(
        "{}->{}",
        pair_end(topo, p.from, p.from_addresses.as_deref()),
        pair_end(topo, p.to, p.to_addresses.as_deref())
    )
}

/// Address ranges as printed: `10.1.0.50`, `10.1.0.2-10.1.0.49`, at most five then `…`.
pub fn ranges(a: &[AddrRange]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = a.iter().take(SHOWN).map(|r| r.to_string()).collect();
    if a.len() > SHOWN {
        parts.push(format!("… {} more", a.len() - SHOWN));
    }
    parts.join(", ")
}

pub fn net(topo: &Topology, n: Net) -> String {
    match n {
        Net::Segment(s) => format!("segment:{}", topo.segments[s].id),
        Net::External(x) => format!("external:{}", topo.externals[x].id),
    }
}

pub fn area_id(topo: &Topology, a: Area) -> String {
    match a {
        Area::Zone(z) => topo.zones[z].id.clone(),
        Area::External(x) => format!("external:{}", topo.externals[x].id),
    }
}

/// The area's display name with its tier or kind: `マイナンバー利用事務系 [mynumber]`.
pub fn area_label(topo: &Topology, a: Area) -> String {
    match a {
        Area::Zone(z) => {
            let zone = &topo.zones[z];
            format!(
                "{} [{}]",
                zone.name.as_deref().unwrap_or(&zone.id),
                zone.tier
            )
        }
        Area::External(x) => {
            let e = &topo.externals[x];
            format!(
                "{} [external {}]",
                e.name.as_deref().unwrap_or(&e.id),
                e.kind
            )
        }
    }
}

/// An interface as `name` when it has one, else `#index`.
pub fn interface(topo: &Topology, firewall: FirewallId, i: usize) -> String {
    topo.firewalls[firewall].interfaces[i]
        .name
        .clone()
        .unwrap_or_else(|| format!("#{}", i + 1))
}

/// The rule a decision refers to, if it was a rule and not a default.
pub fn decision_rule<'t>(
    topo: &'t Topology,
    firewall: FirewallId,
    d: &Decision,
) -> Option<&'t Rule> {
    let fw = &topo.firewalls[firewall];
    let i = d.rule?;
    match d.list {
        List::Policy => fw.rules.get(i),
        List::Filter(k) => fw.filters.get(k).and_then(|f| f.rules.get(i)),
    }
}

/// The subject of the rule a decision refers to (`fw-core/allow-web`, `fw-core/port2-in/3`),
/// if it was a rule and not a default.
pub fn decision_subject(topo: &Topology, firewall: FirewallId, d: &Decision) -> Option<String> {
    let fw = &topo.firewalls[firewall];
    let k = d.rule?;
    Some(match d.list {
        List::Policy => fw.rule_subject(k),
        List::Filter(f) => fw.filter_rule_subject(&fw.filters[f], k),
    })
}

/// Which list decided: `policy` or `in filter on port2`.
pub fn list(topo: &Topology, firewall: FirewallId, d: &Decision) -> String {
    match d.list {
        List::Policy => "policy".into(),
        List::Filter(k) => {
            let f = &topo.firewalls[firewall].filters[k];
            format!("{} filter on {}", f.direction, f.interface.value)
        }
    }
}

/// [`list`] in the reader's language: ポリシー, or port2 の入力フィルタ.
pub fn list_in(
    topo: &Topology,
    firewall: FirewallId,
    d: &Decision,
    lang: crate::lang::Lang,
) -> String {
    match (d.list, lang) {
        (_, crate::lang::Lang::En) => list(topo, firewall, d),
        (List::Policy, _) => "ポリシー".into(),
        (List::Filter(k), _) => filter_ja(&topo.firewalls[firewall].filters[k]),
    }
}

/// An interface filter named in Japanese prose: `port2 の入力フィルタ`.
pub fn filter_ja(f: &crate::model::Filter) -> String {
    let dir = match f.direction {
        crate::model::Direction::In => "入力",
        crate::model::Direction::Out => "出力",
    };
    format!("{} の{dir}フィルタ", f.interface.value)
}

/// [`verdict`] in the reader's language: ルール 3 許可, 既定 拒否.
pub fn verdict_in(d: &Decision, lang: crate::lang::Lang) -> String {
    use crate::model::Action;
    if lang == crate::lang::Lang::En {
        return verdict(d);
    }
    let action = match d.action {
        Action::Allow => "許可",
        Action::Deny => "拒否",
    };
    match d.rule {
        Some(i) => format!("ルール {} {action}", i + 1),
        None => format!("既定 {action}"),
    }
}

/// A rule level in the reader's language (the policy's words `deny`, `warn`, `allow` in English).
pub fn level_label(level: crate::model::policy::Level, lang: crate::lang::Lang) -> &'static str {
    use crate::model::policy::Level;
    match level {
        Level::Deny => lang.pick("不適合", "deny"),
        Level::Warn => lang.pick("警告", "warn"),
        Level::Allow => lang.pick("無効", "allow"),
    }
}

/// A decision in words: `rule 3 allow` or `default deny`.
pub fn verdict(d: &Decision) -> String {
    match d.rule {
        Some(i) => format!("rule {} {}", i + 1, d.action),
        None => format!("default {}", d.action),
    }
}

/// Where a decision's rule (or the firewall, for a default) is written.
pub fn decision_position(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    firewall: FirewallId,
    d: &Decision,
) -> Position {
    let topo = reach.topo;
    let loc = match decision_rule(topo, firewall, d) {
        Some(rule) => rule.loc,
        None => match d.list {
            List::Policy => topo.firewalls[firewall].loc,
            List::Filter(k) => topo.firewalls[firewall].filters[k].loc,
        },
    };
    sources.position(loc)
}

/// `fw-mn port1 (segment:mn-office) → wan1 (external:lgwan)`.
pub fn hop(topo: &Topology, h: &Hop) -> String {
    format!(
        "{}  {} ({}) → {} ({})",
        topo.firewalls[h.firewall].id,
        interface(topo, h.firewall, h.ingress),
        net(topo, h.from),
        interface(topo, h.firewall, h.egress),
        net(topo, h.to)
    )
}

/// How a translation is named: `NAT web-https, fgt.conf:212` (its id, else `nat-N`, and the
/// configuration line it was imported from).
pub fn nat_entry(topo: &Topology, firewall: FirewallId, entry: usize) -> String {
    let nat = &topo.firewalls[firewall].nat[entry];
    match &nat.origin {
        Some(o) => format!("NAT {}, {o}", nat.key(entry)),
        None => format!("NAT {}", nat.key(entry)),
    }
}

/// An address and port as a translation rewrites them: `203.0.113.10:8443`, or the address
/// alone for protocols without ports.
fn socket(addr: u32, flow: crate::analysis::space::Flow) -> String {
    let a = std::net::Ipv4Addr::from(addr);
    if crate::model::service::has_ports(flow.proto) {
        format!("{a}:{}", flow.port)
    } else {
        a.to_string()
    }
}

/// Each translation of a hop: `destination 203.0.113.10:8443 → 10.3.9.20:443 at fw-inet (NAT
/// web-https, fgt.conf:212)`, `source 10.3.0.10 → 203.0.113.1 at fw-inet (NAT office-out)`.
pub fn translations(topo: &Topology, h: &Hop, lang: crate::lang::Lang) -> Vec<String> {
    let fw = &topo.firewalls[h.firewall].id;
    h.nat
        .iter()
        .map(|t| {
            let entry = nat_entry(topo, h.firewall, t.entry);
            let (ja, en, before, after) = if t.before.src != t.after.src {
                (
                    "送信元変換",
                    "source",
                    std::net::Ipv4Addr::from(t.before.src).to_string(),
                    std::net::Ipv4Addr::from(t.after.src).to_string(),
                )
            } else {
                (
                    "宛先変換",
                    "destination",
                    socket(t.before.dst, t.before),
                    socket(t.after.dst, t.after),
                )
            };
            match lang {
                crate::lang::Lang::Ja => format!("{ja} {before} → {after} ({fw} の {entry})"),
                crate::lang::Lang::En => format!("{en} {before} → {after} at {fw} ({entry})"),
            }
        })
        .collect()
}

/// Why a hop dropped a packet that no rule dropped: a source NAT hides its destination.
pub fn hidden(lang: crate::lang::Lang) -> &'static str {
    lang.pick(
        "遮断: 宛先は送信元 NAT の内側で、宛先 NAT がない (外からの接続は届かない)",
        "dropped: the destination is behind a source NAT and no destination NAT sends it there (unsolicited)",
    )
}

/// The device configuration line (`origin`, set by importers) of the firewall rule written at a
/// place, so findings about imported rules point at both places, and the rule's
/// `approximation` when the importer read it approximately. Every rule's place is indexed
/// once: a report asks for each finding, and a large design has 100k rules.
pub struct Origins<'t>(std::collections::HashMap<crate::source::Loc, &'t Rule>);

impl<'t> Origins<'t> {
    pub fn new(topo: &'t Topology) -> Origins<'t> {
        let mut first = std::collections::HashMap::new();
        // Without any imported rule there is nothing to index.
        if rules_of(topo).any(|r| r.origin.is_some() || r.approximation.is_some()) {
            for r in rules_of(topo) {
                // The first rule written at a place answers.
                first.entry(r.loc).or_insert(r);
            }
        }
        first.retain(|_, r| r.origin.is_some() || r.approximation.is_some());
        Origins(first)
    }

    /// The device configuration line of the firewall rule at `loc`, if it was imported.
    pub fn at(&self, loc: crate::source::Loc) -> Option<&'t str> {
        self.0.get(&loc).and_then(|r| r.origin.as_deref())
    }

    /// How the imported rule at `loc` may differ from the device, if it was read approximately.
    pub fn approximation(&self, loc: crate::source::Loc) -> Option<&'t str> {
        self.0.get(&loc).and_then(|r| r.approximation.as_deref())
    }
}

/// Whether a witness passes a decision taken by a rule that was imported approximately.
pub fn rests_on_approximation(topo: &Topology, w: &crate::analysis::witness::Witness) -> bool {
    w.hops.iter().any(|h| {
        h.decisions
            .iter()
            .any(|d| decision_rule(topo, h.firewall, d).is_some_and(|r| r.approximation.is_some()))
    })
}

/// Every firewall rule, policy lists and filters, in topology order.
fn rules_of(topo: &Topology) -> impl Iterator<Item = &Rule> {
    topo.firewalls.iter().flat_map(|f| {
        f.rules
            .iter()
            .chain(f.filters.iter().flat_map(|l| l.rules.iter()))
    })
}

/// What a witness says of a hop through a firewall without a routing table.
pub const NO_TABLE: &str = "no routing table: any allowed path assumed";

/// The route a hop took, when its firewall has a routing table: `route 10.2.0.0/16 via port2
/// (fgt.conf:88)`, or the connected route of the segment it leaves onto; through a firewall
/// without a table, that the path rests on the any-allowed-path assumption ([`NO_TABLE`]).
pub fn route(topo: &Topology, hop: &Hop, lang: crate::lang::Lang) -> Option<String> {
    use crate::graph::routes::RouteKind;
    if topo.firewalls[hop.firewall].routes.is_empty() {
        return Some(
            lang.pick("経路表なし: 許可される任意の経路を仮定", NO_TABLE)
                .to_string(),
        );
    }
    let out = interface(topo, hop.firewall, hop.egress);
    Some(match hop.route? {
        RouteKind::Connected => match lang {
            crate::lang::Lang::Ja => format!("経路: {out} の直結セグメント"),
            crate::lang::Lang::En => format!("route: connected to {out}"),
        },
        RouteKind::Static(k) => {
            let r = &topo.firewalls[hop.firewall].routes[k];
            let origin = r
                .origin
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            let via = match &r.next_hop {
                Some(h) => format!("{} {out}", h.value),
                None => out,
            };
            match lang {
                crate::lang::Lang::Ja => format!("経路: {} → {via}{origin}", r.destination.value),
                crate::lang::Lang::En => format!("route {} via {via}{origin}", r.destination.value),
            }
        }
    })
}
