//! FortiGate routing: `config router static` into a routing table, and what makes it partial
//! (policy routes, dynamic protocols, SD-WAN routes, routes by object or DHCP gateway).
//!
//! FortiOS installs, per destination prefix, only the routes with the lowest administrative
//! `distance` (default 10); among those, the lowest `priority` wins and equal ones share the
//! traffic (ECMP): the rank of each route. Routes with a higher rank are floating backups,
//! not imported (`import::routes` warns). `set status disable` routes are not installed.

use super::scope::Scope;
use super::tree::{Block, Item};
use crate::import::common::Warnings;
use crate::import::routes::{RouteTable, StaticRoute, prefix_of};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Keys of a static route that do not change where packets go in the model.
const IGNORED: &[&str] = &[
    "comment",
    "weight",
    "bfd",
    "link-monitor-exempt",
    "vrf",
    "tag",
];

/// The static routes of the imported VDOM, and what makes them partial.
pub(super) fn read(scope: &Scope<'_>, w: &mut Warnings) -> RouteTable {
    let mut table = RouteTable::default();
    for section in scope.all("router policy") {
        if section.edits().next().is_some() {
            table.partial(
                section.line,
                "`config router policy` routes packets by policy",
            );
        }
    }
    for proto in ["bgp", "ospf", "rip", "isis", "ospf6", "ripng"] {
        for section in scope.all(&format!("router {proto}")) {
            if active(&section.items) {
                table.partial(
                    section.line,
                    format!("`config router {proto}` adds routes learnt at run time"),
                );
            }
        }
    }
    for b in scope.edits("router static") {
        if let Some(route) = static_route(b, &mut table, w) {
            table.route(route);
        }
    }
    table
}

/// Whether a dynamic-routing section configures anything: an entry (a neighbour, a network,
/// an area) anywhere in it. Backups carry these sections with only default settings.
fn active(items: &[Item]) -> bool {
    items.iter().any(|i| match i {
        Item::Edit(_) => true,
        Item::Config(c) => active(&c.items),
        _ => false,
    })
}

/// One `edit N` of `config router static`.
fn static_route(b: &Block, table: &mut RouteTable, w: &mut Warnings) -> Option<StaticRoute> {
    if b.get1("status") == Some("disable") {
        w.warn_on(
            b.line,
            "disabled static route",
            format!(
                "static route {}: disabled (`set status disable`), not imported",
                b.name
            ),
        );
        return None;
    }
    for key in ["dstaddr", "internet-service", "internet-service-custom"] {
        if b.get(key).is_some() {
            table.left_out(
                b.line_of(key),
                format!(
                    "static route {} matches `{key}`, an object resolved on the device",
                    b.name
                ),
            );
            return None;
        }
    }
    for key in ["sdwan-zone", "sdwan", "virtual-wan-link", "dynamic-gateway"] {
        if b.get(key)
            .is_some_and(|v| v.first().is_some_and(|x| x != "disable"))
        {
            table.left_out(
                b.line_of(key),
                format!("static route {} uses `{key}`, decided at run time", b.name),
            );
            return None;
        }
    }
    let destination = match b.get("dst") {
        None => Ipv4Net::default(),
        Some(v) => match dst(v) {
            Some(n) => n,
            None => {
                table.left_out(
                    b.line_of("dst"),
                    format!("static route {}: its `dst` cannot be read", b.name),
                );
                return None;
            }
        },
    };
    for item in &b.items {
        if let Item::Set { key, line, .. } = item
            && !matches!(
                key.as_str(),
                "dst" | "gateway" | "device" | "blackhole" | "distance" | "priority" | "status"
            )
            && !IGNORED.contains(&key.as_str())
        {
            w.warn(
                *line,
                format!("static route {}: `set {key}` is not read", b.name),
            );
        }
    }
    let number = |key: &str, default: u32| {
        b.get1(key)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(default)
    };
    let next_hop = b
        .get1("gateway")
        .and_then(|g| g.parse::<Ipv4Addr>().ok())
        .filter(|g| !g.is_unspecified());
    Some(StaticRoute {
        line: b.line,
        destination,
        device: b.get1("device").map(str::to_string),
        next_hop,
        discard: b.enabled("blackhole"),
        rank: (number("distance", 10), number("priority", 0)),
    })
}

/// `set dst 10.0.0.0 255.0.0.0` or `set dst 10.0.0.0/8`.
fn dst(values: &[String]) -> Option<Ipv4Net> {
    match values {
        [one] => one.parse::<Ipv4Net>().ok().map(|n| n.trunc()),
        [addr, mask, ..] => prefix_of(addr.parse().ok()?, mask.parse().ok()?),
        [] => None,
    }
}

/// The subnets of the imported VDOM's interfaces (`set ip 10.0.0.1 255.255.255.0` or
/// `10.0.0.1/24`), to find the interface of a route given by gateway only.
pub(super) fn subnets(scope: &Scope<'_>) -> Vec<(String, Ipv4Net)> {
    let mut out = Vec::new();
    for b in scope.edits("system interface") {
        if let (Some(vdom), Some(own)) = (&scope.vdom, b.get1("vdom"))
            && own != vdom
        {
            continue;
        }
        if let Some(net) = b.get("ip").and_then(dst_host) {
            out.push((b.name.clone(), net));
        }
    }
    out
}

/// An interface address with its mask, as the subnet it sits on; `None` for 0.0.0.0.
fn dst_host(values: &[String]) -> Option<Ipv4Net> {
    let net = match values {
        [one] => one.parse::<Ipv4Net>().ok()?,
        [addr, mask, ..] => {
            let addr: Ipv4Addr = addr.parse().ok()?;
            let len = prefix_of(Ipv4Addr::UNSPECIFIED, mask.parse().ok()?)?.prefix_len();
            Ipv4Net::new(addr, len).ok()?
        }
        [] => return None,
    };
    (!net.addr().is_unspecified()).then(|| net.trunc())
}
