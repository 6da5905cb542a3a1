//! What `application-default` means for common PAN-OS applications: the ports App-ID lets each
//! application use when a rule's service is `application-default`.
//!
//! The device takes these from its App-ID content, which Palo Alto Networks updates; this table
//! is sansou's reading of the standard ports of the applications municipal rule sets name most,
//! and docs/IMPORTERS.md prints it. An application not in it (and not defined in the
//! configuration as a custom application with its own `default` ports) is read as any service
//! and the rule is marked, so an unknown application can only add paths, never hide one.

use crate::import::common::{ports, protocol};
use crate::model::Service;
use crate::model::service::{ICMP, TCP, UDP};

/// The default services of a predefined application, or `None` when the table does not know it.
pub fn default_services(app: &str) -> Option<Vec<Service>> {
    let tcp = |p: u16| ports(TCP, p, p);
    let udp = |p: u16| ports(UDP, p, p);
    Some(match app {
        "web-browsing" => vec![tcp(80)],
        "ssl" => vec![tcp(443)],
        "http-proxy" => vec![tcp(8080)],
        "quic" => vec![udp(443), udp(80)],
        "dns" | "dns-base" => vec![tcp(53), udp(53)],
        "ntp" | "ntp-base" => vec![udp(123)],
        "ssh" => vec![tcp(22)],
        "telnet" => vec![tcp(23)],
        "ftp" => vec![tcp(21)],
        "tftp" => vec![udp(69)],
        "smtp" | "smtp-base" => vec![tcp(25), tcp(587)],
        "pop3" => vec![tcp(110)],
        "imap" => vec![tcp(143)],
        "ldap" => vec![tcp(389), udp(389)],
        "kerberos" => vec![tcp(88), udp(88)],
        "ms-ds-smb" | "ms-ds-smb-base" => vec![tcp(139), tcp(445)],
        "netbios-ns" => vec![udp(137)],
        "netbios-dg" => vec![udp(138)],
        "netbios-ss" => vec![tcp(139)],
        "msrpc" | "msrpc-base" => vec![tcp(135)],
        "ms-rdp" => vec![tcp(3389), udp(3389)],
        "ms-sql" | "mssql-db" => vec![tcp(1433), udp(1434)],
        "mysql" => vec![tcp(3306)],
        "oracle" => vec![tcp(1521)],
        "postgres" => vec![tcp(5432)],
        "snmp" | "snmp-base" => vec![udp(161), udp(162)],
        "syslog" => vec![udp(514), tcp(514)],
        "radius" => vec![udp(1812), udp(1813)],
        "dhcp" => vec![udp(67), udp(68)],
        "ike" => vec![udp(500), udp(4500)],
        "ipsec-esp" => vec![protocol(50)],
        "gre" => vec![protocol(47)],
        "ping" | "icmp" | "traceroute" => vec![protocol(ICMP)],
        _ => return None,
    })
}

/// The applications [`default_services`] knows, for the docs and their test.
pub const KNOWN: &[&str] = &[
    "dhcp",
    "dns",
    "dns-base",
    "ftp",
    "gre",
    "http-proxy",
    "icmp",
    "ike",
    "imap",
    "ipsec-esp",
    "kerberos",
    "ldap",
    "ms-ds-smb",
    "ms-ds-smb-base",
    "ms-rdp",
    "ms-sql",
    "msrpc",
    "msrpc-base",
    "mssql-db",
    "mysql",
    "netbios-dg",
    "netbios-ns",
    "netbios-ss",
    "ntp",
    "ntp-base",
    "oracle",
    "ping",
    "pop3",
    "postgres",
    "quic",
    "radius",
    "smtp",
    "smtp-base",
    "snmp",
    "snmp-base",
    "ssh",
    "ssl",
    "syslog",
    "telnet",
    "tftp",
    "traceroute",
    "web-browsing",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_application_has_defaults() {
        for app in KNOWN {
            assert!(default_services(app).is_some(), "{app}");
        }
        assert_eq!(default_services("facebook-base"), None);
        assert_eq!(
            default_services("web-browsing"),
            Some(vec![Service::parse("tcp/80").unwrap()])
        );
    }
}
