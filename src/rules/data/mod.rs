//! Rules of the `DATA` family of the catalogue.

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![]
}
