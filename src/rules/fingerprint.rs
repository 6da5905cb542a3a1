//! A finding's fingerprint: the key that follows one finding from run to run (`diff`, SARIF
//! `partialFingerprints`, the JSON `fingerprint`, the report's `data-fingerprint`).
//!
//! It depends on the rule code and the subject's identity only. Messages are reworded and
//! translated, and their counts and lists change when a rule widens or narrows; the subject is
//! what the finding is about. Subjects name firewall rules by their `id` when they have one,
//! so a rule inserted above an identified rule changes no fingerprint; a rule without an id is
//! named by its position, the only identity it has.

use crate::source::sha256_hex;

/// The version written before the hashed text: a change of what is hashed gets a new one.
const SCHEME: &str = "sansou-finding-v2";

/// The fingerprint of a finding of rule `code` on `subject`: 16 hex digits of SHA-256.
pub fn fingerprint(code: &str, subject: &str) -> String {
    let text = format!("{SCHEME}\u{0}{code}\u{0}{subject}");
    let mut hex = sha256_hex(text.as_bytes());
    hex.truncate(16);
    hex
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn code_and_subject_are_both_part_of_it() {
        let a = fingerprint("MN-002", "fw-mn/allow-web");
        assert_eq!(a.len(), 16);
        assert_eq!(a, fingerprint("MN-002", "fw-mn/allow-web"));
        assert_ne!(a, fingerprint("MN-003", "fw-mn/allow-web"));
        assert_ne!(a, fingerprint("MN-002", "fw-mn/allow-mail"));
        // The separator keeps `A` + `B/C` apart from `A/B` + `C`.
        assert_ne!(fingerprint("A", "B/C"), fingerprint("A/B", "C"));
    }
}
