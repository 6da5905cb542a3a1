//! What is known about a host as an endpoint: inventory, patching, what it really listens on,
//! logging and time, and whether it is shared infrastructure. Everything is optional: a fact
//! that is not stated makes the rules that need it answer *unknown*.

use super::At;
use super::service::Service;
use super::vocab::HostRole;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct HostFacts {
    pub roles: Vec<HostRole>,
    /// In the asset register (MN-007, BT-003).
    pub registered: Option<bool>,
    /// Issued by the organisation (not a personal or vendor device) (IN-005).
    pub issued_by_org: Option<bool>,
    /// Days since the last security patch (BT-003).
    pub patch_age_days: Option<At<u64>>,
    /// What a scan or the host itself says it listens on; `services` are what it is declared to
    /// offer (NET-002).
    pub listening: Option<Vec<At<Service>>>,
    /// It produces security logs (NET-006).
    pub log_source: Option<bool>,
    /// The host it takes its time from (NET-006).
    pub ntp_server: Option<At<String>>,
    /// The hypervisor it runs on (ZN-004).
    pub runs_on: Option<At<String>>,
    /// Zones a shared server (storage, backup, anti-virus, update) serves (ZN-004).
    pub serves_zones: Vec<At<String>>,
    /// Who approved its serving several tiers, with the reason in `shared_reason` (ZN-004).
    pub shared_approved_by: Option<String>,
    pub shared_reason: Option<String>,
    /// The businesses its users work on (MN-006).
    pub business_units: Vec<String>,
}

impl super::sparse::Empty for HostFacts {
    const EMPTY: &'static HostFacts = &HostFacts {
        roles: Vec::new(),
        registered: None,
        issued_by_org: None,
        patch_age_days: None,
        listening: None,
        log_source: None,
        ntp_server: None,
        runs_on: None,
        serves_zones: Vec::new(),
        shared_approved_by: None,
        shared_reason: None,
        business_units: Vec::new(),
    };
}
