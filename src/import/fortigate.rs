//! FortiGate (FortiOS) configuration backups → one stateful firewall.
//!
//! A backup is a tree of `config PATH` … `end` sections holding `edit NAME` … `next` entries
//! of `set KEY VALUE…` lines. It is parsed into that tree first (`tree.rs`), then read the way
//! FortiOS evaluates it:
//!
//! - `config firewall policy`: policies in the order they appear (the policy id is a name, not
//!   a position), first match, an implicit deny after the last one; `set status disable`
//!   policies are skipped (a warning says so); `set action` defaults to deny as on the device.
//! - `srcintf`/`dstintf` become the rule's `in`/`out` interfaces; a zone of
//!   `config system zone` stands for its member interfaces, `any` for no restriction.
//! - Addresses (`subnet`, `iprange`), address groups (nested, with `exclude-member`), VIPs (read
//!   as their mapped addresses: policies see the destination after NAT; the VIPs themselves and
//!   `set nat enable` become `[[firewall.nat]]` entries, see `nat`), custom services (`tcp-portrange 80 443 8000-8080`, `udp`,
//!   `sctp`, ICMP, IP protocol numbers), service groups, and the predefined services.
//! - VDOMs: one is imported (the mapping's `vdom`, else the first, with a warning when there
//!   are several). `config system interface` gives each interface its address.
//!
//! What cannot be expressed in the model (FQDN and geography addresses, schedules, users, central
//! NAT, source ports) is read so that an allow rule can only grow and a deny rule can only shrink
//! (see `common`), and each such place is a warning. Secrets are never read into messages:
//! messages quote section names, keys and object names, never values of unknown lines.
//!
//! This file is the import itself, in the order FortiOS reads a backup. The steps live beside
//! it: `tree.rs` (the parsed tree), `scope.rs` (the VDOM imported), `objects.rs` (objects and
//! groups as lower and upper bounds), `addresses.rs` and `services.rs` (one object each),
//! `policies.rs` (one policy as a rule), `sections.rs` (what is read, and the warnings for
//! what is not), `nat.rs` and `central_snat.rs` (address translation), `routes.rs` (static
//! routes).

mod addresses;
mod central_snat;
mod nat;
mod objects;
mod policies;
mod routes;
mod scope;
mod sections;
mod services;
mod tree;

use super::common::{self, Interfaces, Match, Warnings};
use super::{ImportError, Imported, Mapping};
use crate::model::Action;
use addresses::parse_ip;
use objects::{Objects, by_name};
use policies::policy;
use scope::{Scope, scope};
use sections::{report_object_lines, report_sections};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use tree::{Block, Item, parse, statements};

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    // Backups edited on Windows may start with a byte-order mark; it is not part of the syntax.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tree = read_tree(text)?;
    let mut w = Warnings::default();
    let scope = scope(&tree, map, &mut w)?;
    let mut ifs = Interfaces::new(map);
    let (order, defined) = interfaces(&scope, &ifs, &mut w);
    let zones = zones(&scope);
    warn_mapping(map, &scope, &zones, (&order, &defined), &mut w);

    report_sections(&scope, &mut w);
    report_object_lines(&scope, &mut w);

    let mut objects = Objects::new(&scope, &map.fqdn);
    let mut fw = common::firewall(map, &order, Action::Deny, true);
    // The device's own name, unless the mapping gives one: reports then name the box the way
    // its administrators do.
    if fw.name.is_none() {
        let host = scope
            .setting("system global", "hostname")
            .filter(|h| !h.is_empty());
        fw.name = match (host, &scope.vdom) {
            (Some(h), Some(v)) => Some(format!("{h} (VDOM {v})")),
            (h, _) => h,
        };
    }
    let mut approximations = common::Approximations::default();
    let mut nat = nat::FortiNat::vips(file, &scope.edits("firewall vip"), &mut ifs, &mut w);
    let pools = by_name(scope.edits("firewall ippool"));
    // Central NAT: on by `set central-nat enable`, and always in policy-based NGFW mode.
    let central_nat = scope.setting("system settings", "central-nat") == Some("enable".into())
        || scope.setting("system settings", "ngfw-mode") == Some("policy-based".into());
    let mut list = PolicyList {
        fw: &mut fw,
        approximations: &mut approximations,
        // With central NAT the policies' own `set nat` is not used.
        nat: (!central_nat).then_some((&mut nat, &pools)),
    };
    read_policies(
        file,
        &scope,
        &mut objects,
        &zones,
        &mut ifs,
        &mut list,
        &mut w,
    )?;
    intrazone_allows(file, &zones, &ifs, &mut fw, &mut w);

    // Allows (intrazone ones too) after a deny left out or reduced say so.
    approximations.mark(&mut fw.rules);
    let central = scope.edits("firewall central-snat-map");
    if central_nat {
        let mut cx = central_snat::Context {
            file,
            objects: &mut objects,
            zones: &zones,
            ifs: &mut ifs,
            pools: &pools,
            interfaces: &fw.interfaces,
        };
        nat.central(&central, &mut cx, &mut w)?;
    } else if let Some(first) = central.first() {
        w.warn(
            first.line,
            "`config firewall central-snat-map` has entries but central NAT is off (`set central-nat disable`): FortiOS does not use them, and neither does sansou",
        );
    }
    routes::read(&scope, &mut w).apply(&mut fw, file, &routes::subnets(&scope), &mut w);
    nat.unhide_where_policies_let_in(&fw.rules, &mut w);
    fw.nat = nat.entries(&mut w);
    Ok(w.imported(fw))
}

