//! An attack path as the ordered steps a reader can check: every host taken and every
//! credential harvested that the read of a store depends on, in the order the attacker could
//! do them, then the read, the relays and the exfiltration. Each packet step carries one
//! concrete flow with the firewall rules that let it through.

use super::Step;
use super::data::{Egress, Exfil, Read, ReadHow};
use super::facts::{Facts, Want};
use super::spread::{CredCause, HostCause, Spread};
use crate::analysis::reach::Endpoint;
use crate::model::{AccountId, GatewayId, HostId, StoreId};
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

/// One flow of what `from` sends to host `to` that `want` asks for.
fn witness_to(
    facts: &mut Facts<'_, '_>,
    from: Endpoint,
    to: usize,
    want: Want,
) -> Option<crate::analysis::witness::Witness> {
    let set = facts.between(from, to, want);
    facts.witness(from, Endpoint::Host(HostId(to)), want, set)
}

fn host_step(facts: &mut Facts<'_, '_>, spread: &Spread, h: usize) -> Step {
    let cause = spread.hosts[h].as_ref().expect("taken").cause.clone();
    let id = HostId(h);
    match cause {
        HostCause::Assumed => Step::Assumed { host: id },
        HostCause::InternetUse => Step::InternetUse { host: id },
        HostCause::Joined { way } => Step::Joined { host: id, way },
        HostCause::Exposed { external, services } => Step::Exposed {
            host: id,
            external,
            services,
            witness: witness_to(facts, Endpoint::External(external), h, Want::Listening),
        },
        HostCause::Lateral {
            from,
            account,
            services,
        } => Step::Lateral {
            host: id,
            from: HostId(from),
            account: AccountId(account),
            services,
            witness: witness_to(facts, Endpoint::Host(HostId(from)), h, Want::Lateral),
        },
        HostCause::Exploit { from, services } => Step::Exploit {
            host: id,
            from: HostId(from),
            services,
            witness: witness_to(facts, Endpoint::Host(HostId(from)), h, Want::Vulnerable),
        },
        HostCause::Channel { gateway, from } => Step::Channel {
            host: id,
            gateway: GatewayId(gateway),
            from: from.map(HostId),
        },
    }
}

fn harvest_step(spread: &Spread, a: usize) -> Step {
    let (CredCause::LogsOn { host } | CredCause::SharedLocalAdmin { host }) =
        spread.accounts[a].as_ref().expect("held").cause;
    Step::Harvest {
        host: HostId(host),
        account: AccountId(a),
    }
}

fn read_step(facts: &mut Facts<'_, '_>, store: usize, read: &Read) -> Step {
    let account = match read.how {
        ReadHow::Account(a) => Some(AccountId(a)),
        ReadHow::OwnHost | ReadHow::Everyone => None,
    };
    let mut services = None;
    let mut found = None;
    if read.how != ReadHow::OwnHost {
        let topo = facts.topo;
        if let Some(host) = topo.host_index(&topo.stores[store].host) {
            services = read.services.clone();
            found = witness_to(
                facts,
                Endpoint::Host(HostId(read.reader)),
                host,
                Want::Store(store),
            );
        }
    }
    Step::Read {
        host: HostId(read.reader),
        store: StoreId(store),
        account,
        services,
        witness: found,
    }
}

fn relay_step(facts: &mut Facts<'_, '_>, from: usize, to: usize) -> Step {
    let (from_id, to_id) = (HostId(from), HostId(to));
    let forward = facts.between(Endpoint::Host(from_id), to, Want::Any);
    let witness = if forward != crate::analysis::bdd::FALSE {
        facts.witness(
            Endpoint::Host(from_id),
            Endpoint::Host(to_id),
            Want::Any,
            forward,
        )
    } else {
        // The receiving host pulls: its connection's replies carry the data.
        witness_to(facts, Endpoint::Host(to_id), from, Want::Any)
    };
    Step::Relay {
        host: to_id,
        from: from_id,
        witness,
    }
}

fn exfiltrate_step(facts: &mut Facts<'_, '_>, h: usize, egress: &Egress) -> Step {
    let host = HostId(h);
    let (services, witness) = match *egress {
        Egress::Direct { .. } => match facts.egress_to(h) {
            Some((x, set)) => (
                Some(facts.services(set)),
                facts.witness(Endpoint::Host(host), Endpoint::External(x), Want::Any, set),
            ),
            None => (None, None),
        },
        Egress::Inbound { external } => {
            let set = facts.between(Endpoint::External(external), h, Want::Any);
            (
                Some(facts.services(set)),
                facts.witness(
                    Endpoint::External(external),
                    Endpoint::Host(host),
                    Want::Any,
                    set,
                ),
            )
        }
        Egress::Relay { via, .. } => {
            let want = facts.relay_want(via.0);
            let set = facts.between(Endpoint::Host(host), via.0, want);
            (
                Some(facts.services(set)),
                facts.witness(Endpoint::Host(host), Endpoint::Host(via), want, set),
            )
        }
    };
    Step::Exfiltrate {
        host,
        egress: egress.clone(),
        services,
        witness,
    }
}
