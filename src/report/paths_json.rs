//! The JSON of `sansou paths --format json`, and the witness every JSON output shares (a
//! concrete flow hop by hop: `check` findings, `attack` steps): these types *are* the wire
//! format. Fields are only ever added, never renamed or removed.
//!
//! The document is the envelope of `report::json` with the members of [`PathsJson`]. Keys are
//! written in sorted order (through `serde_json::Value`), as they always were. An `Option`
//! marked "only" is left out when absent; one without is written as `null`.
//!
//! In short:
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
//!                             "replies": {return: bool, stateful: bool, blocked_at?, decision?, reply,
//!                                         reason?: "stateless" | "unseen" | "no-route",
//!                                         path: "reversed" | "other", hops?: [hop...] (other),
//!                                         assumed_at?: [firewall...], assumption?} } } ],
//!   "blocked": [ {from, to, flow, drops: [hop...]} ]   (with --explain-blocked) }
//! ```

use serde::Serialize;
use std::net::Ipv4Addr;

use super::check_json::Location;
use super::names;
use super::paths::PathsReport;
use crate::analysis::reach::Reachability;
use crate::analysis::space::Flow;
use crate::analysis::witness::{Hop, Replies, Witness};
use crate::model::{AddrRange, FirewallId};
use crate::source::SourceMap;

/// The members `paths` adds to the envelope.
#[derive(Serialize)]
pub struct PathsJson {
    pub query: QueryJson,
    /// Every reachable pair shown (at most `--max-pairs`).
    pub pairs: Vec<PairJson>,
    /// Only with `--explain-blocked` and pairs that do not get through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<BlockedJson>>,
}

/// The question as asked on the command line.
#[derive(Serialize)]
pub struct QueryJson {
    pub from: String,
    pub to: String,
    pub services: Vec<String>,
}

#[derive(Serialize)]
pub struct PairJson {
    /// Endpoint names: `host:ID`, `gateway:ID`, `undeclared:SEGMENT`, `external:ID`.
    pub from: String,
    pub to: String,
    /// `host`, `gateway`, `undeclared` or `external`.
    pub from_kind: &'static str,
    pub to_kind: &'static str,
    /// Only for undeclared ends: the address ranges, `10.1.0.2-10.1.0.254`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_addresses: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_addresses: Option<Vec<String>>,
    pub services: Vec<String>,
    pub witness: Option<WitnessJson>,
}

/// A pair that does not get through and where its example packet is dropped.
#[derive(Serialize)]
pub struct BlockedJson {
    pub from: String,
    pub to: String,
    pub flow: FlowJson,
    pub drops: Vec<HopJson>,
}

/// A concrete flow followed hop by hop, and what happens to its replies.
#[derive(Clone, Serialize)]
pub struct WitnessJson {
    /// The packet as sent.
    pub flow: FlowJson,
    pub hops: Vec<HopJson>,
    pub replies: RepliesJson,
}

/// One packet.
#[derive(Clone, Serialize)]
pub struct FlowJson {
    pub src: String,
    pub dst: String,
    /// The IP protocol number.
    pub protocol: u8,
    pub port: u16,
    /// `tcp/445`, `icmp`...
    pub service: String,
}

