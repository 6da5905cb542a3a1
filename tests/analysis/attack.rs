//! Attack paths (docs/SEMANTICS.md, docs/ATTACK.md): one hand-made fixture per kind of step, the samples' stories
//! (the 2015 pension breach is found; the compliant α city keeps My Number data out of reach),
//! what-if questions, and the smallest fix checked by running the analysis again on the fixed
//! design, and against every single change a user could make.

use sansou::analysis::attack::{self, Attack, Change, Options, fix::ListRef};
use sansou::analysis::reach::Reachability;
use sansou::load::load_inputs;
use sansou::model::policy::Policy;
use sansou::model::{AccountId, FirewallId, GatewayId, HostId, StoreId, Tier, Topology};
use std::path::Path;
use std::process::Command;

fn path(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn load(rel: &str) -> (Topology, Policy) {
    let inputs = load_inputs(&path(rel), None).unwrap();
    assert!(!inputs.diagnostics.has_errors(), "{rel} does not load");
    (inputs.topology, inputs.policy.unwrap_or_default())
}

fn analyze(topo: &Topology, policy: &Policy, assumed: &[&str], fixes: bool) -> Attack {
    let assume_compromised = assumed
        .iter()
        .map(|id| {
            topo.host_index(id)
                .map(HostId)
                .unwrap_or_else(|| panic!("no host {id}"))
        })
        .collect();
    let mut reach = Reachability::compute(sansou::load::validate(topo).unwrap());
    attack::analyze(
        &mut reach,
        policy,
        &Options {
            assume_compromised,
            fixes,
            ..Options::default()
        },
    )
}

fn exposure<'a>(topo: &Topology, attack: &'a Attack, store: &str) -> &'a attack::StoreExposure {
    attack
        .stores
        .iter()
        .find(|e| topo.stores[e.store].id == store)
        .unwrap_or_else(|| panic!("store {store} is not among the personal-data stores"))
}

/// The path to a store as `kind host` words.
fn steps(topo: &Topology, attack: &Attack, store: &str) -> Vec<String> {
    exposure(topo, attack, store)
        .steps
        .iter()
        .map(|s| format!("{} {}", s.kind().word(), topo.hosts[s.host()].id))
        .collect()
}

fn readable(topo: &Topology, policy: &Policy, store: &str) -> bool {
    let attack = analyze(topo, policy, &[], false);
    exposure(topo, &attack, store).readable()
}

#[test]
fn phishing_harvest_lateral_read_relay_and_out() {
    let (topo, policy) = load("tests/fixtures/attack/phishing-to-file-server.toml");
    let attack = analyze(&topo, &policy, &[], false);
    assert_eq!(
        steps(&topo, &attack, "share"),
        [
            "entry inet-pc",
            "harvest inet-pc",
            "lateral fs",
            "read fs",
            "relay inet-pc",
            "exfiltrate inet-pc"
        ]
    );
    let e = exposure(&topo, &attack, "share");
    assert!(e.readable() && e.exfiltrable());
    // The lateral step names the account and the firewall rule that let SMB through.
    let lateral = &e.steps[2];
    assert_eq!(topo.accounts[lateral.account().unwrap()].id, "srv-admin");
    let hop = &lateral.witness().unwrap().hops[0];
    assert_eq!(hop.decisions[0].rule, Some(1), "policy rule 2 allowed it");
}

#[test]
fn an_exposed_service_is_an_entry_and_data_leaves_in_the_replies() {
    let (topo, policy) = load("tests/fixtures/attack/exposed-service.toml");
    let attack = analyze(&topo, &policy, &[], false);
    assert_eq!(
        steps(&topo, &attack, "applications"),
        ["entry web", "read web", "exfiltrate web"]
    );
    let e = exposure(&topo, &attack, "applications");
    assert!(
        matches!(
            e.steps[2],
            attack::Step::Exfiltrate {
                egress: attack::Egress::Inbound { .. },
                ..
            }
        ),
        "out through the replies to the internet's connection"
    );
    // Without exposed services among the entries, nothing gets in.
    let mut narrow = policy.clone();
    narrow.attacker.entry = vec![sansou::model::policy::Entry::InternetUse];
    assert!(!readable(&topo, &narrow, "applications"));
}

#[test]
fn a_shared_local_admin_password_opens_every_terminal() {
    let (mut topo, policy) = load("tests/fixtures/attack/shared-local-admin.toml");
    let attack = analyze(&topo, &policy, &[], false);
    assert_eq!(
        steps(&topo, &attack, "local-copies")[..4],
        [
            "entry inet-pc",
            "harvest inet-pc",
            "lateral lg-pc",
            "read lg-pc"
        ]
    );
    // LAPS: a different password on every host, and the path is gone.
    let a = topo
        .accounts
        .iter()
        .position(|a| a.id == "localadmin")
        .unwrap();
    topo.accounts[a].unique_per_host = Some(true);
    assert!(!readable(&topo, &policy, "local-copies"));
}

