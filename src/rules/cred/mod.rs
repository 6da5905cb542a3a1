//! Rules of the `CRED` family of the catalogue: credentials that let an attacker move from one
//! host to the next (domain admins on terminals, shared local admin passwords, accounts that
//! span the My Number and the internet tier).

pub mod cred_001;
pub mod cred_002;
pub mod cred_003;
pub mod cred_004;

use super::Rule;
pub use crate::analysis::host_index::HostIndex;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &cred_001::Rule,
        &cred_002::Rule,
        &cred_003::Rule,
        &cred_004::Rule,
    ]
}
