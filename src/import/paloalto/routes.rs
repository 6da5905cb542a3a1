//! A virtual router's static routes → the firewall's `[[firewall.route]]` table.
//!
//! A table in the model is the whole truth: the firewall forwards only along it. So routes are
//! imported only when the configuration holds the whole table: the mapped interfaces sit in
//! one virtual router, it runs no dynamic routing (BGP, OSPF, RIP enabled), and none of its
//! interfaces learns a default route at run time (DHCP client, PPPoE). Otherwise no route is
//! imported and sansou keeps its any-path assumption, which can only add paths (a warning
//! says why).
//!
//! Inside that table, a route that leaves through an interface the mapping does not place, or
//! to another virtual router, becomes a discard route: its packets leave the modelled network,
//! as on the device, instead of falling through to a less specific route. The connected
//! subnets of unmapped interfaces are discard routes for the same reason. A route whose next
//! hop lies on no connected subnet is not installed by PAN-OS, and is not imported.

use super::objects::Objects;
use super::xml::Element;
use crate::import::cisco_ios::shown;
use crate::import::common::{Warnings, at, origin};
use crate::model::Route;
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// What the importer knows of a layer-3 interface.
#[derive(Clone, Debug)]
pub struct L3 {
    pub subnet: Option<Ipv4Net>,
    /// DHCP client or PPPoE: it may install a default route at run time.
    pub dynamic_route: bool,
}

const TOPIC: &str = "routes not imported";

