//! Address translation at the internet edge of some generated sites.
//!
//! A real municipal internet edge hides its inside segments behind the address of its outside
//! interface, and forwards the one port that must come in: here the security cloud's mail
//! relay delivering to the site's mail relay. So on the sites that translate, `fw-inet`'s
//! `wan` interface gets a public address and two `[[firewall.nat]]` entries: a masquerade of
//! the internet DMZ and the virtual-browser segments, and a port forward of tcp/25 on a
//! second public address to the mail relay. The rules stay as they are: the policy list sees
//! the translated destination, so the relay's allow from the cloud's mail relay still holds,
//! and everything else the edge receives unsolicited is dropped by the masquerade.
//!
//! Public addresses come from the shared address space (100.64.0.0/10, RFC 6598), a /30 per
//! site by its number: outside every segment pool, the LGWAN and the cloud services, so they
//! are at home in the security cloud.

use super::addresses::{CLOUD_MAIL, ip};
use super::firewalls::WAN;
use super::layout::Site;
use super::rules::{addr, segment, segments};
use super::values::{at, tcp};
use crate::model::{Firewall, Nat, Selector, Service, SourceAddress, Translation};
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

const PUBLIC: u32 = ip(100, 64, 0, 0);

/// The mail relay's address offset in the internet DMZ (its entry in `SERVERS`).
const MAIL_OFFSET: u32 = 25;

/// The edge's public addresses on site `n`: its `wan` interface, and the mail port forward.
pub(super) fn public(n: usize) -> (u32, u32) {
    let base = PUBLIC + 4 * n as u32;
    (base + 1, base + 2)
}

/// Gives the internet edge `fw` of site number `n` its public address and translations.
pub(super) fn edge(fw: &mut Firewall, site: &Site, n: usize) {
    let (wan, mail) = public(n);
    if let Some(i) = fw
        .interfaces
        .iter_mut()
        .find(|i| i.name.as_deref() == Some(WAN))
    {
        i.ip = Some(at(Ipv4Addr::from(wan)));
    }
    let host = |a: u32| at(Ipv4Net::new(Ipv4Addr::from(a), 32).expect("a /32 is valid"));
    let mut inside = vec![at(segment(&site.inet_dmz))];
    inside.extend(segments(&site.vdis).into_iter().map(at));
    fw.nat = vec![
        Nat {
            id: Some(at("mail-in".to_string())),
            translation: Translation::Destination {
                interface: Some(at(WAN.to_string())),
                from: vec![at(addr(CLOUD_MAIL))],
                destination: host(mail),
                service: at(tcp(25)),
                translated: host(site.inet_dmz.addr(MAIL_OFFSET)),
                port: None,
            },
            origin: None,
            hides: true,
            loc: Loc::default(),
        },
        Nat {
            id: Some(at("inside-out".to_string())),
            translation: Translation::Source {
                interface: at(WAN.to_string()),
                from: inside,
                to: vec![at(Selector::Any)],
                service: at(Service::Any),
                to_source: SourceAddress::Masquerade(Loc::default()),
            },
            origin: None,
            hides: true,
            loc: Loc::default(),
        },
    ];
}
