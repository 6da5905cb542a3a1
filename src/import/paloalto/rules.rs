//! Security rules → the firewall's policy list.
//!
//! A PAN-OS security rule matches a packet by its source zone (the zone of the interface it
//! enters through), its destination zone (the zone of the interface it leaves through),
//! source and destination addresses (with `negate-source` / `negate-destination`), the
//! application and the service; first match wins; `rule-type` `intrazone` matches only when
//! both zones are one, `interzone` only when they differ. After the rulebase come the default
//! rules: `intrazone-default` allows traffic within a zone, `interzone-default` denies the
//! rest (either can be overridden in `default-security-rules`). An interface in no zone passes
//! nothing.
//!
//! In the model a zone is the set of its mapped interfaces, so each rule becomes one rule with
//! `in`/`out` interfaces (one per source zone for `intrazone` and `interzone` rules), and the
//! defaults become allow rules per zone before the firewall's `default = "deny"`.
//!
//! Conditions on the content of a connection (an application other than `any`, a URL
//! category) leave the flow's other traffic to later rules: an allow keeps its ports (the flow
//! is reachable, for that application), a deny is left out without marking later rules, as
//! for the packet fields of docs/IMPORTERS.md. Conditions on who or when (`source-user`, HIP
//! profiles, a schedule, a Panorama `target`) are assumptions: an allow is read without them
//! and marked, a deny is left out and the allows after it that it overlaps are marked.

use super::nat::Dnat;
use super::objects::{Addrs, Bounds, Objects, Svcs};
use super::xml::Element;
use crate::import::ImportError;
use crate::import::cisco_ios::shown;
use crate::import::common::{
    self, Approximations, Match, Warnings, complement, intersect, normalize, normalize_services,
};
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange, Rule, Service};
use std::collections::{BTreeMap, BTreeSet};

/// The zones of the imported vsys: name → its mapped interfaces, and the zone's line.
#[derive(Default, Debug)]
pub struct Zones {
    pub members: BTreeMap<String, (BTreeSet<String>, usize)>,
}

impl Zones {
    /// Every mapped interface in some zone.
    pub fn all(&self) -> BTreeSet<String> {
        self.members
            .values()
            .flat_map(|(s, _)| s.iter().cloned())
            .collect()
    }
}

/// What compiling the rulebase needs.
pub struct Compiler<'a, 'x> {
    pub file: &'a str,
    pub objects: &'a Objects<'x>,
    pub zones: &'a Zones,
    pub dnat: &'a [Dnat],
    pub warnings: &'a mut Warnings,
    pub rules: Vec<Rule>,
    pub approx: Approximations,
    unknown_zones: BTreeSet<String>,
}

impl<'a, 'x> Compiler<'a, 'x> {
    pub fn new(
        file: &'a str,
        objects: &'a Objects<'x>,
        zones: &'a Zones,
        dnat: &'a [Dnat],
        warnings: &'a mut Warnings,
    ) -> Compiler<'a, 'x> {
        Compiler {
            file,
            objects,
            zones,
            dnat,
            warnings,
            rules: Vec::new(),
            approx: Approximations::default(),
            unknown_zones: BTreeSet::new(),
        }
    }

    /// The mapped interfaces of zone members (`any`: every zone's).
    fn zone_interfaces(&mut self, members: &[(&str, usize)]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (z, line) in members {
            if *z == "any" {
                return self.zones.all();
            }
            match self.zones.members.get(*z) {
                Some((ifs, _)) => out.extend(ifs.iter().cloned()),
                None => {
                    if self.unknown_zones.insert(z.to_string()) {
                        self.warnings.warn(
                            *line,
                            format!(
                                "zone `{}` is not a zone of the imported vsys: no traffic matches it",
                                shown(z)
                            ),
                        );
                    }
                }
            }
        }
        out
    }

