//! Helpers every importer shares: the warnings list, interface resolution through the mapping,
//! address and service sets with the set operations vendor semantics need (negation, chains,
//! groups), well-known port names, netmask and wildcard parsing, and the rule of thumb for
//! quoting configuration text without leaking secrets.
//!
//! Sets are kept exact wherever the model can express them, so an imported rule matches what
//! the device matches. Where it cannot (an FQDN, a schedule), the importer says so in a warning
//! and chooses the reading that can only add reachability for allow rules and never invents a
//! block: a verifier must not hide a path because a configuration used a feature it does not
//! model.

use super::{Imported, Mapping, Warning};
use crate::model::service::{ICMP, PortRange, TCP, UDP, has_ports};
use crate::model::{
    Action, AddrRange, At, Attachment, Firewall, FirewallInterface, Rule, Selector, Service,
};
use crate::source::Loc;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// `FILE:LINE`, the `origin` of an imported rule: witnesses and SARIF point there.
pub fn origin(file: &str, line: usize) -> String {
    format!("{file}:{line}")
}

/// The line an [`origin`] names (0 when there is none).
pub fn origin_line(origin: Option<&str>) -> usize {
    origin
        .and_then(|o| o.rsplit(':').next())
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

/// An imported NAT entry from `file`'s `line` (its `origin`), without an id.
pub fn nat_entry(
    file: &str,
    line: usize,
    translation: crate::model::Translation,
) -> crate::model::Nat {
    crate::model::Nat {
        id: None,
        translation,
        origin: Some(origin(file, line)),
        hides: true,
        loc: Loc::default(),
    }
}

/// A value without a place in a topology file (imported values come from a configuration;
/// their place there is the rule's `origin`).
pub fn at<T>(value: T) -> At<T> {
    At::new(value, Loc::default())
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

/// The warnings of one import, in the order they were found.
#[derive(Default, Debug)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.0.push(Warning::new(line, message));
    }

    /// A warning that groups with the others of its topic when printed.
    pub fn warn_on(&mut self, line: usize, topic: &str, message: impl Into<String>) {
        self.0.push(Warning::on(line, topic, message));
    }

    pub fn push(&mut self, w: Warning) {
        self.0.push(w);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The warnings sorted by line (stable, so several on one line keep their order).
    pub fn into_sorted(mut self) -> Vec<Warning> {
        self.0.sort_by_key(|w| w.line);
        self.0
    }

    /// The result of an import: the firewall and the warnings sorted by line, with one more
    /// when fewer than two interfaces are mapped (the firewall would forward nothing).
    pub fn imported(mut self, mut firewall: Firewall) -> super::Imported {
        unique_rule_ids(&mut firewall);
        if firewall.interfaces.len() < 2 {
            self.warn(
                0,
                format!(
                    "only {} interface(s) are mapped: a firewall forwards between at least two",
                    firewall.interfaces.len()
                ),
            );
        }
        super::Imported {
            firewall,
            warnings: self.into_sorted(),
        }
    }
}

/// One warning per line that uses a feature the importer met but the model does not have
/// (routing, NAT, VPN ...), grouped under the topic `TOPIC not modelled` when printed:
/// `topic → lines`.
pub fn unmodelled_warnings(
    unmodelled: std::collections::BTreeMap<&'static str, Vec<usize>>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    for (topic, lines) in unmodelled {
        let topic = format!("{topic} not modelled");
        for line in lines {
            out.push(Warning::on(
                line,
                topic.clone(),
                format!("{topic}: sansou lets a packet take any path the filters allow"),
            ));
        }
    }
    out
}

/// Warnings that share a topic (or a message): how many, and the first one.
#[derive(Debug)]
pub struct WarningGroup<'w> {
    pub topic: &'w str,
    pub first: &'w Warning,
    /// The lines of every warning of the group, in order.
    pub lines: Vec<usize>,
}

/// The warnings grouped by [`Warning::key`], in the order of each group's first warning (the
/// warnings come sorted by line).
pub fn warning_groups(warnings: &[Warning]) -> Vec<WarningGroup<'_>> {
    let mut groups: Vec<WarningGroup<'_>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for w in warnings {
        match index.get(w.key()) {
            Some(&i) => groups[i].lines.push(w.line),
            None => {
                index.insert(w.key(), groups.len());
                groups.push(WarningGroup {
                    topic: w.key(),
                    first: w,
                    lines: vec![w.line],
                });
            }
        }
    }
    groups
}

/// How `sansou import` prints its warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// One line per topic (a count and the first line), at most this many topics.
    Grouped(usize),
    /// Every warning on its own line.
    All,
}

/// `FILE:LINE` (or `FILE` for the file as a whole).
fn place(file: &str, line: usize) -> String {
    if line == 0 {
        file.to_string()
    } else {
        format!("{file}:{line}")
    }
}

