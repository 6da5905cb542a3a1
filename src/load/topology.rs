//! Decoding one topology file's tree into model entities (format version 1).
//!
//! Only the shape of each value is checked here; whether ids exist, addresses fit their segments
//! and so on is checked once all files are merged (`check.rs`).

use super::doc::{Node, Value};
use super::reader::{TableReader, string};
use super::values::{id, labels, parsed, parsed_list, word, words};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::address::{AddrRange, parse_addr, parse_net};
use crate::model::*;
use rayon::prelude::*;

/// Decodes one file into `topo`, appending to its lists (that is how a directory of files
/// merges). A second `[meta]` is reported with both places.
pub fn decode_file(
    root: &Node,
    topo: &mut Topology,
    broken: &mut Vec<BrokenId>,
    diags: &mut Diagnostics,
) {
    let Some(mut t) = TableReader::new(root, "the topology file", diags) else {
        return;
    };
    check_format(&mut t, root, diags);
    if let Some(node) = t.get("meta") {
        decode_meta(node, topo, diags);
    }
    decode_all(&mut t, "zone", zone, &mut topo.zones, broken, diags);
    decode_all(
        &mut t,
        "external",
        external,
        &mut topo.externals,
        broken,
        diags,
    );
    decode_all(
        &mut t,
        "segment",
        segment,
        &mut topo.segments,
        broken,
        diags,
    );
    decode_all(&mut t, "host", host, &mut topo.hosts, broken, diags);
    decode_all(&mut t, "store", store, &mut topo.stores, broken, diags);
    decode_all(
        &mut t,
        "firewall",
        firewall,
        &mut topo.firewalls,
        broken,
        diags,
    );
    decode_all(
        &mut t,
        "gateway",
        gateway,
        &mut topo.gateways,
        broken,
        diags,
    );
    decode_all(
        &mut t,
        "account",
        account,
        &mut topo.accounts,
        broken,
        diags,
    );
    decode_all(&mut t, "flow", flow, &mut topo.flows, broken, diags);
    if let Some(node) = t.get("org") {
        super::estate::decode_org(node, topo, diags);
    }
    use super::estate as e;
    decode_all(&mut t, "site", e::site, &mut topo.sites, broken, diags);
    decode_all(
        &mut t,
        "service",
        e::service,
        &mut topo.services,
        broken,
        diags,
    );
    decode_all(&mut t, "wifi", e::wifi, &mut topo.wifis, broken, diags);
    decode_all(
        &mut t,
        "remote_access",
        e::remote_access,
        &mut topo.remote_access,
        broken,
        diags,
    );
    decode_all(
        &mut t,
        "log_sink",
        e::log_sink,
        &mut topo.log_sinks,
        broken,
        diags,
    );
    decode_all(
        &mut t,
        "monitor",
        e::monitor,
        &mut topo.monitors,
        broken,
        diags,
    );
    t.finish(diags);
}

/// Decodes every `[[kind]]` table of a file with `decode` and appends the results to `list`.
///
/// Each entity decodes on its own, so they are decoded in parallel (a large design has hundreds
/// of firewalls with a hundred thousand rules), each with its own diagnostics. Results and
/// diagnostics are then merged in input order, exactly as a sequential loop would give them.
fn decode_all<T: Send>(
    t: &mut TableReader<'_>,
    kind: &'static str,
    decode: fn(&Node, &mut Diagnostics) -> Option<T>,
    list: &mut Vec<T>,
    broken: &mut Vec<BrokenId>,
    diags: &mut Diagnostics,
) {
    let nodes = t.tables(kind, diags);
    let decoded: Vec<(Option<T>, Diagnostics)> = nodes
        .par_iter()
        .map(|node| {
            let mut found = Diagnostics::default();
            (decode(node, &mut found), found)
        })
        .collect();
    for (node, (entity, found)) in nodes.into_iter().zip(decoded) {
        diags.extend(found);
        keep(entity, kind, node, list, broken);
    }
}

/// The id of an entity that could not be decoded. It still counts as defined, so references
/// to it do not add "unknown id" errors on top of the real problem.
#[derive(Clone, Debug)]
pub struct BrokenId {
    pub kind: &'static str,
    pub id: String,
    pub loc: crate::source::Loc,
}

