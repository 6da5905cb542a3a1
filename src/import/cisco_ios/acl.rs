//! One access-list entry (ACE) of Cisco IOS, standard or extended, to a rule of the model.
//!
//! The model matches source and destination addresses, the IP protocol and the destination
//! port. Everything else an ACE can test (source ports, TCP flags, ICMP types, DSCP, time
//! ranges...) is a *narrowing condition*: the entry matches fewer packets than the model can
//! say. Such an entry is widened when it permits (it may then allow more than the device) and
//! left out when it denies (later entries then decide, which again can only allow more), so
//! the imported filter never allows less than the device: a verifier must not miss a path.
//! Every such approximation is a warning naming the entry's line.

use super::{Groups, Word};
use crate::import::ImportError;
use crate::model::service::{ICMP, PortRange, TCP, UDP};
use crate::model::{Action, AddrRange, Service, ranges};
use std::net::Ipv4Addr;

/// A non-contiguous wildcard is enumerated into at most this many ranges; beyond, it is
/// approximated (one range per entry keeps outputs readable and the analysis fast).
const MAX_WILDCARD_RANGES: u32 = 256;

/// What one ACE means, before it becomes a rule.
#[derive(Debug)]
pub(super) struct Entry {
    pub action: Action,
    pub from: Vec<AddrRange>,
    pub to: Vec<AddrRange>,
    pub services: Vec<Service>,
    pub log: bool,
    /// Conditions the model cannot express (see the module comment).
    pub narrowing: Vec<String>,
    /// `established`, `ack`, `rst`, `fragments`: the entry never matches the first packet of
    /// a connection, which is what reachability is about.
    pub never_opens: Option<String>,
    /// An address could only be approximated (a wide non-contiguous wildcard).
    pub approximated: Vec<String>,
    /// The entry feeds a reflexive ACL (`reflect NAME`).
    pub reflect: bool,
}

/// Standard or extended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Standard,
    Extended,
}

fn err(line: usize, w: &Word<'_>, message: String) -> ImportError {
    ImportError {
        line,
        column: w.col,
        message,
    }
}

/// A cursor over the words of one entry, with errors that point at the word in trouble.
pub(super) struct Cursor<'w, 'a> {
    words: &'w [Word<'a>],
    pos: usize,
    line: usize,
    /// Column just past the line's last word, for "expected more" errors.
    end_col: usize,
}

impl<'w, 'a> Cursor<'w, 'a> {
    pub fn new(words: &'w [Word<'a>], line: usize) -> Cursor<'w, 'a> {
        let end_col = words
            .last()
            .map(|w| w.col + w.text.chars().count())
            .unwrap_or(1);
        Cursor {
            words,
            pos: 0,
            line,
            end_col,
        }
    }

    fn peek(&self) -> Option<&'w Word<'a>> {
        self.words.get(self.pos)
    }

    fn next(&mut self, what: &str) -> Result<&'w Word<'a>, ImportError> {
        match self.words.get(self.pos) {
            Some(w) => {
                self.pos += 1;
                Ok(w)
            }
            None => Err(ImportError {
                line: self.line,
                column: self.end_col,
                message: format!("the entry ends where {what} was expected"),
            }),
        }
    }

    fn error(&self, w: &Word<'_>, message: String) -> ImportError {
        err(self.line, w, message)
    }
}

