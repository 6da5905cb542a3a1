//! iptables-save output → one firewall: the `*filter` table's FORWARD chain (and the `*nat`
//! table's translations).
//!
//! - FORWARD's policy (`:FORWARD DROP`) is the firewall's default; its rules, in order, are
//!   the policy list, first match wins. `-j USER-CHAIN` is flattened at the jump: the chain's
//!   rules are inlined, each narrowed by the jump's conditions; `-j RETURN` ends the chain (a
//!   conditional RETURN removes its packets from the rest of the chain, exactly, by splitting
//!   the later rules); `-g CHAIN` is a jump after which the calling chain ends for the packets
//!   it took. A jump cycle or a jump to an undefined chain is an error, as iptables-restore
//!   refuses both.
//! - `-s`/`-d` (with `!`, lists, `-m iprange`), `-p`, `--dport`/`--dports` (with `!`), `-i`/`-o`
//!   (with `+` wildcards and `!`) are kept exactly: interface names are resolved through the
//!   mapping, so `! -i eth0` means every other mapped interface.
//! - `-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT` (or `-m state`) makes the firewall
//!   stateful and is not imported as a rule: replies are the model's `stateful`. Without one,
//!   the firewall is imported as stateless.
//! - What the model cannot express (source ports, ipsets, rate limits, ICMP types) makes a rule
//!   inexact: an ACCEPT is read without the condition (it can only add reachability), a DROP is
//!   left out; both with a warning. LOG and other non-terminating targets are warned about and
//!   skipped. INPUT and OUTPUT filter the host itself; the raw, mangle and security tables'
//!   drops come before FORWARD; the nat table becomes NAT entries (`nat.rs`).

mod nat;

use super::common::{self, Approximations, Interfaces, Match, Warnings};
use super::ipset::IpSets;
use super::{ImportError, Imported, Mapping};
use crate::model::service::{TCP, UDP};
use crate::model::{Action, AddrRange, Rule, Service};
use std::collections::{BTreeMap, BTreeSet};

/// What a rule does with the packets it matches.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Accept,
    Drop,
    Return,
    Jump(String),
    Goto(String),
    /// A target that does not decide (LOG, NFLOG, MARK ...) or no `-j` at all.
    NonTerminating(String),
    /// NFQUEUE/QUEUE: a user-space program decides; read as ACCEPT (it may accept).
    Queue(String),
}

/// Extension targets are spelled in capitals (`SET`, `TEE`, `CHECKSUM`); a jump to such a name
/// that is no chain is an unknown target rather than a broken configuration.
fn looks_like_target(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Connection-tracking states a rule is restricted to (`None`: no state match).
#[derive(Clone, Debug, PartialEq)]
enum States {
    Any,
    /// Only packets of connections already seen (replies): the model's `stateful`.
    RepliesOnly,
    /// Only INVALID/UNTRACKED packets: not part of any flow.
    NoFlow,
}

/// One `-A` line, parsed.
#[derive(Clone, Debug)]
struct Line {
    line: usize,
    m: Match,
    /// Conditions the model cannot express were dropped from `m` (an over-approximation).
    inexact: Vec<String>,
    states: States,
    target: Target,
    comment: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Chain {
    /// `Some((policy, line))` for built-in chains.
    policy: Option<(String, usize)>,
    line: usize,
    rules: Vec<Line>,
    /// Rules counted but not parsed (INPUT, OUTPUT).
    skipped: usize,
}

/// Splits an iptables-save line into words (`"…"` quoted with backslash escapes, as
/// iptables-save writes comments and log prefixes).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// `10.0.0.0/8`, `10.0.0.1`, `10.0.0.0/255.0.0.0`, or a comma-separated list of them.
fn addresses(text: &str) -> Result<Vec<AddrRange>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        if part.contains(':') {
            return Err("IPv6 addresses are not modelled (ip6tables)".into());
        }
        out.push(common::parse_cidr(part).ok_or(format!("`{part}` is not an IPv4 address"))?);
    }
    Ok(common::normalize(out))
}

/// `80`, `1024:65535`, `:1023`, `1024:` (iptables port ranges), or a service name.
fn port_range(text: &str, proto: Option<u8>) -> Option<(u16, u16)> {
    let port = |s: &str, default: u16| -> Option<u16> {
        if s.is_empty() {
            return Some(default);
        }
        s.parse()
            .ok()
            .or_else(|| proto.and_then(|p| common::port_by_name(p, s)))
    };
    let (a, b) = match text.split_once(':') {
        Some((a, b)) => (port(a, 0)?, port(b, u16::MAX)?),
        None => {
            let p = port(text, 0)?;
            (p, p)
        }
    };
    (a <= b).then_some((a, b))
}

/// Parser state for one `-A` line.
struct RuleParser<'a, 'm> {
    line: usize,
    ifs: &'a mut Interfaces<'m>,
    w: &'a mut Warnings,
    m: Match,
    inexact: Vec<String>,
    proto: Option<u8>,
    proto_negated: bool,
    /// Destination port ranges (`--dport`, `--dports`), already complemented when negated.
    ports: Option<Vec<(u16, u16)>>,
    states: States,
    target: Target,
    comment: Option<String>,
    /// The match module of the options being read (`-m mark`), for messages.
    module: Option<String>,
    /// The `ipset save` dump given with `--ipset`.
    ipsets: Option<&'a IpSets>,
}

impl RuleParser<'_, '_> {
    fn interfaces(&mut self, pattern: &str, negated: bool) -> BTreeSet<String> {
        let matches = |name: &str| match pattern.strip_suffix('+') {
            Some(prefix) => name.starts_with(prefix),
            None => name == pattern,
        };
        let mapped: BTreeSet<String> = self
            .ifs
            .mapped()
            .filter(|n| matches(n))
            .map(str::to_string)
            .collect();
        if mapped.is_empty() && !negated {
            // Warns once about the unmapped name; the rule then matches nothing modelled.
            let _ = self.ifs.resolve(pattern, self.line, self.w);
        }
        if negated {
            self.ifs
                .mapped()
                .filter(|n| !mapped.contains(*n))
                .map(str::to_string)
                .collect()
        } else {
            mapped
        }
    }

    fn set_addresses(&mut self, dst: bool, ranges: Vec<AddrRange>, negated: bool) {
        let ranges = if negated {
            common::complement(&ranges)
        } else {
            ranges
        };
        let slot = if dst {
            &mut self.m.dst
        } else {
            &mut self.m.src
        };
        *slot = Some(match slot.take() {
            Some(old) => common::intersect(&old, &ranges),
            None => ranges,
        });
    }

