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

/// A rule the engine evaluates itself, because it looks at the policy's exceptions and the
/// findings, not at the topology: the registry holds its documentation only.
pub struct EngineRule(pub &'static Meta);

impl Rule for EngineRule {
    fn meta(&self) -> &'static Meta {
        self.0
    }

    fn check(&self, _cx: &mut Context<'_>) -> Vec<Outcome> {
        Vec::new()
    }
}

/// The exception hygiene rules (POL-001 to POL-004), evaluated in `engine::apply_exceptions`.
static ENGINE_RULES: [EngineRule; 4] = [
    EngineRule(&expired_exception::META),
    EngineRule(&unused_exception::META),
    EngineRule(&drifted_exception::META),
    EngineRule(&unpinned_exception::META),
];

/// The registry entries of this family (documented, listed by `sansou rules`).
pub fn all() -> Vec<&'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> = vec![&flow_blocked::Rule];
    all.extend(ENGINE_RULES.iter().map(|r| r as &dyn Rule));
    all
}

/// Rules the engine evaluates itself (they look at exceptions, not at the topology).
pub fn is_engine_rule(code: &str) -> bool {
    ENGINE_RULES.iter().any(|r| r.0.code == code)
}

/// Every `[[matrix]]` and `[[assert]]` entry of the policy: (code, name, outcomes).
pub fn policy_checks(cx: &mut Context<'_>) -> Vec<(String, String, Vec<Outcome>)> {
    let mut out = matrix::check(cx);
    out.extend(assert::check(cx));
    out
}
