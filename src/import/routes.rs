//! Static routes read from a device configuration → the firewall's `[[firewall.route]]` table.
//!
//! Every vendor reads its own route syntax into [`StaticRoute`]s and names what would make a
//! static table incomplete ([`RouteTable::partial`]: dynamic routing, policy routing, VRFs).
//! This module then decides, the same way for every vendor, what the model gets:
//!
//! - a route out through a mapped interface (named, or found from the next hop's subnet among
//!   the device's own interface subnets) keeps its interface and next hop;
//! - a route out through an interface the mapping does not place becomes a discard route:
//!   its packets leave the modelled network there, so none reaches anything the design shows
//!   by another way (said in a warning);
//! - a null route (`blackhole`, `Null0`, `null`) is a discard route;
//! - and when anything makes the table incomplete (a dynamic protocol, policy routing, a VRF,
//!   or a next hop on none of the device's subnets), no route is written at all: the firewall
//!   keeps no table, so any path its lists allow is assumed, because a partial table would
//!   confine packets to fewer paths than the device really has. A warning says so.
//!
//! Connected routes are never written: the model implies them from the interfaces.

use super::common::{self, Warnings};
use crate::model::{At, Firewall, Route};
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// A static route as the device writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticRoute {
    /// 1-based configuration line.
    pub line: usize,
    pub destination: Ipv4Net,
    /// The device's name of the interface it leaves through, if it names one.
    pub device: Option<String>,
    pub next_hop: Option<Ipv4Addr>,
    /// A null route: packets for the destination are dropped.
    pub discard: bool,
    /// The device's preference, lowest first (administrative distance, then priority): per
    /// prefix only the lowest are installed; the others are floating backups.
    pub rank: (u32, u32),
}

impl StaticRoute {
    /// A route to `destination` with nowhere to go yet: a vendor fills in its way out.
    pub fn new(line: usize, destination: Ipv4Net, rank: (u32, u32)) -> StaticRoute {
        StaticRoute {
            line,
            destination,
            device: None,
            next_hop: None,
            discard: false,
            rank,
        }
    }
}

/// What a vendor read about routing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteTable {
    pub routes: Vec<StaticRoute>,
    /// What makes the static routes an incomplete table (line, what): each keeps the firewall
    /// without a table.
    pub partial: Vec<(usize, String)>,
    /// Whether a static route itself was left out for such a reason (then the reason is
    /// warned about even when no other route was read).
    pub left_out: bool,
}

impl RouteTable {
    pub fn route(&mut self, r: StaticRoute) {
        self.routes.push(r);
    }

    pub fn partial(&mut self, line: usize, what: impl Into<String>) {
        self.partial.push((line, what.into()));
    }

    /// A static route the table cannot hold (one resolved at run time, in another table):
    /// it makes the table partial.
    pub fn left_out(&mut self, line: usize, what: impl Into<String>) {
        self.left_out = true;
        self.partial(line, what);
    }

    /// Writes the table into `fw` (or, when it cannot be trusted whole, warns and writes
    /// nothing). `subnets` are the device's interfaces with their configured subnets, to find
    /// the interface of a route given by next hop only.
    pub fn apply(
        self,
        fw: &mut Firewall,
        file: &str,
        subnets: &[(String, Ipv4Net)],
        w: &mut Warnings,
    ) {
        if self.routes.is_empty() && !self.left_out {
            return;
        }
        let routes = installed(self.routes, w);
        let n = routes.len();
        let kept_none = |w: &mut Warnings, line: usize, why: &str| {
            w.warn_on(
                line,
                "static routes not imported",
                format!(
                    "{why}: static routes are not imported ({n} read) and the firewall keeps no routing table, so any path its lists allow is assumed (a partial table would hide paths the device has)"
                ),
            );
        };
        if !self.partial.is_empty() {
            for (line, what) in &self.partial {
                kept_none(w, *line, what);
            }
            return;
        }
        let mut written = Vec::with_capacity(n);
        for r in routes {
            let origin = Some(common::origin(file, r.line));
            let mut route = Route {
                destination: at(r.destination.trunc()),
                interface: None,
                next_hop: None,
                discard: r.discard,
                origin,
                loc: Loc::default(),
            };
            if !r.discard {
                let device = match (&r.device, r.next_hop) {
                    (Some(d), _) => d.clone(),
                    (None, Some(hop)) => match subnets.iter().find(|(_, s)| s.contains(&hop)) {
                        Some((d, _)) => d.clone(),
                        None => {
                            kept_none(
                                w,
                                r.line,
                                &format!(
                                    "the next hop {hop} of the route to {} is on none of the device's interface subnets",
                                    r.destination
                                ),
                            );
                            return;
                        }
                    },
                    (None, None) => {
                        kept_none(
                            w,
                            r.line,
                            &format!("the route to {} names no way out", r.destination),
                        );
                        return;
                    }
                };
                if fw.interface_index(&device).is_some() {
                    route.interface = Some(at(device));
                    route.next_hop = r.next_hop.map(at);
                } else {
                    w.warn_on(
                        r.line,
                        "route through an unmapped interface",
                        format!(
                            "the route to {} leaves through `{device}`, which the mapping does not place: written as a discard route (its packets leave the modelled network there)",
                            r.destination
                        ),
                    );
                    route.discard = true;
                }
            }
            written.push(route);
        }
        fw.routes = written;
    }
}

