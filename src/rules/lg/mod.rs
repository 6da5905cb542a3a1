//! Rules of the LG family: the split between the LGWAN and internet tiers (LGWAN接続系 /
//! インターネット接続系) and the sanctioned crossings between them.

pub mod lg_001;
pub mod lg_002;
pub mod lg_003;
pub mod lg_004;
pub mod lg_005;
pub mod lg_006;
pub mod lg_007;
pub mod lg_008;
pub mod lg_009;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &lg_001::Rule,
        &lg_002::Rule,
        &lg_003::Rule,
        &lg_004::Rule,
        &lg_005::Rule,
        &lg_006::Rule,
        &lg_007::Rule,
        &lg_008::Rule,
        &lg_009::Rule,
    ]
}
