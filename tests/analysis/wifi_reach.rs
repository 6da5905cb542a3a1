//! NET-003 skips the pair search for a Wi-Fi whose addresses send no packet that arrives in a
//! protected tier. The shortcut must never hide a path: on generated designs (whose sites
//! carry deliberate violations), a Wi-Fi is reported for a tier exactly when the pair search
//! from its segment finds a pair, run without the shortcut.

use sansou::generate::{Size, generate};
use sansou::model::policy::Policy;
use sansou::model::{Selector, Tier};
use sansou::rules::{Context, Rule, Verdict};

#[test]
fn net_003_reports_a_wifi_exactly_when_a_pair_exists() {
    let mut reported_any = false;
    for seed in [1, 2, 3] {
        let topo = generate(Size::S, seed);
        assert!(!topo.wifis.is_empty(), "the generator writes Wi-Fi");
        let policy = Policy::default();
        let mut cx = Context::new(sansou::load::validate(&topo).unwrap(), &policy);
        let outcomes = sansou::rules::net::net_003::Rule.check(&mut cx);
        for w in &topo.wifis {
            let from = Selector::Segment(w.segment.value.clone());
            let own = topo.segment_tier(&w.segment);
            for t in [Tier::MyNumber, Tier::Lgwan] {
                if t == Tier::Lgwan && own == Some(Tier::Lgwan) {
                    continue;
                }
                let expected = !cx.pairs(&from, &Selector::Tier(t), &[]).is_empty();
                let subject = format!("{}->tier:{t}", w.id);
                let reported = outcomes
                    .iter()
                    .any(|o| o.subject == subject && o.verdict == Verdict::Fail);
                assert_eq!(reported, expected, "seed {seed}: {subject}");
                reported_any |= reported;
            }
        }
    }
    assert!(
        reported_any,
        "some generated Wi-Fi reaches a protected tier"
    );
}
