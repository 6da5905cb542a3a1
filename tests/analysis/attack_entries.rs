//! Wi-Fi and remote access as attack entry points (docs/ATTACK.md, "Entry"): the attacker
//! joins a Wi-Fi a stranger can join, or a remote-access line a password alone opens, on a
//! machine of its own at the segment's undeclared addresses; each unstated fact is assumed the
//! weaker and the step says so; the fix search closes the way in; MFA closes a remote line.

use sansou::analysis::attack::{self, Attack, Change, Options, StepKind, Way, entry};
use sansou::analysis::reach::Reachability;
use sansou::lang::Lang;
use sansou::load::load_inputs;
use sansou::model::policy::{Entry, Policy};
use sansou::model::{AddrRange, CheckedTopology, Topology, WifiAuth};
use std::path::Path;

fn load(rel: &str) -> (Topology, Policy) {
    let inputs = load_inputs(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), None).unwrap();
    assert!(!inputs.diagnostics.has_errors(), "{rel} does not load");
    (inputs.topology, inputs.policy.unwrap_or_default())
}

/// The analysis as `sansou attack` runs it: the attacker's machines added, then packets.
fn analyze(topo: &Topology, policy: &Policy, fixes: bool) -> (Topology, Attack) {
    analyze_checked(sansou::load::validate(topo).unwrap(), policy, fixes)
}

/// [`analyze`] of a checked design, or of one derived from it (a fix applied).
fn analyze_checked(
    checked: CheckedTopology<'_>,
    policy: &Policy,
    fixes: bool,
) -> (Topology, Attack) {
    let mut with = checked.topology().clone();
    entry::add_entry_devices(&mut with, policy);
    let attack = {
        let mut reach = Reachability::compute(checked.derived(&with));
        attack::analyze(
            &mut reach,
            policy,
            &Options {
                fixes,
                ..Options::default()
            },
        )
    };
    (with, attack)
}

fn steps(topo: &Topology, attack: &Attack) -> Vec<String> {
    attack.stores[0]
        .steps
        .iter()
        .map(|s| format!("{} {}", s.kind().word(), topo.hosts[s.host()].id))
        .collect()
}

fn readable(topo: &Topology, policy: &Policy) -> bool {
    analyze(topo, policy, false).1.stores[0].readable()
}

#[test]
fn a_wifi_a_stranger_can_join_is_a_foothold() {
    let (topo, policy) = load("tests/fixtures/attack/wifi-foothold.toml");
    let (with, attack) = analyze(&topo, &policy, true);
    assert_eq!(
        steps(&with, &attack),
        ["entry wifi@staff-wifi", "read wifi@staff-wifi"]
    );
    let entry = &attack.stores[0].steps[0];
    assert_eq!(entry.way(), Some(Way::Wifi(0)));
    // The attacker's client sends from the undeclared addresses, and from the declared
    // terminal's (nothing stated stops it choosing that address), taking over nobody.
    let client = &with.hosts[entry.host()];
    assert!(
        client
            .interfaces
            .iter()
            .any(|i| i.ip.contains_addr(0x0a02_0032))
    );
    assert!(
        client
            .interfaces
            .iter()
            .any(|i| i.ip.contains_addr(0x0a02_000a))
    );
    assert!(!attack.spread.taken(topo.host_index("lg-pc").unwrap()));
    // `auth` is not stated: the step says a shared key is assumed, and the borrowed addresses.
    let why = attack::why::why(&with, &attack, entry, Lang::En);
    assert!(
        why.contains("states no auth") && why.contains("assumed"),
        "{why}"
    );
    assert!(why.contains("declared clients' addresses"), "{why}");
    // The natural cut: 802.1X on the Wi-Fi, verified by re-analysis.
    let fix = attack.stores[0].fix.as_ref().unwrap();
    assert!(fix.verified && fix.minimum && fix.breaks.is_empty());
    assert_eq!(fix.changes, [Change::RequireWifiAuth { wifi: 0 }]);
    assert!(!readable(&attack::fix::apply(&topo, &fix.changes), &policy));
}

#[test]
fn the_facts_that_close_a_wifi() {
    let (topo, policy) = load("tests/fixtures/attack/wifi-foothold.toml");
    for (auth, open) in [
        (None, true),
        (Some(WifiAuth::Open), true),
        (Some(WifiAuth::Psk), true),
        (Some(WifiAuth::Enterprise), false),
    ] {
        let mut t = topo.clone();
        t.wifis[0].auth = auth;
        assert_eq!(readable(&t, &policy), open, "auth {auth:?}");
    }
    // Separating the SSID from the office segment cuts it too; for an open (guest) Wi-Fi
    // sharing the office segment it is the fix, as 802.1X is not offered for a network open
    // on purpose.
    // The fix's design is derived from the checked one, as the fix search analyses it (the
    // Wi-Fi moved off the office segment names none).
    let separated = attack::fix::apply(&topo, &[Change::SeparateWifi { wifi: 0 }]);
    let checked = sansou::load::validate(&topo).unwrap();
    let (_, after) = analyze_checked(checked.derived(&separated), &policy, false);
    assert!(!after.stores[0].readable());
    let mut guest = topo.clone();
    guest.wifis[0].auth = Some(WifiAuth::Open);
    let (_, attack) = analyze(&guest, &policy, true);
    let fix = attack.stores[0].fix.as_ref().unwrap();
    assert_eq!(fix.changes, [Change::SeparateWifi { wifi: 0 }]);
    assert!(fix.verified);
    // A policy that leaves Wi-Fi out of its entries does not see it.
    let mut narrow = policy.clone();
    narrow.attacker.entry.retain(|e| *e != Entry::Wifi);
    assert!(!readable(&topo, &narrow));
}