#[test]
fn a_vulnerable_service_is_exploited_and_data_leaves_through_the_proxy() {
    let (topo, policy) = load("tests/fixtures/attack/exploit-and-proxy.toml");
    let attack = analyze(&topo, &policy, &[], false);
    assert_eq!(
        steps(&topo, &attack, "records"),
        ["entry inet-pc", "exploit app", "read app", "exfiltrate app"]
    );
    let out = &exposure(&topo, &attack, "records").steps[3];
    assert_eq!(topo.hosts[out.via().unwrap()].id, "proxy");
    let mut patched = topo.clone();
    let app = patched.host_index("app").unwrap();
    patched.hosts[app].vulnerable.clear();
    assert!(!readable(&patched, &policy, "records"));
}

#[test]
fn a_sanitizer_bypass_carries_compromise_into_the_lgwan_tier() {
    let (mut topo, policy) = load("tests/fixtures/attack/sanitizer-bypass.toml");
    let attack = analyze(&topo, &policy, &[], false);
    let kinds: Vec<String> = steps(&topo, &attack, "share");
    assert!(kinds.iter().any(|s| s.starts_with("channel ")), "{kinds:?}");
    assert!(kinds.last().unwrap().starts_with("read "), "{kinds:?}");
    // Sanitized, the channel carries no compromise.
    topo.gateways[0].bypass = false;
    assert!(!readable(&topo, &policy, "share"));
    // ...unless the policy assumes every sanitizer can be bypassed.
    let mut pessimistic = policy.clone();
    pessimistic.attacker.sanitizer_bypass = true;
    assert!(readable(&topo, &pessimistic, "share"));
}

#[test]
fn the_2015_pension_breach_chain_is_found() {
    let (topo, policy) = load("topologies/jps-2015.toml");
    let attack = analyze(&topo, &policy, &[], false);
    let path = steps(&topo, &attack, "kyoyu-nopass");
    assert_eq!(
        path[0], "entry honbu-pc",
        "internet mail on an office terminal"
    );
    assert_eq!(
        path[1], "harvest honbu-pc",
        "administrator credentials taken there"
    );
    assert!(path.contains(&"lateral kyoyu-fs".to_string()), "{path:?}");
    assert!(path.iter().any(|s| s.starts_with("read ")), "{path:?}");
    assert!(path.last().unwrap().starts_with("exfiltrate "), "{path:?}");
    let e = exposure(&topo, &attack, "kyoyu-nopass");
    assert!(e.readable() && e.exfiltrable());
    // The admin credential also opens the other terminals and the authentication server.
    let taken: Vec<&str> = attack
        .compromised()
        .map(|h| topo.hosts[h].id.as_str())
        .collect();
    for h in [
        "honbu-pc",
        "block-pc",
        "jimusho-pc",
        "auth-server",
        "kyoyu-fs",
    ] {
        assert!(taken.contains(&h), "{h} not taken: {taken:?}");
    }
    // Every step says why (no empty explanations).
    for step in &e.steps {
        let why = sansou::analysis::attack::why::why(&topo, &attack, step, sansou::lang::Lang::En);
        assert!(why.len() > 20, "{why}");
    }
}

#[test]
fn the_compliant_alpha_city_keeps_my_number_data_out_of_reach() {
    let (topo, policy) = load("topologies/alpha-city.toml");
    let attack = analyze(&topo, &policy, &[], false);
    let mut mynumber = 0;
    for e in &attack.stores {
        let host = topo.host_index(&topo.stores[e.store].host).unwrap();
        let in_mn = topo.hosts[host]
            .interfaces
            .iter()
            .any(|i| topo.segment_tier(&i.segment) == Some(Tier::MyNumber));
        if in_mn {
            mynumber += 1;
            assert!(!e.readable(), "{} is readable", topo.stores[e.store].id);
        }
    }
    assert!(mynumber >= 3, "the sample has My Number stores");
}

#[test]
fn what_if_questions_start_from_the_assumed_hosts() {
    let (topo, policy) = load("topologies/alpha-city.toml");
    // A My Number terminal talks to the application server only: the databases behind it stay
    // out of reach even with the terminal's own user credentials.
    let attack = analyze(&topo, &policy, &["mn-pc-shimin"], false);
    assert_eq!(attack.compromised().count(), 1);
    assert!(attack.stores.iter().all(|e| !e.readable()));
    // The database server itself: its stores are read directly, and nothing leaves the tier.
    let attack = analyze(&topo, &policy, &["kikan-db"], false);
    let readable: Vec<&str> = attack
        .stores
        .iter()
        .filter(|e| e.readable())
        .map(|e| topo.stores[e.store].id.as_str())
        .collect();
    assert_eq!(readable, ["juki-db", "zeimu-db", "fukushi-db"]);
    for e in attack.stores.iter().filter(|e| e.readable()) {
        assert_eq!(e.steps[0].kind(), attack::StepKind::Assumed);
        assert!(!e.exfiltrable(), "the My Number tier has no way out");
    }
}

