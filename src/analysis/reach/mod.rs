//! Packet reachability over the whole header space.
//!
//! Every network starts with the packets that can originate on it: a segment, those from its own
//! addresses; an external, those from the addresses whose home it is. Firewalls then move
//! packets between the networks they touch (ingress filter, policy list, egress filter, and the
//! connected route), until nothing new arrives anywhere. Because a packet's source address tells
//! where it came from, one fixpoint answers every question about every pair of endpoints.

use super::acl::{self, CompiledFirewall};
use super::bdd::{Bdd, FALSE, Forest};
use super::space::Space;
use crate::graph::addresses::Addresses;
use crate::graph::{Net, Network, Port};
use crate::model::ranges::normalize;
use crate::model::{
    AddrRange, CheckedTopology, ExternalId, GatewayId, HostId, SegmentId, Topology,
};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

mod reads;
mod resume;
pub use reads::Reads;
pub use resume::{Carried, Resumed};

/// One end of a flow: a declared host (or host group), a gateway's interfaces, the addresses of
/// a segment that nothing declares (where an unregistered device may sit), or an external
/// network. Together they cover every address a packet can come from or go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Host(HostId),
    /// A gateway: it sends and receives on its interface addresses, but never forwards.
    Gateway(GatewayId),
    /// The undeclared addresses of a segment: `Addresses::undeclared`.
    Undeclared(SegmentId),
    External(ExternalId),
}

impl Endpoint {
    /// Where the endpoint is written: the host, gateway, segment or external entry.
    pub fn loc(self, topo: &Topology) -> crate::source::Loc {
        match self {
            Endpoint::Host(h) => topo.hosts[h].loc,
            Endpoint::Gateway(g) => topo.gateways[g].loc,
            Endpoint::Undeclared(s) => topo.segments[s].loc,
            Endpoint::External(x) => topo.externals[x].loc,
        }
    }
}

/// Nodes a worker's manager may hold before it starts afresh (768 KB of nodes: larger tables
/// fall out of the CPU caches and cost more than rebuilding the shared address sets).
const WORKER_NODES: usize = 1 << 16;

/// The fixpoint is split over two cores ([`Reachability::propagate_split`]) from this many
/// networks on (below, a copy of the packet sets costs more than half the fixpoint) ...
const SPLIT_NETS: usize = 64;
/// ... while a copy of the packet sets takes at most this many bytes (tier L's take about
/// 60 MB; at XL, where the sets take gigabytes, the copy would not fit the memory target).
const SPLIT_BUDGET: usize = 256 << 20;

#[derive(Clone)]
pub struct Reachability<'t> {
    pub topo: &'t Topology,
    /// The same topology, as the loader's checks vouched for it.
    checked: CheckedTopology<'t>,
    /// Shared, not copied, by the rules' second lane (`Context::fork`).
    pub network: std::sync::Arc<Network<'t>>,
    /// Shared, not copied, by the rules' second lane (`Context::fork`).
    pub addrs: std::sync::Arc<Addresses<'t>>,
    pub space: Space,
    /// Per firewall: its compiled lists in the shared manager, once asked for.
    lists: Vec<Option<CompiledFirewall>>,
    /// transfer[f][a][b]: packets firewall f forwards from interface a to interface b (for a
    /// firewall with NAT entries, as if it translated nothing: see `translating`).
    transfer: Vec<Vec<Vec<Bdd>>>,
    /// Per firewall with NAT entries: its lists in three parts around the translations, and
    /// the translations (see `analysis::nat`).
    translating: Vec<Option<Translating>>,
    /// Packets present on each network (originating there or forwarded into it).
    present: Vec<Bdd>,
    /// Packets forwarded into each external network by some firewall (FALSE for segments,
    /// where only `present` is asked).
    arrived: Vec<Bdd>,
    /// For sets resumed from an earlier version of the design ([`Reachability::resume`]): the
    /// manager's nodes when the cold check they descend from handed them over.
    cold_nodes: Option<usize>,
    /// What has been read, while someone records it ([`Reachability::track_reads`]).
    reads: std::cell::RefCell<Option<Reads>>,
}

