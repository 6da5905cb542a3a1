//! ASA NAT (8.3 and later) read as `[[firewall.nat]]` entries.
//!
//! Object NAT (`object network NAME` / ` nat (real,mapped) static|dynamic MAPPED [service tcp
//! REAL MAPPED]`) and twice NAT (`nat (real,mapped) [after-auto] source static|dynamic REAL
//! MAPPED [destination static MAPPED REAL] [service …]`) translate packets between the real
//! interface and the mapped one. The ASA's ACLs name real addresses (8.3+): a packet entering
//! the mapped interface for a mapped address is untranslated first, then checked. That is the
//! model's order: destination NAT before the policy list, which sees the translated (real)
//! destination. Outbound, the ACL sees the real source and the packet is translated after,
//! as the model's source NAT does.
//!
//! The ASA tries twice NAT (section 1), then object NAT (section 2: statics before dynamics),
//! then `after-auto` twice NAT (section 3), first match: entries are written in that order,
//! and the model takes the first entry that matches too. Each statement becomes entries on its
//! mapped interface:
//!
//! - `static MAPPED`: static 1:1 (`inside` the object's prefix, `outside` the mapped one);
//! - `static MAPPED service tcp|udp REAL_PORT MAPPED_PORT`: a port forward (destination NAT);
//! - `dynamic interface`: masquerade; `dynamic OBJ` / `pat-pool OBJ`: a source NAT to the
//!   object's addresses (one address, else a pool).
//!
//! What the model cannot say is read so that no path is hidden: a `destination` condition or a
//! twice-NAT `service` is dropped from a static (it then translates more: the published address
//! reaches the real one for every peer and port); a dynamic NAT with a `destination` other than
//! an identity is left out (the sources stay reachable); `any` as the mapped interface is left
//! out; each with a warning.

use super::{Addrs, Config, Line, port};
use crate::import::ImportError;
use crate::import::cisco_ios::shown;
use crate::import::common::{self, at};
use crate::model::service::{TCP, UDP};
use crate::model::{AddrRange, Nat, Selector, SourceAddress, Translation};
use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The NAT statements of a configuration, read after the objects are known.
#[derive(Default)]
pub(super) struct NatConfig<'a> {
    /// Object NAT: the object's name and its ` nat (…) …` line.
    pub(super) object: Vec<(String, Line<'a>)>,
    /// Twice NAT: top-level `nat (…) …` lines.
    pub(super) twice: Vec<Line<'a>>,
}

/// A statement as entries, with the section it belongs to (1: twice NAT, 2: object NAT
/// statics, 3: object NAT dynamics, 4: after-auto twice NAT).
type Sectioned = (u8, usize, Vec<Nat>);

