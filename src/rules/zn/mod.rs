//! Rules of the `ZN` family of the catalogue: zoning and inventory.

pub mod zn_001;
pub mod zn_002;
pub mod zn_003;
pub mod zn_004;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&zn_001::Rule, &zn_002::Rule, &zn_003::Rule, &zn_004::Rule]
}
