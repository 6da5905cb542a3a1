//! IPv4 address ranges: a host group's addresses, a segment's subnet, an external's prefixes.
//!
//! Format version 1 is IPv4 only; the loader rejects IPv6 with a clear message rather than
//! analysing it half-way.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// An inclusive range of IPv4 addresses, `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddrRange {
    pub first: u32,
    pub last: u32,
}

impl AddrRange {
    pub const ALL: AddrRange = AddrRange {
        first: 0,
        last: u32::MAX,
    };

    pub fn single(addr: Ipv4Addr) -> AddrRange {
        let a = u32::from(addr);
        AddrRange { first: a, last: a }
    }

    pub fn from_net(net: Ipv4Net) -> AddrRange {
        AddrRange {
            first: u32::from(net.network()),
            last: u32::from(net.broadcast()),
        }
    }

    /// Number of addresses in the range (up to 2^32, hence u64).
    pub fn size(&self) -> u64 {
        u64::from(self.last) - u64::from(self.first) + 1
    }

    pub fn contains(&self, other: &AddrRange) -> bool {
        self.first <= other.first && other.last <= self.last
    }

    pub fn contains_addr(&self, addr: u32) -> bool {
        self.first <= addr && addr <= self.last
    }

    pub fn overlaps(&self, other: &AddrRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// Parses `10.1.0.5`, `10.1.0.0/25` or `10.1.0.10-10.1.0.40`.
    pub fn parse(text: &str) -> Result<AddrRange, String> {
        let text = text.trim();
        if text.contains(':') {
            return Err("IPv6 addresses are not supported in format 1 (IPv4 only)".into());
        }
        if let Some((a, b)) = text.split_once('-') {
            let first = parse_addr(a)?;
            let last = parse_addr(b)?;
            if last < first {
                return Err(format!("range {text} ends before it starts"));
            }
            return Ok(AddrRange {
                first: first.into(),
                last: last.into(),
            });
        }
        if text.contains('/') {
            return parse_net(text).map(AddrRange::from_net);
        }
        parse_addr(text).map(AddrRange::single)
    }
}

impl std::fmt::Display for AddrRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (first, last) = (Ipv4Addr::from(self.first), Ipv4Addr::from(self.last));
        if self.first == self.last {
            return write!(f, "{first}");
        }
        // Print as a prefix when the range is exactly one.
        let size = self.size();
        if size.is_power_of_two() && u64::from(self.first) % size == 0 {
            let len = 32 - size.trailing_zeros();
            return write!(f, "{first}/{len}");
        }
        write!(f, "{first}-{last}")
    }
}

pub fn parse_addr(text: &str) -> Result<Ipv4Addr, String> {
    let text = text.trim();
    if text.contains(':') {
        return Err("IPv6 addresses are not supported in format 1 (IPv4 only)".into());
    }
    text.parse::<Ipv4Addr>()
        .map_err(|_| format!("`{text}` is not an IPv4 address"))
}

/// Parses a prefix. Host bits must be zero (`10.1.0.5/24` is almost always a typo for either the
/// subnet or the host), so it is refused with the likely meaning named.
pub fn parse_net(text: &str) -> Result<Ipv4Net, String> {
    let text = text.trim();
    if text.contains(':') {
        return Err("IPv6 prefixes are not supported in format 1 (IPv4 only)".into());
    }
    let net: Ipv4Net = text
        .parse()
        .map_err(|_| format!("`{text}` is not an IPv4 prefix (expected e.g. 10.1.0.0/24)"))?;
    if net.addr() != net.network() {
        return Err(format!(
            "`{text}` has host bits set; the prefix is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(AddrRange::parse("10.0.0.1").unwrap().size(), 1);
        assert_eq!(AddrRange::parse("10.0.0.0/25").unwrap().size(), 128);
        assert_eq!(AddrRange::parse("10.0.0.10-10.0.0.19").unwrap().size(), 10);
        assert!(AddrRange::parse("10.0.0.19-10.0.0.10").is_err());
        assert!(AddrRange::parse("10.0.0.256").is_err());
        assert!(AddrRange::parse("10.0.0.1/24").is_err());
        assert!(AddrRange::parse("fe80::1").unwrap_err().contains("IPv6"));
    }

    #[test]
    fn displays_prefixes_and_ranges() {
        for s in [
            "10.0.0.1",
            "10.0.0.0/25",
            "10.0.0.10-10.0.0.19",
            "0.0.0.0/0",
        ] {
            assert_eq!(AddrRange::parse(s).unwrap().to_string(), s);
        }
    }
}
