//! FortiGate NAT → `[[firewall.nat]]` entries.
//!
//! FortiOS looks a session up in this order: the VIP (destination NAT) before the route lookup
//! and the policy list, the policy's `set nat enable` (source NAT to an IP pool or to the out
//! interface's address) after the policy matched. That is the model's fixed pipeline, and the
//! policies name a VIP where they mean its mapped address, which is what the model's policy
//! list sees (the translated destination). So:
//!
//! - each static-nat VIP becomes one destination NAT entry on its `extintf` (`extip` →
//!   `mappedip`, and with `set portforward enable` only `protocol`/`extport`, translated to
//!   `mappedport`);
//! - each accept policy with `set nat enable` becomes source NAT entries on its out interfaces,
//!   for its sources, destinations and services, to its pools (`set ippool enable`,
//!   `set poolname`) or to the interface's own address (masquerade).
//!
//! What is not read exactly is a warning and stays sound: a VIP that cannot be written as an
//! entry is left out (its policies still reach the mapped address), and then no source NAT is
//! written either, because a source NAT hides its sources from unsolicited packets and would
//! hide a server that the left-out VIP publishes.

use super::addresses::ip_or_range;
use super::policies::Policy;
use super::tree::Block;
use crate::import::common::{self, Interfaces, Warnings, at, nat_entry};
use crate::model::service::{ICMP, PortRange, TCP, UDP, has_ports};
use crate::model::{
    Action, AddrRange, At, FirewallInterface, Nat, Rule, Selector, Service, SourceAddress,
    Translation,
};
use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The NAT entries of one import, collected while the policies are read.
#[derive(Default)]
pub(super) struct FortiNat {
    destination: Vec<Nat>,
    source: Vec<Nat>,
    /// A VIP that could not be written as entries (its line): source NAT is then left out.
    unread_vip: Option<usize>,
}

impl FortiNat {
    /// Reads every VIP of the imported VDOM.
    pub(super) fn vips(
        file: &str,
        vips: &[&Block],
        ifs: &mut Interfaces<'_>,
        w: &mut Warnings,
    ) -> FortiNat {
        let mut nat = FortiNat::default();
        for (i, b) in vips.iter().enumerate() {
            // A later `edit` of the same name edits the same VIP: only the last one counts.
            if vips[i + 1..].iter().any(|later| later.name == b.name) {
                continue;
            }
            match vip(file, b, ifs, w) {
                Ok(entries) => nat.destination.extend(entries),
                Err(why) => {
                    w.warn_on(
                        b.line,
                        "VIPs not translated",
                        format!(
                            "virtual IP `{}`: {why}; not translated (policies naming it still reach its mapped address)",
                            b.name
                        ),
                    );
                    nat.unread_vip.get_or_insert(b.line);
                }
            }
        }
        nat
    }

    /// Reads the source NAT of one policy as read (`rule`), when it says `set nat enable`.
    pub(super) fn policy(
        &mut self,
        file: &str,
        p: &Block,
        rule: &Policy,
        pools: &BTreeMap<&str, &Block>,
        interfaces: &[FirewallInterface],
        w: &mut Warnings,
    ) {
        if !p.enabled("nat") {
            return;
        }
        let id = &p.name;
        let line = p.line_of("nat");
        let Some(rule) = rule
            .0
            .as_ref()
            .filter(|r| r.action == crate::model::Action::Allow)
        else {
            return;
        };
        let skip = |why: &str, w: &mut Warnings| {
            w.warn_on(
                line,
                "source NAT not translated",
                format!(
                    "policy {id}: source NAT not imported ({why}): devices behind see the original source, and the sources are not hidden from unsolicited packets"
                ),
            )
        };
        if rule.approximation.is_some() {
            return skip("the policy is not read exactly", w);
        }
        if rule.out_interfaces.is_empty() {
            return skip("`dstintf any`", w);
        }
        let to_source = if p.enabled("ippool") {
            let mut ranges = Vec::new();
            for name in p.get("poolname").unwrap_or_default() {
                match pools.get(name.as_str()).and_then(|b| pool(b)) {
                    Some(r) => ranges.push(at(r)),
                    None => return skip(&format!("IP pool `{name}` is not readable"), w),
                }
            }
            if ranges.is_empty() {
                return skip("`set ippool enable` without `poolname`", w);
            }
            SourceAddress::Pool(ranges)
        } else {
            // The out interface's own address: without a static one (`set mode dhcp`) the
            // model has none to give, and hiding the sources behind it would need one.
            let static_ip = |name: &str| {
                interfaces
                    .iter()
                    .any(|i| i.name.as_deref() == Some(name) && i.ip.is_some())
            };
            if let Some(out) = rule.out_interfaces.iter().find(|o| !static_ip(&o.value)) {
                return skip(
                    &format!("interface `{}` has no static address", out.value),
                    w,
                );
            }
            SourceAddress::Masquerade(Default::default())
        };
        for out in &rule.out_interfaces {
            for service in &rule.services {
                self.source.push(nat_entry(
                    file,
                    line,
                    Translation::Source {
                        interface: out.clone(),
                        from: rule.from.clone(),
                        to: rule.to.clone(),
                        service: service.clone(),
                        to_source: to_source.clone(),
                    },
                ));
            }
        }
    }

