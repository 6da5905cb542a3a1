//! Positive intent as findings (`[[assert]] expect = "path"`, FLOW-001): a broken pair
//! (`analysis::intent`) reported with the services that do not get through and, as evidence,
//! where the first of them is dropped (as `paths --explain-blocked` shows it).

pub use crate::analysis::intent::{Broken, broken};
use crate::analysis::names;
use crate::analysis::reach::Reachability;
use crate::analysis::witness::Blocked;
use crate::rules::{Evidence, Outcome, Text};

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
