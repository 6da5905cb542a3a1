//! What a firewall rule's selectors and services cover: their addresses, whether they stand for
//! everything, and whether a rule is pinned to single hosts and explicit ports.

use super::text::{address_count, show_ranges, thousands};
use crate::model::service::has_ports;
use crate::model::*;
use crate::rules::{Context, Text};

/// The source and destination addresses a rule matches.
pub fn rule_addresses(cx: &Context<'_>, rule: &Rule) -> (Vec<AddrRange>, Vec<AddrRange>) {
    let side = |sels: &[At<Selector>]| cx.reach.addrs.of_selectors(sels.iter().map(|s| &s.value));
    (side(&rule.from), side(&rule.to))
}

/// Whether every address of `a` lies in `b` (both normalized).
pub fn covered(a: &[AddrRange], b: &[AddrRange]) -> bool {
    crate::model::ranges::subtract(a, b).is_empty()
}

/// The selector described, when it does not stand for one single host (`host:pc (a group of
/// 10 hosts)`), or `None` when it does: a `host:` with count 1 and one address (or a store on
/// such a host), or a single address.
pub fn selector_unpinned(cx: &Context<'_>, sel: &Selector) -> Option<Text> {
    let topo = cx.topo;
    let single_host = |id: &str| -> Option<Text> {
        let h = cx.reach.addrs.host(id)?;
        let n = address_count(&cx.reach.addrs.host_addresses(h));
        if h.count > 1 {
            Some(Text::new(
                format!("{sel} ({} 台のグループ)", thousands(h.count)),
                format!("{sel} (a group of {} hosts)", thousands(h.count)),
            ))
        } else if n > 1 {
            Some(Text::new(
                format!("{sel} (アドレス {n} 個)"),
                format!("{sel} ({n} addresses)"),
            ))
        } else {
            None
        }
    };
    match sel {
        Selector::Host(id) => single_host(id),
        Selector::Store(id) => {
            let host = topo.stores.iter().find(|s| s.id == *id)?;
            single_host(&host.host)
        }
        Selector::Addr(r) if r.size() == 1 => None,
        Selector::Any => Some(Text::new("any (すべてのアドレス)", "any (every address)")),
        _ => {
            let ranges = cx.reach.addrs.of_selector(sel);
            let n = thousands(address_count(&ranges));
            Some(Text::new(
                format!("{sel} ({}, {n} アドレス)", show_ranges(&ranges)),
                format!("{sel} ({}, {n} addresses)", show_ranges(&ranges)),
            ))
        }
    }
}

/// Why a service is not one explicit port, or `None` when it is (`tcp/443`, `udp/123`).
pub fn service_unpinned(s: &Service) -> Option<Text> {
    match *s {
        Service::Any => Some(Text::new(
            "any (すべてのプロトコルとポート)",
            "any (every protocol and port)",
        )),
        Service::Proto { proto, ports } => {
            if !has_ports(proto) {
                Some(Text::new(
                    format!("{s} (プロトコル全体)"),
                    format!("{s} (a whole protocol)"),
                ))
            } else if ports == crate::model::service::PortRange::ALL {
                Some(Text::new(
                    format!("{s} (全ポート)"),
                    format!("{s} (every port)"),
                ))
            } else if ports.first != ports.last {
                Some(Text::new(
                    format!("{s} (ポート範囲)"),
                    format!("{s} (a port range)"),
                ))
            } else {
                None
            }
        }
    }
}

/// Whether a selector stands for every address (`any`, `0.0.0.0/0`).
pub fn is_any(sel: &Selector) -> bool {
    match sel {
        Selector::Any => true,
        Selector::Addr(r) => *r == AddrRange::ALL,
        _ => false,
    }
}

/// Whether a rule's services are every service (`any`, or none written).
pub fn any_service(rule: &Rule) -> bool {
    rule.services.is_empty() || rule.services.iter().any(|s| s.value == Service::Any)
}
