//! Ways in besides the internet's content and services: a wireless network a stranger can join,
//! and a remote-access line that takes a password alone (docs/ATTACK.md, "Entry").
//!
//! Neither forwards packets: a `[[wifi]]` or `[[remote_access]]` names the segment its clients
//! land on. The attacker who joins is one more client there, so it gets a machine of its own
//! at the segment's undeclared addresses (what DHCP or the VPN pool hands a new client), made
//! like a rogue device (`rogue::device`) so that the host-based analysis starts from it
//! unchanged. A Wi-Fi client sets its own address, so its machine also has the declared
//! clients' addresses on the segment (it sends as they could, without taking them over). It
//! compromises nobody by joining: what it reaches next is what packets from those addresses
//! reach.
//!
//! Facts are used as stated; a fact not stated is taken as the weaker control and the step
//! says so (docs/SEMANTICS.md): a Wi-Fi without `auth` is taken to use a shared key, a line
//! without `mfa` to take a password alone, a line without `source_restricted` to accept
//! connections from anywhere.

use super::rogue::{ROGUE_PREFIX, device};
use crate::graph::addresses::Addresses;
use crate::model::policy::{Entry, Policy};
use crate::model::{AddrRange, RemoteAccess, Topology, Wifi, WifiAuth};

/// A way in, by index into `Topology::wifis` or `Topology::remote_access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Way {
    Wifi(usize),
    Remote(usize),
}

/// The id prefixes of the attacker's machines (`@` is not allowed in ids the loader reads, so
/// no declared host can collide with one).
pub const WIFI_PREFIX: &str = "wifi@";
pub const REMOTE_PREFIX: &str = "remote@";

/// Whether a stranger in radio range can join: no key, or one shared key (it is given to
/// every member of staff and every contractor, and outlives their leaving). 802.1X with each
/// user's own credential or certificate keeps the stranger out.
pub fn wifi_joinable(w: &Wifi) -> bool {
    w.auth != Some(WifiAuth::Enterprise)
}

/// Whether a password alone opens the line: a password is phished, guessed or bought, so a
/// line without a second factor lets the attacker in as one of its users.
pub fn remote_joinable(r: &RemoteAccess) -> bool {
    r.mfa != Some(true)
}

/// The ways in the attacker may use under the policy, in input order (Wi-Fi first).
pub fn open_ways(topo: &Topology, policy: &Policy) -> Vec<Way> {
    let entry = &policy.attacker.entry;
    let wifi = (0..topo.wifis.len())
        .filter(|&w| entry.contains(&Entry::Wifi) && wifi_joinable(&topo.wifis[w]))
        .map(Way::Wifi);
    let remote = (0..topo.remote_access.len())
        .filter(|&r| {
            entry.contains(&Entry::RemoteAccess) && remote_joinable(&topo.remote_access[r])
        })
        .map(Way::Remote);
    wifi.chain(remote).collect()
}

/// The id of the attacker's machine for a way in.
pub fn device_id(topo: &Topology, way: Way) -> String {
    match way {
        Way::Wifi(w) => format!("{WIFI_PREFIX}{}", topo.wifis[w].id),
        Way::Remote(r) => format!("{REMOTE_PREFIX}{}", topo.remote_access[r].id),
    }
}

/// The segment a way in lands on.
pub fn segment(topo: &Topology, way: Way) -> &str {
    match way {
        Way::Wifi(w) => &topo.wifis[w].segment.value,
        Way::Remote(r) => &topo.remote_access[r].segment.value,
    }
}

/// Adds the attacker's machine for every open way in, at the undeclared addresses of its
/// segment that no other machine of the attacker holds yet. Call it before the reachability
/// the attack analysis reads is computed, and before `--assume-compromised` (a what-if starts
/// from its hosts only and adds none).
pub fn add_entry_devices(topo: &mut Topology, policy: &Policy) {
    for way in open_ways(topo, policy) {
        let seg = segment(topo, way);
        let Some(s) = topo.segment_index(seg) else {
            continue;
        };
        if topo.hosts.iter().any(|h| h.id == device_id(topo, way)) {
            continue;
        }
        let mut free: Vec<AddrRange> = Addresses::new(topo).undeclared[s].clone();
        // A Wi-Fi client sets its own address: nothing the design states (DHCP snooping, IP
        // source guard) stops it from using a declared client's, so it may send from those
        // too. A remote session gets what its gateway hands out: a declared client's address
        // only when the segment has no other. Either way it takes none of those hosts over
        // (`uses_clients`, said in the step).
        if matches!(way, Way::Wifi(_)) || free.is_empty() {
            free.extend(clients(topo, seg).flat_map(|h| on_segment(&topo.hosts[h], seg)));
            free = crate::model::ranges::normalize(free);
        }
        if free.is_empty() {
            // Another machine of the attacker holds every address there: `entry_hosts`
            // puts it there.
            continue;
        }
        let what = match way {
            Way::Wifi(_) => "無線LANに接続した攻撃者の端末 / attacker's Wi-Fi client",
            Way::Remote(_) => "リモート接続した攻撃者のセッション / attacker's remote session",
        };
        let host = device(&topo.segments[s], device_id(topo, way), what, free);
        topo.hosts.push(host);
    }
}

