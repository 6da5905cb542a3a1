//! The Cisco IOS and YAMAHA RTX importers on realistic configurations
//! (tests/fixtures/import/{cisco-ios,yamaha-rtx}): the imported firewall is pinned as topology
//! TOML with its warnings, and focused cases check wildcards, port operators, implicit deny,
//! undefined lists, wrapped lines, unknown lines, secrets, and that a packet the device blocks
//! is blocked by the analysis too.

use sansou::analysis::paths::{Query, pairs};
use sansou::analysis::reach::Reachability;
use sansou::import::{ImportError, Imported, Mapping, Vendor, cisco_ios, yamaha_rtx};
use sansou::load::load_topology;
use sansou::model::{Action, Attachment, Direction, Selector, Service, Topology};
use sansou::report::topology::to_toml;
use std::path::{Path, PathBuf};

fn fixture(vendor: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(vendor)
        .join(name)
}

/// Reads a mapping file with the importer's own reader.
fn mapping(path: &Path) -> Mapping {
    let text = std::fs::read_to_string(path).unwrap();
    Mapping::parse(&path.display().to_string(), &text).unwrap()
}

fn import_fixture(vendor: &str, config: &str) -> Imported {
    let text = std::fs::read_to_string(fixture(vendor, config)).unwrap();
    let map = mapping(&fixture(vendor, "map.toml"));
    let import = if vendor == "cisco-ios" {
        cisco_ios::import
    } else {
        yamaha_rtx::import
    };
    import(config, &text, &map).unwrap()
}

/// The topology file `sansou import` writes, then the warnings, as a reviewer reads them.
pub(crate) fn render(imported: &Imported, vendor: Vendor, config: &str) -> String {
    let mut out = sansou::import::to_toml(imported, vendor, config);
    out.push_str("\n# warnings\n");
    for w in &imported.warnings {
        out.push_str(&format!("# line {}: {}\n", w.line, w.message));
    }
    out
}

fn map_of(device: &str, pairs: &[(&str, &str)]) -> Mapping {
    Mapping::new(
        device,
        pairs
            .iter()
            .map(|(n, s)| (*n, Attachment::Segment(s.to_string()))),
    )
}

/// A configuration from its lines (IOS entries keep their one-space indentation).
fn conf(lines: &[&str]) -> String {
    lines.join("\n") + "\n"
}

fn ios(text: &str) -> Imported {
    let map = map_of("r1", &[("Vlan10", "a"), ("Vlan20", "b")]);
    cisco_ios::import("r1.conf", text, &map).unwrap()
}

fn rtx(text: &str) -> Imported {
    let map = map_of("rtx", &[("lan1", "a"), ("lan2", "b")]);
    yamaha_rtx::import("rtx.conf", text, &map).unwrap()
}

