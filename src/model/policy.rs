//! The policy: which rules apply at which level, attacker assumptions, intended zone
//! connectivity, the municipality's own assertions, and accepted exceptions.

use super::At;
use super::selector::Selector;
use super::service::Service;
use crate::source::Loc;
use std::collections::BTreeMap;

/// A built-in rule set, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Profile {
    Model(super::NetworkModel),
    None,
}

impl Profile {
    pub const WORDS: &'static [&'static str] =
        &["alpha", "alpha-prime", "beta", "beta-prime", "none"];

    pub fn parse(s: &str) -> Option<Profile> {
        if s == "none" {
            return Some(Profile::None);
        }
        super::NetworkModel::parse(s).map(Profile::Model)
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Profile::Model(m) => write!(f, "{m}"),
            Profile::None => f.write_str("none"),
        }
    }
}

/// What a rule's finding does: fail the check, warn, or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Deny,
    Warn,
    Allow,
}

impl Level {
    pub const WORDS: &'static [&'static str] = &["deny", "warn", "allow"];

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "deny" => Some(Level::Deny),
            "warn" => Some(Level::Warn),
            "allow" => Some(Level::Allow),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Deny => "deny",
            Level::Warn => "warn",
            Level::Allow => "allow",
        }
    }
}

/// How the attacker may get in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// Hosts that open internet content (phishing, drive-by).
    InternetUse,
    /// Hosts with a service reachable from the internet.
    ExposedServices,
    /// Wireless networks a stranger in radio range can join (`open`, `psk`, or not stated).
    Wifi,
    /// Remote-access lines that take a password alone (`mfa` not true).
    RemoteAccess,
}

impl Entry {
    pub const WORDS: &'static [&'static str] =
        &["internet-use", "exposed-services", "wifi", "remote-access"];

    pub fn parse(s: &str) -> Option<Entry> {
        match s {
            "internet-use" => Some(Entry::InternetUse),
            "exposed-services" => Some(Entry::ExposedServices),
            "wifi" => Some(Entry::Wifi),
            "remote-access" => Some(Entry::RemoteAccess),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Entry::InternetUse => "internet-use",
            Entry::ExposedServices => "exposed-services",
            Entry::Wifi => "wifi",
            Entry::RemoteAccess => "remote-access",
        }
    }
}

/// `[attacker]`: assumptions of the attack-path analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Attacker {
    pub entry: Vec<Entry>,
    pub lateral_services: Vec<Service>,
    pub sanitizer_bypass: bool,
    /// Where to assume a rogue device (an unregistered machine plugged in at an undeclared
    /// address) as a further entry point: segment, zone, tier or CIDR selectors.
    pub rogue_devices: Vec<At<Selector>>,
}

impl Default for Attacker {
    fn default() -> Attacker {
        let lateral = ["tcp/445", "tcp/135", "tcp/3389", "tcp/5985-5986", "tcp/22"];
        Attacker {
            // Every way in the design states: leaving one out must be a decision the policy
            // writes down, not a default that hides paths.
            entry: vec![
                Entry::InternetUse,
                Entry::ExposedServices,
                Entry::Wifi,
                Entry::RemoteAccess,
            ],
            lateral_services: lateral
                .iter()
                .map(|s| Service::parse(s).expect("built-in service"))
                .collect(),
            sanitizer_bypass: false,
            rogue_devices: Vec::new(),
        }
    }
}

/// `[[matrix]]`: intended connectivity from one set of zones to another.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixEntry {
    /// The code its findings carry: the user's `id`, else `MATRIX-<n>` (1-based).
    pub id: String,
    pub from: At<Selector>,
    pub to: At<Selector>,
    /// What may cross: services and `channel:KIND` selectors; empty means nothing.
    pub allow: Vec<At<MatrixAllow>>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MatrixAllow {
    Service(Service),
    Channel(super::GatewayKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    NoPath,
    OnlyVia,
    /// Must reach: every `from` endpoint gets to every `to` endpoint (on each of `services`).
    Path,
}

/// `[[assert]]`: the municipality's own path assertion.
#[derive(Clone, Debug, PartialEq)]
pub struct Assert {
    pub id: String,
    pub description: Option<String>,
    pub from: Vec<At<Selector>>,
    pub to: Vec<At<Selector>>,
    pub except_from: Vec<At<Selector>>,
    pub expect: Expect,
    pub via: Vec<At<Selector>>,
    /// With `expect = "path"`: the services that must each get through (none: any service).
    pub services: Vec<At<super::Service>>,
    pub loc: Loc,
}

/// `[[exception]]`: an accepted finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub rule: At<String>,
    pub subject: String,
    pub reason: String,
    pub approved_by: String,
    /// `YYYY-MM-DD`.
    pub expires: Option<At<String>>,
    /// What was accepted, as sansou prints a finding's `content` (a rule's match fields, or the
    /// services of a packet finding): when the finding's content differs, the exception no
    /// longer applies (POL-003).
    pub accepted: Option<At<String>>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Policy {
    pub name: Option<String>,
    /// `None` when the policy does not say: the topology's declared model then decides.
    pub profile: Option<Profile>,
    pub levels: BTreeMap<String, At<Level>>,
    pub attacker: Attacker,
    pub matrix: Vec<MatrixEntry>,
    pub asserts: Vec<Assert>,
    pub exceptions: Vec<Exception>,
}
