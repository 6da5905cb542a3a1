//! FortiGate central SNAT (`config firewall central-snat-map`) → source `[[firewall.nat]]`
//! entries.
//!
//! With central NAT on (`config system settings` / `set central-nat enable`, implied by
//! `set ngfw-mode policy-based`), FortiOS takes source NAT from this table instead of the
//! policies' `set nat enable`. After the policy matched, the first enabled entry, top down,
//! whose incoming interfaces (`srcintf`), outgoing interfaces (`dstintf`), original source
//! addresses (`orig-addr`), destination addresses (`dst-addr`), protocol and original source
//! port (`orig-port`) match the session decides: `set nat enable` (the default) translates the
//! source to an address of its IP pools (`nat-ippool`) or, without a pool, to the outgoing
//! interface's address; `set nat disable` leaves it as sent. When no entry matches, the
//! source is not translated. `nat-port` picks the translated source port, which flows do not
//! carry.
//!
//! The model's source NAT matches the out interface, the sources, the destinations and the
//! service, first match in the order written, so each entry becomes one source entry per
//! outgoing interface, in the table's order. What it cannot say is warned and left out,
//! never guessed:
//!
//! - an incoming-interface restriction (`srcintf` not `any` and not every other interface),
//!   and an original source port (`orig-port` not 0): flows carry neither;
//! - addresses not read exactly (an FQDN, an undefined object);
//! - `set nat disable` before an entry that translates: the model has no exemption;
//! - an IP pool it cannot read, or, without a pool, an outgoing interface without a static
//!   address; `dstintf any`.
//!
//! Left out, an entry leaves its sources untranslated, and so not hidden from unsolicited
//! packets, as everywhere in this importer. Since the first matching entry wins, once one
//! entry is left out every later one is left out too: otherwise a session the left-out entry
//! takes could fall through to a later entry in the model and be translated wrongly.

use super::nat::{FortiNat, pool};
use super::objects::Objects;
use super::policies::policy_interfaces;
use super::tree::Block;
use crate::import::ImportError;
use crate::import::common::{self, Interfaces, Warnings, at, nat_entry};
use crate::model::{
    AddrRange, At, FirewallInterface, Selector, Service, SourceAddress, Translation,
};
use std::collections::BTreeMap;

/// What `read` needs from the rest of the import.
pub(super) struct Context<'c, 'a, 'm> {
    pub file: &'c str,
    pub objects: &'c mut Objects<'a>,
    pub zones: &'c BTreeMap<&'a str, (&'a Block, Vec<String>)>,
    pub ifs: &'c mut Interfaces<'m>,
    pub pools: &'c BTreeMap<&'a str, &'a Block>,
    pub interfaces: &'c [FirewallInterface],
}

/// One entry as source NAT entries, or why it cannot be.
enum Read {
    /// Inactive (`set status disable`) or IPv6: nothing to model, later entries unaffected.
    Inactive,
    /// `set nat disable`: sessions it takes keep their source.
    Exempt,
    /// Its entries (none when its outgoing interfaces are all unmapped).
    Translates(Vec<crate::model::Nat>),
    Unread(String),
}

impl FortiNat {
    /// Reads the central SNAT table into source NAT entries, in order.
    pub(super) fn central(
        &mut self,
        entries: &[&Block],
        cx: &mut Context<'_, '_, '_>,
        w: &mut Warnings,
    ) -> Result<(), ImportError> {
        let mut exempt: Option<usize> = None;
        let mut stopped: Option<usize> = None;
        for b in entries {
            if let Some(at_line) = stopped {
                if b.get1("status") != Some("disable") {
                    w.warn_on(
                        b.line,
                        "central SNAT entries not translated",
                        format!(
                            "central SNAT {}: not imported, because the entry at line {at_line} is not (the first matching entry wins: a session it takes must not fall through to this one)",
                            b.name
                        ),
                    );
                }
                continue;
            }
            let read = entry(b, cx, w)?;
            let why = match read {
                Read::Inactive => continue,
                Read::Exempt => {
                    exempt.get_or_insert(b.line);
                    continue;
                }
                Read::Translates(nats) => match exempt {
                    // An exemption only matters when a translating entry follows it.
                    Some(line) if !nats.is_empty() => format!(
                        "the entry at line {line} says `set nat disable`, an exemption the model cannot express before a translating entry"
                    ),
                    _ => {
                        self.push_source(nats);
                        continue;
                    }
                },
                Read::Unread(why) => why,
            };
            w.warn_on(
                b.line,
                "central SNAT entries not translated",
                format!(
                    "central SNAT {}: not imported ({why}): devices behind see the original source, and the sources are not hidden from unsolicited packets",
                    b.name
                ),
            );
            stopped = Some(b.line);
        }
        Ok(())
    }
}

