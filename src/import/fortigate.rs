//! FortiGate (FortiOS) configuration backups → one stateful firewall.
//!
//! A backup is a tree of `config PATH` … `end` sections holding `edit NAME` … `next` entries
//! of `set KEY VALUE…` lines. It is parsed into that tree first ([`parse`]), then read the way
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

mod central_snat;
mod nat;
mod routes;

use super::common::{self, Interfaces, Match, Warnings};
use super::{ImportError, Imported, Mapping};
use crate::model::service::{ICMP, TCP, UDP};
use crate::model::{Action, AddrRange, Service};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

// ---------------------------------------------------------------------------------------------
// The configuration tree
// ---------------------------------------------------------------------------------------------

/// One statement of the configuration, with the line it starts on.
#[derive(Debug)]
enum Item {
    Set {
        key: String,
        values: Vec<String>,
        line: usize,
    },
    Edit(Block),
    Config(Section),
    /// `unset KEY`: the key back to its default, which is how an absent key is read.
    Unset {
        key: String,
        line: usize,
    },
    /// `append`, and anything else: kept so nothing is dropped silently.
    Other {
        line: usize,
        excerpt: String,
    },
}

/// `config PATH` … `end`.
#[derive(Debug)]
struct Section {
    path: String,
    line: usize,
    items: Vec<Item>,
}

/// `edit NAME` … `next`.
#[derive(Debug)]
struct Block {
    name: String,
    line: usize,
    items: Vec<Item>,
}

impl Section {
    fn edits(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|i| match i {
            Item::Edit(b) => Some(b),
            _ => None,
        })
    }
}

impl Block {
    /// The values of `set KEY …` (the last one wins, as on the device; a later `unset KEY`
    /// takes it back to the default, which reads as absent).
    fn get(&self, key: &str) -> Option<&[String]> {
        self.items.iter().rev().find_map(|i| match i {
            Item::Set { key: k, values, .. } if k == key => Some(Some(values.as_slice())),
            Item::Unset { key: k, .. } if k == key => Some(None),
            _ => None,
        })?
    }

    fn get1(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.first()).map(String::as_str)
    }

    fn line_of(&self, key: &str) -> usize {
        self.items
            .iter()
            .rev()
            .find_map(|i| match i {
                Item::Set { key: k, line, .. } if k == key => Some(*line),
                _ => None,
            })
            .unwrap_or(self.line)
    }

    fn enabled(&self, key: &str) -> bool {
        self.get1(key) == Some("enable")
    }
}

/// Splits the text into statements: words, with FortiOS quoting (`"…"` with backslash escapes,
/// possibly across lines, as certificates are), each with the line it starts on. Lines starting
/// with `#` are comments (the `#config-version=` header).
fn statements(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<(char, usize)> = None;
    let mut line = 1;
    let mut start = 1;
    let mut comment = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some((q, _)) = quote {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        if n == '\n' {
                            line += 1;
                        }
                        word.push(n);
                    }
                }
                _ if c == q => quote = None,
                '\n' => {
                    line += 1;
                    word.push(c);
                }
                _ => word.push(c),
            }
            continue;
        }
        match c {
            '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                if !words.is_empty() {
                    out.push((start, std::mem::take(&mut words)));
                }
                comment = false;
                line += 1;
            }
            _ if comment => {}
            '#' if !in_word && words.is_empty() => comment = true,
            '"' | '\'' => {
                if words.is_empty() && !in_word {
                    start = line;
                }
                quote = Some((c, line));
                in_word = true;
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                if words.is_empty() && !in_word {
                    start = line;
                }
                word.push(c);
                in_word = true;
            }
        }
    }
    if let Some((_, opened)) = quote {
        return Err(ImportError::at_line(
            opened,
            "a quoted value is never closed (missing `\"`)",
        ));
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        out.push((start, words));
    }
    Ok(out)
}

