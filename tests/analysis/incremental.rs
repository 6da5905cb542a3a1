//! `session::Session` (what `check --watch` runs) against cold runs: after every edit of a
//! random sequence (rules changed, added and removed on random firewalls of a generated design,
//! mixed with edits of a firewall's settings and of a host, which must invalidate every kept
//! firewall; the design written and read back as text, so every location after an edit moves),
//! the incremental check must give exactly the findings and the reachability of a check from
//! scratch.

use proptest::prelude::*;
use sansou::diff::{self, Snapshot};
use sansou::load::Inputs;
use sansou::model::{Action, At, Service, Topology};
use sansou::session::{Change, Session};

/// The inputs as `check` would load them from the topology written as TOML.
fn inputs(topo: &Topology) -> Inputs {
    crate::common::inputs_of(topo)
}

/// One check through a session, with its full snapshot (findings, zone matrix, reachable
/// pairs of segments and hosts, attack paths) taken before the session puts it away.
fn run(session: &mut Session, inputs: Inputs) -> (sansou::session::Update, Snapshot) {
    let policy = sansou::model::Policy::default();
    crate::common::session_check(session, inputs, |checked, sources| {
        diff::snapshot(&mut checked.cx.reach, sources, &checked.result, &policy)
    })
}

/// One edit: on the firewall and rule the numbers pick (modulo their counts).
#[derive(Clone, Debug)]
enum EditOp {
    FlipAction(usize, usize),
    Remove(usize, usize),
    Duplicate(usize, usize),
    AnyService(usize, usize),
    /// A new rule: the rule at that place copied with another id, the other action and one
    /// TCP port, inserted below it.
    Insert(usize, usize, u16),
    /// A firewall's own setting (stateful or not): outside its lists.
    Stateful(usize),
    /// A host's fact (MFA): outside every firewall, read by rules.
    HostMfa(usize),
    Nothing,
}

impl EditOp {
    /// Whether the edit touches only rule lists (so at most the edited firewall compiles).
    fn in_lists(&self) -> bool {
        !matches!(self, EditOp::Stateful(_) | EditOp::HostMfa(_))
    }

    /// The firewall an edit picks (modulo the count), if any.
    fn firewall(&self) -> Option<usize> {
        match *self {
            EditOp::FlipAction(f, _)
            | EditOp::Remove(f, _)
            | EditOp::Duplicate(f, _)
            | EditOp::AnyService(f, _)
            | EditOp::Insert(f, _, _)
            | EditOp::Stateful(f) => Some(f),
            EditOp::HostMfa(_) | EditOp::Nothing => None,
        }
    }
}

fn apply(topo: &mut Topology, op: &EditOp) {
    let pick = |topo: &mut Topology, f: usize, r: usize| -> Option<(usize, usize)> {
        let f = f % topo.firewalls.len();
        let n = topo.firewalls[f].rules.len();
        (n > 0).then_some((f, r % n))
    };
    match *op {
        EditOp::FlipAction(f, r) => {
            if let Some((f, r)) = pick(topo, f, r) {
                let rule = &mut topo.firewalls[f].rules[r];
                rule.action = match rule.action {
                    Action::Allow => Action::Deny,
                    Action::Deny => Action::Allow,
                };
            }
        }
        EditOp::Remove(f, r) => {
            if let Some((f, r)) = pick(topo, f, r) {
                topo.firewalls[f].rules.remove(r);
            }
        }
        EditOp::Duplicate(f, r) => {
            if let Some((f, r)) = pick(topo, f, r) {
                let mut copy = topo.firewalls[f].rules[r].clone();
                // Rule ids are unique in their list.
                if let Some(id) = &mut copy.identity.id {
                    id.value.push_str("-copy");
                }
                topo.firewalls[f].rules.insert(r, copy);
            }
        }
        EditOp::AnyService(f, r) => {
            if let Some((f, r)) = pick(topo, f, r) {
                topo.firewalls[f].rules[r].services = vec![At {
                    value: Service::Any,
                    loc: Default::default(),
                }];
            }
        }
        EditOp::Insert(f, r, port) => {
            if let Some((f, r)) = pick(topo, f, r) {
                let mut rule = topo.firewalls[f].rules[r].clone();
                rule.identity.id = Some(At {
                    value: format!("added-{port}-{}", topo.firewalls[f].rules.len()),
                    loc: Default::default(),
                });
                rule.action = match rule.action {
                    Action::Allow => Action::Deny,
                    Action::Deny => Action::Allow,
                };
                let port = Service::parse(&format!("tcp/{port}")).expect("a service");
                rule.services = vec![At {
                    value: port,
                    loc: Default::default(),
                }];
                topo.firewalls[f].rules.insert(r + 1, rule);
            }
        }
        EditOp::Stateful(f) => {
            let f = f % topo.firewalls.len();
            topo.firewalls[f].stateful = !topo.firewalls[f].stateful;
        }
        EditOp::HostMfa(h) => {
            if !topo.hosts.is_empty() {
                let n = topo.hosts.len();
                let host = &mut topo.hosts[h % n];
                host.mfa = Some(!host.mfa.unwrap_or(false));
            }
        }
        EditOp::Nothing => {}
    }
}

