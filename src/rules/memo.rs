//! Rule outcomes kept from one check for the next (`check --watch`).
//!
//! A rule's outcomes are a function of the design, the policy, the date and what it reads of
//! the reachability. After an edit that changed only some firewalls' rule lists, and with the
//! fixpoint repaired in the last check's BDD manager (`analysis::reach::resume`), the rest of
//! the design is the same, and a network's packet set is the same exactly when its node id is.
//! So a rule that does not read the rule lists themselves ([`super::Rule::reads_rule_lists`]),
//! and whose recorded reads ([`Reads`]) miss every network whose sets changed and every edited
//! firewall, finds what it found before: its outcomes are re-used, their locations moved to
//! where the edit put them ([`Moves`]). If the date or the policy changed, or an outcome's
//! location overlaps the edited text, the rule runs again. A rule that judges each firewall by
//! its own lists (`ByFirewall`) keeps its outcomes firewall by firewall ([`Part`]): after an
//! edit only the edited firewalls' parts run again. `tests/analysis/incremental.rs` and
//! `tests/analysis/memo.rs` compare re-checks with cold ones.

use super::Outcome;
use crate::analysis::reach::Reads;
use crate::source::Moves;
use std::collections::HashMap;

/// One rule's outcomes as last found.
#[derive(Clone, Debug)]
pub struct Kept {
    /// How many subjects it checked (passes are counted, not kept).
    pub checked: usize,
    /// Its failed and unknown outcomes.
    pub standing: Vec<Outcome>,
    /// What it read of the reachability.
    pub reads: Reads,
    /// For a rule that judges firewall by firewall (`ByFirewall`), each firewall's part, in
    /// firewall order (empty for other rules).
    pub parts: Vec<Part>,
}

/// The outcomes of one firewall's part of a `ByFirewall` rule.
#[derive(Clone, Debug, Default)]
pub struct Part {
    pub checked: usize,
    pub standing: Vec<Outcome>,
}

impl Part {
    pub fn of(outcomes: Vec<Outcome>) -> Part {
        Part {
            checked: outcomes.len(),
            standing: standing(outcomes),
        }
    }
}

/// The failed and unknown outcomes among `outcomes`.
pub fn standing(outcomes: Vec<Outcome>) -> Vec<Outcome> {
    outcomes
        .into_iter()
        .filter(|o| o.verdict != super::Verdict::Pass)
        .collect()
}

/// Every rule's outcomes of one check, by rule code, with the date they were found on.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    pub(super) today: String,
    pub(super) rules: HashMap<&'static str, Kept>,
}

/// What changed since the check a [`Memo`] was kept from, when only rule lists did.
pub struct Since {
    pub memo: Memo,
    /// By network index (`Network::index`): whether its packet sets changed.
    pub nets: Vec<bool>,
    /// By firewall: whether its rule lists changed.
    pub firewalls: Vec<bool>,
    /// Where the last check's locations are now.
    pub moves: Moves,
}

impl Memo {
    /// How many rules' outcomes it holds.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl Since {
    /// Rule `code`'s kept outcomes, their locations moved to the new text, when they still
    /// hold on `today` (a rule that reads the rule lists has that in its reads).
    pub(super) fn reuse(&self, code: &str, today: &str) -> Option<Kept> {
        let kept = self.memo.rules.get(code)?;
        if self.memo.today != today || !kept.reads.unchanged_by(&self.nets, &self.firewalls) {
            return None;
        }
        Some(Kept {
            checked: kept.checked,
            standing: self.moved(&kept.standing)?,
            reads: kept.reads.clone(),
            parts: kept
                .parts
                .iter()
                .map(|p| self.moved_part(p))
                .collect::<Option<Vec<Part>>>()?,
        })
    }

    /// A `ByFirewall` rule's kept parts, when what it read besides the rule lists (which its
    /// parts split firewall by firewall) is unchanged on `today`: the parts of the firewalls
    /// not edited still hold.
    pub(super) fn parts_of(&self, code: &str, today: &str) -> Option<&Kept> {
        let kept = self.memo.rules.get(code)?;
        let mut reads = kept.reads.clone();
        reads.forget_rule_lists();
        (self.memo.today == today
            && kept.parts.len() == self.firewalls.len()
            && reads.unchanged_by(&self.nets, &self.firewalls))
        .then_some(kept)
    }

    /// Whether firewall `f`'s rule lists were edited.
    pub(super) fn edited(&self, f: usize) -> bool {
        self.firewalls.get(f).copied().unwrap_or(true)
    }

    /// A kept part, its locations moved (`None` when one points into the edit).
    pub(super) fn moved_part(&self, part: &Part) -> Option<Part> {
        Some(Part {
            checked: part.checked,
            standing: self.moved(&part.standing)?,
        })
    }

    /// Outcomes with their locations moved to the new text (`None` when one points into the
    /// edit).
    fn moved(&self, outcomes: &[Outcome]) -> Option<Vec<Outcome>> {
        outcomes
            .iter()
            .map(|o| {
                let loc = match o.loc {
                    Some(loc) => Some(self.moves.moved(loc)?),
                    None => None,
                };
                Some(Outcome { loc, ..o.clone() })
            })
            .collect()
    }
}