#[test]
fn a_remote_line_without_mfa_lands_the_attacker_where_sessions_land() {
    let (topo, policy) = load("tests/fixtures/attack/remote-vendor-line.toml");
    let (with, attack) = analyze(&topo, &policy, true);
    assert_eq!(
        steps(&with, &attack),
        ["entry remote@vendor-hoshu", "read remote@vendor-hoshu"]
    );
    let entry = &attack.stores[0].steps[0];
    assert_eq!(entry.kind(), StepKind::Entry);
    assert_eq!(entry.way(), Some(Way::Remote(0)));
    // Restricted to the vendor's addresses: the entry needs the vendor compromised, and the
    // step says that is assumed.
    let ja = attack::why::why(&with, &attack, entry, Lang::Ja);
    assert!(ja.contains("乗っ取られたと仮定"), "{ja}");
    let fix = attack.stores[0].fix.as_ref().unwrap();
    assert_eq!(fix.changes, [Change::RequireMfa { line: 0 }]);
}

#[test]
fn mfa_and_source_restriction_close_the_remote_entry() {
    let (mut topo, policy) = load("tests/fixtures/attack/remote-vendor-line.toml");
    assert!(readable(&topo, &policy));
    // Unstated MFA is taken as none.
    topo.remote_access[0].mfa = None;
    assert!(readable(&topo, &policy));
    topo.remote_access[0].mfa = Some(true);
    topo.remote_access[0].source_restricted = Some(true);
    assert!(!readable(&topo, &policy));
    let mut with = topo.clone();
    entry::add_entry_devices(&mut with, &policy);
    assert_eq!(
        with.hosts.len(),
        topo.hosts.len(),
        "no machine on a closed line"
    );
}

#[test]
fn with_no_undeclared_address_the_attacker_uses_a_clients_address() {
    // The terminal group covers every address of the office segment (Wi-Fi), and a group of
    // telework PCs every address of the management segment (remote access).
    for (fixture, segment, host, way) in [
        ("wifi-foothold", "lg-office", "lg-pc", "wifi@staff-wifi"),
        (
            "remote-vendor-line",
            "mgmt",
            "vpn-pcs",
            "remote@vendor-hoshu",
        ),
    ] {
        let (mut topo, policy) = load(&format!("tests/fixtures/attack/{fixture}.toml"));
        let s = topo.segment_index(segment).unwrap();
        let cidr = AddrRange::parse(&topo.segments[s].cidr.value.to_string()).unwrap();
        match topo.host_index(host) {
            Some(h) => topo.hosts[h].interfaces[0].ip.value = cidr,
            None => {
                let loc = topo.segments[s].loc;
                topo.hosts.push(sansou::model::Host::new(
                    host.into(),
                    sansou::model::HostKind::Terminal,
                    vec![sansou::model::HostInterface {
                        segment: sansou::model::At::new(segment.into(), loc),
                        ip: sansou::model::At::new(cidr, loc),
                    }],
                    loc,
                ));
            }
        }
        let (with, attack) = analyze(&topo, &policy, false);
        // The attacker's machine sends from the clients' addresses and takes none over.
        let first = &attack.stores[0].steps[0];
        assert_eq!(with.hosts[first.host()].id, way, "{fixture}");
        assert!(!attack.spread.taken(topo.host_index(host).unwrap()));
        let why = attack::why::why(&with, &attack, first, Lang::En);
        assert!(
            why.contains("declared clients' addresses"),
            "{fixture}: {why}"
        );
    }
}

