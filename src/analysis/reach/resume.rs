//! Reachability carried from one version of a design to the next (`check --watch`): when the
//! new version differs only in some firewalls' rule lists, the fixpoint is repaired where the
//! edit can matter instead of run again.
//!
//! The kept BDD manager is the enabler: the old packet sets stay valid in it, the edited
//! firewalls are compiled into it, and the headers whose treatment changed are a set in the
//! same manager as everything else.
//!
//! **Why the repair is exact.** The fixpoint moves packet *states* (a header, and for a
//! translated packet its flags and original fields) between networks; a firewall that does not
//! translate moves a state unchanged, one that translates may change it. Let `D` be the states
//! some edited firewall treats differently (its old transfer sets ⊕ its new ones), and `W` the
//! states reachable from `D` by the translating firewalls' moves (closed forward; the edited
//! firewalls translate nothing, or the repair is not tried). A state outside `W` is derived
//! along a chain of states outside `W`, hence outside `D`, where old and new designs move it
//! alike: it is present in the new fixpoint exactly where it was in the old one. A state
//! inside `W` is derived along a chain that enters `W` at an origin or through a move from a
//! state outside `W`, which only a translating firewall can make (others keep the state), from
//! a state already present. So the new fixpoint is: the old sets without `W`, plus the
//! worklist run from what enters `W` (the origins' part of it, and what the translating
//! firewalls move into it from the kept sets). `tests/analysis/incremental.rs` compares every
//! repaired check with a cold one.

use super::{Reachability, Translating, compile_firewall, place};
use crate::analysis::bdd::{Bdd, FALSE, Forest};
use crate::analysis::space::Space;
use crate::graph::addresses::Addresses;
use crate::graph::{Net, Network};
use crate::model::CheckedTopology;
use std::sync::Arc;

/// A repaired fixpoint may grow the manager (it is never collected) to this many times its
/// size after the cold check it descends from; then a cold start is cheaper.
const GROWTH: usize = 2;

/// The packet sets of a finished fixpoint, without the design they were computed for: what
/// [`Reachability::resume`] starts the next version from.
pub struct Carried {
    space: Space,
    transfer: Vec<Vec<Vec<Bdd>>>,
    translating: Vec<Option<Translating>>,
    present: Vec<Bdd>,
    arrived: Vec<Bdd>,
    /// The manager's nodes when the cold check this descends from handed it over.
    cold_nodes: usize,
}

/// A design resumed from the last one's packet sets, its fixpoint not yet repaired.
pub struct Resumed<'t> {
    pub reach: Reachability<'t>,
    /// The edited firewalls' transfer sets, as a cold compile exports them.
    pub forests: Vec<(usize, Forest)>,
    /// The states an edited firewall treats differently (`D` above).
    pub changed: Bdd,
}

impl<'t> Reachability<'t> {
    /// The packet sets after [`propagate`](Self::propagate), for the next version of the
    /// design, taken once the rules are done with them: they are still what the fixpoint left
    /// (the rules only make sets of their own, which stay in the manager as garbage: copying
    /// the manager before the rules instead took 15–25 ms at tier L). The manager's growth is
    /// measured from its size when a cold check hands it over, rules' sets included.
    pub fn into_carried(self) -> Carried {
        Carried {
            cold_nodes: self.cold_nodes.unwrap_or(self.space.node_count()),
            space: self.space,
            transfer: self.transfer,
            translating: self.translating,
            present: self.present,
            arrived: self.arrived,
        }
    }

