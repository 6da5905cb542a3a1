//! Objects as lower and upper bounds (`Bounds`: what an object surely matches, what it may
//! match, and the reasons they differ), and `Objects`, the address and service objects and
//! groups of the scope, resolved by name on first use (nested groups, `exclude-member`).

use super::ImportError;
use super::addresses::{address_object, vip_object};
use super::common::{self, Warnings};
use super::scope::Scope;
use super::services::{predefined_group, predefined_service, service_object};
use super::tree::Block;
use crate::model::{AddrRange, Service};
use std::collections::BTreeMap;

/// A set the model may not express exactly: `lower` ⊆ what the device matches ⊆ `upper`.
/// Allow rules use `upper` (they can only add reachability), deny rules `lower`; `why` says
/// what makes them differ (empty when they are equal).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Bounds<T> {
    pub(super) lower: Vec<T>,
    pub(super) upper: Vec<T>,
    pub(super) why: Vec<String>,
}

impl<T: Clone> Bounds<T> {
    pub(super) fn exact(v: Vec<T>) -> Bounds<T> {
        Bounds {
            lower: v.clone(),
            upper: v,
            why: Vec::new(),
        }
    }
}

pub(super) type AddrBounds = Bounds<AddrRange>;
pub(super) type SvcBounds = Bounds<Service>;

pub(super) fn exact_addrs(v: Vec<AddrRange>) -> AddrBounds {
    Bounds::exact(common::normalize(v))
}

/// Any address for allow policies, none for deny policies, because of `why`.
pub(super) fn unknown_addrs(why: String) -> AddrBounds {
    Bounds {
        lower: Vec::new(),
        upper: vec![AddrRange::ALL],
        why: vec![why],
    }
}

pub(super) fn merge_why(a: &mut Vec<String>, b: impl IntoIterator<Item = String>) {
    for w in b {
        if !a.contains(&w) {
            a.push(w);
        }
    }
}

pub(super) fn union_addrs(parts: impl IntoIterator<Item = AddrBounds>) -> AddrBounds {
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

pub(super) fn not_addrs(b: &AddrBounds) -> AddrBounds {
    Bounds {
        lower: common::complement(&b.upper),
        upper: common::complement(&b.lower),
        why: b.why.clone(),
    }
}

pub(super) fn union_services(parts: impl IntoIterator<Item = SvcBounds>) -> SvcBounds {
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
pub(super) struct Objects<'a> {
    pub(super) addresses: BTreeMap<&'a str, &'a Block>,
    pub(super) addr_groups: BTreeMap<&'a str, &'a Block>,
    pub(super) vips: BTreeMap<&'a str, &'a Block>,
    pub(super) vip_groups: BTreeMap<&'a str, &'a Block>,
    pub(super) services: BTreeMap<&'a str, &'a Block>,
    pub(super) service_groups: BTreeMap<&'a str, &'a Block>,
    /// Each object's bounds once resolved, so a warning about an object is given once.
    pub(super) addr_done: BTreeMap<String, AddrBounds>,
    pub(super) svc_done: BTreeMap<String, SvcBounds>,
    /// The mapping's `[fqdn]`: addresses of names the device resolves at run time.
    pub(super) fqdn: &'a BTreeMap<String, Vec<AddrRange>>,
}

pub(super) fn by_name(blocks: Vec<&Block>) -> BTreeMap<&str, &Block> {
    // Later definitions win, as a later `edit` of the same name edits the same object.
    blocks.into_iter().map(|b| (b.name.as_str(), b)).collect()
}

impl<'a> Objects<'a> {
    pub(super) fn new(
        scope: &Scope<'a>,
        fqdn: &'a BTreeMap<String, Vec<AddrRange>>,
    ) -> Objects<'a> {
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
    pub(super) fn addresses(
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

    pub(super) fn address(
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

    pub(super) fn services(
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

    pub(super) fn service(
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
