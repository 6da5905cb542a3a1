//! Rules of the MN family: the My Number tier (マイナンバー利用事務系).

pub mod mn_001;
pub mod mn_002;
pub mod mn_003;
pub mod mn_004;
pub mod mn_005;
pub mod mn_006;
pub mod mn_007;
pub mod mn_008;
pub mod mn_009;
pub mod mn_010;
pub mod mn_011;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &mn_001::Rule,
        &mn_002::Rule,
        &mn_003::Rule,
        &mn_004::Rule,
        &mn_005::Rule,
        &mn_006::Rule,
        &mn_007::Rule,
        &mn_008::Rule,
        &mn_009::Rule,
        &mn_010::Rule,
        &mn_011::Rule,
    ]
}
