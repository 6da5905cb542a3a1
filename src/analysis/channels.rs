//! Channels: what gateways carry between zones. A gateway does not forward packets; it creates a
//! one-way channel of its kind (sanitized files, text mail, pixels, proxied web) from its `from`
//! zone to its `to` zone. A gateway with `bypass = true` also passes content unsanitized: that
//! is a raw crossing, reported as such.

use crate::model::{GatewayId, GatewayKind, Topology};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Channel {
    pub gateway: GatewayId,
    pub kind: GatewayKind,
    pub from_zone: String,
    pub to_zone: String,
    /// Content can cross unsanitized (an administrator path).
    pub bypass: bool,
}

pub fn channels(topo: &Topology) -> Vec<Channel> {
    topo.gateways
        .iter()
        .enumerate()
        .map(|(i, g)| Channel {
            gateway: GatewayId(i),
            kind: g.kind,
            from_zone: g.from.value.clone(),
            to_zone: g.to.value.clone(),
            bypass: g.bypass,
        })
        .collect()
}
