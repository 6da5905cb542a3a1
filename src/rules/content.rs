//! What a finding is about, in words that change exactly when it does: the match fields of the
//! firewall rule its subject names (`allow segment:a → host:b (tcp/443)`), else the services
//! of a packet finding (`tcp/80, tcp/443`). An exception pins it (`accepted`), so it stops
//! applying when the rule or the flows behind the finding change, and says what changed.

use super::engine::Finding;
use super::evidence::Evidence;
use super::net::{selectors, services};
use crate::model::{Rule, Topology};

/// The content of a finding, when it has one.
pub fn of(topo: &Topology, f: &Finding) -> Option<String> {
    if let Some(rule) = named_rule(topo, &f.subject) {
        return Some(rule_text(rule));
    }
    match &f.evidence {
        Some(Evidence::Packets { services, .. }) => Some(services.names().join(", ")),
        _ => None,
    }
}

/// A rule's match fields and action on one line.
pub fn rule_text(r: &Rule) -> String {
    let mut text = format!(
        "{} {} → {} ({})",
        r.action,
        selectors(&r.from),
        selectors(&r.to),
        services(&r.services)
    );
    for (word, list) in [("in", &r.in_interfaces), ("out", &r.out_interfaces)] {
        if !list.is_empty() {
            let names: Vec<&str> = list.iter().map(|i| i.value.as_str()).collect();
            text.push_str(&format!(" {word} {}", names.join(", ")));
        }
    }
    text
}

/// The firewall rule a subject names: `FIREWALL/KEY` (policy list) or
/// `FIREWALL/IFACE-DIRECTION/KEY` (filter), KEY an id or a 1-based position.
pub fn named_rule<'t>(topo: &'t Topology, subject: &str) -> Option<&'t Rule> {
    let (fw_id, rest) = subject.split_once('/')?;
    let fw = topo.firewalls.iter().find(|f| f.id == fw_id)?;
    let (rules, key) = match rest.rsplit_once('/') {
        None => (&fw.rules, rest),
        Some((list, key)) => {
            let filter = fw
                .filters
                .iter()
                .find(|f| format!("{}-{}", f.interface.value, f.direction) == list)?;
            (&filter.rules, key)
        }
    };
    rules
        .iter()
        .enumerate()
        .find(|(i, r)| r.key(*i) == key)
        .map(|(_, r)| r)
}

/// Whether a subject names a rule by its position (the rule has no id).
pub fn names_rule_by_position(topo: &Topology, subject: &str) -> bool {
    named_rule(topo, subject).is_some_and(|r| r.identity.id.is_none())
}
