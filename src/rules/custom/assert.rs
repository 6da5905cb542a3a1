//! `[[assert]]`: the municipality's own path assertions.
//!
//! `no-path`: no packet gets from the `from` endpoints (less `except_from`) to the `to`
//! endpoints. `only-via`: every packet path passes the `via` segments, zones or hosts; `via`
//! channels are sanctioned crossings that carry no packets, so with only channels named, any
//! packet path is a violation. `path`: every declared `from` endpoint must reach every declared
//! `to` endpoint, on each listed service (`must_reach`).

use crate::analysis::paths::{Query, endpoints, pairs};
use crate::analysis::reach::{Endpoint, Reachability};
use crate::graph::Net;
use crate::model::policy::{Assert, Expect};
use crate::model::{Selector, Topology};

use crate::rules::{Context, Outcome, Text};

/// The networks `via` selectors stand for (segments of zones, of hosts, or named directly).
fn via_nets(topo: &Topology, via: &[Selector]) -> Vec<Net> {
    let mut nets = Vec::new();
    for (i, s) in topo.segments.iter().enumerate() {
        let named = via.iter().any(|v| match v {
            Selector::Segment(id) => s.id == *id,
            Selector::Zone(z) => s.zone.value == *z,
            Selector::Tier(t) => topo.zone(&s.zone).is_some_and(|z| z.tier == *t),
            Selector::Host(h) => topo
                .host(h)
                .is_some_and(|h| h.interfaces.iter().any(|i| i.segment.value == s.id)),
            _ => false,
        });
        if named {
            nets.push(Net::Segment(i));
        }
    }
    for (i, e) in topo.externals.iter().enumerate() {
        if via
            .iter()
            .any(|v| matches!(v, Selector::External(x) if *x == e.id))
        {
            nets.push(Net::External(i));
        }
    }
    nets
}

fn endpoints_of(reach: &Reachability<'_>, sels: &[Selector]) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = sels
        .iter()
        .flat_map(|s| endpoints(reach, s).unwrap_or_default())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `expect = "path"`: one finding per pair that does not get every required service.
fn must_reach(cx: &mut Context<'_>, a: &Assert) -> Vec<Outcome> {
    let except: Vec<Selector> = a.except_from.iter().map(|s| s.value.clone()).collect();
    let excluded = endpoints_of(&cx.reach, &except);
    let services: Vec<crate::model::Service> = a.services.iter().map(|s| s.value).collect();
    let what = Text::new(
        format!("アサーション {}", a.id),
        format!("assertion {}", a.id),
    );
    let mut outcomes = Vec::new();
    for f in &a.from {
        for t in &a.to {
            let broken =
                super::must_reach::broken(&mut cx.reach, &f.value, &t.value, &services, &excluded)
                    .unwrap_or_default();
            for b in broken {
                outcomes.push(super::must_reach::outcome(&cx.reach, &b, &what, a.loc));
            }
        }
    }
    if outcomes.is_empty() {
        outcomes.push(Outcome::pass(a.id.clone(), Some(a.loc)));
    }
    outcomes
}

fn check_one(cx: &mut Context<'_>, a: &Assert) -> Vec<Outcome> {
    if a.expect == Expect::Path {
        return must_reach(cx, a);
    }
    let topo = cx.topo;
    let values = |v: &[crate::model::At<Selector>]| -> Vec<Selector> {
        v.iter().map(|s| s.value.clone()).collect()
    };
    let (from, to, except, via) = (
        values(&a.from),
        values(&a.to),
        values(&a.except_from),
        values(&a.via),
    );
    let stops = match a.expect {
        Expect::NoPath | Expect::Path => Vec::new(),
        Expect::OnlyVia => via_nets(topo, &via),
    };
    // With stops, only paths that avoid every `via` network remain: each is a violation.
    let mut reach = if stops.is_empty() {
        None
    } else {
        Some(Reachability::compute_with_stops(cx.reach.checked(), &stops))
    };
    let r = reach.as_mut().unwrap_or(&mut cx.reach);
    let excluded = endpoints_of(r, &except);
    // A path that starts on a `via` network has passed it.
    let starts_on_via = |r: &Reachability<'_>, e: Endpoint| match e {
        Endpoint::External(x) => stops.contains(&Net::External(x.0)),
        _ => r
            .endpoint_legs(e)
            .iter()
            .any(|(s, _)| stops.contains(&Net::Segment(*s))),
    };
    let mut found: Vec<crate::analysis::paths::Pair> = Vec::new();
    for f in &from {
        for t in &to {
            let q = Query {
                from: f,
                to: t,
                services: &[],
            };
            for p in pairs(r, &q).unwrap_or_default() {
                if excluded.contains(&p.from) || starts_on_via(r, p.from) {
                    continue;
                }
                if !found.iter().any(|q| q.from == p.from && q.to == p.to) {
                    found.push(p);
                }
            }
        }
    }
    found.sort_by_key(|p| (p.to, p.from));
    let mut outcomes = Vec::new();
    for p in found {
        let subject = crate::analysis::names::pair_subject(topo, &p);
        let shown = crate::analysis::names::pair(topo, &p);
        let (ja, en) = match a.expect {
            Expect::NoPath | Expect::Path => ("経路があってはならない", "must have no path"),
            Expect::OnlyVia => (
                "指定の経由点を通らない経路がある",
                "has a path that avoids `via`",
            ),
        };
        outcomes.push(
            Outcome::fail(
                subject.clone(),
                Some(a.loc),
                Text::new(
                    format!("{shown}: {ja} ({})", p.services),
                    format!("{shown} {en} ({})", p.services),
                ),
            )
            .with_evidence(Context::packet_evidence(&p)),
        );
    }
    if outcomes.is_empty() {
        outcomes.push(Outcome::pass(a.id.clone(), Some(a.loc)));
    }
    outcomes
}

pub fn check(cx: &mut Context<'_>) -> Vec<(String, String, Vec<Outcome>)> {
    let asserts = cx.policy.asserts.clone();
    asserts
        .iter()
        .map(|a| {
            let name = a.description.clone().unwrap_or_else(|| "assertion".into());
            (a.id.clone(), name, check_one(cx, a))
        })
        .collect()
}