/// Builds the `config`/`edit` tree. Unbalanced `end`/`next` are errors: the file is not a
/// backup this importer can trust.
fn parse(text: &str) -> Result<Vec<Item>, ImportError> {
    enum Open {
        Section(Section),
        Block(Block),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut top: Vec<Item> = Vec::new();
    fn push(stack: &mut [Open], top: &mut Vec<Item>, item: Item) {
        match stack.last_mut() {
            Some(Open::Section(s)) => s.items.push(item),
            Some(Open::Block(b)) => b.items.push(item),
            None => top.push(item),
        }
    }
    for (line, words) in statements(text)? {
        let verb = words[0].as_str();
        match verb {
            "config" => {
                if words.len() < 2 {
                    return Err(ImportError::at_line(
                        line,
                        "`config` without a section name",
                    ));
                }
                stack.push(Open::Section(Section {
                    path: words[1..].join(" "),
                    line,
                    items: Vec::new(),
                }));
            }
            "edit" => {
                if !matches!(stack.last(), Some(Open::Section(_))) {
                    return Err(ImportError::at_line(
                        line,
                        "`edit` outside a `config` section",
                    ));
                }
                stack.push(Open::Block(Block {
                    name: words.get(1).cloned().unwrap_or_default(),
                    line,
                    items: Vec::new(),
                }));
            }
            "next" => match stack.pop() {
                Some(Open::Block(b)) => push(&mut stack, &mut top, Item::Edit(b)),
                _ => {
                    return Err(ImportError::at_line(
                        line,
                        "`next` without a matching `edit`",
                    ));
                }
            },
            "end" => {
                // FortiOS closes an open `edit` at `end` too; accept that.
                if let Some(Open::Block(_)) = stack.last()
                    && let Some(Open::Block(b)) = stack.pop()
                {
                    push(&mut stack, &mut top, Item::Edit(b));
                }
                match stack.pop() {
                    Some(Open::Section(s)) => push(&mut stack, &mut top, Item::Config(s)),
                    _ => {
                        return Err(ImportError::at_line(
                            line,
                            "`end` without a matching `config`",
                        ));
                    }
                }
            }
            "set" if words.len() >= 2 => push(
                &mut stack,
                &mut top,
                Item::Set {
                    key: words[1].clone(),
                    values: words[2..].to_vec(),
                    line,
                },
            ),
            "unset" if words.len() == 2 => push(
                &mut stack,
                &mut top,
                Item::Unset {
                    key: words[1].clone(),
                    line,
                },
            ),
            _ => {
                let excerpt = common::excerpt(&words.join(" "));
                push(&mut stack, &mut top, Item::Other { line, excerpt });
            }
        }
    }
    match stack.first() {
        Some(Open::Section(s)) => Err(ImportError::at_line(
            s.line,
            format!("`config {}` is never closed by `end`", s.path),
        )),
        Some(Open::Block(b)) => Err(ImportError::at_line(
            b.line,
            "`edit` is never closed by `next`",
        )),
        None => Ok(top),
    }
}

// ---------------------------------------------------------------------------------------------
// Scope: VDOMs
// ---------------------------------------------------------------------------------------------

/// The sections that apply to the imported VDOM: global ones and the VDOM's own.
struct Scope<'a> {
    sections: Vec<&'a Section>,
    /// `Some(name)` in a multi-VDOM configuration.
    vdom: Option<String>,
}

impl<'a> Scope<'a> {
    fn all(&self, path: &str) -> impl Iterator<Item = &'a Section> + '_ {
        let path = path.to_string();
        self.sections
            .iter()
            .copied()
            .filter(move |s| s.path == path)
    }

    fn edits(&self, path: &str) -> Vec<&'a Block> {
        self.all(path).flat_map(Section::edits).collect()
    }

    /// The value of `set KEY` directly in a section without entries (`config system global`).
    fn setting(&self, path: &str, key: &str) -> Option<String> {
        self.all(path).find_map(|s| {
            s.items.iter().rev().find_map(|i| match i {
                Item::Set { key: k, values, .. } if k == key => values.first().cloned(),
                _ => None,
            })
        })
    }
}

