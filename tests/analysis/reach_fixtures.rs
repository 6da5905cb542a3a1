//! Reachability on small hand-written topologies (tests/fixtures/reach): rule order, defaults,
//! interface constraints and filters, stateful and stateless replies, transit through two
//! firewalls, a two-interface host that must not forward, externals, and witness naming.

use sansou::analysis::paths::{Pair, Query, blocked_pairs, pairs};
use sansou::analysis::reach::{Endpoint, Reachability};
use sansou::analysis::witness::{List, Replies};
use sansou::load::load_topology;
use sansou::model::{ExternalId, FirewallId, Selector, Service, Topology};
use std::path::Path;

fn topology(name: &str) -> (Topology, sansou::source::SourceMap) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reach")
        .join(name);
    let loaded = load_topology(&path).unwrap();
    assert!(
        !loaded.diagnostics.has_errors(),
        "{name}: {:?}",
        loaded.diagnostics
    );
    (loaded.value, loaded.sources)
}

fn query(reach: &mut Reachability<'_>, from: &str, to: &str, services: &[&str]) -> Vec<Pair> {
    let from = Selector::parse(from).unwrap();
    let to = Selector::parse(to).unwrap();
    let services: Vec<Service> = services
        .iter()
        .map(|s| Service::parse(s).unwrap())
        .collect();
    pairs(
        reach,
        &Query {
            from: &from,
            to: &to,
            services: &services,
        },
    )
    .unwrap()
}

/// The services between two selections, as printed.
fn services(reach: &mut Reachability<'_>, from: &str, to: &str) -> Vec<String> {
    let found = query(reach, from, to, &[]);
    assert!(found.len() <= 1, "one pair expected, got {}", found.len());
    found
        .first()
        .map(|p| p.services.names())
        .unwrap_or_default()
}

#[test]
fn first_match_wins_in_rule_order() {
    let (topo, _) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Rule 1 denies the boss SMB before rule 2 allows the office; tcp/139 still passes rule 2.
    assert_eq!(services(&mut r, "host:boss-pc", "host:fs"), ["tcp/139"]);
    assert_eq!(
        services(&mut r, "host:pc", "host:fs"),
        ["tcp/139", "tcp/445"]
    );
    // The default denies everything else, in both directions.
    assert!(services(&mut r, "host:fs", "host:pc").is_empty());
}

#[test]
fn interface_constraints_and_filters_apply() {
    let (topo, _) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Rule 3 only leaves through `lgwan`: the office reaches the LGWAN, not the internet.
    assert_eq!(services(&mut r, "host:pc", "external:lgwan"), ["tcp/443"]);
    assert!(services(&mut r, "host:pc", "external:internet").is_empty());
    // Rule 4 only for packets entering through `wan`; the out filter on p-dmz drops tcp/80.
    assert_eq!(
        services(&mut r, "external:internet", "host:web"),
        ["tcp/443"]
    );
    assert!(services(&mut r, "external:lgwan", "host:web").is_empty());
    assert!(services(&mut r, "host:pc", "host:web").is_empty());
}

#[test]
fn hosts_in_one_segment_reach_each_other_on_every_service() {
    let (topo, _) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    assert_eq!(services(&mut r, "host:pc", "host:boss-pc"), ["any"]);
}

#[test]
fn the_internet_cannot_pose_as_an_inside_address() {
    let (topo, _) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Packets from the internet carry internet addresses only: a rule for the office's
    // addresses (rule 2) never lets them reach the file server.
    assert!(services(&mut r, "external:internet", "host:fs").is_empty());
    let internet = r.endpoint_addresses(Endpoint::External(ExternalId(0)));
    assert!(internet.iter().all(|a| !a.contains_addr(0x0A02_000A)));
}

