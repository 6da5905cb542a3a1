//! Positive intent: traffic that must get through (`[[assert]] expect = "path"`, declared
//! `[[flow]] method = "network"`). A broken one is reported per pair of endpoints with the
//! services that do not get through and, as evidence, where the first of them is dropped (as
//! `paths --explain-blocked` shows it).
//!
//! Declared hosts, gateways and externals must reach; a segment's undeclared addresses need not
//! (no device is declared there that needs the traffic).

use crate::analysis::paths::{Query, blocked_pairs, pairs};
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::witness::Blocked;
use crate::model::{Selector, Service};
use crate::report::names;
use crate::rules::{Evidence, Outcome, Text};
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

/// Where the packet is dropped, hop by hop: each firewall crossed, the last with the list and
/// the rule (or default) that dropped it.
pub fn drop_steps(reach: &Reachability<'_>, b: &Blocked) -> Vec<Text> {
    let topo = reach.topo;
    let flow = b.flow.to_string();
    let mut steps = vec![Text::new(format!("例: {flow}"), format!("example: {flow}"))];
    for (i, h) in b.drops.iter().enumerate() {
        let hop = names::hop(topo, h);
        let last = i + 1 == b.drops.len();
        match h.decisions.last().filter(|_| last) {
            Some(d) => {
                let rule = names::decision_subject(topo, h.firewall, d)
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let lang = crate::lang::Lang::Ja;
                steps.push(Text::new(
                    format!(
                        "{hop}: {} {}{rule} で遮断",
                        names::list_in(topo, h.firewall, d, lang),
                        names::verdict_in(d, lang)
                    ),
                    format!(
                        "{hop}: dropped by {} {}{rule}",
                        names::list(topo, h.firewall, d),
                        names::verdict(d)
                    ),
                ));
            }
            None => steps.push(Text::new(hop.clone(), hop)),
        }
    }
    if b.drops.is_empty() {
        steps.push(Text::new(
            "送信元と宛先をつなぐファイアウォールが無い",
            "no firewall connects the source to the destination",
        ));
    }
    steps
}

/// The finding for a broken pair: `what` says which intent it breaks (an assertion, a flow).
pub fn outcome(
    reach: &Reachability<'_>,
    b: &Broken,
    what: &Text,
    loc: crate::source::Loc,
) -> Outcome {
    let topo = reach.topo;
    let subject = format!(
        "{}->{}",
        names::endpoint(topo, b.from),
        names::endpoint(topo, b.to)
    );
    let missing = b.missing.join(", ");
    let steps = drop_steps(reach, &b.blocked);
    let at = steps.last().cloned().unwrap_or_else(|| Text::new("", ""));
    Outcome::fail(
        subject.clone(),
        Some(loc),
        Text::new(
            format!(
                "{subject} は {} により通信できなければならないが、{missing} が届かない: {}",
                what.ja, at.ja
            ),
            format!(
                "{subject} must get through ({}), but {missing} does not: {}",
                what.en, at.en
            ),
        ),
    )
    .with_evidence(Evidence::Steps(steps))
}