/// Parses an entry's words from the action on (`permit tcp any host 10.1.0.5 eq 443 log`).
pub(super) fn parse(
    kind: Kind,
    cur: &mut Cursor<'_, '_>,
    groups: &Groups,
) -> Result<Entry, ImportError> {
    let act = cur.next("`permit` or `deny`")?;
    let action = match act.text {
        "permit" => Action::Allow,
        "deny" => Action::Deny,
        other => {
            return Err(cur.error(
                act,
                format!("expected `permit` or `deny`, found `{}`", shown(other)),
            ));
        }
    };
    let mut entry = Entry {
        action,
        from: vec![AddrRange::ALL],
        to: vec![AddrRange::ALL],
        services: vec![Service::Any],
        log: false,
        narrowing: Vec::new(),
        never_opens: None,
        approximated: Vec::new(),
        reflect: false,
    };
    if kind == Kind::Standard {
        entry.from = address(cur, groups, &mut entry.approximated, true)?;
        options(cur, &mut entry, None)?;
        return Ok(entry);
    }
    let proto = protocol(cur, groups, &mut entry)?;
    entry.from = address(cur, groups, &mut entry.approximated, false)?;
    if let Some(p) = proto.filter(|&p| p == TCP || p == UDP)
        && let Some(ports) = port_operator(cur, p)?
    {
        entry
            .narrowing
            .push(format!("source port {}", describe_ports(&ports)));
    }
    entry.to = address(cur, groups, &mut entry.approximated, false)?;
    if let Some(p) = proto.filter(|&p| p == TCP || p == UDP)
        && let Some(ports) = port_operator(cur, p)?
    {
        // An empty set (`lt 0`) leaves no service: the caller drops the entry with a warning.
        entry.services = ports
            .into_iter()
            .map(|ports| Service::Proto { proto: p, ports })
            .collect();
    }
    options(cur, &mut entry, proto)?;
    Ok(entry)
}

/// The protocol word (or a service object-group); sets `entry.services` and returns the
/// protocol number when one single protocol is named (ports may follow only then).
fn protocol(
    cur: &mut Cursor<'_, '_>,
    groups: &Groups,
    entry: &mut Entry,
) -> Result<Option<u8>, ImportError> {
    let w = cur.next("a protocol")?;
    if w.text == "object-group" {
        let name = cur.next("a service object-group name")?;
        let Some(group) = groups.services.get(name.text) else {
            if let Some(e) = groups.failed.get(name.text) {
                return Err(e.clone());
            }
            return Err(cur.error(
                name,
                format!("service object-group `{}` is not defined", shown(name.text)),
            ));
        };
        entry.services = group.services.clone();
        entry.narrowing.extend(group.narrowing.iter().cloned());
        return Ok(None);
    }
    let Some(proto) = protocol_number(w.text) else {
        return Err(cur.error(
            w,
            format!(
                "unknown protocol `{}` (expected ip, tcp, udp, icmp, a protocol name or a number 0-255)",
                shown(w.text)
            ),
        ));
    };
    entry.services = match proto {
        None => vec![Service::Any],
        Some(p) => vec![Service::Proto {
            proto: p,
            ports: PortRange::ALL,
        }],
    };
    Ok(proto)
}

/// `ip` is every protocol (`None` inside `Some`); anything unknown is `None`.
#[allow(clippy::option_option)]
pub(crate) fn protocol_number(text: &str) -> Option<Option<u8>> {
    let named: &[(&str, u8)] = &[
        ("tcp", TCP),
        ("udp", UDP),
        ("icmp", ICMP),
        ("igmp", 2),
        ("ipinip", 4),
        ("gre", 47),
        ("esp", 50),
        ("ahp", 51),
        ("eigrp", 88),
        ("ospf", 89),
        ("nos", 94),
        ("pim", 103),
        ("pcp", 108),
        ("sctp", 132),
    ];
    if text == "ip" {
        return Some(None);
    }
    if let Some((_, p)) = named.iter().find(|(n, _)| *n == text) {
        return Some(Some(*p));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u8>()
            .ok()
            .map(|p| if p == 0 { None } else { Some(p) });
    }
    None
}

