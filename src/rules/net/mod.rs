//! Rules of the `NET` family: network hygiene (deny-by-default firewalls with documented
//! rules, no lateral movement between terminals) from the catalogue, and sansou's own checks of
//! routing tables (NET-008 loops, NET-009 blackholes), which the catalogue does not list.

pub mod ep_001;
pub mod logging;
pub mod mon_001;
pub mod net_001;
pub mod net_002;
pub mod net_003;
pub mod net_004;
pub mod net_005;
pub mod net_006;
pub mod net_007;
pub mod net_008;
pub mod net_009;

use super::{Rule, Text};
use crate::analysis::names;
use crate::analysis::witness::Hop;
use crate::model::{At, Selector, Service, Topology};

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &net_001::Rule,
        &net_002::Rule,
        &net_003::Rule,
        &net_004::Rule,
        &net_005::Rule,
        &net_006::Rule,
        &net_007::Rule,
        &net_008::Rule,
        &net_009::Rule,
        &ep_001::Rule,
        &mon_001::Rule,
    ]
}

/// One hop of a routing witness as a step: the firewall and interfaces crossed, what its lists
/// decided (with the configuration line of an imported rule), and the route taken.
pub fn hop_step(topo: &Topology, hop: &Hop) -> Text {
    let step = |lang: crate::lang::Lang| {
        let mut parts = vec![names::hop(topo, hop)];
        for d in &hop.decisions {
            let origin = names::decision_rule(topo, hop.firewall, d)
                .and_then(|r| r.origin.as_deref())
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            parts.push(format!(
                "{} {}{origin}",
                names::list_in(topo, hop.firewall, d, lang),
                names::verdict_in(d, lang)
            ));
        }
        parts.extend(names::route(topo, hop, lang));
        parts.join(lang.pick("、", "; "))
    };
    Text::new(step(crate::lang::Lang::Ja), step(crate::lang::Lang::En))
}

/// Where a routing finding points: the route the hop took, else its firewall.
pub fn hop_loc(topo: &Topology, hop: &Hop) -> crate::source::Loc {
    let fw = &topo.firewalls[hop.firewall];
    match hop.route {
        Some(crate::graph::routes::RouteKind::Static(k)) => fw.routes[k].loc,
        _ => fw.loc,
    }
}

/// Selectors as written in a rule: `host:a, segment:b`.
pub fn selectors(list: &[At<Selector>]) -> String {
    list.iter()
        .map(|s| s.value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Services as written in a rule; `any` when none are listed.
pub fn services(list: &[At<Service>]) -> String {
    if list.is_empty() {
        return "any".into();
    }
    list.iter()
        .map(|s| s.value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
