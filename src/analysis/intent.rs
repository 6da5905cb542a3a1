//! Positive intent: traffic that must get through (`[[assert]] expect = "path"`, declared
//! `[[flow]] method = "network"`). Declared hosts, gateways and externals must reach; a
//! segment's undeclared addresses need not (no device is declared there that needs the
//! traffic). The rules report broken pairs; the attack fix search keeps away from changes that
//! break them.

use super::paths::{Query, blocked_pairs, pairs};
use super::reach::{Endpoint, Reachability};
use super::witness::Blocked;
use crate::model::policy::{Expect, Policy};
use crate::model::{FlowMethod, Selector, Service, Topology};
use std::collections::BTreeMap;

/// A pair that must be connected and is not, on some of the required services.
pub struct Broken {
    pub from: Endpoint,
    pub to: Endpoint,
    /// The required services that do not get through (`any` when none were listed).
    pub missing: Vec<String>,
    /// Where the example packet of the first missing service is dropped.
    pub blocked: Blocked,
}

/// The pairs of `from` × `to` endpoints that do not get every one of `services` (any service
/// at all when the list is empty), leaving out `excluded` sources and undeclared addresses.
pub fn broken(
    reach: &mut Reachability<'_>,
    from: &Selector,
    to: &Selector,
    services: &[Service],
    excluded: &[Endpoint],
) -> Result<Vec<Broken>, String> {
    let each: Vec<&[Service]> = if services.is_empty() {
        vec![&[]]
    } else {
        services.iter().map(std::slice::from_ref).collect()
    };
    let mut out: BTreeMap<(Endpoint, Endpoint), Broken> = BTreeMap::new();
    for svc in each {
        let q = Query {
            from,
            to,
            services: svc,
        };
        let reachable = pairs(reach, &q)?;
        for (f, t, blocked) in blocked_pairs(reach, &q, &reachable, usize::MAX)? {
            let undeclared = |e: Endpoint| matches!(e, Endpoint::Undeclared(_));
            if undeclared(f) || undeclared(t) || excluded.contains(&f) {
                continue;
            }
            let name = svc.first().map_or("any".to_string(), |s| s.to_string());
            out.entry((f, t))
                .or_insert_with(|| Broken {
                    from: f,
                    to: t,
                    missing: Vec::new(),
                    blocked,
                })
                .missing
                .push(name);
        }
    }
    Ok(out.into_values().collect())
}

/// One piece of traffic the design must let through: `flow:ID` or `assert:ID` with its ends.
#[derive(Clone, Debug)]
pub struct Required {
    pub label: String,
    pub from: Selector,
    pub to: Selector,
    pub services: Vec<Service>,
}

/// Every declared network flow (to a store: on its service) and must-reach assertion.
pub fn required(topo: &Topology, policy: &Policy) -> Vec<Required> {
    let mut out = Vec::new();
    for f in topo
        .flows
        .iter()
        .filter(|f| f.method == FlowMethod::Network)
    {
        out.push(Required {
            label: format!("flow:{}", f.id),
            from: f.from.value.clone(),
            to: f.to.value.clone(),
            services: store_service(topo, &f.to.value),
        });
    }
    for a in policy.asserts.iter().filter(|a| a.expect == Expect::Path) {
        for from in &a.from {
            for to in &a.to {
                out.push(Required {
                    label: format!("assert:{}", a.id),
                    from: from.value.clone(),
                    to: to.value.clone(),
                    services: a.services.iter().map(|s| s.value).collect(),
                });
            }
        }
    }
    out
}

/// The service a store is read on, when the selector names a store that has one.
pub fn store_service(topo: &Topology, to: &Selector) -> Vec<Service> {
    match to {
        Selector::Store(id) => topo
            .stores
            .iter()
            .find(|s| s.id == *id)
            .and_then(|s| s.service.as_ref())
            .map(|s| vec![s.value])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The labels of the required traffic that does not get through, sorted and distinct.
pub fn broken_labels(reach: &mut Reachability<'_>, required: &[Required]) -> Vec<String> {
    let mut out: Vec<String> = required
        .iter()
        .filter(|r| broken(reach, &r.from, &r.to, &r.services, &[]).is_ok_and(|b| !b.is_empty()))
        .map(|r| r.label.clone())
        .collect();
    out.dedup();
    out
}