/// `any`, `host A`, `object-group NAME`, or `A W` (a wildcard; in a standard ACL the wildcard
/// may be left out, meaning the host).
fn address(
    cur: &mut Cursor<'_, '_>,
    groups: &Groups,
    approximated: &mut Vec<String>,
    standard: bool,
) -> Result<Vec<AddrRange>, ImportError> {
    let w = cur.next("an address (`any`, `host A`, `A WILDCARD` or `object-group NAME`)")?;
    match w.text {
        "any" => Ok(vec![AddrRange::ALL]),
        "host" => {
            let a = cur.next("the host address")?;
            Ok(vec![AddrRange::single(ipv4(cur, a)?)])
        }
        "object-group" | "addrgroup" => {
            let name = cur.next("a network object-group name")?;
            match groups.networks.get(name.text) {
                Some(set) => Ok(set.clone()),
                None if groups.failed.contains_key(name.text) => {
                    Err(groups.failed[name.text].clone())
                }
                None => Err(cur.error(
                    name,
                    format!("network object-group `{}` is not defined", shown(name.text)),
                )),
            }
        }
        _ => {
            if let Some((a, len)) = w.text.split_once('/') {
                // IOS-XE accepts a prefix length in some releases.
                let addr = ipv4(
                    cur,
                    &Word {
                        text: a,
                        col: w.col,
                    },
                )?;
                let len: u32 =
                    len.parse().ok().filter(|l| *l <= 32).ok_or_else(|| {
                        cur.error(w, format!("`{}` is not a prefix", shown(w.text)))
                    })?;
                let wildcard = if len == 0 {
                    u32::MAX
                } else {
                    (1u64 << (32 - len)) as u32 - 1
                };
                return Ok(wildcard_ranges(u32::from(addr), wildcard).unwrap_or_else(|r| vec![r]));
            }
            let addr = ipv4(cur, w)?;
            let wildcard = match cur.peek() {
                Some(m) if m.text.parse::<Ipv4Addr>().is_ok() => {
                    cur.pos += 1;
                    u32::from(m.text.parse::<Ipv4Addr>().unwrap_or(Ipv4Addr::UNSPECIFIED))
                }
                _ if standard => 0,
                Some(m) => {
                    return Err(cur.error(
                        m,
                        format!(
                            "expected the wildcard mask of {addr}, found `{}`",
                            shown(m.text)
                        ),
                    ));
                }
                None => {
                    return Err(ImportError {
                        line: cur.line,
                        column: cur.end_col,
                        message: format!("the wildcard mask of {addr} is missing"),
                    });
                }
            };
            match wildcard_ranges(u32::from(addr), wildcard) {
                Ok(set) => Ok(set),
                Err(cover) => {
                    approximated.push(format!(
                        "{addr} {} (a non-contiguous wildcard matching more than {MAX_WILDCARD_RANGES} ranges)",
                        Ipv4Addr::from(wildcard)
                    ));
                    Ok(vec![cover])
                }
            }
        }
    }
}

fn ipv4(cur: &Cursor<'_, '_>, w: &Word<'_>) -> Result<Ipv4Addr, ImportError> {
    w.text
        .parse()
        .map_err(|_| cur.error(w, format!("`{}` is not an IPv4 address", shown(w.text))))
}

/// The addresses an address and a wildcard mask match (a 1 bit in the wildcard: "any value").
///
/// IOS ignores the address bits under the wildcard, so they are cleared first. A contiguous
/// wildcard (`0.0.0.255`) is one range; a non-contiguous one (`0.0.255.0`: the `.0` host of
/// every `/24`) is the union of one range per combination of its high bits, enumerated
/// exactly up to [`MAX_WILDCARD_RANGES`] ranges. Beyond that, `Err` carries the smallest
/// range covering every matched address, for the caller to use or refuse.
pub(crate) fn wildcard_ranges(addr: u32, wildcard: u32) -> Result<Vec<AddrRange>, AddrRange> {
    let base = addr & !wildcard;
    // The low run of ones is a range on its own; the other one bits multiply it.
    let low = wildcard.trailing_ones();
    let low_mask = if low == 32 {
        u32::MAX
    } else {
        (1u32 << low) - 1
    };
    let high = wildcard & !low_mask;
    let count = high.count_ones();
    if count == 0 {
        return Ok(vec![AddrRange {
            first: base,
            last: base | low_mask,
        }]);
    }
    if 1u64 << count > u64::from(MAX_WILDCARD_RANGES) {
        return Err(AddrRange {
            first: base,
            last: base | wildcard,
        });
    }
    // Every subset of the high bits, by counting through them (the classic "next subset" walk).
    let mut out = Vec::with_capacity(1 << count);
    let mut subset: u32 = 0;
    loop {
        let first = base | subset;
        out.push(AddrRange {
            first,
            last: first | low_mask,
        });
        if subset == high {
            break;
        }
        subset = (subset.wrapping_sub(high)) & high;
    }
    Ok(ranges::normalize(out))
}

