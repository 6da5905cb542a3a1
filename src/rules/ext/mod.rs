//! Rules of the `EXT` family of the catalogue: national and external systems.

pub mod ext_001;
pub mod ext_002;
pub mod ext_003;
pub mod ext_004;
pub mod ext_005;
pub mod ext_006;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &ext_001::Rule,
        &ext_002::Rule,
        &ext_003::Rule,
        &ext_004::Rule,
        &ext_005::Rule,
        &ext_006::Rule,
    ]
}
