//! YAMAHA RTX (`show config`) → one firewall with interface filters.
//!
//! The router forwards everything (`default = "allow"`, no policy list). Each
//! `ip IFACE secure filter in|out N... [dynamic D...]` on a mapped interface becomes a filter
//! on that interface and direction: the static filters `N...` (`ip filter N ...`) in list order,
//! first match wins, and when the list names at least one defined filter, the implicit reject
//! at its end (`default = "deny"`). An interface without a secure filter passes everything.
//! `in` is entering the router through the interface, as in the model.
//!
//! Dynamic filters (`ip filter dynamic`) let the replies of the connections they track come
//! back, and the device checks them after its static list has passed a packet. The model has
//! no per-flow state, so a device with dynamic filters in use is imported as stateful (replies
//! of every allowed flow return): an over-approximation for flows no dynamic filter tracks,
//! stated in a warning. `established` filters, which let replies in without state, are treated
//! the same way (they never match the first packet of a connection, so they are left out).
//!
//! `show config` wraps long commands at the console width (80 columns unless
//! `console columns N` says otherwise): the wrap is a hard break at that column, so the
//! continuation line starts with the rest of the word, or with the space that followed the
//! break. A line exactly that wide is joined with the next one unless the next one starts a
//! command of its own. Origins name the first line of a wrapped command.
//!
//! `nat descriptor`s bound to an interface become `[[firewall.nat]]` entries (see `nat`).
//!
//! Secrets (`login password`, `administrator password`, PPP and IPsec keys, SNMP communities)
//! are never read into the result; messages quote only keywords, numbers and interface names.

mod nat;
mod routes;

use super::{ImportError, Imported, Mapping, Warning, common};
use crate::model::service::{ICMP, PortRange, TCP, UDP};
use crate::model::{Action, AddrRange, At, Direction, Filter, Rule, Selector, Service, ranges};
use crate::source::Loc;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub fn import(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError> {
    let (commands, layout) = commands(text)?;
    if !commands.iter().any(|c| is_rtx_marker(&c.words())) {
        return Err(ImportError {
            line: 1,
            column: 1,
            message: "this does not look like a YAMAHA RTX configuration (no `ip`, `pp`, \
                      `tunnel` or other RTX command found)"
                .into(),
        });
    }
    let mut config = Config {
        warnings: layout,
        ..Config::default()
    };
    config.read(&commands);
    config.build(file, map)
}

/// A command only an RTX writes this way (`ip lan1 ...`, `ip filter N`, `pp select`), to tell
/// its configuration from another vendor's.
fn is_rtx_marker(words: &[Word<'_>]) -> bool {
    let w = |i: usize| words.get(i).map(|w| w.text).unwrap_or("");
    match (w(0), w(1)) {
        ("ip", "filter" | "pp" | "tunnel") => true,
        ("ip", name) => is_interface_name(name),
        ("pp" | "tunnel", "select") => true,
        ("login" | "administrator", "password") => true,
        _ => false,
    }
}

/// One command after wrapped lines are re-joined.
#[derive(Clone, Debug)]
struct Command {
    /// 1-based line of its first physical line.
    line: usize,
    text: String,
    /// Where each physical line starts in `text` (in characters) and its line number, to turn
    /// a column of the joined text back into a line and column of the file.
    pieces: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    text: &'a str,
    /// 1-based character column in the joined command.
    col: usize,
}

impl Command {
    fn words(&self) -> Vec<Word<'_>> {
        let mut out = Vec::new();
        let mut start: Option<(usize, usize)> = None;
        for (col, (i, c)) in self.text.char_indices().enumerate() {
            if c.is_whitespace() {
                if let Some((s, sc)) = start.take() {
                    out.push(Word {
                        text: &self.text[s..i],
                        col: sc,
                    });
                }
            } else if start.is_none() {
                start = Some((i, col + 1));
            }
        }
        if let Some((s, sc)) = start {
            out.push(Word {
                text: &self.text[s..],
                col: sc,
            });
        }
        out
    }

    /// The file position of a column of the joined text.
    fn error(&self, col: usize, message: String) -> ImportError {
        let (start, line) = self
            .pieces
            .iter()
            .rev()
            .find(|(start, _)| *start < col)
            .copied()
            .unwrap_or((0, self.line));
        ImportError {
            line,
            column: col - start,
            message,
        }
    }

    fn error_at(&self, w: &Word<'_>, message: String) -> ImportError {
        self.error(w.col, message)
    }

    fn error_at_end(&self, message: String) -> ImportError {
        self.error(self.text.chars().count() + 1, message)
    }
}

/// Commands the reader acts on (filters, interfaces, routing it names as not modelled); with
/// [`IGNORED`], every word that starts an RTX command.
const HANDLED: &[&str] = &[
    "bgp",
    "bridge",
    "ethernet",
    "interface",
    "ip",
    "ipv6",
    "nat",
    "ospf",
    "pp",
    "rip",
    "tunnel",
];

/// Whether a word starts an RTX command: a line exactly as wide as the console that is
/// followed by one was not wrapped.
fn is_command_word(w: &str) -> bool {
    w.starts_with('#') || HANDLED.contains(&w) || IGNORED.contains(&w)
}

/// Commands that do not change which IPv4 packets pass the router's filters, or that carry
/// secrets (so their text is never looked at again): skipped without a warning.
const IGNORED: &[&str] = &[
    "administrator",
    "alarm",
    "analog",
    "auth",
    "console",
    "cooperation",
    "dashboard",
    "description",
    "dhcp",
    "dns",
    "embedded",
    "external-memory",
    "heartbeat",
    "httpd",
    "ipsec",
    "isdn",
    "l2tp",
    "lan",
    "lan-map",
    "line",
    "login",
    "lua",
    "mail",
    "netvolante-dns",
    "ngn",
    "no",
    "ntpdate",
    "operation",
    "ppp",
    "pppoe",
    "pptp",
    "provider",
    "queue",
    "radius",
    "schedule",
    "security",
    "sftpd",
    "sip",
    "snmp",
    "snmpv2c",
    "snmpv3",
    "sshd",
    "speed",
    "statistics",
    "switch",
    "syslog",
    "system",
    "tcp",
    "telnetd",
    "tftp",
    "timezone",
    "upnp",
    "url",
    "usbhost",
    "user",
    "vlan",
    "wins",
    "wlan",
    "yno",
];

/// Display width of a line on a terminal: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = (0x1100..=0x115f).contains(&c)
                || (0x2e80..=0xa4cf).contains(&c)
                || (0xac00..=0xd7a3).contains(&c)
                || (0xf900..=0xfaff).contains(&c)
                || (0xfe30..=0xfe4f).contains(&c)
                || (0xff00..=0xff60).contains(&c)
                || (0xffe0..=0xffe6).contains(&c);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Splits the text into commands, re-joining lines wrapped at the console width, and skipping
/// the data of `embedded file N <<END` … `END` blocks (Lua scripts and other files stored in
/// the configuration: data, not commands). Returns the commands and the warnings about the
/// layout.
fn commands(text: &str) -> Result<(Vec<Command>, Vec<Warning>), ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut physical = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(pos) = line.find('\0') {
            return Err(ImportError {
                line: i + 1,
                column: line[..pos].chars().count() + 1,
                message: "the file contains a NUL byte: not a configuration text".into(),
            });
        }
        physical.push((i + 1, line));
    }
    // The console width that `show config` wrapped at.
    let columns = physical
        .iter()
        .find_map(|(_, l)| {
            let mut w = l.split_whitespace();
            (w.next() == Some("console") && w.next() == Some("columns"))
                .then(|| w.next().and_then(|n| n.parse::<usize>().ok()))
                .flatten()
        })
        .unwrap_or(80);
    let mut out: Vec<Command> = Vec::new();
    let mut warnings = Vec::new();
    let mut joining = false;
    // The terminator of the here-document being skipped, with the line that opened it.
    let mut data: Option<(String, usize, usize)> = None;
    for (no, line) in physical {
        if let Some((end, _, count)) = &mut data {
            if line.trim() == end.as_str() {
                data = None;
            } else {
                *count += 1;
            }
            continue;
        }
        let starts_command = line.split_whitespace().next().is_some_and(is_command_word);
        match out.last_mut() {
            Some(prev) if joining && !line.is_empty() && !starts_command => {
                let start = prev.text.chars().count();
                prev.text.push_str(line);
                prev.pieces.push((start, no));
            }
            _ => out.push(Command {
                line: no,
                text: line.to_string(),
                pieces: vec![(0, no)],
            }),
        }
        // `show config` breaks a long command one column short of the console width (79 of
        // 80), mid-word; a line exactly as wide as the console is a break too.
        let w = width(line);
        joining = w == columns || w + 1 == columns;
        // `embedded file N <<END`: the lines up to `END` are the file's data.
        if let Some(cmd) = out.last()
            && let Some(end) = here_document(&cmd.text)
        {
            joining = false;
            data = Some((end, cmd.line, 0));
        }
    }
    if let Some((end, line, _)) = data {
        warnings.push(Warning::new(
            line,
            format!(
                "the embedded file's closing `{}` was not found: the rest of the configuration was read as its data",
                shown(&end)
            ),
        ));
    }
    Ok((out, warnings))
}

