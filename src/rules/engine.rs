//! Running the rules: which apply at which level (the policy's profile and overrides), their
//! outcomes turned into findings, and the policy's exceptions applied (an expired exception no
//! longer applies and is itself reported; an exception that matches nothing is reported too).

use super::custom;
use super::memo::{Kept, Memo, Part, Since, standing};
use super::{Context, Evidence, Meta, Outcome, Text, Verdict};
use crate::model::policy::{Exception, Level, Policy, Profile};
use crate::model::{NetworkModel, Topology};
use crate::source::Loc;

/// An accepted finding's exception.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub reason: String,
    pub approved_by: String,
    pub expires: Option<String>,
    pub loc: Loc,
}

/// A failed or unknown verdict, at the level the policy gives its rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub verdict: Verdict,
    pub subject: String,
    pub loc: Option<Loc>,
    pub message: Text,
    pub evidence: Option<Evidence>,
    pub exception: Option<Accepted>,
    /// What the finding is about, as an exception's `accepted` pins it (`rules::content`).
    pub content: Option<String>,
}

impl Finding {
    /// The key that follows this finding from run to run (code and subject, never the message).
    pub fn fingerprint(&self) -> String {
        super::fingerprint::fingerprint(&self.code, &self.subject)
    }
}

/// A rule's overall result.
#[derive(Clone, Debug)]
pub struct RuleResult {
    pub code: String,
    pub name: String,
    pub guideline: String,
    pub level: Level,
    /// Fail if any subject fails (and is not accepted), else unknown if any is unknown, else
    /// pass. Accepted failures make the rule pass with `accepted > 0`.
    pub verdict: Verdict,
    pub checked: usize,
    pub failed: usize,
    pub unknown: usize,
    pub accepted: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub deny: usize,
    pub warn: usize,
    pub accepted: usize,
    pub unknown: usize,
}

pub struct CheckResult {
    /// The model the rules were chosen for.
    pub model: NetworkModel,
    /// Where the model came from: `policy`, `topology`, or `default` (nothing declared: α).
    pub model_source: &'static str,
    pub profile: String,
    /// The guideline edition in force: the one the topology claims, else the newest.
    pub edition: &'static crate::model::edition::Edition,
    pub today: String,
    /// Every rule that was evaluated (level not `allow`), in registry order.
    pub results: Vec<RuleResult>,
    pub findings: Vec<Finding>,
}

impl CheckResult {
    /// The findings of one rule, in their order.
    pub fn findings_of(&self, code: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.code == code).collect()
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.findings {
            if f.exception.is_some() {
                s.accepted += 1;
            } else if f.verdict == Verdict::Unknown {
                s.unknown += 1;
            } else if f.level == Level::Deny {
                s.deny += 1;
            } else if f.level == Level::Warn {
                s.warn += 1;
            }
        }
        s
    }

    /// Whether an exception of the policy has expired, and how many findings it accepts.
    pub fn exception_state(&self, e: &Exception) -> (bool, usize) {
        let expired = e
            .expires
            .as_ref()
            .is_some_and(|x| x.value.as_str() < self.today.as_str());
        let applied = self
            .findings
            .iter()
            .filter(|f| f.code == e.rule.value && f.subject == e.subject && f.exception.is_some())
            .count();
        (expired, applied)
    }

    /// Whether a finding at deny level stands (exit code 1).
    pub fn fails(&self) -> bool {
        self.summary().deny > 0
    }
}

/// The model whose built-in profile applies, and where it came from.
pub fn model_for(topo: &Topology, policy: &Policy) -> (NetworkModel, &'static str) {
    match policy.profile {
        Some(Profile::Model(m)) => (m, "policy"),
        _ => match &topo.meta.model {
            Some(m) => (m.value, "topology"),
            None => (NetworkModel::Alpha, "default"),
        },
    }
}

