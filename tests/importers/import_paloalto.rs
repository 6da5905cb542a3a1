//! The PAN-OS importer (`sansou import paloalto`): a realistic XML running configuration
//! (tests/fixtures/import/paloalto) pinned as topology TOML with its warnings, decisions of the
//! imported firewall against PAN-OS semantics (zones, rule types, negation, objects, groups,
//! application-default, default rules, destination NAT), routes, vsys and Panorama rulebases,
//! secrets, errors, the end-to-end run (import → check → witnesses pointing at the
//! configuration line), and a property test comparing the imported list with an interpreter of
//! the PAN-OS semantics on random configurations.

use super::import_asa::decide;
use sansou::import::{Imported, Mapping, Vendor, common, paloalto};
use sansou::model::{Action, Attachment};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/paloalto")
        .join(name)
}

fn honcho() -> (Imported, String) {
    let text = std::fs::read_to_string(fixture("honcho-pa.xml")).unwrap();
    let map_text = std::fs::read_to_string(fixture("map.toml")).unwrap();
    let map = Mapping::parse("map.toml", &map_text).unwrap();
    (
        paloalto::import("honcho-pa.xml", &text, &map).unwrap(),
        text,
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

#[test]
fn the_firewall_is_imported_as_pinned() {
    let (imported, _) = honcho();
    let mut out = sansou::import::to_toml(&imported, Vendor::PaloAlto, "honcho-pa.xml");
    out.push('\n');
    out.push_str(&common::warnings_text(
        "honcho-pa.xml",
        &imported.warnings,
        common::Shown::All,
    ));
    insta::assert_snapshot!("paloalto-honcho", out);
}

#[test]
fn zones_rules_objects_and_defaults_decide_as_on_the_device() {
    let (imported, text) = honcho();
    let fw = &imported.firewall;
    assert!(fw.stateful);
    assert_eq!(fw.default, Action::Deny);
    let at = |rule: &str| Some(format!("honcho-pa.xml:{}", line_of(&text, rule)));
    let zone = |z: &str| Some(format!("honcho-pa.xml:{}", line_of(&text, z)));
    let (untrust, trust, dmz, partner) =
        ("ethernet1/1", "ethernet1/2", "ethernet1/3.9", "ethernet1/4");
    use Action::{Allow, Deny};
    let cases = [
        // untrust → dmz: the public address, and (destination NAT) the server's own.
        (
            ("198.51.100.7", "203.0.113.10", "tcp/443", untrust, dmz),
            (Allow, at("\"web-in\"")),
        ),
        (
            ("198.51.100.7", "10.3.9.10", "tcp/443", untrust, dmz),
            (Allow, at("\"web-in\"")),
        ),
        (
            ("198.51.100.7", "10.3.9.10", "tcp/22", untrust, dmz),
            (Deny, None),
        ),
        // application-default: smtp's ports only.
        (
            ("198.51.100.7", "10.3.9.25", "tcp/25", untrust, dmz),
            (Allow, at("\"mail-in\"")),
        ),
        (
            ("198.51.100.7", "10.3.9.25", "tcp/443", untrust, dmz),
            (Deny, None),
        ),
        // reset-both is a deny; a `drop` rule with two source zones.
        (
            ("10.3.1.20", "198.51.100.7", "tcp/23", trust, untrust),
            (Deny, at("\"block-telnet\"")),
        ),
        (
            ("10.3.9.10", "198.51.100.7", "tcp/445", dmz, untrust),
            (Deny, at("\"no-smb-out\"")),
        ),
        (
            ("10.3.1.20", "198.51.100.7", "tcp/445", trust, untrust),
            (Deny, at("\"no-smb-out\"")),
        ),
        // Objects and groups; an application-group under application-default.
        (
            ("10.3.1.20", "198.51.100.7", "tcp/443", trust, untrust),
            (Allow, at("\"office-web\"")),
        ),
        (
            ("10.3.1.200", "10.3.9.25", "tcp/3389", trust, dmz),
            (Allow, at("\"admin-to-dmz\"")),
        ),
        (
            ("10.3.1.20", "10.3.9.25", "tcp/3389", trust, dmz),
            (Deny, None),
        ),
        // A custom application's default ports.
        (
            ("10.3.1.20", "10.3.9.10", "tcp/7002", trust, dmz),
            (Allow, at("\"juki-link\"")),
        ),
        // A service-group with the predefined service-http.
        (
            ("192.168.70.15", "10.3.9.10", "tcp/8080", partner, dmz),
            (Allow, at("\"partner-web\"")),
        ),
        (
            ("192.168.70.30", "10.3.9.10", "tcp/8080", partner, dmz),
            (Deny, None),
        ),
        // An intrazone rule denies within the dmz; other zones keep intrazone-default.
        (
            ("10.3.9.25", "10.3.9.26", "tcp/22", dmz, dmz),
            (Deny, at("\"dmz-isolation\"")),
        ),
        (
            ("10.3.1.20", "10.3.1.30", "tcp/445", trust, trust),
            (Allow, zone("<entry name=\"trust\">")),
        ),
        // interzone + negate-source: anything but the office LAN into trust is denied.
        (
            ("192.168.70.15", "10.3.1.20", "tcp/443", partner, trust),
            (Deny, at("\"no-partner-to-office\"")),
        ),
        // An application sansou does not know allows any service, marked.
        (
            ("10.3.1.20", "198.51.100.7", "tcp/21", trust, untrust),
            (Allow, at("\"web-conference\"")),
        ),
    ];
    for ((src, dst, svc, i, o), want) in cases {
        let got = decide(fw, src, dst, svc, i, o);
        assert_eq!(got, want, "{src} → {dst} {svc} ({i} → {o})");
    }
    // The disabled rule is skipped.
    assert!(!fw.rules.iter().any(|r| r.origin == at("\"old-ftp\"")));
    // What each approximate rule assumes.
    let approx = |id: &str| {
        fw.rules
            .iter()
            .find(|r| r.identity.id.as_ref().is_some_and(|i| i.value == id))
            .and_then(|r| r.approximation.clone())
            .unwrap_or_default()
    };
    assert!(approx("vendor-update").contains("address `UPDATE-SITE` (an FQDN"));
    assert!(approx("partner-web").contains("`source-user`"));
    assert!(approx("web-conference").contains("application `zoom`"));
    assert!(approx("web-in.2").contains("destination NAT of rule web-dnat"));
    assert!(approx("office-web").contains("dynamic address-group `QUARANTINE`"));
    // Routes: the default via untrust, one resolved by its next hop, unmapped and discard
    // routes as discard routes.
    let routes: Vec<String> = fw
        .routes
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.destination.value,
                r.interface.as_ref().map_or("discard", |i| i.value.as_str())
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            "0.0.0.0/0 ethernet1/1",
            "192.168.80.0/24 ethernet1/4",
            "172.16.0.0/12 discard",
            "198.18.0.0/15 discard",
            "172.31.0.0/30 discard"
        ]
    );
}

