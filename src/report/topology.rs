//! Writing a topology back as format-1 text, TOML or JSON, that the loader reads to the same
//! model (locations aside).
//!
//! Both writers share one description of each entity: an ordered list of keys and values
//! ([`Fields`]) built from the model. The TOML writer renders it by hand, because it must place
//! `[[firewall.rule]]` sections after their `[[firewall]]` keys and write small tables inline;
//! the JSON writer serializes it with `serde_json`. Keys whose loader default gives the same
//! model (`count = 1`, `stateful = true`, a rule's `service = "any"`, empty lists, absent
//! optional fields) are left out, so the output reads like a hand-written design.
//!
//! The output is deterministic: entities are written in model order, keys in a fixed order (the
//! same in both formats). Both writers build one entity at a time, never a tree of the whole
//! topology, so writing a million rules costs about what the text itself costs.

use crate::model::*;
use ipnet::Ipv4Net;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt::{Display, Write as _};

/// The topology as TOML text (format version 1).
///
/// Every string is escaped for TOML, so any name (quotes, backslashes, newlines, Japanese) reads
/// back unchanged.
pub fn to_toml(topo: &Topology) -> String {
    // Rules dominate big topologies; about 200 bytes each is a fair first guess.
    let rules: usize = topo.firewalls.iter().map(|f| f.rules.len()).sum();
    let mut out = String::with_capacity(4096 + 200 * (rules + topo.hosts.len()));
    out.push_str("format = 1\n");
    if let Some(meta) = meta(&topo.meta) {
        section(&mut out, "meta", false, &meta);
    }
    if let Some(org) = org(&topo.org) {
        section(&mut out, "org", false, &org);
    }
    for kind in Kind::ALL {
        for i in 0..kind.len(topo) {
            section(&mut out, kind.key(), true, &kind.fields(topo, i));
        }
    }
    out
}

/// The topology as pretty-printed JSON (format version 1), with the keys and key order of the
/// TOML form.
pub fn to_json(topo: &Topology) -> String {
    json(topo, true)
}

/// The topology as compact JSON: the document on one line, as many programs write JSON (the
/// shape whose positions and snippets are hardest to get right and fast).
pub fn to_json_compact(topo: &Topology) -> String {
    json(topo, false)
}

fn json(topo: &Topology, pretty: bool) -> String {
    let mut bytes = Vec::with_capacity(4096 + 300 * topo.hosts.len());
    let write = if pretty {
        serde_json::to_writer_pretty(&mut bytes, &JsonTopology(topo))
    } else {
        serde_json::to_writer(&mut bytes, &JsonTopology(topo))
    };
    write.expect("strings, integers and booleans always serialize into memory");
    let mut text = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// The text formats a topology is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Toml,
    /// Pretty-printed JSON.
    Json,
    /// JSON on one line.
    JsonCompact,
}

impl TextFormat {
    pub fn extension(self) -> &'static str {
        match self {
            TextFormat::Toml => "toml",
            TextFormat::Json | TextFormat::JsonCompact => "json",
        }
    }

    pub fn write(self, topo: &Topology) -> String {
        match self {
            TextFormat::Toml => to_toml(topo),
            TextFormat::Json => to_json(topo),
            TextFormat::JsonCompact => to_json_compact(topo),
        }
    }
}

/// The files (name, text) that hold a topology: `topology.toml` (or `.json`), or with `split`
/// the parts of [`split`], each in a file of its own.
pub fn files(topo: &Topology, format: TextFormat, split: bool) -> Vec<(String, String)> {
    let file = |name: &str, part: &Topology| {
        (format!("{name}.{}", format.extension()), format.write(part))
    };
    if split {
        self::split(topo)
            .iter()
            .map(|(name, part)| file(name, part))
            .collect()
    } else {
        vec![file("topology", topo)]
    }
}

/// Firewalls per file of [`split`].
const FIREWALLS_PER_FILE: usize = 100;

/// The topology cut into parts for a directory of files, each with its file name (without
/// extension): `00-base` (meta, zones, externals, segments, stores, gateways, accounts, flows),
/// `10-hosts`, then `20-firewalls-000`, `20-firewalls-001`... of [`FIREWALLS_PER_FILE`] each.
/// Loading the directory merges the files in name order, which gives back the same model.
pub fn split(topo: &Topology) -> Vec<(String, Topology)> {
    let base = Topology {
        meta: topo.meta.clone(),
        zones: topo.zones.clone(),
        externals: topo.externals.clone(),
        segments: topo.segments.clone(),
        stores: topo.stores.clone(),
        gateways: topo.gateways.clone(),
        accounts: topo.accounts.clone(),
        flows: topo.flows.clone(),
        org: topo.org.clone(),
        sites: topo.sites.clone(),
        services: topo.services.clone(),
        wifis: topo.wifis.clone(),
        remote_access: topo.remote_access.clone(),
        log_sinks: topo.log_sinks.clone(),
        monitors: topo.monitors.clone(),
        ..Topology::default()
    };
    let hosts = Topology {
        hosts: topo.hosts.clone(),
        ..Topology::default()
    };
    let mut parts = vec![
        ("00-base".to_string(), base),
        ("10-hosts".to_string(), hosts),
    ];
    for (i, chunk) in topo.firewalls.chunks(FIREWALLS_PER_FILE).enumerate() {
        let firewalls = Topology {
            firewalls: chunk.to_vec(),
            ..Topology::default()
        };
        parts.push((format!("20-firewalls-{i:03}"), firewalls));
    }
    parts
}

