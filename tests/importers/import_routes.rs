//! Routing tables read by the importers (`[[firewall.route]]` with the configuration line as
//! `origin`): FortiGate `config router static`, Cisco IOS `ip route`, iptables with an `ip
//! route` dump (`--routes`); ASA `route` and YAMAHA RTX `ip route` are pinned in their
//! importers' snapshots. A table is imported whole or not at all: with dynamic or policy
//! routing the firewall keeps no table (any allowed path) and a warning says why. End to end,
//! a witness names the configuration line of the route it took.

use sansou::import::{Imported, Mapping, Vendor, cisco_ios, fortigate};
use sansou::model::Route;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/routes")
        .join(name)
}

fn import(vendor: Vendor, config: &str, map: &str) -> (Imported, String) {
    let text = std::fs::read_to_string(fixture(config)).unwrap();
    let map = Mapping::parse(map, &std::fs::read_to_string(fixture(map)).unwrap()).unwrap();
    let imported = match vendor {
        Vendor::FortiGate => fortigate::import(config, &text, &map),
        Vendor::CiscoIos => cisco_ios::import(config, &text, &map),
        _ => unreachable!("the other vendors are tested through the command line"),
    };
    (imported.unwrap(), text)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

/// A route as `DESTINATION -> INTERFACE via HOP @ ORIGIN`, or `DESTINATION discard @ ORIGIN`.
fn shown(r: &Route) -> String {
    let origin = r.origin.as_deref().unwrap_or("-");
    if r.discard {
        return format!("{} discard @ {origin}", r.destination.value);
    }
    let via = r
        .next_hop
        .as_ref()
        .map(|h| format!(" via {}", h.value))
        .unwrap_or_default();
    let out = r
        .interface
        .as_ref()
        .map(|i| i.value.as_str())
        .unwrap_or("?");
    format!("{} -> {out}{via} @ {origin}", r.destination.value)
}

fn warned(imp: &Imported, line: usize, needle: &str) -> bool {
    imp.warnings
        .iter()
        .any(|w| w.line == line && w.message.contains(needle))
}

#[test]
fn fortigate_static_routes_become_the_table() {
    let (imp, text) = import(Vendor::FortiGate, "fgt-edge.conf", "fgt-edge.map.toml");
    let routes: Vec<String> = imp.firewall.routes.iter().map(shown).collect();
    let block = |n: usize| {
        // `edit N` of `config router static` (policies use the same numbers earlier).
        let start = line_of(&text, "config router static");
        text.lines()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.trim() == format!("edit {n}"))
            .map(|(i, _)| i + 1)
            .unwrap()
    };
    assert_eq!(
        routes,
        [
            format!(
                "0.0.0.0/0 -> wan1 via 203.0.113.1 @ fgt-edge.conf:{}",
                block(1)
            ),
            // No device: the gateway's subnet (dmz, 10.9.0.0/29) names the interface.
            format!(
                "10.20.0.0/16 -> dmz via 10.9.0.2 @ fgt-edge.conf:{}",
                block(2)
            ),
            format!("192.168.0.0/16 discard @ fgt-edge.conf:{}", block(3)),
            // wan2 is not mapped: its packets leave the modelled network there.
            format!("10.77.0.0/16 discard @ fgt-edge.conf:{}", block(6)),
        ]
    );
    assert!(warned(&imp, block(4), "backup"), "{:?}", imp.warnings);
    assert!(warned(&imp, block(5), "disabled"));
    assert!(warned(&imp, block(6), "does not place"));
}

#[test]
fn dynamic_routing_keeps_the_firewall_without_a_table() {
    let (imp, text) = import(Vendor::FortiGate, "fgt-ospf.conf", "fgt-edge.map.toml");
    assert!(imp.firewall.routes.is_empty());
    assert!(warned(
        &imp,
        line_of(&text, "config router ospf"),
        "keeps no routing table"
    ));
    // The same for IOS: a `router ospf` process.
    let text = std::fs::read_to_string(fixture("core.ios"))
        .unwrap()
        .replace(
            "ip forward-protocol nd",
            "router ospf 1\n network 10.9.0.0 0.0.0.7 area 0",
        );
    let map = Mapping::parse(
        "core.map.toml",
        &std::fs::read_to_string(fixture("core.map.toml")).unwrap(),
    )
    .unwrap();
    let imp = cisco_ios::import("core.ios", &text, &map).unwrap();
    assert!(imp.firewall.routes.is_empty());
    assert!(warned(
        &imp,
        line_of(&text, "router ospf 1"),
        "keeps no routing table"
    ));
}

