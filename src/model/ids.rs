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

/// FNV-1a: a fast hash for maps and sets keyed by ids, which large designs look up once per
/// selector of every rule (the standard hasher's protection against crafted keys is not needed
/// for a design read from a file, and costs several times more on short strings).
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by ids, hashed with [`Fnv`].
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
