//! The codes of the guideline rule catalogue. The registry implements many of them; the
//! policy loader accepts levels for every catalogue code (a code the registry does not implement
//! yet is accepted and has no effect) and for the registry's own policy codes.

/// Every code of the guideline rule catalogue, in catalogue order.
pub const CATALOGUE_CODES: &[&str] = &[
    "ZN-001", "ZN-002", "ZN-003", "ZN-004", "MN-001", "MN-002", "MN-003", "MN-004", "MN-005",
    "MN-006", "MN-007", "MN-008", "MN-009", "MN-010", "MN-011", "LG-001", "LG-002", "LG-003",
    "LG-004", "LG-005", "LG-006", "LG-007", "LG-008", "LG-009", "IN-001", "IN-002", "IN-003",
    "IN-004", "IN-005", "BT-001", "BT-002", "BT-003", "AP-001", "AP-002", "DATA-001", "DATA-002",
    "DATA-003", "DATA-004", "DATA-005", "DATA-006", "CRED-001", "CRED-002", "CRED-003", "CRED-004",
    "NET-001", "NET-002", "NET-003", "NET-004", "NET-005", "NET-006", "NET-007", "EP-001",
    "MON-001", "IR-001", "IR-002", "IR-003", "EXT-001", "EXT-002", "EXT-003", "EXT-004", "EXT-005",
    "EXT-006",
];

pub fn is_catalogue_code(code: &str) -> bool {
    CATALOGUE_CODES.contains(&code)
}