/// The warnings as a user reads them at the end of an import: the count, then either every
/// warning with `FILE:LINE`, or one line per topic (`` `ip inspect` not modelled: 39 lines,
/// first at r1.conf:54 ``).
pub fn warnings_text(file: &str, warnings: &[Warning], shown: Shown) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if warnings.is_empty() {
        return out;
    }
    match shown {
        Shown::All => {
            let _ = writeln!(out, "{} warning(s) while importing {file}:", warnings.len());
            for w in warnings {
                let _ = writeln!(out, "  warning: {}: {}", place(file, w.line), w.message);
            }
        }
        Shown::Grouped(limit) => {
            let groups = warning_groups(warnings);
            let _ = writeln!(
                out,
                "{} warning(s) while importing {file}{}:",
                warnings.len(),
                if groups.len() < warnings.len() || groups.len() > limit {
                    format!(
                        ", on {} topic(s) (`--warnings all` lists every one)",
                        groups.len()
                    )
                } else {
                    String::new()
                }
            );
            for g in groups.iter().take(limit) {
                if g.lines.len() == 1 {
                    let _ = writeln!(
                        out,
                        "  warning: {}: {}",
                        place(file, g.first.line),
                        g.first.message
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "  warning: {}: {} {}, first at {}",
                        g.topic,
                        g.lines.len(),
                        if g.lines.iter().all(|l| *l > 0) {
                            "lines"
                        } else {
                            "times"
                        },
                        place(file, g.first.line)
                    );
                }
            }
            if groups.len() > limit {
                let _ = writeln!(out, "  … and {} more topic(s)", groups.len() - limit);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// Words after which a configuration line carries a secret (passwords, keys, communities).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "psk",
    "psksecret",
    "key",
    "pre-shared-key",
    "community",
    "enc",
    "authentication-key",
    "md5",
    "private-key",
    "passphrase",
    "token",
];

/// Whether a configuration word introduces a secret (compared case-insensitively, also as part
/// of a longer keyword such as `set psksecret`, `snmp-server community`, `pre-shared-key`).
pub fn is_secret_word(word: &str) -> bool {
    let w = word.trim_matches('"').to_ascii_lowercase();
    SECRET_WORDS.contains(&w.as_str())
        || [
            "password",
            "passwd",
            "secret",
            "community",
            "psk",
            "key",
            "passphrase",
        ]
        .iter()
        .any(|s| w.contains(s))
}

/// The start of a configuration line, safe to quote in a message: its first words up to (and
/// including) the first word that introduces a secret, at most six words and 60 characters.
/// Messages quote configuration text only through this function.
pub fn excerpt(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split_whitespace().enumerate() {
        if i == 6 || out.chars().count() + word.chars().count() > 60 {
            out.push_str(" …");
            return out;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if is_secret_word(word) {
            out.push_str(" (value not shown)");
            return out;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Interfaces
// ---------------------------------------------------------------------------------------------

/// Device interface names resolved through the mapping; an unmapped name is warned about once,
/// at its first use.
pub struct Interfaces<'m> {
    map: &'m Mapping,
    warned: BTreeSet<String>,
}

impl<'m> Interfaces<'m> {
    pub fn new(map: &'m Mapping) -> Interfaces<'m> {
        Interfaces {
            map,
            warned: BTreeSet::new(),
        }
    }

    /// Whether the mapping places this interface.
    pub fn is_mapped(&self, name: &str) -> bool {
        self.map.interfaces.contains_key(name)
    }

    /// Every mapped interface name (sorted).
    pub fn mapped(&self) -> impl Iterator<Item = &'m str> {
        self.map.interfaces.keys().map(String::as_str)
    }

    /// `Some(name)` when mapped; otherwise warns (once per name) and gives `None`.
    pub fn resolve(&mut self, name: &str, line: usize, warnings: &mut Warnings) -> Option<String> {
        if self.is_mapped(name) {
            return Some(name.to_string());
        }
        if self.warned.insert(name.to_string()) {
            warnings.warn(
                line,
                format!(
                    "interface `{name}` is not in the mapping: traffic through it is not modelled, and rules that use only unmapped interfaces are left out"
                ),
            );
        }
        None
    }
}

/// The firewall an importer fills: the mapped interfaces in `order` (the device's own order,
/// with the addresses it configures), then any mapped interface the configuration never named,
/// in the mapping's order. `stateful` is what the configuration implies, unless the mapping
/// overrides it.
pub fn firewall(
    map: &Mapping,
    order: &[(String, Option<Ipv4Addr>)],
    default: Action,
    stateful: bool,
) -> Firewall {
    let mut interfaces: Vec<FirewallInterface> = Vec::new();
    let mut seen = BTreeSet::new();
    let known = order.iter().map(|(n, ip)| (n.as_str(), *ip));
    let rest = map.interfaces.keys().map(|n| (n.as_str(), None));
    for (name, ip) in known.chain(rest) {
        let Some(attachment) = map.interfaces.get(name) else {
            continue;
        };
        if !seen.insert(name.to_string()) {
            continue;
        }
        interfaces.push(FirewallInterface {
            name: Some(name.to_string()),
            attachment: at(attachment.clone()),
            ip: ip.map(at),
            loc: Loc::default(),
        });
    }
    Firewall {
        id: map.device.clone(),
        interfaces,
        default,
        stateful: map.stateful.unwrap_or(stateful),
        isolation_point: map.isolation_point,
        rules: Vec::new(),
        filters: Vec::new(),
        routes: Vec::new(),
        nat: Vec::new(),
        name: map.name.clone(),
        description: None,
        loc: Loc::default(),
    }
}

/// Whether an interface is attached to an external network (for messages).
pub fn faces_external(map: &Mapping, name: &str) -> bool {
    matches!(map.interfaces.get(name), Some(Attachment::External(_)))
}

// ---------------------------------------------------------------------------------------------
// Address sets
// ---------------------------------------------------------------------------------------------

pub use crate::model::ranges::normalize;

/// Every address not in the set.
pub fn complement(ranges: &[AddrRange]) -> Vec<AddrRange> {
    let everything = [AddrRange {
        first: 0,
        last: u32::MAX,
    }];
    crate::model::ranges::subtract(&everything, &normalize(ranges.to_vec()))
}

/// The addresses in both sets.
pub fn intersect(a: &[AddrRange], b: &[AddrRange]) -> Vec<AddrRange> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if x.overlaps(y) {
                out.push(AddrRange {
                    first: x.first.max(y.first),
                    last: x.last.min(y.last),
                });
            }
        }
    }
    normalize(out)
}

/// A prefix from an address and a length, host bits cleared (devices accept `10.1.0.5/24` and
/// mean the subnet).
pub fn prefix(addr: Ipv4Addr, len: u8) -> Option<AddrRange> {
    let net = ipnet::Ipv4Net::new(addr, len).ok()?.trunc();
    Some(AddrRange::from_net(net))
}

/// The prefix length of a contiguous netmask (`255.255.255.0` → 24).
pub fn mask_len(mask: Ipv4Addr) -> Option<u8> {
    let m = u32::from(mask);
    let len = m.leading_ones();
    (m.checked_shl(len).unwrap_or(0) == 0).then_some(len as u8)
}

/// The addresses of `addr` with a Cisco-style wildcard (`0.0.0.255`), when the wildcard is
/// contiguous; a non-contiguous wildcard (`0.0.255.0`) is not a range and gives `None`.
pub fn wildcard_range(addr: Ipv4Addr, wildcard: Ipv4Addr) -> Option<AddrRange> {
    let w = u32::from(wildcard);
    mask_len(Ipv4Addr::from(!w)).and_then(|len| prefix(addr, len))
}

/// `A.B.C.D`, `A.B.C.D/LEN` or `A.B.C.D/M.M.M.M`, host bits cleared.
pub fn parse_cidr(text: &str) -> Option<AddrRange> {
    match text.split_once('/') {
        None => text.parse().ok().map(AddrRange::single),
        Some((a, l)) => {
            let addr: Ipv4Addr = a.parse().ok()?;
            let len = match l.parse::<u8>() {
                Ok(n) => n,
                Err(_) => mask_len(l.parse().ok()?)?,
            };
            prefix(addr, len)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Service sets
// ---------------------------------------------------------------------------------------------

/// Sorts services, merges port ranges of one protocol, and collapses to `[Any]` when anything
/// is `Any`.
pub fn normalize_services(mut list: Vec<Service>) -> Vec<Service> {
    if list.contains(&Service::Any) {
        return vec![Service::Any];
    }
    list.sort();
    let mut out: Vec<Service> = Vec::with_capacity(list.len());
    for s in list {
        if let (
            Some(Service::Proto {
                proto: p0,
                ports: last,
            }),
            Service::Proto { proto, ports },
        ) = (out.last_mut(), s)
            && *p0 == proto
            && u32::from(ports.first) <= u32::from(last.last) + 1
        {
            last.last = last.last.max(ports.last);
            continue;
        }
        out.push(s);
    }
    out
}

/// The services in both sets.
pub fn intersect_services(a: &[Service], b: &[Service]) -> Vec<Service> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let meet = match (*x, *y) {
                (Service::Any, s) | (s, Service::Any) => Some(s),
                (
                    Service::Proto {
                        proto: p1,
                        ports: r1,
                    },
                    Service::Proto {
                        proto: p2,
                        ports: r2,
                    },
                ) if p1 == p2 => {
                    let first = r1.first.max(r2.first);
                    let last = r1.last.min(r2.last);
                    (first <= last).then_some(Service::Proto {
                        proto: p1,
                        ports: PortRange { first, last },
                    })
                }
                _ => None,
            };
            out.extend(meet);
        }
    }
    normalize_services(out)
}

/// Every service not in the set: the other protocols whole, and the ports of TCP and UDP the
/// set leaves out. Exact, though a set like `tcp/80` has 255 entries in its complement.
pub fn complement_services(set: &[Service]) -> Vec<Service> {
    let set = normalize_services(set.to_vec());
    if set == [Service::Any] {
        return Vec::new();
    }
    let mut out = Vec::new();
    for proto in 0..=u8::MAX {
        let ranges: Vec<PortRange> = set
            .iter()
            .filter_map(|s| match *s {
                Service::Proto { proto: p, ports } if p == proto => Some(ports),
                _ => None,
            })
            .collect();
        if !has_ports(proto) {
            if ranges.is_empty() {
                out.push(Service::Proto {
                    proto,
                    ports: PortRange::ALL,
                });
            }
            continue;
        }
        let mut next: u32 = 0;
        for r in ranges {
            if u32::from(r.first) > next {
                out.push(Service::Proto {
                    proto,
                    ports: PortRange {
                        first: next as u16,
                        last: r.first - 1,
                    },
                });
            }
            next = next.max(u32::from(r.last) + 1);
        }
        if next <= u32::from(u16::MAX) {
            out.push(Service::Proto {
                proto,
                ports: PortRange {
                    first: next as u16,
                    last: u16::MAX,
                },
            });
        }
    }
    out
}

/// A TCP or UDP service on a port range.
pub fn ports(proto: u8, first: u16, last: u16) -> Service {
    Service::Proto {
        proto,
        ports: PortRange { first, last },
    }
}

/// A whole protocol (`icmp`, `gre`, `ip/89`).
pub fn protocol(proto: u8) -> Service {
    Service::Proto {
        proto,
        ports: PortRange::ALL,
    }
}

/// IP protocols by the names configurations use (iptables `-p`, IOS `permit ospf`, RTX).
pub fn protocol_by_name(name: &str) -> Option<u8> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "icmp" => ICMP,
        "igmp" => 2,
        "ipip" | "ipinip" => 4,
        "tcp" => TCP,
        "egp" => 8,
        "udp" => UDP,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "eigrp" => 88,
        "ospf" | "ospfigp" => 89,
        "pim" => 103,
        "vrrp" => 112,
        "l2tp" => 115,
        "sctp" => 132,
        _ => return n.parse().ok(),
    })
}