/// An optional port operator and its ports: `eq 80 443`, `neq 23`, `lt 1024`, `gt 1023`,
/// `range 6000 6063`. Returns the matched destination (or source) port ranges.
fn port_operator(
    cur: &mut Cursor<'_, '_>,
    proto: u8,
) -> Result<Option<Vec<PortRange>>, ImportError> {
    let Some(op) = cur.peek() else {
        return Ok(None);
    };
    if !matches!(op.text, "eq" | "neq" | "lt" | "gt" | "range") {
        return Ok(None);
    }
    cur.pos += 1;
    let one = |cur: &mut Cursor<'_, '_>| -> Result<u16, ImportError> {
        let w = cur.next("a port")?;
        port_number(w.text, proto).ok_or_else(|| {
            cur.error(
                w,
                format!(
                    "`{}` is not a {} port (a number 0-65535 or an IOS port name)",
                    shown(w.text),
                    if proto == TCP { "TCP" } else { "UDP" }
                ),
            )
        })
    };
    let ranges = match op.text {
        "range" => {
            let a = one(cur)?;
            let b = one(cur)?;
            if b < a {
                return Err(cur.error(op, format!("port range {a} {b} ends before it starts")));
            }
            vec![PortRange { first: a, last: b }]
        }
        "lt" => {
            let p = one(cur)?;
            if p == 0 {
                Vec::new()
            } else {
                vec![PortRange {
                    first: 0,
                    last: p - 1,
                }]
            }
        }
        "gt" => {
            let p = one(cur)?;
            if p == u16::MAX {
                Vec::new()
            } else {
                vec![PortRange {
                    first: p + 1,
                    last: u16::MAX,
                }]
            }
        }
        _ => {
            // `eq` and `neq` take one port, or several on IOS-XE.
            let mut ports = vec![one(cur)?];
            while let Some(p) = cur.peek().and_then(|w| port_number(w.text, proto)) {
                ports.push(p);
                cur.pos += 1;
            }
            ports.sort_unstable();
            ports.dedup();
            let singles: Vec<PortRange> = ports
                .iter()
                .map(|&p| PortRange { first: p, last: p })
                .collect();
            if op.text == "eq" {
                singles
            } else {
                complement(&singles)
            }
        }
    };
    Ok(Some(ranges))
}

/// Ports 0-65535 without the given sorted, disjoint ranges.
fn complement(taken: &[PortRange]) -> Vec<PortRange> {
    let mut out = Vec::new();
    let mut next: u32 = 0;
    for r in taken {
        if u32::from(r.first) > next {
            out.push(PortRange {
                first: next as u16,
                last: r.first - 1,
            });
        }
        next = u32::from(r.last) + 1;
    }
    if next <= u32::from(u16::MAX) {
        out.push(PortRange {
            first: next as u16,
            last: u16::MAX,
        });
    }
    out
}

fn describe_ports(ports: &[PortRange]) -> String {
    let parts: Vec<String> = ports
        .iter()
        .map(|r| {
            if r.first == r.last {
                r.first.to_string()
            } else {
                format!("{}-{}", r.first, r.last)
            }
        })
        .collect();
    if parts.is_empty() {
        "(none)".into()
    } else {
        parts.join(",")
    }
}

/// A port number or an IOS port name of the protocol.
pub(crate) fn port_number(text: &str, proto: u8) -> Option<u16> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    const TCP_NAMES: &[(&str, u16)] = &[
        ("bgp", 179),
        ("chargen", 19),
        ("cmd", 514),
        ("daytime", 13),
        ("discard", 9),
        ("domain", 53),
        ("drip", 3949),
        ("echo", 7),
        ("exec", 512),
        ("finger", 79),
        ("ftp", 21),
        ("ftp-data", 20),
        ("gopher", 70),
        ("hostname", 101),
        ("ident", 113),
        ("irc", 194),
        ("klogin", 543),
        ("kshell", 544),
        ("login", 513),
        ("lpd", 515),
        ("msrpc", 135),
        ("nntp", 119),
        ("onep-plain", 15001),
        ("onep-tls", 15002),
        ("pim-auto-rp", 496),
        ("pop2", 109),
        ("pop3", 110),
        ("smtp", 25),
        ("sunrpc", 111),
        ("syslog", 514),
        ("tacacs", 49),
        ("talk", 517),
        ("telnet", 23),
        ("time", 37),
        ("uucp", 540),
        ("whois", 43),
        ("www", 80),
    ];
    const UDP_NAMES: &[(&str, u16)] = &[
        ("biff", 512),
        ("bootpc", 68),
        ("bootps", 67),
        ("discard", 9),
        ("dnsix", 195),
        ("domain", 53),
        ("echo", 7),
        ("isakmp", 500),
        ("mobile-ip", 434),
        ("nameserver", 42),
        ("netbios-dgm", 138),
        ("netbios-ns", 137),
        ("netbios-ss", 139),
        ("non500-isakmp", 4500),
        ("ntp", 123),
        ("pim-auto-rp", 496),
        ("rip", 520),
        ("snmp", 161),
        ("snmptrap", 162),
        ("sunrpc", 111),
        ("syslog", 514),
        ("tacacs", 49),
        ("talk", 517),
        ("tftp", 69),
        ("time", 37),
        ("who", 513),
        ("xdmcp", 177),
    ];
    let names = if proto == TCP { TCP_NAMES } else { UDP_NAMES };
    names.iter().find(|(n, _)| *n == text).map(|(_, p)| *p)
}