fn services(imported: &Imported, filter: usize, rule: usize) -> Vec<String> {
    imported.firewall.filters[filter].rules[rule]
        .services
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn sources(imported: &Imported, filter: usize, rule: usize) -> Vec<String> {
    imported.firewall.filters[filter].rules[rule]
        .from
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn ios_core_switch_is_imported() {
    let imported = import_fixture("cisco-ios", "core-l3sw.conf");
    insta::assert_snapshot!(
        "ios-core-l3sw",
        render(&imported, Vendor::CiscoIos, "core-l3sw.conf")
    );
}

#[test]
fn rtx_branch_router_is_imported() {
    let imported = import_fixture("yamaha-rtx", "branch-kita.conf");
    insta::assert_snapshot!(
        "rtx-branch-kita",
        render(&imported, Vendor::YamahaRtx, "branch-kita.conf")
    );
}

#[test]
fn secrets_never_reach_the_output_or_the_warnings() {
    let secrets = [
        ("cisco-ios", "core-l3sw.conf", "Sup3rS3cret"),
        ("cisco-ios", "core-l3sw.conf", "AdminUserS3cret"),
        ("cisco-ios", "core-l3sw.conf", "OspfKeyString"),
        ("cisco-ios", "core-l3sw.conf", "CityCommunity2025"),
        ("cisco-ios", "core-l3sw.conf", "TacacsKey0420"),
        ("cisco-ios", "core-l3sw.conf", "IsakmpPreShared"),
        ("cisco-ios", "core-l3sw.conf", "VtyPassword"),
        ("cisco-ios", "core-l3sw.conf", "password resets"),
        ("yamaha-rtx", "branch-kita.conf", "LoginPassw0rd"),
        ("yamaha-rtx", "branch-kita.conf", "AdminPassw0rd"),
        ("yamaha-rtx", "branch-kita.conf", "StaffPassw0rd"),
        ("yamaha-rtx", "branch-kita.conf", "PppSecretWord"),
        ("yamaha-rtx", "branch-kita.conf", "TunnelPsk2025"),
        ("yamaha-rtx", "branch-kita.conf", "RtxCommunity2025"),
    ];
    for (vendor, config, secret) in secrets {
        let text = std::fs::read_to_string(fixture(vendor, config)).unwrap();
        assert!(text.contains(secret), "the fixture must hold {secret}");
        let v = Vendor::parse(vendor).unwrap();
        let out = render(&import_fixture(vendor, config), v, config);
        assert!(!out.contains(secret), "{secret} leaked:\n{out}");
    }
    // A secret in a command the importer does not know is not echoed either.
    let imported = ios("hostname r1\nfrobnicate secret-value-42\nkey-string HiddenKey99 more\n");
    let out = render(&imported, Vendor::CiscoIos, "r1.conf");
    assert!(
        !out.contains("secret-value-42") && !out.contains("HiddenKey99"),
        "{out}"
    );
    let imported = rtx("ip lan1 address 10.0.0.1/24\nwol send lan1 TopSecret77\n");
    assert!(!render(&imported, Vendor::YamahaRtx, "rtx.conf").contains("TopSecret77"));
}

#[test]
fn ios_wildcards_become_exact_address_sets() {
    let imported = ios(&conf(&[
        "interface Vlan10",
        " ip access-group A in",
        "!",
        "ip access-list extended A",
        " permit ip 10.1.0.0 0.0.255.255 any",
        " permit ip 10.2.0.7 0.0.3.0 any",
        " permit ip 10.3.9.9 0.0.0.255 any",
        " permit ip host 10.4.0.1 any",
        " permit ip 10.5.0.0 0.255.255.0 any",
    ]));
    assert_eq!(sources(&imported, 0, 0), ["10.1.0.0/16"]);
    // Non-contiguous: the .7 host of four consecutive /24s, exactly.
    assert_eq!(
        sources(&imported, 0, 1),
        ["10.2.0.7", "10.2.1.7", "10.2.2.7", "10.2.3.7"]
    );
    // Address bits under the wildcard are ignored, as IOS does.
    assert_eq!(sources(&imported, 0, 2), ["10.3.9.0/24"]);
    assert_eq!(sources(&imported, 0, 3), ["10.4.0.1"]);
    // Too many ranges (any second octet, any third): the permit is widened to the covering
    // range, with a warning.
    assert_eq!(sources(&imported, 0, 4), ["10.0.0.0-10.255.255.0"]);
    assert!(imported.warnings.iter().any(|w| w.line == 9
        && w.message.contains("non-contiguous wildcard")
        && w.message.contains("only allow more")));
}

#[test]
fn ios_port_operators() {
    let imported = ios(&conf(&[
        "interface Vlan10",
        " ip access-group P in",
        "!",
        "ip access-list extended P",
        " permit tcp any any eq www 443",
        " permit tcp any any neq 23",
        " permit udp any any lt 1024",
        " permit tcp any any gt 49151",
        " permit tcp any any range 6000 6063",
        " deny tcp any eq 20 any",
        " permit udp any range 1 5 any eq snmp",
    ]));
    let f = &imported.firewall.filters[0];
    assert_eq!(services(&imported, 0, 0), ["tcp/80", "tcp/443"]);
    assert_eq!(services(&imported, 0, 1), ["tcp/0-22", "tcp/24-65535"]);
    assert_eq!(services(&imported, 0, 2), ["udp/0-1023"]);
    assert_eq!(services(&imported, 0, 3), ["tcp/49152-65535"]);
    assert_eq!(services(&imported, 0, 4), ["tcp/6000-6063"]);
    // A deny on a source port cannot be expressed: it is left out (line 10); a permit on one is
    // kept without it (line 11).
    assert_eq!(f.rules.len(), 6);
    assert_eq!(services(&imported, 0, 5), ["udp/161"]);
    assert_eq!(f.rules[5].origin.as_deref(), Some("r1.conf:11"));
    let lines: Vec<usize> = imported.warnings.iter().map(|w| w.line).collect();
    assert!(
        lines.contains(&10) && lines.contains(&11),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn an_applied_acl_ends_in_an_implicit_deny() {
    let imported = ios(&conf(&[
        "interface Vlan10",
        " ip address 10.1.0.1 255.255.255.0",
        " ip access-group 101 in",
        "!",
        "access-list 101 permit tcp any any eq 443",
    ]));
    let fw = &imported.firewall;
    assert_eq!(fw.default, Action::Allow, "a router forwards by default");
    assert!(fw.rules.is_empty());
    assert_eq!(fw.filters.len(), 1);
    let f = &fw.filters[0];
    assert_eq!(
        (f.interface.value.as_str(), f.direction, f.default),
        ("Vlan10", Direction::In, Action::Deny)
    );
    assert!(!fw.stateful);
    assert_eq!(
        fw.interfaces[0].ip.as_ref().unwrap().value.to_string(),
        "10.1.0.1"
    );
}

#[test]
fn an_undefined_acl_filters_nothing_and_says_so() {
    let imported = ios(&conf(&[
        "interface Vlan10",
        " ip access-group NOPE out",
        "!",
    ]));
    assert!(imported.firewall.filters.is_empty());
    let w = imported.warnings.iter().find(|w| w.line == 2).unwrap();
    assert!(w.message.contains("NOPE") && w.message.contains("not defined"));
}

#[test]
fn unknown_lines_are_warned_with_their_line_numbers() {
    let imported = ios(&conf(&[
        "hostname r1",
        "frobnicate all",
        "interface Vlan10",
        " teleport on",
        "!",
    ]));
    let got: Vec<(usize, &str)> = imported
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("unsupported"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "unsupported command `frobnicate` ignored"),
            (
                4,
                "unsupported interface command `teleport` on Vlan10 ignored"
            ),
        ]
    );
    let imported = rtx("ip lan1 address 10.0.0.1/24\nteleport lan1 on\n");
    let w = imported
        .warnings
        .iter()
        .find(|w| w.message.starts_with("unsupported"))
        .unwrap();
    assert_eq!(w.line, 2);
    assert_eq!(w.message, "unsupported command `teleport` ignored");
}

#[test]
fn unreadable_entries_are_errors_with_line_and_column() {
    let map = map_of("r1", &[("Vlan10", "a")]);
    let text = "interface Vlan10\n ip access-group A in\nip access-list extended A\n permit tcp any 10.0.0.300 0.0.0.255\n";
    let e: ImportError = cisco_ios::import("r1.conf", text, &map).unwrap_err();
    assert_eq!((e.line, e.column), (4, 17), "{e:?}");
    assert!(e.message.contains("10.0.0.300"));
    let map = map_of("rtx", &[("lan1", "a")]);
    let text = "ip lan1 secure filter in 1\nip filter 1 pass * * tcp * wwww-\n";
    let e = yamaha_rtx::import("rtx.conf", text, &map);
    // An unknown port name is approximated (warned), never an error.
    assert!(e.is_ok());
    let text = "ip lan1 secure filter in 1\nip filter 1 allow * *\n";
    let e = yamaha_rtx::import("rtx.conf", text, &map).unwrap_err();
    assert_eq!((e.line, e.column), (2, 13));
    assert!(cisco_ios::import("x", "ip filter 1 pass * *\n", &map).is_err());
    // A group that contains itself is no configuration IOS wrote: an error when an applied
    // ACL uses it, a warning otherwise.
    let mut lines = vec![
        "interface Vlan10",
        " ip access-group A in",
        "object-group network G1",
        " group-object G2",
        "object-group network G2",
        " group-object G1",
    ];
    let map = map_of("r1", &[("Vlan10", "a"), ("Vlan20", "b")]);
    let unused = cisco_ios::import("r1.conf", &conf(&lines), &map).unwrap();
    assert!(
        unused
            .warnings
            .iter()
            .any(|w| w.line == 3 && w.message.contains("contains itself"))
    );
    lines.extend([
        "ip access-list extended A",
        " permit ip object-group G1 any",
    ]);
    let e = cisco_ios::import("r1.conf", &conf(&lines), &map).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("contains itself"), "{e:?}");
    // Each importer refuses the other vendor's configuration instead of warning on every line.
    let ios_text = std::fs::read_to_string(fixture("cisco-ios", "core-l3sw.conf")).unwrap();
    let rtx_text = std::fs::read_to_string(fixture("yamaha-rtx", "branch-kita.conf")).unwrap();
    let e = cisco_ios::import("x", &rtx_text, &map).unwrap_err();
    assert!(e.message.contains("Cisco IOS"), "{e:?}");
    let e = yamaha_rtx::import("x", &ios_text, &map).unwrap_err();
    assert!(e.message.contains("YAMAHA RTX"), "{e:?}");
}

#[test]
fn rtx_wrapped_lines_are_rejoined() {
    let imported = import_fixture("yamaha-rtx", "branch-kita.conf");
    // Line 17 wraps in the middle of `dynamic`; the list still has all thirteen filters, the
    // rules name their own definition lines, and the dynamic filters are seen.
    let lan1_in = &imported.firewall.filters[0];
    assert_eq!(
        (lan1_in.interface.value.as_str(), lan1_in.direction),
        ("lan1", Direction::In)
    );
    assert_eq!(lan1_in.rules.len(), 12, "thirteen filters, 110 left out");
    assert_eq!(
        lan1_in.rules[11].origin.as_deref(),
        Some("branch-kita.conf:59")
    );
    assert!(
        !imported.warnings.iter().any(|w| w.line == 18),
        "no stray `amic` line"
    );
    assert!(imported.firewall.stateful);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.line == 17 && w.message.contains("dynamic filters 900 901 on lan1 in"))
    );
}

