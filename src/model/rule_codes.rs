//! The rule codes a policy may name in `[rules]` and `[[exception]]`: the guideline
//! catalogue's and sansou's own.
//!
//! They live here, below `load`, because the policy loader checks every code it reads (with a
//! did-you-mean) and `load` may not know the rules (ARCHITECTURE.md, Invariants). The rules
//! own the documentation of each code; `tests/analysis/registry.rs` proves these lists and the
//! registry agree, so a rule added to one and not the other fails the tests.

/// Every code of the guideline rule catalogue, in catalogue order (`rules::catalogue::ITEMS`
/// holds their titles).
pub const CATALOGUE: [&str; 62] = [
    "ZN-001", "ZN-002", "ZN-003", "ZN-004", "MN-001", "MN-002", "MN-003", "MN-004", "MN-005",
    "MN-006", "MN-007", "MN-008", "MN-009", "MN-010", "MN-011", "LG-001", "LG-002", "LG-003",
    "LG-004", "LG-005", "LG-006", "LG-007", "LG-008", "LG-009", "IN-001", "IN-002", "IN-003",
    "IN-004", "IN-005", "BT-001", "BT-002", "BT-003", "AP-001", "AP-002", "DATA-001", "DATA-002",
    "DATA-003", "DATA-004", "DATA-005", "DATA-006", "CRED-001", "CRED-002", "CRED-003", "CRED-004",
    "NET-001", "NET-002", "NET-003", "NET-004", "NET-005", "NET-006", "NET-007", "EP-001",
    "MON-001", "IR-001", "IR-002", "IR-003", "EXT-001", "EXT-002", "EXT-003", "EXT-004", "EXT-005",
    "EXT-006",
];

/// sansou's own codes, which the catalogue does not list: routing (NET-008, NET-009), attack
/// paths (ATK-001, ATK-002), declared flows (FLOW-001) and exception hygiene (POL-001 to 004).
pub const OWN: [&str; 9] = [
    "NET-008", "NET-009", "ATK-001", "ATK-002", "FLOW-001", "POL-001", "POL-002", "POL-003",
    "POL-004",
];

/// Catalogue codes no rule implements yet: a policy may set their level, with a warning that
/// it has no effect. Empty since every item got a rule; kept so a new catalogue edition can
/// add items before their rules.
pub const NOT_IMPLEMENTED: [&str; 0] = [];

/// Whether a policy may name `code` (a catalogue code or one of sansou's own).
pub fn is_known(code: &str) -> bool {
    CATALOGUE.contains(&code) || OWN.contains(&code)
}

/// Whether a rule evaluates `code`.
pub fn is_implemented(code: &str) -> bool {
    is_known(code) && !NOT_IMPLEMENTED.contains(&code)
}

/// Every code a policy may name, for suggestions.
pub fn all() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().chain(OWN.iter()).copied()
}