    /// The new version `checked` of the design `carried` was computed for, which differs from
    /// it only in the rule lists of the firewalls `edited`: those are compiled into the kept
    /// manager, every other set is kept. `None` (and the carried sets dropped) where a repair
    /// is not tried: an edited firewall translates, the manager has grown too large, or the
    /// firewalls do not match.
    pub fn resume(
        checked: CheckedTopology<'t>,
        carried: Carried,
        edited: &[usize],
    ) -> Option<Resumed<'t>> {
        let topo = checked.topology();
        let Carried {
            mut space,
            mut transfer,
            translating,
            present,
            arrived,
            cold_nodes,
        } = carried;
        let fits = transfer.len() == topo.firewalls.len()
            && space.m.node_count() <= GROWTH * cold_nodes
            && edited
                .iter()
                .all(|&f| f < topo.firewalls.len() && topo.firewalls[f].nat.is_empty());
        if !fits {
            return None;
        }
        let network = Network::build(topo);
        let addrs = Addresses::with_places(&network.places);
        let mut changed = FALSE;
        let mut forests = Vec::with_capacity(edited.len());
        for &f in edited {
            let roots = compile_firewall(&mut space, topo, &network, &addrs, f);
            let (sets, _) = place(&topo.firewalls[f], &roots);
            if sets.len() != transfer[f].len() {
                return None;
            }
            for (old_row, new_row) in transfer[f].iter().zip(&sets) {
                for (&old, &new) in old_row.iter().zip(new_row) {
                    let gone = space.m.diff(old, new);
                    let came = space.m.diff(new, old);
                    let differs = space.m.or(gone, came);
                    changed = space.m.or(changed, differs);
                }
            }
            transfer[f] = sets;
            forests.push((f, space.m.export(&roots)));
        }
        let reach = Reachability {
            topo,
            checked,
            network: Arc::new(network),
            addrs: Arc::new(addrs),
            space,
            lists: (0..topo.firewalls.len()).map(|_| None).collect(),
            transfer,
            translating,
            present,
            arrived,
            cold_nodes: Some(cold_nodes),
            reads: Default::default(),
        };
        Some(Resumed {
            reach,
            forests,
            changed,
        })
    }

    /// Repairs the carried fixpoint for the states `changed` (see the module documentation):
    /// afterwards every set is what [`propagate`](Self::propagate) would compute. Returns, by
    /// network index, whether the network's packet sets changed (the sets are canonical and in
    /// the same manager as before, so a set is unchanged exactly when its node id is).
    pub fn repair(&mut self, changed: Bdd) -> Vec<bool> {
        let nets: Vec<Net> = self.network.nets().collect();
        if changed == FALSE {
            return vec![false; nets.len()];
        }
        let before: Vec<(Bdd, Bdd)> = self
            .present
            .iter()
            .copied()
            .zip(self.arrived.iter().copied())
            .collect();
        let affected = self.translation_closure(changed);
        for i in 0..nets.len() {
            self.present[i] = self.space.m.diff(self.present[i], affected);
            self.arrived[i] = self.space.m.diff(self.arrived[i], affected);
        }
        let mut inbox: Vec<Bdd> = nets
            .iter()
            .map(|&net| {
                let origin = self.origin(net);
                self.space.m.and(origin, affected)
            })
            .collect();
        // What the translating firewalls move into the affected states from the kept ones. A
        // translation changes only the fields it rewrites (and their flags and originals), so
        // a kept state it can move there lies in the affected states with those fields free.
        for g in 0..self.translating.len() {
            let Some(t) = &self.translating[g] else {
                continue;
            };
            let fields = t.nat.rewritten();
            let free = self.space.with_free(affected, &fields);
            for p in self.network.ports[g].clone() {
                let a = self.net_index(p.net);
                let from = self.space.m.and(self.present[a], free);
                if from == FALSE {
                    continue;
                }
                for q in self.network.ports[g].clone() {
                    if q.interface == p.interface {
                        continue;
                    }
                    let moved = self.forward(g, p.interface, q.interface, from);
                    let moved = self.space.m.and(moved, affected);
                    if moved == FALSE {
                        continue;
                    }
                    self.deliver(q.net, moved, &mut inbox);
                }
            }
        }
        self.run(&[], inbox);
        before
            .iter()
            .enumerate()
            .map(|(i, &sets)| sets != (self.present[i], self.arrived[i]))
            .collect()
    }

    /// `states` and every state the translating firewalls can move them to, and on, until
    /// nothing new is added (`W` in the module documentation).
    fn translation_closure(&mut self, states: Bdd) -> Bdd {
        let translating: Vec<usize> = (0..self.translating.len())
            .filter(|&g| self.translating[g].is_some())
            .collect();
        let mut all = states;
        let mut new = states;
        while new != FALSE {
            let mut images = FALSE;
            for &g in &translating {
                let ports = self.network.ports[g].clone();
                for p in &ports {
                    for q in &ports {
                        if q.interface != p.interface {
                            let moved = self.forward(g, p.interface, q.interface, new);
                            images = self.space.m.or(images, moved);
                        }
                    }
                }
            }
            new = self.space.m.diff(images, all);
            all = self.space.m.or(all, new);
        }
        all
    }
}
