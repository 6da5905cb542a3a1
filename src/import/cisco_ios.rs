//! Cisco IOS and IOS-XE (`show running-config`) → one firewall with interface filters.
//!
//! A router or L3 switch forwards everything: the firewall gets `default = "allow"` and an
//! empty policy list. Each `ip access-group ACL in|out` on a mapped interface becomes a filter
//! on that interface and direction, holding the ACL's entries in order, with the implicit
//! `deny` at the end (`default = "deny"`). An access-group naming an ACL that is not defined
//! (or has no entries) filters nothing on IOS, so no filter is made and a warning says so.
//!
//! Standard ACLs match the source only. Extended ACLs match protocol, source, destination and
//! destination ports exactly (`host`, `any`, wildcards, non-contiguous ones too, `eq`, `neq`,
//! `lt`, `gt`, `range`, object-groups). What the model cannot express is approximated in the
//! direction that can only add reachability, with a warning (see `acl.rs`).
//!
//! The device is stateless (`stateful = false`) unless the configuration relies on state:
//! `ip inspect`, reflexive ACLs (`reflect` / `evaluate`), or `established` entries that exist
//! to let replies back in. Then it is imported as stateful, with a warning.
//!
//! Secrets (`enable secret`, user passwords, SNMP communities, keys) are never read into the
//! result: the lines that carry them are skipped, and messages quote only keywords and
//! names, never the rest of a line.

mod acl;
mod nat;
pub(crate) mod routes;
mod zbf;

use super::{ImportError, Imported, Mapping, Warning, common};
use crate::model::{
    Action, AddrRange, At, Direction, Filter, Firewall, Rule, Selector, Service, ranges,
};
use crate::source::Loc;
use acl::{Cursor, Kind};
pub(crate) use acl::{port_number, protocol_number, shown, wildcard_ranges};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    let lines = split_lines(text)?;
    // An ASA's `show running-config` looks much like IOS but means other things (security
    // levels, `nameif`): point at the right importer.
    if let Some(l) = lines
        .iter()
        .find(|l| l.text.starts_with("ASA Version") || l.text.trim_start().starts_with("nameif "))
    {
        return Err(ImportError::at_line(
            l.no,
            "this is a Cisco ASA configuration: import it with `sansou import asa`",
        ));
    }
    if !lines.iter().any(|l| is_ios_marker(&l.words())) {
        return Err(ImportError {
            line: 1,
            column: 1,
            message: "this does not look like a Cisco IOS configuration (no interface, \
                      access-list, hostname or other IOS command found)"
                .into(),
        });
    }
    let mut config = Config::default();
    config.read(&lines);
    config.build(file, map)
}

/// A command only IOS writes this way, to tell an IOS configuration from another vendor's
/// (whose `ip route` or `hostname` alone would not).
fn is_ios_marker(words: &[Word<'_>]) -> bool {
    let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
    matches!(
        w(0),
        "interface" | "access-list" | "object-group" | "router" | "version"
    ) || (w(0) == "ip" && w(1) == "access-list")
        || (w(0) == "hostname" && words.len() == 2)
}

/// A word of a line with its 1-based column in characters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'a> {
    pub(crate) text: &'a str,
    pub(crate) col: usize,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub(crate) no: usize,
    pub(crate) text: &'a str,
}

impl<'a> Line<'a> {
    pub(crate) fn indented(&self) -> bool {
        self.text.starts_with([' ', '\t'])
    }

    pub(crate) fn words(&self) -> Vec<Word<'a>> {
        let mut out = Vec::new();
        let mut start: Option<(usize, usize)> = None;
        let mut col = 0;
        for (i, c) in self.text.char_indices() {
            col += 1;
            if c.is_whitespace() {
                if let Some((s, sc)) = start.take() {
                    out.push(Word {
                        text: &self.text[s..i],
                        col: sc,
                    });
                }
            } else if start.is_none() {
                start = Some((i, col));
            }
        }
        if let Some((s, sc)) = start {
            out.push(Word {
                text: &self.text[s..],
                col: sc,
            });
        }
        out
    }
}

pub(crate) fn split_lines(text: &str) -> Result<Vec<Line<'_>>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(pos) = line.find('\0') {
            return Err(ImportError {
                line: i + 1,
                column: line[..pos].chars().count() + 1,
                message: "the file contains a NUL byte: not a configuration text".into(),
            });
        }
        out.push(Line {
            no: i + 1,
            text: line,
        });
    }
    Ok(out)
}

/// Object-groups, resolved (nested `group-object`s flattened).
#[derive(Default)]
struct Groups {
    networks: BTreeMap<String, Vec<AddrRange>>,
    services: BTreeMap<String, ServiceGroup>,
    /// Groups that cannot be read (an undefined member, a cycle, a bad entry): an error only
    /// when an applied ACL uses them, a warning otherwise (IOS keeps unused groups it could
    /// not use either way).
    failed: BTreeMap<String, ImportError>,
}

#[derive(Clone, Default)]
struct ServiceGroup {
    services: Vec<Service>,
    narrowing: Vec<String>,
}

/// An object-group as written, before nested groups are resolved.
struct RawGroup<'a> {
    line: usize,
    network: bool,
    children: Vec<Line<'a>>,
}

struct Acl<'a> {
    kind: Kind,
    /// Entries in order (a named list sorted by sequence number), remarks removed.
    entries: Vec<Line<'a>>,
}

struct Interface {
    name: String,
    line: usize,
    ip: Option<Ipv4Addr>,
    /// The subnet of `ip address ADDR MASK`, to find the interface of a route by next hop.
    subnet: Option<ipnet::Ipv4Net>,
    shutdown: bool,
    /// `ip access-group` per direction: ACL name and line (the last one wins, as on IOS).
    groups: BTreeMap<DirKey, (String, usize)>,
    /// `zone-member security ZONE` (the zone-based policy firewall) and its line.
    zone: Option<(String, usize)>,
}

