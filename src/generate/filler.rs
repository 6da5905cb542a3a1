//! The rules that pile up in an office firewall over the years (`Filler`), with the dead entries
//! left on purpose.

use super::catalogue::STALE_PORTS;
use super::layout::{Group, Office, System};
use super::rng::Rng;
use super::rules::{RuleExt, addr, allow, deny, segment};
use super::values::tcp;
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// How often the filler tries for something new before it gives up on a kind of rule.
pub(super) const ATTEMPTS: usize = 24;

/// How a (group, system, port) of an office firewall has been opened so far.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Opened {
    /// For the whole group.
    Group,
    /// For single terminals of the group.
    Pinned,
}

/// The rules that pile up in an office firewall over the years: per-department allows of
/// business systems, terminals pinned to one system and port, a deny before a broader allow.
/// Each opens something not open before, so the rule base stays mostly live; the dead entries
/// are the deliberate ones: allows of admin ports behind an earlier deny and copies of an allow
/// narrowed to one terminal (both can never match), and a terminal registered just before its
/// whole department (redundant).
pub(super) struct Filler<'a> {
    pub(super) groups: Vec<(&'a Office, &'a Group)>,
    pub(super) systems: Vec<System>,
    /// Per system, the groups of its department.
    pub(super) users: Vec<Vec<usize>>,
    /// A server whose admin ports an earlier rule denies to the offices.
    pub(super) closed: Option<Selector>,
    /// Keyed by (group, system, port), indexes into `groups` and `systems`.
    pub(super) opened: BTreeMap<(usize, usize, u16), Opened>,
    /// (system, port) pairs opened to anyone, and those opened to whole office segments (after
    /// which per-group rules for them would be dead).
    pub(super) touched: BTreeSet<(usize, u16)>,
    pub(super) floors: BTreeSet<(usize, u16)>,
    /// (terminal, system, port) of every pinned allow.
    pub(super) pins: BTreeSet<(u32, usize, u16)>,
    /// Every group-wide allow, for the narrowed copies.
    pub(super) grants: Vec<(usize, usize, u16)>,
}