    fn set_ports(&mut self, ranges: Vec<(u16, u16)>, negated: bool) {
        let mut ranges = common::normalize_services(
            ranges
                .into_iter()
                .map(|(a, b)| common::ports(TCP, a, b))
                .collect(),
        );
        if negated {
            ranges = common::complement_services(&ranges)
                .into_iter()
                .filter(|s| matches!(s, Service::Proto { proto, .. } if *proto == TCP))
                .collect();
        }
        // A second port match on the same rule (`--dport` and `--dports`) narrows the first.
        if let Some(old) = &self.ports {
            let old: Vec<Service> = old
                .iter()
                .map(|(a, b)| common::ports(TCP, *a, *b))
                .collect();
            ranges = common::intersect_services(&old, &ranges);
        }
        let list = ranges
            .into_iter()
            .filter_map(|s| match s {
                Service::Proto { ports, .. } => Some((ports.first, ports.last)),
                Service::Any => None,
            })
            .collect();
        self.ports = Some(list);
    }

    fn inexact(&mut self, what: impl Into<String>) {
        self.inexact.push(what.into());
    }

    /// `-m set --match-set NAME src|dst[,…]`: the set's addresses from the dump, exactly when
    /// the set has one address dimension; otherwise (no dump, a set it lacks, other
    /// dimensions) the rule is inexact.
    fn match_set(&mut self, name: &str, flags: &str, negated: bool) {
        let dst = flags.split(',').next() == Some("dst");
        let resolved = self.ipsets.and_then(|s| s.resolve(name));
        match resolved {
            Some(r) => {
                match (&r.inexact, negated) {
                    (None, _) => self.set_addresses(dst, r.ranges, negated),
                    // The address part bounds a set of more dimensions from above (unless
                    // entries come and go); its negation bounds nothing.
                    (Some(_), false) if r.bounded => self.set_addresses(dst, r.ranges, false),
                    (Some(_), _) => {}
                }
                if let Some(why) = r.inexact {
                    self.inexact(format!("`--match-set {name}` ({why})"));
                }
            }
            None => {
                let why = if self.ipsets.is_some() {
                    "a set the `--ipset` dump does not have"
                } else {
                    "an ipset"
                };
                self.w.warn_on(
                    self.line,
                    "ipsets not resolved (give their `ipset save` dump with `--ipset`)",
                    format!("`--match-set {name}`: {why}, whose addresses are not known here"),
                );
                self.inexact(format!("`--match-set {name}` ({why})"));
            }
        }
    }

    fn states(&mut self, list: &str, negated: bool) {
        let all = [
            "NEW",
            "ESTABLISHED",
            "RELATED",
            "INVALID",
            "UNTRACKED",
            "SNAT",
            "DNAT",
        ];
        let named: BTreeSet<&str> = list.split(',').collect();
        let set: BTreeSet<&str> = if negated {
            all.iter().copied().filter(|s| !named.contains(s)).collect()
        } else {
            named
        };
        self.states = if set.contains("NEW") {
            States::Any
        } else if set.contains("ESTABLISHED") || set.contains("RELATED") {
            States::RepliesOnly
        } else {
            States::NoFlow
        };
    }

    /// The services: protocol and destination ports together.
    fn finish_services(&mut self) {
        let base: Option<Vec<Service>> = match (self.proto, self.proto_negated) {
            (None, _) => None,
            (Some(p), false) => Some(vec![common::protocol(p)]),
            (Some(p), true) => Some(common::complement_services(&[common::protocol(p)])),
        };
        self.m.services = match (&self.ports, base) {
            (None, base) => base,
            (Some(ports), base) => {
                let proto = self.proto.filter(|_| !self.proto_negated);
                let protos: Vec<u8> = match proto {
                    Some(p) if p == TCP || p == UDP => vec![p],
                    // `--dport` needs `-p tcp` or `-p udp` (iptables refuses it otherwise);
                    // a multiport match on `-p all` would apply to both.
                    _ => vec![TCP, UDP],
                };
                let list: Vec<Service> = protos
                    .iter()
                    .flat_map(|p| ports.iter().map(|(a, b)| common::ports(*p, *a, *b)))
                    .collect();
                let list = common::normalize_services(list);
                Some(match base {
                    Some(b) => common::intersect_services(&b, &list),
                    None => list,
                })
            }
        };
    }
}

/// Options that take no value.
const FLAGS: &[&str] = &[
    "--syn",
    "-f",
    "--fragment",
    "--log-tcp-sequence",
    "--log-tcp-options",
    "--log-ip-options",
    "--log-uid",
    "--clamp-mss-to-pmtu",
    "--queue-bypass",
    "--rsource",
    "--rdest",
    "--set",
    "--update",
    "--rcheck",
    "--remove",
];

/// Target options (after `-j`) that do not change what is matched.
const TARGET_OPTIONS: &[&str] = &[
    "--reject-with",
    "--log-prefix",
    "--log-level",
    "--nflog-group",
    "--nflog-prefix",
    "--nflog-range",
    "--nflog-threshold",
    "--queue-num",
    "--queue-balance",
    "--set-mark",
    "--set-xmark",
    "--set-mss",
    "--to-destination",
    "--to-source",
    "--to-ports",
    "--gateway",
];

