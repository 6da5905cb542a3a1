//! Witnesses decide which rule a packet meets by evaluating the rule on the model
//! (`acl::rule_matches`), while reachability uses each rule's compiled packet set
//! (`acl::rule_match`). The two must agree on every packet, or a witness would name a rule the
//! device does not apply. Checked here on generated designs (every rule of every list, with
//! interface constraints, host groups, stores, data classes and externals) at the edges of each
//! rule's own address ranges and ports, where an off-by-one would show, and on hand-picked
//! selectors.

use sansou::analysis::acl;
use sansou::analysis::space::{Flow, Space};
use sansou::generate::{Size, generate};
use sansou::graph::addresses::Addresses;
use sansou::model::service::TCP;
use sansou::model::{AddrRange, Firewall, Rule, Selector, Service, Topology};

/// Addresses at and just outside the edges of a selector list's ranges (at most `max` ranges).
fn edge_addresses(addrs: &Addresses<'_>, sels: &[sansou::model::At<Selector>]) -> Vec<u32> {
    let ranges: Vec<AddrRange> = addrs.of_selectors(sels.iter().map(|s| &s.value));
    let mut out = vec![0x0a00_0001, 0x0808_0808];
    for r in ranges.iter().take(2) {
        out.extend([
            r.first,
            r.last,
            r.first.wrapping_sub(1),
            r.last.wrapping_add(1),
        ]);
    }
    out
}

/// Protocols and ports at and beside the edges of a rule's services.
fn edge_services(rule: &Rule) -> Vec<(u8, u16)> {
    let mut out = vec![(TCP, 443), (1, 0)];
    for s in rule.services.iter().take(2) {
        if let Service::Proto { proto, ports } = s.value {
            out.extend([
                (proto, ports.first),
                (proto, ports.last),
                (proto, ports.first.wrapping_sub(1)),
                (proto, ports.last.wrapping_add(1)),
            ]);
        }
    }
    out
}

/// Compares the two answers for every sample packet of every rule of one list; returns how
/// many packets were compared.
fn compare_list(
    space: &mut Space,
    addrs: &Addresses<'_>,
    fw: &Firewall,
    rules: &[Rule],
    what: &str,
) -> usize {
    let n = fw.interfaces.len();
    let mut compared = 0;
    for (k, rule) in rules.iter().enumerate() {
        let set = acl::rule_match(space, addrs, fw, rule);
        let srcs = edge_addresses(addrs, &rule.from);
        let dsts = edge_addresses(addrs, &rule.to);
        let services = edge_services(rule);
        for &src in &srcs {
            for &dst in &dsts {
                for &(proto, port) in &services {
                    let flow = Flow {
                        src,
                        dst,
                        proto,
                        port,
                    };
                    for a in 0..n {
                        for b in 0..n {
                            let symbolic = space.contains(set, &space.bits(flow, a, b));
                            let direct = acl::rule_matches(addrs, fw, rule, flow, a, b);
                            assert_eq!(
                                direct,
                                symbolic,
                                "{} {what} rule {}: {flow} from interface {a} to {b}",
                                fw.id,
                                k + 1
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
    }
    compared
}

fn compare_all(topo: &Topology) -> usize {
    let addrs = Addresses::new(topo);
    let mut space = Space::new();
    let mut compared = 0;
    for fw in &topo.firewalls {
        compared += compare_list(&mut space, &addrs, fw, &fw.rules, "policy");
        for f in &fw.filters {
            compared += compare_list(&mut space, &addrs, fw, &f.rules, "filter");
        }
    }
    compared
}

#[test]
fn evaluating_a_rule_on_a_packet_agrees_with_its_compiled_set() {
    let topo = generate(Size::S, 1);
    assert!(
        topo.firewalls.iter().any(|f| !f.filters.is_empty()),
        "the generated design has interface filters"
    );
    assert!(
        topo.firewalls
            .iter()
            .flat_map(|f| &f.rules)
            .any(|r| !r.in_interfaces.is_empty() || !r.out_interfaces.is_empty()),
        "the generated design has rules bound to interfaces"
    );
    let compared = compare_all(&topo);
    assert!(compared > 50_000, "only {compared} packets compared");
}

#[test]
fn every_selector_kind_agrees_with_its_compiled_set() {
    let mut topo = generate(Size::S, 3);
    // One rule per selector kind, on the first firewall, with an unknown interface name (it
    // selects nothing), a port range, a whole protocol and no service at all.
    let kinds: Vec<String> = {
        let t = &topo;
        let host = &t.hosts[0].id;
        let store = &t.stores[0].id;
        let segment = &t.segments[0].id;
        let zone = &t.zones[0].id;
        let external = &t.externals[0].id;
        let data = t.stores[0].data[0].to_string();
        let kind = t.hosts[0].kind.to_string();
        vec![
            format!("host:{host}"),
            format!("store:{store}"),
            format!("segment:{segment}"),
            format!("zone:{zone}"),
            format!("external:{external}"),
            format!("data:{data}"),
            format!("kind:{kind}"),
            "tier:mynumber".into(),
            "tier:internet".into(),
            "10.0.0.0/9".into(),
            "any".into(),
        ]
    };
    let template = topo.firewalls[0].rules[0].clone();
    let mut added = Vec::new();
    for (i, from) in kinds.iter().enumerate() {
        let to = &kinds[(i + 3) % kinds.len()];
        let mut rule = template.clone();
        rule.from = vec![sansou::model::At::new(
            Selector::parse(from).expect("selector"),
            template.loc,
        )];
        rule.to = vec![sansou::model::At::new(
            Selector::parse(to).expect("selector"),
            template.loc,
        )];
        rule.services = match i % 4 {
            0 => vec![],
            1 => vec![sansou::model::At::new(
                Service::parse("tcp/1000-2000").unwrap(),
                template.loc,
            )],
            2 => vec![sansou::model::At::new(
                Service::parse("icmp").unwrap(),
                template.loc,
            )],
            _ => vec![sansou::model::At::new(Service::Any, template.loc)],
        };
        rule.in_interfaces = if i % 3 == 0 {
            vec![sansou::model::At::new(
                "no-such-port".to_string(),
                template.loc,
            )]
        } else {
            Vec::new()
        };
        added.push(rule);
    }
    topo.firewalls[0].rules = added;
    topo.firewalls.truncate(1);
    topo.firewalls[0].filters.clear();
    assert!(compare_all(&topo) > 1_000);
}
