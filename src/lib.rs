//! sansou verifies network designs against Japan's three-tier separation model (三層分離) for
//! municipalities.
//!
//! The pipeline is `load` (TOML/JSON → [`model`] + diagnostics) → `graph` → `analysis` →
//! `rules` → `report`. See ARCHITECTURE.md for the code map and the invariants.
//!
//! Loading a topology from text and reading the model:
//!
//! ```
//! use sansou::load::{decode_topology, Syntax};
//! use sansou::source::SourceMap;
//! use sansou::diag::Diagnostics;
//!
//! let text = r#"
//! format = 1
//! [[zone]]
//! id = "mn"
//! tier = "mynumber"
//! [[segment]]
//! id = "mn-office"
//! zone = "mn"
//! cidr = "10.1.0.0/24"
//! "#;
//! let mut sources = SourceMap::default();
//! let file = sources.add("city.toml", text);
//! let mut diags = Diagnostics::default();
//! let topology = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
//! assert!(!diags.has_errors());
//! assert_eq!(topology.segment_tier("mn-office"), Some(sansou::model::Tier::MyNumber));
//! ```

pub mod analysis;
pub mod diag;
pub mod diff;
pub mod generate;
pub mod graph;
pub mod import;
pub mod init;
pub mod lang;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
