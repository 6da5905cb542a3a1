//! `sansou import`: FortiGate and iptables configurations → topology files.
//!
//! Fixtures live in `tests/fixtures/import/{fortigate,iptables,e2e}`: every `NAME.map.toml` is a
//! case, importing `BASE.conf` (FortiGate) or `BASE.rules` (iptables-save), where `BASE` is
//! `NAME` up to its first dot (`vdom.inet.map.toml` imports `vdom.conf`). Cases whose name starts
//! with `error-` must be refused; the others are pinned by a snapshot of the written TOML and
//! the warnings, and must load together with the hand-written `e2e/topology/city.toml`.
//! Behaviour the snapshots could hide (first-match decisions, secrets, skipped policies) is
//! asserted directly, and the end-to-end test imports a three-vendor network and runs `check`.
//! Property tests compare the imported first-match lists with interpreters of the vendor
//! semantics on random configurations: iptables chains (jumps, gotos, RETURN, negation), the
//! same chains as a nat table (the imported destination NAT entries translate like netfilter's
//! traversal, ACCEPT leaving packets untranslated) and FortiGate policy tables (groups with
//! exclusions, zones, negation, disabled policies).

use sansou::diag::{Diagnostics, render_all};
use sansou::import::{Imported, Mapping, Vendor, common, to_toml};
use sansou::load::{self, Syntax};
use sansou::model::service::has_ports;
use sansou::model::{Action, Firewall, Rule, Selector, Service};
use sansou::source::SourceMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn vendor_of(config: &str) -> Vendor {
    if config.ends_with(".rules") {
        Vendor::Iptables
    } else if config.ends_with(".ios") {
        Vendor::CiscoIos
    } else {
        Vendor::FortiGate
    }
}

/// Imports a fixture under its name relative to `tests/fixtures/import`, so origins and
/// snapshots do not depend on the checkout.
fn import(config: &str, map: &str) -> Result<Imported, String> {
    let mapping = Mapping::parse(map, &read(map)).unwrap_or_else(|e| panic!("{e}"));
    (vendor_of(config).importer())(config, &read(config), &mapping).map_err(|e| e.located(config))
}

fn imported(config: &str, map: &str) -> Imported {
    import(config, map).unwrap_or_else(|e| panic!("{e}"))
}

/// The written file and every warning, as a user would see them.
fn rendered(config: &str, imp: &Imported) -> String {
    format!(
        "{}\n{}",
        to_toml(imp, vendor_of(config), config),
        common::warnings_text(config, &imp.warnings, common::Shown::All)
    )
}

/// Every case: (mapping, configuration), in name order.
fn cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["fortigate", "iptables", "e2e"] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".map.toml"))
            .collect();
        names.sort();
        for n in names {
            let base = n.split('.').next().unwrap();
            let config = ["conf", "rules", "ios"]
                .iter()
                .map(|ext| format!("{dir}/{base}.{ext}"))
                .find(|c| root().join(c).exists())
                .unwrap_or_else(|| panic!("{dir}/{n}: no {base}.conf, .rules or .ios"));
            // The IOS importer's output is pinned by its own tests (tests/importers/import_ios_rtx.rs).
            if vendor_of(&config) != Vendor::CiscoIos {
                out.push((format!("{dir}/{n}"), config));
            }
        }
    }
    out
}

/// Loads an imported file together with the hand-written part of the e2e topology.
fn load_with_city(name: &str, toml: &str) -> Diagnostics {
    let mut sources = SourceMap::default();
    let city = sources.add("e2e/topology/city.toml", read("e2e/topology/city.toml"));
    let own = sources.add(name, toml);
    let mut diags = Diagnostics::default();
    load::decode_topology(
        &[(city, Syntax::Toml), (own, Syntax::Toml)],
        &sources,
        &mut diags,
    );
    diags.sort();
    assert!(
        !diags.has_errors(),
        "{name} does not load:\n{}",
        render_all(&sources, &diags)
    );
    diags
}

