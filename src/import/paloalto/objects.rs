//! PAN-OS objects a security rule names: addresses (`address`, `address-group` static and
//! dynamic, literal addresses, external dynamic lists, regions), services (`service`,
//! `service-group`, the predefined `service-http` / `service-https`) and applications (their
//! default ports for `application-default`: custom `application` entries, `application-group`,
//! the predefined table of [`super::apps`]).
//!
//! Names are looked up in the imported vsys first, then in `shared` (an object of the vsys
//! hides a shared one of the same name, as on the device). Every set is read as bounds: what
//! the device surely matches (`lower`) and what it may match (`upper`), equal when the model
//! can say it exactly; `why` names what makes them differ (an FQDN, a dynamic group, an
//! unknown application), so allow rules take the upper bound, deny rules the lower one, and
//! both say what they assumed.

use super::apps;
use super::xml::Element;
use crate::import::ImportError;
use crate::import::cisco_ios::shown;
use crate::import::common::{self, normalize, normalize_services};
use crate::model::service::{PortRange, TCP, UDP};
use crate::model::{AddrRange, Service};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// SCTP, which PAN-OS service objects may name besides TCP and UDP.
const SCTP: u8 = 132;

/// What the device surely matches and what it may match.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds<T> {
    pub lower: Vec<T>,
    pub upper: Vec<T>,
    pub why: Vec<String>,
}

impl<T: Clone> Bounds<T> {
    pub fn exact(v: Vec<T>) -> Bounds<T> {
        Bounds {
            lower: v.clone(),
            upper: v,
            why: Vec::new(),
        }
    }

    /// Nothing sure, up to `upper`, because of `why`.
    pub fn unknown(upper: Vec<T>, why: String) -> Bounds<T> {
        Bounds {
            lower: Vec::new(),
            upper,
            why: vec![why],
        }
    }

    pub fn add(&mut self, other: Bounds<T>) {
        self.lower.extend(other.lower);
        self.upper.extend(other.upper);
        for w in other.why {
            if !self.why.contains(&w) {
                self.why.push(w);
            }
        }
    }
}

pub type Addrs = Bounds<AddrRange>;
pub type Svcs = Bounds<Service>;

/// The object tables of the imported vsys and of `shared`, with the mapping's `[fqdn]`.
pub struct Objects<'x> {
    /// Where names are looked up, in order: the vsys, then `shared`.
    pub scopes: Vec<&'x Element>,
    pub fqdn: &'x BTreeMap<String, Vec<AddrRange>>,
}

