//! YAMAHA RTX `nat descriptor` → `[[firewall.nat]]` entries.
//!
//! A descriptor bound to an interface (`ip IFACE nat descriptor N`) faces outward there: a
//! packet leaving through the interface from an inner address takes an outer one (after the
//! route lookup and the filters that pass it, the model's source NAT), and a packet entering
//! through it to an outer address goes to the inner one a static entry names (before the route
//! lookup, the model's destination NAT). A masquerade drops what enters unsolicited unless a
//! `masquerade static` entry forwards it, which is what the model's source NAT does (it hides
//! its sources). So each binding becomes, on its interface and in this order: the descriptor's
//! static 1:1 entries, its port forwards, then its source NAT.
//!
//! What cannot be read is a warning and stays sound: a descriptor left out translates
//! nothing, and above all hides nothing (more reachability, never less).

use super::{Word, shown};
use crate::import::Warning;
use crate::import::common::{at, nat_entry};
use crate::model::service::{ICMP, PortRange, TCP, UDP};
use crate::model::{AddrRange, Nat, Selector, Service, SourceAddress, Translation};
use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

const TOPIC: &str = "NAT descriptors not translated";

/// `nat descriptor masquerade static N ID INNER PROTO [OUTER_PORT=]INNER_PORT`.
struct PortForward {
    line: usize,
    inner: Ipv4Addr,
    proto: u8,
    ports: Option<(u16, u16)>,
}

#[derive(Default)]
struct Descriptor {
    kind: Option<(String, usize)>,
    outer: Option<(Vec<String>, usize)>,
    inner: Option<(Vec<String>, usize)>,
    /// `nat descriptor static N ID OUTER=INNER [COUNT]`.
    statics: Vec<(usize, Ipv4Addr, Ipv4Addr, u32)>,
    forwards: Vec<PortForward>,
    /// `nat descriptor masquerade incoming N through|forward IP`.
    incoming: Option<(String, Option<Ipv4Addr>, usize)>,
}

/// The NAT commands of a configuration, read as they come.
#[derive(Default)]
pub(super) struct RtxNat {
    descriptors: BTreeMap<u32, Descriptor>,
    /// `ip IFACE nat descriptor N...`: interface, descriptors, line.
    bindings: Vec<(String, Vec<u32>, usize)>,
}

fn warn(w: &mut Vec<Warning>, line: usize, message: String) {
    w.push(Warning::on(line, TOPIC, message));
}

