//! `validate` warns about rules that can never match and rules whose removal changes nothing.

use sansou::analysis::rule_lint::rule_warnings;
use sansou::diag::{Diagnostics, render_all};
use sansou::load::{Syntax, decode_topology};
use sansou::source::SourceMap;

#[test]
fn shadowed_and_redundant_rules_are_warned_with_both_places() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/rules.toml"),
    )
    .unwrap();
    let mut sources = SourceMap::default();
    let file = sources.add("lint/rules.toml", text);
    let mut diags = Diagnostics::default();
    let topo = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
    assert!(!diags.has_errors());
    let mut warnings = Diagnostics::default();
    for d in rule_warnings(&topo) {
        warnings.push(d);
    }
    let messages: Vec<&str> = warnings.items.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "rule 2 of the policy list of firewall `fw` can never match",
            "rule 3 of the policy list of firewall `fw` is redundant",
            "rule 5 of the policy list of firewall `fw` is redundant",
        ]
    );
    insta::assert_snapshot!(render_all(&sources, &warnings));
}
