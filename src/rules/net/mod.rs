//! Rules of the `NET` family of the catalogue: network hygiene (deny-by-default firewalls with
//! documented rules, no lateral movement between terminals).

pub mod ep_001;
pub mod logging;
pub mod mon_001;
pub mod net_001;
pub mod net_002;
pub mod net_003;
pub mod net_004;
pub mod net_005;
pub mod net_006;
pub mod net_007;

use super::Rule;
use crate::model::{At, Selector, Service};

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &net_001::Rule,
        &net_002::Rule,
        &net_003::Rule,
        &net_004::Rule,
        &net_005::Rule,
        &net_006::Rule,
        &net_007::Rule,
        &ep_001::Rule,
        &mon_001::Rule,
    ]
}

/// Selectors as written in a rule: `host:a, segment:b`.
pub fn selectors(list: &[At<Selector>]) -> String {
    list.iter()
        .map(|s| s.value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Services as written in a rule; `any` when none are listed.
pub fn services(list: &[At<Service>]) -> String {
    if list.is_empty() {
        return "any".into();
    }
    list.iter()
        .map(|s| s.value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
