//! The rule engine: a registry of rules, one per file, each with a stable code from the
//! catalogue (`catalogue.rs`), a kebab-case name, a default level per network
//! model, a guideline reference and documentation in Japanese and English.
//!
//! A rule looks at the model and the analysis (through [`Context`]) and returns an [`Outcome`]
//! per subject it checked: pass, fail, or unknown when the model lacks what it needs. The
//! [`engine`] turns outcomes into findings: it applies the policy's levels and exceptions.
//! To add a rule, copy a rule file of its family, add it to the family's `all()`, and add a
//! fixture folder `tests/fixtures/rules/CODE/` with `fail.toml` and `pass.toml`.

pub mod catalogue;
pub mod content;
pub mod context;
pub mod engine;
pub mod evidence;
pub mod fingerprint;
pub mod group;
pub mod interpretation;
pub mod memo;
pub mod required;
pub mod sources;
pub mod support;

pub mod attack;
pub mod cred;
pub mod custom;
pub mod data;
pub mod ext;
pub mod inet;
pub mod ir;
pub mod lg;
pub mod mn;
pub mod net;
pub mod zn;

pub use catalogue::is_catalogue_code;
pub use context::Context;
pub use evidence::Evidence;

use crate::model::NetworkModel;
use crate::model::policy::Level;
use crate::source::Loc;

/// Documentation of a rule in one language, under the fixed headings.
#[derive(Debug)]
pub struct Doc {
    pub title: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// Example (of a design that fails).
    pub example: &'static str,
    /// How to fix.
    pub fix: &'static str,
}

/// Default level per network model; `Allow` means the rule does not apply to that model.
#[derive(Clone, Copy, Debug)]
pub struct Levels {
    pub alpha: Level,
    pub alpha_prime: Level,
    pub beta: Level,
    pub beta_prime: Level,
}

impl Levels {
    /// The same level in every model.
    pub const fn all(level: Level) -> Levels {
        Levels {
            alpha: level,
            alpha_prime: level,
            beta: level,
            beta_prime: level,
        }
    }

    pub fn for_model(&self, m: NetworkModel) -> Level {
        match m {
            NetworkModel::Alpha => self.alpha,
            NetworkModel::AlphaPrime => self.alpha_prime,
            NetworkModel::Beta => self.beta,
            NetworkModel::BetaPrime => self.beta_prime,
        }
    }
}

/// Everything known about a rule except how it checks.
#[derive(Debug)]
pub struct Meta {
    pub code: &'static str,
    /// Kebab-case; says what is flagged.
    pub name: &'static str,
    pub levels: Levels,
    /// Guideline reference, as a report cites it (`GL(R6.10) 対策基準 3.(1)①`).
    pub guideline: &'static str,
    /// Confidence tag of the catalogue: `V` confirmed by the source, `G` from guideline text,
    /// `I` engineering interpretation (advisory).
    pub confidence: &'static str,
    pub ja: Doc,
    pub en: Doc,
}

/// The verdict of a rule on one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Pass,
    Fail,
    /// The model lacks what the rule needs; never silently a pass.
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
        }
    }
}

/// A message in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Ja => &self.ja,
            crate::lang::Lang::En => &self.en,
        }
    }
}

/// A rule's verdict on one subject.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub verdict: Verdict,
    /// What the verdict is about, as exceptions name it: a host, store or account id, a firewall
    /// rule as `firewall/N`, a zone pair as `from->to`.
    pub subject: String,
    /// Where the subject is written.
    pub loc: Option<Loc>,
    pub message: Text,
    /// Boxed: most outcomes are passes without evidence, and some rules give one per firewall
    /// rule (10⁶ at tier XL), so an `Outcome` stays small (a third of its size unboxed).
    pub evidence: Option<Box<Evidence>>,
}

impl Outcome {
    pub fn pass(subject: impl Into<String>, loc: Option<Loc>) -> Outcome {
        Outcome {
            verdict: Verdict::Pass,
            subject: subject.into(),
            loc,
            message: Text::new("", ""),
            evidence: None,
        }
    }

    pub fn fail(subject: impl Into<String>, loc: Option<Loc>, message: Text) -> Outcome {
        Outcome {
            verdict: Verdict::Fail,
            subject: subject.into(),
            loc,
            message,
            evidence: None,
        }
    }

    pub fn unknown(subject: impl Into<String>, loc: Option<Loc>, message: Text) -> Outcome {
        Outcome {
            verdict: Verdict::Unknown,
            ..Outcome::fail(subject, loc, message)
        }
    }

    pub fn with_evidence(mut self, e: Evidence) -> Outcome {
        self.evidence = Some(Box::new(e));
        self
    }

    /// Pass, fail or unknown from an optional boolean property (`None` is unknown).
    pub fn from_property(
        value: Option<bool>,
        subject: impl Into<String>,
        loc: Option<Loc>,
        fail: Text,
        unknown: Text,
    ) -> Outcome {
        match value {
            Some(true) => Outcome::pass(subject, loc),
            Some(false) => Outcome::fail(subject, loc, fail),
            None => Outcome::unknown(subject, loc, unknown),
        }
    }
}

