//! The policy loader on arbitrary bytes read as TOML, checked against a small valid topology.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sansou::load::Syntax;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    sansou_fuzz::policy("fuzz-policy.toml", &text, Syntax::Toml);
});
