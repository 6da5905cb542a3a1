//! The packet facts the attack analysis needs, asked of the reachability fixpoint lazily and
//! cached: which hosts can send to a host on some services, which hosts can reach the
//! internet, and what of a host the internet reaches.
//!
//! Every question has the same shape: take the packets delivered to a target, keep those of
//! the services that matter, and read off the source addresses; the hosts owning those
//! addresses are the senders. One reachability fixpoint answers all of them (a packet's source
//! address tells where it started), so nothing here walks the network again.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::paths::EndpointIndex;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::space::ServiceSet;
use crate::model::{ExternalId, ExternalKind, HostId, HostKind, Reader, Service, Topology};
use std::collections::{BTreeMap, HashMap};

/// Which services of a target a question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    /// Any packet at all (data relayed between two hosts the attacker holds).
    Any,
    /// The policy's lateral-movement services the host offers.
    Lateral,
    /// The services listed in the host's `vulnerable`.
    Vulnerable,
    /// The services the host listens on (`services`).
    Listening,
    /// The service of one store (index into `Topology::stores`).
    Store(usize),
}

pub struct Facts<'r, 't> {
    pub reach: &'r mut Reachability<'t>,
    /// The design under analysis: the one `reach` was computed for, or a copy with changes
    /// that do not move packets (accounts, internet use, stores, gateways, vulnerabilities).
    pub topo: &'r Topology,
    lateral: Vec<Service>,
    /// Every host by address, to turn source addresses into hosts.
    hosts: EndpointIndex,
    /// Externals the attacker stands in: kind internet or security-cloud.
    pub internet: Vec<ExternalId>,
    delivered: BTreeMap<usize, Bdd>,
    reaching: BTreeMap<(usize, Want), Bdd>,
    senders: BTreeMap<(usize, Want), Vec<usize>>,
    egress: Option<Vec<bool>>,
    internet_src: Option<Bdd>,
    /// How each host asked so far gets data to the internet (see `data::exfiltrate`).
    pub egress_of: BTreeMap<usize, Option<super::data::Egress>>,
    relays: Option<Vec<usize>>,
    /// Per host, the next hop of data on its way out (see `data::exfiltrate`).
    pub routes: Option<Vec<Option<usize>>>,
    relay_users: Option<Vec<bool>>,
    internet_delivered: Option<Vec<(ExternalId, Bdd)>>,
    /// What is delivered into each internet external, projected onto its senders.
    internet_senders: Option<Vec<(ExternalId, Bdd)>>,
    internet_on: BTreeMap<usize, bool>,
    witnesses: BTreeMap<(Endpoint, Endpoint, Want), Option<crate::analysis::witness::Witness>>,
    /// Accounts by the names store readers use, made on first use (see `accounts_named`).
    reader_names: Option<ReaderNames<'r>>,
    /// The packets sent from each endpoint asked so far (by source address): the same hosts
    /// are asked about again and again, for every store and every round.
    sent_by: BTreeMap<Endpoint, Bdd>,
}

/// Accounts by id and by group: what a store's `readers` name.
struct ReaderNames<'r> {
    by_id: HashMap<&'r str, Vec<usize>>,
    by_group: HashMap<&'r str, Vec<usize>>,
}

impl<'r, 't> Facts<'r, 't> {
    pub fn new(
        reach: &'r mut Reachability<'t>,
        topo: &'r Topology,
        lateral: &[Service],
    ) -> Facts<'r, 't> {
        let all: Vec<Endpoint> = (0..topo.hosts.len())
            .map(|h| Endpoint::Host(HostId(h)))
            .collect();
        let hosts = EndpointIndex::new(reach, &all);
        let internet = topo
            .externals
            .iter()
            .enumerate()
            .filter(|(_, x)| matches!(x.kind, ExternalKind::Internet | ExternalKind::SecurityCloud))
            .map(|(i, _)| ExternalId(i))
            .collect();
        Facts {
            reach,
            topo,
            lateral: lateral.to_vec(),
            hosts,
            internet,
            delivered: BTreeMap::new(),
            reaching: BTreeMap::new(),
            senders: BTreeMap::new(),
            egress: None,
            internet_src: None,
            egress_of: BTreeMap::new(),
            relays: None,
            routes: None,
            relay_users: None,
            internet_delivered: None,
            internet_senders: None,
            internet_on: BTreeMap::new(),
            witnesses: BTreeMap::new(),
            reader_names: None,
            sent_by: BTreeMap::new(),
        }
    }

