//! One address object (`subnet`, `iprange`, FQDN, geography...) or VIP as address bounds.

use super::common::{self, Warnings};
use super::objects::{AddrBounds, exact_addrs, unknown_addrs};
use super::tree::{Block, Item};
use crate::model::AddrRange;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub(super) fn parse_ip(text: &str) -> Option<Ipv4Addr> {
    text.parse().ok()
}

/// `A.B.C.D M.M.M.M` or `A.B.C.D/LEN` (as FortiOS accepts both).
pub(super) fn subnet(values: &[String]) -> Option<AddrRange> {
    match values {
        [one] => common::parse_cidr(one),
        [addr, mask, ..] => {
            let len = common::mask_len(parse_ip(mask)?)?;
            common::prefix(parse_ip(addr)?, len)
        }
        [] => None,
    }
}

/// `10.0.0.1`, `10.0.0.1-10.0.0.9` (a VIP's `mappedip`, an `iprange`).
pub(super) fn ip_or_range(text: &str) -> Option<AddrRange> {
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (u32::from(parse_ip(a)?), u32::from(parse_ip(b)?));
            (a <= b).then_some(AddrRange { first: a, last: b })
        }
        None => common::parse_cidr(text),
    }
}

/// Keys of `config firewall address` entries that do not change which addresses match.
pub(super) const ADDRESS_IGNORED: &[&str] = &[
    "uuid",
    "comment",
    "color",
    "associated-interface",
    "allow-routing",
    "visibility",
    "fabric-object",
    "tagging",
    "sub-type",
    "clearpass-spt",
    "cache-ttl",
    "interface",
    "obj-type",
    "start-mac",
    "end-mac",
    // Dynamic (fabric connector) addresses: read as any address for allow anyway.
    "sdn",
    "sdn-tag",
    "sdn-addr-type",
    "filter",
    "obj-id",
    "obj-tag",
    "tenant",
    "organization",
    "epg-name",
    "policy-group",
    "node-ip-only",
    "fsso-group",
    "hw-vendor",
    "hw-model",
    "os",
    "sw-version",
    "dirty",
    "route-tag",
];

pub(super) fn address_object(
    b: &Block,
    fqdn: &BTreeMap<String, Vec<AddrRange>>,
    w: &mut Warnings,
) -> AddrBounds {
    let kind = b.get1("type").unwrap_or("ipmask");
    // Names the device resolves at run time, when the mapping's `[fqdn]` gives their addresses
    // (by object name, or by the name the object holds).
    if matches!(kind, "fqdn" | "wildcard-fqdn" | "dynamic" | "geography") {
        let held = b.get1("fqdn").or_else(|| b.get1("wildcard-fqdn"));
        if let Some(known) = fqdn
            .get(b.name.as_str())
            .or_else(|| held.and_then(|h| fqdn.get(h)))
        {
            return exact_addrs(known.clone());
        }
    }
    let not_modelled = |what: &str, w: &mut Warnings| {
        w.warn_on(
            b.line,
            "address objects sansou cannot resolve (any address for allow, none for deny)",
            format!(
                "address `{}` is {what}, which sansou cannot resolve to addresses: read as any address for allow policies, as none for deny policies{}",
                b.name,
                if matches!(kind, "fqdn" | "wildcard-fqdn") {
                    " (give its addresses in the mapping's `[fqdn]`)"
                } else {
                    ""
                }
            ),
        );
        unknown_addrs(format!("address `{}` ({what})", b.name))
    };
    for item in &b.items {
        if let Item::Set { key, line, .. } = item
            && !ADDRESS_IGNORED.contains(&key.as_str())
            && !matches!(
                key.as_str(),
                "type"
                    | "subnet"
                    | "start-ip"
                    | "end-ip"
                    | "fqdn"
                    | "country"
                    | "wildcard"
                    | "wildcard-fqdn"
                    | "macaddr"
            )
        {
            w.warn(
                *line,
                format!("address `{}`: `set {key}` is not read", b.name),
            );
        }
    }
    match kind {
        // The subnet defaults to 0.0.0.0 0.0.0.0 (the predefined `all` is written that way).
        "ipmask" | "interface-subnet" => match b.get("subnet") {
            None => exact_addrs(vec![AddrRange::ALL]),
            Some(v) => match subnet(v) {
                Some(r) => exact_addrs(vec![r]),
                None => not_modelled("an unreadable subnet", w),
            },
        },
        "iprange" => {
            let start = b.get1("start-ip").and_then(parse_ip);
            let end = b.get1("end-ip").and_then(parse_ip);
            match (start, end) {
                (Some(s), Some(e)) if u32::from(s) <= u32::from(e) => {
                    exact_addrs(vec![AddrRange {
                        first: s.into(),
                        last: e.into(),
                    }])
                }
                _ => not_modelled("an incomplete address range", w),
            }
        }
        "fqdn" => not_modelled("an FQDN address, resolved by DNS at run time", w),
        "wildcard-fqdn" => not_modelled("a wildcard FQDN address", w),
        "geography" => not_modelled("a geography (country) address", w),
        "wildcard" => not_modelled("a wildcard-mask address", w),
        "dynamic" => not_modelled("a dynamic (fabric connector) address", w),
        "mac" => not_modelled("a MAC address object", w),
        other => not_modelled(&format!("of type `{other}`"), w),
    }
}

pub(super) fn vip_object(b: &Block, w: &mut Warnings) -> AddrBounds {
    let mapped: Option<Option<Vec<AddrRange>>> = b
        .get("mappedip")
        .map(|v| v.iter().map(|m| ip_or_range(m)).collect());
    match mapped {
        Some(Some(ranges)) if !ranges.is_empty() => {
            // The policy list sees the destination after NAT: the mapped address (the VIP
            // itself is a destination NAT entry, see `nat`).
            exact_addrs(ranges)
        }
        _ => {
            w.warn(
                b.line,
                format!(
                    "virtual IP `{}` has no readable `mappedip`: read as any address for allow policies, as none for deny policies",
                    b.name
                ),
            );
            unknown_addrs(format!(
                "virtual IP `{}` without a readable `mappedip`",
                b.name
            ))
        }
    }
}
