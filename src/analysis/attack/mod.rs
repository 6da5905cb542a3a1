//! Attack paths (docs/ATTACK.md): how an attacker on the internet gets from a phishing
//! mail or an exposed service to personal data, step by step, over the real topology.
//!
//! The attacker's knowledge only grows (hosts taken, credentials harvested), so the analysis
//! is a monotone fixpoint computed in rounds ([`spread`]): round 0 holds the entry points, and
//! every later round adds what the previous rounds make possible. Each fact keeps the first
//! reason found for it, so following reasons back from a store gives a shortest attack path
//! in rounds ([`path`]). Packets come from the reachability fixpoint ([`facts`]); nothing here
//! re-walks the network. [`fix`] then looks for the fewest changes that cut every path to a
//! store, checking each candidate by running the whole analysis again on the changed model.
//!
//! Host groups (`count` > 1) are analysed as one class: taking one member is taking the class,
//! which is exact for identical hosts that reach each other, and otherwise errs on the side of
//! finding a path.

pub mod data;
pub mod entry;
pub mod entry_why;
pub mod facts;
pub mod fix;
pub mod narrow;
pub mod path;
pub mod rogue;
pub mod spread;
pub mod why;

use crate::analysis::reach::Reachability;
use crate::analysis::space::ServiceSet;
use crate::analysis::witness::Witness;
use crate::model::policy::Policy;
use crate::model::{AccountId, ExternalId, GatewayId, HostId, StoreId, Topology};

pub use data::{Egress, Exfil, Read, ReadHow};
pub use entry::Way;
pub use fix::{Change, Fix};
pub use spread::{CredCause, Held, HostCause, Spread, Taken};

/// What the attacker is assumed to start from, and how much to search for fixes.
#[derive(Clone, Debug)]
pub struct Options {
    /// Hosts taken to be compromised from the start (`--assume-compromised`). When not empty,
    /// the attacker starts there only (a what-if), not from the internet.
    pub assume_compromised: Vec<HostId>,
    /// Look for the smallest change that cuts every path to each exposed store.
    pub fixes: bool,
    /// At most this many re-analyses of changed designs in all (a count, not a time, so the
    /// output stays the same from run to run); stores left over get no fix and are counted.
    pub fix_budget: usize,
}

/// The most re-analyses the fix search makes unless told otherwise.
pub const FIX_BUDGET: usize = 64;

/// How much re-analysis a design of this size gets by default: each re-analysis costs about
/// as much as the first analysis, which grows with hosts, segments and rules, so a town gets
/// the full [`FIX_BUDGET`] and a prefecture-sized design none (ask with `--fix-budget`).
/// A count derived from the input alone keeps the output the same from run to run.
pub fn fix_budget_for(topo: &Topology) -> usize {
    let rules: usize = topo
        .firewalls
        .iter()
        .map(|f| f.rules.len() + f.filters.iter().map(|l| l.rules.len()).sum::<usize>())
        .sum();
    let size = topo.hosts.len() + topo.segments.len() + rules;
    (100_000 / size.max(1)).min(FIX_BUDGET)
}

impl Default for Options {
    fn default() -> Options {
        Options {
            assume_compromised: Vec::new(),
            fixes: false,
            fix_budget: FIX_BUDGET,
        }
    }
}

/// What kind of step of an attack path a [`Step`] is (its JSON `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StepKind {
    /// The host is assumed compromised (what-if).
    Assumed,
    /// The attacker gets in: internet content opened on the host, a service exposed to the
    /// internet, or a Wi-Fi or remote-access line it joins.
    Entry,
    /// A sanitizer or screen transfer passes content unsanitized into another zone.
    Channel,
    /// Credentials of an account are taken from a host it logs on to.
    Harvest,
    /// An account that is admin on the host is used over a lateral-movement service.
    Lateral,
    /// A vulnerable service on the host is exploited.
    Exploit,
    /// The store is read.
    Read,
    /// The data moves between two hosts the attacker holds.
    Relay,
    /// The data leaves for the internet.
    Exfiltrate,
}

impl StepKind {
    pub fn word(self) -> &'static str {
        match self {
            StepKind::Assumed => "assumed",
            StepKind::Entry => "entry",
            StepKind::Channel => "channel",
            StepKind::Harvest => "harvest",
            StepKind::Lateral => "lateral",
            StepKind::Exploit => "exploit",
            StepKind::Read => "read",
            StepKind::Relay => "relay",
            StepKind::Exfiltrate => "exfiltrate",
        }
    }
}

