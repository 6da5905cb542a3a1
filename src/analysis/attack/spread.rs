//! The compromise fixpoint: which hosts the attacker takes and which credentials it holds,
//! each with the first reason found and the round it was found in.
//!
//! Round 0 holds the entry points (internet content, exposed services, rogue devices, and the
//! Wi-Fi and remote-access lines the attacker can join). In each later round the attacker
//! - harvests the credentials of accounts that log on to hosts it took (and of shared local
//!   administrator accounts valid on them: the same password opens every host it is admin on);
//! - takes a host when it holds an account that is admin there and a host it already holds can
//!   reach one of the policy's lateral-movement services on it; or when a host it holds can
//!   reach a service the host lists as `vulnerable`;
//! - takes the hosts behind a sanitizer or screen transfer that passes content unsanitized,
//!   once content from the attacker arrives on its sending side.
//!
//! A host is never taken twice, so the first reason is one from the earliest possible round:
//! following reasons back gives a path with the fewest rounds.

use super::entry::Way;
use super::facts::{Facts, Want};
use crate::analysis::host_index::HostIndex;
use crate::analysis::reach::Endpoint;
use crate::analysis::space::ServiceSet;
use crate::model::policy::{Entry, Policy};
use crate::model::{ExternalId, Gateway, GatewayKind, HostId, Privilege, Selector, Tier, Topology};

/// Why a host is in the attacker's hands.
#[derive(Clone, Debug, PartialEq)]
pub enum HostCause {
    Assumed,
    /// It opens internet content (`internet_use`): a phishing mail or a drive-by download.
    InternetUse,
    /// A service it listens on is reachable from the internet.
    Exposed {
        external: ExternalId,
        services: ServiceSet,
    },
    /// The attacker joined a Wi-Fi or a remote-access line that lands here (`entry.rs`).
    Joined {
        way: Way,
    },
    /// An account the attacker holds is admin on it, over a lateral service.
    Lateral {
        from: usize,
        account: usize,
        services: ServiceSet,
    },
    /// A vulnerable service of it is reachable.
    Exploit {
        from: usize,
        services: ServiceSet,
    },
    /// Unsanitized content through a gateway; `from` is a host the attacker holds on the
    /// sending side, `None` when the sending side is the internet tier itself.
    Channel {
        gateway: usize,
        from: Option<usize>,
    },
}

/// Why the attacker holds an account's credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredCause {
    /// The account logs on to a host the attacker took (`logs_on_to`).
    LogsOn { host: usize },
    /// A local administrator account with the same password everywhere (`unique_per_host` not
    /// true), valid on a host the attacker took (`admin_on`).
    SharedLocalAdmin { host: usize },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    pub cause: HostCause,
    pub round: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub cause: CredCause,
    pub round: u32,
}

/// The fixpoint's result: per host and per account, whether and why.
#[derive(Clone, Debug, Default)]
pub struct Spread {
    pub hosts: Vec<Option<Taken>>,
    pub accounts: Vec<Option<Held>>,
}

impl Spread {
    pub fn taken(&self, h: usize) -> bool {
        self.hosts[h].is_some()
    }

    pub fn held(&self, a: usize) -> bool {
        self.accounts[a].is_some()
    }

    /// The round a host was taken in (`u32::MAX` if never).
    pub fn round(&self, h: usize) -> u32 {
        self.hosts[h].as_ref().map_or(u32::MAX, |t| t.round)
    }
}

/// Whether a gateway lets content through unsanitized, so that compromise crosses it.
pub fn passes_compromise(g: &Gateway, policy: &Policy) -> bool {
    match g.kind {
        GatewayKind::FileSanitizer | GatewayKind::MailSanitizer => {
            g.bypass || policy.attacker.sanitizer_bypass
        }
        // Screen transfer carries pixels; only file transfer or drive redirection carries files.
        GatewayKind::ScreenTransfer => {
            g.bypass || g.file_transfer == Some(true) || g.drive_redirection == Some(true)
        }
        GatewayKind::Proxy => g.bypass,
    }
}

