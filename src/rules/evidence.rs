//! What a finding shows as proof: a packet path with its witness, or a chain of steps in words
//! (a channel, a two-interface host, a declared media flow, a copy of a store).

use super::Text;
use crate::analysis::reach::Endpoint;
use crate::analysis::space::ServiceSet;
use crate::analysis::witness::Witness;

#[derive(Clone, Debug)]
pub enum Evidence {
    /// Packets get from one endpoint to another: the services and one concrete flow with its
    /// hops.
    Packets {
        from: Endpoint,
        to: Endpoint,
        services: ServiceSet,
        witness: Option<Witness>,
    },
    /// A path that is not made of packets, step by step.
    Steps(Vec<Text>),
}