#[test]
fn what_if_questions_add_no_entry_machines() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args([
            "attack",
            "tests/fixtures/attack/wifi-foothold.toml",
            "--assume-compromised",
            "segment:lg-office",
            "--format",
            "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hosts: Vec<&str> = json["compromised"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["host"].as_str().unwrap())
        .collect();
    assert!(!hosts.iter().any(|h| h.contains("wifi@")), "{hosts:?}");
}

fn sansou(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .unwrap()
}

/// What a user sees: the entry step with its assumptions, the witness, the fix closing the way
/// in, in both languages; the check's ATK-001 says where the attacker came in.
#[test]
fn attack_text_for_wifi_and_remote_entries() {
    for (fixture, store) in [
        ("wifi-foothold", "share"),
        ("remote-vendor-line", "jinji-db"),
    ] {
        let file = format!("tests/fixtures/attack/{fixture}.toml");
        for lang in ["ja", "en"] {
            let out = sansou(&["attack", &file, "--lang", lang, "--fix-budget", "8"]);
            assert_eq!(out.status.code(), Some(1), "{fixture}: readable exits 1");
            let text = String::from_utf8(out.stdout).unwrap();
            insta::assert_snapshot!(format!("entry_{fixture}_{lang}"), text);
        }
        let out = sansou(&["check", &file, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let atk: Vec<&serde_json::Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "ATK-001")
            .collect();
        assert_eq!(atk.len(), 1, "{fixture}: {atk:?}");
        assert_eq!(atk[0]["subject"], format!("store:{store}"));
        let message = atk[0]["message"].as_str().unwrap();
        let way = if fixture == "wifi-foothold" {
            "wifi:staff-wifi"
        } else {
            "remote_access:vendor-hoshu"
        };
        assert!(message.contains(way), "{message}");
    }
}

/// `diff` and the report analyse the same design as `attack`: requiring 802.1X on the Wi-Fi
/// closes the path, and the working paper shows where the attacker started.
#[test]
fn diff_and_report_see_the_way_in() {
    let open = "tests/fixtures/attack/wifi-foothold.toml";
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(open)).unwrap();
    let closed_text = text.replace(
        "segment = \"lg-office\"\nname = \"職員用無線LAN\"",
        "segment = \"lg-office\"\nauth = \"enterprise\"\nname = \"職員用無線LAN\"",
    );
    assert_ne!(text, closed_text);
    let closed = crate::common::tmp("attack_entries", "wifi-enterprise.toml");
    std::fs::write(&closed, closed_text).unwrap();
    let closed = closed.to_str().unwrap();
    let out = sansou(&["diff", open, closed, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("store:share"), "{text}");
    assert!(text.contains("wifi@staff-wifi"), "{text}");
    let html = crate::common::tmp("attack_entries", "report.html");
    let out = sansou(&[
        "report",
        open,
        "--output",
        html.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("one who joins wifi:staff-wifi"),
        "the report starts from the Wi-Fi too"
    );
    assert!(page.contains("host:wifi@staff-wifi"));
}

/// `attack --entry` replaces the policy's entry kinds for one run.
#[test]
fn the_entry_flag_chooses_the_ways_in() {
    let file = "tests/fixtures/attack/wifi-foothold.toml";
    let json = |entry: &str| {
        let out = sansou(&["attack", file, "--entry", entry, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), v["attacker"]["entry"].clone())
    };
    assert_eq!(
        json("internet"),
        (
            Some(0),
            serde_json::json!(["internet-use", "exposed-services"])
        )
    );
    assert_eq!(json("wifi"), (Some(1), serde_json::json!(["wifi"])));
    assert_eq!(json("all").0, Some(1));
    let out = sansou(&["attack", file, "--entry", "bluetooth"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected one of"));
}

/// A rule that lets only the declared terminal through still lets the attacker on the Wi-Fi
/// through: it may use the terminal's address, and the witness shows it. A remote session
/// gets what its gateway hands out: no client's address.
#[test]
fn a_wifi_client_may_use_a_declared_clients_address() {
    use sansou::model::{At, Host, HostInterface, HostKind, Selector};
    let (mut topo, policy) = load("tests/fixtures/attack/wifi-foothold.toml");
    let rule = &mut topo.firewalls[0].rules[0];
    rule.from = vec![At::new(Selector::Host("lg-pc".into()), rule.loc)];
    let (with, attack) = analyze(&topo, &policy, false);
    assert_eq!(
        steps(&with, &attack),
        ["entry wifi@staff-wifi", "read wifi@staff-wifi"]
    );
    let read = &attack.stores[0].steps[1];
    let flow = read.witness().unwrap().flow.to_string();
    assert!(flow.starts_with("10.2.0.10 "), "{flow}");

    let (mut topo, policy) = load("tests/fixtures/attack/remote-vendor-line.toml");
    let loc = topo.segments[0].loc;
    topo.hosts.push(Host::new(
        "ops-pc".into(),
        HostKind::Terminal,
        vec![HostInterface {
            segment: At::new("mgmt".into(), loc),
            ip: At::new(AddrRange::parse("10.2.9.10").unwrap(), loc),
        }],
        loc,
    ));
    let mut with = topo.clone();
    entry::add_entry_devices(&mut with, &policy);
    let session = with.hosts.last().unwrap();
    assert_eq!(session.id, "remote@vendor-hoshu");
    assert!(
        session
            .interfaces
            .iter()
            .all(|i| !i.ip.contains_addr(0x0a02_090a))
    );
}
