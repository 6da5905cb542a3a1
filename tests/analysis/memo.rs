//! Rule outcomes re-used by `check --watch` (`rules::memo`) against cold runs, on the bundled
//! sample designs: after rule-list edits of every firewall (a rule duplicated above itself,
//! which moves every later rule's position and changes no packet set; a rule's action flipped;
//! a rule removed), the whole `check --format json` output of the re-check (findings, their
//! locations, witnesses with each firewall's deciding rule) must equal a cold check's. A rule
//! that reads rule lists without saying so (`Rule::reads_rule_lists`), or a read of the
//! reachability that is not recorded, fails here.

use sansou::load::Inputs;
use sansou::model::{Action, Topology};
use sansou::report::topology::TextFormat;
use sansou::session::{Session, Update};
use std::path::Path;

/// One check through a session, with its `check --format json` output.
fn run(session: &mut Session, inputs: Inputs) -> (Update, String) {
    crate::common::session_check(session, inputs, |checked, sources| {
        let out = sansou::report::check_json::json(&checked.cx.reach, sources, &checked.result);
        serde_json::to_string_pretty(&out).expect("serializes")
    })
}

fn sample(name: &str) -> Topology {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("topologies")
        .join(name);
    let loaded = sansou::load::load_topology(&path).expect("the sample reads");
    assert!(!loaded.diagnostics.has_errors());
    loaded.value
}

#[derive(Clone, Copy, Debug)]
enum Edit {
    Duplicate,
    Flip,
    Remove,
}

fn apply(topo: &mut Topology, f: usize, edit: Edit) {
    let rules = &mut topo.firewalls[f].rules;
    let r = rules.len() / 2;
    match edit {
        Edit::Duplicate => {
            let mut copy = rules[r].clone();
            if let Some(id) = &mut copy.identity.id {
                id.value.push_str("-copy");
            }
            rules.insert(r, copy);
        }
        Edit::Flip => {
            rules[r].action = match rules[r].action {
                Action::Allow => Action::Deny,
                Action::Deny => Action::Allow,
            };
        }
        Edit::Remove => {
            rules.remove(r);
        }
    }
}

#[test]
fn reused_rule_outcomes_equal_a_cold_check() {
    compare_with_cold(TextFormat::Toml);
}

/// The same on one line of JSON, where every location after an edit moves along that line.
#[test]
fn reused_rule_outcomes_equal_a_cold_check_on_compact_json() {
    compare_with_cold(TextFormat::JsonCompact);
}

fn compare_with_cold(format: TextFormat) {
    let inputs_of = |topo: &Topology| crate::common::inputs_as(topo, format);
    let (mut reused, mut rerun) = (0, 0);
    for name in ["alpha-city.toml", "alpha-prime-city.toml", "beta-town.toml"] {
        let mut topo = sample(name);
        let mut session = Session::new();
        run(&mut session, inputs_of(&topo));
        for f in 0..topo.firewalls.len() {
            if topo.firewalls[f].rules.is_empty() {
                continue;
            }
            for edit in [Edit::Duplicate, Edit::Flip, Edit::Remove] {
                apply(&mut topo, f, edit);
                let (update, incremental) = run(&mut session, inputs_of(&topo));
                let (_, cold) = run(&mut Session::new(), inputs_of(&topo));
                let what = format!("{name}: {edit:?} on {}", topo.firewalls[f].id);
                assert!(
                    incremental == cold,
                    "{what}: the re-check differs from a cold check\n{}",
                    first_difference(&incremental, &cold)
                );
                if update.repaired {
                    reused += update.rules_reused;
                    rerun += update.rules - update.rules_reused;
                }
            }
        }
        // An edit that changes nothing re-uses every rule's outcomes.
        let (update, _) = run(&mut session, inputs_of(&topo));
        assert!(update.changes.is_empty(), "{:?}", update.changes);
        assert_eq!(update.rules_reused, update.rules, "{name}");
    }
    // The comparisons above mean something only if outcomes were both re-used and found again.
    assert!(
        reused > 0 && rerun > 0,
        "re-used {reused}, ran again {rerun}"
    );
}

/// The lines around the first line where two outputs differ.
fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = i.saturating_sub(8);
    format!(
        "--- re-check ---\n{}\n--- cold ---\n{}",
        a[from..(i + 4).min(a.len())].join("\n"),
        b[from..(i + 4).min(b.len())].join("\n")
    )
}
