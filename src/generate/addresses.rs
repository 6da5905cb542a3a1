//! Where addresses come from: the segment and link pools, handed out in order without overlap,
//! and the fixed addresses of the LGWAN and the security cloud's services.

use super::rng::Rng;
use super::values::net;
use ipnet::Ipv4Net;

pub(super) const fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_be_bytes([a, b, c, d])
}

/// Where segments come from, in order: 10.0.0.0/8 up to the link pool, then 172.16.0.0/13.
pub(super) const SEGMENT_POOLS: &[(u32, u32)] = &[
    (ip(10, 0, 0, 0), ip(10, 255, 0, 0)),
    (ip(172, 16, 0, 0), ip(172, 24, 0, 0)),
];
/// The /29 links between firewalls: 10.255.0.0/16.
pub(super) const LINK_POOL: (u32, u32) = (ip(10, 255, 0, 0), ip(11, 0, 0, 0));
/// The LGWAN external, outside both pools (illustrative, as in the samples).
pub(super) const LGWAN_NET: (u32, u8) = (ip(172, 24, 0, 0), 13);
pub(super) const EVERYTHING: (u32, u8) = (0, 0);
/// 自治体中間サーバー and the eLTAX gateway on the LGWAN.
pub(super) const CHUKAN: u32 = ip(172, 24, 1, 10);
pub(super) const CHUKAN_NET: (u32, u8) = (ip(172, 24, 1, 0), 24);
pub(super) const ELTAX: u32 = ip(172, 24, 1, 20);
/// The security cloud's proxy, mail relay and DNS (TEST-NET-3), and where its SaaS live.
pub(super) const CLOUD_PROXY: u32 = ip(203, 0, 113, 10);
pub(super) const CLOUD_MAIL: u32 = ip(203, 0, 113, 25);
pub(super) const CLOUD_DNS: u32 = ip(203, 0, 113, 53);
pub(super) const CLOUD_SAAS: [(u32, u32); 2] = [
    (ip(203, 0, 113, 100), ip(203, 0, 113, 250)),
    (ip(198, 51, 100, 1), ip(198, 51, 100, 254)),
];

/// An address of a cloud service (TEST-NET-3 and TEST-NET-2).
pub(super) fn saas(rng: &mut Rng) -> u32 {
    let (first, last) = *rng.pick(&CLOUD_SAAS);
    rng.between(u64::from(first), u64::from(last)) as u32
}

/// Hands out non-overlapping prefixes in address order from a list of `[start, end)` pools,
/// each prefix aligned to its size. Moving to the next pool only when one is full keeps the
/// addresses dense and readable (10.0.0.0/24, 10.0.1.0/24, ...).
pub(super) struct AddressSpace {
    pub(super) pools: Vec<(u64, u64)>,
    pub(super) pool: usize,
    pub(super) next: u64,
}

impl AddressSpace {
    pub(super) fn new(pools: &[(u32, u32)]) -> AddressSpace {
        let pools: Vec<(u64, u64)> = pools
            .iter()
            .map(|&(a, b)| (u64::from(a), u64::from(b)))
            .collect();
        AddressSpace {
            next: pools[0].0,
            pools,
            pool: 0,
        }
    }

    pub(super) fn take(&mut self, prefix_len: u8) -> Ipv4Net {
        let size = 1u64 << (32 - prefix_len);
        loop {
            let (start, end) = self.pools[self.pool];
            let at = self.next.max(start).div_ceil(size) * size;
            if at + size <= end {
                self.next = at + size;
                return net(at as u32, prefix_len);
            }
            self.pool += 1;
            // The tiers' sizes are fixed and fit many times over: running out is a bug here.
            assert!(
                self.pool < self.pools.len(),
                "synthetic address space exhausted"
            );
        }
    }
}