/// A check of the design. Implementations live one per file, grouped by family; each family's
/// `all()` lists them and [`registry`] lists the families (`tests/analysis/registry.rs` proves
/// no rule file is left out).
pub trait Rule: Sync {
    fn meta(&self) -> &'static Meta;
    /// The rule's outcomes. A rule that judges firewall by firewall gives its parts instead
    /// ([`Rule::by_firewall`]), and this is then [`by_firewall`] over them.
    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let parts = self
            .by_firewall()
            .expect("a rule implements `check` or `by_firewall`");
        by_firewall(parts, cx)
    }
    /// Where the engine runs the rule (see [`Lane`]).
    fn lane(&self) -> Lane {
        Lane::Main
    }
    /// Whether the rule reads firewalls' rule lists from the design itself (`fw.rules`,
    /// `fw.filters`), not only through the context's reachability, whose reads are recorded
    /// ([`memo`]): `check --watch` then runs it again after any rule edit rather than re-use
    /// its outcomes. A rule that reads them must say so (`tests/analysis/memo.rs` edits rule
    /// lists under every sample design and compares re-used outcomes with a cold run).
    fn reads_rule_lists(&self) -> bool {
        self.by_firewall().is_some()
    }
    /// For a rule that reads rule lists firewall by firewall: its parts ([`ByFirewall`]), so
    /// that `check --watch` runs only the edited firewalls' parts again.
    fn by_firewall(&self) -> Option<&dyn ByFirewall> {
        None
    }
}

/// A rule that judges each firewall by its own rule lists: its outcomes about firewall `f`
/// depend on `f`'s lists and on the rest of the design, never on another firewall's lists. Its
/// [`Rule::check`] is [`by_firewall`]: every firewall's part in order, then the rest.
pub trait ByFirewall: Sync {
    /// The outcomes about firewall `f`.
    fn part(&self, cx: &mut Context<'_>, f: usize) -> Vec<Outcome>;
    /// The outcomes that are about no firewall's lists, given whether the parts gave any (a
    /// rule with nothing to judge passes on its scope).
    fn rest(&self, cx: &mut Context<'_>, any: bool) -> Vec<Outcome>;
}

/// A [`ByFirewall`] rule's outcomes: every firewall's part in order, then the rest.
pub fn by_firewall(rule: &dyn ByFirewall, cx: &mut Context<'_>) -> Vec<Outcome> {
    let mut out = Vec::new();
    for f in 0..cx.topo.firewalls.len() {
        out.extend(rule.part(cx, f));
    }
    let rest = rule.rest(cx, !out.is_empty());
    out.extend(rest);
    out
}

/// The engine runs rules on two threads, each over its own copy of the reachability. In a
/// first check, the rules that read the attack analysis (the longest single piece of work
/// among the rules) and a few that follow the most packets (NET-002, NET-003, LG-002: chosen
/// so the two lanes take about as long at tier L) run on the second, the rest on the first.
/// A re-check (`check --watch`) runs only the rules whose reads changed, mostly first-lane
/// ones: the attack rules run on the second lane, all the others on the first (at tier L the
/// attack analysis takes about as long as the rest of a re-check's rules). The attack rules
/// are always in one lane, as the first of them makes the analysis the others read. A rule's
/// outcomes never depend on its lane: both copies hold the same sets, and what a rule asks
/// of them does not depend on what was asked before (`tests/analysis/lanes.rs` runs the
/// samples in one lane and in two and compares).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Main,
    /// On the second lane in a first check.
    Second,
    /// Reads the attack analysis: on the second lane in a first check, and in one lane with
    /// the other attack rules in every check.
    Attack,
}

/// An entry of the registry: a code that `sansou rules` lists and `explain` documents.
#[derive(Clone, Copy)]
pub enum Registered {
    /// A rule that looks at the design: the engine runs its [`Rule::check`].
    Check(&'static dyn Rule),
    /// A rule the engine evaluates itself, because it looks at the policy's exceptions and the
    /// findings rather than the design (POL-001 to 004, `engine::apply_exceptions`): only its
    /// documentation is registered, so there is no `check` to leave empty.
    Engine(&'static Meta),
}

impl Registered {
    pub fn meta(self) -> &'static Meta {
        match self {
            Registered::Check(rule) => rule.meta(),
            Registered::Engine(meta) => meta,
        }
    }
}

/// Every rule sansou implements, in catalogue order of families, the engine's own last.
pub fn registry() -> Vec<Registered> {
    let checks = [
        zn::all(),
        mn::all(),
        lg::all(),
        inet::all(),
        data::all(),
        cred::all(),
        net::all(),
        ir::all(),
        ext::all(),
        attack::all(),
        custom::all(),
    ];
    let checks = checks.into_iter().flatten().map(Registered::Check);
    let engine = custom::ENGINE.iter().copied().map(Registered::Engine);
    checks.chain(engine).collect()
}

/// The rule with this code.
pub fn find(code: &str) -> Option<Registered> {
    registry().into_iter().find(|r| r.meta().code == code)
}
