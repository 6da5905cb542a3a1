//! The topology loader on arbitrary bytes read as a TOML file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sansou::load::Syntax;

fuzz_target!(|data: &[u8]| {
    // The loader reads non-UTF-8 files lossily to point at the bad byte; do the same so every
    // input reaches the parser.
    let text = String::from_utf8_lossy(data);
    sansou_fuzz::topology("fuzz.toml", &text, Syntax::Toml);
});