    /// Source NAT entries read elsewhere (the central SNAT table), after those read so far.
    pub(super) fn push_source(&mut self, entries: Vec<Nat>) {
        self.source.extend(entries);
    }

    /// Marks `hide = false` on each source NAT whose real addresses an accept policy lets in
    /// through its interface: FortiOS translates sources and filters nothing, so it forwards a
    /// packet that arrives for a real address when a policy allows it (from a neighbour on that
    /// link; the internet does not route private addresses). Where no policy lets such packets
    /// in, hiding drops only what FortiOS drops too, and stays exact.
    pub(super) fn unhide_where_policies_let_in(&mut self, rules: &[Rule], w: &mut Warnings) {
        let ranges = |sel: &[At<Selector>]| -> Vec<AddrRange> {
            sel.iter()
                .flat_map(|s| match &s.value {
                    Selector::Addr(r) => vec![*r],
                    _ => vec![AddrRange::ALL],
                })
                .collect()
        };
        // A policy naming a VIP matches the packets the VIP translated, never one sent to the
        // mapped address itself: those are not in question.
        let published: Vec<AddrRange> = self
            .destination
            .iter()
            .filter_map(|n| match &n.translation {
                Translation::Destination { translated, .. } => Some(AddrRange {
                    first: u32::from(translated.value.network()),
                    last: u32::from(translated.value.broadcast()),
                }),
                _ => None,
            })
            .collect();
        let line = |o: &Option<String>| common::origin_line(o.as_deref());
        let mut out = Vec::with_capacity(self.source.len());
        for mut n in std::mem::take(&mut self.source) {
            let Translation::Source {
                interface, from, ..
            } = &n.translation
            else {
                out.push(n);
                continue;
            };
            let hidden = ranges(from);
            let interface = interface.value.clone();
            // The real addresses that policies not naming a VIP let in through the interface.
            let mut let_in: Vec<AddrRange> = Vec::new();
            let mut first_policy = None;
            for r in rules.iter().filter(|r| {
                r.action == Action::Allow
                    && (r.in_interfaces.is_empty()
                        || r.in_interfaces.iter().any(|i| i.value == interface))
            }) {
                let to = crate::model::ranges::subtract(&ranges(&r.to), &published);
                let met = common::intersect(&to, &hidden);
                if !met.is_empty() {
                    first_policy.get_or_insert(r);
                    let_in.extend(met);
                }
            }
            let Some(r) = first_policy else {
                out.push(n);
                continue;
            };
            w.warn_on(
                line(&r.origin),
                "source NAT that policies let in through",
                format!(
                    "this policy lets packets in through {} to real addresses that the source NAT at line {} translates: FortiOS forwards them, so those addresses are imported as not hidden (`hide = false`)",
                    interface,
                    line(&n.origin),
                ),
            );
            // The entry splits in two with the same translation (first match picks the same
            // one): the addresses no policy lets in stay hidden, as on the device; the rest
            // are not, and only the policies decide for them.
            let still_hidden = crate::model::ranges::subtract(&hidden, &let_in);
            let mut open = n.clone();
            open.hides = false;
            if !still_hidden.is_empty() {
                if let Translation::Source { from, .. } = &mut n.translation {
                    *from = still_hidden
                        .into_iter()
                        .map(|r| at(Selector::Addr(r)))
                        .collect();
                }
                out.push(n);
            }
            out.push(open);
        }
        self.source = out;
    }

    /// The entries in model order: destination NAT, then source NAT (the two never compete).
    pub(super) fn entries(self, w: &mut Warnings) -> Vec<Nat> {
        let mut out = self.destination;
        if let Some(line) = self.unread_vip
            && !self.source.is_empty()
        {
            w.warn_on(
                line,
                "source NAT not translated",
                "a virtual IP is not translated, so no source NAT is imported: a source NAT would hide the server it publishes (sources are analysed untranslated)",
            );
        } else {
            out.extend(self.source);
        }
        out
    }
}

