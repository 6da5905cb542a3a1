//! The model: plain data describing a network design and a policy.
//!
//! It knows nothing of files, TOML, JSON or vendors. Entities remember where they were written
//! (a [`Loc`]) so findings can point at them, but turning a `Loc` into `file:line:column` is the
//! business of [`crate::source::SourceMap`].

pub mod account;
pub mod address;
pub mod checked;
pub mod data;
pub mod edition;
pub mod endpoint;
pub mod estate;
pub mod firewall;
pub mod gateway;
pub mod ids;
pub mod nat;
pub mod network;
pub mod places;
pub mod policy;
pub mod ranges;
pub mod relocate;
pub mod rule_codes;
pub mod selector;
pub mod service;
pub mod sparse;
pub mod vocab;

pub use account::Account;
pub use address::AddrRange;
pub use checked::CheckedTopology;
pub use data::{Flow, Reader, Store};
pub use endpoint::HostFacts;
pub use estate::{ExternalService, LogSink, Monitor, Org, RemoteAccess, Site, Wifi};
pub use firewall::{Attachment, Filter, Firewall, FirewallInterface, Route, Rule, RuleIdentity};
pub use gateway::Gateway;
pub use ids::{AccountId, ExternalId, FirewallId, GatewayId, HostId, SegmentId, StoreId};
pub use nat::{Nat, SourceAddress, Translation};
pub use network::{External, Host, HostInterface, Segment, Zone};
pub use places::Places;
pub use policy::Policy;
pub use selector::Selector;
pub use service::Service;
pub use sparse::Sparse;
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
    pub org: Org,
    pub sites: Vec<Site>,
    pub services: Vec<ExternalService>,
    pub wifis: Vec<Wifi>,
    pub remote_access: Vec<RemoteAccess>,
    pub log_sinks: Vec<LogSink>,
    pub monitors: Vec<Monitor>,
    /// Id look-ups, built on first use. Not part of the design: never compared or printed.
    pub lookup: Lookup,
}

/// Positions of entities by id, so look-ups stay fast on topologies with 100k hosts.
#[derive(Default)]
pub struct Lookup(std::sync::OnceLock<LookupMaps>);

#[derive(Default)]
pub struct LookupMaps {
    zones: ids::IdMap<String, usize>,
    segments: ids::IdMap<String, usize>,
    hosts: ids::IdMap<String, usize>,
    externals: ids::IdMap<String, usize>,
}

impl Clone for Lookup {
    /// A clone may be changed, so it builds its own index.
    fn clone(&self) -> Lookup {
        Lookup::default()
    }
}

impl PartialEq for Lookup {
    fn eq(&self, _: &Lookup) -> bool {
        true
    }
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

/// Finds `id` through the index, checking the answer so an index built before the lists
/// changed can never give a wrong entity (it falls back to a scan).
fn find<'a, T>(
    list: &'a [T],
    map: &ids::IdMap<String, usize>,
    id: &str,
    id_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    match map.get(id).and_then(|&i| list.get(i)) {
        Some(x) if id_of(x) == id => Some(x),
        _ => list.iter().find(|x| id_of(x) == id),
    }
}

impl Topology {
    fn maps(&self) -> &LookupMaps {
        self.lookup.0.get_or_init(|| {
            let index = |ids: Vec<&str>| {
                ids.into_iter()
                    .enumerate()
                    .map(|(i, id)| (id.to_string(), i))
                    .collect()
            };
            LookupMaps {
                zones: index(self.zones.iter().map(|x| x.id.as_str()).collect()),
                segments: index(self.segments.iter().map(|x| x.id.as_str()).collect()),
                hosts: index(self.hosts.iter().map(|x| x.id.as_str()).collect()),
                externals: index(self.externals.iter().map(|x| x.id.as_str()).collect()),
            }
        })
    }

    pub fn zone(&self, id: &str) -> Option<&Zone> {
        find(&self.zones, &self.maps().zones, id, |z| &z.id)
    }

    /// The interface (index) a route of firewall `fw` sends packets out through: its
    /// `interface`, else the interface on whose segment its `next_hop` lies; `None` for a
    /// discard route or one that names neither resolvably.
    pub fn route_interface(&self, fw: &Firewall, route: &Route) -> Option<usize> {
        if route.discard {
            return None;
        }
        if let Some(name) = &route.interface {
            return fw.interface_index(&name.value);
        }
        let hop = route.next_hop.as_ref()?.value;
        fw.interfaces
            .iter()
            .position(|i| match &i.attachment.value {
                Attachment::Segment(s) => self.segment(s).is_some_and(|s| s.cidr.contains(&hop)),
                Attachment::External(_) => false,
            })
    }

    pub fn segment(&self, id: &str) -> Option<&Segment> {
        find(&self.segments, &self.maps().segments, id, |s| &s.id)
    }

    pub fn host(&self, id: &str) -> Option<&Host> {
        find(&self.hosts, &self.maps().hosts, id, |h| &h.id)
    }

    pub fn external(&self, id: &str) -> Option<&External> {
        find(&self.externals, &self.maps().externals, id, |e| &e.id)
    }

    /// Index of a host by id.
    pub fn host_index(&self, id: &str) -> Option<usize> {
        match self.maps().hosts.get(id) {
            Some(&i) if self.hosts.get(i).is_some_and(|h| h.id == id) => Some(i),
            _ => self.hosts.iter().position(|h| h.id == id),
        }
    }

    /// Index of a segment by id.
    pub fn segment_index(&self, id: &str) -> Option<usize> {
        match self.maps().segments.get(id) {
            Some(&i) if self.segments.get(i).is_some_and(|s| s.id == id) => Some(i),
            _ => self.segments.iter().position(|s| s.id == id),
        }
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