impl<'x> Objects<'x> {
    /// The `<entry name=NAME>` of table `table` (`address`, `service` …) in the first scope
    /// that has one.
    pub fn find(&self, table: &str, name: &str) -> Option<&'x Element> {
        self.scopes.iter().find_map(|s| s.entry(&[table], name))
    }

    // -----------------------------------------------------------------------------------------
    // Addresses
    // -----------------------------------------------------------------------------------------

    /// A source or destination member: `any`, an address object or group, an external dynamic
    /// list, a literal address, prefix or range, or a region.
    pub fn address(&self, name: &str, line: usize) -> Result<Addrs, ImportError> {
        self.address_in(name, line, &mut Vec::new())
    }

    fn address_in(
        &self,
        name: &str,
        line: usize,
        seen: &mut Vec<String>,
    ) -> Result<Addrs, ImportError> {
        if name == "any" {
            return Ok(Bounds::exact(vec![AddrRange::ALL]));
        }
        if let Some(e) = self.find("address", name) {
            return Ok(self.address_object(e));
        }
        if let Some(g) = self.find("address-group", name) {
            return self.address_group(g, seen);
        }
        if self.find("external-list", name).is_some() {
            return Ok(self.resolved(
                name,
                None,
                format!(
                    "external dynamic list `{}` (fetched at run time)",
                    shown(name)
                ),
            ));
        }
        if let Some(set) = literal(name) {
            return Ok(Bounds::exact(set));
        }
        if name.contains(':') {
            // An IPv6 literal: no IPv4 packet.
            return Ok(Bounds::exact(Vec::new()));
        }
        let _ = line;
        Ok(self.resolved(
            name,
            None,
            if name.len() == 2 && name.bytes().all(|b| b.is_ascii_uppercase()) {
                format!("region `{}` (a geolocation database)", shown(name))
            } else {
                format!(
                    "address `{}` (not defined in the configuration)",
                    shown(name)
                )
            },
        ))
    }

    /// A name the device resolves at run time: the mapping's `[fqdn]` entry (by the object's
    /// name or by the FQDN it holds) when there is one, else any address, marked.
    fn resolved(&self, name: &str, fqdn: Option<&str>, why: String) -> Addrs {
        match self
            .fqdn
            .get(name)
            .or_else(|| fqdn.and_then(|f| self.fqdn.get(f)))
        {
            Some(known) => Bounds::exact(known.clone()),
            None => Bounds::unknown(vec![AddrRange::ALL], why),
        }
    }

    fn address_object(&self, e: &Element) -> Addrs {
        let name = e.entry_name();
        if let Some(v) = e.text_of("ip-netmask") {
            return match literal(v) {
                Some(set) => Bounds::exact(set),
                None if v.contains(':') => Bounds::exact(Vec::new()),
                None => Bounds::unknown(
                    vec![AddrRange::ALL],
                    format!("address `{}` (`{}` not read)", shown(name), shown(v)),
                ),
            };
        }
        if let Some(v) = e.text_of("ip-range") {
            return match range(v) {
                Some(r) => Bounds::exact(vec![r]),
                None if v.contains(':') => Bounds::exact(Vec::new()),
                None => Bounds::unknown(
                    vec![AddrRange::ALL],
                    format!("address `{}` (range `{}` not read)", shown(name), shown(v)),
                ),
            };
        }
        if let Some(v) = e.text_of("ip-wildcard") {
            let parsed = v.split_once('/').and_then(|(a, w)| {
                Some((a.parse::<Ipv4Addr>().ok()?, w.parse::<Ipv4Addr>().ok()?))
            });
            return match parsed {
                Some((a, w)) => {
                    match crate::import::cisco_ios::wildcard_ranges(u32::from(a), u32::from(w)) {
                        Ok(set) => Bounds::exact(set),
                        Err(cover) => Bounds {
                            lower: Vec::new(),
                            upper: vec![cover],
                            why: vec![format!(
                                "address `{}` (a wildcard of more than 256 ranges, read as the range covering it)",
                                shown(name)
                            )],
                        },
                    }
                }
                None => Bounds::unknown(
                    vec![AddrRange::ALL],
                    format!(
                        "address `{}` (wildcard `{}` not read)",
                        shown(name),
                        shown(v)
                    ),
                ),
            };
        }
        if let Some(f) = e.text_of("fqdn") {
            return self.resolved(
                name,
                Some(f),
                format!("address `{}` (an FQDN, resolved at run time)", shown(name)),
            );
        }
        Bounds::unknown(
            vec![AddrRange::ALL],
            format!("address `{}` (of a kind sansou does not read)", shown(name)),
        )
    }

    fn address_group(&self, g: &Element, seen: &mut Vec<String>) -> Result<Addrs, ImportError> {
        let name = g.entry_name();
        if seen.iter().any(|s| s == name) {
            return Err(ImportError {
                line: g.line,
                column: g.col,
                message: format!(
                    "address-group `{}` contains itself (through {})",
                    shown(name),
                    seen.iter()
                        .map(|s| shown(s))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            });
        }
        if let Some(d) = g.child("dynamic") {
            let _ = d;
            return Ok(self.resolved(
                name,
                None,
                format!(
                    "dynamic address-group `{}` (members registered at run time)",
                    shown(name)
                ),
            ));
        }
        seen.push(name.to_string());
        let mut set = Bounds::exact(Vec::new());
        let members = g
            .at(&["static"])
            .map(Element::own_members)
            .unwrap_or_default();
        for (m, line) in members {
            set.add(self.address_in(m, line, seen)?);
        }
        seen.pop();
        Ok(set)
    }

    // -----------------------------------------------------------------------------------------
    // Services
    // -----------------------------------------------------------------------------------------

    /// A service member other than `application-default`: `any`, a service object or group,
    /// or a predefined service.
    pub fn service(&self, name: &str, line: usize) -> Result<Svcs, ImportError> {
        self.service_in(name, line, &mut Vec::new())
    }

    fn service_in(
        &self,
        name: &str,
        line: usize,
        seen: &mut Vec<String>,
    ) -> Result<Svcs, ImportError> {
        if name == "any" {
            return Ok(Bounds::exact(vec![Service::Any]));
        }
        if let Some(e) = self.find("service", name) {
            return self.service_object(e);
        }
        if let Some(g) = self.find("service-group", name) {
            if seen.iter().any(|s| s == name) {
                return Err(ImportError {
                    line: g.line,
                    column: g.col,
                    message: format!("service-group `{}` contains itself", shown(name)),
                });
            }
            seen.push(name.to_string());
            let mut set = Bounds::exact(Vec::new());
            // `<members><member>` since PAN-OS 6.1; `<member>` directly before.
            let members = match g.child("members") {
                Some(ms) => ms.own_members(),
                None => g.own_members(),
            };
            for (m, l) in members {
                set.add(self.service_in(m, l, seen)?);
            }
            seen.pop();
            set.lower = normalize_services(set.lower);
            set.upper = normalize_services(set.upper);
            return Ok(set);
        }
        match name {
            "service-http" => Ok(Bounds::exact(vec![
                common::ports(TCP, 80, 80),
                common::ports(TCP, 8080, 8080),
            ])),
            "service-https" => Ok(Bounds::exact(vec![common::ports(TCP, 443, 443)])),
            _ => {
                let _ = line;
                Ok(Bounds::unknown(
                    vec![Service::Any],
                    format!(
                        "service `{}` (not defined in the configuration)",
                        shown(name)
                    ),
                ))
            }
        }
    }

    fn service_object(&self, e: &Element) -> Result<Svcs, ImportError> {
        let name = e.entry_name();
        let Some(protocol) = e.child("protocol") else {
            return Ok(Bounds::unknown(
                vec![Service::Any],
                format!("service `{}` (no protocol)", shown(name)),
            ));
        };
        let mut set = Bounds::exact(Vec::new());
        for p in &protocol.children {
            let proto = match p.name.as_str() {
                "tcp" => TCP,
                "udp" => UDP,
                "sctp" => SCTP,
                other => {
                    set.add(Bounds::unknown(
                        vec![Service::Any],
                        format!("service `{}` (protocol `{}`)", shown(name), shown(other)),
                    ));
                    continue;
                }
            };
            let Some(port) = p.child("port") else {
                set.add(Bounds::exact(vec![common::protocol(proto)]));
                continue;
            };
            let ranges = port_list(&port.text).ok_or_else(|| ImportError {
                line: port.line,
                column: port.col,
                message: format!(
                    "service `{}`: `{}` is not a list of ports and ranges (80,443,8000-8080)",
                    shown(name),
                    value(&port.text)
                ),
            })?;
            let list: Vec<Service> = ranges
                .into_iter()
                .map(|ports| Service::Proto { proto, ports })
                .collect();
            if p.child("source-port").is_some_and(|s| !s.text.is_empty()) {
                set.add(Bounds {
                    lower: Vec::new(),
                    upper: list,
                    why: vec![format!("source port of service `{}`", shown(name))],
                });
            } else {
                set.add(Bounds::exact(list));
            }
        }
        set.lower = normalize_services(set.lower);
        set.upper = normalize_services(set.upper);
        Ok(set)
    }

    // -----------------------------------------------------------------------------------------
    // Applications
    // -----------------------------------------------------------------------------------------

    /// The services an application may use under `application-default`.
    pub fn app_default(&self, app: &str) -> Svcs {
        self.app_in(app, &mut Vec::new())
    }

    fn app_in(&self, app: &str, seen: &mut Vec<String>) -> Svcs {
        if app == "any" {
            return Bounds::unknown(
                vec![Service::Any],
                "application `any` on its default ports (any application's)".into(),
            );
        }
        if let Some(e) = self.find("application", app) {
            return custom_app(e);
        }
        if let Some(g) = self.find("application-group", app) {
            if seen.iter().any(|s| s == app) {
                return Bounds::exact(Vec::new());
            }
            seen.push(app.to_string());
            let mut set = Bounds::exact(Vec::new());
            let members = match g.child("members") {
                Some(ms) => ms.own_members(),
                None => g.own_members(),
            };
            for (m, _) in members {
                set.add(self.app_in(m, seen));
            }
            seen.pop();
            return set;
        }
        if self.find("application-filter", app).is_some() {
            return Bounds::unknown(
                vec![Service::Any],
                format!(
                    "application-filter `{}` (its applications' default ports)",
                    shown(app)
                ),
            );
        }
        match apps::default_services(app) {
            Some(list) => Bounds::exact(list),
            None => Bounds::unknown(
                vec![Service::Any],
                format!(
                    "application `{}` (its default ports are not in sansou's table)",
                    shown(app)
                ),
            ),
        }
    }
}

