//! Which firewall rules let through the packets behind the most findings: one broad rule
//! often causes dozens of findings (every pair it opens), and the reader fixes the rule, not
//! the pairs. `check`'s text prints this summary before the findings.

use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::rules::Evidence;
use crate::rules::engine::CheckResult;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// A firewall rule and the standing findings whose witness it allows.
#[derive(Debug, PartialEq, Eq)]
pub struct Cause {
    /// The rule's subject: `fw-core/allow-web`, `fw-core/3`.
    pub rule: String,
    pub findings: usize,
    pub codes: BTreeSet<String>,
}

/// The rules behind two findings or more, most findings first (then by rule).
pub fn causes(reach: &Reachability<'_>, result: &CheckResult) -> Vec<Cause> {
    let topo = reach.topo;
    let mut by_rule: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for f in result.findings.iter().filter(|f| f.exception.is_none()) {
        let Some(Evidence::Packets {
            witness: Some(w), ..
        }) = &f.evidence
        else {
            continue;
        };
        // A rule allowing several hops of one witness counts once for the finding; a list's
        // default is no rule to name here.
        let rules: BTreeSet<String> = crate::rules::group::cause(topo, w)
            .into_iter()
            .filter(|c| c.decision.rule.is_some())
            .map(|c| c.subject)
            .collect();
        for r in rules {
            let e = by_rule.entry(r).or_default();
            e.0 += 1;
            e.1.insert(f.code.clone());
        }
    }
    let mut out: Vec<Cause> = by_rule
        .into_iter()
        .filter(|(_, (n, _))| *n >= 2)
        .map(|(rule, (findings, codes))| Cause {
            rule,
            findings,
            codes,
        })
        .collect();
    out.sort_by(|a, b| {
        b.findings
            .cmp(&a.findings)
            .then_with(|| a.rule.cmp(&b.rule))
    });
    out
}

/// The summary as text: at most `shown` rules, then how many more.
pub fn text(causes: &[Cause], shown: usize, lang: Lang, out: &mut String) {
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "多くの指摘の原因となっているファイアウォールルール:",
            "firewall rules behind the most findings:"
        )
    );
    for c in causes.iter().take(shown) {
        let codes: Vec<&str> = c.codes.iter().map(String::as_str).collect();
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "  {}: 指摘 {} 件 ({})",
                c.rule,
                c.findings,
                codes.join(", ")
            ),
            Lang::En => writeln!(
                out,
                "  {}: {} findings ({})",
                c.rule,
                c.findings,
                codes.join(", ")
            ),
        };
    }
    more(causes.len().saturating_sub(shown), lang, out);
}

/// `  … and N more: --all` when something was left out of a capped list.
pub fn more(left: usize, lang: Lang, out: &mut String) {
    if left > 0 {
        let _ = match lang {
            Lang::Ja => writeln!(out, "  … ほか {left} 件 (--all で全件)"),
            Lang::En => writeln!(out, "  … and {left} more: --all"),
        };
    }
}