/// Every single change of the kinds the fix search uses, for a small topology.
fn every_single_change(topo: &Topology) -> Vec<Change> {
    let mut out = Vec::new();
    for (f, fw) in topo.firewalls.iter().enumerate() {
        let f = FirewallId(f);
        for rule in 0..fw.rules.len() {
            out.push(Change::RemoveRule {
                firewall: f,
                list: ListRef::Policy,
                rule,
            });
        }
        out.push(Change::DefaultDeny {
            firewall: f,
            list: ListRef::Policy,
        });
    }
    for host in (0..topo.hosts.len()).map(HostId) {
        out.push(Change::RemoveInternetUse { host });
        out.push(Change::Patch { host });
        for account in (0..topo.accounts.len()).map(AccountId) {
            out.push(Change::RemoveAdminOn { account, host });
            out.push(Change::RemoveLogsOn { account, host });
        }
    }
    for account in (0..topo.accounts.len()).map(AccountId) {
        out.push(Change::UniquePassword { account });
    }
    for store in (0..topo.stores.len()).map(StoreId) {
        out.push(Change::RestrictReaders { store });
    }
    for gateway in (0..topo.gateways.len()).map(GatewayId) {
        out.push(Change::CloseBypass { gateway });
    }
    out
}

#[test]
fn the_smallest_fix_cuts_every_path_and_is_smallest() {
    for fixture in [
        "phishing-to-file-server",
        "exposed-service",
        "shared-local-admin",
        "exploit-and-proxy",
        "sanitizer-bypass",
        "two-entries",
    ] {
        let (topo, policy) = load(&format!("tests/fixtures/attack/{fixture}.toml"));
        let attack = analyze(&topo, &policy, &[], true);
        for e in attack.stores.iter().filter(|e| e.readable()) {
            let store = &topo.stores[e.store].id;
            let fix = e.fix.as_ref().expect("a readable store gets a fix");
            assert!(
                fix.verified && !fix.changes.is_empty(),
                "{fixture}: {fix:?}"
            );
            // The fixed design, analysed from scratch: the store is out of reach.
            let fixed = attack::fix::apply(&topo, &fix.changes);
            assert!(
                !readable(&fixed, &policy, store),
                "{fixture}: fix does not cut"
            );
            // Claimed minimum: no single change does it when the fix needs more than one.
            if fix.minimum && fix.changes.len() > 1 {
                for c in every_single_change(&topo) {
                    let one = attack::fix::apply(&topo, std::slice::from_ref(&c));
                    assert!(
                        readable(&one, &policy, store),
                        "{fixture}: {c:?} alone suffices"
                    );
                }
            }
        }
    }
    // The two-entries fixture needs exactly two changes.
    let (topo, policy) = load("tests/fixtures/attack/two-entries.toml");
    let attack = analyze(&topo, &policy, &[], true);
    let fix = exposure(&topo, &attack, "records").fix.clone().unwrap();
    assert!(fix.minimum);
    assert_eq!(fix.changes.len(), 2, "{fix:?}");
}

fn sansou(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .unwrap()
}

#[test]
fn attack_json_has_the_documented_shape_and_exit_codes() {
    let out = sansou(&["attack", "topologies/jps-2015.toml", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "personal data within reach exits 1"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let stores = doc["stores"].as_array().unwrap();
    assert!(!stores.is_empty());
    for s in stores {
        for key in ["store", "data", "readable", "exfiltrable", "paths"] {
            assert!(s.get(key).is_some(), "missing {key} in {s}");
        }
    }
    let exposed = stores
        .iter()
        .find(|s| s["store"] == "store:kyoyu-nopass")
        .unwrap();
    assert_eq!(exposed["readable"], true);
    let steps = exposed["paths"][0]["steps"].as_array().unwrap();
    for step in steps {
        assert!(step["kind"].is_string() && step["host"].is_string() && step["why"].is_string());
    }
    assert!(
        exposed["fix"]["changes"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    // Same inputs, same bytes.
    let again = sansou(&["attack", "topologies/jps-2015.toml", "--format", "json"]);
    assert_eq!(out.stdout, again.stdout);

    let safe = sansou(&[
        "attack",
        "topologies/alpha-city.toml",
        "--format",
        "json",
        "--no-fix",
    ]);
    assert_eq!(safe.status.code(), Some(0));
    let what_if = sansou(&[
        "attack",
        "topologies/alpha-city.toml",
        "--assume-compromised",
        "host:mn-pc-shimin",
        "--no-fix",
    ]);
    assert_eq!(
        what_if.status.code(),
        Some(0),
        "a what-if answers, it does not fail"
    );
    let bad = sansou(&[
        "attack",
        "topologies/alpha-city.toml",
        "--assume-compromised",
        "host:nope",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let dot = sansou(&[
        "attack",
        "topologies/jps-2015.toml",
        "--format",
        "dot",
        "--no-fix",
    ]);
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph attack {"));
}
