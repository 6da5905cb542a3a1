//! Findings grouped by their cause: the firewall rules that let their packets through.
//!
//! One broad rule opens many pairs, and a rule that checks pairs (MN-010, LG-002 ...) reports
//! each of them: 12 findings of one rule code, all behind the same one or two firewall rules.
//! The reader fixes the rule, not the pairs, so the outputs show such findings as one entry
//! naming the rules, with the pairs underneath. Grouping only arranges findings: every finding
//! stays a finding, with its own subject and fingerprint.
//!
//! A finding's cause is the list of rules that allow its witness, hop by hop (a list's default
//! when no rule matched): the rules a reader would change to close that example. Two open
//! findings of one code, the same cause and the same verdict are one group; a finding an
//! exception accepts stands alone, with its own exception. The witness is one example flow: other services of the pair may pass other
//! rules, which the finding's own evidence shows.

use super::engine::Finding;
use super::evidence::Evidence;
use super::fingerprint::fingerprint;
use crate::analysis::names::decision_subject;
use crate::analysis::witness::{Decision, List, Witness};
use crate::model::{Action, FirewallId, Topology};
use std::collections::BTreeMap;

/// A firewall list entry that let a witness through: a rule, or the list's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CauseRule {
    pub firewall: FirewallId,
    /// The list and the rule (none for the list's default) that allowed.
    pub decision: Decision,
    /// `fw-core/allow-web`, `fw-core/3`, `fw-core/port2-in/1`; `fw-core/(default)` for a
    /// list's default.
    pub subject: String,
}

/// Findings of one rule code with one cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub code: String,
    /// The allowing entries, in the order the packets meet them.
    pub rules: Vec<CauseRule>,
    /// Indices into `CheckResult::findings`, in their order (two or more).
    pub members: Vec<usize>,
}

impl Group {
    /// The rules' subjects, joined: `fw-lg/3 + fw-mn/3`.
    pub fn name(&self) -> String {
        joined(&self.rules)
    }

    /// The group's key, like a finding's: its code and its rules' subjects (ids where the
    /// rules have them), never its members, which come and go with the pairs a rule opens.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.code, &format!("group:{}", self.name()))
    }
}

/// Subjects joined: `fw-lg/3 + fw-mn/3`.
fn joined(rules: &[CauseRule]) -> String {
    let subjects: Vec<&str> = rules.iter().map(|r| r.subject.as_str()).collect();
    subjects.join(" + ")
}

/// The entries allowing a witness, hop by hop, each once.
pub fn cause(topo: &Topology, w: &Witness) -> Vec<CauseRule> {
    let mut out: Vec<CauseRule> = Vec::new();
    for h in &w.hops {
        let fw = &topo.firewalls[h.firewall];
        for d in h.decisions.iter().filter(|d| d.action == Action::Allow) {
            let subject = decision_subject(topo, h.firewall, d).unwrap_or_else(|| match d.list {
                List::Policy => format!("{}/(default)", fw.id),
                List::Filter(k) => {
                    let f = &fw.filters[k];
                    format!("{}/{}-{}/(default)", fw.id, f.interface.value, f.direction)
                }
            });
            if !out.iter().any(|c| c.subject == subject) {
                out.push(CauseRule {
                    firewall: h.firewall,
                    decision: *d,
                    subject,
                });
            }
        }
    }
    out
}

/// The cause of a finding: the allowing entries of its witness, if it has one that crosses a
/// firewall.
fn finding_cause(topo: &Topology, f: &Finding) -> Option<Vec<CauseRule>> {
    let Some(Evidence::Packets {
        witness: Some(w), ..
    }) = &f.evidence
    else {
        return None;
    };
    let c = cause(topo, w);
    (!c.is_empty()).then_some(c)
}

/// The groups of two findings or more, in the order of their first finding.
pub fn groups(topo: &Topology, findings: &[Finding]) -> Vec<Group> {
    // (code, verdict, cause subjects) → group index.
    let mut index: BTreeMap<(&str, &str, String), usize> = BTreeMap::new();
    let mut all: Vec<Group> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.exception.is_some() {
            continue;
        }
        let Some(rules) = finding_cause(topo, f) else {
            continue;
        };
        let key = (f.code.as_str(), f.verdict.as_str(), joined(&rules));
        match index.get(&key) {
            Some(&g) => all[g].members.push(i),
            None => {
                index.insert(key, all.len());
                all.push(Group {
                    code: f.code.clone(),
                    rules,
                    members: vec![i],
                });
            }
        }
    }
    all.retain(|g| g.members.len() >= 2);
    all
}

/// For each finding, the group it belongs to (an index into `groups`), if any.
pub fn membership(groups: &[Group], findings: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; findings];
    for (g, group) in groups.iter().enumerate() {
        for &m in &group.members {
            of[m] = Some(g);
        }
    }
    of
}

#[cfg(test)]
mod tests {
    use super::{CauseRule, Group};
    use crate::analysis::witness::{Decision, List};
    use crate::model::Action;

    fn group(members: Vec<usize>, rules: &[&str]) -> Group {
        Group {
            code: "MN-010".into(),
            rules: rules
                .iter()
                .map(|s| CauseRule {
                    firewall: crate::model::FirewallId(0),
                    decision: Decision {
                        list: List::Policy,
                        rule: Some(0),
                        action: Action::Allow,
                    },
                    subject: s.to_string(),
                })
                .collect(),
            members,
        }
    }

    #[test]
    fn a_group_is_named_and_keyed_by_its_rules_not_its_findings() {
        let a = group(vec![0, 1], &["fw-lg/3", "fw-mn/3"]);
        assert_eq!(a.name(), "fw-lg/3 + fw-mn/3");
        assert_eq!(
            a.fingerprint(),
            group(vec![4, 7, 9], &["fw-lg/3", "fw-mn/3"]).fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            group(vec![0, 1], &["fw-lg/3"]).fingerprint()
        );
        // Never a finding's fingerprint, whatever the subject.
        assert_ne!(
            a.fingerprint(),
            super::fingerprint("MN-010", "fw-lg/3 + fw-mn/3")
        );
    }
}
