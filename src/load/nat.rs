//! `[[firewall.nat]]`: one address translation entry, decoded by its `kind`.
//!
//! Every key of every kind is read, so the JSON Schema and the "unknown key" messages list them
//! all; a key of another kind is then refused with the keys the entry's kind takes.

use super::doc::Node;
use super::reader::TableReader;
use super::values::{parsed, parsed_list, word};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::address::{AddrRange, parse_addr, parse_net};
use crate::model::{At, Nat, Selector, Service, SourceAddress, Translation};
use crate::source::Loc;
use ipnet::Ipv4Net;

/// The kinds of entry, as written in `kind`.
const KINDS: &[&str] = &["destination", "source", "static"];

/// The keys each kind takes besides `kind`, `id` and `origin`.
fn keys_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "destination" => &[
            "interface",
            "from",
            "destination",
            "service",
            "translated",
            "translated_port",
        ],
        "source" => &[
            "interface",
            "from",
            "to",
            "service",
            "translated",
            "pool",
            "masquerade",
            "hide",
        ],
        _ => &["interface", "inside", "outside", "hide"],
    }
}

/// Every kind-specific key, in the order the format documents them.
const ALL_KEYS: &[&str] = &[
    "interface",
    "from",
    "to",
    "destination",
    "service",
    "translated",
    "translated_port",
    "pool",
    "masquerade",
    "inside",
    "outside",
    "hide",
];

/// An address (`203.0.113.10`, a prefix of one) or a prefix (`203.0.113.0/28`).
fn parse_prefix(text: &str) -> Result<Ipv4Net, String> {
    if text.contains('/') {
        parse_net(text)
    } else {
        parse_addr(text).map(|a| Ipv4Net::new(a, 32).expect("a /32 is a prefix"))
    }
}

pub fn nat(node: &Node, diags: &mut Diagnostics) -> Option<Nat> {
    let mut t = TableReader::new(node, "[[firewall.nat]]", diags)?;
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "NAT kind",
            |s| KINDS.iter().find(|k| **k == s).copied(),
            KINDS,
            diags,
        )
    });
    let id = t
        .str("id", diags)
        .filter(|id| super::values::check_id(id, diags));
    let origin = t.str("origin", diags).map(|s| s.value);
    let keys = Keys::read(&mut t, diags);
    let hides = t.bool("hide", diags).unwrap_or(true);
    let loc = t.header_loc();
    let present: Vec<(&'static str, Loc)> = ALL_KEYS
        .iter()
        .filter_map(|k| t.key_loc(k).map(|l| (*k, l)))
        .collect();
    t.finish(diags);
    let kind = kind?;
    let mut ok = keys_belong(kind, &present, diags);
    let translation = match kind {
        "destination" => destination(keys, loc, &mut ok, diags)?,
        "source" => source(keys, loc, diags)?,
        _ => static_nat(keys, loc, &mut ok, diags)?,
    };
    ok.then_some(Nat {
        id,
        translation,
        origin,
        hides,
        loc,
    })
}

/// The kind-specific keys of an entry, every one read whatever the kind (so the schema and
/// the "unknown key" messages list them all).
struct Keys {
    interface: Option<At<String>>,
    from: Option<Vec<At<Selector>>>,
    to: Option<Vec<At<Selector>>>,
    destination: Option<At<Ipv4Net>>,
    service: Option<At<Service>>,
    translated: Option<At<Ipv4Net>>,
    translated_port: Option<At<u64>>,
    pool: Option<Vec<At<AddrRange>>>,
    masquerade: Option<bool>,
    masquerade_loc: Option<Loc>,
    inside: Option<At<Ipv4Net>>,
    outside: Option<At<Ipv4Net>>,
}