    /// One `<entry>` of `security/rules`.
    pub fn rule(&mut self, e: &Element) -> Result<(), ImportError> {
        let name = e.entry_name();
        if e.yes("disabled") {
            self.warnings.warn_on(
                e.line,
                "disabled security rules skipped, as on the device",
                format!("security rule {} is disabled: skipped", shown(name)),
            );
            return Ok(());
        }
        let action = rule_action(e, name)?;
        let scopes = self.scopes(e);
        let mut src = self.addresses(e, "source")?;
        let mut dst = self.addresses(e, "destination")?;
        if e.yes("negate-source") {
            src = negate(src);
        }
        if e.yes("negate-destination") {
            dst = negate(dst);
        }
        let apps: Vec<(&str, usize)> = e.members("application").unwrap_or_default();
        let any_app = apps.is_empty() || apps.iter().any(|(a, _)| *a == "any");
        let services = self.rule_services(e, &apps, any_app)?;
        let assumed = assumptions(e);
        let content = content_conditions(e, &apps, any_app);
        let mut why: Vec<String> = assumed.clone();
        for part in [&src.why, &dst.why, &services.why] {
            for x in part {
                if !why.contains(x) {
                    why.push(x.clone());
                }
            }
        }
        let read = ReadRule {
            name,
            line: e.line,
            origin: common::origin(self.file, e.line),
            reason: rule_reason(e, name),
            log: e.text_of("log-end") != Some("no") || e.yes("log-start"),
            src,
            dst,
            services,
            assumed,
            content,
            why,
        };
        if action == Action::Allow && !read.why.is_empty() {
            self.warnings.warn_on(
                e.line,
                "allow rules read without a condition sansou cannot express",
                format!(
                    "security rule {} allows by {}, which sansou cannot express: read without it (this can only allow more than the device)",
                    shown(name),
                    read.why.join(", ")
                ),
            );
        }
        for (in_if, out_if) in &scopes {
            match action {
                Action::Allow => self.allow(&read, in_if, out_if),
                Action::Deny => self.deny(&read, in_if, out_if),
            }
        }
        Ok(())
    }

