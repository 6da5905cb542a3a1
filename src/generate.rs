//! Deterministic synthetic topologies for benchmarks (the tiers of BENCHMARKS.md).
//!
//! [`generate`] builds a prefecture-sized design: many sites (municipalities and branches), each
//! split into the three tiers the guideline requires, with the firewalls, sanctioned crossings,
//! business systems, data stores and accounts a real municipal network has.
//!
//! Each site `sNNN` has:
//!
//! - zones `sNNN-mn` (mynumber), `sNNN-lg` (lgwan) and `sNNN-inet` (internet);
//! - office segments per tier holding terminal groups (one `[[host]]` per department, with
//!   `count` and an address range), `mn-servers` and `lg-servers` (fixed servers and most of
//!   the tier's business systems, with their `[[store]]`s), `lg-dmz` and `inet-dmz` (the two
//!   sides of the crossings; the internet DMZ also holds the proxy, the mail relay and the
//!   internet-tier systems), `inet-vdiN` (virtual browsers, the attack entry points) and
//!   `mn-link`, a /29 joining the MN firewall to the LGWAN firewall;
//! - four firewalls: `fw-mn` (MN boundary), `fw-lg` (LGWAN core, facing the `lgwan` external
//!   all sites share), `fw-bd` (LGWAN–internet boundary between the two DMZs) and `fw-inet`
//!   (internet edge, facing the shared `pref-cloud` security cloud);
//! - on every other site (the first, the third …), routing tables on all four firewalls,
//!   consistent with the rules: each routes the other tiers' segments towards the firewall that
//!   leads there and the rest out to its external (or, inside, to its upstream), so there is no
//!   loop and no blackhole; `generate_with` leaves them out (to time routing's cost);
//! - on every third site (the second, the fifth …), address translation at the internet edge
//!   (`generate/nat.rs`): `fw-inet` masquerades the internet-tier segments behind its `wan`
//!   address and forwards tcp/25 on a second public address to the mail relay; `generate_with`
//!   leaves it out too (to time translation's cost);
//! - a file sanitizer, a mail sanitizer and a screen-transfer gateway from internet to LGWAN;
//! - staff accounts per department, tier administrators and a help desk.
//!
//! Rule bases look like ones grown over years: segment-wide allows of the core services,
//! pinned 特定通信 from MN to the LGWAN, per-department allows of business systems, single
//! terminals pinned to one system and port, denies before broader allows, deny lists, pinned
//! egress to cloud services, and the explicit closing deny. About one rule in ten is dead on
//! purpose (shadowed or redundant). A few sites carry deliberate violations for the rule engine
//! to find: RDP from an LGWAN office into an MN office, SMB from the virtual browsers to the
//! LGWAN file server, My Number data copied to an unencrypted internet-tier share, a sanitizer
//! bypass, and a domain admin logging on to terminals.
//!
//! The same size and seed always give the same topology (a self-contained splitmix64 generator,
//! no hash maps, no clock), and every site draws from its own stream. Segment prefixes never
//! overlap: they are taken in order from 10.0.0.0/8 (then 172.16.0.0/13), the /29 links from
//! 10.255.0.0/16. The LGWAN external is 172.24.0.0/13, outside both (illustrative, as in the
//! samples).
//!
//! Locations are all `Loc::default()`: the topology was never written anywhere. Write it with
//! [`crate::report::topology`] to get text the loader reads back to the same model.
//!
//! This file assembles the sites ([`generate_with`]); each step has a file beside it:
//! `rng.rs`, `addresses.rs` (pools and fixed addresses), `values.rs` (located values and
//! services), `catalogue.rs` (departments, servers, stores, systems), `plan.rs` (targets per
//! site), `layout.rs` (zones, segments, terminal groups: `Site`), `hosts.rs`, `accounts.rs`
//! (and flows), `rules.rs` (how rules are written), `firewalls.rs` (the four rule bases),
//! `filler.rs` (the rules that pile up over the years), `routes.rs`, `nat.rs` and `estate.rs`
//! (the organisation around the network).

mod accounts;
mod addresses;
mod catalogue;
mod estate;
mod filler;
mod firewalls;
mod hosts;
mod layout;
mod nat;
mod plan;
mod rng;
mod routes;
mod rules;
mod values;

use crate::model::*;
use crate::source::Loc;
use accounts::{account, accounts, flows};
use addresses::{AddressSpace, EVERYTHING, LGWAN_NET, LINK_POOL, SEGMENT_POOLS};
use catalogue::{CLOUD, LGWAN};
use estate::{estate, organisation};
use firewalls::firewalls;
use hosts::{gateways, servers, stores, terminals};
use layout::layout_site;
use plan::plan_sites;
use rng::Rng;
use routes::routes;
use values::{at, net};