impl Keys {
    fn read(t: &mut TableReader<'_>, diags: &mut Diagnostics) -> Keys {
        let prefix = |t: &mut TableReader<'_>, key: &'static str, diags: &mut Diagnostics| {
            t.get(key)
                .and_then(|n| parsed(n, "address or prefix", parse_prefix, diags))
        };
        Keys {
            interface: t.str("interface", diags),
            from: t
                .get("from")
                .map(|n| parsed_list(n, "selector", Selector::parse, diags)),
            to: t
                .get("to")
                .map(|n| parsed_list(n, "selector", Selector::parse, diags)),
            destination: prefix(t, "destination", diags),
            service: t
                .get("service")
                .and_then(|n| parsed(n, "service", Service::parse, diags)),
            translated: prefix(t, "translated", diags),
            translated_port: t.u64("translated_port", diags),
            pool: t
                .get("pool")
                .map(|n| parsed_list(n, "address range", AddrRange::parse, diags)),
            masquerade: t.bool("masquerade", diags),
            masquerade_loc: t.key_loc("masquerade"),
            inside: prefix(t, "inside", diags),
            outside: prefix(t, "outside", diags),
        }
    }
}

/// Refuses the keys `present` that belong to another kind; false when there is one.
fn keys_belong(kind: &str, present: &[(&'static str, Loc)], diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    for (key, key_loc) in present {
        if !keys_of(kind).contains(key) {
            ok = false;
            diags.push(
                Diagnostic::error(*key_loc, format!("`{key}` is not a key of {kind} NAT"))
                    .with_label("it belongs to another kind of entry")
                    .with_note(format!(
                        "{kind} NAT takes: {}",
                        keys_of(kind)
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
        }
    }
    ok
}

/// A key the entry's kind requires is missing.
fn missing(kind: &str, key: &str, what: &str, loc: Loc, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::error(loc, format!("{kind} NAT is missing `{key}`"))
            .with_label(format!("`{key}` is required here: {what}")),
    );
}

/// `from`, `to`: everything when absent.
fn any(loc: Loc) -> Vec<At<Selector>> {
    vec![At::new(Selector::Any, loc)]
}

/// `service`: every service when absent.
fn service_or_any(service: Option<At<Service>>, loc: Loc) -> At<Service> {
    service.unwrap_or_else(|| At::new(Service::Any, loc))
}

/// Destination NAT: `destination` sent on to `translated` (a prefix onto a prefix of its
/// length, or every address onto one), on `translated_port` when given.
fn destination(
    keys: Keys,
    loc: Loc,
    ok: &mut bool,
    diags: &mut Diagnostics,
) -> Option<Translation> {
    let kind = "destination";
    let service = service_or_any(keys.service, loc);
    if keys.destination.is_none() {
        missing(
            kind,
            "destination",
            "the address packets are sent to",
            loc,
            diags,
        );
    }
    if keys.translated.is_none() {
        missing(
            kind,
            "translated",
            "the address they are sent on to",
            loc,
            diags,
        );
    }
    let (destination, translated) = (keys.destination?, keys.translated?);
    if translated.value.prefix_len() != 32
        && translated.value.prefix_len() != destination.value.prefix_len()
    {
        *ok = false;
        diags.push(
            Diagnostic::error(
                translated.loc,
                format!(
                    "`translated` {} is not as long as `destination` {}",
                    translated.value, destination.value
                ),
            )
            .with_label("a prefix maps onto a prefix of the same length")
            .with_note("write one address to send every address of `destination` to it"),
        );
    }
    let port = keys.translated_port.and_then(|p| port(p, &service, diags));
    Some(Translation::Destination {
        interface: keys.interface,
        from: keys.from.unwrap_or_else(|| any(loc)),
        destination,
        service,
        translated,
        port,
    })
}

/// Source NAT on leaving `interface`: to `translated`, a `pool`, or the interface's address.
fn source(keys: Keys, loc: Loc, diags: &mut Diagnostics) -> Option<Translation> {
    let service = service_or_any(keys.service, loc);
    let Some(interface) = keys.interface else {
        missing(
            "source",
            "interface",
            "the interface packets leave through",
            loc,
            diags,
        );
        return None;
    };
    let to_source = source_address(
        keys.translated,
        keys.pool,
        keys.masquerade,
        keys.masquerade_loc,
        loc,
        diags,
    )?;
    Some(Translation::Source {
        interface,
        from: keys.from.unwrap_or_else(|| any(loc)),
        to: keys.to.unwrap_or_else(|| any(loc)),
        service,
        to_source,
    })
}

/// Static 1:1 NAT: `inside` is `outside` beyond `interface`, address for address.
fn static_nat(keys: Keys, loc: Loc, ok: &mut bool, diags: &mut Diagnostics) -> Option<Translation> {
    let kind = "static";
    if keys.interface.is_none() {
        missing(kind, "interface", "the outside interface", loc, diags);
    }
    if keys.inside.is_none() {
        missing(kind, "inside", "the inside address or prefix", loc, diags);
    }
    if keys.outside.is_none() {
        missing(
            kind,
            "outside",
            "the address or prefix it has outside",
            loc,
            diags,
        );
    }
    let (interface, inside, outside) = (keys.interface?, keys.inside?, keys.outside?);
    if inside.value.prefix_len() != outside.value.prefix_len() {
        *ok = false;
        diags.push(
            Diagnostic::error(
                outside.loc,
                format!(
                    "`outside` {} is not as long as `inside` {}",
                    outside.value, inside.value
                ),
            )
            .with_label("static NAT maps each address onto one address"),
        );
    }
    Some(Translation::Static {
        interface,
        inside,
        outside,
    })
}

/// A forwarded port: one port of one protocol with ports is forwarded to another.
fn port(p: At<u64>, service: &At<Service>, diags: &mut Diagnostics) -> Option<At<u16>> {
    let single = match service.value {
        Service::Proto { proto, ports } => {
            crate::model::service::has_ports(proto) && ports.first == ports.last
        }
        Service::Any => false,
    };
    if !single {
        diags.push(
            Diagnostic::error(p.loc, "`translated_port` needs a `service` of one port")
                .with_label("which port is forwarded to it?")
                .with_note("write `service = \"tcp/8443\"`; a range of ports keeps its ports"),
        );
        return None;
    }
    match u16::try_from(p.value) {
        Ok(v) if v > 0 => Some(At::new(v, p.loc)),
        _ => {
            diags.push(
                Diagnostic::error(p.loc, format!("port {} is not 1 to 65535", p.value))
                    .with_label("not a port"),
            );
            None
        }
    }
}

/// Exactly one of `translated`, `pool` and `masquerade = true`.
fn source_address(
    translated: Option<At<Ipv4Net>>,
    pool: Option<Vec<At<AddrRange>>>,
    masquerade: Option<bool>,
    masquerade_loc: Option<Loc>,
    loc: Loc,
    diags: &mut Diagnostics,
) -> Option<SourceAddress> {
    let masquerade = masquerade
        .unwrap_or(false)
        .then(|| masquerade_loc.unwrap_or(loc));
    let given = [translated.is_some(), pool.is_some(), masquerade.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if given != 1 {
        diags.push(
            Diagnostic::error(
                loc,
                "source NAT needs one of `translated`, `pool` or `masquerade = true`",
            )
            .with_label(if given == 0 {
                "which source address do packets get?"
            } else {
                "more than one source address given"
            }),
        );
        return None;
    }
    if let Some(t) = translated {
        if t.value.prefix_len() != 32 {
            diags.push(
                Diagnostic::error(t.loc, format!("`translated` {} is a prefix", t.value))
                    .with_label("source NAT gives one address")
                    .with_note("use `pool` for a set of addresses, or static NAT to map a prefix"),
            );
            return None;
        }
        return Some(SourceAddress::Address(At::new(t.value.addr(), t.loc)));
    }
    if let Some(pool) = pool {
        if pool.is_empty() {
            diags.push(
                Diagnostic::error(loc, "`pool` names no address").with_label("an empty pool"),
            );
            return None;
        }
        return Some(SourceAddress::Pool(pool));
    }
    masquerade.map(SourceAddress::Masquerade)
}
