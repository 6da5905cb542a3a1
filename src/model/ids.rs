//! Typed indexes into a [`Topology`](super::Topology)'s lists: a `HostId` indexes `hosts`, a
//! `FirewallId` `firewalls`, and so on, so an index of one list cannot be used for another.
//! Each indexes its `Vec` directly (`topo.hosts[h]`). The analysis's results name things by
//! them (endpoints, witness hops and replies, blackholes and loops, channels, attack steps,
//! egress and fixes); its own working tables (per-network, per-segment and per-external
//! vectors, the attack fixpoint's per-host and per-account tables) stay indexed by `usize`,
//! and are reached with `.0` where a typed id meets them.

use super::{Account, External, Firewall, Gateway, Host, Segment, Store};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $of:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);

        impl std::ops::Index<$name> for Vec<$of> {
            type Output = $of;

            fn index(&self, id: $name) -> &$of {
                &self[id.0]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$of> {
            fn index_mut(&mut self, id: $name) -> &mut $of {
                &mut self[id.0]
            }
        }
    )*};
}

ids! {
    /// An index into `Topology::hosts`.
    HostId => Host;
    /// An index into `Topology::segments`.
    SegmentId => Segment;
    /// An index into `Topology::firewalls`.
    FirewallId => Firewall;
    /// An index into `Topology::gateways`.
    GatewayId => Gateway;
    /// An index into `Topology::externals`.
    ExternalId => External;
    /// An index into `Topology::accounts`.
    AccountId => Account;
    /// An index into `Topology::stores`.
    StoreId => Store;
}