#[test]
fn fqdn_objects_and_dynamic_groups_resolve_through_the_mapping() {
    let text = std::fs::read_to_string(fixture("honcho-pa.xml")).unwrap();
    let map = Mapping::parse(
        "m.toml",
        "format = 1\ndevice = \"pa\"\n[interfaces]\n\"ethernet1/1\" = \"external:internet\"\n\"ethernet1/3.9\" = \"segment:dmz\"\n[fqdn]\n\"update.vendor.example\" = \"203.0.113.80\"\nQUARANTINE = \"10.3.9.99\"\n",
    )
    .unwrap();
    let fw = paloalto::import("a.xml", &text, &map).unwrap().firewall;
    let update = fw
        .rules
        .iter()
        .find(|r| {
            r.identity
                .id
                .as_ref()
                .is_some_and(|i| i.value == "vendor-update")
        })
        .unwrap();
    assert_eq!(update.to[0].value.to_string(), "203.0.113.80");
    assert_eq!(update.approximation, None, "{update:?}");
    let quarantine = &fw.rules[0];
    assert_eq!(quarantine.action, Action::Deny);
    assert_eq!(quarantine.from[0].value.to_string(), "10.3.9.99");
}

/// A minimal configuration: three interfaces, more `<network>` (`network`), the vsys
/// (`vsys`, with their `<vsys>`) and `<shared>`.
fn config(network: &str, vsys: &str, shared: &str) -> String {
    format!(
        "<config version=\"10.2.0\">\n<shared>{shared}</shared>\n<devices><entry name=\"localhost.localdomain\">\n<network><interface><ethernet>\n<entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry>\n<entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip></layer3></entry>\n<entry name=\"ethernet1/3\"><layer3><ip><entry name=\"10.3.0.1/24\"/></ip></layer3></entry>\n</ethernet></interface>{network}</network>\n{vsys}</entry></devices>\n</config>\n"
    )
}