/// One rule's options (after `-A CHAIN`) read into its match, target and comment.
///
/// Long on purpose: the body is one `match` over iptables' options, read as a table (each arm
/// one option and what it sets on the `RuleParser`); the arms share the cursor `i`, the
/// pending `!` and the `after_target` state, which splitting would have to thread through
/// every piece.
fn parse_rule(
    line: usize,
    args: &[String],
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
    ipsets: Option<&IpSets>,
) -> Result<Line, String> {
    let mut p = RuleParser {
        line,
        ifs,
        w,
        m: Match::default(),
        inexact: Vec::new(),
        proto: None,
        proto_negated: false,
        ports: None,
        states: States::Any,
        target: Target::NonTerminating("no target".into()),
        comment: None,
        module: None,
        ipsets,
    };
    let mut i = 0;
    let mut negated = false;
    // iptables-save writes the target's own options after `-j TARGET`: they match nothing.
    let mut after_target = false;
    let value = |i: &mut usize, opt: &str| -> Result<String, String> {
        *i += 1;
        args.get(*i)
            .cloned()
            .ok_or_else(|| format!("`{opt}` needs a value"))
    };
    while i < args.len() {
        let opt = args[i].as_str();
        if opt == "!" {
            negated = true;
            i += 1;
            continue;
        }
        if after_target && opt.starts_with('-') && !matches!(opt, "-j" | "--jump" | "-g" | "--goto")
        {
            while args.get(i + 1).is_some_and(|a| !a.starts_with('-')) {
                i += 1;
            }
            i += 1;
            negated = false;
            continue;
        }
        // The old syntax puts `!` after the option: `-s ! 10.0.0.0/8`.
        let take = |i: &mut usize| -> Result<(String, bool), String> {
            let v = value(i, opt)?;
            if v == "!" {
                return Ok((value(i, opt)?, true));
            }
            Ok((v, false))
        };
        match opt {
            "-s" | "--source" | "--src" | "-d" | "--destination" | "--dst" => {
                let (v, neg) = take(&mut i)?;
                let ranges = addresses(&v)?;
                p.set_addresses(
                    opt.starts_with("-d") || opt == "--dst",
                    ranges,
                    negated || neg,
                );
            }
            "--src-range" | "--dst-range" => {
                let (v, neg) = take(&mut i)?;
                let (a, b) = v
                    .split_once('-')
                    .ok_or(format!("`{v}` is not an address range"))?;
                let range = AddrRange::parse(&format!("{a}-{b}"))?;
                p.set_addresses(opt == "--dst-range", vec![range], negated || neg);
            }
            "-p" | "--protocol" => {
                let (v, neg) = take(&mut i)?;
                if v == "all" || v == "0" {
                    if negated || neg {
                        p.m.services = Some(Vec::new());
                    }
                } else {
                    let n =
                        common::protocol_by_name(&v).ok_or(format!("unknown protocol `{v}`"))?;
                    p.proto = Some(n);
                    p.proto_negated = negated || neg;
                }
            }
            "-i" | "--in-interface" | "-o" | "--out-interface" => {
                let (v, neg) = take(&mut i)?;
                let set = p.interfaces(&v, negated || neg);
                if opt.starts_with("-i") || opt == "--in-interface" {
                    p.m.in_if = Some(set);
                } else {
                    p.m.out_if = Some(set);
                }
            }
            "--dport" | "--destination-port" | "--dports" | "--destination-ports" => {
                let (v, neg) = take(&mut i)?;
                let ranges: Option<Vec<(u16, u16)>> =
                    v.split(',').map(|r| port_range(r, p.proto)).collect();
                let ranges = ranges.ok_or(format!("`{v}` is not a port or port range"))?;
                p.set_ports(ranges, negated || neg);
            }
            "--sport" | "--source-port" | "--sports" | "--source-ports" | "--ports" => {
                let _ = take(&mut i)?;
                p.inexact(format!("`{opt}` (a source port)"));
            }
            "--ctstate" | "--state" => {
                let (v, neg) = take(&mut i)?;
                p.states(&v, negated || neg);
            }
            "--comment" => {
                let (v, _) = take(&mut i)?;
                p.comment = Some(v);
            }
            "--icmp-type" => {
                let _ = take(&mut i)?;
                p.inexact("`--icmp-type` (an ICMP type)");
            }
            "--tcp-flags" => {
                let _mask = take(&mut i)?;
                let (set, _) = take(&mut i)?;
                // `--tcp-flags … SYN` picks the first packet of a connection: at the level of
                // flows it matches the connection. Other flag tests pick odd packets.
                if set != "SYN" {
                    p.inexact("`--tcp-flags` other than SYN");
                }
            }
            "--syn" => {}
            "-m" | "--match" => {
                let (m, _) = take(&mut i)?;
                p.module = Some(m);
            }
            "--match-set" => {
                let (name, neg) = take(&mut i)?;
                let (flags, _) = take(&mut i)?;
                p.match_set(&name, &flags, negated || neg);
            }
            "--return-nomatch" | "--update-counters" | "--update-subcounters" => {}
            "-j" | "--jump" | "-g" | "--goto" => {
                let (v, _) = take(&mut i)?;
                let goto = opt == "-g" || opt == "--goto";
                after_target = true;
                p.target = match v.as_str() {
                    "ACCEPT" => Target::Accept,
                    "DROP" | "REJECT" => Target::Drop,
                    "RETURN" => Target::Return,
                    "LOG" | "NFLOG" | "ULOG" | "MARK" | "CONNMARK" | "TCPMSS" | "CT"
                    | "NOTRACK" | "TRACE" | "AUDIT" | "CLASSIFY" | "DSCP" | "TOS" | "TEE" => {
                        Target::NonTerminating(v)
                    }
                    "NFQUEUE" | "QUEUE" => Target::Queue(v),
                    c if goto => Target::Goto(c.to_string()),
                    c => Target::Jump(c.to_string()),
                };
            }
            o if FLAGS.contains(&o) => {
                if o == "-f" || o == "--fragment" {
                    p.inexact("`-f` (fragments)");
                }
            }
            o if TARGET_OPTIONS.contains(&o) => {
                let _ = take(&mut i)?;
            }
            o if o.starts_with('-') => {
                // Any other match option: read its values and say the rule is approximate.
                let what = match &p.module {
                    Some(m) => format!("`-m {m} {o}`"),
                    None => format!("`{o}`"),
                };
                p.inexact(what);
                while args.get(i + 1).is_some_and(|a| !a.starts_with('-')) {
                    i += 1;
                }
            }
            o => return Err(format!("unexpected `{}`", common::excerpt(o))),
        }
        negated = false;
        i += 1;
    }
    p.finish_services();
    Ok(Line {
        line,
        m: p.m,
        inexact: p.inexact,
        states: p.states,
        target: p.target,
        comment: p.comment,
    })
}

// ---------------------------------------------------------------------------------------------
// Flattening
// ---------------------------------------------------------------------------------------------

/// The packets that reach a point of a chain: as read for allow rules (an over-approximation)
/// and for deny rules (an under-approximation, empty once an inexact condition is on the way),
/// with what makes them differ.
#[derive(Clone, Debug)]
struct Ctx {
    allow: Vec<Match>,
    deny: Vec<Match>,
    /// Why the allow side may hold packets the device would not bring here (a jump or a
    /// RETURN with a condition sansou cannot express): approximation texts.
    widened: Vec<String>,
    /// Why the deny side may lack packets the device would bring here (conditions that are
    /// not packet fields: see `common::is_packet_field`), with the line of the rule.
    narrowed: Vec<String>,
}

impl Ctx {
    fn everything() -> Ctx {
        Ctx {
            allow: vec![Match::default()],
            deny: vec![Match::default()],
            widened: Vec::new(),
            narrowed: Vec::new(),
        }
    }
}

/// Packets a RETURN or goto took out of the rest of a chain.
struct Guard {
    m: Match,
    exact: bool,
    line: usize,
    inexact: Vec<String>,
}

fn minus(pieces: &[Match], guard: &Match, all: &BTreeSet<String>) -> Vec<Match> {
    let not = guard.not(all);
    pieces
        .iter()
        .flat_map(|p| not.iter().map(move |n| p.and(n)))
        .filter(|m| !m.is_empty())
        .collect()
}