/// The NVR fixture, as `show config` printed it (wrapped one column short of the console width,
/// mid-word) or as a saved file has it (one command per line), imported under one name so the
/// two can be compared.
fn nvr(config: &str) -> Imported {
    let text = std::fs::read_to_string(fixture("yamaha-rtx", config)).unwrap();
    let map = mapping(&fixture("yamaha-rtx", "nvr.map.toml"));
    yamaha_rtx::import("nvr.conf", &text, &map).unwrap()
}

/// The firewall as written, with the configuration line numbers taken out of origins and
/// approximations (a wrapped file has more lines).
fn without_lines(imported: &Imported) -> String {
    let text = sansou::import::to_toml(imported, Vendor::YamahaRtx, "nvr.conf");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("nvr.conf:") {
        out.push_str(&rest[..i + "nvr.conf:".len()]);
        rest = rest[i + "nvr.conf:".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('_');
    }
    out.push_str(rest);
    out
}

#[test]
fn rtx_wrapped_at_79_columns_imports_like_the_unwrapped_file() {
    let wrapped = nvr("nvr-wrapped.conf");
    let unwrapped = nvr("nvr-unwrapped.conf");
    assert_eq!(without_lines(&wrapped), without_lines(&unwrapped));
    // The tails of the wrapped lists are there: the last static filters and the dynamic ones.
    let fw = &wrapped.firewall;
    let lan1_in = fw
        .filters
        .iter()
        .find(|f| f.interface.value == "lan1" && f.direction == Direction::In)
        .unwrap();
    let last = lan1_in.rules.last().unwrap();
    assert_eq!(
        last.action,
        Action::Allow,
        "`200099 pass * * * * *` ends the list"
    );
    assert!(fw.stateful, "the dynamic filters after the wrap are seen");
    assert!(
        !wrapped
            .warnings
            .iter()
            .any(|w| w.message.contains("unsupported")),
        "no continuation read as a command: {:?}",
        wrapped.warnings
    );
    // Rules point at the first physical line of their command in each file.
    let pp_in = fw
        .filters
        .iter()
        .find(|f| f.interface.value == "pp1" && f.direction == Direction::In)
        .unwrap();
    assert_eq!(
        pp_in.rules.last().unwrap().action,
        Action::Deny,
        "200199 reject"
    );
    insta::assert_snapshot!(
        "rtx-nvr-wrapped",
        render(&wrapped, Vendor::YamahaRtx, "nvr.conf")
    );
}

#[test]
fn rtx_embedded_files_are_data_not_commands() {
    let imported = nvr("nvr-wrapped.conf");
    let text = std::fs::read_to_string(fixture("yamaha-rtx", "nvr-wrapped.conf")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let open = lines
        .iter()
        .position(|l| l.starts_with("embedded file"))
        .unwrap()
        + 1;
    let close = open + lines[open..].iter().position(|l| *l == "EOF").unwrap() + 1;
    // Nothing inside the Lua script is read: not its `ip filter 1`, not its `pp select 2`.
    assert!(
        !imported
            .warnings
            .iter()
            .any(|w| (open..=close).contains(&w.line)),
        "{:?}",
        imported.warnings
    );
    assert!(
        !imported
            .firewall
            .interfaces
            .iter()
            .any(|i| i.name.as_deref() == Some("pp2"))
    );
    // An embedded file that is never closed swallows the rest, with a warning.
    let open_only =
        rtx("ip lan1 address 10.0.0.1/24\nembedded file 1 <<END\nip lan2 address 10.0.1.1/24\n");
    assert!(
        open_only
            .warnings
            .iter()
            .any(|w| w.line == 2 && w.message.contains("`END`"))
    );
    assert!(
        open_only
            .firewall
            .interfaces
            .iter()
            .all(|i| i.ip.is_none() || i.name.as_deref() == Some("lan1"))
    );
}

#[test]
fn rtx_filter_names_resolve_through_the_mapping() {
    let imported = nvr("nvr-unwrapped.conf");
    let lan1_in = &imported
        .firewall
        .filters
        .iter()
        .find(|f| f.interface.value == "lan1" && f.direction == Direction::In)
        .unwrap()
        .rules;
    // `ntp.example.jp` is in the mapping's [fqdn]: exact, no approximation.
    let ntp = lan1_in
        .iter()
        .find(|r| r.to.iter().any(|t| t.value.to_string() == "203.0.113.123"))
        .unwrap();
    assert_eq!(ntp.approximation, None);
    // `update.example.jp` is not: its reject is left out, and the pass-all after it says so.
    let last = lan1_in.last().unwrap();
    let approx = last.approximation.as_deref().unwrap();
    assert!(approx.contains("update.example.jp"), "{approx}");
}

#[test]
fn rtx_protocol_star_with_ports_matches_other_protocols_whatever_the_ports() {
    let imported = rtx("ip lan1 secure filter in 1\nip filter 1 reject * * * * 135\n");
    let s = services(&imported, 0, 0);
    assert_eq!(s.len(), 256, "tcp/135, udp/135 and the 254 other protocols");
    assert!(s.contains(&"tcp/135".to_string()) && s.contains(&"icmp".to_string()));
    assert!(!s.contains(&"tcp".to_string()));
}

#[test]
fn rtx_list_without_defined_filters_passes_everything() {
    let imported = rtx(&conf(&[
        "ip lan1 secure filter in 7 dynamic 9",
        "ip lan1 secure filter out 1",
        "ip filter 1 pass * * tcp * www",
    ]));
    let f = &imported.firewall.filters;
    assert_eq!(
        f.len(),
        1,
        "filter 7 is not defined: nothing is filtered in"
    );
    assert_eq!(f[0].direction, Direction::Out);
    assert_eq!(f[0].default, Action::Deny, "the implicit reject");
    assert!(
        !imported.firewall.stateful,
        "dynamic filter 9 is not defined"
    );
}

#[test]
fn truncated_lines_never_panic() {
    // Every line of both fixtures cut after each of its words: the importers answer with a
    // model or an error, never a panic.
    for (vendor, config) in [
        ("cisco-ios", "core-l3sw.conf"),
        ("yamaha-rtx", "branch-kita.conf"),
    ] {
        let text = std::fs::read_to_string(fixture(vendor, config)).unwrap();
        let map = mapping(&fixture(vendor, "map.toml"));
        let import = Vendor::parse(vendor).unwrap().importer();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let words: Vec<&str> = line.split(' ').collect();
            for k in 0..words.len() {
                let mut cut = lines.clone();
                let short = words[..k].join(" ");
                cut[i] = &short;
                let _ = import(config, &cut.join("\n"), &map);
            }
        }
    }
}

// Reachability: the imported firewall merged with a hand-written design.

fn design_with(vendor: &str, config: &str, dir: &str) -> Topology {
    let imported = import_fixture(vendor, config);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(fixture(vendor, "design.toml"), out.join("design.toml")).unwrap();
    let topo = Topology {
        firewalls: vec![imported.firewall],
        ..Topology::default()
    };
    std::fs::write(out.join("device.toml"), to_toml(&topo)).unwrap();
    let loaded = load_topology(&out).unwrap();
    assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
    loaded.value
}

fn reached(reach: &mut Reachability<'_>, from: &str, to: &str, service: &str) -> bool {
    let from = Selector::parse(from).unwrap();
    let to = Selector::parse(to).unwrap();
    let services = [Service::parse(service).unwrap()];
    !pairs(
        reach,
        &Query {
            from: &from,
            to: &to,
            services: &services,
        },
    )
    .unwrap()
    .is_empty()
}

#[test]
fn ios_acls_block_what_the_switch_blocks() {
    let topo = design_with("cisco-ios", "core-l3sw.conf", "import-ios-design");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // LG-OFFICE-IN denies the LGWAN side anything towards 10.10.0.0/16.
    assert!(!reached(&mut r, "host:lg-pc", "host:juki-db", "tcp/1521"));
    assert!(reached(&mut r, "host:lg-pc", "host:fs", "tcp/445"));
    assert!(!reached(&mut r, "host:lg-pc", "host:fs", "tcp/22"));
    // MN-OFFICE-IN is not defined (no filter), MN-SERVERS-OUT lets 1521 through, not SMB.
    assert!(reached(&mut r, "host:mn-pc", "host:juki-db", "tcp/1521"));
    assert!(!reached(&mut r, "host:mn-pc", "host:juki-db", "tcp/445"));
    // From the LGWAN, 110 lets SMTP to the mail relay only.
    assert!(reached(
        &mut r,
        "external:lgwan",
        "host:mail-relay",
        "tcp/25"
    ));
    assert!(!reached(&mut r, "external:lgwan", "host:fs", "tcp/445"));
}

#[test]
fn rtx_filters_block_what_the_router_blocks() {
    let topo = design_with("yamaha-rtx", "branch-kita.conf", "import-rtx-design");
    let mut r = Reachability::compute(sansou::load::validate(&topo).unwrap());
    // Nothing opens a connection from the internet into the branch (pp1 in ends in 399).
    assert!(!reached(
        &mut r,
        "external:internet",
        "host:kita-pc",
        "tcp/3389"
    ));
    // The main office reaches the branch PCs over RDP (filter 140 in lan2 and out lan1).
    assert!(reached(
        &mut r,
        "external:closed-wan",
        "host:kita-pc",
        "tcp/3389"
    ));
    assert!(!reached(
        &mut r,
        "external:closed-wan",
        "host:kita-pc",
        "tcp/445"
    ));
    // The branch reaches the file server's SMB, not its RPC endpoint mapper (111 rejects).
    assert!(reached(&mut r, "host:kita-pc", "10.20.20.10", "tcp/445"));
    assert!(!reached(&mut r, "host:kita-pc", "10.20.20.10", "tcp/135"));
}

/// After `sansou import yamaha-rtx`, `sansou check` findings about imported rules point at the
/// router configuration line: in text, in JSON (`location.origin`) and in SARIF (the result's
/// location is the configuration file, the generated topology a related location).
#[test]
fn rtx_findings_point_at_the_configuration_line() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sansou"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let dir = std::env::temp_dir().join(format!("sansou-rtx-origin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        fixture("yamaha-rtx", "design.toml"),
        dir.join("design.toml"),
    )
    .unwrap();
    let conf = "tests/fixtures/import/yamaha-rtx/branch-kita.conf";
    let out = dir.to_str().unwrap();
    let imported = run(&[
        "import",
        "yamaha-rtx",
        conf,
        "--map",
        "tests/fixtures/import/yamaha-rtx/map.toml",
        "--output",
        out,
    ]);
    assert_eq!(imported.status.code(), Some(0));

    let check = run(&["check", out, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let origins: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["origin"].as_str())
        .collect();
    assert!(!origins.is_empty(), "no finding names a configuration line");
    assert!(
        origins.iter().all(|o| o.starts_with(&format!("{conf}:"))),
        "{origins:?}"
    );

    let text = run(&["check", out, "--lang", "en"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(&format!("(from {conf}:")));

    let sarif = run(&["check", out, "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let at_config = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("branch-kita.conf"))
        })
        .count();
    assert_eq!(at_config, origins.len());
    let _ = std::fs::remove_dir_all(&dir);
}

// The shapes of real IOS files: the zone-based firewall, CBAC, split interface blocks, unused
// object-groups, `network-object` entries.

/// What the imported device does with one packet: the in filter of the interface it enters,
/// the policy list, the out filter of the interface it leaves; first match, then the default.
fn device_decides(
    fw: &sansou::model::Firewall,
    src: &str,
    dst: &str,
    service: &str,
    inif: &str,
    outif: &str,
) -> (Action, Option<String>) {
    use sansou::model::Rule;
    let ip = |s: &str| u32::from(s.parse::<std::net::Ipv4Addr>().unwrap());
    let (src, dst) = (ip(src), ip(dst));
    let Service::Proto { proto, ports } = Service::parse(service).unwrap() else {
        unreachable!()
    };
    let matches = |r: &Rule| {
        let sel = |list: &[sansou::model::At<Selector>], a: u32| {
            list.iter().any(|s| match &s.value {
                Selector::Any => true,
                Selector::Addr(r) => r.contains_addr(a),
                other => panic!("imported rules use addresses only, found {other}"),
            })
        };
        let svc = r.services.iter().any(|s| match s.value {
            Service::Any => true,
            Service::Proto { proto: q, ports: p } => {
                q == proto
                    && (!sansou::model::service::has_ports(q)
                        || (p.first..=p.last).contains(&ports.first))
            }
        });
        let intf = |list: &[sansou::model::At<String>], n: &str| {
            list.is_empty() || list.iter().any(|i| i.value == n)
        };
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
    for (name, dir) in [(inif, Direction::In)] {
        if let Some(f) = fw
            .filters
            .iter()
            .find(|f| f.interface.value == name && f.direction == dir)
        {
            let d = list(&f.rules, f.default);
            if d.0 == Action::Deny {
                return d;
            }
        }
    }
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

fn zbf_branch() -> Imported {
    let text = std::fs::read_to_string(fixture("cisco-ios", "branch-zbf.conf")).unwrap();
    let map = mapping(&fixture("cisco-ios", "branch-zbf.map.toml"));
    cisco_ios::import("branch-zbf.conf", &text, &map).unwrap()
}

#[test]
fn ios_zone_based_firewall_is_read_with_its_semantics() {
    let imported = zbf_branch();
    let fw = &imported.firewall;
    let text = std::fs::read_to_string(fixture("cisco-ios", "branch-zbf.conf")).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let at = |needle: &str| Some(format!("branch-zbf.conf:{}", line(needle)));
    let (inet, lan, dmz) = (
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "GigabitEthernet0/0/2",
    );
    let cases = [
        // INSIDE → OUTSIDE: PM-IN-TO-OUT, classes in order, then class-default drop.
        (
            ("10.40.1.20", "198.51.100.7", "tcp/445", lan, inet),
            (Action::Deny, at("permit tcp any any eq 445")),
        ),
        (
            ("10.40.1.20", "198.51.100.7", "tcp/80", lan, inet),
            (Action::Allow, at("match protocol http")),
        ),
        (
            ("10.40.1.20", "198.51.100.7", "tcp/8080", lan, inet),
            (Action::Allow, at("match protocol http")),
        ),
        (
            ("10.40.1.20", "198.51.100.7", "udp/53", lan, inet),
            (Action::Allow, at("match protocol dns")),
        ),
        (
            ("10.40.1.20", "198.51.100.7", "icmp", lan, inet),
            (Action::Allow, at("match protocol icmp")),
        ),
        (
            ("10.40.1.20", "198.51.100.7", "tcp/22", lan, inet),
            (
                Action::Deny,
                Some(format!(
                    "branch-zbf.conf:{}",
                    line("class class-default") + 1
                )),
            ),
        ),
        // INSIDE → DMZ: the ACL's deny entry takes .250's SSH out of the class.
        (
            ("10.40.1.20", "10.40.9.10", "tcp/22", lan, dmz),
            (Action::Allow, at("20 permit tcp object-group BRANCH-PCS")),
        ),
        (
            ("10.40.1.250", "10.40.9.10", "tcp/22", lan, dmz),
            (Action::Deny, None),
        ),
        (
            ("10.40.1.250", "10.40.9.11", "tcp/443", lan, dmz),
            (Action::Allow, at("20 permit tcp object-group BRANCH-PCS")),
        ),
        (
            ("10.40.1.20", "10.40.9.10", "tcp/3389", lan, dmz),
            (Action::Deny, None),
        ),
        // OUTSIDE → DMZ: match-all of the ACL and `match protocol tcp`.
        (
            ("198.51.100.7", "10.40.9.11", "tcp/443", inet, dmz),
            (Action::Allow, at("10 permit object-group WEB-PORTS")),
        ),
        (
            ("198.51.100.7", "10.40.9.25", "tcp/25", inet, dmz),
            (Action::Allow, at("host 10.40.9.25 eq smtp")),
        ),
        (
            ("198.51.100.7", "10.40.9.10", "tcp/22", inet, dmz),
            (Action::Deny, None),
        ),
        // No zone-pair from OUTSIDE to INSIDE; a zone-pair without a policy from DMZ out.
        (
            ("198.51.100.7", "10.40.1.20", "tcp/443", inet, lan),
            (Action::Deny, None),
        ),
        (
            ("10.40.9.10", "198.51.100.7", "tcp/443", dmz, inet),
            (Action::Deny, at("zone-pair security ZP-DMZ-OUT")),
        ),
        // The interface ACL still applies: DMZ → LAN is dropped by it first.
        (
            ("10.40.9.10", "10.40.1.20", "tcp/443", dmz, lan),
            (Action::Deny, at("10 deny   ip any 10.40.1.0")),
        ),
    ];
    for ((src, dst, svc, i, o), want) in cases {
        let got = device_decides(fw, src, dst, svc, i, o);
        // The default carries no origin; a class-default names its line.
        let got = (got.0, if want.1.is_none() { None } else { got.1 });
        assert_eq!(got, want, "{src} → {dst} {svc} ({i} → {o})");
    }
    assert!(fw.stateful, "`inspect` classes keep state");
    assert_eq!(fw.default, Action::Deny);
    insta::assert_snapshot!(
        "ios-branch-zbf",
        render(&imported, Vendor::CiscoIos, "branch-zbf.conf")
    );
}

#[test]
fn ios_zone_based_firewall_validates_and_decides_reachability() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zbf-design");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(
        fixture("cisco-ios", "branch-zbf.design.toml"),
        out.join("design.toml"),
    )
    .unwrap();
    let topo = Topology {
        firewalls: vec![zbf_branch().firewall],
        ..Topology::default()
    };
    std::fs::write(out.join("device.toml"), to_toml(&topo)).unwrap();
    let loaded = load_topology(&out).unwrap();
    // Two `interface GigabitEthernet0/0/2` blocks are one interface: no "two filters" error.
    assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
    let topo = loaded.value;
    let mut reach = Reachability::compute(sansou::load::validate(&topo).unwrap());
    assert!(reached(
        &mut reach,
        "host:nishi-pc",
        "external:internet",
        "tcp/443"
    ));
    assert!(!reached(
        &mut reach,
        "host:nishi-pc",
        "external:internet",
        "tcp/445"
    ));
    assert!(reached(
        &mut reach,
        "external:internet",
        "host:nishi-web",
        "tcp/443"
    ));
    assert!(!reached(
        &mut reach,
        "external:internet",
        "host:nishi-pc",
        "tcp/443"
    ));
    assert!(!reached(
        &mut reach,
        "host:nishi-web",
        "external:internet",
        "tcp/443"
    ));
}

#[test]
fn ios_xe_default_zone_holds_the_interfaces_in_no_zone() {
    let lines = [
        "zone security default",
        "zone security IN",
        "interface Vlan10",
        " zone-member security IN",
        "interface Vlan20",
    ];
    let imported = ios(&conf(&lines));
    let fw = &imported.firewall;
    assert_eq!(fw.default, Action::Deny);
    // Vlan20 is in `default`, Vlan10 in IN, and no zone-pair joins them: nothing passes.
    assert!(
        fw.rules.iter().all(|r| r.action == Action::Deny || {
            let i: Vec<&str> = r.in_interfaces.iter().map(|x| x.value.as_str()).collect();
            let o: Vec<&str> = r.out_interfaces.iter().map(|x| x.value.as_str()).collect();
            i == o
        }),
        "{:?}",
        fw.rules
    );
    // Without `zone security default`, Vlan20 is in no zone: still dropped towards a zone.
    let without = ios(&conf(&lines[1..]));
    assert_eq!(without.firewall.default, Action::Deny);
}

#[test]
fn ios_split_interface_blocks_merge_as_on_the_device() {
    let imported = zbf_branch();
    let fw = &imported.firewall;
    let dmz: Vec<_> = fw
        .interfaces
        .iter()
        .filter(|i| i.name.as_deref() == Some("GigabitEthernet0/0/2"))
        .collect();
    assert_eq!(dmz.len(), 1, "one interface for the two blocks");
    assert_eq!(
        dmz[0].ip.as_ref().map(|a| a.value.to_string()).as_deref(),
        Some("10.40.9.1"),
        "the address from the first block"
    );
    assert_eq!(
        fw.filters.len(),
        1,
        "the access-group from the second block"
    );
    // Two blocks naming the same access-group direction: the later one wins, one filter.
    let twice = ios(&conf(&[
        "interface Vlan10",
        " ip access-group A in",
        "interface Vlan20",
        "interface Vlan10",
        " ip access-group B in",
        "ip access-list extended A",
        " permit ip any any",
        "ip access-list extended B",
        " deny ip any any",
    ]));
    let f: Vec<_> = twice
        .firewall
        .filters
        .iter()
        .filter(|f| f.interface.value == "Vlan10")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rules[0].action, Action::Deny);
    let order: Vec<_> = twice
        .firewall
        .interfaces
        .iter()
        .filter_map(|i| i.name.clone())
        .collect();
    assert_eq!(
        order,
        ["Vlan10", "Vlan20"],
        "the interface keeps its first place"
    );
}

