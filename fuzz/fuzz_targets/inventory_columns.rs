//! The ledger's column mapping (`sansou import inventory --map COLUMNS.toml`) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sansou_fuzz::ledger_columns("columns.toml", &text);
});
