//! The forwarding graph: model → which firewall port sits on which network.
//!
//! Only firewalls forward packets between the networks they touch, so the graph the analysis
//! walks is bipartite: networks (segments and externals) and firewall ports, kept as two
//! adjacency tables ([`Network::ports`] per firewall, [`Network::ports_on`] per network).
//! Hosts and gateways never forward; where they are is answered by `addresses.rs`. A general
//! graph library is not needed for this walk (the reachability fixpoint is a worklist over
//! these tables); petgraph serves where a graph algorithm does, the strongly connected
//! components of the routing-loop analysis (`analysis/routing/loops.rs`).

pub mod addresses;
pub mod routes;

use crate::model::{Attachment, Places, Topology};
use std::sync::Arc;

/// A network packets travel on: a segment or an external, by index in the topology.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Net {
    Segment(usize),
    External(usize),
}

/// A firewall interface and the network it sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    pub firewall: usize,
    pub interface: usize,
    pub net: Net,
}

#[derive(Clone)]
pub struct Network<'t> {
    pub topo: &'t Topology,
    /// Where every entity is (zones and tiers resolved once), shared with the rules.
    pub places: Arc<Places<'t>>,
    /// For each firewall, its interfaces' networks, in interface order.
    pub ports: Vec<Vec<Port>>,
    /// For each network, the firewall ports on it.
    nets_ports: std::collections::BTreeMap<Net, Vec<Port>>,
    /// For each firewall, its routing table (`None`: no `[[firewall.route]]`).
    pub routing: Vec<Option<routes::RoutingTable>>,
}

impl<'t> Network<'t> {
    /// Builds the graph from a validated topology (references that do not resolve are skipped).
    pub fn build(topo: &'t Topology) -> Network<'t> {
        let segment_index = |id: &str| topo.segment_index(id);
        let external_index = |id: &str| topo.externals.iter().position(|e| e.id == id);
        let mut ports = Vec::new();
        let mut nets_ports: std::collections::BTreeMap<Net, Vec<Port>> = Default::default();
        for (f, fw) in topo.firewalls.iter().enumerate() {
            let mut fw_ports = Vec::new();
            for (i, iface) in fw.interfaces.iter().enumerate() {
                let net = match &iface.attachment.value {
                    Attachment::Segment(s) => segment_index(s).map(Net::Segment),
                    Attachment::External(e) => external_index(e).map(Net::External),
                };
                let Some(net) = net else { continue };
                let port = Port {
                    firewall: f,
                    interface: i,
                    net,
                };
                fw_ports.push(port);
                nets_ports.entry(net).or_default().push(port);
            }
            ports.push(fw_ports);
        }
        let routing = topo
            .firewalls
            .iter()
            .map(|fw| routes::RoutingTable::of(topo, fw))
            .collect();
        Network {
            topo,
            places: Arc::new(Places::of(topo)),
            ports,
            nets_ports,
            routing,
        }
    }

    /// The firewall ports on a network.
    pub fn ports_on(&self, net: Net) -> &[Port] {
        self.nets_ports.get(&net).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A network's position in [`nets`](Self::nets) (segments first, then externals), for
    /// per-network tables.
    pub fn index(&self, net: Net) -> usize {
        match net {
            Net::Segment(i) => i,
            Net::External(x) => self.topo.segments.len() + x,
        }
    }

    /// How many networks [`nets`](Self::nets) lists.
    pub fn net_count(&self) -> usize {
        self.topo.segments.len() + self.topo.externals.len()
    }

    /// Every network, segments first, in topology order.
    pub fn nets(&self) -> impl Iterator<Item = Net> + '_ {
        (0..self.topo.segments.len())
            .map(Net::Segment)
            .chain((0..self.topo.externals.len()).map(Net::External))
    }

    pub fn net_name(&self, net: Net) -> &'t str {
        match net {
            Net::Segment(i) => &self.topo.segments[i].id,
            Net::External(i) => &self.topo.externals[i].id,
        }
    }
}