    /// The accounts a store reader names, in account order (none for `everyone`). Indexed once:
    /// matching every store's readers against every account adds up.
    pub fn accounts_named(&mut self, reader: &Reader) -> &[usize] {
        let topo = self.topo;
        let names = self.reader_names.get_or_insert_with(|| {
            let mut names = ReaderNames {
                by_id: HashMap::new(),
                by_group: HashMap::new(),
            };
            for (a, account) in topo.accounts.iter().enumerate() {
                names.by_id.entry(account.id.as_str()).or_default().push(a);
                for g in &account.groups {
                    let members = names.by_group.entry(g.as_str()).or_default();
                    if members.last() != Some(&a) {
                        members.push(a);
                    }
                }
            }
            names
        });
        let found = match reader {
            Reader::Everyone => None,
            Reader::Account(id) => names.by_id.get(id.as_str()),
            Reader::Group(g) => names.by_group.get(g.as_str()),
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// Every packet delivered to a host.
    fn delivered(&mut self, host: usize) -> Bdd {
        if let Some(&d) = self.delivered.get(&host) {
            return d;
        }
        let d = self.reach.delivered_to(Endpoint::Host(HostId(host)));
        self.delivered.insert(host, d);
        d
    }

    /// The packet set of the services a question is about, for one target host.
    pub fn wanted(&mut self, host: usize, want: Want) -> Bdd {
        let topo = self.topo;
        let h = &topo.hosts[host];
        let space = &mut self.reach.space;
        match want {
            Want::Any => crate::analysis::bdd::TRUE,
            Want::Lateral => {
                let lateral = space.services(&self.lateral);
                if h.services.is_empty() {
                    // A host that lists no services is taken to run the usual administrative
                    // ones (SMB, RDP, WinRM, SSH): assuming it does not would hide paths.
                    lateral
                } else {
                    let offered = space.services(h.services.iter().map(|s| &s.value));
                    space.m.and(lateral, offered)
                }
            }
            Want::Vulnerable => space.services(h.vulnerable.iter().map(|s| &s.value)),
            Want::Listening => space.services(h.services.iter().map(|s| &s.value)),
            Want::Store(s) => match &topo.stores[s].service {
                Some(svc) => space.service(svc.value),
                None => FALSE,
            },
        }
    }

    /// The packets delivered to `host` on the services of `want` (cached: a store's senders
    /// are asked for the set, and then each reader's packets in it, and the intersection
    /// walks everything delivered to the store's host, which the operation cache has often
    /// dropped by the next question).
    pub fn reaching(&mut self, host: usize, want: Want) -> Bdd {
        if let Some(&r) = self.reaching.get(&(host, want)) {
            return r;
        }
        let delivered = self.delivered(host);
        let r = if delivered == FALSE {
            FALSE
        } else {
            let wanted = self.wanted(host, want);
            self.reach.space.m.and(delivered, wanted)
        };
        self.reaching.insert((host, want), r);
        r
    }

    /// The hosts whose addresses send some packet of `set` (in host order).
    fn sending_hosts(&mut self, set: Bdd) -> Vec<usize> {
        if set == FALSE {
            return Vec::new();
        }
        let sources = self.reach.space.sources_of(set);
        self.hosts
            .at(&sources)
            .into_iter()
            .filter_map(|e| match e {
                Endpoint::Host(h) => Some(h.0),
                _ => None,
            })
            .collect()
    }

    /// The hosts that can send `host` packets of `want` (in host order; may include `host`
    /// itself, and the other members of its group).
    pub fn senders(&mut self, host: usize, want: Want) -> &[usize] {
        if !self.senders.contains_key(&(host, want)) {
            let set = self.reaching(host, want);
            let found = self.sending_hosts(set);
            self.senders.insert((host, want), found);
        }
        &self.senders[&(host, want)]
    }

    /// Every packet whose source address is one of `from`'s (cached).
    fn sent_by(&mut self, from: Endpoint) -> Bdd {
        if let Some(&s) = self.sent_by.get(&from) {
            return s;
        }
        let s = self.reach.endpoint_sources(from);
        self.sent_by.insert(from, s);
        s
    }

    /// The packets from `from` delivered to `to` on the services of `want`.
    pub fn between(&mut self, from: Endpoint, to: usize, want: Want) -> Bdd {
        let set = self.reaching(to, want);
        if set == FALSE {
            return FALSE;
        }
        let src = self.sent_by(from);
        self.reach.space.m.and(set, src)
    }

    /// The services of a packet set.
    pub fn services(&mut self, set: Bdd) -> ServiceSet {
        self.reach.space.services_of(set)
    }

    /// Packets delivered into each internet external (cached).
    fn internet_delivered(&mut self) -> Vec<(ExternalId, Bdd)> {
        if self.internet_delivered.is_none() {
            let mut out = Vec::new();
            for x in self.internet.clone() {
                let d = self.reach.delivered_to(Endpoint::External(x));
                out.push((x, d));
            }
            self.internet_delivered = Some(out);
        }
        self.internet_delivered.clone().expect("just computed")
    }

    /// Per host: whether some packet from it is delivered into the internet (an external of
    /// kind internet or security-cloud), on any service.
    pub fn direct_egress(&mut self) -> &[bool] {
        if self.egress.is_none() {
            let n = self.topo.hosts.len();
            let mut out = vec![false; n];
            for (_, delivered) in self.internet_delivered() {
                if delivered == FALSE {
                    continue;
                }
                let sources = self.reach.space.sources_of(delivered);
                for e in self.hosts.at(&sources) {
                    if let Endpoint::Host(h) = e {
                        out[h.0] = true;
                    }
                }
            }
            self.egress = Some(out);
        }
        self.egress.as_deref().expect("just computed")
    }

    /// What is delivered into each internet external, projected onto the fields that tell its
    /// senders (`Space::senders`; cached).
    fn internet_senders(&mut self) -> Vec<(ExternalId, Bdd)> {
        if self.internet_senders.is_none() {
            let delivered = self.internet_delivered();
            let space = &mut self.reach.space;
            let out = delivered
                .into_iter()
                .map(|(x, d)| (x, space.senders(d)))
                .collect();
            self.internet_senders = Some(out);
        }
        self.internet_senders.clone().expect("just computed")
    }

    /// The external [`egress_to`](Self::egress_to) finds, without the packets: asked of each
    /// external's senders, a small set that meets what `host` sends exactly when what is
    /// delivered there does, rather than of everything delivered (at tier XL, asking that for
    /// every store's way out was a fifth of the attack analysis).
    pub fn egress_external(&mut self, host: usize) -> Option<ExternalId> {
        let src = self.sent_by(Endpoint::Host(HostId(host)));
        let senders = self.internet_senders();
        let space = &mut self.reach.space;
        senders
            .into_iter()
            .find(|&(_, from)| space.meets(from, src))
            .map(|(x, _)| x)
    }

    /// The first internet external that `host` delivers packets into, with the packets.
    pub fn egress_to(&mut self, host: usize) -> Option<(ExternalId, Bdd)> {
        let src = self.sent_by(Endpoint::Host(HostId(host)));
        for (x, delivered) in self.internet_delivered() {
            let set = self.reach.space.m.and(delivered, src);
            if set != FALSE {
                return Some((x, set));
            }
        }
        None
    }

    /// What a relay (proxy or mail relay) takes: its listening services, or anything when it
    /// lists none.
    pub fn relay_want(&self, via: usize) -> Want {
        if self.topo.hosts[via].services.is_empty() {
            Want::Any
        } else {
            Want::Listening
        }
    }

    /// Proxies and mail relays that reach the internet themselves, in host order (cached).
    pub fn relays(&mut self) -> Vec<usize> {
        if self.relays.is_none() {
            let topo = self.topo;
            let found: Vec<usize> = (0..topo.hosts.len())
                .filter(|&r| matches!(topo.hosts[r].kind, HostKind::Proxy | HostKind::MailRelay))
                .collect();
            let egress = self.direct_egress().to_vec();
            self.relays = Some(found.into_iter().filter(|&r| egress[r]).collect());
        }
        self.relays.clone().expect("just computed")
    }

    /// Per host: whether it reaches some relay of [`relays`](Self::relays) on what the relay
    /// takes. One question per segment with relays, not one per relay (cached).
    pub fn relay_users(&mut self) -> &[bool] {
        if self.relay_users.is_none() {
            let users = self.find_relay_users();
            self.relay_users = Some(users);
        }
        self.relay_users.as_deref().expect("just computed")
    }

    /// What [`relay_users`](Self::relay_users) keeps: asked once per held host, it lends the
    /// table rather than copying it (a copy per host was quadratic in the design's size).
    fn find_relay_users(&mut self) -> Vec<bool> {
        let topo = self.topo;
        let mut per_segment: BTreeMap<usize, Bdd> = BTreeMap::new();
        for via in self.relays() {
            let want = self.relay_want(via);
            let wanted = self.wanted(via, want);
            for i in &topo.hosts[via].interfaces {
                if let Some(s) = topo.segment_index(&i.segment) {
                    let dst = self.reach.space.dst(&[i.ip.value]);
                    let here = self.reach.space.m.and(dst, wanted);
                    let acc = per_segment.entry(s).or_insert(FALSE);
                    *acc = self.reach.space.m.or(*acc, here);
                }
            }
        }
        let mut users = vec![false; topo.hosts.len()];
        for (s, target) in per_segment {
            let present = self.reach.present(crate::graph::Net::Segment(s));
            let set = self.reach.space.m.and(present, target);
            if set == FALSE {
                continue;
            }
            let sources = self.reach.space.sources_of(set);
            for e in self.hosts.at(&sources) {
                if let Endpoint::Host(h) = e {
                    users[h.0] = true;
                }
            }
        }
        users
    }

    /// The packets from the internet, as sets of sources (made on first use).
    fn internet_src(&mut self) -> Bdd {
        if let Some(src) = self.internet_src {
            return src;
        }
        let internet = self.internet.clone();
        let src = self.reach.externals_sources(&internet);
        self.internet_src = Some(src);
        src
    }

    /// Whether packets from the internet are present on a segment (cached: most segments
    /// have none, which rules out every host on them at once). Asked without building the
    /// packets: a segment's packets from the internet are only ever wanted to one address.
    fn internet_on(&mut self, segment: usize) -> bool {
        if let Some(&on) = self.internet_on.get(&segment) {
            return on;
        }
        let internet_src = self.internet_src();
        let present = self.reach.present(crate::graph::Net::Segment(segment));
        let on = self.reach.space.meets(present, internet_src);
        self.internet_on.insert(segment, on);
        on
    }

    /// The packets from the internet externals delivered to `host` on the services of `want`,
    /// with the first external that sends them.
    pub fn from_internet(&mut self, host: usize, want: Want) -> Option<(ExternalId, Bdd)> {
        let topo = self.topo;
        let mut arrived = FALSE;
        for iface in &topo.hosts[host].interfaces {
            let Some(s) = topo.segment_index(&iface.segment) else {
                continue;
            };
            if !self.internet_on(s) {
                continue;
            }
            // The destination is the first field: restricting a segment's packets to one
            // address follows a single path, and only that part meets the internet's sources.
            let present = self.reach.present(crate::graph::Net::Segment(s));
            let dst = self.reach.space.dst(&[iface.ip.value]);
            let here = self.reach.space.m.and(present, dst);
            let internet_src = self.internet_src();
            if !self.reach.space.meets(here, internet_src) {
                continue;
            }
            let here = self.reach.space.m.and(here, internet_src);
            arrived = self.reach.space.m.or(arrived, here);
        }
        if arrived == FALSE {
            return None;
        }
        let wanted = self.wanted(host, want);
        // Most servers are not exposed: asking first walks the two sets without building
        // their intersection, which holds every sender's addresses below each service.
        if !self.reach.space.meets(arrived, wanted) {
            return None;
        }
        let set = self.reach.space.m.and(arrived, wanted);
        for x in self.internet.clone() {
            let src = self.reach.endpoint_sources(Endpoint::External(x));
            if self.reach.space.meets(set, src) {
                return Some((x, self.reach.space.m.and(set, src)));
            }
        }
        None
    }

    /// A witness for packets in `set` from one endpoint to another, cached per step shape
    /// (many stores share their first steps).
    pub fn witness(
        &mut self,
        from: Endpoint,
        to: Endpoint,
        want: Want,
        set: Bdd,
    ) -> Option<crate::analysis::witness::Witness> {
        if let Some(w) = self.witnesses.get(&(from, to, want)) {
            return w.clone();
        }
        let w = self.reach.witness(from, to, set);
        self.witnesses.insert((from, to, want), w.clone());
        w
    }

    /// The hosts of `zone` that exchange packets with gateway `g` (they fetch from it or it
    /// delivers to them): the receivers of what the gateway passes into the zone.
    /// `zone_hosts` are the hosts with an interface in the zone, in host order.
    pub fn gateway_peers(&mut self, g: usize, zone: &str, zone_hosts: &[usize]) -> Vec<usize> {
        let topo = self.topo;
        let gw = &topo.gateways[g];
        let in_zone = |seg: &str| topo.segment(seg).is_some_and(|s| s.zone.value == zone);
        let mut sides: Vec<&crate::model::HostInterface> = gw
            .interfaces
            .iter()
            .filter(|i| in_zone(&i.segment))
            .collect();
        if sides.is_empty() {
            sides = gw.interfaces.iter().collect();
        }
        let addresses: Vec<crate::model::AddrRange> = sides.iter().map(|i| i.ip.value).collect();
        let mut out = Vec::new();
        // What the gateway's own addresses receive, on the segments it sits in.
        let mut to_gateway = FALSE;
        for i in &sides {
            if let Some(s) = topo.segment_index(&i.segment) {
                let present = self.reach.present(crate::graph::Net::Segment(s));
                let dst = self.reach.space.dst(&[i.ip.value]);
                let here = self.reach.space.m.and(present, dst);
                to_gateway = self.reach.space.m.or(to_gateway, here);
            }
        }
        // Sorted, to look each host of the zone up.
        let mut fetchers = self.sending_hosts(to_gateway);
        fetchers.sort_unstable();
        let gw_src = self.reach.space.src(&addresses);
        for &h in zone_hosts {
            let fetches = fetchers.binary_search(&h).is_ok();
            if fetches || {
                let d = self.delivered(h);
                self.reach.space.m.and(d, gw_src) != FALSE
            } {
                out.push(h);
            }
        }
        out
    }

    /// Pairs of hosts among `held` (sorted) between which packets go in at least one
    /// direction, enough to connect every pair that is connected at all: hosts on one segment
    /// reach each other, and for every segment one question (which held hosts send to the held
    /// hosts here?) finds the links from elsewhere, instead of one question per host.
    pub fn held_links(&mut self, held: &[usize]) -> Vec<(usize, usize)> {
        let topo = self.topo;
        let mut by_segment: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &h in held {
            for i in &topo.hosts[h].interfaces {
                if let Some(s) = topo.segment_index(&i.segment) {
                    let members = by_segment.entry(s).or_default();
                    if members.last() != Some(&h) {
                        members.push(h);
                    }
                }
            }
        }
        let mut links = Vec::new();
        for (&s, members) in &by_segment {
            for pair in members.windows(2) {
                links.push((pair[0], pair[1]));
            }
            let addresses: Vec<crate::model::AddrRange> = members
                .iter()
                .flat_map(|&h| {
                    topo.hosts[h]
                        .interfaces
                        .iter()
                        .filter(|i| topo.segment_index(&i.segment) == Some(s))
                        .map(|i| i.ip.value)
                })
                .collect();
            let present = self.reach.present(crate::graph::Net::Segment(s));
            let dst = self.reach.space.dst(&addresses);
            let arriving = self.reach.space.m.and(present, dst);
            if arriving == FALSE {
                continue;
            }
            let sources = self.reach.space.sources_of(arriving);
            for e in self.hosts.at(&sources) {
                let Endpoint::Host(HostId(x)) = e else {
                    continue;
                };
                if members.contains(&x) || held.binary_search(&x).is_err() {
                    continue;
                }
                // Some member receives from x; find which, for a concrete relay step.
                for &y in members {
                    if self.between(Endpoint::Host(HostId(x)), y, Want::Any) != FALSE {
                        links.push((x, y));
                        break;
                    }
                }
            }
        }
        links
    }
}