fn edit() -> impl Strategy<Value = EditOp> {
    let at = || (0..1000usize, 0..1000usize);
    prop_oneof![
        at().prop_map(|(f, r)| EditOp::FlipAction(f, r)),
        at().prop_map(|(f, r)| EditOp::Remove(f, r)),
        at().prop_map(|(f, r)| EditOp::Duplicate(f, r)),
        at().prop_map(|(f, r)| EditOp::AnyService(f, r)),
        (at(), 1024u16..65535).prop_map(|((f, r), port)| EditOp::Insert(f, r, port)),
        (0..1000usize).prop_map(EditOp::Stateful),
        (0..100_000usize).prop_map(EditOp::HostMfa),
        Just(EditOp::Nothing),
    ]
}

fn same(a: &Snapshot, b: &Snapshot) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.findings, &b.findings);
    prop_assert_eq!(&a.cells, &b.cells);
    prop_assert_eq!(&a.pairs, &b.pairs);
    prop_assert_eq!(&a.stores, &b.stores);
    prop_assert_eq!(&a.compromised, &b.compromised);
    Ok(())
}

proptest! {
    // Each case checks the tier S design several times, twice per edit: few cases.
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn incremental_checks_equal_cold_ones(seed in 0u64..3, edits in prop::collection::vec(edit(), 1..4)) {
        let mut topo = sansou::generate::generate(sansou::generate::Size::S, seed);
        let mut session = Session::new();
        let (first, _) = run(&mut session, inputs(&topo));
        prop_assert_eq!(first.changes, vec![Change::First]);
        let mut before = first.diff.after.findings;
        for op in &edits {
            apply(&mut topo, op);
            let (update, incremental) = run(&mut session, inputs(&topo));
            let (_, cold) = run(&mut Session::new(), inputs(&topo));
            same(&incremental, &cold)?;
            // What the update says changed is the cold comparison of the two runs.
            let d = diff::compare(
                Snapshot { findings: before.clone(), ..Snapshot::default() },
                Snapshot { findings: cold.findings.clone(), ..Snapshot::default() },
            );
            let keys = |v: &[diff::FindingState]| v.iter().map(|f| f.key()).collect::<Vec<_>>();
            prop_assert_eq!(keys(&update.diff.findings_added), keys(&d.findings_added));
            prop_assert_eq!(keys(&update.diff.findings_removed), keys(&d.findings_removed));
            let delta = |v: &[diff::FindingDelta]| v.iter().map(|f| f.after.key()).collect::<Vec<_>>();
            prop_assert_eq!(delta(&update.diff.findings_widened), delta(&d.findings_widened));
            prop_assert_eq!(delta(&update.diff.findings_narrowed), delta(&d.findings_narrowed));
            // A rule edit recompiles at most the edited firewall; any other edit, every one.
            if op.in_lists() {
                prop_assert!(update.compiled <= 1, "{} compiled for {op:?}", update.compiled);
                // The last check's fixpoint is repaired unless the edited firewall translates
                // (an edit that changes nothing compiles nothing and repairs nothing).
                let f = op.firewall().map(|f| f % topo.firewalls.len());
                let translates = f.is_some_and(|f| !topo.firewalls[f].nat.is_empty());
                prop_assert_eq!(update.repaired, !(translates && update.compiled == 1), "{:?}", op);
            } else {
                prop_assert_eq!(update.compiled, topo.firewalls.len(), "{:?}", op);
            }
            if matches!(op, EditOp::Nothing) {
                prop_assert!(update.changes.is_empty(), "{:?}", update.changes);
                prop_assert_eq!(update.rules_reused, update.rules);
            }
            if !update.repaired {
                prop_assert_eq!(update.rules_reused, 0, "outcomes re-used over a new fixpoint");
            }
            before = cold.findings;
        }
    }
}