impl<'t> Reachability<'t> {
    /// The topology this was computed for, checked (for designs the analysis derives from
    /// it: [`CheckedTopology::derived`]).
    pub fn checked(&self) -> CheckedTopology<'t> {
        self.checked
    }

    pub fn compute(topo: CheckedTopology<'t>) -> Reachability<'t> {
        Reachability::compute_with_stops(topo, &[])
    }

    /// Reachability when packets may end on the `stops` networks but never be forwarded on from
    /// them: what is left is every path that avoids them (for "only via" assertions).
    pub fn compute_with_stops(topo: CheckedTopology<'t>, stops: &[Net]) -> Reachability<'t> {
        let mut r = Reachability::prepare(topo);
        r.propagate(stops);
        r
    }

    /// The first half of [`compute`](Self::compute): the forwarding graph, address sets and
    /// compiled firewalls, with nothing propagated yet (benchmarks time the halves apart).
    ///
    /// Firewalls are compiled independently of each other, so they are spread over the cores:
    /// each worker builds one firewall at a time in its own BDD manager (a manager cannot be
    /// shared), then only the transfer sets are copied into the shared manager, in firewall
    /// order so node ids do not depend on scheduling. Neither the intermediate sets of the
    /// first-match folds nor the per-rule match sets reach the shared manager, which keeps it
    /// (and memory) to what later stages use: witnesses evaluate a packet on the rules
    /// themselves (`acl::rule_matches`), and the two rules that read a firewall's lists as sets
    /// get them compiled again on demand ([`lists`](Self::lists)).
    pub fn prepare(topo: CheckedTopology<'t>) -> Reachability<'t> {
        Reachability::prepare_counting(topo, None)
    }

    /// [`prepare`](Self::prepare), adding one to `compiled` as each firewall is compiled (for a
    /// progress bar).
    pub fn prepare_counting(
        topo: CheckedTopology<'t>,
        compiled: Option<&AtomicUsize>,
    ) -> Reachability<'t> {
        let none: Vec<Option<Forest>> = Vec::new();
        Reachability::prepare_reusing(topo, compiled, none).0
    }

    /// [`prepare_counting`](Self::prepare_counting), taking firewall `f`'s transfer sets from
    /// `reuse[f]` where it holds them instead of compiling the firewall, and returning every
    /// firewall's transfer sets as compiled (or reused), for the next call.
    ///
    /// The caller answers for `reuse[f]` having come from this same firewall in a design that
    /// differs from `topo` at most in the rule lists of other firewalls (`session` checks it):
    /// a firewall's transfer sets depend on its own lists and on the rest of the design (the
    /// addresses its selectors name, its interfaces' networks, its routes), never on another
    /// firewall's lists. A reused forest is imported exactly as a freshly compiled one would
    /// be (a forest depends only on the sets it holds), so the shared manager, and everything
    /// computed in it, is the same as after a cold compile.
    pub fn prepare_reusing(
        checked: CheckedTopology<'t>,
        compiled: Option<&AtomicUsize>,
        mut reuse: Vec<Option<Forest>>,
    ) -> (Reachability<'t>, Vec<Forest>) {
        let topo = checked.topology();
        let counter = compiled;
        reuse.resize_with(topo.firewalls.len(), || None);
        let reuse: Vec<Mutex<Option<Forest>>> = reuse.into_iter().map(Mutex::new).collect();
        let network = Network::build(topo);
        let addrs = Addresses::with_places(&network.places);
        // One manager per worker thread, made on first use and kept for the whole compile
        // (a manager's tables are megabytes: making one per firewall would cost more than
        // some firewalls take to compile).
        let workers: Vec<Mutex<Option<Space>>> = (0..rayon::current_num_threads() + 1)
            .map(|_| Mutex::new(None))
            .collect();
        let forests: Vec<Forest> = topo
            .firewalls
            .par_iter()
            .enumerate()
            .map(|(f, _)| {
                let kept = reuse[f].lock().expect("a worker panicked").take();
                if let Some(forest) = kept {
                    if let Some(c) = counter {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                    return forest;
                }
                let worker = rayon::current_thread_index().map_or(0, |i| i + 1);
                let mut slot = workers[worker].lock().expect("a worker panicked");
                let space = slot.get_or_insert_with(Space::small);
                // Address sets are shared between firewalls (a tier, the internet's home), so
                // a worker keeps its manager until it grows past what stays in the CPU caches.
                space.reset_when_grown(WORKER_NODES);
                let roots = compile_firewall(space, topo, &network, &addrs, f);
                if let Some(c) = counter {
                    c.fetch_add(1, Ordering::Relaxed);
                }
                space.m.export(&roots)
            })
            .collect();
        drop(workers);
        let mut space = Space::new();
        space.m.reserve(forests.iter().map(Forest::len).sum());
        let mut transfer = Vec::with_capacity(forests.len());
        let mut parts_of: Vec<Option<Vec<Vec<[Bdd; 3]>>>> = Vec::with_capacity(forests.len());
        for (forest, fw) in forests.iter().zip(&topo.firewalls) {
            let global = space.m.import(forest);
            let (sets, parts) = place(fw, &global);
            transfer.push(sets);
            parts_of.push(parts);
        }
        let lists = (0..topo.firewalls.len()).map(|_| None).collect();
        // Firewalls that translate are few (internet edges): their parts came with their
        // transfer sets; only the translations are compiled here, in the shared manager.
        let mut translating = Vec::with_capacity(topo.firewalls.len());
        if topo.firewalls.iter().any(|fw| !fw.nat.is_empty()) {
            space.track_translations();
        }
        for (fw, parts) in topo.firewalls.iter().zip(parts_of) {
            translating.push(parts.map(|parts| {
                let nat = super::nat::compile(&mut space, &addrs, fw);
                Translating { parts, nat }
            }));
        }
        let reach = Reachability {
            topo,
            checked,
            network: std::sync::Arc::new(network),
            addrs: std::sync::Arc::new(addrs),
            space,
            lists,
            transfer,
            translating,
            present: Vec::new(),
            arrived: Vec::new(),
            cold_nodes: None,
            reads: Default::default(),
        };
        (reach, forests)
    }

    fn net_index(&self, net: Net) -> usize {
        self.network.index(net)
    }

    /// Packets that originate on a network (untranslated, so their header is as sent).
    fn origin(&mut self, net: Net) -> Bdd {
        let sent = match net {
            Net::Segment(i) => {
                let r = AddrRange::from_net(*self.topo.segments[i].cidr);
                self.space.header_src(&[r])
            }
            Net::External(x) => {
                let addrs = self.addrs.external_home[x].clone();
                let src = self.space.header_src(&addrs);
                self.tagged(x, src)
            }
        };
        if self.space.translating() {
            let untranslated = self.space.untranslated();
            self.space.m.and(sent, untranslated)
        } else {
            sent
        }
    }

    /// `packets` with external `x`'s origin tag, if its addresses tie with another's.
    fn tagged(&mut self, x: usize, packets: Bdd) -> Bdd {
        match self.addrs.external_tag[x] {
            Some(tag) => {
                let tagged = self.space.origin(tag);
                self.space.m.and(packets, tagged)
            }
            None => packets,
        }
    }

    /// The packets some of the externals `xs` send (each with its origin tag if tied).
    pub fn externals_sources(&mut self, xs: &[ExternalId]) -> Bdd {
        let mut all = FALSE;
        for &x in xs {
            let s = self.endpoint_sources(Endpoint::External(x));
            all = self.space.m.or(all, s);
        }
        all
    }

    /// The packets an endpoint sends: from its addresses (before any source NAT) and, for an
    /// external whose addresses tie with another's, carrying its origin tag.
    pub fn endpoint_sources(&mut self, e: Endpoint) -> Bdd {
        let addrs = self.endpoint_addresses(e);
        let src = self.space.src(&addrs);
        match e {
            Endpoint::External(x) => self.tagged(x.0, src),
            _ => src,
        }
    }

    /// The second half: moves packets between networks until nothing new arrives. Packets may
    /// end on the `stops` networks but are not forwarded from them.
    ///
    /// Only what is new on a network goes through its firewalls again: what was already there
    /// has been forwarded, and intersection distributes over union, so the fixpoint is the
    /// same as forwarding everything each time, for less work. What firewalls move onto a
    /// network waits in its `inbox` until the network's turn, and is then compared with what
    /// is present once: one union per move, where comparing each move on arrival cost three
    /// operations on the network's (large) sets per move.
    pub fn propagate(&mut self, stops: &[Net]) {
        let split = self.network.nets().count() >= SPLIT_NETS
            && self.space.footprint() <= SPLIT_BUDGET
            && rayon::current_num_threads() >= 2;
        self.propagate_split(stops, split);
    }

    /// [`propagate`](Self::propagate), on two cores when `split` (else on this thread); the
    /// result is the same either way (the tests force each way on every design they try).
    ///
    /// Every move is a function of one packet, so what the union of two origin sets reaches
    /// is the union of what each reaches: half the networks' origins are propagated here and
    /// half in a copy of the packet sets on the other core, then the copy's sets are brought
    /// over and united. The halves are drawn by a multiplicative hash of the network's index,
    /// not by its parity or position: designs list segments site by site and kind by kind, so
    /// the costly ones (user segments that reach most of their tier) recur at a fixed stride.
    pub fn propagate_split(&mut self, stops: &[Net], split: bool) {
        let nets: Vec<Net> = self.network.nets().collect();
        let n = nets.len();
        self.present = vec![FALSE; n];
        self.arrived = vec![FALSE; n];
        let origins: Vec<Bdd> = nets.iter().map(|&net| self.origin(net)).collect();
        if !split {
            self.run(stops, origins);
            return;
        }
        let mut other = self.clone();
        let (mine, theirs): (Vec<Bdd>, Vec<Bdd>) = origins
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                if (i.wrapping_mul(0x9E37_79B9) >> 11) % 2 == 0 {
                    (o, FALSE)
                } else {
                    (FALSE, o)
                }
            })
            .unzip();
        rayon::join(|| self.run(stops, mine), || other.run(stops, theirs));
        let roots: Vec<Bdd> = other
            .present
            .iter()
            .chain(&other.arrived)
            .copied()
            .collect();
        let forest = other.space.m.export(&roots);
        drop(other);
        let theirs = self.space.m.import(&forest);
        for i in 0..n {
            self.present[i] = self.space.m.or(self.present[i], theirs[i]);
            self.arrived[i] = self.space.m.or(self.arrived[i], theirs[n + i]);
        }
    }

    /// The worklist of [`propagate`](Self::propagate): moves `inbox` (per network, what
    /// arrives there) and everything it leads to, onto what is already present.
    fn run(&mut self, stops: &[Net], mut inbox: Vec<Bdd>) {
        let nets: Vec<Net> = self.network.nets().collect();
        let mut queue: VecDeque<Net> = VecDeque::new();
        let mut queued = vec![false; nets.len()];
        for &net in &nets {
            let i = self.net_index(net);
            if inbox[i] != FALSE {
                queue.push_back(net);
                queued[i] = true;
            }
        }
        while let Some(net) = queue.pop_front() {
            let i = self.net_index(net);
            queued[i] = false;
            let arrived = std::mem::replace(&mut inbox[i], FALSE);
            let here = self.space.m.diff(arrived, self.present[i]);
            if here == FALSE {
                continue;
            }
            self.present[i] = self.space.m.or(self.present[i], here);
            if stops.contains(&net) {
                continue;
            }
            for p in self.network.ports_on(net).to_vec() {
                for q in self.network.ports[p.firewall].clone() {
                    if q.interface == p.interface {
                        continue;
                    }
                    let moved = self.forward(p.firewall, p.interface, q.interface, here);
                    if moved == FALSE {
                        continue;
                    }
                    let j = self.deliver(q.net, moved, &mut inbox);
                    if !queued[j] {
                        queued[j] = true;
                        queue.push_back(q.net);
                    }
                }
            }
        }
    }

    /// Puts packets a firewall `moved` onto network `to` in its inbox and, for an external,
    /// in what arrived there; returns the network's index.
    fn deliver(&mut self, to: Net, moved: Bdd, inbox: &mut [Bdd]) -> usize {
        let j = self.net_index(to);
        // Only externals are asked what arrived (a segment answers from what is present): one
        // union fewer per move onto a segment.
        if let Net::External(_) = to {
            self.arrived[j] = self.space.m.or(self.arrived[j], moved);
        }
        inbox[j] = self.space.m.or(inbox[j], moved);
        j
    }

    /// The packets of `here` that firewall `f` forwards from interface `a` to `b`, as they
    /// leave it (translated, when it translates).
    fn forward(&mut self, f: usize, a: usize, b: usize, here: Bdd) -> Bdd {
        let Some(t) = &self.translating[f] else {
            let t = self.transfer[f][a][b];
            return self.space.m.and(here, t);
        };
        let [before, between, after] = t.parts[a][b];
        if before == FALSE || between == FALSE || after == FALSE {
            return FALSE;
        }
        let nat = &t.nat;
        let mut p = self.space.m.and(here, before);
        p = nat.arrive(&mut self.space, a, p);
        p = self.space.m.and(p, between);
        p = nat.leave(&mut self.space, b, p);
        self.space.m.and(p, after)
    }

    /// Whether firewall `f` translates (has NAT entries).
    pub fn translates(&self, f: usize) -> bool {
        self.translating[f].is_some()
    }

    /// Firewall `f`'s compiled lists (each rule's match set, what each list permits) in the
    /// shared manager, compiled on first use and then cached (only LG-001 and AP-001 ask, for
    /// a few firewalls; keeping every firewall's lists from the parallel compile cost more).
    pub fn lists(&mut self, f: usize) -> &CompiledFirewall {
        self.read_firewall(f);
        if self.lists[f].is_none() {
            let compiled = acl::compile(&mut self.space, &self.addrs, &self.topo.firewalls[f]);
            self.lists[f] = Some(compiled);
        }
        self.lists[f].as_ref().expect("just compiled")
    }

    /// Packets firewall `f` forwards from interface `a` to interface `b`.
    pub fn transfer(&self, f: usize, a: usize, b: usize) -> Bdd {
        self.read_firewall(f);
        self.transfer[f][a][b]
    }

    /// Packets present on a network.
    pub fn present(&self, net: Net) -> Bdd {
        let i = self.net_index(net);
        self.read_net(i);
        self.present[i]
    }

    /// The addresses an endpoint sends from.
    pub fn endpoint_addresses(&self, e: Endpoint) -> Vec<AddrRange> {
        match e {
            Endpoint::Host(h) => self.addrs.host_addresses(&self.topo.hosts[h]),
            Endpoint::Gateway(g) => self.addrs.gateway_addresses(&self.topo.gateways[g]),
            Endpoint::Undeclared(s) => self.addrs.undeclared[s.0].clone(),
            Endpoint::External(x) => self.addrs.external_home[x.0].clone(),
        }
    }

    /// Every endpoint, in endpoint order: hosts, gateways, the undeclared addresses of each
    /// segment that has some, externals. Together they own every address.
    pub fn all_endpoints(&self) -> Vec<Endpoint> {
        let topo = self.topo;
        (0..topo.hosts.len())
            .map(|h| Endpoint::Host(HostId(h)))
            .chain((0..topo.gateways.len()).map(|g| Endpoint::Gateway(GatewayId(g))))
            .chain(
                (0..topo.segments.len())
                    .filter(|&s| !self.addrs.undeclared[s].is_empty())
                    .map(|s| Endpoint::Undeclared(SegmentId(s))),
            )
            .chain((0..topo.externals.len()).map(|x| Endpoint::External(ExternalId(x))))
            .collect()
    }

    /// Whether endpoint `e` has address `addr` on segment `s` (an external sits on none).
    /// Witnesses ask it at every network their search visits, so it builds nothing.
    pub fn endpoint_at(&self, e: Endpoint, s: usize, addr: u32) -> bool {
        let topo = self.topo;
        let on = |ifaces: &[crate::model::HostInterface]| {
            ifaces
                .iter()
                .any(|i| i.ip.contains_addr(addr) && topo.segments[s].id == i.segment.value)
        };
        match e {
            Endpoint::Host(h) => on(&topo.hosts[h].interfaces),
            Endpoint::Gateway(g) => on(&topo.gateways[g].interfaces),
            Endpoint::Undeclared(u) => {
                u.0 == s
                    && crate::model::ranges::overlaps_any(
                        &self.addrs.undeclared[s],
                        &AddrRange {
                            first: addr,
                            last: addr,
                        },
                    )
            }
            Endpoint::External(_) => false,
        }
    }

    /// The segments an endpoint sits on, with its addresses on each (an external sits on none).
    pub fn endpoint_legs(&self, e: Endpoint) -> Vec<(usize, Vec<AddrRange>)> {
        let topo = self.topo;
        let legs = |ifaces: &[crate::model::HostInterface]| {
            ifaces
                .iter()
                .filter_map(|i| {
                    topo.segment_index(&i.segment.value)
                        .map(|s| (s, vec![i.ip.value]))
                })
                .collect()
        };
        match e {
            Endpoint::Host(h) => legs(&topo.hosts[h].interfaces),
            Endpoint::Gateway(g) => legs(&topo.gateways[g].interfaces),
            Endpoint::Undeclared(s) => vec![(s.0, self.addrs.undeclared[s.0].clone())],
            Endpoint::External(_) => Vec::new(),
        }
    }

    /// Whether some leg of an endpoint (see [`endpoint_legs`](Self::endpoint_legs)) passes
    /// `keep(segment, addresses on it)`. Builds nothing: selections ask it of every endpoint.
    pub fn any_leg(&self, e: Endpoint, keep: &dyn Fn(usize, &[AddrRange]) -> bool) -> bool {
        let topo = self.topo;
        let on = |ifaces: &[crate::model::HostInterface]| {
            ifaces.iter().any(|i| {
                topo.segment_index(&i.segment.value)
                    .is_some_and(|s| keep(s, &[i.ip.value]))
            })
        };
        match e {
            Endpoint::Host(h) => on(&topo.hosts[h].interfaces),
            Endpoint::Gateway(g) => on(&topo.gateways[g].interfaces),
            Endpoint::Undeclared(s) => keep(s.0, &self.addrs.undeclared[s.0]),
            Endpoint::External(_) => false,
        }
    }

    /// Every packet delivered to an endpoint, from anywhere: on one of its segments with a
    /// destination address it has there, or forwarded into an external with a destination
    /// whose home is that external.
    pub fn delivered_to(&mut self, e: Endpoint) -> Bdd {
        self.delivered_on(e, &|_| true)
    }

    /// [`delivered_to`](Self::delivered_to), counting only delivery on the segments `on` keeps
    /// (`paths --to segment:X` asks what enters X, not what reaches a host's other leg).
    pub fn delivered_on(&mut self, e: Endpoint, on: &dyn Fn(usize) -> bool) -> Bdd {
        match e {
            Endpoint::Host(_) | Endpoint::Gateway(_) | Endpoint::Undeclared(_) => {
                let mut all = FALSE;
                for (s, addrs) in self.endpoint_legs(e) {
                    if !on(s) {
                        continue;
                    }
                    self.read_net(self.net_index(Net::Segment(s)));
                    if self.present[s] == FALSE {
                        continue;
                    }
                    let dst = self.space.dst(&addrs);
                    let here = self.space.m.and(self.present[s], dst);
                    all = self.space.m.or(all, here);
                }
                all
            }
            Endpoint::External(x) => {
                let dst = self.space.dst(&self.addrs.external_home[x.0].clone());
                let i = self.net_index(Net::External(x.0));
                self.read_net(i);
                self.space.m.and(self.arrived[i], dst)
            }
        }
    }

    /// Whether one concrete packet is delivered to an endpoint (from wherever its source
    /// address says it may start).
    pub fn delivers(&mut self, to: Endpoint, flow: super::space::Flow) -> bool {
        // The packet may start on any home of its source address (two externals listing the
        // same prefix both send it, with their own origin tags): delivered from any of them.
        let delivered = self.delivered_to(to);
        let one = self.space.flow(flow);
        self.space.m.and(one, delivered) != FALSE
    }

    /// The packets that get from one endpoint to another.
    pub fn between(&mut self, from: Endpoint, to: Endpoint) -> Bdd {
        let delivered = self.delivered_to(to);
        let src = self.endpoint_sources(from);
        self.space.m.and(delivered, src)
    }

    /// Packets delivered into a zone's segments (to any address there), from anywhere.
    pub fn delivered_to_zone(&mut self, zone: &str) -> Bdd {
        let mut all = FALSE;
        for (i, s) in self.topo.segments.iter().enumerate() {
            if s.zone.value == zone {
                self.read_net(self.net_index(Net::Segment(i)));
                let dst = self.space.dst(&[AddrRange::from_net(*s.cidr)]);
                let here = self.space.m.and(self.present[i], dst);
                all = self.space.m.or(all, here);
            }
        }
        all
    }

    /// Packets delivered into an external network (to an address whose home it is).
    pub fn delivered_to_external(&mut self, x: ExternalId) -> Bdd {
        self.delivered_to(Endpoint::External(x))
    }

    /// The source addresses of a zone (all its segments).
    pub fn zone_addresses(&self, zone: &str) -> Vec<AddrRange> {
        normalize(
            self.topo
                .segments
                .iter()
                .filter(|s| s.zone.value == zone)
                .map(|s| AddrRange::from_net(*s.cidr))
                .collect(),
        )
    }
}