fn and_all(pieces: &[Match], m: &Match) -> Vec<Match> {
    pieces
        .iter()
        .map(|p| p.and(m))
        .filter(|m| !m.is_empty())
        .collect()
}

/// More rules than this from one configuration means splitting went out of hand.
const MAX_RULES: usize = 200_000;
/// The most pieces the packets reaching one rule may be split into by conditional RETURNs.
const MAX_PIECES: usize = 10_000;

/// The conditions of an inexact rule that are assumptions (not packet fields flows lack).
fn assumed(inexact: &[String]) -> Vec<String> {
    inexact
        .iter()
        .filter(|w| !common::is_packet_field(w))
        .cloned()
        .collect()
}

struct Flattener<'a> {
    file: &'a str,
    /// The table whose chains are flattened (`filter`, or a table of drops before it).
    table: &'a str,
    chains: &'a BTreeMap<String, Chain>,
    all: BTreeSet<String>,
    rules: Vec<Rule>,
    reached: BTreeSet<String>,
    stateful: bool,
    approx: Approximations,
    w: &'a mut Warnings,
}

impl<'a> Flattener<'a> {
    /// A flattener for a chain of a table other than `filter`, from nothing flattened yet.
    fn stage(
        file: &'a str,
        table: &'a str,
        chains: &'a BTreeMap<String, Chain>,
        all: &BTreeSet<String>,
        w: &'a mut Warnings,
    ) -> Flattener<'a> {
        Flattener {
            file,
            table,
            chains,
            all: all.clone(),
            rules: Vec::new(),
            reached: BTreeSet::new(),
            stateful: false,
            approx: Approximations::default(),
            w,
        }
    }

    /// Whether this is the filter table (the others only drop or pass packets on).
    fn filter(&self) -> bool {
        self.table == "filter"
    }

    fn flatten(
        &mut self,
        name: &str,
        ctx: &Ctx,
        stack: &mut Vec<(String, usize)>,
    ) -> Result<(), ImportError> {
        let chains = self.chains;
        let chain = &chains[name];
        self.reached.insert(name.to_string());
        let mut guards: Vec<Guard> = Vec::new();
        for r in &chain.rules {
            if self.rules.len() > MAX_RULES {
                return Err(ImportError::at_line(
                    r.line,
                    format!("flattening the chains gives more than {MAX_RULES} rules"),
                ));
            }
            // The packets that get this far in the chain.
            let here = self.past_guards(ctx, &guards, r.line)?;
            let exact = r.inexact.is_empty();
            let origin = common::origin(self.file, r.line);
            let mut taken = Ctx {
                allow: and_all(&here.allow, &r.m),
                deny: if exact {
                    and_all(&here.deny, &r.m)
                } else {
                    Vec::new()
                },
                widened: here.widened.clone(),
                narrowed: here.narrowed.clone(),
            };
            // This rule's own conditions that are assumptions: for a DROP, its own; for a
            // jump, the rules of the chain it jumps to inherit them.
            let own = assumed(&r.inexact);
            if !exact {
                taken
                    .widened
                    .push(common::widened(&origin, &r.inexact.join(", ")));
            }
            let reason = self.reason(name, r.comment.as_deref(), stack);
            if !self.decides_new_flows(r) {
                continue;
            }
            if !exact {
                self.warn_inexact(r);
            }
            match &r.target {
                Target::Accept | Target::Queue(_) => {
                    if let Target::Queue(q) = &r.target {
                        self.w.warn(
                            r.line,
                            format!(
                                "`-j {q}` hands packets to a user-space program: read as ACCEPT"
                            ),
                        );
                    }
                    self.emit(
                        Action::Allow,
                        &taken.allow,
                        (r.line, r.comment.as_deref()),
                        &reason,
                        &taken.widened,
                    );
                }
                Target::Drop => {
                    // What this DROP may take beyond what it surely takes, when that rests on
                    // more than packet fields.
                    let mut why = own.clone();
                    why.extend(taken.narrowed.iter().cloned());
                    if !why.is_empty() {
                        let note = common::dropped(&origin, &why.join("; "));
                        for m in &taken.allow {
                            self.approx
                                .dropped(self.rules.len(), m.clone(), note.clone());
                        }
                    }
                    self.emit(
                        Action::Deny,
                        &taken.deny,
                        (r.line, r.comment.as_deref()),
                        &reason,
                        &[],
                    );
                }
                Target::Return => {
                    if r.m == Match::default() && exact {
                        break;
                    }
                    guards.push(Guard {
                        m: r.m.clone(),
                        exact,
                        line: r.line,
                        inexact: r.inexact.clone(),
                    });
                }
                Target::Jump(c) | Target::Goto(c)
                    if !chains.contains_key(c) && looks_like_target(c) =>
                {
                    if self.filter() {
                        self.w.warn(
                            r.line,
                            format!(
                                "unknown target `{c}` (not a chain of the filter table): rule skipped"
                            ),
                        );
                    }
                }
                Target::Jump(c) | Target::Goto(c) => {
                    if !own.is_empty() {
                        taken
                            .narrowed
                            .push(format!("{} of the jump at {origin}", own.join(", ")));
                    }
                    self.jump(r, c, &taken, stack)?;
                    if matches!(r.target, Target::Goto(_)) {
                        guards.push(Guard {
                            m: r.m.clone(),
                            exact,
                            line: r.line,
                            inexact: r.inexact.clone(),
                        });
                    }
                }
                // Marks, connection-tracking settings and logs are what the tables before
                // the filter table are for: not a decision.
                Target::NonTerminating(_) if !self.filter() => {}
                Target::NonTerminating(t) => self.w.warn_on(
                    r.line,
                    "targets that do not decide (LOG, MARK …) skipped",
                    format!("`{t}` does not decide what is forwarded: skipped"),
                ),
            }
        }
        Ok(())
    }

    /// The packets of `ctx` that get past the conditional RETURNs (and gotos) before the rule
    /// at `line`: an exact guard takes its packets away; one with conditions sansou cannot
    /// express is assumed not to match (said on the allow side, kept on the deny side).
    fn past_guards(&self, ctx: &Ctx, guards: &[Guard], line: usize) -> Result<Ctx, ImportError> {
        let mut here = ctx.clone();
        for g in guards {
            if g.exact {
                here.allow = minus(&here.allow, &g.m, &self.all);
            } else {
                here.widened.push(format!(
                    "assumes the RETURN at {} does not match: {} not modelled",
                    common::origin(self.file, g.line),
                    g.inexact.join(", ")
                ));
                let sure = assumed(&g.inexact);
                if !sure.is_empty() {
                    here.narrowed.push(format!(
                        "{} of the RETURN at {}",
                        sure.join(", "),
                        common::origin(self.file, g.line)
                    ));
                }
            }
            here.deny = minus(&here.deny, &g.m, &self.all);
            // Each conditional RETURN may split the packets after it into several
            // pieces; a chain built to defeat that is refused rather than left running.
            if here.allow.len() + here.deny.len() > MAX_PIECES {
                return Err(ImportError::at_line(
                    line,
                    format!(
                        "the conditional RETURNs before this rule split it into more than {MAX_PIECES} pieces"
                    ),
                ));
            }
        }
        Ok(here)
    }

    /// A rule's reason: its comment, with the chain (and table) it came from when that is not
    /// the filter table's FORWARD.
    fn reason(
        &self,
        name: &str,
        comment: Option<&str>,
        stack: &[(String, usize)],
    ) -> Option<String> {
        let top = stack.first().map_or("FORWARD", |(c, _)| c.as_str());
        match (comment, name == top, self.filter()) {
            (Some(c), true, true) => Some(c.to_string()),
            (Some(c), true, false) => Some(format!("{} {name}: {c}", self.table)),
            (Some(c), false, _) => Some(format!("{name}: {c}")),
            (None, true, true) => None,
            (None, true, false) => Some(format!("{} {name}", self.table)),
            (None, false, _) => Some(name.to_string()),
        }
    }

    /// Whether a rule decides about new flows. Rules for replies only (an ACCEPT of them
    /// makes the firewall stateful) and for packets of no flow are not imported.
    fn decides_new_flows(&mut self, r: &Line) -> bool {
        match r.states {
            States::RepliesOnly => {
                if r.target == Target::Accept && self.filter() {
                    self.stateful = true;
                    if r.m != Match::default() {
                        self.w.warn(
                            r.line,
                            "replies are accepted only under conditions; the model lets replies to every allowed flow return",
                        );
                    }
                } else if r.target != Target::Accept {
                    self.w.warn_on(
                        r.line,
                        "rules only for packets of established connections not imported",
                        "rule matches only packets of established connections: not a forwarding decision for new flows, not imported",
                    );
                }
                false
            }
            States::NoFlow => {
                self.w.warn_on(
                    r.line,
                    "rules only for INVALID/UNTRACKED packets not imported",
                    "rule matches only INVALID/UNTRACKED packets, which belong to no flow: not imported",
                );
                false
            }
            States::Any => true,
        }
    }

    /// Says how a rule with conditions sansou cannot express is read.
    fn warn_inexact(&mut self, r: &Line) {
        let how = match &r.target {
            Target::Accept | Target::Queue(_) => {
                Some("the ACCEPT is read without it (it may allow more than the device)")
            }
            Target::Drop => Some("the DROP is left out (it may block less than the device)"),
            Target::Jump(c) | Target::Goto(c) if self.chains.contains_key(c) => Some(
                "in the chain it jumps to, ACCEPT rules are read without it and DROP rules are left out",
            ),
            Target::Return => Some(
                "the rules after it are read as if it returned nothing (for ACCEPT) or everything it may return (for DROP)",
            ),
            _ => None,
        };
        if let Some(how) = how {
            let what = r.inexact.join(", ");
            self.w.warn_on(
                r.line,
                "conditions sansou cannot express (rules read approximately, marked in the output)",
                format!("{what} cannot be modelled: {how}"),
            );
        }
    }

    /// A jump (or goto) to a user-defined chain: its rules flattened in place with the
    /// packets `taken`, refusing built-in chains and cycles.
    fn jump(
        &mut self,
        r: &Line,
        c: &str,
        taken: &Ctx,
        stack: &mut Vec<(String, usize)>,
    ) -> Result<(), ImportError> {
        let chains = self.chains;
        if !chains.contains_key(c) || chains[c].policy.is_some() {
            return Err(ImportError::at_line(
                r.line,
                format!(
                    "jump to `{c}`, which is not a user-defined chain of the {} table",
                    self.table
                ),
            ));
        }
        if let Some(pos) = stack.iter().position(|(s, _)| s == c) {
            let cycle: Vec<String> = stack[pos..]
                .iter()
                .map(|(s, l)| format!("{s} (line {l})"))
                .collect();
            return Err(ImportError::at_line(
                r.line,
                format!("chain jumps form a cycle: {} → {c}", cycle.join(" → ")),
            ));
        }
        stack.push((c.to_string(), r.line));
        self.flatten(c, taken, stack)?;
        stack.pop();
        Ok(())
    }

    fn emit(
        &mut self,
        action: Action,
        pieces: &[Match],
        (line, comment): (usize, Option<&str>),
        reason: &Option<String>,
        widened: &[String],
    ) {
        for m in pieces {
            if let Some(mut rule) =
                m.to_rule(action, common::origin(self.file, line), reason.clone())
            {
                // The rule's own `-m comment --comment` is its id on the device.
                if let Some(c) = comment {
                    common::set_rule_id(&mut rule, c);
                }
                if !widened.is_empty() {
                    let mut notes = widened.to_vec();
                    notes.dedup();
                    rule.approximation = Some(notes.join("; "));
                }
                self.rules.push(rule);
            }
        }
    }
}