/// The arrays of tables of a topology, in the order the loader reads them, so the model's lists
/// come back in the same order.
#[derive(Clone, Copy)]
enum Kind {
    Zone,
    External,
    Segment,
    Host,
    Store,
    Firewall,
    Gateway,
    Account,
    Flow,
    Site,
    Service,
    Wifi,
    RemoteAccess,
    LogSink,
    Monitor,
}

impl Kind {
    const ALL: [Kind; 15] = [
        Kind::Zone,
        Kind::External,
        Kind::Segment,
        Kind::Host,
        Kind::Store,
        Kind::Firewall,
        Kind::Gateway,
        Kind::Account,
        Kind::Flow,
        Kind::Site,
        Kind::Service,
        Kind::Wifi,
        Kind::RemoteAccess,
        Kind::LogSink,
        Kind::Monitor,
    ];

    /// The array key: `[[zone]]`, `"zone": [...]`.
    fn key(self) -> &'static str {
        match self {
            Kind::Zone => "zone",
            Kind::External => "external",
            Kind::Segment => "segment",
            Kind::Host => "host",
            Kind::Store => "store",
            Kind::Firewall => "firewall",
            Kind::Gateway => "gateway",
            Kind::Account => "account",
            Kind::Flow => "flow",
            Kind::Site => "site",
            Kind::Service => "service",
            Kind::Wifi => "wifi",
            Kind::RemoteAccess => "remote_access",
            Kind::LogSink => "log_sink",
            Kind::Monitor => "monitor",
        }
    }

    fn len(self, t: &Topology) -> usize {
        match self {
            Kind::Zone => t.zones.len(),
            Kind::External => t.externals.len(),
            Kind::Segment => t.segments.len(),
            Kind::Host => t.hosts.len(),
            Kind::Store => t.stores.len(),
            Kind::Firewall => t.firewalls.len(),
            Kind::Gateway => t.gateways.len(),
            Kind::Account => t.accounts.len(),
            Kind::Flow => t.flows.len(),
            Kind::Site => t.sites.len(),
            Kind::Service => t.services.len(),
            Kind::Wifi => t.wifis.len(),
            Kind::RemoteAccess => t.remote_access.len(),
            Kind::LogSink => t.log_sinks.len(),
            Kind::Monitor => t.monitors.len(),
        }
    }

    /// The fields of the `i`th entity of this kind.
    fn fields(self, t: &Topology, i: usize) -> Fields {
        match self {
            Kind::Zone => zone(&t.zones[i]),
            Kind::External => external(&t.externals[i]),
            Kind::Segment => segment(&t.segments[i]),
            Kind::Host => host(&t.hosts[i]),
            Kind::Store => store(&t.stores[i]),
            Kind::Firewall => firewall(&t.firewalls[i]),
            Kind::Gateway => gateway(&t.gateways[i]),
            Kind::Account => account(&t.accounts[i]),
            Kind::Flow => flow(&t.flows[i]),
            Kind::Site => site(&t.sites[i]),
            Kind::Service => service(&t.services[i]),
            Kind::Wifi => wifi(&t.wifis[i]),
            Kind::RemoteAccess => remote_access(&t.remote_access[i]),
            Kind::LogSink => log_sink(&t.log_sinks[i]),
            Kind::Monitor => monitor(&t.monitors[i]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The format-neutral description of an entity
// ---------------------------------------------------------------------------------------------

/// What one key of the format holds.
enum Val {
    Str(String),
    Int(u64),
    Bool(bool),
    /// An array of values written on one line (strings) or one per line (inline tables).
    List(Vec<Val>),
    /// A small table written inline in TOML: `{ segment = "a", ip = "10.0.0.1" }`.
    Inline(Fields),
    /// An array of tables written as `[[parent.key]]` sections in TOML (firewall rules, filters).
    Tables(Vec<Fields>),
}

/// The keys of one table, in the order they are written.
#[derive(Default)]
struct Fields(Vec<(&'static str, Val)>);

impl Fields {
    fn put(&mut self, key: &'static str, val: Val) -> &mut Self {
        self.0.push((key, val));
        self
    }

    fn text(&mut self, key: &'static str, value: impl Display) -> &mut Self {
        self.put(key, Val::Str(value.to_string()))
    }

    fn opt_text(&mut self, key: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(v) = value {
            self.text(key, v);
        }
        self
    }

    fn opt_bool(&mut self, key: &'static str, value: Option<bool>) -> &mut Self {
        if let Some(b) = value {
            self.put(key, Val::Bool(b));
        }
        self
    }

    /// A boolean, left out when it equals the loader's default.
    fn bool_unless(&mut self, key: &'static str, value: bool, default: bool) -> &mut Self {
        if value != default {
            self.put(key, Val::Bool(value));
        }
        self
    }

    /// An array of strings, always written (for keys the loader requires).
    fn texts<T: Display>(&mut self, key: &'static str, items: &[T]) -> &mut Self {
        let list = items.iter().map(|i| Val::Str(i.to_string())).collect();
        self.put(key, Val::List(list))
    }

    /// An array of strings, left out when empty (the loader's default is the empty list).
    fn opt_texts<T: Display>(&mut self, key: &'static str, items: &[T]) -> &mut Self {
        if !items.is_empty() {
            self.texts(key, items);
        }
        self
    }

    /// A string when there is exactly one item, else an array: the loader reads a single string
    /// as a list of one, and `from = "host:x"` is how people write a single selector.
    fn one_or_many<T: Display>(&mut self, key: &'static str, items: &[T]) -> &mut Self {
        match items {
            [one] => self.text(key, one),
            _ => self.texts(key, items),
        }
    }

    /// `name` and `description`, accepted on every entity.
    fn labels(&mut self, name: &Option<String>, description: &Option<String>) -> &mut Self {
        self.opt_text("name", name.as_ref())
            .opt_text("description", description.as_ref())
    }

    fn done(&mut self) -> Fields {
        std::mem::take(self)
    }
}

/// The values of a list of located items, for the list helpers.
fn values<T: Clone>(items: &[At<T>]) -> Vec<T> {
    items.iter().map(|i| i.value.clone()).collect()
}

/// `[meta]`, when the design has one (present in the file, or any field set).
fn meta(m: &Meta) -> Option<Fields> {
    let any =
        m.name.is_some() || m.model.is_some() || m.guideline.is_some() || m.description.is_some();
    if m.loc.is_none() && !any {
        return None;
    }
    Some(
        Fields::default()
            .opt_text("name", m.name.as_ref())
            .opt_text("model", m.model.as_ref().map(|a| a.value))
            .opt_text("guideline", m.guideline.as_ref())
            .opt_text("description", m.description.as_ref())
            .done(),
    )
}

fn zone(z: &Zone) -> Fields {
    Fields::default()
        .text("id", &z.id)
        .text("tier", z.tier)
        .labels(&z.name, &z.description)
        .done()
}

fn external(e: &External) -> Fields {
    let mut f = Fields::default();
    f.text("id", &e.id)
        .text("kind", e.kind)
        .labels(&e.name, &e.description);
    // An internet or security-cloud external without `cidrs` stands for every address.
    let everything = e.cidrs.len() == 1 && e.cidrs[0].prefix_len() == 0;
    if !(e.kind.is_internet() && everything) {
        f.texts("cidrs", &values(&e.cidrs));
    }
    f.opt_text("line", e.line).opt_bool("approved", e.approved);
    f.done()
}

fn segment(s: &Segment) -> Fields {
    Fields::default()
        .text("id", &s.id)
        .text("zone", &s.zone.value)
        .text("cidr", *s.cidr)
        .opt_text("site", s.site.as_ref().map(|s| &s.value))
        .opt_text("nac", s.nac)
        .labels(&s.name, &s.description)
        .done()
}

/// One interface as `segment` + `ip`; several (or none) as `interfaces = [{ segment, ip }]`.
fn placement(f: &mut Fields, interfaces: &[HostInterface]) {
    match interfaces {
        [one] => {
            f.text("segment", &one.segment.value).text("ip", *one.ip);
        }
        _ => {
            let list = interfaces
                .iter()
                .map(|i| {
                    Val::Inline(
                        Fields::default()
                            .text("segment", &i.segment.value)
                            .text("ip", *i.ip)
                            .done(),
                    )
                })
                .collect();
            f.put("interfaces", Val::List(list));
        }
    }
}

fn host(h: &Host) -> Fields {
    let mut f = Fields::default();
    f.text("id", &h.id)
        .text("kind", h.kind)
        .labels(&h.name, &h.description);
    placement(&mut f, &h.interfaces);
    if h.count != 1 {
        f.put("count", Val::Int(h.count));
    }
    f.opt_texts("services", &values(&h.services))
        .opt_texts("vulnerable", &values(&h.vulnerable))
        .opt_texts("internet_use", &h.internet_use)
        .opt_bool("mfa", h.mfa)
        .opt_text("removable_media", h.removable_media)
        .opt_bool("edr", h.edr)
        .opt_bool("antivirus", h.antivirus)
        .opt_bool("disk_encryption", h.disk_encryption)
        .opt_bool("client_isolation", h.client_isolation);
    host_facts(&mut f, &h.facts);
    f.done()
}

fn opt_int(f: &mut Fields, key: &'static str, value: Option<u64>) {
    if let Some(n) = value {
        f.put(key, Val::Int(n));
    }
}

fn host_facts(f: &mut Fields, x: &HostFacts) {
    f.opt_texts("role", &x.roles)
        .opt_bool("registered", x.registered);
    f.opt_bool("issued_by_org", x.issued_by_org);
    opt_int(
        f,
        "patch_age_days",
        x.patch_age_days.as_ref().map(|a| a.value),
    );
    if let Some(l) = &x.listening {
        f.texts("listening", &values(l));
    }
    f.opt_bool("log_source", x.log_source)
        .opt_text("ntp_server", x.ntp_server.as_ref().map(|a| &a.value))
        .opt_text("runs_on", x.runs_on.as_ref().map(|a| &a.value))
        .opt_texts("serves_zones", &values(&x.serves_zones))
        .opt_text("shared_approved_by", x.shared_approved_by.as_ref())
        .opt_text("shared_reason", x.shared_reason.as_ref())
        .opt_texts("business_units", &x.business_units);
}

/// `[org]`, when the design has one.
fn org(o: &Org) -> Option<Fields> {
    o.loc?;
    Some(
        Fields::default()
            .opt_bool("csirt", o.csirt)
            .opt_text("last_training", o.last_training.as_ref().map(|a| &a.value))
            .opt_text(
                "last_self_check",
                o.last_self_check.as_ref().map(|a| &a.value),
            )
            .opt_text(
                "last_external_audit",
                o.last_external_audit.as_ref().map(|a| &a.value),
            )
            .done(),
    )
}

fn site(s: &Site) -> Fields {
    Fields::default()
        .text("id", &s.id)
        .text("kind", s.kind)
        .opt_text("isolation_playbook", s.isolation_playbook.as_ref())
        .labels(&s.name, &s.description)
        .done()
}

fn service(s: &ExternalService) -> Fields {
    Fields::default()
        .text("id", &s.id)
        .text("kind", s.kind)
        .opt_text("zone", s.zone.as_ref().map(|a| &a.value))
        .opt_text("external", s.external.as_ref().map(|a| &a.value))
        .opt_text("registration", s.registration.as_ref())
        .opt_text("assurance", s.assurance)
        .opt_bool("handles_conf2", s.handles_conf2)
        .opt_bool("contract_reviewed", s.contract_reviewed)
        .opt_bool("tenant_restriction", s.tenant_restriction)
        .opt_bool("mfa", s.mfa)
        .labels(&s.name, &s.description)
        .done()
}

fn wifi(w: &Wifi) -> Fields {
    Fields::default()
        .text("id", &w.id)
        .opt_text("ssid", w.ssid.as_ref())
        .text("segment", &w.segment.value)
        .opt_text("auth", w.auth)
        .labels(&w.name, &w.description)
        .done()
}

fn remote_access(r: &RemoteAccess) -> Fields {
    Fields::default()
        .text("id", &r.id)
        .text("kind", r.kind)
        .text("segment", &r.segment.value)
        .opt_text("external", r.external.as_ref().map(|a| &a.value))
        .opt_bool("mfa", r.mfa)
        .opt_bool("source_restricted", r.source_restricted)
        .opt_bool("session_recording", r.session_recording)
        .opt_bool("approved", r.approved)
        .labels(&r.name, &r.description)
        .done()
}

fn log_sink(l: &LogSink) -> Fields {
    let mut f = Fields::default();
    f.text("id", &l.id)
        .opt_text("host", l.host.as_ref().map(|a| &a.value));
    opt_int(
        &mut f,
        "retention_days",
        l.retention_days.as_ref().map(|a| a.value),
    );
    f.opt_bool("soc", l.soc)
        .opt_texts("sources", &values(&l.sources))
        .labels(&l.name, &l.description)
        .done()
}

fn monitor(m: &Monitor) -> Fields {
    Fields::default()
        .text("id", &m.id)
        .text("kind", m.kind)
        .texts("covers", &values(&m.covers))
        .labels(&m.name, &m.description)
        .done()
}

fn store(s: &Store) -> Fields {
    let mut f = Fields::default();
    f.text("id", &s.id)
        .text("host", &s.host.value)
        .opt_text("service", s.service.as_ref().map(|a| a.value))
        .labels(&s.name, &s.description)
        .texts("data", &s.data);
    if let Some(r) = s.records {
        f.put("records", Val::Int(r));
    }
    f.opt_bool("encrypted", s.encrypted)
        .opt_texts("readers", &values(&s.readers))
        .opt_text("copied_from", s.copied_from.as_ref().map(|a| &a.value));
    opt_int(&mut f, "confidentiality", s.confidentiality.map(u64::from));
    f.opt_text("owner", s.owner.as_ref())
        .opt_text("purpose", s.purpose.as_ref())
        .opt_text("retain_until", s.retain_until.as_ref().map(|a| &a.value))
        .done()
}

fn firewall(fw: &Firewall) -> Fields {
    let interfaces = fw
        .interfaces
        .iter()
        .map(|i| {
            let mut t = Fields::default();
            t.opt_text("name", i.name.as_ref());
            match &i.attachment.value {
                Attachment::Segment(s) => t.text("segment", s),
                Attachment::External(e) => t.text("external", e),
            };
            t.opt_text("ip", i.ip.as_ref().map(|a| a.value));
            Val::Inline(t.done())
        })
        .collect();
    let mut f = Fields::default();
    f.text("id", &fw.id)
        .labels(&fw.name, &fw.description)
        .put("interfaces", Val::List(interfaces))
        .text("default", fw.default)
        .bool_unless("stateful", fw.stateful, true)
        .opt_bool("isolation_point", fw.isolation_point);
    if !fw.rules.is_empty() {
        let rules = fw.rules.iter().map(|r| rule(r, true)).collect();
        f.put("rule", Val::Tables(rules));
    }
    if !fw.filters.is_empty() {
        f.put(
            "filter",
            Val::Tables(fw.filters.iter().map(filter).collect()),
        );
    }
    if !fw.routes.is_empty() {
        f.put("route", Val::Tables(fw.routes.iter().map(route).collect()));
    }
    if !fw.nat.is_empty() {
        f.put("nat", Val::Tables(fw.nat.iter().map(nat).collect()));
    }
    f.done()
}

/// A static route (`[[firewall.route]]`), in the loader's key order.
fn route(r: &Route) -> Fields {
    let mut f = Fields::default();
    f.text("destination", r.destination.value)
        .opt_text("interface", r.interface.as_ref().map(|a| &a.value))
        .opt_text("next_hop", r.next_hop.as_ref().map(|a| a.value))
        .bool_unless("discard", r.discard, false)
        .opt_text("origin", r.origin.as_ref())
        .done()
}

/// A `[[firewall.nat]]` entry, with the keys of its kind only (the loader refuses the others).
fn nat(n: &Nat) -> Fields {
    // A prefix of one address is written as the address, as people write it.
    let prefix = |p: &Ipv4Net| {
        if p.prefix_len() == 32 {
            p.addr().to_string()
        } else {
            p.to_string()
        }
    };
    let any = |s: &Service| *s == Service::Any;
    let mut f = Fields::default();
    f.text("kind", n.kind())
        .opt_text("id", n.id.as_ref().map(|a| &a.value))
        .opt_text("origin", n.origin.as_ref());
    match &n.translation {
        Translation::Destination {
            interface,
            from,
            destination,
            service,
            translated,
            port,
        } => {
            f.opt_text("interface", interface.as_ref().map(|a| &a.value));
            selectors(&mut f, "from", from);
            f.text("destination", prefix(&destination.value));
            if !any(&service.value) {
                f.text("service", service.value);
            }
            f.text("translated", prefix(&translated.value));
            if let Some(p) = port {
                f.put("translated_port", Val::Int(u64::from(p.value)));
            }
        }
        Translation::Source {
            interface,
            from,
            to,
            service,
            to_source,
        } => {
            f.text("interface", &interface.value);
            selectors(&mut f, "from", from);
            selectors(&mut f, "to", to);
            if !any(&service.value) {
                f.text("service", service.value);
            }
            match to_source {
                SourceAddress::Address(a) => f.text("translated", a.value),
                SourceAddress::Pool(pool) => f.texts("pool", &values(pool)),
                SourceAddress::Masquerade(_) => f.put("masquerade", Val::Bool(true)),
            };
            if !n.hides {
                f.put("hide", Val::Bool(false));
            }
        }
        Translation::Static {
            interface,
            inside,
            outside,
        } => {
            f.text("interface", &interface.value)
                .text("inside", prefix(&inside.value))
                .text("outside", prefix(&outside.value));
            if !n.hides {
                f.put("hide", Val::Bool(false));
            }
        }
    }
    f.done()
}

/// A NAT entry's `from`/`to`, left out when it is the loader's default (`any`).
fn selectors(f: &mut Fields, key: &'static str, items: &[At<Selector>]) {
    if !(items.len() == 1 && items[0].value == Selector::Any) {
        f.one_or_many(key, &values(items));
    }
}

/// A rule of the policy list (`policy_list`: with `in`/`out`) or of an interface filter (whose
/// rules have no `in`/`out` keys in the format).
fn rule(r: &Rule, policy_list: bool) -> Fields {
    let mut f = Fields::default();
    f.opt_text("id", r.identity.id.as_ref().map(|a| &a.value))
        .text("action", r.action)
        .one_or_many("from", &values(&r.from))
        .one_or_many("to", &values(&r.to));
    // No `service` key means every service; anything else is written out, even an empty list.
    let any = r.services.len() == 1 && r.services[0].value == Service::Any;
    if !any {
        f.one_or_many("service", &values(&r.services));
    }
    if policy_list {
        f.opt_texts("in", &values(&r.in_interfaces))
            .opt_texts("out", &values(&r.out_interfaces));
    }
    f.bool_unless("log", r.log, false)
        .opt_text("reason", r.reason.as_ref())
        .opt_text("origin", r.origin.as_ref())
        .opt_text("approximation", r.approximation.as_ref())
        .opt_text("owner", r.identity.owner.as_ref())
        .opt_text("ticket", r.identity.ticket.as_ref())
        .opt_text("approved_by", r.identity.approved_by.as_ref())
        // Dates as strings, which the loader accepts in TOML and JSON alike.
        .opt_text(
            "reviewed_at",
            r.identity.reviewed_at.as_ref().map(|a| &a.value),
        )
        .opt_text("expires", r.identity.expires.as_ref().map(|a| &a.value))
        .done()
}

fn filter(fl: &Filter) -> Fields {
    let mut f = Fields::default();
    f.text("interface", &fl.interface.value)
        .text("direction", fl.direction)
        .text("default", fl.default);
    if !fl.rules.is_empty() {
        let rules = fl.rules.iter().map(|r| rule(r, false)).collect();
        f.put("rule", Val::Tables(rules));
    }
    f.done()
}

fn gateway(g: &Gateway) -> Fields {
    let mut f = Fields::default();
    f.text("id", &g.id)
        .text("kind", g.kind)
        .labels(&g.name, &g.description)
        .text("from", &g.from.value)
        .text("to", &g.to.value);
    placement(&mut f, &g.interfaces);
    f.opt_text("method", g.method)
        .bool_unless("bypass", g.bypass, false)
        .opt_text("clipboard", g.clipboard)
        .opt_bool("file_transfer", g.file_transfer)
        .opt_bool("drive_redirection", g.drive_redirection)
        .done()
}

fn account(a: &Account) -> Fields {
    Fields::default()
        .text("id", &a.id)
        .text("privilege", a.privilege)
        .labels(&a.name, &a.description)
        .opt_texts("admin_on", &values(&a.admin_on))
        .opt_texts("logs_on_to", &values(&a.logs_on_to))
        .opt_texts("groups", &a.groups)
        .opt_bool("mfa", a.mfa)
        .opt_bool("unique_per_host", a.unique_per_host)
        .opt_bool("shared", a.shared)
        .opt_bool("logon_audit", a.logon_audit)
        .done()
}

fn flow(fl: &Flow) -> Fields {
    Fields::default()
        .text("id", &fl.id)
        .labels(&fl.name, &fl.description)
        .text("from", &fl.from.value)
        .text("to", &fl.to.value)
        .text("method", fl.method)
        .opt_texts("data", &fl.data)
        .opt_text("purpose", fl.purpose.as_ref())
        .done()
}

// ---------------------------------------------------------------------------------------------
// TOML
// ---------------------------------------------------------------------------------------------

/// Writes a table under its header (`[meta]`, or `[[firewall.rule]]` for an array element): its
/// plain keys first, then its arrays of tables as sub-sections, which TOML requires to follow.
fn section(out: &mut String, path: &str, array: bool, fields: &Fields) {
    let (open, close) = if array { ("[[", "]]") } else { ("[", "]") };
    let _ = write!(out, "\n{open}{path}{close}\n");
    for (key, val) in &fields.0 {
        if !matches!(val, Val::Tables(_)) {
            out.push_str(key);
            out.push_str(" = ");
            toml_value(out, val);
            out.push('\n');
        }
    }
    for (key, val) in &fields.0 {
        if let Val::Tables(tables) = val {
            let sub = format!("{path}.{key}");
            for t in tables {
                section(out, &sub, true, t);
            }
        }
    }
}

fn toml_value(out: &mut String, val: &Val) {
    match val {
        Val::Str(s) => toml_string(out, s),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Inline tables must stay on one line in TOML 1.0, but an array may span lines: one
        // table per line keeps a firewall's interfaces readable.
        Val::List(items) if items.iter().any(|i| matches!(i, Val::Inline(_))) => {
            out.push_str("[\n");
            for item in items {
                out.push_str("  ");
                toml_value(out, item);
                out.push_str(",\n");
            }
            out.push(']');
        }
        Val::List(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                toml_value(out, item);
            }
            out.push(']');
        }
        Val::Inline(fields) => inline_table(out, fields),
        // Not produced inside a value by the entity builders; written as inline tables so the
        // output stays valid TOML anyway.
        Val::Tables(tables) => {
            out.push('[');
            for (n, t) in tables.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                inline_table(out, t);
            }
            out.push(']');
        }
    }
}

fn inline_table(out: &mut String, fields: &Fields) {
    out.push('{');
    for (n, (key, v)) in fields.0.iter().enumerate() {
        out.push_str(if n > 0 { ", " } else { " " });
        out.push_str(key);
        out.push_str(" = ");
        toml_value(out, v);
    }
    out.push_str(if fields.0.is_empty() { "}" } else { " }" });
}

/// A TOML basic string. TOML forbids raw control characters (other than tab) and DEL inside
/// one; they and the quote and backslash are escaped. Everything else, Japanese included, is
/// written as is (the file is UTF-8).
fn toml_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/// The whole topology as one JSON object: `format`, `meta`, then one array per kind (empty
/// ones left out, as in TOML).
struct JsonTopology<'t>(&'t Topology);

impl Serialize for JsonTopology<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let topo = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", &1)?;
        if let Some(meta) = meta(&topo.meta) {
            map.serialize_entry("meta", &meta)?;
        }
        if let Some(org) = org(&topo.org) {
            map.serialize_entry("org", &org)?;
        }
        for kind in Kind::ALL {
            if kind.len(topo) > 0 {
                map.serialize_entry(kind.key(), &JsonArray(topo, kind))?;
            }
        }
        map.end()
    }
}