/// The level of a rule: the policy's override, else the profile's default. With
/// `profile = "none"` only the rules the policy names are on.
pub fn level_for(meta: &Meta, policy: &Policy, model: NetworkModel) -> Level {
    if let Some(l) = policy.levels.get(meta.code) {
        return l.value;
    }
    match policy.profile {
        Some(Profile::None) => Level::Allow,
        _ => meta.levels.for_model(model),
    }
}

/// The calendar date of a day number since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Options for a run.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Evaluate only this rule, at deny level whatever the profile says (for fixtures).
    pub only: Option<&'a str>,
    /// The run's date (`YYYY-MM-DD`), which the caller reads: the rules read no clock.
    pub today: String,
    /// Run every rule on the calling thread, in the one context (for tests that show the
    /// two lanes give the same outcomes: [`super::Lane`]).
    pub one_lane: bool,
    /// The last check's outcomes and what changed since, to re-use where they still hold
    /// (`check --watch`: [`super::memo`]).
    pub since: Option<&'a Since>,
}

/// Evaluates the rules on a context made by [`Context::new`] (whose analysis the caller can then
/// use to print witnesses).
pub fn run(cx: &mut Context<'_>, opts: &RunOptions<'_>) -> CheckResult {
    run_inner(cx, opts, false).0
}

/// [`run`], recording what each rule reads and keeping its outcomes for the next run
/// ([`RunOptions::since`]); also says how many rules re-used outcomes of the last.
pub fn run_keeping(cx: &mut Context<'_>, opts: &RunOptions<'_>) -> (CheckResult, Memo, usize) {
    let (result, memo, reused) = run_inner(cx, opts, true);
    (result, memo.unwrap_or_default(), reused)
}

fn run_inner(
    cx: &mut Context<'_>,
    opts: &RunOptions<'_>,
    keep: bool,
) -> (CheckResult, Option<Memo>, usize) {
    let (topo, policy) = (cx.topo, cx.policy);
    let (model, model_source) = model_for(topo, policy);
    let profile = match policy.profile {
        Some(p) => p.to_string(),
        None => model.to_string(),
    };
    let today = opts.today.clone();
    cx.today = today.clone();
    let edition = crate::model::edition::in_force(topo.meta.guideline.as_deref());
    let cite = |g: &str| super::sources::with_edition(g, edition);
    let mut results = Vec::new();
    let mut findings = Vec::new();
    let record = |code: &str,
                  name: &str,
                  guideline: &str,
                  level: Level,
                  (checked, outcomes): (usize, Vec<Outcome>),
                  results: &mut Vec<RuleResult>,
                  findings: &mut Vec<Finding>| {
        let mut r = RuleResult {
            code: code.into(),
            name: name.into(),
            guideline: guideline.into(),
            level,
            verdict: Verdict::Pass,
            checked,
            failed: 0,
            unknown: 0,
            accepted: 0,
        };
        for o in outcomes {
            match o.verdict {
                Verdict::Pass => continue,
                Verdict::Fail => r.failed += 1,
                Verdict::Unknown => r.unknown += 1,
            }
            findings.push(Finding {
                code: code.into(),
                name: name.into(),
                level,
                verdict: o.verdict,
                subject: o.subject,
                loc: o.loc,
                message: o.message,
                evidence: o.evidence.map(|e| *e),
                exception: None,
                content: None,
            });
        }
        results.push(r);
    };
    let mut selected: Vec<(&'static dyn super::Rule, Level)> = Vec::new();
    for entry in super::registry() {
        // The engine's own rules are evaluated with the exceptions, below.
        let super::Registered::Check(rule) = entry else {
            continue;
        };
        let level = match opts.only {
            Some(code) if code == rule.meta().code => Level::Deny,
            Some(_) => continue,
            None => level_for(rule.meta(), policy, model),
        };
        if level != Level::Allow {
            selected.push((rule, level));
        }
    }
    let rules: Vec<&'static dyn super::Rule> = selected.iter().map(|(r, _)| *r).collect();
    let mut memo = keep.then(|| Memo {
        today: today.clone(),
        rules: Default::default(),
    });
    let (all_outcomes, reused) = check_in_lanes(cx, &rules, opts, keep);
    for ((rule, level), kept) in selected.into_iter().zip(all_outcomes) {
        let meta = rule.meta();
        let checked = kept.checked;
        let standing = match &mut memo {
            Some(memo) => {
                let standing = kept.standing.clone();
                memo.rules.insert(meta.code, kept);
                standing
            }
            None => kept.standing,
        };
        record(
            meta.code,
            meta.name,
            &cite(meta.guideline),
            level,
            (checked, standing),
            &mut results,
            &mut findings,
        );
    }
    if opts.only.is_none() {
        for (id, name, outcomes) in custom::policy_checks(cx) {
            let level = policy.levels.get(&id).map_or(Level::Deny, |l| l.value);
            if level != Level::Allow {
                record(
                    &id,
                    &name,
                    "policy",
                    level,
                    (outcomes.len(), outcomes),
                    &mut results,
                    &mut findings,
                );
            }
        }
    }
    findings.sort_by(|a, b| (&a.code, &a.subject).cmp(&(&b.code, &b.subject)));
    for f in findings.iter_mut() {
        f.content = super::content::of(topo, f);
    }
    let exception_findings = apply_exceptions(topo, &policy.exceptions, &today, &mut findings);
    for (meta, outcomes) in exception_findings
        .into_iter()
        .filter(|_| opts.only.is_none())
    {
        let level = level_for(meta, policy, model);
        if level != Level::Allow {
            record(
                meta.code,
                meta.name,
                &cite(meta.guideline),
                level,
                (outcomes.len(), outcomes),
                &mut results,
                &mut findings,
            );
        }
    }
    for r in results.iter_mut() {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.code == r.code).collect();
        r.accepted = mine.iter().filter(|f| f.exception.is_some()).count();
        let standing = |v: Verdict| mine.iter().any(|f| f.exception.is_none() && f.verdict == v);
        r.verdict = if standing(Verdict::Fail) {
            Verdict::Fail
        } else if standing(Verdict::Unknown) {
            Verdict::Unknown
        } else {
            Verdict::Pass
        };
    }
    let result = CheckResult {
        model,
        model_source,
        profile,
        edition,
        today,
        results,
        findings,
    };
    (result, memo, reused)
}