fn scope<'a>(
    items: &'a [Item],
    map: &Mapping,
    warnings: &mut Warnings,
) -> Result<Scope<'a>, ImportError> {
    let mut global: Vec<&Section> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut per_vdom: BTreeMap<&str, Vec<&Section>> = BTreeMap::new();
    let mut multi = false;
    for item in items {
        match item {
            Item::Config(s) if s.path == "vdom" => {
                multi = true;
                for b in s.edits() {
                    if !names.contains(&b.name) {
                        names.push(b.name.clone());
                    }
                    let own = per_vdom.entry(b.name.as_str()).or_default();
                    own.extend(b.items.iter().filter_map(|i| match i {
                        Item::Config(c) => Some(c),
                        _ => None,
                    }));
                }
            }
            Item::Config(s) if s.path == "global" => {
                global.extend(s.items.iter().filter_map(|i| match i {
                    Item::Config(c) => Some(c),
                    _ => None,
                }));
            }
            Item::Config(s) => global.push(s),
            Item::Set { line, .. } | Item::Unset { line, .. } | Item::Other { line, .. } => {
                warnings.warn(
                    *line,
                    "statement outside any `config` section ignored".to_string(),
                )
            }
            Item::Edit(b) => warnings.warn(b.line, "`edit` outside any `config` section ignored"),
        }
    }
    if !multi {
        if let Some(v) = &map.vdom
            && v != "root"
        {
            return Err(ImportError::at_line(
                0,
                format!(
                    "the mapping asks for VDOM `{v}`, but the configuration has no VDOMs (everything is in `root`)"
                ),
            ));
        }
        return Ok(Scope {
            sections: global,
            vdom: None,
        });
    }
    let chosen = match &map.vdom {
        Some(v) if names.contains(v) => v.clone(),
        Some(v) => {
            return Err(ImportError::at_line(
                0,
                format!(
                    "the mapping asks for VDOM `{v}`, which the configuration does not have (it has: {})",
                    names.join(", ")
                ),
            ));
        }
        None => {
            let Some(first) = names.first() else {
                return Err(ImportError::at_line(0, "`config vdom` declares no VDOM"));
            };
            if names.len() > 1 {
                warnings.warn(
                    0,
                    format!(
                        "the configuration has {} VDOMs ({}); imported `{first}` only: set `vdom` in the mapping to import another",
                        names.len(),
                        names.join(", ")
                    ),
                );
            }
            first.clone()
        }
    };
    let mut sections = global;
    sections.extend(per_vdom.remove(chosen.as_str()).unwrap_or_default());
    Ok(Scope {
        sections,
        vdom: Some(chosen),
    })
}

// ---------------------------------------------------------------------------------------------
// Objects: addresses and services, each as a lower and an upper bound
// ---------------------------------------------------------------------------------------------

/// A set the model may not express exactly: `lower` ⊆ what the device matches ⊆ `upper`.
/// Allow rules use `upper` (they can only add reachability), deny rules `lower`; `why` says
/// what makes them differ (empty when they are equal).
#[derive(Clone, Debug, PartialEq)]
struct Bounds<T> {
    lower: Vec<T>,
    upper: Vec<T>,
    why: Vec<String>,
}

impl<T: Clone> Bounds<T> {
    fn exact(v: Vec<T>) -> Bounds<T> {
        Bounds {
            lower: v.clone(),
            upper: v,
            why: Vec::new(),
        }
    }
}

type AddrBounds = Bounds<AddrRange>;
type SvcBounds = Bounds<Service>;

fn exact_addrs(v: Vec<AddrRange>) -> AddrBounds {
    Bounds::exact(common::normalize(v))
}

/// Any address for allow policies, none for deny policies, because of `why`.
fn unknown_addrs(why: String) -> AddrBounds {
    Bounds {
        lower: Vec::new(),
        upper: vec![AddrRange::ALL],
        why: vec![why],
    }
}

fn merge_why(a: &mut Vec<String>, b: impl IntoIterator<Item = String>) {
    for w in b {
        if !a.contains(&w) {
            a.push(w);
        }
    }
}

fn union_addrs(parts: impl IntoIterator<Item = AddrBounds>) -> AddrBounds {
    let (mut lower, mut upper, mut why) = (Vec::new(), Vec::new(), Vec::new());
    for p in parts {
        lower.extend(p.lower);
        upper.extend(p.upper);
        merge_why(&mut why, p.why);
    }
    Bounds {
        lower: common::normalize(lower),
        upper: common::normalize(upper),
        why,
    }
}

fn not_addrs(b: &AddrBounds) -> AddrBounds {
    Bounds {
        lower: common::complement(&b.upper),
        upper: common::complement(&b.lower),
        why: b.why.clone(),
    }
}

fn union_services(parts: impl IntoIterator<Item = SvcBounds>) -> SvcBounds {
    let (mut lower, mut upper, mut why) = (Vec::new(), Vec::new(), Vec::new());
    for p in parts {
        lower.extend(p.lower);
        upper.extend(p.upper);
        merge_why(&mut why, p.why);
    }
    Bounds {
        lower: common::normalize_services(lower),
        upper: common::normalize_services(upper),
        why,
    }
}

/// Named objects with the line they are defined on, resolved on demand with cycle detection.
struct Objects<'a> {
    addresses: BTreeMap<&'a str, &'a Block>,
    addr_groups: BTreeMap<&'a str, &'a Block>,
    vips: BTreeMap<&'a str, &'a Block>,
    vip_groups: BTreeMap<&'a str, &'a Block>,
    services: BTreeMap<&'a str, &'a Block>,
    service_groups: BTreeMap<&'a str, &'a Block>,
    /// Each object's bounds once resolved, so a warning about an object is given once.
    addr_done: BTreeMap<String, AddrBounds>,
    svc_done: BTreeMap<String, SvcBounds>,
    /// The mapping's `[fqdn]`: addresses of names the device resolves at run time.
    fqdn: &'a BTreeMap<String, Vec<AddrRange>>,
}