/// A custom application's `default`: `port` members (`tcp/8080,8443`, `udp/dynamic`),
/// `ident-by-ip-protocol`, `ident-by-icmp-type`.
fn custom_app(e: &Element) -> Svcs {
    let name = e.entry_name();
    let Some(default) = e.child("default") else {
        return Bounds::unknown(
            vec![Service::Any],
            format!("application `{}` (no default ports)", shown(name)),
        );
    };
    let mut set = Bounds::exact(Vec::new());
    if let Some(ports) = default.child("port") {
        for (m, _) in ports.own_members() {
            let parsed = m.split_once('/').and_then(|(p, list)| {
                let proto = match p {
                    "tcp" => TCP,
                    "udp" => UDP,
                    _ => return None,
                };
                let ranges = if list == "dynamic" {
                    vec![PortRange::ALL]
                } else {
                    port_list(list)?
                };
                Some(
                    ranges
                        .into_iter()
                        .map(|ports| Service::Proto { proto, ports })
                        .collect::<Vec<_>>(),
                )
            });
            match parsed {
                Some(list) => set.add(Bounds::exact(list)),
                None => set.add(Bounds::unknown(
                    vec![Service::Any],
                    format!(
                        "application `{}` (default port `{}` not read)",
                        shown(name),
                        shown(m)
                    ),
                )),
            }
        }
    }
    if let Some(p) = default.child("ident-by-ip-protocol") {
        match p.text.parse::<u8>() {
            Ok(n) => set.add(Bounds::exact(vec![common::protocol(n)])),
            Err(_) => set.add(Bounds::unknown(
                vec![Service::Any],
                format!("application `{}` (protocol not read)", shown(name)),
            )),
        }
    }
    if default.child("ident-by-icmp-type").is_some() {
        set.add(Bounds::exact(vec![common::protocol(
            crate::model::service::ICMP,
        )]));
    }
    if set.upper.is_empty() && set.why.is_empty() {
        return Bounds::unknown(
            vec![Service::Any],
            format!("application `{}` (no default ports)", shown(name)),
        );
    }
    set.lower = normalize_services(set.lower);
    set.upper = normalize_services(set.upper);
    set
}

