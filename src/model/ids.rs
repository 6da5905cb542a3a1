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

/// The hash of maps and sets keyed by ids (as rustc's FxHasher: eight bytes at a step).
/// Large designs look an id up once per selector of every rule, and a witness once per
/// `host:` selector of every rule its packet meets; the standard hasher's protection against
/// crafted keys is not needed for a design read from a file and costs several times more on
/// short strings such as `s012-mn-office1-shimin`. Maps hashed with it are only looked up,
/// never walked in hash order, so the hash cannot change an output.
#[derive(Clone, Copy, Default)]
pub struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length too, so that trailing zero bytes still count.
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by ids, hashed with [`IdHasher`].
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

/// A set of ids, hashed with [`IdHasher`].
pub type IdSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<IdHasher>>;