/// An IP pool's `startip`–`endip`.
pub(super) fn pool(b: &Block) -> Option<AddrRange> {
    let first = u32::from(b.get1("startip")?.parse::<Ipv4Addr>().ok()?);
    let last = match b.get1("endip") {
        Some(e) => u32::from(e.parse::<Ipv4Addr>().ok()?),
        None => first,
    };
    (first <= last).then_some(AddrRange { first, last })
}

fn range_net(r: AddrRange) -> Option<Ipv4Net> {
    let size = u64::from(r.last - r.first) + 1;
    if !size.is_power_of_two() || u64::from(r.first) % size != 0 {
        return None;
    }
    Ipv4Net::new(Ipv4Addr::from(r.first), 32 - size.trailing_zeros() as u8).ok()
}

/// `80` or `8000-8080`.
fn ports(text: &str) -> Option<PortRange> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (first, last) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (first <= last && first > 0).then_some(PortRange { first, last })
}

/// One static-nat VIP as destination NAT entries, or why it cannot be.
fn vip(
    file: &str,
    b: &Block,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Result<Vec<Nat>, String> {
    let kind = b.get1("type").unwrap_or("static-nat");
    if kind != "static-nat" {
        return Err(format!("`set type {kind}` is not modelled"));
    }
    for key in ["src-filter", "service", "srcintf-filter"] {
        if b.get(key).is_some() {
            return Err(format!("`set {key}` is not modelled"));
        }
    }
    if b.enabled("nat-source-vip") {
        // Sound either way for what reaches what; only devices after this one see another
        // source.
        w.warn_on(
            b.line_of("nat-source-vip"),
            "VIPs not translated",
            format!(
                "virtual IP `{}`: `set nat-source-vip enable` (its server's outbound traffic takes the external address) is not modelled; that traffic keeps its source, or takes a policy's source NAT",
                b.name
            ),
        );
    }
    let ext = b
        .get1("extip")
        .and_then(ip_or_range)
        .ok_or("no readable `extip`")?;
    let mapped: Vec<AddrRange> = b
        .get("mappedip")
        .unwrap_or_default()
        .iter()
        .map(|m| ip_or_range(m))
        .collect::<Option<_>>()
        .ok_or("no readable `mappedip`")?;
    let [mapped] = mapped[..] else {
        return Err("not one `mappedip`".into());
    };
    let ext_net = range_net(ext).ok_or("`extip` is not a prefix")?;
    let mapped_net = range_net(mapped).ok_or("`mappedip` is not a prefix")?;
    if mapped_net.prefix_len() != 32 && mapped_net.prefix_len() != ext_net.prefix_len() {
        return Err("`extip` and `mappedip` differ in size".into());
    }
    let interface = match b.get1("extintf").unwrap_or("any") {
        "any" => None,
        // No modelled packet enters through an unmapped interface (the mapping warns).
        name => match ifs.resolve(name, b.line_of("extintf"), w) {
            Some(i) => Some(at(i)),
            None => return Ok(Vec::new()),
        },
    };
    let (service, port) = if b.enabled("portforward") {
        let proto = match b.get1("protocol").unwrap_or("tcp") {
            "tcp" => TCP,
            "udp" => UDP,
            "icmp" => ICMP,
            other => return Err(format!("`set protocol {other}` is not modelled")),
        };
        let ext_ports = match b.get1("extport") {
            Some(p) => ports(p).ok_or("no readable `extport`")?,
            None if proto == ICMP => PortRange::ALL,
            None => return Err("port forwarding without `extport`".into()),
        };
        let mapped_ports = match b.get1("mappedport") {
            Some(p) => ports(p).ok_or("no readable `mappedport`")?,
            None => ext_ports,
        };
        let port = if mapped_ports == ext_ports || proto == ICMP {
            None
        } else if mapped_ports.first == mapped_ports.last && ext_ports.first == ext_ports.last {
            Some(at(mapped_ports.first))
        } else {
            return Err("a port range mapped onto other ports is not modelled".into());
        };
        let ports = if has_ports(proto) {
            ext_ports
        } else {
            PortRange::ALL
        };
        (Service::Proto { proto, ports }, port)
    } else {
        (Service::Any, None)
    };
    let mut entry = nat_entry(
        file,
        b.line,
        Translation::Destination {
            interface,
            from: vec![at(crate::model::Selector::Any)],
            destination: at(ext_net),
            service: at(service),
            translated: at(mapped_net),
            port,
        },
    );
    // Witnesses then name the VIP as its administrators do.
    entry.id = Some(at(b.name.clone()));
    Ok(vec![entry])
}
