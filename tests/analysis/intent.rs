//! Positive intent: `[[assert]] expect = "path"` must reach, each listed service with a witness
//! of where it is dropped when it does not. Fixture: `tests/fixtures/intent/must-reach.toml`
//! on `tests/fixtures/diff/opens-smb/before.toml`.

use crate::common;

use sansou::model::FirewallId;
use sansou::rules::Evidence;
use std::path::Path;

#[test]
fn a_must_reach_assert_fails_with_its_first_drop() {
    let r = common::check_at(
        Path::new("tests/fixtures/diff/opens-smb/before.toml"),
        Some(Path::new("tests/fixtures/intent/must-reach.toml")),
    );
    let broken = r.findings_of("CITY-REACH-FS");
    assert_eq!(broken.len(), 1, "one pair, one finding");
    let f = broken[0];
    assert_eq!(f.subject, "host:lg-pc->host:lg-fs");
    // SMB gets through; only NetBIOS is missing.
    assert!(
        f.message.en.contains("but tcp/139 does not"),
        "{}",
        f.message.en
    );
    let Some(Evidence::Steps(steps)) = &f.evidence else {
        panic!("the drop is the evidence: {:?}", f.evidence);
    };
    assert!(steps[0].en.contains("tcp/139"), "{:?}", steps[0]);
    let last = &steps.last().unwrap().en;
    assert!(
        last.starts_with("fw-core") && last.contains("dropped by policy default deny"),
        "{last}"
    );
    // The other assertion holds.
    assert!(r.findings_of("CITY-REACH-PROXY").is_empty());
    let result = r
        .results
        .iter()
        .find(|x| x.code == "CITY-REACH-PROXY")
        .unwrap();
    assert_eq!(result.verdict, sansou::rules::Verdict::Pass);
}

/// The 2015 reconstruction with the staff's declared business flows, as a directory.
fn jps_with_flows() -> std::path::PathBuf {
    let dir = common::tmp("intent", "jps-2015-flows");
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "topologies/jps-2015.toml",
        "tests/fixtures/intent/jps-2015-flows.toml",
    ] {
        let name = Path::new(f).file_name().unwrap();
        std::fs::copy(f, dir.join(name)).unwrap();
    }
    dir
}

#[test]
fn the_fix_search_keeps_the_declared_flows_of_the_2015_reconstruction() {
    use sansou::analysis::attack::{self, Change, Options};
    use sansou::analysis::intent;
    use sansou::analysis::reach::Reachability;
    let opts = Options {
        fixes: true,
        ..Options::default()
    };
    let fixes_of = |dir: &Path| {
        let inputs = sansou::load::load_inputs(dir, None).unwrap();
        assert!(!inputs.diagnostics.has_errors());
        let policy = sansou::model::Policy::default();
        let mut reach = Reachability::compute(inputs.checked().unwrap());
        let a = attack::analyze(&mut reach, &policy, &opts);
        let fixes: Vec<attack::Fix> = a.stores.iter().filter_map(|e| e.fix.clone()).collect();
        (inputs.topology, fixes)
    };
    let default_deny = |f: &attack::Fix| {
        f.changes
            .iter()
            .any(|c| matches!(c, Change::DefaultDeny { .. }))
    };
    // Alone, the sample's smallest fix is a default-deny on the WAN router...
    let (_, alone) = fixes_of(Path::new("topologies/jps-2015.toml"));
    assert!(alone.iter().any(default_deny), "{alone:?}");
    // ...which would cut the staff off from the file server and the domain controller.
    let (topo, fixes) = fixes_of(&jps_with_flows());
    assert!(!fixes.is_empty());
    let required = intent::required(&topo, &sansou::model::Policy::default());
    assert_eq!(required.len(), 2);
    for fix in &fixes {
        assert!(fix.verified && fix.breaks.is_empty(), "{fix:?}");
        assert!(!default_deny(fix), "{fix:?}");
        // Applied, the fix leaves every declared flow working.
        let changed = attack::fix::apply(&topo, &fix.changes);
        let mut reach = Reachability::compute(sansou::load::validate(&changed).unwrap());
        assert_eq!(
            intent::broken_labels(&mut reach, &required),
            Vec::<String>::new()
        );
    }
}

