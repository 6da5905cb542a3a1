//! Helpers the rule families share (one idea per file), so no family's file holds another
//! family's tools and each helper exists once.

pub mod crossings;
pub mod packets;
pub mod pairs;
pub mod places;
pub mod selectors;
pub mod text;
pub mod tiers;

pub use crossings::*;
pub use packets::*;
pub use pairs::*;
pub use places::*;
pub use selectors::*;
pub use text::*;
pub use tiers::*;
