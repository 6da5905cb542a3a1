//! The topology loader on arbitrary bytes read as a JSON file (the hand-written JSON parser).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sansou::load::Syntax;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    sansou_fuzz::topology("fuzz.json", &text, Syntax::Json);
});
