//! Address translation on small hand-written designs (tests/fixtures/reach/nat-*.toml): a
//! masqueraded edge receives no unsolicited connection, a port forward publishes exactly its
//! translated service, static NAT works both ways with host bits kept, a firewall beyond a
//! source NAT sees the translated source, and replies are judged on the translated addresses.

use sansou::analysis::paths::{Pair, Query, pairs};
use sansou::analysis::reach::{Endpoint, Reachability};
use sansou::analysis::space::Flow;
use sansou::analysis::witness::Replies;
use sansou::lang::Lang;
use sansou::load::load_topology;
use sansou::model::{AddrRange, ExternalId, HostId, SegmentId, Selector, Topology};
use std::net::Ipv4Addr;
use std::path::Path;

fn topology(name: &str) -> Topology {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reach")
        .join(name);
    let loaded = load_topology(&path).unwrap();
    assert!(
        loaded.diagnostics.items.is_empty(),
        "{name}: {:?}",
        loaded.diagnostics
    );
    loaded.value
}

fn query(reach: &mut Reachability<'_>, from: &str, to: &str) -> Vec<Pair> {
    let (from, to) = (Selector::parse(from).unwrap(), Selector::parse(to).unwrap());
    pairs(
        reach,
        &Query {
            from: &from,
            to: &to,
            services: &[],
        },
    )
    .unwrap()
}

fn addr(text: &str) -> u32 {
    u32::from(text.parse::<Ipv4Addr>().unwrap())
}

fn flow(src: &str, dst: &str, port: u16) -> Flow {
    Flow {
        src: addr(src),
        dst: addr(dst),
        proto: 6,
        port,
    }
}