/// Well-known port names (IANA service names, plus the spellings Cisco IOS and YAMAHA RTX
/// accept), for the protocol they are used with. `None` for a name this table does not know:
/// the importer warns rather than guess.
pub fn port_by_name(proto: u8, name: &str) -> Option<u16> {
    let n = name.to_ascii_lowercase();
    let both = match n.as_str() {
        "echo" => 7,
        "discard" => 9,
        "domain" | "dns" => 53,
        "tacacs" => 49,
        "kerberos" => 88,
        "sunrpc" | "rpc" => 111,
        "ntp" => 123,
        "netbios-ns" => 137,
        "netbios-dgm" => 138,
        "netbios-ssn" | "netbios-ss" => 139,
        "ldap" => 389,
        "microsoft-ds" | "smb" => 445,
        "syslog" if proto == UDP => 514,
        "nfs" => 2049,
        _ => 0,
    };
    if both != 0 {
        return Some(both);
    }
    let port = if proto == TCP {
        match n.as_str() {
            "ftp-data" => 20,
            "ftp" => 21,
            "ssh" => 22,
            "telnet" => 23,
            "smtp" => 25,
            "time" => 37,
            "whois" => 43,
            "gopher" => 70,
            "finger" => 79,
            "www" | "http" => 80,
            "pop2" => 109,
            "pop3" => 110,
            "ident" => 113,
            "nntp" => 119,
            "epmap" | "msrpc" | "loc-srv" => 135,
            "imap" | "imap2" | "imap4" => 143,
            "bgp" => 179,
            "irc" => 194,
            "https" => 443,
            "smtps" => 465,
            "exec" => 512,
            "login" => 513,
            "cmd" | "shell" => 514,
            "lpd" | "printer" => 515,
            "talk" => 517,
            "uucp" => 540,
            "klogin" => 543,
            "kshell" => 544,
            "ldaps" => 636,
            "imaps" => 993,
            "pop3s" => 995,
            "ms-sql-s" | "mssql" => 1433,
            "pptp" => 1723,
            "mysql" => 3306,
            "ms-wbt-server" | "rdp" => 3389,
            "submission" => 587,
            _ => return None,
        }
    } else if proto == UDP {
        match n.as_str() {
            "time" => 37,
            "nameserver" => 42,
            "bootps" | "dhcps" => 67,
            "bootpc" | "dhcpc" => 68,
            "tftp" => 69,
            "snmp" => 161,
            "snmptrap" | "snmp-trap" => 162,
            "isakmp" | "ike" => 500,
            "biff" => 512,
            "who" => 513,
            "rip" => 520,
            "radius" => 1812,
            "radius-acct" => 1813,
            "non500-isakmp" | "ipsec-nat-t" => 4500,
            "sip" => 5060,
            _ => return None,
        }
    } else {
        return None;
    };
    Some(port)
}