/// Whether replies come back, and by which way. Through a stateful firewall the flow crossed
/// they always pass; a stateless one must allow them (`reply` is then an example, else
/// `null`); a stateful firewall the flow did not cross drops them (`reason: "unseen"`), as
/// does a table without a route back (`"no-route"`). `path` is `reversed` when the replies
/// retrace the flow, else `other` with the `hops` of their own way; `assumed_at` lists the
/// firewalls without a routing table where the way back is assumed to be the way the flow came.
#[derive(Clone, Serialize)]
pub struct RepliesJson {
    #[serde(rename = "return")]
    pub returns: bool,
    /// Whether the firewall that decides is stateful (every one, when they return).
    pub stateful: bool,
    /// The firewall that drops the replies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_at: Option<String>,
    /// The stateless list's verdict that drops them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    pub reply: Option<FlowJson>,
    /// `reversed` or `other`.
    pub path: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hops: Option<Vec<HopJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed_at: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<&'static str>,
    /// `stateless`, `unseen` or `no-route`, when they do not return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// A firewall crossed.
#[derive(Clone, Serialize)]
pub struct HopJson {
    pub firewall: String,
    /// The interfaces in and out.
    #[serde(rename = "in")]
    pub ingress: String,
    #[serde(rename = "out")]
    pub egress: String,
    /// The networks on either side.
    pub from: String,
    pub to: String,
    /// Each rule list that decided on the packet.
    pub decisions: Vec<DecisionJson>,
    /// Only through a firewall that translates: what it rewrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nat: Option<Vec<NatJson>>,
    /// Only when the firewall drops unsolicited packets to addresses a source NAT hides: `true`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dropped_unsolicited: bool,
    /// Only through a firewall with a routing table: the route taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteJson>,
    /// Only through a firewall without one: `no routing table: any allowed path assumed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_assumption: Option<&'static str>,
}

/// What one rule list decided.
#[derive(Clone, Serialize)]
pub struct DecisionJson {
    pub list: String,
    /// The rule's number in its list, from 1; `null` for the list's default.
    pub rule: Option<usize>,
    /// `allow` or `deny`.
    pub action: &'static str,
    pub location: Location,
    /// An imported rule's configuration line, or `null`.
    pub origin: Option<String>,
    pub reason: Option<String>,
    /// Only for an imported rule read approximately.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximation: Option<String>,
}

/// One translation on a hop.
#[derive(Clone, Serialize)]
pub struct NatJson {
    /// The `[[firewall.nat]]` entry.
    pub entry: String,
    pub kind: &'static str,
    pub origin: Option<String>,
    pub before: FlowJson,
    pub after: FlowJson,
}

/// The route a hop took.
#[derive(Clone, Serialize)]
#[serde(untagged)]
pub enum RouteJson {
    /// `{"connected": true}`.
    Connected { connected: bool },
    /// A `[[firewall.route]]` entry; `connected` is `false`.
    Static {
        connected: bool,
        destination: String,
        next_hop: Option<String>,
        interface: String,
        origin: Option<String>,
    },
}

fn flow_json(f: &Flow) -> FlowJson {
    FlowJson {
        src: Ipv4Addr::from(f.src).to_string(),
        dst: Ipv4Addr::from(f.dst).to_string(),
        protocol: f.proto,
        port: f.port,
        service: f.service(),
    }
}

/// The route a hop took when its firewall has a routing table.
fn route_json(topo: &crate::model::Topology, hop: &Hop) -> Option<RouteJson> {
    use crate::graph::routes::RouteKind;
    match hop.route {
        None => None,
        Some(RouteKind::Connected) => Some(RouteJson::Connected { connected: true }),
        Some(RouteKind::Static(k)) => {
            let r = &topo.firewalls[hop.firewall].routes[k];
            Some(RouteJson::Static {
                connected: false,
                destination: r.destination.value.to_string(),
                next_hop: r.next_hop.as_ref().map(|h| h.value.to_string()),
                interface: names::interface(topo, hop.firewall, hop.egress),
                origin: r.origin.clone(),
            })
        }
    }
}

fn hop_json(reach: &Reachability<'_>, sources: &SourceMap, hop: &Hop) -> HopJson {
    let topo = reach.topo;
    let decisions = hop
        .decisions
        .iter()
        .map(|d| {
            let pos = names::decision_position(reach, sources, hop.firewall, d);
            let rule = names::decision_rule(topo, hop.firewall, d);
            DecisionJson {
                list: names::list(topo, hop.firewall, d),
                rule: d.rule.map(|i| i + 1),
                action: d.action.as_str(),
                location: Location {
                    file: pos.file,
                    line: pos.line,
                    column: pos.column,
                    origin: None,
                    approximation: None,
                },
                origin: rule.and_then(|r| r.origin.clone()),
                reason: rule.and_then(|r| r.reason.clone()),
                approximation: rule.and_then(|r| r.approximation.clone()),
            }
        })
        .collect();
    // Only firewalls that translate list translations (fields are only added).
    let nat = (!hop.nat.is_empty()).then(|| {
        hop.nat
            .iter()
            .map(|t| {
                let nat = &topo.firewalls[hop.firewall].nat[t.entry];
                NatJson {
                    entry: nat.key(t.entry),
                    kind: nat.kind(),
                    origin: nat.origin.clone(),
                    before: flow_json(&t.before),
                    after: flow_json(&t.after),
                }
            })
            .collect()
    });
    HopJson {
        firewall: topo.firewalls[hop.firewall].id.to_string(),
        ingress: names::interface(topo, hop.firewall, hop.ingress),
        egress: names::interface(topo, hop.firewall, hop.egress),
        from: names::net(topo, hop.from),
        to: names::net(topo, hop.to),
        decisions,
        nat,
        dropped_unsolicited: hop.hidden,
        // Firewalls with a routing table name the route taken; the others say the path rests
        // on the any-allowed-path assumption (fields are only added).
        route: route_json(topo, hop),
        route_assumption: topo.firewalls[hop.firewall]
            .routes
            .is_empty()
            .then_some(names::NO_TABLE),
    }
}

pub fn witness_json(reach: &Reachability<'_>, sources: &SourceMap, w: &Witness) -> WitnessJson {
    let topo = reach.topo;
    let firewall = |f: FirewallId| Some(topo.firewalls[f].id.to_string());
    let (returns, stateful, blocked_at, decision, reply, reason) = match &w.replies {
        Replies::Return { stateless_example } => (
            true,
            stateless_example.is_none(),
            None,
            None,
            stateless_example.as_ref().map(flow_json),
            None,
        ),
        Replies::Blocked {
            firewall: f,
            reply,
            decision,
        } => (
            false,
            false,
            firewall(*f),
            Some(names::verdict(decision)),
            Some(flow_json(reply)),
            Some("stateless"),
        ),
        Replies::Unseen { firewall: f, reply } => (
            false,
            topo.firewalls[*f].stateful,
            firewall(*f),
            None,
            Some(flow_json(reply)),
            Some("unseen"),
        ),
        Replies::NoRoute { firewall: f, reply } => (
            false,
            topo.firewalls[*f].stateful,
            firewall(*f),
            None,
            Some(flow_json(reply)),
            Some("no-route"),
        ),
    };
    let way = &w.reply_path;
    let replies = RepliesJson {
        returns,
        stateful,
        blocked_at,
        decision,
        reply,
        path: if way.reversed { "reversed" } else { "other" },
        hops: (!way.reversed).then(|| {
            way.hops
                .iter()
                .map(|h| hop_json(reach, sources, h))
                .collect()
        }),
        assumed_at: (!way.assumed.is_empty()).then(|| {
            way.assumed
                .iter()
                .map(|&f| topo.firewalls[f].id.to_string())
                .collect()
        }),
        assumption: (!way.assumed.is_empty()).then_some(super::replies::ASSUMED),
        reason,
    };
    WitnessJson {
        flow: flow_json(&w.flow),
        hops: w.hops.iter().map(|h| hop_json(reach, sources, h)).collect(),
        replies,
    }
}

/// The `query` and `pairs` (and `blocked`) members of the JSON document.
pub fn json(reach: &Reachability<'_>, sources: &SourceMap, r: &PathsReport<'_>) -> PathsJson {
    let topo = reach.topo;
    let texts = |a: &[AddrRange]| a.iter().map(|r| r.to_string()).collect::<Vec<_>>();
    let pairs = r
        .pairs
        .iter()
        .map(|p| PairJson {
            from: names::endpoint(topo, p.from),
            to: names::endpoint(topo, p.to),
            from_kind: names::endpoint_kind(p.from),
            to_kind: names::endpoint_kind(p.to),
            from_addresses: p.from_addresses.as_deref().map(texts),
            to_addresses: p.to_addresses.as_deref().map(texts),
            services: p.services.names(),
            witness: p.witness.as_ref().map(|w| witness_json(reach, sources, w)),
        })
        .collect();
    let blocked = (!r.blocked.is_empty()).then(|| {
        r.blocked
            .iter()
            .map(|b| BlockedJson {
                from: names::endpoint(topo, b.from),
                to: names::endpoint(topo, b.to),
                flow: flow_json(&b.blocked.flow),
                drops: b
                    .blocked
                    .drops
                    .iter()
                    .map(|h| hop_json(reach, sources, h))
                    .collect(),
            })
            .collect()
    });
    PathsJson {
        query: QueryJson {
            from: r.from.to_string(),
            to: r.to.to_string(),
            services: r.services.to_vec(),
        },
        pairs,
        blocked,
    }
}
