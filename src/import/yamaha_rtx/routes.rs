//! YAMAHA RTX `ip route NETWORK gateway GATEWAY [PARAMETER …] [gateway GATEWAY …]` into the
//! shared route table (`import::routes`).
//!
//! NETWORK is `default`, `A.B.C.D/LEN` or a host address. GATEWAY is an address, an interface
//! (`lan2`, `pp 1`, `tunnel 1`), or `null` (discard). Several `gateway` clauses share the
//! traffic (one route each, of equal rank). A `filter` parameter routes by packet (policy
//! routing) and `dhcp` takes the gateway at run time: both make the table partial. `metric`
//! (for RIP), `weight` and `keepalive` do not change where packets go here; `hide` (used only
//! while its PP link is up) is read as up.

use crate::import::common::Warnings;
use crate::import::routes::{RouteTable, StaticRoute};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// The words of an `ip route` command after `ip route`.
pub(super) fn ip_route(line: usize, words: &[&str], table: &mut RouteTable, w: &mut Warnings) {
    let Some(destination) = words.first().and_then(|n| network(n)) else {
        w.warn(line, "`ip route` without a readable network ignored");
        return;
    };
    let mut gateways: Vec<StaticRoute> = Vec::new();
    let mut i = 1;
    while i < words.len() {
        match words[i] {
            "gateway" => {
                let route = StaticRoute::new(line, destination, (1, 0));
                let Some(&g) = words.get(i + 1) else {
                    w.warn(line, "`gateway` without a gateway; ignored");
                    return;
                };
                i += 2;
                let route = match g {
                    "null" | "loopback" => StaticRoute {
                        discard: true,
                        ..route
                    },
                    "pp" | "tunnel" => match words.get(i) {
                        Some(n) => {
                            i += 1;
                            StaticRoute {
                                device: Some(format!("{g}{n}")),
                                ..route
                            }
                        }
                        None => {
                            w.warn(line, format!("`gateway {g}` without a number; ignored"));
                            return;
                        }
                    },
                    "dhcp" => {
                        table.left_out(
                            line,
                            format!("the route to {destination} takes its gateway from DHCP"),
                        );
                        return;
                    }
                    g => match g.parse::<Ipv4Addr>() {
                        Ok(hop) => StaticRoute {
                            next_hop: Some(hop),
                            ..route
                        },
                        Err(_) => StaticRoute {
                            device: Some(g.to_string()),
                            ..route
                        },
                    },
                };
                gateways.push(route);
            }
            "filter" => {
                table.left_out(
                    line,
                    format!("the route to {destination} chooses its gateway by `filter` (policy routing)"),
                );
                return;
            }
            "metric" | "weight" | "keepalive" => i += 2,
            "hide" => {
                w.warn_on(
                    line,
                    "`hide` routes read as up",
                    format!("the route to {destination} is `hide` (used only while its PP link is up): imported as up"),
                );
                i += 1;
            }
            other => {
                w.warn(
                    line,
                    format!("`ip route`: `{}` is not read", super::shown(other)),
                );
                i += 1;
            }
        }
    }
    if gateways.is_empty() {
        w.warn(
            line,
            format!("`ip route {destination}` names no gateway; ignored"),
        );
    }
    for g in gateways {
        table.route(g);
    }
}

/// `default`, `A.B.C.D/LEN`, `A.B.C.D/M.M.M.M` or a host address.
fn network(text: &str) -> Option<Ipv4Net> {
    if text == "default" {
        return Some(Ipv4Net::default());
    }
    match text.split_once('/') {
        Some((a, len)) => {
            let addr: Ipv4Addr = a.parse().ok()?;
            let len = match len.parse::<u8>() {
                Ok(l) => l,
                Err(_) => {
                    crate::import::routes::prefix_of(Ipv4Addr::UNSPECIFIED, len.parse().ok()?)?
                        .prefix_len()
                }
            };
            Ipv4Net::new(addr, len).ok().map(|n| n.trunc())
        }
        None => Ipv4Net::new(text.parse().ok()?, 32).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> (RouteTable, Warnings) {
        let mut t = RouteTable::default();
        let mut w = Warnings::default();
        let words: Vec<&str> = line.split_whitespace().collect();
        ip_route(1, &words, &mut t, &mut w);
        (t, w)
    }

    #[test]
    fn forms() {
        let (t, _) = read("default gateway pp 1");
        assert_eq!(t.routes[0].device.as_deref(), Some("pp1"));
        assert_eq!(t.routes[0].destination, Ipv4Net::default());
        let (t, _) = read("192.168.10.0/24 gateway 192.168.100.254");
        assert_eq!(
            t.routes[0].next_hop,
            Some("192.168.100.254".parse().unwrap())
        );
        let (t, _) = read("10.0.0.0/8 gateway null");
        assert!(t.routes[0].discard);
        let (t, _) = read("172.16.0.0/12 gateway tunnel 1 gateway tunnel 2 metric 2");
        assert_eq!(t.routes.len(), 2, "two gateways share the traffic");
        let (t, _) = read("default gateway pp 1 filter 500 gateway pp 2");
        assert!(t.routes.is_empty() && !t.partial.is_empty());
        let (t, _) = read("default gateway dhcp lan2");
        assert!(t.partial.len() == 1);
    }
}
