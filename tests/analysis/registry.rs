//! The rule registry is complete: the codes the policy loader accepts (`model::rule_codes`,
//! below `load`) are exactly the codes the registry documents and evaluates, and the catalogue
//! of the report lists the same items in the same order.

use std::collections::BTreeSet;

use sansou::model::rule_codes;

fn registry_codes() -> BTreeSet<&'static str> {
    sansou::rules::registry()
        .iter()
        .map(|r| r.meta().code)
        .collect()
}

#[test]
fn the_loader_accepts_exactly_the_codes_of_the_registry() {
    let expected: BTreeSet<&str> = rule_codes::CATALOGUE
        .iter()
        .filter(|c| !rule_codes::NOT_IMPLEMENTED.contains(c))
        .chain(rule_codes::OWN.iter())
        .copied()
        .collect();
    assert_eq!(registry_codes(), expected);
}

#[test]
fn the_catalogue_lists_the_loader_codes_in_order() {
    let items: Vec<&str> = sansou::rules::catalogue::codes().collect();
    assert_eq!(items, rule_codes::CATALOGUE);
}
