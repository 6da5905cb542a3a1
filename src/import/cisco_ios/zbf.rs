//! The zone-based policy firewall of IOS and IOS-XE, read as the policy list of the imported
//! firewall.
//!
//! ```text
//! zone security INSIDE
//! zone security OUTSIDE
//! class-map type inspect match-any WEB
//!  match protocol http
//!  match access-group name WEB-SERVERS
//! policy-map type inspect IN-OUT
//!  class type inspect WEB
//!   inspect
//!  class class-default
//!   drop log
//! zone-pair security IN-OUT source INSIDE destination OUTSIDE
//!  service-policy type inspect IN-OUT
//! interface GigabitEthernet0/1
//!  zone-member security INSIDE
//! ```
//!
//! What the router does with a packet from interface A to interface B, as IOS documents it:
//! both in no zone: the firewall does not apply; one in a zone and the other not: dropped; both
//! in the same zone: passed (unless a zone-pair from the zone to itself says otherwise); two
//! zones: the zone-pair from A's zone to B's zone decides, by the first class of its
//! `policy-map type inspect` that matches (`inspect` and `pass` let the packet through, `drop`
//! drops it, `class-default` catches the rest and drops by default); no zone-pair: dropped.
//! Interface ACLs still apply before and after.
//!
//! That is exactly a first-match policy list with `in`/`out` interfaces, the zone-pairs first,
//! then the same-zone and no-zone passes, and `default = "deny"`. Class matches are read as the
//! packets their ACLs permit (entries in order, a `deny` entry taking packets out of the class)
//! and `match protocol` as the protocol's ports (its well-known ones plus `ip port-map`), with
//! `match-all` the intersection and `match-any` the union. What cannot be read exactly is read
//! soundly: allow classes may match more, drop classes less, and the rules say so in their
//! `approximation`. `inspect` lets replies back; the model has one state flag per device, so a
//! device with an inspecting class is imported as stateful (replies of `pass` flows return too,
//! an over-approximation stated in a warning). The `self` zone (traffic to and from the router)
//! is not forwarding and is left out.

use super::acl::{self, Cursor, shown};
use super::{Config, Groups, Line, Word};
use crate::import::ImportError;
use crate::import::common::{self, Approximations, Match};
use crate::model::service::{ICMP, TCP, UDP};
use crate::model::{Action, Rule, Service};
use std::collections::{BTreeMap, BTreeSet};

/// What a class of a `policy-map type inspect` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ZAction {
    Inspect,
    Pass,
    Drop,
}

impl ZAction {
    fn word(self) -> &'static str {
        match self {
            ZAction::Inspect => "inspect",
            ZAction::Pass => "pass",
            ZAction::Drop => "drop",
        }
    }
}

/// `class-map type inspect [match-any|match-all] NAME` and its `match` lines.
pub(super) struct ClassMap<'a> {
    pub line: usize,
    pub any: bool,
    pub matches: Vec<Line<'a>>,
}

/// One `class type inspect NAME` (or `class class-default`) of a policy map.
pub(super) struct PolicyClass {
    pub name: String,
    pub line: usize,
    pub action: Option<(ZAction, usize)>,
}

pub(super) struct PolicyMap {
    pub classes: Vec<PolicyClass>,
}

pub(super) struct ZonePair {
    pub name: String,
    pub line: usize,
    pub src: String,
    pub dst: String,
    pub policy: Option<(String, usize)>,
}

/// Everything of the zone-based firewall the configuration holds.
#[derive(Default)]
pub(super) struct Zbf<'a> {
    pub zones: BTreeMap<String, usize>,
    pub pairs: Vec<ZonePair>,
    pub class_maps: BTreeMap<String, ClassMap<'a>>,
    pub policy_maps: BTreeMap<String, PolicyMap>,
    /// `ip port-map APP port …`: application → (ports, host-specific).
    pub port_maps: BTreeMap<String, Vec<(Service, bool)>>,
}

/// What a class matches: `over` ⊇ the device's packets ⊇ `under`, each piece with the line it
/// comes from; an `over` piece also says why it may be wider than the device's (`notes`).
#[derive(Clone, Debug, Default)]
struct Pieces {
    over: Vec<(Match, usize, Vec<String>)>,
    under: Vec<(Match, usize)>,
}

