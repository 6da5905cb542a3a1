//! `ip route` dumps (`ip route show`, or `ip route show table all`), so an iptables box gets
//! the routing table it forwards by (`sansou import iptables --routes FILE`).
//!
//! ```text
//! default via 203.0.113.1 dev eth0 proto static metric 100
//! 10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1
//! 10.8.0.0/16 via 10.1.0.254 dev eth1
//! 10.20.0.0/16 proto static
//!         nexthop via 10.1.0.2 dev eth1 weight 1
//!         nexthop via 10.1.0.3 dev eth1 weight 1
//! blackhole 10.99.0.0/16
//! local 10.1.0.1 dev eth1 table local proto kernel scope host src 10.1.0.1
//! ```
//!
//! Routes of the main table are read: per prefix the lowest `metric` is installed (the shared
//! `import::routes` keeps those), several `nexthop`s share the traffic, `blackhole`,
//! `unreachable` and `prohibit` drop. Connected routes (`proto kernel scope link`) are not
//! written (the model implies them from the interfaces) but give each device its subnet, for
//! routes by next hop only. The `local` table and `local`, `broadcast`, `multicast` and
//! `anycast` entries are the box's own addresses, not forwarding. Routes of other tables (used
//! by `ip rule` policy routing), `throw` routes, and routes a routing daemon learnt (`proto
//! bgp`, `ospf`, `zebra`, `bird`, …) make the table partial: the firewall then keeps none.

use super::ImportError;
use super::common::Warnings;
use super::routes::{RouteTable, StaticRoute};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// A dump read for an import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteDump {
    /// The dump's name as given on the command line (routes' `origin` names it).
    pub file: String,
    pub table: RouteTable,
    /// Devices and their connected subnets.
    pub subnets: Vec<(String, Ipv4Net)>,
    /// What reading the dump warned about (line numbers are the dump's).
    pub warnings: Vec<super::Warning>,
}

/// Route types that are the box's own addresses, not forwarding.
const LOCAL_TYPES: &[&str] = &["local", "broadcast", "multicast", "anycast"];
/// Protocols of routes a routing daemon installs.
const DYNAMIC: &[&str] = &[
    "bgp", "ospf", "rip", "isis", "zebra", "bird", "babel", "eigrp", "gated", "ripng", "mrouted",
];

pub fn parse(file: &str, text: &str) -> Result<RouteDump, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut dump = RouteDump {
        file: file.to_string(),
        ..RouteDump::default()
    };
    let mut w = Warnings::default();
    // Multipath routes continue on indented `nexthop` lines.
    let mut entries: Vec<(usize, Vec<&str>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() || words[0].starts_with('#') {
            continue;
        }
        match entries.last_mut() {
            Some((_, prev)) if line.starts_with(char::is_whitespace) && words[0] == "nexthop" => {
                prev.extend(words)
            }
            _ => entries.push((i + 1, words)),
        }
    }
    if entries.is_empty() {
        return Err(ImportError::at_line(0, "the route dump is empty"));
    }
    for (line, words) in entries {
        entry(line, &words, &mut dump, &mut w)?;
    }
    dump.warnings = w.into_sorted();
    Ok(dump)
}