fn keep<T>(
    decoded: Option<T>,
    kind: &'static str,
    node: &Node,
    list: &mut Vec<T>,
    broken: &mut Vec<BrokenId>,
) {
    match decoded {
        Some(entity) => list.push(entity),
        None => {
            if let Value::Table(entries) = &node.value
                && let Some(e) = entries.iter().find(|e| e.key == "id")
                && let Value::String(id) = &e.value.value
            {
                broken.push(BrokenId {
                    kind,
                    id: id.to_string(),
                    loc: e.value.loc,
                });
            }
        }
    }
}

/// Every file must say `format = 1`, so a future format 2 is never misread.
pub fn check_format(t: &mut TableReader<'_>, root: &Node, diags: &mut Diagnostics) {
    match t.get("format") {
        None => diags.push(
            Diagnostic::error(
                super::doc_start(root),
                "missing `format = 1` at the top of the file",
            )
            .with_label("every topology and policy file starts with `format = 1`"),
        ),
        Some(node) => match node.value {
            Value::Integer(1) => {}
            Value::Integer(n) => diags.push(
                Diagnostic::error(node.loc, format!("unsupported format version {n}"))
                    .with_label("this sansou reads format 1"),
            ),
            ref other => super::reader::type_error(node, "the integer 1", other, diags),
        },
    }
}

fn decode_meta(node: &Node, topo: &mut Topology, diags: &mut Diagnostics) {
    let Some(mut t) = TableReader::new(node, "[meta]", diags) else {
        return;
    };
    if let Some(first) = topo.meta.loc {
        diags.push(
            Diagnostic::error(t.header_loc(), "[meta] appears in more than one file")
                .with_label("second [meta]")
                .with_related(first, "first [meta] here"),
        );
    }
    let name = t.str("name", diags).map(|s| s.value);
    let model = t.get("model").and_then(|n| {
        let m = word(n, "model", NetworkModel::parse, NetworkModel::WORDS, diags)?;
        Some(At::new(m, n.loc))
    });
    let guideline = t.get("guideline").and_then(|n| {
        let e = word(
            n,
            "guideline edition",
            crate::model::edition::parse,
            crate::model::edition::WORDS,
            diags,
        )?;
        // A model the claimed edition does not define yet is a contradiction in the design.
        if let Some(m) = &model {
            let first = crate::model::edition::introducing(m.value);
            if e < first {
                diags.push(
                    Diagnostic::error(
                        n.loc,
                        format!(
                            "guideline edition `{}` does not define the model `{}`",
                            e.code, m.value
                        ),
                    )
                    .with_label(format!("{} appears from {}", m.value, first.code))
                    .with_related(m.loc, "model declared here"),
                );
            }
        }
        Some(e.code.to_string())
    });
    let description = t.str("description", diags).map(|s| s.value);
    topo.meta = Meta {
        name,
        model,
        guideline,
        description,
        loc: Some(t.header_loc()),
    };
    t.finish(diags);
}

fn zone(node: &Node, diags: &mut Diagnostics) -> Option<Zone> {
    let mut t = TableReader::new(node, "[[zone]]", diags)?;
    let id = id(&mut t, diags);
    let tier = t
        .require("tier", diags)
        .and_then(|n| word(n, "tier", Tier::parse, Tier::WORDS, diags));
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Zone {
        loc: id.loc,
        id: id.value,
        tier: tier?,
        name,
        description,
    })
}

fn external(node: &Node, diags: &mut Diagnostics) -> Option<External> {
    let mut t = TableReader::new(node, "[[external]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "external kind",
            ExternalKind::parse,
            ExternalKind::WORDS,
            diags,
        )
    });
    let cidrs_node = t.get("cidrs");
    let cidrs = cidrs_node
        .map(|n| parsed_list(n, "CIDR", parse_net, diags))
        .unwrap_or_default();
    let line = t
        .get("line")
        .and_then(|n| word(n, "line kind", LineKind::parse, LineKind::WORDS, diags));
    let approved = t.bool("approved", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let (id, kind) = (id?, kind?);
    let cidrs = match cidrs_node {
        Some(_) => cidrs,
        None if kind.is_internet() => vec![At::new("0.0.0.0/0".parse().ok()?, id.loc)],
        None => {
            diags.push(
                Diagnostic::error(id.loc, format!("external `{}` needs `cidrs`", id.value))
                    .with_label(format!("a `{kind}` external has no default address range"))
                    .with_note("list the prefixes it stands for, e.g. cidrs = [\"172.16.0.0/12\"]"),
            );
            Vec::new()
        }
    };
    Some(External {
        loc: id.loc,
        id: id.value,
        kind,
        cidrs,
        line,
        approved,
        name,
        description,
    })
}