/// Where a nat-table rule sends packets when it is a DNAT (`--to-destination A[-B][:PORTS]`)
/// or a NETMAP (`--to A/LEN`): nothing for other targets, everything when it does not say.
fn dnat_targets(args: &[String]) -> Vec<AddrRange> {
    let target = args
        .iter()
        .position(|a| a == "-j" || a == "--jump")
        .and_then(|i| args.get(i + 1));
    let key = match target.map(String::as_str) {
        Some("DNAT") => "--to-destination",
        Some("NETMAP") => "--to",
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a != key {
            continue;
        }
        let Some(v) = args.get(i + 1) else { continue };
        if v.starts_with('[') {
            continue;
        }
        let addr = v.split(':').next().unwrap_or(v);
        let range = match addr.split_once('-') {
            Some((a, b)) => AddrRange::parse(&format!("{a}-{b}")).ok(),
            None => common::parse_cidr(addr),
        };
        out.push(range.unwrap_or(AddrRange::ALL));
    }
    if out.is_empty() {
        out.push(AddrRange::ALL);
    }
    out
}

/// The chains of the tables before and after `filter` that a forwarded packet goes through,
/// in order. Each can only drop a packet or pass it on (ACCEPT there ends that chain, not the
/// journey), so their drops come before the filter table's rules, whatever their order.
const DROP_STAGES: &[(&str, &str)] = &[
    ("raw", "PREROUTING"),
    ("mangle", "PREROUTING"),
    ("mangle", "FORWARD"),
    ("security", "FORWARD"),
    ("mangle", "POSTROUTING"),
];