/// Accounts by host: which are admin on it, which log on to it.
struct Accounts {
    admin_of: Vec<Vec<usize>>,
    logs_on: Vec<Vec<usize>>,
    shared_admin: Vec<Vec<usize>>,
}

fn accounts(topo: &Topology, index: &mut HostIndex<'_>) -> Accounts {
    let n = topo.hosts.len();
    let mut out = Accounts {
        admin_of: vec![Vec::new(); n],
        logs_on: vec![Vec::new(); n],
        shared_admin: vec![Vec::new(); n],
    };
    for (a, account) in topo.accounts.iter().enumerate() {
        let shared =
            account.privilege == Privilege::LocalAdmin && account.unique_per_host != Some(true);
        for (h, _) in index.of_all(account.admin_on.iter().map(|s| &s.value)) {
            out.admin_of[h].push(a);
            if shared {
                out.shared_admin[h].push(a);
            }
        }
        for (h, _) in index.of_all(account.logs_on_to.iter().map(|s| &s.value)) {
            out.logs_on[h].push(a);
        }
    }
    out
}

/// A gateway that passes compromise, with what does not change from round to round: the
/// hosts on its sending side, and the receivers of what it passes (asked of the packets on
/// first need, then kept).
struct Crossing {
    gateway: usize,
    sending: std::rc::Rc<Vec<usize>>,
    from_internet: bool,
    peers: Option<Vec<usize>>,
}