/// The largest packet-set store the engine copies for a second lane (bytes).
const FORK_BUDGET: usize = 256 << 20;

/// Each rule's outcomes, in the order of `rules`, re-used from `opts.since` where they still
/// hold, else found: the second lane's rules on a thread of their own over a copy of the
/// context, when there are rules to run in both lanes (see [`super::Lane`]). With `keep`,
/// what each rule reads is recorded. Also says how many rules re-used their outcomes.
fn check_in_lanes(
    cx: &mut Context<'_>,
    rules: &[&'static dyn super::Rule],
    opts: &RunOptions<'_>,
    keep: bool,
) -> (Vec<Kept>, usize) {
    let mut found: Vec<Option<Kept>> = rules
        .iter()
        .map(|r| opts.since.and_then(|s| s.reuse(r.meta().code, &opts.today)))
        .collect();
    let reused = found.iter().flatten().count();
    let to_run: Vec<usize> = (0..rules.len()).filter(|&i| found[i].is_none()).collect();
    let on_second = second_lane(rules, opts.since);
    let second = |i: &usize| on_second[*i];
    // The copy costs memory as well as time: beyond the budget, memory comes first and the
    // rules run in one lane (a tier XL design's copy is about 240 MB, within it, and its
    // rules' peak stays under the loader's).
    let split = !opts.one_lane
        && cx.reach.space.footprint() <= FORK_BUDGET
        && to_run.iter().any(second)
        && !to_run.iter().all(second);
    if !split {
        for &i in &to_run {
            found[i] = Some(check_one(cx, rules[i], keep, opts.since, &opts.today));
        }
    } else {
        let mut fork = cx.fork();
        std::thread::scope(|scope| {
            let beside = scope.spawn(|| {
                to_run
                    .iter()
                    .filter(|i| second(i))
                    .map(|&i| {
                        (
                            i,
                            check_one(&mut fork, rules[i], keep, opts.since, &opts.today),
                        )
                    })
                    .collect::<Vec<(usize, Kept)>>()
            });
            for &i in to_run.iter().filter(|i| !second(i)) {
                found[i] = Some(check_one(cx, rules[i], keep, opts.since, &opts.today));
            }
            // A panic in a rule is a bug: it goes on as it would have on one thread.
            let theirs = beside
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, kept) in theirs {
                found[i] = Some(kept);
            }
        });
        cx.adopt(fork);
    }
    let found = found
        .into_iter()
        .map(|o| o.expect("every rule re-used or ran in one lane"))
        .collect();
    (found, reused)
}