/// The packets one of [`DROP_STAGES`] drops, as deny rules: each DROP without what an earlier
/// ACCEPT of the stage passed on; the stage's DROP policy for what no rule took.
///
/// `rewritten` are the destinations DNAT may rewrite packets to after this stage: a drop that
/// tests the destination here sees it before the rewrite, so on those destinations (the
/// model's packets carry them after) it is left out, and later allows assume so.
#[allow(clippy::too_many_arguments)]
fn stage_drops(
    file: &str,
    table: &str,
    chain: &str,
    chains: &BTreeMap<String, Chain>,
    all: &BTreeSet<String>,
    rewritten: &[AddrRange],
    w: &mut Warnings,
    approx: &mut Approximations,
) -> Result<(Vec<Rule>, BTreeSet<String>), ImportError> {
    let mut flat = Flattener::stage(file, table, chains, all, w);
    flat.flatten(chain, &Ctx::everything(), &mut vec![(chain.to_string(), 0)])?;
    let (list, reached, inner) = (flat.rules, flat.reached, flat.approx);
    // Drops of the stage left out or reduced: every later allow that overlaps them assumes so.
    for (_, m, note) in inner.into_entries() {
        approx.dropped(0, m, note);
    }
    let mut passed: Vec<(Match, Option<String>)> = Vec::new();
    let mut out = Vec::new();
    let cut = |pieces: Vec<Match>,
               passed: &[(Match, Option<String>)],
               approx: &mut Approximations,
               origin: &str| {
        let mut pieces = pieces;
        for (p, note) in passed {
            if let Some(n) = note {
                // An ACCEPT read widely passes on packets the device may drop here.
                for x in &pieces {
                    let both = x.and(p);
                    if !both.is_empty() {
                        approx.dropped(0, both, common::dropped(origin, n));
                    }
                }
            }
            pieces = minus(&pieces, p, all);
            if pieces.len() > MAX_PIECES {
                return None;
            }
        }
        Some(pieces)
    };
    let mut too_many = false;
    for r in &list {
        let m = Match::of_rule(r);
        if r.action == Action::Allow {
            passed.push((m, r.approximation.clone()));
            continue;
        }
        let origin = r.origin.clone().unwrap_or_default();
        let m = match &m.dst {
            Some(dst) if !rewritten.is_empty() && !common::intersect(dst, rewritten).is_empty() => {
                let after = Match {
                    dst: Some(common::intersect(dst, rewritten)),
                    ..m.clone()
                };
                approx.dropped(
                    0,
                    after,
                    common::dropped(
                        &origin,
                        "its destination before DNAT (the nat table rewrites destinations)",
                    ),
                );
                Match {
                    dst: Some(crate::model::ranges::subtract(dst, rewritten)),
                    ..m
                }
            }
            _ => m,
        };
        match cut(vec![m], &passed, approx, &origin) {
            Some(pieces) => {
                for p in pieces {
                    out.extend(p.to_rule(Action::Deny, origin.clone(), r.reason.clone()));
                }
            }
            None => too_many = true,
        }
    }
    if let Some((policy, line)) = &chains[chain].policy
        && policy == "DROP"
    {
        let origin = common::origin(file, *line);
        match cut(vec![Match::default()], &passed, approx, &origin) {
            Some(pieces) => {
                for p in pieces {
                    out.extend(p.to_rule(
                        Action::Deny,
                        origin.clone(),
                        Some(format!("{table} {chain} policy DROP")),
                    ));
                }
            }
            None => too_many = true,
        }
    }
    if too_many {
        w.warn(
            chains[chain].line,
            format!(
                "the ACCEPT rules of {table} {chain} split its drops into more than {MAX_PIECES} pieces: those drops are left out (this can only allow more than the device)"
            ),
        );
        out.retain(|_| false);
    }
    let reached = reached
        .into_iter()
        .map(|c| format!("{table} {c}"))
        .collect();
    Ok((out, reached))
}

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    // Files edited on Windows may start with a byte-order mark; it is not part of the syntax.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut w = Warnings::default();
    let mut ifs = Interfaces::new(map);
    let Save {
        mut tables,
        other_tables,
        dnat,
        nat_targets,
    } = read_save(text, map, &mut ifs, &mut w)?;
    warn_other_tables(&other_tables, &mut w);
    let mut chains = tables.remove("filter").unwrap_or_default();
    let forward_policy = chains.get("FORWARD").and_then(|c| c.policy.clone());
    let mut default = forward_default(&forward_policy, &mut chains, &mut w)?;

    let all: BTreeSet<String> = ifs.mapped().map(str::to_string).collect();
    let mut approx = Approximations::default();
    let (first_rules, mut reached_elsewhere) =
        drops_before_filter(file, &tables, &dnat, &all, &mut w, &mut approx)?;
    let (nat, nat_reached) = match tables.get("nat") {
        Some(chains) => nat::entries(file, chains, &all, &nat_targets, &mut w)?,
        None => Default::default(),
    };
    reached_elsewhere.extend(nat_reached);
    warn_unreached_tables(&tables, &reached_elsewhere, &mut w);

    let mut flat = Flattener {
        file,
        table: "filter",
        chains: &chains,
        all,
        rules: first_rules,
        reached: BTreeSet::new(),
        stateful: false,
        approx,
        w: &mut w,
    };
    flat.flatten(
        "FORWARD",
        &Ctx::everything(),
        &mut vec![("FORWARD".into(), 0)],
    )?;
    let (mut rules, reached, stateful, approx) =
        (flat.rules, flat.reached, flat.stateful, flat.approx);
    // Allows after a left-out DROP say so; an ACCEPT policy after one becomes a last rule
    // that says so too.
    let policy_origin = common::origin(file, forward_policy.as_ref().map_or(0, |(_, line)| *line));
    approx.finish(
        &mut rules,
        &mut default,
        policy_origin,
        Some("FORWARD policy ACCEPT".into()),
    );

    warn_unreached_filter_chains(&chains, &reached, &mut w);
    if !stateful && map.stateful.is_none() {
        w.warn(
            0,
            "no `--ctstate ESTABLISHED,RELATED -j ACCEPT` in FORWARD: imported as stateless (replies need rules of their own); set `stateful = true` in the mapping if the box accepts them elsewhere",
        );
    }
    let mut fw = common::firewall(map, &[], default, stateful);
    fw.rules = rules;
    fw.nat = nat;
    common::nat_filters_nothing(&mut fw.nat);
    apply_route_dump(map, &mut fw, &mut w);
    nat::drop_unaddressed_masquerades(&mut fw, &mut w);
    Ok(w.imported(fw))
}

/// An iptables-save file as read: its chains by table, and what the nat table says.
struct Save {
    tables: BTreeMap<String, BTreeMap<String, Chain>>,
    /// The tables besides `filter`: name, line, rules counted (for the messages).
    other_tables: Vec<(String, usize, usize)>,
    /// Where the nat table's DNAT rules send packets.
    dnat: Vec<AddrRange>,
    nat_targets: nat::Targets,
}