/// Benchmark tiers (BENCHMARKS.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// 50 segments, ~1k hosts, 20 firewalls, ~1k rules.
    S,
    /// 300 segments, ~10k hosts, 100 firewalls, ~10k rules.
    M,
    /// 1k segments, ~100k hosts, 500 firewalls, ~100k rules.
    L,
    /// 5k segments, ~1M hosts, 2k firewalls, ~1M rules.
    XL,
}

impl Size {
    pub const ALL: &'static [Size] = &[Size::S, Size::M, Size::L, Size::XL];
    pub const WORDS: &'static [&'static str] = &["S", "M", "L", "XL"];

    /// `S`, `M`, `L` or `XL`, in either case.
    pub fn parse(text: &str) -> Option<Size> {
        match text.trim().to_ascii_uppercase().as_str() {
            "S" => Some(Size::S),
            "M" => Some(Size::M),
            "L" => Some(Size::L),
            "XL" => Some(Size::XL),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
            Size::XL => "XL",
        }
    }

    /// What the tier aims at. Every site has four firewalls and at least eight segments, so the
    /// number of sites follows from the firewall target.
    pub fn targets(self) -> Targets {
        let (sites, segments, hosts, rules) = match self {
            Size::S => (5, 50, 1_000, 1_000),
            Size::M => (25, 300, 10_000, 10_000),
            Size::L => (125, 1_000, 100_000, 100_000),
            Size::XL => (500, 5_000, 1_000_000, 1_000_000),
        };
        Targets {
            sites,
            segments,
            hosts,
            firewalls: sites * FIREWALLS_PER_SITE,
            rules,
        }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sizes a tier aims at. Segments and firewalls are met exactly; hosts (summed over
/// `count`) and rules (policy lists and filters) come within a few percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
    pub sites: usize,
    pub segments: usize,
    pub hosts: u64,
    pub firewalls: usize,
    pub rules: usize,
}

const FIREWALLS_PER_SITE: usize = 4;
/// mn-office, mn-servers, mn-link, lg-office, lg-servers, lg-dmz, inet-dmz, inet-vdi.
const BASE_SEGMENTS_PER_SITE: usize = 8;

/// The whole topology for a tier and seed.
pub fn generate(size: Size, seed: u64) -> Topology {
    generate_with(
        size,
        seed,
        Options {
            routes: true,
            nat: true,
        },
    )
}

/// What a generated topology carries besides its sites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Routing tables on every other site's firewalls.
    pub routes: bool,
    /// Address translation at every third site's internet edge.
    pub nat: bool,
}

/// [`generate`], choosing what it carries.
pub fn generate_with(size: Size, seed: u64, options: Options) -> Topology {
    let targets = size.targets();
    let mut rng = Rng::new(seed);
    let plans = plan_sites(&targets, &mut rng);
    let mut topo = Topology {
        meta: Meta {
            name: Some(format!("合成ベンチマーク県 ({size}, seed {seed})")),
            model: Some(at(NetworkModel::Alpha)),
            guideline: Some("R6.10".into()),
            description: Some(format!(
                "sansou generate が作成した {} 拠点の合成トポロジ (架空)。",
                targets.sites
            )),
            loc: Some(Loc::default()),
        },
        externals: vec![
            external(
                LGWAN,
                ExternalKind::Lgwan,
                LGWAN_NET,
                "LGWAN (総合行政ネットワーク)",
            ),
            external(
                CLOUD,
                ExternalKind::SecurityCloud,
                EVERYTHING,
                "県 自治体情報セキュリティクラウド",
            ),
        ],
        ..Topology::default()
    };
    let mut space = AddressSpace::new(SEGMENT_POOLS);
    let mut links = AddressSpace::new(&[LINK_POOL]);
    for (n, plan) in plans.iter().enumerate() {
        // Each site draws from its own stream, so one site's content does not shift the next.
        let mut rng = Rng::new(seed ^ (n as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F));
        let site = layout_site(&mut topo, plan, &mut space, &mut links, &mut rng);
        let devices = (topo.firewalls.len(), topo.gateways.len());
        terminals(&mut topo, &site, &mut rng);
        servers(&mut topo, &site);
        stores(&mut topo, &site, &mut rng);
        gateways(&mut topo, &site, &mut rng);
        accounts(&mut topo, &site, &mut rng);
        flows(&mut topo, &site);
        firewalls(&mut topo, &site, &mut rng);
        // Every other site routes; the site's content does not depend on it.
        if options.routes && n % 2 == 0 {
            let fws = topo.firewalls.len() - 4;
            routes(&mut topo.firewalls[fws..], &site);
        }
        // Every third site translates at its internet edge (the last of its four firewalls),
        // starting with the second, so routed and unrouted sites both do.
        if options.nat && n % 3 == 1 {
            let edge = topo.firewalls.len() - 1;
            nat::edge(&mut topo.firewalls[edge], &site, n);
        }
        estate(&mut topo, &site, n, devices, &mut rng);
    }
    organisation(&mut topo);
    // The prefecture's SOC administers every internet tier and works on the first site's proxy.
    let mut soc = account(
        "pref-soc-admin".into(),
        Privilege::ServerAdmin,
        "県 SOC 運用管理者",
    );
    soc.admin_on = vec![at(Selector::Tier(Tier::Internet))];
    soc.logs_on_to = vec![at(Selector::Host(format!("{}-inet-proxy", plans[0].tag)))];
    soc.mfa = Some(true);
    topo.accounts.push(soc);
    topo
}