/// The backup's tree, or why the text is not a FortiOS backup.
fn read_tree(text: &str) -> Result<Vec<Item>, ImportError> {
    // A backup starts with `config` sections after its `#config-version` header; anything
    // else (an IOS `hostname`, an iptables `*filter`) is another vendor's file.
    if let Some((line, words)) = statements(text)?.into_iter().next()
        && words[0] != "config"
    {
        return Err(ImportError::at_line(
            line,
            format!(
                "this is not a FortiGate configuration: a FortiOS backup is made of `config …` sections, but this line starts with `{}`",
                common::excerpt(&words[0])
            ),
        ));
    }
    let tree = parse(text)?;
    if !tree.iter().any(|i| matches!(i, Item::Config(_))) {
        return Err(ImportError::at_line(
            1,
            "this is not a FortiGate configuration: no `config` section found",
        ));
    }
    Ok(tree)
}

/// Interfaces of the imported VDOM, with their addresses, in configuration order; and the
/// names defined.
fn interfaces<'s>(
    scope: &Scope<'s>,
    ifs: &Interfaces<'_>,
    w: &mut Warnings,
) -> (Vec<(String, Option<Ipv4Addr>)>, BTreeSet<&'s str>) {
    let mut order: Vec<(String, Option<Ipv4Addr>)> = Vec::new();
    let mut defined: BTreeSet<&str> = BTreeSet::new();
    for b in scope.edits("system interface") {
        if let (Some(vdom), Some(own)) = (&scope.vdom, b.get1("vdom"))
            && own != vdom
        {
            continue;
        }
        defined.insert(b.name.as_str());
        for item in &b.items {
            if let Item::Config(c) = item
                && c.path == "secondaryip"
                && ifs.is_mapped(&b.name)
            {
                w.warn(
                    c.line,
                    format!(
                        "interface `{}` has secondary addresses: not imported (an interface sits on one segment; map another interface for the other subnet)",
                        b.name
                    ),
                );
            }
        }
        let ip = b
            .get("ip")
            .and_then(|v| v.first())
            .and_then(|a| parse_ip(a.split('/').next().unwrap_or(a)))
            .filter(|a| !a.is_unspecified());
        order.push((b.name.clone(), ip));
    }
    (order, defined)
}

