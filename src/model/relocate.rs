//! Moving every location a model value holds.
//!
//! After an edit, everything written after it in its file moves by the edit's change in
//! length. `load::reload` re-reads only the edited firewall of a large design and moves the
//! locations of everything else instead of decoding it again; each type hands every [`Loc`] it
//! holds to a function that moves it.
//!
//! Each implementation destructures its type without `..`, naming every field, so a field added
//! to the model later does not compile until it is either moved here or said to hold no
//! location: a location left behind would point at the wrong text.

use super::*;
use crate::source::Loc;

/// A value whose locations can be moved.
pub trait Relocate {
    /// Hands every location of the value to `to`, which moves it.
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc));
}

impl Relocate for Loc {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        to(self);
    }
}

/// What `At` wraps is a plain value (a name, an address, a selector, a service): its location
/// is the `At`'s own.
impl<T> Relocate for At<T> {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        to(&mut self.loc);
    }
}

impl<T: Relocate> Relocate for Vec<T> {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        for item in self {
            item.relocate(to);
        }
    }
}

impl<T: Relocate> Relocate for Option<T> {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        if let Some(value) = self {
            value.relocate(to);
        }
    }
}

/// A sparse part that was never written holds nothing (and stays unallocated).
impl<T: sparse::Empty + Relocate> Relocate for Sparse<T> {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        if let Some(value) = self.stored_mut() {
            value.relocate(to);
        }
    }
}

/// `relocate!(Type { moved, fields; fields, without, locations })`: moves the first list and
/// names the second, which hold no location.
macro_rules! relocate {
    ($ty:ident { $($moved:ident),* ; $($plain:ident),* $(,)? }) => {
        impl Relocate for $ty {
            fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
                let $ty { $($moved,)* $($plain: _,)* } = self;
                $($moved.relocate(to);)*
            }
        }
    };
}

relocate!(Topology {
    meta, zones, externals, segments, hosts, stores, firewalls, gateways, accounts, flows, org,
    sites, services, wifis, remote_access, log_sinks, monitors;
    lookup
});
relocate!(Meta { model, loc; name, guideline, description });
relocate!(Zone { loc; id, tier, name, description });
relocate!(External { cidrs, loc; id, kind, line, approved, name, description });
relocate!(Segment { zone, cidr, site, loc; id, nac, name, description });
relocate!(HostInterface { segment, ip; });
relocate!(Host {
    interfaces, services, vulnerable, facts, loc;
    id, kind, count, internet_use, mfa, removable_media, edr, antivirus, disk_encryption,
    client_isolation, name, description
});
relocate!(HostFacts {
    patch_age_days, listening, ntp_server, runs_on, serves_zones;
    roles, registered, issued_by_org, log_source, shared_approved_by, shared_reason,
    business_units
});
relocate!(Store {
    host, service, readers, copied_from, retain_until, loc;
    id, data, records, encrypted, confidentiality, owner, purpose, name, description
});
relocate!(Firewall {
    interfaces, rules, filters, routes, nat, loc;
    id, default, stateful, isolation_point, name, description
});
relocate!(FirewallInterface { attachment, ip, loc; name });
relocate!(Rule {
    from, to, services, in_interfaces, out_interfaces, identity, loc;
    action, log, reason, origin, approximation
});
relocate!(RuleIdentity { id, reviewed_at, expires; owner, ticket, approved_by });
relocate!(Route { destination, interface, next_hop, loc; discard, origin });
relocate!(Filter { interface, rules, loc; direction, default });
relocate!(Nat { id, translation, loc; origin, hides });
relocate!(Gateway {
    from, to, interfaces, loc;
    id, kind, method, bypass, clipboard, file_transfer, drive_redirection, name, description
});
relocate!(Account {
    admin_on, logs_on_to, loc;
    id, privilege, groups, mfa, unique_per_host, shared, logon_audit, name, description
});
relocate!(Flow { from, to, loc; id, method, data, purpose, name, description });
relocate!(Org { last_training, last_self_check, last_external_audit, loc; csirt });
relocate!(Site { loc; id, kind, isolation_playbook, name, description });
relocate!(ExternalService {
    zone, external, loc;
    id, kind, registration, assurance, handles_conf2, contract_reviewed, tenant_restriction, mfa,
    name, description
});
relocate!(Wifi { segment, loc; id, ssid, auth, name, description });
relocate!(RemoteAccess {
    segment, external, loc;
    id, kind, mfa, source_restricted, session_recording, approved, name, description
});
relocate!(LogSink { host, retention_days, sources, loc; id, soc, name, description });
relocate!(Monitor { covers, loc; id, kind, name, description });

impl Relocate for Translation {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        match self {
            Translation::Destination {
                interface,
                from,
                destination,
                service,
                translated,
                port,
            } => {
                interface.relocate(to);
                from.relocate(to);
                destination.relocate(to);
                service.relocate(to);
                translated.relocate(to);
                port.relocate(to);
            }
            Translation::Source {
                interface,
                from,
                to: dest,
                service,
                to_source,
            } => {
                interface.relocate(to);
                from.relocate(to);
                dest.relocate(to);
                service.relocate(to);
                to_source.relocate(to);
            }
            Translation::Static {
                interface,
                inside,
                outside,
            } => {
                interface.relocate(to);
                inside.relocate(to);
                outside.relocate(to);
            }
        }
    }
}

impl Relocate for SourceAddress {
    fn relocate(&mut self, to: &mut dyn FnMut(&mut Loc)) {
        match self {
            SourceAddress::Address(a) => a.relocate(to),
            SourceAddress::Pool(pool) => pool.relocate(to),
            SourceAddress::Masquerade(loc) => loc.relocate(to),
        }
    }
}