#[test]
fn a_witness_names_each_hop_and_the_rule_with_its_location() {
    let (topo, sources) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "host:pc", "host:fs", &["tcp/445"]);
    let w = found[0].witness.as_ref().unwrap();
    assert_eq!(w.flow.to_string(), "10.2.0.1 → 10.2.1.10 tcp/445");
    assert_eq!(w.hops.len(), 1);
    let hop = &w.hops[0];
    assert_eq!(topo.firewalls[hop.firewall].id, "fw");
    let d = hop.decisions[0];
    assert_eq!((d.list, d.rule), (List::Policy, Some(1)));
    let rule = &topo.firewalls[hop.firewall].rules[1];
    let pos = sources.position(rule.loc);
    assert!(pos.file.ends_with("two-segments.toml"));
    assert_eq!(pos.line, 82, "rule 2 is the `[[firewall.rule]]` at line 82");
    // Through the DMZ out filter: its allow decision is recorded after the policy's.
    let web = query(&mut r, "external:internet", "host:web", &[]);
    let hop = &web[0].witness.as_ref().unwrap().hops[0];
    assert_eq!(hop.decisions.len(), 2);
    assert_eq!(hop.decisions[1].list, List::Filter(0));
    assert_eq!(
        hop.decisions[1].rule, None,
        "the filter's default allows tcp/443"
    );
}