    /// The (ingress, egress) interface pairs a rule covers, by its `rule-type`.
    fn scopes(&mut self, e: &Element) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
        let from = e.members("from").unwrap_or_default();
        let to = e.members("to").unwrap_or_default();
        let from_ifs = self.zone_interfaces(&from);
        let to_ifs = self.zone_interfaces(&to);
        match e.text_of("rule-type").unwrap_or("universal") {
            "intrazone" => self
                .zones
                .members
                .iter()
                .filter(|(z, _)| from.iter().any(|(f, _)| f == z || *f == "any"))
                .map(|(_, (ifs, _))| (ifs.clone(), ifs.clone()))
                .collect(),
            "interzone" => self
                .zones
                .members
                .iter()
                .filter(|(z, _)| from.iter().any(|(f, _)| f == z || *f == "any"))
                .map(|(_, (ifs, _))| (ifs.clone(), to_ifs.difference(ifs).cloned().collect()))
                .collect(),
            _ => vec![(from_ifs, to_ifs)],
        }
    }

    /// A rule's services: its `service` members, `application-default` standing for the
    /// applications' default ports.
    fn rule_services(
        &mut self,
        e: &Element,
        apps: &[(&str, usize)],
        any_app: bool,
    ) -> Result<Svcs, ImportError> {
        let mut services: Svcs = Bounds::exact(Vec::new());
        let service_members = e.members("service").unwrap_or_default();
        if service_members.is_empty() {
            services.add(Bounds::exact(vec![Service::Any]));
        }
        for (s, line) in &service_members {
            if *s == "application-default" {
                if any_app {
                    services.add(self.objects.app_default("any"));
                }
                for (a, _) in apps.iter().filter(|_| !any_app) {
                    services.add(self.objects.app_default(a));
                }
            } else {
                services.add(self.objects.service(s, *line)?);
            }
        }
        services.lower = normalize_services(services.lower);
        services.upper = normalize_services(services.upper);
        Ok(services)
    }

    /// An allow rule, per interface pair: its upper bound (and the translated copies NAT
    /// asks for).
    fn allow(&mut self, read: &ReadRule<'_>, in_if: &BTreeSet<String>, out_if: &BTreeSet<String>) {
        let m = read.upper(in_if, out_if);
        let Some(mut r) = m.to_rule(
            Action::Allow,
            read.origin.clone(),
            Some(read.reason.clone()),
        ) else {
            return;
        };
        r.log = read.log;
        common::set_rule_id(&mut r, read.name);
        if !read.why.is_empty() {
            r.approximation = Some(common::widened(&read.origin, &read.why.join(", ")));
        }
        self.rules.push(r);
        self.translated(
            &m,
            &read.origin,
            &read.reason,
            read.name,
            read.log,
            &read.why,
        );
    }

    /// A deny rule, per interface pair: what it surely matches, and what it may match beyond
    /// that left to mark the allows after it.
    fn deny(&mut self, read: &ReadRule<'_>, in_if: &BTreeSet<String>, out_if: &BTreeSet<String>) {
        let ReadRule {
            src,
            dst,
            services,
            assumed,
            content,
            why,
            origin,
            ..
        } = read;
        let sure = if content.is_empty() && assumed.is_empty() {
            Match {
                src: Some(src.lower.clone()),
                dst: Some(self.untranslated(&dst.lower, in_if)),
                services: Some(services.lower.clone()),
                in_if: Some(in_if.clone()),
                out_if: Some(out_if.clone()),
            }
        } else {
            Match {
                services: Some(Vec::new()),
                ..Match::default()
            }
        };
        // What the device may deny that the model does not: assumed conditions and
        // unresolved objects mark later allows; content and packet fields do not.
        let mut notes: Vec<String> = Vec::new();
        notes.extend(assumed.iter().cloned());
        for x in src.why.iter().chain(&dst.why).chain(&services.why) {
            if !common::is_packet_field(x) && !notes.contains(x) {
                notes.push(x.clone());
            }
        }
        if content.is_empty()
            && assumed.is_empty()
            && self.untranslated(&dst.lower, in_if) != dst.lower
        {
            notes.push("destination NAT (the device compares the pre-NAT destination)".into());
        }
        if !why.is_empty() || !content.is_empty() {
            let mut all = why.clone();
            all.extend(content.iter().cloned());
            self.warnings.warn_on(
                read.line,
                "deny rules with a condition sansou cannot express reduced",
                format!(
                    "security rule {} denies by {}, which sansou cannot express: it denies only what it surely matches (this can only allow more than the device)",
                    shown(read.name),
                    all.join(", ")
                ),
            );
        }
        if !notes.is_empty() {
            self.approx.dropped(
                self.rules.len(),
                read.upper(in_if, out_if),
                common::dropped(origin, &notes.join(", ")),
            );
        }
        let Some(mut r) = sure.to_rule(Action::Deny, origin.clone(), Some(read.reason.clone()))
        else {
            return;
        };
        r.log = read.log;
        common::set_rule_id(&mut r, read.name);
        self.rules.push(r);
    }

    /// The source or destination members of a rule (`any` when absent).
    fn addresses(&self, e: &Element, child: &str) -> Result<Addrs, ImportError> {
        let members = e.members(child).unwrap_or_default();
        if members.is_empty() {
            return Ok(Bounds::exact(vec![AddrRange::ALL]));
        }
        let mut set = Bounds::exact(Vec::new());
        for (m, line) in members {
            set.add(self.objects.address(m, line)?);
        }
        set.lower = normalize(set.lower);
        set.upper = normalize(set.upper);
        Ok(set)
    }

    /// The interfaces whose packets a destination NAT translates (its source zones').
    fn nat_interfaces(&self, d: &Dnat) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (z, _) in &d.from {
            if z == "any" {
                return self.zones.all();
            }
            if let Some((ifs, _)) = self.zones.members.get(z) {
                out.extend(ifs.iter().cloned());
            }
        }
        out
    }

    /// A deny's sure destinations for packets entering through `in_if`, without the translated
    /// addresses of a destination NAT whose original addresses the deny does not surely cover:
    /// the device compared the packet's original destination, so the model's packet (already
    /// translated) is not surely denied.
    fn untranslated(&self, dst: &[AddrRange], in_if: &BTreeSet<String>) -> Vec<AddrRange> {
        let mut out = dst.to_vec();
        for d in self.dnat {
            if self.nat_interfaces(d).is_disjoint(in_if) {
                continue;
            }
            if intersect(dst, &d.original) == normalize(d.original.clone()) {
                continue;
            }
            out = intersect(&out, &complement(&d.translated));
        }
        out
    }

    /// For an allow rule whose destination meets a destination NAT's original addresses: the
    /// same rule for the translated addresses (and port), marked, right after it.
    fn translated(
        &mut self,
        m: &Match,
        origin: &str,
        reason: &str,
        name: &str,
        log: bool,
        why: &[String],
    ) {
        for d in self.dnat {
            let dst = m.dst.clone().unwrap_or_else(|| vec![AddrRange::ALL]);
            if intersect(&dst, &d.original).is_empty() {
                continue;
            }
            let in_if: BTreeSet<String> = match &m.in_if {
                Some(ifs) => ifs.intersection(&self.nat_interfaces(d)).cloned().collect(),
                None => self.nat_interfaces(d),
            };
            let services = match (d.port, &m.services) {
                (Some(p), Some(list)) => {
                    let mut out = Vec::new();
                    for s in list {
                        match *s {
                            Service::Proto { proto, .. } if proto == TCP || proto == UDP => {
                                out.push(Service::Proto { proto, ports: p });
                            }
                            Service::Any => {
                                out.push(Service::Proto {
                                    proto: TCP,
                                    ports: p,
                                });
                                out.push(Service::Proto {
                                    proto: UDP,
                                    ports: p,
                                });
                            }
                            other => out.push(other),
                        }
                    }
                    Some(normalize_services(out))
                }
                (_, s) => s.clone(),
            };
            let copy = Match {
                dst: Some(d.translated.clone()),
                services,
                in_if: Some(in_if),
                ..m.clone()
            };
            let Some(mut r) = copy.to_rule(Action::Allow, origin.to_string(), Some(reason.into()))
            else {
                continue;
            };
            r.log = log;
            common::set_rule_id(&mut r, name);
            let mut notes: Vec<String> = why.to_vec();
            notes.push(format!(
                "the destination NAT of rule {} at {} (the rule names the pre-NAT destination)",
                d.name, d.origin
            ));
            r.approximation = Some(common::widened(origin, &notes.join(", ")));
            self.rules.push(r);
        }
    }

    /// The default rules after the rulebase: `intrazone-default` (allow unless overridden)
    /// per zone, `interzone-default` (deny unless overridden).
    pub fn defaults(&mut self, overrides: &BTreeMap<String, (String, usize)>) {
        let action = |name: &str, default: &str| -> (String, Option<usize>) {
            match overrides.get(name) {
                Some((a, line)) => (a.clone(), Some(*line)),
                None => (default.to_string(), None),
            }
        };
        let (intra, intra_line) = action("intrazone-default", "allow");
        let (inter, inter_line) = action("interzone-default", "deny");
        let all = self.zones.all();
        for (zone, (ifs, zone_line)) in &self.zones.members {
            if intra == "allow" {
                let m = Match {
                    in_if: Some(ifs.clone()),
                    out_if: Some(ifs.clone()),
                    ..Match::default()
                };
                self.rules.extend(m.to_rule(
                    Action::Allow,
                    common::origin(self.file, intra_line.unwrap_or(*zone_line)),
                    Some(format!("intrazone-default: within zone {zone}")),
                ));
            }
            if inter == "allow" {
                let m = Match {
                    in_if: Some(ifs.clone()),
                    out_if: Some(all.difference(ifs).cloned().collect()),
                    ..Match::default()
                };
                self.rules.extend(m.to_rule(
                    Action::Allow,
                    common::origin(self.file, inter_line.unwrap_or(*zone_line)),
                    Some(format!("interzone-default: from zone {zone}")),
                ));
            }
        }
    }
}

