//! Narrowing a rule to the declared traffic it serves: a fix that keeps a broad permit's
//! business use and closes the rest.
//!
//! When an attack path crosses an allow rule that also carries required traffic (a declared
//! network flow, a must-reach assertion: `analysis::intent`), removing the rule breaks that
//! traffic. Narrowing replaces it, in its place, by one copy per required pair it lets
//! through: the copy's source is the pair's source host when all of the host's addresses are
//! within the rule's sources (else the rule's own sources), likewise its destination, and its
//! services those of the requirement within the rule's. Each copy matches a subset of what
//! the rule matched, in the same place of a first-match list, so the narrowed list allows a
//! subset of what it allowed: narrowing never opens anything. A list's default `allow` is the
//! broadest permit of all: narrowed, it becomes `deny` with the copies appended after the last
//! rule, where only packets that reached the default arrive. Whether it keeps the required
//! traffic and cuts the attack path is not assumed: the fix search verifies both by
//! re-analysis, like every other change.

use super::fix::ListRef;
use crate::analysis::intent::Required;
use crate::analysis::paths::{Query, pairs};
use crate::analysis::reach::{Endpoint, Reachability};
use crate::model::ranges::subtract;
use crate::model::{Action, At, FirewallId, Rule, Selector, Service};
use std::collections::{BTreeMap, BTreeSet};

/// One copy of a narrowed rule: its sources, destinations and services (none: any).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kept {
    pub from: Vec<Selector>,
    pub to: Vec<Selector>,
    pub services: Vec<Service>,
}

impl Kept {
    /// The rule with this copy's match fields (everything else as the rule has it).
    pub fn apply_to(&self, rule: &Rule) -> Rule {
        let at = |v: &[Selector], like: &[At<Selector>]| -> Vec<At<Selector>> {
            let loc = like.first().map(|s| s.loc).unwrap_or(rule.loc);
            v.iter().map(|s| At::new(s.clone(), loc)).collect()
        };
        let mut r = rule.clone();
        r.from = at(&self.from, &rule.from);
        r.to = at(&self.to, &rule.to);
        let loc = rule.services.first().map(|s| s.loc).unwrap_or(rule.loc);
        r.services = self.services.iter().map(|s| At::new(*s, loc)).collect();
        r
    }
}

/// Rules (firewall, list, index as loaded) that let required traffic through, each with the
/// copies it narrows to.
pub type Narrowings = BTreeMap<RuleAt, Vec<Kept>>;

/// A rule as loaded: firewall, list, index in the list (`None`: the list's default).
pub type RuleAt = (FirewallId, ListRef, Option<usize>);

/// The allow rules on the witnesses of the required pairs that get through, and what each
/// narrows to. A rule whose copies would match all it matches is left out (nothing to narrow).
pub fn narrowings(reach: &mut Reachability<'_>, required: &[Required]) -> Narrowings {
    let topo = reach.topo;
    // Rule → the required pairs (source, destination, index of the requirement) it lets through.
    let mut served: BTreeMap<RuleAt, BTreeSet<(Endpoint, Endpoint, usize)>> = BTreeMap::new();
    for (k, r) in required.iter().enumerate() {
        let q = Query {
            from: &r.from,
            to: &r.to,
            services: &r.services,
        };
        let Ok(found) = pairs(reach, &q) else {
            continue;
        };
        for p in found {
            let Some(w) = &p.witness else { continue };
            for hop in &w.hops {
                for d in hop.decisions.iter().filter(|d| d.action == Action::Allow) {
                    served
                        .entry((hop.firewall, ListRef::from(d.list), d.rule))
                        .or_default()
                        .insert((p.from, p.to, k));
                }
            }
        }
    }
    let mut out = Narrowings::new();
    for ((f, list, i), uses) in served {
        let fw = &topo.firewalls[f];
        // What the rule matches; a default matches whatever reaches it.
        let whole = match i {
            Some(i) => {
                let rule = match list {
                    ListRef::Policy => &fw.rules[i],
                    ListRef::Filter(k) => &fw.filters[k].rules[i],
                };
                Kept {
                    from: rule.from.iter().map(|s| s.value.clone()).collect(),
                    to: rule.to.iter().map(|s| s.value.clone()).collect(),
                    services: rule.services.iter().map(|s| s.value).collect(),
                }
            }
            None => Kept {
                from: vec![Selector::Any],
                to: vec![Selector::Any],
                services: Vec::new(),
            },
        };
        let kept: BTreeSet<Kept> = uses
            .into_iter()
            .filter_map(|(a, b, k)| {
                Some(Kept {
                    from: narrower(reach, a, &whole.from),
                    to: narrower(reach, b, &whole.to),
                    services: within(&whole.services, &required[k].services)?,
                })
            })
            .collect();
        if !kept.is_empty() && !kept.contains(&whole) {
            out.insert((f, list, i), kept.into_iter().collect());
        }
    }
    out
}