/// The addresses of a network's own segment, if it is one.
fn segment_range(topo: &Topology, net: Net) -> Option<AddrRange> {
    match net {
        Net::Segment(i) => Some(AddrRange::from_net(*topo.segments[i].cidr)),
        Net::External(_) => None,
    }
}

/// A firewall that translates: `parts[a][b]` are its `in` filter at `a`, its routes and policy
/// list, and its `out` filter at `b`, which the translations come between.
#[derive(Clone)]
struct Translating {
    parts: Vec<Vec<[Bdd; 3]>>,
    nat: super::nat::CompiledNat,
}

/// Compiles firewall `f` in `space`: its transfer sets, n × n row by row, then, for a firewall
/// that translates, its n × n × 3 parts (see [`place`]).
fn compile_firewall(
    space: &mut Space,
    topo: &Topology,
    network: &Network<'_>,
    addrs: &Addresses<'_>,
    f: usize,
) -> Vec<Bdd> {
    let fw = &topo.firewalls[f];
    let compiled = acl::compile(space, addrs, fw);
    let parts = transfer_parts(
        space,
        topo,
        &network.ports[f],
        network.routing[f].as_ref(),
        &compiled,
    );
    let transfers = compile_transfers(space, &parts);
    let mut roots: Vec<Bdd> = transfers.iter().flatten().copied().collect();
    // A firewall that translates also needs its lists in the parts the translations come
    // between: compiled here (in parallel with the rest, in a cold compile), not a second time
    // in the shared manager.
    if !fw.nat.is_empty() {
        for &[inf, policy, route, outf] in parts.iter().flatten() {
            let routed = space.m.and(policy, route);
            roots.extend([inf, routed, outf]);
        }
    }
    roots
}