fn by_name(blocks: Vec<&Block>) -> BTreeMap<&str, &Block> {
    // Later definitions win, as a later `edit` of the same name edits the same object.
    blocks.into_iter().map(|b| (b.name.as_str(), b)).collect()
}

fn parse_ip(text: &str) -> Option<Ipv4Addr> {
    text.parse().ok()
}

/// `A.B.C.D M.M.M.M` or `A.B.C.D/LEN` (as FortiOS accepts both).
fn subnet(values: &[String]) -> Option<AddrRange> {
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
fn ip_or_range(text: &str) -> Option<AddrRange> {
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (u32::from(parse_ip(a)?), u32::from(parse_ip(b)?));
            (a <= b).then_some(AddrRange { first: a, last: b })
        }
        None => common::parse_cidr(text),
    }
}

impl<'a> Objects<'a> {
    fn new(scope: &Scope<'a>, fqdn: &'a BTreeMap<String, Vec<AddrRange>>) -> Objects<'a> {
        Objects {
            fqdn,
            addresses: by_name(scope.edits("firewall address")),
            addr_groups: by_name(scope.edits("firewall addrgrp")),
            vips: by_name(scope.edits("firewall vip")),
            vip_groups: by_name(scope.edits("firewall vipgrp")),
            services: by_name(scope.edits("firewall service custom")),
            service_groups: by_name(scope.edits("firewall service group")),
            addr_done: BTreeMap::new(),
            svc_done: BTreeMap::new(),
        }
    }

    /// The addresses a policy names (`srcaddr`/`dstaddr`), their union.
    fn addresses(
        &mut self,
        names: &[String],
        line: usize,
        w: &mut Warnings,
    ) -> Result<AddrBounds, ImportError> {
        let mut parts = Vec::new();
        for n in names {
            parts.push(self.address(n, line, &mut Vec::new(), w)?);
        }
        Ok(union_addrs(parts))
    }

    fn address(
        &mut self,
        name: &str,
        used_at: usize,
        path: &mut Vec<String>,
        w: &mut Warnings,
    ) -> Result<AddrBounds, ImportError> {
        if let Some(done) = self.addr_done.get(name) {
            return Ok(done.clone());
        }
        if path.iter().any(|p| p == name) {
            let line = self.addr_groups.get(name).map_or(used_at, |b| b.line);
            return Err(ImportError::at_line(
                line,
                format!(
                    "address group `{name}` contains itself ({} → {name})",
                    path.join(" → ")
                ),
            ));
        }
        let bounds = if let Some(b) = self.addresses.get(name).copied() {
            address_object(b, self.fqdn, w)
        } else if let Some(g) = self
            .addr_groups
            .get(name)
            .or_else(|| self.vip_groups.get(name))
            .copied()
        {
            path.push(name.to_string());
            let mut parts = Vec::new();
            for m in g.get("member").unwrap_or_default() {
                parts.push(self.address(m, g.line_of("member"), path, w)?);
            }
            let mut set = union_addrs(parts);
            if g.enabled("exclude") {
                let mut excluded = Vec::new();
                for m in g.get("exclude-member").unwrap_or_default() {
                    excluded.push(self.address(m, g.line_of("exclude-member"), path, w)?);
                }
                let not = not_addrs(&union_addrs(excluded));
                let mut why = set.why;
                merge_why(&mut why, not.why);
                set = Bounds {
                    lower: common::intersect(&set.lower, &not.lower),
                    upper: common::intersect(&set.upper, &not.upper),
                    why,
                };
            }
            path.pop();
            set
        } else if let Some(v) = self.vips.get(name).copied() {
            vip_object(v, w)
        } else if name == "all" {
            // Predefined in every FortiOS configuration; backups usually define it anyway.
            exact_addrs(vec![AddrRange::ALL])
        } else if name == "none" {
            exact_addrs(Vec::new())
        } else if let Some(known) = self.fqdn.get(name) {
            // Not defined here, but the mapping's `[fqdn]` says what it is.
            exact_addrs(known.clone())
        } else {
            w.warn_on(
                used_at,
                "address objects sansou cannot resolve (any address for allow, none for deny)",
                format!(
                    "address `{name}` is not defined in the configuration: read as any address for allow policies, as none for deny policies"
                ),
            );
            unknown_addrs(format!("the undefined address `{name}`"))
        };
        self.addr_done.insert(name.to_string(), bounds.clone());
        Ok(bounds)
    }

    fn services(
        &mut self,
        names: &[String],
        line: usize,
        w: &mut Warnings,
    ) -> Result<SvcBounds, ImportError> {
        let mut parts = Vec::new();
        for n in names {
            parts.push(self.service(n, line, &mut Vec::new(), w)?);
        }
        Ok(union_services(parts))
    }

    fn service(
        &mut self,
        name: &str,
        used_at: usize,
        path: &mut Vec<String>,
        w: &mut Warnings,
    ) -> Result<SvcBounds, ImportError> {
        if let Some(done) = self.svc_done.get(name) {
            return Ok(done.clone());
        }
        if path.iter().any(|p| p == name) {
            let line = self.service_groups.get(name).map_or(used_at, |b| b.line);
            return Err(ImportError::at_line(
                line,
                format!(
                    "service group `{name}` contains itself ({} → {name})",
                    path.join(" → ")
                ),
            ));
        }
        let bounds = if let Some(b) = self.services.get(name).copied() {
            service_object(b, w)
        } else if let Some(g) = self.service_groups.get(name).copied() {
            path.push(name.to_string());
            let mut parts = Vec::new();
            for m in g.get("member").unwrap_or_default() {
                parts.push(self.service(m, g.line_of("member"), path, w)?);
            }
            path.pop();
            union_services(parts)
        } else if let Some(list) = predefined_service(name) {
            Bounds::exact(list)
        } else if let Some(members) = predefined_group(name) {
            path.push(name.to_string());
            let mut parts = Vec::new();
            for m in members {
                parts.push(self.service(m, used_at, path, w)?);
            }
            path.pop();
            union_services(parts)
        } else {
            w.warn(
                used_at,
                format!(
                    "service `{name}` is neither defined in the configuration nor a predefined FortiOS service: read as every service for allow policies, as none for deny policies"
                ),
            );
            Bounds {
                lower: Vec::new(),
                upper: vec![Service::Any],
                why: vec![format!("the undefined service `{name}`")],
            }
        };
        self.svc_done.insert(name.to_string(), bounds.clone());
        Ok(bounds)
    }
}

