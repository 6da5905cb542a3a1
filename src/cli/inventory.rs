//! `sansou import inventory`: the ledger's rows as hosts placed in the design's segments,
//! written as `OUTPUT/LEDGER.toml`.

use crate::{Outcome, console};
use anyhow::{Context as _, bail};
use sansou::import::inventory;
use sansou::{diag, load};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Imports the ledger. Every bad row is reported; nothing is written unless all rows read. A
/// file of that name that this command did not write is never overwritten.
pub(super) fn run(ledger: &Path, map: &Path, output: &Path, topology: Option<&Path>) -> Outcome {
    let map_name = map.display().to_string();
    let map_text =
        std::fs::read_to_string(map).with_context(|| format!("cannot read {map_name}"))?;
    let columns = inventory::Columns::parse(&map_name, &map_text).map_err(|rendered| {
        err!("{rendered}");
        anyhow::anyhow!("{map_name} has errors; nothing was imported")
    })?;
    let stem = ledger
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("inventory");
    let path = output.join(format!("{stem}.toml"));
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.starts_with(inventory::HEADER)
    {
        bail!(
            "{} exists and was not written by `sansou import inventory`; refusing to overwrite it (rename the ledger or choose another --output)",
            path.display()
        );
    }
    // The design: every topology file but the one about to be rewritten (its hosts are the
    // ledger's previous import).
    let design_path = topology.unwrap_or(output);
    let files: Vec<PathBuf> = load::topology_files(design_path)
        .with_context(|| {
            format!(
                "the design to place the addresses in (--topology, default the output directory {})",
                output.display()
            )
        })?
        .into_iter()
        .filter(|p| !same_file(p, &path))
        .collect();
    if files.is_empty() {
        bail!(
            "{} holds no design besides {}; write the segments first (`sansou init`) or pass --topology",
            design_path.display(),
            path.display()
        );
    }
    let design = load::load_topology_files(files)?;
    err!("{}", diag::render_all(&design.sources, &design.diagnostics));
    if design.diagnostics.error_count() > 0 {
        bail!(
            "the design {} has errors; fix them first (nothing was imported)",
            design_path.display()
        );
    }
    let name = ledger.display().to_string();
    load::limits::check_inputs(&[ledger.to_path_buf()])?;
    let bytes = load::read_input(ledger)?;
    let imported = inventory::import(bytes, &columns, &design.value).map_err(|errors| {
        for e in &errors {
            errln!("error: {}", e.located(&name));
        }
        anyhow::anyhow!("{name} has {} error(s); nothing was imported", errors.len())
    })?;
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    std::fs::write(&path, inventory::to_toml(&imported, &name))
        .with_context(|| format!("cannot write {}", path.display()))?;
    errln!(
        "{}\nwrote {}",
        inventory::summary(&imported, &name),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The same file, however the two paths spell it.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