/// Reads every line into its table's chains, and refuses what is not iptables-save output
/// (IPv6, rules outside a table, a table not closed, no `*filter`).
fn read_save(
    text: &str,
    map: &Mapping,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Result<Save, ImportError> {
    let mut save = Save {
        tables: BTreeMap::new(),
        other_tables: Vec::new(),
        dnat: Vec::new(),
        nat_targets: nat::Targets::default(),
    };
    let mut table: Option<(String, usize)> = None;
    let mut filter_seen = false;
    let mut recognised = 0;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let t = raw.trim();
        // ip6tables-save writes the same syntax for IPv6: its rules without addresses would
        // read as IPv4 rules for everything, so the file is refused instead.
        if t.starts_with('#') && t.contains("ip6tables-save") {
            return Err(ImportError::at_line(
                line,
                "this is ip6tables-save output: IPv6 is not modelled; import the output of iptables-save (IPv4)",
            ));
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(name) = t.strip_prefix('*') {
            recognised += 1;
            if name == "filter" {
                filter_seen = true;
            } else {
                save.other_tables.push((name.to_string(), line, 0));
            }
            save.tables.entry(name.to_string()).or_default();
            table = Some((name.to_string(), line));
            continue;
        }
        if t == "COMMIT" {
            recognised += 1;
            table = None;
            continue;
        }
        let Some((table_name, _)) = &table else {
            if t.starts_with(':') || t.starts_with("-A") || t.starts_with('[') {
                return Err(ImportError::at_line(
                    line,
                    "rule or chain outside a table: iptables-save output starts each table with `*filter`, `*nat`, …",
                ));
            }
            w.warn(
                line,
                format!("line not understood: `{}`", common::excerpt(t)),
            );
            continue;
        };
        if read_table_line(&mut save, table_name, line, t, map, ifs, w)? {
            recognised += 1;
        }
    }
    if let Some((name, line)) = table {
        return Err(ImportError::at_line(
            line,
            format!("table `*{name}` is not closed by `COMMIT`"),
        ));
    }
    if recognised == 0 {
        return Err(ImportError::at_line(
            1,
            "this is not iptables-save output: no `*filter` table, chain or rule found",
        ));
    }
    if !filter_seen {
        return Err(ImportError::at_line(
            1,
            "no `*filter` table: there are no forwarding rules to import",
        ));
    }
    Ok(save)
}

/// One line inside a table: a chain declaration, a rule (`-A`), `-N` or `-P`. True when it
/// was recognised as one.
fn read_table_line(
    save: &mut Save,
    table_name: &str,
    line: usize,
    t: &str,
    map: &Mapping,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Result<bool, ImportError> {
    let in_filter = table_name == "filter";
    // Rules of the other tables are counted for the messages.
    if !in_filter
        && let Some(last) = save.other_tables.last_mut()
        && (t.starts_with("-A") || t.starts_with('['))
    {
        last.2 += 1;
    }
    // Where DNAT sends packets is noted: drops before it test the destination before the
    // rewrite. The nat table's chains are read like the others (see `nat.rs`).
    if table_name == "nat" && (t.contains("-A") || t.starts_with('[')) {
        save.dnat.extend(dnat_targets(&words(t)));
    }
    let chains = save.tables.get_mut(table_name).expect("entered above");
    // `iptables-save -c` prefixes counters: `[12:3456] -A FORWARD …`.
    let t = match t.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(_, r)| r).trim(),
        None => t,
    };
    let args = words(t);
    if let Some(decl) = t.strip_prefix(':') {
        let parts: Vec<&str> = decl.split_whitespace().collect();
        let Some(name) = parts.first() else {
            return Err(ImportError::at_line(
                line,
                "chain declaration without a name",
            ));
        };
        let policy = parts
            .get(1)
            .filter(|p| **p != "-")
            .map(|p| (p.to_string(), line));
        chains.insert(
            name.to_string(),
            Chain {
                policy,
                line,
                rules: Vec::new(),
                skipped: 0,
            },
        );
        return Ok(true);
    }
    match args.first().map(String::as_str) {
        Some("-A" | "--append") => {
            let Some(chain) = args.get(1) else {
                return Err(ImportError::at_line(line, "`-A` without a chain name"));
            };
            if !chains.contains_key(chain) {
                return Err(ImportError::at_line(
                    line,
                    format!(
                        "rule for chain `{chain}`, which is not declared (`:{chain} …`) before it"
                    ),
                ));
            }
            // INPUT and OUTPUT are only counted: their interfaces (`lo`) and addresses
            // are about the host itself and would only give misleading warnings.
            if matches!(chain.as_str(), "INPUT" | "OUTPUT") {
                chains.get_mut(chain).expect("checked").skipped += 1;
                return Ok(true);
            }
            match parse_rule(line, &args[2..], ifs, w, map.ipsets.as_ref()) {
                Ok(mut rule) => {
                    if table_name == "nat" {
                        save.nat_targets.read(&mut rule, &args[2..], w);
                    }
                    chains.get_mut(chain).expect("checked").rules.push(rule)
                }
                Err(e) => w.warn(line, format!("rule not imported: {e}")),
            }
            Ok(true)
        }
        Some("-N" | "--new-chain") => {
            if let Some(name) = args.get(1) {
                chains.entry(name.clone()).or_insert(Chain {
                    line,
                    ..Chain::default()
                });
            }
            Ok(true)
        }
        Some("-P" | "--policy") => {
            if let (Some(name), Some(policy)) = (args.get(1), args.get(2)) {
                chains.entry(name.clone()).or_default().policy = Some((policy.clone(), line));
            }
            Ok(true)
        }
        _ => {
            w.warn(
                line,
                format!("line not understood: `{}`", common::excerpt(t)),
            );
            Ok(false)
        }
    }
}

/// Warns about the tables that do not decide what is forwarded (`nat` and the tables with
/// drop stages are read).
fn warn_other_tables(other_tables: &[(String, usize, usize)], w: &mut Warnings) {
    for (name, line, rules) in other_tables {
        let why = match name.as_str() {
            "nat" => continue,
            t if DROP_STAGES.iter().any(|(s, _)| *s == t) => continue,
            _ => "it does not decide what is forwarded",
        };
        w.warn(
            *line,
            format!("table `{name}` ({rules} rule(s)) not imported: {why}"),
        );
    }
}