/// The copy of a narrowed default: an allow rule with only the copy's match fields, written
/// where the firewall (or filter) is.
pub fn default_copy(k: &Kept, loc: crate::source::Loc) -> Rule {
    let template = Rule {
        action: Action::Allow,
        from: Vec::new(),
        to: Vec::new(),
        services: Vec::new(),
        in_interfaces: Vec::new(),
        out_interfaces: Vec::new(),
        log: false,
        reason: None,
        origin: None,
        approximation: None,
        identity: Default::default(),
        loc,
    };
    k.apply_to(&template)
}

/// The host itself when every address of it is among the rule's, else the rule's selectors.
fn narrower(reach: &Reachability<'_>, e: Endpoint, sels: &[Selector]) -> Vec<Selector> {
    let own = sels.to_vec();
    let Endpoint::Host(h) = e else {
        return own;
    };
    let host = Selector::Host(reach.topo.hosts[h].id.clone());
    let rule_addresses = reach.addrs.of_selectors(own.iter());
    if subtract(&reach.addrs.of_selector(&host), &rule_addresses).is_empty() {
        vec![host]
    } else {
        own
    }
}

/// The services of both lists (an empty list is any service); `None` when they share none.
fn within(rule: &[Service], required: &[Service]) -> Option<Vec<Service>> {
    if required.is_empty() {
        return Some(rule.to_vec());
    }
    if rule.is_empty() {
        return Some(required.to_vec());
    }
    let mut out: BTreeSet<Service> = BTreeSet::new();
    for a in rule {
        for b in required {
            if let Some(c) = both(*a, *b) {
                out.insert(c);
            }
        }
    }
    (!out.is_empty()).then(|| out.into_iter().collect())
}

/// What two services share.
fn both(a: Service, b: Service) -> Option<Service> {
    match (a, b) {
        (Service::Any, x) | (x, Service::Any) => Some(x),
        (Service::Proto { proto: p, ports: x }, Service::Proto { proto: q, ports: y }) => {
            let (first, last) = (x.first.max(y.first), x.last.min(y.last));
            (p == q && first <= last).then_some(Service::Proto {
                proto: p,
                ports: crate::model::service::PortRange { first, last },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{both, within};
    use crate::model::Service;

    fn s(text: &str) -> Service {
        Service::parse(text).unwrap()
    }

    #[test]
    fn services_are_cut_to_what_both_lists_allow() {
        assert_eq!(both(s("tcp/80-443"), s("tcp/443-8080")), Some(s("tcp/443")));
        assert_eq!(both(s("tcp/80"), s("udp/80")), None);
        assert_eq!(both(s("any"), s("udp/53")), Some(s("udp/53")));
        assert_eq!(
            within(&[s("tcp/445"), s("tcp/3389")], &[s("tcp")]),
            Some(vec![s("tcp/445"), s("tcp/3389")])
        );
        assert_eq!(within(&[], &[s("tcp/445")]), Some(vec![s("tcp/445")]));
        assert_eq!(within(&[s("tcp/445")], &[]), Some(vec![s("tcp/445")]));
        assert_eq!(within(&[s("tcp/445")], &[s("tcp/3389")]), None);
    }
}
