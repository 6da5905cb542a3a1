//! What rules look at: the topology, the policy, and the analysis results, computed once and
//! shared. Helpers here answer the questions many rules ask ("which tier is this host in?",
//! "which packets get from the My Number tier to the internet?") so each rule file stays short.

use super::evidence::Evidence;
use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::channels::{Channel, channels};
use crate::analysis::paths::{Pair, Query, pairs};
use crate::analysis::reach::{Endpoint, Reachability, Reads};
use crate::model::policy::Policy;
use crate::model::*;
use crate::rules::support::{BoundaryRule, TierIndex, boundary_rules};
use std::sync::Arc;

pub struct Context<'t> {
    pub topo: &'t Topology,
    pub policy: &'t Policy,
    /// The network model the check is made for (the policy's profile, else `meta.model`, else
    /// α).
    pub model: NetworkModel,
    pub reach: Reachability<'t>,
    pub channels: Vec<Channel>,
    /// Today's date (`YYYY-MM-DD`) for rules that judge dates (rule reviews, NET-001); the
    /// engine sets the run's date from `RunOptions::today` (empty until then).
    pub today: String,
    /// The attack-path analysis from the internet, made on first use ([`Context::attack`]).
    attack: Option<crate::analysis::attack::Attack>,
    /// The design the attack was analysed in, when it is not the loaded one.
    attack_topo: Option<Topology>,
    /// What the attack analysis read of the reachability: counted as read by every rule that
    /// asks for it (`check --watch` re-uses a rule's outcomes only while that is unchanged).
    attack_reads: Reads,
    /// The My Number tier, indexed on first use ([`Context::mynumber_index`]).
    mynumber_index: Option<Arc<TierIndex<'t>>>,
    /// Per firewall, its rules across the My Number tier's boundary, found on first use
    /// ([`Context::mynumber_boundary`]).
    mynumber_boundary: Vec<Option<Arc<Vec<BoundaryRule<'t>>>>>,
    /// The LGWAN side's addresses, found on first use ([`Context::lgwan_side`]).
    lgwan_side: Option<Arc<Vec<AddrRange>>>,
}