/// A configuration value as messages quote it: as written when it is short and plain (port
/// lists hold commas), else `…`.
pub fn value(text: &str) -> &str {
    let plain = text.len() <= 40 && text.bytes().all(|b| b.is_ascii_graphic() && b != b'`');
    if plain { text } else { "…" }
}

/// A literal address: `10.1.0.5`, `10.1.0.0/24`, `10.1.0.1-10.1.0.9`.
pub fn literal(text: &str) -> Option<Vec<AddrRange>> {
    if let Some(r) = range(text) {
        return Some(vec![r]);
    }
    common::parse_cidr(text).map(|r| normalize(vec![r]))
}

/// `A-B`.
fn range(text: &str) -> Option<AddrRange> {
    let (a, b) = text.split_once('-')?;
    let (a, b) = (
        u32::from(a.trim().parse::<Ipv4Addr>().ok()?),
        u32::from(b.trim().parse::<Ipv4Addr>().ok()?),
    );
    (a <= b).then_some(AddrRange { first: a, last: b })
}

/// `80,443,8000-8080`: port ranges; `None` when a part is not a port or a range.
pub fn port_list(text: &str) -> Option<Vec<PortRange>> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (first, last) = (a.trim().parse::<u16>().ok()?, b.trim().parse::<u16>().ok()?);
        if last < first {
            return None;
        }
        out.push(PortRange { first, last });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_port_lists() {
        let r = |s: &str| AddrRange::parse(s).unwrap();
        assert_eq!(literal("10.1.0.5"), Some(vec![r("10.1.0.5")]));
        assert_eq!(literal("10.1.0.9/24"), Some(vec![r("10.1.0.0/24")]));
        assert_eq!(
            literal("10.1.0.1-10.1.0.9"),
            Some(vec![r("10.1.0.1-10.1.0.9")])
        );
        assert_eq!(literal("10.1.0.9-10.1.0.1"), None);
        assert_eq!(literal("web-server"), None);
        assert_eq!(
            port_list("80,443,8000-8080"),
            Some(vec![
                PortRange {
                    first: 80,
                    last: 80
                },
                PortRange {
                    first: 443,
                    last: 443
                },
                PortRange {
                    first: 8000,
                    last: 8080
                }
            ])
        );
        assert_eq!(port_list("80,"), None);
        assert_eq!(port_list("70000"), None);
    }
}
