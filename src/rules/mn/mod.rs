//! Rules of the MN family: the My Number tier (マイナンバー利用事務系).

pub mod mn_001;
pub mod mn_004;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&mn_001::Rule, &mn_004::Rule]
}
