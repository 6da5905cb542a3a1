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

use super::{Mapping, Warning};
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
        self.0.push(Warning {
            line,
            message: message.into(),
        });
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
    pub fn imported(mut self, firewall: Firewall) -> super::Imported {
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

/// One warning per feature the importer met but the model does not have (routing, NAT, VPN
/// ...), at its first line with how many lines used it: `topic → (first line, count)`.
pub fn unmodelled_warnings(
    unmodelled: std::collections::BTreeMap<&'static str, (usize, usize)>,
) -> Vec<Warning> {
    unmodelled
        .into_iter()
        .map(|(topic, (line, count))| {
            let lines = if count == 1 {
                String::new()
            } else {
                format!(" ({count} lines, the first here)")
            };
            Warning {
                line,
                message: format!(
                    "{topic} not modelled{lines}: sansou lets a packet take any path the filters allow"
                ),
            }
        })
        .collect()
}

/// The warnings as a user reads them at the end of an import: the count, then the first
/// `limit` of them with `FILE:LINE`.
pub fn warnings_text(file: &str, warnings: &[Warning], limit: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if warnings.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{} warning(s) while importing {file}{}:",
        warnings.len(),
        if warnings.len() > limit {
            format!(" (first {limit} shown)")
        } else {
            String::new()
        }
    );
    for w in warnings.iter().take(limit) {
        if w.line == 0 {
            let _ = writeln!(out, "  warning: {file}: {}", w.message);
        } else {
            let _ = writeln!(out, "  warning: {file}:{}: {}", w.line, w.message);
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
            identity: Default::default(),
            loc: Loc::default(),
        })
    }
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
}