fn segment(node: &Node, diags: &mut Diagnostics) -> Option<Segment> {
    let mut t = TableReader::new(node, "[[segment]]", diags)?;
    let id = id(&mut t, diags);
    let zone = t.required_str("zone", diags);
    let cidr = t
        .require("cidr", diags)
        .and_then(|n| parsed(n, "CIDR", parse_net, diags));
    let site = t.str("site", diags);
    let nac = t
        .get("nac")
        .and_then(|n| word(n, "NAC setting", Nac::parse, Nac::WORDS, diags));
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Segment {
        loc: id.loc,
        id: id.value,
        zone: zone?,
        cidr: cidr?,
        site,
        nac,
        name,
        description,
    })
}

/// `{ segment, ip }`: where a host or gateway sits.
fn host_interface(
    node: &Node,
    what: &'static str,
    diags: &mut Diagnostics,
) -> Option<HostInterface> {
    let mut t = TableReader::new(node, what, diags)?;
    let segment = t.required_str("segment", diags);
    let ip = t
        .require("ip", diags)
        .and_then(|n| parsed(n, "address", AddrRange::parse, diags));
    t.finish(diags);
    Some(HostInterface {
        segment: segment?,
        ip: ip?,
    })
}

/// A host or gateway is written either with `segment` + `ip` (one interface) or with
/// `interfaces = [{ segment, ip }, ...]`; exactly one of the two forms.
fn interfaces(t: &mut TableReader<'_>, diags: &mut Diagnostics) -> Option<Vec<HostInterface>> {
    let segment = t.get("segment");
    let ip = t.get("ip");
    let list = t.get("interfaces");
    match (segment, ip, list) {
        (None, None, Some(list)) => {
            let items: Vec<&Node> = match &list.value {
                Value::Array(items) => items.iter().collect(),
                other => {
                    super::reader::type_error(
                        list,
                        "an array of { segment, ip } tables",
                        other,
                        diags,
                    );
                    return None;
                }
            };
            if items.is_empty() {
                diags.push(
                    Diagnostic::error(list.loc, "`interfaces` is empty")
                        .with_label("at least one { segment, ip } is needed"),
                );
                return None;
            }
            let decoded: Vec<_> = items
                .into_iter()
                .map(|n| host_interface(n, "interface", diags))
                .collect();
            decoded.into_iter().collect()
        }
        (Some(_), _, Some(list)) | (_, Some(_), Some(list)) => {
            diags.push(
                Diagnostic::error(
                    t.key_loc("interfaces").unwrap_or(list.loc),
                    format!("{} has both `segment`/`ip` and `interfaces`", t.what),
                )
                .with_label("use one form")
                .with_note(
                    "one interface: segment + ip; several: interfaces = [{ segment, ip }, ...]",
                ),
            );
            None
        }
        (segment, ip, None) => {
            let segment = match segment {
                Some(n) => string(n, diags),
                None => {
                    t.require("segment", diags);
                    None
                }
            };
            let ip = match ip {
                Some(n) => parsed(n, "address", AddrRange::parse, diags),
                None => {
                    t.require("ip", diags);
                    None
                }
            };
            Some(vec![HostInterface {
                segment: segment?,
                ip: ip?,
            }])
        }
    }
}

fn services(
    t: &mut TableReader<'_>,
    key: &'static str,
    diags: &mut Diagnostics,
) -> Vec<At<Service>> {
    t.get(key)
        .map(|n| parsed_list(n, "service", Service::parse, diags))
        .unwrap_or_default()
}