/// ICMP message names IOS accepts after the destination of an `icmp` entry.
const ICMP_TYPES: &[&str] = &[
    "administratively-prohibited",
    "alternate-address",
    "conversion-error",
    "dod-host-prohibited",
    "dod-net-prohibited",
    "echo",
    "echo-reply",
    "general-parameter-problem",
    "host-isolated",
    "host-precedence-unreachable",
    "host-redirect",
    "host-tos-redirect",
    "host-tos-unreachable",
    "host-unknown",
    "host-unreachable",
    "information-reply",
    "information-request",
    "mask-reply",
    "mask-request",
    "mobile-redirect",
    "net-redirect",
    "net-tos-redirect",
    "net-tos-unreachable",
    "net-unreachable",
    "network-unknown",
    "no-room-for-option",
    "option-missing",
    "packet-too-big",
    "parameter-problem",
    "port-unreachable",
    "precedence-unreachable",
    "protocol-unreachable",
    "reassembly-timeout",
    "redirect",
    "router-advertisement",
    "router-solicitation",
    "source-quench",
    "source-route-failed",
    "time-exceeded",
    "timestamp-reply",
    "timestamp-request",
    "traceroute",
    "ttl-exceeded",
    "unreachable",
];

/// Everything after the addresses and ports: logging, flags and other conditions.
fn options(
    cur: &mut Cursor<'_, '_>,
    entry: &mut Entry,
    proto: Option<u8>,
) -> Result<(), ImportError> {
    // An ICMP type (name or number, then an optional code) comes first.
    if proto == Some(ICMP)
        && let Some(w) = cur.peek()
    {
        let numeric = w.text.bytes().all(|b| b.is_ascii_digit());
        if numeric || ICMP_TYPES.contains(&w.text) {
            cur.pos += 1;
            let mut what = format!("ICMP type {}", w.text);
            if numeric
                && let Some(code) = cur
                    .peek()
                    .filter(|c| c.text.bytes().all(|b| b.is_ascii_digit()))
            {
                what.push_str(&format!(" code {}", code.text));
                cur.pos += 1;
            }
            entry.narrowing.push(what);
        }
    }
    while let Some(w) = cur.peek() {
        cur.pos += 1;
        match w.text {
            "log" | "log-input" => {
                entry.log = true;
                // An optional cookie in parentheses names the log line, nothing else.
                if cur.peek().is_some_and(|c| c.text.starts_with('(')) {
                    cur.pos += 1;
                }
            }
            "established" | "ack" | "rst" => {
                if proto != Some(TCP) {
                    return Err(cur.error(w, format!("`{}` applies to TCP entries only", w.text)));
                }
                entry.never_opens = Some(format!("`{}`", w.text));
            }
            "fragments" => entry.never_opens = Some("`fragments`".into()),
            "syn" | "fin" | "psh" | "urg" => {
                entry.narrowing.push(format!("TCP flag {}", w.text));
            }
            "match-any" | "match-all" => {
                let mut flags = vec![w.text.to_string()];
                while let Some(f) = cur.peek().filter(|f| f.text.starts_with(['+', '-'])) {
                    flags.push(f.text.to_string());
                    cur.pos += 1;
                }
                entry
                    .narrowing
                    .push(format!("TCP flags {}", flags.join(" ")));
            }
            "precedence" | "dscp" | "tos" | "option" | "time-range" => {
                let v = cur.next(&format!("the value of `{}`", w.text))?;
                entry
                    .narrowing
                    .push(format!("{} {}", w.text, shown(v.text)));
            }
            "ttl" | "packet-length" => {
                let op = cur.next("a comparison (eq, neq, lt, gt, range)")?;
                let mut what = format!("{} {}", w.text, shown(op.text));
                let values = if op.text == "range" { 2 } else { 1 };
                for _ in 0..values {
                    what.push(' ');
                    what.push_str(shown(cur.next("a value")?.text));
                }
                entry.narrowing.push(what);
            }
            "reflect" => {
                cur.next("the name of the reflexive list")?;
                if cur.peek().is_some_and(|t| t.text == "timeout") {
                    cur.pos += 1;
                    cur.next("the timeout in seconds")?;
                }
                entry.reflect = true;
            }
            other => entry
                .narrowing
                .push(format!("unsupported keyword `{}`", shown(other))),
        }
    }
    Ok(())
}