/// Directions in the order filters are written: in, then out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum DirKey {
    In,
    Out,
}

#[derive(Default)]
struct Config<'a> {
    acls: BTreeMap<String, Acl<'a>>,
    raw_groups: BTreeMap<String, RawGroup<'a>>,
    interfaces: Vec<Interface>,
    warnings: Vec<Warning>,
    /// Why the device keeps state (line, reason), if it does.
    stateful: Vec<(usize, String)>,
    /// Features that change forwarding but are not modelled, by topic: (first line, count).
    unmodelled: BTreeMap<&'static str, Vec<usize>>,
    /// Commands that do not change forwarding: (first line, count).
    skipped: Option<(usize, usize)>,
    /// The zone-based policy firewall.
    zbf: zbf::Zbf<'a>,
    /// Static routes, and what makes them a partial table.
    routes: super::routes::RouteTable,
    route_warnings: common::Warnings,
    /// NAT statements and the interfaces' NAT sides.
    nat: nat::NatConfig<'a>,
}

/// Top-level commands that do not change which IPv4 packets the device forwards (management,
/// L2, logging, routing policy used elsewhere), or that carry secrets: skipped without a
/// warning, their indented blocks too. Secret-bearing ones are here so that their text is
/// never looked at again.
const IGNORED: &[&str] = &[
    "aaa",
    "alias",
    "archive",
    "boot",
    "boot-end-marker",
    "boot-start-marker",
    "call-home",
    "cdp",
    "class-map",
    "clock",
    "control-plane",
    "diagnostic",
    "dot1x",
    "enable",
    "end",
    "errdisable",
    "event",
    "exception",
    "file",
    "hostname",
    "hw-module",
    "key",
    "license",
    "line",
    "lldp",
    "logging",
    "login",
    "mac",
    "memory",
    "mls",
    "monitor",
    "multilink",
    "no",
    "ntp",
    "platform",
    "policy-map",
    "port-channel",
    "power",
    "privilege",
    "radius",
    "radius-server",
    "redundancy",
    "route-map",
    "scheduler",
    "service",
    "snmp",
    "snmp-server",
    "spanning-tree",
    "subscriber",
    "system",
    "tacacs",
    "tacacs-server",
    "track",
    "transceiver",
    "udld",
    "username",
    "version",
    "vlan",
    "vtp",
];

/// Second words of top-level `ip ...` commands that do not change forwarding of IPv4 packets
/// through the device's filters.
const IGNORED_IP: &[&str] = &[
    "arp",
    "as-path",
    "bootp",
    "cef",
    "classless",
    "community-list",
    "default-gateway",
    "device",
    "dhcp",
    "dns",
    "domain",
    "domain-lookup",
    "domain-name",
    "finger",
    "flow-cache",
    "flow-export",
    "forward-protocol",
    "ftp",
    "http",
    "igmp",
    "multicast-routing",
    "name-server",
    "prefix-list",
    "radius",
    "rcmd",
    "routing",
    "scp",
    "sla",
    "source-route",
    "ssh",
    "subnet-zero",
    "tacacs",
    "tcp",
    "telnet",
    "tftp",
];

/// Interface sub-commands that do not change which packets pass the interface's filters.
const IGNORED_INTERFACE: &[&str] = &[
    "arp",
    "authentication",
    "auto",
    "bandwidth",
    "carrier-delay",
    "cdp",
    "channel-group",
    "channel-protocol",
    "delay",
    "description",
    "device-tracking",
    "dot1x",
    "duplex",
    "encapsulation",
    "flowcontrol",
    "hold-queue",
    "keepalive",
    "lacp",
    "lldp",
    "load-interval",
    "logging",
    "mab",
    "mac",
    "media-type",
    "mls",
    "mtu",
    "negotiation",
    "power",
    "priority-queue",
    "qos",
    "service-policy",
    "snmp",
    "spanning-tree",
    "speed",
    "standby",
    "storm-control",
    "switchport",
    "udld",
    "vrrp",
];

/// Second words of interface `ip ...` commands that do not change the filtering.
const IGNORED_INTERFACE_IP: &[&str] = &[
    "arp",
    "dhcp",
    "directed-broadcast",
    "flow",
    "helper-address",
    "igmp",
    "mask-reply",
    "mroute-cache",
    "mtu",
    "nbar",
    "ospf",
    "pim",
    "proxy-arp",
    "redirects",
    "rip",
    "route-cache",
    "tcp",
    "unreachables",
    "verify",
    "virtual-reassembly",
];