fn host(node: &Node, diags: &mut Diagnostics) -> Option<Host> {
    let mut t = TableReader::new(node, "[[host]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t
        .require("kind", diags)
        .and_then(|n| word(n, "host kind", HostKind::parse, HostKind::WORDS, diags));
    let interfaces = interfaces(&mut t, diags);
    let count = t.u64("count", diags);
    if let Some(c) = &count
        && c.value == 0
    {
        diags.push(Diagnostic::error(c.loc, "`count` must be at least 1").with_label("zero hosts"));
    }
    let listens = services(&mut t, "services", diags);
    let vulnerable = services(&mut t, "vulnerable", diags);
    let internet_use = t
        .get("internet_use")
        .map(|n| {
            words(
                n,
                "internet use",
                InternetUse::parse,
                InternetUse::WORDS,
                diags,
            )
        })
        .unwrap_or_default();
    let mfa = t.bool("mfa", diags);
    let removable_media = t.get("removable_media").and_then(|n| {
        word(
            n,
            "removable media policy",
            RemovableMedia::parse,
            RemovableMedia::WORDS,
            diags,
        )
    });
    let edr = t.bool("edr", diags);
    let antivirus = t.bool("antivirus", diags);
    let disk_encryption = t.bool("disk_encryption", diags);
    let client_isolation = t.bool("client_isolation", diags);
    let facts = super::estate::host_facts(&mut t, diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Host {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        interfaces: interfaces?,
        count: count.map_or(1, |c| c.value.max(1)),
        services: listens,
        vulnerable,
        internet_use,
        mfa,
        removable_media,
        edr,
        antivirus,
        disk_encryption,
        client_isolation,
        facts: facts.into(),
        name,
        description,
    })
}

fn reader(text: &str) -> Result<Reader, String> {
    if text == "everyone" {
        return Ok(Reader::Everyone);
    }
    match text.split_once(':') {
        Some(("account", id)) if !id.is_empty() => Ok(Reader::Account(id.into())),
        Some(("group", g)) if !g.is_empty() => Ok(Reader::Group(g.into())),
        _ => Err(format!(
            "`{text}` is not a reader (expected everyone, account:ID or group:NAME)"
        )),
    }
}

fn store(node: &Node, diags: &mut Diagnostics) -> Option<Store> {
    let mut t = TableReader::new(node, "[[store]]", diags)?;
    let id = id(&mut t, diags);
    let host = t.required_str("host", diags);
    let service = t
        .get("service")
        .and_then(|n| parsed(n, "service", Service::parse, diags));
    let data = t
        .require("data", diags)
        .map(|n| words(n, "data class", DataClass::parse, DataClass::WORDS, diags))
        .unwrap_or_default();
    let records = t.u64("records", diags).map(|r| r.value);
    let encrypted = t.bool("encrypted", diags);
    let readers = t
        .get("readers")
        .map(|n| parsed_list(n, "reader", reader, diags))
        .unwrap_or_default();
    let copied_from = t.str("copied_from", diags);
    let confidentiality = t.u64("confidentiality", diags).and_then(|c| {
        if (1..=3).contains(&c.value) {
            Some(c.value as u8)
        } else {
            diags.push(
                Diagnostic::error(
                    c.loc,
                    format!("confidentiality class {} does not exist", c.value),
                )
                .with_label("expected 1, 2 or 3 (機密性1, 2, 3)"),
            );
            None
        }
    });
    let owner = t.str("owner", diags).map(|s| s.value);
    let purpose = t.str("purpose", diags).map(|s| s.value);
    let retain_until = t
        .get("retain_until")
        .and_then(|n| super::policy::date(n, diags));
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Store {
        loc: id.loc,
        id: id.value,
        host: host?,
        service,
        data,
        records,
        encrypted,
        readers,
        copied_from,
        confidentiality,
        owner,
        purpose,
        retain_until,
        name,
        description,
    })
}

