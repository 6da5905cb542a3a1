//! The importers: FortiGate, iptables, Cisco IOS and ASA, YAMAHA RTX, PAN-OS, each on fixtures shaped
//! like real files, their warnings, and vendor semantics on random configurations.
//!
//! One test binary for several files: each links the whole crate, so fewer binaries build
//! and link faster. Each file is a module, its tests named `FILE::test`.

mod import;
mod import_asa;
mod import_ios_rtx;
mod import_nat;
mod import_paloalto;
