//! An attack path as the ordered steps a reader can check: every host taken and every
//! credential harvested that the read of a store depends on, in the order the attacker could
//! do them, then the read, the relays and the exfiltration. Each packet step carries one
//! concrete flow with the firewall rules that let it through.

use super::data::{Egress, Exfil, Read, ReadHow};
use super::facts::{Facts, Want};
use super::spread::{CredCause, HostCause, Spread};
use super::{Step, StepKind};
use crate::analysis::reach::Endpoint;
use std::collections::BTreeSet;

/// What the read depends on, collected by following reasons back.
#[derive(Default)]
struct Needed {
    hosts: BTreeSet<usize>,
    accounts: BTreeSet<usize>,
}

impl Needed {
    fn host(&mut self, spread: &Spread, h: usize) {
        if !self.hosts.insert(h) {
            return;
        }
        match &spread.hosts[h]
            .as_ref()
            .expect("a needed host is taken")
            .cause
        {
            HostCause::Lateral { from, account, .. } => {
                self.host(spread, *from);
                self.account(spread, *account);
            }
            HostCause::Exploit { from, .. } => self.host(spread, *from),
            HostCause::Channel { from: Some(f), .. } => self.host(spread, *f),
            HostCause::Assumed
            | HostCause::InternetUse
            | HostCause::Exposed { .. }
            | HostCause::Joined { .. }
            | HostCause::Channel { from: None, .. } => {}
        }
    }

    fn account(&mut self, spread: &Spread, a: usize) {
        if !self.accounts.insert(a) {
            return;
        }
        match spread.accounts[a]
            .as_ref()
            .expect("a needed account is held")
            .cause
        {
            CredCause::LogsOn { host } | CredCause::SharedLocalAdmin { host } => {
                self.host(spread, host)
            }
        }
    }
}

/// The steps of the attack path to a store read as `read` (and out as `exfil`).
pub fn steps(
    facts: &mut Facts<'_, '_>,
    spread: &Spread,
    store: usize,
    read: &Read,
    exfil: Option<&Exfil>,
) -> Vec<Step> {
    let mut needed = Needed::default();
    needed.host(spread, read.reader);
    if let ReadHow::Account(a) = read.how {
        needed.account(spread, a);
    }
    if let Some(e) = exfil {
        for &h in &e.chain {
            needed.host(spread, h);
        }
    }
    // Order: by round; within a round, hosts before the credentials harvested on them.
    let mut order: Vec<(u32, u8, usize)> = needed
        .hosts
        .iter()
        .map(|&h| (spread.round(h), 0, h))
        .chain(needed.accounts.iter().map(|&a| {
            let held = spread.accounts[a].as_ref().expect("held");
            (held.round, 1, a)
        }))
        .collect();
    order.sort();
    let mut out = Vec::new();
    for (_, what, i) in order {
        out.push(if what == 0 {
            host_step(facts, spread, i)
        } else {
            harvest_step(spread, i)
        });
    }
    out.push(read_step(facts, store, read));
    if let Some(e) = exfil {
        for pair in e.chain.windows(2) {
            out.push(relay_step(facts, pair[0], pair[1]));
        }
        out.push(exfiltrate_step(
            facts,
            *e.chain.last().expect("chain"),
            &e.egress,
        ));
    }
    out
}

fn witness(
    facts: &mut Facts<'_, '_>,
    from: Endpoint,
    to: Endpoint,
    want: Want,
    set: crate::analysis::bdd::Bdd,
) -> Option<crate::analysis::witness::Witness> {
    facts.witness(from, to, want, set)
}

