//! Compiling a firewall's ordered rule lists into sets of packets, and finding rules that can
//! never match (shadowed) or whose removal changes nothing (redundant).
//!
//! A rule list is first-match with a default: folding from the last rule up, each rule either
//! adds what it matches (allow) or removes it (deny) from what the rules below it permit.

use super::bdd::{Bdd, FALSE, TRUE};
use super::space::{Flow, MAX_INTERFACES, Space};
use crate::graph::addresses::Addresses;
use crate::model::service::has_ports;
use crate::model::{Action, At, Direction, Firewall, Rule, Selector, Service};

/// A firewall's rule lists as packet sets.
#[derive(Clone)]
pub struct CompiledFirewall {
    /// What each policy rule matches, over (ingress, egress, source, destination, service).
    pub policy_matches: Vec<Bdd>,
    /// Permitted by the policy list (with its default), over the same fields.
    pub policy: Bdd,
    /// Per interface: permitted by its `in` filter (TRUE without a filter), and its match sets.
    pub in_filters: Vec<CompiledList>,
    pub out_filters: Vec<CompiledList>,
}

impl CompiledFirewall {
    /// The same lists with every set renamed (to another manager's node ids).
    pub fn map(&self, mut f: impl FnMut(Bdd) -> Bdd) -> CompiledFirewall {
        let mut list = |l: &CompiledList| CompiledList {
            permitted: f(l.permitted),
            matches: l.matches.iter().map(|&m| f(m)).collect(),
            filter: l.filter,
        };
        let in_filters = self.in_filters.iter().map(&mut list).collect();
        let out_filters = self.out_filters.iter().map(&mut list).collect();
        CompiledFirewall {
            policy_matches: self.policy_matches.iter().map(|&m| f(m)).collect(),
            policy: f(self.policy),
            in_filters,
            out_filters,
        }
    }
}

/// One interface filter.
#[derive(Clone)]
pub struct CompiledList {
    pub permitted: Bdd,
    pub matches: Vec<Bdd>,
    /// Index of the filter in `Firewall::filters`, if the interface has one.
    pub filter: Option<usize>,
}

impl CompiledList {
    fn open() -> CompiledList {
        CompiledList {
            permitted: TRUE,
            matches: Vec::new(),
            filter: None,
        }
    }
}

/// The packets a rule matches. Interface constraints apply only in the policy list.
pub fn rule_match(space: &mut Space, addrs: &Addresses<'_>, fw: &Firewall, rule: &Rule) -> Bdd {
    let src = addrs.of_selectors(rule.from.iter().map(|s| &s.value));
    let dst = addrs.of_selectors(rule.to.iter().map(|s| &s.value));
    let svc = space.services(rule.services.iter().map(|s| &s.value));
    // Bottom-up in variable order (destination, source, service): each field is built over
    // the set below it, so every node of the match is made once.
    let below = space.header_src_over(&src, svc);
    let mut m = space.dst_over(&dst, below);
    for (names, ingress) in [(&rule.in_interfaces, true), (&rule.out_interfaces, false)] {
        if names.is_empty() {
            continue;
        }
        let mut allowed = FALSE;
        for name in names {
            if let Some(i) = fw.interface_index(name) {
                let b = if ingress {
                    space.ingress(i)
                } else {
                    space.egress(i)
                };
                allowed = space.m.or(allowed, b);
            }
        }
        m = space.m.and(m, allowed);
    }
    m
}

/// Whether a rule matches one concrete packet entering at interface `ingress` and leaving at
/// `egress`: membership in [`rule_match`]'s set, answered on the model. Witnesses ask it for
/// the few packets they follow, which is cheaper than keeping every rule's set after the
/// compile; `tests/analysis/rule_packets.rs` checks the two agree.
pub fn rule_matches(
    addrs: &Addresses<'_>,
    fw: &Firewall,
    rule: &Rule,
    flow: Flow,
    ingress: usize,
    egress: usize,
) -> bool {
    let side = |sels: &[At<Selector>], addr: u32| {
        sels.iter().any(|s| addrs.selector_contains(&s.value, addr))
    };
    // Names the firewall does not have select no interface (as in `rule_match`).
    let at = |names: &[At<String>], i: usize| {
        names.is_empty() || names.iter().any(|n| fw.interface_index(n) == Some(i))
    };
    side(&rule.from, flow.src)
        && side(&rule.to, flow.dst)
        && rule
            .services
            .iter()
            .any(|s| service_matches(s.value, flow.proto, flow.port))
        && at(&rule.in_interfaces, ingress)
        && at(&rule.out_interfaces, egress)
}

