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
    let interface = t.str("interface", diags);
    let from = t
        .get("from")
        .map(|n| parsed_list(n, "selector", Selector::parse, diags));
    let to = t
        .get("to")
        .map(|n| parsed_list(n, "selector", Selector::parse, diags));
    let prefix = |t: &mut TableReader<'_>, key: &'static str, diags: &mut Diagnostics| {
        t.get(key)
            .and_then(|n| parsed(n, "address or prefix", parse_prefix, diags))
    };
    let destination = prefix(&mut t, "destination", diags);
    let service = t
        .get("service")
        .and_then(|n| parsed(n, "service", Service::parse, diags));
    let translated = prefix(&mut t, "translated", diags);
    let translated_port = t.u64("translated_port", diags);
    let pool = t
        .get("pool")
        .map(|n| parsed_list(n, "address range", AddrRange::parse, diags));
    let masquerade = t.bool("masquerade", diags);
    let masquerade_loc = t.key_loc("masquerade");
    let inside = prefix(&mut t, "inside", diags);
    let outside = prefix(&mut t, "outside", diags);
    let hides = t.bool("hide", diags).unwrap_or(true);
    let loc = t.header_loc();
    let present: Vec<(&'static str, Loc)> = ALL_KEYS
        .iter()
        .filter_map(|k| t.key_loc(k).map(|l| (*k, l)))
        .collect();
    t.finish(diags);
    let kind = kind?;
    let mut ok = true;
    for (key, key_loc) in &present {
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
    let mut missing = |key: &str, what: &str| {
        diags.push(
            Diagnostic::error(loc, format!("{kind} NAT is missing `{key}`"))
                .with_label(format!("`{key}` is required here: {what}")),
        );
    };
    let any = || vec![At::new(Selector::Any, loc)];
    let service = service.unwrap_or_else(|| At::new(Service::Any, loc));
    let translation = match kind {
        "destination" => {
            if destination.is_none() {
                missing("destination", "the address packets are sent to");
            }
            if translated.is_none() {
                missing("translated", "the address they are sent on to");
            }
            let (destination, translated) = (destination?, translated?);
            if translated.value.prefix_len() != 32
                && translated.value.prefix_len() != destination.value.prefix_len()
            {
                ok = false;
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
            let port = translated_port.and_then(|p| port(p, &service, diags));
            Translation::Destination {
                interface,
                from: from.unwrap_or_else(any),
                destination,
                service,
                translated,
                port,
            }
        }
        "source" => {
            let Some(interface) = interface else {
                missing("interface", "the interface packets leave through");
                return None;
            };
            let to_source =
                source_address(translated, pool, masquerade, masquerade_loc, loc, diags)?;
            Translation::Source {
                interface,
                from: from.unwrap_or_else(any),
                to: to.unwrap_or_else(any),
                service,
                to_source,
            }
        }
        _ => {
            if interface.is_none() {
                missing("interface", "the outside interface");
            }
            if inside.is_none() {
                missing("inside", "the inside address or prefix");
            }
            if outside.is_none() {
                missing("outside", "the address or prefix it has outside");
            }
            let (interface, inside, outside) = (interface?, inside?, outside?);
            if inside.value.prefix_len() != outside.value.prefix_len() {
                ok = false;
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
            Translation::Static {
                interface,
                inside,
                outside,
            }
        }
    };
    ok.then_some(Nat {
        id,
        translation,
        origin,
        hides,
        loc,
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