/// Runs the fixpoint. With `assumed` hosts, the attacker starts there only; otherwise from
/// the internet, by the policy's entry kinds, from the rogue devices in the design (hosts
/// added by `rogue::add_rogue_devices` for the policy's `rogue_devices`), and from the Wi-Fi
/// and remote-access lines it can join (`entry::entry_hosts`).
pub fn run(facts: &mut Facts<'_, '_>, policy: &Policy, assumed: &[HostId]) -> Spread {
    let topo = facts.topo;
    let n = topo.hosts.len();
    let mut spread = Spread {
        hosts: vec![None; n],
        accounts: vec![None; topo.accounts.len()],
    };
    // Where every host is was resolved with the reachability, for the design it was computed
    // for; a design changed by the fix search resolves its own.
    let places = &facts.reach.network.places;
    let mut index = if std::ptr::eq(places.topo, topo) {
        HostIndex::with_places(std::sync::Arc::clone(places))
    } else {
        HostIndex::new(topo)
    };
    let by_host = accounts(topo, &mut index);
    let entry = &policy.attacker.entry;
    if assumed.is_empty() {
        for h in 0..n {
            let host = &topo.hosts[h];
            if host.id.starts_with(super::rogue::ROGUE_PREFIX) {
                spread.hosts[h] = Some(Taken {
                    cause: HostCause::Assumed,
                    round: 0,
                });
            } else if entry.contains(&Entry::InternetUse) && !host.internet_use.is_empty() {
                spread.hosts[h] = Some(Taken {
                    cause: HostCause::InternetUse,
                    round: 0,
                });
            } else if entry.contains(&Entry::ExposedServices)
                && !host.services.is_empty()
                && let Some((x, set)) = facts.from_internet(h, Want::Listening)
            {
                let services = facts.services(set);
                spread.hosts[h] = Some(Taken {
                    cause: HostCause::Exposed {
                        external: x,
                        services,
                    },
                    round: 0,
                });
            }
        }
        // Wi-Fi and remote access: a host already taken keeps its first reason.
        for (h, way) in super::entry::entry_hosts(topo, policy) {
            if spread.hosts[h].is_none() {
                spread.hosts[h] = Some(Taken {
                    cause: HostCause::Joined { way },
                    round: 0,
                });
            }
        }
    } else {
        for &h in assumed {
            spread.hosts[h.0] = Some(Taken {
                cause: HostCause::Assumed,
                round: 0,
            });
        }
    }
    let mut crossings: Vec<Crossing> = (0..topo.gateways.len())
        .filter(|&g| passes_compromise(&topo.gateways[g], policy))
        .map(|g| {
            let gw = &topo.gateways[g];
            Crossing {
                gateway: g,
                sending: index.of(&Selector::Zone(gw.from.value.clone())),
                from_internet: topo
                    .zone(&gw.from)
                    .is_some_and(|z| z.tier == Tier::Internet),
                peers: None,
            }
        })
        .collect();
    let mut newly: Vec<usize> = (0..n).filter(|&h| spread.taken(h)).collect();
    let mut round = 0;
    while !newly.is_empty() {
        // Credentials exposed on the hosts taken in the last round.
        for &h in &newly {
            for &a in &by_host.logs_on[h] {
                if !spread.held(a) {
                    spread.accounts[a] = Some(Held {
                        cause: CredCause::LogsOn { host: h },
                        round,
                    });
                }
            }
            for &a in &by_host.shared_admin[h] {
                if !spread.held(a) {
                    spread.accounts[a] = Some(Held {
                        cause: CredCause::SharedLocalAdmin { host: h },
                        round,
                    });
                }
            }
        }
        round += 1;
        let mut found: Vec<(usize, HostCause)> = Vec::new();
        for t in 0..n {
            if spread.taken(t) {
                continue;
            }
            if let Some(cause) = take(facts, &spread, &by_host, t) {
                found.push((t, cause));
            }
        }
        for crossing in &mut crossings {
            let g = crossing.gateway;
            // Content from the attacker arrives on the sending side when the attacker holds a
            // host there, or when that side is the internet tier (mail and web come in anyway).
            let from = crossing
                .sending
                .iter()
                .copied()
                .filter(|&h| spread.taken(h))
                .min_by_key(|&h| (spread.round(h), h));
            if from.is_none() && !crossing.from_internet {
                continue;
            }
            let peers = crossing.peers.get_or_insert_with(|| {
                let zone = &topo.gateways[g].to;
                let receiving = index.of(&Selector::Zone(zone.value.clone()));
                facts.gateway_peers(g, zone, &receiving)
            });
            for &t in peers.iter() {
                if !spread.taken(t) && !found.iter().any(|(h, _)| *h == t) {
                    found.push((t, HostCause::Channel { gateway: g, from }));
                }
            }
        }
        newly = found.iter().map(|(h, _)| *h).collect();
        for (h, cause) in found {
            spread.hosts[h] = Some(Taken { cause, round });
        }
    }
    spread
}

/// Whether the attacker takes host `t` in this round, from what it held before it.
fn take(
    facts: &mut Facts<'_, '_>,
    spread: &Spread,
    by_host: &Accounts,
    t: usize,
) -> Option<HostCause> {
    let earliest = |spread: &Spread, senders: &[usize]| {
        senders
            .iter()
            .copied()
            .filter(|&h| h != t && spread.taken(h))
            .min_by_key(|&h| (spread.round(h), h))
    };
    let account = by_host.admin_of[t]
        .iter()
        .copied()
        .filter(|&a| spread.held(a))
        .min_by_key(|&a| (spread.accounts[a].as_ref().map(|c| c.round), a));
    if let Some(account) = account {
        let senders = facts.senders(t, Want::Lateral).to_vec();
        if let Some(from) = earliest(spread, &senders) {
            let set = facts.between(Endpoint::Host(HostId(from)), t, Want::Lateral);
            let services = facts.services(set);
            return Some(HostCause::Lateral {
                from,
                account,
                services,
            });
        }
    }
    if !facts.topo.hosts[t].vulnerable.is_empty() {
        let senders = facts.senders(t, Want::Vulnerable).to_vec();
        if let Some(from) = earliest(spread, &senders) {
            let set = facts.between(Endpoint::Host(HostId(from)), t, Want::Vulnerable);
            let services = facts.services(set);
            return Some(HostCause::Exploit { from, services });
        }
    }
    None
}