/// Which of `rules` run on the second lane (by index), as each rule's [`Lane`](super::Lane)
/// says: in a first check, the attack rules and the other rules marked for the second lane;
/// in a re-check (`since`), the attack rules alone. A re-check runs only the rules whose reads
/// changed, which are mostly first-lane rules beside the attack analysis, and the attack
/// analysis takes about as long as the rest of them together at tier L.
fn second_lane(rules: &[&'static dyn super::Rule], since: Option<&Since>) -> Vec<bool> {
    use super::Lane;
    rules
        .iter()
        .map(|r| match r.lane() {
            Lane::Main => false,
            Lane::Second => since.is_none(),
            Lane::Attack => true,
        })
        .collect()
}

/// Runs one rule: its count of subjects and standing outcomes, and with `keep`, what it read.
/// A rule that judges firewall by firewall is run part by part, and with `since`, only the
/// parts of the edited firewalls run again (the others' outcomes are kept).
fn check_one(
    cx: &mut Context<'_>,
    rule: &dyn super::Rule,
    keep: bool,
    since: Option<&Since>,
    today: &str,
) -> Kept {
    if keep {
        cx.reach.track_reads();
    }
    let mut kept = match rule.by_firewall() {
        // Part by part even in a first check: each firewall's passes are counted and dropped
        // as it is judged, rather than all held at once (a pass per allow rule for NET-001
        // took 140 MB at tier XL, on top of the peak).
        Some(by) => {
            let old = since
                .filter(|_| keep)
                .and_then(|s| Some((s, s.parts_of(rule.meta().code, today)?)));
            let mut parts = Vec::with_capacity(cx.topo.firewalls.len());
            for f in 0..cx.topo.firewalls.len() {
                let part = old
                    .filter(|(s, _)| !s.edited(f))
                    .and_then(|(s, k)| s.moved_part(&k.parts[f]));
                parts.push(part.unwrap_or_else(|| Part::of(by.part(cx, f))));
            }
            let rest = by.rest(cx, parts.iter().any(|p| p.checked > 0));
            let checked = parts.iter().map(|p| p.checked).sum::<usize>() + rest.len();
            let mut all: Vec<Outcome> = parts.iter().flat_map(|p| p.standing.clone()).collect();
            all.extend(standing(rest));
            let mut reads = old.map(|(_, k)| k.reads.clone()).unwrap_or_default();
            reads.forget_rule_lists();
            Kept {
                checked,
                standing: all,
                reads,
                // Kept for the next check only.
                parts: if keep { parts } else { Vec::new() },
            }
        }
        _ => {
            let outcomes = rule.check(cx);
            Kept {
                checked: outcomes.len(),
                standing: standing(outcomes),
                reads: Default::default(),
                parts: Vec::new(),
            }
        }
    };
    if let Some(read) = cx.reach.take_reads() {
        kept.reads.add(&read);
    }
    if rule.reads_rule_lists() {
        kept.reads.add_rule_lists();
    }
    kept
}

/// Marks findings covered by a valid exception as accepted. Returns the findings about the
/// exceptions themselves: expired ones (POL-001), ones that match nothing (POL-002), ones whose
/// accepted content changed and so no longer apply (POL-003), and ones that hold on to a rule's
/// position without pinning its content (POL-004).
fn apply_exceptions(
    topo: &Topology,
    exceptions: &[Exception],
    today: &str,
    findings: &mut [Finding],
) -> Vec<(&'static Meta, Vec<Outcome>)> {
    let mut expired = Vec::new();
    let mut unused = Vec::new();
    let mut drifted = Vec::new();
    let mut unpinned = Vec::new();
    for e in exceptions {
        let subject = format!("{}:{}", e.rule.value, e.subject);
        let matching: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.code == e.rule.value && f.subject == e.subject)
            .map(|(i, _)| i)
            .collect();
        if let Some(exp) = &e.expires
            && exp.value.as_str() < today
        {
            expired.push(Outcome::fail(
                subject,
                Some(exp.loc),
                Text::new(
                    format!(
                        "例外 ({} / {}) は {} に期限切れ: 指摘は再び有効",
                        e.rule.value, e.subject, exp.value
                    ),
                    format!(
                        "the exception for {} on `{}` expired on {}; the finding stands again",
                        e.rule.value, e.subject, exp.value
                    ),
                ),
            ));
            continue;
        }
        if matching.is_empty() {
            unused.push(Outcome::fail(
                subject.clone(),
                Some(e.loc),
                Text::new(
                    format!("例外 ({} / {}) に該当する指摘がない", e.rule.value, e.subject),
                    format!(
                        "the exception for {} on `{}` matches no finding (fixed, renamed, or a typo in `subject`)",
                        e.rule.value, e.subject
                    ),
                ),
            ));
        }
        let content = matching.first().and_then(|&i| findings[i].content.clone());
        if let Some(accepted) = &e.accepted
            && !matching.is_empty()
            && content.as_deref() != Some(accepted.value.as_str())
        {
            let now = content.unwrap_or_else(|| "—".into());
            drifted.push(Outcome::fail(
                subject,
                Some(accepted.loc),
                Text::new(
                    format!(
                        "例外 ({} / {}) が受容した内容「{}」が「{now}」に変わった: 例外は適用されず、指摘は有効",
                        e.rule.value, e.subject, accepted.value
                    ),
                    format!(
                        "the exception for {} on `{}` accepted `{}`, which is now `{now}`: it no longer applies and the finding stands",
                        e.rule.value, e.subject, accepted.value
                    ),
                ),
            ));
            continue;
        }
        if e.accepted.is_none()
            && let Some(content) = &content
            && super::content::names_rule_by_position(topo, &e.subject)
        {
            unpinned.push(Outcome::fail(
                subject.clone(),
                Some(e.loc),
                Text::new(
                    format!(
                        "例外 ({} / {}) はルールを番号で指している: 上にルールが挿入されると別のルールを受容してしまう。ルールに id を付けて subject で指定し、accepted = \"{content}\" で受容した内容を固定する",
                        e.rule.value, e.subject
                    ),
                    format!(
                        "the exception for {} on `{}` names a rule by its position: a rule inserted above would make it accept another rule. Give the rule an `id`, name it in `subject`, and pin what was accepted with accepted = \"{content}\"",
                        e.rule.value, e.subject
                    ),
                ),
            ));
        }
        for i in matching {
            findings[i].exception = Some(Accepted {
                reason: e.reason.clone(),
                approved_by: e.approved_by.clone(),
                expires: e.expires.as_ref().map(|x| x.value.clone()),
                loc: e.loc,
            });
        }
    }
    vec![
        (&custom::expired_exception::META, expired),
        (&custom::unused_exception::META, unused),
        (&custom::drifted_exception::META, drifted),
        (&custom::unpinned_exception::META, unpinned),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_595), "2026-05-22");
        assert_eq!(super::civil_date(-1), "1969-12-31");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
    }
}
