//! NAT read by the importers (Cisco IOS `ip nat`; iptables `*nat`; Cisco ASA `nat`) into
//! `[[firewall.nat]]`: the imported entries are pinned as topology TOML with their warnings,
//! load back to the same entries together with a hand-written design, and focused cases check
//! the mapping of each vendor form onto the model's kinds.

use super::import_ios_rtx::render;
use sansou::import::{Imported, Mapping, Vendor, cisco_ios};
use sansou::load::load_topology;
use sansou::model::{Attachment, Nat, SourceAddress, Topology, Translation};
use sansou::report::topology::to_toml;
use std::path::{Path, PathBuf};

fn fixture(vendor: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(vendor)
        .join(name)
}

fn import(vendor: Vendor, dir: &str, config: &str, map: &str) -> Imported {
    let text = std::fs::read_to_string(fixture(dir, config)).unwrap();
    let map_text = std::fs::read_to_string(fixture(dir, map)).unwrap();
    let map = Mapping::parse(map, &map_text).unwrap();
    (vendor.importer())(config, &text, &map).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Writes the imported firewall next to the design and loads both: no error, and the firewall
/// read back writes the same text (the writer is a fixed point, so the NAT entries are the
/// imported ones).
fn loads_back(imported: &Imported, dir: &str, design: &str, what: &str) {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(what);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(fixture(dir, design), out.join("design.toml")).unwrap();
    let topo = Topology {
        firewalls: vec![imported.firewall.clone()],
        ..Topology::default()
    };
    std::fs::write(out.join("device.toml"), to_toml(&topo)).unwrap();
    let loaded = load_topology(&out).unwrap();
    assert!(
        !loaded.diagnostics.has_errors(),
        "{what}: {:?}",
        loaded.diagnostics
    );
    let again = Topology {
        firewalls: loaded.value.firewalls.clone(),
        ..Topology::default()
    };
    assert!(!again.firewalls[0].nat.is_empty());
    assert_eq!(
        to_toml(&again),
        to_toml(&topo),
        "{what}: the firewall does not read back"
    );
}

fn ios_edge() -> Imported {
    import(
        Vendor::CiscoIos,
        "cisco-ios",
        "edge-nat.conf",
        "edge-nat.map.toml",
    )
}

/// A destination NAT as `IN DESTINATION SERVICE → TRANSLATED[:PORT]`.
fn forward(n: &Nat) -> String {
    let Translation::Destination {
        interface,
        destination,
        service,
        translated,
        port,
        ..
    } = &n.translation
    else {
        panic!("not a destination NAT: {n:?}")
    };
    format!(
        "{} {} {} → {}{}",
        interface.as_ref().map_or("any", |i| i.value.as_str()),
        destination.value,
        service.value,
        translated.value,
        port.as_ref()
            .map(|p| format!(":{}", p.value))
            .unwrap_or_default()
    )
}

#[test]
fn ios_nat_is_imported_and_loads_back() {
    let imported = ios_edge();
    insta::assert_snapshot!(
        "ios-edge-nat",
        render(&imported, Vendor::CiscoIos, "edge-nat.conf")
    );
    loads_back(
        &imported,
        "cisco-ios",
        "edge-nat.design.toml",
        "ios-edge-nat",
    );
}

#[test]
fn ios_nat_statements_map_onto_the_model_kinds() {
    let imported = ios_edge();
    let nat = &imported.firewall.nat;
    let kinds: Vec<&str> = nat.iter().map(|n| n.kind()).collect();
    // Statics first (IOS prefers them), then port forwards, then the lists' source NAT: one
    // outside interface, so one entry per statement (per permit entry for lists).
    assert_eq!(
        kinds,
        [
            "static",
            "static",
            "static",
            "destination",
            "destination",
            "source",
            "source"
        ]
    );
    assert_eq!(
        forward(&nat[3]),
        "GigabitEthernet0/0 203.0.113.2/32 tcp/8443 → 192.168.20.20/32:443"
    );
    // The same port both sides: no `translated_port`.
    let Translation::Destination { port, .. } = &nat[4].translation else {
        panic!("{:?}", nat[4]);
    };
    assert!(port.is_none());
    // The pool list, and the list masqueraded behind the outside interface.
    let Translation::Source {
        from, to_source, ..
    } = &nat[5].translation
    else {
        panic!("{:?}", nat[5]);
    };
    // The standard list's `deny` entry is taken out of its `permit`: read exactly.
    assert_eq!(from.len(), 1);
    assert_eq!(from[0].value.to_string(), "192.168.10.0/25");
    assert!(
        matches!(to_source, SourceAddress::Pool(p) if p[0].value.to_string() == "203.0.113.3-203.0.113.5")
    );
    let Translation::Source { to_source, .. } = &nat[6].translation else {
        panic!("{:?}", nat[6]);
    };
    assert!(matches!(to_source, SourceAddress::Masquerade(_)));
    for n in nat {
        assert!(n.origin.as_deref().unwrap().starts_with("edge-nat.conf:"));
    }
    // What is not mapped says so, on its line.
    let warned = |needle: &str| imported.warnings.iter().any(|w| w.message.contains(needle));
    assert!(warned("`ip nat outside source` not mapped"));
    assert!(!warned("exempts packets"));
    assert!(warned("option `route-map` not modelled"));
    assert!(warned("`ip nat enable`"));
    assert!(!warned("NAT (`ip nat`)"), "{:?}", imported.warnings);
}

/// A mapping of `device`: `outside` on the external `internet`, the others on segments.
fn edge_map(device: &str, outside: &str, segments: &[(&str, &str)]) -> Mapping {
    let external = (outside, Attachment::External("internet".into()));
    let inner = segments
        .iter()
        .map(|(n, s)| (*n, Attachment::Segment(s.to_string())));
    Mapping::new(device, std::iter::once(external).chain(inner))
}

fn ios_text(lines: &[&str]) -> Imported {
    let map = edge_map("r1", "Gi0/0", &[("Gi0/1", "lan")]);
    cisco_ios::import("r1.conf", &(lines.join("\n") + "\n"), &map).unwrap()
}

/// Whether a warning at `line` contains `needle`.
fn warned(imported: &Imported, line: usize, needle: &str) -> bool {
    imported
        .warnings
        .iter()
        .any(|w| w.line == line && w.message.contains(needle))
}

/// A router with `Gi0/0` outside (`outside_address`, `ip nat outside`) and `Gi0/1` at 10.0.0.1
/// (`ip nat inside` when `inside`), then `lines` from line 8 on (7 when not `inside`).
fn ios_router(outside_address: &str, inside: bool, lines: &[&str]) -> Imported {
    let address = format!(" ip address {outside_address}");
    let mut all = vec![
        "hostname r1",
        "interface Gi0/0",
        &address,
        " ip nat outside",
        "interface Gi0/1",
        " ip address 10.0.0.1 255.255.255.0",
    ];
    if inside {
        all.push(" ip nat inside");
    }
    all.extend_from_slice(lines);
    ios_text(&all)
}

#[test]
fn ios_nat_without_an_inside_interface_translates_nothing() {
    let imported = ios_router(
        "198.51.100.2 255.255.255.0",
        false,
        &["ip nat inside source static 10.0.0.5 198.51.100.5"],
    );
    assert!(imported.firewall.nat.is_empty());
    assert!(warned(&imported, 7, "no interface is `ip nat inside`"));
}

#[test]
fn ios_port_forward_to_a_dhcp_address_forwards_every_address_and_says_so() {
    let imported = ios_router(
        "dhcp",
        true,
        &[
            "access-list 1 permit 10.0.0.0 0.0.0.255",
            "ip nat inside source list 1 interface Gi0/0 overload",
            "ip nat inside source static tcp 10.0.0.5 3389 interface Gi0/0 3389",
        ],
    );
    // The masquerade needs the interface's address, which DHCP gives at run time: left out,
    // so the inside is not hidden from the outside (more reachability, never less).
    assert_eq!(
        imported.firewall.nat.len(),
        1,
        "{:?}",
        imported.firewall.nat
    );
    let Translation::Destination { destination, .. } = &imported.firewall.nat[0].translation else {
        panic!()
    };
    assert_eq!(destination.value.to_string(), "0.0.0.0/0");
    assert!(warned(&imported, 10, "over-approximation"));
    assert!(warned(&imported, 9, "not known"));
}

#[test]
fn ios_extended_nat_lists_take_their_deny_entries_out_of_the_permits() {
    let imported = ios_router(
        "198.51.100.2 255.255.255.0",
        true,
        &[
            "ip access-list extended NAT",
            " deny ip 10.0.0.0 0.0.0.255 192.168.0.0 0.0.255.255",
            " permit tcp 10.0.0.0 0.0.0.255 any eq 443",
            " permit udp 10.0.0.0 0.0.0.255 any",
            "ip nat inside source list NAT interface Gi0/0 overload",
        ],
    );
    let nat = &imported.firewall.nat;
    assert_eq!(nat.len(), 2, "{nat:?}");
    let entries: Vec<String> = nat
        .iter()
        .map(|n| match &n.translation {
            Translation::Source {
                from, to, service, ..
            } => {
                let list = |s: &[sansou::model::At<sansou::model::Selector>]| {
                    s.iter()
                        .map(|s| s.value.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                format!("{} → {} {}", list(from), list(to), service.value)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    // The `deny` (no translation towards 192.168.0.0/16) is taken out of both permits.
    let others = "0.0.0.0-192.167.255.255,192.169.0.0-255.255.255.255";
    assert_eq!(
        entries,
        [
            format!("10.0.0.0/24 → {others} tcp/443"),
            format!("10.0.0.0/24 → {others} udp"),
        ]
    );
    assert!(
        imported.warnings.iter().all(|w| w.line != 12),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn iptables_nat_chains_are_first_match_with_returns_and_exemptions() {
    let imported = import(
        Vendor::Iptables,
        "iptables",
        "nat-edge.rules",
        "nat-edge.map.toml",
    );
    let nat = &imported.firewall.nat;
    let ids: Vec<Option<&str>> = nat
        .iter()
        .map(|n| n.id.as_ref().map(|i| i.value.as_str()))
        .collect();
    // The jump to PORTFW comes first in PREROUTING, so its DNATs come first; the comment is
    // the id; POSTROUTING's SNATs follow (the MASQUERADE needs an address the file lacks).
    assert_eq!(ids, [Some("web-https"), Some("dns"), None, None, None]);
    let text = std::fs::read_to_string(fixture("iptables", "nat-edge.rules")).unwrap();
    for n in nat {
        let line: usize = n
            .origin
            .as_deref()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let rule = text.lines().nth(line - 1).unwrap();
        assert!(
            rule.contains("-j DNAT") || rule.contains("-j SNAT"),
            "{rule}"
        );
    }
    // PORTFW's conditional RETURN takes 198.51.100.0/24 out of its DNATs, exactly.
    let Translation::Destination { from, .. } = &nat[0].translation else {
        panic!("{:?}", nat[0])
    };
    let from: Vec<String> = from.iter().map(|s| s.value.to_string()).collect();
    assert_eq!(
        from,
        ["0.0.0.0-198.51.99.255", "198.51.101.0-255.255.255.255"]
    );
    // POSTROUTING's ACCEPT (office → DMZ untranslated) comes out of the office's SNAT.
    let Translation::Source { to, to_source, .. } = &nat[3].translation else {
        panic!("{:?}", nat[3])
    };
    let to: Vec<String> = to.iter().map(|s| s.value.to_string()).collect();
    assert_eq!(to, ["0.0.0.0-10.3.8.255", "10.3.10.0-255.255.255.255"]);
    assert!(matches!(to_source, SourceAddress::Address(a) if a.value.to_string() == "203.0.113.2"));
    assert!(warned(&imported, 10, "REDIRECT"));
    assert!(warned(&imported, 15, "MASQUERADE on eth0"));
    assert!(warned(&imported, 19, "NETMAP"));
}

fn asa_text(lines: &[&str]) -> Imported {
    let map = edge_map("asa", "outside", &[("inside", "lan"), ("dmz", "dmz")]);
    let head = [
        "ASA Version 9.16(4)",
        "interface GigabitEthernet0/0",
        " nameif outside",
        " security-level 0",
        " ip address 203.0.113.2 255.255.255.240",
        "interface GigabitEthernet0/1",
        " nameif inside",
        " security-level 100",
        " ip address 10.1.0.1 255.255.255.0",
        "interface GigabitEthernet0/2",
        " nameif dmz",
        " security-level 50",
        " ip address 10.9.0.1 255.255.255.0",
    ];
    let text: Vec<&str> = head.iter().chain(lines).copied().collect();
    (Vendor::CiscoAsa.importer())("asa.conf", &(text.join("\n") + "\n"), &map)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn asa_object_and_twice_nat_map_onto_the_model_in_section_order() {
    // Lines 14 on.
    let imported = asa_text(&[
        "object network WEB",                                               // 14
        " host 10.9.0.10",                                                  // 15
        " nat (dmz,outside) static 203.0.113.10 service tcp https 8443",    // 16
        "object network LAN",                                               // 17
        " subnet 10.1.0.0 255.255.255.0",                                   // 18
        " nat (inside,outside) dynamic interface",                          // 19
        "object network POOL",                                              // 20
        " range 203.0.113.5 203.0.113.9",                                   // 21
        "object network PARTNER",                                           // 22
        " subnet 198.51.100.0 255.255.255.0",                               // 23
        "object network PARTNER-MAPPED",                                    // 24
        " subnet 10.200.0.0 255.255.255.0",                                 // 25
        "nat (inside,outside) after-auto source dynamic any pat-pool POOL", // 26
        "nat (inside,outside) source dynamic LAN interface destination static PARTNER PARTNER", // 27
        "nat (inside,outside) source dynamic LAN interface destination static PARTNER-MAPPED PARTNER", // 28
        "nat (inside,any) source static LAN LAN", // 29
    ]);
    let nat = &imported.firewall.nat;
    let lines: Vec<&str> = nat
        .iter()
        .map(|n| n.origin.as_deref().unwrap().trim_start_matches("asa.conf:"))
        .collect();
    // Twice NAT first, then object NAT (statics, then dynamics), then after-auto.
    assert_eq!(lines, ["27", "16", "19", "26"], "{nat:#?}");
    let Translation::Source { to, .. } = &nat[0].translation else {
        panic!()
    };
    assert_eq!(to[0].value.to_string(), "198.51.100.0/24");
    assert_eq!(
        forward(&nat[1]),
        "outside 203.0.113.10/32 tcp/8443 → 10.9.0.10/32:443"
    );
    assert!(matches!(
        &nat[2].translation,
        Translation::Source {
            to_source: SourceAddress::Masquerade(_),
            ..
        }
    ));
    assert!(matches!(
        &nat[3].translation,
        Translation::Source { to_source: SourceAddress::Pool(p), .. } if p[0].value.to_string() == "203.0.113.5-203.0.113.9"
    ));
    assert!(warned(
        &imported,
        28,
        "`destination` translation is not modelled"
    ));
    assert!(warned(&imported, 29, "`any` as the mapped interface"));
}

#[test]
fn asa_and_iptables_nat_load_back_with_their_designs() {
    let asa = import(Vendor::CiscoAsa, "asa", "honcho-asa.conf", "map.toml");
    assert_eq!(asa.firewall.nat.len(), 3);
    loads_back(&asa, "asa", "design.toml", "asa-honcho-nat");
    let ipt = import(
        Vendor::Iptables,
        "iptables",
        "nat-edge.rules",
        "nat-edge.map.toml",
    );
    loads_back(&ipt, "e2e", "topology/city.toml", "iptables-nat-edge");
}

fn fortigate_edge() -> Imported {
    import(
        Vendor::FortiGate,
        "fortigate-nat",
        "vip-nat.conf",
        "vip-nat.map.toml",
    )
}

#[test]
fn fortigate_vips_pools_and_policy_nat_are_imported_and_load_back() {
    let imported = fortigate_edge();
    insta::assert_snapshot!(
        "fortigate-vip-nat",
        render(&imported, Vendor::FortiGate, "vip-nat.conf")
    );
    loads_back(
        &imported,
        "fortigate-nat",
        "vip-nat.design.toml",
        "fortigate-vip-nat",
    );
    let nat = &imported.firewall.nat;
    // The VIP with port forwarding: its extip and extport on wan1 → mappedip:mappedport.
    assert_eq!(
        forward(&nat[0]),
        "wan1 203.0.113.10/32 tcp/8443 → 10.3.9.20/32:443"
    );
    assert_eq!(nat[0].key(0), "web-https");
    // Policy 4 lets the internet in to the office's real addresses, which the masquerade of
    // policy 2 translates: FortiOS forwards such packets, so the masquerade splits in two, the
    // office's addresses not hidden; said at policy 4's line. Policy 1 names VIPs only.
    assert!(warned(&imported, 83, "source NAT at line 68 translates"));
    assert!(!warned(&imported, 49, "source NAT at line"));
    // Without `mappedport` the port stays.
    assert_eq!(
        forward(&nat[1]),
        "wan1 203.0.113.11/32 tcp/25 → 10.3.9.25/32"
    );
    // `set nat enable` without a pool: the out interface's address; with one: the pool.
    let sources: Vec<_> = nat[2..]
        .iter()
        .map(|n| match &n.translation {
            Translation::Source {
                interface,
                to_source,
                ..
            } => format!(
                "{} {}",
                interface.value,
                match to_source {
                    SourceAddress::Masquerade(_) => "masquerade".to_string(),
                    SourceAddress::Pool(p) => format!(
                        "{:?}",
                        p.iter().map(|r| r.value.to_string()).collect::<Vec<_>>()
                    ),
                    SourceAddress::Address(a) => a.value.to_string(),
                }
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    // The pool's entry splits: the office's addresses (let in by policy 4) are not hidden,
    // the rest still are; the masquerade's sources are the office alone, none hidden.
    assert_eq!(
        sources,
        [
            "wan1 masquerade",
            "wan1 [\"203.0.113.64/29\"]",
            "wan1 [\"203.0.113.64/29\"]"
        ]
    );
    let hides: Vec<bool> = nat[2..].iter().map(|n| n.hides).collect();
    assert_eq!(hides, [false, true, false]);
}

fn fortigate_text(vip: &[&str]) -> Imported {
    let text = format!(
        "config system interface\n    edit \"wan1\"\n        set ip 203.0.113.2 255.255.255.0\n    next\n    edit \"dmz\"\n        set ip 10.3.9.1 255.255.255.0\n    next\nend\nconfig firewall vip\n    edit \"v\"\n{}\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcintf \"dmz\"\n        set dstintf \"wan1\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n        set service \"ALL\"\n        set nat enable\n    next\nend\n",
        vip.iter()
            .map(|l| format!("        {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let map = edge_map("fgt", "wan1", &[("dmz", "dmz")]);
    (Vendor::FortiGate.importer())("fgt.conf", &text, &map).unwrap()
}

#[test]
fn fortigate_vips_it_cannot_translate_are_warned_and_hide_no_server() {
    // Exact: a whole prefix onto a prefix of the same length, any port.
    let ok = fortigate_text(&[
        "set extip 203.0.113.16-203.0.113.23",
        "set mappedip \"10.3.9.16-10.3.9.23\"",
        "set extintf \"wan1\"",
    ]);
    assert_eq!(
        forward(&ok.firewall.nat[0]),
        "wan1 203.0.113.16/29 any → 10.3.9.16/29"
    );
    assert_eq!(ok.firewall.nat.len(), 2, "{:?}", ok.firewall.nat);
    // Outbound translation by the VIP: translated the policy's way, and said so.
    let outbound = fortigate_text(&[
        "set extip 203.0.113.10",
        "set mappedip \"10.3.9.20\"",
        "set nat-source-vip enable",
    ]);
    assert_eq!(outbound.firewall.nat.len(), 2);
    assert!(warned(&outbound, 13, "nat-source-vip"));
    // A load balancer, and a range that is no prefix: not translated, and then no source NAT
    // either (it would hide the server the VIP publishes).
    for vip in [
        &["set type server-load-balance", "set extip 203.0.113.10"][..],
        &[
            "set extip 203.0.113.10-203.0.113.12",
            "set mappedip \"10.3.9.10-10.3.9.12\"",
        ][..],
        &[
            "set extip 203.0.113.10",
            "set mappedip \"10.3.9.20\"",
            "set portforward enable",
            "set extport 8000-8010",
            "set mappedport 9000-9010",
        ][..],
    ] {
        let imported = fortigate_text(vip);
        assert!(
            imported.firewall.nat.is_empty(),
            "{vip:?}: {:?}",
            imported.firewall.nat
        );
        assert!(warned(&imported, 10, "not translated"), "{vip:?}");
    }
}

/// Imports `NAME.conf` of `dir` with `NAME.map.toml` next to `NAME.design.toml` (as
/// `vendor`) and returns a runner of `sansou paths DIR ARGS…` on the result.
fn imported_design(vendor: &str, dir: &str, name: &str) -> impl Fn(&[&str]) -> String {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{dir}-{name}-e2e"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(
        fixture(dir, &format!("{name}.design.toml")),
        out.join("design.toml"),
    )
    .unwrap();
    let cwd = fixture(dir, "");
    let run = move |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sansou"))
            .args(args)
            .current_dir(&cwd)
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let target = out.to_str().unwrap().to_string();
    let (config, map) = (format!("{name}.conf"), format!("{name}.map.toml"));
    let o = run(&[
        "import", vendor, &config, "--map", &map, "--output", &target,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    move |args: &[&str]| {
        let all: Vec<&str> = ["paths", target.as_str()]
            .into_iter()
            .chain(args.iter().copied())
            .collect();
        String::from_utf8(run(&all).stdout).unwrap()
    }
}

#[test]
fn fortigate_vip_publishes_its_public_address_and_port_end_to_end() {
    let paths = imported_design("fortigate", "fortigate-nat", "vip-nat");
    let from_internet = |to: &str| paths(&["--from", "external:internet", "--to", to]);
    let text = from_internet("host:web");
    assert!(text.contains("→ 203.0.113.10 tcp/8443"), "{text}");
    assert!(
        text.contains("destination 203.0.113.10:8443 → 10.3.9.20:443 at fgt-inet (NAT web-https, vip-nat.conf:31)"),
        "{text}"
    );
    // Policy 1 names the VIP: the web server's real address stays hidden behind the
    // masquerade, as FortiOS matches such a policy only for translated packets.
    assert!(text.contains("1 reachable pair(s)"), "{text}");
    assert!(text.contains("services: tcp/443\n"), "{text}");
    // The office is masqueraded behind wan1, but policy 4 lets packets in to its real
    // addresses, and FortiOS forwards them (from a neighbour on that link): a path.
    let text = from_internet("host:pc");
    assert!(text.contains("1 reachable pair(s)"), "{text}");
    assert!(text.contains("→ 10.1.0.10"), "{text}");
}

#[test]
fn rtx_masquerade_and_port_forward_are_imported_and_load_back() {
    let imported = import(
        Vendor::YamahaRtx,
        "yamaha-rtx",
        "office-nat.conf",
        "office-nat.map.toml",
    );
    insta::assert_snapshot!(
        "rtx-office-nat",
        render(&imported, Vendor::YamahaRtx, "office-nat.conf")
    );
    loads_back(
        &imported,
        "yamaha-rtx",
        "office-nat.design.toml",
        "rtx-office-nat",
    );
    let nat = &imported.firewall.nat;
    // The port forward first (destination NAT), then the masquerade of the inner range.
    assert_eq!(
        forward(&nat[0]),
        "lan2 203.0.113.2/32 tcp/8443 → 192.168.100.20/32:443"
    );
    assert!(matches!(
        &nat[1].translation,
        Translation::Source { to_source: SourceAddress::Masquerade(_), from, .. } if from.len() == 1
    ));
}

fn rtx_text(lines: &[&str]) -> Imported {
    let mut all = vec![
        "ip lan1 address 192.168.100.1/24",
        "ip lan2 address 203.0.113.2/29",
        "ip lan2 nat descriptor 1",
    ];
    all.extend(lines);
    let map = edge_map("rtx", "lan2", &[("lan1", "office")]);
    (Vendor::YamahaRtx.importer())("rtx.conf", &(all.join("\n") + "\n"), &map).unwrap()
}

#[test]
fn rtx_descriptor_kinds_map_onto_the_model() {
    // Static 1:1 entries (a block of 4 is a /30), before the dynamic pool of type `nat`.
    let nat = rtx_text(&[
        "nat descriptor type 1 nat",
        "nat descriptor address outer 1 203.0.113.3-203.0.113.6",
        "nat descriptor address inner 1 auto",
        "nat descriptor static 1 1 203.0.113.4=192.168.100.4 4",
    ])
    .firewall
    .nat;
    assert_eq!(nat.len(), 2, "{nat:?}");
    assert!(matches!(
        &nat[0].translation,
        Translation::Static { inside, outside, .. }
            if inside.value.to_string() == "192.168.100.4/30" && outside.value.to_string() == "203.0.113.4/30"
    ));
    assert!(matches!(
        &nat[1].translation,
        Translation::Source { to_source: SourceAddress::Pool(p), .. } if p.len() == 1
    ));
}

#[test]
fn rtx_masquerades_that_cannot_hide_are_left_out_and_warned() {
    // `incoming through` lets unsolicited packets in: nothing hidden.
    let through = rtx_text(&[
        "nat descriptor type 1 masquerade",
        "nat descriptor masquerade incoming 1 through",
    ]);
    assert!(through.firewall.nat.is_empty());
    assert!(warned(&through, 5, "not hidden"));
    // `incoming forward IP` is a destination NAT of everything else to IP.
    let forwarded = rtx_text(&[
        "nat descriptor type 1 masquerade",
        "nat descriptor masquerade incoming 1 forward 192.168.100.9",
    ]);
    assert_eq!(
        forward(&forwarded.firewall.nat[0]),
        "lan2 203.0.113.2/32 any → 192.168.100.9/32"
    );
    // A type not modelled, an undefined descriptor: translated nothing, said so.
    let odd = rtx_text(&["nat descriptor type 1 ipsec-passthrough"]);
    assert!(odd.firewall.nat.is_empty());
    assert!(warned(&odd, 3, "not modelled"));
    let undefined = rtx_text(&[]);
    assert!(undefined.firewall.nat.is_empty());
    assert!(warned(&undefined, 3, "not defined"));
}

#[test]
fn rtx_masquerade_hides_the_office_but_not_its_port_forward_end_to_end() {
    let paths = imported_design("yamaha-rtx", "yamaha-rtx", "office-nat");
    // RDP from the internet: no path to the masqueraded PC, none to the NAS either (only its
    // forwarded HTTPS port is published).
    for host in ["host:pc", "host:nas"] {
        let rdp = paths(&[
            "--from",
            "external:internet",
            "--to",
            host,
            "--service",
            "tcp/3389",
        ]);
        assert!(rdp.contains("0 reachable pair(s)"), "{rdp}");
    }
    let nas = paths(&["--from", "external:internet", "--to", "host:nas"]);
    assert!(
        nas.contains("destination 203.0.113.2:8443 → 192.168.100.20:443 at rtx-office (NAT nat-1, office-nat.conf:11)"),
        "{nas}"
    );
}

/// The central SNAT fixture, with `edit` replaced as given, imported.
fn central_snat(replace: &[(&str, &str)]) -> Imported {
    let dir = "fortigate-nat";
    let mut text = std::fs::read_to_string(fixture(dir, "central-snat.conf")).unwrap();
    for (from, to) in replace {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let map_text = std::fs::read_to_string(fixture(dir, "central-snat.map.toml")).unwrap();
    let map = Mapping::parse("central-snat.map.toml", &map_text).unwrap();
    (Vendor::FortiGate.importer())("central-snat.conf", &text, &map).unwrap()
}

/// A source NAT entry as `interface from → to service: translated`.
fn source(n: &Nat) -> String {
    let Translation::Source {
        interface,
        from,
        to,
        service,
        to_source,
    } = &n.translation
    else {
        panic!("not a source NAT: {n:?}")
    };
    let list = |l: &[sansou::model::At<sansou::model::Selector>]| {
        l.iter()
            .map(|s| s.value.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let translated = match to_source {
        SourceAddress::Address(a) => a.value.to_string(),
        SourceAddress::Pool(p) => p
            .iter()
            .map(|r| r.value.to_string())
            .collect::<Vec<_>>()
            .join(","),
        SourceAddress::Masquerade(_) => "masquerade".into(),
    };
    format!(
        "{} {} → {} {}: {translated} ({})",
        interface.value,
        list(from),
        list(to),
        service.value,
        n.origin.as_deref().unwrap_or("")
    )
}

#[test]
fn fortigate_central_snat_entries_are_imported_in_order() {
    let imported = import(
        Vendor::FortiGate,
        "fortigate-nat",
        "central-snat.conf",
        "central-snat.map.toml",
    );
    insta::assert_snapshot!(
        "fortigate-central-snat",
        render(&imported, Vendor::FortiGate, "central-snat.conf")
    );
    loads_back(
        &imported,
        "fortigate-nat",
        "vip-nat.design.toml",
        "fortigate-central-snat",
    );
    let nat: Vec<String> = imported.firewall.nat.iter().map(source).collect();
    // Entry 1 (its `srcintf` is every interface but the outgoing one): to the pool, for the
    // partner only; entry 2 masquerades the rest of the office; entry 3 is disabled.
    assert_eq!(
        nat,
        [
            "wan1 10.1.0.0/24 → 198.51.100.0/24 any: 203.0.113.64/29 (central-snat.conf:76)",
            "wan1 10.1.0.0/24 → any any: masquerade (central-snat.conf:84)",
        ]
    );
    // Entry 4 matches source ports, which flows lack: left out, and entry 5 after it too
    // (a session entry 4 takes must not fall through to it).
    assert!(warned(&imported, 97, "`orig-port 1024-65535`"));
    assert!(warned(
        &imported,
        105,
        "because the entry at line 97 is not"
    ));
    assert!(!imported.warnings.iter().any(|w| w.line == 90));
}

#[test]
fn fortigate_central_snat_that_the_model_cannot_say_is_left_out() {
    // An incoming-interface restriction leaving an interface out.
    let only_dmz = central_snat(&[("set srcintf \"internal\" \"dmz\"", "set srcintf \"dmz\"")]);
    assert!(only_dmz.firewall.nat.is_empty());
    assert!(warned(&only_dmz, 76, "not through internal"));
    // An exemption before a translating entry: that entry and the later ones are left out.
    let exempt = central_snat(&[(
        "        set nat-ippool \"office-pool\"\n",
        "        set nat disable\n",
    )]);
    assert!(exempt.firewall.nat.is_empty());
    assert!(warned(&exempt, 84, "`set nat disable`"));
    // Central NAT off: FortiOS ignores the table, and policies' `set nat enable` count.
    let off = central_snat(&[("set central-nat enable", "set central-nat disable")]);
    assert!(off.firewall.nat.is_empty());
    assert!(warned(&off, 76, "central NAT is off"));
    // Policy-based NGFW mode uses central NAT without saying `central-nat`.
    let ngfw = central_snat(&[("set central-nat enable", "set ngfw-mode policy-based")]);
    assert_eq!(ngfw.firewall.nat.len(), 2);
}