impl<'t> Context<'t> {
    pub fn new(topo: CheckedTopology<'t>, policy: &'t Policy) -> Context<'t> {
        Context::with_reachability(topo.topology(), policy, Reachability::compute(topo))
    }

    /// A context over reachability already computed (for the same topology).
    pub fn with_reachability(
        topo: &'t Topology,
        policy: &'t Policy,
        reach: Reachability<'t>,
    ) -> Context<'t> {
        Context {
            topo,
            policy,
            model: super::engine::model_for(topo, policy).0,
            reach,
            channels: channels(topo),
            today: String::new(),
            attack: None,
            attack_topo: None,
            attack_reads: Reads::default(),
            mynumber_index: None,
            mynumber_boundary: vec![None; topo.firewalls.len()],
            lgwan_side: None,
        }
    }

    /// A second context over a copy of the reachability, for rules run on another thread
    /// (the engine's second lane). The attack analysis, if already made, goes with it; what
    /// else the copy finds on first use it finds for itself, and the attack analysis it makes
    /// is handed back with [`adopt`](Self::adopt).
    pub(crate) fn fork(&self) -> Context<'t> {
        Context {
            topo: self.topo,
            policy: self.policy,
            model: self.model,
            reach: self.reach.clone(),
            channels: self.channels.clone(),
            today: self.today.clone(),
            attack: self.attack.clone(),
            attack_topo: self.attack_topo.clone(),
            attack_reads: self.attack_reads.clone(),
            mynumber_index: self.mynumber_index.clone(),
            mynumber_boundary: self.mynumber_boundary.clone(),
            lgwan_side: self.lgwan_side.clone(),
        }
    }

    /// The reachability the rules read, once they are done.
    pub fn into_reach(self) -> Reachability<'t> {
        self.reach
    }

    /// Takes over the attack analysis a fork made, so that reports asking for it afterwards
    /// do not make it again.
    pub(crate) fn adopt(&mut self, fork: Context<'t>) {
        if self.attack.is_none() && fork.attack.is_some() {
            self.attack = fork.attack;
            self.attack_topo = fork.attack_topo;
            self.attack_reads = fork.attack_reads;
        }
    }

    /// The attack paths from outside (the internet, and the Wi-Fi and remote-access lines the
    /// attacker can join) under the policy's assumptions (no fix search), with the design they
    /// were found in: the loaded one, or a copy with the attacker's machines on those lines
    /// (`analysis::attack::entry`), whose hosts follow the loaded ones. Steps index its hosts.
    pub fn attack(&mut self) -> (&Topology, &crate::analysis::attack::Attack) {
        use crate::analysis::attack::{Options, from_outside};
        if self.attack.is_none() {
            // Its reads are recorded apart, for every rule that asks for it.
            let asking = self.reach.take_reads();
            self.reach.track_reads();
            // The attacker's machines are hosts of their own, so the packets are followed again
            // over the design that has them (only when a way in is open to it): a fixpoint of
            // its own, whose reads are not recorded, so it counts as reading everything.
            let (with, a) = from_outside(&mut self.reach, self.policy, &Options::default());
            let read = self.reach.take_reads().unwrap_or_default();
            self.attack_reads = if with.is_some() {
                Reads::everything()
            } else {
                read
            };
            self.reach.restore_reads(asking);
            self.attack_topo = with;
            self.attack = Some(a);
        }
        self.reach.note_reads(&self.attack_reads);
        let topo = self.attack_topo.as_ref().unwrap_or(self.topo);
        (topo, self.attack.as_ref().expect("just computed"))
    }

    /// The My Number tier's segments, hosts and addresses, indexed once for the run.
    pub fn mynumber_index(&mut self) -> Arc<TierIndex<'t>> {
        if let Some(index) = &self.mynumber_index {
            return Arc::clone(index);
        }
        let index = Arc::new(TierIndex::new(self.places(), Tier::MyNumber));
        self.mynumber_index = Some(Arc::clone(&index));
        index
    }

    /// The rules of firewall `f` that can let traffic across the My Number tier's boundary,
    /// with their addresses (found once, shared by MN-002 and MN-009). They are read off `f`'s
    /// rule lists: for a rule's firewall-by-firewall part about `f` ([`super::ByFirewall`]).
    pub fn mynumber_boundary(&mut self, f: usize) -> Arc<Vec<BoundaryRule<'t>>> {
        if let Some(b) = &self.mynumber_boundary[f] {
            return Arc::clone(b);
        }
        let index = self.mynumber_index();
        let b = Arc::new(boundary_rules(self, &index, f));
        self.mynumber_boundary[f] = Some(Arc::clone(&b));
        b
    }

    /// The LGWAN side's addresses: the LGWAN tier's segments and the LGWAN externals' homes.
    pub fn lgwan_side(&mut self) -> Arc<Vec<AddrRange>> {
        if let Some(side) = &self.lgwan_side {
            return Arc::clone(side);
        }
        let topo = self.topo;
        let mut lgwan = crate::rules::support::tier_addresses(topo, Tier::Lgwan);
        for (x, e) in topo.externals.iter().enumerate() {
            if e.kind == ExternalKind::Lgwan {
                lgwan.extend(self.reach.addrs.external_home[x].iter().copied());
            }
        }
        let side = Arc::new(crate::model::ranges::normalize(lgwan));
        self.lgwan_side = Some(Arc::clone(&side));
        side
    }

    /// Where every entity is, resolved once for the run.
    pub fn places(&self) -> &Places<'t> {
        &self.reach.network.places
    }

    pub fn zone_tier(&self, zone: &str) -> Option<Tier> {
        self.places().zone_tier(zone)
    }

    /// The tiers a host's interfaces sit in (one for most hosts; two for a bridge).
    pub fn host_tiers(&self, h: &Host) -> Vec<Tier> {
        self.places().tiers_of(h)
    }

    /// The zones a host's interfaces sit in.
    pub fn host_zones(&self, h: &Host) -> Vec<&'t str> {
        self.places().zones_of(h)
    }

    pub fn host_in_tier(&self, h: &Host, tier: Tier) -> bool {
        self.host_tiers(h).contains(&tier)
    }

    /// Hosts with an interface in a tier.
    pub fn hosts_in_tier(&self, tier: Tier) -> Vec<(usize, &'t Host)> {
        let places = self.places();
        self.topo
            .hosts
            .iter()
            .enumerate()
            .filter(|(i, _)| places.host_in(*i, tier))
            .collect()
    }

    /// The tier of the host a store sits on.
    pub fn store_tiers(&self, s: &Store) -> Vec<Tier> {
        self.places().store_tiers(s)
    }

    /// The tiers a flow end (selector) stands in: a tier, a zone's, a segment's, a host's, a
    /// store's host's; an internet external counts as the internet tier, other externals and
    /// the remaining selectors stand in none.
    pub fn selector_tiers(&self, sel: &Selector) -> Vec<Tier> {
        let topo = self.topo;
        let mut tiers = match sel {
            Selector::Tier(t) => vec![*t],
            Selector::Zone(z) => self.zone_tier(z).into_iter().collect(),
            Selector::Segment(s) => self
                .places()
                .segment(s)
                .and_then(|i| self.places().segment_tier[i])
                .into_iter()
                .collect(),
            Selector::Host(h) => topo.host(h).map(|h| self.host_tiers(h)).unwrap_or_default(),
            Selector::Store(s) => topo
                .stores
                .iter()
                .filter(|x| x.id == *s)
                .flat_map(|s| self.store_tiers(s))
                .collect(),
            Selector::External(x) => topo
                .externals
                .iter()
                .position(|e| e.id == *x)
                .and_then(|x| self.places().external_tier(x))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        tiers.sort();
        tiers.dedup();
        tiers
    }

    /// Externals that stand for the internet (kind internet or security-cloud).
    pub fn internet_externals(&self) -> Vec<ExternalId> {
        self.places().internet_externals()
    }

    /// Every reachable pair between two selections (optionally only some services).
    pub fn pairs(&mut self, from: &Selector, to: &Selector, services: &[Service]) -> Vec<Pair> {
        let q = Query { from, to, services };
        pairs(&mut self.reach, &q).unwrap_or_default()
    }

    /// The first reachable pair between two selections (in endpoint order), with its witness:
    /// for rules that need one proof, not every pair.
    pub fn first_pair(
        &mut self,
        from: &Selector,
        to: &Selector,
        services: &[Service],
    ) -> Option<Pair> {
        let q = Query { from, to, services };
        crate::analysis::paths::pairs_bounded(&mut self.reach, &q, 1)
            .ok()
            .and_then(|(found, _)| found.into_iter().next())
    }

    /// The selectors of the internet side: the internet tier and every internet external.
    pub fn internet_side(&self) -> Vec<Selector> {
        let mut sides = vec![Selector::Tier(Tier::Internet)];
        sides.extend(
            self.internet_externals()
                .into_iter()
                .map(|x| Selector::External(self.topo.externals[x].id.clone())),
        );
        sides
    }

    /// Reachable pairs from every host of one tier to the internet side: internet-tier hosts and
    /// internet externals (and the reverse when `reverse`).
    pub fn tier_to_internet(&mut self, tier: Tier, reverse: bool) -> Vec<Pair> {
        let side = Selector::Tier(tier);
        let mut out = Vec::new();
        let mut targets: Vec<Selector> = vec![Selector::Tier(Tier::Internet)];
        targets.extend(
            self.internet_externals()
                .into_iter()
                .map(|x| Selector::External(self.topo.externals[x].id.clone())),
        );
        for t in &targets {
            let found = if reverse {
                self.pairs(t, &side, &[])
            } else {
                self.pairs(&side, t, &[])
            };
            out.extend(found);
        }
        // A host with interfaces in both tiers is a bridge, reported as such; its packets
        // inside either segment are not a crossing.
        let bridge = |e: Endpoint| match e {
            Endpoint::Host(h) => {
                let tiers = self.host_tiers(&self.topo.hosts[h]);
                tiers.contains(&tier) && tiers.contains(&Tier::Internet)
            }
            _ => false,
        };
        out.retain(|p| !bridge(p.from) && !bridge(p.to));
        out
    }

    /// Whether an endpoint inside the organisation has a leg in a tier.
    pub fn endpoint_in_tier(&self, e: Endpoint, tier: Tier) -> bool {
        self.reach
            .endpoint_legs(e)
            .iter()
            .any(|(s, _)| self.places().segment_tier[*s] == Some(tier))
    }

    /// Evidence for a reachable pair.
    pub fn packet_evidence(pair: &Pair) -> Evidence {
        Evidence::Packets {
            from: pair.from,
            to: pair.to,
            services: pair.services.clone(),
            witness: pair.witness.clone(),
        }
    }

    /// Packets delivered to an endpoint from a set of source addresses.
    pub fn delivered_from(&mut self, to: Endpoint, src: &[AddrRange]) -> Bdd {
        let delivered = self.reach.delivered_to(to);
        if delivered == FALSE {
            return FALSE;
        }
        let s = self.reach.space.src(src);
        self.reach.space.and(delivered, s)
    }

    /// A readable name for an endpoint (`host:x`, `external:y`).
    pub fn endpoint_name(&self, e: Endpoint) -> String {
        crate::analysis::names::endpoint(self.topo, e)
    }
}
