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

// The library prints nothing and reads neither the clock nor, outside `load`, the environment
// or files (ARCHITECTURE.md, Invariants): clippy.toml lists what is refused, and `load` allows
// it at the top of `load/mod.rs`. `report` returns text and bytes; the binary writes them.
// Cargo.toml turns these lints off for the binary, the tests, the benches and the examples,
// which meet the world; they are on here. Unit tests may read fixtures and print.
#![warn(clippy::disallowed_methods, clippy::disallowed_macros)]
#![cfg_attr(test, allow(clippy::disallowed_methods, clippy::disallowed_macros))]

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
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod session;
pub mod source;