const ZONES: &str = "<zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>";

fn rule(name: &str, action: &str, service: &str) -> String {
    format!(
        "<entry name=\"{name}\"><from><member>a</member></from><to><member>b</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>{service}</member></service><action>{action}</action></entry>"
    )
}

fn two_ports() -> Mapping {
    Mapping::new(
        "pa",
        [
            ("ethernet1/1", Attachment::Segment("a".into())),
            ("ethernet1/2", Attachment::Segment("b".into())),
        ],
    )
}

#[test]
fn panorama_pre_and_post_rules_surround_the_local_ones() {
    let vsys = format!(
        "<vsys><entry name=\"vsys1\">{ZONES}<pre-rulebase><security><rules>{}</rules></security></pre-rulebase><rulebase><security><rules>{}{}</rules></security></rulebase><post-rulebase><security><rules>{}</rules></security></post-rulebase></entry></vsys>",
        rule("dg-pre", "deny", "service-https"),
        rule("local", "allow", "service-https"),
        rule("local-2", "allow", "service-http"),
        rule("dg-post", "allow", "any"),
    );
    let shared = format!(
        "<pre-rulebase><security><rules>{}</rules></security></pre-rulebase><post-rulebase><security><rules>{}</rules></security></post-rulebase>",
        rule("shared-pre", "deny", "service-http"),
        rule("shared-post", "deny", "any"),
    );
    let text = config("", &vsys, &shared);
    let fw = paloalto::import("p.xml", &text, &two_ports())
        .unwrap()
        .firewall;
    let ids: Vec<&str> = fw
        .rules
        .iter()
        .filter_map(|r| r.identity.id.as_ref().map(|i| i.value.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            "shared-pre",
            "dg-pre",
            "local",
            "local-2",
            "dg-post",
            "shared-post"
        ]
    );
}

#[test]
fn one_vsys_per_import() {
    let vsys = |name: &str, iface: &str, action: &str| {
        format!(
            "<entry name=\"{name}\"><zone><entry name=\"a\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"b\"><network><layer3><member>{iface}</member></layer3></network></entry></zone><rulebase><security><rules>{}</rules></security></rulebase><import><network><interface><member>ethernet1/1</member><member>{iface}</member></interface></network></import></entry>",
            rule(&format!("{name}-rule"), action, "any")
        )
    };
    let text = config(
        "",
        &format!(
            "<vsys>{}{}</vsys>",
            vsys("vsys1", "ethernet1/2", "allow"),
            vsys("vsys2", "ethernet1/3", "deny")
        ),
        "",
    );
    let first = paloalto::import("v.xml", &text, &two_ports()).unwrap();
    assert!(
        first
            .warnings
            .iter()
            .any(|w| w.message.contains("2 vsys (vsys1, vsys2)")),
        "{:?}",
        first.warnings
    );
    assert_eq!(first.firewall.rules[0].action, Action::Allow);
    let mut map = Mapping::new(
        "pa2",
        [
            ("ethernet1/1", Attachment::Segment("a".into())),
            ("ethernet1/3", Attachment::Segment("c".into())),
        ],
    );
    map.vsys = Some("vsys2".into());
    let second = paloalto::import("v.xml", &text, &map).unwrap();
    assert_eq!(second.firewall.rules[0].action, Action::Deny);
    map.vsys = Some("vsys9".into());
    let e = paloalto::import("v.xml", &text, &map).unwrap_err();
    assert!(e.message.contains("vsys1, vsys2"), "{e:?}");
}

