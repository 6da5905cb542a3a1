//! Routing tables for a site's firewalls, consistent with their rules: no loop, no blackhole.

use super::addresses::LGWAN_NET;
use super::catalogue::LGWAN;
use super::firewalls::WAN;
use super::layout::{Office, Site};
use super::values::{at, net};
use crate::model::*;
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Routing tables for a site's firewalls (in `firewalls` order: MN, LGWAN, boundary,
/// internet): every firewall sends what is not its own towards the firewall that leads there,
/// the LGWAN core and the internet edge the rest to their externals, the MN boundary
/// everything to the LGWAN core. No route points back the way it came, so nothing loops, and
/// every firewall has a default, so nothing is lost.
pub(super) fn routes(fws: &mut [Firewall], site: &Site) {
    let via = |dst: Ipv4Net, hop: u32| Route {
        destination: at(dst),
        interface: None,
        next_hop: Some(at(Ipv4Addr::from(hop))),
        discard: false,
        origin: None,
        loc: Loc::default(),
    };
    let out = |dst: Ipv4Net, interface: &str| Route {
        destination: at(dst),
        interface: Some(at(interface.to_string())),
        next_hop: None,
        discard: false,
        origin: None,
        loc: Loc::default(),
    };
    let default = Ipv4Net::default();
    let nets = |offices: &[Office]| offices.iter().map(|o| o.net.net).collect::<Vec<_>>();
    let mn_side: Vec<Ipv4Net> = nets(&site.mn_offices)
        .into_iter()
        .chain([site.mn_servers.net])
        .collect();
    let inet_side: Vec<Ipv4Net> = nets(&site.vdis)
        .into_iter()
        .chain([site.inet_dmz.net])
        .collect();
    // What lies behind the boundary on the LGWAN side, as the internet side sees it.
    let lg_side: Vec<Ipv4Net> = nets(&site.lg_offices)
        .into_iter()
        .chain([site.lg_servers.net, site.lg_dmz.net, site.link.net])
        .chain(mn_side.iter().copied())
        .chain([net(LGWAN_NET.0, LGWAN_NET.1)])
        .collect();
    let (link_lg, link_mn) = (site.link.addr(1), site.link.addr(2));
    let (lg_dmz_lg, lg_dmz_bd) = (site.lg_dmz.addr(1), site.lg_dmz.addr(2));
    let (inet_dmz_inet, inet_dmz_bd) = (site.inet_dmz.addr(1), site.inet_dmz.addr(2));
    let [mn, lg, bd, inet] = fws else {
        return;
    };
    mn.routes = vec![via(default, link_lg)];
    lg.routes = mn_side.iter().map(|&n| via(n, link_mn)).collect();
    lg.routes
        .extend(inet_side.iter().map(|&n| via(n, lg_dmz_bd)));
    lg.routes.push(out(net(LGWAN_NET.0, LGWAN_NET.1), LGWAN));
    lg.routes.push(out(default, LGWAN));
    bd.routes = lg_side
        .iter()
        .filter(|&&n| n != site.lg_dmz.net)
        .map(|&n| via(n, lg_dmz_lg))
        .collect();
    bd.routes.push(via(default, inet_dmz_inet));
    inet.routes = lg_side.iter().map(|&n| via(n, inet_dmz_bd)).collect();
    inet.routes.push(out(default, WAN));
}