/// The FORWARD chain's policy as the list's default; a filter table without FORWARD gets one
/// with the fresh system's ACCEPT.
fn forward_default(
    forward_policy: &Option<(String, usize)>,
    chains: &mut BTreeMap<String, Chain>,
    w: &mut Warnings,
) -> Result<Action, ImportError> {
    Ok(match forward_policy {
        Some((p, _)) if p == "ACCEPT" => Action::Allow,
        Some((p, _)) if p == "DROP" => Action::Deny,
        Some((p, line)) => {
            return Err(ImportError::at_line(
                *line,
                format!("FORWARD policy `{p}`: a built-in chain's policy is ACCEPT or DROP"),
            ));
        }
        None => {
            w.warn(
                0,
                "the filter table has no FORWARD chain: its policy is ACCEPT, as on a fresh system",
            );
            chains.insert(
                "FORWARD".into(),
                Chain {
                    policy: Some(("ACCEPT".into(), 0)),
                    ..Chain::default()
                },
            );
            Action::Allow
        }
    })
}

/// The drops of the tables a forwarded packet meets besides `filter` (Docker's raw
/// PREROUTING drops, mangle drops), which come first in the list; with the chains they reach.
fn drops_before_filter(
    file: &str,
    tables: &BTreeMap<String, BTreeMap<String, Chain>>,
    dnat: &[AddrRange],
    all: &BTreeSet<String>,
    w: &mut Warnings,
    approx: &mut Approximations,
) -> Result<(Vec<Rule>, BTreeSet<String>), ImportError> {
    let mut first_rules = Vec::new();
    let mut reached_elsewhere: BTreeSet<String> = BTreeSet::new();
    for (table, chain) in DROP_STAGES {
        let Some(chains) = tables.get(*table) else {
            continue;
        };
        if !chains.contains_key(*chain) {
            continue;
        }
        // PREROUTING sees destinations before DNAT rewrites them; the model's packets carry
        // them after.
        let rewritten = if *chain == "PREROUTING" {
            common::normalize(dnat.to_vec())
        } else {
            Vec::new()
        };
        let (drops, reached) = stage_drops(file, table, chain, chains, all, &rewritten, w, approx)?;
        if !drops.is_empty() {
            w.warn_on(
                chains[*chain].line,
                "drops of tables other than `filter` imported before the filter table's rules",
                format!(
                    "{table} {chain}: its drops ({} rule(s)) apply to forwarded packets before the filter table: imported first",
                    drops.len()
                ),
            );
        }
        first_rules.extend(drops);
        reached_elsewhere.extend(reached);
    }
    Ok((first_rules, reached_elsewhere))
}

/// Warns about the chains of tables other than `filter` that hold rules but are not read
/// (not a drop stage, not reached from one or from the nat table's chains).
fn warn_unreached_tables(
    tables: &BTreeMap<String, BTreeMap<String, Chain>>,
    reached_elsewhere: &BTreeSet<String>,
    w: &mut Warnings,
) {
    for (table, chains) in tables {
        for (name, chain) in chains {
            let count = chain.rules.len() + chain.skipped;
            if count == 0 || reached_elsewhere.contains(&format!("{table} {name}")) {
                continue;
            }
            if DROP_STAGES.iter().any(|(t, c)| t == table && c == name) {
                continue;
            }
            let why = if chain.policy.is_some() {
                "filters traffic to or from this host itself, or after routing decisions sansou does not model: not imported"
            } else {
                "is not reached from a chain that forwarded packets go through: not imported"
            };
            w.warn(
                chain.line,
                format!("chain {name} of table `{table}` ({count} rule(s)) {why}"),
            );
        }
    }
}

/// Warns about the filter table's chains that FORWARD does not reach (INPUT and OUTPUT: the
/// host's own traffic).
fn warn_unreached_filter_chains(
    chains: &BTreeMap<String, Chain>,
    reached: &BTreeSet<String>,
    w: &mut Warnings,
) {
    for (name, chain) in chains {
        let count = chain.rules.len() + chain.skipped;
        match name.as_str() {
            "FORWARD" => {}
            "INPUT" | "OUTPUT" if count > 0 => w.warn(
                chain.line,
                format!("chain {name} ({count} rule(s)) filters traffic to or from this host itself, not forwarded traffic: not imported"),
            ),
            "INPUT" | "OUTPUT" => {}
            _ if !reached.contains(name) && chain.policy.is_none() => w.warn(
                chain.line,
                format!("chain {name} ({count} rule(s)) is not reached from FORWARD: not imported"),
            ),
            _ => {}
        }
    }
}

/// The routing table, from the `ip route` dump given with `--routes` (its lines are the
/// dump's: its warnings and routes name that file).
fn apply_route_dump(map: &Mapping, fw: &mut crate::model::Firewall, w: &mut Warnings) {
    if let Some(dump) = &map.routes {
        let mut routed = Warnings::default();
        dump.table
            .clone()
            .apply(fw, &dump.file, &dump.subnets, &mut routed);
        for x in dump.warnings.iter().cloned().chain(routed.into_sorted()) {
            w.push(super::Warning {
                message: format!("{}:{}: {}", dump.file, x.line, x.message),
                line: 0,
                ..x
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quoted_comments() {
        assert_eq!(
            words(r#"-A FORWARD -m comment --comment "to \"web\" proxy" -j ACCEPT"#),
            vec![
                "-A",
                "FORWARD",
                "-m",
                "comment",
                "--comment",
                "to \"web\" proxy",
                "-j",
                "ACCEPT"
            ]
        );
    }

    #[test]
    fn ip6tables_output_is_refused() {
        let map = Mapping::new("fw", []);
        let text = "# Generated by ip6tables-save v1.8.7\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -j ACCEPT\nCOMMIT\n";
        let e = import("six.rules", text, &map).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("IPv6"), "{e:?}");
    }

    #[test]
    fn two_port_matches_narrow_each_other() {
        let map = Mapping::new(
            "fw",
            [
                ("eth0", crate::model::Attachment::Segment("a".into())),
                ("eth1", crate::model::Attachment::Segment("b".into())),
            ],
        );
        let text = "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -p tcp -m tcp --dport 1:1000 -m multiport --dports 80,443,8080 -j ACCEPT\nCOMMIT\n";
        let fw = import("t.rules", text, &map).unwrap().firewall;
        let services: Vec<String> = fw.rules[0].services.iter().map(|s| s.to_string()).collect();
        assert_eq!(services, ["tcp/80", "tcp/443"]);
    }

    #[test]
    fn port_ranges() {
        assert_eq!(port_range("80", Some(TCP)), Some((80, 80)));
        assert_eq!(port_range("1024:", Some(TCP)), Some((1024, 65535)));
        assert_eq!(port_range(":1023", Some(TCP)), Some((0, 1023)));
        assert_eq!(port_range("https", Some(TCP)), Some((443, 443)));
        assert_eq!(port_range("90:80", Some(TCP)), None);
    }
}