/// Zones: name → the zone and its member interfaces.
fn zones<'s>(scope: &Scope<'s>) -> Zones<'s> {
    let mut zones: Zones<'s> = BTreeMap::new();
    for b in scope.edits("system zone") {
        let members = b.get("interface").unwrap_or_default().to_vec();
        zones.insert(b.name.as_str(), (b, members));
    }
    zones
}

/// Zones by name, each with its member interfaces.
type Zones<'s> = BTreeMap<&'s str, (&'s Block, Vec<String>)>;

/// Warns about the mapping's names that are zones, or interfaces the configuration does not
/// define.
fn warn_mapping(
    map: &Mapping,
    scope: &Scope<'_>,
    zones: &Zones<'_>,
    (order, defined): (&[(String, Option<Ipv4Addr>)], &BTreeSet<&str>),
    w: &mut Warnings,
) {
    for name in map.interfaces.keys() {
        if zones.contains_key(name.as_str()) {
            w.warn(
                0,
                format!(
                    "the mapping places `{name}`, which is a zone: map its member interfaces instead"
                ),
            );
        } else if !defined.contains(name.as_str()) && !order.is_empty() {
            w.warn(
                0,
                format!(
                    "the mapping places interface `{name}`, which `config system interface` does not define{}",
                    scope
                        .vdom
                        .as_ref()
                        .map(|v| format!(" in VDOM `{v}`"))
                        .unwrap_or_default()
                ),
            );
        }
    }
}

/// What the policies are read into: the firewall's rules, the denies left out of them, and
/// (without central NAT) the NAT their `set nat` asks for, with the IP pools.
struct PolicyList<'a, 's> {
    fw: &'a mut crate::model::Firewall,
    approximations: &'a mut common::Approximations,
    nat: Option<(&'a mut nat::FortiNat, &'a BTreeMap<&'s str, &'s Block>)>,
}

/// The policy list, in order.
fn read_policies(
    file: &str,
    scope: &Scope<'_>,
    objects: &mut Objects<'_>,
    zones: &Zones<'_>,
    ifs: &mut Interfaces<'_>,
    list: &mut PolicyList<'_, '_>,
    w: &mut Warnings,
) -> Result<(), ImportError> {
    let mut policies = 0;
    for section in scope.all("firewall policy") {
        for item in &section.items {
            let p = match item {
                Item::Edit(p) => p,
                Item::Set { line, .. } | Item::Unset { line, .. } | Item::Other { line, .. } => {
                    w.warn(*line, "statement between policies ignored");
                    continue;
                }
                Item::Config(c) => {
                    w.warn(
                        c.line,
                        format!("`config {}` inside the policy list ignored", c.path),
                    );
                    continue;
                }
            };
            policies += 1;
            let read = policy(file, p, objects, zones, ifs, w)?;
            if let Some((nat, pools)) = &mut list.nat {
                nat.policy(file, p, &read, pools, &list.fw.interfaces, w);
            }
            let (rule, dropped) = read;
            if let Some((upper, note)) = dropped {
                list.approximations
                    .dropped(list.fw.rules.len(), upper, note);
            }
            list.fw.rules.extend(rule);
        }
    }
    if policies == 0 {
        w.warn(
            0,
            "no `config firewall policy` entries: everything is denied by the implicit deny",
        );
    }
    Ok(())
}

/// Intrazone traffic: FortiOS lets it through without a policy when the zone says
/// `set intrazone allow`; read as an allow after the policies (which are matched first).
fn intrazone_allows(
    file: &str,
    zones: &Zones<'_>,
    ifs: &Interfaces<'_>,
    fw: &mut crate::model::Firewall,
    w: &mut Warnings,
) {
    for (name, (b, members)) in zones {
        if b.get1("intrazone") != Some("allow") {
            continue;
        }
        let mapped: BTreeSet<String> = members
            .iter()
            .filter(|m| ifs.is_mapped(m))
            .cloned()
            .collect();
        if mapped.len() < 2 {
            continue;
        }
        let m = Match {
            in_if: Some(mapped.clone()),
            out_if: Some(mapped),
            ..Match::default()
        };
        if let Some(r) = m.to_rule(
            Action::Allow,
            common::origin(file, b.line_of("intrazone")),
            Some(format!("zone {name}: intrazone allow")),
        ) {
            fw.rules.push(r);
            // Said out loud because the order matters when a policy denies between members.
            w.warn(
                b.line_of("intrazone"),
                format!(
                    "zone {name}: `intrazone allow` is read as an allow between its member interfaces after the policies (a policy between members still matches first)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::services::port_range;
    use super::*;

    #[test]
    fn statements_handle_quotes_and_comments() {
        let s = statements(
            "#config-version=x\nset a \"b c\" 'd'\nset cert \"-----\nxyz\n-----\"\nnext\n",
        )
        .unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[0],
            (2, vec!["set".into(), "a".into(), "b c".into(), "d".into()])
        );
        assert_eq!(s[1].0, 3);
        assert_eq!(s[2], (6, vec!["next".into()]));
        assert!(statements("set a \"open\n").is_err());
    }

    #[test]
    fn unbalanced_sections_are_errors() {
        let e = parse("config firewall policy\n    edit 1\n    next\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
        let e = parse("config a\nend\nend\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("next\n").unwrap_err();
        assert!(e.message.contains("`next`"));
    }

    #[test]
    fn a_byte_order_mark_is_not_syntax() {
        let map = Mapping::new(
            "fw",
            [
                ("port1", crate::model::Attachment::Segment("a".into())),
                ("port2", crate::model::Attachment::Segment("b".into())),
            ],
        );
        let text = "\u{feff}#config-version=x\nconfig firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"HTTPS\"\n    next\nend\n";
        let imported = import("f.conf", text, &map).unwrap();
        assert_eq!(imported.firewall.rules.len(), 1);
        assert_eq!(
            imported.firewall.rules[0].origin.as_deref(),
            Some("f.conf:3")
        );
    }

    /// Whether the import warned at `line` with a message containing `words`.
    fn warned(imported: &Imported, line: usize, words: &str) -> bool {
        imported
            .warnings
            .iter()
            .any(|w| w.line == line && w.message.contains(words))
    }

    #[test]
    fn skipped_object_lines_are_warned() {
        let map = Mapping::new("fw", []);
        let text = "config firewall addrgrp\n    edit \"g\"\n        set member \"all\"\n        append member \"x\"\n        config tagging\n        end\n        config unknown-sub\n        end\n    next\nend\n";
        let imported = import("f.conf", text, &map).unwrap();
        let at = |line: usize, words: &str| warned(&imported, line, words);
        assert!(
            at(4, "address group `g`: `append member"),
            "{:?}",
            imported.warnings
        );
        assert!(at(7, "`config unknown-sub` is not read"));
        assert!(!imported.warnings.iter().any(|w| w.line == 5));
    }

    #[test]
    fn system_settings_are_read_for_central_nat_and_warned_for_the_rest() {
        let map = Mapping::new("fw", []);
        let text = "config system settings\n    set central-nat enable\n    set asymroute enable\n    set opmode transparent\n    set gui-theme mariner\nend\n";
        let imported = import("f.conf", text, &map).unwrap();
        let at = |line: usize, words: &str| warned(&imported, line, words);
        assert!(
            at(3, "asymmetric routing is allowed"),
            "{:?}",
            imported.warnings
        );
        assert!(at(4, "transparent mode is not modelled"));
        assert!(at(
            0,
            "system settings (keys other than central-nat, ngfw-mode) (line 1)"
        ));
        assert!(!imported.warnings.iter().any(|w| w.line == 2 || w.line == 5));
    }

    #[test]
    fn port_ranges() {
        assert_eq!(port_range("80"), Some((80, 80, false)));
        assert_eq!(port_range("8000-8080"), Some((8000, 8080, false)));
        assert_eq!(port_range("53:1024-65535"), Some((53, 53, true)));
        assert_eq!(port_range("0-65535"), Some((1, 65535, false)));
        assert_eq!(port_range("90-80"), None);
        assert_eq!(port_range("x"), None);
    }
}