// ---------------------------------------------------------------------------------------------
// Matches and rules
// ---------------------------------------------------------------------------------------------

/// What a rule matches, one dimension at a time; `None` means "anything" in that dimension.
/// Importers build one per rule, intersect it with the conditions of the chain or group it sits
/// in, and turn it into a model [`Rule`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Match {
    pub src: Option<Vec<AddrRange>>,
    pub dst: Option<Vec<AddrRange>>,
    pub services: Option<Vec<Service>>,
    /// Mapped interfaces the packet may enter through.
    pub in_if: Option<BTreeSet<String>>,
    /// Mapped interfaces the packet may leave through.
    pub out_if: Option<BTreeSet<String>>,
}

fn meet<T: Clone>(a: &Option<T>, b: &Option<T>, f: impl Fn(&T, &T) -> T) -> Option<T> {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some(x), Some(y)) => Some(f(x, y)),
    }
}

impl Match {
    /// Whether no packet can match (some dimension is an empty set).
    pub fn is_empty(&self) -> bool {
        self.src.as_ref().is_some_and(Vec::is_empty)
            || self.dst.as_ref().is_some_and(Vec::is_empty)
            || self.services.as_ref().is_some_and(Vec::is_empty)
            || self.in_if.as_ref().is_some_and(BTreeSet::is_empty)
            || self.out_if.as_ref().is_some_and(BTreeSet::is_empty)
    }

    /// The packets both match.
    pub fn and(&self, other: &Match) -> Match {
        Match {
            src: meet(&self.src, &other.src, |a, b| intersect(a, b)),
            dst: meet(&self.dst, &other.dst, |a, b| intersect(a, b)),
            services: meet(&self.services, &other.services, |a, b| {
                intersect_services(a, b)
            }),
            in_if: meet(&self.in_if, &other.in_if, |a, b| {
                a.intersection(b).cloned().collect()
            }),
            out_if: meet(&self.out_if, &other.out_if, |a, b| {
                a.intersection(b).cloned().collect()
            }),
        }
    }