/// Transfer sets and parts as [`compile_firewall`] lists them, put in their tables: the n × n
/// transfer sets, and for a firewall that translates, the n × n × 3 parts.
type Placed = (Vec<Vec<Bdd>>, Option<Vec<Vec<[Bdd; 3]>>>);

fn place(fw: &crate::model::Firewall, roots: &[Bdd]) -> Placed {
    let n = fw.interfaces.len();
    let (sets, parts) = roots.split_at((n * n).min(roots.len()));
    let sets = if n == 0 {
        Vec::new()
    } else {
        sets.chunks(n).map(<[Bdd]>::to_vec).collect()
    };
    let parts = (!fw.nat.is_empty() && n > 0).then(|| {
        parts
            .chunks(3 * n)
            .map(|row| row.chunks(3).map(|p| [p[0], p[1], p[2]]).collect())
            .collect()
    });
    (sets, parts)
}

/// Packets a firewall forwards between each pair of its interfaces (`[a][b]`, FALSE for an
/// interface on nothing and for a = b): the three parts of [`transfer_parts`] together.
fn compile_transfers(space: &mut Space, parts: &[Vec<[Bdd; 4]>]) -> Vec<Vec<Bdd>> {
    parts
        .iter()
        .map(|row| {
            row.iter()
                .map(|&[inf, policy, route, outf]| {
                    // The route last: it is the largest operand of the usual firewall.
                    let mut t = space.m.and(inf, policy);
                    t = space.m.and(t, outf);
                    space.m.and(t, route)
                })
                .collect()
        })
        .collect()
}