/// Whether a service of a rule matches a packet's protocol and port (`Space::service`: ports
/// narrow only TCP and UDP).
fn service_matches(s: Service, proto: u8, port: u16) -> bool {
    match s {
        Service::Any => true,
        Service::Proto { proto: p, ports } => {
            p == proto && (!has_ports(p) || (ports.first <= port && port <= ports.last))
        }
    }
}

/// The filter bound to interface `i` in `direction` (the last one, as `compile` binds them).
pub fn filter_at(fw: &Firewall, i: usize, direction: Direction) -> Option<usize> {
    fw.filters
        .iter()
        .rposition(|f| f.direction == direction && fw.interface_index(&f.interface) == Some(i))
}

/// First-match fold of an ordered list.
pub fn fold(space: &mut Space, matches: &[Bdd], actions: &[Action], default: Action) -> Bdd {
    let mut permitted = if default == Action::Allow {
        TRUE
    } else {
        FALSE
    };
    for (m, action) in matches.iter().zip(actions).rev() {
        permitted = match action {
            Action::Allow => space.m.or(*m, permitted),
            Action::Deny => space.m.diff(permitted, *m),
        };
    }
    permitted
}

pub fn compile(space: &mut Space, addrs: &Addresses<'_>, fw: &Firewall) -> CompiledFirewall {
    assert!(
        fw.interfaces.len() <= MAX_INTERFACES,
        "the loader limits interfaces per firewall"
    );
    let policy_matches: Vec<Bdd> = fw
        .rules
        .iter()
        .map(|r| rule_match(space, addrs, fw, r))
        .collect();
    let actions: Vec<Action> = fw.rules.iter().map(|r| r.action).collect();
    let policy = fold(space, &policy_matches, &actions, fw.default);
    let mut in_filters = vec![CompiledList::open(); fw.interfaces.len()];
    let mut out_filters = in_filters.clone();
    for (k, filter) in fw.filters.iter().enumerate() {
        let Some(i) = fw.interface_index(&filter.interface) else {
            continue;
        };
        let matches: Vec<Bdd> = filter
            .rules
            .iter()
            .map(|r| rule_match(space, addrs, fw, r))
            .collect();
        let actions: Vec<Action> = filter.rules.iter().map(|r| r.action).collect();
        let permitted = fold(space, &matches, &actions, filter.default);
        let list = CompiledList {
            permitted,
            matches,
            filter: Some(k),
        };
        match filter.direction {
            Direction::In => in_filters[i] = list,
            Direction::Out => out_filters[i] = list,
        }
    }
    CompiledFirewall {
        policy_matches,
        policy,
        in_filters,
        out_filters,
    }
}

/// What is wrong with a rule of an ordered list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleIssue {
    /// The rule can never match: the earlier rules listed cover everything it matches.
    Shadowed { rule: usize, by: Vec<usize> },
    /// Removing the rule changes nothing: for everything it decides, the rules after it (the
    /// first of which is `by`) or the default (`by = None`) decide the same.
    Redundant { rule: usize, by: Option<usize> },
}

/// Finds shadowed and redundant rules of one ordered list. Rules with `log = true` are never
/// called redundant: they change what is logged.
pub fn rule_issues(
    space: &mut Space,
    matches: &[Bdd],
    rules: &[Rule],
    default: Action,
) -> Vec<RuleIssue> {
    let n = matches.len();
    // rest[k]: what rules k.. and the default permit.
    let mut rest = vec![
        if default == Action::Allow {
            TRUE
        } else {
            FALSE
        };
        n + 1
    ];
    for k in (0..n).rev() {
        rest[k] = match rules[k].action {
            Action::Allow => space.m.or(matches[k], rest[k + 1]),
            Action::Deny => space.m.diff(rest[k + 1], matches[k]),
        };
    }
    let mut issues = Vec::new();
    let mut before = FALSE;
    for i in 0..n {
        let effective = space.m.diff(matches[i], before);
        if effective == FALSE {
            let by = (0..i)
                .filter(|&j| space.m.and(matches[j], matches[i]) != FALSE)
                .collect();
            issues.push(RuleIssue::Shadowed { rule: i, by });
        } else if !rules[i].log {
            let same = match rules[i].action {
                Action::Allow => space.m.subset(effective, rest[i + 1]),
                Action::Deny => space.m.and(effective, rest[i + 1]) == FALSE,
            };
            if same {
                let by = (i + 1..n).find(|&j| space.m.and(matches[j], effective) != FALSE);
                issues.push(RuleIssue::Redundant { rule: i, by });
            }
        }
        before = space.m.or(before, matches[i]);
    }
    issues
}