    /// The packets this match leaves out, as disjoint matches (`¬(a ∧ b)` = `¬a`, then
    /// `a ∧ ¬b`, ...). `all_interfaces` is the universe of interface names (the mapped ones).
    pub fn not(&self, all_interfaces: &BTreeSet<String>) -> Vec<Match> {
        let mut out = Vec::new();
        let mut prefix = Match::default();
        let ifs_not = |s: &BTreeSet<String>| -> BTreeSet<String> {
            all_interfaces.difference(s).cloned().collect()
        };
        if let Some(src) = &self.src {
            out.push(Match {
                src: Some(complement(src)),
                ..prefix.clone()
            });
            prefix.src = Some(src.clone());
        }
        if let Some(dst) = &self.dst {
            out.push(Match {
                dst: Some(complement(dst)),
                ..prefix.clone()
            });
            prefix.dst = Some(dst.clone());
        }
        if let Some(s) = &self.services {
            out.push(Match {
                services: Some(complement_services(s)),
                ..prefix.clone()
            });
            prefix.services = Some(s.clone());
        }
        if let Some(i) = &self.in_if {
            out.push(Match {
                in_if: Some(ifs_not(i)),
                ..prefix.clone()
            });
            prefix.in_if = Some(i.clone());
        }
        if let Some(o) = &self.out_if {
            out.push(Match {
                out_if: Some(ifs_not(o)),
                ..prefix.clone()
            });
        }
        out.retain(|m| !m.is_empty());
        out
    }

    /// The model rule, or `None` when nothing can match.
    /// `pieces` without the packets of `self`, split only where they overlap it (a NAT
    /// exemption taken out of the entries after it). `all_interfaces` as for [`Match::not`].
    pub fn taken_out_of(
        &self,
        pieces: Vec<Match>,
        all_interfaces: &BTreeSet<String>,
    ) -> Vec<Match> {
        let not = self.not(all_interfaces);
        pieces
            .into_iter()
            .flat_map(|p| {
                if !p.overlaps(self) {
                    return vec![p];
                }
                not.iter()
                    .map(|n| p.and(n))
                    .filter(|m| !m.is_empty())
                    .collect()
            })
            .collect()
    }

    pub fn to_rule(&self, action: Action, origin: String, reason: Option<String>) -> Option<Rule> {
        if self.is_empty() {
            return None;
        }
        let addrs = |set: &Option<Vec<AddrRange>>| -> Vec<At<Selector>> {
            match set {
                None => vec![at(Selector::Any)],
                Some(r) if r.as_slice() == [AddrRange::ALL] => vec![at(Selector::Any)],
                Some(r) => r.iter().map(|r| at(Selector::Addr(*r))).collect(),
            }
        };
        let ifs = |set: &Option<BTreeSet<String>>| -> Vec<At<String>> {
            set.iter().flatten().cloned().map(at).collect()
        };
        Some(Rule {
            action,
            from: addrs(&self.src),
            to: addrs(&self.dst),
            services: match &self.services {
                None => vec![at(Service::Any)],
                Some(s) => s.iter().copied().map(at).collect(),
            },
            in_interfaces: ifs(&self.in_if),
            out_interfaces: ifs(&self.out_if),
            log: false,
            reason,
            origin: Some(origin),
            approximation: None,
            identity: Default::default(),
            loc: Loc::default(),
        })
    }
}

impl Match {
    /// What an imported rule matches (its selectors are addresses or `any`; a selector of
    /// another kind, which importers never write, is read as anything).
    pub fn of_rule(r: &Rule) -> Match {
        let addrs = |list: &[At<Selector>]| -> Option<Vec<AddrRange>> {
            let mut out = Vec::new();
            for s in list {
                match &s.value {
                    Selector::Addr(a) => out.push(*a),
                    _ => return None,
                }
            }
            Some(normalize(out))
        };
        let ifs = |list: &[At<String>]| -> Option<BTreeSet<String>> {
            (!list.is_empty()).then(|| list.iter().map(|i| i.value.clone()).collect())
        };
        let services: Vec<Service> = r.services.iter().map(|s| s.value).collect();
        Match {
            src: addrs(&r.from),
            dst: addrs(&r.to),
            services: (!services.contains(&Service::Any)).then_some(services),
            in_if: ifs(&r.in_interfaces),
            out_if: ifs(&r.out_interfaces),
        }
    }

