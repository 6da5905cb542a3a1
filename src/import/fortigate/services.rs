//! One custom service (`tcp-portrange`, `udp`, `sctp`, ICMP, IP protocol numbers) as service
//! bounds, and FortiOS's predefined services and groups.

use super::common::{self, Warnings};
use super::objects::{Bounds, SvcBounds};
use super::tree::{Block, Item};
use crate::model::Service;
use crate::model::service::{ICMP, TCP, UDP};

/// Keys of `config firewall service custom` entries that do not change what matches.
pub(super) const SERVICE_IGNORED: &[&str] = &[
    "uuid",
    "comment",
    "color",
    "category",
    "visibility",
    "proxy",
    "helper",
    "check-reset-range",
    "session-ttl",
    "tcp-halfclose-timer",
    "tcp-halfopen-timer",
    "tcp-timewait-timer",
    "tcp-rst-timer",
    "udp-idle-timer",
    "app-service-type",
    "fabric-object",
];

/// `80`, `8000-8080`, `80:1024-65535` (destination, then source ports).
pub(super) fn port_range(text: &str) -> Option<(u16, u16, bool)> {
    let (dst, src) = match text.split_once(':') {
        Some((d, s)) => (d, Some(s)),
        None => (text, None),
    };
    let (a, b) = match dst.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let p = dst.parse().ok()?;
            (p, p)
        }
    };
    // Port 0 as the low end means "from the first port" in FortiOS ranges.
    let a: u16 = if a == 0 { 1 } else { a };
    (a <= b).then_some((a, b, src.is_some()))
}

pub(super) fn service_object(b: &Block, w: &mut Warnings) -> SvcBounds {
    let proto = b
        .get1("protocol")
        .unwrap_or("TCP/UDP/SCTP")
        .to_ascii_uppercase();
    // Why the service may be narrower on the device than read here.
    let mut why: Vec<String> = Vec::new();
    for item in &b.items {
        if let Item::Set { key, line, .. } = item {
            match key.as_str() {
                "protocol" | "tcp-portrange" | "udp-portrange" | "sctp-portrange"
                | "protocol-number" | "icmptype" | "icmpcode" => {}
                "iprange" | "fqdn" => {
                    why.push(format!(
                        "the destinations service `{}` is restricted to (`set {key}`)",
                        b.name
                    ));
                    w.warn(
                        *line,
                        format!(
                            "service `{}` restricts destinations (`set {key}`), which is not modelled: the service is read without it",
                            b.name
                        ),
                    );
                }
                k if SERVICE_IGNORED.contains(&k) => {}
                k => w.warn(
                    *line,
                    format!("service `{}`: `set {k}` is not read", b.name),
                ),
            }
        }
    }
    let mut list = Vec::new();
    match proto.as_str() {
        "TCP/UDP/SCTP" | "TCP/UDP/UDP-LITE/SCTP" => {
            for (key, p) in [
                ("tcp-portrange", TCP),
                ("udp-portrange", UDP),
                ("sctp-portrange", 132),
            ] {
                for v in b.get(key).unwrap_or_default() {
                    match port_range(v) {
                        Some((first, last, with_source)) => {
                            if with_source {
                                why.push(format!("source ports of service `{}`", b.name));
                                w.warn(
                                    b.line_of(key),
                                    format!(
                                        "service `{}`: source ports in `{v}` are not modelled; only the destination ports are read",
                                        b.name
                                    ),
                                );
                            }
                            // SCTP has no ports in the model: the whole protocol.
                            list.push(if p == 132 {
                                common::protocol(132)
                            } else {
                                common::ports(p, first, last)
                            });
                        }
                        None => {
                            why.push(format!("an unreadable port range of service `{}`", b.name));
                            w.warn(
                                b.line_of(key),
                                format!("service `{}`: port range `{v}` is not readable", b.name),
                            );
                        }
                    }
                }
            }
        }
        "ICMP6" => {
            w.warn(
                b.line,
                format!("service `{}` is ICMPv6: IPv6 is not modelled", b.name),
            );
        }
        "ICMP" => {
            if b.get("icmptype").is_some() {
                // One ICMP type is less than the whole protocol the model has.
                why.push(format!("ICMP type of service `{}`", b.name));
            }
            list.push(common::protocol(ICMP));
        }
        "IP" => match b.get1("protocol-number").map(str::parse::<u8>) {
            None | Some(Ok(0)) => list.push(Service::Any),
            Some(Ok(n)) => list.push(common::protocol(n)),
            Some(Err(_)) => {
                why.push(format!(
                    "the unreadable protocol number of service `{}`",
                    b.name
                ));
                w.warn(
                    b.line_of("protocol-number"),
                    format!("service `{}`: protocol number is not readable", b.name),
                );
            }
        },
        other => {
            w.warn(
                b.line_of("protocol"),
                format!(
                    "service `{}` has protocol `{other}`, which is not modelled (HTTP/CONNECT proxy services apply to proxy policies)",
                    b.name
                ),
            );
            return Bounds {
                lower: Vec::new(),
                upper: Vec::new(),
                why: Vec::new(),
            };
        }
    }
    let list = common::normalize_services(list);
    if why.is_empty() {
        Bounds::exact(list)
    } else {
        why.dedup();
        Bounds {
            lower: Vec::new(),
            upper: list,
            why,
        }
    }
}