fn firewall_interface(node: &Node, diags: &mut Diagnostics) -> Option<FirewallInterface> {
    let mut t = TableReader::new(node, "firewall interface", diags)?;
    let name = t.str("name", diags);
    let segment = t.str("segment", diags);
    let external = t.str("external", diags);
    let ip = t
        .get("ip")
        .and_then(|n| parsed(n, "address", parse_addr, diags));
    let table_loc = t.header_loc();
    t.finish(diags);
    let attachment = match (segment, external) {
        (Some(s), None) => At::new(Attachment::Segment(s.value), s.loc),
        (None, Some(e)) => At::new(Attachment::External(e.value), e.loc),
        (Some(s), Some(_)) => {
            diags.push(
                Diagnostic::error(
                    s.loc,
                    "a firewall interface has both `segment` and `external`",
                )
                .with_label("an interface sits on one segment or faces one external"),
            );
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(
                    table_loc,
                    "a firewall interface needs `segment` or `external`",
                )
                .with_label("attached to nothing"),
            );
            return None;
        }
    };
    Some(FirewallInterface {
        name: name.map(|n| n.value),
        attachment,
        ip,
        loc: node.loc,
    })
}

fn action(t: &mut TableReader<'_>, key: &'static str, diags: &mut Diagnostics) -> Option<Action> {
    t.require(key, diags)
        .and_then(|n| word(n, "action", Action::parse, Action::WORDS, diags))
}

/// A rule of the policy list (`in_out = true`) or of an interface filter.
fn rule(node: &Node, what: &'static str, in_out: bool, diags: &mut Diagnostics) -> Option<Rule> {
    let mut t = TableReader::new(node, what, diags)?;
    let action = action(&mut t, "action", diags);
    let from = t
        .require("from", diags)
        .map(|n| parsed_list(n, "selector", Selector::parse, diags));
    let to = t
        .require("to", diags)
        .map(|n| parsed_list(n, "selector", Selector::parse, diags));
    let mut services = services(&mut t, "service", diags);
    if t.key_loc("service").is_none() {
        services.push(At::new(Service::Any, t.header_loc()));
    }
    let (in_interfaces, out_interfaces) = if in_out {
        (t.strings("in", diags), t.strings("out", diags))
    } else {
        (Vec::new(), Vec::new())
    };
    let log = t.bool("log", diags).unwrap_or(false);
    let reason = t.str("reason", diags).map(|s| s.value);
    let origin = t.str("origin", diags).map(|s| s.value);
    let approximation = t.str("approximation", diags).map(|s| s.value);
    let identity = rule_identity(&mut t, diags);
    let loc = t.header_loc();
    t.finish(diags);
    let (from, to) = (from?, to?);
    for (list, key) in [(&from, "from"), (&to, "to")] {
        if list.is_empty() {
            diags.push(
                Diagnostic::error(loc, format!("`{key}` of a rule names nothing"))
                    .with_label("write `any` to mean everything"),
            );
        }
    }
    Some(Rule {
        action: action?,
        from,
        to,
        services,
        in_interfaces,
        out_interfaces,
        log,
        reason,
        origin,
        approximation,
        identity: identity.into(),
        loc,
    })
}

/// A rule's optional id and review record. An id of digits only would read as a position in
/// subjects (`fw-mn/3`), so it is refused.
fn rule_identity(t: &mut TableReader<'_>, diags: &mut Diagnostics) -> RuleIdentity {
    let id = t.str("id", diags).filter(|id| {
        if !super::values::check_id(id, diags) {
            return false;
        }
        let digits = id.value.chars().all(|c| c.is_ascii_digit());
        if digits {
            diags.push(
                Diagnostic::error(id.loc, format!("rule id `{}` is only digits", id.value))
                    .with_label("it would read as the rule's position in subjects")
                    .with_note("use a word, as `allow-juki-443` or `policy-12`"),
            );
        }
        !digits
    });
    let mut text = |key: &'static str| t.str(key, diags).map(|s| s.value);
    let (owner, ticket, approved_by) = (text("owner"), text("ticket"), text("approved_by"));
    let reviewed_at = t
        .get("reviewed_at")
        .and_then(|n| super::policy::date(n, diags));
    let expires = t.get("expires").and_then(|n| super::policy::date(n, diags));
    RuleIdentity {
        id,
        owner,
        ticket,
        approved_by,
        reviewed_at,
        expires,
    }
}

/// Reports a rule id used twice in one list (both places shown).
fn unique_rule_ids(rules: &[Rule], diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, crate::source::Loc> =
        std::collections::HashMap::new();
    for id in rules.iter().filter_map(|r| r.identity.id.as_ref()) {
        if let Some(first) = seen.insert(&id.value, id.loc) {
            diags.push(
                Diagnostic::error(id.loc, format!("duplicate rule id `{}`", id.value))
                    .with_label("used again in the same list")
                    .with_related(first, "first used here"),
            );
        }
    }
}

