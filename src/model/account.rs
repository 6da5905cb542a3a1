//! Accounts: credentials that matter for lateral movement.

use super::At;
use super::selector::Selector;
use super::vocab::Privilege;
use crate::source::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub id: String,
    pub privilege: Privilege,
    /// Where it grants administrator rights.
    pub admin_on: Vec<At<Selector>>,
    /// Where its credentials are exposed (interactive sessions, cached credentials).
    pub logs_on_to: Vec<At<Selector>>,
    pub groups: Vec<String>,
    pub mfa: Option<bool>,
    /// The password differs on every host it is valid on (e.g. managed by LAPS) (CRED-002).
    pub unique_per_host: Option<bool>,
    /// Used by more than one person (CRED-003, EXT-002).
    pub shared: Option<bool>,
    /// Its log-ons are recorded (CRED-003).
    pub logon_audit: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}
