//! Palo Alto Networks PAN-OS (the XML running configuration: `show config running`, or the
//! exported `running-config.xml`) → one stateful firewall per vsys.
//!
//! What PAN-OS does with a packet entering interface A and leaving interface B: A and B each
//! sit in a zone of the vsys (an interface in no zone passes nothing); the security rulebase
//! is searched in order — Panorama's pre-rules, the firewall's own rules, Panorama's
//! post-rules — for the first rule whose source zone holds A, destination zone holds B
//! (`rule-type` narrowing that to the same or to different zones), and whose addresses,
//! application and service match; then `intrazone-default` allows traffic within one zone and
//! `interzone-default` denies the rest. Replies of allowed sessions return.
//!
//! That is a first-match policy list with `in`/`out` interfaces ([`rules`]), `default =
//! "deny"` and `stateful = true`. Objects ([`objects`]) are resolved exactly where the model
//! can say them; what it cannot (an FQDN object without the mapping's `[fqdn]`, a dynamic
//! address-group, an application whose default ports sansou does not know, a user or a
//! schedule) is read so that an allow can only match more and a deny less, and the rules say
//! so in their `approximation`. Static routes of the virtual router holding the mapped
//! interfaces become the firewall's routing table ([`routes`]); NAT is not modelled, and
//! destination NAT is read so that no path is hidden ([`nat`]).
//!
//! One import is one vsys: the mapping's `vsys`, else the first (with a warning when there are
//! several); import each vsys with its own mapping to get one firewall per vsys. Secrets
//! (`phash`, passwords, keys) sit in sections this importer never reads (`mgt-config`,
//! `deviceconfig`, IKE and GlobalProtect settings), so they can reach neither the output nor
//! a message.

mod apps;
mod nat;
mod objects;
mod routes;
mod rules;
pub mod xml;

use super::cisco_ios::shown;
use super::common::{self, Interfaces, Warnings};
use super::{ImportError, Imported, Mapping};
use crate::model::Action;
use objects::Objects;
use rules::{Compiler, Zones};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use xml::Element;

pub use apps::KNOWN as KNOWN_APPLICATIONS;

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    let root = read_root(text)?;
    let (config, device, vsys_list) = firewall_parts(&root)?;
    let mut warnings = Warnings::default();
    let vsys = pick_vsys(map, &vsys_list, &mut warnings)?;
    let vsys_name = vsys.entry_name().to_string();
    let mut scopes = vec![vsys];
    scopes.extend(config.child("shared"));
    let objects = Objects {
        scopes,
        fqdn: &map.fqdn,
    };

    // Interfaces of the vsys, with their addresses, in document order.
    let l3 = layer3(device, &objects);
    let order = vsys_interfaces(vsys, vsys_list.len() > 1, &l3);
    for name in map.interfaces.keys() {
        if !order.iter().any(|(n, _)| n == name) {
            warnings.warn(
                0,
                format!(
                    "the mapping names interface {name}, which is not a layer-3 interface of vsys {vsys_name} in the configuration: imported without an address"
                ),
            );
        }
    }
    let mut interfaces = Interfaces::new(map);
    let zones = zones(vsys, &mut interfaces, &mut warnings);
    let zoned = zones.all();
    for (name, _) in &order {
        if map.interfaces.contains_key(name) && !zoned.contains(name) {
            warnings.warn(
                l3.get(name).map_or(0, |i| i.line),
                format!("interface {name} is in no zone of vsys {vsys_name}: PAN-OS passes no traffic through it"),
            );
        }
    }

    let bases = rulebases(config, vsys, &vsys_name);
    unmodelled(vsys, device, &mut warnings);

    let dnat = nat::read(file, &bases.nat, &objects, &mut warnings)?;
    let mut compiler = Compiler::new(file, &objects, &zones, &dnat, &mut warnings);
    for r in &bases.security {
        compiler.rule(r)?;
    }
    compiler.defaults(&bases.overrides);
    let Compiler {
        mut rules, approx, ..
    } = compiler;
    approx.mark(&mut rules);

    let table = route_table(file, device, map, &order, &l3, &objects, &mut warnings);
    let mut firewall = common::firewall(map, &order, Action::Deny, true);
    firewall.rules = rules;
    firewall.routes = table;
    Ok(warnings.imported(firewall))
}

