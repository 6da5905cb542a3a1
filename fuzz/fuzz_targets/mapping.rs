//! The importers' mapping file (`sansou import --map MAPPING.toml`) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sansou_fuzz::mapping_file("map.toml", &text);
});
