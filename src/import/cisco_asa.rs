//! Cisco ASA (`show running-config`) → one stateful firewall.
//!
//! What the ASA does with a packet entering interface A and leaving interface B:
//!
//! - A has an inbound access-group (`access-group ACL in interface A`): the ACL decides, first
//!   match, with an implicit deny at its end — unless a global access-group exists
//!   (`access-group ACL global`), whose entries then follow every interface ACL, and whose
//!   implicit deny ends everything.
//! - A has none (and there is no global ACL): security levels decide: from a higher level to a
//!   lower one passes, from lower to higher is dropped.
//! - Between two interfaces of the same security level everything is dropped, whatever the
//!   ACLs, unless `same-security-traffic permit inter-interface` (then an interface without ACL
//!   also passes to its peers).
//! - B has an outbound access-group: its ACL decides too, after that.
//! - Replies of allowed connections return (the ASA is stateful).
//!
//! That is a first-match policy list with `in`/`out` interfaces (each interface's ACL restricted
//! to packets entering through it, its implicit deny, the security-level passes for interfaces
//! without ACL, the global ACL), `default = "deny"`, outbound ACLs as `out` filters, and
//! `stateful = true`. The interfaces are named by `nameif` (the mapping may name the `nameif`
//! or the hardware name). ACLs name real (untranslated) addresses since ASA 8.3, which is what
//! the model analyses; NAT statements become `[[firewall.nat]]` entries (`nat.rs`).
//!
//! Objects (`object network`/`service`), object-groups (`network`, `service` with `port-object`
//! or `service-object`, `protocol`, `icmp-type`), `name` aliases and `interface NAME` addresses
//! are resolved exactly where the model can say them; what it cannot (an FQDN object without the
//! mapping's `[fqdn]`, a `time-range`, a user group, ICMP types, source ports) is read so that
//! a permit can only match more and a deny less, and the rules say so in their
//! `approximation`. Secrets (`enable password`, `passwd`, user passwords, pre-shared keys, SNMP
//! communities, AAA keys) are never read into the result: their lines are skipped unread, and
//! messages quote only keywords and names.

mod nat;

use super::cisco_ios::{Line, Word, block_end, port_number, protocol_number, shown, split_lines};
use super::common::{self, Approximations, Match};
use super::{ImportError, Imported, Mapping, Warning};
use crate::model::service::{ICMP, PortRange, TCP, UDP};
use crate::model::{Action, AddrRange, At, Direction, Filter, Rule, Service};
use crate::source::Loc;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    let lines = split_lines(text)?;
    if !lines.iter().any(|l| is_asa_marker(l.text)) {
        return Err(ImportError::at_line(
            1,
            "this does not look like a Cisco ASA configuration (no `ASA Version`, `nameif`, \
             `access-group`, `object network` or other ASA command found)",
        ));
    }
    let mut config = Config::default();
    config.read(&lines);
    config.build(file, map)
}

/// A line only an ASA writes this way.
fn is_asa_marker(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("ASA Version")
        || t.starts_with("nameif ")
        || t.starts_with("access-group ")
        || t.starts_with("same-security-traffic")
        || t.starts_with("security-level ")
        || (t.starts_with("access-list ") && t.contains(" extended "))
}

/// A set read from the configuration: `lower` ⊆ what the ASA matches ⊆ `upper`; `why` says
/// what makes them differ (empty when they are equal).
#[derive(Clone, Debug, PartialEq)]
struct Set<T> {
    lower: Vec<T>,
    upper: Vec<T>,
    why: Vec<String>,
}

impl<T: Clone> Set<T> {
    fn exact(v: Vec<T>) -> Set<T> {
        Set {
            lower: v.clone(),
            upper: v,
            why: Vec::new(),
        }
    }

    fn unknown(upper: Vec<T>, why: String) -> Set<T> {
        Set {
            lower: Vec::new(),
            upper,
            why: vec![why],
        }
    }

    fn add(&mut self, other: Set<T>) {
        self.lower.extend(other.lower);
        self.upper.extend(other.upper);
        for w in other.why {
            if !self.why.contains(&w) {
                self.why.push(w);
            }
        }
    }
}

type Addrs = Set<AddrRange>;
type Svcs = Set<Service>;

fn empty<T: Clone>() -> Set<T> {
    Set::exact(Vec::new())
}

/// An `interface` block.
struct Iface {
    hw: String,
    line: usize,
    nameif: Option<(String, usize)>,
    level: Option<(u8, usize)>,
    ip: Option<Ipv4Addr>,
    /// The subnet of `ip address ADDR MASK`, to find the interface of a route by next hop.
    subnet: Option<ipnet::Ipv4Net>,
    management_only: bool,
}

/// What kind of object-group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GroupKind {
    Network,
    /// `object-group service NAME` (service objects) or `… tcp|udp|tcp-udp` (ports).
    Service(Option<&'static [u8]>),
    Protocol,
    IcmpType,
    Other,
}

struct RawGroup<'a> {
    line: usize,
    kind: GroupKind,
    children: Vec<Line<'a>>,
}

/// `access-group ACL in|out interface NAME` or `access-group ACL global`.
#[derive(Clone, Debug)]
struct AccessGroup {
    acl: String,
    /// `None`: global.
    bind: Option<(Direction, String)>,
    line: usize,
}

