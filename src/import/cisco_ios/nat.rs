//! IOS NAT (`ip nat inside|outside` on interfaces, `ip nat pool`, `ip nat inside source ...`)
//! read as `[[firewall.nat]]` entries.
//!
//! IOS translates only packets crossing from an `ip nat inside` interface to an `ip nat
//! outside` one and back, and in an order that depends on the direction: inside → outside is
//! routed first and translated after; outside → inside is translated first and routed after.
//! Interface ACLs see the packet as it arrives (`in`) and as it leaves (`out`). That is the
//! model's fixed pipeline read from the outside interface: the inbound half of every entry
//! acts where the model's destination NAT does (before the route), the outbound half where its
//! source NAT does (after the route). So each statement becomes one entry per mapped outside
//! interface:
//!
//! - `ip nat inside source static L G` (and `static network L G /N`): static 1:1;
//! - `ip nat inside source static tcp|udp L LP G GP`: a destination NAT (a port forward); its
//!   replies are translated back by the model, as by the device;
//! - `ip nat inside source list ACL pool P | interface I [overload]`: a source NAT per permit
//!   entry of the ACL (less the `deny` entries before it) and per service, to the pool's
//!   range or the interface's address.
//!
//! Statics come first, then port forwards, then dynamic entries: IOS prefers a static
//! translation over a dynamic one, and the model takes the first entry that matches.
//! Everything else (`ip nat outside source`, `route-map`, NVI `ip nat source`) is warned.

use super::acl::shown;
use super::{Config, Groups, Interface, Line, Word};
use crate::import::ImportError;
use crate::import::common::{self, Match, at};
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange, Nat, Rule, Selector, SourceAddress, Translation};
use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Which side of the translation an interface is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Inside,
    Outside,
}

/// The NAT commands of a configuration, read before the interfaces are known.
#[derive(Default)]
pub(super) struct NatConfig<'a> {
    /// `ip nat inside|outside` per interface name, with its line.
    pub(super) sides: BTreeMap<String, (Side, usize)>,
    /// Top-level `ip nat ...` lines, in order.
    pub(super) lines: Vec<Line<'a>>,
}

/// The global address of a static entry: an address, or the address of an interface.
enum Global {
    Addr(Ipv4Addr),
    Interface(String),
}

/// A parsed `ip nat inside source` statement.
enum Statement {
    Static {
        local: Ipv4Net,
        global: Ipv4Net,
    },
    Forward {
        proto: u8,
        local: Ipv4Addr,
        local_port: u16,
        global: Global,
        global_port: u16,
    },
    List {
        acl: String,
        to: Dynamic,
    },
}

enum Dynamic {
    Pool(String),
    Interface(String),
}