/// The terminator of a here-document a command opens (`embedded file 1 <<EOF` → `EOF`).
fn here_document(command: &str) -> Option<String> {
    let mut words = command.split_whitespace();
    if words.next() != Some("embedded") {
        return None;
    }
    let last = words.last()?;
    let end = last.strip_prefix("<<")?;
    Some(if end.is_empty() { "EOF" } else { end }.to_string())
}

/// A static filter as written: `ip filter N ACTION SRC [DST [PROTO [SPORT [DPORT]]]]`.
#[derive(Clone)]
struct StaticFilter {
    command: Command,
}

/// A secure filter binding on one interface and direction.
#[derive(Clone)]
struct Binding {
    line: usize,
    statics: Vec<(u32, usize)>,
    dynamics: Vec<(u32, usize)>,
}

#[derive(Default)]
struct Interface {
    line: usize,
    ip: Option<Ipv4Addr>,
    /// The subnet of `ip IFACE address A.B.C.D/LEN`, to find the interface of a route.
    subnet: Option<ipnet::Ipv4Net>,
    bindings: BTreeMap<u8, Binding>,
}

#[derive(Default)]
struct Config {
    filters: BTreeMap<u32, StaticFilter>,
    dynamics: BTreeMap<u32, usize>,
    /// Interfaces by name, and their order of first mention.
    interfaces: BTreeMap<String, Interface>,
    order: Vec<String>,
    warnings: Vec<Warning>,
    stateful: Vec<(usize, String)>,
    unmodelled: BTreeMap<&'static str, Vec<usize>>,
    /// Commands that do not change forwarding: (first line, count).
    skipped: Option<(usize, usize)>,
    /// `pp select N` / `tunnel select N` in effect.
    pp: Option<String>,
    tunnel: Option<String>,
    /// Static routes, and what makes them a partial table.
    routes: super::routes::RouteTable,
    route_warnings: common::Warnings,
    nat: nat::RtxNat,
}

/// A word as it may appear in a message: keywords, numbers and names only.
fn shown(text: &str) -> &str {
    let plain = text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:*,=".contains(&b));
    if plain { text } else { "…" }
}