/// The routes the device installs: per prefix, those of the lowest rank (equal ones share the
/// traffic); each floating backup is warned about. In configuration order.
fn installed(routes: Vec<StaticRoute>, w: &mut Warnings) -> Vec<StaticRoute> {
    let mut best: std::collections::BTreeMap<Ipv4Net, (u32, u32)> = Default::default();
    for r in &routes {
        let b = best.entry(r.destination.trunc()).or_insert(r.rank);
        *b = (*b).min(r.rank);
    }
    let (kept, backups): (Vec<_>, Vec<_>) = routes
        .into_iter()
        .partition(|r| best[&r.destination.trunc()] == r.rank);
    for r in backups {
        w.warn_on(
            r.line,
            "floating static route",
            format!(
                "the route to {} has a higher distance or priority than another route to the same prefix (a backup used only when that one fails): not imported",
                r.destination
            ),
        );
    }
    kept
}

fn at<T>(value: T) -> At<T> {
    At {
        value,
        loc: Loc::default(),
    }
}

/// A prefix from an address and a dotted mask (`10.0.0.0 255.255.0.0`); `None` for a mask
/// that is not contiguous.
pub fn prefix_of(addr: Ipv4Addr, mask: Ipv4Addr) -> Option<Ipv4Net> {
    let m = u32::from(mask);
    let len = m.leading_ones();
    if m.checked_shl(len).unwrap_or(0) != 0 {
        return None;
    }
    Ipv4Net::new(addr, len as u8).ok().map(|n| n.trunc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Mapping;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn firewall() -> Firewall {
        let map = Mapping::parse(
            "map.toml",
            "format = 1\ndevice = \"fw\"\n[interfaces]\nport1 = \"segment:a\"\nport2 = \"external:internet\"\n",
        )
        .unwrap();
        common::firewall(&map, &[], crate::model::Action::Deny, true)
    }

    fn route(dst: &str, device: Option<&str>, hop: Option<&str>) -> StaticRoute {
        StaticRoute {
            line: 7,
            destination: dst.parse().unwrap(),
            device: device.map(str::to_string),
            next_hop: hop.map(ip),
            discard: false,
            rank: (1, 0),
        }
    }

    #[test]
    fn next_hops_find_their_interface_and_unmapped_exits_discard() {
        let mut fw = firewall();
        let mut t = RouteTable::default();
        t.route(route("10.5.0.0/16", None, Some("10.0.0.254")));
        t.route(route("0.0.0.0/0", Some("port2"), None));
        t.route(route(
            "192.168.0.0/16",
            Some("port9"),
            Some("192.168.255.1"),
        ));
        let mut w = Warnings::default();
        let subnets = [("port1".to_string(), "10.0.0.0/24".parse().unwrap())];
        t.apply(&mut fw, "fw.conf", &subnets, &mut w);
        assert_eq!(fw.routes.len(), 3);
        assert_eq!(fw.routes[0].interface.as_ref().unwrap().value, "port1");
        assert_eq!(
            fw.routes[0].next_hop.as_ref().unwrap().value,
            ip("10.0.0.254")
        );
        assert_eq!(fw.routes[0].origin.as_deref(), Some("fw.conf:7"));
        assert!(!fw.routes[1].discard);
        assert!(fw.routes[2].discard, "leaves through an unmapped interface");
    }

    #[test]
    fn only_the_lowest_distance_is_installed() {
        let mut fw = firewall();
        let mut t = RouteTable::default();
        t.route(route("0.0.0.0/0", Some("port2"), None));
        t.route(StaticRoute {
            rank: (250, 0),
            ..route("0.0.0.0/0", Some("port1"), None)
        });
        let mut w = Warnings::default();
        t.apply(&mut fw, "fw.conf", &[], &mut w);
        assert_eq!(fw.routes.len(), 1);
        assert_eq!(fw.routes[0].interface.as_ref().unwrap().value, "port2");
        assert!(format!("{w:?}").contains("backup"));
    }

    #[test]
    fn a_partial_table_is_not_written() {
        for partial in [true, false] {
            let mut fw = firewall();
            let mut t = RouteTable::default();
            t.route(route("0.0.0.0/0", Some("port2"), None));
            if partial {
                t.partial(3, "`router ospf` is configured");
            } else {
                t.route(route("10.9.0.0/16", None, Some("172.31.0.1")));
            }
            let mut w = Warnings::default();
            t.apply(&mut fw, "fw.conf", &[], &mut w);
            assert!(fw.routes.is_empty());
            let text = format!("{w:?}");
            assert!(text.contains("keeps no routing table"), "{text}");
        }
    }

    #[test]
    fn masks_must_be_contiguous() {
        assert_eq!(
            prefix_of(ip("10.1.2.3"), ip("255.255.0.0")),
            Some("10.1.0.0/16".parse().unwrap())
        );
        assert_eq!(
            prefix_of(ip("0.0.0.0"), ip("0.0.0.0")),
            Some("0.0.0.0/0".parse().unwrap())
        );
        assert_eq!(prefix_of(ip("10.0.0.0"), ip("255.0.255.0")), None);
    }
}
