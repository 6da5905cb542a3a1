//! The bundled samples are what users read first: every one must load without a problem.

use sansou::diag::render_all;
use sansou::load::{load_inputs, load_topology};
use std::path::{Path, PathBuf};

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn every_sample_topology_validates_without_diagnostics() {
    let samples = files("topologies", "toml");
    assert!(samples.len() >= 3, "the three sample designs are missing");
    for path in samples.into_iter().chain(files("topologies", "json")) {
        let loaded = load_topology(&path).unwrap();
        assert!(
            loaded.diagnostics.items.is_empty(),
            "{}:\n{}",
            path.display(),
            render_all(&loaded.sources, &loaded.diagnostics)
        );
        let topo = &loaded.value;
        assert!(
            topo.host_count() >= 20,
            "{}: a sample has tens of hosts",
            path.display()
        );
        assert!(
            topo.firewalls.len() >= 2,
            "{}: several firewalls",
            path.display()
        );
    }
}

#[test]
fn every_policy_validates_against_the_sample_of_its_model() {
    let policies = files("policies", "toml");
    assert!(policies.len() >= 4, "one policy per built-in profile");
    for policy in policies {
        let name = policy.file_stem().unwrap().to_string_lossy().to_string();
        let topology = if name.starts_with("beta") {
            "topologies/beta-town.toml"
        } else if name == "alpha-prime" {
            "topologies/alpha-prime-city.toml"
        } else {
            "topologies/alpha-city.toml"
        };
        let topology = Path::new(env!("CARGO_MANIFEST_DIR")).join(topology);
        let inputs = load_inputs(&topology, Some(&policy)).unwrap();
        assert!(
            !inputs.diagnostics.has_errors(),
            "{name}:\n{}",
            render_all(&inputs.sources, &inputs.diagnostics)
        );
        assert!(
            inputs.policy.unwrap().profile.is_some(),
            "{name} names its profile"
        );
    }
}

