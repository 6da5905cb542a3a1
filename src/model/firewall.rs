//! Firewalls: anything that forwards packets (firewall, router, L3 switch), with its ordered
//! policy list and per-interface filters.
//!
//! A packet crossing from interface A to interface B passes A's `in` filter, then the policy
//! list (first match wins, then `default`), then B's `out` filter.

use super::At;
use super::selector::Selector;
use super::service::Service;
use super::vocab::{Action, Direction};
use crate::source::Loc;
use std::net::Ipv4Addr;

#[derive(Clone, Debug, PartialEq)]
pub struct Firewall {
    pub id: String,
    pub interfaces: Vec<FirewallInterface>,
    /// What the policy list does when no rule matches.
    pub default: Action,
    /// Whether replies to allowed flows return.
    pub stateful: bool,
    /// A documented choke point that can cut the site off from the internet quickly
    /// (IR-001, IR-003).
    pub isolation_point: Option<bool>,
    pub rules: Vec<Rule>,
    pub filters: Vec<Filter>,
    /// The routing table (`[[firewall.route]]`); empty when the design gives none, and then
    /// a packet may leave through any interface the lists allow (the connected route aside).
    pub routes: Vec<Route>,
    /// Address translation (`[[firewall.nat]]`), in the order written.
    pub nat: Vec<super::nat::Nat>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// What a firewall interface is attached to.
#[derive(Clone, Debug, PartialEq)]
pub enum Attachment {
    Segment(String),
    External(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FirewallInterface {
    /// Name used by rules and filters (`port1`); optional.
    pub name: Option<String>,
    pub attachment: At<Attachment>,
    pub ip: Option<At<Ipv4Addr>>,
    pub loc: Loc,
}

/// One entry of an ordered rule list (the policy list or an interface filter).
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub action: Action,
    /// Sources: the union of the selectors.
    pub from: Vec<At<Selector>>,
    /// Destinations: the union of the selectors.
    pub to: Vec<At<Selector>>,
    pub services: Vec<At<Service>>,
    /// Only packets entering through these interfaces (policy list only).
    pub in_interfaces: Vec<At<String>>,
    /// Only packets leaving through these interfaces (policy list only).
    pub out_interfaces: Vec<At<String>>,
    pub log: bool,
    pub reason: Option<String>,
    /// Where the rule came from outside the topology (set by importers: `fgt.conf:212`).
    pub origin: Option<String>,
    /// How the rule may differ from the device it was imported from, when the importer could
    /// not read it exactly (`assumes … matches every packet: \`-m mark\` not modelled`). The
    /// reading is sound (it may allow more than the device, never less); a decision by such a
    /// rule is an assumption, not an exact answer, and reports say so.
    pub approximation: Option<String>,
    /// Who answers for the rule: its id and review record.
    pub identity: super::Sparse<RuleIdentity>,
    pub loc: Loc,
}

/// A rule's own identity and review record, as rule recertification needs them. The id, unique
/// in its list, names the rule in subjects (`fw-mn/mn-to-chukan`) instead of its position, so
/// findings and exceptions about it survive rules inserted above it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleIdentity {
    pub id: Option<At<String>>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
    pub approved_by: Option<String>,
    /// When the rule was last reviewed (`YYYY-MM-DD`).
    pub reviewed_at: Option<At<String>>,
    /// When the rule's approval ends (`YYYY-MM-DD`).
    pub expires: Option<At<String>>,
}

impl super::sparse::Empty for RuleIdentity {
    const EMPTY: &'static RuleIdentity = &RuleIdentity {
        id: None,
        owner: None,
        ticket: None,
        approved_by: None,
        reviewed_at: None,
        expires: None,
    };
}

/// A static route: packets for `destination` leave through `interface` (or the interface on
/// whose segment `next_hop` lies), or are dropped (`discard`). Longest prefix wins; the
/// firewall's own segments are connected routes.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub destination: At<ipnet::Ipv4Net>,
    pub interface: Option<At<String>>,
    pub next_hop: Option<At<Ipv4Addr>>,
    pub discard: bool,
    /// Where the route came from outside the topology (set by importers: `fgt.conf:88`).
    pub origin: Option<String>,
    pub loc: Loc,
}

/// An ordered list bound to one interface and direction (Cisco `ip access-group`, YAMAHA
/// `secure filter`).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub interface: At<String>,
    pub direction: Direction,
    pub default: Action,
    pub rules: Vec<Rule>,
    pub loc: Loc,
}

impl Rule {
    /// How a subject names the rule within its list: its id, else its 1-based position.
    pub fn key(&self, index: usize) -> String {
        match &self.identity.id {
            Some(id) => id.value.clone(),
            None => (index + 1).to_string(),
        }
    }
}

impl Firewall {
    /// The subject of the policy list's rule at `index`: `FIREWALL/ID`, else `FIREWALL/N`.
    pub fn rule_subject(&self, index: usize) -> String {
        format!("{}/{}", self.id, self.rules[index].key(index))
    }

    /// The subject of a filter's rule: `FIREWALL/IFACE-DIRECTION/ID`, else `.../N`.
    pub fn filter_rule_subject(&self, filter: &Filter, index: usize) -> String {
        format!(
            "{}/{}-{}/{}",
            self.id,
            filter.interface.value,
            filter.direction,
            filter.rules[index].key(index)
        )
    }

    /// The index of the interface with this name.
    pub fn interface_index(&self, name: &str) -> Option<usize> {
        self.interfaces
            .iter()
            .position(|i| i.name.as_deref() == Some(name))
    }
}

/// The most interfaces one firewall may have. The analysis numbers a firewall's interfaces in a
/// fixed number of bits of its packet sets (`analysis::space`), and the loader refuses a
/// firewall with more (`load::limits`), so the analysis never meets one. Defined here, below
/// both, so that neither depends on the other.
pub const MAX_INTERFACES: usize = 256;