/// Reads one `edit` of the table.
fn entry(b: &Block, cx: &mut Context<'_, '_, '_>, w: &mut Warnings) -> Result<Read, ImportError> {
    if b.get1("status") == Some("disable") || b.get1("type") == Some("ipv6") {
        return Ok(Read::Inactive);
    }
    if b.get1("nat") == Some("disable") {
        return Ok(Read::Exempt);
    }
    let unread = |why: String| Ok(Read::Unread(why));
    let names = |key: &str| b.get(key).unwrap_or_default();
    // Outgoing interfaces: where the entry's translation happens.
    let Some(outs) = policy_interfaces(names("dstintf"), b.line_of("dstintf"), cx.zones, cx.ifs, w)
    else {
        return unread("`dstintf any`".into());
    };
    if names("dstintf").is_empty() {
        return unread("no `dstintf`".into());
    }
    if outs.is_empty() {
        // Every outgoing interface is unmapped: no modelled packet leaves through them.
        return Ok(Read::Translates(Vec::new()));
    }
    // Incoming interfaces: only `any`, or every interface but the outgoing ones, is exact.
    if let Some(ins) =
        policy_interfaces(names("srcintf"), b.line_of("srcintf"), cx.zones, cx.ifs, w)
    {
        let missing = cx
            .interfaces
            .iter()
            .filter_map(|i| i.name.as_deref())
            .find(|n| !outs.contains(*n) && !ins.contains(*n));
        if let Some(m) = missing {
            return unread(format!(
                "it applies only to sessions entering through `srcintf` {}, not through {m}, and the model's source NAT cannot tell where a packet entered",
                names("srcintf").join(" ")
            ));
        }
    }
    match b.get1("orig-port") {
        None | Some("0") | Some("0-0") => {}
        Some(p) => {
            return unread(format!(
                "`orig-port {p}` matches the original source port, which flows do not carry"
            ));
        }
    }
    let service = match b.get1("protocol").map(str::parse::<u8>) {
        None | Some(Ok(0)) => Service::Any,
        Some(Ok(p)) => common::protocol(p),
        Some(Err(_)) => return unread("its `protocol` is not a number".into()),
    };
    let mut selectors = Vec::new();
    for key in ["orig-addr", "dst-addr"] {
        if names(key).is_empty() {
            return unread(format!("no `{key}`"));
        }
        let set = cx.objects.addresses(names(key), b.line_of(key), w)?;
        if !set.why.is_empty() {
            return unread(format!(
                "`{key}` is not read exactly: {}",
                set.why.join("; ")
            ));
        }
        if set.upper.is_empty() {
            // `none`: the entry matches no packet.
            return Ok(Read::Translates(Vec::new()));
        }
        selectors.push(addresses(&set.upper));
    }
    let to_source = if let Some(pool_names) = b.get("nat-ippool") {
        let mut ranges = Vec::new();
        for name in pool_names {
            match cx.pools.get(name.as_str()).and_then(|p| pool(p)) {
                Some(r) => ranges.push(at(r)),
                None => return unread(format!("IP pool `{name}` is not readable")),
            }
        }
        SourceAddress::Pool(ranges)
    } else {
        let static_ip = |name: &str| {
            cx.interfaces
                .iter()
                .any(|i| i.name.as_deref() == Some(name) && i.ip.is_some())
        };
        if let Some(out) = outs.iter().find(|o| !static_ip(o)) {
            return unread(format!(
                "no `nat-ippool`, and outgoing interface `{out}` has no static address to translate to"
            ));
        }
        SourceAddress::Masquerade(Default::default())
    };
    let [from, to] = <[Vec<At<Selector>>; 2]>::try_from(selectors).expect("two keys read");
    Ok(Read::Translates(
        outs.iter()
            .map(|out| {
                nat_entry(
                    cx.file,
                    b.line,
                    Translation::Source {
                        interface: at(out.clone()),
                        from: from.clone(),
                        to: to.clone(),
                        service: at(service),
                        to_source: to_source.clone(),
                    },
                )
            })
            .collect(),
    ))
}

/// Address ranges as selectors (`any` for everything).
fn addresses(ranges: &[AddrRange]) -> Vec<At<Selector>> {
    if ranges == [AddrRange::ALL] {
        vec![at(Selector::Any)]
    } else {
        ranges.iter().map(|r| at(Selector::Addr(*r))).collect()
    }
}