/// FortiOS's predefined services, for configurations that use them without defining them (a
/// full backup defines them in `config firewall service custom`, which then wins).
pub(super) fn predefined_service(name: &str) -> Option<Vec<Service>> {
    let t = |p: u16| common::ports(TCP, p, p);
    let u = |p: u16| common::ports(UDP, p, p);
    let tr = |a: u16, b: u16| common::ports(TCP, a, b);
    let ur = |a: u16, b: u16| common::ports(UDP, a, b);
    Some(match name {
        "ALL" => vec![Service::Any],
        "ALL_TCP" => vec![tr(1, 65535)],
        "ALL_UDP" => vec![ur(1, 65535)],
        "ALL_ICMP" | "PING" | "TIMESTAMP" | "INFO_REQUEST" | "INFO_ADDRESS" => {
            vec![common::protocol(ICMP)]
        }
        "HTTP" => vec![t(80)],
        "HTTPS" => vec![t(443)],
        "DNS" => vec![t(53), u(53)],
        "SSH" => vec![t(22)],
        "TELNET" => vec![t(23)],
        "FTP" => vec![t(21)],
        "TFTP" => vec![u(69)],
        "SMTP" => vec![t(25)],
        "SMTPS" => vec![t(465)],
        "POP3" => vec![t(110)],
        "POP3S" => vec![t(995)],
        "IMAP" => vec![t(143)],
        "IMAPS" => vec![t(993)],
        "NTP" => vec![t(123), u(123)],
        "SNMP" => vec![tr(161, 162), ur(161, 162)],
        "SYSLOG" => vec![u(514)],
        "LDAP" => vec![t(389)],
        "LDAP_UDP" => vec![u(389)],
        "KERBEROS" => vec![t(88), u(88)],
        "RDP" => vec![t(3389)],
        "SMB" => vec![t(445)],
        "SAMBA" => vec![t(139)],
        "DCE-RPC" => vec![t(135), u(135)],
        "NetMeeting" => vec![t(1720)],
        "MS-SQL" => vec![tr(1433, 1434)],
        "MYSQL" => vec![t(3306)],
        "VNC" => vec![t(5900)],
        "BGP" => vec![t(179)],
        "DHCP" => vec![ur(67, 68)],
        "IKE" => vec![u(500), u(4500)],
        "PPTP" => vec![t(1723)],
        "L2TP" => vec![t(1701), u(1701)],
        "SIP" => vec![u(5060)],
        "RADIUS" => vec![ur(1812, 1813)],
        "NNTP" => vec![t(119)],
        "SQUID" => vec![t(3128)],
        "X-WINDOWS" => vec![tr(6000, 6063)],
        "ONC-RPC" => vec![t(111), u(111)],
        "NFS" => vec![t(111), t(2049), u(111), u(2049)],
        "WINS" => vec![t(1512), u(1512)],
        "TRACEROUTE" => vec![ur(33434, 33535)],
        "GRE" => vec![common::protocol(47)],
        "ESP" => vec![common::protocol(50)],
        "AH" => vec![common::protocol(51)],
        "OSPF" => vec![common::protocol(89)],
        _ => return None,
    })
}

/// FortiOS's predefined service groups.
pub(super) fn predefined_group(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "Web Access" => &["DNS", "HTTP", "HTTPS"],
        "Email Access" => &["DNS", "IMAP", "IMAPS", "POP3", "POP3S", "SMTP", "SMTPS"],
        "Windows AD" => &[
            "DCE-RPC", "DNS", "KERBEROS", "LDAP", "LDAP_UDP", "SAMBA", "SMB",
        ],
        "Exchange Server" => &["DCE-RPC", "HTTPS", "IMAP", "IMAPS", "POP3", "POP3S", "SMTP"],
        _ => return None,
    })
}