/// A change outside the rule lists compiles every firewall again (selectors may name it) and
/// still equals a cold run.
#[test]
fn a_design_change_recompiles_everything() {
    let mut topo = sansou::generate::generate(sansou::generate::Size::S, 1);
    let mut session = Session::new();
    run(&mut session, inputs(&topo));
    // A change the firewalls cannot see, but the session does not try to tell.
    topo.meta.description = Some("edited".into());
    let (update, incremental) = run(&mut session, inputs(&topo));
    let (_, cold) = run(&mut Session::new(), inputs(&topo));
    assert_eq!(update.changes, vec![Change::Design]);
    assert_eq!(update.reused, 0);
    assert_eq!(update.compiled, topo.firewalls.len());
    assert_eq!(incremental.findings, cold.findings);
    assert_eq!(incremental.pairs, cold.pairs);
}

/// The design of `tests/fixtures/reach/nat-behind.toml`.
fn nat_behind() -> Topology {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reach/nat-behind.toml");
    let text = std::fs::read_to_string(path).expect("the fixture");
    crate::reach_oracle::load(&text).expect("a valid design")
}

/// Flips rules 0, 0, 1, 1 of firewall `id` of `tests/fixtures/reach/nat-behind.toml` in turn
/// (narrow, widen again, then the same for the next rule), re-checking after each: `expect`
/// sees each update; every edit must change what reaches what, equal a cold check, and the
/// last leaves the design as it was.
fn flip_rules_of(id: &str, expect: impl Fn(usize, &sansou::session::Update)) {
    let mut topo = nat_behind();
    let f = topo
        .firewalls
        .iter()
        .position(|fw| fw.id == id)
        .expect("the firewall");
    let mut session = Session::new();
    let (_, first) = run(&mut session, inputs(&topo));
    let mut last = first.pairs.clone();
    for rule in [0, 0, 1, 1] {
        let r = &mut topo.firewalls[f].rules[rule];
        r.action = match r.action {
            Action::Allow => Action::Deny,
            Action::Deny => Action::Allow,
        };
        let (update, incremental) = run(&mut session, inputs(&topo));
        let (_, cold) = run(&mut Session::new(), inputs(&topo));
        expect(rule, &update);
        assert_eq!(update.compiled, 1);
        assert_ne!(
            incremental.pairs, last,
            "rule {rule}: the edit changes what reaches what"
        );
        assert_eq!(incremental.pairs, cold.pairs, "rule {rule}");
        assert_eq!(incremental.findings, cold.findings, "rule {rule}");
        last = incremental.pairs;
    }
    assert_eq!(last, first.pairs);
}

/// Edits of a firewall that translates nothing, in front of an edge that does: each re-check
/// repairs the last fixpoint, and each repair must follow the packets the edge rewrote (the
/// office's, masqueraded on the internet; the internet's, forwarded to the web server).
#[test]
fn a_repair_follows_packets_through_a_later_translation() {
    flip_rules_of("fw-inner", |rule, update| {
        assert!(update.repaired, "rule {rule}: {:?}", update.changes);
    });
}

/// Edits of the edge that translates: the fixpoint runs from scratch over the kept firewalls
/// (a repair would have to follow every header the edge rewrites, which at an internet edge
/// costs more than the fixpoint on two cores), every rule runs again, and the result must be
/// a cold check's.
#[test]
fn an_edit_of_the_firewall_that_translates_runs_the_fixpoint_from_scratch() {
    let topo = nat_behind();
    assert!(
        topo.firewalls
            .iter()
            .any(|f| f.id == "fw-edge" && !f.nat.is_empty())
    );
    flip_rules_of("fw-edge", |rule, update| {
        assert!(!update.repaired, "rule {rule}: {:?}", update.changes);
        assert_eq!(update.rules_reused, 0, "rule {rule}");
    });
}

