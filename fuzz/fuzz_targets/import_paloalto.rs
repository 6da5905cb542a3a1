//! The PAN-OS importer on arbitrary bytes, with a mapping of the usual interface names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sansou_fuzz::Vendor;

fuzz_target!(|data: &[u8]| {
    // Read as the loader reads files: lossily, so every input reaches the importer.
    let text = String::from_utf8_lossy(data);
    let _ = sansou_fuzz::import(Vendor::PaloAlto, &text);
});
