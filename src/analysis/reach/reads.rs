//! What a reader of a fixpoint looked at: which networks' packet sets, and which firewalls'
//! lists (transfer sets, compiled lists, the decisions a witness reads off the rules).
//!
//! `check --watch` re-uses a rule's outcomes from the last check when nothing it read has
//! changed (`rules::memo`): after an edit of some firewalls' rule lists, the repaired fixpoint
//! lives in the same BDD manager as the last one, so a network's packet set is unchanged
//! exactly when its node id is, and the rest of what a rule can read is the edited firewalls.
//! Reads are recorded only while someone asks for them ([`Reachability::track_reads`]); the
//! fixpoint itself reads its fields directly and records nothing.

use super::Reachability;

/// The networks (by index, `Network::index`) and firewalls read, or everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    nets: Vec<u64>,
    firewalls: Vec<u64>,
    /// Read the design's rule lists themselves (any firewall's), not through the sets.
    rule_lists: bool,
    /// Read something not tracked here (a fixpoint of its own over a derived design): any
    /// change at all may change what was found.
    everything: bool,
}

fn set(bits: &mut Vec<u64>, i: usize) {
    let (w, b) = (i / 64, i % 64);
    if bits.len() <= w {
        bits.resize(w + 1, 0);
    }
    bits[w] |= 1 << b;
}

fn any_of(bits: &[u64], marked: &[bool]) -> bool {
    bits.iter().enumerate().any(|(w, &word)| {
        word != 0
            && (0..64)
                .any(|b| word & (1 << b) != 0 && marked.get(w * 64 + b).copied() == Some(true))
    })
}

fn union(into: &mut Vec<u64>, other: &[u64]) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(other) {
        *a |= b;
    }
}

impl Reads {
    /// Reads that depend on everything.
    pub fn everything() -> Reads {
        Reads {
            everything: true,
            ..Reads::default()
        }
    }

    pub fn add(&mut self, other: &Reads) {
        union(&mut self.nets, &other.nets);
        union(&mut self.firewalls, &other.firewalls);
        self.rule_lists |= other.rule_lists;
        self.everything |= other.everything;
    }

    /// Counts every firewall's rule lists as read.
    pub fn add_rule_lists(&mut self) {
        self.rule_lists = true;
    }

    /// No longer counts the rule lists as read (for a reader that tells apart which firewalls'
    /// lists it read, by its own means).
    pub fn forget_rule_lists(&mut self) {
        self.rule_lists = false;
    }

    /// Whether these reads miss every changed network (`nets`, by index) and every edited
    /// firewall (`firewalls`), and so would read the same again (whatever they are, when
    /// nothing changed).
    pub fn unchanged_by(&self, nets: &[bool], firewalls: &[bool]) -> bool {
        let edited = firewalls.iter().any(|&e| e);
        if !edited && !nets.iter().any(|&c| c) {
            return true;
        }
        let touched = self.everything
            || self.rule_lists && edited
            || any_of(&self.nets, nets)
            || any_of(&self.firewalls, firewalls);
        !touched
    }
}

impl Reachability<'_> {
    /// Starts recording what is read (afresh), until [`take_reads`](Self::take_reads).
    pub fn track_reads(&self) {
        *self.reads.borrow_mut() = Some(Reads::default());
    }

    /// What was read since [`track_reads`](Self::track_reads) (`None` when not recording), and
    /// stops recording.
    pub fn take_reads(&self) -> Option<Reads> {
        self.reads.borrow_mut().take()
    }

    /// Puts back what [`take_reads`](Self::take_reads) took, to go on recording into it (after
    /// recording a shared result's reads apart).
    pub fn restore_reads(&self, reads: Option<Reads>) {
        *self.reads.borrow_mut() = reads;
    }

    /// Counts the design's rule lists as read (a helper that reads them, for its callers).
    pub fn read_rule_lists(&self) {
        if let Some(r) = self.reads.borrow_mut().as_mut() {
            r.add_rule_lists();
        }
    }

    /// Counts `reads` as read now: for a result worked out earlier and kept (the attack
    /// analysis, which several rules share).
    pub fn note_reads(&self, reads: &Reads) {
        if let Some(r) = self.reads.borrow_mut().as_mut() {
            r.add(reads);
        }
    }

    pub(super) fn read_net(&self, i: usize) {
        if let Some(r) = self.reads.borrow_mut().as_mut() {
            set(&mut r.nets, i);
        }
    }

    /// Firewall `f`'s lists were read (as sets, or rule by rule for a witness's decisions).
    pub(crate) fn read_firewall(&self, f: usize) {
        if let Some(r) = self.reads.borrow_mut().as_mut() {
            set(&mut r.firewalls, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_meet_changes_by_index() {
        let mut r = Reads::default();
        set(&mut r.nets, 70);
        set(&mut r.firewalls, 3);
        let mut nets = vec![false; 100];
        let mut firewalls = vec![false; 5];
        assert!(r.unchanged_by(&nets, &firewalls));
        nets[69] = true;
        firewalls[4] = true;
        assert!(r.unchanged_by(&nets, &firewalls));
        nets[70] = true;
        assert!(!r.unchanged_by(&nets, &firewalls));
        nets[70] = false;
        firewalls[3] = true;
        assert!(!r.unchanged_by(&nets, &firewalls));
        assert!(!Reads::everything().unchanged_by(&[], &[true]));
        assert!(
            Reads::everything().unchanged_by(&[false], &[false]),
            "nothing changed"
        );
        let mut lists = Reads::default();
        lists.add_rule_lists();
        assert!(lists.unchanged_by(&nets, &[false; 5]));
        assert!(!lists.unchanged_by(&nets, &[false, true]));
        let mut all = Reads::default();
        all.add(&Reads::everything());
        assert!(!all.unchanged_by(&[true], &[]));
    }
}
