//! Rogue devices: an attacker position at addresses no `[[host]]` declares.
//!
//! An unregistered laptop plugged into a segment sends from an undeclared address. For a
//! what-if (`attack --assume-compromised 10.1.0.50/32` or `segment:mn-office`), or for the
//! policy's `[attacker] rogue_devices`, the undeclared addresses the selection covers in each
//! segment become one synthetic host of kind terminal (`undeclared@SEGMENT`, one interface per
//! range), so the attack analysis, which reasons about hosts, starts from it unchanged. The
//! device sends from every one of those addresses (the attacker picks the address), which can
//! only add reachability.

use crate::graph::addresses::Addresses;
use crate::model::ranges::{intersect, normalize};
use crate::model::{
    AddrRange, At, Host, HostId, HostInterface, HostKind, Segment, Selector, Topology,
};

/// One interface per range of undeclared addresses, all on the device's segment.
fn interfaces(segment: &Segment, ranges: Vec<AddrRange>) -> Vec<HostInterface> {
    ranges
        .into_iter()
        .map(|r| HostInterface {
            segment: At::new(segment.id.clone(), segment.loc),
            ip: At::new(r, segment.loc),
        })
        .collect()
}

/// The id prefix of synthetic rogue-device hosts (`@` and `/` are not allowed in ids the loader
/// reads, so no declared host can collide with one).
pub const ROGUE_PREFIX: &str = "undeclared@";

/// Adds a rogue device for every range of undeclared addresses that `sel` covers (segment,
/// zone, tier and CIDR selectors; others cover none). Returns the new hosts' ids.
pub fn add_rogue_devices(topo: &mut Topology, sel: &Selector) -> Vec<HostId> {
    let covered: Vec<(usize, Vec<AddrRange>)> = {
        let addrs = Addresses::new(topo);
        let within = match sel {
            Selector::Segment(_)
            | Selector::Zone(_)
            | Selector::Tier(_)
            | Selector::Addr(_)
            | Selector::Any => addrs.of_selector(sel),
            _ => Vec::new(),
        };
        (0..topo.segments.len())
            .map(|s| (s, intersect(&addrs.undeclared[s], &within)))
            .filter(|(_, r)| !r.is_empty())
            .collect()
    };
    let mut added = Vec::new();
    for (s, ranges) in covered {
        let segment = &topo.segments[s];
        let id = format!("{ROGUE_PREFIX}{}", segment.id);
        if let Some(existing) = topo.hosts.iter().position(|h| h.id == id) {
            // Another selector covered the same segment: widen the device's addresses.
            let host = &mut topo.hosts[existing];
            let mut all: Vec<AddrRange> = host.interfaces.iter().map(|i| i.ip.value).collect();
            all.extend(ranges);
            host.interfaces = interfaces(segment, normalize(all));
            added.push(HostId(existing));
            continue;
        }
        added.push(HostId(topo.hosts.len()));
        let host = device(segment, id, "未登録の機器 / undeclared device", ranges);
        topo.hosts.push(host);
    }
    added
}

/// A synthetic terminal at `ranges` of `segment` (undeclared addresses), named by what it is
/// and where: the attacker's machine, as the host-based analysis needs it.
pub(super) fn device(segment: &Segment, id: String, what: &str, ranges: Vec<AddrRange>) -> Host {
    let shown: Vec<String> = ranges.iter().map(|r| r.to_string()).collect();
    Host {
        name: Some(format!("{what} ({})", shown.join(", "))),
        ..Host::new(
            id,
            HostKind::Terminal,
            interfaces(segment, ranges),
            segment.loc,
        )
    }
}
