//! sansou's own checks beyond the catalogue: the policy's `[[matrix]]` and `[[assert]]` entries
//! (rules too, with the user's id as their code), and the hygiene of the policy's exceptions.

pub mod assert;
pub mod drifted_exception;
pub mod expired_exception;
pub mod flow_blocked;
pub mod matrix;
pub mod must_reach;
pub mod unpinned_exception;
pub mod unused_exception;

use super::{Context, Meta, Outcome, Rule};

/// The exception hygiene rules (POL-001 to POL-004): the engine evaluates them itself in
/// `engine::apply_exceptions`, because they look at the policy's exceptions and the findings,
/// not at the topology; the registry holds their documentation (`Registered::Engine`).
pub static ENGINE: [&Meta; 4] = [
    &expired_exception::META,
    &unused_exception::META,
    &drifted_exception::META,
    &unpinned_exception::META,
];

/// The family's rules that check the design (listed by `sansou rules` with [`ENGINE`]).
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&flow_blocked::Rule]
}

/// Every `[[matrix]]` and `[[assert]]` entry of the policy: (code, name, outcomes).
pub fn policy_checks(cx: &mut Context<'_>) -> Vec<(String, String, Vec<Outcome>)> {
    let mut out = matrix::check(cx);
    out.extend(assert::check(cx));
    out
}
