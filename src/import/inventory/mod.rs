//! `sansou import inventory`: hosts from an IP address ledger (IPアドレス管理台帳).
//!
//! A ledger is a CSV file (UTF-8 with or without a BOM, or Shift_JIS) or a spreadsheet with
//! one row per device. The column mapping ([`Columns`]) says which column holds which fact
//! and translates the ledger's words; each address is placed in the design's segment that
//! holds it; identical terminals at consecutive addresses become one host with a `count`.
//! Every bad row is reported, all in one run, at its file, row and column; nothing is written
//! unless the whole ledger reads.
//!
//! Parts: [`table`] (rows and located errors), [`csv`] and [`xlsx`] (the two file kinds),
//! [`columns`] (the mapping file), [`hosts`] (a row → a host), [`group`] (runs → ranges).

pub mod columns;
pub mod csv;
pub mod group;
pub mod hosts;
pub mod table;
pub mod xlsx;

pub use columns::Columns;
pub use table::{CellError, Row};

use crate::model::Topology;
use std::collections::BTreeSet;

/// The first line of every file this importer writes; a file that does not start with it is
/// the user's and is never overwritten.
pub const HEADER: &str = "# Imported by sansou from ";

/// The hosts of one ledger.
#[derive(Clone, Debug)]
pub struct Inventory {
    pub hosts: Vec<group::Grouped>,
    /// Rows that became hosts.
    pub rows: usize,
}

/// A spreadsheet (zip or OLE container) rather than text.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The rows of a ledger file, whatever its kind.
pub fn rows(bytes: Vec<u8>, columns: &Columns) -> Result<Vec<Row>, CellError> {
    if is_spreadsheet(&bytes) {
        xlsx::read(bytes, columns.sheet.as_deref())
    } else {
        csv::parse(&csv::decode(&bytes)?)
    }
}

/// Reads a ledger into hosts placed in `design`'s segments. `Err` holds every problem, sorted
/// by row and column.
pub fn import(
    bytes: Vec<u8>,
    columns: &Columns,
    design: &Topology,
) -> Result<Inventory, Vec<CellError>> {
    let rows = rows(bytes, columns).map_err(|e| vec![e])?;
    let entries = hosts::read(&rows, columns, design)?;
    let count = entries.len();
    let taken: BTreeSet<String> = design
        .hosts
        .iter()
        .map(|h| h.id.clone())
        .chain(design.gateways.iter().map(|g| g.id.clone()))
        .chain(design.firewalls.iter().map(|f| f.id.clone()))
        .collect();
    Ok(Inventory {
        hosts: group::group(entries, &taken),
        rows: count,
    })
}

/// The hosts as a topology file that merges with the design: a comment saying where they came
/// from, `format = 1`, then one `[[host]]` per host or group.
pub fn to_toml(inventory: &Inventory, ledger: &str) -> String {
    let topology = Topology {
        hosts: inventory.hosts.iter().map(|g| g.host.clone()).collect(),
        ..Topology::default()
    };
    format!(
        "{HEADER}{} (inventory). Re-run `sansou import inventory` rather than editing:\n# the ledger is the record; fix it there.\n{}",
        ledger.replace(['\n', '\r'], " "),
        crate::report::topology::to_toml(&topology)
    )
}

/// One line saying what was imported.
pub fn summary(inventory: &Inventory, ledger: &str) -> String {
    let groups = inventory.hosts.iter().filter(|g| g.rows.len() > 1).count();
    format!(
        "imported {ledger} (inventory): {} row(s) as {} host entr{} ({} group(s) of identical terminals)",
        inventory.rows,
        inventory.hosts.len(),
        if inventory.hosts.len() == 1 {
            "y"
        } else {
            "ies"
        },
        groups
    )
}