#[test]
fn every_fixture_imports_as_pinned() {
    let cases = cases();
    assert!(cases.len() >= 10, "fixtures are missing: {cases:?}");
    for (map, config) in cases {
        let name = map.trim_end_matches(".map.toml").replace('/', "-");
        match import(&config, &map) {
            Ok(imp) if !name.contains("error-") => {
                let text = rendered(&config, &imp);
                // The same input gives the same bytes.
                let again = import(&config, &map).unwrap();
                assert_eq!(text, rendered(&config, &again), "{name}: not deterministic");
                load_with_city(&name, &to_toml(&imp, vendor_of(&config), &config));
                for r in &imp.firewall.rules {
                    let origin = r.origin.as_deref().unwrap();
                    assert!(
                        origin.starts_with(&format!("{config}:")),
                        "{name}: {origin}"
                    );
                }
                insta::assert_snapshot!(format!("import-{name}"), text);
            }
            Ok(_) => panic!("{name}: expected the import to be refused"),
            Err(e) if name.contains("error-") => {
                insta::assert_snapshot!(format!("import-{name}"), e);
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// First-match decisions of the imported rules, against the vendor's semantics
// ---------------------------------------------------------------------------------------------

struct Packet<'a> {
    src: &'a str,
    dst: &'a str,
    service: &'a str,
    inif: &'a str,
    outif: &'a str,
}

fn addr(s: &str) -> u32 {
    u32::from(s.parse::<Ipv4Addr>().unwrap())
}

fn rule_matches(r: &Rule, p: &Packet<'_>) -> bool {
    let sel = |list: &[sansou::model::At<Selector>], a: u32| {
        list.iter().any(|s| match &s.value {
            Selector::Any => true,
            Selector::Addr(r) => r.contains_addr(a),
            other => panic!("imported rules use addresses only, found {other}"),
        })
    };
    let Service::Proto { proto, ports } = Service::parse(p.service).unwrap() else {
        unreachable!()
    };
    let svc = r.services.iter().any(|s| match s.value {
        Service::Any => true,
        Service::Proto {
            proto: q,
            ports: range,
        } => q == proto && (!has_ports(q) || (range.first..=range.last).contains(&ports.first)),
    });
    let intf = |list: &[sansou::model::At<String>], name: &str| {
        list.is_empty() || list.iter().any(|i| i.value == name)
    };
    sel(&r.from, addr(p.src))
        && sel(&r.to, addr(p.dst))
        && svc
        && intf(&r.in_interfaces, p.inif)
        && intf(&r.out_interfaces, p.outif)
}

/// What the imported policy list does with a packet: the first matching rule, else the default.
fn decide(fw: &Firewall, p: &Packet<'_>) -> (Action, Option<String>) {
    fw.rules
        .iter()
        .find(|r| rule_matches(r, p))
        .map_or((fw.default, None), |r| (r.action, r.origin.clone()))
}

/// Checks (packet, expected action, line of the deciding rule or 0 for the default).
fn check_decisions(fw: &Firewall, config: &str, cases: &[(Packet<'_>, Action, usize)]) {
    for (p, want, line) in cases {
        let (got, origin) = decide(fw, p);
        let want_origin = (*line > 0).then(|| format!("{config}:{line}"));
        assert_eq!(
            (got, origin.clone()),
            (*want, want_origin),
            "{} → {} {} ({} → {})",
            p.src,
            p.dst,
            p.service,
            p.inif,
            p.outif
        );
    }
}

fn pkt<'a>(
    src: &'a str,
    dst: &'a str,
    service: &'a str,
    inif: &'a str,
    outif: &'a str,
) -> Packet<'a> {
    Packet {
        src,
        dst,
        service,
        inif,
        outif,
    }
}

/// The Docker host of `iptables/docker-host.rules`, with its `ipset save` dump or without.
fn docker_host(with_ipsets: bool) -> Imported {
    let (config, map) = (
        "iptables/docker-host.rules",
        "iptables/docker-host.map.toml",
    );
    let mut mapping = Mapping::parse(map, &read(map)).unwrap();
    if with_ipsets {
        mapping.ipsets = Some(
            sansou::import::ipset::parse(
                "iptables/docker-host.ipset",
                &read("iptables/docker-host.ipset"),
            )
            .unwrap(),
        );
    }
    (Vendor::Iptables.importer())(config, &read(config), &mapping).unwrap()
}

#[test]
fn iptables_raw_drops_apply_before_the_filter_table() {
    let config = "iptables/docker-host.rules";
    let text = read(config);
    let imp = docker_host(true);
    use Action::{Allow, Deny};
    let line = |n: &str| line_of(&text, n);
    check_decisions(
        &imp.firewall,
        config,
        &[
            // Docker's raw drop of direct access to an unpublished container.
            (
                pkt("203.0.113.9", "172.18.0.3", "tcp/443", "eth0", "docker0"),
                Deny,
                line("-d 172.18.0.3/32 ! -i br-"),
            ),
            // The published container: DNAT sends 8443 to it, so the raw drop on its address
            // (tested before DNAT) does not apply to what the model sees; the filter decides.
            (
                pkt("203.0.113.9", "172.17.0.2", "tcp/443", "eth0", "docker0"),
                Allow,
                line("-A DOCKER -d 172.17.0.2/32"),
            ),
            (
                pkt("203.0.113.9", "172.17.0.2", "tcp/22", "eth0", "docker0"),
                Deny,
                line("-A DOCKER ! -i docker0 -o docker0 -j DROP"),
            ),
        ],
    );
    // The warning says what the raw table does now.
    assert!(
        !imp.warnings
            .iter()
            .any(|w| w.message.contains("only exempts"))
    );
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.message.contains("raw PREROUTING: its drops"))
    );
    // The allow after the raw drop it overrides says so.
    let published = imp
        .firewall
        .rules
        .iter()
        .find(|r| {
            r.origin.as_deref() == Some(&format!("{config}:{}", line("-A DOCKER -d 172.17.0.2/32")))
        })
        .unwrap();
    assert!(
        published
            .approximation
            .as_deref()
            .unwrap()
            .contains("destination before DNAT"),
        "{published:?}"
    );
}

#[test]
fn iptables_marks_and_ipsets_keep_the_import_sound_and_say_so() {
    let config = "iptables/docker-host.rules";
    let text = read(config);
    let line = |n: &str| line_of(&text, n);
    let find = |imp: &Imported, l: usize| -> Vec<Rule> {
        imp.firewall
            .rules
            .iter()
            .filter(|r| r.origin.as_deref() == Some(&format!("{config}:{l}")))
            .cloned()
            .collect()
    };
    let imp = docker_host(false);
    use Action::{Allow, Deny};
    // `-m mark --mark 0x20 -j ACCEPT`: may match, so it is read as matching, and says so.
    let mark = line("-m mark --mark 0x20 -j ACCEPT");
    let accept = &find(&imp, mark)[0];
    assert_eq!(accept.action, Allow);
    let approx = accept.approximation.as_deref().unwrap();
    assert!(
        approx.contains(&format!(
            "assumes rule {config}:{mark} matches regardless of `-m mark --mark`"
        )),
        "{approx}"
    );
    // `-m mark --mark 0x10 … -j DROP`: not assumed to match every packet: left out, and the
    // office → internet allows after it that it overlaps say so.
    let drop = line("-m mark --mark 0x10");
    assert!(find(&imp, drop).is_empty());
    check_decisions(
        &imp.firewall,
        config,
        &[(
            pkt("10.3.1.20", "198.51.100.1", "tcp/3389", "eth1", "eth0"),
            Allow,
            mark,
        )],
    );
    assert!(
        approx.contains(&format!("the deny at {config}:{drop}")),
        "{approx}"
    );
    // Without the sets: `--match-set` drops are left out, accepts read as any address.
    let partners = line("--match-set partners");
    assert_eq!(find(&imp, partners)[0].from[0].value, Selector::Any);
    assert!(find(&imp, line("--match-set blocklist src -j DROP")).is_empty());
    // With `--ipset`: the sets' addresses, `nomatch` exceptions included.
    let imp = docker_host(true);
    check_decisions(
        &imp.firewall,
        config,
        &[
            (
                pkt("10.9.9.9", "172.17.0.2", "tcp/443", "eth0", "docker0"),
                Deny,
                line("--match-set bogons src -j DROP"),
            ),
            (
                pkt("192.0.2.5", "172.17.0.9", "tcp/443", "eth0", "docker0"),
                Allow,
                partners,
            ),
            (
                pkt("192.0.2.200", "172.17.0.9", "tcp/443", "eth0", "docker0"),
                Deny,
                line("-A DOCKER ! -i docker0 -o docker0 -j DROP"),
            ),
        ],
    );
    let p = &find(&imp, partners)[0];
    assert_eq!(p.from[0].value.to_string(), "192.0.2.0/25");
    // A set whose entries time out is what was dumped only for a moment: its DROP is left
    // out (the allows after it say so), never assumed to hold those addresses for ever.
    assert!(find(&imp, line("--match-set blocklist src -j DROP")).is_empty());
}

#[test]
fn an_accept_policy_after_a_left_out_drop_says_so() {
    let map = Mapping::new(
        "fw",
        [
            ("eth0", sansou::model::Attachment::Segment("a".into())),
            ("eth1", sansou::model::Attachment::Segment("b".into())),
        ],
    );
    let text = "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m mark --mark 0x1 -j DROP\n-A FORWARD -p tcp --dport 22 -j DROP\nCOMMIT\n";
    let imp = (Vendor::Iptables.importer())("fw.rules", text, &map).unwrap();
    let fw = &imp.firewall;
    assert_eq!(
        fw.default,
        Action::Deny,
        "the policy is an explicit last rule"
    );
    let last = fw.rules.last().unwrap();
    assert_eq!(last.action, Action::Allow);
    assert_eq!(last.origin.as_deref(), Some("fw.rules:2"));
    assert!(
        last.approximation
            .as_deref()
            .unwrap()
            .contains("fw.rules:3")
    );
    // The exact DROP is still there, before it.
    assert_eq!(fw.rules[0].origin.as_deref(), Some("fw.rules:4"));
}

#[test]
fn fortigate_names_resolved_at_run_time_are_sound_and_marked() {
    let config = "fortigate/fqdn.conf";
    let text = read(config);
    use Action::{Allow, Deny};
    let policy = |id: &str| policy_line(&text, &format!("edit {id}"));
    // Without `[fqdn]`: the FQDN deny cannot be read (left out), the FQDN allow reads as any
    // address, and both say so.
    let open = imported(config, "fortigate/fqdn.map.toml");
    check_decisions(
        &open.firewall,
        config,
        &[
            (
                pkt("10.3.1.20", "198.51.100.10", "tcp/443", "port1", "wan1"),
                Allow,
                policy("13"),
            ),
            (
                pkt("10.3.1.20", "192.0.2.99", "tcp/80", "port1", "wan1"),
                Allow,
                policy("13"),
            ),
        ],
    );
    let updates = open
        .firewall
        .rules
        .iter()
        .find(|r| r.origin.as_deref() == Some(&format!("{config}:{}", policy("13"))))
        .unwrap();
    let approx = updates.approximation.as_deref().unwrap();
    assert!(approx.contains("address `windowsupdate`"), "{approx}");
    assert!(
        approx.contains(&format!("the deny at {config}:{}", policy("11"))),
        "{approx}"
    );
    assert!(
        approx.contains("schedule `office-hours`"),
        "a deny with a schedule is not read as always active: {approx}"
    );
    // With `[fqdn]` in the mapping: exact, and the wildcard FQDN deny applies.
    let known = imported(config, "fortigate/fqdn.resolved.map.toml");
    check_decisions(
        &known.firewall,
        config,
        &[
            (
                pkt("10.3.1.20", "198.51.100.10", "tcp/443", "port1", "wan1"),
                Deny,
                policy("11"),
            ),
            (
                pkt("10.3.1.20", "203.0.113.81", "tcp/443", "port1", "wan1"),
                Allow,
                policy("13"),
            ),
            (
                pkt("10.3.1.20", "172.16.20.5", "tcp/80", "port1", "wan1"),
                Allow,
                policy("13"),
            ),
            (
                pkt("10.3.1.20", "192.0.2.99", "tcp/80", "port1", "wan1"),
                Deny,
                0,
            ),
        ],
    );
    // Backups are full of empty sections and `unset icmptype`: no warning for them.
    for imp in [&open, &known] {
        assert!(
            !imp.warnings.iter().any(|w| w.message.contains("unset")
                || w.message.contains("policy6")
                || w.message.contains("local-in")
                || w.message.contains("switch")),
            "{:?}",
            imp.warnings
        );
    }
}

#[test]
fn iptables_chains_are_flattened_with_returns_and_gotos() {
    let config = "iptables/chains.rules";
    let fw = imported(config, "iptables/chains.map.toml").firewall;
    use Action::{Allow, Deny};
    check_decisions(
        &fw,
        config,
        &[
            // FROM-OFFICE returns the lower half (10.3.1.0/25); the FORWARD rules below decide.
            (
                pkt("10.3.1.10", "8.8.8.8", "tcp/443", "eth1", "eth0"),
                Deny,
                18,
            ),
            (
                pkt("10.3.1.200", "8.8.8.8", "tcp/443", "eth1", "eth0"),
                Allow,
                20,
            ),
            (
                pkt("10.3.1.200", "1.1.1.1", "tcp/22", "eth1", "eth0"),
                Deny,
                21,
            ),
            // MAINT would accept 10.3.1.200, but FROM-OFFICE dropped it first.
            (
                pkt("10.3.1.200", "10.3.9.30", "tcp/22", "eth1", "eth2"),
                Deny,
                21,
            ),
            // `-g TO-DMZ`: when TO-DMZ ends, FORWARD's policy (ACCEPT) applies.
            (
                pkt("10.3.1.10", "10.3.9.30", "tcp/22", "eth1", "eth2"),
                Allow,
                0,
            ),
            (
                pkt("8.8.8.8", "10.3.9.25", "tcp/25", "eth0", "eth2"),
                Allow,
                23,
            ),
            (
                pkt("8.8.8.8", "10.3.9.30", "tcp/3389", "eth0", "eth2"),
                Allow,
                0,
            ),
            // `! -d`, `-o eth+` (eth2 went to TO-DMZ), `! --dport 25`.
            (
                pkt("10.3.9.30", "8.8.8.8", "tcp/443", "eth2", "eth0"),
                Deny,
                11,
            ),
            (
                pkt("10.3.9.30", "8.8.8.8", "tcp/25", "eth2", "eth0"),
                Deny,
                18,
            ),
            // `--sport` ignored on the ACCEPT; NFQUEUE read as ACCEPT.
            (
                pkt("8.8.8.8", "10.3.1.10", "tcp/8080", "eth0", "eth1"),
                Allow,
                13,
            ),
            (
                pkt("8.8.8.8", "10.3.1.10", "tcp/9000", "eth0", "eth1"),
                Allow,
                14,
            ),
            (
                pkt("10.3.1.55", "8.8.8.8", "udp/53", "eth1", "eth0"),
                Deny,
                17,
            ),
        ],
    );
    assert!(!fw.stateful, "no ESTABLISHED rule: stateless");
}

#[test]
fn fortigate_policies_keep_order_negation_groups_and_zones() {
    let config = "fortigate/objects.conf";
    let fw = imported(config, "fortigate/objects.map.toml").firewall;
    use Action::{Allow, Deny};
    check_decisions(
        &fw,
        config,
        &[
            // Policy 100 comes first although its id is the largest.
            (
                pkt("10.2.1.205", "10.2.2.10", "tcp/3389", "port1", "port2"),
                Allow,
                121,
            ),
            // Policy 5: `srcaddr-negate` (everyone but the admin range).
            (
                pkt("10.2.1.50", "10.2.2.10", "tcp/3389", "port1", "port2"),
                Deny,
                131,
            ),
            // Intrazone allow of lg-zone after the policies, before the implicit deny.
            (
                pkt("10.2.1.50", "10.2.2.10", "tcp/445", "port1", "port2"),
                Allow,
                33,
            ),
            // Policy 7: a deny keeps only what it surely matches (not the geography object).
            (
                pkt("10.3.9.40", "10.2.2.10", "tcp/80", "port3", "port2"),
                Deny,
                152,
            ),
            (
                pkt("10.3.9.41", "10.2.2.10", "tcp/80", "port3", "port2"),
                Allow,
                180,
            ),
            // Policy 6: the group excludes the admin range; policy 12: `service-negate`.
            (
                pkt("10.2.1.205", "10.3.9.40", "tcp/80", "port1", "port3"),
                Allow,
                190,
            ),
            (
                pkt("10.2.1.50", "10.3.9.40", "tcp/8080", "port1", "port3"),
                Allow,
                142,
            ),
            (
                pkt("10.2.1.205", "10.3.9.40", "tcp/6514", "port1", "port3"),
                Deny,
                0,
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Warnings, secrets, errors
// ---------------------------------------------------------------------------------------------

/// The line (1-based) of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

/// The `edit` line of the FortiGate policy whose block contains `needle`.
fn policy_line(text: &str, needle: &str) -> usize {
    let at = line_of(text, needle);
    let lines: Vec<&str> = text.lines().collect();
    (1..=at)
        .rev()
        .find(|&l| lines[l - 1].trim_start().starts_with("edit "))
        .unwrap()
}

fn warned(imp: &Imported, line: usize, words: &str) -> bool {
    imp.warnings
        .iter()
        .any(|w| w.line == line && w.message.contains(words))
}

#[test]
fn disabled_policies_are_skipped_with_a_warning() {
    let config = "e2e/fgt-honcho.conf";
    let text = read(config);
    let imp = imported(config, "e2e/fgt-honcho.map.toml");
    let disabled = line_of(&text, "set status disable");
    let edit = policy_line(&text, "set status disable");
    assert!(warned(&imp, disabled, "disabled"), "{:?}", imp.warnings);
    let origin = format!("{config}:{edit}");
    assert!(
        imp.firewall
            .rules
            .iter()
            .all(|r| r.origin.as_deref() != Some(&origin))
    );
}

#[test]
fn unknown_lines_and_unmapped_interfaces_are_warned() {
    let config = "fortigate/objects.conf";
    let text = read(config);
    let imp = imported(config, "fortigate/objects.map.toml");
    assert!(warned(
        &imp,
        line_of(&text, "this line is not FortiOS"),
        "outside"
    ));
    assert!(warned(
        &imp,
        line_of(&text, "custom-unknown-key"),
        "not read"
    ));
    assert!(warned(
        &imp,
        line_of(&text, "config router static"),
        "routing"
    ));
    // port9 is used by policies 8 and 9 but not mapped: warned once, policy 9 left out.
    let port9: Vec<_> = imp
        .warnings
        .iter()
        .filter(|w| w.message.contains("`port9` is not in the mapping"))
        .collect();
    assert_eq!(port9.len(), 1, "{:?}", imp.warnings);
    let p9 = policy_line(&text, "set srcintf \"port9\"");
    assert!(warned(&imp, p9, "left out"));
    assert!(
        imp.firewall
            .rules
            .iter()
            .all(|r| r.in_interfaces.iter().all(|i| i.value != "port9"))
    );

    let config = "e2e/gw-inet.rules";
    let imp = imported(config, "e2e/gw-inet.map.toml");
    let text = read(config);
    assert!(warned(
        &imp,
        line_of(&text, "-i wg0"),
        "`wg0` is not in the mapping"
    ));
    // The nat table is read; its masquerade needs the interface's address, which the file
    // does not give.
    assert!(warned(
        &imp,
        line_of(&text, "-j MASQUERADE"),
        "MASQUERADE on eth0"
    ));
    assert!(warned(&imp, line_of(&text, "--ctstate INVALID"), "INVALID"));
    assert!(warned(&imp, line_of(&text, ":UNUSED-OLD"), "not reached"));
}

/// Values of secret settings in a FortiGate configuration: `set password ENC …`,
/// `set psksecret ENC …`, and the SNMP community names.
fn fortigate_secrets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_community = false;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["config", "system", "snmp", "community"] => in_community = true,
            ["end"] if line.starts_with("end") => in_community = false,
            ["set", key, values @ ..] if common::is_secret_word(key) => out.extend(
                values
                    .iter()
                    .filter(|v| **v != "ENC")
                    .map(|v| v.trim_matches('"').to_string()),
            ),
            ["set", "name", name] if in_community => out.push(name.trim_matches('"').to_string()),
            _ => {}
        }
    }
    out
}

#[test]
fn secrets_never_reach_the_output_or_the_messages() {
    for (config, map) in [
        ("e2e/fgt-honcho.conf", "e2e/fgt-honcho.map.toml"),
        ("fortigate/vdom.conf", "fortigate/vdom.map.toml"),
    ] {
        let text = read(config);
        let secrets = fortigate_secrets(&text);
        assert!(
            !secrets.is_empty(),
            "{config}: the fixture should hold secrets"
        );
        let imp = imported(config, map);
        let out = rendered(config, &imp);
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{config}: secret {s:?} leaked:\n{out}"
            );
        }
    }
    // Through the command line too: stdout, stderr and the written file.
    let dir = temp_dir("secrets");
    let o = sansou(&[
        "import",
        "fortigate",
        "tests/fixtures/import/e2e/fgt-honcho.conf",
        "--map",
        "tests/fixtures/import/e2e/fgt-honcho.map.toml",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.join("fgt-honcho.toml")).unwrap();
    for s in fortigate_secrets(&read("e2e/fgt-honcho.conf")) {
        for (what, text) in [
            ("stdout", stdout(&o)),
            ("stderr", stderr(&o)),
            ("file", written.clone()),
        ] {
            assert!(!text.contains(&s), "secret {s:?} in {what}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_vdom_is_chosen_by_the_mapping() {
    let root = imported("fortigate/vdom.conf", "fortigate/vdom.map.toml");
    assert!(warned(&root, 0, "2 VDOMs (root, inet); imported `root`"));
    let inet = imported("fortigate/vdom.conf", "fortigate/vdom.inet.map.toml");
    assert!(!inet.warnings.iter().any(|w| w.message.contains("VDOMs")));
    let names = |i: &Imported| -> Vec<String> {
        i.firewall
            .interfaces
            .iter()
            .filter_map(|x| x.name.clone())
            .collect()
    };
    assert_eq!(names(&root), ["port1", "port2"]);
    assert_eq!(names(&inet), ["port3", "port4"]);
    assert!(
        !inet.firewall.stateful,
        "the mapping's `stateful = false` wins"
    );
    let text = read("fortigate/vdom.conf");
    let mapping = Mapping::parse(
        "m.toml",
        "format = 1\ndevice = \"x\"\nvdom = \"dmz\"\n[interfaces]\nport1 = \"segment:a\"\n",
    )
    .unwrap();
    let err = sansou::import::fortigate::import("vdom.conf", &text, &mapping).unwrap_err();
    assert!(
        err.message.contains("VDOM `dmz`") && err.message.contains("root, inet"),
        "{err:?}"
    );
}

#[test]
fn group_cycles_and_broken_files_are_located_errors() {
    let config = "fortigate/error-group-cycle.conf";
    let text = read(config);
    let err = import(config, "fortigate/error-group-cycle.map.toml").unwrap_err();
    let outer = line_of(&text, "edit \"outer\"");
    assert!(err.starts_with(&format!("{config}:{outer}:1: ")), "{err}");
    assert!(err.contains("outer → inner → outer"), "{err}");

    let config = "iptables/error-cycle.rules";
    let text = read(config);
    let err = import(config, "iptables/error-cycle.map.toml").unwrap_err();
    let back = line_of(&text, "-A B -s");
    assert!(err.starts_with(&format!("{config}:{back}:1: ")), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The command line and the end-to-end run
// ---------------------------------------------------------------------------------------------

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1727740800")
        .output()
        .expect("sansou runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sansou-import-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn import_errors_exit_two_with_a_location() {
    let dir = temp_dir("errors");
    let out = dir.to_str().unwrap();
    // A broken mapping: located like every other input.
    let bad_map = dir.join("bad.map.toml");
    std::fs::write(
        &bad_map,
        "format = 1\ndevice = \"fw\"\n[interfaces]\nport1 = \"zone:lg\"\n",
    )
    .unwrap();
    let o = sansou(&[
        "import",
        "fortigate",
        "tests/fixtures/import/e2e/fgt-honcho.conf",
        "--map",
        bad_map.to_str().unwrap(),
        "--output",
        out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.map.toml:4:9"), "{}", stderr(&o));
    // A configuration of the wrong vendor.
    let o = sansou(&[
        "import",
        "iptables",
        "tests/fixtures/import/e2e/fgt-honcho.conf",
        "--map",
        "tests/fixtures/import/e2e/gw-inet.map.toml",
        "--output",
        out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("tests/fixtures/import/e2e/fgt-honcho.conf:"),
        "{}",
        stderr(&o)
    );
    // An unknown vendor is a usage error.
    let o = sansou(&["import", "juniper", "x.conf", "--map", "m.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("fw.toml").exists() && !dir.join("gw-inet.toml").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn imported_devices_merge_with_the_design_and_findings_point_at_config_lines() {
    let dir = temp_dir("e2e");
    std::fs::copy(root().join("e2e/topology/city.toml"), dir.join("city.toml")).unwrap();
    let out = dir.to_str().unwrap();
    let devices = [
        (
            "fortigate",
            "fgt-honcho.conf",
            "fgt-honcho.map.toml",
            "fgt-honcho",
        ),
        ("iptables", "gw-inet.rules", "gw-inet.map.toml", "gw-inet"),
        // The Cisco IOS importer has its own tests (tests/importers/import_ios_rtx.rs); here it only has
        // to merge with the others and point witnesses at its ACL lines.
        ("cisco-ios", "core-sw.ios", "core-sw.map.toml", "core-sw"),
    ];
    for (vendor, config, map, id) in devices {
        let config = format!("tests/fixtures/import/e2e/{config}");
        let map = format!("tests/fixtures/import/e2e/{map}");
        let o = sansou(&["import", vendor, &config, "--map", &map, "--output", out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("as firewall `{id}`")), "{err}");
        assert!(err.contains("warning(s) while importing"), "{err}");
        assert!(dir.join(format!("{id}.toml")).exists());
    }

    let fgt = read("e2e/fgt-honcho.conf");
    let ipt = read("e2e/gw-inet.rules");
    let share = format!(
        "tests/fixtures/import/e2e/fgt-honcho.conf:{}",
        policy_line(&fgt, "temporary-share")
    );
    let web = format!(
        "tests/fixtures/import/e2e/gw-inet.rules:{}",
        line_of(&ipt, "web via the security cloud")
    );

    // JSON: exactly the expected failures, and the witnesses carry the device lines.
    let o = sansou(&["check", out, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    // Findings on the IOS switch's rules depend on what that importer makes of ACL remarks;
    // they are checked below through the witness instead.
    let mut failed: Vec<(String, String)> = findings
        .iter()
        .filter(|f| {
            f["verdict"] == "fail" && !f["subject"].as_str().unwrap().starts_with("core-sw/")
        })
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    failed.sort();
    let expected: Vec<(String, String)> = [
        ("IR-002", "host:inet-pc"),
        ("LG-001", "fgt-honcho/policy-12"),
        ("LG-002", "host:dmz-maint->host:lg-fs"),
        ("LG-002", "host:mail-relay->host:lg-fs"),
        // The imported policy allows the whole DMZ subnet: any device there reaches it.
        ("LG-002", "undeclared:inet-dmz->host:lg-fs"),
        ("LG-005", "fgt-honcho"),
        ("NET-001", "gw-inet/6"),
    ]
    .iter()
    .map(|(c, s)| (c.to_string(), s.to_string()))
    .collect();
    assert_eq!(failed, expected);
    let find = |code: &str, subject: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code && f["subject"] == subject)
            .unwrap()
            .to_string()
    };
    assert!(find("LG-002", "host:dmz-maint->host:lg-fs").contains(&share));
    assert!(find("IR-002", "host:inet-pc").contains(&web));

    // SARIF: the packet path's hop at the firewall is the device configuration line.
    let o = sansou(&["check", out, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let (share_file, share_line) = share.rsplit_once(':').unwrap();
    let hop_at_share = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "LG-002")
        .flat_map(|r| r["codeFlows"].as_array().cloned().unwrap_or_default())
        .flat_map(|f| {
            f["threadFlows"][0]["locations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .any(|l| {
            let p = &l["location"]["physicalLocation"];
            p["artifactLocation"]["uri"] == share_file
                && p["region"]["startLine"].as_u64() == share_line.parse().ok()
        });
    assert!(hop_at_share, "no SARIF hop at {share}");

    // Text: the witness names the configuration line of the rule that let the packet through.
    let o = sansou(&["check", out, "--lang", "en"]);
    let text = stdout(&o);
    assert!(text.contains(&format!("(from {share})")), "{text}");
    assert!(text.contains(&format!("(from {web})")), "{text}");
    assert!(
        text.contains(&format!("[{share}]")),
        "LG-001 names the origin: {text}"
    );

    // The My Number side reaches the LGWAN file server only through the IOS ACL entry that
    // opens SMB to the whole server segment: MN-002, and the witness names that ACL line.
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "MN-002" && f["subject"] == "core-sw/Vlan30-in/MN-OUT.20"),
        "{doc}"
    );
    let smb = format!(
        "tests/fixtures/import/e2e/core-sw.ios:{}",
        line_of(&read("e2e/core-sw.ios"), "eq 445")
    );
    let o = sansou(&["paths", out, "--from", "host:mn-pc", "--to", "host:lg-fs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("(from {smb})")),
        "{}",
        stdout(&o)
    );

    // The disabled any-any policy from the DMZ into the LGWAN office was not imported.
    let o = sansou(&[
        "paths",
        out,
        "--from",
        "segment:inet-dmz",
        "--to",
        "segment:lg-office",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["pairs"].as_array().map(Vec::len), Some(0), "{doc}");
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// Property: flattened iptables chains decide like iptables itself
// ---------------------------------------------------------------------------------------------

mod flattening {
    //! Random filter tables (FORWARD and two user chains, jumps only forward so there is no
    //! cycle) are rendered as iptables-save text and imported; a direct interpreter of the
    //! same rules, written from the iptables semantics (first match, RETURN, jump, goto, chain
    //! policy), must decide every sample packet as the imported first-match list does.

    use super::*;
    use proptest::prelude::*;

    const IFS: [&str; 3] = ["eth0", "eth1", "eth2"];
    const NETS: [&str; 4] = ["10.0.0.0/24", "10.0.0.0/25", "10.0.0.128/25", "10.0.0.0/16"];
    const ADDRS: [&str; 5] = [
        "10.0.0.1",
        "10.0.0.200",
        "10.0.1.5",
        "10.0.0.127",
        "192.0.2.1",
    ];
    const PORTS: [u16; 5] = [22, 80, 443, 445, 8080];

    #[derive(Clone, Debug)]
    enum Target {
        Accept,
        Drop,
        Return,
        Jump(usize),
        Goto(usize),
    }

    #[derive(Clone, Debug)]
    struct R {
        src: Option<(usize, bool)>,
        dst: Option<(usize, bool)>,
        /// (tcp?, low port, high port, negated)
        port: Option<(bool, u16, u16, bool)>,
        inif: Option<(usize, bool)>,
        /// `-o eth+` (every interface) or one interface, negated or not.
        outif: Option<(Option<usize>, bool)>,
        target: Target,
    }

    #[derive(Clone, Debug)]
    struct Table {
        accept: bool,
        /// chains[0] is FORWARD, then U1 and U2.
        chains: Vec<Vec<R>>,
    }

    const NAMES: [&str; 3] = ["FORWARD", "U1", "U2"];

    fn rule(chain: usize) -> impl Strategy<Value = R> {
        // Jumps only to later chains, so the last chain (U2) has none.
        let target: BoxedStrategy<Target> = if chain < 2 {
            prop_oneof![
                3 => Just(Target::Accept),
                3 => Just(Target::Drop),
                2 => Just(Target::Return),
                2 => (chain + 1..3).prop_map(Target::Jump),
                1 => (chain + 1..3).prop_map(Target::Goto),
            ]
            .boxed()
        } else {
            prop_oneof![
                3 => Just(Target::Accept),
                3 => Just(Target::Drop),
                2 => Just(Target::Return),
            ]
            .boxed()
        };
        let sel = proptest::option::weighted(0.4, (0..NETS.len(), any::<bool>()));
        let port = proptest::option::weighted(
            0.4,
            (any::<bool>(), 0..PORTS.len(), 0..PORTS.len(), any::<bool>()).prop_map(
                |(tcp, a, b, neg)| {
                    let (lo, hi) = (PORTS[a.min(b)], PORTS[a.max(b)]);
                    (tcp, lo, hi, neg)
                },
            ),
        );
        let inif = proptest::option::weighted(0.3, (0..IFS.len(), any::<bool>()));
        let outif =
            proptest::option::weighted(0.3, (proptest::option::of(0..IFS.len()), any::<bool>()));
        (sel.clone(), sel, port, inif, outif, target).prop_map(
            |(src, dst, port, inif, outif, target)| R {
                src,
                dst,
                port,
                inif,
                outif,
                target,
            },
        )
    }

    fn table() -> impl Strategy<Value = Table> {
        (
            any::<bool>(),
            proptest::collection::vec(rule(0), 0..6),
            proptest::collection::vec(rule(1), 0..5),
            proptest::collection::vec(rule(2), 0..4),
        )
            .prop_map(|(accept, f, u1, u2)| Table {
                accept,
                chains: vec![f, u1, u2],
            })
    }

    fn render(t: &Table) -> String {
        let mut out = String::from("*filter\n");
        out.push_str(&format!(
            ":FORWARD {} [0:0]\n:U1 - [0:0]\n:U2 - [0:0]\n",
            if t.accept { "ACCEPT" } else { "DROP" }
        ));
        for (c, rules) in t.chains.iter().enumerate() {
            for r in rules {
                let mut line = format!("-A {}", NAMES[c]);
                let bang = |neg: bool| if neg { "! " } else { "" };
                if let Some((n, neg)) = r.src {
                    line += &format!(" {}-s {}", bang(neg), NETS[n]);
                }
                if let Some((n, neg)) = r.dst {
                    line += &format!(" {}-d {}", bang(neg), NETS[n]);
                }
                if let Some((i, neg)) = r.inif {
                    line += &format!(" {}-i {}", bang(neg), IFS[i]);
                }
                if let Some((i, neg)) = r.outif {
                    line += &format!(" {}-o {}", bang(neg), i.map_or("eth+", |i| IFS[i]));
                }
                if let Some((tcp, lo, hi, neg)) = r.port {
                    let p = if tcp { "tcp" } else { "udp" };
                    line += &format!(" -p {p} -m {p} {}--dport {lo}:{hi}", bang(neg));
                }
                line += &match r.target {
                    Target::Accept => " -j ACCEPT".to_string(),
                    Target::Drop => " -j DROP".to_string(),
                    Target::Return => " -j RETURN".to_string(),
                    Target::Jump(c) => format!(" -j {}", NAMES[c]),
                    Target::Goto(c) => format!(" -g {}", NAMES[c]),
                };
                out.push_str(&line);
                out.push('\n');
            }
        }
        out.push_str("COMMIT\n");
        out
    }

    struct P {
        src: u32,
        dst: u32,
        tcp: bool,
        port: u16,
        inif: usize,
        outif: usize,
    }

    fn in_net(a: u32, n: usize) -> bool {
        sansou::model::AddrRange::parse(NETS[n])
            .unwrap()
            .contains_addr(a)
    }

    fn matches(r: &R, p: &P) -> bool {
        let sel = |s: Option<(usize, bool)>, a: u32| s.is_none_or(|(n, neg)| in_net(a, n) != neg);
        let port = r
            .port
            .is_none_or(|(tcp, lo, hi, neg)| tcp == p.tcp && ((lo..=hi).contains(&p.port) != neg));
        let inif = r.inif.is_none_or(|(i, neg)| (i == p.inif) != neg);
        let outif = r
            .outif
            .is_none_or(|(i, neg)| i.is_none_or(|i| i == p.outif) != neg);
        sel(r.src, p.src) && sel(r.dst, p.dst) && port && inif && outif
    }

    /// iptables: `Some(accept?)` when a rule decides, `None` when the chain falls through or
    /// returns. A goto whose chain falls through makes the calling chain return at once.
    fn run(t: &Table, chain: usize, p: &P) -> Option<bool> {
        traverse(t, chain, p, &|accept, _, _| accept)
    }

    /// The traversal: `verdict(accept?, chain, rule)` for the ACCEPT or DROP that decides.
    fn traverse<T>(
        t: &Table,
        chain: usize,
        p: &P,
        verdict: &dyn Fn(bool, usize, usize) -> T,
    ) -> Option<T> {
        for (k, r) in t.chains[chain].iter().enumerate() {
            if !matches(r, p) {
                continue;
            }
            match r.target {
                Target::Accept => return Some(verdict(true, chain, k)),
                Target::Drop => return Some(verdict(false, chain, k)),
                Target::Return => return None,
                Target::Jump(c) => {
                    if let Some(v) = traverse(t, c, p, verdict) {
                        return Some(v);
                    }
                }
                Target::Goto(c) => return traverse(t, c, p, verdict),
            }
        }
        None
    }

    fn packets() -> Vec<P> {
        let mut out = Vec::new();
        for (k, src) in ADDRS.iter().enumerate() {
            for dst in ADDRS.iter().skip(k % 2) {
                for (j, port) in PORTS.iter().enumerate() {
                    out.push(P {
                        src: addr(src),
                        dst: addr(dst),
                        tcp: j % 2 == 0,
                        port: *port,
                        inif: (k + j) % 3,
                        outif: (k + 2 * j + 1) % 3,
                    });
                }
            }
        }
        out
    }

    /// Imports iptables-save text with eth0, eth1 and eth2 mapped.
    fn import_three(text: &str) -> Result<Firewall, TestCaseError> {
        let map = Mapping::parse(
            "m.toml",
            "format = 1\ndevice = \"fw\"\n[interfaces]\neth0 = \"segment:a\"\neth1 = \"segment:b\"\neth2 = \"segment:c\"\n",
        )
        .unwrap();
        sansou::import::iptables::import("t.rules", text, &map)
            .map(|i| i.firewall)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn flattened_chains_decide_like_iptables(t in table()) {
            let text = render(&t);
            let fw = import_three(&text)?;
            for p in packets() {
                let want = run(&t, 0, &p).unwrap_or(t.accept);
                let (src, dst) = (Ipv4Addr::from(p.src).to_string(), Ipv4Addr::from(p.dst).to_string());
                let service = format!("{}/{}", if p.tcp { "tcp" } else { "udp" }, p.port);
                let packet = pkt(&src, &dst, &service, IFS[p.inif], IFS[p.outif]);
                let (got, origin) = decide(&fw, &packet);
                prop_assert_eq!(
                    got == Action::Allow,
                    want,
                    "{} → {} {} ({} → {}): imported {:?} by {:?}\n{}",
                    src, dst, service, IFS[p.inif], IFS[p.outif], got, origin, text
                );
            }
        }
    }

    // The same random chains as a nat table: PREROUTING with two user chains, each DROP a
    // DNAT to an address of its own, each ACCEPT a packet left untranslated. The imported
    // destination NAT entries, first match, must send every sample packet where netfilter
    // does.

    /// The address the DNAT of rule `k` of `chain` sends packets to.
    fn dnat_target(chain: usize, k: usize) -> String {
        format!("10.9.{chain}.{}", k + 1)
    }

    fn render_nat(t: &Table) -> String {
        // PREROUTING cannot test the out interface: those matches are left out here and in
        // the interpreter alike.
        let text = render(t)
            .replace("*filter\n", "*nat\n")
            .replace(":FORWARD DROP [0:0]", ":PREROUTING ACCEPT [0:0]")
            .replace(":FORWARD ACCEPT [0:0]", ":PREROUTING ACCEPT [0:0]")
            .replace("-A FORWARD", "-A PREROUTING")
            .replace(" -j FORWARD", " -j PREROUTING");
        let mut out = String::new();
        let mut counts = [0usize; 3];
        for line in text.lines() {
            let chain = NAMES
                .iter()
                .position(|n| line.starts_with(&format!("-A {n} ")))
                .or_else(|| line.starts_with("-A PREROUTING ").then_some(0));
            let line = match chain {
                Some(c) => {
                    let k = counts[c];
                    counts[c] += 1;
                    line.replace(
                        " -j DROP",
                        &format!(" -j DNAT --to-destination {}", dnat_target(c, k)),
                    )
                }
                None => line.to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out + "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n"
    }

    /// netfilter: `Some(Some(addr))` for a DNAT, `Some(None)` when an ACCEPT leaves the packet
    /// untranslated, `None` when the chain falls through or returns.
    fn run_nat(t: &Table, chain: usize, p: &P) -> Option<Option<String>> {
        traverse(t, chain, p, &|accept, c, k| {
            (!accept).then(|| dnat_target(c, k))
        })
    }

    /// Where the first matching destination NAT entry sends the packet, if one matches.
    fn translate(fw: &Firewall, p: &P) -> Option<String> {
        use sansou::model::Translation;
        let sel = |s: &[sansou::model::At<Selector>], a: u32| {
            s.iter().any(|s| match &s.value {
                Selector::Any => true,
                Selector::Addr(r) => r.contains_addr(a),
                _ => false,
            })
        };
        fw.nat.iter().find_map(|n| match &n.translation {
            Translation::Destination {
                interface,
                from,
                destination,
                service,
                translated,
                ..
            } => {
                let svc = match service.value {
                    Service::Any => true,
                    Service::Proto { proto, ports } => {
                        proto == if p.tcp { 6 } else { 17 }
                            && (ports.first..=ports.last).contains(&p.port)
                    }
                };
                let hit = interface.as_ref().is_none_or(|i| i.value == IFS[p.inif])
                    && sel(from, p.src)
                    && destination.value.contains(&Ipv4Addr::from(p.dst))
                    && svc;
                hit.then(|| translated.value.addr().to_string())
            }
            _ => None,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn flattened_nat_chains_translate_like_netfilter(mut t in table()) {
            for chain in &mut t.chains {
                for r in chain {
                    r.outif = None;
                }
            }
            let text = render_nat(&t);
            let fw = import_three(&text)?;
            for p in packets() {
                let want = run_nat(&t, 0, &p).flatten();
                let got = translate(&fw, &p);
                prop_assert_eq!(
                    &got,
                    &want,
                    "{} → {} {}/{} in {}: \n{}",
                    Ipv4Addr::from(p.src), Ipv4Addr::from(p.dst), if p.tcp { "tcp" } else { "udp" }, p.port, IFS[p.inif], text
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property: imported FortiGate policies decide like the policy table
// ---------------------------------------------------------------------------------------------

mod fortigate_policies {
    //! Random FortiGate configurations (addresses, groups with exclusions, custom services and
    //! groups, zones, negation, disabled policies) are rendered as a backup and imported; an
    //! interpreter of the same objects, written from the FortiOS semantics (policies in order,
    //! first match, implicit deny), must decide every sample packet as the imported list does.

    use super::*;
    use proptest::prelude::*;

    const PORTS_IF: [&str; 3] = ["port1", "port2", "port3"];
    /// `any`, a single interface, or the zone `inside` (port1 and port2).
    const INTFS: [&str; 5] = ["any", "port1", "port2", "port3", "inside"];
    const NETS: [(&str, u32, u32); 4] = [
        ("10.0.0.0 255.255.255.0", 0x0a00_0000, 0x0a00_00ff),
        ("10.0.0.0/25", 0x0a00_0000, 0x0a00_007f),
        ("10.0.1.0 255.255.255.0", 0x0a00_0100, 0x0a00_01ff),
        ("0.0.0.0 0.0.0.0", 0, u32::MAX),
    ];
    const ADDRS: [&str; 5] = [
        "10.0.0.1",
        "10.0.0.200",
        "10.0.1.5",
        "10.0.0.127",
        "192.0.2.1",
    ];
    const PORTS: [u16; 5] = [22, 80, 443, 445, 8080];

    #[derive(Clone, Debug)]
    struct Group {
        members: Vec<usize>,
        exclude: Option<usize>,
    }

    #[derive(Clone, Debug)]
    struct Policy {
        enabled: bool,
        accept: bool,
        srcintf: usize,
        dstintf: usize,
        /// Address names: 0..4 addresses a0-a3, 4..6 groups g0-g1.
        src: Vec<usize>,
        dst: Vec<usize>,
        src_negate: bool,
        dst_negate: bool,
        /// Service names: 0..3 custom s0-s2, 3 the group sg, 4 HTTPS, 5 ALL.
        service: Vec<usize>,
        service_negate: bool,
    }

    #[derive(Clone, Debug)]
    struct Config {
        /// g0 may contain addresses; g1 addresses and g0.
        groups: [Group; 2],
        /// Custom services: (tcp?, lo, hi).
        services: [(bool, u16, u16); 3],
        /// Members of the service group `sg` (custom services).
        service_group: Vec<usize>,
        policies: Vec<Policy>,
    }

    fn group(max: usize) -> impl Strategy<Value = Group> {
        (
            proptest::collection::vec(0..max, 1..3),
            proptest::option::of(0..4usize),
        )
            .prop_map(|(members, exclude)| Group { members, exclude })
    }

    fn policy() -> impl Strategy<Value = Policy> {
        let names = |n: usize| proptest::collection::vec(0..n, 1..3);
        (
            proptest::bool::weighted(0.85),
            any::<bool>(),
            0..INTFS.len(),
            0..INTFS.len(),
            (names(6), names(6), any::<bool>(), any::<bool>()),
            (names(6), proptest::bool::weighted(0.2)),
        )
            .prop_map(
                |(enabled, accept, srcintf, dstintf, (src, dst, sn, dn), (service, neg))| Policy {
                    enabled,
                    accept,
                    srcintf,
                    dstintf,
                    src,
                    dst,
                    src_negate: sn,
                    dst_negate: dn,
                    service,
                    service_negate: neg,
                },
            )
    }

    fn config() -> impl Strategy<Value = Config> {
        let svc = (any::<bool>(), 0..PORTS.len(), 0..PORTS.len())
            .prop_map(|(tcp, a, b)| (tcp, PORTS[a.min(b)], PORTS[a.max(b)]));
        (
            group(4),
            group(5),
            [svc.clone(), svc.clone(), svc],
            proptest::collection::vec(0..3usize, 1..3),
            proptest::collection::vec(policy(), 0..7),
        )
            .prop_map(|(g0, g1, services, service_group, policies)| Config {
                groups: [g0, g1],
                services,
                service_group,
                policies,
            })
    }

    fn addr_name(i: usize) -> String {
        if i < 4 {
            format!("a{i}")
        } else {
            format!("g{}", i - 4)
        }
    }

    fn svc_name(i: usize) -> String {
        match i {
            0..=2 => format!("s{i}"),
            3 => "sg".into(),
            4 => "HTTPS".into(),
            _ => "ALL".into(),
        }
    }

    fn quoted(names: impl Iterator<Item = String>) -> String {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn render(c: &Config) -> String {
        let mut t = String::from("config system interface\n");
        for (i, p) in PORTS_IF.iter().enumerate() {
            t += &format!("    edit \"{p}\"\n        set ip 10.9.{i}.1 255.255.255.0\n    next\n");
        }
        t += "end\nconfig system zone\n    edit \"inside\"\n        set interface \"port1\" \"port2\"\n    next\nend\n";
        t += "config firewall address\n";
        for (i, (subnet, _, _)) in NETS.iter().enumerate() {
            t += &format!("    edit \"a{i}\"\n        set subnet {subnet}\n    next\n");
        }
        t += "end\nconfig firewall addrgrp\n";
        for (i, g) in c.groups.iter().enumerate() {
            t += &format!(
                "    edit \"g{i}\"\n        set member {}\n",
                quoted(g.members.iter().map(|m| addr_name(*m)))
            );
            if let Some(x) = g.exclude {
                t += &format!("        set exclude enable\n        set exclude-member \"a{x}\"\n");
            }
            t += "    next\n";
        }
        t += "end\nconfig firewall service custom\n";
        for (i, (tcp, lo, hi)) in c.services.iter().enumerate() {
            let key = if *tcp {
                "tcp-portrange"
            } else {
                "udp-portrange"
            };
            t += &format!("    edit \"s{i}\"\n        set {key} {lo}-{hi}\n    next\n");
        }
        t += &format!(
            "end\nconfig firewall service group\n    edit \"sg\"\n        set member {}\n    next\nend\n",
            quoted(c.service_group.iter().map(|s| svc_name(*s)))
        );
        t += "config firewall policy\n";
        for (i, p) in c.policies.iter().enumerate() {
            t += &format!("    edit {}\n", 100 - i);
            if !p.enabled {
                t += "        set status disable\n";
            }
            t += &format!(
                "        set srcintf \"{}\"\n        set dstintf \"{}\"\n",
                INTFS[p.srcintf], INTFS[p.dstintf]
            );
            t += &format!(
                "        set action {}\n",
                if p.accept { "accept" } else { "deny" }
            );
            t += &format!(
                "        set srcaddr {}\n",
                quoted(p.src.iter().map(|a| addr_name(*a)))
            );
            t += &format!(
                "        set dstaddr {}\n",
                quoted(p.dst.iter().map(|a| addr_name(*a)))
            );
            for (flag, key) in [
                (p.src_negate, "srcaddr-negate"),
                (p.dst_negate, "dstaddr-negate"),
                (p.service_negate, "service-negate"),
            ] {
                if flag {
                    t += &format!("        set {key} enable\n");
                }
            }
            t += &format!(
                "        set schedule \"always\"\n        set service {}\n    next\n",
                quoted(p.service.iter().map(|s| svc_name(*s)))
            );
        }
        t += "end\n";
        t
    }

    fn in_addr(c: &Config, name: usize, a: u32) -> bool {
        if name < 4 {
            let (_, lo, hi) = NETS[name];
            return (lo..=hi).contains(&a);
        }
        let g = &c.groups[name - 4];
        g.members.iter().any(|m| in_addr(c, *m, a)) && !g.exclude.is_some_and(|x| in_addr(c, x, a))
    }

    fn in_service(c: &Config, name: usize, tcp: bool, port: u16) -> bool {
        match name {
            0..=2 => {
                let (t, lo, hi) = c.services[name];
                t == tcp && (lo..=hi).contains(&port)
            }
            3 => c.service_group.iter().any(|s| in_service(c, *s, tcp, port)),
            4 => tcp && port == 443,
            _ => true,
        }
    }

    fn in_intf(i: usize, port: usize) -> bool {
        match INTFS[i] {
            "any" => true,
            "inside" => port < 2,
            name => PORTS_IF[port] == name,
        }
    }

    /// FortiOS: the first enabled policy that matches decides; otherwise the implicit deny.
    fn decide_fortios(
        c: &Config,
        src: u32,
        dst: u32,
        tcp: bool,
        port: u16,
        i: usize,
        o: usize,
    ) -> bool {
        for p in c.policies.iter().filter(|p| p.enabled) {
            let s = p.src.iter().any(|n| in_addr(c, *n, src)) != p.src_negate;
            let d = p.dst.iter().any(|n| in_addr(c, *n, dst)) != p.dst_negate;
            let v = p.service.iter().any(|n| in_service(c, *n, tcp, port)) != p.service_negate;
            if s && d && v && in_intf(p.srcintf, i) && in_intf(p.dstintf, o) {
                return p.accept;
            }
        }
        false
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn imported_policies_decide_like_fortios(c in config()) {
            let text = render(&c);
            let map = Mapping::parse(
                "m.toml",
                "format = 1\ndevice = \"fw\"\n[interfaces]\nport1 = \"segment:a\"\nport2 = \"segment:b\"\nport3 = \"segment:c\"\n",
            )
            .unwrap();
            let fw = sansou::import::fortigate::import("f.conf", &text, &map)
                .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?
                .firewall;
            for (k, src) in ADDRS.iter().enumerate() {
                for (j, dst) in ADDRS.iter().enumerate() {
                    let port = PORTS[(k + j) % PORTS.len()];
                    let tcp = (k + j) % 3 != 0;
                    let (i, o) = ((k + 2 * j) % 3, (2 * k + j + 1) % 3);
                    let want = decide_fortios(&c, addr(src), addr(dst), tcp, port, i, o);
                    let service = format!("{}/{port}", if tcp { "tcp" } else { "udp" });
                    let (got, origin) = decide(&fw, &pkt(src, dst, &service, PORTS_IF[i], PORTS_IF[o]));
                    prop_assert_eq!(
                        got == Action::Allow,
                        want,
                        "{} → {} {} ({} → {}): imported {:?} by {:?}\n{}",
                        src, dst, service, PORTS_IF[i], PORTS_IF[o], got, origin, text
                    );
                }
            }
        }
    }
}

#[test]
fn import_warnings_are_grouped_listed_in_full_or_given_as_json() {
    let out = temp_dir("warnings");
    let dir = out.to_str().unwrap();
    let (config, map) = (
        "tests/fixtures/import/cisco-ios/branch-zbf.conf",
        "tests/fixtures/import/cisco-ios/branch-zbf.map.toml",
    );
    let grouped = sansou(&["import", "cisco-ios", config, "--map", map, "--output", dir]);
    assert_eq!(grouped.status.code(), Some(0), "{}", stderr(&grouped));
    let text = stderr(&grouped);
    assert!(
        text.contains(&format!(
            "warning: `ip inspect` (CBAC) not modelled: 8 lines, first at {config}:"
        )),
        "{text}"
    );
    assert!(text.contains("`--warnings all` lists every one"), "{text}");
    let all = sansou(&[
        "import",
        "cisco-ios",
        config,
        "--map",
        map,
        "--output",
        dir,
        "--warnings",
        "all",
    ]);
    let every = stderr(&all);
    assert_eq!(
        every
            .matches("`ip inspect` (CBAC) not modelled: read only")
            .count(),
        8,
        "{every}"
    );
    let json = sansou(&[
        "import",
        "cisco-ios",
        config,
        "--map",
        map,
        "--output",
        dir,
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["import"]["device"], "nishi-rtr");
    assert_eq!(v["import"]["vendor"], "cisco-ios");
    assert_eq!(
        v["inputs"].as_array().unwrap().len(),
        2,
        "configuration and mapping"
    );
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .all(|w| w["line"].is_u64() && w["message"].is_string())
    );
    let inspect = v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == "`ip inspect` (CBAC) not modelled")
        .unwrap();
    assert_eq!(inspect["count"], 8);
    assert_eq!(inspect["lines"].as_array().unwrap().len(), 8);
    // `--ipset` reads an `ipset save` dump for iptables, and only for iptables.
    let rules = "tests/fixtures/import/iptables/docker-host.rules";
    let rules_map = "tests/fixtures/import/iptables/docker-host.map.toml";
    let ipset = "tests/fixtures/import/iptables/docker-host.ipset";
    let with = sansou(&[
        "import", "iptables", rules, "--map", rules_map, "--output", dir, "--ipset", ipset,
        "--format", "json",
    ]);
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    let v: serde_json::Value = serde_json::from_str(&stdout(&with)).unwrap();
    assert_eq!(
        v["inputs"].as_array().unwrap().len(),
        3,
        "with the ipset dump"
    );
    let written = std::fs::read_to_string(out.join("gw-docker.toml")).unwrap();
    assert!(
        written.contains("192.0.2.0/25"),
        "the partners set: {written}"
    );
    let wrong = sansou(&[
        "import",
        "cisco-ios",
        config,
        "--map",
        map,
        "--output",
        dir,
        "--ipset",
        ipset,
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    let bad_dump = out.join("bad.ipset");
    std::fs::write(&bad_dump, "create a hash:ip\nadd a 10.0.0.300\n").unwrap();
    let bad = sansou(&[
        "import",
        "iptables",
        rules,
        "--map",
        rules_map,
        "--output",
        dir,
        "--ipset",
        bad_dump.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("bad.ipset:2:1"), "{}", stderr(&bad));
}

#[test]
fn findings_and_witnesses_that_rest_on_an_approximation_say_so() {
    let dir = temp_dir("approx");
    std::fs::copy(root().join("e2e/topology/city.toml"), dir.join("city.toml")).unwrap();
    let out = dir.to_str().unwrap();
    let config = "tests/fixtures/import/fortigate/fqdn.conf";
    let o = sansou(&[
        "import",
        "fortigate",
        config,
        "--map",
        "tests/fixtures/import/fortigate/fqdn.map.toml",
        "--output",
        out,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rule(s) read approximately"),
        "{}",
        stderr(&o)
    );
    let updates = format!(
        "{config}:{}",
        policy_line(&read("fortigate/fqdn.conf"), "edit 13")
    );
    // The witness names the assumption next to the configuration line.
    let o = sansou(&[
        "paths",
        out,
        "--from",
        "host:inet-pc",
        "--to",
        "external:pref-cloud",
        "--service",
        "tcp/443",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains(&format!("(from {updates})"))
            && text.contains(&format!(
                "≈ assumes rule {updates} matches regardless of address `windowsupdate`"
            )),
        "{text}"
    );
    let o = sansou(&[
        "paths",
        out,
        "--from",
        "host:inet-pc",
        "--to",
        "external:pref-cloud",
        "--service",
        "tcp/443",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let decision = &doc["pairs"][0]["witness"]["hops"][0]["decisions"][0];
    assert!(
        decision["approximation"]
            .as_str()
            .unwrap()
            .contains("windowsupdate")
    );
    // The check counts the findings that rest on one, and marks them in JSON.
    let o = sansou(&["check", out]);
    let text = stdout(&o);
    assert!(
        text.contains("≈ 1 finding(s) rest on imported rules read approximately"),
        "{text}"
    );
    let o = sansou(&["check", out, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ir002 = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "IR-002")
        .unwrap();
    assert_eq!(ir002["approximated"], true);
    // The written file loads back with the approximation on the rule.
    let written = std::fs::read_to_string(dir.join("fgt-inet.toml")).unwrap();
    assert!(
        written.contains("approximation = \"assumes rule"),
        "{written}"
    );
}

// ---------------------------------------------------------------------------------------------
// The accuracy tables of docs/IMPORTERS.md, checked against the importers
// ---------------------------------------------------------------------------------------------

/// The accuracy column of the row of `### Accuracy: VENDOR` whose construct contains `key`.
fn documented_accuracy(vendor: &str, key: &str) -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/IMPORTERS.md"))
            .unwrap();
    let heading = format!("### Accuracy: {vendor}\n");
    let start = doc
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/IMPORTERS.md has no `{heading}`"));
    let section = &doc[start + heading.len()..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    let rows: Vec<Vec<&str>> = section
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let matching: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0].contains(key)).collect();
    assert_eq!(
        matching.len(),
        1,
        "{vendor}: one accuracy row should name `{key}`: {rows:?}"
    );
    matching[0][1].to_string()
}

#[test]
fn accuracy_tables_say_what_the_importers_do() {
    // (vendor, the row's construct, its accuracy, a configuration, the line of the deny that a
    // "blocks less" row leaves out).
    let cases: &[(&str, &str, &str, &str, usize)] = &[
        (
            "fortigate",
            "policies with address objects",
            "exact",
            "config firewall address\n    edit \"a\"\n        set subnet 10.0.0.0 255.0.0.0\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"a\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"HTTPS\"\n    next\nend\n",
            0,
        ),
        (
            "fortigate",
            "FQDN address object without",
            "allows more, blocks less",
            "config firewall address\n    edit \"f\"\n        set type fqdn\n        set fqdn \"x.example\"\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"f\"\n        set action deny\n        set service \"ALL\"\n    next\n    edit 2\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"f\"\n        set action accept\n        set service \"ALL\"\n    next\nend\n",
            8,
        ),
        (
            "fortigate",
            "`set schedule` on a deny",
            "blocks less",
            "config firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action deny\n        set schedule \"office-hours\"\n        set service \"ALL\"\n    next\n    edit 2\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"ALL\"\n    next\nend\n",
            2,
        ),
        (
            "fortigate",
            "a group that contains itself",
            "refused",
            "config firewall addrgrp\n    edit \"g\"\n        set member \"g\"\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n        set srcaddr \"g\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"ALL\"\n    next\nend\n",
            0,
        ),
        (
            "cisco-ios",
            "ACL entries with addresses",
            "exact",
            "interface Gi0/0\n ip access-group A in\ninterface Gi0/1\nip access-list extended A\n permit tcp 10.0.0.0 0.0.0.255 any eq 443\n deny ip any any\n",
            0,
        ),
        (
            "cisco-ios",
            "`permit` with a source port",
            "allows more",
            "interface Gi0/0\n ip access-group A in\ninterface Gi0/1\nip access-list extended A\n permit udp any eq 53 any\n",
            0,
        ),
        (
            "cisco-ios",
            "`deny` with a source port",
            "blocks less",
            "interface Gi0/0\n ip access-group A in\ninterface Gi0/1\nip access-list extended A\n deny tcp any eq 135 any\n permit ip any any\n",
            5,
        ),
        (
            "cisco-ios",
            "`deny` with `time-range`",
            "blocks less",
            "interface Gi0/0\n ip access-group A in\ninterface Gi0/1\nip access-list extended A\n deny ip any any time-range NIGHT\n permit ip any any\n",
            5,
        ),
        (
            "cisco-ios",
            "split `interface` blocks",
            "exact",
            "interface Gi0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Gi0/1\ninterface Gi0/0\n ip access-group A in\nip access-list extended A\n permit ip any any\n",
            0,
        ),
        (
            "cisco-ios",
            "an applied ACL entry IOS would refuse",
            "refused",
            "interface Gi0/0\n ip access-group A in\nip access-list extended A\n permit tcp any 10.0.0.300 0.0.0.255\n",
            0,
        ),
        (
            "yamaha-rtx",
            "`reject` with a host name not in",
            "blocks less",
            "ip lan1 secure filter in 1 2\nip filter 1 reject * x.example\nip filter 2 pass * *\n",
            2,
        ),
        (
            "yamaha-rtx",
            "`restrict`",
            "allows more",
            "ip lan1 secure filter in 1\nip filter 1 restrict * * tcp * www\n",
            0,
        ),
        (
            "yamaha-rtx",
            "a bound filter the router would refuse",
            "refused",
            "ip lan1 secure filter in 1\nip filter 1 allow * *\n",
            0,
        ),
        (
            "iptables",
            "`-m mark` on ACCEPT",
            "allows more",
            "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m mark --mark 0x1 -j ACCEPT\nCOMMIT\n",
            0,
        ),
        (
            "iptables",
            "`-m mark` on DROP",
            "blocks less",
            "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m mark --mark 0x1 -j DROP\n-A FORWARD -j ACCEPT\nCOMMIT\n",
            3,
        ),
        (
            "iptables",
            "raw-table drops",
            "exact",
            "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 172.17.0.2/32 ! -i eth1 -j DROP\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -j ACCEPT\nCOMMIT\n",
            0,
        ),
        (
            "iptables",
            "`--sport` on DROP",
            "blocks less",
            "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -p udp --sport 53 -j DROP\n-A FORWARD -j ACCEPT\nCOMMIT\n",
            3,
        ),
        (
            "asa",
            "`time-range` on a deny",
            "blocks less",
            "ASA Version 9.16\ninterface G0\n nameif inside\n security-level 100\ninterface G1\n nameif outside\naccess-list A extended deny ip any any time-range NIGHT\naccess-list A extended permit ip any any\naccess-group A in interface inside\n",
            7,
        ),
        (
            "asa",
            "`time-range` on a permit",
            "allows more",
            "ASA Version 9.16\ninterface G0\n nameif inside\n security-level 100\ninterface G1\n nameif outside\naccess-list A extended permit tcp any any eq 443 time-range DAY\naccess-group A in interface inside\n",
            0,
        ),
        (
            "asa",
            "interface and global ACLs",
            "exact",
            "ASA Version 9.16\ninterface G0\n nameif inside\n security-level 100\ninterface G1\n nameif outside\nobject network W\n host 10.0.0.5\naccess-list A extended permit tcp any object W eq https\naccess-group A in interface outside\n",
            0,
        ),
        (
            "asa",
            "an applied entry with a mask that is not a netmask",
            "refused",
            "ASA Version 9.16\ninterface G0\n nameif inside\naccess-list A extended permit ip any 10.0.0.0 0.0.0.255\naccess-group A in interface inside\n",
            0,
        ),
        (
            "paloalto",
            "security rules with zones",
            "exact",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>G</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>S</member></service><negate-destination>yes</negate-destination><action>deny</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>G</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>S</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            0,
        ),
        (
            "paloalto",
            "an application not in the table",
            "allows more",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>zoom</member></application><service><member>application-default</member></service><action>allow</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>ssl</member></application><service><member>application-default</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            0,
        ),
        (
            "paloalto",
            "a deny restricted to an application",
            "blocks less",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>ssh</member></application><service><member>any</member></service><action>deny</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            5,
        ),
        (
            "paloalto",
            "FQDN object without",
            "allows more, blocks less",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>F</member></destination><application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>F</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            5,
        ),
        (
            "paloalto",
            "dynamic address-group without",
            "allows more, blocks less",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>D</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>D</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            5,
        ),
        (
            "paloalto",
            "`source-user` on a deny",
            "blocks less",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><source-user><member>city\\ops</member></source-user><action>deny</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            5,
        ),
        (
            "paloalto",
            "`source-user` on an allow",
            "allows more",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><source-user><member>city\\ops</member></source-user><action>allow</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            0,
        ),
        (
            "paloalto",
            "destination NAT",
            "allows more",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>PUB</member></destination><application><member>any</member></application><service><member>S</member></service><action>allow</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>\n</rules></security><nat><rules><entry name=\"n\"><destination-translation><translated-address>SRV</translated-address></destination-translation><from><member>a</member></from><to><member>a</member></to><source><member>any</member></source><destination><member>PUB</member></destination></entry></rules></nat></rulebase></entry></vsys></entry></devices></config>\n",
            0,
        ),
        (
            "paloalto",
            "an address-group that contains itself",
            "refused",
            "<config><devices><entry name=\"d\"><network><interface><ethernet><entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry><entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry></ethernet></interface></network>\n<vsys><entry name=\"vsys1\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<address><entry name=\"N\"><ip-netmask>10.1.0.0/24</ip-netmask></entry><entry name=\"F\"><fqdn>x.example</fqdn></entry><entry name=\"PUB\"><ip-netmask>203.0.113.10</ip-netmask></entry><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><address-group><entry name=\"G\"><static><member>N</member></static></entry><entry name=\"D\"><dynamic><filter>'q'</filter></dynamic></entry><entry name=\"LOOP\"><static><member>LOOP</member></static></entry></address-group><service><entry name=\"S\"><protocol><tcp><port>443,8443</port></tcp></protocol></entry></service>\n<rulebase><security><rules>\n<entry name=\"r1\"><from><member>a</member></from><to><member>b</member></to><source><member>LOOP</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>\n<entry name=\"r2\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>\n</rules></security></rulebase></entry></vsys></entry></devices></config>\n",
            0,
        ),
        (
            "iptables",
            "jump cycles",
            "refused",
            "*filter\n:FORWARD DROP [0:0]\n:A - [0:0]\n-A FORWARD -j A\n-A A -j A\nCOMMIT\n",
            0,
        ),
    ];
    for (vendor, key, accuracy, config, deny_line) in cases {
        assert_eq!(
            documented_accuracy(vendor, key),
            *accuracy,
            "docs/IMPORTERS.md, {vendor}: `{key}`"
        );
        let v = Vendor::parse(vendor).unwrap();
        let names: &[&str] = match v {
            Vendor::FortiGate => &["port1", "port2"],
            Vendor::CiscoIos => &["Gi0/0", "Gi0/1"],
            Vendor::YamahaRtx => &["lan1", "lan2"],
            Vendor::Iptables => &["eth0", "eth1"],
            Vendor::CiscoAsa => &["inside", "outside"],
            Vendor::PaloAlto => &["ethernet1/1", "ethernet1/2"],
        };
        let map = Mapping::new(
            "fw",
            names
                .iter()
                .map(|n| (*n, sansou::model::Attachment::Segment(format!("s-{n}")))),
        );
        let what = format!("{vendor}: `{key}`");
        let result = (v.importer())("c.conf", config, &map);
        if *accuracy == "refused" {
            assert!(result.is_err(), "{what}: should be refused");
            continue;
        }
        let fw = result.unwrap_or_else(|e| panic!("{what}: {e}")).firewall;
        let rules: Vec<&Rule> = fw
            .rules
            .iter()
            .chain(fw.filters.iter().flat_map(|f| f.rules.iter()))
            .collect();
        let marked = |action: Action| {
            rules
                .iter()
                .any(|r| r.action == action && r.approximation.is_some())
        };
        if *accuracy == "exact" {
            assert!(!rules.is_empty(), "{what}: nothing imported");
            assert!(
                rules.iter().all(|r| r.approximation.is_none()),
                "{what}: {rules:?}"
            );
            if *vendor == "cisco-ios" && key.contains("split") {
                assert_eq!(fw.interfaces.len(), 2, "{what}");
                assert_eq!(fw.filters.len(), 1, "{what}");
            }
        }
        if accuracy.contains("allows more") {
            assert!(
                marked(Action::Allow),
                "{what}: an allow should be marked: {rules:?}"
            );
        }
        if accuracy.contains("blocks less") {
            let origin = format!("c.conf:{deny_line}");
            assert!(
                !rules
                    .iter()
                    .any(|r| r.action == Action::Deny && r.origin.as_deref() == Some(&origin)),
                "{what}: the deny at line {deny_line} should be left out: {rules:?}"
            );
            // Later allows are marked, unless the condition is a packet field.
            // (An application is like a packet field: the flow's other applications pass.)
            let packet_field = key.contains("source port")
                || key.contains("--sport")
                || key.contains("an application");
            let later_marked = rules.iter().any(|r| {
                r.action == Action::Allow
                    && r.approximation
                        .as_deref()
                        .is_some_and(|a| a.contains(&origin))
            });
            assert_eq!(
                later_marked, !packet_field,
                "{what}: later allows marked? {rules:?}"
            );
        }
    }
}
