//! Input that must never break sansou: located loader errors, the malformed-input corpus,
//! property tests that bad input never panics, and designs written as compact JSON.
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

mod compact_json;
mod loader_errors;
mod malformed;
mod nat_entries;
mod never_panics;
mod reload;