#[test]
fn a_masqueraded_edge_receives_no_unsolicited_connection() {
    let topo = topology("nat-edge.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // The policy lets the internet send anything anywhere; the masquerade hides the office.
    assert!(query(&mut r, "external:internet", "host:pc").is_empty());
    assert!(query(&mut r, "external:internet", "segment:office").is_empty());
    let pc = Endpoint::Host(HostId(0));
    assert!(!r.delivers(pc, flow("1.2.3.4", "10.3.0.10", 3389)));
    // Outbound, the office leaves from the edge's own address.
    let out = query(&mut r, "host:pc", "external:internet");
    assert_eq!(out.len(), 1);
    let internet = Endpoint::External(ExternalId(0));
    let delivered = r.delivered_to(internet);
    let from_pc = r.endpoint_sources(pc);
    let sent = r.space.and(delivered, from_pc);
    assert_eq!(
        r.space.address_field(sent, sansou::analysis::space::SRC),
        [AddrRange::parse("203.0.113.1").unwrap()],
        "the header carries the masquerade address"
    );
    let w = out[0].witness.as_ref().unwrap();
    assert_eq!(
        sansou::analysis::names::translations(&topo, &w.hops[0], Lang::En),
        ["source 10.3.0.10 → 203.0.113.1 at fw-inet (NAT office-out)"]
    );
}

#[test]
fn a_port_forward_publishes_exactly_its_translated_service() {
    let topo = topology("nat-edge.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "external:internet", "host:web");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].services.names(), ["tcp/443"]);
    let web = Endpoint::Host(HostId(1));
    assert!(r.delivers(web, flow("1.2.3.4", "203.0.113.10", 8443)));
    assert!(!r.delivers(web, flow("1.2.3.4", "203.0.113.10", 443)));
    assert!(
        !r.delivers(web, flow("1.2.3.4", "10.3.9.20", 443)),
        "not by its inside address"
    );
    // The witness shows the public address and port the internet uses.
    let w = found[0].witness.as_ref().unwrap();
    assert_eq!((w.flow.dst, w.flow.port), (addr("203.0.113.10"), 8443));
    assert_eq!(
        sansou::analysis::names::translations(&topo, &w.hops[0], Lang::En),
        ["destination 203.0.113.10:8443 → 10.3.9.20:443 at fw-inet (NAT web-https, fgt.conf:212)"]
    );
}

#[test]
fn static_nat_works_both_ways_and_keeps_host_bits() {
    let topo = topology("nat-static.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // fw-partner knows only the translated prefix: the mapped server gets through, the other
    // server (outside the inside prefix) does not, either way.
    let out = query(&mut r, "host:srv", "external:partner");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].services.names(), ["tcp/443"]);
    assert!(query(&mut r, "host:other", "external:partner").is_empty());
    assert_eq!(query(&mut r, "external:partner", "host:srv").len(), 1);
    assert!(query(&mut r, "external:partner", "host:other").is_empty());
    let srv = Endpoint::Host(HostId(0));
    assert!(r.delivers(srv, flow("198.51.100.9", "203.0.113.17", 22)));
    // 203.0.113.18 maps onto 10.3.9.18, where nothing but the segment's undeclared addresses is.
    assert!(!r.delivers(srv, flow("198.51.100.9", "203.0.113.18", 22)));
    let servers = Endpoint::Undeclared(SegmentId(0));
    assert!(r.delivers(servers, flow("198.51.100.9", "203.0.113.18", 22)));
}

#[test]
fn replies_are_judged_on_the_translated_addresses() {
    let topo = topology("nat-static.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Out to the partner: the stateless partner firewall lets the reply back to 203.0.113.17.
    let out = query(&mut r, "host:srv", "external:partner");
    match &out[0].witness.as_ref().unwrap().replies {
        Replies::Return {
            stateless_example: Some(reply),
        } => assert_eq!(reply.dst, addr("203.0.113.17")),
        other => panic!("replies should return: {other:?}"),
    }
    // In from the partner: the server's reply from 203.0.113.17 on an ephemeral port is not
    // one the stateless firewall allows.
    let inbound = query(&mut r, "external:partner", "host:srv");
    match &inbound[0].witness.as_ref().unwrap().replies {
        Replies::Blocked { reply, .. } => assert_eq!(reply.src, addr("203.0.113.17")),
        other => panic!("replies should be dropped: {other:?}"),
    }
}

/// The attack analysis of a design with the default policy, without fixes.
fn attack_on(topo: &Topology) -> sansou::analysis::attack::Attack {
    use sansou::analysis::attack::{self, Options};
    let mut r = Reachability::compute(sansou::load::validate(topo).unwrap());
    attack::analyze(
        &mut r,
        &sansou::model::policy::Policy::default(),
        &Options {
            fixes: false,
            ..Options::default()
        },
    )
}

#[test]
fn a_service_behind_a_port_forward_is_an_attack_entry_and_a_masqueraded_pc_is_not() {
    let topo = topology("nat-edge.toml");
    let attack = attack_on(&topo);
    let taken: Vec<&str> = attack
        .compromised()
        .map(|h| topo.hosts[h].id.as_str())
        .collect();
    assert_eq!(taken, ["web"]);
}

#[test]
fn a_pool_address_that_gets_through_is_the_one_the_witness_shows() {
    let topo = topology("nat-pool.toml");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let out = query(&mut r, "host:pc", "external:partner");
    assert_eq!(out.len(), 1);
    let w = out[0].witness.as_ref().expect("a witness");
    assert_eq!(
        sansou::analysis::names::translations(&topo, &w.hops[0], Lang::En),
        ["source 10.3.0.10 → 203.0.113.22 at fw-site (NAT office-pool)"]
    );
}

#[test]
fn a_source_nat_that_filters_nothing_leaves_the_decision_to_the_rules() {
    // The same edge, its masquerade marked `hide = false` as importers mark the NAT of devices
    // that route a packet for an inside address like any other (FortiOS, IOS, ASA, Linux).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach/nat-edge.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("masquerade = true\n", "masquerade = true\nhide = false\n");
    let dir = std::env::temp_dir().join(format!("sansou-nat-hide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("nat-edge.toml");
    std::fs::write(&file, text).unwrap();
    let loaded = load_topology(&file).unwrap();
    assert!(
        loaded.diagnostics.items.is_empty(),
        "{:?}",
        loaded.diagnostics
    );
    let topo = loaded.value;
    assert!(!topo.firewalls[0].nat.iter().all(|n| n.hides));
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // The policy lets the internet send anything anywhere, and now nothing hides the office.
    let found = query(&mut r, "external:internet", "host:pc");
    assert_eq!(found.len(), 1);
    assert!(r.delivers(
        Endpoint::Host(HostId(0)),
        flow("1.2.3.4", "10.3.0.10", 3389)
    ));
    // Outbound it still leaves from the edge's own address.
    let out = query(&mut r, "host:pc", "external:internet");
    let w = out[0].witness.as_ref().unwrap();
    assert_eq!(
        sansou::analysis::names::translations(&topo, &w.hops[0], Lang::En),
        ["source 10.3.0.10 → 203.0.113.1 at fw-inet (NAT office-out)"]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_store_reachable_only_through_a_port_forward_is_found() {
    let analyze = |topo: &Topology| {
        attack_on(topo)
            .stores
            .iter()
            .filter(|s| s.readable())
            .map(|s| topo.stores[s.store].id.clone())
            .collect::<Vec<_>>()
    };
    let mut topo = topology("nat-store.toml");
    assert_eq!(analyze(&topo), ["records"]);
    // The internet reaches the server at its public address and port only.
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    let found = query(&mut r, "external:internet", "store:records");
    assert_eq!(found.len(), 1);
    let w = found[0].witness.as_ref().unwrap();
    assert_eq!((w.flow.dst, w.flow.port), (addr("203.0.113.10"), 8443));
    // Without the forward the masquerade keeps everything out: the store is safe.
    topo.firewalls[0].nat.retain(|n| n.kind() != "destination");
    assert!(analyze(&topo).is_empty());
}