/// A firewall's lists between each pair of interfaces, in parts: the `in` filter, the policy
/// list, the route, the `out` filter (FALSE for an interface on nothing and for a = b). With a routing table, a packet leaves only through the interface its longest-prefix
/// route names; without one, through any interface, except that a packet for one of the
/// firewall's own segments leaves through that segment's interface (the connected route).
fn transfer_parts(
    space: &mut Space,
    topo: &Topology,
    ports: &[Port],
    table: Option<&crate::graph::routes::RoutingTable>,
    compiled: &CompiledFirewall,
) -> Vec<Vec<[Bdd; 4]>> {
    let connected: Vec<AddrRange> = normalize(
        ports
            .iter()
            .filter_map(|p| segment_range(topo, p.net))
            .collect(),
    );
    let connected = space.dst(&connected);
    let elsewhere = space.m.not(connected);
    let n = compiled.in_filters.len();
    let mut out = vec![vec![[FALSE; 4]; n]; n];
    for a in ports {
        for b in ports {
            if a.interface == b.interface {
                continue;
            }
            let route = match (table, segment_range(topo, b.net)) {
                (Some(t), _) => space.dst(&t.out[b.interface]),
                (None, Some(r)) => {
                    let own = space.dst(&[r]);
                    space.m.or(own, elsewhere)
                }
                (None, None) => elsewhere,
            };
            let (policy, inf, outf) = (
                compiled.policy,
                compiled.in_filters[a.interface].permitted,
                compiled.out_filters[b.interface].permitted,
            );
            let inf = space.at_interfaces(inf, a.interface, b.interface);
            let outf = space.at_interfaces(outf, a.interface, b.interface);
            let policy = space.at_interfaces(policy, a.interface, b.interface);
            out[a.interface][b.interface] = [inf, policy, route, outf];
        }
    }
    out
}