/// Reports a NAT id used twice in one firewall (both places shown).
fn unique_nat_ids(nat: &[Nat], diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, crate::source::Loc> =
        std::collections::HashMap::new();
    for id in nat.iter().filter_map(|n| n.id.as_ref()) {
        if let Some(first) = seen.insert(&id.value, id.loc) {
            diags.push(
                Diagnostic::error(id.loc, format!("duplicate NAT id `{}`", id.value))
                    .with_label("used again in the same firewall")
                    .with_related(first, "first used here"),
            );
        }
    }
}

/// `[[firewall.route]]`: a destination prefix and where it goes: an interface, a next hop, or
/// `discard = true` (which then takes neither).
fn route(node: &Node, diags: &mut Diagnostics) -> Option<Route> {
    let mut t = TableReader::new(node, "[[firewall.route]]", diags)?;
    let destination = t
        .require("destination", diags)
        .and_then(|n| parsed(n, "CIDR", parse_net, diags));
    let interface = t.str("interface", diags);
    let next_hop = t
        .get("next_hop")
        .and_then(|n| parsed(n, "address", parse_addr, diags));
    let discard = t.bool("discard", diags).unwrap_or(false);
    let origin = t.str("origin", diags).map(|s| s.value);
    let loc = t.header_loc();
    t.finish(diags);
    match (discard, interface.is_some() || next_hop.is_some()) {
        (true, true) => diags.push(
            Diagnostic::error(loc, "a discard route has no `interface` or `next_hop`")
                .with_label("packets for it are dropped here")
                .with_note("drop `discard`, or drop `interface` and `next_hop`"),
        ),
        (false, false) => diags.push(
            Diagnostic::error(
                loc,
                "a route needs `interface`, `next_hop` or `discard = true`",
            )
            .with_label("where do packets for this destination go?"),
        ),
        _ => {}
    }
    Some(Route {
        destination: destination?,
        interface,
        next_hop,
        discard,
        origin,
        loc,
    })
}

/// The rules of a list, in a vector of exactly their number: a tier XL design holds a million
/// rules of 400 bytes, and growing the vector by doubling left up to half of it unused.
fn rules_of(
    nodes: Vec<&Node<'_>>,
    header: &'static str,
    in_out: bool,
    diags: &mut Diagnostics,
) -> Vec<Rule> {
    let mut rules = Vec::with_capacity(nodes.len());
    rules.extend(
        nodes
            .into_iter()
            .filter_map(|n| rule(n, header, in_out, diags)),
    );
    rules
}

fn filter(node: &Node, diags: &mut Diagnostics) -> Option<Filter> {
    let mut t = TableReader::new(node, "[[firewall.filter]]", diags)?;
    let interface = t.required_str("interface", diags);
    let direction = t
        .require("direction", diags)
        .and_then(|n| word(n, "direction", Direction::parse, Direction::WORDS, diags));
    let default = action(&mut t, "default", diags);
    let rules = rules_of(
        t.tables("rule", diags),
        "[[firewall.filter.rule]]",
        false,
        diags,
    );
    unique_rule_ids(&rules, diags);
    let loc = t.header_loc();
    t.finish(diags);
    Some(Filter {
        interface: interface?,
        direction: direction?,
        default: default?,
        rules,
        loc,
    })
}

pub(crate) fn firewall(node: &Node, diags: &mut Diagnostics) -> Option<Firewall> {
    let mut t = TableReader::new(node, "[[firewall]]", diags)?;
    let id = id(&mut t, diags);
    let interfaces: Option<Vec<FirewallInterface>> =
        t.require("interfaces", diags).map(|n| match &n.value {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| firewall_interface(i, diags))
                .collect(),
            other => {
                super::reader::type_error(n, "an array of interface tables", other, diags);
                Vec::new()
            }
        });
    let default = action(&mut t, "default", diags);
    let stateful = t.bool("stateful", diags).unwrap_or(true);
    let isolation_point = t.bool("isolation_point", diags);
    let rules = rules_of(t.tables("rule", diags), "[[firewall.rule]]", true, diags);
    unique_rule_ids(&rules, diags);
    let filters: Vec<Filter> = t
        .tables("filter", diags)
        .into_iter()
        .filter_map(|n| filter(n, diags))
        .collect();
    let routes: Vec<Route> = t
        .tables("route", diags)
        .into_iter()
        .filter_map(|n| route(n, diags))
        .collect();
    let nat: Vec<Nat> = t
        .tables("nat", diags)
        .into_iter()
        .filter_map(|n| super::nat::nat(n, diags))
        .collect();
    unique_nat_ids(&nat, diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Firewall {
        loc: id.loc,
        id: id.value,
        interfaces: interfaces?,
        default: default?,
        stateful,
        isolation_point,
        rules,
        filters,
        routes,
        nat,
        name,
        description,
    })
}