impl Pieces {
    fn exact(m: Match, line: usize) -> Pieces {
        Pieces {
            over: vec![(m.clone(), line, Vec::new())],
            under: vec![(m, line)],
        }
    }

    /// Anything (for allow) and nothing (for drop), because of `why`.
    fn unknown(line: usize, why: String) -> Pieces {
        Pieces {
            over: vec![(Match::default(), line, vec![why])],
            under: Vec::new(),
        }
    }

    fn union(mut self, other: Pieces) -> Pieces {
        self.over.extend(other.over);
        self.under.extend(other.under);
        self
    }

    fn intersect(self, other: Pieces) -> Pieces {
        let mut over = Vec::new();
        for (x, line, n1) in &self.over {
            for (y, _, n2) in &other.over {
                let m = x.and(y);
                if !m.is_empty() {
                    let mut notes = n1.clone();
                    notes.extend(n2.iter().cloned());
                    notes.sort();
                    notes.dedup();
                    over.push((m, *line, notes));
                }
            }
        }
        let mut under = Vec::new();
        for (x, line) in &self.under {
            for (y, _) in &other.under {
                let m = x.and(y);
                if !m.is_empty() {
                    under.push((m, *line));
                }
            }
        }
        Pieces { over, under }
    }
}

/// The most pieces one class may be split into by the `deny` entries of its ACL; beyond, the
/// denies are ignored for allow classes and the class left out for drop classes.
const MAX_PIECES: usize = 4096;