/// The routes of the virtual router holding the mapped interfaces, or none (with a warning)
/// when the configuration does not hold the whole table.
pub fn routes(
    file: &str,
    device: &Element,
    mapped: &BTreeSet<String>,
    l3: &BTreeMap<String, L3>,
    objects: &Objects<'_>,
    warnings: &mut Warnings,
) -> Vec<Route> {
    let Some(router) = router(device, mapped, l3, warnings) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let entries = router.vr.entries(&["routing-table", "ip", "static-route"]);
    let mut prefixes: BTreeMap<Ipv4Net, BTreeSet<String>> = BTreeMap::new();
    for e in &entries {
        let Ok(read) = static_route(file, e, &router, mapped, l3, objects, warnings) else {
            return Vec::new();
        };
        let Some((destination, route)) = read else {
            continue;
        };
        prefixes
            .entry(destination)
            .or_default()
            .insert(e.text_of("metric").unwrap_or("10").to_string());
        out.push(route);
    }
    for (prefix, metrics) in &prefixes {
        if metrics.len() > 1 {
            warnings.warn_on(
                router.vr.line,
                "routes of one prefix with different metrics share the traffic",
                format!(
                    "{prefix} has static routes with metrics {}: PAN-OS uses the lowest while it is up, sansou lets each carry the traffic (an over-approximation)",
                    metrics.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
    // Connected subnets of unmapped interfaces: their packets leave the modelled network.
    for (i, line) in &router.members {
        if mapped.contains(i) {
            continue;
        }
        if let Some(subnet) = l3.get(i).and_then(|x| x.subnet) {
            out.push(Route {
                destination: at(subnet),
                interface: None,
                next_hop: None,
                discard: true,
                origin: Some(origin(file, *line)),
                loc: Loc::default(),
            });
        }
    }
    out
}

/// The virtual router whose table is imported, its shown name and its member interfaces.
struct Router<'x> {
    vr: &'x Element,
    name: String,
    members: Vec<(String, usize)>,
}

/// The one virtual router holding the mapped interfaces, when its static routes are the whole
/// table: no advanced routing, no mapped interface outside it, no routing protocol, no
/// interface learning a default route. `None` (with a warning) otherwise.
fn router<'x>(
    device: &'x Element,
    mapped: &BTreeSet<String>,
    l3: &BTreeMap<String, L3>,
    warnings: &mut Warnings,
) -> Option<Router<'x>> {
    if let Some(lr) = device.at(&["network", "logical-router"])
        && !lr.children.is_empty()
    {
        warnings.warn_on(
            lr.line,
            TOPIC,
            "advanced routing (`logical-router`) is not read: no route is imported, a packet may take any path the rules allow",
        );
        return None;
    }
    let vrs = device.entries(&["network", "virtual-router"]);
    let holding: Vec<&Element> = vrs
        .iter()
        .copied()
        .filter(|vr| {
            vr.members("interface")
                .unwrap_or_default()
                .iter()
                .any(|(i, _)| mapped.contains(*i))
        })
        .collect();
    let vr = match holding.as_slice() {
        [] => return None,
        [one] => *one,
        [first, ..] => {
            warnings.warn_on(
                first.line,
                TOPIC,
                format!(
                    "the mapped interfaces sit in {} virtual routers: one routing table cannot say that, so no route is imported (a packet may take any path the rules allow)",
                    holding.len()
                ),
            );
            return None;
        }
    };
    let name = shown(vr.entry_name()).to_string();
    // A mapped interface outside the virtual router (a virtual wire, a layer-2 port) forwards
    // without it; a table would cut it off.
    let in_vr: BTreeSet<&str> = vr
        .members("interface")
        .unwrap_or_default()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    if let Some(outside) = mapped.iter().find(|i| !in_vr.contains(i.as_str())) {
        warnings.warn_on(
            vr.line,
            TOPIC,
            format!(
                "interface {} forwards outside virtual router {name} (a virtual wire or layer-2 port): one routing table cannot say that, so no route is imported (a packet may take any path the rules allow)",
                shown(outside)
            ),
        );
        return None;
    }
    for proto in ["bgp", "ospf", "ospfv3", "rip"] {
        if let Some(p) = vr.at(&["protocol", proto])
            && p.yes("enable")
        {
            warnings.warn_on(
                p.line,
                TOPIC,
                format!(
                    "virtual router {name} runs {proto}: its routes are learnt at run time, so no route is imported (a packet may take any path the rules allow)"
                ),
            );
            return None;
        }
    }
    let members: Vec<(String, usize)> = vr
        .members("interface")
        .unwrap_or_default()
        .into_iter()
        .map(|(i, l)| (i.to_string(), l))
        .collect();
    for (i, line) in &members {
        if l3.get(i).is_some_and(|x| x.dynamic_route) {
            warnings.warn_on(
                *line,
                TOPIC,
                format!(
                    "interface {} of virtual router {name} learns a default route at run time (DHCP or PPPoE): no route is imported (a packet may take any path the rules allow)",
                    shown(i)
                ),
            );
            return None;
        }
    }
    Some(Router { vr, name, members })
}

/// One static route with its destination: `Ok(None)` when it is not imported (IPv6, not
/// installed by PAN-OS), `Err(())` when its destination cannot be read, and then no route
/// is (the table would be partial).
fn static_route(
    file: &str,
    e: &Element,
    router: &Router<'_>,
    mapped: &BTreeSet<String>,
    l3: &BTreeMap<String, L3>,
    objects: &Objects<'_>,
    warnings: &mut Warnings,
) -> Result<Option<(Ipv4Net, Route)>, ()> {
    let name = &router.name;
    let here = origin(file, e.line);
    let Some(dest_text) = e.text_of("destination") else {
        return Ok(None);
    };
    if dest_text.contains(':') {
        return Ok(None);
    }
    let destination = match net(dest_text, objects) {
        Some(n) => n,
        None => {
            warnings.warn_on(
                e.line,
                TOPIC,
                format!(
                    "static route {} has a destination sansou cannot read (`{}`): no route is imported, a packet may take any path the rules allow",
                    shown(e.entry_name()),
                    shown(dest_text)
                ),
            );
            return Err(());
        }
    };
    let nexthop = e.child("nexthop");
    let hop_ip = nexthop
        .and_then(|n| n.text_of("ip-address"))
        .and_then(|t| address(t, objects));
    let interface = e.text_of("interface").filter(|s| !s.is_empty());
    let discard = nexthop.is_some_and(|n| n.child("discard").is_some());
    let next_vr = nexthop.and_then(|n| n.text_of("next-vr"));
    let via = if discard {
        None
    } else if let Some(vr2) = next_vr {
        warnings.warn_on(
            e.line,
            "routes leaving the modelled interfaces read as discard routes",
            format!(
                "static route {} leads to virtual router {}, whose interfaces are not this firewall's mapped ones: read as a discard route (its packets leave the modelled network)",
                shown(e.entry_name()),
                shown(vr2)
            ),
        );
        None
    } else {
        let by_hop = hop_ip.and_then(|h| {
            router
                .members
                .iter()
                .find(|(i, _)| {
                    l3.get(i)
                        .and_then(|x| x.subnet)
                        .is_some_and(|s| s.contains(&h))
                })
                .map(|(i, _)| i.clone())
        });
        match interface.map(str::to_string).or(by_hop) {
            Some(i) => Some(i),
            None => {
                warnings.warn_on(
                    e.line,
                    "static routes PAN-OS does not install",
                    format!(
                        "static route {}: its next hop is on no connected subnet of virtual router {name}, so PAN-OS does not install it; not imported",
                        shown(e.entry_name())
                    ),
                );
                return Ok(None);
            }
        }
    };
    let via = via.filter(|i| {
        let ok = mapped.contains(i);
        if !ok {
            warnings.warn_on(
                e.line,
                "routes leaving the modelled interfaces read as discard routes",
                format!(
                    "static route {} leaves through {}, which the mapping does not place: read as a discard route (its packets leave the modelled network)",
                    shown(e.entry_name()),
                    shown(i)
                ),
            );
        }
        ok
    });
    Ok(Some((
        destination,
        Route {
            destination: at(destination),
            interface: via.clone().map(at),
            next_hop: via.as_ref().and(hop_ip).map(at),
            discard: via.is_none(),
            origin: Some(here),
            loc: Loc::default(),
        },
    )))
}

/// A destination: a prefix, an address, or an address object holding one.
fn net(text: &str, objects: &Objects<'_>) -> Option<Ipv4Net> {
    let text = objects
        .find("address", text)
        .and_then(|e| e.text_of("ip-netmask"))
        .unwrap_or(text);
    match text.split_once('/') {
        Some(_) => text.parse::<Ipv4Net>().ok().map(|n| n.trunc()),
        None => text
            .parse::<Ipv4Addr>()
            .ok()
            .and_then(|a| Ipv4Net::new(a, 32).ok()),
    }
}

/// A next hop: an address, or an address object holding one.
fn address(text: &str, objects: &Objects<'_>) -> Option<Ipv4Addr> {
    let text = objects
        .find("address", text)
        .and_then(|e| e.text_of("ip-netmask"))
        .unwrap_or(text);
    text.split('/').next()?.parse().ok()
}
