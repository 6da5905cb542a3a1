//! How rule bases are written here: `allow(from, to, services)` and `deny(...)` over one
//! selector or several, and the rest of a rule read the way rule bases are
//! (`.entering("lg-link").log("why")`).

use super::layout::{Net, Office};
use super::values::{at, net, services, single};
use crate::model::*;
use crate::source::Loc;

/// What a rule's `from` or `to` accepts: one selector, or several (their union).
pub(super) trait Selectors {
    fn selectors(self) -> Vec<At<Selector>>;
}

impl Selectors for Selector {
    fn selectors(self) -> Vec<At<Selector>> {
        vec![at(self)]
    }
}

impl Selectors for Vec<Selector> {
    fn selectors(self) -> Vec<At<Selector>> {
        self.into_iter().map(at).collect()
    }
}

/// What a rule's `service` accepts: services as the format writes them (`"tcp/53 udp/53"`,
/// `"any"`), or built values (filler rules, where parsing would cost at 1M rules).
pub(super) trait Services {
    fn services(self) -> Vec<At<Service>>;
}

impl Services for &str {
    fn services(self) -> Vec<At<Service>> {
        services(self).into_iter().map(at).collect()
    }
}

impl Services for Vec<Service> {
    fn services(self) -> Vec<At<Service>> {
        self.into_iter().map(at).collect()
    }
}

pub(super) fn rule(
    action: Action,
    from: impl Selectors,
    to: impl Selectors,
    services: impl Services,
) -> Rule {
    Rule {
        action,
        from: from.selectors(),
        to: to.selectors(),
        services: services.services(),
        in_interfaces: Vec::new(),
        out_interfaces: Vec::new(),
        log: false,
        reason: None,
        origin: None,
        approximation: None,
        identity: Default::default(),
        loc: Loc::default(),
    }
}

pub(super) fn allow(from: impl Selectors, to: impl Selectors, services: impl Services) -> Rule {
    rule(Action::Allow, from, to, services)
}

pub(super) fn deny(from: impl Selectors, to: impl Selectors, services: impl Services) -> Rule {
    rule(Action::Deny, from, to, services)
}

/// The rest of a rule, the way rule bases are read: `.entering("lg-link").log("why")`.
pub(super) trait RuleExt {
    fn entering(self, interface: &str) -> Rule;
    fn leaving(self, interface: &str) -> Rule;
    fn why(self, reason: impl Into<String>) -> Rule;
    /// Logged, with its reason.
    fn log(self, reason: impl Into<String>) -> Rule;
}

impl RuleExt for Rule {
    fn entering(mut self, interface: &str) -> Rule {
        self.in_interfaces.push(at(interface.into()));
        self
    }

    fn leaving(mut self, interface: &str) -> Rule {
        self.out_interfaces.push(at(interface.into()));
        self
    }

    fn why(mut self, reason: impl Into<String>) -> Rule {
        self.reason = Some(reason.into());
        self
    }

    fn log(mut self, reason: impl Into<String>) -> Rule {
        self.log = true;
        self.why(reason)
    }
}

pub(super) fn addr(a: u32) -> Selector {
    Selector::Addr(single(a))
}

pub(super) fn prefix(p: (u32, u8)) -> Selector {
    Selector::Addr(AddrRange::from_net(net(p.0, p.1)))
}

pub(super) fn segment(n: &Net) -> Selector {
    Selector::Segment(n.id.clone())
}

pub(super) fn segments(offices: &[Office]) -> Vec<Selector> {
    offices.iter().map(|o| segment(&o.net)).collect()
}
