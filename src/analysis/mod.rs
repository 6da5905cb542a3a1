//! Analysis: what packets and content can get from where to where, and why. No I/O here.

pub mod acl;
pub mod attack;
pub mod bdd;
pub mod channels;
pub mod host_index;
pub mod intent;
pub mod matrix;
pub mod names;
pub mod nat;
pub mod paths;
pub mod reach;
pub mod replies;
pub mod routing;
pub mod rule_lint;
pub mod space;
pub mod witness;