fn external(id: &str, kind: ExternalKind, cidr: (u32, u8), name: &str) -> External {
    External {
        id: id.into(),
        kind,
        cidrs: vec![at(net(cidr.0, cidr.1))],
        line: None,
        approved: None,
        name: Some(name.into()),
        description: None,
        loc: Loc::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostics, render_all};
    use crate::load::{Syntax, decode_topology};
    use crate::report::topology::{to_json, to_toml};
    use crate::source::SourceMap;

    fn load(text: &str, syntax: Syntax) -> (Topology, Diagnostics, SourceMap) {
        let mut sources = SourceMap::default();
        let file = sources.add("generated", text);
        let mut diags = Diagnostics::default();
        let topo = decode_topology(&[(file, syntax)], &sources, &mut diags);
        (topo, diags, sources)
    }

    #[test]
    fn routed_sites_have_neither_loops_nor_blackholes() {
        let topo = generate(Size::S, 1);
        let routed = topo
            .firewalls
            .iter()
            .filter(|f| !f.routes.is_empty())
            .count();
        assert!(
            routed >= 4 && routed < topo.firewalls.len(),
            "{routed} routed"
        );
        let plain = generate_with(
            Size::S,
            1,
            Options {
                routes: false,
                nat: true,
            },
        );
        assert!(plain.firewalls.iter().all(|f| f.routes.is_empty()));
        assert_eq!(plain.hosts, topo.hosts, "routes change nothing else");
        // Written out and read back, the tables load without a problem.
        let (again, diags, sources) = load(&to_toml(&topo), Syntax::Toml);
        assert!(diags.items.is_empty(), "{}", render_all(&sources, &diags));
        let mut reach =
            crate::analysis::reach::Reachability::compute(crate::load::validate(&again).unwrap());
        assert!(crate::analysis::routing::loops::loops(&mut reach).is_empty());
        let lost = crate::analysis::routing::blackholes::blackholes(&mut reach);
        let lost: Vec<String> = lost
            .iter()
            .map(|b| {
                format!(
                    "{} {:?} {:?}",
                    again.firewalls[b.firewall].id, b.cause, b.flow
                )
            })
            .collect();
        assert!(lost.is_empty(), "{lost:#?}");
    }

    #[test]
    fn translating_edges_hide_the_inside_and_forward_mail() {
        let topo = generate(Size::S, 1);
        let edges: Vec<&Firewall> = topo
            .firewalls
            .iter()
            .filter(|f| !f.nat.is_empty())
            .collect();
        assert!(!edges.is_empty() && edges.len() < topo.firewalls.len() / 4);
        assert!(edges.iter().all(|f| f.id.ends_with("-fw-inet")));
        let plain = generate_with(
            Size::S,
            1,
            Options {
                routes: true,
                nat: false,
            },
        );
        assert!(plain.firewalls.iter().all(|f| f.nat.is_empty()));
        assert_eq!(plain.hosts, topo.hosts, "translation changes nothing else");
        let (again, diags, sources) = load(&to_toml(&topo), Syntax::Toml);
        assert!(diags.items.is_empty(), "{}", render_all(&sources, &diags));
        // On a translating site the cloud reaches the mail relay through the port forward
        // only, and no virtual browser unsolicited.
        use crate::analysis::paths::{Query, pairs};
        let mut reach =
            crate::analysis::reach::Reachability::compute(crate::load::validate(&again).unwrap());
        let site = &edges[0].id[..edges[0].id.len() - "-fw-inet".len()];
        let ask = |reach: &mut crate::analysis::reach::Reachability<'_>, to: String| {
            let (from, to) = (
                Selector::parse("external:pref-cloud").unwrap(),
                Selector::parse(&to).unwrap(),
            );
            pairs(
                reach,
                &Query {
                    from: &from,
                    to: &to,
                    services: &[],
                },
            )
            .unwrap()
        };
        let mail = ask(&mut reach, format!("host:{site}-inet-mail"));
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].services.names(), ["tcp/25"]);
        let w = mail[0].witness.as_ref().unwrap();
        assert_eq!(w.flow.dst.to_be_bytes()[..2], [100, 64]);
        assert!(ask(&mut reach, format!("segment:{site}-inet-vdi1")).is_empty());
    }

    fn rules(topo: &Topology) -> usize {
        topo.firewalls
            .iter()
            .map(|f| f.rules.len() + f.filters.iter().map(|x| x.rules.len()).sum::<usize>())
            .sum()
    }

    fn near(what: &str, actual: u64, target: u64) {
        let (lo, hi) = (target * 8 / 10, target * 12 / 10);
        assert!(
            (lo..=hi).contains(&actual),
            "{what}: {actual} is not within 20% of {target}"
        );
    }

    /// Generates, writes as TOML, reloads: no errors, sizes on target, written text stable.
    fn check(size: Size, seed: u64) -> String {
        let topo = generate(size, seed);
        let text = to_toml(&topo);
        let (loaded, diags, sources) = load(&text, Syntax::Toml);
        assert!(
            !diags.has_errors(),
            "{size} seed {seed}:\n{}",
            render_all(&sources, &diags)
        );
        let t = size.targets();
        assert_eq!(loaded.segments.len(), t.segments, "{size}: segments");
        assert_eq!(loaded.firewalls.len(), t.firewalls, "{size}: firewalls");
        near("hosts", loaded.host_count(), t.hosts);
        near("rules", rules(&loaded) as u64, t.rules as u64);
        text
    }

    #[test]
    fn small_topologies_load_cleanly_and_are_deterministic() {
        let one = check(Size::S, 1);
        let two = check(Size::S, 2);
        assert_ne!(one, two, "different seeds give different topologies");
        assert_eq!(to_toml(&generate(Size::S, 1)), one, "same seed, same text");
    }

    #[test]
    fn medium_topologies_load_cleanly() {
        let one = check(Size::M, 7);
        assert_ne!(check(Size::M, 8), one);
    }

    #[test]
    fn the_model_is_exactly_what_the_loader_reads_back() {
        // Written and reloaded, the model is unchanged but for locations: the generator builds
        // nothing the format cannot say (and sets defaults as the loader would).
        let strip = |t: &Topology| {
            let debug = format!("{t:#?}");
            let mut out = String::with_capacity(debug.len());
            let mut rest = debug.as_str();
            while let Some(i) = rest.find("Loc {") {
                out.push_str(&rest[..i]);
                rest = &rest[i + rest[i..].find('}').unwrap() + 1..];
            }
            out.push_str(rest);
            out
        };
        let topo = generate(Size::S, 3);
        let (from_toml, diags, _) = load(&to_toml(&topo), Syntax::Toml);
        assert!(
            diags.items.is_empty(),
            "a generated design has no warnings either"
        );
        assert_eq!(strip(&from_toml), strip(&topo));
        let (from_json, _, _) = load(&to_json(&topo), Syntax::Json);
        assert_eq!(strip(&from_json), strip(&topo));
    }

    #[test]
    fn violations_are_present() {
        let topo = generate(Size::S, 1);
        let reasons: Vec<&str> = topo
            .firewalls
            .iter()
            .flat_map(|f| &f.rules)
            .filter_map(|r| r.reason.as_deref())
            .collect();
        assert!(reasons.iter().any(|r| r.contains("リモート保守")));
        assert!(reasons.iter().any(|r| r.contains("スキャナ")));
        assert!(topo.gateways.iter().any(|g| g.bypass));
        assert!(topo.stores.iter().any(|s| s.encrypted == Some(false)));
    }

    #[test]
    fn sizes_parse() {
        for s in Size::ALL {
            assert_eq!(Size::parse(s.as_str()), Some(*s));
            assert_eq!(Size::parse(&s.as_str().to_lowercase()), Some(*s));
        }
        assert_eq!(Size::parse("XXL"), None);
    }

    #[test]
    fn segments_never_overlap() {
        let topo = generate(Size::M, 5);
        let mut ranges: Vec<AddrRange> = topo
            .segments
            .iter()
            .map(|s| AddrRange::from_net(*s.cidr))
            .collect();
        ranges.sort();
        for pair in ranges.windows(2) {
            assert!(
                pair[0].last < pair[1].first,
                "{:?} overlaps {:?}",
                pair[0],
                pair[1]
            );
        }
    }
}