/// A security rule as read, before it is written per interface pair.
struct ReadRule<'e> {
    name: &'e str,
    line: usize,
    origin: String,
    reason: String,
    log: bool,
    src: Addrs,
    dst: Addrs,
    services: Svcs,
    /// Conditions on who and when, assumed to hold.
    assumed: Vec<String>,
    /// Conditions on what the connection carries.
    content: Vec<String>,
    /// Everything the model cannot express: the assumptions, then the objects' reasons.
    why: Vec<String>,
}

impl ReadRule<'_> {
    /// The rule's upper bound on one interface pair.
    fn upper(&self, in_if: &BTreeSet<String>, out_if: &BTreeSet<String>) -> Match {
        Match {
            src: Some(self.src.upper.clone()),
            dst: Some(self.dst.upper.clone()),
            services: Some(self.services.upper.clone()),
            in_if: Some(in_if.clone()),
            out_if: Some(out_if.clone()),
        }
    }
}

/// A rule's `action`: allow, or one of the ways to deny.
fn rule_action(e: &Element, name: &str) -> Result<Action, ImportError> {
    match e.text_of("action").unwrap_or("allow") {
        "allow" => Ok(Action::Allow),
        "deny" | "drop" | "reset-client" | "reset-server" | "reset-both" => Ok(Action::Deny),
        other => {
            let at = e.child("action").unwrap_or(e);
            Err(ImportError {
                line: at.line,
                column: at.col,
                message: format!(
                    "security rule {}: unknown action `{}` (allow, deny, drop, reset-client, reset-server, reset-both)",
                    shown(name),
                    shown(other)
                ),
            })
        }
    }
}

