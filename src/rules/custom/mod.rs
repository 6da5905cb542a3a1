//! sansou's own checks beyond the catalogue: the policy's `[[matrix]]` and `[[assert]]` entries
//! (rules too, with the user's id as their code), and the hygiene of the policy's exceptions.

pub mod assert;
pub mod expired_exception;
pub mod matrix;
pub mod unused_exception;

use super::{Context, Outcome, Rule};

/// The registry entries of this family (documented, listed by `sansou rules`).
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&expired_exception::Rule, &unused_exception::Rule]
}

/// Rules the engine evaluates itself (they look at exceptions, not at the topology).
pub fn is_engine_rule(code: &str) -> bool {
    code == expired_exception::META.code || code == unused_exception::META.code
}

/// Every `[[matrix]]` and `[[assert]]` entry of the policy: (code, name, outcomes).
pub fn policy_checks(cx: &mut Context<'_>) -> Vec<(String, String, Vec<Outcome>)> {
    let mut out = matrix::check(cx);
    out.extend(assert::check(cx));
    out
}