/// A configuration word as it may appear in a message: keywords, names and numbers, at most
/// 40 characters. Anything else is elided, so no stray text (a password typed in the wrong
/// place) is ever echoed.
pub(crate) fn shown(text: &str) -> &str {
    let plain = text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:+".contains(&b));
    if plain { text } else { "…" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: &str, b: &str) -> AddrRange {
        AddrRange {
            first: u32::from(a.parse::<Ipv4Addr>().unwrap()),
            last: u32::from(b.parse::<Ipv4Addr>().unwrap()),
        }
    }

    fn ip(a: &str) -> u32 {
        u32::from(a.parse::<Ipv4Addr>().unwrap())
    }

    #[test]
    fn contiguous_wildcards_are_one_range() {
        assert_eq!(
            wildcard_ranges(ip("10.1.0.0"), ip("0.0.255.255")),
            Ok(vec![r("10.1.0.0", "10.1.255.255")])
        );
        assert_eq!(
            wildcard_ranges(ip("10.1.2.3"), 0),
            Ok(vec![r("10.1.2.3", "10.1.2.3")])
        );
        assert_eq!(wildcard_ranges(0, u32::MAX), Ok(vec![AddrRange::ALL]));
        // Address bits under the wildcard are ignored, as IOS does.
        assert_eq!(
            wildcard_ranges(ip("10.1.2.77"), ip("0.0.0.255")),
            Ok(vec![r("10.1.2.0", "10.1.2.255")])
        );
    }

    #[test]
    fn non_contiguous_wildcards_are_enumerated_exactly() {
        // The first four addresses of 10.0.0.0/24 .. 10.0.3.0/24.
        let got = wildcard_ranges(ip("10.0.0.0"), ip("0.0.3.3")).unwrap();
        assert_eq!(
            got,
            vec![
                r("10.0.0.0", "10.0.0.3"),
                r("10.0.1.0", "10.0.1.3"),
                r("10.0.2.0", "10.0.2.3"),
                r("10.0.3.0", "10.0.3.3"),
            ]
        );
        // Odd hosts of a /29: no low run at all.
        let odd = wildcard_ranges(ip("192.168.0.1"), ip("0.0.0.6")).unwrap();
        assert_eq!(odd.len(), 4);
        assert!(odd.iter().all(|x| x.first == x.last && x.first % 2 == 1));
    }

    #[test]
    fn too_wide_wildcards_report_their_cover() {
        assert_eq!(
            wildcard_ranges(ip("10.0.0.1"), ip("0.255.255.0")),
            Err(r("10.0.0.1", "10.255.255.1"))
        );
    }

    #[test]
    fn port_complements() {
        let p = |a, b| PortRange { first: a, last: b };
        assert_eq!(complement(&[p(23, 23)]), vec![p(0, 22), p(24, 65535)]);
        assert_eq!(complement(&[p(0, 0), p(65535, 65535)]), vec![p(1, 65534)]);
        assert_eq!(port_number("www", TCP), Some(80));
        assert_eq!(port_number("www", UDP), None);
        assert_eq!(port_number("snmp", UDP), Some(161));
    }
}
