//! The `*nat` table of iptables-save → `[[firewall.nat]]` entries.
//!
//! Netfilter runs the nat table's PREROUTING chain before the routing decision (DNAT,
//! REDIRECT), and its POSTROUTING chain after the filter table's FORWARD (SNAT, MASQUERADE):
//! the model's fixed pipeline (destination NAT → route → policy list → source NAT), so FORWARD
//! sees the translated destination and the original source, on the device as in the model.
//!
//! Only the first packet of a connection traverses the nat table, and the first rule with a
//! NAT target (or ACCEPT, or the end of the built-in chain) decides it: a first-match list,
//! which the filter table's flattening already produces. The chains are flattened with it
//! (user chains, RETURN, goto), every rule with a NAT target read as a terminating rule, and
//! each flattened piece becomes entries in order (the model takes the first entry that matches
//! too). An ACCEPT leaves the packet untranslated and ends the traversal; so do REDIRECT and
//! the targets not modelled (as far as the model knows): the model has no "no translation"
//! entry, so their pieces are taken out of every later entry instead, exactly.

use super::{Chain, Ctx, Flattener, MAX_PIECES, Target};
use crate::import::ImportError;
use crate::import::common::{self, Match, Warnings, at};
use crate::model::{
    AddrRange, At, Firewall, Nat, Rule, Selector, Service, SourceAddress, Translation,
    service::has_ports,
};
use ipnet::Ipv4Net;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// What a nat-table rule does, read from its target and the target's options.
#[derive(Clone, Debug)]
pub(super) enum NatTarget {
    /// `-j DNAT --to-destination A[-B][:P[-Q]]`.
    Dnat {
        to: Option<AddrRange>,
        ports: Option<(u16, u16)>,
    },
    /// `-j SNAT --to-source A[-B][:P[-Q]]` (source ports are not modelled).
    Snat {
        to: Option<AddrRange>,
    },
    Masquerade,
    Redirect,
    /// ACCEPT: the packet leaves the chain untranslated.
    Exempt,
}

/// The NAT targets of the nat table's rules, by line.
#[derive(Default)]
pub(super) struct Targets(BTreeMap<usize, NatTarget>);

impl Targets {
    /// Reads a nat-table rule's target: NAT targets become terminating rules (their packets
    /// leave the chain, translated), ACCEPT a RETURN (see the module comment). `args` are the
    /// rule's words after `-A CHAIN`.
    pub(super) fn read(&mut self, rule: &mut super::Line, args: &[String], w: &mut Warnings) {
        let nat = match &rule.target {
            Target::Accept => Some(NatTarget::Exempt),
            Target::Jump(t) | Target::Goto(t) => match t.as_str() {
                "DNAT" => {
                    let v = option(args, "--to-destination");
                    let (to, ports) = v.map_or((None, None), |v| address_and_ports(&v));
                    Some(NatTarget::Dnat { to, ports })
                }
                "SNAT" => {
                    let v = option(args, "--to-source");
                    Some(NatTarget::Snat {
                        to: v.and_then(|v| address_and_ports(&v).0),
                    })
                }
                "MASQUERADE" => Some(NatTarget::Masquerade),
                "REDIRECT" => Some(NatTarget::Redirect),
                _ => None,
            },
            _ => None,
        };
        let Some(nat) = nat else { return };
        if matches!(nat, NatTarget::Redirect) {
            w.warn_on(
                rule.line,
                "REDIRECT not modelled",
                "REDIRECT hands packets to a program on this host: not modelled, so they are \
                 analysed as forwarded untranslated (more reachability, never less)",
            );
        }
        // Every one of them ends the traversal: the flattened list is a first-match list.
        rule.target = Target::Accept;
        self.0.insert(rule.line, nat);
    }
}

/// The value of `key` among a rule's words.
fn option(args: &[String], key: &str) -> Option<String> {
    let i = args.iter().position(|a| a == key)?;
    args.get(i + 1).cloned()
}

