//! The rule registry: every rule is documented in both languages, has a failing and a passing
//! fixture (`tests/fixtures/rules/CODE/{fail,pass}.toml`, with an optional `policy.toml`), and
//! its findings on the failing fixture are pinned by a snapshot.

use sansou::lang::Lang;
use sansou::load::load_inputs;
use sansou::report;
use sansou::rules::engine::{RunOptions, run};
use sansou::rules::{Context, Registered, Verdict, registry};
use std::path::{Path, PathBuf};

fn fixture(code: &str, name: &str) -> PathBuf {
    // Relative to the package root (cargo runs tests there), so locations print short.
    Path::new("tests/fixtures/rules").join(code).join(name)
}

/// Runs one rule on a fixture and returns the rendered text and the verdicts.
fn run_rule(code: &str, file: &str) -> (String, Vec<Verdict>) {
    let policy = fixture(code, "policy.toml");
    let policy = policy.exists().then_some(policy);
    let inputs = load_inputs(&fixture(code, file), policy.as_deref()).unwrap();
    assert!(
        !inputs.diagnostics.has_errors(),
        "{code}/{file}:\n{}",
        sansou::diag::render_all(&inputs.sources, &inputs.diagnostics)
    );
    let policy = inputs.policy.clone().unwrap_or_default();
    let mut cx = Context::new(inputs.checked().unwrap(), &policy);
    let opts = RunOptions {
        one_lane: false,
        only: Some(code),
        today: "2026-04-01".into(),
        since: None,
    };
    let result = run(&mut cx, &opts);
    let verdicts = result
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.verdict)
        .collect();
    let text = report::check::text(&cx.reach, &inputs.sources, &result, Lang::En);
    (text, verdicts)
}

#[test]
fn codes_are_unique_and_every_rule_is_documented_in_both_languages() {
    let rules = registry();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.meta().code).collect();
    codes.sort();
    let before = codes.len();
    codes.dedup();
    assert_eq!(before, codes.len(), "duplicate codes");
    for r in &rules {
        let m = r.meta();
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name `{}` is not kebab-case",
            m.code,
            m.name
        );
        assert!(
            !m.guideline.is_empty(),
            "{}: no guideline reference",
            m.code
        );
        for (lang, d) in [("ja", &m.ja), ("en", &m.en)] {
            for (heading, text) in [
                ("title", d.title),
                ("what", d.what),
                ("why", d.why),
                ("example", d.example),
                ("fix", d.fix),
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "{} {lang}: `{heading}` is empty",
                    m.code
                );
            }
        }
        assert!(
            !m.ja.what.is_ascii(),
            "{}: the Japanese documentation is not in Japanese",
            m.code
        );
    }
}

#[test]
fn every_rule_fails_its_failing_fixture_and_passes_its_passing_one() {
    for entry in registry() {
        // The engine's own rules (exception hygiene) judge a policy's exceptions, not a
        // design, so they have no fixture pair here.
        let Registered::Check(rule) = entry else {
            continue;
        };
        let code = rule.meta().code;
        for file in ["fail.toml", "pass.toml"] {
            assert!(fixture(code, file).exists(), "{code}: {file} is missing");
        }
        let (text, verdicts) = run_rule(code, "fail.toml");
        assert!(
            verdicts.contains(&Verdict::Fail),
            "{code}: the failing fixture does not fail:\n{text}"
        );
        insta::assert_snapshot!(format!("{code}-fail"), text);
        let (text, verdicts) = run_rule(code, "pass.toml");
        assert!(
            verdicts.is_empty(),
            "{code}: the passing fixture has findings:\n{text}"
        );
    }
}
