//! Layout: one site's zones and segments, its offices cut into department groups of terminals,
//! and the business systems it runs (`Site`, what the rest of the generator reads).

use super::addresses::AddressSpace;
use super::catalogue::{Dept, FIRST_TERMINAL, LG_DEPTS, MN_DEPTS, Place, VDI_POOLS};
use super::plan::{SitePlan, Violations};
use super::rng::Rng;
use super::values::at;
use crate::model::*;
use crate::source::Loc;
use ipnet::Ipv4Net;

/// A segment as the rest of the site needs it: id, interface name on firewalls, prefix.
pub(super) struct Net {
    pub(super) id: String,
    pub(super) role: String,
    pub(super) net: Ipv4Net,
}

impl Net {
    pub(super) fn addr(&self, offset: u32) -> u32 {
        u32::from(self.net.network()) + offset
    }
}

/// A group of identical terminals: one `[[host]]` with `count`.
pub(super) struct Group {
    pub(super) host: String,
    pub(super) dept: Dept,
    pub(super) first: u32,
    pub(super) count: u64,
}

pub(super) struct Office {
    pub(super) net: Net,
    pub(super) groups: Vec<Group>,
}

/// A business system as a destination of filler rules.
pub(super) struct System {
    pub(super) sel: Selector,
    pub(super) ports: &'static [u16],
    pub(super) name: &'static str,
    pub(super) dept: &'static str,
}

pub(super) struct Site {
    pub(super) tag: String,
    pub(super) name: String,
    pub(super) violations: Violations,
    pub(super) rules: usize,
    pub(super) mn_offices: Vec<Office>,
    pub(super) lg_offices: Vec<Office>,
    pub(super) vdis: Vec<Office>,
    pub(super) mn_servers: Net,
    pub(super) lg_servers: Net,
    pub(super) lg_dmz: Net,
    pub(super) inet_dmz: Net,
    pub(super) link: Net,
    /// The business systems the site runs, per place (MN servers, LGWAN servers, internet DMZ),
    /// as indexes into the place's table.
    pub(super) systems: [Vec<usize>; 3],
}

impl Site {
    pub(super) fn id(&self, part: &str) -> String {
        format!("{}-{part}", self.tag)
    }

    pub(super) fn host(&self, part: &str) -> Selector {
        Selector::Host(self.id(part))
    }

    pub(super) fn place(&self, place: Place) -> &Net {
        match place {
            Place::MnServers => &self.mn_servers,
            Place::LgServers => &self.lg_servers,
            Place::InetDmz => &self.inet_dmz,
        }
    }

    /// The business systems of a place, as filler rule destinations.
    pub(super) fn systems(&self, place: Place) -> Vec<System> {
        self.systems[place as usize]
            .iter()
            .map(|&i| {
                let (part, name, ports, dept, _, _) = place.systems()[i];
                System {
                    sel: self.host(part),
                    ports,
                    name,
                    dept,
                }
            })
            .collect()
    }

    /// Every department present in a tier's offices, in first-seen order.
    pub(super) fn depts(offices: &[Office]) -> Vec<Dept> {
        let mut seen: Vec<Dept> = Vec::new();
        for g in offices.iter().flat_map(|o| &o.groups) {
            if !seen.contains(&g.dept) {
                seen.push(g.dept);
            }
        }
        seen
    }
}

/// Creates one site's zones and segments.
pub(super) struct Layout<'a> {
    pub(super) topo: &'a mut Topology,
    pub(super) plan: &'a SitePlan,
    pub(super) rng: &'a mut Rng,
}

impl Layout<'_> {
    pub(super) fn segment(&mut self, zone: &str, role: String, net: Ipv4Net, name: &str) -> Net {
        let tag = &self.plan.tag;
        let id = format!("{tag}-{role}");
        self.topo.segments.push(Segment {
            id: id.clone(),
            zone: at(format!("{tag}-{zone}")),
            cidr: at(net),
            site: Some(at(tag.clone())),
            // The My Number tier's switches authenticate what plugs in (MN-007).
            nac: (zone == "mn").then_some(Nac::Dot1x),
            name: Some(format!("{} {name}", self.plan.name)),
            description: None,
            loc: Loc::default(),
        });
        Net { id, role, net }
    }

    /// A tier's office segments, each sized for its share of terminals and cut into department
    /// groups. Departments continue across offices, so small sites still have the core ones.
    pub(super) fn offices(
        &mut self,
        space: &mut AddressSpace,
        zone: &str,
        depts: &[Dept],
        shares: &[u64],
    ) -> Vec<Office> {
        let mut next_dept = 0;
        let mut list = Vec::with_capacity(shares.len());
        for (k, &share) in shares.iter().enumerate() {
            let prefix_len = prefix_for(share);
            let share = share.min(capacity(prefix_len));
            let (role, name) = match zone {
                "mn" => (format!("mn-office{}", k + 1), "MN 業務端末"),
                "lg" => (format!("lg-office{}", k + 1), "LGWAN 業務端末"),
                _ => (format!("inet-vdi{}", k + 1), "仮想ブラウザ"),
            };
            let net = self.segment(
                zone,
                role,
                space.take(prefix_len),
                &format!("{name} {}", k + 1),
            );
            let groups = split(self.rng, &net, share, depts, &mut next_dept);
            list.push(Office { net, groups });
        }
        list
    }
}