#[derive(Default)]
struct Config<'a> {
    interfaces: Vec<Iface>,
    names: BTreeMap<String, Ipv4Addr>,
    net_objects: BTreeMap<String, (usize, Vec<Line<'a>>)>,
    svc_objects: BTreeMap<String, (usize, Vec<Line<'a>>)>,
    groups: BTreeMap<String, RawGroup<'a>>,
    /// Extended ACL entries by ACL name, in order.
    acls: BTreeMap<String, Vec<Line<'a>>>,
    access_groups: Vec<AccessGroup>,
    same_security: Option<usize>,
    warnings: Vec<Warning>,
    unmodelled: BTreeMap<&'static str, Vec<usize>>,
    skipped: Option<(usize, usize)>,
    /// Static routes (interfaces by `nameif`), and what makes them a partial table.
    routes: super::routes::RouteTable,
    route_warnings: common::Warnings,
    /// Object NAT and twice NAT statements (`nat.rs`).
    nat: nat::NatConfig<'a>,
}

/// Top-level commands that do not change which IPv4 packets pass through the ASA, or that carry
/// secrets (skipped unread, so their text is never looked at again).
const IGNORED: &[&str] = &[
    "aaa",
    "aaa-server",
    "arp",
    "asdm",
    "auth-prompt",
    "boot",
    "call-home",
    "class-map",
    "clock",
    "console",
    "crashinfo",
    "credentials",
    "crypto",
    "dhcp-client",
    "dhcpd",
    "dhcprelay",
    "dns",
    "domain-name",
    "dynamic-access-policy-record",
    "enable",
    "end",
    "failover",
    "firewall",
    "ftp",
    "group-policy",
    "hostname",
    "http",
    "icmp",
    "ip",
    "ipv6",
    "license",
    "logging",
    "mac-address",
    "management-access",
    "monitor-interface",
    "mtu",
    "ntp",
    "pager",
    "passwd",
    "policy-map",
    "priority-queue",
    "prompt",
    "service",
    "service-policy",
    "snmp-server",
    "ssh",
    "ssl",
    "sysopt",
    "telnet",
    "terminal",
    "tftp-server",
    "threat-detection",
    "timeout",
    "tunnel-group",
    "user-identity",
    "username",
    "vpn-addr-assign",
    "webvpn",
    "xlate",
    "no",
    "names",
    "dns-guard",
    "jumbo-frame",
    "firewall",
    "anyconnect",
];

/// The interfaces imported: model name by `nameif`, model names with their addresses in
/// configuration order, and each one's security level with the line that sets it.
struct Modelled {
    names: BTreeMap<String, String>,
    order: Vec<(String, Option<Ipv4Addr>)>,
    levels: Vec<(String, u8, usize)>,
}

impl<'a> Config<'a> {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning::new(line, message));
    }

    fn warn_on(&mut self, line: usize, topic: &str, message: impl Into<String>) {
        self.warnings.push(Warning::on(line, topic, message));
    }

    fn skipped(&mut self, line: usize) {
        self.skipped.get_or_insert((line, 0)).1 += 1;
    }

    fn unmodelled(&mut self, topic: &'static str, line: usize) {
        self.unmodelled.entry(topic).or_default().push(line);
    }

    fn read(&mut self, lines: &[Line<'a>]) {
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let words = line.words();
            let Some(first) = words.first() else {
                i += 1;
                continue;
            };
            // `: Saved`, `: Serial Number`, `!` separators, `Cryptochecksum:`.
            if first.text.starts_with([':', '!', '#']) || first.text.starts_with("Cryptochecksum") {
                i += 1;
                continue;
            }
            if first.text == "banner" {
                // ASA banners are one line each.
                self.skipped(line.no);
                i += 1;
                continue;
            }
            let end = block_end(lines, i);
            let children = &lines[i + 1..end];
            self.command(line, &words, children);
            i = end;
        }
    }

    fn command(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
        match (w(0), w(1)) {
            ("ASA", _) | (":", _) => {}
            ("interface", _) => self.interface(line, words, children),
            ("name", _) => match w(1).parse::<Ipv4Addr>() {
                Ok(a) if !w(2).is_empty() => {
                    self.names.insert(w(2).to_string(), a);
                }
                _ => self.skipped(line.no),
            },
            ("object", "network") if !w(2).is_empty() => {
                for c in children {
                    if c.text.trim_start().starts_with("nat ") {
                        self.nat.object.push((w(2).to_string(), *c));
                    }
                }
                self.net_objects
                    .insert(w(2).to_string(), (line.no, children.to_vec()));
            }
            ("object", "service") if !w(2).is_empty() => {
                self.svc_objects
                    .insert(w(2).to_string(), (line.no, children.to_vec()));
            }
            ("object-group", kind) if !w(2).is_empty() => {
                let kind = match kind {
                    "network" => GroupKind::Network,
                    "service" => GroupKind::Service(match w(3) {
                        "tcp" => Some(&[TCP]),
                        "udp" => Some(&[UDP]),
                        "tcp-udp" => Some(&[TCP, UDP]),
                        _ => None,
                    }),
                    "protocol" => GroupKind::Protocol,
                    "icmp-type" => GroupKind::IcmpType,
                    _ => GroupKind::Other,
                };
                self.groups.insert(
                    w(2).to_string(),
                    RawGroup {
                        line: line.no,
                        kind,
                        children: children.to_vec(),
                    },
                );
            }
            ("access-list", _) => self.access_list(line, words),
            ("access-group", _) => self.access_group(line, words),
            ("same-security-traffic", "permit") => {
                if w(2) == "inter-interface" {
                    self.same_security = Some(line.no);
                }
            }
            ("nat", _) => self.nat.twice.push(line),
            ("global", _) | ("static", _) => {
                self.unmodelled("NAT before ASA 8.3 (`global`, `static`)", line.no)
            }
            ("route", _) => {
                // A next hop may be written as a `name` (`name 10.0.0.1 isp-gw`).
                let texts: Vec<String> = words[1..]
                    .iter()
                    .enumerate()
                    .map(|(k, w)| match self.names.get(w.text) {
                        Some(a) if k == 3 => a.to_string(),
                        _ => w.text.to_string(),
                    })
                    .collect();
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                super::cisco_ios::routes::asa_route(
                    line.no,
                    &texts,
                    &mut self.routes,
                    &mut self.route_warnings,
                );
            }
            ("router", _) => {
                self.unmodelled("dynamic routing (`router …`)", line.no);
                self.routes
                    .partial(line.no, "`router …` adds routes learnt at run time");
            }
            ("time-range", _) | ("object-group", _) | ("object", _) => self.skipped(line.no),
            ("ipv6", _) => self.unmodelled("IPv6 (format 1 is IPv4 only)", line.no),
            (w0, _) if IGNORED.contains(&w0) => self.skipped(line.no),
            (w0, _) => self.warn(
                line.no,
                format!("unsupported command `{}` ignored", shown(w0)),
            ),
        }
    }

    fn interface(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let Some(hw) = words.get(1) else {
            self.warn(line.no, "`interface` without a name ignored");
            return;
        };
        let mut iface = Iface {
            hw: hw.text.to_string(),
            line: line.no,
            nameif: None,
            level: None,
            ip: None,
            subnet: None,
            management_only: false,
        };
        for c in children {
            let cw = c.words();
            let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            match (w(0), w(1)) {
                ("nameif", n) if !n.is_empty() => iface.nameif = Some((n.to_string(), c.no)),
                ("security-level", n) => match n.parse::<u8>() {
                    Ok(l) if l <= 100 => iface.level = Some((l, c.no)),
                    _ => self.warn(
                        c.no,
                        format!("security level `{}` is not 0-100; ignored", shown(n)),
                    ),
                },
                ("ip", "address") => match w(2).parse::<Ipv4Addr>() {
                    Ok(a) => {
                        iface.ip = Some(a);
                        iface.subnet = w(3)
                            .parse::<Ipv4Addr>()
                            .ok()
                            .and_then(|m| super::routes::prefix_of(Ipv4Addr::UNSPECIFIED, m))
                            .and_then(|len| ipnet::Ipv4Net::new(a, len.prefix_len()).ok())
                            .map(|n| n.trunc());
                    }
                    Err(_) => self.warn(
                        c.no,
                        format!(
                            "{} takes its address from `{}`: imported without an address",
                            iface.hw,
                            shown(w(2))
                        ),
                    ),
                },
                ("management-only", _) => iface.management_only = true,
                ("policy-route", _) => self.routes.partial(
                    c.no,
                    format!("{} routes packets by policy (`policy-route`)", iface.hw),
                ),
                ("ipv6", _) => self.unmodelled("IPv6 (format 1 is IPv4 only)", c.no),
                (
                    "description" | "speed" | "duplex" | "vlan" | "shutdown" | "no" | "mtu"
                    | "channel-group" | "member-interface" | "media-type" | "flowcontrol" | "pppoe"
                    | "delay" | "ddns" | "dhcp" | "authentication" | "ospf" | "igmp" | "pim"
                    | "lacp" | "nve-only" | "mac-address",
                    _,
                ) => {}
                (t, _) if t.starts_with('!') => {}
                (t, _) => self.warn(
                    c.no,
                    format!(
                        "unsupported interface command `{}` on {} ignored",
                        shown(t),
                        iface.hw
                    ),
                ),
            }
        }
        self.interfaces.push(iface);
    }

    /// `access-list NAME [line N] extended …` (other kinds do not filter forwarded packets
    /// through an access-group).
    fn access_list(&mut self, line: Line<'a>, words: &[Word<'a>]) {
        let Some(name) = words.get(1) else {
            self.warn(line.no, "`access-list` without a name ignored");
            return;
        };
        let mut k = 2;
        if words.get(k).is_some_and(|w| w.text == "line") {
            k += 2;
        }
        match words.get(k).map(|w| w.text) {
            Some("extended") => self
                .acls
                .entry(name.text.to_string())
                .or_default()
                .push(line),
            Some("remark") => {
                self.acls.entry(name.text.to_string()).or_default();
            }
            Some("standard" | "webtype" | "ethertype") => self.skipped(line.no),
            _ => self.warn(
                line.no,
                format!(
                    "access-list {} entry not understood (expected `extended`); ignored",
                    shown(name.text)
                ),
            ),
        }
    }

    fn access_group(&mut self, line: Line<'a>, words: &[Word<'a>]) {
        let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
        let acl = w(1).to_string();
        let bind = match (w(2), w(3), w(4)) {
            ("global", _, _) => None,
            ("in", "interface", n) if !n.is_empty() => Some((Direction::In, n.to_string())),
            ("out", "interface", n) if !n.is_empty() => Some((Direction::Out, n.to_string())),
            _ => {
                self.warn(
                    line.no,
                    "`access-group` not understood (expected `in|out interface NAME` or `global`); ignored",
                );
                return;
            }
        };
        if words.iter().any(|w| w.text == "control-plane") {
            self.warn_on(
                line.no,
                "control-plane ACLs (traffic to the ASA itself) not imported",
                format!(
                    "access-group {} control-plane filters traffic to the ASA itself: not imported",
                    shown(&acl)
                ),
            );
            return;
        }
        // A second access-group for the same interface and direction replaces the first.
        if let Some(old) = self.access_groups.iter().position(|g| {
            g.bind.as_ref().map(|b| (b.0, &b.1)) == bind.as_ref().map(|b| (b.0, &b.1))
        }) {
            let old = self.access_groups.remove(old);
            self.warn(
                line.no,
                format!(
                    "a second access-group for the same place replaces `{}` (line {})",
                    shown(&old.acl),
                    old.line
                ),
            );
        }
        self.access_groups.push(AccessGroup {
            acl,
            bind,
            line: line.no,
        });
    }

    // -----------------------------------------------------------------------------------------
    // Objects
    // -----------------------------------------------------------------------------------------

    fn network_object(
        &self,
        name: &str,
        line: usize,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Addrs, ImportError> {
        let Some((_, children)) = self.net_objects.get(name) else {
            return Err(ImportError::at_line(
                line,
                format!("network object `{}` is not defined", shown(name)),
            ));
        };
        let mut set = empty();
        for c in children {
            let cw = c.words();
            let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            let addr = |i: usize| -> Result<u32, ImportError> {
                w(i).parse::<Ipv4Addr>()
                    .map(u32::from)
                    .map_err(|_| ImportError {
                        line: c.no,
                        column: cw.get(i).map_or(1, |w| w.col),
                        message: format!("`{}` is not an IPv4 address", shown(w(i))),
                    })
            };
            match w(0) {
                "host" if w(1).contains(':') => {}
                "host" => set.add(Set::exact(vec![AddrRange::single(addr(1)?.into())])),
                "subnet" if w(1).contains(':') => {}
                "subnet" => set.add(Set::exact(vec![mask_range(
                    addr(1)?,
                    addr(2)?,
                    c.no,
                    cw.get(2).map_or(1, |w| w.col),
                )?])),
                "range" if w(1).contains(':') => {}
                "range" => {
                    let (a, b) = (addr(1)?, addr(2)?);
                    if b < a {
                        return Err(ImportError::at_line(
                            c.no,
                            "the range ends before it starts",
                        ));
                    }
                    set.add(Set::exact(vec![AddrRange { first: a, last: b }]));
                }
                "fqdn" => {
                    let host = if matches!(w(1), "v4" | "v6") {
                        w(2)
                    } else {
                        w(1)
                    };
                    match fqdn.get(name).or_else(|| fqdn.get(host)) {
                        Some(known) => set.add(Set::exact(known.clone())),
                        None => set.add(Set::unknown(
                            vec![AddrRange::ALL],
                            format!("network object `{name}` (an FQDN, resolved at run time)"),
                        )),
                    }
                }
                "description" | "nat" | "" => {}
                _ => set.add(Set::unknown(
                    vec![AddrRange::ALL],
                    format!("network object `{name}` (`{}` not read)", shown(w(0))),
                )),
            }
        }
        Ok(set)
    }

    fn network_group(
        &self,
        name: &str,
        line: usize,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
        seen: &mut Vec<String>,
    ) -> Result<Addrs, ImportError> {
        let Some(g) = self
            .groups
            .get(name)
            .filter(|g| g.kind == GroupKind::Network)
        else {
            return Err(ImportError::at_line(
                line,
                format!("network object-group `{}` is not defined", shown(name)),
            ));
        };
        if seen.iter().any(|s| s == name) {
            return Err(ImportError::at_line(
                g.line,
                format!(
                    "object-group {} contains itself (through {})",
                    shown(name),
                    seen.join(" → ")
                ),
            ));
        }
        seen.push(name.to_string());
        let mut set = empty();
        for c in &g.children {
            let cw = c.words();
            let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            match (w(0), w(1)) {
                ("network-object", "object") => set.add(self.network_object(w(2), c.no, fqdn)?),
                ("network-object", "host") => set.add(self.host(&cw, 2, c.no)?),
                ("network-object", a) if a.contains(':') => {}
                ("network-object", _) => {
                    let a = self.address_word(&cw, 1, c.no)?;
                    let m = parse_addr(&cw, 2, c.no)?;
                    set.add(Set::exact(vec![mask_range(
                        a,
                        m,
                        c.no,
                        cw.get(2).map_or(1, |w| w.col),
                    )?]));
                }
                ("group-object", inner) => set.add(self.network_group(inner, c.no, fqdn, seen)?),
                ("description", _) | ("", _) => {}
                (other, _) => set.add(Set::unknown(
                    vec![AddrRange::ALL],
                    format!("object-group `{name}` (`{}` not read)", shown(other)),
                )),
            }
        }
        seen.pop();
        Ok(set)
    }

    /// `host A` (or a `name` alias) at `cw[i]`.
    fn host(&self, cw: &[Word<'_>], i: usize, line: usize) -> Result<Addrs, ImportError> {
        if cw.get(i).is_some_and(|w| w.text.contains(':')) {
            return Ok(empty());
        }
        let a = self.address_word(cw, i, line)?;
        Ok(Set::exact(vec![AddrRange::single(a.into())]))
    }

    /// An address or a `name` alias.
    fn address_word(&self, cw: &[Word<'_>], i: usize, line: usize) -> Result<u32, ImportError> {
        let Some(w) = cw.get(i) else {
            return Err(ImportError {
                line,
                column: cw.last().map_or(1, |w| w.col + w.text.chars().count()),
                message: "an address is missing".into(),
            });
        };
        if let Some(a) = self.names.get(w.text) {
            return Ok(u32::from(*a));
        }
        w.text
            .parse::<Ipv4Addr>()
            .map(u32::from)
            .map_err(|_| ImportError {
                line,
                column: w.col,
                message: format!("`{}` is not an IPv4 address or a `name`", shown(w.text)),
            })
    }

    /// A service object's `service PROTO [source OP …] [destination OP …]`, or an ICMP type.
    fn service_spec(
        &self,
        cw: &[Word<'_>],
        start: usize,
        line: usize,
        what: &str,
    ) -> Result<Svcs, ImportError> {
        let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
        let proto_word = w(start);
        let protos: Vec<u8> = match proto_word {
            "tcp-udp" => vec![TCP, UDP],
            p => match protocol_number(p).or_else(|| asa_protocol(p)) {
                Some(None) => return Ok(Set::exact(vec![Service::Any])),
                Some(Some(n)) => vec![n],
                None => {
                    return Err(ImportError {
                        line,
                        column: cw.get(start).map_or(1, |w| w.col),
                        message: format!("unknown protocol `{}` in {what}", shown(p)),
                    });
                }
            },
        };
        let mut why = Vec::new();
        let mut dst: Option<Vec<PortRange>> = None;
        let mut k = start + 1;
        while k < cw.len() {
            match w(k) {
                "source" => {
                    let (ports, used) = port_op(cw, k + 1, protos[0], line)?;
                    k += 1 + used;
                    if ports.is_some() {
                        why.push(format!("source ports of {what}"));
                    }
                }
                "destination" => {
                    let (ports, used) = port_op(cw, k + 1, protos[0], line)?;
                    k += 1 + used;
                    dst = ports;
                }
                op if matches!(op, "eq" | "neq" | "lt" | "gt" | "range")
                    && protos.iter().all(|p| *p == TCP || *p == UDP) =>
                {
                    let (ports, used) = port_op(cw, k, protos[0], line)?;
                    k += used;
                    dst = ports;
                }
                _ if protos == [ICMP] => {
                    why.push(format!("ICMP type of {what}"));
                    k = cw.len();
                }
                other => {
                    why.push(format!("`{}` in {what}", shown(other)));
                    k += 1;
                }
            }
        }
        let mut list = Vec::new();
        for p in protos {
            match &dst {
                Some(ranges) if p == TCP || p == UDP => list.extend(
                    ranges
                        .iter()
                        .map(|&ports| Service::Proto { proto: p, ports }),
                ),
                _ => list.push(common::protocol(p)),
            }
        }
        let list = common::normalize_services(list);
        Ok(if why.is_empty() {
            Set::exact(list)
        } else {
            Set {
                lower: Vec::new(),
                upper: list,
                why,
            }
        })
    }

    fn service_object(&self, name: &str, line: usize) -> Result<Svcs, ImportError> {
        let Some((_, children)) = self.svc_objects.get(name) else {
            return Err(ImportError::at_line(
                line,
                format!("service object `{}` is not defined", shown(name)),
            ));
        };
        let mut set = empty();
        for c in children {
            let cw = c.words();
            match cw.first().map(|w| w.text) {
                Some("service") => {
                    set.add(self.service_spec(&cw, 1, c.no, &format!("service object `{name}`"))?)
                }
                Some("description") | None => {}
                Some(other) => set.add(Set::unknown(
                    vec![Service::Any],
                    format!("service object `{name}` (`{}` not read)", shown(other)),
                )),
            }
        }
        Ok(set)
    }

    /// A service object-group (`service-object …`, or `port-object …` in a typed group), or a
    /// protocol group, as services.
    fn service_group(
        &self,
        name: &str,
        line: usize,
        seen: &mut Vec<String>,
    ) -> Result<Svcs, ImportError> {
        let Some(g) = self.groups.get(name) else {
            return Err(ImportError::at_line(
                line,
                format!("service object-group `{}` is not defined", shown(name)),
            ));
        };
        if seen.iter().any(|s| s == name) {
            return Err(ImportError::at_line(
                g.line,
                format!(
                    "object-group {} contains itself (through {})",
                    shown(name),
                    seen.join(" → ")
                ),
            ));
        }
        seen.push(name.to_string());
        let what = format!("object-group `{name}`");
        let mut set = empty();
        for c in &g.children {
            let cw = c.words();
            let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            match (g.kind, w(0)) {
                (_, "description" | "") => {}
                (_, "group-object") => set.add(self.service_group(w(1), c.no, seen)?),
                (GroupKind::Protocol, "protocol-object") => {
                    set.add(self.service_spec(&cw, 1, c.no, &what)?)
                }
                (GroupKind::Service(_), "service-object") if w(1) == "object" => {
                    set.add(self.service_object(w(2), c.no)?)
                }
                (GroupKind::Service(_), "service-object") => {
                    set.add(self.service_spec(&cw, 1, c.no, &what)?)
                }
                (GroupKind::Service(Some(protos)), "port-object") => {
                    let (ports, _) = port_op(&cw, 1, protos[0], c.no)?;
                    let ports = ports.unwrap_or_else(|| vec![PortRange::ALL]);
                    set.add(Set::exact(
                        protos
                            .iter()
                            .flat_map(|&p| {
                                ports
                                    .iter()
                                    .map(move |&r| Service::Proto { proto: p, ports: r })
                            })
                            .collect(),
                    ));
                }
                (_, other) => set.add(Set::unknown(
                    vec![Service::Any],
                    format!("{what} (`{}` not read)", shown(other)),
                )),
            }
        }
        seen.pop();
        set.lower = common::normalize_services(set.lower);
        set.upper = common::normalize_services(set.upper);
        Ok(set)
    }

    /// A port object-group (`object-group service NAME tcp` with `port-object`s) as port ranges.
    fn port_group(
        &self,
        name: &str,
        line: usize,
        seen: &mut Vec<String>,
    ) -> Result<Vec<PortRange>, ImportError> {
        let Some(g) = self.groups.get(name) else {
            return Err(ImportError::at_line(
                line,
                format!("port object-group `{}` is not defined", shown(name)),
            ));
        };
        if seen.iter().any(|s| s == name) {
            return Err(ImportError::at_line(
                g.line,
                format!("object-group {} contains itself", shown(name)),
            ));
        }
        seen.push(name.to_string());
        let mut out = Vec::new();
        for c in &g.children {
            let cw = c.words();
            match cw.first().map(|w| w.text) {
                Some("port-object") => {
                    let (ports, _) = port_op(&cw, 1, TCP, c.no)?;
                    out.extend(ports.unwrap_or_else(|| vec![PortRange::ALL]));
                }
                Some("group-object") => {
                    out.extend(self.port_group(cw.get(1).map_or("", |w| w.text), c.no, seen)?)
                }
                _ => {}
            }
        }
        seen.pop();
        Ok(out)
    }

    // -----------------------------------------------------------------------------------------
    // Entries
    // -----------------------------------------------------------------------------------------

    /// One `access-list NAME [line N] extended …` entry.
    fn entry(
        &self,
        line: Line<'a>,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Option<Entry>, ImportError> {
        let cw = line.words();
        let mut k = 2;
        if cw.get(k).is_some_and(|w| w.text == "line") {
            k += 2;
        }
        k += 1; // `extended`
        let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
        let err = |i: usize, message: String| ImportError {
            line: line.no,
            column: cw.get(i).map_or_else(
                || cw.last().map_or(1, |w| w.col + w.text.chars().count()),
                |w| w.col,
            ),
            message,
        };
        let action = match w(k) {
            "permit" => Action::Allow,
            "deny" => Action::Deny,
            other => {
                return Err(err(
                    k,
                    format!("expected `permit` or `deny`, found `{}`", shown(other)),
                ));
            }
        };
        k += 1;
        // The protocol, or a service object / object-group.
        let mut services: Svcs;
        let mut single: Option<u8> = None;
        match w(k) {
            "object" => {
                services = self.service_object(w(k + 1), line.no)?;
                k += 2;
            }
            "object-group" => {
                services = self.service_group(w(k + 1), line.no, &mut Vec::new())?;
                k += 2;
            }
            p => {
                match protocol_number(p).or_else(|| asa_protocol(p)) {
                    Some(None) => services = Set::exact(vec![Service::Any]),
                    Some(Some(n)) => {
                        single = Some(n);
                        services = Set::exact(vec![common::protocol(n)]);
                    }
                    None => return Err(err(k, format!("unknown protocol `{}`", shown(p)))),
                }
                k += 1;
            }
        }
        let (src, used) = self.address(&cw, k, line.no, fqdn, &err)?;
        k += used;
        // Source ports, then the destination, then destination ports.
        let ports_of = |p: Option<u8>| p.filter(|p| *p == TCP || *p == UDP);
        let mut why: Vec<String> = Vec::new();
        if let Some(p) = ports_of(single) {
            let (ports, used) = self.ports(&cw, k, p, line.no)?;
            if ports.is_some() {
                why.push("a source port".into());
            }
            k += used;
        }
        let (dst, used) = self.address(&cw, k, line.no, fqdn, &err)?;
        k += used;
        if let Some(p) = ports_of(single) {
            let (ports, used) = self.ports(&cw, k, p, line.no)?;
            if let Some(ranges) = ports {
                services = Set::exact(
                    ranges
                        .into_iter()
                        .map(|ports| Service::Proto { proto: p, ports })
                        .collect(),
                );
            }
            k += used;
        }
        if single == Some(ICMP)
            && k < cw.len()
            && !matches!(w(k), "log" | "inactive" | "time-range")
        {
            why.push(format!("ICMP type {}", shown(w(k))));
            k += if w(k) == "object-group" { 2 } else { 1 };
            if w(k).bytes().all(|b| b.is_ascii_digit()) && !w(k).is_empty() {
                k += 1;
            }
        }
        let mut log = false;
        while k < cw.len() {
            match w(k) {
                "log" => {
                    log = !matches!(w(k + 1), "disable");
                    k += 1;
                    // `log [LEVEL] [interval SECS]`, `log disable`, `log default`.
                    while k < cw.len() && !matches!(w(k), "inactive" | "time-range") {
                        k += 1;
                    }
                }
                "inactive" => return Ok(None),
                "time-range" => {
                    why.push(format!("time-range {}", shown(w(k + 1))));
                    k += 2;
                }
                other => {
                    why.push(format!("unsupported keyword `{}`", shown(other)));
                    k += 1;
                }
            }
        }
        let mut entry = Entry {
            action,
            src,
            dst,
            services,
            log,
            line: line.no,
        };
        if !why.is_empty() {
            // Conditions of the entry itself (source ports, ICMP types, a time-range): nothing
            // of it is sure for a deny.
            entry.services.lower.clear();
            entry.services.why.extend(why);
        }
        Ok(Some(entry))
    }

    /// An address: `any`, `any4`, `any6`, `host A`, `A MASK`, `object N`, `object-group G`,
    /// `interface NAME`; returns it and how many words it took.
    fn address(
        &self,
        cw: &[Word<'_>],
        k: usize,
        line: usize,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
        err: &dyn Fn(usize, String) -> ImportError,
    ) -> Result<(Addrs, usize), ImportError> {
        let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
        Ok(match w(k) {
            "any" | "any4" => (Set::exact(vec![AddrRange::ALL]), 1),
            // IPv6 only: no IPv4 packet.
            "any6" => (empty(), 1),
            "host" => (self.host(cw, k + 1, line)?, 2),
            "object" => (self.network_object(w(k + 1), line, fqdn)?, 2),
            "object-group" => (
                self.network_group(w(k + 1), line, fqdn, &mut Vec::new())?,
                2,
            ),
            "interface" => {
                let ip = self
                    .interfaces
                    .iter()
                    .find(|i| i.nameif.as_ref().is_some_and(|(n, _)| n == w(k + 1)))
                    .and_then(|i| i.ip);
                match ip {
                    Some(a) => (Set::exact(vec![AddrRange::single(a)]), 2),
                    None => (
                        Set::unknown(
                            vec![AddrRange::ALL],
                            format!("the address of interface {}", shown(w(k + 1))),
                        ),
                        2,
                    ),
                }
            }
            a if a.contains(':') => (empty(), if a.contains('/') { 1 } else { 2 }),
            "" => return Err(err(k, "an address is missing".into())),
            _ => {
                let a = self.address_word(cw, k, line)?;
                let m = parse_addr(cw, k + 1, line)?;
                let col = cw.get(k + 1).map_or(1, |w| w.col);
                (Set::exact(vec![mask_range(a, m, line, col)?]), 2)
            }
        })
    }

    /// An optional port operator or port object-group at `cw[k]`.
    fn ports(
        &self,
        cw: &[Word<'_>],
        k: usize,
        proto: u8,
        line: usize,
    ) -> Result<(Option<Vec<PortRange>>, usize), ImportError> {
        match cw.get(k).map(|w| w.text) {
            Some("object-group") => {
                let name = cw.get(k + 1).map_or("", |w| w.text);
                // A port group here; a network group (the destination) is not ours.
                match self.groups.get(name) {
                    Some(g) if matches!(g.kind, GroupKind::Service(Some(_))) => {
                        Ok((Some(self.port_group(name, line, &mut Vec::new())?), 2))
                    }
                    _ => Ok((None, 0)),
                }
            }
            _ => port_op(cw, k, proto, line),
        }
    }

    // -----------------------------------------------------------------------------------------
    // The model
    // -----------------------------------------------------------------------------------------

    fn build(mut self, file: &str, map: &Mapping) -> Result<Imported, ImportError> {
        let Modelled {
            names,
            order,
            levels,
        } = self.model_interfaces(map);
        let mut firewall = common::firewall(map, &order, Action::Deny, true);

        let groups = std::mem::take(&mut self.access_groups);
        let global = groups.iter().find(|g| g.bind.is_none()).cloned();
        let mut approx = Approximations::default();
        let mut rules = self.same_level_denies(file, &levels);
        let with_acl = self.bound_acls(
            file,
            map,
            (&groups, global.as_ref()),
            &names,
            &mut firewall,
            (&mut rules, &mut approx),
        )?;
        match &global {
            Some(g) => self.global_acl(file, map, g, &mut rules, &mut approx)?,
            None => self.level_allows(file, &levels, &with_acl, &mut rules),
        }
        approx.mark(&mut rules);
        firewall.rules = rules;
        let addresses: BTreeMap<String, Option<Ipv4Addr>> = order.iter().cloned().collect();
        firewall.nat = self.nat_entries(file, &names, &addresses, &map.fqdn)?;
        common::nat_filters_nothing(&mut firewall.nat);

        let unmodelled = common::unmodelled_warnings(std::mem::take(&mut self.unmodelled));
        self.warnings.extend(unmodelled);
        self.apply_routes(file, &names, &mut firewall);
        if let Some((line, count)) = self.skipped.take() {
            self.warn(
                line,
                format!(
                    "{count} top-level command(s) that do not change forwarding (management, logging, VPN and AAA settings, inspection policies, credentials; the first here) were skipped unread"
                ),
            );
        }
        if map.stateful == Some(false) {
            firewall.stateful = false;
        }
        let mut w = common::Warnings::default();
        for x in std::mem::take(&mut self.warnings) {
            w.push(x);
        }
        let mut imported = w.imported(firewall);
        imported.warnings.dedup();
        Ok(imported)
    }

    /// The interfaces the mapping names (by `nameif` or hardware name), with their model
    /// names, addresses and security levels; the others are warned about.
    fn model_interfaces(&mut self, map: &Mapping) -> Modelled {
        let mut names: BTreeMap<String, String> = BTreeMap::new(); // nameif → model name
        let mut order: Vec<(String, Option<Ipv4Addr>)> = Vec::new();
        let mut levels: Vec<(String, u8, usize)> = Vec::new();
        let interfaces = std::mem::take(&mut self.interfaces);
        for i in &interfaces {
            let Some((nameif, nameif_line)) = &i.nameif else {
                continue;
            };
            let model = if map.interfaces.contains_key(nameif) {
                Some(nameif.clone())
            } else if map.interfaces.contains_key(&i.hw) {
                Some(i.hw.clone())
            } else {
                None
            };
            let Some(model) = model else {
                self.warn(
                    i.line,
                    format!(
                        "interface {} ({nameif}) is not in the mapping (by `nameif` or hardware name): not imported",
                        i.hw
                    ),
                );
                continue;
            };
            if i.management_only {
                self.warn(
                    i.line,
                    format!(
                        "{nameif} is `management-only`: the ASA does not forward through it, but the model does (an over-approximation)"
                    ),
                );
            }
            // Without `security-level`, `inside` is 100 and every other name 0.
            let (level, level_line) = i
                .level
                .unwrap_or((if nameif == "inside" { 100 } else { 0 }, *nameif_line));
            names.insert(nameif.clone(), model.clone());
            order.push((model.clone(), i.ip));
            levels.push((model, level, level_line));
        }
        for name in map.interfaces.keys() {
            if !order.iter().any(|(n, _)| n == name) {
                self.warn(
                    0,
                    format!(
                        "the mapping names interface {name}, which has no `nameif` in the configuration: imported without an address or rules"
                    ),
                );
            }
        }
        self.interfaces = interfaces;
        Modelled {
            names,
            order,
            levels,
        }
    }

    /// Between two interfaces of one security level the ASA drops everything, whatever the
    /// ACLs say, unless `same-security-traffic permit inter-interface`.
    fn same_level_denies(&self, file: &str, levels: &[(String, u8, usize)]) -> Vec<Rule> {
        let mut rules = Vec::new();
        if self.same_security.is_some() {
            return rules;
        }
        for (name, level, line) in levels {
            let peers: BTreeSet<String> = levels
                .iter()
                .filter(|(n, l, _)| n != name && l == level)
                .map(|(n, _, _)| n.clone())
                .collect();
            if peers.is_empty() {
                continue;
            }
            let m = Match {
                in_if: Some([name.clone()].into()),
                out_if: Some(peers),
                ..Match::default()
            };
            rules.extend(m.to_rule(
                Action::Deny,
                common::origin(file, *line),
                Some(format!(
                    "security level {level} to the same level: no `same-security-traffic permit inter-interface`"
                )),
            ));
        }
        rules
    }

    /// The ACLs bound to interfaces: inbound ones into the policy list (each with its
    /// implicit deny when there is no global ACL), outbound ones as filters. The interfaces
    /// with an inbound ACL are returned.
    fn bound_acls(
        &mut self,
        file: &str,
        map: &Mapping,
        (groups, global): (&[AccessGroup], Option<&AccessGroup>),
        names: &BTreeMap<String, String>,
        firewall: &mut crate::model::Firewall,
        (rules, approx): (&mut Vec<Rule>, &mut Approximations),
    ) -> Result<BTreeSet<String>, ImportError> {
        let mut with_acl: BTreeSet<String> = BTreeSet::new();
        for g in groups {
            let Some((dir, nameif)) = &g.bind else {
                continue;
            };
            let Some(model) = names.get(nameif).cloned() else {
                if !self
                    .interfaces
                    .iter()
                    .any(|i| i.nameif.as_ref().is_some_and(|(n, _)| n == nameif))
                {
                    self.warn(
                        g.line,
                        format!(
                            "access-group names interface {}, which no `nameif` defines; ignored",
                            shown(nameif)
                        ),
                    );
                }
                continue;
            };
            match dir {
                Direction::In => {
                    with_acl.insert(model.clone());
                    let scope = Match {
                        in_if: Some([model.clone()].into()),
                        ..Match::default()
                    };
                    let reason = format!("access-list {} in on {nameif}", g.acl);
                    if !self.acls.contains_key(&g.acl) {
                        self.warn(
                            g.line,
                            format!(
                                "access-list {} applied in on {nameif} is not defined (the ASA refuses that): read as permitting everything",
                                shown(&g.acl)
                            ),
                        );
                        if let Some(mut r) =
                            scope.to_rule(Action::Allow, common::origin(file, g.line), Some(reason))
                        {
                            r.approximation = Some(common::widened(
                                &common::origin(file, g.line),
                                &format!("the undefined access-list {}", shown(&g.acl)),
                            ));
                            rules.push(r);
                        }
                        continue;
                    }
                    self.acl_rules(file, &g.acl, &scope, &reason, map, rules, approx)?;
                    if global.is_none() {
                        // The ACL's implicit deny.
                        rules.extend(scope.to_rule(
                            Action::Deny,
                            common::origin(file, g.line),
                            Some(format!("access-list {}: implicit deny", g.acl)),
                        ));
                    }
                }
                Direction::Out => {
                    let mut list = Vec::new();
                    let mut out_approx = Approximations::default();
                    if !self.acls.contains_key(&g.acl) {
                        self.warn(
                            g.line,
                            format!(
                                "access-list {} applied out on {nameif} is not defined (the ASA refuses that): no filter",
                                shown(&g.acl)
                            ),
                        );
                        continue;
                    }
                    self.acl_rules(
                        file,
                        &g.acl,
                        &Match::default(),
                        &format!("access-list {} out on {nameif}", g.acl),
                        map,
                        &mut list,
                        &mut out_approx,
                    )?;
                    out_approx.mark(&mut list);
                    firewall.filters.push(Filter {
                        interface: At::new(model, Loc::default()),
                        direction: Direction::Out,
                        default: Action::Deny,
                        rules: list,
                        loc: Loc::default(),
                    });
                }
            }
        }
        Ok(with_acl)
    }

    /// The global ACL, after the interfaces' own.
    fn global_acl(
        &mut self,
        file: &str,
        map: &Mapping,
        g: &AccessGroup,
        rules: &mut Vec<Rule>,
        approx: &mut Approximations,
    ) -> Result<(), ImportError> {
        if self.acls.contains_key(&g.acl) {
            self.acl_rules(
                file,
                &g.acl,
                &Match::default(),
                &format!("access-list {} global", g.acl),
                map,
                rules,
                approx,
            )?;
        } else {
            self.warn(
                g.line,
                format!(
                    "global access-list {} is not defined; ignored",
                    shown(&g.acl)
                ),
            );
        }
        Ok(())
    }

    /// Without a global ACL, interfaces without an inbound ACL let traffic go from a higher
    /// security level to a lower one (or an equal one with `same-security-traffic permit
    /// inter-interface`).
    fn level_allows(
        &self,
        file: &str,
        levels: &[(String, u8, usize)],
        with_acl: &BTreeSet<String>,
        rules: &mut Vec<Rule>,
    ) {
        for (name, level, line) in levels {
            if with_acl.contains(name) {
                continue;
            }
            let outs: BTreeSet<String> = levels
                .iter()
                .filter(|(n, l, _)| {
                    n != name && (l < level || (l == level && self.same_security.is_some()))
                })
                .map(|(n, _, _)| n.clone())
                .collect();
            let m = Match {
                in_if: Some([name.clone()].into()),
                out_if: Some(outs),
                ..Match::default()
            };
            rules.extend(m.to_rule(
                Action::Allow,
                common::origin(file, *line),
                Some(format!("security level {level}: to lower levels")),
            ));
        }
    }

    /// The static routes into the firewall. Routes name interfaces by `nameif`; the model by
    /// the mapping's name.
    fn apply_routes(
        &mut self,
        file: &str,
        names: &BTreeMap<String, String>,
        firewall: &mut crate::model::Firewall,
    ) {
        let mut routes = std::mem::take(&mut self.routes);
        for r in &mut routes.routes {
            if let Some(model) = r.device.as_ref().and_then(|d| names.get(d)) {
                r.device = Some(model.clone());
            }
        }
        let subnets: Vec<(String, ipnet::Ipv4Net)> = self
            .interfaces
            .iter()
            .filter_map(|i| {
                let model = names.get(&i.nameif.as_ref()?.0)?;
                Some((model.clone(), i.subnet?))
            })
            .collect();
        let mut route_warnings = std::mem::take(&mut self.route_warnings);
        routes.apply(firewall, file, &subnets, &mut route_warnings);
        self.warnings.extend(route_warnings.into_sorted());
    }

    /// The rules of ACL `name`, each narrowed by `scope` (the ingress interface), appended to
    /// `rules`; the denies it leaves out go to `approx`.
    #[allow(clippy::too_many_arguments)]
    fn acl_rules(
        &mut self,
        file: &str,
        name: &str,
        scope: &Match,
        reason: &str,
        map: &Mapping,
        rules: &mut Vec<Rule>,
        approx: &mut Approximations,
    ) -> Result<(), ImportError> {
        let entries = self.acls[name].clone();
        for (ordinal, line) in (1..).zip(entries) {
            let Some(e) = self.entry(line, &map.fqdn)? else {
                self.warn_on(
                    line.no,
                    "`inactive` ACL entries skipped, as on the ASA",
                    format!("access-list {} entry is `inactive`: skipped", shown(name)),
                );
                continue;
            };
            let origin = common::origin(file, e.line);
            let mut why = e.src.why.clone();
            for part in [&e.dst.why, &e.services.why] {
                for x in part {
                    if !why.contains(x) {
                        why.push(x.clone());
                    }
                }
            }
            let pick = |s: &Addrs| {
                if e.action == Action::Allow {
                    s.upper.clone()
                } else {
                    s.lower.clone()
                }
            };
            let services = if e.action == Action::Allow {
                e.services.upper.clone()
            } else {
                e.services.lower.clone()
            };
            let m = Match {
                src: Some(pick(&e.src)),
                dst: Some(pick(&e.dst)),
                services: Some(services),
                ..Match::default()
            }
            .and(scope);
            if e.action == Action::Deny && !why.is_empty() {
                let assumed: Vec<&str> = why
                    .iter()
                    .map(String::as_str)
                    .filter(|w| !common::is_packet_field(w))
                    .collect();
                self.warn_on(
                    e.line,
                    "ACL deny entries with a condition sansou cannot express reduced",
                    format!(
                        "access-list {} deny tests {}, which sansou cannot express: it denies only what it surely matches (this can only allow more than the ASA)",
                        shown(name),
                        why.join(", ")
                    ),
                );
                if !assumed.is_empty() {
                    let upper = Match {
                        src: Some(e.src.upper.clone()),
                        dst: Some(e.dst.upper.clone()),
                        services: Some(e.services.upper.clone()),
                        ..Match::default()
                    }
                    .and(scope);
                    approx.dropped(
                        rules.len(),
                        upper,
                        common::dropped(&origin, &assumed.join(", ")),
                    );
                }
            }
            if e.action == Action::Allow && !why.is_empty() {
                self.warn_on(
                    e.line,
                    "ACL permit entries read without a condition sansou cannot express",
                    format!(
                        "access-list {} permit tests {}, which sansou cannot express: read without it (this can only allow more than the ASA)",
                        shown(name),
                        why.join(", ")
                    ),
                );
            }
            let Some(mut r) = m.to_rule(e.action, origin.clone(), Some(reason.to_string())) else {
                continue;
            };
            r.log = e.log;
            // The entry's ordinal in its ACL (remarks not counted): `OUTSIDE-IN.3`.
            common::set_rule_id(&mut r, &format!("{name}.{ordinal}"));
            if e.action == Action::Allow && !why.is_empty() {
                r.approximation = Some(common::widened(&origin, &why.join(", ")));
            }
            rules.push(r);
        }
        Ok(())
    }
}

/// One ACL entry as sets.
struct Entry {
    action: Action,
    src: Addrs,
    dst: Addrs,
    services: Svcs,
    log: bool,
    line: usize,
}

/// Protocol names ASA accepts beyond IOS's.
#[allow(clippy::option_option)]
fn asa_protocol(name: &str) -> Option<Option<u8>> {
    Some(Some(match name {
        "ah" => 51,
        "icmp6" => 58,
        "igrp" => 9,
        "ipsec" => 50,
        "pptp" => 47,
        "snp" => 109,
        "nos" => 94,
        _ => return common::protocol_by_name(name).map(Some),
    }))
}

/// An address word at `cw[i]` (for masks).
fn parse_addr(cw: &[Word<'_>], i: usize, line: usize) -> Result<u32, ImportError> {
    let Some(w) = cw.get(i) else {
        return Err(ImportError {
            line,
            column: cw.last().map_or(1, |w| w.col + w.text.chars().count()),
            message: "the netmask is missing".into(),
        });
    };
    w.text
        .parse::<Ipv4Addr>()
        .map(u32::from)
        .map_err(|_| ImportError {
            line,
            column: w.col,
            message: format!("`{}` is not a netmask", shown(w.text)),
        })
}

/// `A MASK` (ASA writes netmasks, not wildcards), host bits cleared; `col` is the mask's column.
fn mask_range(a: u32, mask: u32, line: usize, col: usize) -> Result<AddrRange, ImportError> {
    if mask.leading_ones() + mask.trailing_zeros() != 32 {
        return Err(ImportError {
            line,
            column: col,
            message: format!(
                "{} is not a netmask (ASA writes `ADDRESS NETMASK`, not a wildcard)",
                Ipv4Addr::from(mask)
            ),
        });
    }
    let first = a & mask;
    Ok(AddrRange {
        first,
        last: first | !mask,
    })
}

/// A port number or a port name (IOS's names, the IANA ones, and ASA's own).
fn port(text: &str, proto: u8) -> Option<u16> {
    port_number(text, proto)
        .or_else(|| common::port_by_name(proto, text))
        .or_else(|| {
            Some(match text {
                "https" => 443,
                "ssh" => 22,
                "ldap" => 389,
                "ldaps" => 636,
                "imap4" => 143,
                "cifs" => 3020,
                "citrix-ica" => 1494,
                "ctiqbe" => 2748,
                "h323" => 1720,
                "sqlnet" => 1521,
                "rtsp" => 554,
                "sip" => 5060,
                "kerberos" => 750,
                "netbios-ssn" => 139,
                "nfs" => 2049,
                "pptp" => 1723,
                "rsh" => 514,
                "lotusnotes" => 1352,
                "pcanywhere-data" => 5631,
                "pcanywhere-status" => 5632,
                "radius" => 1645,
                "radius-acct" => 1646,
                "secureid-udp" => 5510,
                "snmp" => 161,
                "snmptrap" => 162,
                "syslog" => 514,
                "tftp" => 69,
                "vxlan" => 4789,
                "dnsix" => 195,
                "xdmcp" => 177,
                _ => return None,
            })
        })
}

/// A port operator at `cw[k]`: `eq P`, `neq P`, `lt P`, `gt P`, `range A B`; returns the
/// ranges and how many words it took (0 when there is no operator).
fn port_op(
    cw: &[Word<'_>],
    k: usize,
    proto: u8,
    line: usize,
) -> Result<(Option<Vec<PortRange>>, usize), ImportError> {
    let w = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
    let one = |i: usize| -> Result<u16, ImportError> {
        if cw.get(i).is_none() {
            return Err(ImportError {
                line,
                column: cw.last().map_or(1, |w| w.col + w.text.chars().count()),
                message: "the entry ends where a port was expected".into(),
            });
        }
        port(w(i), proto).ok_or_else(|| ImportError {
            line,
            column: cw.get(i).map_or_else(
                || cw.last().map_or(1, |w| w.col + w.text.chars().count()),
                |w| w.col,
            ),
            message: format!(
                "`{}` is not a port (a number 0-65535 or a port name)",
                shown(w(i))
            ),
        })
    };
    Ok(match w(k) {
        "eq" => {
            let p = one(k + 1)?;
            (Some(vec![PortRange { first: p, last: p }]), 2)
        }
        "neq" => {
            let p = one(k + 1)?;
            let mut out = Vec::new();
            if p > 0 {
                out.push(PortRange {
                    first: 0,
                    last: p - 1,
                });
            }
            if p < u16::MAX {
                out.push(PortRange {
                    first: p + 1,
                    last: u16::MAX,
                });
            }
            (Some(out), 2)
        }
        "lt" => {
            let p = one(k + 1)?;
            (
                Some(if p == 0 {
                    Vec::new()
                } else {
                    vec![PortRange {
                        first: 0,
                        last: p - 1,
                    }]
                }),
                2,
            )
        }
        "gt" => {
            let p = one(k + 1)?;
            (
                Some(if p == u16::MAX {
                    Vec::new()
                } else {
                    vec![PortRange {
                        first: p + 1,
                        last: u16::MAX,
                    }]
                }),
                2,
            )
        }
        "range" => {
            let (a, b) = (one(k + 1)?, one(k + 2)?);
            if b < a {
                return Err(ImportError::at_line(
                    line,
                    format!("port range {a} {b} ends before it starts"),
                ));
            }
            (Some(vec![PortRange { first: a, last: b }]), 3)
        }
        _ => (None, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attachment;

    fn map() -> Mapping {
        Mapping::new(
            "asa",
            [
                ("inside", Attachment::Segment("in".into())),
                ("outside", Attachment::External("net".into())),
                ("dmz", Attachment::Segment("dmz".into())),
            ],
        )
    }

    #[test]
    fn security_levels_decide_without_acls() {
        let text = "ASA Version 9.8(4)\ninterface Gi0/0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\ninterface Gi0/1\n nameif inside\n security-level 100\n ip address 10.1.0.1 255.255.255.0\ninterface Gi0/2\n nameif dmz\n security-level 50\n";
        let fw = import("a.conf", text, &map()).unwrap().firewall;
        assert_eq!(fw.default, Action::Deny);
        assert!(fw.stateful);
        // inside → outside and dmz; dmz → outside; outside → nothing.
        let outs = |n: &str| -> Vec<String> {
            fw.rules
                .iter()
                .filter(|r| r.in_interfaces.iter().any(|i| i.value == n))
                .flat_map(|r| r.out_interfaces.iter().map(|o| o.value.clone()))
                .collect()
        };
        assert_eq!(outs("inside"), ["dmz", "outside"]);
        assert_eq!(outs("dmz"), ["outside"]);
        assert!(outs("outside").is_empty());
    }

    #[test]
    fn masks_not_wildcards() {
        let cw = |t: &'static str| Word { text: t, col: 1 };
        let _ = cw("x");
        assert!(mask_range(0x0a000000, 0xffffff00, 1, 1).is_ok());
        assert!(mask_range(0x0a000000, 0x000000ff, 1, 1).is_err());
        assert_eq!(port("https", TCP), Some(443));
        assert_eq!(port("www", TCP), Some(80));
        assert_eq!(port("domain", UDP), Some(53));
    }
}