impl<'a> Config<'a> {
    /// The NAT entries, in the ASA's order of sections.
    pub(super) fn nat_entries(
        &mut self,
        file: &str,
        names: &BTreeMap<String, String>,
        addresses: &BTreeMap<String, Option<Ipv4Addr>>,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Vec<Nat>, ImportError> {
        let mut out: Vec<Sectioned> = Vec::new();
        for (object, line) in std::mem::take(&mut self.nat.object) {
            let words: Vec<&str> = line.words().iter().map(|w| w.text).collect();
            let Some(real) = self.nat_object(&object, line.no, fqdn)? else {
                continue;
            };
            if let Some(s) =
                self.statement(file, line.no, &words, Some(real), names, addresses, fqdn)?
            {
                out.push(s);
            }
        }
        for line in std::mem::take(&mut self.nat.twice) {
            let words: Vec<&str> = line.words().iter().map(|w| w.text).collect();
            if let Some(s) = self.statement(file, line.no, &words, None, names, addresses, fqdn)? {
                out.push(s);
            }
        }
        // Sections in order, statements in configuration order within each.
        out.sort_by_key(|(section, line, _)| (*section, *line));
        Ok(out.into_iter().flat_map(|(_, _, n)| n).collect())
    }

    /// An object's addresses, when they are exact.
    fn nat_object(
        &mut self,
        name: &str,
        line: usize,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Vec<AddrRange>>, ImportError> {
        let set: Addrs = match self.network_object(name, line, fqdn) {
            Ok(s) => s,
            Err(e) => {
                self.warn(
                    line,
                    format!(
                        "NAT not imported: {} (its addresses are analysed untranslated)",
                        e.message
                    ),
                );
                return Ok(None);
            }
        };
        if !set.why.is_empty() || set.upper.is_empty() {
            self.warn(
                line,
                format!(
                    "NAT of object `{}` not imported: its addresses are not known exactly ({}); \
                     they are analysed untranslated",
                    shown(name),
                    set.why.join(", ")
                ),
            );
            return Ok(None);
        }
        Ok(Some(common::normalize(set.upper)))
    }

    /// One `nat (real,mapped) …` statement: object NAT when `object` gives the real addresses,
    /// else twice NAT.
    #[allow(clippy::too_many_arguments)]
    fn statement(
        &mut self,
        file: &str,
        line: usize,
        words: &[&str],
        object: Option<Vec<AddrRange>>,
        names: &BTreeMap<String, String>,
        addresses: &BTreeMap<String, Option<Ipv4Addr>>,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Sectioned>, ImportError> {
        let Some((_, mapped_if)) = words
            .get(1)
            .and_then(|w| w.strip_prefix('(')?.strip_suffix(')')?.split_once(','))
        else {
            self.warn(
                line,
                "`nat` without `(real,mapped)` interfaces: not imported",
            );
            return Ok(None);
        };
        let mut rest: Vec<&str> = words[2..].to_vec();
        // `line N` places a twice-NAT rule; the configuration lists them in that order already.
        if rest.first() == Some(&"line") {
            rest.drain(..2.min(rest.len()));
        }
        let after_auto = rest.first() == Some(&"after-auto");
        if after_auto {
            rest.remove(0);
        }
        let Some(interface) = names.get(mapped_if).cloned() else {
            let why = if mapped_if == "any" {
                "`any` as the mapped interface is not modelled".to_string()
            } else {
                format!("the mapped interface {} is not imported", shown(mapped_if))
            };
            self.warn(
                line,
                format!("NAT not imported: {why}; its addresses are analysed untranslated"),
            );
            return Ok(None);
        };
        let own = addresses.get(&interface).copied().flatten();
        let twice = object.is_none();
        let (kind, real, mapped, tail) = if let Some(real) = object {
            match rest.as_slice() {
                [kind @ ("static" | "dynamic"), mapped, tail @ ..] => (*kind, real, *mapped, tail),
                _ => return Ok(self.unread(line)),
            }
        } else {
            match rest.as_slice() {
                [
                    "source",
                    kind @ ("static" | "dynamic"),
                    real,
                    mapped,
                    tail @ ..,
                ] => {
                    let Some(real) = self.nat_addresses(real, line, fqdn)? else {
                        return Ok(None);
                    };
                    (*kind, real, *mapped, tail)
                }
                _ => return Ok(self.unread(line)),
            }
        };
        // `dynamic pat-pool OBJ`: the pool is the mapped address.
        let (mapped, tail) = match (mapped, tail) {
            ("pat-pool", [pool, tail @ ..]) => (*pool, tail),
            ("pat-pool", []) => return Ok(self.unread(line)),
            _ => (mapped, tail),
        };
        let Some(opts) = self.nat_options(line, tail, twice) else {
            return Ok(None);
        };
        let Some(mapped_addresses) = self.mapped_addresses(line, mapped, own, &interface, fqdn)?
        else {
            return Ok(None);
        };
        let entry = |translation| common::nat_entry(file, line, translation);
        let section = match (twice, after_auto, kind) {
            (true, false, _) => 1,
            (false, _, "static") => 2,
            (false, _, _) => 3,
            (true, true, _) => 4,
        };
        let translation = match kind {
            "static" => self.static_translation(line, &interface, &real, &mapped_addresses, &opts),
            _ => self.dynamic_translation(
                line,
                &interface,
                &real,
                &mapped_addresses,
                opts.destination,
                fqdn,
            )?,
        };
        let Some(translation) = translation else {
            return Ok(None);
        };
        let entries = vec![entry(translation)];
        Ok(Some((section, line, entries)))
    }

    /// The options after the mapped address: a port translation (object NAT), a destination
    /// (twice NAT); `None` when the statement is not imported (an inactive rule, a form not
    /// read), with a warning.
    fn nat_options<'w>(
        &mut self,
        line: usize,
        tail: &[&'w str],
        twice: bool,
    ) -> Option<NatOptions<'w>> {
        let mut service: Option<(u8, u16, u16)> = None;
        let mut destination: Option<(&str, &str)> = None;
        let mut i = 0;
        while i < tail.len() {
            match (tail[i], twice) {
                ("service", false) => {
                    let proto = match tail.get(i + 1) {
                        Some(&"tcp") => TCP,
                        Some(&"udp") => UDP,
                        _ => return self.not_read(line),
                    };
                    let (Some(r), Some(m)) = (
                        tail.get(i + 2).and_then(|t| port(t, proto)),
                        tail.get(i + 3).and_then(|t| port(t, proto)),
                    ) else {
                        return self.not_read(line);
                    };
                    service = Some((proto, r, m));
                    i += 4;
                }
                ("destination", true) => {
                    match (tail.get(i + 1), tail.get(i + 2), tail.get(i + 3)) {
                        (Some(&"static"), Some(a), Some(b)) => destination = Some((a, b)),
                        _ => return self.not_read(line),
                    }
                    i += 4;
                }
                ("service", true) => {
                    self.nat_approximated(
                        line,
                        "a twice-NAT `service` is not modelled: read for every service",
                    );
                    i += 3;
                }
                // Options that change nothing the model sees.
                (
                    "dns" | "no-proxy-arp" | "route-lookup" | "unidirectional" | "inactive"
                    | "net-to-net" | "extended" | "flat" | "include-reserve" | "round-robin"
                    | "block-allocation" | "interface",
                    _,
                ) => {
                    if tail[i] == "inactive" {
                        self.warn(line, "inactive NAT rule: not imported, as on the ASA");
                        return None;
                    }
                    i += 1;
                }
                (other, _) => {
                    self.nat_approximated(
                        line,
                        &format!("`{}` is not modelled: read without it", shown(other)),
                    );
                    i += 1;
                }
            }
        }
        Some(NatOptions {
            service,
            destination,
        })
    }

    /// The mapped side: the interface's own address, an address, or a network object.
    fn mapped_addresses(
        &mut self,
        line: usize,
        mapped: &str,
        own: Option<Ipv4Addr>,
        interface: &str,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Mapped>, ImportError> {
        Ok(Some(match mapped {
            "interface" => match own {
                Some(a) => Mapped::Interface(a),
                None => {
                    self.warn(
                        line,
                        format!(
                            "NAT to the address of {interface}, which is not known: not imported \
                             (its addresses are analysed untranslated)"
                        ),
                    );
                    return Ok(None);
                }
            },
            m => match m.parse::<Ipv4Addr>() {
                Ok(a) => Mapped::Addresses(vec![AddrRange::single(a)]),
                Err(_) => match self.nat_addresses(m, line, fqdn)? {
                    Some(set) => Mapped::Addresses(set),
                    None => return Ok(None),
                },
            },
        }))
    }

    /// A static NAT: a port forward when `service` translates ports, else a 1:1 mapping of
    /// prefixes of one length; `None` (with a warning) when it is neither.
    fn static_translation(
        &mut self,
        line: usize,
        interface: &str,
        real: &[AddrRange],
        mapped: &Mapped,
        opts: &NatOptions<'_>,
    ) -> Option<Translation> {
        let (service, destination) = (opts.service, opts.destination);
        if let Some((a, b)) = destination
            && a != b
        {
            self.nat_approximated(
                line,
                "its `destination` translation is not modelled: read as a static NAT \
                 for every destination",
            );
        } else if destination.is_some_and(|(a, _)| a != "any") {
            self.nat_approximated(
                line,
                "its `destination` condition is not modelled: read as a static NAT for \
                 every destination",
            );
        }
        let (Some(inside), Some(outside)) = (prefix(real), mapped_prefix(mapped)) else {
            self.warn(
                line,
                "static NAT between address sets that are not prefixes: not imported \
                 (its addresses are analysed untranslated)",
            );
            return None;
        };
        match service {
            Some((proto, real_port, mapped_port)) => {
                if inside.prefix_len() != 32 || outside.prefix_len() != 32 {
                    return self.not_read(line);
                }
                Some(Translation::Destination {
                    interface: Some(at(interface.to_string())),
                    from: vec![at(Selector::Any)],
                    destination: at(outside),
                    service: at(common::ports(proto, mapped_port, mapped_port)),
                    translated: at(inside),
                    port: (real_port != mapped_port).then(|| at(real_port)),
                })
            }
            None if inside.prefix_len() == outside.prefix_len() => Some(Translation::Static {
                interface: at(interface.to_string()),
                inside: at(inside),
                outside: at(outside),
            }),
            None => {
                self.warn(
                    line,
                    "static NAT between prefixes of different lengths: not imported \
                     (its addresses are analysed untranslated)",
                );
                None
            }
        }
    }

    /// A dynamic NAT: the sources translated to the interface's address, an address or a
    /// pool, towards every destination or the one a twice NAT names (without translating
    /// it); `None` (with a warning) otherwise.
    fn dynamic_translation(
        &mut self,
        line: usize,
        interface: &str,
        real: &[AddrRange],
        mapped: &Mapped,
        destination: Option<(&str, &str)>,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Translation>, ImportError> {
        let to = match destination {
            None => vec![at(Selector::Any)],
            Some((a, b)) if a == b => match self.nat_addresses(a, line, fqdn)? {
                Some(set) => selectors(&set),
                None => return Ok(None),
            },
            Some(_) => {
                self.warn(
                    line,
                    "dynamic NAT with a `destination` translation is not modelled: not \
                     imported (its sources are analysed untranslated)",
                );
                return Ok(None);
            }
        };
        let to_source = match mapped {
            Mapped::Interface(_) => SourceAddress::Masquerade(Default::default()),
            Mapped::Addresses(set) if set.len() == 1 && set[0].first == set[0].last => {
                SourceAddress::Address(at(Ipv4Addr::from(set[0].first)))
            }
            Mapped::Addresses(set) => SourceAddress::Pool(set.iter().copied().map(at).collect()),
        };
        Ok(Some(Translation::Source {
            interface: at(interface.to_string()),
            from: selectors(real),
            to,
            service: at(crate::model::Service::Any),
            to_source,
        }))
    }

    /// A twice-NAT address operand: `any`, or a network object or group.
    fn nat_addresses(
        &mut self,
        name: &str,
        line: usize,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Vec<AddrRange>>, ImportError> {
        if name == "any" {
            return Ok(Some(vec![AddrRange::ALL]));
        }
        if self.net_objects.contains_key(name) {
            return self.nat_object(name, line, fqdn);
        }
        let mut seen = Vec::new();
        match self.network_group(name, line, fqdn, &mut seen) {
            Ok(set) if set.why.is_empty() => Ok(Some(common::normalize(set.upper))),
            _ => {
                self.warn(
                    line,
                    format!(
                        "NAT not imported: `{}` is not an object or group whose addresses are \
                         known exactly (its addresses are analysed untranslated)",
                        shown(name)
                    ),
                );
                Ok(None)
            }
        }
    }

    fn nat_approximated(&mut self, line: usize, what: &str) {
        self.warn_on(
            line,
            "NAT read approximately",
            format!("NAT rule read approximately: {what} (it may translate more than the ASA)"),
        );
    }

    /// [`unread`](Self::unread) inside a step of a statement: warns, and the step reads
    /// nothing.
    fn not_read<T>(&mut self, line: usize) -> Option<T> {
        self.unread(line);
        None
    }

    fn unread(&mut self, line: usize) -> Option<Sectioned> {
        self.warn_on(
            line,
            "NAT forms not mapped onto the model",
            "`nat` form not mapped onto the model: its addresses are analysed untranslated",
        );
        None
    }
}

/// The options of a `nat` statement the model reads.
struct NatOptions<'w> {
    /// Object NAT `service PROTO REAL MAPPED`: protocol, real and mapped port.
    service: Option<(u8, u16, u16)>,
    /// Twice NAT `destination static MAPPED REAL`.
    destination: Option<(&'w str, &'w str)>,
}

/// The mapped side: the interface's own address, or addresses.
enum Mapped {
    Interface(Ipv4Addr),
    Addresses(Vec<AddrRange>),
}

fn mapped_prefix(m: &Mapped) -> Option<Ipv4Net> {
    match m {
        Mapped::Interface(a) => Ipv4Net::new(*a, 32).ok(),
        Mapped::Addresses(set) => prefix(set),
    }
}

/// The set as one prefix, when it is one.
fn prefix(set: &[AddrRange]) -> Option<Ipv4Net> {
    let [r] = set else { return None };
    let size = r.size();
    if !size.is_power_of_two() || u64::from(r.first) % size != 0 {
        return None;
    }
    let len = 32 - size.trailing_zeros();
    Ipv4Net::new(Ipv4Addr::from(r.first), len as u8).ok()
}

fn selectors(set: &[AddrRange]) -> Vec<crate::model::At<Selector>> {
    if set == [AddrRange::ALL] {
        return vec![at(Selector::Any)];
    }
    set.iter().map(|r| at(Selector::Addr(*r))).collect()
}