/// The model's Debug text with every location removed: what remains is the content.
fn content(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Loc {") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').unwrap();
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn json_and_toml_forms_of_a_sample_load_to_the_same_model() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("topologies");
    let toml = load_topology(&dir.join("alpha-city.toml")).unwrap();
    let json = load_topology(&dir.join("alpha-city.json")).unwrap();
    assert!(!json.diagnostics.has_errors());
    let (a, b) = (
        content(&format!("{:#?}", toml.value)),
        content(&format!("{:#?}", json.value)),
    );
    assert!(a.len() > 10_000, "the sample has content");
    assert_eq!(a, b);
}

#[test]
fn json_and_toml_forms_of_nat_entries_load_to_the_same_model() {
    use sansou::load::Syntax;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach/nat-edge.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let decode = |text: String, syntax: Syntax| {
        let mut sources = sansou::source::SourceMap::default();
        let mut diags = sansou::diag::Diagnostics::default();
        let file = sources.add("nat-edge", text);
        let topo = sansou::load::decode_topology(&[(file, syntax)], &sources, &mut diags);
        assert!(!diags.has_errors());
        content(&format!("{:#?}", topo.firewalls))
    };
    let (a, b) = (decode(text, Syntax::Toml), decode(json, Syntax::Json));
    assert!(a.contains("Destination") && a.contains("Masquerade"));
    assert_eq!(a, b);
}

/// Runs `check` on a sample with a policy (or the topology's own model) and returns the
/// standing findings as (code, subject, level).
fn check(topology: &str, policy: Option<&str>) -> Vec<(String, String, String)> {
    use sansou::rules::{Context, engine};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = policy.map(|p| root.join(p));
    let inputs = load_inputs(&root.join(topology), policy.as_deref()).unwrap();
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = Context::new(inputs.checked().unwrap(), &policy);
    let opts = engine::RunOptions {
        one_lane: false,
        only: None,
        today: "2026-04-01".into(),
        since: None,
    };
    let result = engine::run(&mut cx, &opts);
    result
        .findings
        .iter()
        .filter(|f| f.exception.is_none())
        .map(|f| {
            (
                f.code.clone(),
                f.subject.clone(),
                f.level.as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_compliant_alpha_city_has_no_deny_level_finding() {
    for (topology, policy) in [
        ("topologies/alpha-city.toml", "policies/alpha.toml"),
        (
            "topologies/alpha-prime-city.toml",
            "policies/alpha-prime.toml",
        ),
        ("topologies/beta-town.toml", "policies/beta.toml"),
        ("topologies/beta-town.toml", "policies/beta-prime.toml"),
    ] {
        let findings = check(topology, Some(policy));
        assert!(
            findings.is_empty(),
            "{topology} with {policy}: {findings:#?}"
        );
    }
}

#[test]
fn the_2015_pension_service_network_fails_where_the_reports_say() {
    let findings = check("topologies/jps-2015.toml", None);
    let has = |code: &str, subject: &str| {
        findings
            .iter()
            .any(|(c, s, level)| c == code && s == subject && level == "deny")
    };
    // Data copied out of the core system onto the internet-connected file server, by media.
    assert!(has("DATA-001", "store:kyoyu-nopass"), "{findings:#?}");
    assert!(has("MN-001", "flow:core-extract"));
    // 550,000 records without a password.
    assert!(has("DATA-003", "store:kyoyu-nopass"));
    assert!(has("DATA-004", "store:kyoyu-nopass"));
    // One local administrator password on every terminal; a domain admin on terminals.
    assert!(has("CRED-002", "account:local-admin-shared"));
    assert!(has("CRED-001", "account:domain-admin"));
    // Terminals reach the internet directly, with no security cloud and no isolation point.
    assert!(has("IR-002", "host:honbu-pc"));
    assert!(has("IN-001", "host:kyoyu-fs->external:internet"));
    assert!(has("IR-003", "fw-internet"));
}

/// A sample with one fact changed (the first occurrence of `from` replaced by `to`), checked
/// with its policy: the standing findings.
fn variant(topology: &str, policy: &str, from: &str, to: &str) -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(topology)).unwrap();
    assert!(text.contains(from), "{topology} has no `{from}`");
    let dir = std::env::temp_dir().join(format!("sansou-variant-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.toml", from.len() + 1000 * to.len()));
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    let found = check(file.to_str().unwrap(), Some(policy));
    let _ = std::fs::remove_file(&file);
    found
}

#[test]
fn each_new_rule_family_fails_a_variant_of_the_samples() {
    const ALPHA: (&str, &str) = ("topologies/alpha-city.toml", "policies/alpha.toml");
    const PRIME: (&str, &str) = (
        "topologies/alpha-prime-city.toml",
        "policies/alpha-prime.toml",
    );
    const BETA: (&str, &str) = ("topologies/beta-town.toml", "policies/beta.toml");
    let cases = [
        (
            ALPHA,
            "nac = \"802.1x\"",
            "nac = \"none\"",
            "MN-007",
            "segment:mn-office",
        ),
        (
            ALPHA,
            "line = \"closed\"",
            "line = \"internet-vpn\"",
            "EXT-005",
            "external:gov-cloud",
        ),
        (
            ALPHA,
            "registration = ",
            "description = ",
            "LG-006",
            "denshi-shinsei",
        ),
        (
            ALPHA,
            "segment = \"lg-office\"\nauth = \"enterprise\"\nname = \"職員用無線LAN (本庁舎)\"",
            "segment = \"mn-office\"\nauth = \"enterprise\"\nname = \"職員用無線LAN (本庁舎)\"",
            "NET-003",
            "staff-wifi",
        ),
        (
            ALPHA,
            "kind = \"vendor-maintenance\"\nsegment = \"mgmt-ops\"\nmfa = true",
            "kind = \"vendor-maintenance\"\nsegment = \"mgmt-ops\"\nmfa = false",
            "IN-005",
            "vendor-hoshu",
        ),
        (
            ALPHA,
            "retention_days = 400",
            "retention_days = 90",
            "MON-001",
            "fw-mn",
        ),
        (
            ALPHA,
            "confidentiality = 3",
            "confidentiality = 1",
            "DATA-002",
            "juki-db",
        ),
        (
            ALPHA,
            "shared = false",
            "shared = true",
            "CRED-003",
            "mn-domain-admin",
        ),
        (
            PRIME,
            "assurance = \"ismap\"\ntenant_restriction",
            "assurance = \"none\"\ntenant_restriction",
            "AP-002",
            "office-suite",
        ),
        (BETA, "csirt = true", "csirt = false", "BT-002", "org"),
    ];
    for ((topology, policy), from, to, code, subject) in cases {
        let found = variant(topology, policy, from, to);
        assert!(
            found.iter().any(|(c, s, _)| c == code && s == subject),
            "{code} {subject} in {topology} with `{to}`: {found:#?}"
        );
    }
}