    /// Whether some packet matches both.
    pub fn overlaps(&self, other: &Match) -> bool {
        !self.and(other).is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// Approximations: which imported rules rest on a reading that is not exact
// ---------------------------------------------------------------------------------------------

/// The approximation text of an allow rule read without a condition the model cannot express.
pub fn widened(origin: &str, what: &str) -> String {
    format!("assumes rule {origin} matches regardless of {what} (not modelled)")
}

/// The approximation text of a deny rule left out (or reduced to what it surely matches).
pub fn dropped(origin: &str, what: &str) -> String {
    format!("assumes the deny at {origin} does not match: {what} not modelled")
}

/// Whether a condition an importer could not express tests a field of the packet that sansou's
/// flows do not have (source port, ICMP type, TCP flags, DSCP, TTL, length, fragments): its
/// description starts with one of these words.
///
/// A flow is reachable when *some* packet of it gets through. A deny on one value of such a
/// field leaves the flow's other packets through, so leaving it out changes no answer (unless
/// several denies together cover every value, which configurations do not do), and later
/// rules are not marked for it. Conditions on anything else (a firewall mark, an ipset, a
/// name resolved at run time, a schedule, a user) are assumptions and are marked.
pub fn is_packet_field(what: &str) -> bool {
    const FIELDS: &[&str] = &[
        "source port",
        "a source port",
        "`--sport",
        "`--source-port",
        "`--sports",
        "`--ports",
        "icmp",
        "`icmp",
        "`--icmp-type",
        "tcp flag",
        "`--tcp-flags",
        "`--syn",
        "`-f`",
        "fragments",
        "precedence",
        "dscp",
        "tos",
        "ttl",
        "packet-length",
        "option",
    ];
    let w = what.to_ascii_lowercase();
    FIELDS
        .iter()
        .any(|f| w.starts_with(&f.to_ascii_lowercase()))
}

/// The deny rules of one ordered list that were left out, or reduced to what they surely match,
/// because of a condition the model cannot express.
///
/// Imported lists are sound: allow rules may match more than on the device, deny rules less. A
/// deny decision of the model is then certain (the device denies too), but an allow decision
/// may rest on an approximation: the allow rule itself was widened, or a deny before it that
/// would have caught the packet was left out. [`Approximations::mark`] writes the second kind
/// into the `approximation` of every later allow rule that overlaps such a deny (the first
/// kind the importer sets when it builds the rule), so witnesses say which answers are
/// assumed.
#[derive(Default, Debug)]
pub struct Approximations {
    /// (number of rules of the list before it, what it may match at most, note).
    dropped: Vec<(usize, Match, String)>,
}

/// At most this many left-out denies are named in one rule's approximation.
const NAMED_DROPS: usize = 3;

impl Approximations {
    /// A deny that would have come after `position` rules, that may match up to `upper`, was
    /// left out or reduced; `note` is what [`dropped`] says about it.
    pub fn dropped(&mut self, position: usize, upper: Match, note: String) {
        if !upper.is_empty() {
            self.dropped.push((position, upper, note));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.dropped.is_empty()
    }

    /// The left-out denies: (position, what it may match, note).
    pub fn into_entries(self) -> Vec<(usize, Match, String)> {
        self.dropped
    }

    /// Adds to the `approximation` of each allow rule the left-out denies before it that
    /// overlap it.
    pub fn mark(&self, rules: &mut [Rule]) {
        if self.dropped.is_empty() {
            return;
        }
        for (i, rule) in rules.iter_mut().enumerate() {
            if rule.action != Action::Allow {
                continue;
            }
            let m = Match::of_rule(rule);
            let notes: Vec<&str> = self
                .dropped
                .iter()
                .filter(|(pos, upper, _)| *pos <= i && upper.overlaps(&m))
                .map(|(_, _, n)| n.as_str())
                .collect();
            add_notes(rule, &notes);
        }
    }

    /// Marks the list (see [`Approximations::mark`]) and, when its default allows and a deny
    /// was left out, makes the default an explicit last `allow` (origin `default_origin`, the
    /// line that sets the default) that says so, and the list's default `deny`: the same
    /// packets pass, and a witness deciding by the default names the assumption.
    pub fn finish(
        &self,
        rules: &mut Vec<Rule>,
        default: &mut Action,
        default_origin: String,
        reason: Option<String>,
    ) {
        self.mark(rules);
        if self.dropped.is_empty() || *default != Action::Allow {
            return;
        }
        let Some(mut last) = Match::default().to_rule(Action::Allow, default_origin, reason) else {
            return;
        };
        let notes: Vec<&str> = self.dropped.iter().map(|(_, _, n)| n.as_str()).collect();
        add_notes(&mut last, &notes);
        rules.push(last);
        *default = Action::Deny;
    }
}

/// A rule id from the device's own name for a rule (`policy-12`, `WEB-IN.10`, `filter-100`, an
/// iptables comment): characters an id cannot hold become `-`, runs of them one, and leading or
/// trailing ones go. `None` when nothing usable is left, or only digits (which subjects would
/// read as a position).
pub fn rule_id(raw: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    (!out.is_empty() && !out.chars().all(|c| c.is_ascii_digit())).then(|| out.to_string())
}

/// Gives `rule` the id read from the device (see [`rule_id`]).
pub fn set_rule_id(rule: &mut Rule, raw: &str) {
    rule.identity.id = rule_id(raw).map(at);
}

/// Marks the source and static NAT entries of a device whose translation filters nothing
/// (`hide = false`): FortiOS, Cisco IOS and ASA and Linux send a packet arriving on the outside
/// for an inside address on by their routes like any other, and only their rules can drop it.
/// Without this mark the model would drop it as unsolicited and could miss a path from a
/// neighbour on the outside link (an ISP router, an LGWAN or partner network).
pub fn nat_filters_nothing(nat: &mut [crate::model::Nat]) {
    for n in nat {
        n.hides = false;
    }
}

/// Makes the ids of every list of `fw` unique, as the loader requires: when one device rule
/// became several model rules (or one ACL is bound twice), the first keeps the id and the
/// others get `.2`, `.3` … (`policy-12`, `policy-12.2`).
pub fn unique_rule_ids(fw: &mut Firewall) {
    unique_in(&mut fw.rules);
    for f in &mut fw.filters {
        unique_in(&mut f.rules);
    }
    // NAT entries too: one device rule may become several entries.
    unique(fw.nat.iter_mut().filter_map(|n| n.id.as_mut()));
}

fn unique_in(rules: &mut [Rule]) {
    unique(rules.iter_mut().filter_map(|r| r.identity.id.as_mut()));
}

fn unique<'a>(ids: impl Iterator<Item = &'a mut At<String>>) {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for id in ids {
        if !taken.insert(id.value.clone()) {
            let base = id.value.clone();
            let next = (2..)
                .map(|n| format!("{base}.{n}"))
                .find(|c| !taken.contains(c))
                .unwrap_or(base);
            taken.insert(next.clone());
            id.value = next;
        }
    }
}

/// Appends notes to a rule's approximation (at most [`NAMED_DROPS`] named, then a count).
pub fn add_notes(rule: &mut Rule, notes: &[&str]) {
    if notes.is_empty() {
        return;
    }
    let mut parts: Vec<String> = rule.approximation.take().into_iter().collect();
    parts.extend(notes.iter().take(NAMED_DROPS).map(|n| n.to_string()));
    if notes.len() > NAMED_DROPS {
        parts.push(format!(
            "and {} more left-out deny rule(s) before it",
            notes.len() - NAMED_DROPS
        ));
    }
    rule.approximation = Some(parts.join("; "));
}

/// The end of an import whose device may track connections (IOS inspection, RTX dynamic
/// filters): unless the mapping says, the firewall is stateful when `tracked` names a reason
/// (its line and what tracks), each reason said as an over-approximation for the flows the
/// device `tracks_not` track ("would not", "does not"); then the warnings sorted, each once,
/// and the rule ids made unique.
pub fn finish_tracked(
    mut firewall: Firewall,
    mut warnings: Vec<Warning>,
    tracked: Vec<(usize, String)>,
    map: &Mapping,
    tracks_not: &str,
) -> Imported {
    if !tracked.is_empty() && map.stateful.is_none() {
        firewall.stateful = true;
        for (line, why) in tracked {
            warnings.push(Warning::new(
                line,
                format!(
                    "{why}: imported as a stateful firewall, so replies of every allowed flow \
                     return (an over-approximation for flows the device {tracks_not} track)"
                ),
            ));
        }
    }
    warnings.sort();
    warnings.dedup();
    unique_rule_ids(&mut firewall);
    Imported { firewall, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> AddrRange {
        AddrRange::parse(s).unwrap()
    }

    #[test]
    fn address_sets() {
        let set = normalize(vec![r("10.0.0.0/25"), r("10.0.0.128/25"), r("10.0.2.0/24")]);
        assert_eq!(set, vec![r("10.0.0.0-10.0.0.255"), r("10.0.2.0/24")]);
        let not = complement(&set);
        assert_eq!(
            not,
            vec![
                r("0.0.0.0-9.255.255.255"),
                r("10.0.1.0/24"),
                r("10.0.3.0-255.255.255.255")
            ]
        );
        assert!(intersect(&set, &not).is_empty());
        assert_eq!(complement(&[AddrRange::ALL]), vec![]);
        assert_eq!(complement(&[]), vec![AddrRange::ALL]);
        assert_eq!(
            intersect(&[r("10.0.0.0/8")], &[r("10.1.0.0/16"), r("11.0.0.0/8")]),
            vec![r("10.1.0.0/16")]
        );
    }

    #[test]
    fn masks_and_wildcards() {
        let a = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(mask_len(a("255.255.255.0")), Some(24));
        assert_eq!(mask_len(a("0.0.0.0")), Some(0));
        assert_eq!(mask_len(a("255.255.255.255")), Some(32));
        assert_eq!(mask_len(a("255.0.255.0")), None);
        assert_eq!(
            wildcard_range(a("10.1.0.0"), a("0.0.255.255")),
            Some(r("10.1.0.0/16"))
        );
        assert_eq!(wildcard_range(a("10.1.0.0"), a("0.0.255.0")), None);
        assert_eq!(parse_cidr("10.1.2.3/16"), Some(r("10.1.0.0/16")));
        assert_eq!(parse_cidr("10.1.2.0/255.255.255.0"), Some(r("10.1.2.0/24")));
        assert_eq!(parse_cidr("10.1.2.3"), Some(r("10.1.2.3")));
        assert_eq!(parse_cidr("host"), None);
    }

    #[test]
    fn service_sets() {
        let s = |t: &str| Service::parse(t).unwrap();
        assert_eq!(
            normalize_services(vec![s("tcp/80"), s("tcp/81-90"), s("udp/53"), s("tcp/443")]),
            vec![s("tcp/80-90"), s("tcp/443"), s("udp/53")]
        );
        assert_eq!(
            intersect_services(&[s("tcp/1-1000")], &[s("tcp/443"), s("udp/53")]),
            vec![s("tcp/443")]
        );
        assert_eq!(
            intersect_services(&[Service::Any], &[s("icmp")]),
            vec![s("icmp")]
        );
        let not = complement_services(&[s("tcp/80")]);
        assert_eq!(not.len(), 257);
        assert!(not.contains(&s("tcp/0-79")) && not.contains(&s("tcp/81-65535")));
        assert!(!not.iter().any(|x| *x == s("tcp")));
        assert!(intersect_services(&not, &[s("tcp/80")]).is_empty());
        assert_eq!(complement_services(&[Service::Any]), vec![]);
    }

    #[test]
    fn negation_is_a_disjoint_cover() {
        let all: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let m = Match {
            src: Some(vec![r("10.0.0.0/8")]),
            in_if: Some(["a".to_string()].into()),
            ..Match::default()
        };
        let not = m.not(&all);
        assert_eq!(not.len(), 2);
        assert_eq!(not[0].src, Some(complement(&[r("10.0.0.0/8")])));
        assert_eq!(not[1].src, Some(vec![r("10.0.0.0/8")]));
        assert_eq!(
            not[1].in_if,
            Some(["b".to_string(), "c".to_string()].into())
        );
        for n in &not {
            assert!(m.and(n).is_empty());
        }
    }

    #[test]
    fn warnings_group_by_topic_with_a_count_and_the_first_line() {
        let mut w = Warnings::default();
        w.warn_on(54, "`ip inspect` not modelled", "ip inspect name A tcp");
        w.warn(3, "interface x is not in the mapping");
        w.warn_on(60, "`ip inspect` not modelled", "ip inspect name A udp");
        w.warn(0, "only one interface");
        let all = w.into_sorted();
        let grouped = warnings_text("r1.conf", &all, Shown::Grouped(10));
        assert!(
            grouped.contains("warning: `ip inspect` not modelled: 2 lines, first at r1.conf:54"),
            "{grouped}"
        );
        assert!(
            grouped.contains("warning: r1.conf:3: interface x"),
            "{grouped}"
        );
        assert!(
            grouped.contains("warning: r1.conf: only one interface"),
            "{grouped}"
        );
        assert!(grouped.starts_with("4 warning(s) while importing r1.conf, on 3 topic(s)"));
        let every = warnings_text("r1.conf", &all, Shown::All);
        assert!(
            every.contains("r1.conf:60: ip inspect name A udp"),
            "{every}"
        );
        let json = super::super::import_json::warnings_json(&all);
        assert_eq!(json.warnings.len(), 4);
        assert_eq!(json.topics[2].count, 2);
        assert_eq!(json.topics[2].first_line, 54);
        let few = warnings_text("r1.conf", &all, Shown::Grouped(1));
        assert!(few.contains("… and 2 more topic(s)"), "{few}");
    }

    #[test]
    fn left_out_denies_mark_the_allow_rules_they_overlap() {
        let m = |src: &str| Match {
            src: Some(vec![r(src)]),
            ..Match::default()
        };
        let mut rules: Vec<Rule> = ["10.0.0.0/8", "192.168.0.0/16"]
            .iter()
            .map(|s| m(s).to_rule(Action::Allow, format!("f:{s}"), None).unwrap())
            .collect();
        let mut a = Approximations::default();
        a.dropped(0, m("10.1.0.0/16"), dropped("f:1", "`-m mark`"));
        let mut default = Action::Allow;
        a.finish(&mut rules, &mut default, "f:0".into(), None);
        assert!(rules[0].approximation.as_deref().unwrap().contains("f:1"));
        assert_eq!(rules[1].approximation, None, "no overlap");
        assert_eq!(
            rules.len(),
            3,
            "the default is an explicit rule that says so"
        );
        assert_eq!(default, Action::Deny);
        assert!(rules[2].approximation.is_some());
        assert!(is_packet_field("source port 135"));
        assert!(is_packet_field("ICMP type 8"));
        assert!(!is_packet_field("`-m mark`"));
    }

    #[test]
    fn excerpts_never_show_secrets() {
        assert_eq!(
            excerpt("set psksecret ENC abcdef"),
            "set psksecret (value not shown)"
        );
        assert_eq!(
            excerpt("snmp-server community s3cr3t RO"),
            "snmp-server community (value not shown)"
        );
        assert_eq!(excerpt("set foo bar"), "set foo bar");
        assert_eq!(port_by_name(TCP, "www"), Some(80));
        assert_eq!(port_by_name(UDP, "domain"), Some(53));
        assert_eq!(port_by_name(UDP, "www"), None);
        assert_eq!(protocol_by_name("gre"), Some(47));
        assert_eq!(protocol_by_name("132"), Some(132));
    }

    #[test]
    fn vendor_names_become_ids_unique_in_their_list() {
        assert_eq!(rule_id("policy-12").as_deref(), Some("policy-12"));
        assert_eq!(rule_id("to \"web\" proxy").as_deref(), Some("to-web-proxy"));
        assert_eq!(rule_id("住基 ACL/10").as_deref(), Some("ACL-10"));
        assert_eq!(rule_id("住基"), None);
        assert_eq!(rule_id("12"), None);
        let rule = |id: &str| {
            let mut r = Match::default()
                .to_rule(Action::Allow, "f:1".into(), None)
                .unwrap();
            set_rule_id(&mut r, id);
            r
        };
        let mut rules = vec![rule("p-1"), rule("p-1"), rule("p-1.2"), rule("p-1")];
        unique_in(&mut rules);
        let ids: Vec<&str> = rules
            .iter()
            .map(|r| r.identity.id.as_ref().unwrap().value.as_str())
            .collect();
        assert_eq!(ids, ["p-1", "p-1.2", "p-1.2.2", "p-1.3"]);
    }
}
