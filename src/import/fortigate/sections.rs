//! The sections this importer reads, and warnings for the ones it does not (those that change
//! what is forwarded one by one, the rest in one summary) and for the object lines it skips.

use super::common::Warnings;
use super::scope::Scope;
use super::tree::Item;

/// Sections read (fully or for what matters to forwarding).
pub(super) const READ: &[&str] = &[
    "system interface",
    "system zone",
    "firewall address",
    "firewall addrgrp",
    "firewall vip",
    "firewall vipgrp",
    "firewall ippool",
    "firewall service custom",
    "firewall service group",
    "firewall service category",
    "firewall policy",
    "firewall central-snat-map",
    "firewall schedule recurring",
    "firewall schedule onetime",
    "firewall schedule group",
    "router static",
];

/// Sections that change what is forwarded but are not modelled: each is its own warning.
pub(super) fn not_modelled(path: &str) -> Option<&'static str> {
    Some(match path {
        "firewall policy6" | "firewall policy64" | "firewall policy46" | "firewall address6"
        | "firewall addrgrp6" => "IPv6 and NAT64/46 are not modelled",
        "firewall local-in-policy" => {
            "local-in policies filter traffic to the FortiGate itself, not forwarded traffic; not imported"
        }
        "firewall proxy-policy" => "explicit-proxy policies are not modelled",
        "firewall multicast-policy" => "multicast policies are not modelled",
        "firewall DoS-policy" | "firewall interface-policy" => {
            "DoS and interface policies are not modelled (they only drop more)"
        }
        "router policy" => {
            "policy routing is not modelled: with it the firewall keeps no routing table (any allowed path assumed)"
        }
        "router bgp" | "router ospf" | "router rip" | "router isis" => {
            "dynamic routing is not modelled: with it the firewall keeps no routing table (any allowed path assumed)"
        }
        "system sdwan" | "system virtual-wan-link" => {
            "SD-WAN is not modelled: map its member interfaces instead"
        }
        "system switch-interface" | "system virtual-switch" => {
            "software/virtual switches forward between their member ports without policies; map the switch interface"
        }
        "vpn ipsec phase1-interface" | "vpn ipsec phase2-interface" | "vpn ssl settings" => {
            "VPN tunnels are not modelled: map the tunnel interface to an external to include its policies"
        }
        _ => return None,
    })
}

/// Warns about every top-level section not read: one warning each for those that change what
/// is forwarded, and one summary for the rest (administration, logging, security profiles).
/// Warns about the lines of object sections that the readers above skip: `unset`, `append`,
/// nested sections, and statements between entries. (Unknown `set` keys are warned by the
/// object readers themselves, which know which keys matter.)
pub(super) fn report_object_lines(scope: &Scope<'_>, w: &mut Warnings) {
    let objects = [
        ("firewall address", "address"),
        ("firewall addrgrp", "address group"),
        ("firewall vip", "virtual IP"),
        ("firewall vipgrp", "virtual IP group"),
        ("firewall service custom", "service"),
        ("firewall service group", "service group"),
        ("system zone", "zone"),
    ];
    for (path, kind) in objects {
        for section in scope.all(path) {
            for item in &section.items {
                match item {
                    Item::Edit(b) => {
                        for inner in &b.items {
                            match inner {
                                Item::Other { line, excerpt } => w.warn(
                                    *line,
                                    format!("{kind} `{}`: `{excerpt}` is not read", b.name),
                                ),
                                // Object tags are labels for the GUI.
                                Item::Config(c) if c.path == "tagging" => {}
                                Item::Config(c) => w.warn(
                                    c.line,
                                    format!("{kind} `{}`: `config {}` is not read", b.name, c.path),
                                ),
                                // `unset KEY` is the default, which is how an absent key is read.
                                Item::Set { .. } | Item::Unset { .. } | Item::Edit(_) => {}
                            }
                        }
                    }
                    Item::Set { line, .. }
                    | Item::Unset { line, .. }
                    | Item::Other { line, .. } => w.warn(
                        *line,
                        format!("`config {path}`: statement outside an entry ignored"),
                    ),
                    Item::Config(c) => w.warn(
                        c.line,
                        format!("`config {}` inside `config {path}` is not read", c.path),
                    ),
                }
            }
        }
    }
}

/// `config system settings` keys the importer reads (central NAT on or off).
const SETTINGS_READ: &[&str] = &["central-nat", "ngfw-mode"];

/// Warnings for the `system settings` keys that change what is forwarded and are not modelled:
/// each its own warning, naming the approximation it leaves.
fn settings_warnings(section: &super::tree::Section, w: &mut Warnings) {
    for item in &section.items {
        let Item::Set { key, values, line } = item else {
            continue;
        };
        let value = values.first().map(String::as_str).unwrap_or("");
        let why = match (key.as_str(), value) {
            ("opmode", "transparent") => {
                "transparent mode is not modelled: the FortiGate bridges its ports at layer 2;                  map the bridged ports to the segments they join"
            }
            ("asymroute" | "asymroute-icmp", "enable") => {
                "asymmetric routing is allowed: replies this FortiGate did not see pass it                  unchecked, but sansou treats it as a stateful firewall that drops them, so a                  reply reported blocked here may in fact return"
            }
            _ => continue,
        };
        w.warn(*line, format!("`set {key} {value}` not imported: {why}"));
    }
}

pub(super) fn report_sections(scope: &Scope<'_>, w: &mut Warnings) {
    let mut others: Vec<(usize, String)> = Vec::new();
    for s in &scope.sections {
        // Backups list many sections with nothing in them: they configure nothing.
        if READ.contains(&s.path.as_str()) || s.path == "system global" || s.items.is_empty() {
            continue;
        }
        // Read for central NAT only: its other keys are warned about or listed as not read.
        if s.path == "system settings" {
            settings_warnings(s, w);
            others.push((
                s.line,
                format!(
                    "system settings (keys other than {})",
                    SETTINGS_READ.join(", ")
                ),
            ));
            continue;
        }
        match not_modelled(&s.path) {
            Some(why) => w.warn(s.line, format!("`config {}` not imported: {why}", s.path)),
            None => others.push((s.line, s.path.clone())),
        }
    }
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(8)
            .map(|(l, p)| format!("{p} (line {l})"))
            .collect();
        w.warn(
            0,
            format!(
                "{} section(s) that do not change what is forwarded were not read: {}{}",
                others.len(),
                shown.join(", "),
                if others.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
}