/// One step: what happened on which host, and everything needed to say why. Each variant
/// carries exactly what its kind has; a step that needs packets carries the services that get
/// through and one concrete flow (`witness`, hop by hop with the firewall rules that allowed
/// it; `None` only when no single flow could be built).
#[derive(Clone, Debug)]
pub enum Step {
    /// The host is assumed compromised (what-if, or a rogue device).
    Assumed { host: HostId },
    /// Entry: the host opens internet content (`internet_use`).
    InternetUse { host: HostId },
    /// Entry: an internet external reaches a service the host exposes.
    Exposed {
        host: HostId,
        external: ExternalId,
        services: ServiceSet,
        witness: Option<Witness>,
    },
    /// Entry: the attacker's machine joins a Wi-Fi or remote-access line (`host` is that
    /// machine).
    Joined { host: HostId, way: Way },
    /// A sanitizer or screen transfer passes content unsanitized into the host's zone, from a
    /// host the attacker holds or (`from` is `None`) from the internet.
    Channel {
        host: HostId,
        gateway: GatewayId,
        from: Option<HostId>,
    },
    /// The credentials of `account` are taken from the host it logs on to.
    Harvest { host: HostId, account: AccountId },
    /// `account`, admin on the host, is used over a lateral-movement service from `from`.
    Lateral {
        host: HostId,
        from: HostId,
        account: AccountId,
        services: ServiceSet,
        witness: Option<Witness>,
    },
    /// A vulnerable service of the host is exploited from `from`.
    Exploit {
        host: HostId,
        from: HostId,
        services: ServiceSet,
        witness: Option<Witness>,
    },
    /// The store is read from the host: as `account`, or (`None`) by everyone's right or on
    /// the store's own host. A read over the network has the store's services and a witness;
    /// one on the store's own host neither.
    Read {
        host: HostId,
        store: StoreId,
        account: Option<AccountId>,
        services: Option<ServiceSet>,
        witness: Option<Witness>,
    },
    /// The data moves from `from` to the host, both held by the attacker; the witness runs
    /// either way (the receiving host may pull).
    Relay {
        host: HostId,
        from: HostId,
        witness: Option<Witness>,
    },
    /// The data leaves the host for the internet, as `egress` says. With `Egress::Inbound`
    /// it leaves in the replies to a connection from the internet, and the witness runs from
    /// the internet to the host.
    Exfiltrate {
        host: HostId,
        egress: Egress,
        services: Option<ServiceSet>,
        witness: Option<Witness>,
    },
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Assumed { .. } => StepKind::Assumed,
            Step::InternetUse { .. } | Step::Exposed { .. } | Step::Joined { .. } => {
                StepKind::Entry
            }
            Step::Channel { .. } => StepKind::Channel,
            Step::Harvest { .. } => StepKind::Harvest,
            Step::Lateral { .. } => StepKind::Lateral,
            Step::Exploit { .. } => StepKind::Exploit,
            Step::Read { .. } => StepKind::Read,
            Step::Relay { .. } => StepKind::Relay,
            Step::Exfiltrate { .. } => StepKind::Exfiltrate,
        }
    }

    /// The host the step happens on (the one taken, read from, or sending out).
    pub fn host(&self) -> HostId {
        match *self {
            Step::Assumed { host }
            | Step::InternetUse { host }
            | Step::Exposed { host, .. }
            | Step::Joined { host, .. }
            | Step::Channel { host, .. }
            | Step::Harvest { host, .. }
            | Step::Lateral { host, .. }
            | Step::Exploit { host, .. }
            | Step::Read { host, .. }
            | Step::Relay { host, .. }
            | Step::Exfiltrate { host, .. } => host,
        }
    }

    /// The host the attacker acts from (lateral, exploit, relay; a channel from a host).
    pub fn from(&self) -> Option<HostId> {
        match *self {
            Step::Lateral { from, .. } | Step::Exploit { from, .. } | Step::Relay { from, .. } => {
                Some(from)
            }
            Step::Channel { from, .. } => from,
            _ => None,
        }
    }

    /// The account harvested, used to move, or read with.
    pub fn account(&self) -> Option<AccountId> {
        match *self {
            Step::Harvest { account, .. } | Step::Lateral { account, .. } => Some(account),
            Step::Read { account, .. } => account,
            _ => None,
        }
    }

    pub fn store(&self) -> Option<StoreId> {
        match *self {
            Step::Read { store, .. } => Some(store),
            _ => None,
        }
    }

    pub fn gateway(&self) -> Option<GatewayId> {
        match *self {
            Step::Channel { gateway, .. } => Some(gateway),
            _ => None,
        }
    }

    /// The proxy or mail relay the data goes out through.
    pub fn via(&self) -> Option<HostId> {
        match self {
            Step::Exfiltrate {
                egress: Egress::Relay { via, .. },
                ..
            } => Some(*via),
            _ => None,
        }
    }

    /// The internet external involved (exposed entry, exfiltration).
    pub fn external(&self) -> Option<ExternalId> {
        match self {
            Step::Exposed { external, .. } => Some(*external),
            Step::Exfiltrate { egress, .. } => Some(match *egress {
                Egress::Direct { external }
                | Egress::Inbound { external }
                | Egress::Relay { external, .. } => external,
            }),
            _ => None,
        }
    }

    /// The Wi-Fi or remote-access line joined.
    pub fn way(&self) -> Option<Way> {
        match *self {
            Step::Joined { way, .. } => Some(way),
            _ => None,
        }
    }

    /// The services that get through for this step.
    pub fn services(&self) -> Option<&ServiceSet> {
        match self {
            Step::Exposed { services, .. }
            | Step::Lateral { services, .. }
            | Step::Exploit { services, .. } => Some(services),
            Step::Read { services, .. } | Step::Exfiltrate { services, .. } => services.as_ref(),
            _ => None,
        }
    }

    /// One concrete flow of the step.
    pub fn witness(&self) -> Option<&Witness> {
        match self {
            Step::Exposed { witness, .. }
            | Step::Lateral { witness, .. }
            | Step::Exploit { witness, .. }
            | Step::Read { witness, .. }
            | Step::Relay { witness, .. }
            | Step::Exfiltrate { witness, .. } => witness.as_ref(),
            _ => None,
        }
    }
}