/// `A`, `A-B`, `A:P`, `A-B:P-Q`: the addresses and the ports.
fn address_and_ports(v: &str) -> (Option<AddrRange>, Option<(u16, u16)>) {
    let (addr, ports) = match v.split_once(':') {
        Some((a, p)) => (a, Some(p)),
        None => (v, None),
    };
    let to = if addr.is_empty() {
        None
    } else {
        AddrRange::parse(addr).ok()
    };
    let ports = ports.and_then(|p| {
        let (a, b) = p.split_once('-').unwrap_or((p, p));
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    (to, ports)
}

/// The nat table's PREROUTING and POSTROUTING chains as NAT entries, with the chains reached
/// (`nat CHAIN`) so that the import does not warn that they were left out.
pub(super) fn entries(
    file: &str,
    chains: &BTreeMap<String, Chain>,
    all: &BTreeSet<String>,
    targets: &Targets,
    w: &mut Warnings,
) -> Result<(Vec<Nat>, BTreeSet<String>), ImportError> {
    let mut nat = Vec::new();
    let mut reached = BTreeSet::new();
    // Targets that are neither NAT targets read here nor chains (NETMAP, …) end the traversal
    // too, leaving the packet untranslated as far as the model knows: said.
    let mut chains = chains.clone();
    let names: BTreeSet<String> = chains.keys().cloned().collect();
    let mut unknown: BTreeSet<usize> = BTreeSet::new();
    for chain in chains.values_mut() {
        for r in &mut chain.rules {
            if let Target::Jump(t) | Target::Goto(t) = &r.target
                && !names.contains(t)
            {
                w.warn_on(
                    r.line,
                    "nat-table targets not modelled",
                    format!(
                        "`-j {t}` in the nat table not modelled: its packets are analysed \
                         untranslated"
                    ),
                );
                r.target = Target::Accept;
                unknown.insert(r.line);
            }
        }
    }
    for chain in ["PREROUTING", "POSTROUTING"] {
        if !chains.contains_key(chain) {
            continue;
        }
        let mut flat = Flattener::stage(file, "nat", &chains, all, w);
        flat.flatten(chain, &Ctx::everything(), &mut vec![(chain.to_string(), 0)])?;
        let (rules, chain_reached) = (flat.rules, flat.reached);
        reached.extend(chain_reached.into_iter().map(|c| format!("nat {c}")));
        // The pieces that leave untranslated (ACCEPT, REDIRECT, targets not modelled): the
        // model has no such entry, so they are taken out of every later piece instead.
        let mut untranslated: Vec<Match> = Vec::new();
        for rule in &rules {
            let line = common::origin_line(rule.origin.as_deref());
            let target = targets.0.get(&line);
            if unknown.contains(&line)
                || matches!(target, Some(NatTarget::Exempt | NatTarget::Redirect))
            {
                untranslated.push(Match::of_rule(rule));
                continue;
            }
            let Some(target) = target else { continue };
            let mut pieces = vec![Match::of_rule(rule)];
            for u in &untranslated {
                pieces = u.taken_out_of(pieces, all);
                if pieces.len() > MAX_PIECES {
                    return Err(ImportError::at_line(
                        line,
                        format!(
                            "the nat rules before this one that leave packets untranslated split \
                             it into more than {MAX_PIECES} pieces"
                        ),
                    ));
                }
            }
            for piece in pieces {
                let Some(mut r) =
                    piece.to_rule(rule.action, rule.origin.clone().unwrap_or_default(), None)
                else {
                    continue;
                };
                r.identity = rule.identity.clone();
                r.approximation = rule.approximation.clone();
                entries_of(file, line, chain, &r, target, all, &mut nat, w);
            }
        }
    }
    Ok((nat, reached))
}

/// The entries of one flattened piece of a NAT rule.
#[allow(clippy::too_many_arguments)]
fn entries_of(
    file: &str,
    line: usize,
    chain: &str,
    rule: &Rule,
    target: &NatTarget,
    all: &BTreeSet<String>,
    nat: &mut Vec<Nat>,
    w: &mut Warnings,
) {
    let entry = |translation| Nat {
        id: rule.identity.id.clone(),
        ..common::nat_entry(file, line, translation)
    };
    if let Some(a) = &rule.approximation {
        w.warn_on(
            line,
            "NAT rules read approximately",
            format!("this NAT rule is read approximately ({a}): it may translate more packets than the device"),
        );
    }
    match (chain, target) {
        ("PREROUTING", NatTarget::Dnat { to, ports }) => {
            let Some(to) = to else {
                w.warn(
                    line,
                    "DNAT without a `--to-destination` address: not imported",
                );
                return;
            };
            if to.first != to.last {
                w.warn(
                    line,
                    format!(
                        "DNAT to the range {to}: the model forwards to one address; imported as \
                         forwarding to its first address only"
                    ),
                );
            }
            let translated = host(Ipv4Addr::from(to.first));
            let interfaces: Vec<Option<At<String>>> = if rule.in_interfaces.is_empty() {
                vec![None]
            } else {
                rule.in_interfaces.iter().cloned().map(Some).collect()
            };
            for interface in &interfaces {
                for destination in prefixes(&rule.to) {
                    for service in &rule.services {
                        let port = match ports {
                            Some((p, q)) if p != q => {
                                w.warn(
                                    line,
                                    "DNAT to a range of ports: ports are kept as they are",
                                );
                                None
                            }
                            Some((p, _)) => single_port(&service.value)
                                .and_then(|d| (d != *p).then(|| at(*p)))
                                .or_else(|| {
                                    if single_port(&service.value).is_none() {
                                        w.warn(
                                            line,
                                            format!(
                                                "DNAT to port {p} of `{}`, which is not one port: \
                                             the model rewrites one forwarded port; ports are \
                                             kept as they are",
                                                service.value
                                            ),
                                        );
                                    }
                                    None
                                }),
                            None => None,
                        };
                        nat.push(entry(Translation::Destination {
                            interface: interface.clone(),
                            from: rule.from.clone(),
                            destination: at(destination),
                            service: service.clone(),
                            translated: at(translated),
                            port,
                        }));
                    }
                }
            }
        }
        ("POSTROUTING", NatTarget::Snat { .. } | NatTarget::Masquerade) => {
            let to_source = match target {
                NatTarget::Snat { to: Some(to) } if to.first == to.last => {
                    SourceAddress::Address(at(Ipv4Addr::from(to.first)))
                }
                NatTarget::Snat { to: Some(to) } => SourceAddress::Pool(vec![at(*to)]),
                NatTarget::Snat { to: None } => {
                    w.warn(line, "SNAT without a `--to-source` address: not imported");
                    return;
                }
                _ => SourceAddress::Masquerade(Default::default()),
            };
            let interfaces: Vec<At<String>> = if rule.out_interfaces.is_empty() {
                all.iter().cloned().map(at).collect()
            } else {
                rule.out_interfaces.clone()
            };
            for interface in interfaces {
                for service in &rule.services {
                    nat.push(entry(Translation::Source {
                        interface: interface.clone(),
                        from: rule.from.clone(),
                        to: rule.to.clone(),
                        service: service.clone(),
                        to_source: to_source.clone(),
                    }));
                }
            }
        }
        (_, NatTarget::Exempt | NatTarget::Redirect) => {}
        (chain, _) => w.warn(
            line,
            format!("this NAT target is not valid in the {chain} chain: not imported"),
        ),
    }
}

/// Takes out the masquerades on interfaces without an address, with a warning per rule: a
/// masquerade gives packets the interface's address, which iptables-save does not carry (an
/// interface has one only when something else gave it, such as a routing table dump).
/// Without the entry the masqueraded sources are not hidden: more reachability, never less.
pub(super) fn drop_unaddressed_masquerades(fw: &mut Firewall, w: &mut Warnings) {
    let addressed = |name: &str| {
        fw.interfaces
            .iter()
            .any(|i| i.name.as_deref() == Some(name) && i.ip.is_some())
    };
    let mut dropped: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut kept = Vec::new();
    for n in std::mem::take(&mut fw.nat) {
        match &n.translation {
            Translation::Source {
                interface,
                to_source: SourceAddress::Masquerade(_),
                ..
            } if !addressed(&interface.value) => {
                let line = common::origin_line(n.origin.as_deref());
                let names = dropped.entry(line).or_default();
                if !names.contains(&interface.value) {
                    names.push(interface.value.clone());
                }
            }
            _ => kept.push(n),
        }
    }
    fw.nat = kept;
    for (line, names) in dropped {
        w.warn_on(
            line,
            "MASQUERADE without interface addresses",
            format!(
                "MASQUERADE on {} takes the interface's address, which iptables-save does not give: not imported, so the masqueraded sources are not hidden (more reachability, never less)",
                names.join(", ")
            ),
        );
    }
}

/// The one port of a service, when it has exactly one.
fn single_port(s: &Service) -> Option<u16> {
    match s {
        Service::Proto { proto, ports } if has_ports(*proto) && ports.first == ports.last => {
            Some(ports.first)
        }
        _ => None,
    }
}

fn host(a: Ipv4Addr) -> Ipv4Net {
    Ipv4Net::new(a, 32).expect("a /32 is a prefix")
}

/// Destination selectors as prefixes (`any` is 0.0.0.0/0; a range its covering prefixes).
fn prefixes(to: &[At<Selector>]) -> Vec<Ipv4Net> {
    let mut out = Vec::new();
    for s in to {
        match s.value {
            Selector::Addr(r) => out.extend(range_prefixes(r)),
            _ => out.push(Ipv4Net::default()),
        }
    }
    out
}

/// The fewest prefixes that together are exactly the range.
fn range_prefixes(r: AddrRange) -> Vec<Ipv4Net> {
    let mut out = Vec::new();
    let mut first = u64::from(r.first);
    let last = u64::from(r.last);
    while first <= last {
        // The largest block aligned at `first` that fits in the range.
        let mut len = 32 - (first.trailing_zeros().min(32));
        while first + (1u64 << (32 - len)) - 1 > last {
            len += 1;
        }
        out.push(Ipv4Net::new(Ipv4Addr::from(first as u32), len as u8).expect("len ≤ 32"));
        first += 1u64 << (32 - len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_become_the_fewest_prefixes() {
        let r = AddrRange::parse("10.0.0.1-10.0.0.6").unwrap();
        let p: Vec<String> = range_prefixes(r).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            p,
            ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]
        );
        let all: Vec<String> = range_prefixes(AddrRange::ALL)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(all, ["0.0.0.0/0"]);
    }

    #[test]
    fn to_destination_takes_addresses_and_ports() {
        let (to, ports) = address_and_ports("10.0.0.5:443");
        assert_eq!(to.unwrap().to_string(), "10.0.0.5");
        assert_eq!(ports, Some((443, 443)));
        let (to, ports) = address_and_ports("10.0.0.5-10.0.0.7");
        assert_eq!(to.unwrap().to_string(), "10.0.0.5-10.0.0.7");
        assert_eq!(ports, None);
    }
}