/// A host's addresses on one segment.
fn on_segment<'h>(h: &'h crate::model::Host, seg: &'h str) -> impl Iterator<Item = AddrRange> + 'h {
    h.interfaces
        .iter()
        .filter(move |i| i.segment.value == seg)
        .map(|i| i.ip.value)
}

/// The design with the attacker's machines on the open ways in, when there is one to add
/// (`None`: the design as it is serves, and its reachability can be reused).
pub fn with_entry_devices(topo: &Topology, policy: &Policy) -> Option<Topology> {
    if open_ways(topo, policy).is_empty() {
        return None;
    }
    let mut with = topo.clone();
    add_entry_devices(&mut with, policy);
    (with.hosts.len() != topo.hosts.len()).then_some(with)
}

/// Where each open way in puts the attacker (round 0 of the spread), in way order: its own
/// machine, else the attacker's machines already on the segment (a rogue device, another way
/// in, which hold its addresses).
pub fn entry_hosts(topo: &Topology, policy: &Policy) -> Vec<(usize, Way)> {
    let mut out = Vec::new();
    for way in open_ways(topo, policy) {
        let seg = segment(topo, way);
        if topo.segment_index(seg).is_none() {
            // Moved to a segment of its own by a fix (`Change::SeparateWifi`).
            continue;
        }
        let id = device_id(topo, way);
        if let Some(h) = topo.hosts.iter().position(|h| h.id == id) {
            out.push((h, way));
            continue;
        }
        out.extend(
            (0..topo.hosts.len())
                .filter(|&h| {
                    let host = &topo.hosts[h];
                    is_attacker_machine(&host.id)
                        && host.interfaces.iter().any(|i| i.segment.value == seg)
                })
                .map(|h| (h, way)),
        );
    }
    out
}

/// The declared hosts with an interface on a segment (not the attacker's machines).
fn clients<'t>(topo: &'t Topology, seg: &'t str) -> impl Iterator<Item = usize> + 't {
    (0..topo.hosts.len()).filter(move |&h| {
        let host = &topo.hosts[h];
        !is_attacker_machine(&host.id) && host.interfaces.iter().any(|i| i.segment.value == seg)
    })
}

/// Whether the attacker's machine `h` on a way in also sends from declared clients'
/// addresses (a Wi-Fi client's own choice, or a remote session on a segment with no other):
/// the step says it is assumed.
pub fn uses_clients(topo: &Topology, way: Way, h: usize) -> bool {
    let seg = segment(topo, way);
    let mine: Vec<AddrRange> = on_segment(&topo.hosts[h], seg).collect();
    clients(topo, seg)
        .filter(|&c| c != h)
        .flat_map(|c| on_segment(&topo.hosts[c], seg))
        .any(|r| crate::model::ranges::overlaps_any(&mine, &r))
}

/// Whether a host is one of the attacker's synthetic machines (rogue device or way in).
pub fn is_attacker_machine(id: &str) -> bool {
    id.starts_with(ROGUE_PREFIX) || id.starts_with(WIFI_PREFIX) || id.starts_with(REMOTE_PREFIX)
}

/// How findings and outputs name a way in: `wifi:ID` or `remote_access:ID`.
pub fn name(topo: &Topology, way: Way) -> String {
    match way {
        Way::Wifi(w) => format!("wifi:{}", topo.wifis[w].id),
        Way::Remote(r) => format!("remote_access:{}", topo.remote_access[r].id),
    }
}

/// The changes that close a way in (for the fix search, `fix.rs`): a second factor on a remote
/// line; 802.1X on a keyed Wi-Fi; a segment of its own for a Wi-Fi that shares one with
/// declared hosts. An open Wi-Fi on a segment of its own gets none: it is open on purpose, and
/// the firewall rules on the path are its cut.
pub fn closing_changes(topo: &Topology, way: Way) -> Vec<super::Change> {
    use super::Change;
    match way {
        Way::Remote(line) => vec![Change::RequireMfa { line }],
        Way::Wifi(wifi) => {
            let w = &topo.wifis[wifi];
            let mut out = Vec::new();
            if w.auth != Some(WifiAuth::Open) {
                out.push(Change::RequireWifiAuth { wifi });
            }
            if clients(topo, &w.segment.value).next().is_some() {
                out.push(Change::SeparateWifi { wifi });
            }
            out
        }
    }
}