#[test]
fn routes_are_imported_only_when_the_configuration_holds_the_whole_table() {
    let vr = |protocol: &str, dhcp: bool| {
        let network = format!(
            "<virtual-router><entry name=\"default\"><interface><member>ethernet1/1</member><member>ethernet1/2</member></interface><routing-table><ip><static-route><entry name=\"d\"><nexthop><ip-address>10.1.0.254</ip-address></nexthop><destination>0.0.0.0/0</destination></entry></static-route></ip></routing-table><protocol>{protocol}</protocol></entry></virtual-router>"
        );
        let text = config(
            &network,
            &format!("<vsys><entry name=\"vsys1\">{ZONES}</entry></vsys>"),
            "",
        );
        if dhcp {
            text.replace(
                "<entry name=\"ethernet1/2\"><layer3><ip><entry name=\"10.2.0.1/24\"/></ip>",
                "<entry name=\"ethernet1/2\"><layer3><dhcp-client/>",
            )
        } else {
            text
        }
    };
    let plain = vr("<ospf><enable>no</enable></ospf>", false);
    let fw = paloalto::import("r.xml", &plain, &two_ports())
        .unwrap_or_else(|e| panic!("{e:?}\n{plain}"))
        .firewall;
    assert_eq!(fw.routes.len(), 1);
    assert_eq!(
        fw.routes[0].interface.as_ref().unwrap().value,
        "ethernet1/1"
    );
    for (text, why) in [
        (vr("<ospf><enable>yes</enable></ospf>", false), "runs ospf"),
        (vr("", true), "learns a default route"),
        (
            vr("", false).replace("<member>ethernet1/2</member></interface>", "</interface>"),
            "forwards outside virtual router",
        ),
    ] {
        let imported = paloalto::import("r.xml", &text, &two_ports()).unwrap();
        assert!(imported.firewall.routes.is_empty(), "{why}");
        assert!(
            imported.warnings.iter().any(|w| w.message.contains(why)),
            "{why}: {:?}",
            imported.warnings
        );
    }
}