/// `Session::check_files` (what `check --watch` calls: the design loaded from its files,
/// re-reading only the edited firewall where it can) against a session given the same files
/// loaded from scratch (`Session::update`): after every edit of a random sequence, the same
/// account of what changed, the same re-use, and the same findings and reachability; a
/// version with errors is refused by both and the next edit compares with the last good one.
#[test]
fn checking_the_files_is_updating_with_a_full_load() {
    use sansou::report::topology::{TextFormat, files};
    let dir = std::env::temp_dir().join(format!("sansou-check-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("topology.json");
    let write = |topo: &Topology| {
        let written = files(topo, TextFormat::JsonCompact, false);
        std::fs::write(&path, &written[0].1).expect("the file writes");
    };
    let mut topo = sansou::generate::generate(sansou::generate::Size::S, 2);
    write(&topo);
    let policy = sansou::model::Policy::default();
    let (mut by_files, mut by_update) = (Session::new(), Session::new());
    let check_files = |session: &mut Session| {
        let mut taken = None;
        let update = session
            .check_files(
                &path,
                None,
                "2026-12-07",
                &mut |_| {},
                &mut |_| {},
                &mut |checked, sources| {
                    taken = Some(diff::snapshot(
                        &mut checked.cx.reach,
                        sources,
                        &checked.result,
                        &policy,
                    ));
                },
            )
            .expect("the files read");
        update.map(|u| (u, taken.expect("inspected")))
    };
    check_files(&mut by_files).expect("no errors");
    run(
        &mut by_update,
        sansou::load::load_inputs(&path, None).expect("reads"),
    );
    let ops = [
        EditOp::FlipAction(3, 2),
        EditOp::Insert(5, 0, 8443),
        EditOp::Remove(5, 1),
        EditOp::AnyService(0, 4),
        EditOp::Nothing,
        EditOp::Stateful(2),
        EditOp::FlipAction(7, 9),
        EditOp::HostMfa(4),
        EditOp::Duplicate(1, 1),
        EditOp::FlipAction(7, 9),
    ];
    let mut in_part = 0;
    for (step, op) in ops.iter().enumerate() {
        apply(&mut topo, op);
        write(&topo);
        let (got, snap) = check_files(&mut by_files).expect("no errors");
        in_part += usize::from(got.loaded_in_part);
        let loaded = sansou::load::load_inputs(&path, None).expect("reads");
        let (want, cold) = run(&mut by_update, loaded);
        let what = format!("step {step}: {op:?}");
        assert_eq!(got.changes, want.changes, "{what}");
        assert_eq!(
            (got.compiled, got.reused, got.repaired, got.fails),
            (want.compiled, want.reused, want.repaired, want.fails),
            "{what}"
        );
        assert_eq!(got.rules_reused, want.rules_reused, "{what}");
        assert_eq!(snap.findings, cold.findings, "{what}");
        assert_eq!(snap.pairs, cold.pairs, "{what}");
        let keys = |v: &[diff::FindingState]| v.iter().map(|f| f.key()).collect::<Vec<_>>();
        assert_eq!(
            keys(&got.diff.findings_added),
            keys(&want.diff.findings_added),
            "{what}"
        );
        assert_eq!(
            keys(&got.diff.findings_removed),
            keys(&want.diff.findings_removed),
            "{what}"
        );
    }
    // Every edit but the host's re-read one firewall (or nothing, for no edit at all).
    assert_eq!(in_part, ops.len() - 1);
    // A version with an error (two firewalls with one id) is refused; the next edit is
    // compared with the last good version, as by a session given full loads.
    let good = topo.clone();
    topo.firewalls[1].id = topo.firewalls[0].id.clone();
    write(&topo);
    assert!(
        check_files(&mut by_files).is_none(),
        "a duplicate id is an error"
    );
    topo = good;
    apply(&mut topo, &EditOp::FlipAction(2, 3));
    write(&topo);
    let (got, snap) = check_files(&mut by_files).expect("no errors");
    let (want, cold) = run(
        &mut by_update,
        sansou::load::load_inputs(&path, None).expect("reads"),
    );
    assert!(got.loaded_in_part, "the refused version was undone");
    assert_eq!(got.changes, want.changes);
    assert_eq!((got.compiled, got.repaired), (want.compiled, want.repaired));
    assert_eq!(snap.findings, cold.findings);
    let _ = std::fs::remove_dir_all(&dir);
}
