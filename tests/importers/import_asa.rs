//! The Cisco ASA importer (`sansou import asa`): a realistic `show running-config`
//! (tests/fixtures/import/asa) pinned as topology TOML with its warnings, decisions of the
//! imported firewall against the ASA's semantics (interface ACLs, implicit deny, security
//! levels, same-security traffic, objects and object-groups, `inactive`, `time-range`), secrets,
//! errors, the end-to-end run (import → check → witnesses pointing at the configuration line),
//! and a property test comparing the imported list with an interpreter of the ASA semantics on
//! random configurations.

use sansou::import::{Imported, Mapping, Vendor, cisco_asa, common};
use sansou::model::service::has_ports;
use sansou::model::{Action, At, Attachment, Direction, Firewall, Rule, Selector, Service};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/asa")
        .join(name)
}

fn honcho() -> (Imported, String) {
    let text = std::fs::read_to_string(fixture("honcho-asa.conf")).unwrap();
    let map_text = std::fs::read_to_string(fixture("map.toml")).unwrap();
    let map = Mapping::parse("map.toml", &map_text).unwrap();
    (
        cisco_asa::import("honcho-asa.conf", &text, &map).unwrap(),
        text,
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

/// What the imported firewall does with one packet: the policy list (first match, then the
/// default), then the out filter of the interface it leaves. The deciding rule's origin.
pub fn decide(
    fw: &Firewall,
    src: &str,
    dst: &str,
    service: &str,
    inif: &str,
    outif: &str,
) -> (Action, Option<String>) {
    let ip = |s: &str| u32::from(s.parse::<Ipv4Addr>().unwrap());
    let (src, dst) = (ip(src), ip(dst));
    let Service::Proto { proto, ports } = Service::parse(service).unwrap() else {
        unreachable!()
    };
    let matches = |r: &Rule| {
        let sel = |list: &[At<Selector>], a: u32| {
            list.iter().any(|s| match &s.value {
                Selector::Any => true,
                Selector::Addr(r) => r.contains_addr(a),
                other => panic!("imported rules use addresses only, found {other}"),
            })
        };
        let svc = r.services.iter().any(|s| match s.value {
            Service::Any => true,
            Service::Proto { proto: q, ports: p } => {
                q == proto && (!has_ports(q) || (p.first..=p.last).contains(&ports.first))
            }
        });
        let intf =
            |list: &[At<String>], n: &str| list.is_empty() || list.iter().any(|i| i.value == n);
        sel(&r.from, src)
            && sel(&r.to, dst)
            && svc
            && intf(&r.in_interfaces, inif)
            && intf(&r.out_interfaces, outif)
    };
    let list = |rules: &[Rule], default: Action| {
        rules
            .iter()
            .find(|r| matches(r))
            .map_or((default, None), |r| (r.action, r.origin.clone()))
    };
    let decided = list(&fw.rules, fw.default);
    if decided.0 == Action::Deny {
        return decided;
    }
    if let Some(f) = fw
        .filters
        .iter()
        .find(|f| f.interface.value == outif && f.direction == Direction::Out)
    {
        let d = list(&f.rules, f.default);
        if d.0 == Action::Deny {
            return d;
        }
    }
    decided
}

#[test]
fn the_asa_is_imported_as_pinned() {
    let (imported, _) = honcho();
    let mut out = sansou::import::to_toml(&imported, Vendor::CiscoAsa, "honcho-asa.conf");
    out.push('\n');
    out.push_str(&common::warnings_text(
        "honcho-asa.conf",
        &imported.warnings,
        common::Shown::All,
    ));
    insta::assert_snapshot!("asa-honcho", out);
}

#[test]
fn interface_acls_security_levels_and_objects_decide_as_on_the_asa() {
    let (imported, text) = honcho();
    let fw = &imported.firewall;
    assert!(fw.stateful);
    assert_eq!(fw.default, Action::Deny);
    let at = |n: &str| Some(format!("honcho-asa.conf:{}", line_of(&text, n)));
    let web = "permit tcp any object-group DMZ-SERVERS object-group WEB-PORTS";
    let partner = "GigabitEthernet1/4";
    use Action::{Allow, Deny};
    let cases = [
        // outside (0) → dmz: OUTSIDE-IN, objects and port groups, `name` aliases.
        (
            ("198.51.100.7", "10.3.9.10", "tcp/443", "outside", "dmz"),
            (Allow, at(web)),
        ),
        (
            ("198.51.100.7", "10.3.9.130", "tcp/8080", "outside", "dmz"),
            (Allow, at(web)),
        ),
        (
            ("198.51.100.7", "10.3.9.25", "tcp/25", "outside", "dmz"),
            (Allow, at("host mail-relay eq smtp")),
        ),
        (
            ("198.51.100.7", "10.3.9.10", "tcp/22", "outside", "dmz"),
            (Deny, at("OUTSIDE-IN extended deny ip any any log")),
        ),
        // outside → inside: the explicit deny first.
        (
            ("198.51.100.7", "10.3.1.20", "tcp/443", "outside", "inside"),
            (Deny, at("OUTSIDE-IN extended deny ip any any log")),
        ),
        // dmz (50) → inside (100): DMZ-IN, its deny entry, its implicit deny.
        (
            ("10.3.9.10", "10.3.1.53", "udp/53", "dmz", "inside"),
            (Allow, at("host 10.3.1.53 eq domain")),
        ),
        (
            ("10.3.9.25", "10.3.1.20", "tcp/25", "dmz", "inside"),
            (Allow, at("host mail-relay 10.3.1.0")),
        ),
        (
            ("10.3.9.10", "10.3.1.20", "tcp/25", "dmz", "inside"),
            (Deny, at("DMZ-IN extended deny ip any 10.3.1.0")),
        ),
        // dmz → outside: `time-range` read as always, `inactive` skipped (so the implicit deny).
        (
            ("10.3.9.10", "198.51.100.7", "tcp/443", "dmz", "outside"),
            (Allow, at("time-range BUSINESS-HOURS")),
        ),
        (
            ("10.3.9.10", "198.51.100.7", "tcp/80", "dmz", "outside"),
            (Deny, at("access-group DMZ-IN in interface dmz")),
        ),
        // inside (100) → anywhere: INSIDE-OUT.
        (
            ("10.3.1.200", "10.3.9.10", "tcp/22", "inside", "dmz"),
            (Allow, at("permit object-group MGMT-SVCS")),
        ),
        (
            ("10.3.1.20", "198.51.100.7", "tcp/445", "inside", "outside"),
            (Deny, at("deny tcp any any eq 445")),
        ),
        (
            ("10.3.1.20", "198.51.100.7", "tcp/3389", "inside", "outside"),
            (Allow, at("permit ip object OFFICE-LAN any")),
        ),
        // dmz and the partner interface share level 50: dropped both ways, whatever the ACLs.
        (
            ("10.3.9.10", "192.168.70.5", "tcp/443", "dmz", partner),
            (Deny, at("security-level 50")),
        ),
        // partner (50, no ACL) → outside (0): a lower level passes; → inside (100) does not.
        (
            (
                "192.168.70.5",
                "198.51.100.7",
                "tcp/443",
                partner,
                "outside",
            ),
            (
                Allow,
                Some(format!(
                    "honcho-asa.conf:{}",
                    line_of(&text, "nameif partner") + 1
                )),
            ),
        ),
        (
            ("192.168.70.5", "10.3.1.20", "tcp/443", partner, "inside"),
            (Deny, None),
        ),
    ];
    for ((src, dst, svc, i, o), want) in cases {
        let got = decide(fw, src, dst, svc, i, o);
        assert_eq!(got, want, "{src} → {dst} {svc} ({i} → {o})");
    }
    // The FQDN object and the `time-range` say what they assume.
    let update = fw
        .rules
        .iter()
        .find(|r| r.origin == at("object UPDATE-SITE"))
        .unwrap();
    assert!(
        update
            .approximation
            .as_deref()
            .unwrap()
            .contains("network object `UPDATE-SITE` (an FQDN")
    );
}

#[test]
fn the_mapping_names_interfaces_by_nameif_or_hardware_and_fqdn_objects_resolve() {
    let text = std::fs::read_to_string(fixture("honcho-asa.conf")).unwrap();
    let map = Mapping::parse(
        "m.toml",
        "format = 1\ndevice = \"asa\"\n[interfaces]\n\"GigabitEthernet1/1\" = \"external:internet\"\ninside = \"segment:office\"\n[fqdn]\n\"update.vendor.example\" = \"203.0.113.80\"\n",
    )
    .unwrap();
    let imported = cisco_asa::import("a.conf", &text, &map).unwrap();
    let names: Vec<String> = imported
        .firewall
        .interfaces
        .iter()
        .filter_map(|i| i.name.clone())
        .collect();
    assert_eq!(names, ["GigabitEthernet1/1", "inside"]);
    let update = imported
        .firewall
        .rules
        .iter()
        .find(|r| r.to.iter().any(|t| t.value.to_string() == "203.0.113.80"))
        .expect("the FQDN object read from [fqdn]");
    assert_eq!(update.approximation, None);
}

#[test]
fn secrets_never_reach_the_output_or_the_warnings() {
    let (imported, _) = honcho();
    let mut out = sansou::import::to_toml(&imported, Vendor::CiscoAsa, "honcho-asa.conf");
    for w in &imported.warnings {
        out.push_str(&w.message);
    }
    for secret in [
        "AsaEnableHashSecret",
        "AsaUserHashSecret",
        "SnmpC0mmunity",
        "TunnelPsk",
    ] {
        assert!(!out.contains(secret), "{secret} leaked");
    }
}

#[test]
fn global_acls_follow_interface_acls_and_end_in_an_implicit_deny() {
    let map = Mapping::new(
        "asa",
        [
            ("inside", Attachment::Segment("in".into())),
            ("outside", Attachment::External("out".into())),
        ],
    );
    let text = "ASA Version 9.16\ninterface Gi0/0\n nameif outside\n security-level 0\ninterface Gi0/1\n nameif inside\n security-level 100\naccess-list IN extended deny tcp any any eq 23\naccess-list ALL extended permit tcp any any eq 443\naccess-group IN in interface inside\naccess-group ALL global\n";
    let fw = cisco_asa::import("g.conf", text, &map).unwrap().firewall;
    let d = |svc: &str, i: &str, o: &str| decide(&fw, "10.0.0.1", "10.9.9.9", svc, i, o).0;
    use Action::{Allow, Deny};
    assert_eq!(
        d("tcp/23", "inside", "outside"),
        Deny,
        "the interface ACL first"
    );
    assert_eq!(
        d("tcp/443", "inside", "outside"),
        Allow,
        "then the global one"
    );
    assert_eq!(
        d("tcp/80", "inside", "outside"),
        Deny,
        "the implicit deny is the global one's"
    );
    // With a global ACL, security levels no longer let inside out by themselves.
    assert_eq!(d("tcp/443", "outside", "inside"), Allow);
    assert_eq!(d("tcp/80", "outside", "inside"), Deny);
}

#[test]
fn broken_configurations_are_located_errors() {
    let map = Mapping::new(
        "asa",
        [
            ("inside", Attachment::Segment("in".into())),
            ("outside", Attachment::External("out".into())),
        ],
    );
    let head = "ASA Version 9.16\ninterface Gi0/0\n nameif outside\ninterface Gi0/1\n nameif inside\naccess-group A in interface outside\n";
    for (entry, col) in [
        (
            "access-list A extended permit tcp any 10.0.0.0 255.0.255.0 eq 80",
            0,
        ),
        ("access-list A extended permit tcp any host 10.0.0.300", 44),
        ("access-list A extended permit bogus any any", 31),
        ("access-list A extended permit tcp any object NOPE", 0),
    ] {
        let e = cisco_asa::import("a.conf", &format!("{head}{entry}\n"), &map).unwrap_err();
        assert_eq!(e.line, 7, "{entry}: {e:?}");
        if col > 0 {
            assert_eq!(e.column, col, "{entry}: {e:?}");
        }
    }
    let cycle = format!(
        "{head}object-group network G\n group-object G\naccess-list A extended permit ip object-group G any\n"
    );
    let e = cisco_asa::import("a.conf", &cycle, &map).unwrap_err();
    assert_eq!(e.line, 7);
    assert!(e.message.contains("contains itself"), "{e:?}");
    // Not an ASA configuration: refused instead of warned line by line.
    let ios = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import/cisco-ios/core-l3sw.conf"),
    )
    .unwrap();
    let e = cisco_asa::import("x", &ios, &map).unwrap_err();
    assert!(e.message.contains("Cisco ASA"), "{e:?}");
    // And the IOS importer points an ASA configuration to this one.
    let asa = std::fs::read_to_string(fixture("honcho-asa.conf")).unwrap();
    let e = sansou::import::cisco_ios::import("x", &asa, &map).unwrap_err();
    assert!(e.message.contains("sansou import asa"), "{e:?}");
}

#[test]
fn import_check_and_witnesses_point_at_the_configuration_line() {
    let dir = std::env::temp_dir().join(format!("sansou-asa-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("design.toml"), dir.join("design.toml")).unwrap();
    let sansou = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sansou"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let out = dir.to_str().unwrap();
    let config = "tests/fixtures/import/asa/honcho-asa.conf";
    let o = sansou(&[
        "import",
        "asa",
        config,
        "--map",
        "tests/fixtures/import/asa/map.toml",
        "--output",
        out,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("as firewall `honcho-asa`"), "{err}");
    let o = sansou(&["validate", out]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(fixture("honcho-asa.conf")).unwrap();
    let web = format!(
        "{config}:{}",
        line_of(
            &text,
            "permit tcp any object-group DMZ-SERVERS object-group WEB-PORTS"
        )
    );
    let o = sansou(&[
        "paths",
        out,
        "--from",
        "external:internet",
        "--to",
        "host:web",
        "--service",
        "tcp/443",
    ]);
    let paths = String::from_utf8_lossy(&o.stdout);
    assert!(paths.contains(&format!("(from {web})")), "{paths}");
    let o = sansou(&["check", out, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["findings"].is_array());
}

// ---------------------------------------------------------------------------------------------
// Property test: the imported list decides like the ASA
// ---------------------------------------------------------------------------------------------

mod interpreter {
    use super::*;
    use proptest::prelude::*;

    const NAMES: [&str; 3] = ["a", "b", "c"];
    const LEVELS: [u8; 3] = [0, 50, 100];
    /// (text, first, last)
    const NETS: [(&str, u32, u32); 4] = [
        ("any", 0, u32::MAX),
        ("host 10.0.0.1", 0x0a00_0001, 0x0a00_0001),
        ("10.0.0.0 255.255.255.0", 0x0a00_0000, 0x0a00_00ff),
        ("10.1.0.0 255.255.0.0", 0x0a01_0000, 0x0a01_ffff),
    ];
    const PORTS: [u16; 3] = [22, 80, 443];

    #[derive(Clone, Debug)]
    struct Ace {
        permit: bool,
        /// 0 ip, 1 tcp, 2 udp
        proto: usize,
        src: usize,
        dst: usize,
        port: Option<usize>,
    }

    #[derive(Clone, Debug)]
    struct Asa {
        levels: [usize; 3],
        same_security: bool,
        acls: Vec<Vec<Ace>>,
        ins: [Option<usize>; 3],
        outs: [Option<usize>; 3],
        global: Option<usize>,
    }

    fn ace() -> impl Strategy<Value = Ace> {
        (
            any::<bool>(),
            0..3usize,
            0..NETS.len(),
            0..NETS.len(),
            proptest::option::of(0..PORTS.len()),
        )
            .prop_map(|(permit, proto, src, dst, port)| Ace {
                permit,
                proto,
                src,
                dst,
                port: port.filter(|_| proto != 0),
            })
    }

    fn asa() -> impl Strategy<Value = Asa> {
        let acl_ref = || proptest::option::weighted(0.5, 0..3usize);
        (
            [0..3usize, 0..3usize, 0..3usize],
            any::<bool>(),
            proptest::collection::vec(proptest::collection::vec(ace(), 0..5), 3),
            [acl_ref(), acl_ref(), acl_ref()],
            [
                proptest::option::weighted(0.2, 0..3usize),
                proptest::option::weighted(0.2, 0..3usize),
                proptest::option::weighted(0.2, 0..3usize),
            ],
            proptest::option::weighted(0.25, 0..3usize),
        )
            .prop_map(|(levels, same_security, acls, ins, outs, global)| Asa {
                levels,
                same_security,
                acls,
                ins,
                outs,
                global,
            })
    }

    fn render(c: &Asa) -> String {
        let mut t = String::from("ASA Version 9.16\n");
        for (i, n) in NAMES.iter().enumerate() {
            t.push_str(&format!(
                "interface Gi0/{i}\n nameif {n}\n security-level {}\n",
                LEVELS[c.levels[i]]
            ));
        }
        if c.same_security {
            t.push_str("same-security-traffic permit inter-interface\n");
        }
        for (k, acl) in c.acls.iter().enumerate() {
            t.push_str(&format!("access-list L{k} remark list {k}\n"));
            for e in acl {
                let proto = ["ip", "tcp", "udp"][e.proto];
                let port = e
                    .port
                    .map(|p| format!(" eq {}", PORTS[p]))
                    .unwrap_or_default();
                t.push_str(&format!(
                    "access-list L{k} extended {} {proto} {} {}{port}\n",
                    if e.permit { "permit" } else { "deny" },
                    NETS[e.src].0,
                    NETS[e.dst].0
                ));
            }
        }
        for (i, n) in NAMES.iter().enumerate() {
            if let Some(k) = c.ins[i] {
                t.push_str(&format!("access-group L{k} in interface {n}\n"));
            }
            if let Some(k) = c.outs[i] {
                t.push_str(&format!("access-group L{k} out interface {n}\n"));
            }
        }
        if let Some(k) = c.global {
            t.push_str(&format!("access-group L{k} global\n"));
        }
        t
    }

    /// First match in one ACL: `Some(permit)`, or `None` when no entry matches.
    fn acl(c: &Asa, k: usize, src: u32, dst: u32, proto: usize, port: u16) -> Option<bool> {
        c.acls[k]
            .iter()
            .find(|e| {
                let in_net = |n: usize, a: u32| NETS[n].1 <= a && a <= NETS[n].2;
                in_net(e.src, src)
                    && in_net(e.dst, dst)
                    && (e.proto == 0 || e.proto == proto)
                    && e.port.is_none_or(|p| PORTS[p] == port)
            })
            .map(|e| e.permit)
    }

    /// What the ASA does with a packet from interface `i` to interface `o`.
    fn asa_permits(
        c: &Asa,
        src: u32,
        dst: u32,
        proto: usize,
        port: u16,
        i: usize,
        o: usize,
    ) -> bool {
        let (li, lo) = (LEVELS[c.levels[i]], LEVELS[c.levels[o]]);
        if li == lo && !c.same_security {
            return false;
        }
        let ingress = match (c.ins[i], c.global) {
            (Some(k), Some(g)) => acl(c, k, src, dst, proto, port)
                .or_else(|| acl(c, g, src, dst, proto, port))
                .unwrap_or(false),
            (Some(k), None) => acl(c, k, src, dst, proto, port).unwrap_or(false),
            (None, Some(g)) => acl(c, g, src, dst, proto, port).unwrap_or(false),
            (None, None) => li > lo || (li == lo && c.same_security),
        };
        if !ingress {
            return false;
        }
        match c.outs[o] {
            Some(k) => acl(c, k, src, dst, proto, port).unwrap_or(false),
            None => true,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn imported_lists_decide_like_the_asa(c in asa()) {
            let text = render(&c);
            let map = Mapping::new(
                "asa",
                NAMES.iter().map(|n| (*n, Attachment::Segment(format!("s-{n}")))),
            );
            let fw = cisco_asa::import("p.conf", &text, &map).unwrap().firewall;
            let addrs = ["10.0.0.1", "10.0.0.9", "10.1.2.3", "192.168.0.1"];
            for (i, o) in [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)] {
                for src in addrs {
                    for dst in addrs {
                        for (proto, svc) in [(1, "tcp"), (2, "udp")] {
                            for port in [22u16, 80, 443, 8080] {
                                let service = format!("{svc}/{port}");
                                let want = asa_permits(
                                    &c,
                                    u32::from(src.parse::<Ipv4Addr>().unwrap()),
                                    u32::from(dst.parse::<Ipv4Addr>().unwrap()),
                                    proto,
                                    port,
                                    i,
                                    o,
                                );
                                let got = decide(&fw, src, dst, &service, NAMES[i], NAMES[o]).0
                                    == Action::Allow;
                                prop_assert_eq!(
                                    got, want,
                                    "{} → {} {} ({} → {})\n{}", src, dst, service, NAMES[i], NAMES[o], text
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
