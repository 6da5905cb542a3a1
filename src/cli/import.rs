//! `sansou import VENDOR`: a device configuration read into one firewall of the model and
//! written as `DEVICE.toml` (`import inventory` is a ledger of hosts: `inventory.rs`).

use super::{TextOrJson, inventory};
use crate::{Outcome, console};
use anyhow::{Context as _, bail};
use clap::ValueEnum;
use sansou::import::{self, Vendor, common};
use sansou::load;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum VendorArg {
    Fortigate,
    CiscoIos,
    YamahaRtx,
    Iptables,
    /// Not a device: an IP address ledger (CSV or spreadsheet) whose rows become hosts
    Inventory,
    #[value(alias = "cisco-asa")]
    Asa,
    /// Palo Alto Networks PAN-OS: the XML running configuration
    #[value(alias = "pan-os", alias = "panos")]
    Paloalto,
}

#[derive(Clone, Copy, ValueEnum)]
enum WarningsArg {
    Grouped,
    All,
}

#[derive(clap::Args)]
pub(super) struct Args {
    /// Who made the device (what syntax the configuration is in), or `inventory` for a ledger
    #[arg(value_enum)]
    vendor: VendorArg,
    /// The configuration: FortiOS backup, IOS or ASA running-config, RTX config, iptables-save
    /// output, PAN-OS XML running configuration; or the ledger (CSV in UTF-8 or Shift_JIS, .xlsx)
    config: PathBuf,
    /// The mapping file: which device interface sits on which segment or external; for a
    /// ledger, which column holds which fact of a host
    #[arg(long = "map", value_name = "MAPPING")]
    map: PathBuf,
    /// Directory to write DEVICE.toml (a ledger: LEDGER.toml) into; created if missing
    #[arg(long, default_value = ".")]
    output: PathBuf,
    /// iptables: an `ipset save` dump, so `--match-set` rules read as the sets' addresses
    #[arg(long, value_name = "FILE")]
    ipset: Option<PathBuf>,
    /// iptables: an `ip route` dump (`ip route show table all`), the box's routing table
    #[arg(long, value_name = "FILE")]
    routes: Option<PathBuf>,
    /// Warnings on stderr: one line per topic with a count, or every warning
    #[arg(long, value_enum, default_value = "grouped")]
    warnings: WarningsArg,
    /// `json`: the import's summary and every warning on stdout
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
    /// Ledger only: the design whose segments the addresses are placed in (a topology file
    /// or directory; default: the output directory)
    #[arg(long)]
    topology: Option<PathBuf>,
}

/// How many warning topics `import` prints; `--warnings all` prints every warning.
const TOPICS_SHOWN: usize = 40;

pub(super) fn run(args: Args) -> Outcome {
    let vendor = match args.vendor {
        VendorArg::Fortigate => Vendor::FortiGate,
        VendorArg::CiscoIos => Vendor::CiscoIos,
        VendorArg::YamahaRtx => Vendor::YamahaRtx,
        VendorArg::Iptables => Vendor::Iptables,
        VendorArg::Asa => Vendor::CiscoAsa,
        VendorArg::Paloalto => Vendor::PaloAlto,
        VendorArg::Inventory => {
            if args.ipset.is_some() {
                bail!("--ipset is for `import iptables` only");
            }
            if args.routes.is_some() {
                bail!("--routes is for `import iptables` only");
            }
            if matches!(args.format, TextOrJson::Json) {
                bail!("--format json is for device imports; `import inventory` reports in text");
            }
            return inventory::run(
                &args.config,
                &args.map,
                &args.output,
                args.topology.as_deref(),
            );
        }
    };
    if args.topology.is_some() {
        bail!("--topology is for `import inventory` only");
    }
    device(vendor, &args)
}

/// Imports one device's configuration.
fn device(vendor: Vendor, args: &Args) -> Outcome {
    let (config, map, output) = (&args.config, &args.map, &args.output);
    let map_name = map.display().to_string();
    let map_text =
        std::fs::read_to_string(map).with_context(|| format!("cannot read {map_name}"))?;
    let mut mapping = import::Mapping::parse(&map_name, &map_text).map_err(|rendered| {
        err!("{rendered}");
        anyhow::anyhow!("{map_name} has errors; nothing was imported")
    })?;
    let mut inputs = vec![(map_name.clone(), map_text)];
    if let Some(path) = &args.ipset {
        let parse =
            |name: &str, text: &str| import::ipset::parse(name, text).map_err(|e| e.located(name));
        let refusal = "--ipset is for iptables configurations";
        mapping.ipsets = Some(iptables_input(path, vendor, refusal, parse, &mut inputs)?);
    }
    if let Some(path) = &args.routes {
        let parse = |name: &str, text: &str| {
            import::ip_route::parse(name, text).map_err(|e| e.located(name))
        };
        let refusal = "--routes is for iptables configurations (the others carry their routes)";
        mapping.routes = Some(iptables_input(path, vendor, refusal, parse, &mut inputs)?);
    }
    let name = config.display().to_string();
    let text = read_config(config, &name)?;
    let imported = (vendor.importer())(&name, &text, &mapping)
        .map_err(|e| anyhow::anyhow!("{}", e.located(&name)))?;
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let path = output.join(format!("{}.toml", imported.firewall.id));
    std::fs::write(&path, import::to_toml(&imported, vendor, &name))
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let TextOrJson::Json = args.format {
        inputs.insert(0, (name.clone(), text));
        let written = path.display().to_string();
        out!(
            "{}",
            import::json(&inputs, &imported, vendor, &name, &written)
        );
    } else {
        let shown = match args.warnings {
            WarningsArg::Grouped => common::Shown::Grouped(TOPICS_SHOWN),
            WarningsArg::All => common::Shown::All,
        };
        err!(
            "{}",
            common::warnings_text(&name, &imported.warnings, shown)
        );
    }
    errln!(
        "{}\nwrote {}",
        import::summary(&imported, vendor, &name),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A file read beside an iptables configuration (`--ipset`, `--routes`), parsed, and kept
/// with the inputs (`--format json` hashes them); `refusal` when the vendor is another.
fn iptables_input<T>(
    path: &Path,
    vendor: Vendor,
    refusal: &str,
    parse: impl Fn(&str, &str) -> Result<T, String>,
    inputs: &mut Vec<(String, String)>,
) -> anyhow::Result<T> {
    if vendor != Vendor::Iptables {
        bail!("{refusal}");
    }
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let value = parse(&name, &text).map_err(anyhow::Error::msg)?;
    inputs.push((name, text));
    Ok(value)
}

/// The configuration's text. The same memory guard as topologies: a configuration too big to
/// import here is refused, and no more of one is read (a device or pipe has no size to check
/// beforehand).
fn read_config(config: &Path, name: &str) -> anyhow::Result<String> {
    load::limits::check_inputs(&[config.to_path_buf()])?;
    let bytes = load::read_input(config)?;
    // Device configurations are sometimes saved as Shift_JIS (comments, descriptions); the
    // commands are ASCII, so reading the rest lossily keeps every line number right.
    Ok(match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "warning: {name} is not UTF-8; non-UTF-8 text (comments, descriptions) is replaced"
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    })
}