/// Keys of `config firewall address` entries that do not change which addresses match.
const ADDRESS_IGNORED: &[&str] = &[
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

fn address_object(
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

fn vip_object(b: &Block, w: &mut Warnings) -> AddrBounds {
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

/// Keys of `config firewall service custom` entries that do not change what matches.
const SERVICE_IGNORED: &[&str] = &[
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
fn port_range(text: &str) -> Option<(u16, u16, bool)> {
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

fn service_object(b: &Block, w: &mut Warnings) -> SvcBounds {
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
fn predefined_service(name: &str) -> Option<Vec<Service>> {
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
fn predefined_group(name: &str) -> Option<&'static [&'static str]> {
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

// ---------------------------------------------------------------------------------------------
// Sections this importer reads, and the ones it reports
// ---------------------------------------------------------------------------------------------

/// Sections read (fully or for what matters to forwarding).
const READ: &[&str] = &[
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
fn not_modelled(path: &str) -> Option<&'static str> {
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

/// Keys of policies that do not change which packets a policy matches or what it does to them
/// in the model.
const POLICY_IGNORED: &[&str] = &[
    "uuid",
    "name",
    "comments",
    "global-label",
    "label",
    "logtraffic-start",
    "utm-status",
    "inspection-mode",
    "ssl-ssh-profile",
    "av-profile",
    "webfilter-profile",
    "dnsfilter-profile",
    "ips-sensor",
    "application-list",
    "profile-protocol-options",
    "file-filter-profile",
    "emailfilter-profile",
    "dlp-sensor",
    "dlp-profile",
    "waf-profile",
    "voip-profile",
    "icap-profile",
    "videofilter-profile",
    "sctp-filter-profile",
    "ssh-filter-profile",
    "casb-profile",
    "profile-type",
    "profile-group",
    "auto-asic-offload",
    "poolname",
    "ippool",
    "fixedport",
    "permit-any-host",
    "timeout-send-rst",
    "send-deny-packet",
    "captive-portal-exempt",
    "block-notification",
    "traffic-shaper",
    "traffic-shaper-reverse",
    "per-ip-shaper",
    "capture-packet",
    "match-vip",
    "match-vip-only",
    "tcp-session-without-syn",
    "anti-replay",
    "diffserv-forward",
    "diffserv-reverse",
    "tos-mask",
    "np-acceleration",
    "srcaddr6",
    "dstaddr6",
    "vpntunnel",
    "inbound",
    "outbound",
    "natinbound",
    "natoutbound",
    "nat-ip",
    "session-ttl",
    "delay-tcp-npu-session",
    "geoip-anycast",
    "geoip-match",
    "dynamic-shaping",
    "policy-expiry",
    "policy-expiry-date",
    "schedule-timeout",
    "disclaimer",
    "email-collect",
    "ntlm",
    "wccp",
    "webcache",
    "webproxy-profile",
    "rtp-nat",
    "decrypted-traffic-mirror",
    "identity-based-route",
];

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    // Backups edited on Windows may start with a byte-order mark; it is not part of the syntax.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
    let mut w = Warnings::default();
    let scope = scope(&tree, map, &mut w)?;
    let mut ifs = Interfaces::new(map);

    // Interfaces of the imported VDOM, with their addresses.
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

    // Zones: name → member interfaces, and intrazone allow rules.
    let mut zones: BTreeMap<&str, (&Block, Vec<String>)> = BTreeMap::new();
    for b in scope.edits("system zone") {
        let members = b.get("interface").unwrap_or_default().to_vec();
        zones.insert(b.name.as_str(), (b, members));
    }
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
    let mut policies = 0;
    let mut approximations = common::Approximations::default();
    let mut nat = nat::FortiNat::vips(file, &scope.edits("firewall vip"), &mut ifs, &mut w);
    let pools = by_name(scope.edits("firewall ippool"));
    // Central NAT: on by `set central-nat enable`, and always in policy-based NGFW mode.
    let central_nat = scope.setting("system settings", "central-nat") == Some("enable".into())
        || scope.setting("system settings", "ngfw-mode") == Some("policy-based".into());
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
            let read = policy(file, p, &mut objects, &zones, &mut ifs, &mut w)?;
            if !central_nat {
                nat.policy(file, p, &read, &pools, &fw.interfaces, &mut w);
            }
            let (rule, dropped) = read;
            if let Some((upper, note)) = dropped {
                approximations.dropped(fw.rules.len(), upper, note);
            }
            fw.rules.extend(rule);
        }
    }
    if policies == 0 {
        w.warn(
            0,
            "no `config firewall policy` entries: everything is denied by the implicit deny",
        );
    }

    // Intrazone traffic: FortiOS lets it through without a policy when the zone says
    // `set intrazone allow`; read as an allow after the policies (which are matched first).
    for (name, (b, members)) in &zones {
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

/// Warns about every top-level section not read: one warning each for those that change what
/// is forwarded, and one summary for the rest (administration, logging, security profiles).
/// Warns about the lines of object sections that the readers above skip: `unset`, `append`,
/// nested sections, and statements between entries. (Unknown `set` keys are warned by the
/// object readers themselves, which know which keys matter.)
fn report_object_lines(scope: &Scope<'_>, w: &mut Warnings) {
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

fn report_sections(scope: &Scope<'_>, w: &mut Warnings) {
    let mut others: Vec<(usize, &str)> = Vec::new();
    for s in &scope.sections {
        // Backups list many sections with nothing in them: they configure nothing.
        if READ.contains(&s.path.as_str()) || s.path == "system global" || s.items.is_empty() {
            continue;
        }
        match not_modelled(&s.path) {
            Some(why) => w.warn(s.line, format!("`config {}` not imported: {why}", s.path)),
            None => others.push((s.line, s.path.as_str())),
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

/// The mapped interfaces named by `srcintf`/`dstintf` (zones expanded); `None` for `any`.
/// `Err(())` when every named interface is unmapped (the policy cannot match modelled
/// traffic).
fn policy_interfaces(
    names: &[String],
    line: usize,
    zones: &BTreeMap<&str, (&Block, Vec<String>)>,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Option<BTreeSet<String>> {
    if names.is_empty() || names.iter().any(|n| n == "any") {
        return None;
    }
    let mut out = BTreeSet::new();
    for n in names {
        let members: Vec<String> = match zones.get(n.as_str()) {
            Some((_, m)) => m.clone(),
            None => vec![n.clone()],
        };
        for m in members {
            if let Some(i) = ifs.resolve(&m, line, w) {
                out.insert(i);
            }
        }
    }
    Some(out)
}

/// A policy as read: its rule (if anything of it is sure), and what a deny may match beyond
/// that (for the allows after it).
type Policy = (Option<crate::model::Rule>, Option<(Match, String)>);

fn policy(
    file: &str,
    p: &Block,
    objects: &mut Objects<'_>,
    zones: &BTreeMap<&str, (&Block, Vec<String>)>,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Result<Policy, ImportError> {
    let id = &p.name;
    if p.get1("status") == Some("disable") {
        w.warn(
            p.line_of("status"),
            format!("policy {id} is disabled (`set status disable`): skipped"),
        );
        return Ok((None, None));
    }
    let action = match p.get1("action") {
        Some("accept") => Action::Allow,
        Some("deny") | None => Action::Deny,
        Some("ipsec") => {
            w.warn(
                p.line_of("action"),
                format!("policy {id}: `set action ipsec` read as accept (the VPN tunnel itself is not modelled)"),
            );
            Action::Allow
        }
        Some(other) => {
            w.warn(
                p.line_of("action"),
                format!("policy {id}: unknown action `{other}`; the policy is skipped"),
            );
            return Ok((None, None));
        }
    };
    let allow = action == Action::Allow;
    for item in &p.items {
        match item {
            Item::Set { key, line, .. } => match key.as_str() {
                "srcintf"
                | "dstintf"
                | "srcaddr"
                | "dstaddr"
                | "srcaddr-negate"
                | "dstaddr-negate"
                | "service"
                | "service-negate"
                | "action"
                | "status"
                | "schedule"
                | "logtraffic"
                | "nat"
                | "groups"
                | "users"
                | "fsso-groups"
                | "internet-service"
                | "internet-service-src"
                | "internet-service-name"
                | "internet-service-id"
                | "internet-service-group"
                | "internet-service-custom"
                | "internet-service-src-name"
                | "internet-service-src-id"
                | "internet-service-src-group" => {}
                k if POLICY_IGNORED.contains(&k) => {}
                k => w.warn(*line, format!("policy {id}: `set {k}` is not read")),
            },
            Item::Config(c) => w.warn(
                c.line,
                format!("policy {id}: `config {}` is not read", c.path),
            ),
            Item::Other { line, excerpt } => {
                w.warn(*line, format!("policy {id}: `{excerpt}` is not read"))
            }
            // Back to the default, which is how an absent key is read.
            Item::Unset { .. } => {}
            Item::Edit(b) => w.warn(b.line, format!("policy {id}: nested `edit` ignored")),
        }
    }
    // Conditions beyond addresses and services: an allow is read without them, a deny is
    // left out (it may not apply when a packet comes).
    let mut conditions: Vec<String> = Vec::new();
    if let Some(s) = p.get1("schedule")
        && s != "always"
    {
        w.warn_on(
            p.line_of("schedule"),
            "schedules not modelled (allow policies always active, deny policies left out)",
            format!(
                "policy {id}: schedule `{s}` is not modelled; {}",
                if allow {
                    "the policy is read as always active"
                } else {
                    "the deny is left out (it may not be active)"
                }
            ),
        );
        conditions.push(format!("schedule `{s}`"));
    }
    for key in ["groups", "users", "fsso-groups"] {
        if p.get(key).is_some() {
            w.warn_on(
                p.line_of(key),
                "user authentication not modelled (allow policies apply to every user, deny policies left out)",
                format!(
                    "policy {id}: `set {key}` (user authentication) is not modelled; {}",
                    if allow {
                        "the policy is read as applying to every user"
                    } else {
                        "the deny is left out"
                    }
                ),
            );
            conditions.push(format!("`set {key}` (user authentication)"));
        }
    }

    let src_names = p.get("srcaddr").unwrap_or_default();
    let dst_names = p.get("dstaddr").unwrap_or_default();
    let mut src = objects.addresses(src_names, p.line_of("srcaddr"), w)?;
    let mut dst = objects.addresses(dst_names, p.line_of("dstaddr"), w)?;
    for (key, side, set) in [
        ("internet-service-src", "source", &mut src),
        ("internet-service", "destination", &mut dst),
    ] {
        if p.enabled(key) {
            w.warn(
                p.line_of(key),
                format!(
                    "policy {id}: the {side} is an Internet Service Database entry, which is not modelled: read as any address for allow policies, as none for deny policies"
                ),
            );
            *set = union_addrs([
                set.clone(),
                unknown_addrs(format!(
                    "the Internet Service Database {side} (`set {key}`)"
                )),
            ]);
        }
    }
    if src_names.is_empty() && !p.enabled("internet-service-src") {
        w.warn(
            p.line,
            format!("policy {id} has no IPv4 source address (`srcaddr`): it matches no IPv4 traffic and is skipped"),
        );
        return Ok((None, None));
    }
    if dst_names.is_empty() && !p.enabled("internet-service") {
        w.warn(
            p.line,
            format!("policy {id} has no IPv4 destination address (`dstaddr`): it matches no IPv4 traffic and is skipped"),
        );
        return Ok((None, None));
    }
    if p.enabled("srcaddr-negate") {
        src = not_addrs(&src);
    }
    if p.enabled("dstaddr-negate") {
        dst = not_addrs(&dst);
    }
    let svc_names = p.get("service").unwrap_or_default();
    let mut svc = if svc_names.is_empty() {
        if p.enabled("internet-service") {
            Bounds::exact(vec![Service::Any])
        } else {
            w.warn(
                p.line,
                format!("policy {id} names no service: it matches nothing and is skipped"),
            );
            return Ok((None, None));
        }
    } else {
        objects.services(svc_names, p.line_of("service"), w)?
    };
    if p.enabled("service-negate") {
        svc = Bounds {
            lower: common::complement_services(&svc.upper),
            upper: common::complement_services(&svc.lower),
            why: svc.why,
        };
    }

    let in_if = policy_interfaces(
        p.get("srcintf").unwrap_or_default(),
        p.line_of("srcintf"),
        zones,
        ifs,
        w,
    );
    let out_if = policy_interfaces(
        p.get("dstintf").unwrap_or_default(),
        p.line_of("dstintf"),
        zones,
        ifs,
        w,
    );
    if in_if.as_ref().is_some_and(BTreeSet::is_empty)
        || out_if.as_ref().is_some_and(BTreeSet::is_empty)
    {
        w.warn(
            p.line,
            format!("policy {id} uses only interfaces the mapping does not place: left out"),
        );
        return Ok((None, None));
    }

    // Why the policy may match other packets on the device than read here.
    let mut why = conditions.clone();
    for part in [&src.why, &dst.why, &svc.why] {
        merge_why(&mut why, part.iter().cloned());
    }
    let origin = common::origin(file, p.line);
    let upper = Match {
        src: Some(src.upper.clone()),
        dst: Some(dst.upper.clone()),
        services: Some(svc.upper.clone()),
        in_if: in_if.clone(),
        out_if: out_if.clone(),
    };
    // A deny that rests on more than packet fields flows lack: the allows after it that
    // overlap what it may match assume it does not.
    let assumed: Vec<&str> = why
        .iter()
        .map(String::as_str)
        .filter(|w| !common::is_packet_field(w))
        .collect();
    let dropped = (!allow && !assumed.is_empty())
        .then(|| (upper, common::dropped(&origin, &assumed.join(", "))));
    if !allow && !conditions.is_empty() {
        // Users and schedules: the deny may not apply to a packet; nothing of it is sure.
        return Ok((None, dropped));
    }
    let pick = |b: Bounds<AddrRange>| if allow { b.upper } else { b.lower };
    let services = if allow { svc.upper } else { svc.lower };
    let m = Match {
        src: Some(pick(src)),
        dst: Some(pick(dst)),
        services: Some(services),
        in_if,
        out_if,
    };
    let reason = match p.get1("name").or_else(|| p.get1("comments")) {
        Some(n) if !n.is_empty() => format!("policy {id}: {n}"),
        _ => format!("policy {id}"),
    };
    let rule = m.to_rule(action, origin.clone(), Some(reason));
    match rule {
        Some(mut r) => {
            r.log = p.get1("logtraffic") == Some("all");
            // The policy id is FortiOS's own identity of the policy (names are optional and
            // editable): `policy-12`.
            common::set_rule_id(&mut r, &format!("policy-{id}"));
            if allow && !why.is_empty() {
                r.approximation = Some(common::widened(&origin, &why.join(", ")));
            }
            Ok((Some(r), dropped))
        }
        None => {
            w.warn(
                p.line,
                format!(
                    "policy {id} matches no IPv4 packet (its addresses, services or interfaces come out empty{}): left out",
                    if allow {
                        ""
                    } else {
                        ", keeping only what a deny surely matches"
                    }
                ),
            );
            Ok((None, dropped))
        }
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn skipped_object_lines_are_warned() {
        let map = Mapping::new("fw", []);
        let text = "config firewall addrgrp\n    edit \"g\"\n        set member \"all\"\n        append member \"x\"\n        config tagging\n        end\n        config unknown-sub\n        end\n    next\nend\n";
        let imported = import("f.conf", text, &map).unwrap();
        let at = |line: usize, words: &str| {
            imported
                .warnings
                .iter()
                .any(|w| w.line == line && w.message.contains(words))
        };
        assert!(
            at(4, "address group `g`: `append member"),
            "{:?}",
            imported.warnings
        );
        assert!(at(7, "`config unknown-sub` is not read"));
        assert!(!imported.warnings.iter().any(|w| w.line == 5));
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
