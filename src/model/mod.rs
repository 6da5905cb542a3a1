//! The model: plain data describing a network design and a policy.
//!
//! It knows nothing of files, TOML, JSON or vendors. Entities remember where they were written
//! (a [`Loc`]) so findings can point at them, but turning a `Loc` into `file:line:column` is the
//! business of [`crate::source::SourceMap`].

pub mod account;
pub mod address;
pub mod data;
pub mod firewall;
pub mod gateway;
pub mod network;
pub mod policy;
pub mod ranges;
pub mod selector;
pub mod service;
pub mod vocab;

pub use account::Account;
pub use address::AddrRange;
pub use data::{Flow, Reader, Store};
pub use firewall::{Attachment, Filter, Firewall, FirewallInterface, Rule};
pub use gateway::Gateway;
pub use network::{External, Host, HostInterface, Segment, Zone};
pub use policy::Policy;
pub use selector::Selector;
pub use service::Service;
pub use vocab::*;

use crate::source::Loc;

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> At<T> {
    pub fn new(value: T, loc: Loc) -> At<T> {
        At { value, loc }
    }
}

impl<T> std::ops::Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// `[meta]`: what the design claims about itself.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Meta {
    pub name: Option<String>,
    pub model: Option<At<NetworkModel>>,
    /// The guideline edition the design claims (`R6.10`).
    pub guideline: Option<String>,
    pub description: Option<String>,
    pub loc: Option<Loc>,
}

/// A whole network design, possibly merged from several files.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Topology {
    pub meta: Meta,
    pub zones: Vec<Zone>,
    pub externals: Vec<External>,
    pub segments: Vec<Segment>,
    pub hosts: Vec<Host>,
    pub stores: Vec<Store>,
    pub firewalls: Vec<Firewall>,
    pub gateways: Vec<Gateway>,
    pub accounts: Vec<Account>,
    pub flows: Vec<Flow>,
}

impl Topology {
    pub fn zone(&self, id: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id == id)
    }

    pub fn segment(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }

    pub fn host(&self, id: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.id == id)
    }

    pub fn external(&self, id: &str) -> Option<&External> {
        self.externals.iter().find(|e| e.id == id)
    }

    /// Whether an entity of this kind (`zone`, `segment`, `host`, `store`, `external`) exists.
    pub fn contains(&self, kind: &str, id: &str) -> bool {
        match kind {
            "zone" => self.zone(id).is_some(),
            "segment" => self.segment(id).is_some(),
            "host" => self.host(id).is_some(),
            "store" => self.stores.iter().any(|s| s.id == id),
            "external" => self.external(id).is_some(),
            _ => false,
        }
    }

    /// The tier of a segment, through its zone.
    pub fn segment_tier(&self, segment: &str) -> Option<Tier> {
        let seg = self.segment(segment)?;
        self.zone(&seg.zone).map(|z| z.tier)
    }

    /// Total number of hosts, counting each group by its `count`.
    pub fn host_count(&self) -> u64 {
        self.hosts.iter().map(|h| h.count).sum()
    }
}