#[test]
fn ios_ip_routes_become_the_table() {
    let (imp, text) = import(Vendor::CiscoIos, "core.ios", "core.map.toml");
    let routes: Vec<String> = imp.firewall.routes.iter().map(shown).collect();
    let l = |needle: &str| line_of(&text, needle);
    assert_eq!(
        routes,
        [
            format!(
                "0.0.0.0/0 -> GigabitEthernet0/0 via 10.9.0.1 @ core.ios:{}",
                l("ip route 0.0.0.0 0.0.0.0 10.9.0.1")
            ),
            format!("10.30.0.0/16 discard @ core.ios:{}", l("Null0")),
            format!(
                "10.40.0.0/16 -> GigabitEthernet0/1 via 10.20.1.254 @ core.ios:{}",
                l("10.40.0.0")
            ),
            // GigabitEthernet0/2 is not mapped.
            format!("10.50.0.0/16 discard @ core.ios:{}", l("10.50.0.0")),
        ]
    );
    assert!(warned(&imp, l("backup-edge"), "backup"));
    assert!(!imp.warnings.iter().any(|w| w.message.contains("ip route")));
}

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .expect("sansou runs")
}

/// `sansou import VENDOR CONFIG --map MAP --output DIR [MORE…]`, fixtures by name.
fn import_cli(vendor: &str, config: &str, map: &str, dir: &Path, more: &[&str]) -> Output {
    let (config, map) = (fixture(config), fixture(map));
    let mut args = vec![
        "import".to_string(),
        vendor.to_string(),
        config.display().to_string(),
        "--map".into(),
        map.display().to_string(),
        "--output".into(),
        dir.display().to_string(),
    ];
    args.extend(more.iter().map(|m| m.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sansou(&args)
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sansou-routes-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn iptables_reads_its_routes_from_an_ip_route_dump() {
    let dir = temp_dir("iptables");
    let f = |n: &str| fixture(n).display().to_string();
    let o = import_cli(
        "iptables",
        "gw.rules",
        "gw.map.toml",
        &dir,
        &["--routes", &f("gw.iproute")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let toml = std::fs::read_to_string(dir.join("gw.toml")).unwrap();
    let dump = f("gw.iproute");
    for (dst, rest) in [
        (
            "0.0.0.0/0",
            "interface = \"eth0\"\nnext_hop = \"203.0.113.1\"",
        ),
        (
            "10.20.0.0/16",
            "interface = \"eth2\"\nnext_hop = \"10.8.0.2\"",
        ),
        (
            "10.20.0.0/16",
            "interface = \"eth2\"\nnext_hop = \"10.8.0.3\"",
        ),
        (
            "10.30.0.0/16",
            "interface = \"eth2\"\nnext_hop = \"10.8.0.4\"",
        ),
        ("10.99.0.0/16", "discard = true"),
    ] {
        let entry =
            format!("[[firewall.route]]\ndestination = \"{dst}\"\n{rest}\norigin = \"{dump}:");
        assert!(toml.contains(&entry), "{entry}\n--- in ---\n{toml}");
    }
    // The higher-metric default route is a backup; connected and local routes are implied.
    assert_eq!(toml.matches("[[firewall.route]]").count(), 5, "{toml}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("backup"), "{err}");

    // Routes of another table (policy routing) keep the firewall without a table.
    let o = import_cli(
        "iptables",
        "gw.rules",
        "gw.map.toml",
        &dir,
        &["--routes", &f("policy.iproute"), "--warnings", "all"],
    );
    assert!(o.status.success());
    let toml = std::fs::read_to_string(dir.join("gw.toml")).unwrap();
    assert!(!toml.contains("[[firewall.route]]"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keeps no routing table"));

    // `--routes` is for iptables only; a file that is no route dump is an error (exit 2).
    let o = import_cli(
        "fortigate",
        "fgt-edge.conf",
        "fgt-edge.map.toml",
        &dir,
        &["--routes", &f("gw.iproute")],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = import_cli(
        "iptables",
        "gw.rules",
        "gw.map.toml",
        &dir,
        &["--routes", &f("gw.rules")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("gw.rules:2"));
}

#[test]
fn a_witness_names_the_imported_route() {
    let dir = temp_dir("e2e");
    std::fs::copy(fixture("design.toml"), dir.join("design.toml")).unwrap();
    let f = |n: &str| fixture(n).display().to_string();
    let out = dir.display().to_string();
    let o = import_cli("fortigate", "fgt-edge.conf", "fgt-edge.map.toml", &dir, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = sansou(&[
        "paths",
        &out,
        "--from",
        "host:pc",
        "--to",
        "external:internet",
        "--lang",
        "en",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let text_fgt = std::fs::read_to_string(fixture("fgt-edge.conf")).unwrap();
    let start = line_of(&text_fgt, "config router static");
    let edit1 = start + 1;
    assert!(
        text.contains(&format!(
            "route 0.0.0.0/0 via 203.0.113.1 wan1 ({}:{edit1})",
            f("fgt-edge.conf")
        )),
        "{text}"
    );
}
