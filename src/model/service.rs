//! Services: an IP protocol and, for TCP and UDP, a destination port range.
//!
//! Written as `tcp/443`, `udp/500-510`, `tcp` (every TCP port), `icmp`, `esp`, `gre`, `ip/89`
//! (any IP protocol by number) or `any`.

/// IP protocol numbers with a name users write.
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMP: u8 = 1;
const NAMED: &[(&str, u8)] = &[
    ("tcp", TCP),
    ("udp", UDP),
    ("icmp", ICMP),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
];

/// Destination ports `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub first: u16,
    pub last: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange {
        first: 0,
        last: u16::MAX,
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// Every protocol and port.
    Any,
    /// One IP protocol; `ports` only narrows TCP and UDP and is `ALL` for the others.
    Proto { proto: u8, ports: PortRange },
}

/// Whether a protocol has ports a rule can name.
pub fn has_ports(proto: u8) -> bool {
    proto == TCP || proto == UDP
}

pub fn protocol_name(proto: u8) -> String {
    NAMED
        .iter()
        .find(|(_, n)| *n == proto)
        .map(|(name, _)| name.to_string())
        .unwrap_or_else(|| format!("ip/{proto}"))
}

impl Service {
    pub fn parse(text: &str) -> Result<Service, String> {
        let text = text.trim();
        if text == "any" {
            return Ok(Service::Any);
        }
        let (name, ports) = match text.split_once('/') {
            Some((n, p)) => (n, Some(p)),
            None => (text, None),
        };
        if name == "ip" {
            let number = ports.ok_or("`ip` needs a protocol number, e.g. `ip/89`")?;
            let proto: u8 = number
                .parse()
                .map_err(|_| format!("`{number}` is not an IP protocol number (0-255)"))?;
            return Ok(Service::Proto {
                proto,
                ports: PortRange::ALL,
            });
        }
        let proto = NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
            .ok_or_else(|| {
                format!(
                    "unknown protocol `{name}` (expected tcp, udp, icmp, gre, esp, ah, ip/N or any)"
                )
            })?;
        let ports = match ports {
            None => PortRange::ALL,
            Some(p) if has_ports(proto) => parse_ports(p)?,
            Some(_) => return Err(format!("`{name}` has no ports; write just `{name}`")),
        };
        Ok(Service::Proto { proto, ports })
    }
}

fn parse_ports(text: &str) -> Result<PortRange, String> {
    let port = |s: &str| -> Result<u16, String> {
        let n: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a port number"))?;
        u16::try_from(n).map_err(|_| format!("port {n} is out of range (0-65535)"))
    };
    let (first, last) = match text.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => {
            let p = port(text)?;
            (p, p)
        }
    };
    if last < first {
        return Err(format!("port range {first}-{last} ends before it starts"));
    }
    Ok(PortRange { first, last })
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Service::Any => f.write_str("any"),
            Service::Proto { proto, ports } => {
                let name = protocol_name(proto);
                if !has_ports(proto) || ports == PortRange::ALL {
                    f.write_str(&name)
                } else if ports.first == ports.last {
                    write!(f, "{name}/{}", ports.first)
                } else {
                    write!(f, "{name}/{}-{}", ports.first, ports.last)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "any",
            "tcp",
            "tcp/443",
            "udp/500-510",
            "icmp",
            "esp",
            "ip/89",
        ] {
            assert_eq!(Service::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_bad_services() {
        assert!(
            Service::parse("tcp/70000")
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            Service::parse("xyz/1")
                .unwrap_err()
                .contains("unknown protocol")
        );
        assert!(Service::parse("tcp/90-80").is_err());
        assert!(Service::parse("icmp/8").is_err());
        assert!(Service::parse("ip/300").is_err());
    }
}
