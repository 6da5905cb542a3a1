//! Planning: how a tier's targets spread over sites, and which sites carry the deliberate
//! violations.

use super::catalogue::{INET_SYSTEMS, LG_SYSTEMS, MN_SYSTEMS, PLACES, SERVERS};
use super::rng::Rng;
use super::{BASE_SEGMENTS_PER_SITE, Targets};

/// Which deliberate violations a site carries.
#[derive(Clone, Copy, Default)]
pub(super) struct Violations {
    /// An MN office segment accepts tcp/3389 from an LGWAN office (vendor remote maintenance).
    pub(super) rdp_from_lgwan: bool,
    /// Internet-tier virtual browsers reach the LGWAN file server over SMB.
    pub(super) smb_from_internet: bool,
    /// My Number data copied to an unencrypted internet-tier file share (the 2015 JPS pattern).
    pub(super) copied_to_internet: bool,
    /// The file sanitizer has an administrator bypass.
    pub(super) sanitizer_bypass: bool,
    /// The LGWAN domain admin logs on to ordinary terminals (credentials left where phished).
    pub(super) admin_on_terminals: bool,
}

pub(super) struct SitePlan {
    pub(super) tag: String,
    pub(super) name: String,
    /// Office segments beyond the base one per tier: MN, LGWAN, internet (VDI).
    pub(super) extra: [usize; 3],
    pub(super) terminals: u64,
    pub(super) rules: usize,
    pub(super) violations: Violations,
}

pub(super) fn plan_sites(t: &Targets, rng: &mut Rng) -> Vec<SitePlan> {
    // Sites differ in size: weights 0.5-1.5, the first (the prefectural office) double.
    let weights: Vec<u64> = (0..t.sites)
        .map(|n| rng.between(50, 150) * if n == 0 { 2 } else { 1 })
        .collect();
    let total: u64 = weights.iter().sum();
    // Fixed servers, and about five sixths of the business systems (see `pick_systems`).
    let systems = MN_SYSTEMS.len() + LG_SYSTEMS.len() + INET_SYSTEMS.len();
    let servers = ((SERVERS.len() + systems * 5 / 6) * t.sites) as u64;
    let terminals = t.hosts.saturating_sub(servers);
    let width = (t.sites - 1).to_string().len().max(3);
    let mut plans: Vec<SitePlan> = weights
        .iter()
        .enumerate()
        .map(|(n, &w)| SitePlan {
            tag: format!("s{n:0width$}"),
            name: site_name(n),
            extra: [0; 3],
            terminals: terminals * w / total,
            rules: (t.rules as u64 * w / total) as usize,
            violations: Violations::default(),
        })
        .collect();
    // Extra segments go to random sites, mostly LGWAN offices (where most staff sit).
    let extra = t.segments.saturating_sub(BASE_SEGMENTS_PER_SITE * t.sites);
    for _ in 0..extra {
        let site = rng.below(t.sites as u64) as usize;
        let tier = match rng.below(10) {
            0..=2 => 0,
            3..=8 => 1,
            _ => 2,
        };
        plans[site].extra[tier] += 1;
    }
    // A few sites with each kind of violation: enough to find, few enough to stand out.
    for kind in 0..5 {
        for _ in 0..(t.sites / 12).max(1) {
            let v = &mut plans[rng.below(t.sites as u64) as usize].violations;
            match kind {
                0 => v.rdp_from_lgwan = true,
                1 => v.smb_from_internet = true,
                2 => v.copied_to_internet = true,
                3 => v.sanitizer_bypass = true,
                _ => v.admin_on_terminals = true,
            }
        }
    }
    plans
}

pub(super) fn site_name(n: usize) -> String {
    let kind = ["市", "町", "村"][n % 3];
    let place = PLACES[n % PLACES.len()];
    match n / PLACES.len() {
        0 => format!("{place}{kind}"),
        round => format!("{place}{kind} ({})", round + 1),
    }
}
