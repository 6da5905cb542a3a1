//! Warnings about firewall rule lists: rules that can never match (shadowed by the rules before
//! them) and rules whose removal changes nothing (redundant). Both places are shown.

use super::acl::{self, RuleIssue};
use super::space::Space;
use crate::diag::Diagnostic;
use crate::graph::addresses::Addresses;
use crate::model::{Action, Firewall, Rule, Topology};
use rayon::prelude::*;

/// A firewall's BDD manager is dropped and started afresh once it holds this many nodes:
/// firewalls share address sets, so a small warm manager is fastest.
const WORKER_NODES: usize = 1 << 16;

/// Every shadowed or redundant rule of every list of every firewall.
///
/// Firewalls are independent, so they are linted in parallel, each worker with its own small
/// BDD manager (a rule list's sets never leave it); the warnings come back in firewall order,
/// whatever the scheduling.
pub fn rule_warnings(topo: &Topology) -> Vec<Diagnostic> {
    let addrs = Addresses::new(topo);
    let per_firewall: Vec<Vec<Diagnostic>> = topo
        .firewalls
        .par_iter()
        .map_init(Space::small, |space, fw| {
            space.reset_when_grown(WORKER_NODES);
            firewall_warnings(space, &addrs, fw)
        })
        .collect();
    per_firewall.into_iter().flatten().collect()
}

fn firewall_warnings(space: &mut Space, addrs: &Addresses<'_>, fw: &Firewall) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let compiled = acl::compile(space, addrs, fw);
    let policy = format!("the policy list of firewall `{}`", fw.id);
    let issues = acl::rule_issues(space, &compiled.policy_matches, &fw.rules, fw.default);
    out.extend(describe(&issues, &fw.rules, fw.default, fw.loc, &policy));
    for filter in &fw.filters {
        let Some(i) = fw.interface_index(&filter.interface) else {
            continue;
        };
        let list = match filter.direction {
            crate::model::Direction::In => &compiled.in_filters[i],
            crate::model::Direction::Out => &compiled.out_filters[i],
        };
        let what = format!(
            "the {} filter on `{}` of firewall `{}`",
            filter.direction, filter.interface.value, fw.id
        );
        let issues = acl::rule_issues(space, &list.matches, &filter.rules, filter.default);
        out.extend(describe(
            &issues,
            &filter.rules,
            filter.default,
            filter.loc,
            &what,
        ));
    }
    out
}

fn describe(
    issues: &[RuleIssue],
    rules: &[Rule],
    default: Action,
    list_loc: crate::source::Loc,
    what: &str,
) -> Vec<Diagnostic> {
    issues
        .iter()
        .map(|issue| match issue {
            RuleIssue::Shadowed { rule, by } => {
                let mut d = Diagnostic::warning(
                    rules[*rule].loc,
                    format!("rule {} of {what} can never match", rule + 1),
                )
                .with_label("shadowed: the rules before it match everything it matches");
                for j in by.iter().take(5) {
                    d = d.with_related(rules[*j].loc, format!("rule {} covers part of it", j + 1));
                }
                d.with_note("remove it, or move it above the rules that cover it")
            }
            RuleIssue::Redundant { rule, by } => {
                let d = Diagnostic::warning(
                    rules[*rule].loc,
                    format!("rule {} of {what} is redundant", rule + 1),
                )
                .with_label(format!(
                    "removing this {} rule changes nothing",
                    rules[*rule].action
                ));
                match by {
                    Some(j) => d.with_related(
                        rules[*j].loc,
                        format!("rule {} (and the rules after it) decide the same", j + 1),
                    ),
                    None => d
                        .with_related(
                            list_loc,
                            format!("the default ({default}) decides the same"),
                        )
                        .with_note("a rule with `log = true` is never called redundant"),
                }
            }
        })
        .collect()
}