/// Who and when: the conditions a rule has that the model assumes to hold.
fn assumptions(e: &Element) -> Vec<String> {
    let mut assumed: Vec<String> = Vec::new();
    for (key, what) in [
        ("source-user", "`source-user`"),
        ("source-hip", "`source-hip`"),
        ("destination-hip", "`destination-hip`"),
        ("hip-profiles", "`hip-profiles`"),
    ] {
        if let Some(ms) = e.members(key)
            && ms.iter().any(|(m, _)| *m != "any")
        {
            assumed.push(what.into());
        }
    }
    if let Some(s) = e.text_of("schedule").filter(|s| !s.is_empty()) {
        assumed.push(format!("schedule `{}`", shown(s)));
    }
    if e.at(&["target", "devices"])
        .is_some_and(|d| !d.children.is_empty())
    {
        assumed.push("Panorama `target` (the rule may not apply to this firewall)".into());
    }
    assumed
}

/// What the connection carries: the flow's other traffic goes on to later rules.
fn content_conditions(e: &Element, apps: &[(&str, usize)], any_app: bool) -> Vec<String> {
    let mut content: Vec<String> = Vec::new();
    if !any_app {
        content.push(format!(
            "application {}",
            apps.iter()
                .map(|(a, _)| format!("`{}`", shown(a)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(ms) = e.members("category")
        && ms.iter().any(|(m, _)| *m != "any")
    {
        content.push("URL `category`".into());
    }
    content
}

/// The rule's reason: its name, uuid and description.
fn rule_reason(e: &Element, name: &str) -> String {
    let mut reason = format!("security rule {name}");
    if let Some(u) = e.attr("uuid") {
        reason.push_str(&format!(" (uuid {u})"));
    }
    if let Some(d) = e.text_of("description").filter(|d| !d.is_empty()) {
        reason.push_str(": ");
        reason.push_str(d);
    }
    reason
}

/// `negate-source`: what the device may match is everything the objects surely leave out.
fn negate(set: Addrs) -> Addrs {
    Bounds {
        lower: complement(&set.upper),
        upper: complement(&set.lower),
        why: set.why,
    }
}