/// The XML document, or why the text is not one (binary, `set` output).
fn read_root(text: &str) -> Result<Element, ImportError> {
    if let Some(line) = text.lines().position(|l| l.contains('\0')) {
        return Err(ImportError::at_line(
            line + 1,
            "a NUL byte: this is not a text file",
        ));
    }
    let first = text.trim_start_matches('\u{feff}').trim_start();
    if first.starts_with("set ") || first.starts_with("deviceconfig") {
        return Err(ImportError::at_line(
            1,
            "this is PAN-OS `set` output: sansou reads the XML configuration (`show config running` in XML, or Device > Setup > Operations > Export named configuration snapshot)",
        ));
    }
    xml::parse(text.trim_start_matches('\u{feff}'))
}

/// `<config>`, `<devices><entry>` and its `<vsys>` entries.
type Parts<'x> = (&'x Element, &'x Element, Vec<&'x Element>);

/// The configuration's `<config>`, the firewall's `<devices><entry>` and its vsys; or why the
/// document is not a firewall's configuration (Panorama's, for one).
fn firewall_parts(root: &Element) -> Result<Parts<'_>, ImportError> {
    let config = find_config(root).ok_or_else(|| ImportError {
        line: root.line,
        column: root.col,
        message: "this does not look like a PAN-OS configuration (no `<config>` element with `<devices>`)".into(),
    })?;
    let device = config
        .entries(&["devices"])
        .into_iter()
        .next()
        .ok_or_else(|| {
            ImportError::at_line(
                config.line,
                "no `<devices><entry>`: not a firewall configuration",
            )
        })?;
    let vsys_list = device.entries(&["vsys"]);
    if vsys_list.is_empty() {
        let what = if device.child("device-group").is_some() {
            "this is a Panorama configuration: import the running configuration of each firewall (it holds the rules Panorama pushed to it)"
        } else {
            "no `<vsys>` in the device: not a firewall configuration"
        };
        return Err(ImportError::at_line(device.line, what));
    }
    Ok((config, device, vsys_list))
}

/// The vsys imported: the mapping's `vsys`, else the first (with a warning when there are
/// several).
fn pick_vsys<'x>(
    map: &Mapping,
    vsys_list: &[&'x Element],
    warnings: &mut Warnings,
) -> Result<&'x Element, ImportError> {
    Ok(match &map.vsys {
        Some(name) => *vsys_list
            .iter()
            .find(|v| v.entry_name() == name)
            .ok_or_else(|| {
                ImportError::at_line(
                    0,
                    format!(
                        "the mapping asks for vsys `{}`, which the configuration does not have (it has {})",
                        shown(name),
                        names(vsys_list)
                    ),
                )
            })?,
        None => {
            if vsys_list.len() > 1 {
                warnings.warn(
                    vsys_list[0].line,
                    format!(
                        "the configuration has {} vsys ({}): {} imported; set `vsys` in the mapping to import another (one firewall per vsys). Traffic between vsys is not modelled",
                        vsys_list.len(),
                        names(vsys_list),
                        shown(vsys_list[0].entry_name())
                    ),
                );
            }
            vsys_list[0]
        }
    })
}

/// The vsys's layer-3 interfaces with their addresses, in document order. On a device with
/// several vsys, each imports its interfaces; with one, it has them all.
fn vsys_interfaces(
    vsys: &Element,
    several: bool,
    l3: &BTreeMap<String, Layer3>,
) -> Vec<(String, Option<Ipv4Addr>)> {
    let imported_ifs: Option<BTreeSet<String>> = vsys
        .at(&["import", "network", "interface"])
        .map(Element::own_members)
        .filter(|_| several)
        .map(|ms| ms.into_iter().map(|(m, _)| m.to_string()).collect());
    let mut order: Vec<(String, Option<Ipv4Addr>)> = Vec::new();
    for info in l3.values() {
        if imported_ifs
            .as_ref()
            .is_some_and(|s| !s.contains(&info.name))
        {
            continue;
        }
        order.push((info.name.clone(), info.address));
    }
    order.sort_by_key(|(n, _)| l3.get(n).map_or(0, |i| i.line));
    order
}

