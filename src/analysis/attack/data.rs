//! Data loss: whether the attacker can read a store, and whether what it reads can leave for
//! the internet.
//!
//! A store is read by a host the attacker holds when the store's service is reachable from it
//! and the attacker holds an account among the store's readers (directly or through a group),
//! or the readers include `everyone`; or when the attacker holds the store's own host. The data
//! leaves when a host holding it can send to the internet: directly, in the replies to a
//! connection from the internet, or through a proxy or mail relay that can. Between hosts the attacker holds, data moves wherever packets go in either
//! direction (the attacker controls both ends; replies carry data back through stateful
//! firewalls, and assuming so for stateless ones errs on the side of finding a path).

use super::facts::{Facts, Want};
use super::spread::Spread;
use crate::analysis::reach::Endpoint;
use crate::analysis::space::ServiceSet;
use crate::model::{ExternalId, HostId, Reader};
use std::collections::VecDeque;

/// How the attacker gets to read a store.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadHow {
    /// It holds the store's own host.
    OwnHost,
    /// The store's readers include everyone.
    Everyone,
    /// It holds this account (index into `Topology::accounts`), a reader.
    Account(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    /// The host the store is read from.
    pub reader: usize,
    pub how: ReadHow,
    /// The store's service as it gets from the reader to the store (none for `OwnHost`).
    pub services: Option<ServiceSet>,
}

/// How the data gets out to the internet from the last host of a relay chain.
#[derive(Clone, Debug, PartialEq)]
pub enum Egress {
    /// Straight into an internet external.
    Direct { external: ExternalId },
    /// In the replies to a connection the attacker opens from the internet (an exposed
    /// service: what is read goes back the way the request came).
    Inbound { external: ExternalId },
    /// Through a proxy or mail relay (a host) that reaches the external.
    Relay { via: HostId, external: ExternalId },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exfil {
    /// The read it starts from.
    pub read: Read,
    /// Hosts the data passes, from the reader to the one that sends it out (just the reader
    /// when it sends it out itself).
    pub chain: Vec<usize>,
    pub egress: Egress,
}

/// Every way a held host reads the store, earliest round first.
pub fn readers(facts: &mut Facts<'_, '_>, spread: &Spread, s: usize) -> Vec<Read> {
    let topo = facts.topo;
    let store = &topo.stores[s];
    let Some(host) = topo.host_index(&store.host) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if spread.taken(host) {
        out.push(Read {
            reader: host,
            how: ReadHow::OwnHost,
            services: None,
        });
    }
    let how = if store.readers.iter().any(|r| r.value == Reader::Everyone) {
        Some(ReadHow::Everyone)
    } else {
        let mut named: Vec<usize> = Vec::new();
        for r in &store.readers {
            named.extend_from_slice(facts.accounts_named(&r.value));
        }
        named
            .into_iter()
            .filter(|&a| spread.held(a))
            .min_by_key(|&a| (spread.accounts[a].as_ref().map(|h| h.round), a))
            .map(ReadHow::Account)
    };
    let Some(how) = how else {
        return out;
    };
    if store.service.is_none() {
        return out;
    }
    let mut senders: Vec<usize> = facts
        .senders(host, Want::Store(s))
        .iter()
        .copied()
        .filter(|&h| h != host && spread.taken(h))
        .collect();
    senders.sort_by_key(|&h| (spread.round(h), h));
    for reader in senders {
        let set = facts.between(Endpoint::Host(HostId(reader)), host, Want::Store(s));
        let services = Some(facts.services(set));
        out.push(Read {
            reader,
            how: how.clone(),
            services,
        });
    }
    out
}

/// How a host sends to the internet, if it can (cached: every store's search asks again).
fn egress(facts: &mut Facts<'_, '_>, h: usize) -> Option<Egress> {
    if let Some(known) = facts.egress_of.get(&h) {
        return known.clone();
    }
    let found = find_egress(facts, h);
    facts.egress_of.insert(h, found.clone());
    found
}

fn find_egress(facts: &mut Facts<'_, '_>, h: usize) -> Option<Egress> {
    if facts.direct_egress()[h] {
        let external = facts.egress_external(h)?;
        return Some(Egress::Direct { external });
    }
    if let Some((external, _)) = facts.from_internet(h, Want::Any) {
        return Some(Egress::Inbound { external });
    }
    if !facts.relay_users()[h] {
        return None;
    }
    for via in facts.relays() {
        if via == h {
            continue;
        }
        let want = facts.relay_want(via);
        if facts.between(Endpoint::Host(HostId(h)), via, want) != crate::analysis::bdd::FALSE {
            let external = facts.egress_external(via)?;
            return Some(Egress::Relay {
                via: HostId(via),
                external,
            });
        }
    }
    None
}

/// Whether a host can send to the internet in one of the ways of [`egress`], without finding
/// out which relay it would use (that is asked only for the hosts a path ends on).
fn can_leave(facts: &mut Facts<'_, '_>, h: usize) -> bool {
    facts.direct_egress()[h]
        || facts.relay_users()[h]
        || facts.from_internet(h, Want::Any).is_some()
}

/// For every held host, the next host on a shortest way for data to the internet (itself
/// when it sends out on its own), or `None` when data there cannot leave. One breadth-first
/// search backwards from the hosts with egress, over the hosts the attacker holds, serves
/// every store (kept in `facts`, lent rather than copied per store).
fn routes<'f>(facts: &'f mut Facts<'_, '_>, spread: &Spread) -> &'f [Option<usize>] {
    if facts.routes.is_none() {
        let next = find_routes(facts, spread);
        facts.routes = Some(next);
    }
    facts.routes.as_deref().expect("just computed")
}

fn find_routes(facts: &mut Facts<'_, '_>, spread: &Spread) -> Vec<Option<usize>> {
    let n = spread.hosts.len();
    let held: Vec<usize> = (0..n).filter(|&h| spread.taken(h)).collect();
    // Data moves between two held hosts when packets go either way between them.
    let mut linked: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (x, y) in facts.held_links(&held) {
        linked[x].push(y);
        linked[y].push(x);
    }
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut queue = VecDeque::new();
    for &h in &held {
        if can_leave(facts, h) {
            next[h] = Some(h);
            queue.push_back(h);
        }
    }
    while let Some(x) = queue.pop_front() {
        let mut around = std::mem::take(&mut linked[x]);
        around.sort();
        around.dedup();
        for y in around {
            if next[y].is_none() {
                next[y] = Some(x);
                queue.push_back(y);
            }
        }
    }
    next
}

/// Whether and how the data of a store leaves, from the reader nearest to a way out.
pub fn exfiltrate(facts: &mut Facts<'_, '_>, spread: &Spread, reads: &[Read]) -> Option<Exfil> {
    if reads.is_empty() {
        return None;
    }
    let next = routes(facts, spread);
    let hops = |mut h: usize| {
        let mut chain = vec![h];
        while let Some(n) = next[h] {
            if n == h {
                return Some(chain);
            }
            chain.push(n);
            h = n;
        }
        None
    };
    let (read, chain) = reads
        .iter()
        .filter_map(|r| hops(r.reader).map(|c| (r, c)))
        .min_by_key(|(_, c)| c.len())?;
    let last = *chain.last().expect("a chain has its reader");
    let egress = egress(facts, last)?;
    Some(Exfil {
        read: read.clone(),
        chain,
        egress,
    })
}