impl Config {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning::new(line, message));
    }

    /// A warning that groups with the others of its topic when printed.
    fn warn_on(&mut self, line: usize, topic: &str, message: impl Into<String>) {
        self.warnings.push(Warning::on(line, topic, message));
    }

    /// A command that does not change forwarding, counted for one summary warning.
    fn skipped(&mut self, line: usize) {
        self.skipped.get_or_insert((line, 0)).1 += 1;
    }

    fn unmodelled(&mut self, topic: &'static str, line: usize) {
        self.unmodelled.entry(topic).or_default().push(line);
    }

    fn interface(&mut self, name: &str, line: usize) -> &mut Interface {
        if !self.interfaces.contains_key(name) {
            self.order.push(name.to_string());
            self.interfaces.insert(
                name.to_string(),
                Interface {
                    line,
                    ..Interface::default()
                },
            );
        }
        self.interfaces.get_mut(name).expect("inserted above")
    }

    fn read(&mut self, commands: &[Command]) {
        for c in commands {
            let words = c.words();
            let Some(w0) = words.first() else { continue };
            if w0.text.starts_with('#') {
                continue;
            }
            let w1 = words.get(1).map(|w| w.text).unwrap_or("");
            match (w0.text, w1) {
                ("ip", "filter") => {
                    self.filter_definition(c, &words);
                }
                ("ip", "route") => {
                    let texts: Vec<&str> = words[2..].iter().map(|w| w.text).collect();
                    routes::ip_route(c.line, &texts, &mut self.routes, &mut self.route_warnings);
                }
                ("ip", "routing" | "keepalive" | "icmp" | "stealth" | "fragment" | "host") => {
                    self.skipped(c.line)
                }
                ("ip", _) => {
                    self.interface_command(c, &words);
                }
                ("pp" | "tunnel", "select") => {
                    let target = words.get(2).map(|w| w.text).unwrap_or("none");
                    let name = match target {
                        "none" => None,
                        "anonymous" => Some(format!("{}-anonymous", w0.text)),
                        n if n.bytes().all(|b| b.is_ascii_digit()) => {
                            Some(format!("{}{n}", w0.text))
                        }
                        _ => {
                            self.warn(
                                c.line,
                                format!("`{} select {}` not understood", w0.text, shown(target)),
                            );
                            None
                        }
                    };
                    if let Some(n) = &name {
                        self.interface(n, c.line);
                    }
                    if w0.text == "pp" {
                        self.pp = name;
                    } else {
                        self.tunnel = name;
                    }
                }
                ("pp" | "tunnel", _) => self.skipped(c.line),
                ("ipv6", _) => {
                    self.unmodelled("IPv6 (format 1 is IPv4 only)", c.line);
                }
                ("nat", "descriptor") => {
                    self.nat.command(c.line, &words, &mut self.warnings);
                }
                ("nat", _) => {
                    self.unmodelled("NAT (`nat descriptor`)", c.line);
                }
                ("bgp" | "ospf" | "rip", _) => {
                    self.unmodelled("dynamic routing", c.line);
                    if words.iter().any(|w| w.text == "use")
                        && words.last().is_some_and(|w| w.text == "on")
                    {
                        self.routes.partial(
                            c.line,
                            format!("`{} use on` adds routes learnt at run time", w0.text),
                        );
                    }
                }
                ("bridge" | "interface", _) => {
                    self.unmodelled("bridging and interface grouping", c.line);
                }
                ("ethernet", _) if words.iter().any(|w| w.text == "filter") => {
                    self.unmodelled(
                        "Ethernet (MAC address) filters (they can only drop more)",
                        c.line,
                    );
                }
                ("ethernet", _) => self.skipped(c.line),
                (w, _) if IGNORED.contains(&w) => self.skipped(c.line),
                (w, _) => self.warn(
                    c.line,
                    format!("unsupported command `{}` ignored", shown(w)),
                ),
            }
        }
    }

    fn filter_definition(&mut self, c: &Command, words: &[Word<'_>]) {
        let w2 = words.get(2).map(|w| w.text).unwrap_or("");
        if w2 == "dynamic" {
            match words.get(3).and_then(|w| w.text.parse::<u32>().ok()) {
                Some(n) => {
                    self.dynamics.insert(n, c.line);
                }
                None => self.warn(c.line, "`ip filter dynamic` without a number ignored"),
            }
            return;
        }
        match w2.parse::<u32>() {
            Ok(n) => {
                if self
                    .filters
                    .insert(n, StaticFilter { command: c.clone() })
                    .is_some()
                {
                    self.warn(
                        c.line,
                        format!("ip filter {n} is defined again; the later definition is used"),
                    );
                }
            }
            Err(_) if matches!(w2, "source-route" | "directed-broadcast") => {}
            Err(_) => self.warn(
                c.line,
                format!("unsupported command `ip filter {}` ignored", shown(w2)),
            ),
        }
    }

    /// `ip IFACE ...`: addresses and secure filters; `pp` and `tunnel` mean the selected one.
    fn interface_command(&mut self, c: &Command, words: &[Word<'_>]) {
        let Some(raw) = words.get(1).map(|w| w.text) else {
            self.warn(c.line, "`ip` without a subcommand ignored");
            return;
        };
        let name = match raw {
            "pp" | "tunnel" => {
                let selected = if raw == "pp" { &self.pp } else { &self.tunnel };
                match selected.clone() {
                    Some(n) => n,
                    None => {
                        self.warn(
                            c.line,
                            format!("`ip {raw} ...` outside any `{raw} select`; ignored"),
                        );
                        return;
                    }
                }
            }
            n if is_interface_name(n) => n.to_string(),
            n => {
                self.warn(
                    c.line,
                    format!("unsupported command `ip {}` ignored", shown(n)),
                );
                return;
            }
        };
        let w2 = words.get(2).map(|w| w.text).unwrap_or("");
        let w3 = words.get(3).map(|w| w.text).unwrap_or("");
        match (w2, w3) {
            ("address", _) => self.address(c, &name, words.get(3)),
            ("secondary", "address") => {
                self.interface(&name, c.line);
                self.warn(
                    c.line,
                    format!(
                        "secondary address on {name} not imported: an interface sits on one \
                         segment in the model"
                    ),
                );
            }
            ("secure", "filter") => self.binding(c, &name, words),
            ("nat", "descriptor") => {
                self.interface(&name, c.line);
                self.nat.binding(&name, c.line, words, &mut self.warnings)
            }
            ("nat", _) => self.unmodelled("NAT (`nat descriptor`)", c.line),
            ("intrusion", _) => {
                self.unmodelled("intrusion detection (it can only drop more)", c.line)
            }
            ("rip" | "ospf" | "bgp", _) => self.unmodelled("dynamic routing", c.line),
            ("filter", _) | ("forward", _) => self.unmodelled(
                "filters outside `secure filter` (`ip IFACE filter`, `ip forward filter`)",
                c.line,
            ),
            _ => {}
        }
    }

    fn address(&mut self, c: &Command, name: &str, value: Option<&Word<'_>>) {
        self.interface(name, c.line);
        let Some(v) = value else {
            self.warn(c.line, "`ip ... address` without an address ignored");
            return;
        };
        let addr = v.text.split('/').next().unwrap_or("");
        match addr.parse::<Ipv4Addr>() {
            Ok(ip) => {
                let subnet = v.text.parse::<ipnet::Ipv4Net>().ok().map(|n| n.trunc());
                let iface = self.interface(name, c.line);
                iface.ip = Some(ip);
                iface.subnet = subnet;
            }
            Err(_) => self.warn(
                c.line,
                format!(
                    "{name} takes its address from `{}`: imported without an address",
                    shown(v.text)
                ),
            ),
        }
    }

    fn binding(&mut self, c: &Command, name: &str, words: &[Word<'_>]) {
        let dir = match words.get(4).map(|w| w.text) {
            Some("in") => 0,
            Some("out") => 1,
            other => {
                self.warn(
                    c.line,
                    format!(
                        "secure filter direction `{}` not understood (expected in or out); \
                         ignored",
                        shown(other.unwrap_or(""))
                    ),
                );
                return;
            }
        };
        let mut binding = Binding {
            line: c.line,
            statics: Vec::new(),
            dynamics: Vec::new(),
        };
        let mut dynamic = false;
        for w in &words[5..] {
            if w.text == "dynamic" {
                dynamic = true;
                continue;
            }
            match w.text.parse::<u32>() {
                Ok(n) if dynamic => binding.dynamics.push((n, c.line)),
                Ok(n) => binding.statics.push((n, c.line)),
                Err(_) => self.warn(
                    c.line,
                    format!(
                        "`{}` in the secure filter list of {name} is not a filter number; \
                         ignored",
                        shown(w.text)
                    ),
                ),
            }
        }
        let old = self.interface(name, c.line).bindings.insert(dir, binding);
        if let Some(old) = old {
            self.warn(
                c.line,
                format!(
                    "a second secure filter for {name} {} replaces the one at line {}",
                    if dir == 0 { "in" } else { "out" },
                    old.line
                ),
            );
        }
    }

    fn build(mut self, file: &str, map: &Mapping) -> Result<Imported, ImportError> {
        let order = std::mem::take(&mut self.order);
        let interfaces = std::mem::take(&mut self.interfaces);
        for name in &order {
            let iface = &interfaces[name];
            if !map.interfaces.contains_key(name) {
                self.warn(
                    iface.line,
                    format!(
                        "interface {name} is not in the mapping: not imported{}",
                        if iface.bindings.is_empty() {
                            ""
                        } else {
                            ", and its secure filters are lost"
                        }
                    ),
                );
            }
        }
        let listed: Vec<(String, Option<Ipv4Addr>)> = order
            .iter()
            .map(|n| (n.clone(), interfaces[n].ip))
            .collect();
        let mut firewall = common::firewall(map, &listed, Action::Allow, false);
        firewall.nat = self.nat.entries(
            file,
            |n| map.interfaces.contains_key(n),
            |n| interfaces.get(n).and_then(|i| i.ip),
            &mut self.warnings,
        );
        for name in map.interfaces.keys() {
            if !interfaces.contains_key(name) {
                self.warn(
                    0,
                    format!(
                        "the mapping names interface {name}, which the configuration does not \
                         use: imported without an address or filters"
                    ),
                );
            }
        }
        let mut converted: BTreeMap<u32, Converted> = BTreeMap::new();
        for name in &order {
            if !map.interfaces.contains_key(name) {
                continue;
            }
            for (dir, binding) in &interfaces[name].bindings {
                let direction = if *dir == 0 {
                    Direction::In
                } else {
                    Direction::Out
                };
                let rules =
                    self.secure_filter(file, map, (name, direction), binding, &mut converted)?;
                self.dynamic_filters(name, direction, binding);
                // No static filter: the device passes every packet on this list.
                let Some(rules) = rules else {
                    continue;
                };
                firewall.filters.push(Filter {
                    interface: At::new(name.clone(), Loc::default()),
                    direction,
                    default: Action::Deny,
                    rules,
                    loc: Loc::default(),
                });
            }
        }
        let unmodelled = common::unmodelled_warnings(std::mem::take(&mut self.unmodelled));
        self.warnings.extend(unmodelled);
        let subnets: Vec<(String, ipnet::Ipv4Net)> = order
            .iter()
            .filter_map(|n| interfaces[n].subnet.map(|s| (n.clone(), s)))
            .collect();
        let mut route_warnings = std::mem::take(&mut self.route_warnings);
        std::mem::take(&mut self.routes).apply(&mut firewall, file, &subnets, &mut route_warnings);
        self.warnings.extend(route_warnings.into_sorted());
        if let Some((line, count)) = self.skipped.take() {
            self.warn(
                line,
                format!(
                    "{count} command(s) that do not change forwarding (management, logging, \
                     services, PPP and IPsec settings, credentials; the first here) were \
                     skipped unread"
                ),
            );
        }
        Ok(common::finish_tracked(
            firewall,
            std::mem::take(&mut self.warnings),
            std::mem::take(&mut self.stateful),
            map,
            "does not",
        ))
    }

    /// A secure filter's static filters in order, as one list (`None` when none of them is
    /// defined). Each `ip filter N` is converted once, however many lists use it.
    fn secure_filter(
        &mut self,
        file: &str,
        map: &Mapping,
        (name, direction): (&str, Direction),
        binding: &Binding,
        converted: &mut BTreeMap<u32, Converted>,
    ) -> Result<Option<Vec<Rule>>, ImportError> {
        let mut rules = Vec::new();
        let mut approximations = common::Approximations::default();
        let mut defined = 0;
        for &(n, line) in &binding.statics {
            if !self.filters.contains_key(&n) {
                self.warn_on(
                    line,
                    "undefined filter numbers in secure filter lists skipped",
                    format!(
                        "ip filter {n} in the secure filter of {name} {direction} is not \
                         defined; skipped"
                    ),
                );
                continue;
            }
            defined += 1;
            if let std::collections::btree_map::Entry::Vacant(slot) = converted.entry(n) {
                let filter = self.filters[&n].clone();
                slot.insert(self.convert(file, n, &filter.command, &map.fqdn)?);
            }
            let c = &converted[&n];
            if let Some((upper, note)) = &c.dropped {
                approximations.dropped(rules.len(), upper.clone(), note.clone());
            }
            rules.extend(c.rules.iter().cloned());
        }
        approximations.mark(&mut rules);
        Ok((defined > 0).then_some(rules))
    }

    /// A secure filter's dynamic filters: the connections they track make the firewall
    /// stateful.
    fn dynamic_filters(&mut self, name: &str, direction: Direction, binding: &Binding) {
        let mut tracked = Vec::new();
        for &(n, line) in &binding.dynamics {
            if self.dynamics.contains_key(&n) {
                tracked.push(n.to_string());
            } else {
                self.warn(
                    line,
                    format!(
                        "ip filter dynamic {n} on {name} {direction} is not defined; \
                         skipped"
                    ),
                );
            }
        }
        if !tracked.is_empty() {
            self.stateful.push((
                binding.line,
                format!(
                    "dynamic filters {} on {name} {direction} let replies of the \
                     connections they track return",
                    tracked.join(" ")
                ),
            ));
        }
    }

    /// One `ip filter N` definition as rules (none when it cannot match a connection's first
    /// packet, or rejects with a condition the model cannot express: then `dropped` says what
    /// it might have matched).
    fn convert(
        &mut self,
        file: &str,
        n: u32,
        c: &Command,
        fqdn: &BTreeMap<String, Vec<AddrRange>>,
    ) -> Result<Converted, ImportError> {
        let words = c.words();
        let def = parse_filter(c, &words[3..], fqdn)?;
        let verb = def.verb;
        let origin = common::origin(file, c.line);
        let mut widened: Vec<String> = Vec::new();
        if let Some(why) = &def.never_opens {
            self.warn_on(
                c.line,
                "filters that never match the first packet of a connection left out",
                format!(
                    "ip filter {n} matches only {why}, never the first packet of a connection: \
                     left out"
                ),
            );
            if def.action == Action::Allow {
                self.stateful
                    .push((c.line, format!("ip filter {n} lets replies pass ({why})")));
            }
            return Ok(Converted::default());
        }
        if def.restrict {
            self.warn_on(
                c.line,
                "`restrict` filters imported as pass",
                format!(
                    "ip filter {n} `{verb}` passes only while the line is connected: imported \
                     as pass"
                ),
            );
            widened.push(format!(
                "`{verb}` (passes only while the line is connected)"
            ));
        }
        let upper = common::Match {
            src: Some(def.from.clone()),
            dst: Some(def.to.clone()),
            services: Some(def.services.clone()),
            ..common::Match::default()
        };
        if !def.narrowing.is_empty() {
            let what = def.narrowing.join(", ");
            if def.action == Action::Deny {
                self.warn_on(
                    c.line,
                    "reject filters with a condition sansou cannot express left out",
                    format!(
                        "ip filter {n} rejects by {what}, which sansou cannot express: left \
                         out, so later filters decide (this can only allow more than the device)"
                    ),
                );
                // A reject on a field flows do not have (a source port) leaves the flow's other
                // packets through: nothing to assume.
                let assumed: Vec<&str> = def
                    .narrowing
                    .iter()
                    .map(String::as_str)
                    .filter(|w| !common::is_packet_field(w))
                    .collect();
                return Ok(Converted {
                    rules: Vec::new(),
                    dropped: (!assumed.is_empty())
                        .then(|| (upper, common::dropped(&origin, &assumed.join(", ")))),
                });
            }
            self.warn_on(
                c.line,
                "pass filters read without a condition sansou cannot express",
                format!(
                    "ip filter {n} passes by {what}, which sansou cannot express: imported \
                     without it (this can only allow more than the device)"
                ),
            );
            widened.push(what);
        }
        if def.expanded_other_protocols {
            self.warn_on(
                c.line,
                "filters with protocol `*` and ports match every other protocol",
                format!(
                    "ip filter {n} names ports with protocol `*`: the device compares ports \
                     of TCP and UDP only and matches every other protocol whatever the ports, \
                     so every other protocol is listed"
                ),
            );
        }
        Ok(Converted {
            rules: vec![Rule {
                action: def.action,
                from: selectors(&def.from),
                to: selectors(&def.to),
                services: def
                    .services
                    .into_iter()
                    .map(|s| At::new(s, Loc::default()))
                    .collect(),
                in_interfaces: Vec::new(),
                out_interfaces: Vec::new(),
                log: def.log,
                reason: None,
                approximation: (!widened.is_empty())
                    .then(|| common::widened(&origin, &widened.join(", "))),
                origin: Some(origin),
                // The filter number is the device's identity of the filter: `filter-100`.
                identity: crate::model::RuleIdentity {
                    id: Some(common::at(format!("filter-{n}"))),
                    ..Default::default()
                }
                .into(),
                loc: Loc::default(),
            }],
            dropped: None,
        })
    }
}

/// One `ip filter N` as rules, and what it might have matched when it was left out.
#[derive(Default)]
struct Converted {
    rules: Vec<Rule>,
    dropped: Option<(common::Match, String)>,
}

/// `lan1`, `lan1/2`, `lan1.10`, `vlan10`, `bridge1`, `loopback1`, `wan1`.
fn is_interface_name(n: &str) -> bool {
    ["lan", "vlan", "bridge", "loopback", "wan"]
        .iter()
        .any(|p| {
            n.strip_prefix(p).is_some_and(|rest| {
                rest.starts_with(|c: char| c.is_ascii_digit())
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'/' || b == b'.')
            })
        })
}

/// What an `ip filter` definition means.
struct Definition {
    action: Action,
    verb: String,
    restrict: bool,
    log: bool,
    from: Vec<AddrRange>,
    to: Vec<AddrRange>,
    services: Vec<Service>,
    narrowing: Vec<String>,
    never_opens: Option<String>,
    expanded_other_protocols: bool,
}

/// A filter's action word: allow or deny, whether it is a `restrict`, and whether it logs (a
/// plain reject or restrict does, as on the device).
fn filter_action(c: &Command, act: &Word<'_>) -> Result<(Action, bool, bool), ImportError> {
    Ok(match act.text {
        "pass" | "pass-nolog" => (Action::Allow, false, false),
        "pass-log" => (Action::Allow, false, true),
        // A plain reject or restrict logs, as the device does by default.
        "reject" | "reject-log" => (Action::Deny, false, true),
        "reject-nolog" => (Action::Deny, false, false),
        "restrict" | "restrict-log" => (Action::Allow, true, true),
        "restrict-nolog" => (Action::Allow, true, false),
        other => {
            return Err(c.error_at(
                act,
                format!(
                    "unknown filter action `{}` (expected pass, reject or restrict, with \
                     -log or -nolog)",
                    shown(other)
                ),
            ));
        }
    })
}

/// Parses `ACTION SRC [DST [PROTO [SPORT [DPORT]]]]` (omitted fields are `*`).
fn parse_filter(
    c: &Command,
    w: &[Word<'_>],
    fqdn: &BTreeMap<String, Vec<AddrRange>>,
) -> Result<Definition, ImportError> {
    let Some(act) = w.first() else {
        return Err(
            c.error_at_end("the filter's action (pass, reject, restrict...) is missing".into())
        );
    };
    let (action, restrict, log) = filter_action(c, act)?;
    let mut def = Definition {
        action,
        verb: act.text.to_string(),
        restrict,
        log,
        from: vec![AddrRange::ALL],
        to: vec![AddrRange::ALL],
        services: vec![Service::Any],
        narrowing: Vec::new(),
        never_opens: None,
        expanded_other_protocols: false,
    };
    if w.len() > 6 {
        return Err(c.error_at(
            &w[6],
            "too many fields (expected ACTION SRC DST PROTOCOL SRCPORT DSTPORT)".into(),
        ));
    }
    if let Some(src) = w.get(1) {
        def.from = addresses(c, src, &mut def.narrowing, fqdn)?;
    } else {
        return Err(c.error_at_end("the source address is missing (use `*` for any)".into()));
    }
    if let Some(dst) = w.get(2) {
        def.to = addresses(c, dst, &mut def.narrowing, fqdn)?;
    }
    let star = Word { text: "*", col: 0 };
    let proto = w.get(3).unwrap_or(&star);
    let sport = w.get(4).unwrap_or(&star);
    let dport = w.get(5).unwrap_or(&star);
    let dports = ports(c, dport, &mut def.narrowing)?;
    let sports_any = sport.text == "*";
    let mut services = Vec::new();
    let mut never = Vec::new();
    let mut has_ports_proto = false;
    for p in proto.text.split(',') {
        let with_ports = |proto: u8, out: &mut Vec<Service>| match &dports {
            None => out.push(Service::Proto {
                proto,
                ports: PortRange::ALL,
            }),
            Some(list) => out.extend(list.iter().map(|&ports| Service::Proto { proto, ports })),
        };
        match p {
            "*" => {
                has_ports_proto = true;
                if dports.is_none() {
                    services.push(Service::Any);
                } else {
                    with_ports(TCP, &mut services);
                    with_ports(UDP, &mut services);
                    def.expanded_other_protocols = true;
                    services.extend((0..=255u8).filter(|&p| p != TCP && p != UDP).map(|proto| {
                        Service::Proto {
                            proto,
                            ports: PortRange::ALL,
                        }
                    }));
                }
            }
            "tcp" | "tcpsyn" => {
                has_ports_proto = true;
                with_ports(TCP, &mut services);
            }
            "udp" => {
                has_ports_proto = true;
                with_ports(UDP, &mut services);
            }
            "established" | "tcpfin" | "tcprst" => never.push(format!("`{p}` TCP packets")),
            "icmp" | "icmp-error" | "icmp-info" => {
                if p != "icmp" {
                    def.narrowing.push(format!("`{p}` (part of ICMP)"));
                }
                services.push(Service::Proto {
                    proto: ICMP,
                    ports: PortRange::ALL,
                });
            }
            "gre" | "esp" | "ah" => {
                services.push(Service::parse(p).expect("gre, esp and ah are model protocol names"))
            }
            _ if p.starts_with("tcpflag") => {
                has_ports_proto = true;
                def.narrowing.push(format!("TCP flags `{}`", shown(p)));
                with_ports(TCP, &mut services);
            }
            _ => match p.parse::<u8>() {
                Ok(TCP) | Ok(UDP) => {
                    has_ports_proto = true;
                    with_ports(if p == "6" { TCP } else { UDP }, &mut services);
                }
                Ok(n) => services.push(Service::Proto {
                    proto: n,
                    ports: PortRange::ALL,
                }),
                Err(_) => {
                    return Err(c.error_at(
                        proto,
                        format!(
                            "unknown protocol `{}` (expected *, tcp, udp, icmp, established, a \
                             number...)",
                            shown(p)
                        ),
                    ));
                }
            },
        }
    }
    // With `icmp` alone the port fields are the ICMP type and code.
    if proto.text == "icmp" && (sport.text != "*" || dport.text != "*") {
        def.narrowing.push("ICMP type or code".into());
    } else if has_ports_proto && !sports_any {
        ports(c, sport, &mut def.narrowing)?;
        def.narrowing
            .push(format!("source port {}", shown(sport.text)));
    }
    if services.is_empty() && !never.is_empty() {
        def.never_opens = Some(never.join(", "));
    }
    services.sort();
    services.dedup();
    def.services = services;
    Ok(def)
}

/// `*`, `A`, `A/len`, `A/mask`, `A-B`, `A.B.C.*`, or a comma-separated list of them. A name
/// (FQDN) is resolved by the device at run time: it is read as the mapping's `[fqdn]` entry
/// when there is one, else recorded as a narrowing condition (everything).
fn addresses(
    c: &Command,
    w: &Word<'_>,
    narrowing: &mut Vec<String>,
    fqdn: &BTreeMap<String, Vec<AddrRange>>,
) -> Result<Vec<AddrRange>, ImportError> {
    let mut out = Vec::new();
    for item in w.text.split(',') {
        let bad = |what: &str| c.error_at(w, format!("`{}` is not {what}", shown(item)));
        if item == "*" {
            out.push(AddrRange::ALL);
            continue;
        }
        if item.bytes().any(|b| b.is_ascii_alphabetic()) {
            if let Some(known) = fqdn.get(item) {
                out.extend(known.iter().copied());
                continue;
            }
            narrowing.push(format!(
                "the name `{}` (resolved by the device)",
                shown(item)
            ));
            out.push(AddrRange::ALL);
            continue;
        }
        if let Some((a, m)) = item.split_once('/') {
            let addr: Ipv4Addr = a.parse().map_err(|_| bad("an IPv4 address"))?;
            let mask: u32 = if m.contains('.') {
                let mask = u32::from(m.parse::<Ipv4Addr>().map_err(|_| bad("a netmask"))?);
                if mask.leading_ones() + mask.trailing_zeros() != 32 {
                    return Err(bad("a netmask"));
                }
                mask
            } else {
                match m.parse::<u32>() {
                    Ok(0) => 0,
                    Ok(len @ 1..=32) => u32::MAX << (32 - len),
                    _ => return Err(bad("a prefix length")),
                }
            };
            let first = u32::from(addr) & mask;
            out.push(AddrRange {
                first,
                last: first | !mask,
            });
            continue;
        }
        if let Some((a, b)) = item.split_once('-') {
            let first = if a.is_empty() {
                0
            } else {
                u32::from(a.parse::<Ipv4Addr>().map_err(|_| bad("an IPv4 address"))?)
            };
            let last = if b.is_empty() {
                u32::MAX
            } else {
                u32::from(b.parse::<Ipv4Addr>().map_err(|_| bad("an IPv4 address"))?)
            };
            if last < first {
                return Err(c.error_at(w, "the address range ends before it starts".into()));
            }
            out.push(AddrRange { first, last });
            continue;
        }
        if item.contains('*') {
            // `192.168.1.*`: trailing octets of any value.
            let octets: Vec<&str> = item.split('.').collect();
            let stars = octets.iter().rev().take_while(|o| **o == "*").count();
            if octets.len() != 4 || octets[..4 - stars].iter().any(|o| o.parse::<u8>().is_err()) {
                return Err(bad("an address with trailing `*` octets"));
            }
            let mut first: u32 = 0;
            for o in &octets[..4 - stars] {
                first = (first << 8) | u32::from(o.parse::<u8>().unwrap_or(0));
            }
            let shift = 8 * stars as u32;
            let first = if shift == 32 { 0 } else { first << shift };
            let span = if shift == 32 {
                u32::MAX
            } else {
                (1u32 << shift) - 1
            };
            out.push(AddrRange {
                first,
                last: first | span,
            });
            continue;
        }
        let addr: Ipv4Addr = item.parse().map_err(|_| bad("an IPv4 address"))?;
        out.push(AddrRange::single(addr));
    }
    Ok(ranges::normalize(out))
}

/// A port list: `*` (None), or numbers, names and ranges (`1024-`, `-1023`, `6000-6063`),
/// comma-separated. An unknown name is a narrowing condition (every port).
fn ports(
    c: &Command,
    w: &Word<'_>,
    narrowing: &mut Vec<String>,
) -> Result<Option<Vec<PortRange>>, ImportError> {
    if w.text == "*" {
        return Ok(None);
    }
    let mut out = Vec::new();
    for item in w.text.split(',') {
        let one = |s: &str| -> Result<Option<(u16, u16)>, ImportError> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                return s
                    .parse::<u16>()
                    .map(|p| Some((p, p)))
                    .map_err(|_| c.error_at(w, format!("port `{}` is out of range", shown(s))));
            }
            Ok(port_name(s))
        };
        let range = match item.split_once('-') {
            Some((a, b)) => {
                let first = if a.is_empty() { Some((0, 0)) } else { one(a)? };
                let last = if b.is_empty() {
                    Some((u16::MAX, u16::MAX))
                } else {
                    one(b)?
                };
                match (first, last) {
                    (Some((f, _)), Some((_, l))) if f <= l => Some(PortRange { first: f, last: l }),
                    (Some(_), Some(_)) => {
                        return Err(c.error_at(w, "the port range ends before it starts".into()));
                    }
                    _ => None,
                }
            }
            None => one(item)?.map(|(f, l)| PortRange { first: f, last: l }),
        };
        match range {
            Some(r) => out.push(r),
            None => {
                narrowing.push(format!("the port name `{}`", shown(item)));
                return Ok(None);
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(Some(out))
}

/// The port mnemonics of RTX filters. `ftp` stands for both FTP ports (20 and 21).
fn port_name(name: &str) -> Option<(u16, u16)> {
    const NAMES: &[(&str, u16, u16)] = &[
        ("bgp", 179, 179),
        ("bootpc", 68, 68),
        ("bootps", 67, 67),
        ("chargen", 19, 19),
        ("daytime", 13, 13),
        ("discard", 9, 9),
        ("domain", 53, 53),
        ("echo", 7, 7),
        ("exec", 512, 512),
        ("finger", 79, 79),
        ("ftp", 20, 21),
        ("ftpdata", 20, 20),
        ("gopher", 70, 70),
        ("https", 443, 443),
        ("ident", 113, 113),
        ("ike", 500, 500),
        ("imap", 143, 143),
        ("irc", 194, 194),
        ("kerberos", 88, 88),
        ("l2tp", 1701, 1701),
        ("ldap", 389, 389),
        ("login", 513, 513),
        ("netbios_dgm", 138, 138),
        ("netbios_ns", 137, 137),
        ("netbios_ssn", 139, 139),
        ("nfs", 2049, 2049),
        ("nntp", 119, 119),
        ("ntp", 123, 123),
        ("pop3", 110, 110),
        ("pptp", 1723, 1723),
        ("printer", 515, 515),
        ("rip", 520, 520),
        ("route", 520, 520),
        ("shell", 514, 514),
        ("sip", 5060, 5060),
        ("smtp", 25, 25),
        ("snmp", 161, 161),
        ("snmptrap", 162, 162),
        ("ssh", 22, 22),
        ("submission", 587, 587),
        ("sunrpc", 111, 111),
        ("syslog", 514, 514),
        ("talk", 517, 517),
        ("telnet", 23, 23),
        ("tftp", 69, 69),
        ("time", 37, 37),
        ("uucp", 540, 540),
        ("whois", 43, 43),
        ("www", 80, 80),
    ];
    NAMES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, a, b)| (*a, *b))
}

fn selectors(set: &[AddrRange]) -> Vec<At<Selector>> {
    let set = ranges::normalize(set.to_vec());
    if set == [AddrRange::ALL] {
        return vec![At::new(Selector::Any, Loc::default())];
    }
    set.into_iter()
        .map(|r| At::new(Selector::Addr(r), Loc::default()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_rejoined_at_the_console_width() {
        let long = format!("ip lan2 secure filter in {}", "200020 ".repeat(8));
        let first: String = long.chars().take(80).collect();
        let rest: String = long.chars().skip(80).collect();
        let text = format!("{first}\n{rest}\nip lan1 address 10.0.0.1/24\n");
        let cmds = commands(&text).unwrap().0;
        assert_eq!(cmds.len(), 3, "{cmds:?}");
        assert_eq!(cmds[0].text, long);
        assert_eq!(cmds[1].line, 3);
    }

    #[test]
    fn a_full_width_line_followed_by_a_command_is_not_joined() {
        let line = format!("ip filter 1 pass * * tcp * {}", "1".repeat(53));
        assert_eq!(width(&line), 80);
        let text = format!("{line}\n ip pp secure filter in 1\n");
        assert_eq!(commands(&text).unwrap().0.len(), 3);
    }

    #[test]
    fn address_forms() {
        let c = Command {
            line: 1,
            text: String::new(),
            pieces: vec![(0, 1)],
        };
        let mut n = Vec::new();
        let w = |t| Word { text: t, col: 1 };
        let r = |a: &str, b: &str| AddrRange {
            first: a.parse::<Ipv4Addr>().unwrap().into(),
            last: b.parse::<Ipv4Addr>().unwrap().into(),
        };
        assert_eq!(
            addresses(&c, &w("192.168.1.*"), &mut n, &BTreeMap::new()).unwrap(),
            vec![r("192.168.1.0", "192.168.1.255")]
        );
        assert_eq!(
            addresses(&c, &w("10.0.0.5/255.255.255.0"), &mut n, &BTreeMap::new()).unwrap(),
            vec![r("10.0.0.0", "10.0.0.255")]
        );
        assert_eq!(
            addresses(
                &c,
                &w("10.0.0.1-10.0.0.9,10.0.0.10"),
                &mut n,
                &BTreeMap::new()
            )
            .unwrap(),
            vec![r("10.0.0.1", "10.0.0.10")]
        );
        assert!(n.is_empty());
        assert!(addresses(&c, &w("10.0.0.300"), &mut n, &BTreeMap::new()).is_err());
    }
}