/// The vsys's zones, each with its mapped member interfaces (tap and external zones left out,
/// with a warning).
fn zones(vsys: &Element, interfaces: &mut Interfaces<'_>, warnings: &mut Warnings) -> Zones {
    let mut zones = Zones::default();
    for z in vsys.entries(&["zone"]) {
        let Some(network) = z.child("network") else {
            continue;
        };
        let mut ifs = BTreeSet::new();
        for kind in &network.children {
            match kind.name.as_str() {
                "layer3" | "layer2" | "virtual-wire" | "tunnel" => {}
                "tap" => {
                    warnings.warn(
                        kind.line,
                        format!(
                            "zone {} is a tap zone: it only receives copies of traffic and forwards nothing; left out",
                            shown(z.entry_name())
                        ),
                    );
                    continue;
                }
                "external" => {
                    warnings.warn_on(
                        kind.line,
                        "external zones (traffic between vsys) not modelled",
                        format!(
                            "zone {} leads to another vsys: traffic between vsys is not modelled",
                            shown(z.entry_name())
                        ),
                    );
                    continue;
                }
                _ => continue,
            }
            for (m, line) in kind.own_members() {
                if let Some(i) = interfaces.resolve(m, line, warnings) {
                    ifs.insert(i);
                }
            }
        }
        zones
            .members
            .insert(z.entry_name().to_string(), (ifs, z.line));
    }
    zones
}

/// The rules that apply to the vsys, in PAN-OS's order.
struct Rulebases<'x> {
    security: Vec<&'x Element>,
    nat: Vec<&'x Element>,
    /// The default rules' overridden actions: name → (action, line).
    overrides: BTreeMap<String, (String, usize)>,
}

/// Rulebases: Panorama's pre-rules (shared, then the device group's), the vsys's own,
/// Panorama's post-rules (the device group's, then shared).
fn rulebases<'x>(config: &'x Element, vsys: &'x Element, vsys_name: &str) -> Rulebases<'x> {
    let panorama_vsys = config.entry(&["panorama", "vsys"], vsys_name);
    let pre_places: Vec<&Element> = [
        config.child("shared"),
        config.child("panorama"),
        panorama_vsys,
        Some(vsys),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut security: Vec<&Element> = Vec::new();
    let mut nat_rules: Vec<&Element> = Vec::new();
    let mut overrides: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for place in &pre_places {
        security.extend(place.entries(&["pre-rulebase", "security", "rules"]));
        nat_rules.extend(place.entries(&["pre-rulebase", "nat", "rules"]));
    }
    security.extend(vsys.entries(&["rulebase", "security", "rules"]));
    nat_rules.extend(vsys.entries(&["rulebase", "nat", "rules"]));
    for place in pre_places.iter().rev() {
        security.extend(place.entries(&["post-rulebase", "security", "rules"]));
        nat_rules.extend(place.entries(&["post-rulebase", "nat", "rules"]));
    }
    for base in ["rulebase", "post-rulebase"] {
        for place in &pre_places {
            for d in place.entries(&[base, "default-security-rules", "rules"]) {
                if let Some(a) = d.text_of("action") {
                    overrides.insert(d.entry_name().to_string(), (a.to_string(), d.line));
                }
            }
        }
    }
    Rulebases {
        security,
        nat: nat_rules,
        overrides,
    }
}

/// The virtual router's static routes over the mapped interfaces (`routes.rs`).
fn route_table(
    file: &str,
    device: &Element,
    map: &Mapping,
    order: &[(String, Option<Ipv4Addr>)],
    l3: &BTreeMap<String, Layer3>,
    objects: &Objects<'_>,
    warnings: &mut Warnings,
) -> Vec<crate::model::Route> {
    let mapped: BTreeSet<String> = order
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| map.interfaces.contains_key(n))
        .collect();
    let l3_by_name: BTreeMap<String, routes::L3> = l3
        .values()
        .map(|i| {
            (
                i.name.clone(),
                routes::L3 {
                    subnet: i.subnet,
                    dynamic_route: i.dynamic_route,
                },
            )
        })
        .collect();
    routes::routes(file, device, &mapped, &l3_by_name, objects, warnings)
}

/// The `<config>` element: the root, or inside an API response (`<response><result><config>`).
fn find_config(root: &Element) -> Option<&Element> {
    if root.name == "config" && root.child("devices").is_some() {
        return Some(root);
    }
    let mut all = Vec::new();
    root.find_all("config", &mut all);
    all.into_iter().find(|c| c.child("devices").is_some())
}