fn entry(
    line: usize,
    words: &[&str],
    dump: &mut RouteDump,
    w: &mut Warnings,
) -> Result<(), ImportError> {
    let (kind, rest) = match words[0] {
        t @ ("unicast" | "blackhole" | "unreachable" | "prohibit" | "throw" | "nat") => {
            (t, &words[1..])
        }
        t if LOCAL_TYPES.contains(&t) => return Ok(()),
        _ => ("unicast", words),
    };
    let Some((&dst, params)) = rest.split_first() else {
        return Err(ImportError::at_line(line, "a route without a destination"));
    };
    if dst.contains(':') {
        w.warn(line, "an IPv6 route ignored (format 1 is IPv4 only)");
        return Ok(());
    }
    let destination = if dst == "default" {
        Ipv4Net::default()
    } else {
        match dst.parse::<Ipv4Net>() {
            Ok(n) => n.trunc(),
            Err(_) => match dst.parse::<Ipv4Addr>() {
                Ok(a) => Ipv4Net::from(a),
                Err(_) => {
                    return Err(ImportError::at_line(
                        line,
                        format!(
                            "`{}` is not a destination (an IPv4 prefix or `default`): is this an `ip route` dump?",
                            super::common::excerpt(dst)
                        ),
                    ));
                }
            },
        }
    };
    let value = |key: &str| {
        params
            .iter()
            .position(|p| *p == key)
            .and_then(|k| params.get(k + 1).copied())
    };
    match value("table") {
        None | Some("main") => {}
        Some("local") => return Ok(()),
        Some(t) => {
            dump.table.left_out(
                line,
                format!(
                    "routes of table `{}` are chosen by policy rules (`ip rule`)",
                    super::common::excerpt(t)
                ),
            );
            return Ok(());
        }
    }
    if let Some(p) = value("proto").filter(|p| DYNAMIC.contains(p)) {
        dump.table.left_out(
            line,
            format!("the route to {destination} was learnt by a routing daemon (`proto {p}`)"),
        );
        return Ok(());
    }
    let rank = (
        value("metric").and_then(|m| m.parse().ok()).unwrap_or(0u32),
        0,
    );
    let route = StaticRoute::new(line, destination, rank);
    match kind {
        "blackhole" | "unreachable" | "prohibit" => {
            dump.table.route(StaticRoute {
                discard: true,
                ..route
            });
            return Ok(());
        }
        "throw" | "nat" => {
            dump.table.left_out(
                line,
                format!("a `{kind}` route to {destination} hands the lookup to policy rules"),
            );
            return Ok(());
        }
        _ => {}
    }
    // Connected: the device's subnet, implied by the model's interfaces.
    if value("proto") == Some("kernel") && value("scope") == Some("link") {
        if let Some(dev) = value("dev") {
            dump.subnets.push((dev.to_string(), destination));
        }
        return Ok(());
    }
    // One hop, or several `nexthop via A dev D` groups.
    let groups: Vec<&[&str]> = if params.contains(&"nexthop") {
        params
            .split(|p| *p == "nexthop")
            .skip(1)
            .filter(|g| !g.is_empty())
            .collect()
    } else {
        vec![params]
    };
    for g in groups {
        let get = |key: &str| {
            g.iter()
                .position(|p| *p == key)
                .and_then(|k| g.get(k + 1).copied())
        };
        let next_hop = match get("via") {
            Some(v) => match v.parse::<Ipv4Addr>() {
                Ok(a) => Some(a),
                Err(_) => {
                    w.warn(
                        line,
                        format!(
                            "the route to {destination} goes via `{}`, not an IPv4 address; ignored",
                            super::common::excerpt(v)
                        ),
                    );
                    continue;
                }
            },
            None => None,
        };
        let device = get("dev").map(str::to_string);
        if next_hop.is_none() && device.is_none() {
            w.warn(
                line,
                format!("the route to {destination} names neither `via` nor `dev`; ignored"),
            );
            continue;
        }
        dump.table.route(StaticRoute {
            next_hop,
            device,
            ..route.clone()
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_reads_into_routes_subnets_and_partial_reasons() {
        let text = "default via 203.0.113.1 dev eth0 proto static metric 100\n\
            default via 198.51.100.1 dev eth2 metric 200\n\
            10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1\n\
            10.20.0.0/16 proto static\n\
            \tnexthop via 10.1.0.2 dev eth1 weight 1\n\
            \tnexthop via 10.1.0.3 dev eth1 weight 1\n\
            blackhole 10.99.0.0/16\n\
            local 10.1.0.1 dev eth1 table local proto kernel scope host src 10.1.0.1\n";
        let d = parse("routes.txt", text).unwrap();
        assert_eq!(
            d.subnets,
            [("eth1".to_string(), "10.1.0.0/24".parse().unwrap())]
        );
        assert_eq!(d.table.routes.len(), 5);
        assert_eq!(
            d.table.routes[2].next_hop,
            Some("10.1.0.2".parse().unwrap())
        );
        assert_eq!(
            d.table.routes[3].line, 4,
            "a nexthop belongs to its route's line"
        );
        assert!(d.table.routes[4].discard);
        assert!(d.table.partial.is_empty());
        let d = parse("r", "10.0.0.0/8 via 10.1.0.9 dev eth1 table 100\n").unwrap();
        assert_eq!(d.table.partial.len(), 1);
        let d = parse("r", "10.0.0.0/8 via 10.1.0.9 dev eth1 proto bird\n").unwrap();
        assert_eq!(d.table.partial.len(), 1);
        assert!(parse("r", "*filter\n:INPUT ACCEPT [0:0]\n").is_err());
    }
}