/// The entities of one kind, each built just before it is written.
struct JsonArray<'t>(&'t Topology, Kind);

impl Serialize for JsonArray<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let JsonArray(topo, kind) = *self;
        let mut seq = serializer.serialize_seq(Some(kind.len(topo)))?;
        for i in 0..kind.len(topo) {
            seq.serialize_element(&kind.fields(topo, i))?;
        }
        seq.end()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, val) in &self.0 {
            map.serialize_entry(key, val)?;
        }
        map.end()
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Str(s) => serializer.serialize_str(s),
            Val::Int(n) => serializer.serialize_u64(*n),
            Val::Bool(b) => serializer.serialize_bool(*b),
            Val::List(items) => items.serialize(serializer),
            Val::Inline(fields) => fields.serialize(serializer),
            Val::Tables(tables) => tables.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostics, render_all};
    use crate::load::{Syntax, decode_topology};
    use crate::source::SourceMap;
    use std::path::Path;

    /// The model's Debug text with every location removed: what remains is the content.
    fn content(topo: &Topology) -> String {
        let debug = format!("{topo:#?}");
        let mut out = String::with_capacity(debug.len());
        let mut rest = debug.as_str();
        while let Some(i) = rest.find("Loc {") {
            out.push_str(&rest[..i]);
            let end = rest[i..].find('}').unwrap();
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Loads text as one file; panics with the rendered diagnostics when any appear.
    fn load(name: &str, text: &str, syntax: Syntax) -> Topology {
        load_as(name, text, syntax, false)
    }

    /// Loads text as one file; panics on any error, and on any warning unless `warnings_ok`.
    fn load_as(name: &str, text: &str, syntax: Syntax, warnings_ok: bool) -> Topology {
        let mut sources = SourceMap::default();
        let file = sources.add(name, text);
        let mut diags = Diagnostics::default();
        let topo = decode_topology(&[(file, syntax)], &sources, &mut diags);
        assert!(
            diags.items.iter().all(|d| warnings_ok && !d.is_error()),
            "{name} does not load cleanly:\n{}\n--- text ---\n{text}",
            render_all(&sources, &diags)
        );
        topo
    }

    fn samples() -> Vec<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("topologies");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no sample topologies");
        files
    }

    #[test]
    fn every_sample_round_trips_through_toml_and_json() {
        for path in samples() {
            let name = path.display().to_string();
            let original = load(
                &name,
                &std::fs::read_to_string(&path).unwrap(),
                Syntax::Toml,
            );
            let expected = content(&original);

            let toml = to_toml(&original);
            let again = load(&format!("{name} (written as TOML)"), &toml, Syntax::Toml);
            assert_eq!(content(&again), expected, "{name}: TOML round trip differs");
            // Writing what was read back gives the same text: the writer is a fixed point.
            assert_eq!(to_toml(&again), toml, "{name}: TOML is not stable");

            let json = to_json(&original);
            let again = load(&format!("{name} (written as JSON)"), &json, Syntax::Json);
            assert_eq!(content(&again), expected, "{name}: JSON round trip differs");
            assert_eq!(to_json(&again), json, "{name}: JSON is not stable");

            let compact = to_json_compact(&original);
            assert_eq!(
                compact.lines().count(),
                1,
                "{name}: compact JSON has line breaks"
            );
            let again = load(&format!("{name} (compact JSON)"), &compact, Syntax::Json);
            assert_eq!(
                content(&again),
                expected,
                "{name}: compact round trip differs"
            );
        }
    }

    #[test]
    fn routes_round_trip_through_toml_and_json() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach/routes.toml");
        let original = load(
            "routes.toml",
            &std::fs::read_to_string(path).unwrap(),
            Syntax::Toml,
        );
        assert!(original.firewalls.iter().any(|f| f.routes.len() == 3));
        let expected = content(&original);
        let toml = to_toml(&original);
        assert!(
            toml.contains("[[firewall.route]]\ndestination = \"172.20.0.0/16\"\ndiscard = true")
        );
        let again = load("routes (TOML)", &toml, Syntax::Toml);
        assert_eq!(content(&again), expected, "TOML round trip differs");
        let again = load("routes (JSON)", &to_json(&original), Syntax::Json);
        assert_eq!(content(&again), expected, "JSON round trip differs");
    }

    #[test]
    fn nat_entries_of_every_kind_round_trip() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach/nat-edge.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        // The fixture has a destination NAT and a masquerade; add the other shapes.
        text.push_str(
            r#"
[[firewall.nat]]
kind = "static"
id = "dmz-block"
interface = "wan"
inside = "10.3.9.0/28"
outside = "203.0.113.16/28"
origin = "r1.conf:40"

[[firewall.nat]]
kind = "source"
interface = "wan"
to = "external:internet"
service = "udp/53"
pool = ["203.0.113.20-203.0.113.29", "203.0.113.40"]

[[firewall.nat]]
kind = "source"
interface = "wan"
from = "10.3.0.0/24"
translated = "203.0.113.2"

[[firewall.nat]]
kind = "destination"
destination = "203.0.113.32/29"
translated = "10.3.9.0/29"
"#,
        );
        // Until the analysis applies NAT, the checker warns that it does not.
        let original = load_as("nat.toml", &text, Syntax::Toml, true);
        assert_eq!(original.firewalls[0].nat.len(), 6);
        let expected = content(&original);
        let toml = to_toml(&original);
        assert!(
            toml.contains("[[firewall.nat]]\nkind = \"static\""),
            "{toml}"
        );
        let again = load_as("nat.toml (written)", &toml, Syntax::Toml, true);
        assert_eq!(
            content(&again),
            expected,
            "TOML round trip differs:\n{toml}"
        );
        let json = to_json(&original);
        let again = load_as("nat.json (written)", &json, Syntax::Json, true);
        assert_eq!(
            content(&again),
            expected,
            "JSON round trip differs:\n{json}"
        );
    }

    #[test]
    fn a_split_topology_loads_back_to_the_same_model() {
        let topo = crate::generate::generate(crate::generate::Size::S, 1);
        let mut sources = SourceMap::default();
        let files: Vec<_> = split(&topo)
            .iter()
            .map(|(name, part)| (sources.add(name.as_str(), to_toml(part)), Syntax::Toml))
            .collect();
        assert!(files.len() >= 3);
        let mut diags = Diagnostics::default();
        let merged = decode_topology(&files, &sources, &mut diags);
        assert!(!diags.has_errors(), "{}", render_all(&sources, &diags));
        assert_eq!(content(&merged), content(&topo));
    }

    #[test]
    fn awkward_strings_survive_both_formats() {
        let awkward = "課\"A\" \\ 1\n2\t\u{1}\u{7f} 市";
        let text = "format = 1\n[meta]\nname = \"x\"\n[[zone]]\nid = \"z\"\ntier = \"lgwan\"\n";
        let mut topo = load("base.toml", text, Syntax::Toml);
        topo.meta.name = Some(awkward.into());
        topo.zones[0].name = Some(awkward.into());
        topo.zones[0].description = Some("C:\\share\\\"個人情報\"\r\n".into());

        let toml = to_toml(&topo);
        assert!(toml.contains(r#"name = "課\"A\" \\ 1\n2\t\u0001\u007F 市""#));
        let again = load("awkward.toml", &toml, Syntax::Toml);
        assert_eq!(content(&again), content(&topo));

        let again = load("awkward.json", &to_json(&topo), Syntax::Json);
        assert_eq!(content(&again), content(&topo));
    }

    #[test]
    fn defaults_are_left_out() {
        let text = r#"format = 1
[[zone]]
id = "z"
tier = "lgwan"
[[external]]
id = "net"
kind = "internet"
[[segment]]
id = "a"
zone = "z"
cidr = "10.0.0.0/24"
[[host]]
id = "h"
kind = "server"
segment = "a"
ip = "10.0.0.5"
count = 1
[[firewall]]
id = "fw"
interfaces = [{ segment = "a" }, { external = "net" }]
default = "deny"
stateful = true
[[firewall.rule]]
action = "allow"
from = ["segment:a"]
to = "any"
service = "any"
log = false
"#;
        let toml = to_toml(&load("defaults.toml", text, Syntax::Toml));
        for absent in ["count", "stateful", "service", "log", "cidrs"] {
            assert!(
                !toml.contains(&format!("{absent} =")),
                "{absent} written:\n{toml}"
            );
        }
        assert!(toml.contains("\n[[firewall.rule]]\naction = \"allow\"\nfrom = \"segment:a\"\n"));
    }
}