#[test]
fn ios_object_groups_no_acl_uses_do_not_stop_the_import() {
    let imported = zbf_branch();
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("object-group OLD-SERVERS")
                && w.message.contains("no applied ACL uses it"))
    );
    // The same group used by an applied ACL is an error at the group's bad line.
    let e = cisco_ios::import(
        "r1.conf",
        &conf(&[
            "object-group network OLD",
            " group-object MISSING",
            "interface Vlan10",
            " ip access-group A in",
            "ip access-list extended A",
            " permit ip object-group OLD any",
        ]),
        &map_of("r1", &[("Vlan10", "a"), ("Vlan20", "b")]),
    )
    .unwrap_err();
    assert_eq!(e.line, 2, "{e:?}");
    // `network-object` entries read like the plain ones.
    let imported = ios(&conf(&[
        "object-group network NETS",
        " network-object host 10.0.0.1",
        " network-object 10.1.0.0 255.255.0.0",
        " network-object 10.2.0.0/16",
        "object-group service SVCS",
        " service-object tcp destination eq 443",
        "interface Vlan10",
        " ip access-group A in",
        "ip access-list extended A",
        " permit object-group SVCS object-group NETS any",
    ]));
    assert_eq!(
        sources(&imported, 0, 0),
        ["10.0.0.1", "10.1.0.0-10.2.255.255"]
    );
    assert_eq!(services(&imported, 0, 0), ["tcp/443"]);
}

#[test]
fn ios_cbac_makes_the_device_stateful_only_where_an_interface_inspects() {
    let defined_only = ios(&conf(&[
        "ip inspect name FW tcp",
        "ip inspect name FW udp",
        "ip inspect name FW ftp",
        "interface Vlan10",
        " ip access-group A in",
        "ip access-list extended A",
        " permit tcp any any eq 443",
    ]));
    assert!(!defined_only.firewall.stateful, "no interface applies FW");
    let text = sansou::import::common::warnings_text(
        "r1.conf",
        &defined_only.warnings,
        sansou::import::common::Shown::Grouped(40),
    );
    assert!(
        text.contains("`ip inspect` (CBAC) not modelled: 3 lines, first at r1.conf:1"),
        "{text}"
    );
    let applied = ios(&conf(&[
        "ip inspect name FW tcp",
        "interface Vlan10",
        " ip inspect FW in",
        " ip access-group A in",
        "ip access-list extended A",
        " permit tcp any any eq 443",
    ]));
    assert!(applied.firewall.stateful);
    assert!(
        applied
            .warnings
            .iter()
            .any(|w| w.line == 3 && w.message.contains("`ip inspect FW in` on Vlan10"))
    );
}