#[test]
fn a_bi_directional_static_nat_is_read_in_both_directions() {
    // Outbound, `SRV` leaves as 203.0.113.20; inbound, packets for 203.0.113.20 reach `SRV`,
    // which the rule names by its public address.
    let vsys = format!(
        "<vsys><entry name=\"vsys1\">{ZONES}<address><entry name=\"SRV\"><ip-netmask>10.2.0.10</ip-netmask></entry></address><rulebase><security><rules>{}</rules></security><nat><rules><entry name=\"srv-static\"><source-translation><static-ip><translated-address>203.0.113.20</translated-address><bi-directional>yes</bi-directional></static-ip></source-translation><from><member>b</member></from><to><member>a</member></to><source><member>SRV</member></source><destination><member>any</member></destination></entry></rules></nat></rulebase></entry></vsys>",
        rule("to-srv", "allow", "service-https").replace(
            "<destination><member>any</member>",
            "<destination><member>203.0.113.20</member>"
        )
    );
    let text = config("", &vsys, "");
    let imported = paloalto::import("n.xml", &text, &two_ports()).unwrap();
    let fw = &imported.firewall;
    let d = |dst: &str| {
        decide(
            fw,
            "198.51.100.7",
            dst,
            "tcp/443",
            "ethernet1/1",
            "ethernet1/2",
        )
    };
    assert_eq!(d("203.0.113.20").0, Action::Allow);
    let (action, _) = d("10.2.0.10");
    assert_eq!(
        action,
        Action::Allow,
        "the translated address is allowed too"
    );
    assert!(
        fw.rules.iter().any(|r| r
            .approximation
            .as_deref()
            .is_some_and(|a| a.contains("srv-static"))),
        "{:?}",
        fw.rules
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("NAT rule srv-static")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn secrets_never_reach_the_output_or_the_warnings() {
    let (imported, _) = honcho();
    let mut out = sansou::import::to_toml(&imported, Vendor::PaloAlto, "honcho-pa.xml");
    for w in &imported.warnings {
        out.push_str(&w.message);
    }
    for secret in ["PaPhashSecret", "PaPskSecret", "PaSnmpSecret"] {
        assert!(!out.contains(secret), "{secret} leaked");
    }
}

#[test]
fn broken_configurations_are_located_errors() {
    let map = two_ports();
    let vsys = |rules: &str, objects: &str| {
        config(
            "",
            &format!(
                "<vsys><entry name=\"vsys1\">{ZONES}\n{objects}\n<rulebase><security><rules>\n{rules}\n</rules></security></rulebase></entry></vsys>"
            ),
            "",
        )
    };
    let e = paloalto::import("b.xml", &vsys(&rule("r", "permit", "any"), ""), &map).unwrap_err();
    assert_eq!((e.line, e.column), (12, 245), "{e:?}");
    assert!(e.message.contains("unknown action `permit`"), "{e:?}");
    let cycle = "<address-group><entry name=\"G\"><static><member>G</member></static></entry></address-group>";
    let e = paloalto::import(
        "b.xml",
        &vsys(
            &rule("r", "allow", "any").replace("<source><member>any", "<source><member>G"),
            cycle,
        ),
        &map,
    )
    .unwrap_err();
    assert_eq!(e.line, 10, "{e:?}");
    assert!(e.message.contains("contains itself"), "{e:?}");
    let e =
        paloalto::import("b.xml", "<config>\n<devices>\n<entry>\n</devices>\n", &map).unwrap_err();
    assert_eq!(e.line, 4, "{e:?}");
    // Another vendor's configuration is refused at once.
    let asa = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/asa/honcho-asa.conf"),
    )
    .unwrap();
    assert!(paloalto::import("x", &asa, &map).is_err());
}

#[test]
fn import_check_and_witnesses_point_at_the_configuration_line() {
    let dir = std::env::temp_dir().join(format!("sansou-paloalto-e2e-{}", std::process::id()));
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
    let config = "tests/fixtures/import/paloalto/honcho-pa.xml";
    let o = sansou(&[
        "import",
        "paloalto",
        config,
        "--map",
        "tests/fixtures/import/paloalto/map.toml",
        "--output",
        out,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("as firewall `honcho-pa`"), "{err}");
    let o = sansou(&["validate", out]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(fixture("honcho-pa.xml")).unwrap();
    let web = format!("{config}:{}", line_of(&text, "\"web-in\""));
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
    assert!(
        paths.contains("destination NAT of rule web-dnat"),
        "{paths}"
    );
    // The routing table is followed: the partner LAN behind its next hop is reached through
    // the partner interface only.
    assert!(paths.contains("route"), "{paths}");
    let o = sansou(&["check", out, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["findings"].is_array());
}

// ---------------------------------------------------------------------------------------------
// Property test: the imported list decides like PAN-OS
// ---------------------------------------------------------------------------------------------

mod interpreter {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    const IFACES: [&str; 3] = ["ethernet1/1", "ethernet1/2", "ethernet1/3"];
    /// (member as written, first, last); the objects are defined by [`render`].
    const NETS: [(&str, u32, u32); 5] = [
        ("any", 0, u32::MAX),
        ("H1", 0x0a00_0001, 0x0a00_0001),
        ("10.0.0.0/24", 0x0a00_0000, 0x0a00_00ff),
        ("G16", 0x0a01_0000, 0x0a01_ffff),
        ("R", 0x0a00_0005, 0x0a01_0003),
    ];
    /// (service member, application member, matches (proto, port)).
    const SERVICES: [&str; 5] = [
        "any",
        "svc-80",
        "service-https",
        "app:web-browsing",
        "app:dns",
    ];

    #[derive(Clone, Debug)]
    struct PaRule {
        from: Option<usize>,
        to: Option<usize>,
        /// 0 universal, 1 intrazone, 2 interzone
        kind: usize,
        src: usize,
        dst: usize,
        negate_src: bool,
        negate_dst: bool,
        service: usize,
        /// 0 allow, 1 deny, 2 drop, 3 reset-both
        action: usize,
        disabled: bool,
    }

    #[derive(Clone, Debug)]
    struct Pa {
        zones: [Option<usize>; 3],
        rules: Vec<PaRule>,
        intrazone_allow: bool,
        interzone_allow: bool,
    }

    fn pa_rule() -> impl Strategy<Value = PaRule> {
        (
            proptest::option::of(0..3usize),
            proptest::option::of(0..3usize),
            0..3usize,
            (0..NETS.len(), 0..NETS.len()),
            (proptest::bool::weighted(0.2), proptest::bool::weighted(0.2)),
            0..SERVICES.len(),
            0..4usize,
            proptest::bool::weighted(0.1),
        )
            .prop_map(
                |(
                    from,
                    to,
                    kind,
                    (src, dst),
                    (negate_src, negate_dst),
                    service,
                    action,
                    disabled,
                )| PaRule {
                    from,
                    to,
                    kind,
                    src,
                    dst,
                    negate_src,
                    negate_dst,
                    service,
                    action,
                    disabled,
                },
            )
    }

    fn pa() -> impl Strategy<Value = Pa> {
        (
            [
                proptest::option::weighted(0.9, 0..3usize),
                proptest::option::weighted(0.9, 0..3usize),
                proptest::option::weighted(0.9, 0..3usize),
            ],
            proptest::collection::vec(pa_rule(), 0..6),
            proptest::bool::weighted(0.8),
            proptest::bool::weighted(0.2),
        )
            .prop_map(|(zones, rules, intrazone_allow, interzone_allow)| Pa {
                zones,
                rules,
                intrazone_allow,
                interzone_allow,
            })
    }

    fn members(tag: &str, items: &[&str]) -> String {
        let inner: String = items
            .iter()
            .map(|i| format!("<member>{i}</member>"))
            .collect();
        format!("<{tag}>{inner}</{tag}>")
    }

    fn render(c: &Pa) -> String {
        let mut t = String::from(
            "<config version=\"10.2.0\"><devices><entry name=\"localhost.localdomain\"><network><interface><ethernet>\n",
        );
        for (i, n) in IFACES.iter().enumerate() {
            t.push_str(&format!(
                "<entry name=\"{n}\"><layer3><ip><entry name=\"172.16.{i}.1/24\"/></ip></layer3></entry>\n"
            ));
        }
        t.push_str("</ethernet></interface></network><vsys><entry name=\"vsys1\"><zone>\n");
        for z in 0..3 {
            let ifs: Vec<&str> = (0..3)
                .filter(|i| c.zones[*i] == Some(z))
                .map(|i| IFACES[i])
                .collect();
            t.push_str(&format!(
                "<entry name=\"z{z}\"><network>{}</network></entry>\n",
                members("layer3", &ifs)
            ));
        }
        t.push_str("</zone><address><entry name=\"H1\"><ip-netmask>10.0.0.1</ip-netmask></entry><entry name=\"N16\"><ip-netmask>10.1.0.0/16</ip-netmask></entry><entry name=\"R\"><ip-range>10.0.0.5-10.1.0.3</ip-range></entry></address>\n");
        t.push_str("<address-group><entry name=\"G16\"><static><member>N16</member></static></entry></address-group>\n");
        t.push_str("<service><entry name=\"svc-80\"><protocol><tcp><port>80</port></tcp></protocol></entry></service>\n");
        t.push_str("<rulebase><security><rules>\n");
        for (k, r) in c.rules.iter().enumerate() {
            let zone = |z: Option<usize>| z.map_or("any".to_string(), |z| format!("z{z}"));
            let to = if r.kind == 1 {
                zone(r.from)
            } else {
                zone(r.to)
            };
            let (service, app) = match SERVICES[r.service] {
                s if s.starts_with("app:") => ("application-default", &s[4..]),
                s => (s, "any"),
            };
            t.push_str(&format!(
                "<entry name=\"r{k}\">{}{}{}{}{}{}<negate-source>{}</negate-source><negate-destination>{}</negate-destination><rule-type>{}</rule-type><action>{}</action><disabled>{}</disabled></entry>\n",
                members("from", &[&zone(r.from)]),
                members("to", &[&to]),
                members("source", &[NETS[r.src].0]),
                members("destination", &[NETS[r.dst].0]),
                members("application", &[app]),
                members("service", &[service]),
                if r.negate_src { "yes" } else { "no" },
                if r.negate_dst { "yes" } else { "no" },
                ["universal", "intrazone", "interzone"][r.kind],
                ["allow", "deny", "drop", "reset-both"][r.action],
                if r.disabled { "yes" } else { "no" },
            ));
        }
        t.push_str("</rules></security><default-security-rules><rules>");
        t.push_str(&format!(
            "<entry name=\"intrazone-default\"><action>{}</action></entry><entry name=\"interzone-default\"><action>{}</action></entry>",
            if c.intrazone_allow { "allow" } else { "deny" },
            if c.interzone_allow { "allow" } else { "deny" }
        ));
        t.push_str("</rules></default-security-rules></rulebase></entry></vsys></entry></devices></config>\n");
        t
    }

    /// Whether some packet of the flow passes PAN-OS: the first matching rule decides; a deny
    /// restricted to an application leaves the flow's other traffic to later rules.
    fn permits(c: &Pa, src: u32, dst: u32, proto: &str, port: u16, i: usize, o: usize) -> bool {
        let (Some(zi), Some(zo)) = (c.zones[i], c.zones[o]) else {
            return false;
        };
        let in_net = |n: usize, a: u32| NETS[n].1 <= a && a <= NETS[n].2;
        for r in c.rules.iter().filter(|r| !r.disabled) {
            let from = r.from.is_none_or(|z| z == zi);
            let to = match r.kind {
                1 => zi == zo,
                2 => zi != zo && r.to.is_none_or(|z| z == zo),
                _ => r.to.is_none_or(|z| z == zo),
            };
            let addrs =
                (in_net(r.src, src) != r.negate_src) && (in_net(r.dst, dst) != r.negate_dst);
            let service = match SERVICES[r.service] {
                "any" => true,
                "svc-80" | "app:web-browsing" => proto == "tcp" && port == 80,
                "service-https" => proto == "tcp" && port == 443,
                _ => port == 53,
            };
            let app_deny = r.action != 0 && SERVICES[r.service].starts_with("app:");
            if from && to && addrs && service && !app_deny {
                return r.action == 0;
            }
        }
        if zi == zo {
            c.intrazone_allow
        } else {
            c.interzone_allow
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn imported_lists_decide_like_pan_os(c in pa()) {
            let text = render(&c);
            let map = Mapping::new(
                "pa",
                IFACES.iter().map(|n| (*n, Attachment::Segment(format!("s-{}", n.replace('/', "-"))))),
            );
            let fw = paloalto::import("p.xml", &text, &map).unwrap().firewall;
            let addrs = ["10.0.0.1", "10.0.0.9", "10.0.0.5", "10.1.2.3", "192.168.0.1"];
            for (i, in_if) in IFACES.iter().enumerate() {
                for (o, out_if) in IFACES.iter().enumerate() {
                    for src in addrs {
                        for dst in addrs {
                            for (proto, port) in [("tcp", 80u16), ("tcp", 443), ("udp", 53), ("tcp", 22)] {
                                let service = format!("{proto}/{port}");
                                let ip = |s: &str| u32::from(s.parse::<Ipv4Addr>().unwrap());
                                let want = permits(&c, ip(src), ip(dst), proto, port, i, o);
                                let got = decide(&fw, src, dst, &service, in_if, out_if).0
                                    == Action::Allow;
                                prop_assert_eq!(
                                    got, want,
                                    "{} → {} {} ({} → {})\n{}", src, dst, service, in_if, out_if, text
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