/// The first word or two of a command, for "unsupported command" messages. Only keywords are
/// quoted: a second word is added only for command families (`ip nat`, `router ospf`), so a
/// secret in an unexpected place is never echoed.
fn command_name(words: &[Word<'_>]) -> String {
    const FAMILIES: &[&str] = &[
        "ip",
        "ipv6",
        "router",
        "crypto",
        "object-group",
        "zone",
        "vrf",
    ];
    let first = words.first().map(|w| shown(w.text)).unwrap_or("");
    match words.get(1) {
        Some(second)
            if FAMILIES.contains(&first)
                && second
                    .text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-') =>
        {
            format!("{first} {}", second.text)
        }
        _ => first.to_string(),
    }
}

/// Index just past the indented block that follows line `i`.
pub(crate) fn block_end(lines: &[Line<'_>], i: usize) -> usize {
    let mut j = i + 1;
    while j < lines.len() && (lines[j].indented() || lines[j].text.trim().is_empty()) {
        // A blank line ends nothing by itself, but a block never starts with one.
        if lines[j].text.trim().is_empty() && !lines.get(j + 1).is_some_and(|l| l.indented()) {
            break;
        }
        j += 1;
    }
    j
}

impl<'a> Config<'a> {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning::new(line, message));
    }

    /// A warning that groups with the others of its topic when printed.
    fn warn_on(&mut self, line: usize, topic: &str, message: impl Into<String>) {
        self.warnings.push(Warning::on(line, topic, message));
    }

    /// A command that does not change forwarding, counted for one summary warning.
    fn skipped(&mut self, line: usize) {
        let e = self.skipped.get_or_insert((line, 0));
        e.1 += 1;
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
            // `!` separates sections; `Building configuration...` and `Current configuration :`
            // head the output of `show running-config`.
            if first.text.starts_with(['!', '#']) || matches!(first.text, "Building" | "Current") {
                i += 1;
                continue;
            }
            if first.text == "banner" {
                i = self.skip_banner(lines, i, &words);
                continue;
            }
            let end = block_end(lines, i);
            let children = &lines[i + 1..end];
            self.command(line, &words, children);
            i = end;
        }
    }

    /// A banner's text runs from its delimiter to the next occurrence of it, over any number
    /// of lines; none of it is configuration.
    fn skip_banner(&mut self, lines: &[Line<'a>], i: usize, words: &[Word<'a>]) -> usize {
        // `banner motd ^C...`: the delimiter is the first character (or the `^C` pair as
        // `show running-config` prints it) of the word after the banner type.
        self.skipped(lines[i].no);
        let Some(start) = words.get(2).or(words.get(1)) else {
            return i + 1;
        };
        let line = lines[i].text;
        // Words borrow from the line's text, so the distance between the pointers is the
        // word's byte offset in the line.
        let offset = start.text.as_ptr() as usize - line.as_ptr() as usize;
        let rest = &line[offset..];
        let delim: String = if rest.starts_with('^') && rest.len() >= 2 {
            rest.chars().take(2).collect()
        } else {
            rest.chars().take(1).collect()
        };
        if rest[delim.len()..].contains(delim.as_str()) {
            return i + 1;
        }
        let mut j = i + 1;
        while j < lines.len() {
            if lines[j].text.contains(delim.as_str()) {
                return j + 1;
            }
            j += 1;
        }
        self.warn(
            lines[i].no,
            "the banner's closing delimiter was not found: the rest of the file was read as \
             banner text",
        );
        j
    }

    fn command(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let w0 = words[0].text;
        let w1 = words.get(1).map(|w| w.text).unwrap_or("");
        match (w0, w1) {
            ("interface", _) => {
                self.interface(line, words, children);
            }
            ("access-list", _) => {
                self.numbered_entry(line, words);
            }
            ("ip", "access-list") => {
                self.named_acl(line, words, children);
            }
            ("object-group", "network" | "service") => match words.get(2) {
                Some(name) => {
                    self.raw_groups.insert(
                        name.text.to_string(),
                        RawGroup {
                            line: line.no,
                            network: w1 == "network",
                            children: children.to_vec(),
                        },
                    );
                }
                None => self.warn(line.no, "object-group without a name ignored"),
            },
            ("object-group", _) => {
                self.warn(
                    line.no,
                    format!(
                        "unsupported object-group type `{}` ignored (only network and service \
                         groups are imported)",
                        shown(w1)
                    ),
                );
            }
            ("ip", "route") => {
                let texts: Vec<&str> = words[2..].iter().map(|w| w.text).collect();
                routes::ios_route(line.no, &texts, &mut self.routes, &mut self.route_warnings);
            }
            ("ip", "nat") => self.nat.lines.push(line),
            ("ip", "inspect") => {
                // Inspection rules act only where an interface applies them
                // (`ip inspect NAME in|out`), which makes the device stateful there.
                self.warn_on(
                    line.no,
                    "`ip inspect` (CBAC) not modelled",
                    "`ip inspect` (CBAC) not modelled: read only as connection state on the \
                     interfaces that apply an inspection rule",
                );
            }
            ("ip", "port-map") => self.port_map(line, words),
            ("class-map", "type") if words.get(2).is_some_and(|w| w.text == "inspect") => {
                self.class_map(line, words, children);
            }
            ("policy-map", "type") if words.get(2).is_some_and(|w| w.text == "inspect") => {
                self.policy_map(line, words, children);
            }
            ("zone", "security") => match words.get(2) {
                Some(z) => {
                    self.zbf.zones.insert(z.text.to_string(), line.no);
                }
                None => self.warn(line.no, "`zone security` without a name ignored"),
            },
            ("zone-pair", "security") => self.zone_pair(line, words, children),
            ("parameter-map", _) => self.skipped(line.no),
            ("ip", "vrf") | ("vrf", _) => {
                self.unmodelled("VRFs (separate routing tables)", line.no);
            }
            ("ip", w) if IGNORED_IP.contains(&w) => self.skipped(line.no),
            ("router", _) => {
                self.unmodelled("dynamic routing (`router ...`)", line.no);
                self.routes.partial(
                    line.no,
                    format!("`{}` adds routes learnt at run time", command_name(words)),
                );
            }
            ("ipv6", _) => {
                self.unmodelled("IPv6 (format 1 is IPv4 only)", line.no);
            }
            ("crypto", _) => {
                self.unmodelled("crypto (IPsec, PKI)", line.no);
            }
            (w, _) if IGNORED.contains(&w) => self.skipped(line.no),
            _ => self.warn(
                line.no,
                format!("unsupported command `{}` ignored", command_name(words)),
            ),
        }
    }

    fn interface(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        if words.len() < 2 {
            self.warn(line.no, "`interface` without a name ignored");
            return;
        }
        // The name is the rest of the line (`interface GigabitEthernet0/1`, or the rare
        // `interface Port-channel 1` typed with a space, which IOS prints joined).
        let name: String = words[1..].iter().map(|w| w.text).collect();
        // A second `interface X` block adds to the first, as IOS merges them: the interface
        // keeps its place and its first line.
        let (at, mut iface) = match self.interfaces.iter().position(|i| i.name == name) {
            Some(p) => (p, self.interfaces.remove(p)),
            None => (
                self.interfaces.len(),
                Interface {
                    name,
                    line: line.no,
                    ip: None,
                    subnet: None,
                    shutdown: false,
                    groups: BTreeMap::new(),
                    zone: None,
                },
            ),
        };
        for child in children {
            let cw = child.words();
            let Some(c0) = cw.first() else { continue };
            let c1 = cw.get(1).map(|w| w.text).unwrap_or("");
            match (c0.text, c1) {
                (t, _) if t.starts_with('!') => {}
                ("shutdown", _) => iface.shutdown = true,
                ("no", "shutdown") => iface.shutdown = false,
                ("no", _) => {}
                ("ip", "address") => self.interface_address(&mut iface, child.no, &cw),
                ("ip", "access-group") => {
                    let (Some(acl), Some(dir)) = (cw.get(2), cw.get(3)) else {
                        self.warn(
                            child.no,
                            "`ip access-group` needs an ACL and in|out; ignored",
                        );
                        continue;
                    };
                    let key = match dir.text {
                        "in" => DirKey::In,
                        "out" => DirKey::Out,
                        _ => {
                            self.warn(
                                child.no,
                                format!(
                                    "`ip access-group {}` has direction `{}` (expected in or \
                                     out); ignored",
                                    shown(acl.text),
                                    shown(dir.text)
                                ),
                            );
                            continue;
                        }
                    };
                    if let Some((old, old_line)) =
                        iface.groups.insert(key, (acl.text.to_string(), child.no))
                    {
                        self.warn(
                            child.no,
                            format!(
                                "a second `ip access-group` for the same direction replaces \
                                 `{}` (line {old_line}), as on IOS",
                                shown(&old)
                            ),
                        );
                    }
                }
                ("ip", "inspect") => self.stateful.push((
                    child.no,
                    format!(
                        "`ip inspect {}` on {} keeps connection state",
                        cw.iter()
                            .skip(2)
                            .map(|w| shown(w.text))
                            .collect::<Vec<_>>()
                            .join(" "),
                        iface.name
                    ),
                )),
                ("ip", "nat") => self.nat_side(&iface.name, child.no, &cw),
                ("ip", "policy") => {
                    self.unmodelled("policy-based routing (`ip policy`)", child.no);
                    self.routes.partial(
                        child.no,
                        format!("{} routes packets by policy (`ip policy`)", iface.name),
                    );
                }
                ("ip", "vrf") | ("vrf", _) => {
                    self.unmodelled("VRFs (separate routing tables)", child.no);
                    self.routes.partial(
                        child.no,
                        format!("{} is in a VRF (a separate routing table)", iface.name),
                    );
                }
                ("ip", w) if IGNORED_INTERFACE_IP.contains(&w) => {}
                ("ipv6", _) => self.unmodelled("IPv6 (format 1 is IPv4 only)", child.no),
                ("zone-member", "security") => match cw.get(2) {
                    Some(z) => iface.zone = Some((z.text.to_string(), child.no)),
                    None => self.warn(child.no, "`zone-member security` without a zone ignored"),
                },
                ("crypto", _) => self.unmodelled("crypto (IPsec, PKI)", child.no),
                (w, _) if IGNORED_INTERFACE.contains(&w) => {}
                _ => self.warn(
                    child.no,
                    format!(
                        "unsupported interface command `{}` on {} ignored",
                        command_name(&cw),
                        iface.name
                    ),
                ),
            }
        }
        self.interfaces.insert(at, iface);
    }

    fn interface_address(&mut self, iface: &mut Interface, line: usize, cw: &[Word<'_>]) {
        let Some(a) = cw.get(2) else {
            self.warn(line, "`ip address` without an address ignored");
            return;
        };
        if matches!(a.text, "dhcp" | "negotiated" | "pool") {
            self.warn(
                line,
                format!(
                    "{} takes its address from `{}`: imported without an address",
                    iface.name, a.text
                ),
            );
            return;
        }
        let Ok(addr) = a.text.parse::<Ipv4Addr>() else {
            self.warn(
                line,
                format!("`{}` is not an IPv4 address; ignored", shown(a.text)),
            );
            return;
        };
        if cw.get(4).is_some_and(|w| w.text == "secondary") {
            self.warn(
                line,
                format!(
                    "secondary address {addr} on {} not imported: an interface sits on one \
                     segment in the model (map the other subnet with its own firewall \
                     interface if it matters)",
                    iface.name
                ),
            );
            return;
        }
        iface.ip = Some(addr);
        iface.subnet = cw
            .get(3)
            .and_then(|m| m.text.parse::<Ipv4Addr>().ok())
            .and_then(|m| super::routes::prefix_of(Ipv4Addr::UNSPECIFIED, m))
            .and_then(|len| ipnet::Ipv4Net::new(addr, len.prefix_len()).ok())
            .map(|n| n.trunc());
    }

    /// `access-list N ...`: numbered ACLs (1-99 and 1300-1999 standard, 100-199 and
    /// 2000-2699 extended).
    fn numbered_entry(&mut self, line: Line<'a>, words: &[Word<'a>]) {
        let Some(num) = words.get(1) else {
            self.warn(line.no, "`access-list` without a number ignored");
            return;
        };
        let kind = match num.text.parse::<u32>() {
            Ok(1..=99 | 1300..=1999) => Kind::Standard,
            Ok(100..=199 | 2000..=2699) => Kind::Extended,
            _ => {
                self.warn(
                    line.no,
                    format!(
                        "access-list {} is not an IPv4 standard or extended list; ignored",
                        shown(num.text)
                    ),
                );
                return;
            }
        };
        let what = words.get(2).map(|w| w.text).unwrap_or("");
        let acl = self.acls.entry(num.text.to_string()).or_insert(Acl {
            kind,
            entries: Vec::new(),
        });
        match what {
            "remark" => {}
            "dynamic" => {
                self.unmodelled("lock-and-key (`access-list ... dynamic`) entries", line.no)
            }
            _ => acl.entries.push(line),
        }
    }

    /// `ip access-list standard|extended NAME` and its entries.
    fn named_acl(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let kind = match words.get(2).map(|w| w.text) {
            Some("standard") => Kind::Standard,
            Some("extended") => Kind::Extended,
            _ => {
                self.warn(
                    line.no,
                    format!("unsupported command `{}` ignored", command_name(words)),
                );
                return;
            }
        };
        let Some(name) = words.get(3) else {
            self.warn(line.no, "`ip access-list` without a name ignored");
            return;
        };
        let mut entries: Vec<(u64, usize, Line<'a>)> = Vec::new();
        let mut next_seq = 10;
        for child in children {
            let cw = child.words();
            let Some(c0) = cw.first() else { continue };
            let (seq, rest) = match c0.text.parse::<u64>() {
                Ok(n) => (n, &cw[1..]),
                Err(_) => (next_seq, &cw[..]),
            };
            next_seq = seq + 10;
            match rest.first().map(|w| w.text) {
                Some("permit" | "deny") => entries.push((seq, entries.len(), *child)),
                Some("remark") => {}
                Some("evaluate") => self.stateful.push((
                    child.no,
                    format!(
                        "ACL {} evaluates a reflexive list (replies of reflected sessions \
                         return)",
                        shown(name.text)
                    ),
                )),
                Some("dynamic") => {
                    self.unmodelled("lock-and-key (`access-list ... dynamic`) entries", child.no)
                }
                Some(t) if t.starts_with('!') => {}
                _ => self.warn(
                    child.no,
                    format!(
                        "unsupported line in ACL {} ignored (`{}`)",
                        shown(name.text),
                        command_name(rest)
                    ),
                ),
            }
        }
        // IOS orders a named list by sequence number, whatever order it was typed in.
        entries.sort_by_key(|(seq, order, _)| (*seq, *order));
        let acl = self.acls.entry(name.text.to_string()).or_insert(Acl {
            kind,
            entries: Vec::new(),
        });
        if acl.kind != kind {
            self.warn(
                line.no,
                format!(
                    "ACL {} is defined both as standard and extended; the first definition \
                     is kept",
                    shown(name.text)
                ),
            );
            return;
        }
        acl.entries.extend(entries.into_iter().map(|(_, _, l)| l));
    }

    /// Flattens the object-groups (nested `group-object`s included).
    fn groups(&mut self) -> Result<Groups, ImportError> {
        let mut groups = Groups::default();
        let names: Vec<String> = self.raw_groups.keys().cloned().collect();
        for name in names {
            let mut seen = Vec::new();
            if self.raw_groups[&name].network {
                match self.network_group(&name, &mut seen) {
                    Ok(set) => {
                        groups.networks.insert(name, set);
                    }
                    Err(e) => {
                        groups.failed.insert(name, e);
                    }
                }
            } else {
                match self.service_group(&name, &mut seen) {
                    Ok(svc) => {
                        groups.services.insert(name, svc);
                    }
                    Err(e) => {
                        groups.failed.insert(name, e);
                    }
                }
            }
        }
        Ok(groups)
    }

    /// The lines of object-group `name`, entered on the way down from the groups in `seen`
    /// (pushed onto it; the caller pops it when done). A group reached again through its own
    /// members is an error.
    fn enter_group(
        &self,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<Vec<Line<'a>>, ImportError> {
        if seen.iter().any(|s| s == name) {
            // IOS refuses such a group; a configuration holding one is not one it wrote.
            return Err(ImportError {
                line: self.raw_groups[name].line,
                column: 1,
                message: format!(
                    "object-group {} contains itself (through {})",
                    shown(name),
                    seen.iter()
                        .map(|s| shown(s))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            });
        }
        seen.push(name.to_string());
        Ok(self.raw_groups[name].children.clone())
    }

    fn network_group(
        &mut self,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<Vec<AddrRange>, ImportError> {
        let children = self.enter_group(name, seen)?;
        let mut set = Vec::new();
        for child in children {
            let mut cw = child.words();
            // IOS-XE (and ASA) also write entries as `network-object host A`, `network-object
            // A M`, `network-object any`.
            if cw.first().is_some_and(|w| w.text == "network-object") && cw.len() > 1 {
                cw.remove(0);
            }
            let Some(c0) = cw.first() else { continue };
            let addr = |w: Option<&Word<'_>>| -> Result<u32, ImportError> {
                let w = w.ok_or(ImportError {
                    line: child.no,
                    column: child.text.chars().count() + 1,
                    message: "an address is missing".into(),
                })?;
                w.text
                    .parse::<Ipv4Addr>()
                    .map(u32::from)
                    .map_err(|_| ImportError {
                        line: child.no,
                        column: w.col,
                        message: format!("`{}` is not an IPv4 address", shown(w.text)),
                    })
            };
            match c0.text {
                "description" => {}
                "host" => set.push(AddrRange::single(addr(cw.get(1))?.into())),
                "range" => {
                    let (a, b) = (addr(cw.get(1))?, addr(cw.get(2))?);
                    if b < a {
                        return Err(ImportError {
                            line: child.no,
                            column: c0.col,
                            message: "the range ends before it starts".into(),
                        });
                    }
                    set.push(AddrRange { first: a, last: b });
                }
                "any" => set.push(AddrRange::ALL),
                "group-object" => {
                    let Some(inner) = cw.get(1) else { continue };
                    if self.raw_groups.get(inner.text).is_some_and(|g| g.network) {
                        let inner_set = self.network_group(inner.text, seen)?;
                        set.extend(inner_set);
                    } else {
                        return Err(ImportError {
                            line: child.no,
                            column: inner.col,
                            message: format!(
                                "network object-group `{}` is not defined",
                                shown(inner.text)
                            ),
                        });
                    }
                }
                t if t.starts_with('!') => {}
                _ => {
                    // `A M` with a subnet mask, or `A/len`.
                    let (a, mask) = match c0.text.split_once('/') {
                        Some((a, len)) => {
                            let len: u32 =
                                len.parse().ok().filter(|l| *l <= 32).ok_or(ImportError {
                                    line: child.no,
                                    column: c0.col,
                                    message: format!("`{}` is not a prefix", shown(c0.text)),
                                })?;
                            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                            (
                                addr(Some(&Word {
                                    text: a,
                                    col: c0.col,
                                }))?,
                                mask,
                            )
                        }
                        None => (addr(Some(c0))?, addr(cw.get(1))?),
                    };
                    if mask.leading_ones() + mask.trailing_zeros() != 32 {
                        return Err(ImportError {
                            line: child.no,
                            column: cw.get(1).map_or(c0.col, |w| w.col),
                            message: format!(
                                "{} is not a subnet mask (object-groups take masks, not \
                                 wildcards)",
                                Ipv4Addr::from(mask)
                            ),
                        });
                    }
                    set.push(AddrRange {
                        first: a & mask,
                        last: (a & mask) | !mask,
                    });
                }
            }
        }
        seen.pop();
        Ok(ranges::normalize(set))
    }

    fn service_group(
        &mut self,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<ServiceGroup, ImportError> {
        let children = self.enter_group(name, seen)?;
        let mut group = ServiceGroup::default();
        for child in children {
            let mut cw = child.words();
            // `service-object tcp destination eq 80`, `service-object tcp-udp eq domain`.
            if cw.first().is_some_and(|w| w.text == "service-object") && cw.len() > 1 {
                cw.remove(0);
            }
            let Some(c0) = cw.first() else { continue };
            match c0.text {
                "description" => continue,
                t if t.starts_with('!') => continue,
                "group-object" => {
                    let Some(inner) = cw.get(1) else { continue };
                    if self.raw_groups.get(inner.text).is_some_and(|g| !g.network) {
                        let g = self.service_group(inner.text, seen)?;
                        group.services.extend(g.services);
                        group.narrowing.extend(g.narrowing);
                        continue;
                    }
                    return Err(ImportError {
                        line: child.no,
                        column: inner.col,
                        message: format!(
                            "service object-group `{}` is not defined",
                            shown(inner.text)
                        ),
                    });
                }
                _ => {}
            }
            let (protos, rest): (Vec<u8>, &[Word<'_>]) = if c0.text == "tcp-udp" {
                (vec![6, 17], &cw[1..])
            } else {
                match acl::protocol_number(c0.text) {
                    Some(None) => {
                        group.services.push(Service::Any);
                        continue;
                    }
                    Some(Some(p)) => (vec![p], &cw[1..]),
                    None => {
                        return Err(ImportError {
                            line: child.no,
                            column: c0.col,
                            message: format!(
                                "unknown protocol `{}` in service object-group {}",
                                shown(c0.text),
                                shown(name)
                            ),
                        });
                    }
                }
            };
            // Reuse the entry parser for the port part: `eq 80`, `source range 1 2`, ...
            let mut dst_ports: Option<Vec<crate::model::service::PortRange>> = None;
            let mut k = 0;
            while k < rest.len() {
                let w = rest[k];
                if w.text == "source" {
                    group
                        .narrowing
                        .push("a source port in a service object-group".into());
                    k = rest.len();
                    continue;
                }
                if w.text == "destination" {
                    k += 1;
                    continue;
                }
                if matches!(w.text, "eq" | "neq" | "lt" | "gt" | "range")
                    && protos.iter().all(|p| *p == 6 || *p == 17)
                {
                    dst_ports = Some(group_ports(&rest[k..], protos[0], child.no)?);
                    k = rest.len();
                    continue;
                }
                group
                    .narrowing
                    .push(format!("`{}` in a service object-group", shown(w.text)));
                k += 1;
            }
            for p in protos {
                match &dst_ports {
                    None => group.services.push(Service::Proto {
                        proto: p,
                        ports: crate::model::service::PortRange::ALL,
                    }),
                    Some(list) => group
                        .services
                        .extend(list.iter().map(|&ports| Service::Proto { proto: p, ports })),
                }
            }
        }
        seen.pop();
        Ok(group)
    }

    /// The model: interfaces per the mapping, one filter per applied ACL.
    fn build(mut self, file: &str, map: &Mapping) -> Result<Imported, ImportError> {
        let groups = self.groups()?;
        let interfaces = std::mem::take(&mut self.interfaces);
        self.warn_interfaces(&interfaces, map);
        let order: Vec<(String, Option<Ipv4Addr>)> =
            interfaces.iter().map(|i| (i.name.clone(), i.ip)).collect();
        let mut firewall = common::firewall(map, &order, Action::Allow, false);
        self.acl_filters(file, &interfaces, map, &groups, &mut firewall)?;
        let mapped = |name: &str| map.interfaces.contains_key(name);
        self.nat_entries(file, &interfaces, &mapped, &groups, &mut firewall.nat)?;
        common::nat_filters_nothing(&mut firewall.nat);
        self.zone_policy(file, &interfaces, map, &groups, &mut firewall)?;
        // Every group an applied ACL uses was read (or the import stopped): the others that
        // cannot be read change nothing.
        for (name, e) in &groups.failed {
            let line = self.raw_groups.get(name).map_or(e.line, |g| g.line);
            self.warn_on(
                line,
                "object-groups no applied ACL uses, not readable",
                format!(
                    "object-group {} cannot be read (line {}: {}); no applied ACL uses it, so it is ignored",
                    shown(name),
                    e.line,
                    e.message
                ),
            );
        }
        let unmodelled = common::unmodelled_warnings(std::mem::take(&mut self.unmodelled));
        self.warnings.extend(unmodelled);
        let subnets: Vec<(String, ipnet::Ipv4Net)> = interfaces
            .iter()
            .filter_map(|i| i.subnet.map(|s| (i.name.clone(), s)))
            .collect();
        let mut route_warnings = std::mem::take(&mut self.route_warnings);
        std::mem::take(&mut self.routes).apply(&mut firewall, file, &subnets, &mut route_warnings);
        self.warnings.extend(route_warnings.into_sorted());
        if let Some((line, count)) = self.skipped.take() {
            self.warn(
                line,
                format!(
                    "{count} top-level command(s) that do not change forwarding (management, \
                     logging, L2, QoS, credentials; the first here) were skipped unread"
                ),
            );
        }
        Ok(common::finish_tracked(
            firewall,
            std::mem::take(&mut self.warnings),
            std::mem::take(&mut self.stateful),
            map,
            "would not",
        ))
    }

    /// Warns about interfaces left out (not mapped, with addresses or ACLs), shut down ones,
    /// and the mapping's names the configuration does not define.
    fn warn_interfaces(&mut self, interfaces: &[Interface], map: &Mapping) {
        for iface in interfaces {
            if !map.interfaces.contains_key(&iface.name) {
                if !iface.groups.is_empty() || iface.ip.is_some() {
                    self.warn(
                        iface.line,
                        format!(
                            "interface {} is not in the mapping: not imported{}",
                            iface.name,
                            if iface.groups.is_empty() {
                                ""
                            } else {
                                ", and its access-groups are lost"
                            }
                        ),
                    );
                }
                continue;
            }
            if iface.shutdown {
                self.warn(
                    iface.line,
                    format!(
                        "interface {} is shut down; imported as if up (the model has no link \
                         state, and `no shutdown` is one command away)",
                        iface.name
                    ),
                );
            }
        }
        for name in map.interfaces.keys() {
            if !interfaces.iter().any(|i| &i.name == name) {
                self.warn(
                    0,
                    format!(
                        "the mapping names interface {name}, which the configuration does not \
                         define: imported without an address or filters"
                    ),
                );
            }
        }
    }

    /// The ACLs applied on mapped interfaces, as filters. Each ACL is converted once, however
    /// many interfaces apply it.
    fn acl_filters(
        &mut self,
        file: &str,
        interfaces: &[Interface],
        map: &Mapping,
        groups: &Groups,
        firewall: &mut Firewall,
    ) -> Result<(), ImportError> {
        let mut converted: BTreeMap<String, Vec<Rule>> = BTreeMap::new();
        for iface in interfaces {
            if !map.interfaces.contains_key(&iface.name) {
                continue;
            }
            for (dir, (acl_name, line)) in &iface.groups {
                let direction = match dir {
                    DirKey::In => Direction::In,
                    DirKey::Out => Direction::Out,
                };
                let Some(acl) = self.acls.get(acl_name) else {
                    self.warn(
                        *line,
                        format!(
                            "ACL {} applied {direction} on {} is not defined: IOS then permits \
                             every packet, so no filter is imported",
                            shown(acl_name),
                            iface.name
                        ),
                    );
                    continue;
                };
                if acl.entries.is_empty() {
                    self.warn(
                        *line,
                        format!(
                            "ACL {} applied {direction} on {} has no entries: IOS then permits \
                             every packet, so no filter is imported",
                            shown(acl_name),
                            iface.name
                        ),
                    );
                    continue;
                }
                if let std::collections::btree_map::Entry::Vacant(slot) =
                    converted.entry(acl_name.clone())
                {
                    slot.insert(self.convert(file, acl_name, groups)?);
                }
                firewall.filters.push(Filter {
                    interface: At::new(iface.name.clone(), Loc::default()),
                    direction,
                    default: Action::Deny,
                    rules: converted[acl_name].clone(),
                    loc: Loc::default(),
                });
            }
        }
        Ok(())
    }

    /// The zone-based firewall, when a mapped interface is in a zone: the policy list.
    /// IOS-XE: with `zone security default`, interfaces in no zone are in that one.
    fn zone_policy(
        &mut self,
        file: &str,
        interfaces: &[Interface],
        map: &Mapping,
        groups: &Groups,
        firewall: &mut Firewall,
    ) -> Result<(), ImportError> {
        let default_zone = self
            .zbf
            .zones
            .contains_key("default")
            .then(|| "default".to_string());
        let zoned: Vec<(String, Option<String>)> = interfaces
            .iter()
            .filter(|i| map.interfaces.contains_key(&i.name))
            .map(|i| {
                (
                    i.name.clone(),
                    i.zone
                        .as_ref()
                        .map(|z| z.0.clone())
                        .or(default_zone.clone()),
                )
            })
            .collect();
        let mut zone_rules = Vec::new();
        if let Some(inspect) = self.zone_rules(file, &zoned, groups, &mut zone_rules)? {
            firewall.rules = zone_rules;
            firewall.default = Action::Deny;
            if inspect > 0 {
                self.stateful.push((
                    inspect,
                    "the zone-based firewall inspects (`inspect`), so replies of inspected \
                     connections return"
                        .into(),
                ));
            }
        }
        for iface in interfaces {
            if let Some((zone, line)) = &iface.zone
                && !self.zbf.zones.contains_key(zone)
                && map.interfaces.contains_key(&iface.name)
            {
                self.warn(
                    *line,
                    format!(
                        "zone {} of {} is not defined by `zone security`: read as a zone anyway",
                        shown(zone),
                        iface.name
                    ),
                );
            }
        }
        Ok(())
    }

    /// One ACL's entries as rules, with the warnings for every approximation.
    fn convert(
        &mut self,
        file: &str,
        name: &str,
        groups: &Groups,
    ) -> Result<Vec<Rule>, ImportError> {
        let (kind, entries) = {
            let acl = &self.acls[name];
            (acl.kind, acl.entries.clone())
        };
        let mut rules = Vec::new();
        let mut approximations = common::Approximations::default();
        // The entry's sequence number (`10 permit …`), else the one IOS gives it: 10 after
        // the last.
        let mut seq: u64 = 0;
        for line in entries {
            let words = line.words();
            seq = match words.first().map(|w| w.text.parse::<u64>()) {
                Some(Ok(n)) if words.first().is_some_and(|w| w.text != "access-list") => n,
                _ => seq + 10,
            };
            let mut cur = Cursor::new(&words[entry_start(&words)..], line.no);
            let entry = acl::parse(kind, &mut cur, groups)?;
            let verb = if entry.action == Action::Allow {
                "permit"
            } else {
                "deny"
            };
            if let Some(why) = &entry.never_opens {
                self.warn_on(
                    line.no,
                    "ACL entries that never match the first packet of a connection left out",
                    format!(
                        "ACL {} {verb} with {why} never matches the first packet of a \
                         connection: left out of the filter",
                        shown(name)
                    ),
                );
                if entry.action == Action::Allow {
                    self.stateful.push((
                        line.no,
                        format!(
                            "ACL {} lets replies in with {why} (stateless return traffic)",
                            shown(name)
                        ),
                    ));
                }
                continue;
            }
            if entry.reflect {
                self.stateful.push((
                    line.no,
                    format!("ACL {} reflects sessions (`reflect`)", shown(name)),
                ));
            }
            let mut widened = entry.narrowing.clone();
            widened.extend(
                entry
                    .approximated
                    .iter()
                    .map(|a| format!("the address {a}")),
            );
            let origin = common::origin(file, line.no);
            if !widened.is_empty() {
                if entry.action == Action::Deny {
                    // Later permits that overlap it assume it does not match, unless all it
                    // tests beyond the model is a packet field flows do not have.
                    let assumed: Vec<&str> = widened
                        .iter()
                        .map(String::as_str)
                        .filter(|w| !common::is_packet_field(w))
                        .collect();
                    if !assumed.is_empty() {
                        approximations.dropped(
                            rules.len(),
                            common::Match {
                                src: Some(entry.from.clone()),
                                dst: Some(entry.to.clone()),
                                services: Some(entry.services.clone()),
                                ..common::Match::default()
                            },
                            common::dropped(&origin, &assumed.join(", ")),
                        );
                    }
                    self.warn_on(
                        line.no,
                        "ACL deny entries with a condition sansou cannot express left out",
                        format!(
                            "ACL {} deny tests {}, which sansou cannot express: the entry is \
                             left out, so later entries decide (this can only allow more than \
                             the device)",
                            shown(name),
                            widened.join(", ")
                        ),
                    );
                    continue;
                }
                self.warn_on(
                    line.no,
                    "ACL permit entries read without a condition sansou cannot express",
                    format!(
                        "ACL {} permit tests {}, which sansou cannot express: imported without \
                         it (this can only allow more than the device)",
                        shown(name),
                        widened.join(", ")
                    ),
                );
            }
            if entry.from.is_empty() || entry.to.is_empty() || entry.services.is_empty() {
                self.warn(
                    line.no,
                    format!(
                        "ACL {} entry matches no packet (an empty object-group or port range); \
                         left out",
                        shown(name)
                    ),
                );
                continue;
            }
            rules.push(Rule {
                action: entry.action,
                from: selectors(&entry.from),
                to: selectors(&entry.to),
                services: entry
                    .services
                    .iter()
                    .map(|s| At::new(*s, Loc::default()))
                    .collect(),
                in_interfaces: Vec::new(),
                out_interfaces: Vec::new(),
                log: entry.log,
                reason: None,
                approximation: (!widened.is_empty())
                    .then(|| common::widened(&origin, &widened.join(", "))),
                origin: Some(origin),
                identity: crate::model::RuleIdentity {
                    id: common::rule_id(&acl_id(name, seq)).map(common::at),
                    ..Default::default()
                }
                .into(),
                loc: Loc::default(),
            });
        }
        approximations.mark(&mut rules);
        Ok(rules)
    }
}

/// Where an ACL entry's own words start: after `access-list N` or a sequence number.
/// The id of an ACL entry: `NAME.SEQ` (`WEB-IN.10`), `acl-101.10` for a numbered ACL.
fn acl_id(name: &str, seq: u64) -> String {
    if name.chars().all(|c| c.is_ascii_digit()) {
        format!("acl-{name}.{seq}")
    } else {
        format!("{name}.{seq}")
    }
}

fn entry_start(words: &[Word<'_>]) -> usize {
    if words.first().is_some_and(|w| w.text == "access-list") {
        2
    } else if words.first().is_some_and(|w| w.text.parse::<u64>().is_ok()) {
        1
    } else {
        0
    }
}

/// Port operators of a service object-group entry (`eq www`, `range 1 2`).
fn group_ports(
    words: &[Word<'_>],
    proto: u8,
    line: usize,
) -> Result<Vec<crate::model::service::PortRange>, ImportError> {
    // The entry grammar is shared with the ACL parser: parse `permit <proto> any any <ports>`.
    let proto_word = if proto == 6 { "tcp" } else { "udp" };
    let mut all: Vec<Word<'_>> = vec![
        Word {
            text: "permit",
            col: 0,
        },
        Word {
            text: proto_word,
            col: 0,
        },
        Word {
            text: "any",
            col: 0,
        },
        Word {
            text: "any",
            col: 0,
        },
    ];
    all.extend_from_slice(words);
    let mut cur = Cursor::new(&all, line);
    let entry = acl::parse(Kind::Extended, &mut cur, &Groups::default())?;
    Ok(entry
        .services
        .iter()
        .filter_map(|s| match s {
            Service::Proto { ports, .. } => Some(*ports),
            Service::Any => None,
        })
        .collect())
}

/// Address ranges as selectors: everything is `any`, anything else one CIDR or range each
/// (a range prints as a CIDR when it is one).
pub(super) fn selectors(set: &[AddrRange]) -> Vec<At<Selector>> {
    let set = ranges::normalize(set.to_vec());
    if set == [AddrRange::ALL] {
        return vec![common::at(Selector::Any)];
    }
    set.into_iter()
        .map(|r| common::at(Selector::Addr(r)))
        .collect()
}
