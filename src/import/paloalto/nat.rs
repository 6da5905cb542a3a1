//! NAT rules: not modelled yet, read only so that the import stays sound.
//!
//! PAN-OS matches security rules against a packet's original (pre-NAT) addresses and its
//! post-NAT destination zone, while sansou follows one packet with one set of addresses. For
//! source NAT that changes nothing on this firewall (rules name the original source, and so
//! does the model). For destination NAT it would: a rule allowing the public address of a
//! server would not match the packet as sansou sees it, on its way to the server's real
//! address, and a path would be hidden. So each destination translation (`destination-
//! translation`, `dynamic-destination-translation`, a `bi-directional` static source NAT) is
//! kept as a [`Dnat`]: every allow rule that matches its original destination also allows the
//! translated address (and port), and deny rules do not deny the translated address (the
//! device compared the original one), with later allows marked. Both can only add paths.

use super::objects::Objects;
use super::xml::Element;
use crate::import::ImportError;
use crate::import::cisco_ios::shown;
use crate::import::common::{Warnings, normalize};
use crate::model::AddrRange;
use crate::model::service::PortRange;

/// One destination translation: packets for `original` (any address when `None`) reach
/// `translated`, on `port` when the rule translates the port.
#[derive(Clone, Debug)]
pub struct Dnat {
    pub original: Vec<AddrRange>,
    pub translated: Vec<AddrRange>,
    pub port: Option<PortRange>,
    /// `FILE:LINE` of the NAT rule.
    pub origin: String,
    pub name: String,
    /// The NAT rule's source zones (`any` included as written): only packets entering
    /// through them are translated.
    pub from: Vec<(String, usize)>,
}

const TOPIC: &str = "NAT rules not modelled";

/// Reads the NAT rules (warning about each) and returns their destination translations.
pub fn read(
    file: &str,
    rules: &[&Element],
    objects: &Objects<'_>,
    warnings: &mut Warnings,
) -> Result<Vec<Dnat>, ImportError> {
    let mut out = Vec::new();
    for r in rules {
        let name = shown(r.entry_name()).to_string();
        if r.yes("disabled") {
            continue;
        }
        let origin = crate::import::common::origin(file, r.line);
        let from: Vec<(String, usize)> = r
            .members("from")
            .unwrap_or_default()
            .into_iter()
            .map(|(z, l)| (z.to_string(), l))
            .collect();
        let addrs = |child: &str| -> Result<Vec<AddrRange>, ImportError> {
            let mut set = Vec::new();
            for (m, line) in r.members(child).unwrap_or_default() {
                set.extend(objects.address(m, line)?.upper);
            }
            Ok(normalize(set))
        };
        let mut translated_to: Option<(Vec<AddrRange>, Option<PortRange>, Vec<AddrRange>)> = None;
        for kind in ["destination-translation", "dynamic-destination-translation"] {
            if let Some(dt) = r.child(kind) {
                let mut t = Vec::new();
                if let Some(a) = dt.text_of("translated-address") {
                    t = objects.address(a, dt.line)?.upper;
                }
                let port = dt
                    .text_of("translated-port")
                    .and_then(|p| p.parse::<u16>().ok())
                    .map(|p| PortRange { first: p, last: p });
                translated_to = Some((addrs("destination")?, port, normalize(t)));
            }
        }
        if let Some(st) = r.at(&["source-translation", "static-ip"])
            && st.yes("bi-directional")
            && let Some(a) = st.text_of("translated-address")
        {
            // The reverse direction: packets to the translated address reach the original
            // source.
            let original = normalize(objects.address(a, st.line)?.upper);
            let sources = addrs("source")?;
            // It translates packets coming back the other way: from the rule's `to` zone.
            let to: Vec<(String, usize)> = r
                .members("to")
                .unwrap_or_default()
                .into_iter()
                .map(|(z, l)| (z.to_string(), l))
                .collect();
            out.push(Dnat {
                original,
                translated: sources,
                port: None,
                origin: origin.clone(),
                name: name.clone(),
                from: to,
            });
        }
        let reverse = out.last().is_some_and(|d: &Dnat| d.origin == origin);
        let what = if translated_to.is_some() || reverse {
            "destination NAT: allow rules naming its original destination are also read for the translated one, and deny rules do not deny the translated one"
        } else {
            "source NAT: security rules and sansou both see the original source; a device after this one sees the original source too"
        };
        warnings.warn_on(r.line, TOPIC, format!("NAT rule {name}: {what}"));
        if let Some((original, port, translated)) = translated_to
            && !translated.is_empty()
        {
            out.push(Dnat {
                original,
                translated,
                port,
                origin,
                name,
                from,
            });
        }
    }
    Ok(out)
}