fn gateway(node: &Node, diags: &mut Diagnostics) -> Option<Gateway> {
    let mut t = TableReader::new(node, "[[gateway]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "gateway kind",
            GatewayKind::parse,
            GatewayKind::WORDS,
            diags,
        )
    });
    let from = t.required_str("from", diags);
    let to = t.required_str("to", diags);
    let interfaces = interfaces(&mut t, diags);
    let method = t.get("method").and_then(|n| {
        word(
            n,
            "method",
            SanitizeMethod::parse,
            SanitizeMethod::WORDS,
            diags,
        )
    });
    let bypass = t.bool("bypass", diags).unwrap_or(false);
    let clipboard = t.get("clipboard").and_then(|n| {
        word(
            n,
            "clipboard setting",
            Clipboard::parse,
            Clipboard::WORDS,
            diags,
        )
    });
    let file_transfer = t.bool("file_transfer", diags);
    let drive_redirection = t.bool("drive_redirection", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Gateway {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        from: from?,
        to: to?,
        interfaces: interfaces?,
        method,
        bypass,
        clipboard,
        file_transfer,
        drive_redirection,
        name,
        description,
    })
}

fn selectors(
    t: &mut TableReader<'_>,
    key: &'static str,
    diags: &mut Diagnostics,
) -> Vec<At<Selector>> {
    t.get(key)
        .map(|n| parsed_list(n, "selector", Selector::parse, diags))
        .unwrap_or_default()
}

fn account(node: &Node, diags: &mut Diagnostics) -> Option<Account> {
    let mut t = TableReader::new(node, "[[account]]", diags)?;
    let id = id(&mut t, diags);
    let privilege = t
        .require("privilege", diags)
        .and_then(|n| word(n, "privilege", Privilege::parse, Privilege::WORDS, diags));
    let admin_on = selectors(&mut t, "admin_on", diags);
    let logs_on_to = selectors(&mut t, "logs_on_to", diags);
    let groups = t
        .strings("groups", diags)
        .into_iter()
        .map(|g| g.value)
        .collect();
    let mfa = t.bool("mfa", diags);
    let unique_per_host = t.bool("unique_per_host", diags);
    let shared = t.bool("shared", diags);
    let logon_audit = t.bool("logon_audit", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Account {
        loc: id.loc,
        id: id.value,
        privilege: privilege?,
        admin_on,
        logs_on_to,
        groups,
        mfa,
        unique_per_host,
        shared,
        logon_audit,
        name,
        description,
    })
}

fn flow(node: &Node, diags: &mut Diagnostics) -> Option<Flow> {
    let mut t = TableReader::new(node, "[[flow]]", diags)?;
    let id = id(&mut t, diags);
    let from = t
        .require("from", diags)
        .and_then(|n| parsed(n, "selector", Selector::parse, diags));
    let to = t
        .require("to", diags)
        .and_then(|n| parsed(n, "selector", Selector::parse, diags));
    let method = t.require("method", diags).and_then(|n| {
        word(
            n,
            "flow method",
            FlowMethod::parse,
            FlowMethod::WORDS,
            diags,
        )
    });
    let data = t
        .get("data")
        .map(|n| words(n, "data class", DataClass::parse, DataClass::WORDS, diags))
        .unwrap_or_default();
    let purpose = t.str("purpose", diags).map(|s| s.value);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Flow {
        loc: id.loc,
        id: id.value,
        from: from?,
        to: to?,
        method: method?,
        data,
        purpose,
        name,
        description,
    })
}
