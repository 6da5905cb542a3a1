//! sansou verifies network designs against Japan's three-tier separation model (三層分離) for
//! municipalities.
//!
//! The pipeline is `load` (TOML/JSON → [`model`] + diagnostics) → `graph` → `analysis` →
//! `rules` → `report`. See ARCHITECTURE.md for the code map and the invariants.

pub mod diag;
pub mod lang;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
