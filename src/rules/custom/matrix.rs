//! `[[matrix]]`: the intended connectivity between areas (zones and externals), checked against
//! the computed zone matrix. Only the area pairs some entry names are checked: for those, every
//! service and channel that crosses must be in an `allow` of a matching entry. A channel whose
//! gateway can be bypassed is a raw crossing and only `any` allows it.

use crate::analysis::matrix::{self, Area};
use crate::analysis::names::area_id;
use crate::analysis::space::ServiceSet;
use crate::model::policy::{MatrixAllow, MatrixEntry};
use crate::model::{Selector, Topology};
use crate::rules::{Context, Outcome, Text};

fn matches(topo: &Topology, sel: &Selector, area: Area) -> bool {
    match (sel, area) {
        (Selector::Any, _) => true,
        (Selector::Zone(z), Area::Zone(i)) => topo.zones[i].id == *z,
        (Selector::Tier(t), Area::Zone(i)) => topo.zones[i].tier == *t,
        (Selector::External(x), Area::External(i)) => topo.externals[i].id == *x,
        _ => false,
    }
}

/// The area's selector for path queries.
fn area_selector(topo: &Topology, a: Area) -> Selector {
    match a {
        Area::Zone(z) => Selector::Zone(topo.zones[z].id.clone()),
        Area::External(x) => Selector::External(topo.externals[x].id.clone()),
    }
}

pub fn check(cx: &mut Context<'_>) -> Vec<(String, String, Vec<Outcome>)> {
    let entries: &[MatrixEntry] = &cx.policy.matrix;
    if entries.is_empty() {
        return Vec::new();
    }
    let topo = cx.topo;
    let m = matrix::compute(&mut cx.reach);
    let mut by_entry: Vec<Vec<Outcome>> = vec![Vec::new(); entries.len()];
    for cell in m.cells.iter().filter(|c| c.from != c.to) {
        let applicable: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                matches(topo, &entries[i].from, cell.from) && matches(topo, &entries[i].to, cell.to)
            })
            .collect();
        let Some(&first) = applicable.first() else {
            continue;
        };
        let mut allowed_services = Vec::new();
        let mut allowed_channels = Vec::new();
        for &i in &applicable {
            for a in &entries[i].allow {
                match &a.value {
                    MatrixAllow::Service(s) => allowed_services.push(*s),
                    MatrixAllow::Channel(k) => allowed_channels.push(*k),
                }
            }
        }
        let allowed = {
            let f = cx.reach.space.services(&allowed_services);
            cx.reach.space.services_of(f)
        };
        let everything = allowed.names() == ["any"];
        let extra: ServiceSet = cell.services.minus(&allowed);
        let subject = format!("{}->{}", area_id(topo, cell.from), area_id(topo, cell.to));
        let loc = Some(entries[first].loc);
        let ids: Vec<&str> = applicable.iter().map(|&i| entries[i].id.as_str()).collect();
        let mut problems = false;
        if !extra.is_empty() {
            problems = true;
            let from = area_selector(topo, cell.from);
            let to = area_selector(topo, cell.to);
            let services = extra.to_services();
            let example = cx.pairs(&from, &to, &services).into_iter().next();
            let mut o = Outcome::fail(
                subject.clone(),
                loc,
                Text::new(
                    format!(
                        "{subject} に意図しない通信 {extra} が通る ({} で許可されていない)",
                        ids.join(", ")
                    ),
                    format!(
                        "{extra} crosses {subject}, which {} does not allow",
                        ids.join(", ")
                    ),
                ),
            );
            if let Some(p) = example {
                o = o.with_evidence(Context::packet_evidence(&p));
            }
            by_entry[first].push(o);
        }
        for ch in &cell.channels {
            let gateway = &topo.gateways[ch.gateway].id;
            let raw = ch.bypass && !everything;
            if !allowed_channels.contains(&ch.kind) || raw {
                problems = true;
                let why = if raw {
                    Text::new(
                        "無害化を迂回できる (bypass = true)",
                        "it can be bypassed (bypass = true)",
                    )
                } else {
                    Text::new("許可されたチャネルではない", "not an allowed channel")
                };
                by_entry[first].push(Outcome::fail(
                    format!("{subject}/{gateway}"),
                    Some(topo.gateways[ch.gateway].loc),
                    Text::new(
                        format!("{subject} のチャネル {} ({gateway}): {}", ch.kind, why.ja),
                        format!("channel {} ({gateway}) on {subject}: {}", ch.kind, why.en),
                    ),
                ));
            }
        }
        if !problems {
            by_entry[first].push(Outcome::pass(subject, loc));
        }
    }
    entries
        .iter()
        .zip(by_entry)
        .map(|(e, outcomes)| (e.id.clone(), "intended-zone-matrix".to_string(), outcomes))
        .collect()
}