fn host_step(facts: &mut Facts<'_, '_>, spread: &Spread, h: usize) -> Step {
    let cause = spread.hosts[h].as_ref().expect("taken").cause.clone();
    match cause {
        HostCause::Assumed => Step::new(StepKind::Assumed, h),
        HostCause::InternetUse => Step::new(StepKind::Entry, h),
        HostCause::Joined { way } => {
            let mut s = Step::new(StepKind::Entry, h);
            s.way = Some(way);
            s
        }
        HostCause::Exposed { external, services } => {
            let set = facts.between(Endpoint::External(external), h, Want::Listening);
            let mut s = Step::new(StepKind::Entry, h);
            s.external = Some(external);
            s.services = Some(services);
            s.witness = witness(
                facts,
                Endpoint::External(external),
                Endpoint::Host(h),
                Want::Listening,
                set,
            );
            s
        }
        HostCause::Lateral {
            from,
            account,
            services,
        } => {
            let set = facts.between(Endpoint::Host(from), h, Want::Lateral);
            let mut s = Step::new(StepKind::Lateral, h);
            s.from = Some(from);
            s.account = Some(account);
            s.services = Some(services);
            s.witness = witness(
                facts,
                Endpoint::Host(from),
                Endpoint::Host(h),
                Want::Lateral,
                set,
            );
            s
        }
        HostCause::Exploit { from, services } => {
            let set = facts.between(Endpoint::Host(from), h, Want::Vulnerable);
            let mut s = Step::new(StepKind::Exploit, h);
            s.from = Some(from);
            s.services = Some(services);
            s.witness = witness(
                facts,
                Endpoint::Host(from),
                Endpoint::Host(h),
                Want::Vulnerable,
                set,
            );
            s
        }
        HostCause::Channel { gateway, from } => {
            let mut s = Step::new(StepKind::Channel, h);
            s.gateway = Some(gateway);
            s.from = from;
            s
        }
    }
}

fn harvest_step(spread: &Spread, a: usize) -> Step {
    let (CredCause::LogsOn { host } | CredCause::SharedLocalAdmin { host }) =
        spread.accounts[a].as_ref().expect("held").cause;
    let mut s = Step::new(StepKind::Harvest, host);
    s.account = Some(a);
    s
}

fn read_step(facts: &mut Facts<'_, '_>, store: usize, read: &Read) -> Step {
    let mut s = Step::new(StepKind::Read, read.reader);
    s.store = Some(store);
    if let ReadHow::Account(a) = read.how {
        s.account = Some(a);
    }
    if read.how != ReadHow::OwnHost {
        let topo = facts.topo;
        if let Some(host) = topo.host_index(&topo.stores[store].host) {
            let set = facts.between(Endpoint::Host(read.reader), host, Want::Store(store));
            s.services = read.services.clone();
            s.witness = witness(
                facts,
                Endpoint::Host(read.reader),
                Endpoint::Host(host),
                Want::Store(store),
                set,
            );
        }
    }
    s
}

fn relay_step(facts: &mut Facts<'_, '_>, from: usize, to: usize) -> Step {
    let mut s = Step::new(StepKind::Relay, to);
    s.from = Some(from);
    let forward = facts.between(Endpoint::Host(from), to, Want::Any);
    s.witness = if forward != crate::analysis::bdd::FALSE {
        witness(
            facts,
            Endpoint::Host(from),
            Endpoint::Host(to),
            Want::Any,
            forward,
        )
    } else {
        // The receiving host pulls: its connection's replies carry the data.
        let back = facts.between(Endpoint::Host(to), from, Want::Any);
        witness(
            facts,
            Endpoint::Host(to),
            Endpoint::Host(from),
            Want::Any,
            back,
        )
    };
    s
}

fn exfiltrate_step(facts: &mut Facts<'_, '_>, h: usize, egress: &Egress) -> Step {
    let mut s = Step::new(StepKind::Exfiltrate, h);
    match *egress {
        Egress::Direct { external } => {
            s.external = Some(external);
            if let Some((x, set)) = facts.egress_to(h) {
                s.services = Some(facts.services(set));
                s.witness = witness(
                    facts,
                    Endpoint::Host(h),
                    Endpoint::External(x),
                    Want::Any,
                    set,
                );
            }
        }
        Egress::Inbound { external } => {
            s.external = Some(external);
            s.inbound = true;
            let set = facts.between(Endpoint::External(external), h, Want::Any);
            s.services = Some(facts.services(set));
            s.witness = witness(
                facts,
                Endpoint::External(external),
                Endpoint::Host(h),
                Want::Any,
                set,
            );
        }
        Egress::Relay { via, external } => {
            s.external = Some(external);
            s.via = Some(via);
            let want = facts.relay_want(via);
            let set = facts.between(Endpoint::Host(h), via, want);
            s.services = Some(facts.services(set));
            s.witness = witness(facts, Endpoint::Host(h), Endpoint::Host(via), want, set);
        }
    }
    s
}