pub(super) fn layout_site(
    topo: &mut Topology,
    plan: &SitePlan,
    space: &mut AddressSpace,
    links: &mut AddressSpace,
    rng: &mut Rng,
) -> Site {
    for (tier, part, label) in [
        (Tier::MyNumber, "mn", "マイナンバー利用事務系"),
        (Tier::Lgwan, "lg", "LGWAN接続系"),
        (Tier::Internet, "inet", "インターネット接続系"),
    ] {
        topo.zones.push(Zone {
            id: format!("{}-{part}", plan.tag),
            tier,
            name: Some(format!("{} {label}", plan.name)),
            description: None,
            loc: Loc::default(),
        });
    }
    // The site's terminals spread over its office segments: LGWAN offices hold most staff (α
    // model), virtual-browser pools the fewest.
    let mut shares: [Vec<u64>; 3] = Default::default();
    for (tier, weight) in [100, 160, 70].into_iter().enumerate() {
        for _ in 0..=plan.extra[tier] {
            shares[tier].push(weight * rng.between(70, 130));
        }
    }
    let total: u64 = shares.iter().flatten().sum();
    for share in shares.iter_mut().flatten() {
        *share = (plan.terminals * *share / total).max(3);
    }

    let mut l = Layout { topo, plan, rng };
    let mn_offices = l.offices(space, "mn", MN_DEPTS, &shares[0]);
    let lg_offices = l.offices(space, "lg", LG_DEPTS, &shares[1]);
    let vdis = l.offices(space, "inet", VDI_POOLS, &shares[2]);
    let mn_servers = l.segment("mn", "mn-servers".into(), space.take(24), "基幹系サーバ");
    let lg_servers = l.segment("lg", "lg-servers".into(), space.take(24), "LGWAN系 サーバ");
    let lg_dmz = l.segment("lg", "lg-dmz".into(), space.take(24), "無害化 (LGWAN側)");
    let inet_dmz = l.segment(
        "inet",
        "inet-dmz".into(),
        space.take(24),
        "インターネット系 DMZ",
    );
    let link = l.segment(
        "lg",
        "mn-link".into(),
        links.take(29),
        "特定通信 トランジット",
    );
    let systems = Place::ALL.map(|place| pick_systems(rng, place.systems().len()));
    Site {
        tag: plan.tag.clone(),
        name: plan.name.clone(),
        violations: plan.violations,
        rules: plan.rules,
        mn_offices,
        lg_offices,
        vdis,
        mn_servers,
        lg_servers,
        lg_dmz,
        inet_dmz,
        link,
        systems,
    }
}

/// Which of a tier's `n` business systems a site runs: between two thirds and all of them, in
/// table order (so a system keeps its address offset).
pub(super) fn pick_systems(rng: &mut Rng, n: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    let keep = rng.between((n * 2 / 3) as u64, n as u64) as usize;
    while all.len() > keep {
        all.remove(rng.below(all.len() as u64) as usize);
    }
    all
}

/// The smallest prefix (at most /24, at least /20) whose terminal range holds `share` hosts.
pub(super) fn prefix_for(share: u64) -> u8 {
    (20..=24)
        .rev()
        .find(|&len| capacity(len) >= share)
        .unwrap_or(20)
}

/// Terminal addresses in a prefix: from `FIRST_TERMINAL` up to, not including, the last two.
pub(super) fn capacity(prefix_len: u8) -> u64 {
    (1u64 << (32 - prefix_len)) - u64::from(FIRST_TERMINAL) - 2
}

/// Cuts an office's terminals into department groups with consecutive address ranges.
pub(super) fn split(
    rng: &mut Rng,
    net: &Net,
    share: u64,
    depts: &[Dept],
    next_dept: &mut usize,
) -> Vec<Group> {
    // About 45 terminals per department and at least three departments where staff sit; a
    // virtual-browser pool (the only "department" of its list) is one group per ~150.
    let (per_group, least) = if depts.len() == 1 { (150, 1) } else { (45, 3) };
    let n = (share / per_group)
        .clamp(least, (depts.len() as u64).max(least))
        .min(share)
        .max(1) as usize;
    let weights: Vec<u64> = (0..n).map(|_| rng.between(60, 140)).collect();
    let total: u64 = weights.iter().sum();
    let mut first = net.addr(FIRST_TERMINAL);
    let mut left = share;
    let mut groups = Vec::with_capacity(n);
    for (k, w) in weights.iter().enumerate() {
        // Every group keeps at least one terminal for each group after it.
        let rest = (n - k - 1) as u64;
        let count = if rest == 0 {
            left
        } else {
            (share * w / total).clamp(1, left - rest)
        };
        let dept = depts[*next_dept % depts.len()];
        let round = *next_dept / depts.len();
        *next_dept += 1;
        // A name used again (more groups than names, or pools) is numbered.
        let suffix = if round == 0 && depts.len() > 1 {
            String::new()
        } else {
            (round + 1).to_string()
        };
        groups.push(Group {
            host: format!("{}-{}{suffix}", net.id, dept.0),
            dept,
            first,
            count,
        });
        first += count as u32;
        left -= count;
    }
    groups
}
