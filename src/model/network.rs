//! Zones, external networks, segments and hosts: where things are.

use super::At;
use super::address::AddrRange;
use super::service::Service;
use super::vocab::{ExternalKind, HostKind, InternetUse, RemovableMedia, Tier};
use crate::source::Loc;
use ipnet::Ipv4Net;

/// A security domain inside the organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    pub id: String,
    pub tier: Tier,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// A network outside the organisation that firewalls attach to.
#[derive(Clone, Debug, PartialEq)]
pub struct External {
    pub id: String,
    pub kind: ExternalKind,
    /// The prefixes the external stands for (an internet external defaults to everything).
    pub cidrs: Vec<At<Ipv4Net>>,
    /// How the organisation's line to it is built (MN-011, EXT-005).
    pub line: Option<super::vocab::LineKind>,
    /// The connection point is approved (NET-005).
    pub approved: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// An IP subnet / VLAN; hosts in one segment reach each other directly.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub id: String,
    pub zone: At<String>,
    pub cidr: At<Ipv4Net>,
    pub site: Option<At<String>>,
    /// Network access control on its ports (MN-007).
    pub nac: Option<super::vocab::Nac>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// Where a host (or gateway) sits: a segment and its address or address range there.
#[derive(Clone, Debug, PartialEq)]
pub struct HostInterface {
    pub segment: At<String>,
    pub ip: At<AddrRange>,
}

/// A host, or a group of `count` identical hosts sharing one address range.
#[derive(Clone, Debug, PartialEq)]
pub struct Host {
    pub id: String,
    pub kind: HostKind,
    pub interfaces: Vec<HostInterface>,
    pub count: u64,
    pub services: Vec<At<Service>>,
    pub vulnerable: Vec<At<Service>>,
    pub internet_use: Vec<InternetUse>,
    /// Security properties; `None` when the topology does not say (rules then answer "unknown").
    pub mfa: Option<bool>,
    pub removable_media: Option<RemovableMedia>,
    pub edr: Option<bool>,
    pub antivirus: Option<bool>,
    pub disk_encryption: Option<bool>,
    /// A host firewall blocks inbound admin and file-sharing ports from peers (NET-007).
    pub client_isolation: Option<bool>,
    /// Inventory, patching, logging and sharing facts.
    pub facts: super::Sparse<super::endpoint::HostFacts>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

impl Host {
    /// A host with nothing stated beyond its kind and interfaces (one of a group of 1):
    /// every security property unknown, no services, no internet use.
    pub fn new(id: String, kind: HostKind, interfaces: Vec<HostInterface>, loc: Loc) -> Host {
        Host {
            id,
            kind,
            interfaces,
            count: 1,
            services: Vec::new(),
            vulnerable: Vec::new(),
            internet_use: Vec::new(),
            mfa: None,
            removable_media: None,
            edr: None,
            antivirus: None,
            disk_encryption: None,
            client_isolation: None,
            facts: Default::default(),
            name: None,
            description: None,
            loc,
        }
    }
}