impl<'a> Config<'a> {
    /// `ip nat inside|outside` (and NVI `ip nat enable`) inside an interface block.
    pub(super) fn nat_side(&mut self, iface: &str, line: usize, cw: &[Word<'_>]) {
        let side = match cw.get(2).map(|w| w.text) {
            Some("inside") => Side::Inside,
            Some("outside") => Side::Outside,
            Some("enable") => {
                return self.warn_on(
                    line,
                    "NAT virtual interface (`ip nat enable`) not modelled",
                    format!(
                        "`ip nat enable` on {iface} (NAT virtual interface) not modelled: its \
                         `ip nat source` statements are not imported, so translated traffic is \
                         analysed untranslated"
                    ),
                );
            }
            other => {
                return self.warn(
                    line,
                    format!(
                        "`ip nat {}` on {iface} ignored (expected inside or outside)",
                        shown(other.unwrap_or(""))
                    ),
                );
            }
        };
        self.nat.sides.insert(iface.to_string(), (side, line));
    }

    /// The NAT entries of the mapped interfaces, appended to `nat`.
    pub(super) fn nat_entries(
        &mut self,
        file: &str,
        interfaces: &[Interface],
        mapped: &dyn Fn(&str) -> bool,
        groups: &Groups,
        nat: &mut Vec<Nat>,
    ) -> Result<(), ImportError> {
        let (pools, mut statements) = self.read_statements();
        if statements.is_empty() {
            return Ok(());
        }
        let outside: Vec<&Interface> = interfaces
            .iter()
            .filter(|i| self.side(&i.name) == Some(Side::Outside) && mapped(&i.name))
            .collect();
        let has_inside = interfaces
            .iter()
            .any(|i| self.side(&i.name) == Some(Side::Inside));
        if outside.is_empty() || !has_inside {
            let missing = if has_inside {
                "no mapped interface is `ip nat outside`"
            } else {
                "no interface is `ip nat inside`"
            };
            return self.nothing_translated(statements[0].0, missing);
        }
        let address_of = |name: &str| interfaces.iter().find(|i| i.name == name)?.ip;
        // Statics first, then port forwards, then dynamic entries (see the module comment).
        statements.sort_by_key(|(_, s)| match s {
            Statement::Static { .. } => 0,
            Statement::Forward { .. } => 1,
            Statement::List { .. } => 2,
        });
        for (line, s) in statements {
            let entry = |translation| common::nat_entry(file, line, translation);
            match s {
                Statement::Static { local, global } => {
                    for o in &outside {
                        nat.push(entry(Translation::Static {
                            interface: at(o.name.clone()),
                            inside: at(local),
                            outside: at(global),
                        }));
                    }
                }
                Statement::Forward {
                    proto,
                    local,
                    local_port,
                    global,
                    global_port,
                } => {
                    let destination = self.forward_destination(line, global, &address_of);
                    for o in &outside {
                        nat.push(entry(Translation::Destination {
                            interface: Some(at(o.name.clone())),
                            from: vec![at(Selector::Any)],
                            destination: at(destination),
                            service: at(common::ports(proto, global_port, global_port)),
                            translated: at(host(local)),
                            port: (local_port != global_port).then(|| at(local_port)),
                        }));
                    }
                }
                Statement::List { acl, to } => {
                    let rules = match self.acls.get(&acl) {
                        Some(a) if !a.entries.is_empty() => self.convert(file, &acl, groups)?,
                        _ => {
                            self.warn(
                                line,
                                format!(
                                    "NAT list {} is not defined or empty: IOS translates \
                                     nothing by it",
                                    shown(&acl)
                                ),
                            );
                            continue;
                        }
                    };
                    self.dynamic(
                        line,
                        &acl,
                        &rules,
                        &to,
                        &pools,
                        &outside,
                        &address_of,
                        nat,
                        &entry,
                    );
                }
            }
        }
        Ok(())
    }

    /// The `ip nat` lines read: the pools by name, and the `inside source` statements with
    /// their lines; the other forms are warned about.
    fn read_statements(&mut self) -> (BTreeMap<String, AddrRange>, Vec<(usize, Statement)>) {
        let lines = std::mem::take(&mut self.nat.lines);
        let mut pools: BTreeMap<String, AddrRange> = BTreeMap::new();
        let mut statements = Vec::new();
        for line in &lines {
            let words = line.words();
            let w: Vec<&str> = words.iter().map(|w| w.text).collect();
            match w.get(2..).unwrap_or(&[]) {
                ["pool", name, rest @ ..] => match pool(rest) {
                    Some(range) => {
                        pools.insert(name.to_string(), range);
                    }
                    None => self.warn(
                        line.no,
                        format!(
                            "`ip nat pool {}` not read (expected START END netmask M or \
                             prefix-length N): statements using it are not imported",
                            shown(name)
                        ),
                    ),
                },
                ["inside", "source", rest @ ..] => match self.statement(line.no, rest) {
                    Some(s) => statements.push((line.no, s)),
                    None => continue,
                },
                ["outside", "source", ..] | ["inside", "destination", ..] => self.warn_on(
                    line.no,
                    "NAT forms not mapped onto the model",
                    format!(
                        "`ip nat {} {}` not mapped onto the model: the addresses it translates \
                         are analysed untranslated",
                        w[2], w[3]
                    ),
                ),
                ["source", ..] => self.warn_on(
                    line.no,
                    "NAT virtual interface (`ip nat enable`) not modelled",
                    "`ip nat source` (NAT virtual interface) not modelled: analysed untranslated",
                ),
                // Timeouts, logging, ALG switches, HA: they do not change which packets pass.
                [
                    "translation" | "log" | "service" | "stateful" | "settings",
                    ..,
                ] => self.skipped(line.no),
                [] => self.warn(line.no, "`ip nat` without a statement ignored"),
                _ => self.warn(
                    line.no,
                    format!("unsupported NAT command `ip nat {}` ignored", shown(w[2])),
                ),
            }
        }
        (pools, statements)
    }

    /// Where a port forward's packets are sent: the global address, or the interface's.
    fn forward_destination(
        &mut self,
        line: usize,
        global: Global,
        address_of: &dyn Fn(&str) -> Option<Ipv4Addr>,
    ) -> Ipv4Net {
        match global {
            Global::Addr(a) => host(a),
            Global::Interface(name) => match address_of(&name) {
                Some(a) => host(a),
                None => {
                    // The device forwards whatever address the interface has:
                    // every address on that port is forwarded (more than the
                    // device does, never less).
                    self.warn(
                        line,
                        format!(
                            "the port forward uses the address of {name}, which is \
                             not known (not in the configuration or not static): \
                             imported as forwarding that port of every address, an \
                             over-approximation"
                        ),
                    );
                    Ipv4Net::default()
                }
            },
        }
    }

    fn side(&self, iface: &str) -> Option<Side> {
        self.nat.sides.get(iface).map(|s| s.0)
    }

    fn nothing_translated(&mut self, line: usize, why: &str) -> Result<(), ImportError> {
        self.warn(
            line,
            format!("NAT statements imported as no translation: {why}, so IOS translates nothing"),
        );
        Ok(())
    }

    /// One source NAT per outside interface, permit entry of the list and service.
    #[allow(clippy::too_many_arguments)]
    fn dynamic(
        &mut self,
        line: usize,
        acl: &str,
        rules: &[Rule],
        to: &Dynamic,
        pools: &BTreeMap<String, AddrRange>,
        outside: &[&Interface],
        address_of: &dyn Fn(&str) -> Option<Ipv4Addr>,
        nat: &mut Vec<Nat>,
        entry: &dyn Fn(Translation) -> Nat,
    ) {
        // Each `permit` entry translates its packets less those of the `deny` entries before
        // it, which IOS leaves untranslated: the model has no such entry, so they are taken
        // out of the later ones, exactly.
        let mut translated: Vec<Rule> = Vec::new();
        let mut exempt: Vec<Match> = Vec::new();
        for r in rules {
            let m = Match::of_rule(r);
            if r.action != Action::Allow {
                exempt.push(m);
                continue;
            }
            let mut pieces = vec![m];
            for e in &exempt {
                pieces = e.taken_out_of(pieces, &Default::default());
            }
            let origin = r.origin.clone().unwrap_or_default();
            translated.extend(
                pieces
                    .iter()
                    .filter_map(|p| p.to_rule(Action::Allow, origin.clone(), None)),
            );
        }
        if rules.iter().any(|r| r.approximation.is_some()) {
            self.warn(
                line,
                format!(
                    "NAT list {} is read approximately (see its entries' warnings): the \
                     translated packets may differ",
                    shown(acl)
                ),
            );
        }
        for o in outside {
            let to_source = match to {
                Dynamic::Pool(name) => match pools.get(name) {
                    Some(range) => SourceAddress::Pool(vec![at(*range)]),
                    None => {
                        self.warn(
                            line,
                            format!(
                                "NAT pool {} is not defined: IOS translates nothing by this \
                                 statement",
                                shown(name)
                            ),
                        );
                        return;
                    }
                },
                Dynamic::Interface(name) if *name == o.name && o.ip.is_some() => {
                    SourceAddress::Masquerade(Default::default())
                }
                Dynamic::Interface(name) => match address_of(name) {
                    Some(a) => SourceAddress::Address(at(a)),
                    None => {
                        self.warn(
                            line,
                            format!(
                                "NAT to the address of {name}, which is not known (not in the \
                                 configuration or not static): imported as no translation on \
                                 {}, so unsolicited packets to the inside addresses are not \
                                 stopped by it",
                                o.name
                            ),
                        );
                        continue;
                    }
                },
            };
            for r in &translated {
                for service in &r.services {
                    nat.push(entry(Translation::Source {
                        interface: at(o.name.clone()),
                        from: r.from.clone(),
                        to: r.to.clone(),
                        service: service.clone(),
                        to_source: to_source.clone(),
                    }));
                }
            }
        }
    }

    /// The words after `ip nat inside source`.
    fn statement(&mut self, line: usize, w: &[&str]) -> Option<Statement> {
        let (head, options) = match w {
            ["static", "network", l, g, len, rest @ ..] => {
                let len = match len.strip_prefix('/') {
                    Some(n) => n.parse::<u8>().ok(),
                    None => len.parse::<Ipv4Addr>().ok().and_then(common::mask_len),
                };
                let pair = len.and_then(|len| {
                    let l = Ipv4Net::new(l.parse().ok()?, len).ok()?.trunc();
                    let g = Ipv4Net::new(g.parse().ok()?, len).ok()?.trunc();
                    Some((l, g))
                });
                match pair {
                    Some((local, global)) => (Statement::Static { local, global }, rest),
                    None => return self.unread(line, "static network"),
                }
            }
            ["static", p @ ("tcp" | "udp"), l, lp, g, gp, rest @ ..] => {
                let proto = if *p == "tcp" { TCP } else { UDP };
                let port = |t: &str| super::port_number(t, proto).filter(|p| *p > 0);
                let (global, gp, rest) = if *g == "interface" {
                    // `... interface Dialer1 80`: the global port follows the name.
                    match rest {
                        [port_word, rest @ ..] => {
                            (Some(Global::Interface(gp.to_string())), *port_word, rest)
                        }
                        [] => return self.unread(line, "static port forward"),
                    }
                } else {
                    (g.parse().ok().map(Global::Addr), *gp, rest)
                };
                match (l.parse(), port(lp), global, port(gp)) {
                    (Ok(local), Some(local_port), Some(global), Some(global_port)) => (
                        Statement::Forward {
                            proto,
                            local,
                            local_port,
                            global,
                            global_port,
                        },
                        rest,
                    ),
                    _ => return self.unread(line, "static port forward"),
                }
            }
            ["static", l, g, rest @ ..] if !matches!(*l, "tcp" | "udp" | "network" | "esp") => {
                match (l.parse::<Ipv4Addr>(), g.parse::<Ipv4Addr>()) {
                    (Ok(l), Ok(g)) => (
                        Statement::Static {
                            local: host(l),
                            global: host(g),
                        },
                        rest,
                    ),
                    _ => return self.unread(line, "static"),
                }
            }
            ["list", acl, "pool", name, rest @ ..] => (
                Statement::List {
                    acl: acl.to_string(),
                    to: Dynamic::Pool(name.to_string()),
                },
                rest,
            ),
            ["list", acl, "interface", name, rest @ ..] => (
                Statement::List {
                    acl: acl.to_string(),
                    to: Dynamic::Interface(name.to_string()),
                },
                rest,
            ),
            ["route-map", ..] => {
                self.warn_on(
                    line,
                    "NAT forms not mapped onto the model",
                    "`ip nat inside source route-map` not mapped onto the model (route-maps \
                     are not read): the addresses it translates are analysed untranslated",
                );
                return None;
            }
            _ => return self.unread(line, "inside source"),
        };
        self.options(line, &head, options);
        Some(head)
    }

    /// Options after a statement: those that do not change which packets are translated pass;
    /// the others are read as if absent (a static then translates more packets than the
    /// device), with a warning.
    fn options(&mut self, line: usize, s: &Statement, options: &[&str]) {
        let mut rest = options.iter();
        while let Some(o) = rest.next() {
            match *o {
                "overload" if matches!(s, Statement::List { .. }) => {}
                // `extendable` allows several statics for one address; `no-payload` concerns
                // addresses inside payloads; `reversible` lets the outside open connections.
                "extendable" | "no-payload" | "reversible" => {}
                "route-map" | "vrf" | "redundancy" | "mapping-id" => {
                    rest.next();
                    self.approximated(line, o);
                }
                other => self.approximated(line, other),
            }
        }
    }

    fn approximated(&mut self, line: usize, option: &str) {
        self.warn_on(
            line,
            "NAT options not modelled",
            format!(
                "NAT option `{}` not modelled: the statement is read without it, so it \
                 translates every packet it would match without the option",
                shown(option)
            ),
        );
    }

    fn unread(&mut self, line: usize, form: &str) -> Option<Statement> {
        self.warn(
            line,
            format!(
                "`ip nat inside source {form}` not read (unexpected words): its addresses are \
                 analysed untranslated"
            ),
        );
        None
    }
}

/// `START END netmask M` or `START END prefix-length N`: the pool's range.
fn pool(rest: &[&str]) -> Option<AddrRange> {
    let [start, end, kind, value, ..] = rest else {
        return None;
    };
    let (start, end) = (
        start.parse::<Ipv4Addr>().ok()?,
        end.parse::<Ipv4Addr>().ok()?,
    );
    match *kind {
        "netmask" => common::mask_len(value.parse().ok()?)?,
        "prefix-length" => value.parse::<u8>().ok().filter(|n| *n <= 32)?,
        _ => return None,
    };
    (start <= end).then(|| AddrRange {
        first: start.into(),
        last: end.into(),
    })
}

fn host(a: Ipv4Addr) -> Ipv4Net {
    Ipv4Net::new(a, 32).expect("a /32 is a prefix")
}