#[test]
fn a_broad_rule_that_carries_a_declared_flow_is_narrowed_to_it_rather_than_removed() {
    use sansou::analysis::attack::{self, Change, Options};
    use sansou::analysis::intent;
    use sansou::analysis::reach::Reachability;
    use sansou::model::{Selector, Service};
    let inputs =
        sansou::load::load_inputs(Path::new("tests/fixtures/intent/narrow.toml"), None).unwrap();
    assert!(!inputs.diagnostics.has_errors());
    let topo = &inputs.topology;
    let policy = sansou::model::Policy::default();
    let opts = Options {
        fixes: true,
        ..Options::default()
    };
    let a = attack::analyze(
        &mut Reachability::compute(sansou::load::validate(topo).unwrap()),
        &policy,
        &opts,
    );
    let fix = a.stores[0].fix.clone().expect("the store is readable");
    assert!(
        fix.verified && fix.minimum && fix.breaks.is_empty(),
        "{fix:?}"
    );
    let [Change::NarrowRule { rule: 0, keep, .. }] = fix.changes.as_slice() else {
        panic!("one change, narrowing the broad rule: {fix:?}");
    };
    // The copy keeps exactly the declared flow: the terminal to the database's service.
    assert_eq!(keep.len(), 1);
    assert_eq!(keep[0].from, vec![Selector::Host("pc".into())]);
    assert_eq!(keep[0].to, vec![Selector::Host("db".into())]);
    assert_eq!(keep[0].services, vec![Service::parse("tcp/5432").unwrap()]);
    // Applied: the flow still works, and analysed again, the store is safe.
    let fixed = attack::fix::apply(topo, &fix.changes);
    let required = intent::required(topo, &policy);
    assert!(
        intent::broken_labels(
            &mut Reachability::compute(sansou::load::validate(&fixed).unwrap()),
            &required
        )
        .is_empty()
    );
    let again = attack::analyze(
        &mut Reachability::compute(sansou::load::validate(&fixed).unwrap()),
        &policy,
        &Options::default(),
    );
    assert!(!again.stores[0].readable());
    // Without the declared flow, removing the rule is the simpler fix.
    let mut bare = topo.clone();
    bare.flows.clear();
    let a = attack::analyze(
        &mut Reachability::compute(sansou::load::validate(&bare).unwrap()),
        &policy,
        &opts,
    );
    let fix = a.stores[0].fix.clone().unwrap();
    assert!(
        matches!(fix.changes.as_slice(), [Change::RemoveRule { rule: 0, .. }]),
        "{fix:?}"
    );
}

#[test]
fn a_default_allow_that_carries_a_declared_flow_is_narrowed_to_it() {
    use sansou::analysis::attack::{self, Change, Options};
    use sansou::analysis::intent;
    use sansou::analysis::reach::Reachability;
    use sansou::model::{Action, Selector};
    let inputs =
        sansou::load::load_inputs(Path::new("tests/fixtures/intent/narrow.toml"), None).unwrap();
    // The same design with the broad rule left to the router's default.
    let mut topo = inputs.topology.clone();
    topo.firewalls[0].rules.remove(0);
    topo.firewalls[0].default = Action::Allow;
    let policy = sansou::model::Policy::default();
    let opts = Options {
        fixes: true,
        ..Options::default()
    };
    let a = attack::analyze(
        &mut Reachability::compute(sansou::load::validate(&topo).unwrap()),
        &policy,
        &opts,
    );
    let fix = a.stores[0].fix.clone().expect("the store is readable");
    assert!(fix.verified && fix.breaks.is_empty(), "{fix:?}");
    let [Change::NarrowDefault { keep, .. }] = fix.changes.as_slice() else {
        panic!("one change, narrowing the default: {fix:?}");
    };
    assert_eq!(keep.len(), 1);
    assert_eq!(keep[0].from, vec![Selector::Host("pc".into())]);
    assert_eq!(keep[0].to, vec![Selector::Host("db".into())]);
    let fixed = attack::fix::apply(&topo, &fix.changes);
    assert_eq!(fixed.firewalls[0].default, Action::Deny);
    let required = intent::required(&topo, &policy);
    assert!(
        intent::broken_labels(
            &mut Reachability::compute(sansou::load::validate(&fixed).unwrap()),
            &required
        )
        .is_empty()
    );
}

#[test]
fn when_every_cut_breaks_a_flow_the_fix_names_what_each_candidate_breaks() {
    use sansou::analysis::attack::{self, Change, Options};
    use sansou::analysis::reach::Reachability;
    let path = "tests/fixtures/intent/every-cut-breaks.toml";
    let inputs = sansou::load::load_inputs(Path::new(path), None).unwrap();
    let opts = Options {
        fixes: true,
        ..Options::default()
    };
    let policy = sansou::model::Policy::default();
    let a = attack::analyze(
        &mut Reachability::compute(inputs.checked().unwrap()),
        &policy,
        &opts,
    );
    let fix = a.stores[0].fix.clone().expect("the store is readable");
    assert!(fix.verified, "{fix:?}");
    assert_eq!(fix.breaks, vec!["flow:publication".to_string()]);
    assert!(
        matches!(
            fix.changes.as_slice(),
            [Change::RemoveRule {
                firewall: FirewallId(0),
                ..
            }]
        ),
        "{fix:?}"
    );
    // The other firewall's rule is the other candidate, breaking the same flow.
    assert_eq!(fix.alternatives.len(), 1, "{fix:?}");
    let other = &fix.alternatives[0];
    assert!(matches!(
        other.changes.as_slice(),
        [Change::RemoveRule {
            firewall: FirewallId(1),
            ..
        }]
    ));
    assert_eq!(other.breaks, fix.breaks);
    // Text and JSON say so.
    let o = common::sansou(&["attack", path, "--lang", "en"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("   or: remove firewall:fw-dmz policy rule 1, or narrow it to what is needed (breaks flow:publication)"),
        "{text}"
    );
    let o = common::sansou(&["attack", path, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let alt = &doc["stores"][0]["fix"]["alternatives"][0];
    assert_eq!(alt["breaks"][0], "flow:publication");
    assert_eq!(alt["changes"][0]["kind"], "remove-rule");
}
