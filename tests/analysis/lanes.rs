//! The rules engine runs the rules in two lanes, each over its own copy of the reachability
//! (`sansou::rules::Lane`). A rule's outcomes must not depend on its lane: the full `check`
//! JSON (findings, witnesses, evidence) of a run in one lane and of a run in two must be the
//! same bytes, on every sample and on generated designs with NAT, routing tables, Wi-Fi and
//! remote access.

use sansou::load::{Inputs, load_inputs};
use sansou::rules::{Context, engine};
use std::path::Path;

/// The check JSON of a run, in one lane or in two; with the attack analysis made before the
/// rules run (as the pipeline benchmark does, so the second lane starts with a copy of it) or
/// by the first rule that asks.
fn check_json(inputs: &Inputs, one_lane: bool, attack_first: bool) -> String {
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = Context::new(inputs.checked().expect("loads"), &policy);
    if attack_first {
        cx.attack();
    }
    let opts = engine::RunOptions {
        one_lane,
        only: None,
        today: "2026-04-01".into(),
        since: None,
    };
    let result = engine::run(&mut cx, &opts);
    let json = sansou::report::check_json::json(&cx.reach, &inputs.sources, &result);
    serde_json::to_string_pretty(&json).unwrap()
}

fn same_in_both_lanes(what: &str, inputs: &Inputs) {
    let one = check_json(inputs, true, false);
    assert!(one.contains("\"findings\""), "{what}: no findings member");
    for attack_first in [false, true] {
        let two = check_json(inputs, false, attack_first);
        assert!(
            one == two,
            "{what}: the two lanes (attack made first: {attack_first}) give other findings"
        );
    }
}

#[test]
fn samples_give_the_same_findings_in_one_lane_and_in_two() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (topology, policy) in [
        ("topologies/alpha-city.toml", Some("policies/alpha.toml")),
        ("topologies/alpha-city.toml", None),
        (
            "topologies/alpha-prime-city.toml",
            Some("policies/alpha-prime.toml"),
        ),
        ("topologies/beta-town.toml", Some("policies/beta.toml")),
        ("topologies/jps-2015.toml", None),
    ] {
        let policy = policy.map(|p| root.join(p));
        let inputs = load_inputs(&root.join(topology), policy.as_deref()).unwrap();
        same_in_both_lanes(topology, &inputs);
    }
}

#[test]
fn generated_designs_give_the_same_findings_in_one_lane_and_in_two() {
    for seed in 1..4 {
        let topo = sansou::generate::generate(sansou::generate::Size::S, seed);
        let inputs = crate::common::inputs_of(&topo);
        same_in_both_lanes(&format!("tier S, seed {seed}"), &inputs);
    }
}