impl<'a> Filler<'a> {
    pub(super) fn new(
        offices: &'a [Office],
        systems: Vec<System>,
        closed: Option<Selector>,
    ) -> Filler<'a> {
        let groups: Vec<(&Office, &Group)> = offices
            .iter()
            .flat_map(|o| o.groups.iter().map(move |g| (o, g)))
            .collect();
        let users = systems
            .iter()
            .map(|s| {
                (0..groups.len())
                    .filter(|&g| groups[g].1.dept.0 == s.dept)
                    .collect()
            })
            .collect();
        Filler {
            groups,
            systems,
            users,
            closed,
            opened: BTreeMap::new(),
            touched: BTreeSet::new(),
            floors: BTreeSet::new(),
            pins: BTreeSet::new(),
            grants: Vec::new(),
        }
    }

    /// Adds one or two rules; false when nothing new could be found (the caller stops).
    pub(super) fn add(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>) -> bool {
        if self.systems.is_empty() {
            return false;
        }
        let added = match rng.below(100) {
            0..=54 => self.grant(rng, rules, false),
            55..=74 => self.pin(rng, rules),
            75..=80 => self.floor(rng, rules),
            81..=86 => self.shadowed(rng, rules),
            87..=92 => self.narrowed(rng, rules),
            _ => self.grant(rng, rules, true),
        };
        // When the kind drawn has nothing new left, any new grant or pin will do.
        added || self.grant(rng, rules, false) || self.pin(rng, rules)
    }

    /// A group, a system and a port. The first tries are what a rule base mostly holds: the
    /// system's own department and ports. Once those are taken, later tries spread to any
    /// department and to stale ports of systems long since moved, so big rule bases still
    /// find something new.
    pub(super) fn pick(&self, rng: &mut Rng, attempt: usize) -> (usize, usize, u16) {
        let s = rng.below(self.systems.len() as u64) as usize;
        let system = &self.systems[s];
        let usual = attempt < 3 && rng.percent(75);
        let users = &self.users[s];
        let g = if usual && !users.is_empty() {
            *rng.pick(users)
        } else {
            rng.below(self.groups.len() as u64) as usize
        };
        let port = if usual || rng.percent(50) {
            *rng.pick(system.ports)
        } else {
            *rng.pick(STALE_PORTS)
        };
        (g, s, port)
    }

    /// One terminal of a group.
    pub(super) fn member(&self, rng: &mut Rng, g: usize) -> u32 {
        let group = self.groups[g].1;
        group.first + rng.below(group.count) as u32
    }

    pub(super) fn group(&self, g: usize) -> Selector {
        Selector::Host(self.groups[g].1.host.clone())
    }

    /// An allow of one terminal, logged as such allows usually are.
    pub(super) fn pinned(&self, ip: u32, g: usize, s: usize, port: u16) -> Rule {
        let (office, system) = (self.groups[g].0, &self.systems[s]);
        allow(addr(ip), system.sel.clone(), vec![tcp(port)])
            .entering(&office.net.role)
            .log(format!("特定端末: {} 連携", system.name))
    }

    /// An allow of a system for a whole department; `pin_first`: one of its terminals was
    /// registered just before (that pin is redundant).
    pub(super) fn grant(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>, pin_first: bool) -> bool {
        for attempt in 0..ATTEMPTS {
            let (g, s, port) = self.pick(rng, attempt);
            if self.opened.contains_key(&(g, s, port)) || self.floors.contains(&(s, port)) {
                continue;
            }
            if pin_first {
                let ip = self.member(rng, g);
                self.pins.insert((ip, s, port));
                // Not logged: a logged rule is kept on purpose, never called redundant.
                let pin = Rule {
                    log: false,
                    ..self.pinned(ip, g, s, port)
                };
                rules.push(pin);
            }
            let system = &self.systems[s];
            let why = format!("{}: {}", self.groups[g].1.dept.1, system.name);
            rules.push(allow(self.group(g), system.sel.clone(), vec![tcp(port)]).why(why));
            self.opened.insert((g, s, port), Opened::Group);
            self.touched.insert((s, port));
            self.grants.push((g, s, port));
            return true;
        }
        false
    }

    /// An allow of one terminal to one system and port (特定端末), logged.
    pub(super) fn pin(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>) -> bool {
        for attempt in 0..ATTEMPTS {
            let (g, s, port) = self.pick(rng, attempt);
            let open = self.opened.get(&(g, s, port)) == Some(&Opened::Group);
            let ip = self.member(rng, g);
            if open || self.floors.contains(&(s, port)) || !self.pins.insert((ip, s, port)) {
                continue;
            }
            rules.push(self.pinned(ip, g, s, port));
            self.opened.insert((g, s, port), Opened::Pinned);
            self.touched.insert((s, port));
            return true;
        }
        false
    }

    /// A system opened to a whole office segment except one department, denied just before.
    pub(super) fn floor(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>) -> bool {
        for attempt in 0..ATTEMPTS {
            let (g, s, port) = self.pick(rng, attempt);
            if self.touched.contains(&(s, port)) {
                continue;
            }
            let ((office, group), system) = (self.groups[g], &self.systems[s]);
            let why = format!("{} には {} を使わせない", group.dept.1, system.name);
            rules.push(deny(self.group(g), system.sel.clone(), vec![tcp(port)]).log(why));
            let why = format!("{} をフロア全体に開放", system.name);
            rules.push(allow(segment(&office.net), system.sel.clone(), vec![tcp(port)]).why(why));
            self.floors.insert((s, port));
            self.touched.insert((s, port));
            return true;
        }
        false
    }

    /// An old allow of an admin port that an earlier deny has closed: it can never match.
    pub(super) fn shadowed(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>) -> bool {
        let Some(closed) = self.closed.clone() else {
            return false;
        };
        let g = rng.below(self.groups.len() as u64) as usize;
        let port = *rng.pick(&[3389, 22, 5985]);
        rules.push(allow(self.group(g), closed, vec![tcp(port)]).why("保守用 (旧ルール・未使用)"));
        true
    }

    /// One terminal registered again though its whole department is allowed: never matches.
    pub(super) fn narrowed(&mut self, rng: &mut Rng, rules: &mut Vec<Rule>) -> bool {
        if self.grants.is_empty() {
            return false;
        }
        let (g, s, port) = *rng.pick(&self.grants);
        let ip = self.member(rng, g);
        let system = &self.systems[s];
        let rule = allow(addr(ip), system.sel.clone(), vec![tcp(port)]);
        rules.push(rule.why(format!("{} (個別登録・重複)", system.name)));
        true
    }
}