fn number(words: &[Word<'_>], i: usize) -> Option<u32> {
    words.get(i)?.text.parse().ok()
}

fn texts(words: &[Word<'_>], from: usize) -> Vec<String> {
    words
        .iter()
        .skip(from)
        .map(|w| w.text.to_string())
        .collect()
}

/// Subcommands that only tune timers, logging and helpers: they change no reachability.
const TUNING: &[&str] = &["timer", "log", "sip", "ftp", "backward-compatibility"];

impl RtxNat {
    /// `nat descriptor …` (`words[0..2]` are `nat descriptor`).
    pub(super) fn command(&mut self, line: usize, words: &[Word<'_>], w: &mut Vec<Warning>) {
        let sub = words.get(2).map(|w| w.text).unwrap_or("");
        let sub2 = words.get(3).map(|w| w.text).unwrap_or("");
        let (n_at, what) = match (sub, sub2) {
            ("type", _) => (3, "type"),
            ("address", "outer" | "inner") => (4, sub2),
            ("static", _) => (3, "static"),
            ("masquerade", "static") => (4, "forward"),
            ("masquerade", "incoming") => (4, "incoming"),
            // Port ranges, session limits, timers, logs and helpers: no reachability.
            _ if TUNING.contains(&sub) || sub == "masquerade" => return,
            _ => {
                warn(
                    w,
                    line,
                    format!("`nat descriptor {}` is not read", shown(sub)),
                );
                return;
            }
        };
        let Some(n) = number(words, n_at) else {
            warn(
                w,
                line,
                format!("`nat descriptor {sub}` without a descriptor number: not read"),
            );
            return;
        };
        let d = self.descriptors.entry(n).or_default();
        let rest = texts(words, n_at + 1);
        match what {
            "type" => d.kind = rest.first().map(|k| (k.clone(), line)),
            "outer" => d.outer = Some((rest, line)),
            "inner" => d.inner = Some((rest, line)),
            "static" => match static_entry(&rest) {
                Some((outer, inner, count)) => d.statics.push((line, outer, inner, count)),
                None => warn(
                    w,
                    line,
                    format!("`nat descriptor static {n}` not understood: not read"),
                ),
            },
            "forward" => match forward(&rest, line) {
                Some(f) => d.forwards.push(f),
                None => warn(
                    w,
                    line,
                    format!("`nat descriptor masquerade static {n}` not understood: not read"),
                ),
            },
            _ => {
                let ip = rest.get(1).and_then(|a| a.parse().ok());
                d.incoming = rest.first().map(|a| (a.clone(), ip, line));
            }
        }
    }

    /// `ip IFACE nat descriptor N [N…]` (`words[3..]` after the interface).
    pub(super) fn binding(
        &mut self,
        iface: &str,
        line: usize,
        words: &[Word<'_>],
        w: &mut Vec<Warning>,
    ) {
        let mut numbers = Vec::new();
        for word in words.iter().skip(4) {
            match word.text.parse() {
                Ok(n) => numbers.push(n),
                // `reverse` descriptors translate the other way round: not modelled.
                Err(_) => {
                    warn(
                        w,
                        line,
                        format!(
                            "`{}` in the NAT descriptors of {iface}: the rest of the line is not read",
                            shown(word.text)
                        ),
                    );
                    break;
                }
            }
        }
        self.bindings.push((iface.to_string(), numbers, line));
    }

    /// The entries of every binding on a mapped interface, given each interface's address.
    pub(super) fn entries(
        &self,
        file: &str,
        mapped: impl Fn(&str) -> bool,
        address: impl Fn(&str) -> Option<Ipv4Addr>,
        w: &mut Vec<Warning>,
    ) -> Vec<Nat> {
        let mut statics = Vec::new();
        let mut sources = Vec::new();
        for (iface, numbers, line) in &self.bindings {
            if !mapped(iface) {
                continue;
            }
            for n in numbers {
                let Some(d) = self.descriptors.get(n) else {
                    warn(
                        w,
                        *line,
                        format!(
                            "NAT descriptor {n} on {iface} is not defined: it translates nothing"
                        ),
                    );
                    continue;
                };
                let made = descriptor(file, iface, address(iface), d, w);
                match made {
                    Ok((s, src)) => {
                        statics.extend(s);
                        sources.extend(src);
                    }
                    Err(why) => warn(
                        w,
                        *line,
                        format!(
                            "NAT descriptor {n} on {iface}: {why}; not translated (its inner addresses are not hidden)"
                        ),
                    ),
                }
            }
        }
        statics.extend(sources);
        statics
    }
}

/// `OUTER=INNER [COUNT]`.
fn static_entry(rest: &[String]) -> Option<(Ipv4Addr, Ipv4Addr, u32)> {
    let (o, i) = rest.get(1)?.split_once('=')?;
    let count = match rest.get(2) {
        Some(c) => c.parse().ok()?,
        None => 1,
    };
    Some((o.parse().ok()?, i.parse().ok()?, count))
}

/// `ID INNER PROTO [OUTER_PORT=]INNER_PORT`.
fn forward(rest: &[String], line: usize) -> Option<PortForward> {
    let inner = rest.get(1)?.parse().ok()?;
    let proto = match rest.get(2)?.as_str() {
        "tcp" => TCP,
        "udp" => UDP,
        "icmp" => ICMP,
        "esp" => 50,
        "gre" => 47,
        p => p.parse().ok()?,
    };
    let ports = match rest.get(3) {
        None => None,
        Some(p) => {
            let (o, i) = p.split_once('=').unwrap_or((p, p));
            Some((one_port(o)?, one_port(i)?))
        }
    };
    if (proto == TCP || proto == UDP) != ports.is_some() {
        return None;
    }
    Some(PortForward {
        line,
        inner,
        proto,
        ports,
    })
}

/// `443` or a port name the filters know (`smtp`, `www`).
fn one_port(text: &str) -> Option<u16> {
    match text.parse() {
        Ok(p) => Some(p),
        Err(_) => match super::port_name(text)? {
            (a, b) if a == b => Some(a),
            _ => None,
        },
    }
}

fn host(a: Ipv4Addr) -> Ipv4Net {
    Ipv4Net::new(a, 32).expect("32 is a prefix length")
}

/// `A`, `A-B`, `A/LEN`.
fn range(text: &str) -> Option<AddrRange> {
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (
                u32::from(a.parse::<Ipv4Addr>().ok()?),
                u32::from(b.parse::<Ipv4Addr>().ok()?),
            );
            (a <= b).then_some(AddrRange { first: a, last: b })
        }
        None => crate::import::common::parse_cidr(text),
    }
}

type Made = (Vec<Nat>, Vec<Nat>);

/// One descriptor bound to `iface` (whose static address is `own`): its statics and port
/// forwards, and its source NAT.
fn descriptor(
    file: &str,
    iface: &str,
    own: Option<Ipv4Addr>,
    d: &Descriptor,
    w: &mut Vec<Warning>,
) -> Result<Made, String> {
    let (kind, kind_line) = d
        .kind
        .as_ref()
        .map(|(k, l)| (k.as_str(), *l))
        .ok_or("no `nat descriptor type`")?;
    if !matches!(kind, "masquerade" | "nat" | "nat-masquerade" | "static") {
        return Err(format!("type `{}` is not modelled", shown(kind)));
    }
    let (outer, inner) = outer_inner(d)?;
    let iface_at = || at(iface.to_string());
    let mut statics = static_entries(file, iface, d, w);
    // The address unsolicited packets are sent to: the interface's own unless one is given.
    let public = match (&outer[..], own) {
        ([], Some(a)) => Some(a),
        ([r], _) if r.first == r.last => Some(Ipv4Addr::from(r.first)),
        _ => None,
    };
    statics.extend(port_forwards(file, iface, public, d, w));
    let mut sources = Vec::new();
    if kind != "static" {
        // Without an address to give, no source NAT: the inner addresses are then not
        // hidden (the port forwards above still apply).
        let unhidden = |why: String, w: &mut Vec<Warning>| {
            warn(
                w,
                kind_line,
                format!(
                    "NAT descriptor on {iface}: {why}; the source is not translated (its inner addresses are not hidden)"
                ),
            )
        };
        let to_source = if kind == "masquerade" && outer.is_empty() {
            if own.is_none() {
                unhidden(format!("{iface} has no static address to masquerade as"), w);
                return Ok((statics, sources));
            }
            SourceAddress::Masquerade(Default::default())
        } else if outer.is_empty() {
            unhidden(format!("type `{kind}` without outer addresses"), w);
            return Ok((statics, sources));
        } else {
            SourceAddress::Pool(outer.iter().map(|r| at(*r)).collect())
        };
        match &d.incoming {
            Some((action, ip, line)) if action == "forward" && public.is_some() && ip.is_some() => {
                statics.push(nat_entry(
                    file,
                    *line,
                    Translation::Destination {
                        interface: Some(iface_at()),
                        from: vec![at(Selector::Any)],
                        destination: at(host(public.expect("checked"))),
                        service: at(Service::Any),
                        translated: at(host(ip.expect("checked"))),
                        port: None,
                    },
                ));
            }
            Some((action, _, line)) if action != "reject" && action != "discard" => {
                warn(
                    w,
                    *line,
                    format!(
                        "`masquerade incoming {}` lets unsolicited packets in: the inner addresses are not hidden",
                        shown(action)
                    ),
                );
                return Ok((statics, sources));
            }
            _ => {}
        }
        let from = if inner == [AddrRange::ALL] {
            vec![at(Selector::Any)]
        } else {
            inner.iter().map(|r| at(Selector::Addr(*r))).collect()
        };
        sources.push(nat_entry(
            file,
            kind_line,
            Translation::Source {
                interface: iface_at(),
                from,
                to: vec![at(Selector::Any)],
                service: at(Service::Any),
                to_source,
            },
        ));
    }
    Ok((statics, sources))
}

/// The descriptor's outer addresses (none: the interface's own, which `ipcp`, `primary`,
/// `secondary` and `auto` stand for) and inner ones (every address when absent or `auto`).
fn outer_inner(d: &Descriptor) -> Result<(Vec<AddrRange>, Vec<AddrRange>), String> {
    let outer_words = d
        .outer
        .as_ref()
        .map(|(o, _)| o.clone())
        .unwrap_or_else(|| vec!["ipcp".into()]);
    let own_words = ["ipcp", "primary", "auto"];
    let outer: Vec<AddrRange> = if outer_words.iter().all(|o| own_words.contains(&o.as_str())) {
        Vec::new()
    } else {
        outer_words
            .iter()
            .map(|o| range(o))
            .collect::<Option<_>>()
            .ok_or("an outer address is not readable")?
    };
    let inner: Vec<AddrRange> = match &d.inner {
        None => vec![AddrRange::ALL],
        Some((words, _)) if words.iter().any(|i| i == "auto") => vec![AddrRange::ALL],
        Some((words, _)) => words
            .iter()
            .map(|i| range(i))
            .collect::<Option<_>>()
            .ok_or("an inner address is not readable")?,
    };
    Ok((outer, inner))
}

/// `nat descriptor static`: each run of addresses that is one prefix, as a static NAT.
fn static_entries(file: &str, iface: &str, d: &Descriptor, w: &mut Vec<Warning>) -> Vec<Nat> {
    let iface_at = || at(iface.to_string());
    let mut statics = Vec::new();
    for &(line, o, i, count) in &d.statics {
        let len = if count.is_power_of_two() {
            32 - count.trailing_zeros() as u8
        } else {
            0
        };
        match (
            count.is_power_of_two(),
            Ipv4Net::new(o, len),
            Ipv4Net::new(i, len),
        ) {
            (true, Ok(on), Ok(inet)) if on.network() == o && inet.network() == i => {
                statics.push(nat_entry(
                    file,
                    line,
                    Translation::Static {
                        interface: iface_at(),
                        inside: at(inet),
                        outside: at(on),
                    },
                ));
            }
            _ => warn(
                w,
                line,
                format!(
                    "`nat descriptor static` with {count} addresses that are not one prefix: not translated"
                ),
            ),
        }
    }
    statics
}

/// `nat descriptor masquerade static`: port forwards to inner hosts, on `public` (every
/// address entering there when the outer address is not static).
fn port_forwards(
    file: &str,
    iface: &str,
    public: Option<Ipv4Addr>,
    d: &Descriptor,
    w: &mut Vec<Warning>,
) -> Vec<Nat> {
    let iface_at = || at(iface.to_string());
    let mut statics = Vec::new();
    for f in &d.forwards {
        let destination = match public {
            Some(a) => host(a),
            None => {
                warn(
                    w,
                    f.line,
                    format!(
                        "port forward on {iface}, whose outer address is not static: every address entering there is forwarded"
                    ),
                );
                Ipv4Net::default()
            }
        };
        let (service, port) = match f.ports {
            Some((o, i)) => (
                Service::Proto {
                    proto: f.proto,
                    ports: PortRange { first: o, last: o },
                },
                (o != i).then(|| at(i)),
            ),
            None => (
                Service::Proto {
                    proto: f.proto,
                    ports: PortRange::ALL,
                },
                None,
            ),
        };
        statics.push(nat_entry(
            file,
            f.line,
            Translation::Destination {
                interface: Some(iface_at()),
                from: vec![at(Selector::Any)],
                destination: at(destination),
                service: at(service),
                translated: at(host(f.inner)),
                port,
            },
        ));
    }
    statics
}
