//! Rules of the `IR` family of the catalogue: incident response (cutting sites off the internet
//! at a known choke point, egress only through a proxy that can block a domain).

pub mod ir_001;
pub mod ir_002;
pub mod ir_003;

use super::Rule;
use crate::model::Firewall;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&ir_001::Rule, &ir_002::Rule, &ir_003::Rule]
}

/// A firewall's `isolation_point` as printed: `isolation_point = true`, `false`, or not stated.
pub fn isolation_text(fw: &Firewall) -> (&'static str, &'static str) {
    match fw.isolation_point {
        Some(true) => ("isolation_point = true", "isolation_point = true"),
        Some(false) => ("isolation_point = false", "isolation_point = false"),
        None => ("isolation_point 未記載", "isolation_point not stated"),
    }
}