/// `pieces` without the packets of `m` (an exact cover by disjoint matches).
fn minus<T: Clone>(pieces: Vec<(Match, T)>, m: &Match) -> Vec<(Match, T)> {
    let not = m.not(&BTreeSet::new());
    pieces
        .into_iter()
        .flat_map(|(p, tag)| {
            not.iter()
                .map(|n| (p.and(n), tag.clone()))
                .filter(|(x, _)| !x.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Well-known ports of the protocols `match protocol` names (PAM's system-defined entries).
fn protocol_services(name: &str) -> Option<Vec<Service>> {
    let t = |p: u16| common::ports(TCP, p, p);
    let u = |p: u16| common::ports(UDP, p, p);
    Some(match name {
        "tcp" => vec![common::protocol(TCP)],
        "udp" => vec![common::protocol(UDP)],
        "icmp" => vec![common::protocol(ICMP)],
        "http" => vec![t(80)],
        "https" => vec![t(443)],
        "ftp" => vec![t(21)],
        "ftps" => vec![t(990)],
        "ssh" => vec![t(22)],
        "telnet" => vec![t(23)],
        "smtp" => vec![t(25)],
        "dns" | "domain" => vec![t(53), u(53)],
        "tftp" => vec![u(69)],
        "bootps" => vec![u(67)],
        "bootpc" => vec![u(68)],
        "kerberos" => vec![t(88), u(88)],
        "pop3" => vec![t(110)],
        "pop3s" => vec![t(995)],
        "nntp" => vec![t(119)],
        "ntp" => vec![u(123)],
        "netbios-ns" => vec![u(137)],
        "netbios-dgm" => vec![u(138)],
        "netbios-ssn" => vec![t(139)],
        "imap" => vec![t(143)],
        "imaps" => vec![t(993)],
        "snmp" => vec![u(161)],
        "ldap" => vec![t(389)],
        "ldaps" => vec![t(636)],
        "microsoft-ds" | "cifs" => vec![t(445)],
        "isakmp" => vec![u(500)],
        "syslog" => vec![u(514)],
        "rtsp" => vec![t(554)],
        "ms-sql" => vec![t(1433)],
        "sqlnet" => vec![t(1521)],
        "l2tp" => vec![u(1701)],
        "h323" => vec![t(1720)],
        "pptp" => vec![t(1723)],
        "mysql" => vec![t(3306)],
        "sip" => vec![t(5060), u(5060)],
        "sip-tls" => vec![t(5061)],
        "ms-rdp" | "rdp" => vec![t(3389)],
        "sunrpc" => vec![t(111), u(111)],
        _ => return None,
    })
}

impl<'a> Config<'a> {
    /// `class-map type inspect …` (layer 4 only; layer-7 maps such as `type inspect http`
    /// only drop more inside an inspected class, and are skipped).
    pub(super) fn class_map(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
        let (any, name) = match (w(3), words.len()) {
            ("match-any", 5) => (true, w(4)),
            ("match-all", 5) => (false, w(4)),
            (n, 4) => (false, n),
            _ => {
                self.skipped(line.no);
                return;
            }
        };
        self.zbf.class_maps.insert(
            name.to_string(),
            ClassMap {
                line: line.no,
                any,
                matches: children.to_vec(),
            },
        );
    }

    /// `policy-map type inspect NAME` and its classes with their actions.
    pub(super) fn policy_map(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        if words.len() != 4 {
            // `policy-map type inspect http NAME`: layer 7, only drops more.
            self.skipped(line.no);
            return;
        }
        let mut map = PolicyMap {
            classes: Vec::new(),
        };
        for child in children {
            let cw = child.words();
            let c = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            match c(0) {
                "class" => {
                    let name = match (c(1), c(2)) {
                        ("type", "inspect") => c(3),
                        (n, _) => n,
                    };
                    map.classes.push(PolicyClass {
                        name: name.to_string(),
                        line: child.no,
                        action: None,
                    });
                }
                a @ ("inspect" | "pass" | "drop") => {
                    let action = match a {
                        "inspect" => ZAction::Inspect,
                        "pass" => ZAction::Pass,
                        _ => ZAction::Drop,
                    };
                    match map.classes.last_mut() {
                        Some(class) => class.action = Some((action, child.no)),
                        None => self.warn(
                            child.no,
                            format!(
                                "`{a}` outside a class of policy-map {}; ignored",
                                shown(words[3].text)
                            ),
                        ),
                    }
                }
                // Rate limits, layer-7 policies, parameter maps: they only drop more.
                "police" | "service-policy" | "urlfilter" | "description" => {}
                t if t.starts_with('!') => {}
                other => self.warn(
                    child.no,
                    format!(
                        "unsupported line `{}` in policy-map {} ignored",
                        shown(other),
                        shown(words[3].text)
                    ),
                ),
            }
        }
        self.zbf.policy_maps.insert(words[3].text.to_string(), map);
    }

    /// `zone-pair security NAME source S destination D` and its `service-policy`.
    pub(super) fn zone_pair(&mut self, line: Line<'a>, words: &[Word<'a>], children: &[Line<'a>]) {
        let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
        let (name, mut src, mut dst) = (w(2), None, None);
        let mut i = 3;
        while i + 1 < words.len() {
            match w(i) {
                "source" => src = Some(w(i + 1)),
                "destination" => dst = Some(w(i + 1)),
                _ => {}
            }
            i += 2;
        }
        let (Some(src), Some(dst)) = (src, dst) else {
            self.warn(
                line.no,
                "`zone-pair security` without a source and a destination zone; ignored",
            );
            return;
        };
        let mut policy = None;
        for child in children {
            let cw = child.words();
            let c = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            if c(0) == "service-policy" && c(1) == "type" && c(2) == "inspect" && !c(3).is_empty() {
                policy = Some((c(3).to_string(), child.no));
            }
        }
        self.zbf.pairs.push(ZonePair {
            name: name.to_string(),
            line: line.no,
            src: src.to_string(),
            dst: dst.to_string(),
            policy,
        });
    }

    /// `ip port-map APP port [tcp|udp] N… [list ACL]`: more ports for `match protocol APP`.
    pub(super) fn port_map(&mut self, line: Line<'a>, words: &[Word<'a>]) {
        let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
        let app = w(2);
        if w(3) != "port" || app.is_empty() {
            self.warn(line.no, "`ip port-map` not understood; ignored");
            return;
        }
        let mut proto = TCP;
        let mut host_specific = false;
        let mut ports = Vec::new();
        let mut i = 4;
        while i < words.len() {
            match w(i) {
                "tcp" => proto = TCP,
                "udp" => proto = UDP,
                "list" => {
                    host_specific = true;
                    i += 1;
                }
                "from" | "to" => {}
                "range" => {}
                p => {
                    if let Ok(n) = p.parse::<u16>() {
                        ports.push(n);
                    }
                }
            }
            i += 1;
        }
        // `range A B` gives two numbers: the ports between them.
        let services: Vec<Service> = if words.iter().any(|w| w.text == "range") && ports.len() == 2
        {
            vec![common::ports(
                proto,
                ports[0].min(ports[1]),
                ports[0].max(ports[1]),
            )]
        } else {
            ports.iter().map(|&p| common::ports(proto, p, p)).collect()
        };
        self.zbf
            .port_maps
            .entry(app.to_string())
            .or_default()
            .extend(services.into_iter().map(|s| (s, host_specific)));
    }

    /// The policy list of the zone-based firewall, when a mapped interface is in a zone (routers
    /// have no other policy list; the default becomes deny). `None` when no mapped interface
    /// is in a zone; else the line of the first `inspect` (the device keeps state), or 0.
    pub(super) fn zone_rules(
        &mut self,
        file: &str,
        mapped: &[(String, Option<String>)],
        groups: &Groups,
        rules: &mut Vec<Rule>,
    ) -> Result<Option<usize>, ImportError> {
        // `Some(0)`: the firewall applies and nothing inspects; `Some(line)`: the first inspect.
        if !mapped.iter().any(|(_, z)| z.is_some()) {
            return Ok(None);
        }
        let mut list = ZoneList {
            rules,
            approx: Approximations::default(),
            inspect_line: None,
        };
        let pairs = std::mem::take(&mut self.zbf.pairs);
        let mut paired: BTreeSet<(String, String)> = BTreeSet::new();
        for pair in &pairs {
            if pair.src == "self" || pair.dst == "self" {
                self.warn_on(
                    pair.line,
                    "zone-pairs with the `self` zone (traffic to or from the router) not modelled",
                    format!(
                        "zone-pair {} filters traffic to or from the router itself, not forwarded traffic: not imported",
                        shown(&pair.name)
                    ),
                );
                continue;
            }
            if !paired.insert((pair.src.clone(), pair.dst.clone())) {
                self.warn(
                    pair.line,
                    format!(
                        "a second zone-pair from {} to {}: the first one decides",
                        shown(&pair.src),
                        shown(&pair.dst)
                    ),
                );
                continue;
            }
            let (src, dst) = (members(mapped, &pair.src), members(mapped, &pair.dst));
            if src.is_empty() || dst.is_empty() {
                continue;
            }
            let between = Match {
                in_if: Some(src),
                out_if: Some(dst),
                ..Match::default()
            };
            self.pair_rules(file, pair, &between, groups, &mut list)?;
        }
        let ZoneList {
            rules,
            approx,
            inspect_line,
        } = list;
        self.within_zones(file, mapped, &paired, rules);
        approx.mark(rules);
        self.zbf.pairs = pairs;
        Ok(Some(inspect_line.unwrap_or(0)))
    }

    /// One zone-pair's rules: its policy-map's classes in order, then its class-default.
    fn pair_rules(
        &mut self,
        file: &str,
        pair: &ZonePair,
        between: &Match,
        groups: &Groups,
        list: &mut ZoneList<'_>,
    ) -> Result<(), ImportError> {
        let reason = |what: &str| Some(format!("zone-pair {}: {what}", pair.name));
        let Some((policy_name, policy_line)) = pair.policy.clone() else {
            // A zone-pair without a policy drops everything between its zones.
            list.rules.extend(between.to_rule(
                Action::Deny,
                common::origin(file, pair.line),
                reason("no service-policy, everything dropped"),
            ));
            return Ok(());
        };
        let Some(policy) = self.zbf.policy_maps.remove(&policy_name) else {
            self.warn(
                policy_line,
                format!(
                    "zone-pair {} names policy-map {}, which is not defined: read as passing everything (IOS refuses such a zone-pair)",
                    shown(&pair.name),
                    shown(&policy_name)
                ),
            );
            if let Some(mut r) = between.to_rule(
                Action::Allow,
                common::origin(file, policy_line),
                reason("undefined policy-map"),
            ) {
                r.approximation = Some(common::widened(
                    &common::origin(file, policy_line),
                    &format!("the undefined policy-map {}", shown(&policy_name)),
                ));
                list.rules.push(r);
            }
            return Ok(());
        };
        let mut default = (ZAction::Drop, pair.line);
        for class in &policy.classes {
            let action = class.action.unwrap_or((ZAction::Drop, class.line));
            if class.name == "class-default" {
                default = action;
                continue;
            }
            if class.action.is_none() {
                // A class without an action does nothing to its packets on IOS-XE: they
                // fall through to the next class.
                continue;
            }
            let pieces = match self.class_pieces(&class.name, groups, &mut Vec::new())? {
                Some(p) => p,
                None => {
                    self.warn(
                        class.line,
                        format!(
                            "class-map {} used by policy-map {} is not defined: the class matches nothing",
                            shown(&class.name),
                            shown(&policy_name)
                        ),
                    );
                    continue;
                }
            };
            let what = format!("class {} ({})", class.name, action.0.word());
            class_rules(file, action, &pieces, between, reason(&what), list);
        }
        // class-default: what no class took.
        let (act, line) = default;
        list.rules.extend(between.to_rule(
            if act == ZAction::Drop {
                Action::Deny
            } else {
                Action::Allow
            },
            common::origin(file, line),
            reason(&format!("class-default ({})", act.word())),
        ));
        if act == ZAction::Inspect && list.inspect_line.is_none() {
            list.inspect_line = Some(line);
        }
        self.zbf.policy_maps.insert(policy_name, policy);
        Ok(())
    }

    /// Traffic within a zone passes, unless a zone-pair from the zone to itself decided; and
    /// the zone-based firewall does not apply between interfaces in no zone.
    fn within_zones(
        &self,
        file: &str,
        mapped: &[(String, Option<String>)],
        paired: &BTreeSet<(String, String)>,
        rules: &mut Vec<Rule>,
    ) {
        let zones: BTreeSet<String> = mapped.iter().filter_map(|(_, z)| z.clone()).collect();
        for zone in &zones {
            if paired.contains(&(zone.clone(), zone.clone())) {
                continue;
            }
            let inside = members(mapped, zone);
            if inside.len() < 2 {
                continue;
            }
            let line = self.zbf.zones.get(zone).copied().unwrap_or(0);
            let m = Match {
                in_if: Some(inside.clone()),
                out_if: Some(inside),
                ..Match::default()
            };
            rules.extend(m.to_rule(
                Action::Allow,
                common::origin(file, line),
                Some(format!(
                    "zone {zone}: traffic between its member interfaces passes"
                )),
            ));
        }
        let unzoned: BTreeSet<String> = mapped
            .iter()
            .filter(|(_, z)| z.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        if unzoned.len() >= 2 {
            let m = Match {
                in_if: Some(unzoned.clone()),
                out_if: Some(unzoned),
                ..Match::default()
            };
            let line = mapped_zone_line(&self.zbf);
            rules.extend(m.to_rule(
                Action::Allow,
                common::origin(file, line),
                Some("interfaces in no zone: the zone-based firewall does not apply".into()),
            ));
        }
    }

    /// What class-map `name` matches; `None` when it is not defined.
    fn class_pieces(
        &mut self,
        name: &str,
        groups: &Groups,
        seen: &mut Vec<String>,
    ) -> Result<Option<Pieces>, ImportError> {
        let Some(class) = self.zbf.class_maps.get(name) else {
            return Ok(None);
        };
        if seen.iter().any(|s| s == name) {
            return Err(ImportError::at_line(
                class.line,
                format!(
                    "class-map {} matches itself (through {})",
                    shown(name),
                    seen.join(" → ")
                ),
            ));
        }
        let (any, lines) = (class.any, class.matches.clone());
        seen.push(name.to_string());
        let mut parts: Vec<Pieces> = Vec::new();
        for child in lines {
            let cw = child.words();
            let c = |i: usize| cw.get(i).map(|w| w.text).unwrap_or("");
            let part = match (c(0), c(1)) {
                ("match", "access-group") => {
                    let acl = if c(2) == "name" { c(3) } else { c(2) };
                    match self.acl_pieces(acl, groups)? {
                        Some(p) => p,
                        None => {
                            self.warn(
                                child.no,
                                format!(
                                    "class-map {} matches ACL {}, which is not defined: the match is read as nothing",
                                    shown(name),
                                    shown(acl)
                                ),
                            );
                            Pieces::default()
                        }
                    }
                }
                ("match", "protocol") => self.protocol_pieces(c(2), child.no),
                ("match", "class-map") => {
                    self.class_pieces(c(2), groups, seen)?.unwrap_or_default()
                }
                ("description", _) | ("", _) => continue,
                (t, _) if t.starts_with('!') => continue,
                _ => Pieces::unknown(
                    child.no,
                    format!(
                        "`{}` in class-map {}",
                        shown(
                            &cw.iter()
                                .take(2)
                                .map(|w| w.text)
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                        shown(name)
                    ),
                ),
            };
            parts.push(part);
        }
        seen.pop();
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else {
            // A class-map with no match statement matches nothing.
            return Ok(Some(Pieces::default()));
        };
        let pieces = parts.fold(
            first,
            |acc, p| if any { acc.union(p) } else { acc.intersect(p) },
        );
        Ok(Some(pieces))
    }

    /// `match protocol NAME`: the protocol's ports (and `ip port-map` additions).
    fn protocol_pieces(&mut self, name: &str, line: usize) -> Pieces {
        let mut exact: Vec<Service> = protocol_services(name).unwrap_or_default();
        let mut extra: Vec<Service> = Vec::new();
        for (s, host_specific) in self.zbf.port_maps.get(name).cloned().unwrap_or_default() {
            if host_specific {
                extra.push(s);
            } else {
                exact.push(s);
            }
        }
        if exact.is_empty() && extra.is_empty() {
            return Pieces::unknown(
                line,
                format!(
                    "`match protocol {}` (an application sansou does not know the ports of)",
                    shown(name)
                ),
            );
        }
        let m = |list: Vec<Service>| Match {
            services: Some(common::normalize_services(list)),
            ..Match::default()
        };
        let mut p = Pieces::exact(m(exact.clone()), line);
        if !extra.is_empty() {
            let mut all = exact;
            all.extend(extra);
            p.over = vec![(
                m(all),
                line,
                vec![format!(
                    "host-specific `ip port-map` ports of {}",
                    shown(name)
                )],
            )];
        }
        p
    }

    /// The packets ACL `name` permits, entries in order (a `deny` takes packets out).
    fn acl_pieces(&mut self, name: &str, groups: &Groups) -> Result<Option<Pieces>, ImportError> {
        let Some(acl) = self.acls.get(name) else {
            return Ok(None);
        };
        let (kind, entries) = (acl.kind, acl.entries.clone());
        let mut over: Vec<(Match, (usize, Vec<String>))> = Vec::new();
        let mut under: Vec<(Match, usize)> = Vec::new();
        // Deny entries so far: what they surely match, and what they may match (with why).
        let mut denies_sure: Vec<Match> = Vec::new();
        let mut denies_may: Vec<Match> = Vec::new();
        let mut denies_notes: Vec<String> = Vec::new();
        let mut too_many = false;
        let mut permits: Vec<(Match, usize, Vec<String>)> = Vec::new();
        for line in entries {
            let words = line.words();
            let mut cur = Cursor::new(&words[super::entry_start(&words)..], line.no);
            let entry = acl::parse(kind, &mut cur, groups)?;
            if entry.never_opens.is_some() {
                continue;
            }
            let m = Match {
                src: Some(entry.from.clone()),
                dst: Some(entry.to.clone()),
                services: Some(entry.services.clone()),
                ..Match::default()
            };
            let mut inexact: Vec<String> = entry.narrowing.clone();
            inexact.extend(
                entry
                    .approximated
                    .iter()
                    .map(|a| format!("the address {a}")),
            );
            let exact = inexact.is_empty();
            if entry.action == Action::Deny {
                if exact {
                    denies_sure.push(m.clone());
                } else {
                    // A deny entry that may match less takes less out of the class: the
                    // packets it leaves in are an assumption of the permits after it.
                    denies_notes.extend(
                        inexact
                            .iter()
                            .map(|n| format!("a deny entry of ACL {} testing {n}", shown(name))),
                    );
                }
                denies_may.push(m);
                continue;
            }
            permits.push((m.clone(), line.no, inexact.clone()));
            if too_many {
                continue;
            }
            let mut notes = inexact;
            notes.extend(denies_notes.iter().cloned());
            let mut o = vec![(m.clone(), (line.no, notes))];
            for d in &denies_sure {
                o = minus(o, d);
            }
            let mut u = if exact {
                vec![(m, line.no)]
            } else {
                Vec::new()
            };
            for d in &denies_may {
                u = minus(u, d);
            }
            if o.len() + u.len() + over.len() + under.len() > MAX_PIECES {
                too_many = true;
                continue;
            }
            over.extend(o);
            under.extend(u);
        }
        if too_many {
            // Sound fallback: every permit entry as it is for allow classes, nothing for drop.
            let note = format!(
                "the deny entries of ACL {} (too many to split exactly)",
                shown(name)
            );
            return Ok(Some(Pieces {
                over: permits
                    .into_iter()
                    .map(|(m, line, mut notes)| {
                        notes.push(note.clone());
                        (m, line, notes)
                    })
                    .collect(),
                under: Vec::new(),
            }));
        }
        Ok(Some(Pieces {
            over: over
                .into_iter()
                .map(|(m, (line, notes))| (m, line, notes))
                .collect(),
            under,
        }))
    }
}

/// The line the zone-based firewall starts on (its first zone), for rules that stand for its
/// general behaviour.
fn mapped_zone_line(zbf: &Zbf<'_>) -> usize {
    zbf.zones.values().min().copied().unwrap_or(0)
}

/// The zone-based firewall's policy list as it is built: the rules, the drops left out of
/// it, and the line of the first `inspect`.
struct ZoneList<'r> {
    rules: &'r mut Vec<Rule>,
    approx: Approximations,
    inspect_line: Option<usize>,
}

/// The mapped interfaces in `zone`.
fn members(mapped: &[(String, Option<String>)], zone: &str) -> BTreeSet<String> {
    mapped
        .iter()
        .filter(|(_, z)| z.as_deref() == Some(zone))
        .map(|(n, _)| n.clone())
        .collect()
}

/// One class of a policy-map between two zones: an inspect or pass as allows of what it may
/// match, a drop as denies of what it surely matches (what it may match beyond that marks the
/// allows after it).
fn class_rules(
    file: &str,
    action: (ZAction, usize),
    pieces: &Pieces,
    between: &Match,
    reason: Option<String>,
    list: &mut ZoneList<'_>,
) {
    match action.0 {
        ZAction::Inspect | ZAction::Pass => {
            if action.0 == ZAction::Inspect && list.inspect_line.is_none() {
                list.inspect_line = Some(action.1);
            }
            for (m, line, notes) in &pieces.over {
                let origin = common::origin(file, *line);
                if let Some(mut r) =
                    m.and(between)
                        .to_rule(Action::Allow, origin.clone(), reason.clone())
                {
                    if !notes.is_empty() {
                        r.approximation = Some(common::widened(&origin, &notes.join(", ")));
                    }
                    list.rules.push(r);
                }
            }
        }
        ZAction::Drop => {
            // What the drop class may match beyond what it surely matches, when
            // that rests on more than a packet field flows do not have.
            for (m, line, notes) in &pieces.over {
                let assumed: Vec<&str> = notes
                    .iter()
                    .map(String::as_str)
                    .filter(|n| !common::is_packet_field(n))
                    .collect();
                if !assumed.is_empty() {
                    list.approx.dropped(
                        list.rules.len(),
                        m.and(between),
                        common::dropped(&common::origin(file, *line), &assumed.join(", ")),
                    );
                }
            }
            for (m, line) in &pieces.under {
                list.rules.extend(m.and(between).to_rule(
                    Action::Deny,
                    common::origin(file, *line),
                    reason.clone(),
                ));
            }
        }
    }
}