fn names(list: &[&Element]) -> String {
    list.iter()
        .map(|v| shown(v.entry_name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A layer-3 interface of the device (a physical or aggregate port, a subinterface, a VLAN,
/// loopback or tunnel interface).
#[derive(Clone, Debug)]
struct Layer3 {
    name: String,
    address: Option<Ipv4Addr>,
    subnet: Option<ipnet::Ipv4Net>,
    dynamic_route: bool,
    line: usize,
}

/// Every layer-3 interface, by name.
fn layer3(device: &Element, objects: &Objects<'_>) -> BTreeMap<String, Layer3> {
    let mut out = BTreeMap::new();
    let Some(root) = device.at(&["network", "interface"]) else {
        return out;
    };
    for kind in &root.children {
        for e in kind.children_named("entry") {
            // `ethernet1/1` with `layer3` (its own address) and `layer3/units`; `vlan`,
            // `loopback`, `tunnel` with the address on the entry and `units` beside it.
            let l3 = e.child("layer3");
            let body = l3.unwrap_or(e);
            if l3.is_some() || kind.name != "ethernet" && kind.name != "aggregate-ethernet" {
                add_interface(e, body, objects, &mut out);
            }
            if let Some(units) = body.child("units").or_else(|| e.child("units")) {
                for u in units.children_named("entry") {
                    add_interface(u, u, objects, &mut out);
                }
            }
        }
        // `vlan`, `loopback`, `tunnel` keep units directly under the kind.
        if let Some(units) = kind.child("units") {
            for u in units.children_named("entry") {
                add_interface(u, u, objects, &mut out);
            }
        }
    }
    out
}

fn add_interface(
    e: &Element,
    body: &Element,
    objects: &Objects<'_>,
    out: &mut BTreeMap<String, Layer3>,
) {
    let name = e.entry_name();
    if name.is_empty() {
        return;
    }
    let first = body
        .entries(&["ip"])
        .into_iter()
        .next()
        .map(|ip| ip.entry_name().to_string());
    let cidr = first.map(|t| {
        objects
            .find("address", &t)
            .and_then(|a| a.text_of("ip-netmask"))
            .map(str::to_string)
            .unwrap_or(t)
    });
    let parsed = cidr.as_deref().and_then(|c| match c.split_once('/') {
        Some(_) => c.parse::<ipnet::Ipv4Net>().ok(),
        None => c
            .parse::<Ipv4Addr>()
            .ok()
            .and_then(|a| ipnet::Ipv4Net::new(a, 32).ok()),
    });
    let dhcp = body
        .child("dhcp-client")
        .is_some_and(|d| d.text_of("create-default-route") != Some("no"));
    let pppoe = body
        .child("pppoe")
        .is_some_and(|p| p.text_of("enable") != Some("no"));
    out.insert(
        name.to_string(),
        Layer3 {
            name: name.to_string(),
            address: parsed.map(|n| n.addr()),
            subnet: parsed.map(|n| n.trunc()),
            dynamic_route: dhcp || pppoe,
            line: e.line,
        },
    );
}

/// Sections that change forwarding but are not modelled: one warning topic each.
fn unmodelled(vsys: &Element, device: &Element, warnings: &mut Warnings) {
    for (base, topic) in [
        (
            "pbf",
            "policy-based forwarding (`pbf`) not modelled: a packet may take any path the rules allow",
        ),
        (
            "application-override",
            "`application-override` rules not modelled: applications are read from their default ports",
        ),
    ] {
        for e in vsys.entries(&["rulebase", base, "rules"]) {
            warnings.warn_on(
                e.line,
                topic,
                format!("{} rule {}", base, shown(e.entry_name())),
            );
        }
    }
    for (path, topic) in [
        (
            &["network", "tunnel", "ipsec"][..],
            "IPsec tunnels not modelled (map the tunnel interface to include its traffic)",
        ),
        (
            &["network", "tunnel", "global-protect-gateway"][..],
            "GlobalProtect not modelled (map the tunnel interface to include its traffic)",
        ),
    ] {
        for e in device.entries(path) {
            warnings.warn_on(e.line, topic, format!("tunnel {}", shown(e.entry_name())));
        }
    }
}
