//! `sansou import inventory` on arbitrary bytes as the ledger (CSV in any encoding, or a
//! workbook), read with a fixed column mapping into the base topology's segments.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sansou_fuzz::ledger(data);
});