#[test]
fn an_unreachable_pair_explains_the_dropping_rule() {
    let (topo, _) = topology("two-segments.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let from = Selector::parse("host:boss-pc").unwrap();
    let to = Selector::parse("host:fs").unwrap();
    let smb = [Service::parse("tcp/445").unwrap()];
    let q = Query {
        from: &from,
        to: &to,
        services: &smb,
    };
    let reachable = pairs(&mut r, &q).unwrap();
    assert!(reachable.is_empty());
    let blocked = blocked_pairs(&mut r, &q, &reachable, 10).unwrap();
    assert_eq!(blocked.len(), 1);
    let drop = &blocked[0].2.drops[0];
    assert_eq!(
        drop.decisions.last().unwrap().rule,
        Some(0),
        "rule 1 denies it"
    );
}

#[test]
fn stateful_firewalls_return_replies_and_stateless_ones_need_a_rule() {
    let (topo, _) = topology("replies.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let replies = |r: &mut Reachability<'_>, to: &str| {
        let found = query(r, "host:client", to, &[]);
        assert_eq!(found[0].services.names(), ["tcp/443"], "{to}");
        found[0].witness.as_ref().unwrap().replies.clone()
    };
    assert_eq!(
        replies(&mut r, "host:a"),
        Replies::Return {
            stateless_example: None
        }
    );
    assert!(matches!(replies(&mut r, "host:b"), Replies::Blocked { .. }));
    match replies(&mut r, "host:c") {
        Replies::Return {
            stateless_example: Some(reply),
        } => assert_eq!(reply.to_string(), "10.0.3.10 → 10.0.0.10 tcp/1024"),
        other => panic!("{other:?}"),
    }
    // The reply rule of the stateless ACL is a real permit: c can open connections to the
    // client on every high port. Stateful replies create no such reachability.
    assert_eq!(
        services(&mut r, "host:c", "host:client"),
        ["tcp/1024-65535"]
    );
    assert!(services(&mut r, "host:a", "host:client").is_empty());
}

#[test]
fn packets_cross_two_firewalls_through_a_transit_segment() {
    let (topo, _) = topology("transit.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    assert_eq!(services(&mut r, "host:mn-pc", "host:lg-pc"), ["tcp/443"]);
    let found = query(&mut r, "host:mn-pc", "host:lg-pc", &[]);
    let hops: Vec<&str> = found[0]
        .witness
        .as_ref()
        .unwrap()
        .hops
        .iter()
        .map(|h| topo.firewalls[h.firewall].id.as_str())
        .collect();
    assert_eq!(hops, ["fw-mn", "router"]);
    // The router allows everything, but fw-mn's default denies the way back.
    assert!(services(&mut r, "host:lg-pc", "host:mn-pc").is_empty());
}

#[test]
fn a_host_with_two_interfaces_does_not_forward() {
    let (topo, _) = topology("transit.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // `dual` sits in the My Number office and in the isolated segment: it reaches both...
    assert_eq!(services(&mut r, "host:dual", "host:mn-pc"), ["any"]);
    assert_eq!(services(&mut r, "host:dual", "host:isolated"), ["any"]);
    // ...but packets never pass through it.
    assert!(services(&mut r, "host:mn-pc", "host:isolated").is_empty());
    assert!(services(&mut r, "host:isolated", "host:mn-pc").is_empty());
}

/// The pairs of a query as `(from, to, services)` in names, sorted.
fn named(topo: &Topology, found: &[Pair]) -> Vec<(String, String, Vec<String>)> {
    let name = |e: Endpoint| match e {
        Endpoint::Host(h) => format!("host:{}", topo.hosts[h].id),
        Endpoint::Gateway(g) => format!("gateway:{}", topo.gateways[g].id),
        Endpoint::Undeclared(s) => format!("undeclared:{}", topo.segments[s].id),
        Endpoint::External(x) => format!("external:{}", topo.externals[x].id),
    };
    found
        .iter()
        .map(|p| (name(p.from), name(p.to), p.services.names()))
        .collect()
}

fn triple(from: &str, to: &str, services: &[&str]) -> (String, String, Vec<String>) {
    (
        from.to_string(),
        to.to_string(),
        services.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn an_undeclared_device_is_a_source_with_a_witness() {
    let (topo, _) = topology("undeclared.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Nothing is declared at 10.1.0.50, yet the firewall lets it out on tcp/443.
    let found = query(&mut r, "10.1.0.50/32", "external:pref-cloud", &[]);
    assert_eq!(
        named(&topo, &found),
        [triple(
            "undeclared:mn-office",
            "external:pref-cloud",
            &["tcp/443"]
        )]
    );
    let w = found[0].witness.as_ref().expect("a witness");
    assert_eq!(w.flow.src, u32::from(std::net::Ipv4Addr::new(10, 1, 0, 50)));
    assert_eq!(topo.firewalls[w.hops[0].firewall].id, "fw-mn");
    // The pair names the undeclared addresses that get through, grouped into one range.
    let from_addresses = |p: &Pair| -> Vec<String> {
        let addrs = p.from_addresses.as_ref().expect("undeclared addresses");
        addrs.iter().map(|a| a.to_string()).collect()
    };
    assert_eq!(from_addresses(&found[0]), ["10.1.0.50"]);
    let whole = query(&mut r, "tier:mynumber", "external:pref-cloud", &[]);
    assert_eq!(from_addresses(&whole[0]), ["10.1.0.32/27"]);
    // The declared terminal at .10 is not let out.
    assert!(query(&mut r, "host:mn-pc", "external:pref-cloud", &[]).is_empty());
}

#[test]
fn a_gateway_is_an_endpoint() {
    let (topo, _) = topology("undeclared.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "segment:lg-office", "10.3.9.50/32", &[]);
    assert_eq!(
        named(&topo, &found),
        [
            triple("host:lg-dual", "gateway:screen", &["tcp/443"]),
            triple("undeclared:lg-office", "gateway:screen", &["tcp/443"]),
        ]
    );
    assert!(found[0].witness.is_some());
}

#[test]
fn a_device_address_without_a_host_reaches_a_server() {
    let (topo, _) = topology("undeclared.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "10.3.9.20/32", "host:lg-fs", &[]);
    assert_eq!(
        named(&topo, &found),
        [triple("undeclared:inet-dmz", "host:lg-fs", &["tcp/445"])]
    );
    let w = found[0].witness.as_ref().unwrap();
    assert_eq!(w.flow.src, u32::from(std::net::Ipv4Addr::new(10, 3, 9, 20)));
}

#[test]
fn tied_externals_keep_their_own_packets() {
    let (topo, _) = topology("undeclared.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // `internet` lists the same addresses as `pref-cloud` but faces no firewall: nothing of
    // its own gets anywhere, though the security cloud's packets carry the same addresses.
    assert!(query(&mut r, "external:internet", "any", &[]).is_empty());
    assert!(query(&mut r, "any", "external:internet", &[]).is_empty());
    let out = query(&mut r, "any", "external:pref-cloud", &[]);
    assert!(!out.is_empty());
    // Every pair has a witness.
    let all = query(&mut r, "any", "any", &[]);
    assert!(all.iter().all(|p| p.witness.is_some()));
}

#[test]
fn a_segment_destination_counts_delivery_into_that_segment_only() {
    let (topo, _) = topology("undeclared.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // lg-dual has a leg in each LGWAN segment. From lg-servers it is reached on every service
    // on its own segment, but into lg-office only through fw-core, on tcp/8080.
    let found = query(&mut r, "segment:lg-servers", "segment:lg-office", &[]);
    assert_eq!(
        named(&topo, &found),
        [
            triple("host:lg-fs", "host:lg-dual", &["tcp/8080"]),
            triple("undeclared:lg-servers", "host:lg-dual", &["tcp/8080"]),
        ]
    );
    // As a source, a segment selector sends only from the addresses inside it.
    let from_office = query(&mut r, "segment:lg-office", "host:lg-fs", &[]);
    assert!(named(&topo, &from_office).is_empty());
}

#[test]
fn a_routing_table_confines_paths_to_its_routes() {
    let (topo, _) = topology("routes.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // The core router's policy allows everything: without its table the office would reach the
    // LGWAN through the edge and the internet, and the internet through the LGWAN interface.
    let to_lgwan = query(&mut r, "host:pc", "external:lgwan", &[]);
    assert_eq!(to_lgwan.len(), 1);
    let w = to_lgwan[0].witness.as_ref().unwrap();
    assert_eq!(w.hops.len(), 1, "straight out of the LGWAN interface");
    assert_eq!(
        w.hops[0].route,
        Some(sansou::graph::routes::RouteKind::Static(0))
    );
    // The internet is reached through the default route via the edge, never via the LGWAN.
    let to_internet = query(&mut r, "host:pc", "external:internet", &[]);
    let w = to_internet[0].witness.as_ref().unwrap();
    let firewalls: Vec<&str> = w
        .hops
        .iter()
        .map(|h| topo.firewalls[h.firewall].id.as_str())
        .collect();
    assert_eq!(firewalls, ["core", "edge"]);
    assert_eq!(
        w.hops[0].route,
        Some(sansou::graph::routes::RouteKind::Static(2))
    );
    assert_eq!(w.hops[1].route, None, "the edge has no table");
    // The null-routed prefix is reached by nothing from the office; its LGWAN neighbours are.
    let flow = |dst: &str| sansou::analysis::space::Flow {
        src: u32::from("10.2.0.10".parse::<std::net::Ipv4Addr>().unwrap()),
        dst: u32::from(dst.parse::<std::net::Ipv4Addr>().unwrap()),
        proto: 6,
        port: 443,
    };
    let lgwan = Endpoint::External(ExternalId(1));
    assert!(r.delivers(lgwan, flow("172.16.1.1")));
    assert!(!r.delivers(lgwan, flow("172.20.1.1")), "discarded");
    // The witness names the route it took, with its configuration line.
    let text = sansou::analysis::names::route(
        &topo,
        &to_lgwan[0].witness.as_ref().unwrap().hops[0],
        sansou::lang::Lang::En,
    );
    assert_eq!(
        text.as_deref(),
        Some("route 172.16.0.0/12 via lgwan (core.conf:12)")
    );
}

/// The witness of the one pair from `from` to `to`, with its text in English.
fn witness_of(
    topo: &Topology,
    sources: &sansou::source::SourceMap,
    from: &str,
    to: &str,
) -> (sansou::analysis::witness::Witness, String) {
    let mut r = Reachability::compute(sansou::load::validate(topo).unwrap());
    let found = query(&mut r, from, to, &[]);
    assert_eq!(found.len(), 1, "{from} → {to}: a path is still reported");
    let w = found[0].witness.clone().expect("a witness");
    let mut text = String::new();
    sansou::report::paths::witness_text(&r, sources, &w, sansou::lang::Lang::En, &mut text);
    (w, text)
}

#[test]
fn replies_routed_through_a_stateful_firewall_that_missed_the_connection_are_dropped() {
    let (topo, sources) = topology("asymmetric.toml");
    // The flow itself still gets through fw-main: forward reachability is unchanged.
    let (w, text) = witness_of(&topo, &sources, "host:pc-low", "host:web");
    assert_eq!(w.hops.len(), 1);
    let fw = |id: &str| FirewallId(topo.firewalls.iter().position(|f| f.id == id).unwrap());
    match &w.replies {
        Replies::Unseen { firewall, reply } => {
            assert_eq!(*firewall, fw("fw-branch"));
            assert_eq!(reply.src.to_be_bytes(), [10, 2, 0, 20]);
            assert_eq!(reply.dst.to_be_bytes(), [10, 1, 0, 10]);
        }
        other => panic!("{other:?}"),
    }
    assert!(!w.reply_path.reversed);
    let way: Vec<(FirewallId, usize, usize)> = w
        .reply_path
        .hops
        .iter()
        .map(|h| (h.firewall, h.ingress, h.egress))
        .collect();
    assert_eq!(way, [(fw("fw-main"), 1, 2), (fw("fw-branch"), 0, 1)]);
    assert!(
        text.contains("reply dropped at fw-branch: stateful, did not see the connection"),
        "{text}"
    );
    assert!(text.contains("replies take another way back"), "{text}");
    assert!(
        text.contains("route 10.1.0.0/25 via 10.9.0.2 ha (fw-main.conf:40)"),
        "{text}"
    );
    // The upper half of the office is routed back the way it came.
    let (w, text) = witness_of(&topo, &sources, "host:pc-high", "host:web");
    assert_eq!(
        w.replies,
        Replies::Return {
            stateless_example: None
        }
    );
    assert!(w.reply_path.reversed);
    assert!(text.contains("replies return (stateful)"), "{text}");
}

#[test]
fn replies_routed_through_a_stateless_firewall_need_its_rules() {
    let (mut topo, sources) = topology("asymmetric.toml");
    let branch = FirewallId(
        topo.firewalls
            .iter()
            .position(|f| f.id == "fw-branch")
            .unwrap(),
    );
    topo.firewalls[branch].stateful = false;
    // Its rule lets replies to the office's high ports in: they return, the other way round.
    let (w, text) = witness_of(&topo, &sources, "host:pc-low", "host:web");
    match &w.replies {
        Replies::Return {
            stateless_example: Some(reply),
        } => assert_eq!(reply.to_string(), "10.2.0.20 → 10.1.0.10 tcp/1024"),
        other => panic!("{other:?}"),
    }
    assert!(!w.reply_path.reversed);
    assert!(text.contains("replies take another way back"), "{text}");
    // Without it, its default drops them.
    topo.firewalls[branch].rules.clear();
    let (w, text) = witness_of(&topo, &sources, "host:pc-low", "host:web");
    assert!(
        matches!(w.replies, Replies::Blocked { firewall, .. } if firewall == branch),
        "{:?}",
        w.replies
    );
    assert!(text.contains("replies are dropped at fw-branch"), "{text}");
}

#[test]
fn replies_are_translated_back_by_the_crossing_they_answer() {
    let (topo, _) = topology("nat-three-crossings.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "external:cloud", "external:lgwan", &[]);
    let w = found[0].witness.as_ref().unwrap();
    assert_eq!(w.hops.len(), 3, "{w:?}");
    assert!(
        matches!(w.replies, Replies::Return { .. }),
        "{:?}",
        w.replies
    );
    assert!(w.reply_path.reversed);
    assert_eq!(w.reply_path.hops.len(), 3);
}
