//! Cisco static routes: IOS `ip route` and ASA `route`, into the shared route table
//! (`import::routes`), which decides what the model gets.
//!
//! IOS: `ip route [vrf NAME] PREFIX MASK {NEXTHOP | INTERFACE [NEXTHOP] | Null0} [DISTANCE]
//! [name TEXT] [permanent] [tag N] [track N]` (distance 1 by default).
//! ASA: `route IFNAME PREFIX MASK NEXTHOP [DISTANCE] [track N] [tunneled]`, IFNAME the
//! interface's `nameif` (or `null0`), distance 1 by default.
//! A route in a VRF, or with a next hop learnt at run time (`dhcp`), makes the table partial;
//! a `tunneled` ASA route carries VPN traffic only and is left out with a warning.

use crate::import::common::Warnings;
use crate::import::routes::{RouteTable, StaticRoute, prefix_of};
use std::net::Ipv4Addr;

/// The words of an `ip route` command after `ip route`.
pub(crate) fn ios_route(line: usize, words: &[&str], table: &mut RouteTable, w: &mut Warnings) {
    if words.first() == Some(&"vrf") {
        let vrf = words.get(1).copied().unwrap_or("?");
        table.left_out(
            line,
            format!(
                "`ip route vrf {}` routes in a VRF (a separate routing table)",
                super::shown(vrf)
            ),
        );
        return;
    }
    let Some((destination, rest)) = prefix(words) else {
        w.warn(
            line,
            "`ip route` without a readable prefix and mask ignored",
        );
        return;
    };
    let mut route = StaticRoute::new(line, destination, (1, 0));
    let mut rest = rest.iter().copied().peekable();
    match rest.next() {
        Some(hop) if hop.parse::<Ipv4Addr>().is_ok() => route.next_hop = hop.parse().ok(),
        Some(iface) if iface.eq_ignore_ascii_case("null0") => route.discard = true,
        Some("dhcp") => {
            table.left_out(
                line,
                format!("the route to {destination} takes its next hop from DHCP"),
            );
            return;
        }
        Some(iface) => {
            route.device = Some(iface.to_string());
            if let Some(hop) = rest.peek().and_then(|h| h.parse::<Ipv4Addr>().ok()) {
                route.next_hop = Some(hop);
                rest.next();
            }
        }
        None => {
            w.warn(
                line,
                format!("`ip route {destination}` names no way out; ignored"),
            );
            return;
        }
    }
    while let Some(word) = rest.next() {
        match word {
            d if d.parse::<u32>().is_ok() => route.rank.0 = d.parse().unwrap_or(1),
            "name" | "tag" | "track" => {
                rest.next();
            }
            "permanent" => {}
            "global" => {
                table.left_out(
                    line,
                    format!("the route to {destination} resolves its next hop in the global table"),
                );
                return;
            }
            other => w.warn(
                line,
                format!("`ip route`: `{}` is not read", super::shown(other)),
            ),
        }
    }
    table.route(route);
}

/// The words of an ASA `route` command after `route`.
pub(crate) fn asa_route(line: usize, words: &[&str], table: &mut RouteTable, w: &mut Warnings) {
    let Some((&ifname, rest)) = words.split_first() else {
        w.warn(line, "`route` without an interface ignored");
        return;
    };
    let Some((destination, rest)) = prefix(rest) else {
        w.warn(line, "`route` without a readable prefix and mask ignored");
        return;
    };
    let mut route = StaticRoute {
        discard: ifname.eq_ignore_ascii_case("null0"),
        ..StaticRoute::new(line, destination, (1, 0))
    };
    if !route.discard {
        route.device = Some(ifname.to_string());
    }
    let mut rest = rest.iter().copied();
    if let Some(hop) = rest.next() {
        match hop.parse::<Ipv4Addr>() {
            Ok(h) => route.next_hop = Some(h),
            Err(_) => {
                table.left_out(
                    line,
                    format!("the route to {destination} names its next hop `{}`, an object resolved on the device", super::shown(hop)),
                );
                return;
            }
        }
    }
    while let Some(word) = rest.next() {
        match word {
            d if d.parse::<u32>().is_ok() => route.rank.0 = d.parse().unwrap_or(1),
            "track" => {
                rest.next();
            }
            "tunneled" => {
                w.warn_on(
                    line,
                    "tunnel default route",
                    format!("`route {ifname} … tunneled` carries VPN traffic only (VPNs are not modelled): not imported"),
                );
                return;
            }
            other => w.warn(
                line,
                format!("`route`: `{}` is not read", super::shown(other)),
            ),
        }
    }
    table.route(route);
}

/// `PREFIX MASK` at the start of `words`, and what follows.
fn prefix<'w>(words: &'w [&'w str]) -> Option<(ipnet::Ipv4Net, &'w [&'w str])> {
    let [addr, mask, rest @ ..] = words else {
        return None;
    };
    Some((prefix_of(addr.parse().ok()?, mask.parse().ok()?)?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ios(line: &str) -> (RouteTable, Warnings) {
        let mut t = RouteTable::default();
        let mut w = Warnings::default();
        let words: Vec<&str> = line.split_whitespace().collect();
        ios_route(1, &words, &mut t, &mut w);
        (t, w)
    }

    #[test]
    fn ios_forms() {
        let (t, _) = ios("10.0.0.0 255.0.0.0 192.168.1.1");
        assert_eq!(t.routes[0].next_hop, Some("192.168.1.1".parse().unwrap()));
        let (t, _) = ios("0.0.0.0 0.0.0.0 GigabitEthernet0/1 203.0.113.1 250 name backup");
        assert_eq!(t.routes[0].device.as_deref(), Some("GigabitEthernet0/1"));
        assert_eq!(t.routes[0].rank, (250, 0));
        let (t, _) = ios("192.168.99.0 255.255.255.0 Null0");
        assert!(t.routes[0].discard);
        let (t, _) = ios("vrf MGMT 0.0.0.0 0.0.0.0 10.0.0.1");
        assert!(t.routes.is_empty() && t.partial.len() == 1);
        let (t, w) = ios("10.0.0.0 255.0.0.0");
        assert!(t.routes.is_empty() && w.len() == 1);
    }

    #[test]
    fn asa_forms() {
        let mut t = RouteTable::default();
        let mut w = Warnings::default();
        for line in [
            "outside 0.0.0.0 0.0.0.0 203.0.113.1 1",
            "inside 10.0.0.0 255.0.0.0 10.1.0.254 1",
            "null0 10.99.0.0 255.255.0.0",
            "outside 0.0.0.0 0.0.0.0 198.51.100.1 tunneled",
        ] {
            let words: Vec<&str> = line.split_whitespace().collect();
            asa_route(1, &words, &mut t, &mut w);
        }
        assert_eq!(t.routes.len(), 3);
        assert_eq!(t.routes[0].device.as_deref(), Some("outside"));
        assert!(t.routes[2].discard);
        assert_eq!(w.len(), 1, "the tunneled route is warned about");
    }
}
