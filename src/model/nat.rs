//! Address translation on a firewall (`[[firewall.nat]]`): destination NAT (a VIP, a port
//! forward, a prefix mapped onto a prefix), source NAT (to one address, a pool, or the out
//! interface's own address) and static 1:1 NAT, which is both at once.
//!
//! Inside a firewall a packet meets them in one fixed order: in-interface filter, destination
//! NAT, route lookup, policy list, source NAT, out-interface filter. So the policy list and the
//! route see the translated destination and the original source.

use super::At;
use super::address::AddrRange;
use super::selector::Selector;
use super::service::Service;
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// One NAT entry of a firewall.
#[derive(Clone, Debug, PartialEq)]
pub struct Nat {
    /// Unique among the firewall's NAT entries; names the entry in witnesses and subjects.
    pub id: Option<At<String>>,
    pub translation: Translation,
    /// Where the entry came from outside the topology (set by importers: `fgt.conf:212`).
    pub origin: Option<String>,
    /// Source and static entries: whether the device drops a packet entering through the
    /// entry's interface to the inside addresses it translates, when no destination NAT sent
    /// it there (`hide`, default true: a masqueraded address receives nothing unsolicited).
    /// Importers write false for devices that route such a packet like any other, leaving the
    /// decision to their rules (FortiGate, Cisco IOS and ASA, Linux).
    pub hides: bool,
    pub loc: Loc,
}

/// What an entry matches and what it rewrites.
#[derive(Clone, Debug, PartialEq)]
pub enum Translation {
    /// Packets entering through `interface` (any, when `None`), from `from`, to an address of
    /// `destination`, on `service`: the destination becomes `translated` (a prefix of the same
    /// length keeps the host bits; a single address takes every address of `destination`), and
    /// the port becomes `port` when given.
    Destination {
        interface: Option<At<String>>,
        from: Vec<At<Selector>>,
        destination: At<Ipv4Net>,
        service: At<Service>,
        translated: At<Ipv4Net>,
        port: Option<At<u16>>,
    },
    /// Packets leaving through `interface`, from `from`, to `to`, on `service`: the source
    /// becomes `to_source`. The matched sources receive no unsolicited packet through
    /// `interface` unless a destination NAT sends it there.
    Source {
        interface: At<String>,
        from: Vec<At<Selector>>,
        to: Vec<At<Selector>>,
        service: At<Service>,
        to_source: SourceAddress,
    },
    /// 1:1 both ways across `interface` (the outside): a packet leaving through it from
    /// `inside` takes the matching address of `outside`; one entering through it to `outside`
    /// goes to the matching address of `inside` (host bits kept).
    Static {
        interface: At<String>,
        inside: At<Ipv4Net>,
        outside: At<Ipv4Net>,
    },
}

/// The address a source NAT gives a packet.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceAddress {
    Address(At<Ipv4Addr>),
    /// Any address of the pool (which one a device picks is not modelled).
    Pool(Vec<At<AddrRange>>),
    /// The out interface's own address (masquerade, overload).
    Masquerade(Loc),
}

impl Nat {
    /// How the entry is named: its id, else its 1-based position in the firewall's NAT list.
    pub fn key(&self, index: usize) -> String {
        match &self.id {
            Some(id) => id.value.clone(),
            None => format!("nat-{}", index + 1),
        }
    }

    /// The interface the entry is bound to (in for destination NAT, out for source NAT, the
    /// outside for static NAT).
    pub fn interface(&self) -> Option<&At<String>> {
        match &self.translation {
            Translation::Destination { interface, .. } => interface.as_ref(),
            Translation::Source { interface, .. } | Translation::Static { interface, .. } => {
                Some(interface)
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self.translation {
            Translation::Destination { .. } => "destination",
            Translation::Source { .. } => "source",
            Translation::Static { .. } => "static",
        }
    }
}