/// The outcome for one store that holds personal data.
#[derive(Clone, Debug)]
pub struct StoreExposure {
    pub store: StoreId,
    /// How the attacker reads it, if it can.
    pub read: Option<Read>,
    /// How the data leaves, if it can.
    pub exfil: Option<Exfil>,
    /// The shortest attack path, entry to read (and out, when it leaves); empty when the
    /// store is not readable.
    pub steps: Vec<Step>,
    pub fix: Option<Fix>,
}

impl StoreExposure {
    pub fn readable(&self) -> bool {
        self.read.is_some()
    }

    pub fn exfiltrable(&self) -> bool {
        self.exfil.is_some()
    }
}

/// The whole result.
#[derive(Clone, Debug)]
pub struct Attack {
    pub spread: Spread,
    /// Every store that holds personal data, in topology order.
    pub stores: Vec<StoreExposure>,
    /// Readable stores whose fix was not searched because the budget of re-analyses
    /// ([`Options::fix_budget`]) was used up.
    pub fixes_skipped: usize,
}

impl Attack {
    /// The hosts the attacker takes, in host order.
    pub fn compromised(&self) -> impl Iterator<Item = HostId> + '_ {
        self.taken().map(|(h, _)| h)
    }

    /// The hosts the attacker takes with how and when, in host order.
    pub fn taken(&self) -> impl Iterator<Item = (HostId, &Taken)> + '_ {
        self.spread
            .hosts
            .iter()
            .enumerate()
            .filter_map(|(h, t)| t.as_ref().map(|t| (HostId(h), t)))
    }
}

/// The attack from outside: from the internet and from the Wi-Fi and remote-access lines open
/// to the attacker. Its machines on those lines are hosts of their own, so when there are any
/// the packets are followed again over the design that has them, which is returned with the
/// attack (its host ids index that design); `None` when `reach`'s design served.
pub fn from_outside(
    reach: &mut Reachability<'_>,
    policy: &Policy,
    opts: &Options,
) -> (Option<Topology>, Attack) {
    match entry::with_entry_devices(reach.topo, policy) {
        None => (None, analyze(reach, policy, opts)),
        Some(with) => {
            let attack = analyze(
                &mut Reachability::compute(reach.checked().derived(&with)),
                policy,
                opts,
            );
            (Some(with), attack)
        }
    }
}

/// Runs the attack analysis over computed reachability.
pub fn analyze(reach: &mut Reachability<'_>, policy: &Policy, opts: &Options) -> Attack {
    let topo = reach.topo;
    let mut attack = analyze_design(reach, topo, policy, &opts.assume_compromised);
    if opts.fixes {
        fix::find_all(reach, policy, opts, &mut attack);
    }
    attack
}

/// The analysis of `topo` with packets from `reach`, which was computed for `topo` or for a
/// design whose packets move exactly the same way (the fix search changes accounts and
/// hosts without recomputing reachability).
pub(crate) fn analyze_design(
    reach: &mut Reachability<'_>,
    topo: &Topology,
    policy: &Policy,
    assumed: &[HostId],
) -> Attack {
    let mut facts = facts::Facts::new(reach, topo, &policy.attacker.lateral_services);
    let spread = spread::run(&mut facts, policy, assumed);
    let mut stores = Vec::new();
    for (s, store) in topo.stores.iter().enumerate() {
        if !store.holds_personal_data() {
            continue;
        }
        let reads = data::readers(&mut facts, &spread, s);
        let exfil = data::exfiltrate(&mut facts, &spread, &reads);
        // The path shown reads from the host the data leaves from, when it leaves.
        let read = exfil
            .as_ref()
            .map(|e| e.read.clone())
            .or_else(|| reads.first().cloned());
        let steps = match &read {
            Some(r) => path::steps(&mut facts, &spread, s, r, exfil.as_ref()),
            None => Vec::new(),
        };
        stores.push(StoreExposure {
            store: StoreId(s),
            read,
            exfil,
            steps,
            fix: None,
        });
    }
    Attack {
        spread,
        stores,
        fixes_skipped: 0,
    }
}
